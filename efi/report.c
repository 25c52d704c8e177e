/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The end of a run, the same on every architecture: moved: lines, the
 * previous boot's records, the report printed (and appended to the pmsg
 * zone with --pstore-log), the --dump file.
 */
#include "fw.h"

EFI_STATUS fw_pstore_log_check(const struct fw_opts *o,
			       const struct cmdline_plan *plan)
{
	if (!o->pstore_log || ((plan->ramoops.mem_name || plan->ramoops.has_address) &&
			       plan->ramoops.pmsg_size))
		return EFI_SUCCESS;
	fw_error("--pstore-log", 12, plan->ramoops.pmsg_size ?
		 "needs ramoops.mem_name=NAME or ramoops.mem_address/mem_size" :
		 "there is no pmsg zone (ramoops.pmsg_size=0)");
	return EFI_INVALID_PARAMETER;
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

EFI_STATUS fw_report(EFI_LOADED_IMAGE *li, const struct fw_opts *o,
		     const struct cmdline_plan *plan,
		     const struct memmap_registry *reg,
		     const struct memmap_registry *sticky,
		     const struct fw_memory *mem, const struct efimap_desc *d,
		     size_t n, struct mm_buf *out)
{
	struct mm_buf log;
	EFI_STATUS st;

	/* The pmsg log is the report without the records' text */
	mm_buf_init(&log, &fw_alloc);
	print_moved(out, reg, sticky);
	if (o->pstore_log)
		mm_buf_putn(&log, out->s, out->len);
	st = fw_pstore(li, plan, reg, mem, o->order, o->print, o->keep,
		       o->quiet || o->print_none, out,
		       o->pstore_log ? &log : NULL);
	if (!EFI_ERROR(st) && (out->rc || log.rc))
		st = EFI_OUT_OF_RESOURCES;
	fw_print_buf(out);
	if (!EFI_ERROR(st) && o->pstore_log)
		st = fw_pstore_log(plan, reg, mem, o->order, &log);
	if (!EFI_ERROR(st) && o->dump.len)
		st = write_dump(li, o->dump.s, d, n);
	mm_buf_free(&log);
	return st;
}
