/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A randomized differential test of e820_range_add/update/remove and
 * e820_sanitize against a page-granular reference model.
 *
 * The model keeps every entry as a type and the set of pages it covers
 * (a 64-bit mask over a 64-page window), because Linux's update and
 * remove act on entries, not on the type that wins a page.  Each run of
 * pages in one model entry is one real entry, so the model also knows
 * every change point and can predict sanitize's output exactly: the
 * highest type per page, equal neighbours merged except PRAM and soft
 * reserved, which split at every change point.  Like Linux, an update
 * or remove of an empty range strictly inside an entry splits it.
 */
#include "tests.h"

#define MODEL_CHECK(cond, msg) ck_assert_msg(cond, msg)
#include "model.h"

#define PAGE 4096ULL
#define NPAGES MODEL_CELLS

static const uint32_t model_types[] = {
	E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI, E820_TYPE_NVS,
	E820_TYPE_PRAM, E820_TYPE_RESERVED_KERN, E820_TYPE_SOFT_RESERVED,
};

/*
 * The table sanitize must produce, in pages of the window: the winner of
 * each page, a new entry where the winner changes, and for PRAM and soft
 * reserved also at every change point (a run start or end of any entry).
 */
static size_t model_expect(const struct model *m, struct e820_entry *out,
			   uint64_t base, uint32_t *winner)
{
	bool cp[NPAGES + 1] = { false };
	size_t i, n = 0;
	unsigned int p;

	for (p = 0; p < NPAGES; p++) {
		winner[p] = 0;
		for (i = 0; i < m->n; i++)
			if ((m->e[i].mask >> p & 1) && m->e[i].type > winner[p])
				winner[p] = m->e[i].type;
	}
	for (i = 0; i < m->n; i++) {
		for (p = 0; p <= NPAGES; p++) {
			bool in = p < NPAGES && (m->e[i].mask >> p & 1);
			bool before = p > 0 && (m->e[i].mask >> (p - 1) & 1);

			if (in != before)
				cp[p] = true;
		}
	}
	for (p = 0; p < NPAGES; p++) {
		if (!winner[p])
			continue;
		if (n && p > 0 && winner[p - 1] == winner[p] &&
		    out[n - 1].type == winner[p] &&
		    out[n - 1].addr + out[n - 1].size == base + p * PAGE &&
		    !(model_nomerge(winner[p]) && cp[p])) {
			out[n - 1].size += PAGE;
			continue;
		}
		out[n].addr = base + p * PAGE;
		out[n].size = PAGE;
		out[n].type = winner[p];
		n++;
	}
	return n;
}

/* Replace the model by the entries of a sanitized table */
static void model_from_table(struct model *m, const struct e820_entry *e,
			     size_t n, uint64_t base)
{
	size_t i;

	m->n = 0;
	for (i = 0; i < n; i++)
		model_push(m, e[i].type,
			   model_mask((unsigned int)((e[i].addr - base) / PAGE),
				     (unsigned int)(e[i].size / PAGE)));
}

/* The sanitized table's own promises, whatever the model says */
static void check_shape(int line, unsigned int seq, const struct e820_table *t,
			uint64_t base)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->entries[i];

		ck_assert_msg(e->size != 0, "line %d seq %u: entry %zu is empty",
			      line, seq, i);
		ck_assert_msg(e->addr >= base && e->size <= NPAGES * PAGE &&
			      e->addr - base <= NPAGES * PAGE - e->size &&
			      !(e->addr % PAGE) && !(e->size % PAGE),
			      "line %d seq %u: entry %zu [%#llx +%#llx) outside "
			      "the window or not whole pages", line, seq, i,
			      (unsigned long long)e->addr,
			      (unsigned long long)e->size);
		if (!i)
			continue;
		ck_assert_msg(t->entries[i - 1].addr + t->entries[i - 1].size <=
			      e->addr, "line %d seq %u: entries %zu and %zu "
			      "overlap or are unsorted", line, seq, i - 1, i);
		ck_assert_msg(t->entries[i - 1].addr + t->entries[i - 1].size !=
			      e->addr || t->entries[i - 1].type != e->type ||
			      model_nomerge(e->type),
			      "line %d seq %u: entries %zu and %zu of type %#x "
			      "adjacent but not merged", line, seq, i - 1, i,
			      (unsigned)e->type);
	}
}

/* Seed, number of sequences, window base (page aligned) */
static const struct {
	int line;
	uint64_t seed;
	unsigned int sequences;
	uint64_t base;
} model_rows[] = {
	{ __LINE__, 0x1, 800, 0 },
	{ __LINE__, 0x2, 800, 0 },
	{ __LINE__, 0x3, 800, 0x100000 },
	{ __LINE__, 0x4, 800, 0x100000000ULL },
	{ __LINE__, 0xe820, 800, 0 },
	/* The window ends one page below 2^64 */
	{ __LINE__, 0x5, 800, 0ULL - (NPAGES + 1) * PAGE },
	{ __LINE__, 0x6, 800, 0ULL - (NPAGES + 1) * PAGE },
};

/* One random operation, on the table and on the model */
static void random_op(uint64_t *s, struct e820_table *t, struct model *m,
		      uint64_t base)
{
	unsigned int first = (unsigned int)rnd_below(s, NPAGES);
	unsigned int count = (unsigned int)rnd_below(s, NPAGES - first + 1);
	uint32_t type = model_types[rnd_below(s, ARRAY_SIZE(model_types))];
	uint32_t other = model_types[rnd_below(s, ARRAY_SIZE(model_types))];
	uint64_t start = base + first * PAGE, size = count * PAGE;
	uint64_t kind = rnd_below(s, 10);
	bool check;

	/* Sometimes a size past the window: clamped at 2^64-1 */
	if (kind >= 4 && rnd_below(s, 8) == 0) {
		size = rnd_below(s, 2) ? UINT64_MAX : UINT64_MAX - start;
		count = NPAGES - first;
	}
	if (kind < 4) {
		ck_assert_int_eq(e820_range_add(t, start, count * PAGE, type), 0);
		model_push(m, type, model_mask(first, count));
	} else if (kind < 7) {
		if (other == type) {
			ck_assert_int_eq(e820_range_update(t, start, size, type,
							   other), -MM_EINVAL);
			return;
		}
		ck_assert_int_eq(e820_range_update(t, start, size, type, other), 0);
		model_update(m, model_mask(first, count), first, type, other);
	} else {
		check = rnd_below(s, 2);
		ck_assert_int_eq(e820_range_remove(t, start, size, type, check), 0);
		model_remove(m, model_mask(first, count), first, type, check);
	}
}

START_TEST(test_model)
{
	uint64_t s = model_rows[_i].seed, base = model_rows[_i].base;
	int line = model_rows[_i].line;
	struct e820_entry want[NPAGES];
	uint32_t winner[NPAGES];
	struct model m = { 0 };
	struct e820_table t;
	unsigned int seq, round, k, nrounds, nops;
	size_t nwant, i;

	e820_table_init(&t, TEST_ALLOC);
	for (seq = 0; seq < model_rows[_i].sequences; seq++) {
		t.nr = 0;
		m.n = 0;
		nrounds = 1 + (unsigned int)rnd_below(&s, 3);
		for (round = 0; round < nrounds; round++) {
			nops = 1 + (unsigned int)rnd_below(&s, 10);
			for (k = 0; k < nops; k++)
				random_op(&s, &t, &m, base);

			ck_assert_int_eq(e820_sanitize(&t), 0);
			check_shape(line, seq, &t, base);
			nwant = model_expect(&m, want, base, winner);

			/* The winner of every page */
			for (i = 0; i < t.nr; i++) {
				uint64_t p0 = (t.entries[i].addr - base) / PAGE;
				uint64_t p;

				for (p = p0; p < p0 + t.entries[i].size / PAGE; p++) {
					ck_assert_msg(winner[p] == t.entries[i].type,
						      "line %d seq %u round %u: page %llu "
						      "has type %#x, model %#x", line, seq,
						      round, (unsigned long long)p,
						      (unsigned)t.entries[i].type,
						      (unsigned)winner[p]);
					winner[p] = 0;
				}
			}
			for (k = 0; k < NPAGES; k++)
				ck_assert_msg(!winner[k], "line %d seq %u round %u: "
					      "page %u (model type %#x) missing",
					      line, seq, round, k, (unsigned)winner[k]);

			/* The exact entries, PRAM and soft reserved pieces included */
			if (!table_equal(&t, want, nwant)) {
				struct e820_table w = { want, nwant, nwant, NULL };

				table_dump("sanitized", line, &t);
				table_dump("model", line, &w);
			}
			ck_assert_msg(table_equal(&t, want, nwant),
				      "line %d seq %u round %u: entries differ "
				      "from the model (see above)", line, seq, round);

			/* Continue from the sanitized table */
			model_from_table(&m, want, nwant, base);
		}
	}
	e820_table_free(&t);
	free(m.e);
}
END_TEST

Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("e820_ops");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_model, 0, ARRAY_SIZE(model_rows));
	suite_add_tcase(s, tc);
	return s;
}
