#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every row of options.txt: option order and -h/--help on each subcommand.
# A row gives the exit status, a line stdout must hold (or nothing on
# stdout), and the word stderr's one error line must name (or nothing on
# stderr).
# Usage: options.sh MEMMAP
set -euo pipefail

memmap=${1:?usage: options.sh MEMMAP}
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
	IFS=$'\t' read -r want out word args <<< "$row"
	read -ra argv <<< "${args//@MAP@/$map}"
	status=0
	"$memmap" "${argv[@]}" > "$tmp/out" 2> "$tmp/err" || status=$?
	why=""
	[ "$status" -eq "$want" ] || why="exit status $status, not $want"
	if [ "$out" = "(none)" ]; then
		[ -s "$tmp/out" ] && why="$why; printed on stdout"
	else
		grep -qxF -- "$out" "$tmp/out" || why="$why; stdout has no line '$out'"
	fi
	if [ "$word" = "(none)" ]; then
		[ -s "$tmp/err" ] && why="$why; printed on stderr"
	else
		[ "$(wc -l < "$tmp/err")" -eq 1 ] || why="$why; stderr is not one line"
		grep -q -- "^memmap: error: $(printf '%s' "$word" | sed 's/[][\.*^$]/\\&/g'): ." \
			"$tmp/err" || why="$why; error does not name '$word' with a reason"
	fi
	row_result "options.txt:$lineno: memmap $args" "$why"
done < "$here/options.txt"

rows_finish options 30
