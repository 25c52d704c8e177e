#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap.efi as the loader, end to end, against Debian's Linux 6.1 (one
# CPU) and 6.12 (three CPUs), each:
#  Boot 1: memmap.efi places and names oops, starts the kernel with the
#          resolved command line; the kernel runs ramoops there (ecc=16)
#          and panics.
#  Boot 2: same RAM file and variable store: oops lands at the same
#          address, memmap.efi prints and saves the panic record, starts
#          the kernel, which still lists the record and reads MemmapNamed.
#  Boot 3: the record is shown again but not saved again.
#  Boots 4 and 5 (6.12): the kernel's own reserve_mem= with the same
#          words, for the README's comparison.
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

# One boot of step $1 to log $2, over boots()'s kernel, ESP, RAM and CPUs
boot() {
	nsh_script "$t/startup.nsh" "memmap.efi ${opts:-} $words -- \\vmlinuz.efi $kargs mmstep=$1"
	esp_put "$esp" "$t/startup.nsh"
	local ra
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot "$esp" "$t/vars.fd" "$2" $ra -smp "$cpus"
}

# The boots for one kernel: LINUX (6.1, 6.12) with CPUS CPUs
boots() {
	local linux=$1 cpus=$2 t esp ram start end a saved
	t=$tmp/$linux
	mkdir -p "$t"
	GUEST_LINUX=$linux guest_prepare "$build" "$t/initrd.img"
	esp=$t/esp.img
	guest_esp "$build" "$esp" "$t/initrd.img"
	ovmf_vars "$t/vars.fd"
	ram=$t/ram.img

	# Boot 0: the firmware's first boot with fresh variables lays memory
	# out differently from every later one (oops would move once); the
	# boots below are later ones, as on a machine
	nsh_script "$t/startup.nsh"
	esp_put "$esp" "$t/startup.nsh"
	qemu_boot "$esp" "$t/vars.fd" "$t/boot0.log" -smp "$cpus"

	# Boot 1
	boot ramoops,panic "$t/boot1.log"
	read -r start end < <(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$t/boot1.log" | head -n 1)
	a=$(printf '0x%x' "$((start))")
	expect="memmap=0x100000\$$a ramoops.mem_address=$a ramoops.mem_size=0x100000 ramoops.ecc=16 $kargs mmstep=ramoops,panic"
	if grep -qF "Kernel command line: $expect" "$t/boot1.log"; then
		ok "$linux boot 1: the kernel got the resolved command line: $expect"
	else
		bad "$linux boot 1: kernel command line: $(grep -m1 'Kernel command line' "$t/boot1.log" || echo none)"
	fi
	if grep -qF "ramoops: using 0x100000@$a, ecc: 16" "$t/boot1.log" &&
	   grep -qF "$panic" "$t/boot1.log"; then
		ok "$linux boot 1: ramoops ran on oops at $a and the kernel panicked"
	else
		bad "$linux boot 1: ramoops or panic missing"; grep 'ramoops\|panic\|@@' "$t/boot1.log" || tail -n 20 "$t/boot1.log"
	fi

	# Boot 2, with two old sets of saves on the ESP and a cap they and the
	# new one exceed: the oldest set goes
	head -c 10000 /dev/zero > "$t/old"
	mmd -i "$esp" ::/pstore 2> /dev/null || true
	for d in 20200101-000000 20210101-000000; do
		mmd -i "$esp" ::/pstore/$d
		mcopy -i "$esp" "$t/old" ::/pstore/$d/dmesg-ramoops-0
	done
	opts='--pstore-keep 24K' boot ramoops,pstore,named "$t/boot2.log"
	mdir -/ -b -i "$esp" ::/pstore > "$t/pstore.dir" 2> /dev/null || true
	if grep -qx 'pstore: removed \\pstore\\20200101-000000 (10000 bytes), the oldest: \\pstore is kept under 24576 bytes (--pstore-keep)' "$t/boot2.log" &&
	   ! grep -q '20200101-000000' "$t/pstore.dir" && grep -q '20210101-000000/dmesg-ramoops-0' "$t/pstore.dir"; then
		ok "$linux boot 2: --pstore-keep 24K: the oldest set of saves removed, the next one kept"
	else
		bad "$linux boot 2: --pstore-keep"; grep '^pstore' "$t/boot2.log"; cat "$t/pstore.dir"
	fi
	if grep -qx "named: oops \[mem $start-$end\]" "$t/boot2.log"; then
		ok "$linux boot 2: oops at the same address"
	else
		bad "$linux boot 2: oops is $(grep -m1 '^named: oops' "$t/boot2.log" || echo missing)"
	fi
	if grep -q '^pstore: dmesg-ramoops-0 (' "$t/boot2.log" &&
	   grep -q '^pstore: saved \\pstore\\.*\\dmesg-ramoops-0$' "$t/boot2.log" &&
	   [ "$(grep -cF "$panic" "$t/boot2.log")" -ge 1 ]; then
		ok "$linux boot 2: memmap.efi printed and saved the panic record before the kernel"
	else
		bad "$linux boot 2: no panic record from memmap.efi"; grep '^pstore\|^ECC' "$t/boot2.log"
	fi
	if grep -q '^@@ file dmesg-ramoops-0 ' "$t/boot2.log" &&
	   grep -q '^@@ pstore rc=0$' "$t/boot2.log"; then
		ok "$linux boot 2: the kernel still lists dmesg-ramoops-0 in /sys/fs/pstore"
	else
		bad "$linux boot 2: the kernel does not list the record"; grep '^@@' "$t/boot2.log"
	fi
	if [ "$(grep -cx "named: oops \[mem $start-$end\]" "$t/boot2.log")" -eq 2 ] &&
	   grep -q '^@@ named rc=0$' "$t/boot2.log"; then
		ok "$linux boot 2: the kernel reads oops from MemmapNamed"
	else
		bad "$linux boot 2: memmap named in the kernel"; grep '^named\|^@@' "$t/boot2.log"
	fi
	# Boot 3: the record is still in RAM (nothing cleared it): memmap.efi
	# shows it but does not save it again (\pstore\saved.idx knows it)
	boot named "$t/boot3.log"
	saved=$(sed -n 's/^pstore: saved \(.*\)$/\1/p' "$t/boot2.log" | head -n 1)
	if [ -n "$saved" ] && grep -qxF "pstore: already saved as $saved" "$t/boot3.log" &&
	   ! grep -q '^pstore: saved ' "$t/boot3.log"; then
		ok "$linux boot 3: the same record is not saved again: pstore: already saved as $saved"
	else
		bad "$linux boot 3: saved again"; grep '^pstore' "$t/boot3.log"
	fi
	[ "$linux" = 6.12 ] || return 0

	# Boots 4 and 5, 6.12 only: the words memmap.efi would rewrite, given
	# to the kernel as they are (reserve_mem= and ramoops.mem_name= are
	# 6.11's): it places oops itself, ramoops runs there; where, and
	# whether boot 4's panic record is still there on boot 5, is said
	local own k4 k5
	own='reserve_mem=1M:4096:oops ramoops.mem_name=oops ramoops.ecc=16'
	for k in 4 5; do
		nsh_script "$t/startup.nsh" "vmlinuz.efi $kargs $own mmstep=ramoops,pstore,panic"
		esp_put "$esp" "$t/startup.nsh"
		# shellcheck disable=SC2046
		qemu_boot "$esp" "$t/vars.fd" "$t/boot$k.log" $(ram_args "$ram") -smp "$cpus"
	done
	k4=$(sed -n 's/^ramoops: using 0x100000@\(0x[0-9a-f]*\), ecc: 16$/\1/p' "$t/boot4.log")
	k5=$(sed -n 's/^ramoops: using 0x100000@\(0x[0-9a-f]*\), ecc: 16$/\1/p' "$t/boot5.log")
	if grep -aqF "Kernel command line: vmlinuz.efi $kargs $own" "$t/boot4.log" && [ -n "$k4" ] && [ -n "$k5" ] &&
	   grep -qF "$panic" "$t/boot4.log"; then
		ok "$linux boots 4, 5: its own reserve_mem: ramoops at $k4, then $k5 (memmap.efi's: $a on every boot); boot 4's panic record on boot 5: $(grep -q '^@@ file dmesg-ramoops-0 ' "$t/boot5.log" && echo kept || echo lost)"
	else
		bad "$linux boots 4, 5: its own reserve_mem"; grep -a 'ramoops\|reserve_mem\|@@' "$t/boot4.log" "$t/boot5.log"
	fi
}

# BOOT_LINUX: the kernels to run (both by default)
for linux in ${BOOT_LINUX:-6.1 6.12}; do
	if [ "$linux" = 6.1 ]; then boots 6.1 1; else boots 6.12 3; fi
done
finish qemu-boot
