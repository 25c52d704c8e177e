/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install and uninstall: the boot entries.  Boot####, BootOrder,
 * BootCurrent and SecureBoot are read from efivarfs (cli/efivar.c); they
 * are changed only through efibootmgr: the entry "memmap" created first
 * in BootOrder, or deleted and the BootOrder from before install
 * restored.
 */
#define _DEFAULT_SOURCE
#include "efivar.h"
#include "install_priv.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void install_boot_var(char *name, uint16_t num)
{
	snprintf(name, 64, "Boot%04X-" EFIVAR_GLOBAL, num);
}

int install_find_efivars(struct inst *in)
{
	char fw[PATH_MAX];

	if (in->efivars_opt) {
		if (!install_is_dir(in->efivars_opt))
			return install_fail(1, in->efivars_opt,
					    "not a directory: no efivarfs there");
		if (!install_cat3(in->efivars, in->efivars_opt, "", ""))
			return install_fail(1, in->efivars_opt, "path too long");
		return 0;
	}
	if (!install_cat3(fw, in->root, "/sys/firmware/efi", "") ||
	    !install_cat3(in->efivars, fw, "/efivars", ""))
		return install_fail(1, in->root, "path too long");
	if (!install_is_dir(fw))
		return install_fail(1, fw, "missing: this system did not boot through UEFI");
	if (!install_is_dir(in->efivars))
		return install_fail(1, in->efivars, "missing: efivarfs is not mounted "
				    "(mount -t efivarfs efivarfs /sys/firmware/efi/efivars)");
	return 0;
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

	install_boot_var(name, num);
	if (efivar_read(in->efivars, name, &data, &len))
		return FORM_NONE;
	if (efivar_load_option_parse(data, len, &lo, &why)) {
		if (why)
			install_step(in, "note: %.8s skipped: %s", name, why);
		free(data);
		return FORM_NONE;
	}
	if (strcmp(lo.description, ENTRY_LABEL) || !lo.path)
		form = FORM_NONE;
	else if (install_same_efi_path(lo.path, EFI_LOADER))
		form = FORM_PLAIN;
	else if (install_same_efi_path(lo.path, EFI_SHIM))
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

int install_memmap_entries(const struct inst *in, struct ent **v, size_t *n)
{
	static const char hex[] = "0123456789ABCDEF";
	struct dirent *e;
	size_t cap = 0;
	DIR *d;

	*v = NULL;
	*n = 0;
	d = opendir(in->efivars);
	if (!d)
		return install_fail(1, in->efivars, "%s", strerror(errno));
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
				return install_fail(1, "memmap", "out of memory");
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

int install_read_u16_var(const struct inst *in, const char *var, uint16_t **v,
			 size_t *n, bool *present)
{
	char name[64], path[PATH_MAX];
	unsigned char *data;
	size_t len;
	int rc;

	snprintf(name, sizeof(name), "%s-" EFIVAR_GLOBAL, var);
	if (!install_cat3(path, in->efivars, "/", name))
		return install_fail(1, in->efivars, "path too long");
	*v = NULL;
	*n = 0;
	*present = false;
	rc = efivar_read(in->efivars, name, &data, &len);
	if (rc == -ENOENT)
		return 0;
	if (rc == -EINVAL)
		return install_fail(1, path, "malformed: shorter than its attributes");
	if (rc)
		return install_fail(1, path, "%s", strerror(-rc));
	rc = efivar_u16_list(data, len, v, n);
	free(data);
	if (rc == -EINVAL)
		return install_fail(1, path, "malformed: an odd number of bytes");
	if (rc)
		return install_fail(1, "memmap", "out of memory");
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

void install_secure_boot_note(const struct inst *in)
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
		install_step(in, "note: Secure Boot is on: shim starts memmap.efi "
			     "only when it is signed with a key enrolled in MOK (install "
			     "does not sign): make sign KEY=key.pem CERT=cert.pem; "
			     "mokutil --import cert.der (the certificate in DER form), "
			     "then reboot to MokManager to enroll it; --efi "
			     "build/memmap.signed.efi installs the signed image");
	else
		install_step(in, "note: Secure Boot is on: the firmware starts "
			     "memmap.efi only when it is signed with a key in its db "
			     "(make sign); when the db holds Microsoft's keys only, "
			     "install with --shim " SHIM_DEFAULT " and a memmap.efi "
			     "signed with a key enrolled in MOK");
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
		install_step(in, "boot entry Boot%04X (%s) starts %s%s, not %s%s: %s",
			     e->num, ENTRY_LABEL,
			     e->form == FORM_PLAIN ? EFI_LOADER : EFI_SHIM,
			     e->form == FORM_SHIM_OTHER ?
			     " with data other than " SHIM_DATA : "",
			     in->shim_opt ? EFI_SHIM : EFI_LOADER,
			     in->shim_opt ?
			     " with data " SHIM_DATA " (--shim)" : " (no --shim)",
			     kept ? "deleted" : "deleted, a new one created");
		snprintf(num, sizeof(num), "%04X", e->num);
		p->changed = true;
		if (install_run_prog(in, del))
			return 1;
	}
	return 0;
}

int install_entry(const struct inst *in, struct plan *p)
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
		install_fail(1, "memmap", "out of memory");
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
		state = install_state_text(order, p->grub, kept != NULL,
					   kept ? kept->num : 0);
	if (!state) {
		install_fail(1, "memmap", "out of memory");
		goto out;
	}
	if (kept)
		snprintf(num, sizeof(num), "%04X", kept->num);
	else
		strcpy(num, "none");
	if (install_put_file(in, in->state, state, strlen(state), 0, &p->changed,
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
		if (install_run_prog(in, in->shim_opt ? cr_shim : cr))
			goto out;
		if (in->dry_run) {
			status = 0;
			goto out;
		}
		free(p->ents);
		p->ents = NULL;
		if (install_memmap_entries(in, &p->ents, &p->nents))
			goto out;
		kept = kept_entry(in, p);
		if (!kept) {
			install_step(in, "note: the new entry is not in %s; uninstall looks "
				     "for it by its label", in->efivars);
			status = 0;
			goto out;
		}
		free(state);
		state = install_state_text(order, p->grub, true, kept->num);
		if (!state) {
			install_fail(1, "memmap", "out of memory");
			goto out;
		}
		if (install_put_file(in, in->state, state, strlen(state), 0, &p->changed,
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
			install_fail(1, "memmap", "out of memory");
			goto out;
		}
		install_step(in, "boot entry Boot%04X (%s) exists; put it first in BootOrder",
			     kept->num, ENTRY_LABEL);
		p->changed = true;
		o[2] = reorder;
		status = install_run_prog(in, o);
		free(reorder);
		if (status)
			goto out;
	} else {
		install_step(in, "boot entry Boot%04X (%s) first in BootOrder unchanged",
			     kept->num, ENTRY_LABEL);
	}
	if (kept->form == FORM_PLAIN && kept->optional_len)
		install_step(in, "note: a memmap boot entry has data: memmap.efi reads its "
			     "words from there, not from memmap.conf");
	status = 0;
out:
	free(v);
	free(cur);
	free(order);
	free(state);
	return status;
}

int install_uninstall_entries(const struct inst *in, const struct state *st,
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
		if (install_run_prog(in, del))
			return 1;
	}
	if (st->has_entry) {
		if (!has_ent(ents, nents, st->entry))
			install_step(in, "note: Boot%04X, the entry install.state names, is "
				     "gone already", st->entry);
	}

	/* The BootOrder from before install, less the entries gone since */
	if (!st->found) {
		install_step(in, "note: no %s: the BootOrder from before install is "
			     "unknown and not restored", in->state);
		return 0;
	}
	if (!st->has_order) {
		install_step(in, "note: %s holds no valid bootorder line: the BootOrder "
			     "from before install is not restored", in->state);
		return 0;
	}
	keep = calloc(st->norder + 1, sizeof(*keep));
	if (!keep)
		return install_fail(1, "memmap", "out of memory");
	for (i = 0; i < st->norder; i++) {
		install_boot_var(name, st->order[i]);
		if (has_ent(ents, nents, st->order[i]) ||
		    !install_cat3(path, in->efivars, "/", name) || access(path, F_OK))
			install_step(in, "note: Boot%04X of the saved BootOrder "
				     "is gone; left out", st->order[i]);
		else
			keep[nkeep++] = st->order[i];
	}
	order = order_text(keep, nkeep);
	free(keep);
	if (!order)
		return install_fail(1, "memmap", "out of memory");
	rc = 0;
	if (nkeep) {
		char *const o[] = { (char *)in->efibootmgr, "-o", order, NULL };

		rc = install_run_prog(in, o);
	}
	free(order);
	return rc;
}
