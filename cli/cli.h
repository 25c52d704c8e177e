/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memmap command's pieces.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stddef.h>

#define EXIT_BAD_INPUT 2

/* "memmap: error: WORD: WHY" on stderr; returns @status */
int cli_error(const char *word, size_t len, const char *why, int status);

/**
 * cli_slurp() - the whole file at @path (grown as it is read: /proc,
 * sysfs and efivarfs files say size 0)
 * @max: -EFBIG when it holds @max bytes or more
 * @buf: set to its bytes, NUL-terminated (malloc'ed, free() it)
 * @n:   their count
 * Return: 0 or a negative errno.
 */
int cli_slurp(const char *path, size_t max, unsigned char **buf, size_t *n);

/* memmap pstore ...: decode a ramoops image */
int cli_pstore(int argc, char **argv);

/* memmap dt ...: a device tree's reserved memory as Linux sees it */
int cli_dt(int argc, char **argv);

#endif
