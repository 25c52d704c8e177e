// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memblock as the device-tree code sees it (see memblock.h).  Each type is
 * an array of disjoint regions sorted by address; neighbours that touch
 * and carry the same flags are merged, as memblock_merge_regions() does,
 * so a free piece is exactly what Linux's free-range walk yields.
 */
#include "memblock.h"

void memblock_init(struct memblock *mb, const struct mm_alloc *a)
{
	memset(mb, 0, sizeof(*mb));
	mb->alloc = a;
}

void memblock_free_all(struct memblock *mb)
{
	mm_free(mb->alloc, mb->memory.r);
	mm_free(mb->alloc, mb->reserved.r);
	memset(&mb->memory, 0, sizeof(mb->memory));
	memset(&mb->reserved, 0, sizeof(mb->reserved));
}

static uint64_t rend(const struct memblock_region *r)
{
	return r->base + r->size;
}

static int reserve_room(struct memblock *mb, struct memblock_type *t,
			size_t more)
{
	return mm_grow(mb->alloc, &t->r, &t->cap, t->nr + more, sizeof(*t->r));
}

/* Insert a region at index @i; room must have been made */
static void insert_at(struct memblock_type *t, size_t i, uint64_t base,
		      uint64_t size, unsigned int flags)
{
	memmove(&t->r[i + 1], &t->r[i], (t->nr - i) * sizeof(*t->r));
	t->r[i] = (struct memblock_region){ base, size, flags };
	t->nr++;
}

static void merge(struct memblock_type *t)
{
	size_t i, o = 0;

	for (i = 0; i < t->nr; i++) {
		if (o && rend(&t->r[o - 1]) == t->r[i].base &&
		    t->r[o - 1].flags == t->r[i].flags)
			t->r[o - 1].size += t->r[i].size;
		else
			t->r[o++] = t->r[i];
	}
	t->nr = o;
}

/*
 * Split the regions that straddle the ends of [base, base+size) (size cut
 * at 2^64-1), so that the regions inside are whole: they are [*lo, *hi),
 * none for a size of 0.  Return: 0 or -MM_ENOMEM (nothing split).
 */
static int isolate(struct memblock *mb, struct memblock_type *t,
		   uint64_t base, uint64_t size, size_t *lo, size_t *hi)
{
	uint64_t end;
	size_t i;
	int rc;

	*lo = *hi = 0;
	size = memblock_cap_size(base, size);
	if (!size)
		return 0;
	rc = reserve_room(mb, t, 2);
	if (rc)
		return rc;
	end = base + size;

	for (i = 0; i < t->nr; i++) {
		struct memblock_region *r = &t->r[i];

		if (r->base < base && rend(r) > base) {
			insert_at(t, i + 1, base, rend(r) - base, r->flags);
			t->r[i].size = base - t->r[i].base;
		} else if (r->base < end && rend(r) > end) {
			insert_at(t, i + 1, end, rend(r) - end, r->flags);
			t->r[i].size = end - t->r[i].base;
		}
	}
	for (*lo = 0; *lo < t->nr && t->r[*lo].base < base; (*lo)++)
		;
	for (*hi = *lo; *hi < t->nr && t->r[*hi].base < end; (*hi)++)
		;
	return 0;
}

/* Add the parts of [base, base+size) that no region covers yet */
static int add_range(struct memblock *mb, struct memblock_type *t,
		     uint64_t base, uint64_t size)
{
	uint64_t end, pos;
	size_t i, gaps = 0;
	int rc;

	size = memblock_cap_size(base, size);
	if (!size)
		return 0;
	end = base + size;
	for (i = 0; i < t->nr; i++)
		gaps += t->r[i].base > base && t->r[i].base < end;
	rc = reserve_room(mb, t, gaps + 1);
	if (rc)
		return rc;
	pos = base;
	i = 0;
	while (pos < end) {
		uint64_t stop;

		while (i < t->nr && rend(&t->r[i]) <= pos)
			i++;
		if (i < t->nr && t->r[i].base <= pos) {
			pos = rend(&t->r[i++]);
			continue;
		}
		stop = i < t->nr && t->r[i].base < end ? t->r[i].base : end;
		insert_at(t, i++, pos, stop - pos, 0);
		pos = stop;
	}
	merge(t);
	return 0;
}

static int remove_range(struct memblock *mb, struct memblock_type *t,
			uint64_t base, uint64_t size)
{
	size_t lo, hi;
	int rc = isolate(mb, t, base, size, &lo, &hi);

	if (rc)
		return rc;
	memmove(&t->r[lo], &t->r[hi], (t->nr - hi) * sizeof(*t->r));
	t->nr -= hi - lo;
	return 0;
}

int memblock_add(struct memblock *mb, uint64_t base, uint64_t size)
{
	return add_range(mb, &mb->memory, base, size);
}

int memblock_remove(struct memblock *mb, uint64_t base, uint64_t size)
{
	return remove_range(mb, &mb->memory, base, size);
}

int memblock_reserve(struct memblock *mb, uint64_t base, uint64_t size)
{
	return add_range(mb, &mb->reserved, base, size);
}

int memblock_phys_free(struct memblock *mb, uint64_t base, uint64_t size)
{
	return remove_range(mb, &mb->reserved, base, size);
}

int memblock_set_nomap(struct memblock *mb, uint64_t base, uint64_t size,
		       bool on)
{
	struct memblock_type *t = &mb->memory;
	size_t lo, hi, i;
	int rc = isolate(mb, t, base, size, &lo, &hi);

	if (rc)
		return rc;
	for (i = lo; i < hi; i++)
		t->r[i].flags = on ? t->r[i].flags | MEMBLOCK_NOMAP :
				     t->r[i].flags & ~MEMBLOCK_NOMAP;
	merge(t);
	return 0;
}

bool memblock_overlaps(const struct memblock_type *t, uint64_t base,
		       uint64_t size)
{
	size_t i;

	size = memblock_cap_size(base, size);
	for (i = 0; i < t->nr; i++)
		if (base < rend(&t->r[i]) && t->r[i].base < base + size)
			return true;
	return false;
}

bool memblock_is_free(const struct memblock *mb, uint64_t base, uint64_t size)
{
	size_t i;

	if (!size || size > UINT64_MAX - base ||
	    memblock_overlaps(&mb->reserved, base, size))
		return false;
	for (i = 0; i < mb->memory.nr; i++) {
		const struct memblock_region *r = &mb->memory.r[i];

		if (r->base <= base && base + size <= rend(r))
			return !(r->flags & MEMBLOCK_NOMAP);
	}
	return false;
}

/*
 * The free pieces in address order: memory that is not NOMAP, less every
 * reserved range.  Calls @fn(ctx, start, end) for each until it returns
 * true; walks downwards when @down.  Return: whether @fn said stop.
 */
static bool walk_free(const struct memblock *mb, bool down,
		      bool (*fn)(void *ctx, uint64_t s, uint64_t e), void *ctx)
{
	const struct memblock_type *m = &mb->memory, *r = &mb->reserved;
	size_t k, j;

	for (k = 0; k < m->nr; k++) {
		const struct memblock_region *mr = &m->r[down ? m->nr - 1 - k : k];
		uint64_t ms = mr->base, me = rend(mr);

		if (mr->flags & MEMBLOCK_NOMAP)
			continue;
		/* The gaps between reserved ranges: [0, r0), [r0 end, r1), ... */
		for (j = 0; j <= r->nr; j++) {
			size_t g = down ? r->nr - j : j;
			uint64_t gs = g ? rend(&r->r[g - 1]) : 0;
			uint64_t ge = g < r->nr ? r->r[g].base : UINT64_MAX;
			uint64_t s = gs > ms ? gs : ms, e = ge < me ? ge : me;

			if (s < e && fn(ctx, s, e))
				return true;
		}
	}
	return false;
}

struct fit {
	uint64_t size, align, start, end, found;
};

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool fit_down(void *ctx, uint64_t s, uint64_t e)
{
	struct fit *f = ctx;
	uint64_t cand;

	s = clamp(s, f->start, f->end);
	e = clamp(e, f->start, f->end);
	if (e < f->size)
		return false;
	cand = (e - f->size) & ~(f->align - 1);
	if (cand < s)
		return false;
	f->found = cand;
	return true;
}

static bool fit_up(void *ctx, uint64_t s, uint64_t e)
{
	struct fit *f = ctx;
	uint64_t cand;

	s = clamp(s, f->start, f->end);
	e = clamp(e, f->start, f->end);
	cand = ((s - 1) | (f->align - 1)) + 1;
	if (cand >= e || e - cand < f->size)
		return false;
	f->found = cand;
	return true;
}

uint64_t memblock_phys_alloc_range(struct memblock *mb, uint64_t size,
				   uint64_t align, uint64_t start,
				   uint64_t end, bool bottom_up, int *rc)
{
	struct fit f = { size, align ? align : 64, start, end, 0 };

	*rc = 0;
	/* memblock_alloc_range_nid() and memblock_find_in_range_node() */
	if (f.end <= 1)
		f.end = UINT64_MAX;
	if (f.start < 4096)
		f.start = 4096;
	if (f.end < f.start)
		f.end = f.start;
	if (!walk_free(mb, !bottom_up, bottom_up ? fit_up : fit_down, &f))
		return 0;
	*rc = memblock_reserve(mb, f.found, size);
	return *rc ? 0 : f.found;
}
