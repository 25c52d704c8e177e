/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware's memory: its map, the free part of it, and claiming
 * ranges in it (AllocatePages at an address) and giving them back.
 */
#include "fw.h"

/* GetMemoryMap, retried until the buffer is big enough */
EFI_STATUS fw_memory_map(struct efimap_desc **out, size_t *n)
{
	UINTN size = 0, key, dsize = 0, i;
	UINT32 dver;
	void *buf = NULL;
	EFI_STATUS st;

	*out = NULL;
	for (;;) {
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, buf, &key,
				       &dsize, &dver);
		if (st != EFI_BUFFER_TOO_SMALL)
			break;
		fw_alloc.realloc(NULL, buf, 0);
		size += 8 * (dsize ? dsize : sizeof(EFI_MEMORY_DESCRIPTOR));
		buf = fw_alloc.realloc(NULL, NULL, size);
		if (!buf)
			return EFI_OUT_OF_RESOURCES;
	}
	if (EFI_ERROR(st) || dsize < sizeof(EFI_MEMORY_DESCRIPTOR)) {
		fw_alloc.realloc(NULL, buf, 0);
		return EFI_ERROR(st) ? st : EFI_UNSUPPORTED;
	}
	*n = size / dsize;
	*out = fw_alloc.realloc(NULL, NULL, (*n ? *n : 1) * sizeof(**out));
	if (!*out) {
		fw_alloc.realloc(NULL, buf, 0);
		return EFI_OUT_OF_RESOURCES;
	}
	for (i = 0; i < *n; i++) {
		EFI_MEMORY_DESCRIPTOR *d =
			(EFI_MEMORY_DESCRIPTOR *)((char *)buf + i * dsize);

		(*out)[i].type = d->Type;
		(*out)[i].phys_addr = d->PhysicalStart;
		(*out)[i].num_pages = d->NumberOfPages;
		(*out)[i].attribute = d->Attribute;
	}
	fw_alloc.realloc(NULL, buf, 0);
	return EFI_SUCCESS;
}

/* Firmware-free memory (EfiConventionalMemory) as type-1 ranges */
int fw_free_ranges(struct e820_table *t, const struct efimap_desc *d,
		       size_t n)
{
	size_t i;
	int rc = 0;

	t->nr = 0;
	for (i = 0; !rc && i < n; i++)
		if (d[i].type == EFI_CONVENTIONAL_MEMORY)
			rc = e820_range_add(t, d[i].phys_addr,
					    d[i].num_pages << EFIMAP_PAGE_SHIFT,
					    E820_TYPE_RAM);
	return rc ? rc : e820_sanitize(t);
}

/*
 * Claim [start, start + size) as EfiReservedMemoryType, a piece per free
 * descriptor of @d it lies in (AllocateAddress takes one descriptor's
 * range only); each piece goes into @claimed, to give back when a later
 * claim fails.  EFI_NOT_FOUND when part of it is no longer free.
 */
EFI_STATUS fw_claim(struct e820_table *claimed, const struct efimap_desc *d,
			size_t n, uint64_t start, uint64_t size)
{
	struct e820_table pieces;
	EFI_PHYSICAL_ADDRESS a;
	EFI_STATUS st = EFI_SUCCESS;
	size_t i;
	int rc;

	e820_table_init(&pieces, &fw_alloc);
	rc = efimap_free_pieces(d, n, start, size, &pieces);
	if (rc)
		st = rc == -MM_ENOENT ? EFI_NOT_FOUND : fw_status(rc);
	for (i = 0; !EFI_ERROR(st) && i < pieces.nr; i++) {
		a = pieces.entries[i].addr;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress,
				       EfiReservedMemoryType,
				       pieces.entries[i].size >> EFIMAP_PAGE_SHIFT, &a);
		if (!EFI_ERROR(st) && e820_range_add(claimed, a, pieces.entries[i].size, 0)) {
			uefi_call_wrapper(BS->FreePages, 2, a,
					  pieces.entries[i].size >> EFIMAP_PAGE_SHIFT);
			st = EFI_OUT_OF_RESOURCES;
		}
	}
	e820_table_free(&pieces);
	return st;
}

void fw_release(struct e820_table *claimed)
{
	size_t i;

	for (i = 0; i < claimed->nr; i++)
		uefi_call_wrapper(BS->FreePages, 2,
				  (EFI_PHYSICAL_ADDRESS)claimed->entries[i].addr,
				  claimed->entries[i].size >> EFIMAP_PAGE_SHIFT);
	claimed->nr = 0;
}

