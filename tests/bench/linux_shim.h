/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench: the little of the kernel's environment that Linux's e820
 * code and lib/sort.c need to build on the host (forced in with
 * -include).  The e820 table's entry limit is raised so the largest
 * bench case fits; printing is dropped.
 */
#ifndef MEMMAP_LINUX_SHIM_H
#define MEMMAP_LINUX_SHIM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint32_t u32, __u32;
typedef uint64_t u64, __u64;

#define __init
#define __initdata
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef __attribute_const__
#define __attribute_const__ __attribute__((const))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
#define EXPORT_SYMBOL(sym)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BUG_ON(c) do { if (c) abort(); } while (0)
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define KERN_DEBUG ""
#define printk(...) ((void)0)
#define pr_cont(...) ((void)0)
#define pr_err(...) ((void)0)

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef int (*cmp_r_func_t)(const void *a, const void *b, const void *priv);
typedef void (*swap_func_t)(void *a, void *b, int size);
typedef void (*swap_r_func_t)(void *a, void *b, int size, const void *priv);

void sort(void *base, size_t num, size_t size, cmp_func_t cmp_func,
	  swap_func_t swap_func);

/* The table e820__range_add() and e820__range_remove() work on */
struct e820_table;
extern struct e820_table *e820_table;

/* 256Ki entries: 100k adds and what their updates split */
#define E820_MAX_ENTRIES (1 << 18)

#endif
