/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * make bench: a ramoops region full of records, for timing memmap.efi's
 * --pstore-print summary against all.
 *   pstore_fill OUT MEM_SIZE RECORD_SIZE
 * OUT gets MEM_SIZE bytes laid out as ramoops lays them out with that
 * record_size (console, ftrace and pmsg 4096, ECC off).  Every dmesg zone
 * holds a full record as ramoops writes one ("====SEC.USEC-D" and a
 * kernel log ending in a panic and its call trace), the console zone a
 * full ring.  The text is the same on every run.  Prints the number of
 * dmesg records and the bytes of text written.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>

#include "../../cli/mapread.h"
#include "../../pstore/pstore.h"

static void die(const char *what)
{
	fprintf(stderr, "pstore_fill: %s\n", what);
	exit(1);
}

/* A kernel log of at least @n bytes for record @rec; its panic at the end */
static void log_text(struct mm_buf *b, size_t n, unsigned int rec)
{
	static const char *const tail[] = {
		"Kernel panic - not syncing: sysrq triggered crash",
		"CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2",
		"Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 0.0.0 02/06/2015",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x44/0x5c",
		" panic+0x118/0x2ed",
		" sysrq_handle_crash+0x16/0x20",
		" __handle_sysrq.cold+0x43/0x11b",
		" write_sysrq_trigger+0x24/0x40",
		" proc_reg_write+0x56/0xa0",
		" vfs_write+0xc7/0x400",
		" ksys_write+0x6b/0xf0",
		" do_syscall_64+0x55/0xb0",
		" entry_SYSCALL_64_after_hwframe+0x6e/0xd8",
		" </TASK>",
		"Kernel Offset: 0x2c000000 from 0xffffffff81000000",
	};
	unsigned int line = 0, i;
	size_t room = n > 1024 ? n - 1024 : 0;

	while (b->len < room) {
		mm_buf_puts(b, "<6>[");
		mm_buf_dec(b, 10 + rec);
		mm_buf_puts(b, ".");
		mm_buf_dec(b, 100000 + line * 37 % 900000);
		mm_buf_puts(b, "] memmap bench: record ");
		mm_buf_dec(b, rec);
		mm_buf_puts(b, ", line ");
		mm_buf_dec(b, line++);
		mm_buf_puts(b, ": a kernel log line of ordinary length\n");
	}
	for (i = 0; i < sizeof(tail) / sizeof(tail[0]); i++) {
		mm_buf_puts(b, "<0>[");
		mm_buf_dec(b, 10 + rec);
		mm_buf_puts(b, ".999999] ");
		mm_buf_puts(b, tail[i]);
		mm_buf_putc(b, '\n');
	}
}

int main(int argc, char **argv)
{
	struct pstore_params p = { .console_size = 4096, .ftrace_size = 4096,
				   .pmsg_size = 4096, .order = PSTORE_ORDER_61,
				   .cpus = 1 };
	struct pstore_layout l;
	const char *why;
	uint8_t *region;
	size_t i, records = 0, bytes = 0;
	FILE *f;

	if (argc != 4)
		die("usage: pstore_fill OUT MEM_SIZE RECORD_SIZE");
	p.mem_size = strtoull(argv[2], NULL, 0);
	p.record_size = strtoull(argv[3], NULL, 0);
	region = calloc(1, p.mem_size ? p.mem_size : 1);
	if (!region)
		die("out of memory");
	if (pstore_layout(&p, NULL, &l, &mapread_libc_alloc, &why))
		die(why ? why : "pstore_layout failed");
	for (i = 0; i < l.nr; i++) {
		const struct pstore_zone *z = &l.zones[i];
		struct mm_buf b;
		int rc = 0;

		mm_buf_init(&b, &mapread_libc_alloc);
		if (z->type == PSTORE_TYPE_DMESG) {
			log_text(&b, z->size, z->id);
			rc = pstore_write_dmesg(region, &l, z, NULL, 10 + z->id,
						999999, false, b.s, b.len);
			records++;
		} else if (z->type == PSTORE_TYPE_CONSOLE) {
			log_text(&b, z->size, 0);
			rc = pstore_zone_append(region, &l, z, NULL, b.s, b.len);
		}
		if (b.rc || rc)
			die("cannot write a zone");
		bytes += z->type <= PSTORE_TYPE_CONSOLE ? z->size - PSTORE_HDR_SIZE : 0;
		mm_buf_free(&b);
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(region, 1, p.mem_size, f) != p.mem_size || fclose(f))
		die("cannot write OUT");
	printf("%zu dmesg records, %zu bytes of text\n", records, bytes);
	pstore_layout_free(&l);
	free(region);
	return 0;
}
