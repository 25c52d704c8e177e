/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libfdt's environment for the firmware build: libfdt expects each port
 * to supply this header (types, big-endian conversion, the string
 * functions).  Freestanding: the functions come from efi/libc.c and
 * gnu-efi's libefi.  Debian's libfdt_env.h, which wants a hosted libc, is
 * removed from the fetched source so that this one is found.
 */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if __STDC_HOSTED__
#error "efi/fdtenv/libfdt_env.h is for the freestanding firmware build"
#endif

#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif
#ifndef INT32_MAX
#define INT32_MAX __INT32_MAX__
#endif

#define FDT_FORCE
#define FDT_BITWISE

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "x86_64 and aarch64 UEFI are little-endian"
#endif

static inline uint16_t fdt16_to_cpu(fdt16_t x) { return __builtin_bswap16(x); }
static inline fdt16_t cpu_to_fdt16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t fdt32_to_cpu(fdt32_t x) { return __builtin_bswap32(x); }
static inline fdt32_t cpu_to_fdt32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t fdt64_to_cpu(fdt64_t x) { return __builtin_bswap64(x); }
static inline fdt64_t cpu_to_fdt64(uint64_t x) { return __builtin_bswap64(x); }

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
char *strrchr(const char *s, int c);

#endif
