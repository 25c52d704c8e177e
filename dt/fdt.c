// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a flattened device tree for the memory model (see dt.h), with
 * libfdt.  Every value is taken as Linux's early code takes it; where
 * Linux would read past a property or loop (a cell count of 0, a cells
 * property shorter than one cell, a /memreserve/ block without its end)
 * the blob is refused instead.
 */
#include "dt.h"

#include <libfdt.h>

uint64_t dt_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < cells; i++, p += 4)
		v = v << 32 | (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
		    (uint64_t)p[2] << 8 | p[3];
	return v;
}

/* A string property equal to @s (its NUL included) within its length */
static bool prop_is(const struct dt_prop *p, const char *s)
{
	size_t n = strlen(s) + 1;

	return p->len >= (int)n && !memcmp(p->val, s, n);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool dt_compatible(const struct dt_prop *compat, const char *name)
{
	size_t want = strlen(name);
	const uint8_t *p = compat->val;
	int left = compat->len;

	/* Each string of the list, compared as strcasecmp() compares */
	while (left > 0) {
		size_t n = 0, k;

		while ((int)n < left && p[n])
			n++;
		for (k = 0; k < n && k < want; k++)
			if (lower(p[k]) != lower((unsigned char)name[k]))
				break;
		if (k == n && k == want)
			return true;
		p += n + 1;
		left -= (int)n + 1;
	}
	return false;
}

static struct dt_prop getprop(const void *fdt, int node, const char *name)
{
	struct dt_prop p;

	p.val = fdt_getprop(fdt, node, name, &p.len);
	if (!p.val)
		p.len = -1;
	return p;
}

static bool available(const void *fdt, int node)
{
	struct dt_prop s = getprop(fdt, node, "status");

	return s.len < 0 || prop_is(&s, "okay") || prop_is(&s, "ok");
}

int dt_error_set(struct dt_error *err, const char *what, const char *why)
{
	size_t n = strlen(what);

	if (n >= sizeof(err->what))
		n = sizeof(err->what) - 1;
	memcpy(err->what, what, n);
	err->what[n] = '\0';
	err->why = why;
	return -MM_EINVAL;
}

/* Whether [base, base+size) runs past 2^64 (ending exactly there is fine) */
static bool wraps(uint64_t base, uint64_t size)
{
	return size && base + (size - 1) < base;
}

/*
 * Every (address, size) pair of @p wraps not: Linux cuts such a range at
 * 2^64 without a word; a DT that says it is wrong, and memmap says so
 */
static int check_pairs(const struct dt_tree *t, const struct dt_prop *p,
		       const char *node, const char *prop, struct dt_error *err)
{
	uint32_t pair = 4 * (t->addr_cells + t->size_cells);
	int off;

	for (off = 0; p->len >= 0 && off + (int)pair <= p->len; off += pair)
		if (wraps(dt_cells(p->val + off, t->addr_cells),
			  dt_cells(p->val + off + 4 * t->addr_cells, t->size_cells))) {
			char what[160];
			size_t n = strlen(node);

			if (n > 100)
				n = 100;
			memcpy(what, node, n);
			what[n] = ' ';
			memcpy(what + n + 1, prop, strlen(prop) + 1);
			return dt_error_set(err, what, "a range runs past 2^64");
		}
	return 0;
}

/* The root's #address-cells or #size-cells: 1 when absent */
static int root_cells(const void *fdt, const char *name, uint32_t *cells,
		      struct dt_error *err)
{
	struct dt_prop p = getprop(fdt, 0, name);

	*cells = 1;
	if (p.len < 0)
		return 0;
	if (p.len < 4)
		return dt_error_set(err, name, "shorter than one cell");
	*cells = (uint32_t)dt_cells(p.val, 1);
	if (*cells < 1 || *cells > 4)
		return dt_error_set(err, name, "the root's cell count must be 1 to 4");
	return 0;
}

/* The /memory banks: every root child of device_type "memory", as Linux */
static int read_memory(struct dt_tree *t, const void *fdt, struct dt_error *err)
{
	uint32_t pair = t->addr_cells + t->size_cells;
	int node, rc;

	fdt_for_each_subnode(node, fdt, 0) {
		struct dt_prop type = getprop(fdt, node, "device_type"), reg;
		const uint8_t *p;
		int left;

		if (!prop_is(&type, "memory") || !available(fdt, node))
			continue;
		reg = getprop(fdt, node, "linux,usable-memory");
		if (reg.len < 0)
			reg = getprop(fdt, node, "reg");
		rc = check_pairs(t, &reg, fdt_get_name(fdt, node, NULL), "reg", err);
		if (rc)
			return rc;
		for (p = reg.val, left = reg.len / 4; left >= (int)pair;
		     left -= pair, p += 4 * pair) {
			struct dt_range r = {
				dt_cells(p, t->addr_cells),
				dt_cells(p + 4 * t->addr_cells, t->size_cells),
			};

			if (!r.size)
				continue;
			if (mm_grow(t->alloc, &t->memory, &t->cap_memory,
				    t->nr_memory + 1, sizeof(r)))
				return -MM_ENOMEM;
			t->memory[t->nr_memory++] = r;
		}
	}
	return 0;
}

static int read_memreserve(struct dt_tree *t, const void *fdt,
			   struct dt_error *err)
{
	int n = fdt_num_mem_rsv(fdt), i;

	if (n < 0)
		return dt_error_set(err, "/memreserve/", "the block has no end entry");
	for (i = 0; i < n; i++) {
		struct dt_range r;

		if (fdt_get_mem_rsv(fdt, i, &r.base, &r.size) || !r.size)
			break;
		if (wraps(r.base, r.size))
			return dt_error_set(err, "/memreserve/", "a range runs past 2^64");
		if (mm_grow(t->alloc, &t->memreserve, &t->cap_memreserve,
			    t->nr_memreserve + 1, sizeof(r)))
			return -MM_ENOMEM;
		t->memreserve[t->nr_memreserve++] = r;
	}
	return 0;
}

/* The /reserved-memory root checks: cells equal to the root's, ranges */
static int check_resmem(struct dt_tree *t, const void *fdt, int node,
			struct dt_error *err)
{
	struct dt_prop sc = getprop(fdt, node, "#size-cells");
	struct dt_prop ac = getprop(fdt, node, "#address-cells");

	if ((sc.len >= 0 && sc.len < 4) || (ac.len >= 0 && ac.len < 4))
		return dt_error_set(err, "/reserved-memory",
			    "#address-cells or #size-cells is shorter than one cell");
	t->resmem_ok = sc.len >= 0 && dt_cells(sc.val, 1) == t->size_cells &&
		       ac.len >= 0 && dt_cells(ac.val, 1) == t->addr_cells &&
		       getprop(fdt, node, "ranges").len >= 0;
	return 0;
}

static int read_children(struct dt_tree *t, const void *fdt, int parent,
			 struct dt_error *err)
{
	int node, rc;

	fdt_for_each_subnode(node, fdt, parent) {
		struct dt_child c;

		c.name = fdt_get_name(fdt, node, NULL);
		c.offset = node;
		c.available = available(fdt, node);
		c.reg = getprop(fdt, node, "reg");
		c.size = getprop(fdt, node, "size");
		c.alignment = getprop(fdt, node, "alignment");
		c.alloc_ranges = getprop(fdt, node, "alloc-ranges");
		c.compatible = getprop(fdt, node, "compatible");
		c.nomap = getprop(fdt, node, "no-map").len >= 0;
		c.reusable = getprop(fdt, node, "reusable").len >= 0;
		c.cma_default = getprop(fdt, node, "linux,cma-default").len >= 0;
		if (!c.name)
			return dt_error_set(err, "/reserved-memory", "a child without a name");
		rc = check_pairs(t, &c.reg, c.name, "reg", err);
		if (!rc)
			rc = check_pairs(t, &c.alloc_ranges, c.name, "alloc-ranges", err);
		if (rc)
			return rc;
		if (mm_grow(t->alloc, &t->child, &t->cap_child,
			    t->nr_child + 1, sizeof(c)))
			return -MM_ENOMEM;
		t->child[t->nr_child++] = c;
	}
	return 0;
}

/* What a libfdt check found, in words */
static const char *fdt_why(int rc)
{
	switch (-rc) {
	case FDT_ERR_TRUNCATED:
		return "cut short: a block or a name runs past the end of the blob";
	case FDT_ERR_BADMAGIC:
		return "not a flattened device tree (no d00dfeed magic)";
	case FDT_ERR_BADVERSION:
		return "a flattened device tree version this reader does not know";
	case FDT_ERR_BADSTRUCTURE:
		return "the structure block does not nest: a node never ends, or a token is unknown";
	case FDT_ERR_BADLAYOUT:
		return "the header's blocks overlap or are out of order";
	case FDT_ERR_BADOFFSET:
		return "an offset points outside its block (a property name, a node)";
	case FDT_ERR_ALIGNMENT:
		return "the blob is not 8-byte aligned";
	default:
		return fdt_strerror(rc);
	}
}

int dt_read(struct dt_tree *t, const void *fdt, size_t len,
	    const struct mm_alloc *a, struct dt_error *err)
{
	int rc, node;

	memset(t, 0, sizeof(*t));
	t->alloc = a;
	if (len < 4 || fdt_magic(fdt) != FDT_MAGIC)
		return dt_error_set(err, "device tree", fdt_why(-FDT_ERR_BADMAGIC));
	if (len < FDT_V17_SIZE)
		return dt_error_set(err, "device tree", "cut short: shorter than its header");
	/* Before version 16 node names are full paths; libfdt 1.6.1's check
	 * then reads through a NULL name */
	if (fdt_version(fdt) < 16)
		return dt_error_set(err, "device tree",
				    "a flattened device tree version before 16: node names would be paths");
	if (fdt_totalsize(fdt) > len)
		return dt_error_set(err, "device tree",
				    "cut short: the header's totalsize is larger than the blob");
	rc = fdt_check_full(fdt, len);
	if (rc)
		return dt_error_set(err, "device tree", fdt_why(rc));

	rc = root_cells(fdt, "#address-cells", &t->addr_cells, err);
	if (!rc)
		rc = root_cells(fdt, "#size-cells", &t->size_cells, err);
	if (!rc)
		rc = read_memory(t, fdt, err);
	if (!rc)
		rc = read_memreserve(t, fdt, err);
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (!rc && node >= 0) {
		t->has_resmem = true;
		rc = check_resmem(t, fdt, node, err);
		if (!rc)
			rc = read_children(t, fdt, node, err);
	}
	if (rc)
		dt_tree_free(t);
	return rc;
}

void dt_tree_free(struct dt_tree *t)
{
	mm_free(t->alloc, t->memory);
	mm_free(t->alloc, t->memreserve);
	mm_free(t->alloc, t->child);
	t->memory = NULL;
	t->memreserve = NULL;
	t->child = NULL;
	t->nr_memory = t->nr_memreserve = t->nr_child = 0;
}
