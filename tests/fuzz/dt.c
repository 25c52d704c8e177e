/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: a flattened device tree, read (dt_read), booted in the
 * model of Linux 6.1 and 6.12 (dt_model_run), memmap's regions placed in
 * what is left (dt_place, a fixed plan), written into it (dt_write), the
 * written blob read and booted again, and dt_same() asked about the two;
 * then placed again with the places found remembered (they must be taken
 * again, unchanged) and with the other kernel's places remembered.
 *
 * Input: byte 0 controls the run, the rest is the blob.
 *   bit 7 set:  every core call may make only (byte & 0x3f) allocations,
 *               the next one fails (the -MM_ENOMEM paths; nothing may leak)
 *   bit 6 set:  held ranges follow: byte 1 & 3 of them, each a big-endian
 *               64-bit base and 64-bit size (what memmap dt --reserved
 *               gives: the kernel image, the DTB); ranges of size 0 or
 *               past 2^64 are left out, as the CLI refuses them
 *   then:       the blob (copied to its own 8-byte aligned buffer of
 *               exactly its length, so that a read past it is caught)
 *
 * The placement invariants, checked by this file's own interval code from
 * the tree dt_read() made (not from memblock), and why they are sound
 * (dt/LINUX.md sections 3-9):
 *  - Memory is the /memory banks, each page-rounded (base up, size down),
 *    less everything at or past 2^48 and past the linear map (2^47 bytes
 *    from the GiB of the lowest bank); memblock finds blocks only there,
 *    and never below 4096.
 *  - A region placed by the model (a dynamic child, or in 6.1 a child whose
 *    first reg pair has size 0 and that has a size) is KEPT only when its
 *    allocation succeeded: it lies in memory, inside one of its
 *    alloc-ranges when it has them, aligned as asked when the alignment is
 *    a power of two (memblock rounds with masks), of the size asked.  It
 *    overlaps nothing reserved or marked no-map when it was placed: the
 *    held ranges, the /memreserve/ entries in 6.1 (6.12 reserves them
 *    after the dynamic regions), every reg pair of size > 0 of an
 *    available child with a valid reg (all statics are reserved before
 *    any dynamic region is placed), a no-map pair that cannot have met
 *    -EBUSY (it overlaps none of the above, so Linux marked it NOMAP),
 *    nor any other KEPT placed region.  One exception: in 6.1 a child
 *    with a size-0 first reg pair sorts by its base among the statics,
 *    whose init may have given their ranges back before it is placed; for
 *    those the ranges of FREED statics are allowed.
 *  - A region dt_place() placed (after the whole boot) lies in memory, at
 *    a multiple of its alignment, and overlaps nothing reserved or no-map
 *    at the end: held, /memreserve/ (both versions now), static pairs,
 *    model-placed regions (a FREED one without no-map was given back, a
 *    FREED no-map one is still reserved), the NOMAP pairs above, other
 *    placed regions; where a FREED region was given back (memblock_phys_free
 *    or NOMAP cleared), the overlap is allowed.  The same holds for a
 *    place taken because it was remembered.
 *  - The written blob reads back with the same memory banks and
 *    /memreserve/ entries, the old children and one child NAME@ADDR per
 *    region whose reg is the region.
 */
#include "fuzz.h"

#include <stdint.h>
#include <string.h>

#include "../../dt/apply.h"

#define PAGE 4096ULL
#define CMA_ALIGN 0x200000ULL

static const char plan_line[] =
	"memmap=64K*4096:a reserve_mem=128K:64K:b ramoops.mem_name=a";

/* --- interval sets (inclusive ends: nothing here wraps) ----------------- */

struct span {
	uint64_t first, last;
};

struct spans {
	struct span *v;
	size_t n, cap;
};

static void spans_add(struct spans *s, uint64_t base, uint64_t size)
{
	if (!size)
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		FUZZ_CHECK(s->v, "out of memory");
	}
	s->v[s->n].first = base;
	s->v[s->n].last = base + (size - 1);
	s->n++;
}

static void spans_free(struct spans *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* Sorted, overlapping or touching spans joined */
static void spans_merge(struct spans *s)
{
	size_t i, o = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), span_cmp);
	for (i = 1; i < s->n; i++) {
		if (s->v[o].last == UINT64_MAX || s->v[i].first <= s->v[o].last + 1) {
			if (s->v[i].last > s->v[o].last)
				s->v[o].last = s->v[i].last;
		} else {
			s->v[++o] = s->v[i];
		}
	}
	s->n = o + 1;
}

/* Whether [first, last] lies inside the union of @s (merged) */
static bool spans_cover(const struct spans *s, uint64_t first, uint64_t last)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].first <= first && last <= s->v[i].last)
			return true;
	return false;
}

/*
 * The first span of @s that [first, last] overlaps outside the union of
 * @allowed (merged; NULL: nothing allowed), or NULL
 */
static const struct span *spans_hit(const struct spans *s,
				    const struct spans *allowed,
				    uint64_t first, uint64_t last)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		uint64_t a = s->v[i].first > first ? s->v[i].first : first;
		uint64_t b = s->v[i].last < last ? s->v[i].last : last;

		if (a <= b && !(allowed && spans_cover(allowed, a, b)))
			return &s->v[i];
	}
	return NULL;
}

/* --- the tree as this file reads it ------------------------------------- */

static uint64_t cells(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;

	while (n--) {
		v = v << 32 | (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
		    (uint64_t)p[2] << 8 | p[3];
		p += 4;
	}
	return v;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* One string of a compatible list equal to @name, case ignored */
static bool has_compatible(const struct dt_prop *p, const char *name)
{
	size_t want = strlen(name), at = 0, k;

	while (p->len > 0 && at < (size_t)p->len) {
		size_t n = 0;

		while (at + n < (size_t)p->len && p->val[at + n])
			n++;

		for (k = 0; k < n && k < want; k++)
			if (lower(p->val[at + k]) != lower((unsigned char)name[k]))
				break;
		if (k == n && n == want)
			return true;
		at += n + 1;
	}
	return false;
}

struct facts {
	uint32_t t_len;		/* bytes of one (address, size) pair */
	struct spans mem;	/* memblock.memory as Linux makes it, merged */
	struct spans held, memreserve;
	struct spans statics;	/* reg pairs reserved (not no-map) */
	struct spans nomap;	/* no-map pairs that were surely marked */
};

static void page_round(uint64_t *base, uint64_t *size)
{
	uint64_t off = *base & (PAGE - 1);

	if (off) {
		if (*size < PAGE - off) {
			*size = 0;
			return;
		}
		*size -= PAGE - off;
		*base += PAGE - off;
	}
	*size &= ~(PAGE - 1);
}

static void facts_make(struct facts *f, const struct dt_tree *t,
		       enum dt_linux v, const struct dt_range *held,
		       size_t nheld)
{
	struct spans nomap_all = { 0 };
	uint64_t lowest = UINT64_MAX, limit;
	size_t i, k;

	memset(f, 0, sizeof(*f));
	f->t_len = 4 * (t->addr_cells + t->size_cells);
	FUZZ_CHECK(t->addr_cells >= 1 && t->addr_cells <= 4 &&
		   t->size_cells >= 1 && t->size_cells <= 4,
		   "dt_read() accepted root cells %u/%u", t->addr_cells,
		   t->size_cells);

	/* Memory: page-rounded banks below 2^48, then the linear map's end */
	for (i = 0; i < t->nr_memory; i++) {
		uint64_t base = t->memory[i].base, size = t->memory[i].size;

		FUZZ_CHECK(size && base + (size - 1) >= base,
			   "dt_read() kept bank %zu [%#llx +%#llx)", i,
			   (unsigned long long)base, (unsigned long long)size);
		page_round(&base, &size);
		if (!size || base >= 1ULL << 48)
			continue;
		if (size > (1ULL << 48) - base)
			size = (1ULL << 48) - base;
		spans_add(&f->mem, base, size);
		if (base < lowest)
			lowest = base;
	}
	spans_merge(&f->mem);
	if (lowest != UINT64_MAX) {
		limit = (lowest & ~((1ULL << 30) - 1)) + (1ULL << 47);
		for (i = 0; i < f->mem.n; i++)
			if (f->mem.v[i].last >= limit)
				f->mem.v[i].last = limit - 1;
		for (i = f->mem.n; i-- > 0;)
			if (f->mem.v[i].first >= limit)
				f->mem.n = i;
	}

	for (i = 0; i < nheld; i++)
		spans_add(&f->held, held[i].base, held[i].size);
	for (i = 0; i < t->nr_memreserve; i++) {
		FUZZ_CHECK(t->memreserve[i].size &&
			   t->memreserve[i].base + (t->memreserve[i].size - 1) >=
			   t->memreserve[i].base,
			   "dt_read() kept /memreserve/ %zu", i);
		spans_add(&f->memreserve, t->memreserve[i].base,
			  t->memreserve[i].size);
	}

	/* Every pair of an available child with a valid reg is reserved or
	 * marked, when Linux reads /reserved-memory at all */
	for (i = 0; t->has_resmem && t->resmem_ok && i < t->nr_child; i++) {
		const struct dt_child *c = &t->child[i];

		if (!c->available || c->reg.len < 0 || c->reg.len % f->t_len)
			continue;
		for (k = 0; k < (size_t)c->reg.len / f->t_len; k++) {
			const uint8_t *p = c->reg.val + k * f->t_len;
			uint64_t base = cells(p, t->addr_cells);
			uint64_t size = cells(p + 4 * t->addr_cells, t->size_cells);

			FUZZ_CHECK(!size || base + (size - 1) >= base,
				   "dt_read() kept a reg pair of %s that wraps",
				   c->name);
			spans_add(c->nomap ? &nomap_all : &f->statics, base, size);
		}
	}

	/* A no-map pair meets -EBUSY only when it overlaps something reserved
	 * then; reserved then is at most held, /memreserve/ (6.1) and the
	 * other statics */
	for (i = 0; i < nomap_all.n; i++) {
		const struct span *s = &nomap_all.v[i];

		if (spans_hit(&f->held, NULL, s->first, s->last) ||
		    (v == DT_LINUX_6_1 &&
		     spans_hit(&f->memreserve, NULL, s->first, s->last)) ||
		    spans_hit(&f->statics, NULL, s->first, s->last))
			continue;
		spans_add(&f->nomap, s->first, s->last - s->first + 1);
	}
	spans_free(&nomap_all);
}

static void facts_free(struct facts *f)
{
	spans_free(&f->mem);
	spans_free(&f->held);
	spans_free(&f->memreserve);
	spans_free(&f->statics);
	spans_free(&f->nomap);
}

/* The first reg pair of @c, when its reg holds one */
static bool first_pair(const struct dt_tree *t, const struct facts *f,
		       const struct dt_child *c, uint64_t *base, uint64_t *size)
{
	if (c->reg.len < (int)f->t_len || c->reg.len % f->t_len)
		return false;
	*base = cells(c->reg.val, t->addr_cells);
	*size = cells(c->reg.val + 4 * t->addr_cells, t->size_cells);
	return true;
}

/* Whether the model placed @e (rather than taking it from reg) */
static bool placed_by_model(const struct dt_tree *t, const struct facts *f,
			    const struct dt_region *e)
{
	uint64_t base, size;

	return e->dynamic || (first_pair(t, f, e->node, &base, &size) && !size);
}

static void dump(const struct dt_model *m)
{
	static const char *const state[] = { "kept", "unplaced", "freed" };
	size_t i;

	fprintf(stderr, "the model (Linux %s), %zu regions:\n",
		m->linux == DT_LINUX_6_1 ? "6.1" : "6.12", m->nr_region);
	for (i = 0; i < m->nr_region; i++)
		fprintf(stderr, "  %s [%#llx +%#llx) %s%s%s\n",
			m->region[i].node->name,
			(unsigned long long)m->region[i].base,
			(unsigned long long)m->region[i].size,
			state[m->region[i].state],
			m->region[i].dynamic ? " dynamic" : "",
			m->region[i].node->nomap ? " no-map" : "");
}

/* Check [base, base+size) against @s outside @allowed; abort on a hit */
static void must_miss(const struct dt_model *m, const struct spans *s,
		      const struct spans *allowed, const char *name,
		      uint64_t base, uint64_t size, const char *what)
{
	const struct span *hit = spans_hit(s, allowed, base, base + (size - 1));

	if (hit)
		dump(m);
	FUZZ_CHECK(!hit, "Linux %s: %s [%#llx +%#llx) overlaps %s [%#llx..%#llx]",
		   m->linux == DT_LINUX_6_1 ? "6.1" : "6.12", name,
		   (unsigned long long)base, (unsigned long long)size, what,
		   hit ? (unsigned long long)hit->first : 0ULL,
		   hit ? (unsigned long long)hit->last : 0ULL);
}

static void must_be_memory(const struct dt_model *m, const struct facts *f,
			   const char *name, uint64_t base, uint64_t size)
{
	bool in = base >= PAGE && base + (size - 1) >= base &&
		  spans_cover(&f->mem, base, base + (size - 1));

	if (!in)
		dump(m);
	FUZZ_CHECK(in, "Linux %s: %s [%#llx +%#llx) is not inside the memory",
		   m->linux == DT_LINUX_6_1 ? "6.1" : "6.12", name,
		   (unsigned long long)base, (unsigned long long)size);
}

/* The regions the model placed itself */
static void check_model(const struct dt_tree *t, const struct dt_model *m,
			const struct facts *f)
{
	struct spans freed_static = { 0 };
	size_t i, k;

	for (i = 0; i < m->nr_region; i++) {
		const struct dt_region *e = &m->region[i];

		if (e->state == DT_REGION_FREED && !placed_by_model(t, f, e))
			spans_add(&freed_static, e->base, e->size);
	}
	spans_merge(&freed_static);

	for (i = 0; i < m->nr_region; i++) {
		const struct dt_region *e = &m->region[i];
		const struct dt_child *c = e->node;
		const struct spans *allowed = NULL;
		uint64_t align = 0, want;

		if (e->state != DT_REGION_KEPT || !placed_by_model(t, f, e))
			continue;
		FUZZ_CHECK(c->size.len == (int)(4 * t->size_cells),
			   "%s was placed with a size property of %d bytes",
			   c->name, c->size.len);
		want = cells(c->size.val, t->size_cells);
		FUZZ_CHECK(e->size == want, "%s placed with size %#llx, asked %#llx",
			   c->name, (unsigned long long)e->size,
			   (unsigned long long)want);
		if (!e->size)
			continue;
		must_be_memory(m, f, c->name, e->base, e->size);

		/* Inside one of its alloc-ranges */
		if (c->alloc_ranges.len >= 0) {
			bool in = false;

			for (k = 0; k + f->t_len <= (size_t)c->alloc_ranges.len;
			     k += f->t_len) {
				const uint8_t *p = c->alloc_ranges.val + k;
				uint64_t s = cells(p, t->addr_cells);
				uint64_t end = s + cells(p + 4 * t->addr_cells,
							 t->size_cells);

				if (end <= 1)
					end = UINT64_MAX;
				if (s < PAGE)
					s = PAGE;
				in = in || (e->base >= s && e->base < end &&
					    e->size <= end - e->base);
			}
			if (!in)
				dump(m);
			FUZZ_CHECK(in, "%s [%#llx +%#llx) is in none of its alloc-ranges",
				   c->name, (unsigned long long)e->base,
				   (unsigned long long)e->size);
		}

		/* Aligned: alignment, 2 MiB for a CMA pool, else 64 */
		if (c->alignment.len == (int)(4 * t->addr_cells))
			align = cells(c->alignment.val, t->addr_cells);
		if (has_compatible(&c->compatible, "shared-dma-pool") &&
		    c->reusable && !c->nomap && align < CMA_ALIGN)
			align = CMA_ALIGN;
		if (!align)
			align = 64;
		FUZZ_CHECK(!mm_is_pow2(align) || !(e->base & (align - 1)),
			   "%s at %#llx is not aligned to %#llx", c->name,
			   (unsigned long long)e->base, (unsigned long long)align);

		/* 6.1 places a size-0 static among the statics' inits */
		if (m->linux == DT_LINUX_6_1 && !e->dynamic)
			allowed = &freed_static;
		must_miss(m, &f->held, allowed, c->name, e->base, e->size, "a held range");
		if (m->linux == DT_LINUX_6_1)
			must_miss(m, &f->memreserve, allowed, c->name, e->base,
				  e->size, "a /memreserve/ entry");
		must_miss(m, &f->statics, allowed, c->name, e->base, e->size,
			  "a static reg pair");
		must_miss(m, &f->nomap, allowed, c->name, e->base, e->size,
			  "a no-map reg pair");
		for (k = 0; k < m->nr_region; k++) {
			const struct dt_region *o = &m->region[k];
			struct spans one = { 0 };

			if (k == i || o->state != DT_REGION_KEPT ||
			    !placed_by_model(t, f, o))
				continue;
			spans_add(&one, o->base, o->size);
			must_miss(m, &one, allowed, c->name, e->base, e->size,
				  o->node->name);
			spans_free(&one);
		}
	}
	spans_free(&freed_static);
}

/* The regions dt_place() put in what the boot left */
static void check_placed(const struct dt_tree *t, const struct dt_model *m,
			 const struct facts *f, const struct cmdline_plan *plan,
			 const struct memmap_registry *reg)
{
	struct spans res = { 0 }, nomap = { 0 }, gone = { 0 }, cleared = { 0 };
	size_t i, k;

	FUZZ_CHECK(reg->nr == plan->nwild, "%zu regions placed for %zu words",
		   reg->nr, plan->nwild);
	for (i = 0; i < f->statics.n; i++)
		spans_add(&res, f->statics.v[i].first,
			  f->statics.v[i].last - f->statics.v[i].first + 1);
	for (i = 0; i < f->nomap.n; i++)
		spans_add(&nomap, f->nomap.v[i].first,
			  f->nomap.v[i].last - f->nomap.v[i].first + 1);
	for (i = 0; i < m->nr_region; i++) {
		const struct dt_region *e = &m->region[i];

		if (e->state == DT_REGION_FREED)
			spans_add(e->node->nomap ? &cleared : &gone, e->base, e->size);
		if (e->state != DT_REGION_UNPLACED && placed_by_model(t, f, e)) {
			spans_add(&res, e->base, e->size);
			if (e->node->nomap)
				spans_add(&nomap, e->base, e->size);
		}
	}
	spans_merge(&gone);
	spans_merge(&cleared);

	for (i = 0; i < reg->nr; i++) {
		const struct memmap_region *g = &reg->r[i];
		const struct cmdline_wild *w = cmdline_wild_find(plan, g->name);

		FUZZ_CHECK(w, "placed %s, a name the plan does not have", g->name);
		FUZZ_CHECK(g->size == w->size &&
			   mm_is_pow2(w->align) && !(g->start & (w->align - 1)),
			   "placed %s [%#llx +%#llx), asked %s size %#llx align %#llx",
			   g->name, (unsigned long long)g->start,
			   (unsigned long long)g->size, w->name,
			   (unsigned long long)w->size, (unsigned long long)w->align);
		must_be_memory(m, f, g->name, g->start, g->size);
		must_miss(m, &f->held, &gone, g->name, g->start, g->size, "a held range");
		must_miss(m, &f->memreserve, &gone, g->name, g->start, g->size,
			  "a /memreserve/ entry");
		must_miss(m, &res, &gone, g->name, g->start, g->size,
			  "a region of the DT");
		must_miss(m, &nomap, &cleared, g->name, g->start, g->size,
			  "no-map memory");
		for (k = 0; k < i; k++)
			FUZZ_CHECK(reg->r[k].start >= g->start + g->size ||
				   g->start >= reg->r[k].start + reg->r[k].size,
				   "placed regions %s and %s overlap", reg->r[k].name,
				   g->name);
	}
	spans_free(&res);
	spans_free(&nomap);
	spans_free(&gone);
	spans_free(&cleared);
}

static bool ranges_equal(const struct dt_range *a, size_t na,
			 const struct dt_range *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (a[i].base != b[i].base || a[i].size != b[i].size)
			return false;
	return true;
}

/* The written tree: the old one plus one child NAME@ADDR per region */
static void check_written(const struct dt_tree *old, const struct dt_tree *t,
			  const struct memmap_registry *reg)
{
	uint32_t pair = 4 * (t->addr_cells + t->size_cells);
	size_t i, k;

	FUZZ_CHECK(t->addr_cells == old->addr_cells &&
		   t->size_cells == old->size_cells &&
		   ranges_equal(t->memory, t->nr_memory, old->memory,
				old->nr_memory) &&
		   ranges_equal(t->memreserve, t->nr_memreserve, old->memreserve,
				old->nr_memreserve),
		   "the written DT has other root cells, memory or /memreserve/");
	FUZZ_CHECK(t->has_resmem && t->resmem_ok,
		   "the written DT's /reserved-memory is not one Linux reads");
	FUZZ_CHECK(t->nr_child == old->nr_child + reg->nr,
		   "the written DT has %zu children, expected %zu + %zu",
		   t->nr_child, old->nr_child, reg->nr);
	for (i = 0; i < reg->nr; i++) {
		const struct memmap_region *g = &reg->r[i];
		char name[96];
		bool found = false;

		snprintf(name, sizeof(name), "%s@%llx", g->name,
			 (unsigned long long)g->start);
		for (k = 0; k < t->nr_child; k++) {
			const struct dt_child *c = &t->child[k];

			if (strcmp(c->name, name))
				continue;
			FUZZ_CHECK(!found, "two children %s", name);
			found = true;
			FUZZ_CHECK(c->available && c->reg.len == (int)pair &&
				   cells(c->reg.val, t->addr_cells) == g->start &&
				   cells(c->reg.val + 4 * t->addr_cells,
					 t->size_cells) == g->size &&
				   !c->nomap && c->size.len < 0,
				   "child %s does not hold [%#llx +%#llx) as its reg",
				   name, (unsigned long long)g->start,
				   (unsigned long long)g->size);
		}
		FUZZ_CHECK(found, "the written DT has no child %s", name);
	}
}

/* --- the run ------------------------------------------------------------- */

struct run {
	struct fuzz_alloc_ctx ctx;
	struct mm_alloc alloc;
	long limit;			/* per core call; -1: none */
	struct dt_range held[3];
	size_t nheld;
	const struct cmdline_plan *plan;
	struct memmap_registry prev;	/* the last kernel's places */
};

static void budget(struct run *r)
{
	r->ctx.left = r->limit;
}

static void unbudget(struct run *r)
{
	r->ctx.left = -1;
}

static bool enomem_ok(const struct run *r, int rc)
{
	return rc == -MM_ENOMEM && r->limit >= 0;
}

static int model(struct run *r, struct dt_model *m, const struct dt_tree *t,
		 enum dt_linux v)
{
	struct mm_buf out;
	int rc;

	mm_buf_init(&out, &r->alloc);
	budget(r);
	rc = dt_model_run(m, t, &(struct dt_boot){ v, r->held, r->nheld, NULL, 0 },
			  &r->alloc, &out);
	unbudget(r);
	FUZZ_CHECK(!rc || enomem_ok(r, rc), "dt_model_run() returned %d", rc);
	FUZZ_CHECK(rc || !out.rc, "dt_model_run() returned 0, its lines %d",
		   out.rc);
	mm_buf_free(&out);
	if (rc)
		dt_model_free(m);
	return rc;
}

/* The written blob booted: read back, checked, compared with dt_same() */
static void reboot(struct run *r, const struct dt_tree *old,
		   const struct dt_model *before, const void *blob, size_t len,
		   const struct memmap_registry *reg)
{
	struct dt_tree t;
	struct dt_model m;
	struct dt_error err = { { 0 }, NULL };
	struct facts f;
	int rc;

	budget(r);
	rc = dt_read(&t, blob, len, &r->alloc, &err);
	unbudget(r);
	FUZZ_CHECK(!rc || enomem_ok(r, rc),
		   "the written DT does not read back: %d: %s: %s", rc, err.what,
		   err.why ? err.why : "");
	if (rc)
		return;
	check_written(old, &t, reg);
	if (!model(r, &m, &t, before->linux)) {
		facts_make(&f, &t, before->linux, r->held, r->nheld);
		check_model(&t, &m, &f);
		facts_free(&f);
		budget(r);
		rc = dt_same(before, &m, reg, &err);
		unbudget(r);
		FUZZ_CHECK(!rc || rc == -MM_EINVAL || enomem_ok(r, rc),
			   "dt_same() returned %d", rc);
		FUZZ_CHECK(rc != -MM_EINVAL || err.why, "dt_same() gave no reason");
		dt_model_free(&m);
	}
	dt_tree_free(&t);
}

/*
 * The DT booted as Linux @v would, then dt_place() with @sticky (NULL:
 * none), everything checked.  @m and @reg are the caller's to free, also
 * on failure.  Return: 0, or what failed (the run goes no further).
 */
static int boot_and_place(struct run *r, const struct dt_tree *t,
			  enum dt_linux v, const struct facts *f,
			  const struct memmap_registry *sticky,
			  struct dt_model *m, struct memmap_registry *reg)
{
	struct cmdline_error cerr = { 0 };
	int rc;

	memmap_registry_init(reg, &r->alloc);
	rc = model(r, m, t, v);
	if (rc)
		return rc;
	if (!sticky)
		check_model(t, m, f);
	budget(r);
	rc = dt_place(m, r->plan, sticky, reg, &cerr);
	unbudget(r);
	FUZZ_CHECK(!rc || rc == -MM_ENOSPC || enomem_ok(r, rc),
		   "dt_place() returned %d", rc);
	FUZZ_CHECK(rc != -MM_ENOSPC || (cerr.word && cerr.reason),
		   "dt_place() gave no word or reason");
	if (!rc)
		check_placed(t, m, f, r->plan, reg);
	return rc;
}

static bool registry_equal(const struct memmap_registry *a,
			   const struct memmap_registry *b)
{
	size_t i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++)
		if (strcmp(a->r[i].name, b->r[i].name) ||
		    a->r[i].start != b->r[i].start || a->r[i].size != b->r[i].size)
			return false;
	return true;
}

/*
 * One kernel: boot, place, write, boot the written DT; place again with
 * the places just found remembered (the same places, in the same order:
 * the boot is the same, so each is still free), and with the places the
 * other kernel found remembered (checked like any placement).  The
 * places are kept in @r->prev for the next kernel.
 */
static void one_version(struct run *r, const struct dt_tree *t,
			const void *fdt, enum dt_linux v)
{
	struct dt_model m, again;
	struct memmap_registry reg, reg2;
	struct dt_error derr = { { 0 }, NULL };
	struct facts f;
	void *blob = NULL;
	size_t len = 0;
	int rc;

	facts_make(&f, t, v, r->held, r->nheld);
	rc = boot_and_place(r, t, v, &f, NULL, &m, &reg);
	if (!rc) {
		struct mm_buf words;

		mm_buf_init(&words, &r->alloc);
		budget(r);
		dt_cmdline(&words, r->plan);
		unbudget(r);
		FUZZ_CHECK(!words.rc || enomem_ok(r, words.rc), "dt_cmdline: %d",
			   words.rc);
		FUZZ_CHECK(words.rc || !words.len, "dt_cmdline left '%s' of a "
			   "line that holds only placed regions and ramoops",
			   words.s);
		mm_buf_free(&words);

		budget(r);
		rc = dt_write(fdt, t, &reg, &r->plan->ramoops, &r->alloc, &blob,
			      &len, &derr);
		unbudget(r);
		FUZZ_CHECK(!rc || rc == -MM_EINVAL || enomem_ok(r, rc),
			   "dt_write() returned %d", rc);
		FUZZ_CHECK(rc != -MM_EINVAL || derr.why, "dt_write() gave no reason");
		if (!rc) {
			reboot(r, t, &m, blob, len, &reg);
			mm_free(&r->alloc, blob);
		}

		/* Remembered where they are */
		if (!boot_and_place(r, t, v, &f, &reg, &again, &reg2))
			FUZZ_CHECK(registry_equal(&reg, &reg2), "Linux %s: the "
				   "remembered places were not taken again",
				   v == DT_LINUX_6_1 ? "6.1" : "6.12");
		memmap_registry_free(&reg2);
		dt_model_free(&again);

		/* Remembered from the other kernel */
		if (r->prev.nr)
			boot_and_place(r, t, v, &f, &r->prev, &again, &reg2);
		memmap_registry_free(&reg2);
		dt_model_free(&again);

		memmap_registry_free(&r->prev);
		r->prev = reg;
	} else {
		memmap_registry_free(&reg);
	}
	facts_free(&f);
	dt_model_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmdline_plan plan;
	static bool have_plan;
	struct dt_error err = { { 0 }, NULL };
	struct dt_tree t;
	struct run r;
	uint8_t *fdt;
	size_t at = 1, i, n = 0;
	int rc;

	if (!have_plan) {
		struct cmdline_error cerr;

		FUZZ_CHECK(!cmdline_parse(plan_line, strlen(plan_line),
					  &fuzz_libc_alloc, &plan, &cerr) &&
			   plan.nwild == 2 && !plan.nops,
			   "the fixed plan does not parse");
		have_plan = true;
	}
	if (!size)
		return 0;
	memset(&r, 0, sizeof(r));
	r.limit = data[0] & 0x80 ? (long)(data[0] & 0x3f) : -1;
	r.ctx.left = -1;
	r.alloc.realloc = fuzz_realloc;
	r.alloc.ctx = &r.ctx;
	r.plan = &plan;

	/* The held ranges */
	if (data[0] & 0x40) {
		if (size < 2)
			return 0;
		n = data[1] & 3;
		at = 2;
		if (size - at < 16 * n)
			return 0;
		for (i = 0; i < n; i++, at += 16) {
			uint64_t base = cells(data + at, 2);
			uint64_t len = cells(data + at + 8, 2);

			if (!len || base + (len - 1) < base)
				continue;
			r.held[r.nheld].base = base;
			r.held[r.nheld++].size = len;
		}
	}

	/* The blob in a buffer of its own, exactly its size */
	fdt = malloc(size - at ? size - at : 1);
	FUZZ_CHECK(fdt, "out of memory");
	memcpy(fdt, data + at, size - at);

	budget(&r);
	rc = dt_read(&t, fdt, size - at, &r.alloc, &err);
	unbudget(&r);
	FUZZ_CHECK(!rc || rc == -MM_EINVAL || enomem_ok(&r, rc),
		   "dt_read() returned %d", rc);
	FUZZ_CHECK(rc != -MM_EINVAL || (err.why && err.what[0]),
		   "dt_read() refused the blob without a reason");
	if (!rc) {
		memmap_registry_init(&r.prev, &r.alloc);
		one_version(&r, &t, fdt, DT_LINUX_6_1);
		one_version(&r, &t, fdt, DT_LINUX_6_12);
		memmap_registry_free(&r.prev);
		dt_tree_free(&t);
	}
	free(fdt);
	FUZZ_CHECK(r.ctx.live == 0, "%ld blocks still allocated at the end",
		   r.ctx.live);
	return 0;
}
