/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The page-granular reference model of e820 operations, shared by the
 * unit test (tests/unit/model.c) and the fuzz target
 * (tests/fuzz/e820ops.c).  An entry is a type and a mask of the
 * MODEL_CELLS cells it covers; the model keeps every entry, because
 * Linux's update and remove act on entries, not on the winning type.
 * The includer defines MODEL_CHECK(cond, msg).
 */
#ifndef TESTS_UNIT_MODEL_H
#define TESTS_UNIT_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../e820/e820.h"

#define MODEL_CELLS 64

struct model_entry {
	uint32_t type;
	uint64_t mask;		/* bit c: cell c is covered */
};

struct model {
	struct model_entry *e;
	size_t n, cap;
};

static inline void model_push(struct model *m, uint32_t type, uint64_t mask)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->e = realloc(m->e, m->cap * sizeof(*m->e));
		MODEL_CHECK(m->e != NULL, "out of memory");
	}
	m->e[m->n].type = type;
	m->e[m->n].mask = mask;
	m->n++;
}

/* Cells [first, first+count) as a mask; count may reach the window end */
static inline uint64_t model_mask(unsigned int first, unsigned int count)
{
	uint64_t m = count >= 64 ? ~0ULL : (1ULL << count) - 1;

	return first >= 64 ? 0 : m << first;
}

/*
 * An empty range strictly inside an entry still splits it in two (Linux
 * keeps the head and appends the tail): entry @i's run through the
 * boundary before cell @p becomes two runs, the tail a new entry.
 */
static inline void model_split(struct model *m, size_t i, unsigned int p)
{
	uint64_t mask = m->e[i].mask, tail = 0;

	if (p == 0 || p >= MODEL_CELLS || !(mask >> (p - 1) & 1) || !(mask >> p & 1))
		return;
	for (; p < MODEL_CELLS && (mask >> p & 1); p++)
		tail |= 1ULL << p;
	m->e[i].mask &= ~tail;
	model_push(m, m->e[i].type, tail);
}

static inline void model_update(struct model *m, uint64_t range, unsigned int first,
			 uint32_t old_type, uint32_t new_type)
{
	size_t i, n = m->n;

	for (i = 0; i < n; i++) {
		uint64_t covered = m->e[i].mask & range;

		if (m->e[i].type == old_type && !range)
			model_split(m, i, first);
		if (m->e[i].type != old_type || !covered)
			continue;
		if (covered == m->e[i].mask) {
			m->e[i].type = new_type;
			continue;
		}
		m->e[i].mask &= ~range;
		model_push(m, new_type, covered);
	}
}

static inline void model_remove(struct model *m, uint64_t range, unsigned int first,
			 uint32_t old_type, bool check_type)
{
	size_t i, n = m->n;

	for (i = 0; i < n; i++) {
		if (check_type && m->e[i].type != old_type)
			continue;
		if (!range)
			model_split(m, i, first);
		m->e[i].mask &= ~range;
	}
}

static inline bool model_nomerge(uint32_t type)
{
	return type == E820_TYPE_PRAM || type == E820_TYPE_SOFT_RESERVED;
}

#endif
