/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chain-loading: start the next image.  Only a kernel's EFI stub and a
 * UKI read their LoadOptions as the kernel's command line; shim takes its
 * first word for the loader to start, GRUB and systemd-boot ignore them.
 * So only those two get the words; any other image gets only the
 * KERNEL-ARGs written after PATH.
 */
#include "fw.h"

/* UEFI's boot manager arms a 5-minute watchdog before a boot option */
#define FW_WATCHDOG_SECONDS 300

enum handover_image fw_image_kind(EFI_LOADED_IMAGE *li, const char *path)
{
	enum handover_image kind;
	char *head;
	size_t n;

	if (EFI_ERROR(fw_file_read_head(li, path, HANDOVER_HEAD, &head, &n)))
		return HANDOVER_OTHER;
	kind = handover_image_kind(head, n);
	fw_alloc.realloc(NULL, head, 0);
	return kind;
}

static const char *const kind_names[] = {
	[HANDOVER_OTHER] = "a boot loader: the words go through memmap.env and SMBIOS",
	[HANDOVER_LINUX] = "a Linux kernel",
	[HANDOVER_UKI] = "a unified kernel image",
};

static void chain_error(const char *path, const char *reason, EFI_STATUS st)
{
	fw_message("error", path, strlen(path), reason, st);
}

EFI_STATUS fw_chain(EFI_HANDLE parent, EFI_LOADED_IMAGE *li, const char *path,
		    enum handover_image kind, const char *options, size_t len)
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
	if (dp && len)
		wopts = fw_utf8_to_ucs2(options, len);
	if (!dp || (len && !wopts)) {
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
	/* No options at all rather than an empty string: shim reads any */
	child_li->LoadOptions = wopts;
	child_li->LoadOptionsSize = wopts ?
		(UINT32)((StrLen(wopts) + 1) * sizeof(CHAR16)) : 0;

	fw_print("memmap: starting ", 17);
	fw_print(path, strlen(path));
	fw_print(" (", 2);
	fw_print(kind_names[kind], strlen(kind_names[kind]));
	fw_print(")", 1);
	if (len) {
		fw_print(" ", 1);
		fw_print(options, len);
	}
	fw_print("\n", 1);
	/* The watchdog the boot manager would have armed for PATH */
	uefi_call_wrapper(BS->SetWatchdogTimer, 4, FW_WATCHDOG_SECONDS, 0, 0, NULL);
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
