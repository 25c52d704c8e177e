/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi on a device-tree machine (arm64): the regions go into the
 * device tree the firmware hands to the kernel, not onto its command
 * line.  The DT comes from the configuration table; each named region is
 * placed where Linux leaves memory free after the DT's own regions (the
 * dt/ model of Linux 6.12, with the firmware's map as its memory, as an
 * EFI boot has it) and the firmware's map says free, claimed,
 * written into a copy of the DT as a /reserved-memory child (with the
 * ramoops node), and that copy replaces the firmware's table.
 */
#include "fw.h"
#include "../dt/apply.h"

#include <libfdt.h>

#define CLAIM_TRIES 3

static EFI_GUID dt_guid = { 0xb1b621d5, 0xf19c, 0x41a5,
			    { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 } };


/*
 * Only memory the firmware has free may hold a region: everything of the
 * model's memory outside @free is reserved in it
 */
static int keep_to(struct memblock *mb, const struct e820_table *free)
{
	size_t i, k;
	int rc = 0;

	for (i = 0; !rc && i < mb->memory.nr; i++) {
		uint64_t pos = mb->memory.r[i].base;
		uint64_t end = pos + mb->memory.r[i].size;

		for (k = 0; !rc && k < free->nr && pos < end; k++) {
			uint64_t s = free->entries[k].addr;
			uint64_t e = s + free->entries[k].size;

			if (e <= pos || s >= end)
				continue;
			if (s > pos)
				rc = memblock_reserve(mb, pos, s - pos);
			pos = e;
		}
		if (!rc && pos < end)
			rc = memblock_reserve(mb, pos, end - pos);
	}
	return rc;
}

/*
 * On an EFI boot Linux takes its memory from the firmware's map, not from
 * the DT's /memory nodes (efi_init(): everything removed, then each
 * descriptor added, those it cannot use marked no-map): the model's
 * memory is the map's usable ranges
 */
static int efi_memory(struct dt_range **mem, size_t *n,
		      const struct e820_table *ram)
{
	size_t i, cap = 0;

	*n = 0;
	for (i = 0; i < ram->nr; i++) {
		if (ram->entries[i].type != E820_TYPE_RAM)
			continue;
		if (mm_grow(&fw_alloc, mem, &cap, *n + 1, sizeof(**mem)))
			return -MM_ENOMEM;
		(*mem)[(*n)++] = (struct dt_range){ ram->entries[i].addr,
						    ram->entries[i].size };
	}
	return 0;
}

/* Install @blob (copied into its own pool block) as the DT table */
static EFI_STATUS install_dt(const void *blob, size_t len, void **installed)
{
	void *copy;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePool, 3, EfiBootServicesData, len, &copy);
	if (EFI_ERROR(st))
		return st;
	memcpy(copy, blob, len);
	st = uefi_call_wrapper(BS->InstallConfigurationTable, 2, &dt_guid, copy);
	if (EFI_ERROR(st)) {
		uefi_call_wrapper(BS->FreePool, 1, copy);
		return st;
	}
	*installed = copy;
	return EFI_SUCCESS;
}

struct dt_run {
	struct cmdline_plan plan;
	struct dt_tree tree;
	struct dt_model model;
	struct dt_boot boot;	/* Linux 6.12, the firmware's memory */
	struct dt_range *memory;
	struct memmap_registry reg, sticky;
	struct e820_table ram, attrs, free, claimed;
	struct efimap_desc *descs;
	size_t ndesc;
	void *blob;		/* the DT written */
	size_t len;
};

/*
 * Place on a fresh snapshot of the firmware's map until every claim
 * succeeds: the DT's model, memory the firmware has free, then dt_place()
 */
static EFI_STATUS place_and_claim(struct dt_run *r, const void *fdt,
				  struct mm_buf *lines)
{
	struct cmdline_error err;
	struct dt_error derr;
	EFI_STATUS st = EFI_SUCCESS;
	int rc, tries;

	for (tries = 0; tries < CLAIM_TRIES; tries++) {
		fw_alloc.realloc(NULL, r->descs, 0);
		r->descs = NULL;
		st = fw_memory_map(&r->descs, &r->ndesc);
		if (EFI_ERROR(st))
			return st;
		rc = efimap_to_e820(&r->ram, &r->attrs, r->descs, r->ndesc, true);
		if (!rc)
			rc = fw_free_ranges(&r->free, r->descs, r->ndesc);
		if (rc) {
			fw_error("GetMemoryMap", 12, "the firmware map is invalid");
			return fw_status(rc);
		}
		dt_model_free(&r->model);
		lines->len = 0;
		rc = efi_memory(&r->memory, &r->boot.nmemory, &r->ram);
		r->boot = (struct dt_boot){ DT_LINUX_6_12, NULL, 0, r->memory,
					    r->boot.nmemory };
		if (!rc)
			rc = dt_model_run(&r->model, &r->tree, &r->boot,
					  &fw_alloc, lines);
		if (!rc)
			rc = keep_to(&r->model.mb, &r->free);
		memmap_registry_free(&r->reg);
		if (!rc)
			rc = dt_place(&r->model, &r->plan, &r->sticky, &r->reg, &err);
		if (rc == -MM_EINVAL || rc == -MM_ENOSPC)
			fw_error(err.word, err.word_len, err.reason);
		if (rc)
			return rc == -MM_ENOSPC ? EFI_INVALID_PARAMETER : fw_status(rc);
		st = EFI_SUCCESS;
		for (size_t i = 0; !EFI_ERROR(st) && i < r->reg.nr; i++)
			st = fw_claim(&r->claimed, r->descs, r->ndesc,
				      r->reg.r[i].start, r->reg.r[i].size);
		if (EFI_ERROR(st))
			fw_release(&r->claimed);
		if (st != EFI_NOT_FOUND)
			break;
	}
	if (EFI_ERROR(st)) {
		fw_error("AllocatePages", 13, "could not claim the regions");
		return st;
	}

	/* The DT with the regions, booted again in the model */
	lines->len = 0;
	rc = dt_rewrite(fdt, &r->tree, &r->model, &r->boot, &r->reg,
			&r->plan.ramoops, &fw_alloc, &r->blob, &r->len, lines,
			&derr);
	if (rc == -MM_EINVAL)
		fw_error(derr.what, strlen(derr.what), derr.why);
	if (rc)
		fw_release(&r->claimed);
	return rc ? (rc == -MM_EINVAL ? EFI_INVALID_PARAMETER : fw_status(rc)) :
		    EFI_SUCCESS;
}

static void dt_run_free(struct dt_run *r)
{
	fw_alloc.realloc(NULL, r->descs, 0);
	fw_alloc.realloc(NULL, r->blob, 0);
	fw_alloc.realloc(NULL, r->memory, 0);
	dt_model_free(&r->model);
	dt_tree_free(&r->tree);
	memmap_registry_free(&r->sticky);
	memmap_registry_free(&r->reg);
	e820_table_free(&r->claimed);
	e820_table_free(&r->free);
	e820_table_free(&r->attrs);
	e820_table_free(&r->ram);
	cmdline_plan_free(&r->plan);
}

EFI_STATUS fw_boot_run(EFI_LOADED_IMAGE *li, const struct fw_opts *o,
		       struct mm_buf *words)
{
	static struct dt_run zero;
	struct dt_run r = zero;
	struct cmdline_error err;
	struct dt_error derr;
	struct fw_memory mem;
	struct mm_buf out;
	void *fdt, *installed = NULL;
	EFI_STATUS st;
	int rc;

	rc = cmdline_parse(o->line.s ? o->line.s : "", o->line.len, &fw_alloc,
			   &r.plan, &err);
	if (rc) {
		if (rc == -MM_EINVAL)
			fw_error(err.word, err.word_len, err.reason);
		return fw_status(rc);
	}
	if (EFI_ERROR(fw_pstore_log_check(o, &r.plan))) {
		cmdline_plan_free(&r.plan);
		return EFI_INVALID_PARAMETER;
	}
	e820_table_init(&r.ram, &fw_alloc);
	e820_table_init(&r.attrs, &fw_alloc);
	e820_table_init(&r.free, &fw_alloc);
	e820_table_init(&r.claimed, &fw_alloc);
	memmap_registry_init(&r.reg, &fw_alloc);
	memmap_registry_init(&r.sticky, &fw_alloc);
	mm_buf_init(&out, &fw_alloc);

	fdt = fw_config_table(&dt_guid);
	if (!fdt) {
		fw_error("device tree", 11, "the firmware installed none "
			 "(on AAVMF/QEMU the DT is there when ACPI is off)");
		st = EFI_NOT_FOUND;
		goto out;
	}
	rc = dt_read(&r.tree, fdt, fdt_totalsize(fdt), &fw_alloc, &derr);
	if (rc) {
		if (rc == -MM_EINVAL)
			fw_error(derr.what, strlen(derr.what), derr.why);
		st = rc == -MM_EINVAL ? EFI_INVALID_PARAMETER : fw_status(rc);
		goto out;
	}
	if (!o->forget && fw_sticky_read(&r.sticky) == EFI_COMPROMISED_DATA)
		fw_print("memmap: warning: MemmapSticky is malformed; not reusing it\n", 61);

	st = place_and_claim(&r, fdt, &out);
	if (EFI_ERROR(st))
		goto out;
	st = install_dt(r.blob, r.len, &installed);
	if (EFI_ERROR(st)) {
		fw_message("error", "device tree", 11,
			   "could not install the new one", st);
		goto undo;
	}

	/* Publish; MemmapSticky is best-effort */
	if (o->forget)
		st = fw_sticky_forget();
	if (!EFI_ERROR(st))
		st = fw_publish(&r.reg);
	if (EFI_ERROR(st)) {
		fw_message("error", "SetVariable", 11,
			   "could not publish the named regions", st);
		goto undo;
	}
	st = r.reg.nr ? fw_sticky_write(&r.reg, &r.sticky) : EFI_SUCCESS;
	if (EFI_ERROR(st))
		fw_message("warning", "MemmapSticky", 12, "could not remember "
			   "the placements: the next boot places anew", st);
	st = EFI_SUCCESS;

	/* The report: the new DT's reserved-memory lines, named:, pstore */
	if (o->quiet)
		out.len = 0;
	for (size_t i = 0; i < r.reg.nr; i++)
		memmap_region_print(&out, "named", &r.reg.r[i]);
	mem = (struct fw_memory){ .claimed = &r.claimed, .ram = &r.ram };
	st = fw_report(li, o, &r.plan, &r.reg, &r.sticky, &mem, r.descs, r.ndesc, &out);
	if (!EFI_ERROR(st))
		dt_cmdline(words, &r.plan);
	if (!EFI_ERROR(st) && words->rc)
		st = EFI_OUT_OF_RESOURCES;
undo:
	if (EFI_ERROR(st)) {
		fw_unpublish();
		if (installed) {
			uefi_call_wrapper(BS->InstallConfigurationTable, 2,
					  &dt_guid, fdt);
			uefi_call_wrapper(BS->FreePool, 1, installed);
		}
		fw_release(&r.claimed);
	}
out:
	mm_buf_free(&out);
	dt_run_free(&r);
	return st;
}
