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

int handover_smbios(struct mm_buf *out, const char *words, size_t len,
		    bool stub)
{
	/* type, length, handle (little-endian), then the string count */
	static const char hdr[5] = { HANDOVER_SMBIOS_TYPE, 5,
				     (char)(HANDOVER_SMBIOS_HANDLE_ANY & 0xff),
				     (char)(HANDOVER_SMBIOS_HANDLE_ANY >> 8), 0 };
	size_t count_at = out->len + 4, i;

	for (i = 0; i < len; i++)
		if (!words[i])
			return -MM_EINVAL;
	mm_buf_putn(out, hdr, sizeof(hdr));
	mm_buf_puts(out, HANDOVER_SD_BOOT_KEY);
	mm_buf_putn(out, words, len);
	mm_buf_putc(out, '\0');
	if (stub) {
		mm_buf_puts(out, HANDOVER_SD_STUB_KEY);
		mm_buf_putn(out, words, len);
		mm_buf_putc(out, '\0');
	}
	mm_buf_puts(out, HANDOVER_SMBIOS_MARK);
	mm_buf_putc(out, '\0');
	mm_buf_putc(out, '\0');
	if (!out->rc)
		out->s[count_at] = stub ? 3 : 2;
	return 0;
}

const char *handover_smbios_string(const void *rec, size_t n,
				   const char *prefix)
{
	const char *p = rec, *s;
	size_t plen = strlen(prefix), i;

	if (n < 5 || p[0] != HANDOVER_SMBIOS_TYPE || (unsigned char)p[1] < 4 ||
	    (unsigned char)p[1] > n)
		return NULL;
	/* An empty string area is two NULs; else NUL-terminated strings
	 * and one more NUL */
	for (i = (unsigned char)p[1]; i < n && p[i]; ) {
		s = p + i;
		while (i < n && p[i])
			i++;
		if (i == n)
			return NULL;
		if ((size_t)(p + i - s) >= plen && !memcmp(s, prefix, plen))
			return s;
		i++;
	}
	return NULL;
}
