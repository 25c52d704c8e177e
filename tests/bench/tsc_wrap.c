/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tsc_wrap.efi [RUNS]: time EFI applications by the TSC, as seen from
 * their entry to their exit.  For RUNS rounds (default 5) it loads
 * \nothing.efi and \memmap.efi from its own volume, gives each its
 * LoadOptions (memmap.efi: the demo kernel words; then, as
 * memmap.efi/summary and memmap.efi/all, the ramoops region at
 * 0x11000000 that make bench fills with records, under each
 * --pstore-print), reads the TSC, StartImage()s it, reads the TSC again
 * and prints
 *   tsc: NAME run N cycles C status S
 * then "tsc: hz H" (TSC ticks over a 200 ms Stall, scaled to a second)
 * and "tsc: done".  LoadImage is outside the timed span; StartImage's
 * own overhead is in both, so nothing.efi's count is the baseline.
 */
#include <efi.h>
#include <efilib.h>

static CHAR16 demo[] = L"memmap=12M*4096:oops ramoops.mem_name=oops "
		       L"memmap=1M$0x10000000 ramoops.ecc=16";
static CHAR16 none[] = L"";
#define FULL L" ramoops.mem_address=0x11000000 ramoops.mem_size=0x200000 " \
	     L"ramoops.record_size=0x4000"
static CHAR16 summary[] = L"--pstore-print summary" FULL;
static CHAR16 all[] = L"--pstore-print all" FULL;

static inline UINT64 tsc(void)
{
	UINT32 lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (UINT64)hi << 32 | lo;
}

/* Load @path from @li's volume, start it with @opts, time the start */
static EFI_STATUS run_one(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
			  CHAR16 *path, CHAR16 *opts, UINT64 *cycles,
			  EFI_STATUS *app)
{
	EFI_DEVICE_PATH *dp = FileDevicePath(li->DeviceHandle, path);
	EFI_LOADED_IMAGE *cli;
	EFI_HANDLE child = NULL;
	EFI_STATUS st;
	UINT64 t0, t1;

	if (!dp)
		return EFI_OUT_OF_RESOURCES;
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, dp, NULL, 0, &child);
	FreePool(dp);
	if (EFI_ERROR(st))
		return st;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, child, &LoadedImageProtocol,
			       (void **)&cli);
	if (EFI_ERROR(st)) {
		uefi_call_wrapper(BS->UnloadImage, 1, child);
		return st;
	}
	cli->LoadOptions = opts;
	cli->LoadOptionsSize = (UINT32)(StrLen(opts) * sizeof(CHAR16));
	t0 = tsc();
	*app = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	t1 = tsc();
	*cycles = t1 - t0;
	return EFI_SUCCESS;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static struct {
		CHAR16 *path, *name, *opts;
	} apps[] = {
		{ L"\\nothing.efi", L"nothing.efi", none },
		{ L"\\memmap.efi", L"memmap.efi", demo },
		{ L"\\memmap.efi", L"memmap.efi/summary", summary },
		{ L"\\memmap.efi", L"memmap.efi/all", all },
	};
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st, app;
	UINTN runs = 5, r, k;
	UINT64 cycles;

	InitializeLib(image, systab);
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
			       (void **)&li);
	if (EFI_ERROR(st))
		return st;
	if (li->LoadOptionsSize >= 2 * sizeof(CHAR16)) {
		CHAR16 *o = li->LoadOptions;
		UINTN i, n = li->LoadOptionsSize / sizeof(CHAR16), v = 0;

		/* The shell passes "tsc_wrap.efi RUNS": the last number wins */
		for (i = 0; i < n && o[i]; i++) {
			if (o[i] >= L'0' && o[i] <= L'9')
				v = v * 10 + (o[i] - L'0');
			else
				v = 0;
		}
		if (v >= 1 && v <= 100)
			runs = v;
	}
	for (r = 0; r < runs; r++) {
		for (k = 0; k < sizeof(apps) / sizeof(apps[0]); k++) {
			st = run_one(image, li, apps[k].path, apps[k].opts, &cycles, &app);
			if (EFI_ERROR(st)) {
				Print(L"tsc: %s: cannot start: %r\n", apps[k].name, st);
				return st;
			}
			Print(L"tsc: %s run %lu cycles %lu status %lx\n", apps[k].name,
			      (UINT64)r, cycles, (UINT64)app);
		}
	}
	cycles = tsc();
	uefi_call_wrapper(BS->Stall, 1, 200000);
	Print(L"tsc: hz %lu\n", (tsc() - cycles) * 5);
	Print(L"tsc: done\n");
	return EFI_SUCCESS;
}
