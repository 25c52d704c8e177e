#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Compare memmap with Linux's own output, line for line, for every
# fixture that tests/linux/oracle.sh recorded (fixtures/6.1, fixtures/6.12):
#  1. memmap --map (the kernel's efi: memNN lines) prints the kernel's
#     BIOS-e820 lines;
#  2. memmap --map (the kernel's BIOS-e820 lines) plus the kernel's own
#     command line prints the kernel's user: lines.  The kernel retypes its
#     setup_data ranges to 128 after the options and before it prints the
#     user map; those "e820: update [mem X-Y] usable ==> usable" lines are
#     replayed as memmap=SIZE%X-1+128;
#  3. for each line of placed.txt, memmap's rewrite of its words is the
#     command line the kernel booted with for that fixture;
#  4. the lines 6.12 prints unlike 6.1 are there (README, "Linux 6.12").
# Usage: check-fixtures.sh MEMMAP [FIXTURE...]
set -euo pipefail

memmap=${1:?usage: check-fixtures.sh MEMMAP [FIXTURE...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/linux/oracle-lib.sh
. "$here/oracle-lib.sh"
if [ $# -eq 0 ]; then
	set -- "$here"/fixtures/*/*.log
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
min_fixtures=24

# Lines after the first "TAG" on each line that has it, prefix dropped
lines_of() {
	sed -n "s/^.*\($1\)/\1/p" "$2"
}


for fx in "$@"; do
	name=$(basename "$(dirname "$fx")")/$(basename "$fx" .log)

	# 1. EFI map -> BIOS-e820
	grep 'efi: mem' "$fx" > "$tmp/efi.log" || true
	lines_of 'BIOS-e820: .*' "$fx" > "$tmp/bios.exp"
	if [ ! -s "$tmp/efi.log" ] || [ ! -s "$tmp/bios.exp" ]; then
		echo "FAIL: $name: fixture has no efi: or BIOS-e820: lines"
		fail=$((fail + 1))
		continue
	fi
	"$memmap" --map "$tmp/efi.log" > "$tmp/out1" 2> "$tmp/err1" || {
		echo "FAIL: $name: memmap exited $? on the efi: lines"; cat "$tmp/err1"
		fail=$((fail + 1)); continue; }
	grep '^BIOS-e820: ' "$tmp/out1" > "$tmp/bios.got" || true
	report "$name" "BIOS-e820 from efi: lines" "$tmp/bios.exp" "$tmp/bios.got"

	# 2. BIOS-e820 + the kernel's command line -> user:
	grep 'BIOS-e820: ' "$fx" > "$tmp/bios.log"
	cmdline=$(lines_of 'Command line: .*' "$fx" | head -n 1)
	cmdline=${cmdline#Command line: }
	read -ra words <<< "$cmdline"
	lines_of 'user: \[mem .*' "$fx" > "$tmp/user.exp"
	# Without a memory option the kernel prints no user map: then there
	# is nothing to replay, and memmap must print none either
	if [ -s "$tmp/user.exp" ]; then
		while read -r x y; do
			words+=("memmap=$((y - x + 1))%$x-1+128")
		done < <(sed -n '/BIOS-provided physical RAM map/,$ s/.*e820: update \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\] usable ==> usable.*/\1 \2/p' "$fx")
	fi
	"$memmap" --map "$tmp/bios.log" -- "${words[@]}" > "$tmp/out2" 2> "$tmp/err2" || {
		echo "FAIL: $name: memmap exited $? on: ${words[*]}"; cat "$tmp/err2"
		fail=$((fail + 1)); continue; }
	grep '^user: ' "$tmp/out2" > "$tmp/user.got" || true
	report "$name" "user: lines for: ${words[*]}" "$tmp/user.exp" "$tmp/user.got"
done

# 3. Placed regions: memmap's rewrite is the line the kernel booted with
while read -r base placed; do
	case $base in '' | '#'*) continue ;; esac
	seen=0
	for fx in "$@"; do
		[ "$(basename "$fx" .log)" = "$base" ] || continue
		seen=$((seen + 1))
		name=$(basename "$(dirname "$fx")")/$base
		grep 'BIOS-e820: ' "$fx" > "$tmp/bios.log"
		read -ra words <<< "$placed"
		cmdline=$(lines_of 'Command line: .*' "$fx" | head -n 1)
		if "$memmap" --map "$tmp/bios.log" -- "${words[@]}" > "$tmp/out3" 2>&1 &&
		   got=$(sed -n 's/^cmdline: //p' "$tmp/out3") && [ -n "$got" ] &&
		   [ "${cmdline#Command line: "$got" }" != "$cmdline" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $name: memmap's rewrite of $placed is not the kernel's line"
			echo "    kernel: $cmdline"; sed 's/^/    memmap: /' "$tmp/out3"
		fi
	done
	if [ $# -gt 1 ] && [ "$seen" -eq 0 ]; then
		echo "FAIL: placed.txt: no fixture $base"
		fail=$((fail + 1))
	fi
done < "$here/placed.txt"

# 4. What 6.12 prints unlike 6.1 (README): each setup_data update once
# (6.1: twice, for e820_table and e820_table_kexec), and after the user
# map the EFI MMIO range of the flash removed
for fx in "$@"; do
	v=$(basename "$(dirname "$fx")")
	name=$v/$(basename "$fx" .log)
	ups=$(sed -n '/BIOS-provided physical RAM map/,/extended physical RAM map/ s/.*\(e820: update .*usable ==> usable\)$/\1/p' "$fx")
	n=$(printf '%s' "$ups" | grep -c . || true)
	d=$(printf '%s' "$ups" | sort -u | grep -c . || true)
	mmio=$(grep -c 'e820: remove \[mem 0xffc00000-0xffffffff\] reserved$' "$fx" || true)
	case $v in
	6.1) want="$((2 * d)) 0" ;;
	6.12) want="$d 1" ;;
	*) want=unknown ;;
	esac
	if [ "$d" -ge 1 ] && [ "$n $mmio" = "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: $n setup_data update lines for $d ranges, $mmio flash removals; Linux $v prints $want"
	fi
done

# Each kernel's set is whole
counts=
for v in 6.1 6.12; do
	n=$(printf '%s\n' "$@" | grep -c "/$v/[^/]*\.log$" || true)
	counts="$counts, $v: $n"
	if [ "$n" -lt "$min_fixtures" ]; then
		echo "FAIL: Linux $v: only $n fixtures, at least $min_fixtures expected"
		fail=$((fail + 1))
	fi
done
echo "fixtures: $pass passed, $fail failed (fixture files${counts#,})"
[ "$fail" -eq 0 ]
