# SPDX-License-Identifier: GPL-2.0-or-later
# memmap: one portable core (cmdline/ e820/), built hosted for the Linux
# tool and the tests, and freestanding with the firmware flags for
# memmap.efi.  Object trees: build/host (tool), build/test (ASan+UBSan,
# tests), build/efi (firmware).

CC       ?= gcc
PKG_CONFIG ?= pkg-config
BUILD    := build
SHELL    := /bin/bash

CORE_SRCS := e820/base.c e820/e820.c e820/efimap.c \
             cmdline/cmdline.c cmdline/words.c cmdline/named.c \
             cmdline/apply.c cmdline/handover.c \
             $(wildcard pstore/*.c)
# The device-tree part of the core: libfdt (Debian's libfdt-dev) on the host
DT_SRCS   := dt/fdt.c dt/memblock.c dt/resmem.c dt/apply.c
CLI_SRCS  := cli/file.c cli/mapread.c cli/pstore.c cli/efivar.c cli/install.c \
             cli/install_step.c cli/install_opts.c cli/install_esp.c \
             cli/install_loader.c cli/install_boot.c cli/install_state.c \
             cli/install_grub.c cli/dt.c cli/memmap.c
EFI_SRCS  := efi/fw.c efi/libc.c efi/args.c efi/memory.c efi/publish.c efi/pstore.c efi/report.c efi/chain.c \
             efi/grubenv.c efi/smbios.c efi/main.c
# The architecture's own flow: e820boot.c on x86, dtboot.c on arm64
EFI_X64_SRCS := $(EFI_SRCS) efi/e820boot.c
UNIT_SRCS := $(wildcard tests/unit/*.c)

WARN      := -std=c11 -Wall -Wextra -Werror
HOST_CFLAGS := $(WARN) -O2 -g
TEST_CFLAGS := $(WARN) -O1 -g -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all
EFI_CFLAGS  := $(WARN) -O2 -ffreestanding -nostdinc \
               -isystem $(shell $(CC) -print-file-name=include) \
               -fpic -fno-stack-protector -fno-strict-aliasing -fshort-wchar \
               -mno-red-zone -maccumulate-outgoing-args -DMM_FIRMWARE

# gnu-efi (NOTES.md): headers, crt0, linker script, libefi/libgnuefi
EFI_INC   := /usr/include/efi
EFI_LIB   := /usr/lib
EFI_LDS   := $(EFI_LIB)/elf_x86_64_efi.lds
EFI_CRT0  := $(EFI_LIB)/crt0-efi-x86_64.o
LD        ?= ld
OBJCOPY   ?= objcopy
OBJDUMP   ?= objdump
EFI_APP_CFLAGS := $(EFI_CFLAGS) -I$(EFI_INC) -I$(EFI_INC)/x86_64 -DEFI_FUNCTION_WRAPPER

# zlib for memmap.efi: Debian's source, fetched and built with the
# firmware flags (Z_SOLO: no libc); never committed
ZLIB_SRC  := $(BUILD)/zlib/src
ZLIB_MODS := adler32 crc32 inflate inftrees inffast zutil
ZLIB_OBJS := $(ZLIB_MODS:%=$(BUILD)/efi/zlib/%.o)

# libfdt for the firmware: Debian's device-tree-compiler source, built with
# the firmware flags and efi/fdtenv/libfdt_env.h (libfdt's port header);
# Debian 13's, as this machine's mirror holds no Debian 12 source of it
FDT_SRC   := $(BUILD)/libfdt/src/libfdt
FDT_MODS  := fdt fdt_ro fdt_rw fdt_wip fdt_sw fdt_strerror fdt_check
FDT_OBJS  := $(FDT_MODS:%=$(BUILD)/efi/libfdt/%.o)
FDT_EFI_INC := -Iefi/fdtenv -isystem $(FDT_SRC)
AR        ?= ar

# Debian packages each goal needs; installed when missing
PKGS_BUILD := gnu-efi zlib1g-dev libfdt-dev bzip2 xz-utils
PKGS_QEMU  := qemu-system-x86 ovmf mtools dosfstools busybox-static cpio sbsigntool openssl \
              e2fsprogs binutils xz-utils fdisk efibootmgr kmod
# arm64 QEMU and dtc: make oracle-dt, and the DT tests of make check
PKGS_DT    := qemu-system-arm qemu-efi-aarch64 device-tree-compiler
PKGS_CHECK := check pkg-config libfec-dev zlib1g-dev libfdt-dev gnu-efi $(PKGS_QEMU) $(PKGS_DT)
PKGS_RUN   := $(PKGS_BUILD) $(PKGS_QEMU)

.DELETE_ON_ERROR:
.PHONY: all check unit fixtures dt-fixtures clitest qemu run sign oracle clean deps-build deps-check deps-run
.PHONY: install clitest-install FORCE oracle-dt deps-aa64

all: deps-build $(BUILD)/memmap $(BUILD)/memmap.efi $(BUILD)/efi/memmap-dt.a \
     $(BUILD)/memmap-aa64.efi

# --- packages -------------------------------------------------------------
# install_pkgs(list): apt-get install what dpkg does not know yet
define install_pkgs
@missing=""; for p in $(1); do \
	dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	echo "installing Debian packages:$$missing"; \
	if [ "$$(id -u)" != 0 ]; then echo "memmap: error: need root to install:$$missing" >&2; exit 1; fi; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y -q $$missing || { apt-get update -q && apt-get install -y -q $$missing; }; \
fi
endef

deps-build:
	$(call install_pkgs,$(PKGS_BUILD) $(PKGS_AA64))

deps-check:
	$(call install_pkgs,$(PKGS_CHECK))

# --- object trees -----------------------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/test/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(CHECK_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c $< -o $@

$(ZLIB_SRC)/zlib.h:
	bash efi/fetch-src.sh zlib "$$(dpkg-query -W -f='$${source:Version}' zlib1g-dev 2>/dev/null)" $(ZLIB_SRC)

$(BUILD)/efi/zlib/%.o: $(ZLIB_SRC)/zlib.h
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -w -DZ_SOLO -I$(ZLIB_SRC) -c $(ZLIB_SRC)/$*.c -o $@

# The core's pstore/inflate.c includes zlib.h: Debian's, with Z_SOLO
$(BUILD)/efi/pstore/inflate.o: pstore/inflate.c $(ZLIB_SRC)/zlib.h
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -DZ_SOLO -isystem $(ZLIB_SRC) -MMD -MP -c $< -o $@

$(FDT_SRC)/libfdt.h:
	FETCH_SUITES=trixie bash efi/fetch-src.sh device-tree-compiler "" $(BUILD)/libfdt/src libfdt
	rm -f $(FDT_SRC)/libfdt_env.h

$(BUILD)/efi/libfdt/%.o: $(FDT_SRC)/libfdt.h efi/fdtenv/libfdt_env.h
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) -w $(FDT_EFI_INC) -c $(FDT_SRC)/$*.c -o $@

$(BUILD)/efi/dt/%.o: dt/%.c $(FDT_SRC)/libfdt.h
	@mkdir -p $(@D)
	$(CC) $(EFI_CFLAGS) $(FDT_EFI_INC) -MMD -MP -c $< -o $@

# The device-tree core and libfdt, freestanding: memmap.efi on arm64 links
# it.  Linked whole once with --no-undefined beside the core, so that a
# missing function fails the build
$(BUILD)/efi/memmap-dt.a: $(DT_SRCS:%.c=$(BUILD)/efi/%.o) $(FDT_OBJS) \
			  $(CORE_SRCS:%.c=$(BUILD)/efi/%.o) $(BUILD)/efi/efi/libc.o $(ZLIB_OBJS)
	rm -f $@ $@.so
	$(AR) rcs $@ $(DT_SRCS:%.c=$(BUILD)/efi/%.o) $(FDT_OBJS)
	$(LD) -shared -Bsymbolic -nostdlib --no-undefined -L$(EFI_LIB) -o $@.so \
		--whole-archive $@ --no-whole-archive $(filter-out $(FDT_OBJS) $(DT_SRCS:%.c=$(BUILD)/efi/%.o),$^) \
		-lefi -lgnuefi
	rm -f $@.so

$(BUILD)/efi/efi/%.o: efi/%.c
	@mkdir -p $(@D)
	$(CC) $(EFI_APP_CFLAGS) -MMD -MP -c $< -o $@

# --- memmap.efi ---------------------------------------------------------------
EFI_OBJS := $(CORE_SRCS:%.c=$(BUILD)/efi/%.o) $(EFI_X64_SRCS:%.c=$(BUILD)/efi/%.o) $(ZLIB_OBJS)

$(BUILD)/efi/memmap.so: $(EFI_OBJS)
	$(LD) -shared -Bsymbolic -nostdlib --no-undefined -L$(EFI_LIB) -T $(EFI_LDS) \
		$(EFI_CRT0) $^ -o $@ -lefi -lgnuefi

# A second EFI image for the tests: looks names up in the config table
$(BUILD)/efi/tests/qemu/%.o: tests/qemu/%.c
	@mkdir -p $(@D)
	$(CC) $(EFI_APP_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/efi/%.so: $(BUILD)/efi/tests/qemu/%.o
	$(LD) -shared -Bsymbolic -nostdlib --no-undefined -L$(EFI_LIB) -T $(EFI_LDS) \
		$(EFI_CRT0) $^ -o $@ -lefi -lgnuefi

$(BUILD)/%.efi: $(BUILD)/efi/%.so efi/sbat.csv efi/add-sbat.sh
	$(OBJCOPY) -j .text -j .sdata -j .data -j .rodata -j .dynamic -j .dynsym \
		-j .rel -j .rela -j .rel.* -j .rela.* -j .reloc \
		--target efi-app-x86_64 --subsystem=10 $< $@
	sh efi/add-sbat.sh $(OBJCOPY) $(OBJDUMP) efi/sbat.csv $@

# --- memmap-aa64.efi: the same sources for arm64 ----------------------------
# Debian's cross compiler, and Debian's arm64 gnu-efi through a private
# apt list (efi/fetch-deb.sh), unpacked in build/
AA64_CC      ?= aarch64-linux-gnu-gcc
AA64_LD      ?= aarch64-linux-gnu-ld
AA64_OBJCOPY ?= aarch64-linux-gnu-objcopy
AA64_GNUEFI  := $(BUILD)/gnu-efi-aa64/usr
AA64_CFLAGS   = $(WARN) -O2 -ffreestanding -nostdinc \
		-isystem $(shell $(AA64_CC) -print-file-name=include) \
		-fpic -fno-stack-protector -fno-strict-aliasing -fshort-wchar \
		-DMM_FIRMWARE
AA64_APP_CFLAGS = $(AA64_CFLAGS) -I$(AA64_GNUEFI)/include/efi \
		  -I$(AA64_GNUEFI)/include/efi/aarch64
AA64         := $(BUILD)/efi-aa64
AA64_EFI_SRCS := $(EFI_SRCS) efi/dtboot.c
AA64_OBJS    := $(CORE_SRCS:%.c=$(AA64)/%.o) $(DT_SRCS:%.c=$(AA64)/%.o) \
		$(AA64_EFI_SRCS:%.c=$(AA64)/%.o) $(ZLIB_MODS:%=$(AA64)/zlib/%.o) \
		$(FDT_MODS:%=$(AA64)/libfdt/%.o)
PKGS_AA64    := gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu

deps-aa64:
	$(call install_pkgs,$(PKGS_AA64))

$(AA64_GNUEFI)/lib/libefi.a:
	bash efi/fetch-deb.sh arm64 bookworm gnu-efi $(BUILD)/gnu-efi-aa64

$(AA64)/%.o: %.c
	@mkdir -p $(@D)
	$(AA64_CC) $(AA64_CFLAGS) -MMD -MP -c $< -o $@

$(AA64)/pstore/inflate.o: pstore/inflate.c $(ZLIB_SRC)/zlib.h
	@mkdir -p $(@D)
	$(AA64_CC) $(AA64_CFLAGS) -DZ_SOLO -isystem $(ZLIB_SRC) -MMD -MP -c $< -o $@

$(AA64)/zlib/%.o: $(ZLIB_SRC)/zlib.h
	@mkdir -p $(@D)
	$(AA64_CC) $(AA64_CFLAGS) -w -DZ_SOLO -I$(ZLIB_SRC) -c $(ZLIB_SRC)/$*.c -o $@

$(AA64)/libfdt/%.o: $(FDT_SRC)/libfdt.h efi/fdtenv/libfdt_env.h
	@mkdir -p $(@D)
	$(AA64_CC) $(AA64_CFLAGS) -w $(FDT_EFI_INC) -c $(FDT_SRC)/$*.c -o $@

$(AA64)/dt/%.o: dt/%.c $(FDT_SRC)/libfdt.h
	@mkdir -p $(@D)
	$(AA64_CC) $(AA64_CFLAGS) $(FDT_EFI_INC) -MMD -MP -c $< -o $@

$(AA64)/efi/%.o: efi/%.c $(AA64_GNUEFI)/lib/libefi.a $(FDT_SRC)/libfdt.h
	@mkdir -p $(@D)
	$(AA64_CC) $(AA64_APP_CFLAGS) $(FDT_EFI_INC) -MMD -MP -c $< -o $@

$(AA64)/memmap.so: $(AA64_OBJS)
	$(AA64_LD) -shared -Bsymbolic -nostdlib --no-undefined --no-warn-rwx-segments \
		--defsym=EFI_SUBSYSTEM=0xa \
		-L$(AA64_GNUEFI)/lib -T $(AA64_GNUEFI)/lib/elf_aarch64_efi.lds \
		$(AA64_GNUEFI)/lib/crt0-efi-aarch64.o $^ -o $@ -lefi -lgnuefi \
		$(shell $(AA64_CC) -print-libgcc-file-name)

# gnu-efi's arm64 crt0 carries the PE header: a raw copy of the sections
$(BUILD)/memmap-aa64.efi: $(AA64)/memmap.so
	$(AA64_OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .rodata -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc -j .dynsym -O binary $< $@

# --- host tool --------------------------------------------------------------
HOST_OBJS := $(CORE_SRCS:%.c=$(BUILD)/host/%.o) $(DT_SRCS:%.c=$(BUILD)/host/%.o) \
	     $(CLI_SRCS:%.c=$(BUILD)/host/%.o)
$(BUILD)/memmap: $(HOST_OBJS)
	$(CC) $(HOST_CFLAGS) $^ -lfdt -lz -o $@

# Static, for the busybox test guest
$(BUILD)/memmap-static: $(HOST_OBJS)
	$(CC) $(HOST_CFLAGS) -static $^ -lfdt -lz -o $@

$(BUILD)/test/memmap: $(CORE_SRCS:%.c=$(BUILD)/test/%.o) $(DT_SRCS:%.c=$(BUILD)/test/%.o) \
		      $(CLI_SRCS:%.c=$(BUILD)/test/%.o)
	$(CC) $(TEST_CFLAGS) $^ -lfdt -lz -o $@

# --- make install [PREFIX=/usr/local] [DESTDIR=] -----------------------------
# memmap install copies memmap.efi and the GRUB files from where this puts them
PREFIX   ?= /usr/local
INSTALL  ?= install
INSTALL_DEFS := -DMEMMAP_EFI_DIR='"$(PREFIX)/lib/memmap"' \
		-DMEMMAP_DATA_DIR='"$(PREFIX)/share/memmap/grub"'
$(BUILD)/host/cli/install.o: HOST_CFLAGS += $(INSTALL_DEFS)
$(BUILD)/test/cli/install.o: TEST_CFLAGS += $(INSTALL_DEFS)
# Compiled again when PREFIX changes, so the paths in it follow PREFIX
$(BUILD)/host/cli/install.o $(BUILD)/test/cli/install.o: $(BUILD)/prefix
$(BUILD)/prefix: FORCE
	@mkdir -p $(@D); echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
FORCE:

install: all
	$(INSTALL) -D -m 0755 $(BUILD)/memmap $(DESTDIR)$(PREFIX)/sbin/memmap
	$(INSTALL) -D -m 0644 $(BUILD)/memmap.efi $(DESTDIR)$(PREFIX)/lib/memmap/memmap.efi
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/share/memmap/grub $(DESTDIR)$(PREFIX)/share/man/man8
	$(INSTALL) -m 0755 dist/grub/05_memmap $(DESTDIR)$(PREFIX)/share/memmap/grub/
	$(INSTALL) -m 0644 dist/grub/memmap.cfg $(DESTDIR)$(PREFIX)/share/memmap/grub/
	$(INSTALL) -m 0644 $(wildcard dist/man/*.8) $(DESTDIR)$(PREFIX)/share/man/man8/

# --- tests ------------------------------------------------------------------
CHECK_CFLAGS = $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

$(BUILD)/test/unit: $(CORE_SRCS:%.c=$(BUILD)/test/%.o) $(DT_SRCS:%.c=$(BUILD)/test/%.o) \
		    $(BUILD)/test/cli/mapread.o $(BUILD)/test/cli/file.o \
		    $(UNIT_SRCS:%.c=$(BUILD)/test/%.o)
	$(CC) $(TEST_CFLAGS) $^ $(CHECK_LIBS) -lfec -lfdt -lz -o $@

# make check runs every stage, even after one fails, and names the failed
CHECK_STAGES = unit fixtures dt-fixtures clitest clitest-install fuzz-check $(QEMU_STAGES)
check: deps-check
	$(MAKE) --no-print-directory all $(BUILD)/test/unit $(BUILD)/test/memmap \
		$(BUILD)/lookup.efi $(BUILD)/hostile.efi $(BUILD)/fillvars.efi \
		$(BUILD)/memmap-static $(BUILD)/varstore
	@failed=; for t in $(CHECK_STAGES); do \
		echo "=== check: $$t"; \
		$(MAKE) --no-print-directory $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "check: FAILED:$$failed"; exit 1; fi; \
	echo "check: all $(words $(CHECK_STAGES)) stages passed"

unit: $(BUILD)/test/unit
	CK_FORK=no $(BUILD)/test/unit

fixtures: $(BUILD)/test/memmap
	bash tests/linux/check-fixtures.sh $(BUILD)/test/memmap

# memmap dt against Debian's arm64 6.1 and 6.12 (fixtures-dt, make oracle-dt)
dt-fixtures: $(BUILD)/test/memmap
	bash tests/linux/check-dt-fixtures.sh $(BUILD)/test/memmap

# Every script runs even when one fails; the last line is options'
clitest: $(BUILD)/test/memmap
	@s=0; bash tests/cli/malformed.sh $(BUILD)/test/memmap || s=1; \
	bash tests/cli/malformed-dt.sh $(BUILD)/test/memmap || s=1; \
	bash tests/cli/options.sh $(BUILD)/test/memmap || s=1; exit $$s

clitest-install: $(BUILD)/test/memmap
	bash tests/cli/install.sh $(BUILD)/test/memmap

# Each script of the QEMU stages boots OVMF (and Debian's kernel) itself
QEMU_STAGES := qemu/efi qemu/kernel linux/pstore qemu/boot qemu/bootentry \
	       qemu/secureboot qemu/chains qemu/install qemu/sbchain qemu/failsafe \
	       linux/dt-pstore qemu/aa64
.PHONY: $(QEMU_STAGES)
qemu: $(QEMU_STAGES)
# A test tool: adds a variable to an OVMF variables image
$(BUILD)/varstore: tests/qemu/varstore.c
	$(CC) $(HOST_CFLAGS) $< -o $@

$(QEMU_STAGES): $(BUILD)/memmap $(BUILD)/memmap.efi $(BUILD)/lookup.efi $(BUILD)/varstore \
		$(BUILD)/fillvars.efi $(BUILD)/memmap-static $(BUILD)/memmap-aa64.efi
	bash tests/$@.sh $(BUILD)

# --- demo and reference ----------------------------------------------------
# make run [ARGS='[OPTION...] [WORD...] [-- PATH [ARG...]]']: every argument,
# options and their values too, reaches memmap.efi (see tests/qemu/run.sh)
ARCH ?= x64
ifeq ($(ARCH),aa64)
# arm64: the regions go into the device tree; no fixed-address forms there
ARGS ?= 'memmap=12M*4096:oops' ramoops.mem_name=oops 'reserve_mem=2M:2M:trace'
else
ARGS ?= 'memmap=12M*4096:oops' ramoops.mem_name=oops 'memmap=1M$$0x10000000'
endif
# make run ARCH=aa64: the same with memmap-aa64.efi under AAVMF
RUN_EFI := $(if $(filter aa64,$(ARCH)),$(BUILD)/memmap-aa64.efi,$(BUILD)/memmap.efi)
run: deps-run
	$(MAKE) --no-print-directory $(RUN_EFI)
	ARCH=$(ARCH) bash tests/qemu/run.sh $(BUILD) $(ARGS)

deps-run:
	$(call install_pkgs,$(PKGS_RUN) $(if $(filter aa64,$(ARCH)),$(PKGS_AA64) $(PKGS_DT)))

# make sign KEY=key.pem CERT=cert.pem [SIGN=build/x.efi]: X.signed.efi
SIGN ?= $(BUILD)/memmap.efi
sign: $(SIGN)
	@if [ -z "$(KEY)" ] || [ -z "$(CERT)" ]; then \
		echo "usage: make sign KEY=key.pem CERT=cert.pem [SIGN=file.efi]" >&2; exit 2; fi
	$(call install_pkgs,sbsigntool)
	sbsign --key $(KEY) --cert $(CERT) --output $(SIGN:.efi=.signed.efi) $(SIGN)

oracle:
	bash tests/linux/oracle.sh

# What Debian's arm64 6.1 and 6.12 do with each DT of tests/linux/dt-cases
oracle-dt:
	$(call install_pkgs,$(PKGS_DT))
	bash tests/linux/dt-oracle.sh

clean:
	rm -rf $(BUILD)

# Fuzzing (make fuzz, fuzz-check) and benchmarks (make bench)
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk

-include $(shell find $(BUILD)/host $(BUILD)/test $(BUILD)/efi $(BUILD)/efi-aa64 -name '*.d' -type f 2>/dev/null)
