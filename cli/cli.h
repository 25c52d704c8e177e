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

/* memmap pstore ...: decode a ramoops image */
int cli_pstore(int argc, char **argv);

/* memmap dt ...: a device tree's reserved memory as Linux sees it */
int cli_dt(int argc, char **argv);

#endif
