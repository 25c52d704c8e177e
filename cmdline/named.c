/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The named-region registry.
 */
#include "named.h"

static const struct memmap_registry *memmap_current;

void memmap_registry_init(struct memmap_registry *reg, const struct mm_alloc *a)
{
	reg->r = NULL;
	reg->nr = reg->cap = 0;
	reg->alloc = a;
}

void memmap_registry_free(struct memmap_registry *reg)
{
	if (memmap_current == reg)
		memmap_current = NULL;
	mm_free(reg->alloc, reg->r);
	memmap_registry_init(reg, reg->alloc);
}

const struct memmap_region *
memmap_registry_find(const struct memmap_registry *reg, const char *name)
{
	size_t i;

	for (i = 0; reg && i < reg->nr; i++)
		if (!strcmp(reg->r[i].name, name))
			return &reg->r[i];
	return NULL;
}

int memmap_registry_add(struct memmap_registry *reg, const char *name,
			uint64_t start, uint64_t size)
{
	size_t n = strlen(name);
	int rc;

	if (!n || n > MEMMAP_NAME_MAX)
		return -MM_EINVAL;
	if (memmap_registry_find(reg, name))
		return -MM_EEXIST;
	rc = mm_grow(reg->alloc, &reg->r, &reg->cap, reg->nr + 1,
		     sizeof(*reg->r));
	if (rc)
		return rc;
	memcpy(reg->r[reg->nr].name, name, n + 1);
	reg->r[reg->nr].start = start;
	reg->r[reg->nr].size = size;
	reg->nr++;
	return 0;
}

void memmap_registry_use(const struct memmap_registry *reg)
{
	memmap_current = reg;
}

int memmap_named(const char *name, uint64_t *start, uint64_t *size)
{
	const struct memmap_region *r = memmap_registry_find(memmap_current, name);

	if (!r)
		return -MM_ENOENT;
	*start = r->start;
	*size = r->size;
	return 0;
}

void memmap_registry_format(struct mm_buf *b, const struct memmap_registry *reg)
{
	size_t i;

	for (i = 0; i < reg->nr; i++) {
		mm_buf_puts(b, reg->r[i].name);
		mm_buf_putc(b, ' ');
		mm_buf_hex(b, reg->r[i].start, 0);
		mm_buf_putc(b, ' ');
		mm_buf_hex(b, reg->r[i].size, 0);
		mm_buf_putc(b, '\n');
	}
}

/* "0x" and lowercase hex digits filling s[0..n) */
static int parse_hex_field(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n < 3 || n > 18 || s[0] != '0' || s[1] != 'x')
		return -MM_EINVAL;
	for (i = 2; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			x = x << 4 | (uint64_t)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			x = x << 4 | (uint64_t)(s[i] - 'a' + 10);
		else
			return -MM_EINVAL;
	}
	*v = x;
	return 0;
}

/* One line "NAME 0xSTART 0xSIZE" (no newline) into @r */
static int parse_region_line(const char *s, size_t n, struct memmap_region *r)
{
	size_t f[3][2], k = 0, i = 0;

	while (i < n && k < 3) {
		size_t j = i;

		while (j < n && s[j] != ' ')
			j++;
		f[k][0] = i;
		f[k][1] = j - i;
		k++;
		i = j + 1;
	}
	if (k != 3 || i < n || !f[0][1] || f[0][1] > MEMMAP_NAME_MAX ||
	    parse_hex_field(s + f[1][0], f[1][1], &r->start) ||
	    parse_hex_field(s + f[2][0], f[2][1], &r->size) ||
	    !r->size || r->size - 1 > UINT64_MAX - r->start)
		return -MM_EINVAL;
	for (i = 0; i < f[0][1]; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == ',' || s[i] == ':')
			return -MM_EINVAL;
	memcpy(r->name, s, f[0][1]);
	r->name[f[0][1]] = '\0';
	return 0;
}

int memmap_registry_parse(const char *s, size_t n, struct memmap_registry *reg)
{
	struct memmap_region r;
	size_t pos, len, before = reg->nr;
	int rc = 0;

	/* Validate every line first, so a bad one adds nothing */
	for (pos = 0; pos < n && !rc; pos += len + 1) {
		for (len = 0; pos + len < n && s[pos + len] != '\n'; len++)
			;
		if (pos + len == n)
			rc = -MM_EINVAL;	/* every line ends in a newline */
		else
			rc = parse_region_line(s + pos, len, &r);
	}
	for (pos = 0; pos < n && !rc; pos += len + 1) {
		for (len = 0; s[pos + len] != '\n'; len++)
			;
		parse_region_line(s + pos, len, &r);
		rc = memmap_registry_add(reg, r.name, r.start, r.size);
	}
	if (rc)
		reg->nr = before;
	return rc;
}

void memmap_region_print(struct mm_buf *b, const char *prefix,
			 const struct memmap_region *r)
{
	mm_buf_puts(b, prefix);
	mm_buf_puts(b, ": ");
	mm_buf_puts(b, r->name);
	mm_buf_puts(b, " [mem ");
	mm_buf_hex(b, r->start, 16);
	mm_buf_putc(b, '-');
	mm_buf_hex(b, r->start + r->size - 1, 16);
	mm_buf_puts(b, "]\n");
}
