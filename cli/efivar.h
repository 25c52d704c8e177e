/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UEFI boot variables as Linux's efivarfs shows them: each file is the
 * variable's 4-byte attributes, then its data.  BootCurrent, BootOrder and
 * Boot#### (EFI_LOAD_OPTION, UEFI 2.10 section 3.1.3) are parsed with
 * every length checked against the data.
 */
#ifndef CLI_EFIVAR_H
#define CLI_EFIVAR_H

#include <stddef.h>
#include <stdint.h>

/* EFI_GLOBAL_VARIABLE, the vendor GUID of the Boot* variables */
#define EFIVAR_GLOBAL "8be4df61-93ca-11d2-aa0d-00e098032b8c"

/* Device path node types (UEFI 2.10 section 10.3) */
#define EFIVAR_DP_MEDIA		4
#define EFIVAR_DP_MEDIA_FILEPATH 4
#define EFIVAR_DP_END		0x7f
#define EFIVAR_DP_END_ENTIRE	0xff

/* One Boot#### variable, decoded */
struct efivar_load_option {
	uint32_t attributes;
	char *description;	/* UTF-8, NUL-terminated */
	char *path;		/* the file path nodes joined, UTF-8; NULL when none */
	size_t optional_len;	/* bytes of optional data after the path list */
};

/**
 * efivar_read() - the data of variable NAME-GUID in efivarfs directory @dir
 * @dir:  the efivarfs mount (or a copy of one)
 * @name: the variable's name and GUID, "BootOrder-8be4df61-..."
 * @data: set to the data without the attributes (malloc'ed, free() it)
 * @len:  its length
 * Return: 0; -ENOENT when there is no such variable; -EINVAL when the file
 * is shorter than the attributes; another negative errno when it cannot
 * be read.
 */
int efivar_read(const char *dir, const char *name, unsigned char **data,
		size_t *len);

/**
 * efivar_u16_list() - a variable holding little-endian u16 values
 * (BootOrder, BootCurrent)
 * @data, @len: the data
 * @v:          set to the values (malloc'ed, free() it; NULL when @len is 0)
 * @n:          their count
 * Return: 0; -EINVAL when @len is odd; -ENOMEM.
 */
int efivar_u16_list(const unsigned char *data, size_t len, uint16_t **v,
		    size_t *n);

/**
 * efivar_load_option_parse() - decode an EFI_LOAD_OPTION
 * @data, @len: the variable's data
 * @lo:         filled on success; free with efivar_load_option_free()
 * @why:        on -EINVAL, what is wrong with it
 * Return: 0; -EINVAL for a malformed option (a length past the end, a
 * description without its NUL, a node shorter than its header, a file
 * path of odd length, a lone surrogate); -ENOMEM.
 */
int efivar_load_option_parse(const unsigned char *data, size_t len,
			     struct efivar_load_option *lo, const char **why);

void efivar_load_option_free(struct efivar_load_option *lo);

#endif
