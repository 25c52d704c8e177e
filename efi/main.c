/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi: reserve, name and publish memory before the OS starts.
 */
#include "fw.h"


static const char usage[] =
"Usage: memmap.efi [OPTION...] [KERNEL-PARAM...] [-- PATH [KERNEL-ARG...]]\n"
"\n"
"Converts the firmware memory map to e820 as Linux's EFI stub does, applies\n"
"the kernel's memory options, claims the reserved and placed regions in\n"
"firmware, and publishes named regions (configuration table, MemmapNamed).\n"
"\n"
"Options:\n"
"  -f FILE       more arguments from FILE (relative to memmap.efi's\n"
"                directory, or \\path from the volume root); # lines are\n"
"                comments; # % $ need no escaping there\n"
"  --dump FILE   write the EFI memory map converted, as efi: memNN: lines\n"
"  --forget      forget remembered placements (MemmapSticky)\n"
"  -q            print only errors and named: lines\n"
"  --pstore-layout 6.1|6.2\n"
"                ramoops zone order (default: 6.1's, unless RAM says 6.2's)\n"
"  --pstore-keep SIZE\n"
"                keep \\pstore under SIZE (K, M, G; default 16M; 0: no\n"
"                cap), removing the oldest sets of saved records first\n"
"  --pstore-log pmsg\n"
"                append this output to the ramoops pmsg zone\n"
"  --pstore-print summary|tail|all|none\n"
"                how much of each previous-boot record to print: its\n"
"                header and the line that says why the kernel stopped\n"
"                (summary, the default), those and the last 50 lines\n"
"                (tail), the whole text (all), nothing (none); the whole\n"
"                record is saved in any case\n"
"  -h, --help    this text\n"
"\n"
"With no argument at all, memmap.conf next to memmap.efi is read.\n"
"The kernel words, rewritten as the cmdline: line shows them, are handed\n"
"to what boots next: written to memmap.env beside memmap.efi for GRUB\n"
"(dist/grub/05_memmap), and put in an SMBIOS OEM-strings record for\n"
"systemd-boot 256+ and systemd-stub 254+.\n"
"With -- PATH, the EFI image at PATH is started afterwards. A Linux\n"
"kernel or a UKI gets the words and then the KERNEL-ARGs as its command\n"
"line (and no SMBIOS record); any other image (shim, GRUB, systemd-boot)\n"
"gets only the KERNEL-ARGs, or nothing.\n"
"With -- PATH nothing of memmap.efi's own stops the boot: on a bad word,\n"
"a failed claim or a firmware error it says why, undoes what it did, and\n"
"starts PATH with every word but memmap=, mem=, reserve_mem= and\n"
"ramoops.mem_name=, as the machine would boot without memmap.efi.\n"
"Kernel words: memmap=nn@ss nn#ss nn$ss nn!ss nn%ss-old+new exactmap nn,\n"
"memmap=SIZE*ALIGN:NAME, reserve_mem=SIZE:ALIGN:NAME, mem=nn, ramoops.*\n"
"With ramoops.mem_name=NAME (or ramoops.mem_address and mem_size) the\n"
"previous boot's pstore records are printed and saved to \\pstore\\DATE-TIME.\n"
"In the shell write # as ^#.\n"
"On arm64 the regions go into the device tree instead (a /reserved-memory\n"
"child NAME@ADDR each, the ramoops.mem_name= one a ramoops node), installed\n"
"in place of the firmware's; memmap's and ramoops' words stay off the\n"
"command line, and only memmap=SIZE*ALIGN:NAME and reserve_mem= are taken.\n";

/*
 * Hand the words over to whatever boots next: memmap.env for GRUB, the
 * SMBIOS record for systemd-boot and systemd-stub, and LoadOptions when
 * PATH is a kernel or a UKI; then start PATH.  The channels that fail
 * print a warning and the boot goes on.
 */
static EFI_STATUS hand_over(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
			    const struct fw_opts *o, const struct mm_buf *words)
{
	enum handover_image kind = HANDOVER_OTHER;
	const char *w = words->s ? words->s : "";
	struct mm_buf opts;
	EFI_STATUS st;

	if (o->chain.len)
		kind = fw_image_kind(li, o->chain.s);
	fw_grubenv_save(li, w, words->len);
	/* A kernel or UKI started here reads the words from LoadOptions;
	 * a UKI's stub would add the SMBIOS ones a second time */
	if (kind == HANDOVER_OTHER)
		fw_smbios_words(w, words->len, true);
	if (!o->chain.len)
		return EFI_SUCCESS;

	mm_buf_init(&opts, &fw_alloc);
	if (kind != HANDOVER_OTHER)
		mm_buf_putn(&opts, w, words->len);
	if (opts.len && o->kargs.len)
		mm_buf_putc(&opts, ' ');
	mm_buf_putn(&opts, o->kargs.s ? o->kargs.s : "", o->kargs.len);
	st = opts.rc ? fw_status(opts.rc) :
	     fw_chain(image, li, o->chain.s, kind, opts.s ? opts.s : "", opts.len);
	mm_buf_free(&opts);
	return st;
}

/*
 * The one rule on what stops memmap.efi.  Without -- PATH its own errors
 * return (EFI_INVALID_PARAMETER for bad input).  With -- PATH nothing of
 * its own does: it has undone what it did, and PATH starts with every
 * word but memmap's own (memmap=, mem=, reserve_mem=, ramoops.mem_name=),
 * as the machine would boot without memmap.  Only a missing or failing
 * PATH returns to the caller.
 */
static EFI_STATUS finish(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
			 const struct fw_opts *o, EFI_STATUS st,
			 struct mm_buf *words)
{
	if (EFI_ERROR(st)) {
		if (!o->chain.len)
			return st;
		fw_message("warning", o->chain.s, o->chain.len,
			   "starting it without memmap's words: nothing is "
			   "claimed or published", EFI_SUCCESS);
		mm_buf_free(words);
		cmdline_strip(o->line.s ? o->line.s : "", o->line.len,
			      &fw_alloc, words);
	}
	return hand_over(image, li, o, words);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li;
	struct fw_opts o = { 0 };
	struct mm_buf words;
	EFI_STATUS st;

	InitializeLib(image, systab);
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &li_guid,
			       (void **)&li);
	if (EFI_ERROR(st))
		return st;
	/* The boot manager's watchdog is off while memmap.efi works (a long
	 * crash log on a slow console must not reset the machine); fw_chain()
	 * arms it again for PATH */
	uefi_call_wrapper(BS->SetWatchdogTimer, 4, 0, 0, 0, NULL);
	mm_buf_init(&words, &fw_alloc);
	st = fw_args(image, li, &o);
	if (!EFI_ERROR(st) && o.help) {
		fw_print(usage, sizeof(usage) - 1);
	} else {
		/* x86: the e820 map and the command line (e820boot.c);
		 * arm64: the device tree (dtboot.c) */
		if (!EFI_ERROR(st))
			st = fw_boot_run(li, &o, &words);
		st = finish(image, li, &o, st, &words);
	}
	mm_buf_free(&words);
	fw_opts_free(&o);
	return st;
}
