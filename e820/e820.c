/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e820 table operations with Linux 6.1's semantics.
 */
#include "e820.h"

void e820_table_init(struct e820_table *t, const struct mm_alloc *a)
{
	t->entries = NULL;
	t->nr = t->cap = 0;
	t->alloc = a;
}

void e820_table_free(struct e820_table *t)
{
	mm_free(t->alloc, t->entries);
	e820_table_init(t, t->alloc);
}

int e820_table_copy(struct e820_table *dst, const struct e820_table *src)
{
	int rc;

	rc = mm_grow(dst->alloc, &dst->entries, &dst->cap, src->nr,
		     sizeof(*dst->entries));
	if (rc)
		return rc;
	if (src->nr)
		memcpy(dst->entries, src->entries,
		       src->nr * sizeof(*dst->entries));
	dst->nr = src->nr;
	return 0;
}

int e820_range_add(struct e820_table *t, uint64_t start, uint64_t size,
		   uint32_t type)
{
	int rc;

	rc = mm_grow(t->alloc, &t->entries, &t->cap, t->nr + 1,
		     sizeof(*t->entries));
	if (rc)
		return rc;
	t->entries[t->nr].addr = start;
	t->entries[t->nr].size = size;
	t->entries[t->nr].type = type;
	t->nr++;
	return 0;
}

/*
 * The part of entry @i that lies in [start, end) is taken out of it: the
 * shared body of Linux's update and remove.  The entry keeps its head or
 * its tail; when the range is strictly inside it, the tail is appended as
 * a new entry of the same type.  @new_type, when non-zero, is given to an
 * appended entry covering the range (update); 0 drops the range (remove).
 */
static int range_cut(struct e820_table *t, size_t i, uint64_t start,
		     uint64_t end, uint32_t new_type)
{
	struct e820_entry *e = &t->entries[i];
	uint64_t e_end = e->addr + e->size;
	uint64_t fstart, fend;
	uint32_t type = e->type;
	int rc;

	/* Completely covered by the range */
	if (e->addr >= start && e_end <= end) {
		if (new_type)
			e->type = new_type;
		else
			memset(e, 0, sizeof(*e));
		return 0;
	}

	/* The range is strictly inside the entry: keep head, append tail */
	if (e->addr < start && e_end > end) {
		if (new_type) {
			rc = e820_range_add(t, start, end - start, new_type);
			if (rc)
				return rc;
		}
		rc = e820_range_add(t, end, e_end - end, type);
		if (rc)
			return rc;
		t->entries[i].size = start - t->entries[i].addr;
		return 0;
	}

	/* Partially covered: the entry keeps its head or its tail */
	fstart = start > e->addr ? start : e->addr;
	fend = end < e_end ? end : e_end;
	if (fstart >= fend)
		return 0;
	if (new_type) {
		rc = e820_range_add(t, fstart, fend - fstart, new_type);
		if (rc)
			return rc;
		e = &t->entries[i];
	}
	e->size -= fend - fstart;
	if (e->addr >= fstart)
		e->addr = fend;
	return 0;
}

/* Cut [start, start+size) out of every entry (of @old_type when
 * @check_type), clamped as Linux clamps it; see range_cut() */
static int range_cut_all(struct e820_table *t, uint64_t start, uint64_t size,
			 uint32_t old_type, bool check_type, uint32_t new_type)
{
	uint64_t end;
	size_t i;
	int rc;

	if (size > UINT64_MAX - start)
		size = UINT64_MAX - start;
	end = start + size;

	/* Entries appended on the way are visited too, as in Linux */
	for (i = 0; i < t->nr; i++) {
		const struct e820_entry *e = &t->entries[i];
		uint64_t e_end = e->addr + e->size;

		/*
		 * Of another type, or apart from the range: nothing to cut
		 * (empty and wrapping entries go through range_cut(), as
		 * Linux treats them).  One branch, which hardly ever goes
		 * the other way, however the types and addresses vary.
		 */
		if ((check_type & (e->type != old_type)) |
		    ((e->size != 0) & (e_end > e->addr) &
		     ((e->addr >= end) | (e_end <= start))))
			continue;
		rc = range_cut(t, i, start, end, new_type);
		if (rc)
			return rc;
	}
	return 0;
}

int e820_range_update(struct e820_table *t, uint64_t start, uint64_t size,
		      uint32_t old_type, uint32_t new_type)
{
	if (old_type == new_type || !new_type)
		return -MM_EINVAL;
	return range_cut_all(t, start, size, old_type, true, new_type);
}

int e820_range_remove(struct e820_table *t, uint64_t start, uint64_t size,
		      uint32_t old_type, bool check_type)
{
	return range_cut_all(t, start, size, old_type, check_type, 0);
}

/* A change point: where an entry starts or ends */
struct e820_cp {
	uint64_t addr;
	uint32_t entry;		/* index into the table */
	uint32_t is_end;
};

/*
 * Sort @n change points by address, starts before ends at one address,
 * keeping the table's order among equals: a stable LSD radix sort, the
 * start/end split first, then the address a byte at a time from the
 * lowest (a byte that is the same in every point is skipped).  O(n) and
 * without data-dependent branches; @tmp is scratch.  Returns the buffer
 * that holds the sorted result.
 */
static struct e820_cp *cp_sort(struct e820_cp *a, struct e820_cp *tmp,
			       size_t n)
{
	struct e820_cp *swap;
	size_t count[256], i, k = 0, sum;
	unsigned int shift;

	if (!n)
		return a;
	for (i = 0; i < n; i++)
		if (!a[i].is_end)
			tmp[k++] = a[i];
	for (i = 0; i < n; i++)
		if (a[i].is_end)
			tmp[k++] = a[i];
	swap = a;
	a = tmp;
	tmp = swap;
	for (shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(a[i].addr >> shift) & 0xff]++;
		if (count[(a[0].addr >> shift) & 0xff] == n)
			continue;
		for (i = 0, sum = 0; i < 256; i++) {
			k = count[i];
			count[i] = sum;
			sum += k;
		}
		for (i = 0; i < n; i++)
			tmp[count[(a[i].addr >> shift) & 0xff]++] = a[i];
		swap = a;
		a = tmp;
		tmp = swap;
	}
	return a;
}

static bool e820_nomerge(uint32_t type)
{
	return type == E820_TYPE_PRAM || type == E820_TYPE_SOFT_RESERVED;
}

/*
 * The entries covering the sweep position, as a max-heap by type; an
 * entry that ended stays in the heap, marked, until it reaches the top.
 * A node holds its type, so sifting reads no entry.
 */
struct cover_node {
	uint32_t type, entry;
};

struct cover {
	struct cover_node *heap;
	size_t n;
	uint8_t *ended;
};

static void cover_push(struct cover *c, uint32_t type, uint32_t idx)
{
	size_t i = c->n++;

	while (i && type > c->heap[(i - 1) / 2].type) {
		c->heap[i] = c->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	c->heap[i] = (struct cover_node){ type, idx };
}

static void cover_pop(struct cover *c)
{
	struct cover_node v = c->heap[--c->n];
	size_t i = 0, k;

	while ((k = 2 * i + 1) < c->n) {
		if (k + 1 < c->n && c->heap[k + 1].type > c->heap[k].type)
			k++;
		if (c->heap[k].type <= v.type)
			break;
		c->heap[i] = c->heap[k];
		i = k;
	}
	if (c->n)
		c->heap[i] = v;
}

/* The highest type covering the position, 0 for none */
static uint32_t cover_top(struct cover *c)
{
	while (c->n && c->ended[c->heap[0].entry])
		cover_pop(c);
	return c->n ? c->heap[0].type : 0;
}

int e820_sanitize(struct e820_table *t)
{
	const struct mm_alloc *a = t->alloc;
	struct e820_cp *cp = NULL, *tmp = NULL, *sorted;
	struct e820_entry *out = NULL;
	struct cover c = { NULL, 0, NULL };
	size_t i, ncp = 0, nout = 0, n = t->nr;
	uint32_t last_type = 0;
	uint64_t last_addr = 0;
	int rc = -MM_ENOMEM;

	/* Refuse a table with an entry that wraps, as Linux does */
	for (i = 0; i < n; i++)
		if (t->entries[i].addr + t->entries[i].size <
		    t->entries[i].addr)
			return -MM_ERANGE;
	if (!n)
		return 0;

	if (n > UINT32_MAX || n > SIZE_MAX / (2 * sizeof(*out)))
		return -MM_ENOMEM;
	cp = a->realloc(a->ctx, NULL, 2 * n * sizeof(*cp));
	tmp = a->realloc(a->ctx, NULL, 2 * n * sizeof(*tmp));
	out = a->realloc(a->ctx, NULL, 2 * n * sizeof(*out));
	c.heap = a->realloc(a->ctx, NULL, n * sizeof(*c.heap));
	c.ended = a->realloc(a->ctx, NULL, n);
	if (!cp || !tmp || !out || !c.heap || !c.ended)
		goto out;
	memset(c.ended, 0, n);

	/* Record every start and end of a non-empty entry, then sort */
	for (i = 0; i < n; i++) {
		const struct e820_entry *e = &t->entries[i];

		if (!e->size)
			continue;
		cp[ncp++] = (struct e820_cp){ e->addr, (uint32_t)i, 0 };
		cp[ncp++] = (struct e820_cp){ e->addr + e->size, (uint32_t)i, 1 };
	}
	sorted = cp_sort(cp, tmp, ncp);

	/* Sweep: the highest type covering each piece wins */
	for (i = 0; i < ncp; i++) {
		uint32_t cur;

		if (!sorted[i].is_end)
			cover_push(&c, t->entries[sorted[i].entry].type,
				   sorted[i].entry);
		else
			c.ended[sorted[i].entry] = 1;
		cur = cover_top(&c);

		if (cur == last_type && !e820_nomerge(cur))
			continue;
		if (last_type && sorted[i].addr != last_addr) {
			out[nout].addr = last_addr;
			out[nout].size = sorted[i].addr - last_addr;
			out[nout].type = last_type;
			nout++;
		}
		if (cur)
			last_addr = sorted[i].addr;
		last_type = cur;
	}

	mm_free(a, t->entries);
	t->entries = out;
	t->cap = 2 * n;
	t->nr = nout;
	out = NULL;
	rc = 0;
out:
	mm_free(a, cp);
	mm_free(a, tmp);
	mm_free(a, out);
	mm_free(a, c.heap);
	mm_free(a, c.ended);
	return rc;
}

static const struct {
	uint32_t type;
	const char *name;
} e820_type_names[] = {
	{ E820_TYPE_RAM, "usable" },
	{ E820_TYPE_RESERVED, "reserved" },
	{ E820_TYPE_SOFT_RESERVED, "soft reserved" },
	{ E820_TYPE_ACPI, "ACPI data" },
	{ E820_TYPE_NVS, "ACPI NVS" },
	{ E820_TYPE_UNUSABLE, "unusable" },
};

void e820_type_print(struct mm_buf *b, uint32_t type)
{
	size_t i;

	if (type == E820_TYPE_RESERVED_KERN)
		type = E820_TYPE_RAM;
	for (i = 0; i < sizeof(e820_type_names) / sizeof(e820_type_names[0]); i++) {
		if (e820_type_names[i].type == type) {
			mm_buf_puts(b, e820_type_names[i].name);
			return;
		}
	}
	if (type == E820_TYPE_PMEM || type == E820_TYPE_PRAM)
		mm_buf_puts(b, "persistent (");
	mm_buf_puts(b, "type ");
	mm_buf_dec(b, type);
	if (type == E820_TYPE_PMEM || type == E820_TYPE_PRAM)
		mm_buf_putc(b, ')');
}

/* Parse a decimal u32 filling exactly s[0..n) */
static int parse_u32(const char *s, size_t n, uint32_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (!n)
		return -MM_EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -MM_EINVAL;
		x = x * 10 + (uint64_t)(s[i] - '0');
		if (x > UINT32_MAX)
			return -MM_EINVAL;
	}
	*v = (uint32_t)x;
	return 0;
}

static bool text_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

int e820_type_parse(const char *s, size_t n, uint32_t *type)
{
	size_t i;

	for (i = 0; i < sizeof(e820_type_names) / sizeof(e820_type_names[0]); i++) {
		if (text_is(s, n, e820_type_names[i].name)) {
			*type = e820_type_names[i].type;
			return 0;
		}
	}
	if (n > 18 && !memcmp(s, "persistent (type ", 17) && s[n - 1] == ')')
		return parse_u32(s + 17, n - 18, type);
	if (n > 5 && !memcmp(s, "type ", 5))
		return parse_u32(s + 5, n - 5, type);
	return -MM_EINVAL;
}

void e820_print(struct mm_buf *b, const char *who, const struct e820_table *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		mm_buf_puts(b, who);
		mm_buf_puts(b, ": [mem ");
		mm_buf_hex(b, t->entries[i].addr, 16);
		mm_buf_putc(b, '-');
		mm_buf_hex(b, t->entries[i].addr + t->entries[i].size - 1, 16);
		mm_buf_puts(b, "] ");
		e820_type_print(b, t->entries[i].type);
		mm_buf_putc(b, '\n');
	}
}

/* Keep only the parts of @c's entries inside entries of @x that match */
static int keep_only(struct e820_table *c, const struct e820_table *x,
		     uint32_t flag, bool by_flag)
{
	struct e820_table out;
	size_t i, j;
	int rc = 0;

	e820_table_init(&out, c->alloc);
	for (i = 0; i < c->nr && !rc; i++) {
		const struct e820_entry *e = &c->entries[i];

		for (j = 0; j < x->nr && !rc; j++) {
			const struct e820_entry *k = &x->entries[j];
			uint64_t s, end;

			if (by_flag ? !(k->type & flag) : k->type != flag)
				continue;
			s = e->addr > k->addr ? e->addr : k->addr;
			end = e->addr + e->size < k->addr + k->size ?
			      e->addr + e->size : k->addr + k->size;
			if (s < end)
				rc = e820_range_add(&out, s, end - s, e->type);
		}
	}
	if (rc) {
		e820_table_free(&out);
		return rc;
	}
	e820_table_free(c);
	*c = out;
	return 0;
}

/* Build the candidate ranges for a fit search, sanitized */
static int fit_candidates(struct e820_table *c, const struct e820_table *t,
			  const struct e820_fit *f)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < t->nr && !rc; i++) {
		uint32_t type = t->entries[i].type;

		if (type == E820_TYPE_RAM ||
		    (type == E820_TYPE_SOFT_RESERVED &&
		     (f->flags & E820_FIT_SOFT_RESERVED)))
			rc = e820_range_add(c, t->entries[i].addr,
					    t->entries[i].size, E820_TYPE_RAM);
	}
	for (i = 0; f->attrs && i < f->attrs->nr && !rc; i++) {
		const struct e820_entry *k = &f->attrs->entries[i];

		if (((k->type & E820_ATTR_DRIVER_MANAGED) &&
		     !(f->flags & E820_FIT_DRIVER_MANAGED)) ||
		    ((k->type & E820_ATTR_HOTPLUG) &&
		     (f->flags & E820_FIT_NO_HOTPLUG)))
			rc = e820_range_remove(c, k->addr, k->size, 0, false);
	}
	if (!rc && f->attrs && (f->flags & E820_FIT_MIRROR_ONLY))
		rc = keep_only(c, f->attrs, E820_ATTR_MIRROR, true);
	if (!rc && f->within)
		rc = keep_only(c, f->within, E820_TYPE_RAM, false);
	if (!rc)
		rc = e820_sanitize(c);
	return rc;
}

int e820_find_fit(const struct e820_table *t, const struct e820_fit *f,
		  uint64_t *addr)
{
	struct e820_table c;
	uint64_t mask = f->align - 1;
	size_t i;
	int rc;

	if (!f->size || !mm_is_pow2(f->align))
		return -MM_EINVAL;

	e820_table_init(&c, t->alloc);
	rc = fit_candidates(&c, t, f);
	if (rc)
		goto out;

	rc = -MM_ENOSPC;
	for (i = 0; i < c.nr; i++) {
		/* Top-down walks the sorted ranges from the last one */
		const struct e820_entry *e = (f->flags & E820_FIT_BOTTOM_UP) ?
			&c.entries[i] : &c.entries[c.nr - 1 - i];
		uint64_t a;

		if (e->size < f->size)
			continue;
		if (f->flags & E820_FIT_BOTTOM_UP) {
			if (e->addr > UINT64_MAX - mask)
				continue;
			a = (e->addr + mask) & ~mask;
			if (a - e->addr > e->size - f->size)
				continue;
		} else {
			a = (e->addr + e->size - f->size) & ~mask;
			if (a < e->addr)
				continue;
		}
		*addr = a;
		rc = 0;
		break;
	}
out:
	e820_table_free(&c);
	return rc;
}

int e820_fits_at(const struct e820_table *t, const struct e820_fit *f,
		 uint64_t addr)
{
	struct e820_table c;
	size_t i;
	int rc;

	if (!f->size || !mm_is_pow2(f->align))
		return -MM_EINVAL;
	if ((addr & (f->align - 1)) || f->size > UINT64_MAX - addr)
		return -MM_ENOSPC;

	e820_table_init(&c, t->alloc);
	rc = fit_candidates(&c, t, f);
	for (i = 0; !rc && i < c.nr; i++)
		if (addr >= c.entries[i].addr &&
		    c.entries[i].size >= f->size &&
		    addr - c.entries[i].addr <= c.entries[i].size - f->size)
			break;
	if (!rc && i == c.nr)
		rc = -MM_ENOSPC;
	e820_table_free(&c);
	return rc;
}
