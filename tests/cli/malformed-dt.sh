#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every malformed device tree and bad argument of memmap dt in
# malformed-dt.txt: exit status 2, nothing on stdout, one error line on
# stderr naming the file (or the offending word) and saying why, and no
# --out file written.  The blobs are made from the small valid source
# below: compiled with dtc (after the row's source edits), then cut or
# patched byte by byte (python3).
# Usage: malformed-dt.sh MEMMAP
set -euo pipefail

memmap=${1:?usage: malformed-dt.sh MEMMAP}
here=$(cd "$(dirname "$0")" && pwd)
table=$here/malformed-dt.txt
dtc=${DTC:-dtc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"

# Valid: memmap dt reads it with exit status 0 (checked first).  The
# root's cells are <2>, /reserved-memory's <0x2>, so that a row can edit
# either alone.
cat > "$tmp/base.dts" <<'EOF'
/dts-v1/;
/memreserve/ 0x48000000 0x10000;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "linux,dummy-virt";
	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x40000000>;
	};
	reserved-memory {
		#address-cells = <0x2>;
		#size-cells = <0x2>;
		ranges;
		s@50000000 {
			reg = <0x0 0x50000000 0x0 0x100000>;
		};
		d {
			size = <0x0 0x100000>;
			alloc-ranges = <0x0 0x40000000 0x0 0x20000000>;
		};
	};
};
EOF

# Every row's blob, as $tmp/blob-LINE (none when it cannot be made)
python3 - "$table" "$tmp" "$dtc" <<'PY'
import struct, subprocess, sys

table, tmp, dtc = sys.argv[1:4]
base = open(tmp + "/base.dts").read()
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9


def header(b):
    f = struct.unpack(">10I", bytes(b[:40]).ljust(40, b"\0"))
    return dict(totalsize=f[1], off_struct=f[2], off_strings=f[3],
                off_rsv=f[4], size_strings=f[8], size_struct=f[9])


def tokens(b):
    """(offset, token, length in bytes) of the structure block"""
    h = header(b)
    at, end = h["off_struct"], h["off_struct"] + h["size_struct"]
    while at < end:
        tok = struct.unpack_from(">I", b, at)[0]
        if tok == FDT_BEGIN_NODE:
            n = b.index(0, at + 4) - (at + 4) + 1
            size = 4 + (n + 3) // 4 * 4
        elif tok == FDT_PROP:
            size = 12 + (struct.unpack_from(">I", b, at + 4)[0] + 3) // 4 * 4
        else:
            size = 4
        yield at, tok, size
        if tok == FDT_END:
            return
        at += size


def step(b, op, arg):
    h = header(b)
    if op == "cut":
        return b[:eval(arg, {}, h)]
    if op == "be32":
        at, v = arg.split(None, 1)
        struct.pack_into(">I", b, eval(at, {}, h), eval(v, {}, h) & 0xffffffff)
        return b
    if op == "nameoff":
        at = next(a for a, t, _ in tokens(b) if t == FDT_PROP)
        struct.pack_into(">I", b, at + 8, eval(arg, {}, h))
        return b
    if op in ("unclosed", "noend"):
        toks = list(tokens(b))
        assert toks[-1][1] == FDT_END and toks[-2][1] == FDT_END_NODE
        for at, _, _ in toks[-2:] if op == "noend" else toks[-2:-1]:
            struct.pack_into(">I", b, at, FDT_NOP)
        return b
    if op == "nest":
        toks = list(tokens(b))
        root = bytes(b[toks[0][0]:toks[0][0] + toks[0][2]])
        at, _, size = next(x for x in toks if x[1] == FDT_BEGIN_NODE and
                           b[x[0] + 4:x[0] + 10] == b"memory")
        child = bytes(b[at:at + size])
        room = h["size_struct"] - len(root) - 4
        body = root + child * (room // len(child))
        body += struct.pack(">I", FDT_NOP) * ((h["size_struct"] - 4 - len(body)) // 4)
        body += struct.pack(">I", FDT_END)
        assert len(body) == h["size_struct"]
        b[h["off_struct"]:h["off_struct"] + h["size_struct"]] = body
        return b
    if op == "rsvnoend":
        at = h["off_rsv"]
        while struct.unpack_from(">Q", b, at + 8)[0]:
            at += 16
        struct.pack_into(">QQ", b, at, 0x41000000, 0x1000)
        return b
    if op == "rsvlast":
        b += b"\0" * (-len(b) % 8)
        struct.pack_into(">I", b, 16, len(b))
        b += struct.pack(">QQ", 0x40000000, 0x1000)
        struct.pack_into(">I", b, 4, len(b))
        return b
    raise ValueError("unknown step " + op)


for line, row in enumerate(open(table), 1):
    row = row.rstrip("\n")
    if not row or row.startswith("#"):
        continue
    recipe = row.split("\t")[1]
    try:
        src = base
        steps = [] if recipe == "-" else recipe.split(" ; ")
        for s in [s for s in steps if s.startswith("src ")]:
            old, new = s[4:].split("=>", 1)
            if old not in src:
                raise ValueError("no " + old + " in the source")
            src = src.replace(old, new, 1)
        with open(f"{tmp}/src-{line}.dts", "w") as f:
            f.write(src)
        subprocess.run([dtc, "-q", "-I", "dts", "-O", "dtb", "-o",
                        f"{tmp}/dtc-{line}", f"{tmp}/src-{line}.dts"],
                       check=True)
        b = bytearray(open(f"{tmp}/dtc-{line}", "rb").read())
        for s in [s for s in steps if not s.startswith("src ")]:
            op, _, arg = s.partition(" ")
            b = step(b, op, arg)
        with open(f"{tmp}/blob-{line}", "wb") as f:
            f.write(b)
    except Exception as e:
        print(f"malformed-dt.txt:{line}: cannot make the blob: {e}",
              file=sys.stderr)
PY

# The source itself must be fine, or every row proves nothing
"$dtc" -q -I dts -O dtb -o "$tmp/base.dtb" "$tmp/base.dts"
if ! "$memmap" dt "$tmp/base.dtb" > "$tmp/out" 2> "$tmp/err"; then
	echo "FAIL: the valid source does not read:"
	cat "$tmp/err"
	exit 1
fi

lineno=0
while IFS= read -r row; do
	lineno=$((lineno + 1))
	case $row in '#'* | '') continue ;; esac
	IFS=$'\t' read -r name _ args who says <<< "$row"
	kind=$who
	file=$tmp/$name.dtb
	out=$tmp/$name-out.dtb
	where="malformed-dt.txt:$lineno: $name"
	: > "$tmp/err"
	if [ ! -f "$tmp/blob-$lineno" ]; then
		row_result "$where" "; the blob could not be made"
		continue
	fi
	cp "$tmp/blob-$lineno" "$file"

	# The arguments: FILE and OUT replaced, the file last unless placed
	argv=()
	placed=0
	if [ "$args" != - ]; then
		read -r -a words <<< "$args"
		for a in "${words[@]}"; do
			case $a in
			FILE) argv+=("$file"); placed=1 ;;
			OUT) argv+=("$out") ;;
			*) argv+=("${a//%20/ }") ;;
			esac
		done
	fi
	[ "$placed" = 1 ] || argv+=("$file")
	case $who in FILE | FILEARG) who=$file ;; esac

	status=0
	"$memmap" dt "${argv[@]}" > "$tmp/out" 2> "$tmp/err" || status=$?
	why=""
	[ "$status" -eq 2 ] || why="; exit status $status, not 2"
	[ -s "$tmp/out" ] && why="$why; printed on stdout"
	[ "$(wc -l < "$tmp/err")" -eq 1 ] || why="$why; stderr is not one line"
	first=$(head -n 1 "$tmp/err")
	prefix="memmap: error: $who: "
	reason=${first#"$prefix"}
	if [ "$reason" = "$first" ]; then
		why="$why; error does not name '$who'"
	elif [ -z "$reason" ]; then
		why="$why; no reason"
	elif [ "$kind" = FILE ] && ! [[ $reason =~ ^[^:]+:\ .+ ]]; then
		why="$why; not WHAT: WHY after the file"
	fi
	[ "$says" = - ] || [[ $reason == *"$says"* ]] || why="$why; reason does not say '$says'"
	for f in "$out" "$out.tmp"; do
		[ -e "$f" ] && why="$why; wrote ${f##*/}"
	done
	row_result "$where" "$why"
done < "$table"

rows_finish malformed-dt 50
