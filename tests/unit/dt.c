/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dt/: memblock's search against a page-by-page search, 6.1's heapsort
 * order of dynamic regions (dt/LINUX.md 8.4, checked there against the
 * kernel's own lib/sort.c), the CMA slot limit, the written DT read back,
 * and every allocation failure of the model.
 */
#include "tests.h"
#include "../../dt/apply.h"

#include <libfdt.h>
#include <string.h>

#define MEM_BASE 0x40000000ULL
#define MEM_SIZE 0x40000000ULL
#define SZ_1M 0x100000ULL

/* --- a small DT builder (libfdt's sequential writer) ---------------------- */

struct dtb {
	char buf[65536];
};

static void prop_cells(void *fdt, const char *name, const uint64_t *v, int n,
		       int cells)
{
	uint32_t c[16];
	int i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < cells; k++)
			c[i * cells + k] = cpu_to_fdt32((uint32_t)(v[i] >> (32 * (cells - 1 - k))));
	ck_assert_int_eq(fdt_property(fdt, name, c, 4 * n * cells), 0);
}

static void begin(struct dtb *d, int cells)
{
	void *f = d->buf;
	uint64_t mem[2] = { MEM_BASE, MEM_SIZE };

	ck_assert_int_eq(fdt_create(f, sizeof(d->buf)), 0);
	ck_assert_int_eq(fdt_finish_reservemap(f), 0);
	ck_assert_int_eq(fdt_begin_node(f, ""), 0);
	ck_assert_int_eq(fdt_property_u32(f, "#address-cells", cells), 0);
	ck_assert_int_eq(fdt_property_u32(f, "#size-cells", cells), 0);
	ck_assert_int_eq(fdt_begin_node(f, "memory@40000000"), 0);
	ck_assert_int_eq(fdt_property_string(f, "device_type", "memory"), 0);
	prop_cells(f, "reg", mem, 2, cells);
	ck_assert_int_eq(fdt_end_node(f), 0);
	ck_assert_int_eq(fdt_begin_node(f, "reserved-memory"), 0);
	ck_assert_int_eq(fdt_property_u32(f, "#address-cells", cells), 0);
	ck_assert_int_eq(fdt_property_u32(f, "#size-cells", cells), 0);
	ck_assert_int_eq(fdt_property(f, "ranges", NULL, 0), 0);
}

/* A static (base != 0) or dynamic child; @compat a list of NUL-ended strings */
static void child(struct dtb *d, const char *name, uint64_t base, uint64_t size,
		  const char *compat, bool reusable)
{
	void *f = d->buf;
	uint64_t reg[2] = { base, size };

	ck_assert_int_eq(fdt_begin_node(f, name), 0);
	prop_cells(f, base ? "reg" : "size", base ? reg : &reg[1], base ? 2 : 1, 2);
	if (compat) {
		size_t n = 0;

		while (compat[n])
			n += strlen(compat + n) + 1;
		ck_assert_int_eq(fdt_property(f, "compatible", compat, (int)n), 0);
	}
	if (reusable)
		ck_assert_int_eq(fdt_property(f, "reusable", NULL, 0), 0);
	ck_assert_int_eq(fdt_end_node(f), 0);
}

static void finish(struct dtb *d)
{
	ck_assert_int_eq(fdt_end_node(d->buf), 0);
	ck_assert_int_eq(fdt_end_node(d->buf), 0);
	ck_assert_int_eq(fdt_finish(d->buf), 0);
}

static void run(const struct dtb *d, enum dt_linux v, struct dt_tree *t,
		struct dt_model *m, struct mm_buf *out)
{
	struct dt_error err;

	ck_assert_int_eq(dt_read(t, d->buf, sizeof(d->buf), TEST_ALLOC, &err), 0);
	mm_buf_init(out, TEST_ALLOC);
	ck_assert_int_eq(dt_model_run(m, t, &(struct dt_boot){ .linux = v },
				      TEST_ALLOC, out), 0);
}

static const struct dt_region *region(const struct dt_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nr_region; i++)
		if (!strcmp(m->region[i].node->name, name))
			return &m->region[i];
	return NULL;
}

/* --- 6.1's order of the dynamic regions ----------------------------------- */

struct order_row {
	int line;
	const char *dt;		/* DT order: a-z dynamic 1 MiB, S1 S2 statics */
	const char *v61;	/* the order 6.1 places the dynamic ones in */
};

static const struct order_row order_rows[] = {
	{ __LINE__, "a b", "b a" },
	{ __LINE__, "a b c", "b c a" },
	{ __LINE__, "a b c d e f", "b c d e f a" },
	{ __LINE__, "S1 a b", "a b" },
	{ __LINE__, "a S1 b", "a b" },
	{ __LINE__, "a b S1", "b a" },
	{ __LINE__, "a b c S1", "a c b" },
	{ __LINE__, "S1 a S2 b c", "a c b" },
};

START_TEST(test_order_61)
{
	const struct order_row *row = &order_rows[_i];

	for (int v = DT_LINUX_6_1; v <= DT_LINUX_6_12; v++) {
		const char *want = v == DT_LINUX_6_1 ? row->v61 : NULL;
		struct dtb d;
		struct dt_tree t;
		struct dt_model m;
		struct mm_buf out;
		const char *p;
		char name[2] = { 0 };
		uint64_t top = MEM_BASE + MEM_SIZE;

		begin(&d, 2);
		for (p = row->dt; *p; p++) {
			if (*p == 'S') {
				child(&d, p[1] == '1' ? "s1@48000000" : "s2@40000000",
				      p[1] == '1' ? 0x48000000 : 0x40000000, SZ_1M,
				      NULL, false);
				p++;
			} else if (*p != ' ') {
				name[0] = *p;
				child(&d, name, 0, SZ_1M, NULL, false);
			}
		}
		finish(&d);
		run(&d, (enum dt_linux)v, &t, &m, &out);
		/* 6.12: DT order; each one placed 1 MiB below the one before */
		const char *order = want ? want : row->dt;

		for (p = order; *p; p++) {
			const struct dt_region *r;

			if (*p == ' ' || *p == 'S' || (p > order && p[-1] == 'S'))
				continue;
			name[0] = *p;
			r = region(&m, name);
			ck_assert_msg(r && r->base == top - SZ_1M,
				      "line %d (%s): %s at %#llx, want %#llx", row->line,
				      v == DT_LINUX_6_1 ? "6.1" : "6.12", name,
				      r ? (unsigned long long)r->base : 0ULL,
				      (unsigned long long)(top - SZ_1M));
			top -= SZ_1M;
		}
		ck_assert_uint_eq(m.findings, 0);
		mm_buf_free(&out);
		dt_model_free(&m);
		dt_tree_free(&t);
	}
}
END_TEST

/* --- the CMA slots: 20, the 21st pool fails ---------------------------------- */

START_TEST(test_cma_slots)
{
	struct dtb d;
	struct dt_tree t;
	struct dt_model m;
	struct mm_buf out;
	char name[16];
	int i;

	begin(&d, 2);
	for (i = 0; i < DT_MAX_CMA + 1; i++) {
		snprintf(name, sizeof(name), "c%02d", i);
		child(&d, name, 0, 2 * SZ_1M, "foo,bar\0Shared-DMA-Pool\0", true);
	}
	finish(&d);
	run(&d, DT_LINUX_6_12, &t, &m, &out);
	ck_assert_ptr_nonnull(strstr(out.s,
		"Reserved memory: created CMA memory pool at 0x000000007fe00000, size 2 MiB\n"
		"OF: reserved mem: initialized node c00, compatible id shared-dma-pool\n"
		"OF: reserved mem: 0x000000007fe00000..0x000000007fffffff (2048 KiB) map reusable c00\n"));
	ck_assert_ptr_nonnull(strstr(out.s,
		"cma: Not enough slots for CMA reserved regions!\n"
		"Reserved memory: unable to setup CMA region\n"
		"OF: reserved mem: node c20 compatible matching fail\n"));
	ck_assert_int_eq(region(&m, "c20")->state, DT_REGION_FREED);
	ck_assert_int_eq(region(&m, "c19")->state, DT_REGION_KEPT);
	/* The freed region is free again for memmap's own */
	ck_assert(!memblock_overlaps(&m.mb.reserved, region(&m, "c20")->base, 2 * SZ_1M));
	ck_assert_uint_eq(m.findings, 3);
	mm_buf_free(&out);
	dt_model_free(&m);
	dt_tree_free(&t);
}
END_TEST

/* --- --apply: placed after the DT's regions, written, read back ------------ */

START_TEST(test_apply_roundtrip)
{
	struct dtb d;
	struct dt_tree t, nt;
	struct dt_model m;
	struct mm_buf out;
	struct cmdline_plan plan;
	struct cmdline_error cerr;
	struct memmap_registry reg;
	struct dt_error err;
	const char *w = "memmap=1M*2M:oops ramoops.mem_name=oops ramoops.ecc=1";
	void *nb;
	size_t nlen;
	int node, len;
	const fdt32_t *p;

	begin(&d, 2);
	child(&d, "dyn", 0, 3 * SZ_1M, NULL, false);
	finish(&d);
	run(&d, DT_LINUX_6_12, &t, &m, &out);
	ck_assert_int_eq(cmdline_parse(w, strlen(w), TEST_ALLOC, &plan, &cerr), 0);
	memmap_registry_init(&reg, TEST_ALLOC);
	ck_assert_int_eq(dt_place(&m, &plan, NULL, &reg, &cerr), 0);
	/* dyn took [0x7fd00000, 0x80000000): the 2 MiB boundary below */
	ck_assert_uint_eq(reg.r[0].start, 0x7fc00000);
	out.len = 0;
	ck_assert_int_eq(dt_rewrite(d.buf, &t, &m, &(struct dt_boot){ .linux = DT_LINUX_6_12 },
				    &reg, &plan.ramoops, TEST_ALLOC, &nb, &nlen,
				    &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out.s, "map non-reusable oops@7fc00000\n"));
	node = fdt_path_offset(nb, "/reserved-memory/oops@7fc00000");
	ck_assert_int_ge(node, 0);
	ck_assert_str_eq(fdt_getprop(nb, node, "compatible", NULL), "ramoops");
	p = fdt_getprop(nb, node, "ecc-size", &len);
	ck_assert_int_eq(len, 4);
	ck_assert_uint_eq(fdt32_to_cpu(*p), 16);
	ck_assert_int_eq(dt_read(&nt, nb, nlen, TEST_ALLOC, &err), 0);
	/* A second write of the same region collides with the first */
	ck_assert_int_eq(dt_write(nb, &nt, &reg, &plan.ramoops, TEST_ALLOC,
				  &nb, &nlen, &err), -MM_EINVAL);
	ck_assert_str_eq(err.what, "oops@7fc00000");

	dt_tree_free(&nt);
	free(nb);
	memmap_registry_free(&reg);
	cmdline_plan_free(&plan);
	mm_buf_free(&out);
	dt_model_free(&m);
	dt_tree_free(&t);
}
END_TEST

/* With 1-cell addresses, a region above 4 GiB cannot be written */
START_TEST(test_apply_cells)
{
	struct dt_tree t = { 0 };
	struct memmap_registry reg;
	struct cmdline_ramoops ro = { 0 };
	struct dt_error err;
	struct dtb d;
	void *nb = NULL;
	size_t nlen;

	begin(&d, 1);
	finish(&d);
	t.addr_cells = t.size_cells = 1;
	memmap_registry_init(&reg, TEST_ALLOC);
	ck_assert_int_eq(memmap_registry_add(&reg, "hi", 0x100000000ULL, 0x1000), 0);
	ck_assert_int_eq(dt_write(d.buf, &t, &reg, &ro, TEST_ALLOC, &nb, &nlen, &err),
			 -MM_EINVAL);
	ck_assert_ptr_null(nb);
	memmap_registry_free(&reg);
}
END_TEST

/* --- memblock's search against pages --------------------------------------- */

#define PAGES 128	/* ranges start below page 64 and are at most 12 long */

START_TEST(test_memblock_random)
{
	uint64_t seed = 20261201;
	int round;

	for (round = 0; round < 3000; round++) {
		struct memblock mb;
		bool mem[PAGES] = { 0 }, nomap[PAGES] = { 0 }, rsv[PAGES] = { 0 };
		uint64_t size, align, start, end, got, want = 0;
		bool up = rnd_below(&seed, 2);
		int i, k, rc;

		memblock_init(&mb, TEST_ALLOC);
		for (k = 0; k < 8; k++) {
			uint64_t b = rnd_below(&seed, 64), n = 1 + rnd_below(&seed, 12);
			int op = (int)rnd_below(&seed, 5);

			for (i = (int)b; i < (int)(b + n); i++) {
				if (op == 0 || op == 1)
					mem[i] = true;
				else if (op == 2)
					nomap[i] = mem[i] ? true : nomap[i];
				else if (op == 3)
					rsv[i] = true;
				else
					rsv[i] = false;
			}
			if (op <= 1)
				ck_assert_int_eq(memblock_add(&mb, b * 4096, n * 4096), 0);
			else if (op == 2)
				ck_assert_int_eq(memblock_set_nomap(&mb, b * 4096, n * 4096, true), 0);
			else if (op == 3)
				ck_assert_int_eq(memblock_reserve(&mb, b * 4096, n * 4096), 0);
			else
				ck_assert_int_eq(memblock_phys_free(&mb, b * 4096, n * 4096), 0);
		}
		for (i = 0; i < PAGES; i++)
			nomap[i] = nomap[i] && mem[i];
		size = (1 + rnd_below(&seed, 6)) * 4096;
		align = 4096ULL << rnd_below(&seed, 4);
		start = rnd_below(&seed, 3) ? 0 : rnd_below(&seed, 80) * 4096;
		end = rnd_below(&seed, 3) ? 0 : start + rnd_below(&seed, 80) * 4096;

		/* Page by page: [A, A+size) free, aligned, inside [max(start, 4K), end) */
		for (k = 0; k < PAGES; k++) {
			int a = up ? k : PAGES - 1 - k;
			uint64_t lo = start < 4096 ? 4096 : start;
			uint64_t hi = end <= 1 ? UINT64_MAX : end < lo ? lo : end;
			bool ok = (uint64_t)a * 4096 % align == 0 &&
				  (uint64_t)a * 4096 >= lo && (uint64_t)a * 4096 + size <= hi;

			for (i = a; ok && i < a + (int)(size / 4096); i++)
				ok = i < PAGES && mem[i] && !nomap[i] && !rsv[i];
			if (ok) {
				want = (uint64_t)a * 4096;
				break;
			}
		}
		got = memblock_phys_alloc_range(&mb, size, align, start, end, up, &rc);
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(got == want, "round %d: %s size %#llx align %#llx [%#llx, %#llx): got %#llx, want %#llx",
			      round, up ? "bottom-up" : "top-down",
			      (unsigned long long)size, (unsigned long long)align,
			      (unsigned long long)start, (unsigned long long)end,
			      (unsigned long long)got, (unsigned long long)want);
		if (got)
			ck_assert(memblock_overlaps(&mb.reserved, got, size));
		memblock_free_all(&mb);
	}
}
END_TEST

/* --- every allocation failure: -MM_ENOMEM, nothing leaked ------------------ */

START_TEST(test_model_enomem)
{
	struct dtb d;
	long left;
	int i;

	begin(&d, 2);
	for (i = 0; i < 6; i++) {
		char name[4] = { 'd', (char)('0' + i), 0 };

		child(&d, name, 0, SZ_1M, i & 1 ? "shared-dma-pool\0" : NULL, i & 2);
	}
	child(&d, "s@50000000", 0x50000000, SZ_1M, NULL, false);
	finish(&d);
	for (left = 0;; left++) {
		struct track_alloc_ctx c = TRACK_ALLOC_INIT(left);
		struct mm_alloc a = { track_realloc, &c };
		struct dt_tree t;
		struct dt_model m;
		struct dt_error err;
		struct mm_buf out;
		int rc = dt_read(&t, d.buf, sizeof(d.buf), &a, &err);

		if (!rc) {
			mm_buf_init(&out, &a);
			rc = dt_model_run(&m, &t, &(struct dt_boot){
					  .linux = left & 1 ? DT_LINUX_6_1 : DT_LINUX_6_12 },
					  &a, &out);
			dt_model_free(&m);
			mm_buf_free(&out);
			dt_tree_free(&t);
		}
		ck_assert_msg(rc == 0 || rc == -MM_ENOMEM, "left %ld: rc %d", left, rc);
		ck_assert_msg(track_release(&c) == 0, "left %ld: leaked", left);
		if (!rc && !c.failed)
			break;
	}
}
END_TEST

Suite *dt_suite(void)
{
	Suite *s = suite_create("dt");
	TCase *tc = tcase_create("dt");

	tcase_add_loop_test(tc, test_order_61, 0, ARRAY_SIZE(order_rows));
	tcase_add_test(tc, test_cma_slots);
	tcase_add_test(tc, test_apply_roundtrip);
	tcase_add_test(tc, test_apply_cells);
	tcase_add_test(tc, test_memblock_random);
	tcase_add_test(tc, test_model_enomem);
	suite_add_tcase(s, tc);
	return s;
}
