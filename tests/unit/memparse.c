/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline_memparse(): Linux's memparse() in base 0 with one K M G T P E
 * suffix, but errors where Linux wraps or reads nothing.
 */
#include "tests.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define TiB (1ULL << 40)
#define PiB (1ULL << 50)
#define EiB (1ULL << 60)

/* input, result, value and end offset (when the result is 0) */
static const struct {
	int line;
	const char *s;
	int rc;
	uint64_t val;
	size_t end;
} memparse_rows[] = {
	/* Decimal */
	{ __LINE__, "0", 0, 0, 1 },
	{ __LINE__, "1", 0, 1, 1 },
	{ __LINE__, "10", 0, 10, 2 },
	{ __LINE__, "4096", 0, 4096, 4 },
	{ __LINE__, "123456789", 0, 123456789, 9 },
	/* Leading 0: octal, stops at 8 and 9 */
	{ __LINE__, "010", 0, 8, 3 },
	{ __LINE__, "0777", 0, 0777, 4 },
	{ __LINE__, "00", 0, 0, 2 },
	{ __LINE__, "09", 0, 0, 1 },
	{ __LINE__, "08", 0, 0, 1 },
	{ __LINE__, "018", 0, 1, 2 },
	{ __LINE__, "04000K", 0, 04000 * KiB, 6 },
	{ __LINE__, "0200000000", 0, 0200000000, 10 },
	/* 0x and 0X: hex when a hex digit follows, else the 0 alone */
	{ __LINE__, "0x10", 0, 16, 4 },
	{ __LINE__, "0X10", 0, 16, 4 },
	{ __LINE__, "0xfF", 0, 255, 4 },
	{ __LINE__, "0XABCDEF", 0, 0xabcdef, 8 },
	{ __LINE__, "0x0", 0, 0, 3 },
	{ __LINE__, "0x", 0, 0, 1 },
	{ __LINE__, "0X", 0, 0, 1 },
	{ __LINE__, "0xg", 0, 0, 1 },
	{ __LINE__, "0x1x", 0, 1, 3 },
	{ __LINE__, "0x7e000000", 0, 0x7e000000, 10 },
	/* Suffixes, either case, at most one */
	{ __LINE__, "1k", 0, KiB, 2 },
	{ __LINE__, "1K", 0, KiB, 2 },
	{ __LINE__, "1m", 0, MiB, 2 },
	{ __LINE__, "1M", 0, MiB, 2 },
	{ __LINE__, "1g", 0, GiB, 2 },
	{ __LINE__, "1G", 0, GiB, 2 },
	{ __LINE__, "1t", 0, TiB, 2 },
	{ __LINE__, "1T", 0, TiB, 2 },
	{ __LINE__, "1p", 0, PiB, 2 },
	{ __LINE__, "1P", 0, PiB, 2 },
	{ __LINE__, "1e", 0, EiB, 2 },
	{ __LINE__, "1E", 0, EiB, 2 },
	{ __LINE__, "12M", 0, 12 * MiB, 3 },
	{ __LINE__, "0k", 0, 0, 2 },
	{ __LINE__, "010K", 0, 8 * KiB, 4 },
	{ __LINE__, "0x2M", 0, 2 * MiB, 4 },
	{ __LINE__, "0X2m", 0, 2 * MiB, 4 },
	{ __LINE__, "1KB", 0, KiB, 2 },
	{ __LINE__, "1KK", 0, KiB, 2 },
	{ __LINE__, "1MiB", 0, MiB, 2 },
	{ __LINE__, "15E", 0, 15 * EiB, 3 },
	{ __LINE__, "16383P", 0, 16383 * PiB, 6 },
	{ __LINE__, "0x3fffffffffffffK", 0, 0xfffffffffffffc00ULL, 17 },
	/* "e" and "E" are hex digits after 0x, not a suffix */
	{ __LINE__, "0x1e", 0, 0x1e, 4 },
	{ __LINE__, "0x1E", 0, 0x1e, 4 },
	{ __LINE__, "0x10E", 0, 0x10e, 5 },
	/* The end pointer stops at the first unused character */
	{ __LINE__, "4096x", 0, 4096, 4 },
	{ __LINE__, "1 ", 0, 1, 1 },
	{ __LINE__, "1,2", 0, 1, 1 },
	{ __LINE__, "1M$0x1000", 0, MiB, 2 },
	{ __LINE__, "1@2", 0, 1, 1 },
	/* The largest value, in each base */
	{ __LINE__, "18446744073709551615", 0, UINT64_MAX, 20 },
	{ __LINE__, "0xffffffffffffffff", 0, UINT64_MAX, 18 },
	{ __LINE__, "0XFFFFFFFFFFFFFFFF", 0, UINT64_MAX, 18 },
	{ __LINE__, "01777777777777777777777", 0, UINT64_MAX, 23 },
	{ __LINE__, "0x00000000000000000001", 0, 1, 22 },
	/* No digit */
	{ __LINE__, "", -MM_EINVAL, 0, 0 },
	{ __LINE__, "K", -MM_EINVAL, 0, 0 },
	{ __LINE__, "x", -MM_EINVAL, 0, 0 },
	{ __LINE__, "x10", -MM_EINVAL, 0, 0 },
	{ __LINE__, "-1", -MM_EINVAL, 0, 0 },
	{ __LINE__, "+1", -MM_EINVAL, 0, 0 },
	{ __LINE__, " 1", -MM_EINVAL, 0, 0 },
	{ __LINE__, "$0x1000", -MM_EINVAL, 0, 0 },
	/* Overflow in the digits */
	{ __LINE__, "18446744073709551616", -MM_ERANGE, 0, 0 },
	{ __LINE__, "18446744073709551620", -MM_ERANGE, 0, 0 },
	{ __LINE__, "99999999999999999999", -MM_ERANGE, 0, 0 },
	{ __LINE__, "0x10000000000000000", -MM_ERANGE, 0, 0 },
	{ __LINE__, "0x1ffffffffffffffff", -MM_ERANGE, 0, 0 },
	{ __LINE__, "02000000000000000000000", -MM_ERANGE, 0, 0 },
	/* Overflow in the suffix shift */
	{ __LINE__, "16E", -MM_ERANGE, 0, 0 },
	{ __LINE__, "16e", -MM_ERANGE, 0, 0 },
	{ __LINE__, "16384P", -MM_ERANGE, 0, 0 },
	{ __LINE__, "16777216T", -MM_ERANGE, 0, 0 },
	{ __LINE__, "17179869184G", -MM_ERANGE, 0, 0 },
	{ __LINE__, "0x40000000000000K", -MM_ERANGE, 0, 0 },
	{ __LINE__, "0xfffffffffffffffK", -MM_ERANGE, 0, 0 },
	{ __LINE__, "18446744073709551615K", -MM_ERANGE, 0, 0 },
};

START_TEST(test_memparse)
{
	const char *s = memparse_rows[_i].s, *end = NULL;
	uint64_t val = 0xdeadbeef;
	int rc = cmdline_memparse(s, &val, &end);

	ck_assert_msg(rc == memparse_rows[_i].rc,
		      "line %d: memparse(\"%s\") returned %d, want %d",
		      memparse_rows[_i].line, s, rc, memparse_rows[_i].rc);
	if (rc)
		return;
	ck_assert_msg(val == memparse_rows[_i].val,
		      "line %d: memparse(\"%s\") = %#llx, want %#llx",
		      memparse_rows[_i].line, s, (unsigned long long)val,
		      (unsigned long long)memparse_rows[_i].val);
	ck_assert_msg(end == s + memparse_rows[_i].end,
		      "line %d: memparse(\"%s\") ended at offset %td, want %zu",
		      memparse_rows[_i].line, s, end ? end - s : -1,
		      memparse_rows[_i].end);
}
END_TEST

/* Every power-of-two size with every suffix: fits exactly up to bit 63 */
START_TEST(test_memparse_shifts)
{
	static const char suffix[] = "KMGTPE";
	unsigned int shift = 10 * (unsigned int)(_i + 1), bit;
	char text[32];

	for (bit = 0; bit < 64; bit++) {
		uint64_t val = 0;
		const char *end = NULL;
		int rc;

		snprintf(text, sizeof(text), "%llu%c", 1ULL << bit,
			 suffix[_i]);
		rc = cmdline_memparse(text, &val, &end);
		if (bit + shift < 64) {
			ck_assert_msg(rc == 0 && val == 1ULL << (bit + shift) &&
				      end == text + strlen(text),
				      "%s: rc %d value %#llx", text, rc,
				      (unsigned long long)val);
		} else {
			ck_assert_msg(rc == -MM_ERANGE, "%s: rc %d, want %d",
				      text, rc, -MM_ERANGE);
		}
	}
}
END_TEST

Suite *memparse_suite(void)
{
	Suite *s = suite_create("memparse");
	TCase *tc = tcase_create("memparse");

	tcase_add_loop_test(tc, test_memparse, 0, ARRAY_SIZE(memparse_rows));
	tcase_add_loop_test(tc, test_memparse_shifts, 0, 6);
	suite_add_tcase(s, tc);
	return s;
}
