#!/usr/bin/env bats
# real schemas nobody here wrote (../shared/corpus), built through confiture build

load helper

setup() {
	[ -d "$CORPUS/schemas" ] || skip "no corpus at $CORPUS"
	need_db
	P=$BATS_TEST_TMPDIR/p
	mkdir -p "$P/db/environments"
	DB=t${BATS_SUITE_TEST_NUMBER}_corpus
	URL="postgresql:///$DB?host=$PGHOST"
}

@test "pagila: schema then data (21 COPY blocks, 7 partitions) builds" {
	cat >"$P/db/environments/local.yaml" <<YAML
include_dirs:
  - path: $CORPUS/schemas
    include: [pagila-schema-*.sql]
    recursive: false
    order: 1
  - path: $CORPUS/schemas
    include: [pagila-data-*.sql]
    recursive: false
    order: 2
YAML
	run --separate-stderr confiture build --project-dir "$P" --database-url "$URL"
	assert_success
	[ "$(q 'SELECT count(*) FROM public.rental')" = 16044 ]
	[ "$(q 'SELECT count(*) FROM public.payment')" = 16049 ]
	[ "$(q "SELECT count(*) FROM pg_inherits")" -ge 7 ]
	[ "$(q "SELECT count(*) FROM pg_views WHERE schemaname = 'public'")" -ge 7 ]
}

@test "danbooru: a Rails structure.sql builds" {
	printf 'include_dirs:\n  - path: %s\n    include: [danbooru-structure.sql]\n    recursive: false\n' \
		"$CORPUS/schemas" >"$P/db/environments/local.yaml"
	run --separate-stderr confiture build --project-dir "$P" --database-url "$URL"
	assert_success
	[ "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" -ge 65 ]
}

@test "chinook: its DROP/CREATE DATABASE are refused at their line, and nothing is created" {
	printf 'include_dirs:\n  - path: %s\n    include: [chinook-postgresql.sql]\n    recursive: false\n' \
		"$CORPUS/schemas" >"$P/db/environments/local.yaml"
	line=$(grep -n '^DROP DATABASE' "$CORPUS/schemas/chinook-postgresql.sql" | head -1 | cut -d: -f1)
	run --separate-stderr confiture build --project-dir "$P" --database-url "$URL"
	assert_failure 4
	assert_equal "${stderr##*$'\n'}" "conf-apply: $CORPUS/schemas/chinook-postgresql.sql:$line:1: DROP DATABASE acts outside the database being built"
	run psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname IN ('$DB', 'chinook')"
	assert_output 0
}

@test "the regression SQL splits without a crash; every error has a position" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no regression SQL"
	n=0
	for f in "$CORPUS"/parse/postgres_regress/*.sql; do
		run --separate-stderr conf-concat -k -C / "${f#/}"
		[ "$status" -eq 0 ] || [ "$status" -eq 4 ] || fail "$f: status $status"
		if [ "$status" -eq 4 ]; then
			[[ $stderr =~ ^conf-concat:\ ${f#/}:[0-9]+:[0-9]+:\  ]] || fail "$f: $stderr"
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 200 ]
}
