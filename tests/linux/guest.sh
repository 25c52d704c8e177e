#!/usr/bin/env bash
# Debian's Linux 6.1 as a test guest (sourced).
#   guest_kernel      fetch and unpack the current 6.1 unsigned kernel into
#                     $GUEST_CACHE; sets GUEST_VMLINUZ and GUEST_MODULES
#   guest_initrd OUT  a busybox initramfs with guest-init as /init, the
#                     efivarfs, reed_solomon and ramoops modules, and a
#                     static memmap as /bin/memmap (from $GUEST_MEMMAP)
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
	kernel_fetch "$GUEST_CACHE"
	# shellcheck disable=SC2034 # for the caller
	GUEST_VMLINUZ=$KERNEL_VMLINUZ
	GUEST_MODULES=$KERNEL_MODULES
}

guest_initrd() {
	local out=$1 root
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules"
	cp /bin/busybox "$root/bin/busybox"
	cp "$guest_here/guest-init" "$root/init"
	chmod +x "$root/init"
	cp "$GUEST_MODULES/fs/efivarfs/efivarfs.ko" \
	   "$GUEST_MODULES/lib/reed_solomon/reed_solomon.ko" \
	   "$GUEST_MODULES/fs/pstore/ramoops.ko" "$root/lib/modules/"
	cp "${GUEST_MEMMAP:?static memmap binary}" "$root/bin/memmap"
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
