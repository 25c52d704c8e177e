#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What the Linux reference scripts share (sourced).  oracle.sh and
# dt-oracle.sh (which define log and die): one kernel package per fixture
# directory.
#   fixtures_kernel_check DIR PKGLINE PARTIAL HINT
#                         with PARTIAL non-zero (some cases only), die when
#                         DIR/KERNEL names another package
#   fixtures_kernel_write DIR PKGLINE VERSIONS LABEL
#                         DIR/KERNEL from PKGLINE and the one Linux version
#                         line in VERSIONS; returns 1 with a warning when
#                         the boots reported different ones
# Booting a kernel under QEMU (oracle.sh, dt-guest.sh):
#   serial_wait PID LOG   wait for QEMU PID; a kernel that panics before
#                         panic= is parsed halts instead of rebooting, so
#                         QEMU is stopped once LOG shows the panic's end
#                         (SERIAL_STOPPED=1 then, else 0); returns QEMU's
#                         exit status
#   serial_clean FILE     FILE without CRs and ANSI escapes
# Comparing with a fixture (check-fixtures.sh, check-dt-fixtures.sh):
#   report NAME WHAT EXP GOT
#                         count a pass when files EXP and GOT are equal,
#                         else a fail with the diff (pass, fail and $tmp
#                         are the caller's)
set -euo pipefail

fixtures_kernel_check() {
	local dir=$1 pkgline=$2 partial=$3 hint=$4
	if [ "$partial" -gt 0 ] && [ -f "$dir/KERNEL" ] &&
		[ "$(head -n 1 "$dir/KERNEL")" != "$pkgline" ]; then
		die "$(basename "$dir") fixtures were made by '$(head -n 1 "$dir/KERNEL")', not '$pkgline': $hint"
	fi
}

fixtures_kernel_write() {
	local dir=$1 pkgline=$2 versions=$3 label=$4
	if [ "$(sort -u "$versions" | wc -l)" -gt 1 ]; then
		log "WARNING: $label boots reported different Linux version lines:"
		sort -u "$versions" >&2
		return 1
	elif [ -s "$versions" ]; then
		{ printf '%s\n' "$pkgline"; head -n 1 "$versions"; } > "$dir/KERNEL"
	fi
}

serial_wait() {
	local pid=$1 log=$2 status=0
	# shellcheck disable=SC2034 # for the caller
	SERIAL_STOPPED=0
	while kill -0 "$pid" 2> /dev/null; do
		if grep -aqF -e '---[ end Kernel panic' "$log"; then
			sleep 1
			kill "$pid" 2> /dev/null || true
			# shellcheck disable=SC2034
			SERIAL_STOPPED=1
			break
		fi
		sleep 1
	done
	wait "$pid" || status=$?
	return "$status"
}

serial_clean() {
	LC_ALL=C sed -e 's/\r//g' -e 's/\x1b\[[0-9;=?]*[A-Za-z]//g' \
		-e 's/\x1b[()][A-Za-z0-9]//g' "$1"
}

report() {
	local name=$1 what=$2 exp=$3 got=$4
	# shellcheck disable=SC2154 # tmp is the caller's
	if diff -u "$exp" "$got" > "$tmp/diff"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: $what"
		sed 's/^/    /' "$tmp/diff"
	fi
}
