/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench, host part: e820 apply + sanitize growth against Linux's own
 * e820 code on the same operations, and the pstore Reed-Solomon codec
 * against libfec on the same blocks.  Built -O2
 * without sanitizers.  Prints one tab-separated row per measurement
 * (section, case, memmap, reference, ratio, note) for bench.sh to put
 * in the table; nothing is asserted beyond the codecs agreeing.
 */
#define _POSIX_C_SOURCE 200809L
#include <fec.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../cli/mapread.h"
#include "../../pstore/rs.h"
#include "linux_e820.h"

/* splitmix64: a fixed seed gives a fixed sequence */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), dbl_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- e820 ------------------------------------------------------------------ */

enum op_kind { OP_ADD, OP_UPDATE, OP_REMOVE };

struct op {
	enum op_kind kind;
	uint64_t start, size;
	uint32_t type, old_type;
	bool check_type;
};

static const uint32_t types[] = {
	E820_TYPE_RAM, E820_TYPE_RAM, E820_TYPE_RAM, E820_TYPE_RESERVED,
	E820_TYPE_ACPI, E820_TYPE_NVS, E820_TYPE_UNUSABLE, E820_TYPE_PMEM,
	E820_TYPE_PRAM, E820_TYPE_RESERVED_KERN, E820_TYPE_SOFT_RESERVED,
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

/*
 * @n adds of random types over [0, n * 64 KiB), sizes 4 KiB..512 KiB
 * (each address under about four entries), and 4 + n/1000 updates and
 * as many removes (typed or not) at random places among them
 */
static struct op *make_ops(size_t n, uint64_t seed, size_t *nops)
{
	size_t k = 4 + n / 1000, total = n + 2 * k, i, j;
	uint64_t s = seed, range = (uint64_t)n << 16;
	struct op *ops = xmalloc(total * sizeof(*ops)), tmp;

	for (i = 0; i < total; i++) {
		struct op *o = &ops[i];

		o->kind = i < n ? OP_ADD : i < n + k ? OP_UPDATE : OP_REMOVE;
		o->start = (rnd_next(&s) % range) & ~0xfffULL;
		o->size = ((rnd_next(&s) % 128) + 1) << 12;
		o->type = types[rnd_next(&s) % NTYPES];
		o->old_type = types[rnd_next(&s) % NTYPES];
		o->check_type = rnd_next(&s) & 1;
		if (o->kind != OP_ADD)
			o->size *= 16;
		if (o->kind == OP_UPDATE && o->type == o->old_type)
			o->type = o->old_type == E820_TYPE_RESERVED ? E820_TYPE_RAM :
				  E820_TYPE_RESERVED;
	}
	/* Shuffle so updates and removes land among the adds */
	for (i = total - 1; i > 0; i--) {
		j = rnd_next(&s) % (i + 1);
		tmp = ops[i];
		ops[i] = ops[j];
		ops[j] = tmp;
	}
	*nops = total;
	return ops;
}

static void apply_ops(struct e820_table *t, const struct op *ops, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < n; i++) {
		const struct op *o = &ops[i];

		if (o->kind == OP_ADD)
			rc = e820_range_add(t, o->start, o->size, o->type);
		else if (o->kind == OP_UPDATE)
			rc = e820_range_update(t, o->start, o->size, o->old_type,
					       o->type);
		else
			rc = e820_range_remove(t, o->start, o->size, o->old_type,
					       o->check_type);
	}
	if (rc) {
		fprintf(stderr, "bench: e820 operation failed: %d\n", rc);
		exit(1);
	}
}

/* The same operations through Linux's code */
static void linux_apply_ops(const struct op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct op *o = &ops[i];

		if (o->kind == OP_ADD)
			linux_e820_add(o->start, o->size, o->type);
		else if (o->kind == OP_UPDATE)
			linux_e820_update(o->start, o->size, o->old_type, o->type);
		else
			linux_e820_remove(o->start, o->size, o->old_type, o->check_type);
	}
}

/* Whether Linux's table is memmap's entry for entry */
static bool same_as_linux(const struct e820_table *t)
{
	size_t i;

	if (linux_e820_nr() != t->nr)
		return false;
	for (i = 0; i < t->nr; i++) {
		uint64_t addr, size;
		uint32_t type;

		linux_e820_entry(i, &addr, &size, &type);
		if (addr != t->entries[i].addr || size != t->entries[i].size ||
		    type != t->entries[i].type)
			return false;
	}
	return true;
}

/*
 * The least memory traffic of the operations and sanitize: every update
 * and remove reads the whole table as it stands, every add writes an
 * entry, sanitize reads the table and writes the result.  Returns the
 * bytes, and in *@limit_ms the time to stream as many bytes through a
 * buffer the size of the final table (the physical limit).
 */
static double traffic(const struct op *ops, size_t n, double *limit_ms)
{
	const size_t e = sizeof(struct e820_entry);
	struct e820_table t;
	double bytes = 0, t0;
	volatile uint64_t sink = 0;
	uint64_t *buf, sum = 0, passes, p;
	size_t i, words;

	e820_table_init(&t, &mapread_libc_alloc);
	for (i = 0; i < n; i++) {
		bytes += ops[i].kind == OP_ADD ? e : (double)t.nr * e;
		apply_ops(&t, &ops[i], 1);
	}
	bytes += (double)t.nr * e;
	if (e820_sanitize(&t))
		exit(1);
	bytes += (double)t.nr * e;
	words = t.nr * e / sizeof(*buf);
	e820_table_free(&t);
	buf = xmalloc(words * sizeof(*buf));
	for (i = 0; i < words; i++)
		buf[i] = i;
	passes = (uint64_t)(bytes / (double)(words * sizeof(*buf))) + 1;
	t0 = now_s();
	for (p = 0; p < passes; p++)
		for (i = 0; i < words; i++)
			sum += buf[i];
	sink = sum;
	*limit_ms = (now_s() - t0) * 1e3 * bytes / ((double)passes * words * sizeof(*buf));
	(void)sink;
	free(buf);
	return bytes;
}

static void bench_e820(size_t n, unsigned int runs)
{
	double ta[15], ts[15], tt[15], la[15], ls[15], lt[15];
	double a, sn, tot, lin, nlogn = (double)n * log2((double)n);
	struct e820_table t;
	size_t nops, after = 0, before = 0;
	struct op *ops = make_ops(n, 0x820 + n, &nops);
	unsigned int r;
	double t0, t1, t2;
	bool same = true;

	for (r = 0; r < runs; r++) {
		e820_table_init(&t, &mapread_libc_alloc);
		t0 = now_s();
		apply_ops(&t, ops, nops);
		t1 = now_s();
		before = t.nr;
		if (e820_sanitize(&t)) {
			fprintf(stderr, "bench: e820_sanitize failed\n");
			exit(1);
		}
		t2 = now_s();
		after = t.nr;
		ta[r] = (t1 - t0) * 1e3;
		ts[r] = (t2 - t1) * 1e3;
		tt[r] = (t2 - t0) * 1e3;

		/* Linux's code on the same operations, in the same run */
		linux_e820_reset();
		t0 = now_s();
		linux_apply_ops(ops, nops);
		t1 = now_s();
		if (linux_e820_sanitize()) {
			fprintf(stderr, "bench: Linux's e820__update_table failed\n");
			exit(1);
		}
		t2 = now_s();
		la[r] = (t1 - t0) * 1e3;
		ls[r] = (t2 - t1) * 1e3;
		lt[r] = (t2 - t0) * 1e3;
		same = same && same_as_linux(&t);
		e820_table_free(&t);
	}
	a = median(ta, runs);
	sn = median(ts, runs);
	tot = median(tt, runs);
	lin = median(lt, runs);
	printf("e820\tn=%zu (%zu ops, %zu entries -> %zu)\t%.3f ms (apply %.3f + sanitize %.3f)\t"
	       "Linux %s: %.3f ms (apply %.3f + sanitize %.3f)\t%.2fx\t"
	       "sanitize alone %.2fx; t/(n log2 n) = %.1f ns; %s%s\n",
	       n, nops, before, after, tot, a, sn, linux_e820_version, lin, median(la, runs),
	       median(ls, runs), lin / tot, median(ls, runs) / sn,
	       tot * 1e6 / nlogn,
	       same ? "the same table as Linux's" : "A TABLE UNLIKE LINUX'S",
	       n >= 100000 ? "; target < 50 ms" : "");
	if (n >= 100000) {
		double limit, bytes = traffic(ops, nops, &limit);

		printf("traffic\tn=%zu: %.0f MB of least memory traffic\t%.3f ms\t"
		       "%.3f ms streaming the same bytes\t%.1fx\t"
		       "every update and remove reads the whole table, every add writes an entry, "
		       "sanitize reads and writes it once; %.1f GB/s\n",
		       n, bytes / 1e6, tot, limit, tot / limit, bytes / limit / 1e6);
	}
	free(ops);
}

/* ---- Reed-Solomon ------------------------------------------------------------ */

#define RS_NROOTS 16
#define RS_LEN 128
#define RS_CW (RS_LEN + RS_NROOTS)
#define RS_BLOCKS 16384		/* 2 MiB of data */
#define RS_RUNS 9

/* Codewords back to back: 128 data bytes, then 16 parity bytes */
struct rs_bench {
	struct pstore_rs rs;
	void *fec;
	uint8_t *clean, *bad, *work;
};

static double best(const double *v, size_t n)
{
	double b = v[0];
	size_t i;

	for (i = 1; i < n; i++)
		if (v[i] < b)
			b = v[i];
	return b;
}

static double mbs(double seconds)
{
	return (double)RS_BLOCKS * RS_LEN / seconds / 1e6;
}

static void row_rs(const char *what, double ours, double ref, const char *note)
{
	printf("rs\t%s\t%.1f MB/s\t%.1f MB/s\t%.2fx\t%s\n", what, mbs(ours), mbs(ref),
	       ref / ours, note);
}

static void bench_rs(void)
{
	static struct rs_bench b;
	double to[RS_RUNS], tf[RS_RUNS], t0;
	uint64_t s = 42;
	size_t i, k;
	unsigned int r;
	int sum_o = 0, sum_f = 0, rc;

	if (pstore_rs_init(&b.rs, RS_NROOTS)) {
		fprintf(stderr, "bench: pstore_rs_init failed\n");
		exit(1);
	}
	b.fec = init_rs_char(8, 0x11d, 0, 1, RS_NROOTS, 255 - RS_NROOTS - RS_LEN);
	b.clean = xmalloc((size_t)RS_BLOCKS * RS_CW);
	b.bad = xmalloc((size_t)RS_BLOCKS * RS_CW);
	b.work = xmalloc((size_t)RS_BLOCKS * RS_CW);
	if (!b.fec) {
		fprintf(stderr, "bench: init_rs_char failed\n");
		exit(1);
	}
	for (i = 0; i < (size_t)RS_BLOCKS * RS_CW; i++)
		b.clean[i] = (uint8_t)rnd_next(&s);

	/* Encode: parity of every block, into the codeword */
	memcpy(b.work, b.clean, (size_t)RS_BLOCKS * RS_CW);
	for (r = 0; r < RS_RUNS; r++) {
		t0 = now_s();
		for (i = 0; i < RS_BLOCKS; i++)
			pstore_rs_encode(&b.rs, b.clean + i * RS_CW, RS_LEN,
					 b.clean + i * RS_CW + RS_LEN);
		to[r] = now_s() - t0;
		t0 = now_s();
		for (i = 0; i < RS_BLOCKS; i++)
			encode_rs_char(b.fec, b.work + i * RS_CW,
				       b.work + i * RS_CW + RS_LEN);
		tf[r] = now_s() - t0;
	}
	if (memcmp(b.work, b.clean, (size_t)RS_BLOCKS * RS_CW)) {
		fprintf(stderr, "bench: parity differs from libfec\n");
		exit(1);
	}
	row_rs("encode", best(to, RS_RUNS), best(tf, RS_RUNS),
	       "target >= 10x");

	/* Decode, clean */
	for (r = 0; r < RS_RUNS; r++) {
		t0 = now_s();
		for (i = 0; i < RS_BLOCKS; i++)
			sum_o += pstore_rs_decode(&b.rs, b.clean + i * RS_CW, RS_LEN,
						  b.clean + i * RS_CW + RS_LEN);
		to[r] = now_s() - t0;
		t0 = now_s();
		for (i = 0; i < RS_BLOCKS; i++)
			sum_f += decode_rs_char(b.fec, b.clean + i * RS_CW, NULL, 0);
		tf[r] = now_s() - t0;
	}
	if (sum_o || sum_f) {
		fprintf(stderr, "bench: clean blocks decoded with corrections\n");
		exit(1);
	}
	row_rs("decode, clean", best(to, RS_RUNS), best(tf, RS_RUNS), "target >= 5x");

	/* Decode, 8 errors per block (distinct positions, non-zero) */
	memcpy(b.bad, b.clean, (size_t)RS_BLOCKS * RS_CW);
	for (i = 0; i < RS_BLOCKS; i++) {
		bool hit[RS_CW] = { false };

		for (k = 0; k < RS_NROOTS / 2; k++) {
			size_t pos;

			do
				pos = rnd_next(&s) % RS_CW;
			while (hit[pos]);
			hit[pos] = true;
			b.bad[i * RS_CW + pos] ^= (uint8_t)(1 + rnd_next(&s) % 255);
		}
	}
	for (r = 0; r < RS_RUNS; r++) {
		sum_o = sum_f = 0;
		memcpy(b.work, b.bad, (size_t)RS_BLOCKS * RS_CW);
		t0 = now_s();
		for (i = 0; i < RS_BLOCKS; i++) {
			rc = pstore_rs_decode(&b.rs, b.work + i * RS_CW, RS_LEN,
					      b.work + i * RS_CW + RS_LEN);
			sum_o += rc;
		}
		to[r] = now_s() - t0;
		if (memcmp(b.work, b.clean, (size_t)RS_BLOCKS * RS_CW)) {
			fprintf(stderr, "bench: memmap did not correct every block\n");
			exit(1);
		}
		memcpy(b.work, b.bad, (size_t)RS_BLOCKS * RS_CW);
		t0 = now_s();
		for (i = 0; i < RS_BLOCKS; i++)
			sum_f += decode_rs_char(b.fec, b.work + i * RS_CW, NULL, 0);
		tf[r] = now_s() - t0;
		if (memcmp(b.work, b.clean, (size_t)RS_BLOCKS * RS_CW) ||
		    sum_o != sum_f || sum_o != RS_BLOCKS * RS_NROOTS / 2) {
			fprintf(stderr, "bench: decoders disagree (%d, %d)\n", sum_o, sum_f);
			exit(1);
		}
	}
	row_rs("decode, 8 errors/block", best(to, RS_RUNS), best(tf, RS_RUNS),
	       "target >= 5x");
	free_rs_char(b.fec);
	free(b.clean);
	free(b.bad);
	free(b.work);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 128, 1000, 10000, 100000 };
	size_t i;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: bench\n");
		return 2;
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench_e820(sizes[i], sizes[i] >= 100000 ? 7 : 11);
	bench_rs();
	return 0;
}
