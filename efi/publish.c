/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Publishing named regions: the configuration table for EFI images, the
 * volatile MemmapNamed variable for the OS, and the non-volatile
 * MemmapSticky variable that remembers placements across boots.
 */
#include "fw.h"
#include "memmap_table.h"

static EFI_GUID memmap_table_guid = MEMMAP_TABLE_GUID;
static EFI_GUID memmap_var_guid = MEMMAP_VAR_GUID;

#define VAR_RT (EFI_VARIABLE_BOOTSERVICE_ACCESS | EFI_VARIABLE_RUNTIME_ACCESS)

/* Write @reg as lines to variable @name; no regions deletes it */
static EFI_STATUS set_regions_var(CHAR16 *name, UINT32 attrs,
				  const struct memmap_registry *reg)
{
	struct mm_buf b;
	EFI_STATUS st;

	mm_buf_init(&b, &fw_alloc);
	memmap_registry_format(&b, reg);
	if (b.rc) {
		mm_buf_free(&b);
		return EFI_OUT_OF_RESOURCES;
	}
	st = uefi_call_wrapper(RT->SetVariable, 5, name, &memmap_var_guid,
			       attrs, b.len, b.s);
	if (!b.len && st == EFI_NOT_FOUND)
		st = EFI_SUCCESS;
	mm_buf_free(&b);
	return st;
}

static EFI_STATUS install_table(const struct memmap_registry *reg)
{
	struct memmap_table *t;
	struct memmap_table_entry *e;
	EFI_STATUS st;
	size_t size, i;
	void *old;

	/* Pool memory that outlives memmap.efi: plain AllocatePool */
	if (reg->nr > (SIZE_MAX - sizeof(*t)) / sizeof(*e))
		return EFI_OUT_OF_RESOURCES;
	size = sizeof(*t) + reg->nr * sizeof(*e);
	st = uefi_call_wrapper(BS->AllocatePool, 3, EfiBootServicesData, size,
			       (void **)&t);
	if (EFI_ERROR(st))
		return st;
	memset(t, 0, size);
	t->signature = MEMMAP_TABLE_SIGNATURE;
	t->version = MEMMAP_TABLE_VERSION;
	t->header_size = sizeof(*t);
	t->entry_size = sizeof(*e);
	t->count = reg->nr;
	e = (struct memmap_table_entry *)(t + 1);
	for (i = 0; i < reg->nr; i++) {
		memcpy(e[i].name, reg->r[i].name, strlen(reg->r[i].name) + 1);
		e[i].start = reg->r[i].start;
		e[i].size = reg->r[i].size;
	}

	/* Replace a table an earlier run installed */
	old = fw_config_table(&memmap_table_guid);
	st = uefi_call_wrapper(BS->InstallConfigurationTable, 2,
			       &memmap_table_guid, t);
	if (!EFI_ERROR(st) && old)
		uefi_call_wrapper(BS->FreePool, 1, old);
	if (EFI_ERROR(st))
		uefi_call_wrapper(BS->FreePool, 1, t);
	return st;
}

EFI_STATUS fw_publish(const struct memmap_registry *reg)
{
	EFI_STATUS st;

	st = install_table(reg);
	if (EFI_ERROR(st))
		return st;
	return set_regions_var(L"MemmapNamed", VAR_RT, reg);
}

void fw_unpublish(void)
{
	void *old = fw_config_table(&memmap_table_guid);

	if (old && !EFI_ERROR(uefi_call_wrapper(BS->InstallConfigurationTable, 2,
						&memmap_table_guid, NULL)))
		uefi_call_wrapper(BS->FreePool, 1, old);
	uefi_call_wrapper(RT->SetVariable, 5, L"MemmapNamed", &memmap_var_guid,
			  VAR_RT, 0, NULL);
}

EFI_STATUS fw_sticky_read(struct memmap_registry *sticky)
{
	UINTN size = 0;
	UINT32 attrs;
	EFI_STATUS st;
	char *buf;
	int rc;

	st = uefi_call_wrapper(RT->GetVariable, 5, L"MemmapSticky",
			       &memmap_var_guid, &attrs, &size, NULL);
	if (st == EFI_NOT_FOUND)
		return EFI_SUCCESS;
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	buf = fw_alloc.realloc(NULL, NULL, size ? size : 1);
	if (!buf)
		return EFI_OUT_OF_RESOURCES;
	st = uefi_call_wrapper(RT->GetVariable, 5, L"MemmapSticky",
			       &memmap_var_guid, &attrs, &size, buf);
	rc = EFI_ERROR(st) ? 0 : memmap_registry_parse(buf, size, sticky);
	fw_alloc.realloc(NULL, buf, 0);
	if (EFI_ERROR(st))
		return st;
	return rc ? EFI_COMPROMISED_DATA : EFI_SUCCESS;
}

EFI_STATUS fw_sticky_write(const struct memmap_registry *reg,
			   const struct memmap_registry *old)
{
	struct memmap_registry all;
	EFI_STATUS st;
	size_t i;
	int rc = 0;

	/* This boot's placements, then remembered ones not asked for */
	memmap_registry_init(&all, &fw_alloc);
	for (i = 0; !rc && i < reg->nr; i++)
		rc = memmap_registry_add(&all, reg->r[i].name, reg->r[i].start,
					 reg->r[i].size);
	for (i = 0; !rc && old && i < old->nr; i++)
		if (!memmap_registry_find(reg, old->r[i].name))
			rc = memmap_registry_add(&all, old->r[i].name,
						 old->r[i].start, old->r[i].size);
	st = rc ? fw_status(rc) :
	     set_regions_var(L"MemmapSticky", EFI_VARIABLE_NON_VOLATILE | VAR_RT,
			     &all);
	memmap_registry_free(&all);
	return st;
}

EFI_STATUS fw_sticky_forget(void)
{
	EFI_STATUS st = uefi_call_wrapper(RT->SetVariable, 5, L"MemmapSticky",
					  &memmap_var_guid,
					  EFI_VARIABLE_NON_VOLATILE | VAR_RT, 0,
					  NULL);

	return st == EFI_NOT_FOUND ? EFI_SUCCESS : st;
}
