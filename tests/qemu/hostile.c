/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostile.efi: start \memmap.efi with hostile LoadOptions and report what
 * it returned: an odd byte length, no terminator, 64 KiB of options,
 * non-ASCII and unpaired surrogates, a NUL in the middle, binary junk.
 * Each run prints "hostile: CASE status=0x..."; the last line is
 * "hostile: done".  memmap.efi must return every time.
 */
#include <efi.h>
#include <efilib.h>

struct hostile_case {
	const CHAR16 *name;
	UINTN size;			/* LoadOptionsSize in bytes */
	void (*fill)(CHAR16 *buf, UINTN units);
};

static void fill_words(CHAR16 *b, UINTN n, const CHAR16 *w)
{
	UINTN i, k = 0;

	for (i = 0; i < n; i++) {
		b[i] = w[k++];
		if (!w[k])
			k = 0;
	}
}

static void fill_odd(CHAR16 *b, UINTN n)
{
	fill_words(b, n, L"-q memmap=4K*4096:odd ");
}

static void fill_unterminated(CHAR16 *b, UINTN n)
{
	fill_words(b, n, L"-q memmap=4K*4096:unterm");
}

static void fill_big(CHAR16 *b, UINTN n)
{
	fill_words(b, n, L"quiet ");
	b[0] = '-';
	b[1] = 'q';
	b[2] = ' ';
}

static void fill_nonascii(CHAR16 *b, UINTN n)
{
	static const CHAR16 w[] = { '-', 'q', ' ', 0x00e9, 0x4e2d, '=', 0xd800,
				    ' ', 0xdfff, 0xffff, 0xfeff, ' ', 'x', '=',
				    0x0301, ' ', 0 };

	fill_words(b, n, w);
}

static void fill_nul(CHAR16 *b, UINTN n)
{
	fill_words(b, n, L"-q memmap=4K*4096:nul ");
	b[n / 2] = 0;
}

static void fill_junk(CHAR16 *b, UINTN n)
{
	UINT32 x = 12345;
	UINTN i;

	for (i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		b[i] = (CHAR16)(x >> 16);
	}
}

static const struct hostile_case cases[] = {
	{ L"odd-length", 41, fill_odd },	/* 20 units: "...:od" */
	{ L"unterminated", 48, fill_unterminated },
	{ L"64KiB", 65536, fill_big },
	{ L"non-ascii", 64, fill_nonascii },
	{ L"nul-inside", 96, fill_nul },
	{ L"binary-junk", 4096, fill_junk },
};

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *self, *child_li;
	EFI_DEVICE_PATH *dp;
	UINTN c;

	InitializeLib(image, systab);
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &li_guid,
					(void **)&self)))
		return EFI_LOAD_ERROR;
	dp = FileDevicePath(self->DeviceHandle, L"\\memmap.efi");
	if (!dp)
		return EFI_OUT_OF_RESOURCES;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const struct hostile_case *hc = &cases[c];
		EFI_HANDLE child = NULL;
		EFI_STATUS st;
		CHAR16 *opts;

		/* One spare unit so an odd size stays inside the buffer */
		opts = AllocateZeroPool(hc->size + sizeof(CHAR16));
		if (!opts)
			return EFI_OUT_OF_RESOURCES;
		hc->fill(opts, (hc->size + 1) / sizeof(CHAR16));
		st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0,
				       &child);
		if (!EFI_ERROR(st))
			st = uefi_call_wrapper(BS->HandleProtocol, 3, child,
					       &li_guid, (void **)&child_li);
		if (!EFI_ERROR(st)) {
			child_li->LoadOptions = opts;
			child_li->LoadOptionsSize = (UINT32)hc->size;
			st = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
		}
		Print(L"\nhostile: %s status=0x%lx\n", hc->name, (UINT64)st);
		FreePool(opts);
	}
	FreePool(dp);
	Print(L"hostile: done\n");
	return EFI_SUCCESS;
}
