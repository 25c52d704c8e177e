/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Seed corpora of the fuzz targets, written into DIR/NAME/ (make
 * fuzz-corpus; the output is committed as tests/fuzz/corpus/):
 *   cmdline        the kernel command lines of tests/linux/cases.txt, the
 *                  malformed ones of tests/cli/malformed.txt, the README's,
 *                  and a few more (placed forms, quotes, "--", ENOMEM runs)
 *   e820ops        operation sequences in each window
 *   pstore_region  regions written with pstore_write_dmesg() and
 *                  pstore_zone_append() (ECC off, 8, 16, 32; both zone
 *                  orders; 'C' records deflated with zlib; a corrected
 *                  byte), ftrace zones as Linux writes them
 *   inflate        raw deflate streams (every zlib strategy, stored,
 *                  bounds, truncated, corrupt, trailing bytes)
 * Deterministic: fixed inputs and a fixed PRNG seed; files are
 * overwritten, never removed (regression inputs stay).
 * Usage: gen_corpus DIR CASES.TXT MALFORMED.TXT
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "../../pstore/inflate.h"
#include "../../pstore/record.h"

#define PAGE 4096u

static const char *outdir;

static void *libc_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (!size) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

static const struct mm_alloc alloc = { libc_realloc, NULL };

static void die(const char *what)
{
	fprintf(stderr, "gen_corpus: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void put(const char *target, const char *name, const void *data,
		size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0755) && errno != EEXIST)
		die(path);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	f = fopen(path, "wb");
	if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f))
		die(path);
}

static uint64_t rnd_state = 0x5eed;

static uint64_t rnd(void)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* --- cmdline ------------------------------------------------------------ */

/* Control byte then the line: ' ' = top-down, nothing fails */
static void put_line(const char *name, char control, const char *line)
{
	size_t n = strlen(line);
	char *buf = malloc(n + 1);

	if (!buf)
		die("malloc");
	buf[0] = control;
	memcpy(buf + 1, line, n);
	put("cmdline", name, buf, n + 1);
	free(buf);
}

static void gen_cmdline(const char *cases, const char *malformed)
{
	static const char *const extra[] = {
		/* The README's */
		"memmap=12M*4096:oops ramoops.mem_name=oops memmap=1M$0x10000000",
		"memmap=64K#0x13000000 memmap=2M*2M:x",
		"memmap=16M%0x10000000-1+2,1M$0x100000000x",
		/* Placed forms */
		"reserve_mem=4M:0:r",
		"reserve_mem=1M:2M:a memmap=3M*1G:b",
		"memmap=4K*4096:a,4K*4096:b,8K*8K:c",
		"memmap=1G*1G:big",
		"mem=100M memmap=1M*4096:low",
		"memmap=exactmap,640K@0,1023M@1M memmap=4K*4096:e",
		"efi=nosoftreserve memmap=8M*4096:x console=ttyS0",
		"ramoops.ecc=1 ramoops.record_size=0x4000 memmap=1M*1M:oops ramoops.mem_name=oops",
		"reserve-mem=64K:4096:t ramoops.mem-name=t",
		"memmap=0x1000%0x9f000-1+2 memmap=2M*2M:edge",
		"memmap=16M!0x10000000 memmap=1M$0x10400000 memmap=8M*4096:p",
		"memmap=8M%0x10000000+0xefffffff memmap=1M*1M:s",
		/* Quotes, "--" */
		"\"memmap=1M*4096:q\" console=ttyS0",
		"memmap=\"2M*2M:v,1M$0x1000000\"",
		"quiet -- memmap=1M*4096:init",
		"a\"b c\" memmap=4K*4096:w",
		"root=/dev/sda1 ro \xa0 memmap=4K*4096:nbsp",
	};
	char line[4096], name[64];
	FILE *f;
	size_t i;
	int n;

	/* tests/linux/cases.txt: NAME MEM OPTIONS... */
	f = fopen(cases, "r");
	if (!f)
		die(cases);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *opts, *end;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		end = strchr(p, ' ');
		if (!end)
			continue;
		*end = '\0';
		opts = strchr(end + 1, ' ');
		snprintf(name, sizeof(name), "case-%s", p);
		put_line(name, ' ', opts ? opts + 1 : "");
	}
	fclose(f);

	/* tests/cli/malformed.txt: WORD TAB LINE */
	f = fopen(malformed, "r");
	if (!f)
		die(malformed);
	for (n = 0; fgets(line, sizeof(line), f);) {
		char *tab;

		line[strcspn(line, "\n")] = '\0';
		tab = strchr(line, '\t');
		if (line[0] == '#' || !tab)
			continue;
		snprintf(name, sizeof(name), "malformed-%02d", ++n);
		put_line(name, ' ', tab + 1);
	}
	fclose(f);

	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		snprintf(name, sizeof(name), "extra-%02zu", i + 1);
		put_line(name, ' ', extra[i]);
	}

	/* Bottom-up placement; allocations failing at several points */
	put_line("bottom-up", '@', extra[0]);
	put_line("bottom-up-2", '@', extra[5]);
	put_line("enomem-03", (char)0x83, extra[0]);
	put_line("enomem-09", (char)0x89, extra[4]);
	put_line("enomem-20", (char)0x94, extra[10]);
	put("cmdline", "nul-byte", " memmap=1M$0x1000\0 x", 20);
}

/* --- e820ops ------------------------------------------------------------ */

struct ops {
	uint8_t b[1024];
	size_t n;
};

static void op(struct ops *o, uint8_t kind, uint8_t first, uint8_t count,
	       uint8_t types)
{
	o->b[o->n++] = kind;
	o->b[o->n++] = first;
	o->b[o->n++] = count;
	o->b[o->n++] = types;
}

/* Type indices of e820ops.c's table */
enum { T_RAM, T_RES, T_ACPI, T_NVS, T_UNUS, T_PMEM, T_PRAM, T_KERN, T_SOFT,
       T_13, T_0, T_6, T_MAX };

#define TY(t, other) ((uint8_t)((t) | (other) << 4))
#define ADD 0
#define UPD 3
#define REM 5
#define SAN 7

static void gen_e820ops(void)
{
	struct ops o;
	char name[64];
	int i, k;

	/* A map like OVMF's, then a reservation, a retype, a limit */
	for (i = 0; i < 3; i++) {
		memset(&o, 0, sizeof(o));
		o.b[o.n++] = (uint8_t)i;
		op(&o, ADD, 0, 40, TY(T_RAM, 0));
		op(&o, ADD, 40, 4, TY(T_NVS, 0));
		op(&o, ADD, 44, 20, TY(T_RAM, 0));
		op(&o, ADD, 50, 2, TY(T_ACPI, 0));
		op(&o, SAN, 0, 0, 0);
		op(&o, ADD, 10, 4, TY(T_RES, 0));
		op(&o, UPD, 20, 8, TY(T_RAM, T_PRAM));
		op(&o, UPD, 22, 2, TY(T_PRAM, T_RES));
		op(&o, REM | 0x20, 60, 4, TY(T_RAM, 0));
		op(&o, SAN, 0, 0, 0);
		op(&o, REM | 0x08, 30, 0, TY(T_RAM, 0));	/* to 2^64-1 */
		snprintf(name, sizeof(name), "map-window%d", i);
		put("e820ops", name, o.b, o.n);
	}

	/* PRAM and soft reserved pieces never merge */
	memset(&o, 0, sizeof(o));
	o.b[o.n++] = 0;
	op(&o, ADD, 0, 16, TY(T_PRAM, 0));
	op(&o, ADD, 16, 16, TY(T_PRAM, 0));
	op(&o, ADD, 8, 4, TY(T_RAM, 0));
	op(&o, ADD, 32, 8, TY(T_SOFT, 0));
	op(&o, ADD, 40, 8, TY(T_SOFT, 0));
	op(&o, ADD, 36, 8, TY(T_0, 0));
	put("e820ops", "nomerge", o.b, o.n);

	/* An empty update strictly inside an entry splits it */
	memset(&o, 0, sizeof(o));
	o.b[o.n++] = 0;
	op(&o, ADD, 0, 32, TY(T_PRAM, 0));
	op(&o, UPD, 10, 0, TY(T_PRAM, T_RES));
	op(&o, REM | 0x20, 20, 0, TY(T_PRAM, 0));
	op(&o, SAN, 0, 0, 0);
	put("e820ops", "empty-split", o.b, o.n);

	/* The top of the address space: 2^64-4096, huge sizes, wrap */
	memset(&o, 0, sizeof(o));
	o.b[o.n++] = 2;
	op(&o, ADD, 0, 64, TY(T_RAM, 0));
	op(&o, ADD | 0x40, 63, 1, TY(T_RES, 0));
	op(&o, ADD | 0x40, 3, 1, TY(T_RES, 0));
	op(&o, UPD | 0x08, 60, 4, TY(T_RAM, T_RES));
	op(&o, REM | 0x10, 62, 2, TY(T_RES, 0));
	op(&o, SAN | 0x80, 2, 0, 0);
	op(&o, ADD | 0x80, 1, 1, TY(T_13, 0));
	put("e820ops", "top", o.b, o.n);

	/* Odd cell sizes: 1, 4095, 2M */
	for (i = 0; i < 4; i++) {
		memset(&o, 0, sizeof(o));
		o.b[o.n++] = (uint8_t)(3 | i << 2);
		for (k = 0; k < 16; k++)
			o.b[o.n++] = (uint8_t)rnd();
		op(&o, ADD, 0, 30, TY(T_RAM, 0));
		op(&o, ADD, 5, 10, TY(T_RES, 0));
		op(&o, UPD, 8, 12, TY(T_RAM, T_KERN));
		op(&o, ADD, 25, 20, TY(T_MAX, 0));
		op(&o, SAN, 0, 0, 0);
		snprintf(name, sizeof(name), "odd-cells%d", i);
		put("e820ops", name, o.b, o.n);
	}

	/* Random sequences */
	for (i = 0; i < 20; i++) {
		int nops = 5 + (int)(rnd() % 40);

		memset(&o, 0, sizeof(o));
		o.b[o.n++] = (uint8_t)(rnd() % 3);
		for (k = 0; k < nops; k++)
			op(&o, (uint8_t)rnd(), (uint8_t)(rnd() % 64),
			   (uint8_t)(rnd() % 65), (uint8_t)rnd());
		snprintf(name, sizeof(name), "random-%02d", i);
		put("e820ops", name, o.b, o.n);
	}
}

/* --- deflate ------------------------------------------------------------- */

/* Raw deflate of @in with zlib: level, windowBits, memLevel, strategy */
static size_t deflate_raw(const void *in, size_t n, uint8_t *out, size_t cap,
			  int level, int wbits, int memlevel, int strategy)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, level, Z_DEFLATED, -wbits, memlevel, strategy) != Z_OK)
		die("deflateInit2");
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		die("deflate");
	deflateEnd(&zs);
	return zs.total_out;
}

static const char dmesg_text[] =
	"<0>[  123.456789] Kernel panic - not syncing: sysrq triggered crash\n"
	"<4>[  123.456800] CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0 #1\n"
	"<4>[  123.456810] Hardware name: QEMU Standard PC (Q35 + ICH9, 2009)\n"
	"<4>[  123.456820] Call Trace:\n"
	"<4>[  123.456830]  <TASK>\n"
	"<4>[  123.456840]  dump_stack_lvl+0x44/0x5c\n"
	"<4>[  123.456850]  panic+0x118/0x2e1\n"
	"<4>[  123.456860]  sysrq_handle_crash+0x16/0x20\n"
	"<4>[  123.456870]  __handle_sysrq.cold+0x43/0x11b\n"
	"<4>[  123.456880]  </TASK>\n";

static void gen_inflate(void)
{
	static uint8_t big[70000], out[80000], buf[8192];
	size_t n, m;
	int i;

	n = deflate_raw("", 0, out, sizeof(out), 6, 15, 8, Z_DEFAULT_STRATEGY);
	put("inflate", "empty", out, n);
	n = deflate_raw("hello", 5, out, sizeof(out), 6, 15, 8, Z_DEFAULT_STRATEGY);
	put("inflate", "hello", out, n);

	/* The dmesg text with every strategy and some window sizes */
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			9, 15, 9, Z_DEFAULT_STRATEGY);
	put("inflate", "dmesg-default", out, n);
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			6, 15, 8, Z_FIXED);
	put("inflate", "dmesg-fixed", out, n);
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			6, 15, 8, Z_HUFFMAN_ONLY);
	put("inflate", "dmesg-huffman", out, n);
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			6, 15, 8, Z_RLE);
	put("inflate", "dmesg-rle", out, n);
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			0, 15, 8, Z_DEFAULT_STRATEGY);
	put("inflate", "dmesg-stored", out, n);
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			1, 9, 1, Z_DEFAULT_STRATEGY);
	put("inflate", "dmesg-window9", out, n);

	/* Truncated, corrupt, trailing bytes, two streams */
	n = deflate_raw(dmesg_text, sizeof(dmesg_text) - 1, out, sizeof(out),
			9, 15, 9, Z_DEFAULT_STRATEGY);
	put("inflate", "truncated", out, n - 7);
	memcpy(buf, out, n);
	buf[n / 2] ^= 0x10;
	put("inflate", "corrupt", buf, n);
	memcpy(buf + n, "trailing junk", 13);
	buf[n / 2] ^= 0x10;
	put("inflate", "trailing", buf, n + 13);
	m = deflate_raw("second", 6, buf + n, sizeof(buf) - n, 6, 15, 8,
			Z_DEFAULT_STRATEGY);
	put("inflate", "two-streams", buf, n + m);

	/* The bound: 64 KiB for small records, exactly and one past */
	memset(big, 'a', sizeof(big));
	n = deflate_raw(big, PSTORE_INFLATE_MIN, out, sizeof(out), 9, 15, 9,
			Z_DEFAULT_STRATEGY);
	put("inflate", "bound-exact", out, n);
	n = deflate_raw(big, PSTORE_INFLATE_MIN + 1, out, sizeof(out), 9, 15, 9,
			Z_DEFAULT_STRATEGY);
	put("inflate", "bound-past", out, n);
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = (uint8_t)(rnd() % 7);
	n = deflate_raw(big, 8192, out, sizeof(out), 6, 15, 8, Z_DEFAULT_STRATEGY);
	put("inflate", "random-small-alphabet", out, n);
	n = deflate_raw(big, 3000, out, sizeof(out), 0, 15, 8, Z_DEFAULT_STRATEGY);
	put("inflate", "stored-3000", out, n);

	/*
	 * A stream whose first byte is white space, which the 'C' header
	 * swallows: a final fixed-Huffman block (bits 011) whose first
	 * literal's code starts 10000 ('P'..'W') makes 0x0b
	 */
	for (i = 0;; i++) {
		char s[32];

		if (i == 1000)
			die("no deflate stream starting with white space");
		snprintf(s, sizeof(s), "Panic %d\n", i);
		n = deflate_raw(s, strlen(s), out, sizeof(out), 6, 15, 8, Z_FIXED);
		if (mm_isspace(out[0]))
			break;
	}
	put("inflate", "leading-space", out, n);

	/* Not deflate at all */
	put("inflate", "text", "not deflate at all\n", 19);
	put("inflate", "nothing", "", 0);
	put("inflate", "dict-distance", "\x63\x00\x02\x00", 4);
}

/* --- pstore regions --------------------------------------------------------- */

/* The target's size code: the size rounded down to a power of two, as
 * ramoops rounds it; 31 for none */
static uint8_t size_code(uint64_t v)
{
	uint8_t c = 0;

	if (!v)
		return 31;
	while ((2ULL << c) <= v)
		c++;
	return c;
}

static uint8_t ecc_code(uint32_t ecc)
{
	static const uint32_t eccs[8] = { 0, 8, 16, 32, 1, 2, 127, 255 };
	uint8_t i;

	for (i = 0; i < 8; i++)
		if (eccs[i] == ecc)
			return i;
	return 0;
}

struct region {
	struct pstore_params p;
	struct pstore_layout l;
	struct pstore_rs rs;
	uint8_t *mem;
	uint8_t flags;		/* byte 6 bits 5-7 */
	uint8_t append[64];	/* the string to append */
	uint8_t nappend, repeat;
};

static void region_new(struct region *r, uint64_t mem, uint64_t rec,
		       uint64_t con, uint64_t ftr, uint64_t pms, uint32_t ecc,
		       enum pstore_order order, uint32_t cpus)
{
	const char *why;

	memset(r, 0, sizeof(*r));
	r->p.mem_size = mem;
	r->p.record_size = rec;
	r->p.console_size = con;
	r->p.ftrace_size = ftr;
	r->p.pmsg_size = pms;
	r->p.ecc = ecc;
	r->p.order = order;
	r->p.cpus = cpus;
	r->mem = calloc(1, mem);
	if (!r->mem)
		die("calloc");
	/* Written with the order and CPU count given (AUTO: 6.1) */
	r->p.order = order == PSTORE_ORDER_AUTO ? PSTORE_ORDER_61 : order;
	r->p.cpus = cpus ? cpus : 1;
	if (pstore_layout(&r->p, NULL, &r->l, &alloc, &why)) {
		fprintf(stderr, "gen_corpus: layout: %s\n", why);
		exit(1);
	}
	r->p.order = order;
	r->p.cpus = cpus;
	if (r->l.ecc)
		pstore_rs_init(&r->rs, r->l.ecc);
}

static const struct pstore_zone *zone(const struct region *r,
				      enum pstore_type type, uint32_t id)
{
	size_t i;

	for (i = 0; i < r->l.nr; i++)
		if (r->l.zones[i].type == type && r->l.zones[i].id == id)
			return &r->l.zones[i];
	fprintf(stderr, "gen_corpus: no zone %d/%u\n", type, id);
	exit(1);
}

static void dmesg(struct region *r, uint32_t id, int64_t sec, uint32_t usec,
		  bool compress, const char *text)
{
	uint8_t out[8192];
	size_t n = strlen(text);
	const void *data = text;

	if (compress) {
		n = deflate_raw(text, n, out, sizeof(out), 6, 15, 8,
				Z_DEFAULT_STRATEGY);
		data = out;
	}
	if (pstore_write_dmesg(r->mem, &r->l, zone(r, PSTORE_TYPE_DMESG, id),
			       r->l.ecc ? &r->rs : NULL, sec, usec, compress,
			       data, n))
		die("pstore_write_dmesg");
}

static void append(struct region *r, enum pstore_type type, const char *text)
{
	if (pstore_zone_append(r->mem, &r->l, zone(r, type, 0),
			       r->l.ecc ? &r->rs : NULL, text, strlen(text)))
		die("pstore_zone_append");
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void le64(uint8_t *p, uint64_t v)
{
	le32(p, (uint32_t)v);
	le32(p + 4, (uint32_t)(v >> 32));
}

/* ftrace records of CPU @cpu into its zone, as 6.1 writes them (no ECC) */
static void ftrace(struct region *r, uint32_t cpu, unsigned int nrec,
		   uint64_t ts0)
{
	const struct pstore_zone *z = zone(r, PSTORE_TYPE_FTRACE, cpu);
	uint8_t *zs = r->mem + z->off;
	uint64_t cap = z->size - PSTORE_HDR_SIZE;
	unsigned int i;

	if (r->l.ecc || nrec * 24u > cap)
		die("ftrace zone");
	le32(zs, PERSISTENT_RAM_SIG ^ 0x060100u);
	le32(zs + 4, nrec * 24u);
	le32(zs + 8, nrec * 24u);
	for (i = 0; i < nrec; i++) {
		uint8_t *rec = zs + PSTORE_HDR_SIZE + i * 24;

		le64(rec, 0xffffffff81000000ULL + i * 0x40);
		le64(rec + 8, 0xffffffff81100000ULL + i * 0x10);
		le64(rec + 16, (ts0 + i * 1000) << 8 | cpu);
	}
}

static void region_put(struct region *r, const char *name)
{
	size_t hdr = 11, n = hdr + r->nappend + r->p.mem_size;
	uint8_t *b = malloc(n);
	uint8_t order = r->p.order == PSTORE_ORDER_61 ? 1 :
			r->p.order == PSTORE_ORDER_62 ? 2 : 0;

	if (!b)
		die("malloc");
	b[0] = (uint8_t)(r->p.mem_size - 1);
	b[1] = (uint8_t)((r->p.mem_size - 1) >> 8);
	b[2] = size_code(r->p.record_size);
	b[3] = size_code(r->p.console_size);
	b[4] = size_code(r->p.ftrace_size);
	b[5] = size_code(r->p.pmsg_size);
	b[6] = (uint8_t)(ecc_code(r->p.ecc) | order << 3 | r->flags);
	b[7] = r->nappend;
	b[8] = r->repeat;
	b[9] = 0;
	b[10] = (uint8_t)r->p.cpus;
	memcpy(b + hdr, r->append, r->nappend);
	memcpy(b + hdr + r->nappend, r->mem, r->p.mem_size);
	put("pstore_region", name, b, n);
	free(b);
	pstore_layout_free(&r->l);
	free(r->mem);
}

static void set_append(struct region *r, uint8_t flags, const char *s,
		       uint8_t repeat)
{
	r->flags = flags;
	r->nappend = (uint8_t)strlen(s);
	memcpy(r->append, s, r->nappend);
	r->repeat = repeat;
}

#define PMSG_FLAG 0x20
#define DMESG_FLAG 0x80

static void gen_pstore(void)
{
	struct region r;
	char big[3000];
	int i;

	/* 4 KiB: 2 dmesg, console, ftrace, pmsg; every kind of record */
	region_new(&r, 4096, 1024, 1024, 512, 512, 0, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, 123, 456789, false, dmesg_text);
	dmesg(&r, 1, 5, 0, true, dmesg_text);
	append(&r, PSTORE_TYPE_CONSOLE, "console: booting\n");
	append(&r, PSTORE_TYPE_PMSG, "pmsg: hello from userspace\n");
	ftrace(&r, 0, 8, 1000);
	set_append(&r, DMESG_FLAG, "appended\n", 3);
	region_put(&r, "all-records");

	/* The same with 6.2's order and two ftrace CPUs, read with AUTO */
	region_new(&r, 4096, 1024, 1024, 1024, 512, 0, PSTORE_ORDER_62, 2);
	dmesg(&r, 0, 1, 1, false, "====this text looks like a header\n");
	append(&r, PSTORE_TYPE_PMSG, "pmsg first in 6.2\n");
	ftrace(&r, 0, 6, 10);
	ftrace(&r, 1, 6, 15);
	r.p.order = PSTORE_ORDER_AUTO;
	r.p.cpus = 0;
	set_append(&r, PMSG_FLAG, "x", 1);
	region_put(&r, "order62-auto-cpus");

	/* ECC 16 with a 'C' record and a byte ECC corrects */
	region_new(&r, 8192, 2048, 2048, 0, 1024, 16, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, 77, 1, true, dmesg_text);
	dmesg(&r, 1, 78, 2, false, dmesg_text);
	append(&r, PSTORE_TYPE_CONSOLE, "ecc console\n");
	append(&r, PSTORE_TYPE_PMSG, "ecc pmsg\n");
	r.mem[zone(&r, PSTORE_TYPE_DMESG, 0)->off + 40] ^= 0x5a;
	set_append(&r, PMSG_FLAG | DMESG_FLAG, "ecc append ", 20);
	region_put(&r, "ecc16-compressed-corrected");

	/* ECC 16, a 'C' record, no error */
	region_new(&r, 4096, 2048, 1024, 0, 1024, 16, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, 9, 999999, true, dmesg_text);
	region_put(&r, "ecc16-compressed");

	/* ECC 8, 32, and ecc=1 (16); uncorrectable damage */
	region_new(&r, 4096, 1024, 1024, 0, 1024, 8, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, 1, 2, false, "ecc8 record\n");
	append(&r, PSTORE_TYPE_CONSOLE, "ecc8 console\n");
	region_put(&r, "ecc8");
	region_new(&r, 4096, 1024, 1024, 0, 1024, 32, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, 1, 2, false, "ecc32 record\n");
	append(&r, PSTORE_TYPE_PMSG, "ecc32 pmsg\n");
	memset(r.mem + zone(&r, PSTORE_TYPE_PMSG, 0)->off + 12, 0xff, 40);
	set_append(&r, PMSG_FLAG, "after damage", 2);
	region_put(&r, "ecc32-uncorrectable");
	region_new(&r, 2048, 1024, 512, 0, 512, 1, PSTORE_ORDER_61, 1);
	append(&r, PSTORE_TYPE_CONSOLE, "ecc=1 means 16\n");
	region_put(&r, "ecc1");

	/* A console ring that wrapped */
	region_new(&r, 1024, 0, 1024, 0, 0, 0, PSTORE_ORDER_61, 1);
	for (i = 0; i < 40; i++) {
		char line[64];

		snprintf(line, sizeof(line), "console line %d of a long boot\n", i);
		append(&r, PSTORE_TYPE_CONSOLE, line);
	}
	set_append(&r, 0, "wrap again ", 200);
	region_put(&r, "console-wrapped");

	/* Many small dmesg zones, negative and large times */
	region_new(&r, 2048, 64, 0, 0, 0, 0, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, -5, 12, false, "neg");
	dmesg(&r, 1, 9223372036854775807LL, 4294967295u, false, "max");
	dmesg(&r, 2, 0, 0, false, "  \t leading space");
	set_append(&r, DMESG_FLAG, "small", 1);
	region_put(&r, "small-zones");

	/* A large compressed record that fills its zone */
	for (i = 0; i < (int)sizeof(big) - 1; i++)
		big[i] = (char)('a' + (rnd() % 26));
	big[sizeof(big) - 1] = '\0';
	region_new(&r, 4096, 4096, 0, 0, 0, 0, PSTORE_ORDER_61, 1);
	dmesg(&r, 0, 3, 4, true, big);
	region_put(&r, "compressed-large");

	/* An old header without -C/-D, a header only, no header */
	region_new(&r, 2048, 512, 512, 0, 0, 0, PSTORE_ORDER_61, 1);
	{
		const struct pstore_zone *z = zone(&r, PSTORE_TYPE_DMESG, 0);

		if (pstore_zone_append(r.mem, &r.l, z, NULL, "====12.345\nold\n", 15))
			die("append");
		z = zone(&r, PSTORE_TYPE_DMESG, 1);
		if (pstore_zone_append(r.mem, &r.l, z, NULL, "====1.000000-C\n", 15))
			die("append");
		z = zone(&r, PSTORE_TYPE_DMESG, 2);
		if (pstore_zone_append(r.mem, &r.l, z, NULL, "no header", 9))
			die("append");
	}
	region_put(&r, "headers");

	/* Empty, all ones, random: whatever the parameters */
	region_new(&r, 4096, 1024, 1024, 512, 512, 0, PSTORE_ORDER_61, 1);
	region_put(&r, "empty");
	region_new(&r, 4096, 1024, 1024, 512, 512, 16, PSTORE_ORDER_AUTO, 0);
	memset(r.mem, 0xff, 4096);
	region_put(&r, "ones-ecc-auto");
	region_new(&r, 3000, 1000, 700, 300, 200, 0, PSTORE_ORDER_AUTO, 3);
	for (i = 0; i < 3000; i++)
		r.mem[i] = (uint8_t)rnd();
	region_put(&r, "random-odd-sizes");

	/* 6.1's order read with AUTO; an odd mem_size; single-zone regions */
	region_new(&r, 4096, 1024, 1024, 1024, 1024, 0, PSTORE_ORDER_61, 1);
	append(&r, PSTORE_TYPE_PMSG, "pmsg last in 6.1\n");
	ftrace(&r, 0, 3, 7);
	r.p.order = PSTORE_ORDER_AUTO;
	set_append(&r, PMSG_FLAG, "auto", 3);
	region_put(&r, "order61-auto");
	region_new(&r, 5000, 1024, 1024, 0, 0, 8, PSTORE_ORDER_61, 1);
	dmesg(&r, 2, 42, 42, false, "the last of three dmesg zones\n");
	set_append(&r, DMESG_FLAG, "tail", 9 | 0x40 | 0x80);
	region_put(&r, "odd-mem-size");
	region_new(&r, 1024, 0, 0, 0, 1024, 0, PSTORE_ORDER_61, 1);
	append(&r, PSTORE_TYPE_PMSG, "only pmsg\n");
	set_append(&r, PMSG_FLAG, "more pmsg ", 63);
	region_put(&r, "pmsg-only");
	region_new(&r, 1024, 0, 0, 1024, 0, 0, PSTORE_ORDER_61, 1);
	ftrace(&r, 0, 40, 99);
	region_put(&r, "ftrace-only");

	/* Headers that claim too much: start past size, size past capacity */
	region_new(&r, 1024, 0, 512, 0, 512, 0, PSTORE_ORDER_61, 1);
	append(&r, PSTORE_TYPE_CONSOLE, "abc");
	le32(r.mem + 4, 100);
	append(&r, PSTORE_TYPE_PMSG, "def");
	le32(r.mem + 512 + 8, 100000);
	set_append(&r, 0, "reset", 1);
	region_put(&r, "bad-headers");
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen_corpus DIR CASES.TXT MALFORMED.TXT\n");
		return 2;
	}
	outdir = argv[1];
	if (mkdir(outdir, 0755) && errno != EEXIST)
		die(outdir);
	gen_cmdline(argv[2], argv[3]);
	gen_e820ops();
	gen_inflate();
	gen_pstore();
	return 0;
}
