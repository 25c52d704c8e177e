#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make run: boot QEMU/OVMF, run memmap.efi with the given words from the
# UEFI shell, show its output, power off.  Kernel words reach memmap.efi
# through a -f file, so # % $ need no shell escaping; dash options stay
# on the command line.
# Usage: run.sh BUILD_DIR [WORD...]
set -euo pipefail

build=${1:?usage: run.sh BUILD_DIR [WORD...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

opts=()
: > "$tmp/args.conf"
for w in "$@"; do
	case $w in
	-*) opts+=("$w") ;;
	*) printf '%s\r\n' "$w" >> "$tmp/args.conf" ;;
	esac
done

esp_new "$tmp/esp.img"
esp_put "$tmp/esp.img" "$build/memmap.efi"
esp_put "$tmp/esp.img" "$tmp/args.conf"
nsh_script "$tmp/startup.nsh" "memmap.efi ${opts[*]} -f args.conf"
esp_put "$tmp/esp.img" "$tmp/startup.nsh"
ovmf_vars "$tmp/vars.fd"
echo "booting QEMU/OVMF ($QEMU_MEM): memmap.efi $*"
qemu_boot "$tmp/esp.img" "$tmp/vars.fd" "$tmp/log"
# From the command to its sentinel
awk '/> memmap.efi / { on = 1; print; next } /> echo "@@ rc=/ { next } /^@@ rc=/ { if (on) print; on = 0 } on' "$tmp/log"
grep -q '^@@ rc=0x0$' "$tmp/log"
