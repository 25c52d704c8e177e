/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What Linux on arm64 does with a device tree's reserved memory at boot
 * (drivers/of/fdt.c, drivers/of/of_reserved_mem.c, kernel/dma/ of Debian's
 * 6.1.192 and 6.12.117; dt/LINUX.md has every fact this follows): the
 * /memreserve/ block, the /reserved-memory checks, static regions reserved
 * or marked no-map, dynamic regions placed by memblock, the table with its
 * per-version limits, sort and overlap check, the shared-dma-pool setup,
 * and every line the kernel prints about it, in the kernel's order.
 */
#ifndef DT_RESMEM_H
#define DT_RESMEM_H

#include "dt.h"
#include "memblock.h"

enum dt_linux {
	DT_LINUX_6_1,
	DT_LINUX_6_12,
};

enum dt_region_state {
	DT_REGION_KEPT,		/* reserved or placed, and initialised */
	DT_REGION_UNPLACED,	/* dynamic, not placed (or no size) */
	DT_REGION_FREED,	/* its init failed: Linux gave it back */
};

/* One entry of Linux's reserved_mem table */
struct dt_region {
	const struct dt_child *node;
	uint64_t base, size;
	bool dynamic;
	enum dt_region_state state;
};

struct dt_model {
	const struct mm_alloc *alloc;
	enum dt_linux linux;
	struct memblock mb;		/* memblock after the scan */
	struct dt_region *region;	/* the table, in Linux's final order */
	size_t nr_region, cap_region;
	unsigned int findings;		/* regions failed, dropped or freed; errors */
	unsigned int cma_areas;
	int rc;				/* first allocation failure */
};

/* The boot being modelled: the kernel, and what memblock holds when the
 * reserved-memory scan starts */
struct dt_boot {
	enum dt_linux linux;
	const struct dt_range *held;	/* reserved before the scan (the kernel
					   image, the DTB, an initrd) */
	size_t nheld;
	const struct dt_range *memory;	/* the memory; NULL: the DT's /memory
					   banks (an EFI boot takes the
					   firmware's map instead) */
	size_t nmemory;
};

/**
 * dt_model_run() - boot @t's reserved memory as Linux @b->linux would
 * @m:     filled; free with dt_model_free()
 * @t:     the device tree
 * @b:     the boot (see struct dt_boot)
 * @a:     allocator
 * @out:   the kernel's lines about reserved memory, in its order, without
 *         timestamps; 6.1 prints no region lines, @out has them anyway
 *         ("OF: reserved mem: BASE..LAST (N KiB) map|nomap ... NAME")
 * Return: 0 or -MM_ENOMEM.  @m->findings counts what Linux would fail,
 * drop or free, and the errors it prints.
 */
int dt_model_run(struct dt_model *m, const struct dt_tree *t,
		 const struct dt_boot *b, const struct mm_alloc *a,
		 struct mm_buf *out);

void dt_model_free(struct dt_model *m);

/* Linux's CMA_MIN_ALIGNMENT_BYTES with 4 KiB pages, in both versions */
#define DT_CMA_ALIGN	((uint64_t)0x200000)
/* MAX_RESERVED_REGIONS */
#define DT_MAX_RESERVED	64
/* MAX_CMA_AREAS */
#define DT_MAX_CMA	20

#endif
