/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline_parse() on valid lines: the kernel's tokenizer, every memmap=
 * form into its operations, mem=, the placed forms, ramoops.* and efi=.
 */
#include "tests.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* Parse @line or fail the row */
static void parse_ok(int line, const char *text, struct cmdline_plan *plan)
{
	struct cmdline_error err = { 0 };
	int rc = cmdline_parse(text, strlen(text), TEST_ALLOC, plan, &err);

	ck_assert_msg(rc == 0, "line %d: \"%s\" refused (%d): %.*s: %s", line,
		      text, rc, (int)err.word_len,
		      err.word ? err.word : "", err.reason ? err.reason : "");
}

/* ---- the tokenizer ------------------------------------------------------ */

#define MAX_WORDS 6
#define NOVAL ((const char *)0)

struct tok_word {
	const char *raw, *param, *val;	/* val NOVAL: no '=' */
};

static const struct {
	int line;
	const char *s;
	size_t nwords;
	struct tok_word w[MAX_WORDS];
} tok_rows[] = {
	{ __LINE__, "", 0, { { 0 } } },
	{ __LINE__, " \t\n ", 0, { { 0 } } },
	{ __LINE__, "quiet", 1, { { "quiet", "quiet", NOVAL } } },
	{ __LINE__, "a=b", 1, { { "a=b", "a", "b" } } },
	{ __LINE__, "a=", 1, { { "a=", "a", "" } } },
	{ __LINE__, "x=y=z", 1, { { "x=y=z", "x", "y=z" } } },
	/* A leading '=' is no separator, as in next_arg() */
	{ __LINE__, "=x", 1, { { "=x", "=x", NOVAL } } },
	{ __LINE__, "=x=y", 1, { { "=x=y", "=x", "y" } } },
	{ __LINE__, "  a   b  ", 2, { { "a", "a", NOVAL }, { "b", "b", NOVAL } } },
	/* Every kernel space: \t \n \v \f \r ' ' and 0xa0 */
	{ __LINE__, "a\tb\nc\vd\fe\rf", 6,
	  { { "a", "a", NOVAL }, { "b", "b", NOVAL }, { "c", "c", NOVAL },
	    { "d", "d", NOVAL }, { "e", "e", NOVAL }, { "f", "f", NOVAL } } },
	{ __LINE__, "a\xa0" "b", 2, { { "a", "a", NOVAL }, { "b", "b", NOVAL } } },
	/* Quotes group words and are taken out of param and value */
	{ __LINE__, "\"a b\" c", 2,
	  { { "\"a b\"", "a b", NOVAL }, { "c", "c", NOVAL } } },
	{ __LINE__, "f=\"g h\" i", 2,
	  { { "f=\"g h\"", "f", "g h" }, { "i", "i", NOVAL } } },
	{ __LINE__, "\"i=j k\"", 1, { { "\"i=j k\"", "i", "j k" } } },
	{ __LINE__, "a\"b c\"d e", 2,
	  { { "a\"b c\"d", "a\"b c\"d", NOVAL }, { "e", "e", NOVAL } } },
	{ __LINE__, "\"open quote to the end", 1,
	  { { "\"open quote to the end", "open quote to the end", NOVAL } } },
	{ __LINE__, "memmap=\"1M$0x1000\"", 1,
	  { { "memmap=\"1M$0x1000\"", "memmap", "1M$0x1000" } } },
	/* "--" and what follows it are words too, only never parsed */
	{ __LINE__, "a -- b=c", 3,
	  { { "a", "a", NOVAL }, { "--", "--", NOVAL }, { "b=c", "b", "c" } } },
};

START_TEST(test_tokenize)
{
	const char *s = tok_rows[_i].s;
	int line = tok_rows[_i].line;
	struct cmdline_plan plan;
	size_t k;

	parse_ok(line, s, &plan);
	ck_assert_msg(plan.nwords == tok_rows[_i].nwords,
		      "line %d: %zu words, want %zu", line, plan.nwords,
		      tok_rows[_i].nwords);
	for (k = 0; k < plan.nwords; k++) {
		const struct tok_word *w = &tok_rows[_i].w[k];
		const struct cmdline_word *g = &plan.words[k];

		ck_assert_msg(g->raw >= s && g->raw + g->raw_len <= s + strlen(s),
			      "line %d: word %zu does not point into the line",
			      line, k);
		ck_assert_msg(g->raw_len == strlen(w->raw) &&
			      !memcmp(g->raw, w->raw, g->raw_len),
			      "line %d: word %zu raw \"%.*s\", want \"%s\"",
			      line, k, (int)g->raw_len, g->raw, w->raw);
		ck_assert_msg(!strcmp(g->param, w->param),
			      "line %d: word %zu param \"%s\", want \"%s\"",
			      line, k, g->param, w->param);
		ck_assert_msg(w->val ? g->val && !strcmp(g->val, w->val) : !g->val,
			      "line %d: word %zu val \"%s\", want \"%s\"", line,
			      k, g->val ? g->val : "(none)",
			      w->val ? w->val : "(none)");
		ck_assert_msg(g->kind == CMDLINE_WORD_OTHER ||
			      g->kind == CMDLINE_WORD_MEMMAP,
			      "line %d: word %zu kind %d", line, k, g->kind);
	}
	cmdline_plan_free(&plan);
}
END_TEST

/* ---- memmap= and mem= into operations ----------------------------------- */

#define MAX_OPS 4
#define ADD CMDLINE_OP_ADD
#define UPD CMDLINE_OP_UPDATE
#define REM CMDLINE_OP_REMOVE
#define LIM CMDLINE_OP_LIMIT
#define EXM CMDLINE_OP_EXACTMAP

/* kind, start, size, type, old_type, check_type, word */
#define OP(k, st, sz, t, o, c, w) { (k), (st), (sz), (t), (o), (c), (w) }

static const struct {
	int line;
	const char *s;
	size_t nops;
	struct cmdline_op ops[MAX_OPS];
	bool userdef;
} op_rows[] = {
	{ __LINE__, "", 0, { { 0 } }, false },
	{ __LINE__, "quiet splash", 0, { { 0 } }, false },
	/* nn@ss nn#ss nn$ss nn!ss */
	{ __LINE__, "memmap=1M@0x100000", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_RAM, 0, false, 0) }, true },
	{ __LINE__, "memmap=1M#0x100000", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_ACPI, 0, false, 0) }, true },
	{ __LINE__, "memmap=1M$0x100000", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	{ __LINE__, "memmap=1M!0x100000", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_PRAM, 0, false, 0) }, true },
	{ __LINE__, "memmap=04000K$0200000000", 1,
	  { OP(ADD, 0200000000, 04000 * KiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	{ __LINE__, "memmap=1m$1g", 1,
	  { OP(ADD, GiB, MiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	{ __LINE__, "memmap=0x1000$0", 1,
	  { OP(ADD, 0, 0x1000, E820_TYPE_RESERVED, 0, false, 0) }, true },
	/* Up to the last page below 2^64 */
	{ __LINE__, "memmap=0x1000$0xffffffffffffe000", 1,
	  { OP(ADD, 0xffffffffffffe000ULL, 0x1000, E820_TYPE_RESERVED, 0, false, 0) }, true },
	/* nn%ss-old+new, nn%ss-old, nn%ss+new, nn%ss */
	{ __LINE__, "memmap=16M%0x10000000-1+2", 1,
	  { OP(UPD, 0x10000000, 16 * MiB, 2, 1, false, 0) }, true },
	{ __LINE__, "memmap=16M%0x10000000-1", 1,
	  { OP(REM, 0x10000000, 16 * MiB, 0, 1, true, 0) }, true },
	{ __LINE__, "memmap=16M%0x10000000+4", 1,
	  { OP(ADD, 0x10000000, 16 * MiB, 4, 0, false, 0) }, true },
	{ __LINE__, "memmap=16M%0x10000000", 1,
	  { OP(REM, 0x10000000, 16 * MiB, 0, 0, false, 0) }, true },
	{ __LINE__, "memmap=4K%0x1000-0x3+0x4", 1,
	  { OP(UPD, 0x1000, 4 * KiB, 4, 3, false, 0) }, true },
	{ __LINE__, "memmap=4K%0x1000-010+012", 1,
	  { OP(UPD, 0x1000, 4 * KiB, 10, 8, false, 0) }, true },
	{ __LINE__, "memmap=8M%0x10000000+0xefffffff", 1,
	  { OP(ADD, 0x10000000, 8 * MiB, 0xefffffff, 0, false, 0) }, true },
	{ __LINE__, "memmap=4K%0x1000-4294967295+1", 1,
	  { OP(UPD, 0x1000, 4 * KiB, 1, 0xffffffff, false, 0) }, true },
	/* update and remove may end exactly at 2^64 (Linux clamps) */
	{ __LINE__, "memmap=0x1000%0xfffffffffffff000-1+2", 1,
	  { OP(UPD, 0xfffffffffffff000ULL, 0x1000, 2, 1, false, 0) }, true },
	{ __LINE__, "memmap=0x1000%0xfffffffffffff000-1", 1,
	  { OP(REM, 0xfffffffffffff000ULL, 0x1000, 0, 1, true, 0) }, true },
	{ __LINE__, "memmap=0x1000%0xfffffffffffff000", 1,
	  { OP(REM, 0xfffffffffffff000ULL, 0x1000, 0, 0, false, 0) }, true },
	/* exactmap, plain nn, mem= */
	{ __LINE__, "memmap=exactmap", 1,
	  { OP(EXM, 0, 0, 0, 0, false, 0) }, true },
	{ __LINE__, "memmap=2G", 1, { OP(LIM, 2 * GiB, 0, 0, 0, false, 0) }, true },
	{ __LINE__, "memmap=18446744073709551615", 1,
	  { OP(LIM, UINT64_MAX, 0, 0, 0, false, 0) }, true },
	{ __LINE__, "mem=384M", 1, { OP(LIM, 384 * MiB, 0, 0, 0, false, 0) }, true },
	{ __LINE__, "mem=300m", 1, { OP(LIM, 300 * MiB, 0, 0, 0, false, 0) }, true },
	{ __LINE__, "mem=0x1000", 1, { OP(LIM, 0x1000, 0, 0, 0, false, 0) }, true },
	/* Comma lists: one word, several operations, in order */
	{ __LINE__, "memmap=exactmap,640K@0,255M@1M", 3,
	  { OP(EXM, 0, 0, 0, 0, false, 0),
	    OP(ADD, 0, 640 * KiB, E820_TYPE_RAM, 0, false, 0),
	    OP(ADD, MiB, 255 * MiB, E820_TYPE_RAM, 0, false, 0) }, true },
	{ __LINE__, "memmap=0x100000$0x1000000,0x2M$0x3000000", 2,
	  { OP(ADD, 0x1000000, MiB, E820_TYPE_RESERVED, 0, false, 0),
	    OP(ADD, 0x3000000, 2 * MiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	{ __LINE__, "memmap=8M%0x10000000+0xefffffff,8M%0x10800000-1", 2,
	  { OP(ADD, 0x10000000, 8 * MiB, 0xefffffff, 0, false, 0),
	    OP(REM, 0x10800000, 8 * MiB, 0, 1, true, 0) }, true },
	/* Repeated words, in order, each op naming its word */
	{ __LINE__, "quiet memmap=16M$0x10000000 root=/dev/sda memmap=16M%0x10000000-2 mem=1G", 3,
	  { OP(ADD, 0x10000000, 16 * MiB, E820_TYPE_RESERVED, 0, false, 1),
	    OP(REM, 0x10000000, 16 * MiB, 0, 2, true, 3),
	    OP(LIM, GiB, 0, 0, 0, false, 4) }, true },
	{ __LINE__, "memmap=exactmap memmap=640K@0 memmap=255M@1M", 3,
	  { OP(EXM, 0, 0, 0, 0, false, 0),
	    OP(ADD, 0, 640 * KiB, E820_TYPE_RAM, 0, false, 1),
	    OP(ADD, MiB, 255 * MiB, E820_TYPE_RAM, 0, false, 2) }, true },
	/* Quotes around the word or the value */
	{ __LINE__, "\"memmap=1M$0x100000\"", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	{ __LINE__, "a memmap=\"1M$0x100000\"", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_RESERVED, 0, false, 1) }, true },
	/* Placed forms are no operation; they still make the map user-defined */
	{ __LINE__, "memmap=12M*4096:oops", 0, { { 0 } }, true },
	{ __LINE__, "reserve_mem=12M:4096:oops", 0, { { 0 } }, true },
	{ __LINE__, "memmap=1M$1M,12M*4096:oops", 1,
	  { OP(ADD, MiB, MiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	/* Words after "--" belong to init: not parsed, errors or not */
	{ __LINE__, "memmap=1M$0x100000 -- memmap=junk mem=0 memmap=1M$2M", 1,
	  { OP(ADD, 0x100000, MiB, E820_TYPE_RESERVED, 0, false, 0) }, true },
	{ __LINE__, "-- memmap=1M$0x100000", 0, { { 0 } }, false },
	/* Only "--" alone stops parsing; "--=x" and "---" do not */
	{ __LINE__, "--=x memmap=1M$1M", 1,
	  { OP(ADD, MiB, MiB, E820_TYPE_RESERVED, 0, false, 1) }, true },
	/* Names that merely look alike are other words */
	{ __LINE__, "memmapx=1M$1M mem_x=1 xmem=1 Memmap=junk", 0, { { 0 } }, false },
};

START_TEST(test_ops)
{
	int line = op_rows[_i].line;
	struct cmdline_plan plan;
	size_t k;

	parse_ok(line, op_rows[_i].s, &plan);
	ck_assert_msg(plan.nops == op_rows[_i].nops, "line %d: %zu ops, want %zu",
		      line, plan.nops, op_rows[_i].nops);
	for (k = 0; k < plan.nops; k++) {
		const struct cmdline_op *w = &op_rows[_i].ops[k];
		const struct cmdline_op *g = &plan.ops[k];

		ck_assert_msg(g->kind == w->kind && g->start == w->start &&
			      g->size == w->size && g->type == w->type &&
			      g->old_type == w->old_type &&
			      g->check_type == w->check_type && g->word == w->word,
			      "line %d: op %zu is {%d %#llx %#llx %#x %#x %d word %zu},"
			      " want {%d %#llx %#llx %#x %#x %d word %zu}",
			      line, k, g->kind, (unsigned long long)g->start,
			      (unsigned long long)g->size, (unsigned)g->type,
			      (unsigned)g->old_type, g->check_type, g->word,
			      w->kind, (unsigned long long)w->start,
			      (unsigned long long)w->size, (unsigned)w->type,
			      (unsigned)w->old_type, w->check_type, w->word);
	}
	ck_assert_msg(plan.userdef == op_rows[_i].userdef,
		      "line %d: userdef %d", line, plan.userdef);
	cmdline_plan_free(&plan);
}
END_TEST

/* ---- memmap=SIZE*ALIGN:NAME and reserve_mem=SIZE:ALIGN:NAME ------------- */

#define MAX_WILD 3
#define NAME63 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!"

static const struct {
	int line;
	const char *s;
	size_t nwild;
	struct cmdline_wild wild[MAX_WILD];	/* size, align, name, word */
} wild_rows[] = {
	{ __LINE__, "memmap=12M*4096:oops", 1, { { 12 * MiB, 4096, "oops", 0 } } },
	{ __LINE__, "memmap=12M*2M:oops", 1, { { 12 * MiB, 2 * MiB, "oops", 0 } } },
	{ __LINE__, "memmap=4K*0x8000000000000000:top", 1,
	  { { 4 * KiB, 0x8000000000000000ULL, "top", 0 } } },
	/* An alignment below 4096 is raised to 4096 */
	{ __LINE__, "memmap=12M*1:oops", 1, { { 12 * MiB, 4096, "oops", 0 } } },
	{ __LINE__, "memmap=12M*2048:oops", 1, { { 12 * MiB, 4096, "oops", 0 } } },
	{ __LINE__, "reserve_mem=12M:4096:oops", 1, { { 12 * MiB, 4096, "oops", 0 } } },
	{ __LINE__, "reserve_mem=1M:1M:x", 1, { { MiB, MiB, "x", 0 } } },
	{ __LINE__, "reserve-mem=1M:1M:x", 1, { { MiB, MiB, "x", 0 } } },
	{ __LINE__, "reserve_mem=4K:2K:b", 1, { { 4 * KiB, 4096, "b", 0 } } },
	/* reserve_mem also takes alignment 0 */
	{ __LINE__, "reserve_mem=12M:0:oops", 1, { { 12 * MiB, 4096, "oops", 0 } } },
	/* Names: 63 characters, any printable ASCII but space , : */
	{ __LINE__, "reserve_mem=4K:4K:" NAME63, 1, { { 4096, 4096, NAME63, 0 } } },
	{ __LINE__, "memmap=4K*4K:a.b-c_d~=\"x", 1, { { 4096, 4096, "a.b-c_d~=\"x", 0 } } },
	/* Several, in command-line order */
	{ __LINE__, "memmap=4K*4K:a,4K*4K:b reserve_mem=8K:8K:c", 3,
	  { { 4096, 4096, "a", 0 }, { 4096, 4096, "b", 0 }, { 8192, 8192, "c", 1 } } },
	{ __LINE__, "x reserve_mem=8K:8K:c y memmap=1M$1M,12M*4096:oops", 2,
	  { { 8192, 8192, "c", 1 }, { 12 * MiB, 4096, "oops", 3 } } },
	{ __LINE__, "\"reserve_mem=4K:4K:q\"", 1, { { 4096, 4096, "q", 0 } } },
	/* Not after "--" */
	{ __LINE__, "memmap=4K*4K:a -- memmap=4K*4K:a", 1, { { 4096, 4096, "a", 0 } } },
};

START_TEST(test_wild)
{
	int line = wild_rows[_i].line;
	struct cmdline_plan plan;
	size_t k;

	parse_ok(line, wild_rows[_i].s, &plan);
	ck_assert_msg(plan.nwild == wild_rows[_i].nwild,
		      "line %d: %zu regions, want %zu", line, plan.nwild,
		      wild_rows[_i].nwild);
	for (k = 0; k < plan.nwild; k++) {
		const struct cmdline_wild *w = &wild_rows[_i].wild[k];
		const struct cmdline_wild *g = &plan.wild[k];

		ck_assert_msg(g->size == w->size && g->align == w->align &&
			      !strcmp(g->name, w->name) && g->word == w->word,
			      "line %d: region %zu is {%#llx %#llx %s word %zu}, "
			      "want {%#llx %#llx %s word %zu}", line, k,
			      (unsigned long long)g->size,
			      (unsigned long long)g->align, g->name, g->word,
			      (unsigned long long)w->size,
			      (unsigned long long)w->align, w->name, w->word);
	}
	cmdline_plan_free(&plan);
}
END_TEST

/* The elements of a memmap= list, and which of them is a wildcard */
START_TEST(test_elems)
{
	static const char line[] = "a memmap=1M$1M,12M*4096:oops,2M$4M reserve_mem=4K:4K:r";
	struct cmdline_plan plan;
	const struct cmdline_word *w;

	parse_ok(__LINE__, line, &plan);
	ck_assert_uint_eq(plan.nwords, 3);
	w = &plan.words[1];
	ck_assert_int_eq(w->kind, CMDLINE_WORD_MEMMAP);
	ck_assert_uint_eq(w->nelem, 3);
	ck_assert_str_eq(plan.elems[w->first_elem].text, "1M$1M");
	ck_assert_uint_eq(plan.elems[w->first_elem].wild, SIZE_MAX);
	ck_assert_str_eq(plan.elems[w->first_elem + 1].text, "12M*4096:oops");
	ck_assert_uint_eq(plan.elems[w->first_elem + 1].wild, 0);
	ck_assert_str_eq(plan.elems[w->first_elem + 2].text, "2M$4M");
	ck_assert_uint_eq(plan.elems[w->first_elem + 2].wild, SIZE_MAX);
	ck_assert_int_eq(plan.words[0].kind, CMDLINE_WORD_OTHER);
	ck_assert_int_eq(plan.words[2].kind, CMDLINE_WORD_RESERVE_MEM);
	ck_assert_uint_eq(plan.words[2].wild, 1);
	ck_assert_str_eq(plan.wild[1].name, "r");
	cmdline_plan_free(&plan);
}
END_TEST

/* ---- ramoops.* and efi= --------------------------------------------------- */

#define RAMOOPS_DEFAULTS 4096, 4096, 4096, 4096, 0, NULL, 0, 0, false, false

static const struct {
	int line;
	const char *s;
	struct {
		uint64_t record, console, ftrace, pmsg;
		uint32_t ecc;
		const char *name;
		uint64_t address, size;
		bool has_address, has_size;
	} r;
	bool soft_reserve, userdef;
} ramoops_rows[] = {
	{ __LINE__, "", { RAMOOPS_DEFAULTS }, true, false },
	{ __LINE__, "ramoops.ecc=0", { RAMOOPS_DEFAULTS }, true, false },
	{ __LINE__, "ramoops.ecc=1",
	  { 4096, 4096, 4096, 4096, 16, NULL, 0, 0, false, false }, true, false },
	{ __LINE__, "ramoops.ecc=2",
	  { 4096, 4096, 4096, 4096, 2, NULL, 0, 0, false, false }, true, false },
	{ __LINE__, "ramoops.ecc=0x20",
	  { 4096, 4096, 4096, 4096, 32, NULL, 0, 0, false, false }, true, false },
	/* The most a 128-byte ECC block takes: 128 + 127 = 255 */
	{ __LINE__, "ramoops.ecc=127",
	  { 4096, 4096, 4096, 4096, 127, NULL, 0, 0, false, false }, true, false },
	{ __LINE__, "ramoops.ecc=0x7f",
	  { 4096, 4096, 4096, 4096, 127, NULL, 0, 0, false, false }, true, false },
	{ __LINE__, "ramoops.record_size=0x2000 ramoops.console_size=8192 "
		    "ramoops.ftrace_size=0 ramoops.pmsg_size=010",
	  { 0x2000, 8192, 0, 8, 0, NULL, 0, 0, false, false }, true, false },
	/* '-' and '_' are the same in parameter names */
	{ __LINE__, "ramoops.record-size=0x2000 ramoops.console-size=8192 "
		    "ramoops.ftrace-size=0 ramoops.pmsg-size=010",
	  { 0x2000, 8192, 0, 8, 0, NULL, 0, 0, false, false }, true, false },
	{ __LINE__, "ramoops.mem_address=0x7e000000 ramoops.mem_size=0xc00000",
	  { 4096, 4096, 4096, 4096, 0, NULL, 0x7e000000, 0xc00000, true, true },
	  true, false },
	{ __LINE__, "ramoops.mem-address=0 ramoops.mem-size=12582912",
	  { 4096, 4096, 4096, 4096, 0, NULL, 0, 12582912, true, true }, true, false },
	{ __LINE__, "ramoops.mem_size=0x100000",
	  { 4096, 4096, 4096, 4096, 0, NULL, 0, 0x100000, false, true }, true, false },
	/* The last of repeated words wins, as module parameters do */
	{ __LINE__, "ramoops.ecc=1 ramoops.ecc=8",
	  { 4096, 4096, 4096, 4096, 8, NULL, 0, 0, false, false }, true, false },
	{ __LINE__, "memmap=12M*4096:oops ramoops.mem_name=oops",
	  { 4096, 4096, 4096, 4096, 0, "oops", 0, 0, false, false }, true, true },
	{ __LINE__, "ramoops.mem-name=oops reserve_mem=12M:4096:oops",
	  { 4096, 4096, 4096, 4096, 0, "oops", 0, 0, false, false }, true, true },
	/* Unknown ramoops parameters are not ours to judge */
	{ __LINE__, "ramoops.dump_oops=1 ramoops.foo", { RAMOOPS_DEFAULTS }, true, false },
	/* efi=nosoftreserve, alone or in a list; nothing else */
	{ __LINE__, "efi=nosoftreserve", { RAMOOPS_DEFAULTS }, false, false },
	{ __LINE__, "efi=debug,nosoftreserve,noruntime", { RAMOOPS_DEFAULTS }, false, false },
	{ __LINE__, "efi=nosoftreservex", { RAMOOPS_DEFAULTS }, true, false },
	{ __LINE__, "efi=debug", { RAMOOPS_DEFAULTS }, true, false },
	{ __LINE__, "efi", { RAMOOPS_DEFAULTS }, true, false },
	{ __LINE__, "xefi=nosoftreserve", { RAMOOPS_DEFAULTS }, true, false },
	/* After "--" nothing counts */
	{ __LINE__, "-- efi=nosoftreserve ramoops.ecc=255 ramoops.ecc=1",
	  { RAMOOPS_DEFAULTS }, true, false },
	{ __LINE__, "memmap=4K*4K:oops -- ramoops.mem_name=x ramoops.mem_name=opps",
	  { RAMOOPS_DEFAULTS }, true, true },
	{ __LINE__, "mem=1G", { RAMOOPS_DEFAULTS }, true, true },
};

START_TEST(test_ramoops)
{
	int line = ramoops_rows[_i].line;
	struct cmdline_plan plan;
	const struct cmdline_ramoops *g;

	parse_ok(line, ramoops_rows[_i].s, &plan);
	g = &plan.ramoops;
	ck_assert_msg(g->record_size == ramoops_rows[_i].r.record &&
		      g->console_size == ramoops_rows[_i].r.console &&
		      g->ftrace_size == ramoops_rows[_i].r.ftrace &&
		      g->pmsg_size == ramoops_rows[_i].r.pmsg,
		      "line %d: sizes %llu %llu %llu %llu", line,
		      (unsigned long long)g->record_size,
		      (unsigned long long)g->console_size,
		      (unsigned long long)g->ftrace_size,
		      (unsigned long long)g->pmsg_size);
	ck_assert_msg(g->ecc == ramoops_rows[_i].r.ecc, "line %d: ecc %u",
		      line, (unsigned)g->ecc);
	ck_assert_msg(ramoops_rows[_i].r.name ?
		      g->mem_name && !strcmp(g->mem_name, ramoops_rows[_i].r.name) :
		      !g->mem_name, "line %d: mem_name %s", line,
		      g->mem_name ? g->mem_name : "(none)");
	ck_assert_msg(g->mem_address == ramoops_rows[_i].r.address &&
		      g->mem_size == ramoops_rows[_i].r.size &&
		      g->has_address == ramoops_rows[_i].r.has_address &&
		      g->has_size == ramoops_rows[_i].r.has_size,
		      "line %d: address %#llx (%d) size %#llx (%d)", line,
		      (unsigned long long)g->mem_address, g->has_address,
		      (unsigned long long)g->mem_size, g->has_size);
	ck_assert_msg(plan.soft_reserve == ramoops_rows[_i].soft_reserve,
		      "line %d: soft_reserve %d", line, plan.soft_reserve);
	ck_assert_msg(plan.userdef == ramoops_rows[_i].userdef,
		      "line %d: userdef %d", line, plan.userdef);
	cmdline_plan_free(&plan);
}
END_TEST

/* The line need not be NUL-terminated: only len bytes are read */
START_TEST(test_len_bounds)
{
	static const char text[] = "memmap=1M$0x100000JUNK";
	struct cmdline_plan plan;
	struct cmdline_error err;

	ck_assert_int_eq(cmdline_parse(text, strlen(text) - 4, TEST_ALLOC,
				       &plan, &err), 0);
	ck_assert_uint_eq(plan.nops, 1);
	ck_assert_uint_eq(plan.ops[0].start, 0x100000);
	ck_assert_uint_eq(plan.words[0].raw_len, strlen(text) - 4);
	cmdline_plan_free(&plan);
	ck_assert_int_eq(cmdline_parse(text, 0, TEST_ALLOC, &plan, &err), 0);
	ck_assert_uint_eq(plan.nwords, 0);
	cmdline_plan_free(&plan);
}
END_TEST

/* Every allocation failing in turn: -MM_ENOMEM and nothing leaked */
START_TEST(test_parse_enomem)
{
	static const char text[] =
		"quiet memmap=1M$1M,2M$4M,12M*4096:oops memmap=exactmap "
		"reserve_mem=4K:4K:r a b c d e f g h i j k l m n o p "
		"ramoops.mem_name=oops mem=1G";
	struct fail_alloc_ctx ctx;
	const struct mm_alloc fa = { fail_realloc, &ctx };
	struct cmdline_plan plan;
	struct cmdline_error err;
	long n;
	int rc;

	for (n = 0;; n++) {
		ctx.left = n;
		ctx.failed = 0;
		rc = cmdline_parse(text, strlen(text), &fa, &plan, &err);
		if (!rc)
			break;
		ck_assert_msg(rc == -MM_ENOMEM, "after %ld allocations: %d",
			      n, rc);
		ck_assert_int_gt(ctx.failed, 0);
		ck_assert_uint_lt(n, 1000);
	}
	ck_assert_uint_eq(plan.nops, 4);
	ck_assert_uint_eq(plan.nwild, 2);
	cmdline_plan_free(&plan);
}
END_TEST

/* cmdline_strip: the words memmap.efi hands on when it gives up */
static const struct {
	int line;
	const char *in, *out;
} strip_rows[] = {
	{ __LINE__, "", "" },
	{ __LINE__, "   ", "" },
	{ __LINE__, "memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16 quiet",
	  "ramoops.ecc=16 quiet" },
	{ __LINE__, "console=ttyS0  mem=1G\treserve-mem=1M:0:x reserve_mem=2M:4K:y root=/dev/sda",
	  "console=ttyS0 root=/dev/sda" },
	/* bad words go too: nothing is validated */
	{ __LINE__, "memmap=junk mem= memmap ramoops.mem-name=z ramoops-mem_name=w a", "ramoops-mem_name=w a" },
	/* quotes group; the raw word passes */
	{ __LINE__, "\"memmap=1M$0x1000\" \"a b\" x=\"c d\"", "\"a b\" x=\"c d\"" },
	/* look-alikes pass */
	{ __LINE__, "memmapx=1 memory=2 ramoops.mem_address=0x1000 ramoops.mem_size=0x1000 mem_name=q",
	  "memmapx=1 memory=2 ramoops.mem_address=0x1000 ramoops.mem_size=0x1000 mem_name=q" },
	/* after --, init's words pass whatever they are */
	{ __LINE__, "quiet memmap=1M@0 -- memmap=2M mem=1", "quiet -- memmap=2M mem=1" },
	/* the kernel's spaces, 0xa0 among them */
	{ __LINE__, "a\xa0" "memmap=1M@0\xa0" "b", "a b" },
};

START_TEST(test_strip)
{
	const char *in = strip_rows[_i].in;
	struct mm_buf b;

	mm_buf_init(&b, TEST_ALLOC);
	mm_buf_puts(&b, "<");
	ck_assert_int_eq(cmdline_strip(in, strlen(in), TEST_ALLOC, &b), 0);
	mm_buf_putc(&b, '>');
	ck_assert_msg(b.len == strlen(strip_rows[_i].out) + 2 &&
		      !strncmp(b.s + 1, strip_rows[_i].out, b.len - 2),
		      "line %d: got %s", strip_rows[_i].line, b.s);
	mm_buf_free(&b);
}
END_TEST

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc;

	tc = tcase_create("tokenize");
	tcase_add_loop_test(tc, test_tokenize, 0, ARRAY_SIZE(tok_rows));
	tcase_add_test(tc, test_len_bounds);
	suite_add_tcase(s, tc);

	tc = tcase_create("forms");
	tcase_add_loop_test(tc, test_ops, 0, ARRAY_SIZE(op_rows));
	tcase_add_loop_test(tc, test_wild, 0, ARRAY_SIZE(wild_rows));
	tcase_add_test(tc, test_elems);
	tcase_add_loop_test(tc, test_ramoops, 0, ARRAY_SIZE(ramoops_rows));
	tcase_add_test(tc, test_parse_enomem);
	tcase_add_loop_test(tc, test_strip, 0, ARRAY_SIZE(strip_rows));
	suite_add_tcase(s, tc);
	return s;
}
