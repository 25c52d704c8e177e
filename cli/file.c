// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whole files for the memmap command.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int cli_slurp(const char *path, size_t max, unsigned char **buf, size_t *n)
{
	unsigned char *b = NULL, *nb;
	size_t cap = 4096, got;
	FILE *f;
	int rc = 0;

	*buf = NULL;
	*n = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	/* Grown as it fills: /proc and efivarfs files say size 0 */
	for (;;) {
		nb = realloc(b, cap + 1);
		if (!nb) {
			rc = -ENOMEM;
			break;
		}
		b = nb;
		got = fread(b + *n, 1, cap - *n, f);
		*n += got;
		if (ferror(f)) {
			rc = -EIO;
			break;
		}
		if (*n < cap)
			break;
		if (cap >= max) {
			rc = -EFBIG;
			break;
		}
		cap *= 2;
	}
	fclose(f);
	if (rc) {
		free(b);
		*n = 0;
		return rc;
	}
	b[*n] = '\0';
	*buf = b;
	return 0;
}
