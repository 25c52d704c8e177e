/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi's arguments: the shell's argv, a boot entry's LoadOptions,
 * or memmap.conf; -f files; the options.
 */
#include "fw.h"


#define FILE_DEPTH 4	/* -f inside -f files, at most */
#define FW_PSTORE_KEEP (16ULL << 20)	/* --pstore-keep's default */

static EFI_STATUS parse_opts(EFI_LOADED_IMAGE *li, char **argv, size_t argc,
			     struct fw_opts *o, unsigned int depth);
static int split_words(const char *s, size_t n, char ***argv, size_t *argc);

/* A -f file's text as one line: comment lines dropped, lines joined */
static int file_line(struct mm_buf *line, const char *s, size_t n)
{
	struct mm_buf text;
	size_t pos, len, i;

	/* UCS-2 with a BOM, else UTF-8 (a BOM skipped) */
	mm_buf_init(&text, &fw_alloc);
	if (n >= 2 && (unsigned char)s[0] == 0xff && (unsigned char)s[1] == 0xfe) {
		for (i = 2; i + 1 < n; i += 2) {
			CHAR16 c = (CHAR16)((unsigned char)s[i] |
					    (unsigned char)s[i + 1] << 8);

			fw_ucs2_to_utf8(&text, &c, 1);
		}
	} else {
		if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
			s += 3, n -= 3;
		mm_buf_putn(&text, s, n);
	}

	for (pos = 0; text.s && pos < text.len; pos += len + 1) {
		for (len = 0; pos + len < text.len && text.s[pos + len] != '\n'; len++)
			;
		for (i = 0; i < len && (text.s[pos + i] == ' ' ||
					text.s[pos + i] == '\t' ||
					text.s[pos + i] == '\r'); i++)
			;
		if (i == len || text.s[pos + i] == '#')
			continue;
		if (line->len)
			mm_buf_putc(line, ' ');
		for (i = 0; i < len; i++)
			mm_buf_putc(line, text.s[pos + i] == '\r' ? ' ' : text.s[pos + i]);
	}
	i = text.rc ? 1 : 0;
	mm_buf_free(&text);
	return i ? -MM_ENOMEM : line->rc;
}

static void free_words(char **argv, size_t argc)
{
	while (argc)
		fw_alloc.realloc(NULL, argv[--argc], 0);
	fw_alloc.realloc(NULL, argv, 0);
}

/* A -f file (or memmap.conf): its words are arguments like the command
 * line's, so it can hold options and -- PATH too */
static EFI_STATUS read_words_file(EFI_LOADED_IMAGE *li, struct fw_opts *o,
				  const char *path, bool must_exist,
				  unsigned int depth)
{
	struct mm_buf line;
	EFI_STATUS st;
	char *data, **argv = NULL;
	size_t n, argc = 0;
	int rc;

	if (depth >= FILE_DEPTH) {
		fw_error(path, strlen(path), "-f files nested too deep");
		return EFI_INVALID_PARAMETER;
	}
	st = fw_file_read(li, path, &data, &n);
	if (st == EFI_NOT_FOUND && !must_exist)
		return EFI_SUCCESS;
	if (EFI_ERROR(st)) {
		fw_error(path, strlen(path), "cannot read this file");
		return st;
	}
	mm_buf_init(&line, &fw_alloc);
	rc = file_line(&line, data, n);
	fw_alloc.realloc(NULL, data, 0);
	if (!rc)
		rc = split_words(line.s ? line.s : "", line.len, &argv, &argc);
	mm_buf_free(&line);
	st = rc ? fw_status(rc) : parse_opts(li, argv, argc, o, depth + 1);
	free_words(argv, argc);
	return st;
}

/* Split a LoadOptions command line into words (quotes group) */
static int split_words(const char *s, size_t n, char ***argv, size_t *argc)
{
	size_t i = 0, cap = 0;
	int rc;

	*argc = 0;
	*argv = NULL;
	while (i < n) {
		size_t start;
		bool q = false;
		char *w;

		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		for (start = i; i < n && (q || (s[i] != ' ' && s[i] != '\t')); i++)
			if (s[i] == '"')
				q = !q;
		rc = mm_grow(&fw_alloc, argv, &cap, *argc + 1, sizeof(**argv));
		if (rc)
			return rc;
		w = fw_alloc.realloc(NULL, NULL, i - start + 1);
		if (!w)
			return -MM_ENOMEM;
		memcpy(w, s + start, i - start);
		w[i - start] = '\0';
		(*argv)[(*argc)++] = w;
	}
	return 0;
}

/* The arguments: the shell's argv without argv[0], else LoadOptions */
static EFI_STATUS get_args(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
			   char ***argv, size_t *argc)
{
	static EFI_GUID sp_guid = EFI_SHELL_PARAMETERS_PROTOCOL_GUID;
	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	const CHAR16 *opts;
	const char *raw;
	struct mm_buf b;
	size_t i, cap = 0, units;
	int rc = 0;

	*argv = NULL;
	*argc = 0;
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &sp_guid,
					 (void **)&sp)) && sp) {
		for (i = 1; !rc && i < sp->Argc; i++) {
			mm_buf_init(&b, &fw_alloc);
			fw_ucs2_to_utf8(&b, sp->Argv[i], SIZE_MAX);
			mm_buf_putn(&b, "", 0);
			rc = b.rc ? b.rc : mm_grow(&fw_alloc, argv, &cap, *argc + 1,
						   sizeof(**argv));
			if (!rc)
				(*argv)[(*argc)++] = b.s ? b.s : "";
		}
		return fw_status(rc);
	}

	/* A boot entry's data: UCS-2 text (a byte-order mark allowed), ASCII
	 * or UTF-8 text, or anything else, which is no arguments */
	mm_buf_init(&b, &fw_alloc);
	opts = li->LoadOptions;
	units = li->LoadOptionsSize / sizeof(CHAR16);
	switch (handover_load_options(opts, li->LoadOptionsSize)) {
	case HANDOVER_OPTS_UCS2:
		if (opts[0] == 0xfeff) {
			opts++;
			units--;
		}
		for (i = 0; i < units && opts[i]; i++)
			;
		fw_ucs2_to_utf8(&b, opts, i);
		break;
	case HANDOVER_OPTS_UTF8:
		raw = li->LoadOptions;
		for (i = 0; i < li->LoadOptionsSize && raw[i]; i++)
			;
		mm_buf_putn(&b, raw, i);
		break;
	case HANDOVER_OPTS_BINARY:
		fw_message("warning", "LoadOptions", 11, "the boot entry's data "
			   "is not text: memmap.conf is read instead", EFI_SUCCESS);
		break;
	case HANDOVER_OPTS_NONE:
		break;
	}
	rc = b.rc ? b.rc : split_words(b.s ? b.s : "", b.len, argv, argc);
	mm_buf_free(&b);
	/* A loader that puts the image's own name first */
	if (!rc && *argc && fw_is_image_name(li, (*argv)[0])) {
		fw_alloc.realloc(NULL, (*argv)[0], 0);
		memmove(*argv, *argv + 1, --*argc * sizeof(**argv));
	}
	return fw_status(rc);
}

/* A bad option: its line, and the first one's status kept in @o->bad;
 * reading goes on, so that -- PATH is still found */
static void bad_opt(struct fw_opts *o, const char *word, const char *why)
{
	if (why)
		fw_error(word, strlen(word), why);
	if (!o->bad)
		o->bad = EFI_INVALID_PARAMETER;
}

static EFI_STATUS parse_opts(EFI_LOADED_IMAGE *li, char **argv, size_t argc,
			     struct fw_opts *o, unsigned int depth)
{
	EFI_STATUS st;
	size_t i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			o->help = true;
		} else if (!strcmp(a, "-q")) {
			o->quiet = true;
		} else if (!strcmp(a, "--forget")) {
			o->forget = true;
		} else if (!strcmp(a, "--pstore-layout")) {
			const char *v = i + 1 < argc ? argv[++i] : "";

			if (strcmp(v, "6.1") && strcmp(v, "6.2"))
				bad_opt(o, a, "expects 6.1 or 6.2");
			else
				o->order = v[2] == '1' ? PSTORE_ORDER_61 : PSTORE_ORDER_62;
		} else if (!strcmp(a, "--pstore-keep")) {
			const char *v = i + 1 < argc ? argv[++i] : "", *end;

			if (cmdline_memparse(v, &o->keep, &end) || *end)
				bad_opt(o, a, "expects a size: 16M, 512K, 0 for no cap");
		} else if (!strcmp(a, "--pstore-print")) {
			const char *v = i + 1 < argc ? argv[++i] : "";

			o->print_none = !strcmp(v, "none");
			if (!strcmp(v, "summary") || o->print_none)
				o->print = PSTORE_SHOW_SUMMARY;
			else if (!strcmp(v, "tail"))
				o->print = PSTORE_SHOW_TAIL;
			else if (!strcmp(v, "all"))
				o->print = PSTORE_SHOW_ALL;
			else
				bad_opt(o, a, "expects summary, tail, all or none");
		} else if (!strcmp(a, "--pstore-log")) {
			if (i + 1 == argc || strcmp(argv[++i], "pmsg"))
				bad_opt(o, a, "expects pmsg");
			else
				o->pstore_log = true;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--dump")) {
			if (i + 1 == argc) {
				bad_opt(o, a, "needs a FILE (see memmap.efi --help)");
			} else if (a[1] == 'f') {
				st = read_words_file(li, o, argv[++i], true, depth);
				if (EFI_ERROR(st) && !o->bad)
					o->bad = st;
			} else {
				o->dump.len = 0;
				mm_buf_puts(&o->dump, argv[++i]);
			}
		} else if (!strcmp(a, "--")) {
			if (i + 1 == argc || o->chain.len) {
				bad_opt(o, a, o->chain.len ? "given twice" :
					"needs the PATH of an EFI image to start");
				break;
			}
			mm_buf_puts(&o->chain, argv[++i]);
			while (++i < argc) {
				if (o->kargs.len)
					mm_buf_putc(&o->kargs, ' ');
				mm_buf_puts(&o->kargs, argv[i]);
			}
		} else if (a[0] == '-') {
			bad_opt(o, a, "unknown option (see memmap.efi --help)");
		} else {
			if (o->line.len)
				mm_buf_putc(&o->line, ' ');
			mm_buf_puts(&o->line, a);
		}
	}
	if (!o->bad && (o->line.rc || o->chain.rc || o->kargs.rc || o->dump.rc))
		o->bad = EFI_OUT_OF_RESOURCES;
	return o->bad;
}

EFI_STATUS fw_args(EFI_HANDLE image, EFI_LOADED_IMAGE *li, struct fw_opts *o)
{
	char **argv;
	size_t argc;
	EFI_STATUS st;

	mm_buf_init(&o->line, &fw_alloc);
	mm_buf_init(&o->kargs, &fw_alloc);
	mm_buf_init(&o->chain, &fw_alloc);
	mm_buf_init(&o->dump, &fw_alloc);
	o->keep = FW_PSTORE_KEEP;
	st = get_args(image, li, &argv, &argc);
	if (EFI_ERROR(st)) {
		fw_error("LoadOptions", 11, "cannot read the arguments");
		return st;
	}
	if (!argc)
		st = read_words_file(li, o, "memmap.conf", false, 0);
	else
		st = parse_opts(li, argv, argc, o, 0);
	free_words(argv, argc);
	return st;
}

void fw_opts_free(struct fw_opts *o)
{
	mm_buf_free(&o->line);
	mm_buf_free(&o->kargs);
	mm_buf_free(&o->chain);
	mm_buf_free(&o->dump);
}
