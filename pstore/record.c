/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pstore records: zones -> what /sys/fs/pstore would hold.
 */
#include "record.h"
#include "inflate.h"

/* struct pstore_ftrace_record of 64-bit Linux: ip, parent_ip, ts */
#define FTRACE_REC_SIZE 24
#define TS_CPU_SHIFT 8

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* "CPU:%d ts:%llu %08lx  %08lx\n" per record, as pstore formats them
 * (without the symbol names, which need the kernel's symbol table) */
static int ftrace_text(const struct pstore_zone_view *v, struct mm_buf *b)
{
	size_t i;

	for (i = 0; i + FTRACE_REC_SIZE <= v->old_len; i += FTRACE_REC_SIZE) {
		uint64_t ip = get_le64(v->old + i);
		uint64_t parent = get_le64(v->old + i + 8);
		uint64_t ts = get_le64(v->old + i + 16);

		mm_buf_puts(b, "CPU:");
		mm_buf_dec(b, ts & ((1u << TS_CPU_SHIFT) - 1));
		mm_buf_puts(b, " ts:");
		mm_buf_dec(b, ts >> TS_CPU_SHIFT);
		mm_buf_putc(b, ' ');
		mm_buf_xdigits(b, ip, 8);
		mm_buf_puts(b, "  ");
		mm_buf_xdigits(b, parent, 8);
		mm_buf_putc(b, '\n');
	}
	return b->rc;
}

static int copy_bytes(const struct mm_alloc *a, const uint8_t *s, size_t n,
		      uint8_t **out)
{
	*out = a->realloc(a->ctx, NULL, n ? n : 1);
	if (!*out)
		return -MM_ENOMEM;
	memcpy(*out, s, n);
	return 0;
}

/* Fill @r from a valid, non-empty zone; 1 when it holds no record */
static int make_record(const struct pstore_zone *z,
		       const struct pstore_zone_view *v, uint32_t ecc,
		       const struct mm_alloc *a, struct pstore_record *r)
{
	const uint8_t *body = v->old;
	size_t n = v->old_len, hl;
	struct mm_buf name, text;
	const char *why;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->zone = *z;
	r->ecc = ecc != 0;
	r->corrected = v->corrected;
	r->bad_blocks = v->bad_blocks;

	if (z->type == PSTORE_TYPE_DMESG) {
		/* Linux skips (and clears) a dmesg zone without a header */
		hl = pstore_dmesg_header(body, n, &r->sec, &r->usec,
					 &r->compressed);
		if (!hl)
			return 1;
		r->has_time = true;
		body += hl;
		n -= hl;
	}

	mm_buf_init(&name, a);
	pstore_record_name(&name, z);
	if (r->compressed) {
		rc = pstore_inflate(body, n, a, &r->text, &r->len, &why);
		if (rc == -MM_EINVAL) {
			/* pstore keeps such a record raw, as NAME.enc.z */
			r->note = why;
			mm_buf_puts(&name, ".enc.z");
			rc = copy_bytes(a, body, n, &r->text);
			r->len = n;
		}
	} else if (z->type == PSTORE_TYPE_FTRACE) {
		mm_buf_init(&text, a);
		rc = ftrace_text(v, &text);
		r->text = (uint8_t *)text.s;
		r->len = text.len;
		if (!r->text && !rc)
			rc = copy_bytes(a, body, 0, &r->text);
		if (rc)
			mm_buf_free(&text);
		r->text = rc ? NULL : r->text;
	} else {
		rc = copy_bytes(a, body, n, &r->text);
		r->len = n;
	}
	if (!rc)
		rc = name.rc;
	if (!rc && name.len < sizeof(r->name))
		memcpy(r->name, name.s, name.len + 1);
	mm_buf_free(&name);
	if (rc) {
		mm_free(a, r->text);
		r->text = NULL;
	}
	return rc;
}

/*
 * Merge the ftrace records of @v (one CPU's zone) into @m (the zones read
 * before it) by timestamp, as 6.1's pstore_ftrace_combine_log() does for
 * ramoops_pstore_read():
 *  - each log loses its first (size % 24) bytes: once a zone has wrapped,
 *    the oldest bytes are the tail of a record partly overwritten, and
 *    the records start that many bytes in;
 *  - "if (ts(drec) < ts(srec)) take drec, else take srec": on equal
 *    timestamps the record of @v, the zone read later, comes first.
 */
static int ftrace_merge(struct mm_buf *m, const struct pstore_zone_view *v,
			const struct mm_alloc *a)
{
	struct mm_buf out;
	const uint8_t *ms = (const uint8_t *)m->s, *vs = v->old;
	/* Records run from the offset to the end of each log */
	size_t i = m->len % FTRACE_REC_SIZE, j = v->old_len % FTRACE_REC_SIZE;

	mm_buf_init(&out, a);
	while (i < m->len || j < v->old_len) {
		bool take_m = j >= v->old_len ||
			(i < m->len && get_le64(ms + i + 16) >> TS_CPU_SHIFT <
				       get_le64(vs + j + 16) >> TS_CPU_SHIFT);

		if (take_m) {
			mm_buf_putn(&out, (const char *)ms + i, FTRACE_REC_SIZE);
			i += FTRACE_REC_SIZE;
		} else {
			mm_buf_putn(&out, (const char *)vs + j, FTRACE_REC_SIZE);
			j += FTRACE_REC_SIZE;
		}
	}
	mm_buf_free(m);
	*m = out;
	return out.rc;
}

/* Add the record made from @v (a zone's contents) */
static int add_record(struct pstore_records *out, const struct pstore_zone *z,
		      const struct pstore_zone_view *v, const struct mm_alloc *a)
{
	int rc = mm_grow(a, &out->r, &out->cap, out->nr + 1, sizeof(*out->r));

	if (!rc)
		rc = make_record(z, v, out->layout.ecc, a, &out->r[out->nr]);
	if (rc == 1)
		return 0;
	if (!rc)
		out->nr++;
	return rc;
}

int pstore_records_read(const uint8_t *region, size_t len,
			const struct pstore_params *p, const struct mm_alloc *a,
			struct pstore_records *out, const char **why)
{
	static const enum pstore_type order[] = {
		PSTORE_TYPE_DMESG, PSTORE_TYPE_CONSOLE, PSTORE_TYPE_PMSG,
		PSTORE_TYPE_FTRACE,
	};
	struct pstore_zone_view ftrace = { 0 };
	struct pstore_zone fzone = { PSTORE_TYPE_FTRACE, 0, 0, 0 };
	struct mm_buf merged;
	struct pstore_rs rs;
	size_t t, i;
	int rc;

	memset(out, 0, sizeof(*out));
	out->alloc = a;
	if (len < p->mem_size) {
		*why = "the region is smaller than mem_size";
		return -MM_EINVAL;
	}
	rc = pstore_layout(p, region, &out->layout, a, why);
	if (rc)
		return rc;
	if (out->layout.ecc)
		pstore_rs_init(&rs, out->layout.ecc);

	/* Linux's read order: dmesg, console, pmsg, ftrace (its per-CPU
	 * zones merged into one record) */
	mm_buf_init(&merged, a);
	for (t = 0; !rc && t < sizeof(order) / sizeof(order[0]); t++) {
		for (i = 0; !rc && i < out->layout.nr; i++) {
			const struct pstore_zone *z = &out->layout.zones[i];
			struct pstore_zone_view v;

			if (z->type != order[t])
				continue;
			rc = pstore_zone_read(region, &out->layout, z,
					      out->layout.ecc ? &rs : NULL, &v, a);
			if (!rc && v.valid && v.old_len) {
				if (z->type != PSTORE_TYPE_FTRACE) {
					rc = add_record(out, z, &v, a);
				} else {
					/* The record stands for the first zone
					 * that holds any; Linux sets record->id
					 * = 0, so it is ftrace-ramoops-0 */
					if (!ftrace.valid) {
						fzone = *z;
						fzone.id = 0;
					}
					rc = ftrace_merge(&merged, &v, a);
					ftrace.valid = true;
					ftrace.corrected += v.corrected;
					ftrace.bad_blocks += v.bad_blocks;
				}
			}
			pstore_view_free(&v, a);
		}
	}
	if (!rc && ftrace.valid && merged.len) {
		ftrace.old = (uint8_t *)merged.s;
		ftrace.old_len = merged.len;
		rc = add_record(out, &fzone, &ftrace, a);
	}
	mm_buf_free(&merged);
	if (rc)
		pstore_records_free(out);
	return rc;
}

void pstore_records_free(struct pstore_records *rs)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		mm_free(rs->alloc, rs->r[i].text);
	mm_free(rs->alloc, rs->r);
	pstore_layout_free(&rs->layout);
	rs->r = NULL;
	rs->nr = rs->cap = 0;
}

static void ecc_line(struct mm_buf *b, const struct pstore_record *r)
{
	struct pstore_zone_view v = { .corrected = r->corrected,
				      .bad_blocks = r->bad_blocks };

	pstore_ecc_notice(b, &v);
}

/* Text with bytes other than printable ASCII, newline and tab as \xNN */
static void put_text(struct mm_buf *b, const uint8_t *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t c = t[i];

		if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
			mm_buf_putc(b, (char)c);
		} else {
			mm_buf_puts(b, "\\x");
			mm_buf_putc(b, "0123456789abcdef"[c >> 4]);
			mm_buf_putc(b, "0123456789abcdef"[c & 0xf]);
		}
	}
	if (n && t[n - 1] != '\n')
		mm_buf_putc(b, '\n');
}

/* How Linux words a stop, as it prints them (panic(), die(), BUG(), ...) */
static const char *const stop_words[] = {
	"Kernel panic - not syncing", "Oops:", "BUG:", "kernel BUG at",
	"general protection fault", "Unable to handle kernel",
	"Internal error:", "divide error", "invalid opcode", "double fault",
	"stack segment", "Watchdog detected hard LOCKUP", "soft lockup",
};

size_t pstore_record_reason(const struct pstore_record *r, size_t *at)
{
	size_t start, end, k, i, n;

	for (start = 0; start < r->len; start = end + 1) {
		for (end = start; end < r->len && r->text[end] != '\n'; end++)
			;
		for (k = 0; k < sizeof(stop_words) / sizeof(stop_words[0]); k++) {
			n = strlen(stop_words[k]);
			for (i = start; i + n <= end; i++)
				if (!memcmp(r->text + i, stop_words[k], n)) {
					*at = start;
					return end - start;
				}
		}
	}
	return 0;
}

/* Where the last @lines lines of @t start (a last newline ends a line) */
static size_t last_lines(const uint8_t *t, size_t n, size_t lines)
{
	size_t i = n && t[n - 1] == '\n' ? n - 1 : n, count = 0;

	for (; i > 0; i--)
		if (t[i - 1] == '\n' && ++count == lines)
			break;
	return i;
}

void pstore_record_show(struct mm_buf *b, const struct pstore_record *r,
			enum pstore_show how)
{
	size_t at = 0, len = 0, from, skip;

	mm_buf_puts(b, "pstore: ");
	mm_buf_puts(b, r->name);
	mm_buf_puts(b, " (");
	mm_buf_dec(b, r->len);
	mm_buf_puts(b, " bytes)\n");
	if (how == PSTORE_SHOW_ALL) {
		put_text(b, r->text, r->len);
	} else if (how != PSTORE_SHOW_HEADER) {
		len = pstore_record_reason(r, &at);
		put_text(b, r->text + at, len);
	}
	/* The last lines, after the reason line; "..." for what is left out */
	skip = len ? at + len + 1 : 0;
	from = last_lines(r->text, r->len, PSTORE_TAIL_LINES);
	if (how == PSTORE_SHOW_TAIL && from < skip)
		from = skip;
	if (how == PSTORE_SHOW_TAIL && from < r->len) {
		if (from > skip)
			mm_buf_puts(b, "...\n");
		put_text(b, r->text + from, r->len - from);
	}
	if (r->note) {
		mm_buf_puts(b, "pstore: ");
		mm_buf_puts(b, r->name);
		mm_buf_puts(b, ": compressed record kept raw: ");
		mm_buf_puts(b, r->note);
		mm_buf_putc(b, '\n');
	}
	if (r->ecc)
		ecc_line(b, r);
}

void pstore_record_print(struct mm_buf *b, const struct pstore_record *r)
{
	pstore_record_show(b, r, PSTORE_SHOW_ALL);
}

void pstore_record_file(struct mm_buf *b, const struct pstore_record *r)
{
	mm_buf_putn(b, (const char *)r->text, r->len);
	if (r->ecc) {
		mm_buf_putc(b, '\n');
		ecc_line(b, r);
	}
}

static bool is_map_line(const char *s, size_t n)
{
	static const char *const heads[] = { "BIOS-provided ", "BIOS-e820: ",
					     "user-defined ", "user: " };
	size_t i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (n >= strlen(heads[i]) && !memcmp(s, heads[i], strlen(heads[i])))
			return true;
	return false;
}

void pstore_log_fit(struct mm_buf *b, size_t cap)
{
	static const char no_map[] =
		"memmap: the map is left out: the pmsg zone is too small\n";
	static const char cut[] =
		"memmap: the rest is left out: the pmsg zone is too small\n";
	size_t i, n, end = 0, room;
	struct mm_buf k;
	bool map = false;

	if (b->rc || b->len <= cap)
		return;
	mm_buf_init(&k, b->alloc);
	for (i = 0; i < b->len; i = n) {
		for (n = i; n < b->len && b->s[n] != '\n'; n++)
			;
		n += n < b->len;
		if (!is_map_line(b->s + i, n - i)) {
			mm_buf_putn(&k, b->s + i, n - i);
		} else if (!map) {
			mm_buf_putn(&k, no_map, sizeof(no_map) - 1);
			map = true;
		}
	}
	if (!k.rc && k.len > cap) {
		room = cap >= sizeof(cut) - 1 ? cap - (sizeof(cut) - 1) : cap;
		for (i = 0; i < room; i++)
			if (k.s[i] == '\n')
				end = i + 1;
		k.len = end;
		k.s[end] = '\0';
		if (room < cap)
			mm_buf_putn(&k, cut, sizeof(cut) - 1);
	}
	if (k.rc) {
		b->rc = k.rc;
		mm_buf_free(&k);
		return;
	}
	mm_buf_free(b);
	*b = k;
}

uint64_t pstore_hash(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}
