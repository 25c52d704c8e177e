/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A flattened device tree as Linux's early boot code reads it for memory:
 * the root's cells, the /memory banks, the /memreserve/ block and the
 * children of /reserved-memory with the properties the reserved-memory
 * code looks at.  Read with libfdt after a full structure check, so the
 * model never walks a malformed blob.
 */
#ifndef DT_DT_H
#define DT_DT_H

#include "../e820/base.h"

/* A property as found: @len < 0 when it is absent */
struct dt_prop {
	const uint8_t *val;
	int len;
};

struct dt_child {
	const char *name;	/* the full node name, unit address included */
	int offset;		/* FDT structure offset (6.12's sort key) */
	bool available;		/* no status, or "okay"/"ok" */
	struct dt_prop reg, size, alignment, alloc_ranges, compatible;
	bool nomap, reusable, cma_default;
};

struct dt_range {
	uint64_t base, size;
};

struct dt_tree {
	const struct mm_alloc *alloc;
	uint32_t addr_cells, size_cells;	/* the root's; Linux's default 1 */
	struct dt_range *memory;		/* /memory banks, as written */
	size_t nr_memory, cap_memory;
	struct dt_range *memreserve;		/* up to the first size 0 */
	size_t nr_memreserve, cap_memreserve;
	bool has_resmem;			/* /reserved-memory exists */
	bool resmem_ok;				/* and passes the root checks */
	struct dt_child *child;			/* its direct children, in order */
	size_t nr_child, cap_child;
};

struct dt_error {
	char what[160];		/* the node or property at fault */
	const char *why;
};

/**
 * dt_read() - check a flattened device tree fully and read it
 * @t:   filled on success; free with dt_tree_free()
 * @fdt: the blob; must outlive @t (names and values point into it)
 * @len: bytes available at @fdt
 * @a:   allocator
 * @err: filled on -MM_EINVAL
 * Return: 0, -MM_EINVAL for a blob that is not a well-formed DT (cut,
 * offsets that point outside, a structure that does not nest, root cells
 * that are no number of cells) or -MM_ENOMEM.
 */
int dt_read(struct dt_tree *t, const void *fdt, size_t len,
	    const struct mm_alloc *a, struct dt_error *err);

void dt_tree_free(struct dt_tree *t);

/* Fill @err (the text of @what cut to fit); returns -MM_EINVAL */
int dt_error_set(struct dt_error *err, const char *what, const char *why);

/* Linux's dt_mem_next_cell(): @cells big-endian cells, the low 64 bits kept */
uint64_t dt_cells(const uint8_t *p, uint32_t cells);

/* Whether one of the strings of @compat is @name, ignoring case (Linux's test) */
bool dt_compatible(const struct dt_prop *compat, const char *name);

#endif
