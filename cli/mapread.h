/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading a firmware memory map on Linux: a /sys/firmware/memmap-style
 * directory, or a kernel log (BIOS-e820 lines, else efi: memNN lines
 * converted as the EFI stub would).
 */
#ifndef CLI_MAPREAD_H
#define CLI_MAPREAD_H

#include "../e820/efimap.h"

extern const struct mm_alloc mapread_libc_alloc;

/* What went wrong, for "memmap: error: WHERE: WHY" */
struct mapread_error {
	char where[512];
	const char *why;
};

/**
 * mapread_path() - read the firmware map at @path into @t, sanitized
 * @soft_reserve: convert EFI_MEMORY_SP memory to soft reserved
 * @attrs:        attribute ranges (from efi: lines only); may be NULL
 * Return: 0; -MM_EINVAL for a malformed map (see @err); -MM_ENOENT when
 * it cannot be read; -MM_ENOMEM.
 */
int mapread_path(const char *path, bool soft_reserve, struct e820_table *t,
		 struct e820_table *attrs, struct mapread_error *err);

/**
 * mapread_log() - the map in a kernel log held in @text[0..n)
 * Return: as mapread_path(); -MM_ENOENT when no map line is found.
 */
int mapread_log(const char *text, size_t n, bool soft_reserve,
		struct e820_table *t, struct e820_table *attrs,
		struct mapread_error *err);

#endif
