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
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/qemu/debian.sh
. "$here/debian.sh"
# shellcheck source=tests/linux/guest.sh
. "$here/../linux/guest.sh"
tmp=${KEEP_TMP:-$(mktemp -d)}
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT

panic='Kernel panic - not syncing: sysrq triggered crash'
words='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16'
kargs='console=ttyS0 panic=-1'
root_uuid=6c1e3bd2-5a0c-4d7e-9d6f-2f1b8a7c4e01

# The kernel and its busybox initramfs for GUEST_LINUX
kernel_for() {
	GUEST_LINUX=$1 guest_kernel
	[ -f "$tmp/initrd-$1.img" ] ||
		GUEST_LINUX=$1 GUEST_MEMMAP=$build/memmap-static guest_initrd "$tmp/initrd-$1.img"
	initrd=$tmp/initrd-$1.img
}

esp_mkdirs() {
	local d
	for d in "${@:2}"; do mmd -i "$1" "::/$d"; done
}

# A grub.cfg made the way update-grub makes it: 00_header's settings,
# 05_memmap's output, then 10_linux's entry with GRUB_CMDLINE_LINUX after
# /etc/default/grub.d/memmap.cfg
grub_cfg() {
	local GRUB_CMDLINE_LINUX="$kargs mmstep=$1"
	printf 'set default=0\nset timeout=0\n'
	sh "$top/dist/grub/05_memmap"
	# shellcheck source=dist/grub/memmap.cfg
	. "$top/dist/grub/memmap.cfg"
	cat <<-EOF
	menuentry 'Debian GNU/Linux' --class debian {
		search --no-floppy --fs-uuid --set=root $root_uuid
		echo 'Loading Linux ...'
		linux /boot/vmlinuz root=UUID=$root_uuid ro $GRUB_CMDLINE_LINUX
		initrd /boot/initrd.img
	}
	EOF
}

# The root filesystem GRUB boots from: ext4 on its own disk, /boot on it
make_root() {
	local r=$tmp/rootfs
	rm -rf "$r" "$tmp/root.img"
	mkdir -p "$r/boot/grub"
	cp "$GUEST_VMLINUZ" "$r/boot/vmlinuz"
	cp "$initrd" "$r/boot/initrd.img"
	grub_cfg "$1" > "$r/boot/grub/grub.cfg"
	mkfs.ext4 -q -F -U "$root_uuid" -L root -d "$r" "$tmp/root.img" 64M
}

# A UKI from systemd-stub: .osrel, .cmdline, .initrd, .linux placed after
# the stub's image, as the objcopy recipe of systemd's documentation does
make_uki() {
	local out=$1 cmdline=$2 stub base size next s f args=()
	stub=$DEB_DIR/usr/lib/systemd/boot/efi/linuxx64.efi.stub
	base=$(objdump -p "$stub" | awk '/^ImageBase/ {print $2}')
	size=$(objdump -p "$stub" | awk '/^SizeOfImage/ {print $2}')
	next=$(( (0x$base + 0x$size + 0xfff) & ~0xfff ))
	printf 'ID=debian\nVERSION_ID=13\nPRETTY_NAME="memmap test UKI"\n' > "$tmp/osrel"
	printf '%s' "$cmdline" > "$tmp/cmdline"
	for s in osrel:"$tmp/osrel" cmdline:"$tmp/cmdline" initrd:"$initrd" linux:"$GUEST_VMLINUZ"; do
		f=${s#*:}
		args+=(--add-section ".${s%%:*}=$f" --change-section-vma ".${s%%:*}=$(printf '0x%x' "$next")")
		next=$(( (next + $(stat -c %s "$f") + 0xfff) & ~0xfff ))
	done
	objcopy "${args[@]}" "$stub" "$out"
}

# memmap.efi as the first boot entry (a setup boot from the shell)
setup_entry() {
	nsh_script "$tmp/startup.nsh" \
		'bcfg boot add 1 fs0:\EFI\memmap\memmap.efi "memmap"' \
		'bcfg boot mv 1 0'
	esp_put "$esp" "$tmp/startup.nsh"
	ovmf_vars "$tmp/vars.fd"
	qemu_boot "$esp" "$tmp/vars.fd" "$tmp/setup.log" "${disks[@]}"
	mdel -i "$esp" ::/startup.nsh
	grep -q '^@@ rc=0x0$' "$tmp/setup.log" || { cat "$tmp/setup.log"; return 1; }
}

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
	ram=$tmp/ram-$chain.img
	rm -f "$ram"
	disks=()
	esp_new "$esp"
	esp_mkdirs "$esp" EFI EFI/memmap
	esp_put "$esp" "$build/memmap.efi" EFI/memmap/memmap.efi
	case $chain in
	grub12|grub13)
		if [ "$chain" = grub12 ]; then suite=bookworm; kernel_for 6.1; else suite=trixie; kernel_for 6.12; fi
		esp_mkdirs "$esp" EFI/debian
		deb_get "$suite" shim-signed
		esp_put "$esp" "$DEB_DIR/usr/lib/shim/shimx64.efi.signed" EFI/debian/shimx64.efi
		echo "$chain: shim-signed $DEB_VERSION" >> "$tmp/versions"
		deb_get "$suite" grub-efi-amd64-signed
		esp_put "$esp" "$DEB_DIR/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" EFI/debian/grubx64.efi
		echo "$chain: grub-efi-amd64-signed $DEB_VERSION" >> "$tmp/versions"
		# What grub-install puts beside the signed GRUB on the ESP
		printf "search.fs_uuid %s root\nset prefix=(\$root)'/boot/grub'\nconfigfile \$prefix/grub.cfg\n" \
			"$root_uuid" > "$tmp/esp-grub.cfg"
		esp_put "$esp" "$tmp/esp-grub.cfg" EFI/debian/grub.cfg
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
	setup_entry
}

boot() {
	local chain=$1 step=$2 log=$3 ra
	prepare "$chain" "$step"
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot "$esp" "$tmp/vars.fd" "$log" "${disks[@]}" $ra
}

# How many times the words reached the kernel's command line
cmdline_of() {
	grep -a -m1 'Kernel command line:' "$1" | sed 's/.*Kernel command line: //'
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
