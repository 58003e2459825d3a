#!/usr/bin/env bash
# check.sh BINDIR...: run the bats suite once with the tools of each build directory,
# then print the total as the last line: "N passed, N failed, N skipped".
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0 skip=0 rc=0
for bindir in "$@"; do
	log=$(mktemp)
	echo "== bats, tools from $bindir"
	CONF_BINDIR=$repo/$bindir bats -F tap --setup-suite-file "$repo/tests/setup_suite.bash" \
		"$repo"/tests/*.bats </dev/null | tee "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	s=$(grep -c '^ok .* # skip' "$log")
	pass=$((pass + $(grep -c '^ok ' "$log") - s))
	fail=$((fail + $(grep -c '^not ok ' "$log")))
	skip=$((skip + s))
	rm -f "$log"
done
echo "$pass passed, $fail failed, $skip skipped"
exit "$rc"
