#!/usr/bin/env bash
# check.sh BINDIR...: run the bats suite once with the tools of each build directory, then print
# the total as the last line: "N passed, N failed, N skipped".
# Each test file runs with each tool set as one job (its own throwaway cluster, copied from one
# initdb); CHECK_LANES jobs (default: the number of CPUs, at least 2) run at once, the longest
# first, because one bats file at a time leaves a core idle while the server works. The logs are
# printed in a fixed order when all are done. CHECK_FILES (paths) runs only those files.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
lanes=${CHECK_LANES:-$(nproc 2>/dev/null || echo 2)}
[ "$lanes" -ge 2 ] 2>/dev/null || lanes=2
work=$(mktemp -d "${TMPDIR:-/tmp}/check.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT

# One initdb for every job (pgtmp_start copies it).
# shellcheck source=../pipelines/pgtmp.sh
. "$repo/pipelines/pgtmp.sh"
if pgtmp_init "$work/template" >"$work/initdb.log" 2>&1; then
	export PGTMP_TEMPLATE=$work/template
else
	cat "$work/initdb.log" >&2
fi

# The job list, longest first: a sanitizer build is slower, and a bigger file has more tests.
n=0
for bindir in "$@"; do
	case $bindir in *asan*|*san*) w=3 ;; *) w=1 ;; esac
	for f in ${CHECK_FILES:-"$repo"/tests/*.bats}; do
		n=$((n + 1))
		printf '%s %s %s %s\n' "$(( $(wc -c <"$f") * w ))" "$n" "$bindir" "$f"
	done
done | sort -k1,1nr >"$work/jobs"

# The next job, taken off the list under a lock.
take() {
	flock 9 || return 1
	IFS= read -r line <"$work/next" || return 0
	tail -n +2 "$work/next" >"$work/next.tmp" && mv "$work/next.tmp" "$work/next"
	echo "$line"
} 9>"$work/lock"

# A lane runs jobs until none is left.
lane() {
	local line num bindir f
	while :; do
		line=$(take)
		[ -n "$line" ] || return 0
		read -r _ num bindir f <<<"$line"
		CONF_BINDIR=$repo/$bindir bats -F tap --setup-suite-file "$repo/tests/setup_suite.bash" \
			"$f" </dev/null >"$work/log.$num" 2>&1
		echo $? >"$work/rc.$num"
	done
}
cp "$work/jobs" "$work/next"
for _ in $(seq "$lanes"); do
	lane &
done
wait

pass=0 fail=0 skip=0 rc=0
for bindir in "$@"; do
	echo "== bats, tools from $bindir"
	while read -r _ num b f; do
		[ "$b" = "$bindir" ] || continue
		echo "# $(basename "$f")"
		cat "$work/log.$num" 2>/dev/null
		[ "$(cat "$work/rc.$num" 2>/dev/null)" = 0 ] || rc=1
	done < <(sort -k2,2n "$work/jobs")
done >"$work/all"
cat "$work/all"
s=$(grep -c '^ok .* # skip' "$work/all")
pass=$(($(grep -c '^ok ' "$work/all") - s))
fail=$(grep -c '^not ok ' "$work/all")
skip=$s
# a bats run that failed without a failing test (a suite set-up that died) is a failure too
[ "$rc" = 0 ] || [ "$fail" -gt 0 ] || fail=1
echo "$pass passed, $fail failed, $skip skipped"
exit "$rc"
