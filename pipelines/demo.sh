#!/bin/sh
# make demo: the example project through the mediums, on a private throwaway PostgreSQL.
set -eu
repo=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
PATH=$repo/bin:$PATH
export PATH
work=$(mktemp -d)
cleanup() {
	confiture tmpdb --project-dir "$work/blog" stop >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM
cp -R "$repo/examples/basic" "$work/blog"
cd "$work/blog"
psql=$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)/psql

step() {
	printf '\n== %s\n' "$*"
}
run() {
	printf '$ %s\n' "$*"
	"$@"
}

step "A private PostgreSQL for this project (unix socket, fsync off)"
run confiture tmpdb start
url=$(confiture tmpdb url blog)

step "Medium 1: build a fresh database from db/schema and db/seeds"
run confiture build --show-hash
run confiture build --database-url "$url"
run "$psql" -X -d "$url" -c 'SELECT slug, author, comments FROM blog.post_stats ORDER BY id'

step "The schema model: conf-parse -m reads the files, conf-inspect the database, and they agree"
run sh -c 'conf-concat -S -e local | conf-parse -m >files.jsonl'
run sh -c 'conf-inspect -d "$1" >db.jsonl' sh "$url"
run jq -c 'select(.kind == "table") | {id, columns: [.columns[].name]}' db.jsonl
echo "Compared without the text-only keys (sql, *_sql, file, line, col; see conf-formats(5)):"
filter='select(.kind != "unmodeled") | walk(if type == "object" then with_entries(select(.key | test("^(file|line|col|sql)$|_sql$") | not)) else . end)'
jq -c "$filter" files.jsonl >files.cmp
jq -c "$filter" db.jsonl >db.cmp
if cmp -s files.cmp db.cmp; then
	echo "the two models agree: $(wc -l <db.cmp) records"
else
	diff files.cmp db.cmp || true
fi

step "A broken pipeline never replaces a database (sh has no pipefail: the stream proves it is whole)"
run sh -c 'conf-concat -e nosuch | conf-apply -c -f -d "$1"' sh "$url" || echo "(exit $?)"
echo "A stream cut after its third file, as a producer killed half-way leaves it:"
run sh -c 'awk '\''/^-- confiture:file / && ++n == 4 { exit } { print }'\'' db/generated/schema_local.sql | conf-apply -c -f -d "$1"' sh "$url" || echo "(exit $?)"
run "$psql" -XAt -d "$url" -c 'SELECT count(*) AS posts_still_there FROM blog.posts'

step "Medium 2: migrations for a database that holds data"
echo "The build already contains every migration, so the ledger starts at the last one:"
run confiture migrate --database-url "$url" baseline --through 20260110090000
run confiture migrate --database-url "$url" verify
up=$(confiture migrate new add_reading_time | head -n 1)
down=${up%.up.sql}.down.sql
printf 'ALTER TABLE blog.posts ADD COLUMN reading_minutes integer CHECK (reading_minutes > 0);\n' >>"$up"
printf 'ALTER TABLE blog.posts DROP COLUMN reading_minutes;\n' >>"$down"
echo "wrote $up and $down"
run confiture migrate --database-url "$url" status || true
run confiture migrate --database-url "$url" up --dry-run
run confiture migrate --database-url "$url" up
run confiture migrate --database-url "$url" status --format json
run confiture migrate --database-url "$url" down
run confiture migrate --database-url "$url" up

step "Schema diff: the database now has a column db/schema does not (the migration above)"
run sh -c 'confiture diff --from "$1" --to local' sh "$url" || echo "(exit $?: differences, as diff(1))"
echo "The change list as JSON Lines, for jq:"
run sh -c 'confiture diff --from "$1" --to local --format json | jq -c "{id, action, hazards}"' sh "$url"

step "Lint: squawk's safety rules and the hygiene rules, from the parse tree"
run confiture lint || echo "(exit $?)"

step "Seeds: checked statically against the schema model"
run confiture seed validate --static-only || echo "(exit $?)"

step "Medium 3: production data to a staging database, masked, from one snapshot"
staging=$(confiture tmpdb url staging)
run "$psql" -X -q -d "$(confiture tmpdb url postgres)" -c 'CREATE DATABASE staging'
echo "The same schema on staging (pg_dump -s of the source):"
run sh -c 'pg_dump -s -d "$1" | "$2" -X -q -v ON_ERROR_STOP=1 -d "$3" >/dev/null' sh "$url" "$psql" "$staging"
mkdir -p db/sync
cat >db/sync/anonymization.yaml <<'YAML'
blog.users:
  - {column: email, strategy: email}
  - {column: display_name, strategy: first_name}
YAML
run cat db/sync/anonymization.yaml
run env CONFITURE_ANON_KEY=demo-key-not-secret confiture sync --from "$url" --to "$staging" --anonymize --jobs 2
run "$psql" -X -d "$staging" -c 'SELECT id, email, display_name FROM blog.users ORDER BY id'
run "$psql" -X -d "$staging" -c 'SELECT slug, author, comments FROM blog.post_stats ORDER BY id'
echo "A target that is the source, spelled another way, is refused:"
run confiture sync --from "$url" --to "$(echo "$url" | sed 's|^postgresql:///\([^?]*\)?host=\([^&]*\)|host=\2 dbname=\1 |; s|&| |g')" || echo "(exit $?)"

step "Medium 4: schema to schema, when a change is too big for ALTERs: a new database, the data moved"
echo "The new schema: users.display_name renamed to name, posts.words new and NOT NULL:"
cp -R "$work/blog" "$work/blog2"
sed -i 's/display_name/name/g' "$work/blog2/db/schema/10_tables/10_users.sql" "$work/blog2/db/schema/20_views/post_stats.sql"
sed -i 's/^    body text NOT NULL DEFAULT .*,$/&\n    words integer NOT NULL CHECK (words > 0),/' "$work/blog2/db/schema/10_tables/20_posts.sql"
new=$(confiture tmpdb url blog_new)
run confiture build --project-dir "$work/blog2" --schema-only --database-url "$new" >/dev/null
run confiture migrate schema-to-schema setup --source "$url" --target "$new"
run confiture migrate schema-to-schema analyze --source "$url" --target "$new" -o mapping.yaml
run cat mapping.yaml
echo "The user's edits: the rename, and an expression for the new column:"
sed -i -e 's/^    display_name: ~ .*/    display_name: name/' -e '/^    name: {expr: ~}/d' \
	-e "s/^    words: {expr: ~}.*/    words: {expr: \"coalesce(array_length(string_to_array(body, ' '), 1), 1)\"}/" mapping.yaml
run grep -E 'display_name|words' mapping.yaml
run confiture migrate schema-to-schema migrate --source "$url" --target "$new" --mapping mapping.yaml
run confiture migrate schema-to-schema verify --source "$url" --target "$new" --mapping mapping.yaml
run confiture migrate schema-to-schema cleanup --target "$new"
run "$psql" -X -d "$new" -c 'SELECT p.slug, u.name, p.words FROM blog.posts p JOIN blog.users u ON u.id = p.author_id ORDER BY p.id'

step "Done: stopping and removing the private PostgreSQL"
run confiture tmpdb stop
