/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocator helpers, text buffer and sort for the portable core.
 */
#include "base.h"

int mm_grow(const struct mm_alloc *a, void *arr, size_t *cap, size_t want,
	    size_t elem)
{
	void **p = arr;
	size_t ncap = *cap ? *cap : 8;
	void *n;

	if (want <= *cap)
		return 0;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2)
			return -MM_ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elem)
		return -MM_ENOMEM;
	n = a->realloc(a->ctx, *p, ncap * elem);
	if (!n)
		return -MM_ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}

void mm_free(const struct mm_alloc *a, void *ptr)
{
	if (ptr)
		a->realloc(a->ctx, ptr, 0);
}

void mm_buf_init(struct mm_buf *b, const struct mm_alloc *a)
{
	b->s = NULL;
	b->len = b->cap = 0;
	b->alloc = a;
	b->rc = 0;
}

void mm_buf_free(struct mm_buf *b)
{
	mm_free(b->alloc, b->s);
	mm_buf_init(b, b->alloc);
}

void mm_buf_putn(struct mm_buf *b, const char *s, size_t n)
{
	int rc;

	if (b->rc)
		return;
	if (n > SIZE_MAX - b->len - 1) {
		b->rc = -MM_ENOMEM;
		return;
	}
	rc = mm_grow(b->alloc, &b->s, &b->cap, b->len + n + 1, 1);
	if (rc) {
		b->rc = rc;
		return;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void mm_buf_puts(struct mm_buf *b, const char *s)
{
	mm_buf_putn(b, s, strlen(s));
}

void mm_buf_putc(struct mm_buf *b, char c)
{
	mm_buf_putn(b, &c, 1);
}

void mm_buf_xdigits(struct mm_buf *b, uint64_t v, unsigned int digits)
{
	char tmp[16];
	unsigned int n = 0, i;

	do {
		tmp[n++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	for (i = n; i < digits; i++)
		mm_buf_putc(b, '0');
	while (n)
		mm_buf_putc(b, tmp[--n]);
}

void mm_buf_hex(struct mm_buf *b, uint64_t v, unsigned int digits)
{
	mm_buf_puts(b, "0x");
	mm_buf_xdigits(b, v, digits);
}

void mm_buf_dec(struct mm_buf *b, uint64_t v)
{
	char tmp[20];
	unsigned int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		mm_buf_putc(b, tmp[--n]);
}
