#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's current Linux 6.1 kernel, fetched at test time (sourced).
#   kernel_package        the unsigned image package of the 6.1 ABI that
#                         linux-image-amd64 depends on (or $KERNEL_PKG)
#   kernel_fetch CACHE    download and unpack it into CACHE/PACKAGE once;
#                         sets KERNEL_PKG, KERNEL_VERSION, KERNEL_VMLINUZ,
#                         KERNEL_MODULES (its lib/modules/VER/kernel)
set -euo pipefail

kernel_log() { printf 'kernel: %s\n' "$*" >&2; }

kernel_apt_update() {
	if [ -z "${kernel_apt_updated:-}" ]; then
		kernel_log "apt-get update"
		apt-get update -qq >&2
		kernel_apt_updated=1
	fi
}

kernel_package() {
	local image
	if [ -n "${KERNEL_PKG:-}" ]; then
		printf '%s\n' "$KERNEL_PKG"
		return
	fi
	image=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9.]*-[0-9]*-amd64\)$/\1/p' | head -n 1)
	if [ -z "$image" ]; then
		# The newest 6.1 ABI the archive lists
		image=$(apt-cache search --names-only '^linux-image-6\.1\.[0-9.]+-[0-9]+-amd64-unsigned$' 2>/dev/null |
			sed 's/ .*//; s/-unsigned$//' | sort -V | tail -n 1)
	fi
	[ -n "$image" ] || return 1
	printf '%s-unsigned\n' "$image"
}

kernel_fetch() {
	local cache=$1 dir tmp deb pkg
	pkg=$(kernel_package) || { kernel_apt_update; pkg=$(kernel_package); } || {
		kernel_log "no linux-image-6.1.*-amd64-unsigned package (apt-cache)"
		return 1
	}
	dir=$cache/$pkg
	if ! compgen -G "$dir/boot/vmlinuz-*" > /dev/null; then
		tmp=$(mktemp -d)
		# apt downloads as _apt: let it write there
		if id _apt > /dev/null 2>&1; then chown _apt "$tmp"; fi
		kernel_log "downloading $pkg"
		if ! (cd "$tmp" && apt-get download "$pkg" >&2); then
			kernel_apt_update
			(cd "$tmp" && apt-get download "$pkg" >&2) || {
				rm -rf "$tmp"
				kernel_log "apt-get download $pkg failed"
				return 1
			}
		fi
		deb=$(compgen -G "$tmp/${pkg}_*.deb" | head -n 1) || true
		[ -n "$deb" ] || { rm -rf "$tmp"; kernel_log "no .deb for $pkg"; return 1; }
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		dpkg -x "$deb" "$dir.tmp"
		dpkg-deb -f "$deb" Version > "$dir.tmp/VERSION"
		rm -rf "$tmp" "$dir"
		mv "$dir.tmp" "$dir"
	fi
	# shellcheck disable=SC2034 # for the caller
	KERNEL_PKG=$pkg
	# shellcheck disable=SC2034
	KERNEL_VERSION=$(cat "$dir/VERSION")
	# shellcheck disable=SC2034
	KERNEL_VMLINUZ=$(compgen -G "$dir/boot/vmlinuz-*" | head -n 1)
	# shellcheck disable=SC2034
	KERNEL_MODULES=$(compgen -G "$dir/lib/modules/*/kernel" | head -n 1)
}
