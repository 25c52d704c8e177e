#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck disable=SC2016 # words hold a literal $ for memmap.efi
# memmap.efi under QEMU/OVMF: contract lines, placement in free memory,
# claims, the lookup application, -f files, sticky placement.
# Usage: efi.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: efi.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/qemu/lib.sh
. "$here/lib.sh"
tmp=${KEEP_TMP:-$(mktemp -d)}
[ -n "${KEEP_TMP:-}" ] || trap 'rm -rf "$tmp"' EXIT
# Whether a "user: ... reserved" line of a run covers [start, end]
reserved_covers() {
	local s e
	while read -r s e; do
		if [ $((s)) -le $(($2)) ] && [ $((e)) -ge $(($3)) ]; then
			return 0
		fi
	done < <(sed -n 's/^user: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\] reserved$/\1 \2/p' "$1")
	return 1
}

EFI_INVALID_PARAMETER=0x2

esp=$tmp/esp.img
vars=$tmp/vars.fd
esp_new "$esp"
esp_put "$esp" "$build/memmap.efi"
esp_put "$esp" "$build/lookup.efi"
esp_put "$esp" "$build/hostile.efi"
printf '# kernel words, taken verbatim: no ^ needed for # or %%\r\nmemmap=64K#0x13000000\r\n\r\n   # an indented comment\r\nmemmap=1M%%0x14000000-1+2 quiet\r\n' > "$tmp/words.conf"
esp_put "$esp" "$tmp/words.conf"
ovmf_vars "$vars"

demo='memmap=12M*4096:oops ramoops.mem_name=oops memmap=1M$0x10000000'
nsh_script "$tmp/startup.nsh" \
	"memmap.efi --dump efimap.txt $demo" \
	"lookup.efi oops" \
	'memmap.efi memmap=1M$0x12000000 memmap=4G*4096:huge' \
	"memmap.efi --dump bad.txt" \
	'memmap.efi -q memmap=1M$0x12000000' \
	"memmap.efi --dump good.txt" \
	"memmap.efi -f words.conf" \
	"memmap.efi --bogus" \
	"memmap.efi -q memmap=4K*4096:c1 -- \\nosuch.efi" \
	"lookup.efi c1" \
	"memmap.efi -q -- words.conf a b" \
	"hostile.efi" \
	'memmap.efi -q memmap=64K$0x13100000' \
	'attrib +r memmap.env' \
	'memmap.efi -q memmap=64K$0x13100000' \
	'memmap.efi -q memmap=128K$0x13100000' \
	'memmap.efi -q memmap=64K*4096:fs1 memmap=junk -- lookup.efi fs1 a=b' \
	'memmap.efi -q memmap=1M*4096:fs2 ramoops.mem_name=fs2 ramoops.record_size=0x200000 -- lookup.efi fs2' \
	'memmap.efi -q --dump \nosuch\dump.txt memmap=64K*4096:fs3 -- lookup.efi fs3' \
	'memmap.efi -q --pstore-log pmsg memmap=64K*4096:pl ramoops.mem_name=pl ramoops.pmsg_size=0' 
esp_put "$esp" "$tmp/startup.nsh"
qemu_boot "$esp" "$vars" "$tmp/boot1.log"
esp_get "$esp" efimap.txt "$tmp/efimap.txt"
esp_get "$esp" bad.txt "$tmp/bad.txt"
esp_get "$esp" good.txt "$tmp/good.txt"
esp_get "$esp" memmap.env "$tmp/memmap.env"

# 1. BIOS-e820 as the host tool computes it from the same snapshot
section "$tmp/boot1.log" 1 > "$tmp/run1"
grep '^BIOS-e820: ' "$tmp/run1" > "$tmp/bios.efi" || true
"$build/memmap" --map "$tmp/efimap.txt" | grep '^BIOS-e820: ' > "$tmp/bios.host"
if [ -s "$tmp/bios.efi" ] && diff -u "$tmp/bios.host" "$tmp/bios.efi"; then
	ok "BIOS-e820 lines equal the host tool's over the --dump file ($(wc -l < "$tmp/bios.efi") lines)"
else
	bad "BIOS-e820 lines differ from the host tool's"
fi

# 2. The wildcard: aligned, in free memory, reserved in the user map
read -r start end < <(sed -n 's/^named: oops \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\]$/\1 \2/p' "$tmp/run1")
if [ -n "${start:-}" ] && [ $((end - start + 1)) -eq $((12 << 20)) ] &&
   [ $((start % 4096)) -eq 0 ] &&
   [ "$(desc_type_at "$tmp/efimap.txt" "$start")" = Conventional ] &&
   [ "$(desc_type_at "$tmp/efimap.txt" "$end")" = Conventional ] &&
   reserved_covers "$tmp/run1" "$start" "$end"; then
	ok "oops placed at $start, aligned, in free memory, reserved in the user map"
else
	bad "oops placement: start=${start:-none} end=${end:-none}"
fi
if grep -qx "cmdline: memmap=0xc00000\$$(printf '0x%x' "$start") ramoops.mem_address=$(printf '0x%x' "$start") ramoops.mem_size=0xc00000 memmap=1M\$0x10000000" "$tmp/run1"; then
	ok "cmdline: rewrite"
else
	bad "cmdline: rewrite: $(grep '^cmdline:' "$tmp/run1")"
fi

# 3. The lookup application finds the name through the config table
if section "$tmp/boot1.log" 2 | grep -qx "lookup: oops \[mem $start-$end\]"; then
	ok "lookup.efi finds oops through the configuration table"
else
	bad "lookup.efi: $(section "$tmp/boot1.log" 2)"
fi

# 4. Bad options: the error, EFI_INVALID_PARAMETER, nothing claimed
if section "$tmp/boot1.log" 3 | grep -q '^memmap: error: memmap=4G\*4096:huge: ' &&
   [ "$(status_of "$tmp/boot1.log" 3)" = "$EFI_INVALID_PARAMETER" ] &&
   [ "$(desc_type_at "$tmp/bad.txt" 0x12000000)" = Conventional ]; then
	ok "bad option: error line, EFI_INVALID_PARAMETER, 0x12000000 left free"
else
	bad "bad option: status $(status_of "$tmp/boot1.log" 3), 0x12000000 is $(desc_type_at "$tmp/bad.txt" 0x12000000)"
fi
if [ "$(status_of "$tmp/boot1.log" 5)" = 0x0 ] &&
   [ "$(desc_type_at "$tmp/good.txt" 0x12000000)" = Reserved ]; then
	ok "a second run claims the same range (now Reserved in the firmware map)"
else
	bad "second run: status $(status_of "$tmp/boot1.log" 5), 0x12000000 is $(desc_type_at "$tmp/good.txt" 0x12000000)"
fi

# 5. -f: words verbatim (# and %), comments skipped
section "$tmp/boot1.log" 7 > "$tmp/run7"
if grep -qx 'user: \[mem 0x0000000013000000-0x000000001300ffff\] ACPI data' "$tmp/run7" &&
   grep -qx 'user: \[mem 0x0000000014000000-0x00000000140fffff\] reserved' "$tmp/run7" &&
   grep -qx 'cmdline: memmap=64K#0x13000000 memmap=1M%0x14000000-1+2 quiet' "$tmp/run7"; then
	ok "-f file: # and % verbatim, comments skipped"
else
	bad "-f file"; cat "$tmp/run7"
fi
if section "$tmp/boot1.log" 8 | grep -q '^memmap: error: --bogus: unknown option' &&
   [ "$(status_of "$tmp/boot1.log" 8)" = "$EFI_INVALID_PARAMETER" ]; then
	ok "unknown option refused"
else
	bad "unknown option: $(section "$tmp/boot1.log" 8)"
fi

# 7. Chain-loading failures leave the shell working; regions stay claimed
if section "$tmp/boot1.log" 9 | grep -q '^memmap: error: \\nosuch.efi: no such file' &&
   section "$tmp/boot1.log" 10 | grep -q '^lookup: c1 \[mem ' &&
   section "$tmp/boot1.log" 11 | grep -q '^memmap: error: words.conf: not an EFI image'; then
	ok "-- PATH: a missing file and a non-image are refused with a clear line"
else
	bad "chain-load failures:"; section "$tmp/boot1.log" 9; section "$tmp/boot1.log" 11
fi

# 8. Hostile LoadOptions: memmap.efi returns every time, firmware intact
section "$tmp/boot1.log" 12 > "$tmp/run12"
# The output of hostile case $1 (what comes before its status line)
hostile_case() {
	awk -v c="$1" '/^hostile: .* status=/ { if ($2 == c) exit; n = 0; delete l; next }
		       { l[n++] = $0 } END { for (i = 0; i < n; i++) print l[i] }' "$tmp/run12"
}
notext="memmap: warning: LoadOptions: the boot entry's data is not text: memmap.conf is read instead"
if grep -aqx 'hostile: done' "$tmp/run12" &&
   [ "$(grep -ac '^hostile: .* status=' "$tmp/run12")" -eq 6 ] &&
   grep -aqx 'hostile: 64KiB status=0x0' "$tmp/run12" &&
   hostile_case unterminated | grep -aq '^named: unterm \[mem ' &&
   hostile_case odd-length | grep -aqxF "$notext" &&
   ! hostile_case odd-length | grep -aq '^named: ' &&
   hostile_case binary-junk | grep -aqxF "$notext"; then
	ok "hostile LoadOptions (odd length, no NUL, 64 KiB, non-ASCII, NUL inside, junk): memmap.efi returned each time; odd length and junk are no arguments, with a warning"
else
	bad "hostile LoadOptions"; grep -a '^hostile\|^memmap: error' "$tmp/run12"
fi

# 6. Sticky placement.  Boot 2 asks for a new region first, which would
# take the top of free memory; oops stays where it was only because
# remembered regions are claimed before new ones are placed.
both='memmap=16M*4096:pad memmap=12M*4096:oops'
nsh_script "$tmp/startup.nsh" "memmap.efi -q $both"
esp_put "$esp" "$tmp/startup.nsh"
qemu_boot "$esp" "$vars" "$tmp/boot2.log"
if section "$tmp/boot2.log" 1 | grep -qx "named: oops \[mem $start-$end\]" &&
   ! section "$tmp/boot2.log" 1 | grep -q "named: pad \[mem $start-"; then
	ok "second boot: oops claimed first at its remembered address"
else
	bad "second boot: $(section "$tmp/boot2.log" 1)"
fi

# Boot 3, the control: the same words after --forget move oops; then a
# different size cannot reuse the remembered range and says so
nsh_script "$tmp/startup.nsh" "memmap.efi --forget -q $both" \
	"memmap.efi memmap=8M*4096:oops"
esp_put "$esp" "$tmp/startup.nsh"
qemu_boot "$esp" "$vars" "$tmp/boot3.log"
if section "$tmp/boot3.log" 1 | grep -q "^named: oops " &&
   ! section "$tmp/boot3.log" 1 | grep -qx "named: oops \[mem $start-$end\]"; then
	ok "--forget: without the remembered placement oops goes elsewhere"
else
	bad "--forget: $(section "$tmp/boot3.log" 1)"
fi
if section "$tmp/boot3.log" 2 | grep -q "^moved: oops could not be reused; its old contents are not carried over$"; then
	ok "a remembered region that cannot be reused is reported as moved"
else
	bad "moved: $(section "$tmp/boot3.log" 2)"
fi

# memmap.env, the GRUB channel: GRUB's environment block format (the
# signature line, the variable, '#' up to 1024 bytes), rewritten only when
# the words change (a read-only copy with the same words gives no
# warning), and a file that cannot be written gives one warning line and
# the run goes on
{ printf '# GRUB Environment Block\nmemmap_cmdline=memmap=64K$0x13100000\n'
  head -c 1024 /dev/zero | tr '\0' '#'; } | head -c 1024 > "$tmp/env.want"
if cmp -s "$tmp/env.want" "$tmp/memmap.env"; then
	ok "memmap.env: a 1024-byte GRUB environment block with memmap_cmdline=memmap=64K\$0x13100000"
else
	bad "memmap.env"; od -c "$tmp/memmap.env" | head
fi
if [ "$(status_of "$tmp/boot1.log" 15)" = 0x0 ] && ! section "$tmp/boot1.log" 15 | grep -q 'warning' &&
   [ "$(status_of "$tmp/boot1.log" 16)" = 0x0 ] &&
   [ "$(section "$tmp/boot1.log" 16 | grep -c '^memmap: warning: ')" -eq 1 ] &&
   section "$tmp/boot1.log" 16 | grep -q '^memmap: warning: memmap.env: cannot write the GRUB environment block .*(Access Denied)$'; then
	ok "memmap.env: not rewritten for the same words; a file that cannot be written: one warning, exit 0"
else
	bad "memmap.env writes"; section "$tmp/boot1.log" 15; section "$tmp/boot1.log" 16
fi
# The fail-safe rule: with -- PATH, memmap.efi's own errors undo what it
# did and PATH starts without memmap's words. A bad word and bad ramoops
# geometry (refused before anything is done); a --dump file that cannot
# be written, found after the claims (the table taken back: lookup.efi
# finds none)
failsafe_ok() {
	section "$tmp/boot1.log" "$1" | grep -q "^memmap: error: $2" &&
	section "$tmp/boot1.log" "$1" | grep -qx "memmap: warning: lookup.efi: starting it without memmap's words: nothing is claimed or published" &&
	section "$tmp/boot1.log" "$1" | grep -qx "memmap: starting lookup.efi (a boot loader: .*) $3" &&
	section "$tmp/boot1.log" "$1" | grep -qx "lookup: $4"
}
if failsafe_ok 17 'memmap=junk: ' 'fs1 a=b' 'fs1 not found' &&
   failsafe_ok 18 'ramoops.mem_name=fs2: no room for one dmesg record' fs2 'fs2 not found'; then
	ok "fail-safe: a bad word, bad ramoops geometry: PATH still starts, without memmap's words"
else
	bad "fail-safe: bad word or geometry"; section "$tmp/boot1.log" 17; section "$tmp/boot1.log" 18
fi
if failsafe_ok 19 '.nosuch.dump.txt: cannot write the --dump file' fs3 'no memmap table'; then
	ok "fail-safe: a failure after the claims: claims and table undone, PATH starts"
else
	bad "fail-safe: after the claims"; section "$tmp/boot1.log" 19
fi
# --pstore-log without a pmsg zone: refused before anything is placed
if [ "$(status_of "$tmp/boot1.log" 20)" = "$EFI_INVALID_PARAMETER" ] &&
   section "$tmp/boot1.log" 20 | grep -qx 'memmap: error: --pstore-log: there is no pmsg zone (ramoops.pmsg_size=0)' &&
   ! section "$tmp/boot1.log" 20 | grep -q '^named: '; then
	ok "--pstore-log without a pmsg zone: refused before anything is placed"
else
	bad "--pstore-log without a pmsg zone"; section "$tmp/boot1.log" 20
fi

finish qemu-efi
