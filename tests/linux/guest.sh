#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's Linux as a test guest (sourced): 6.1 (Debian 12), or 6.12
# (Debian 13) with GUEST_LINUX=6.12.
#   guest_kernel      fetch and unpack the current unsigned kernel of that
#                     version; sets GUEST_VMLINUZ, GUEST_MODULES, and
#                     GUEST_PKG and GUEST_VERSION (its package, version)
#   guest_initrd OUT  a busybox initramfs with guest-init as /init, the
#                     efivarfs, reed_solomon and ramoops modules, and a
#                     static memmap as /bin/memmap (from $GUEST_MEMMAP);
#                     with GUEST_EXTRA, that directory's tree on top
#   guest_prepare BUILD INITRD
#                     both: the kernel, and an initramfs with BUILD's
#                     static memmap
#   guest_esp BUILD ESP INITRD
#                     a FAT image with BUILD's memmap.efi, the kernel as
#                     \vmlinuz.efi and INITRD as \initrd.img (needs
#                     tests/qemu/lib.sh)
set -euo pipefail

guest_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GUEST_CACHE=${GUEST_CACHE:-$(cd "$guest_here/../.." && pwd)/build/kernel}
# shellcheck source=tests/linux/kernel.sh
. "$guest_here/kernel.sh"

guest_kernel() {
	local pkg
	case ${GUEST_LINUX:-6.1} in
	6.1)
		kernel_fetch "$GUEST_CACHE"
		# shellcheck disable=SC2034 # for the caller
		GUEST_VMLINUZ=$KERNEL_VMLINUZ
		GUEST_MODULES=$KERNEL_MODULES
		GUEST_PKG=$KERNEL_PKG
		GUEST_VERSION=$KERNEL_VERSION
		;;
	6.12)
		# shellcheck source=tests/qemu/debian.sh
		. "$guest_here/../qemu/debian.sh"
		pkg=$(deb_depends trixie linux-image-amd64 'linux-image-6\.12\..*-amd64')
		deb_get trixie "$pkg-unsigned"
		GUEST_VMLINUZ=$(compgen -G "$DEB_DIR/boot/vmlinuz-*" | head -n 1)
		GUEST_MODULES=$(compgen -G "$DEB_DIR/usr/lib/modules/*/kernel" | head -n 1)
		GUEST_PKG=$pkg-unsigned
		GUEST_VERSION=$DEB_VERSION
		;;
	*)
		echo "guest: GUEST_LINUX is 6.1 or 6.12, not $GUEST_LINUX" >&2
		return 1
		;;
	esac
}

guest_initrd() {
	local out=$1 root
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules"
	cp /bin/busybox "$root/bin/busybox"
	cp "$guest_here/guest-init" "$root/init"
	chmod +x "$root/init"
	# 6.12's modules are xz-compressed; busybox insmod wants them plain
	for m in fs/efivarfs/efivarfs lib/reed_solomon/reed_solomon fs/pstore/ramoops; do
		if [ -f "$GUEST_MODULES/$m.ko" ]; then
			cp "$GUEST_MODULES/$m.ko" "$root/lib/modules/"
		else
			xz -dc "$GUEST_MODULES/$m.ko.xz" > "$root/lib/modules/${m##*/}.ko"
		fi
	done
	cp "${GUEST_MEMMAP:?static memmap binary}" "$root/bin/memmap"
	[ -z "${GUEST_EXTRA:-}" ] || cp -a "$GUEST_EXTRA/." "$root/"
	(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -9 > "$out"
	rm -rf "$root"
}

guest_prepare() {
	guest_kernel
	GUEST_MEMMAP=$1/memmap-static guest_initrd "$2"
}

guest_esp() {
	esp_new "$2"
	esp_put "$2" "$1/memmap.efi"
	esp_put "$2" "$GUEST_VMLINUZ" vmlinuz.efi
	esp_put "$2" "$3" initrd.img
}
