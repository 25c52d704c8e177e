# SPDX-License-Identifier: GPL-2.0-or-later
# Fuzzing with libFuzzer (clang), included by the top Makefile.
#   make fuzz [FUZZ_SECONDS=60]  build every target, fuzz each for
#                                FUZZ_SECONDS from its committed corpus
#                                (new inputs: build/fuzz/corpus-NAME)
#   make fuzz-check              replay every committed corpus file through
#                                its target, then fuzz each briefly (seed 1)
#   make fuzz-corpus             regenerate the seeds in tests/fuzz/corpus/
# Targets (tests/fuzz/NAME.c): cmdline e820ops pstore_region inflate dt.
# The core is compiled in with ASan+UBSan and libFuzzer's coverage;
# dt adds the device-tree part of the core (DT_SRCS) and links libfdt;
# inflate links the firmware build of zlib (Debian's source, Z_SOLO), with
# Z_PREFIX so that all its symbols are z_*, beside the system zlib it is
# checked against (tests/fuzz/zref.c).

FUZZ_CC      ?= clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_SRC     := tests/fuzz
FUZZ_SECONDS ?= 60
# fuzz-check: executions per target after the replay, a fixed count with a
# fixed seed so that every machine runs the same inputs (a time limit made
# a slower or faster machine fuzz other inputs); the seconds are only a
# guard against a hang
FUZZ_CHECK_RUNS    ?= 20000
FUZZ_CHECK_SECONDS ?= 600
FUZZ_TARGETS := cmdline e820ops pstore_region inflate dt
# -max_len per target: a command line; ~150 operations; a parameter
# header and a region (repeated to mem_size, up to 64 KiB); a record; a
# small device tree (the seeds are 0.3-3 KiB: a root, /memory and
# /reserved-memory, not QEMU's whole 8 KiB tree)
FUZZ_MAXLEN_cmdline       := 1024
FUZZ_MAXLEN_e820ops       := 640
FUZZ_MAXLEN_pstore_region := 16384
FUZZ_MAXLEN_inflate       := 8192
FUZZ_MAXLEN_dt            := 4096
FUZZ_SPECS = $(foreach t,$(FUZZ_TARGETS),$(t):$(FUZZ_MAXLEN_$(t)))

# Debian 12: clang 14; libFuzzer and the sanitizer runtimes are in
# libclang-rt-14-dev; libfdt for dt, dtc for its seeds
PKGS_FUZZ := clang libclang-rt-14-dev zlib1g-dev bzip2 xz-utils libfdt-dev \
	     device-tree-compiler

FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := $(WARN) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_COV    := -fsanitize=fuzzer-no-link
# zlib's own symbols that Z_PREFIX leaves alone (Z_SOLO defines them)
FUZZ_ZLIB_RENAME := -Dzmemcpy=z_zmemcpy -Dzmemcmp=z_zmemcmp -Dzmemzero=z_zmemzero
FUZZ_ZLIB_DEFS   := -DZ_SOLO -DZ_PREFIX $(FUZZ_ZLIB_RENAME)

FUZZ_CORE_OBJS := $(CORE_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_DT_OBJS   := $(DT_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
# The inflate target: the core with the firmware zlib instead of -lz
FUZZ_FW_OBJS   := $(filter-out $(FUZZ_DIR)/obj/pstore/inflate.o,$(FUZZ_CORE_OBJS)) \
		  $(FUZZ_DIR)/fw/pstore/inflate.o $(ZLIB_MODS:%=$(FUZZ_DIR)/zlib/%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

.PHONY: fuzz fuzz-check fuzz-build fuzz-corpus deps-fuzz

deps-fuzz:
	$(call install_pkgs,$(PKGS_FUZZ))

fuzz-build: deps-fuzz
	$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz: fuzz-build
	bash $(FUZZ_SRC)/run.sh fuzz $(FUZZ_DIR) $(FUZZ_SRC)/corpus \
		$(FUZZ_SECONDS) $(FUZZ_SPECS)

fuzz-check: fuzz-build
	bash $(FUZZ_SRC)/run.sh check $(FUZZ_DIR) $(FUZZ_SRC)/corpus \
		$(FUZZ_CHECK_RUNS) $(FUZZ_CHECK_SECONDS) $(FUZZ_SPECS)

fuzz-corpus: deps-fuzz
	$(MAKE) --no-print-directory $(FUZZ_DIR)/gen_corpus
	$(FUZZ_DIR)/gen_corpus $(FUZZ_SRC)/corpus tests/linux/cases.txt \
		tests/cli/malformed.txt
	bash $(FUZZ_SRC)/gen_dt_corpus.sh $(FUZZ_SRC)/corpus/dt tests/linux/dt-cases

# --- objects ---------------------------------------------------------------
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) -MMD -MP -c $< -o $@

# The firmware zlib, every global symbol z_-prefixed (checked below)
$(FUZZ_DIR)/zlib/%.o: $(ZLIB_SRC)/zlib.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) $(FUZZ_COV) -w \
		$(FUZZ_ZLIB_DEFS) -I$(ZLIB_SRC) -c $(ZLIB_SRC)/$*.c -o $@

$(FUZZ_DIR)/zlib/prefixed.ok: $(ZLIB_MODS:%=$(FUZZ_DIR)/zlib/%.o)
	@bad=$$(nm -g --defined-only $^ | awk 'NF == 3 { print $$3 }' | \
		sed 's/^__odr_asan_gen_//' | grep -v '^z_' | \
		grep -v -E '^(__asan|__sancov|__ubsan)' || true); \
	if [ -n "$$bad" ]; then \
		echo "fuzz: firmware zlib symbols without the z_ prefix:" $$bad >&2; \
		exit 1; \
	fi; touch $@

$(FUZZ_DIR)/fw/pstore/inflate.o: pstore/inflate.c $(ZLIB_SRC)/zlib.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_COV) $(FUZZ_ZLIB_DEFS) -isystem $(ZLIB_SRC) \
		-MMD -MP -c $< -o $@

# The reference: the system zlib's <zlib.h>, no coverage (not a target)
$(FUZZ_DIR)/zref.o: $(FUZZ_SRC)/zref.c $(FUZZ_SRC)/zref.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# --- targets ---------------------------------------------------------------
$(filter-out $(FUZZ_DIR)/inflate $(FUZZ_DIR)/dt,$(FUZZ_BINS)): $(FUZZ_DIR)/%: \
		$(FUZZ_DIR)/obj/$(FUZZ_SRC)/%.o $(FUZZ_CORE_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -lz -o $@

# The device tree: the core and dt/, libfdt as the host build links it
$(FUZZ_DIR)/dt: $(FUZZ_DIR)/obj/$(FUZZ_SRC)/dt.o $(FUZZ_CORE_OBJS) $(FUZZ_DT_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $^ -lfdt -lz -o $@

$(FUZZ_DIR)/inflate: $(FUZZ_DIR)/obj/$(FUZZ_SRC)/inflate.o $(FUZZ_FW_OBJS) \
		     $(FUZZ_DIR)/zref.o $(FUZZ_DIR)/zlib/prefixed.ok
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(filter %.o,$^) -lz -o $@

# The seed generator: plain build, the core and the system zlib
$(FUZZ_DIR)/gen_corpus: $(FUZZ_SRC)/gen_corpus.c $(CORE_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter %.c,$^) -lz -o $@
