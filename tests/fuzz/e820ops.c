/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: sequences of e820_range_add/update/remove and e820_sanitize
 * against a reference model (the approach of tests/unit/model.c).
 *
 * The model keeps every entry as a type and the set of cells it covers
 * (a 64-bit mask), because Linux's update and remove act on entries, not
 * on the type that wins a cell.  Cells are the pieces of a window of 64
 * consecutive ranges: 4 KiB pages at 0, pages across 4 GiB, pages at the
 * top of the address space whose last cell ends at 2^64-1 (where Linux
 * clamps update and remove), or cells of fuzz-chosen odd sizes.  After
 * each sanitize the table must hold exactly the model's prediction: the
 * highest type per cell, equal neighbours merged except PRAM and soft
 * reserved, which split at every change point.
 *
 * Input: byte 0 picks the window (bits 0-1) and, for the odd-size window,
 * its base (bits 2-3); that window takes 16 more bytes, 2 bits per cell.
 * Then 4 bytes per operation:
 *   byte 0: bits 0-2: 0-2 add, 3-4 update, 5-6 remove, 7 sanitize
 *           bits 3-4: update/remove size: 1 UINT64_MAX, 2 UINT64_MAX-start
 *           bit 5:    remove: only entries of the old type
 *           bit 6:    add: first on a copy, an entry that reaches 2^64
 *                     (sanitize must refuse it and leave the copy alone)
 *           bit 7:    add, sanitize: first with an allocator that fails
 *                     (-MM_ENOMEM must leave the table unchanged)
 *   byte 1: first cell;  byte 2: number of cells;
 *   byte 3: low nibble the type, high nibble the other (new) type
 * A sanitize runs at the end of every sequence.
 */
#include "fuzz.h"

#define MODEL_CHECK(cond, msg) FUZZ_CHECK(cond, msg)
#include "../unit/model.h"

#define NCELLS MODEL_CELLS
#define PAGE 4096ULL

static const uint32_t types[16] = {
	E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
	E820_TYPE_UNUSABLE, E820_TYPE_PMEM, E820_TYPE_PRAM,
	E820_TYPE_RESERVED_KERN, E820_TYPE_SOFT_RESERVED, 13, 0, 6,
	0xffffffffu, E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_PRAM,
};

/* Cell c is [bound[c], bound[c+1]) */
static uint64_t bound[NCELLS + 1];

/*
 * The table sanitize must produce: the winner of each cell (type 0 never
 * wins: it is a hole), a new entry where the winner changes, and for PRAM
 * and soft reserved also at every change point (a run start or end of
 * any entry, of any type)
 */
static size_t model_expect(const struct model *m, struct e820_entry *out,
			   uint32_t *winner)
{
	bool cp[NCELLS + 1] = { false };
	size_t i, n = 0;
	unsigned int p;

	for (p = 0; p < NCELLS; p++) {
		winner[p] = 0;
		for (i = 0; i < m->n; i++)
			if ((m->e[i].mask >> p & 1) && m->e[i].type > winner[p])
				winner[p] = m->e[i].type;
	}
	for (i = 0; i < m->n; i++) {
		for (p = 0; p <= NCELLS; p++) {
			bool in = p < NCELLS && (m->e[i].mask >> p & 1);
			bool before = p > 0 && (m->e[i].mask >> (p - 1) & 1);

			if (in != before)
				cp[p] = true;
		}
	}
	for (p = 0; p < NCELLS; p++) {
		if (!winner[p])
			continue;
		if (n && p > 0 && winner[p - 1] == winner[p] &&
		    !(model_nomerge(winner[p]) && cp[p])) {
			out[n - 1].size += bound[p + 1] - bound[p];
			continue;
		}
		out[n].addr = bound[p];
		out[n].size = bound[p + 1] - bound[p];
		out[n].type = winner[p];
		n++;
	}
	return n;
}

/* The cell that starts at @addr, or -1 */
static int cell_at(uint64_t addr)
{
	unsigned int c;

	for (c = 0; c <= NCELLS; c++)
		if (bound[c] == addr)
			return (int)c;
	return -1;
}

/* Replace the model by the entries of a sanitized table */
static void model_from_table(struct model *m, const struct e820_table *t)
{
	size_t i;

	m->n = 0;
	for (i = 0; i < t->nr; i++) {
		int a = cell_at(t->entries[i].addr);
		int b = cell_at(t->entries[i].addr + t->entries[i].size);

		FUZZ_CHECK(a >= 0 && b > a, "entry %zu [%#llx +%#llx) does not "
			   "lie on cell bounds", i,
			   (unsigned long long)t->entries[i].addr,
			   (unsigned long long)t->entries[i].size);
		model_push(m, t->entries[i].type,
			   model_mask((unsigned int)a, (unsigned int)(b - a)));
	}
}

static void dump(const struct model *m, const struct e820_table *t,
		 const struct e820_entry *want, size_t nwant)
{
	struct e820_table w = { (struct e820_entry *)want, nwant, nwant, NULL };
	size_t i;

	fuzz_table_dump("sanitized", t);
	fuzz_table_dump("model", &w);
	fprintf(stderr, "model entries:\n");
	for (i = 0; i < m->n; i++)
		fprintf(stderr, "  type %#x mask %016llx\n", (unsigned)m->e[i].type,
			(unsigned long long)m->e[i].mask);
}

/* Sanitize, compare with the model, continue from the result */
static void sanitize_and_compare(struct model *m, struct e820_table *t,
				 struct fuzz_alloc_ctx *ctx, long fail_after)
{
	struct e820_entry want[NCELLS];
	uint32_t winner[NCELLS];
	size_t nwant, i;
	int rc;

	if (fail_after >= 0) {
		struct e820_table before;

		e820_table_init(&before, &fuzz_libc_alloc);
		FUZZ_CHECK(!e820_table_copy(&before, t), "out of memory");
		ctx->left = fail_after;
		rc = e820_sanitize(t);
		ctx->left = -1;
		FUZZ_CHECK(!rc || rc == -MM_ENOMEM, "sanitize: %d", rc);
		if (rc)
			FUZZ_CHECK(fuzz_table_equal(t, &before),
				   "sanitize -MM_ENOMEM changed the table");
		e820_table_free(&before);
	}

	rc = e820_sanitize(t);
	FUZZ_CHECK(!rc, "sanitize: %d", rc);
	fuzz_check_shape("sanitized", t);
	nwant = model_expect(m, want, winner);

	/* The winner of every cell */
	for (i = 0; i < t->nr; i++) {
		int a = cell_at(t->entries[i].addr);
		int b = cell_at(t->entries[i].addr + t->entries[i].size);
		int c;

		if (a < 0 || b <= a)
			dump(m, t, want, nwant);
		FUZZ_CHECK(a >= 0 && b > a, "entry %zu off the cell bounds", i);
		for (c = a; c < b; c++) {
			if (winner[c] != t->entries[i].type)
				dump(m, t, want, nwant);
			FUZZ_CHECK(winner[c] == t->entries[i].type,
				   "cell %d has type %#x, the model %#x", c,
				   (unsigned)t->entries[i].type, (unsigned)winner[c]);
			winner[c] = 0;
		}
	}
	for (i = 0; i < NCELLS; i++) {
		if (winner[i])
			dump(m, t, want, nwant);
		FUZZ_CHECK(!winner[i], "cell %zu (model type %#x) missing", i,
			   (unsigned)winner[i]);
	}

	/* The exact entries, PRAM and soft reserved pieces included */
	{
		struct e820_table w = { want, nwant, nwant, NULL };

		if (!fuzz_table_equal(t, &w))
			dump(m, t, want, nwant);
		FUZZ_CHECK(fuzz_table_equal(t, &w), "entries differ from the model");
	}
	model_from_table(m, t);
}

/* The window's cells */
static size_t set_window(const uint8_t *d, size_t n)
{
	static const uint64_t odd[4] = { PAGE, 1, 2ULL << 20, PAGE - 1 };
	static const uint64_t odd_base[4] = { 0, 0x9fc00, 1ULL << 63, 0x12345 };
	unsigned int c;
	uint8_t mode = n ? d[0] : 0;

	switch (mode & 3) {
	case 0:
		for (c = 0; c <= NCELLS; c++)
			bound[c] = c * PAGE;
		return 1;
	case 1:
		for (c = 0; c <= NCELLS; c++)
			bound[c] = (1ULL << 32) - 32 * PAGE + c * PAGE;
		return 1;
	case 2:
		/* Pages up to 2^64-4096, then [2^64-4096, 2^64-1) */
		for (c = 0; c < NCELLS; c++)
			bound[c] = 0 - (NCELLS - c) * PAGE;
		bound[NCELLS] = UINT64_MAX;
		return 1;
	default:
		bound[0] = odd_base[(mode >> 2) & 3];
		for (c = 0; c < NCELLS; c++) {
			size_t byte = 1 + c / 4;
			uint8_t v = byte < n ? d[byte] : 0;

			bound[c + 1] = bound[c] + odd[(v >> (2 * (c % 4))) & 3];
		}
		return n < 17 ? n : 17;
	}
}

static void one_op(struct model *m, struct e820_table *t,
		   struct fuzz_alloc_ctx *ctx, const uint8_t *op)
{
	unsigned int kind = op[0] & 7, huge = (op[0] >> 3) & 3;
	unsigned int first = op[1] % NCELLS;
	unsigned int count = op[2] % (NCELLS - first + 1);
	uint32_t type = types[op[3] & 15], other = types[op[3] >> 4];
	uint64_t start = bound[first];
	uint64_t size = bound[first + count] - start;
	int rc;

	if (kind <= 2) {
		if (op[0] & 0x40) {
			/* An entry that reaches 2^64: sanitize refuses the copy */
			struct e820_table c, before;
			uint64_t s = op[1] & 1 || !start ? 0 - PAGE : start;
			uint64_t z = op[1] & 2 ? UINT64_MAX : 0 - s;

			e820_table_init(&c, &fuzz_libc_alloc);
			e820_table_init(&before, &fuzz_libc_alloc);
			FUZZ_CHECK(!e820_table_copy(&c, t), "out of memory");
			FUZZ_CHECK(!e820_range_add(&c, s, z, type), "out of memory");
			FUZZ_CHECK(!e820_table_copy(&before, &c), "out of memory");
			rc = e820_sanitize(&c);
			FUZZ_CHECK(rc == -MM_ERANGE && fuzz_table_equal(&c, &before),
				   "sanitize of an entry [%#llx +%#llx): %d, %s",
				   (unsigned long long)s, (unsigned long long)z, rc,
				   fuzz_table_equal(&c, &before) ? "unchanged" :
				   "table changed");
			e820_table_free(&c);
			e820_table_free(&before);
		}
		if (op[0] & 0x80) {
			struct e820_table before;

			e820_table_init(&before, &fuzz_libc_alloc);
			FUZZ_CHECK(!e820_table_copy(&before, t), "out of memory");
			ctx->left = 0;
			rc = e820_range_add(t, start, size, type);
			ctx->left = -1;
			FUZZ_CHECK(!rc || (rc == -MM_ENOMEM &&
					   fuzz_table_equal(t, &before)),
				   "add with no memory: %d", rc);
			e820_table_free(&before);
			if (!rc) {
				model_push(m, type, model_mask(first, count));
				return;
			}
		}
		FUZZ_CHECK(!e820_range_add(t, start, size, type), "add");
		model_push(m, type, model_mask(first, count));
		return;
	}
	if (kind == 7) {
		sanitize_and_compare(m, t, ctx,
				     op[0] & 0x80 ? (long)(op[1] & 7) : -1);
		return;
	}

	/* Sizes past the window: clamped at 2^64-1, the window's end at most */
	if (huge == 1 || huge == 2) {
		size = huge == 1 ? UINT64_MAX : UINT64_MAX - start;
		count = NCELLS - first;
	}
	if (kind <= 4) {
		rc = e820_range_update(t, start, size, type, other);
		if (type == other || !other) {
			FUZZ_CHECK(rc == -MM_EINVAL, "update %#x -> %#x: %d",
				   (unsigned)type, (unsigned)other, rc);
			return;
		}
		FUZZ_CHECK(!rc, "update: %d", rc);
		model_update(m, model_mask(first, count), first, type, other);
	} else {
		bool check = op[0] & 0x20;

		rc = e820_range_remove(t, start, size, type, check);
		FUZZ_CHECK(!rc, "remove: %d", rc);
		model_remove(m, model_mask(first, count), first, type, check);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_alloc_ctx ctx = { -1, 0, 0 };
	struct mm_alloc alloc = { fuzz_realloc, &ctx };
	struct model m;
	struct e820_table t;
	size_t pos;

	memset(&m, 0, sizeof(m));
	pos = set_window(data, size);
	e820_table_init(&t, &alloc);
	for (; pos + 4 <= size; pos += 4)
		one_op(&m, &t, &ctx, data + pos);
	sanitize_and_compare(&m, &t, &ctx, -1);
	e820_table_free(&t);
	free(m.e);
	FUZZ_CHECK(ctx.live == 0, "%ld blocks still allocated", ctx.live);
	return 0;
}
