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
 *
 * This file holds the two commands: their usage, options and phases.
 * The pieces they run: install_step.c (steps: files written or removed,
 * programs run), install_opts.c (option values, the kernel words),
 * install_esp.c (the ESP and its block device), install_loader.c
 * (LOADER), install_boot.c (boot entries and BootOrder), install_state.c
 * (install.state), install_grub.c (GRUB's hook); install_priv.h what they
 * share.
 */
#define _DEFAULT_SOURCE
#include "cli.h"
#include "install.h"
#include "install_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Where make install puts memmap.efi and the GRUB files (Makefile: PREFIX) */
#ifndef MEMMAP_EFI_DIR
#define MEMMAP_EFI_DIR "/usr/local/lib/memmap"
#endif
#ifndef MEMMAP_DATA_DIR
#define MEMMAP_DATA_DIR "/usr/local/share/memmap/grub"
#endif

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

/* A GRUB file from --data DIR (or MEMMAP_DATA_DIR under ROOT) */
static int data_file(const struct inst *in, const char *name, char *path,
		     unsigned char **buf, size_t *n)
{
	int rc;

	if (in->data_opt ? !install_cat3(path, in->data_opt, "/", name) :
	    !install_cat3(path, in->root, MEMMAP_DATA_DIR "/", name))
		return install_fail(1, name, "path too long");
	rc = cli_slurp(path, FILE_MAX, buf, n);
	if (rc)
		return install_fail(1, path, "%s (make install puts it there; "
				    "or give --data DIR)", strerror(-rc));
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
	if (ebm && !install_find_prog(in->efibootmgr, path))
		return install_fail(1, in->efibootmgr,
				    "not found (apt-get install efibootmgr)");
	if (grub && !install_find_prog(in->update_grub, path))
		return install_fail(1, in->update_grub,
				    "not found (apt-get install grub2-common)");
	return 0;
}

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
		return install_fail(1, "memmap", "out of memory");
	for (i = 1; i < (size_t)argc; i++) {
		int k = (int)i;

		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(install_usage, stdout);
			return -1;
		}
		rc = install_common_opt(in, argc, argv, &k);
		if (!rc)
			rc = install_opt_value(argc, argv, &k, "--loader", &in->loader_opt);
		if (!rc)
			rc = install_opt_value(argc, argv, &k, "--efi", &in->efi_opt);
		if (!rc)
			rc = install_opt_value(argc, argv, &k, "--data", &in->data_opt);
		if (!rc)
			rc = install_opt_value(argc, argv, &k, "--disk", &in->disk_opt);
		if (!rc)
			rc = install_opt_value(argc, argv, &k, "--part", &in->part_opt);
		if (!rc)
			rc = install_shim_value(argc, argv, &k, &in->shim_opt);
		i = (size_t)k;
		if (rc < 0)
			return EXIT_BAD_INPUT;
		if (rc)
			continue;
		if (argv[i][0] == '-')
			return install_fail(EXIT_BAD_INPUT, argv[i], !strcmp(argv[i], "--") ?
					    "install writes -- LOADER itself (see --loader)" :
					    "unknown option (see memmap install --help)");
		rc = install_check_word(argv[i], !nwords);
		if (rc)
			return rc;
		/* Joined with single spaces, as memmap.efi joins them */
		{
			size_t n = strlen(argv[i]);
			char *l = realloc(p->line, p->len + n + 2);

			if (!l)
				return install_fail(1, "memmap", "out of memory");
			p->line = l;
			if (nwords++)
				p->line[p->len++] = ' ';
			memcpy(p->line + p->len, argv[i], n);
			p->len += n;
		}
	}
	p->line[p->len] = '\0';
	if (!nwords)
		return install_fail(EXIT_BAD_INPUT, "install", "needs kernel words, "
				    "e.g. memmap=12M*4096:oops ramoops.mem_name=oops "
				    "(see --help)");
	rc = install_check_words(p->line, p->len);
	if (rc)
		return rc;
	if (in->loader_opt && (why = install_norm_loader(in->loader_opt, p->loader)))
		return install_fail(EXIT_BAD_INPUT, in->loader_opt, "%s", why);
	if (!in->disk_opt != !in->part_opt)
		return install_fail(EXIT_BAD_INPUT, in->disk_opt ? "--disk" : "--part",
				    "needs %s too",
				    in->disk_opt ? "--part N" : "--disk DISK");
	if (in->part_opt && (!*in->part_opt || *in->part_opt == '0' ||
			     strlen(in->part_opt) > 5 ||
			     strspn(in->part_opt, "0123456789") != strlen(in->part_opt)))
		return install_fail(EXIT_BAD_INPUT, in->part_opt, "not a partition number");
	if (in->disk_opt && in->disk_opt[0] != '/')
		return install_fail(EXIT_BAD_INPUT, in->disk_opt,
				    "not a device path (/dev/...)");
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

	rc = cli_slurp(in->shim_opt, FILE_MAX, &p->shim, &p->shim_len);
	if (rc)
		return install_fail(1, in->shim_opt, "%s (--shim takes shim's file: "
				    SHIM_DEFAULT " from Debian's shim-signed)",
				    strerror(-rc));
	if (p->shim_len < 2 || memcmp(p->shim, "MZ", 2))
		return install_fail(1, in->shim_opt, "not an EFI image (no MZ header)");
	/* FILE's directory: MokManager is looked for there */
	if (!slash)
		strcpy(dir, ".");
	else if ((size_t)(slash - in->shim_opt) < sizeof(dir))
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - in->shim_opt), in->shim_opt);
	else
		return install_fail(1, in->shim_opt, "path too long");
	if (!install_cat3(first, dir, "/", names[0]))
		return install_fail(1, in->shim_opt, "path too long");
	for (k = 0, rc = -ENOENT; k < 2 && rc == -ENOENT; k++) {
		if (!install_cat3(p->mm_src, dir, "/", names[k]))
			return install_fail(1, in->shim_opt, "path too long");
		rc = cli_slurp(p->mm_src, FILE_MAX, &p->mm, &p->mm_len);
	}
	if (rc == -ENOENT)
		return install_fail(1, first, "missing, and so is " MOKMGR_FILE
				    " beside it: shim needs its MokManager in its own "
				    "directory, else a pending MOK request (mokutil "
				    "--import) shuts the machine down at boot (Debian: "
				    "shim-helpers-amd64-signed)");
	if (rc)
		return install_fail(1, p->mm_src, "%s", strerror(-rc));
	if (p->mm_len < 2 || memcmp(p->mm, "MZ", 2))
		return install_fail(1, p->mm_src, "not an EFI image (no MZ header)");
	return 0;
}

/* The system, checked whole before anything is changed: 0 or 1 */
static int install_check(struct inst *in, struct plan *p)
{
	char path[PATH_MAX];
	bool present, grub_there;
	size_t i;
	int rc;

	if (install_find_efivars(in) || install_find_esp(in, true))
		return 1;
	if (in->efi_opt ? !install_cat3(p->src, in->efi_opt, "", "") :
	    !install_cat3(p->src, in->root, MEMMAP_EFI_DIR "/memmap.efi", ""))
		return install_fail(1, "--efi", "path too long");
	rc = cli_slurp(p->src, FILE_MAX, &p->efi, &p->efi_len);
	if (rc)
		return install_fail(1, p->src, "%s (make install puts it there; or give "
				    "--efi FILE)", strerror(-rc));
	if (p->efi_len < 2 || memcmp(p->efi, "MZ", 2))
		return install_fail(1, p->src, "not an EFI image (no MZ header)");
	if (in->shim_opt && shim_files(in, p))
		return 1;

	/* LOADER, and that it is on this ESP */
	if (!in->loader_opt && install_current_loader(in, p->loader))
		return 1;
	if (!install_cat3(path, in->esp, "/", p->loader + 1))
		return install_fail(1, p->loader, "path too long");
	for (i = 0; path[i]; i++)
		if (path[i] == '\\')
			path[i] = '/';
	if (access(path, R_OK))
		return install_fail(1, p->loader, "not on the ESP: %s: %s", path,
				    strerror(errno));

	/* GRUB's hook when LOADER is GRUB's or shim's */
	p->grub = install_loader_is_grub(p->loader);
	if (!install_cat3(p->grub_script, in->root, GRUB_SCRIPT_DIR "/", GRUB_SCRIPT) ||
	    !install_cat3(p->grub_cfg_dir, in->root, GRUB_CFG_DIR, "") ||
	    !install_cat3(p->grub_cfg, p->grub_cfg_dir, "/", GRUB_CFG) ||
	    !install_cat3(path, in->root, GRUB_SCRIPT_DIR, ""))
		return install_fail(1, in->root, "path too long");
	if (p->grub) {
		if (data_file(in, GRUB_SCRIPT, p->gs_src, &p->gs, &p->gs_len) ||
		    data_file(in, GRUB_CFG, p->gc_src, &p->gc, &p->gc_len))
			return 1;
		if (!install_is_dir(path))
			return install_fail(1, path, "missing: is GRUB installed? "
					    "(the loader %s is GRUB's or shim's)",
					    p->loader);
	}
	grub_there = !access(p->grub_script, F_OK) || !access(p->grub_cfg, F_OK);
	if (find_programs(in, true, p->grub || grub_there))
		return 1;
	if (install_memmap_entries(in, &p->ents, &p->nents) ||
	    install_read_u16_var(in, "BootOrder", &p->order, &p->norder, &present))
		return 1;
	install_read_state(in, &p->st);
	return 0;
}

/* memmap.efi, memmap.conf, GRUB's hook: 0 or 1 */
static int install_files(const struct inst *in, struct plan *p)
{
	char path[PATH_MAX];
	char *conf;
	int rc;

	if (!install_cat3(path, in->esp, "/EFI", "") || install_make_dir(in, path) ||
	    install_make_dir(in, in->dir))
		return 1;
	if (install_put_file(in, in->efi, p->efi, p->efi_len, 0, &p->changed,
			     "copy %s -> %s", p->src, in->efi))
		return 1;
	if (in->shim_opt) {
		bool shim_changed = false;

		if (install_put_file(in, in->shim, p->shim, p->shim_len, 0, &shim_changed,
				     "copy %s -> %s", in->shim_opt, in->shim) ||
		    install_put_file(in, in->mokmgr, p->mm, p->mm_len, 0, &shim_changed,
				     "copy %s -> %s", p->mm_src, in->mokmgr))
			return 1;
		/* A copy SBAT revokes later shuts the machine down at boot */
		if (shim_changed) {
			p->changed = true;
			install_step(in, "note: upgrades of shim (Debian's shim-signed) "
				     "do not update this copy: run memmap install again "
				     "after one; a shim that SBAT has revoked shuts the "
				     "machine down at boot");
		}
	}
	conf = malloc(p->len + strlen(p->loader) + 128);
	if (!conf)
		return install_fail(1, "memmap", "out of memory");
	snprintf(conf, p->len + strlen(p->loader) + 128,
		 "# memmap.efi's arguments (memmap install); # %% $ need no escaping\n"
		 "%s\n-- %s\n", p->line, p->loader);
	rc = install_put_file(in, in->conf, conf, strlen(conf), 0, &p->changed,
			      "write %s: %s -- %s", in->conf, p->line, p->loader);
	free(conf);
	if (rc)
		return 1;
	return install_grub_hook(in, p);
}

/* Without --shim: shim and MokManager of an earlier --shim go, now that
 * no entry starts them.  0 or 1 */
static int drop_shim_files(const struct inst *in, struct plan *p)
{
	if (in->shim_opt)
		return 0;
	return install_rm_file(in, in->shim, &p->changed) ||
	       install_rm_file(in, in->mokmgr, &p->changed);
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
		status = install_check_root(&in, root);
	if (!status)
		status = install_check(&in, &p);
	if (!status)
		status = install_files(&in, &p);
	if (!status)
		status = install_entry(&in, &p);
	if (!status)
		status = drop_shim_files(&in, &p);
	if (!status && !p.changed)
		install_step(&in, "nothing to change");
	if (!status)
		install_secure_boot_note(&in);
	plan_free(&p);
	return status < 0 ? 0 : status;
}

/* GRUB's hook, then the files on the ESP, install.state last: 0 or 1 */
static int uninstall_files(const struct inst *in, bool *removed)
{
	static const char *const files[] = {
		"memmap.efi", SHIM_FILE, MOKMGR_FILE, "memmap.conf", "memmap.env",
		"install.state",
	};
	const size_t nfiles = sizeof(files) / sizeof(files[0]);
	char path[PATH_MAX];
	bool empty = true;
	struct dirent *e;
	size_t i;
	DIR *d;

	if (install_grub_unhook(in, removed))
		return 1;

	for (i = 0; i < nfiles; i++)
		if (!install_cat3(path, in->dir, "/", files[i]) ||
		    install_rm_file(in, path, removed))
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
		install_step(in, "note: %s holds other files; left there", in->dir);
		return 0;
	}
	install_step(in, "rmdir %s", in->dir);
	*removed = true;
	if (!in->dry_run && rmdir(in->dir))
		return install_fail(1, in->dir, "rmdir: %s", strerror(errno));
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
		rc = install_common_opt(&in, argc, argv, &k);
		i = (size_t)k;
		if (rc < 0)
			return EXIT_BAD_INPUT;
		if (!rc)
			return install_fail(EXIT_BAD_INPUT, argv[i], argv[i][0] == '-' ?
					    "unknown option (see memmap uninstall --help)" :
					    "unexpected (uninstall takes no words)");
	}
	status = install_check_root(&in, root);
	if (status)
		return status;

	/* The system, checked before anything is changed */
	if (install_find_efivars(&in) || install_find_esp(&in, false))
		return 1;
	if (!install_cat3(grub_script, in.root, GRUB_SCRIPT_DIR "/", GRUB_SCRIPT) ||
	    !install_cat3(grub_cfg, in.root, GRUB_CFG_DIR "/", GRUB_CFG))
		return install_fail(1, in.root, "path too long");
	if (install_memmap_entries(&in, &ents, &nents))
		return 1;
	install_read_state(&in, &st);
	/* efibootmgr only when there is an entry to delete or an order to restore */
	status = find_programs(&in, nents || st.has_order,
			       !lstat(grub_script, &sb) || !lstat(grub_cfg, &sb));
	if (!status)
		status = install_uninstall_entries(&in, &st, ents, nents);
	if (!status)
		status = uninstall_files(&in, &removed);
	if (!status && !nents && !removed)
		install_step(&in, "nothing of memmap install found");
	free(ents);
	free(st.order);
	return status;
}
