/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fault injection into ramoops regions (pstore/pstore.c, pstore/record.c),
 * every expected value computed apart from the code under test: zone
 * geometry by persistent_ram_init_ecc()'s formula, parity and decoding by
 * libfec (Linux's init_rs(8, 0x11d, 0, 1, ecc)), and a reference reader
 * (model_zone) that does what persistent_ram_post_init() and
 * persistent_ram_save_old() do, with libfec for the ECC.
 *
 *  - ecc: random byte errors per 128-byte block (and in the header block),
 *    0 up to ecc/2 + 4 per block, for ecc 8, 16, 32; each block's outcome
 *    must be libfec's (same return, same bytes), the records' counts and
 *    text the model's; blocks with at most ecc/2 errors are restored and
 *    counted exactly.  A block made to miscorrect on purpose shows ecc/2
 *    corrected bytes, no bad block and the wrong byte, as libfec does.
 *  - torn: a write (pstore_zone_append, with and without a wrap, and
 *    pstore_write_dmesg) as the list of byte stores pstore.c makes
 *    (ring_write: data, then update_ecc's parity, then write_header's 12
 *    bytes and the header parity), cut after every store; each cut must
 *    read as the model says, leave the other zones' records identical,
 *    and keep the zone's earlier text as tear_ok() states.
 *  - header: sig/start/size set to edge values (0, 1, capacity - 1,
 *    capacity, capacity + 1, 2^31 - 1, UINT32_MAX, start > size), without
 *    ECC and with ECC (parity recomputed, or left stale); reads match the
 *    model and never change the region; an append or a dmesg write leaves
 *    a valid zone holding what ramoops would and writes nothing outside
 *    the zone (guard bytes around the region).
 *  - random: regions of random bytes (half with planted headers) under
 *    ten parameter sets (ecc 0, 1, 2, 8, 16, 32, 100, 127, odd and tiny
 *    zones) and 40 seeds each; reads never crash and never write (exact
 *    allocations for AddressSanitizer, or guard bytes), appends stay
 *    inside their zones.
 *
 * For tests.h and main.c:  Suite *fault_suite(void);
 */
#include <fec.h>

#include "tests.h"
#include "../../pstore/record.h"

Suite *fault_suite(void);

#define PRS	PERSISTENT_RAM_SIG
#define BLK	128u
#define HDR	12u
#define GUARD	256u
#define GUARD_BYTE 0x5a

/* A parameter set: mem, record, console, ftrace, pmsg sizes, ecc, order */
#define PP(mem, rec, con, ftr, pms, ecc_, ord)                              \
	{ .mem_size = (mem), .record_size = (rec), .console_size = (con),   \
	  .ftrace_size = (ftr), .pmsg_size = (pms), .ecc = (ecc_),          \
	  .order = (ord) }

#define DMESG	PSTORE_TYPE_DMESG
#define CON	PSTORE_TYPE_CONSOLE
#define FTR	PSTORE_TYPE_FTRACE
#define PMSG	PSTORE_TYPE_PMSG

static uint8_t *xmalloc(size_t n)
{
	uint8_t *p = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(p);
	return p;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
	uint8_t *d = xmalloc(n);

	memcpy(d, p, n);
	return d;
}

/* Text that reads well in a failure message: lines of letters */
static void text_fill(uint8_t *p, size_t n, unsigned int salt)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i % 61 == 60 ? '\n' :
				 "abcdefghijklmnopqrstuvwxyz0123456789 "[(i + salt) % 37]);
}

/* ---- geometry, libfec, reference reader ------------------------------------ */

/* persistent_ram_new() + persistent_ram_init_ecc() for a zone */
struct fgeo {
	uint32_t ecc;
	uint64_t cap;		/* buffer_size */
	uint64_t par;		/* par_buffer, from the zone start */
	uint64_t hpar;		/* par_header, from the zone start */
	uint64_t blocks;	/* ecc_blocks: parity slots */
	uint64_t dblocks;	/* data blocks: DIV_ROUND_UP(buffer_size, 128) */
};

static bool fgeo_of(uint64_t zsize, uint32_t ecc, struct fgeo *g)
{
	uint64_t total;

	memset(g, 0, sizeof(*g));
	g->ecc = ecc;
	if (zsize <= HDR)
		return false;
	g->cap = zsize - HDR;
	if (g->cap > UINT32_MAX)
		return false;
	if (!ecc)
		return true;
	if (g->cap <= ecc)
		return false;
	/* DIV_ROUND_UP(buffer_size - ecc_size, block_size + ecc_size) */
	g->blocks = (g->cap - ecc + BLK + ecc - 1) / (BLK + ecc);
	total = (g->blocks + 1) * ecc;
	if (total >= g->cap)
		return false;
	g->cap -= total;
	g->par = HDR + g->cap;
	g->hpar = g->par + g->blocks * ecc;
	g->dblocks = (g->cap + BLK - 1) / BLK;
	return true;
}

static uint64_t blk_len(const struct fgeo *g, uint64_t b)
{
	return g->cap - b < BLK ? g->cap - b : BLK;
}

/* libfec codecs, one per (nroots, data length), kept for the run */
static void *fec_handle(unsigned int nroots, size_t len)
{
	static struct {
		unsigned int nroots;
		size_t len;
		void *h;
	} cache[64];
	static size_t n;
	size_t i;
	void *h;

	for (i = 0; i < n; i++)
		if (cache[i].nroots == nroots && cache[i].len == len)
			return cache[i].h;
	h = init_rs_char(8, 0x11d, 0, 1, (int)nroots, (int)(255 - nroots - len));
	ck_assert_msg(h, "init_rs_char(nroots %u, len %zu) failed", nroots, len);
	ck_assert_uint_lt(n, ARRAY_SIZE(cache));
	cache[n].nroots = nroots;
	cache[n].len = len;
	cache[n++].h = h;
	return h;
}

/* libfec's parity of @len data bytes (none: zero parity) */
static void fec_encode(unsigned int nroots, const uint8_t *data, size_t len,
		       uint8_t *par)
{
	uint8_t buf[255];

	if (!len || len + nroots > 255) {
		memset(par, 0, nroots);
		ck_assert_msg(!len, "no libfec parity for len %zu nroots %u", len,
			      nroots);
		return;
	}
	memcpy(buf, data, len);
	encode_rs_char(fec_handle(nroots, len), buf, par);
}

/*
 * libfec's decode_rs_char() of one block in place: the number of
 * corrected symbols, or -1 (also for a block libfec cannot take)
 */
static int fec_decode(unsigned int nroots, uint8_t *data, size_t len,
		      uint8_t *par)
{
	uint8_t buf[255];
	int rc;

	if (!len || len + nroots > 255)
		return -1;
	memcpy(buf, data, len);
	memcpy(buf + len, par, nroots);
	rc = decode_rs_char(fec_handle(nroots, len), buf, NULL, 0);
	memcpy(data, buf, len);
	memcpy(par, buf + len, nroots);
	return rc < 0 ? -1 : rc;
}

static bool sig_ok(enum pstore_type type, uint32_t sig)
{
	uint32_t v = sig ^ PRS;

	if (type == FTR)
		return v >= 0x020000 && v <= 0xffffff;
	return v == 0;
}

/* What a zone holds, by the reference reader */
struct mview {
	bool valid;
	uint32_t start, size;
	uint8_t *old;		/* the ring in write order */
	size_t len;
	unsigned int corrected, bad;
};

static void mview_free(struct mview *m)
{
	free(m->old);
	m->old = NULL;
}

/* One block through libfec on a copy: counts into @m */
static void model_block(struct mview *m, uint32_t ecc, uint8_t *data,
			size_t len, const uint8_t *par)
{
	uint8_t p[255];
	int rc;

	memcpy(p, par, ecc);
	rc = fec_decode(ecc, data, len, p);
	if (rc > 0)
		m->corrected += (unsigned int)rc;
	else if (rc < 0)
		m->bad++;
}

static void model_zone(const uint8_t *zone, uint64_t zsize, uint32_t ecc,
		       enum pstore_type type, struct mview *m)
{
	struct fgeo g;
	uint8_t hdr[HDR], *data;
	uint64_t b;

	memset(m, 0, sizeof(*m));
	if (!fgeo_of(zsize, ecc, &g))
		return;
	memcpy(hdr, zone, HDR);
	if (ecc)
		model_block(m, ecc, hdr, HDR, zone + g.hpar);
	m->start = get_le32(hdr + 4);
	m->size = get_le32(hdr + 8);
	m->valid = sig_ok(type, get_le32(hdr)) && m->size <= g.cap &&
		   m->start <= m->size;
	if (!m->valid || !m->size)
		return;
	data = dup_bytes(zone + HDR, g.cap);
	for (b = 0; ecc && b < m->size; b += BLK)
		model_block(m, ecc, data + b, blk_len(&g, b),
			    zone + g.par + b / BLK * ecc);
	m->old = xmalloc(m->size);
	memcpy(m->old, data + m->start, m->size - m->start);
	memcpy(m->old + m->size - m->start, data, m->start);
	m->len = m->size;
	free(data);
}

/* pstore_zone_read() against the model, the region unchanged */
static void check_zone_view(const char *what, const uint8_t *region, size_t len,
			    const struct pstore_layout *l, size_t k,
			    const struct pstore_rs *rs, const struct mview *m)
{
	const struct pstore_zone *z = &l->zones[k];
	uint8_t *copy = dup_bytes(region, len);
	struct pstore_zone_view v;
	int rc;

	rc = pstore_zone_read(region, l, z, rs, &v, TEST_ALLOC);
	ck_assert_msg(rc == 0, "%s: pstore_zone_read returned %d", what, rc);
	ck_assert_msg(!memcmp(copy, region, len), "%s: reading zone %zu changed the region",
		      what, k);
	ck_assert_msg(v.valid == m->valid && (!m->valid ||
		      (v.start == m->start && v.size == m->size)),
		      "%s: zone %zu valid %d start %llu size %llu; model %d %u %u", what,
		      k, v.valid, (unsigned long long)v.start,
		      (unsigned long long)v.size, m->valid, m->start, m->size);
	ck_assert_msg(v.corrected == m->corrected && v.bad_blocks == m->bad,
		      "%s: zone %zu corrected %u bad %u; model %u %u", what, k,
		      v.corrected, v.bad_blocks, m->corrected, m->bad);
	ck_assert_msg(v.old_len == (m->valid ? m->len : 0) &&
		      (!m->len || !m->valid || !memcmp(v.old, m->old, m->len)),
		      "%s: zone %zu holds %zu bytes, model %zu (or other bytes)", what,
		      k, v.old_len, m->len);
	pstore_view_free(&v, TEST_ALLOC);
	free(copy);
}

static int records_read_checked(const char *what, const uint8_t *region,
				size_t len, const struct pstore_params *p,
				struct pstore_records *out)
{
	uint8_t *copy = dup_bytes(region, len);
	const char *why = NULL;
	int rc = pstore_records_read(region, len, p, TEST_ALLOC, out, &why);

	ck_assert_msg(!memcmp(copy, region, len),
		      "%s: reading the records changed the region", what);
	free(copy);
	return rc;
}

/* The name pstore gives zone @z's record: TYPE-ramoops-ID */
static const char *zone_name(char *buf, size_t n, const struct pstore_zone *z)
{
	static const char *const names[] = { "dmesg", "console", "ftrace", "pmsg" };

	snprintf(buf, n, "%s-ramoops-%u", names[z->type], z->id);
	return buf;
}

/* The record named @name, or NULL */
static const struct pstore_record *record_named(const struct pstore_records *r,
						const char *name)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (!strcmp(r->r[i].name, name))
			return &r->r[i];
	return NULL;
}

/* The record of zone @z of @r, or NULL */
static const struct pstore_record *record_of(const struct pstore_records *r,
					     const struct pstore_zone *z)
{
	char name[40];

	return record_named(r, zone_name(name, sizeof(name), z));
}

static bool record_same(const struct pstore_record *a,
			const struct pstore_record *b)
{
	return !strcmp(a->name, b->name) && a->len == b->len &&
	       (!a->len || !memcmp(a->text, b->text, a->len)) &&
	       a->compressed == b->compressed && a->has_time == b->has_time &&
	       a->sec == b->sec && a->usec == b->usec &&
	       a->corrected == b->corrected && a->bad_blocks == b->bad_blocks;
}

/* Every record of @now except zone @z's is one of @before, and back */
static void check_others_same(const char *what, const struct pstore_records *before,
			      const struct pstore_records *now,
			      const struct pstore_zone *z)
{
	const struct pstore_record *r;
	char skip[40];
	size_t i;

	zone_name(skip, sizeof(skip), z);
	for (i = 0; i < before->nr; i++) {
		if (!strcmp(before->r[i].name, skip))
			continue;
		r = record_named(now, before->r[i].name);
		ck_assert_msg(r && record_same(r, &before->r[i]),
			      "%s: record %s changed or vanished", what,
			      before->r[i].name);
	}
	for (i = 0; i < now->nr; i++)
		ck_assert_msg(!strcmp(now->r[i].name, skip) ||
			      record_named(before, now->r[i].name),
			      "%s: record %s appeared", what, now->r[i].name);
}

/* "====SEC.USEC-D\n", as ramoops_write_kmsg_hdr() prints it */
static size_t dmesg_hdr(char *out, size_t n, int64_t sec, uint32_t usec)
{
	int k = snprintf(out, n, "====%lld.%06u-D\n", (long long)sec, usec);

	ck_assert_int_gt(k, 0);
	return (size_t)k;
}

/* ---- ecc: random errors per block ------------------------------------------ */

/*
 * Region 0x3000: dmesg 0 and 1 at 0 and 0x1000 (pstore_write_dmesg, the
 * second cut to the zone), console at 0x2000 (two appends).  Each trial
 * flips bytes in every block of every zone (header block, used and unused
 * data blocks): even trials up to ecc/2 per block, odd ones up to
 * ecc/2 + 4.  The dmesg zones' header block and first data block (which
 * holds the "====" line) stay within ecc/2 so their records are there to
 * compare; the console zone has no such limit.
 */
#define ECC_TRIALS 24

static const struct {
	int line;
	uint32_t ecc;
	uint64_t seed;
} eccf_rows[] = {
	{ __LINE__, 8, 1 },
	{ __LINE__, 16, 2 },
	{ __LINE__, 32, 3 },
};

/* Flip @k distinct bytes of data[0..len) + par[0..nroots), non-zero xor */
static void flip_bytes(uint64_t *s, uint8_t *data, size_t len, uint8_t *par,
		       unsigned int nroots, unsigned int k)
{
	bool hit[255 + BLK] = { false };
	unsigned int i, pos;

	ck_assert_uint_le(k, len + nroots);
	for (i = 0; i < k; i++) {
		do
			pos = rnd_below(s, (unsigned int)(len + nroots));
		while (hit[pos]);
		hit[pos] = true;
		if (pos < len)
			data[pos] ^= (uint8_t)(1 + rnd_below(s, 255));
		else
			par[pos - len] ^= (uint8_t)(1 + rnd_below(s, 255));
	}
}

/*
 * One block, corrupted: pstore_rs_decode() and libfec on copies must agree
 * on the return and the bytes; with at most nroots/2 flips both restore
 * @clean and count @k.  Returns libfec's result.
 */
static int check_block(int line, unsigned int trial, const struct pstore_rs *rs,
		       const uint8_t *data, size_t len, const uint8_t *par,
		       const uint8_t *clean, const uint8_t *clean_par, unsigned int k)
{
	unsigned int n = rs->nroots;
	uint8_t d1[BLK], p1[255], d2[BLK], p2[255];
	int ours, ref;

	memcpy(d1, data, len);
	memcpy(p1, par, n);
	memcpy(d2, data, len);
	memcpy(p2, par, n);
	ours = pstore_rs_decode(rs, d1, len, p1);
	ref = fec_decode(n, d2, len, p2);
	ck_assert_msg((ref < 0 ? ours == -MM_EBADMSG : ours == ref) &&
		      !memcmp(d1, d2, len) && !memcmp(p1, p2, n),
		      "line %d trial %u: block of %zu bytes with %u flips: decoder %d, libfec %d%s",
		      line, trial, len, k, ours, ref,
		      memcmp(d1, d2, len) || memcmp(p1, p2, n) ? ", bytes differ" : "");
	if (k <= n / 2)
		ck_assert_msg(ref == (int)k && !memcmp(d2, clean, len) &&
			      !memcmp(p2, clean_par, n),
			      "line %d trial %u: %u flips (<= %u) not all corrected: %d",
			      line, trial, k, n / 2, ref);
	return ref;
}

START_TEST(test_ecc_random)
{
	const int line = eccf_rows[_i].line;
	const uint32_t ecc = eccf_rows[_i].ecc;
	const unsigned int lim = ecc / 2;
	struct pstore_params p = PP(0x3000, 0x1000, 0x1000, 0, 0, ecc, PSTORE_ORDER_61);
	static const uint64_t zoff[3] = { 0, 0x1000, 0x2000 };
	uint8_t *clean = xmalloc(0x3000), *r, t1[1500], t2[4000], t3[2000];
	uint64_t s = eccf_rows[_i].seed, b;
	static struct pstore_rs rs;
	struct pstore_records recs;
	struct pstore_layout l;
	char hdr[2][32];
	size_t hl[2];
	unsigned int trial, z, flips_used[3], nblocks = 0, refused = 0, miscorr = 0;
	const char *why;
	struct fgeo g;
	char what[64];

	memset(clean, 0, 0x3000);
	ck_assert(fgeo_of(0x1000, ecc, &g));
	ck_assert_int_eq(pstore_layout(&p, NULL, &l, TEST_ALLOC, &why), 0);
	ck_assert_uint_eq(l.nr, 3);
	for (z = 0; z < 3; z++)
		ck_assert_uint_eq(l.zones[z].off, zoff[z]);
	ck_assert_int_eq(pstore_rs_init(&rs, ecc), 0);
	text_fill(t1, sizeof(t1), 1);
	text_fill(t2, sizeof(t2), 2);
	text_fill(t3, sizeof(t3), 3);
	ck_assert_int_eq(pstore_write_dmesg(clean, &l, &l.zones[0], &rs, 7, 8, false,
					    t1, sizeof(t1)), 0);
	ck_assert_int_eq(pstore_write_dmesg(clean, &l, &l.zones[1], &rs, 1234, 999999,
					    false, t2, sizeof(t2)), 0);
	ck_assert_int_eq(pstore_zone_append(clean, &l, &l.zones[2], &rs, t3, 1200), 0);
	ck_assert_int_eq(pstore_zone_append(clean, &l, &l.zones[2], &rs, t3 + 1200,
					    800), 0);
	hl[0] = dmesg_hdr(hdr[0], sizeof(hdr[0]), 7, 8);
	hl[1] = dmesg_hdr(hdr[1], sizeof(hdr[1]), 1234, 999999);

	r = xmalloc(0x3000);
	for (trial = 0; trial < ECC_TRIALS; trial++) {
		const bool within = !(trial & 1);

		memcpy(r, clean, 0x3000);
		for (z = 0; z < 3; z++) {
			uint8_t *zn = r + zoff[z];
			const uint8_t *cz = clean + zoff[z];
			unsigned int k, cap_k;
			struct mview m;
			int ref;

			flips_used[z] = 0;
			/* The header block, then every data block */
			for (b = 0; b <= g.dblocks; b++) {
				bool is_hdr = b == 0;
				uint64_t d = is_hdr ? 0 : b - 1;
				uint8_t *data = is_hdr ? zn : zn + HDR + d * BLK;
				uint8_t *par = is_hdr ? zn + g.hpar : zn + g.par + d * ecc;
				size_t len = is_hdr ? HDR : blk_len(&g, d * BLK);

				cap_k = within || (z < 2 && (is_hdr || d == 0)) ?
					lim : lim + 4;
				k = rnd_below(&s, cap_k + 1);
				flip_bytes(&s, data, len, par, ecc, k);
				ref = check_block(line, trial, &rs, data, len, par,
						  cz + (data - zn), cz + (par - zn), k);
				nblocks++;
				refused += k > lim && ref < 0;
				miscorr += k > lim && ref >= 0;
				/* The reader decodes the header and the used blocks */
				if (is_hdr || d * BLK < get_le32(cz + 8))
					flips_used[z] += k;
			}

			/* The zone as read, against the model */
			snprintf(what, sizeof(what), "line %d trial %u zone %u", line,
				 trial, z);
			model_zone(zn, 0x1000, ecc, l.zones[z].type, &m);
			if (within)
				ck_assert_msg(m.valid && m.corrected == flips_used[z] &&
					      !m.bad && m.len == get_le32(cz + 8),
					      "%s: model corrected %u of %u flips, %u bad",
					      what, m.corrected, flips_used[z], m.bad);
			check_zone_view(what, r, 0x3000, &l, z, &rs, &m);
			mview_free(&m);
		}

		/* The records: text intact within the limit, else the model's */
		snprintf(what, sizeof(what), "line %d trial %u", line, trial);
		ck_assert_int_eq(records_read_checked(what, r, 0x3000, &p, &recs), 0);
		for (z = 0; z < 3; z++) {
			const struct pstore_record *rec = record_of(&recs, &l.zones[z]);
			struct mview m;

			model_zone(r + zoff[z], 0x1000, ecc, l.zones[z].type, &m);
			if (z < 2) {
				/* dmesg: the header line, then the model's text */
				ck_assert_msg(rec && m.valid && m.len >= hl[z] &&
					      !memcmp(m.old, hdr[z], hl[z]),
					      "%s zone %u: no dmesg record", what, z);
				ck_assert_msg(rec->len == m.len - hl[z] &&
					      !memcmp(rec->text, m.old + hl[z], rec->len),
					      "%s zone %u: text differs from the model", what, z);
				if (within)
					ck_assert_msg(!memcmp(rec->text, z ? t2 : t1, rec->len),
						      "%s zone %u: text not restored", what, z);
			} else {
				ck_assert_msg((rec != NULL) == (m.valid && m.len > 0),
					      "%s: console record %s, model %s", what,
					      rec ? "present" : "absent",
					      m.valid && m.len ? "present" : "absent");
				if (rec)
					ck_assert_msg(rec->len == m.len &&
						      !memcmp(rec->text, m.old, m.len),
						      "%s: console text differs from the model", what);
				if (within)
					ck_assert_msg(rec && rec->len == sizeof(t3) &&
						      !memcmp(rec->text, t3, sizeof(t3)),
						      "%s: console text not restored", what);
			}
			if (rec)
				ck_assert_msg(rec->corrected == m.corrected &&
					      rec->bad_blocks == m.bad,
					      "%s zone %u: %u corrected %u bad, model %u %u",
					      what, z, rec->corrected, rec->bad_blocks,
					      m.corrected, m.bad);
			if (rec && within)
				ck_assert_msg(rec->corrected == flips_used[z] &&
					      !rec->bad_blocks,
					      "%s zone %u: %u corrected, %u flipped", what, z,
					      rec->corrected, flips_used[z]);
			mview_free(&m);
		}
		pstore_records_free(&recs);
	}
	if (getenv("FAULT_VERBOSE"))
		fprintf(stderr, "ecc line %d: %u blocks; past ecc/2: %u refused, %u miscorrected\n",
			line, nblocks, refused, miscorr);
	free(r);
	free(clean);
	pstore_layout_free(&l);
}
END_TEST

/*
 * A miscorrection made on purpose: the codeword E of weight nroots + 1
 * (data 0...01, parity libfec's) is added to a block at ecc/2 + 1 of its
 * parity positions.  The block is then ecc/2 + 1 bytes from its own
 * codeword and ecc/2 from C + E, so every decoder "corrects" it to C + E:
 * ecc/2 corrected bytes, no bad block, and the block's last data byte
 * silently flipped -- what ramoops shows past the limit.
 */
START_TEST(test_ecc_miscorrect)
{
	const int line = eccf_rows[_i].line;
	const uint32_t ecc = eccf_rows[_i].ecc;
	const unsigned int t = ecc / 2;
	struct pstore_params p = PP(0x1000, 0, 0x1000, 0, 0, ecc, PSTORE_ORDER_61);
	uint8_t *r = xmalloc(0x1000), text[1000], e[BLK], epar[255], *par;
	static struct pstore_rs rs;
	const struct pstore_record *rec;
	struct pstore_records recs;
	struct pstore_layout l;
	unsigned int i, w = 0;
	const char *why;
	struct fgeo g;
	char what[64];

	memset(r, 0, 0x1000);
	ck_assert(fgeo_of(0x1000, ecc, &g));
	ck_assert_int_eq(pstore_layout(&p, NULL, &l, TEST_ALLOC, &why), 0);
	ck_assert_int_eq(pstore_rs_init(&rs, ecc), 0);
	text_fill(text, sizeof(text), 9);
	ck_assert_int_eq(pstore_zone_append(r, &l, &l.zones[0], &rs, text, sizeof(text)), 0);

	/* E: data 0...01, its parity; weight nroots + 1 */
	memset(e, 0, sizeof(e));
	e[BLK - 1] = 1;
	fec_encode(ecc, e, BLK, epar);
	for (i = 0; i < ecc; i++)
		w += epar[i] != 0;
	ck_assert_uint_eq(w, ecc);
	par = r + g.par + 1 * ecc;
	for (i = 0; i < t + 1; i++)
		par[i] ^= epar[i];
	check_block(line, 0, &rs, r + HDR + BLK, BLK, par, r + HDR + BLK, par, t + 1);

	snprintf(what, sizeof(what), "line %d miscorrection", line);
	ck_assert_int_eq(records_read_checked(what, r, 0x1000, &p, &recs), 0);
	rec = record_of(&recs, &l.zones[0]);
	ck_assert_msg(rec && rec->corrected == t && rec->bad_blocks == 0,
		      "%s: %u corrected %u bad, want %u 0", what,
		      rec ? rec->corrected : 0, rec ? rec->bad_blocks : 0, t);
	text[2 * BLK - 1] ^= 1;
	ck_assert_msg(rec->len == sizeof(text) && !memcmp(rec->text, text, sizeof(text)),
		      "%s: the text is not the miscorrected one", what);
	pstore_records_free(&recs);
	pstore_layout_free(&l);
	free(r);
}
END_TEST

/* ---- torn writes ------------------------------------------------------------- */

/*
 * A write as the byte stores pstore.c makes, in its order, with the
 * value each store leaves (stores that leave a byte as it was are not
 * cuts).  Parity is libfec's of the bytes at that moment.
 */
struct store {
	uint32_t off;		/* in the region */
	uint8_t val;
};

struct trace {
	struct store *s;
	size_t n, cap;
	uint8_t *img;		/* the region after the stores so far */
	/* Each write_header(): its stores [first, last), parity included */
	size_t win_first[4], win_last[4], nwin;
};

static void t_store(struct trace *t, uint64_t off, uint8_t v)
{
	if (t->img[off] == v)
		return;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->s = realloc(t->s, t->cap * sizeof(*t->s));
		ck_assert_ptr_nonnull(t->s);
	}
	t->s[t->n].off = (uint32_t)off;
	t->s[t->n++].val = v;
	t->img[off] = v;
}

/* update_ecc(): parity of the blocks [start, start + count), at least one */
static void t_update_ecc(struct trace *t, uint64_t zoff, const struct fgeo *g,
			 uint64_t start, uint64_t count)
{
	uint64_t b = start & ~(uint64_t)(BLK - 1), i;
	uint8_t par[255];

	if (!g->ecc)
		return;
	do {
		fec_encode(g->ecc, t->img + zoff + HDR + b, blk_len(g, b), par);
		for (i = 0; i < g->ecc; i++)
			t_store(t, zoff + g->par + b / BLK * g->ecc + i, par[i]);
		b += BLK;
	} while (b < start + count);
}

/* write_header(): sig, start, size (bytes in address order), then parity */
static void t_header(struct trace *t, uint64_t zoff, const struct fgeo *g,
		     uint32_t start, uint32_t size)
{
	uint8_t h[HDR], par[255];
	uint64_t i;

	ck_assert_uint_lt(t->nwin, ARRAY_SIZE(t->win_first));
	t->win_first[t->nwin] = t->n;
	put_le32(h, PRS);
	put_le32(h + 4, start);
	put_le32(h + 8, size);
	for (i = 0; i < HDR; i++)
		t_store(t, zoff + i, h[i]);
	if (g->ecc) {
		fec_encode(g->ecc, t->img + zoff, HDR, par);
		for (i = 0; i < g->ecc; i++)
			t_store(t, zoff + g->hpar + i, par[i]);
	}
	t->win_last[t->nwin++] = t->n;
}

/* Whether cut @k (stores [0, k) done) lies inside a header write */
static bool t_in_header(const struct trace *t, size_t k)
{
	size_t i;

	for (i = 0; i < t->nwin; i++)
		if (k > t->win_first[i] && k < t->win_last[i])
			return true;
	return false;
}

/* ring_write() on a clean zone (its blocks need no correction) */
static void t_ring_write(struct trace *t, uint64_t zoff, const struct fgeo *g,
			 uint32_t *start, uint32_t *size, const uint8_t *s,
			 uint64_t c)
{
	uint64_t at, rem, i;

	if (c > g->cap) {
		s += c - g->cap;
		c = g->cap;
	}
	if (*size != g->cap)
		*size = (uint32_t)(*size + c > g->cap ? g->cap : *size + c);
	at = *start;
	*start = (uint32_t)((*start + c) % g->cap);
	rem = g->cap - at;
	if (rem < c) {
		for (i = 0; i < rem; i++)
			t_store(t, zoff + HDR + at + i, s[i]);
		t_update_ecc(t, zoff, g, at, rem);
		s += rem;
		c -= rem;
		at = 0;
	}
	for (i = 0; i < c; i++)
		t_store(t, zoff + HDR + at + i, s[i]);
	t_update_ecc(t, zoff, g, at, c);
	t_header(t, zoff, g, *start, *size);
}

/*
 * Scenarios on a region of 0x1800: dmesg 0 and 1 at 0 and 0x800, console
 * at 0x1000 (all 0x800 bytes).  Before the write dmesg 0 holds a
 * 300-byte record, dmesg 1 a 200-byte one, the console 400 bytes (APPEND,
 * DMESG) or its capacity less 100 (WRAP).
 *  APPEND: 600 bytes appended to the console, no wrap
 *  WRAP:   600 bytes appended to the console, wrapping over its oldest 500
 *  DMESG:  a 700-byte record written over dmesg 0's
 */
enum tear_kind { TEAR_APPEND, TEAR_WRAP, TEAR_DMESG };

static const struct {
	int line;
	enum tear_kind kind;
	uint32_t ecc;
} tear_rows[] = {
	{ __LINE__, TEAR_APPEND, 0 },
	{ __LINE__, TEAR_APPEND, 8 },
	{ __LINE__, TEAR_APPEND, 16 },
	{ __LINE__, TEAR_WRAP, 0 },
	{ __LINE__, TEAR_WRAP, 16 },
	{ __LINE__, TEAR_DMESG, 0 },
	{ __LINE__, TEAR_DMESG, 8 },
	{ __LINE__, TEAR_DMESG, 16 },
};

static bool is_prefix(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	return na <= nb && (!na || !memcmp(a, b, na));
}

/*
 * What a cut may show of the written zone (T: its ring text as the
 * reference reader unrolls it; absent: the zone invalid or empty).
 * Inside a header write (some of its 12 bytes or of its parity stored,
 * not all) nothing is asked beyond the model: start and size are two
 * 32-bit fields stored byte by byte, and no order of two stores keeps E
 * whole (start first: start > size, the zone invalid; size first: stale
 * bytes unrolled before E) -- ramoops gives no guarantee there either.
 * Everywhere else:
 *  APPEND: before the header write, exactly E; after it, exactly F.
 *  WRAP:   before, E's newest |E| - 500 bytes in place (its oldest 500
 *          are overwritten in place by the new bytes); after, exactly F.
 *  DMESG:  absent, or a prefix of E (the zap clears size), or a prefix of
 *          F (the record grows as its parts land).
 * With ECC, a cut where a decoded block is past ecc/2 from both codewords
 * it moves between and the read reports corrections (a miscorrection is
 * possible) is left to the model too (see past_limit()); every other
 * cut is held to the rules above.
 * Returns a reason when @T is not allowed, else NULL.
 */
static const char *tear_ok(enum tear_kind kind, const struct trace *t, size_t k,
			   bool present, const uint8_t *T, size_t nT,
			   const uint8_t *E, size_t nE, const uint8_t *F, size_t nF)
{
	if (t_in_header(t, k))
		return NULL;
	if (kind == TEAR_DMESG)
		return !present || is_prefix(T, nT, E, nE) || is_prefix(T, nT, F, nF) ?
		       NULL : "neither a prefix of the earlier record nor of the new one";
	if (k >= t->win_last[0])
		return present && nT == nF && !memcmp(T, F, nF) ? NULL :
		       "the new text is not whole after the header write";
	if (!present)
		return "the earlier text vanished before the header write";
	if (kind == TEAR_APPEND)
		return nT == nE && !memcmp(T, E, nE) ? NULL :
		       "the earlier text changed before the header write";
	return nT == nE && !memcmp(T + 500, E + 500, nE - 500) ? NULL :
	       "the earlier text's kept tail changed before the header write";
}

/*
 * ECC gives no guarantee for a block that is more than ecc/2 bytes away
 * from both codewords it is moving between: the last one it held (@prev,
 * updated here whenever data and parity agree) and the one its data now
 * asks for.  Such a block may be refused or miscorrected (libfec's
 * outcome, which the model checks); returns whether the reader decodes
 * one (the header, or a block below @used, the size it reads).
 */
static bool past_limit(const uint8_t *zone, const struct fgeo *g, uint8_t *prev,
		       uint64_t used)
{
	const size_t w = BLK + 255;
	uint8_t enc[255];
	bool past = false;
	uint64_t j;

	for (j = 0; g->ecc && j <= g->dblocks; j++) {
		const uint8_t *data = j ? zone + HDR + (j - 1) * BLK : zone;
		const uint8_t *par = j ? zone + g->par + (j - 1) * g->ecc : zone + g->hpar;
		size_t len = j ? blk_len(g, (j - 1) * BLK) : HDR, i;
		unsigned int dprev = 0, dnext = 0;
		uint8_t *pv = prev + j * w;

		fec_encode(g->ecc, data, len, enc);
		if (!memcmp(enc, par, g->ecc)) {
			memcpy(pv, data, len);
			memcpy(pv + len, par, g->ecc);
			continue;
		}
		for (i = 0; i < len; i++)
			dprev += data[i] != pv[i];
		for (i = 0; i < g->ecc; i++) {
			dprev += par[i] != pv[len + i];
			dnext += par[i] != enc[i];
		}
		/* Only the header and the blocks below size are decoded */
		if (dprev > g->ecc / 2 && dnext > g->ecc / 2 &&
		    (!j || (j - 1) * BLK < used))
			past = true;
	}
	return past;
}

START_TEST(test_torn_write)
{
	const int line = tear_rows[_i].line;
	const enum tear_kind kind = tear_rows[_i].kind;
	const uint32_t ecc = tear_rows[_i].ecc;
	struct pstore_params p = PP(0x1800, 0x800, 0x800, 0, 0, ecc, PSTORE_ORDER_61);
	const size_t zk = kind == TEAR_DMESG ? 0 : 2;
	uint8_t *before = xmalloc(0x1800), *after, *cur, a[300], d1[200], c0[2100];
	uint8_t nw[700];
	static struct pstore_rs rs;
	struct pstore_records rb, rn;
	struct pstore_layout l;
	struct trace t = { 0 };
	struct mview mE, mF, m;
	const struct pstore_rs *rsp = ecc ? &rs : NULL;
	const struct pstore_zone *z;
	uint32_t start, size;
	size_t nc, k, absent = 0, whole_e = 0, whole_f = 0, other = 0, npast = 0;
	uint8_t *prev;
	const char *why;
	struct fgeo g;
	char what[80];

	memset(before, 0, 0x1800);
	ck_assert_int_eq(pstore_layout(&p, NULL, &l, TEST_ALLOC, &why), 0);
	ck_assert_uint_eq(l.nr, 3);
	z = &l.zones[zk];
	ck_assert(fgeo_of(0x800, ecc, &g));
	if (ecc)
		ck_assert_int_eq(pstore_rs_init(&rs, ecc), 0);
	text_fill(a, sizeof(a), 4);
	text_fill(d1, sizeof(d1), 5);
	text_fill(c0, sizeof(c0), 6);
	text_fill(nw, sizeof(nw), 7);
	for (k = 0; k < sizeof(nw); k++)	/* upper case: tell new from old */
		if (nw[k] >= 'a' && nw[k] <= 'z')
			nw[k] = (uint8_t)(nw[k] - 'a' + 'A');
	ck_assert_int_eq(pstore_write_dmesg(before, &l, &l.zones[0], rsp, 5, 6, false,
					    a, sizeof(a)), 0);
	ck_assert_int_eq(pstore_write_dmesg(before, &l, &l.zones[1], rsp, 9, 10, false,
					    d1, sizeof(d1)), 0);
	nc = kind == TEAR_WRAP ? g.cap - 100 : 400;
	ck_assert_uint_le(nc, sizeof(c0));
	ck_assert_int_eq(pstore_zone_append(before, &l, &l.zones[2], rsp, c0, nc), 0);

	/* The real write, and the same write as stores */
	after = dup_bytes(before, 0x1800);
	t.img = dup_bytes(before, 0x1800);
	if (kind == TEAR_DMESG) {
		char h[32];
		size_t hl = dmesg_hdr(h, sizeof(h), 11, 12);

		ck_assert_int_eq(pstore_write_dmesg(after, &l, z, rsp, 11, 12, false,
						    nw, sizeof(nw)), 0);
		start = size = 0;
		t_header(&t, z->off, &g, 0, 0);
		t_ring_write(&t, z->off, &g, &start, &size, (const uint8_t *)h, hl);
		t_ring_write(&t, z->off, &g, &start, &size, nw, sizeof(nw));
	} else {
		ck_assert_int_eq(pstore_zone_append(after, &l, z, rsp, nw, 600), 0);
		start = get_le32(before + z->off + 4);
		size = get_le32(before + z->off + 8);
		t_ring_write(&t, z->off, &g, &start, &size, nw, 600);
	}
	ck_assert_msg(!memcmp(t.img, after, 0x1800),
		      "line %d: the store model does not end where the write does", line);
	ck_assert_uint_gt(t.n, 600);

	snprintf(what, sizeof(what), "line %d before", line);
	ck_assert_int_eq(records_read_checked(what, before, 0x1800, &p, &rb), 0);
	ck_assert_uint_eq(rb.nr, 3);
	model_zone(before + z->off, z->size, ecc, z->type, &mE);
	model_zone(after + z->off, z->size, ecc, z->type, &mF);
	ck_assert(mE.valid && mF.valid && !mE.bad && !mF.bad);

	/* Every cut: the region with the first k stores */
	cur = dup_bytes(before, 0x1800);
	prev = xmalloc((g.dblocks + 1) * (BLK + 255));
	ck_assert(!past_limit(cur + z->off, &g, prev, g.cap));
	for (k = 0; k <= t.n; k++) {
		const char *bad;
		bool present;

		if (k)
			cur[t.s[k - 1].off] = t.s[k - 1].val;
		snprintf(what, sizeof(what), "line %d cut %zu of %zu (at %u)", line, k,
			 t.n, k ? t.s[k - 1].off : 0);
		ck_assert_msg(records_read_checked(what, cur, 0x1800, &p, &rn) == 0,
			      "%s: records not read", what);
		check_others_same(what, &rb, &rn, z);
		model_zone(cur + z->off, z->size, ecc, z->type, &m);
		check_zone_view(what, cur, 0x1800, &l, zk, rsp, &m);
		present = m.valid && m.len;
		/* A block past the limit that decoded "successfully" may have
		 * been miscorrected: only the model speaks for such a cut */
		if (past_limit(cur + z->off, &g, prev, m.valid ? m.size : 0) &&
		    m.corrected) {
			npast++;
			mview_free(&m);
			pstore_records_free(&rn);
			continue;
		}
		bad = tear_ok(kind, &t, k, present, m.old, m.len, mE.old, mE.len,
			      mF.old, mF.len);
		ck_assert_msg(!bad, "%s: %s (%zu bytes)", what, bad, m.len);
		if (!t_in_header(&t, k))
			;
		else if (!present)
			absent++;
		else if (m.len == mE.len && !memcmp(m.old, mE.old, m.len))
			whole_e++;
		else if (m.len == mF.len && !memcmp(m.old, mF.old, m.len))
			whole_f++;
		else
			other++;
		mview_free(&m);
		pstore_records_free(&rn);
	}
	if (getenv("FAULT_VERBOSE"))
		fprintf(stderr, "torn line %d: %zu cuts; past the ECC limit %zu; inside header writes: earlier %zu, new %zu, absent %zu, other %zu\n",
			line, t.n + 1, npast, whole_e, whole_f, absent, other);
	mview_free(&mE);
	mview_free(&mF);
	pstore_records_free(&rb);
	pstore_layout_free(&l);
	free(t.s);
	free(t.img);
	free(prev);
	free(cur);
	free(after);
	free(before);
}
END_TEST

/* ---- corrupted headers ---------------------------------------------------- */

/*
 * Region 0x2000, 6.1 order: dmesg 0 (0x800), console, ftrace, pmsg (0x800
 * each), each holding data.  One zone's header gets every combination of
 * the values below; with ECC its parity is recomputed (the header says
 * what it says) or left stale (ECC may restore the original).  Reading
 * must match the model and the rule "sig right, size <= capacity,
 * start <= size"; an append (or a dmesg write) must leave a valid zone
 * holding what ramoops would, and touch nothing outside the zone.
 */
#define CAPV	0xfffffff0u	/* stands for the zone's capacity */
#define CAPV1	0xfffffff1u	/* capacity + 1 */
#define CAPVM	0xfffffff2u	/* capacity - 1 */

static const uint32_t hdr_sigs[] = {
	0, 1, PRS, PRS ^ 1, PRS ^ 0x0601c0u, UINT32_MAX,
};
static const uint32_t hdr_starts[] = {
	0, 1, 100, CAPVM, CAPV, CAPV1, 0x7fffffffu, UINT32_MAX,
};
static const uint32_t hdr_sizes[] = {
	0, 1, 99, CAPVM, CAPV, CAPV1, UINT32_MAX,
};

static uint32_t hdr_value(uint32_t v, uint64_t cap)
{
	if (v == CAPV)
		return (uint32_t)cap;
	if (v == CAPV1)
		return (uint32_t)cap + 1;
	if (v == CAPVM)
		return (uint32_t)cap - 1;
	return v;
}

static const struct {
	int line;
	uint32_t ecc;
	int parity;		/* 0: none (ecc 0), 1: recomputed, 2: stale */
} hdr_rows[] = {
	{ __LINE__, 0, 0 },
	{ __LINE__, 16, 1 },
	{ __LINE__, 16, 2 },
};

/* A copy of @r (n bytes) between guard bytes */
static uint8_t *guarded(const uint8_t *r, size_t n)
{
	uint8_t *g = xmalloc(n + 2 * GUARD);

	memset(g, GUARD_BYTE, GUARD);
	memcpy(g + GUARD, r, n);
	memset(g + GUARD + n, GUARD_BYTE, GUARD);
	return g;
}

static bool guards_intact(const uint8_t *g, size_t n)
{
	size_t i;

	for (i = 0; i < GUARD; i++)
		if (g[i] != GUARD_BYTE || g[GUARD + n + i] != GUARD_BYTE)
			return false;
	return true;
}

/* After a write to zone @z of @w: nothing outside it changed */
static void check_outside(const char *what, const uint8_t *old, const uint8_t *w,
			  size_t n, const struct pstore_zone *z)
{
	ck_assert_msg(guards_intact(w, n), "%s: a guard byte changed", what);
	ck_assert_msg(!memcmp(old, w + GUARD, z->off) &&
		      !memcmp(old + z->off + z->size, w + GUARD + z->off + z->size,
			      n - z->off - z->size),
		      "%s: bytes outside the zone changed", what);
}

START_TEST(test_header_corrupt)
{
	const int line = hdr_rows[_i].line;
	const uint32_t ecc = hdr_rows[_i].ecc;
	const int pmode = hdr_rows[_i].parity;
	struct pstore_params p = PP(0x2000, 0x800, 0x800, 0x800, 0x800, ecc,
				    PSTORE_ORDER_61);
	static const uint8_t add[] = "appended after the corruption\n";
	uint8_t *base = xmalloc(0x2000), *r = xmalloc(0x2000), *w, fill[0x800];
	const struct pstore_rs *rsp;
	static struct pstore_rs rs;
	struct pstore_records rb, rn;
	struct pstore_layout l;
	size_t zk, is, iz, ig, cases = 0;
	const char *why;
	struct fgeo g;
	char what[120];

	memset(base, 0, 0x2000);
	ck_assert_int_eq(pstore_layout(&p, NULL, &l, TEST_ALLOC, &why), 0);
	ck_assert_uint_eq(l.nr, 4);
	ck_assert(fgeo_of(0x800, ecc, &g));
	if (ecc)
		ck_assert_int_eq(pstore_rs_init(&rs, ecc), 0);
	rsp = ecc ? &rs : NULL;
	text_fill(fill, sizeof(fill), 8);
	ck_assert_int_eq(pstore_write_dmesg(base, &l, &l.zones[0], rsp, 3, 4, false,
					    fill, 500), 0);
	ck_assert_int_eq(pstore_zone_append(base, &l, &l.zones[1], rsp, fill, 700), 0);
	ck_assert_int_eq(pstore_zone_append(base, &l, &l.zones[3], rsp, fill, 300), 0);
	/* ftrace: records written by hand, 6.1's signature, sealed */
	{
		uint8_t *zf = base + l.zones[2].off;
		uint64_t b;

		ck_assert_uint_eq(l.zones[2].type, FTR);
		memcpy(zf + HDR, fill, 24 * 10);
		put_le32(zf, PRS ^ 0x0601c0u);
		put_le32(zf + 4, 240);
		put_le32(zf + 8, 240);
		for (b = 0; ecc && b < g.cap; b += BLK)
			fec_encode(ecc, zf + HDR + b, blk_len(&g, b),
				   zf + g.par + b / BLK * ecc);
		if (ecc)
			fec_encode(ecc, zf, HDR, zf + g.hpar);
	}
	ck_assert_int_eq(records_read_checked("base", base, 0x2000, &p, &rb), 0);
	ck_assert_uint_eq(rb.nr, 4);

	for (zk = 0; zk < l.nr; zk++) {
		const struct pstore_zone *z = &l.zones[zk];

		for (ig = 0; ig < ARRAY_SIZE(hdr_sigs); ig++)
		for (is = 0; is < ARRAY_SIZE(hdr_starts); is++)
		for (iz = 0; iz < ARRAY_SIZE(hdr_sizes); iz++) {
			uint32_t sig = hdr_sigs[ig];
			uint32_t st = hdr_value(hdr_starts[is], g.cap);
			uint32_t sz = hdr_value(hdr_sizes[iz], g.cap);
			uint8_t *zn = r + z->off, *old;
			struct mview m, ma;
			bool rule;
			size_t want_len, keep;
			int rc;

			memcpy(r, base, 0x2000);
			put_le32(zn, sig);
			put_le32(zn + 4, st);
			put_le32(zn + 8, sz);
			if (pmode == 1)
				fec_encode(ecc, zn, HDR, zn + g.hpar);
			snprintf(what, sizeof(what),
				 "line %d zone %zu sig %#x start %u size %u", line, zk,
				 sig, st, sz);
			cases++;

			/* Reading: the model; with true parity also the rule */
			model_zone(zn, z->size, ecc, z->type, &m);
			rule = sig_ok(z->type, sig) && sz <= g.cap && st <= sz;
			if (pmode != 2)
				ck_assert_msg(m.valid == rule, "%s: model %d, rule %d",
					      what, m.valid, rule);
			check_zone_view(what, r, 0x2000, &l, zk, rsp, &m);
			ck_assert_msg(records_read_checked(what, r, 0x2000, &p, &rn) == 0,
				      "%s: records not read", what);
			check_others_same(what, &rb, &rn, z);
			if (z->type == CON || z->type == PMSG)
				ck_assert_msg((record_of(&rn, z) != NULL) ==
					      (m.valid && m.len),
					      "%s: record presence", what);
			pstore_records_free(&rn);

			/* Writing into the zone, between guard bytes */
			w = guarded(r, 0x2000);
			if (z->type == FTR) {
				rc = pstore_zone_append(w + GUARD, &l, z, rsp, add,
							sizeof(add) - 1);
				ck_assert_msg(rc == -MM_EINVAL,
					      "%s: append to ftrace returned %d", what, rc);
				ck_assert_msg(!memcmp(w + GUARD, r, 0x2000) &&
					      guards_intact(w, 0x2000),
					      "%s: a refused append wrote", what);
				free(w);
				mview_free(&m);
				continue;
			}
			if (z->type == DMESG && (is + iz) % 2)
				rc = pstore_write_dmesg(w + GUARD, &l, z, rsp, 1, 2,
							false, add, sizeof(add) - 1);
			else
				rc = pstore_zone_append(w + GUARD, &l, z, rsp, add,
							sizeof(add) - 1);
			ck_assert_msg(rc == 0, "%s: write returned %d", what, rc);
			check_outside(what, r, w, 0x2000, z);

			/* ramoops: a valid ring keeps its text, else starts anew */
			model_zone(w + GUARD + z->off, z->size, ecc, z->type, &ma);
			ck_assert_msg(ma.valid && !ma.bad,
				      "%s: the zone is not valid after a write", what);
			if (z->type == DMESG && (is + iz) % 2) {
				char h[32];
				size_t hl = dmesg_hdr(h, sizeof(h), 1, 2);

				ck_assert_msg(ma.len == hl + sizeof(add) - 1 &&
					      !memcmp(ma.old, h, hl) &&
					      !memcmp(ma.old + hl, add, sizeof(add) - 1),
					      "%s: dmesg record not as written", what);
			} else {
				old = m.valid ? m.old : NULL;
				want_len = (m.valid ? m.len : 0) + sizeof(add) - 1;
				keep = want_len > g.cap ? g.cap : want_len;
				ck_assert_msg(ma.len == keep, "%s: %zu bytes after the append, want %zu",
					      what, ma.len, keep);
				/* The new bytes end the ring; the old text leads it
				 * when the ring was consistent (start == size, or
				 * full): Linux never leaves start < size < capacity */
				ck_assert_msg(!memcmp(ma.old + keep - (sizeof(add) - 1), add,
						      sizeof(add) - 1),
					      "%s: the appended text does not end the ring", what);
				ck_assert_msg(keep < want_len || !old ||
					      (m.start != m.size && m.size != g.cap) ||
					      !memcmp(ma.old, old, m.len),
					      "%s: text after the append is not old + new", what);
			}
			mview_free(&ma);
			mview_free(&m);
			free(w);
		}
	}
	ck_assert_uint_eq(cases, l.nr * ARRAY_SIZE(hdr_sigs) * ARRAY_SIZE(hdr_starts) *
				 ARRAY_SIZE(hdr_sizes));
	pstore_records_free(&rb);
	pstore_layout_free(&l);
	free(r);
	free(base);
}
END_TEST

/* ---- random regions ---------------------------------------------------------- */

/*
 * Parameter sets: mem, record, console, ftrace, pmsg, ecc, order.  Each is
 * read over random bytes for many seeds: half the seeds with plain random
 * bytes, half with planted headers (right signature, start/size around
 * the capacity, with ECC sometimes sealed by libfec) and dmesg text
 * starting with "====" (sometimes -C, for the inflater).  Even seeds read
 * a region allocated to its exact size (AddressSanitizer sees any byte
 * past it); odd seeds one between guard bytes.
 */
#define RANDOM_SEEDS 40

static const struct rand_row {
	int line;
	struct pstore_params p;
} rand_rows[] = {
	{ __LINE__, PP(0x4000, 0x1000, 0x1000, 0x1000, 0x1000, 0, PSTORE_ORDER_AUTO) },
	{ __LINE__, PP(0x4000, 0x1000, 0x1000, 0x1000, 0x1000, 16, PSTORE_ORDER_AUTO) },
	{ __LINE__, PP(0x4000, 0x800, 0x800, 0x800, 0x800, 1, PSTORE_ORDER_62) },
	{ __LINE__, PP(0x3000, 0x1000, 0, 0, 0, 8, PSTORE_ORDER_61) },
	{ __LINE__, PP(0x2000, 0x1000, 0x800, 0x400, 0x200, 32, PSTORE_ORDER_AUTO) },
	{ __LINE__, PP(0x10000, 0x1000, 0x2000, 0x1000, 0x1000, 16, PSTORE_ORDER_61) },
	{ __LINE__, PP(0x1000, 0, 0x1000, 0, 0, 100, PSTORE_ORDER_61) },	/* 128 + 100: most parity */
	{ __LINE__, PP(0x1000, 0x1000, 0, 0, 0, 127, PSTORE_ORDER_61) },	/* 128 + 127 = 255 */
	{ __LINE__, PP(0x1001, 0x301, 0x101, 0x41, 0x21, 0, PSTORE_ORDER_AUTO) },	/* odd sizes */
	{ __LINE__, PP(0x1000, 0x40, 0x20, 0x20, 0x20, 2, PSTORE_ORDER_AUTO) },	/* tiny zones */
};

/* Plant a plausible header (and dmesg text) in zone @z of @r */
static void plant(uint64_t *s, uint8_t *r, const struct pstore_layout *l,
		  const struct pstore_zone *z)
{
	uint8_t *zn = r + z->off;
	struct fgeo g;
	uint32_t sz, st;

	if (!fgeo_of(z->size, l->ecc, &g) || rnd_below(s, 4) == 0)
		return;
	put_le32(zn, z->type == FTR ? PRS ^ (0x020000u + rnd_below(s, 0x50000)) : PRS);
	switch (rnd_below(s, 4)) {
	case 0:
		sz = (uint32_t)g.cap;
		break;
	case 1:
		sz = (uint32_t)g.cap + 1 + rnd_below(s, 3);
		break;
	default:
		sz = rnd_below(s, (unsigned int)g.cap + 1);
		break;
	}
	st = rnd_below(s, 3) ? rnd_below(s, sz + 1) : sz + rnd_below(s, 3);
	put_le32(zn + 4, st);
	put_le32(zn + 8, sz);
	if (z->type == DMESG && g.cap > 40 && rnd_below(s, 2)) {
		static const char *const h[] = { "====1.000001-D\n", "====2.000002-C\n",
						 "====3.4\n", "====-1.x-C\n" };
		const char *t = h[rnd_below(s, 4)];

		memcpy(zn + HDR, t, strlen(t));
		put_le32(zn + 4, 0);
	}
	if (l->ecc && HDR + l->ecc <= 255 && rnd_below(s, 2))
		fec_encode(l->ecc, zn, HDR, zn + g.hpar);
}

START_TEST(test_random_region)
{
	const struct rand_row *row = &rand_rows[_i];
	const size_t n = (size_t)row->p.mem_size;
	struct pstore_records recs;
	struct pstore_layout l;
	static struct pstore_rs rs;
	const char *why;
	unsigned int seed;
	size_t k;
	char what[80];

	ck_assert_int_eq(pstore_layout(&row->p, NULL, &l, TEST_ALLOC, &why), 0);
	if (l.ecc)
		ck_assert_int_eq(pstore_rs_init(&rs, l.ecc), 0);
	for (seed = 0; seed < RANDOM_SEEDS; seed++) {
		uint64_t s = 1000003ULL * (uint64_t)row->line + seed;
		uint8_t *buf, *r, *copy;
		bool exact = !(seed & 1);
		int rc;

		buf = exact ? xmalloc(n) : xmalloc(n + 2 * GUARD);
		r = exact ? buf : buf + GUARD;
		if (!exact) {
			memset(buf, GUARD_BYTE, GUARD);
			memset(buf + GUARD + n, GUARD_BYTE, GUARD);
		}
		rnd_fill(&s, r, n);
		for (k = 0; seed >= RANDOM_SEEDS / 2 && k < l.nr; k++)
			plant(&s, r, &l, &l.zones[k]);
		copy = dup_bytes(r, n);
		snprintf(what, sizeof(what), "line %d seed %u", row->line, seed);

		rc = pstore_records_read(r, n, &row->p, TEST_ALLOC, &recs, &why);
		ck_assert_msg(rc == 0, "%s: returned %d (%s)", what, rc, why ? why : "-");
		ck_assert_msg(!memcmp(copy, r, n), "%s: reading changed the region", what);
		ck_assert_msg(exact || guards_intact(buf, n), "%s: a guard byte changed",
			      what);
		for (k = 0; k < recs.nr; k++)
			ck_assert_msg(recs.r[k].zone.off + recs.r[k].zone.size <= n &&
				      (recs.r[k].len == 0 || recs.r[k].text),
				      "%s: record %zu malformed", what, k);
		pstore_records_free(&recs);

		/* Appends into every writable zone stay inside it */
		for (k = 0; !exact && k < l.nr; k++) {
			const struct pstore_zone *z = &l.zones[k];

			memcpy(copy, r, n);
			rc = pstore_zone_append(r, &l, z, l.ecc ? &rs : NULL, "x\n", 2);
			ck_assert_msg(rc == (z->type == FTR ? -MM_EINVAL : 0),
				      "%s: append to zone %zu returned %d", what, k, rc);
			ck_assert_msg(guards_intact(buf, n) && !memcmp(copy, r, z->off) &&
				      !memcmp(copy + z->off + z->size, r + z->off + z->size,
					      n - z->off - z->size),
				      "%s: append to zone %zu wrote outside it", what, k);
		}
		free(copy);
		free(buf);
	}
	pstore_layout_free(&l);
}
END_TEST

Suite *fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc;

	tc = tcase_create("ecc");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_ecc_random, 0, ARRAY_SIZE(eccf_rows));
	tcase_add_loop_test(tc, test_ecc_miscorrect, 0, ARRAY_SIZE(eccf_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("torn");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_torn_write, 0, ARRAY_SIZE(tear_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("header");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_header_corrupt, 0, ARRAY_SIZE(hdr_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_random_region, 0, ARRAY_SIZE(rand_rows));
	suite_add_tcase(s, tc);
	return s;
}
