#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The row-table harness of the CLI tests (sourced); $tmp/err holds the
# row's stderr.
#   row_result WHERE WHY   count a row: passed when WHY is empty, else a
#                          FAIL line (WHY's leading "; " dropped) and the
#                          row's stderr
#   rows_finish NAME MIN   fail when fewer than MIN rows passed; print
#                          "NAME: N passed, M failed"; the exit status
# shellcheck disable=SC2154 # $tmp is the caller's
pass=0
fail=0

row_result() {
	if [ -z "$2" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1:${2#;}"
		sed 's/^/    stderr: /' "$tmp/err"
	fi
}

rows_finish() {
	if [ "$pass" -lt "$2" ]; then
		echo "FAIL: only $pass $1 rows checked, at least $2 expected"
		fail=$((fail + 1))
	fi
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
