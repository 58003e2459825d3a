#!/bin/sh
# migrate.sh: benchmark of `confiture migrate` on 200 small migrations.
# Run by tests/bench/run.sh, which provides the cluster (PGHOST PGPORT PGUSER), BENCH_TMP and PATH.
#   confiture migrate up       vs  psql -X -q -1 -f of the same 200 files, one process each
#   confiture migrate status   vs  one psql reading the tracking table
# Knobs: BENCH_MIGRATIONS (200), BENCH_UP_PAIRS (3), BENCH_STATUS_RUNS (30).
# Exit status: 0 all targets met, 1 a target missed, 2 the benchmark itself failed.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
count=${BENCH_MIGRATIONS:-200}
pairs=${BENCH_UP_PAIRS:-3}
runs=${BENCH_STATUS_RUNS:-30}
work=$BENCH_TMP/migrate
proj=$work/proj
log=$work/log
rm -rf "$work"
mkdir -p "$proj/db/migrations"
: >"$log"
# shellcheck source=common.sh
. "$here/common.sh"
bench_name=migrate
bench_init

# each migration: a table, an index, a comment; its .down.sql drops the table
awk -v n="$count" -v dir="$proj/db/migrations" 'BEGIN {
	for (i = 1; i <= n; i++) {
		v = sprintf("20260101%06d", i)
		up = sprintf("%s/%s_step_%d.up.sql", dir, v, i)
		printf "CREATE TABLE m%d (id bigint PRIMARY KEY, note text NOT NULL DEFAULT %s);\n", i, "'\'''\''" > up
		printf "CREATE INDEX m%d_note_idx ON m%d (note);\n", i, i > up
		printf "COMMENT ON TABLE m%d IS %s;\n", i, "'\''migration " i "'\''" > up
		close(up)
		printf "DROP TABLE m%d;\n", i > sprintf("%s/%s_step_%d.down.sql", dir, v, i)
	}
}'
url="postgresql:///bench_mig?host=$PGHOST&port=$PGPORT&user=$PGUSER"
up() {
	confiture migrate --project-dir "$proj" --database-url "$url" up >"$log" 2>&1 ||
		fail "confiture migrate up failed (exit $?)"
}
psql_loop() {
	for f in "$proj"/db/migrations/*.up.sql; do
		psql -X -q -1 -v ON_ERROR_STOP=1 -d bench_loop -f "$f" >>"$log" 2>&1 || fail "psql -1 -f $f failed"
	done
}

echo "migrate: $count migrations of 3 statements each"
echo

i=0
while [ "$i" -lt "$pairs" ]; do
	dropdb_ bench_mig
	psql_ -c "CREATE DATABASE bench_mig" || fail "CREATE DATABASE failed"
	t_start
	up
	t_stop up
	[ "$(grep -c '^applied ' "$log")" = "$count" ] || fail "migrate up did not apply $count migrations"
	dropdb_ bench_loop
	psql_ -c "CREATE DATABASE bench_loop" || fail "CREATE DATABASE failed"
	t_start
	psql_loop
	t_stop loop
	i=$((i + 1))
done
up_ratio=$(awk -v a="$(median up)" -v b="$(median loop)" 'BEGIN { printf "%.2f", a / b }')
up_verdict=$(verdict "$up_ratio" "<=" 1.5)

# status on the last database, where all are applied
confiture migrate --project-dir "$proj" --database-url "$url" status >"$log" 2>&1 || fail "migrate status is not 0"
i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	psql -X -A -t -d "$url" -c 'SELECT version, name, checksum, applied_at FROM tb_confiture' >/dev/null
	t_stop psqlread
	t_start
	confiture migrate --project-dir "$proj" --database-url "$url" status >/dev/null 2>&1
	t_stop status
	t_start
	conf-migrate -C "$proj" -d "$url" status >/dev/null 2>&1
	t_stop cstatus
	i=$((i + 1))
done
status_med=$(median status)
status_verdict=$(verdict "$status_med" "<" 50000)

header "apply $count pending migrations" "x baseline; target"
row "psql -1 -f per file, $count processes (baseline)" loop loop
row "confiture migrate up" up loop "within 1.5x: $up_verdict"
echo
header "status with $count applied" "x baseline; target"
row "psql reading the tracking table (baseline)" psqlread psqlread
row "confiture migrate status" status psqlread "median < 50 ms: $status_verdict"
row "conf-migrate status (without the front)" cstatus psqlread "informational"
echo "  (upstream Confiture 0.44 on this machine kind: up 3.9 s, status 1.37 s)"
echo
dropdb_ bench_mig
dropdb_ bench_loop
[ "$up_verdict" = PASS ] && [ "$status_verdict" = PASS ] || exit 1
