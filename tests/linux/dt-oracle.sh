#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Device-tree reserved-memory oracle: boot Debian's real arm64 Linux
# kernels, 6.1 (Debian 12) and 6.12 (Debian 13), under QEMU's virt machine
# with QEMU's own device tree plus each case of dt-cases/ (a /reserved-memory
# node, /memreserve/ entries), and keep what each kernel prints about
# reserved memory as fixtures-dt/VERSION/CASE.log, and the device tree
# source that was booted as fixtures-dt/dts/CASE.dts.
#
# Usage: bash tests/linux/dt-oracle.sh [CASE...]     (no CASE: every case)
#
# Environment:
#   DT_LINUX    the kernels, "6.1 6.12" by default
#   DT_CACHE    where the DTBs and raw serial logs go
#               (default: <repo>/build/dt-oracle)
#   DT_MEM      QEMU -m (default 1G; the cases assume 1G)
#   DT_TIMEOUT  seconds per boot (default 120)
#
# Runs one QEMU at a time (a lock in the cache dir enforces it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cases_dir=$here/dt-cases
fixtures_top=$here/fixtures-dt
cache=${DT_CACHE:-$repo/build/dt-oracle}
kernels=${DT_LINUX:-6.1 6.12}

log() { printf 'dt-oracle: %s\n' "$*" >&2; }
die() { printf 'dt-oracle: ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=tests/linux/dt-guest.sh
. "$here/dt-guest.sh"
# shellcheck source=tests/linux/oracle-lib.sh
. "$here/oracle-lib.sh"

ensure_packages() {
	local missing=() p
	for p in qemu-system-arm device-tree-compiler; do
		if ! dpkg -s "$p" > /dev/null 2>&1; then
			missing+=("$p")
		fi
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		[ "$(id -u)" = 0 ] || die "missing packages ${missing[*]} (run as root to install them)"
		log "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 || {
			apt-get update -qq >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
		}
	fi
	command -v "$DT_QEMU" > /dev/null || die "$DT_QEMU not found"
	command -v "$DT_DTC" > /dev/null || die "$DT_DTC not found"
}

# Keep the fixture lines, in order: everything the kernel says about
# reserved memory (its "OF: " lines, the CMA and DMA pool lines, the
# unprefixed second line of an OVERLAP report), every memblock=debug
# reservation, allocation, free and removal, the "MEMBLOCK configuration"
# dump up to its last memory/reserved line, warnings, and the lines that
# name the machine, the kernel and its command line; not the page-table
# allocations of paging_init and their reservations.
filter_lines() {
	LC_ALL=C awk '
		dump {
			if ($0 ~ /^\[[ 0-9.]*\] +(memory|reserved)/) { print; next }
			dump = 0
		}
		index($0, "MEMBLOCK configuration:") { print; dump = 1; next }
		# Page-table pages (paging_init): about 500 allocations and
		# their reservations, nothing to do with reserved memory
		index($0, "early_pgtable_alloc") { pgtable = 1; next }
		pgtable && index($0, "memblock_reserve") { pgtable = 0; next }
		{ pgtable = 0 }
		index($0, "OF: ") || index($0, "Reserved memory") ||
		index($0, "reserved mem") || index($0, "cma: ") ||
		index($0, " overlaps with ") ||
		index($0, "memblock_reserve") || index($0, "memblock_phys_alloc") ||
		index($0, "memblock_alloc") || index($0, "memblock_phys_free") ||
		index($0, "memblock_free") || index($0, "memblock_remove") ||
		index($0, "WARNING:") ||
		index($0, "Machine model") || index($0, "Linux version") ||
		index($0, "Kernel command line") { print }
	' "$1"
}

# Check a boot; prints the problems, returns non-zero if any.
check_boot() {
	local serial=$1 fix=$2 kname=$3 bad=0 cmd
	if ! grep -qF 'Kernel panic - not syncing: VFS: Unable to mount root fs' "$serial"; then
		echo "did not reach the root-mount panic (last panic line: $(grep -m 1 -F 'Kernel panic' "$serial" || echo none))"
		bad=1
	fi
	cmd=$(grep -m 1 -F 'Kernel command line:' "$fix" | sed 's/^.*Kernel command line: //') || true
	if [ "$cmd" != "$DT_APPEND" ]; then
		echo "Kernel command line is '$cmd', expected '$DT_APPEND'"
		bad=1
	fi
	if ! grep -qF "Linux version $kname " "$fix"; then
		echo "no 'Linux version $kname' line"
		bad=1
	fi
	if ! grep -qF 'Machine model: linux,dummy-virt' "$fix"; then
		echo "no 'Machine model: linux,dummy-virt' line"
		bad=1
	fi
	if ! grep -qF 'MEMBLOCK configuration:' "$fix"; then
		echo "no MEMBLOCK configuration dump"
		bad=1
	fi
	return "$bad"
}

# Boot one case with the current kernel; returns non-zero on failure.
# Appends its Linux version line to $versions.
run_case() {
	local name=$1 run=$cache/runs/$linux/$1 start problems
	rm -rf "$run"
	mkdir -p "$run"
	start=$SECONDS
	if ! dt_boot "$vmlinuz" "$cache/dtb/$name.dtb" "$run/serial.txt"; then
		log "$linux $name: FAILED: the boot did not end (see $run/serial.txt)"
		return 1
	fi
	filter_lines "$run/serial.txt" > "$run/fixture.log"
	if ! problems=$(check_boot "$run/serial.txt" "$run/fixture.log" "$kname"); then
		{
			printf 'dt-oracle: %s %s: FAILED after %ss:\n' "$linux" "$name" "$((SECONDS - start))"
			printf '%s\n' "$problems" | sed 's/^/  /'
			printf '  --- last 30 lines of %s ---\n' "$run/serial.txt"
			tail -n 30 "$run/serial.txt" | sed 's/^/  | /'
		} >&2
		return 1
	fi
	grep -m 1 -F 'Linux version' "$run/serial.txt" >> "$versions"
	cp "$run/fixture.log" "$fixtures/$name.log"
	log "$linux $name: ok in $((SECONDS - start))s ($(wc -l < "$fixtures/$name.log") lines)"
}

main() {
	local names=() f n failed=() total_start=$SECONDS full=0 qver pkgline partial_k=1
	for f in "$cases_dir"/*.dtsi; do
		n=$(basename "$f" .dtsi)
		[[ $n =~ ^[a-z0-9][a-z0-9-]*$ ]] || die "bad case file name $f"
		names+=("$n")
	done
	[ "${#names[@]}" -gt 0 ] || die "no cases in $cases_dir"
	if [ "$#" -gt 0 ]; then
		for n in "$@"; do
			[ -f "$cases_dir/$n.dtsi" ] || die "unknown case '$n' (see $cases_dir)"
		done
		names=("$@")
	fi
	for linux in $kernels; do
		case $linux in 6.1 | 6.12) ;; *) die "DT_LINUX: $linux is not 6.1 or 6.12" ;; esac
	done
	# Both kernels: the DTS fixtures (shared by both) may change
	if [[ " $kernels " == *" 6.1 "* ]] && [[ " $kernels " == *" 6.12 "* ]]; then
		partial_k=0
		[ "$#" -gt 0 ] || full=1
	fi

	ensure_packages
	mkdir -p "$cache/dtb" "$fixtures_top/dts"
	[[ $cache != *,* ]] || die "cache path must not contain a comma (QEMU option syntax): $cache"
	exec 9> "$cache/.lock"
	flock -n 9 || die "another dt-oracle run holds $cache/.lock (run one QEMU at a time)"

	# The DTS depends on QEMU's version: one QEMU for all fixtures
	qver=$("$DT_QEMU" --version | head -n 1)
	if [ "$full" = 0 ] && [ -f "$fixtures_top/QEMU" ] &&
		[ "$(head -n 1 "$fixtures_top/QEMU")" != "$qver" ]; then
		die "fixtures-dt were made with '$(head -n 1 "$fixtures_top/QEMU")', not '$qver': regenerate every case for both kernels (no arguments, no DT_LINUX)"
	fi
	{ printf '%s\n' "$qver"; "$DT_DTC" --version | head -n 1; } > "$fixtures_top/QEMU"

	# One DTB per case for both kernels; its source is the DTS fixture
	for n in "${names[@]}"; do
		dt_dtb "$cases_dir/$n.dtsi" "$cache/dtb/$n.dtb" || die "$n: cannot make the DTB"
		if [ "$partial_k" = 1 ] && [ -f "$fixtures_top/dts/$n.dts" ] &&
			! cmp -s "$cache/dtb/$n.dts" "$fixtures_top/dts/$n.dts"; then
			die "$n: the DTS differs from fixtures-dt/dts/$n.dts, which the other kernel's fixture was made with: run both kernels"
		fi
		cp "$cache/dtb/$n.dts" "$fixtures_top/dts/$n.dts"
	done

	for linux in $kernels; do
		fixtures=$fixtures_top/$linux
		mkdir -p "$fixtures"
		dt_kernel "$linux" || die "cannot fetch Debian's arm64 $linux kernel"
		vmlinuz=$DT_VMLINUZ
		kname=$(basename "$vmlinuz")
		kname=${kname#vmlinuz-}
		log "kernel: $DT_KPKG $DT_KVERSION ($vmlinuz)"
		pkgline="package: $DT_KPKG $DT_KVERSION"
		fixtures_kernel_check "$fixtures" "$pkgline" "$#" \
			"regenerate all cases (no arguments)"

		versions=$cache/versions-$linux.txt
		: > "$versions"
		for n in "${names[@]}"; do
			run_case "$n" || failed+=("$linux/$n")
		done

		fixtures_kernel_write "$fixtures" "$pkgline" "$versions" "$linux" ||
			failed+=("($linux version mismatch)")
	done

	log "${#names[@]} case(s) for $kernels in $((SECONDS - total_start))s"
	if [ "${#failed[@]}" -gt 0 ]; then
		die "failed: ${failed[*]}"
	fi
}

main "$@"
