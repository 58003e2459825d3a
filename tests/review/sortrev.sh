#!/bin/bash
# sortrev.sh FILE [shuffle]: one file per statement of FILE, named so that conf-concat -S reads them in
# reverse (or shuffled) order; conf-sort the stream, load it with conf-apply -a into a fresh database and
# compare conf-inspect with the model of FILE as written (conf-parse -m FILE).
set -u
f=$1 mode=${2:-reverse} d=$(mktemp -d /tmp/review/sortrev.XXXXXX) db=srt_$$
n=$(conf-parse "$f" | jq -s length)
conf-parse "$f" | jq -r '.sql' >/dev/null
i=0
conf-parse "$f" | jq -c '.sql' | while IFS= read -r s; do
	i=$((i + 1))
	if [ "$mode" = shuffle ]; then k=$(( (i * 7919) % 1000 )); else k=$((n - i)); fi
	printf '%s;\n' "$(jq -r . <<<"$s")" >"$d/$(printf '%04d_%04d' "$k" "$i").sql"
done
mkdir -p "$d/p"
conf-concat -S "$d" >"$d/p/stream.sql" 2>"$d/concat.err" || { echo "conf-concat failed"; cat "$d/concat.err"; }
conf-sort "$d/p/stream.sql" >"$d/p/sorted.sql" 2>"$d/sort.err"; echo "conf-sort rc=$?"; head -5 "$d/sort.err"
psql -XAtq -d postgres -c "CREATE DATABASE $db"
conf-apply -a -d "dbname=$db" "$d/p/sorted.sql" >/dev/null 2>"$d/apply.err"; echo "conf-apply rc=$?"; head -5 "$d/apply.err"
filt='walk(if type=="object" then with_entries(select(.key|test("^(file|line|col|sql)$|_sql$")|not)) else . end)'
conf-parse -m "$f" 2>/dev/null | jq -c "select(.kind!=\"unmodeled\")|$filt" >"$d/orig"
conf-inspect -d "dbname=$db" | jq -c "$filt" >"$d/built"
if diff "$d/orig" "$d/built" >"$d/diff"; then echo "same model"; else echo "models differ:"; cut -c1-300 "$d/diff" | head -10; fi
psql -XAtq -d postgres -c "DROP DATABASE $db WITH (FORCE)"
echo "workdir $d"
