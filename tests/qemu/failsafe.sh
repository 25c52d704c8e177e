#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck disable=SC2016 # words hold a literal $ for memmap.efi
# The fail-safe boot path under OVMF: faults of the machine, not of
# PATH, never keep memmap.efi from starting PATH (lookup.efi here, which
# says what memmap published).
#  Boot 1: memmap.efi places oops and logs its report to the pmsg zone:
#          a record for the boots after it (RAM kept in a file); boots
#          2 and 3 do the same, after reading it.
#  Boot 2: a nearly full ESP: saving the record fails, a warning, PATH
#          starts with oops published.
#  Boot 3: a read-only ESP: the same, and the ESP is left as it was.
#  Boot 4: memmap.conf with a bad word, and bad ramoops geometry: nothing
#          claimed or published, PATH starts without memmap's words.
#  Boot 5: a full non-volatile variable store: MemmapSticky is not
#          written (a warning), PATH starts with fv published; then a full
#          volatile store: MemmapNamed cannot be written, everything is
#          undone and PATH starts without memmap's words.
# Usage: failsafe.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: failsafe.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
tmp=${KEEP_TMP:-$(mktemp -d)}
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT

# Boots 1 to 3 run the same line, as a boot entry would: another line
# (the script's length) would change the firmware's map, and oops move
run='memmap.efi --pstore-log pmsg memmap=1M*4096:oops ramoops.mem_name=oops ramoops.pmsg_size=0x10000 -- lookup.efi oops'
esp=$tmp/esp.img
vars=$tmp/vars.fd
ram=$tmp/ram.img
esp_new "$esp"
for f in memmap.efi lookup.efi fillvars.efi; do
	esp_put "$esp" "$build/$f"
done
ovmf_vars "$vars"

# boot N rw|ro CMD...: one boot of the shell script CMD... with the RAM
# file and the ESP as a virtio disk, read-only with ro (the same disk
# every boot, for the same reason); $tmp/esp.sum is the ESP's checksum as it booted
boot() {
	local n=$1 ro=off ra
	[ "$2" = rw ] || ro=on
	shift 2
	nsh_script "$tmp/startup.nsh" "$@"
	esp_put "$esp" "$tmp/startup.nsh"
	sha256sum < "$esp" > "$tmp/esp.sum"
	ra=$(ram_args "$ram")
	# shellcheck disable=SC2086
	qemu_boot none "$vars" "$tmp/boot$n.log" $ra \
		-drive if=virtio,format=raw,readonly=$ro,file="$esp"
}

# The lines a run that went on despite a fault prints: PATH started with
# memmap's words and found oops at its address
started_with_oops() {
	section "$tmp/boot$1.log" 1 | grep -qx "memmap: starting lookup.efi (a boot loader: .*) oops" &&
	section "$tmp/boot$1.log" 1 | grep -qxF "lookup: oops [mem $oops]" &&
	[ "$(status_of "$tmp/boot$1.log" 1)" = 0x0 ]
}

# Boot 0: the firmware's first boot with fresh variables lays memory out
# a little differently from every later one (found with --dump: 12 KiB
# more below oops); the boots below are later ones, as on a machine
boot 0 rw

# Boot 1
boot 1 rw "$run"
oops=$(sed -n 's/^lookup: oops \[mem \(.*\)\]$/\1/p' "$tmp/boot1.log")
if [ -n "$oops" ] && [ "$(status_of "$tmp/boot1.log" 1)" = 0x0 ]; then
	ok "boot 1: oops at $oops, the report logged to its pmsg zone"
else
	bad "boot 1"; cat "$tmp/boot1.log"
fi

# Boot 2: the ESP filled up to two clusters
free=$(mdir -i "$esp" ::/ | sed -n 's/ bytes free$//p' | tr -dc 0-9)
cluster=$(($(minfo -i "$esp" :: | sed -n 's/^cluster size: \([0-9]*\) sectors$/\1/p') * 512))
fill=$((free - 2 * cluster))
head -c "$fill" /dev/zero > "$tmp/filler"
esp_put "$esp" "$tmp/filler"
boot 2 rw "$run"
mdir -/ -b -i "$esp" ::/pstore > "$tmp/pstore.dir" 2> /dev/null || true
if started_with_oops 2 && ! grep -q 'pmsg-ramoops-0' "$tmp/pstore.dir" &&
   section "$tmp/boot2.log" 1 | grep -q '^pstore: pmsg-ramoops-0 (' &&
   section "$tmp/boot2.log" 1 | grep -q '^memmap: warning: .*(Volume Full)$' &&
   ! section "$tmp/boot2.log" 1 | grep -q '^pstore: saved '; then
	ok "boot 2: a nearly full ESP ($((2 * cluster)) bytes free): $(section "$tmp/boot2.log" 1 | grep -m1 '^memmap: warning: '); no cut file left; PATH started with oops"
else
	bad "boot 2: nearly full ESP"; section "$tmp/boot2.log" 1
fi

# Boot 3: the filler and the saves gone, the ESP a read-only disk
mdel -i "$esp" ::/filler
mdeltree -i "$esp" ::/pstore 2> /dev/null || true
boot 3 ro "$run"
if started_with_oops 3 && section "$tmp/boot3.log" 1 | grep -q '^pstore: pmsg-ramoops-0 (' &&
   section "$tmp/boot3.log" 1 | grep -q '^memmap: warning: .*(Write Protected)$' &&
   sha256sum < "$esp" | cmp -s - "$tmp/esp.sum"; then
	ok "boot 3: a read-only ESP: $(section "$tmp/boot3.log" 1 | grep -m1 '^memmap: warning: '); PATH started with oops, the ESP unchanged"
else
	bad "boot 3: read-only ESP"; section "$tmp/boot3.log" 1
fi

# Boot 4: memmap.conf (read when memmap.efi has no arguments) with a bad
# word, a -f file with bad ramoops geometry; each holds a $ range, and
# the map dumped afterwards shows both still free
printf 'memmap=64K$0x13300000 memmap=junk memmap=64K*4096:mc -- lookup.efi mc a=b\r\n' > "$tmp/memmap.conf"
printf 'memmap=64K$0x13400000 memmap=1M*4096:g ramoops.mem_name=g ramoops.record_size=0x200000 -- lookup.efi g\r\n' > "$tmp/geom.conf"
esp_put "$esp" "$tmp/memmap.conf"
esp_put "$esp" "$tmp/geom.conf"
boot 4 rw memmap.efi "memmap.efi -f geom.conf" "memmap.efi --dump conf.txt"
esp_get "$esp" conf.txt "$tmp/conf.txt"
undone() {
	section "$tmp/boot$1.log" "$2" | grep -q "^memmap: error: $3" &&
	section "$tmp/boot$1.log" "$2" | grep -qx "memmap: warning: lookup.efi: starting it without memmap's words: nothing is claimed or published" &&
	section "$tmp/boot$1.log" "$2" | grep -qx "memmap: starting lookup.efi (a boot loader: .*) $4" &&
	section "$tmp/boot$1.log" "$2" | grep -qx "lookup: no memmap table"
}
if undone 4 1 'memmap=junk: ' 'mc a=b' && undone 4 2 'ramoops.mem_name=g: no room for one dmesg record' g &&
   [ "$(desc_type_at "$tmp/conf.txt" 0x13300000)" = Conventional ] &&
   [ "$(desc_type_at "$tmp/conf.txt" 0x13400000)" = Conventional ]; then
	ok "boot 4: memmap.conf with a bad word, bad ramoops geometry: nothing claimed or published, PATH started without memmap's words"
else
	bad "boot 4: bad memmap.conf"; section "$tmp/boot4.log" 1; section "$tmp/boot4.log" 2
fi

# Boot 5: a fresh variable store filled, so that memmap.efi's variables
# are new ones (an update may take its old copy's room); the last run
# publishes more than the first, so MemmapNamed grows
ovmf_vars "$vars"
long=memmap=64K*4096:fw_a_region_with_a_name_long_enough
boot 5 rw "fillvars.efi nv" "memmap.efi -q memmap=64K*4096:fv -- lookup.efi fv" \
	"fillvars.efi volatile" \
	"memmap.efi -q memmap=64K\$0x13200000 memmap=64K*4096:fw ${long}1 ${long}2 ${long}3 -- lookup.efi fw" \
	"memmap.efi --dump vars.txt"
esp_get "$esp" vars.txt "$tmp/vars.txt"
if section "$tmp/boot5.log" 1 | grep -q '^fillvars: nv: [1-9][0-9]* variables' &&
   section "$tmp/boot5.log" 2 | grep -qx 'memmap: warning: MemmapSticky: could not remember the placements: the next boot places anew (.*)' &&
   section "$tmp/boot5.log" 2 | grep -q '^lookup: fv \[mem ' &&
   [ "$(status_of "$tmp/boot5.log" 2)" = 0x0 ]; then
	ok "boot 5: a full non-volatile store: $(section "$tmp/boot5.log" 2 | grep -m1 '^memmap: warning: '); PATH started with fv"
else
	bad "boot 5: full non-volatile store"; section "$tmp/boot5.log" 1; section "$tmp/boot5.log" 2
fi
if section "$tmp/boot5.log" 3 | grep -q '^fillvars: volatile: [1-9][0-9]* variables' &&
   undone 5 4 'SetVariable: could not publish the named regions' fw &&
   [ "$(desc_type_at "$tmp/vars.txt" 0x13200000)" = Conventional ]; then
	ok "boot 5: a full volatile store: $(section "$tmp/boot5.log" 4 | grep -m1 '^memmap: error: '); claims undone, PATH started without memmap's words"
else
	bad "boot 5: full volatile store"; section "$tmp/boot5.log" 3; section "$tmp/boot5.log" 4
fi
finish qemu-failsafe
