/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nothing.efi: an EFI application that returns at once, the baseline
 * tsc_wrap.efi times beside memmap.efi (LoadImage/StartImage overhead).
 */
#include <efi.h>
#include <efilib.h>

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	(void)image;
	(void)systab;
	return EFI_SUCCESS;
}
