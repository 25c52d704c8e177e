/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel command line: tokenized with the kernel's rules (lib/cmdline.c
 * next_arg), every memory option parsed and validated into a plan before
 * anything is applied.  Forms (Linux 6.1, arch/x86/kernel/e820.c):
 *   memmap=nn@ss  memmap=nn#ss  memmap=nn$ss  memmap=nn!ss
 *   memmap=nn%ss[-old][+new]  memmap=exactmap  memmap=nn  mem=nn
 * and the placed forms memmap=SIZE*ALIGN:NAME, reserve_mem=SIZE:ALIGN:NAME.
 */
#ifndef CMDLINE_CMDLINE_H
#define CMDLINE_CMDLINE_H

#include "../e820/e820.h"

/* Where and why a command line was refused */
struct cmdline_error {
	const char *word;	/* the offending word, in the caller's line */
	size_t word_len;
	const char *reason;
};

enum cmdline_op_kind {
	CMDLINE_OP_ADD,		/* nn@ss nn#ss nn$ss nn!ss nn%ss+new */
	CMDLINE_OP_UPDATE,	/* nn%ss-old+new */
	CMDLINE_OP_REMOVE,	/* nn%ss-old (typed), nn%ss (any type) */
	CMDLINE_OP_LIMIT,	/* memmap=nn, mem=nn: usable memory from nn up goes */
	CMDLINE_OP_EXACTMAP,	/* memmap=exactmap: the table is emptied */
};

/* A fixed-address operation, applied in command-line order */
struct cmdline_op {
	enum cmdline_op_kind kind;
	uint64_t start, size;
	uint32_t type;		/* ADD/UPDATE: the new type */
	uint32_t old_type;	/* UPDATE, typed REMOVE */
	bool check_type;	/* REMOVE: only entries of old_type */
	size_t word;		/* index into plan->words */
};

/* A region placed after the fixed operations */
struct cmdline_wild {
	uint64_t size;
	uint64_t align;		/* a power of two, at least 4096 */
	const char *name;
	size_t word;
};

enum cmdline_word_kind {
	CMDLINE_WORD_OTHER,	/* passed through unchanged */
	CMDLINE_WORD_MEMMAP,
	CMDLINE_WORD_MEM,
	CMDLINE_WORD_RESERVE_MEM,
	CMDLINE_WORD_RAMOOPS_NAME,
};

/* One element of a memmap= comma list */
struct cmdline_elem {
	const char *text;	/* NUL-terminated */
	size_t wild;		/* index into plan->wild, or SIZE_MAX */
};

struct cmdline_word {
	const char *raw;	/* in the caller's line, quotes included */
	size_t raw_len;
	const char *param;	/* NUL-terminated, quotes removed */
	const char *val;	/* NULL when there is no '=' */
	enum cmdline_word_kind kind;
	size_t first_elem, nelem;	/* MEMMAP: its elements */
	size_t wild;		/* RESERVE_MEM: index into plan->wild */
};

/* ramoops module parameters, with Linux 6.1's defaults */
struct cmdline_ramoops {
	const char *mem_name;	/* NULL when not given */
	uint64_t mem_address, mem_size;
	uint64_t record_size, console_size, ftrace_size, pmsg_size;
	uint32_t ecc;		/* parity bytes per block; ecc=1 means 16 */
	bool has_address, has_size;
};

struct cmdline_plan {
	const struct mm_alloc *alloc;
	char *buf;		/* the tokenized copy of the line */
	struct cmdline_word *words;
	size_t nwords, cap_words;
	struct cmdline_elem *elems;
	size_t nelems, cap_elems;
	struct cmdline_op *ops;
	size_t nops, cap_ops;
	struct cmdline_wild *wild;
	size_t nwild, cap_wild;
	bool userdef;		/* a memory option was given */
	bool soft_reserve;	/* false with efi=nosoftreserve */
	struct cmdline_ramoops ramoops;
};

/**
 * cmdline_memparse() - Linux's memparse(): a number in base 0 (0x hex,
 * leading 0 octal, else decimal) and one optional K M G T P E suffix in
 * either case.
 * @s:   the text
 * @val: the value
 * @end: set to the first character not used
 * Return: 0; -MM_EINVAL when there is no digit; -MM_ERANGE when the value
 * does not fit 64 bits (Linux wraps silently).
 */
int cmdline_memparse(const char *s, uint64_t *val, const char **end);

/**
 * cmdline_parse() - tokenize @line and validate every word
 * @line:  the command line; must outlive @plan (words point into it)
 * @len:   its length in bytes (no NUL needed)
 * @a:     allocator for the plan
 * @plan:  filled on success; free with cmdline_plan_free()
 * @err:   filled on -MM_EINVAL
 * Return: 0, -MM_EINVAL (bad word, see @err) or -MM_ENOMEM.  On error
 * @plan holds nothing to free.
 */
int cmdline_parse(const char *line, size_t len, const struct mm_alloc *a,
		  struct cmdline_plan *plan, struct cmdline_error *err);

void cmdline_plan_free(struct cmdline_plan *plan);

/* The region @plan places under @name (names are unique), or NULL */
const struct cmdline_wild *cmdline_wild_find(const struct cmdline_plan *plan,
					     const char *name);

/**
 * cmdline_strip() - @line without memmap's own words: the words are split
 * as cmdline_parse() splits them (nothing is validated), and memmap=,
 * mem=, reserve_mem= and ramoops.mem_name= before a "--" are dropped;
 * every other word passes unchanged, in order, separated by single
 * spaces.  What memmap.efi hands on when it gives up: the machine boots
 * as it would without memmap.
 * Return: 0, or -MM_ENOMEM; the words are appended to @out.
 */
int cmdline_strip(const char *line, size_t len, const struct mm_alloc *a,
		  struct mm_buf *out);

#endif
