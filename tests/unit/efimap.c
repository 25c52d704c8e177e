/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * efimap_to_e820() as the EFI stub's setup_e820(), and the kernel's
 * "efi: memNN" lines: printed, read back, refused.
 */
#include "tests.h"

#define RAM E820_TYPE_RAM
#define RES E820_TYPE_RESERVED
#define SOFT E820_TYPE_SOFT_RESERVED
#define SP EFIMAP_MEMORY_SP
#define WB EFIMAP_MEMORY_WB
#define CONV EFI_CONVENTIONAL_MEMORY
#define P(n) ((uint64_t)(n) << EFIMAP_PAGE_SHIFT)

/* ---- the stub's type table ---------------------------------------------- */

/* EFI type; e820 type without SP; with SP when soft_reserve; 0: skipped */
static const struct {
	int line;
	uint32_t efi;
	uint32_t e820, e820_sp;
} type_rows[] = {
	{ __LINE__, EFI_RESERVED_TYPE, RES, RES },
	{ __LINE__, EFI_LOADER_CODE, RAM, SOFT },
	{ __LINE__, EFI_LOADER_DATA, RAM, SOFT },
	{ __LINE__, EFI_BOOT_SERVICES_CODE, RAM, SOFT },
	{ __LINE__, EFI_BOOT_SERVICES_DATA, RAM, SOFT },
	{ __LINE__, EFI_RUNTIME_SERVICES_CODE, RES, RES },
	{ __LINE__, EFI_RUNTIME_SERVICES_DATA, RES, RES },
	{ __LINE__, EFI_CONVENTIONAL_MEMORY, RAM, SOFT },
	{ __LINE__, EFI_UNUSABLE_MEMORY, E820_TYPE_UNUSABLE, E820_TYPE_UNUSABLE },
	{ __LINE__, EFI_ACPI_RECLAIM_MEMORY, E820_TYPE_ACPI, E820_TYPE_ACPI },
	{ __LINE__, EFI_ACPI_MEMORY_NVS, E820_TYPE_NVS, E820_TYPE_NVS },
	{ __LINE__, EFI_MEMORY_MAPPED_IO, RES, RES },
	{ __LINE__, EFI_MEMORY_MAPPED_IO_PORT_SPACE, RES, RES },
	{ __LINE__, EFI_PAL_CODE, RES, RES },
	{ __LINE__, EFI_PERSISTENT_MEMORY, E820_TYPE_PMEM, E820_TYPE_PMEM },
	{ __LINE__, EFI_MAX_MEMORY_TYPE, 0, 0 },	/* 15: unknown */
	{ __LINE__, 0x70000000, 0, 0 },			/* OEM range */
	{ __LINE__, 0xffffffff, 0, 0 },
};

START_TEST(test_types)
{
	static const struct { uint64_t attr; bool soft; bool sp; } modes[] = {
		{ WB, true, false }, { WB, false, false },
		{ WB | SP, true, true }, { WB | SP, false, false },
	};
	struct e820_table t;
	size_t m;

	e820_table_init(&t, TEST_ALLOC);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		const struct efimap_desc d = { type_rows[_i].efi, 0x100000, 16,
					       modes[m].attr };
		uint32_t want = modes[m].sp ? type_rows[_i].e820_sp :
			       type_rows[_i].e820;
		int rc = efimap_to_e820(&t, NULL, &d, 1, modes[m].soft);

		ck_assert_msg(rc == 0, "line %d: returned %d", type_rows[_i].line, rc);
		if (!want) {
			ck_assert_msg(t.nr == 0, "line %d mode %zu: not skipped",
				      type_rows[_i].line, m);
			continue;
		}
		ck_assert_msg(t.nr == 1 && t.entries[0].addr == 0x100000 &&
			      t.entries[0].size == P(16) && t.entries[0].type == want,
			      "line %d mode %zu: %zu entries, type %#x, want %#x",
			      type_rows[_i].line, m, t.nr,
			      t.nr ? (unsigned)t.entries[0].type : 0, (unsigned)want);
	}
	e820_table_free(&t);
}
END_TEST

/* ---- merging, order, sanitize -------------------------------------------- */

#define MAXD 6
#define D(ty, a, n, at) { (ty), (a), (n), (at) }

static const struct {
	int line;
	size_t nd;
	struct efimap_desc d[MAXD];
	bool soft_reserve;
	int rc;
	size_t nout;
	struct e820_entry out[MAXD];
	size_t nattrs;			/* SIZE_MAX: not checked */
	struct e820_entry attrs[MAXD];
} conv_rows[] = {
	{ __LINE__, 0, { { 0 } }, true, 0, 0, { { 0 } }, 0, { { 0 } } },
	/* Adjacent, emitted one after the other: merged */
	{ __LINE__, 2, { D(CONV, 0, 1, WB), D(EFI_BOOT_SERVICES_DATA, P(1), 1, WB) }, true,
	  0, 1, { E(0, P(2), RAM) }, 0, { { 0 } } },
	/* Soft reserved is merged by the stub (it merges any one type) */
	{ __LINE__, 2, { D(CONV, 0, 1, SP), D(CONV, P(1), 1, SP) }, true,
	  0, 1, { E(0, P(2), SOFT) }, 1, { E(0, P(2), E820_ATTR_DRIVER_MANAGED) } },
	/* A, B, A': A' adjacent to A but not emitted right after it.  The stub
	 * does not merge; sanitize merges RAM but never soft reserved */
	{ __LINE__, 3, { D(CONV, 0, 1, WB), D(EFI_RESERVED_TYPE, P(16), 1, 0),
			 D(CONV, P(1), 1, WB) }, true,
	  0, 2, { E(0, P(2), RAM), E(P(16), P(1), RES) }, 0, { { 0 } } },
	{ __LINE__, 3, { D(CONV, 0, 1, SP), D(CONV, P(16), 1, WB), D(CONV, P(1), 1, SP) }, true,
	  0, 3, { E(0, P(1), SOFT), E(P(1), P(1), SOFT), E(P(16), P(1), RAM) },
	  1, { E(0, P(2), E820_ATTR_DRIVER_MANAGED) } },
	/* A skipped descriptor (unknown type 15) leaves the stub's previous
	 * entry in place, so A, 15, A' still merges */
	{ __LINE__, 3, { D(CONV, 0, 1, SP), D(EFI_MAX_MEMORY_TYPE, P(16), 1, 0),
			 D(CONV, P(1), 1, SP) }, true,
	  0, 1, { E(0, P(2), SOFT) }, SIZE_MAX, { { 0 } } },
	/* Not adjacent in address: never merged */
	{ __LINE__, 2, { D(CONV, 0, 1, SP), D(CONV, P(2), 1, SP) }, true,
	  0, 2, { E(0, P(1), SOFT), E(P(2), P(1), SOFT) }, SIZE_MAX, { { 0 } } },
	/* Out of order: the stub does not merge, sanitize sorts and merges */
	{ __LINE__, 2, { D(CONV, P(2), 2, WB), D(CONV, 0, 2, WB) }, true,
	  0, 1, { E(0, P(4), RAM) }, 0, { { 0 } } },
	/* Overlapping descriptors: the higher type wins */
	{ __LINE__, 2, { D(CONV, 0, 4, WB), D(EFI_ACPI_MEMORY_NVS, P(1), 1, WB) }, true,
	  0, 3, { E(0, P(1), RAM), E(P(1), P(1), E820_TYPE_NVS), E(P(2), P(2), RAM) },
	  0, { { 0 } } },
	/* SP with efi=nosoftreserve: plain RAM, still driver-managed */
	{ __LINE__, 3, { D(CONV, 0, 1, SP), D(CONV, P(16), 1, WB), D(CONV, P(1), 1, SP) }, false,
	  0, 2, { E(0, P(2), RAM), E(P(16), P(1), RAM) },
	  1, { E(0, P(2), E820_ATTR_DRIVER_MANAGED) } },
	/* Attributes: MR, SP, HOT_PLUGGABLE; adjacent equal flags merge */
	{ __LINE__, 5, { D(CONV, 0, 4, EFIMAP_MEMORY_MORE_RELIABLE | WB),
			 D(CONV, P(4), 4, EFIMAP_MEMORY_MORE_RELIABLE),
			 D(CONV, P(8), 4, EFIMAP_MEMORY_HOT_PLUGGABLE | EFIMAP_MEMORY_MORE_RELIABLE),
			 D(CONV, P(12), 4, WB | EFIMAP_MEMORY_RUNTIME),
			 D(CONV, P(16), 4, SP | EFIMAP_MEMORY_HOT_PLUGGABLE) }, true,
	  0, 2, { E(0, P(16), RAM), E(P(16), P(4), SOFT) },
	  3, { E(0, P(8), E820_ATTR_MIRROR),
	       E(P(8), P(4), E820_ATTR_MIRROR | E820_ATTR_HOTPLUG),
	       E(P(16), P(4), E820_ATTR_DRIVER_MANAGED | E820_ATTR_HOTPLUG) } },
	/* Zero pages: an empty entry, dropped */
	{ __LINE__, 1, { D(CONV, P(1), 0, WB) }, true, 0, 0, { { 0 } }, 0, { { 0 } } },
	/* Large: up to the last page below 2^64 */
	{ __LINE__, 1, { D(CONV, 0, (1ULL << 52) - 1, WB) }, true,
	  0, 1, { E(0, 0xfffffffffffff000ULL, RAM) }, 0, { { 0 } } },
	{ __LINE__, 1, { D(CONV, 0xffffffffffffe000ULL, 1, WB) }, true,
	  0, 1, { E(0xffffffffffffe000ULL, P(1), RAM) }, 0, { { 0 } } },
	/* num_pages << 12 overflowing, or the range wrapping past 2^64 */
	{ __LINE__, 1, { D(CONV, 0, 1ULL << 52, WB) }, true, -MM_ERANGE, 0, { { 0 } },
	  SIZE_MAX, { { 0 } } },
	{ __LINE__, 2, { D(CONV, 0, 1, WB), D(CONV, P(1), UINT64_MAX, WB) }, true,
	  -MM_ERANGE, 0, { { 0 } }, SIZE_MAX, { { 0 } } },
	{ __LINE__, 1, { D(CONV, 0xfffffffffffff000ULL, 2, WB) }, true, -MM_ERANGE,
	  0, { { 0 } }, SIZE_MAX, { { 0 } } },
	{ __LINE__, 1, { D(CONV, 0xfffffffffffff000ULL, 1, WB) }, true, -MM_ERANGE,
	  0, { { 0 } }, SIZE_MAX, { { 0 } } },
};

START_TEST(test_convert)
{
	int line = conv_rows[_i].line;
	struct e820_table t, attrs;
	int rc;

	e820_table_init(&t, TEST_ALLOC);
	e820_table_init(&attrs, TEST_ALLOC);
	/* Stale contents are emptied first */
	ck_assert_int_eq(e820_range_add(&t, 0x12345000, 0x1000, RES), 0);
	ck_assert_int_eq(e820_range_add(&attrs, 0x12345000, 0x1000, 7), 0);
	rc = efimap_to_e820(&t, &attrs, conv_rows[_i].d, conv_rows[_i].nd,
			    conv_rows[_i].soft_reserve);
	ck_assert_msg(rc == conv_rows[_i].rc, "line %d: returned %d, want %d",
		      line, rc, conv_rows[_i].rc);
	if (!rc) {
		ck_assert_table(line, &t, conv_rows[_i].out, conv_rows[_i].nout);
		if (conv_rows[_i].nattrs != SIZE_MAX)
			ck_assert_table(line, &attrs, conv_rows[_i].attrs,
					conv_rows[_i].nattrs);
		/* No attribute table wanted: same result */
		rc = efimap_to_e820(&t, NULL, conv_rows[_i].d, conv_rows[_i].nd,
				    conv_rows[_i].soft_reserve);
		ck_assert_int_eq(rc, 0);
		ck_assert_table(line, &t, conv_rows[_i].out, conv_rows[_i].nout);
	}
	e820_table_free(&t);
	e820_table_free(&attrs);
}
END_TEST

/* ---- efi: memNN lines ------------------------------------------------------ */

/*
 * The kernel's exact text for a few descriptors: Debian's 6.1 prints 15
 * attribute columns (RUN, HP, MR, ...), as in tests/linux/fixtures
 */
static const struct {
	int line;
	size_t i;
	struct efimap_desc d;
	const char *text;
} print_rows[] = {
	{ __LINE__, 2, D(CONV, 0x100000, 0x706, WB | EFIMAP_MEMORY_WT | EFIMAP_MEMORY_WC |
			 EFIMAP_MEMORY_UC),
	  "efi: mem02: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC] "
	  "range=[0x0000000000100000-0x0000000000805fff] (7MB)\n" },
	{ __LINE__, 0, D(EFI_BOOT_SERVICES_CODE, 0, 0xa0, WB),
	  "efi: mem00: [Boot Code   |   |  |  |  |  |  |  |  |  |  |   |WB|  |  |  ] "
	  "range=[0x0000000000000000-0x000000000009ffff] (0MB)\n" },
	{ __LINE__, 42, D(EFI_RUNTIME_SERVICES_DATA, 0x7f000000, 0x100,
			  EFIMAP_MEMORY_RUNTIME | WB),
	  "efi: mem42: [Runtime Data|RUN|  |  |  |  |  |  |  |  |  |   |WB|  |  |  ] "
	  "range=[0x000000007f000000-0x000000007f0fffff] (1MB)\n" },
	{ __LINE__, 100, D(EFI_MEMORY_MAPPED_IO, 0xffc00000, 0x400,
			   EFIMAP_MEMORY_RUNTIME | EFIMAP_MEMORY_UC),
	  "efi: mem100: [MMIO        |RUN|  |  |  |  |  |  |  |  |  |   |  |  |  |UC] "
	  "range=[0x00000000ffc00000-0x00000000ffffffff] (4MB)\n" },
	{ __LINE__, 3, D(CONV, 0x100000000ULL, 0x40000, SP | WB | EFIMAP_MEMORY_MORE_RELIABLE |
			 EFIMAP_MEMORY_CPU_CRYPTO | EFIMAP_MEMORY_NV | EFIMAP_MEMORY_XP |
			 EFIMAP_MEMORY_RP | EFIMAP_MEMORY_WP | EFIMAP_MEMORY_RO |
			 EFIMAP_MEMORY_UCE),
	  "efi: mem03: [Conventional|   |  |MR|CC|SP|NV|XP|RP|WP|RO|UCE|WB|  |  |  ] "
	  "range=[0x0000000100000000-0x000000013fffffff] (1024MB)\n" },
	{ __LINE__, 9, D(CONV, 0x1000, 1, EFIMAP_MEMORY_HOT_PLUGGABLE | WB),
	  "efi: mem09: [Conventional|   |HP|  |  |  |  |  |  |  |  |   |WB|  |  |  ] "
	  "range=[0x0000000000001000-0x0000000000001fff] (0MB)\n" },
	{ __LINE__, 9, D(EFI_RESERVED_TYPE, 0x1000, 1, 0x40),
	  "efi: mem09: [Reserved    |attr=0x0000000000000040] "
	  "range=[0x0000000000001000-0x0000000000001fff] (0MB)\n" },
	{ __LINE__, 9, D(EFI_RESERVED_TYPE, 0x1000, 1, EFIMAP_MEMORY_RUNTIME | 0x40),
	  "efi: mem09: [Reserved    |attr=0x8000000000000040] "
	  "range=[0x0000000000001000-0x0000000000001fff] (0MB)\n" },
	{ __LINE__, 10, D(EFI_MAX_MEMORY_TYPE, 0x1000, 1, 0),
	  "efi: mem10: [type=15|   |  |  |  |  |  |  |  |  |  |   |  |  |  |  ] "
	  "range=[0x0000000000001000-0x0000000000001fff] (0MB)\n" },
	{ __LINE__, 11, D(EFI_PERSISTENT_MEMORY, 0x200000000ULL, 0x80000, WB | EFIMAP_MEMORY_NV),
	  "efi: mem11: [Persistent  |   |  |  |  |  |NV|  |  |  |  |   |WB|  |  |  ] "
	  "range=[0x0000000200000000-0x000000027fffffff] (2048MB)\n" },
};

START_TEST(test_print)
{
	struct mm_buf b;

	mm_buf_init(&b, TEST_ALLOC);
	efimap_print_desc(&b, print_rows[_i].i, &print_rows[_i].d);
	ck_assert_int_eq(b.rc, 0);
	ck_assert_msg(!strcmp(b.s, print_rows[_i].text),
		      "line %d:\n got  %s want %s", print_rows[_i].line, b.s,
		      print_rows[_i].text);
	mm_buf_free(&b);
}
END_TEST

/* Round trip: every EFI type with every attribute set below */
static const struct {
	int line;
	uint64_t attr;
} attr_rows[] = {
	{ __LINE__, 0 },
	{ __LINE__, EFIMAP_MEMORY_UC },
	{ __LINE__, EFIMAP_MEMORY_WC },
	{ __LINE__, EFIMAP_MEMORY_WT },
	{ __LINE__, EFIMAP_MEMORY_WB },
	{ __LINE__, EFIMAP_MEMORY_UCE },
	{ __LINE__, EFIMAP_MEMORY_WP },
	{ __LINE__, EFIMAP_MEMORY_RP },
	{ __LINE__, EFIMAP_MEMORY_XP },
	{ __LINE__, EFIMAP_MEMORY_NV },
	{ __LINE__, EFIMAP_MEMORY_MORE_RELIABLE },
	{ __LINE__, EFIMAP_MEMORY_RO },
	{ __LINE__, EFIMAP_MEMORY_SP },
	{ __LINE__, EFIMAP_MEMORY_CPU_CRYPTO },
	{ __LINE__, EFIMAP_MEMORY_RUNTIME },
	{ __LINE__, EFIMAP_MEMORY_UC | EFIMAP_MEMORY_WC | EFIMAP_MEMORY_WT | EFIMAP_MEMORY_WB },
	{ __LINE__, EFIMAP_MEMORY_RUNTIME | EFIMAP_MEMORY_WB | EFIMAP_MEMORY_XP },
	{ __LINE__, EFIMAP_MEMORY_UC | EFIMAP_MEMORY_WC | EFIMAP_MEMORY_WT | EFIMAP_MEMORY_WB |
		    EFIMAP_MEMORY_UCE | EFIMAP_MEMORY_WP | EFIMAP_MEMORY_RP | EFIMAP_MEMORY_XP |
		    EFIMAP_MEMORY_NV | EFIMAP_MEMORY_MORE_RELIABLE | EFIMAP_MEMORY_RO |
		    EFIMAP_MEMORY_SP | EFIMAP_MEMORY_CPU_CRYPTO | EFIMAP_MEMORY_RUNTIME },
	{ __LINE__, EFIMAP_MEMORY_HOT_PLUGGABLE },
	{ __LINE__, EFIMAP_MEMORY_HOT_PLUGGABLE | EFIMAP_MEMORY_WB | EFIMAP_MEMORY_RUNTIME },
	{ __LINE__, 0x80000000001ff01fULL },	/* every column */
	/* Bits the kernel has no column for: printed as attr=0x... */
	{ __LINE__, 1ULL << 62 },
	{ __LINE__, 0x40 },
	{ __LINE__, UINT64_MAX },
};

static const struct {
	int line;
	uint64_t phys, pages;
	size_t index;
} range_rows[] = {
	{ __LINE__, 0, 1, 0 },
	{ __LINE__, 0x100000, 0x7f00, 5 },
	{ __LINE__, 0xfed00000, 1, 99 },
	{ __LINE__, 0x100000000ULL, 0x100000, 123 },
	{ __LINE__, 0xffffffffffffe000ULL, 1, 1000 },
	{ __LINE__, 0, (1ULL << 52) - 1, 7 },
};

START_TEST(test_roundtrip)
{
	size_t r, k;
	uint32_t type;
	struct mm_buf b;

	mm_buf_init(&b, TEST_ALLOC);
	for (type = 0; type <= EFI_MAX_MEMORY_TYPE + 1; type++) {
		for (r = 0; r < ARRAY_SIZE(range_rows); r++) {
			const struct efimap_desc d = { type == EFI_MAX_MEMORY_TYPE + 1 ?
						       0x80000001u : type,
						       range_rows[r].phys,
						       range_rows[r].pages,
						       attr_rows[_i].attr };
			struct efimap_desc got;
			int rc;

			b.len = 0;
			efimap_print_desc(&b, range_rows[r].index, &d);
			ck_assert_int_eq(b.rc, 0);
			memset(&got, 0x5a, sizeof(got));
			rc = efimap_parse_line(b.s, b.len, &got);
			ck_assert_msg(rc == 0 && got.type == d.type &&
				      got.phys_addr == d.phys_addr &&
				      got.num_pages == d.num_pages &&
				      got.attribute == d.attribute,
				      "line %d/%d type %u: \"%s\" read back as rc %d "
				      "{%u %#llx %#llx %#llx}", attr_rows[_i].line,
				      range_rows[r].line, (unsigned)type, b.s, rc,
				      (unsigned)got.type,
				      (unsigned long long)got.phys_addr,
				      (unsigned long long)got.num_pages,
				      (unsigned long long)got.attribute);
			/* Without the trailing newline and with a log prefix */
			for (k = 0; k < 2; k++) {
				char line[256];

				snprintf(line, sizeof(line), "%s%.*s",
					 k ? "[    0.000000] " : "",
					 (int)b.len - 1, b.s);
				rc = efimap_parse_line(line, strlen(line), &got);
				ck_assert_msg(rc == 0 && got.type == d.type &&
					      got.attribute == d.attribute &&
					      got.num_pages == d.num_pages,
					      "line %d: \"%s\" rc %d", attr_rows[_i].line,
					      line, rc);
			}
		}
	}
	mm_buf_free(&b);
}
END_TEST

#define GOOD_ATTRS "|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]"

static const struct {
	int line;
	const char *text;
	int rc;
	struct efimap_desc d;
} parse_rows[] = {
	/* Good lines, with or without a prefix, columns optional */
	{ __LINE__, "efi: mem00: [Conventional" GOOD_ATTRS
		    " range=[0x0000000000100000-0x00000000001fffff] (1MB)",
	  0, D(CONV, 0x100000, 0x100, WB | EFIMAP_MEMORY_WT | EFIMAP_MEMORY_WC | EFIMAP_MEMORY_UC) },
	{ __LINE__, "[    0.000000] efi: mem02: [Conventional|   |  |  |  |  |  |  |  |  |  |   |WB|WT|WC|UC]"
		    " range=[0x0000000000100000-0x0000000000805fff] (7MB)",
	  0, D(CONV, 0x100000, 0x706, WB | EFIMAP_MEMORY_WT | EFIMAP_MEMORY_WC | EFIMAP_MEMORY_UC) },
	{ __LINE__, "<6>[    0.000000] efi: mem12: [Reserved    |RUN|  |  |  |  |  |  |  |  |  |   |  |  |  |UC]"
		    " range=[0x00000000fed00000-0x00000000fed00fff] (0MB)",
	  0, D(EFI_RESERVED_TYPE, 0xfed00000, 1, EFIMAP_MEMORY_RUNTIME | EFIMAP_MEMORY_UC) },
	{ __LINE__, "memory map: mem3: [ACPI Mem NVS] range=[0x0-0xfff]",
	  0, D(EFI_ACPI_MEMORY_NVS, 0, 1, 0) },
	{ __LINE__, "mem0: [Boot Data|WB|RUN] range=[0x1000-0x2fff]",
	  0, D(EFI_BOOT_SERVICES_DATA, 0x1000, 2, WB | EFIMAP_MEMORY_RUNTIME) },
	{ __LINE__, "mem0: [Conventional|   |HP|MR|  |SP] range=[0x1000-0x2fff]",
	  0, D(CONV, 0x1000, 2, EFIMAP_MEMORY_HOT_PLUGGABLE | EFIMAP_MEMORY_MORE_RELIABLE | SP) },
	{ __LINE__, "mem0: [type=77|attr=0x0000000000000008] range=[0X1000-0X1FFF]",
	  0, D(77, 0x1000, 1, WB) },
	{ __LINE__, "mem0: [type=4294967295] range=[0x1000-0x1fff]",
	  0, D(0xffffffff, 0x1000, 1, 0) },
	/* Not such a line at all */
	{ __LINE__, "", -MM_ENOENT, { 0 } },
	{ __LINE__, "hello world", -MM_ENOENT, { 0 } },
	{ __LINE__, "BIOS-e820: [mem 0x0000000000000000-0x000000000009efff] usable",
	  -MM_ENOENT, { 0 } },
	{ __LINE__, "efi: memory map", -MM_ENOENT, { 0 } },
	{ __LINE__, "efi: mem00 [Conventional" GOOD_ATTRS " range=[0x0-0xfff]",
	  -MM_ENOENT, { 0 } },
	{ __LINE__, "efi: mem: [Conventional" GOOD_ATTRS " range=[0x0-0xfff]",
	  -MM_ENOENT, { 0 } },
	{ __LINE__, "efi: mem00:[Conventional" GOOD_ATTRS " range=[0x0-0xfff]",
	  -MM_ENOENT, { 0 } },
	{ __LINE__, "efi: mem00: ", -MM_ENOENT, { 0 } },
	{ __LINE__, "me", -MM_ENOENT, { 0 } },
	/* Such a line, malformed */
	{ __LINE__, "efi: mem00: [Conventional", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: []", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Bogus       " GOOD_ATTRS " range=[0x0-0xfff]",
	  -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [conventional" GOOD_ATTRS " range=[0x0-0xfff]",
	  -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|ZZ] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|W B] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [type=] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [type=x1] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [type=4294967296] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|attr=0xzz] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|attr=8] range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x1000-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x0-0x7ff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x0-0xffffffffffffffff]",
	  -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x0-0xfff", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x0 0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x0-]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] rang=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB]range=[0x0-0xfff]", -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=[0x10000000000000000-0x10000000000000fff]",
	  -MM_EINVAL, { 0 } },
	{ __LINE__, "efi: mem00: [Conventional|WB] range=", -MM_EINVAL, { 0 } },
};

START_TEST(test_parse_line)
{
	const char *s = parse_rows[_i].text;
	struct efimap_desc d = { 0 };
	int rc = efimap_parse_line(s, strlen(s), &d);

	ck_assert_msg(rc == parse_rows[_i].rc, "line %d: returned %d, want %d",
		      parse_rows[_i].line, rc, parse_rows[_i].rc);
	if (rc)
		return;
	ck_assert_msg(d.type == parse_rows[_i].d.type &&
		      d.phys_addr == parse_rows[_i].d.phys_addr &&
		      d.num_pages == parse_rows[_i].d.num_pages &&
		      d.attribute == parse_rows[_i].d.attribute,
		      "line %d: read {%u %#llx %#llx %#llx}", parse_rows[_i].line,
		      (unsigned)d.type, (unsigned long long)d.phys_addr,
		      (unsigned long long)d.num_pages,
		      (unsigned long long)d.attribute);
}
END_TEST

/* Only the given length is read: a line cut before its ']' is malformed */
START_TEST(test_parse_len)
{
	static const char s[] = "efi: mem00: [Conventional|WB] range=[0x0-0xfff]";
	struct efimap_desc d;

	ck_assert_int_eq(efimap_parse_line(s, sizeof(s) - 1, &d), 0);
	ck_assert_int_eq(efimap_parse_line(s, sizeof(s) - 2, &d), -MM_EINVAL);
	ck_assert_int_eq(efimap_parse_line(s, 10, &d), -MM_ENOENT);
}
END_TEST

/* No fixed limit: a thousand descriptors, alternating types */
START_TEST(test_convert_many)
{
	static struct efimap_desc d[1000];
	struct e820_table t;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(d); k++) {
		d[k].type = k % 2 ? EFI_RUNTIME_SERVICES_DATA : CONV;
		d[k].phys_addr = P(k);
		d[k].num_pages = 1;
		d[k].attribute = WB;
	}
	e820_table_init(&t, TEST_ALLOC);
	ck_assert_int_eq(efimap_to_e820(&t, NULL, d, ARRAY_SIZE(d), true), 0);
	ck_assert_uint_eq(t.nr, ARRAY_SIZE(d));
	for (k = 0; k < ARRAY_SIZE(d); k++)
		ck_assert_msg(t.entries[k].addr == P(k) && t.entries[k].size == P(1) &&
			      t.entries[k].type == (k % 2 ? RES : RAM),
			      "entry %zu wrong", k);
	e820_table_free(&t);
}
END_TEST

/* efimap_free_pieces: a map with two adjacent free descriptors whose
 * attributes differ (mirrored and not), as EDK2 keeps them apart */
static const struct efimap_desc piece_map[] = {
	{ EFI_BOOT_SERVICES_DATA, 0x0, 0x10, EFIMAP_MEMORY_WB },
	{ EFI_CONVENTIONAL_MEMORY, 0x10000, 0x10, EFIMAP_MEMORY_WB },
	{ EFI_CONVENTIONAL_MEMORY, 0x20000, 0x10,
	  EFIMAP_MEMORY_WB | EFIMAP_MEMORY_MORE_RELIABLE },
	{ EFI_LOADER_DATA, 0x30000, 0x1, EFIMAP_MEMORY_WB },
	/* out of order, as a map may be */
	{ EFI_CONVENTIONAL_MEMORY, 0x40000, 0x10, EFIMAP_MEMORY_WB },
	{ EFI_CONVENTIONAL_MEMORY, 0x31000, 0xf, EFIMAP_MEMORY_WB },
};

static const struct {
	int line;
	uint64_t start, size;
	int rc;
	size_t n;
	uint64_t at[3], len[3];
} piece_rows[] = {
	/* inside one descriptor: one piece */
	{ __LINE__, 0x11000, 0x2000, 0, 1, { 0x11000 }, { 0x2000 } },
	{ __LINE__, 0x10000, 0x10000, 0, 1, { 0x10000 }, { 0x10000 } },
	/* across the two: cut at 0x20000 */
	{ __LINE__, 0x1f000, 0x2000, 0, 2, { 0x1f000, 0x20000 }, { 0x1000, 0x1000 } },
	{ __LINE__, 0x10000, 0x20000, 0, 2, { 0x10000, 0x20000 }, { 0x10000, 0x10000 } },
	/* across three, out of order in the map */
	{ __LINE__, 0x3f000, 0x2000, 0, 2, { 0x3f000, 0x40000 }, { 0x1000, 0x1000 } },
	/* a page that is not free, in the middle or at an end */
	{ __LINE__, 0x2f000, 0x3000, -MM_ENOENT, 0, { 0 }, { 0 } },
	{ __LINE__, 0x0f000, 0x2000, -MM_ENOENT, 0, { 0 }, { 0 } },
	{ __LINE__, 0x4f000, 0x2000, -MM_ENOENT, 0, { 0 }, { 0 } },
	/* empty, wrapping, past the end of memory */
	{ __LINE__, 0x11000, 0, -MM_ENOENT, 0, { 0 }, { 0 } },
	{ __LINE__, UINT64_MAX - 0xfff, 0x2000, -MM_ENOENT, 0, { 0 }, { 0 } },
	{ __LINE__, 0x100000, 0x1000, -MM_ENOENT, 0, { 0 }, { 0 } },
};

START_TEST(test_free_pieces)
{
	struct e820_table t;
	size_t i;
	int rc;

	e820_table_init(&t, TEST_ALLOC);
	rc = efimap_free_pieces(piece_map, ARRAY_SIZE(piece_map),
				piece_rows[_i].start, piece_rows[_i].size, &t);
	ck_assert_msg(rc == piece_rows[_i].rc, "line %d: rc %d", piece_rows[_i].line, rc);
	if (!rc) {
		ck_assert_msg(t.nr == piece_rows[_i].n, "line %d: %zu pieces",
			      piece_rows[_i].line, t.nr);
		for (i = 0; i < t.nr; i++)
			ck_assert_msg(t.entries[i].addr == piece_rows[_i].at[i] &&
				      t.entries[i].size == piece_rows[_i].len[i] &&
				      t.entries[i].type == E820_TYPE_RAM,
				      "line %d: piece %zu", piece_rows[_i].line, i);
	}
	e820_table_free(&t);
}
END_TEST

Suite *efimap_suite(void)
{
	Suite *s = suite_create("efimap");
	TCase *tc;

	tc = tcase_create("convert");
	tcase_add_loop_test(tc, test_types, 0, ARRAY_SIZE(type_rows));
	tcase_add_loop_test(tc, test_convert, 0, ARRAY_SIZE(conv_rows));
	tcase_add_test(tc, test_convert_many);
	tcase_add_loop_test(tc, test_free_pieces, 0, ARRAY_SIZE(piece_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_loop_test(tc, test_print, 0, ARRAY_SIZE(print_rows));
	tcase_add_loop_test(tc, test_roundtrip, 0, ARRAY_SIZE(attr_rows));
	tcase_add_loop_test(tc, test_parse_line, 0, ARRAY_SIZE(parse_rows));
	tcase_add_test(tc, test_parse_len);
	suite_add_tcase(s, tc);
	return s;
}
