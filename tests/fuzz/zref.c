/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system zlib as the reference of the inflate target (see zref.h).
 * This file includes <zlib.h> from /usr/include and must not see the
 * firmware zlib's headers.
 */
#include "zref.h"

#include <stdlib.h>
#include <zlib.h>

#ifdef Z_PREFIX_SET
#error "zref.c must be compiled against the system zlib, without Z_PREFIX"
#endif

enum zref_result zref_inflate(const uint8_t *in, size_t n, size_t limit,
			      uint8_t **out, size_t *out_len)
{
	enum zref_result res;
	z_stream zs = { 0 };
	uint8_t *buf;
	int zrc;

	/* One byte more than the limit tells "exactly the limit" apart */
	buf = malloc(limit + 1);
	if (!buf || n > UINT32_MAX || limit + 1 > UINT32_MAX ||
	    inflateInit2(&zs, -MAX_WBITS) != Z_OK)
		abort();
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = buf;
	zs.avail_out = (uInt)(limit + 1);
	zrc = inflate(&zs, Z_FINISH);
	if (zrc == Z_STREAM_END && zs.total_out <= limit)
		res = ZREF_OK;
	else if (zs.total_out > limit)
		res = ZREF_TOO_BIG;
	else
		res = ZREF_BAD;
	inflateEnd(&zs);
	if (res != ZREF_OK) {
		free(buf);
		return res;
	}
	*out = buf;
	*out_len = zs.total_out;
	return res;
}

const char *zref_version(void)
{
	return zlibVersion();
}
