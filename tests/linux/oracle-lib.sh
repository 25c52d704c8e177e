#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# What oracle.sh and dt-oracle.sh share (sourced; the caller defines log
# and die): one kernel package per fixture directory.
#   fixtures_kernel_check DIR PKGLINE PARTIAL HINT
#                         with PARTIAL non-zero (some cases only), die when
#                         DIR/KERNEL names another package
#   fixtures_kernel_write DIR PKGLINE VERSIONS LABEL
#                         DIR/KERNEL from PKGLINE and the one Linux version
#                         line in VERSIONS; returns 1 with a warning when
#                         the boots reported different ones
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
