#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: Linux's own e820 code as the reference.  Fetches Debian 12's
# linux source package (efi/fetch-src.sh: only arch/x86/kernel/e820.c,
# asm/e820/types.h and lib/sort.c, Debian's patches to them applied) and
# cuts out of it the pieces the bench runs: the types, __e820__range_add,
# __e820__range_update, e820__range_remove, e820__update_table and what
# they call.  DIR/e820.c gets them (included by tests/bench/linux_e820.c
# with tests/bench/linux_shim.h), DIR/src/lib/sort.c is built beside,
# DIR/VERSION names the source.  Never committed.
# Usage: linux-e820.sh DIR
set -euo pipefail

dir=${1:?usage: linux-e820.sh DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"
bash "$top/efi/fetch-src.sh" linux "" "$dir/src" arch/x86/kernel/e820.c \
	arch/x86/include/asm/e820/types.h lib/sort.c > "$dir/fetch.log"
sed -n 's/^fetch-src: linux_\(.*\)\.orig\.tar\.[a-z0-9]* .*/\1/p' "$dir/fetch.log" > "$dir/VERSION"
e=$dir/src/arch/x86/kernel/e820.c
t=$dir/src/arch/x86/include/asm/e820/types.h

# The top-level item whose first line matches $1, to its closing brace
item() {
	awk -v re="$1" '
		!p && $0 ~ re { p = 1; if (prev ~ /^static [a-z0-9_ ]*__init$/) print prev }
		p { print }
		p && /^}/ { exit }
		{ prev = $0 }' "$2"
}

{
	echo "/* Cut from Debian's linux $(cat "$dir/VERSION") by tests/bench/linux-e820.sh: Linux's code, not memmap's */"
	item '^enum e820_type \{' "$t"
	item '^struct e820_entry \{' "$t"
	item '^struct e820_table \{' "$t"
	item '^static void __init __e820__range_add\(' "$e"
	item '^void __init e820__range_add\(' "$e"
	item '^static void __init e820_print_type\(' "$e"
	item '^struct change_member \{' "$e"
	grep -E '^static struct (change_member|e820_entry)[[:space:]].*__initdata;$' "$e"
	item '^static int __init cpcompare\(' "$e"
	item '^static bool e820_nomerge\(' "$e"
	item '^int __init e820__update_table\(' "$e"
	item '^__e820__range_update\(' "$e"
	item '^u64 __init e820__range_remove\(' "$e"
} > "$dir/e820.c.tmp"
for f in __e820__range_add e820__range_add e820_print_type cpcompare \
	 e820_nomerge e820__update_table __e820__range_update e820__range_remove \
	 change_point_list new_entries; do
	grep -Eq "(^|[^a-z_])$f[^a-z_]" "$dir/e820.c.tmp" || {
		echo "linux-e820: $f not found in $e" >&2
		exit 1
	}
done
mv "$dir/e820.c.tmp" "$dir/e820.c"
# lib/sort.c's includes, given by the shim
mkdir -p "$dir/include/linux"
for h in types export sort; do
	: > "$dir/include/linux/$h.h"
done
echo "linux-e820: Linux $(cat "$dir/VERSION") -> $dir/e820.c"
