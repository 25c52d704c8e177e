#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Secure Boot on a Debian machine. The firmware's db holds Microsoft's
# keys (OVMF's OVMF_VARS_4M.ms.fd), not the user's, so memmap.efi runs
# behind Debian's signed shim, signed with the user's key enrolled in MOK:
#   firmware -> Debian's signed shim -> memmap.efi (signed with the MOK
#   key) -> LOADER (Debian's shim again) -> Debian's signed GRUB ->
#   Debian's signed Linux 6.1, lockdown on.
# MokList (a non-volatile, boot-services-only variable holding the
# certificate, as MokManager leaves it) is written into the variable
# store before the first boot (build/varstore): with Secure Boot on no
# shell runs to set it, and MokManager's key presses are the one step not
# taken here. shim learns its second stage from the removable-media path
# (\EFI\BOOT\BOOTX64.EFI = shim, memmap.efi as grubx64.efi beside it)
# rather than from a boot entry's data: OVMF's secure-boot build stops
# before its console when a Boot#### variable is written into its store
# from outside, and a shell to run bcfg is refused under Secure Boot (the
# entry itself, shim with the data "memmap.efi", is what the non-secure
# build starts in this test's own development).
# Checked: the chain boots with Secure Boot on and the kernel gets the
# words; a memmap.efi signed with a key not in MOK is refused by shim.
# Usage: sbchain.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: sbchain.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/chainlib.sh
. "$here/chainlib.sh"

words='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16'
loader=${SB_LOADER:-\\EFI\\debian\\shimx64.efi}
secure=(-machine smm=on -global "driver=cfi.pflash01,property=secure,value=on")
mok_guid=605dab50-e046-4300-abb6-3dd810dd8b23

# The user's key, and one shim does not know
for k in mok other; do
	openssl req -new -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
		-subj "/CN=memmap test $k/" -keyout "$tmp/$k.key" -out "$tmp/$k.crt" 2> /dev/null
	cp "$build/memmap.efi" "$tmp/memmap-$k.efi"
	make -s -C "$top" sign KEY="$tmp/$k.key" CERT="$tmp/$k.crt" SIGN="$tmp/memmap-$k.efi" > /dev/null 2>&1
done
openssl x509 -in "$tmp/mok.crt" -outform DER -out "$tmp/mok.der"

# shellcheck disable=SC2001 # every byte
bin() { printf '%b' "$(sed 's/../\\x&/g' <<< "$1")"; }
le32() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }

# MokList, as MokManager leaves it: one EFI_SIGNATURE_LIST of type
# EFI_CERT_X509_GUID (GUIDs little-endian in their first three fields)
# holding the certificate, owned by shim's GUID
n=$(stat -c %s "$tmp/mok.der")
{ bin "a159c0a5e494a74a87b5ab155c2bf072$(le32 $((28 + 16 + n)))$(le32 0)$(le32 $((16 + n)))"
  bin 50ab5d6046e00043abb63dd810dd8b23; cat "$tmp/mok.der"; } > "$tmp/moklist.bin"

# Debian's signed kernel and modules (lockdown refuses unsigned modules)
KERNEL_PKG=$(kernel_package | sed 's/-unsigned$//') || { kernel_apt_update; KERNEL_PKG=$(kernel_package | sed 's/-unsigned$//'); }
kernel_fetch "$GUEST_CACHE"
GUEST_VMLINUZ=$KERNEL_VMLINUZ GUEST_MODULES=$KERNEL_MODULES
initrd=$tmp/initrd.img
GUEST_MEMMAP=$build/memmap-static guest_initrd "$initrd"

esp=$tmp/esp.img
esp_disk=$esp
esp_new "$esp"
esp_mkdirs "$esp" EFI EFI/BOOT
debian_grub bookworm sb
mcopy -i "$esp" ::/EFI/debian/shimx64.efi ::/EFI/BOOT/BOOTX64.EFI
printf '%s\r\n-- %s\r\n' "$words" "$loader" > "$tmp/memmap.conf"
esp_put "$esp" "$tmp/memmap.conf" EFI/BOOT/memmap.conf
# memmap.efi runs as \EFI\BOOT\grubx64.efi here: memmap.env is beside it
export MEMMAP_ENV=/EFI/BOOT/memmap.env
make_root ramoops,panic
disks=(-drive "format=raw,file=$tmp/root.img")

# The variables a Debian machine has after `mokutil --import` and
# MokManager
cp /usr/share/OVMF/OVMF_VARS_4M.ms.fd "$tmp/vars.fd"
"$build/varstore" "$tmp/vars.fd" MokList $mok_guid 3 "$tmp/moklist.bin"
cp "$tmp/vars.fd" "$tmp/vars-other.fd"

sb_boot() {
	esp_put "$esp" "$2" EFI/BOOT/grubx64.efi
	OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd \
		qemu_boot "$esp" "$1" "$3" "${disks[@]}" "${secure[@]}"
}

# The key in MOK: the whole chain boots with Secure Boot on
l=$tmp/boot1.log
sb_boot "$tmp/vars.fd" "$tmp/memmap-mok.signed.efi" "$l"
read -r start _ < <(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$l" | head -n 1) || true
a=$(printf '0x%x' "$((${start:-0}))")
want="memmap=0x100000\$$a ramoops.mem_address=$a ramoops.mem_size=0x100000 ramoops.ecc=16"
if [ -n "${start:-}" ] && grep -qF -- "$want" <<< "$(cmdline_of "$l")" &&
   grep -aq 'Secure boot enabled' "$l"; then
	ok "Secure Boot: shim -> memmap.efi (MOK key) -> $loader -> GRUB -> Linux: $(cmdline_of "$l")"
else
	bad "Secure Boot: the chain with the MOK key: $(cmdline_of "$l")"
	grep -a 'memmap\|shim\|Verif\|Security\|Access\|BdsDxe\|error\|Secure' "$l" | head -n 30
fi
# Lockdown (Debian's kernel under Secure Boot) refuses ramoops' hardware
# parameters: mem_address is one, so ramoops does not run from the
# rewritten words. Pinned here, and said in the README.
if grep -aqF "ramoops: \`$a' invalid for parameter \`mem_address'" "$l" &&
   grep -aq 'Lockdown: insmod: unsafe module parameters is restricted' "$l"; then
	ok "Secure Boot: lockdown refuses ramoops.mem_address=$a (an unsafe module parameter)"
else
	bad "Secure Boot: Linux's lockdown answer to ramoops' parameters changed"
	grep -a 'ramoops\|Lockdown\|@@' "$l" | head
fi

# A key shim does not know: memmap.efi is refused, nothing placed
l=$tmp/boot2.log
# shim shows its refusal in a box and waits for a key
QEMU_UNTIL='Verification failed' sb_boot "$tmp/vars-other.fd" "$tmp/memmap-other.signed.efi" "$l" || true
if ! grep -q '^named: ' "$l" && grep -aqi 'verification failed\|security violation\|access denied' "$l"; then
	ok "Secure Boot: shim refuses a memmap.efi signed with a key not in MOK: $(grep -ao -m1 'Verification failed: ([^)]*) [A-Za-z ]*[a-z]' "$l")"
else
	bad "Secure Boot: the unknown key was not refused"; grep -a 'memmap\|shim\|Verif\|named' "$l" | head
fi
# The boot entry a user makes (shim, its data naming memmap.efi), started
# by OVMF without Secure Boot: shim starts memmap.efi beside it
ucs2() { printf '%s\0' "$1" | iconv -f ascii -t UTF-16LE; }
le16() { printf '%04x' "$1" | sed 's/\(..\)\(..\)/\2\1/'; }
fp=$(ucs2 '\EFI\memmap\shimx64.efi' | od -An -v -tx1 | tr -d ' \n')
# PciRoot(0x0)/Pci(0x1F,0x2)/Sata(0x0,0xFFFF,0x0)/\EFI\memmap\shimx64.efi
dp=02010c00d041030a00000000
dp=${dp}01010600021f
dp=${dp}03120a000000ffff0000
dp=${dp}0404$(le16 $((4 + ${#fp} / 2)))${fp}7fff0400
{ bin "$(le32 1)$(le16 $((${#dp} / 2)))"; ucs2 memmap; bin "$dp"; ucs2 memmap.efi; } > "$tmp/boot0000.bin"
bin 0000 > "$tmp/bootorder.bin"
efi_guid=8be4df61-93ca-11d2-aa0d-00e098032b8c
cp "$OVMF_VARS" "$tmp/vars-entry.fd"
"$build/varstore" "$tmp/vars-entry.fd" Boot0000 $efi_guid 7 "$tmp/boot0000.bin"
"$build/varstore" "$tmp/vars-entry.fd" BootOrder $efi_guid 7 "$tmp/bootorder.bin"
esp_mkdirs "$esp" EFI/memmap
mcopy -i "$esp" ::/EFI/debian/shimx64.efi ::/EFI/memmap/shimx64.efi
esp_put "$esp" "$tmp/memmap-mok.signed.efi" EFI/memmap/memmap.efi
esp_put "$esp" "$tmp/memmap.conf" EFI/memmap/memmap.conf
l=$tmp/boot3.log
QEMU_UNTIL='^memmap: starting' qemu_boot "$esp" "$tmp/vars-entry.fd" "$l" "${disks[@]}"
if grep -aq 'BdsDxe: starting Boot0000 "memmap" from .*\\EFI\\memmap\\shimx64.efi' "$l" &&
   grep -q '^named: oops ' "$l" && grep -q '^memmap: starting \\EFI\\debian\\shimx64.efi' "$l"; then
	ok "the entry \\EFI\\memmap\\shimx64.efi with the data memmap.efi starts memmap.efi (Secure Boot off)"
else
	bad "the shim entry"; grep -a 'BdsDxe\|named\|memmap' "$l" | head
fi
finish qemu-sbchain
