// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memmap's regions placed in a device tree and written into it (apply.h).
 */
#include "apply.h"

#include <libfdt.h>

static int word_fail(struct cmdline_error *err, const struct cmdline_plan *plan,
		     size_t word, const char *why)
{
	err->word = plan->words[word].raw;
	err->word_len = plan->words[word].raw_len;
	err->reason = why;
	return -MM_EINVAL;
}

static bool node_char_ok(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == ',' || c == '.' || c == '_' ||
	       c == '+' || c == '-';
}

/* The remembered place of @w, when it can be used again */
static const struct memmap_region *remembered(const struct dt_model *m,
					      const struct memmap_registry *sticky,
					      const struct cmdline_wild *w)
{
	const struct memmap_region *r = sticky ? memmap_registry_find(sticky, w->name) : NULL;

	if (r && r->size == w->size && !(r->start & (w->align - 1)) &&
	    memblock_is_free(&m->mb, r->start, r->size))
		return r;
	return NULL;
}

int dt_place(struct dt_model *m, const struct cmdline_plan *plan,
	     const struct memmap_registry *sticky,
	     struct memmap_registry *reg, struct cmdline_error *err)
{
	size_t i, k, pass;
	int rc;

	if (plan->nops)
		return word_fail(err, plan, plan->ops[0].word,
				 "a device tree has no e820 map: only memmap=SIZE*ALIGN:NAME and reserve_mem=SIZE:ALIGN:NAME place regions in it");
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < plan->nwild; i++) {
			const struct cmdline_wild *w = &plan->wild[i];
			const struct memmap_region *old = remembered(m, sticky, w);
			uint64_t base;

			if (memmap_registry_find(reg, w->name) || (!pass && !old))
				continue;
			for (k = 0; w->name[k]; k++)
				if (!node_char_ok(w->name[k]))
					return word_fail(err, plan, w->word,
							 "a device-tree node name takes only letters, digits and , . _ + -");
			if (old) {
				base = old->start;
				rc = memblock_reserve(&m->mb, base, w->size);
			} else {
				base = memblock_phys_alloc_range(&m->mb, w->size,
								 w->align, 0, 0,
								 false, &rc);
			}
			if (rc)
				return rc;
			if (!base) {
				word_fail(err, plan, w->word,
					  "no memory is free for it after the device tree's own regions");
				return -MM_ENOSPC;
			}
			rc = memmap_registry_add(reg, w->name, base, w->size);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* NAME@ADDR, the unit address in lowercase hex */
static void node_name(struct mm_buf *b, const struct memmap_region *r)
{
	b->len = 0;
	mm_buf_puts(b, r->name);
	mm_buf_putc(b, '@');
	mm_buf_xdigits(b, r->start, 0);
}


/* @v as @cells big-endian cells (the high ones 0 past two) */
static void put_cells(uint8_t *p, uint64_t v, uint32_t cells)
{
	uint32_t i;

	for (i = cells; i > 0; i--, v >>= 32) {
		p[4 * i - 4] = (uint8_t)(v >> 24);
		p[4 * i - 3] = (uint8_t)(v >> 16);
		p[4 * i - 2] = (uint8_t)(v >> 8);
		p[4 * i - 1] = (uint8_t)v;
	}
}

/* Whether @v fits @cells cells */
static bool fits_cells(uint64_t v, uint32_t cells)
{
	return cells >= 2 || !(v >> 32);
}

/* What the DT cannot take, found before anything is written */
static int check_regions(const struct dt_tree *t,
			 const struct memmap_registry *reg,
			 const struct cmdline_ramoops *ro, struct dt_error *err)
{
	const uint64_t sizes[] = { ro->record_size, ro->console_size,
				   ro->ftrace_size, ro->pmsg_size, ro->ecc };
	size_t i, k;

	if (t->has_resmem && !t->resmem_ok)
		return dt_error_set(err, "/reserved-memory",
				    "Linux ignores it (its #address-cells, #size-cells or ranges): fix it first");
	for (i = 0; i < reg->nr; i++) {
		const struct memmap_region *r = &reg->r[i];

		for (k = 0; r->name[k]; k++)
			if (!node_char_ok(r->name[k]))
				return dt_error_set(err, r->name,
						    "a device-tree node name takes only letters, digits and , . _ + -");
		if (!fits_cells(r->start, t->addr_cells) ||
		    !fits_cells(r->size, t->size_cells))
			return dt_error_set(err, r->name,
					    "its address or size does not fit the root's #address-cells/#size-cells");
	}
	for (i = 0; ro->mem_name && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i] >> 32)
			return dt_error_set(err, ro->mem_name,
					    "a ramoops size does not fit the ramoops binding's 32 bits");
	return 0;
}

/*
 * The ramoops binding (Documentation/devicetree/bindings/reserved-memory/
 * ramoops.yaml).  libfdt puts each new property first, so they are set
 * last to first.
 */
static int add_ramoops(void *fdt, int node, const struct cmdline_ramoops *ro)
{
	int rc = fdt_setprop_u32(fdt, node, "ecc-size", ro->ecc);

	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "pmsg-size", (uint32_t)ro->pmsg_size);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "ftrace-size", (uint32_t)ro->ftrace_size);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "console-size", (uint32_t)ro->console_size);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "record-size", (uint32_t)ro->record_size);
	return rc;
}

/* Everything into @buf, opened at @size bytes; 0 or a libfdt error */
static int write_into(void *buf, int size, const void *fdt,
		      const struct dt_tree *t, const struct memmap_registry *reg,
		      const struct cmdline_ramoops *ro, struct mm_buf *name)
{
	int rc = fdt_open_into(fdt, buf, size), parent;
	size_t i;

	if (rc)
		return rc;
	parent = fdt_path_offset(buf, "/reserved-memory");
	if (parent < 0) {
		parent = fdt_add_subnode(buf, 0, "reserved-memory");
		if (parent < 0)
			return parent;
		rc = fdt_setprop_u32(buf, parent, "#address-cells", t->addr_cells);
		if (!rc)
			rc = fdt_setprop_u32(buf, parent, "#size-cells", t->size_cells);
		if (!rc)
			rc = fdt_setprop(buf, parent, "ranges", NULL, 0);
		if (rc)
			return rc;
	}
	for (i = 0; i < reg->nr; i++) {
		const struct memmap_region *r = &reg->r[i];
		uint8_t cells[32];
		bool oops;
		int node;

		node_name(name, r);
		if (name->rc)
			return -FDT_ERR_NOSPACE;
		node = fdt_add_subnode(buf, parent, name->s);
		if (node < 0)
			return node;
		put_cells(cells, r->start, t->addr_cells);
		put_cells(cells + 4 * t->addr_cells, r->size, t->size_cells);
		oops = ro->mem_name && !strcmp(ro->mem_name, r->name);
		rc = oops ? add_ramoops(buf, node, ro) : 0;
		if (!rc)
			rc = fdt_setprop(buf, node, "reg", cells,
					 4 * (t->addr_cells + t->size_cells));
		if (!rc && oops)
			rc = fdt_setprop_string(buf, node, "compatible", "ramoops");
		if (rc)
			return rc;
	}
	return fdt_pack(buf);
}

int dt_write(const void *fdt, const struct dt_tree *t,
	     const struct memmap_registry *reg,
	     const struct cmdline_ramoops *ramoops, const struct mm_alloc *a,
	     void **out, size_t *outlen, struct dt_error *err)
{
	size_t size = fdt_totalsize(fdt) + 1024 + 512 * reg->nr;
	struct mm_buf name;
	void *buf;
	int rc = check_regions(t, reg, ramoops, err);

	if (rc)
		return rc;
	mm_buf_init(&name, a);
	for (;;) {
		buf = size <= INT32_MAX ? a->realloc(a->ctx, NULL, size) : NULL;
		if (!buf) {
			mm_buf_free(&name);
			return -MM_ENOMEM;
		}
		rc = write_into(buf, (int)size, fdt, t, reg, ramoops, &name);
		if (rc != -FDT_ERR_NOSPACE || name.rc)
			break;
		mm_free(a, buf);
		size *= 2;
	}
	if (rc == -FDT_ERR_EXISTS)
		rc = dt_error_set(err, name.s,
				  "/reserved-memory has a node of that name already");
	else if (name.rc)
		rc = -MM_ENOMEM;
	else if (rc)
		rc = dt_error_set(err, "device tree", fdt_strerror(rc));
	mm_buf_free(&name);
	if (rc) {
		mm_free(a, buf);
		return rc;
	}
	*out = buf;
	*outlen = fdt_totalsize(buf);
	return 0;
}

static const struct dt_region *find(const struct dt_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nr_region; i++)
		if (!strcmp(m->region[i].node->name, name))
			return &m->region[i];
	return NULL;
}

int dt_same(const struct dt_model *before, const struct dt_model *after,
	    const struct memmap_registry *reg, struct dt_error *err)
{
	struct mm_buf name;
	size_t i;
	int rc = 0;

	for (i = 0; i < before->nr_region && !rc; i++) {
		const struct dt_region *b = &before->region[i];
		const struct dt_region *n = find(after, b->node->name);

		if (!n || n->base != b->base || n->size != b->size ||
		    n->state != b->state)
			rc = dt_error_set(err, b->node->name,
					  "Linux would place or keep this region of the DT differently once memmap's regions are in it");
	}
	mm_buf_init(&name, before->alloc);
	for (i = 0; i < reg->nr && !rc; i++) {
		const struct dt_region *n;

		node_name(&name, &reg->r[i]);
		if (name.rc) {
			rc = name.rc;
			break;
		}
		n = find(after, name.s);
		if (!n || n->base != reg->r[i].start || n->size != reg->r[i].size ||
		    n->state != DT_REGION_KEPT)
			rc = dt_error_set(err, name.s,
					  "Linux would not keep this region where memmap placed it");
	}
	mm_buf_free(&name);
	if (!rc && after->findings != before->findings)
		rc = dt_error_set(err, "device tree",
				  "Linux would report a problem with the written DT that it does not report with the original");
	return rc;
}

int dt_rewrite(const void *fdt, const struct dt_tree *t,
	       const struct dt_model *before, const struct dt_boot *b,
	       const struct memmap_registry *reg,
	       const struct cmdline_ramoops *ramoops, const struct mm_alloc *a,
	       void **blob, size_t *len, struct mm_buf *out,
	       struct dt_error *err)
{
	struct dt_tree nt;
	struct dt_model nm;
	int rc = dt_write(fdt, t, reg, ramoops, a, blob, len, err);

	if (rc)
		return rc;
	rc = dt_read(&nt, *blob, *len, a, err);
	if (!rc) {
		rc = dt_model_run(&nm, &nt, b, a, out);
		if (!rc)
			rc = dt_same(before, &nm, reg, err);
		dt_model_free(&nm);
		dt_tree_free(&nt);
	}
	if (rc) {
		mm_free(a, *blob);
		*blob = NULL;
	}
	return rc;
}

void dt_cmdline(struct mm_buf *out, const struct cmdline_plan *plan)
{
	bool init = false, first = true;
	size_t i;

	for (i = 0; i < plan->nwords; i++) {
		const struct cmdline_word *w = &plan->words[i];

		if (!init && !w->val && !strcmp(w->param, "--"))
			init = true;
		else if (!init && (w->kind != CMDLINE_WORD_OTHER ||
				   (plan->ramoops.mem_name &&
				    !strncmp(w->param, "ramoops.", 8))))
			continue;
		if (!first)
			mm_buf_putc(out, ' ');
		mm_buf_putn(out, w->raw, w->raw_len);
		first = false;
	}
}
