/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ramoops-compatible pstore region: layout, zone headers, ring buffers.
 */
#include "pstore.h"

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint64_t rounddown_pow2(uint64_t v)
{
	while (v & (v - 1))
		v &= v - 1;
	return v;
}

bool pstore_sig_ok(enum pstore_type type, uint32_t sig)
{
	uint32_t v = sig ^ PERSISTENT_RAM_SIG;

	/* ftrace zones carry the writer's LINUX_VERSION_CODE */
	if (type == PSTORE_TYPE_FTRACE)
		return v >= 0x020000 && v <= 0xffffff;
	return v == 0;
}

/* A zone's geometry: ring capacity, parity area, header parity */
struct zone_geo {
	uint64_t capacity;	/* buffer_size */
	uint64_t par_off;	/* parity of the ring's blocks, from zone start */
	uint64_t hdr_par_off;	/* parity of the header */
};

/* persistent_ram_new() + persistent_ram_init_ecc(): 0 or the reason */
static const char *zone_geometry(uint64_t size, uint32_t ecc,
				 struct zone_geo *g)
{
	uint64_t blocks, total;

	if (size <= PSTORE_HDR_SIZE)
		return "a zone is not larger than its 12-byte header";
	g->capacity = size - PSTORE_HDR_SIZE;
	if (g->capacity > UINT32_MAX)
		return "a zone is larger than 4 GiB (its header holds 32-bit sizes)";
	if (!ecc)
		return NULL;
	if (g->capacity <= ecc)
		return "ecc_size is too large for the zone";
	blocks = (g->capacity - ecc + PSTORE_ECC_BLOCK + ecc - 1) /
		 (PSTORE_ECC_BLOCK + ecc);
	total = (blocks + 1) * ecc;
	if (total >= g->capacity)
		return "ecc_size is too large for the zone";
	g->capacity -= total;
	g->par_off = PSTORE_HDR_SIZE + g->capacity;
	g->hdr_par_off = g->par_off + blocks * ecc;
	return NULL;
}

static int add_zone(struct pstore_layout *l, enum pstore_type type,
		    uint32_t id, uint64_t off, uint64_t size)
{
	int rc = mm_grow(l->alloc, &l->zones, &l->cap, l->nr + 1,
			 sizeof(*l->zones));

	if (rc)
		return rc;
	l->zones[l->nr++] = (struct pstore_zone){ type, id, off, size };
	return 0;
}

/* The sizes ramoops uses: powers of two, rounded down */
struct sizes {
	uint64_t rec, con, ftr, pms;
};

static void round_sizes(const struct pstore_params *p, struct sizes *z)
{
	z->rec = rounddown_pow2(p->record_size);
	z->con = rounddown_pow2(p->console_size);
	z->ftr = rounddown_pow2(p->ftrace_size);
	z->pms = rounddown_pow2(p->pmsg_size);
}

/* ramoops_probe()'s first zones: the dmesg records, then console; *off
 * gets where the rest starts */
static int layout_head(const struct pstore_params *p, struct pstore_layout *l,
		       uint64_t *off, const char **why)
{
	struct sizes z;
	uint64_t dump, cnt, zsz, i;
	int rc;

	round_sizes(p, &z);
	l->nr = 0;
	*off = 0;
	l->ecc = p->ecc == 1 ? 16 : p->ecc;
	if (!p->mem_size || (!z.rec && !z.con && !z.ftr && !z.pms)) {
		*why = "the memory size and a record, console, ftrace or pmsg size must be non-zero";
		return -MM_EINVAL;
	}
	if (l->ecc > PSTORE_ECC_MAX) {
		*why = "ecc must be 0 to 127 (a 128-byte block and its parity fit in 255 bytes)";
		return -MM_EINVAL;
	}
	if (z.con > p->mem_size || z.ftr > p->mem_size - z.con ||
	    z.pms > p->mem_size - z.con - z.ftr) {
		*why = "console, ftrace and pmsg sizes exceed mem_size";
		return -MM_EINVAL;
	}

	/* dmesg records: mem_size less the others, in record_size zones */
	dump = p->mem_size - z.con - z.ftr - z.pms;
	if (dump && z.rec) {
		cnt = dump / z.rec;
		if (!cnt) {
			*why = "no room for one dmesg record";
			return -MM_EINVAL;
		}
		/* 6.1.y stable: zone sizes are even (ALIGN_DOWN(zone_sz, 2)) */
		zsz = dump / cnt & ~(uint64_t)1;
		for (i = 0; i < cnt; i++, *off += zsz) {
			rc = add_zone(l, PSTORE_TYPE_DMESG, (uint32_t)i, *off, zsz);
			if (rc)
				return rc;
		}
	}
	if (z.con) {
		rc = add_zone(l, PSTORE_TYPE_CONSOLE, 0, *off, z.con);
		if (rc)
			return rc;
		*off += z.con;
	}
	return 0;
}

/*
 * The rest, from @off: ftrace and pmsg in @order's order.  With module
 * parameters ramoops splits ftrace into one zone per CPU
 * (RAMOOPS_FLAG_FTRACE_PER_CPU), each ftrace_size / cpus, even.
 */
static int layout_tail(const struct pstore_params *p, enum pstore_order order,
		       uint32_t cpus, struct pstore_layout *l, uint64_t off,
		       const char **why)
{
	enum pstore_type tail[2] = { PSTORE_TYPE_FTRACE, PSTORE_TYPE_PMSG };
	struct zone_geo g;
	struct sizes z;
	uint64_t zsz;
	uint32_t i;
	size_t k;
	int rc;

	round_sizes(p, &z);
	l->order = order;
	l->cpus = cpus;
	if (order == PSTORE_ORDER_62) {
		tail[0] = PSTORE_TYPE_PMSG;
		tail[1] = PSTORE_TYPE_FTRACE;
	}
	for (k = 0; k < 2; k++) {
		if (tail[k] == PSTORE_TYPE_PMSG && z.pms) {
			rc = add_zone(l, PSTORE_TYPE_PMSG, 0, off, z.pms);
			if (rc)
				return rc;
			off += z.pms;
		} else if (tail[k] == PSTORE_TYPE_FTRACE && z.ftr) {
			zsz = z.ftr / cpus & ~(uint64_t)1;
			for (i = 0; i < cpus; i++, off += zsz) {
				rc = add_zone(l, PSTORE_TYPE_FTRACE, i, off, zsz);
				if (rc)
					return rc;
			}
		}
	}
	for (k = 0; k < l->nr; k++) {
		*why = zone_geometry(l->zones[k].size, l->ecc, &g);
		if (*why)
			return -MM_EINVAL;
	}
	return 0;
}

/*
 * How well @order and @cpus fit the headers in RAM, from the tail that
 * starts at @off: 2 per zone with its own signature, -1 per ftrace zone
 * without; of the ftrace zones, the first two and the last are looked at,
 * which tells CPU counts apart in O(1)
 */
static long tail_score(const struct pstore_params *p, uint32_t ecc,
		       enum pstore_order order, uint32_t cpus, uint64_t off,
		       const uint8_t *region, bool *usable)
{
	uint64_t ftr = rounddown_pow2(p->ftrace_size);
	uint64_t pms = rounddown_pow2(p->pmsg_size);
	uint64_t zsz = ftr / cpus & ~(uint64_t)1, fbase, pbase;
	uint32_t look[3] = { 0, 1, cpus - 1 }, i;
	struct zone_geo g;
	long n = 0;

	/* Only a layout whose zones ramoops would accept is scored (and
	 * only its zones are read) */
	*usable = !zone_geometry(zsz, ecc, &g) &&
		  (!pms || !zone_geometry(pms, ecc, &g));
	if (!*usable)
		return 0;
	fbase = order == PSTORE_ORDER_62 ? off + pms : off;
	pbase = order == PSTORE_ORDER_62 ? off : off + cpus * zsz;
	for (i = 0; i < 3 && i < cpus; i++) {
		if (i == 2 && look[2] <= 1)
			break;
		if (pstore_sig_ok(PSTORE_TYPE_FTRACE,
				  get_le32(region + fbase + look[i] * zsz)))
			n += 2;
		else
			n--;
	}
	if (pms && pstore_sig_ok(PSTORE_TYPE_PMSG, get_le32(region + pbase)))
		n += 2;
	return n;
}

int pstore_layout(const struct pstore_params *p, const uint8_t *region,
		  struct pstore_layout *l, const struct mm_alloc *a,
		  const char **why)
{
	enum pstore_order order = p->order == PSTORE_ORDER_62 ?
				  PSTORE_ORDER_62 : PSTORE_ORDER_61, o;
	uint32_t cpus = p->cpus ? p->cpus : 1, k, kmax = cpus;
	uint64_t off, ftr = rounddown_pow2(p->ftrace_size);
	long best = -1, sc;
	bool usable;
	size_t head;
	int rc;

	l->zones = NULL;
	l->nr = l->cap = 0;
	l->alloc = a;
	*why = NULL;
	rc = layout_head(p, l, &off, why);
	head = l->nr;

	/*
	 * What RAM does not say is guessed from it: the order when both
	 * ftrace and pmsg zones exist, the CPU count when ftrace does
	 */
	if (!rc && region && ftr && !p->cpus)
		kmax = ftr / (2 * PSTORE_HDR_SIZE) < PSTORE_MAX_CPUS ?
		       (uint32_t)(ftr / (2 * PSTORE_HDR_SIZE)) : PSTORE_MAX_CPUS;
	for (o = PSTORE_ORDER_61; !rc && region && ftr && o <= PSTORE_ORDER_62; o++) {
		if (o != order && (p->order != PSTORE_ORDER_AUTO ||
				   !rounddown_pow2(p->pmsg_size)))
			continue;
		for (k = p->cpus ? p->cpus : 1; k <= kmax; k++) {
			sc = tail_score(p, l->ecc, o, k, off, region, &usable);
			if (usable && sc > best) {
				best = sc;
				order = o;
				cpus = k;
			}
		}
	}
	if (!rc) {
		l->nr = head;
		rc = layout_tail(p, order, cpus, l, off, why);
	}
	if (rc)
		pstore_layout_free(l);
	return rc;
}

int pstore_check(const struct pstore_params *p, const struct mm_alloc *a,
		 const char **why)
{
	struct pstore_params q = *p;
	uint32_t ecc = p->ecc == 1 ? 16 : p->ecc;
	struct pstore_layout l;
	struct zone_geo g;
	struct sizes z;
	uint64_t dump;
	int rc;

	/* The dmesg zones are all alike (a large region has millions): one
	 * is checked here, the rest of the layout is made without them.  Any
	 * error pstore_layout() finds first is left to it */
	round_sizes(p, &z);
	*why = NULL;
	if (z.rec && ecc <= PSTORE_ECC_MAX && z.con <= p->mem_size &&
	    z.ftr <= p->mem_size - z.con && z.pms <= p->mem_size - z.con - z.ftr) {
		dump = p->mem_size - z.con - z.ftr - z.pms;
		if (dump / z.rec) {
			*why = zone_geometry(dump / (dump / z.rec) & ~(uint64_t)1, ecc, &g);
			if (*why)
				return -MM_EINVAL;
			q.record_size = 0;
			q.mem_size -= dump;
			if (!q.mem_size)
				return 0;
		}
	}
	rc = pstore_layout(&q, NULL, &l, a, why);
	if (!rc)
		pstore_layout_free(&l);
	return rc;
}

void pstore_layout_free(struct pstore_layout *l)
{
	mm_free(l->alloc, l->zones);
	l->zones = NULL;
	l->nr = l->cap = 0;
}

/* Decode one ECC block of a copy; counts go into @v */
static void ecc_block(const struct pstore_rs *rs, uint8_t *data, size_t len,
		      const uint8_t *par, uint32_t ecc,
		      struct pstore_zone_view *v)
{
	uint8_t p[256];
	int n;

	memcpy(p, par, ecc);
	n = pstore_rs_decode(rs, data, len, p);
	if (n > 0)
		v->corrected += (unsigned int)n;
	else if (n < 0)
		v->bad_blocks++;
}

int pstore_zone_read(const uint8_t *region, const struct pstore_layout *l,
		     const struct pstore_zone *z, const struct pstore_rs *rs,
		     struct pstore_zone_view *v, const struct mm_alloc *a)
{
	const uint8_t *zone = region + z->off;
	struct zone_geo g;
	uint8_t hdr[PSTORE_HDR_SIZE], *data;
	uint64_t b;

	memset(v, 0, sizeof(*v));
	if (zone_geometry(z->size, l->ecc, &g))
		return 0;
	v->capacity = g.capacity;

	/* The header, corrected on a copy, checked as Linux checks it */
	memcpy(hdr, zone, sizeof(hdr));
	if (l->ecc && rs)
		ecc_block(rs, hdr, sizeof(hdr), zone + g.hdr_par_off, l->ecc, v);
	v->sig = get_le32(hdr);
	v->start = get_le32(hdr + 4);
	v->size = get_le32(hdr + 8);
	v->valid = pstore_sig_ok(z->type, v->sig) && v->size <= g.capacity &&
		   v->start <= v->size;
	if (!v->valid || !v->size)
		return 0;

	/* The used blocks, corrected on a copy, then unrolled */
	data = a->realloc(a->ctx, NULL, g.capacity + v->size);
	if (!data)
		return -MM_ENOMEM;
	memcpy(data, zone + PSTORE_HDR_SIZE, g.capacity);
	for (b = 0; l->ecc && rs && b < v->size; b += PSTORE_ECC_BLOCK) {
		uint64_t len = g.capacity - b < PSTORE_ECC_BLOCK ?
			       g.capacity - b : PSTORE_ECC_BLOCK;

		ecc_block(rs, data + b, len,
			  zone + g.par_off + b / PSTORE_ECC_BLOCK * l->ecc,
			  l->ecc, v);
	}
	v->old = data + g.capacity;
	memcpy(v->old, data + v->start, v->size - v->start);
	memcpy(v->old + v->size - v->start, data, v->start);
	v->old_len = v->size;
	return 0;
}

void pstore_view_free(struct pstore_zone_view *v, const struct mm_alloc *a)
{
	if (v->old)
		mm_free(a, v->old - v->capacity);
	v->old = NULL;
}

void pstore_record_name(struct mm_buf *b, const struct pstore_zone *z)
{
	static const char *const names[] = { "dmesg", "console", "ftrace",
					     "pmsg" };

	mm_buf_puts(b, names[z->type]);
	mm_buf_puts(b, "-ramoops-");
	mm_buf_dec(b, z->id);
}

/* The kernel's vsscanf() over s[0..n), which ends at a NUL too */
struct scan {
	const uint8_t *s;
	size_t n, i;
};

static int scan_peek(const struct scan *sc, size_t k)
{
	return sc->i + k < sc->n ? sc->s[sc->i + k] : 0;
}

static void scan_spaces(struct scan *sc)
{
	while (scan_peek(sc, 0) && mm_isspace((uint8_t)scan_peek(sc, 0)))
		sc->i++;
}

/* %lld (a '-' allowed) or %lu (no sign): blanks, then digits */
static bool scan_num(struct scan *sc, bool is_sign, uint64_t *v)
{
	bool neg = false;

	scan_spaces(sc);
	if (is_sign && scan_peek(sc, 0) == '-') {
		neg = true;
		sc->i++;
	}
	if (scan_peek(sc, 0) < '0' || scan_peek(sc, 0) > '9')
		return false;
	for (*v = 0; scan_peek(sc, 0) >= '0' && scan_peek(sc, 0) <= '9'; sc->i++)
		*v = *v * 10 + (uint64_t)(scan_peek(sc, 0) - '0');
	if (neg)
		*v = 0 - *v;
	return true;
}

size_t pstore_dmesg_header(const uint8_t *s, size_t n, int64_t *sec,
			   uint32_t *usec, bool *compressed)
{
	struct scan sc = { s, n, 4 };
	uint64_t a, b;

	*sec = 0;
	*usec = 0;
	*compressed = false;
	if (n < 4 || memcmp(s, RAMOOPS_KERNMSG_HDR, 4))
		return 0;
	/* "%lld.%lu": both forms start so */
	if (!scan_num(&sc, true, &a) || scan_peek(&sc, 0) != '.')
		return 0;
	sc.i++;
	if (!scan_num(&sc, false, &b))
		return 0;
	*sec = (int64_t)a;	/* two's complement, as the kernel's */
	*usec = (uint32_t)b;

	/* "-%c\n%n", else the older "\n%n"; "\n" skips any white space */
	if (scan_peek(&sc, 0) == '-' && scan_peek(&sc, 1)) {
		*compressed = scan_peek(&sc, 1) == 'C';
		sc.i += 2;
	}
	scan_spaces(&sc);
	return sc.i;
}

void pstore_ecc_notice(struct mm_buf *b, const struct pstore_zone_view *v)
{
	if (!v->corrected && !v->bad_blocks) {
		mm_buf_puts(b, "ECC: No errors detected\n");
		return;
	}
	mm_buf_puts(b, "ECC: ");
	mm_buf_dec(b, v->corrected);
	mm_buf_puts(b, " Corrected bytes, ");
	mm_buf_dec(b, v->bad_blocks);
	mm_buf_puts(b, " unrecoverable blocks\n");
}

/*
 * The ECC blocks holding [start, start+count) of the ring: re-encode
 * their parity (persistent_ram_update_ecc()), or first correct them in
 * place, as Linux has done at boot, so that re-encoding does not make an
 * error permanent
 */
static void ecc_blocks(uint8_t *zone, const struct zone_geo *g, uint32_t ecc,
		       const struct pstore_rs *rs, uint64_t start,
		       uint64_t count, bool encode)
{
	uint64_t b = start & ~(uint64_t)(PSTORE_ECC_BLOCK - 1);

	if (!ecc || (!encode && !count))
		return;
	do {
		uint64_t len = g->capacity - b < PSTORE_ECC_BLOCK ?
			       g->capacity - b : PSTORE_ECC_BLOCK;
		uint8_t *data = zone + PSTORE_HDR_SIZE + b;
		uint8_t *par = zone + g->par_off + b / PSTORE_ECC_BLOCK * ecc;

		if (encode)
			pstore_rs_encode(rs, data, len, par);
		else
			pstore_rs_decode(rs, data, len, par);
		b += PSTORE_ECC_BLOCK;
	} while (b < start + count);
}

static void write_header(uint8_t *zone, const struct zone_geo *g, uint32_t ecc,
			 const struct pstore_rs *rs, uint32_t sig,
			 uint64_t start, uint64_t size)
{
	put_le32(zone, sig);
	put_le32(zone + 4, (uint32_t)start);
	put_le32(zone + 8, (uint32_t)size);
	if (ecc)
		pstore_rs_encode(rs, zone, PSTORE_HDR_SIZE, zone + g->hdr_par_off);
}

/* The zone's current ring state; a bad header starts an empty ring */
static int ring_state(const uint8_t *region, const struct pstore_layout *l,
		      const struct pstore_zone *z, const struct pstore_rs *rs,
		      struct zone_geo *g, uint64_t *start, uint64_t *size)
{
	struct pstore_zone_view v;
	uint8_t hdr[PSTORE_HDR_SIZE];

	if (z->type == PSTORE_TYPE_FTRACE || zone_geometry(z->size, l->ecc, g) ||
	    (l->ecc && !rs))
		return -MM_EINVAL;
	memset(&v, 0, sizeof(v));
	memcpy(hdr, region + z->off, sizeof(hdr));
	if (l->ecc)
		ecc_block(rs, hdr, sizeof(hdr), region + z->off + g->hdr_par_off,
			  l->ecc, &v);
	*start = get_le32(hdr + 4);
	*size = get_le32(hdr + 8);
	if (!pstore_sig_ok(z->type, get_le32(hdr)) || *size > g->capacity ||
	    *start > *size)
		*start = *size = 0;
	return 0;
}

/* Append to a ring whose state is known: persistent_ram_write() */
static void ring_write(uint8_t *zone, const struct zone_geo *g, uint32_t ecc,
		       const struct pstore_rs *rs, uint64_t *start,
		       uint64_t *size, const uint8_t *s, uint64_t c)
{
	uint64_t at, rem;

	if (c > g->capacity) {
		s += c - g->capacity;
		c = g->capacity;
	}
	if (*size != g->capacity)
		*size = *size + c > g->capacity ? g->capacity : *size + c;
	at = *start;
	*start += c;
	while (*start >= g->capacity)
		*start -= g->capacity;

	rem = g->capacity - at;
	if (rem < c) {
		ecc_blocks(zone, g, ecc, rs, at, rem, false);
		memcpy(zone + PSTORE_HDR_SIZE + at, s, rem);
		ecc_blocks(zone, g, ecc, rs, at, rem, true);
		s += rem;
		c -= rem;
		at = 0;
	}
	ecc_blocks(zone, g, ecc, rs, at, c, false);
	memcpy(zone + PSTORE_HDR_SIZE + at, s, c);
	ecc_blocks(zone, g, ecc, rs, at, c, true);
	write_header(zone, g, ecc, rs, PERSISTENT_RAM_SIG, *start, *size);
}

uint64_t pstore_zone_capacity(const struct pstore_layout *l,
			      const struct pstore_zone *z)
{
	struct zone_geo g;

	return zone_geometry(z->size, l->ecc, &g) ? 0 : g.capacity;
}

int pstore_zone_append(uint8_t *region, const struct pstore_layout *l,
		       const struct pstore_zone *z, const struct pstore_rs *rs,
		       const void *data, size_t n)
{
	struct zone_geo g;
	uint64_t start, size;
	int rc;

	rc = ring_state(region, l, z, rs, &g, &start, &size);
	if (rc)
		return rc;
	ring_write(region + z->off, &g, l->ecc, rs, &start, &size, data, n);
	return 0;
}

int pstore_write_dmesg(uint8_t *region, const struct pstore_layout *l,
		       const struct pstore_zone *z, const struct pstore_rs *rs,
		       int64_t sec, uint32_t usec, bool compressed,
		       const void *data, size_t n)
{
	const struct mm_alloc *a = l->alloc;
	struct zone_geo g;
	struct mm_buf hdr;
	uint64_t start = 0, size = 0, i;
	int rc;

	if (z->type != PSTORE_TYPE_DMESG || zone_geometry(z->size, l->ecc, &g) ||
	    (l->ecc && !rs))
		return -MM_EINVAL;

	/* "====%lld.%06lu-%c\n" */
	mm_buf_init(&hdr, a);
	mm_buf_puts(&hdr, RAMOOPS_KERNMSG_HDR);
	if (sec < 0)
		mm_buf_putc(&hdr, '-');
	mm_buf_dec(&hdr, sec < 0 ? -(uint64_t)sec : (uint64_t)sec);
	mm_buf_putc(&hdr, '.');
	for (i = 100000; i > 1 && usec < i; i /= 10)
		mm_buf_putc(&hdr, '0');
	mm_buf_dec(&hdr, usec);
	mm_buf_puts(&hdr, compressed ? "-C\n" : "-D\n");
	rc = hdr.rc;
	if (!rc && hdr.len >= g.capacity)
		rc = -MM_EINVAL;
	if (!rc) {
		/* A new dump starts an empty zone (persistent_ram_zap) */
		write_header(region + z->off, &g, l->ecc, rs, PERSISTENT_RAM_SIG,
			     0, 0);
		ring_write(region + z->off, &g, l->ecc, rs, &start, &size,
			   (const uint8_t *)hdr.s, hdr.len);
		if (n > g.capacity - hdr.len)
			n = g.capacity - hdr.len;
		ring_write(region + z->off, &g, l->ecc, rs, &start, &size, data, n);
	}
	mm_buf_free(&hdr);
	return rc;
}
