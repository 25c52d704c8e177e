/*
 * Reed-Solomon over GF(2^8) for ramoops' ECC (see rs.h).
 *
 * Encoding is division by the generator polynomial g(x), done a byte at
 * a time with a table of g(x) times every feedback value, on 64-bit
 * words.  Decoding reuses the encoder: the received parity differs from
 * the recomputed one exactly when the block is damaged, and the
 * syndromes are that difference evaluated at the roots of g(x).  Only
 * then does the slow part run: the steps of Phil Karn's decoder that
 * libfec and Linux use (Berlekamp-Massey, Chien search, Forney) with the
 * same choices, and the same checks that Linux's decode_rs (since 5.3)
 * and Debian's libfec (the fblomqvi fork) added to refuse a correction,
 * so that past the correction limit the outcome is theirs too.
 */
#include "rs.h"

#define NN PSTORE_RS_NN
#define GFPOLY 0x11d
/* Largest register, in words */
#define MAX_WORDS ((PSTORE_RS_MAX_NROOTS + 7) / 8)

_Static_assert(256 * 4 <= PSTORE_RS_TAB_WORDS, "full rows up to 32 roots");
_Static_assert(32 * MAX_WORDS <= PSTORE_RS_TAB_WORDS, "nibble rows");

/* @x mod 255 for x < 2 * 255 */
static inline unsigned int mod_nn(unsigned int x)
{
	return x >= NN ? x - NN : x;
}

static uint8_t gf_mul(const struct pstore_rs *rs, uint8_t a, uint8_t b)
{
	if (!a || !b)
		return 0;
	return rs->alpha_to[mod_nn(rs->index_of[a] + rs->index_of[b])];
}

/* a / b, b != 0 */
static uint8_t gf_div(const struct pstore_rs *rs, uint8_t a, uint8_t b)
{
	if (!a)
		return 0;
	return rs->alpha_to[mod_nn(rs->index_of[a] + NN - rs->index_of[b])];
}

/* alpha^e, e any exponent */
static inline uint8_t gf_pow(const struct pstore_rs *rs, unsigned int e)
{
	return rs->alpha_to[e % NN];
}

/* The shift of byte @m of a register word */
static inline unsigned int byte_shift(unsigned int m)
{
	return 56 - 8 * (m & 7);
}

/* Fill row @row of rs->tab with g(x) times @v, in register layout */
static void make_row(struct pstore_rs *rs, unsigned int row, uint8_t v)
{
	uint64_t *w = rs->tab + (size_t)row * rs->nwords;
	unsigned int m;

	for (m = 0; m < rs->nwords; m++)
		w[m] = 0;
	/* Register byte m is the coefficient of x^(nroots-1-m) */
	for (m = 0; m < rs->nroots; m++)
		w[m / 8] |= (uint64_t)gf_mul(rs, v, rs->genpoly[rs->nroots - 1 - m])
			    << byte_shift(m);
}

int pstore_rs_init(struct pstore_rs *rs, unsigned int nroots)
{
	unsigned int i, j, x;
	uint8_t root;

	if (!nroots || nroots > PSTORE_RS_MAX_NROOTS)
		return -MM_EINVAL;
	memset(rs, 0, sizeof(*rs));
	rs->nroots = nroots;
	rs->nwords = (nroots + 7) / 8;
	rs->full_rows = rs->nwords <= 4;

	/* The field: powers of alpha = x modulo 0x11d */
	for (i = 0, x = 1; i < NN; i++) {
		rs->alpha_to[i] = (uint8_t)x;
		rs->index_of[x] = (uint8_t)i;
		x <<= 1;
		if (x & 0x100)
			x ^= GFPOLY;
	}
	rs->alpha_to[NN] = 0;
	rs->index_of[0] = NN;

	/* g(x) = (x + alpha^0)(x + alpha^1)...(x + alpha^(nroots-1)) */
	rs->genpoly[0] = 1;
	for (i = 0; i < nroots; i++) {
		root = rs->alpha_to[i];
		for (j = i + 1; j > 0; j--)
			rs->genpoly[j] = rs->genpoly[j - 1] ^
					 gf_mul(rs, rs->genpoly[j], root);
		rs->genpoly[0] = gf_mul(rs, rs->genpoly[0], root);
	}

	if (rs->full_rows) {
		for (i = 0; i < 256; i++)
			make_row(rs, i, (uint8_t)i);
	} else {
		for (i = 0; i < 16; i++) {
			make_row(rs, i, (uint8_t)i);
			make_row(rs, 16 + i, (uint8_t)(i << 4));
		}
	}
	return 0;
}

/*
 * Divide @data by g(x) into the register @w of @nw words, one table row
 * per byte.  Inlined with a constant @nw for the common sizes.
 */
static inline void feed_full(const uint64_t *tab, uint64_t *w, unsigned int nw,
			     const uint8_t *data, size_t len)
{
	const uint64_t *row;
	unsigned int k;
	size_t i;

	for (i = 0; i < len; i++) {
		row = tab + (size_t)(data[i] ^ (uint8_t)(w[0] >> 56)) * nw;
		for (k = 0; k + 1 < nw; k++)
			w[k] = (w[k] << 8 | w[k + 1] >> 56) ^ row[k];
		w[nw - 1] = w[nw - 1] << 8 ^ row[nw - 1];
	}
}

/* As feed_full(), the row split into one for each nibble of the feedback */
static void feed_nibbles(const uint64_t *tab, uint64_t *w, unsigned int nw,
			 const uint8_t *data, size_t len)
{
	const uint64_t *lo, *hi;
	unsigned int k, fb;
	size_t i;

	for (i = 0; i < len; i++) {
		fb = data[i] ^ (uint8_t)(w[0] >> 56);
		lo = tab + (size_t)(fb & 15) * nw;
		hi = tab + (size_t)(16 + (fb >> 4)) * nw;
		for (k = 0; k + 1 < nw; k++)
			w[k] = (w[k] << 8 | w[k + 1] >> 56) ^ lo[k] ^ hi[k];
		w[nw - 1] = w[nw - 1] << 8 ^ lo[nw - 1] ^ hi[nw - 1];
	}
}

/* The remainder of @data * x^nroots divided by g(x), into @w */
static void rs_remainder(const struct pstore_rs *rs, const uint8_t *data,
		      size_t len, uint64_t *w)
{
	unsigned int k;

	for (k = 0; k < rs->nwords; k++)
		w[k] = 0;
	switch (rs->full_rows ? rs->nwords : 0) {
	case 1:
		feed_full(rs->tab, w, 1, data, len);
		break;
	case 2:
		feed_full(rs->tab, w, 2, data, len);
		break;
	case 3:
		feed_full(rs->tab, w, 3, data, len);
		break;
	case 4:
		feed_full(rs->tab, w, 4, data, len);
		break;
	default:
		feed_nibbles(rs->tab, w, rs->nwords, data, len);
		break;
	}
}

void pstore_rs_encode(const struct pstore_rs *rs, const uint8_t *data,
		      size_t len, uint8_t *parity)
{
	uint64_t w[MAX_WORDS];
	unsigned int m;

	rs_remainder(rs, data, len, w);
	for (m = 0; m < rs->nroots; m++)
		parity[m] = (uint8_t)(w[m / 8] >> byte_shift(m));
}

/*
 * Berlekamp-Massey: the error locator @lambda (nroots + 1 coefficients,
 * lambda[0] = 1) from the syndromes @s.  Kept step for step as Karn's
 * decoder, including B(x) losing its x^nroots term when shifted, so that
 * uncorrectable blocks get libfec's locator too.
 */
static void berlekamp_massey(const struct pstore_rs *rs, const uint8_t *s,
			     uint8_t *lambda)
{
	unsigned int n = rs->nroots, r, i, el = 0;
	uint8_t b[PSTORE_RS_MAX_NROOTS + 1], t[PSTORE_RS_MAX_NROOTS + 1];
	uint8_t d, dinv;

	memset(lambda, 0, n + 1);
	memset(b, 0, n + 1);
	lambda[0] = b[0] = 1;
	for (r = 1; r <= n; r++) {
		/* Discrepancy of step r */
		d = 0;
		for (i = 0; i < r; i++)
			d ^= gf_mul(rs, lambda[i], s[r - 1 - i]);
		if (!d) {
			memmove(b + 1, b, n);
			b[0] = 0;
			continue;
		}
		/* T(x) = lambda(x) - d x B(x) */
		t[0] = lambda[0];
		for (i = 0; i < n; i++)
			t[i + 1] = lambda[i + 1] ^ gf_mul(rs, d, b[i]);
		if (2 * el <= r - 1) {
			el = r - el;
			/* B(x) = lambda(x) / d */
			dinv = rs->alpha_to[mod_nn(NN - rs->index_of[d])];
			for (i = 0; i <= n; i++)
				b[i] = gf_mul(rs, lambda[i], dinv);
		} else {
			memmove(b + 1, b, n);
			b[0] = 0;
		}
		memcpy(lambda, t, n + 1);
	}
}

int pstore_rs_decode(const struct pstore_rs *rs, uint8_t *data, size_t len,
		     uint8_t *parity)
{
	unsigned int n = rs->nroots, pad, i, j, m, deg, count, x, e;
	uint8_t s[PSTORE_RS_MAX_NROOTS], rem[PSTORE_RS_MAX_NROOTS];
	uint8_t lambda[PSTORE_RS_MAX_NROOTS + 1], omega[PSTORE_RS_MAX_NROOTS];
	uint8_t root[PSTORE_RS_MAX_NROOTS + 1], val[PSTORE_RS_MAX_NROOTS + 1];
	unsigned int lg[PSTORE_RS_MAX_NROOTS + 1], term[PSTORE_RS_MAX_NROOTS + 1];
	uint64_t w[MAX_WORDS], diff = 0;
	uint8_t num, den, q;
	unsigned int nterms;

	if (len > NN - n)
		return -MM_EINVAL;
	pad = NN - n - (unsigned int)len;

	/* Recompute the parity; a clean block has nothing else to do */
	rs_remainder(rs, data, len, w);
	for (m = 0; m < n; m++)
		w[m / 8] ^= (uint64_t)parity[m] << byte_shift(m);
	for (m = 0; m < rs->nwords; m++)
		diff |= w[m];
	if (!diff)
		return 0;

	/* Syndromes: the difference R(x) at x = alpha^i, 0 <= i < nroots */
	memset(s, 0, n);
	for (m = 0; m < n; m++) {
		rem[m] = (uint8_t)(w[m / 8] >> byte_shift(m));
		if (!rem[m])
			continue;
		/* rem[m] * alpha^(i * (n - 1 - m)) for every i */
		e = n - 1 - m;
		x = rs->index_of[rem[m]];
		for (i = 0; i < n; i++) {
			s[i] ^= rs->alpha_to[x];
			x = mod_nn(x + e);
		}
	}

	berlekamp_massey(rs, s, lambda);
	deg = 0;
	for (i = 1; i <= n; i++)
		if (lambda[i])
			deg = i;
	if (!deg)
		return -MM_EBADMSG;

	/*
	 * Chien search: lambda(alpha^i) = 0 means an error at position
	 * i - 1 of the full 255-byte codeword.  A root in the shortened
	 * part (known zeros) and a locator that does not split into deg
	 * distinct roots both mean the block is beyond repair.
	 */
	nterms = 0;
	for (j = 1; j <= deg; j++) {
		if (!lambda[j])
			continue;
		lg[nterms] = rs->index_of[lambda[j]];
		term[nterms++] = j;
	}
	count = 0;
	for (i = 1; i <= NN && count < deg; i++) {
		q = 1;
		for (j = 0; j < nterms; j++) {
			lg[j] = mod_nn(lg[j] + term[j]);
			q ^= rs->alpha_to[lg[j]];
		}
		if (q)
			continue;
		if (i - 1 < pad)
			return -MM_EBADMSG;
		root[count++] = (uint8_t)i;
	}
	if (count != deg)
		return -MM_EBADMSG;

	/* Error evaluator omega(x) = s(x) lambda(x) mod x^deg */
	for (i = 0; i < deg; i++) {
		omega[i] = 0;
		for (j = 0; j <= i; j++)
			omega[i] ^= gf_mul(rs, s[i - j], lambda[j]);
	}

	/* Forney: value = omega(X^-1) X^-1 / lambda'(X^-1), X^-1 = alpha^root */
	for (j = 0; j < count; j++) {
		num = 0;
		for (i = 0; i < deg; i++)
			num ^= gf_mul(rs, omega[i], gf_pow(rs, i * root[j]));
		/* lambda'(x): the odd terms, one power down */
		den = 0;
		for (i = 1; i <= deg; i += 2)
			den ^= gf_mul(rs, lambda[i], gf_pow(rs, (i - 1) * root[j]));
		/* den != 0: the roots are distinct */
		val[j] = gf_div(rs, gf_mul(rs, num, gf_pow(rs, NN - root[j])), den);
	}

	/*
	 * The pattern found must account for every syndrome; past the
	 * correction limit it may not.  Once it does, no value is zero (the
	 * rest would be a shorter locator than Berlekamp-Massey's).
	 */
	for (i = 0; i < n; i++) {
		q = 0;
		for (j = 0; j < count; j++)
			q ^= gf_mul(rs, val[j], gf_pow(rs, i * (NN - root[j])));
		if (q != s[i])
			return -MM_EBADMSG;
	}

	for (j = 0; j < count; j++) {
		m = root[j] - 1u - pad;
		if (m < len)
			data[m] ^= val[j];
		else
			parity[m - len] ^= val[j];
	}
	return (int)count;
}
