#!/bin/sh
# model.sh: benchmark of the schema model tools (issue 8). Run by tests/bench/run.sh, which provides
# the cluster (PGHOST PGPORT PGUSER), BENCH_TMP and PATH.
#   conf-parse          statements/s on ../shared/corpus/parse/postgres_regress, as a ratio to a bare
#                       libpg_query split + parse loop (tests/bench/parseloop.c, built here); >= 0.7
#   conf-parse -m       on danbooru's structure.sql: median < 150 ms
#   conf-inspect        of a database built from it: median < 300 ms
#   pg_dump -s          of the same database, the reference printed beside them
# Knobs: BENCH_PARSE_RUNS (10), BENCH_MODEL_RUNS (10).
# Exit status: 0 all targets met, 1 a target missed, 2 the benchmark itself failed; 0 with a
# notice when ../shared/corpus is absent.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH='' cd -- "$here/../.." && pwd)
corpus=$root/../shared/corpus
runs=${BENCH_PARSE_RUNS:-10}
mruns=${BENCH_MODEL_RUNS:-10}
work=$BENCH_TMP/model
log=$work/log
rm -rf "$work"
mkdir -p "$work/t"

# shellcheck source=common.sh
. "$here/common.sh"
bench_name=model
bench_init

if [ ! -d "$corpus/parse/postgres_regress" ] || [ ! -f "$corpus/schemas/danbooru-structure.sql" ]; then
	echo "model: skipped, no corpus at $corpus"
	exit 0
fi
for t in conf-parse conf-inspect; do
	command -v "$t" >/dev/null 2>&1 || fail "$t is missing: run make first"
done

${CC:-cc} -std=c11 -O2 -o "$work/parseloop" "$here/parseloop.c" -lpg_query >"$log" 2>&1 ||
	fail "cannot build parseloop.c"
set -- "$corpus"/parse/postgres_regress/*.sql
nfiles=$#

# conf-parse exits 4 when a statement does not parse: about 3% of the regression SQL is invalid
parse_all() {
	rc=0
	conf-parse "$@" >"$work/stmts" 2>/dev/null || rc=$?
	[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || fail "conf-parse exited $rc"
}
rc=0
conf-parse "$@" >"$work/stmts" 2>"$work/stmts.err" || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] || fail "conf-parse exited $rc"
# the statements it saw: those it wrote, and those it rejected (one diagnostic each)
pstmts=$(($(grep -c '"kind":"stmt"' "$work/stmts" || true) + $(grep -c '^conf-parse: .*:[0-9]*:[0-9]*: ' "$work/stmts.err" || true)))
loop=$("$work/parseloop" "$@") || fail "parseloop failed"
lstmts=${loop% *}

echo "model: conf-parse on $nfiles regression files; conf-parse -m, conf-inspect and pg_dump -s on danbooru"
echo

i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	"$work/parseloop" "$@" >/dev/null
	t_stop loop
	t_start
	parse_all "$@"
	t_stop parse
	i=$((i + 1))
done
# statements/s of conf-parse over statements/s of the loop (each counts the statements it saw)
parse_ratio=$(awk -v ps="$pstmts" -v pt="$(median parse)" -v ls="$lstmts" -v lt="$(median loop)" \
	'BEGIN { printf "%.2f", (ps / pt) / (ls / lt) }')
parse_verdict=$(verdict 0.7 "<=" "$parse_ratio")
header "split + parse of the regression SQL" "x baseline"
row "libpg_query split + parse loop (baseline)" loop loop "$lstmts statements"
row "conf-parse >/dev/null" parse loop "$pstmts statements"
awk -v ps="$pstmts" -v pt="$(median parse)" -v ls="$lstmts" -v lt="$(median loop)" -v r="$parse_ratio" \
	-v v="$parse_verdict" 'BEGIN { printf "  statements/s: conf-parse %d, loop %d: ratio %s (target >= 0.70: %s)\n",
		ps / pt * 1e6, ls / lt * 1e6, r, v }'
echo

# --- danbooru: the model from the file, from the database, and pg_dump -s beside them ---------
danbooru=$corpus/schemas/danbooru-structure.sql
dropdb_ bench_model
psql_ -c "CREATE DATABASE bench_model" || fail "CREATE DATABASE failed"
conf-apply -d "dbname=bench_model" "$danbooru" >>"$log" 2>&1 || fail "cannot load danbooru"
conf-parse -m "$danbooru" >"$work/p.jsonl" 2>>"$log" || fail "conf-parse -m failed on danbooru"
conf-inspect -d "dbname=bench_model" >"$work/i.jsonl" 2>>"$log" || fail "conf-inspect failed on danbooru"
i=0
while [ "$i" -lt "$mruns" ]; do
	t_start
	pg_dump -s -d bench_model >/dev/null
	t_stop dump
	t_start
	conf-parse -m "$danbooru" >/dev/null 2>&1
	t_stop mparse
	t_start
	conf-inspect -d "dbname=bench_model" >/dev/null
	t_stop inspect
	i=$((i + 1))
done
mparse_verdict=$(verdict "$(median mparse)" "<" 150000)
inspect_verdict=$(verdict "$(median inspect)" "<" 300000)
header "danbooru ($(wc -l <"$work/i.jsonl") records)" "x pg_dump; target"
row "pg_dump -s (reference)" dump dump
row "conf-parse -m danbooru-structure.sql" mparse dump "median < 150 ms: $mparse_verdict"
row "conf-inspect" inspect dump "median < 300 ms: $inspect_verdict"
echo
dropdb_ bench_model

[ "$parse_verdict" = PASS ] && [ "$mparse_verdict" = PASS ] && [ "$inspect_verdict" = PASS ] || exit 1
