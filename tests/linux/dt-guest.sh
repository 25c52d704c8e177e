#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's arm64 Linux booted straight from QEMU's virt machine with a device
# tree of our own (sourced), for the /reserved-memory oracle (dt-oracle.sh).
#   dt_kernel 6.1|6.12   fetch and unpack Debian's current arm64 unsigned
#                        image of that version (6.1 from bookworm and
#                        bookworm-security, 6.12 from trixie; the ABI that
#                        linux-image-arm64 depends on) through a private
#                        arm64 apt list (tests/qemu/debian.sh); sets
#                        DT_VMLINUZ (an uncompressed arm64 Image), DT_KPKG
#                        and DT_KVERSION (its package and version)
#   dt_dtb CASE.dtsi OUT.dtb
#                        QEMU's own virt device tree for -cpu cortex-a57
#                        -m $DT_MEM, decompiled, with the case added, as
#                        OUT's .dts beside OUT (OUT with .dtb replaced by
#                        .dts) and compiled into OUT
#   dt_initrd OUT        a busybox initramfs for dt_kernel's kernel (Debian
#                        12's arm64 busybox-static; ramoops.ko and
#                        efivarfs.ko with what they need); its /init loads
#                        them and prints "@@ " lines for the host: ramoops'
#                        and pstore's dmesg lines, the children of
#                        /reserved-memory in /proc/device-tree,
#                        /sys/firmware/fdt in base64 between "@@ fdt begin"
#                        and "@@ fdt end", MemmapNamed when the kernel came
#                        through UEFI; then
#                        dtpstore.boot=1 on the command line writes
#                        "dt-pstore kmsg NONCE" (dtpstore.nonce=) to
#                        /dev/kmsg and panics, any other boot lists
#                        /sys/fs/pstore's records ("@@ file NAME SIZE" ..
#                        "@@ end NAME") and powers off; sets
#                        DT_BUSYBOX_VERSION
#   dt_boot KERNEL DTB LOG [QEMU-ARG...]
#                        boot KERNEL with DTB and the command line
#                        $DT_APPEND (no initrd unless a QEMU-ARG gives one)
#                        until QEMU ends (panic=-1, -no-reboot), or is
#                        stopped at a kernel panic that halts (DT_STOPPED=1
#                        then, else 0); the serial console, CRs and ANSI
#                        escapes stripped, goes to LOG (raw: LOG.raw);
#                        fails if QEMU is still running after $DT_TIMEOUT
#                        seconds or exits with an error
#
# A case file is device tree source: lines that start with /memreserve/
# go after the base's /dts-v1/; line (dtc wants them before any node),
# every other line is appended to the base, where its `/ { ... };` merges
# into the root node. The base's /chosen rng-seed and kaslr-seed, random
# in every dump, are pinned to fixed values, so that the same QEMU gives
# the same DTS every time and the boots repeat exactly (KASLR stays on,
# with a fixed seed).
#
# Environment: DT_MEM (QEMU -m, default 1G), DT_TIMEOUT (seconds per
# boot, default 120), DT_QEMU (default qemu-system-aarch64), DT_DTC
# (default dtc).
set -euo pipefail

dt_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DT_MEM=${DT_MEM:-1G}
DT_TIMEOUT=${DT_TIMEOUT:-120}
DT_QEMU=${DT_QEMU:-qemu-system-aarch64}
DT_DTC=${DT_DTC:-dtc}
# The kernel command line of every boot: the PL011 as early console (so the
# earliest lines are printed as they happen, memblock=debug's too), and
# memblock=debug for every reservation and allocation and the final
# "MEMBLOCK configuration" dump
DT_APPEND='console=ttyAMA0 earlycon=pl011,0x9000000 memblock=debug panic=-1'
# The pinned /chosen seeds (see above)
DT_RNG_SEED='<0x6d656d6d 0x61702d64 0x742d6f72 0x61636c65 0x1 0x2 0x3 0x4>'
DT_KASLR_SEED='<0x6d656d6d 0x61700001>'

# shellcheck source=tests/qemu/debian.sh
. "$dt_here/../qemu/debian.sh"
# shellcheck source=tests/linux/oracle-lib.sh
. "$dt_here/oracle-lib.sh"

dt_log() { printf 'dt: %s\n' "$*" >&2; }

dt_kernel() {
	local suite pkg
	case ${1:-} in
	6.1) suite=bookworm ;;
	6.12) suite=trixie ;;
	*)
		dt_log "dt_kernel: the version is 6.1 or 6.12, not '${1:-}'"
		return 1
		;;
	esac
	pkg=$(DEB_ARCH=arm64 deb_depends "$suite" linux-image-arm64 \
		"linux-image-${1//./\\.}\\..*-arm64") || {
		dt_log "linux-image-arm64 in $suite (arm64) depends on no $1 image"
		return 1
	}
	DEB_ARCH=arm64 deb_get "$suite" "$pkg-unsigned"
	DT_KDIR=$DEB_DIR
	DT_VMLINUZ=$(compgen -G "$DEB_DIR/boot/vmlinuz-*" | head -n 1) || true
	[ -n "$DT_VMLINUZ" ] || { dt_log "no boot/vmlinuz-* in $DEB_DIR"; return 1; }
	# shellcheck disable=SC2034 # for the caller
	DT_KPKG=$pkg-unsigned
	# shellcheck disable=SC2034
	DT_KVERSION=$DEB_VERSION
}

dt_dtb() {
	local case=$1 out=$2 dts tmp
	[ -r "$case" ] || { dt_log "no case file $case"; return 1; }
	[[ $out == *.dtb ]] || { dt_log "dt_dtb: $out does not end in .dtb"; return 1; }
	dts=${out%.dtb}.dts
	tmp=$(mktemp -d)
	# QEMU writes the DTB it would give the guest, and exits
	"$DT_QEMU" -machine "virt,dumpdtb=$tmp/virt.dtb" -cpu cortex-a57 -m "$DT_MEM" \
		-nographic -net none < /dev/null > "$tmp/qemu.out" 2>&1 || {
		dt_log "$DT_QEMU dumpdtb failed: $(head -c 500 "$tmp/qemu.out")"
		rm -rf "$tmp"
		return 1
	}
	"$DT_DTC" -q -I dtb -O dts -o "$tmp/virt.dts" "$tmp/virt.dtb"
	grep -q '^/dts-v1/;$' "$tmp/virt.dts" || {
		dt_log "no /dts-v1/; line in QEMU's decompiled DT"
		rm -rf "$tmp"
		return 1
	}
	{
		printf '// SPDX-License-Identifier: GPL-2.0-or-later\n'
		printf '// QEMU virt (-cpu cortex-a57 -m %s) DT from %s, /chosen seeds pinned,\n' \
			"$DT_MEM" "$("$DT_QEMU" --version | head -n 1)"
		printf '// with tests/linux/dt-cases/%s added (tests/linux/dt-guest.sh)\n' \
			"$(basename "$case")"
		LC_ALL=C awk -v rng="$DT_RNG_SEED" -v kaslr="$DT_KASLR_SEED" -v case="$case" '
			# The case: its /memreserve/ lines and the rest, less
			# the SPDX line
			FNR == NR {
				if ($0 ~ /^\/memreserve\//) mr = mr $0 "\n"
				else if ($0 !~ /SPDX-License-Identifier/) body = body $0 "\n"
				next
			}
			/^\t\trng-seed = / { print "\t\trng-seed = " rng ";"; next }
			/^\t\tkaslr-seed = / { print "\t\tkaslr-seed = " kaslr ";"; next }
			{ print }
			$0 == "/dts-v1/;" { printf "%s", mr }
			END { printf "\n%s", body }
		' "$case" "$tmp/virt.dts"
	} > "$dts.tmp"
	rm -rf "$tmp"
	"$DT_DTC" -q -I dts -O dtb -o "$out.tmp" "$dts.tmp" || {
		dt_log "dtc cannot compile $dts.tmp (from $case)"
		rm -f "$out.tmp"
		return 1
	}
	mv "$dts.tmp" "$dts"
	mv "$out.tmp" "$out"
}

# The kernel's modules: NAME's dependencies (modinfo's depends:, resolved
# through modules.order; the package has no modules.dep), then NAME, as
# paths relative to $1 (6.12's are .ko.xz, 6.1's .ko)
dt_mod_order() {
	local moddir=$1 path dep
	path=$(grep -E -m1 "/${2//_/[-_]}\\.ko\$" "$moddir/modules.order") || {
		dt_log "module $2 is not in $moddir/modules.order"
		return 1
	}
	if [ -f "$moddir/$path.xz" ]; then
		path=$path.xz
	fi
	[ -f "$moddir/$path" ] || { dt_log "no $moddir/$path"; return 1; }
	for dep in $(modinfo -F depends "$moddir/$path" | tr , ' '); do
		dt_mod_order "$moddir" "$dep"
	done
	echo "$path"
}

dt_initrd() {
	local out=$1 root moddir path name
	moddir=$({ compgen -G "$DT_KDIR/usr/lib/modules/*/modules.order" ||
		   compgen -G "$DT_KDIR/lib/modules/*/modules.order"; } | head -n 1) || true
	[ -n "$moddir" ] || { dt_log "no [usr/]lib/modules/*/modules.order in $DT_KDIR"; return 1; }
	moddir=${moddir%/modules.order}
	DEB_ARCH=arm64 deb_get bookworm busybox-static
	# shellcheck disable=SC2034 # for the caller
	DT_BUSYBOX_VERSION=$DEB_VERSION
	root=$(mktemp -d)
	mkdir -p "$root/bin" "$root/lib/modules"
	cp "$DEB_DIR/bin/busybox" "$root/bin/busybox"
	# Decompressed: busybox insmod wants them plain
	{ dt_mod_order "$moddir" ramoops && dt_mod_order "$moddir" efivarfs; } |
		awk '!seen[$0]++' > "$root/mods" || { rm -rf "$root"; return 1; }
	while read -r path; do
		name=${path##*/}
		name=${name%.xz}
		if [[ $path == *.xz ]]; then
			xz -dc "$moddir/$path" > "$root/lib/modules/$name"
		else
			cp "$moddir/$path" "$root/lib/modules/$name"
		fi
		echo "$name" >> "$root/lib/modules/order"
	done < "$root/mods"
	rm "$root/mods"
	# No /dev/console in the cpio (mknod needs root): init takes the
	# console from devtmpfs
	cat > "$root/init" <<-'EOF'
	#!/bin/busybox sh
	# SPDX-License-Identifier: GPL-2.0-or-later
	# /init of the tests/linux/dt-guest.sh guests
	/bin/busybox mkdir -p /proc /sys /dev
	/bin/busybox --install -s /bin
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	exec < /dev/console > /dev/console 2>&1
	boot=
	nonce=
	for w in $(cat /proc/cmdline); do
		case $w in
		dtpstore.boot=*) boot=${w#*=} ;;
		dtpstore.nonce=*) nonce=${w#*=} ;;
		esac
	done
	echo "@@ guest up: $(uname -r) boot $boot"
	echo "@@ cmdline: $(cat /proc/cmdline)"
	for m in $(cat /lib/modules/order); do
		insmod "/lib/modules/$m" || echo "@@ insmod $m failed"
	done
	dmesg | grep -o 'ramoops: .*\|pstore: .*\|persistent_ram: .*' | sed 's/^/@@ dmesg: /'
	echo "@@ reserved-memory: $(ls /proc/device-tree/reserved-memory 2> /dev/null | tr '\n' ' ')"
	# The flattened DT the kernel was given, for the host to decompile
	if [ -r /sys/firmware/fdt ]; then
		echo "@@ fdt begin"
		base64 < /sys/firmware/fdt
		echo "@@ fdt end"
	fi
	if [ -d /sys/firmware/efi ]; then
		mount -t efivarfs efivarfs /sys/firmware/efi/efivars &&
			v=/sys/firmware/efi/efivars/MemmapNamed-d1055d7a-a13b-4f81-8d8b-576ff99f2276 &&
			if [ -f "$v" ]; then
				echo "@@ MemmapNamed: $(tail -c +5 "$v" | tr '\n' ';')"
			else
				echo "@@ MemmapNamed: none"
			fi
	fi
	if [ "$boot" = 1 ]; then
		if [ -c /dev/pmsg0 ]; then
			echo "dt-pstore pmsg $nonce" > /dev/pmsg0 && echo "@@ pmsg written"
		else
			echo "@@ no /dev/pmsg0"
		fi
		echo "dt-pstore kmsg $nonce" > /dev/kmsg
		echo "@@ panicking"
		echo 1 > /proc/sys/kernel/sysrq
		echo c > /proc/sysrq-trigger
		echo "@@ still alive"
	else
		# Only emergencies on the console from here, not to mix with
		# the records
		echo 1 > /proc/sys/kernel/printk
		mount -t pstore pstore /sys/fs/pstore && echo "@@ pstore mounted"
		echo "@@ ls: $(ls /sys/fs/pstore | tr '\n' ' ')"
		for f in /sys/fs/pstore/*; do
			[ -f "$f" ] || continue
			echo "@@ file ${f##*/} $(wc -c < "$f")"
			cat "$f"
			echo
			echo "@@ end ${f##*/}"
		done
	fi
	echo "@@ guest done"
	poweroff -f
	EOF
	chmod +x "$root/init"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9n > "$out"
	rm -rf "$root"
}

dt_boot() {
	local kernel=$1 dtb=$2 log=$3 status=0
	shift 3
	DT_STOPPED=0
	[[ $dtb != *,* ]] || { dt_log "the DTB path must not contain a comma: $dtb"; return 1; }
	: > "$log.raw"
	timeout -k 10 "$DT_TIMEOUT" "$DT_QEMU" -machine virt -cpu cortex-a57 -m "$DT_MEM" \
		-nographic -no-reboot -net none -serial stdio -monitor none \
		-kernel "$kernel" -dtb "$dtb" -append "$DT_APPEND" "$@" \
		< /dev/null > "$log.raw" 2>&1 &
	# panic=-1 and -no-reboot end QEMU at the root-mount panic
	serial_wait $! "$log.raw" || status=$?
	DT_STOPPED=$SERIAL_STOPPED
	serial_clean "$log.raw" > "$log"
	if [ "$DT_STOPPED" = 0 ] && { [ "$status" = 124 ] || [ "$status" = 137 ]; }; then
		dt_log "QEMU still running after ${DT_TIMEOUT}s, killed; tail of $log:"
		tail -n 20 "$log" >&2
		return 1
	fi
	if [ "$DT_STOPPED" = 0 ] && [ "$status" != 0 ]; then
		dt_log "QEMU exited with $status; tail of $log:"
		tail -n 20 "$log" >&2
		return 1
	fi
	return 0
}
