#!/usr/bin/env bats
# the front command: init, build, tmpdb, exit codes

load helper

setup() {
	S=$BATS_TEST_TMPDIR
}

@test "init scaffolds a project that builds out of the box" {
	run --separate-stderr confiture init "$S/app"
	assert_success
	assert_equal "$stderr" "confiture: created a project in $S/app: try 'confiture build' there"
	for f in db/environments/local.yaml db/schema/00_common/extensions.sql db/schema/10_tables/example.sql \
		db/seeds/common/00_example.sql; do
		assert_file_exists "$S/app/$f"
	done
	assert_dir_exists "$S/app/db/migrations"
	cd "$S/app"
	run --separate-stderr confiture build
	assert_success
	assert_file_exists db/generated/schema_local.sql
	assert_equal "$stderr" "confiture: wrote db/generated/schema_local.sql (3 files, schema hash $(conf-concat -H))"
	run confiture init "$S/app"
	assert_failure 5
	assert_output "confiture: $S/app/db/environments/local.yaml exists; use --force to overwrite the skeleton"
}

@test "build --show-hash writes the file and prints its hash, --hash-only the hash alone; two builds are byte-identical" {
	cp -r "$REPO/examples/basic" "$S/b"
	run --separate-stderr confiture build --project-dir "$S/b" --hash-only
	assert_success
	assert_output --regexp '^[0-9a-f]{64}$'
	h=$output
	[ ! -e "$S/b/db/generated" ]
	run --separate-stderr confiture build --project-dir "$S/b" --show-hash
	assert_success
	assert_output "$h"
	assert_equal "$stderr" "confiture: wrote $S/b/db/generated/schema_local.sql (10 files, schema hash $h)"
	[ "$(head -1 "$S/b/db/generated/schema_local.sql")" = "-- confiture:build env=local hash=$h files=10" ]
	run --separate-stderr confiture build --project-dir "$S/b" --show-hash -o -
	assert_failure 5
	assert_equal "$stderr" "confiture: --output - writes to standard output and cannot be combined with --show-hash (--hash-only prints the hash alone)"
	confiture build --project-dir "$S/b" --output "$S/one.sql" 2>/dev/null
	confiture build --project-dir "$S/b" --output "$S/two.sql" 2>/dev/null
	cmp "$S/one.sql" "$S/two.sql"
	[ "$(head -1 "$S/one.sql")" = "-- confiture:build env=local hash=$h files=10" ]
	run confiture build --project-dir "$S/b" --schema-only --output -
	assert_success
	assert_line --index 0 --partial "files=8"
}

@test "build --database-url creates the database with schema and seeds; replacing needs --force" {
	need_db
	cp -r "$REPO/examples/basic" "$S/b"
	DB=t${BATS_SUITE_TEST_NUMBER}_blog
	url="postgresql:///$DB?host=$PGHOST"
	run --separate-stderr confiture build --project-dir "$S/b" --database-url "$url"
	assert_success
	[ "$(q 'SELECT count(*) FROM blog.post_stats')" = 2 ]
	[ "$(q "SELECT blog.slugify('Hello, World!')")" = hello-world ]
	run --separate-stderr confiture build --project-dir "$S/b" --database-url "$url"
	assert_failure 5
	[[ $stderr == "confiture: wrote "* ]]
	assert_equal "${stderr##*$'\n'}" "conf-apply: database \"$DB\" exists and would be replaced: allow it with -f"
	run confiture build --project-dir "$S/b" --database-url "$url" --force
	assert_success
}

@test "an error at line 7 of a schema file: file:line:col, SQLSTATE, exit 4, the database untouched" {
	need_db
	cp -r "$REPO/examples/basic" "$S/b"
	DB=t${BATS_SUITE_TEST_NUMBER}_blog
	url="postgresql:///$DB?host=$PGHOST"
	confiture build --project-dir "$S/b" --database-url "$url" 2>/dev/null
	cat >"$S/b/db/schema/10_tables/x.sql" <<'SQL'
-- a table with a mistake
CREATE TABLE blog.x (
    id bigint PRIMARY KEY
);

CREATE TABLE blog.y (
    x_id bigint REFERENCES blog.nothere (id)
);
SQL
	run --separate-stderr confiture build --project-dir "$S/b" --database-url "$url" --force
	assert_failure 4
	assert_equal "${stderr##*$'\n'}" 'conf-apply: db/schema/10_tables/x.sql:6:1: ERROR 42P01: relation "blog.nothere" does not exist'
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('x', 'y')")" = 0 ]
	[ "$(q 'SELECT count(*) FROM blog.users')" = 3 ]
	sed -i 's/REFERENCES blog.nothere (id)/REFRENCES blog.x (id)/' "$S/b/db/schema/10_tables/x.sql"
	run --separate-stderr confiture build --project-dir "$S/b" --database-url "$url" --force
	assert_failure 4
	assert_equal "${stderr##*$'\n'}" 'conf-apply: db/schema/10_tables/x.sql:7:17: ERROR 42601: syntax error at or near "REFRENCES"'
}

@test "build --apply takes the database from the environment" {
	need_db
	cp -r "$REPO/examples/basic" "$S/b"
	DB=t${BATS_SUITE_TEST_NUMBER}_blog
	TEST_DATABASE_URL="postgresql:///$DB?host=$PGHOST" run confiture build --project-dir "$S/b" --env test --apply
	assert_success
	[ "$(q 'SELECT count(*) FROM blog.users')" = 0 ]
	run confiture build --project-dir "$S/b" --env test --apply
	assert_failure 5
	assert_output --partial "environment variable TEST_DATABASE_URL is not set"
}

@test "tmpdb start, url, status and stop" {
	need_db
	cp -r "$REPO/examples/basic" "$S/b"
	run --separate-stderr confiture tmpdb --project-dir "$S/b" start
	assert_success
	assert_output --regexp '^postgresql:///postgres\?host=/.*&port=5432&user=postgres$'
	url=$(confiture tmpdb --project-dir "$S/b" url blog)
	run confiture build --project-dir "$S/b" --database-url "$url"
	assert_success
	[ "$(psql -XAt -d "$url" -c 'SELECT count(*) FROM blog.posts')" = 3 ]
	run confiture tmpdb --project-dir "$S/b" status
	assert_success
	run confiture tmpdb --project-dir "$S/b" stop
	assert_success
	run confiture tmpdb --project-dir "$S/b" status
	assert_failure 1
	run confiture tmpdb --project-dir "$S/b" url
	assert_failure 3
}

@test "unknown commands and options exit 5; --exit-codes prints the table" {
	run confiture frobnicate
	assert_failure 5
	assert_line --index 0 "confiture: unknown command: frobnicate"
	run confiture build --frob
	assert_failure 5
	assert_line "confiture: unknown option: --frob"
	run confiture --exit-codes
	assert_success
	assert_line --index 8 "8 irreversible rollback (missing .down.sql)"
}

@test "build --sequential --database-url applies the files one by one to the existing database" {
	new_db
	cp -r "$REPO/tests/fixtures/upstream-project" "$S/p"
	q 'CREATE TABLE kept (a int)'
	run --separate-stderr confiture build --project-dir "$S/p" --sequential --database-url "$DBURL"
	assert_success
	assert_equal "${stderr##*$'\n'}" "confiture: applied 3 files, one transaction each"
	# the database was not replaced: what it had stays
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('kept', 'example')")" = 2 ]
	[ "$(q 'SELECT name FROM example')" = example ]
	# a failing file is rolled back and stops the run; the files before it stay
	q 'DROP TABLE example'
	printf 'CREATE TABLE half (a int);\nSELECT nope;\n' >"$S/p/db/schema/10_tables/zz.sql"
	run --separate-stderr confiture build --project-dir "$S/p" --sequential --database-url "$DBURL"
	assert_failure 4
	assert_equal "$(printf '%s\n' "$stderr" | tail -2)" "conf-apply: $S/p/db/schema/10_tables/zz.sql:2:8: ERROR 42703: column \"nope\" does not exist
confiture: 2 of 4 files applied; db/schema/10_tables/zz.sql failed and was rolled back: the files before it stay"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('example', 'half')")" = 1 ]
	run --separate-stderr confiture build --project-dir "$S/p" --sequential --database-url "$DBURL" --force
	assert_failure 5
	assert_equal "$stderr" "confiture: --sequential applies to the existing database and replaces nothing: drop --force"
}

@test "build: upstream options we do not implement are refused by name; the comment checks are always on" {
	cp -r "$REPO/tests/fixtures/upstream-project" "$S/p"
	cd "$S/p"
	run --separate-stderr confiture build --validate-comments --fail-on-unclosed --fail-on-spillover -o -
	assert_success
	run --separate-stderr confiture build --two-pass
	assert_failure 5
	assert_equal "$stderr" "confiture: --two-pass is not supported: order statements by their dependencies with build: {sort_mode: dependencies}"
	run --separate-stderr confiture build --separator-style=mysql
	assert_failure 5
	assert_equal "$stderr" "confiture: --separator-style is not supported: the file markers are part of the stream format (conf-formats(5)) that conf-apply reads"
	run --separate-stderr confiture build --no-validate-comments
	assert_failure 5
	assert_equal "$stderr" "confiture: --no-validate-comments is not supported: a file that ends inside a comment or a statement would join the next file's first statement"
	for o in --continue-on-error --format=json --report=r.json --dump=d --seed-profile=ci; do
		run --separate-stderr confiture build "$o"
		assert_failure 5
		assert_output ""
		[[ $stderr == "confiture: ${o%%=*} is not supported: "* ]]
	done
	run --separate-stderr confiture build --seed-profile ci
	assert_failure 5
	assert_equal "$stderr" "confiture: --seed-profile is not supported: the seed files built are those of the environment's include_dirs; an environment per profile selects them"
}

@test "build --database-url shows the environment file's warnings once; --format json of a bad file is the error envelope" {
	new_db
	cp -r "$REPO/tests/fixtures/upstream-project" "$S/p"
	printf 'bogus: 1\n' >>"$S/p/db/environments/local.yaml"
	run --separate-stderr confiture build --project-dir "$S/p" --database-url "$DBURL" --force
	assert_success
	assert_equal "$(printf '%s\n' "$stderr" | grep -c 'unknown key ignored: bogus')" 1
	assert_equal "$(printf '%s\n' "$stderr" | grep -c 'ignoring keys this version does not use')" 1
	printf 'build: {[a]: 1}\n' >"$S/p/db/environments/local.yaml"
	run --separate-stderr confiture migrate status --project-dir "$S/p" --format json
	assert_failure 5
	assert_equal "$(jq -r '[.ok, .error.code] | @tsv' <<<"$output")" "$(printf 'false\tCONFIG_001')"
	assert_equal "$stderr" "conf-migrate: db/environments/local.yaml:1:9: keys must be strings"
}
