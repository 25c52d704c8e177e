/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench: Linux's e820 code, cut from Debian's linux source package
 * at bench time (tests/bench/linux-e820.sh) and included here, behind
 * linux_e820.h.  Built with tests/bench/linux_shim.h forced in.
 */
#include "linux_e820.h"

/* $(BENCH_DIR)/linux/e820.c: Linux's, never committed; its loops compare
 * int with u32 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#include "e820.c"
#pragma GCC diagnostic pop

struct e820_table *e820_table;
static struct e820_table table;

const char linux_e820_version[] = LINUX_E820_VERSION;

void linux_e820_reset(void)
{
	table.nr_entries = 0;
	e820_table = &table;
}

void linux_e820_add(uint64_t start, uint64_t size, uint32_t type)
{
	__e820__range_add(&table, start, size, (enum e820_type)type);
}

void linux_e820_update(uint64_t start, uint64_t size, uint32_t old_type,
		       uint32_t new_type)
{
	__e820__range_update(&table, start, size, (enum e820_type)old_type,
			     (enum e820_type)new_type);
}

void linux_e820_remove(uint64_t start, uint64_t size, uint32_t old_type,
		       bool check_type)
{
	e820__range_remove(start, size, (enum e820_type)old_type, check_type);
}

int linux_e820_sanitize(void)
{
	return e820__update_table(&table);
}

size_t linux_e820_nr(void)
{
	return table.nr_entries;
}

void linux_e820_entry(size_t i, uint64_t *addr, uint64_t *size, uint32_t *type)
{
	*addr = table.entries[i].addr;
	*size = table.entries[i].size;
	*type = table.entries[i].type;
}
