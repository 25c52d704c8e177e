/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The next image's kind, and the formats that carry the words to it.
 */
#include "handover.h"

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* Whether the PE image's section table (all of it inside @n) names @want */
static bool pe_has_section(const unsigned char *p, size_t n, uint32_t pe,
			   const char *want)
{
	uint32_t nsec = le16(p + pe + 6), opt = le16(p + pe + 20);
	uint64_t sec = (uint64_t)pe + 24 + opt, i;
	char name[8] = { 0 };

	memcpy(name, want, strlen(want));
	for (i = 0; i < nsec && sec + 40 * (i + 1) <= n; i++)
		if (!memcmp(p + sec + 40 * i, name, sizeof(name)))
			return true;
	return false;
}

enum handover_image handover_image_kind(const void *head, size_t n)
{
	const unsigned char *p = head;
	uint32_t pe;

	/* MZ, then the PE signature and COFF header at e_lfanew */
	if (n < 0x40 || p[0] != 'M' || p[1] != 'Z')
		return HANDOVER_OTHER;
	pe = le32(p + 0x3c);
	if ((uint64_t)pe + 24 > n || memcmp(p + pe, "PE\0\0", 4))
		return HANDOVER_OTHER;

	if (pe_has_section(p, n, pe, ".linux"))
		return HANDOVER_UKI;
	/* x86 boot protocol: the setup header's magic at 0x202 */
	if (n >= 0x206 && !memcmp(p + 0x202, "HdrS", 4))
		return HANDOVER_LINUX;
	/* arm64 and RISC-V Image headers: the magic at 0x38 */
	if (!memcmp(p + 0x38, "ARM\x64", 4) || !memcmp(p + 0x38, "RSC\x05", 4))
		return HANDOVER_LINUX;
	/* EFI zboot (a compressed arm64/RISC-V/LoongArch kernel) */
	if (!memcmp(p + 4, "zimg", 4))
		return HANDOVER_LINUX;
	return HANDOVER_OTHER;
}

static bool text_char(uint32_t c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f && (c < 0x80 || c >= 0xa0));
}

/* UCS-2 text: printable units (surrogates in pairs), then only NULs */
static bool is_ucs2(const unsigned char *p, size_t n)
{
	size_t i = 0, units = n / 2;
	bool ascii = false, end = false;
	uint32_t c;

	if (n % 2)
		return false;
	if (units && le16(p) == 0xfeff)
		i++;
	for (; i < units; i++) {
		c = le16(p + 2 * i);
		if (!c) {
			end = true;
			continue;
		}
		if (end)
			return false;
		if (c >= 0xd800 && c < 0xdc00 && i + 1 < units &&
		    le16(p + 2 * i + 2) >= 0xdc00 && le16(p + 2 * i + 2) < 0xe000) {
			i++;
			continue;
		}
		if ((c >= 0xd800 && c < 0xe000) || !text_char(c))
			return false;
		ascii |= c < 0x80;
	}
	return ascii;
}

/* UTF-8 text: valid sequences of printable characters, then only NULs */
static bool is_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0, len, k;
	uint32_t c;

	while (i < n && p[i]) {
		len = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 :
		      (p[i] & 0xf0) == 0xe0 ? 3 : (p[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || len > n - i)
			return false;
		c = len == 1 ? p[i] : p[i] & (0x7f >> len);
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if (!text_char(c) || (len > 1 && c < 0x80))
			return false;
		i += len;
	}
	for (; i < n; i++)
		if (p[i])
			return false;
	return true;
}

enum handover_opts handover_load_options(const void *opts, size_t n)
{
	const unsigned char *p = opts;
	size_t i;

	for (i = 0; i < n && !p[i]; i++)
		;
	if (i == n)
		return HANDOVER_OPTS_NONE;
	if (is_ucs2(p, n))
		return HANDOVER_OPTS_UCS2;
	if (is_utf8(p, n))
		return HANDOVER_OPTS_UTF8;
	return HANDOVER_OPTS_BINARY;
}

void handover_grubenv(struct mm_buf *out, const char *var, const char *value,
		      size_t len)
{
	size_t start = out->len, i;

	mm_buf_puts(out, HANDOVER_GRUBENV_SIG);
	mm_buf_puts(out, var);
	mm_buf_putc(out, '=');
	for (i = 0; i < len; i++) {
		if (value[i] == '\\' || value[i] == '\n')
			mm_buf_putc(out, '\\');
		mm_buf_putc(out, value[i]);
	}
	mm_buf_putc(out, '\n');
	while (!out->rc && (out->len - start) % HANDOVER_GRUBENV_STEP)
		mm_buf_putc(out, '#');
}

size_t handover_smbios_size(const void *rec, size_t max)
{
	const unsigned char *p = rec;
	size_t i;

	if (max < 4 || p[1] < 4 || p[1] > max)
		return 0;
	/* The strings end with a second NUL; none at all is two NULs */
	for (i = p[1]; i + 1 < max; i++)
		if (!p[i] && !p[i + 1])
			return i + 2;
	return 0;
}

const char *handover_smbios_string(const void *rec, size_t n,
				   const char *prefix)
{
	const char *p = rec;
	size_t plen = strlen(prefix), end = handover_smbios_size(rec, n), i;

	if (!end)
		return NULL;
	for (i = (unsigned char)p[1]; i + 1 < end && p[i]; i += strlen(p + i) + 1)
		if (!strncmp(p + i, prefix, plen))
			return p + i;
	return NULL;
}

/* Whether @s is one of the strings memmap.efi puts into a record */
static bool ours(const char *s)
{
	static const char *const keys[] = { HANDOVER_SD_BOOT_KEY,
		HANDOVER_SD_STUB_KEY, HANDOVER_SMBIOS_MARK };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strncmp(s, keys[i], strlen(keys[i])))
			return true;
	return false;
}

static void put_string(struct mm_buf *out, const char *key, const char *v,
		       size_t len, unsigned int *count)
{
	mm_buf_puts(out, key);
	mm_buf_putn(out, v, len);
	mm_buf_putc(out, '\0');
	(*count)++;
}

int handover_smbios(struct mm_buf *out, const void *old, size_t old_len,
		    const char *words, size_t len, bool stub)
{
	/* A new record: type, length, handle (little-endian), string count */
	static const char fresh[5] = { HANDOVER_SMBIOS_TYPE, 5,
		(char)(HANDOVER_SMBIOS_HANDLE_ANY & 0xff),
		(char)(HANDOVER_SMBIOS_HANDLE_ANY >> 8), 0 };
	const char *o = old ? old : fresh;
	size_t hdr = (unsigned char)o[1], start = out->len, first, i;
	unsigned int count = 0, kept = 0;

	for (i = 0; i < len; i++)
		if (!words[i])
			return -MM_EINVAL;
	if (old && (handover_smbios_size(old, old_len) != old_len ||
		    o[0] != HANDOVER_SMBIOS_TYPE || hdr < 5))
		return -MM_EINVAL;

	/* An earlier run's strings lead the record, up to the mark */
	first = hdr;
	for (i = hdr; old && i + 1 < old_len && o[i] && ours(o + i);
	     i += strlen(o + i) + 1)
		if (!strncmp(o + i, HANDOVER_SMBIOS_MARK, sizeof(HANDOVER_SMBIOS_MARK))) {
			first = i + strlen(o + i) + 1;
			break;
		}
	for (i = first; old && i + 1 < old_len && o[i]; i += strlen(o + i) + 1)
		kept++;
	if (kept + (stub ? 3 : 2) > 255)
		return -MM_ERANGE;

	mm_buf_putn(out, o, hdr);
	put_string(out, HANDOVER_SD_BOOT_KEY, words, len, &count);
	if (stub)
		put_string(out, HANDOVER_SD_STUB_KEY, words, len, &count);
	put_string(out, HANDOVER_SMBIOS_MARK, "", 0, &count);
	for (i = first; old && i + 1 < old_len && o[i]; i += strlen(o + i) + 1)
		put_string(out, o + i, "", 0, &count);
	mm_buf_putc(out, '\0');
	if (!out->rc)
		out->s[start + 4] = (char)count;
	return 0;
}
