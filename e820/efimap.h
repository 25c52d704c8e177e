/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A UEFI memory map, converted into e820 exactly as Linux's EFI stub does
 * it (drivers/firmware/efi/libstub/x86-stub.c, setup_e820), and printed or
 * read back in the kernel's "efi: memNN: [...] range=[...]" line format.
 * No EFI headers here: the descriptor is the core's own.
 */
#ifndef E820_EFIMAP_H
#define E820_EFIMAP_H

#include "e820.h"

/* UEFI memory types (UEFI 2.10, 7.2) */
enum efimap_type {
	EFI_RESERVED_TYPE = 0,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA,
	EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA,
	EFI_CONVENTIONAL_MEMORY,
	EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY,
	EFI_ACPI_MEMORY_NVS,
	EFI_MEMORY_MAPPED_IO,
	EFI_MEMORY_MAPPED_IO_PORT_SPACE,
	EFI_PAL_CODE,
	EFI_PERSISTENT_MEMORY,
	EFI_MAX_MEMORY_TYPE
};

/* UEFI memory attributes; prefixed, as gnu-efi defines the plain names */
#define EFIMAP_MEMORY_UC			0x0000000000000001ULL
#define EFIMAP_MEMORY_WC			0x0000000000000002ULL
#define EFIMAP_MEMORY_WT			0x0000000000000004ULL
#define EFIMAP_MEMORY_WB			0x0000000000000008ULL
#define EFIMAP_MEMORY_UCE			0x0000000000000010ULL
#define EFIMAP_MEMORY_WP			0x0000000000001000ULL
#define EFIMAP_MEMORY_RP			0x0000000000002000ULL
#define EFIMAP_MEMORY_XP			0x0000000000004000ULL
#define EFIMAP_MEMORY_NV			0x0000000000008000ULL
#define EFIMAP_MEMORY_MORE_RELIABLE	0x0000000000010000ULL
#define EFIMAP_MEMORY_RO			0x0000000000020000ULL
#define EFIMAP_MEMORY_SP			0x0000000000040000ULL
#define EFIMAP_MEMORY_CPU_CRYPTO		0x0000000000080000ULL
#define EFIMAP_MEMORY_HOT_PLUGGABLE	0x0000000000100000ULL
#define EFIMAP_MEMORY_RUNTIME		0x8000000000000000ULL

#define EFIMAP_PAGE_SHIFT 12	/* EFI_PAGE_SHIFT */

struct efimap_desc {
	uint32_t type;
	uint64_t phys_addr;
	uint64_t num_pages;
	uint64_t attribute;
};

/**
 * efimap_to_e820() - convert @n descriptors as the EFI stub's setup_e820()
 * does (its type table; a descriptor merges only into the entry emitted
 * just before it, when of one type and adjacent; EFIMAP_MEMORY_SP memory
 * becomes soft reserved when @soft_reserve), then sanitize as the kernel
 * does before it prints BIOS-e820.
 * @t:     emptied, then filled
 * @attrs: when not NULL, emptied, then filled with E820_ATTR_* ranges
 * Return: 0; -MM_ERANGE for a descriptor that wraps past 2^64; -MM_ENOMEM.
 */
int efimap_to_e820(struct e820_table *t, struct e820_table *attrs,
		   const struct efimap_desc *d, size_t n, bool soft_reserve);

/**
 * efimap_free_pieces() - [@start, @start + @size) cut at the edges of the
 * free (EfiConventionalMemory) descriptors it lies in, one piece each,
 * in address order: AllocatePages(AllocateAddress) takes a range of one
 * descriptor only, and firmware keeps neighbouring free descriptors apart
 * when their attributes differ.
 * @pieces: emptied, then one entry per piece (type 1)
 * Return: 0; -MM_ENOENT when part of the range is in no free descriptor
 * (or @size is 0, or the range wraps); -MM_ENOMEM.
 */
int efimap_free_pieces(const struct efimap_desc *d, size_t n, uint64_t start,
		       uint64_t size, struct e820_table *pieces);

/**
 * efimap_print_desc() - the kernel's efi_print_memmap() line for @d,
 * number @i: "efi: memNN: [TYPE|ATTRS] range=[0x...-0x...] (NMB)\n"
 */
void efimap_print_desc(struct mm_buf *b, size_t i, const struct efimap_desc *d);

/**
 * efimap_parse_line() - read a descriptor back from a line holding
 * "mem..: [TYPE|ATTRS] range=[0xSTART-0xEND]" (prefixes ignored)
 * Return: 0; -MM_ENOENT when the line is no such line; -MM_EINVAL when it
 * is one but malformed.
 */
int efimap_parse_line(const char *s, size_t n, struct efimap_desc *d);

#endif
