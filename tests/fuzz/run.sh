#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the libFuzzer targets built by fuzz.mk.
#   run.sh check DIR CORPUS RUNS SECONDS NAME:MAXLEN...
#       replay every committed corpus file of NAME (files as arguments),
#       then fuzz briefly from it: fixed -seed=1, RUNS executions (the
#       same inputs on every machine; SECONDS only guards against a hang);
#       new inputs go to DIR/check-NAME
#   run.sh fuzz DIR CORPUS SECONDS NAME:MAXLEN...
#       fuzz NAME for SECONDS from CORPUS/NAME; new inputs go to
#       DIR/corpus-NAME (the committed corpus is never written)
# DIR holds the binaries; crashes land in DIR/crash-NAME-*, logs in
# DIR/NAME.log.  Ends with "fuzz: N passed, M failed" (N targets passing).
set -uo pipefail

mode=${1:?usage: run.sh check|fuzz DIR CORPUS ...}
dir=${2:?}
corpus=${3:?}
shift 3
if [ "$mode" = check ]; then
	runs=${1:?}
	seconds=${2:?}
	shift 2
else
	seconds=${1:?}
	shift
fi
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0

stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

for spec in "$@"; do
	name=${spec%%:*}
	maxlen=${spec#*:}
	bin=$dir/$name
	log=$dir/$name.log
	dict=()
	[ -f "$here/$name.dict" ] && dict=(-dict="$here/$name.dict")
	common=(-max_len="$maxlen" -timeout=20 -print_final_stats=1
		-artifact_prefix="$dir/crash-$name-" "${dict[@]}")
	ok=1
	: > "$log"

	if [ "$mode" = check ]; then
		mapfile -t files < <(find "$corpus/$name" -type f | sort)
		if [ "${#files[@]}" -eq 0 ]; then
			echo "FAIL: $name: no corpus in $corpus/$name"
			ok=0
		elif ! "$bin" "${common[@]}" "${files[@]}" >> "$log" 2>&1; then
			echo "FAIL: $name: replaying $corpus/$name (see $log)"
			ok=0
		fi
		scratch=$dir/check-$name
		rm -rf "$scratch"
		mkdir -p "$scratch"
		if [ "$ok" = 1 ] && ! "$bin" "${common[@]}" -seed=1 -runs="$runs" \
			-max_total_time="$seconds" "$scratch" "$corpus/$name" \
			>> "$log" 2>&1; then
			echo "FAIL: $name: fuzzing (see $log)"
			ok=0
		fi
	else
		out=$dir/corpus-$name
		mkdir -p "$out"
		if ! "$bin" "${common[@]}" -max_total_time="$seconds" \
			"$out" "$corpus/$name" >> "$log" 2>&1; then
			echo "FAIL: $name: fuzzing found a problem (see $log)"
			ok=0
		fi
	fi

	if [ "$ok" = 1 ]; then
		pass=$((pass + 1))
		echo "ok: $name: $(stat number_of_executed_units "$log") runs," \
			"$(stat average_exec_per_sec "$log") exec/s," \
			"$(stat new_units_added "$log") new units," \
			"$(stat peak_rss_mb "$log") MB" \
			"($(find "$corpus/$name" -type f | wc -l) seeds)"
	else
		fail=$((fail + 1))
		grep -m 5 -E 'invariant violated|ERROR: |SUMMARY: |runtime error' "$log" |
			sed 's/^/    /'
		ls "$dir"/crash-"$name"-* 2> /dev/null | sed 's/^/    input: /'
	fi
done

echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
