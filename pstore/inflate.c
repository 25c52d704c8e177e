/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded raw-deflate inflation with zlib.
 */
#include "inflate.h"

#include <zlib.h>

static voidpf zl_alloc(voidpf opaque, uInt items, uInt size)
{
	const struct mm_alloc *a = opaque;

	if (size && items > SIZE_MAX / size)
		return Z_NULL;
	return a->realloc(a->ctx, NULL, (size_t)items * size);
}

static void zl_free(voidpf opaque, voidpf ptr)
{
	mm_free(opaque, ptr);
}

int pstore_inflate(const uint8_t *in, size_t n, const struct mm_alloc *a,
		   uint8_t **out, size_t *out_len, const char **why)
{
	size_t limit, cap = 0, len = 0;
	uint8_t *buf = NULL;
	z_stream zs;
	int zrc, rc = 0;

	limit = n > PSTORE_INFLATE_MAX / PSTORE_INFLATE_RATIO ?
		PSTORE_INFLATE_MAX : n * PSTORE_INFLATE_RATIO;
	if (limit < PSTORE_INFLATE_MIN)
		limit = PSTORE_INFLATE_MIN;
	if (n > UINT32_MAX) {
		*why = "record too large to inflate";
		return -MM_EINVAL;
	}

	memset(&zs, 0, sizeof(zs));
	zs.zalloc = zl_alloc;
	zs.zfree = zl_free;
	zs.opaque = (voidpf)a;
	if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
		return -MM_ENOMEM;
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;

	/* Each round consumes input or makes output, up to the bound */
	do {
		if (len == cap) {
			size_t want = cap ? cap * 2 : 4096;
			uint8_t *nbuf;

			if (want > limit)
				want = limit;
			if (want <= cap) {
				*why = "inflates past the size limit";
				rc = -MM_EINVAL;
				break;
			}
			nbuf = a->realloc(a->ctx, buf, want);
			if (!nbuf) {
				rc = -MM_ENOMEM;
				break;
			}
			buf = nbuf;
			cap = want;
		}
		zs.next_out = buf + len;
		zs.avail_out = (uInt)(cap - len);
		zrc = inflate(&zs, Z_NO_FLUSH);
		len = cap - zs.avail_out;
		if (zrc == Z_MEM_ERROR) {
			rc = -MM_ENOMEM;
		} else if (zrc == Z_NEED_DICT || zrc == Z_DATA_ERROR ||
			   zrc == Z_STREAM_ERROR) {
			*why = "not a valid deflate stream";
			rc = -MM_EINVAL;
		} else if (zrc == Z_BUF_ERROR && !zs.avail_in) {
			/* No input left and no end of stream */
			*why = "the deflate stream is truncated";
			rc = -MM_EINVAL;
		}
	} while (!rc && zrc != Z_STREAM_END);
	inflateEnd(&zs);

	if (rc) {
		mm_free(a, buf);
		return rc;
	}
	*out = buf;
	*out_len = len;
	return 0;
}
