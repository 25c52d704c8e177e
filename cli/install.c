/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install: memmap.efi at every boot, before the OS's loader.
 *
 * install copies memmap.efi to ESP/EFI/memmap/, writes memmap.conf beside
 * it (a comment, the kernel words, "-- LOADER"), adds GRUB's hook when
 * LOADER is GRUB or shim, records the BootOrder it found in install.state
 * and, last, creates the boot entry "memmap" (\EFI\memmap\memmap.efi, no
 * data) first in BootOrder with efibootmgr.  uninstall takes each away
 * and restores the recorded BootOrder.  Every step is printed before it is
 * done; --dry-run prints the steps only.  A file already holding what
 * would be written is left alone, so a second install changes nothing.
 *
 * With --shim FILE (Secure Boot with Microsoft's keys only) shim and its
 * MokManager are copied beside memmap.efi, and the entry starts
 * \EFI\memmap\shimx64.efi with the UCS-2 data "memmap.efi", shim's second
 * stage.  An entry of memmap's in the other form is deleted and the asked
 * one created.
 *
 * --root DIR prefixes every path found by default (the mount table,
 * /sys, efivarfs, /boot/efi, /efi, /etc, the installed memmap.efi and GRUB
 * files); paths given by an option are used as given; the programs run
 * are the same.
 */
#define _DEFAULT_SOURCE
#include "cli.h"
#include "efivar.h"
#include "install.h"
#include "mapread.h"
#include "../cmdline/cmdline.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Where make install puts memmap.efi and the GRUB files (Makefile: PREFIX) */
#ifndef MEMMAP_EFI_DIR
#define MEMMAP_EFI_DIR "/usr/local/lib/memmap"
#endif
#ifndef MEMMAP_DATA_DIR
#define MEMMAP_DATA_DIR "/usr/local/share/memmap/grub"
#endif

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

static const char install_usage[] =
"Usage: memmap install [OPTION...] KERNEL-WORD...\n"
"\n"
"Sets memmap.efi up to run at every boot before this system's loader:\n"
"copies it to ESP/EFI/memmap/, writes memmap.conf there (the words, then\n"
"-- LOADER), adds GRUB's hook when LOADER is GRUB or shim, records the\n"
"BootOrder in install.state, and creates the boot entry \"memmap\" first in\n"
"BootOrder (efibootmgr).  Run as root on a system booted through UEFI.\n"
"Each step is printed before it is done; run again with the same\n"
"arguments, it changes nothing.\n"
"\n"
"Options:\n"
"  --esp DIR        the EFI system partition (default: /boot/efi, else\n"
"                   /efi, whichever is a vfat mount point)\n"
"  --disk DISK --part N\n"
"                   the ESP's disk and partition number for efibootmgr\n"
"                   (default: from the mount table and /sys/class/block);\n"
"                   with them --esp DIR need not be a mount point\n"
"  --loader PATH    the loader memmap.efi starts, from the ESP's root:\n"
"                   \\EFI\\debian\\shimx64.efi or /EFI/debian/shimx64.efi\n"
"                   (default: the one this system booted, BootCurrent)\n"
"  --efi FILE       the memmap.efi to install\n"
"                   (default: " MEMMAP_EFI_DIR "/memmap.efi)\n"
"  --shim FILE      start memmap.efi through this signed shim, for Secure\n"
"                   Boot with Microsoft's keys only (Debian's shim-signed:\n"
"                   " SHIM_DEFAULT "): copies it, and\n"
"                   " MOKMGR_FILE "(.signed) from beside it (its MokManager), to\n"
"                   ESP/EFI/memmap/; the entry starts \\EFI\\memmap\\" SHIM_FILE "\n"
"                   with the data " SHIM_DATA ".  memmap.efi must be signed\n"
"                   with a key enrolled in MOK (make sign)\n"
"  --data DIR       GRUB's 05_memmap and memmap.cfg\n"
"                   (default: " MEMMAP_DATA_DIR ")\n"
"  --efivars DIR    efivarfs (default: /sys/firmware/efi/efivars)\n"
"  --root DIR       look for every default path (the mount table, /sys,\n"
"                   /boot/efi, /efi, /etc, the files above) under DIR;\n"
"                   for tests and images: root is then not required\n"
"  --dry-run        print the steps, change nothing\n"
"  -h, --help       this text\n"
"\n"
"Environment: MEMMAP_EFIBOOTMGR and MEMMAP_UPDATE_GRUB name programs to\n"
"run instead of efibootmgr and update-grub.\n"
"\n"
"Exit status: 0 ok, 1 a system check or operation failed, 2 bad input.\n";

static const char uninstall_usage[] =
"Usage: memmap uninstall [OPTION...]\n"
"\n"
"Takes away what memmap install set up: the boot entry \"memmap\"\n"
"(efibootmgr -b XXXX -B), the BootOrder from before install (efibootmgr\n"
"-o, from install.state), GRUB's hook (then update-grub), and the files\n"
"in ESP/EFI/memmap/ (memmap.efi, memmap.conf, memmap.env, install.state,\n"
"and shimx64.efi and mmx64.efi of --shim).\n"
"\n"
"Options:\n"
"  --esp DIR        the EFI system partition (default: /boot/efi, else\n"
"                   /efi, whichever is a vfat mount point)\n"
"  --efivars DIR    efivarfs (default: /sys/firmware/efi/efivars)\n"
"  --root DIR       look for every default path under DIR (see install)\n"
"  --dry-run        print the steps, change nothing\n"
"  -h, --help       this text\n"
"\n"
"Exit status: 0 ok, 1 a system check or operation failed, 2 bad input.\n";

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

/* A step, printed before it is done: "install: ...", "install (dry run): ..." */
static void vstep(const struct inst *in, const char *fmt, va_list ap)
{
	printf("%s%s: ", in->cmd, in->dry_run ? " (dry run)" : "");
	vprintf(fmt, ap);
	putchar('\n');
}

__attribute__((format(printf, 2, 3)))
static void step(const struct inst *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstep(in, fmt, ap);
	va_end(ap);
}

/* "memmap: error: WORD: WHY", WHY formatted; returns @status */
__attribute__((format(printf, 3, 4)))
static int fail(int status, const char *word, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fflush(stdout);
	return cli_error(word, strlen(word), why, status);
}

/* @a @b @c joined into @buf (PATH_MAX bytes); false when too long */
static bool cat3(char *buf, const char *a, const char *b, const char *c)
{
	return (size_t)snprintf(buf, PATH_MAX, "%s%s%s", a, b, c) < PATH_MAX;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

/*
 * The whole file at @path (less than FILE_MAX bytes), NUL-terminated, in
 * *@buf (free() it).  Returns 0 or a negative errno.
 */
static int slurp(const char *path, unsigned char **buf, size_t *n)
{
	unsigned char *b = NULL, *nb;
	size_t cap = 4096, got;
	FILE *f;
	int rc = 0;

	*buf = NULL;
	*n = 0;
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	/* Grown as it fills: /proc and efivarfs files say size 0 */
	for (;;) {
		nb = realloc(b, cap + 1);
		if (!nb) {
			rc = -ENOMEM;
			break;
		}
		b = nb;
		got = fread(b + *n, 1, cap - *n, f);
		*n += got;
		if (ferror(f)) {
			rc = -EIO;
			break;
		}
		if (*n < cap)
			break;
		if (cap >= FILE_MAX) {
			rc = -EFBIG;
			break;
		}
		cap *= 2;
	}
	fclose(f);
	if (rc) {
		free(b);
		*n = 0;
		return rc;
	}
	b[*n] = '\0';
	*buf = b;
	return 0;
}

/* Does @path hold exactly @data (and, when @mode, have that mode)? */
static bool same_file(const char *path, const void *data, size_t n, mode_t mode,
		      bool *same_mode)
{
	unsigned char *b;
	struct stat st;
	size_t len;
	bool same;

	*same_mode = true;
	if (slurp(path, &b, &len))
		return false;
	same = len == n && !memcmp(b, data, n);
	free(b);
	if (same && mode && !stat(path, &st) && (st.st_mode & 07777) != mode)
		*same_mode = false;
	return same;
}

/*
 * Make @path hold @data, unless it does already.  @mode 0 leaves the mode
 * to the filesystem.  Sets *@changed when it writes.  @fmt describes the
 * write: the step printed.  Returns 0 or an exit status.
 */
__attribute__((format(printf, 7, 8)))
static int put_file(const struct inst *in, const char *path, const void *data,
		    size_t n, mode_t mode, bool *changed, const char *fmt, ...)
{
	char tmp[PATH_MAX];
	bool same_mode;
	ssize_t w = 0;
	size_t off;
	va_list ap;
	int fd, err = 0;

	if (same_file(path, data, n, mode, &same_mode)) {
		if (same_mode) {
			step(in, "%s unchanged", path);
			return 0;
		}
		step(in, "chmod %o %s", (unsigned int)mode, path);
		*changed = true;
		if (!in->dry_run && chmod(path, mode))
			return fail(1, path, "chmod: %s", strerror(errno));
		return 0;
	}
	va_start(ap, fmt);
	vstep(in, fmt, ap);
	va_end(ap);
	*changed = true;
	if (in->dry_run)
		return 0;

	/* A new file beside it, then rename: never half a file */
	if (!cat3(tmp, path, ".new", ""))
		return fail(1, path, "path too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode ? mode : 0644);
	if (fd < 0)
		return fail(1, tmp, "%s", strerror(errno));
	for (off = 0; off < n; off += (size_t)w) {
		w = write(fd, (const char *)data + off, n - off);
		if (w <= 0) {
			err = w < 0 ? errno : EIO;
			break;
		}
	}
	if (!err && mode && fchmod(fd, mode))
		err = errno;
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		unlink(tmp);
		return fail(1, path, "%s", strerror(err));
	}
	return 0;
}

/* Remove @path when it is there; sets *@removed.  Returns 0 or 1 */
static int rm_file(const struct inst *in, const char *path, bool *removed)
{
	struct stat st;

	if (lstat(path, &st))
		return 0;
	step(in, "remove %s", path);
	*removed = true;
	if (!in->dry_run && unlink(path))
		return fail(1, path, "%s", strerror(errno));
	return 0;
}

/* mkdir @path when it is not there.  Returns 0 or 1 */
static int make_dir(const struct inst *in, const char *path)
{
	if (is_dir(path))
		return 0;
	step(in, "mkdir %s", path);
	if (!in->dry_run && mkdir(path, 0755))
		return fail(1, path, "mkdir: %s", strerror(errno));
	return 0;
}

/* @s, quoted for a shell when it needs it */
static void put_arg(const char *s)
{
	const char *p;

	for (p = s; *p && (isalnum((unsigned char)*p) || strchr("-_./=,:+@%", *p)); p++)
		;
	if (*s && !*p) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	putchar('\'');
}

/*
 * Find program @name: a path when it holds a slash, else in PATH, then
 * in /usr/sbin and /sbin (efibootmgr and update-grub live there and a
 * user's PATH may lack them).  Fills @path; false when not found.
 */
static bool find_prog(const char *name, char *path)
{
	const char *dirs[2] = { getenv("PATH"), "/usr/sbin:/sbin" };
	size_t k;

	if (strchr(name, '/')) {
		if (!cat3(path, name, "", ""))
			return false;
		return !access(path, X_OK);
	}
	for (k = 0; k < 2; k++) {
		const char *d = dirs[k] ? dirs[k] : "/usr/local/bin:/usr/bin:/bin";

		while (*d) {
			size_t len = strcspn(d, ":");

			if ((size_t)snprintf(path, PATH_MAX, "%.*s/%s", (int)len,
					     len ? d : ".", name) < PATH_MAX &&
			    !access(path, X_OK) && !is_dir(path))
				return true;
			d += len + (d[len] == ':');
		}
	}
	return false;
}

/* Print argv as a step, then run it (unless --dry-run).  Returns 0 or 1 */
static int run_prog(const struct inst *in, char *const argv[])
{
	char path[PATH_MAX];
	size_t i;
	pid_t pid;
	int ws;

	printf("%s%s: run ", in->cmd, in->dry_run ? " (dry run)" : "");
	for (i = 0; argv[i]; i++) {
		if (i)
			putchar(' ');
		put_arg(argv[i]);
	}
	putchar('\n');
	if (in->dry_run)
		return 0;
	fflush(stdout);
	if (!find_prog(argv[0], path))
		return fail(1, argv[0], "not found");
	pid = fork();
	if (pid < 0)
		return fail(1, argv[0], "fork: %s", strerror(errno));
	if (!pid) {
		execv(path, argv);
		fprintf(stderr, "memmap: error: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return fail(1, argv[0], "waitpid: %s", strerror(errno));
	if (WIFSIGNALED(ws))
		return fail(1, argv[0], "killed by signal %d", WTERMSIG(ws));
	if (WEXITSTATUS(ws))
		return fail(1, argv[0], "exited with status %d", WEXITSTATUS(ws));
	return 0;
}

/*
 * Take option @name at argv[*i], as "NAME VALUE" or "NAME=VALUE".
 * Returns 1 and sets *@val when it is that option; 0 when it is not;
 * -1 (the error printed) when its value is missing.
 */
static int opt_value(int argc, char **argv, int *i, const char *name,
		     const char **val)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (strcmp(argv[*i], name))
		return 0;
	if (*i + 1 == argc) {
		fail(EXIT_BAD_INPUT, name, "needs a value (see memmap %s --help)",
		     argv[0]);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

/*
 * --shim FILE or --shim=FILE at argv[*i], as opt_value(); FILE missing,
 * empty or an option: an error that names Debian's shim.
 */
static int shim_value(int argc, char **argv, int *i, const char **val)
{
	if (!strncmp(argv[*i], "--shim=", 7))
		*val = argv[*i] + 7;
	else if (strcmp(argv[*i], "--shim"))
		return 0;
	else if (*i + 1 < argc && argv[*i + 1][0] != '-')
		*val = argv[++*i];
	else
		*val = "";
	if (!**val) {
		fail(EXIT_BAD_INPUT, "--shim", "needs shim's FILE, e.g. --shim "
		     SHIM_DEFAULT " (Debian's shim-signed)");
		return -1;
	}
	return 1;
}

/* UEFI paths compare without case (FAT) and with / as \ */
static bool same_efi_path(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '/' ? '\\' : *a, y = *b == '/' ? '\\' : *b;

		if (tolower((unsigned char)x) != tolower((unsigned char)y))
			return false;
	}
	return !*a && !*b;
}

/* Does @s contain @needle, without case? */
static bool contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

/*
 * @loader as a UEFI path from the volume root, with backslashes, in
 * @out (PATH_MAX bytes).  Returns NULL, or what is wrong with it.
 */
static const char *norm_loader(const char *loader, char *out)
{
	const char *p;
	size_t o = 0;

	if (*loader != '/' && *loader != '\\')
		return "not a path from the ESP's root (\\EFI\\... or /EFI/...)";
	for (p = loader; *p; p++) {
		char c = *p == '/' ? '\\' : *p;

		if ((unsigned char)c < 0x20 || c == 0x7f || c == ' ' || c == '"')
			return "has a space, a quote or a control character, "
			       "which memmap.conf cannot hold";
		if (c == '\\' && o && out[o - 1] == '\\')
			continue;
		if (o + 1 >= PATH_MAX)
			return "too long";
		out[o++] = c;
	}
	out[o] = '\0';
	if (o < 2 || out[o - 1] == '\\')
		return "names a directory, not an EFI image";
	if (same_efi_path(out, EFI_LOADER))
		return "is memmap.efi itself";
	if (same_efi_path(out, EFI_SHIM))
		return "is memmap's copy of shim, which starts memmap.efi";
	return NULL;
}

/* Is @loader's file name GRUB's or shim's? */
static bool loader_is_grub(const char *loader)
{
	const char *name = strrchr(loader, '\\');

	name = name ? name + 1 : loader;
	return !strncasecmp(name, "shim", 4) || !strncasecmp(name, "grub", 4);
}

/* The variable file Boot%04X-GUID */
static void boot_var(char *name, uint16_t num)
{
	snprintf(name, 64, "Boot%04X-" EFIVAR_GLOBAL, num);
}

/* efivarfs: --efivars DIR, else ROOT/sys/firmware/efi/efivars.  0 or 1 */
static int find_efivars(struct inst *in)
{
	char fw[PATH_MAX];

	if (in->efivars_opt) {
		if (!is_dir(in->efivars_opt))
			return fail(1, in->efivars_opt, "not a directory: no efivarfs there");
		if (!cat3(in->efivars, in->efivars_opt, "", ""))
			return fail(1, in->efivars_opt, "path too long");
		return 0;
	}
	if (!cat3(fw, in->root, "/sys/firmware/efi", "") ||
	    !cat3(in->efivars, fw, "/efivars", ""))
		return fail(1, in->root, "path too long");
	if (!is_dir(fw))
		return fail(1, fw, "missing: this system did not boot through UEFI");
	if (!is_dir(in->efivars))
		return fail(1, in->efivars, "missing: efivarfs is not mounted "
			    "(mount -t efivarfs efivarfs /sys/firmware/efi/efivars)");
	return 0;
}

/* Undo the mount table's octal escapes (\040 for a space) in place */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/*
 * The mount table's last entry (the one on top) for directory @dir:
 * its device in @dev and type in @type (PATH_MAX bytes each).  Returns
 * 1 found, 0 not, or an exit status (as a negative number).
 */
static int find_mount(const struct inst *in, const char *dir, char *dev, char *type)
{
	char mounts[PATH_MAX], real_dir[PATH_MAX], real_root[PATH_MAX];
	const char *logical;
	char *line = NULL;
	size_t cap = 0, rl;
	int found = 0;
	FILE *f;

	if (!realpath(dir, real_dir) || !realpath(*in->root ? in->root : "/", real_root))
		return 0;
	/* @dir as the mount table names it: without ROOT */
	rl = strcmp(real_root, "/") ? strlen(real_root) : 0;
	if (strncmp(real_dir, real_root, rl) || (real_dir[rl] && real_dir[rl] != '/'))
		return 0;
	logical = real_dir[rl] ? real_dir + rl : "/";

	if (!cat3(mounts, in->root, "/proc/self/mounts", ""))
		return -fail(1, in->root, "path too long");
	f = fopen(mounts, "r");
	if (!f)
		return -fail(1, mounts, "%s", strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *fdev = strtok(line, " \t\n");
		char *fmnt = fdev ? strtok(NULL, " \t\n") : NULL;
		char *ftype = fmnt ? strtok(NULL, " \t\n") : NULL;

		if (!ftype)
			continue;
		unescape(fdev);
		unescape(fmnt);
		if (strcmp(fmnt, logical))
			continue;
		found = 1;
		snprintf(dev, PATH_MAX, "%s", fdev);
		snprintf(type, PATH_MAX, "%s", ftype);
	}
	free(line);
	fclose(f);
	return found;
}

/* The ESP's disk and partition number from its block device @dev */
static int esp_device(struct inst *in, const char *dev)
{
	char p[PATH_MAX], real[PATH_MAX], num[32];
	const char *name;
	char *slash;
	size_t n;
	FILE *f;

	if (strncmp(dev, "/dev/", 5))
		return fail(1, dev, "not a block device (give --disk DISK --part N)");
	/* /dev/disk/by-uuid/... and the like are links to the device */
	name = strrchr(dev, '/') + 1;
	if (cat3(p, in->root, dev, "") && realpath(p, real))
		name = strrchr(real, '/') + 1;
	if (!cat3(p, in->root, "/sys/class/block/", name) || strlen(name) > 255)
		return fail(1, dev, "path too long");
	if (!cat3(real, p, "/partition", ""))
		return fail(1, dev, "path too long");
	f = fopen(real, "r");
	if (!f)
		return fail(1, dev, "not a partition: no %s (give --disk DISK --part N)",
			    real);
	n = fread(num, 1, sizeof(num) - 1, f);
	fclose(f);
	num[n] = '\0';
	num[strcspn(num, "\n")] = '\0';
	if (!*num || strspn(num, "0123456789") != strlen(num) || *num == '0')
		return fail(1, real, "not a partition number");
	snprintf(in->part, sizeof(in->part), "%s", num);

	/* /sys/class/block/sda1 -> .../block/sda/sda1: the disk is the parent */
	if (!realpath(p, real) || !(slash = strrchr(real, '/')) || slash == real)
		return fail(1, p, "cannot resolve the disk of this partition");
	*slash = '\0';
	slash = strrchr(real, '/');
	if (!cat3(in->disk, "/dev/", slash + 1, ""))
		return fail(1, p, "path too long");
	return 0;
}

/*
 * The ESP: --esp DIR, else ROOT/boot/efi or ROOT/efi when a vfat mount
 * point.  With @need_dev also its disk and partition (--disk and --part,
 * else from the mount table).  Returns 0 or 1.
 */
static int find_esp(struct inst *in, bool need_dev)
{
	static const char *const cand[] = { "/boot/efi", "/efi" };
	char dev[PATH_MAX], type[PATH_MAX], p[PATH_MAX];
	bool have_dev = in->disk_opt && in->part_opt;
	size_t k;
	int rc;

	if (in->esp_opt) {
		if (!is_dir(in->esp_opt))
			return fail(1, in->esp_opt, "not a directory");
		if (!cat3(in->esp, in->esp_opt, "", ""))
			return fail(1, in->esp_opt, "path too long");
		if (need_dev && !have_dev) {
			rc = find_mount(in, in->esp, dev, type);
			if (rc < 0)
				return -rc;
			if (!rc)
				return fail(1, in->esp_opt, "not a mount point "
					    "(give --disk DISK --part N to use it anyway)");
			if (strcmp(type, "vfat"))
				return fail(1, in->esp_opt, "a %s filesystem, not the "
					    "ESP's vfat", type);
		}
	} else {
		for (k = 0; k < 2; k++) {
			DIR *d;

			if (!cat3(p, in->root, cand[k], ""))
				return fail(1, in->root, "path too long");
			/* Opening it mounts an automounted ESP */
			d = opendir(p);
			if (!d)
				continue;
			closedir(d);
			rc = find_mount(in, p, dev, type);
			if (rc < 0)
				return -rc;
			if (rc && !strcmp(type, "vfat"))
				break;
		}
		if (k == 2)
			return fail(1, cand[0], "not a vfat mount point, nor is %s: "
				    "no ESP found (give --esp DIR)", cand[1]);
		snprintf(in->esp, sizeof(in->esp), "%s", p);
	}
	if (!cat3(in->dir, in->esp, EFI_DIR, "") ||
	    !cat3(in->efi, in->dir, "/memmap.efi", "") ||
	    !cat3(in->shim, in->dir, "/", SHIM_FILE) ||
	    !cat3(in->mokmgr, in->dir, "/", MOKMGR_FILE) ||
	    !cat3(in->conf, in->dir, "/memmap.conf", "") ||
	    !cat3(in->state, in->dir, "/install.state", ""))
		return fail(1, in->esp, "path too long");
	if (!need_dev)
		return 0;
	if (have_dev) {
		snprintf(in->disk, sizeof(in->disk), "%s", in->disk_opt);
		snprintf(in->part, sizeof(in->part), "%s", in->part_opt);
		return 0;
	}
	return esp_device(in, dev);
}

/* Is @data (@len bytes) the UCS-2 string @s, with or without a NUL? */
static bool is_ucs2(const unsigned char *data, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	if (len != 2 * n && (len != 2 * n + 2 || data[2 * n] || data[2 * n + 1]))
		return false;
	for (i = 0; i < n; i++)
		if (data[2 * i + 1] || tolower(data[2 * i]) != tolower((unsigned char)s[i]))
			return false;
	return true;
}

/* Boot@num's form: memmap's (label memmap, a file in \EFI\memmap\) or
 * not (FORM_NONE).  Sets *@optional_len.  Malformed: a note, FORM_NONE */
static enum form entry_form(const struct inst *in, uint16_t num, size_t *optional_len)
{
	struct efivar_load_option lo;
	enum form form = FORM_NONE;
	unsigned char *data;
	const char *why;
	char name[64];
	size_t len;

	boot_var(name, num);
	if (efivar_read(in->efivars, name, &data, &len))
		return FORM_NONE;
	if (efivar_load_option_parse(data, len, &lo, &why)) {
		if (why)
			step(in, "note: %.8s skipped: %s", name, why);
		free(data);
		return FORM_NONE;
	}
	if (strcmp(lo.description, ENTRY_LABEL) || !lo.path)
		form = FORM_NONE;
	else if (same_efi_path(lo.path, EFI_LOADER))
		form = FORM_PLAIN;
	else if (same_efi_path(lo.path, EFI_SHIM))
		/* The data, last in the variable, names shim's second stage */
		form = is_ucs2(data + len - lo.optional_len, lo.optional_len,
			       SHIM_DATA) ? FORM_SHIM : FORM_SHIM_OTHER;
	*optional_len = lo.optional_len;
	free(data);
	efivar_load_option_free(&lo);
	return form;
}

static int cmp_ent(const void *a, const void *b)
{
	return (int)((const struct ent *)a)->num - (int)((const struct ent *)b)->num;
}

/* Every boot entry of memmap's (entry_form()), by number, in *@v */
static int memmap_entries(const struct inst *in, struct ent **v, size_t *n)
{
	static const char hex[] = "0123456789ABCDEF";
	struct dirent *e;
	size_t cap = 0;
	DIR *d;

	*v = NULL;
	*n = 0;
	d = opendir(in->efivars);
	if (!d)
		return fail(1, in->efivars, "%s", strerror(errno));
	while ((e = readdir(d))) {
		const char *s = e->d_name;
		enum form form;
		uint16_t num = 0;
		size_t i, opt = 0;

		if (strlen(s) != 9 + strlen(EFIVAR_GLOBAL) || strncmp(s, "Boot", 4) ||
		    s[8] != '-' || strcmp(s + 9, EFIVAR_GLOBAL) ||
		    strspn(s + 4, hex) < 4)
			continue;
		for (i = 4; i < 8; i++)
			num = (uint16_t)(num << 4 | (strchr(hex, s[i]) - hex));
		form = entry_form(in, num, &opt);
		if (form == FORM_NONE)
			continue;
		if (*n == cap) {
			struct ent *nv;

			cap = cap ? 2 * cap : 4;
			nv = realloc(*v, cap * sizeof(**v));
			if (!nv) {
				closedir(d);
				return fail(1, "memmap", "out of memory");
			}
			*v = nv;
		}
		(*v)[(*n)++] = (struct ent){ num, form, opt };
	}
	closedir(d);
	if (*n)
		qsort(*v, *n, sizeof(**v), cmp_ent);
	return 0;
}

/* Is Boot@num one of @ents? */
static bool has_ent(const struct ent *ents, size_t n, uint16_t num)
{
	size_t i;

	for (i = 0; i < n && ents[i].num != num; i++)
		;
	return i < n;
}

/* A u16-list variable (BootOrder, BootCurrent); absent is an empty list */
static int read_u16_var(const struct inst *in, const char *var, uint16_t **v,
			size_t *n, bool *present)
{
	char name[64], path[PATH_MAX];
	unsigned char *data;
	size_t len;
	int rc;

	snprintf(name, sizeof(name), "%s-" EFIVAR_GLOBAL, var);
	if (!cat3(path, in->efivars, "/", name))
		return fail(1, in->efivars, "path too long");
	*v = NULL;
	*n = 0;
	*present = false;
	rc = efivar_read(in->efivars, name, &data, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc == -EINVAL)
		return fail(1, path, "malformed: shorter than its attributes");
	if (rc)
		return fail(1, path, "%s", strerror(-rc));
	rc = efivar_u16_list(data, len, v, n);
	free(data);
	if (rc == -EINVAL)
		return fail(1, path, "malformed: an odd number of bytes");
	if (rc)
		return fail(1, "memmap", "out of memory");
	*present = true;
	return 0;
}

/* "0001,0000" (efibootmgr -o, install.state), "none" when @n is 0;
 * malloc'ed, NULL when out of memory */
static char *order_text(const uint16_t *v, size_t n)
{
	char *s = malloc(5 * n + 5);
	size_t i;

	if (!s)
		return NULL;
	strcpy(s, "none");
	for (i = 0; i < n; i++)
		sprintf(s + (i ? 5 * i - 1 : 0), i ? ",%04X" : "%04X", v[i]);
	return s;
}

/* The -- PATH of an existing memmap.conf, in @out: 0; 1 when it names
 * none; a negative errno when it cannot be read */
static int conf_loader(const char *conf, char *out)
{
	unsigned char *text;
	char *line, *save = NULL;
	bool found = false;
	size_t n;
	int rc;

	rc = slurp(conf, &text, &n);
	if (rc)
		return rc;
	for (line = strtok_r((char *)text, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char *w, *wsave = NULL;

		line += strspn(line, " \t\r");
		if (*line == '#')
			continue;
		for (w = strtok_r(line, " \t\r", &wsave); w;
		     w = strtok_r(NULL, " \t\r", &wsave)) {
			if (strcmp(w, "--"))
				continue;
			w = strtok_r(NULL, " \t\r", &wsave);
			found = w && !norm_loader(w, out);
			break;
		}
	}
	free(text);
	return found ? 0 : 1;
}

/*
 * LOADER when --loader is not given: the file path of the entry this
 * system booted (BootCurrent); when that is memmap's own entry, the
 * -- PATH of the memmap.conf it read.
 */
static int current_loader(const struct inst *in, char *loader)
{
	struct efivar_load_option lo;
	char name[64], path[PATH_MAX];
	unsigned char *data;
	const char *why;
	uint16_t *cur;
	size_t n, len;
	bool present;
	int rc;

	rc = read_u16_var(in, "BootCurrent", &cur, &n, &present);
	if (rc)
		return rc;
	if (!present)
		return fail(1, "BootCurrent", "not in %s: cannot tell which loader "
			    "booted this system (give --loader PATH)", in->efivars);
	if (n != 1) {
		free(cur);
		return fail(1, "BootCurrent", "malformed: %zu bytes, not 2", 2 * n);
	}
	boot_var(name, cur[0]);
	free(cur);
	if (!cat3(path, in->efivars, "/", name))
		return fail(1, in->efivars, "path too long");
	rc = efivar_read(in->efivars, name, &data, &len);
	if (rc == -EINVAL)
		return fail(1, path, "malformed: shorter than its attributes");
	if (rc)
		return fail(1, path, "BootCurrent's entry: %s", strerror(-rc));
	rc = efivar_load_option_parse(data, len, &lo, &why);
	free(data);
	if (rc == -EINVAL)
		return fail(1, path, "malformed: %s", why);
	if (rc)
		return fail(1, "memmap", "out of memory");
	if (!lo.path) {
		rc = fail(1, path, "BootCurrent's entry (%s) starts no file "
			  "(give --loader PATH)", lo.description);
		efivar_load_option_free(&lo);
		return rc;
	}

	if (same_efi_path(lo.path, EFI_LOADER) || same_efi_path(lo.path, EFI_SHIM)) {
		/* Booted through memmap.efi: its memmap.conf names the loader */
		const char *how = same_efi_path(lo.path, EFI_SHIM) ? " through shim" : "";

		efivar_load_option_free(&lo);
		rc = conf_loader(in->conf, loader);
		if (rc)
			return fail(1, in->conf, "this system booted memmap.efi%s (%.8s), "
				    "and %s (give --loader PATH)", how, name, rc > 0 ?
				    "this file names no -- LOADER" : strerror(-rc));
		step(in, "loader %s, from %s: this system booted memmap.efi%s (%.8s)",
		     loader, in->conf, how, name);
		return 0;
	}
	why = norm_loader(lo.path, loader);
	if (why) {
		rc = fail(1, path, "its file path %s %s (give --loader PATH)",
			  lo.path, why);
		efivar_load_option_free(&lo);
		return rc;
	}
	step(in, "loader %s, from %.8s (%s), the entry this system booted",
	     loader, name, lo.description);
	efivar_load_option_free(&lo);
	return 0;
}

/* install.state in @in->dir: what was there before install */
static void read_state(const struct inst *in, struct state *st)
{
	unsigned char *text;
	char *line, *save = NULL;
	size_t n;

	memset(st, 0, sizeof(*st));
	st->grub = -1;
	if (slurp(in->state, &text, &n))
		return;
	st->found = true;
	for (line = strtok_r((char *)text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end;
		unsigned long v;

		if (!strncmp(line, "bootorder ", 10)) {
			const char *p = line + 10;

			free(st->order);
			st->order = NULL;
			st->norder = 0;
			st->has_order = false;
			if (!strcmp(p, "none")) {
				st->has_order = true;
				continue;
			}
			st->order = malloc((strlen(p) / 5 + 1) * sizeof(*st->order));
			if (!st->order)
				continue;
			/* XXXX[,XXXX]...: four hex digits each */
			for (;;) {
				if (strspn(p, "0123456789abcdefABCDEF") != 4 ||
				    (p[4] && p[4] != ','))
					break;
				st->order[st->norder++] = (uint16_t)strtoul(p, NULL, 16);
				if (!p[4]) {
					st->has_order = true;
					break;
				}
				p += 5;
			}
			if (!st->has_order)
				st->norder = 0;
		} else if (!strncmp(line, "entry ", 6)) {
			v = strtoul(line + 6, &end, 16);
			if (strlen(line + 6) == 4 && !*end && v <= 0xffff) {
				st->has_entry = true;
				st->entry = (uint16_t)v;
			}
		} else if (!strncmp(line, "grub ", 5)) {
			st->grub = !strcmp(line + 5, "1") ? 1 :
				   !strcmp(line + 5, "0") ? 0 : -1;
		}
	}
	free(text);
}

/* install.state's text; malloc'ed, NULL when out of memory */
static char *state_text(const char *order, bool grub, bool has_entry,
			uint16_t entry)
{
	size_t cap = strlen(order) + 128;
	char *s = malloc(cap), line[16] = "";

	if (!s)
		return NULL;
	if (has_entry)
		snprintf(line, sizeof(line), "entry %04X\n", entry);
	snprintf(s, cap, "# memmap install: the boot setup before it, for "
		 "memmap uninstall\nbootorder %s\ngrub %d\n%s", order, grub, line);
	return s;
}

/* A note when Secure Boot is on: the firmware, or shim, checks memmap.efi */
static void secure_boot_note(const struct inst *in)
{
	unsigned char *data;
	size_t len;
	bool on;

	if (efivar_read(in->efivars, "SecureBoot-" EFIVAR_GLOBAL, &data, &len))
		return;
	on = len == 1 && data[0] == 1;
	free(data);
	if (!on)
		return;
	if (in->shim_opt)
		step(in, "note: Secure Boot is on: shim starts memmap.efi only when "
		     "it is signed with a key enrolled in MOK (install does not sign): "
		     "make sign KEY=key.pem CERT=cert.pem; mokutil --import cert.der "
		     "(the certificate in DER form), then reboot to MokManager to "
		     "enroll it; --efi build/memmap.signed.efi installs the signed image");
	else
		step(in, "note: Secure Boot is on: the firmware starts memmap.efi "
		     "only when it is signed with a key in its db (make sign); when "
		     "the db holds Microsoft's keys only, install with --shim "
		     SHIM_DEFAULT " and a memmap.efi signed with a key enrolled in MOK");
}

/* Check one kernel word before it goes to memmap.conf: 0 or 2 */
static int check_word(const char *w, bool first)
{
	const char *p;

	for (p = w; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			/* Named with its control characters as \xNN: one line */
			char *e = malloc(4 * strlen(w) + 1), *o = e;
			int status;

			if (!e)
				return fail(1, "memmap", "out of memory");
			for (p = w; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					o += sprintf(o, "\\x%02x", (unsigned char)*p);
				else
					*o++ = *p;
			*o = '\0';
			status = fail(EXIT_BAD_INPUT, e, "has a control character, "
				      "which memmap.conf cannot hold");
			free(e);
			return status;
		}
	}
	if (strstr(w, "--"))
		return fail(EXIT_BAD_INPUT, w, "has --, which would end memmap.efi's "
			    "words (install writes -- LOADER itself; see --loader)");
	if (first && *w == '#')
		return fail(EXIT_BAD_INPUT, w, "starts with #: memmap.conf would read "
			    "the line as a comment");
	return 0;
}

/* Validate the words as memmap.efi will (cmdline_parse); 0 or 2 */
static int check_words(const char *line, size_t len)
{
	struct cmdline_plan plan;
	struct cmdline_error cerr;
	size_t quotes = 0, i, start = 0;
	int rc;

	rc = cmdline_parse(line, len, &mapread_libc_alloc, &plan, &cerr);
	if (rc == -MM_EINVAL)
		return cli_error(cerr.word, cerr.word_len, cerr.reason, EXIT_BAD_INPUT);
	if (rc)
		return fail(1, "memmap", "out of memory");
	cmdline_plan_free(&plan);
	/* An open quote would swallow "-- LOADER" in memmap.efi */
	for (i = 0; i <= len; i++) {
		if (i < len && line[i] == '"')
			quotes++;
		if (i < len && line[i] != ' ')
			continue;
		if (quotes % 2)
			return cli_error(line + start, i - start,
					 "unbalanced double quote", EXIT_BAD_INPUT);
		start = i + 1;
	}
	return 0;
}

/* A GRUB file from --data DIR (or MEMMAP_DATA_DIR under ROOT) */
static int data_file(const struct inst *in, const char *name, char *path,
		     unsigned char **buf, size_t *n)
{
	int rc;

	if (in->data_opt ? !cat3(path, in->data_opt, "/", name) :
	    !cat3(path, in->root, MEMMAP_DATA_DIR "/", name))
		return fail(1, name, "path too long");
	rc = slurp(path, buf, n);
	if (rc)
		return fail(1, path, "%s (make install puts it there; or give --data DIR)",
			    strerror(-rc));
	return 0;
}

/* The programs, from the environment or by name; checked when needed:
 * efibootmgr with @ebm, update-grub with @grub.  0 or 1 */
static int find_programs(struct inst *in, bool ebm, bool grub)
{
	char path[PATH_MAX];

	in->efibootmgr = getenv("MEMMAP_EFIBOOTMGR");
	if (!in->efibootmgr || !*in->efibootmgr)
		in->efibootmgr = "efibootmgr";
	in->update_grub = getenv("MEMMAP_UPDATE_GRUB");
	if (!in->update_grub || !*in->update_grub)
		in->update_grub = "update-grub";
	if (ebm && !find_prog(in->efibootmgr, path))
		return fail(1, in->efibootmgr, "not found (apt-get install efibootmgr)");
	if (grub && !find_prog(in->update_grub, path))
		return fail(1, in->update_grub, "not found (apt-get install grub2-common)");
	return 0;
}

/* The options both commands take; 1 taken, 0 not, -1 error */
static int common_opt(struct inst *in, int argc, char **argv, int *i)
{
	int rc;

	if (!strcmp(argv[*i], "--dry-run")) {
		in->dry_run = true;
		return 1;
	}
	rc = opt_value(argc, argv, i, "--esp", &in->esp_opt);
	if (!rc)
		rc = opt_value(argc, argv, i, "--efivars", &in->efivars_opt);
	if (!rc)
		rc = opt_value(argc, argv, i, "--root", &in->root);
	return rc;
}

/* Root unless --dry-run or --root; --root without trailing slashes.
 * Returns 0, 1 (not root) or 2 (a bad --root) */
static int check_root(struct inst *in, char *root)
{
	size_t n;

	if (*in->root) {
		n = strlen(in->root);
		if (n >= PATH_MAX)
			return fail(EXIT_BAD_INPUT, "--root", "path too long");
		memcpy(root, in->root, n + 1);
		while (n > 1 && root[n - 1] == '/')
			root[--n] = '\0';
		if (!strcmp(root, "/"))
			root[0] = '\0';
		else if (!is_dir(root))
			return fail(EXIT_BAD_INPUT, in->root, "not a directory");
		in->root = root;
		return 0;
	}
	if (geteuid() && !in->dry_run)
		return fail(1, in->cmd, "must be run as root (--dry-run shows the steps)");
	return 0;
}

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

static void plan_free(struct plan *p)
{
	free(p->line);
	free(p->efi);
	free(p->shim);
	free(p->mm);
	free(p->gs);
	free(p->gc);
	free(p->order);
	free(p->ents);
	free(p->st.order);
}

/*
 * The options and words of memmap install, all checked; the words joined
 * in @p->line.  Returns 0, an exit status, or -1 after --help.
 */
static int install_args(struct inst *in, struct plan *p, int argc, char **argv)
{
	const char *why;
	size_t i, nwords = 0;
	int rc;

	p->line = malloc(1);
	if (!p->line)
		return fail(1, "memmap", "out of memory");
	for (i = 1; i < (size_t)argc; i++) {
		int k = (int)i;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(install_usage, stdout);
			return -1;
		}
		rc = common_opt(in, argc, argv, &k);
		if (!rc)
			rc = opt_value(argc, argv, &k, "--loader", &in->loader_opt);
		if (!rc)
			rc = opt_value(argc, argv, &k, "--efi", &in->efi_opt);
		if (!rc)
			rc = opt_value(argc, argv, &k, "--data", &in->data_opt);
		if (!rc)
			rc = opt_value(argc, argv, &k, "--disk", &in->disk_opt);
		if (!rc)
			rc = opt_value(argc, argv, &k, "--part", &in->part_opt);
		if (!rc)
			rc = shim_value(argc, argv, &k, &in->shim_opt);
		i = (size_t)k;
		if (rc < 0)
			return EXIT_BAD_INPUT;
		if (rc)
			continue;
		if (argv[i][0] == '-')
			return fail(EXIT_BAD_INPUT, argv[i], !strcmp(argv[i], "--") ?
				    "install writes -- LOADER itself (see --loader)" :
				    "unknown option (see memmap install --help)");
		rc = check_word(argv[i], !nwords);
		if (rc)
			return rc;
		/* Joined with single spaces, as memmap.efi joins them */
		{
			size_t n = strlen(argv[i]);
			char *l = realloc(p->line, p->len + n + 2);

			if (!l)
				return fail(1, "memmap", "out of memory");
			p->line = l;
			if (nwords++)
				p->line[p->len++] = ' ';
			memcpy(p->line + p->len, argv[i], n);
			p->len += n;
		}
	}
	p->line[p->len] = '\0';
	if (!nwords)
		return fail(EXIT_BAD_INPUT, "install", "needs kernel words, e.g. "
			    "memmap=12M*4096:oops ramoops.mem_name=oops (see --help)");
	rc = check_words(p->line, p->len);
	if (rc)
		return rc;
	if (in->loader_opt && (why = norm_loader(in->loader_opt, p->loader)))
		return fail(EXIT_BAD_INPUT, in->loader_opt, "%s", why);
	if (!in->disk_opt != !in->part_opt)
		return fail(EXIT_BAD_INPUT, in->disk_opt ? "--disk" : "--part",
			    "needs %s too", in->disk_opt ? "--part N" : "--disk DISK");
	if (in->part_opt && (!*in->part_opt || *in->part_opt == '0' ||
			     strlen(in->part_opt) > 5 ||
			     strspn(in->part_opt, "0123456789") != strlen(in->part_opt)))
		return fail(EXIT_BAD_INPUT, in->part_opt, "not a partition number");
	if (in->disk_opt && in->disk_opt[0] != '/')
		return fail(EXIT_BAD_INPUT, in->disk_opt, "not a device path (/dev/...)");
	return 0;
}

/*
 * --shim FILE, and MokManager beside it: mmx64.efi.signed (Debian's
 * shim-helpers-amd64-signed, which shim-signed depends on), else mmx64.efi.
 * shim starts MokManager from its own directory while a MOK request
 * (mokutil --import) is pending, and shuts the machine down when it is
 * not there.  Returns 0 or 1.
 */
static int shim_files(const struct inst *in, struct plan *p)
{
	static const char *const names[] = { MOKMGR_FILE ".signed", MOKMGR_FILE };
	const char *slash = strrchr(in->shim_opt, '/');
	char dir[PATH_MAX], first[PATH_MAX];
	size_t k;
	int rc;

	rc = slurp(in->shim_opt, &p->shim, &p->shim_len);
	if (rc)
		return fail(1, in->shim_opt, "%s (--shim takes shim's file: "
			    SHIM_DEFAULT " from Debian's shim-signed)", strerror(-rc));
	if (p->shim_len < 2 || memcmp(p->shim, "MZ", 2))
		return fail(1, in->shim_opt, "not an EFI image (no MZ header)");
	/* FILE's directory: MokManager is looked for there */
	if (!slash)
		strcpy(dir, ".");
	else if ((size_t)(slash - in->shim_opt) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - in->shim_opt), in->shim_opt);
	else
		return fail(1, in->shim_opt, "path too long");
	if (!cat3(first, dir, "/", names[0]))
		return fail(1, in->shim_opt, "path too long");
	for (k = 0, rc = -ENOENT; k < 2 && rc == -ENOENT; k++) {
		if (!cat3(p->mm_src, dir, "/", names[k]))
			return fail(1, in->shim_opt, "path too long");
		rc = slurp(p->mm_src, &p->mm, &p->mm_len);
	}
	if (rc == -ENOENT)
		return fail(1, first, "missing, and so is " MOKMGR_FILE " beside it: "
			    "shim needs its MokManager in its own directory, else a "
			    "pending MOK request (mokutil --import) shuts the machine "
			    "down at boot (Debian: shim-helpers-amd64-signed)");
	if (rc)
		return fail(1, p->mm_src, "%s", strerror(-rc));
	if (p->mm_len < 2 || memcmp(p->mm, "MZ", 2))
		return fail(1, p->mm_src, "not an EFI image (no MZ header)");
	return 0;
}

/* The system, checked whole before anything is changed: 0 or 1 */
static int install_check(struct inst *in, struct plan *p)
{
	char path[PATH_MAX];
	bool present, grub_there;
	size_t i;
	int rc;

	if (find_efivars(in) || find_esp(in, true))
		return 1;
	if (in->efi_opt ? !cat3(p->src, in->efi_opt, "", "") :
	    !cat3(p->src, in->root, MEMMAP_EFI_DIR "/memmap.efi", ""))
		return fail(1, "--efi", "path too long");
	rc = slurp(p->src, &p->efi, &p->efi_len);
	if (rc)
		return fail(1, p->src, "%s (make install puts it there; or give "
			    "--efi FILE)", strerror(-rc));
	if (p->efi_len < 2 || memcmp(p->efi, "MZ", 2))
		return fail(1, p->src, "not an EFI image (no MZ header)");
	if (in->shim_opt && shim_files(in, p))
		return 1;

	/* LOADER, and that it is on this ESP */
	if (!in->loader_opt && current_loader(in, p->loader))
		return 1;
	if (!cat3(path, in->esp, "/", p->loader + 1))
		return fail(1, p->loader, "path too long");
	for (i = 0; path[i]; i++)
		if (path[i] == '\\')
			path[i] = '/';
	if (access(path, R_OK))
		return fail(1, p->loader, "not on the ESP: %s: %s", path, strerror(errno));

	/* GRUB's hook when LOADER is GRUB's or shim's */
	p->grub = loader_is_grub(p->loader);
	if (!cat3(p->grub_script, in->root, GRUB_SCRIPT_DIR "/", GRUB_SCRIPT) ||
	    !cat3(p->grub_cfg_dir, in->root, GRUB_CFG_DIR, "") ||
	    !cat3(p->grub_cfg, p->grub_cfg_dir, "/", GRUB_CFG) ||
	    !cat3(path, in->root, GRUB_SCRIPT_DIR, ""))
		return fail(1, in->root, "path too long");
	if (p->grub) {
		if (data_file(in, GRUB_SCRIPT, p->gs_src, &p->gs, &p->gs_len) ||
		    data_file(in, GRUB_CFG, p->gc_src, &p->gc, &p->gc_len))
			return 1;
		if (!is_dir(path))
			return fail(1, path, "missing: is GRUB installed? (the loader "
				    "%s is GRUB's or shim's)", p->loader);
	}
	grub_there = !access(p->grub_script, F_OK) || !access(p->grub_cfg, F_OK);
	if (find_programs(in, true, p->grub || grub_there))
		return 1;
	if (memmap_entries(in, &p->ents, &p->nents) ||
	    read_u16_var(in, "BootOrder", &p->order, &p->norder, &present))
		return 1;
	read_state(in, &p->st);
	return 0;
}

/* memmap.efi, memmap.conf, GRUB's hook: 0 or 1 */
static int install_files(const struct inst *in, struct plan *p)
{
	char path[PATH_MAX];
	bool grub_changed = false, removed = false;
	char *conf;
	int rc;

	if (!cat3(path, in->esp, "/EFI", "") || make_dir(in, path) ||
	    make_dir(in, in->dir))
		return 1;
	if (put_file(in, in->efi, p->efi, p->efi_len, 0, &p->changed,
		     "copy %s -> %s", p->src, in->efi))
		return 1;
	if (in->shim_opt) {
		bool shim_changed = false;

		if (put_file(in, in->shim, p->shim, p->shim_len, 0, &shim_changed,
			     "copy %s -> %s", in->shim_opt, in->shim) ||
		    put_file(in, in->mokmgr, p->mm, p->mm_len, 0, &shim_changed,
			     "copy %s -> %s", p->mm_src, in->mokmgr))
			return 1;
		/* A copy SBAT revokes later shuts the machine down at boot */
		if (shim_changed) {
			p->changed = true;
			step(in, "note: upgrades of shim (Debian's shim-signed) do not "
			     "update this copy: run memmap install again after one; "
			     "a shim that SBAT has revoked shuts the machine down at boot");
		}
	}
	conf = malloc(p->len + strlen(p->loader) + 128);
	if (!conf)
		return fail(1, "memmap", "out of memory");
	snprintf(conf, p->len + strlen(p->loader) + 128,
		 "# memmap.efi's arguments (memmap install); # %% $ need no escaping\n"
		 "%s\n-- %s\n", p->line, p->loader);
	rc = put_file(in, in->conf, conf, strlen(conf), 0, &p->changed,
		      "write %s: %s -- %s", in->conf, p->line, p->loader);
	free(conf);
	if (rc)
		return 1;

	/* 05_memmap loads memmap.env, memmap.cfg puts the words on linux lines */
	if (p->grub) {
		if (make_dir(in, p->grub_cfg_dir) ||
		    put_file(in, p->grub_script, p->gs, p->gs_len, 0755, &grub_changed,
			     "copy %s -> %s", p->gs_src, p->grub_script) ||
		    put_file(in, p->grub_cfg, p->gc, p->gc_len, 0644, &grub_changed,
			     "copy %s -> %s", p->gc_src, p->grub_cfg))
			return 1;
	} else {
		if (rm_file(in, p->grub_script, &removed) ||
		    rm_file(in, p->grub_cfg, &removed))
			return 1;
		if (contains_ci(p->loader, "systemd-boot"))
			step(in, "note: systemd-boot 256 and later read the words from "
			     "SMBIOS (io.systemd.boot.kernel-cmdline-extra), which "
			     "memmap.efi provides; no GRUB files");
		else if (same_efi_path(p->loader, "\\EFI\\BOOT\\BOOTX64.EFI") ||
			 same_efi_path(p->loader, "\\EFI\\BOOT\\BOOTAA64.EFI"))
			step(in, "note: %s is the removable-media path: no GRUB files; "
			     "when it is shim or GRUB, give --loader with their own "
			     "path (\\EFI\\debian\\shimx64.efi)", p->loader);
	}
	if (grub_changed || removed) {
		char *const ug[] = { (char *)in->update_grub, NULL };

		p->changed = true;
		if (run_prog(in, ug))
			return 1;
	}
	return 0;
}

/* The first of memmap's entries in the form asked for now; NULL when none */
static const struct ent *kept_entry(const struct inst *in, const struct plan *p)
{
	enum form want = in->shim_opt ? FORM_SHIM : FORM_PLAIN;
	size_t i;

	for (i = 0; i < p->nents; i++)
		if (p->ents[i].form == want)
			return &p->ents[i];
	return NULL;
}

/* Delete memmap's entries in the other form (--shim or not): 0 or 1 */
static int delete_other_form(const struct inst *in, struct plan *p, bool kept)
{
	enum form want = in->shim_opt ? FORM_SHIM : FORM_PLAIN;
	char num[8];
	size_t i;

	for (i = 0; i < p->nents; i++) {
		char *const del[] = { (char *)in->efibootmgr, "-b", num, "-B", NULL };
		const struct ent *e = &p->ents[i];

		if (e->form == want)
			continue;
		step(in, "boot entry Boot%04X (%s) starts %s%s, not %s%s: %s",
		     e->num, ENTRY_LABEL, e->form == FORM_PLAIN ? EFI_LOADER : EFI_SHIM,
		     e->form == FORM_SHIM_OTHER ? " with data other than " SHIM_DATA : "",
		     in->shim_opt ? EFI_SHIM : EFI_LOADER,
		     in->shim_opt ? " with data " SHIM_DATA " (--shim)" : " (no --shim)",
		     kept ? "deleted" : "deleted, a new one created");
		snprintf(num, sizeof(num), "%04X", e->num);
		p->changed = true;
		if (run_prog(in, del))
			return 1;
	}
	return 0;
}

/* install.state, then the boot entry, first in BootOrder: 0 or 1 */
static int install_entry(const struct inst *in, struct plan *p)
{
	char *order = NULL, *state = NULL, num[8];
	const struct ent *kept = kept_entry(in, p);
	uint16_t *v, *cur;
	size_t i, n = 0, ncur = 0;
	int status = 1;

	/* The BootOrder before the first install, without memmap's entries;
	 * and BootOrder once the entries of the other form are deleted */
	v = malloc((p->norder + 1) * sizeof(*v));
	cur = malloc((p->norder + 1) * sizeof(*cur));
	if (!v || !cur) {
		fail(1, "memmap", "out of memory");
		goto out;
	}
	for (i = 0; i < p->norder; i++) {
		if (!has_ent(p->ents, p->nents, p->order[i]))
			v[n++] = p->order[i];
		if (!has_ent(p->ents, p->nents, p->order[i]) ||
		    (kept && p->order[i] == kept->num))
			cur[ncur++] = p->order[i];
	}
	order = p->st.has_order ? order_text(p->st.order, p->st.norder) :
		order_text(v, n);
	if (order)
		state = state_text(order, p->grub, kept != NULL, kept ? kept->num : 0);
	if (!state) {
		fail(1, "memmap", "out of memory");
		goto out;
	}
	if (kept)
		snprintf(num, sizeof(num), "%04X", kept->num);
	else
		strcpy(num, "none");
	if (put_file(in, in->state, state, strlen(state), 0, &p->changed,
		     "write %s: bootorder %s, grub %d, entry %s", in->state, order,
		     p->grub, num))
		goto out;
	if (delete_other_form(in, p, kept != NULL))
		goto out;

	if (!kept) {
		/* The boot entry, last: everything it starts is in place */
		char *const cr[] = { (char *)in->efibootmgr, "--create", "--disk",
				     (char *)in->disk, "--part", (char *)in->part,
				     "--label", ENTRY_LABEL, "--loader", EFI_LOADER, NULL };
		char *const cr_shim[] = { (char *)in->efibootmgr, "--create", "--disk",
				     (char *)in->disk, "--part", (char *)in->part,
				     "--label", ENTRY_LABEL, "--loader", EFI_SHIM,
				     "--unicode", SHIM_DATA, NULL };

		p->changed = true;
		if (run_prog(in, in->shim_opt ? cr_shim : cr))
			goto out;
		if (in->dry_run) {
			status = 0;
			goto out;
		}
		free(p->ents);
		p->ents = NULL;
		if (memmap_entries(in, &p->ents, &p->nents))
			goto out;
		kept = kept_entry(in, p);
		if (!kept) {
			step(in, "note: the new entry is not in %s; uninstall looks "
			     "for it by its label", in->efivars);
			status = 0;
			goto out;
		}
		free(state);
		state = state_text(order, p->grub, true, kept->num);
		if (!state) {
			fail(1, "memmap", "out of memory");
			goto out;
		}
		if (put_file(in, in->state, state, strlen(state), 0, &p->changed,
			     "write %s: bootorder %s, grub %d, entry %04X", in->state,
			     order, p->grub, kept->num))
			goto out;
	} else if (!ncur || cur[0] != kept->num) {
		/* It is there already: first in BootOrder */
		char *o[] = { (char *)in->efibootmgr, "-o", NULL, NULL };
		char *reorder;

		n = 0;
		v[n++] = kept->num;
		for (i = 0; i < ncur; i++)
			if (cur[i] != kept->num)
				v[n++] = cur[i];
		reorder = order_text(v, n);
		if (!reorder) {
			fail(1, "memmap", "out of memory");
			goto out;
		}
		step(in, "boot entry Boot%04X (%s) exists; put it first in BootOrder",
		     kept->num, ENTRY_LABEL);
		p->changed = true;
		o[2] = reorder;
		status = run_prog(in, o);
		free(reorder);
		if (status)
			goto out;
	} else {
		step(in, "boot entry Boot%04X (%s) first in BootOrder unchanged",
		     kept->num, ENTRY_LABEL);
	}
	if (kept->form == FORM_PLAIN && kept->optional_len)
		step(in, "note: a memmap boot entry has data: memmap.efi reads its "
		     "words from there, not from memmap.conf");
	status = 0;
out:
	free(v);
	free(cur);
	free(order);
	free(state);
	return status;
}

/* Without --shim: shim and MokManager of an earlier --shim go, now that
 * no entry starts them.  0 or 1 */
static int drop_shim_files(const struct inst *in, struct plan *p)
{
	if (in->shim_opt)
		return 0;
	return rm_file(in, in->shim, &p->changed) || rm_file(in, in->mokmgr, &p->changed);
}

int cli_install(int argc, char **argv)
{
	struct inst in = { .cmd = "install", .root = "" };
	struct plan p = { 0 };
	char root[PATH_MAX];
	int status;

	p.st.grub = -1;
	status = install_args(&in, &p, argc, argv);
	if (!status)
		status = check_root(&in, root);
	if (!status)
		status = install_check(&in, &p);
	if (!status)
		status = install_files(&in, &p);
	if (!status)
		status = install_entry(&in, &p);
	if (!status)
		status = drop_shim_files(&in, &p);
	if (!status && !p.changed)
		step(&in, "nothing to change");
	if (!status)
		secure_boot_note(&in);
	plan_free(&p);
	return status < 0 ? 0 : status;
}

/* Boot entries and BootOrder: 0 or 1 */
static int uninstall_entries(const struct inst *in, const struct state *st,
			     const struct ent *ents, size_t nents)
{
	char num[8], name[64], path[PATH_MAX], *order;
	uint16_t *keep;
	size_t i, nkeep = 0;
	int rc;

	/* The entries first: the firmware no longer starts memmap.efi */
	for (i = 0; i < nents; i++) {
		char *const del[] = { (char *)in->efibootmgr, "-b", num, "-B", NULL };

		snprintf(num, sizeof(num), "%04X", ents[i].num);
		if (run_prog(in, del))
			return 1;
	}
	if (st->has_entry) {
		if (!has_ent(ents, nents, st->entry))
			step(in, "note: Boot%04X, the entry install.state names, is "
			     "gone already", st->entry);
	}

	/* The BootOrder from before install, less the entries gone since */
	if (!st->found) {
		step(in, "note: no %s: the BootOrder from before install is "
		     "unknown and not restored", in->state);
		return 0;
	}
	if (!st->has_order) {
		step(in, "note: %s holds no valid bootorder line: the BootOrder "
		     "from before install is not restored", in->state);
		return 0;
	}
	keep = calloc(st->norder + 1, sizeof(*keep));
	if (!keep)
		return fail(1, "memmap", "out of memory");
	for (i = 0; i < st->norder; i++) {
		boot_var(name, st->order[i]);
		if (has_ent(ents, nents, st->order[i]) ||
		    !cat3(path, in->efivars, "/", name) || access(path, F_OK))
			step(in, "note: Boot%04X of the saved BootOrder is gone; left out",
			     st->order[i]);
		else
			keep[nkeep++] = st->order[i];
	}
	order = order_text(keep, nkeep);
	free(keep);
	if (!order)
		return fail(1, "memmap", "out of memory");
	rc = 0;
	if (nkeep) {
		char *const o[] = { (char *)in->efibootmgr, "-o", order, NULL };

		rc = run_prog(in, o);
	}
	free(order);
	return rc;
}

/* GRUB's hook, then the files on the ESP, install.state last: 0 or 1 */
static int uninstall_files(const struct inst *in, bool *removed)
{
	static const char *const files[] = {
		"memmap.efi", SHIM_FILE, MOKMGR_FILE, "memmap.conf", "memmap.env",
		"install.state",
	};
	const size_t nfiles = sizeof(files) / sizeof(files[0]);
	char path[PATH_MAX], grub_script[PATH_MAX], grub_cfg[PATH_MAX];
	bool grub_removed = false, empty = true;
	struct dirent *e;
	size_t i;
	DIR *d;

	if (!cat3(grub_script, in->root, GRUB_SCRIPT_DIR "/", GRUB_SCRIPT) ||
	    !cat3(grub_cfg, in->root, GRUB_CFG_DIR "/", GRUB_CFG))
		return fail(1, in->root, "path too long");
	if (rm_file(in, grub_script, &grub_removed) || rm_file(in, grub_cfg, &grub_removed))
		return 1;
	if (grub_removed) {
		char *const ug[] = { (char *)in->update_grub, NULL };

		*removed = true;
		if (run_prog(in, ug))
			return 1;
	}

	for (i = 0; i < nfiles; i++)
		if (!cat3(path, in->dir, "/", files[i]) || rm_file(in, path, removed))
			return 1;
	d = opendir(in->dir);
	if (!d)
		return 0;
	/* Empty after the removals (in a dry run, after their steps)? */
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		for (i = 0; i < nfiles && strcmp(e->d_name, files[i]); i++)
			;
		if (i == nfiles)
			empty = false;
	}
	closedir(d);
	if (!empty) {
		step(in, "note: %s holds other files; left there", in->dir);
		return 0;
	}
	step(in, "rmdir %s", in->dir);
	*removed = true;
	if (!in->dry_run && rmdir(in->dir))
		return fail(1, in->dir, "rmdir: %s", strerror(errno));
	return 0;
}

int cli_uninstall(int argc, char **argv)
{
	struct inst in = { .cmd = "uninstall", .root = "" };
	char root[PATH_MAX], grub_script[PATH_MAX], grub_cfg[PATH_MAX];
	struct ent *ents = NULL;
	size_t nents = 0, i;
	bool removed = false;
	struct state st;
	struct stat sb;
	int status, rc;

	for (i = 1; i < (size_t)argc; i++) {
		int k = (int)i;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(uninstall_usage, stdout);
			return 0;
		}
		rc = common_opt(&in, argc, argv, &k);
		i = (size_t)k;
		if (rc < 0)
			return EXIT_BAD_INPUT;
		if (!rc)
			return fail(EXIT_BAD_INPUT, argv[i], argv[i][0] == '-' ?
				    "unknown option (see memmap uninstall --help)" :
				    "unexpected (uninstall takes no words)");
	}
	status = check_root(&in, root);
	if (status)
		return status;

	/* The system, checked before anything is changed */
	if (find_efivars(&in) || find_esp(&in, false))
		return 1;
	if (!cat3(grub_script, in.root, GRUB_SCRIPT_DIR "/", GRUB_SCRIPT) ||
	    !cat3(grub_cfg, in.root, GRUB_CFG_DIR "/", GRUB_CFG))
		return fail(1, in.root, "path too long");
	if (memmap_entries(&in, &ents, &nents))
		return 1;
	read_state(&in, &st);
	/* efibootmgr only when there is an entry to delete or an order to restore */
	status = find_programs(&in, nents || st.has_order,
			       !lstat(grub_script, &sb) || !lstat(grub_cfg, &sb));
	if (!status)
		status = uninstall_entries(&in, &st, ents, nents);
	if (!status)
		status = uninstall_files(&in, &removed);
	if (!status && !nents && !removed)
		step(&in, "nothing of memmap install found");
	free(ents);
	free(st.order);
	return status;
}
