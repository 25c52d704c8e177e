/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi: reserve, name and publish memory before the OS starts.
 */
#include "fw.h"

#define CLAIM_TRIES 3

static const char usage[] =
"Usage: memmap.efi [OPTION...] [KERNEL-PARAM...] [-- PATH [KERNEL-ARG...]]\n"
"\n"
"Converts the firmware memory map to e820 as Linux's EFI stub does, applies\n"
"the kernel's memory options, claims the reserved and placed regions in\n"
"firmware, and publishes named regions (configuration table, MemmapNamed).\n"
"\n"
"Options:\n"
"  -f FILE       more arguments from FILE (relative to memmap.efi's\n"
"                directory, or \\path from the volume root); # lines are\n"
"                comments; # % $ need no escaping there\n"
"  --dump FILE   write the EFI memory map converted, as efi: memNN: lines\n"
"  --forget      forget remembered placements (MemmapSticky)\n"
"  -q            print only errors and named: lines\n"
"  --pstore-layout 6.1|6.2\n"
"                ramoops zone order (default: 6.1's, unless RAM says 6.2's)\n"
"  --pstore-log pmsg\n"
"                append this output to the ramoops pmsg zone\n"
"  -h, --help    this text\n"
"\n"
"With no argument at all, memmap.conf next to memmap.efi is read.\n"
"The kernel words, rewritten as the cmdline: line shows them, are handed\n"
"to what boots next: written to memmap.env beside memmap.efi for GRUB\n"
"(dist/grub/05_memmap), and put in an SMBIOS OEM-strings record for\n"
"systemd-boot 256+ and systemd-stub 254+.\n"
"With -- PATH, the EFI image at PATH is started afterwards. A Linux\n"
"kernel or a UKI gets the words and then the KERNEL-ARGs as its command\n"
"line (and no SMBIOS record); any other image (shim, GRUB, systemd-boot)\n"
"gets only the KERNEL-ARGs, or nothing.\n"
"Kernel words: memmap=nn@ss nn#ss nn$ss nn!ss nn%ss-old+new exactmap nn,\n"
"memmap=SIZE*ALIGN:NAME, reserve_mem=SIZE:ALIGN:NAME, mem=nn, ramoops.*\n"
"With ramoops.mem_name=NAME (or ramoops.mem_address and mem_size) the\n"
"previous boot's pstore records are printed and saved to \\pstore\\DATE-TIME.\n"
"In the shell write # as ^#.\n";

struct fw_opts {
	bool quiet, forget, help, pstore_log;
	enum pstore_order order;
	struct mm_buf dump;	/* --dump FILE */
	struct mm_buf line;	/* the kernel words, space-separated */
	struct mm_buf chain;	/* -- PATH */
	struct mm_buf kargs;	/* the words after PATH */
};

#define FILE_DEPTH 4	/* -f inside -f files, at most */

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

	/* A boot entry's data: UCS-2, perhaps with a byte-order mark */
	mm_buf_init(&b, &fw_alloc);
	units = li->LoadOptionsSize / sizeof(CHAR16);
	opts = li->LoadOptions;
	if (units && opts[0] == 0xfeff) {
		opts++;
		units--;
	}
	fw_ucs2_to_utf8(&b, opts, units);
	rc = b.rc ? b.rc : split_words(b.s ? b.s : "", b.len, argv, argc);
	mm_buf_free(&b);
	return fw_status(rc);
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

			if (strcmp(v, "6.1") && strcmp(v, "6.2")) {
				fw_error(a, strlen(a), "expects 6.1 or 6.2");
				return EFI_INVALID_PARAMETER;
			}
			o->order = v[2] == '1' ? PSTORE_ORDER_61 : PSTORE_ORDER_62;
		} else if (!strcmp(a, "--pstore-log")) {
			if (i + 1 == argc || strcmp(argv[++i], "pmsg")) {
				fw_error(a, strlen(a), "expects pmsg");
				return EFI_INVALID_PARAMETER;
			}
			o->pstore_log = true;
		} else if (!strcmp(a, "-f") || !strcmp(a, "--dump")) {
			if (i + 1 == argc) {
				fw_error(a, strlen(a), "needs a FILE (see memmap.efi --help)");
				return EFI_INVALID_PARAMETER;
			}
			if (a[1] == 'f') {
				st = read_words_file(li, o, argv[++i], true, depth);
				if (EFI_ERROR(st))
					return st;
			} else {
				o->dump.len = 0;
				mm_buf_puts(&o->dump, argv[++i]);
			}
		} else if (!strcmp(a, "--")) {
			if (i + 1 == argc || o->chain.len) {
				fw_error(a, strlen(a), o->chain.len ? "given twice" :
					 "needs the PATH of an EFI image to start");
				return EFI_INVALID_PARAMETER;
			}
			mm_buf_puts(&o->chain, argv[++i]);
			while (++i < argc) {
				if (o->kargs.len)
					mm_buf_putc(&o->kargs, ' ');
				mm_buf_puts(&o->kargs, argv[i]);
			}
			return fw_status(o->line.rc ? o->line.rc :
					 o->chain.rc ? o->chain.rc : o->kargs.rc);
		} else if (a[0] == '-') {
			fw_error(a, strlen(a), "unknown option (see memmap.efi --help)");
			return EFI_INVALID_PARAMETER;
		} else {
			if (o->line.len)
				mm_buf_putc(&o->line, ' ');
			mm_buf_puts(&o->line, a);
		}
	}
	return fw_status(o->line.rc);
}

/* GetMemoryMap, retried until the buffer is big enough */
static EFI_STATUS snapshot(struct efimap_desc **out, size_t *n)
{
	UINTN size = 0, key, dsize = 0, i;
	UINT32 dver;
	void *buf = NULL;
	EFI_STATUS st;

	*out = NULL;
	for (;;) {
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &size, buf, &key,
				       &dsize, &dver);
		if (st != EFI_BUFFER_TOO_SMALL)
			break;
		fw_alloc.realloc(NULL, buf, 0);
		size += 8 * (dsize ? dsize : sizeof(EFI_MEMORY_DESCRIPTOR));
		buf = fw_alloc.realloc(NULL, NULL, size);
		if (!buf)
			return EFI_OUT_OF_RESOURCES;
	}
	if (EFI_ERROR(st) || dsize < sizeof(EFI_MEMORY_DESCRIPTOR)) {
		fw_alloc.realloc(NULL, buf, 0);
		return EFI_ERROR(st) ? st : EFI_UNSUPPORTED;
	}
	*n = size / dsize;
	*out = fw_alloc.realloc(NULL, NULL, (*n ? *n : 1) * sizeof(**out));
	if (!*out) {
		fw_alloc.realloc(NULL, buf, 0);
		return EFI_OUT_OF_RESOURCES;
	}
	for (i = 0; i < *n; i++) {
		EFI_MEMORY_DESCRIPTOR *d =
			(EFI_MEMORY_DESCRIPTOR *)((char *)buf + i * dsize);

		(*out)[i].type = d->Type;
		(*out)[i].phys_addr = d->PhysicalStart;
		(*out)[i].num_pages = d->NumberOfPages;
		(*out)[i].attribute = d->Attribute;
	}
	fw_alloc.realloc(NULL, buf, 0);
	return EFI_SUCCESS;
}

/* Firmware-free memory (EfiConventionalMemory) as type-1 ranges */
static int free_ranges(struct e820_table *t, const struct efimap_desc *d,
		       size_t n)
{
	size_t i;
	int rc = 0;

	t->nr = 0;
	for (i = 0; !rc && i < n; i++)
		if (d[i].type == EFI_CONVENTIONAL_MEMORY)
			rc = e820_range_add(t, d[i].phys_addr,
					    d[i].num_pages << EFIMAP_PAGE_SHIFT,
					    E820_TYPE_RAM);
	return rc ? rc : e820_sanitize(t);
}

/* Claimed ranges, to give back when a later claim fails */
static EFI_STATUS claim(struct e820_table *claimed, uint64_t start,
			uint64_t size)
{
	EFI_PHYSICAL_ADDRESS a = start;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress,
			       EfiReservedMemoryType, size >> EFIMAP_PAGE_SHIFT, &a);
	if (EFI_ERROR(st))
		return st;
	if (e820_range_add(claimed, start, size, 0)) {
		uefi_call_wrapper(BS->FreePages, 2, a, size >> EFIMAP_PAGE_SHIFT);
		return EFI_OUT_OF_RESOURCES;
	}
	return EFI_SUCCESS;
}

static void release(struct e820_table *claimed)
{
	size_t i;

	for (i = 0; i < claimed->nr; i++)
		uefi_call_wrapper(BS->FreePages, 2,
				  (EFI_PHYSICAL_ADDRESS)claimed->entries[i].addr,
				  claimed->entries[i].size >> EFIMAP_PAGE_SHIFT);
	claimed->nr = 0;
}

/*
 * Claim every placed region, and every fixed reserved ($) range that
 * lies wholly in free memory (whole pages, overlaps merged).
 */
static EFI_STATUS claim_all(const struct cmdline_plan *plan,
			    const struct memmap_registry *reg,
			    const struct e820_table *within,
			    struct e820_table *claimed)
{
	struct e820_fit f = { .align = 4096 };
	struct e820_table fixed;
	EFI_STATUS st = EFI_SUCCESS;
	size_t i;
	int rc = 0;

	e820_table_init(&fixed, &fw_alloc);
	for (i = 0; !rc && i < plan->nops; i++) {
		const struct cmdline_op *op = &plan->ops[i];
		uint64_t s = op->start & ~0xfffULL;
		uint64_t e = op->start + op->size;

		if (op->kind != CMDLINE_OP_ADD || op->type != E820_TYPE_RESERVED)
			continue;
		if (e > UINT64_MAX - 0xfff)
			continue;
		e = (e + 0xfff) & ~0xfffULL;
		rc = e820_range_add(&fixed, s, e - s, E820_TYPE_RAM);
	}
	if (!rc)
		rc = e820_sanitize(&fixed);
	for (i = 0; !rc && !EFI_ERROR(st) && i < fixed.nr; i++) {
		f.size = fixed.entries[i].size;
		if (e820_fits_at(within, &f, fixed.entries[i].addr))
			continue;
		st = claim(claimed, fixed.entries[i].addr, fixed.entries[i].size);
	}
	for (i = 0; !rc && !EFI_ERROR(st) && i < reg->nr; i++)
		st = claim(claimed, reg->r[i].start, reg->r[i].size);
	e820_table_free(&fixed);
	if (rc)
		st = fw_status(rc);
	if (EFI_ERROR(st))
		release(claimed);
	return st;
}

/* A line for each remembered region placed elsewhere this time */
static void print_moved(struct mm_buf *out, const struct memmap_registry *reg,
			const struct memmap_registry *sticky)
{
	const struct memmap_region *old;
	size_t i;

	for (i = 0; i < reg->nr; i++) {
		old = memmap_registry_find(sticky, reg->r[i].name);
		if (!old || old->start == reg->r[i].start)
			continue;
		memmap_region_print(out, "moved", old);
		mm_buf_puts(out, "moved: ");
		mm_buf_puts(out, reg->r[i].name);
		mm_buf_puts(out, " could not be reused; its old contents are not carried over\n");
	}
}

static EFI_STATUS write_dump(EFI_LOADED_IMAGE *li, const char *path,
			     const struct efimap_desc *d, size_t n)
{
	struct mm_buf b;
	EFI_STATUS st;
	size_t i;

	mm_buf_init(&b, &fw_alloc);
	for (i = 0; i < n; i++)
		efimap_print_desc(&b, i, &d[i]);
	st = b.rc ? EFI_OUT_OF_RESOURCES : fw_file_write(li, path, b.s, b.len);
	mm_buf_free(&b);
	if (EFI_ERROR(st))
		fw_error(path, strlen(path), "cannot write the --dump file");
	return st;
}

/*
 * Hand the words over to whatever boots next: memmap.env for GRUB, the
 * SMBIOS record for systemd-boot and systemd-stub, and LoadOptions when
 * PATH is a kernel or a UKI; then start PATH.  The channels that fail
 * print a warning and the boot goes on.
 */
static EFI_STATUS hand_over(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
			    const struct fw_opts *o,
			    const struct cmdline_plan *plan,
			    const struct memmap_registry *reg)
{
	enum handover_image kind = HANDOVER_OTHER;
	struct mm_buf words, opts;
	EFI_STATUS st;

	mm_buf_init(&words, &fw_alloc);
	mm_buf_init(&opts, &fw_alloc);
	cmdline_rewrite(plan, reg, &words);
	if (words.rc) {
		st = fw_status(words.rc);
		goto out;
	}
	if (o->chain.len)
		kind = fw_image_kind(li, o->chain.s);
	fw_grubenv_save(li, words.s ? words.s : "", words.len);
	/* A kernel or UKI started here reads the words from LoadOptions;
	 * a UKI's stub would add the SMBIOS ones a second time */
	if (kind == HANDOVER_OTHER)
		fw_smbios_words(words.s ? words.s : "", words.len, true);
	if (!o->chain.len) {
		st = EFI_SUCCESS;
		goto out;
	}

	if (kind != HANDOVER_OTHER)
		mm_buf_putn(&opts, words.s ? words.s : "", words.len);
	if (opts.len && o->kargs.len)
		mm_buf_putc(&opts, ' ');
	mm_buf_putn(&opts, o->kargs.s ? o->kargs.s : "", o->kargs.len);
	st = opts.rc ? fw_status(opts.rc) :
	     fw_chain(image, li, o->chain.s, kind, opts.s ? opts.s : "", opts.len);
out:
	mm_buf_free(&opts);
	mm_buf_free(&words);
	return st;
}

static EFI_STATUS run(EFI_HANDLE image, EFI_LOADED_IMAGE *li,
		      struct fw_opts *o)
{
	struct cmdline_plan plan;
	struct cmdline_error err;
	struct e820_table fw, attrs, within, result, claimed;
	struct memmap_registry reg, sticky;
	struct cmdline_place place;
	struct efimap_desc *descs = NULL;
	struct mm_buf out;
	size_t ndesc = 0;
	EFI_STATUS st;
	int rc, tries;

	rc = cmdline_parse(o->line.s ? o->line.s : "", o->line.len, &fw_alloc,
			   &plan, &err);
	if (rc) {
		if (rc == -MM_EINVAL)
			fw_error(err.word, err.word_len, err.reason);
		return fw_status(rc);
	}

	e820_table_init(&fw, &fw_alloc);
	e820_table_init(&attrs, &fw_alloc);
	e820_table_init(&within, &fw_alloc);
	e820_table_init(&result, &fw_alloc);
	e820_table_init(&claimed, &fw_alloc);
	memmap_registry_init(&reg, &fw_alloc);
	memmap_registry_init(&sticky, &fw_alloc);
	mm_buf_init(&out, &fw_alloc);

	if (!o->forget && fw_sticky_read(&sticky) == EFI_COMPROMISED_DATA)
		fw_print("memmap: warning: MemmapSticky is malformed; not reusing it\n", 61);

	/* Place on a fresh snapshot until every claim succeeds */
	for (tries = 0; tries < CLAIM_TRIES; tries++) {
		fw_alloc.realloc(NULL, descs, 0);
		st = snapshot(&descs, &ndesc);
		if (EFI_ERROR(st))
			goto out;
		rc = efimap_to_e820(&fw, &attrs, descs, ndesc, plan.soft_reserve);
		if (!rc)
			rc = free_ranges(&within, descs, ndesc);
		if (rc) {
			fw_error("GetMemoryMap", 12, "the firmware map is invalid");
			st = fw_status(rc);
			goto out;
		}
		place = (struct cmdline_place){ .attrs = &attrs,
						.within = &within,
						.sticky = &sticky };
		memmap_registry_free(&reg);
		rc = cmdline_apply(&plan, &fw, &place, &result, &reg, &err);
		if (rc) {
			if (rc == -MM_EINVAL || rc == -MM_ENOSPC)
				fw_error(err.word, err.word_len, err.reason);
			st = rc == -MM_ENOSPC ? EFI_INVALID_PARAMETER : fw_status(rc);
			goto out;
		}
		st = claim_all(&plan, &reg, &within, &claimed);
		if (st != EFI_NOT_FOUND)
			break;
	}
	if (EFI_ERROR(st)) {
		fw_error("AllocatePages", 13, "could not claim the regions");
		goto out;
	}

	/* Publish; on failure give the memory back */
	if (o->forget)
		st = fw_sticky_forget();
	if (!EFI_ERROR(st))
		st = fw_publish(&reg);
	if (!EFI_ERROR(st) && reg.nr)
		st = fw_sticky_write(&reg, &sticky);
	if (EFI_ERROR(st)) {
		fw_error("SetVariable", 11, "could not publish the named regions");
		release(&claimed);
		goto out;
	}

	cmdline_report(&out, &plan, &fw, &result, &reg, o->quiet);
	print_moved(&out, &reg, &sticky);
	st = fw_pstore(li, &plan, &reg, o->order, o->quiet, &out);
	if (!EFI_ERROR(st) && out.rc)
		st = EFI_OUT_OF_RESOURCES;
	fw_print_buf(&out);
	if (!EFI_ERROR(st) && o->pstore_log)
		st = fw_pstore_log(&plan, &reg, o->order, &out);
	if (EFI_ERROR(st))
		goto out;
	if (o->dump.len)
		st = write_dump(li, o->dump.s, descs, ndesc);
	if (!EFI_ERROR(st))
		st = hand_over(image, li, o, &plan, &reg);
out:
	fw_alloc.realloc(NULL, descs, 0);
	mm_buf_free(&out);
	memmap_registry_free(&sticky);
	memmap_registry_free(&reg);
	e820_table_free(&claimed);
	e820_table_free(&result);
	e820_table_free(&within);
	e820_table_free(&attrs);
	e820_table_free(&fw);
	cmdline_plan_free(&plan);
	return st;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static EFI_GUID li_guid = LOADED_IMAGE_PROTOCOL;
	EFI_LOADED_IMAGE *li;
	struct fw_opts o = { 0 };
	char **argv;
	size_t argc;
	EFI_STATUS st;

	InitializeLib(image, systab);
	mm_buf_init(&o.line, &fw_alloc);
	mm_buf_init(&o.kargs, &fw_alloc);
	mm_buf_init(&o.chain, &fw_alloc);
	mm_buf_init(&o.dump, &fw_alloc);
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &li_guid,
			       (void **)&li);
	if (EFI_ERROR(st))
		return st;
	st = get_args(image, li, &argv, &argc);
	if (EFI_ERROR(st)) {
		fw_error("LoadOptions", 11, "cannot read the arguments");
		return st;
	}
	if (!argc)
		st = read_words_file(li, &o, "memmap.conf", false, 0);
	else
		st = parse_opts(li, argv, argc, &o, 0);
	free_words(argv, argc);
	if (!EFI_ERROR(st) && o.help)
		fw_print(usage, sizeof(usage) - 1);
	else if (!EFI_ERROR(st))
		st = run(image, li, &o);
	mm_buf_free(&o.line);
	mm_buf_free(&o.kargs);
	mm_buf_free(&o.chain);
	mm_buf_free(&o.dump);
	return st;
}
