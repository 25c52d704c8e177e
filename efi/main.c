/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi: reserve, name and publish memory before the OS starts.
 */
#include "fw.h"

#define CLAIM_TRIES 3

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
"In the shell write # as ^#.\n";

/* GetMemoryMap, retried until the buffer is big enough */
static EFI_STATUS snapshot(struct efimap_desc **out, size_t *n)
{
	UINTN size = 0, key, dsize = 0, i;
	UINT32 dver;
	void *buf = NULL;
	EFI_STATUS st;

	*out = NULL;
	for (;;) {
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, buf, &key,
				       &dsize, &dver);
		if (st != EFI_BUFFER_TOO_SMALL)
			break;
		fw_alloc.realloc(NULL, buf, 0);
		size += 8 * (dsize ? dsize : sizeof(EFI_MEMORY_DESCRIPTOR));
		buf = fw_alloc.realloc(NULL, NULL, size);
		if (!buf)
			return EFI_OUT_OF_RESOURCES;
	}
	if (EFI_ERROR(st) || dsize < sizeof(EFI_MEMORY_DESCRIPTOR)) {
		fw_alloc.realloc(NULL, buf, 0);
		return EFI_ERROR(st) ? st : EFI_UNSUPPORTED;
	}
	*n = size / dsize;
	*out = fw_alloc.realloc(NULL, NULL, (*n ? *n : 1) * sizeof(**out));
	if (!*out) {
		fw_alloc.realloc(NULL, buf, 0);
		return EFI_OUT_OF_RESOURCES;
	}
	for (i = 0; i < *n; i++) {
		EFI_MEMORY_DESCRIPTOR *d =
			(EFI_MEMORY_DESCRIPTOR *)((char *)buf + i * dsize);

		(*out)[i].type = d->Type;
		(*out)[i].phys_addr = d->PhysicalStart;
		(*out)[i].num_pages = d->NumberOfPages;
		(*out)[i].attribute = d->Attribute;
	}
	fw_alloc.realloc(NULL, buf, 0);
	return EFI_SUCCESS;
}

/* Firmware-free memory (EfiConventionalMemory) as type-1 ranges */
static int free_ranges(struct e820_table *t, const struct efimap_desc *d,
		       size_t n)
{
	size_t i;
	int rc = 0;

	t->nr = 0;
	for (i = 0; !rc && i < n; i++)
		if (d[i].type == EFI_CONVENTIONAL_MEMORY)
			rc = e820_range_add(t, d[i].phys_addr,
					    d[i].num_pages << EFIMAP_PAGE_SHIFT,
					    E820_TYPE_RAM);
	return rc ? rc : e820_sanitize(t);
}

/*
 * Claim [start, start + size) as EfiReservedMemoryType, a piece per free
 * descriptor of @d it lies in (AllocateAddress takes one descriptor's
 * range only); each piece goes into @claimed, to give back when a later
 * claim fails.  EFI_NOT_FOUND when part of it is no longer free.
 */
static EFI_STATUS claim(struct e820_table *claimed, const struct efimap_desc *d,
			size_t n, uint64_t start, uint64_t size)
{
	struct e820_table pieces;
	EFI_PHYSICAL_ADDRESS a;
	EFI_STATUS st = EFI_SUCCESS;
	size_t i;
	int rc;

	e820_table_init(&pieces, &fw_alloc);
	rc = efimap_free_pieces(d, n, start, size, &pieces);
	if (rc)
		st = rc == -MM_ENOENT ? EFI_NOT_FOUND : fw_status(rc);
	for (i = 0; !EFI_ERROR(st) && i < pieces.nr; i++) {
		a = pieces.entries[i].addr;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress,
				       EfiReservedMemoryType,
				       pieces.entries[i].size >> EFIMAP_PAGE_SHIFT, &a);
		if (!EFI_ERROR(st) && e820_range_add(claimed, a, pieces.entries[i].size, 0)) {
			uefi_call_wrapper(BS->FreePages, 2, a,
					  pieces.entries[i].size >> EFIMAP_PAGE_SHIFT);
			st = EFI_OUT_OF_RESOURCES;
		}
	}
	e820_table_free(&pieces);
	return st;
}

static void release(struct e820_table *claimed)
{
	size_t i;

	for (i = 0; i < claimed->nr; i++)
		uefi_call_wrapper(BS->FreePages, 2,
				  (EFI_PHYSICAL_ADDRESS)claimed->entries[i].addr,
				  claimed->entries[i].size >> EFIMAP_PAGE_SHIFT);
	claimed->nr = 0;
}

/*
 * Claim every placed region, and every fixed reserved ($) range that
 * lies wholly in free memory (whole pages, overlaps merged).
 */
static EFI_STATUS claim_all(const struct cmdline_plan *plan,
			    const struct memmap_registry *reg,
			    const struct e820_table *within,
			    const struct efimap_desc *d, size_t n,
			    struct e820_table *claimed)
{
	struct e820_fit f = { .align = 4096 };
	struct e820_table fixed;
	EFI_STATUS st = EFI_SUCCESS;
	size_t i;
	int rc = 0;

	e820_table_init(&fixed, &fw_alloc);
	for (i = 0; !rc && i < plan->nops; i++) {
		const struct cmdline_op *op = &plan->ops[i];
		uint64_t s = op->start & ~0xfffULL;
		uint64_t e = op->start + op->size;

		if (op->kind != CMDLINE_OP_ADD || op->type != E820_TYPE_RESERVED)
			continue;
		if (e > UINT64_MAX - 0xfff)
			continue;
		e = (e + 0xfff) & ~0xfffULL;
		rc = e820_range_add(&fixed, s, e - s, E820_TYPE_RAM);
	}
	if (!rc)
		rc = e820_sanitize(&fixed);
	for (i = 0; !rc && !EFI_ERROR(st) && i < fixed.nr; i++) {
		f.size = fixed.entries[i].size;
		if (e820_fits_at(within, &f, fixed.entries[i].addr))
			continue;
		st = claim(claimed, d, n, fixed.entries[i].addr,
			   fixed.entries[i].size);
	}
	for (i = 0; !rc && !EFI_ERROR(st) && i < reg->nr; i++)
		st = claim(claimed, d, n, reg->r[i].start, reg->r[i].size);
	e820_table_free(&fixed);
	if (rc)
		st = fw_status(rc);
	if (EFI_ERROR(st))
		release(claimed);
	return st;
}

/* A line for each remembered region placed elsewhere this time */
static void print_moved(struct mm_buf *out, const struct memmap_registry *reg,
			const struct memmap_registry *sticky)
{
	const struct memmap_region *old;
	size_t i;

	for (i = 0; i < reg->nr; i++) {
		old = memmap_registry_find(sticky, reg->r[i].name);
		if (!old || old->start == reg->r[i].start)
			continue;
		memmap_region_print(out, "moved", old);
		mm_buf_puts(out, "moved: ");
		mm_buf_puts(out, reg->r[i].name);
		mm_buf_puts(out, " could not be reused; its old contents are not carried over\n");
	}
}

static EFI_STATUS write_dump(EFI_LOADED_IMAGE *li, const char *path,
			     const struct efimap_desc *d, size_t n)
{
	struct mm_buf b;
	EFI_STATUS st;
	size_t i;

	mm_buf_init(&b, &fw_alloc);
	for (i = 0; i < n; i++)
		efimap_print_desc(&b, i, &d[i]);
	st = b.rc ? EFI_OUT_OF_RESOURCES : fw_file_write(li, path, b.s, b.len);
	mm_buf_free(&b);
	if (EFI_ERROR(st))
		fw_error(path, strlen(path), "cannot write the --dump file");
	return st;
}

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

/*
 * Everything but the hand-over: parse, place, claim, publish, pstore.
 * On success @words holds the rewritten words; on failure everything
 * done is undone (claims, the table, MemmapNamed) and a line said why.
 */
static EFI_STATUS run(EFI_LOADED_IMAGE *li, const struct fw_opts *o,
		      struct mm_buf *words)
{
	struct cmdline_plan plan;
	struct cmdline_error err;
	struct e820_table fw, attrs, within, result, claimed;
	struct memmap_registry reg, sticky;
	struct cmdline_place place;
	struct fw_memory mem;
	struct efimap_desc *descs = NULL;
	struct mm_buf out, log;
	size_t ndesc = 0;
	EFI_STATUS st;
	int rc, tries;

	rc = cmdline_parse(o->line.s ? o->line.s : "", o->line.len, &fw_alloc,
			   &plan, &err);
	if (rc) {
		if (rc == -MM_EINVAL)
			fw_error(err.word, err.word_len, err.reason);
		return fw_status(rc);
	}
	/* --pstore-log's needs, checked before anything is claimed */
	if (o->pstore_log && ((!plan.ramoops.mem_name && !plan.ramoops.has_address) ||
			      !plan.ramoops.pmsg_size)) {
		fw_error("--pstore-log", 12, plan.ramoops.pmsg_size ?
			 "needs ramoops.mem_name=NAME or ramoops.mem_address/mem_size" :
			 "there is no pmsg zone (ramoops.pmsg_size=0)");
		cmdline_plan_free(&plan);
		return EFI_INVALID_PARAMETER;
	}

	e820_table_init(&fw, &fw_alloc);
	e820_table_init(&attrs, &fw_alloc);
	e820_table_init(&within, &fw_alloc);
	e820_table_init(&result, &fw_alloc);
	e820_table_init(&claimed, &fw_alloc);
	memmap_registry_init(&reg, &fw_alloc);
	memmap_registry_init(&sticky, &fw_alloc);
	mm_buf_init(&out, &fw_alloc);
	mm_buf_init(&log, &fw_alloc);

	if (!o->forget && fw_sticky_read(&sticky) == EFI_COMPROMISED_DATA)
		fw_print("memmap: warning: MemmapSticky is malformed; not reusing it\n", 61);

	/* Place on a fresh snapshot until every claim succeeds */
	for (tries = 0; tries < CLAIM_TRIES; tries++) {
		fw_alloc.realloc(NULL, descs, 0);
		st = snapshot(&descs, &ndesc);
		if (EFI_ERROR(st))
			goto out;
		rc = efimap_to_e820(&fw, &attrs, descs, ndesc, plan.soft_reserve);
		if (!rc)
			rc = free_ranges(&within, descs, ndesc);
		if (rc) {
			fw_error("GetMemoryMap", 12, "the firmware map is invalid");
			st = fw_status(rc);
			goto out;
		}
		place = (struct cmdline_place){ .attrs = &attrs,
						.within = &within,
						.sticky = &sticky };
		memmap_registry_free(&reg);
		rc = cmdline_apply(&plan, &fw, &place, &result, &reg, &err);
		if (rc) {
			if (rc == -MM_EINVAL || rc == -MM_ENOSPC)
				fw_error(err.word, err.word_len, err.reason);
			st = rc == -MM_ENOSPC ? EFI_INVALID_PARAMETER : fw_status(rc);
			goto out;
		}
		st = claim_all(&plan, &reg, &within, descs, ndesc, &claimed);
		if (st != EFI_NOT_FOUND)
			break;
	}
	if (EFI_ERROR(st)) {
		fw_error("AllocatePages", 13, "could not claim the regions");
		goto out;
	}

	/* Publish; MemmapSticky is best-effort */
	if (o->forget)
		st = fw_sticky_forget();
	if (!EFI_ERROR(st))
		st = fw_publish(&reg);
	if (EFI_ERROR(st)) {
		fw_message("error", "SetVariable", 11,
			   "could not publish the named regions", st);
		goto undo;
	}
	st = reg.nr ? fw_sticky_write(&reg, &sticky) : EFI_SUCCESS;
	if (EFI_ERROR(st))
		fw_message("warning", "MemmapSticky", 12, "could not remember "
			   "the placements: the next boot places anew", st);
	st = EFI_SUCCESS;

	/* The report; the pmsg log (--pstore-log) is the same without the
	 * records' text */
	cmdline_report(&out, &plan, &fw, &result, &reg, o->quiet);
	print_moved(&out, &reg, &sticky);
	if (o->pstore_log)
		mm_buf_putn(&log, out.s, out.len);
	mem = (struct fw_memory){ .claimed = &claimed, .ram = &fw };
	st = fw_pstore(li, &plan, &reg, &mem, o->order, o->print, o->keep,
		       o->quiet || o->print_none, &out,
		       o->pstore_log ? &log : NULL);
	if (!EFI_ERROR(st) && (out.rc || log.rc))
		st = EFI_OUT_OF_RESOURCES;
	fw_print_buf(&out);
	if (!EFI_ERROR(st) && o->pstore_log)
		st = fw_pstore_log(&plan, &reg, &mem, o->order, &log);
	if (!EFI_ERROR(st) && o->dump.len)
		st = write_dump(li, o->dump.s, descs, ndesc);
	if (!EFI_ERROR(st))
		st = fw_status(cmdline_rewrite(&plan, &reg, words));
	if (!EFI_ERROR(st) && words->rc)
		st = EFI_OUT_OF_RESOURCES;
undo:
	if (EFI_ERROR(st)) {
		fw_unpublish();
		release(&claimed);
	}
out:
	fw_alloc.realloc(NULL, descs, 0);
	mm_buf_free(&log);
	mm_buf_free(&out);
	memmap_registry_free(&sticky);
	memmap_registry_free(&reg);
	e820_table_free(&claimed);
	e820_table_free(&result);
	e820_table_free(&within);
	e820_table_free(&attrs);
	e820_table_free(&fw);
	cmdline_plan_free(&plan);
	return st;
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
		if (!EFI_ERROR(st))
			st = run(li, &o, &words);
		st = finish(image, li, &o, st, &words);
	}
	mm_buf_free(&words);
	fw_opts_free(&o);
	return st;
}
