#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# QEMU/OVMF harness for memmap.efi tests (sourced).
#   esp_new IMG               an empty 64 MiB FAT image
#   esp_put IMG FILE [NAME]   copy FILE into the image's root (as NAME)
#   esp_get IMG NAME DEST     copy a file out of the image
#   nsh_script FILE CMD...    a startup.nsh: fs0:, each CMD followed by a
#                             sentinel "@@ rc=%lasterror%", then reset -s
#   ovmf_vars FILE            a fresh copy of OVMF's variable store
#   qemu_boot IMG VARS LOG [QEMU-ARG...]
#                             boot OVMF (QEMU, QEMU_MACHINE, OVMF_CODE: another
#                             architecture's) with IMG as disk (none: no disk);
#                             the serial console, ANSI escapes and CRs
#                             stripped, goes to LOG; with QEMU_UNTIL set, the
#                             run ends once a line matches it
#   section LOG N             the output of the Nth command of a nsh_script
#   status_of LOG N           its %lasterror% (0x2 is EFI_INVALID_PARAMETER:
#                             the shell drops EFI_STATUS's error bit)
#   ok MSG, bad MSG, finish NAME
#                             count results; finish prints
#                             "NAME: N passed, M failed" and fails if any did
#   desc_type_at DUMP ADDR    the type of the descriptor holding ADDR in a
#                             memmap.efi --dump file (none: no descriptor)
#   ram_args FILE             QEMU arguments for guest RAM backed by FILE
#                             (created when missing), so it survives from
#                             one boot to the next like a warm reboot
set -euo pipefail

OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
QEMU=${QEMU:-qemu-system-x86_64}
QEMU_MEM=${QEMU_MEM:-512M}
QEMU_MACHINE=${QEMU_MACHINE:-q35}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-180}

esp_new() {
	rm -f "$1"
	mkfs.vfat -C "$1" 65536 > /dev/null
}

esp_put() {
	mcopy -o -i "$1" "$2" "::/${3:-$(basename "$2")}"
}

esp_get() {
	mcopy -o -i "$1" "::/$2" "$3"
}

nsh_script() {
	local out=$1 cmd
	shift
	{
		printf 'fs0:\r\n'
		for cmd in "$@"; do
			printf '%s\r\n' "$cmd"
			printf 'echo "@@ rc=%%lasterror%%"\r\n'
		done
		printf 'reset -s\r\n'
	} > "$out"
}

ovmf_vars() {
	cp "$OVMF_VARS" "$1"
}

qemu_boot() {
	local img=$1 vars=$2 log=$3 status=0 disk=() pid waited=0
	shift 3
	[ "$img" = none ] || disk=(-drive "format=raw,file=$img")
	: > "$log.raw"
	timeout "$QEMU_TIMEOUT" "$QEMU" -machine "$QEMU_MACHINE" -m "$QEMU_MEM" \
		-nographic -no-reboot -net none \
		-drive if=pflash,format=raw,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,file="$vars" \
		"${disk[@]}" \
		-serial stdio -monitor none "$@" < /dev/null > "$log.raw" 2>&1 &
	pid=$!
	# QEMU_UNTIL: a line that ends the run early (the guest would wait)
	while [ -n "${QEMU_UNTIL:-}" ] && kill -0 "$pid" 2> /dev/null; do
		if grep -aq -- "$QEMU_UNTIL" "$log.raw"; then
			sleep 1
			kill "$pid" 2> /dev/null || true
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$pid" || status=$?
	sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\r//g' "$log.raw" > "$log"
	if [ "$status" -eq 124 ]; then
		echo "qemu timed out after ${QEMU_TIMEOUT}s; tail of $log:" >&2
		tail -n 20 "$log" >&2
		return 1
	fi
	return 0
}

section() {
	awk -v n="$2" '/^@@ rc=/ { k++; next } k == n - 1' "$1"
}

status_of() {
	grep -ao '^@@ rc=.*' "$1" | sed -n "${2}s/^@@ rc=//p"
}

pass=0
fail=0

ok() {
	pass=$((pass + 1))
	echo "ok: $*"
}

bad() {
	fail=$((fail + 1))
	echo "FAIL: $*"
}

finish() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

ram_args() {
	[ -f "$1" ] || truncate -s "$QEMU_MEM" "$1"
	echo "-machine memory-backend=ram0 -object memory-backend-file,id=ram0,size=$QEMU_MEM,mem-path=$1,share=on"
}

desc_type_at() {
	local dump=$1 addr=$(($2))
	while read -r type start end; do
		if [ "$addr" -ge $((start)) ] && [ "$addr" -le $((end)) ]; then
			echo "$type"
			return
		fi
	done < <(sed -n 's/.*: \[\([^|]*\)|.*range=\[\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\].*/\1 \2 \3/p' "$dump" | tr -d ' ' | sed 's/\(0x\)/ \1/g')
	echo none
}
