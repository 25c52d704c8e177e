#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The boot chains real machines use, with Debian's own binaries. As the
# README installs it, memmap.efi sits at \EFI\memmap\ and runs from a boot
# entry (no shell, no LoadOptions: it reads memmap.conf there), then starts
# the loader. The kernel the loader starts must get the resolved words,
# run ramoops there and panic; on the next boot (same RAM and variable
# store) memmap.efi shows the panic record, and the kernel started
# through the same chain still lists it.
#   grub12  Debian 12's signed shim + GRUB 2.06; Linux 6.1 on an ext4 /boot
#   grub13  Debian 13's signed shim + GRUB 2.12; Linux 6.12 on an ext4 /boot
#   sdboot  Debian 13's systemd-boot 257, a Type #1 entry; Linux 6.12
#   uki     a UKI (Debian 13's systemd-stub + Linux 6.12) started by memmap.efi
#   sduki   the same UKI started by systemd-boot as a Type #2 entry
# Usage: chains.sh BUILD_DIR [CHAIN...]   (default: all of them)
set -euo pipefail

build=${1:?usage: chains.sh BUILD_DIR [CHAIN...]}
shift
chains=("$@")
[ ${#chains[@]} -gt 0 ] || chains=(grub12 grub13 sdboot uki sduki)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/chainlib.sh
. "$here/chainlib.sh"

panic='Kernel panic - not syncing: sysrq triggered crash'
words='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16'

# Prepare chain $1 for boot step $2 (the guest's mmstep=)
prepare() {
	local chain=$1 step=$2
	case $chain in
	grub*) make_root "$step" ;;
	sdboot)
		printf 'title Debian\nlinux /vmlinuz\ninitrd /initrd.img\noptions %s mmstep=%s\n' \
			"$kargs" "$step" > "$tmp/debian.conf"
		esp_put "$esp" "$tmp/debian.conf" loader/entries/debian.conf
		;;
	uki)
		printf '%s -- \\EFI\\Linux\\debian.efi %s mmstep=%s\r\n' "$words" "$kargs" "$step" > "$tmp/memmap.conf"
		esp_put "$esp" "$tmp/memmap.conf" EFI/memmap/memmap.conf
		;;
	sduki)
		make_uki "$tmp/debian.efi" "$kargs mmstep=$step"
		esp_put "$esp" "$tmp/debian.efi" EFI/Linux/debian.efi
		;;
	esac
}

setup() {
	local chain=$1 suite loader
	esp=$tmp/esp-$chain.img
	esp_disk=$esp
	ram=$tmp/ram-$chain.img
	rm -f "$ram"
	disks=()
	esp_new "$esp"
	esp_mkdirs "$esp" EFI EFI/memmap
	esp_put "$esp" "$build/memmap.efi" EFI/memmap/memmap.efi
	case $chain in
	grub12|grub13)
		if [ "$chain" = grub12 ]; then suite=bookworm; kernel_for 6.1; else suite=trixie; kernel_for 6.12; fi
		debian_grub "$suite" "$chain"
		loader='\EFI\debian\shimx64.efi'
		disks=(-drive "format=raw,file=$tmp/root.img")
		make_root setup
		;;
	sdboot|sduki)
		kernel_for 6.12
		esp_mkdirs "$esp" EFI/systemd loader loader/entries EFI/Linux
		deb_get trixie systemd-boot-efi
		esp_put "$esp" "$DEB_DIR/usr/lib/systemd/boot/efi/systemd-bootx64.efi" EFI/systemd/systemd-bootx64.efi
		echo "$chain: systemd-boot-efi $DEB_VERSION" >> "$tmp/versions"
		if [ "$chain" = sdboot ]; then
			# A firmware OEM-strings record of its own, as real
			# machines have: systemd reads only the first one
			disks=(-smbios 'type=11,value=com.example.vendor=memmap-test')
			printf 'timeout 0\ndefault debian.conf\n' > "$tmp/loader.conf"
			esp_put "$esp" "$GUEST_VMLINUZ" vmlinuz
			esp_put "$esp" "$initrd" initrd.img
		else
			printf 'timeout 0\ndefault debian*\n' > "$tmp/loader.conf"
		fi
		esp_put "$esp" "$tmp/loader.conf" loader/loader.conf
		loader='\EFI\systemd\systemd-bootx64.efi'
		;;
	uki)
		kernel_for 6.12
		esp_mkdirs "$esp" EFI/Linux
		deb_get trixie systemd-boot-efi
		make_uki "$tmp/debian.efi" "$kargs mmstep=none"
		esp_put "$esp" "$tmp/debian.efi" EFI/Linux/debian.efi
		echo "$chain: systemd-boot-efi $DEB_VERSION (linuxx64.efi.stub)" >> "$tmp/versions"
		loader=
		;;
	esac
	if [ -n "$loader" ]; then
		printf '# memmap.efi reads this at every boot\r\n%s\r\n-- %s\r\n' "$words" "$loader" > "$tmp/memmap.conf"
		esp_put "$esp" "$tmp/memmap.conf" EFI/memmap/memmap.conf
	fi
	boot_entry '\EFI\memmap\memmap.efi' memmap
}

boot() {
	local chain=$1 step=$2 log=$3 ra
	prepare "$chain" "$step"
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot "$esp_disk" "$tmp/vars.fd" "$log" "${disks[@]}" $ra
}

check_chain() {
	local chain=$1 log1=$tmp/$1-boot1.log log2=$tmp/$1-boot2.log start end a want line n
	setup "$chain"
	boot "$chain" ramoops,panic "$log1"
	read -r start end < <(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$log1" | head -n 1) || true
	if [ -z "${start:-}" ]; then
		bad "$chain boot 1: memmap.efi placed no region"; tail -n 40 "$log1"; return
	fi
	a=$(printf '0x%x' "$((start))")
	want="memmap=0x100000\$$a ramoops.mem_address=$a ramoops.mem_size=0x100000 ramoops.ecc=16"
	line=$(cmdline_of "$log1")
	n=$(grep -o -F "memmap=0x100000\$$a" <<< "$line" | wc -l)
	if grep -qF -- "$want" <<< "$line" && [ "$n" -eq 1 ]; then
		ok "$chain boot 1: the kernel's command line: $line"
	else
		bad "$chain boot 1: the words are not there once: ${line:-no kernel}"
		grep -a 'memmap\|Failed\|error' "$log1" | head -n 20
	fi
	if grep -qF "ramoops: using 0x100000@$a, ecc: 16" "$log1" && grep -qF "$panic" "$log1"; then
		ok "$chain boot 1: ramoops ran on oops at $a and the kernel panicked"
	else
		bad "$chain boot 1: ramoops or panic missing"; grep -a 'ramoops\|panic\|@@' "$log1" | head
	fi
	if grep -aq 'Failed to open\|Failed to load' "$log1"; then
		bad "$chain boot 1: shim could not open its loader"; grep -a 'Failed' "$log1"
	fi

	boot "$chain" ramoops,pstore,named "$log2"
	if grep -qx "named: oops \[mem $start-$end\]" "$log2" &&
	   grep -qF -- "$want" <<< "$(cmdline_of "$log2")"; then
		ok "$chain boot 2: oops at the same address, the words again"
	else
		bad "$chain boot 2: oops is $(grep -m1 '^named: oops' "$log2" || echo missing)"
	fi
	if grep -q '^pstore: dmesg-ramoops-0 (' "$log2" &&
	   grep -q '^pstore: saved \\pstore\\.*\\dmesg-ramoops-0$' "$log2" &&
	   [ "$(grep -cF "$panic" "$log2")" -ge 2 ]; then
		ok "$chain boot 2: memmap.efi showed and saved the panic record before the loader"
	else
		bad "$chain boot 2: no panic record from memmap.efi"; grep -a '^pstore\|^ECC' "$log2"
	fi
	if grep -q '^@@ file dmesg-ramoops-0 ' "$log2" && grep -q '^@@ pstore rc=0$' "$log2" &&
	   grep -q '^@@ named rc=0$' "$log2"; then
		ok "$chain boot 2: the kernel lists dmesg-ramoops-0 and reads MemmapNamed"
	else
		bad "$chain boot 2: the kernel does not list the record"; grep -a '^@@' "$log2"
	fi
}

# GRUB without memmap.efi and without memmap.env: the entry still boots,
# with no memmap word (memmap.efi gone, the boot manager goes on to
# \EFI\BOOT\BOOTX64.EFI, the same shim and GRUB)
check_no_env() {
	local log=$tmp/$1-boot3.log line
	mdel -i "$esp" ::/EFI/memmap/memmap.efi ::/EFI/memmap/memmap.env
	esp_mkdirs "$esp" EFI/BOOT
	mcopy -i "$esp" "::/EFI/debian/shimx64.efi" "::/EFI/BOOT/BOOTX64.EFI"
	mcopy -i "$esp" "::/EFI/debian/grubx64.efi" "::/EFI/BOOT/grubx64.efi"
	boot "$1" none "$log"
	line=$(cmdline_of "$log")
	if [ -n "$line" ] && ! grep -q 'memmap=\|ramoops' <<< "$line" &&
	   grep -q '^@@ guest done' "$log"; then
		ok "$1 boot 3: no memmap.env: the entry boots without the words: $line"
	else
		bad "$1 boot 3: without memmap.env: ${line:-no kernel}"; grep -a 'error\|@@' "$log" | head
	fi
}

for c in "${chains[@]}"; do
	check_chain "$c"
	[ "$c" != grub12 ] || check_no_env "$c"
done
[ ! -f "$tmp/versions" ] || sed 's/^/versions: /' "$tmp/versions"
finish qemu-chains
