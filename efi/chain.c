/*
 * Chain-loading: start a kernel (or GRUB, shim, a UKI) with the resolved
 * command line.
 */
#include "fw.h"

/* "memmap: error: WORD: REASON (Firmware Status)" */
static void chain_error(const char *word, const char *reason, EFI_STATUS st)
{
	CHAR16 name[64];
	struct mm_buf b;

	StatusToString(name, st);
	mm_buf_init(&b, &fw_alloc);
	mm_buf_puts(&b, reason);
	mm_buf_puts(&b, " (");
	fw_ucs2_to_utf8(&b, name, sizeof(name) / sizeof(name[0]));
	mm_buf_putc(&b, ')');
	fw_error(word, strlen(word), b.s ? b.s : reason);
	mm_buf_free(&b);
}

EFI_STATUS fw_chain(EFI_HANDLE parent, EFI_LOADED_IMAGE *li, const char *path,
		    const char *options, size_t len)
{
	static EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_DEVICE_PATH *dp = NULL;
	EFI_LOADED_IMAGE *child_li;
	EFI_HANDLE child = NULL;
	CHAR16 *wpath, *wopts = NULL;
	EFI_STATUS st;

	wpath = fw_volume_path(li, path);
	if (wpath)
		dp = FileDevicePath(li->DeviceHandle, wpath);
	if (dp)
		wopts = fw_utf8_to_ucs2(options, len);
	if (!wopts) {
		st = EFI_OUT_OF_RESOURCES;
		chain_error(path, "cannot prepare the image", st);
		goto out;
	}

	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, parent, dp, NULL, 0,
			       &child);
	if (EFI_ERROR(st)) {
		/* A refused image still has a handle to unload */
		if (st == EFI_SECURITY_VIOLATION && child)
			uefi_call_wrapper(BS->UnloadImage, 1, child);
		chain_error(path, st == EFI_NOT_FOUND ? "no such file" :
			    st == EFI_SECURITY_VIOLATION ? "refused by Secure Boot" :
			    st == EFI_LOAD_ERROR || st == EFI_UNSUPPORTED ?
			    "not an EFI image" : "cannot load the image", st);
		goto out;
	}
	st = uefi_call_wrapper(BS->HandleProtocol, 3, child, &li_guid,
			       (void **)&child_li);
	if (EFI_ERROR(st)) {
		chain_error(path, "the loaded image has no LoadedImage protocol", st);
		uefi_call_wrapper(BS->UnloadImage, 1, child);
		goto out;
	}
	child_li->LoadOptions = wopts;
	child_li->LoadOptionsSize = (UINT32)((StrLen(wopts) + 1) * sizeof(CHAR16));

	fw_print("memmap: starting ", 17);
	fw_print(path, strlen(path));
	fw_print(" ", 1);
	fw_print(options, len);
	fw_print("\n", 1);
	st = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	if (EFI_ERROR(st))
		chain_error(path, "the image failed", st);
	else
		fw_print("memmap: the image returned\n", 27);
out:
	fw_alloc.realloc(NULL, wopts, 0);
	if (dp)
		FreePool(dp);
	fw_alloc.realloc(NULL, wpath, 0);
	return st;
}
