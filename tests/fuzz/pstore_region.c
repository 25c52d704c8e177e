/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: a ramoops region of fuzz-chosen parameters and contents.
 *
 * Reading must not change the region, must not crash, and must free what
 * it allocated; every record prints.  Then, on a copy with guard bytes
 * before and after: pstore_zone_append() of a fuzz-chosen string to the
 * console or pmsg zone and pstore_write_dmesg() to a dmesg zone write
 * nothing outside the region, read back as written, and the region still
 * reads.
 *
 * Input (11 bytes of parameters, then the string, then the region):
 *   0-1  mem_size - 1, little endian (1 .. 64 KiB)
 *   2-5  record, console, ftrace, pmsg size: 1 << (c & 31) (0 above 16)
 *        plus (c >> 5), so sizes that are no power of two occur too
 *   6    bits 0-2 ecc (0 8 16 32 1 2 127 255); bits 3-4 order (auto,
 *        6.1, 6.2, auto); bit 5 append to pmsg (else console); bit 6
 *        the first read may make only byte 9 allocations; bit 7 also
 *        write a dmesg record (of the string)
 *   7    L: the string is the next L bytes
 *   8    bits 0-5: the string is repeated 1 + this many times; bit 6 the
 *        dmesg record is marked compressed; bit 7 which dmesg zone (first
 *        or last)
 *   9    allocation budget (bit 6 of byte 6)
 *   10   cpus: ftrace zones (0: guessed from the headers in RAM)
 * The region's bytes follow the string, repeated to mem_size.
 */
#include "fuzz.h"

#include "../../pstore/record.h"

#define HDR 11
#define GUARD 64
#define GUARD_BYTE 0xa5

static uint64_t size_code(uint8_t c)
{
	return ((c & 31) > 16 ? 0 : 1ULL << (c & 31)) + (c >> 5);
}

static bool guards_ok(const uint8_t *g, size_t mem)
{
	size_t i;

	for (i = 0; i < GUARD; i++)
		if (g[i] != GUARD_BYTE || g[GUARD + mem + i] != GUARD_BYTE)
			return false;
	return true;
}

/* The zones lie inside the region, in order, apart, each past a header */
static void check_layout(const struct pstore_layout *l, uint64_t mem)
{
	size_t i;

	for (i = 0; i < l->nr; i++) {
		const struct pstore_zone *z = &l->zones[i];

		FUZZ_CHECK(z->size > PSTORE_HDR_SIZE && z->off <= mem &&
			   z->size <= mem - z->off &&
			   (!i || l->zones[i - 1].off + l->zones[i - 1].size <= z->off),
			   "zone %zu [%#llx +%#llx) of a %#llx-byte region", i,
			   (unsigned long long)z->off, (unsigned long long)z->size,
			   (unsigned long long)mem);
	}
}

/* Read every record, print each; Return: pstore_records_read()'s */
static int read_all(const uint8_t *region, size_t mem,
		    const struct pstore_params *p, const struct mm_alloc *a,
		    struct fuzz_alloc_ctx *ctx, long budget,
		    struct pstore_records *recs)
{
	const char *why = NULL;
	struct mm_buf out;
	size_t i;
	int rc;

	ctx->left = budget;
	rc = pstore_records_read(region, mem, p, a, recs, &why);
	FUZZ_CHECK(!rc || (rc == -MM_EINVAL && why) ||
		   (rc == -MM_ENOMEM && budget >= 0),
		   "pstore_records_read: %d", rc);
	if (rc) {
		ctx->left = -1;
		FUZZ_CHECK(ctx->live == 0, "pstore_records_read error %d left "
			   "%ld blocks", rc, ctx->live);
		return rc;
	}
	check_layout(&recs->layout, mem);
	FUZZ_CHECK(recs->nr <= recs->layout.nr, "%zu records of %zu zones",
		   recs->nr, recs->layout.nr);
	mm_buf_init(&out, a);
	for (i = 0; i < recs->nr; i++) {
		const struct pstore_record *r = &recs->r[i];

		FUZZ_CHECK(memchr(r->name, 0, sizeof(r->name)) && r->name[0],
			   "record %zu has no name", i);
		FUZZ_CHECK(r->text || !r->len, "record %zu: no text", i);
		FUZZ_CHECK(!r->compressed || r->zone.type == PSTORE_TYPE_DMESG,
			   "a compressed record that is no dmesg record");
		pstore_record_print(&out, r);
		pstore_record_file(&out, r);
	}
	ctx->left = -1;
	FUZZ_CHECK(!out.rc || (out.rc == -MM_ENOMEM && budget >= 0),
		   "printing: %d", out.rc);
	mm_buf_free(&out);
	return 0;
}

static const struct pstore_zone *find_zone(const struct pstore_layout *l,
					   enum pstore_type type, bool last)
{
	const struct pstore_zone *z = NULL;
	size_t i;

	for (i = 0; i < l->nr; i++) {
		if (l->zones[i].type != type)
			continue;
		z = &l->zones[i];
		if (!last)
			break;
	}
	return z;
}

/* Append @s[0..n) to zone @z; it must read back at the ring's end */
static void check_append(uint8_t *region, const struct pstore_layout *l,
			 const struct pstore_zone *z, const struct pstore_rs *rs,
			 const uint8_t *s, size_t n, const struct mm_alloc *a)
{
	struct pstore_zone_view v;
	uint64_t start = 0, used = 0, cap, c;
	int rc;

	FUZZ_CHECK(!pstore_zone_read(region, l, z, rs, &v, a), "zone read");
	cap = v.capacity;
	if (v.valid) {
		start = v.start;
		used = v.size;
	}
	pstore_view_free(&v, a);

	rc = pstore_zone_append(region, l, z, rs, s, n);
	FUZZ_CHECK(!rc, "pstore_zone_append to zone at %#llx: %d",
		   (unsigned long long)z->off, rc);

	FUZZ_CHECK(!pstore_zone_read(region, l, z, rs, &v, a), "zone read");
	c = n < cap ? n : cap;
	FUZZ_CHECK(v.valid && v.capacity == cap &&
		   v.size == (used + c < cap ? used + c : cap) &&
		   v.start == (start + c) % cap,
		   "after appending %zu bytes: valid %d start %llu size %llu "
		   "(was %llu %llu, capacity %llu)", n, v.valid,
		   (unsigned long long)v.start, (unsigned long long)v.size,
		   (unsigned long long)start, (unsigned long long)used,
		   (unsigned long long)cap);
	FUZZ_CHECK(!c || (v.old_len >= c &&
			   !memcmp(v.old + v.old_len - c, s + n - c, c)),
		   "the last %llu bytes appended do not read back",
		   (unsigned long long)c);
	pstore_view_free(&v, a);
}

/*
 * Write a dmesg record of @s[0..n); it must read back exactly.
 * Return: the bytes of @s written, or SIZE_MAX when the header alone
 * does not fit the zone (then nothing is written).
 */
static size_t check_dmesg(uint8_t *region, const struct pstore_layout *l,
			const struct pstore_zone *z, const struct pstore_rs *rs,
			const uint8_t *s, size_t n, bool compressed,
			const struct mm_alloc *a, int64_t sec, uint32_t usec)
{
	struct pstore_zone_view v;
	char hdr[64];
	size_t hl, body;
	uint64_t cap;
	int rc;

	FUZZ_CHECK(!pstore_zone_read(region, l, z, rs, &v, a), "zone read");
	cap = v.capacity;
	pstore_view_free(&v, a);

	hl = (size_t)snprintf(hdr, sizeof(hdr), "====%lld.%06lu-%c\n",
			      (long long)sec, (unsigned long)usec,
			      compressed ? 'C' : 'D');
	rc = pstore_write_dmesg(region, l, z, rs, sec, usec, compressed, s, n);
	if (hl >= cap) {
		FUZZ_CHECK(rc == -MM_EINVAL, "a header of %zu bytes in a ring of "
			   "%llu: %d", hl, (unsigned long long)cap, rc);
		return SIZE_MAX;
	}
	FUZZ_CHECK(!rc, "pstore_write_dmesg: %d", rc);
	body = n < cap - hl ? n : (size_t)(cap - hl);

	FUZZ_CHECK(!pstore_zone_read(region, l, z, rs, &v, a), "zone read");
	FUZZ_CHECK(v.valid && v.old_len == hl + body &&
		   !memcmp(v.old, hdr, hl) && (!body || !memcmp(v.old + hl, s, body)),
		   "the dmesg record '%s' + %zu bytes does not read back "
		   "(valid %d, %zu bytes)", hdr, body, v.valid, v.old_len);
	pstore_view_free(&v, a);
	return body;
}

/*
 * The dmesg record of zone @id as pstore shows it: the header's time, and
 * (uncompressed) the text after the header, which, as the kernel's
 * sscanf("...-%c\n%n") does, also swallowed leading white space
 */
static void check_dmesg_record(const struct pstore_records *recs, uint32_t id,
			       const uint8_t *s, size_t body, bool compressed,
			       int64_t sec, uint32_t usec)
{
	const struct pstore_record *r = NULL;
	size_t i, k = 0;

	for (i = 0; i < recs->nr; i++)
		if (recs->r[i].zone.type == PSTORE_TYPE_DMESG &&
		    recs->r[i].zone.id == id)
			r = &recs->r[i];
	FUZZ_CHECK(r && r->has_time && r->sec == sec && r->usec == usec &&
		   r->compressed == compressed,
		   "dmesg record %u: found %d, time %lld.%u compressed %d; "
		   "written %lld.%u compressed %d", (unsigned)id, r != NULL,
		   r ? (long long)r->sec : 0LL, r ? (unsigned)r->usec : 0u,
		   r ? r->compressed : 0, (long long)sec, (unsigned)usec,
		   compressed);
	if (compressed)
		return;
	while (k < body && s[k] && mm_isspace(s[k]))
		k++;
	FUZZ_CHECK(r->len == body - k &&
		   (!r->len || !memcmp(r->text, s + k, body - k)),
		   "dmesg record %u: %zu bytes of text, %zu written",
		   (unsigned)id, r->len, body - k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t eccs[8] = { 0, 8, 16, 32, 1, 2, 127, 255 };
	static const enum pstore_order orders[4] = {
		PSTORE_ORDER_AUTO, PSTORE_ORDER_61, PSTORE_ORDER_62,
		PSTORE_ORDER_AUTO,
	};
	struct fuzz_alloc_ctx ctx = { -1, 0, 0 };
	struct mm_alloc alloc = { fuzz_realloc, &ctx };
	struct pstore_params p;
	struct pstore_records recs;
	struct pstore_layout l;
	struct pstore_rs *rs = NULL;
	const struct pstore_zone *z;
	const uint8_t *str, *fill;
	uint8_t *region, *copy, *guarded, *s = NULL;
	size_t mem, i, slen, nfill, n = 0, dmesg_body = SIZE_MAX;
	uint32_t dmesg_id = 0;
	int64_t sec = 0;
	uint32_t usec = 0;
	const char *why;
	long budget;
	int rc;

	if (size < HDR)
		return 0;
	memset(&p, 0, sizeof(p));
	mem = (size_t)(data[0] | data[1] << 8) + 1;
	p.mem_size = mem;
	p.record_size = size_code(data[2]);
	p.console_size = size_code(data[3]);
	p.ftrace_size = size_code(data[4]);
	p.pmsg_size = size_code(data[5]);
	p.ecc = eccs[data[6] & 7];
	p.order = orders[(data[6] >> 3) & 3];
	p.cpus = data[10];
	budget = data[6] & 0x40 ? data[9] : -1;
	str = data + HDR;
	slen = data[7] < size - HDR ? data[7] : size - HDR;
	fill = str + slen;
	nfill = size - HDR - slen;

	region = malloc(mem);
	copy = malloc(mem);
	guarded = malloc(mem + 2 * GUARD);
	FUZZ_CHECK(region && copy && guarded, "out of memory");
	for (i = 0; i < mem; i++)
		region[i] = nfill ? fill[i % nfill] : 0;
	memcpy(copy, region, mem);

	/* Read: no change to the region, nothing leaked, everything prints */
	rc = read_all(region, mem, &p, &alloc, &ctx, budget, &recs);
	FUZZ_CHECK(!memcmp(region, copy, mem), "reading changed the region");
	if (rc)
		goto out;
	pstore_records_free(&recs);
	FUZZ_CHECK(ctx.live == 0, "%ld blocks left after reading", ctx.live);
	if (budget >= 0)
		goto out;

	/* Writes, on a copy between guard bytes */
	memset(guarded, GUARD_BYTE, mem + 2 * GUARD);
	memcpy(guarded + GUARD, region, mem);
	rc = pstore_layout(&p, guarded + GUARD, &l, &alloc, &why);
	FUZZ_CHECK(!rc, "pstore_layout failed after records_read succeeded: %d",
		   rc);
	if (l.ecc) {
		rs = malloc(sizeof(*rs));
		FUZZ_CHECK(rs && !pstore_rs_init(rs, l.ecc), "rs init");
	}
	n = slen * (1 + (data[8] & 0x3f));
	s = malloc(n + 1);
	FUZZ_CHECK(s, "out of memory");
	for (i = 0; i < n; i++)
		s[i] = str[i % slen];

	z = find_zone(&l, data[6] & 0x20 ? PSTORE_TYPE_PMSG : PSTORE_TYPE_CONSOLE,
		      false);
	if (z) {
		check_append(guarded + GUARD, &l, z, rs, s, n, &alloc);
		FUZZ_CHECK(guards_ok(guarded, mem),
			   "pstore_zone_append wrote outside the region");
	}
	z = find_zone(&l, PSTORE_TYPE_DMESG, data[8] & 0x80);
	if (z && (data[6] & 0x80)) {
		sec = (int64_t)(data[7] * 1000003LL) - 500;
		usec = (uint32_t)data[7] * 4099u;
		dmesg_id = z->id;
		dmesg_body = check_dmesg(guarded + GUARD, &l, z, rs, s, n,
					 data[8] & 0x40, &alloc, sec, usec);
		FUZZ_CHECK(guards_ok(guarded, mem),
			   "pstore_write_dmesg wrote outside the region");
	}
	pstore_layout_free(&l);

	/* What was written reads back as a region */
	memcpy(copy, guarded + GUARD, mem);
	rc = read_all(guarded + GUARD, mem, &p, &alloc, &ctx, -1, &recs);
	FUZZ_CHECK(!rc, "the region does not read after writing: %d", rc);
	FUZZ_CHECK(!memcmp(guarded + GUARD, copy, mem),
		   "reading changed the region");
	if (dmesg_body != SIZE_MAX)
		check_dmesg_record(&recs, dmesg_id, s, dmesg_body,
				   data[8] & 0x40, sec, usec);
	pstore_records_free(&recs);
out:
	FUZZ_CHECK(ctx.live == 0, "%ld blocks still allocated", ctx.live);
	free(rs);
	free(s);
	free(region);
	free(copy);
	free(guarded);
	return 0;
}
