/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The systemd channel: an SMBIOS type 11 (OEM strings) record added
 * through the PI spec's EFI_SMBIOS_PROTOCOL.  systemd-boot 256+ appends
 * io.systemd.boot.kernel-cmdline-extra to Type #1 entries' command lines,
 * systemd-stub 254+ appends io.systemd.stub.kernel-cmdline-extra to a
 * UKI's.  Both read the first type 11 structure of the SMBIOS table the
 * firmware rebuilds after each Add or Remove.
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

/* The type 11 records in table order: their handles and copies */
struct oem_records {
	EFI_SMBIOS_HANDLE *handle;
	size_t *at, nr, cap_h, cap_a;
	struct mm_buf bytes;
};

static EFI_STATUS collect(struct efi_smbios_protocol *sp, struct oem_records *r)
{
	EFI_SMBIOS_HANDLE h = HANDOVER_SMBIOS_HANDLE_ANY;
	UINT8 type = HANDOVER_SMBIOS_TYPE;
	void *rec;
	size_t size;

	while (!EFI_ERROR(uefi_call_wrapper(sp->get_next, 5, sp, &h, &type,
					    &rec, NULL))) {
		size = handover_smbios_size(rec, SMBIOS_RECORD_MAX);
		if (!size)
			return EFI_COMPROMISED_DATA;
		if (mm_grow(&fw_alloc, &r->handle, &r->cap_h, r->nr + 1,
			    sizeof(*r->handle)) ||
		    mm_grow(&fw_alloc, &r->at, &r->cap_a, r->nr + 1,
			    sizeof(*r->at)))
			return EFI_OUT_OF_RESOURCES;
		r->handle[r->nr] = h;
		r->at[r->nr++] = r->bytes.len;
		mm_buf_putn(&r->bytes, rec, size);
	}
	return r->bytes.rc ? EFI_OUT_OF_RESOURCES : EFI_SUCCESS;
}

static size_t record_len(const struct oem_records *r, size_t i)
{
	return (i + 1 < r->nr ? r->at[i + 1] : r->bytes.len) - r->at[i];
}

/*
 * Put back records [@from, r->nr) with their handles; the first with
 * @first instead of its own bytes when @first is not NULL
 */
static EFI_STATUS add_back(struct efi_smbios_protocol *sp,
			   const struct oem_records *r, size_t from,
			   const char *first)
{
	EFI_SMBIOS_HANDLE h;
	EFI_STATUS st = EFI_SUCCESS, one;
	size_t i;

	for (i = from; i < r->nr; i++) {
		h = r->handle[i];
		one = uefi_call_wrapper(sp->add, 4, sp, NULL, &h,
					i == from && first ? (void *)first :
					r->bytes.s + r->at[i]);
		if (EFI_ERROR(one))
			st = one;
	}
	return st;
}

EFI_STATUS fw_smbios_words(const char *words, size_t len, bool stub)
{
	static EFI_GUID guid = EFI_SMBIOS_PROTOCOL_GUID;
	struct efi_smbios_protocol *sp = NULL;
	struct oem_records r = { 0 };
	EFI_SMBIOS_HANDLE h;
	struct mm_buf rec;
	EFI_STATUS st;
	size_t i;

	st = LibLocateProtocol(&guid, (void **)&sp);
	if (EFI_ERROR(st) || !sp) {
		smbios_warn("no EFI_SMBIOS_PROTOCOL: systemd-boot and "
			    "systemd-stub do not get the words", st);
		return EFI_UNSUPPORTED;
	}
	mm_buf_init(&r.bytes, &fw_alloc);
	mm_buf_init(&rec, &fw_alloc);

	/*
	 * systemd reads the first type 11 record only: the words go into it,
	 * ahead of the firmware's strings.  Records are added at the end of
	 * the table, so every type 11 record is taken out and put back, in
	 * order, with its handle.
	 */
	st = collect(sp, &r);
	if (!EFI_ERROR(st))
		st = fw_status(handover_smbios(&rec, r.nr ? r.bytes.s : NULL,
					       r.nr ? record_len(&r, 0) : 0,
					       words, len, stub));
	if (!EFI_ERROR(st) && rec.rc)
		st = EFI_OUT_OF_RESOURCES;
	if (EFI_ERROR(st)) {
		smbios_warn("cannot make the OEM-strings record: systemd-boot "
			    "and systemd-stub do not get the words", st);
		goto out;
	}
	for (i = 0; i < r.nr; i++) {
		st = uefi_call_wrapper(sp->remove, 2, sp, r.handle[i]);
		if (EFI_ERROR(st)) {
			add_back(sp, &r, 0, NULL);
			smbios_warn("cannot replace the firmware's OEM-strings "
				    "record: systemd-boot and systemd-stub do "
				    "not get the words", st);
			goto out;
		}
	}
	if (r.nr) {
		st = add_back(sp, &r, 0, rec.s);
	} else {
		h = HANDOVER_SMBIOS_HANDLE_ANY;
		st = uefi_call_wrapper(sp->add, 4, sp, NULL, &h, rec.s);
	}
	if (EFI_ERROR(st))
		smbios_warn("cannot add the OEM-strings record: systemd-boot "
			    "and systemd-stub do not get the words", st);
out:
	mm_buf_free(&rec);
	mm_buf_free(&r.bytes);
	fw_alloc.realloc(NULL, r.handle, 0);
	fw_alloc.realloc(NULL, r.at, 0);
	return st;
}
