/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e820_find_fit() and e820_fits_at(): table rows for the edges, and a
 * randomized comparison with a brute-force search over pages.
 */
#include "tests.h"

#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED
#define KERN E820_TYPE_RESERVED_KERN
#define SOFT E820_TYPE_SOFT_RESERVED
#define DM E820_ATTR_DRIVER_MANAGED
#define MIR E820_ATTR_MIRROR
#define HP E820_ATTR_HOTPLUG
#define BU E820_FIT_BOTTOM_UP
#define TOPR 0xfffffffffff00000ULL	/* a range ending at 2^64-1 starts here */

#define MAXE 6

/* A small map shared by many rows: RAM below 1M, 1M..1G, 1.25G..1.5G */
#define MAP5 5, { E(0x1000, 0x9e000, RAM), E(0x9f000, 0x61000, RES), \
		  E(0x100000, 0x3ff00000, RAM), E(0x40000000, 0x10000000, RES), \
		  E(0x50000000, 0x10000000, RAM) }

struct fit_row {
	int line;
	size_t n;
	struct e820_entry t[MAXE];
	size_t nattrs;
	struct e820_entry attrs[MAXE];
	size_t nwithin;			/* SIZE_MAX: within = NULL */
	struct e820_entry within[MAXE];
	uint64_t size, align;
	unsigned int flags;
	int rc;
	uint64_t addr;
};

#define NOATTR 0, { { 0 } }
#define NOWITHIN SIZE_MAX, { { 0 } }

static const struct fit_row fit_rows[] = {
	/* Exact fit, both directions */
	{ __LINE__, 1, { E(0x10000, 0x10000, RAM) }, NOATTR, NOWITHIN,
	  0x10000, 0x1000, 0, 0, 0x10000 },
	{ __LINE__, 1, { E(0x10000, 0x10000, RAM) }, NOATTR, NOWITHIN,
	  0x10000, 0x10000, BU, 0, 0x10000 },
	/* No fit */
	{ __LINE__, 1, { E(0x10000, 0x10000, RAM) }, NOATTR, NOWITHIN,
	  0x11000, 0x1000, 0, -MM_ENOSPC, 0 },
	{ __LINE__, 0, { { 0 } }, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, -MM_ENOSPC, 0 },
	/* Alignment larger than the range: no aligned start inside */
	{ __LINE__, 1, { E(0x1000, 0x8000, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x10000, 0, -MM_ENOSPC, 0 },
	{ __LINE__, 1, { E(0x1000, 0x8000, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x10000, BU, -MM_ENOSPC, 0 },
	/* An aligned start inside but no room after it */
	{ __LINE__, 1, { E(0xf000, 0x2000, RAM) }, NOATTR, NOWITHIN,
	  0x2000, 0x10000, 0, -MM_ENOSPC, 0 },
	{ __LINE__, 1, { E(0xf000, 0x2000, RAM) }, NOATTR, NOWITHIN,
	  0x2000, 0x10000, BU, -MM_ENOSPC, 0 },
	/* Size larger than every range, also near address 0: no underflow */
	{ __LINE__, 2, { E(0, 0x1000, RAM), E(0x3000, 0x1000, RAM) }, NOATTR, NOWITHIN,
	  0x2000, 0x1000, 0, -MM_ENOSPC, 0 },
	{ __LINE__, 2, { E(0, 0x1000, RAM), E(0x3000, 0x1000, RAM) }, NOATTR, NOWITHIN,
	  0x2000, 0x1000, BU, -MM_ENOSPC, 0 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, UINT64_MAX, 1, 0, -MM_ENOSPC, 0 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, UINT64_MAX, 1, BU, -MM_ENOSPC, 0 },
	/* Top-down picks the highest, bottom-up the lowest */
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, 0, 0x5ffff000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, BU, 0, 0x1000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x100000, 0x10000000, 0, 0, 0x50000000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x100000, BU, 0, 0x100000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x10000001, 1, 0, 0, 0x2fffffff },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x10000001, 1, BU, 0, 0x100000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x3ff00000, 0x1000, 0, 0, 0x100000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x3ff00001, 0x1000, 0, -MM_ENOSPC, 0 },
	/* Only type 1: not 128, not reserved */
	{ __LINE__, 2, { E(0x1000, 0x10000, KERN), E(0x20000, 0x1000, RAM) }, NOATTR, NOWITHIN,
	  0x2000, 0x1000, 0, -MM_ENOSPC, 0 },
	/* Soft reserved only with E820_FIT_SOFT_RESERVED */
	{ __LINE__, 2, { E(0x1000, 0xff000, RAM), E(0x100000, 0x100000, SOFT) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, 0, 0, 0xff000 },
	{ __LINE__, 2, { E(0x1000, 0xff000, RAM), E(0x100000, 0x100000, SOFT) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, E820_FIT_SOFT_RESERVED, 0, 0x1ff000 },
	{ __LINE__, 1, { E(0x100000, 0x100000, SOFT) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, BU, -MM_ENOSPC, 0 },
	/* Driver-managed memory only with E820_FIT_DRIVER_MANAGED */
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, DM) }, NOWITHIN,
	  0x1000, 0x1000, 0, 0, 0xff000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, DM) }, NOWITHIN,
	  0x1000, 0x1000, E820_FIT_DRIVER_MANAGED, 0, 0x1ff000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, DM | MIR) }, NOWITHIN,
	  0x1000, 0x1000, 0, 0, 0xff000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0, 0x200000, DM) }, NOWITHIN,
	  0x1000, 0x1000, BU, -MM_ENOSPC, 0 },
	/* A driver-managed hole splits a range */
	{ __LINE__, 1, { E(0, 0x10000, RAM) }, 1, { E(0x4000, 0x1000, DM) }, NOWITHIN,
	  0x8000, 0x1000, 0, 0, 0x8000 },
	{ __LINE__, 1, { E(0, 0x10000, RAM) }, 1, { E(0x4000, 0x1000, DM) }, NOWITHIN,
	  0xc000, 0x1000, 0, -MM_ENOSPC, 0 },
	/* Hot-pluggable memory avoided with E820_FIT_NO_HOTPLUG */
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, HP) }, NOWITHIN,
	  0x1000, 0x1000, 0, 0, 0x1ff000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, HP) }, NOWITHIN,
	  0x1000, 0x1000, E820_FIT_NO_HOTPLUG, 0, 0xff000 },
	/* Mirrored memory only with E820_FIT_MIRROR_ONLY */
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 2,
	  { E(0x2000, 0x2000, MIR), E(0x10000, 0x1000, HP) }, NOWITHIN,
	  0x1000, 0x1000, E820_FIT_MIRROR_ONLY, 0, 0x3000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x2000, 0x2000, MIR) }, NOWITHIN,
	  0x3000, 0x1000, E820_FIT_MIRROR_ONLY, -MM_ENOSPC, 0 },
	/* within: only inside its type-1 ranges */
	{ __LINE__, MAP5, NOATTR, 1, { E(0x100000, 0x100000, RAM) },
	  0x1000, 0x1000, 0, 0, 0x1ff000 },
	{ __LINE__, MAP5, NOATTR, 2, { E(0x100000, 0x100000, RAM), E(0x300000, 0x100000, RAM) },
	  0x1000, 0x1000, BU, 0, 0x100000 },
	{ __LINE__, MAP5, NOATTR, 1, { E(0x50000000, 0x10000000, RES) },
	  0x1000, 0x1000, 0, -MM_ENOSPC, 0 },
	{ __LINE__, MAP5, NOATTR, 1, { E(0x3ffff000, 0x2000, RAM) },
	  0x2000, 0x1000, 0, -MM_ENOSPC, 0 },
	{ __LINE__, MAP5, NOATTR, 0, { { 0 } }, 0x1000, 0x1000, 0, -MM_ENOSPC, 0 },
	/* The very top of the address space (entries end at most at 2^64-1) */
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, 0, 0, 0xffffffffffffe000ULL },
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, BU, 0, TOPR },
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0xfffff, 1, 0, 0, TOPR },
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0x100000, 1, 0, -MM_ENOSPC, 0 },
	{ __LINE__, 1, { E(TOPR + 1, 0xffffe, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x8000000000000000ULL, BU, -MM_ENOSPC, 0 },
	{ __LINE__, 1, { E(TOPR + 1, 0xffffe, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x8000000000000000ULL, 0, -MM_ENOSPC, 0 },
	{ __LINE__, 1, { E(0, UINT64_MAX, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x8000000000000000ULL, 0, 0, 0x8000000000000000ULL },
	{ __LINE__, 1, { E(0, UINT64_MAX, RAM) }, NOATTR, NOWITHIN,
	  UINT64_MAX, 1, 0, 0, 0 },
	/* Zero size, alignment not a power of two */
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0, 0x1000, 0, -MM_EINVAL, 0 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0, 0, -MM_EINVAL, 0 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x3000, 0, -MM_EINVAL, 0 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, UINT64_MAX, BU, -MM_EINVAL, 0 },
};

static void fit_setup(const struct fit_row *r, struct e820_table *t,
		      struct e820_table *attrs, struct e820_table *within,
		      struct e820_fit *f)
{
	e820_table_init(t, TEST_ALLOC);
	e820_table_init(attrs, TEST_ALLOC);
	e820_table_init(within, TEST_ALLOC);
	table_set(t, r->t, r->n);
	table_set(attrs, r->attrs, r->nattrs);
	if (r->nwithin != SIZE_MAX)
		table_set(within, r->within, r->nwithin);
	f->size = r->size;
	f->align = r->align;
	f->flags = r->flags;
	f->attrs = r->nattrs ? attrs : NULL;
	f->within = r->nwithin != SIZE_MAX ? within : NULL;
}

START_TEST(test_find_fit)
{
	const struct fit_row *r = &fit_rows[_i];
	struct e820_table t, attrs, within;
	struct e820_fit f;
	uint64_t addr = 0x5a5a5a5a;
	int rc;

	fit_setup(r, &t, &attrs, &within, &f);
	rc = e820_find_fit(&t, &f, &addr);
	ck_assert_msg(rc == r->rc, "line %d: returned %d, want %d", r->line,
		      rc, r->rc);
	if (!rc) {
		ck_assert_msg(addr == r->addr, "line %d: placed at %#llx, want %#llx",
			      r->line, (unsigned long long)addr,
			      (unsigned long long)r->addr);
		/* What find_fit picks, fits_at accepts */
		ck_assert_msg(e820_fits_at(&t, &f, addr) == 0,
			      "line %d: fits_at refuses the address found", r->line);
	}
	e820_table_free(&t);
	e820_table_free(&attrs);
	e820_table_free(&within);
}
END_TEST

/* e820_fits_at: rows of (map, size, align, flags, address, result) */
static const struct fit_row at_rows[] = {
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, 0, 0x200000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, 0, 0x1000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, -MM_ENOSPC, 0 },
	/* Ending exactly at the end of the range; one byte past */
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, 0, 0x9e000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1001, 1, 0, -MM_ENOSPC, 0x9e000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x3ff00000, 0x1000, 0, 0, 0x100000 },
	/* Across two ranges, in reserved memory */
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x2000, 0x1000, 0, -MM_ENOSPC, 0x3ffff000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, -MM_ENOSPC, 0x40000000 },
	/* Misaligned */
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x2000, 0, -MM_ENOSPC, 0x201000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1000, 0, -MM_ENOSPC, 0x200800 },
	/* Wrapping past 2^64 */
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0x2000, 0x1000, 0, -MM_ENOSPC, 0xfffffffffffff000ULL },
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, 0, -MM_ENOSPC, 0xfffffffffffff000ULL },
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, 0, 0, 0xffffffffffffe000ULL },
	{ __LINE__, 1, { E(TOPR, 0xfffff, RAM) }, NOATTR, NOWITHIN,
	  0xfff, 1, 0, 0, 0xfffffffffffff000ULL },
	/* Soft reserved, driver-managed, within */
	{ __LINE__, 1, { E(0x100000, 0x100000, SOFT) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, 0, -MM_ENOSPC, 0x100000 },
	{ __LINE__, 1, { E(0x100000, 0x100000, SOFT) }, NOATTR, NOWITHIN,
	  0x1000, 0x1000, E820_FIT_SOFT_RESERVED, 0, 0x100000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, DM) }, NOWITHIN,
	  0x1000, 0x1000, 0, -MM_ENOSPC, 0x100000 },
	{ __LINE__, 1, { E(0x1000, 0x1ff000, RAM) }, 1, { E(0x100000, 0x100000, DM) }, NOWITHIN,
	  0x1000, 0x1000, E820_FIT_DRIVER_MANAGED, 0, 0x100000 },
	{ __LINE__, MAP5, NOATTR, 1, { E(0x100000, 0x100000, RAM) },
	  0x1000, 0x1000, 0, -MM_ENOSPC, 0x200000 },
	{ __LINE__, MAP5, NOATTR, 1, { E(0x100000, 0x100000, RAM) },
	  0x1000, 0x1000, 0, 0, 0x1ff000 },
	/* Zero size, bad alignment */
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0, 0x1000, 0, -MM_EINVAL, 0x200000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0, 0, -MM_EINVAL, 0x200000 },
	{ __LINE__, MAP5, NOATTR, NOWITHIN, 0x1000, 0x1800, 0, -MM_EINVAL, 0x200000 },
};

START_TEST(test_fits_at)
{
	const struct fit_row *r = &at_rows[_i];
	struct e820_table t, attrs, within;
	struct e820_fit f;
	int rc;

	fit_setup(r, &t, &attrs, &within, &f);
	rc = e820_fits_at(&t, &f, r->addr);
	ck_assert_msg(rc == r->rc, "line %d: fits_at(%#llx) returned %d, want %d",
		      r->line, (unsigned long long)r->addr, rc, r->rc);
	e820_table_free(&t);
	e820_table_free(&attrs);
	e820_table_free(&within);
}
END_TEST

/* ---- random maps against a brute-force search over pages --------------- */

#define PAGE 4096ULL
#define NPAGES 64

static const struct {
	int line;
	uint64_t seed;
	uint64_t base;
	unsigned int maps;
} brute_rows[] = {
	{ __LINE__, 11, 0, 1500 },
	{ __LINE__, 12, 0x40000000, 1500 },
	{ __LINE__, 13, 0ULL - (NPAGES + 1) * PAGE, 1500 },
};

START_TEST(test_fit_brute)
{
	static const uint32_t types[] = { E820_TYPE_RAM, E820_TYPE_RAM,
		E820_TYPE_RESERVED, E820_TYPE_ACPI, KERN, SOFT };
	uint64_t s = brute_rows[_i].seed, base = brute_rows[_i].base;
	int line = brute_rows[_i].line;
	struct e820_table t;
	unsigned int k;

	e820_table_init(&t, TEST_ALLOC);
	for (k = 0; k < brute_rows[_i].maps; k++) {
		bool ram[NPAGES];
		unsigned int n = 1 + (unsigned int)(rnd_next(&s) % 6), i, p;
		struct e820_fit f = { 0 };
		uint64_t pages, align_pages, a, want_top = 0, want_bot = 0;
		bool found = false;
		int rc;

		t.nr = 0;
		for (i = 0; i < n; i++) {
			unsigned int first = (unsigned int)(rnd_next(&s) % NPAGES);
			unsigned int count = 1 + (unsigned int)(rnd_next(&s) %
								(NPAGES - first));

			ck_assert_int_eq(e820_range_add(&t, base + first * PAGE,
							count * PAGE,
							types[rnd_next(&s) % ARRAY_SIZE(types)]), 0);
		}
		ck_assert_int_eq(e820_sanitize(&t), 0);
		memset(ram, 0, sizeof(ram));
		for (i = 0; i < t.nr; i++)
			if (t.entries[i].type == E820_TYPE_RAM)
				for (p = 0; p < t.entries[i].size / PAGE; p++)
					ram[(t.entries[i].addr - base) / PAGE + p] = true;

		pages = 1 + rnd_next(&s) % 16;
		align_pages = 1ULL << (rnd_next(&s) % 5);
		f.size = pages * PAGE;
		f.align = align_pages * PAGE;

		/* Brute force: every aligned start whose pages are all RAM */
		for (a = 0; a + pages <= NPAGES; a++) {
			if ((base / PAGE + a) % align_pages)
				continue;
			for (p = 0; p < pages && ram[a + p]; p++)
				;
			if (p < pages)
				continue;
			if (!found)
				want_bot = base + a * PAGE;
			want_top = base + a * PAGE;
			found = true;
		}

		a = 0;
		rc = e820_find_fit(&t, &f, &a);
		ck_assert_msg(found ? rc == 0 && a == want_top : rc == -MM_ENOSPC,
			      "line %d map %u: top-down rc %d at %#llx, want %s %#llx",
			      line, k, rc, (unsigned long long)a,
			      found ? "at" : "none", (unsigned long long)want_top);
		f.flags = E820_FIT_BOTTOM_UP;
		rc = e820_find_fit(&t, &f, &a);
		ck_assert_msg(found ? rc == 0 && a == want_bot : rc == -MM_ENOSPC,
			      "line %d map %u: bottom-up rc %d at %#llx, want %s %#llx",
			      line, k, rc, (unsigned long long)a,
			      found ? "at" : "none", (unsigned long long)want_bot);

		/* fits_at agrees with brute force at every page */
		for (a = 0; a < NPAGES; a++) {
			bool ok = (base / PAGE + a) % align_pages == 0 &&
				  a + pages <= NPAGES;

			for (p = 0; ok && p < pages; p++)
				ok = ram[a + p];
			rc = e820_fits_at(&t, &f, base + a * PAGE);
			ck_assert_msg(rc == (ok ? 0 : -MM_ENOSPC),
				      "line %d map %u: fits_at page %llu: %d",
				      line, k, (unsigned long long)a, rc);
		}
	}
	e820_table_free(&t);
}
END_TEST

Suite *fit_suite(void)
{
	Suite *s = suite_create("fit");
	TCase *tc;

	tc = tcase_create("find_fit");
	tcase_add_loop_test(tc, test_find_fit, 0, ARRAY_SIZE(fit_rows));
	tcase_add_loop_test(tc, test_fits_at, 0, ARRAY_SIZE(at_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("brute_force");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_fit_brute, 0, ARRAY_SIZE(brute_rows));
	suite_add_tcase(s, tc);
	return s;
}
