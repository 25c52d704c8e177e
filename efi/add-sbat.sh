#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# add-sbat.sh OBJCOPY OBJDUMP CSV IMAGE: give the PE image an .sbat
# section (shim 15.3 and later refuse a second stage without one), placed
# page-aligned after the image's last section.
set -eu
objcopy=$1 objdump=$2 csv=$3 image=$4
end=0
# objdump -h: "Idx Name Size VMA LMA File-off Algn"
for e in $("$objdump" -h "$image" | awk '$1 ~ /^[0-9]+$/ { print $3 ":" $4 }'); do
	size=$((0x${e%%:*}))
	vma=$((0x${e#*:}))
	[ $((vma + size)) -le "$end" ] || end=$((vma + size))
done
end=$(((end + 4095) / 4096 * 4096))
"$objcopy" --add-section .sbat="$csv" \
	--set-section-flags .sbat=contents,alloc,load,readonly,data \
	--change-section-vma .sbat="$(printf '0x%x' "$end")" "$image" "$image.sbat"
mv "$image.sbat" "$image"
