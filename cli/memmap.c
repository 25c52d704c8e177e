/*
 * memmap: what would these kernel memory options do on this machine?
 */
#include "cli.h"
#include "install.h"
#include "mapread.h"
#include "../cmdline/apply.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static const char usage[] =
"Usage: memmap [--map PATH] [KERNEL-PARAM...] [-- KERNEL-PARAM...]\n"
"       memmap named [--efivars DIR] [NAME]\n"
"       memmap dt [--linux 6.1|6.12] [--reserved START-END]...\n"
"                 [--apply 'WORDS' [--out NEW.dtb]] [FILE.dtb]\n"
"       memmap pstore --image FILE [--offset N] [--pstore-layout 6.1|6.2]\n"
"                     [--save DIR] [ramoops.PARAM=VALUE...]\n"
"       memmap install [--esp DIR] [--disk DISK --part N] [--loader PATH]\n"
"                      [--efi FILE] [--shim FILE] [--data DIR] [--efivars DIR]\n"
"                      [--root DIR] [--dry-run] KERNEL-WORD...\n"
"       memmap uninstall [--esp DIR] [--dry-run] [--root DIR] [--efivars DIR]\n"
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
"  --           end of options: every later word is a kernel word, even\n"
"               one that starts with '-' (a second -- and the words after\n"
"               it are init's, as the kernel reads them)\n"
"\n"
"--map and --help may come anywhere before --, also after kernel words.\n"
"Any other word that starts with '-' before -- is refused (exit 2): no\n"
"memory option of the kernel starts with '-'.\n"
"\n"
"memmap named prints the regions memmap.efi published this boot, from the\n"
"MemmapNamed variable in efivarfs (default DIR: /sys/firmware/efi/efivars),\n"
"or only NAME's (exit status 1 when it is not there).\n"
"\n"
"memmap dt prints what Linux on arm64 (6.1 or 6.12) prints about a device\n"
"tree's reserved memory and where it places each region; with --apply it\n"
"places memmap's regions after them and writes them into the DT.\n"
"\n"
"memmap pstore decodes a ramoops region in FILE (a QEMU RAM file, a dump)\n"
"at offset N, with ramoops' parameters (mem_size defaults to the rest of\n"
"the file; record, console, ftrace and pmsg sizes to 4096; ecc to 0), and\n"
"prints each record as Linux's pstore would show it; --save writes them\n"
"to DIR.  The zone order is Linux 6.1's unless the headers say 6.2's.\n"
"\n"
"memmap install (as root) makes memmap.efi run at every boot with these\n"
"words, before the loader this system booted; memmap uninstall takes it\n"
"away.  Each subcommand has its own --help.\n"
"\n"
"Kernel words: memmap=nn@ss nn#ss nn$ss nn!ss nn%ss-old+new exactmap nn,\n"
"memmap=SIZE*ALIGN:NAME, reserve_mem=SIZE:ALIGN:NAME, mem=nn,\n"
"efi=nosoftreserve, ramoops.mem_name=NAME and ramoops.*; other words pass\n"
"through unchanged.\n"
"\n"
"Exit status: 0 ok, 1 the map could not be read, 2 bad input\n"
"(memmap dt also 3: Linux would fail or drop a region of the DT).\n";

int cli_error(const char *word, size_t len, const char *why, int status)
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
	size_t len;
	char *line;
	int rc, status = 0;

	line = join_words(argc, argv, &len);
	if (!line)
		return cli_error("memmap", 6, "out of memory", 1);
	rc = cmdline_parse(line, len, a, &plan, &cerr);
	if (rc) {
		status = rc == -MM_EINVAL ?
			 cli_error(cerr.word, cerr.word_len, cerr.reason,
			       EXIT_BAD_INPUT) :
			 cli_error("memmap", 6, "out of memory", 1);
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
		status = cli_error(merr.where, strlen(merr.where),
			       rc == -MM_ENOMEM ? "out of memory" : merr.why,
			       rc == -MM_EINVAL ? EXIT_BAD_INPUT : 1);
		goto out;
	}
	place.attrs = &attrs;
	rc = cmdline_apply(&plan, &fw, &place, &result, &reg, &cerr);
	if (rc == -MM_EINVAL || rc == -MM_ENOSPC) {
		status = cli_error(cerr.word, cerr.word_len, cerr.reason,
			       EXIT_BAD_INPUT);
		goto out;
	}
	if (rc) {
		status = cli_error("memmap", 6, "out of memory", 1);
		goto out;
	}

	cmdline_report(&out, &plan, &fw, &result, &reg, false);
	if (out.rc) {
		status = cli_error("memmap", 6, "out of memory", 1);
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

#define NAMED_VAR "MemmapNamed-d1055d7a-a13b-4f81-8d8b-576ff99f2276"

static const char named_usage[] =
"Usage: memmap named [--efivars DIR] [NAME]\n"
"\n"
"Prints the regions memmap.efi published this boot (named: lines), read\n"
"from the MemmapNamed variable in efivarfs, or only NAME's.\n"
"\n"
"Options:\n"
"  --efivars DIR   where efivarfs is (default: /sys/firmware/efi/efivars)\n"
"  -h, --help      this text\n"
"\n"
"Exit status: 0 ok, 1 no MemmapNamed variable or no region NAME,\n"
"2 bad arguments.\n";

/* memmap named [--efivars DIR] [NAME] */
static int cmd_named(int argc, char **argv)
{
	const char *dir = "/sys/firmware/efi/efivars", *name = NULL;
	struct memmap_registry reg;
	const struct memmap_region *r;
	struct mm_buf out;
	char path[4096], buf[65536];
	size_t n;
	FILE *f;
	int i, rc, status = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(named_usage, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--efivars")) {
			if (++i == argc)
				return cli_error(argv[i - 1], strlen(argv[i - 1]),
					     "needs a DIR (see memmap named --help)",
					     EXIT_BAD_INPUT);
			dir = argv[i];
		} else if (!strncmp(argv[i], "--efivars=", 10)) {
			dir = argv[i] + 10;
		} else if (argv[i][0] == '-') {
			return cli_error(argv[i], strlen(argv[i]),
				     "unknown option (see memmap named --help)",
				     EXIT_BAD_INPUT);
		} else if (name) {
			return cli_error(argv[i], strlen(argv[i]),
				     "unexpected: only one NAME (see memmap named --help)",
				     EXIT_BAD_INPUT);
		} else {
			name = argv[i];
		}
	}
	snprintf(path, sizeof(path), "%s/%s", dir, NAMED_VAR);
	f = fopen(path, "rb");
	if (!f)
		return cli_error(path, strlen(path),
			     "cannot read it: was memmap.efi run this boot?", 1);
	n = fread(buf, 1, sizeof(buf), f);
	rc = ferror(f) || !feof(f);
	fclose(f);
	/* efivarfs files start with the variable's 4-byte attributes */
	if (rc || n < 4)
		return cli_error(path, strlen(path), "not a MemmapNamed variable", 1);

	memmap_registry_init(&reg, &mapread_libc_alloc);
	mm_buf_init(&out, &mapread_libc_alloc);
	rc = memmap_registry_parse(buf + 4, n - 4, &reg);
	if (rc) {
		status = cli_error(path, strlen(path), "malformed MemmapNamed lines", 1);
	} else if (name) {
		r = memmap_registry_find(&reg, name);
		if (r)
			memmap_region_print(&out, "named", r);
		else
			status = cli_error(name, strlen(name), "no such region", 1);
	} else {
		for (n = 0; n < reg.nr; n++)
			memmap_region_print(&out, "named", &reg.r[n]);
	}
	if (out.len)
		fwrite(out.s, 1, out.len, stdout);
	mm_buf_free(&out);
	memmap_registry_free(&reg);
	return status;
}

/*
 * memmap [--map PATH] [KERNEL-PARAM...] [-- KERNEL-PARAM...]: --map and
 * --help are honoured anywhere before "--"; any other dash word there is
 * refused, never passed on as a kernel word.
 */
int main(int argc, char **argv)
{
	const char *map = "/sys/firmware/memmap";
	char **words = argv + 1;
	int i, nwords = 0;
	bool opts = true;

	if (argc > 1 && !strcmp(argv[1], "named"))
		return cmd_named(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "dt"))
		return cli_dt(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "pstore"))
		return cli_pstore(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "install"))
		return cli_install(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "uninstall"))
		return cli_uninstall(argc - 1, argv + 1);

	/* Options out, kernel words kept in order (words[] trails argv[]) */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!opts || a[0] != '-') {
			words[nwords++] = argv[i];
		} else if (!strcmp(a, "--")) {
			opts = false;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if (!strcmp(a, "--map")) {
			if (++i == argc)
				return cli_error(a, strlen(a),
					     "needs a PATH (see memmap --help)",
					     EXIT_BAD_INPUT);
			map = argv[i];
		} else if (!strncmp(a, "--map=", 6)) {
			map = a + 6;
		} else {
			return cli_error(a, strlen(a), nwords ?
				     "unknown option; options come before --, and a "
				     "word for the kernel that starts with '-' "
				     "after it (see memmap --help)" :
				     "unknown option (see memmap --help)",
				     EXIT_BAD_INPUT);
		}
	}
	return run(map, nwords, words);
}
