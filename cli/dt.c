// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memmap dt: what Linux does with a device tree's reserved memory, and
 * memmap's regions written into a device tree.
 */
#include "cli.h"
#include "mapread.h"
#include "../cmdline/cmdline.h"
#include "../dt/resmem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char dt_usage[] =
"Usage: memmap dt [--linux 6.1|6.12] [--reserved START-END]... [FILE.dtb]\n"
"\n"
"Prints what Linux on arm64 prints about the device tree's reserved\n"
"memory while it boots (/memreserve/, /reserved-memory: static and\n"
"dynamic regions, no-map, shared-dma-pool pools), word for word and in\n"
"the kernel's order, and where it places each dynamic region.  Linux 6.1\n"
"prints no line for a region it reserved or placed without trouble;\n"
"memmap prints one anyway, in 6.12's format.\n"
"\n"
"Options:\n"
"  --linux V             6.1 (Debian 12) or 6.12 (Debian 13, the default)\n"
"  --reserved START-END  memory Linux holds before the scan (the kernel\n"
"                        image, the DTB, an initrd), inclusive, e.g.\n"
"                        0x40200000-0x426fffff; may be repeated\n"
"  -h, --help            this text\n"
"FILE.dtb defaults to /sys/firmware/fdt, this machine's device tree.\n"
"\n"
"Exit status: 0 every region reserved or placed, 3 Linux would fail,\n"
"drop or free a region or prints an error about one, 1 the DT cannot be\n"
"read, 2 a malformed DT or bad arguments.\n";

#define EXIT_FINDING 3

/* The whole file, or NULL with errno set */
static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* START-END, both memparse numbers, END inclusive */
static int parse_range(const char *s, struct dt_range *r)
{
	uint64_t start, last;
	const char *end;

	if (cmdline_memparse(s, &start, &end) || *end != '-' ||
	    cmdline_memparse(end + 1, &last, &end) || *end || last < start ||
	    (start == 0 && last == UINT64_MAX))
		return -1;
	r->base = start;
	r->size = last - start + 1;
	return 0;
}

static int need_arg(int argc, char **argv, int *i)
{
	if (*i + 1 < argc) {
		++*i;
		return 0;
	}
	cli_error(argv[*i], strlen(argv[*i]), "needs a value (see memmap dt --help)",
		  EXIT_BAD_INPUT);
	return -1;
}

int cli_dt(int argc, char **argv)
{
	const struct mm_alloc *a = &mapread_libc_alloc;
	const char *path = "/sys/firmware/fdt";
	enum dt_linux v = DT_LINUX_6_12;
	struct dt_range *held = NULL, *nh;
	size_t nheld = 0, len;
	struct dt_tree tree;
	struct dt_model model;
	struct dt_error derr;
	struct mm_buf out;
	bool have_file = false;
	void *blob = NULL;
	int i, rc, status = 0;

	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			fputs(dt_usage, stdout);
			free(held);
			return 0;
		} else if (!strcmp(o, "--linux")) {
			if (need_arg(argc, argv, &i))
				goto bad;
			if (!strcmp(argv[i], "6.1")) {
				v = DT_LINUX_6_1;
			} else if (!strcmp(argv[i], "6.12")) {
				v = DT_LINUX_6_12;
			} else {
				cli_error(argv[i], strlen(argv[i]),
					  "not a modelled kernel: 6.1 or 6.12", 0);
				goto bad;
			}
		} else if (!strcmp(o, "--reserved")) {
			if (need_arg(argc, argv, &i))
				goto bad;
			nh = realloc(held, (nheld + 1) * sizeof(*held));
			if (!nh) {
				free(held);
				return cli_error("memmap", 6, "out of memory", 1);
			}
			held = nh;
			if (parse_range(argv[i], &held[nheld++])) {
				cli_error(argv[i], strlen(argv[i]),
					  "not a range START-END (inclusive, START <= END)", 0);
				goto bad;
			}
		} else if (o[0] == '-' && o[1]) {
			cli_error(o, strlen(o), "unknown option (see memmap dt --help)", 0);
			goto bad;
		} else if (have_file) {
			cli_error(o, strlen(o), "only one FILE.dtb (see memmap dt --help)", 0);
			goto bad;
		} else {
			path = o;
			have_file = true;
		}
	}

	blob = slurp(path, &len);
	if (!blob) {
		status = cli_error(path, strlen(path), strerror(errno), 1);
		goto out;
	}
	rc = dt_read(&tree, blob, len, a, &derr);
	if (rc) {
		if (rc == -MM_EINVAL) {
			fprintf(stderr, "memmap: error: %s: %s: %s\n", path,
				derr.what, derr.why);
			status = EXIT_BAD_INPUT;
		} else {
			status = cli_error("memmap", 6, "out of memory", 1);
		}
		goto out;
	}
	mm_buf_init(&out, a);
	rc = dt_model_run(&model, &tree, v, held, nheld, a, &out);
	if (rc) {
		status = cli_error("memmap", 6, "out of memory", 1);
	} else {
		if (out.len)
			fwrite(out.s, 1, out.len, stdout);
		status = model.findings ? EXIT_FINDING : 0;
		if (fflush(stdout))
			status = 1;
	}
	mm_buf_free(&out);
	dt_model_free(&model);
	dt_tree_free(&tree);
out:
	free(blob);
	free(held);
	return status;
bad:
	free(held);
	return EXIT_BAD_INPUT;
}
