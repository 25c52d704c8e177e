#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every malformed command line in malformed.txt: exit status 2, nothing
# on stdout, one error line on stderr naming the offending word.
# Usage: malformed.sh MEMMAP
set -euo pipefail

memmap=${1:?usage: malformed.sh MEMMAP}
here=$(cd "$(dirname "$0")" && pwd)
map=$here/../linux/fixtures/m512-base.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
lineno=0

while IFS= read -r row; do
	lineno=$((lineno + 1))
	case $row in '#'* | '') continue ;; esac
	word=${row%%$'\t'*}
	line=${row#*$'\t'}
	status=0
	"$memmap" --map "$map" -- "$line" > "$tmp/out" 2> "$tmp/err" || status=$?
	why=""
	[ "$status" -eq 2 ] || why="exit status $status, not 2"
	[ -s "$tmp/out" ] && why="$why; printed a map"
	[ "$(wc -l < "$tmp/err")" -eq 1 ] || why="$why; stderr is not one line"
	grep -qF -- "memmap: error: $word: " "$tmp/err" || why="$why; error does not name '$word'"
	# The reason after the word must say something
	reason=$(sed -n "s/^memmap: error: .*: \(..*\)$/\1/p" "$tmp/err")
	[ -n "$reason" ] || why="$why; no reason"
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: malformed.txt:$lineno: $line:${why#;}"
		sed 's/^/    stderr: /' "$tmp/err"
	fi
done < "$here/malformed.txt"

if [ "$pass" -lt 30 ]; then
	echo "FAIL: only $pass malformed lines checked, at least 30 expected"
	fail=$((fail + 1))
fi
echo "malformed: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
