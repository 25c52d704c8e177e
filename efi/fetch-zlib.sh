#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fetch zlib's source from Debian's source package (the version this
# machine's zlib1g-dev comes from) and unpack it into DIR, for memmap.efi's
# freestanding build.  Nothing of it is committed.  See NOTES.md.
# Usage: fetch-zlib.sh DIR
set -euo pipefail

dir=${1:?usage: fetch-zlib.sh DIR}
mkdir -p "$(dirname "$dir")"
work=$(cd "$(dirname "$dir")" && pwd)/zlib-apt
mkdir -p "$work/lists/partial"
# apt downloads as _apt: let it write there
if id _apt > /dev/null 2>&1; then chown _apt "$work"; fi
sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
	> "$work/src.sources"
apt_src() {
	apt-get -q -o Dir::Etc::SourceList=/dev/null \
		-o Dir::Etc::SourceParts="$work" \
		-o Dir::State::Lists="$work/lists" "$@"
}
apt_src update > /dev/null
version=$(dpkg-query -W -f='${source:Version}' zlib1g-dev 2>/dev/null || true)
(cd "$work" && if [ -n "$version" ]; then
	apt_src source --download-only "zlib=$version" || apt_src source --download-only zlib
else
	apt_src source --download-only zlib
fi) > /dev/null
orig=$(compgen -G "$work/zlib_*.orig.tar.*" | head -n 1)
[ -n "$orig" ] || { echo "fetch-zlib: no zlib source tarball" >&2; exit 1; }
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
tar -xf "$orig" -C "$dir.tmp" --strip-components=1
rm -rf "$dir"
mv "$dir.tmp" "$dir"
echo "fetch-zlib: $(basename "$orig") -> $dir"
