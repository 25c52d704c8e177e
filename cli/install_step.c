/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memmap install's steps: each printed before it is done, and only
 * printed with --dry-run.  Files are written whole (a new file, then
 * rename) and left alone when they hold what would be written already;
 * programs (efibootmgr, update-grub) are run and waited for.
 */
#define _DEFAULT_SOURCE
#include "cli.h"
#include "install_priv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A step, printed before it is done: "install: ...", "install (dry run): ..." */
static void vstep(const struct inst *in, const char *fmt, va_list ap)
{
	printf("%s%s: ", in->cmd, in->dry_run ? " (dry run)" : "");
	vprintf(fmt, ap);
	putchar('\n');
}

void install_step(const struct inst *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vstep(in, fmt, ap);
	va_end(ap);
}

int install_fail(int status, const char *word, const char *fmt, ...)
{
	char why[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	fflush(stdout);
	return cli_error(word, strlen(word), why, status);
}

bool install_cat3(char *buf, const char *a, const char *b, const char *c)
{
	return (size_t)snprintf(buf, PATH_MAX, "%s%s%s", a, b, c) < PATH_MAX;
}

bool install_is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
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
	if (cli_slurp(path, FILE_MAX, &b, &len))
		return false;
	same = len == n && !memcmp(b, data, n);
	free(b);
	if (same && mode && !stat(path, &st) && (st.st_mode & 07777) != mode)
		*same_mode = false;
	return same;
}

int install_put_file(const struct inst *in, const char *path, const void *data,
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
			install_step(in, "%s unchanged", path);
			return 0;
		}
		install_step(in, "chmod %o %s", (unsigned int)mode, path);
		*changed = true;
		if (!in->dry_run && chmod(path, mode))
			return install_fail(1, path, "chmod: %s", strerror(errno));
		return 0;
	}
	va_start(ap, fmt);
	vstep(in, fmt, ap);
	va_end(ap);
	*changed = true;
	if (in->dry_run)
		return 0;

	/* A new file beside it, then rename: never half a file */
	if (!install_cat3(tmp, path, ".new", ""))
		return install_fail(1, path, "path too long");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode ? mode : 0644);
	if (fd < 0)
		return install_fail(1, tmp, "%s", strerror(errno));
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
		return install_fail(1, path, "%s", strerror(err));
	}
	return 0;
}

int install_rm_file(const struct inst *in, const char *path, bool *removed)
{
	struct stat st;

	if (lstat(path, &st))
		return 0;
	install_step(in, "remove %s", path);
	*removed = true;
	if (!in->dry_run && unlink(path))
		return install_fail(1, path, "%s", strerror(errno));
	return 0;
}

int install_make_dir(const struct inst *in, const char *path)
{
	if (install_is_dir(path))
		return 0;
	install_step(in, "mkdir %s", path);
	if (!in->dry_run && mkdir(path, 0755))
		return install_fail(1, path, "mkdir: %s", strerror(errno));
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

bool install_find_prog(const char *name, char *path)
{
	const char *dirs[2] = { getenv("PATH"), "/usr/sbin:/sbin" };
	size_t k;

	if (strchr(name, '/')) {
		if (!install_cat3(path, name, "", ""))
			return false;
		return !access(path, X_OK);
	}
	for (k = 0; k < 2; k++) {
		const char *d = dirs[k] ? dirs[k] : "/usr/local/bin:/usr/bin:/bin";

		while (*d) {
			size_t len = strcspn(d, ":");

			if ((size_t)snprintf(path, PATH_MAX, "%.*s/%s", (int)len,
					     len ? d : ".", name) < PATH_MAX &&
			    !access(path, X_OK) && !install_is_dir(path))
				return true;
			d += len + (d[len] == ':');
		}
	}
	return false;
}

int install_run_prog(const struct inst *in, char *const argv[])
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
	if (!install_find_prog(argv[0], path))
		return install_fail(1, argv[0], "not found");
	pid = fork();
	if (pid < 0)
		return install_fail(1, argv[0], "fork: %s", strerror(errno));
	if (!pid) {
		execv(path, argv);
		fprintf(stderr, "memmap: error: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return install_fail(1, argv[0], "waitpid: %s", strerror(errno));
	if (WIFSIGNALED(ws))
		return install_fail(1, argv[0], "killed by signal %d", WTERMSIG(ws));
	if (WEXITSTATUS(ws))
		return install_fail(1, argv[0], "exited with status %d", WEXITSTATUS(ws));
	return 0;
}
