/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared declarations of the Check unit tests: one suite per file,
 * assembled by main.c, and the small helpers the suites share.
 */
#ifndef TESTS_UNIT_TESTS_H
#define TESTS_UNIT_TESTS_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../cli/mapread.h"
#include "../../cmdline/apply.h"

Suite *base_suite(void);
Suite *memparse_suite(void);
Suite *parse_suite(void);
Suite *parse_error_suite(void);
Suite *sanitize_suite(void);
Suite *model_suite(void);
Suite *fit_suite(void);
Suite *efimap_suite(void);
Suite *apply_suite(void);
Suite *rs_suite(void);		/* rs.c, pstore Reed-Solomon */
Suite *pstore_suite(void);	/* pstore.c, pstore layout, zones, records */
Suite *inflate_suite(void);	/* inflate.c, pstore inflate */
Suite *fault_suite(void);	/* fault.c, pstore fault injection */
Suite *handover_suite(void);	/* handover.c, cmdline/handover */
Suite *dt_suite(void);		/* dt.c, the device-tree model */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The realloc-based allocator every test uses unless it counts failures */
#define TEST_ALLOC (&mapread_libc_alloc)

/*
 * An allocator that fails every allocation after @left successful ones
 * (frees always work), to walk every -MM_ENOMEM path of a function.
 */
struct fail_alloc_ctx {
	long left;
	long failed;
};

/* splitmix64: a fixed seed gives a fixed sequence */
static inline uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rnd_below(uint64_t *s, uint64_t n)
{
	return rnd_next(s) % n;
}

static inline void rnd_fill(uint64_t *s, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd_next(s);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void *fail_realloc(void *ctx, void *ptr, size_t size)
{
	struct fail_alloc_ctx *c = ctx;

	if (!size) {
		free(ptr);
		return NULL;
	}
	if (c->left <= 0) {
		c->failed++;
		return NULL;
	}
	c->left--;
	return realloc(ptr, size);
}

/*
 * An allocator that keeps every live block, to check that a function
 * leaves nothing allocated, and to free what it leaked so the leak is
 * reported once by the test rather than again by LeakSanitizer.  It
 * fails every allocation after @left successful ones (@left < 0: none
 * fail) and records the largest size asked for.
 */
struct track_alloc_ctx {
	long left;
	long failed;
	size_t max_size;
	void **blocks;
	size_t live, cap;
};

#define TRACK_ALLOC_INIT(left) { (left), 0, 0, NULL, 0, 0 }

static inline void *track_realloc(void *ctx, void *ptr, size_t size)
{
	struct track_alloc_ctx *c = ctx;
	size_t i;
	void *p;

	for (i = 0; ptr && i < c->live && c->blocks[i] != ptr; i++)
		;
	if (!size) {
		if (ptr && i < c->live)
			c->blocks[i] = c->blocks[--c->live];
		free(ptr);
		return NULL;
	}
	if (!c->left) {
		c->failed++;
		return NULL;
	}
	if (c->left > 0)
		c->left--;
	if (size > c->max_size)
		c->max_size = size;
	if (!ptr && c->live == c->cap) {
		void **nb = realloc(c->blocks, (c->cap ? c->cap * 2 : 16) *
					       sizeof(*nb));

		if (!nb)
			return NULL;
		c->blocks = nb;
		c->cap = c->cap ? c->cap * 2 : 16;
	}
	p = realloc(ptr, size);
	if (p && ptr && i < c->live)
		c->blocks[i] = p;
	else if (p && !ptr)
		c->blocks[c->live++] = p;
	return p;
}

/* Free every block still live; return how many there were */
static inline size_t track_release(struct track_alloc_ctx *c)
{
	size_t n = c->live;

	while (c->live)
		free(c->blocks[--c->live]);
	free(c->blocks);
	c->blocks = NULL;
	c->cap = 0;
	return n;
}

/* An entry literal in a table row */
#define E(a, s, t) { (a), (s), (t) }

/* Fill @t (initialized) with @n entries of @e */
static inline void table_set(struct e820_table *t, const struct e820_entry *e,
			     size_t n)
{
	size_t i;

	t->nr = 0;
	for (i = 0; i < n; i++)
		ck_assert_int_eq(e820_range_add(t, e[i].addr, e[i].size,
						e[i].type), 0);
}

/* Whether @t holds exactly @e[0..n) */
static inline int table_equal(const struct e820_table *t,
			      const struct e820_entry *e, size_t n)
{
	size_t i;

	if (t->nr != n)
		return 0;
	for (i = 0; i < n; i++)
		if (t->entries[i].addr != e[i].addr ||
		    t->entries[i].size != e[i].size ||
		    t->entries[i].type != e[i].type)
			return 0;
	return 1;
}

/* Print @t to stderr, for the failure message of a row */
static inline void table_dump(const char *what, int line,
			      const struct e820_table *t)
{
	size_t i;

	fprintf(stderr, "line %d: %s (%zu entries)\n", line, what, t->nr);
	for (i = 0; i < t->nr; i++)
		fprintf(stderr, "  [%#llx +%#llx) type %#x\n",
			(unsigned long long)t->entries[i].addr,
			(unsigned long long)t->entries[i].size,
			(unsigned)t->entries[i].type);
}

/* Assert that @t holds exactly @e[0..n); dump it when not */
#define ck_assert_table(line, t, e, n)                                     \
	do {                                                               \
		int ok_ = table_equal((t), (e), (n));                      \
		if (!ok_)                                                  \
			table_dump("table differs from the expected one",  \
				   (line), (t));                           \
		ck_assert_msg(ok_, "line %d: table differs (see above)",   \
			      (line));                                     \
	} while (0)

#endif
