#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# memmap install / uninstall on scratch roots (--root): a fake efivarfs
# with real EFI_LOAD_OPTION blobs, an ESP directory, a mount table and
# /sys/class/block naming it, /etc; recording stubs for efibootmgr (which
# also edits the fake efivarfs as the real one would) and update-grub;
# a stand-in for Debian's signed shim and MokManager (--shim).
# Every run passes --root, so nothing outside the scratch roots is touched.
# Usage: install.sh MEMMAP
set -uo pipefail

memmap=$(realpath "${1:?usage: install.sh MEMMAP}")
here=$(cd "$(dirname "$0")" && pwd)
data=$(realpath "$here/../../dist/grub")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
GUID=8be4df61-93ca-11d2-aa0d-00e098032b8c
WORDS=('memmap=12M*4096:oops' ramoops.mem_name=oops ramoops.ecc=16)
pass=0
fail=0

# A check: "FAIL: install.sh:LINE: WHAT" when the command fails
expect() {
	local what=$1
	shift
	if "$@"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: install.sh:${BASH_LINENO[0]}: $what"
	fi
}

# --- binary blobs ---------------------------------------------------------
bytes() { local b; for b; do printf "\\x$(printf %02x "$b")"; done; }
le16() { bytes $(($1 & 255)) $(($1 >> 8 & 255)); }
le32() { bytes $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
# UCS-2, NUL-terminated
ucs2() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do printf '%s' "${s:i:1}"; bytes 0; done; bytes 0 0; }
# Hard drive media node: partition 1 of a GPT disk (42 bytes)
hd_node() { bytes 4 1; le16 42; le32 1; le32 2048; le32 0; le32 1048576; le32 0; bytes {1..16} 2 2; }
file_node() { bytes 4 4; le16 $((4 + 2 * (${#1} + 1))); ucs2 "$1"; }
pci_node() { bytes 1 1 6 0 0 3; }
end_node() { bytes 0x7f 0xff 4 0; }
attrs() { bytes 7 0 0 0; }
# An efivarfs Boot#### file: DESC, then the device path nodes in "$@"
boot_var() {
	local desc=$1 n=0
	shift
	"$@" > "$tmp/nodes"
	n=$(stat -c %s "$tmp/nodes")
	attrs; le32 1; le16 "$n"; ucs2 "$desc"; cat "$tmp/nodes"
}
disk_path() { hd_node; file_node "$1"; end_node; }
pxe_path() { pci_node; end_node; }
# BootOrder / BootCurrent from hex numbers
u16_var() { local x; attrs; for x; do le16 $((16#$x)); done; }

# --- scratch roots -------------------------------------------------------------
# make_root DIR: UEFI, ESP /boot/efi = /dev/sda1 (vfat), booted Boot0000
# (debian, \EFI\debian\shimx64.efi), BootOrder 0000,0001
make_root() {
	local r=$1 v=$1/sys/firmware/efi/efivars
	local dev=sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda
	mkdir -p "$v" "$r/boot/efi/EFI/debian" "$r/proc/self" "$r/$dev/sda1" \
		"$r/sys/class/block" "$r/etc/grub.d" "$r/etc/default"
	boot_var debian disk_path '\EFI\debian\shimx64.efi' > "$v/Boot0000-$GUID"
	boot_var 'UEFI PXEv4' pxe_path > "$v/Boot0001-$GUID"
	u16_var 0000 > "$v/BootCurrent-$GUID"
	u16_var 0000 0001 > "$v/BootOrder-$GUID"
	echo 'shim' > "$r/boot/efi/EFI/debian/shimx64.efi"
	echo 'grub' > "$r/boot/efi/EFI/debian/grubx64.efi"
	mkdir -p "$r/boot/efi/EFI/systemd"
	echo 'sd-boot' > "$r/boot/efi/EFI/systemd/systemd-bootx64.efi"
	printf '%s\n' '/dev/sda2 / ext4 rw,relatime 0 0' \
		'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0' \
		'/dev/sda1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0' \
		> "$r/proc/self/mounts"
	echo 1 > "$r/$dev/sda1/partition"
	ln -s "../../${dev#sys/}/sda1" "$r/sys/class/block/sda1"
	echo '#!/bin/sh' > "$r/etc/grub.d/00_header"
	chmod 0755 "$r/etc/grub.d/00_header"
}

# The stubs log their arguments to $STUB_LOG, efibootmgr each one also in
# <> to $STUB_LOG.argv; efibootmgr edits $STUB_EFIVARS, its --create making
# the entry that starts memmap.efi, or shim (--loader shimx64.efi) with
# the data "memmap.efi" in UCS-2 (efibootmgr --unicode), NUL-terminated
mkdir -p "$tmp/bin"
boot_var memmap disk_path '\EFI\memmap\memmap.efi' > "$tmp/memmap-entry"
{ boot_var memmap disk_path '\EFI\memmap\shimx64.efi'; ucs2 memmap.efi; } > "$tmp/memmap-shim-entry"
cat > "$tmp/bin/efibootmgr" << EOF
#!/usr/bin/env bash
echo "efibootmgr \$*" >> "\$STUB_LOG"
{ printf '<%s>' "\$@"; echo; } >> "\$STUB_LOG.argv"
v=\$STUB_EFIVARS
order() { od -An -v -tx2 -j4 "\$v/BootOrder-$GUID" 2>/dev/null | tr -s ' \n' '  '; }
set_order() { { printf '\x07\x00\x00\x00'; for x; do printf "\\\\x\${x:2:2}\\\\x\${x:0:2}"; done; } > "\$v/BootOrder-$GUID"; }
entry=$tmp/memmap-entry
[ "\${9:-}" != '\\EFI\\memmap\\shimx64.efi' ] || entry=$tmp/memmap-shim-entry
case "\$1" in
--create) cp "\$entry" "\$v/Boot0003-$GUID"; set_order 0003 \$(order) ;;
-b) rm -f "\$v/Boot\$2-$GUID"; set_order \$(order | tr ' ' '\n' | tr a-f A-F | grep -vx "\$2") ;;
-o) set_order \$(echo "\$2" | tr ',' ' ') ;;
esac
EOF
printf '#!/bin/sh\necho update-grub >> "$STUB_LOG"\n' > "$tmp/bin/update-grub"
chmod 0755 "$tmp/bin/efibootmgr" "$tmp/bin/update-grub"
export MEMMAP_EFIBOOTMGR=$tmp/bin/efibootmgr MEMMAP_UPDATE_GRUB=$tmp/bin/update-grub
export STUB_LOG=$tmp/log

{ printf 'MZ'; head -c 4000 /dev/urandom; } > "$tmp/memmap.efi"
# Debian's /usr/lib/shim: shim-signed's shim, shim-helpers' MokManager
mkdir -p "$tmp/shim"
{ printf 'MZ shim\n'; seq 1000; } > "$tmp/shim/shimx64.efi.signed"
{ printf 'MZ MokManager\n'; seq 700; } > "$tmp/shim/mmx64.efi.signed"

# A root's state: every entry's type, mode, size and mtime, every file's bytes
snapshot() {
	(cd "$1" && find . -printf '%p %y %m %s %T@\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
# Only the files and their bytes
files() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }

# run ROOT ARGS...: memmap with the stubs on ROOT's efivarfs
run() {
	local r=$1
	shift
	status=0
	: > "$STUB_LOG"
	: > "$STUB_LOG.argv"
	STUB_EFIVARS=$r/sys/firmware/efi/efivars "$memmap" "$@" \
		> "$tmp/out" 2> "$tmp/err" || status=$?
}
out_has() { grep -qF -- "$1" "$tmp/out"; }
err_has() { grep -qF -- "$1" "$tmp/err"; }
log_is() { [ "$(cat "$STUB_LOG")" = "$1" ]; }
one_error() { [ "$(wc -l < "$tmp/err")" -eq 1 ] && grep -q '^memmap: error: ' "$tmp/err"; }
show() { sed 's/^/    /' "$tmp/out" "$tmp/err"; }
# After a group of checks: the last run's output when one of them failed
mark=0
shown() { [ "$fail" -eq "$mark" ] || show; mark=$fail; }

r=$tmp/root
make_root "$r"
esp=$r/boot/efi/EFI/memmap
conf_expected=$(printf '%s\n' "# memmap.efi's arguments (memmap install); # % \$ need no escaping" \
	"${WORDS[*]}" '-- \EFI\debian\shimx64.efi')
create="efibootmgr --create --disk /dev/sda --part 1 --label memmap --loader \\EFI\\memmap\\memmap.efi"
inst=(install --root "$r" --efi "$tmp/memmap.efi" --data "$data")

# --- dry run: the steps, nothing changed ------------------------------------
before=$(snapshot "$r")
files_before=$(files "$r")
run "$r" "${inst[@]}" --dry-run "${WORDS[@]}"
expect "dry run: exit status $status" [ "$status" -eq 0 ]
expect "dry run changed the root" [ "$(snapshot "$r")" = "$before" ]
expect "dry run ran a program" log_is ""
expect "dry run: no copy step" out_has "install (dry run): copy $tmp/memmap.efi -> $esp/memmap.efi"
expect "dry run: no memmap.conf step" \
	out_has "install (dry run): write $esp/memmap.conf: ${WORDS[*]} -- \\EFI\\debian\\shimx64.efi"
expect "dry run: no efibootmgr step" \
	out_has "install (dry run): run $tmp/bin/efibootmgr --create --disk /dev/sda --part 1 --label memmap --loader '\\EFI\\memmap\\memmap.efi'"
expect "dry run: no update-grub step" out_has "install (dry run): run $tmp/bin/update-grub"
expect "dry run: a line without the prefix" \
	bash -c '! grep -v "^install (dry run): " "$1"' _ "$tmp/out"
shown

# --- install ---------------------------------------------------------------
run "$r" "${inst[@]}" "${WORDS[@]}"
expect "install: exit status $status" [ "$status" -eq 0 ]
expect "install: stderr not empty" [ ! -s "$tmp/err" ]
expect "install: memmap.efi differs" cmp -s "$tmp/memmap.efi" "$esp/memmap.efi"
expect "install: memmap.conf is not as expected" [ "$(cat "$esp/memmap.conf" 2>&1)" = "$conf_expected" ]
expect "install: 05_memmap differs" cmp -s "$data/05_memmap" "$r/etc/grub.d/05_memmap"
expect "install: memmap.cfg differs" cmp -s "$data/memmap.cfg" "$r/etc/default/grub.d/memmap.cfg"
expect "install: 05_memmap mode not 755" [ "$(stat -c %a "$r/etc/grub.d/05_memmap" 2>&1)" = 755 ]
expect "install: memmap.cfg mode not 644" [ "$(stat -c %a "$r/etc/default/grub.d/memmap.cfg" 2>&1)" = 644 ]
expect "install: programs run: $(tr '\n' '|' < "$STUB_LOG")" \
	log_is "$(printf '%s\n' update-grub "$create")"
expect "install: install.state" [ "$(grep -v '^#' "$esp/install.state" 2>&1)" = \
	"$(printf '%s\n' 'bootorder 0000,0001' 'grub 1' 'entry 0003')" ]
expect "install: the step lines" out_has "install: copy $tmp/memmap.efi -> $esp/memmap.efi"
expect "install: the stub made no entry" [ -f "$r/sys/firmware/efi/efivars/Boot0003-$GUID" ]
shown

# --- install again: nothing rewritten, no second entry ------------------------
after=$(snapshot "$r")
run "$r" "${inst[@]}" "${WORDS[@]}"
expect "second install: exit status $status" [ "$status" -eq 0 ]
expect "second install changed the root" [ "$(snapshot "$r")" = "$after" ]
expect "second install ran: $(tr '\n' '|' < "$STUB_LOG")" log_is ""
expect "second install: no 'unchanged'" out_has "install: $esp/memmap.conf unchanged"
expect "second install: no 'nothing to change'" out_has "install: nothing to change"

# Booted through memmap.efi (BootCurrent 0003): LOADER from memmap.conf
u16_var 0003 > "$r/sys/firmware/efi/efivars/BootCurrent-$GUID"
after=$(snapshot "$r")
run "$r" "${inst[@]}" "${WORDS[@]}"
expect "install from memmap's entry: exit status $status" [ "$status" -eq 0 ]
expect "install from memmap's entry changed the root" [ "$(snapshot "$r")" = "$after" ]
expect "install from memmap's entry: loader not from memmap.conf" \
	out_has "install: loader \\EFI\\debian\\shimx64.efi, from $esp/memmap.conf"
u16_var 0000 > "$r/sys/firmware/efi/efivars/BootCurrent-$GUID"

# memmap's entry not first: put first, no new entry
u16_var 0000 0001 0003 > "$r/sys/firmware/efi/efivars/BootOrder-$GUID"
run "$r" "${inst[@]}" "${WORDS[@]}"
expect "reorder: exit status $status" [ "$status" -eq 0 ]
expect "reorder ran: $(tr '\n' '|' < "$STUB_LOG")" log_is "efibootmgr -o 0003,0000,0001"
shown

# --- uninstall ---------------------------------------------------------------------
after=$(snapshot "$r")
run "$r" uninstall --root "$r" --dry-run
expect "uninstall dry run: exit status $status" [ "$status" -eq 0 ]
expect "uninstall dry run changed the root" [ "$(snapshot "$r")" = "$after" ]
expect "uninstall dry run ran a program" log_is ""
expect "uninstall dry run: no -B step" out_has "uninstall (dry run): run $tmp/bin/efibootmgr -b 0003 -B"
run "$r" uninstall --root "$r"
expect "uninstall: exit status $status" [ "$status" -eq 0 ]
expect "uninstall: stderr not empty" [ ! -s "$tmp/err" ]
expect "uninstall ran: $(tr '\n' '|' < "$STUB_LOG")" log_is "$(printf '%s\n' \
	'efibootmgr -b 0003 -B' 'efibootmgr -o 0000,0001' update-grub)"
expect "uninstall left EFI/memmap" [ ! -e "$esp" ]
expect "uninstall: the files differ from before install" [ "$(files "$r")" = "$files_before" ]
run "$r" uninstall --root "$r"
expect "second uninstall: exit status $status" [ "$status" -eq 0 ]
expect "second uninstall ran a program" log_is ""
expect "second uninstall: no 'nothing' line" out_has "nothing of memmap install found"
shown

# memmap.env (written by memmap.efi at boot) goes too; no install.state:
# said, BootOrder left alone
run "$r" "${inst[@]}" "${WORDS[@]}"
echo '# GRUB Environment Block' > "$esp/memmap.env"
rm -f "$esp/install.state"
run "$r" uninstall --root "$r"
expect "uninstall without state: exit status $status" [ "$status" -eq 0 ]
expect "uninstall without state ran: $(tr '\n' '|' < "$STUB_LOG")" \
	log_is "$(printf '%s\n' 'efibootmgr -b 0003 -B' update-grub)"
expect "uninstall without state: not said" out_has "from before install is unknown and not restored"
expect "uninstall without state left EFI/memmap" [ ! -e "$esp" ]
shown

# --- --shim: the entry starts shim, shim starts memmap.efi beside it ----------
r6=$tmp/root6
make_root "$r6"
esp6=$r6/boot/efi/EFI/memmap
v6=$r6/sys/firmware/efi/efivars
shim_create="efibootmgr --create --disk /dev/sda --part 1 --label memmap --loader \\EFI\\memmap\\shimx64.efi --unicode memmap.efi"
shim_argv='<--create><--disk></dev/sda><--part><1><--label><memmap><--loader><\EFI\memmap\shimx64.efi><--unicode><memmap.efi>'
inst6=(install --root "$r6" --efi "$tmp/memmap.efi" --data "$data")
shim6=(--shim "$tmp/shim/shimx64.efi.signed")
files_before6=$(files "$r6")
before=$(snapshot "$r6")
run "$r6" "${inst6[@]}" "${shim6[@]}" --dry-run "${WORDS[@]}"
expect "--shim dry run: exit status $status" [ "$status" -eq 0 ]
expect "--shim dry run changed the root" [ "$(snapshot "$r6")" = "$before" ]
expect "--shim dry run ran a program" log_is ""
expect "--shim dry run: no shim copy step" \
	out_has "install (dry run): copy $tmp/shim/shimx64.efi.signed -> $esp6/shimx64.efi"
expect "--shim dry run: no MokManager copy step" \
	out_has "install (dry run): copy $tmp/shim/mmx64.efi.signed -> $esp6/mmx64.efi"
expect "--shim dry run: no efibootmgr step" \
	out_has "install (dry run): run $tmp/bin/efibootmgr --create --disk /dev/sda --part 1 --label memmap --loader '\\EFI\\memmap\\shimx64.efi' --unicode memmap.efi"
shown

run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "--shim: exit status $status" [ "$status" -eq 0 ]
expect "--shim: stderr not empty" [ ! -s "$tmp/err" ]
expect "--shim: shimx64.efi differs" cmp -s "$tmp/shim/shimx64.efi.signed" "$esp6/shimx64.efi"
expect "--shim: mmx64.efi differs" cmp -s "$tmp/shim/mmx64.efi.signed" "$esp6/mmx64.efi"
expect "--shim: memmap.efi differs" cmp -s "$tmp/memmap.efi" "$esp6/memmap.efi"
expect "--shim: memmap.conf is not as expected" [ "$(cat "$esp6/memmap.conf" 2>&1)" = "$conf_expected" ]
expect "--shim: programs run: $(tr '\n' '|' < "$STUB_LOG")" \
	log_is "$(printf '%s\n' update-grub "$shim_create")"
expect "--shim: efibootmgr's argv: $(cat "$STUB_LOG.argv")" [ "$(cat "$STUB_LOG.argv")" = "$shim_argv" ]
expect "--shim: the entry is not the stub's shim entry" cmp -s "$tmp/memmap-shim-entry" "$v6/Boot0003-$GUID"
expect "--shim: install.state" [ "$(grep -v '^#' "$esp6/install.state" 2>&1)" = \
	"$(printf '%s\n' 'bootorder 0000,0001' 'grub 1' 'entry 0003')" ]
expect "--shim: no note on shim's upgrades" \
	out_has "install: note: upgrades of shim (Debian's shim-signed) do not update this copy: run memmap install again"
shown

# Again: nothing rewritten, the shim entry recognised
after=$(snapshot "$r6")
run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "second --shim install: exit status $status" [ "$status" -eq 0 ]
expect "second --shim install changed the root" [ "$(snapshot "$r6")" = "$after" ]
expect "second --shim install ran: $(tr '\n' '|' < "$STUB_LOG")" log_is ""
expect "second --shim install: no 'shimx64.efi unchanged'" out_has "install: $esp6/shimx64.efi unchanged"
expect "second --shim install: no 'first in BootOrder unchanged'" \
	out_has "install: boot entry Boot0003 (memmap) first in BootOrder unchanged"
expect "second --shim install: no 'nothing to change'" out_has "install: nothing to change"
expect "second --shim install: a note on shim's upgrades" bash -c '! grep -q "upgrades of shim" "$1"' _ "$tmp/out"

# Booted through shim's entry (BootCurrent 0003): LOADER from memmap.conf
u16_var 0003 > "$v6/BootCurrent-$GUID"
after=$(snapshot "$r6")
run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "--shim, booted through shim: exit status $status" [ "$status" -eq 0 ]
expect "--shim, booted through shim, changed the root" [ "$(snapshot "$r6")" = "$after" ]
expect "--shim, booted through shim: loader not from memmap.conf" \
	out_has "install: loader \\EFI\\debian\\shimx64.efi, from $esp6/memmap.conf: this system booted memmap.efi through shim (Boot0003)"
u16_var 0000 > "$v6/BootCurrent-$GUID"
shown

# shim upgraded: the copy refreshed, the entry kept
echo upgraded >> "$tmp/shim/shimx64.efi.signed"
run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "shim upgraded: exit status $status" [ "$status" -eq 0 ]
expect "shim upgraded ran: $(tr '\n' '|' < "$STUB_LOG")" log_is ""
expect "shim upgraded: no copy step" out_has "install: copy $tmp/shim/shimx64.efi.signed -> $esp6/shimx64.efi"
expect "shim upgraded: shimx64.efi differs" cmp -s "$tmp/shim/shimx64.efi.signed" "$esp6/shimx64.efi"
shown

# Without --shim: the entry replaced by one that starts memmap.efi; shim's
# files go once no entry starts them
run "$r6" "${inst6[@]}" "${WORDS[@]}"
expect "--shim to plain: exit status $status" [ "$status" -eq 0 ]
expect "--shim to plain ran: $(tr '\n' '|' < "$STUB_LOG")" \
	log_is "$(printf '%s\n' 'efibootmgr -b 0003 -B' "$create")"
expect "--shim to plain: not said" out_has "install: boot entry Boot0003 (memmap) starts \\EFI\\memmap\\shimx64.efi, not \\EFI\\memmap\\memmap.efi (no --shim): deleted, a new one created"
expect "--shim to plain: the entry is not the plain one" cmp -s "$tmp/memmap-entry" "$v6/Boot0003-$GUID"
expect "--shim to plain: no remove step" out_has "install: remove $esp6/shimx64.efi"
expect "--shim to plain left shimx64.efi or mmx64.efi" [ ! -e "$esp6/shimx64.efi" ] && [ ! -e "$esp6/mmx64.efi" ]
expect "--shim to plain: install.state" [ "$(grep -v '^#' "$esp6/install.state" 2>&1)" = \
	"$(printf '%s\n' 'bootorder 0000,0001' 'grub 1' 'entry 0003')" ]
shown

# And back: the plain entry deleted (-b 0003 -B), then the shim one created
run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "plain to --shim: exit status $status" [ "$status" -eq 0 ]
expect "plain to --shim ran: $(tr '\n' '|' < "$STUB_LOG")" \
	log_is "$(printf '%s\n' 'efibootmgr -b 0003 -B' "$shim_create")"
expect "plain to --shim: not said" out_has "install: boot entry Boot0003 (memmap) starts \\EFI\\memmap\\memmap.efi, not \\EFI\\memmap\\shimx64.efi with data memmap.efi (--shim): deleted, a new one created"
expect "plain to --shim: the entry is not the shim one" cmp -s "$tmp/memmap-shim-entry" "$v6/Boot0003-$GUID"
expect "plain to --shim: shimx64.efi differs" cmp -s "$tmp/shim/shimx64.efi.signed" "$esp6/shimx64.efi"
shown

# memmap's label on shim without the data naming memmap.efi (shim would
# start grubx64.efi beside it): replaced as well
boot_var memmap disk_path '\EFI\memmap\shimx64.efi' > "$v6/Boot0003-$GUID"
run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "shim entry without data: exit status $status" [ "$status" -eq 0 ]
expect "shim entry without data ran: $(tr '\n' '|' < "$STUB_LOG")" \
	log_is "$(printf '%s\n' 'efibootmgr -b 0003 -B' "$shim_create")"
expect "shim entry without data: not said" \
	out_has "starts \\EFI\\memmap\\shimx64.efi with data other than memmap.efi, not"
shown

# Secure Boot on: what to sign and enroll
printf '\x06\x00\x00\x00\x01' > "$v6/SecureBoot-$GUID"
run "$r6" "${inst6[@]}" "${shim6[@]}" --dry-run "${WORDS[@]}"
expect "--shim, Secure Boot on: exit status $status" [ "$status" -eq 0 ]
expect "--shim, Secure Boot on: no MOK note" out_has "install (dry run): note: Secure Boot is on: shim starts memmap.efi only when it is signed with a key enrolled in MOK (install does not sign): make sign KEY=key.pem CERT=cert.pem; mokutil --import cert.der"
expect "--shim, Secure Boot on: the note does not name the signed image" \
	out_has "--efi build/memmap.signed.efi installs the signed image"
expect "--shim, Secure Boot on: the note is not last" \
	bash -c 'tail -n1 "$1" | grep -q "note: Secure Boot is on"' _ "$tmp/out"
run "$r6" "${inst6[@]}" --dry-run "${WORDS[@]}"
expect "Secure Boot on without --shim: no --shim suggested" \
	out_has "install with --shim /usr/lib/shim/shimx64.efi.signed and a memmap.efi signed with a key enrolled in MOK"
rm "$v6/SecureBoot-$GUID"
shown

# A MokManager named mmx64.efi beside shim (no .signed) is taken too
mkdir -p "$tmp/shim2"
cp "$tmp/shim/shimx64.efi.signed" "$tmp/shim2/shimx64.efi"
cp "$tmp/shim/mmx64.efi.signed" "$tmp/shim2/mmx64.efi"
run "$r6" "${inst6[@]}" --shim="$tmp/shim2/shimx64.efi" --dry-run "${WORDS[@]}"
expect "--shim=FILE, mmx64.efi: exit status $status" [ "$status" -eq 0 ]
expect "--shim=FILE, mmx64.efi: not copied from beside FILE" \
	out_has "install (dry run): $esp6/mmx64.efi unchanged"
shown

# The data without its NUL, in other case: still memmap.efi for shim (FAT)
{ boot_var memmap disk_path '\EFI\memmap\shimx64.efi'; ucs2 Memmap.EFI | head -c 20; } > "$v6/Boot0003-$GUID"
run "$r6" "${inst6[@]}" "${shim6[@]}" "${WORDS[@]}"
expect "shim entry, data without NUL: exit status $status" [ "$status" -eq 0 ]
expect "shim entry, data without NUL ran: $(tr '\n' '|' < "$STUB_LOG")" log_is ""
expect "shim entry, data without NUL: not kept" \
	out_has "install: boot entry Boot0003 (memmap) first in BootOrder unchanged"
shown

# uninstall: the shim entry, then shim, MokManager and the rest
run "$r6" uninstall --root "$r6"
expect "uninstall after --shim: exit status $status" [ "$status" -eq 0 ]
expect "uninstall after --shim ran: $(tr '\n' '|' < "$STUB_LOG")" log_is "$(printf '%s\n' \
	'efibootmgr -b 0003 -B' 'efibootmgr -o 0000,0001' update-grub)"
expect "uninstall after --shim: no shimx64.efi step" out_has "uninstall: remove $esp6/shimx64.efi"
expect "uninstall after --shim: no mmx64.efi step" out_has "uninstall: remove $esp6/mmx64.efi"
expect "uninstall after --shim left EFI/memmap" [ ! -e "$esp6" ]
expect "uninstall after --shim: the files differ from before install" [ "$(files "$r6")" = "$files_before6" ]
shown

# --- other loaders, --esp with --disk/--part -------------------------------------
r2=$tmp/root2
make_root "$r2"
sed -i '/vfat/d' "$r2/proc/self/mounts"
mkdir -p "$r2/esp/EFI/debian"
cp "$r2/boot/efi/EFI/debian/grubx64.efi" "$r2/esp/EFI/debian/"
before=$(snapshot "$r2")
run "$r2" install --root "$r2" --esp "$r2/esp" --disk /dev/vda --part 2 --efi "$tmp/memmap.efi" \
	--data "$data" --loader /EFI/debian//grubx64.efi --dry-run "${WORDS[@]}"
expect "--esp --disk --part: exit status $status" [ "$status" -eq 0 ]
expect "--esp --disk --part: no create step" out_has "--create --disk /dev/vda --part 2 --label memmap"
expect "--loader not normalised" out_has ": ${WORDS[*]} -- \\EFI\\debian\\grubx64.efi"
expect "--esp --disk --part dry run changed the root" [ "$(snapshot "$r2")" = "$before" ]
run "$r2" install --root "$r2" --efi "$tmp/memmap.efi" --data "$data" --dry-run \
	--loader '\EFI\systemd\systemd-bootx64.efi' "${WORDS[@]}"
expect "no vfat ESP: exit status $status" [ "$status" -eq 1 ]
expect "no vfat ESP: error" err_has "no ESP found (give --esp DIR)"
run "$r" install --root "$r" --efi "$tmp/memmap.efi" --data "$data" --dry-run \
	--loader '\EFI\systemd\systemd-bootx64.efi' "${WORDS[@]}"
expect "systemd-boot: exit status $status" [ "$status" -eq 0 ]
expect "systemd-boot: no SMBIOS note" out_has "systemd-boot 256 and later read the words from SMBIOS"
expect "systemd-boot: GRUB files" bash -c '! grep -q grub.d "$1"' _ "$tmp/out"
mkdir -p "$r/boot/efi/EFI/BOOT"
echo fallback > "$r/boot/efi/EFI/BOOT/BOOTX64.EFI"
run "$r" "${inst[@]}" --dry-run --loader /EFI/BOOT/BOOTX64.EFI "${WORDS[@]}"
expect "removable-media loader: exit status $status" [ "$status" -eq 0 ]
expect "removable-media loader: no note" out_has "is the removable-media path: no GRUB files"
# A malformed entry that is not BootCurrent's: a note, not a refusal
printf '\x07\x00\x00\x00\x01' > "$r/sys/firmware/efi/efivars/Boot0007-$GUID"
run "$r" "${inst[@]}" --dry-run "${WORDS[@]}"
expect "malformed Boot0007: exit status $status" [ "$status" -eq 0 ]
expect "malformed Boot0007: no note" out_has "install (dry run): note: Boot0007 skipped: shorter than"
rm "$r/sys/firmware/efi/efivars/Boot0007-$GUID"
shown
# Nothing installed: uninstall needs no efibootmgr
MEMMAP_EFIBOOTMGR=$tmp/nosuch run "$r" uninstall --root "$r"
expect "uninstall of nothing without efibootmgr: exit status $status" [ "$status" -eq 0 ]
shown
printf '\x06\x00\x00\x00\x01' > "$r/sys/firmware/efi/efivars/SecureBoot-$GUID"
run "$r" "${inst[@]}" --dry-run "${WORDS[@]}"
expect "Secure Boot on: no note" out_has "note: Secure Boot is on"
rm "$r/sys/firmware/efi/efivars/SecureBoot-$GUID"
shown

# The installed memmap.efi and GRUB files (make install), under --root
run "$r" install --help
efi_default=$(sed -n 's/^ *(default: \(\/.*\/memmap\.efi\))$/\1/p' "$tmp/out")
data_default=$(sed -n 's/^ *(default: \(\/.*\/grub\))$/\1/p' "$tmp/out")
r5=$tmp/root5
make_root "$r5"
mkdir -p "$r5$(dirname "$efi_default")" "$r5$data_default"
cp "$tmp/memmap.efi" "$r5$efi_default"
cp "$data/05_memmap" "$data/memmap.cfg" "$r5$data_default/"
run "$r5" install --root "$r5" --dry-run "${WORDS[@]}"
expect "defaults under --root: exit status $status" [ "$status" -eq 0 ]
expect "defaults under --root: memmap.efi not from $r5$efi_default" \
	out_has "copy $r5$efi_default -> $r5/boot/efi/EFI/memmap/memmap.efi"
expect "defaults under --root: 05_memmap not from $r5$data_default" \
	out_has "copy $r5$data_default/05_memmap -> $r5/etc/grub.d/05_memmap"
shown

# --- bad input: exit 2, the word named, nothing done ---------------------------
# WORD-OR-OPTION<TAB>the word the error must name
before=$(snapshot "$r")
while IFS=$'\t' read -r arg named; do
	case $arg in '#'* | '') continue ;; esac
	if [ "${arg:0:2}" = "--" ] && [ "$arg" != "--" ] && [[ $arg == *' '* ]]; then
		read -ra args <<< "$arg"
		run "$r" "${inst[@]}" "${args[@]}" "${WORDS[@]}"
	else
		run "$r" "${inst[@]}" "${WORDS[@]}" "${arg//\\n/$'\n'}"
	fi
	expect "'$arg': exit status $status, not 2" [ "$status" -eq 2 ]
	expect "'$arg': not one error line naming '$named'" one_error
	expect "'$arg': error does not name '$named'" err_has "memmap: error: $named: "
	expect "'$arg': printed steps" [ ! -s "$tmp/out" ]
	expect "'$arg': ran a program" log_is ""
done << 'EOF'
memmap=1M$0x1000junk	memmap=1M$0x1000junk
memmap=12M*4096	memmap=12M*4096
mem=0	mem=0
ramoops.mem_name=nosuch	ramoops.mem_name=nosuch
reserve_mem=12M:3:x	reserve_mem=12M:3:x
--	--
-q	-q
--forget	--forget
a--b	a--b
ramoops.x="a	ramoops.x="a
console=ttyS0\nmem=1M	console=ttyS0\x0amem=1M
--loader EFI\debian\grubx64.efi	EFI\debian\grubx64.efi
--loader \EFI\memmap\memmap.efi	\EFI\memmap\memmap.efi
--loader /efi/MEMMAP/shimx64.efi	/efi/MEMMAP/shimx64.efi
--shim	--shim
--shim=	--shim
--shim --dry-run	--shim
--loader /EFI/a"b.efi	/EFI/a"b.efi
--loader \EFI\debian\	\EFI\debian\
--part 0 --disk /dev/sda	0
--disk /dev/sda	--disk
--esp	--esp
EOF
run "$r" "${inst[@]}" '#x' "${WORDS[@]}"
expect "'#x' first: exit status $status, not 2" [ "$status" -eq 2 ]
expect "'#x' first: error" err_has "memmap: error: #x: starts with #"
run "$r" "${inst[@]}" "${WORDS[@]}" --shim
expect "--shim without FILE: Debian's shim not named" \
	err_has "memmap: error: --shim: needs shim's FILE, e.g. --shim /usr/lib/shim/shimx64.efi.signed"
run "$r" "${inst[@]}"
expect "no words: exit status $status, not 2" [ "$status" -eq 2 ]
expect "bad input changed the root" [ "$(snapshot "$r")" = "$before" ]
shown

# --- refusals: exit 1, one error line, nothing done ------------------------------
# refuse WHAT EXPECTED-TEXT ROOT ARGS...
refuse() {
	local what=$1 text=$2 root=$3 snap
	shift 3
	snap=$(snapshot "$root")
	run "$root" "$@"
	expect "$what: exit status $status, not 1" [ "$status" -eq 1 ]
	expect "$what: not one error line" one_error
	expect "$what: error does not say '$text'" err_has "$text"
	expect "$what: ran a program" log_is ""
	expect "$what: changed the root" [ "$(snapshot "$root")" = "$snap" ]
	shown
}
r3=$tmp/root3
make_root "$r3"
refuse "no memmap.efi" "$tmp/nosuch.efi: No such file" "$r3" \
	install --root "$r3" --efi "$tmp/nosuch.efi" --data "$data" "${WORDS[@]}"
refuse "not an EFI image" "not an EFI image" "$r3" \
	install --root "$r3" --efi "$tmp/bin/update-grub" --data "$data" "${WORDS[@]}"
refuse "no shim" "memmap: error: $tmp/nosuch/shimx64.efi.signed: No such file or directory (--shim takes shim's file: /usr/lib/shim/shimx64.efi.signed" \
	"$r3" "${inst[@]/$r/$r3}" --shim "$tmp/nosuch/shimx64.efi.signed" "${WORDS[@]}"
refuse "--shim before a word" "memmap: error: ramoops.ecc=16: No such file or directory (--shim takes shim's file" \
	"$r3" "${inst[@]/$r/$r3}" --shim ramoops.ecc=16 "${WORDS[@]}"
refuse "shim not an EFI image" "$tmp/bin/update-grub: not an EFI image" "$r3" \
	"${inst[@]/$r/$r3}" --shim "$tmp/bin/update-grub" "${WORDS[@]}"
mkdir -p "$tmp/shim-alone"
cp "$tmp/shim/shimx64.efi.signed" "$tmp/shim-alone/"
refuse "no MokManager beside shim" \
	"memmap: error: $tmp/shim-alone/mmx64.efi.signed: missing, and so is mmx64.efi beside it" \
	"$r3" "${inst[@]/$r/$r3}" --shim "$tmp/shim-alone/shimx64.efi.signed" "${WORDS[@]}"
refuse "no GRUB files" "$tmp/05_memmap: No such file" "$r3" \
	install --root "$r3" --efi "$tmp/memmap.efi" --data "$tmp" "${WORDS[@]}"
refuse "loader not on the ESP" "not on the ESP" "$r3" \
	"${inst[@]/$r/$r3}" --loader /EFI/other/grubx64.efi "${WORDS[@]}"
refuse "--efivars missing" "not a directory: no efivarfs there" "$r3" \
	"${inst[@]/$r/$r3}" --efivars "$tmp/nosuch" "${WORDS[@]}"
refuse "--esp not a mount point" "not a mount point (give --disk DISK --part N" "$r3" \
	"${inst[@]/$r/$r3}" --esp "$r3/boot/efi/EFI" "${WORDS[@]}"
MEMMAP_EFIBOOTMGR=$tmp/nosuch refuse "no efibootmgr" "apt-get install efibootmgr" "$r3" \
	"${inst[@]/$r/$r3}" "${WORDS[@]}"
mv "$r3/sys/firmware/efi/efivars/BootCurrent-$GUID" "$tmp/bc"
refuse "no BootCurrent" "BootCurrent: not in" "$r3" "${inst[@]/$r/$r3}" "${WORDS[@]}"
mv "$tmp/bc" "$r3/sys/firmware/efi/efivars/BootCurrent-$GUID"
rm -r "$r3/etc/grub.d"
refuse "no /etc/grub.d" "etc/grub.d: missing: is GRUB installed?" "$r3" \
	"${inst[@]/$r/$r3}" "${WORDS[@]}"
mkdir "$r3/etc/grub.d"
rm -r "$r3/sys/firmware"
refuse "not UEFI" "/sys/firmware/efi: missing: this system did not boot through UEFI" "$r3" \
	"${inst[@]/$r/$r3}" "${WORDS[@]}"
refuse "uninstall, not UEFI" "did not boot through UEFI" "$r3" uninstall --root "$r3"
if command -v setpriv > /dev/null && id nobody > /dev/null 2>&1; then
	status=0
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$memmap" install \
		"${WORDS[@]}" > "$tmp/out" 2> "$tmp/err" || status=$?
	expect "not root: exit status $status, not 1" [ "$status" -eq 1 ]
	expect "not root: error" err_has "memmap: error: install: must be run as root"
	status=0
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$memmap" uninstall \
		> "$tmp/out" 2> "$tmp/err" || status=$?
	expect "uninstall not root: exit status $status, not 1" [ "$status" -eq 1 ]
	expect "uninstall not root: error" err_has "memmap: error: uninstall: must be run as root"
	shown
else
	echo "install.sh: setpriv or user nobody missing: not-root refusal not checked"
fi

# --- malformed BootCurrent entries: a clear error, nothing written ----------------
# Each blob is Boot0000's data (after the attributes) broken one way
r4=$tmp/root4
make_root "$r4"
v4=$r4/sys/firmware/efi/efivars
desc_nul() { le32 1; le16 50; ucs2 debian; }
while IFS=$'\t' read -r name why; do
	case $name in '#'* | '') continue ;; esac
	case $name in
	short) { attrs; le32 1; } ;;
	attrs-only) bytes 7 0 ;;
	desc-no-nul) { attrs; le32 1; le16 0; printf 'd\0e\0'; } ;;
	fplen-past-end) { attrs; le32 1; le16 400; ucs2 debian; hd_node; end_node; } ;;
	node-len-0) { attrs; le32 1; le16 8; ucs2 debian; bytes 4 4 0 0; end_node; } ;;
	node-past-list) { attrs; le32 1; le16 8; ucs2 debian; bytes 4 4 40 0; end_node; } ;;
	no-end-node) { attrs; le32 1; le16 42; ucs2 debian; hd_node; } ;;
	odd-path) { attrs; le32 1; le16 13; ucs2 debian; bytes 4 4 9 0 65 0 66 0 0; end_node; } ;;
	lone-surrogate) { attrs; le32 1; le16 12; ucs2 debian; bytes 4 4 8 0 0 0xd8 65 0; end_node; } ;;
	no-file-path) { attrs; le32 1; le16 46; ucs2 debian; hd_node; end_node; } ;;
	esac > "$v4/Boot0000-$GUID"
	refuse "Boot0000 $name" "$why" "$r4" "${inst[@]/$r/$r4}" "${WORDS[@]}"
	expect "Boot0000 $name: error does not name the variable" err_has "Boot0000-$GUID"
done << 'EOF'
short	shorter than an EFI_LOAD_OPTION header
attrs-only	shorter than its attributes
desc-no-nul	description without its NUL
fplen-past-end	FilePathListLength runs past the end
node-len-0	device path node shorter than its header
node-past-list	device path node runs past FilePathListLength
no-end-node	device path without an end node
odd-path	file path node of odd length
lone-surrogate	lone surrogate
no-file-path	starts no file (give --loader PATH)
EOF

# --- help ------------------------------------------------------------------------
run "$r" install --help
expect "install --help: exit status $status" [ "$status" -eq 0 ]
expect "install --help: no usage" out_has "Usage: memmap install [OPTION...] KERNEL-WORD..."
expect "install --help: no --shim" out_has "  --shim FILE  "
run "$r" uninstall --help
expect "uninstall --help: exit status $status" [ "$status" -eq 0 ]
expect "uninstall --help: no usage" out_has "Usage: memmap uninstall [OPTION...]"
run "$r" --help
expect "memmap --help: no install line" out_has "memmap install [--esp DIR]"
expect "memmap --help: no uninstall line" out_has "memmap uninstall [--esp DIR]"

echo "clitest-install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
