#!/usr/bin/env bats
# the SQL stream reader (lib/sqlsrc), driven through conf-apply: nothing read is lost

load helper

setup() {
	new_db
	S=$BATS_TEST_TMPDIR
}

@test "a piece with no keyword is sent to the server and fails at its position" {
	printf 'CREATE TABLE t3 (a int);\nSELEC 1;\nCOPY t3 FROM stdin;\n1\n\\.\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:1: ERROR 42601: syntax error at or near \"SELEC\""
	printf 'CREATE TABLE t4 (a int);\n  xxx;\n' >"$S/b.sql"
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/b.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/b.sql:2:3: ERROR 42601: syntax error at or near \"xxx\""
	printf 'SELECT 1; :show_data;\n' >"$S/c.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/c.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/c.sql:1:11: ERROR 42601: syntax error at or near \":\""
}

@test "text after COPY ... FROM stdin on its line is refused at its position, never dropped" {
	printf 'CREATE TABLE t (a int);\nCOPY t FROM stdin; INSERT INTO t VALUES (9);\n1\n\\.\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:20: text after COPY ... FROM stdin on the same line: put it after the data"
	# a comment there is fine
	printf 'CREATE TABLE t (a int);\nCOPY t FROM stdin; -- rows\n1\n\\.\n' >"$S/b.sql"
	run conf-apply -d "$DBURL" "$S/b.sql"
	assert_success
	[ "$(q 'SELECT sum(a) FROM t')" = 1 ]
}

@test "a NUL byte is an error at its position, not the end of the input" {
	printf 'CREATE TABLE n1 (a int);\n\0\nCREATE TABLE n2 (a int);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:1: NUL byte in the input: the rest of it is not read"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('n1', 'n2')")" = 0 ]
	# in -a what came before it runs, as psql would have run it
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/a.sql"
	assert_failure 4
	[ "$(q "SELECT string_agg(relname, ',') FROM pg_class WHERE relname IN ('n1', 'n2')")" = n1 ]
	# inside a literal, and inside COPY data
	printf "SELECT 'a\0b';\n" >"$S/b.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/b.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/b.sql:1:10: NUL byte in the input: the rest of it is not read"
	printf 'CREATE TABLE c (a text);\nCOPY c FROM stdin;\nx\ny\0\n\\.\n' >"$S/c.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/c.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/c.sql:4:2: NUL byte in the input: the rest of it is not read"
}

@test "-a: every statement before a reader error runs, however far into the input" {
	{
		printf -- '-- %0120000d\n' 0
		printf 'CREATE TABLE a1 (x int);\nCREATE TABLE a2 (x int);\nSELECT $$never closed;\n'
	} >"$S/a.sql"
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:4:8: ERROR 42601: unterminated dollar-quoted string at or near \"\$\$never closed;...\""
	[ "$(q "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('a1', 'a2')")" = a1,a2 ]
}

@test "a backslash line inside a comment, a literal or a dollar quote is no psql command" {
	printf '/*\n\\connect other\n*/\nCREATE TABLE b1 (a text DEFAULT %s);\nSELECT $f$\n\\x\n$f$;\n' "$(printf "'x\n\\\\y'")" >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'b1'")" = 1 ]
}

@test "a byte-order mark at the start of the input or of a file is skipped" {
	printf '\357\273\277CREATE TABLE bom (a int);\nSELECT nope;\n' >"$S/a.sql"
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/a.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:8: ERROR 42703: column \"nope\" does not exist"
	printf '\357\273\277SELECT nope;\n' >"$S/b.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/b.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/b.sql:1:8: ERROR 42703: column \"nope\" does not exist"
	mkdir -p "$S/p/db/schema"
	printf 'CREATE TABLE bom1 (a int);\n' >"$S/p/db/schema/1.sql"
	printf '\357\273\277CREATE TABLE bom2 (a int);\n' >"$S/p/db/schema/2.sql"
	conf-concat -C "$S/p" db/schema >"$S/stream.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/stream.sql"
	assert_equal "$stderr" ""
	assert_success
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('bom1', 'bom2')")" = 2 ]
}

@test "an unterminated statement at the end is reported where it ends, not past it" {
	printf 'SELECT 1;\nSELECT (1\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:10: ERROR 42601: syntax error at end of input"
}

@test "turning standard_conforming_strings off is refused at its position" {
	for set in "SET standard_conforming_strings = off" "SET LOCAL standard_conforming_strings TO false" \
		"set session STANDARD_CONFORMING_STRINGS = 0" "SELECT set_config('standard_conforming_strings', 'off', false)"; do
		printf 'CREATE TABLE s (a int);\n  %s;\nCOMMIT;\n' "$set" >"$S/a.sql"
		run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
		assert_failure 4
		assert_equal "$stderr" "conf-apply: $S/a.sql:2:3: standard_conforming_strings cannot be turned off in a SQL stream: backslashes in literals would then be read differently from the server"
	done
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 's'")" = 0 ]
	printf 'SET standard_conforming_strings = on;\nSET standard_conforming_strings TO DEFAULT;\n' >"$S/b.sql"
	run conf-apply -d "$DBURL" "$S/b.sql"
	assert_success
}

@test "a BEGIN ATOMIC body may hold any number of statements" {
	{
		echo 'CREATE TABLE t (a int);'
		echo 'CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC'
		for i in $(seq 1 300); do echo "  INSERT INTO t VALUES (CASE WHEN $i > 0 THEN $i END);"; done
		echo 'END;'
		echo 'CALL p();'
	} >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_success
	[ "$(q 'SELECT count(*) FROM t')" = 300 ]
}

@test "SIGTERM ends a read from a producer that never finishes" {
	mkfifo "$S/fifo"
	sleep 60 >"$S/fifo" &
	writer=$!
	conf-apply -a -d "$DBURL" "$S/fifo" 2>"$S/err" &
	reader=$!
	sleep 0.5
	kill -TERM "$reader"
	t0=$(date +%s%N)
	status=0
	wait "$reader" || status=$?
	t1=$(date +%s%N)
	kill "$writer"
	[ "$status" -eq 143 ]
	[ $(((t1 - t0) / 1000000)) -lt 1000 ]
	assert_equal "$(cat "$S/err")" "conf-apply: interrupted: stopped"
}

@test "a -- comment ends at a lone CR, as in the server and psql: the statement after it runs" {
	printf -- '-- users table\rCREATE TABLE users (id int);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 1 ]
	# between the two halves of a continued literal
	printf "CREATE TABLE q AS SELECT 'a' -- c\r'b' AS x;\nSELECT 1;\n" >"$S/b.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/b.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q 'SELECT x FROM q')" = ab ]
	# after COPY ... FROM stdin: the text after the CR would run after the data
	printf 'CREATE TABLE t (a int);\nCOPY t FROM stdin; -- rows\rINSERT INTO t VALUES (9);\n1\n\\.\n' >"$S/c.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/c.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/c.sql:2:28: text after COPY ... FROM stdin on the same line: put it after the data"
	printf 'CREATE TABLE t (a int);\r\nCOPY t FROM stdin; -- rows\r\n1\r\n\\.\r\n' >"$S/d.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/d.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q 'SELECT sum(a) FROM t')" = 1 ]
}

@test "a read boundary between the two dashes of a comment after COPY ... FROM stdin is no error" {
	# the first '-' is the last byte of the first 256 KiB read
	{
		printf 'CREATE TABLE t (a int);\n--'
		head -c 262097 /dev/zero | tr '\0' x
		printf '\nCOPY t FROM stdin; -- note\n1\n\\.\n'
	} >"$S/a.sql"
	[ "$(head -c 262144 "$S/a.sql" | tail -c 3)" = '; -' ]
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q 'SELECT sum(a) FROM t')" = 1 ]
}

@test "text after the end line of a framed stream is named as such" {
	{
		printf -- '-- confiture:build env=local hash=abc files=1\n'
		printf -- '-- confiture:file db/schema/a.sql sha256=0\nCREATE TABLE a (x int);\n'
		printf -- '-- confiture:end files=1\n\n-- EOF\n'
	} >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:6:1: the stream goes on after its end line (was text appended to it?)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'a'")" = 0 ]
}

@test "a piece the server would run as several statements is refused where the server ends the first" {
	# psql's BEGIN ... END rule takes the function named begin for a body: no ';' ends it before END
	printf "CREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE TABLE sneaky (a int);\nEND;\n" >"$S/a.sql"
	run --separate-stderr conf-apply -a -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:1:63: this text holds several statements for the server but one for the reader: the server ends one at this ';'"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'sneaky'")" = 0 ]
	run --separate-stderr conf-apply -l "$S/a.sql"
	assert_failure 4
}

@test "psql \\g and \\gx end a statement and run it; \\gdesc ends one without running it; \\gexec is refused where it stands" {
	printf 'CREATE TABLE g1 (a int)\n\\g\nCREATE TABLE g2 (a int) \\gx\nCREATE TABLE g3 (a int) \\gdesc\nCREATE TABLE g4 (a int);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_success
	assert_equal "$stderr" ""
	[ "$(q "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'g_'")" = g1,g2,g4 ]
	printf 'CREATE TABLE x1 (a int);\nSELECT $$CREATE TABLE x2 (a int)$$ \\gexec\n' >"$S/b.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/b.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/b.sql:2:36: psql command \\gexec is not supported: the statements its query returns cannot be run"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('x1', 'x2')")" = 0 ]
	printf 'SELECT 1 AS v \\gset\nSELECT 2;\n' >"$S/c.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/c.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/c.sql:1:15: psql command \\gset is not supported"
	# -l lists the query as psql sends it: without a ';'
	run -0 conf-apply -l "$S/a.sql"
	assert_line --index 1 'CREATE TABLE g1 (a int)'
}

@test "a file marker whose line= is not a line number stops the reading there" {
	printf 'CREATE TABLE m1 (a int);\n-- confiture:file a.sql sha256=00 line=0\nCREATE TABLE m2 (a int);\n' >"$S/a.sql"
	run --separate-stderr conf-apply -d "$DBURL" "$S/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-apply: $S/a.sql:2:1: a file marker's line= is not a line number (1 to 999999999)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname LIKE 'm_'")" = 0 ]
}
