/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install and uninstall: option values, --root, and the kernel
 * words checked before they go to memmap.conf.
 */
#define _DEFAULT_SOURCE
#include "cli.h"
#include "install_priv.h"
#include "mapread.h"
#include "../cmdline/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int install_opt_value(int argc, char **argv, int *i, const char *name,
		      const char **val)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (strcmp(argv[*i], name))
		return 0;
	if (*i + 1 == argc) {
		install_fail(EXIT_BAD_INPUT, name, "needs a value (see memmap %s --help)",
			     argv[0]);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

int install_shim_value(int argc, char **argv, int *i, const char **val)
{
	if (!strncmp(argv[*i], "--shim=", 7))
		*val = argv[*i] + 7;
	else if (strcmp(argv[*i], "--shim"))
		return 0;
	else if (*i + 1 < argc && argv[*i + 1][0] != '-')
		*val = argv[++*i];
	else
		*val = "";
	if (!**val) {
		install_fail(EXIT_BAD_INPUT, "--shim", "needs shim's FILE, e.g. "
			     "--shim " SHIM_DEFAULT " (Debian's shim-signed)");
		return -1;
	}
	return 1;
}

int install_check_word(const char *w, bool first)
{
	const char *p;

	for (p = w; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			/* Named with its control characters as \xNN: one line */
			char *e = malloc(4 * strlen(w) + 1), *o = e;
			int status;

			if (!e)
				return install_fail(1, "memmap", "out of memory");
			for (p = w; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					o += sprintf(o, "\\x%02x", (unsigned char)*p);
				else
					*o++ = *p;
			*o = '\0';
			status = install_fail(EXIT_BAD_INPUT, e, "has a control character, "
					      "which memmap.conf cannot hold");
			free(e);
			return status;
		}
	}
	if (strstr(w, "--"))
		return install_fail(EXIT_BAD_INPUT, w, "has --, which would end "
				    "memmap.efi's words (install writes -- LOADER "
				    "itself; see --loader)");
	if (first && *w == '#')
		return install_fail(EXIT_BAD_INPUT, w, "starts with #: memmap.conf "
				    "would read the line as a comment");
	return 0;
}

int install_check_words(const char *line, size_t len)
{
	struct cmdline_plan plan;
	struct cmdline_error cerr;
	size_t quotes = 0, i, start = 0;
	int rc;

	rc = cmdline_parse(line, len, &mapread_libc_alloc, &plan, &cerr);
	if (rc == -MM_EINVAL)
		return cli_error(cerr.word, cerr.word_len, cerr.reason, EXIT_BAD_INPUT);
	if (rc)
		return install_fail(1, "memmap", "out of memory");
	cmdline_plan_free(&plan);
	/* An open quote would swallow "-- LOADER" in memmap.efi */
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] == '"')
			quotes++;
		if (i < len && line[i] != ' ')
			continue;
		if (quotes % 2)
			return cli_error(line + start, i - start,
					 "unbalanced double quote", EXIT_BAD_INPUT);
		start = i + 1;
	}
	return 0;
}

int install_common_opt(struct inst *in, int argc, char **argv, int *i)
{
	int rc;

	if (!strcmp(argv[*i], "--dry-run")) {
		in->dry_run = true;
		return 1;
	}
	rc = install_opt_value(argc, argv, i, "--esp", &in->esp_opt);
	if (!rc)
		rc = install_opt_value(argc, argv, i, "--efivars", &in->efivars_opt);
	if (!rc)
		rc = install_opt_value(argc, argv, i, "--root", &in->root);
	return rc;
}

int install_check_root(struct inst *in, char *root)
{
	size_t n;

	if (*in->root) {
		n = strlen(in->root);
		if (n >= PATH_MAX)
			return install_fail(EXIT_BAD_INPUT, "--root", "path too long");
		memcpy(root, in->root, n + 1);
		while (n > 1 && root[n - 1] == '/')
			root[--n] = '\0';
		if (!strcmp(root, "/"))
			root[0] = '\0';
		else if (!install_is_dir(root))
			return install_fail(EXIT_BAD_INPUT, in->root, "not a directory");
		in->root = root;
		return 0;
	}
	if (geteuid() && !in->dry_run)
		return install_fail(1, in->cmd,
				    "must be run as root (--dry-run shows the steps)");
	return 0;
}
