/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap.efi internals: the firmware side of the core's interfaces.
 * Only efi/ includes <efi.h>.
 */
#ifndef EFI_FW_H
#define EFI_FW_H

#include <efi.h>
#include <efilib.h>

#include "../cmdline/apply.h"
#include "../cmdline/handover.h"
#include "../e820/efimap.h"
#include "../pstore/pstore.h"
#include "../pstore/record.h"

_Static_assert(__STDC_HOSTED__ == 0, "memmap.efi is built freestanding");

/* memmap.efi's options (args.c) */
struct fw_opts {
	EFI_STATUS bad;		/* the first bad option, or EFI_SUCCESS */
	enum pstore_show print;	/* --pstore-print: how much of a record */
	bool print_none;	/* --pstore-print none */
	uint64_t keep;		/* --pstore-keep: \pstore's cap in bytes */
	bool quiet, forget, help, pstore_log;
	enum pstore_order order;
	struct mm_buf dump;	/* --dump FILE */
	struct mm_buf line;	/* the kernel words, space-separated */
	struct mm_buf chain;	/* -- PATH */
	struct mm_buf kargs;	/* the words after PATH */
};

/**
 * fw_args() - memmap.efi's arguments into @o: the shell's argv, else the
 * boot entry's LoadOptions, else memmap.conf beside memmap.efi
 * Return: EFI_SUCCESS, or the first error (its line already printed); on
 * a bad option the rest is still read, so -- PATH is known (@o->bad).
 */
EFI_STATUS fw_args(EFI_HANDLE image, EFI_LOADED_IMAGE *li, struct fw_opts *o);
void fw_opts_free(struct fw_opts *o);

/* The core's allocator, over the boot-services pool */
extern const struct mm_alloc fw_alloc;

/* Convert a core return code (0 or -MM_E*) to an EFI_STATUS */
EFI_STATUS fw_status(int rc);

/* Print UTF-8 text to the console, "\n" as "\r\n" */
void fw_print(const char *s, size_t n);
void fw_print_buf(const struct mm_buf *b);
/* "memmap: error: WORD: REASON" */
void fw_error(const char *word, size_t len, const char *reason);
/* "memmap: LEVEL: WORD: REASON (STATUS)", without the status when
 * @st is EFI_SUCCESS */
void fw_message(const char *level, const char *word, size_t len,
		const char *reason, EFI_STATUS st);

/* UCS-2 (n units, or up to NUL when n is SIZE_MAX) -> UTF-8 into @b */
void fw_ucs2_to_utf8(struct mm_buf *b, const CHAR16 *s, size_t n);
/* UTF-8 -> newly allocated UCS-2, NUL-terminated; NULL on failure */
CHAR16 *fw_utf8_to_ucs2(const char *s, size_t n);

/* The directory memmap.efi was loaded from, "\EFI\memmap" ("" at root) */
CHAR16 *fw_image_dir(EFI_LOADED_IMAGE *li);
/* Whether @word names memmap.efi's own file (its last component, any case) */
bool fw_is_image_name(EFI_LOADED_IMAGE *li, const char *word);

/* @path ("\\dir\\file" from the volume root, else relative to the image's
 * directory; '/' works as '\\') as a full UCS-2 path on the image's volume */
CHAR16 *fw_volume_path(EFI_LOADED_IMAGE *li, const char *path);

/**
 * fw_file_read() - read a whole file from the image's volume
 * @path: "\dir\file" from the volume root, else relative to the image's
 *        directory; '/' works as '\'
 * Return: EFI_SUCCESS with *data (fw_alloc, NUL appended) and *size.
 */
EFI_STATUS fw_file_read(EFI_LOADED_IMAGE *li, const char *path, char **data,
			size_t *size);

/* The same, at most @max bytes of the file's start (@max < SIZE_MAX) */
EFI_STATUS fw_file_read_head(EFI_LOADED_IMAGE *li, const char *path,
			     size_t max, char **data, size_t *size);

/* Whether a file exists on the image's volume */
bool fw_file_exists(EFI_LOADED_IMAGE *li, const char *path);

/* A directory's entries ("." and ".." left out): names in UTF-8, file
 * sizes, and which are directories; free with fw_dir_free() */
struct fw_dirent {
	char *name;
	uint64_t size;
	bool dir;
};
EFI_STATUS fw_dir_read(EFI_LOADED_IMAGE *li, const char *path,
		       struct fw_dirent **ents, size_t *n);
void fw_dir_free(struct fw_dirent *ents, size_t n);
/* Delete a file, or an empty directory */
EFI_STATUS fw_delete(EFI_LOADED_IMAGE *li, const char *path);

/* Create a directory and its parents (path from the volume root) */
EFI_STATUS fw_mkdirs(EFI_LOADED_IMAGE *li, const char *path);

/* Create or replace a file on the image's volume */
EFI_STATUS fw_file_write(EFI_LOADED_IMAGE *li, const char *path,
			 const char *data, size_t size);

/* The firmware's memory (memory.c) */
/* GetMemoryMap, retried until the buffer is big enough; *out from fw_alloc */
EFI_STATUS fw_memory_map(struct efimap_desc **out, size_t *n);
/* Firmware-free memory (EfiConventionalMemory) as type-1 ranges, sanitized */
int fw_free_ranges(struct e820_table *t, const struct efimap_desc *d, size_t n);
/* Claim [start, start+size) as EfiReservedMemoryType, a piece per free
 * descriptor, each recorded in @claimed; EFI_NOT_FOUND when part of it
 * is no longer free */
EFI_STATUS fw_claim(struct e820_table *claimed, const struct efimap_desc *d,
		    size_t n, uint64_t start, uint64_t size);
/* Give back every range in @claimed */
void fw_release(struct e820_table *claimed);

/* The configuration table with @guid, or NULL (fw.c) */
void *fw_config_table(EFI_GUID *guid);

/* Variables and the configuration table (publish.c) */
EFI_STATUS fw_publish(const struct memmap_registry *reg);
/* Take back what fw_publish() did: the table and MemmapNamed */
void fw_unpublish(void);
EFI_STATUS fw_sticky_read(struct memmap_registry *sticky);
EFI_STATUS fw_sticky_write(const struct memmap_registry *reg,
			   const struct memmap_registry *old);
EFI_STATUS fw_sticky_forget(void);

/* The memory pstore may touch: what this run claimed (read and write),
 * RAM in the firmware's map (read) */
struct fw_memory {
	const struct e820_table *claimed, *ram;
};

/* pstore (pstore.c): the previous boot's records, shown and saved; the
 * lines also go to @log (when not NULL), each record without its text */
EFI_STATUS fw_pstore(EFI_LOADED_IMAGE *li, const struct cmdline_plan *plan,
		     const struct memmap_registry *reg,
		     const struct fw_memory *mem, enum pstore_order order,
		     enum pstore_show how, uint64_t keep, bool quiet,
		     struct mm_buf *out, struct mm_buf *log);
/* What the file at @path is (HANDOVER_OTHER when it cannot be read) */
enum handover_image fw_image_kind(EFI_LOADED_IMAGE *li, const char *path);

/**
 * fw_chain() - load the EFI image at @path (on memmap.efi's volume) and
 * start it with @options (UTF-8; none at all when @len is 0) as its
 * LoadOptions.  @kind is said on the "memmap: starting" line.  Returns
 * only when the image returns or cannot be started; a line says which.
 */
EFI_STATUS fw_chain(EFI_HANDLE parent, EFI_LOADED_IMAGE *li, const char *path,
		    enum handover_image kind, const char *options, size_t len);

/* The GRUB channel (grubenv.c): memmap.env beside memmap.efi, rewritten
 * only when it changes; a warning line when it cannot be written */
EFI_STATUS fw_grubenv_save(EFI_LOADED_IMAGE *li, const char *words,
			   size_t len);

/* The systemd channel (smbios.c): an OEM-strings record with the words
 * for systemd-boot, and for systemd-stub when @stub; replaces an earlier
 * run's; a warning line when it cannot be added */
EFI_STATUS fw_smbios_words(const char *words, size_t len, bool stub);

/*
 * Everything but the hand-over: parse, place, claim, publish, pstore; on
 * success @words holds the words for the kernel's command line, on
 * failure everything done is undone and a line said why.  x86
 * (e820boot.c): the e820 map and the rewritten words; arm64 (dtboot.c):
 * the regions written into the device tree, the other words.
 */
EFI_STATUS fw_boot_run(EFI_LOADED_IMAGE *li, const struct fw_opts *o,
		       struct mm_buf *words);

/* --pstore-log's needs (ramoops.mem_name or mem_address, a pmsg zone);
 * EFI_INVALID_PARAMETER with an error line when they are not met */
EFI_STATUS fw_pstore_log_check(const struct fw_opts *o,
			       const struct cmdline_plan *plan);

/*
 * The end of a run (report.c), after the architecture's own lines in
 * @out (the maps, named:): moved: lines for remembered regions placed
 * elsewhere, the previous boot's records, @out printed, with --pstore-log
 * appended to the pmsg zone, and the --dump file of the map @d
 */
EFI_STATUS fw_report(EFI_LOADED_IMAGE *li, const struct fw_opts *o,
		     const struct cmdline_plan *plan,
		     const struct memmap_registry *reg,
		     const struct memmap_registry *sticky,
		     const struct fw_memory *mem, const struct efimap_desc *d,
		     size_t n, struct mm_buf *out);

/* Append @text to the pmsg zone, cut to fit it (pstore_log_fit()) */
EFI_STATUS fw_pstore_log(const struct cmdline_plan *plan,
			 const struct memmap_registry *reg,
			 const struct fw_memory *mem, enum pstore_order order,
			 struct mm_buf *text);

#endif
