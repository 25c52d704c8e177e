/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A ramoops-compatible pstore region (Linux fs/pstore/ram.c, ram_core.c):
 * its layout, its zones' persistent_ram_buffer headers and ring buffers,
 * the dmesg record header, and writes Linux reads back.  Reading never
 * changes the region: every correction is made on a copy.
 */
#ifndef PSTORE_PSTORE_H
#define PSTORE_PSTORE_H

#include "rs.h"

#define PERSISTENT_RAM_SIG	0x43474244u	/* "DBGC" */
#define RAMOOPS_KERNMSG_HDR	"===="
#define RAMOOPS_MIN_MEM_SIZE	4096u
#define PSTORE_ECC_BLOCK	128u		/* ecc_info.block_size */
/*
 * Largest ecc_size: init_rs(8, ...) gives codewords of nn = 255 symbols,
 * and encode_rs8()/decode_rs8() of a full 128-byte block need
 * pad = nn - nroots - len >= 0 (decode_rs.c: BUG_ON(pad < 0 || ...)).
 */
#define PSTORE_ECC_MAX		(PSTORE_RS_NN - PSTORE_ECC_BLOCK)
#define PSTORE_MAX_CPUS		1024u		/* ftrace zones tried */
/* sizeof(struct persistent_ram_buffer): u32 sig, start, size */
#define PSTORE_HDR_SIZE		12u

enum pstore_type {
	PSTORE_TYPE_DMESG,
	PSTORE_TYPE_CONSOLE,
	PSTORE_TYPE_FTRACE,
	PSTORE_TYPE_PMSG,
};

/* Zone order: 6.1 puts ftrace before pmsg, 6.2 and later pmsg first */
enum pstore_order {
	PSTORE_ORDER_AUTO,	/* from the headers in RAM, else 6.1 */
	PSTORE_ORDER_61,
	PSTORE_ORDER_62,
};

/* ramoops parameters, as its module parameters give them */
struct pstore_params {
	uint64_t mem_size;
	uint64_t record_size, console_size, ftrace_size, pmsg_size;
	uint32_t ecc;		/* parity bytes per block; 0: off; 1: 16; at most 127 */
	enum pstore_order order;
	uint32_t cpus;		/* ftrace zones (nr_cpu_ids); 0: from RAM, else 1 */
};

struct pstore_zone {
	enum pstore_type type;
	uint32_t id;		/* dmesg: its index; ftrace: its CPU; else 0 */
	uint64_t off, size;	/* in the region */
};

struct pstore_layout {
	struct pstore_zone *zones;
	size_t nr, cap;
	const struct mm_alloc *alloc;
	uint32_t ecc;			/* effective parity bytes, 0 when off */
	enum pstore_order order;	/* the one used */
	uint32_t cpus;			/* ftrace zones */
};

/**
 * pstore_layout() - the zones ramoops makes of a region: record, console,
 * ftrace and pmsg sizes rounded down to powers of two, dmesg records
 * first, then console, then ftrace (one zone per CPU) and pmsg in
 * @p->order.
 * @region: the region's bytes (read only: when @p->order is AUTO or
 *          @p->cpus is 0, the zone headers there decide), or NULL
 * Return: 0; -MM_EINVAL for parameters ramoops refuses (see @why);
 * -MM_ENOMEM.
 */
int pstore_layout(const struct pstore_params *p, const uint8_t *region,
		  struct pstore_layout *l, const struct mm_alloc *a,
		  const char **why);
void pstore_layout_free(struct pstore_layout *l);

/**
 * pstore_check() - whether ramoops takes @p (order and CPUs as given):
 * the answer and @why of pstore_layout(), in memory that does not grow
 * with the region (every dmesg zone is alike).
 * Return: 0, -MM_EINVAL (see @why) or -MM_ENOMEM.
 */
int pstore_check(const struct pstore_params *p, const struct mm_alloc *a,
		 const char **why);

/* What one zone holds, as Linux would find it at boot */
struct pstore_zone_view {
	bool valid;		/* signature right, start and size sane */
	uint32_t sig;		/* the header's signature */
	uint64_t start, size;	/* the header's ring position and fill */
	uint64_t capacity;	/* bytes of ring (buffer_size) */
	uint8_t *old;		/* the ring's contents in write order */
	size_t old_len;
	unsigned int corrected;	/* ECC: corrected bytes */
	unsigned int bad_blocks; /* ECC: unrecoverable blocks */
};

/**
 * pstore_zone_read() - decode a zone of @region without changing it:
 * header (ECC-corrected on a copy), signature, start/size check, ring
 * contents in write order (ECC-corrected on a copy).
 * @rs: the codec when @l->ecc, else NULL
 * Return: 0 (see @v->valid), or -MM_ENOMEM.  Free with pstore_view_free().
 */
int pstore_zone_read(const uint8_t *region, const struct pstore_layout *l,
		     const struct pstore_zone *z, const struct pstore_rs *rs,
		     struct pstore_zone_view *v, const struct mm_alloc *a);
void pstore_view_free(struct pstore_zone_view *v, const struct mm_alloc *a);

/* The name Linux's pstore filesystem gives a zone's record */
void pstore_record_name(struct mm_buf *b, const struct pstore_zone *z);

/* The expected signature of a zone of @type ("sig ^ PERSISTENT_RAM_SIG") */
bool pstore_sig_ok(enum pstore_type type, uint32_t sig);

/**
 * pstore_dmesg_header() - parse "====SEC.USEC-C\n", "-D\n" or the older
 * "====SEC.USEC\n" at the start of a dmesg record, as Linux's
 * ramoops_read_kmsg_hdr() does.
 * Return: the header's length, 0 when there is none.
 */
size_t pstore_dmesg_header(const uint8_t *s, size_t n, int64_t *sec,
			   uint32_t *usec, bool *compressed);

/* Linux's ECC notice: "ECC: N Corrected bytes, M unrecoverable blocks" */
void pstore_ecc_notice(struct mm_buf *b, const struct pstore_zone_view *v);

/* The bytes a zone's ring holds (buffer_size), 0 when it cannot hold one */
uint64_t pstore_zone_capacity(const struct pstore_layout *l,
			      const struct pstore_zone *z);

/**
 * pstore_zone_append() - persistent_ram_write(): append @n bytes to the
 * zone's ring (a zone with a wrong signature or a bad header is reset
 * first), updating the ECC of the blocks written and of the header.
 * Return: 0, -MM_EINVAL when the zone cannot hold a ring.
 */
int pstore_zone_append(uint8_t *region, const struct pstore_layout *l,
		       const struct pstore_zone *z, const struct pstore_rs *rs,
		       const void *data, size_t n);

/**
 * pstore_write_dmesg() - a dmesg record as ramoops writes one: the zone
 * emptied, "====SEC.USEC-D\n" (-C when @compressed), then @n bytes (cut
 * to fit).
 */
int pstore_write_dmesg(uint8_t *region, const struct pstore_layout *l,
		       const struct pstore_zone *z, const struct pstore_rs *rs,
		       int64_t sec, uint32_t usec, bool compressed,
		       const void *data, size_t n);

#endif
