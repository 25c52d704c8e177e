#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap.efi as a UEFI boot option with its options stored in the entry,
# set up from the shell with bcfg; the next boot runs it from the boot
# manager (LoadOptions, no shell), and it chain-loads another EFI image,
# as it would GRUB or a kernel, which finds what it published.  (A boot
# option that returns EFI_SUCCESS sends EDK2's boot manager to its menu,
# so a real entry chains on too.)
# Usage: bootentry.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: bootentry.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

esp=$tmp/esp.img
esp_new "$esp"
esp_put "$esp" "$build/memmap.efi"
esp_put "$esp" "$build/lookup.efi"
# bcfg stores a file's bytes as the entry's data: UCS-2, here with a BOM
{ printf '\xff\xfe'; printf 'memmap=1M*4096:ent -q -- lookup.efi ent poweroff' |
	iconv -f ascii -t UTF-16LE; } > "$tmp/opts.bin"
esp_put "$esp" "$tmp/opts.bin"
ovmf_vars "$tmp/vars.fd"

# Boot 1: the entry, first in BootOrder (bcfg refuses -opt on position 0,
# so it is added at 1 and moved)
nsh_script "$tmp/startup.nsh" \
	'bcfg boot add 1 fs0:\memmap.efi "memmap"' \
	'bcfg boot -opt 1 opts.bin' \
	'bcfg boot mv 1 0' \
	'bcfg boot dump -v'
esp_put "$esp" "$tmp/startup.nsh"
qemu_boot "$esp" "$tmp/vars.fd" "$tmp/boot1.log"
if section "$tmp/boot1.log" 4 | grep -A1 'Desc    - memmap$' | grep -q 'DevPath.*memmap.efi'; then
	ok "bcfg: memmap.efi added as the first boot option with stored options"
else
	bad "bcfg setup"; section "$tmp/boot1.log" 4
fi

# Boot 2: the boot manager starts memmap.efi with the stored options
qemu_boot "$esp" "$tmp/vars.fd" "$tmp/boot2.log"
line=$(grep -m1 '^named: ent \[mem ' "$tmp/boot2.log" || true)
if [ -n "$line" ] && ! grep -q '^BIOS-e820' "$tmp/boot2.log"; then
	ok "boot entry: memmap.efi ran with its stored options (-q): $line"
else
	bad "boot entry: no named line"; grep -a 'BdsDxe\|named\|memmap' "$tmp/boot2.log" | head
fi
# lookup.efi is no kernel: it gets only the words after its path
if grep -qx "memmap: starting lookup.efi (a boot loader: .*) ent poweroff" "$tmp/boot2.log" &&
   grep -qxF "lookup: ${line#named: }" "$tmp/boot2.log"; then
	ok "boot entry: the chain-loaded image finds ent through the config table"
else
	bad "boot entry: chain-load from the boot entry"; grep -a 'memmap\|lookup' "$tmp/boot2.log"
fi
finish qemu-bootentry
