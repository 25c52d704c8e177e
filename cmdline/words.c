/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command line as words: the tokenizer (next_arg()), parameter
 * names (parameq()), and the line without memmap's own words.
 */
#include "cmdline.h"
#include "words.h"

/* The kernel's parameq(): '-' and '_' are the same in parameter names */
bool cmdline_param_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return false;
		if (!x)
			return true;
	}
}

/* Split buf (a copy of line) into words as the kernel's next_arg() does */
int cmdline_tokenize(struct cmdline_plan *p, const char *line, size_t len)
{
	char *buf = p->buf;
	size_t pos = 0;
	int rc;

	while (pos < len && mm_isspace((unsigned char)buf[pos]))
		pos++;
	while (pos < len) {
		char *args = buf + pos;
		size_t i, equals = 0, start = pos;
		bool in_quote = false, quoted = false;
		struct cmdline_word *w;

		if (*args == '"') {
			args++;
			in_quote = quoted = true;
		}
		for (i = 0; args[i]; i++) {
			if (mm_isspace((unsigned char)args[i]) && !in_quote)
				break;
			if (equals == 0 && args[i] == '=')
				equals = i;
			if (args[i] == '"')
				in_quote = !in_quote;
		}

		rc = mm_grow(p->alloc, &p->words, &p->cap_words, p->nwords + 1,
			     sizeof(*p->words));
		if (rc)
			return rc;
		w = &p->words[p->nwords++];
		memset(w, 0, sizeof(*w));
		w->raw = line + start;
		w->raw_len = (size_t)(args - buf) + i - start;
		w->param = args;
		w->wild = SIZE_MAX;
		if (equals) {
			char *val = args + equals + 1;

			args[equals] = '\0';
			if (*val == '"') {
				val++;
				if (args[i - 1] == '"')
					args[i - 1] = '\0';
			}
			w->val = val;
		}
		if (quoted && i > 0 && args[i - 1] == '"')
			args[i - 1] = '\0';

		pos = (size_t)(args - buf) + i;
		if (pos < len)
			buf[pos++] = '\0';
		while (pos < len && mm_isspace((unsigned char)buf[pos]))
			pos++;
	}
	return 0;
}

int cmdline_strip(const char *line, size_t len, const struct mm_alloc *a,
		  struct mm_buf *out)
{
	struct cmdline_plan p = { .alloc = a };
	bool init = false, first = true;
	size_t i;
	int rc;

	if (len == SIZE_MAX)
		return -MM_ENOMEM;
	p.buf = a->realloc(a->ctx, NULL, len + 1);
	if (!p.buf)
		return -MM_ENOMEM;
	memcpy(p.buf, line, len);
	p.buf[len] = '\0';
	rc = cmdline_tokenize(&p, line, len);
	for (i = 0; !rc && i < p.nwords; i++) {
		const struct cmdline_word *w = &p.words[i];

		if (!w->val && !strcmp(w->param, "--"))
			init = true;
		if (!init && (!strcmp(w->param, "memmap") || !strcmp(w->param, "mem") ||
			      cmdline_param_eq(w->param, "reserve_mem") ||
			      cmdline_param_eq(w->param, "ramoops.mem_name")))
			continue;
		if (!first)
			mm_buf_putc(out, ' ');
		mm_buf_putn(out, w->raw, w->raw_len);
		first = false;
	}
	cmdline_plan_free(&p);
	return rc ? rc : out->rc;
}
