/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: pstore_inflate() through the firmware build of zlib
 * (Debian's zlib source, -DZ_SOLO, as memmap.efi links it), checked
 * against the system zlib; and the same bytes as the body of a
 * compressed ('C') dmesg record read with pstore_records_read().
 *
 * Input: the raw deflate bytes, all of them.
 *
 * Invariants: the output is at most PSTORE_INFLATE_MAX bytes (and the
 * bound for this input size); pstore_inflate() succeeds exactly when the
 * system zlib inflates the bytes to a stream end within the same bound,
 * with the same output; nothing leaks, also when an allocation fails.
 * The record: compressed, its time read from the header, its text the
 * inflated body, or the raw body (NAME.enc.z, with a note) when it does
 * not inflate.  As the kernel's sscanf("...-%c\n%n") does, the header
 * swallows white space at the start of the body.
 */
#include "fuzz.h"

#include "../../pstore/inflate.h"
#include "../../pstore/record.h"
#include "zref.h"

static size_t bound(size_t n)
{
	size_t limit = n > PSTORE_INFLATE_MAX / PSTORE_INFLATE_RATIO ?
		       PSTORE_INFLATE_MAX : n * PSTORE_INFLATE_RATIO;

	return limit < PSTORE_INFLATE_MIN ? PSTORE_INFLATE_MIN : limit;
}

/* pstore_inflate() against the system zlib */
static void check_inflate(const uint8_t *in, size_t n)
{
	struct fuzz_alloc_ctx ctx = { -1, 0, 0 };
	struct mm_alloc a = { fuzz_realloc, &ctx };
	uint8_t *out = NULL, *ref = NULL;
	size_t len = 0, ref_len = 0;
	const char *why = NULL;
	enum zref_result zr;
	int rc;
	long k;

	rc = pstore_inflate(in, n, &a, &out, &len, &why);
	FUZZ_CHECK(!rc || (rc == -MM_EINVAL && why), "pstore_inflate: %d", rc);
	zr = zref_inflate(in, n, bound(n), &ref, &ref_len);
	FUZZ_CHECK((rc == 0) == (zr == ZREF_OK),
		   "pstore_inflate %d (%s), system zlib %s %d (%zu bytes in, "
		   "bound %zu)", rc, rc ? why : "ok", zref_version(), (int)zr,
		   n, bound(n));
	if (!rc) {
		FUZZ_CHECK(len <= PSTORE_INFLATE_MAX && len <= bound(n),
			   "%zu bytes inflated past the bound", len);
		FUZZ_CHECK(len == ref_len && (!len || !memcmp(out, ref, len)),
			   "the output differs from the system zlib's: %zu and "
			   "%zu bytes", len, ref_len);
		mm_free(&a, out);
	}
	free(ref);
	FUZZ_CHECK(ctx.live == 0, "%ld blocks left", ctx.live);

	/* Each allocation failing in turn: -MM_ENOMEM or the same result */
	for (k = 0; k < 4; k++) {
		struct fuzz_alloc_ctx c = { k, 0, 0 };
		struct mm_alloc fa = { fuzz_realloc, &c };
		int frc;

		out = NULL;
		frc = pstore_inflate(in, n, &fa, &out, &len, &why);
		FUZZ_CHECK(frc == rc || frc == -MM_ENOMEM,
			   "with allocation %ld failing: %d, else %d", k, frc, rc);
		if (!frc)
			mm_free(&fa, out);
		FUZZ_CHECK(c.live == 0, "%ld blocks left after %d", c.live, frc);
		if (!c.failed)
			break;
	}
}

/* The bytes as a 'C' dmesg record, in a one-zone region */
static void check_record(const uint8_t *in, size_t n)
{
	static const char hdr[] = "====1.000000-C\n";
	struct fuzz_alloc_ctx ctx = { -1, 0, 0 };
	struct mm_alloc a = { fuzz_realloc, &ctx };
	struct pstore_params p = { 0 };
	struct pstore_records recs;
	const struct pstore_record *r;
	uint8_t *region, *copy, *body_out = NULL;
	size_t hl = sizeof(hdr) - 1, used = hl + n, mem = 4096, k = 0, out_len;
	const char *why = NULL;
	uint32_t cap;
	int rc, irc;

	while (mem - PSTORE_HDR_SIZE < used + 1)
		mem *= 2;
	p.mem_size = mem;
	p.record_size = mem;
	p.cpus = 1;
	region = calloc(1, mem);
	copy = malloc(mem);
	FUZZ_CHECK(region && copy, "out of memory");

	/* persistent_ram_buffer: sig, start (next write), size (fill) */
	cap = (uint32_t)(mem - PSTORE_HDR_SIZE);
	region[0] = 0x44, region[1] = 0x42, region[2] = 0x47, region[3] = 0x43;
	region[4] = (uint8_t)used, region[5] = (uint8_t)(used >> 8);
	region[6] = (uint8_t)(used >> 16), region[7] = (uint8_t)(used >> 24);
	memcpy(region + 8, region + 4, 4);
	memcpy(region + PSTORE_HDR_SIZE, hdr, hl);
	if (n)
		memcpy(region + PSTORE_HDR_SIZE + hl, in, n);
	FUZZ_CHECK(used < cap, "harness: record too large");
	memcpy(copy, region, mem);

	rc = pstore_records_read(region, mem, &p, &a, &recs, &why);
	FUZZ_CHECK(!rc, "pstore_records_read: %d %s", rc, why ? why : "");
	FUZZ_CHECK(!memcmp(region, copy, mem), "reading changed the region");
	FUZZ_CHECK(recs.nr == 1, "%zu records", recs.nr);
	r = &recs.r[0];
	FUZZ_CHECK(r->zone.type == PSTORE_TYPE_DMESG && r->compressed &&
		   r->has_time && r->sec == 1 && r->usec == 0,
		   "the record's header was not read back");

	/* The body the header leaves, inflated on its own */
	while (k < n && in[k] && mm_isspace(in[k]))
		k++;
	irc = pstore_inflate(in + k, n - k, &fuzz_libc_alloc, &body_out,
			     &out_len, &why);
	if (!irc) {
		FUZZ_CHECK(!r->note && !strcmp(r->name, "dmesg-ramoops-0") &&
			   r->len == out_len &&
			   (!out_len || !memcmp(r->text, body_out, out_len)),
			   "the record (%s, %zu bytes) is not the inflated body "
			   "(%zu bytes)", r->name, r->len, out_len);
		free(body_out);
	} else {
		FUZZ_CHECK(r->note && !strcmp(r->name, "dmesg-ramoops-0.enc.z") &&
			   r->len == n - k &&
			   (!r->len || !memcmp(r->text, in + k, n - k)),
			   "the record (%s, %zu bytes) is not the raw body (%zu "
			   "bytes)", r->name, r->len, n - k);
	}
	{
		struct mm_buf b;

		mm_buf_init(&b, &a);
		pstore_record_print(&b, r);
		pstore_record_file(&b, r);
		FUZZ_CHECK(!b.rc, "printing: %d", b.rc);
		mm_buf_free(&b);
	}
	pstore_records_free(&recs);
	FUZZ_CHECK(ctx.live == 0, "%ld blocks left", ctx.live);
	free(region);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_inflate(data, size);
	check_record(data, size);
	return 0;
}
