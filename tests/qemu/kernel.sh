#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap.efi, then Debian's Linux 6.1 started from the same UEFI shell:
# the kernel's BIOS-e820 shows the placed region reserved, and memmap
# named reads it back from the MemmapNamed variable in efivarfs.
# Usage: kernel.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: kernel.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/linux/guest.sh
. "$here/../linux/guest.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

guest_prepare "$build" "$tmp/initrd.img"
esp=$tmp/esp.img
guest_esp "$build" "$esp" "$tmp/initrd.img"
nsh_script "$tmp/startup.nsh" \
	'memmap.efi -q memmap=12M*4096:oops' \
	'vmlinuz.efi initrd=\initrd.img console=ttyS0 panic=-1 mmstep=named'
esp_put "$esp" "$tmp/startup.nsh"
ovmf_vars "$tmp/vars.fd"
qemu_boot "$esp" "$tmp/vars.fd" "$tmp/log"

efi_line=$(grep -m1 '^named: oops ' "$tmp/log" || true)
read -r start end < <(echo "$efi_line" | sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p')
covered=no
while read -r s e; do
	if [ $((s)) -le $((start)) ] && [ $((e)) -ge $((end)) ]; then
		covered=yes
	fi
done < <(sed -n 's/^BIOS-e820: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\] reserved$/\1 \2/p' "$tmp/log")

if [ -n "${start:-}" ] && [ "$covered" = yes ]; then
	ok "Linux's BIOS-e820 has oops [$start-$end] reserved"
else
	bad "oops (${efi_line:-not placed}) is not reserved in Linux's BIOS-e820"
	grep 'BIOS-e820\|^@@' "$tmp/log" || tail -n 30 "$tmp/log"
fi
if grep -q '^@@ named rc=0$' "$tmp/log" &&
   [ "$(grep -cxF "$efi_line" "$tmp/log")" -eq 2 ]; then
	ok "memmap named under Linux reads $efi_line from efivarfs"
else
	bad "memmap named under Linux"
	grep '^named:\|^@@\|memmap' "$tmp/log" || tail -n 30 "$tmp/log"
fi
finish qemu-kernel
