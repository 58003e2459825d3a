#!/bin/sh
# anon.sh: benchmark of conf-anon alone on pg_dump's stream of a 1M-row table
# (id, name, email, phone, created_at, note) with 3 masked columns (name, email, phone).
# Run by tests/bench/run.sh, which provides the cluster (PGHOST PGPORT PGUSER), BENCH_TMP and PATH.
#   conf-anon -r rules  vs  cat(1) of the same stream (the physical baseline: reading and writing it)
# MB/s is the stream's size over the process's CPU time (user + system: "on one core", so that the
# other load of a shared machine does not count), wall time shown beside it. Target: >= 150 MB/s.
# Knobs: BENCH_ANON_ROWS (1000000), BENCH_ANON_RUNS (3).
# Measured: about 400 MB/s (0.35-0.37 s of CPU; 188 MB/s before rows were copied between their
# masked fields in one piece and the masks wrote in place). What is left is the work itself:
# SipHash-2-4 of each masked value (a fifth), the name syllables and phone digits drawn from it
# (a third), finding the tabs and line ends, and the kernel's copies in and out of the pipes.
# Exit status: 0 the target met, 1 missed, 2 the benchmark itself failed.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
rows=${BENCH_ANON_ROWS:-1000000}
runs=${BENCH_ANON_RUNS:-3}
work=$BENCH_TMP/anon
log=$work/log
rm -rf "$work"
mkdir -p "$work"
: >"$log"
# shellcheck source=common.sh
. "$here/common.sh"
bench_name=anon
bench_init
[ -x /usr/bin/time ] || fail "needs /usr/bin/time (GNU time) for the CPU time of a run"

dropdb_ bench_anon
psql_ -c "CREATE DATABASE bench_anon"
psql -X -q -v ON_ERROR_STOP=1 -d bench_anon >>"$log" 2>&1 <<SQL || fail "cannot make the table"
CREATE TABLE people (id bigint PRIMARY KEY, name text, email text, phone text, created_at timestamptz, note text);
INSERT INTO people SELECT i, 'Given' || i || ' Family' || (i % 977), 'person' || i || '@mail' || (i % 89) || '.example.com',
  '+1 415 ' || lpad((i % 10000000)::text, 7, '0'), timestamptz '2020-01-01' + i * interval '37 seconds',
  'free text note ' || md5(i::text) FROM generate_series(1, $rows) i;
SQL
pg_dump -a -t people -d bench_anon >"$work/stream.sql" 2>>"$log" || fail "pg_dump failed"
cat >"$work/rules.yaml" <<'YAML'
people:
  - {column: name, strategy: name}
  - {column: email, strategy: email}
  - {column: phone, strategy: phone}
YAML
bytes=$(wc -c <"$work/stream.sql")

# cpu NAME CMD...: one run; its CPU seconds appended to t/NAME.cpu, its wall time to t/NAME
cpu() {
	_n=$1
	shift
	t_start
	/usr/bin/time -f '%U %S' -o "$work/time" "$@" <"$work/stream.sql" >"$work/out" 2>>"$log" || fail "$* failed"
	t_stop "$_n"
	awk '{ printf "%d\n", ($1 + $2) * 1000000 }' "$work/time" >>"$work/t/$_n.cpu"
}
i=0
while [ "$i" -lt "$runs" ]; do
	cpu cat cat
	CONFITURE_ANON_KEY=bench-key-not-secret cpu anon conf-anon -r "$work/rules.yaml"
	i=$((i + 1))
done
grep -q 'user_[a-z2-7]*@example.com' "$work/out" || fail "the output is not masked"
[ "$(wc -l <"$work/out")" -eq "$(wc -l <"$work/stream.sql")" ] || fail "the output has another number of lines"

mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
mbs=$(awk -v b="$bytes" -v t="$(median anon.cpu)" 'BEGIN { printf "%.0f", b / t }')
wall=$(awk -v b="$bytes" -v t="$(median anon)" 'BEGIN { printf "%.0f", b / t }')
ok=$(verdict 150 "<=" "$mbs")
echo "conf-anon: $rows rows ($mb MB of pg_dump -a), 3 masked columns (name, email, phone)"
header "" ""
row "cat (baseline)" cat cat
row "conf-anon -r rules (wall)" anon cat
echo "  conf-anon: $mbs MB/s of CPU time on one core ($wall MB/s wall)   target >= 150 MB/s: $ok"
echo
dropdb_ bench_anon
[ "$ok" = PASS ] || exit 1
