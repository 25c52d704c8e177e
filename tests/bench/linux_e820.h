/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench: Linux's own e820 table operations and sanitize
 * (tests/bench/linux_e820.c), on one table of its own, for bench.c to
 * time beside memmap's on the same operations.
 */
#ifndef MEMMAP_LINUX_E820_H
#define MEMMAP_LINUX_E820_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void linux_e820_reset(void);
void linux_e820_add(uint64_t start, uint64_t size, uint32_t type);
void linux_e820_update(uint64_t start, uint64_t size, uint32_t old_type,
		       uint32_t new_type);
void linux_e820_remove(uint64_t start, uint64_t size, uint32_t old_type,
		       bool check_type);
/* e820__update_table(): 0, or -1 as Linux returns it */
int linux_e820_sanitize(void);
size_t linux_e820_nr(void);
void linux_e820_entry(size_t i, uint64_t *addr, uint64_t *size, uint32_t *type);
/* The upstream version it was cut from ("6.1.N") */
extern const char linux_e820_version[];

#endif
