/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * varstore IMAGE NAME GUID ATTRIBUTES DATA-FILE: add a variable to the
 * authenticated variable store of an OVMF variables image, as the
 * firmware's variable driver lays one out, for a test machine's first
 * boot (MokList before Secure Boot is on, where no shell can set it).
 * Exit status 0, or 1 with a line that says why.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FV_SIG_AT	0x28
#define FV_HDRLEN_AT	0x30
#define STORE_HDR	28	/* VARIABLE_STORE_HEADER */
#define VAR_HDR		60	/* AUTHENTICATED_VARIABLE_HEADER */
#define VAR_START_ID	0x55aa
#define VAR_ADDED	0x3f

/* gEfiAuthenticatedVariableGuid aaf32c78-947b-439a-a180-2e144ec37792 */
static const uint8_t auth_store_guid[16] = {
	0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
	0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92,
};

static uint32_t le(const uint8_t *p, int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put(uint8_t *p, uint32_t v, int n)
{
	while (n--)
		*p++ = (uint8_t)v, v >>= 8;
}

static int die(const char *what, const char *why)
{
	fprintf(stderr, "varstore: %s: %s\n", what, why);
	return 1;
}

/* "605dab50-e046-4300-abb6-3dd810dd8b23" as EFI_GUID bytes */
static int parse_guid(const char *s, uint8_t g[16])
{
	static const int order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
				       8, 9, 10, 11, 12, 13, 14, 15 };
	char hex[33];
	size_t i, k = 0;

	for (i = 0; s[i]; i++) {
		if (s[i] == '-' && (i == 8 || i == 13 || i == 18 || i == 23))
			continue;
		if (k == 32 || !strchr("0123456789abcdefABCDEF", s[i]))
			return -1;
		hex[k++] = s[i];
	}
	if (k != 32)
		return -1;
	for (i = 0; i < 16; i++) {
		char b[3] = { hex[2 * i], hex[2 * i + 1], 0 };

		g[order[i]] = (uint8_t)strtoul(b, NULL, 16);
	}
	return 0;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	long len;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 &&
	    !fseek(f, 0, SEEK_SET) && (p = malloc((size_t)len + 1)) &&
	    fread(p, 1, (size_t)len, f) != (size_t)len) {
		free(p);
		p = NULL;
	}
	if (p)
		*n = (size_t)len;
	fclose(f);
	return p;
}

int main(int argc, char **argv)
{
	uint8_t guid[16], *img, *data, *v;
	size_t img_len, data_len, hdr, store, end, off, name_len, need, i;
	const char *name;
	FILE *f;

	if (argc != 6) {
		fputs("usage: varstore IMAGE NAME GUID ATTRIBUTES DATA-FILE\n", stderr);
		return 2;
	}
	name = argv[2];
	if (parse_guid(argv[3], guid))
		return die(argv[3], "not a GUID");
	img = slurp(argv[1], &img_len);
	if (!img)
		return die(argv[1], "cannot read it");
	data = slurp(argv[5], &data_len);
	if (!data)
		return die(argv[5], "cannot read it");

	/* The firmware volume, then the variable store header */
	if (img_len < 0x48 || memcmp(img + FV_SIG_AT, "_FVH", 4))
		return die(argv[1], "no firmware volume header");
	hdr = le(img + FV_HDRLEN_AT, 2);
	if (hdr + STORE_HDR > img_len || memcmp(img + hdr, auth_store_guid, 16))
		return die(argv[1], "no authenticated variable store");
	store = le(img + hdr + 16, 4);
	if (store > img_len - hdr)
		return die(argv[1], "the variable store runs past the image");
	end = hdr + store;

	/* Past the last variable */
	for (off = (hdr + STORE_HDR + 3) & ~(size_t)3;
	     off + VAR_HDR <= end && le(img + off, 2) == VAR_START_ID;
	     off = (off + VAR_HDR + le(img + off + 36, 4) + le(img + off + 40, 4) + 3) & ~(size_t)3)
		;
	name_len = 2 * (strlen(name) + 1);
	need = VAR_HDR + name_len + data_len;
	if (off > end || need > end - off)
		return die(argv[1], "no room in the variable store");
	for (i = 0; i < need; i++)
		if (img[off + i] != 0xff)
			return die(argv[1], "the free space is not free");

	v = img + off;
	memset(v, 0, VAR_HDR);
	put(v, VAR_START_ID, 2);
	v[2] = VAR_ADDED;
	put(v + 4, (uint32_t)strtoul(argv[4], NULL, 0), 4);
	put(v + 36, (uint32_t)name_len, 4);
	put(v + 40, (uint32_t)data_len, 4);
	memcpy(v + 44, guid, 16);
	for (i = 0; i <= strlen(name); i++)
		put(v + VAR_HDR + 2 * i, (uint8_t)name[i], 2);
	memcpy(v + VAR_HDR + name_len, data, data_len);

	f = fopen(argv[1], "r+b");
	if (!f || fseek(f, (long)off, SEEK_SET) || fwrite(v, 1, need, f) != need ||
	    fclose(f))
		return die(argv[1], "cannot write it");
	free(img);
	free(data);
	return 0;
}
