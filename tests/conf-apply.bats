#!/usr/bin/env bats
# conf-apply: a SQL stream into a database, errors at their original file:line:col

load helper

setup() {
	new_db
	S=$BATS_TEST_TMPDIR
}

teardown() {
	[ -z "${mute:-}" ] || kill "$mute" 2>/dev/null || true
}

# a stream of two files, as conf-concat writes it
two_files() {
	mkdir -p "$S/p/db/schema/10_tables"
	printf 'CREATE TABLE users (id int PRIMARY KEY);\n' >"$S/p/db/schema/10_tables/a.sql"
	cat >"$S/p/db/schema/10_tables/x.sql"
	conf-concat -C "$S/p" db/schema >"$S/stream.sql"
}

@test "applies a stream in one transaction" {
	printf 'CREATE TABLE t (a int);\nINSERT INTO t VALUES (1), (2);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	[ "$(q 'SELECT sum(a) FROM t')" = 3 ]
}

@test "an error names the original file, line, column and SQLSTATE; nothing is left behind" {
	two_files <<'SQL'
-- posts
CREATE TABLE posts (
    id int PRIMARY KEY,
    user_id int REFERENCES users
);

INSERT INTO posts VALUES (1, 1),
    (2, nope);
SQL
	run --separate-stderr conf-apply -d "$DBURL" "$S/stream.sql"
	assert_failure 1
	assert_equal "$stderr" 'conf-apply: db/schema/10_tables/x.sql:8:9: ERROR 42703: column "nope" does not exist'
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'posts')")" = 0 ]
}

@test "an error without a server position points at the statement" {
	two_files <<'SQL'
SELECT 1;


  CREATE TABLE c (x int REFERENCES missing);
SQL
	run --separate-stderr conf-apply -d "$DBURL" "$S/stream.sql"
	assert_failure 1
	assert_equal "$stderr" 'conf-apply: db/schema/10_tables/x.sql:4:3: ERROR 42P01: relation "missing" does not exist'
}

@test "columns count characters, not bytes" {
	printf -- "-- é à ü\nSELECT 'ééé', nope;\n" >"$S/u.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/u.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/u.sql:2:15: ERROR 42703: column \"nope\" does not exist"
}

@test "-a: statements before the failing one stay committed" {
	printf 'CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nINSERT INTO t VALUES (x);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/a.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/a.sql:3:23: ERROR 42703: column \"x\" does not exist"
	[ "$(q 'SELECT count(*) FROM t')" = 1 ]
}

@test "an error after many statements is still placed exactly" {
	for i in $(seq 1 250); do echo "CREATE TABLE t$i (a int);"; done >"$S/many.sql"
	echo "CREATE TABLE t7 (a int);" >>"$S/many.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/many.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/many.sql:251:1: ERROR 42P07: relation \"t7\" already exists"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE 't%' AND relkind = 'r'")" = 0 ]
}

@test "COPY FROM stdin data goes through the COPY protocol" {
	printf 'CREATE TABLE t (a int, b text);\nCOPY t (a, b) FROM stdin;\n1\tone\n2\t\\N\n3\tO'"'"'Brien; --\n\\.\nSELECT 1;\n' >"$S/c.sql"
	run --separate-stderr conf-apply -v -d "$DBURL" "$S/c.sql"
	assert_success
	assert_equal "$stderr" "$(printf 'conf-apply: 3 statements, 1 COPY blocks (3 rows) in %s s' "${stderr##* in }" | sed 's/ s s$/ s/')"
	[ "$(q "SELECT string_agg(coalesce(b, 'NULL'), ',' ORDER BY a) FROM t")" = "one,NULL,O'Brien; --" ]
}

@test "a bad COPY row is reported at its line in the file" {
	printf 'CREATE TABLE t (a int);\nCOPY t FROM stdin;\n1\n2\nthree\n\\.\n' >"$S/c.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/c.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/c.sql:5:1: ERROR 22P02: invalid input syntax for type integer: \"three\""
}

@test "COPY data without its end line is an error, and nothing is committed" {
	printf 'CREATE TABLE t (a int);\nCOPY t FROM stdin;\n1\n2\n' >"$S/c.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/c.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/c.sql:5:1: COPY data is not terminated by a line \\."
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ]
}

@test "pg_dump's \\restrict lines are skipped; other psql commands are errors" {
	printf '\\restrict abc\nCREATE TABLE t (a int);\n\\unrestrict abc\n' >"$S/d.sql"
	run conf-apply -d "$DBURL" "$S/d.sql"
	assert_success
	printf 'CREATE TABLE u (a int);\n\\connect other\n' >"$S/e.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/e.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/e.sql:2:1: psql command \\connect is not supported"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'u'")" = 0 ]
}

@test "dollar quotes, E'' strings, comments and BEGIN ATOMIC bodies stay whole" {
	cat >"$S/f.sql" <<'SQL'
CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $body$
BEGIN
  -- a ; in a comment
  RETURN 'a;b' || E'\';' || $x$;$x$;
END $body$;
/* ; */ CREATE FUNCTION g() RETURNS int LANGUAGE sql
BEGIN ATOMIC
  SELECT 1;
  SELECT 2;
END;
SELECT f();
SQL
	run --separate-stderr conf-apply -d "$DBURL" "$S/f.sql"
	assert_success
	[ "$(q 'SELECT f() || g()')" = "a;b';;2" ]
}

@test "-n runs everything and rolls it back" {
	printf 'CREATE TABLE t (a int);\n' >"$S/a.sql"
	run conf-apply -n -d "$DBURL" "$S/a.sql"
	assert_success
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ]
}

@test "transaction control and non-transactional statements are refused in one transaction, run with -a" {
	printf 'CREATE TABLE t (a int);\nCOMMIT;\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:1: transaction control statement inside a single-transaction apply: run the stream with -a or -c"
	printf 'CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n' >"$S/b.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/b.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/b.sql:2:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction block"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ]
	run conf-apply -a -d "$DBURL" "$S/b.sql"
	assert_success
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't_a'")" = 1 ]
}

@test "a statement that runs into the next file is caught" {
	two_files <<'SQL'
CREATE TABLE posts (id int)
SQL
	printf 'SELECT 1;\n' >"$S/p/db/schema/10_tables/y.sql"
	conf-concat -C "$S/p" db/schema >"$S/stream.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/stream.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: db/schema/10_tables/x.sql:1:1: the statement is not terminated by ';' and runs into the next file of the stream"
}

@test "COPY TO STDOUT is refused after its rows are read, and the run ends" {
	printf 'COPY (SELECT 1) TO STDOUT;\n' >"$S/o.sql"
	run --separate-stderr timeout 10 conf-apply -a -d "$DBURL" "$S/o.sql"
	assert_failure 4
	assert_output ""
	assert_equal "$stderr" "conf-apply: $S/o.sql:1:1: COPY TO STDOUT is not supported in a SQL stream"
	run --separate-stderr timeout 10 conf-apply -d "$DBURL" "$S/o.sql"
	assert_failure 4
}

@test "reads standard input and several files in order" {
	printf 'CREATE TABLE t (a int);\n' >"$S/1.sql"
	printf 'INSERT INTO t VALUES (5);\n' >"$S/2.sql"
	run conf-apply -d "$DBURL" "$S/1.sql" "$S/2.sql"
	assert_success
	run bash -c "echo 'INSERT INTO t VALUES (6);' | conf-apply -d '$DBURL'"
	assert_success
	[ "$(q 'SELECT sum(a) FROM t')" = 11 ]
	run --separate-stderr bash -c "echo 'SELECT nope;' | conf-apply -d '$DBURL' -"
	assert_failure 1
	assert_equal "$stderr" 'conf-apply: <stdin>:1:8: ERROR 42703: column "nope" does not exist'
}

@test "-c creates the database; an existing one needs -f; a failed build leaves the old one" {
	printf 'CREATE TABLE v1 (a int);\n' >"$S/v1.sql"
	printf 'CREATE TABLE v2 (a int);\nSELECT nope;\n' >"$S/v2.sql"
	url=${DBURL/\/$DB?//${DB}_c?}
	run --separate-stderr conf-apply -c -d "$url" "$S/v1.sql"
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr conf-apply -c -d "$url" "$S/v1.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-apply: database \"${DB}_c\" exists and would be replaced: allow it with -f"
	run --separate-stderr conf-apply -c -f -d "$url" "$S/v2.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/v2.sql:2:8: ERROR 42703: column \"nope\" does not exist"
	[ "$(psql -XAtq -d "${DB}_c" -c "SELECT string_agg(relname, ',') FROM pg_class WHERE relname LIKE 'v_'")" = v1 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
	printf 'CREATE TABLE v3 (a int);\n' >"$S/v3.sql"
	run conf-apply -c -f -d "$url" "$S/v3.sql"
	assert_success
	[ "$(psql -XAtq -d "${DB}_c" -c "SELECT string_agg(relname, ',') FROM pg_class WHERE relname LIKE 'v_'")" = v3 ]
}

@test "an unreachable server exits 3 and never prints the password" {
	run --separate-stderr conf-apply -d "postgresql://bob:s3cret@/nodb?host=$S/nosocket" "$S/none.sql"
	assert_failure 3
	refute [ -z "$stderr" ]
	[[ $stderr != *s3cret* ]]
	[[ $stderr == "conf-apply: cannot connect to "*"user='bob'"*"No such file or directory" ]]
}

@test "the environment file gives the connection; the flag and CONFITURE_DATABASE_URL win" {
	mkdir -p "$S/p/db/environments"
	printf 'database_url: %s\n' "$DBURL" >"$S/p/db/environments/dev.yaml"
	printf 'CREATE TABLE from_env (a int);\n' >"$S/a.sql"
	run conf-apply -C "$S/p" -e dev "$S/a.sql"
	assert_success
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'from_env'")" = 1 ]
	CONFITURE_DATABASE_URL="dbname=nowhere host=$S/nosocket" run conf-apply -C "$S/p" -e dev "$S/a.sql"
	assert_failure 3
}

@test "usage errors exit 5" {
	run conf-apply -x
	assert_failure 5
	assert_line --index 0 "conf-apply: invalid option -- 'x'"
	assert_line --index 1 "conf-apply: usage: conf-apply [-1 | -a] [-n] [-c [-f]] [-d conninfo] [-e env] [-C dir] [-v] [file ...]"
	run conf-apply -n -a /dev/null
	assert_failure 5
	run conf-apply -f /dev/null
	assert_failure 5
}

@test "SIGINT cancels the running statement and rolls everything back" {
	printf 'CREATE TABLE t (a int);\nSELECT pg_sleep(20);\n' >"$S/s.sql"
	conf-apply -d "$DBURL" "$S/s.sql" 2>"$S/err" &
	pid=$!
	for _ in $(seq 100); do
		# the sleep itself, not a batch that holds it: the signal must land in statement 2
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" = 1 ] && break
		sleep 0.1
	done
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = 130 ]
	assert_equal "$(cat "$S/err")" "$(printf '%s\n' "conf-apply: $S/s.sql:2:1: ERROR 57014: canceling statement due to user request" 'conf-apply: interrupted: rolled back')"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ]
}

@test "pg_dump --data-only | conf-apply loads a real dump, \\restrict lines and all" {
	q "CREATE TABLE t (id int PRIMARY KEY, note text); INSERT INTO t SELECT g, 'row ' || g || E'\\t;''\\\\' FROM generate_series(1, 5000) g" >/dev/null
	src=$DB
	new_db dst
	q "CREATE TABLE t (id int PRIMARY KEY, note text)" >/dev/null
	run --separate-stderr bash -c "pg_dump --data-only -d '$src' | conf-apply -v -d '$DBURL'"
	assert_success
	[[ $stderr == "conf-apply: "*" statements, 1 COPY blocks (5000 rows) in "* ]]
	[ "$(q 'SELECT count(*), md5(string_agg(note, $$|$$ ORDER BY id)) FROM t')" = \
		"$(psql -XAtq -d "$src" -c 'SELECT count(*), md5(string_agg(note, $$|$$ ORDER BY id)) FROM t')" ]
	grep -q '^\\restrict' <(pg_dump --data-only -d "$src") || skip "this pg_dump writes no \\restrict line"
}

# a service file naming $1 as the database of service "app"
service_file() {
	printf '[app]\nhost=%s\nport=%s\nuser=postgres\ndbname=%s\n' "$PGHOST" "$PGPORT" "$1" >"$S/pg_service.conf"
	export PGSERVICEFILE=$S/pg_service.conf
}

@test "-c replaces the database the service file names, not the one named after the user" {
	service_file "${DB}_svc"
	psql -XAtq -c "CREATE DATABASE \"${DB}_svc\"" -c "CREATE DATABASE \"$(id -un)\"" >/dev/null 2>&1 || true
	psql -XAtq -d "$(id -un)" -c 'CREATE TABLE keep_me (a int)' >/dev/null
	printf 'CREATE TABLE built (a int);\n' >"$S/a.sql"
	run --separate-stderr env -u PGDATABASE -u PGUSER conf-apply -c -f -d service=app "$S/a.sql"
	assert_success
	[ "$(psql -XAtq -d "${DB}_svc" -c "SELECT count(*) FROM pg_class WHERE relname = 'built'")" = 1 ]
	[ "$(psql -XAtq -d "$(id -un)" -c "SELECT count(*) FROM pg_class WHERE relname = 'keep_me'")" = 1 ]
	printf 'CREATE TABLE built2 (a int);\n' >"$S/b.sql"
	run --separate-stderr env -u PGDATABASE -u PGUSER PGSERVICE=app conf-apply -c -f "$S/b.sql"
	assert_success
	[ "$(psql -XAtq -d "${DB}_svc" -c "SELECT count(*) FROM pg_class WHERE relname = 'built2'")" = 1 ]
	[ "$(psql -XAtq -d "$(id -un)" -c "SELECT count(*) FROM pg_class WHERE relname = 'keep_me'")" = 1 ]
	psql -XAtq -c "DROP DATABASE \"$(id -un)\"" -c "DROP DATABASE \"${DB}_svc\"" >/dev/null
}

@test "-c resolves PGDATABASE and URIs like libpq; a dbname holding a connection string is refused" {
	printf 'CREATE TABLE built (a int);\n' >"$S/a.sql"
	run --separate-stderr env PGDATABASE="${DB}_env" conf-apply -c "$S/a.sql"
	assert_success
	[ "$(psql -XAtq -d "${DB}_env" -c "SELECT count(*) FROM pg_class WHERE relname = 'built'")" = 1 ]
	run --separate-stderr conf-apply -c -f -d "dbname=postgresql://u:pw@/${DB}_env" "$S/a.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-apply: the connection string from -d has a dbname that is itself a connection string, which libpq does not expand: give that string directly"
	run --separate-stderr env PGDATABASE="postgresql:///${DB}_env" conf-apply -c -f "$S/a.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-apply: the database name from the PG* variables is itself a connection string: give that string directly"
	run --separate-stderr env -u PGDATABASE PGSERVICE=nosuch conf-apply -c -f "$S/a.sql"
	assert_failure 5
	assert_equal "$stderr" "conf-apply: cannot connect to the default database (PG* variables): definition of service \"nosuch\" not found"
	psql -XAtq -c "DROP DATABASE \"${DB}_env\"" >/dev/null
}

@test "an unparsable connection string is never quoted, wherever it comes from" {
	printf 'SELECT 1;\n' >"$S/a.sql"
	mkdir -p "$S/p/db/environments"
	for u in 'postgresql://bob:S3c%zzretPW@h/db' 'postgresql://bob:S3cretPW@[::1/db' 'host=h password=S3cret PW'; do
		for c in '' -c; do
			run --separate-stderr conf-apply $c -d "$u" "$S/a.sql"
			assert_equal "$stderr" "conf-apply: the connection string from -d cannot be parsed (libpq's reason is not shown: it quotes the string, which may hold a password)"
			[ "$status" = "$([ -n "$c" ] && echo 5 || echo 3)" ]
			run --separate-stderr env DATABASE_URL="$u" conf-apply $c "$S/a.sql"
			assert_equal "$stderr" "conf-apply: the connection string from DATABASE_URL cannot be parsed (libpq's reason is not shown: it quotes the string, which may hold a password)"
			run --separate-stderr env CONFITURE_DATABASE_URL="$u" conf-apply $c "$S/a.sql"
			assert_equal "$stderr" "conf-apply: the connection string from CONFITURE_DATABASE_URL cannot be parsed (libpq's reason is not shown: it quotes the string, which may hold a password)"
			printf "database_url: '%s'\n" "$u" >"$S/p/db/environments/dev.yaml"
			run --separate-stderr conf-apply $c -C "$S/p" -e dev "$S/a.sql"
			assert_equal "$stderr" "conf-apply: the connection string from database_url of the environment cannot be parsed (libpq's reason is not shown: it quotes the string, which may hold a password)"
		done
	done
}

@test "a directory is a usage error, before connecting" {
	run --separate-stderr conf-apply -d "host=$S/nosocket" "$S"
	assert_failure 5
	assert_equal "$stderr" "conf-apply: $S is a directory: give SQL files, or build one with conf-concat"
}

@test "-d with a plain database name works with -c" {
	printf 'CREATE TABLE built (a int);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -c -f -d "${DB}" "$S/a.sql"
	assert_success
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'built'")" = 1 ]
}

@test "a target name holding printf directives is data, never a format: it builds under that name" {
	printf 'CREATE TABLE built (a int);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -c -f -d "dbname=app%s%s%s%n host=$PGHOST port=$PGPORT user=postgres" "$S/a.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(psql -XAtq -d 'app%s%s%s%n' -c "SELECT count(*) FROM pg_class WHERE relname = 'built'")" = 1 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture\\_build\\_%'")" = 0 ]
	psql -XAtq -c 'DROP DATABASE "app%s%s%s%n"' >/dev/null
}

# wait_for SQL-LIKE: wait until another session runs a query matching the pattern
wait_for() {
	for _ in $(seq 100); do
		[ "$(psql -XAtq -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '$1' AND pid <> pg_backend_pid()")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

@test "two -c builds of the same target: the second fails clearly and the first finishes" {
	printf 'CREATE TABLE slow (a int);\nSELECT pg_sleep(3);\n' >"$S/slow.sql"
	printf 'CREATE TABLE fast (a int);\n' >"$S/fast.sql"
	conf-apply -c -f -d "$DBURL" "$S/slow.sql" 2>"$S/err1" &
	pid=$!
	wait_for '%pg_sleep(3)%'
	run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/fast.sql"
	assert_failure 6
	assert_equal "$stderr" "conf-apply: database \"$DB\" is being built by another conf-apply -c: try again when it is done"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" = 0 ]
	assert_equal "$(cat "$S/err1")" ""
	[ "$(q "SELECT string_agg(relname, ',') FROM pg_class WHERE relname IN ('slow', 'fast')")" = slow ]
}

@test "SIGTERM while -c waits to drop the old database: it stops at once and says nothing was replaced" {
	q 'CREATE TABLE old (a int)' >/dev/null
	printf 'CREATE TABLE new (a int);\n' >"$S/new.sql"
	# a session holding a lock on the database object makes DROP DATABASE wait
	psql -XAtq -c "BEGIN" -c "ALTER DATABASE \"$DB\" CONNECTION LIMIT 50" -c "SELECT pg_sleep(15)" >/dev/null 2>&1 &
	holder=$!
	wait_for '%pg_sleep(15)%'
	conf-apply -c -f -d "$DBURL" "$S/new.sql" 2>"$S/err" &
	pid=$!
	wait_for 'DROP DATABASE "%'
	t0=$(date +%s%N)
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s%N)
	kill "$holder" 2>/dev/null || true
	wait "$holder" || true
	[ "$rc" = 143 ]
	[ $(((t1 - t0) / 1000000)) -lt 1500 ]
	assert_equal "$(cat "$S/err")" "$(printf '%s\n' 'conf-apply: ERROR 57014: canceling statement due to user request' 'conf-apply: interrupted: the database was not replaced')"
	[ "$(q "SELECT string_agg(relname, ',') FROM pg_class WHERE relname IN ('old', 'new')")" = old ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
}

# a stream as conf-concat frames it: header, one marker per file, end line
framed() {
	printf -- '-- confiture:build env=local hash=abc files=%s\n' "$1"
	printf -- '-- confiture:file db/schema/a.sql sha256=0\nCREATE TABLE a (x int);\n'
	printf -- '-- confiture:file db/schema/b.sql sha256=0\nCREATE TABLE b (x int);\n'
	[ -z "${2:-}" ] || printf -- '-- confiture:end files=%s\n' "$1"
}

@test "-c refuses empty input and keeps the target" {
	q 'CREATE TABLE keep (a int)' >/dev/null
	run --separate-stderr bash -c "false | conf-apply -c -f -d '$DBURL'"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: the input is empty: no database is built from it"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'keep'")" = 1 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
}

@test "a framed stream with files missing or no end line is refused in every mode; a whole one builds" {
	q 'CREATE TABLE keep (a int)' >/dev/null
	framed 3 end >"$S/short.sql"
	framed 2 >"$S/noend.sql"
	run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/short.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/short.sql: the stream is incomplete: its header announces 3 files and 2 came"
	run --separate-stderr bash -c "conf-apply -c -f -d '$DBURL' <'$S/noend.sql'"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: <stdin>: the stream is incomplete: its end line is missing (did its producer fail?)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('keep', 'a', 'b')")" = 1 ]
	run --separate-stderr conf-apply -d "$DBURL" "$S/noend.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/noend.sql: the stream is incomplete: its end line is missing (did its producer fail?)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b')")" = 0 ]
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/noend.sql"
	assert_failure 4
	assert_equal "$stderr" "$(printf '%s\n' "conf-apply: $S/noend.sql: the stream is incomplete: its end line is missing (did its producer fail?)" "conf-apply: 2 statements of it ran and stay committed (-a)")"
	framed 2 end >"$S/whole.sql"
	run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/whole.sql"
	assert_success
	[ "$(q "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('keep', 'a', 'b')")" = a,b ]
}

@test "pg_dump of large objects restores in one transaction: the dump's BEGIN ... COMMIT joins it" {
	q "CREATE TABLE doc (id int, blob oid); INSERT INTO doc VALUES (1, lo_from_bytea(0, 'hello large object'::bytea))" >/dev/null
	src=$DB
	new_db dst
	run --separate-stderr bash -c "pg_dump -d '$src' | conf-apply -d '$DBURL'"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q "SELECT convert_from(lo_get(blob), 'UTF8') FROM doc")" = "hello large object" ]
	# a failure after the block rolls the large object back with everything else
	new_db dst2
	run --separate-stderr bash -c "{ pg_dump -d '$src'; echo 'SELECT nope;'; } | conf-apply -d '$DBURL'"
	assert_failure 1
	[ "$(q "SELECT count(*) FROM pg_largeobject_metadata")" = 0 ]
}

@test "-1: a BEGIN without COMMIT, transaction modes, nesting and ROLLBACK are refused" {
	printf 'BEGIN;\nCREATE TABLE t (a int);\n' >"$S/open.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/open.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/open.sql:1:1: BEGIN without COMMIT: psql would roll this block back; run it with -a to do the same"
	printf 'BEGIN ISOLATION LEVEL SERIALIZABLE;\nCOMMIT;\n' >"$S/iso.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/iso.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/iso.sql:1:1: transaction control statement inside a single-transaction apply: run the stream with -a or -c"
	printf 'BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;\n' >"$S/nest.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/nest.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/nest.sql:2:1: transaction control statement inside a single-transaction apply: run the stream with -a or -c"
	printf 'begin work ;\nCREATE TABLE t (a int);\nROLLBACK;\n' >"$S/rb.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/rb.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/rb.sql:3:1: transaction control statement inside a single-transaction apply: run the stream with -a or -c"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ]
}

@test "-c runs each statement as its own transaction, as psql -f does (ALTER TYPE ... ADD VALUE then its use)" {
	printf "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';\nCREATE TABLE t (m mood DEFAULT 'happy');\n" >"$S/e.sql"
	for i in $(seq 1 150); do echo "CREATE TABLE p$i (a int);"; done >>"$S/e.sql"
	printf "INSERT INTO t DEFAULT VALUES;\n" >>"$S/e.sql"
	run --separate-stderr conf-apply -c -f -v -d "$DBURL" "$S/e.sql"
	assert_success
	[[ $stderr == "conf-apply: database \"$DB\" replaced"$'\n'"conf-apply: 154 statements, 0 COPY blocks (0 rows) in "* ]]
	[ "$(q 'SELECT m FROM t')" = happy ]
	for i in $(seq 1 150); do echo "CREATE TABLE p$i (a int);"; done >"$S/f.sql"
	printf 'SELECT 1/0;\n' >>"$S/f.sql"
	for i in $(seq 151 300); do echo "CREATE TABLE p$i (a int);"; done >>"$S/f.sql"
	run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/f.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/f.sql:151:1: ERROR 22012: division by zero"
	[ "$(q 'SELECT m FROM t')" = happy ]
}

@test "SIGTERM while reading a producer that never ends: stops at once, says what was kept" {
	mkfifo "$S/fifo"
	for mode in -1 -c; do
		# the producer writes a statement and then holds the pipe open forever
		{ printf 'CREATE TABLE a (x int);\n'; exec sleep 60; } >"$S/fifo" &
		producer=$!
		if [ "$mode" = -c ]; then
			conf-apply -c -f -d "$DBURL" "$S/fifo" 2>"$S/err" &
		else
			conf-apply -d "$DBURL" "$S/fifo" 2>"$S/err" &
		fi
		pid=$!
		sleep 1
		t0=$(date +%s%N)
		kill -TERM "$pid"
		rc=0
		wait "$pid" || rc=$?
		t1=$(date +%s%N)
		kill "$producer" 2>/dev/null || true
		wait "$producer" 2>/dev/null || true
		[ "$rc" = 143 ]
		[ $(((t1 - t0) / 1000000)) -lt 1500 ]
		if [ "$mode" = -c ]; then
			assert_equal "$(cat "$S/err")" "conf-apply: interrupted: the database was not replaced"
		else
			assert_equal "$(cat "$S/err")" "conf-apply: interrupted: rolled back"
		fi
		[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'a'")" = 0 ]
	done
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
}

@test "-c refuses role statements before anything cluster-wide runs; nothing is left behind" {
	printf 'CREATE TABLE t (a int);\nCREATE ROLE %s_r;\nCREATE TABLESPACE ts LOCATION '"'"'/nowhere'"'"';\n' "$DB" >"$S/r.sql"
	run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/r.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/r.sql:2:1: CREATE ROLE acts outside the database being built"
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_roles WHERE rolname = '${DB}_r'")" = 0 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
	psql -XAtq -c "CREATE ROLE ${DB}_g" >/dev/null
	for stmt in "GRANT ${DB}_g TO postgres" "ALTER ROLE ${DB}_g SET work_mem = '8MB'" "DROP ROLE ${DB}_g"; do
		printf 'CREATE TABLE t (a int);\n%s;\n' "$stmt" >"$S/g.sql"
		run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/g.sql"
		assert_failure 4
		[[ $stderr == "conf-apply: $S/g.sql:2:1: "*" acts outside the database being built" ]]
	done
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE r.rolname = '${DB}_g'")" = 0 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole WHERE r.rolname = '${DB}_g'")" = 0 ]
	psql -XAtq -c "DROP ROLE ${DB}_g" >/dev/null
}

# a "server" on a Unix socket in $S that accepts connections and never answers
mute_server() {
	command -v python3 >/dev/null || skip "python3 is needed for a server that never answers"
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1] + "/.s.PGSQL.5432")
s.listen(5)
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)' "$S" &
	mute=$!
	for _ in $(seq 50); do [ -S "$S/.s.PGSQL.5432" ] && return 0; sleep 0.1; done
	return 1
}

@test "SIGTERM while the server does not answer the connection: stops at once; the wait has a timeout" {
	mute_server
	printf 'SELECT 1;\n' >"$S/a.sql"
	conf-apply -d "host=$S port=5432 dbname=x" "$S/a.sql" 2>"$S/err" &
	pid=$!
	sleep 1
	t0=$(date +%s%N)
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s%N)
	[ "$rc" = 143 ]
	[ $(((t1 - t0) / 1000000)) -lt 1500 ]
	assert_equal "$(cat "$S/err")" "conf-apply: interrupted: rolled back"
	run --separate-stderr env PGCONNECT_TIMEOUT=2 conf-apply -d "host=$S port=5432 dbname=x" "$S/a.sql"
	kill "$mute" 2>/dev/null || true
	assert_failure 3
	assert_equal "$stderr" "conf-apply: cannot connect to dbname='x' host='$S' port='5432': timeout expired"
}

@test "-c refuses every statement on a shared object (database, tablespace, role ACL, comment, label) before it runs" {
	other=${DB}_o
	PGOPTIONS="-c client_min_messages=warning" psql -XAtq -c "DROP DATABASE IF EXISTS $other" -c "CREATE DATABASE $other" >/dev/null
	while IFS='|' read -r stmt why; do
		printf 'CREATE TABLE t (a int);\n%s;\n' "$stmt" >"$S/s.sql"
		run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/s.sql"
		assert_failure 4
		assert_equal "$stderr" "conf-apply: $S/s.sql:2:1: $why acts outside the database being built"
	done <<X
ALTER DATABASE $other RENAME TO ${other}_r|ALTER DATABASE ... RENAME
ALTER DATABASE $other SET work_mem = '77MB'|ALTER DATABASE ... SET
ALTER DATABASE $other RESET ALL|ALTER DATABASE ... SET
ALTER DATABASE $other OWNER TO postgres|ALTER DATABASE ... OWNER
ALTER DATABASE $other WITH CONNECTION LIMIT 3|ALTER DATABASE
ALTER DATABASE $other REFRESH COLLATION VERSION|ALTER DATABASE ... REFRESH COLLATION VERSION
GRANT CREATE ON DATABASE $other TO public|GRANT ON DATABASE
REVOKE CREATE ON TABLESPACE ${DB}_nots FROM public|REVOKE ON TABLESPACE
GRANT SET ON PARAMETER work_mem TO public|GRANT ON PARAMETER
COMMENT ON DATABASE $other IS 'pwned'|COMMENT ON DATABASE
COMMENT ON TABLESPACE ${DB}_nots IS 'pwned'|COMMENT ON TABLESPACE
SECURITY LABEL ON DATABASE $other IS 'x'|SECURITY LABEL ON DATABASE
SECURITY LABEL ON ROLE postgres IS 'x'|SECURITY LABEL ON ROLE
ALTER TABLESPACE ${DB}_nots SET (seq_page_cost = 2)|ALTER TABLESPACE
ALTER TABLESPACE ${DB}_nots RENAME TO x|ALTER TABLESPACE ... RENAME
ALTER TABLESPACE ${DB}_nots OWNER TO postgres|ALTER TABLESPACE ... OWNER
REASSIGN OWNED BY public TO postgres|REASSIGN OWNED
DROP OWNED BY postgres|DROP OWNED
ALTER SYSTEM SET work_mem = '1MB'|ALTER SYSTEM
X
	[ "$(psql -XAtq -c "SELECT datname, datconnlimit, datacl IS NULL, shobj_description(oid, 'pg_database') IS NULL FROM pg_database WHERE datname LIKE '${other}%'")" = "$other|-1|t|t" ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = '$other'")" = 0 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
	psql -XAtq -c "DROP DATABASE $other" >/dev/null
}

@test "a server with standard_conforming_strings off is refused before anything runs, whatever set it" {
	printf 'CREATE TABLE t (a text);\nCOPY t FROM STDIN WITH (NULL '"'"'a\\'"''"') ; CREATE ROLE %s_e; --'"'"');\nx\n\\.\n' "$DB" >"$S/s.sql"
	msg="conf-apply: the server has standard_conforming_strings off (from PGOPTIONS, ALTER DATABASE or ROLE ... SET, or its configuration): the reader would not see string literals as the server does, so nothing is run"
	for mode in -1 -a -c; do
		f=; [ "$mode" != -c ] || f=-f
		PGOPTIONS='-c standard_conforming_strings=off' run --separate-stderr conf-apply $mode $f -d "$DBURL" "$S/s.sql"
		assert_failure 4
		assert_equal "$stderr" "$msg"
	done
	q "ALTER DATABASE \"$DB\" SET standard_conforming_strings = off"
	run --separate-stderr conf-apply -d "$DBURL" "$S/s.sql"
	assert_failure 4
	assert_equal "$stderr" "$msg"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't'")" = 0 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_roles WHERE rolname = '${DB}_e'")" = 0 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
}

@test "a statement that turns standard_conforming_strings off stops the run there; nothing after it runs or stays" {
	for off in "UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'" \
		"DO \$\$BEGIN PERFORM set_config('standard_conforming_strings', 'off', false); END\$\$" \
		"SELECT set_config('standard_conforming_' || 'strings', 'off', false)"; do
		printf 'CREATE TABLE t1 (a int);\n%s;\nCREATE TABLE t (a text);\nCOPY t FROM STDIN WITH (NULL '"'"'a\\'"''"') ; COMMIT; CREATE ROLE %s_e; --'"'"');\nx\n\\.\nCREATE TABLE t2 (a int);\n' "$off" "$DB" >"$S/s.sql"
		for mode in -1 -a -c; do
			f=; [ "$mode" != -c ] || f=-f
			run --separate-stderr conf-apply $mode $f -d "$DBURL" "$S/s.sql"
			assert_failure 4
			assert_equal "$stderr" "conf-apply: $S/s.sql:2:1: this statement turned standard_conforming_strings off: the reader would no longer see string literals as the server does, so nothing after it runs"
			[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('t', 't2')")" = 0 ]
			if [ "$mode" = -a ]; then q 'DROP TABLE t1'; else [ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't1'")" = 0 ]; fi
		done
	done
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_roles WHERE rolname = '${DB}_e'")" = 0 ]
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_build_%'")" = 0 ]
}

# Defence in depth: the reader and the server disagreeing on where a statement ends (here a
# "--" comment ended by a lone CR, which the reader is being taught) must never let the server
# run a statement the reader did not see. Every statement goes out with the extended protocol,
# which refuses several statements in one text. Which layer refuses (the reader or the server)
# may change, so the status and stderr are pinned only to "refused, at line 2, role not created".
@test "a comment ended by a lone CR hides nothing: the statements after it are seen as psql sees them" {
	printf 'CREATE TABLE a (x int);\nBEGIN -- x\r; CREATE ROLE %s_e NOLOGIN;\n;\nCOMMIT;\n' "$DB" >"$S/s.sql"
	run --separate-stderr conf-apply -c -f -d "$DBURL" "$S/s.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/s.sql:2:14: CREATE ROLE acts outside the database being built"
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_roles WHERE rolname = '${DB}_e'")" = 0 ]
	# -a runs what psql -f runs: the role, in the stream's own transaction
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/s.sql"
	assert_success
	[ "$(psql -XAtq -c "SELECT count(*) FROM pg_roles WHERE rolname = '${DB}_e'")" = 1 ]
	psql -XAtq -c "DROP ROLE ${DB}_e"
}

@test "conf-migrate runs migrations through the same check: a migration that turns standard_conforming_strings off fails unrecorded" {
	mkdir -p "$S/m/db/migrations"
	printf 'CREATE TABLE t (a text);\n' >"$S/m/db/migrations/001_t.up.sql"
	printf "CREATE TABLE t1 (a int);\nUPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings';\nCREATE TABLE t2 (a int);\n" >"$S/m/db/migrations/002_off.up.sql"
	run --separate-stderr conf-migrate -C "$S/m" -d "$DBURL" up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/002_off.up.sql:2:1: this statement turned standard_conforming_strings off: the reader would no longer see string literals as the server does, so nothing after it runs"
	[ "$(q "SELECT string_agg(version, ',') FROM tb_confiture")" = 001 ]
	[ "$(q "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('t', 't1', 't2')")" = t ]
	rm "$S/m/db/migrations/002_off.up.sql"
	printf 'CREATE TABLE t3 (a int);\n' >"$S/m/db/migrations/003_t3.up.sql"
	PGOPTIONS='-c standard_conforming_strings=off' run --separate-stderr conf-migrate -C "$S/m" -d "$DBURL" up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: the server has standard_conforming_strings off (from PGOPTIONS, ALTER DATABASE or ROLE ... SET, or its configuration): the reader would not see string literals as the server does, so nothing is run"
	[ "$(q "SELECT string_agg(version, ',') FROM tb_confiture")" = 001 ]
}
