/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi as a pstore consumer: the previous boot's ramoops records,
 * shown and saved to the ESP before any kernel runs; and memmap.efi's own
 * output appended to the pmsg zone on request.
 */
#include "fw.h"
#include "../pstore/record.h"

/* Whether [start, start + size) is covered by entries of @t (of @type,
 * or of any type when @type is 0) */
static bool covered(const struct e820_table *t, uint32_t type, uint64_t start,
		    uint64_t size)
{
	uint64_t at = start, end = start + size;
	size_t i;

	if (end < start)
		return false;
	while (at < end) {
		for (i = 0; i < t->nr; i++) {
			const struct e820_entry *e = &t->entries[i];

			if ((!type || e->type == type) && e->addr <= at &&
			    at - e->addr < e->size)
				break;
		}
		if (i == t->nr)
			return false;
		at = t->entries[i].addr + t->entries[i].size;
		if (at < t->entries[i].addr)
			return true;	/* the entry ends at 2^64 */
	}
	return true;
}

/*
 * Where ramoops is: ramoops.mem_name's region, or mem_address/mem_size.
 * pstore stays inside its own memory: a region memmap.efi claimed this
 * run, or, for reading only, RAM in the firmware's map; otherwise a
 * warning says why pstore is skipped.
 */
static bool pstore_where(const struct cmdline_plan *plan,
			 const struct memmap_registry *reg,
			 const struct fw_memory *mem, bool write,
			 struct pstore_params *p, uint8_t **region)
{
	const struct cmdline_ramoops *r = &plan->ramoops;
	const struct memmap_region *named = NULL;
	uint64_t start;

	if (r->mem_name)
		named = memmap_registry_find(reg, r->mem_name);
	if (!named && !(r->has_address && r->has_size && r->mem_size))
		return false;
	memset(p, 0, sizeof(*p));
	p->mem_size = named ? named->size : r->mem_size;
	start = named ? named->start : r->mem_address;
	if (!covered(mem->claimed, 0, start, p->mem_size) &&
	    (write || (!covered(mem->ram, E820_TYPE_RAM, start, p->mem_size) &&
		       !covered(mem->ram, E820_TYPE_RESERVED_KERN, start, p->mem_size)))) {
		fw_message("warning", "ramoops.mem_address", 19, write ?
			   "not memory memmap.efi claimed this boot: nothing written there" :
			   "not memory memmap.efi claimed this boot, nor RAM: pstore skipped",
			   EFI_SUCCESS);
		return false;
	}
	p->record_size = r->record_size;
	p->console_size = r->console_size;
	p->ftrace_size = r->ftrace_size;
	p->pmsg_size = r->pmsg_size;
	p->ecc = r->ecc;
	*region = (uint8_t *)(uintptr_t)start;
	return true;
}

static void put2(struct mm_buf *b, unsigned int v)
{
	mm_buf_putc(b, (char)('0' + v / 10 % 10));
	mm_buf_putc(b, (char)('0' + v % 10));
}

/* \pstore\YYYYMMDD-HHMMSS from the firmware clock; without a clock,
 * \pstore\noclock-N with N the firmware's high monotonic count, which
 * grows at every call and every boot */
static void save_dir(struct mm_buf *b)
{
	EFI_TIME t;
	UINT32 high = 0;

	memset(&t, 0, sizeof(t));
	mm_buf_puts(b, "\\pstore\\");
	if (EFI_ERROR(uefi_call_wrapper(RT->GetTime, 2, &t, NULL))) {
		uefi_call_wrapper(RT->GetNextHighMonotonicCount, 1, &high);
		mm_buf_puts(b, "noclock-");
		mm_buf_dec(b, high);
		return;
	}
	put2(b, t.Year / 100);
	put2(b, t.Year % 100);
	put2(b, t.Month);
	put2(b, t.Day);
	mm_buf_putc(b, '-');
	put2(b, t.Hour);
	put2(b, t.Minute);
	put2(b, t.Second);
}

/* Save @body as DIR\NAME, or DIR\NAME.1, .2, ... when taken; its path
 * goes into @saved */
static EFI_STATUS save_record(EFI_LOADED_IMAGE *li, const struct mm_buf *dir,
			      const struct pstore_record *r,
			      const struct mm_buf *body, struct mm_buf *saved)
{
	struct mm_buf path;
	EFI_STATUS st = EFI_ACCESS_DENIED;
	unsigned int k;

	for (k = 0; k < 100 && st == EFI_ACCESS_DENIED; k++) {
		mm_buf_init(&path, &fw_alloc);
		mm_buf_putn(&path, dir->s, dir->len);
		mm_buf_putc(&path, '\\');
		mm_buf_puts(&path, r->name);
		if (k) {
			mm_buf_putc(&path, '.');
			mm_buf_dec(&path, k);
		}
		if (path.rc || body->rc)
			st = EFI_OUT_OF_RESOURCES;
		else if (fw_file_exists(li, path.s))
			st = EFI_ACCESS_DENIED;
		else
			st = fw_file_write(li, path.s, body->s ? body->s : "", body->len);
		if (!EFI_ERROR(st))
			mm_buf_putn(saved, path.s, path.len);
		else if (st != EFI_ACCESS_DENIED)
			fw_message("warning", path.s, path.len,
				   "cannot save the record", st);
		mm_buf_free(&path);
	}
	if (st == EFI_ACCESS_DENIED)
		fw_message("warning", r->name, strlen(r->name),
			   "not saved: 100 copies of it are there already", st);
	return st;
}

/* The index of saved records: a line "HASH PATH" per record */
#define SAVED_INDEX "\\pstore\\saved.idx"

/* Where @idx says a record of hash @h was saved, or NULL (and *@len) */
static const char *saved_as(const struct mm_buf *idx, uint64_t h, size_t *len)
{
	struct mm_buf key;
	const char *found = NULL;
	size_t i, end;

	mm_buf_init(&key, &fw_alloc);
	mm_buf_xdigits(&key, h, 16);
	mm_buf_putc(&key, ' ');
	for (i = 0; !key.rc && i < idx->len; i = end + 1) {
		for (end = i; end < idx->len && idx->s[end] != '\n'; end++)
			;
		if (end - i > key.len && !memcmp(idx->s + i, key.s, key.len)) {
			found = idx->s + i + key.len;
			*len = end - i - key.len;
			break;
		}
	}
	mm_buf_free(&key);
	return found;
}

/*
 * Save each record not saved before (the index knows it by its hash), in
 * one \pstore\DATE directory made when the first needs it; a save that
 * fails is a warning, the boot goes on.
 */
static void save_records(EFI_LOADED_IMAGE *li, const struct pstore_records *recs,
			 bool quiet, struct mm_buf *out)
{
	struct mm_buf idx, dir, body, saved;
	EFI_STATUS st = EFI_SUCCESS;
	const char *was;
	char *old = NULL;
	size_t i, n = 0, wlen;
	uint64_t h;
	bool changed = false;

	mm_buf_init(&idx, &fw_alloc);
	mm_buf_init(&dir, &fw_alloc);
	if (!EFI_ERROR(fw_file_read(li, SAVED_INDEX, &old, &n)))
		mm_buf_putn(&idx, old, n);
	fw_alloc.realloc(NULL, old, 0);
	for (i = 0; !EFI_ERROR(st) && i < recs->nr; i++) {
		mm_buf_init(&body, &fw_alloc);
		mm_buf_init(&saved, &fw_alloc);
		pstore_record_file(&body, &recs->r[i]);
		h = pstore_hash(body.s ? body.s : "", body.len);
		was = body.rc ? NULL : saved_as(&idx, h, &wlen);
		if (was && !quiet) {
			mm_buf_puts(out, "pstore: already saved as ");
			mm_buf_putn(out, was, wlen);
			mm_buf_putc(out, '\n');
		}
		if (!was && !dir.len) {
			save_dir(&dir);
			st = dir.rc ? EFI_OUT_OF_RESOURCES : fw_mkdirs(li, dir.s);
			if (EFI_ERROR(st))
				fw_message("warning", dir.s ? dir.s : "\\pstore",
					   dir.s ? dir.len : 7, "cannot create the "
					   "directory: the records are not saved", st);
		}
		if (!was && !EFI_ERROR(st))
			st = save_record(li, &dir, &recs->r[i], &body, &saved);
		if (!was && !EFI_ERROR(st)) {
			if (!quiet) {
				mm_buf_puts(out, "pstore: saved ");
				mm_buf_putn(out, saved.s, saved.len);
				mm_buf_putc(out, '\n');
			}
			mm_buf_xdigits(&idx, h, 16);
			mm_buf_putc(&idx, ' ');
			mm_buf_putn(&idx, saved.s, saved.len);
			mm_buf_putc(&idx, '\n');
			changed = true;
		}
		mm_buf_free(&saved);
		mm_buf_free(&body);
	}
	if (changed)
		st = idx.rc ? EFI_OUT_OF_RESOURCES :
		     fw_file_write(li, SAVED_INDEX, idx.s, idx.len);
	if (changed && EFI_ERROR(st))
		fw_message("warning", SAVED_INDEX, sizeof(SAVED_INDEX) - 1,
			   "cannot update the index: the next boot saves these records again",
			   st);
	mm_buf_free(&dir);
	mm_buf_free(&idx);
}

/* The bytes of the files in directory @path */
static uint64_t dir_bytes(EFI_LOADED_IMAGE *li, const char *path)
{
	struct fw_dirent *e;
	uint64_t sum = 0;
	size_t n, i;

	if (EFI_ERROR(fw_dir_read(li, path, &e, &n)))
		return 0;
	for (i = 0; i < n; i++)
		if (!e[i].dir)
			sum += e[i].size;
	fw_dir_free(e, n);
	return sum;
}

/* Delete directory @path and the files in it */
static EFI_STATUS remove_set(EFI_LOADED_IMAGE *li, const char *path)
{
	struct fw_dirent *e;
	struct mm_buf f;
	EFI_STATUS st;
	size_t n, i;

	st = fw_dir_read(li, path, &e, &n);
	for (i = 0; !EFI_ERROR(st) && i < n; i++) {
		mm_buf_init(&f, &fw_alloc);
		mm_buf_puts(&f, path);
		mm_buf_putc(&f, '\\');
		mm_buf_puts(&f, e[i].name);
		st = f.rc ? EFI_OUT_OF_RESOURCES : fw_delete(li, f.s);
		mm_buf_free(&f);
	}
	fw_dir_free(e, n);
	return EFI_ERROR(st) ? st : fw_delete(li, path);
}

/*
 * \pstore stays under @keep bytes: the oldest sets go first (their names
 * sort by date), never the newest.  A line for each set removed.
 */
static void prune(EFI_LOADED_IMAGE *li, uint64_t keep, bool quiet,
		  struct mm_buf *out)
{
	struct fw_dirent *sets, t;
	struct mm_buf path;
	uint64_t total = 0;
	size_t n, i, k;
	EFI_STATUS st = EFI_SUCCESS;

	if (!keep || EFI_ERROR(fw_dir_read(li, "\\pstore", &sets, &n)))
		return;
	/* Sizes of the sets (directories) in name order */
	for (i = 0; i < n; i++) {
		for (k = i; k > 0 && strcmp(sets[k - 1].name, sets[k].name) > 0; k--) {
			t = sets[k];
			sets[k] = sets[k - 1];
			sets[k - 1] = t;
		}
	}
	for (i = 0; i < n; i++) {
		mm_buf_init(&path, &fw_alloc);
		mm_buf_puts(&path, "\\pstore\\");
		mm_buf_puts(&path, sets[i].name);
		sets[i].size = sets[i].dir && !path.rc ? dir_bytes(li, path.s) : 0;
		total += sets[i].dir ? sets[i].size : 0;
		mm_buf_free(&path);
	}
	for (i = 0; !EFI_ERROR(st) && total > keep && i + 1 < n; i++) {
		if (!sets[i].dir)
			continue;
		mm_buf_init(&path, &fw_alloc);
		mm_buf_puts(&path, "\\pstore\\");
		mm_buf_puts(&path, sets[i].name);
		st = path.rc ? EFI_OUT_OF_RESOURCES : remove_set(li, path.s);
		if (EFI_ERROR(st)) {
			fw_message("warning", path.s ? path.s : "\\pstore",
				   path.s ? path.len : 7, "cannot remove this old set "
				   "of records: \\pstore stays above --pstore-keep", st);
		} else {
			total -= sets[i].size;
			if (!quiet) {
				mm_buf_puts(out, "pstore: removed ");
				mm_buf_puts(out, path.s);
				mm_buf_puts(out, " (");
				mm_buf_dec(out, sets[i].size);
				mm_buf_puts(out, " bytes), the oldest: \\pstore is kept under ");
				mm_buf_dec(out, keep);
				mm_buf_puts(out, " bytes (--pstore-keep)\n");
			}
		}
		mm_buf_free(&path);
	}
	fw_dir_free(sets, n);
}

EFI_STATUS fw_pstore(EFI_LOADED_IMAGE *li, const struct cmdline_plan *plan,
		     const struct memmap_registry *reg,
		     const struct fw_memory *mem, enum pstore_order order,
		     enum pstore_show how, uint64_t keep, bool quiet,
		     struct mm_buf *out, struct mm_buf *log)
{
	struct pstore_params p;
	struct pstore_records recs;
	const char *why;
	uint8_t *region;
	size_t i, from;
	int rc;

	if (!pstore_where(plan, reg, mem, false, &p, &region))
		return EFI_SUCCESS;
	p.order = order;
	rc = pstore_records_read(region, p.mem_size, &p, &fw_alloc, &recs, &why);
	if (rc == -MM_EINVAL) {
		fw_error("ramoops", 7, why);
		return EFI_INVALID_PARAMETER;
	}
	if (rc)
		return fw_status(rc);

	/* The log gets the lines of @out from @from on, and each record's
	 * without its text */
	from = out->len;
	if (!quiet && !recs.nr)
		mm_buf_puts(out, "pstore: no records\n");
	for (i = 0; !quiet && i < recs.nr; i++) {
		pstore_record_show(out, &recs.r[i], how);
		if (log)
			pstore_record_show(log, &recs.r[i], PSTORE_SHOW_HEADER);
		from = out->len;
	}
	save_records(li, &recs, quiet, out);
	if (recs.nr)
		prune(li, keep, quiet, out);
	if (log)
		mm_buf_putn(log, out->s + from, out->len - from);
	pstore_records_free(&recs);
	return EFI_SUCCESS;
}

EFI_STATUS fw_pstore_log(const struct cmdline_plan *plan,
			 const struct memmap_registry *reg,
			 const struct fw_memory *mem, enum pstore_order order,
			 struct mm_buf *text)
{
	struct pstore_params p;
	struct pstore_layout l;
	struct pstore_rs rs;
	const char *why;
	uint8_t *region;
	size_t i;
	int rc;

	if (!plan->ramoops.mem_name && !plan->ramoops.has_address) {
		fw_error("--pstore-log", 12,
			 "needs ramoops.mem_name=NAME or ramoops.mem_address/mem_size");
		return EFI_INVALID_PARAMETER;
	}
	if (!pstore_where(plan, reg, mem, true, &p, &region))
		return EFI_SUCCESS;
	p.order = order;
	rc = pstore_layout(&p, region, &l, &fw_alloc, &why);
	if (rc == -MM_EINVAL) {
		fw_error("ramoops", 7, why);
		return EFI_INVALID_PARAMETER;
	}
	if (rc)
		return fw_status(rc);
	if (l.ecc)
		pstore_rs_init(&rs, l.ecc);
	for (i = 0; i < l.nr && l.zones[i].type != PSTORE_TYPE_PMSG; i++)
		;
	if (i == l.nr) {
		fw_error("--pstore-log", 12, "there is no pmsg zone (ramoops.pmsg_size=0)");
		rc = -MM_EINVAL;
	} else {
		pstore_log_fit(text, pstore_zone_capacity(&l, &l.zones[i]));
		rc = text->rc ? text->rc :
		     pstore_zone_append(region, &l, &l.zones[i], l.ecc ? &rs : NULL,
					text->s ? text->s : "", text->len);
	}
	pstore_layout_free(&l);
	return fw_status(rc);
}
