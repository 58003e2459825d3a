#!/bin/sh
# lint.sh: benchmark of conf-lint (issue 11). Run by tests/bench/run.sh, which provides BENCH_TMP and
# PATH (the cluster is not used).
#   conf-lint           on danbooru's structure.sql, every default rule: median below squawk's
#                       0.35 s measured on this kind of machine (target)
#   conf-lint           on ../shared/corpus/parse/postgres_regress (213 files, each its own
#                       migration), the time printed beside the findings and statements
# Knobs: BENCH_LINT_RUNS (10).
# Exit status: 0 all targets met, 1 a target missed, 2 the benchmark itself failed; 0 with a
# notice when ../shared/corpus is absent.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH='' cd -- "$here/../.." && pwd)
corpus=$root/../shared/corpus
runs=${BENCH_LINT_RUNS:-10}
work=$BENCH_TMP/lint
log=$work/log
rm -rf "$work"
mkdir -p "$work/t"

# shellcheck source=common.sh
. "$here/common.sh"
bench_name=lint
bench_init

danbooru=$corpus/schemas/danbooru-structure.sql
if [ ! -d "$corpus/parse/postgres_regress" ] || [ ! -f "$danbooru" ]; then
	echo "lint: skipped, no corpus at $corpus"
	exit 0
fi
command -v conf-lint >/dev/null 2>&1 || fail "conf-lint is missing: run make first"

# conf-lint exits 1 on findings and 4 when a statement does not parse (about 3% of the regression
# SQL is invalid on purpose): both are expected here, anything else is a failure
lint_() {
	rc=0
	conf-lint --fail-on never "$@" >"$work/out" 2>>"$log" || rc=$?
	[ "$rc" -le 4 ] || fail "conf-lint exited $rc"
}

i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	lint_ "$danbooru"
	t_stop danbooru
	i=$((i + 1))
done
nd=$(wc -l <"$work/out")

set -- "$corpus"/parse/postgres_regress/*.sql
nfiles=$#
i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	lint_ "$@"
	t_stop regress
	i=$((i + 1))
done
nr=$(wc -l <"$work/out")
nstmt=$(conf-parse "$@" 2>/dev/null | wc -l) || true

echo "lint: conf-lint, every default rule"
header "input" "findings"
row "danbooru structure.sql (squawk: 350 ms)" danbooru danbooru "$nd findings"
row "postgres_regress: $nfiles files, $nstmt stmts" regress danbooru "$nr findings"
v=$(verdict "$(median danbooru)" "<" 350000)
echo "  target: danbooru median < 350 ms (squawk): $v"
echo
[ "$v" = PASS ]
