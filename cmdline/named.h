/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Named regions: what memmap=SIZE*ALIGN:NAME and reserve_mem= placed.
 * No fixed limit; names are 1 to 63 printable ASCII characters.
 */
#ifndef CMDLINE_NAMED_H
#define CMDLINE_NAMED_H

#include "../e820/base.h"

#define MEMMAP_NAME_MAX 63

struct memmap_region {
	char name[MEMMAP_NAME_MAX + 1];
	uint64_t start, size;
};

struct memmap_registry {
	struct memmap_region *r;
	size_t nr, cap;
	const struct mm_alloc *alloc;
};

void memmap_registry_init(struct memmap_registry *reg, const struct mm_alloc *a);
void memmap_registry_free(struct memmap_registry *reg);

/**
 * memmap_registry_add() - record a region
 * Return: 0; -MM_EEXIST when @name is taken; -MM_EINVAL for an empty or
 * too long name; -MM_ENOMEM.
 */
int memmap_registry_add(struct memmap_registry *reg, const char *name,
			uint64_t start, uint64_t size);

/**
 * memmap_registry_find() - look @name up in @reg
 * Return: the region, or NULL.
 */
const struct memmap_region *
memmap_registry_find(const struct memmap_registry *reg, const char *name);

/**
 * memmap_registry_format() - the regions as the MemmapNamed and
 * MemmapSticky variables hold them: "NAME 0xSTART 0xSIZE\n" each,
 * lowercase hex without padding, no NUL.
 */
void memmap_registry_format(struct mm_buf *b, const struct memmap_registry *reg);

/**
 * memmap_registry_parse() - add the regions of such text to @reg
 * Return: 0; -MM_EINVAL for a malformed line (nothing added then);
 * -MM_EEXIST for a name given twice; -MM_ENOMEM.
 */
int memmap_registry_parse(const char *s, size_t n, struct memmap_registry *reg);

/* "PREFIX: NAME [mem 0x%016llx-0x%016llx]\n" */
void memmap_region_print(struct mm_buf *b, const char *prefix,
			 const struct memmap_region *r);

/* Make @reg the registry that memmap_named() answers from (NULL: none) */
void memmap_registry_use(const struct memmap_registry *reg);

/**
 * memmap_named() - where the region called @name was placed
 * @start, @size: set when found
 * Return: 0, or -MM_ENOENT.
 */
int memmap_named(const char *name, uint64_t *start, uint64_t *size);

#endif
