#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap.efi on arm64: memmap-aa64.efi under Debian's AAVMF
# (qemu-efi-aarch64) on qemu-system-aarch64 -machine virt,acpi=off, where
# the firmware hands the kernel QEMU's device tree; RAM and the variable
# store are kept from boot to boot. The chain: the UEFI shell runs
#   memmap.efi memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16 ...
#              -- \EFI\systemd\systemd-bootaa64.efi
# and Debian 13's systemd-boot starts Debian's arm64 Linux, 13's 6.12 and
# 12's 6.1 in turn, with the initramfs of tests/linux/dt-guest.sh
# (ramoops.ko, efivarfs.ko); fresh RAM and variables for each.
#  1. memmap.efi places oops at A in free memory, claims it, installs the
#     DT with oops@A (compatible "ramoops") and prints its reserved-memory
#     line; Linux 6.12 prints the same line (6.1 none, and no error),
#     ramoops probes the node at A, and
#     MemmapNamed says "oops A 0x100000"; the kernel panics.
#  2. Same RAM, same variables: oops at A again (MemmapSticky); memmap.efi
#     shows the panic record and saves it to \pstore on the ESP; Linux
#     lists it in /sys/fs/pstore and reads MemmapNamed again.
#  3. A bad word: memmap.efi says so and starts systemd-boot without its
#     words; Linux sees the firmware's DT (no oops node) and no MemmapNamed.
# Usage: aa64.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: aa64.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
QEMU=qemu-system-aarch64
QEMU_MACHINE=virt,acpi=off
QEMU_MEM=1G
OVMF_CODE=/usr/share/AAVMF/AAVMF_CODE.fd
OVMF_VARS=/usr/share/AAVMF/AAVMF_VARS.fd
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/linux/dt-guest.sh
. "$here/../linux/dt-guest.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

words='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16 ramoops.record_size=0x4000 ramoops.console_size=0x4000'
sdboot='\EFI\systemd\systemd-bootaa64.efi'
panic='Kernel panic - not syncing: sysrq triggered crash'
nonce=$RANDOM$RANDOM

DEB_ARCH=arm64 deb_get trixie systemd-boot-efi
sd=$DEB_DIR/usr/lib/systemd/boot/efi/systemd-bootaa64.efi
sd_version=$DEB_VERSION

img=$tmp/esp.img
esp_new "$img"
esp_put "$img" "$build/memmap-aa64.efi" memmap.efi
mmd -i "$img" ::/EFI ::/EFI/systemd ::/loader ::/loader/entries
mcopy -i "$img" "$sd" ::/EFI/systemd/systemd-bootaa64.efi
printf 'timeout 0\ndefault linux.conf\n' > "$tmp/loader.conf"
mcopy -i "$img" "$tmp/loader.conf" ::/loader/loader.conf

# Boot N: the shell runs memmap.efi with WORDS, systemd-boot's entry the
# kernel with dtpstore.boot=N
boot() {
	local n=$1 w=$2
	printf 'title Linux\nlinux /vmlinuz\ninitrd /initrd.img\noptions console=ttyAMA0 acpi=off panic=-1 dtpstore.boot=%s dtpstore.nonce=%s\n' \
		"$n" "$nonce" > "$tmp/linux.conf"
	mcopy -o -i "$img" "$tmp/linux.conf" ::/loader/entries/linux.conf
	nsh_script "$tmp/startup.nsh" "memmap.efi $w -- $sdboot"
	esp_put "$img" "$tmp/startup.nsh"
	# shellcheck disable=SC2046
	qemu_boot none "$tmp/vars.fd" "$tmp/boot$n.log" -cpu cortex-a57 \
		-drive "format=raw,file=$img,if=virtio" $(ram_args "$tmp/ram.img")
}

hex16() { printf '0x%016x' "$1"; }

# The three boots with Linux V (6.12 or 6.1)
run_linux() {
	local log a a2 line saved
	dt_kernel "$1"
	dt_initrd "$tmp/initrd.img"
	echo "aa64: $DT_KPKG $DT_KVERSION, systemd-boot-efi $sd_version, busybox-static $DT_BUSYBOX_VERSION (arm64), $(dpkg-query -W -f='qemu-efi-aarch64 ${Version}' qemu-efi-aarch64)"
	mcopy -o -i "$img" "$DT_VMLINUZ" ::/vmlinuz
	mcopy -o -i "$img" "$tmp/initrd.img" ::/initrd.img
	mdeltree -i "$img" ::/pstore 2> /dev/null || true
	rm -f "$tmp/ram.img"
	ovmf_vars "$tmp/vars.fd"


	# --- 1 ---------------------------------------------------------------------
	boot 1 "$words" || true
	log=$tmp/boot1.log
	a=$(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-0x[0-9a-f]*\]$/\1/p' "$log" | head -n 1)
	if [ -n "$a" ] && [ $((a % 4096)) -eq 0 ]; then
		ok "$1 boot 1: memmap.efi placed oops at $a"
	else
		bad "$1 boot 1: no named: line: $(grep -a 'memmap' "$log" | head -5 | tr '\n' ' ')"
		a=0
	fi
	line="OF: reserved mem: $(hex16 "$a")..$(hex16 $((a + 0x100000 - 1))) (1024 KiB) map non-reusable oops@$(printf '%x' "$a")"
	if [ "$1" = 6.1 ]; then
		# 6.1 prints no line for a region it reserved without trouble
		if grep -qxF "$line" "$log" && ! grep -aq '\] OF: \(fdt: Reserved memory\|reserved mem\):' "$log"; then
			ok "$1 boot 1: memmap.efi printed '$line'; Linux 6.1 printed no reserved-memory line (no error)"
		else
			bad "$1 boot 1: $(grep -a 'Reserved memory\|reserved mem' "$log" | tr '\n' ' ')"
		fi
	elif grep -qxF "$line" "$log" && grep -aq "\] $line\$" "$log"; then
		ok "$1 boot 1: memmap.efi's DT line and Linux's are the same: $line"
	else
		bad "$1 boot 1: '$line' not printed by both: $(grep -a 'reserved mem' "$log" | tr '\n' ' ')"
	fi
	if grep -qxF "@@ dmesg: ramoops: using 0x100000@$(printf '0x%x' "$a"), ecc: 16" "$log"; then
		ok "$1 boot 1: ramoops: using 0x100000@$(printf '0x%x' "$a"), ecc: 16"
	else
		bad "$1 boot 1: ramoops did not probe the node: $(grep -a '^@@' "$log" | tr '\n' ' ')"
	fi
	if grep -qF "@@ MemmapNamed: oops $(printf '0x%x' "$a") 0x100000;" "$log" &&
	   grep -q "^@@ reserved-memory: .*oops@$(printf '%x' "$a") " "$log"; then
		ok "$1 boot 1: Linux reads MemmapNamed and has /reserved-memory/oops@$(printf '%x' "$a")"
	else
		bad "$1 boot 1: MemmapNamed or the node missing: $(grep -a '^@@ \(Memmap\|reserved\)' "$log" | tr '\n' ' ')"
	fi
	# The DT the kernel got (/sys/firmware/fdt), decompiled: the node
	sed -n '/^@@ fdt begin$/,/^@@ fdt end$/p' "$log" | sed '1d;$d' | base64 -d > "$tmp/fdt.dtb" 2> /dev/null || true
	dtc -q -I dtb -O dts "$tmp/fdt.dtb" 2> /dev/null |
		sed -n "/^\t\toops@$(printf '%x' "$a") {\$/,/^\t\t};/p" > "$tmp/node.dts" || true
	if grep -qF 'compatible = "ramoops";' "$tmp/node.dts" &&
	   grep -qF "reg = <0x00 $(printf '0x%x' "$a") 0x00 0x100000>;" "$tmp/node.dts" &&
	   grep -qF 'ecc-size = <0x10>;' "$tmp/node.dts" && grep -qF 'record-size = <0x4000>;' "$tmp/node.dts"; then
		ok "$1 boot 1: the node in the kernel's /sys/firmware/fdt, as dtc prints it:"
		cat "$tmp/node.dts"
	else
		bad "$1 boot 1: no ramoops node oops@$(printf '%x' "$a") in /sys/firmware/fdt: $(head -c 300 "$tmp/node.dts")"
	fi
	if grep -q '^@@ cmdline: .*memmap=\|^@@ cmdline: .*ramoops' "$log"; then
		bad "$1 boot 1: memmap's words reached the command line: $(grep -a '^@@ cmdline' "$log")"
	elif grep -qF "$panic" "$log"; then
		ok "$1 boot 1: no memmap or ramoops word on the command line; the kernel panicked"
	else
		bad "$1 boot 1: no panic: $(tail -n 5 "$log" | tr '\n' ' ')"
	fi

	# --- 2 ---------------------------------------------------------------------
	boot 2 "$words" || true
	log=$tmp/boot2.log
	a2=$(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-0x[0-9a-f]*\]$/\1/p' "$log" | head -n 1)
	if [ "$a2" = "$a" ]; then
		ok "$1 boot 2: oops at $a again"
	else
		bad "$1 boot 2: oops at '$a2', not $a"
	fi
	if grep -q '^pstore: dmesg-ramoops-0 ' "$log" && grep -qF "$panic" "$log"; then
		ok "$1 boot 2: memmap.efi shows the record: $(grep -m1 '^pstore: dmesg-ramoops-0 ' "$log")"
	else
		bad "$1 boot 2: memmap.efi showed no panic record: $(grep -a '^pstore' "$log" | tr '\n' ' ')"
	fi
	saved=$(mdir -b -i "$img" ::/pstore 2> /dev/null | head -n 1)
	saved=${saved%/}
	if [ -n "$saved" ] && mcopy -i "$img" "$saved/dmesg-ramoops-0" "$tmp/saved" 2> /dev/null &&
	   grep -qF "dt-pstore kmsg $nonce" "$tmp/saved"; then
		ok "$1 boot 2: saved on the ESP: ${saved#::}/dmesg-ramoops-0"
	else
		bad "$1 boot 2: no saved record under \\pstore ($saved)"
	fi
	if grep -q '^@@ ls: .*dmesg-ramoops-0' "$log" &&
	   grep -qF "@@ dmesg: ramoops: using 0x100000@$(printf '0x%x' "$a"), ecc: 16" "$log" &&
	   grep -qF "@@ MemmapNamed: oops $(printf '0x%x' "$a") 0x100000;" "$log"; then
		ok "$1 boot 2: Linux lists the record ($(grep -m1 '^@@ ls:' "$log" | sed 's/^@@ ls: //; s/ *$//')) and reads MemmapNamed"
	else
		bad "$1 boot 2: no record listed, or no MemmapNamed: $(grep -a '^@@' "$log" | tr '\n' ' ')"
	fi

	# --- 3 ---------------------------------------------------------------------
	boot 3 "$words memmap=junk" || true
	log=$tmp/boot3.log
	if grep -q '^memmap: error: memmap=junk: ' "$log" &&
	   grep -qF "memmap: warning: $sdboot: starting it without memmap's words" "$log"; then
		ok "$1 boot 3: $(grep -m1 '^memmap: error:' "$log")"
	else
		bad "$1 boot 3: no error or warning: $(grep -a '^memmap' "$log" | tr '\n' ' ')"
	fi
	if grep -q '^@@ MemmapNamed: none' "$log" && ! grep -q '^@@ reserved-memory: .*oops@' "$log" &&
	   grep -q '^@@ guest done' "$log"; then
		ok "$1 boot 3: Linux booted with the firmware's DT: no oops node, no MemmapNamed"
	else
		bad "$1 boot 3: $(grep -a '^@@' "$log" | tr '\n' ' ')"
	fi
}

for v in 6.12 6.1; do
	run_linux "$v"
done
finish aa64
