#!/bin/sh
# sync.sh: benchmark of confiture sync on a 1M-row table (id, name, email, phone, created_at, note)
# against the physical baseline measured in the same run:
#   pg_dump -a SRC | psql DST                        (into a truncated target, verbatim)
#   confiture sync --from SRC --to DST --anonymize   (3 masked columns: name, email, phone)
# Throughput ratio = baseline time / sync time (rows per second of sync over rows per second of
# the baseline). Target: >= 0.8. Run by tests/bench/run.sh (cluster in PGHOST/PGPORT/PGUSER,
# BENCH_TMP, PATH). Knobs: BENCH_SYNC_ROWS (1000000), BENCH_SYNC_RUNS (3).
# Each run's CPU time is shown too, on the client (the command and everything it waits for) and
# on the server (the cluster's processes: needs pgtmp's layout, PGHOST/data/postmaster.pid): the
# wall times depend on what else the 2 cores run, the CPU times much less.
# Where the time goes (1M rows, 146 MB of COPY text, 159 MB once masked; CPU measured):
#   the target's COPY FROM is the floor of both commands (1.4 s of one core) and pg_dump's
#   COPY TO (0.45 s) runs beside it; the sync adds conf-anon (0.35 s), the meter and conf-apply's
#   copies (0.1 s), the masked rows' 9 % more bytes to load (0.1 s), and about 0.15 s before the
#   first row moves (snapshot, checks, conf-inspect of the target in the background):
#   2.7 s of CPU against the baseline's 2.2 s on 2 cores, 0.87 of its throughput near idle
#   (it was 3.4 s and 0.54-0.60 before conf-anon's row fast path and the background checks).
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

# srvcpu: CPU clock ticks of the cluster so far (the postmaster, its live children, those it reaped)
pidfile=$PGHOST/data/postmaster.pid
srvcpu() {
	[ -r "$pidfile" ] || { echo 0; return; }
	_pm=$(head -n 1 "$pidfile")
	# shellcheck disable=SC2013 # one line of process ids separated by blanks
	{ cat "/proc/$_pm/stat"; for _c in $(cat /proc/"$_pm"/task/*/children 2>/dev/null); do cat "/proc/$_c/stat" 2>/dev/null; done; } |
		awk '{ sub(/^.*\) /, ""); t += $12 + $13; if (NR == 1) t += $14 + $15 } END { print t + 0 }'
}
tick=$(getconf CLK_TCK)
# timed NAME CMD...: one run; wall time to t/NAME, client CPU to t/NAME.cpu, server CPU to t/NAME.srv
timed() {
	_n=$1
	shift
	_s0=$(srvcpu)
	t_start
	/usr/bin/time -f '%U %S' -o "$work/time" "$@" >>"$log" 2>&1 || fail "$_n failed"
	t_stop "$_n"
	sleep 0.2 # the last backends reaped
	awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$work/time" >>"$work/t/$_n.cpu"
	echo $((($(srvcpu) - _s0) * 1000000 / tick)) >>"$work/t/$_n.srv"
}
[ -x /usr/bin/time ] || fail "needs /usr/bin/time (GNU time) for the CPU time of a run"
CONFITURE_ANON_KEY=bench-key-not-secret
export CONFITURE_ANON_KEY
i=0
while [ "$i" -lt "$runs" ]; do
	psql_ -d bench_sync_dst -c "TRUNCATE people"
	timed baseline sh -c 'pg_dump -a -d bench_sync_src | psql -X -q -v ON_ERROR_STOP=1 -d bench_sync_dst'
	timed sync confiture sync --from "$src" --to "$dst" --anonymize "$work/rules.yaml"
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
for k in baseline sync; do
	awk -v k="$k" -v c="$(median "$k.cpu")" -v s="$(median "$k.srv")" \
		'BEGIN { printf "  %-9s CPU (medians): client %.2f s + server %.2f s = %.2f s\n", k, c / 1e6, s / 1e6, (c + s) / 1e6 }'
done
echo "  throughput ratio (baseline time / sync time): $ratio   target >= 0.8: $ok"
echo
dropdb_ bench_sync_src
dropdb_ bench_sync_dst
[ "$ok" = PASS ] || exit 1
