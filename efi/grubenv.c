/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The GRUB channel: memmap.env beside memmap.efi, a GRUB environment
 * block holding memmap_cmdline=WORDS.  dist/grub/05_memmap makes
 * grub.cfg read that one variable (load_env --file) and
 * dist/grub/memmap.cfg puts ${memmap_cmdline} on every linux line.
 */
#include "fw.h"
#include "../cmdline/handover.h"

#define GRUBENV_FILE "memmap.env"

EFI_STATUS fw_grubenv_save(EFI_LOADED_IMAGE *li, const char *words,
			   size_t len)
{
	struct mm_buf blk;
	EFI_STATUS st;
	char *old = NULL;
	size_t n = 0;

	mm_buf_init(&blk, &fw_alloc);
	handover_grubenv(&blk, HANDOVER_GRUB_VAR, words, len);
	if (blk.rc) {
		st = EFI_OUT_OF_RESOURCES;
		goto out;
	}
	/* Written only when it changes: no flash wear on every boot */
	st = fw_file_read(li, GRUBENV_FILE, &old, &n);
	if (!EFI_ERROR(st) && n == blk.len && !memcmp(old, blk.s, n))
		goto out;
	st = fw_file_write(li, GRUBENV_FILE, blk.s, blk.len);
out:
	if (EFI_ERROR(st))
		fw_message("warning", GRUBENV_FILE, sizeof(GRUBENV_FILE) - 1,
			   "cannot write the GRUB environment block beside "
			   "memmap.efi: GRUB boots without the words", st);
	fw_alloc.realloc(NULL, old, 0);
	mm_buf_free(&blk);
	return st;
}
