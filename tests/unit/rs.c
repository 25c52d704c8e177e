/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pstore/rs: Reed-Solomon parity against libfec's encode_rs_char() for
 * every block length, correction up to nroots / 2 errors, and the same
 * outcome as libfec's decode_rs_char() past that limit.
 *
 * For tests.h and main.c:  Suite *rs_suite(void);
 */
#include <fec.h>

#include "tests.h"
#include "../../pstore/rs.h"

Suite *rs_suite(void);

/* libfec's codec for Linux's parameters and a block of @len data bytes */
static void *fec_open(unsigned int nroots, size_t len)
{
	void *h = init_rs_char(8, 0x11d, 0, 1, (int)nroots,
			       (int)(255 - nroots - len));

	ck_assert_msg(h, "init_rs_char(nroots %u, len %zu) failed", nroots, len);
	return h;
}

/* decode_rs_char() on data and parity, which it wants in one buffer */
static int fec_decode(void *h, unsigned int nroots, uint8_t *data, size_t len,
		      uint8_t *parity)
{
	uint8_t buf[255];
	int rc;

	memcpy(buf, data, len);
	memcpy(buf + len, parity, nroots);
	rc = decode_rs_char(h, buf, NULL, 0);
	memcpy(data, buf, len);
	memcpy(parity, buf + len, nroots);
	return rc < 0 ? -MM_EBADMSG : rc;
}

/*
 * Put @nerr errors (distinct positions, non-zero values) into the block:
 * positions from [lo, hi) of data followed by parity.
 */
static void add_errors(uint64_t *s, uint8_t *data, size_t len, uint8_t *parity,
		       unsigned int nerr, unsigned int lo, unsigned int hi)
{
	bool hit[255] = { false };
	unsigned int k, pos;

	ck_assert_uint_le(nerr, hi - lo);
	for (k = 0; k < nerr; k++) {
		do
			pos = lo + rnd_below(s, hi - lo);
		while (hit[pos]);
		hit[pos] = true;
		if (pos < len)
			data[pos] ^= (uint8_t)(1 + rnd_below(s, 255));
		else
			parity[pos - len] ^= (uint8_t)(1 + rnd_below(s, 255));
	}
}

/* ---- init ------------------------------------------------------------------ */

static const struct {
	int line;
	unsigned int nroots;
	int rc;
} init_rows[] = {
	{ __LINE__, 0, -MM_EINVAL },
	{ __LINE__, 1, 0 },
	{ __LINE__, 16, 0 },
	{ __LINE__, 32, 0 },		/* largest with one table row per byte */
	{ __LINE__, 33, 0 },
	{ __LINE__, 254, 0 },
	{ __LINE__, 255, -MM_EINVAL },
	{ __LINE__, 256, -MM_EINVAL },
	{ __LINE__, UINT32_MAX, -MM_EINVAL },
};

START_TEST(test_init)
{
	static struct pstore_rs rs;
	int rc = pstore_rs_init(&rs, init_rows[_i].nroots);

	ck_assert_msg(rc == init_rows[_i].rc, "line %d: returned %d, want %d",
		      init_rows[_i].line, rc, init_rows[_i].rc);
	if (!rc)
		ck_assert_uint_eq(rs.nroots, init_rows[_i].nroots);
}
END_TEST

/* g(x) for small nroots, lowest coefficient first, worked out by hand */
START_TEST(test_genpoly)
{
	static struct pstore_rs rs;

	/* x + 1 */
	ck_assert_int_eq(pstore_rs_init(&rs, 1), 0);
	ck_assert_uint_eq(rs.genpoly[0], 1);
	ck_assert_uint_eq(rs.genpoly[1], 1);
	/* (x + 1)(x + 2) = x^2 + 3x + 2 */
	ck_assert_int_eq(pstore_rs_init(&rs, 2), 0);
	ck_assert_uint_eq(rs.genpoly[0], 2);
	ck_assert_uint_eq(rs.genpoly[1], 3);
	ck_assert_uint_eq(rs.genpoly[2], 1);
	/* alpha^8 = 0x11d - 0x100 */
	ck_assert_uint_eq(rs.alpha_to[8], 0x1d);
	ck_assert_uint_eq(rs.index_of[0x1d], 8);
	ck_assert_uint_eq(rs.alpha_to[254], 0x8e);	/* alpha^-1 */
}
END_TEST

/* ---- parity ------------------------------------------------------------------ */

/* Every block length 1..255-nroots, random and all-ones data */
static const struct {
	int line;
	unsigned int nroots;
	uint64_t seed;
} parity_rows[] = {
	{ __LINE__, 8, 1 },
	{ __LINE__, 16, 2 },		/* ramoops' default */
	{ __LINE__, 32, 3 },
	{ __LINE__, 1, 4 },
	{ __LINE__, 2, 5 },
	{ __LINE__, 7, 6 },		/* up to 8: one word, 4 bytes a step */
	{ __LINE__, 9, 12 },		/* up to 16: two words, 2 bytes a step */
	{ __LINE__, 17, 13 },		/* up to 32: a byte a step */
	{ __LINE__, 24, 7 },
	{ __LINE__, 33, 8 },		/* nibble tables from here on */
	{ __LINE__, 100, 9 },
	{ __LINE__, 253, 10 },
	{ __LINE__, 254, 11 },
};

START_TEST(test_parity)
{
	static struct pstore_rs rs;
	unsigned int n = parity_rows[_i].nroots, pat;
	uint64_t s = parity_rows[_i].seed;
	uint8_t data[255], par[254], ref[254];
	bool same, clean;
	size_t len;
	void *h;

	ck_assert_int_eq(pstore_rs_init(&rs, n), 0);
	for (len = 1; len + n <= 255; len++) {
		h = fec_open(n, len);
		for (pat = 0; pat < 2; pat++) {
			if (pat)
				memset(data, 0xff, len);
			else
				rnd_fill(&s, data, len);
			memset(par, 0xa5, n);
			pstore_rs_encode(&rs, data, len, par);
			encode_rs_char(h, data, ref);
			same = !memcmp(par, ref, n);
			/* A fresh codeword decodes clean */
			clean = pstore_rs_decode(&rs, data, len, par) == 0;
			if (!same || !clean)
				break;
		}
		free_rs_char(h);
		ck_assert_msg(same, "line %d: len %zu pattern %u: parity differs from libfec",
			      parity_rows[_i].line, len, pat);
		ck_assert_msg(clean, "line %d: len %zu pattern %u: codeword not clean",
			      parity_rows[_i].line, len, pat);
	}
}
END_TEST

/* The parity of nothing is zero, and so is the parity of zeros */
START_TEST(test_parity_zero)
{
	static struct pstore_rs rs;
	uint8_t data[255] = { 0 }, par[254];

	ck_assert_int_eq(pstore_rs_init(&rs, 16), 0);
	memset(par, 0xa5, sizeof(par));
	pstore_rs_encode(&rs, data, 0, par);
	ck_assert_msg(!memcmp(par, data, 16), "len 0: parity not zero");
	ck_assert_uint_eq(par[16], 0xa5);
	pstore_rs_encode(&rs, data, 239, par);
	ck_assert_msg(!memcmp(par, data, 16), "zeros: parity not zero");
}
END_TEST

/* ---- correction within the limit ----------------------------------------- */

enum zone { ANY, DATA, PARITY };

/* Blocks with 0..nroots/2 errors, cycling through the counts */
static const struct {
	int line;
	uint64_t seed;
	unsigned int nroots;
	size_t len;
	enum zone zone;
	unsigned int blocks;
} correct_rows[] = {
	{ __LINE__, 21, 16, 128, ANY, 400 },	/* a ramoops record block */
	{ __LINE__, 22, 16, 12, ANY, 200 },	/* ramoops' header block */
	{ __LINE__, 23, 16, 128, PARITY, 100 },
	{ __LINE__, 24, 16, 128, DATA, 100 },
	{ __LINE__, 25, 16, 239, ANY, 200 },	/* longest block */
	{ __LINE__, 26, 16, 1, ANY, 100 },
	{ __LINE__, 27, 16, 0, ANY, 100 },	/* parity only */
	{ __LINE__, 28, 8, 128, ANY, 200 },
	{ __LINE__, 29, 8, 247, ANY, 100 },
	{ __LINE__, 30, 32, 128, ANY, 200 },
	{ __LINE__, 31, 32, 223, PARITY, 50 },
	{ __LINE__, 32, 2, 100, ANY, 100 },
	{ __LINE__, 33, 3, 252, ANY, 100 },
	{ __LINE__, 34, 7, 64, ANY, 100 },
	{ __LINE__, 35, 1, 254, ANY, 10 },	/* corrects nothing */
	{ __LINE__, 36, 40, 200, ANY, 50 },
	{ __LINE__, 37, 254, 1, ANY, 20 },	/* up to 127 errors */
};

START_TEST(test_correct)
{
	static struct pstore_rs rs;
	unsigned int n = correct_rows[_i].nroots, t = n / 2, b, nerr, lo, hi;
	size_t len = correct_rows[_i].len;
	uint64_t s = correct_rows[_i].seed;
	uint8_t data[255], par[254], data0[255], par0[254];
	int rc;

	ck_assert_int_eq(pstore_rs_init(&rs, n), 0);
	lo = correct_rows[_i].zone == PARITY ? (unsigned int)len : 0;
	hi = (unsigned int)len + (correct_rows[_i].zone == DATA ? 0 : n);
	for (b = 0; b < correct_rows[_i].blocks; b++) {
		nerr = b % (t + 1);
		if (nerr > hi - lo)
			nerr = hi - lo;
		rnd_fill(&s, data0, len);
		pstore_rs_encode(&rs, data0, len, par0);
		memcpy(data, data0, len);
		memcpy(par, par0, n);
		add_errors(&s, data, len, par, nerr, lo, hi);
		rc = pstore_rs_decode(&rs, data, len, par);
		ck_assert_msg(rc == (int)nerr,
			      "line %d: block %u: %u errors, returned %d",
			      correct_rows[_i].line, b, nerr, rc);
		ck_assert_msg(!memcmp(data, data0, len) && !memcmp(par, par0, n),
			      "line %d: block %u: %u errors not restored",
			      correct_rows[_i].line, b, nerr);
	}
}
END_TEST

/* ---- past the limit: libfec's outcome --------------------------------------- */

/* nroots/2+1 .. nroots+4 errors, cycling; or whole random blocks */
static const struct {
	int line;
	uint64_t seed;
	unsigned int nroots;
	size_t len;
	bool garbage;
	unsigned int blocks;
} beyond_rows[] = {
	{ __LINE__, 41, 16, 128, false, 300 },
	{ __LINE__, 42, 16, 12, false, 300 },
	{ __LINE__, 43, 16, 239, false, 200 },
	{ __LINE__, 44, 16, 128, true, 100 },
	{ __LINE__, 45, 8, 128, false, 300 },
	{ __LINE__, 46, 8, 247, false, 200 },
	{ __LINE__, 47, 8, 4, true, 200 },
	{ __LINE__, 48, 32, 128, false, 150 },
	{ __LINE__, 49, 32, 223, false, 100 },
	{ __LINE__, 50, 1, 20, false, 300 },	/* miscorrects often */
	{ __LINE__, 51, 1, 254, false, 300 },
	{ __LINE__, 52, 2, 64, false, 300 },
	{ __LINE__, 53, 2, 253, true, 300 },
	{ __LINE__, 54, 3, 200, false, 300 },
	{ __LINE__, 55, 4, 8, true, 300 },
	{ __LINE__, 56, 7, 30, false, 300 },
	{ __LINE__, 57, 33, 100, false, 100 },
	{ __LINE__, 58, 254, 1, true, 20 },
	/* Where a correction most often fails to explain the syndromes */
	{ __LINE__, 59, 4, 251, false, 3000 },
	{ __LINE__, 60, 5, 250, false, 2000 },
};

START_TEST(test_beyond)
{
	static struct pstore_rs rs;
	unsigned int n = beyond_rows[_i].nroots, t = n / 2, b, nerr = 0, span;
	size_t len = beyond_rows[_i].len;
	uint64_t s = beyond_rows[_i].seed;
	uint8_t data[255], par[254], fdata[255], fpar[254];
	int rc = 0, frc = 0;
	bool same = true;
	void *h;

	ck_assert_int_eq(pstore_rs_init(&rs, n), 0);
	h = fec_open(n, len);
	span = (unsigned int)len + n;
	for (b = 0; b < beyond_rows[_i].blocks && same; b++) {
		rnd_fill(&s, data, len);
		pstore_rs_encode(&rs, data, len, par);
		if (beyond_rows[_i].garbage) {
			rnd_fill(&s, data, len);
			rnd_fill(&s, par, n);
			nerr = span;
		} else {
			nerr = t + 1 + b % (n + 4 - t);
			if (nerr > span)
				nerr = span;
			add_errors(&s, data, len, par, nerr, 0, span);
		}
		memcpy(fdata, data, len);
		memcpy(fpar, par, n);
		rc = pstore_rs_decode(&rs, data, len, par);
		frc = fec_decode(h, n, fdata, len, fpar);
		same = rc == frc && !memcmp(data, fdata, len) &&
		       !memcmp(par, fpar, n);
	}
	free_rs_char(h);
	ck_assert_msg(same, "line %d: block %u, %u errors: returned %d, libfec %d%s",
		      beyond_rows[_i].line, b - 1, nerr, rc, frc,
		      rc == frc ? ", bytes differ" : "");
}
END_TEST

/* A failed decode leaves the block as it was */
START_TEST(test_fail_unchanged)
{
	static struct pstore_rs rs;
	uint8_t data[128], par[16], data1[128], par1[16];
	uint64_t s = 61;
	unsigned int fails = 0, b;

	ck_assert_int_eq(pstore_rs_init(&rs, 16), 0);
	for (b = 0; b < 50; b++) {
		rnd_fill(&s, data, sizeof(data));
		pstore_rs_encode(&rs, data, sizeof(data), par);
		add_errors(&s, data, sizeof(data), par, 9 + b % 8, 0, 144);
		memcpy(data1, data, sizeof(data));
		memcpy(par1, par, sizeof(par));
		if (pstore_rs_decode(&rs, data, sizeof(data), par) != -MM_EBADMSG)
			continue;
		fails++;
		ck_assert_msg(!memcmp(data, data1, sizeof(data)) &&
			      !memcmp(par, par1, sizeof(par)),
			      "block %u: changed by a failed decode", b);
	}
	ck_assert_uint_gt(fails, 40);
}
END_TEST

/* ---- bad lengths ------------------------------------------------------------- */

static const struct {
	int line;
	unsigned int nroots;
	size_t len;
	int rc;
} len_rows[] = {
	{ __LINE__, 16, 239, 0 },
	{ __LINE__, 16, 240, -MM_EINVAL },
	{ __LINE__, 16, 255, -MM_EINVAL },
	{ __LINE__, 16, SIZE_MAX, -MM_EINVAL },
	{ __LINE__, 1, 254, 0 },
	{ __LINE__, 1, 255, -MM_EINVAL },
	{ __LINE__, 254, 0, 0 },
	{ __LINE__, 254, 1, 0 },
	{ __LINE__, 254, 2, -MM_EINVAL },
};

START_TEST(test_len)
{
	static struct pstore_rs rs;
	uint8_t data[256] = { 0 }, par[254] = { 0 };
	int rc;

	ck_assert_int_eq(pstore_rs_init(&rs, len_rows[_i].nroots), 0);
	/* Damaged, so that only the length check can return -MM_EINVAL */
	data[0] = par[0] = 1;
	rc = pstore_rs_decode(&rs, data, len_rows[_i].len, par);
	if (len_rows[_i].rc) {
		ck_assert_msg(rc == len_rows[_i].rc, "line %d: returned %d",
			      len_rows[_i].line, rc);
		ck_assert_msg(data[0] == 1 && par[0] == 1,
			      "line %d: block changed", len_rows[_i].line);
	} else {
		ck_assert_msg(rc != -MM_EINVAL, "line %d: returned %d",
			      len_rows[_i].line, rc);
	}
}
END_TEST

Suite *rs_suite(void)
{
	Suite *s = suite_create("rs");
	TCase *tc;

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, test_init, 0, ARRAY_SIZE(init_rows));
	tcase_add_test(tc, test_genpoly);
	tcase_add_loop_test(tc, test_parity, 0, ARRAY_SIZE(parity_rows));
	tcase_add_test(tc, test_parity_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_correct, 0, ARRAY_SIZE(correct_rows));
	tcase_add_loop_test(tc, test_beyond, 0, ARRAY_SIZE(beyond_rows));
	tcase_add_test(tc, test_fail_unchanged);
	tcase_add_loop_test(tc, test_len, 0, ARRAY_SIZE(len_rows));
	suite_add_tcase(s, tc);
	return s;
}
