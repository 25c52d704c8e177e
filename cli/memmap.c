/*
 * memmap: what would these kernel memory options do on this machine?
 */
#include "mapread.h"
#include "../cmdline/apply.h"

#include <stdio.h>
#include <stdlib.h>

#define EXIT_BAD_INPUT 2

static const char usage[] =
"Usage: memmap [--map PATH] [KERNEL-PARAM...]\n"
"\n"
"Prints the firmware memory map as Linux 6.1 prints it (BIOS-e820:), the\n"
"map after the kernel's memory options (user:), where each named region\n"
"was placed (named:), and the command line rewritten for a stock kernel\n"
"(cmdline:).\n"
"\n"
"Options:\n"
"  --map PATH   the firmware map: a /sys/firmware/memmap-style directory,\n"
"               or a kernel log holding BIOS-e820: lines, or else\n"
"               efi: memNN: lines (efi=debug), which are converted as the\n"
"               EFI stub does (default: /sys/firmware/memmap)\n"
"  -h, --help   this text\n"
"  --           end of options; kernel words follow\n"
"\n"
"Kernel words: memmap=nn@ss nn#ss nn$ss nn!ss nn%ss-old+new exactmap nn,\n"
"memmap=SIZE*ALIGN:NAME, reserve_mem=SIZE:ALIGN:NAME, mem=nn,\n"
"efi=nosoftreserve, ramoops.mem_name=NAME and ramoops.*; other words pass\n"
"through unchanged.\n"
"\n"
"Exit status: 0 ok, 1 the map could not be read, 2 bad input.\n";

static int error(const char *word, size_t len, const char *why, int status)
{
	fprintf(stderr, "memmap: error: %.*s: %s\n", (int)len, word, why);
	return status;
}

/* Join the kernel words with single spaces, as a boot loader would */
static char *join_words(int argc, char **argv, size_t *len)
{
	size_t n = 0, i;
	char *s;

	for (i = 0; i < (size_t)argc; i++)
		n += strlen(argv[i]) + 1;
	s = malloc(n + 1);
	if (!s)
		return NULL;
	*len = 0;
	for (i = 0; i < (size_t)argc; i++) {
		if (i)
			s[(*len)++] = ' ';
		memcpy(s + *len, argv[i], strlen(argv[i]));
		*len += strlen(argv[i]);
	}
	s[*len] = '\0';
	return s;
}

static int run(const char *map, int argc, char **argv)
{
	const struct mm_alloc *a = &mapread_libc_alloc;
	struct e820_table fw, attrs, result;
	struct memmap_registry reg;
	struct cmdline_plan plan;
	struct cmdline_error cerr;
	struct cmdline_place place = { 0 };
	struct mapread_error merr;
	struct mm_buf out;
	size_t len, i;
	char *line;
	int rc, status = 0;

	line = join_words(argc, argv, &len);
	if (!line)
		return error("memmap", 6, "out of memory", 1);
	rc = cmdline_parse(line, len, a, &plan, &cerr);
	if (rc) {
		status = rc == -MM_EINVAL ?
			 error(cerr.word, cerr.word_len, cerr.reason,
			       EXIT_BAD_INPUT) :
			 error("memmap", 6, "out of memory", 1);
		free(line);
		return status;
	}

	e820_table_init(&fw, a);
	e820_table_init(&attrs, a);
	e820_table_init(&result, a);
	memmap_registry_init(&reg, a);
	mm_buf_init(&out, a);

	rc = mapread_path(map, plan.soft_reserve, &fw, &attrs, &merr);
	if (rc) {
		status = error(merr.where, strlen(merr.where),
			       rc == -MM_ENOMEM ? "out of memory" : merr.why,
			       rc == -MM_EINVAL ? EXIT_BAD_INPUT : 1);
		goto out;
	}
	place.attrs = &attrs;
	rc = cmdline_apply(&plan, &fw, &place, &result, &reg, &cerr);
	if (rc == -MM_EINVAL || rc == -MM_ENOSPC) {
		status = error(cerr.word, cerr.word_len, cerr.reason,
			       EXIT_BAD_INPUT);
		goto out;
	}
	if (rc) {
		status = error("memmap", 6, "out of memory", 1);
		goto out;
	}

	mm_buf_puts(&out, "BIOS-provided physical RAM map:\n");
	e820_print(&out, "BIOS-e820", &fw);
	if (plan.userdef) {
		mm_buf_puts(&out, "user-defined physical RAM map:\n");
		e820_print(&out, "user", &result);
	}
	for (i = 0; i < reg.nr; i++) {
		mm_buf_puts(&out, "named: ");
		mm_buf_puts(&out, reg.r[i].name);
		mm_buf_puts(&out, " [mem ");
		mm_buf_hex(&out, reg.r[i].start, 16);
		mm_buf_putc(&out, '-');
		mm_buf_hex(&out, reg.r[i].start + reg.r[i].size - 1, 16);
		mm_buf_puts(&out, "]\n");
	}
	if (plan.nwords) {
		mm_buf_puts(&out, "cmdline: ");
		cmdline_rewrite(&plan, &reg, &out);
		mm_buf_putc(&out, '\n');
	}
	if (out.rc) {
		status = error("memmap", 6, "out of memory", 1);
		goto out;
	}
	fwrite(out.s, 1, out.len, stdout);
	if (fflush(stdout))
		status = 1;
out:
	mm_buf_free(&out);
	memmap_registry_free(&reg);
	e820_table_free(&result);
	e820_table_free(&attrs);
	e820_table_free(&fw);
	cmdline_plan_free(&plan);
	free(line);
	return status;
}

int main(int argc, char **argv)
{
	const char *map = "/sys/firmware/memmap";
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--map")) {
			if (++i == argc)
				return error(argv[i - 1], strlen(argv[i - 1]),
					     "needs a PATH (see memmap --help)",
					     EXIT_BAD_INPUT);
			map = argv[i];
			continue;
		}
		if (!strncmp(argv[i], "--map=", 6)) {
			map = argv[i] + 6;
			continue;
		}
		return error(argv[i], strlen(argv[i]),
			     "unknown option (see memmap --help)", EXIT_BAD_INPUT);
	}
	return run(map, argc - i, argv + i);
}
