#!/bin/sh
# diff.sh: benchmark of conf-diff (issue 9). Run by tests/bench/run.sh, which provides the cluster
# (PGHOST PGPORT PGUSER), BENCH_TMP and PATH.
#   conf-diff empty -> danbooru          (the models of an empty database and of danbooru's
#                                         structure.sql, both from conf-inspect)
#   conf-diff danbooru -> danbooru with one column's type changed
#   conf-inspect of the danbooru database, the baseline: each time is given as a ratio to it.
# Target: each diff takes less than conf-inspect of the same database (ratio < 1): the diff of
# two models read from files must not cost more than reading the catalog.
# Knob: BENCH_DIFF_RUNS (10).
# Exit status: 0 the target met, 1 missed, 2 the benchmark itself failed; 0 with a notice when
# ../shared/corpus is absent.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH='' cd -- "$here/../.." && pwd)
corpus=$root/../shared/corpus
runs=${BENCH_DIFF_RUNS:-10}
work=$BENCH_TMP/diff
log=$work/log
rm -rf "$work"
mkdir -p "$work/t"
: >"$log"

# shellcheck source=common.sh
. "$here/common.sh"
bench_name="diff"
bench_init

if [ ! -f "$corpus/schemas/danbooru-structure.sql" ]; then
	echo "diff: skipped, no corpus at $corpus"
	exit 0
fi
for t in conf-diff conf-inspect; do
	command -v "$t" >/dev/null 2>&1 || fail "$t is missing: run make first"
done

for d in bench_diff_empty bench_diff_dan bench_diff_dan2; do
	dropdb_ "$d"
	psql_ -c "CREATE DATABASE $d"
done
psql_ -d bench_diff_dan -f "$corpus/schemas/danbooru-structure.sql" || fail "cannot load danbooru"
psql_ -d bench_diff_dan2 -f "$corpus/schemas/danbooru-structure.sql" || fail "cannot load danbooru"
# one column changed: a text column made varchar(200)
psql_ -d bench_diff_dan2 -c "ALTER TABLE public.artists ALTER COLUMN other_names TYPE varchar(200)[]" ||
	fail "cannot change the column"
conf-inspect -d dbname=bench_diff_empty >"$work/empty.m" || fail "conf-inspect failed"
conf-inspect -d dbname=bench_diff_dan >"$work/dan.m" || fail "conf-inspect failed"
conf-inspect -d dbname=bench_diff_dan2 >"$work/dan2.m" || fail "conf-inspect failed"

# diff_ A B: conf-diff exits 1 when the models differ
diff_() {
	rc=0
	conf-diff "$1" "$2" >"$work/out" 2>>"$log" || rc=$?
	[ "$rc" -eq 1 ] || fail "conf-diff exited $rc"
}
diff_ "$work/empty.m" "$work/dan.m"
stmts=$(grep -c ';$' "$work/out" || true)
diff_ "$work/dan.m" "$work/dan2.m"
grep -q 'ALTER TABLE public.artists ALTER COLUMN other_names TYPE character varying(200)\[\]' "$work/out" ||
	fail "the column change is not in the diff"

i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	conf-inspect -d dbname=bench_diff_dan >/dev/null
	t_stop inspect
	t_start
	diff_ "$work/empty.m" "$work/dan.m"
	t_stop full
	t_start
	diff_ "$work/dan.m" "$work/dan2.m"
	t_stop one
	i=$((i + 1))
done

echo "diff: conf-diff on danbooru's model ($(wc -l <"$work/dan.m") records; $stmts statements from empty)"
header "" "vs conf-inspect"
row "conf-inspect danbooru (baseline)" inspect inspect
row "conf-diff empty -> danbooru" full inspect
row "conf-diff danbooru -> one column changed" one inspect
rc=0
for s in full one; do
	v=$(verdict "$(median "$s")" "<" "$(median inspect)")
	echo "  $s: $v (target: below conf-inspect)"
	[ "$v" = PASS ] || rc=1
done
for d in bench_diff_empty bench_diff_dan bench_diff_dan2; do
	dropdb_ "$d"
done
echo
exit "$rc"
