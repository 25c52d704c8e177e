/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reed-Solomon codec of ramoops' ECC: the code Linux's
 * fs/pstore/ram_core.c sets up with init_rs(8, 0x11d, 0, 1, ecc_size) and
 * drives with encode_rs8()/decode_rs8().  GF(2^8) with field polynomial
 * 0x11d, generator roots alpha^0 .. alpha^(nroots-1), shortened codewords
 * of len data bytes followed by nroots parity bytes, len + nroots <= 255.
 *
 * Parity is byte-identical to libfec's encode_rs_char() for the same
 * parameters; decoding returns what libfec's decode_rs_char() returns
 * (any failure as -MM_EBADMSG) and leaves the same bytes behind, also
 * past the correction limit.
 *
 * The caller owns struct pstore_rs (about 9 KiB, no allocation); after
 * pstore_rs_init() it is read-only and may be shared.
 */
#ifndef PSTORE_RS_H
#define PSTORE_RS_H

#include "../e820/base.h"

#ifndef MM_EBADMSG
#define MM_EBADMSG 74
#endif

/* Symbols per full codeword: 2^8 - 1 */
#define PSTORE_RS_NN 255
/* Largest number of parity bytes */
#define PSTORE_RS_MAX_NROOTS 254
/* 64-bit words of the encoder's tables (see struct pstore_rs) */
#define PSTORE_RS_TAB_WORDS 1024

/*
 * The encoder keeps the parity register in nwords 64-bit words, eight
 * parity bytes per word, the first byte in the top bits.  tab holds
 * multiples of the generator polynomial in the same layout, as many
 * slices of 256 rows (row v of slice j: v x^(nroots+j) mod g(x)) as fit:
 * 4 for nroots <= 8, 2 up to 16, 1 up to 32; above that 16 rows for the
 * low nibble of a byte and 16 for the high one.
 */
struct pstore_rs {
	unsigned int nroots;
	unsigned int nwords;
	unsigned int slices;
	uint8_t alpha_to[256];	/* log -> value; alpha_to[255] = 0 */
	uint8_t index_of[256];	/* value -> log; index_of[0] = 255 */
	/* Branch-free products: exp_z[log_z[a] + log_z[b]] = a b */
	uint16_t log_z[256];	/* value -> log; log_z[0] = 511 */
	uint8_t exp_z[1024];	/* alpha^(k mod 255) below 510, then 0 */
	uint8_t genpoly[PSTORE_RS_MAX_NROOTS + 1];	/* x^i coefficient */
	uint64_t tab[PSTORE_RS_TAB_WORDS];
};

/**
 * pstore_rs_init() - set up a codec with @nroots parity bytes per block
 * @rs:     codec to fill
 * @nroots: parity bytes, 1..254 (ramoops' ecc_size, 16 by default)
 *
 * Return: 0, or -MM_EINVAL when @nroots is 0 or above 254.
 */
int pstore_rs_init(struct pstore_rs *rs, unsigned int nroots);

/**
 * pstore_rs_encode() - compute the parity of one block
 * @rs:     codec
 * @data:   @len data bytes
 * @len:    data length; len + nroots <= 255 for a decodable block
 * @parity: receives rs->nroots parity bytes
 */
void pstore_rs_encode(const struct pstore_rs *rs, const uint8_t *data,
		      size_t len, uint8_t *parity);

/**
 * pstore_rs_decode() - check one block and correct it in place
 * @rs:     codec
 * @data:   @len data bytes
 * @len:    data length
 * @parity: rs->nroots parity bytes
 *
 * Corrects up to nroots / 2 wrong bytes anywhere in @data and @parity.
 * Past that limit the outcome is libfec's and Linux's: a failure, or a
 * miscorrection to another codeword reported as success (its count can
 * then exceed nroots / 2).  A block is refused when the error locator
 * is a constant, does not split into distinct roots, has a root in the
 * shortened part of the codeword, or gives error values that do not
 * account for every syndrome (the checks of Linux since 5.3 and of the
 * libfec Debian ships; Karn's original libfec lacked the last two).
 *
 * Return: the number of corrected symbols (0 for a clean block);
 * -MM_EBADMSG when the block is uncorrectable, @data and @parity then
 * unchanged; -MM_EINVAL when len + nroots > 255.
 */
int pstore_rs_decode(const struct pstore_rs *rs, uint8_t *data, size_t len,
		     uint8_t *parity);

#endif
