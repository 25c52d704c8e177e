#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Compare `memmap dt` with what Debian's arm64 Linux printed booting each
# device tree that tests/linux/dt-oracle.sh recorded (fixtures-dt/6.1,
# fixtures-dt/6.12; the booted DTs in fixtures-dt/dts):
#  1. the kernel's lines about reserved memory (OF: reserved mem:,
#     OF: fdt: Reserved memory:, Reserved memory:, cma: Not enough slots,
#     and the second line of each OVERLAP record), line for line, in order,
#     against memmap dt --linux V for the same DTB, with what the kernel
#     held before its scan given as --reserved: its image (the
#     memblock_reserve line of arm64_memblock_init in the log) and the DTB
#     where QEMU put it (0x48000000, (file size + 10000) * 2 bytes: QEMU
#     opens the blob into twice its size plus 10000);
#  2. 6.1 prints no line for a region it placed: memmap's region lines
#     for the nodes it places (dynamic_nodes below) are compared, in order, with
#     the placements 6.1 traced with memblock=debug (each
#     memblock_phys_alloc_range of early_init_dt_alloc_reserved_memory_arch
#     and the memblock_reserve after it);
#  3. memmap's exit status is 3 exactly when the kernel printed an error
#     or warning about reserved memory, else 0.
# Usage: check-dt-fixtures.sh MEMMAP [LOG...]
set -euo pipefail

memmap=${1:?usage: check-dt-fixtures.sh MEMMAP [LOG...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/linux/oracle-lib.sh
. "$here/oracle-lib.sh"
fx=$here/fixtures-dt
all=0
if [ $# -eq 0 ]; then
	all=1
	set -- "$fx"/6.1/*.log "$fx"/6.12/*.log
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
min_cases=20
declare -A cases


# The kernel's reserved-memory lines, timestamps dropped
kernel_lines() {
	sed 's/^\[[ 0-9.]*\] //' "$1" | awk '
		ov { print; ov = 0; next }
		/^OF: reserved mem: |^OF: fdt: Reserved memory: |^Reserved memory: |^cma: Not enough slots/ {
			print
			if (/OVERLAP DETECTED!$/)
				ov = 1
		}'
}

# 6.1's dynamic placements, in order: BASE..LAST
traced_placements() {
	sed 's/^\[[ 0-9.]*\] //' "$1" | awk '
		want && /^memblock_reserve: / {
			gsub(/[][]/, "", $2); split($2, r, "-"); print r[1] ".." r[2]
		}
		{ want = /^memblock_phys_alloc_range: .*early_init_dt_alloc_reserved_memory_arch/ }'
}

# The children of /reserved-memory 6.1 places: available, with size, and
# with no reg or a first reg pair of size 0 (6.1 saves that pair, then
# places the node as a dynamic one)
dynamic_nodes() {
	local dtb=$1 n props ac sc reg i zero
	ac=$(fdtget -t u "$dtb" / '#address-cells')
	sc=$(fdtget -t u "$dtb" / '#size-cells')
	{ fdtget -l "$dtb" /reserved-memory 2>/dev/null || true; } | while read -r n; do
		props=$(fdtget -p "$dtb" "/reserved-memory/$n")
		grep -qx size <<< "$props" || continue
		if grep -qx status <<< "$props"; then
			case $(fdtget "$dtb" "/reserved-memory/$n" status) in
			ok|okay) ;;
			*) continue ;;
			esac
		fi
		if grep -qx reg <<< "$props"; then
			read -r -a reg <<< "$(fdtget -t x "$dtb" "/reserved-memory/$n" reg)"
			zero=1
			for ((i = ac; i < ac + sc; i++)); do
				[ "${reg[i]:-0}" = 0 ] || zero=0
			done
			[ $zero = 1 ] || continue
		fi
		echo "$n"
	done
}

for log in "$@"; do
	v=$(basename "$(dirname "$log")")
	c=$(basename "$log" .log)
	name=$v/$c
	cases[$v]=$((${cases[$v]:-0} + 1))
	dtb=$tmp/$c.dtb
	[ -f "$dtb" ] || dtc -q -I dts -O dtb -o "$dtb" "$fx/dts/$c.dts"
	size=$(stat -c %s "$dtb")
	held_dtb=$(printf '0x48000000-0x%x' $((0x48000000 + (size + 10000) * 2 - 1)))
	held_kernel=$(sed -n 's/.*memblock_reserve: \[\(0x[0-9a-f]*-0x[0-9a-f]*\)\] arm64_memblock_init.*/\1/p' "$log" | head -1)
	if [ -z "$held_kernel" ]; then
		fail=$((fail + 1))
		echo "FAIL: $name: no kernel image reservation in the log"
		continue
	fi

	kernel_lines "$log" > "$tmp/want"
	rc=0
	"$memmap" dt --linux "$v" --reserved "$held_kernel" --reserved "$held_dtb" \
		"$dtb" > "$tmp/got" || rc=$?
	region='^OF: reserved mem: 0x[0-9a-f]*\.\.0x[0-9a-f]* '
	if [ "$v" = 6.1 ]; then
		grep -v "$region" "$tmp/got" > "$tmp/cmp" || true
	else
		cp "$tmp/got" "$tmp/cmp"
	fi
	report "$name" "the kernel's lines" "$tmp/want" "$tmp/cmp"

	if [ "$v" = 6.1 ]; then
		traced_placements "$log" > "$tmp/want"
		dynamic_nodes "$dtb" > "$tmp/dyn"
		{ grep "$region" "$tmp/got" || true; } | awk 'NR == FNR { d[$0] = 1; next }
			d[$NF] { split($4, r, "\\.\\."); print r[1] ".." r[2] }' "$tmp/dyn" - > "$tmp/cmp"
		report "$name" "dynamic placements (memblock=debug)" "$tmp/want" "$tmp/cmp"
	fi

	kernel_lines "$log" > "$tmp/all"
	want_rc=0
	if grep -q "failed to\|invalid \|OVERLAP\|not enough space\|too many defined\|unsupported node\|ignores [0-9]\|incorrect alignment\|unable to setup\|Not enough slots\|matching fail" "$tmp/all"; then
		want_rc=3
	fi
	if [ "$rc" -eq "$want_rc" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: exit status $rc, want $want_rc"
	fi
done

for v in 6.1 6.12; do
	if [ $all = 1 ] && [ "${cases[$v]:-0}" -lt $min_cases ]; then
		fail=$((fail + 1))
		echo "FAIL: only ${cases[$v]:-0} fixtures for $v (want $min_cases or more)"
	fi
done
echo "dt-fixtures: $pass passed, $fail failed (cases 6.1: ${cases[6.1]:-0}, 6.12: ${cases[6.12]:-0})"
[ "$fail" -eq 0 ]
