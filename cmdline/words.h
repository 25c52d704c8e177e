/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside cmdline/: the word splitting that cmdline.c's parser and
 * cmdline_strip() share (words.c).
 */
#ifndef MEMMAP_CMDLINE_WORDS_H
#define MEMMAP_CMDLINE_WORDS_H

#include "cmdline.h"

/* The kernel's parameq(): '-' and '_' are the same in parameter names */
bool cmdline_param_eq(const char *a, const char *b);

/* Split @p->buf (a copy of @line) into @p->words as next_arg() does */
int cmdline_tokenize(struct cmdline_plan *p, const char *line, size_t len);

#endif
