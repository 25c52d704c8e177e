#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ramoops from the device tree: Debian 13's arm64 Linux 6.12 and its real
# ramoops.ko under QEMU's virt machine (-cpu cortex-a57 -m 1G, TCG, no
# firmware: QEMU loads the kernel, the initrd and the DTB), RAM kept in a
# file from boot to boot (file offset = physical address - 0x40000000):
#  1. memmap dt --linux 6.12 adds a /reserved-memory ramoops node, oops@A,
#     to QEMU's own virt device tree (tests/linux/dt-guest.sh dt_dtb),
#     told with --reserved what the kernel holds before the scan: the
#     kernel image, the initrd and the DTB, where QEMU puts them.
#  2. Linux boots with that DTB on zeroed RAM (memblock=debug: the kernel
#     image, initrd and DTB must be where step 1 said), loads ramoops.ko
#     with no parameters, so that it probes the DT node at A, writes a line
#     to /dev/kmsg (and to /dev/pmsg0 if the kernel has one) and panics
#     (sysrq); the region in the RAM file then starts with a ramoops
#     header ("DBGC").
     memmap pstore decodes the same record from the RAM file.
#  3. Linux boots again on the same RAM and DTB: ramoops probes at A again,
#     and /sys/fs/pstore has dmesg-ramoops-0 with the panic and the line.
# Debian's kernels are built without CONFIG_PSTORE_PMSG (no /dev/pmsg0),
# so the pmsg round trip is checked only when the guest has /dev/pmsg0.
#
# Usage: dt-pstore.sh BUILD_DIR      (memmap is BUILD_DIR/memmap)
#
# Environment:
#   DT_PSTORE_TIMEOUT     seconds per boot before QEMU is killed
#                         (default 180; a boot takes about 5 s under
#                         TCG here, the whole test about 15 s)
#   DT_PSTORE_KEEP        a directory to copy the serial logs, the DTS and
#                         DTBs and make_dtb's output to on exit
#   DT_PSTORE_FAKE_APPLY  1: a developer aid for when memmap dt is not
#                         there: dtc adds a fixed oops@7ff00000 node, the
#                         one memmap dt should add, instead of memmap
# Runs one QEMU at a time; everything but the cached Debian packages
# (build/debian, tests/qemu/debian.sh) lives in a mktemp -d, removed on
# exit.
set -euo pipefail

build=${1:?usage: dt-pstore.sh BUILD_DIR}
build=$(cd "$build" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/../qemu/lib.sh"
# shellcheck source=tests/linux/dt-guest.sh
. "$here/dt-guest.sh"
tmp=$(mktemp -d)
cleanup() {
	if [ -n "${DT_PSTORE_KEEP:-}" ]; then
		mkdir -p "$DT_PSTORE_KEEP"
		cp "$tmp"/*.log "$tmp"/*.dts "$tmp"/*.dtb "$tmp"/apply.out "$DT_PSTORE_KEEP"/ 2> /dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

timeout=${DT_PSTORE_TIMEOUT:-180}
ram_base=0x40000000
ram_size=0x40000000 # DT_MEM, 1G
apply='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16 ramoops.record_size=0x4000 ramoops.console_size=0x4000 ramoops.pmsg_size=0x2000'
append='console=ttyAMA0 earlycon=pl011,0x9000000 memblock=debug panic=-1'
panic='Kernel panic - not syncing: sysrq triggered crash'
nonce=$RANDOM$RANDOM
kline="dt-pstore kmsg $nonce"
pline="dt-pstore pmsg $nonce"
reserved=()

die() {
	bad "$*"
	finish dt-pstore || true
	exit 1
}

hex() { printf '0x%x' "$1"; }
hex16() { printf '0x%016x' "$1"; }

# The DT with the ramoops node: BASE.dtb -> NEW.dtb, memmap's report on
# stdout (named: oops [mem START-END], END inclusive); ${reserved[@]} are
# the --reserved ranges
make_dtb() {
	if [ "${DT_PSTORE_FAKE_APPLY:-0}" = 1 ]; then
		fake_make_dtb "$@"
		return
	fi
	local r args=()
	for r in "${reserved[@]}"; do
		args+=(--reserved "$r")
	done
	"$build/memmap" dt --linux 6.12 "${args[@]}" --apply "$apply" --out "$2" "$1"
}

# Developer aid (DT_PSTORE_FAKE_APPLY=1): the node memmap dt is to add for
# $apply at the top of RAM, made with dtc, and its named: line
fake_make_dtb() {
	{
		"$DT_DTC" -q -I dtb -O dts "$1"
		cat <<-'EOF'
		/ {
			reserved-memory {
				#address-cells = <2>;
				#size-cells = <2>;
				ranges;

				oops@7ff00000 {
					compatible = "ramoops";
					reg = <0x0 0x7ff00000 0x0 0x100000>;
					record-size = <0x4000>;
					console-size = <0x4000>;
					pmsg-size = <0x2000>;
					ecc-size = <16>;
				};
			};
		};
		EOF
	} > "$tmp/fake.dts"
	"$DT_DTC" -q -I dts -O dtb -o "$2" "$tmp/fake.dts"
	echo 'named: oops [mem 0x000000007ff00000-0x000000007fffffff]'
}

# Boot N (1 or 2) with the DTB and initrd on the RAM file, the serial
# console (CRs and ANSI escapes stripped) to LOG; fails if QEMU did not end
# by itself within $timeout seconds
pstore_boot() {
	local n=$1 log=$2
	if ! DT_TIMEOUT=$timeout DT_APPEND="$append dtpstore.boot=$n dtpstore.nonce=$nonce" \
	     dt_boot "$DT_VMLINUZ" "$dtb" "$log" -initrd "$initrd" -machine memory-backend=ram \
		     -object "memory-backend-file,id=ram,size=1G,mem-path=$ram,share=on" ||
	   [ "$DT_STOPPED" = 1 ]; then
		echo "dt-pstore: boot $n: QEMU $([ "$DT_STOPPED" = 1 ] && echo 'halted at a panic' ||
			echo 'did not end by itself'); tail of the log:"
		tail -n 30 "$log"
		return 1
	fi
}

# The text between "@@ file NAME ..." and "@@ end NAME" in LOG
record() {
	awk -v n="$2" '$0 == "@@ end " n { p = 0 } p { print } index($0, "@@ file " n " ") == 1 { p = 1 }' "$1"
}

# --- What the kernel holds before the reserved-memory scan, as QEMU 7.2
# places it on virt (hw/arm/boot.c; dt/LINUX.md 2.4, 3.4), and the DTB
dt_kernel 6.12
initrd=$tmp/initrd.img
dt_initrd "$initrd" || die "cannot build the initramfs"
echo "dt-pstore: $DT_KPKG $DT_KVERSION, busybox-static $DT_BUSYBOX_VERSION (arm64), $("$DT_QEMU" --version | head -n 1)"
# QEMU's own tree (seeds pinned): dt_dtb with a case that adds nothing
printf '// the base: QEMU virt as it is\n' > "$tmp/base.dtsi"
dt_dtb "$tmp/base.dtsi" "$tmp/base.dtb"

# The arm64 Image header: text_offset (u64 at 8), image_size (u64 at 16).
# QEMU loads the Image at RAM + text_offset, 2 MiB further when
# text_offset is below its 4 KiB boot stub; 6.12 reserves _text.._end,
# image_size bytes.
read -r text_offset image_size < <(od -An -t u8 -j 8 -N 16 --endian=little "$DT_VMLINUZ")
[ "$image_size" -gt 0 ] || die "the Image header of $DT_VMLINUZ has no image_size"
kstart=$((ram_base + text_offset))
[ "$text_offset" -ge 4096 ] || kstart=$((kstart + 0x200000))
kend=$((kstart + image_size - 1))
# initrd: RAM + min(RAM/2, 128 MiB), after the kernel image, page aligned;
# Linux reserves it page-rounded
istart=$((ram_base + (ram_size / 2 < 0x8000000 ? ram_size / 2 : 0x8000000)))
[ "$istart" -ge $((kend + 1)) ] || istart=$((kend + 1))
istart=$(((istart + 4095) & ~4095))
isize=$(stat -c %s "$initrd")
iend=$(((istart + isize + 4095) / 4096 * 4096 - 1))
# DTB: right after the initrd, 2 MiB aligned, (file size + 10000) * 2
# bytes (QEMU's load_device_tree grows it so); Linux reserves it exactly
dstart=$(((istart + isize + 0x1fffff) & ~0x1fffff))
dtb_range() { echo "$(hex "$dstart")-$(hex $((dstart + ($1 + 10000) * 2 - 1)))"; }

# --- 1. The DTB under test
dtb=$tmp/new.dtb
reserved=("$(hex "$kstart")-$(hex "$kend")" "$(hex "$istart")-$(hex "$iend")"
	  "$(dtb_range "$(stat -c %s "$tmp/base.dtb")")")
make_dtb "$tmp/base.dtb" "$dtb" > "$tmp/apply.out" 2>&1 || die "make_dtb failed: $(head -c 500 "$tmp/apply.out")"
# The DTB's range depends on its own size: again with the new size
if [ "${reserved[2]}" != "$(dtb_range "$(stat -c %s "$dtb")")" ]; then
	reserved[2]=$(dtb_range "$(stat -c %s "$dtb")")
	make_dtb "$tmp/base.dtb" "$dtb" > "$tmp/apply.out" 2>&1 || die "make_dtb failed: $(head -c 500 "$tmp/apply.out")"
	[ "${reserved[2]}" = "$(dtb_range "$(stat -c %s "$dtb")")" ] ||
		die "the DTB's size changes with its own --reserved range"
fi
echo "dt-pstore: --reserved ${reserved[*]}"
named=$(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$tmp/apply.out")
[ -n "$named" ] || die "no 'named: oops [mem ...]' line from make_dtb: $(head -c 500 "$tmp/apply.out")"
read -r a a_end <<< "$named"
a=$((a))
a_end=$((a_end))
if [ $((a_end - a + 1)) -eq $((0x100000)) ] && [ $((a % 4096)) -eq 0 ]; then
	ok "make_dtb: oops at $(hex "$a"), 1 MiB"
else
	bad "make_dtb: oops at [$a-$a_end], not 1 MiB at a 4 KiB boundary"
fi
# The node as the ramoops binding wants it (u32 sizes; reg in the
# /reserved-memory cells)
node=/reserved-memory/oops@$(printf '%x' "$a")
props=
if ac=$(fdtget -t u "$dtb" /reserved-memory '#address-cells' 2> /dev/null) &&
   sc=$(fdtget -t u "$dtb" /reserved-memory '#size-cells' 2> /dev/null) &&
   reg=$(fdtget -t u "$dtb" "$node" reg 2> /dev/null); then
	read -r -a cells <<< "$reg"
	raddr=0
	rsize=0
	for ((i = 0; i < ac + sc && i < ${#cells[@]}; i++)); do
		if [ "$i" -lt "$ac" ]; then
			raddr=$((raddr << 32 | cells[i]))
		else
			rsize=$((rsize << 32 | cells[i]))
		fi
	done
	[ "${#cells[@]}" -eq $((ac + sc)) ] && [ "$raddr" -eq "$a" ] && [ "$rsize" -eq $((0x100000)) ] ||
		props="$props reg=<$reg>"
	[ "$(fdtget -t s "$dtb" "$node" compatible 2> /dev/null)" = ramoops ] || props="$props compatible"
	for p in record-size:16384 console-size:16384 pmsg-size:8192 ecc-size:16; do
		v=$(fdtget -t u "$dtb" "$node" "${p%:*}" 2> /dev/null) || v=missing
		[ "$v" = "${p#*:}" ] || props="$props ${p%:*}=$v"
	done
	# A placed region is RAM the kernel keeps mapped: no no-map (6.12's
	# summary line below must say "map")
	if fdtget "$dtb" "$node" no-map > /dev/null 2>&1; then props="$props no-map"; fi
	if [ -z "$props" ]; then
		ok "make_dtb: $node: compatible \"ramoops\", reg, record/console/pmsg/ecc sizes as asked"
	else
		bad "make_dtb: $node: wrong:$props"
	fi
else
	bad "make_dtb: no $node with reg in $dtb"
fi

# --- 2. Boot 1: ramoops on the node, then a panic
ram=$tmp/ram.img
truncate -s 1G "$ram"
[[ "$ram$dtb$initrd" != *,* ]] || die "a comma in the temporary paths: $tmp"
b1=$tmp/boot1.log
if pstore_boot 1 "$b1"; then
	ok "boot 1: QEMU ended by itself"
else
	bad "boot 1: QEMU did not end by itself"
fi
# Where Linux found the kernel image, initrd and DTB: memblock_reserve
# lines for the first two, the MEMBLOCK configuration dump for the DTB
# (reserved before memblock=debug is parsed)
dtb_end=${reserved[2]#*-}
for what in "kernel image|memblock_reserve: [$(hex16 "$kstart")-$(hex16 "$kend")] arm64_memblock_init+" \
	    "initrd|memblock_reserve: [$(hex16 "$istart")-$(hex16 "$iend")] arm64_memblock_init+" \
	    "DTB|]	[$(hex16 "$dstart")-$(hex16 "$dtb_end")], "; do
	if grep -qF "${what#*|}" "$b1"; then
		ok "boot 1: the ${what%%|*} is where --reserved said: $(grep -m1 -F "${what#*|}" "$b1" | sed 's/^\[[ 0-9.]*\] *//')"
	else
		bad "boot 1: no '${what#*|}'; memblock lines: $(grep -E 'memblock_reserve: .*arm64_memblock_init| reserved\[0x[0-3]\]' "$b1" | tr '\n' ' ')"
	fi
done
# The region in memblock and in 6.12's summary line
want="OF: reserved mem: $(hex16 "$a")..$(hex16 "$a_end") (1024 KiB) map non-reusable oops@$(printf '%x' "$a")"
if grep -qF "$want" "$b1" && ! grep -q 'failed to reserve memory for node' "$b1" &&
   grep -qF "memblock_reserve: [$(hex16 "$a")-$(hex16 "$a_end")] fdt_scan_reserved_mem+" "$b1"; then
	ok "boot 1: Linux reserved the node: $want"
else
	bad "boot 1: no '$want': $(grep -E 'OF: ' "$b1" | tr '\n' ' ')"
fi
rline="ramoops: using 0x100000@$(hex "$a"), ecc: 16"
if grep -qxF "@@ dmesg: $rline" "$b1"; then
	ok "boot 1: $rline"
else
	bad "boot 1: no '$rline': $(grep '^@@' "$b1" | tr '\n' ' ')"
fi
if grep -qxF '@@ panicking' "$b1" && grep -qF "$kline" "$b1" && grep -qF "$panic" "$b1"; then
	ok "boot 1: wrote the line to /dev/kmsg, panicked"
else
	bad "boot 1: no line or no panic: $(grep '^@@' "$b1" | tr '\n' ' ')"
fi
pmsg=0
if grep -qxF '@@ pmsg written' "$b1"; then
	pmsg=1
elif grep -qxF '@@ no /dev/pmsg0' "$b1"; then
	echo "dt-pstore: no /dev/pmsg0 (CONFIG_PSTORE_PMSG is not set): no pmsg check"
elif grep -q '^@@ guest up' "$b1"; then
	bad "boot 1: writing /dev/pmsg0 failed"
fi

# --- 4. The region in the RAM file: the first dmesg zone's header
sig=$(od -An -t x1 -j $((a - ram_base)) -N 4 "$ram" | tr -d ' \n')
if [ "$sig" = 44424743 ]; then
	ok "RAM file at $(hex $((a - ram_base))): the ramoops header signature 0x43474244 (\"DBGC\")"
else
	bad "RAM file at $(hex $((a - ram_base))): $sig, not the ramoops signature 44 42 47 43"
fi
# memmap reads what Linux wrote in the region the DT described, with the
# geometry of the --apply words (the node carries the same)
# shellcheck disable=SC2086
if "$build/memmap" pstore --image "$ram" --offset $((a - ram_base)) ramoops.mem_size=0x100000 \
	${apply#* ramoops.mem_name=oops} > "$tmp/memmap-pstore.out" 2>&1 &&
   grep -qF "$panic" "$tmp/memmap-pstore.out" && grep -qF "$kline" "$tmp/memmap-pstore.out"; then
	ok "memmap pstore on the RAM file: $(grep -m1 '^pstore:' "$tmp/memmap-pstore.out"), with the line and the panic"
else
	bad "memmap pstore on the RAM file: $(head -c 400 "$tmp/memmap-pstore.out")"
fi

# --- 3. Boot 2: the same RAM and DTB, the records back
b2=$tmp/boot2.log
if pstore_boot 2 "$b2"; then
	ok "boot 2: QEMU ended by itself"
else
	bad "boot 2: QEMU did not end by itself"
fi
if grep -qxF "@@ dmesg: $rline" "$b2"; then
	ok "boot 2: $rline"
else
	bad "boot 2: no '$rline': $(grep '^@@' "$b2" | tr '\n' ' ')"
fi
ls2=$(sed -n 's/^@@ ls: \(.*[^ ]\) *$/\1/p' "$b2")
if grep -qxF '@@ pstore mounted' "$b2" && [[ " $ls2 " == *" dmesg-ramoops-0 "* ]]; then
	ok "boot 2: /sys/fs/pstore: $ls2"
else
	bad "boot 2: no dmesg-ramoops-0 in /sys/fs/pstore: $(grep '^@@' "$b2" | tr '\n' ' ')"
fi
record "$b2" dmesg-ramoops-0 > "$tmp/dmesg-ramoops-0"
if grep -qF "$panic" "$tmp/dmesg-ramoops-0" && grep -qF "$kline" "$tmp/dmesg-ramoops-0"; then
	ok "boot 2: dmesg-ramoops-0 ($(head -n 1 "$tmp/dmesg-ramoops-0")) has the line and '$panic'"
else
	bad "boot 2: dmesg-ramoops-0 lacks the line or the panic: $(head -c 300 "$tmp/dmesg-ramoops-0")"
fi
# ecc-size 16 from the DT: pstore adds ramoops' ECC report to the record
if grep -qx 'ECC: No errors detected' "$tmp/dmesg-ramoops-0"; then
	ok "boot 2: dmesg-ramoops-0 ends in ramoops' ECC report: ECC: No errors detected"
else
	bad "boot 2: no 'ECC: No errors detected' in dmesg-ramoops-0 (ecc-size not used?)"
fi
if [ "$pmsg" = 1 ]; then
	if record "$b2" pmsg-ramoops-0 | grep -qxF "$pline"; then
		ok "boot 2: pmsg-ramoops-0 holds the line written to /dev/pmsg0"
	else
		bad "boot 2: pmsg-ramoops-0 lacks '$pline'"
	fi
fi
finish dt-pstore
