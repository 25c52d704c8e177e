/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Linux's memblock as the device-tree code sees it at boot (mm/memblock.c):
 * a memory type (ranges with flags, NOMAP among them) and a reserved type,
 * each kept sorted, disjoint and merged with equal neighbours, and the
 * range search that places dynamic reserved-memory regions.  No entry
 * limit: the arrays grow through the caller's allocator.
 */
#ifndef DT_MEMBLOCK_H
#define DT_MEMBLOCK_H

#include "../e820/base.h"

#define MEMBLOCK_NOMAP	0x4	/* Linux's value: printed in "flags: 0x4" */

struct memblock_region {
	uint64_t base, size;
	unsigned int flags;
};

struct memblock_type {
	struct memblock_region *r;
	size_t nr, cap;
};

struct memblock {
	struct memblock_type memory, reserved;
	const struct mm_alloc *alloc;
};

void memblock_init(struct memblock *mb, const struct mm_alloc *a);
void memblock_free_all(struct memblock *mb);

/*
 * The size Linux uses for [base, base+size): cut so that the range ends at
 * 2^64-1 at most (memblock_cap_size()).
 */
static inline uint64_t memblock_cap_size(uint64_t base, uint64_t size)
{
	return size < UINT64_MAX - base ? size : UINT64_MAX - base;
}

/**
 * memblock_add() / memblock_remove() - add @base..@base+@size to memory
 * (the parts not yet there, with no flags) or take it out.
 * memblock_reserve() / memblock_phys_free() - the same for reserved.
 * Return: 0 or -MM_ENOMEM (the type is then unchanged).
 */
int memblock_add(struct memblock *mb, uint64_t base, uint64_t size);
int memblock_remove(struct memblock *mb, uint64_t base, uint64_t size);
int memblock_reserve(struct memblock *mb, uint64_t base, uint64_t size);
int memblock_phys_free(struct memblock *mb, uint64_t base, uint64_t size);

/**
 * memblock_set_nomap() - set (@on) or clear MEMBLOCK_NOMAP on the memory
 * inside [base, base+size), splitting regions at both ends as Linux does.
 * Return: 0 or -MM_ENOMEM.
 */
int memblock_set_nomap(struct memblock *mb, uint64_t base, uint64_t size,
		       bool on);

/* Whether any region of @t overlaps [base, base+size) (memblock_overlaps_region) */
bool memblock_overlaps(const struct memblock_type *t, uint64_t base,
		       uint64_t size);

/* Whether [base, base+size) is free: inside one memory region that is not
 * NOMAP, and overlapping nothing reserved */
bool memblock_is_free(const struct memblock *mb, uint64_t base, uint64_t size);

/**
 * memblock_phys_alloc_range() - memblock_phys_alloc_range() of Linux: the
 * highest (lowest with @bottom_up) address A, A rounded with @align's
 * bit mask as Linux rounds (so an alignment that is no power of two gives
 * what Linux's masks give), with [A, A+size) in one free piece of memory
 * (not NOMAP, not reserved) clipped to [max(start, 4096), end); an @end
 * of 0 or 1 means anywhere.  The block is reserved.
 * Return: A, or 0 when nothing fits (Linux's failure value); *@rc is set
 * to -MM_ENOMEM when the reserved array could not grow, else 0.
 */
uint64_t memblock_phys_alloc_range(struct memblock *mb, uint64_t size,
				   uint64_t align, uint64_t start,
				   uint64_t end, bool bottom_up, int *rc);

#endif
