/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Applying a validated plan to a firmware e820 table, as Linux 6.1 would,
 * then placing the named regions; and the command line rewritten for a
 * stock kernel.
 */
#ifndef CMDLINE_APPLY_H
#define CMDLINE_APPLY_H

#include "cmdline.h"
#include "named.h"

/* Where named regions may go, beyond "usable" (type 1) */
struct cmdline_place {
	const struct e820_table *attrs;	/* attribute ranges, or NULL */
	const struct e820_table *within; /* only in its type-1 ranges, or NULL */
	unsigned int fit_flags;		/* E820_FIT_*, 0 for top-down */
	/* Placements to reuse first, when each still fits; or NULL */
	const struct memmap_registry *sticky;
};

/**
 * cmdline_apply() - the fixed options in command-line order, sanitize,
 * then every wildcard and reserve_mem in order (remembered placements
 * from @place->sticky first), each placed region reserved (type 2).
 * @firmware: the sanitized firmware map; not changed
 * @place:    placement limits, or NULL
 * @result:   emptied, then the map after the options
 * @reg:      the placed regions are added here
 * @err:      filled on -MM_EINVAL and -MM_ENOSPC
 * Return: 0; -MM_EINVAL (the map would be invalid); -MM_ENOSPC (a region
 * does not fit); -MM_ENOMEM.  On error @result and @reg are unchanged
 * but for @result's contents, which are then meaningless.
 */
int cmdline_apply(const struct cmdline_plan *plan,
		  const struct e820_table *firmware,
		  const struct cmdline_place *place, struct e820_table *result,
		  struct memmap_registry *reg, struct cmdline_error *err);

/**
 * cmdline_rewrite() - the words of @plan for a stock kernel: each
 * wildcard and reserve_mem becomes memmap=0xSIZE$0xSTART, each
 * ramoops.mem_name=NAME becomes ramoops.mem_address=0x.. ramoops.mem_size=0x..,
 * every other word passes unchanged; separated by single spaces.
 * Return: 0, or -MM_ENOENT when a name is not in @reg.
 */
int cmdline_rewrite(const struct cmdline_plan *plan,
		    const struct memmap_registry *reg, struct mm_buf *out);

/**
 * cmdline_report() - the contract lines of both front ends: the firmware
 * map (BIOS-e820), the map after the options (user, when a memory option
 * was given), one named: line per region, and the cmdline: rewrite (when
 * there are words).  With @quiet only the named: lines.
 */
void cmdline_report(struct mm_buf *out, const struct cmdline_plan *plan,
		    const struct e820_table *firmware,
		    const struct e820_table *result,
		    const struct memmap_registry *reg, bool quiet);

#endif
