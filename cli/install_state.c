/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * install.state, in ESP/EFI/memmap/: the boot setup before memmap
 * install (BootOrder, GRUB's hook, memmap's entry), for memmap uninstall.
 */
#define _DEFAULT_SOURCE
#include "install_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void install_read_state(const struct inst *in, struct state *st)
{
	unsigned char *text;
	char *line, *save = NULL;
	size_t n;

	memset(st, 0, sizeof(*st));
	st->grub = -1;
	if (cli_slurp(in->state, FILE_MAX, &text, &n))
		return;
	st->found = true;
	for (line = strtok_r((char *)text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long v;

		if (!strncmp(line, "bootorder ", 10)) {
			const char *p = line + 10;

			free(st->order);
			st->order = NULL;
			st->norder = 0;
			st->has_order = false;
			if (!strcmp(p, "none")) {
				st->has_order = true;
				continue;
			}
			st->order = malloc((strlen(p) / 5 + 1) * sizeof(*st->order));
			if (!st->order)
				continue;
			/* XXXX[,XXXX]...: four hex digits each */
			for (;;) {
				if (strspn(p, "0123456789abcdefABCDEF") != 4 ||
				    (p[4] && p[4] != ','))
					break;
				st->order[st->norder++] = (uint16_t)strtoul(p, NULL, 16);
				if (!p[4]) {
					st->has_order = true;
					break;
				}
				p += 5;
			}
			if (!st->has_order)
				st->norder = 0;
		} else if (!strncmp(line, "entry ", 6)) {
			v = strtoul(line + 6, &end, 16);
			if (strlen(line + 6) == 4 && !*end && v <= 0xffff) {
				st->has_entry = true;
				st->entry = (uint16_t)v;
			}
		} else if (!strncmp(line, "grub ", 5)) {
			st->grub = !strcmp(line + 5, "1") ? 1 :
				   !strcmp(line + 5, "0") ? 0 : -1;
		}
	}
	free(text);
}

char *install_state_text(const char *order, bool grub, bool has_entry,
			 uint16_t entry)
{
	size_t cap = strlen(order) + 128;
	char *s = malloc(cap), line[16] = "";

	if (!s)
		return NULL;
	if (has_entry)
		snprintf(line, sizeof(line), "entry %04X\n", entry);
	snprintf(s, cap, "# memmap install: the boot setup before it, for "
		 "memmap uninstall\nbootorder %s\ngrub %d\n%s", order, grub, line);
	return s;
}
