#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fetch a library's source from Debian's source package SOURCE and unpack
# its upstream tarball into DIR: the version VERSION (empty: the newest
# this machine's apt lists know), only the MEMBERs when given (paths under
# the tarball's top directory).  Debian's own patches to those members are
# applied.  For memmap.efi's freestanding build (zlib) and the bench's
# reference (Linux's e820 code); nothing of it is committed.  The apt
# lists are private (NOTES.md).  FETCH_SUITES (e.g. "trixie") looks in
# those suites of the system's mirror instead of the system's own.  When
# the mirror holds a version's upstream tarball but not its .dsc or
# .debian.tar (this machine's mirror lacks them for device-tree-compiler),
# that tarball is used, without Debian's patches, and the script says so.
# Usage: fetch-src.sh SOURCE VERSION DIR [MEMBER...]
set -euo pipefail

src=${1:?usage: fetch-src.sh SOURCE VERSION DIR [MEMBER...]}
version=${2?usage: fetch-src.sh SOURCE VERSION DIR [MEMBER...]}
dir=${3:?usage: fetch-src.sh SOURCE VERSION DIR [MEMBER...]}
shift 3
mkdir -p "$(dirname "$dir")"
work=$(cd "$(dirname "$dir")" && pwd)/$src-apt
mkdir -p "$work/lists/partial"
# apt downloads as _apt: let it write there
if id _apt > /dev/null 2>&1; then chown _apt "$work"; fi
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
	> "$work/src.sources"
if [ -n "${FETCH_SUITES:-}" ]; then
	uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
	printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
		"$uri" "$FETCH_SUITES" /usr/share/keyrings/debian-archive-keyring.gpg \
		> "$work/src.sources"
fi
apt_src() {
	"$1" -q -o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$work" \
		-o Dir::State::Lists="$work/lists" "${@:2}"
}
apt_src apt-get update > /dev/null
# VERSION first, then the newest the mirror really holds (a security
# update's source can be missing from it)
got=
for v in $version $(apt_src apt-cache showsrc "$src" 2> /dev/null |
		    sed -n 's/^Version: //p' | sort -Vru); do
	if (cd "$work" && apt_src apt-get source --download-only "$src=$v") > /dev/null 2>&1; then
		got=$v
		break
	fi
done
if [ -z "$got" ]; then
	for v in $version $(apt_src apt-cache showsrc "$src" 2> /dev/null |
			    sed -n 's/^Version: //p' | sort -Vru); do
		u=${v#*:}
		if compgen -G "$work/${src}_${u%-*}.orig.tar.*" > /dev/null; then
			got=$v
			echo "fetch-src: the mirror has only the upstream tarball of $src $v: Debian's patches are not applied" >&2
			break
		fi
	done
fi
[ -n "$got" ] || { echo "fetch-src: cannot download $src's source" >&2; exit 1; }
version=$got
upstream=${version#*:}
upstream=${upstream%-*}
orig=$(compgen -G "$work/${src}_$upstream.orig.tar.*" | head -n 1)
[ -n "$orig" ] || { echo "fetch-src: no $src $upstream source tarball" >&2; exit 1; }
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
members=()
for m in "$@"; do
	members+=("*/$m")
done
tar -xf "$orig" -C "$dir.tmp" --strip-components=1 --wildcards "${members[@]}"
# Debian's patches that touch the members
deb=$(compgen -G "$work/${src}_${version#*:}.debian.tar.*" | head -n 1) || true
if [ -n "$deb" ] && [ $# -gt 0 ]; then
	mkdir -p "$dir.tmp/.debian"
	tar -xf "$deb" -C "$dir.tmp/.debian" debian/patches
	while read -r p; do
		for m in "$@"; do
			if grep -q "^+++ [^/]*/$m" "$dir.tmp/.debian/debian/patches/$p"; then
				patch -s -p1 -d "$dir.tmp" < "$dir.tmp/.debian/debian/patches/$p"
				echo "fetch-src: applied Debian's $p"
				break
			fi
		done
	done < <(grep -v '^#' "$dir.tmp/.debian/debian/patches/series" | sed 's/ .*//' | grep .)
	rm -rf "$dir.tmp/.debian"
fi
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "fetch-src: $(basename "$orig") -> $dir"
