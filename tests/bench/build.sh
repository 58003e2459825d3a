#!/bin/sh
# build.sh: benchmark of conf-concat and `confiture build` on a generated 1000-table project.
# Run by tests/bench/run.sh, which provides the cluster (PGHOST PGPORT PGUSER), BENCH_TMP and PATH.
# Every time is printed next to its ratio to a physical baseline measured in the same run:
#   conf-concat           vs  cat of the same files (the cost of reading them)
#   confiture build       vs  CREATE DATABASE + psql -f of the same generated SQL
# Knobs: BENCH_TABLES (1000), BENCH_CONCAT_RUNS (30), BENCH_BUILD_PAIRS (5).
# Exit status: 0 all targets met, 1 a target missed, 2 the benchmark itself failed.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
tables=${BENCH_TABLES:-1000}
runs=${BENCH_CONCAT_RUNS:-30}
pairs=${BENCH_BUILD_PAIRS:-5}
work=$BENCH_TMP/build
proj=$work/proj
sql=$proj/db/generated/schema_bench.sql
log=$work/log
rm -rf "$work"
mkdir -p "$work/t"

# shellcheck source=common.sh
. "$here/common.sh"
bench_name=build
bench_init

"$here/genschema.sh" "$proj" "$tables" >"$log" 2>&1 || fail "genschema.sh failed"
set -- "$proj"/db/schema/*/*.sql
nfiles=$#
kb=$(cat "$@" | wc -c | awk '{ printf "%d", $1 / 1024 }')

echo "build: generated project, $tables tables, $nfiles files, $kb KB of SQL"
echo "  (wall times via date +%s%N, net of its $(awk -v o="$overhead" 'BEGIN { printf "%.1f", o / 1000 }') ms overhead; ratio = median / baseline median)"
echo

# --- 1. conf-concat on the 1000 files, interleaved with its baseline ---------------------------
conf-concat -C "$proj" -e bench >/dev/null 2>"$log" || fail "conf-concat failed"
conf-concat -k -C "$proj" -e bench >/dev/null 2>"$log" || fail "conf-concat -k failed"
i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	cat "$@" >/dev/null
	t_stop cat
	t_start
	conf-concat -C "$proj" -e bench >/dev/null
	t_stop concat
	t_start
	conf-concat -k -C "$proj" -e bench >/dev/null
	t_stop concatk
	i=$((i + 1))
done
concat_med=$(median concat)
concat_verdict=$(verdict "$concat_med" "<" 30000)

header "conf-concat -C DIR -e bench >/dev/null" "x cat; target"
row "cat of the $nfiles files (baseline)" cat cat
row "conf-concat" concat cat "median < 30 ms: $concat_verdict"
row "conf-concat -k (statement-end check)" concatk cat "informational"
echo

# --- 2. confiture build vs CREATE DATABASE + psql -f, interleaved --------------------------------
url="postgresql:///bench_build?host=$PGHOST&port=$PGPORT&user=$PGUSER"
build() {
	confiture build --project-dir "$proj" --env bench --database-url "$url" --force >"$log" 2>&1 ||
		fail "confiture build failed (exit $?)"
}
# a warm-up build, untimed: writes the generated SQL that the baselines load
dropdb_ bench_build
build
[ -s "$sql" ] || fail "confiture build wrote no $sql"
nstmt=$(sed -n 's/.* \([0-9][0-9]*\) statements.*/\1/p' "$log")
dropdb_ bench_build
: >"$log"

i=0
while [ "$i" -lt "$pairs" ]; do
	# A: the whole command (conf-concat -k, then conf-apply -c into a fresh database)
	t_start
	build
	t_stop build
	dropdb_ bench_build
	# B: the physical baseline, createdb-equivalent then psql -f
	t_start
	psql_ -c "CREATE DATABASE bench_psql" || fail "CREATE DATABASE failed"
	psql_ -d bench_psql -f "$sql" || fail "psql -f failed"
	t_stop psql
	dropdb_ bench_psql
	# C: informational, psql -f into an existing empty database
	psql_ -c "CREATE DATABASE bench_empty" || fail "CREATE DATABASE failed"
	t_start
	psql_ -d bench_empty -f "$sql" || fail "psql -f failed"
	t_stop psqlonly
	dropdb_ bench_empty
	i=$((i + 1))
done
build_ratio=$(awk -v a="$(median build)" -v b="$(median psql)" 'BEGIN { printf "%.2f", a / b }')
build_verdict=$(verdict "$build_ratio" "<=" 1.10)

header "build of ${nstmt:-?} statements, fresh database" "x baseline; target"
row "CREATE DATABASE + psql -f (baseline)" psql psql
row "confiture build --database-url --force" build psql "within 1.10x: $build_verdict"
row "psql -f into an existing empty db" psqlonly psql "informational"
echo

[ "$concat_verdict" = PASS ] && [ "$build_verdict" = PASS ] || exit 1
