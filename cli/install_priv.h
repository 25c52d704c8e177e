/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the pieces of memmap install and uninstall share (cli/install*.c):
 * the names on the ESP and in /etc, the command's state, and each piece's
 * functions.  Private to cli/install*.c.
 */
#ifndef CLI_INSTALL_PRIV_H
#define CLI_INSTALL_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cli.h"

#define EFI_DIR		"/EFI/memmap"		/* on the ESP */
#define EFI_LOADER	"\\EFI\\memmap\\memmap.efi"
#define EFI_SHIM	"\\EFI\\memmap\\shimx64.efi"	/* with --shim */
#define SHIM_FILE	"shimx64.efi"
#define MOKMGR_FILE	"mmx64.efi"	/* shim starts it from its own directory */
#define SHIM_DATA	"memmap.efi"	/* shim's second stage, beside it */
#define SHIM_DEFAULT	"/usr/lib/shim/shimx64.efi.signed"	/* Debian's */
#define ENTRY_LABEL	"memmap"
#define GRUB_SCRIPT_DIR	"/etc/grub.d"
#define GRUB_SCRIPT	"05_memmap"
#define GRUB_CFG_DIR	"/etc/default/grub.d"
#define GRUB_CFG	"memmap.cfg"
#define FILE_MAX	(64u << 20)	/* no file install reads is bigger */

struct inst {
	const char *cmd;		/* "install" or "uninstall" */
	bool dry_run;
	const char *root;		/* "" when not given */
	const char *esp_opt, *efivars_opt, *efi_opt, *data_opt;
	const char *loader_opt, *disk_opt, *part_opt;
	const char *shim_opt;		/* --shim FILE; NULL without */
	char esp[PATH_MAX];		/* the ESP's directory */
	char dir[PATH_MAX];		/* ESP/EFI/memmap */
	char efi[PATH_MAX];		/* ESP/EFI/memmap/memmap.efi */
	char shim[PATH_MAX];		/* ESP/EFI/memmap/shimx64.efi */
	char mokmgr[PATH_MAX];		/* ESP/EFI/memmap/mmx64.efi */
	char conf[PATH_MAX];		/* ESP/EFI/memmap/memmap.conf */
	char state[PATH_MAX];		/* ESP/EFI/memmap/install.state */
	char efivars[PATH_MAX];
	char disk[PATH_MAX];
	char part[32];
	const char *efibootmgr, *update_grub;
};

/* What install.state records */
struct state {
	bool found;
	bool has_order;		/* a "bootorder" line with a list */
	uint16_t *order;
	size_t norder;
	bool has_entry;
	uint16_t entry;
	int grub;		/* -1 when not recorded */
};

/* The forms of a boot entry labelled memmap */
enum form {
	FORM_NONE,		/* not memmap's */
	FORM_PLAIN,		/* starts \EFI\memmap\memmap.efi */
	FORM_SHIM,		/* starts \EFI\memmap\shimx64.efi, data memmap.efi */
	FORM_SHIM_OTHER,	/* starts \EFI\memmap\shimx64.efi, other data */
};

/* One of memmap's boot entries */
struct ent {
	uint16_t num;
	enum form form;
	size_t optional_len;	/* bytes of data after the device path */
};

/* What install found, and what it writes */
struct plan {
	char *line;			/* the kernel words, space-separated */
	size_t len;
	char loader[PATH_MAX];		/* \EFI\...: what memmap.efi starts */
	char src[PATH_MAX];		/* the memmap.efi to copy */
	unsigned char *efi;
	size_t efi_len;
	char mm_src[PATH_MAX];		/* --shim: MokManager beside FILE */
	unsigned char *shim, *mm;	/* --shim: shim, MokManager */
	size_t shim_len, mm_len;
	bool grub;			/* LOADER is GRUB or shim: GRUB's hook */
	char gs_src[PATH_MAX], gc_src[PATH_MAX];
	unsigned char *gs, *gc;		/* 05_memmap, memmap.cfg */
	size_t gs_len, gc_len;
	char grub_script[PATH_MAX], grub_cfg_dir[PATH_MAX], grub_cfg[PATH_MAX];
	uint16_t *order;		/* BootOrder now */
	size_t norder;
	struct ent *ents;		/* memmap's boot entries */
	size_t nents;
	struct state st;
	bool changed;			/* a step changed something */
};

/* --- Steps: printed, then done unless --dry-run (install_step.c) --- */

/**
 * install_step() - print a step: "install: ...", "install (dry run): ..."
 * @in:  the command (its name, --dry-run)
 * @fmt: the step, printf-style
 */
__attribute__((format(printf, 2, 3)))
void install_step(const struct inst *in, const char *fmt, ...);

/**
 * install_fail() - print "memmap: error: WORD: WHY" on stderr
 * @status: returned
 * @word:   what is wrong (a path, an option, a program)
 * @fmt:    WHY, printf-style
 * Return: @status.
 */
__attribute__((format(printf, 3, 4)))
int install_fail(int status, const char *word, const char *fmt, ...);

/**
 * install_cat3() - @a @b @c joined into @buf (PATH_MAX bytes)
 * Return: false when too long.
 */
bool install_cat3(char *buf, const char *a, const char *b, const char *c);

/* install_is_dir() - is @path a directory (links followed)? */
bool install_is_dir(const char *path);

/**
 * install_put_file() - make @path hold @data, unless it does already
 * @data, @n: what it should hold
 * @mode:     its mode; 0 leaves the mode to the filesystem
 * @changed:  set when it writes (or would, in a dry run)
 * @fmt:      the step printed for the write, printf-style
 * A file already holding @data is a step "PATH unchanged".  The write
 * goes to PATH.new, renamed over @path.
 * Return: 0 or an exit status (the error printed).
 */
__attribute__((format(printf, 7, 8)))
int install_put_file(const struct inst *in, const char *path, const void *data,
		     size_t n, mode_t mode, bool *changed, const char *fmt, ...);

/**
 * install_rm_file() - remove @path when it is there
 * @removed: set when it does (or would, in a dry run)
 * Return: 0 or 1 (the error printed).
 */
int install_rm_file(const struct inst *in, const char *path, bool *removed);

/* install_make_dir() - mkdir @path when it is not there.  Returns 0 or 1 */
int install_make_dir(const struct inst *in, const char *path);

/**
 * install_find_prog() - find program @name: a path when it holds a slash,
 * else in PATH, then in /usr/sbin and /sbin (efibootmgr and update-grub
 * live there and a user's PATH may lack them)
 * @path: set to where it is (PATH_MAX bytes)
 * Return: false when not found.
 */
bool install_find_prog(const char *name, char *path);

/**
 * install_run_prog() - print @argv as a step, then run it and wait
 * (unless --dry-run)
 * @argv: the program and its arguments, NULL-terminated
 * Return: 0, or 1 when it cannot be run or does not exit 0.
 */
int install_run_prog(const struct inst *in, char *const argv[]);

/* --- Options and the kernel words (install_opts.c) --- */

/**
 * install_opt_value() - take option @name at argv[*i], as "NAME VALUE"
 * or "NAME=VALUE"
 * @i:   the argument; moved past VALUE
 * @val: set to VALUE
 * Return: 1 when it is that option; 0 when it is not; -1 (the error
 * printed) when its value is missing.
 */
int install_opt_value(int argc, char **argv, int *i, const char *name,
		      const char **val);

/**
 * install_shim_value() - --shim FILE or --shim=FILE at argv[*i]
 * Return: as install_opt_value(); FILE missing, empty or an option is an
 * error that names Debian's shim.
 */
int install_shim_value(int argc, char **argv, int *i, const char **val);

/**
 * install_common_opt() - the options both commands take (--dry-run,
 * --esp, --efivars, --root) at argv[*i], into @in
 * Return: 1 taken, 0 not, -1 error.
 */
int install_common_opt(struct inst *in, int argc, char **argv, int *i);

/**
 * install_check_root() - root unless --dry-run or --root; --root without
 * trailing slashes
 * @root: PATH_MAX bytes, @in->root points there after
 * Return: 0, 1 (not root) or 2 (a bad --root).
 */
int install_check_root(struct inst *in, char *root);

/**
 * install_check_word() - check one kernel word before it goes to
 * memmap.conf: no control character, no --, not a comment
 * @first: it is the first word
 * Return: 0 or 2 (1 when out of memory).
 */
int install_check_word(const char *w, bool first);

/**
 * install_check_words() - the words @line[0..len) as memmap.efi will
 * parse them (cmdline_parse), and no open quote
 * Return: 0 or 2 (1 when out of memory).
 */
int install_check_words(const char *line, size_t len);

/* --- The ESP and its block device (install_esp.c) --- */

/**
 * install_find_esp() - the ESP: --esp DIR, else ROOT/boot/efi or
 * ROOT/efi when a vfat mount point; fills @in->esp and the paths in it
 * @need_dev: also its disk and partition (--disk and --part, else from
 *            the mount table and /sys/class/block)
 * Return: 0 or 1.
 */
int install_find_esp(struct inst *in, bool need_dev);

/* --- LOADER, what memmap.efi starts (install_loader.c) --- */

/* install_same_efi_path() - UEFI paths, compared without case (FAT) and
 * with / as \ */
bool install_same_efi_path(const char *a, const char *b);

/**
 * install_norm_loader() - @loader as a UEFI path from the volume root,
 * with backslashes
 * @out: PATH_MAX bytes
 * Return: NULL, or what is wrong with it.
 */
const char *install_norm_loader(const char *loader, char *out);

/**
 * install_current_loader() - LOADER when --loader is not given: the file
 * path of the entry this system booted (BootCurrent); when that is
 * memmap's own entry, the -- PATH of the memmap.conf it read
 * @loader: PATH_MAX bytes
 * Return: 0 or 1.
 */
int install_current_loader(const struct inst *in, char *loader);

/* --- Boot entries and BootOrder (install_boot.c) --- */

/**
 * install_find_efivars() - efivarfs: --efivars DIR, else
 * ROOT/sys/firmware/efi/efivars, in @in->efivars
 * Return: 0 or 1.
 */
int install_find_efivars(struct inst *in);

/* install_boot_var() - the variable name Boot%04X-GUID of @num in @name
 * (64 bytes) */
void install_boot_var(char *name, uint16_t num);

/**
 * install_read_u16_var() - a u16-list variable (BootOrder, BootCurrent)
 * @var:     its name, without the GUID
 * @v, @n:   its values (malloc'ed, free() it); empty when absent
 * @present: set when it is there
 * Return: 0 or 1.
 */
int install_read_u16_var(const struct inst *in, const char *var, uint16_t **v,
			 size_t *n, bool *present);

/**
 * install_memmap_entries() - every boot entry of memmap's (labelled memmap,
 * a file in \EFI\memmap\), by number
 * @v, @n: the entries (malloc'ed, free() it)
 * Return: 0 or 1.
 */
int install_memmap_entries(const struct inst *in, struct ent **v, size_t *n);

/**
 * install_entry() - install.state, then the boot entry, first in BootOrder;
 * memmap's entries of the other form (--shim or not) deleted
 * Return: 0 or 1.
 */
int install_entry(const struct inst *in, struct plan *p);

/**
 * install_uninstall_entries() - delete memmap's boot entries @ents, then
 * restore the BootOrder @st recorded, less the entries gone since
 * Return: 0 or 1.
 */
int install_uninstall_entries(const struct inst *in, const struct state *st,
			      const struct ent *ents, size_t nents);

/* install_secure_boot_note() - a note when Secure Boot is on: the firmware,
 * or shim, checks memmap.efi */
void install_secure_boot_note(const struct inst *in);

/* --- install.state (install_state.c) --- */

/* install_read_state() - install.state in @in->dir: what was there before
 * install; @st zeroed (grub -1) when there is none */
void install_read_state(const struct inst *in, struct state *st);

/**
 * install_state_text() - install.state's text
 * @order:     the BootOrder to restore, "XXXX,XXXX" or "none"
 * @grub:      GRUB's hook is installed
 * @has_entry: memmap's boot entry @entry is known
 * Return: malloc'ed, NULL when out of memory.
 */
char *install_state_text(const char *order, bool grub, bool has_entry,
			 uint16_t entry);

/* --- GRUB's hook (install_grub.c) --- */

/* install_loader_is_grub() - is @loader's file name GRUB's or shim's? */
bool install_loader_is_grub(const char *loader);

/**
 * install_grub_hook() - GRUB's hook (05_memmap, memmap.cfg) copied when
 * @p->grub, else removed; update-grub when either changed anything
 * Return: 0 or 1.
 */
int install_grub_hook(const struct inst *in, struct plan *p);

/**
 * install_grub_unhook() - GRUB's hook removed, then update-grub
 * @removed: set when a file goes
 * Return: 0 or 1.
 */
int install_grub_unhook(const struct inst *in, bool *removed);

#endif
