/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The records of a ramoops region, as Linux's pstore filesystem would show
 * them after the next boot: dmesg records (inflated when compressed),
 * console, pmsg, ftrace; each with its ECC notice when ECC is on.
 */
#ifndef PSTORE_RECORD_H
#define PSTORE_RECORD_H

#include "pstore.h"

struct pstore_record {
	struct pstore_zone zone;
	char name[40];		/* dmesg-ramoops-0, ...; ".enc.z" when raw */
	bool has_time;		/* dmesg: from its header */
	int64_t sec;
	uint32_t usec;
	bool compressed;	/* a 'C' record */
	uint8_t *text;		/* what the file holds, before any ECC notice */
	size_t len;
	const char *note;	/* why a 'C' record is kept raw, or NULL */
	bool ecc;		/* ECC on: the notice below applies */
	unsigned int corrected, bad_blocks;
};

struct pstore_records {
	struct pstore_record *r;
	size_t nr, cap;
	const struct mm_alloc *alloc;
	struct pstore_layout layout;
};

/**
 * pstore_records_read() - every record in @region, without changing it
 * @len: bytes of @region; at least @p->mem_size
 * @why: on -MM_EINVAL, the reason
 * Return: 0; -MM_EINVAL for parameters ramoops refuses or a short region;
 * -MM_ENOMEM.  Free with pstore_records_free().
 */
int pstore_records_read(const uint8_t *region, size_t len,
			const struct pstore_params *p, const struct mm_alloc *a,
			struct pstore_records *out, const char **why);
void pstore_records_free(struct pstore_records *rs);

/**
 * pstore_record_print() - "pstore: FILE (N bytes)", the text with bytes
 * other than printable ASCII, newline and tab shown as \xNN, then the ECC
 * line when ECC is on (and a note when a 'C' record did not inflate).
 */
void pstore_record_print(struct mm_buf *b, const struct pstore_record *r);

/* How much of a record's text pstore_record_show() prints */
enum pstore_show {
	PSTORE_SHOW_SUMMARY,	/* the line that says why the kernel stopped */
	PSTORE_SHOW_TAIL,	/* that line and the last PSTORE_TAIL_LINES */
	PSTORE_SHOW_ALL,	/* the whole text: pstore_record_print() */
	PSTORE_SHOW_HEADER,	/* none of it: the header and ECC lines */
};
#define PSTORE_TAIL_LINES 50

/**
 * pstore_record_show() - as pstore_record_print(), with only as much of
 * the text as @how says, so that a record is a handful of lines on a slow
 * console whatever its size.  The reason line is the first line holding
 * one of Linux's words for a stop ("Kernel panic - not syncing", "Oops",
 * "BUG:", "general protection fault", ...), printed as it stands.
 */
void pstore_record_show(struct mm_buf *b, const struct pstore_record *r,
			enum pstore_show how);

/**
 * pstore_record_reason() - the first line of @r's text that says why the
 * kernel stopped: its offset in *@at and its length (no newline), or 0
 * when there is none
 */
size_t pstore_record_reason(const struct pstore_record *r, size_t *at);

/**
 * pstore_log_fit() - cut memmap.efi's report @b to at most @cap bytes, for
 * the pmsg zone (a ring: what does not fit would overwrite its start).
 * The map goes first (the "BIOS-provided", "BIOS-e820:", "user-defined"
 * and "user:" lines), then lines from the end; a line says which.  What
 * stays first: named:, cmdline:, moved:, then the pstore lines in order.
 */
void pstore_log_fit(struct mm_buf *b, size_t cap);

/* FNV-1a, 64 bits: what memmap.efi keeps of each record it saved */
uint64_t pstore_hash(const void *p, size_t n);

/* The file's contents as Linux's pstore shows them: text + ECC notice */
void pstore_record_file(struct mm_buf *b, const struct pstore_record *r);

#endif
