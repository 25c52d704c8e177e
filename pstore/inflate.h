/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inflating pstore's compressed ('C') dmesg records: raw deflate, as
 * Linux's pstore deflate compressor writes them, through zlib (hosted
 * zlib on Linux; zlib built from Debian's source for memmap.efi).
 */
#ifndef PSTORE_INFLATE_H
#define PSTORE_INFLATE_H

#include "../e820/base.h"

/* No record inflates past this: 64 times its size, at least 64 KiB,
 * at most 16 MiB */
#define PSTORE_INFLATE_RATIO	64u
#define PSTORE_INFLATE_MIN	(64u << 10)
#define PSTORE_INFLATE_MAX	(16u << 20)

/**
 * pstore_inflate() - inflate @n bytes of raw deflate into a new buffer
 * @out, @out_len: the result (allocated with @a) on success
 * @why:           on failure, the reason
 * Return: 0; -MM_EINVAL when the data does not inflate (corrupt,
 * truncated, or past the bound); -MM_ENOMEM.
 */
int pstore_inflate(const uint8_t *in, size_t n, const struct mm_alloc *a,
		   uint8_t **out, size_t *out_len, const char **why);

#endif
