// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memmap dt: what Linux does with a device tree's reserved memory, and
 * memmap's regions written into a device tree.
 */
#include "cli.h"
#include "mapread.h"
#include "../cmdline/cmdline.h"
#include "../dt/apply.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char dt_usage[] =
"Usage: memmap dt [--linux 6.1|6.12] [--reserved START-END]...\n"
"                 [--apply 'WORDS' [--out NEW.dtb]] [FILE.dtb]\n"
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
"  --apply 'WORDS'       place memmap=SIZE*ALIGN:NAME and\n"
"                        reserve_mem=SIZE:ALIGN:NAME regions, top-down, in\n"
"                        memory free after Linux has reserved and placed\n"
"                        the DT's own regions; print the lines of the DT\n"
"                        with them, a named: line each and the words left\n"
"                        for the kernel's command line (cmdline:)\n"
"  --out NEW.dtb         with --apply: write the DT with each region as a\n"
"                        child NAME@ADDR of /reserved-memory (reg only: kept\n"
"                        reserved and mapped), the ramoops.mem_name= one\n"
"                        with compatible = \"ramoops\" and the ramoops.*\n"
"                        sizes; without --out nothing is written\n"
"  -h, --help            this text\n"
"FILE.dtb defaults to /sys/firmware/fdt, this machine's device tree.\n"
"The written DT is checked: Linux must keep every region of the DT where\n"
"it was and each new one where memmap placed it, or nothing is written.\n"
"\n"
"Exit status: 0 every region reserved or placed, 3 Linux would fail,\n"
"drop or free a region or prints an error about one, 1 the DT cannot be\n"
"read, 2 a malformed DT or bad arguments.\n";

#define EXIT_FINDING 3
#define DT_FILE_MAX ((size_t)1 << 30)

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

static int print(const struct mm_buf *out, int status)
{
	if (out->rc)
		return cli_error("memmap", 6, "out of memory", 1);
	if (out->len)
		fwrite(out->s, 1, out->len, stdout);
	return fflush(stdout) ? 1 : status;
}

static int dt_fail(const struct dt_error *err, int status)
{
	return cli_error(err->what, strlen(err->what), err->why, status);
}

/* @path replaced whole by @n bytes at @p, or not at all */
static int write_file(const char *path, const void *p, size_t n)
{
	char tmp[4096];
	FILE *f;
	int ok;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return cli_error(path, strlen(path), "path too long", 1);
	f = fopen(tmp, "wb");
	if (!f)
		return cli_error(tmp, strlen(tmp), strerror(errno), 1);
	ok = fwrite(p, 1, n, f) == n;
	ok &= !fclose(f);
	if (!ok || rename(tmp, path)) {
		int e = errno;

		remove(tmp);
		return cli_error(path, strlen(path), strerror(e), 1);
	}
	return 0;
}

/*
 * --apply: place the words' regions after the DT's own, write the DT with
 * them, and check that Linux reads the new DT as placed
 */
static int apply(const struct dt_tree *tree, struct dt_model *model,
		 const void *blob, const char *words, const char *outpath,
		 const struct dt_boot *b)
{
	const struct mm_alloc *a = &mapread_libc_alloc;
	struct cmdline_plan plan;
	struct cmdline_error cerr;
	struct memmap_registry reg;
	struct dt_error derr;
	struct mm_buf out, rest;
	void *nblob = NULL;
	size_t nlen, i;
	int rc, status = 0;

	rc = cmdline_parse(words, strlen(words), a, &plan, &cerr);
	if (rc)
		return rc == -MM_EINVAL ?
		       cli_error(cerr.word, cerr.word_len, cerr.reason, EXIT_BAD_INPUT) :
		       cli_error("memmap", 6, "out of memory", 1);
	memmap_registry_init(&reg, a);
	mm_buf_init(&out, a);
	rc = dt_place(model, &plan, NULL, &reg, &cerr);
	if (rc == -MM_EINVAL || rc == -MM_ENOSPC) {
		status = cli_error(cerr.word, cerr.word_len, cerr.reason, EXIT_BAD_INPUT);
		goto out;
	}
	if (!rc)
		rc = dt_rewrite(blob, tree, model, b, &reg, &plan.ramoops, a,
				&nblob, &nlen, &out, &derr);
	if (rc) {
		status = rc == -MM_EINVAL ? dt_fail(&derr, EXIT_BAD_INPUT) :
			 cli_error("memmap", 6, "out of memory", 1);
		goto out;
	}

	for (i = 0; i < reg.nr; i++)
		memmap_region_print(&out, "named", &reg.r[i]);
	/* The words the kernel still needs on its command line, if any */
	mm_buf_init(&rest, a);
	dt_cmdline(&rest, &plan);
	if (rest.len) {
		mm_buf_puts(&out, "cmdline: ");
		mm_buf_putn(&out, rest.s, rest.len);
		mm_buf_putc(&out, '\n');
	}
	if (rest.rc)
		out.rc = rest.rc;
	mm_buf_free(&rest);
	status = outpath ? write_file(outpath, nblob, nlen) : 0;
	if (!status)
		status = print(&out, model->findings ? EXIT_FINDING : 0);
out:
	mm_free(a, nblob);
	mm_buf_free(&out);
	memmap_registry_free(&reg);
	cmdline_plan_free(&plan);
	return status;
}

int cli_dt(int argc, char **argv)
{
	const struct mm_alloc *a = &mapread_libc_alloc;
	const char *path = "/sys/firmware/fdt";
	enum dt_linux v = DT_LINUX_6_12;
	struct dt_range *held = NULL, *nh;
	size_t nheld = 0, len;
	struct dt_tree tree;
	struct dt_boot boot;
	struct dt_model model;
	struct dt_error derr;
	struct mm_buf out;
	const char *words = NULL, *outpath = NULL;
	bool have_file = false;
	unsigned char *blob = NULL;
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
		} else if (!strcmp(o, "--apply")) {
			if (need_arg(argc, argv, &i))
				goto bad;
			words = argv[i];
		} else if (!strcmp(o, "--out")) {
			if (need_arg(argc, argv, &i))
				goto bad;
			outpath = argv[i];
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

	if (outpath && !words) {
		cli_error("--out", 5, "needs --apply 'WORDS' (see memmap dt --help)", 0);
		goto bad;
	}
	rc = cli_slurp(path, DT_FILE_MAX, &blob, &len);
	if (rc) {
		status = cli_error(path, strlen(path), !have_file && rc == -ENOENT ?
				   "no device tree on this machine (it boots with ACPI or e820 alone): give a FILE.dtb" :
				   rc == -EFBIG ? "1 GiB or more: no device tree is that big" :
				   strerror(-rc), 1);
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
	boot = (struct dt_boot){ .linux = v, .held = held, .nheld = nheld };
	rc = dt_model_run(&model, &tree, &boot, a, &out);
	if (rc) {
		status = cli_error("memmap", 6, "out of memory", 1);
	} else if (words) {
		status = apply(&tree, &model, blob, words, outpath, &boot);
	} else {
		status = print(&out, model.findings ? EXIT_FINDING : 0);
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
