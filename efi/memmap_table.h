/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The named-region table memmap.efi installs as an EFI configuration
 * table, so that other EFI images can look regions up; and the GUIDs of
 * memmap's variables.  Plain C: include it from any EFI image.
 *
 * Layout (little endian, packed by construction, 8-byte aligned):
 *   offset 0   u32 signature   MEMMAP_TABLE_SIGNATURE ("MMNT")
 *   offset 4   u32 version     MEMMAP_TABLE_VERSION (1)
 *   offset 8   u32 header_size sizeof(struct memmap_table) = 24
 *   offset 12  u32 entry_size  sizeof(struct memmap_table_entry) = 80
 *   offset 16  u64 count       number of entries that follow
 *   offset 24  entries[count]:
 *     char name[64]   NUL-terminated, 1 to 63 characters
 *     u64  start      physical address of the first byte
 *     u64  size       bytes, a multiple of 4096
 * Readers must use header_size and entry_size to step, so later versions
 * can grow both.  The table lives in EfiBootServicesData memory: it is
 * for boot-time images; the OS reads the MemmapNamed variable instead.
 */
#ifndef EFI_MEMMAP_TABLE_H
#define EFI_MEMMAP_TABLE_H

#include <stdint.h>

/* 9b4d7555-d107-4f70-a4b1-d363b0edb004 */
#define MEMMAP_TABLE_GUID \
	{ 0x9b4d7555, 0xd107, 0x4f70, \
	  { 0xa4, 0xb1, 0xd3, 0x63, 0xb0, 0xed, 0xb0, 0x04 } }

/* d1055d7a-a13b-4f81-8d8b-576ff99f2276: MemmapNamed, MemmapSticky */
#define MEMMAP_VAR_GUID \
	{ 0xd1055d7a, 0xa13b, 0x4f81, \
	  { 0x8d, 0x8b, 0x57, 0x6f, 0xf9, 0x9f, 0x22, 0x76 } }

#define MEMMAP_TABLE_SIGNATURE	0x544e4d4du	/* "MMNT" */
#define MEMMAP_TABLE_VERSION	1

struct memmap_table_entry {
	char name[64];
	uint64_t start;
	uint64_t size;
};

struct memmap_table {
	uint32_t signature;
	uint32_t version;
	uint32_t header_size;
	uint32_t entry_size;
	uint64_t count;
};

_Static_assert(sizeof(struct memmap_table) == 24, "table header layout");
_Static_assert(sizeof(struct memmap_table_entry) == 80, "table entry layout");

#endif
