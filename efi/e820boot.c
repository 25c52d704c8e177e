/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi on an e820 machine (x86): the firmware map converted as
 * Linux's EFI stub does, the kernel's memory options applied to it, the
 * regions claimed and published, the words rewritten for the command
 * line.
 */
#include "fw.h"

#define CLAIM_TRIES 3

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
		st = fw_claim(claimed, d, n, fixed.entries[i].addr,
			   fixed.entries[i].size);
	}
	for (i = 0; !rc && !EFI_ERROR(st) && i < reg->nr; i++)
		st = fw_claim(claimed, d, n, reg->r[i].start, reg->r[i].size);
	e820_table_free(&fixed);
	if (rc)
		st = fw_status(rc);
	if (EFI_ERROR(st))
		fw_release(claimed);
	return st;
}

/*
 * Everything but the hand-over: parse, place, claim, publish, pstore.
 * On success @words holds the rewritten words; on failure everything
 * done is undone (claims, the table, MemmapNamed) and a line said why.
 */
EFI_STATUS fw_boot_run(EFI_LOADED_IMAGE *li, const struct fw_opts *o,
		       struct mm_buf *words)
{
	struct cmdline_plan plan;
	struct cmdline_error err;
	struct e820_table fw, attrs, within, result, claimed;
	struct memmap_registry reg, sticky;
	struct cmdline_place place;
	struct fw_memory mem;
	struct efimap_desc *descs = NULL;
	struct mm_buf out;
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
	if (EFI_ERROR(fw_pstore_log_check(o, &plan))) {
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

	if (!o->forget && fw_sticky_read(&sticky) == EFI_COMPROMISED_DATA)
		fw_print("memmap: warning: MemmapSticky is malformed; not reusing it\n", 61);

	/* Place on a fresh snapshot until every claim succeeds */
	for (tries = 0; tries < CLAIM_TRIES; tries++) {
		fw_alloc.realloc(NULL, descs, 0);
		st = fw_memory_map(&descs, &ndesc);
		if (EFI_ERROR(st))
			goto out;
		rc = efimap_to_e820(&fw, &attrs, descs, ndesc, plan.soft_reserve);
		if (!rc)
			rc = fw_free_ranges(&within, descs, ndesc);
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

	/* The report: the maps, named:, then what every architecture prints */
	cmdline_report(&out, &plan, &fw, &result, &reg, o->quiet);
	mem = (struct fw_memory){ .claimed = &claimed, .ram = &fw };
	st = fw_report(li, o, &plan, &reg, &sticky, &mem, descs, ndesc, &out);
	if (!EFI_ERROR(st))
		st = fw_status(cmdline_rewrite(&plan, &reg, words));
	if (!EFI_ERROR(st) && words->rc)
		st = EFI_OUT_OF_RESOURCES;
undo:
	if (EFI_ERROR(st)) {
		fw_unpublish();
		fw_release(&claimed);
	}
out:
	fw_alloc.realloc(NULL, descs, 0);
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

