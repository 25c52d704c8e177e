#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every malformed command line in malformed.txt: exit status 2, nothing
# on stdout, one error line on stderr naming the offending word.
# Usage: malformed.sh MEMMAP
set -euo pipefail

memmap=${1:?usage: malformed.sh MEMMAP}
here=$(cd "$(dirname "$0")" && pwd)
map=$here/../linux/fixtures/6.1/m512-base.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/cli/lib.sh
. "$here/lib.sh"
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
	row_result "malformed.txt:$lineno: $line" "$why"
done < "$here/malformed.txt"

rows_finish malformed 30
