/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared basics of the portable core: errno values, the caller's
 * allocator, a growable text buffer and the few libc functions the core
 * uses.  Compiles hosted (tests, CLI) and freestanding (firmware).
 */
#ifndef E820_BASE_H
#define E820_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif

#if defined(MM_FIRMWARE) && __STDC_HOSTED__
#error "the firmware build must be freestanding (-ffreestanding)"
#endif

/* Linux's errno values; the core returns 0 or one of these, negated */
#define MM_ENOENT 2
#define MM_ENOMEM 12
#define MM_EEXIST 17
#define MM_EINVAL 22
#define MM_ENOSPC 28
#define MM_ERANGE 34

/*
 * The caller's allocator, realloc-style: realloc(ctx, NULL, n) allocates,
 * realloc(ctx, p, 0) frees and returns NULL.  Returns NULL on failure,
 * leaving p untouched.
 */
struct mm_alloc {
	void *(*realloc)(void *ctx, void *ptr, size_t size);
	void *ctx;
};

/**
 * mm_grow() - make room for at least @want elements in a growable array
 * @a:    allocator
 * @arr:  address of the array pointer (updated on success)
 * @cap:  address of the capacity in elements (updated on success)
 * @want: elements needed
 * @elem: size of one element
 *
 * Return: 0, or -MM_ENOMEM (the array is then unchanged).
 */
int mm_grow(const struct mm_alloc *a, void *arr, size_t *cap, size_t want,
	    size_t elem);

/* Free memory obtained from @a; NULL is fine */
void mm_free(const struct mm_alloc *a, void *ptr);

/* A growable NUL-terminated text buffer; all output of the core goes here */
struct mm_buf {
	char *s;
	size_t len, cap;
	const struct mm_alloc *alloc;
	int rc;		/* first error; later appends are ignored */
};

void mm_buf_init(struct mm_buf *b, const struct mm_alloc *a);
void mm_buf_free(struct mm_buf *b);
void mm_buf_putn(struct mm_buf *b, const char *s, size_t n);
void mm_buf_puts(struct mm_buf *b, const char *s);
void mm_buf_putc(struct mm_buf *b, char c);
/* @v in lowercase hex with "0x", zero-padded to @digits digits (0: none) */
void mm_buf_hex(struct mm_buf *b, uint64_t v, unsigned int digits);
/* The same without "0x" */
void mm_buf_xdigits(struct mm_buf *b, uint64_t v, unsigned int digits);
void mm_buf_dec(struct mm_buf *b, uint64_t v);

/* The kernel's isspace(): also 0xa0, which its ctype marks as space */
static inline bool mm_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static inline bool mm_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

#endif
