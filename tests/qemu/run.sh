#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make run: boot QEMU/OVMF, run memmap.efi with the given arguments from
# the UEFI shell, show its output, power off.  Every argument, options
# and their values included, goes one per line into a -f file (memmap.efi
# reads options and -- PATH there too), so # % $ need no shell escaping.
# Host files are copied into the ESP's root and named by their base name:
# the FILE of -f FILE, and PATH of -- PATH [KERNEL-ARG...] when it exists
# here; --dump FILE is copied back out to FILE after the run.
# ARCH=aa64 runs memmap-aa64.efi under AAVMF on qemu-system-aarch64
# (-machine virt,acpi=off, 1 GiB: the firmware hands over QEMU's device
# tree) instead of memmap.efi under OVMF.
# Usage: [ARCH=x64|aa64] run.sh BUILD_DIR [ARG...]
set -euo pipefail

build=${1:?usage: run.sh BUILD_DIR [ARG...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

efi=$build/memmap.efi
qemu_args=()
case ${ARCH:-x64} in
x64) ;;
aa64)
	efi=$build/memmap-aa64.efi
	QEMU=qemu-system-aarch64
	QEMU_MACHINE=virt,acpi=off
	QEMU_MEM=1G
	OVMF_CODE=/usr/share/AAVMF/AAVMF_CODE.fd
	OVMF_VARS=/usr/share/AAVMF/AAVMF_VARS.fd
	qemu_args=(-cpu cortex-a57)
	;;
*)
	echo "run.sh: ARCH is x64 or aa64, not '$ARCH'" >&2
	exit 2
	;;
esac
esp_new "$tmp/esp.img"
esp_put "$tmp/esp.img" "$efi" memmap.efi

# on_esp FILE: copy a host FILE into the ESP's root; prints its name there
on_esp() {
	local name
	name=$(basename "$1")
	case $name in memmap.efi | startup.nsh | args.conf)
		echo "run.sh: $1: the ESP already has a $name" >&2
		exit 2
	esac
	esp_put "$tmp/esp.img" "$1" "$name"
	printf '%s' "$name"
}

# line WORD...: append each WORD as a line of the -f file
line() {
	printf '%s\r\n' "$@" >> "$tmp/args.conf"
}

args=("$@")
n=${#args[@]}
dump=""
dump_name=""
: > "$tmp/args.conf"
for ((i = 0; i < n; i++)); do
	w=${args[i]}
	# An option's value is taken as it is, even when it starts with '-'
	case $w in
	-f | --dump | --pstore-layout | --pstore-log | --pstore-print | --pstore-keep)
		if ((i + 1 == n)); then
			line "$w"
			continue
		fi
		i=$((i + 1))
		v=${args[i]}
		if [ "$w" = -f ] && [ -f "$v" ]; then
			v=$(on_esp "$v")
		elif [ "$w" = --dump ]; then
			dump=$v
			dump_name=$(basename "$v")
			v=$dump_name
		fi
		line "$w" "$v"
		;;
	--)
		# PATH, then the kernel's words: no more options
		line "$w"
		if ((i + 1 < n)); then
			i=$((i + 1))
			v=${args[i]}
			[ -f "$v" ] && v=$(on_esp "$v")
			line "$v"
			for w in "${args[@]:i + 1}"; do
				line "$w"
			done
		fi
		break
		;;
	*)
		line "$w"
		;;
	esac
done

esp_put "$tmp/esp.img" "$tmp/args.conf"
nsh_script "$tmp/startup.nsh" "memmap.efi -f args.conf"
esp_put "$tmp/esp.img" "$tmp/startup.nsh"
ovmf_vars "$tmp/vars.fd"
echo "booting QEMU/$(basename "$OVMF_CODE" | sed 's/_CODE.*//') ($QEMU_MEM): memmap.efi $*"
qemu_boot "$tmp/esp.img" "$tmp/vars.fd" "$tmp/log" "${qemu_args[@]}"
# From the command to its sentinel
awk '/> memmap.efi / { on = 1; print; next } /> echo "@@ rc=/ { next } /^@@ rc=/ { if (on) print; on = 0 } on' "$tmp/log"
if [ -n "$dump" ]; then
	if esp_get "$tmp/esp.img" "$dump_name" "$dump" 2> /dev/null; then
		echo "run.sh: --dump written to $dump"
	else
		echo "run.sh: memmap.efi wrote no $dump_name" >&2
	fi
fi
grep -q '^@@ rc=0x0$' "$tmp/log"
