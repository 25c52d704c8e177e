/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap's regions in a device tree: each memmap=SIZE*ALIGN:NAME or
 * reserve_mem=SIZE:ALIGN:NAME placed top-down in memory that is free after
 * Linux has reserved and placed every region of the DT, then written into
 * the DT as a static child NAME@ADDR of /reserved-memory (reg only, so the
 * kernel keeps it reserved and mapped), the ramoops.mem_name= region with
 * the ramoops binding's properties.
 */
#ifndef DT_APPLY_H
#define DT_APPLY_H

#include "resmem.h"
#include "../cmdline/cmdline.h"
#include "../cmdline/named.h"

/**
 * dt_place() - place @plan's regions in what @m left free; each is
 * reserved in @m's memblock and added to @reg.  A region remembered in
 * @sticky (may be NULL) under its name, with its size, at a multiple of
 * its alignment and still free, goes there first; then the others, in
 * command-line order, top-down.
 * Return: 0; -MM_EINVAL for a word a device tree has no use for (fixed
 * memmap= forms, mem=), -MM_ENOSPC when a region finds no room (@err says
 * which); -MM_ENOMEM.
 */
int dt_place(struct dt_model *m, const struct cmdline_plan *plan,
	     const struct memmap_registry *sticky,
	     struct memmap_registry *reg, struct cmdline_error *err);

/**
 * dt_write() - @fdt with @reg's regions added
 * @fdt, @t:  the device tree and what dt_read() made of it
 * @reg:      the regions
 * @ramoops:  the ramoops words (mem_name NULL: no ramoops node)
 * @a:        allocator for the new blob
 * @out, @outlen: the new blob, packed
 * @err:      filled on -MM_EINVAL
 * Return: 0, -MM_EINVAL (the DT cannot take the regions: @err says why) or
 * -MM_ENOMEM.
 */
int dt_write(const void *fdt, const struct dt_tree *t,
	     const struct memmap_registry *reg,
	     const struct cmdline_ramoops *ramoops, const struct mm_alloc *a,
	     void **out, size_t *outlen, struct dt_error *err);

/**
 * dt_rewrite() - dt_write(), then the written DT read back and booted as
 * @before was (@b), and held to dt_same(): what memmap hands on, checked
 * @fdt, @t:  the device tree and what dt_read() made of it
 * @before:   its model, after dt_place() placed @reg
 * @out:      the written DT's lines
 * @blob, @len: the written DT (from @a), when 0 is returned
 * Return: 0, -MM_EINVAL (the DT cannot take the regions, or Linux would
 * read the written one otherwise: @err says why) or -MM_ENOMEM.
 */
int dt_rewrite(const void *fdt, const struct dt_tree *t,
	       const struct dt_model *before, const struct dt_boot *b,
	       const struct memmap_registry *reg,
	       const struct cmdline_ramoops *ramoops, const struct mm_alloc *a,
	       void **blob, size_t *len, struct mm_buf *out,
	       struct dt_error *err);

/**
 * dt_cmdline() - the words of @plan a kernel booted with the written DT
 * still needs: all but memmap=, mem=, reserve_mem= and, when the DT carries
 * a ramoops node, ramoops.*; the words after "--" all (they are init's)
 */
void dt_cmdline(struct mm_buf *out, const struct cmdline_plan *plan);

/**
 * dt_same() - whether @after (the model of the written DT) keeps every
 * region of @before where it was, keeps @reg's regions at their places,
 * and finds nothing more
 * Return: 0, or -MM_EINVAL with @err naming the first region that differs.
 */
int dt_same(const struct dt_model *before, const struct dt_model *after,
	    const struct memmap_registry *reg, struct dt_error *err);

#endif
