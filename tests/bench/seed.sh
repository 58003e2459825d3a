#!/bin/sh
# seed.sh: benchmark of conf-seedcheck on a generated prep-seed project (the schema of
# tests/fixtures/seed): 200 seed files of 500 rows each (100k rows, five INSERTs of 100 rows a file).
# Run by tests/bench/run.sh, which provides the cluster (PGHOST PGPORT PGUSER), BENCH_TMP and PATH.
#   levels 1-3 (static)      target < 5 s     (upstream's guide: about 5 s static)
#   levels 1-5 (scratch db)  target < 30 s    (upstream's guide: about 30-40 s with the database)
#   confiture seed apply of the same seeds as COPY, informational
# Knobs: BENCH_SEED_FILES (200), BENCH_SEED_ROWS (500 per file), BENCH_SEED_RUNS (3).
# Exit status: 0 all targets met, 1 a target missed, 2 the benchmark itself failed.
set -eu

: "${BENCH_TMP:?run me through tests/bench/run.sh}" "${PGHOST:?}" "${PGPORT:?}" "${PGUSER:?}"
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
files=${BENCH_SEED_FILES:-200}
rows=${BENCH_SEED_ROWS:-500}
runs=${BENCH_SEED_RUNS:-3}
work=$BENCH_TMP/seed
proj=$work/proj
log=$work/log
rm -rf "$work"
mkdir -p "$work"
: >"$log"
# shellcheck source=common.sh
. "$here/common.sh"
bench_name=seed
bench_init

cp -r "$here/../fixtures/seed" "$proj"
rm -f "$proj"/db/seeds/*.sql
# file 1: the categories; the others: products, each naming one of the categories
awk -v files="$files" -v rows="$rows" -v dir="$proj/db/seeds" 'BEGIN {
	for (f = 1; f <= files; f++) {
		out = sprintf("%s/%03d.sql", dir, f)
		for (r = 0; r < rows; r++) {
			n = (f - 1) * rows + r
			if (r % 100 == 0)
				printf "%sINSERT INTO prep_seed.%s VALUES\n", r ? "ON CONFLICT (id) DO NOTHING;\n" : "", \
				    f == 1 ? "tb_category (id, fk_parent_id, name)" : "tb_product (id, fk_category_id, name, price)" > out
			sep = (r % 100 == 99 || r == rows - 1) ? "" : ","
			if (f == 1)
				printf "    (%s%08d%s, NULL, %sc%d%s)%s\n", "'\''00000000-0000-4000-8000-0000", n, "'\''", "'\''", n, "'\''", sep > out
			else
				printf "    (%s%08d%s, %s%08d%s, %sp%d%s, %d.%02d)%s\n", "'\''10000000-0000-4000-8000-0000", n, "'\''", \
				    "'\''00000000-0000-4000-8000-0000", n % rows, "'\''", "'\''", n, "'\''", n % 1000, n % 100, sep > out
		}
		print "ON CONFLICT (id) DO NOTHING;" > out
		close(out)
	}
}'
cd "$proj"
conf-concat -C . -e local -S -o schema.sql 2>>"$log" || fail "conf-concat failed"
conf-parse -m schema.sql >model.jsonl 2>>"$log" || fail "conf-parse -m failed"
set -- db/seeds/*.sql
conn="host=$PGHOST port=$PGPORT user=$PGUSER dbname=postgres"

echo "seed: $files files of $rows rows ($((files * rows)) rows), the prep-seed fixture's schema"
echo
i=0
while [ "$i" -lt "$runs" ]; do
	t_start
	conf-seedcheck -p -m model.jsonl -l 3 "$@" >"$work/out" 2>>"$log" || fail "levels 1-3 found something (exit $?)"
	t_stop static
	t_start
	conf-seedcheck -p -m model.jsonl -l 5 -S schema.sql -d "$conn" "$@" >"$work/out" 2>>"$log" ||
		fail "levels 1-5 found something (exit $?)"
	t_stop full
	t_start
	conf-seedcheck -w 1000 "$@" >"$work/copy.sql" 2>>"$log" || fail "conf-seedcheck -w failed"
	t_stop write
	i=$((i + 1))
done
[ ! -s "$work/out" ] || fail "the generated seeds are not clean: $(head -1 "$work/out")"
static_verdict=$(verdict "$(median static)" "<" 5000000)
full_verdict=$(verdict "$(median full)" "<" 30000000)

header "check $((files * rows)) seed rows" "x levels 1-3; target"
row "levels 1-3 (files, schema, resolvers)" static static "< 5 s: $static_verdict"
row "levels 1-5 (scratch db, load, resolve)" full static "< 30 s: $full_verdict"
row "-w 1000 (INSERT lists as COPY)" write static "informational"
echo
[ "$static_verdict" = PASS ] && [ "$full_verdict" = PASS ] || exit 1
