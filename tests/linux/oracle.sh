#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Linux oracle: boot Debian's real Linux kernels, 6.1 (Debian 12) and 6.12
# (Debian 13), under QEMU/OVMF with the memory options of each case in
# cases.txt and keep the e820/EFI lines each prints as
# fixtures/VERSION/NAME.log.
#
# Usage: bash tests/linux/oracle.sh [NAME...]     (no NAME: every case)
#
# Environment:
#   ORACLE_LINUX       the kernels, "6.1 6.12" by default
#   ORACLE_CACHE       cache dir for the kernels and raw serial logs
#                      (default: <repo>/build/kernel)
#   ORACLE_KERNEL_PKG  the 6.1 kernel package to use (default: the unsigned
#                      image of the ABI that linux-image-amd64 depends on);
#                      6.12's is the one Debian 13's linux-image-amd64
#                      depends on, fetched through a private apt list
#   ORACLE_TIMEOUT     seconds per boot (default 180)
#
# Runs one QEMU at a time (a lock in the cache dir enforces it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cases_file=$here/cases.txt
cache=${ORACLE_CACHE:-$repo/build/kernel}
boot_timeout=${ORACLE_TIMEOUT:-180}
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
fixed_args='efi=debug debug earlyprintk=serial,ttyS0,115200 console=ttyS0 panic=-1'

log() { printf 'oracle: %s\n' "$*" >&2; }
die() { printf 'oracle: ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=0
apt_update_once() {
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        apt-get update -qq >&2
        apt_updated=1
    fi
}

ensure_packages() {
    local missing=() p
    for p in qemu-system-x86 ovmf; do
        if ! dpkg -s "$p" >/dev/null 2>&1; then
            missing+=("$p")
        fi
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        [ "$(id -u)" = 0 ] || die "missing packages ${missing[*]} (run as root to install them)"
        apt_update_once
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
    command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found"
    [ -r "$ovmf_code" ] || die "$ovmf_code not found"
    [ -r "$ovmf_vars" ] || die "$ovmf_vars not found"
}

# The kernel of version $1 (tests/linux/guest.sh); sets vmlinuz, kpkg and
# kver.
GUEST_CACHE=$cache
# shellcheck source=tests/linux/guest.sh
. "$here/guest.sh"
# shellcheck source=tests/linux/oracle-lib.sh
. "$here/oracle-lib.sh"
fetch_kernel() {
    KERNEL_PKG=${ORACLE_KERNEL_PKG:-${KERNEL_PKG:-}}
    GUEST_LINUX=$1 guest_kernel || die "cannot fetch Debian's $1 kernel"
    vmlinuz=$GUEST_VMLINUZ kpkg=$GUEST_PKG kver=$GUEST_VERSION
    log "kernel: $kpkg $kver ($vmlinuz)"
}

# Parse cases.txt into the parallel arrays names/mems/opts.
names=() mems=() opts=()
read_cases() {
    local name mem opt n
    while read -r name mem opt || [ -n "$name" ]; do
        case $name in '' | '#'*) continue ;; esac
        [[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "cases.txt: bad name '$name'"
        [[ $mem =~ ^[0-9]+[MG]$ ]] || die "cases.txt: $name: bad MEM '$mem'"
        for n in "${names[@]}"; do
            [ "$n" != "$name" ] || die "cases.txt: duplicate name $name"
        done
        names+=("$name") mems+=("$mem") opts+=("$opt")
    done <"$cases_file"
    [ "${#names[@]}" -gt 0 ] || die "no cases in $cases_file"
}

# Keep the fixture lines, in order.  "efi: mem" means the entries
# "efi: memNN: [...]" of the EFI memory map the kernel was handed (printed by
# efi_init at 0.000000), not the "efi: memattr:" lines, nor the second
# listing that follows "efi: EFI runtime memory map:" (the runtime regions
# only, printed later by efi_enter_virtual_mode).  Should a second console
# replay the log (a second "Command line:"), keep only the first copy.
filter_lines() {
    LC_ALL=C awk '
        index($0, "Command line:") && ++cmdlines > 1 {
            print "oracle: note: log printed twice; keeping the first copy" > "/dev/stderr"
            exit
        }
        index($0, "EFI runtime memory map:") { runtime = 1 }
        /efi: mem[0-9]/ { if (!runtime) print; next }
        index($0, "Command line:") ||
        index($0, "BIOS-provided physical RAM map") || index($0, "BIOS-e820:") ||
        index($0, "e820: update") || index($0, "e820: remove") ||
        index($0, "extended physical RAM map") || index($0, "reserve setup_data:") ||
        index($0, "user-defined physical RAM map") || index($0, "user: [mem") { print }
    ' "$1"
}

# Check a fixture; prints the problems, returns non-zero if any.
check_fixture() {
    local fix=$1 append=$2 options=$3 bad=0 cmd
    cmd=$(grep -F 'Command line:' "$fix" | head -n 1 | sed 's/^.*Command line: //') || true
    if [ "$cmd" != "$append" ]; then
        echo "Command line is '$cmd', expected '$append'"
        bad=1
    fi
    if ! grep -qF 'BIOS-e820:' "$fix"; then
        echo "no BIOS-e820: lines"
        bad=1
    fi
    if ! grep -qF 'efi: mem' "$fix"; then
        echo "no efi: mem lines"
        bad=1
    elif ! LC_ALL=C awk 'match($0, /efi: mem[0-9]+:/) {
            if (substr($0, RSTART + 8, RLENGTH - 9) + 0 != n++) exit 1 }' "$fix"; then
        echo "efi: memNN lines are not numbered 00, 01, ... in order"
        bad=1
    fi
    if [[ " $options" =~ \ (memmap|mem)= ]] && ! grep -qF 'user: [mem' "$fix"; then
        echo "no user: [mem lines although the options hold memmap=/mem="
        bad=1
    fi
    return "$bad"
}

# Boot one case; returns non-zero on failure.  Appends its Linux version line
# to $versions.
run_case() {
    local name=$1 mem=$2 options=$3
    local run=$cache/runs/$linux/$name append rc=0 start problems stopped=0
    append=$fixed_args
    [ -z "$options" ] || append="$options $fixed_args"
    rm -rf "$run"
    mkdir -p "$run"
    cp "$ovmf_vars" "$run/vars.fd"
    log "$name: -m $mem -append '$append'"
    start=$SECONDS
    : >"$run/serial.log"
    timeout -k 10 "$boot_timeout" qemu-system-x86_64 \
        -machine q35 -m "$mem" -nographic -no-reboot -net none \
        -drive "if=pflash,format=raw,readonly=on,file=$ovmf_code" \
        -drive "if=pflash,format=raw,file=$run/vars.fd" \
        -kernel "$vmlinuz" -append "$append" \
        -serial "file:$run/serial.log" -monitor none \
        </dev/null >"$run/qemu.out" 2>&1 &
    qemu_pid=$!
    # A panic inside setup_arch comes before "panic=-1" is parsed, so the
    # kernel halts instead of rebooting: serial_wait stops QEMU then.
    serial_wait "$qemu_pid" "$run/serial.log" || rc=$?
    stopped=$SERIAL_STOPPED
    [ "$stopped" = 0 ] || log "$name: kernel halted after an early panic; QEMU stopped"
    qemu_pid=
    if [ "$stopped" = 1 ]; then
        :
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        log "$name: WARNING: QEMU still running after ${boot_timeout}s, killed"
    elif [ "$rc" != 0 ]; then
        log "$name: WARNING: QEMU exited with $rc: $(head -c 500 "$run/qemu.out")"
    fi
    serial_clean "$run/serial.log" >"$run/serial.txt"
    filter_lines "$run/serial.txt" >"$run/fixture.log"
    if ! problems=$(check_fixture "$run/fixture.log" "$append" "$options"); then
        {
            printf 'oracle: %s: FAILED after %ss:\n' "$name" "$((SECONDS - start))"
            printf '%s\n' "$problems" | sed 's/^/  /'
            printf '  --- last 30 lines of %s ---\n' "$run/serial.txt"
            tail -n 30 "$run/serial.txt" | sed 's/^/  | /'
        } >&2
        return 1
    fi
    grep -m 1 -F 'Linux version' "$run/serial.txt" >>"$versions" ||
        echo "(no Linux version line in $name)" >>"$versions"
    cp "$run/fixture.log" "$fixtures/$name.log"
    log "$name: ok in $((SECONDS - start))s ($(wc -l <"$fixtures/$name.log") lines)"
}

qemu_pid=
stop_qemu() {
    if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; fi
}

main() {
    trap stop_qemu EXIT
    trap 'exit 130' INT TERM
    local selected=() i n found failed=() total_start=$SECONDS
    read_cases
    if [ "$#" -eq 0 ]; then
        selected=("${!names[@]}")
    else
        for n in "$@"; do
            found=
            for i in "${!names[@]}"; do
                if [ "${names[$i]}" = "$n" ]; then found=$i; fi
            done
            [ -n "$found" ] || die "unknown case '$n' (see $cases_file)"
            selected+=("$found")
        done
    fi

    ensure_packages
    mkdir -p "$cache"
    [[ $cache != *,* ]] || die "cache path must not contain a comma (QEMU option syntax): $cache"
    exec 9>"$cache/.lock"
    flock -n 9 || die "another oracle run holds $cache/.lock (run one QEMU at a time)"
    for linux in ${ORACLE_LINUX:-6.1 6.12}; do
        fixtures=$here/fixtures/$linux
        mkdir -p "$fixtures"
        fetch_kernel "$linux"

        local pkgline="package: $kpkg $kver"
        fixtures_kernel_check "$fixtures" "$pkgline" "$#" \
            "regenerate all cases (no arguments) or set ORACLE_KERNEL_PKG"

        versions=$cache/versions-$linux.txt
        : >"$versions"
        for i in "${selected[@]}"; do
            run_case "${names[$i]}" "${mems[$i]}" "${opts[$i]}" || failed+=("$linux/${names[$i]}")
        done

        fixtures_kernel_write "$fixtures" "$pkgline" "$versions" "$linux" ||
            failed+=("($linux version mismatch)")
    done

    log "${#selected[@]} case(s) in $((SECONDS - total_start))s"
    if [ "${#failed[@]}" -gt 0 ]; then
        die "failed: ${failed[*]}"
    fi
}

main "$@"
