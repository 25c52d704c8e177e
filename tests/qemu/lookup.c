/*
 * lookup.efi NAME: find a named region through memmap's EFI configuration
 * table, as any other EFI image would, and print
 * "lookup: NAME [mem 0x...-0x...]".  Exit status EFI_NOT_FOUND when the
 * table or the name is missing.
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

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	const struct memmap_table *t;
	const unsigned char *p;
	CHAR16 **argv;
	INTN argc;
	UINT64 i;

	InitializeLib(image, systab);
	argc = GetShellArgcArgv(image, &argv);
	if (argc != 2) {
		Print(L"usage: lookup.efi NAME\n");
		return EFI_INVALID_PARAMETER;
	}
	t = find_table();
	if (!t || t->signature != MEMMAP_TABLE_SIGNATURE) {
		Print(L"lookup: no memmap table\n");
		return EFI_NOT_FOUND;
	}
	p = (const unsigned char *)t + t->header_size;
	for (i = 0; i < t->count; i++, p += t->entry_size) {
		const struct memmap_table_entry *e = (const void *)p;

		if (name_is(argv[1], e->name)) {
			CHAR16 s[19], l[19];

			hex16(s, e->start);
			hex16(l, e->start + e->size - 1);
			Print(L"lookup: %a [mem %s-%s]\n", e->name, s, l);
			return EFI_SUCCESS;
		}
	}
	Print(L"lookup: %s not found\n", argv[1]);
	return EFI_NOT_FOUND;
}
