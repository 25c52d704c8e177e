/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reed-Solomon over GF(2^8) for ramoops' ECC (see rs.h).
 *
 * Encoding is division by the generator polynomial g(x) on a register of
 * 64-bit words: each step shifts in one to four data bytes and adds a
 * precomputed multiple of g(x) per feedback byte, so a byte costs a few
 * word operations instead of nroots field multiplications.  Decoding
 * reuses the encoder: the received parity differs from
 * the recomputed one exactly when the block is damaged, and the
 * syndromes are that difference evaluated at the roots of g(x).  Only
 * then does the slow part run: the classic decoder steps that
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

_Static_assert(PSTORE_RS_TAB_WORDS == 4 * 256, "4 slices of one word");
_Static_assert(32 * MAX_WORDS <= PSTORE_RS_TAB_WORDS, "nibble rows");

/* @x mod 255 for x < 2 * 255 */
static inline unsigned int mod_nn(unsigned int x)
{
	return x >= NN ? x - NN : x;
}

/*
 * a b, a / b (b != 0) and v alpha^l (l < 255), without a branch: a zero
 * factor's logarithm, 511, takes the sum to 510 or more, where exp_z is 0
 */
static inline uint8_t gf_mul(const struct pstore_rs *rs, uint8_t a, uint8_t b)
{
	return rs->exp_z[rs->log_z[a] + rs->log_z[b]];
}

static inline uint8_t gf_div(const struct pstore_rs *rs, uint8_t a, uint8_t b)
{
	return rs->exp_z[rs->log_z[a] + NN - rs->log_z[b]];
}

static inline uint8_t gf_mul_log(const struct pstore_rs *rs, uint8_t v,
				 unsigned int l)
{
	return rs->exp_z[rs->log_z[v] + l];
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

/*
 * Shift the register @w of @nw words by @k bytes (1 <= k <= 7) and add
 * the rows of the @k feedback bytes in @fb (the first one in the top
 * byte): slice j of @tab holds v x^(nroots+j) mod g(x), and the first
 * byte is the one of highest degree.
 */
static inline void step(const uint64_t *tab, uint64_t *w, unsigned int nw,
			unsigned int k, uint64_t fb)
{
	unsigned int m, j;

	for (m = 0; m + 1 < nw; m++)
		w[m] = w[m] << (8 * k) | w[m + 1] >> (64 - 8 * k);
	w[nw - 1] <<= 8 * k;
	for (j = 0; j < k; j++) {
		const uint64_t *row = tab + ((size_t)j * 256 +
					      ((fb >> (8 * j)) & 0xff)) * nw;

		for (m = 0; m < nw; m++)
			w[m] ^= row[m];
	}
}

/*
 * Divide @data by g(x) into the register @w of @nw words, @k bytes per
 * step.  The bytes of a step are independent lookups, which hides the
 * latency of the table.  Inlined with constant @nw and @k.
 */
static inline void feed_slices(const uint64_t *tab, uint64_t *w,
			       unsigned int nw, unsigned int k,
			       const uint8_t *data, size_t len)
{
	uint64_t fb;
	unsigned int j;

	for (; len >= k; len -= k, data += k) {
		fb = 0;
		for (j = 0; j < k; j++)
			fb = fb << 8 | data[j];
		step(tab, w, nw, k, fb ^ (w[0] >> (64 - 8 * k)));
	}
	for (; len; len--, data++)
		step(tab, w, nw, 1, *data ^ (w[0] >> 56));
}

/* One byte per step, the row split into one for each nibble of it */
static void feed_nibbles(const uint64_t *tab, uint64_t *w, unsigned int nw,
			 const uint8_t *data, size_t len)
{
	const uint64_t *lo, *hi;
	unsigned int m, fb;

	for (; len; len--, data++) {
		fb = *data ^ (unsigned int)(w[0] >> 56);
		lo = tab + (size_t)(fb & 15) * nw;
		hi = tab + (size_t)(16 + (fb >> 4)) * nw;
		for (m = 0; m + 1 < nw; m++)
			w[m] = (w[m] << 8 | w[m + 1] >> 56) ^ lo[m] ^ hi[m];
		w[nw - 1] = w[nw - 1] << 8 ^ lo[nw - 1] ^ hi[nw - 1];
	}
}

int pstore_rs_init(struct pstore_rs *rs, unsigned int nroots)
{
	unsigned int i, j, x;
	uint64_t *w;
	uint8_t root;

	if (!nroots || nroots > PSTORE_RS_MAX_NROOTS)
		return -MM_EINVAL;
	memset(rs, 0, sizeof(*rs));
	rs->nroots = nroots;
	rs->nwords = (nroots + 7) / 8;
	/* As many slices of 256 rows as fit: 4, 2, 1, 1, then none */
	rs->slices = PSTORE_RS_TAB_WORDS / (256 * rs->nwords);

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
	for (i = 0; i < 256; i++)
		rs->log_z[i] = i ? rs->index_of[i] : 511;
	for (i = 0; i < sizeof(rs->exp_z); i++)
		rs->exp_z[i] = i < 2 * NN ? rs->alpha_to[i % NN] : 0;

	/* g(x) = (x + alpha^0)(x + alpha^1)...(x + alpha^(nroots-1)) */
	rs->genpoly[0] = 1;
	for (i = 0; i < nroots; i++) {
		root = rs->alpha_to[i];
		for (j = i + 1; j > 0; j--)
			rs->genpoly[j] = rs->genpoly[j - 1] ^
					 gf_mul(rs, rs->genpoly[j], root);
		rs->genpoly[0] = gf_mul(rs, rs->genpoly[0], root);
	}

	if (!rs->slices) {
		for (i = 0; i < 16; i++) {
			make_row(rs, i, (uint8_t)i);
			make_row(rs, 16 + i, (uint8_t)(i << 4));
		}
		return 0;
	}
	for (i = 0; i < 256; i++)
		make_row(rs, i, (uint8_t)i);
	/* Slice j: slice j - 1 times x, one more step with a zero byte */
	for (j = 1; j < rs->slices; j++) {
		for (i = 0; i < 256; i++) {
			w = rs->tab + ((size_t)j * 256 + i) * rs->nwords;
			memcpy(w, w - 256 * rs->nwords, rs->nwords * sizeof(*w));
			step(rs->tab, w, rs->nwords, 1, w[0] >> 56);
		}
	}
	return 0;
}

/* The remainder of @data * x^nroots divided by g(x), into @w */
static void rs_remainder(const struct pstore_rs *rs, const uint8_t *data,
			 size_t len, uint64_t *w)
{
	unsigned int m;

	for (m = 0; m < rs->nwords; m++)
		w[m] = 0;
	switch (rs->nwords * 8 + rs->slices) {
	case 1 * 8 + 4:
		feed_slices(rs->tab, w, 1, 4, data, len);
		break;
	case 2 * 8 + 2:
		feed_slices(rs->tab, w, 2, 2, data, len);
		break;
	case 3 * 8 + 1:
		feed_slices(rs->tab, w, 3, 1, data, len);
		break;
	case 4 * 8 + 1:
		feed_slices(rs->tab, w, 4, 1, data, len);
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
 * lambda[0] = 1) from the syndromes @s.  Kept step for step as libfec's
 * decoder, so that uncorrectable blocks get libfec's locator too.
 */
static void berlekamp_massey(const struct pstore_rs *rs, const uint8_t *s,
			     uint8_t *lambda)
{
	unsigned int n = rs->nroots, r, i, l = 0, ld;
	uint16_t ls[PSTORE_RS_MAX_NROOTS];
	uint8_t b[PSTORE_RS_MAX_NROOTS + 1], d, old;

	for (i = 0; i < n; i++)
		ls[i] = rs->log_z[s[i]];
	memset(lambda, 0, n + 1);
	memset(b, 0, n + 1);
	lambda[0] = b[0] = 1;
	/*
	 * l: length of the shortest LFSR generating s[0..r-1] so far.  At
	 * step r, lambda has degree below r and B below r, so the terms
	 * above r are zero and stay so, which bounds the loops.  Both are
	 * updated in place from the top: lambda_i += d B_(i-1) (T(x) =
	 * lambda(x) - d x B(x)), and B(x) becomes lambda(x) / d when the
	 * length changes, else x B(x).
	 */
	for (r = 1; r <= n; r++) {
		/* Discrepancy of step r */
		d = 0;
		for (i = 0; i < r; i++)
			d ^= rs->exp_z[rs->log_z[lambda[i]] + ls[r - 1 - i]];
		ld = rs->log_z[d];
		if (!d) {
			for (i = r; i > 0; i--)
				b[i] = b[i - 1];
			b[0] = 0;
		} else if (2 * l <= r - 1) {
			l = r - l;
			for (i = r; i > 0; i--) {
				old = lambda[i];
				lambda[i] = old ^ rs->exp_z[ld + rs->log_z[b[i - 1]]];
				b[i] = rs->exp_z[rs->log_z[old] + NN - ld];
			}
			b[0] = rs->exp_z[rs->log_z[lambda[0]] + NN - ld];
		} else {
			for (i = r; i > 0; i--) {
				lambda[i] ^= rs->exp_z[ld + rs->log_z[b[i - 1]]];
				b[i] = b[i - 1];
			}
			b[0] = 0;
		}
	}
}

/*
 * acc[i] += alpha^(x + e i) for 0 <= i < n, four i at a time: @acc has
 * room for three more.  x is a logarithm, or log_z's 511 for a zero
 * term, which adds nothing; e < 255.
 */
static inline void add_powers(const struct pstore_rs *rs, uint8_t *acc,
			      unsigned int n, unsigned int x, unsigned int e)
{
	unsigned int e2 = mod_nn(2 * e), e3 = mod_nn(e2 + e);
	unsigned int e4 = mod_nn(e3 + e), i;

	if (x >= NN)
		return;
	for (i = 0; i < n; i += 4) {
		acc[i] ^= rs->exp_z[x];
		acc[i + 1] ^= rs->exp_z[x + e];
		acc[i + 2] ^= rs->exp_z[x + e2];
		acc[i + 3] ^= rs->exp_z[x + e3];
		x = mod_nn(x + e4);
	}
}

/*
 * Chien search: lambda(alpha^i) = 0 means an error at position i - 1 of
 * the full 255-byte codeword, the first @pad of which are the known zeros
 * of the shortened code.  Libfec and Linux search all 255 and refuse a
 * root among those; searching only the block and asking for @deg roots
 * there refuses the same locators.  Each root found is divided out of the
 * polynomial searched (q(x) = lambda(x) / (1 + X x), exact at a root), so
 * the search gets cheaper as it goes, and the last root of a linear q
 * is computed rather than searched for.  A repeated root is found once
 * either way, and then too few.  Four positions are evaluated per step.
 * Puts the i of the roots found, in increasing order, into @root;
 * returns how many.
 */
static unsigned int chien(const struct pstore_rs *rs, const uint8_t *lambda,
			  unsigned int deg, unsigned int pad, uint8_t *root)
{
	/* A term q_j alpha^(i j): its logarithm, and j, 2j, 3j, 4j mod 255 */
	struct term {
		unsigned int lg, s1, s2, s3, s4;
	} t[PSTORE_RS_MAX_NROOTS], *p;
	const uint8_t *ex = rs->exp_z;
	uint8_t q[PSTORE_RS_MAX_NROOTS + 1], v[4];
	unsigned int i = pad + 1, d = deg, count = 0, nt, j, k, x, im, ji;

	memcpy(q, lambda, deg + 1);
	while (d > 1) {
		/* (j i) mod 255 summed up, j < 255 */
		im = i % NN;
		for (nt = 0, ji = 0, j = 1; j <= d; j++) {
			ji = mod_nn(ji + im);
			if (!q[j])
				continue;
			p = &t[nt++];
			p->lg = mod_nn(rs->index_of[q[j]] + ji);
			p->s1 = j;
			p->s2 = mod_nn(2 * j);
			p->s3 = mod_nn(p->s2 + j);
			p->s4 = mod_nn(p->s3 + j);
		}
		/*
		 * q at alpha^i .. alpha^(i+3); k ends as the first zero of
		 * the four, or 4 when the search runs out (a zero past 255
		 * takes i past NN too)
		 */
		for (k = 4; i <= NN; i += 4) {
			v[0] = v[1] = v[2] = v[3] = q[0];
			for (p = t; p < t + nt; p++) {
				v[0] ^= ex[p->lg];
				v[1] ^= ex[p->lg + p->s1];
				v[2] ^= ex[p->lg + p->s2];
				v[3] ^= ex[p->lg + p->s3];
				p->lg = mod_nn(p->lg + p->s4);
			}
			for (k = 0; k < 4 && v[k]; k++)
				;
			if (k < 4)
				break;
		}
		i += k;
		if (i > NN)
			return count;
		root[count++] = (uint8_t)i;
		/* q(x) / (1 + X x), X = alpha^-i: q_k += X q_(k-1), bottom up */
		x = (NN - i) % NN;
		for (j = 1; j < d; j++)
			q[j] ^= gf_mul_log(rs, q[j - 1], x);
		d--;
		i++;
	}
	/* q(x) = 1 + q_1 x: its root alpha^i, i = -log q_1, in 1..255 */
	if (d == 1 && q[1]) {
		x = NN - rs->index_of[q[1]];
		if (x >= i && x <= NN)
			root[count++] = (uint8_t)x;
	}
	return count;
}

int pstore_rs_decode(const struct pstore_rs *rs, uint8_t *data, size_t len,
		     uint8_t *parity)
{
	unsigned int n = rs->nroots, pad, i, j, m, deg, count, x, e;
	uint8_t s[PSTORE_RS_MAX_NROOTS + 3], chk[PSTORE_RS_MAX_NROOTS + 3];
	uint8_t lambda[PSTORE_RS_MAX_NROOTS + 1], omega[PSTORE_RS_MAX_NROOTS];
	uint8_t val[PSTORE_RS_MAX_NROOTS], root[PSTORE_RS_MAX_NROOTS], num, den;
	uint16_t lo[PSTORE_RS_MAX_NROOTS];
	uint64_t w[MAX_WORDS], diff = 0;

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

	/*
	 * Syndromes: the difference R(x) at x = alpha^i, 0 <= i < nroots.
	 * Its byte m is the coefficient of x^(nroots-1-m).
	 */
	memset(s, 0, sizeof(s));
	for (m = 0; m < n; m++)
		add_powers(rs, s, n, rs->log_z[w[m / 8] >> byte_shift(m) & 0xff],
			   n - 1 - m);

	berlekamp_massey(rs, s, lambda);
	deg = 0;
	for (i = 1; i <= n; i++)
		if (lambda[i])
			deg = i;
	if (!deg)
		return -MM_EBADMSG;

	count = chien(rs, lambda, deg, pad, root);
	if (count != deg)
		return -MM_EBADMSG;

	/* Error evaluator omega(x) = s(x) lambda(x) mod x^deg */
	for (i = 0; i < deg; i++) {
		omega[i] = 0;
		for (j = 0; j <= i; j++)
			omega[i] ^= gf_mul(rs, s[i - j], lambda[j]);
	}

	/*
	 * Forney, for X^-1 = alpha^root: the value is
	 * omega(X^-1) X^-1 / lambda'(X^-1), lambda' the odd terms of
	 * lambda one power down: lambda_1 + lambda_3 y^2 + lambda_5 y^4 ...
	 * Each a sum of independent terms, their logarithms summed up.
	 */
	for (i = 0; i < deg; i++)
		lo[i] = rs->log_z[omega[i]];
	for (j = 0; j < count; j++) {
		x = root[j] % NN;
		num = den = 0;
		for (i = 0, e = 0; i < deg; i++, e = mod_nn(e + x)) {
			num ^= rs->exp_z[lo[i] + e];
			if (!(i & 1))
				den ^= rs->exp_z[rs->log_z[lambda[i + 1]] + e];
		}
		/* den != 0: the roots are distinct */
		val[j] = gf_div(rs, gf_mul_log(rs, num, NN - root[j]), den);
	}

	/*
	 * The pattern found must account for every syndrome, which past
	 * the correction limit it may not: s_i = sum of val X^i.  Once it
	 * does, no value is zero (the rest would be a shorter locator than
	 * Berlekamp-Massey's).
	 */
	memset(chk, 0, sizeof(chk));
	for (j = 0; j < count; j++)
		add_powers(rs, chk, n, rs->log_z[val[j]], NN - root[j]);
	if (memcmp(chk, s, n))
		return -MM_EBADMSG;

	for (j = 0; j < count; j++) {
		m = root[j] - 1u - pad;
		if (m < len)
			data[m] ^= val[j];
		else
			parity[m - len] ^= val[j];
	}
	return (int)count;
}
