#!/bin/sh
# s2s.sh: benchmark of confiture's schema-to-schema move (conf-move) on a 1M-row table
# (id, name, qty int -> bigint, price, created_at, note), against references measured in the same
# run on the same two databases:
#   INSERT INTO items SELECT … FROM old_schema.items   (plain psql, through the same FDW link)
#   pg_dump -a -t items SRC | psql DST                  (the physical copy)
#   conf-move -m fdw                                    (INSERT … SELECT from the staging table)
#   conf-move -m copy                                   (COPY out of the source streamed into COPY)
#   conf-verify                                         (both sides' checksums, by key ranges)
#   conf-verify -s                                      (the source computes its own side)
# Each run loads into an emptied target (TRUNCATE, progress forgotten). Rows per second are
# rows / median time. Run by tests/bench/run.sh (cluster in PGHOST/PGPORT/PGUSER, BENCH_TMP,
# PATH). Knobs: BENCH_S2S_ROWS (1000000), BENCH_S2S_RUNS (3).
# Exit status: 0, or 2 when the benchmark itself failed (no target: the numbers are the result).
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
rows=${BENCH_S2S_ROWS:-1000000}
runs=${BENCH_S2S_RUNS:-3}
work=$BENCH_TMP/s2s
log=$work/log
rm -rf "$work"
mkdir -p "$work"
: >"$log"
# shellcheck source=common.sh
. "$here/common.sh"
bench_name=s2s
bench_init

for d in bench_s2s_src bench_s2s_dst; do
	dropdb_ "$d"
	psql_ -c "CREATE DATABASE $d"
done
psql_ -d bench_s2s_src -c "CREATE TABLE items (id bigint PRIMARY KEY, name text, qty int, price numeric(10,2),
	created_at timestamptz, note text)"
psql_ -d bench_s2s_src -c "INSERT INTO items SELECT i, 'item ' || i, i % 1000, (i % 100000) / 100.0,
	timestamptz '2020-01-01' + i * interval '37 seconds', 'note ' || md5(i::text)
	FROM generate_series(1, $rows) i" || fail "cannot make the table"
psql_ -d bench_s2s_src -c "VACUUM ANALYZE items"
psql_ -d bench_s2s_dst -c "CREATE TABLE items (id bigint PRIMARY KEY, name text, qty bigint, price numeric(10,2),
	created_at timestamptz, note text)"
psql_ -d bench_s2s_dst -c "CREATE EXTENSION postgres_fdw" \
	-c "CREATE SERVER confiture_source FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '$PGHOST', port '$PGPORT', dbname 'bench_s2s_src')" \
	-c "CREATE USER MAPPING FOR CURRENT_USER SERVER confiture_source OPTIONS (user '$PGUSER')" \
	-c "CREATE SCHEMA old_schema" \
	-c "IMPORT FOREIGN SCHEMA public FROM SERVER confiture_source INTO old_schema"
cat >"$work/map.yaml" <<'YAML'
items:
  source_table: public.items
  target_table: public.items
  columns: {id: id, name: name, qty: qty, price: price, created_at: created_at, note: note}
YAML
src="postgresql:///bench_s2s_src?host=$PGHOST&port=$PGPORT&user=$PGUSER"
dst="postgresql:///bench_s2s_dst?host=$PGHOST&port=$PGPORT&user=$PGUSER"

empty() { psql_ -d bench_s2s_dst -c "TRUNCATE items" -c "DROP SCHEMA IF EXISTS confiture_s2s CASCADE"; }
timed() {
	_n=$1
	shift
	t_start
	"$@" >>"$log" 2>&1 || fail "$_n failed"
	t_stop "$_n"
}
i=0
while [ "$i" -lt "$runs" ]; do
	empty
	timed insert psql -X -q -v ON_ERROR_STOP=1 -d bench_s2s_dst \
		-c "INSERT INTO items (id, name, qty, price, created_at, note) SELECT id, name, qty::bigint, price, created_at, note FROM old_schema.items"
	empty
	timed dump sh -c 'pg_dump -a -t items -d bench_s2s_src | psql -X -q -v ON_ERROR_STOP=1 -d bench_s2s_dst'
	empty
	timed fdw conf-move -d "$dst" -m fdw "$work/map.yaml"
	empty
	timed copy conf-move -d "$dst" -s "$src" -m copy "$work/map.yaml"
	timed verify conf-verify -d "$dst" "$work/map.yaml"
	timed verifys conf-verify -d "$dst" -s "$src" "$work/map.yaml"
	i=$((i + 1))
done
[ "$(psql -X -At -d bench_s2s_dst -c "SELECT count(*) FROM items")" = "$rows" ] || fail "the target does not hold every row"

echo "schema to schema: $rows rows (id, name, qty int -> bigint, price, created_at, note), 2 databases of one cluster"
header "" "rows/s"
for k in insert dump fdw copy verify verifys; do
	case $k in
	insert) l="INSERT ... SELECT via the FDW (reference)" ;;
	dump) l="pg_dump -a -t | psql (reference)" ;;
	fdw) l="conf-move -m fdw" ;;
	copy) l="conf-move -m copy" ;;
	verify) l="conf-verify (source through the FDW)" ;;
	verifys) l="conf-verify -s (source computes its side)" ;;
	esac
	row "$l" "$k" dump "$(awk -v r="$rows" -v m="$(median "$k")" 'BEGIN { printf "%.0f", r / (m / 1e6) }')"
done
echo
dropdb_ bench_s2s_src
dropdb_ bench_s2s_dst
