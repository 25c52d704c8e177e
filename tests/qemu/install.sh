#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap install and uninstall for real, on a Debian 12 machine under
# OVMF: a GPT disk with the ESP (Debian's signed shim + GRUB 2.06, a
# "debian" boot entry) and an ext4 /boot with Linux 6.1.
#  Boot 1: Linux (through shim + GRUB) runs memmap install --dry-run,
#          memmap install (Debian's efibootmgr, efivarfs, the ESP mounted
#          at /boot/efi) and install again.
#  Boot 2: the firmware starts the new "memmap" entry: memmap.efi, then the
#          loader install found in BootCurrent; the kernel gets the words,
#          runs ramoops there and panics.
#  Boot 3: the record is shown by memmap.efi and listed by the kernel,
#          which runs memmap uninstall.
#  Boot 4: the "debian" entry again, and no word of memmap's.
# Usage: install.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: install.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/chainlib.sh
. "$here/chainlib.sh"

words='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16'
panic='Kernel panic - not syncing: sysrq triggered crash'

# The guest's extra files: efibootmgr and its libraries, memmap.efi and
# the GRUB files where make install puts them, the disk and FAT modules
guest_extra() {
	local x=$tmp/extra f ver base m
	rm -rf "$x"
	mkdir -p "$x/usr/local/lib/memmap" "$x/usr/local/share/memmap/grub" \
		 "$x/usr/bin" "$x/etc/grub.d" "$x/etc/default/grub.d"
	cp "$build/memmap.efi" "$x/usr/local/lib/memmap/"
	cp "$top/dist/grub/05_memmap" "$top/dist/grub/memmap.cfg" "$x/usr/local/share/memmap/grub/"
	printf '%s\n' "$words" > "$x/etc/memmap-words"
	printf '#!/bin/sh\necho "update-grub: the test stand-in (grub.cfg is made on the host)"\n' \
		> "$x/usr/bin/update-grub"
	chmod +x "$x/usr/bin/update-grub"
	for f in /usr/bin/efibootmgr $(ldd /usr/bin/efibootmgr | grep -o '/[^ ]*'); do
		mkdir -p "$x$(dirname "$f")"
		cp -L "$f" "$x$f"
	done
	base=${GUEST_MODULES%/lib/modules/*}
	ver=${GUEST_MODULES#"$base"/lib/modules/}
	ver=${ver%/kernel}
	[ -f "$base/lib/modules/$ver/modules.dep" ] || depmod -b "$base" "$ver"
	mkdir -p "$x/lib/modules/$ver"
	cp "$base/lib/modules/$ver/modules.dep" "$x/lib/modules/$ver/"
	for m in ahci sd_mod vfat nls_cp437 nls_ascii; do
		grep -E "/$m\\.ko(\\.xz)?:" "$base/lib/modules/$ver/modules.dep" |
			sed 's/[: ]\+/\n/g' | grep . | while read -r f; do
				mkdir -p "$x/lib/modules/$ver/$(dirname "$f")"
				cp "$base/lib/modules/$ver/$f" "$x/lib/modules/$ver/$f"
			done
	done
}

kernel_for 6.1
guest_extra
initrd=$tmp/initrd-install.img
GUEST_EXTRA=$tmp/extra GUEST_MEMMAP=$build/memmap-static guest_initrd "$initrd"

# The disk: GPT, the ESP as partition 1 (what efibootmgr and memmap
# install look for); /boot on a second disk
gpt=$tmp/disk.img
truncate -s 80M "$gpt"
printf 'label: gpt\nstart=2048, size=131072, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI System"\n' |
	sfdisk -q "$gpt"
mkfs.vfat -C "$tmp/part.img" 65536 > /dev/null
dd if="$tmp/part.img" of="$gpt" bs=1M seek=1 conv=notrunc status=none
rm -f "$tmp/part.img"
esp="$gpt@@1048576"
esp_disk=$gpt
esp_mkdirs "$esp" EFI
debian_grub bookworm install
make_root setup
disks=(-drive "format=raw,file=$tmp/root.img")
boot_entry '\EFI\debian\shimx64.efi' debian
ram=$tmp/ram.img

boot() {
	local ra
	make_root "$1"
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot "$gpt" "$tmp/vars.fd" "$2" "${disks[@]}" $ra
}

# Boot 1: install from Linux
boot install "$tmp/boot1.log"
l=$tmp/boot1.log
if grep -q '^@@ install rc=0$' "$l" &&
   grep -q '^@@ tree after dry-run: /boot/efi/EFI /boot/efi/EFI/debian ' "$l" &&
   ! grep -q '^@@ tree after dry-run: .*memmap' "$l"; then
	ok "install: --dry-run printed the steps and changed nothing"
else
	bad "install: dry-run or install failed"; grep -a 'install\|memmap\|@@' "$l" | head -n 40
fi
if grep -qF '@@ memmap.conf: ' "$l" && grep -F '@@ memmap.conf: ' "$l" | grep -qF "$words -- \\EFI\\debian\\shimx64.efi"; then
	ok "install: memmap.conf ends in the loader this system booted: $(grep -F '@@ memmap.conf: ' "$l")"
else
	bad "install: memmap.conf"; grep -a '@@ memmap.conf' "$l"
fi
order=$(grep -a -m1 '^BootOrder:' "$l" | sed 's/BootOrder: //') || true
first=${order%%,*}
if [ -n "$first" ] && grep -aq "^Boot$first\\* memmap.*\\\\EFI\\\\memmap\\\\memmap.efi" "$l"; then
	ok "install: efibootmgr made the memmap entry Boot$first, first in BootOrder $order"
else
	bad "install: no memmap entry first"; grep -a '^Boot' "$l"
fi
if grep -q '^@@ again: ' "$l" && ! grep '^@@ again: ' "$l" | grep -v 'unchanged\|already' | grep -q 'install: \(copy\|write\|run\)'; then
	ok "install: the second run changed nothing"
else
	bad "install: the second run"; grep '^@@ again' "$l"
fi

# Boot 2: the firmware starts memmap.efi, memmap.efi the loader
boot ramoops,panic "$tmp/boot2.log"
l=$tmp/boot2.log
read -r start end < <(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$l" | head -n 1) || true
a=$(printf '0x%x' "$((${start:-0}))")
want="memmap=0x100000\$$a ramoops.mem_address=$a ramoops.mem_size=0x100000 ramoops.ecc=16"
if [ -n "${start:-}" ] && grep -q '^memmap: starting \\EFI\\debian\\shimx64.efi (a boot loader' "$l" &&
   grep -qF -- "$want" <<< "$(cmdline_of "$l")"; then
	ok "boot 2: memmap.efi from the new entry, shim, GRUB; the kernel's command line: $(cmdline_of "$l")"
else
	bad "boot 2: $(cmdline_of "$l")"; grep -a 'memmap\|Failed\|BdsDxe' "$l" | head -n 20
fi
if grep -qF "ramoops: using 0x100000@$a, ecc: 16" "$l" && grep -qF "$panic" "$l"; then
	ok "boot 2: ramoops ran on oops at $a and the kernel panicked"
else
	bad "boot 2: ramoops or panic missing"; grep -a 'ramoops\|panic\|@@' "$l" | head
fi

# Boot 3: the crash log, then uninstall
boot ramoops,pstore,named,uninstall "$tmp/boot3.log"
l=$tmp/boot3.log
if grep -qx "named: oops \[mem ${start:-x}-${end:-x}\]" "$l" && grep -q '^pstore: dmesg-ramoops-0 (' "$l" &&
   grep -q '^@@ file dmesg-ramoops-0 ' "$l"; then
	ok "boot 3: oops at the same address; memmap.efi showed the record and the kernel lists it"
else
	bad "boot 3: crash log"; grep -a '^named\|^pstore\|^@@' "$l" | head
fi
order3=$(grep -a '^BootOrder:' "$l" | tail -n 1 | sed 's/BootOrder: //') || true
if grep -q '^@@ uninstall rc=0$' "$l" && grep -q '^@@ tree after uninstall: /boot/efi/EFI /boot/efi/EFI/debian ' "$l" &&
   ! grep -q '^@@ tree after uninstall: .*memmap' "$l" && ! grep -aq '^Boot[0-9A-F]*\* memmap' "$l" &&
   [ "$order3" = "${order#*,}" ]; then
	ok "uninstall: the entry and \\EFI\\memmap are gone, BootOrder is $order3 again"
else
	bad "uninstall: BootOrder '$order3' (before install: '${order#*,}')"; grep -a 'uninstall\|^Boot\|@@\|memmap: ' "$l" | grep -v 'Command line' | head -n 30
fi

# Boot 4: as before install
boot none "$tmp/boot4.log"
l=$tmp/boot4.log
if [ -n "$(cmdline_of "$l")" ] && ! grep -q 'memmap=\|ramoops' <<< "$(cmdline_of "$l")" &&
   ! grep -q '^named: \|^memmap: ' "$l"; then
	ok "boot 4: the debian entry, no memmap.efi, no words: $(cmdline_of "$l")"
else
	bad "boot 4: $(cmdline_of "$l")"; grep -a 'memmap\|BdsDxe' "$l" | head
fi
finish qemu-install
