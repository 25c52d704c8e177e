#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's own binaries for the boot-chain tests, fetched at test time
# (sourced). Debian 12 packages come through the system's apt setup;
# other suites through a private apt list under $DEB_CACHE, never by
# changing the system's configuration (../shared/NOTES.md).
#   deb_get SUITE PKG     download PKG (a package name, or a regular
#                         expression for the newest matching name) from
#                         SUITE (bookworm, trixie) for $DEB_ARCH and unpack
#                         it once; sets DEB_DIR to the unpacked tree and
#                         DEB_VERSION to its version
#   deb_depends SUITE PKG REGEX
#                         the first Depends: of PKG matching REGEX
# DEB_ARCH (default amd64) picks the architecture, e.g.
# `DEB_ARCH=arm64 deb_get bookworm PKG`. amd64 keeps the names it always
# had (apt-SUITE, $DEB_CACHE/SUITE/PKG); another architecture gets its
# own (apt-SUITE-ARCH, $DEB_CACHE/SUITE-ARCH/PKG), so that the lists and
# trees of two architectures never mix. For a non-amd64 bookworm the list
# also holds bookworm-security, as the system's list does for amd64:
# Debian 12's current kernels are published there.
set -euo pipefail

deb_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEB_CACHE=${DEB_CACHE:-$(cd "$deb_here/../.." && pwd)/build/debian}

deb_log() { printf 'debian: %s\n' "$*" >&2; }

# The suffix of SUITE's list and tree names: none for amd64, -ARCH else
deb_suffix() {
	local arch=${DEB_ARCH:-amd64}
	[ "$arch" = amd64 ] || printf -- '-%s' "$arch"
}

# apt options for SUITE's private list for $DEB_ARCH (created and updated
# once)
deb_apt_opts() {
	local suite=$1 arch=${DEB_ARCH:-amd64} d uri sec
	[[ $arch =~ ^[a-z0-9]+$ ]] || { deb_log "bad DEB_ARCH '$arch'"; return 1; }
	d=$DEB_CACHE/apt-$suite$(deb_suffix)
	DEB_APT=(-o APT::Architecture="$arch" -o APT::Architectures::="$arch"
		 -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$d/parts"
		 -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
	if [ ! -f "$d/updated" ]; then
		mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/parts"
		uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2> /dev/null ||
		      true)
		[ -n "$uri" ] || uri=http://deb.debian.org/debian
		printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nArchitectures: %s\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$uri" "$suite" "$arch" > "$d/parts/p.sources"
		if [ "$arch" != amd64 ] && [ "$suite" = bookworm ]; then
			# The security archive of the system's list (the URIs of
			# the stanza whose Suites end in -security)
			sec=$(awk '/^URIs:/ {u = $2} /^Suites:.*-security/ {print u; exit}' \
			      /etc/apt/sources.list.d/debian.sources 2> /dev/null || true)
			[ -n "$sec" ] || sec=http://deb.debian.org/debian-security
			printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nArchitectures: %s\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
				"$sec" "$suite" "$arch" >> "$d/parts/p.sources"
		fi
		deb_log "apt-get update ($suite$(deb_suffix), private list)"
		apt-get "${DEB_APT[@]}" update -qq >&2
		touch "$d/updated"
	fi
}

deb_depends() {
	deb_apt_opts "$1"
	apt-cache "${DEB_APT[@]}" depends "$2" 2> /dev/null |
		sed -n 's/^ *Depends: //p' | grep -E -m1 "^($3)\$"
}

deb_get() {
	local suite=$1 pkg=$2 dir tmp deb
	deb_apt_opts "$suite"
	if ! apt-cache "${DEB_APT[@]}" show "$pkg" > /dev/null 2>&1; then
		pkg=$(apt-cache "${DEB_APT[@]}" search --names-only "$pkg" 2> /dev/null |
		      sed 's/ .*//' | sort -V | tail -n 1)
		[ -n "$pkg" ] || { deb_log "no package matches $2 in $suite"; return 1; }
	fi
	dir=$DEB_CACHE/$suite$(deb_suffix)/$pkg
	if [ ! -f "$dir/VERSION" ]; then
		tmp=$(mktemp -d)
		if id _apt > /dev/null 2>&1; then chown _apt "$tmp"; fi
		deb_log "downloading $pkg ($suite$(deb_suffix))"
		(cd "$tmp" && apt-get "${DEB_APT[@]}" download "$pkg" >&2) || {
			rm -rf "$tmp"; deb_log "apt-get download $pkg failed"; return 1; }
		deb=$(compgen -G "$tmp/${pkg}_*.deb" | head -n 1) || true
		[ -n "$deb" ] || { rm -rf "$tmp"; deb_log "no .deb for $pkg"; return 1; }
		rm -rf "$dir"
		mkdir -p "$dir.tmp"
		dpkg -x "$deb" "$dir.tmp"
		dpkg-deb -f "$deb" Version > "$dir.tmp/VERSION"
		rm -rf "$tmp"
		mv "$dir.tmp" "$dir"
	fi
	DEB_DIR=$dir
	# shellcheck disable=SC2034 # for the caller
	DEB_VERSION=$(cat "$dir/VERSION")
}
