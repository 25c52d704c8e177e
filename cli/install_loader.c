/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install: LOADER, the image memmap.efi starts, from --loader or
 * from the entry this system booted (BootCurrent), through memmap.conf
 * when that entry is memmap's own.
 */
#define _DEFAULT_SOURCE
#include "efivar.h"
#include "install_priv.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool install_same_efi_path(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '/' ? '\\' : *a, y = *b == '/' ? '\\' : *b;

		if (tolower((unsigned char)x) != tolower((unsigned char)y))
			return false;
	}
	return !*a && !*b;
}

const char *install_norm_loader(const char *loader, char *out)
{
	const char *p;
	size_t o = 0;

	if (*loader != '/' && *loader != '\\')
		return "not a path from the ESP's root (\\EFI\\... or /EFI/...)";
	for (p = loader; *p; p++) {
		char c = *p == '/' ? '\\' : *p;

		if ((unsigned char)c < 0x20 || c == 0x7f || c == ' ' || c == '"')
			return "has a space, a quote or a control character, "
			       "which memmap.conf cannot hold";
		if (c == '\\' && o && out[o - 1] == '\\')
			continue;
		if (o + 1 >= PATH_MAX)
			return "too long";
		out[o++] = c;
	}
	out[o] = '\0';
	if (o < 2 || out[o - 1] == '\\')
		return "names a directory, not an EFI image";
	if (install_same_efi_path(out, EFI_LOADER))
		return "is memmap.efi itself";
	if (install_same_efi_path(out, EFI_SHIM))
		return "is memmap's copy of shim, which starts memmap.efi";
	return NULL;
}

/* The -- PATH of an existing memmap.conf, in @out: 0; 1 when it names
 * none; a negative errno when it cannot be read */
static int conf_loader(const char *conf, char *out)
{
	unsigned char *text;
	char *line, *save = NULL;
	bool found = false;
	size_t n;
	int rc;

	rc = cli_slurp(conf, FILE_MAX, &text, &n);
	if (rc)
		return rc;
	for (line = strtok_r((char *)text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char *w, *wsave = NULL;

		line += strspn(line, " \t\r");
		if (*line == '#')
			continue;
		for (w = strtok_r(line, " \t\r", &wsave); w;
		     w = strtok_r(NULL, " \t\r", &wsave)) {
			if (strcmp(w, "--"))
				continue;
			w = strtok_r(NULL, " \t\r", &wsave);
			found = w && !install_norm_loader(w, out);
			break;
		}
	}
	free(text);
	return found ? 0 : 1;
}

int install_current_loader(const struct inst *in, char *loader)
{
	struct efivar_load_option lo;
	char name[64], path[PATH_MAX];
	unsigned char *data;
	const char *why;
	uint16_t *cur;
	size_t n, len;
	bool present;
	int rc;

	rc = install_read_u16_var(in, "BootCurrent", &cur, &n, &present);
	if (rc)
		return rc;
	if (!present)
		return install_fail(1, "BootCurrent", "not in %s: cannot tell which loader "
				    "booted this system (give --loader PATH)", in->efivars);
	if (n != 1) {
		free(cur);
		return install_fail(1, "BootCurrent", "malformed: %zu bytes, not 2", 2 * n);
	}
	install_boot_var(name, cur[0]);
	free(cur);
	if (!install_cat3(path, in->efivars, "/", name))
		return install_fail(1, in->efivars, "path too long");
	rc = efivar_read(in->efivars, name, &data, &len);
	if (rc == -EINVAL)
		return install_fail(1, path, "malformed: shorter than its attributes");
	if (rc)
		return install_fail(1, path, "BootCurrent's entry: %s", strerror(-rc));
	rc = efivar_load_option_parse(data, len, &lo, &why);
	free(data);
	if (rc == -EINVAL)
		return install_fail(1, path, "malformed: %s", why);
	if (rc)
		return install_fail(1, "memmap", "out of memory");
	if (!lo.path) {
		rc = install_fail(1, path, "BootCurrent's entry (%s) starts no file "
				  "(give --loader PATH)", lo.description);
		efivar_load_option_free(&lo);
		return rc;
	}

	if (install_same_efi_path(lo.path, EFI_LOADER) ||
	    install_same_efi_path(lo.path, EFI_SHIM)) {
		/* Booted through memmap.efi: its memmap.conf names the loader */
		const char *how = install_same_efi_path(lo.path, EFI_SHIM) ?
				  " through shim" : "";

		efivar_load_option_free(&lo);
		rc = conf_loader(in->conf, loader);
		if (rc)
			return install_fail(1, in->conf, "this system booted "
					    "memmap.efi%s (%.8s), and %s (give --loader "
					    "PATH)", how, name, rc > 0 ?
					    "this file names no -- LOADER" : strerror(-rc));
		install_step(in, "loader %s, from %s: this system booted memmap.efi%s (%.8s)",
			     loader, in->conf, how, name);
		return 0;
	}
	why = install_norm_loader(lo.path, loader);
	if (why) {
		rc = install_fail(1, path, "its file path %s %s (give --loader PATH)",
				  lo.path, why);
		efivar_load_option_free(&lo);
		return rc;
	}
	install_step(in, "loader %s, from %.8s (%s), the entry this system booted",
		     loader, name, lo.description);
	efivar_load_option_free(&lo);
	return 0;
}
