/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lookup.efi [WORD...]: find named regions through memmap's EFI
 * configuration table, as any other EFI image would, and print
 * "lookup: NAME [mem 0x...-0x...]" for each WORD that is a name (words
 * with '=' are kernel words and skipped, so memmap.efi can chain-load it
 * with a kernel command line); "poweroff" shuts the machine down after.
 * Arguments come from the shell, or from LoadOptions when there is none.
 * Exit status EFI_NOT_FOUND when the table or a name is missing.
 */
#include <efi.h>
#include <efilib.h>

#include "../../efi/memmap_table.h"

static EFI_GUID memmap_table_guid = MEMMAP_TABLE_GUID;

static const struct memmap_table *find_table(void)
{
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid,
				 &memmap_table_guid))
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}

/* Compare a CHAR16 name with the table's ASCII name */
static BOOLEAN name_is(const CHAR16 *want, const char *have)
{
	UINTN i;

	for (i = 0; want[i] && have[i]; i++)
		if (want[i] != (CHAR16)(unsigned char)have[i])
			return FALSE;
	return want[i] == 0 && have[i] == 0;
}

/* "0x%016llx" in lowercase, as memmap prints addresses */
static void hex16(CHAR16 *out, UINT64 v)
{
	int i;

	out[0] = '0';
	out[1] = 'x';
	for (i = 17; i >= 2; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 0xf];
	out[18] = 0;
}

/* Look @name up; print its line */
static EFI_STATUS lookup(const struct memmap_table *t, const CHAR16 *name)
{
	const unsigned char *p = (const unsigned char *)t + t->header_size;
	UINT64 i;

	for (i = 0; i < t->count; i++, p += t->entry_size) {
		const struct memmap_table_entry *e = (const void *)p;

		if (name_is(name, e->name)) {
			CHAR16 s[19], l[19];

			hex16(s, e->start);
			hex16(l, e->start + e->size - 1);
			Print(L"lookup: %a [mem %s-%s]\n", e->name, s, l);
			return EFI_SUCCESS;
		}
	}
	Print(L"lookup: %s not found\n", name);
	return EFI_NOT_FOUND;
}

static BOOLEAN has_eq(const CHAR16 *w)
{
	for (; *w; w++)
		if (*w == '=')
			return TRUE;
	return FALSE;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static EFI_GUID sp_guid = EFI_SHELL_PARAMETERS_PROTOCOL_GUID;
	static EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	EFI_LOADED_IMAGE *li = NULL;
	const struct memmap_table *t;
	CHAR16 *words[32], *opts = NULL;
	UINTN n = 0, i;
	BOOLEAN poweroff = FALSE;
	EFI_STATUS st = EFI_SUCCESS;

	InitializeLib(image, systab);
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &sp_guid,
					 (void **)&sp)) && sp) {
		for (i = 1; i < sp->Argc && n < 32; i++)
			words[n++] = sp->Argv[i];
	} else if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image,
						&li_guid, (void **)&li)) &&
		   li->LoadOptionsSize >= sizeof(CHAR16)) {
		/* Split a copy of LoadOptions at spaces */
		UINTN units = li->LoadOptionsSize / sizeof(CHAR16);

		opts = AllocateZeroPool((units + 1) * sizeof(CHAR16));
		if (!opts)
			return EFI_OUT_OF_RESOURCES;
		CopyMem(opts, li->LoadOptions, units * sizeof(CHAR16));
		for (i = 0; i < units && opts[i] && n < 32; i++) {
			if (opts[i] == ' ') {
				opts[i] = 0;
				continue;
			}
			if (!i || !opts[i - 1])
				words[n++] = &opts[i];
		}
	}

	t = find_table();
	if (!t || t->signature != MEMMAP_TABLE_SIGNATURE) {
		Print(L"lookup: no memmap table\n");
		st = EFI_NOT_FOUND;
	}
	for (i = 0; i < n; i++) {
		if (!StrCmp(words[i], L"poweroff"))
			poweroff = TRUE;
		else if (t && !has_eq(words[i]) && EFI_ERROR(lookup(t, words[i])))
			st = EFI_NOT_FOUND;
	}
	if (opts)
		FreePool(opts);
	if (poweroff)
		uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS,
				  0, NULL);
	return st;
}
