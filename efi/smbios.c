/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The systemd channel: an SMBIOS type 11 (OEM strings) record added
 * through the PI spec's EFI_SMBIOS_PROTOCOL.  systemd-boot 256+ appends
 * io.systemd.boot.kernel-cmdline-extra to Type #1 entries' command lines,
 * systemd-stub 254+ appends io.systemd.stub.kernel-cmdline-extra to a
 * UKI's.  The firmware rebuilds its SMBIOS tables after each Add, which is
 * where both read the strings.
 */
#include "fw.h"
#include "../cmdline/handover.h"

#define EFI_SMBIOS_PROTOCOL_GUID \
	{ 0x03583ff6, 0xcb36, 0x4940, { 0x94, 0x7e, 0xb9, 0xb3, 0x9f, 0x4a, 0xfa, 0xf7 } }

/* The bound on one record's length while its strings are scanned */
#define SMBIOS_RECORD_MAX 65536

typedef UINT16 EFI_SMBIOS_HANDLE;

struct efi_smbios_protocol {
	EFI_STATUS (EFIAPI *add)(struct efi_smbios_protocol *this,
				 EFI_HANDLE producer, EFI_SMBIOS_HANDLE *handle,
				 void *record);
	EFI_STATUS (EFIAPI *update_string)(struct efi_smbios_protocol *this,
					   EFI_SMBIOS_HANDLE *handle,
					   UINTN *string_number, CHAR8 *string);
	EFI_STATUS (EFIAPI *remove)(struct efi_smbios_protocol *this,
				    EFI_SMBIOS_HANDLE handle);
	EFI_STATUS (EFIAPI *get_next)(struct efi_smbios_protocol *this,
				      EFI_SMBIOS_HANDLE *handle, UINT8 *type,
				      void **record, EFI_HANDLE *producer);
	UINT8 major_version;
	UINT8 minor_version;
};

static void smbios_warn(const char *reason, EFI_STATUS st)
{
	fw_message("warning", "SMBIOS", 6, reason, st);
}

/*
 * The first type 11 record that holds @prefix, and whether it is ours;
 * false when there is none.
 */
static bool find_record(struct efi_smbios_protocol *sp, const char *prefix,
			EFI_SMBIOS_HANDLE *found)
{
	EFI_SMBIOS_HANDLE h = HANDOVER_SMBIOS_HANDLE_ANY;
	UINT8 type = HANDOVER_SMBIOS_TYPE;
	void *rec;

	while (!EFI_ERROR(uefi_call_wrapper(sp->get_next, 5, sp, &h, &type,
					    &rec, NULL))) {
		if (handover_smbios_string(rec, SMBIOS_RECORD_MAX, prefix)) {
			*found = h;
			return true;
		}
	}
	return false;
}

EFI_STATUS fw_smbios_words(const char *words, size_t len, bool stub)
{
	static EFI_GUID guid = EFI_SMBIOS_PROTOCOL_GUID;
	struct efi_smbios_protocol *sp = NULL;
	EFI_SMBIOS_HANDLE h;
	struct mm_buf rec;
	EFI_STATUS st;

	st = LibLocateProtocol(&guid, (void **)&sp);
	if (EFI_ERROR(st) || !sp) {
		smbios_warn("no EFI_SMBIOS_PROTOCOL: systemd-boot and "
			    "systemd-stub do not get the words", st);
		return EFI_UNSUPPORTED;
	}

	/* An earlier run's record (memmap.efi started again) goes first */
	while (find_record(sp, HANDOVER_SMBIOS_MARK, &h)) {
		st = uefi_call_wrapper(sp->remove, 2, sp, h);
		if (EFI_ERROR(st)) {
			smbios_warn("cannot remove the record of an earlier run", st);
			return st;
		}
	}
	/* systemd reads the first string with its key: the firmware's wins */
	if (find_record(sp, HANDOVER_SD_BOOT_KEY, &h) ||
	    (stub && find_record(sp, HANDOVER_SD_STUB_KEY, &h)))
		smbios_warn("the firmware's own OEM strings already hold "
			    "io.systemd.*.kernel-cmdline-extra, which systemd "
			    "reads instead of memmap's", EFI_SUCCESS);

	mm_buf_init(&rec, &fw_alloc);
	st = fw_status(handover_smbios(&rec, words, len, stub));
	if (!EFI_ERROR(st) && rec.rc)
		st = EFI_OUT_OF_RESOURCES;
	if (!EFI_ERROR(st)) {
		h = HANDOVER_SMBIOS_HANDLE_ANY;
		st = uefi_call_wrapper(sp->add, 4, sp, NULL, &h, rec.s);
	}
	if (EFI_ERROR(st))
		smbios_warn("cannot add the OEM-strings record: systemd-boot "
			    "and systemd-stub do not get the words", st);
	mm_buf_free(&rec);
	return st;
}
