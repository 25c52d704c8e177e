#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# pstore against Debian's real Linux, 6.1 (Debian 12) and 6.12 (Debian
# 13), and their real ramoops.ko, with ecc=0 and ecc=16, and with 3 CPUs
# (ramoops then splits ftrace into 3 zones of 1364 bytes; 6.1 puts pmsg
# after them, 6.12 before), RAM kept in a file from boot to boot:
#  A. Linux runs ramoops on the region and panics (sysrq).
#  B. OVMF + memmap.efi on the same RAM: prints the panic record (ECC
#     corrections reported for bytes flipped in the file), saves it to the
#     ESP, leaves the region as it was; a second run appends its report
#     to the pmsg zone (--pstore-log pmsg): every line it printed but the
#     records' text, which --pstore-print all showed.
#  C. Linux again: /sys/fs/pstore still has the panic record, identical to
#     the file memmap.efi saved, and pmsg-ramoops-0 holds exactly the report
#     memmap.efi wrote (with Linux's ECC notice when ECC is on).
# Usage: pstore.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: pstore.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/../qemu/lib.sh"
# shellcheck source=tests/linux/guest.sh
. "$here/guest.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

base=0x10000000
panic='Kernel panic - not syncing: sysrq triggered crash'

# Bytes [off, off+n) of the region in a RAM file
region_bytes() {
	dd if="$1" bs=4096 skip=$((base / 4096 + $2 / 4096)) count=$(($3 / 4096)) status=none
}

linux_boot() {
	local vars=$1 ram=$2 log=$3 params=$4 steps=$5 cpus=$6
	local ra
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot none "$vars" "$log" $ra -smp "$cpus" \
		-kernel "$GUEST_VMLINUZ" -initrd "$tmp/initrd-$linux.img" \
		-append "console=ttyS0 panic=-1 memmap=1M\$$base $params mmstep=$steps"
}

for run in 6.1:0:1 6.1:16:1 6.1:0:3 6.12:0:1 6.12:16:1 6.12:0:3; do
	linux=${run%%:*}
	run=${run#*:}
	ecc=${run%:*}
	cpus=${run#*:}
	params="ramoops.mem_address=$base ramoops.mem_size=0x100000 ramoops.record_size=0x4000 ramoops.console_size=0x4000 ramoops.pmsg_size=0x2000 ramoops.ecc=$ecc"
	[ "$cpus" -eq 1 ] || params="$params ramoops.ftrace_size=0x1000"
	if [ ! -f "$tmp/initrd-$linux.img" ]; then
		GUEST_LINUX=$linux guest_prepare "$build" "$tmp/initrd-$linux.img"
	fi
	run=$linux-$run
	ram=$tmp/ram-$run.img
	vars=$tmp/vars-$run.fd
	ovmf_vars "$vars"

	# A. Linux writes a panic record
	linux_boot "$vars" "$ram" "$tmp/a.log" "$params" ramoops,panic "$cpus"
	if grep -q "$panic" "$tmp/a.log"; then
		ok "$linux ecc=$ecc cpus=$cpus: Linux panicked with ramoops on the region"
	else
		bad "$linux ecc=$ecc cpus=$cpus: Linux did not panic"; tail -n 20 "$tmp/a.log"
	fi
	flips=0
	if [ "$ecc" -ne 0 ]; then
		# Damage 5 bytes of the first dmesg zone's ring, in 3 blocks
		for off in 17 52 212 312 313; do
			printf '\x5a' | dd of="$ram" bs=1 seek=$((base + off)) conv=notrunc status=none
		done
		flips=5
	fi

	# B. memmap.efi reads, saves, then logs to pmsg: it writes only in
	# memory it claimed, hence the memmap=$ of the second run
	esp=$tmp/esp-$run.img
	esp_new "$esp"
	esp_put "$esp" "$build/memmap.efi"
	nsh_script "$tmp/startup.nsh" "memmap.efi $params" \
		"memmap.efi --pstore-print all --pstore-log pmsg memmap=4K*4096:tag memmap=1M\$$base $params"
	esp_put "$esp" "$tmp/startup.nsh"
	region_bytes "$ram" 0 0xf0000 > "$tmp/dmesg-before"
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot "$esp" "$vars" "$tmp/b.log" $ra
	region_bytes "$ram" 0 0xf0000 > "$tmp/dmesg-after"
	section "$tmp/b.log" 1 > "$tmp/b1"
	if grep -q '^pstore: dmesg-ramoops-0 ([0-9]* bytes)$' "$tmp/b1" &&
	   grep -qF "$panic" "$tmp/b1"; then
		ok "$linux ecc=$ecc cpus=$cpus: memmap.efi prints the panic record"
	else
		bad "$linux ecc=$ecc cpus=$cpus: memmap.efi did not print the panic record"; head -n 20 "$tmp/b1"
	fi
	if [ "$ecc" -eq 0 ]; then
		if grep -q '^ECC: ' "$tmp/b1"; then
			bad "$linux ecc=0 cpus=$cpus: an ECC line"
		else
			ok "$linux ecc=0 cpus=$cpus: no ECC line"
		fi
	elif grep -qx "ECC: $flips Corrected bytes, 0 unrecoverable blocks" "$tmp/b1"; then
		ok "$linux ecc=$ecc cpus=$cpus: $flips flipped bytes reported corrected, text intact"
	else
		bad "$linux ecc=$ecc cpus=$cpus: ECC line: $(grep '^ECC' "$tmp/b1")"
	fi
	if cmp -s "$tmp/dmesg-before" "$tmp/dmesg-after"; then
		ok "$linux ecc=$ecc cpus=$cpus: reading left the dmesg zones byte for byte as they were"
	else
		bad "$linux ecc=$ecc cpus=$cpus: the dmesg zones changed"
	fi
	mcopy -s -i "$esp" ::/pstore "$tmp/saved-$run"
	saved=$(find "$tmp/saved-$run" -name dmesg-ramoops-0 | head -n 1)
	if [ -n "$saved" ] && grep -qF "$panic" "$saved"; then
		ok "$linux ecc=$ecc cpus=$cpus: saved to the ESP as ${saved#"$tmp/saved-$run"}"
	else
		bad "$linux ecc=$ecc cpus=$cpus: no saved dmesg-ramoops-0 on the ESP"
	fi
	# The log is the report without the records' text (the dmesg record,
	# up to 16 KiB, is larger than the 8 KiB pmsg zone)
	section "$tmp/b.log" 2 | grep -E '^(BIOS-|user|named: |cmdline: |moved: |pstore: |ECC: )' > "$tmp/pmsg.exp" || true
	[ "$ecc" -eq 0 ] || printf '\nECC: No errors detected\n' >> "$tmp/pmsg.exp"

	# C. Linux reads what is there
	linux_boot "$vars" "$ram" "$tmp/c.log" "$params" ramoops,pstore "$cpus"
	lsum=$(sed -n 's/^@@ file dmesg-ramoops-0 [0-9]* \([0-9a-f]*\)$/\1/p' "$tmp/c.log")
	if [ -n "$saved" ] && [ "$lsum" = "$(md5sum < "$saved" | cut -d' ' -f1)" ]; then
		ok "$linux ecc=$ecc cpus=$cpus: Linux still lists dmesg-ramoops-0, identical to memmap.efi's saved file"
	else
		bad "$linux ecc=$ecc cpus=$cpus: Linux's dmesg-ramoops-0 (${lsum:-missing}) differs from the saved file"
		grep '^@@' "$tmp/c.log"
	fi
	psum=$(sed -n 's/^@@ file pmsg-ramoops-0 [0-9]* \([0-9a-f]*\)$/\1/p' "$tmp/c.log")
	if [ -s "$tmp/pmsg.exp" ] && [ "$psum" = "$(md5sum < "$tmp/pmsg.exp" | cut -d' ' -f1)" ]; then
		ok "$linux ecc=$ecc cpus=$cpus: Linux's pmsg-ramoops-0 holds exactly what memmap.efi wrote"
	else
		bad "$linux ecc=$ecc cpus=$cpus: pmsg-ramoops-0 (${psum:-missing}) is not $(cat "$tmp/pmsg.exp")"
		grep -A3 '^@@ file pmsg' "$tmp/c.log" || true
	fi
done
finish linux-pstore
