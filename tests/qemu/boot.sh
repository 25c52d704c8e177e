#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap.efi as the loader, end to end, against Debian's Linux 6.1:
#  Boot 1: memmap.efi places and names oops, starts the kernel with the
#          resolved command line; the kernel runs ramoops there (ecc=16)
#          and panics.
#  Boot 2: same RAM file and variable store: oops lands at the same
#          address, memmap.efi prints and saves the panic record, starts
#          the kernel, which still lists the record and reads MemmapNamed.
#  Boot 3: the record is shown again but not saved again.
# Usage: boot.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: boot.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
# shellcheck source=tests/linux/guest.sh
. "$here/../linux/guest.sh"
tmp=${KEEP_TMP:-$(mktemp -d)}
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT

panic='Kernel panic - not syncing: sysrq triggered crash'
words='memmap=1M*4096:oops ramoops.mem_name=oops ramoops.ecc=16'
kargs='initrd=\initrd.img console=ttyS0 panic=-1'

guest_prepare "$build" "$tmp/initrd.img"
esp=$tmp/esp.img
guest_esp "$build" "$esp" "$tmp/initrd.img"
ovmf_vars "$tmp/vars.fd"
ram=$tmp/ram.img

boot() {
	nsh_script "$tmp/startup.nsh" "memmap.efi ${opts:-} $words -- \\vmlinuz.efi $kargs mmstep=$1"
	esp_put "$esp" "$tmp/startup.nsh"
	local ra
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot "$esp" "$tmp/vars.fd" "$2" $ra
}

# Boot 1
boot ramoops,panic "$tmp/boot1.log"
read -r start end < <(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$tmp/boot1.log" | head -n 1)
a=$(printf '0x%x' "$((start))")
expect="memmap=0x100000\$$a ramoops.mem_address=$a ramoops.mem_size=0x100000 ramoops.ecc=16 $kargs mmstep=ramoops,panic"
if grep -qF "Kernel command line: $expect" "$tmp/boot1.log"; then
	ok "boot 1: the kernel got the resolved command line: $expect"
else
	bad "boot 1: kernel command line: $(grep -m1 'Kernel command line' "$tmp/boot1.log" || echo none)"
fi
if grep -qF "ramoops: using 0x100000@$a, ecc: 16" "$tmp/boot1.log" &&
   grep -qF "$panic" "$tmp/boot1.log"; then
	ok "boot 1: ramoops ran on oops at $a and the kernel panicked"
else
	bad "boot 1: ramoops or panic missing"; grep 'ramoops\|panic\|@@' "$tmp/boot1.log" || tail -n 20 "$tmp/boot1.log"
fi

# Boot 2, with two old sets of saves on the ESP and a cap they and the
# new one exceed: the oldest set goes
head -c 10000 /dev/zero > "$tmp/old"
mmd -i "$esp" ::/pstore 2> /dev/null || true
for d in 20200101-000000 20210101-000000; do
	mmd -i "$esp" ::/pstore/$d
	mcopy -i "$esp" "$tmp/old" ::/pstore/$d/dmesg-ramoops-0
done
opts='--pstore-keep 24K' boot ramoops,pstore,named "$tmp/boot2.log"
mdir -/ -b -i "$esp" ::/pstore > "$tmp/pstore.dir" 2> /dev/null || true
if grep -qx 'pstore: removed \\pstore\\20200101-000000 (10000 bytes), the oldest: \\pstore is kept under 24576 bytes (--pstore-keep)' "$tmp/boot2.log" &&
   ! grep -q '20200101-000000' "$tmp/pstore.dir" && grep -q '20210101-000000/dmesg-ramoops-0' "$tmp/pstore.dir"; then
	ok "boot 2: --pstore-keep 24K: the oldest set of saves removed, the next one kept"
else
	bad "boot 2: --pstore-keep"; grep '^pstore' "$tmp/boot2.log"; cat "$tmp/pstore.dir"
fi
if grep -qx "named: oops \[mem $start-$end\]" "$tmp/boot2.log"; then
	ok "boot 2: oops at the same address"
else
	bad "boot 2: oops is $(grep -m1 '^named: oops' "$tmp/boot2.log" || echo missing)"
fi
if grep -q '^pstore: dmesg-ramoops-0 (' "$tmp/boot2.log" &&
   grep -q '^pstore: saved \\pstore\\.*\\dmesg-ramoops-0$' "$tmp/boot2.log" &&
   [ "$(grep -cF "$panic" "$tmp/boot2.log")" -ge 1 ]; then
	ok "boot 2: memmap.efi printed and saved the panic record before the kernel"
else
	bad "boot 2: no panic record from memmap.efi"; grep '^pstore\|^ECC' "$tmp/boot2.log"
fi
if grep -q '^@@ file dmesg-ramoops-0 ' "$tmp/boot2.log" &&
   grep -q '^@@ pstore rc=0$' "$tmp/boot2.log"; then
	ok "boot 2: the kernel still lists dmesg-ramoops-0 in /sys/fs/pstore"
else
	bad "boot 2: the kernel does not list the record"; grep '^@@' "$tmp/boot2.log"
fi
if [ "$(grep -cx "named: oops \[mem $start-$end\]" "$tmp/boot2.log")" -eq 2 ] &&
   grep -q '^@@ named rc=0$' "$tmp/boot2.log"; then
	ok "boot 2: the kernel reads oops from MemmapNamed"
else
	bad "boot 2: memmap named in the kernel"; grep '^named\|^@@' "$tmp/boot2.log"
fi
# Boot 3: the record is still in RAM (nothing cleared it): memmap.efi
# shows it but does not save it again (\pstore\saved.idx knows it)
boot named "$tmp/boot3.log"
saved=$(sed -n 's/^pstore: saved \(.*\)$/\1/p' "$tmp/boot2.log" | head -n 1)
if [ -n "$saved" ] && grep -qxF "pstore: already saved as $saved" "$tmp/boot3.log" &&
   ! grep -q '^pstore: saved ' "$tmp/boot3.log"; then
	ok "boot 3: the same record is not saved again: pstore: already saved as $saved"
else
	bad "boot 3: saved again"; grep '^pstore' "$tmp/boot3.log"
fi
finish qemu-boot
