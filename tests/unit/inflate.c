/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pstore/inflate: raw deflate written by zlib's own deflate at several
 * levels, window sizes and strategies round-trips exactly; truncated,
 * corrupt, zlib- or gzip-wrapped and empty streams fail cleanly (never a
 * hang, never a crash, nothing left allocated); the output bound (64
 * times the input, at least PSTORE_INFLATE_MIN, at most
 * PSTORE_INFLATE_MAX) stops a bomb with -MM_EINVAL and lets a stream
 * exactly at the bound through.  Fixed seeds.
 *
 * For tests.h and main.c:  Suite *inflate_suite(void);
 */
#include <zlib.h>

#include "tests.h"
#include "../../pstore/inflate.h"

Suite *inflate_suite(void);

enum kind {
	RANDOM,		/* incompressible */
	TEXT,		/* words of a small alphabet: about 3:1 */
	RUNS,		/* runs of 1..64 equal bytes */
	ZEROS,
};

/* @n bytes of @kind from @seed (malloc'd, at least one byte) */
static uint8_t *gen(enum kind kind, uint64_t seed, size_t n)
{
	static const char alpha[] = "etaoin shrdlu\n";
	uint8_t *p = malloc(n ? n : 1);
	uint64_t s = seed, r = 0;
	size_t i = 0, run;

	ck_assert_ptr_nonnull(p);
	while (i < n) {
		switch (kind) {
		case RANDOM:
			if (i % 8 == 0)
				r = rnd_next(&s);
			p[i] = (uint8_t)(r >> (i % 8 * 8));
			i++;
			break;
		case TEXT:
			p[i++] = (uint8_t)alpha[rnd_next(&s) % (sizeof(alpha) - 1)];
			break;
		case RUNS:
			r = rnd_next(&s);
			for (run = 1 + (r >> 8) % 64; run && i < n; run--)
				p[i++] = (uint8_t)r;
			break;
		case ZEROS:
			p[i++] = 0;
			break;
		}
	}
	return p;
}

/*
 * deflate @n bytes with zlib: raw when @wbits is negative, zlib-wrapped
 * when 8..15, gzip when 16 + 8..15; @n zero bytes fed from a small
 * buffer when @in is NULL (for bombs)
 */
static uint8_t *zdeflate(const uint8_t *in, size_t n, int level, int wbits,
			 int strategy, size_t *out_len)
{
	static const uint8_t zero[1 << 16];
	z_stream zs;
	size_t cap = 1 << 16, left = n;
	uint8_t *out = malloc(cap);
	int rc;

	ck_assert_ptr_nonnull(out);
	memset(&zs, 0, sizeof(zs));
	ck_assert_int_eq(deflateInit2(&zs, level, Z_DEFLATED, wbits, 8, strategy),
			 Z_OK);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	do {
		if (!zs.avail_in && left) {
			size_t c = left < (1u << 30) ? left : (1u << 30);

			if (!in && c > sizeof(zero))
				c = sizeof(zero);
			zs.next_in = (Bytef *)(in ? in + (n - left) : zero);
			zs.avail_in = (uInt)c;
			left -= c;
		}
		if (!zs.avail_out) {
			size_t used = cap;

			cap *= 2;
			out = realloc(out, cap);
			ck_assert_ptr_nonnull(out);
			zs.next_out = out + used;
			zs.avail_out = (uInt)(cap - used);
		}
		rc = deflate(&zs, left || zs.avail_in ? Z_NO_FLUSH : Z_FINISH);
		ck_assert_msg(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR,
			      "deflate returned %d", rc);
	} while (rc != Z_STREAM_END);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

/* The bound the header states, worked out from the rule */
static size_t bound(size_t n)
{
	size_t b;

	if (n > PSTORE_INFLATE_MAX / PSTORE_INFLATE_RATIO)
		return PSTORE_INFLATE_MAX;
	b = n * PSTORE_INFLATE_RATIO;
	return b < PSTORE_INFLATE_MIN ? PSTORE_INFLATE_MIN : b;
}

/*
 * pstore_inflate() with a tracking allocator: returns rc, checks that a
 * failure leaves nothing allocated and that *why is set; on success
 * the caller gets the output and frees it with free()
 */
static int inflate_checked(int line, const uint8_t *in, size_t n,
			   uint8_t **out, size_t *out_len, size_t *max_alloc)
{
	struct track_alloc_ctx c = TRACK_ALLOC_INIT(-1);
	struct mm_alloc a = { track_realloc, &c };
	const char *why = NULL;
	size_t leaked;
	int rc;

	*out = NULL;
	*out_len = 0;
	rc = pstore_inflate(in, n, &a, out, out_len, &why);
	if (max_alloc)
		*max_alloc = c.max_size;
	if (rc) {
		ck_assert_msg(rc == -MM_EINVAL, "line %d: returned %d", line, rc);
		ck_assert_msg(why && *why, "line %d: no reason", line);
		leaked = track_release(&c);
		ck_assert_msg(!leaked, "line %d: %zu blocks left after a failure",
			      line, leaked);
		*out = NULL;
		return rc;
	}
	ck_assert_msg(c.live <= 1, "line %d: %zu blocks live after success",
		      line, c.live);
	/* Hand the output over to libc: only the tracking table goes */
	c.live = 0;
	track_release(&c);
	return rc;
}

/* ---- round trips ----------------------------------------------------------- */

static const struct {
	int line;
	enum kind kind;
	uint64_t seed;
	size_t n;
	int level, wbits, strategy;
} trip_rows[] = {
	{ __LINE__, TEXT, 1, 0, 6, 15, Z_DEFAULT_STRATEGY },	/* empty */
	{ __LINE__, RANDOM, 2, 1, 6, 15, Z_DEFAULT_STRATEGY },
	{ __LINE__, RANDOM, 3, 1000, 0, 15, Z_DEFAULT_STRATEGY },	/* stored */
	{ __LINE__, RANDOM, 4, 70000, 0, 15, Z_DEFAULT_STRATEGY }, /* 2 stored blocks */
	{ __LINE__, TEXT, 5, 100000, 1, 9, Z_DEFAULT_STRATEGY },
	{ __LINE__, TEXT, 6, 200000, 9, 11, Z_DEFAULT_STRATEGY }, /* Linux's window */
	{ __LINE__, RANDOM, 7, 65536, 6, 15, Z_FILTERED },
	{ __LINE__, TEXT, 8, 300000, 4, 12, Z_HUFFMAN_ONLY },
	{ __LINE__, RUNS, 9, 50000, 6, 13, Z_RLE },
	{ __LINE__, TEXT, 10, 70000, 6, 10, Z_FIXED },
	{ __LINE__, RANDOM, 11, 250000, 9, 14, Z_DEFAULT_STRATEGY },
	{ __LINE__, RUNS, 12, 400000, 9, 15, Z_DEFAULT_STRATEGY },
	{ __LINE__, TEXT, 13, 1 << 20, 1, 15, Z_DEFAULT_STRATEGY },
	{ __LINE__, ZEROS, 0, 65536, 9, 15, Z_DEFAULT_STRATEGY },	/* at the minimum bound */
	{ __LINE__, TEXT, 14, 4097, 5, 8 + 1, Z_DEFAULT_STRATEGY },
};

START_TEST(test_roundtrip)
{
	uint8_t *data = gen(trip_rows[_i].kind, trip_rows[_i].seed, trip_rows[_i].n);
	uint8_t *z, *out;
	size_t zn, out_len;
	int rc;

	z = zdeflate(data, trip_rows[_i].n, trip_rows[_i].level,
		     -trip_rows[_i].wbits, trip_rows[_i].strategy, &zn);
	rc = inflate_checked(trip_rows[_i].line, z, zn, &out, &out_len, NULL);
	ck_assert_msg(rc == 0, "line %d: returned %d for %zu bytes deflated to %zu",
		      trip_rows[_i].line, rc, trip_rows[_i].n, zn);
	ck_assert_msg(out_len == trip_rows[_i].n &&
		      !memcmp(out, data, trip_rows[_i].n),
		      "line %d: %zu bytes back, want the %zu bytes deflated",
		      trip_rows[_i].line, out_len, trip_rows[_i].n);
	free(out);
	free(z);
	free(data);
}
END_TEST

/* ---- truncated, corrupt, wrapped, empty -------------------------------------- */

/* Every proper prefix of a stream fails: no end of stream was seen */
static const struct {
	int line;
	enum kind kind;
	size_t n;
	int level;
	size_t step;		/* test every step-th prefix length */
} trunc_rows[] = {
	{ __LINE__, TEXT, 3000, 6, 1 },
	{ __LINE__, RANDOM, 500, 0, 1 },	/* a stored block */
	{ __LINE__, RUNS, 2000, 9, 1 },
	{ __LINE__, TEXT, 1, 6, 1 },
	{ __LINE__, TEXT, 200000, 1, 97 },	/* many blocks */
};

START_TEST(test_truncated)
{
	uint8_t *data = gen(trunc_rows[_i].kind, 21, trunc_rows[_i].n);
	uint8_t *z, *out;
	size_t zn, k, out_len;
	int rc;

	z = zdeflate(data, trunc_rows[_i].n, trunc_rows[_i].level, -15,
		     Z_DEFAULT_STRATEGY, &zn);
	for (k = 0; k < zn; k += trunc_rows[_i].step) {
		rc = inflate_checked(trunc_rows[_i].line, z, k, &out, &out_len, NULL);
		ck_assert_msg(rc == -MM_EINVAL,
			      "line %d: %zu of %zu bytes inflated (%d, %zu bytes out)",
			      trunc_rows[_i].line, k, zn, rc, out_len);
	}
	rc = inflate_checked(trunc_rows[_i].line, z, zn, &out, &out_len, NULL);
	ck_assert_msg(rc == 0 && out_len == trunc_rows[_i].n,
		      "line %d: the whole stream did not inflate", trunc_rows[_i].line);
	free(out);
	free(z);
	free(data);
}
END_TEST

/* Damaged bytes: a failure or some output, within the bound, never a crash */
START_TEST(test_corrupt)
{
	static const uint8_t flips[] = { 0x01, 0x10, 0x80, 0xff };
	uint8_t *data = gen(TEXT, 31, 2000);
	uint8_t *z, *out;
	size_t zn, pos, f, out_len, fails = 0;
	uint64_t s = 32;
	int rc, k;

	z = zdeflate(data, 2000, 6, -15, Z_DEFAULT_STRATEGY, &zn);
	for (pos = 0; pos < zn; pos++) {
		for (f = 0; f < sizeof(flips); f++) {
			z[pos] ^= flips[f];
			rc = inflate_checked(__LINE__, z, zn, &out, &out_len, NULL);
			z[pos] ^= flips[f];
			if (rc) {
				fails++;
				continue;
			}
			ck_assert_msg(out_len <= bound(zn),
				      "byte %zu ^ %#x: %zu bytes out, bound %zu",
				      pos, flips[f], out_len, bound(zn));
			free(out);
		}
	}
	/* Deflate has no check: much damage still decodes; some does not */
	ck_assert_uint_gt(fails, 0);

	/* Random bytes */
	for (k = 0; k < 300; k++) {
		size_t n = 1 + rnd_next(&s) % 3000, i;
		uint8_t *g = malloc(n);

		ck_assert_ptr_nonnull(g);
		for (i = 0; i < n; i++)
			g[i] = (uint8_t)rnd_next(&s);
		rc = inflate_checked(__LINE__, g, n, &out, &out_len, NULL);
		if (!rc) {
			ck_assert_uint_le(out_len, bound(n));
			free(out);
		}
		free(g);
	}
	free(z);
	free(data);
}
END_TEST

/* A zlib or gzip header is not raw deflate */
static const struct {
	int line;
	int level, wbits;
	enum kind kind;
} wrap_rows[] = {
	{ __LINE__, 1, 15, TEXT },		/* 78 01 */
	{ __LINE__, 6, 15, TEXT },		/* 78 9c */
	{ __LINE__, 9, 15, TEXT },		/* 78 da */
	{ __LINE__, 6, 11, TEXT },		/* 48 .. */
	{ __LINE__, 6, 15, ZEROS },
	{ __LINE__, 6, 15, RANDOM },
	{ __LINE__, 6, 16 + 15, TEXT },	/* gzip: 1f 8b */
	{ __LINE__, 9, 16 + 15, ZEROS },
};

START_TEST(test_wrapped)
{
	uint8_t *data = gen(wrap_rows[_i].kind, 41, 1000);
	uint8_t *z, *out;
	size_t zn, out_len;
	int rc;

	z = zdeflate(data, 1000, wrap_rows[_i].level, wrap_rows[_i].wbits,
		     Z_DEFAULT_STRATEGY, &zn);
	rc = inflate_checked(wrap_rows[_i].line, z, zn, &out, &out_len, NULL);
	ck_assert_msg(rc == -MM_EINVAL, "line %d: a wrapped stream (%02x %02x) inflated to %zu bytes",
		      wrap_rows[_i].line, z[0], z[1], out_len);
	free(z);
	free(data);
}
END_TEST

START_TEST(test_empty)
{
	static const uint8_t one[1] = { 0 };
	uint8_t *out;
	size_t out_len;

	ck_assert_int_eq(inflate_checked(__LINE__, NULL, 0, &out, &out_len, NULL),
			 -MM_EINVAL);
	ck_assert_int_eq(inflate_checked(__LINE__, one, 0, &out, &out_len, NULL),
			 -MM_EINVAL);
	/* A single byte: a stored block header with no lengths */
	ck_assert_int_eq(inflate_checked(__LINE__, one, 1, &out, &out_len, NULL),
			 -MM_EINVAL);
}
END_TEST

/* ---- the bound ------------------------------------------------------------------ */

/*
 * @n bytes of @kind deflated, padded with @pad_to - zn bytes after the
 * end of the stream (zlib stops at the end; the bound counts the whole
 * input), to put the output exactly at 64 times the input
 */
static const struct {
	int line;
	enum kind kind;
	size_t n;
	size_t pad_to;
	int rc;
} bound_rows[] = {
	/* small input: the 64 KiB minimum */
	{ __LINE__, ZEROS, PSTORE_INFLATE_MIN, 0, 0 },
	{ __LINE__, ZEROS, PSTORE_INFLATE_MIN + 1, 0, -MM_EINVAL },
	{ __LINE__, RUNS, PSTORE_INFLATE_MIN + 1, 0, 0 },	/* ratio below 64 */
	/* 64 times the input, exactly */
	{ __LINE__, ZEROS, 64 * 2000, 2000, 0 },
	{ __LINE__, ZEROS, 64 * 2000 + 1, 2000, -MM_EINVAL },
	{ __LINE__, ZEROS, 64 * 5000, 5000, 0 },
	{ __LINE__, ZEROS, 64 * 5000 + 1, 5000, -MM_EINVAL },
	/* a bomb: 100 MB of zeros in about 100 KB */
	{ __LINE__, ZEROS, 100000000, 0, -MM_EINVAL },
	/* 16 MiB at most, whatever the input */
	{ __LINE__, TEXT, PSTORE_INFLATE_MAX, 0, 0 },
	{ __LINE__, TEXT, PSTORE_INFLATE_MAX + 1, 0, -MM_EINVAL },
};

START_TEST(test_bound)
{
	size_t n = bound_rows[_i].n, zn, out_len, max_alloc, in_len;
	uint8_t *data = bound_rows[_i].kind == ZEROS ? NULL :
			gen(bound_rows[_i].kind, 51, n);
	uint8_t *z, *out;
	int rc;

	z = zdeflate(data, n, bound_rows[_i].kind == ZEROS ? 9 : 1, -15,
		     bound_rows[_i].kind == ZEROS ? Z_RLE : Z_DEFAULT_STRATEGY, &zn);
	in_len = zn;
	if (bound_rows[_i].pad_to) {
		ck_assert_msg(zn <= bound_rows[_i].pad_to, "line %d: %zu bytes deflated",
			      bound_rows[_i].line, zn);
		z = realloc(z, bound_rows[_i].pad_to);
		ck_assert_ptr_nonnull(z);
		memset(z + zn, 0xa5, bound_rows[_i].pad_to - zn);
		in_len = bound_rows[_i].pad_to;
	}
	rc = inflate_checked(bound_rows[_i].line, z, in_len, &out, &out_len,
			     &max_alloc);
	ck_assert_msg(rc == bound_rows[_i].rc,
		      "line %d: %zu bytes in, %zu out (bound %zu): returned %d, want %d",
		      bound_rows[_i].line, in_len, n, bound(in_len), rc,
		      bound_rows[_i].rc);
	/* Never more than the bound in one buffer */
	ck_assert_msg(max_alloc <= bound(in_len),
		      "line %d: allocated %zu bytes, bound %zu",
		      bound_rows[_i].line, max_alloc, bound(in_len));
	if (!rc) {
		ck_assert_msg(out_len == n, "line %d: %zu bytes out, want %zu",
			      bound_rows[_i].line, out_len, n);
		if (data)
			ck_assert_msg(!memcmp(out, data, n), "line %d: wrong bytes",
				      bound_rows[_i].line);
		else
			ck_assert_msg(!out[0] && !memcmp(out, out + 1, n - 1),
				      "line %d: wrong bytes", bound_rows[_i].line);
	}
	free(out);
	free(z);
	free(data);
}
END_TEST

/* ---- out of memory -------------------------------------------------------------- */

/* Every allocation failing in turn: -MM_ENOMEM, nothing left allocated */
START_TEST(test_enomem)
{
	uint8_t *data = gen(TEXT, 61, 100000);
	uint8_t *z, *out = NULL;
	size_t zn, out_len = 0, leaked;
	long left;
	int rc = -MM_ENOMEM;

	z = zdeflate(data, 100000, 6, -15, Z_DEFAULT_STRATEGY, &zn);
	for (left = 0; left < 200 && rc; left++) {
		struct track_alloc_ctx c = TRACK_ALLOC_INIT(left);
		struct mm_alloc a = { track_realloc, &c };
		const char *why = NULL;

		rc = pstore_inflate(z, zn, &a, &out, &out_len, &why);
		if (!rc) {
			ck_assert_msg(out_len == 100000 && !memcmp(out, data, 100000),
				      "after %ld allocations: wrong output", left);
			mm_free(&a, out);
		} else {
			ck_assert_msg(rc == -MM_ENOMEM,
				      "%ld allocations allowed: returned %d (%s)",
				      left, rc, why ? why : "-");
		}
		leaked = track_release(&c);
		ck_assert_msg(!leaked, "%ld allocations allowed: %zu blocks left",
			      left, leaked);
	}
	ck_assert_msg(!rc, "no success with up to 200 allocations");
	free(z);
	free(data);
}
END_TEST

Suite *inflate_suite(void)
{
	Suite *s = suite_create("inflate");
	TCase *tc;

	tc = tcase_create("streams");
	tcase_add_loop_test(tc, test_roundtrip, 0, ARRAY_SIZE(trip_rows));
	tcase_add_loop_test(tc, test_truncated, 0, ARRAY_SIZE(trunc_rows));
	tcase_add_test(tc, test_corrupt);
	tcase_add_loop_test(tc, test_wrapped, 0, ARRAY_SIZE(wrap_rows));
	tcase_add_test(tc, test_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("bound");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_bound, 0, ARRAY_SIZE(bound_rows));
	tcase_add_test(tc, test_enomem);
	suite_add_tcase(s, tc);
	return s;
}
