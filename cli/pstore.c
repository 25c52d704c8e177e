/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap pstore --image FILE [--offset N] [--pstore-layout 6.1|6.2]
 *               [--save DIR] [ramoops.PARAM=VALUE...]
 */
#define _DEFAULT_SOURCE
#include "cli.h"
#include "mapread.h"
#include "../cmdline/cmdline.h"
#include "../pstore/record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write @b to DIR/NAME, or DIR/NAME.1, .2, ... when NAME exists */
static int save_file(const char *dir, const char *name, const struct mm_buf *b)
{
	char path[4096];
	unsigned int k;
	int fd = -1;
	ssize_t w;

	for (k = 0; fd < 0 && k < 1000; k++) {
		if (k)
			snprintf(path, sizeof(path), "%s/%s.%u", dir, name, k);
		else
			snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0)
		return cli_error(path, strlen(path), strerror(errno), 1);
	w = b->len ? write(fd, b->s, b->len) : 0;
	if (close(fd) || w != (ssize_t)b->len)
		return cli_error(path, strlen(path), "write failed", 1);
	printf("pstore: saved %s\n", path);
	return 0;
}

static const char pstore_usage[] =
"Usage: memmap pstore --image FILE [--offset N] [--pstore-layout 6.1|6.2]\n"
"                     [--save DIR] [ramoops.PARAM=VALUE...]\n"
"\n"
"Decodes a ramoops region in FILE (a QEMU RAM file, a dump) and prints\n"
"each record as Linux's pstore would show it.\n"
"\n"
"Options (in any order, also among the ramoops words):\n"
"  --image FILE    the file that holds the region\n"
"  --offset N      where the region starts in FILE (default 0; K M G ok)\n"
"  --pstore-layout 6.1|6.2\n"
"                  the zone order (default: Linux 6.1's, unless the\n"
"                  headers say 6.2's)\n"
"  --save DIR      also write each record to DIR, as pstore names it\n"
"  -h, --help      this text\n"
"\n"
"ramoops.mem_size defaults to the rest of the file; record_size,\n"
"console_size, ftrace_size and pmsg_size to 4096; ecc to 0.\n"
"\n"
"Exit status: 0 ok, 1 FILE or DIR could not be read or written,\n"
"2 bad arguments or a region that is not ramoops.\n";

static int parse_u64(const char *s, uint64_t *v)
{
	const char *end;

	return cmdline_memparse(s, v, &end) || *end ? -1 : 0;
}

int cli_pstore(int argc, char **argv)
{
	const struct mm_alloc *a = &mapread_libc_alloc;
	const char *image = NULL, *save = NULL, *why;
	struct pstore_params p = { 0 };
	struct pstore_records recs;
	struct cmdline_plan plan;
	struct cmdline_error cerr;
	struct mm_buf words, out;
	uint64_t offset = 0;
	struct stat st;
	size_t i;
	void *map;
	int fd, rc, status = 0;

	mm_buf_init(&words, a);
	for (i = 1; i < (size_t)argc; i++) {
		const char *o = argv[i], *v = i + 1 < (size_t)argc ? argv[i + 1] : NULL;

		if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			mm_buf_free(&words);
			fputs(pstore_usage, stdout);
			return 0;
		} else if (!v && (!strcmp(o, "--image") || !strcmp(o, "--offset") ||
				  !strcmp(o, "--save") || !strcmp(o, "--pstore-layout"))) {
			mm_buf_free(&words);
			return cli_error(o, strlen(o), "needs a value (see memmap pstore --help)",
					 EXIT_BAD_INPUT);
		} else if (!strcmp(o, "--image") && v) {
			image = argv[++i];
		} else if (!strcmp(o, "--offset") && v) {
			if (parse_u64(argv[++i], &offset)) {
				mm_buf_free(&words);
				return cli_error(v, strlen(v), "not a number", EXIT_BAD_INPUT);
			}
		} else if (!strcmp(o, "--save") && v) {
			save = argv[++i];
		} else if (!strcmp(o, "--pstore-layout") && v) {
			i++;
			if (strcmp(v, "6.1") && strcmp(v, "6.2")) {
				mm_buf_free(&words);
				return cli_error(v, strlen(v), "expected 6.1 or 6.2", EXIT_BAD_INPUT);
			}
			p.order = v[2] == '1' ? PSTORE_ORDER_61 : PSTORE_ORDER_62;
		} else if (!strncmp(o, "ramoops.", 8)) {
			if (words.len)
				mm_buf_putc(&words, ' ');
			mm_buf_puts(&words, o);
		} else {
			mm_buf_free(&words);
			return cli_error(o, strlen(o), o[0] == '-' ?
					 "unknown option (see memmap pstore --help)" :
					 "not a ramoops.* word (see memmap pstore --help)",
					 EXIT_BAD_INPUT);
		}
	}
	if (!image) {
		mm_buf_free(&words);
		return cli_error("pstore", 6, "needs --image FILE", EXIT_BAD_INPUT);
	}

	/* The ramoops.* words, with Linux's defaults */
	rc = cmdline_parse(words.s ? words.s : "", words.len, a, &plan, &cerr);
	if (rc) {
		status = rc == -MM_EINVAL ?
			 cli_error(cerr.word, cerr.word_len, cerr.reason, EXIT_BAD_INPUT) :
			 cli_error("pstore", 6, "out of memory", 1);
		mm_buf_free(&words);
		return status;
	}
	p.record_size = plan.ramoops.record_size;
	p.console_size = plan.ramoops.console_size;
	p.ftrace_size = plan.ramoops.ftrace_size;
	p.pmsg_size = plan.ramoops.pmsg_size;
	p.ecc = plan.ramoops.ecc;
	p.mem_size = plan.ramoops.mem_size;
	cmdline_plan_free(&plan);
	mm_buf_free(&words);

	/* The image, mapped read-only: reading never changes it */
	fd = open(image, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		return cli_error(image, strlen(image), strerror(errno), 1);
	if ((uint64_t)st.st_size <= offset) {
		close(fd);
		return cli_error(image, strlen(image), "is not larger than --offset",
				 EXIT_BAD_INPUT);
	}
	if (!p.mem_size)
		p.mem_size = (uint64_t)st.st_size - offset;
	if (p.mem_size > (uint64_t)st.st_size - offset) {
		close(fd);
		return cli_error(image, strlen(image),
				 "is smaller than --offset plus ramoops.mem_size",
				 EXIT_BAD_INPUT);
	}
	map = mmap(NULL, (size_t)(offset + p.mem_size), PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return cli_error(image, strlen(image), strerror(errno), 1);

	rc = pstore_records_read((const uint8_t *)map + offset, p.mem_size, &p, a,
				 &recs, &why);
	if (rc) {
		munmap(map, (size_t)(offset + p.mem_size));
		return rc == -MM_EINVAL ?
		       cli_error("ramoops", 7, why, EXIT_BAD_INPUT) :
		       cli_error("pstore", 6, "out of memory", 1);
	}
	mm_buf_init(&out, a);
	if (!recs.nr)
		mm_buf_puts(&out, "pstore: no records\n");
	for (i = 0; i < recs.nr; i++)
		pstore_record_print(&out, &recs.r[i]);
	fwrite(out.s, 1, out.len, stdout);
	for (i = 0; save && !status && i < recs.nr; i++) {
		out.len = 0;
		pstore_record_file(&out, &recs.r[i]);
		status = out.rc ? cli_error("pstore", 6, "out of memory", 1) :
			 save_file(save, recs.r[i].name, &out);
	}
	mm_buf_free(&out);
	pstore_records_free(&recs);
	munmap(map, (size_t)(offset + p.mem_size));
	return status;
}
