/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Handing the resolved words to the next image: which kind of image it
 * is, and the two formats that carry the words past loaders that ignore
 * their LoadOptions (a GRUB environment block, an SMBIOS OEM-strings
 * record for systemd-boot and systemd-stub).
 */
#ifndef CMDLINE_HANDOVER_H
#define CMDLINE_HANDOVER_H

#include "../e820/base.h"

enum handover_image {
	HANDOVER_OTHER,		/* a boot loader or anything else */
	HANDOVER_LINUX,		/* a Linux kernel's EFI stub */
	HANDOVER_UKI,		/* a unified kernel image (.linux section) */
};

/* How many bytes of an image's start handover_image_kind() wants */
#define HANDOVER_HEAD 65536

/**
 * handover_image_kind() - what the PE image starting with @head is
 * @head: the first @n bytes of the file (HANDOVER_HEAD is enough)
 * Return: HANDOVER_UKI for a PE image with a ".linux" section;
 * HANDOVER_LINUX for a PE image that carries a Linux boot header (x86's
 * "HdrS" setup header, arm64's or RISC-V's Image magic, an EFI zboot
 * "zimg" header); HANDOVER_OTHER for any other file, a PE image or not.
 */
enum handover_image handover_image_kind(const void *head, size_t n);

enum handover_opts {
	HANDOVER_OPTS_NONE,	/* nothing, or only NULs */
	HANDOVER_OPTS_UCS2,	/* UCS-2 text, a byte-order mark allowed */
	HANDOVER_OPTS_UTF8,	/* ASCII or UTF-8 text (efibootmgr without -u) */
	HANDOVER_OPTS_BINARY,	/* anything else: vendor data, junk */
};

/**
 * handover_load_options() - what a boot entry's optional data (memmap.efi's
 * LoadOptions, @n bytes) is.  Text is printable characters and tabs, then
 * perhaps NULs.  UCS-2 needs an even length, no lone surrogate and at
 * least one ASCII character (else ASCII text of even length would read as
 * UCS-2); UTF-8 needs valid sequences.
 */
enum handover_opts handover_load_options(const void *opts, size_t n);

/* The GRUB environment variable memmap.env holds */
#define HANDOVER_GRUB_VAR "memmap_cmdline"
/* A GRUB environment block's first line, and its size step */
#define HANDOVER_GRUBENV_SIG "# GRUB Environment Block\n"
#define HANDOVER_GRUBENV_STEP 1024

/**
 * handover_grubenv() - a GRUB environment block holding one variable,
 * as grub-editenv writes it: the signature line, "@var=VALUE\n" with
 * '\' and newline escaped by '\', then '#' up to a multiple of 1024 bytes.
 * @out: the block is appended here (check @out->rc)
 */
void handover_grubenv(struct mm_buf *out, const char *var,
		      const char *value, size_t len);

/* SMBIOS OEM strings systemd-boot (256+) and systemd-stub (254+) append */
#define HANDOVER_SD_BOOT_KEY "io.systemd.boot.kernel-cmdline-extra="
#define HANDOVER_SD_STUB_KEY "io.systemd.stub.kernel-cmdline-extra="
/* The string that says a record holds memmap.efi's strings */
#define HANDOVER_SMBIOS_MARK "io.memmap.handover=1"
#define HANDOVER_SMBIOS_TYPE 11
#define HANDOVER_SMBIOS_HANDLE_ANY 0xfffe

/**
 * handover_smbios_size() - the whole size of the SMBIOS structure at
 * @rec: its formatted area, its strings and the NUL that ends them
 * Return: the size, or 0 when the structure is malformed or does not end
 * within @max bytes.
 */
size_t handover_smbios_size(const void *rec, size_t max);

/**
 * handover_smbios() - an SMBIOS type 11 (OEM strings) structure holding
 * HANDOVER_SD_BOOT_KEY@words, HANDOVER_SD_STUB_KEY@words (when @stub) and
 * HANDOVER_SMBIOS_MARK, then the strings of @old.  systemd reads only the
 * first type 11 structure of the table, and the first string with its key
 * there: so the words go into the firmware's first record, ahead of its
 * own strings.
 * @old: the firmware's first type 11 structure (@old_len bytes, as
 *       handover_smbios_size() gives), or NULL for a new one (handle
 *       HANDOVER_SMBIOS_HANDLE_ANY).  The strings an earlier run put
 *       at its front (up to HANDOVER_SMBIOS_MARK) are left out.
 * Return: 0, the structure appended to @out (check @out->rc);
 * -MM_EINVAL when @words hold a NUL or @old is not a type 11 structure
 * of @old_len bytes; -MM_ERANGE when there would be more than 255
 * strings.
 */
int handover_smbios(struct mm_buf *out, const void *old, size_t old_len,
		    const char *words, size_t len, bool stub);

/**
 * handover_smbios_string() - the first string of the SMBIOS structure at
 * @rec (@n bytes at most) that starts with @prefix, or NULL (also for a
 * malformed structure)
 */
const char *handover_smbios_string(const void *rec, size_t n,
				   const char *prefix);

#endif
