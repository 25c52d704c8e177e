/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The reference inflater of the inflate target: the system's zlib
 * (libz.so.1), in its own translation unit.  The target links the
 * firmware build of zlib too, compiled with Z_PREFIX so that every one
 * of its symbols is z_-prefixed (z_inflate, z_inflate_fast, ...) and
 * none clashes with libz's inflate, inflate_fast, ... (see fuzz.mk).
 */
#ifndef TESTS_FUZZ_ZREF_H
#define TESTS_FUZZ_ZREF_H

#include <stddef.h>
#include <stdint.h>

enum zref_result {
	ZREF_OK,		/* the stream ends within the limit */
	ZREF_TOO_BIG,		/* it inflates past @limit bytes */
	ZREF_BAD,		/* corrupt or truncated */
};

/**
 * zref_inflate() - raw inflate (windowBits -15) of @in[0..n) with the
 * system zlib, at most @limit bytes of output
 * @out, @out_len: on ZREF_OK, the output (malloc'ed, free it)
 */
enum zref_result zref_inflate(const uint8_t *in, size_t n, size_t limit,
			      uint8_t **out, size_t *out_len);

/* The system zlib's version string, for the log */
const char *zref_version(void);

#endif
