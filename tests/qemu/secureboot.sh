#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Secure Boot: OVMF's secure-boot build with Debian's snakeoil keys
# enrolled.  memmap.efi signed with `make sign`, started as
# \EFI\BOOT\BOOTX64.EFI with memmap.conf beside it, runs (and chain-loads
# a signed image); an unsigned copy is refused.
# Usage: secureboot.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: secureboot.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS_4M.snakeoil.fd
secure=(-machine smm=on -global "driver=cfi.pflash01,property=secure,value=on")

# The snakeoil key is encrypted (password "snakeoil"); sbsign would prompt
openssl rsa -in /usr/share/ovmf/PkKek-1-snakeoil.key -passin pass:snakeoil \
	-out "$tmp/key.pem" 2> /dev/null
cert=/usr/share/ovmf/PkKek-1-snakeoil.pem
cp "$build/memmap.efi" "$build/lookup.efi" "$tmp/"
for f in memmap lookup; do
	make -s -C "$top" sign KEY="$tmp/key.pem" CERT="$cert" SIGN="$tmp/$f.efi" > /dev/null 2>&1
done

# memmap.conf: options, kernel words and -- PATH, as a boot entry needs
printf '# memmap.efi started as BOOTX64.EFI\r\n-q memmap=1M*4096:sb\r\n-- lookup.efi sb poweroff\r\n' > "$tmp/memmap.conf"

esp_with() {
	esp_new "$1"
	mmd -i "$1" ::/EFI ::/EFI/BOOT
	esp_put "$1" "$2" EFI/BOOT/BOOTX64.EFI
	esp_put "$1" "$tmp/memmap.conf" EFI/BOOT/memmap.conf
	esp_put "$1" "$tmp/lookup.signed.efi" EFI/BOOT/lookup.efi
}

# Signed: runs, places sb, chain-loads the signed lookup.efi
esp_with "$tmp/signed.img" "$tmp/memmap.signed.efi"
ovmf_vars "$tmp/vars1.fd"
qemu_boot "$tmp/signed.img" "$tmp/vars1.fd" "$tmp/signed.log" "${secure[@]}"
line=$(grep -m1 '^named: sb \[mem ' "$tmp/signed.log" || true)
if [ -n "$line" ] && grep -qxF "lookup: ${line#named: }" "$tmp/signed.log"; then
	ok "Secure Boot: the signed memmap.efi ran from BOOTX64.EFI with memmap.conf: $line"
else
	bad "Secure Boot: the signed memmap.efi did not run"; grep -a 'BdsDxe\|named\|lookup\|memmap' "$tmp/signed.log" | head
fi

# Unsigned: refused; the firmware would then wait in its menu
esp_with "$tmp/unsigned.img" "$build/memmap.efi"
ovmf_vars "$tmp/vars2.fd"
QEMU_UNTIL='No bootable option or device was found' \
	qemu_boot "$tmp/unsigned.img" "$tmp/vars2.fd" "$tmp/unsigned.log" "${secure[@]}"
if grep -aq 'BdsDxe: failed to load Boot.*QEMU HARDDISK.*Access Denied' "$tmp/unsigned.log" &&
   ! grep -aq '^named: ' "$tmp/unsigned.log"; then
	ok "Secure Boot: an unsigned copy is refused (Access Denied)"
else
	bad "Secure Boot: the unsigned copy was not refused"; grep -a 'BdsDxe' "$tmp/unsigned.log" | head
fi
finish qemu-secureboot
