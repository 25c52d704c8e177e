/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Fuzz target: a kernel command line, parsed, applied to three fixed
 * firmware maps with and without a "within" table, rewritten for a stock
 * kernel and parsed again.
 *
 * Input: byte 0 controls the run, the rest is the command line.
 *   bit 7 set:   every core call may make only (byte & 0x3f) allocations,
 *                the next one fails (the -MM_ENOMEM paths; nothing may leak)
 *   bit 6 set:   (bit 7 clear) regions are placed bottom-up
 *   otherwise:   top-down, no allocation fails (seeds start with ' ')
 *
 * The invariant for placed regions, and why it is sound: the core
 * promises (DESIGN.md) that a region lies inside one type-1 range of the
 * table after the fixed options, overlapping no region placed before it,
 * at the highest (lowest, bottom-up) address that is a multiple of its
 * alignment.  The harness computes that table T independently of
 * cmdline_apply(): the plan's fixed ops applied in order with
 * e820_range_add/update/remove (whose semantics the e820ops target checks
 * against a page model), then e820_sanitize.  The memory a region may use
 * is then a plain set of intervals: the type-1 ranges of T, intersected
 * with the type-1 ranges of the within table when one is given, minus the
 * regions placed before.  The harness searches that set itself, so it
 * knows the exact address (or that nothing fits, and for which word), and
 * the exact result table: T with every region added as reserved (type 2),
 * sanitized once.  Remembered (sticky) placements are checked the same
 * way: each is claimed first when aligned and inside the free set.
 */
#include "fuzz.h"

#include "../../cmdline/apply.h"

#define PAGE 4096ULL

/* [first, last] inclusive, as Linux prints them */
#define R(first, last, type) { (first), (last) - (first) + 1, (type) }

/* OVMF, 512 MiB (the README's BIOS-e820 lines) */
static const struct e820_entry map512[] = {
	R(0x0000000000000000ULL, 0x000000000009ffffULL, 1),
	R(0x0000000000100000ULL, 0x0000000000805fffULL, 1),
	R(0x0000000000806000ULL, 0x0000000000807fffULL, 4),
	R(0x0000000000808000ULL, 0x000000000080ffffULL, 1),
	R(0x0000000000810000ULL, 0x00000000008fffffULL, 4),
	R(0x0000000000900000ULL, 0x000000001ea9ffffULL, 1),
	R(0x000000001eaa0000ULL, 0x000000001eba1fffULL, 2),
	R(0x000000001eba2000ULL, 0x000000001f4ebfffULL, 1),
	R(0x000000001f4ec000ULL, 0x000000001f76bfffULL, 2),
	R(0x000000001f76c000ULL, 0x000000001f77dfffULL, 3),
	R(0x000000001f77e000ULL, 0x000000001f7fdfffULL, 4),
	R(0x000000001f7fe000ULL, 0x000000001fef3fffULL, 1),
	R(0x000000001fef4000ULL, 0x000000001ff77fffULL, 2),
	R(0x000000001ff78000ULL, 0x000000001fffffffULL, 4),
	R(0x00000000b0000000ULL, 0x00000000bfffffffULL, 2),
	R(0x00000000ffc00000ULL, 0x00000000ffffffffULL, 2),
};

/* OVMF, 5 GiB: RAM above 4G (tests/linux/fixtures/6.1/m5g-base.log) */
static const struct e820_entry map5g[] = {
	R(0x0000000000000000ULL, 0x000000000009ffffULL, 1),
	R(0x0000000000100000ULL, 0x0000000000805fffULL, 1),
	R(0x0000000000806000ULL, 0x0000000000807fffULL, 4),
	R(0x0000000000808000ULL, 0x000000000080ffffULL, 1),
	R(0x0000000000810000ULL, 0x00000000008fffffULL, 4),
	R(0x0000000000900000ULL, 0x000000007ea9ffffULL, 1),
	R(0x000000007eaa0000ULL, 0x000000007eba1fffULL, 2),
	R(0x000000007eba2000ULL, 0x000000007f4ebfffULL, 1),
	R(0x000000007f4ec000ULL, 0x000000007f76bfffULL, 2),
	R(0x000000007f76c000ULL, 0x000000007f77dfffULL, 3),
	R(0x000000007f77e000ULL, 0x000000007f7fdfffULL, 4),
	R(0x000000007f7fe000ULL, 0x000000007fef3fffULL, 1),
	R(0x000000007fef4000ULL, 0x000000007ff77fffULL, 2),
	R(0x000000007ff78000ULL, 0x000000007fffffffULL, 4),
	R(0x00000000b0000000ULL, 0x00000000bfffffffULL, 2),
	R(0x00000000ffc00000ULL, 0x00000000ffffffffULL, 2),
	R(0x0000000100000000ULL, 0x00000001bfffffffULL, 1),
};

/* Two entries; the first ends off a page boundary, as old BIOSes' do */
static const struct e820_entry map_tiny[] = {
	R(0x0000000000000000ULL, 0x000000000009fbffULL, 1),
	R(0x0000000000100000ULL, 0x0000000007ffffffULL, 1),
};

/*
 * Within tables (memmap.efi's "free at this moment"): deliberately
 * unsorted and overlapping, with entries of other types that must not
 * count, so the core's union-of-type-1 semantics are exercised
 */
static const struct e820_entry within512[] = {
	{ 0x10000000, 0x8000000, 1 },
	{ 0x100000, 0x1000000, 1 },
	{ 0x800000, 0x1000000, 1 },
	{ 0x1e000000, 0x1000000, 2 },
	{ 0x1f000000, 0xf00000, 1 },
};

static const struct e820_entry within5g[] = {
	{ 0x100000, 0x7e000000, 1 },
	{ 0x140000000ULL, 0x40000000, 1 },
	{ 0xffff000, 0x2000, 3 },
};

static const struct e820_entry within_tiny[] = {
	{ 0x4000000, 0x4000000, 1 },
	{ 0x0, 0x9f000, 1 },
};

static const struct {
	const char *name;
	const struct e820_entry *map, *within;
	size_t nmap, nwithin;
} maps[] = {
	{ "512M", map512, within512, ARRAY_SIZE(map512), ARRAY_SIZE(within512) },
	{ "5G", map5g, within5g, ARRAY_SIZE(map5g), ARRAY_SIZE(within5g) },
	{ "tiny", map_tiny, within_tiny, ARRAY_SIZE(map_tiny), ARRAY_SIZE(within_tiny) },
};

static struct e820_table fw[ARRAY_SIZE(maps)], within[ARRAY_SIZE(maps)];

static void load(struct e820_table *t, const struct e820_entry *e, size_t n,
		 bool sanitize)
{
	size_t i;

	e820_table_init(t, &fuzz_libc_alloc);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(!e820_range_add(t, e[i].addr, e[i].size, e[i].type),
			   "static table");
	if (sanitize)
		FUZZ_CHECK(!e820_sanitize(t), "static table");
}

static void init_tables(void)
{
	static bool done;
	size_t m;

	if (done)
		return;
	for (m = 0; m < ARRAY_SIZE(maps); m++) {
		load(&fw[m], maps[m].map, maps[m].nmap, true);
		/* The firmware maps are sanitized already */
		FUZZ_CHECK(fw[m].nr == maps[m].nmap, "map %s", maps[m].name);
		load(&within[m], maps[m].within, maps[m].nwithin, false);
	}
	done = true;
}

/* --- interval sets: sorted, disjoint, merged [lo, hi) ------------------ */

struct ivl {
	uint64_t lo, hi;
};

struct ivls {
	struct ivl *v;
	size_t n, cap;
};

static void ivls_push(struct ivls *s, uint64_t lo, uint64_t hi)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		FUZZ_CHECK(s->v, "out of memory");
	}
	s->v[s->n].lo = lo;
	s->v[s->n].hi = hi;
	s->n++;
}

static int ivl_cmp(const void *a, const void *b)
{
	const struct ivl *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The union of @t's type-1 entries (none of which may wrap) */
static void ivls_type1(struct ivls *s, const struct e820_table *t)
{
	size_t i, n = 0;

	s->n = 0;
	for (i = 0; i < t->nr; i++)
		if (t->entries[i].type == E820_TYPE_RAM && t->entries[i].size)
			ivls_push(s, t->entries[i].addr,
				  t->entries[i].addr + t->entries[i].size);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), ivl_cmp);
	for (i = 0; i < s->n; i++) {
		if (n && s->v[i].lo <= s->v[n - 1].hi) {
			if (s->v[i].hi > s->v[n - 1].hi)
				s->v[n - 1].hi = s->v[i].hi;
			continue;
		}
		s->v[n++] = s->v[i];
	}
	s->n = n;
}

static void ivls_intersect(struct ivls *out, const struct ivls *a,
			   const struct ivls *b)
{
	size_t i = 0, j = 0;

	out->n = 0;
	while (i < a->n && j < b->n) {
		uint64_t lo = a->v[i].lo > b->v[j].lo ? a->v[i].lo : b->v[j].lo;
		uint64_t hi = a->v[i].hi < b->v[j].hi ? a->v[i].hi : b->v[j].hi;

		if (lo < hi)
			ivls_push(out, lo, hi);
		if (a->v[i].hi < b->v[j].hi)
			i++;
		else
			j++;
	}
}

static void ivls_copy(struct ivls *out, const struct ivls *a)
{
	size_t i;

	out->n = 0;
	for (i = 0; i < a->n; i++)
		ivls_push(out, a->v[i].lo, a->v[i].hi);
}

/* Whether [lo, hi) lies inside one interval of @s */
static bool ivls_contains(const struct ivls *s, uint64_t lo, uint64_t hi)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (lo >= s->v[i].lo && hi <= s->v[i].hi)
			return true;
	return false;
}

/* Take [lo, hi), which lies inside one interval, out of @s */
static void ivls_take(struct ivls *s, uint64_t lo, uint64_t hi)
{
	size_t i, k;

	for (i = 0; i < s->n; i++)
		if (lo >= s->v[i].lo && hi <= s->v[i].hi)
			break;
	FUZZ_CHECK(i < s->n, "harness: taking a range that is not free");
	if (s->v[i].lo < lo && hi < s->v[i].hi) {
		ivls_push(s, 0, 0);
		for (k = s->n - 1; k > i + 1; k--)
			s->v[k] = s->v[k - 1];
		s->v[i + 1].lo = hi;
		s->v[i + 1].hi = s->v[i].hi;
		s->v[i].hi = lo;
	} else if (s->v[i].lo < lo) {
		s->v[i].hi = lo;
	} else if (hi < s->v[i].hi) {
		s->v[i].lo = hi;
	} else {
		for (k = i; k + 1 < s->n; k++)
			s->v[k] = s->v[k + 1];
		s->n--;
	}
}

/* The highest (lowest) multiple of @align where @size fits: 0 or -1 */
static int ivls_fit(const struct ivls *s, uint64_t size, uint64_t align,
		    bool bottom_up, uint64_t *addr)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		const struct ivl *v = &s->v[bottom_up ? k : s->n - 1 - k];
		uint64_t a;

		if (v->hi - v->lo < size)
			continue;
		if (bottom_up) {
			if (v->lo % align)
				a = v->lo + (align - v->lo % align);
			else
				a = v->lo;
			if (a < v->lo || a > v->hi - size)
				continue;
		} else {
			a = (v->hi - size) / align * align;
			if (a < v->lo)
				continue;
		}
		*addr = a;
		return 0;
	}
	return -1;
}

/* --- the reference ------------------------------------------------------ */

/* T: the firmware map after the fixed ops, sanitized.  Return: as apply */
static int ref_fixed(const struct cmdline_plan *plan, const struct e820_table *f,
		     struct e820_table *t, size_t *bad_word)
{
	size_t i, exactmap = SIZE_MAX;
	int rc = 0;

	e820_table_init(t, &fuzz_libc_alloc);
	FUZZ_CHECK(!e820_table_copy(t, f), "out of memory");
	for (i = 0; i < plan->nops && !rc; i++) {
		const struct cmdline_op *op = &plan->ops[i];

		switch (op->kind) {
		case CMDLINE_OP_ADD:
			FUZZ_CHECK(op->size && op->size - 1 <= UINT64_MAX - op->start,
				   "parse let a wrapping add through: %#llx +%#llx",
				   (unsigned long long)op->start,
				   (unsigned long long)op->size);
			rc = e820_range_add(t, op->start, op->size, op->type);
			break;
		case CMDLINE_OP_UPDATE:
			FUZZ_CHECK(op->type != op->old_type && op->type,
				   "parse let a bad update through");
			rc = e820_range_update(t, op->start, op->size,
					       op->old_type, op->type);
			break;
		case CMDLINE_OP_REMOVE:
			rc = e820_range_remove(t, op->start, op->size,
					       op->old_type, op->check_type);
			break;
		case CMDLINE_OP_LIMIT:
			rc = e820_range_remove(t, op->start, UINT64_MAX - op->start,
					       E820_TYPE_RAM, true);
			break;
		case CMDLINE_OP_EXACTMAP:
			exactmap = op->word;
			t->nr = 0;
			break;
		}
		FUZZ_CHECK(!rc, "e820 op failed: %d", rc);
	}
	/* Placed regions add entries: then the kernel's count decides
	 * (ref_kernel) */
	if (plan->nops && t->nr < 2 && !plan->nwild) {
		*bad_word = exactmap != SIZE_MAX ? exactmap :
			    plan->ops[plan->nops - 1].word;
		return -MM_EINVAL;
	}
	rc = e820_sanitize(t);
	FUZZ_CHECK(!rc, "the fixed options left a table sanitize refuses: %d "
		   "(parse must refuse ranges that wrap)", rc);
	return 0;
}

/*
 * What the kernel does with the rewritten line: every memory word in
 * order, each placed region a reserved add at its own place (a memmap=
 * word's elements in order, a reserve_mem= word), unsanitized.  Fewer
 * than two entries: -EINVAL at exactmap, else at the last memory word.
 * Then, sanitized, a placed region not inside one reserved entry was
 * undone by a later word: -EINVAL at its word.
 */
static int ref_kernel(const struct cmdline_plan *plan, const struct e820_table *f,
		      const struct memmap_region *want, size_t nwant,
		      size_t *bad_word)
{
	struct e820_table t;
	size_t w, k, n, next = 0, last = SIZE_MAX, exactmap = SIZE_MAX;
	int rc = 0;

	e820_table_init(&t, &fuzz_libc_alloc);
	FUZZ_CHECK(!e820_table_copy(&t, f), "out of memory");
	for (w = 0; w < plan->nwords; w++) {
		const struct cmdline_word *word = &plan->words[w];
		size_t nel = word->kind == CMDLINE_WORD_MEMMAP ? word->nelem : 0;

		for (k = 0; k <= nel; k++) {
			size_t wild = SIZE_MAX;

			if (k < nel)
				wild = plan->elems[word->first_elem + k].wild;
			else if (word->kind == CMDLINE_WORD_RESERVE_MEM)
				wild = word->wild;
			if (wild != SIZE_MAX) {
				for (n = 0; n < nwant; n++)
					if (!strcmp(want[n].name, plan->wild[wild].name))
						break;
				FUZZ_CHECK(n < nwant, "no placement for %s",
					   plan->wild[wild].name);
				e820_range_add(&t, want[n].start, want[n].size,
					       E820_TYPE_RESERVED);
				last = w;
				continue;
			}
			/* An element's one operation; after the elements,
			 * what else the word has (mem=) */
			while (next < plan->nops && plan->ops[next].word == w) {
				const struct cmdline_op *op = &plan->ops[next++];

				last = w;
				if (op->kind == CMDLINE_OP_EXACTMAP) {
					exactmap = w;
					t.nr = 0;
				} else if (op->kind == CMDLINE_OP_ADD) {
					e820_range_add(&t, op->start, op->size, op->type);
				} else if (op->kind == CMDLINE_OP_UPDATE) {
					e820_range_update(&t, op->start, op->size,
							  op->old_type, op->type);
				} else if (op->kind == CMDLINE_OP_REMOVE) {
					e820_range_remove(&t, op->start, op->size,
							  op->old_type, op->check_type);
				} else {
					e820_range_remove(&t, op->start,
							  UINT64_MAX - op->start,
							  E820_TYPE_RAM, true);
				}
				if (k < nel)
					break;
			}
		}
	}
	if (last != SIZE_MAX && t.nr < 2) {
		*bad_word = exactmap != SIZE_MAX ? exactmap : last;
		rc = -MM_EINVAL;
	}
	if (!rc)
		FUZZ_CHECK(!e820_sanitize(&t), "the kernel's line does not sanitize");
	for (n = 0; !rc && n < nwant; n++) {
		bool in = false;

		for (k = 0; k < t.nr; k++)
			in = in || (t.entries[k].type == E820_TYPE_RESERVED &&
				    t.entries[k].addr <= want[n].start &&
				    want[n].start + want[n].size <=
				    t.entries[k].addr + t.entries[k].size);
		for (k = 0; !in && k < plan->nwild; k++)
			if (!strcmp(plan->wild[k].name, want[n].name)) {
				*bad_word = plan->wild[k].word;
				rc = -MM_EINVAL;
			}
	}
	e820_table_free(&t);
	return rc;
}

/*
 * The regions, in the order the core records them: remembered ones that
 * still fit first (plan order), then the others (plan order).
 * Return: 0, or -MM_ENOSPC with *@bad the wildcard that did not fit.
 */
static int ref_place(const struct cmdline_plan *plan, struct ivls *freeset,
		     const struct memmap_registry *sticky, bool bottom_up,
		     struct memmap_region *out, size_t *nout, size_t *bad)
{
	bool *done = calloc(plan->nwild + 1, sizeof(*done));
	size_t i;
	int rc = 0;

	FUZZ_CHECK(done, "out of memory");
	*nout = 0;
	for (i = 0; sticky && i < plan->nwild; i++) {
		const struct cmdline_wild *w = &plan->wild[i];
		const struct memmap_region *r = memmap_registry_find(sticky, w->name);

		if (!r || r->size != w->size || r->start % w->align ||
		    w->size > UINT64_MAX - r->start ||
		    !ivls_contains(freeset, r->start, r->start + w->size))
			continue;
		ivls_take(freeset, r->start, r->start + w->size);
		out[*nout] = *r;
		(*nout)++;
		done[i] = true;
	}
	for (i = 0; i < plan->nwild; i++) {
		const struct cmdline_wild *w = &plan->wild[i];
		uint64_t a;

		if (done[i])
			continue;
		if (ivls_fit(freeset, w->size, w->align, bottom_up, &a)) {
			*bad = i;
			rc = -MM_ENOSPC;
			break;
		}
		ivls_take(freeset, a, a + w->size);
		memset(&out[*nout], 0, sizeof(out[*nout]));
		memcpy(out[*nout].name, w->name, strlen(w->name) + 1);
		out[*nout].start = a;
		out[*nout].size = w->size;
		(*nout)++;
	}
	free(done);
	return rc;
}

/* --- the run ------------------------------------------------------------- */

struct run {
	const uint8_t *line;
	size_t len;
	struct fuzz_alloc_ctx ctx;
	struct mm_alloc alloc;
	long limit;		/* per core call; -1: none */
	bool bottom_up;
};

/* Before each core call: the allocation budget of that call */
static void budget(struct run *r)
{
	r->ctx.left = r->limit;
}

static void check_err_word(const struct run *r, const struct cmdline_error *err,
			   const char *what)
{
	const char *line = (const char *)r->line;

	FUZZ_CHECK(err->reason && err->word >= line &&
		   err->word_len <= r->len &&
		   (size_t)(err->word - line) <= r->len - err->word_len,
		   "%s: the error's word is not inside the input "
		   "(word %p len %zu, input %p len %zu)", what,
		   (const void *)err->word, err->word_len, (const void *)line,
		   r->len);
}

/*
 * The registry as the MemmapNamed and MemmapSticky variables hold it
 * parses back to the same regions, in order (what the next boot reads)
 */
static void check_registry_text(struct run *r, const struct memmap_registry *reg)
{
	struct memmap_registry back;
	struct mm_buf text;
	size_t i;
	int rc;

	mm_buf_init(&text, &r->alloc);
	memmap_registry_init(&back, &r->alloc);
	budget(r);
	memmap_registry_format(&text, reg);
	r->ctx.left = -1;
	if (text.rc) {
		FUZZ_CHECK(text.rc == -MM_ENOMEM && r->limit >= 0,
			   "memmap_registry_format: %d", text.rc);
		mm_buf_free(&text);
		return;
	}
	budget(r);
	rc = memmap_registry_parse(text.s, text.len, &back);
	r->ctx.left = -1;
	FUZZ_CHECK(!rc || (rc == -MM_ENOMEM && r->limit >= 0),
		   "the registry text '%s' does not parse: %d", text.s, rc);
	FUZZ_CHECK(rc || back.nr == reg->nr, "%zu regions read back of %zu",
		   back.nr, reg->nr);
	for (i = 0; !rc && i < reg->nr; i++)
		FUZZ_CHECK(!strcmp(back.r[i].name, reg->r[i].name) &&
			   back.r[i].start == reg->r[i].start &&
			   back.r[i].size == reg->r[i].size,
			   "region %zu %s read back as %s [%#llx +%#llx)", i,
			   reg->r[i].name, back.r[i].name,
			   (unsigned long long)back.r[i].start,
			   (unsigned long long)back.r[i].size);
	memmap_registry_free(&back);
	mm_buf_free(&text);
}

/*
 * Apply @plan to map @m (within table when @use_within), remembered
 * placements from @sticky; check everything against the reference.
 * @reg is filled on success (freed by the caller).
 */
static int apply_one(struct run *r, const struct cmdline_plan *plan, size_t m,
		     bool use_within, const struct memmap_registry *sticky,
		     struct memmap_registry *reg)
{
	struct cmdline_place place = { 0 };
	struct cmdline_error err = { 0 };
	struct e820_table result, t, expect;
	struct memmap_region *want;
	struct ivls t1 = { 0 }, w1 = { 0 }, freeset = { 0 }, usable = { 0 };
	size_t i, k, nwant = 0, bad_word = SIZE_MAX, bad_wild = SIZE_MAX;
	int rc, ref;

	place.within = use_within ? &within[m] : NULL;
	place.fit_flags = r->bottom_up ? E820_FIT_BOTTOM_UP : 0;
	place.sticky = sticky;

	/* The reference: T, then the free set, then the placements */
	want = calloc(plan->nwild + 1, sizeof(*want));
	FUZZ_CHECK(want, "out of memory");
	ref = ref_fixed(plan, &fw[m], &t, &bad_word);
	if (!ref) {
		ivls_type1(&t1, &t);
		if (use_within) {
			ivls_type1(&w1, &within[m]);
			ivls_intersect(&freeset, &t1, &w1);
		} else {
			ivls_copy(&freeset, &t1);
		}
		ivls_copy(&usable, &freeset);
		ref = ref_place(plan, &freeset, sticky, r->bottom_up, want,
				&nwant, &bad_wild);
		if (ref)
			bad_word = plan->wild[bad_wild].word;
		else
			ref = ref_kernel(plan, &fw[m], want, nwant, &bad_word);
	}

	e820_table_init(&result, &r->alloc);
	memmap_registry_init(reg, &r->alloc);
	budget(r);
	rc = cmdline_apply(plan, &fw[m], &place, &result, reg, &err);
	r->ctx.left = -1;

	FUZZ_CHECK(rc == ref || (rc == -MM_ENOMEM && r->limit >= 0),
		   "map %s within %d sticky %d: cmdline_apply() returned %d, "
		   "the reference %d", maps[m].name, use_within, sticky != NULL,
		   rc, ref);
	if (rc == -MM_EINVAL || rc == -MM_ENOSPC) {
		check_err_word(r, &err, "cmdline_apply");
		FUZZ_CHECK(err.word == plan->words[bad_word].raw,
			   "map %s: the error names word '%.*s', the reference "
			   "word %zu '%.*s'", maps[m].name, (int)err.word_len,
			   err.word, bad_word, (int)plan->words[bad_word].raw_len,
			   plan->words[bad_word].raw);
	}
	FUZZ_CHECK(rc || reg->nr == plan->nwild, "%zu regions for %zu wildcards",
		   reg->nr, plan->nwild);
	FUZZ_CHECK(!rc || reg->nr == 0, "registry changed on error %d", rc);

	if (!rc) {
		fuzz_check_shape("cmdline_apply result", &result);

		/* The regions: the reference's, each sound on its own */
		for (i = 0; i < reg->nr; i++) {
			const struct memmap_region *g = &reg->r[i];
			const struct cmdline_wild *w = cmdline_wild_find(plan, g->name);

			FUZZ_CHECK(w, "region %s is no wildcard of the line", g->name);
			FUZZ_CHECK(g->size == w->size && g->size &&
				   !(g->size % PAGE) && !(g->start % PAGE) &&
				   !(g->start % w->align) && w->align >= PAGE &&
				   mm_is_pow2(w->align),
				   "region %s [%#llx +%#llx) align %#llx: not whole "
				   "aligned pages of the asked size", g->name,
				   (unsigned long long)g->start,
				   (unsigned long long)g->size,
				   (unsigned long long)w->align);
			FUZZ_CHECK(g->size <= UINT64_MAX - g->start &&
				   ivls_contains(&usable, g->start, g->start + g->size),
				   "region %s [%#llx +%#llx) is not inside one usable "
				   "range of the map after the fixed options%s",
				   g->name, (unsigned long long)g->start,
				   (unsigned long long)g->size,
				   use_within ? " and within" : "");
			for (k = 0; k < i; k++)
				FUZZ_CHECK(reg->r[k].start >= g->start + g->size ||
					   g->start >= reg->r[k].start + reg->r[k].size,
					   "regions %s and %s overlap", reg->r[k].name,
					   g->name);
			FUZZ_CHECK(i < nwant && !strcmp(want[i].name, g->name) &&
				   want[i].start == g->start,
				   "map %s within %d sticky %d bottom-up %d: region %zu "
				   "%s at %#llx, the reference %s at %#llx",
				   maps[m].name, use_within, sticky != NULL,
				   r->bottom_up, i, g->name,
				   (unsigned long long)g->start,
				   i < nwant ? want[i].name : "(none)",
				   i < nwant ? (unsigned long long)want[i].start : 0ULL);
		}

		/* The table: T with each region reserved, sanitized once */
		e820_table_init(&expect, &fuzz_libc_alloc);
		FUZZ_CHECK(!e820_table_copy(&expect, &t), "out of memory");
		for (i = 0; i < nwant; i++)
			FUZZ_CHECK(!e820_range_add(&expect, want[i].start,
						   want[i].size, E820_TYPE_RESERVED),
				   "out of memory");
		FUZZ_CHECK(!e820_sanitize(&expect), "sanitize");
		if (!fuzz_table_equal(&result, &expect)) {
			fuzz_table_dump("cmdline_apply result", &result);
			fuzz_table_dump("expected", &expect);
		}
		FUZZ_CHECK(fuzz_table_equal(&result, &expect),
			   "map %s within %d: the result is not the map after the "
			   "fixed options with the regions reserved", maps[m].name,
			   use_within);
		e820_table_free(&expect);

		/* The contract lines print (any content) */
		if (!sticky) {
			struct mm_buf out;

			mm_buf_init(&out, &r->alloc);
			budget(r);
			cmdline_report(&out, plan, &fw[m], &result, reg, false);
			r->ctx.left = -1;
			FUZZ_CHECK(!out.rc || (out.rc == -MM_ENOMEM && r->limit >= 0),
				   "cmdline_report: %d", out.rc);
			mm_buf_free(&out);
			check_registry_text(r, reg);
		}
	} else {
		memmap_registry_free(reg);
	}

	e820_table_free(&result);
	e820_table_free(&t);
	free(t1.v);
	free(w1.v);
	free(freeset.v);
	free(usable.v);
	free(want);
	return rc;
}

/* The rewritten line parses again, with no placed form left */
static void check_rewrite(struct run *r, const struct cmdline_plan *plan,
			  const struct memmap_registry *reg)
{
	struct cmdline_plan again;
	struct cmdline_error err = { 0 };
	struct mm_buf out;
	int rc;

	mm_buf_init(&out, &r->alloc);
	budget(r);
	rc = cmdline_rewrite(plan, reg, &out);
	r->ctx.left = -1;
	FUZZ_CHECK(!rc || (rc == -MM_ENOMEM && r->limit >= 0),
		   "cmdline_rewrite() failed: %d", rc);
	if (!rc && out.len) {
		rc = cmdline_parse(out.s, out.len, &fuzz_libc_alloc, &again, &err);
		FUZZ_CHECK(!rc, "the rewritten line '%s' does not parse: %d: "
			   "%.*s: %s", out.s, rc, (int)err.word_len,
			   err.word ? err.word : "", err.reason ? err.reason : "");
		FUZZ_CHECK(again.nwild == 0, "the rewritten line '%s' still "
			   "holds %zu placed regions", out.s, again.nwild);
		FUZZ_CHECK(again.nops == plan->nops + plan->nwild,
			   "the rewritten line '%s' has %zu fixed ops, expected "
			   "%zu + %zu", out.s, again.nops, plan->nops, plan->nwild);
		cmdline_plan_free(&again);
	}
	mm_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };
	struct memmap_registry reg, again, prev;
	bool have_prev = false;
	struct run r;
	size_t m;
	int rc;

	if (!size)
		return 0;
	init_tables();
	memset(&r, 0, sizeof(r));
	r.line = data + 1;
	r.len = size - 1;
	r.limit = data[0] & 0x80 ? (long)(data[0] & 0x3f) : -1;
	r.bottom_up = (data[0] & 0xc0) == 0x40;
	r.ctx.left = -1;
	r.alloc.realloc = fuzz_realloc;
	r.alloc.ctx = &r.ctx;

	budget(&r);
	rc = cmdline_parse((const char *)r.line, r.len, &r.alloc, &plan, &err);
	r.ctx.left = -1;
	if (rc) {
		FUZZ_CHECK(rc == -MM_EINVAL || (rc == -MM_ENOMEM && r.limit >= 0),
			   "cmdline_parse() returned %d", rc);
		if (rc == -MM_EINVAL)
			check_err_word(&r, &err, "cmdline_parse");
		FUZZ_CHECK(r.ctx.live == 0, "cmdline_parse() error %d left %ld "
			   "blocks allocated", rc, r.ctx.live);
		return 0;
	}

	memmap_registry_init(&prev, &r.alloc);
	for (m = 0; m < ARRAY_SIZE(maps); m++) {
		int w;

		for (w = 0; w < 2; w++) {
			rc = apply_one(&r, &plan, m, w, NULL, &reg);
			if (rc)
				continue;
			check_rewrite(&r, &plan, &reg);

			/* Remembered where they are: the same again */
			if (!apply_one(&r, &plan, m, w, &reg, &again))
				memmap_registry_free(&again);

			/* Remembered from another map or placement */
			if (have_prev && !apply_one(&r, &plan, m, w, &prev, &again))
				memmap_registry_free(&again);
			memmap_registry_free(&prev);
			prev = reg;
			have_prev = true;
		}
	}
	memmap_registry_free(&prev);
	cmdline_plan_free(&plan);
	FUZZ_CHECK(r.ctx.live == 0, "%ld blocks still allocated at the end",
		   r.ctx.live);
	return 0;
}
