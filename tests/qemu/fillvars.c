/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fillvars.efi nv|volatile: fill the firmware's non-volatile or volatile
 * variable store until SetVariable fails, as on an old board whose store
 * is full.  Variables of 1 KiB first, then ever smaller ones down to one
 * byte, so that no variable memmap.efi writes can fit afterwards.
 * Prints "fillvars: KIND: N variables (B bytes); the last SetVariable:
 * STATUS" and returns EFI_SUCCESS once a one-byte variable fails.
 */
#include <efi.h>
#include <efilib.h>

/* A GUID of the tests' own, not memmap's */
static EFI_GUID fill_guid = { 0x5c7e1a42, 0x93d0, 0x4b6f,
			      { 0x8a, 0x11, 0x2e, 0x6d, 0x90, 0x3f, 0xc4, 0x57 } };

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	static UINT8 data[1024];
	EFI_LOADED_IMAGE *li;
	UINT32 attrs = EFI_VARIABLE_BOOTSERVICE_ACCESS |
		       EFI_VARIABLE_RUNTIME_ACCESS;
	CHAR16 name[16], *arg;
	UINTN size = sizeof(data), n = 0, bytes = 0;
	EFI_STATUS st = EFI_SUCCESS;
	BOOLEAN nv;
	UINTN i, units;

	InitializeLib(image, systab);
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &li_guid,
					(void **)&li)) || !li->LoadOptions)
		return EFI_INVALID_PARAMETER;
	/* The last word of the shell's NUL-terminated LoadOptions */
	arg = li->LoadOptions;
	units = li->LoadOptionsSize / sizeof(CHAR16);
	for (i = 0; i < units && arg[i]; i++)
		;
	if (i == units)
		return EFI_INVALID_PARAMETER;
	while (i && arg[i - 1] != ' ')
		i--;
	nv = !StrCmp(arg + i, L"nv");
	if (!nv && StrCmp(arg + i, L"volatile")) {
		Print(L"usage: fillvars.efi nv|volatile\n");
		return EFI_INVALID_PARAMETER;
	}
	if (nv)
		attrs |= EFI_VARIABLE_NON_VOLATILE;
	SetMem(data, sizeof(data), 0xa5);
	while (size) {
		SPrint(name, sizeof(name), L"Fill%c%05d", nv ? 'N' : 'V', (int)n);
		st = uefi_call_wrapper(RT->SetVariable, 5, name, &fill_guid,
				       attrs, size, data);
		if (EFI_ERROR(st)) {
			size /= 2;
			continue;
		}
		n++;
		bytes += size;
	}
	Print(L"fillvars: %s: %d variables (%d bytes); the last SetVariable: %r\n",
	      nv ? L"nv" : L"volatile", (int)n, (int)bytes, st);
	return EFI_ERROR(st) ? EFI_SUCCESS : EFI_ABORTED;
}
