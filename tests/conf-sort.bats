#!/usr/bin/env bats
# conf-sort: an SQL stream in dependency order, markers pointing at the original files

load helper

PAGILA=$CORPUS/schemas/pagila-schema-pg15compatible-e0e35a6.sql

# project DIR: an empty project whose environment "local" includes db/schema
project() {
	mkdir -p "$1/db/schema" "$1/db/environments"
	printf 'include_dirs:\n  - db/schema\n%s' "${2:-}" >"$1/db/environments/local.yaml"
}

# reversed SRC DST: the files of SRC/db/schema copied flat into project DST, their order reversed
reversed() {
	local n=100 f
	project "$2"
	for f in $(cd "$1" && find db/schema -name '*.sql' | sort -r); do
		cp "$1/$f" "$2/db/schema/$n-$(basename "$f")"
		n=$((n + 1))
	done
}

# split SQL DST ORDER: one file per statement of SQL in project DST; ORDER reverse or shuffle
# (a fixed permutation: the i-th statement becomes file (i * 211) mod 997)
split_sql() {
	local n=0 s
	project "$2"
	while IFS= read -r -d '' s; do
		n=$((n + 1))
		if [ "$3" = reverse ]; then
			printf '%s' "$s" >"$2/db/schema/$(printf %04d $((1000 - n))).sql"
		else
			printf '%s' "$s" >"$2/db/schema/$(printf %04d $(((n * 211) % 997))).sql"
		fi
	done < <(conf-parse "$1" | jq -j '.sql, ";\n", "\u0000"')
	[ "$n" -gt 100 ]
}

@test "an ordered stream comes out byte for byte" {
	conf-concat -C "$REPO/examples/basic" -e local >"$BATS_TEST_TMPDIR/in.sql"
	conf-sort "$BATS_TEST_TMPDIR/in.sql" >"$BATS_TEST_TMPDIR/out.sql"
	cmp "$BATS_TEST_TMPDIR/in.sql" "$BATS_TEST_TMPDIR/out.sql"
	printf 'CREATE TABLE a (id int);\n-- b\nCREATE VIEW b AS SELECT id FROM a; SELECT 1;\n' >"$BATS_TEST_TMPDIR/plain.sql"
	run -0 conf-sort <"$BATS_TEST_TMPDIR/plain.sql"
	assert_output "$(cat "$BATS_TEST_TMPDIR/plain.sql")"
}

@test "the corpus dumps, already in order, come out byte for byte" {
	[ -d "$CORPUS/schemas" ] || skip "../shared/corpus is absent"
	local f n=0 same=0
	for f in "$CORPUS"/schemas/*.sql; do
		conf-sort "$f" >"$BATS_TEST_TMPDIR/out.sql"
		cmp "$f" "$BATS_TEST_TMPDIR/out.sql"
	done
	# the diff pairs' files all sort; a few are migration plans or call overloads created later
	for f in "$CORPUS"/diff-pairs/*/*/*.sql; do
		conf-sort "$f" >"$BATS_TEST_TMPDIR/out.sql"
		n=$((n + 1))
		! cmp -s "$f" "$BATS_TEST_TMPDIR/out.sql" || same=$((same + 1))
	done
	echo "# diff-pairs: $same/$n unchanged" >&3
	[ "$n" -gt 800 ] && [ $((n - same)) -le 3 ]
}

@test "the example project, files reversed: fails as it is, builds sorted" {
	local P=$BATS_TEST_TMPDIR/p
	reversed "$REPO/examples/basic" "$P"
	conf-concat -C "$P" -e local >"$BATS_TEST_TMPDIR/rev.sql"
	new_db plain
	run --separate-stderr conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/rev.sql"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" 'conf-apply: db/schema/100-updated_at.sql:1:1: ERROR 3F000: schema "blog" does not exist'
	new_db sorted
	conf-sort "$BATS_TEST_TMPDIR/rev.sql" >"$BATS_TEST_TMPDIR/sorted.sql"
	run -0 conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/sorted.sql"
	run -0 q "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace WHERE nspname = 'blog' AND relkind IN ('r', 'v')"
	assert_output 'comments,post_stats,posts,users'
	# a statement that moved is behind a marker naming its file and line
	run grep -c -- '-- confiture:file db/schema/105-10_users.sql sha256=[0-9a-f]* line=8$' "$BATS_TEST_TMPDIR/sorted.sql"
	assert_output 1
	# the frame is kept: same header, same end line, every file counted once
	assert_equal "$(head -n 1 "$BATS_TEST_TMPDIR/sorted.sql")" "$(head -n 1 "$BATS_TEST_TMPDIR/rev.sql")"
	assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/sorted.sql")" '-- confiture:end files=8'
}

@test "confiture build with build.sort_mode: dependencies sorts before writing and applying" {
	local P=$BATS_TEST_TMPDIR/p
	reversed "$REPO/examples/basic" "$P"
	run -0 conf-sort -M -C "$P" -e local
	assert_output alphabetical
	project "$P" 'build:
  sort_mode: dependencies
'
	run -0 conf-sort -M -C "$P" -e local
	assert_output dependencies
	new_db built
	run -0 confiture build --project-dir "$P" --database-url "$DBURL" --force
	run -0 q "SELECT count(*) FROM pg_views WHERE schemaname = 'blog'"
	assert_output 1
	run -0 conf-apply -l "$P/db/generated/schema_local.sql"
	run -0 head -n 1 "$P/db/generated/schema_local.sql"
	assert_output --regexp '^-- confiture:build env=local hash=[0-9a-f]{64} files=8$'
	run -0 confiture build --project-dir "$P" --output -
	assert_equal "$(printf '%s\n' "$output" | sed -n 4p)" 'CREATE SCHEMA blog;'
	# a cycle: exit 4, nothing loaded
	printf 'CREATE VIEW blog.x1 AS SELECT * FROM blog.x2;\n' >"$P/db/schema/x1.sql"
	printf 'CREATE VIEW blog.x2 AS SELECT * FROM blog.x1;\n' >"$P/db/schema/x2.sql"
	run --separate-stderr confiture build --project-dir "$P" --database-url "$DBURL" --force
	[ "$status" -eq 4 ]
	# a view created earlier in the input is named view: (F49); the later one is not known yet
	assert_equal "$stderr" 'conf-sort: db/schema/x2.sql:1:1: dependency cycle: CREATE VIEW needs view:blog.x1, which comes from db/schema/x1.sql:1:1
conf-sort: db/schema/x1.sql:1:1: dependency cycle: CREATE VIEW needs table:blog.x2, which comes from db/schema/x2.sql:1:1'
}

# corpus_out_of_order SQL: SQL split into one file per statement, reversed and shuffled, fails to
# build as it is and builds the same schema as SQL once sorted
corpus_out_of_order() {
	local order want
	# what the schema holds, built from the dump as it is
	shape() {
		q "SELECT (SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace WHERE nspname = 'public')
			|| (SELECT count(*) FROM pg_constraint) || ':' || (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = pronamespace WHERE nspname = 'public')
			|| ':' || (SELECT count(*) FROM pg_trigger)"
	}
	new_db orig
	conf-apply -d "$DBURL" "$1"
	want=$(shape)
	for order in reverse shuffle; do
		split_sql "$1" "$BATS_TEST_TMPDIR/$order" "$order"
		conf-concat -C "$BATS_TEST_TMPDIR/$order" -e local >"$BATS_TEST_TMPDIR/$order.sql"
		new_db "plain_$order"
		run conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/$order.sql"
		[ "$status" -eq 1 ]
		new_db "sorted_$order"
		conf-sort "$BATS_TEST_TMPDIR/$order.sql" >"$BATS_TEST_TMPDIR/$order.out"
		run -0 conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/$order.out"
		run -0 shape
		assert_output "$want"
	done
}

@test "pagila, one file per statement, reversed and shuffled: fails as it is, builds sorted" {
	[ -f "$PAGILA" ] || skip "../shared/corpus is absent: no pagila schema"
	corpus_out_of_order "$PAGILA"
}

@test "danbooru (extensions, keys added by ALTER TABLE) out of order: builds sorted" {
	[ -f "$CORPUS/schemas/danbooru-structure.sql" ] || skip "../shared/corpus is absent: no danbooru schema"
	corpus_out_of_order "$CORPUS/schemas/danbooru-structure.sql"
}

@test "two tables referencing each other: the foreign keys move into ALTER TABLE after both" {
	cd "$BATS_TEST_TMPDIR"
	printf 'CREATE TABLE a (\n    id int PRIMARY KEY,\n    b_id int REFERENCES b (id) DEFERRABLE INITIALLY DEFERRED,\n    note text\n);\n' >a.sql
	printf 'CREATE TABLE b (\n    id int PRIMARY KEY,\n    a_id int,\n    CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id)\n);\n' >b.sql
	run -0 conf-sort a.sql b.sql
	assert_output "CREATE TABLE a (
    id int PRIMARY KEY,
    b_id int                                                ,
    note text
);
-- confiture:file b.sql sha256=$(sha256sum <b.sql | cut -c1-64)
CREATE TABLE b (
    id int PRIMARY KEY,
    a_id int 
                                                          
);
-- confiture:file a.sql sha256=$(sha256sum <a.sql | cut -c1-64) line=3
             ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id) DEFERRABLE INITIALLY DEFERRED;
-- confiture:file b.sql sha256=$(sha256sum <b.sql | cut -c1-64) line=4
    ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id);"
	new_db
	conf-sort a.sql b.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT string_agg(conname || ' ' || condeferrable, ', ' ORDER BY conname) FROM pg_constraint WHERE contype = 'f'"
	assert_output 'a_b_id_fkey true, b_a_fk false'
}

@test "a moved FOREIGN KEY stands at its clause's line and column: errors point there" {
	cd "$BATS_TEST_TMPDIR"
	# a.id has no key: the moved clause fails where it was written, column in characters
	printf 'CREATE TABLE a (\n    id int,\n    "é" int, b_id int REFERENCES b (id),\n    note text\n);\n' >a.sql
	printf 'CREATE TABLE b (id int PRIMARY KEY, a_id int, CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id));\n' >b.sql
	run -0 conf-sort a.sql b.sql
	assert_equal "$(printf '%s\n' "$output" | tail -n 4)" "-- confiture:file a.sql sha256=$(sha256sum <a.sql | cut -c1-64) line=3
                      ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b (id);
-- confiture:file b.sql sha256=$(sha256sum <b.sql | cut -c1-64)
                                              ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id);"
	new_db
	conf-sort a.sql b.sql >sorted.sql
	run --separate-stderr conf-apply -d "$DBURL" sorted.sql
	[ "$status" -eq 1 ]
	assert_equal "$stderr" 'conf-apply: b.sql:1:47: ERROR 42830: there is no unique constraint matching given keys for referenced table "a"'
}

@test "a FOREIGN KEY waits for the PRIMARY KEY an ALTER TABLE adds, even where that ALTER came after it" {
	cd "$BATS_TEST_TMPDIR"
	printf 'ALTER TABLE ONLY b ADD CONSTRAINT b_fk FOREIGN KEY (a_id) REFERENCES a (id);\n' >k1.sql
	printf 'ALTER TABLE ONLY a ADD CONSTRAINT a_pkey PRIMARY KEY (id);\n' >k2.sql
	printf 'CREATE TABLE b (a_id int);\n' >k3.sql
	printf 'CREATE TABLE a (id int);\n' >k4.sql
	run -0 conf-sort k1.sql k2.sql k3.sql k4.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:file')" 'CREATE TABLE b (a_id int);
CREATE TABLE a (id int);
ALTER TABLE ONLY a ADD CONSTRAINT a_pkey PRIMARY KEY (id);
ALTER TABLE ONLY b ADD CONSTRAINT b_fk FOREIGN KEY (a_id) REFERENCES a (id);'
	# two ALTERs of one table keep their order, unless the key says otherwise
	printf 'ALTER TABLE t ADD FOREIGN KEY (p) REFERENCES t (id);\nALTER TABLE t ADD PRIMARY KEY (id);\nCREATE TABLE t (id int, p int);\n' >s.sql
	run -0 conf-sort s.sql
	assert_output "-- confiture:file s.sql sha256=$(sha256sum <s.sql | cut -c1-64) line=3
CREATE TABLE t (id int, p int);
-- confiture:file s.sql sha256=$(sha256sum <s.sql | cut -c1-64) line=2
ALTER TABLE t ADD PRIMARY KEY (id);
-- confiture:file s.sql sha256=$(sha256sum <s.sql | cut -c1-64)
ALTER TABLE t ADD FOREIGN KEY (p) REFERENCES t (id);"
	# a user of a table comes after the columns ALTER TABLE adds to it
	printf 'CREATE VIEW cv AS SELECT c FROM ct;\n' >c1.sql
	printf 'ALTER TABLE ct ADD COLUMN c int;\n' >c2.sql
	printf 'CREATE TABLE ct (id int);\n' >c3.sql
	run -0 conf-sort c1.sql c2.sql c3.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:file')" 'CREATE TABLE ct (id int);
ALTER TABLE ct ADD COLUMN c int;
CREATE VIEW cv AS SELECT c FROM ct;'
	new_db
	conf-sort k1.sql k2.sql k3.sql k4.sql s.sql c1.sql c2.sql c3.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
	assert_output 'a_pkey,b_fk,t_p_fkey,t_pkey'
}

@test "a cycle no foreign key breaks is reported with its members; nothing is written" {
	cd "$BATS_TEST_TMPDIR"
	printf -- '-- first\nCREATE VIEW v1 AS SELECT * FROM v2;\n' >v1.sql
	printf 'CREATE VIEW v2 AS\n  SELECT * FROM v1;\n' >v2.sql
	run --separate-stderr conf-sort v1.sql v2.sql
	[ "$status" -eq 4 ]
	assert_equal "$output" ''
	assert_equal "$stderr" 'conf-sort: v2.sql:1:1: dependency cycle: CREATE VIEW needs view:public.v1, which comes from v1.sql:2:1
conf-sort: v1.sql:2:1: dependency cycle: CREATE VIEW needs table:public.v2, which comes from v2.sql:1:1'
}

@test "BEGIN and COMMIT keep their place: nothing moves into or out of a transaction block" {
	cd "$BATS_TEST_TMPDIR"
	printf 'CREATE TABLE u (id int);\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCREATE VIEW v AS SELECT id FROM t, w;\nCREATE VIEW w AS SELECT 1 AS x;\n' >tx.sql
	run -0 conf-sort tx.sql
	assert_output "CREATE TABLE u (id int);
BEGIN;
CREATE TABLE t (id int);
COMMIT;
-- confiture:file tx.sql sha256=$(sha256sum <tx.sql | cut -c1-64) line=6
CREATE VIEW w AS SELECT 1 AS x;
-- confiture:file tx.sql sha256=$(sha256sum <tx.sql | cut -c1-64) line=5
CREATE VIEW v AS SELECT id FROM t, w;"
	printf 'BEGIN;\nCREATE VIEW v AS SELECT id FROM t;\nCOMMIT;\nCREATE TABLE t (id int);\n' >bad.sql
	run --separate-stderr conf-sort bad.sql
	[ "$status" -eq 4 ]
	assert_equal "$stderr" 'conf-sort: bad.sql:3:1: dependency cycle: COMMIT stays after bad.sql:2:1 (a psql command, BEGIN, COMMIT or DO keeps its place)
conf-sort: bad.sql:4:1: dependency cycle: CREATE TABLE stays after bad.sql:3:1 (a psql command, BEGIN, COMMIT or DO keeps its place)
conf-sort: bad.sql:2:1: dependency cycle: CREATE VIEW needs table:public.t, which comes from bad.sql:4:1'
}

@test "an error in a sorted stream names the original file and line" {
	local P=$BATS_TEST_TMPDIR/p
	project "$P"
	printf 'CREATE VIEW v AS\n  SELECT id,\n         nosuch\n  FROM t;\n' >"$P/db/schema/1.sql"
	printf -- '-- the table\n\nCREATE TABLE t (id int);\n' >"$P/db/schema/2.sql"
	conf-concat -C "$P" -e local | conf-sort >"$BATS_TEST_TMPDIR/s.sql"
	new_db
	run --separate-stderr conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/s.sql"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" 'conf-apply: db/schema/1.sql:3:10: ERROR 42703: column "nosuch" does not exist'
	# a statement that moves from the middle of a line keeps its column
	printf 'CREATE VIEW v AS SELECT id FROM t; CREATE TABLE t (id nosuchtype);\n' >"$BATS_TEST_TMPDIR/ml.sql"
	new_db ml
	run --separate-stderr bash -c 'conf-sort "$1" | conf-apply -d "$DBURL"' - "$BATS_TEST_TMPDIR/ml.sql"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" "conf-apply: $BATS_TEST_TMPDIR/ml.sql:1:55: ERROR 42704: type \"nosuchtype\" does not exist"
}

@test "a marker's line=N continues a file: positions follow it, the frame counts the file once" {
	local h='-- confiture:build env=x hash=0 files=2' sha=sha256=0
	printf '%s\n-- confiture:file a.sql %s\nSELECT 1;\n-- confiture:file b.sql %s\nSELECT 2;\n-- confiture:file a.sql %s line=7\nSELECT nosuch;\n-- confiture:end files=2\n' \
		"$h" "$sha" "$sha" "$sha" >"$BATS_TEST_TMPDIR/s.sql"
	new_db
	run --separate-stderr conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/s.sql"
	[ "$status" -eq 1 ]
	assert_equal "$stderr" 'conf-apply: a.sql:7:8: ERROR 42703: column "nosuch" does not exist'
	# and conf-sort keeps such a stream as it is
	run -0 conf-sort "$BATS_TEST_TMPDIR/s.sql"
	assert_output "$(cat "$BATS_TEST_TMPDIR/s.sql")"
	# the line after the header is the stream's own, never a file's: what moves there is marked
	printf -- '-- confiture:build env=x hash=0 files=1\n-- confiture:file a.sql sha256=0\nCREATE VIEW v AS SELECT * FROM t;\nCREATE TABLE t (id int);\n-- confiture:end files=1\n' >"$BATS_TEST_TMPDIR/h.sql"
	run -0 conf-sort "$BATS_TEST_TMPDIR/h.sql"
	assert_output '-- confiture:build env=x hash=0 files=1
-- confiture:file a.sql sha256=0 line=2
CREATE TABLE t (id int);
-- confiture:file a.sql sha256=0
CREATE VIEW v AS SELECT * FROM t;
-- confiture:end files=1'
}

@test "a moved statement keeps the search_path it was written under" {
	cd "$BATS_TEST_TMPDIR"
	printf 'CREATE SCHEMA app;\nSET search_path = app;\nCREATE VIEW v AS SELECT id FROM t;\n' >1.sql
	printf 'SET search_path = public;\nCREATE TABLE app.t (id int);\n' >2.sql
	run -0 conf-sort 1.sql 2.sql
	assert_output "CREATE SCHEMA app;
SET search_path = app;
-- confiture:file 2.sql sha256=$(sha256sum <2.sql | cut -c1-64)
SET search_path = public;
CREATE TABLE app.t (id int);
-- confiture:file 1.sql sha256=$(sha256sum <1.sql | cut -c1-64) line=2
SET search_path = app;
CREATE VIEW v AS SELECT id FROM t;"
	new_db
	conf-sort 1.sql 2.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT schemaname FROM pg_views WHERE viewname = 'v'"
	assert_output app
	# written before any SET: the default path again
	printf 'CREATE VIEW w AS SELECT id FROM u;\n' >r1.sql
	printf 'CREATE SCHEMA other;\nSET search_path = other;\nCREATE TABLE public.u (id int);\n' >r2.sql
	run -0 conf-sort r1.sql r2.sql
	assert_output "-- confiture:file r2.sql sha256=$(sha256sum <r2.sql | cut -c1-64)
CREATE SCHEMA other;
SET search_path = other;
CREATE TABLE public.u (id int);
RESET search_path;
-- confiture:file r1.sql sha256=$(sha256sum <r1.sql | cut -c1-64)
CREATE VIEW w AS SELECT id FROM u;"
	conf-sort r1.sql r2.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT schemaname FROM pg_views WHERE viewname = 'w'"
	assert_output public
}

@test "COPY data moves with its statement; \\restrict stays first and \\unrestrict last" {
	cd "$BATS_TEST_TMPDIR"
	printf '\\restrict k\nCOPY t (id) FROM stdin;\n1\n2\n\\.\nCREATE TABLE t (id int);\n\\unrestrict k\nSELECT 1;\n' >d.sql
	run -0 conf-sort d.sql
	assert_output "\\restrict k
-- confiture:file d.sql sha256=$(sha256sum <d.sql | cut -c1-64) line=6
CREATE TABLE t (id int);
-- confiture:file d.sql sha256=$(sha256sum <d.sql | cut -c1-64) line=2
COPY t (id) FROM stdin;
1
2
\\.
-- confiture:file d.sql sha256=$(sha256sum <d.sql | cut -c1-64) line=8
SELECT 1;
-- confiture:file d.sql sha256=$(sha256sum <d.sql | cut -c1-64) line=7
\\unrestrict k"
}

@test "a last statement without ';' gets one when something comes after it" {
	cd "$BATS_TEST_TMPDIR"
	printf 'CREATE VIEW v AS SELECT id FROM t;\nCREATE TABLE t (id int)' >u.sql
	run -0 conf-sort u.sql
	assert_output "-- confiture:file u.sql sha256=$(sha256sum <u.sql | cut -c1-64) line=2
CREATE TABLE t (id int);
-- confiture:file u.sql sha256=$(sha256sum <u.sql | cut -c1-64)
CREATE VIEW v AS SELECT id FROM t;"
	printf 'CREATE TABLE t (id int);\nCREATE VIEW v AS SELECT id FROM t' >o.sql
	run -0 conf-sort o.sql
	assert_output "$(cat o.sql)"
}

@test "refused: a syntax error, an incomplete stream, bad usage" {
	cd "$BATS_TEST_TMPDIR"
	printf 'CREATE TABLE t (id int);\nCREATE TABLEX u;\n' >bad.sql
	run --separate-stderr conf-sort bad.sql
	[ "$status" -eq 4 ]
	assert_equal "$stderr" 'conf-sort: bad.sql:2:8: syntax error at or near "TABLEX"'
	printf -- '-- confiture:build env=x hash=0 files=2\n-- confiture:file a.sql sha256=0\nSELECT 1;\n' >cut.sql
	run --separate-stderr conf-sort cut.sql
	[ "$status" -eq 4 ]
	assert_equal "$stderr" 'conf-sort: cut.sql: the stream is incomplete: its header announces 2 files and 1 came'
	run --separate-stderr conf-sort -x
	[ "$status" -eq 5 ]
	run --separate-stderr conf-sort -e local a.sql
	[ "$status" -eq 5 ]
	printf 'SELECT 1;\n' >ok.sql
	run --separate-stderr conf-sort ok.sql
	run --separate-stderr conf-sort -o /dev/full ok.sql
	[ "$status" -eq 1 ]
	run --separate-stderr bash -c 'conf-sort ok.sql >/dev/full'
	[ "$status" -eq 1 ]
	assert_equal "$stderr" 'conf-sort: error writing output: No space left on device'
	run --separate-stderr conf-sort cut.sql cut.sql
	[ "$status" -eq 4 ]
}

@test "a statement that does not parse: each one reported at its place, nothing written" {
	cd "$BATS_TEST_TMPDIR"
	# its ids are unknown, so no place is known safe for it or for what may use it: refused
	printf 'CREATE VIEW v AS SELECT * FROM t;\nCREATE TABLEX u;\nCREATE TABLE t (id int);\n  SELECT FROM WHERE;\n' >bad.sql
	run --separate-stderr conf-sort bad.sql
	[ "$status" -eq 4 ]
	assert_equal "$output" ''
	assert_equal "$stderr" 'conf-sort: bad.sql:2:8: syntax error at or near "TABLEX"
conf-sort: bad.sql:4:15: syntax error at or near "WHERE"'
}

@test "the regression corpus: exit 0 or 4, every message located, nothing lost or added but replayed settings" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no corpus at $CORPUS/parse (../shared/corpus is absent)"
	local f ok=0 refused=0 T=$BATS_TEST_TMPDIR
	stmts() { conf-parse "$1" 2>/dev/null | jq -r 'select(.tag != "SET" and .tag != "RESET") | .fingerprint' | sort; }
	for f in "$CORPUS"/parse/postgres_regress/*.sql; do
		run --separate-stderr conf-sort -o "$T/out.sql" "$f"
		case $status in
		0)
			ok=$((ok + 1))
			[ -z "$stderr" ]
			assert_equal "$(stmts "$T/out.sql")" "$(stmts "$f")"
			;;
		4)
			refused=$((refused + 1))
			[ ! -e "$T/out.sql" ]
			[ -n "$stderr" ]
			! printf '%s\n' "$stderr" | grep -v -E '^conf-sort: [^:]+:[0-9]+:[0-9]+: [^ ]' || fail "$f: a message without a position"
			;;
		*) fail "$f: exit $status: $stderr" ;;
		esac
		rm -f "$T/out.sql"
	done
	echo "# postgres_regress: $ok sorted, $refused refused" >&3
	[ "$ok" -eq 147 ] && [ "$refused" -eq 66 ]
}

@test "markers that lie: a line=N no reader takes, a file the header does not announce" {
	cd "$BATS_TEST_TMPDIR"
	# a bad or too long N is an error at the marker's line for every reader (lib/sqlsrc, F51)
	printf -- '-- confiture:file a.sql sha256=00 line=12x\nCREATE VIEW v AS SELECT * FROM t;\n-- confiture:file b.sql sha256=01 line=123456789012\nCREATE TABLE t (id int);\nSELECT 1;\n' >lie.sql
	run --separate-stderr conf-sort lie.sql
	assert_failure 4
	assert_equal "$stderr" "conf-sort: lie.sql:1:1: a file marker's line= is not a line number (1 to 999999999)"
	assert_output ""
	# a line=N beyond the file is taken as said: conf-sort cannot see the file
	printf -- '-- confiture:file a.sql sha256=00 line=99999999\nCREATE VIEW v AS SELECT * FROM t;\nCREATE TABLE t (id int);\n' >far.sql
	run -0 conf-sort far.sql
	assert_output '-- confiture:file a.sql sha256=00 line=100000000
CREATE TABLE t (id int);
-- confiture:file a.sql sha256=00 line=99999999
CREATE VIEW v AS SELECT * FROM t;'
	printf -- '-- confiture:build env=x hash=0 files=1\n-- confiture:file a.sql sha256=00\nSELECT 1;\n-- confiture:file zz.sql sha256=00\nSELECT 2;\n-- confiture:end files=1\n' >extra.sql
	run --separate-stderr conf-sort extra.sql
	[ "$status" -eq 4 ]
	assert_equal "$output" ''
	assert_equal "$stderr" 'conf-sort: extra.sql: the stream is incomplete: its header announces 1 files and 2 came'
}

@test "a table whose FOREIGN KEY refers to itself is no cycle; a view waits for a function, a SQL function for its tables" {
	cd "$BATS_TEST_TMPDIR"
	printf 'CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node);\nCREATE TABLE u (id int PRIMARY KEY, p int, FOREIGN KEY (p) REFERENCES u (id));\n' >self.sql
	run -0 conf-sort self.sql
	assert_output "$(cat self.sql)"
	printf 'CREATE VIEW v AS SELECT f(1) AS x;\nCREATE FUNCTION g() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM t $$;\nCREATE FUNCTION h() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM t2; END;\nCREATE TABLE t (id int);\nCREATE TABLE t2 (id int);\nCREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$;\n' >later.sql
	run -0 conf-sort later.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:file')" 'CREATE TABLE t (id int);
CREATE FUNCTION g() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM t $$;
CREATE TABLE t2 (id int);
CREATE FUNCTION h() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM t2; END;
CREATE FUNCTION f(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$;
CREATE VIEW v AS SELECT f(1) AS x;'
	new_db
	conf-sort self.sql later.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT x FROM v"
	assert_output 1
}

@test "a random DAG of 5000 statements, shuffled: sorted in under a second, builds" {
	cd "$BATS_TEST_TMPDIR"
	# 1500 tables, each with a FOREIGN KEY to an earlier one; 3500 views joining two earlier objects
	awk 'BEGIN { srand(7); n = 5000
	  for (i = 0; i < n; i++) {
	    if (i < 1500) { s = "CREATE TABLE t" i " (id int PRIMARY KEY"; if (i > 0) s = s ", r int REFERENCES t" int(rand() * i); s = s ");"; name[i] = "t" i }
	    else { s = "CREATE VIEW v" i " AS SELECT x.id FROM " name[int(rand() * i)] " x JOIN " name[int(rand() * i)] " y USING (id);"; name[i] = "v" i }
	    line[i] = s
	  }
	  for (i = n - 1; i > 0; i--) { j = int(rand() * (i + 1)); t = line[i]; line[i] = line[j]; line[j] = t }
	  for (i = 0; i < n; i++) print line[i] }' >dag.sql
	local t0 t1
	t0=$(date +%s%N)
	conf-sort -o sorted.sql dag.sql
	t1=$(date +%s%N)
	echo "# 5000 statements: $(((t1 - t0) / 1000000)) ms" >&3
	[ $(((t1 - t0) / 1000000)) -lt 1000 ] || [[ $CONF_BINDIR == */asan/* ]]
	assert_equal "$(grep -vc '^-- confiture:file' sorted.sql)" 5000
	new_db
	run -0 conf-apply -d "$DBURL" sorted.sql
	run -0 q "SELECT count(*) FROM pg_class WHERE relname ~ '^[tv][0-9]+$'"
	assert_output 5000
}

@test "COPY data, read from where it is: a file, standard input as a file, a pipe, a fifo give the same stream" {
	cd "$BATS_TEST_TMPDIR"
	# 20000 rows: far more than the spans written from the input rather than copied
	{
		printf 'COPY t (id, s) FROM stdin;\n'
		seq 1 20000 | sed 's/.*/&\trow &/'
		printf '\\.\nCREATE TABLE t (id int, s text);\n'
	} >d.sql
	{
		printf -- '-- confiture:file d.sql sha256=%s line=20003\nCREATE TABLE t (id int, s text);\n' "$(sha256sum <d.sql | cut -c1-64)"
		printf -- '-- confiture:file d.sql sha256=%s\n' "$(sha256sum <d.sql | cut -c1-64)"
		head -n 20002 d.sql
	} >want.sql
	run -0 conf-sort -o out.sql d.sql
	cmp want.sql out.sql
	conf-sort <d.sql >out.sql
	sed 's/^-- confiture:file d.sql /-- confiture:file <stdin> /' want.sql >want-stdin.sql
	cmp want-stdin.sql out.sql
	cat d.sql | conf-sort >out.sql
	cmp want-stdin.sql out.sql
	mkfifo f.sql
	cat d.sql >f.sql &
	conf-sort f.sql >out.sql
	sed 's/^-- confiture:file d.sql /-- confiture:file f.sql /' want.sql | cmp - out.sql
	new_db
	run -0 conf-apply -d "$DBURL" want.sql
	run -0 q "SELECT count(*), sum(id) FROM t"
	assert_output '20000|200010000'
}

@test "check_function_bodies off: a SQL body waits for nothing; an aggregate waits for its support function" {
	cd "$BATS_TEST_TMPDIR"
	cat >cfb.sql <<'SQL'
SET check_function_bodies = false;
CREATE FUNCTION g() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM t $$;
CREATE TABLE t (id int);
CREATE AGGREGATE a(int) (sfunc = s, stype = int, initcond = '0');
CREATE FUNCTION s(int, int) RETURNS int LANGUAGE sql AS 'SELECT $1 + $2';
SQL
	run -0 conf-sort cfb.sql
	assert_output "$(head -n 3 cfb.sql)
-- confiture:file cfb.sql sha256=$(sha256sum <cfb.sql | cut -c1-64) line=5
$(sed -n 5p cfb.sql)
-- confiture:file cfb.sql sha256=$(sha256sum <cfb.sql | cut -c1-64) line=4
$(sed -n 4p cfb.sql)"
	new_db
	conf-sort cfb.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT a(id) FROM (VALUES (1), (2)) v(id)"
	assert_output 3
}

@test "a signal while standard input is read: exit 128+n, one message, nothing written" {
	cd "$BATS_TEST_TMPDIR"
	mkfifo in
	conf-sort -o out.sql <in 2>err &
	local pid=$! st=0
	exec 8>in
	printf 'CREATE TABLE t (id int);\n' >&8
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid" || st=$?
	exec 8>&-
	[ "$st" -eq 143 ]
	assert_equal "$(cat err)" 'conf-sort: interrupted: nothing was written'
	[ ! -e out.sql ]
}

@test "unqualified names resolve where the objects are along the search path, not in its first schema" {
	cat >"$BATS_TEST_TMPDIR/sp.sql" <<'SQL'
CREATE SCHEMA a; CREATE SCHEMA b;
CREATE TABLE b.t (id int PRIMARY KEY);
CREATE FUNCTION b.fn(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
SET search_path = a, b;
CREATE TABLE x (id int REFERENCES t, k int DEFAULT fn(1));
CREATE INDEX ON t (id);
COMMENT ON TABLE t IS 'b.t';
CREATE TABLE t (id int);
SQL
	run -0 conf-sort "$BATS_TEST_TMPDIR/sp.sql"
	assert_output "$(cat "$BATS_TEST_TMPDIR/sp.sql")"
	new_db sp
	conf-sort "$BATS_TEST_TMPDIR/sp.sql" >"$BATS_TEST_TMPDIR/sorted.sql"
	run -0 conf-apply -d "$DBURL" "$BATS_TEST_TMPDIR/sorted.sql"
}

@test "a statement too deep for the reader is refused with its cause, as conf-parse gives it (F22)" {
	awk 'BEGIN { s = "CREATE VIEW v AS SELECT a"; for (i = 0; i < 25000; i++) s = s " + 1"; print "CREATE TABLE t (a int);"; print s " FROM t;" }' >"$BATS_TEST_TMPDIR/deep.sql"
	run --separate-stderr conf-sort "$BATS_TEST_TMPDIR/deep.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-sort: $BATS_TEST_TMPDIR/deep.sql:2:1: the statement is nested too deeply for the reader (its parse tree has more than 20000 levels)"
}

# ---- h/xdep: binding to the creation in effect (F64), GRANT ... ALL TABLES IN SCHEMA (F50) ----

@test "xdep F64: a use binds to the creation in effect: an object dropped and made again, a use before its DROP" {
	cd "$BATS_TEST_TMPDIR"
	mkdir d
	printf 'CREATE VIEW v AS SELECT b FROM t;\n' >d/1.sql
	printf 'CREATE TABLE t (a int);\nDROP TABLE t;\nCREATE TABLE t (b int);\n' >d/2.sql
	conf-concat -S d >in.sql
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE TABLE t (a int);
DROP TABLE t;
CREATE TABLE t (b int);
CREATE VIEW v AS SELECT b FROM t;'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT count(*) FROM v"
	assert_output 0
	# a use of an object that is dropped later runs before that DROP
	mkdir e
	printf 'CREATE VIEW w AS SELECT a FROM t;\nCOMMENT ON VIEW w IS $$w$$;\n' >e/1.sql
	printf 'CREATE TABLE t (a int);\nCREATE TABLE keep AS SELECT count(*) AS n FROM pg_class WHERE relname = $$w$$;\nDROP TABLE t CASCADE;\n' >e/2.sql
	conf-concat -S e >e.sql
	run -0 conf-sort e.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE TABLE t (a int);
CREATE VIEW w AS SELECT a FROM t;
COMMENT ON VIEW w IS $$w$$;
CREATE TABLE keep AS SELECT count(*) AS n FROM pg_class WHERE relname = $$w$$;
DROP TABLE t CASCADE;'
	new_db
	conf-sort e.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT n FROM keep"
	assert_output 1
}

@test "xdep F50, f8sort R13: GRANT ... ON ALL ... IN SCHEMA and ALTER DEFAULT PRIVILEGES keep their place among the creations they cover, as the input orders them" {
	cd "$BATS_TEST_TMPDIR"
	mkdir g
	printf 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;\nGRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA s TO PUBLIC;\n' >g/1.sql
	printf 'CREATE TABLE t (a int);\nCREATE SCHEMA s;\nCREATE VIEW v AS SELECT a FROM t;\nCREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;\nCREATE TABLE s.u (b int);\n' >g/2.sql
	printf 'ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO PUBLIC;\nALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\n' >g/3.sql
	conf-concat -S g >in.sql
	run -0 conf-sort in.sql
	# the GRANT ON ALL FUNCTIONS IN SCHEMA s needs s, and stays before s.f, created after it
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO PUBLIC;
CREATE TABLE t (a int);
CREATE SCHEMA s;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA s TO PUBLIC;
CREATE VIEW v AS SELECT a FROM t;
CREATE FUNCTION s.f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;
CREATE TABLE s.u (b int);
ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	# the privileges the input order gives: none of the grants reaches an object
	run -0 q "SELECT has_table_privilege('public', 'v', 'SELECT'), has_table_privilege('public', 's.u', 'SELECT'), has_function_privilege('public', 's.f()', 'EXECUTE')"
	assert_output 'f|f|t'
}

# ---- h/xperf: statement records give conf-sort the edges it missed (F29) ----

@test "xperf F29: ENABLE/DISABLE TRIGGER, CLUSTER ON and REPLICA IDENTITY USING INDEX come after the trigger and the index" {
	cd "$BATS_TEST_TMPDIR"
	mkdir r
	printf 'ALTER TABLE acct ENABLE ALWAYS TRIGGER tr;\nALTER TABLE acct DISABLE TRIGGER tr;\nALTER TABLE acct CLUSTER ON i;\nALTER TABLE acct REPLICA IDENTITY USING INDEX i;\n' >r/1.sql
	printf 'CREATE TABLE acct (a int NOT NULL);\nCREATE UNIQUE INDEX i ON acct (a);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\nCREATE TRIGGER tr BEFORE INSERT ON acct FOR EACH ROW EXECUTE FUNCTION f();\n' >r/2.sql
	conf-concat -S r >in.sql
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE TABLE acct (a int NOT NULL);
CREATE UNIQUE INDEX i ON acct (a);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER tr BEFORE INSERT ON acct FOR EACH ROW EXECUTE FUNCTION f();
ALTER TABLE acct ENABLE ALWAYS TRIGGER tr;
ALTER TABLE acct DISABLE TRIGGER tr;
ALTER TABLE acct CLUSTER ON i;
ALTER TABLE acct REPLICA IDENTITY USING INDEX i;'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT tgenabled FROM pg_trigger WHERE tgname = 'tr'"
	assert_output D
}

@test "xperf F29: a server comes after its wrapper (made by CREATE FOREIGN DATA WRAPPER or by the extension), a foreign table and a user mapping after the server" {
	cd "$BATS_TEST_TMPDIR"
	mkdir x
	printf 'CREATE FOREIGN TABLE ft (a int) SERVER remote;\nCREATE USER MAPPING FOR PUBLIC SERVER remote;\nCREATE SERVER other FOREIGN DATA WRAPPER w;\n' >x/a.sql
	printf 'CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw;\nCREATE FOREIGN DATA WRAPPER w;\n' >x/b.sql
	printf 'CREATE EXTENSION postgres_fdw;\n' >x/c.sql
	conf-concat -S x >in.sql
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE EXTENSION postgres_fdw;
CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw;
CREATE FOREIGN TABLE ft (a int) SERVER remote;
CREATE USER MAPPING FOR PUBLIC SERVER remote;
CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER other FOREIGN DATA WRAPPER w;'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT string_agg(srvname, ' ' ORDER BY srvname) FROM pg_foreign_server"
	assert_output 'other remote'
}

@test "xperf F29: a plain CREATE comes before the CREATE OR REPLACE / IF NOT EXISTS of the same id" {
	cd "$BATS_TEST_TMPDIR"
	mkdir o
	printf 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 2$$;\nCREATE OR REPLACE VIEW v AS SELECT f() AS a;\nCREATE TABLE IF NOT EXISTS t (a int);\n' >o/1.sql
	printf 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;\nCREATE VIEW v AS SELECT 1 AS a;\nCREATE TABLE t (a int, b int);\n' >o/2.sql
	conf-concat -S o >in.sql
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;
CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 2$$;
CREATE VIEW v AS SELECT 1 AS a;
CREATE OR REPLACE VIEW v AS SELECT f() AS a;
CREATE TABLE t (a int, b int);
CREATE TABLE IF NOT EXISTS t (a int);'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT a FROM v"
	assert_output 2
	run -0 q "SELECT count(*) FROM information_schema.columns WHERE table_name = 't'"
	assert_output 2
}

@test "xperf F29: a DROP comes after CREATE SCHEMA of its target's schema; a plain DROP after the creation of its target, DROP IF EXISTS before it" {
	cd "$BATS_TEST_TMPDIR"
	mkdir d
	printf 'DROP FUNCTION util.f(integer);\n' >d/0.sql
	printf 'DROP FUNCTION IF EXISTS util.f(integer);\nDROP TABLE IF EXISTS "U.x".t;\n' >d/1.sql
	printf 'CREATE SCHEMA util;\nCREATE SCHEMA "U.x";\nCREATE TABLE "U.x".t (a int);\nCREATE FUNCTION util.f(integer) RETURNS int LANGUAGE sql AS $$SELECT 1$$;\n' >d/2.sql
	conf-concat -S d >in.sql
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE SCHEMA util;
DROP FUNCTION IF EXISTS util.f(integer);
CREATE SCHEMA "U.x";
DROP TABLE IF EXISTS "U.x".t;
CREATE TABLE "U.x".t (a int);
CREATE FUNCTION util.f(integer) RETURNS int LANGUAGE sql AS $$SELECT 1$$;
DROP FUNCTION util.f(integer);'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT count(*) FROM pg_proc WHERE proname = 'f'"
	assert_output 0
	run -0 q "SELECT count(*) FROM pg_class WHERE relname = 't'"
	assert_output 1
}

@test "xperf F29: a column with COLLATE comes after CREATE COLLATION" {
	cd "$BATS_TEST_TMPDIR"
	mkdir c
	printf 'CREATE TABLE t (n text COLLATE ci);\n' >c/1.sql
	printf 'CREATE COLLATION ci (provider = icu, locale = $$und$$, deterministic = false);\n' >c/2.sql
	conf-concat -S c >in.sql
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE COLLATION ci (provider = icu, locale = $$und$$, deterministic = false);
CREATE TABLE t (n text COLLATE ci);'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation WHERE attrelid = 't'::regclass AND attname = 'n'"
	assert_output ci
}

# ---- h/f8sort: schema-wide privileges keep the meaning of the input order (R13) ----

@test "f8sort R13: a file in a valid order keeps its privileges: ALTER DEFAULT PRIVILEGES and GRANT ON ALL TABLES IN SCHEMA stay between the creations around them" {
	cd "$BATS_TEST_TMPDIR"
	new_db
	psql -XAtq -c "DROP ROLE IF EXISTS ${DB}_r1" -c "DROP ROLE IF EXISTS ${DB}_r2" -c "CREATE ROLE ${DB}_r1" -c "CREATE ROLE ${DB}_r2" >/dev/null
	printf 'CREATE SCHEMA a;\nCREATE TABLE a.t(x int);\nCREATE TABLE a.u(x int);\nALTER DEFAULT PRIVILEGES IN SCHEMA a GRANT SELECT ON TABLES TO %s_r1;\nCREATE TABLE a.w(x int);\nGRANT SELECT ON ALL TABLES IN SCHEMA a TO %s_r2;\nCREATE TABLE a.z(x int);\nALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO %s_r2;\nCREATE SCHEMA b;\n' "$DB" "$DB" "$DB" >in.sql
	run --separate-stderr conf-sort in.sql
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "$(cat in.sql)"
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT c.relname || ':' || has_table_privilege('${DB}_r1', c.oid, 'SELECT') || has_table_privilege('${DB}_r2', c.oid, 'SELECT') FROM pg_class c WHERE c.relnamespace = 'a'::regnamespace ORDER BY 1"
	assert_output 't:falsetrue
u:falsetrue
w:truetrue
z:truefalse'
	run -0 q "SELECT has_schema_privilege('${DB}_r2', 'a', 'USAGE'), has_schema_privilege('${DB}_r2', 'b', 'USAGE')"
	assert_output 'f|t'
	psql -XAtq -c "DROP DATABASE \"$DB\"" -c "DROP ROLE ${DB}_r1" -c "DROP ROLE ${DB}_r2" >/dev/null
}

@test "f8sort R13: in a file out of order, other statements still move around a GRANT ON ALL ... IN SCHEMA, which keeps its side of each creation of its schema" {
	cd "$BATS_TEST_TMPDIR"
	mkdir d
	printf 'CREATE VIEW a.v AS SELECT x FROM a.t;\nCREATE FUNCTION a.f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;\n' >d/1.sql
	printf 'REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA a FROM PUBLIC;\nCREATE TABLE a.t (x int);\nCREATE FUNCTION a.g() RETURNS int LANGUAGE sql AS $$SELECT 2$$;\nCREATE SCHEMA a;\n' >d/2.sql
	conf-concat -S d >in.sql
	run --separate-stderr conf-sort in.sql
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE SCHEMA a;
CREATE FUNCTION a.f() RETURNS int LANGUAGE sql AS $$SELECT 1$$;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA a FROM PUBLIC;
CREATE TABLE a.t (x int);
CREATE VIEW a.v AS SELECT x FROM a.t;
CREATE FUNCTION a.g() RETURNS int LANGUAGE sql AS $$SELECT 2$$;'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT has_function_privilege('public', 'a.f()', 'EXECUTE'), has_function_privilege('public', 'a.g()', 'EXECUTE')"
	assert_output 'f|t'
}

@test "f8sort R13: a GRANT or REVOKE on one table of s keeps its side of a GRANT ON ALL TABLES IN SCHEMA s" {
	cd "$BATS_TEST_TMPDIR"
	mkdir d
	printf 'CREATE TABLE a.x (y a.ty);\nCREATE TABLE a.t (x int);\nGRANT SELECT ON ALL TABLES IN SCHEMA a TO PUBLIC;\nREVOKE SELECT ON a.t FROM PUBLIC;\nCREATE TYPE a.ty AS (q int);\nCREATE SCHEMA a;\n' >d/1.sql
	conf-concat -S d >in.sql
	run --separate-stderr conf-sort in.sql
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:')" 'CREATE SCHEMA a;
CREATE TABLE a.t (x int);
CREATE TYPE a.ty AS (q int);
CREATE TABLE a.x (y a.ty);
GRANT SELECT ON ALL TABLES IN SCHEMA a TO PUBLIC;
REVOKE SELECT ON a.t FROM PUBLIC;'
	new_db
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT has_table_privilege('public', 'a.t', 'SELECT'), has_table_privilege('public', 'a.x', 'SELECT')"
	assert_output 'f|t'
}

# ---- h/opid8: operators and operator classes come before what uses them ----

@test "opid8: files in reverse order build sorted: functions, operators, then the class, the table, its index, exclusion and view" {
	cd "$BATS_TEST_TMPDIR"
	mkdir c
	local n=99 l
	while IFS= read -r l; do
		printf '%s\n' "$l" >"c/$n.sql"
		n=$((n - 1))
	done <<'SQL'
CREATE FUNCTION ieq(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS $$SELECT $1 = $2$$;
CREATE FUNCTION ine(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS $$SELECT $1 <> $2$$;
CREATE FUNCTION ilt(int, int) RETURNS bool LANGUAGE sql IMMUTABLE AS $$SELECT $1 < $2$$;
CREATE FUNCTION icmp(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS $$SELECT CASE WHEN $1 < $2 THEN -1 WHEN $1 > $2 THEN 1 ELSE 0 END$$;
CREATE OPERATOR === (leftarg = int, rightarg = int, function = ieq, commutator = ===, negator = !==);
CREATE OPERATOR !== (leftarg = int, rightarg = int, function = ine, commutator = !==, negator = ===);
CREATE OPERATOR <<< (leftarg = int, rightarg = int, function = ilt);
CREATE OPERATOR CLASS rev_ops FOR TYPE int USING btree AS OPERATOR 1 <<<, OPERATOR 3 ===, FUNCTION 1 icmp(int, int);
CREATE TABLE t (a int CHECK (a !== 0), b int);
CREATE INDEX t_b ON t (b rev_ops);
ALTER TABLE t ADD CONSTRAINT t_b_excl EXCLUDE USING btree (b rev_ops WITH ===);
CREATE VIEW v AS SELECT a <<< b AS lt FROM t;
SQL
	conf-concat -S c >in.sql
	new_db plain
	run --separate-stderr conf-apply -d "$DBURL" in.sql
	[ "$status" -eq 1 ]
	assert_equal "$stderr" 'conf-apply: c/88.sql:1:44: ERROR 42P01: relation "t" does not exist'
	run -0 conf-sort in.sql
	assert_equal "$(printf '%s\n' "$output" | grep -v '^-- confiture:' | cut -c1-40)" 'CREATE FUNCTION icmp(int, int) RETURNS i
CREATE FUNCTION ilt(int, int) RETURNS bo
CREATE OPERATOR <<< (leftarg = int, righ
CREATE FUNCTION ine(int, int) RETURNS bo
CREATE OPERATOR !== (leftarg = int, righ
CREATE TABLE t (a int CHECK (a !== 0), b
CREATE VIEW v AS SELECT a <<< b AS lt FR
CREATE FUNCTION ieq(int, int) RETURNS bo
CREATE OPERATOR === (leftarg = int, righ
CREATE OPERATOR CLASS rev_ops FOR TYPE i
ALTER TABLE t ADD CONSTRAINT t_b_excl EX
CREATE INDEX t_b ON t (b rev_ops);'
	new_db sorted
	conf-sort in.sql | conf-apply -d "$DBURL"
	run -0 q "SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ', ' ORDER BY conname) FROM pg_constraint WHERE conrelid = 't'::regclass"
	assert_output 't_a_check:CHECK ((a !== 0)), t_b_excl:EXCLUDE USING btree (b rev_ops WITH ===)'
	run -0 q "SELECT pg_get_indexdef('t_b'::regclass)"
	assert_output 'CREATE INDEX t_b ON public.t USING btree (b rev_ops)'
}
