#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make bench: run every measurement once, print one Markdown table and
# write it to BUILD/bench/table.md.  Nothing is asserted: a measurement
# that cannot be taken shows "n/a" and why.
# Usage: bench.sh BUILD_DIR   (make bench builds what it needs first)
set -euo pipefail

build=${1:?usage: bench.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$root/tests/qemu/lib.sh"
out="$build/bench"
log="$root/tests/linux/fixtures/6.1/m512-base.log"
runs=${BENCH_QEMU_RUNS:-5}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows="$tmp/rows"
: > "$rows"

# row MEASUREMENT CASE MEMMAP REFERENCE RATIO NOTE
row() {
	printf '| %s | %s | %s | %s | %s | %s |\n' "$@" >> "$rows"
}

# Thousands separators for an integer
group() {
	printf '%s' "$1" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

echo "bench: e820 (against Linux's) and Reed-Solomon (host, -O2)..." >&2
"$out/bench" > "$tmp/host.tsv"
while IFS=$'\t' read -r sec what ours ref ratio note; do
	case $sec in
	e820) row "e820 add/update/remove + sanitize, median of 11 (7 at 100k), same run as Linux's" "$what" "$ours" "$ref" "$ratio Linux's time" "$note" ;;
	traffic) row "e820 at 100k against its memory traffic" "$what" "$ours" "$ref" "$ratio the limit" "$note" ;;
	rs) row "Reed-Solomon $what, best of 9 over 2 MiB" "128-byte blocks, nroots 16, symsize 8, poly 0x11d, fcr 0, prim 1" "$ours" "libfec $ref" "$ratio" "$note" ;;
	esac
done < "$tmp/host.tsv"

echo "bench: memmap pipeline under callgrind..." >&2
check=$("$out/pipeline" "$log" | awk '/^named:/ { n = n sprintf("named %s at %s", $2, $3) } /^efi descriptors/ { r = $0 } END { print n "; " r }')
if valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
	--toggle-collect=bench_pipeline "$out/pipeline" "$log" > /dev/null 2> "$tmp/cg.err"; then
	total=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$tmp/cg.out")
	callgrind_annotate --inclusive=yes --threshold=100 "$tmp/cg.out" > "$tmp/cg.txt" 2> /dev/null || true
	phase() {
		awk -v f="pipeline.c:$1 " 'index($0, f) { gsub(",", "", $1); print $1; exit }' "$tmp/cg.txt"
	}
	parts="parse $(group "$(phase ph_parse)"), convert $(group "$(phase ph_convert)"), apply+place+report $(group "$(phase ph_place)"), pstore scan $(group "$(phase ph_pstore)")"
	row "memmap.efi pipeline on the host (callgrind, instructions)" \
		"m512-base efi: map (128 descriptors), demo line + ramoops.ecc=16, 1 MiB region with 1 dmesg record" \
		"$(group "$total") instr" "-" "-" "$parts; $check"
else
	row "memmap.efi pipeline on the host (callgrind, instructions)" "-" "n/a" "-" "-" "valgrind failed: $(tail -n 1 "$tmp/cg.err")"
fi

echo "bench: memmap.efi in QEMU/OVMF (TCG), $runs runs..." >&2
esp_new "$tmp/esp.img"
esp_put "$tmp/esp.img" "$build/memmap.efi"
esp_put "$tmp/esp.img" "$out/nothing.efi"
esp_put "$tmp/esp.img" "$out/tsc_wrap.efi"
nsh_script "$tmp/startup.nsh" "tsc_wrap.efi $runs"
esp_put "$tmp/esp.img" "$tmp/startup.nsh"
ovmf_vars "$tmp/vars.fd"
accel="TCG (no KVM)"
# The region memmap.efi/summary and /all read: 2 MiB at 0x11000000 of
# guest RAM (the RAM file's offset), every record zone full
fill=$("$out/pstore_fill" "$tmp/region.img" 0x200000 0x4000)
ra=$(ram_args "$tmp/ram.img")
dd if="$tmp/region.img" of="$tmp/ram.img" bs=1M seek=272 conv=notrunc status=none
# shellcheck disable=SC2086
# --pstore-print all puts 2 MiB on the console each run: minutes under TCG
if QEMU_TIMEOUT=1800 qemu_boot "$tmp/esp.img" "$tmp/vars.fd" "$tmp/qemu.log" $ra &&
   grep -q '^tsc: done' "$tmp/qemu.log"; then
	cp "$tmp/qemu.log" "$out/qemu.log"
	cyc() { awk -v n="$1" '$1 == "tsc:" && $2 == n { print $6 }' "$tmp/qemu.log"; }
	m=$(cyc memmap.efi | median)
	z=$(cyc nothing.efi | median)
	mmin=$(cyc memmap.efi | sort -n | head -n 1)
	zmin=$(cyc nothing.efi | sort -n | head -n 1)
	bad=$(awk '$1 == "tsc:" && $2 == "memmap.efi" && $8 != "0"' "$tmp/qemu.log" | wc -l)
	hz=$(awk '$1 == "tsc:" && $2 == "hz" { print $3 }' "$tmp/qemu.log")
	ms=$(awk -v c="$m" -v h="$hz" 'BEGIN { printf "%.0f", h ? c / h * 1000 : 0 }')
	row "memmap.efi in QEMU/OVMF, TSC cycles around StartImage, median of $runs (min)" \
		"demo line as LoadOptions, q35 $QEMU_MEM, $accel" \
		"$(group "$m") ($(group "$mmin"))" "nothing.efi $(group "$z") ($(group "$zmin"))" \
		"$(awk -v a="$m" -v b="$z" 'BEGIN { printf "%.0fx", b ? a / b : 0 }')" \
		"memmap.efi less nothing.efi: $(group $((m - z))) cycles, about $ms ms at the guest TSC's $(awk -v h="$hz" 'BEGIN { printf "%.2f", h / 1e9 }') GHz (200 ms Stall); runs 2..$runs find run 1's region still claimed and place anew (moved:); non-zero exit statuses: $bad"
	# The console bytes each run printed: the log lines before its tsc: line
	awk '$1 == "tsc:" { if ($2 ~ /^memmap.efi\//) print $2, n; n = 0; next } { n += length($0) + 1 }' \
		"$tmp/qemu.log" > "$tmp/bytes"
	for how in summary all; do
		c=$(cyc "memmap.efi/$how" | median)
		b=$(awk -v k="memmap.efi/$how" '$1 == k { print $2 }' "$tmp/bytes" | median)
		if [ "$how" = summary ]; then c_summary=$c; fi
		row "memmap.efi --pstore-print $how in QEMU/OVMF, TSC cycles, median of $runs" \
			"2 MiB region ($fill; record_size 16K, ECC off), q35 $QEMU_MEM, $accel" \
			"$(group "$c") ($(awk -v c="$c" -v h="$hz" 'BEGIN { printf "%.0f", h ? c / h * 1000 : 0 }') ms)" "-" \
			"$(awk -v a="$c" -v b="$c_summary" 'BEGIN { printf "%.1fx summary", b ? a / b : 0 }')" \
			"$(group "$b") bytes on the console: $(awk -v b="$b" 'BEGIN { printf "%.1f", b * 10 / 115200 }') s at 115200 baud; run 1 also saves the records to the ESP, later runs find them saved"
	done
else
	row "memmap.efi in QEMU/OVMF, TSC cycles around StartImage" "demo line, $accel" "n/a" "n/a" "-" \
		"the boot did not finish: see $out/qemu.log"
	cp "$tmp/qemu.log" "$out/qemu.log" 2> /dev/null || true
fi

{
	echo "memmap bench: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); one run, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "| measurement | case | memmap | reference | ratio | note |"
	echo "|---|---|---|---|---|---|"
	cat "$rows"
} > "$out/table.md"
cat "$out/table.md"
