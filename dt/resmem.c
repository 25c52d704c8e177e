// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Linux's reserved-memory boot code, 6.1 and 6.12, as a model (see
 * resmem.h; the facts are in dt/LINUX.md, sections named in the comments).
 */
#include "resmem.h"

#include <stdarg.h>

#define SZ_1M	((uint64_t)0x100000)

struct run {
	struct dt_model *m;
	const struct dt_tree *t;
	struct mm_buf *out;
	uint32_t t_len;		/* bytes of one (address, size) pair */
	const char *fdt_prefix;	/* the prefix of fdt.c's messages (10.1) */
};

/*
 * Append one kernel line: %s a string, %a a physical address as %pa
 * prints it (0x and 16 digits), %u an unsigned 64-bit decimal.
 */
static void say(struct run *r, const char *fmt, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, fmt);
	for (p = fmt; *p; p++) {
		if (*p != '%') {
			mm_buf_putc(r->out, *p);
			continue;
		}
		switch (*++p) {
		case 's':
			mm_buf_puts(r->out, va_arg(ap, const char *));
			break;
		case 'a':
			mm_buf_hex(r->out, va_arg(ap, uint64_t), 16);
			break;
		case 'u':
			mm_buf_dec(r->out, va_arg(ap, uint64_t));
			break;
		}
	}
	va_end(ap);
}

/* A line at error or warning level: counts as a finding */
#define complain(r, ...) do { (r)->m->findings++; say(r, __VA_ARGS__); } while (0)

static void keep_rc(struct run *r, int rc)
{
	if (rc && !r->m->rc)
		r->m->rc = rc;
}

/* --- before the scan (3.1, 3.3, 3.4) ------------------------------------- */

/* early_init_dt_add_memory_arch(): whole pages only */
static void add_memory(struct run *r, uint64_t base, uint64_t size)
{
	uint64_t off = base & 4095;

	if (off) {
		if (size < 4096 - off)
			return;
		size -= 4096 - off;
		base += 4096 - off;
	}
	keep_rc(r, memblock_add(&r->m->mb, base, size & ~4095ULL));
}

static void boot_memory(struct run *r, const struct dt_boot *b)
{
	struct memblock *mb = &r->m->mb;
	const struct dt_range *mem = b->memory ? b->memory : r->t->memory;
	size_t i, nmem = b->memory ? b->nmemory : r->t->nr_memory;

	for (i = 0; i < nmem; i++)
		add_memory(r, mem[i].base, mem[i].size);
	/* arm64_memblock_init(): no memory past 48 physical bits or past the
	 * linear map (2^47 bytes from the first GiB that holds memory) */
	keep_rc(r, memblock_remove(mb, 1ULL << 48, UINT64_MAX));
	if (mb->memory.nr)
		keep_rc(r, memblock_remove(mb, (mb->memory.r[0].base &
					   ~((1ULL << 30) - 1)) + (1ULL << 47),
					   UINT64_MAX));
	for (i = 0; i < b->nheld; i++)
		keep_rc(r, memblock_reserve(mb, b->held[i].base, b->held[i].size));
}

/* /memreserve/ (4): exact bytes, no check, no message */
static void memreserve(struct run *r)
{
	size_t i;

	for (i = 0; i < r->t->nr_memreserve; i++)
		keep_rc(r, memblock_reserve(&r->m->mb, r->t->memreserve[i].base,
					    r->t->memreserve[i].size));
}

/* --- static regions (6) --------------------------------------------------- */

/* early_init_dt_reserve_memory() (6.2): -1 for -EBUSY */
static int reserve_or_mark(struct run *r, uint64_t base, uint64_t size,
			   bool nomap)
{
	struct memblock *mb = &r->m->mb;

	if (!nomap) {
		keep_rc(r, memblock_reserve(mb, base, size));
		return 0;
	}
	if (memblock_overlaps(&mb->memory, base, size) &&
	    memblock_overlaps(&mb->reserved, base, size))
		return -1;
	keep_rc(r, memblock_set_nomap(mb, base, size, true));
	return 0;
}

enum reg_result { REG_OK, REG_NONE, REG_INVALID };

static bool reg_valid(const struct run *r, const struct dt_child *c)
{
	return !(c->reg.len % (int)r->t_len);
}

static void first_pair(const struct run *r, const struct dt_prop *p, int i,
		       uint64_t *base, uint64_t *size)
{
	const uint8_t *v = p->val + (size_t)i * r->t_len;

	*base = dt_cells(v, r->t->addr_cells);
	*size = dt_cells(v + 4 * r->t->addr_cells, r->t->size_cells);
}

static bool save(struct run *r, const struct dt_child *c, uint64_t base,
		 uint64_t size, bool dynamic, size_t limit);

/*
 * __reserved_mem_reserve_reg() (6.3, 6.4): every pair reserved or marked;
 * 6.1 saves the first pair into the table right after reserving it
 */
static enum reg_result reserve_reg(struct run *r, const struct dt_child *c)
{
	int i;

	if (c->reg.len < 0)
		return REG_NONE;
	if (!reg_valid(r, c)) {
		complain(r, "%sReserved memory: invalid reg property in '%s', skipping node.\n",
			 r->fdt_prefix, c->name);
		return REG_INVALID;
	}
	for (i = 0; i < c->reg.len / (int)r->t_len; i++) {
		uint64_t base, size;

		first_pair(r, &c->reg, i, &base, &size);
		if (!size || reserve_or_mark(r, base, size, c->nomap))
			complain(r, "%sReserved memory: failed to reserve memory for node '%s': base %a, size %u MiB\n",
				 r->fdt_prefix, c->name, base, size / SZ_1M);
		if (!i && r->m->linux == DT_LINUX_6_1)
			save(r, c, base, size, false, DT_MAX_RESERVED);
	}
	return REG_OK;
}

/* --- dynamic regions (7) -------------------------------------------------- */

/* early_init_dt_alloc_reserved_memory_arch() (7.4) */
static bool alloc_arch(struct run *r, uint64_t size, uint64_t align,
		       uint64_t start, uint64_t end, bool nomap, bool bottom_up,
		       uint64_t *base)
{
	int rc;
	uint64_t b = memblock_phys_alloc_range(&r->m->mb, size, align, start,
					       end ? end : UINT64_MAX,
					       bottom_up, &rc);

	keep_rc(r, rc);
	if (!b)
		return false;
	*base = b;
	if (nomap)
		keep_rc(r, memblock_set_nomap(&r->m->mb, b, size, true));
	return true;
}

/* [6.12] __reserved_mem_alloc_in_range() (7.5): bottom-up when the range
 * starts at a region placed before and does not end at one */
static bool alloc_in_range(struct run *r, uint64_t size, uint64_t align,
			   uint64_t start, uint64_t end, bool nomap,
			   uint64_t *base)
{
	bool at_start = false, at_end = false;
	size_t i;

	for (i = 0; i < r->m->nr_region; i++) {
		const struct dt_region *e = &r->m->region[i];

		if (!e->size)
			continue;
		at_start |= start >= e->base && start <= e->base + e->size;
		at_end |= end >= e->base && end <= e->base + e->size;
	}
	return alloc_arch(r, size, align, start, end, nomap,
			  at_start && !at_end, base);
}

/* __reserved_mem_alloc_size() (7.2, 7.3): 0 with *base, *size, or -1 */
static int alloc_size(struct run *r, const struct dt_child *c,
		      uint64_t *res_base, uint64_t *res_size)
{
	const struct dt_tree *t = r->t;
	uint64_t size, align = 0, base = 0;
	int i;

	if (c->size.len < 0)
		return -1;
	if (c->size.len != (int)(4 * t->size_cells)) {
		complain(r, "OF: reserved mem: invalid size property in '%s' node.\n",
			 c->name);
		return -1;
	}
	size = dt_cells(c->size.val, t->size_cells);
	if (c->alignment.len >= 0) {
		if (c->alignment.len != (int)(4 * t->addr_cells)) {
			complain(r, "OF: reserved mem: invalid alignment property in '%s' node.\n",
				 c->name);
			return -1;
		}
		align = dt_cells(c->alignment.val, t->addr_cells);
	}
	if (dt_compatible(&c->compatible, "shared-dma-pool") && c->reusable &&
	    !c->nomap && align < DT_CMA_ALIGN)
		align = DT_CMA_ALIGN;

	if (c->alloc_ranges.len < 0) {
		alloc_arch(r, size, align, 0, 0, c->nomap, false, &base);
	} else if (c->alloc_ranges.len % (int)r->t_len) {
		complain(r, "OF: reserved mem: invalid alloc-ranges property in '%s', skipping node.\n",
			 c->name);
		return -1;
	} else {
		for (i = 0; i < c->alloc_ranges.len / (int)r->t_len; i++) {
			uint64_t start, len;

			first_pair(r, &c->alloc_ranges, i, &start, &len);
			if (r->m->linux == DT_LINUX_6_12 ?
			    alloc_in_range(r, size, align, start, start + len,
					   c->nomap, &base) :
			    alloc_arch(r, size, align, start, start + len,
				       c->nomap, false, &base))
				break;
		}
	}
	if (!base) {
		complain(r, "OF: reserved mem: failed to allocate memory for node '%s': size %u MiB\n",
			 c->name, size / SZ_1M);
		return -1;
	}
	*res_base = base;
	*res_size = size;
	return 0;
}

/* --- init and the table (8, 9) -------------------------------------------- */

enum { INIT_OK, INIT_NONE, INIT_FAIL };

/* rmem_cma_setup() (9.4); cma= is never on the command line here */
static int cma_setup(struct run *r, const struct dt_region *e)
{
	const struct dt_child *c = e->node;

	if (!c->reusable || c->nomap)
		return INIT_FAIL;
	if ((e->base | e->size) & (DT_CMA_ALIGN - 1)) {
		complain(r, "Reserved memory: incorrect alignment of CMA region\n");
		return INIT_FAIL;
	}
	if (r->m->cma_areas == DT_MAX_CMA) {
		complain(r, "cma: Not enough slots for CMA reserved regions!\n");
		complain(r, "Reserved memory: unable to setup CMA region\n");
		return INIT_FAIL;
	}
	if (!e->size || !memblock_overlaps(&r->m->mb.reserved, e->base, e->size)) {
		complain(r, "Reserved memory: unable to setup CMA region\n");
		return INIT_FAIL;
	}
	r->m->cma_areas++;
	say(r, "Reserved memory: created CMA memory pool at %a, size %u MiB\n",
	    e->base, e->size / SZ_1M);
	return INIT_OK;
}

/* rmem_dma_setup() (9.5) */
static int dma_setup(struct run *r, const struct dt_region *e)
{
	if (e->node->reusable)
		return INIT_FAIL;
	say(r, "Reserved memory: created DMA memory pool at %a, size %u MiB\n",
	    e->base, e->size / SZ_1M);
	return INIT_OK;
}

/*
 * __reserved_mem_init_node() and what follows it (9.1-9.3): the
 * shared-dma-pool setups in link order, then on failure the region is
 * given back, else the region line (6.12's; printed for 6.1 too)
 */
static void init_region(struct run *r, struct dt_region *e)
{
	const struct dt_child *c = e->node;
	int rc = INIT_NONE;

	if (dt_compatible(&c->compatible, "shared-dma-pool")) {
		rc = cma_setup(r, e);
		if (rc)
			rc = dma_setup(r, e);
		if (!rc)
			say(r, "OF: reserved mem: initialized node %s, compatible id shared-dma-pool\n",
			    c->name);
	}
	if (rc == INIT_FAIL) {
		r->m->findings++;
		say(r, "OF: reserved mem: node %s compatible matching fail\n",
		    c->name);
		if (c->nomap)
			keep_rc(r, memblock_set_nomap(&r->m->mb, e->base, e->size, false));
		else
			keep_rc(r, memblock_phys_free(&r->m->mb, e->base, e->size));
		e->state = DT_REGION_FREED;
		return;
	}
	e->state = DT_REGION_KEPT;
	say(r, "OF: reserved mem: %a..%a (%u KiB) %s %s %s\n", e->base,
	    e->base + e->size - 1, e->size / 1024, c->nomap ? "nomap" : "map",
	    c->reusable ? "reusable" : "non-reusable", c->name);
}

/* fdt_reserved_mem_save_node(): false when the table is full */
static bool save(struct run *r, const struct dt_child *c, uint64_t base,
		 uint64_t size, bool dynamic, size_t limit)
{
	struct dt_model *m = r->m;

	if (m->nr_region >= limit) {
		complain(r, "OF: reserved mem: not enough space for all defined regions.\n");
		return false;
	}
	if (mm_grow(m->alloc, &m->region, &m->cap_region, m->nr_region + 1,
		    sizeof(*m->region))) {
		keep_rc(r, -MM_ENOMEM);
		return false;
	}
	m->region[m->nr_region++] = (struct dt_region){
		c, base, size, dynamic, DT_REGION_UNPLACED
	};
	return true;
}

/* __rmem_cmp(): base, size, and in 6.12 the node offset */
static int rmem_cmp(const struct run *r, const struct dt_region *a,
		    const struct dt_region *b)
{
	if (a->base != b->base)
		return a->base < b->base ? -1 : 1;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	if (r->m->linux == DT_LINUX_6_1 || a->node->offset == b->node->offset)
		return 0;
	return a->node->offset < b->node->offset ? -1 : 1;
}

static void swap(struct dt_region *v, size_t i, size_t j)
{
	struct dt_region x = v[i];

	v[i] = v[j];
	v[j] = x;
}

/*
 * Linux 6.1's lib/sort.c heapsort (8.4), step for step: equal keys (the
 * dynamic placeholders) end in the order it leaves them, which is the
 * order 6.1 places them in.  6.12's order is total, so any sort does.
 */
static void sort_table(struct run *r)
{
	struct dt_region *v = r->m->region;
	size_t n = r->m->nr_region, limit = n, pending = n / 2;

	if (!pending)
		return;
	for (;;) {
		size_t root, pos, dest;

		if (pending) {
			root = --pending;
		} else {
			if (!--limit)
				break;
			swap(v, 0, limit);
			root = 0;
		}
		/* Down to a leaf, by the larger child */
		for (pos = root; 2 * pos + 2 < limit;)
			pos = rmem_cmp(r, &v[2 * pos + 1], &v[2 * pos + 2]) >= 0 ?
			      2 * pos + 1 : 2 * pos + 2;
		if (2 * pos + 1 == limit - 1)
			pos = 2 * pos + 1;
		/* Back up to where the root's element belongs */
		while (pos != root && rmem_cmp(r, &v[root], &v[pos]) >= 0)
			pos = (pos - 1) / 2;
		/* Rotate the path: the root's element down to pos */
		for (dest = pos; pos != root;) {
			pos = (pos - 1) / 2;
			swap(v, pos, dest);
		}
	}
}

/* __rmem_check_for_overlap() (8.3): adjacent pairs, exclusive ends */
static void check_overlap(struct run *r)
{
	const struct dt_region *v = r->m->region;
	size_t i;

	if (r->m->nr_region < 2)
		return;
	sort_table(r);
	for (i = 0; i + 1 < r->m->nr_region; i++)
		if (v[i].base + v[i].size > v[i + 1].base)
			complain(r, "OF: reserved mem: OVERLAP DETECTED!\n%s (%a--%a) overlaps with %s (%a--%a)\n",
				 v[i].node->name, v[i].base, v[i].base + v[i].size,
				 v[i + 1].node->name, v[i + 1].base,
				 v[i + 1].base + v[i + 1].size);
}

/* --- the two kernels (3.2, 10.5) ------------------------------------------ */

static bool root_ok(struct run *r)
{
	if (r->t->resmem_ok)
		return true;
	complain(r, "%sReserved memory: unsupported node format, ignoring\n",
		 r->fdt_prefix);
	return false;
}

static void run_6_1(struct run *r)
{
	const struct dt_tree *t = r->t;
	struct dt_model *m = r->m;
	size_t i;

	memreserve(r);
	if (t->has_resmem && root_ok(r)) {
		/* The scan: statics reserved, every region saved in DT order */
		for (i = 0; i < t->nr_child; i++) {
			const struct dt_child *c = &t->child[i];

			if (!c->available)
				continue;
			if (reserve_reg(r, c) == REG_NONE && c->size.len >= 0)
				save(r, c, 0, 0, true, DT_MAX_RESERVED);
		}
	}
	/* fdt_init_reserved_mem(): sort, overlaps, then place and init */
	check_overlap(r);
	for (i = 0; i < m->nr_region; i++) {
		struct dt_region *e = &m->region[i];

		if (!e->size && alloc_size(r, e->node, &e->base, &e->size))
			continue;
		init_region(r, e);
	}
}

static void run_6_12(struct run *r)
{
	const struct dt_tree *t = r->t;
	const struct dt_child **dyn = NULL;
	size_t i, ndyn = 0, cap = 0;

	/* Phase 1, arm64_memblock_init(): statics, then dynamics in DT order */
	if (t->has_resmem && root_ok(r)) {
		for (i = 0; i < t->nr_child; i++) {
			const struct dt_child *c = &t->child[i];

			if (!c->available || reserve_reg(r, c) != REG_NONE ||
			    c->size.len < 0)
				continue;
			if (ndyn == DT_MAX_RESERVED) {
				complain(r, "OF: reserved mem: too many defined dynamic regions, skip '%s'\n",
					 c->name);
				continue;
			}
			if (mm_grow(r->m->alloc, &dyn, &cap, ndyn + 1, sizeof(*dyn))) {
				keep_rc(r, -MM_ENOMEM);
				break;
			}
			dyn[ndyn++] = c;
		}
		for (i = 0; i < ndyn; i++) {
			uint64_t base, size;

			if (!alloc_size(r, dyn[i], &base, &size) &&
			    save(r, dyn[i], base, size, true, DT_MAX_RESERVED))
				init_region(r, &r->m->region[r->m->nr_region - 1]);
		}
	}
	mm_free(r->m->alloc, dyn);
	memreserve(r);

	/* Phase 2, unflatten_device_tree(): statics saved in DT order */
	if (!t->has_resmem) {
		say(r, "OF: reserved mem: Reserved memory: No reserved-memory node in the DT\n");
		return;
	}
	if (!root_ok(r))
		return;
	for (i = 0; i < t->nr_child; i++) {
		const struct dt_child *c = &t->child[i];
		uint64_t base, size;

		if (!c->available || c->reg.len < 0)
			continue;
		if (!reg_valid(r, c)) {
			complain(r, "OF: reserved mem: Reserved memory: invalid reg property in '%s', skipping node.\n",
				 c->name);
			continue;
		}
		if (c->reg.len > (int)r->t_len) {
			complain(r, "OF: reserved mem: fdt_scan_reserved_mem_reg_nodes() ignores %u regions in node '%s'\n",
				 (uint64_t)(c->reg.len / r->t_len - 1), c->name);
		}
		/* An empty reg: Linux reads past the property; nothing here */
		if (!c->reg.len)
			continue;
		first_pair(r, &c->reg, 0, &base, &size);
		if (size && save(r, c, base, size, false, SIZE_MAX))
			init_region(r, &r->m->region[r->m->nr_region - 1]);
	}
	check_overlap(r);
}

int dt_model_run(struct dt_model *m, const struct dt_tree *t,
		 const struct dt_boot *b, const struct mm_alloc *a,
		 struct mm_buf *out)
{
	struct run r = { m, t, out, 4 * (t->addr_cells + t->size_cells),
			 b->linux == DT_LINUX_6_1 ? "OF: fdt: " : "OF: reserved mem: " };

	memset(m, 0, sizeof(*m));
	m->alloc = a;
	m->linux = b->linux;
	memblock_init(&m->mb, a);
	boot_memory(&r, b);
	if (b->linux == DT_LINUX_6_1)
		run_6_1(&r);
	else
		run_6_12(&r);
	if (!m->rc && out->rc)
		m->rc = out->rc;
	return m->rc;
}

void dt_model_free(struct dt_model *m)
{
	memblock_free_all(&m->mb);
	mm_free(m->alloc, m->region);
	m->region = NULL;
	m->nr_region = 0;
}
