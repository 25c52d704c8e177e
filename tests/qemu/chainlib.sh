#!/usr/bin/env bash
# shellcheck disable=SC2154 # the caller's globals, listed below
# SPDX-License-Identifier: GPL-2.0-or-later
# Pieces of the boot-chain tests (sourced): lib.sh, debian.sh and
# guest.sh, a temporary directory $tmp (kept when KEEP_TMP names one),
# and over the caller's $build, $esp (an mtools image, maybe
# IMG@@OFFSET), $esp_disk (the image QEMU boots), $disks (more QEMU
# arguments) and $initrd:
#   kernel_for 6.1|6.12   the kernel (GUEST_VMLINUZ) and its initramfs ($initrd)
#   esp_mkdirs IMG DIR... directories on the ESP
#   debian_grub SUITE TAG Debian's signed shim and GRUB in \EFI\debian,
#                         with the grub.cfg grub-install writes there
#   grub_cfg STEP         a /boot/grub/grub.cfg as update-grub makes it
#   make_root STEP        $tmp/root.img: ext4 with /boot (kernel, initrd,
#                         grub.cfg)
#   make_uki OUT CMDLINE  a UKI from Debian 13's systemd-stub
#   boot_entry PATH LABEL a boot entry first in BootOrder, made by bcfg in
#                         a setup boot from the shell (fresh variables)
#   cmdline_of LOG        the kernel's command line in LOG
set -euo pipefail

chainlib_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$chainlib_here/lib.sh"
# shellcheck source=tests/qemu/debian.sh
. "$chainlib_here/debian.sh"
# shellcheck source=tests/linux/guest.sh
. "$chainlib_here/../linux/guest.sh"
tmp=${KEEP_TMP:-$(mktemp -d)}
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
root_uuid=6c1e3bd2-5a0c-4d7e-9d6f-2f1b8a7c4e01
kargs=${kargs:-console=ttyS0 panic=-1}

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

debian_grub() {
	esp_mkdirs "$esp" EFI/debian
	deb_get "$1" shim-signed
	esp_put "$esp" "$DEB_DIR/usr/lib/shim/shimx64.efi.signed" EFI/debian/shimx64.efi
	echo "$2: shim-signed $DEB_VERSION" >> "$tmp/versions"
	deb_get "$1" grub-efi-amd64-signed
	esp_put "$esp" "$DEB_DIR/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" EFI/debian/grubx64.efi
	echo "$2: grub-efi-amd64-signed $DEB_VERSION" >> "$tmp/versions"
	# What grub-install puts beside the signed GRUB on the ESP
	printf "search.fs_uuid %s root\nset prefix=(\$root)'/boot/grub'\nconfigfile \$prefix/grub.cfg\n" \
		"$root_uuid" > "$tmp/esp-grub.cfg"
	esp_put "$esp" "$tmp/esp-grub.cfg" EFI/debian/grub.cfg
}

boot_entry() {
	nsh_script "$tmp/startup.nsh" \
		"bcfg boot add 1 fs0:$1 \"$2\"" \
		'bcfg boot mv 1 0'
	esp_put "$esp" "$tmp/startup.nsh"
	ovmf_vars "$tmp/vars.fd"
	qemu_boot "$esp_disk" "$tmp/vars.fd" "$tmp/setup.log" "${disks[@]}"
	mdel -i "$esp" ::/startup.nsh
	grep -q '^@@ rc=0x0$' "$tmp/setup.log" || { cat "$tmp/setup.log"; return 1; }
}

# How many times the words reached the kernel's command line
cmdline_of() {
	grep -a -m1 'Kernel command line:' "$1" | sed 's/.*Kernel command line: //'
}
