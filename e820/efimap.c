/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UEFI memory map -> e820, as Linux's EFI stub builds it.
 */
#include "efimap.h"

/* The stub's type table; 0 means "not passed to the kernel" */
static uint32_t efimap_e820_type(const struct efimap_desc *d,
				 bool soft_reserve)
{
	switch (d->type) {
	case EFI_RESERVED_TYPE:
	case EFI_RUNTIME_SERVICES_CODE:
	case EFI_RUNTIME_SERVICES_DATA:
	case EFI_MEMORY_MAPPED_IO:
	case EFI_MEMORY_MAPPED_IO_PORT_SPACE:
	case EFI_PAL_CODE:
		return E820_TYPE_RESERVED;
	case EFI_UNUSABLE_MEMORY:
		return E820_TYPE_UNUSABLE;
	case EFI_ACPI_RECLAIM_MEMORY:
		return E820_TYPE_ACPI;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		if (soft_reserve && (d->attribute & EFIMAP_MEMORY_SP))
			return E820_TYPE_SOFT_RESERVED;
		return E820_TYPE_RAM;
	case EFI_ACPI_MEMORY_NVS:
		return E820_TYPE_NVS;
	case EFI_PERSISTENT_MEMORY:
		return E820_TYPE_PMEM;
	default:
		return 0;
	}
}

static uint32_t efimap_attr_flags(uint64_t attribute)
{
	uint32_t f = 0;

	if (attribute & EFIMAP_MEMORY_MORE_RELIABLE)
		f |= E820_ATTR_MIRROR;
	if (attribute & EFIMAP_MEMORY_SP)
		f |= E820_ATTR_DRIVER_MANAGED;
	if (attribute & EFIMAP_MEMORY_HOT_PLUGGABLE)
		f |= E820_ATTR_HOTPLUG;
	return f;
}

/* Append [addr, addr+size) to @t, merging into the last entry when it
 * is of the same type and ends at @addr */
static int append_merged(struct e820_table *t, uint64_t addr, uint64_t size,
			 uint32_t type)
{
	struct e820_entry *prev = t->nr ? &t->entries[t->nr - 1] : NULL;

	if (prev && prev->type == type && prev->addr + prev->size == addr) {
		prev->size += size;
		return 0;
	}
	return e820_range_add(t, addr, size, type);
}

int efimap_to_e820(struct e820_table *t, struct e820_table *attrs,
		   const struct efimap_desc *d, size_t n, bool soft_reserve)
{
	size_t i;
	int rc;

	t->nr = 0;
	if (attrs)
		attrs->nr = 0;
	for (i = 0; i < n; i++) {
		uint64_t size = d[i].num_pages << EFIMAP_PAGE_SHIFT;
		uint32_t type = efimap_e820_type(&d[i], soft_reserve);
		uint32_t flags = efimap_attr_flags(d[i].attribute);

		if (d[i].num_pages >> (64 - EFIMAP_PAGE_SHIFT) ||
		    size > UINT64_MAX - d[i].phys_addr)
			return -MM_ERANGE;
		if (attrs && flags) {
			rc = append_merged(attrs, d[i].phys_addr, size, flags);
			if (rc)
				return rc;
		}
		if (!type)
			continue;
		rc = append_merged(t, d[i].phys_addr, size, type);
		if (rc)
			return rc;
	}
	return e820_sanitize(t);
}

/* Linux's memory_type_name[], 12 characters wide */
static const char *const efimap_type_names[] = {
	"Reserved", "Loader Code", "Loader Data", "Boot Code", "Boot Data",
	"Runtime Code", "Runtime Data", "Conventional", "Unusable",
	"ACPI Reclaim", "ACPI Mem NVS", "MMIO", "MMIO Port", "PAL Code",
	"Persistent",
};
#define EFIMAP_NTYPES (sizeof(efimap_type_names) / sizeof(efimap_type_names[0]))

/* The attribute columns as efi_md_typeattr_format() prints them (with
 * the HP column that Debian's 6.1 carries) */
static const struct {
	uint64_t bit;
	const char *name;
	unsigned int width;
} efimap_attr_cols[] = {
	{ EFIMAP_MEMORY_RUNTIME, "RUN", 3 },
	{ EFIMAP_MEMORY_HOT_PLUGGABLE, "HP", 2 },
	{ EFIMAP_MEMORY_MORE_RELIABLE, "MR", 2 },
	{ EFIMAP_MEMORY_CPU_CRYPTO, "CC", 2 },
	{ EFIMAP_MEMORY_SP, "SP", 2 },
	{ EFIMAP_MEMORY_NV, "NV", 2 },
	{ EFIMAP_MEMORY_XP, "XP", 2 },
	{ EFIMAP_MEMORY_RP, "RP", 2 },
	{ EFIMAP_MEMORY_WP, "WP", 2 },
	{ EFIMAP_MEMORY_RO, "RO", 2 },
	{ EFIMAP_MEMORY_UCE, "UCE", 3 },
	{ EFIMAP_MEMORY_WB, "WB", 2 },
	{ EFIMAP_MEMORY_WT, "WT", 2 },
	{ EFIMAP_MEMORY_WC, "WC", 2 },
	{ EFIMAP_MEMORY_UC, "UC", 2 },
};
#define EFIMAP_NCOLS (sizeof(efimap_attr_cols) / sizeof(efimap_attr_cols[0]))

static uint64_t efimap_known_attrs(void)
{
	uint64_t m = 0;
	size_t i;

	for (i = 0; i < EFIMAP_NCOLS; i++)
		m |= efimap_attr_cols[i].bit;
	return m;
}

static void pad_to(struct mm_buf *b, size_t used, size_t width)
{
	while (used++ < width)
		mm_buf_putc(b, ' ');
}

void efimap_print_desc(struct mm_buf *b, size_t i, const struct efimap_desc *d)
{
	size_t c;

	mm_buf_puts(b, "efi: mem");
	if (i < 10)
		mm_buf_putc(b, '0');
	mm_buf_dec(b, i);
	mm_buf_puts(b, ": [");
	if (d->type < EFIMAP_NTYPES) {
		mm_buf_puts(b, efimap_type_names[d->type]);
		pad_to(b, strlen(efimap_type_names[d->type]), 12);
	} else {
		mm_buf_puts(b, "type=");
		mm_buf_dec(b, d->type);
	}
	if (d->attribute & ~efimap_known_attrs()) {
		mm_buf_puts(b, "|attr=");
		mm_buf_hex(b, d->attribute, 16);
	} else {
		for (c = 0; c < EFIMAP_NCOLS; c++) {
			const char *s = (d->attribute & efimap_attr_cols[c].bit) ?
					efimap_attr_cols[c].name : "";

			mm_buf_putc(b, '|');
			pad_to(b, strlen(s), efimap_attr_cols[c].width);
			mm_buf_puts(b, s);
		}
	}
	mm_buf_puts(b, "] range=[");
	mm_buf_hex(b, d->phys_addr, 16);
	mm_buf_putc(b, '-');
	mm_buf_hex(b, d->phys_addr + (d->num_pages << EFIMAP_PAGE_SHIFT) - 1, 16);
	mm_buf_puts(b, "] (");
	mm_buf_dec(b, d->num_pages >> (20 - EFIMAP_PAGE_SHIFT));
	mm_buf_puts(b, "MB)\n");
}

/* Find @needle in s[0..n); return its offset or n */
static size_t find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (!memcmp(s + i, needle, k))
			return i;
	return n;
}

/* Hex number "0x..." at s[0..n); *used gets its length */
static int parse_hex(const char *s, size_t n, uint64_t *v, size_t *used)
{
	size_t i;
	uint64_t x = 0;

	if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -MM_EINVAL;
	for (i = 2; i < n; i++) {
		char c = s[i];
		unsigned int dgt;

		if (c >= '0' && c <= '9')
			dgt = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			dgt = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			dgt = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (x >> 60)
			return -MM_ERANGE;
		x = x << 4 | dgt;
	}
	if (i == 2)
		return -MM_EINVAL;
	*v = x;
	*used = i;
	return 0;
}

static void trim(const char **s, size_t *n)
{
	while (*n && **s == ' ') {
		(*s)++;
		(*n)--;
	}
	while (*n && (*s)[*n - 1] == ' ')
		(*n)--;
}

/* One "|"-separated field of the bracket: the type or an attribute */
static int parse_field(const char *s, size_t n, bool first,
		       struct efimap_desc *d)
{
	size_t i, used;
	uint64_t v;

	trim(&s, &n);
	if (first) {
		for (i = 0; i < EFIMAP_NTYPES; i++) {
			if (strlen(efimap_type_names[i]) == n &&
			    !memcmp(s, efimap_type_names[i], n)) {
				d->type = (uint32_t)i;
				return 0;
			}
		}
		if (n > 5 && !memcmp(s, "type=", 5)) {
			for (v = 0, i = 5; i < n; i++) {
				if (s[i] < '0' || s[i] > '9' || v > UINT32_MAX / 10)
					return -MM_EINVAL;
				v = v * 10 + (uint64_t)(s[i] - '0');
			}
			if (v > UINT32_MAX)
				return -MM_EINVAL;
			d->type = (uint32_t)v;
			return 0;
		}
		return -MM_EINVAL;
	}
	if (!n)
		return 0;
	if (n > 5 && !memcmp(s, "attr=", 5)) {
		if (parse_hex(s + 5, n - 5, &v, &used) || used != n - 5)
			return -MM_EINVAL;
		d->attribute = v;
		return 0;
	}
	for (i = 0; i < EFIMAP_NCOLS; i++) {
		if (strlen(efimap_attr_cols[i].name) == n &&
		    !memcmp(s, efimap_attr_cols[i].name, n)) {
			d->attribute |= efimap_attr_cols[i].bit;
			return 0;
		}
	}
	return -MM_EINVAL;
}

int efimap_parse_line(const char *s, size_t n, struct efimap_desc *d)
{
	size_t p = find(s, n, "mem"), q, f, used;
	uint64_t start, end;
	bool first = true;

	/* "memNN: [" */
	while (p < n) {
		q = p + 3;
		while (q < n && s[q] >= '0' && s[q] <= '9')
			q++;
		if (q > p + 3 && n - q >= 3 && !memcmp(s + q, ": [", 3))
			break;
		p += 3 + find(s + p + 3, n - p - 3, "mem");
	}
	if (p >= n)
		return -MM_ENOENT;
	s += q + 3;
	n -= q + 3;

	/* "TYPE|ATTR|...]" */
	q = find(s, n, "]");
	if (q == n)
		return -MM_EINVAL;
	memset(d, 0, sizeof(*d));
	for (p = 0; p <= q; p = f + 1) {
		f = p + find(s + p, q - p, "|");
		if (parse_field(s + p, f - p, first, d))
			return -MM_EINVAL;
		first = false;
	}

	/* " range=[0xSTART-0xEND]" */
	s += q + 1;
	n -= q + 1;
	if (n < 8 || memcmp(s, " range=[", 8))
		return -MM_EINVAL;
	s += 8;
	n -= 8;
	if (parse_hex(s, n, &start, &used) || used >= n || s[used] != '-')
		return -MM_EINVAL;
	s += used + 1;
	n -= used + 1;
	if (parse_hex(s, n, &end, &used) || used >= n || s[used] != ']')
		return -MM_EINVAL;
	if (end < start || end == UINT64_MAX ||
	    (start & ((1u << EFIMAP_PAGE_SHIFT) - 1)) ||
	    ((end - start + 1) & ((1u << EFIMAP_PAGE_SHIFT) - 1)))
		return -MM_EINVAL;
	d->phys_addr = start;
	d->num_pages = (end - start + 1) >> EFIMAP_PAGE_SHIFT;
	return 0;
}

int efimap_free_pieces(const struct efimap_desc *d, size_t n, uint64_t start,
		       uint64_t size, struct e820_table *pieces)
{
	uint64_t at = start, end = start + size, ds, de;
	size_t i;
	int rc;

	pieces->nr = 0;
	if (!size || end < start)
		return -MM_ENOENT;
	/* The descriptor holding @at, each time: a map need not be sorted */
	while (at < end) {
		for (i = 0; i < n; i++) {
			if (d[i].type != EFI_CONVENTIONAL_MEMORY ||
			    d[i].num_pages > (UINT64_MAX >> EFIMAP_PAGE_SHIFT))
				continue;
			ds = d[i].phys_addr;
			de = ds + (d[i].num_pages << EFIMAP_PAGE_SHIFT);
			if (de > ds && ds <= at && at < de)
				break;
		}
		if (i == n)
			return -MM_ENOENT;
		rc = e820_range_add(pieces, at, (de < end ? de : end) - at,
				    E820_TYPE_RAM);
		if (rc)
			return rc;
		at = de < end ? de : end;
	}
	return 0;
}
