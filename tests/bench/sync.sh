#!/bin/sh
# sync.sh: benchmark of confiture sync on a 1M-row table (id, name, email, phone, created_at, note)
# against the physical baseline measured in the same run:
#   pg_dump -a SRC | psql DST                        (into a truncated target, verbatim)
#   confiture sync --from SRC --to DST --anonymize   (3 masked columns: name, email, phone)
# Throughput ratio = baseline time / sync time (rows per second of sync over rows per second of
# the baseline). Target: >= 0.8. Run by tests/bench/run.sh (cluster in PGHOST/PGPORT/PGUSER,
# BENCH_TMP, PATH). Knobs: BENCH_SYNC_ROWS (1000000), BENCH_SYNC_RUNS (3).
# Exit status: 0 the target met, 1 missed, 2 the benchmark itself failed.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
rows=${BENCH_SYNC_ROWS:-1000000}
runs=${BENCH_SYNC_RUNS:-3}
work=$BENCH_TMP/sync
log=$work/log
rm -rf "$work"
mkdir -p "$work"
: >"$log"
# shellcheck source=common.sh
. "$here/common.sh"
bench_name=sync
bench_init

for d in bench_sync_src bench_sync_dst; do
	dropdb_ "$d"
	psql_ -c "CREATE DATABASE $d"
	psql_ -d "$d" -c "CREATE TABLE people (id bigint PRIMARY KEY, name text, email text, phone text,
		created_at timestamptz, note text)"
done
psql_ -d bench_sync_src -c "INSERT INTO people SELECT i, 'Given' || i || ' Family' || (i % 977),
	'person' || i || '@mail' || (i % 89) || '.example.com', '+1 415 ' || lpad((i % 10000000)::text, 7, '0'),
	timestamptz '2020-01-01' + i * interval '37 seconds', 'free text note ' || md5(i::text)
	FROM generate_series(1, $rows) i" || fail "cannot make the table"
psql_ -d bench_sync_src -c "VACUUM ANALYZE people"
cat >"$work/rules.yaml" <<'YAML'
people:
  - {column: name, strategy: name}
  - {column: email, strategy: email}
  - {column: phone, strategy: phone}
YAML
src="postgresql:///bench_sync_src?host=$PGHOST&port=$PGPORT&user=$PGUSER"
dst="postgresql:///bench_sync_dst?host=$PGHOST&port=$PGPORT&user=$PGUSER"

i=0
while [ "$i" -lt "$runs" ]; do
	psql_ -d bench_sync_dst -c "TRUNCATE people"
	t_start
	{ pg_dump -a -d bench_sync_src | psql -X -q -v ON_ERROR_STOP=1 -d bench_sync_dst; } >>"$log" 2>&1 ||
		fail "pg_dump | psql failed"
	t_stop baseline
	t_start
	CONFITURE_ANON_KEY=bench-key-not-secret confiture sync --from "$src" --to "$dst" --anonymize "$work/rules.yaml" \
		>>"$log" 2>&1 || fail "confiture sync failed"
	t_stop sync
	i=$((i + 1))
done
[ "$(psql -X -At -d bench_sync_dst -c "SELECT count(*) FROM people WHERE email LIKE 'user\_%@example.com'")" = "$rows" ] ||
	fail "the target is not masked"

ratio=$(awk -v b="$(median baseline)" -v s="$(median sync)" 'BEGIN { printf "%.2f", b / s }')
ok=$(verdict 0.8 "<=" "$ratio")
echo "confiture sync: $rows rows (id, name, email, phone, created_at, note), 3 masked columns"
header "" ""
row "pg_dump -a | psql (baseline)" baseline baseline
row "confiture sync --anonymize" sync baseline
echo "  throughput ratio (baseline time / sync time): $ratio   target >= 0.8: $ok"
echo
dropdb_ bench_sync_src
dropdb_ bench_sync_dst
[ "$ok" = PASS ] || exit 1
