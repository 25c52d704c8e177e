# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: one table of measurements, printed and written to
# $(BUILD)/bench/table.md (tests/bench/bench.sh).  Host programs are built
# -O2 without sanitizers from the host object tree; the EFI programs
# (tsc_wrap.efi, nothing.efi) like lookup.efi.  Nothing is asserted.
# Included by the top Makefile.

BENCH_DIR    := $(BUILD)/bench
BENCH_CFLAGS := $(HOST_CFLAGS)
BENCH_CORE   := $(CORE_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/host/cli/mapread.o \
		$(BUILD)/host/cli/file.o
PKGS_BENCH   := valgrind libfec-dev zlib1g-dev $(PKGS_BUILD) $(PKGS_QEMU)

.PHONY: bench deps-bench

deps-bench:
	$(call install_pkgs,$(PKGS_BENCH))

$(BENCH_DIR)/%.o: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -MMD -MP -c $< -o $@

$(BENCH_DIR)/bench: $(BENCH_DIR)/bench.o $(BENCH_DIR)/linux_e820.o \
		     $(BENCH_DIR)/linux_sort.o $(BENCH_CORE)
	$(CC) $(BENCH_CFLAGS) $^ -lfec -lz -lm -o $@

# Linux's e820 code, the reference: cut from Debian's linux source
# package at bench time (never committed), built with the same flags as
# memmap's
LINUX_E820 := $(BENCH_DIR)/linux
LINUX_CFLAGS := $(BENCH_CFLAGS) -include tests/bench/linux_shim.h
$(LINUX_E820)/e820.c: tests/bench/linux-e820.sh efi/fetch-src.sh
	bash tests/bench/linux-e820.sh $(LINUX_E820)

$(BENCH_DIR)/linux_e820.o: tests/bench/linux_e820.c tests/bench/linux_shim.h \
			   $(LINUX_E820)/e820.c
	$(CC) $(LINUX_CFLAGS) -I$(LINUX_E820) \
		-DLINUX_E820_VERSION='"'"$$(cat $(LINUX_E820)/VERSION)"'"' -c $< -o $@

$(BENCH_DIR)/linux_sort.o: $(LINUX_E820)/e820.c tests/bench/linux_shim.h
	$(CC) $(LINUX_CFLAGS) -I$(LINUX_E820)/include -c $(LINUX_E820)/src/lib/sort.c -o $@

$(BENCH_DIR)/pipeline: $(BENCH_DIR)/pipeline.o $(BENCH_CORE)
	$(CC) $(BENCH_CFLAGS) $^ -lz -o $@

$(BENCH_DIR)/pstore_fill: $(BENCH_DIR)/pstore_fill.o $(BENCH_CORE)
	$(CC) $(BENCH_CFLAGS) $^ -lz -o $@

# EFI applications: objects with the gnu-efi flags, linked like lookup.so;
# $(BUILD)/bench/X.efi comes from $(BUILD)/efi/bench/X.so by the top
# Makefile's objcopy rule
$(BUILD)/efi/tests/bench/%.o: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(EFI_APP_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/bench/%.so: $(BUILD)/efi/tests/bench/%.o
	@mkdir -p $(@D)
	$(LD) -shared -Bsymbolic -nostdlib --no-undefined -L$(EFI_LIB) -T $(EFI_LDS) \
		$(EFI_CRT0) $^ -o $@ -lefi -lgnuefi

bench: deps-bench
	$(MAKE) --no-print-directory $(BENCH_DIR)/bench $(BENCH_DIR)/pipeline $(BENCH_DIR)/pstore_fill \
		$(BUILD)/memmap.efi $(BENCH_DIR)/tsc_wrap.efi $(BENCH_DIR)/nothing.efi
	bash tests/bench/bench.sh $(BUILD)
