/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline_apply() and cmdline_rewrite() on a small fixed map, sticky
 * placement, and the named-region registry behind memmap_named().
 */
#include "tests.h"

#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED
#define MiB (1ULL << 20)

/* The firmware map: RAM below 636K and from 1M to 0x7ec00000 */
static const struct e820_entry fw_map[] = {
	E(0, 0x9f000, RAM), E(0x9f000, 0x61000, RES),
	E(0x100000, 0x7eb00000, RAM), E(0x7ec00000, 0x1400000, RES),
};

#define FW_LOW E(0, 0x9f000, RAM), E(0x9f000, 0x61000, RES)

struct named {
	const char *name;
	uint64_t start, size;
};

#define MAXE 8
#define MAXN 3

struct apply_row {
	int line;
	const char *cmd;
	int rc;
	const char *word;		/* on error: the word named */
	size_t nout;
	struct e820_entry out[MAXE];
	size_t nnamed;
	struct named named[MAXN];
};

static const struct apply_row apply_rows[] = {
	/* Nothing to do */
	{ __LINE__, "", 0, NULL, 4, { FW_LOW, E(0x100000, 0x7eb00000, RAM),
				      E(0x7ec00000, 0x1400000, RES) }, 0, { { 0 } } },
	/* Top-down, reserved, recorded */
	{ __LINE__, "memmap=12M*4096:oops ramoops.mem_name=oops", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7df00000, RAM), E(0x7e000000, 0x2000000, RES) },
	  1, { { "oops", 0x7e000000, 12 * MiB } } },
	{ __LINE__, "reserve_mem=12M:4096:oops ramoops.mem_name=oops", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7df00000, RAM), E(0x7e000000, 0x2000000, RES) },
	  1, { { "oops", 0x7e000000, 12 * MiB } } },
	/* A later fixed reservation is honoured before placement */
	{ __LINE__, "memmap=12M*4096:oops memmap=1M$0x7eb00000", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7de00000, RAM), E(0x7df00000, 0x2100000, RES) },
	  1, { { "oops", 0x7df00000, 12 * MiB } } },
	/* In command-line order, not overlapping */
	{ __LINE__, "memmap=12M*4096:a reserve_mem=4M:4096:b", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7db00000, RAM), E(0x7dc00000, 0x2400000, RES) },
	  2, { { "a", 0x7e000000, 12 * MiB }, { "b", 0x7dc00000, 4 * MiB } } },
	{ __LINE__, "reserve_mem=4M:4096:b memmap=12M*4096:a", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7db00000, RAM), E(0x7dc00000, 0x2400000, RES) },
	  2, { { "b", 0x7e800000, 4 * MiB }, { "a", 0x7dc00000, 12 * MiB } } },
	{ __LINE__, "memmap=4K*4K:a,4K*4K:b,4K*4K:c", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7eafd000, RAM), E(0x7ebfd000, 0x1403000, RES) },
	  3, { { "a", 0x7ebff000, 4096 }, { "b", 0x7ebfe000, 4096 },
	       { "c", 0x7ebfd000, 4096 } } },
	/* Alignment */
	{ __LINE__, "memmap=12M*256M:oops", 0, NULL,
	  6, { FW_LOW, E(0x100000, 0x6ff00000, RAM), E(0x70000000, 0xc00000, RES),
	       E(0x70c00000, 0xe000000, RAM), E(0x7ec00000, 0x1400000, RES) },
	  1, { { "oops", 0x70000000, 12 * MiB } } },
	/* mem= first limits where it can go */
	{ __LINE__, "memmap=12M*4096:oops mem=1G", 0, NULL,
	  5, { FW_LOW, E(0x100000, 0x3f300000, RAM), E(0x3f400000, 0xc00000, RES),
	       E(0x7ec00000, 0x1400000, RES) },
	  1, { { "oops", 0x3f400000, 12 * MiB } } },
	/* exactmap, then a region in the new map */
	{ __LINE__, "memmap=exactmap,640K@0,1G@1M memmap=12M*4096:oops", 0, NULL,
	  3, { E(0, 0xa0000, RAM), E(0x100000, 0x3f400000, RAM), E(0x3f500000, 0xc00000, RES) },
	  1, { { "oops", 0x3f500000, 12 * MiB } } },
	{ __LINE__, "memmap=exactmap memmap=640K@0 memmap=1G@1M", 0, NULL,
	  2, { E(0, 0xa0000, RAM), E(0x100000, 0x40000000, RAM) }, 0, { { 0 } } },
	/* Fixed options alone */
	{ __LINE__, "memmap=16M%0x10000000-1+2 memmap=1M!0x20000000", 0, NULL,
	  8, { FW_LOW, E(0x100000, 0xff00000, RAM), E(0x10000000, 0x1000000, RES),
	       E(0x11000000, 0xf000000, RAM), E(0x20000000, 0x100000, E820_TYPE_PRAM),
	       E(0x20100000, 0x5eb00000, RAM), E(0x7ec00000, 0x1400000, RES) }, 0, { { 0 } } },
	/* Words after "--" are init's */
	{ __LINE__, "-- memmap=12M*4096:oops", 0, NULL,
	  4, { FW_LOW, E(0x100000, 0x7eb00000, RAM), E(0x7ec00000, 0x1400000, RES) },
	  0, { { 0 } } },
	/* Does not fit: -MM_ENOSPC naming the word */
	{ __LINE__, "quiet memmap=4G*4096:big", -MM_ENOSPC, "memmap=4G*4096:big",
	  0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=1G*4096:a memmap=1G*4096:b", -MM_ENOSPC, "memmap=1G*4096:b",
	  0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=4K*4K:a,1G*1G:b", -MM_ENOSPC, "memmap=4K*4K:a,1G*1G:b",
	  0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=0x7eb00000%0x100000-1+2 reserve_mem=12M:0:oops", -MM_ENOSPC,
	  "reserve_mem=12M:0:oops", 0, { { 0 } }, 0, { { 0 } } },
	/* exactmap leaving fewer than two entries: the exactmap word */
	{ __LINE__, "memmap=exactmap", -MM_EINVAL, "memmap=exactmap",
	  0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=exactmap memmap=1M@0", -MM_EINVAL, "memmap=exactmap",
	  0, { { 0 } }, 0, { { 0 } } },
	/* The two-entry rule holds for the map the kernel gets, placed
	 * regions included (issue 10): 256M of RAM and x at its top */
	{ __LINE__, "memmap=exactmap,256M@0 memmap=16M*16M:x", 0, NULL,
	  2, { E(0, 0xf000000, RAM), E(0xf000000, 0x1000000, RES) },
	  1, { { "x", 0xf000000, 16 * MiB } } },
	{ __LINE__, "memmap=exactmap,16M*16M:x,256M@0", 0, NULL,
	  2, { E(0, 0xf000000, RAM), E(0xf000000, 0x1000000, RES) },
	  1, { { "x", 0xf000000, 16 * MiB } } },
	{ __LINE__, "memmap=exactmap,1M@0 memmap=4K*4K:x", 0, NULL,
	  2, { E(0, 0xff000, RAM), E(0xff000, 0x1000, RES) },
	  1, { { "x", 0xff000, 4096 } } },
	{ __LINE__, "quiet memmap=exactmap,1M@0 memmap=12M*4096:x", -MM_ENOSPC,
	  "memmap=12M*4096:x", 0, { { 0 } }, 0, { { 0 } } },
	/* A word the kernel applies after the placed region's would undo it:
	 * exactmap (then one entry: the count names exactmap), a % retyping
	 * reserved memory */
	{ __LINE__, "memmap=4K*4K:x memmap=exactmap memmap=1M@0", -MM_EINVAL,
	  "memmap=exactmap", 0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=4K*4K:x memmap=exactmap memmap=256M@0,1M$0x20000000", -MM_EINVAL,
	  "memmap=4K*4K:x", 0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=12M*4096:x memmap=0x80000000%0-2+1", -MM_EINVAL,
	  "memmap=12M*4096:x", 0, { { 0 } }, 0, { { 0 } } },
	{ __LINE__, "memmap=0x80000000%0-2+1 memmap=12M*4096:x", 0, NULL,
	  2, { E(0, 0x7f400000, RAM), E(0x7f400000, 12 * MiB, RES) },
	  1, { { "x", 0x7f400000, 12 * MiB } } },
};

static void fw_init(struct e820_table *fw)
{
	e820_table_init(fw, TEST_ALLOC);
	table_set(fw, fw_map, ARRAY_SIZE(fw_map));
}

static void parse_ok(int line, const char *cmd, struct cmdline_plan *plan)
{
	struct cmdline_error err = { 0 };
	int rc = cmdline_parse(cmd, strlen(cmd), TEST_ALLOC, plan, &err);

	ck_assert_msg(rc == 0, "line %d: \"%s\" refused (%d): %.*s: %s", line,
		      cmd, rc, (int)err.word_len, err.word ? err.word : "",
		      err.reason ? err.reason : "");
}

static void check_named(int line, const struct memmap_registry *reg,
			const struct named *want, size_t n)
{
	size_t k;

	ck_assert_msg(reg->nr == n, "line %d: %zu regions, want %zu", line,
		      reg->nr, n);
	for (k = 0; k < n; k++)
		ck_assert_msg(!strcmp(reg->r[k].name, want[k].name) &&
			      reg->r[k].start == want[k].start &&
			      reg->r[k].size == want[k].size,
			      "line %d: region %zu is %s %#llx+%#llx, want %s "
			      "%#llx+%#llx", line, k, reg->r[k].name,
			      (unsigned long long)reg->r[k].start,
			      (unsigned long long)reg->r[k].size, want[k].name,
			      (unsigned long long)want[k].start,
			      (unsigned long long)want[k].size);
}

/* Placed regions overlap no other and lie in reserved memory of @t */
static void check_reserved(int line, const struct memmap_registry *reg,
			   const struct e820_table *t)
{
	size_t k, j;

	for (k = 0; k < reg->nr; k++) {
		const struct memmap_region *a = &reg->r[k];

		for (j = 0; j < k; j++)
			ck_assert_msg(a->start >= reg->r[j].start + reg->r[j].size ||
				      reg->r[j].start >= a->start + a->size,
				      "line %d: %s overlaps %s", line, a->name,
				      reg->r[j].name);
		for (j = 0; j < t->nr; j++)
			if (t->entries[j].addr <= a->start &&
			    t->entries[j].size >= a->size &&
			    a->start - t->entries[j].addr <=
			    t->entries[j].size - a->size)
				break;
		ck_assert_msg(j < t->nr && t->entries[j].type == RES,
			      "line %d: %s is not inside one reserved entry",
			      line, a->name);
	}
}

START_TEST(test_apply)
{
	const struct apply_row *r = &apply_rows[_i];
	struct e820_table fw, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };
	int rc;

	fw_init(&fw);
	e820_table_init(&result, TEST_ALLOC);
	memmap_registry_init(&reg, TEST_ALLOC);
	parse_ok(r->line, r->cmd, &plan);

	rc = cmdline_apply(&plan, &fw, NULL, &result, &reg, &err);
	ck_assert_msg(rc == r->rc, "line %d: returned %d, want %d", r->line, rc,
		      r->rc);
	ck_assert_table(r->line, &fw, fw_map, ARRAY_SIZE(fw_map));
	if (rc) {
		ck_assert_msg(err.word && err.word_len == strlen(r->word) &&
			      !memcmp(err.word, r->word, err.word_len),
			      "line %d: named \"%.*s\", want \"%s\"", r->line,
			      (int)err.word_len, err.word ? err.word : "", r->word);
		ck_assert_msg(err.word >= r->cmd &&
			      err.word + err.word_len <= r->cmd + strlen(r->cmd),
			      "line %d: the word does not point into the line", r->line);
		ck_assert_msg(err.reason && *err.reason, "line %d: no reason", r->line);
		ck_assert_msg(reg.nr == 0, "line %d: registry changed on error", r->line);
	} else {
		ck_assert_table(r->line, &result, r->out, r->nout);
		check_named(r->line, &reg, r->named, r->nnamed);
		check_reserved(r->line, &reg, &result);
	}
	cmdline_plan_free(&plan);
	memmap_registry_free(&reg);
	e820_table_free(&result);
	e820_table_free(&fw);
}
END_TEST

/* Without exactmap, too few entries names the last fixed option */
START_TEST(test_apply_too_few)
{
	static const char cmd[] = "memmap=1M%0x100000-2 mem=1G quiet";
	static const struct e820_entry one[] = { E(0, 0x80000000, RAM) };
	struct e820_table fw, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };

	e820_table_init(&fw, TEST_ALLOC);
	e820_table_init(&result, TEST_ALLOC);
	memmap_registry_init(&reg, TEST_ALLOC);
	table_set(&fw, one, ARRAY_SIZE(one));
	parse_ok(__LINE__, cmd, &plan);
	ck_assert_int_eq(cmdline_apply(&plan, &fw, NULL, &result, &reg, &err),
			 -MM_EINVAL);
	ck_assert_ptr_eq(err.word, cmd + strlen("memmap=1M%0x100000-2 "));
	ck_assert_uint_eq(err.word_len, strlen("mem=1G"));
	cmdline_plan_free(&plan);
	memmap_registry_free(&reg);
	e820_table_free(&result);
	e820_table_free(&fw);
}
END_TEST

/* ---- the command line for a stock kernel ---------------------------------- */

static const struct {
	int line;
	const char *cmd;
} rewrite_rows[] = {
	{ __LINE__, "" },
	{ __LINE__, "quiet" },
	{ __LINE__, "memmap=12M*4096:oops ramoops.mem_name=oops" },
	{ __LINE__, "reserve_mem=12M:4096:oops ramoops.mem-name=oops" },
	{ __LINE__, "memmap=12M*4096:oops memmap=1M$0x7eb00000" },
	{ __LINE__, "memmap=12M*4096:a reserve_mem=4M:4096:b" },
	{ __LINE__, "\"quiet  splash\"  memmap=12M*4096:oops\tfoo=\"a b\" \"memmap=1M$0x1000000\"" },
	{ __LINE__, "\"memmap=12M*4096:oops\" \"ramoops.mem_name=oops\"" },
	{ __LINE__, "memmap=1M$0x1000000,12M*4096:oops,2M$0x2000000" },
	{ __LINE__, "memmap=4K*4K:a,4K*4K:b" },
	{ __LINE__, "memmap=exactmap,640K@0,1G@1M memmap=12M*4096:oops mem=2G" },
	{ __LINE__, "memmap=12M*4096:oops -- memmap=12M*4096:oops ramoops.mem_name=oops" },
	{ __LINE__, "ramoops.mem_name=oops ramoops.ecc=1 memmap=12M*256M:oops ramoops.record_size=0x4000" },
};

/* What each rewrite_rows line becomes, in the same order */
static const char *const rewrite_want[] = {
	"",
	"quiet",
	"memmap=0xc00000$0x7e000000 ramoops.mem_address=0x7e000000 ramoops.mem_size=0xc00000",
	"memmap=0xc00000$0x7e000000 ramoops.mem_address=0x7e000000 ramoops.mem_size=0xc00000",
	"memmap=0xc00000$0x7df00000 memmap=1M$0x7eb00000",
	"memmap=0xc00000$0x7e000000 memmap=0x400000$0x7dc00000",
	"\"quiet  splash\" memmap=0xc00000$0x7e000000 foo=\"a b\" \"memmap=1M$0x1000000\"",
	"memmap=0xc00000$0x7e000000 ramoops.mem_address=0x7e000000 ramoops.mem_size=0xc00000",
	"memmap=1M$0x1000000,0xc00000$0x7e000000,2M$0x2000000",
	"memmap=0x1000$0x7ebff000,0x1000$0x7ebfe000",
	"memmap=exactmap,640K@0,1G@1M memmap=0xc00000$0x3f500000 mem=2G",
	"memmap=0xc00000$0x7e000000 -- memmap=12M*4096:oops ramoops.mem_name=oops",
	"ramoops.mem_address=0x70000000 ramoops.mem_size=0xc00000 ramoops.ecc=1 "
	"memmap=0xc00000$0x70000000 ramoops.record_size=0x4000",
};

_Static_assert(ARRAY_SIZE(rewrite_rows) == ARRAY_SIZE(rewrite_want),
	       "rewrite_rows and rewrite_want must be parallel");

START_TEST(test_rewrite)
{
	int line = rewrite_rows[_i].line;
	struct e820_table fw, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };
	struct mm_buf out;

	fw_init(&fw);
	e820_table_init(&result, TEST_ALLOC);
	memmap_registry_init(&reg, TEST_ALLOC);
	mm_buf_init(&out, TEST_ALLOC);
	parse_ok(line, rewrite_rows[_i].cmd, &plan);
	ck_assert_msg(cmdline_apply(&plan, &fw, NULL, &result, &reg, &err) == 0,
		      "line %d: apply failed", line);
	ck_assert_msg(cmdline_rewrite(&plan, &reg, &out) == 0,
		      "line %d: rewrite failed", line);
	ck_assert_msg(!strcmp(out.s ? out.s : "", rewrite_want[_i]),
		      "line %d:\n got  \"%s\"\n want \"%s\"", line,
		      out.s ? out.s : "", rewrite_want[_i]);
	mm_buf_free(&out);
	cmdline_plan_free(&plan);
	memmap_registry_free(&reg);
	e820_table_free(&result);
	e820_table_free(&fw);
}
END_TEST

/* A name not in the registry: -MM_ENOENT */
START_TEST(test_rewrite_missing)
{
	static const char *const cmds[] = {
		"memmap=12M*4096:oops", "reserve_mem=12M:4096:oops",
		"memmap=12M*4096:oops ramoops.mem_name=oops",
	};
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct mm_buf out;
	size_t k;

	memmap_registry_init(&reg, TEST_ALLOC);
	for (k = 0; k < ARRAY_SIZE(cmds); k++) {
		mm_buf_init(&out, TEST_ALLOC);
		parse_ok(__LINE__, cmds[k], &plan);
		ck_assert_int_eq(cmdline_rewrite(&plan, &reg, &out), -MM_ENOENT);
		mm_buf_free(&out);
		cmdline_plan_free(&plan);
	}
}
END_TEST

/* ---- placement limits and sticky placement ---------------------------------- */

struct place_row {
	int line;
	const char *cmd;
	unsigned int flags;
	size_t nwithin;			/* 0: no within table */
	struct e820_entry within[2];
	size_t nsticky;
	struct named sticky[MAXN];
	int rc;
	size_t nnamed;
	struct named named[MAXN];
};

static const struct place_row place_rows[] = {
	{ __LINE__, "memmap=12M*4096:oops", E820_FIT_BOTTOM_UP, 0, { { 0 } }, 0, { { 0 } },
	  0, 1, { { "oops", 0x100000, 12 * MiB } } },
	{ __LINE__, "memmap=12M*4096:oops", 0, 1, { E(0x10000000, 0x10000000, RAM) },
	  0, { { 0 } }, 0, 1, { { "oops", 0x1f400000, 12 * MiB } } },
	{ __LINE__, "memmap=12M*4096:oops", 0, 1, { E(0x10000000, 0x800000, RAM) },
	  0, { { 0 } }, -MM_ENOSPC, 0, { { 0 } } },
	/* A remembered placement that still fits is reused */
	{ __LINE__, "memmap=12M*4096:oops", 0, 0, { { 0 } },
	  1, { { "oops", 0x10000000, 12 * MiB } },
	  0, 1, { { "oops", 0x10000000, 12 * MiB } } },
	{ __LINE__, "reserve_mem=12M:2M:oops", 0, 0, { { 0 } },
	  2, { { "other", 0x20000000, 12 * MiB }, { "oops", 0x10200000, 12 * MiB } },
	  0, 1, { { "oops", 0x10200000, 12 * MiB } } },
	/* ... and claimed before the others are placed */
	{ __LINE__, "memmap=4M*4096:a memmap=12M*4096:b", 0, 0, { { 0 } },
	  1, { { "b", 0x7e000000, 12 * MiB } },
	  0, 2, { { "b", 0x7e000000, 12 * MiB }, { "a", 0x7dc00000, 4 * MiB } } },
	{ __LINE__, "memmap=4M*4096:a memmap=12M*4096:b", 0, 0, { { 0 } },
	  2, { { "b", 0x7e000000, 12 * MiB }, { "a", 0x1000000, 4 * MiB } },
	  0, 2, { { "a", 0x1000000, 4 * MiB }, { "b", 0x7e000000, 12 * MiB } } },
	/* Ignored when the size differs */
	{ __LINE__, "memmap=12M*4096:oops", 0, 0, { { 0 } },
	  1, { { "oops", 0x10000000, 11 * MiB } },
	  0, 1, { { "oops", 0x7e000000, 12 * MiB } } },
	/* Ignored when misaligned for the alignment asked for now */
	{ __LINE__, "memmap=12M*2M:oops", 0, 0, { { 0 } },
	  1, { { "oops", 0x10001000, 12 * MiB } },
	  0, 1, { { "oops", 0x7e000000, 12 * MiB } } },
	{ __LINE__, "memmap=12M*2M:oops", 0, 0, { { 0 } },
	  1, { { "oops", 0x10100000, 12 * MiB } },
	  0, 1, { { "oops", 0x7e000000, 12 * MiB } } },
	/* Ignored when no longer free */
	{ __LINE__, "memmap=12M*4096:oops memmap=1M$0x10400000", 0, 0, { { 0 } },
	  1, { { "oops", 0x10000000, 12 * MiB } },
	  0, 1, { { "oops", 0x7e000000, 12 * MiB } } },
	{ __LINE__, "memmap=12M*4096:oops", 0, 0, { { 0 } },
	  1, { { "oops", 0x7e800000, 12 * MiB } },
	  0, 1, { { "oops", 0x7e000000, 12 * MiB } } },
	{ __LINE__, "memmap=12M*4096:oops", 0, 1, { E(0x20000000, 0x10000000, RAM) },
	  1, { { "oops", 0x10000000, 12 * MiB } },
	  0, 1, { { "oops", 0x2f400000, 12 * MiB } } },
	/* Two remembered regions that now overlap: the first wins */
	{ __LINE__, "memmap=12M*4096:a memmap=12M*4096:b", 0, 0, { { 0 } },
	  2, { { "a", 0x10000000, 12 * MiB }, { "b", 0x10400000, 12 * MiB } },
	  0, 2, { { "a", 0x10000000, 12 * MiB }, { "b", 0x7e000000, 12 * MiB } } },
};

START_TEST(test_place)
{
	const struct place_row *r = &place_rows[_i];
	struct e820_table fw, result, within;
	struct memmap_registry reg, sticky;
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };
	struct cmdline_place place = { 0 };
	size_t k;
	int rc;

	fw_init(&fw);
	e820_table_init(&result, TEST_ALLOC);
	e820_table_init(&within, TEST_ALLOC);
	memmap_registry_init(&reg, TEST_ALLOC);
	memmap_registry_init(&sticky, TEST_ALLOC);
	for (k = 0; k < r->nsticky; k++)
		ck_assert_int_eq(memmap_registry_add(&sticky, r->sticky[k].name,
						     r->sticky[k].start,
						     r->sticky[k].size), 0);
	table_set(&within, r->within, r->nwithin);
	place.fit_flags = r->flags;
	place.within = r->nwithin ? &within : NULL;
	place.sticky = r->nsticky ? &sticky : NULL;
	parse_ok(r->line, r->cmd, &plan);

	rc = cmdline_apply(&plan, &fw, &place, &result, &reg, &err);
	ck_assert_msg(rc == r->rc, "line %d: returned %d, want %d", r->line, rc,
		      r->rc);
	if (!rc)
		check_named(r->line, &reg, r->named, r->nnamed);
	cmdline_plan_free(&plan);
	memmap_registry_free(&sticky);
	memmap_registry_free(&reg);
	e820_table_free(&within);
	e820_table_free(&result);
	e820_table_free(&fw);
}
END_TEST

/* A name already in the caller's registry is refused, registry unchanged */
START_TEST(test_apply_name_taken)
{
	static const char cmd[] = "quiet memmap=12M*4096:oops";
	struct e820_table fw, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };

	fw_init(&fw);
	e820_table_init(&result, TEST_ALLOC);
	memmap_registry_init(&reg, TEST_ALLOC);
	ck_assert_int_eq(memmap_registry_add(&reg, "oops", 0x1000, 0x1000), 0);
	parse_ok(__LINE__, cmd, &plan);
	ck_assert_int_eq(cmdline_apply(&plan, &fw, NULL, &result, &reg, &err),
			 -MM_EINVAL);
	ck_assert_uint_eq(err.word_len, strlen("memmap=12M*4096:oops"));
	ck_assert_ptr_eq(err.word, cmd + 6);
	ck_assert_uint_eq(reg.nr, 1);
	ck_assert_uint_eq(reg.r[0].start, 0x1000);
	cmdline_plan_free(&plan);
	memmap_registry_free(&reg);
	e820_table_free(&result);
	e820_table_free(&fw);
}
END_TEST

/*
 * Every allocation failing in turn: cmdline_apply returns -MM_ENOMEM and,
 * as documented, leaves the caller's registry unchanged.  The registry
 * starts with 7 entries so adding the second placed region must grow it.
 */
START_TEST(test_apply_enomem)
{
	static const char cmd[] = "memmap=4K*4K:a memmap=4K*4K:b";
	struct fail_alloc_ctx ctx;
	const struct mm_alloc fa = { fail_realloc, &ctx };
	struct e820_table fw, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error err;
	size_t k, grown = 0;
	long n, bad = -1;
	char name[8];
	int rc;

	parse_ok(__LINE__, cmd, &plan);
	for (n = 0; n < 200; n++) {
		ctx.left = 1000;
		e820_table_init(&fw, &fa);
		e820_table_init(&result, &fa);
		memmap_registry_init(&reg, &fa);
		table_set(&fw, fw_map, ARRAY_SIZE(fw_map));
		for (k = 0; k < 7; k++) {
			snprintf(name, sizeof(name), "r%zu", k);
			ck_assert_int_eq(memmap_registry_add(&reg, name, k, 1), 0);
		}
		ctx.left = n;
		ctx.failed = 0;
		rc = cmdline_apply(&plan, &fw, NULL, &result, &reg, &err);
		ck_assert_msg(rc == 0 || rc == -MM_ENOMEM,
			      "after %ld allocations: %d", n, rc);
		if (rc && reg.nr != 7 && bad < 0) {
			bad = n;
			grown = reg.nr;
		}
		ck_assert_table(__LINE__, &fw, fw_map, ARRAY_SIZE(fw_map));
		memmap_registry_free(&reg);
		e820_table_free(&result);
		e820_table_free(&fw);
		if (!rc)
			break;
	}
	cmdline_plan_free(&plan);
	ck_assert_msg(n < 200, "never succeeded");
	/* Checked after cleaning up, so a failure leaks nothing */
	ck_assert_msg(bad < 0, "after %ld allocations: -MM_ENOMEM, but the "
		      "registry went from 7 to %zu regions", bad, grown);
}
END_TEST

/* ---- the registry ------------------------------------------------------------ */

#define NAME63 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!"

static const struct {
	int line;
	const char *name;
	int rc;
} reg_rows[] = {
	{ __LINE__, "oops", 0 },
	{ __LINE__, "x", 0 },
	{ __LINE__, NAME63, 0 },
	{ __LINE__, NAME63 "?", -MM_EINVAL },
	{ __LINE__, "", -MM_EINVAL },
	{ __LINE__, "taken", -MM_EEXIST },
	{ __LINE__, "Taken", 0 },
};

START_TEST(test_registry_add)
{
	struct memmap_registry reg;
	const struct memmap_region *r;
	int rc;

	memmap_registry_init(&reg, TEST_ALLOC);
	ck_assert_int_eq(memmap_registry_add(&reg, "taken", 0x1000, 0x2000), 0);
	rc = memmap_registry_add(&reg, reg_rows[_i].name, 0x5000, 0x3000);
	ck_assert_msg(rc == reg_rows[_i].rc, "line %d: returned %d, want %d",
		      reg_rows[_i].line, rc, reg_rows[_i].rc);
	ck_assert_uint_eq(reg.nr, rc ? 1 : 2);
	r = memmap_registry_find(&reg, "taken");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->start, 0x1000);
	if (!rc) {
		r = memmap_registry_find(&reg, reg_rows[_i].name);
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_eq(r->start, 0x5000);
		ck_assert_uint_eq(r->size, 0x3000);
	}
	memmap_registry_free(&reg);
}
END_TEST

/* No limit: 1500 names, each found, through memmap_named() too */
START_TEST(test_registry_many)
{
	struct memmap_registry reg;
	uint64_t start, size;
	char name[16];
	unsigned int k;

	memmap_registry_init(&reg, TEST_ALLOC);
	for (k = 0; k < 1500; k++) {
		snprintf(name, sizeof(name), "region%u", k);
		ck_assert_int_eq(memmap_registry_add(&reg, name, 0x1000ULL * k,
						     0x1000 + k), 0);
	}
	ck_assert_uint_eq(reg.nr, 1500);
	ck_assert_int_eq(memmap_registry_add(&reg, "region1234", 0, 1), -MM_EEXIST);

	ck_assert_int_eq(memmap_named("region0", &start, &size), -MM_ENOENT);
	memmap_registry_use(&reg);
	for (k = 0; k < 1500; k++) {
		snprintf(name, sizeof(name), "region%u", k);
		ck_assert_int_eq(memmap_named(name, &start, &size), 0);
		ck_assert_uint_eq(start, 0x1000ULL * k);
		ck_assert_uint_eq(size, 0x1000 + k);
	}
	ck_assert_int_eq(memmap_named("region1500", &start, &size), -MM_ENOENT);
	ck_assert_int_eq(memmap_named("", &start, &size), -MM_ENOENT);
	memmap_registry_use(NULL);
	ck_assert_int_eq(memmap_named("region1", &start, &size), -MM_ENOENT);
	memmap_registry_use(&reg);
	memmap_registry_free(&reg);
	ck_assert_int_eq(memmap_named("region1", &start, &size), -MM_ENOENT);
}
END_TEST

/* What cmdline_apply placed, memmap_named() answers */
START_TEST(test_named_after_apply)
{
	static const char cmd[] = "memmap=12M*4096:oops reserve_mem=4M:4096:b";
	struct e820_table fw, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error err;
	uint64_t start = 0, size = 0;

	fw_init(&fw);
	e820_table_init(&result, TEST_ALLOC);
	memmap_registry_init(&reg, TEST_ALLOC);
	parse_ok(__LINE__, cmd, &plan);
	ck_assert_int_eq(cmdline_apply(&plan, &fw, NULL, &result, &reg, &err), 0);
	memmap_registry_use(&reg);
	ck_assert_int_eq(memmap_named("oops", &start, &size), 0);
	ck_assert_uint_eq(start, 0x7e000000);
	ck_assert_uint_eq(size, 0xc00000);
	ck_assert_int_eq(memmap_named("b", &start, &size), 0);
	ck_assert_uint_eq(start, 0x7dc00000);
	ck_assert_uint_eq(size, 0x400000);
	ck_assert_int_eq(memmap_named("c", &start, &size), -MM_ENOENT);
	memmap_registry_use(NULL);
	cmdline_plan_free(&plan);
	memmap_registry_free(&reg);
	e820_table_free(&result);
	e820_table_free(&fw);
}
END_TEST

Suite *apply_suite(void)
{
	Suite *s = suite_create("apply");
	TCase *tc;

	tc = tcase_create("apply");
	tcase_add_loop_test(tc, test_apply, 0, ARRAY_SIZE(apply_rows));
	tcase_add_loop_test(tc, test_place, 0, ARRAY_SIZE(place_rows));
	tcase_add_test(tc, test_apply_name_taken);
	tcase_add_test(tc, test_apply_too_few);
	tcase_add_test(tc, test_apply_enomem);
	suite_add_tcase(s, tc);

	tc = tcase_create("rewrite");
	tcase_add_loop_test(tc, test_rewrite, 0, ARRAY_SIZE(rewrite_rows));
	tcase_add_test(tc, test_rewrite_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("registry");
	tcase_add_loop_test(tc, test_registry_add, 0, ARRAY_SIZE(reg_rows));
	tcase_add_test(tc, test_registry_many);
	tcase_add_test(tc, test_named_after_apply);
	suite_add_tcase(s, tc);
	return s;
}
