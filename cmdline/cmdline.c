/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memparse and the memory-option parser (words.c splits the line).
 */
#include "cmdline.h"
#include "words.h"
#include "../pstore/pstore.h"

#define PAGE_SIZE_4K 4096u
#define NAME_MAX_LEN 63

static int digit_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

/*
 * simple_strtoull(s, end, 0), but an error instead of a silent wrap:
 * 0x followed by a hex digit is hex, a leading 0 octal, else decimal.
 */
static int parse_base0(const char *s, uint64_t *val, const char **end)
{
	unsigned int base = 10;
	const char *p = s;
	uint64_t v = 0;
	int d;

	if (p[0] == '0') {
		base = 8;
		if ((p[1] == 'x' || p[1] == 'X') && digit_val(p[2]) < 16) {
			base = 16;
			p += 2;
		}
	}
	for (; (d = digit_val(*p)) < (int)base; p++) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -MM_ERANGE;
		v = v * base + (uint64_t)d;
	}
	*end = p;
	if (p == s)
		return -MM_EINVAL;
	*val = v;
	return 0;
}

int cmdline_memparse(const char *s, uint64_t *val, const char **end)
{
	static const char suffixes[] = "kmgtpe";
	const char *p;
	uint64_t v;
	unsigned int shift = 0, i;
	int rc;

	rc = parse_base0(s, &v, &p);
	if (rc)
		return rc;
	for (i = 0; suffixes[i]; i++) {
		if (*p == suffixes[i] || *p == suffixes[i] - 'a' + 'A') {
			shift = 10 * (i + 1);
			p++;
			break;
		}
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -MM_ERANGE;
	*val = v << shift;
	*end = p;
	return 0;
}

struct parser {
	struct cmdline_plan *plan;
	struct cmdline_error *err;
	size_t word;		/* index of the word being parsed */
};

static int fail(struct parser *ps, const char *reason)
{
	const struct cmdline_word *w = &ps->plan->words[ps->word];

	ps->err->word = w->raw;
	ps->err->word_len = w->raw_len;
	ps->err->reason = reason;
	return -MM_EINVAL;
}

static int add_op(struct parser *ps, const struct cmdline_op *op)
{
	struct cmdline_plan *p = ps->plan;
	int rc;

	rc = mm_grow(p->alloc, &p->ops, &p->cap_ops, p->nops + 1,
		     sizeof(*p->ops));
	if (rc)
		return rc;
	p->ops[p->nops] = *op;
	p->ops[p->nops].word = ps->word;
	p->nops++;
	return 0;
}

/* A size or an address: memparse, then report what went wrong */
static int parse_mem(struct parser *ps, const char *s, uint64_t *v,
		     const char **end, const char *what_nan,
		     const char *what_big)
{
	int rc = cmdline_memparse(s, v, end);

	if (rc == -MM_EINVAL)
		return fail(ps, what_nan);
	if (rc)
		return fail(ps, what_big);
	return 0;
}

/* A type number after '-' or '+' of the '%' form: plain, no suffix */
static int parse_type(struct parser *ps, const char *s, uint32_t *type,
		      const char **end)
{
	uint64_t v;
	int rc = parse_base0(s, &v, end);

	if (rc == -MM_EINVAL)
		return fail(ps, "type after '-' or '+' is not a number");
	if (rc || v > UINT32_MAX)
		return fail(ps, "type does not fit 32 bits");
	if (!v)
		return fail(ps, "type 0 is not an e820 type");
	*type = (uint32_t)v;
	return 0;
}

static bool name_char_ok(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != ',' && c != ':';
}

/* Validate a region name; NULL when good, else the reason */
static const char *name_problem(const char *name)
{
	size_t n;

	for (n = 0; name[n]; n++)
		if (!name_char_ok((unsigned char)name[n]))
			return "region name may hold only printable ASCII, no space, comma or colon";
	if (!n)
		return "region name is empty";
	if (n > NAME_MAX_LEN)
		return "region name is longer than 63 characters";
	return NULL;
}

/* SIZE<sep>ALIGN:NAME of a wildcard or reserve_mem word */
static int parse_placed(struct parser *ps, const char *s, char sep,
			bool zero_align_ok, size_t *index)
{
	struct cmdline_plan *p = ps->plan;
	struct cmdline_wild w;
	const char *q, *why;
	size_t i;
	int rc;

	rc = parse_mem(ps, s, &w.size, &q, "size is not a number",
		       "size does not fit 64 bits");
	if (rc)
		return rc;
	if (*q != sep)
		return fail(ps, sep == '*' ? "expected '*' after the size" :
				"expected ':' after the size");
	rc = parse_mem(ps, q + 1, &w.align, &q, "alignment is not a number",
		       "alignment does not fit 64 bits");
	if (rc)
		return rc;
	if (*q != ':')
		return fail(ps, "expected ':NAME' after the alignment");
	if (!w.size)
		return fail(ps, "size is zero");
	if (w.size % PAGE_SIZE_4K)
		return fail(ps, "size is not a multiple of 4 KiB");
	if (!(w.align == 0 && zero_align_ok) && !mm_is_pow2(w.align))
		return fail(ps, "alignment is not a power of two");
	if (w.align < PAGE_SIZE_4K)
		w.align = PAGE_SIZE_4K;
	w.name = q + 1;
	why = name_problem(w.name);
	if (why)
		return fail(ps, why);
	for (i = 0; i < p->nwild; i++)
		if (!strcmp(p->wild[i].name, w.name))
			return fail(ps, "region name already used by an earlier word");
	w.word = ps->word;

	rc = mm_grow(p->alloc, &p->wild, &p->cap_wild, p->nwild + 1,
		     sizeof(*p->wild));
	if (rc)
		return rc;
	*index = p->nwild;
	p->wild[p->nwild++] = w;
	return 0;
}

/* The start address after @, #, $, ! or % */
static int parse_start(struct parser *ps, const char *s, uint64_t *start,
		       const char **end)
{
	return parse_mem(ps, s, start, end, "start address is not a number",
			 "start address does not fit 64 bits");
}

/* Fixed form nn{@#$!}ss */
static int parse_fixed(struct parser *ps, uint64_t size, const char *s,
		       uint32_t type)
{
	struct cmdline_op op = { .kind = CMDLINE_OP_ADD, .type = type };
	const char *q;
	int rc;

	rc = parse_start(ps, s, &op.start, &q);
	if (rc)
		return rc;
	if (*q)
		return fail(ps, "trailing characters after the start address");
	if (!size)
		return fail(ps, "size is zero");
	if (size > UINT64_MAX - op.start)
		return fail(ps, "range wraps past 2^64");
	op.size = size;
	return add_op(ps, &op);
}

/* nn%ss[-old][+new] */
static int parse_percent(struct parser *ps, uint64_t size, const char *s)
{
	struct cmdline_op op = { .size = size };
	bool has_old = false, has_new = false;
	const char *q;
	int rc;

	rc = parse_start(ps, s, &op.start, &q);
	if (rc)
		return rc;
	if (*q == '-') {
		rc = parse_type(ps, q + 1, &op.old_type, &q);
		if (rc)
			return rc;
		has_old = true;
	}
	if (*q == '+') {
		rc = parse_type(ps, q + 1, &op.type, &q);
		if (rc)
			return rc;
		has_new = true;
	}
	if (*q)
		return fail(ps, "trailing characters: expected nn%ss, then -OLD and/or +NEW");
	if (!size)
		return fail(ps, "size is zero");
	if (size - 1 > UINT64_MAX - op.start ||
	    (has_new && !has_old && size > UINT64_MAX - op.start))
		return fail(ps, "range wraps past 2^64");
	if (has_old && has_new) {
		if (op.old_type == op.type)
			return fail(ps, "old and new type are the same (Linux would BUG)");
		op.kind = CMDLINE_OP_UPDATE;
	} else if (has_new) {
		op.kind = CMDLINE_OP_ADD;
	} else {
		op.kind = CMDLINE_OP_REMOVE;
		op.check_type = has_old;
	}
	return add_op(ps, &op);
}

static int parse_memmap_elem(struct parser *ps, char *s, size_t *wild)
{
	struct cmdline_op op = { .kind = CMDLINE_OP_EXACTMAP };
	uint64_t size;
	const char *q;
	int rc;

	*wild = SIZE_MAX;
	if (!*s)
		return fail(ps, "empty memmap= element");
	if (!strcmp(s, "exactmap"))
		return add_op(ps, &op);

	rc = parse_mem(ps, s, &size, &q, "size is not a number (or exactmap)",
		       "size does not fit 64 bits");
	if (rc)
		return rc;
	switch (*q) {
	case '@':
		return parse_fixed(ps, size, q + 1, E820_TYPE_RAM);
	case '#':
		return parse_fixed(ps, size, q + 1, E820_TYPE_ACPI);
	case '$':
		return parse_fixed(ps, size, q + 1, E820_TYPE_RESERVED);
	case '!':
		return parse_fixed(ps, size, q + 1, E820_TYPE_PRAM);
	case '%':
		return parse_percent(ps, size, q + 1);
	case '*':
		return parse_placed(ps, s, '*', false, wild);
	case '\0':
		if (!size)
			return fail(ps, "a limit of 0 removes all usable memory");
		op.kind = CMDLINE_OP_LIMIT;
		op.start = size;
		return add_op(ps, &op);
	default:
		if (digit_val(*q) < 10 || *q == 'x' || *q == 'X')
			return fail(ps, "size is not a number in its base: a leading 0 means octal, 0x needs hex digits");
		return fail(ps, "unknown form: expected nn@ss, nn#ss, nn$ss, nn!ss, nn%ss, nn*align:name, nn or exactmap");
	}
}

static int parse_memmap(struct parser *ps, struct cmdline_word *w)
{
	struct cmdline_plan *p = ps->plan;
	char *s = (char *)w->val;
	int rc;

	w->first_elem = p->nelems;
	for (;;) {
		char *comma = s;
		size_t wild;

		while (*comma && *comma != ',')
			comma++;
		if (*comma)
			*comma++ = '\0';
		else
			comma = NULL;
		rc = parse_memmap_elem(ps, s, &wild);
		if (rc)
			return rc;
		rc = mm_grow(p->alloc, &p->elems, &p->cap_elems, p->nelems + 1,
			     sizeof(*p->elems));
		if (rc)
			return rc;
		p->elems[p->nelems].text = s;
		p->elems[p->nelems].wild = wild;
		p->nelems++;
		w->nelem++;
		if (!comma)
			return 0;
		s = comma;
	}
}

static int parse_mem_opt(struct parser *ps, const char *val)
{
	struct cmdline_op op = { .kind = CMDLINE_OP_LIMIT };
	const char *q;
	int rc;

	if (!strcmp(val, "nopentium"))
		return fail(ps, "mem=nopentium is for 32-bit x86 only");
	rc = parse_mem(ps, val, &op.start, &q, "size is not a number",
		       "size does not fit 64 bits");
	if (rc)
		return rc;
	if (*q)
		return fail(ps, "trailing characters after the size");
	if (!op.start)
		return fail(ps, "mem=0 would remove all usable memory");
	return add_op(ps, &op);
}

/* efi=opt,opt: only nosoftreserve matters here */
static void parse_efi_opt(struct cmdline_plan *p, const char *val)
{
	const char *s = val;

	while (*s) {
		size_t n = 0;

		while (s[n] && s[n] != ',')
			n++;
		if (n == 13 && !strncmp(s, "nosoftreserve", 13))
			p->soft_reserve = false;
		s += n;
		if (*s)
			s++;
	}
}

/* A ramoops module parameter: kstrtoul(val, 0) */
static int parse_ramoops_num(struct parser *ps, const char *val, uint64_t *v)
{
	const char *q;
	int rc = parse_base0(val, v, &q);

	if (rc == -MM_EINVAL || (!rc && *q && strcmp(q, "\n")))
		return fail(ps, "value is not a plain number (no K/M/G suffix)");
	if (rc)
		return fail(ps, "value does not fit 64 bits");
	return 0;
}

static int parse_ramoops(struct parser *ps, struct cmdline_word *w,
			 const char *name)
{
	static const struct {
		const char *name;
		size_t off;
	} nums[] = {
		{ "mem_address", offsetof(struct cmdline_ramoops, mem_address) },
		{ "mem_size", offsetof(struct cmdline_ramoops, mem_size) },
		{ "record_size", offsetof(struct cmdline_ramoops, record_size) },
		{ "console_size", offsetof(struct cmdline_ramoops, console_size) },
		{ "ftrace_size", offsetof(struct cmdline_ramoops, ftrace_size) },
		{ "pmsg_size", offsetof(struct cmdline_ramoops, pmsg_size) },
	};
	struct cmdline_ramoops *r = &ps->plan->ramoops;
	const char *why;
	uint64_t v;
	size_t i;
	int rc;

	if (cmdline_param_eq(name, "mem_name")) {
		if (!w->val)
			return fail(ps, "needs a value");
		why = name_problem(w->val);
		if (why)
			return fail(ps, why);
		r->mem_name = w->val;
		w->kind = CMDLINE_WORD_RAMOOPS_NAME;
		return 0;
	}
	if (cmdline_param_eq(name, "ecc")) {
		if (!w->val)
			return fail(ps, "needs a value");
		rc = parse_ramoops_num(ps, w->val, &v);
		if (rc)
			return rc;
		if (v > PSTORE_ECC_MAX)
			return fail(ps, "ecc must be 0 (off), 1 (16 bytes) or 2..127 parity bytes");
		r->ecc = v == 1 ? 16 : (uint32_t)v;
		return 0;
	}
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (!cmdline_param_eq(name, nums[i].name))
			continue;
		if (!w->val)
			return fail(ps, "needs a value");
		rc = parse_ramoops_num(ps, w->val, &v);
		if (rc)
			return rc;
		*(uint64_t *)((char *)r + nums[i].off) = v;
		if (i == 0)
			r->has_address = true;
		if (i == 1)
			r->has_size = true;
		return 0;
	}
	return 0;
}

static int parse_word(struct parser *ps, struct cmdline_word *w)
{
	struct cmdline_plan *p = ps->plan;
	size_t wild;
	int rc;

	if (!strcmp(w->param, "memmap")) {
		w->kind = CMDLINE_WORD_MEMMAP;
		p->userdef = true;
		if (!w->val || !*w->val)
			return fail(ps, "needs a value");
		return parse_memmap(ps, w);
	}
	if (!strcmp(w->param, "mem")) {
		w->kind = CMDLINE_WORD_MEM;
		p->userdef = true;
		if (!w->val || !*w->val)
			return fail(ps, "needs a value");
		return parse_mem_opt(ps, w->val);
	}
	if (cmdline_param_eq(w->param, "reserve_mem")) {
		w->kind = CMDLINE_WORD_RESERVE_MEM;
		p->userdef = true;
		if (!w->val || !*w->val)
			return fail(ps, "needs a value");
		rc = parse_placed(ps, w->val, ':', true, &wild);
		w->wild = wild;
		return rc;
	}
	if (!strcmp(w->param, "efi") && w->val) {
		parse_efi_opt(p, w->val);
		return 0;
	}
	if (!strncmp(w->param, "ramoops.", 8))
		return parse_ramoops(ps, w, w->param + 8);
	return 0;
}

const struct cmdline_wild *cmdline_wild_find(const struct cmdline_plan *plan,
					     const char *name)
{
	size_t k;

	for (k = 0; k < plan->nwild; k++)
		if (!strcmp(plan->wild[k].name, name))
			return &plan->wild[k];
	return NULL;
}

void cmdline_plan_free(struct cmdline_plan *plan)
{
	const struct mm_alloc *a = plan->alloc;

	mm_free(a, plan->buf);
	mm_free(a, plan->words);
	mm_free(a, plan->elems);
	mm_free(a, plan->ops);
	mm_free(a, plan->wild);
	memset(plan, 0, sizeof(*plan));
	plan->alloc = a;
}

/*
 * The ramoops region the line describes must take ramoops' zones, so
 * that a line ramoops would refuse is refused here, before anything is
 * placed or claimed.  The zones are laid out as for an empty region (6.1's
 * order, one CPU); the error names the word that gives the region.
 */
static int check_ramoops(struct parser *ps)
{
	const struct cmdline_plan *plan = ps->plan;
	const struct cmdline_ramoops *r = &plan->ramoops;
	struct pstore_params p = { 0 };
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < plan->nwords; i++) {
		const struct cmdline_word *w = &plan->words[i];

		if (!w->val && !strcmp(w->param, "--")) {
			i = plan->nwords;
			break;
		}
		if (w->kind == CMDLINE_WORD_RAMOOPS_NAME) {
			const struct cmdline_wild *wild = cmdline_wild_find(plan, w->val);

			if (wild)
				p.mem_size = wild->size;
			break;
		}
		if (r->has_address && r->has_size &&
		    cmdline_param_eq(w->param, "ramoops.mem_size")) {
			p.mem_size = r->mem_size;
			break;
		}
	}
	if (i == plan->nwords || !p.mem_size)
		return 0;
	p.record_size = r->record_size;
	p.console_size = r->console_size;
	p.ftrace_size = r->ftrace_size;
	p.pmsg_size = r->pmsg_size;
	p.ecc = r->ecc;
	p.order = PSTORE_ORDER_61;
	p.cpus = 1;
	rc = pstore_check(&p, plan->alloc, &why);
	if (rc == -MM_EINVAL) {
		ps->word = i;
		return fail(ps, why);
	}
	return rc;
}

int cmdline_parse(const char *line, size_t len, const struct mm_alloc *a,
		  struct cmdline_plan *plan, struct cmdline_error *err)
{
	struct parser ps = { .plan = plan, .err = err };
	size_t i;
	int rc;

	memset(plan, 0, sizeof(*plan));
	plan->alloc = a;
	plan->soft_reserve = true;
	plan->ramoops.record_size = 4096;
	plan->ramoops.console_size = 4096;
	plan->ramoops.ftrace_size = 4096;
	plan->ramoops.pmsg_size = 4096;

	for (i = 0; i < len; i++) {
		if (!line[i]) {
			err->word = line;
			err->word_len = i;
			err->reason = "NUL byte inside the command line";
			return -MM_EINVAL;
		}
	}
	if (len == SIZE_MAX)
		return -MM_ENOMEM;
	plan->buf = a->realloc(a->ctx, NULL, len + 1);
	if (!plan->buf)
		return -MM_ENOMEM;
	memcpy(plan->buf, line, len);
	plan->buf[len] = '\0';

	rc = cmdline_tokenize(plan, line, len);
	for (i = 0; !rc && i < plan->nwords; i++) {
		/* Words after "--" are init's, as in the kernel */
		if (!plan->words[i].val && !strcmp(plan->words[i].param, "--"))
			break;
		ps.word = i;
		rc = parse_word(&ps, &plan->words[i]);
	}

	/* Each ramoops.mem_name= must name a region of this line */
	for (i = 0; !rc && i < plan->nwords; i++) {
		const struct cmdline_word *w = &plan->words[i];

		if (w->kind != CMDLINE_WORD_RAMOOPS_NAME)
			continue;
		ps.word = i;
		if (!cmdline_wild_find(plan, w->val))
			rc = fail(&ps, "names no region: add memmap=SIZE*ALIGN:NAME or reserve_mem=SIZE:ALIGN:NAME");
		else if (plan->ramoops.has_address || plan->ramoops.has_size)
			rc = fail(&ps, "conflicts with ramoops.mem_address/mem_size");
	}
	if (!rc)
		rc = check_ramoops(&ps);
	if (rc)
		cmdline_plan_free(plan);
	return rc;
}
