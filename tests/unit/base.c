/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e820/base: mm_buf formatting, mm_grow.
 */
#include "tests.h"

/* mm_buf_hex and mm_buf_dec: value, digits, text */
static const struct {
	int line;
	bool hex;
	uint64_t v;
	unsigned int digits;
	const char *text;
} fmt_rows[] = {
	{ __LINE__, true, 0, 0, "0x0" },
	{ __LINE__, true, 0, 1, "0x0" },
	{ __LINE__, true, 0, 16, "0x0000000000000000" },
	{ __LINE__, true, 1, 16, "0x0000000000000001" },
	{ __LINE__, true, 0xabcdef, 0, "0xabcdef" },
	{ __LINE__, true, 0xabcdef, 2, "0xabcdef" },	/* no truncation */
	{ __LINE__, true, 0xabcdef, 8, "0x00abcdef" },
	{ __LINE__, true, 0x7e000000, 0, "0x7e000000" },
	{ __LINE__, true, 0xc00000, 0, "0xc00000" },
	{ __LINE__, true, 0x10, 0, "0x10" },
	{ __LINE__, true, UINT64_MAX, 0, "0xffffffffffffffff" },
	{ __LINE__, true, UINT64_MAX, 16, "0xffffffffffffffff" },
	{ __LINE__, true, 0x8000000000000000ULL, 0, "0x8000000000000000" },
	{ __LINE__, true, 0x9effff, 16, "0x00000000009effff" },
	{ __LINE__, false, 0, 0, "0" },
	{ __LINE__, false, 7, 0, "7" },
	{ __LINE__, false, 10, 0, "10" },
	{ __LINE__, false, 4294967295ULL, 0, "4294967295" },
	{ __LINE__, false, 1000000, 0, "1000000" },
	{ __LINE__, false, UINT64_MAX, 0, "18446744073709551615" },
};

START_TEST(test_buf_format)
{
	struct mm_buf b;

	mm_buf_init(&b, TEST_ALLOC);
	mm_buf_puts(&b, "<");
	if (fmt_rows[_i].hex)
		mm_buf_hex(&b, fmt_rows[_i].v, fmt_rows[_i].digits);
	else
		mm_buf_dec(&b, fmt_rows[_i].v);
	mm_buf_putc(&b, '>');
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(b.len == strlen(b.s) && b.len == strlen(fmt_rows[_i].text) + 2 &&
		      !strncmp(b.s + 1, fmt_rows[_i].text, b.len - 2),
		      "line %d: got \"%s\", want \"<%s>\"", fmt_rows[_i].line,
		      b.s, fmt_rows[_i].text);
	mm_buf_free(&b);
	ck_assert_ptr_null(b.s);
}
END_TEST

/* A long text through many small appends, and putn with embedded text */
START_TEST(test_buf_grow)
{
	struct mm_buf b;
	char want[5000];
	size_t i;

	mm_buf_init(&b, TEST_ALLOC);
	for (i = 0; i < sizeof(want) - 1; i++) {
		want[i] = (char)('a' + i % 26);
		mm_buf_putc(&b, want[i]);
	}
	want[sizeof(want) - 1] = '\0';
	ck_assert_int_eq(b.rc, 0);
	ck_assert_uint_eq(b.len, sizeof(want) - 1);
	ck_assert_str_eq(b.s, want);
	mm_buf_putn(&b, "xyz", 0);
	ck_assert_uint_eq(b.len, sizeof(want) - 1);
	mm_buf_free(&b);
}
END_TEST

/* After the first failure a buffer keeps its error and ignores appends */
START_TEST(test_buf_enomem)
{
	struct fail_alloc_ctx ctx = { .left = 1 };
	const struct mm_alloc fa = { fail_realloc, &ctx };
	struct mm_buf b;
	size_t i;

	mm_buf_init(&b, &fa);
	for (i = 0; i < 100; i++)
		mm_buf_puts(&b, "0123456789");
	ck_assert_int_eq(b.rc, -MM_ENOMEM);
	ck_assert_uint_lt(b.len, 100 * 10);
	ck_assert_uint_eq(b.len, strlen(b.s));
	mm_buf_free(&b);
}
END_TEST

/* mm_grow: capacity grows to at least want; a failure leaves the array */
START_TEST(test_grow)
{
	struct fail_alloc_ctx ctx = { .left = 1 };
	const struct mm_alloc fa = { fail_realloc, &ctx };
	uint64_t *arr = NULL;
	size_t cap = 0;

	ck_assert_int_eq(mm_grow(&fa, &arr, &cap, 0, sizeof(*arr)), 0);
	ck_assert_ptr_null(arr);
	ck_assert_int_eq(mm_grow(&fa, &arr, &cap, 3, sizeof(*arr)), 0);
	ck_assert_ptr_nonnull(arr);
	ck_assert_uint_ge(cap, 3);
	arr[2] = 42;
	ck_assert_int_eq(mm_grow(&fa, &arr, &cap, cap, sizeof(*arr)), 0);
	ck_assert_int_eq(mm_grow(&fa, &arr, &cap, cap + 1, sizeof(*arr)),
			 -MM_ENOMEM);
	ck_assert_ptr_nonnull(arr);
	ck_assert_uint_eq(arr[2], 42);
	ck_assert_int_eq(mm_grow(&fa, &arr, &cap, SIZE_MAX / 4, sizeof(*arr)),
			 -MM_ENOMEM);
	mm_free(&fa, arr);
}
END_TEST

static const struct {
	int line;
	uint64_t v;
	bool pow2;
} pow2_rows[] = {
	{ __LINE__, 0, false },
	{ __LINE__, 1, true },
	{ __LINE__, 2, true },
	{ __LINE__, 3, false },
	{ __LINE__, 4096, true },
	{ __LINE__, 4097, false },
	{ __LINE__, 0x8000000000000000ULL, true },
	{ __LINE__, 0x8000000000000001ULL, false },
	{ __LINE__, UINT64_MAX, false },
};

START_TEST(test_is_pow2)
{
	ck_assert_msg(mm_is_pow2(pow2_rows[_i].v) == pow2_rows[_i].pow2,
		      "line %d: mm_is_pow2(%#llx) is wrong", pow2_rows[_i].line,
		      (unsigned long long)pow2_rows[_i].v);
}
END_TEST

Suite *base_suite(void)
{
	Suite *s = suite_create("base");
	TCase *tc;

	tc = tcase_create("mm_buf");
	tcase_add_loop_test(tc, test_buf_format, 0, ARRAY_SIZE(fmt_rows));
	tcase_add_test(tc, test_buf_grow);
	tcase_add_test(tc, test_buf_enomem);
	tcase_add_test(tc, test_grow);
	tcase_add_loop_test(tc, test_is_pow2, 0, ARRAY_SIZE(pow2_rows));
	suite_add_tcase(s, tc);
	return s;
}
