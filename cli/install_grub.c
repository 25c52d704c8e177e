/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install: GRUB's hook when LOADER is GRUB or shim.  05_memmap
 * (in /etc/grub.d) and memmap.cfg (in /etc/default/grub.d) are copied
 * from make install's files, or removed, and update-grub run.
 */
#define _DEFAULT_SOURCE
#include "install_priv.h"

#include <string.h>
#include <strings.h>

/* Does @s contain @needle, without case? */
static bool contains_ci(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; *s; s++)
		if (!strncasecmp(s, needle, n))
			return true;
	return false;
}

bool install_loader_is_grub(const char *loader)
{
	const char *name = strrchr(loader, '\\');

	name = name ? name + 1 : loader;
	return !strncasecmp(name, "shim", 4) || !strncasecmp(name, "grub", 4);
}

int install_grub_hook(const struct inst *in, struct plan *p)
{
	bool grub_changed = false, removed = false;

	/* 05_memmap loads memmap.env, memmap.cfg puts the words on linux lines */
	if (p->grub) {
		if (install_make_dir(in, p->grub_cfg_dir) ||
		    install_put_file(in, p->grub_script, p->gs, p->gs_len, 0755,
				     &grub_changed, "copy %s -> %s", p->gs_src,
				     p->grub_script) ||
		    install_put_file(in, p->grub_cfg, p->gc, p->gc_len, 0644,
				     &grub_changed, "copy %s -> %s", p->gc_src,
				     p->grub_cfg))
			return 1;
	} else {
		if (install_rm_file(in, p->grub_script, &removed) ||
		    install_rm_file(in, p->grub_cfg, &removed))
			return 1;
		if (contains_ci(p->loader, "systemd-boot"))
			install_step(in, "note: systemd-boot 256 and later read the "
				     "words from SMBIOS "
				     "(io.systemd.boot.kernel-cmdline-extra), which "
				     "memmap.efi provides; no GRUB files");
		else if (install_same_efi_path(p->loader, "\\EFI\\BOOT\\BOOTX64.EFI") ||
			 install_same_efi_path(p->loader, "\\EFI\\BOOT\\BOOTAA64.EFI"))
			install_step(in, "note: %s is the removable-media path: no "
				     "GRUB files; when it is shim or GRUB, give --loader "
				     "with their own path (\\EFI\\debian\\shimx64.efi)",
				     p->loader);
	}
	if (grub_changed || removed) {
		char *const ug[] = { (char *)in->update_grub, NULL };

		p->changed = true;
		if (install_run_prog(in, ug))
			return 1;
	}
	return 0;
}

int install_grub_unhook(const struct inst *in, bool *removed)
{
	char grub_script[PATH_MAX], grub_cfg[PATH_MAX];
	bool grub_removed = false;

	if (!install_cat3(grub_script, in->root, GRUB_SCRIPT_DIR "/", GRUB_SCRIPT) ||
	    !install_cat3(grub_cfg, in->root, GRUB_CFG_DIR "/", GRUB_CFG))
		return install_fail(1, in->root, "path too long");
	if (install_rm_file(in, grub_script, &grub_removed) ||
	    install_rm_file(in, grub_cfg, &grub_removed))
		return 1;
	if (grub_removed) {
		char *const ug[] = { (char *)in->update_grub, NULL };

		*removed = true;
		if (install_run_prog(in, ug))
			return 1;
	}
	return 0;
}
