/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench: memmap.efi's work on the host, for callgrind to count.
 *   pipeline LOG
 * LOG's "efi: memNN:" lines are the firmware map (read before counting).
 * A 1 MiB ramoops region with ECC 16 holds one dmesg record (written
 * before counting).  bench_pipeline() then does what memmap.efi's run()
 * does with the demo line: parse, convert the map, apply (fixed options,
 * then placement, in firmware-free memory), rewrite and report, and scan
 * the pstore region for records.  Each phase is its own function so
 * callgrind_annotate can split the count; run it with
 * --toggle-collect=bench_pipeline.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "../../cli/mapread.h"
#include "../../cmdline/apply.h"
#include "../../pstore/record.h"

#define A (&mapread_libc_alloc)
#define REGION_SIZE (1u << 20)

static const char demo[] = "memmap=12M*4096:oops ramoops.mem_name=oops "
			   "memmap=1M$0x10000000 ramoops.ecc=16";

struct run {
	const struct efimap_desc *descs;
	size_t ndesc;
	const uint8_t *region;
	struct cmdline_plan plan;
	struct e820_table fw, attrs, within, result;
	struct memmap_registry reg;
	struct pstore_records recs;
	struct mm_buf out;
	int rc;
};

static void fail(const char *what, int rc)
{
	fprintf(stderr, "pipeline: %s failed: %d\n", what, rc);
	exit(1);
}

static struct pstore_params ramoops_params(const struct cmdline_plan *plan)
{
	struct pstore_params p;

	memset(&p, 0, sizeof(p));
	p.mem_size = REGION_SIZE;
	p.record_size = plan->ramoops.record_size;
	p.console_size = plan->ramoops.console_size;
	p.ftrace_size = plan->ramoops.ftrace_size;
	p.pmsg_size = plan->ramoops.pmsg_size;
	p.ecc = plan->ramoops.ecc;
	p.order = PSTORE_ORDER_AUTO;
	return p;
}

__attribute__((noinline)) static void ph_parse(struct run *r)
{
	struct cmdline_error err;

	r->rc = cmdline_parse(demo, sizeof(demo) - 1, A, &r->plan, &err);
}

/* efimap_to_e820(), and free memory (EfiConventionalMemory) as type 1 */
__attribute__((noinline)) static void ph_convert(struct run *r)
{
	size_t i;

	r->rc = efimap_to_e820(&r->fw, &r->attrs, r->descs, r->ndesc,
			       r->plan.soft_reserve);
	for (i = 0; !r->rc && i < r->ndesc; i++)
		if (r->descs[i].type == EFI_CONVENTIONAL_MEMORY)
			r->rc = e820_range_add(&r->within, r->descs[i].phys_addr,
					       r->descs[i].num_pages << EFIMAP_PAGE_SHIFT,
					       E820_TYPE_RAM);
	if (!r->rc)
		r->rc = e820_sanitize(&r->within);
}

__attribute__((noinline)) static void ph_place(struct run *r)
{
	struct cmdline_place place = { .attrs = &r->attrs, .within = &r->within };
	struct cmdline_error err;

	r->rc = cmdline_apply(&r->plan, &r->fw, &place, &r->result, &r->reg, &err);
	if (!r->rc) {
		cmdline_report(&r->out, &r->plan, &r->fw, &r->result, &r->reg, false);
		r->rc = cmdline_rewrite(&r->plan, &r->reg, &r->out);
	}
}

__attribute__((noinline)) static void ph_pstore(struct run *r)
{
	struct pstore_params p = ramoops_params(&r->plan);
	const char *why;
	size_t i;

	r->rc = pstore_records_read(r->region, REGION_SIZE, &p, A, &r->recs, &why);
	for (i = 0; !r->rc && i < r->recs.nr; i++)
		pstore_record_print(&r->out, &r->recs.r[i]);
}

__attribute__((noinline)) void bench_pipeline(struct run *r);
__attribute__((noinline)) void bench_pipeline(struct run *r)
{
	ph_parse(r);
	if (r->rc)
		return;
	e820_table_init(&r->fw, A);
	e820_table_init(&r->attrs, A);
	e820_table_init(&r->within, A);
	e820_table_init(&r->result, A);
	memmap_registry_init(&r->reg, A);
	mm_buf_init(&r->out, A);
	ph_convert(r);
	if (!r->rc)
		ph_place(r);
	if (!r->rc)
		ph_pstore(r);
}

/* The firmware map: the log's efi: memNN: lines */
static struct efimap_desc *read_descs(const char *path, size_t *n)
{
	struct efimap_desc *d = NULL, one;
	size_t cap = 0, len = 0;
	char *line = NULL;
	FILE *f = fopen(path, "r");
	ssize_t k;

	if (!f) {
		perror(path);
		exit(1);
	}
	*n = 0;
	while ((k = getline(&line, &len, f)) > 0) {
		if (efimap_parse_line(line, (size_t)k, &one))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			d = realloc(d, cap * sizeof(*d));
			if (!d)
				fail("realloc", -MM_ENOMEM);
		}
		d[(*n)++] = one;
	}
	free(line);
	fclose(f);
	if (!*n)
		fail("reading efi: lines", -MM_ENOENT);
	return d;
}

/* A 1 MiB region as ramoops leaves it: one dmesg record in zone 0 */
static uint8_t *make_region(void)
{
	static const char text[] = "Oops: general protection fault, probably for "
				   "non-canonical address 0xdead000000000100\n";
	struct cmdline_plan plan;
	struct cmdline_error err;
	struct pstore_params p;
	struct pstore_layout l;
	static struct pstore_rs rs;
	uint8_t *region = calloc(1, REGION_SIZE);
	char body[3000];
	const char *why;
	size_t i;
	int rc;

	if (!region)
		fail("calloc", -MM_ENOMEM);
	rc = cmdline_parse(demo, sizeof(demo) - 1, A, &plan, &err);
	if (rc)
		fail("cmdline_parse", rc);
	p = ramoops_params(&plan);
	cmdline_plan_free(&plan);
	rc = pstore_layout(&p, NULL, &l, A, &why);
	if (rc)
		fail("pstore_layout", rc);
	if (pstore_rs_init(&rs, l.ecc))
		fail("pstore_rs_init", -MM_EINVAL);
	for (i = 0; i < sizeof(body); i++)
		body[i] = text[i % (sizeof(text) - 1)];
	rc = pstore_write_dmesg(region, &l, &l.zones[0], &rs, 1700000000, 123456,
				false, body, sizeof(body));
	if (rc)
		fail("pstore_write_dmesg", rc);
	pstore_layout_free(&l);
	return region;
}

int main(int argc, char **argv)
{
	struct run r;
	size_t i, recs;

	if (argc != 2) {
		fprintf(stderr, "usage: pipeline LOG\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.descs = read_descs(argv[1], &r.ndesc);
	r.region = make_region();

	bench_pipeline(&r);
	if (r.rc)
		fail("the pipeline", r.rc);

	/* What memmap.efi would print, as a check (not counted) */
	for (i = 0; i < r.reg.nr; i++)
		printf("named: %s 0x%llx 0x%llx\n", r.reg.r[i].name,
		       (unsigned long long)r.reg.r[i].start,
		       (unsigned long long)r.reg.r[i].size);
	recs = r.recs.nr;
	printf("efi descriptors: %zu, e820 entries: %zu, pstore records: %zu, output: %zu bytes\n",
	       r.ndesc, r.result.nr, recs, r.out.len);
	if (!recs)
		fail("finding the record", -MM_ENOENT);
	pstore_records_free(&r.recs);
	mm_buf_free(&r.out);
	memmap_registry_free(&r.reg);
	e820_table_free(&r.result);
	e820_table_free(&r.within);
	e820_table_free(&r.attrs);
	e820_table_free(&r.fw);
	cmdline_plan_free(&r.plan);
	free((void *)r.region);
	free((void *)r.descs);
	return 0;
}
