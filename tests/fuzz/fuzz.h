/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared helpers of the libFuzzer targets: a counting allocator that can
 * fail after N allocations (so the -MM_ENOMEM paths run too), a check
 * that aborts with a message, and small table helpers.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#include "../../e820/e820.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An invariant: on violation, say which and abort (libFuzzer saves the input) */
#define FUZZ_CHECK(cond, ...)                                              \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: invariant violated: %s: ",  \
				__FILE__, __LINE__, #cond);                \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			abort();                                           \
		}                                                          \
	} while (0)

/*
 * A realloc-style allocator that fails every allocation after @left
 * successful ones (@left < 0: never); frees always work.  @live counts
 * blocks, so a target can check that a call freed everything on its own
 * (LeakSanitizer then reports where a leaked block came from).
 */
struct fuzz_alloc_ctx {
	long left;
	long live;
	long failed;
};

static inline void *fuzz_realloc(void *ctx, void *ptr, size_t size)
{
	struct fuzz_alloc_ctx *c = ctx;
	void *p;

	if (!size) {
		if (ptr)
			c->live--;
		free(ptr);
		return NULL;
	}
	if (!c->left) {
		c->failed++;
		return NULL;
	}
	p = realloc(ptr, size);
	if (!p)
		return NULL;
	if (c->left > 0)
		c->left--;
	if (!ptr)
		c->live++;
	return p;
}

static inline void *fuzz_libc_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (!size) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

/* The allocator of reference computations: plain libc, never fails */
static const struct mm_alloc fuzz_libc_alloc = { fuzz_libc_realloc, NULL };

/* Whether @a and @b hold the same entries */
static inline bool fuzz_table_equal(const struct e820_table *a,
				    const struct e820_table *b)
{
	size_t i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++)
		if (a->entries[i].addr != b->entries[i].addr ||
		    a->entries[i].size != b->entries[i].size ||
		    a->entries[i].type != b->entries[i].type)
			return false;
	return true;
}

static inline void fuzz_table_dump(const char *what, const struct e820_table *t)
{
	size_t i;

	fprintf(stderr, "%s (%zu entries)\n", what, t->nr);
	for (i = 0; i < t->nr; i++)
		fprintf(stderr, "  [%#llx +%#llx) type %#x\n",
			(unsigned long long)t->entries[i].addr,
			(unsigned long long)t->entries[i].size,
			(unsigned)t->entries[i].type);
}

/*
 * The shape of a sanitized table: every entry non-empty and not past
 * 2^64 (an entry may not end exactly at 2^64 either: sanitize refuses
 * such a table), sorted, no overlap, and adjacent entries of one type
 * only for the never-merged types 12 and 0xefffffff.
 */
static inline void fuzz_check_shape(const char *what, const struct e820_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->entries[i];
		const struct e820_entry *p = i ? &t->entries[i - 1] : NULL;
		bool ok = e->size && e->addr + e->size > e->addr;

		if (ok && p)
			ok = p->addr + p->size <= e->addr &&
			     (p->addr + p->size != e->addr || p->type != e->type ||
			      e->type == E820_TYPE_PRAM ||
			      e->type == E820_TYPE_SOFT_RESERVED);
		if (!ok)
			fuzz_table_dump(what, t);
		FUZZ_CHECK(ok, "%s: entry %zu [%#llx +%#llx) type %#x: empty, "
			   "wrapping, unsorted, overlapping or unmerged", what, i,
			   (unsigned long long)e->addr,
			   (unsigned long long)e->size, (unsigned)e->type);
	}
}

#endif
