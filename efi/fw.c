/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Allocator, console, strings and files for memmap.efi.
 */
#include "fw.h"

/* Pool blocks carry their size in a 16-byte header, for realloc */
#define FW_HDR 16

static void *fw_realloc(void *ctx, void *ptr, size_t size)
{
	unsigned char *old = ptr ? (unsigned char *)ptr - FW_HDR : NULL;
	void *blk = NULL;
	size_t old_size = old ? *(size_t *)old : 0;
	EFI_STATUS st;

	(void)ctx;
	if (size) {
		if (size > SIZE_MAX - FW_HDR)
			return NULL;
		st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData,
				       size + FW_HDR, &blk);
		if (EFI_ERROR(st))
			return NULL;
		*(size_t *)blk = size;
		if (old)
			memcpy((unsigned char *)blk + FW_HDR, ptr,
			       old_size < size ? old_size : size);
	}
	if (old)
		uefi_call_wrapper(BS->FreePool, 1, old);
	return blk ? (unsigned char *)blk + FW_HDR : NULL;
}

const struct mm_alloc fw_alloc = { fw_realloc, NULL };

EFI_STATUS fw_status(int rc)
{
	switch (rc) {
	case 0:
		return EFI_SUCCESS;
	case -MM_ENOMEM:
		return EFI_OUT_OF_RESOURCES;
	case -MM_ENOENT:
		return EFI_NOT_FOUND;
	case -MM_EEXIST:
		return EFI_ACCESS_DENIED;
	default:
		return EFI_INVALID_PARAMETER;
	}
}

/* Decode one UTF-8 sequence at s[0..n); returns its length (>= 1) */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3;
	else
		len = 0;
	if (!len || len > n)
		goto bad;
	*cp = s[0] & (len == 2 ? 0x1f : 0x0f);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto bad;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return len;
bad:
	*cp = 0xfffd;
	return 1;
}

void fw_print(const char *s, size_t n)
{
	CHAR16 out[129];
	size_t used = 0, i = 0;

	while (i < n) {
		uint32_t cp;

		i += utf8_next((const unsigned char *)s + i, n - i, &cp);
		if (cp == '\n')
			out[used++] = '\r';
		out[used++] = (CHAR16)cp;
		if (used >= 127 || i == n) {
			out[used] = 0;
			uefi_call_wrapper(ST->ConOut->OutputString, 2, ST->ConOut, out);
			used = 0;
		}
	}
}

void fw_print_buf(const struct mm_buf *b)
{
	if (b->len)
		fw_print(b->s, b->len);
}

void fw_message(const char *level, const char *word, size_t len,
		const char *reason, EFI_STATUS st)
{
	CHAR16 name[64];
	struct mm_buf b;

	mm_buf_init(&b, &fw_alloc);
	mm_buf_puts(&b, "memmap: ");
	mm_buf_puts(&b, level);
	mm_buf_puts(&b, ": ");
	mm_buf_putn(&b, word, len);
	mm_buf_puts(&b, ": ");
	mm_buf_puts(&b, reason);
	if (st != EFI_SUCCESS) {
		StatusToString(name, st);
		mm_buf_puts(&b, " (");
		fw_ucs2_to_utf8(&b, name, sizeof(name) / sizeof(name[0]));
		mm_buf_putc(&b, ')');
	}
	mm_buf_putc(&b, '\n');
	if (b.rc) {
		/* No memory for the line: print it piece by piece */
		fw_print("memmap: ", 8);
		fw_print(level, strlen(level));
		fw_print(": ", 2);
		fw_print(word, len);
		fw_print(": ", 2);
		fw_print(reason, strlen(reason));
		fw_print("\n", 1);
	} else {
		fw_print_buf(&b);
	}
	mm_buf_free(&b);
}

void fw_error(const char *word, size_t len, const char *reason)
{
	fw_message("error", word, len, reason, EFI_SUCCESS);
}

void fw_ucs2_to_utf8(struct mm_buf *b, const CHAR16 *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++) {
		uint32_t c = s[i];

		if (c < 0x80) {
			mm_buf_putc(b, (char)c);
		} else if (c < 0x800) {
			mm_buf_putc(b, (char)(0xc0 | c >> 6));
			mm_buf_putc(b, (char)(0x80 | (c & 0x3f)));
		} else {
			mm_buf_putc(b, (char)(0xe0 | c >> 12));
			mm_buf_putc(b, (char)(0x80 | ((c >> 6) & 0x3f)));
			mm_buf_putc(b, (char)(0x80 | (c & 0x3f)));
		}
	}
}

CHAR16 *fw_utf8_to_ucs2(const char *s, size_t n)
{
	CHAR16 *out;
	size_t i = 0, k = 0;

	if (n > SIZE_MAX / sizeof(CHAR16) - 1)
		return NULL;
	out = fw_alloc.realloc(NULL, NULL, (n + 1) * sizeof(CHAR16));
	if (!out)
		return NULL;
	while (i < n) {
		uint32_t cp;

		i += utf8_next((const unsigned char *)s + i, n - i, &cp);
		out[k++] = (CHAR16)cp;
	}
	out[k] = 0;
	return out;
}

/* The image's path on its volume, "\EFI\memmap\memmap.efi", in UTF-8 */
static void image_path(EFI_LOADED_IMAGE *li, struct mm_buf *b)
{
	EFI_DEVICE_PATH *dp = li->FilePath;

	/* Concatenate the file-path nodes */
	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		if (DevicePathType(dp) == MEDIA_DEVICE_PATH &&
		    DevicePathSubType(dp) == MEDIA_FILEPATH_DP) {
			FILEPATH_DEVICE_PATH *fp = (FILEPATH_DEVICE_PATH *)dp;
			size_t units = (DevicePathNodeLength(dp) - 4) / sizeof(CHAR16);

			if (b->len && b->s[b->len - 1] != '\\' && fp->PathName[0] != '\\')
				mm_buf_putc(b, '\\');
			fw_ucs2_to_utf8(b, fp->PathName, units);
		}
	}
}

/* Where the last path component of @s (n bytes) starts */
static size_t base_at(const char *s, size_t n)
{
	size_t i, at = 0;

	for (i = 0; i < n; i++)
		if (s[i] == '\\' || s[i] == '/')
			at = i + 1;
	return at;
}

CHAR16 *fw_image_dir(EFI_LOADED_IMAGE *li)
{
	struct mm_buf b;
	CHAR16 *dir;
	size_t cut;

	mm_buf_init(&b, &fw_alloc);
	image_path(li, &b);
	cut = base_at(b.s ? b.s : "", b.len);
	dir = fw_utf8_to_ucs2(b.s ? b.s : "", cut ? cut - 1 : 0);
	mm_buf_free(&b);
	return dir;
}

bool fw_is_image_name(EFI_LOADED_IMAGE *li, const char *word)
{
	struct mm_buf b;
	size_t at, wat, n, i;
	bool same;

	mm_buf_init(&b, &fw_alloc);
	image_path(li, &b);
	at = base_at(b.s ? b.s : "", b.len);
	wat = base_at(word, strlen(word));
	n = strlen(word + wat);
	/* FAT names: case does not matter */
	same = b.s && !b.rc && n && n == b.len - at;
	for (i = 0; same && i < n; i++) {
		char x = word[wat + i], y = b.s[at + i];

		same = (x >= 'A' && x <= 'Z' ? x + 32 : x) ==
		       (y >= 'A' && y <= 'Z' ? y + 32 : y);
	}
	mm_buf_free(&b);
	return same;
}

CHAR16 *fw_volume_path(EFI_LOADED_IMAGE *li, const char *path)
{
	struct mm_buf full;
	CHAR16 *dir, *wpath = NULL;
	size_t i;

	mm_buf_init(&full, &fw_alloc);
	if (path[0] != '\\' && path[0] != '/') {
		dir = fw_image_dir(li);
		if (dir) {
			fw_ucs2_to_utf8(&full, dir, SIZE_MAX);
			fw_alloc.realloc(NULL, dir, 0);
		}
		mm_buf_putc(&full, '\\');
	}
	mm_buf_puts(&full, path);
	if (!full.rc) {
		for (i = 0; i < full.len; i++)
			if (full.s[i] == '/')
				full.s[i] = '\\';
		wpath = fw_utf8_to_ucs2(full.s, full.len);
	}
	mm_buf_free(&full);
	return wpath;
}

/* Open @path on the image's volume */
static EFI_STATUS fw_open(EFI_LOADED_IMAGE *li, const char *path,
			  UINT64 mode, UINT64 attrs, EFI_FILE_HANDLE *fh)
{
	EFI_FILE_HANDLE root;
	CHAR16 *wpath;
	EFI_STATUS st;

	wpath = fw_volume_path(li, path);
	if (!wpath)
		return EFI_OUT_OF_RESOURCES;
	root = LibOpenRoot(li->DeviceHandle);
	if (!root) {
		fw_alloc.realloc(NULL, wpath, 0);
		return EFI_NOT_FOUND;
	}
	st = uefi_call_wrapper(root->Open, 5, root, fh, wpath, mode, attrs);
	fw_alloc.realloc(NULL, wpath, 0);
	uefi_call_wrapper(root->Close, 1, root);
	return st;
}

EFI_STATUS fw_file_read(EFI_LOADED_IMAGE *li, const char *path, char **data,
			size_t *size)
{
	return fw_file_read_head(li, path, SIZE_MAX - 1, data, size);
}

EFI_STATUS fw_file_read_head(EFI_LOADED_IMAGE *li, const char *path,
			     size_t max, char **data, size_t *size)
{
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN n;
	char *buf;

	st = fw_open(li, path, EFI_FILE_MODE_READ, 0, &fh);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(fh);
	if (!info) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_DEVICE_ERROR;
	}
	n = info->FileSize < max ? info->FileSize : max;
	FreePool(info);
	buf = fw_alloc.realloc(NULL, NULL, n + 1);
	if (!buf) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_OUT_OF_RESOURCES;
	}
	st = uefi_call_wrapper(fh->Read, 3, fh, &n, buf);
	uefi_call_wrapper(fh->Close, 1, fh);
	if (EFI_ERROR(st)) {
		fw_alloc.realloc(NULL, buf, 0);
		return st;
	}
	buf[n] = '\0';
	*data = buf;
	*size = n;
	return EFI_SUCCESS;
}

EFI_STATUS fw_file_write(EFI_LOADED_IMAGE *li, const char *path,
			 const char *data, size_t size)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS st;
	UINTN n = size;

	/* Replace: delete what is there, then create */
	st = fw_open(li, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0, &fh);
	if (!EFI_ERROR(st))
		uefi_call_wrapper(fh->Delete, 1, fh);
	st = fw_open(li, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE |
		     EFI_FILE_MODE_CREATE, 0, &fh);
	if (EFI_ERROR(st))
		return st;
	st = uefi_call_wrapper(fh->Write, 3, fh, &n, (void *)data);
	if (!EFI_ERROR(st) && n != size)
		st = EFI_VOLUME_FULL;
	if (EFI_ERROR(st)) {
		/* No cut file left behind: a full ESP keeps what it had */
		uefi_call_wrapper(fh->Delete, 1, fh);
		return st;
	}
	return uefi_call_wrapper(fh->Close, 1, fh);
}

bool fw_file_exists(EFI_LOADED_IMAGE *li, const char *path)
{
	EFI_FILE_HANDLE fh;

	if (EFI_ERROR(fw_open(li, path, EFI_FILE_MODE_READ, 0, &fh)))
		return false;
	uefi_call_wrapper(fh->Close, 1, fh);
	return true;
}

EFI_STATUS fw_mkdirs(EFI_LOADED_IMAGE *li, const char *path)
{
	struct mm_buf part;
	EFI_FILE_HANDLE fh;
	EFI_STATUS st = EFI_SUCCESS;
	size_t i;

	mm_buf_init(&part, &fw_alloc);
	for (i = 0; !EFI_ERROR(st) && path[i]; i++) {
		mm_buf_putc(&part, path[i]);
		if (path[i + 1] != '\\' && path[i + 1])
			continue;
		if (part.rc) {
			st = EFI_OUT_OF_RESOURCES;
			break;
		}
		st = fw_open(li, part.s, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE |
			     EFI_FILE_MODE_CREATE, EFI_FILE_DIRECTORY, &fh);
		if (!EFI_ERROR(st))
			uefi_call_wrapper(fh->Close, 1, fh);
	}
	mm_buf_free(&part);
	return st;
}

EFI_STATUS fw_dir_read(EFI_LOADED_IMAGE *li, const char *path,
		       struct fw_dirent **ents, size_t *n)
{
	EFI_FILE_HANDLE fh;
	EFI_FILE_INFO *info;
	EFI_STATUS st;
	UINTN size;
	size_t cap = 0;
	struct mm_buf name;
	char buf[SIZE_OF_EFI_FILE_INFO + 512 * sizeof(CHAR16)];

	*ents = NULL;
	*n = 0;
	st = fw_open(li, path, EFI_FILE_MODE_READ, 0, &fh);
	if (EFI_ERROR(st))
		return st;
	for (;;) {
		size = sizeof(buf);
		st = uefi_call_wrapper(fh->Read, 3, fh, &size, buf);
		if (EFI_ERROR(st) || !size)
			break;
		info = (EFI_FILE_INFO *)buf;
		if (!StrCmp(info->FileName, L".") || !StrCmp(info->FileName, L".."))
			continue;
		mm_buf_init(&name, &fw_alloc);
		fw_ucs2_to_utf8(&name, info->FileName, SIZE_MAX);
		mm_buf_putn(&name, "", 0);
		if (name.rc || mm_grow(&fw_alloc, ents, &cap, *n + 1, sizeof(**ents))) {
			mm_buf_free(&name);
			st = EFI_OUT_OF_RESOURCES;
			break;
		}
		(*ents)[*n].name = name.s ? name.s : NULL;
		(*ents)[*n].size = info->FileSize;
		(*ents)[(*n)++].dir = info->Attribute & EFI_FILE_DIRECTORY;
	}
	uefi_call_wrapper(fh->Close, 1, fh);
	if (EFI_ERROR(st)) {
		fw_dir_free(*ents, *n);
		*ents = NULL;
		*n = 0;
	}
	return st;
}

void fw_dir_free(struct fw_dirent *ents, size_t n)
{
	while (n)
		fw_alloc.realloc(NULL, ents[--n].name, 0);
	fw_alloc.realloc(NULL, ents, 0);
}

EFI_STATUS fw_delete(EFI_LOADED_IMAGE *li, const char *path)
{
	EFI_FILE_HANDLE fh;
	EFI_STATUS st;

	st = fw_open(li, path, EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0, &fh);
	if (EFI_ERROR(st))
		return st;
	/* Delete closes the handle, or warns it could not delete */
	st = uefi_call_wrapper(fh->Delete, 1, fh);
	return st == EFI_WARN_DELETE_FAILURE ? EFI_ACCESS_DENIED : st;
}

void *fw_config_table(EFI_GUID *guid)
{
	UINTN i;

	for (i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, guid))
			return ST->ConfigurationTable[i].VendorTable;
	return NULL;
}
