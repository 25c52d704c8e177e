/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plan -> e820 table and named regions; plan -> stock command line.
 */
#include "apply.h"

static int apply_fail(const struct cmdline_plan *plan, size_t word,
		      struct cmdline_error *err, const char *reason, int rc)
{
	err->word = plan->words[word].raw;
	err->word_len = plan->words[word].raw_len;
	err->reason = reason;
	return rc;
}

static int apply_op(struct e820_table *t, const struct cmdline_op *op)
{
	switch (op->kind) {
	case CMDLINE_OP_ADD:
		return e820_range_add(t, op->start, op->size, op->type);
	case CMDLINE_OP_UPDATE:
		return e820_range_update(t, op->start, op->size, op->old_type,
					 op->type);
	case CMDLINE_OP_REMOVE:
		return e820_range_remove(t, op->start, op->size, op->old_type,
					 op->check_type);
	case CMDLINE_OP_LIMIT:
		return e820_range_remove(t, op->start, UINT64_MAX - op->start,
					 E820_TYPE_RAM, true);
	case CMDLINE_OP_EXACTMAP:
		t->nr = 0;
		return 0;
	}
	return -MM_EINVAL;
}

/* Reserve [start, start+size) in @t and record it */
static int place_region(struct e820_table *t, struct memmap_registry *placed,
			const struct cmdline_wild *w, uint64_t start)
{
	int rc;

	rc = e820_range_add(t, start, w->size, E820_TYPE_RESERVED);
	if (!rc)
		rc = e820_sanitize(t);
	if (!rc)
		rc = memmap_registry_add(placed, w->name, start, w->size);
	return rc;
}

/* Every region of @plan, remembered ones first, into @placed */
static int apply_wild(const struct cmdline_plan *plan,
		      const struct cmdline_place *place, struct e820_table *t,
		      struct memmap_registry *placed, struct cmdline_error *err)
{
	struct e820_fit f = { 0 };
	size_t i;
	int rc;

	if (place) {
		f.attrs = place->attrs;
		f.within = place->within;
		f.flags = place->fit_flags;
	}

	/* Remembered placements that still fit are claimed first */
	for (i = 0; place && place->sticky && i < plan->nwild; i++) {
		const struct cmdline_wild *w = &plan->wild[i];
		const struct memmap_region *r =
			memmap_registry_find(place->sticky, w->name);

		if (!r || r->size != w->size)
			continue;
		f.size = w->size;
		f.align = w->align;
		rc = e820_fits_at(t, &f, r->start);
		if (rc == -MM_ENOSPC)
			continue;
		if (!rc)
			rc = place_region(t, placed, w, r->start);
		if (rc)
			return rc;
	}

	for (i = 0; i < plan->nwild; i++) {
		const struct cmdline_wild *w = &plan->wild[i];
		uint64_t start;

		if (memmap_registry_find(placed, w->name))
			continue;
		f.size = w->size;
		f.align = w->align;
		rc = e820_find_fit(t, &f, &start);
		if (rc == -MM_ENOSPC)
			return apply_fail(plan, w->word, err,
					  "no usable range has room for this size at this alignment",
					  rc);
		if (!rc)
			rc = place_region(t, placed, w, start);
		if (rc)
			return rc;
	}
	return 0;
}

static int replay_op(struct e820_table *t, const struct cmdline_op *op,
		     size_t *exactmap)
{
	if (op->kind == CMDLINE_OP_EXACTMAP)
		*exactmap = op->word;
	return apply_op(t, op);
}

static int replay_placed(struct e820_table *t, const struct cmdline_plan *plan,
			 const struct memmap_registry *reg, size_t wild)
{
	const struct memmap_region *r =
		memmap_registry_find(reg, plan->wild[wild].name);

	return r ? e820_range_add(t, r->start, r->size, E820_TYPE_RESERVED) :
		   -MM_ENOENT;
}

/* Whether one reserved entry of @t holds all of @r */
static bool reserved_in(const struct e820_table *t, const struct memmap_region *r)
{
	size_t i;

	for (i = 0; r && i < t->nr; i++)
		if (t->entries[i].type == E820_TYPE_RESERVED && t->entries[i].addr <= r->start &&
		    r->start - t->entries[i].addr + r->size <= t->entries[i].size)
			return true;
	return false;
}

/*
 * Linux refuses a user map of fewer than two entries when it sanitizes it,
 * once every memmap= and mem= word of its line has been applied in order
 * (e820__finish_early_params), and panics: "Invalid user supplied memory
 * map".  Its line is the rewritten one, each placed region a
 * memmap=SIZE$START at its own word.  Replay that line unsanitized, as
 * the kernel does, and count.
 */
static int check_user_map(const struct cmdline_plan *plan,
			  const struct e820_table *firmware,
			  const struct memmap_registry *reg,
			  struct cmdline_error *err)
{
	struct e820_table t;
	size_t i, k, op = 0, word = SIZE_MAX, exactmap = SIZE_MAX;
	int rc;

	e820_table_init(&t, firmware->alloc);
	rc = e820_table_copy(&t, firmware);
	for (i = 0; !rc && i < plan->nwords; i++) {
		const struct cmdline_word *w = &plan->words[i];

		if (w->kind == CMDLINE_WORD_RESERVE_MEM) {
			rc = replay_placed(&t, plan, reg, w->wild);
			word = i;
		}
		/* A memmap= word's elements in order: each a placed region
		 * or the next fixed operation */
		for (k = 0; !rc && w->kind == CMDLINE_WORD_MEMMAP && k < w->nelem; k++) {
			size_t wild = plan->elems[w->first_elem + k].wild;

			if (wild != SIZE_MAX)
				rc = replay_placed(&t, plan, reg, wild);
			else if (op < plan->nops && plan->ops[op].word == i)
				rc = replay_op(&t, &plan->ops[op++], &exactmap);
			word = i;
		}
		/* mem= */
		while (!rc && op < plan->nops && plan->ops[op].word == i) {
			rc = replay_op(&t, &plan->ops[op++], &exactmap);
			word = i;
		}
	}
	if (!rc && word != SIZE_MAX && t.nr < 2)
		rc = apply_fail(plan, exactmap != SIZE_MAX ? exactmap : word, err,
				"leaves fewer than two entries in the map (Linux panics: Invalid user supplied memory map)",
				-MM_EINVAL);
	/* A later exactmap, or a % retyping reserved memory, would undo a
	 * region in the kernel's map that memmap placed after them */
	if (!rc)
		rc = e820_sanitize(&t);
	for (i = 0; !rc && i < plan->nwild; i++)
		if (!reserved_in(&t, memmap_registry_find(reg, plan->wild[i].name)))
			rc = apply_fail(plan, plan->wild[i].word, err,
					"a later memmap= word undoes this region in the map Linux builds (it applies the words in order): put this word after it",
					-MM_EINVAL);
	e820_table_free(&t);
	return rc;
}

int cmdline_apply(const struct cmdline_plan *plan,
		  const struct e820_table *firmware,
		  const struct cmdline_place *place, struct e820_table *result,
		  struct memmap_registry *reg, struct cmdline_error *err)
{
	struct memmap_registry placed;
	size_t i;
	int rc;

	rc = e820_table_copy(result, firmware);
	if (rc)
		return rc;

	/* Fixed-address options, in command-line order */
	for (i = 0; i < plan->nops; i++) {
		rc = apply_op(result, &plan->ops[i]);
		if (rc)
			return rc;
	}
	rc = e820_sanitize(result);
	if (rc)
		return rc;

	/* Then the placed regions */
	for (i = 0; i < plan->nwild; i++)
		if (memmap_registry_find(reg, plan->wild[i].name))
			return apply_fail(plan, plan->wild[i].word, err,
					  "region name already in use", -MM_EINVAL);
	memmap_registry_init(&placed, reg->alloc);
	rc = apply_wild(plan, place, result, &placed, err);
	if (!rc)
		rc = check_user_map(plan, firmware, &placed, err);
	/* Room first, so @reg changes entirely or not at all */
	if (!rc)
		rc = mm_grow(reg->alloc, &reg->r, &reg->cap, reg->nr + placed.nr,
			     sizeof(*reg->r));
	for (i = 0; !rc && i < placed.nr; i++)
		rc = memmap_registry_add(reg, placed.r[i].name,
					 placed.r[i].start, placed.r[i].size);
	memmap_registry_free(&placed);
	return rc;
}

static void put_range(struct mm_buf *out, const struct memmap_region *r)
{
	mm_buf_hex(out, r->size, 0);
	mm_buf_putc(out, '$');
	mm_buf_hex(out, r->start, 0);
}

int cmdline_rewrite(const struct cmdline_plan *plan,
		    const struct memmap_registry *reg, struct mm_buf *out)
{
	const struct memmap_region *r;
	size_t i, k;

	for (i = 0; i < plan->nwords; i++) {
		const struct cmdline_word *w = &plan->words[i];

		if (i)
			mm_buf_putc(out, ' ');
		switch (w->kind) {
		case CMDLINE_WORD_RESERVE_MEM:
			r = memmap_registry_find(reg, plan->wild[w->wild].name);
			if (!r)
				return -MM_ENOENT;
			mm_buf_puts(out, "memmap=");
			put_range(out, r);
			break;
		case CMDLINE_WORD_RAMOOPS_NAME:
			r = memmap_registry_find(reg, w->val);
			if (!r)
				return -MM_ENOENT;
			mm_buf_puts(out, "ramoops.mem_address=");
			mm_buf_hex(out, r->start, 0);
			mm_buf_puts(out, " ramoops.mem_size=");
			mm_buf_hex(out, r->size, 0);
			break;
		case CMDLINE_WORD_MEMMAP:
			for (k = 0; k < w->nelem; k++)
				if (plan->elems[w->first_elem + k].wild != SIZE_MAX)
					break;
			if (k == w->nelem) {
				mm_buf_putn(out, w->raw, w->raw_len);
				break;
			}
			mm_buf_puts(out, "memmap=");
			for (k = 0; k < w->nelem; k++) {
				const struct cmdline_elem *e =
					&plan->elems[w->first_elem + k];

				if (k)
					mm_buf_putc(out, ',');
				if (e->wild == SIZE_MAX) {
					mm_buf_puts(out, e->text);
					continue;
				}
				r = memmap_registry_find(reg, plan->wild[e->wild].name);
				if (!r)
					return -MM_ENOENT;
				put_range(out, r);
			}
			break;
		default:
			mm_buf_putn(out, w->raw, w->raw_len);
			break;
		}
	}
	return out->rc;
}

void cmdline_report(struct mm_buf *out, const struct cmdline_plan *plan,
		    const struct e820_table *firmware,
		    const struct e820_table *result,
		    const struct memmap_registry *reg, bool quiet)
{
	size_t i;

	if (!quiet) {
		mm_buf_puts(out, "BIOS-provided physical RAM map:\n");
		e820_print(out, "BIOS-e820", firmware);
		if (plan->userdef) {
			mm_buf_puts(out, "user-defined physical RAM map:\n");
			e820_print(out, "user", result);
		}
	}
	for (i = 0; i < reg->nr; i++)
		memmap_region_print(out, "named", &reg->r[i]);
	if (!quiet && plan->nwords) {
		mm_buf_puts(out, "cmdline: ");
		cmdline_rewrite(plan, reg, out);
		mm_buf_putc(out, '\n');
	}
}
