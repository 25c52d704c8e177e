#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian's binary package PKG of SUITE for ARCH, unpacked, for the
# firmware build of another architecture (gnu-efi for arm64): through the
# private apt list of tests/qemu/debian.sh, never the system's apt
# configuration (../shared/NOTES.md).  DIR becomes a link to the
# unpacked tree; DIR/VERSION holds the package's version.
# Usage: fetch-deb.sh ARCH SUITE PKG DIR
set -euo pipefail

arch=${1:?usage: fetch-deb.sh ARCH SUITE PKG DIR}
suite=${2:?usage: fetch-deb.sh ARCH SUITE PKG DIR}
pkg=${3:?usage: fetch-deb.sh ARCH SUITE PKG DIR}
dir=${4:?usage: fetch-deb.sh ARCH SUITE PKG DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=tests/qemu/debian.sh
. "$top/tests/qemu/debian.sh"
DEB_ARCH=$arch deb_get "$suite" "$pkg"
mkdir -p "$(dirname "$dir")"
ln -sfn "$DEB_DIR" "$dir"
echo "fetch-deb: $pkg $DEB_VERSION ($suite, $arch) -> $dir"
