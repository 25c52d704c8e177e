/*
 * e820/base: mm_sort against an insertion sort, mm_buf formatting, mm_grow.
 */
#include "tests.h"

/* splitmix64: a fixed seed gives a fixed sequence */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* An odd-sized record, ordered by every field: a total order */
struct rec {
	uint64_t key;
	uint32_t id;
	uint8_t tag;
};

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (int)x->tag - (int)y->tag;
}

/* The reference: a plain insertion sort */
static void insertion_sort(void *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	unsigned char *p = base, tmp[64];
	size_t i, j;

	ck_assert_uint_le(size, sizeof(tmp));
	for (i = 1; i < n; i++) {
		memcpy(tmp, p + i * size, size);
		for (j = i; j > 0 && cmp(p + (j - 1) * size, tmp) > 0; j--)
			memcpy(p + j * size, p + (j - 1) * size, size);
		memcpy(p + j * size, tmp, size);
	}
}

/* Random arrays: seed, how many arrays, their largest length, key range */
static const struct {
	int line;
	uint64_t seed;
	unsigned int arrays;
	size_t max_len;
	uint32_t key_range;	/* 0: full 32 bits */
} sort_rows[] = {
	{ __LINE__, 1, 400, 40, 0 },
	{ __LINE__, 2, 400, 40, 4 },		/* many duplicates */
	{ __LINE__, 3, 100, 300, 0 },
	{ __LINE__, 4, 100, 300, 2 },
	{ __LINE__, 5, 20, 1000, 1000 },
	{ __LINE__, 6, 50, 3, 2 },		/* tiny arrays, 0..3 */
};

START_TEST(test_sort_u32)
{
	uint64_t s = sort_rows[_i].seed;
	uint32_t a[1000], ref[1000];
	unsigned int k;
	size_t n, i;

	for (k = 0; k < sort_rows[_i].arrays; k++) {
		n = (size_t)(rnd_next(&s) % (sort_rows[_i].max_len + 1));
		for (i = 0; i < n; i++) {
			uint64_t r = rnd_next(&s);

			a[i] = sort_rows[_i].key_range ?
			       (uint32_t)(r % sort_rows[_i].key_range) :
			       (uint32_t)r;
		}
		memcpy(ref, a, n * sizeof(*a));
		mm_sort(a, n, sizeof(*a), u32_cmp);
		insertion_sort(ref, n, sizeof(*ref), u32_cmp);
		ck_assert_msg(!memcmp(a, ref, n * sizeof(*a)),
			      "line %d: array %u of %zu elements sorted wrongly",
			      sort_rows[_i].line, k, n);
	}
}
END_TEST

START_TEST(test_sort_records)
{
	uint64_t s = sort_rows[_i].seed * 7919;
	struct rec a[1000], ref[1000];
	unsigned int k;
	size_t n, i;

	for (k = 0; k < sort_rows[_i].arrays; k++) {
		n = (size_t)(rnd_next(&s) % (sort_rows[_i].max_len + 1));
		memset(a, 0, sizeof(a));
		for (i = 0; i < n; i++) {
			uint64_t r = rnd_next(&s);

			a[i].key = sort_rows[_i].key_range ?
				   r % sort_rows[_i].key_range : r;
			a[i].id = (uint32_t)(rnd_next(&s) % 3);
			a[i].tag = (uint8_t)i;
		}
		memcpy(ref, a, n * sizeof(*a));
		mm_sort(a, n, sizeof(*a), rec_cmp);
		insertion_sort(ref, n, sizeof(*ref), rec_cmp);
		ck_assert_msg(!memcmp(a, ref, n * sizeof(*a)),
			      "line %d: array %u of %zu records sorted wrongly",
			      sort_rows[_i].line, k, n);
	}
}
END_TEST

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

	tc = tcase_create("mm_sort");
	tcase_add_loop_test(tc, test_sort_u32, 0, ARRAY_SIZE(sort_rows));
	tcase_add_loop_test(tc, test_sort_records, 0, ARRAY_SIZE(sort_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("mm_buf");
	tcase_add_loop_test(tc, test_buf_format, 0, ARRAY_SIZE(fmt_rows));
	tcase_add_test(tc, test_buf_grow);
	tcase_add_test(tc, test_buf_enomem);
	tcase_add_test(tc, test_grow);
	tcase_add_loop_test(tc, test_is_pow2, 0, ARRAY_SIZE(pow2_rows));
	suite_add_tcase(s, tc);
	return s;
}
