/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The e820 table with Linux 6.1's semantics (arch/x86/kernel/e820.c):
 * range add/update/remove act on entries; sanitize resolves overlaps
 * (highest type wins), merges neighbours of one type except PRAM and
 * soft reserved, and drops empty pieces.  No entry limit.
 */
#ifndef E820_E820_H
#define E820_E820_H

#include "base.h"

enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_PMEM = 7,
	E820_TYPE_PRAM = 12,
	E820_TYPE_RESERVED_KERN = 128,
	E820_TYPE_SOFT_RESERVED = 0xefffffff,
};

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/* A growable table; also used for attribute ranges (type holds flags) */
struct e820_table {
	struct e820_entry *entries;
	size_t nr, cap;
	const struct mm_alloc *alloc;
};

void e820_table_init(struct e820_table *t, const struct mm_alloc *a);
void e820_table_free(struct e820_table *t);
/* Replace @dst's entries with a copy of @src's. Return: 0 or -MM_ENOMEM */
int e820_table_copy(struct e820_table *dst, const struct e820_table *src);

/**
 * e820_range_add() - append an entry, as Linux's e820__range_add()
 * Return: 0 or -MM_ENOMEM.
 */
int e820_range_add(struct e820_table *t, uint64_t start, uint64_t size,
		   uint32_t type);

/**
 * e820_range_update() - retype the parts of @old_type entries that lie in
 * [start, start+size) to @new_type, as Linux's e820__range_update()
 * (size is clamped so the range ends at most at 2^64-1).
 * Return: 0, -MM_EINVAL when @old_type == @new_type (Linux BUGs), or
 * -MM_ENOMEM.
 */
int e820_range_update(struct e820_table *t, uint64_t start, uint64_t size,
		      uint32_t old_type, uint32_t new_type);

/**
 * e820_range_remove() - cut [start, start+size) out of the entries (only
 * those of @old_type when @check_type), as Linux's e820__range_remove().
 * Return: 0 or -MM_ENOMEM.
 */
int e820_range_remove(struct e820_table *t, uint64_t start, uint64_t size,
		      uint32_t old_type, bool check_type);

/**
 * e820_sanitize() - Linux's e820__update_table() in O(n log n): sort by
 * address, resolve overlaps to the highest type, merge equal neighbours
 * (never types 12 and 0xefffffff), drop zero-size pieces.  Unlike Linux
 * it also sanitizes tables of fewer than two entries.
 * Return: 0; -MM_ERANGE when an entry wraps past 2^64 (Linux refuses
 * such a table; an entry ending exactly at 2^64 counts, as in Linux), the
 * table then unchanged; or -MM_ENOMEM.
 */
int e820_sanitize(struct e820_table *t);

/* Append Linux's word for @type ("usable", "persistent (type 12)", ...) */
void e820_type_print(struct mm_buf *b, uint32_t type);

/**
 * e820_type_parse() - the inverse of e820_type_print() ("usable" gives 1)
 * Return: 0, or -MM_EINVAL for a text that is no type word.
 */
int e820_type_parse(const char *s, size_t n, uint32_t *type);

/**
 * e820_print() - print @t as Linux's e820__print_table(): one line
 * "WHO: [mem 0x%016llx-0x%016llx] TYPE\n" per entry.
 */
void e820_print(struct mm_buf *b, const char *who, const struct e820_table *t);

/* Attribute flags kept beside the table, with memblock's meanings */
#define E820_ATTR_MIRROR		0x1	/* EFI_MEMORY_MORE_RELIABLE */
#define E820_ATTR_DRIVER_MANAGED	0x2	/* EFI_MEMORY_SP */
#define E820_ATTR_HOTPLUG		0x4	/* EFI_MEMORY_HOT_PLUGGABLE */

/* Fit-search flags */
#define E820_FIT_BOTTOM_UP		0x1	/* lowest address, not highest */
#define E820_FIT_DRIVER_MANAGED		0x2	/* may use driver-managed memory */
#define E820_FIT_SOFT_RESERVED		0x4	/* may use soft-reserved ranges */
#define E820_FIT_MIRROR_ONLY		0x8	/* only mirrored memory */
#define E820_FIT_NO_HOTPLUG		0x10	/* avoid hot-pluggable memory */

struct e820_fit {
	uint64_t size;
	uint64_t align;			/* a power of two */
	unsigned int flags;		/* E820_FIT_* */
	const struct e820_table *attrs;	/* attribute ranges, or NULL */
	const struct e820_table *within; /* only inside its type-1 ranges, or NULL */
};

/**
 * e820_find_fit() - find where @f->size bytes fit in one usable (type 1)
 * range of the sanitized table @t, at a multiple of @f->align: the
 * highest such address (lowest with E820_FIT_BOTTOM_UP).
 * Driver-managed and soft-reserved memory are skipped unless @f->flags
 * allow them, as memblock skips MEMBLOCK_DRIVER_MANAGED.
 * Return: 0 with *@addr set, -MM_ENOSPC when nothing fits, -MM_EINVAL for
 * a zero size or an alignment that is not a power of two, -MM_ENOMEM.
 */
int e820_find_fit(const struct e820_table *t, const struct e820_fit *f,
		  uint64_t *addr);

/**
 * e820_fits_at() - whether [@addr, @addr + @f->size) lies inside one range
 * that e820_find_fit() would consider, with @addr a multiple of @f->align.
 * Return: 0 when it does, -MM_ENOSPC when not, -MM_EINVAL, -MM_ENOMEM.
 */
int e820_fits_at(const struct e820_table *t, const struct e820_fit *f,
		 uint64_t addr);

#endif
