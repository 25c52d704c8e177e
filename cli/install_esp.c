/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install: the ESP, given or found at /boot/efi or /efi in the
 * mount table, and its disk and partition for efibootmgr from
 * /sys/class/block.
 */
#define _DEFAULT_SOURCE
#include "install_priv.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

	if (!install_cat3(mounts, in->root, "/proc/self/mounts", ""))
		return -install_fail(1, in->root, "path too long");
	f = fopen(mounts, "r");
	if (!f)
		return -install_fail(1, mounts, "%s", strerror(errno));
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
		return install_fail(1, dev, "not a block device (give --disk DISK --part N)");
	/* /dev/disk/by-uuid/... and the like are links to the device */
	name = strrchr(dev, '/') + 1;
	if (install_cat3(p, in->root, dev, "") && realpath(p, real))
		name = strrchr(real, '/') + 1;
	if (!install_cat3(p, in->root, "/sys/class/block/", name) || strlen(name) > 255)
		return install_fail(1, dev, "path too long");
	if (!install_cat3(real, p, "/partition", ""))
		return install_fail(1, dev, "path too long");
	f = fopen(real, "r");
	if (!f)
		return install_fail(1, dev, "not a partition: no %s (give --disk "
				    "DISK --part N)", real);
	n = fread(num, 1, sizeof(num) - 1, f);
	fclose(f);
	num[n] = '\0';
	num[strcspn(num, "\n")] = '\0';
	if (!*num || strspn(num, "0123456789") != strlen(num) || *num == '0')
		return install_fail(1, real, "not a partition number");
	snprintf(in->part, sizeof(in->part), "%s", num);

	/* /sys/class/block/sda1 -> .../block/sda/sda1: the disk is the parent */
	if (!realpath(p, real) || !(slash = strrchr(real, '/')) || slash == real)
		return install_fail(1, p, "cannot resolve the disk of this partition");
	*slash = '\0';
	slash = strrchr(real, '/');
	if (!install_cat3(in->disk, "/dev/", slash + 1, ""))
		return install_fail(1, p, "path too long");
	return 0;
}

int install_find_esp(struct inst *in, bool need_dev)
{
	static const char *const cand[] = { "/boot/efi", "/efi" };
	char dev[PATH_MAX], type[PATH_MAX], p[PATH_MAX];
	bool have_dev = in->disk_opt && in->part_opt;
	size_t k;
	int rc;

	if (in->esp_opt) {
		if (!install_is_dir(in->esp_opt))
			return install_fail(1, in->esp_opt, "not a directory");
		if (!install_cat3(in->esp, in->esp_opt, "", ""))
			return install_fail(1, in->esp_opt, "path too long");
		if (need_dev && !have_dev) {
			rc = find_mount(in, in->esp, dev, type);
			if (rc < 0)
				return -rc;
			if (!rc)
				return install_fail(1, in->esp_opt, "not a mount "
						    "point (give --disk DISK --part N "
						    "to use it anyway)");
			if (strcmp(type, "vfat"))
				return install_fail(1, in->esp_opt, "a %s filesystem, "
						    "not the ESP's vfat", type);
		}
	} else {
		for (k = 0; k < 2; k++) {
			DIR *d;

			if (!install_cat3(p, in->root, cand[k], ""))
				return install_fail(1, in->root, "path too long");
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
			return install_fail(1, cand[0], "not a vfat mount point, nor is %s: "
					    "no ESP found (give --esp DIR)", cand[1]);
		snprintf(in->esp, sizeof(in->esp), "%s", p);
	}
	if (!install_cat3(in->dir, in->esp, EFI_DIR, "") ||
	    !install_cat3(in->efi, in->dir, "/memmap.efi", "") ||
	    !install_cat3(in->shim, in->dir, "/", SHIM_FILE) ||
	    !install_cat3(in->mokmgr, in->dir, "/", MOKMGR_FILE) ||
	    !install_cat3(in->conf, in->dir, "/memmap.conf", "") ||
	    !install_cat3(in->state, in->dir, "/install.state", ""))
		return install_fail(1, in->esp, "path too long");
	if (!need_dev)
		return 0;
	if (have_dev) {
		snprintf(in->disk, sizeof(in->disk), "%s", in->disk_opt);
		snprintf(in->part, sizeof(in->part), "%s", in->part_opt);
		return 0;
	}
	return esp_device(in, dev);
}
