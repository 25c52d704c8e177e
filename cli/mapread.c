/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Firmware map readers for the Linux front end.
 */
#define _DEFAULT_SOURCE
#include "mapread.h"
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static void *libc_realloc(void *ctx, void *ptr, size_t size)
{
	(void)ctx;
	if (!size) {
		free(ptr);
		return NULL;
	}
	return realloc(ptr, size);
}

const struct mm_alloc mapread_libc_alloc = { libc_realloc, NULL };

static int set_err(struct mapread_error *err, const char *where, size_t n,
		   const char *why, int rc)
{
	if (n >= sizeof(err->where))
		n = sizeof(err->where) - 4;
	memcpy(err->where, where, n);
	err->where[n] = '\0';
	if (n < strlen(where))
		strcat(err->where, "...");
	err->why = why;
	return rc;
}

/* /sys/firmware/memmap type strings (e820_type_to_string in Linux) */
static const struct {
	const char *name;
	uint32_t type;
} sysfs_types[] = {
	{ "System RAM", E820_TYPE_RAM },
	{ "Reserved", E820_TYPE_RESERVED },
	{ "ACPI Tables", E820_TYPE_ACPI },
	{ "ACPI Non-volatile Storage", E820_TYPE_NVS },
	{ "Unusable memory", E820_TYPE_UNUSABLE },
	{ "Persistent Memory (legacy)", E820_TYPE_PRAM },
	{ "Persistent Memory", E820_TYPE_PMEM },
	{ "Soft Reserved", E820_TYPE_SOFT_RESERVED },
};

/* Read a small sysfs attribute, newline stripped */
static int read_attr(const char *dir, const char *name, char *buf, size_t n)
{
	char path[4096];
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -MM_ENOENT;
	len = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = '\0';
	return 0;
}

static int parse_hex_all(const char *s, uint64_t *v)
{
	char *end;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -MM_EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 16);
	return (errno || *end || end == s + 2) ? -MM_EINVAL : 0;
}

static int read_sysfs(const char *path, struct e820_table *t,
		      struct mapread_error *err)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return set_err(err, path, strlen(path), strerror(errno),
			       -MM_ENOENT);
	while (!rc && (de = readdir(d))) {
		char dir[4096], start_s[64], end_s[64], type_s[128];
		uint64_t start, end;
		size_t i;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", path, de->d_name);
		if (read_attr(dir, "start", start_s, sizeof(start_s)) ||
		    read_attr(dir, "end", end_s, sizeof(end_s)) ||
		    read_attr(dir, "type", type_s, sizeof(type_s))) {
			rc = set_err(err, dir, strlen(dir),
				     "cannot read start, end and type", -MM_EINVAL);
			break;
		}
		if (parse_hex_all(start_s, &start) || parse_hex_all(end_s, &end) ||
		    end < start || end == UINT64_MAX) {
			rc = set_err(err, dir, strlen(dir),
				     "start and end are not a valid hex range", -MM_EINVAL);
			break;
		}
		for (i = 0; i < sizeof(sysfs_types) / sizeof(sysfs_types[0]); i++)
			if (!strcmp(type_s, sysfs_types[i].name))
				break;
		if (i == sizeof(sysfs_types) / sizeof(sysfs_types[0])) {
			rc = set_err(err, dir, strlen(dir), "unknown type",
				     -MM_EINVAL);
			break;
		}
		rc = e820_range_add(t, start, end - start + 1, sysfs_types[i].type);
	}
	closedir(d);
	if (!rc && !t->nr)
		rc = set_err(err, path, strlen(path), "no map entries",
			     -MM_EINVAL);
	return rc;
}

/* Offset of @needle in s[0..n), or n */
static size_t find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; k <= n && i + k <= n; i++)
		if (!memcmp(s + i, needle, k))
			return i;
	return n;
}

static int hex_at(const char *s, size_t n, size_t *pos, uint64_t *v)
{
	uint64_t x = 0;
	size_t i = *pos;

	if (i + 2 >= n || s[i] != '0' || s[i + 1] != 'x')
		return -MM_EINVAL;
	for (i += 2; i < n; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			break;
		if (x >> 60)
			return -MM_EINVAL;
		x = x << 4 | d;
	}
	if (i == *pos + 2)
		return -MM_EINVAL;
	*pos = i;
	*v = x;
	return 0;
}

/* "BIOS-e820: [mem 0xA-0xB] TYPE" anywhere in the line */
static int parse_bios_line(const char *s, size_t n, struct e820_table *t)
{
	static const char tag[] = "BIOS-e820: [mem ";
	size_t p = find(s, n, tag);
	uint64_t start, end;
	uint32_t type;

	if (p == n)
		return -MM_ENOENT;
	p += sizeof(tag) - 1;
	if (hex_at(s, n, &p, &start) || p >= n || s[p++] != '-' ||
	    hex_at(s, n, &p, &end) || n - p < 2 || s[p] != ']' ||
	    s[p + 1] != ' ' || end < start || end == UINT64_MAX)
		return -MM_EINVAL;
	p += 2;
	while (n > p && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (e820_type_parse(s + p, n - p, &type))
		return -MM_EINVAL;
	return e820_range_add(t, start, end - start + 1, type);
}

int mapread_log(const char *text, size_t n, bool soft_reserve,
		struct e820_table *t, struct e820_table *attrs,
		struct mapread_error *err)
{
	struct efimap_desc *descs = NULL, d;
	size_t ndesc = 0, cap = 0, pos, len;
	int rc = 0;

	t->nr = 0;
	if (attrs)
		attrs->nr = 0;

	/* BIOS-e820 lines when there are any */
	for (pos = 0; pos < n && !rc; pos += len + 1) {
		len = find(text + pos, n - pos, "\n");
		rc = parse_bios_line(text + pos, len, t);
		if (rc == -MM_ENOENT)
			rc = 0;
		else if (rc == -MM_EINVAL)
			return set_err(err, text + pos, len,
				       "malformed BIOS-e820 line", rc);
	}
	if (rc)
		return rc;
	if (t->nr)
		return e820_sanitize(t);

	/*
	 * Else the EFI map the kernel printed with efi=debug: the first
	 * listing only; a later one (from mem00 again) is the map after
	 * SetVirtualAddressMap, not the one the stub converted.
	 */
	for (pos = 0; pos < n && !rc; pos += len + 1) {
		len = find(text + pos, n - pos, "\n");
		if (find(text + pos, len, "efi: mem") == len)
			continue;
		if (ndesc && find(text + pos, len, "efi: mem00:") < len)
			break;
		rc = efimap_parse_line(text + pos, len, &d);
		if (rc)
			return set_err(err, text + pos, len,
				       "malformed efi: memNN line", -MM_EINVAL);
		rc = mm_grow(&mapread_libc_alloc, &descs, &cap, ndesc + 1,
			     sizeof(*descs));
		if (!rc)
			descs[ndesc++] = d;
	}
	if (!rc && !ndesc)
		rc = -MM_ENOENT;
	if (!rc) {
		rc = efimap_to_e820(t, attrs, descs, ndesc, soft_reserve);
		if (rc == -MM_ERANGE)
			rc = set_err(err, "efi: memNN lines", 16,
				     "a range wraps past 2^64", -MM_EINVAL);
	}
	free(descs);
	return rc;
}

int mapread_path(const char *path, bool soft_reserve, struct e820_table *t,
		 struct e820_table *attrs, struct mapread_error *err)
{
	struct stat st;
	unsigned char *text;
	size_t n;
	int rc;

	if (stat(path, &st))
		return set_err(err, path, strlen(path), strerror(errno),
			       -MM_ENOENT);
	if (S_ISDIR(st.st_mode)) {
		t->nr = 0;
		rc = read_sysfs(path, t, err);
		if (!rc)
			rc = e820_sanitize(t);
		if (rc == -MM_ERANGE)
			rc = set_err(err, path, strlen(path),
				     "a range wraps past 2^64", -MM_EINVAL);
		return rc;
	}

	rc = cli_slurp(path, SIZE_MAX, &text, &n);
	if (rc)
		return set_err(err, path, strlen(path), strerror(-rc),
			       rc == -ENOMEM ? -MM_ENOMEM : -MM_ENOENT);
	rc = mapread_log((const char *)text, n, soft_reserve, t, attrs, err);
	free(text);
	if (rc == -MM_ENOENT)
		rc = set_err(err, path, strlen(path),
			     "no BIOS-e820: or efi: memNN: lines (boot with efi=debug for the latter)",
			     -MM_EINVAL);
	return rc;
}
