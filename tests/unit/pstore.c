/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pstore/pstore and pstore/record against Linux 6.1.y's ramoops
 * (fs/pstore/ram.c, ram_core.c), with every expected value worked out by
 * hand from the kernel's rules, not by the code under test:
 *  - the layout: sizes rounded down to powers of two, dmesg zones of
 *    (dump_mem_sz / count) rounded down to even (6.1.y), console, then
 *    ftrace and pmsg (6.1) or pmsg and ftrace (6.2), the errors;
 *  - zone headers as persistent_ram_post_init() judges them, ring
 *    contents as persistent_ram_save_old() unrolls them;
 *  - ECC at the offsets persistent_ram_init_ecc() gives, parity from
 *    libfec (Linux's init_rs(8, 0x11d, 0, 1, ecc));
 *  - the dmesg header as ramoops_read_kmsg_hdr()'s sscanf parses it;
 *  - rings as persistent_ram_write() fills them, dmesg records as
 *    ramoops_pstore_write() writes them;
 *  - records as /sys/fs/pstore shows them.
 * Every read is checked not to change the region.
 *
 * For tests.h and main.c:  Suite *pstore_suite(void);
 */
#include <fec.h>
#include <zlib.h>

#include "tests.h"
#include "../../pstore/record.h"

Suite *pstore_suite(void);

#define PRS		PERSISTENT_RAM_SIG
/* An ftrace zone written by Linux 6.1.192: sig ^ LINUX_VERSION_CODE */
#define SIG_FTRACE	(PERSISTENT_RAM_SIG ^ 0x0601c0u)

#define DMESG	PSTORE_TYPE_DMESG
#define CON	PSTORE_TYPE_CONSOLE
#define FTR	PSTORE_TYPE_FTRACE
#define PMSG	PSTORE_TYPE_PMSG
#define O_AUTO	PSTORE_ORDER_AUTO
#define O61	PSTORE_ORDER_61
#define O62	PSTORE_ORDER_62

/* A parameter set: mem, record, console, ftrace, pmsg sizes, ecc, order */
#define P(mem, rec, con, ftr, pms, ecc_, ord) \
	{ .mem_size = (mem), .record_size = (rec), .console_size = (con), \
	  .ftrace_size = (ftr), .pmsg_size = (pms), .ecc = (ecc_), .order = (ord) }

/* A buffer of splitmix64 bytes from @seed */
static void seed_fill(uint64_t seed, uint8_t *p, size_t n)
{
	rnd_fill(&seed, p, n);
}

/* struct persistent_ram_buffer: u32 sig, start, size */
static void set_header(uint8_t *zone, uint32_t sig, uint32_t start,
		       uint32_t size)
{
	put_le32(zone, sig);
	put_le32(zone + 4, start);
	put_le32(zone + 8, size);
}

static uint8_t *region_new(size_t n)
{
	uint8_t *r = calloc(n ? n : 1, 1);

	ck_assert_ptr_nonnull(r);
	return r;
}

static uint8_t *dup_bytes(const uint8_t *p, size_t n)
{
	uint8_t *d = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(d);
	memcpy(d, p, n);
	return d;
}

/* Raw deflate, as Linux's pstore deflate compressor writes it */
static uint8_t *raw_deflate(const void *in, size_t n, size_t *out_len)
{
	z_stream zs;
	uint8_t *out;
	size_t cap;

	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8,
				      Z_DEFAULT_STRATEGY), Z_OK);
	cap = deflateBound(&zs, (uLong)n);
	out = malloc(cap);
	ck_assert_ptr_nonnull(out);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* ---- geometry of a 4096-byte zone, by hand ---------------------------------- */

/*
 * persistent_ram_init_ecc() for size 4096: buffer_size = 4096 - 12 =
 * 4084; ecc_blocks = DIV_ROUND_UP(4084 - ecc, 128 + ecc); ecc_total =
 * (ecc_blocks + 1) * ecc; buffer_size -= ecc_total; par_buffer right
 * after the data, par_header after ecc_blocks parity blocks.
 *   ecc 8:  DIV_ROUND_UP(4076, 136) = 30, total 248, buffer 3836
 *   ecc 16: DIV_ROUND_UP(4068, 144) = 29, total 480, buffer 3604
 */
struct geo {
	uint32_t ecc;
	uint32_t cap;		/* buffer_size */
	uint32_t par;		/* par_buffer, from the zone start */
	uint32_t hpar;		/* par_header, from the zone start */
	uint32_t blocks;	/* ecc_blocks */
};

static const struct geo geo4k[] = {
	{ 0, 4084, 0, 0, 0 },
	{ 8, 3836, 12 + 3836, 12 + 3836 + 30 * 8, 30 },
	{ 16, 3604, 12 + 3604, 12 + 3604 + 29 * 16, 29 },
};

static const struct geo *geo_for(uint32_t ecc)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(geo4k); i++)
		if (geo4k[i].ecc == ecc)
			return &geo4k[i];
	ck_abort_msg("no geometry for ecc %u", ecc);
	return NULL;
}

/* libfec's parity of one block: Linux's code, init_rs(8, 0x11d, 0, 1, ecc) */
static void fec_parity(uint32_t ecc, const uint8_t *data, size_t len,
		       uint8_t *par)
{
	void *h = init_rs_char(8, 0x11d, 0, 1, (int)ecc,
			       (int)(255 - ecc - len));
	uint8_t buf[255];

	ck_assert_ptr_nonnull(h);
	memcpy(buf, data, len);
	encode_rs_char(h, buf, par);
	free_rs_char(h);
}

/* Parity of every block and of the header, as persistent_ram_update_ecc() */
static void seal_zone(uint8_t *zone, const struct geo *g)
{
	uint32_t b;

	for (b = 0; g->ecc && b < g->blocks; b++) {
		uint32_t len = g->cap - b * 128 < 128 ? g->cap - b * 128 : 128;

		fec_parity(g->ecc, zone + 12 + b * 128, len,
			   zone + g->par + b * g->ecc);
	}
	if (g->ecc)
		fec_parity(g->ecc, zone, 12, zone + g->hpar);
}

/* Whether every parity block of the zone matches its data */
static void check_sealed(int line, const uint8_t *zone, const struct geo *g)
{
	uint8_t par[255];
	uint32_t b;

	for (b = 0; g->ecc && b < g->blocks; b++) {
		uint32_t len = g->cap - b * 128 < 128 ? g->cap - b * 128 : 128;

		fec_parity(g->ecc, zone + 12 + b * 128, len, par);
		ck_assert_msg(!memcmp(par, zone + g->par + b * g->ecc, g->ecc),
			      "line %d: parity of block %u (at %u) is not libfec's",
			      line, b, g->par + b * g->ecc);
	}
	if (g->ecc) {
		fec_parity(g->ecc, zone, 12, par);
		ck_assert_msg(!memcmp(par, zone + g->hpar, g->ecc),
			      "line %d: header parity (at %u) is not libfec's",
			      line, g->hpar);
	}
}

/* ---- reading, checked not to change the region -------------------------------- */

static void zone_read_checked(int line, const uint8_t *region, size_t len,
			      const struct pstore_layout *l, size_t k,
			      const struct pstore_rs *rs,
			      struct pstore_zone_view *v)
{
	uint8_t *copy = dup_bytes(region, len);
	int rc = pstore_zone_read(region, l, &l->zones[k], rs, v, TEST_ALLOC);

	ck_assert_msg(rc == 0, "line %d: pstore_zone_read returned %d", line, rc);
	ck_assert_msg(!memcmp(copy, region, len),
		      "line %d: reading zone %zu changed the region", line, k);
	free(copy);
}

static int records_read_checked(int line, const uint8_t *region, size_t len,
				const struct pstore_params *p,
				struct pstore_records *out, const char **why)
{
	uint8_t *copy = dup_bytes(region, len);
	int rc = pstore_records_read(region, len, p, TEST_ALLOC, out, why);

	ck_assert_msg(!memcmp(copy, region, len),
		      "line %d: reading the records changed the region", line);
	free(copy);
	return rc;
}

static void layout_checked(int line, const struct pstore_params *p,
			   const uint8_t *region, struct pstore_layout *l)
{
	const char *why = NULL;
	int rc = pstore_layout(p, region, l, TEST_ALLOC, &why);

	ck_assert_msg(rc == 0, "line %d: pstore_layout returned %d (%s)", line,
		      rc, why ? why : "-");
}

/* The zone of @type (and dmesg @id) in @l */
static size_t zone_index(const struct pstore_layout *l, enum pstore_type type,
			 uint32_t id)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (l->zones[i].type == type && l->zones[i].id == id)
			return i;
	ck_abort_msg("no zone of type %d id %u", type, id);
	return 0;
}

/* ---- layout ---------------------------------------------------------------------- */

struct zexp {
	enum pstore_type type;
	uint64_t off, size;
};

#define Z(t, o, s) { (t), (o), (s) }

/*
 * ramoops_probe(): sizes rounded down to powers of two; dump_mem_sz =
 * mem_size - console - ftrace - pmsg; ramoops_init_przs("dmesg"): cnt =
 * dump_mem_sz / record_size, zone_sz = ALIGN_DOWN(dump_mem_sz / cnt, 2),
 * zones back to back from 0; then console, ftrace, pmsg (6.2: pmsg,
 * ftrace), each right after the last zone (not at the end of
 * dump_mem_sz).  Expected dmesg zones: ndmesg of dmesg_size at
 * i * dmesg_size, id i; the others listed.
 */
static const struct layout_row {
	int line;
	struct pstore_params p;
	int rc;
	uint32_t ecc;			/* effective */
	enum pstore_order order;	/* used */
	uint64_t ndmesg, dmesg_size;
	size_t ntail;
	struct zexp tail[3];
} layout_rows[] = {
	/* 1 MiB, 16 KiB each: 0xf4000 / 0x4000 = 61 records */
	{ __LINE__, P(0x100000, 0x4000, 0x4000, 0x4000, 0x4000, 0, O61), 0, 0, O61,
	  61, 0x4000, 3, { Z(CON, 0xf4000, 0x4000), Z(FTR, 0xf8000, 0x4000),
			   Z(PMSG, 0xfc000, 0x4000) } },
	{ __LINE__, P(0x100000, 0x4000, 0x4000, 0x4000, 0x4000, 0, O62), 0, 0, O62,
	  61, 0x4000, 3, { Z(CON, 0xf4000, 0x4000), Z(PMSG, 0xf8000, 0x4000),
			   Z(FTR, 0xfc000, 0x4000) } },
	/* AUTO without a region: 6.1 */
	{ __LINE__, P(0x100000, 0x4000, 0x4000, 0x4000, 0x4000, 0, O_AUTO), 0, 0, O61,
	  61, 0x4000, 3, { Z(CON, 0xf4000, 0x4000), Z(FTR, 0xf8000, 0x4000),
			   Z(PMSG, 0xfc000, 0x4000) } },
	/* ramoops' defaults (4 KiB each): 0xfd000 / 0x1000 = 253 records */
	{ __LINE__, P(0x100000, 0x1000, 0x1000, 0x1000, 0x1000, 0, O61), 0, 0, O61,
	  253, 0x1000, 3, { Z(CON, 0xfd000, 0x1000), Z(FTR, 0xfe000, 0x1000),
			    Z(PMSG, 0xff000, 0x1000) } },
	/* rounding down: 0x1800 -> 0x1000, 0x3000 -> 0x2000, 5000 -> 4096,
	 * 0x1fff -> 0x1000; dump 0xc000 -> 12 records */
	{ __LINE__, P(0x10000, 0x1800, 0x3000, 5000, 0x1fff, 0, O61), 0, 0, O61,
	  12, 0x1000, 3, { Z(CON, 0xc000, 0x2000), Z(FTR, 0xe000, 0x1000),
			   Z(PMSG, 0xf000, 0x1000) } },
	/* 0xfffff -> 0x80000: 2 records */
	{ __LINE__, P(0x100000, 0xfffff, 0, 0, 0, 0, O61), 0, 0, O61,
	  2, 0x80000, 0, { { 0 } } },
	/* 10000 / 4096 = 2 records of 5000 */
	{ __LINE__, P(10000, 4096, 0, 0, 0, 0, O61), 0, 0, O61, 2, 5000, 0, { { 0 } } },
	/* 10002 / 2 = 5001, rounded down to even: 5000 */
	{ __LINE__, P(10002, 4096, 0, 0, 0, 0, O61), 0, 0, O61, 2, 5000, 0, { { 0 } } },
	/* 13000 / 3 = 4333 -> 4332 */
	{ __LINE__, P(13000, 4096, 0, 0, 0, 0, O61), 0, 0, O61, 3, 4332, 0, { { 0 } } },
	/* dump 0x2003: 2 zones of 4097 -> 4096; console at 0x2000, not 0x2003 */
	{ __LINE__, P(0x3003, 0x1000, 0x1000, 0, 0, 0, O61), 0, 0, O61,
	  2, 0x1000, 1, { Z(CON, 0x2000, 0x1000) } },
	/* dump 65827 - 7168 = 58659: 3 zones of 19553 -> 19552 (0x4c60),
	 * console at 3 * 19552 = 0xe520 */
	{ __LINE__, P(0x10123, 0x4000, 0x1000, 0x800, 0x400, 0, O61), 0, 0, O61,
	  3, 0x4c60, 3, { Z(CON, 0xe520, 0x1000), Z(FTR, 0xf520, 0x800),
			  Z(PMSG, 0xfd20, 0x400) } },
	/* no records */
	{ __LINE__, P(0x4000, 0, 0x1000, 0x1000, 0x1000, 0, O61), 0, 0, O61,
	  0, 0, 3, { Z(CON, 0, 0x1000), Z(FTR, 0x1000, 0x1000), Z(PMSG, 0x2000, 0x1000) } },
	{ __LINE__, P(0x4000, 0, 0x1000, 0x1000, 0x1000, 0, O62), 0, 0, O62,
	  0, 0, 3, { Z(CON, 0, 0x1000), Z(PMSG, 0x1000, 0x1000), Z(FTR, 0x2000, 0x1000) } },
	/* dump_mem_sz 0: no records although record_size is set */
	{ __LINE__, P(0x3000, 0x1000, 0x1000, 0x1000, 0x1000, 0, O61), 0, 0, O61,
	  0, 0, 3, { Z(CON, 0, 0x1000), Z(FTR, 0x1000, 0x1000), Z(PMSG, 0x2000, 0x1000) } },
	/* one kind only */
	{ __LINE__, P(0x1000, 0, 0x1000, 0, 0, 0, O61), 0, 0, O61,
	  0, 0, 1, { Z(CON, 0, 0x1000) } },
	{ __LINE__, P(0x2000, 0, 0, 0, 0x2000, 0, O61), 0, 0, O61,
	  0, 0, 1, { Z(PMSG, 0, 0x2000) } },
	{ __LINE__, P(0x2000, 0, 0, 0x1000, 0, 0, O62), 0, 0, O62,
	  0, 0, 1, { Z(FTR, 0, 0x1000) } },
	/* no console: ftrace/pmsg right after the records */
	{ __LINE__, P(0x8000, 0x2000, 0, 0x1000, 0x1000, 0, O61), 0, 0, O61,
	  3, 0x2000, 2, { Z(FTR, 0x6000, 0x1000), Z(PMSG, 0x7000, 0x1000) } },
	{ __LINE__, P(0x8000, 0x2000, 0, 0x1000, 0x1000, 0, O62), 0, 0, O62,
	  3, 0x2000, 2, { Z(PMSG, 0x6000, 0x1000), Z(FTR, 0x7000, 0x1000) } },
	{ __LINE__, P(0x5000, 0x1000, 0, 0x1800, 0x1800, 0, O62), 0, 0, O62,
	  3, 0x1000, 2, { Z(PMSG, 0x3000, 0x1000), Z(FTR, 0x4000, 0x1000) } },
	/* ECC: 1 means 16 */
	{ __LINE__, P(0x10000, 0x4000, 0x4000, 0, 0, 1, O61), 0, 16, O61,
	  3, 0x4000, 1, { Z(CON, 0xc000, 0x4000) } },
	/* tests/linux/pstore.sh's parameters */
	{ __LINE__, P(0x100000, 0x4000, 0x4000, 0, 0x4000, 16, O61), 0, 16, O61,
	  62, 0x4000, 2, { Z(CON, 0xf8000, 0x4000), Z(PMSG, 0xfc000, 0x4000) } },
	/* ECC 8, zone 30: buffer 18, DIV_ROUND_UP(10, 136) = 1, total 16 < 18 */
	{ __LINE__, P(30, 16, 0, 0, 0, 8, O61), 0, 8, O61, 1, 30, 0, { { 0 } } },
	/* ECC 8, zone 28: buffer 16, total 16 >= 16 */
	{ __LINE__, P(28, 16, 0, 0, 0, 8, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	/* ECC 16, zone 46: buffer 34, DIV_ROUND_UP(18, 144) = 1, total 32 < 34 */
	{ __LINE__, P(46, 32, 0, 0, 0, 16, O61), 0, 16, O61, 1, 46, 0, { { 0 } } },
	/* ECC 16, zone 44: buffer 32, total 32 >= 32 */
	{ __LINE__, P(44, 32, 0, 0, 0, 16, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	/* ECC 16, console 32: buffer 20, total 32 */
	{ __LINE__, P(32, 0, 32, 0, 0, 16, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	/* ECC 16, console 64: buffer 52, DIV_ROUND_UP(36, 144) = 1, total 32 */
	{ __LINE__, P(64, 0, 64, 0, 0, 16, O61), 0, 16, O61, 0, 0, 1, { Z(CON, 0, 64) } },
	/*
	 * ECC 127, the most a 128-byte block takes: init_rs(8, ...) makes
	 * 255-symbol codewords and encode_rs8()/decode_rs8() need pad =
	 * 255 - ecc - 128 >= 0 (decode_rs.c BUG()s below).
	 * DIV_ROUND_UP(4084 - 127, 255) = 16, total 17 * 127 = 2159 < 4084.
	 */
	{ __LINE__, P(0x1000, 0, 0x1000, 0, 0, 127, O61), 0, 127, O61,
	  0, 0, 1, { Z(CON, 0, 0x1000) } },
	{ __LINE__, P(0x1000, 0, 0x1000, 0, 0, 128, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0x1000, 0, 0, 254, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0x1000, 0, 0, 255, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0x1000, 0, 0, UINT32_MAX, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	/* errors ramoops_probe() reports */
	{ __LINE__, P(0, 0x1000, 0x1000, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0x2000, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x2000, 0, 0x1000, 0x1000, 0x1000, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x2000, 0x1000, 0x1000, 0x1000, 0x1000, 0, O62), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0, 0x2000, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	/* no room for one record: dump 0x800 < 0x1000 */
	{ __LINE__, P(0x1800, 0x1000, 0x1000, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0x2000, 0, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	/* zones not larger than the 12-byte header */
	{ __LINE__, P(0x1000, 0, 8, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 12, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 16, 0, 0, 0, O61), 0, 0, O61, 0, 0, 1, { Z(CON, 0, 16) } },
	{ __LINE__, P(0x20, 8, 0, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(12, 8, 0, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(14, 8, 0, 0, 0, 0, O61), 0, 0, O61, 1, 14, 0, { { 0 } } },
	/* record_size 1: zone_sz ALIGN_DOWN(1, 2) = 0 */
	{ __LINE__, P(0x1000, 1, 0, 0, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0x800, 1, 0, 0, O61), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
	{ __LINE__, P(0x1000, 0, 0x800, 0, 1, 0, O62), -MM_EINVAL, 0, 0, 0, 0, 0, { { 0 } } },
};

START_TEST(test_layout)
{
	const struct layout_row *row = &layout_rows[_i];
	struct pstore_layout l;
	const char *why = NULL;
	uint64_t i;
	size_t k;
	int rc;

	rc = pstore_layout(&row->p, NULL, &l, TEST_ALLOC, &why);
	ck_assert_msg(rc == row->rc, "line %d: returned %d (%s), want %d",
		      row->line, rc, why ? why : "-", row->rc);
	if (rc) {
		ck_assert_msg(why && *why, "line %d: no reason", row->line);
		pstore_layout_free(&l);
		return;
	}
	ck_assert_msg(l.ecc == row->ecc, "line %d: ecc %u, want %u", row->line,
		      l.ecc, row->ecc);
	ck_assert_msg(l.order == row->order, "line %d: order %d, want %d",
		      row->line, l.order, row->order);
	ck_assert_msg(l.nr == row->ndmesg + row->ntail,
		      "line %d: %zu zones, want %llu dmesg + %zu", row->line, l.nr,
		      (unsigned long long)row->ndmesg, row->ntail);
	for (i = 0; i < row->ndmesg; i++) {
		const struct pstore_zone *z = &l.zones[i];

		ck_assert_msg(z->type == DMESG && z->id == i &&
			      z->off == i * row->dmesg_size &&
			      z->size == row->dmesg_size,
			      "line %d: zone %llu is type %d id %u [%#llx +%#llx), want dmesg [%#llx +%#llx)",
			      row->line, (unsigned long long)i, z->type, z->id,
			      (unsigned long long)z->off, (unsigned long long)z->size,
			      (unsigned long long)(i * row->dmesg_size),
			      (unsigned long long)row->dmesg_size);
	}
	for (k = 0; k < row->ntail; k++) {
		const struct pstore_zone *z = &l.zones[row->ndmesg + k];

		ck_assert_msg(z->type == row->tail[k].type && z->id == 0 &&
			      z->off == row->tail[k].off &&
			      z->size == row->tail[k].size,
			      "line %d: zone %llu is type %d id %u [%#llx +%#llx), want type %d [%#llx +%#llx)",
			      row->line, (unsigned long long)(row->ndmesg + k),
			      z->type, z->id, (unsigned long long)z->off,
			      (unsigned long long)z->size, row->tail[k].type,
			      (unsigned long long)row->tail[k].off,
			      (unsigned long long)row->tail[k].size);
	}
	pstore_layout_free(&l);
}
END_TEST

/*
 * After an error nothing stays allocated: pstore_records_read() returns
 * the layout's error without freeing it, and memmap.efi's --pstore-log
 * calls pstore_layout_free() only on success.
 */
START_TEST(test_layout_error_frees)
{
	char lines[512] = "";
	size_t i, k, len = 0;
	int nbad = 0;

	for (i = 0; i < ARRAY_SIZE(layout_rows); i++) {
		const struct layout_row *row = &layout_rows[i];
		struct track_alloc_ctx c = TRACK_ALLOC_INIT(-1);
		struct mm_alloc a = { track_realloc, &c };
		struct pstore_layout l;
		struct pstore_records recs;
		const char *why;
		uint8_t *region;
		size_t left1, left2;
		int rc;

		if (!row->rc)
			continue;
		rc = pstore_layout(&row->p, NULL, &l, &a, &why);
		ck_assert_int_eq(rc, row->rc);
		left1 = track_release(&c);
		region = region_new((size_t)row->p.mem_size);
		c = (struct track_alloc_ctx)TRACK_ALLOC_INIT(-1);
		rc = pstore_records_read(region, (size_t)row->p.mem_size, &row->p,
					 &a, &recs, &why);
		ck_assert_int_eq(rc, row->rc);
		left2 = track_release(&c);
		for (k = 0; k < row->p.mem_size; k++)
			ck_assert_msg(!region[k], "line %d: the region changed", row->line);
		free(region);
		if ((left1 || left2) && len + 24 < sizeof(lines)) {
			len += (size_t)snprintf(lines + len, sizeof(lines) - len,
						" %d(%zu,%zu)", row->line, left1,
						left2);
			nbad++;
		}
	}
	ck_assert_msg(!nbad,
		      "%d error rows leave blocks allocated; line(pstore_layout, pstore_records_read):%s",
		      nbad, lines);
}
END_TEST

/*
 * ecc_size bound: ecc = 1 is 16; 2..127 as given; 128 and above refused
 * with a reason that gives the valid range (ecc_size + 128 <= 255)
 */
static const struct eccb_row {
	int line;
	uint32_t ecc;		/* as given */
	int rc;
	uint32_t eff;		/* the ecc_size used */
} eccb_rows[] = {
	{ __LINE__, 0, 0, 0 },
	{ __LINE__, 1, 0, 16 },
	{ __LINE__, 2, 0, 2 },
	{ __LINE__, 126, 0, 126 },
	{ __LINE__, 127, 0, 127 },
	{ __LINE__, 128, -MM_EINVAL, 0 },
	{ __LINE__, 200, -MM_EINVAL, 0 },
	{ __LINE__, 243, -MM_EINVAL, 0 },
	{ __LINE__, 254, -MM_EINVAL, 0 },
	{ __LINE__, 255, -MM_EINVAL, 0 },
	{ __LINE__, 256, -MM_EINVAL, 0 },
};

START_TEST(test_layout_ecc_bound)
{
	struct pstore_params p = P(0x10000, 0x4000, 0x4000, 0x4000, 0x4000, 0, O61);
	struct pstore_layout l;
	const char *why = NULL;
	int rc;

	p.ecc = eccb_rows[_i].ecc;
	rc = pstore_layout(&p, NULL, &l, TEST_ALLOC, &why);
	ck_assert_msg(rc == eccb_rows[_i].rc, "line %d: ecc %u: returned %d (%s)",
		      eccb_rows[_i].line, p.ecc, rc, why ? why : "-");
	if (!rc) {
		ck_assert_uint_eq(l.ecc, eccb_rows[_i].eff);
		pstore_layout_free(&l);
	} else {
		ck_assert_msg(why && strstr(why, "0 to 127"),
			      "line %d: reason \"%s\" does not give the range",
			      eccb_rows[_i].line, why ? why : "");
	}
}
END_TEST

/*
 * AUTO: 6.2's order only when the headers in RAM say so.  Region 0x4000:
 * dmesg 0, console 0x1000; 6.1 puts ftrace at 0x2000 and pmsg at
 * 0x3000, 6.2 pmsg at 0x2000 and ftrace at 0x3000.
 */
static const struct {
	int line;
	uint32_t sig2000, sig3000;
	enum pstore_order order;
} auto_rows[] = {
	{ __LINE__, 0, 0, O61 },			/* blank */
	{ __LINE__, PRS, SIG_FTRACE, O62 },		/* 6.2 signatures */
	{ __LINE__, SIG_FTRACE, PRS, O61 },		/* 6.1 signatures */
	{ __LINE__, PRS, 0, O62 },			/* 6.2 pmsg only */
	{ __LINE__, 0, SIG_FTRACE, O62 },		/* 6.2 ftrace only */
	{ __LINE__, 0, PRS ^ 0x060a00u, O62 },		/* ftrace of 6.10 */
	{ __LINE__, SIG_FTRACE, 0, O61 },
	{ __LINE__, 0, PRS, O61 },
	{ __LINE__, PRS, PRS, O61 },			/* one each: a tie */
	{ __LINE__, SIG_FTRACE, SIG_FTRACE, O61 },	/* one each: a tie */
	{ __LINE__, 0xffffffffu, 0xffffffffu, O61 },
};

START_TEST(test_layout_auto)
{
	struct pstore_params p = P(0x4000, 0x1000, 0x1000, 0x1000, 0x1000, 0, O_AUTO);
	uint8_t *region = region_new(0x4000), *copy;
	struct pstore_layout l;
	size_t f, m;

	seed_fill(71, region, 0x4000);
	put_le32(region + 0x2000, auto_rows[_i].sig2000);
	put_le32(region + 0x3000, auto_rows[_i].sig3000);
	copy = dup_bytes(region, 0x4000);
	layout_checked(auto_rows[_i].line, &p, region, &l);
	ck_assert_msg(!memcmp(copy, region, 0x4000), "line %d: region changed",
		      auto_rows[_i].line);
	ck_assert_msg(l.order == auto_rows[_i].order, "line %d: order %d, want %d",
		      auto_rows[_i].line, l.order, auto_rows[_i].order);
	f = zone_index(&l, FTR, 0);
	m = zone_index(&l, PMSG, 0);
	ck_assert_msg(l.nr == 4 && l.zones[zone_index(&l, CON, 0)].off == 0x1000 &&
		      l.zones[f].off == (l.order == O62 ? 0x3000u : 0x2000u) &&
		      l.zones[m].off == (l.order == O62 ? 0x2000u : 0x3000u),
		      "line %d: ftrace at %#llx, pmsg at %#llx", auto_rows[_i].line,
		      (unsigned long long)l.zones[f].off,
		      (unsigned long long)l.zones[m].off);
	pstore_layout_free(&l);
	free(copy);
	free(region);
}
END_TEST

/*
 * A pmsg (or ftrace) zone of 1 to 12 bytes at the very end of the region:
 * guessing the layout must not read a 4-byte signature past the end (the
 * fuzzer found it), and the layout is refused as ramoops refuses it
 */
START_TEST(test_layout_tiny_tail)
{
	static const uint64_t tiny[] = { 1, 2, 4, 8 };
	struct pstore_params p = P(0x1000 + tiny[_i % 4], 0, 0, 0x1000,
				   tiny[_i % 4], 0, _i < 4 ? O_AUTO : O61);
	uint8_t *region = region_new((size_t)p.mem_size);
	struct pstore_layout l;
	const char *why = NULL;

	seed_fill(72, region, (size_t)p.mem_size);
	put_le32(region, SIG_FTRACE);
	ck_assert_int_eq(pstore_layout(&p, region, &l, TEST_ALLOC, &why),
			 -MM_EINVAL);
	ck_assert_str_eq(why, "a zone is not larger than its 12-byte header");
	free(region);
}
END_TEST

/* ---- zone headers -------------------------------------------------------------- */

/*
 * persistent_ram_post_init(): the signature must be the zone's; size 0
 * and start 0 is an empty buffer; size > buffer_size or start > size is
 * invalid.  Debian's 6.1.192 has fe8c3623ab06 ("pstore/ram: Check start
 * of empty przs during init", in 6.1.y since September 2023): size 0
 * with start != 0 is no longer "empty" but invalid (start > size), and
 * zapped.  6.1 before it took it as empty; either way there is no record.
 * Region 0x3000: console 0, ftrace 0x1000, pmsg 0x2000, 4084 bytes of
 * ring each; ring contents random.
 */
static const struct zread_row {
	int line;
	enum pstore_type type;
	uint32_t sig, start, size;
	bool valid;
} zread_rows[] = {
	{ __LINE__, CON, PRS, 0, 0, true },
	{ __LINE__, CON, PRS, 0, 1, true },
	{ __LINE__, CON, PRS, 5, 0, false },		/* 6.1.y: invalid */
	{ __LINE__, CON, PRS, 1, 0, false },
	{ __LINE__, CON, 0, 0, 10, false },
	{ __LINE__, CON, PRS + 1, 0, 10, false },
	{ __LINE__, CON, SIG_FTRACE, 0, 10, false },	/* ftrace's on console */
	{ __LINE__, CON, PRS, 11, 10, false },		/* start > size */
	{ __LINE__, CON, PRS, 10, 10, true },
	{ __LINE__, CON, PRS, 0, 4085, false },		/* size > buffer_size */
	{ __LINE__, CON, PRS, 0, 4084, true },
	{ __LINE__, CON, PRS, 100, 4084, true },		/* wrapped */
	{ __LINE__, CON, PRS, 4083, 4084, true },
	{ __LINE__, CON, PRS, 4084, 4084, true },		/* start == size */
	{ __LINE__, CON, PRS, 50, 200, true },
	{ __LINE__, CON, PRS, 0xffffffffu, 0xffffffffu, false },
	{ __LINE__, CON, PRS, 0, 0x80000000u, false },
	{ __LINE__, PMSG, PRS, 3, 3, true },
	{ __LINE__, PMSG, PRS, 2000, 4084, true },
	{ __LINE__, PMSG, SIG_FTRACE, 0, 3, false },
	/* ftrace: sig ^ LINUX_VERSION_CODE of whichever kernel wrote it */
	{ __LINE__, FTR, SIG_FTRACE, 0, 48, true },
	{ __LINE__, FTR, PRS ^ 0x060100u, 0, 48, true },	/* 6.1.0 */
	{ __LINE__, FTR, PRS ^ 0x0601ffu, 24, 48, true },	/* 6.1.255+ */
	{ __LINE__, FTR, PRS ^ 0x050a00u, 0, 48, true },	/* 5.10 */
	{ __LINE__, FTR, PRS ^ 0x030500u, 0, 48, true },	/* 3.5 */
	{ __LINE__, FTR, PRS ^ 0x060c00u, 0, 48, true },	/* 6.12 */
	{ __LINE__, FTR, PRS ^ 0x060200u, 0, 4084, true },
	{ __LINE__, FTR, PRS, 0, 48, false },		/* a plain signature */
	{ __LINE__, FTR, PRS ^ 0x01000000u, 0, 48, false },
	{ __LINE__, FTR, ~PRS, 0, 48, false },
	{ __LINE__, FTR, 0, 0, 48, false },
	{ __LINE__, FTR, SIG_FTRACE, 49, 48, false },
	{ __LINE__, FTR, SIG_FTRACE, 0, 4085, false },
};

START_TEST(test_zone_read)
{
	const struct zread_row *row = &zread_rows[_i];
	struct pstore_params p = P(0x3000, 0, 0x1000, 0x1000, 0x1000, 0, O61);
	uint8_t *region = region_new(0x3000), *zone, *want;
	struct pstore_zone_view v;
	struct pstore_layout l;
	size_t k;

	layout_checked(row->line, &p, NULL, &l);
	k = zone_index(&l, row->type, 0);
	ck_assert_uint_eq(l.zones[k].size, 0x1000);
	seed_fill(81 + (uint64_t)_i, region, 0x3000);
	zone = region + l.zones[k].off;
	set_header(zone, row->sig, row->start, row->size);
	zone_read_checked(row->line, region, 0x3000, &l, k, NULL, &v);
	ck_assert_msg(v.valid == row->valid, "line %d: valid %d, want %d",
		      row->line, v.valid, row->valid);
	ck_assert_msg(v.sig == row->sig && v.start == row->start &&
		      v.size == row->size && v.capacity == 4084,
		      "line %d: header %#x %llu %llu capacity %llu", row->line,
		      v.sig, (unsigned long long)v.start,
		      (unsigned long long)v.size, (unsigned long long)v.capacity);
	ck_assert_msg(!v.corrected && !v.bad_blocks, "line %d: ECC counts without ECC",
		      row->line);
	if (!row->valid || !row->size) {
		ck_assert_msg(v.old_len == 0, "line %d: %zu bytes from an %s zone",
			      row->line, v.old_len, row->valid ? "empty" : "invalid");
	} else {
		/* persistent_ram_save_old(): data[start..size), data[0..start) */
		want = malloc(row->size);
		ck_assert_ptr_nonnull(want);
		memcpy(want, zone + 12 + row->start, row->size - row->start);
		memcpy(want + row->size - row->start, zone + 12, row->start);
		ck_assert_msg(v.old_len == row->size &&
			      !memcmp(v.old, want, row->size),
			      "line %d: %zu bytes, not the ring in write order",
			      row->line, v.old_len);
		free(want);
	}
	pstore_view_free(&v, TEST_ALLOC);
	pstore_layout_free(&l);
	free(region);
}
END_TEST

/*
 * ECC on a console zone of 4096 bytes (geometry above): header and
 * blocks corrected on a copy; only blocks below size are decoded.
 * Bytes listed are flipped (^ 0x5a) after the zone is sealed.
 */
static const struct ezread_row {
	int line;
	uint32_t ecc;
	uint32_t start, size;
	unsigned int nflip;
	uint16_t flip[12];
	bool valid;
	unsigned int corrected, bad;
	bool damaged;		/* the ring comes back with the flips */
} ezread_rows[] = {
	{ __LINE__, 16, 0, 3604, 0, { 0 }, true, 0, 0, false },
	{ __LINE__, 16, 0, 3604, 1, { 4 }, true, 1, 0, false },
	/* 8 of the header's 28 bytes */
	{ __LINE__, 16, 7, 3604, 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, true, 8, 0, false },
	{ __LINE__, 16, 7, 3604, 8, { 0, 5, 10, 11, 4080, 4081, 4090, 4095 },
	  true, 8, 0, false },
	/* 9: the header is lost, its signature with it */
	{ __LINE__, 16, 0, 3604, 9, { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, false, 0, 1, false },
	/* header parity only */
	{ __LINE__, 16, 0, 3604, 3, { 4080, 4081, 4095 }, true, 3, 0, false },
	/* blocks 0 (data), 28 (the last, 20 bytes: 3596..3615), parity of 5 */
	{ __LINE__, 16, 0, 3604, 6, { 12, 13, 50, 3596, 3615, 3616 + 5 * 16 },
	  true, 6, 0, false },
	/* 8 in one block: data and parity */
	{ __LINE__, 16, 0, 3604, 8,
	  { 12 + 256, 12 + 300, 12 + 383, 3616 + 2 * 16, 3616 + 2 * 16 + 15,
	    12 + 257, 12 + 258, 12 + 259 }, true, 8, 0, false },
	/* 9 in block 2 (data at 268..395): not corrected */
	{ __LINE__, 16, 0, 3604, 9,
	  { 268, 277, 286, 295, 304, 313, 322, 331, 340 }, true, 0, 1, true },
	/* blocks past size are not decoded: size 200 uses blocks 0 and 1 */
	{ __LINE__, 16, 100, 200, 2, { 12 + 640 + 3, 3616 + 5 * 16 }, true, 0, 0, false },
	{ __LINE__, 16, 100, 200, 1, { 12 + 199 }, true, 1, 0, false },
	/* an empty zone: no data block decoded */
	{ __LINE__, 16, 0, 0, 2, { 12, 13 }, true, 0, 0, false },
	/* ECC 8: 4 per block */
	{ __LINE__, 8, 0, 3836, 4, { 141, 142, 143, 144 }, true, 4, 0, false },
	{ __LINE__, 8, 0, 3836, 5, { 141, 142, 143, 144, 145 }, true, 0, 1, true },
	{ __LINE__, 8, 0, 3836, 4, { 8, 9, 4088, 4095 }, true, 4, 0, false },
	/* the last block, 124 bytes at 3724..3847, parity at 3848 + 29 * 8 */
	{ __LINE__, 8, 3000, 3836, 3, { 3724, 3847, 3848 + 29 * 8 + 7 }, true, 3, 0, false },
};

START_TEST(test_zone_read_ecc)
{
	const struct ezread_row *row = &ezread_rows[_i];
	const struct geo *g = geo_for(row->ecc);
	struct pstore_params p = P(0x1000, 0, 0x1000, 0, 0, row->ecc, O61);
	uint8_t *region = region_new(0x1000), *orig, *src, *want;
	static struct pstore_rs rs;
	struct pstore_zone_view v;
	struct pstore_layout l;
	unsigned int f;

	layout_checked(row->line, &p, NULL, &l);
	ck_assert_uint_eq(l.ecc, row->ecc);
	ck_assert_int_eq(pstore_rs_init(&rs, row->ecc), 0);
	seed_fill(91 + (uint64_t)_i, region + 12, g->cap);
	set_header(region, PRS, row->start, row->size);
	seal_zone(region, g);
	orig = dup_bytes(region, 0x1000);
	for (f = 0; f < row->nflip; f++)
		region[row->flip[f]] ^= 0x5a;

	zone_read_checked(row->line, region, 0x1000, &l, 0, &rs, &v);
	ck_assert_msg(v.capacity == g->cap, "line %d: capacity %llu, want %u",
		      row->line, (unsigned long long)v.capacity, g->cap);
	ck_assert_msg(v.valid == row->valid, "line %d: valid %d", row->line, v.valid);
	ck_assert_msg(v.corrected == row->corrected && v.bad_blocks == row->bad,
		      "line %d: %u corrected, %u bad blocks; want %u, %u",
		      row->line, v.corrected, v.bad_blocks, row->corrected, row->bad);
	if (row->valid) {
		ck_assert_msg(v.start == row->start && v.size == row->size,
			      "line %d: header start %llu size %llu", row->line,
			      (unsigned long long)v.start, (unsigned long long)v.size);
		src = row->damaged ? region : orig;
		want = malloc(row->size + 1);
		ck_assert_ptr_nonnull(want);
		memcpy(want, src + 12 + row->start, row->size - row->start);
		memcpy(want + row->size - row->start, src + 12, row->start);
		ck_assert_msg(v.old_len == row->size &&
			      (!row->size || !memcmp(v.old, want, row->size)),
			      "line %d: ring contents differ", row->line);
		free(want);
	}
	pstore_view_free(&v, TEST_ALLOC);
	pstore_layout_free(&l);
	free(orig);
	free(region);
}
END_TEST

/* ---- dmesg header ---------------------------------------------------------------- */

/*
 * ramoops_read_kmsg_hdr(): sscanf(buf, "====%lld.%lu-%c\n%n") == 3, else
 * sscanf(buf, "====%lld.%lu\n%n") == 2, else no header.  The kernel's
 * vsscanf: numbers skip leading isspace() (which includes 0xa0 in the
 * kernel's Latin-1 ctype); %lld takes a '-' but no '+', %lu no sign;
 * %c takes any byte but NUL (the end of the string); a blank in the
 * format skips any amount of white space; %n counts what was read.
 */
static const struct hdr_row {
	int line;
	const char *s;
	size_t n;		/* 0: strlen(s) */
	size_t len;		/* header length; 0: no header */
	int64_t sec;
	uint32_t usec;
	bool compressed;
} hdr_rows[] = {
	{ __LINE__, "====1795267108.379439-C\nx\x9c", 0, 24, 1795267108, 379439, true },
	{ __LINE__, "====1795267108.379439-D\nOops", 0, 24, 1795267108, 379439, false },
	{ __LINE__, "====5.000001-D\n", 0, 15, 5, 1, false },
	/* the older header without the type */
	{ __LINE__, "====5.000001\nOops", 0, 13, 5, 1, false },
	{ __LINE__, "====5.000001", 0, 12, 5, 1, false },
	{ __LINE__, "====5.000001XYZ", 0, 12, 5, 1, false },
	{ __LINE__, "====5.000001 -D\n", 0, 13, 5, 1, false },
	/* no newline; other types */
	{ __LINE__, "====5.000001-D", 0, 14, 5, 1, false },
	{ __LINE__, "====5.000001-C", 0, 14, 5, 1, true },
	{ __LINE__, "====5.000001-c\n", 0, 15, 5, 1, false },
	{ __LINE__, "====5.000001-X\nabc", 0, 15, 5, 1, false },
	{ __LINE__, "====5.000001-\nabc", 0, 14, 5, 1, false },	/* %c takes '\n' */
	{ __LINE__, "====5.000001-D\n", 13, 12, 5, 1, false },	/* ends after '-' */
	/* "\n" skips all white space after the header */
	{ __LINE__, "====5.000001-D\n\n \t\r\v\fOops", 0, 21, 5, 1, false },
	{ __LINE__, "====5.000001-D  Oops", 0, 16, 5, 1, false },
	/* numbers skip leading blanks */
	{ __LINE__, "==== 5. 000001-D\n", 0, 17, 5, 1, false },
	{ __LINE__, "====\n\t5.\t000001-C\n", 0, 18, 5, 1, true },
	/* negative seconds; any number of digits */
	{ __LINE__, "====-5.000042-D\n", 0, 16, -5, 42, false },
	{ __LINE__, "====-0.5-D\n", 0, 11, 0, 5, false },
	{ __LINE__, "====0.0-D\n", 0, 10, 0, 0, false },
	{ __LINE__, "====9223372036854775807.999999-D\n", 0, 33, INT64_MAX, 999999, false },
	{ __LINE__, "====5.1234567-D\n", 0, 16, 5, 1234567, false },
	{ __LINE__, "====007.000100-D\n", 0, 17, 7, 100, false },
	/* no header */
	{ __LINE__, "", 0, 0, 0, 0, false },
	{ __LINE__, "Oops: 0000 [#1] SMP", 0, 0, 0, 0, false },
	{ __LINE__, "===5.000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====", 0, 0, 0, 0, false },
	{ __LINE__, "====.000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====5-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====5.-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====5.", 0, 0, 0, 0, false },
	{ __LINE__, "====5 .000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====x5.000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====- 5.000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====--5.000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====0x10.000001-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "\x00\x01\x02\x03garbage====5.0-D\n", 20, 0, 0, 0, false },
	{ __LINE__, "\xff\xff\xff\xff\xff\xff\xff\xff", 0, 0, 0, 0, false },
	{ __LINE__, "====1795267108.379439-C\n", 10, 0, 0, 0, false },	/* cut */
	{ __LINE__, "====5\0.000001-D\n", 16, 0, 0, 0, false },		/* NUL ends it */
	/* Where the core differs from the kernel's sscanf */
	{ __LINE__, "====+5.000001-D\n", 0, 0, 0, 0, false },	/* %lld: no '+' */
	{ __LINE__, "====5.-1-D\n", 0, 0, 0, 0, false },		/* %lu: no sign */
	{ __LINE__, "====5.+1-D\n", 0, 0, 0, 0, false },
	{ __LINE__, "====\xa0" "5.000001-D\n", 0, 16, 5, 1, false },	/* isspace(0xa0) */
	{ __LINE__, "====5.000001-D\n\xa0Oops", 0, 16, 5, 1, false },
	{ __LINE__, "====5.000001-\0Oops", 18, 12, 5, 1, false },	/* %c stops at NUL */
};

START_TEST(test_dmesg_header)
{
	const struct hdr_row *row = &hdr_rows[_i];
	size_t n = row->n ? row->n : strlen(row->s), len;
	int64_t sec = 12345;
	uint32_t usec = 12345;
	bool compressed = !row->compressed;

	len = pstore_dmesg_header((const uint8_t *)row->s, n, &sec, &usec,
				  &compressed);
	ck_assert_msg(len == row->len, "line %d: header length %zu, want %zu",
		      row->line, len, row->len);
	ck_assert_msg(sec == row->sec && usec == row->usec &&
		      compressed == row->compressed,
		      "line %d: %lld.%u %c, want %lld.%u %c", row->line,
		      (long long)sec, usec, compressed ? 'C' : 'D',
		      (long long)row->sec, row->usec, row->compressed ? 'C' : 'D');
}
END_TEST

/*
 * "====-9223372036854775808.000000-D\n" is what ramoops writes for
 * tv_sec INT64_MIN ("%lld"); the kernel's simple_strntoll() negates in
 * unsigned arithmetic and reads it back as INT64_MIN (a regression test:
 * the core once negated in signed arithmetic, which UBSan aborts on).
 */
START_TEST(test_dmesg_header_int64_min)
{
	static const char s[] = "====-9223372036854775808.000000-D\n";
	int64_t sec;
	uint32_t usec;
	bool compressed;
	size_t len;

	len = pstore_dmesg_header((const uint8_t *)s, sizeof(s) - 1, &sec, &usec,
				  &compressed);
	ck_assert_uint_eq(len, sizeof(s) - 1);
	ck_assert(sec == INT64_MIN && usec == 0 && !compressed);
}
END_TEST

/* ---- ECC notice, names, print ---------------------------------------------------- */

static const struct {
	int line;
	unsigned int corrected, bad;
	const char *want;
} notice_rows[] = {
	{ __LINE__, 0, 0, "ECC: No errors detected\n" },
	{ __LINE__, 1, 0, "ECC: 1 Corrected bytes, 0 unrecoverable blocks\n" },
	{ __LINE__, 0, 2, "ECC: 0 Corrected bytes, 2 unrecoverable blocks\n" },
	{ __LINE__, 12, 1, "ECC: 12 Corrected bytes, 1 unrecoverable blocks\n" },
	{ __LINE__, 4294967295u, 4294967295u,
	  "ECC: 4294967295 Corrected bytes, 4294967295 unrecoverable blocks\n" },
};

START_TEST(test_ecc_notice)
{
	struct pstore_zone_view v;
	struct mm_buf b;

	memset(&v, 0, sizeof(v));
	v.corrected = notice_rows[_i].corrected;
	v.bad_blocks = notice_rows[_i].bad;
	mm_buf_init(&b, TEST_ALLOC);
	pstore_ecc_notice(&b, &v);
	ck_assert_msg(!b.rc && b.s && !strcmp(b.s, notice_rows[_i].want),
		      "line %d: \"%s\"", notice_rows[_i].line, b.s ? b.s : "");
	mm_buf_free(&b);
}
END_TEST

/* pstore_mkfile(): "%s-%s-%llu", type name, "ramoops", id */
static const struct {
	int line;
	enum pstore_type type;
	uint32_t id;
	const char *want;
} name_rows[] = {
	{ __LINE__, DMESG, 0, "dmesg-ramoops-0" },
	{ __LINE__, DMESG, 17, "dmesg-ramoops-17" },
	{ __LINE__, DMESG, 4294967295u, "dmesg-ramoops-4294967295" },
	{ __LINE__, CON, 0, "console-ramoops-0" },
	{ __LINE__, FTR, 0, "ftrace-ramoops-0" },
	{ __LINE__, PMSG, 0, "pmsg-ramoops-0" },
};

START_TEST(test_record_name)
{
	struct pstore_zone z = { name_rows[_i].type, name_rows[_i].id, 0, 4096 };
	struct mm_buf b;

	mm_buf_init(&b, TEST_ALLOC);
	pstore_record_name(&b, &z);
	ck_assert_msg(!b.rc && b.s && !strcmp(b.s, name_rows[_i].want),
		      "line %d: \"%s\"", name_rows[_i].line, b.s ? b.s : "");
	mm_buf_free(&b);
}
END_TEST

/* "pstore: NAME (N bytes)", text escaped, newline, note, ECC line */
static const struct print_row {
	int line;
	const char *name;
	const char *text;
	size_t len;
	const char *note;
	bool ecc;
	unsigned int corrected, bad;
	const char *print;	/* pstore_record_print() */
	const char *file;	/* pstore_record_file() */
	size_t file_len;
} print_rows[] = {
	{ __LINE__, "console-ramoops-0", "hello\n", 6, NULL, false, 0, 0,
	  "pstore: console-ramoops-0 (6 bytes)\nhello\n", "hello\n", 6 },
	{ __LINE__, "pmsg-ramoops-0", "no newline", 10, NULL, false, 0, 0,
	  "pstore: pmsg-ramoops-0 (10 bytes)\nno newline\n", "no newline", 10 },
	{ __LINE__, "pmsg-ramoops-0", "a\x01\tb\n\x7f\x80\xff ~\r", 11, NULL, false, 0, 0,
	  "pstore: pmsg-ramoops-0 (11 bytes)\na\\x01\tb\n\\x7f\\x80\\xff ~\\x0d\n",
	  "a\x01\tb\n\x7f\x80\xff ~\r", 11 },
	{ __LINE__, "console-ramoops-0", "\0\x1f\x20", 3, NULL, false, 0, 0,
	  "pstore: console-ramoops-0 (3 bytes)\n\\x00\\x1f \n", "\0\x1f\x20", 3 },
	{ __LINE__, "dmesg-ramoops-3", "", 0, NULL, true, 0, 0,
	  "pstore: dmesg-ramoops-3 (0 bytes)\nECC: No errors detected\n",
	  "\nECC: No errors detected\n", 25 },
	{ __LINE__, "console-ramoops-0", "x", 1, NULL, true, 5, 1,
	  "pstore: console-ramoops-0 (1 bytes)\nx\nECC: 5 Corrected bytes, 1 unrecoverable blocks\n",
	  "x\nECC: 5 Corrected bytes, 1 unrecoverable blocks\n", 49 },
	{ __LINE__, "dmesg-ramoops-0", "Oops\n", 5, NULL, true, 0, 0,
	  "pstore: dmesg-ramoops-0 (5 bytes)\nOops\nECC: No errors detected\n",
	  "Oops\n\nECC: No errors detected\n", 30 },
	{ __LINE__, "dmesg-ramoops-0.enc.z", "x\x9c", 2, "not a valid deflate stream",
	  false, 0, 0,
	  "pstore: dmesg-ramoops-0.enc.z (2 bytes)\nx\\x9c\n"
	  "pstore: dmesg-ramoops-0.enc.z: compressed record kept raw: not a valid deflate stream\n",
	  "x\x9c", 2 },
};

START_TEST(test_record_print)
{
	const struct print_row *row = &print_rows[_i];
	struct pstore_record r;
	struct mm_buf b;

	memset(&r, 0, sizeof(r));
	ck_assert_uint_lt(strlen(row->name), sizeof(r.name));
	strcpy(r.name, row->name);
	r.text = (uint8_t *)row->text;
	r.len = row->len;
	r.note = row->note;
	r.ecc = row->ecc;
	r.corrected = row->corrected;
	r.bad_blocks = row->bad;
	mm_buf_init(&b, TEST_ALLOC);
	pstore_record_print(&b, &r);
	ck_assert_msg(!b.rc && b.s && !strcmp(b.s, row->print),
		      "line %d: printed \"%s\"", row->line, b.s ? b.s : "");
	b.len = 0;
	pstore_record_file(&b, &r);
	ck_assert_msg(!b.rc && b.len == row->file_len &&
		      !memcmp(b.s, row->file, row->file_len),
		      "line %d: file of %zu bytes \"%s\"", row->line, b.len,
		      b.s ? b.s : "");
	mm_buf_free(&b);
}
END_TEST

/* ---- appends ------------------------------------------------------------------------ */

/*
 * persistent_ram_write() on a fresh (zeroed, so invalid and reset)
 * console zone of 4096 bytes: a write longer than buffer_size keeps its
 * last buffer_size bytes; start advances by what was written, modulo
 * buffer_size; size grows to buffer_size.  The ring then holds the last
 * min(total, buffer_size) bytes written.  Header values by hand.
 */
static const struct append_row {
	int line;
	uint32_t ecc;
	size_t n;
	uint32_t len[4];
	uint32_t start, size;
} append_rows[] = {
	{ __LINE__, 0, 1, { 5 }, 5, 5 },
	{ __LINE__, 0, 1, { 0 }, 0, 0 },
	{ __LINE__, 0, 1, { 4084 }, 0, 4084 },
	{ __LINE__, 0, 1, { 4085 }, 0, 4084 },
	{ __LINE__, 0, 1, { 5000 }, 0, 4084 },
	{ __LINE__, 0, 2, { 3000, 2000 }, 916, 4084 },		/* 5000 - 4084 */
	{ __LINE__, 0, 3, { 3000, 2000, 1 }, 917, 4084 },
	{ __LINE__, 0, 2, { 4083, 2 }, 1, 4084 },
	{ __LINE__, 0, 2, { 10000, 10 }, 10, 4084 },
	{ __LINE__, 0, 4, { 1000, 1000, 1000, 1000 }, 4000, 4000 },
	{ __LINE__, 0, 4, { 1000, 1000, 1000, 1085 }, 1, 4084 },
	{ __LINE__, 16, 1, { 5 }, 5, 5 },
	{ __LINE__, 16, 1, { 5000 }, 0, 3604 },
	{ __LINE__, 16, 2, { 3000, 3000 }, 2396, 3604 },	/* 6000 - 3604 */
	{ __LINE__, 16, 2, { 3604, 100 }, 100, 3604 },
	{ __LINE__, 16, 3, { 127, 2, 300 }, 429, 429 },		/* across blocks */
	{ __LINE__, 8, 2, { 2000, 2000 }, 164, 3836 },		/* 4000 - 3836 */
	{ __LINE__, 8, 1, { 3836 }, 0, 3836 },
};

START_TEST(test_append)
{
	const struct append_row *row = &append_rows[_i];
	const struct geo *g = geo_for(row->ecc);
	struct pstore_params p = P(0x1000, 0, 0x1000, 0, 0, row->ecc, O61);
	uint8_t *region = region_new(0x1000), *stream;
	static struct pstore_rs rs;
	struct pstore_zone_view v;
	struct pstore_layout l;
	size_t total = 0, off = 0, keep, i;
	int rc;

	for (i = 0; i < row->n; i++)
		total += row->len[i];
	stream = malloc(total + 1);
	ck_assert_ptr_nonnull(stream);
	seed_fill(101 + (uint64_t)_i, stream, total);
	layout_checked(row->line, &p, NULL, &l);
	if (row->ecc)
		ck_assert_int_eq(pstore_rs_init(&rs, row->ecc), 0);
	for (i = 0; i < row->n; i++) {
		rc = pstore_zone_append(region, &l, &l.zones[0],
					row->ecc ? &rs : NULL, stream + off,
					row->len[i]);
		ck_assert_msg(rc == 0, "line %d: append %zu returned %d", row->line,
			      i, rc);
		off += row->len[i];
	}
	ck_assert_msg(get_le32(region) == PRS && get_le32(region + 4) == row->start &&
		      get_le32(region + 8) == row->size,
		      "line %d: header %#x start %u size %u, want start %u size %u",
		      row->line, get_le32(region), get_le32(region + 4),
		      get_le32(region + 8), row->start, row->size);
	check_sealed(row->line, region, g);

	zone_read_checked(row->line, region, 0x1000, &l, 0, row->ecc ? &rs : NULL, &v);
	keep = total < g->cap ? total : g->cap;
	ck_assert_msg(v.valid && v.old_len == keep &&
		      (!keep || !memcmp(v.old, stream + total - keep, keep)),
		      "line %d: read back %zu bytes, want the last %zu of %zu",
		      row->line, v.old_len, keep, total);
	ck_assert_msg(!v.corrected && !v.bad_blocks, "line %d: ECC errors after a write",
		      row->line);
	pstore_view_free(&v, TEST_ALLOC);
	pstore_layout_free(&l);
	free(stream);
	free(region);
}
END_TEST

/* A zone whose header Linux would zap is reset before the append */
static const struct {
	int line;
	uint32_t sig, start, size;
	const char *want;
} reset_rows[] = {
	{ __LINE__, 0, 0, 0, "abc" },
	{ __LINE__, 0, 7, 7, "abc" },
	{ __LINE__, PRS, 100, 50, "abc" },		/* start > size */
	{ __LINE__, PRS, 0, 4085, "abc" },		/* size > buffer_size */
	{ __LINE__, PRS, 5, 0, "abc" },			/* 6.1.y: invalid */
	{ __LINE__, SIG_FTRACE, 7, 7, "abc" },
	{ __LINE__, PRS, 7, 7, "OLDDATAabc" },		/* valid: appended */
	{ __LINE__, PRS, 0, 0, "abc" },			/* valid, empty */
};

START_TEST(test_append_reset)
{
	struct pstore_params p = P(0x1000, 0, 0x1000, 0, 0, 0, O61);
	uint8_t *region = region_new(0x1000);
	struct pstore_zone_view v;
	struct pstore_layout l;
	size_t n = strlen(reset_rows[_i].want);

	layout_checked(reset_rows[_i].line, &p, NULL, &l);
	memcpy(region + 12, "OLDDATA", 7);
	set_header(region, reset_rows[_i].sig, reset_rows[_i].start,
		   reset_rows[_i].size);
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[0], NULL, "abc", 3), 0);
	ck_assert_msg(get_le32(region) == PRS && get_le32(region + 4) == n &&
		      get_le32(region + 8) == n,
		      "line %d: header %#x start %u size %u", reset_rows[_i].line,
		      get_le32(region), get_le32(region + 4), get_le32(region + 8));
	zone_read_checked(reset_rows[_i].line, region, 0x1000, &l, 0, NULL, &v);
	ck_assert_msg(v.valid && v.old_len == n && !memcmp(v.old, reset_rows[_i].want, n),
		      "line %d: read back %zu bytes", reset_rows[_i].line, v.old_len);
	pstore_view_free(&v, TEST_ALLOC);
	pstore_layout_free(&l);
	free(region);
}
END_TEST

/*
 * Appending to an ECC zone whose last block holds a correctable error:
 * Linux corrects every used block in place at boot
 * (persistent_ram_post_init -> persistent_ram_save_old ->
 * persistent_ram_ecc_old) before it writes, so the error never reaches
 * the new parity.  An append that re-encodes the block without
 * correcting it first turns the error into silent corruption.
 */
START_TEST(test_append_keeps_ecc)
{
	static const char first[] = "hello world\n", more[] = "more\n";
	struct pstore_params p = P(0x1000, 0, 0x1000, 0, 0, 16, O61);
	uint8_t *region = region_new(0x1000);
	static struct pstore_rs rs;
	struct pstore_zone_view v;
	struct pstore_layout l;
	unsigned int corrected;
	char got[64];
	bool ok;

	layout_checked(__LINE__, &p, NULL, &l);
	ck_assert_int_eq(pstore_rs_init(&rs, 16), 0);
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[0], &rs, first,
					    sizeof(first) - 1), 0);
	region[12 + 1] ^= 0x20;		/* 'e' -> 'E', correctable */
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[0], &rs, more,
					    sizeof(more) - 1), 0);
	zone_read_checked(__LINE__, region, 0x1000, &l, 0, &rs, &v);
	ok = v.valid && v.old_len == 17 && !memcmp(v.old, "hello world\nmore\n", 17);
	snprintf(got, sizeof(got), "%.*s", (int)v.old_len,
		 v.old ? (const char *)v.old : "");
	corrected = v.corrected;
	pstore_view_free(&v, TEST_ALLOC);
	pstore_layout_free(&l);
	free(region);
	ck_assert_msg(ok, "read back \"%s\" (%u corrected): the damaged byte was sealed into the parity",
		      got, corrected);
}
END_TEST

/* ---- dmesg records ------------------------------------------------------------------ */

/*
 * ramoops_write_kmsg_hdr(): "====%lld.%06lu-%c\n" of tv_sec and
 * tv_nsec / 1000; then the record.  Region 0x3000: dmesg 0 and 1, console
 * at 0x2000; written to dmesg 1, read back with pstore_records_read().
 */
static const struct dwrite_row {
	int line;
	int64_t sec;
	uint32_t usec;
	bool compressed;
	const char *hdr;
	bool readback;
} dwrite_rows[] = {
	{ __LINE__, 1795267108, 379439, true, "====1795267108.379439-C\n", true },
	{ __LINE__, 1795267108, 379439, false, "====1795267108.379439-D\n", true },
	{ __LINE__, 0, 0, false, "====0.000000-D\n", true },
	{ __LINE__, 5, 1, false, "====5.000001-D\n", true },
	{ __LINE__, 5, 10, false, "====5.000010-D\n", true },
	{ __LINE__, 5, 100000, false, "====5.100000-D\n", true },
	{ __LINE__, 5, 999999, true, "====5.999999-C\n", true },
	{ __LINE__, -5, 42, false, "====-5.000042-D\n", true },
	{ __LINE__, INT64_MAX, 999999, false, "====9223372036854775807.999999-D\n", true },
	/* reading it back needs test_dmesg_header_int64_min's fix */
	{ __LINE__, INT64_MIN, 0, false, "====-9223372036854775808.000000-D\n", false },
};

START_TEST(test_write_dmesg)
{
	static const char text[] = "Oops: general protection fault\nCall Trace:\n";
	const struct dwrite_row *row = &dwrite_rows[_i];
	struct pstore_params p = P(0x3000, 0x1000, 0x1000, 0, 0, 0, O61);
	uint8_t *region = region_new(0x3000), *body, *zone;
	size_t hl = strlen(row->hdr), bl;
	struct pstore_records recs;
	struct pstore_layout l;
	const char *why;
	int rc;

	layout_checked(row->line, &p, NULL, &l);
	bl = sizeof(text) - 1;
	body = row->compressed ? raw_deflate(text, bl, &bl) :
				 dup_bytes((const uint8_t *)text, bl);
	rc = pstore_write_dmesg(region, &l, &l.zones[1], NULL, row->sec, row->usec,
				row->compressed, body, bl);
	ck_assert_msg(rc == 0, "line %d: returned %d", row->line, rc);
	zone = region + 0x1000;
	ck_assert_msg(get_le32(zone) == PRS && get_le32(zone + 4) == hl + bl &&
		      get_le32(zone + 8) == hl + bl,
		      "line %d: header %#x start %u size %u, want %zu", row->line,
		      get_le32(zone), get_le32(zone + 4), get_le32(zone + 8), hl + bl);
	ck_assert_msg(!memcmp(zone + 12, row->hdr, hl) &&
		      !memcmp(zone + 12 + hl, body, bl),
		      "line %d: zone holds \"%.*s\", want \"%s\"", row->line,
		      (int)hl, (const char *)zone + 12, row->hdr);
	ck_assert_msg(get_le32(region) == 0 && get_le32(region + 0x2000) == 0,
		      "line %d: other zones written", row->line);
	if (row->readback) {
		rc = records_read_checked(row->line, region, 0x3000, &p, &recs, &why);
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(recs.nr == 1 && !strcmp(recs.r[0].name, "dmesg-ramoops-1") &&
			      recs.r[0].has_time && recs.r[0].sec == row->sec &&
			      recs.r[0].usec == row->usec &&
			      recs.r[0].compressed == row->compressed &&
			      !recs.r[0].note && !recs.r[0].ecc &&
			      recs.r[0].len == sizeof(text) - 1 &&
			      !memcmp(recs.r[0].text, text, sizeof(text) - 1),
			      "line %d: read back %zu records, the first \"%s\" %zu bytes",
			      row->line, recs.nr, recs.nr ? recs.r[0].name : "",
			      recs.nr ? recs.r[0].len : 0);
		pstore_records_free(&recs);
	}
	pstore_layout_free(&l);
	free(body);
	free(region);
}
END_TEST

/*
 * ramoops_pstore_write(): persistent_ram_zap() first, so an earlier
 * longer dump is gone; size + hlen > buffer_size cuts the record to
 * buffer_size - hlen, keeping its beginning.
 */
START_TEST(test_write_dmesg_fit)
{
	/* dmesg 0 and 1, console at 0x2000 */
	struct pstore_params p = P(0x3000, 0x1000, 0x1000, 0, 0, 0, O61);
	uint8_t *region = region_new(0x3000), *big = malloc(5000);
	struct pstore_records recs;
	struct pstore_layout l;
	const char *why;

	ck_assert_ptr_nonnull(big);
	seed_fill(111, big, 5000);
	layout_checked(__LINE__, &p, NULL, &l);

	/* "====1.000000-D\n" is 15 bytes: 4069 of 5000 fit */
	ck_assert_int_eq(pstore_write_dmesg(region, &l, &l.zones[0], NULL, 1, 0,
					    false, big, 5000), 0);
	ck_assert_uint_eq(get_le32(region + 4), 0);		/* 4084 % 4084 */
	ck_assert_uint_eq(get_le32(region + 8), 4084);
	ck_assert_int_eq(records_read_checked(__LINE__, region, 0x3000, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 1 && recs.r[0].len == 4069 &&
		      !memcmp(recs.r[0].text, big, 4069),
		      "cut record: %zu bytes", recs.nr ? recs.r[0].len : 0);
	pstore_records_free(&recs);

	/* A shorter one replaces it entirely */
	ck_assert_int_eq(pstore_write_dmesg(region, &l, &l.zones[0], NULL, 2, 0,
					    false, "short\n", 6), 0);
	ck_assert_uint_eq(get_le32(region + 4), 21);
	ck_assert_uint_eq(get_le32(region + 8), 21);
	ck_assert_int_eq(records_read_checked(__LINE__, region, 0x3000, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 1 && recs.r[0].len == 6 && recs.r[0].sec == 2 &&
		      !memcmp(recs.r[0].text, "short\n", 6),
		      "replaced record: %zu bytes", recs.nr ? recs.r[0].len : 0);
	pstore_records_free(&recs);

	/* Exactly full: 4069 bytes, start wraps to 0 */
	ck_assert_int_eq(pstore_write_dmesg(region, &l, &l.zones[1], NULL, 3, 0,
					    false, big, 4069), 0);
	ck_assert_uint_eq(get_le32(region + 0x1000 + 4), 0);
	ck_assert_uint_eq(get_le32(region + 0x1000 + 8), 4084);
	pstore_layout_free(&l);
	free(big);
	free(region);
}
END_TEST

/* ---- ECC after writes --------------------------------------------------------------- */

/*
 * Written with ECC (console by appends, dmesg by pstore_write_dmesg),
 * bytes flipped (^ 0xa5), then read as records: up to ecc / 2 wrong bytes
 * per block are corrected and counted; one more makes the block
 * unrecoverable and leaves its bytes as they are.
 */
static const struct ecc_row {
	int line;
	uint32_t ecc;
	bool dmesg;
	size_t len;		/* bytes written */
	unsigned int nflip;
	uint16_t flip[10];	/* zone offsets */
	unsigned int corrected, bad;
} ecc_rows[] = {
	{ __LINE__, 16, false, 1000, 0, { 0 }, 0, 0 },
	{ __LINE__, 16, false, 1000, 8, { 268, 273, 285, 301, 332, 358, 368, 395 }, 8, 0 },
	{ __LINE__, 8, false, 1000, 4, { 268, 273, 285, 395 }, 4, 0 },
	{ __LINE__, 16, false, 1000, 8, { 0, 1, 5, 9, 4080, 4081, 4082, 4083 }, 8, 0 },
	{ __LINE__, 16, false, 1000, 8,
	  { 3632, 3633, 3634, 3635, 3636, 3637, 3638, 3639 }, 8, 0 },	/* parity of 1 */
	{ __LINE__, 16, false, 1000, 9,
	  { 268, 273, 285, 301, 332, 358, 368, 395, 300 }, 0, 1 },
	{ __LINE__, 8, false, 1000, 5, { 12, 20, 30, 40, 139 }, 0, 1 },
	{ __LINE__, 16, false, 1000, 3, { 12 + 20 * 128, 12 + 20 * 128 + 1, 3616 + 20 * 16 },
	  0, 0 },					/* past size */
	/* full zone, the last block (20 bytes at 3596, parity at 4064) */
	{ __LINE__, 16, false, 3604, 8, { 3596, 3600, 3605, 3615, 4064, 4067, 4073, 4079 },
	  8, 0 },
	/* two blocks */
	{ __LINE__, 16, false, 3604, 10, { 12, 13, 14, 15, 16, 140, 141, 142, 143, 144 },
	  10, 0 },
	/* dmesg: the header text is in block 0 */
	{ __LINE__, 16, true, 1000, 8, { 12, 13, 14, 15, 16, 17, 18, 19 }, 8, 0 },
	{ __LINE__, 8, true, 2000, 4, { 12, 100, 1500, 1600 }, 4, 0 },
};

START_TEST(test_ecc_records)
{
	const struct ecc_row *row = &ecc_rows[_i];
	const struct geo *g = geo_for(row->ecc);
	/* one dmesg zone at 0, console at 0x1000: both 4096 bytes */
	struct pstore_params p = P(0x2000, 0x1000, 0x1000, 0, 0, row->ecc, O61);
	uint8_t *region = region_new(0x2000), *text = malloc(row->len), *zone;
	static struct pstore_rs rs;
	struct pstore_records recs;
	struct pstore_layout l;
	struct mm_buf b;
	const char *why;
	char notice[96];
	unsigned int f;
	size_t k;

	ck_assert_ptr_nonnull(text);
	for (k = 0; k < row->len; k++)
		text[k] = (uint8_t)("abcdefghijklmnopqrstuvwxyz0123456789 \n"[k % 38]);
	layout_checked(row->line, &p, NULL, &l);
	ck_assert_int_eq(pstore_rs_init(&rs, row->ecc), 0);
	if (row->dmesg) {
		ck_assert_int_eq(pstore_write_dmesg(region, &l, &l.zones[0], &rs, 7, 8,
						    false, text, row->len), 0);
		zone = region;
	} else {
		ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[1], &rs, text,
						    row->len), 0);
		zone = region + 0x1000;
	}
	check_sealed(row->line, zone, g);
	for (f = 0; f < row->nflip; f++)
		zone[row->flip[f]] ^= 0xa5;

	ck_assert_int_eq(records_read_checked(row->line, region, 0x2000, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 1, "line %d: %zu records", row->line, recs.nr);
	ck_assert_msg(!strcmp(recs.r[0].name, row->dmesg ? "dmesg-ramoops-0" :
						 "console-ramoops-0") && recs.r[0].ecc,
		      "line %d: record %s", row->line, recs.r[0].name);
	ck_assert_msg(recs.r[0].corrected == row->corrected &&
		      recs.r[0].bad_blocks == row->bad,
		      "line %d: %u corrected, %u bad; want %u, %u", row->line,
		      recs.r[0].corrected, recs.r[0].bad_blocks, row->corrected,
		      row->bad);
	if (!row->bad)
		ck_assert_msg(recs.r[0].len == row->len &&
			      !memcmp(recs.r[0].text, text, row->len),
			      "line %d: text not restored", row->line);
	else
		ck_assert_msg(recs.r[0].len == row->len &&
			      memcmp(recs.r[0].text, text, row->len),
			      "line %d: an unrecoverable block came back clean", row->line);

	/* The notice, in the printout and in the file */
	if (row->corrected || row->bad)
		snprintf(notice, sizeof(notice),
			 "ECC: %u Corrected bytes, %u unrecoverable blocks\n",
			 row->corrected, row->bad);
	else
		snprintf(notice, sizeof(notice), "ECC: No errors detected\n");
	mm_buf_init(&b, TEST_ALLOC);
	pstore_record_print(&b, &recs.r[0]);
	ck_assert_msg(!b.rc && b.len > strlen(notice) &&
		      !strcmp(b.s + b.len - strlen(notice), notice),
		      "line %d: printout ends \"%s\"", row->line,
		      b.s ? b.s + (b.len > 60 ? b.len - 60 : 0) : "");
	b.len = 0;
	pstore_record_file(&b, &recs.r[0]);
	ck_assert_msg(!b.rc && b.len == row->len + 1 + strlen(notice) &&
		      b.s[row->len] == '\n' && !strcmp(b.s + row->len + 1, notice),
		      "line %d: file of %zu bytes", row->line, b.len);
	mm_buf_free(&b);
	pstore_records_free(&recs);
	pstore_layout_free(&l);
	free(text);
	free(region);
}
END_TEST

/* ---- records ----------------------------------------------------------------------- */

/*
 * Region 0x6000: dmesg 0, 1, 2 at 0, 0x1000, 0x2000; console 0x3000,
 * ftrace 0x4000, pmsg 0x5000 (6.1).  dmesg 1 holds a ring without a
 * "====" header (Linux skips and zaps it).  Linux's read order: dmesg,
 * console, pmsg, ftrace.
 */
static const char rec_d0[] = "first oops\n", rec_con[] = "console line\n",
		  rec_pmsg[] = "pmsg text";

static void ftrace_rec(uint8_t *p, uint64_t ip, uint64_t parent, uint64_t ts)
{
	int i;

	for (i = 0; i < 8; i++) {
		p[i] = (uint8_t)(ip >> (8 * i));
		p[8 + i] = (uint8_t)(parent >> (8 * i));
		p[16 + i] = (uint8_t)(ts >> (8 * i));
	}
}

/*
 * A ring of 58 bytes (start 0, size 58): 10 stray bytes, then two struct
 * pstore_ftrace_record of 64-bit Linux.  pstore_ftrace_combine_log()
 * starts the records at 58 % 24 = 10: in a wrapped ring the oldest bytes
 * are the tail of a record partly overwritten.
 */
static void ftrace_zone(uint8_t *zone, uint32_t ecc)
{
	memset(zone + 12, 0xee, 10);
	ftrace_rec(zone + 12 + 10, 0xffffffff81234567ULL, 0xffffffff81000010ULL,
		   (123456ULL << 8) | 3);
	ftrace_rec(zone + 12 + 34, 0x1000, 0x20, 7ULL << 8);
	set_header(zone, SIG_FTRACE, 0, 58);
	seal_zone(zone, geo_for(ecc));
}

static char *rec_comp_text(size_t *n)
{
	static char t[64 * 20 + 1];
	size_t i;

	for (i = 0, t[0] = '\0'; i < 20; i++)
		strcat(t, "compressed oops: the same line again and again\n");
	*n = strlen(t);
	return t;
}

static uint8_t *records_region(uint32_t ecc, struct pstore_params *p)
{
	struct pstore_params q = P(0x6000, 0x1000, 0x1000, 0x1000, 0x1000, ecc, O61);
	uint8_t *region = region_new(0x6000), *z;
	static struct pstore_rs rs;
	struct pstore_layout l;
	size_t tn, zn;
	char *t = rec_comp_text(&tn);

	*p = q;
	layout_checked(__LINE__, p, NULL, &l);
	if (ecc)
		ck_assert_int_eq(pstore_rs_init(&rs, ecc), 0);
	ck_assert_int_eq(pstore_write_dmesg(region, &l, &l.zones[0], ecc ? &rs : NULL,
					    100, 5, false, rec_d0, sizeof(rec_d0) - 1), 0);
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[1], ecc ? &rs : NULL,
					    "no header here\n", 15), 0);
	z = raw_deflate(t, tn, &zn);
	ck_assert_int_eq(pstore_write_dmesg(region, &l, &l.zones[2], ecc ? &rs : NULL,
					    200, 999999, true, z, zn), 0);
	free(z);
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[3], ecc ? &rs : NULL,
					    rec_con, sizeof(rec_con) - 1), 0);
	ftrace_zone(region + 0x4000, ecc);
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[5], ecc ? &rs : NULL,
					    rec_pmsg, sizeof(rec_pmsg) - 1), 0);
	ck_assert_uint_eq(l.zones[4].type, FTR);
	ck_assert_uint_eq(l.zones[5].type, PMSG);
	pstore_layout_free(&l);
	return region;
}

static const uint32_t records_ecc[] = { 0, 16, 8 };

START_TEST(test_records)
{
	static const char *const names[] = {
		"dmesg-ramoops-0", "dmesg-ramoops-2", "console-ramoops-0",
		"pmsg-ramoops-0", "ftrace-ramoops-0",
	};
	_Static_assert(ARRAY_SIZE(names) == 5, "five records in records_region()");
	uint32_t ecc = records_ecc[_i];
	struct pstore_params p;
	uint8_t *region = records_region(ecc, &p);
	struct pstore_records recs;
	const char *why = NULL;
	size_t i, tn;
	char *t = rec_comp_text(&tn);

	ck_assert_int_eq(records_read_checked(__LINE__, region, 0x6000, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 5, "ecc %u: %zu records", ecc, recs.nr);
	for (i = 0; i < 5; i++) {
		ck_assert_msg(!strcmp(recs.r[i].name, names[i]),
			      "ecc %u: record %zu is %s, want %s", ecc, i,
			      recs.r[i].name, names[i]);
		ck_assert_msg(recs.r[i].ecc == (ecc != 0) && !recs.r[i].corrected &&
			      !recs.r[i].bad_blocks && !recs.r[i].note,
			      "ecc %u: %s: ecc %d, %u/%u", ecc, names[i],
			      recs.r[i].ecc, recs.r[i].corrected, recs.r[i].bad_blocks);
		ck_assert_msg(recs.r[i].has_time == (i < 2), "ecc %u: %s: has_time",
			      ecc, names[i]);
	}
	ck_assert(recs.r[0].sec == 100 && recs.r[0].usec == 5 && !recs.r[0].compressed);
	ck_assert(recs.r[0].len == sizeof(rec_d0) - 1 &&
		  !memcmp(recs.r[0].text, rec_d0, recs.r[0].len));
	ck_assert(recs.r[1].sec == 200 && recs.r[1].usec == 999999 && recs.r[1].compressed);
	ck_assert_msg(recs.r[1].len == tn && !memcmp(recs.r[1].text, t, tn),
		      "ecc %u: 'C' record: %zu bytes, want %zu inflated", ecc,
		      recs.r[1].len, tn);
	ck_assert(recs.r[2].len == sizeof(rec_con) - 1 &&
		  !memcmp(recs.r[2].text, rec_con, recs.r[2].len));
	ck_assert(recs.r[3].len == sizeof(rec_pmsg) - 1 &&
		  !memcmp(recs.r[3].text, rec_pmsg, recs.r[3].len));
	ck_assert(recs.r[4].zone.type == FTR && recs.r[4].zone.off == 0x4000);
	pstore_records_free(&recs);
	free(region);
}
END_TEST

/*
 * pstore_ftrace_seq_show(): "CPU:%d ts:%llu %08lx  %08lx  %ps <- %pS\n"
 * with CPU ts & 0xff and ts >> 8 (64-bit x86); without the symbols
 * (they need the kernel's symbol table) that is
 * "CPU:%d ts:%llu %08lx  %08lx\n": hex without "0x".  The leading
 * size % 24 bytes are not shown (6.1's pstore_ftrace_combine_log():
 * src_off = src_log_size % record_size; srec = src_log + src_off).
 */
START_TEST(test_records_ftrace_text)
{
	static const char want[] =
		"CPU:3 ts:123456 ffffffff81234567  ffffffff81000010\n"
		"CPU:0 ts:7 00001000  00000020\n";
	struct pstore_params p;
	uint8_t *region = records_region(0, &p);
	struct pstore_records recs;
	const char *why = NULL;

	char got[256];
	bool ok;

	ck_assert_int_eq(records_read_checked(__LINE__, region, 0x6000, &p, &recs,
					      &why), 0);
	ck_assert_uint_eq(recs.nr, 5);
	ck_assert_str_eq(recs.r[4].name, "ftrace-ramoops-0");
	ok = recs.r[4].len == sizeof(want) - 1 &&
	     !memcmp(recs.r[4].text, want, sizeof(want) - 1);
	snprintf(got, sizeof(got), "%.*s", (int)recs.r[4].len,
		 (const char *)recs.r[4].text);
	pstore_records_free(&recs);
	free(region);
	ck_assert_msg(ok, "ftrace text \"%s\", want \"%s\"", got, want);
}
END_TEST

/*
 * Per-CPU ftrace zones as Linux 6.1 fills and reads them, byte for byte.
 * Region 0x200, ftrace only, 4 CPUs (the module parameters set
 * RAMOOPS_FLAG_FTRACE_PER_CPU): ramoops_init_przs("ftrace", 0x200, -1,
 * cnt 4) gives zones of 0x80 at 0, 0x80, 0x100, 0x180; buffer_size
 * 0x80 - 12 = 116, and 116 % 24 = 20.
 *
 * pstore_ftrace_call() stamps each record from one global counter
 * (pstore_ftrace_stamp++, not atomic: two CPUs can take the same value),
 * ts = stamp << 8 | cpu, and ramoops_pstore_write() appends its 24 bytes
 * to the CPU's zone with persistent_ram_write():
 *   CPU 0: stamps 1 3 6 8 9 11 13: 168 bytes, wrapped (the 5th record
 *          split at the end of the ring): start 52, size 116; old_log
 *          = bytes 52..168 written; skip 20: records 3..6 = 8 9 11 13
 *   CPU 1: stamps 2 4 7 9 11 12: 144 bytes: start 28, size 116; skip 20:
 *          records 2..5 = 7 9 11 12
 *   CPU 2: stamps 5 12: 48 bytes, not wrapped: start 48, size 48; skip 0
 *   CPU 3: nothing (an empty zone: ramoops_get_next_prz() skips it)
 * ramoops_pstore_read() merges CPU 0, 1, 2, 3 in turn with
 * pstore_ftrace_combine_log(): "if (ts(drec) < ts(srec)) take drec, else
 * take srec", so on a tie the record of the zone merged later (srec)
 * comes first: CPU 1's 9 and 11 before CPU 0's, CPU 2's 12 before
 * CPU 1's.  The one record is ftrace-ramoops-0 (record->id = 0), also
 * when CPU 0's zone is empty.
 */
struct fev {
	uint8_t cpu;
	uint8_t stamp;
};

static const struct fev fwrap_events[] = {
	{ 0, 1 }, { 1, 2 }, { 0, 3 }, { 1, 4 }, { 2, 5 }, { 0, 6 }, { 1, 7 },
	{ 0, 8 }, { 1, 9 }, { 0, 9 }, { 0, 11 }, { 1, 11 }, { 1, 12 },
	{ 2, 12 }, { 0, 13 },
};

static const struct fwrap_row {
	int line;
	uint8_t cpus;		/* bit n: CPU n writes its events */
	size_t n;
	struct fev want[10];	/* the records shown, in order */
} fwrap_rows[] = {
	{ __LINE__, 0x7, 10, { { 2, 5 }, { 1, 7 }, { 0, 8 }, { 1, 9 }, { 0, 9 },
			       { 1, 11 }, { 0, 11 }, { 2, 12 }, { 1, 12 }, { 0, 13 } } },
	/* CPU 0 empty: still ftrace-ramoops-0 */
	{ __LINE__, 0x6, 6, { { 2, 5 }, { 1, 7 }, { 1, 9 }, { 1, 11 }, { 2, 12 },
			      { 1, 12 } } },
};

/* The record pstore_ftrace_call() writes for @e */
static void fwrap_rec(uint8_t *p, const struct fev *e)
{
	ftrace_rec(p, 0xffffffff81000000ULL | (uint64_t)e->cpu << 12 |
		      (uint64_t)e->stamp << 4,
		   0xffffffff82000000ULL + e->stamp,
		   (uint64_t)e->stamp << 8 | e->cpu);
}

/*
 * persistent_ram_write() without ECC: buffer_size_add() (size grows to
 * buffer_size, then stays), buffer_start_add() (start moves on, wrapping
 * at buffer_size; the old start is returned), then the bytes at the old
 * start, split when rem = buffer_size - start < c.
 */
static void ram_write(uint8_t *zone, uint32_t cap, const uint8_t *s, uint32_t c)
{
	uint32_t start = get_le32(zone + 4), size = get_le32(zone + 8);
	uint32_t next = start + c, rem = cap - start;

	if (size != cap)
		size = size + c > cap ? cap : size + c;
	while (next >= cap)
		next -= cap;
	put_le32(zone + 4, next);
	put_le32(zone + 8, size);
	if (rem < c) {
		memcpy(zone + 12 + start, s, rem);
		s += rem;
		c -= rem;
		start = 0;
	}
	memcpy(zone + 12 + start, s, c);
}

START_TEST(test_records_ftrace_wrap)
{
	static const uint32_t want_start[4] = { 52, 28, 48, 0 };
	static const uint32_t want_size[4] = { 116, 116, 48, 0 };
	const struct fwrap_row *row = &fwrap_rows[_i];
	struct pstore_params p = P(0x200, 0, 0, 0x200, 0, 0, O61);
	uint8_t *region = region_new(0x200), rec[24];
	struct pstore_records recs;
	struct pstore_layout l;
	struct mm_buf want;
	const char *why = NULL;
	size_t i;
	char line[96];

	ck_assert(row->n <= ARRAY_SIZE(row->want));
	p.cpus = 4;
	layout_checked(row->line, &p, NULL, &l);
	ck_assert_uint_eq(l.nr, 4);
	for (i = 0; i < 4; i++)
		ck_assert_msg(l.zones[i].type == FTR && l.zones[i].id == i &&
			      l.zones[i].off == i * 0x80 && l.zones[i].size == 0x80,
			      "line %d: zone %zu", row->line, i);
	pstore_layout_free(&l);

	/* persistent_ram_post_init() on the first boot: sig set, zapped */
	for (i = 0; i < 4; i++)
		set_header(region + i * 0x80, SIG_FTRACE, 0, 0);
	for (i = 0; i < ARRAY_SIZE(fwrap_events); i++) {
		const struct fev *e = &fwrap_events[i];

		if (!(row->cpus >> e->cpu & 1))
			continue;
		fwrap_rec(rec, e);
		ram_write(region + e->cpu * 0x80, 116, rec, 24);
	}
	for (i = 0; i < 4; i++) {
		bool on = row->cpus >> i & 1;

		ck_assert_msg(get_le32(region + i * 0x80 + 4) == (on ? want_start[i] : 0) &&
			      get_le32(region + i * 0x80 + 8) == (on ? want_size[i] : 0),
			      "line %d: CPU %zu: start %u size %u", row->line, i,
			      get_le32(region + i * 0x80 + 4),
			      get_le32(region + i * 0x80 + 8));
	}

	mm_buf_init(&want, TEST_ALLOC);
	for (i = 0; i < row->n; i++) {
		const struct fev *e = &row->want[i];

		snprintf(line, sizeof(line), "CPU:%u ts:%u %08llx  %08llx\n",
			 e->cpu, e->stamp,
			 0xffffffff81000000ULL | (unsigned long long)e->cpu << 12 |
			 (unsigned long long)e->stamp << 4,
			 0xffffffff82000000ULL + e->stamp);
		mm_buf_puts(&want, line);
	}
	ck_assert_int_eq(want.rc, 0);
	ck_assert_int_eq(records_read_checked(row->line, region, 0x200, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 1, "line %d: %zu records", row->line, recs.nr);
	ck_assert_str_eq(recs.r[0].name, "ftrace-ramoops-0");
	ck_assert_msg(recs.r[0].len == want.len &&
		      !memcmp(recs.r[0].text, want.s, want.len),
		      "line %d: ftrace text\n%.*s\nwant\n%s", row->line,
		      (int)recs.r[0].len, (const char *)recs.r[0].text, want.s);
	mm_buf_free(&want);
	pstore_records_free(&recs);
	free(region);
}
END_TEST

/*
 * dmesg zones Linux skips: no "====" header, or one sscanf refuses; and
 * 'C' records that do not inflate, kept raw as NAME.enc.z with a note
 */
static const struct dskip_row {
	int line;
	const char *ring;	/* dmesg zone 0's ring */
	size_t n;		/* 0: strlen */
	const char *name;	/* NULL: no record */
	size_t body_off;	/* where the file's text starts in the ring */
	bool note;
} dskip_rows[] = {
	{ __LINE__, "no header\n", 0, NULL, 0, false },
	{ __LINE__, "=== 5.000001-D\nOops\n", 0, NULL, 0, false },
	{ __LINE__, "====garbage-D\nOops\n", 0, NULL, 0, false },
	{ __LINE__, "\0\0\0\0", 4, NULL, 0, false },
	{ __LINE__, "====5.000001-D\nOops\n", 0, "dmesg-ramoops-0", 15, false },
	{ __LINE__, "====5.000001\nold header\n", 0, "dmesg-ramoops-0", 13, false },
	{ __LINE__, "====5.000001-C\nthis is not deflate", 0, "dmesg-ramoops-0.enc.z", 15, true },
	/* "hello hello hello\n" raw-deflated (11 bytes), cut after 7 */
	{ __LINE__, "====5.000001-C\n\xcb\x48\xcd\xc9\xc9\x57\xc8", 22,
	  "dmesg-ramoops-0.enc.z", 15, true },
	/* the same, zlib-wrapped (17 bytes) */
	{ __LINE__, "====5.000001-C\n\x78\x9c\xcb\x48\xcd\xc9\xc9\x57\xc8\x40\x90\x5c\x00\x40\xb5\x06\x87",
	  32, "dmesg-ramoops-0.enc.z", 15, true },
};

START_TEST(test_records_dmesg_skip)
{
	const struct dskip_row *row = &dskip_rows[_i];
	struct pstore_params p = P(0x2000, 0x1000, 0x1000, 0, 0, 0, O61);
	size_t n = row->n ? row->n : strlen(row->ring);
	uint8_t *region = region_new(0x2000);
	struct pstore_records recs;
	const char *why = NULL;
	struct mm_buf b;

	memcpy(region + 12, row->ring, n);
	set_header(region, PRS, (uint32_t)n, (uint32_t)n);
	memcpy(region + 0x1000 + 12, "con", 3);
	set_header(region + 0x1000, PRS, 3, 3);
	ck_assert_int_eq(records_read_checked(row->line, region, 0x2000, &p, &recs,
					      &why), 0);
	if (!row->name) {
		ck_assert_msg(recs.nr == 1 && !strcmp(recs.r[0].name, "console-ramoops-0"),
			      "line %d: %zu records, the first %s", row->line, recs.nr,
			      recs.nr ? recs.r[0].name : "-");
	} else {
		ck_assert_msg(recs.nr == 2 && !strcmp(recs.r[0].name, row->name) &&
			      !strcmp(recs.r[1].name, "console-ramoops-0"),
			      "line %d: %zu records, the first %s", row->line, recs.nr,
			      recs.nr ? recs.r[0].name : "-");
		ck_assert_msg(recs.r[0].len == n - row->body_off &&
			      !memcmp(recs.r[0].text, row->ring + row->body_off,
				      n - row->body_off),
			      "line %d: text of %zu bytes", row->line, recs.r[0].len);
		ck_assert_msg(!!recs.r[0].note == row->note, "line %d: note %s",
			      row->line, recs.r[0].note ? recs.r[0].note : "-");
		if (row->note) {
			mm_buf_init(&b, TEST_ALLOC);
			pstore_record_print(&b, &recs.r[0]);
			ck_assert_msg(!b.rc && strstr(b.s, ".enc.z: compressed record kept raw: ") &&
				      strstr(b.s, recs.r[0].note),
				      "line %d: printed \"%s\"", row->line, b.s);
			mm_buf_free(&b);
		}
	}
	pstore_records_free(&recs);
	free(region);
}
END_TEST

/*
 * AUTO with a region Linux 6.2 wrote: pmsg at 0x2000 with its text,
 * ftrace at 0x3000 with 6.1.192's signature; the 6.1 order finds
 * neither zone valid.
 */
START_TEST(test_records_auto)
{
	struct pstore_params p = P(0x4000, 0x1000, 0x1000, 0x1000, 0x1000, 0, O62);
	uint8_t *region = region_new(0x4000);
	struct pstore_records recs;
	struct pstore_layout l;
	const char *why = NULL;

	layout_checked(__LINE__, &p, NULL, &l);
	ck_assert_int_eq(pstore_zone_append(region, &l, &l.zones[zone_index(&l, PMSG, 0)],
					    NULL, "six-two pmsg", 12), 0);
	ck_assert_uint_eq(l.zones[zone_index(&l, PMSG, 0)].off, 0x2000);
	set_header(region + 0x3000, SIG_FTRACE, 0, 0);
	pstore_layout_free(&l);

	p.order = O_AUTO;
	ck_assert_int_eq(records_read_checked(__LINE__, region, 0x4000, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 1 && !strcmp(recs.r[0].name, "pmsg-ramoops-0") &&
		      recs.r[0].len == 12 && !memcmp(recs.r[0].text, "six-two pmsg", 12),
		      "AUTO: %zu records", recs.nr);
	ck_assert_int_eq(recs.layout.order, O62);
	pstore_records_free(&recs);

	p.order = O61;
	ck_assert_int_eq(records_read_checked(__LINE__, region, 0x4000, &p, &recs,
					      &why), 0);
	ck_assert_msg(recs.nr == 0, "6.1: %zu records", recs.nr);
	pstore_records_free(&recs);
	free(region);
}
END_TEST

START_TEST(test_records_short_region)
{
	struct pstore_params p = P(0x2000, 0x1000, 0x1000, 0, 0, 0, O61);
	uint8_t *region = region_new(0x2000);
	struct track_alloc_ctx c = TRACK_ALLOC_INIT(-1);
	struct mm_alloc a = { track_realloc, &c };
	struct pstore_records recs;
	const char *why = NULL;

	ck_assert_int_eq(pstore_records_read(region, 0x1fff, &p, &a, &recs, &why),
			 -MM_EINVAL);
	ck_assert_msg(why && *why, "no reason");
	ck_assert_int_eq(pstore_records_read(region, 0, &p, &a, &recs, &why),
			 -MM_EINVAL);
	ck_assert_uint_eq(track_release(&c), 0);
	free(region);
}
END_TEST

/* Every allocation failing in turn: -MM_ENOMEM and nothing left */
START_TEST(test_records_enomem)
{
	struct pstore_params p;
	uint8_t *region = records_region(16, &p), *copy = dup_bytes(region, 0x6000);
	char lines[256] = "";
	size_t len = 0;
	long left;
	int rc = -MM_ENOMEM, nbad = 0;

	for (left = 0; left < 400 && rc; left++) {
		struct track_alloc_ctx c = TRACK_ALLOC_INIT(left);
		struct mm_alloc a = { track_realloc, &c };
		struct pstore_records recs;
		const char *why = NULL;
		size_t leaked;

		rc = pstore_records_read(region, 0x6000, &p, &a, &recs, &why);
		ck_assert_msg(!memcmp(copy, region, 0x6000),
			      "%ld allocations: the region changed", left);
		if (!rc) {
			ck_assert_msg(recs.nr == 5, "after %ld allocations: %zu records",
				      left, recs.nr);
			pstore_records_free(&recs);
		} else {
			ck_assert_msg(rc == -MM_ENOMEM, "%ld allocations: returned %d (%s)",
				      left, rc, why ? why : "-");
		}
		leaked = track_release(&c);
		if (leaked && len + 16 < sizeof(lines)) {
			len += (size_t)snprintf(lines + len, sizeof(lines) - len,
						" %ld(%zu)", left, leaked);
			nbad++;
		}
	}
	free(copy);
	free(region);
	ck_assert_msg(!rc, "no success with up to 400 allocations");
	ck_assert_msg(!nbad, "%d failing allocations leave blocks; allowed(leaked):%s",
		      nbad, lines);
}
END_TEST

/* pstore_record_show: a record is a handful of lines whatever its size */
static const struct {
	int line;
	const char *text;
	enum pstore_show how;
	const char *want;	/* after the header line */
} show_rows[] = {
	{ __LINE__, "Panic#1 Part1\n<6>[ 1.0] a\n<0>[ 3.1] Kernel panic - not syncing: sysrq triggered crash\n<4>[ 3.2] CPU: 0\n",
	  PSTORE_SHOW_SUMMARY, "<0>[ 3.1] Kernel panic - not syncing: sysrq triggered crash\n" },
	{ __LINE__, "Oops#1 Part1\n<4>[ 2.0] BUG: kernel NULL pointer dereference, address: 0\n<4>[ 2.0] Oops: 0000 [#1] SMP\n",
	  PSTORE_SHOW_SUMMARY, "<4>[ 2.0] BUG: kernel NULL pointer dereference, address: 0\n" },
	/* no reason line: the header alone; a last line without a newline */
	{ __LINE__, "Panic#1 Part1\nnothing here", PSTORE_SHOW_SUMMARY, "" },
	{ __LINE__, "a\nb\nKernel panic - not syncing: x", PSTORE_SHOW_SUMMARY,
	  "Kernel panic - not syncing: x\n" },
	/* tail: the reason, then the last lines after it, "..." when some are left out */
	{ __LINE__, "a\nKernel panic - not syncing: x\nc\nd\n", PSTORE_SHOW_TAIL,
	  "Kernel panic - not syncing: x\nc\nd\n" },
	{ __LINE__, "a\nb\n", PSTORE_SHOW_TAIL, "a\nb\n" },
	{ __LINE__, "Kernel panic - not syncing: x\n", PSTORE_SHOW_TAIL,
	  "Kernel panic - not syncing: x\n" },
	{ __LINE__, "a\x01" "b\n", PSTORE_SHOW_ALL, "a\\x01b\n" },
	/* header: none of the text (the pmsg log) */
	{ __LINE__, "a\nKernel panic - not syncing: x\nc\n", PSTORE_SHOW_HEADER, "" },
};

START_TEST(test_record_show)
{
	struct pstore_record r = { .name = "dmesg-ramoops-0" };
	struct mm_buf b;
	const char *nl;

	r.text = (uint8_t *)show_rows[_i].text;
	r.len = strlen(show_rows[_i].text);
	mm_buf_init(&b, TEST_ALLOC);
	pstore_record_show(&b, &r, show_rows[_i].how);
	ck_assert_int_eq(b.rc, 0);
	nl = strchr(b.s, '\n');
	ck_assert_msg(nl && !strncmp(b.s, "pstore: dmesg-ramoops-0 (", 25) &&
		      !strcmp(nl + 1, show_rows[_i].want),
		      "line %d: got \"%s\"", show_rows[_i].line, b.s);
	mm_buf_free(&b);
}
END_TEST

/* tail of a long record: "...", then exactly the last 50 lines */
START_TEST(test_record_show_tail)
{
	struct pstore_record r = { .name = "dmesg-ramoops-0" };
	char text[2000], *p = text;
	struct mm_buf b;
	size_t i, lines = 0;

	p += sprintf(p, "Kernel panic - not syncing: x\n");
	for (i = 0; i < 80; i++)
		p += sprintf(p, "l%zu\n", i);
	r.text = (uint8_t *)text;
	r.len = (size_t)(p - text);
	mm_buf_init(&b, TEST_ALLOC);
	pstore_record_show(&b, &r, PSTORE_SHOW_TAIL);
	ck_assert_ptr_nonnull(strstr(b.s, "\nKernel panic - not syncing: x\n...\nl30\n"));
	ck_assert_ptr_null(strstr(b.s, "\nl29\n"));
	for (i = 0; i < b.len; i++)
		lines += b.s[i] == '\n';
	ck_assert_uint_eq(lines, 1 + 1 + 1 + PSTORE_TAIL_LINES);
	mm_buf_free(&b);
}
END_TEST

/*
 * pstore_log_fit: the report cut to the pmsg zone's capacity, the map
 * first, then lines from the end, a line saying which
 */
#define MAP "BIOS-provided physical RAM map:\nBIOS-e820: [mem 0x0-0xfff] usable\n" \
	    "user-defined physical RAM map:\nuser: [mem 0x0-0xfff] usable\n"
#define NOMAP "memmap: the map is left out: the pmsg zone is too small\n"
#define CUT "memmap: the rest is left out: the pmsg zone is too small\n"
#define REST "named: x [mem 0x1000-0x1fff]\ncmdline: memmap=0x1000$0x1000\npstore: dmesg-ramoops-0 (9 bytes)\n"
static const struct {
	int line;
	const char *in;
	size_t cap;
	const char *want;
} fit_rows[] = {
	{ __LINE__, MAP REST, sizeof(MAP REST) - 1, MAP REST },
	{ __LINE__, MAP REST, sizeof(MAP REST) - 2, NOMAP REST },
	{ __LINE__, MAP REST, sizeof(NOMAP REST) - 1, NOMAP REST },
	/* then whole lines from the end, the note fitting after them */
	{ __LINE__, MAP REST, sizeof(NOMAP REST) - 2,
	  NOMAP "named: x [mem 0x1000-0x1fff]\n" CUT },
	{ __LINE__, REST, sizeof(CUT) + 28, "named: x [mem 0x1000-0x1fff]\n" CUT },
	{ __LINE__, REST, sizeof(CUT) + 27, CUT },
	/* less than the note: lines only, or nothing */
	{ __LINE__, REST, 40, "named: x [mem 0x1000-0x1fff]\n" },
	{ __LINE__, REST, 10, "" },
	{ __LINE__, REST, 0, "" },
};

START_TEST(test_log_fit)
{
	struct mm_buf b;

	mm_buf_init(&b, TEST_ALLOC);
	mm_buf_puts(&b, fit_rows[_i].in);
	pstore_log_fit(&b, fit_rows[_i].cap);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(b.len <= fit_rows[_i].cap || b.len == strlen(fit_rows[_i].in),
		      "line %d: %zu bytes", fit_rows[_i].line, b.len);
	ck_assert_msg(b.len == strlen(fit_rows[_i].want) &&
		      !memcmp(b.s ? b.s : "", fit_rows[_i].want, b.len),
		      "line %d: got \"%.*s\"", fit_rows[_i].line, (int)b.len,
		      b.s ? b.s : "");
	mm_buf_free(&b);
}
END_TEST

/*
 * pstore_check gives pstore_layout's answer and reason for any sizes
 * (a differential test over a fixed random sequence), and checks a
 * region of a terabyte without a zone array for it
 */
START_TEST(test_check_like_layout)
{
	static const uint64_t sizes[] = { 0, 1, 12, 13, 100, 200, 256, 4096,
					  0x1000 + 1, 0x4000, 0x100000, 0x10000000,
					  0x100000000ULL, 0x200000000ULL };
	uint64_t s = 0x5157;
	struct pstore_params p;
	struct pstore_layout l;
	const char *w1, *w2;
	int i, r1, r2;

	for (i = 0; i < 20000; i++) {
		memset(&p, 0, sizeof(p));
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		p.mem_size = sizes[(s >> 33) % ARRAY_SIZE(sizes)] * (1 + (s >> 60) % 3);
		p.record_size = sizes[(s >> 20) % ARRAY_SIZE(sizes)];
		p.console_size = sizes[(s >> 24) % ARRAY_SIZE(sizes)];
		p.ftrace_size = sizes[(s >> 28) % ARRAY_SIZE(sizes)];
		p.pmsg_size = sizes[(s >> 40) % ARRAY_SIZE(sizes)];
		p.ecc = (s >> 44) % 4 == 0 ? (uint32_t)((s >> 48) % 140) : 0;
		p.order = PSTORE_ORDER_61;
		p.cpus = 1 + (s >> 52) % 3;
		if (p.mem_size / (p.record_size ? p.record_size : 1) > 100000)
			continue;	/* pstore_layout would take too long */
		r1 = pstore_layout(&p, NULL, &l, TEST_ALLOC, &w1);
		if (!r1)
			pstore_layout_free(&l);
		r2 = pstore_check(&p, TEST_ALLOC, &w2);
		ck_assert_msg(r1 == r2 && (r1 ? !strcmp(w1, w2) : 1),
			      "mem %llu rec %llu con %llu ftr %llu pmsg %llu ecc %u: "
			      "layout %d (%s), check %d (%s)",
			      (unsigned long long)p.mem_size,
			      (unsigned long long)p.record_size,
			      (unsigned long long)p.console_size,
			      (unsigned long long)p.ftrace_size,
			      (unsigned long long)p.pmsg_size, p.ecc, r1,
			      r1 ? w1 : "", r2, r2 ? w2 : "");
	}
	memset(&p, 0, sizeof(p));
	p.mem_size = 1ULL << 40;
	p.record_size = p.console_size = p.ftrace_size = p.pmsg_size = 4096;
	p.cpus = 1;
	ck_assert_int_eq(pstore_check(&p, TEST_ALLOC, &w1), 0);
}
END_TEST

/* FNV-1a 64-bit test vectors */
START_TEST(test_hash)
{
	ck_assert_uint_eq(pstore_hash("", 0), 0xcbf29ce484222325ULL);
	ck_assert_uint_eq(pstore_hash("a", 1), 0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(pstore_hash("foobar", 6), 0x85944171f73967e8ULL);
}
END_TEST

Suite *pstore_suite(void)
{
	Suite *s = suite_create("pstore");
	TCase *tc;

	tc = tcase_create("layout");
	tcase_add_loop_test(tc, test_layout, 0, ARRAY_SIZE(layout_rows));
	tcase_add_loop_test(tc, test_record_show, 0, ARRAY_SIZE(show_rows));
	tcase_add_test(tc, test_record_show_tail);
	tcase_add_loop_test(tc, test_log_fit, 0, ARRAY_SIZE(fit_rows));
	tcase_add_test(tc, test_check_like_layout);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_layout_error_frees);
	tcase_add_loop_test(tc, test_layout_ecc_bound, 0, ARRAY_SIZE(eccb_rows));
	tcase_add_loop_test(tc, test_layout_auto, 0, ARRAY_SIZE(auto_rows));
	tcase_add_loop_test(tc, test_layout_tiny_tail, 0, 8);
	suite_add_tcase(s, tc);

	tc = tcase_create("zone");
	tcase_add_loop_test(tc, test_zone_read, 0, ARRAY_SIZE(zread_rows));
	tcase_add_loop_test(tc, test_zone_read_ecc, 0, ARRAY_SIZE(ezread_rows));
	tcase_add_loop_test(tc, test_dmesg_header, 0, ARRAY_SIZE(hdr_rows));
	tcase_add_test(tc, test_dmesg_header_int64_min);
	tcase_add_loop_test(tc, test_ecc_notice, 0, ARRAY_SIZE(notice_rows));
	tcase_add_loop_test(tc, test_record_name, 0, ARRAY_SIZE(name_rows));
	tcase_add_loop_test(tc, test_record_print, 0, ARRAY_SIZE(print_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_loop_test(tc, test_append, 0, ARRAY_SIZE(append_rows));
	tcase_add_loop_test(tc, test_append_reset, 0, ARRAY_SIZE(reset_rows));
	tcase_add_test(tc, test_append_keeps_ecc);
	tcase_add_loop_test(tc, test_write_dmesg, 0, ARRAY_SIZE(dwrite_rows));
	tcase_add_test(tc, test_write_dmesg_fit);
	tcase_add_loop_test(tc, test_ecc_records, 0, ARRAY_SIZE(ecc_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_records, 0, ARRAY_SIZE(records_ecc));
	tcase_add_test(tc, test_records_ftrace_text);
	tcase_add_loop_test(tc, test_records_ftrace_wrap, 0, ARRAY_SIZE(fwrap_rows));
	tcase_add_loop_test(tc, test_records_dmesg_skip, 0, ARRAY_SIZE(dskip_rows));
	tcase_add_test(tc, test_records_auto);
	tcase_add_test(tc, test_records_short_region);
	tcase_add_test(tc, test_records_enomem);
	suite_add_tcase(s, tc);
	return s;
}
