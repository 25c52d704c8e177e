/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e820_sanitize() edges, e820_range_update()/e820_range_remove() acting on
 * entries, and the type words of e820_print().
 */
#include "tests.h"

#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED
#define ACPI E820_TYPE_ACPI
#define NVS E820_TYPE_NVS
#define PRAM E820_TYPE_PRAM
#define KERN E820_TYPE_RESERVED_KERN
#define SOFT E820_TYPE_SOFT_RESERVED
#define TOP4K 0xfffffffffffff000ULL	/* the last page below 2^64 */

#define MAXE 8

static const struct {
	int line;
	size_t nin;
	struct e820_entry in[MAXE];
	int rc;
	size_t nout;
	struct e820_entry out[MAXE];
} san_rows[] = {
	/* Empty table; one entry; one zero-size entry */
	{ __LINE__, 0, { { 0 } }, 0, 0, { { 0 } } },
	{ __LINE__, 1, { E(0x1000, 0x1000, RAM) }, 0, 1, { E(0x1000, 0x1000, RAM) } },
	{ __LINE__, 1, { E(0x1000, 0, RAM) }, 0, 0, { { 0 } } },
	{ __LINE__, 3, { E(0, 0x1000, RAM), E(0x5000, 0, RES), E(0x800, 0, SOFT) },
	  0, 1, { E(0, 0x1000, RAM) } },
	/* Full overlap: the higher type wins either way round */
	{ __LINE__, 2, { E(0, 0x10000, RAM), E(0, 0x10000, RES) },
	  0, 1, { E(0, 0x10000, RES) } },
	{ __LINE__, 2, { E(0, 0x10000, RES), E(0, 0x10000, RAM) },
	  0, 1, { E(0, 0x10000, RES) } },
	/* Identical duplicates */
	{ __LINE__, 3, { E(0, 0x1000, RAM), E(0, 0x1000, RAM), E(0, 0x1000, RAM) },
	  0, 1, { E(0, 0x1000, RAM) } },
	{ __LINE__, 2, { E(0, 0x1000, PRAM), E(0, 0x1000, PRAM) },
	  0, 1, { E(0, 0x1000, PRAM) } },
	/* Nesting: higher inside lower splits it; lower inside higher vanishes */
	{ __LINE__, 2, { E(0, 0x10000, RAM), E(0x4000, 0x4000, RES) },
	  0, 3, { E(0, 0x4000, RAM), E(0x4000, 0x4000, RES), E(0x8000, 0x8000, RAM) } },
	{ __LINE__, 2, { E(0, 0x10000, RES), E(0x4000, 0x4000, RAM) },
	  0, 1, { E(0, 0x10000, RES) } },
	/* Partial overlap */
	{ __LINE__, 2, { E(0, 0x8000, RAM), E(0x4000, 0x8000, ACPI) },
	  0, 2, { E(0, 0x4000, RAM), E(0x4000, 0x8000, ACPI) } },
	{ __LINE__, 2, { E(0x4000, 0x8000, RAM), E(0, 0x8000, ACPI) },
	  0, 2, { E(0, 0x8000, ACPI), E(0x8000, 0x4000, RAM) } },
	/* Three levels */
	{ __LINE__, 3, { E(0, 0x10000, RAM), E(0x2000, 0x4000, RES), E(0x4000, 0x4000, ACPI) },
	  0, 4, { E(0, 0x2000, RAM), E(0x2000, 0x2000, RES), E(0x4000, 0x4000, ACPI),
		  E(0x8000, 0x8000, RAM) } },
	/* Adjacent same type merges; overlapping same type too */
	{ __LINE__, 2, { E(0, 0x1000, RAM), E(0x1000, 0x1000, RAM) },
	  0, 1, { E(0, 0x2000, RAM) } },
	{ __LINE__, 3, { E(0x2000, 0x1000, RES), E(0, 0x1000, RES), E(0x1000, 0x1000, RES) },
	  0, 1, { E(0, 0x3000, RES) } },
	{ __LINE__, 2, { E(0, 0x3000, ACPI), E(0x1000, 0x3000, ACPI) },
	  0, 1, { E(0, 0x4000, ACPI) } },
	{ __LINE__, 2, { E(0, 0x1000, 7), E(0x1000, 0x1000, 7) },
	  0, 1, { E(0, 0x2000, 7) } },
	/* ... but PRAM (12) and soft reserved never merge */
	{ __LINE__, 2, { E(0, 0x1000, PRAM), E(0x1000, 0x1000, PRAM) },
	  0, 2, { E(0, 0x1000, PRAM), E(0x1000, 0x1000, PRAM) } },
	{ __LINE__, 2, { E(0, 0x1000, SOFT), E(0x1000, 0x1000, SOFT) },
	  0, 2, { E(0, 0x1000, SOFT), E(0x1000, 0x1000, SOFT) } },
	/* PRAM splits at every change point, even of lower types below it */
	{ __LINE__, 2, { E(0x1000, 0x4000, PRAM), E(0x2000, 0x1000, RAM) },
	  0, 3, { E(0x1000, 0x1000, PRAM), E(0x2000, 0x1000, PRAM), E(0x3000, 0x2000, PRAM) } },
	{ __LINE__, 3, { E(0x1000, 0x4000, PRAM), E(0, 0x3000, RAM), E(0x4000, 0x4000, RES) },
	  0, 5, { E(0, 0x1000, RAM), E(0x1000, 0x2000, PRAM), E(0x3000, 0x1000, PRAM),
		  E(0x4000, 0x1000, PRAM), E(0x5000, 0x3000, RES) } },
	{ __LINE__, 2, { E(0, 0x3000, PRAM), E(0x1000, 0x3000, PRAM) },
	  0, 3, { E(0, 0x1000, PRAM), E(0x1000, 0x2000, PRAM), E(0x3000, 0x1000, PRAM) } },
	{ __LINE__, 2, { E(0x1000, 0x4000, SOFT), E(0x2000, 0x1000, ACPI) },
	  0, 3, { E(0x1000, 0x1000, SOFT), E(0x2000, 0x1000, SOFT), E(0x3000, 0x2000, SOFT) } },
	/* A zero-size entry is no change point */
	{ __LINE__, 2, { E(0x1000, 0x4000, PRAM), E(0x2000, 0, RAM) },
	  0, 1, { E(0x1000, 0x4000, PRAM) } },
	/* A higher type over PRAM: PRAM around it, unmerged */
	{ __LINE__, 2, { E(0, 0x3000, PRAM), E(0x1000, 0x1000, SOFT) },
	  0, 3, { E(0, 0x1000, PRAM), E(0x1000, 0x1000, SOFT), E(0x2000, 0x1000, PRAM) } },
	/* 128 (usable to Linux) is not 1: separate, and 128 > 1 wins */
	{ __LINE__, 2, { E(0, 0x4000, RAM), E(0x2000, 0x4000, KERN) },
	  0, 2, { E(0, 0x2000, RAM), E(0x2000, 0x4000, KERN) } },
	{ __LINE__, 2, { E(0, 0x1000, RAM), E(0x1000, 0x1000, KERN) },
	  0, 2, { E(0, 0x1000, RAM), E(0x1000, 0x1000, KERN) } },
	{ __LINE__, 2, { E(0x1000, 0x1000, KERN), E(0, 0x4000, RAM) },
	  0, 3, { E(0, 0x1000, RAM), E(0x1000, 0x1000, KERN), E(0x2000, 0x2000, RAM) } },
	/* Soft reserved is the highest type of the usual set */
	{ __LINE__, 2, { E(0, 0x4000, SOFT), E(0x1000, 0x1000, KERN) },
	  0, 3, { E(0, 0x1000, SOFT), E(0x1000, 0x1000, SOFT), E(0x2000, 0x2000, SOFT) } },
	{ __LINE__, 2, { E(0, 0x4000, SOFT), E(0x1000, 0x1000, 0xffffffff) },
	  0, 3, { E(0, 0x1000, SOFT), E(0x1000, 0x1000, 0xffffffff), E(0x2000, 0x2000, SOFT) } },
	/* Type 0 is no memory: a hole under anything else */
	{ __LINE__, 2, { E(0, 0x2000, RAM), E(0x1000, 0x2000, 0) },
	  0, 1, { E(0, 0x2000, RAM) } },
	/* Unsorted input, gaps kept */
	{ __LINE__, 4, { E(0x5000, 0x1000, RES), E(0, 0x1000, RAM), E(0x2000, 0x1000, ACPI),
			 E(0x9000, 0x1000, NVS) },
	  0, 4, { E(0, 0x1000, RAM), E(0x2000, 0x1000, ACPI), E(0x5000, 0x1000, RES),
		  E(0x9000, 0x1000, NVS) } },
	/* The top of the address space: ending at 2^64-1 is fine */
	{ __LINE__, 2, { E(TOP4K, 0xfff, RAM), E(0, 0x1000, RAM) },
	  0, 2, { E(0, 0x1000, RAM), E(TOP4K, 0xfff, RAM) } },
	{ __LINE__, 1, { E(0, UINT64_MAX, RAM) }, 0, 1, { E(0, UINT64_MAX, RAM) } },
	{ __LINE__, 2, { E(0, UINT64_MAX, RAM), E(TOP4K, 0xfff, RES) },
	  0, 2, { E(0, TOP4K, RAM), E(TOP4K, 0xfff, RES) } },
	/* Ending exactly at 2^64, or wrapping: refused, table unchanged */
	{ __LINE__, 1, { E(TOP4K, 0x1000, RAM) }, -MM_ERANGE, 1, { E(TOP4K, 0x1000, RAM) } },
	{ __LINE__, 2, { E(0x2000, 0x1000, RAM), E(TOP4K, 0x1000, RES) },
	  -MM_ERANGE, 2, { E(0x2000, 0x1000, RAM), E(TOP4K, 0x1000, RES) } },
	{ __LINE__, 2, { E(0x1000, 0x1000, RAM), E(TOP4K, 0x2000, RAM) },
	  -MM_ERANGE, 2, { E(0x1000, 0x1000, RAM), E(TOP4K, 0x2000, RAM) } },
	{ __LINE__, 1, { E(1, UINT64_MAX, RAM) }, -MM_ERANGE, 1, { E(1, UINT64_MAX, RAM) } },
};

START_TEST(test_sanitize)
{
	int line = san_rows[_i].line;
	struct e820_table t;
	int rc;

	e820_table_init(&t, TEST_ALLOC);
	table_set(&t, san_rows[_i].in, san_rows[_i].nin);
	rc = e820_sanitize(&t);
	ck_assert_msg(rc == san_rows[_i].rc, "line %d: returned %d, want %d",
		      line, rc, san_rows[_i].rc);
	ck_assert_table(line, &t, san_rows[_i].out, san_rows[_i].nout);

	/* Sanitizing again changes nothing */
	rc = e820_sanitize(&t);
	ck_assert_msg(rc == san_rows[_i].rc, "line %d: second run %d", line, rc);
	ck_assert_table(line, &t, san_rows[_i].out, san_rows[_i].nout);

	/* A sanitized table can still grow */
	if (!san_rows[_i].rc) {
		ck_assert_int_eq(e820_range_add(&t, 0x100000, 0x1000, RES), 0);
		ck_assert_uint_eq(t.nr, san_rows[_i].nout + 1);
	}
	e820_table_free(&t);
}
END_TEST

/* Every allocation of sanitize failing in turn: table left as it was */
START_TEST(test_sanitize_enomem)
{
	static const struct e820_entry in[] = {
		E(0x1000, 0x4000, PRAM), E(0x2000, 0x1000, RAM), E(0, 0x10000, RAM),
		E(0x8000, 0x1000, RES),
	};
	static const struct e820_entry out[] = {
		E(0, 0x1000, RAM), E(0x1000, 0x1000, PRAM), E(0x2000, 0x1000, PRAM),
		E(0x3000, 0x2000, PRAM), E(0x5000, 0x3000, RAM), E(0x8000, 0x1000, RES),
		E(0x9000, 0x7000, RAM),
	};
	struct fail_alloc_ctx ctx = { .left = 100 };
	const struct mm_alloc fa = { fail_realloc, &ctx };
	struct e820_table t;
	long n;
	int rc;

	e820_table_init(&t, &fa);
	for (n = 0;; n++) {
		ctx.left = 100;
		table_set(&t, in, ARRAY_SIZE(in));
		ctx.left = n;
		rc = e820_sanitize(&t);
		if (!rc)
			break;
		ck_assert_msg(rc == -MM_ENOMEM, "after %ld allocations: %d", n, rc);
		ck_assert_table(__LINE__, &t, in, ARRAY_SIZE(in));
		ck_assert_int_lt(n, 50);
	}
	ck_assert_table(__LINE__, &t, out, ARRAY_SIZE(out));
	e820_table_free(&t);
}
END_TEST

/* ---- update and remove act on entries ----------------------------------- */

enum { OP_UPDATE, OP_REMOVE };

static const struct {
	int line;
	size_t nin;
	struct e820_entry in[MAXE];
	int op;
	uint64_t start, size;
	uint32_t old_type, new_type;	/* remove: new_type 1 = check_type */
	int rc;
	size_t nraw;
	struct e820_entry raw[MAXE];	/* right after the operation */
	size_t nout;
	struct e820_entry out[MAXE];	/* after sanitize */
} upd_rows[] = {
	/* 3 -> 1 where a 2 and a 3 overlap: the 2 is still there */
	{ __LINE__, 2, { E(0x1000, 0x2000, RES), E(0x1000, 0x2000, ACPI) },
	  OP_UPDATE, 0x1000, 0x2000, ACPI, RAM, 0,
	  2, { E(0x1000, 0x2000, RES), E(0x1000, 0x2000, RAM) },
	  1, { E(0x1000, 0x2000, RES) } },
	{ __LINE__, 3, { E(0, 0x10000, RAM), E(0x4000, 0x4000, RES), E(0x2000, 0x8000, ACPI) },
	  OP_UPDATE, 0, 0x10000, ACPI, RAM, 0,
	  3, { E(0, 0x10000, RAM), E(0x4000, 0x4000, RES), E(0x2000, 0x8000, RAM) },
	  3, { E(0, 0x4000, RAM), E(0x4000, 0x4000, RES), E(0x8000, 0x8000, RAM) } },
	/* old == new, and new 0: refused, nothing changed */
	{ __LINE__, 1, { E(0, 0x1000, RAM) }, OP_UPDATE, 0, 0x1000, RAM, RAM, -MM_EINVAL,
	  1, { E(0, 0x1000, RAM) }, 1, { E(0, 0x1000, RAM) } },
	{ __LINE__, 1, { E(0, 0x1000, RAM) }, OP_UPDATE, 0, 0x1000, RAM, 0, -MM_EINVAL,
	  1, { E(0, 0x1000, RAM) }, 1, { E(0, 0x1000, RAM) } },
	/* Whole entry: retyped in place */
	{ __LINE__, 2, { E(0, 0x1000, RAM), E(0x1000, 0x1000, RAM) },
	  OP_UPDATE, 0, 0x2000, RAM, RES, 0,
	  2, { E(0, 0x1000, RES), E(0x1000, 0x1000, RES) }, 1, { E(0, 0x2000, RES) } },
	/* Strictly inside: head kept, new piece, then tail appended */
	{ __LINE__, 1, { E(0, 0x10000, RAM) }, OP_UPDATE, 0x4000, 0x4000, RAM, RES, 0,
	  3, { E(0, 0x4000, RAM), E(0x4000, 0x4000, RES), E(0x8000, 0x8000, RAM) },
	  3, { E(0, 0x4000, RAM), E(0x4000, 0x4000, RES), E(0x8000, 0x8000, RAM) } },
	/* Covering the head, then the tail */
	{ __LINE__, 1, { E(0x4000, 0x4000, RAM) }, OP_UPDATE, 0x2000, 0x4000, RAM, RES, 0,
	  2, { E(0x6000, 0x2000, RAM), E(0x4000, 0x2000, RES) },
	  2, { E(0x4000, 0x2000, RES), E(0x6000, 0x2000, RAM) } },
	{ __LINE__, 1, { E(0x4000, 0x4000, RAM) }, OP_UPDATE, 0x6000, 0x4000, RAM, RES, 0,
	  2, { E(0x4000, 0x2000, RAM), E(0x6000, 0x2000, RES) },
	  2, { E(0x4000, 0x2000, RAM), E(0x6000, 0x2000, RES) } },
	/* Other types and ranges outside are untouched */
	{ __LINE__, 2, { E(0, 0x1000, RES), E(0x2000, 0x1000, RAM) },
	  OP_UPDATE, 0, 0x2000, RAM, ACPI, 0,
	  2, { E(0, 0x1000, RES), E(0x2000, 0x1000, RAM) },
	  2, { E(0, 0x1000, RES), E(0x2000, 0x1000, RAM) } },
	/* A size past 2^64 is clamped to end at 2^64-1 */
	{ __LINE__, 1, { E(0, 0x10000, RAM) }, OP_UPDATE, 0x8000, UINT64_MAX, RAM, RES, 0,
	  2, { E(0, 0x8000, RAM), E(0x8000, 0x8000, RES) },
	  2, { E(0, 0x8000, RAM), E(0x8000, 0x8000, RES) } },
	{ __LINE__, 1, { E(TOP4K, 0xfff, RAM) }, OP_UPDATE, TOP4K, 0x1000, RAM, RES, 0,
	  1, { E(TOP4K, 0xfff, RES) }, 1, { E(TOP4K, 0xfff, RES) } },
	/* Typed remove leaves the other types */
	{ __LINE__, 2, { E(0, 0x4000, RAM), E(0x1000, 0x1000, RES) },
	  OP_REMOVE, 0, 0x4000, RAM, 1, 0,
	  2, { E(0, 0, 0), E(0x1000, 0x1000, RES) }, 1, { E(0x1000, 0x1000, RES) } },
	/* Remove of any type takes everything in the range */
	{ __LINE__, 3, { E(0, 0x4000, RAM), E(0x1000, 0x1000, RES), E(0x2000, 0x4000, ACPI) },
	  OP_REMOVE, 0x1000, 0x2000, 0, 0, 0,
	  4, { E(0, 0x1000, RAM), E(0, 0, 0), E(0x3000, 0x3000, ACPI), E(0x3000, 0x1000, RAM) },
	  2, { E(0, 0x1000, RAM), E(0x3000, 0x3000, ACPI) } },
	/* Remove strictly inside: head kept, tail appended */
	{ __LINE__, 1, { E(0, 0x10000, RAM) }, OP_REMOVE, 0x4000, 0x4000, RAM, 1, 0,
	  2, { E(0, 0x4000, RAM), E(0x8000, 0x8000, RAM) },
	  2, { E(0, 0x4000, RAM), E(0x8000, 0x8000, RAM) } },
	/* Remove acts on the entries of the type, not on the winner */
	{ __LINE__, 2, { E(0, 0x4000, RES), E(0, 0x4000, RAM) },
	  OP_REMOVE, 0, 0x4000, RES, 1, 0,
	  2, { E(0, 0, 0), E(0, 0x4000, RAM) }, 1, { E(0, 0x4000, RAM) } },
	/* mem=: usable memory from the limit up goes, to 2^64-1 */
	{ __LINE__, 3, { E(0, 0x9f000, RAM), E(0x100000, 0x7ff00000, RAM),
			 E(0x100000000, 0x80000000, RAM) },
	  OP_REMOVE, 0x40000000, UINT64_MAX - 0x40000000, RAM, 1, 0,
	  3, { E(0, 0x9f000, RAM), E(0x100000, 0x3ff00000, RAM), E(0, 0, 0) },
	  2, { E(0, 0x9f000, RAM), E(0x100000, 0x3ff00000, RAM) } },
	/* An empty range strictly inside an entry splits it, as in Linux */
	{ __LINE__, 1, { E(0x1000, 0x4000, PRAM) }, OP_UPDATE, 0x2000, 0, PRAM, RES, 0,
	  3, { E(0x1000, 0x1000, PRAM), E(0x2000, 0, RES), E(0x2000, 0x3000, PRAM) },
	  2, { E(0x1000, 0x1000, PRAM), E(0x2000, 0x3000, PRAM) } },
	{ __LINE__, 1, { E(0x1000, 0x4000, PRAM) }, OP_REMOVE, 0x2000, 0, 0, 0, 0,
	  2, { E(0x1000, 0x1000, PRAM), E(0x2000, 0x3000, PRAM) },
	  2, { E(0x1000, 0x1000, PRAM), E(0x2000, 0x3000, PRAM) } },
	/* Removing nothing */
	{ __LINE__, 1, { E(0x1000, 0x1000, RAM) }, OP_REMOVE, 0x1000, 0, 0, 0, 0,
	  1, { E(0x1000, 0x1000, RAM) }, 1, { E(0x1000, 0x1000, RAM) } },
};

START_TEST(test_update_remove)
{
	int line = upd_rows[_i].line;
	struct e820_table t;
	int rc;

	e820_table_init(&t, TEST_ALLOC);
	table_set(&t, upd_rows[_i].in, upd_rows[_i].nin);
	if (upd_rows[_i].op == OP_UPDATE)
		rc = e820_range_update(&t, upd_rows[_i].start, upd_rows[_i].size,
				       upd_rows[_i].old_type, upd_rows[_i].new_type);
	else
		rc = e820_range_remove(&t, upd_rows[_i].start, upd_rows[_i].size,
				       upd_rows[_i].old_type, upd_rows[_i].new_type);
	ck_assert_msg(rc == upd_rows[_i].rc, "line %d: returned %d, want %d",
		      line, rc, upd_rows[_i].rc);
	ck_assert_table(line, &t, upd_rows[_i].raw, upd_rows[_i].nraw);
	ck_assert_int_eq(e820_sanitize(&t), 0);
	ck_assert_table(line, &t, upd_rows[_i].out, upd_rows[_i].nout);
	e820_table_free(&t);
}
END_TEST

/* ---- type words ----------------------------------------------------------- */

static const struct {
	int line;
	uint32_t type;
	const char *word;
	uint32_t parsed;	/* what the word reads back as */
} type_rows[] = {
	{ __LINE__, 1, "usable", 1 },
	{ __LINE__, 128, "usable", 1 },
	{ __LINE__, 2, "reserved", 2 },
	{ __LINE__, 3, "ACPI data", 3 },
	{ __LINE__, 4, "ACPI NVS", 4 },
	{ __LINE__, 5, "unusable", 5 },
	{ __LINE__, 7, "persistent (type 7)", 7 },
	{ __LINE__, 12, "persistent (type 12)", 12 },
	{ __LINE__, 0xefffffff, "soft reserved", 0xefffffff },
	{ __LINE__, 0, "type 0", 0 },
	{ __LINE__, 6, "type 6", 6 },
	{ __LINE__, 13, "type 13", 13 },
	{ __LINE__, 0xffffffff, "type 4294967295", 0xffffffff },
};

START_TEST(test_type_words)
{
	struct mm_buf b;
	uint32_t type = 0x55;

	mm_buf_init(&b, TEST_ALLOC);
	e820_type_print(&b, type_rows[_i].type);
	ck_assert_msg(b.s && !strcmp(b.s, type_rows[_i].word),
		      "line %d: \"%s\", want \"%s\"", type_rows[_i].line,
		      b.s ? b.s : "", type_rows[_i].word);
	ck_assert_msg(e820_type_parse(b.s, b.len, &type) == 0 &&
		      type == type_rows[_i].parsed,
		      "line %d: \"%s\" read back as %#x", type_rows[_i].line,
		      b.s, (unsigned)type);
	mm_buf_free(&b);
}
END_TEST

static const struct {
	int line;
	const char *text;
} bad_type_rows[] = {
	{ __LINE__, "" },
	{ __LINE__, "Usable" },
	{ __LINE__, "usable " },
	{ __LINE__, "type " },
	{ __LINE__, "type x" },
	{ __LINE__, "type 4294967296" },
	{ __LINE__, "type -1" },
	{ __LINE__, "persistent (type )" },
	{ __LINE__, "persistent (type 12" },
	{ __LINE__, "reserve" },
};

START_TEST(test_bad_type_words)
{
	uint32_t type;
	const char *s = bad_type_rows[_i].text;

	ck_assert_msg(e820_type_parse(s, strlen(s), &type) == -MM_EINVAL,
		      "line %d: \"%s\" accepted", bad_type_rows[_i].line, s);
}
END_TEST

/* e820_print: Linux's line format, the last byte inclusive */
START_TEST(test_print)
{
	static const struct e820_entry in[] = {
		E(0, 0x9f000, RAM), E(0x9f000, 0x61000, RES),
		E(0x7e000000, 0xc00000, PRAM), E(TOP4K, 0xfff, SOFT),
	};
	static const char want[] =
		"user: [mem 0x0000000000000000-0x000000000009efff] usable\n"
		"user: [mem 0x000000000009f000-0x00000000000fffff] reserved\n"
		"user: [mem 0x000000007e000000-0x000000007ebfffff] persistent (type 12)\n"
		"user: [mem 0xfffffffffffff000-0xfffffffffffffffe] soft reserved\n";
	struct e820_table t;
	struct mm_buf b;

	e820_table_init(&t, TEST_ALLOC);
	table_set(&t, in, ARRAY_SIZE(in));
	mm_buf_init(&b, TEST_ALLOC);
	e820_print(&b, "user", &t);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_str_eq(b.s, want);
	mm_buf_free(&b);
	e820_table_free(&t);
}
END_TEST

/* e820_table_copy replaces the destination's entries */
START_TEST(test_copy)
{
	static const struct e820_entry a[] = { E(0, 0x1000, RAM), E(0x2000, 0x1000, RES) };
	static const struct e820_entry b[] = { E(0x5000, 0x1000, ACPI) };
	struct e820_table x, y;

	e820_table_init(&x, TEST_ALLOC);
	e820_table_init(&y, TEST_ALLOC);
	table_set(&x, a, ARRAY_SIZE(a));
	table_set(&y, b, ARRAY_SIZE(b));
	ck_assert_int_eq(e820_table_copy(&y, &x), 0);
	ck_assert_table(__LINE__, &y, a, ARRAY_SIZE(a));
	x.nr = 0;
	ck_assert_int_eq(e820_table_copy(&y, &x), 0);
	ck_assert_uint_eq(y.nr, 0);
	e820_table_free(&x);
	e820_table_free(&y);
}
END_TEST

/* No fixed limit: thousands of entries in and out */
START_TEST(test_sanitize_many)
{
	struct e820_table t;
	size_t k;

	e820_table_init(&t, TEST_ALLOC);
	for (k = 0; k < 5000; k++)
		ck_assert_int_eq(e820_range_add(&t, 0x2000 * (4999 - k), 0x1000,
						k % 2 ? RES : RAM), 0);
	ck_assert_int_eq(e820_sanitize(&t), 0);
	ck_assert_uint_eq(t.nr, 5000);
	for (k = 0; k < 5000; k++)
		ck_assert_msg(t.entries[k].addr == 0x2000 * k &&
			      t.entries[k].size == 0x1000 &&
			      t.entries[k].type == ((4999 - k) % 2 ? RES : RAM),
			      "entry %zu wrong", k);

	/* Adjacent RAM collapses to one entry; adjacent PRAM stays apart */
	t.nr = 0;
	for (k = 0; k < 5000; k++)
		ck_assert_int_eq(e820_range_add(&t, 0x1000 * k, 0x1000, RAM), 0);
	ck_assert_int_eq(e820_sanitize(&t), 0);
	ck_assert_table(__LINE__, &t, (&(struct e820_entry)E(0, 5000 * 0x1000, RAM)), 1);
	t.nr = 0;
	for (k = 0; k < 5000; k++)
		ck_assert_int_eq(e820_range_add(&t, 0x1000 * k, 0x1000, PRAM), 0);
	ck_assert_int_eq(e820_sanitize(&t), 0);
	ck_assert_uint_eq(t.nr, 5000);
	e820_table_free(&t);
}
END_TEST

Suite *sanitize_suite(void)
{
	Suite *s = suite_create("sanitize");
	TCase *tc;

	tc = tcase_create("sanitize");
	tcase_add_loop_test(tc, test_sanitize, 0, ARRAY_SIZE(san_rows));
	tcase_add_test(tc, test_sanitize_enomem);
	tcase_add_test(tc, test_sanitize_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("update_remove");
	tcase_add_loop_test(tc, test_update_remove, 0, ARRAY_SIZE(upd_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("types");
	tcase_add_loop_test(tc, test_type_words, 0, ARRAY_SIZE(type_rows));
	tcase_add_loop_test(tc, test_bad_type_words, 0, ARRAY_SIZE(bad_type_rows));
	tcase_add_test(tc, test_print);
	tcase_add_test(tc, test_copy);
	suite_add_tcase(s, tc);
	return s;
}
