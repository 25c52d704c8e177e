/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UEFI boot variables from efivarfs: reading, BootOrder-style u16 lists,
 * EFI_LOAD_OPTION.
 */
#define _DEFAULT_SOURCE
#include "efivar.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Variables bigger than this are not boot variables */
#define EFIVAR_MAX (1u << 20)

int efivar_read(const char *dir, const char *name, unsigned char **data,
		size_t *len)
{
	char path[4096];
	unsigned char *buf;
	size_t n = 0;
	FILE *f;
	int rc = 0;

	*data = NULL;
	*len = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	buf = malloc(EFIVAR_MAX + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	/* efivarfs reports size 0 in stat: read until the end */
	n = fread(buf, 1, EFIVAR_MAX + 1, f);
	if (ferror(f))
		rc = -EIO;
	else if (n > EFIVAR_MAX)
		rc = -EFBIG;
	else if (n < 4)
		rc = -EINVAL;
	fclose(f);
	if (rc) {
		free(buf);
		return rc;
	}
	memmove(buf, buf + 4, n - 4);
	*data = buf;
	*len = n - 4;
	return 0;
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

int efivar_u16_list(const unsigned char *data, size_t len, uint16_t **v,
		    size_t *n)
{
	size_t i;

	*v = NULL;
	*n = 0;
	if (len % 2)
		return -EINVAL;
	if (!len)
		return 0;
	*v = malloc(len / 2 * sizeof(**v));
	if (!*v)
		return -ENOMEM;
	for (i = 0; i < len / 2; i++)
		(*v)[i] = le16(data + 2 * i);
	*n = len / 2;
	return 0;
}

/*
 * UCS-2 (UTF-16LE) @units code units at @p, up to a NUL, as UTF-8 appended
 * to @out (which has room for 3 bytes per unit).  Returns the bytes
 * written, or -1 for a lone surrogate.
 */
static long ucs2_to_utf8(const unsigned char *p, size_t units, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < units; i++) {
		uint32_t c = le16(p + 2 * i);

		if (!c)
			break;
		if (c >= 0xd800 && c <= 0xdbff && i + 1 < units &&
		    le16(p + 2 * i + 2) >= 0xdc00 && le16(p + 2 * i + 2) <= 0xdfff) {
			c = 0x10000 + ((c - 0xd800) << 10) + (le16(p + 2 * i + 2) - 0xdc00);
			i++;
		} else if (c >= 0xd800 && c <= 0xdfff) {
			return -1;
		}
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			/* A pair: two units in, four bytes out */
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | (c >> 12 & 0x3f));
			out[o++] = (char)(0x80 | (c >> 6 & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	return (long)o;
}

void efivar_load_option_free(struct efivar_load_option *lo)
{
	free(lo->description);
	free(lo->path);
	lo->description = NULL;
	lo->path = NULL;
}

int efivar_load_option_parse(const unsigned char *data, size_t len,
			     struct efivar_load_option *lo, const char **why)
{
	size_t desc_units, fplen, pos, end, path_len = 0;
	long w;

	memset(lo, 0, sizeof(*lo));
	*why = NULL;
	/* Attributes (u32), FilePathListLength (u16), Description */
	if (len < 6) {
		*why = "shorter than an EFI_LOAD_OPTION header";
		return -EINVAL;
	}
	lo->attributes = (uint32_t)data[0] | (uint32_t)data[1] << 8 |
			 (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
	fplen = le16(data + 4);
	for (desc_units = 0; 6 + 2 * desc_units + 1 < len &&
	     le16(data + 6 + 2 * desc_units); desc_units++)
		;
	if (6 + 2 * desc_units + 1 >= len) {
		*why = "description without its NUL";
		return -EINVAL;
	}
	pos = 6 + 2 * (desc_units + 1);
	if (fplen > len - pos) {
		*why = "FilePathListLength runs past the end of the variable";
		return -EINVAL;
	}
	end = pos + fplen;
	lo->optional_len = len - end;

	lo->description = malloc(3 * desc_units + 1);
	if (!lo->description)
		return -ENOMEM;
	w = ucs2_to_utf8(data + 6, desc_units, lo->description);
	if (w < 0) {
		*why = "description is not UCS-2 (lone surrogate)";
		efivar_load_option_free(lo);
		return -EINVAL;
	}
	lo->description[w] = '\0';

	/* The device path nodes of the first instance */
	while (pos < end) {
		unsigned int type, sub;
		size_t nlen;

		if (end - pos < 4) {
			*why = "device path node header runs past FilePathListLength";
			goto bad;
		}
		type = data[pos];
		sub = data[pos + 1];
		nlen = le16(data + pos + 2);
		if (nlen < 4) {
			*why = "device path node shorter than its header";
			goto bad;
		}
		if (nlen > end - pos) {
			*why = "device path node runs past FilePathListLength";
			goto bad;
		}
		if (type == EFIVAR_DP_END)
			break;
		if (type == EFIVAR_DP_MEDIA && sub == EFIVAR_DP_MEDIA_FILEPATH) {
			size_t units = (nlen - 4) / 2;
			char *p;

			if ((nlen - 4) % 2) {
				*why = "file path node of odd length";
				goto bad;
			}
			/* Several file path nodes make one path */
			p = realloc(lo->path, path_len + 1 + 3 * units + 1);
			if (!p) {
				efivar_load_option_free(lo);
				return -ENOMEM;
			}
			lo->path = p;
			if (path_len && p[path_len - 1] != '\\' &&
			    units && le16(data + pos + 4) != '\\')
				p[path_len++] = '\\';
			w = ucs2_to_utf8(data + pos + 4, units, p + path_len);
			if (w < 0) {
				*why = "file path is not UCS-2 (lone surrogate)";
				goto bad;
			}
			path_len += (size_t)w;
			p[path_len] = '\0';
		}
		pos += nlen;
	}
	if (pos >= end) {
		*why = "device path without an end node";
		goto bad;
	}
	return 0;
bad:
	efivar_load_option_free(lo);
	return -EINVAL;
}
