/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline_parse() refusing a line: -MM_EINVAL, the exact offending word
 * (as it stands in the caller's line, quotes included) and a reason.
 */
#include "tests.h"

#define NAME64 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?"

/* The line, and the word that must be named */
static const struct {
	int line;
	const char *s;
	const char *word;
} err_rows[] = {
	/* Trailing junk after each form */
	{ __LINE__, "memmap=1M$0x100000x", "memmap=1M$0x100000x" },
	{ __LINE__, "memmap=1M@0x100000K1", "memmap=1M@0x100000K1" },
	{ __LINE__, "memmap=1M%0x1000-2+3x", "memmap=1M%0x1000-2+3x" },
	{ __LINE__, "memmap=1M%0x1000-1K", "memmap=1M%0x1000-1K" },
	{ __LINE__, "memmap=1M%0x1000+2-1", "memmap=1M%0x1000+2-1" },
	{ __LINE__, "memmap=1Mx", "memmap=1Mx" },
	{ __LINE__, "mem=1Gx", "mem=1Gx" },
	{ __LINE__, "memmap=4K*4Kx:y", "memmap=4K*4Kx:y" },
	{ __LINE__, "memmap=exactmapX", "memmap=exactmapX" },
	{ __LINE__, "memmap=exactmap,", "memmap=exactmap," },
	/* Octal digit 8: "018" is 1, then "8" is junk */
	{ __LINE__, "memmap=1M$018", "memmap=1M$018" },
	{ __LINE__, "mem=08M", "mem=08M" },
	/* A missing number */
	{ __LINE__, "memmap=1M$", "memmap=1M$" },
	{ __LINE__, "memmap=1M@", "memmap=1M@" },
	{ __LINE__, "memmap=1M%", "memmap=1M%" },
	{ __LINE__, "memmap=$0x1000", "memmap=$0x1000" },
	{ __LINE__, "memmap=1M%0x1000-", "memmap=1M%0x1000-" },
	{ __LINE__, "memmap=1M%0x1000+", "memmap=1M%0x1000+" },
	{ __LINE__, "mem=G", "mem=G" },
	{ __LINE__, "reserve_mem=:4K:x", "reserve_mem=:4K:x" },
	{ __LINE__, "reserve_mem=4K::x", "reserve_mem=4K::x" },
	/* Size 0 */
	{ __LINE__, "memmap=0$0x1000", "memmap=0$0x1000" },
	{ __LINE__, "memmap=0@0x1000", "memmap=0@0x1000" },
	{ __LINE__, "memmap=0%0x1000-1", "memmap=0%0x1000-1" },
	{ __LINE__, "memmap=0*4K:x", "memmap=0*4K:x" },
	{ __LINE__, "reserve_mem=0:4K:x", "reserve_mem=0:4K:x" },
	{ __LINE__, "memmap=0", "memmap=0" },
	{ __LINE__, "mem=0", "mem=0" },
	{ __LINE__, "mem=0K", "mem=0K" },
	/* '%' with the same old and new type (Linux BUGs) */
	{ __LINE__, "memmap=1M%0x1000-2+2", "memmap=1M%0x1000-2+2" },
	{ __LINE__, "memmap=1M%0x1000-0x2+02", "memmap=1M%0x1000-0x2+02" },
	/* Ranges past 2^64: wrapping, or ending exactly there when adding */
	{ __LINE__, "memmap=0x2000$0xfffffffffffff000", "memmap=0x2000$0xfffffffffffff000" },
	{ __LINE__, "memmap=0x1000$0xfffffffffffff000", "memmap=0x1000$0xfffffffffffff000" },
	{ __LINE__, "memmap=0x1000@0xfffffffffffff000", "memmap=0x1000@0xfffffffffffff000" },
	{ __LINE__, "memmap=0x1000!0xfffffffffffff000", "memmap=0x1000!0xfffffffffffff000" },
	{ __LINE__, "memmap=0x1000%0xfffffffffffff000+2", "memmap=0x1000%0xfffffffffffff000+2" },
	{ __LINE__, "memmap=0x2000%0xfffffffffffff000-1", "memmap=0x2000%0xfffffffffffff000-1" },
	{ __LINE__, "memmap=0x2000%0xfffffffffffff000-1+2", "memmap=0x2000%0xfffffffffffff000-1+2" },
	{ __LINE__, "memmap=0x2000%0xfffffffffffff000", "memmap=0x2000%0xfffffffffffff000" },
	{ __LINE__, "memmap=15E$2E", "memmap=15E$2E" },
	/* Numbers that do not fit 64 bits */
	{ __LINE__, "memmap=16E$0", "memmap=16E$0" },
	{ __LINE__, "memmap=1M$0x10000000000000000", "memmap=1M$0x10000000000000000" },
	{ __LINE__, "memmap=18446744073709551616", "memmap=18446744073709551616" },
	{ __LINE__, "mem=16E", "mem=16E" },
	{ __LINE__, "memmap=4K*16E:x", "memmap=4K*16E:x" },
	/* Type 0 and types above 2^32-1 */
	{ __LINE__, "memmap=1M%0x1000+0", "memmap=1M%0x1000+0" },
	{ __LINE__, "memmap=1M%0x1000-0+2", "memmap=1M%0x1000-0+2" },
	{ __LINE__, "memmap=1M%0x1000-0", "memmap=1M%0x1000-0" },
	{ __LINE__, "memmap=1M%0x1000+0x100000000", "memmap=1M%0x1000+0x100000000" },
	{ __LINE__, "memmap=1M%0x1000-4294967296+1", "memmap=1M%0x1000-4294967296+1" },
	{ __LINE__, "memmap=1M%0x1000+99999999999999999999", "memmap=1M%0x1000+99999999999999999999" },
	/* Unknown separator */
	{ __LINE__, "memmap=1M&0x1000", "memmap=1M&0x1000" },
	{ __LINE__, "memmap=1M:0x1000", "memmap=1M:0x1000" },
	{ __LINE__, "memmap=1M^0x1000", "memmap=1M^0x1000" },
	{ __LINE__, "memmap=1M$1M memmap=1M*", "memmap=1M*" },
	/* Empty memmap=, memmap with no '=', empty element */
	{ __LINE__, "memmap=", "memmap=" },
	{ __LINE__, "memmap", "memmap" },
	{ __LINE__, "memmap=\"\"", "memmap=\"\"" },
	{ __LINE__, "memmap=1M$1M,,2M$4M", "memmap=1M$1M,,2M$4M" },
	{ __LINE__, "memmap=,1M$1M", "memmap=,1M$1M" },
	{ __LINE__, "memmap=1M$1M,", "memmap=1M$1M," },
	{ __LINE__, "mem", "mem" },
	{ __LINE__, "mem=", "mem=" },
	{ __LINE__, "reserve_mem=", "reserve_mem=" },
	{ __LINE__, "reserve_mem", "reserve_mem" },
	{ __LINE__, "mem=nopentium", "mem=nopentium" },
	/* Wildcard and reserve_mem: size, alignment, separators */
	{ __LINE__, "memmap=6K*4K:x", "memmap=6K*4K:x" },
	{ __LINE__, "memmap=4097*4K:x", "memmap=4097*4K:x" },
	{ __LINE__, "reserve_mem=2K:4K:x", "reserve_mem=2K:4K:x" },
	{ __LINE__, "memmap=4K*3K:x", "memmap=4K*3K:x" },
	{ __LINE__, "memmap=4K*0x3000:x", "memmap=4K*0x3000:x" },
	{ __LINE__, "reserve_mem=4K:3:x", "reserve_mem=4K:3:x" },
	{ __LINE__, "reserve_mem=4K:0xffffffffffffffff:x", "reserve_mem=4K:0xffffffffffffffff:x" },
	{ __LINE__, "memmap=4K*0:x", "memmap=4K*0:x" },
	{ __LINE__, "memmap=4K*4K", "memmap=4K*4K" },
	{ __LINE__, "memmap=4K*4K-x", "memmap=4K*4K-x" },
	{ __LINE__, "reserve_mem=4K", "reserve_mem=4K" },
	{ __LINE__, "reserve_mem=4K*4K:x", "reserve_mem=4K*4K:x" },
	{ __LINE__, "reserve_mem=4K:4K", "reserve_mem=4K:4K" },
	/* Names: empty, 64 characters, colon, comma, space, control, 8-bit */
	{ __LINE__, "memmap=4K*4K:", "memmap=4K*4K:" },
	{ __LINE__, "reserve_mem=4K:4K:", "reserve_mem=4K:4K:" },
	{ __LINE__, "reserve_mem=4K:4K:" NAME64, "reserve_mem=4K:4K:" NAME64 },
	{ __LINE__, "memmap=4K*4K:" NAME64, "memmap=4K*4K:" NAME64 },
	{ __LINE__, "reserve_mem=4K:4K:a:b", "reserve_mem=4K:4K:a:b" },
	{ __LINE__, "memmap=4K*4K:a:b", "memmap=4K*4K:a:b" },
	{ __LINE__, "reserve_mem=4K:4K:a,b", "reserve_mem=4K:4K:a,b" },
	{ __LINE__, "memmap=4K*4K:a,b", "memmap=4K*4K:a,b" },
	{ __LINE__, "x \"reserve_mem=4K:4K:a b\" y", "\"reserve_mem=4K:4K:a b\"" },
	{ __LINE__, "reserve_mem=4K:4K:a\x01" "b", "reserve_mem=4K:4K:a\x01" "b" },
	{ __LINE__, "reserve_mem=4K:4K:a\x7f", "reserve_mem=4K:4K:a\x7f" },
	{ __LINE__, "reserve_mem=4K:4K:caf\xc3\xa9", "reserve_mem=4K:4K:caf\xc3\xa9" },
	/* Duplicate names: the later word is named */
	{ __LINE__, "memmap=4K*4K:x reserve_mem=8K:4K:x", "reserve_mem=8K:4K:x" },
	{ __LINE__, "reserve_mem=8K:4K:x memmap=4K*4K:x", "memmap=4K*4K:x" },
	{ __LINE__, "memmap=4K*4K:x,8K*4K:x", "memmap=4K*4K:x,8K*4K:x" },
	/* ramoops.mem_name */
	{ __LINE__, "ramoops.mem_name=oops", "ramoops.mem_name=oops" },
	{ __LINE__, "memmap=4K*4K:oops ramoops.mem_name=opps", "ramoops.mem_name=opps" },
	{ __LINE__, "memmap=4K*4K:x ramoops.mem_name=x ramoops.mem_address=0x1000",
	  "ramoops.mem_name=x" },
	{ __LINE__, "ramoops.mem_size=0x1000 memmap=4K*4K:x ramoops.mem_name=x",
	  "ramoops.mem_name=x" },
	{ __LINE__, "ramoops.mem_name", "ramoops.mem_name" },
	{ __LINE__, "ramoops.mem_name=", "ramoops.mem_name=" },
	{ __LINE__, "ramoops.mem_name=a:b", "ramoops.mem_name=a:b" },
	/* ramoops numbers: plain, no suffix, in range */
	/* ecc above 127: no 128-byte block and its parity in 255 bytes */
	{ __LINE__, "ramoops.ecc=128", "ramoops.ecc=128" },
	{ __LINE__, "ramoops.ecc=0x80", "ramoops.ecc=0x80" },
	{ __LINE__, "quiet ramoops.ecc=254 splash", "ramoops.ecc=254" },
	{ __LINE__, "memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=200",
	  "ramoops.ecc=200" },
	{ __LINE__, "ramoops.ecc=255", "ramoops.ecc=255" },
	{ __LINE__, "ramoops.ecc=-1", "ramoops.ecc=-1" },
	{ __LINE__, "ramoops.ecc", "ramoops.ecc" },
	{ __LINE__, "ramoops.record_size=4K", "ramoops.record_size=4K" },
	{ __LINE__, "ramoops.record-size=4096x", "ramoops.record-size=4096x" },
	{ __LINE__, "ramoops.mem_address=", "ramoops.mem_address=" },
	{ __LINE__, "ramoops.mem_size=12M", "ramoops.mem_size=12M" },
	{ __LINE__, "ramoops.console_size=0x10000000000000000", "ramoops.console_size=0x10000000000000000" },
	{ __LINE__, "ramoops.pmsg_size", "ramoops.pmsg_size" },
	/* The offending word among others, and quotes kept in the word */
	{ __LINE__, "quiet memmap=1M$0x100000 memmap=2M# splash", "memmap=2M#" },
	{ __LINE__, "a \"memmap=1M$0x1000 x\" b", "\"memmap=1M$0x1000 x\"" },
	{ __LINE__, "a memmap=\"1M$0x1000 x\" b", "memmap=\"1M$0x1000 x\"" },
	{ __LINE__, "\tmem=0\t", "mem=0" },
};

START_TEST(test_parse_error)
{
	const char *s = err_rows[_i].s, *word = err_rows[_i].word;
	int line = err_rows[_i].line;
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };
	int rc;

	rc = cmdline_parse(s, strlen(s), TEST_ALLOC, &plan, &err);
	ck_assert_msg(rc == -MM_EINVAL, "line %d: \"%s\" returned %d, want %d",
		      line, s, rc, -MM_EINVAL);
	ck_assert_msg(err.word >= s && err.word + err.word_len <= s + strlen(s),
		      "line %d: the named word does not point into the line", line);
	ck_assert_msg(err.word_len == strlen(word) &&
		      !memcmp(err.word, word, err.word_len),
		      "line %d: named \"%.*s\", want \"%s\"", line,
		      (int)err.word_len, err.word, word);
	ck_assert_msg(err.reason && *err.reason, "line %d: no reason", line);
	/* On error the plan holds nothing to free (the leak checker sees it) */
}
END_TEST

/* A refused ramoops.ecc says which values are valid */
START_TEST(test_parse_ecc_reason)
{
	static const char *const lines[] = { "ramoops.ecc=128", "ramoops.ecc=254" };
	const char *s = lines[_i];
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };

	ck_assert_int_eq(cmdline_parse(s, strlen(s), TEST_ALLOC, &plan, &err),
			 -MM_EINVAL);
	ck_assert_msg(err.reason && strstr(err.reason, "2..127"),
		      "\"%s\": reason \"%s\" does not give the range", s,
		      err.reason ? err.reason : "");
}
END_TEST

/* A NUL byte inside the given length is refused */
START_TEST(test_parse_nul)
{
	static const char text[] = "quiet\0memmap=1M$1M";
	struct cmdline_plan plan;
	struct cmdline_error err = { 0 };

	ck_assert_int_eq(cmdline_parse(text, sizeof(text) - 1, TEST_ALLOC,
				       &plan, &err), -MM_EINVAL);
	ck_assert_ptr_nonnull(err.reason);
}
END_TEST

Suite *parse_error_suite(void)
{
	Suite *s = suite_create("parse_error");
	TCase *tc = tcase_create("errors");

	tcase_add_loop_test(tc, test_parse_error, 0, ARRAY_SIZE(err_rows));
	tcase_add_test(tc, test_parse_nul);
	tcase_add_loop_test(tc, test_parse_ecc_reason, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
