/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmdline/handover: the next image's kind, the GRUB environment block,
 * the SMBIOS OEM-strings record.
 */
#include "tests.h"
#include "../../cmdline/handover.h"

/* A PE image's start: MZ, e_lfanew, "PE\0\0", a COFF header with
 * @nsec sections named in @names, an optional header of 240 bytes */
static size_t make_pe(uint8_t *p, size_t cap, uint32_t lfanew,
		      const char *const *names, unsigned int nsec)
{
	unsigned int i;
	size_t sec;

	memset(p, 0, cap);
	p[0] = 'M';
	p[1] = 'Z';
	put_le32(p + 0x3c, lfanew);
	memcpy(p + lfanew, "PE\0\0", 4);
	p[lfanew + 6] = (uint8_t)nsec;
	p[lfanew + 20] = 240;
	sec = lfanew + 24 + 240;
	for (i = 0; i < nsec; i++)
		memcpy(p + sec + 40 * i, names[i], strlen(names[i]));
	return sec + 40 * nsec;
}

static const char *const uki_secs[] = { ".text", ".osrel", ".cmdline",
					".linux", ".initrd" };
static const char *const stub_secs[] = { ".text", ".rodata", ".data",
					 ".sbat", ".sdmagic", ".reloc" };
static const char *const near_secs[] = { ".linu", ".linuxx", "linux",
					  ".LINUX" };

enum { K_PLAIN, K_HDRS, K_ARM64, K_RISCV, K_ZIMG, K_NO_MZ, K_NO_PE };

/* One image per row: its sections, a marker, where the head is cut */
static const struct {
	int line;
	uint32_t lfanew;
	const char *const *secs;
	unsigned int nsec;
	int mark;
	long cut;	/* bytes of the head given; -1: all, -2: all but 1 */
	enum handover_image want;
} kind_rows[] = {
	{ __LINE__, 0x40, uki_secs, 5, K_PLAIN, -1, HANDOVER_UKI },
	{ __LINE__, 0x40, uki_secs, 5, K_HDRS, -1, HANDOVER_UKI },
	{ __LINE__, 0x40, stub_secs, 6, K_PLAIN, -1, HANDOVER_OTHER },
	{ __LINE__, 0x40, near_secs, 4, K_PLAIN, -1, HANDOVER_OTHER },
	{ __LINE__, 0x40, stub_secs, 6, K_HDRS, -1, HANDOVER_LINUX },
	{ __LINE__, 0x40, stub_secs, 2, K_ARM64, -1, HANDOVER_LINUX },
	{ __LINE__, 0x40, stub_secs, 2, K_RISCV, -1, HANDOVER_LINUX },
	{ __LINE__, 0x40, stub_secs, 2, K_ZIMG, -1, HANDOVER_LINUX },
	{ __LINE__, 0x40, NULL, 0, K_HDRS, -1, HANDOVER_LINUX },
	/* not a PE image: the markers alone say nothing */
	{ __LINE__, 0x40, uki_secs, 5, K_NO_MZ, -1, HANDOVER_OTHER },
	{ __LINE__, 0x40, uki_secs, 5, K_NO_PE, -1, HANDOVER_OTHER },
	{ __LINE__, 0x40, stub_secs, 6, K_HDRS | 0x100, -1, HANDOVER_OTHER },
	/* cut heads: the last section entry, the PE header, the magic */
	{ __LINE__, 0x40, uki_secs, 4, K_PLAIN, -2, HANDOVER_OTHER },
	{ __LINE__, 0x40, uki_secs, 5, K_PLAIN, 0x40 + 23, HANDOVER_OTHER },
	{ __LINE__, 0x40, uki_secs, 5, K_PLAIN, 0x3f, HANDOVER_OTHER },
	{ __LINE__, 0x40, NULL, 0, K_HDRS, 0x205, HANDOVER_OTHER },
	{ __LINE__, 0x40, NULL, 0, K_HDRS, 0x206, HANDOVER_LINUX },
	/* e_lfanew far past the head, or wrapping */
	{ __LINE__, 0x40, NULL, 0, K_PLAIN | 0x200, -1, HANDOVER_OTHER },
	{ __LINE__, 0x40, NULL, 0, K_PLAIN | 0x400, -1, HANDOVER_OTHER },
};

START_TEST(test_image_kind)
{
	static uint8_t img[4096];
	size_t n = make_pe(img, sizeof(img), kind_rows[_i].lfanew,
			   kind_rows[_i].secs, kind_rows[_i].nsec);
	int mark = kind_rows[_i].mark;

	if (n < 0x400)
		n = 0x400;
	switch (mark & 0xff) {
	case K_HDRS: memcpy(img + 0x202, "HdrS", 4); break;
	case K_ARM64: memcpy(img + 0x38, "ARM\x64", 4); break;
	case K_RISCV: memcpy(img + 0x38, "RSC\x05", 4); break;
	case K_ZIMG: memcpy(img + 4, "zimg", 4); break;
	case K_NO_MZ: img[1] = 'Y'; break;
	case K_NO_PE: img[kind_rows[_i].lfanew + 1] = 'X'; break;
	}
	if (mark & 0x100)		/* "HdrS" one byte off */
		memcpy(img + 0x203, "HdrS", 4), memset(img + 0x202, 0, 1);
	if (mark & 0x200)
		put_le32(img + 0x3c, 0x7ffffff0);
	if (mark & 0x400)
		put_le32(img + 0x3c, 0xfffffff0);
	if (kind_rows[_i].cut == -2)
		n = kind_rows[_i].lfanew + 24 + 240 + 40 * kind_rows[_i].nsec - 1;
	else if (kind_rows[_i].cut >= 0)
		n = (size_t)kind_rows[_i].cut;
	ck_assert_msg(handover_image_kind(img, n) == kind_rows[_i].want,
		      "line %d: kind %d, want %d", kind_rows[_i].line,
		      handover_image_kind(img, n), kind_rows[_i].want);
}
END_TEST

/* The block for a few values: its exact text before the padding */
static const struct {
	int line;
	const char *value;
	const char *text;
} env_rows[] = {
	{ __LINE__, "", "# GRUB Environment Block\nmemmap_cmdline=\n" },
	{ __LINE__, "memmap=0x100000$0x1dbe6000 ramoops.mem_address=0x1dbe6000",
	  "# GRUB Environment Block\n"
	  "memmap_cmdline=memmap=0x100000$0x1dbe6000 ramoops.mem_address=0x1dbe6000\n" },
	{ __LINE__, "a\\b \\\\ x", "# GRUB Environment Block\nmemmap_cmdline=a\\\\b \\\\\\\\ x\n" },
	{ __LINE__, "a\nb", "# GRUB Environment Block\nmemmap_cmdline=a\\\nb\n" },
	{ __LINE__, "# = ; ' \"", "# GRUB Environment Block\nmemmap_cmdline=# = ; ' \"\n" },
};

START_TEST(test_grubenv)
{
	const char *v = env_rows[_i].value, *t = env_rows[_i].text;
	struct mm_buf b;
	size_t i;

	mm_buf_init(&b, TEST_ALLOC);
	mm_buf_puts(&b, "x");	/* appended: the block's size counts alone */
	handover_grubenv(&b, HANDOVER_GRUB_VAR, v, strlen(v));
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(b.len == 1 + 1024 && !strncmp(b.s + 1, t, strlen(t)),
		      "line %d: %zu bytes, \"%.80s\"", env_rows[_i].line, b.len, b.s);
	for (i = 1 + strlen(t); i < b.len; i++)
		ck_assert_msg(b.s[i] == '#', "line %d: byte %zu", env_rows[_i].line, i);
	mm_buf_free(&b);
}
END_TEST

/* Sizes at the 1024-byte steps: exactly full, one over */
START_TEST(test_grubenv_sizes)
{
	static const size_t head = sizeof(HANDOVER_GRUBENV_SIG) - 1 +
				   sizeof(HANDOVER_GRUB_VAR "=") - 1 + 1;
	static const struct { size_t len, size; } rows[] = {
		{ 1024 - head - 1, 1024 }, { 1024 - head, 1024 },
		{ 1024 - head + 1, 2048 }, { 5000, 5120 }, { 0, 1024 },
	};
	char value[6000];
	struct mm_buf b;
	size_t i;

	memset(value, 'w', sizeof(value));
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		mm_buf_init(&b, TEST_ALLOC);
		handover_grubenv(&b, HANDOVER_GRUB_VAR, value, rows[i].len);
		ck_assert_int_eq(b.rc, 0);
		ck_assert_msg(b.len == rows[i].size, "value of %zu: %zu bytes",
			      rows[i].len, b.len);
		ck_assert(!memcmp(b.s + head - 1 + rows[i].len, "\n", 1));
		mm_buf_free(&b);
	}
}
END_TEST

#define W "memmap=0x100000$0x1000 ramoops.ecc=16"
#define BOOT_W "io.systemd.boot.kernel-cmdline-extra=" W "\0"
#define STUB_W "io.systemd.stub.kernel-cmdline-extra=" W "\0"
#define MARK "io.memmap.handover=1\0"

/* The firmware's first type 11 record, and what memmap makes of it */
static const struct {
	int line;
	const char *old;	/* NULL: no record */
	size_t old_len;
	bool stub;
	const char *want;
	size_t want_len;
} smbios_rows[] = {
#define ROW(old, stub, want) { __LINE__, old, sizeof(old), stub, want, sizeof(want) }
	{ __LINE__, NULL, 0, true, "\x0b\x05\xfe\xff\x03" BOOT_W STUB_W MARK "",
	  5 + sizeof(BOOT_W STUB_W MARK) },
	{ __LINE__, NULL, 0, false, "\x0b\x05\xfe\xff\x02" BOOT_W MARK "",
	  5 + sizeof(BOOT_W MARK) },
	/* vendor strings after ours, header and handle kept */
	ROW("\x0b\x05\x00\x0f\x02" "Dell System\0" "5[0000]\0" "",
	    true, "\x0b\x05\x00\x0f\x05" BOOT_W STUB_W MARK "Dell System\0" "5[0000]\0" ""),
	/* a record with no strings; a longer formatted area */
	ROW("\x0b\x05\x01\x00\x00\0" "", false, "\x0b\x05\x01\x00\x02" BOOT_W MARK ""),
	ROW("\x0b\x06\x01\x00\x01\x77" "v\0" "", false, "\x0b\x06\x01\x00\x03\x77" BOOT_W MARK "v\0" ""),
	/* an earlier run's strings are replaced; the firmware's own keys
	 * stay, after ours */
	ROW("\x0b\x05\x00\x0f\x04" "io.systemd.boot.kernel-cmdline-extra=old\0" MARK "a\0" "io.memmap.handover=2\0" "",
	    false, "\x0b\x05\x00\x0f\x04" BOOT_W MARK "a\0" "io.memmap.handover=2\0" ""),
	ROW("\x0b\x05\x00\x0f\x03" "a\0" "io.systemd.boot.kernel-cmdline-extra=old\0" MARK "",
	    false, "\x0b\x05\x00\x0f\x05" BOOT_W MARK "a\0" "io.systemd.boot.kernel-cmdline-extra=old\0" MARK ""),
	ROW("\x0b\x05\x00\x0f\x02" "io.systemd.stub.kernel-cmdline-extra=fw\0" "a\0" "",
	    true, "\x0b\x05\x00\x0f\x05" BOOT_W STUB_W MARK "io.systemd.stub.kernel-cmdline-extra=fw\0" "a\0" ""),
#undef ROW
};

START_TEST(test_smbios)
{
	struct mm_buf b, again;

	mm_buf_init(&b, TEST_ALLOC);
	mm_buf_init(&again, TEST_ALLOC);
	ck_assert_int_eq(handover_smbios(&b, smbios_rows[_i].old, smbios_rows[_i].old_len,
					 W, strlen(W), smbios_rows[_i].stub), 0);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(b.len == smbios_rows[_i].want_len &&
		      !memcmp(b.s, smbios_rows[_i].want, b.len),
		      "line %d: %zu bytes, want %zu", smbios_rows[_i].line, b.len,
		      smbios_rows[_i].want_len);
	ck_assert_uint_eq(handover_smbios_size(b.s, b.len), b.len);
	/* A second run over the first one's record gives the same record */
	ck_assert_int_eq(handover_smbios(&again, b.s, b.len, W, strlen(W),
					 smbios_rows[_i].stub), 0);
	ck_assert_msg(again.len == b.len && !memcmp(again.s, b.s, b.len),
		      "line %d: not the same the second time", smbios_rows[_i].line);
	mm_buf_free(&again);
	mm_buf_free(&b);
}
END_TEST

START_TEST(test_smbios_bad)
{
	static const char rec[] = "\x0b\x05\x00\x0f\x01" "abc\0";
	char many[5 + 254 * 2 + 1];
	struct mm_buf b;
	size_t i;

	/* sizes: cut anywhere before the end, a length below 4 or past the end */
	ck_assert_uint_eq(handover_smbios_size(rec, sizeof(rec)), sizeof(rec));
	for (i = 0; i < sizeof(rec); i++)
		ck_assert_uint_eq(handover_smbios_size(rec, i), 0);
	ck_assert_uint_eq(handover_smbios_size("\x0b\x03\0\0\0\0", 6), 0);
	ck_assert_uint_eq(handover_smbios_size("\x0b\x09\0\0\0\0\0", 7), 0);
	ck_assert_uint_eq(handover_smbios_size("\x0b\x04\0\0\0\0", 6), 6);

	ck_assert_ptr_eq(handover_smbios_string(rec, sizeof(rec), "ab"), rec + 5);
	ck_assert_ptr_null(handover_smbios_string(rec, sizeof(rec), "abcd"));
	ck_assert_ptr_null(handover_smbios_string(rec, sizeof(rec) - 1, "ab"));

	mm_buf_init(&b, TEST_ALLOC);
	ck_assert_int_eq(handover_smbios(&b, NULL, 0, "a\0b", 3, true), -MM_EINVAL);
	ck_assert_int_eq(handover_smbios(&b, rec, sizeof(rec) - 1, "x", 1, true), -MM_EINVAL);
	ck_assert_int_eq(handover_smbios(&b, rec, sizeof(rec) + 0, "x", 1, true), 0);
	b.len = 0;
	ck_assert_int_eq(handover_smbios(&b, "\x01\x05\0\0\x01" "abc\0", 10, "x", 1, true),
			 -MM_EINVAL);
	/* 252 strings and ours fit; 253 with the stub key do not */
	memcpy(many, "\x0b\x05\0\0\xfc", 5);
	for (i = 0; i < 254; i++)
		memcpy(many + 5 + 2 * i, "s", 2);
	many[5 + 252 * 2] = '\0';
	ck_assert_int_eq(handover_smbios(&b, many, 5 + 252 * 2 + 1, "x", 1, true), 0);
	ck_assert_int_eq((unsigned char)b.s[4], 255);
	many[5 + 252 * 2] = 's';
	many[5 + 253 * 2] = '\0';
	ck_assert_int_eq(handover_smbios(&b, many, 5 + 253 * 2 + 1, "x", 1, true), -MM_ERANGE);
	ck_assert_int_eq(handover_smbios(&b, many, 5 + 253 * 2 + 1, "x", 1, false), 0);
	mm_buf_free(&b);
}
END_TEST

/* What LoadOptions are */
static const struct {
	int line;
	const char *bytes;
	size_t n;
	enum handover_opts want;
} opts_rows[] = {
#define O(b, want) { __LINE__, b, sizeof(b) - 1, want }
	O("", HANDOVER_OPTS_NONE),
	O("\0\0\0\0", HANDOVER_OPTS_NONE),
	/* UCS-2: efibootmgr -u, bcfg -opt (a BOM), the shell */
	O("m\0=\0x\0", HANDOVER_OPTS_UCS2),
	O("m\0=\0x\0\0\0", HANDOVER_OPTS_UCS2),
	O("\xff\xfem\0 \0x\0", HANDOVER_OPTS_UCS2),
	O("a\0\t\0\xe9\0\x3d\xd8\x00\xde", HANDOVER_OPTS_UCS2),	/* tab, é, a pair */
	/* ASCII or UTF-8: efibootmgr without -u, any length */
	O("memmap=1M*4096:oops", HANDOVER_OPTS_UTF8),
	O("ab", HANDOVER_OPTS_UTF8),
	O("ab\0\0", HANDOVER_OPTS_UTF8),
	O("caf\xc3\xa9 x", HANDOVER_OPTS_UTF8),
	/* binary: control characters, a NUL inside, a lone surrogate, bad UTF-8 */
	O("\x01\x02\x03\x04", HANDOVER_OPTS_BINARY),
	O("a\0b\0\0\0c\0", HANDOVER_OPTS_BINARY),
	O("ab\0cd", HANDOVER_OPTS_BINARY),
	O("a\0\x00\xd8" "b\0", HANDOVER_OPTS_BINARY),
	O("a\xc3(", HANDOVER_OPTS_BINARY),
	O("a\xc1\x81", HANDOVER_OPTS_BINARY),		/* overlong */
	O("\x7f\x45\x4c\x46\x02\x01", HANDOVER_OPTS_BINARY),
	O("abc", HANDOVER_OPTS_UTF8),				/* odd length */
#undef O
};

START_TEST(test_load_options)
{
	ck_assert_msg(handover_load_options(opts_rows[_i].bytes, opts_rows[_i].n) ==
		      opts_rows[_i].want, "line %d: %d", opts_rows[_i].line,
		      handover_load_options(opts_rows[_i].bytes, opts_rows[_i].n));
}
END_TEST

Suite *handover_suite(void)
{
	Suite *s = suite_create("handover");
	TCase *tc = tcase_create("handover");

	tcase_add_loop_test(tc, test_image_kind, 0, ARRAY_SIZE(kind_rows));
	tcase_add_loop_test(tc, test_grubenv, 0, ARRAY_SIZE(env_rows));
	tcase_add_test(tc, test_grubenv_sizes);
	tcase_add_loop_test(tc, test_smbios, 0, ARRAY_SIZE(smbios_rows));
	tcase_add_test(tc, test_smbios_bad);
	tcase_add_loop_test(tc, test_load_options, 0, ARRAY_SIZE(opts_rows));
	suite_add_tcase(s, tc);
	return s;
}
