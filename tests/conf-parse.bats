#!/usr/bin/env bats
# conf-parse: SQL -> one JSON record per statement

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

# the fields that say what a statement does, one compact line per record
facts() {
	jq -c '{tag, creates, alters, drops, references} | with_entries(select(.value != null))'
}

@test "one record per statement: position of the first token, tag, ids, tx, fingerprint, sql as written" {
	printf -- '-- users\nCREATE TABLE users (\n  id serial PRIMARY KEY,\n  email text UNIQUE\n);\n\n  CREATE INDEX users_email_idx ON users (lower(email));\nCREATE TABLE posts (id int, user_id int REFERENCES users (id));\n' >"$T/a.sql"
	run --separate-stderr conf-parse "$T/a.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 '{"kind":"stmt","col":1,"creates":["table:public.users","sequence:public.users_id_seq"],"file":"'"$T"'/a.sql","fingerprint":"43e04b0156e466f3","line":2,"references":["schema:public"],"sql":"CREATE TABLE users (\n  id serial PRIMARY KEY,\n  email text UNIQUE\n)","tag":"CREATE TABLE","tx":true}'
	assert_line --index 1 '{"kind":"stmt","col":3,"creates":["index:public.users_email_idx"],"file":"'"$T"'/a.sql","fingerprint":"a25d3cbf66d4f1b3","line":7,"references":["table:public.users","schema:public"],"sql":"CREATE INDEX users_email_idx ON users (lower(email))","tag":"CREATE INDEX","tx":true}'
	assert_line --index 2 '{"kind":"stmt","col":1,"creates":["table:public.posts"],"file":"'"$T"'/a.sql","fingerprint":"f3201a0e7ae13bfd","line":8,"references":["schema:public","table:public.users","column:public.users.id"],"sql":"CREATE TABLE posts (id int, user_id int REFERENCES users (id))","tag":"CREATE TABLE","tx":true}'
}

@test "sql as JSON: quotes, backslashes, tabs, newlines, control bytes and DEL escaped, UTF-8 kept" {
	printf "SELECT 'a\x01b\x7fc\td\"e\\\\f\ng', 'é😀';\n" >"$T/e.sql"
	run --separate-stderr conf-parse "$T/e.sql"
	assert_success
	assert_output "{\"kind\":\"stmt\",\"col\":1,\"file\":\"$T/e.sql\",\"fingerprint\":\"50fde20626009aba\",\"line\":1,\"sql\":\"SELECT 'a\\u0001b$(printf '\x7f')c\\td\\\"e\\\\f\\ng', 'é😀'\",\"tag\":\"SELECT\",\"tx\":true}"
}

@test "positions come through conf-concat markers: the file and line of the project" {
	P=$T/p
	mkdir -p "$P/db/schema" "$P/db/environments"
	printf 'include_dirs:\n  - db/schema\n' >"$P/db/environments/local.yaml"
	printf -- '-- two lines\n-- of comment\nCREATE SCHEMA app;\n' >"$P/db/schema/10_a.sql"
	printf '\n\n   CREATE TABLE app.t (a int);\n' >"$P/db/schema/20_b.sql"
	run --separate-stderr bash -c 'conf-concat -C "$1" | conf-parse | jq -c "[.file, .line, .col, .tag]"' _ "$P"
	assert_success
	assert_equal "$output" '["db/schema/10_a.sql",3,1,"CREATE SCHEMA"]
["db/schema/20_b.sql",3,4,"CREATE TABLE"]'
}

@test "stdin: no operand and -, files in turn as one stream" {
	printf 'SELECT 1;\n' >"$T/a.sql"
	run --separate-stderr bash -c 'printf "SET search_path = s;\n" | conf-parse | jq -r .file'
	assert_success
	assert_equal "$output" "<stdin>"
	run --separate-stderr bash -c 'printf "SET search_path = s;\n" | conf-parse - "$1" - | jq -r "[.file, .tag] | join(\" \")"' _ "$T/a.sql"
	assert_success
	assert_equal "$output" "<stdin> SET
$T/a.sql SELECT"
	# the path set by stdin holds in the next file
	printf 'CREATE TABLE t (a int);\n' >"$T/b.sql"
	run --separate-stderr bash -c 'printf "SET search_path = s;\n" | conf-parse - "$1" | jq -r ".creates[]?"' _ "$T/b.sql"
	assert_equal "$output" "table:s.t"
}

@test "unqualified names resolve through the search_path the stream sets" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE a (i int);
SET search_path TO blog, public;
CREATE TABLE b (i int);
SELECT pg_catalog.set_config('search_path', ' Shop , "Mixed Case",public', false);
CREATE TABLE c (i int);
RESET search_path;
CREATE TABLE d (i int);
SET search_path = '$user', x;
CREATE TABLE e (i int);
SET search_path = DEFAULT;
BEGIN;
SET LOCAL search_path = inner_s;
CREATE TABLE f (i int);
SELECT set_config('search_path', 'local2', true);
CREATE TABLE g (i int);
COMMIT;
CREATE TABLE h (i int);
SET LOCAL search_path = outer_s;
CREATE TABLE i (i int);
RESET ALL;
CREATE TABLE j (i int);
SQL
	run --separate-stderr bash -c 'conf-parse "$1" | jq -r ".creates[]?"' _ "$T/a.sql"
	assert_success
	assert_equal "$output" 'table:public.a
table:blog.b
table:shop.c
table:public.d
table:x.e
table:inner_s.f
table:local2.g
table:public.h
table:outer_s.i
table:public.j'
}

@test "creates, alters, drops and references of the main statement kinds" {
	cat >"$T/a.sql" <<'SQL'
CREATE SCHEMA blog;
CREATE TYPE blog.mood AS ENUM ('a', 'b');
CREATE TABLE blog.m (id int, m blog.mood, at timestamptz DEFAULT now(), n int DEFAULT nextval('blog.s'::regclass), CHECK (blog.ok(n))) PARTITION BY RANGE (id);
CREATE TABLE blog.m1 PARTITION OF blog.m FOR VALUES FROM (1) TO (10);
CREATE TABLE kid (x int) INHERITS (blog.m);
ALTER TABLE kid ADD CONSTRAINT fk FOREIGN KEY (x) REFERENCES blog.par (a) ON DELETE CASCADE, ADD COLUMN y blog.email[];
CREATE INDEX CONCURRENTLY kid_x ON kid (x) WHERE x > 0;
CREATE VIEW v AS WITH w AS (SELECT 1) SELECT * FROM kid JOIN blog.m ON true, w;
CREATE FUNCTION f(a blog.mood, b int DEFAULT 3, OUT c text, VARIADIC d text[] DEFAULT '{}') LANGUAGE sql RETURN blog.g(a);
CREATE TRIGGER t BEFORE INSERT ON kid FOR EACH ROW EXECUTE FUNCTION blog.tf();
CREATE POLICY p ON kid USING (x IN (SELECT a FROM acl));
CREATE SEQUENCE q OWNED BY kid.x;
COMMENT ON COLUMN kid.x IS 'x';
GRANT SELECT (x) ON kid TO PUBLIC, "Bob";
REVOKE EXECUTE ON FUNCTION f(blog.mood, int, text[]) FROM PUBLIC;
ALTER TABLE kid RENAME TO kid2;
ALTER TRIGGER t ON kid2 RENAME TO t2;
ALTER TABLE kid2 SET SCHEMA blog;
DROP FUNCTION f(blog.mood, integer, VARIADIC text[]), blog.h;
DROP TABLE blog.kid2, "Odd Name";
INSERT INTO blog.m SELECT * FROM blog.m1;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE DOMAIN blog.email AS citext CHECK (VALUE ~ '@');
SQL
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "{tag, creates, alters, drops, references} | with_entries(select(.value != null))"' _ "$T/a.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" '{"tag":"CREATE SCHEMA","creates":["schema:blog"]}
{"tag":"CREATE TYPE","creates":["type:blog.mood"],"references":["schema:blog"]}
{"tag":"CREATE TABLE","creates":["table:blog.m"],"references":["schema:blog","type:blog.mood","sequence:blog.s","function:blog.ok"]}
{"tag":"CREATE TABLE","creates":["table:blog.m1"],"references":["schema:blog","table:blog.m"]}
{"tag":"CREATE TABLE","creates":["table:public.kid"],"references":["schema:public","table:blog.m"]}
{"tag":"ALTER TABLE","alters":["table:public.kid"],"references":["table:blog.par","column:blog.par.a","type:blog.email"]}
{"tag":"CREATE INDEX","creates":["index:public.kid_x"],"references":["table:public.kid","schema:public"]}
{"tag":"CREATE VIEW","creates":["view:public.v"],"references":["schema:public","table:public.kid","table:blog.m"]}
{"tag":"CREATE FUNCTION","creates":["function:public.f(blog.mood,integer,text[])"],"references":["schema:public","type:blog.mood","function:blog.g"]}
{"tag":"CREATE TRIGGER","creates":["trigger:public.kid.t"],"references":["table:public.kid","schema:public","function:blog.tf()"]}
{"tag":"CREATE POLICY","creates":["policy:public.kid.p"],"references":["table:public.kid","schema:public","table:public.acl"]}
{"tag":"CREATE SEQUENCE","creates":["sequence:public.q"],"references":["schema:public","table:public.kid","column:public.kid.x"]}
{"tag":"COMMENT","creates":["comment:column:public.kid.x"],"references":["table:public.kid","column:public.kid.x"]}
{"tag":"GRANT","creates":["grant:column:public.kid.x:PUBLIC","grant:column:public.kid.x:\"Bob\"","grant:table:public.kid:PUBLIC","grant:table:public.kid:\"Bob\""],"references":["table:public.kid"]}
{"tag":"REVOKE","alters":["grant:function:public.f(blog.mood,integer,text[]):PUBLIC"],"references":["function:public.f(blog.mood,integer,text[])"]}
{"tag":"ALTER TABLE","creates":["table:public.kid2"],"alters":["table:public.kid"]}
{"tag":"ALTER TRIGGER","creates":["trigger:public.kid2.t2"],"alters":["trigger:public.kid2.t"],"references":["table:public.kid2","schema:public"]}
{"tag":"ALTER TABLE","creates":["table:blog.kid2"],"alters":["table:public.kid2"],"references":["schema:blog"]}
{"tag":"DROP FUNCTION","drops":["function:public.f(blog.mood,integer,text[])","function:blog.h"]}
{"tag":"DROP TABLE","drops":["table:blog.kid2","table:public.\"Odd Name\""]}
{"tag":"INSERT","references":["table:blog.m","table:blog.m1"]}
{"tag":"CREATE EXTENSION","creates":["extension:citext"],"references":["schema:ext"]}
{"tag":"CREATE DOMAIN","creates":["domain:blog.email"],"references":["schema:blog","type:public.citext"]}'
}

@test "tx is false for what PostgreSQL refuses in a transaction block, present either way" {
	printf 'CREATE INDEX CONCURRENTLY i ON t (a);\nVACUUM t;\nCREATE INDEX j ON t (a);\nDROP INDEX CONCURRENTLY i;\n' >"$T/a.sql"
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "[.tag, .tx]"' _ "$T/a.sql"
	assert_success
	assert_equal "$output" '["CREATE INDEX",false]
["VACUUM",false]
["CREATE INDEX",true]
["DROP INDEX",false]'
}

@test "command tags as PostgreSQL names them" {
	cat >"$T/a.sql" <<'SQL'
BEGIN; START TRANSACTION; COMMIT; ROLLBACK; SAVEPOINT a; RELEASE a; ROLLBACK TO a;
SET x = 1; RESET x; SHOW x; SELECT 1; INSERT INTO t VALUES (1); UPDATE t SET a = 1; DELETE FROM t;
CREATE TABLE t2 AS SELECT 1; SELECT 1 INTO t3; CREATE MATERIALIZED VIEW mv AS SELECT 1;
CREATE PROCEDURE p() LANGUAGE sql AS $$ $$; CREATE AGGREGATE ag (int) (sfunc = int4pl, stype = int);
ALTER VIEW v OWNER TO bob; ALTER SEQUENCE s RESTART; DROP MATERIALIZED VIEW mv; TRUNCATE t;
DISCARD ALL; COPY t FROM '/x'; DO $$ begin end $$; ANALYZE t; CREATE ROLE r; GRANT r TO bob;
COMMENT ON TABLE t IS NULL; CREATE FOREIGN TABLE ft (a int) SERVER s; ALTER TABLE t RENAME COLUMN a TO b;
SQL
	run --separate-stderr bash -c 'conf-parse "$1" | jq -r .tag' _ "$T/a.sql"
	assert_success
	assert_equal "$output" 'BEGIN
START TRANSACTION
COMMIT
ROLLBACK
SAVEPOINT
RELEASE
ROLLBACK
SET
RESET
SHOW
SELECT
INSERT
UPDATE
DELETE
CREATE TABLE AS
SELECT INTO
CREATE MATERIALIZED VIEW
CREATE PROCEDURE
CREATE AGGREGATE
ALTER VIEW
ALTER SEQUENCE
DROP MATERIALIZED VIEW
TRUNCATE TABLE
DISCARD ALL
COPY
DO
ANALYZE
CREATE ROLE
GRANT ROLE
COMMENT
CREATE FOREIGN TABLE
ALTER TABLE'
}

@test "a syntax error is reported at its place with the parser's message; the next statements still come; exit 4" {
	printf 'CREATE TABLE a (i int);\nCREATE TABLE bad (\n  x int,\n);\nSELECT '"'é'"', 1 +;\nCREATE TABLE b (i int);\n' >"$T/a.sql"
	run --separate-stderr conf-parse "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:4:1: syntax error at or near \")\"
conf-parse: $T/a.sql:5:16: syntax error at end of input"
	assert_equal "$(jq -r .sql <<<"$output")" 'CREATE TABLE a (i int)
CREATE TABLE b (i int)'
}

@test "a syntax error in a stream is placed in the original file" {
	P=$T/p
	mkdir -p "$P/db/schema" "$P/db/environments"
	printf 'include_dirs:\n  - db/schema\n' >"$P/db/environments/local.yaml"
	printf 'CREATE SCHEMA app;\n' >"$P/db/schema/10_a.sql"
	printf '\nCREATE TABLE app.t (a int,\n  b int c);\n' >"$P/db/schema/20_b.sql"
	run --separate-stderr bash -c 'conf-concat -C "$1" | conf-parse >/dev/null' _ "$P"
	assert_failure 4
	assert_equal "$stderr" 'conf-parse: db/schema/20_b.sql:3:9: syntax error at or near "c"'
}

@test "psql commands and COPY data are passed over, never parsed" {
	printf 'SELECT 1;\n\\set x 1\nCOPY t FROM stdin;\nnot; sql (\n\\.\n\\connect other\nSELECT 2;\n' >"$T/a.sql"
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "[.line, .tag]"' _ "$T/a.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/a.sql:6:1: warning: psql \\connect is not followed: what comes after it is read as in the same session"
	assert_equal "$output" '[1,"SELECT"]
[3,"COPY"]
[7,"SELECT"]'
}

@test "sql is sliced from the source, never deparsed; the fingerprint ignores constants and layout" {
	printf 'CREATE INDEX "Weird Idx" ON t (a) /* kept */;\nSELECT   1;\nselect 42;\n' >"$T/a.sql"
	run --separate-stderr bash -c 'conf-parse "$1" | jq -r "[.fingerprint, .sql] | join(\" \")"' _ "$T/a.sql"
	assert_success
	assert_line --index 0 --regexp '^[0-9a-f]{16} CREATE INDEX "Weird Idx" ON t \(a\) /\* kept \*/$'
	assert_line --index 1 '50fde20626009aba SELECT   1'
	assert_line --index 2 '50fde20626009aba select 42'
	run --separate-stderr bash -c 'conf-parse "$1" | head -1 | jq -r ".creates[0]"' _ "$T/a.sql"
	assert_output 'index:public."Weird Idx"'
}

@test "--tree adds the parse tree" {
	printf 'CREATE TABLE t (a int);\n' >"$T/a.sql"
	run --separate-stderr bash -c 'conf-parse --tree "$1" | jq -c "[.tree.CreateStmt.relation.relname, (.tree.CreateStmt.tableElts | length), (keys_unsorted | .[0])]"' _ "$T/a.sql"
	assert_success
	assert_equal "$output" '["t",1,"kind"]'
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "has(\"tree\")"' _ "$T/a.sql"
	assert_equal "$output" false
}

@test "a file that cannot be opened: exit 1, the other files still read" {
	printf 'SELECT 1;\n' >"$T/a.sql"
	run --separate-stderr conf-parse "$T/none.sql" "$T/a.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-parse: $T/none.sql: No such file or directory"
	assert_equal "$(jq -r .tag <<<"$output")" SELECT
}

@test "a stream the reader cannot read on: exit 4 at its place" {
	printf "SELECT 1;\nSELECT 'open;\n" >"$T/a.sql"
	run --separate-stderr conf-parse "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:2:8: ERROR 42601: unterminated quoted string at or near \"'open;...\""
	assert_equal "${#lines[@]}" 1
}

@test "usage errors exit 5" {
	run --separate-stderr conf-parse -x
	assert_failure 5
	assert_equal "$stderr" "conf-parse: invalid option -- 'x'
conf-parse: usage: conf-parse [-m] [--tree] [file ...]"
}

@test "corpus: every statement of the PostgreSQL regression files parsed or reported at a position" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no corpus at $CORPUS/parse (../shared/corpus is absent)"
	assert_equal "$(find "$CORPUS/parse/postgres_regress" -name '*.sql' | wc -l)" 213
	# one run over all of them; a sanitizer report would change the exit status (helper.bash)
	run --separate-stderr bash -c 'conf-parse "$1"/parse/postgres_regress/*.sql "$1"/parse/plpgsql_regress/*.sql "$1"/parse/plpgsql_samples.sql >"$2"' _ "$CORPUS" "$T/out"
	assert_failure 4
	# parsed statements: one valid record each (counts of libpg_query 15 on fixed files)
	assert_equal "$(jq -c 'select(.kind == "stmt" and (.tag | length) > 0 and (.line >= 1) and (.col >= 1))' "$T/out" | wc -l)" 38668
	assert_equal "$(wc -l <"$T/out")" 38668
	assert_equal "$(jq -r .tag "$T/out" | grep -c -x UNKNOWN)" 0
	# rejected statements (and streams the reader stops at): each reported with a position; most
	# syntax errors are psql's :variables, which only psql fills in; and 3 calls of a routine that
	# sets search_path (plpgsql_simple.sql: F43)
	assert_equal "${#stderr_lines[@]}" 383
	assert_equal "$(grep -c ': warning: search_path may change here' <<<"$stderr")" 3
	assert_equal "$(grep -cvE '^conf-parse: [^:]+/[^/:]+\.sql:[0-9]+:[0-9]+: .' <<<"$stderr")" 0
	assert_equal "$(grep -c ': syntax error at ' <<<"$stderr")" 288
	assert_equal "$(grep -c ': syntax error at or near ":"' <<<"$stderr")" 197
	assert_equal "$(grep -c ': warning: \\gexec runs the statements its query returns: they are not seen$' <<<"$stderr")" 3
	assert_equal "$(grep -c ': warning: psql \\c is not followed: what comes after it is read as in the same session$' <<<"$stderr")" 35
	# the files that begin with `SELECT ... AS skip_test \gset` are read to their last statement
	for f in unicode:14:34 json_encoding:43:78 jsonpath_encoding:32:59 collate.icu.utf8:425:760 collate.linux.utf8:200:459; do
		IFS=: read -r b n last <<<"$f"
		assert_equal "$b $(jq -r --arg f "/$b.sql" 'select(.file | endswith($f)) | .line' "$T/out" | wc -l)" "$b $n"
		assert_equal "$b $(jq -r --arg f "/$b.sql" 'select(.file | endswith($f)) | .line' "$T/out" | tail -n 1)" "$b $last"
	done
}

@test "bytes that are not UTF-8 in a literal (a Latin-1 file): refused as the server refuses the statement" {
	printf "CREATE TABLE t (a text DEFAULT '\xe9t\xe9');\n" >"$T/a.sql"
	run --separate-stderr conf-parse "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:1:33: invalid byte sequence for encoding \"UTF8\": 0xe9 0x74 0xe9"
	assert_equal "$output" ""
}

@test "-m: the model sorted by id, then the unmodeled statements in input order, each warned about once" {
	printf 'CREATE ROLE app;\nCREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\nSET search_path = public;\nTRUNCATE t;\n  CREATE CONVERSION c1 FOR \047LATIN1\047 TO \047UTF8\047 FROM iso8859_1_to_utf8;\nDO $$ begin end $$;\nCREATE INDEX i ON t (id);\nSELECT 1;\n' >"$T/a.sql"
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/a.sql:6:3: warning: CREATE CONVERSION is not in the model
conf-parse: $T/a.sql:7:1: warning: DO is not in the model"
	assert_equal "$(jq -r '[.kind, .id // .tag, .line // ""] | join(" ")' <<<"$output")" "index index:public.i 8
schema schema:public 
table table:public.t 2
unmodeled CREATE CONVERSION 6
unmodeled DO 7"
	assert_line --index 3 "{\"kind\":\"unmodeled\",\"col\":3,\"file\":\"$T/a.sql\",\"line\":6,\"sql\":\"CREATE CONVERSION c1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8\",\"tag\":\"CREATE CONVERSION\"}"
}

@test "-m: a statement PostgreSQL would reject against the model, and a syntax error: reported, the rest folded, exit 4" {
	printf 'CREATE SCHEMA s;\nALTER TABLE nope ADD COLUMN x int;\nCREATE TABLE x y;\nSET search_path = s;\nCREATE TABLE t (id int);\n' >"$T/a.sql"
	run --separate-stderr conf-parse --model "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:2:1: relation \"nope\" does not exist
conf-parse: $T/a.sql:3:16: syntax error at or near \"y\""
	assert_equal "$(jq -r .id <<<"$output")" "schema:public
schema:s
table:s.t"
}

@test "-m and --tree together are a usage error" {
	run --separate-stderr conf-parse -m --tree /dev/null
	assert_failure 5
	assert_equal "$stderr" "conf-parse: usage: conf-parse [-m] [--tree] [file ...]"
}

@test "schema elements, renames and moves, owners, comments removed, grants on schemas, identity added later" {
	cat >"$T/a.sql" <<'SQL'
CREATE SCHEMA s4 CREATE TABLE a (i int) CREATE VIEW b AS SELECT * FROM a;
ALTER TABLE s4.a OWNER TO bob;
ALTER FUNCTION f(int) SET SCHEMA s5;
ALTER TYPE mood RENAME TO feeling;
ALTER SCHEMA s4 RENAME TO s6;
COMMENT ON SCHEMA s6 IS NULL;
COMMENT ON CONSTRAINT c ON s6.a IS $$x$$;
GRANT USAGE ON SCHEMA s6 TO app;
GRANT SELECT ON ALL TABLES IN SCHEMA s6 TO app;
REFRESH MATERIALIZED VIEW mv;
CREATE TABLE s6.c (LIKE s6.a INCLUDING ALL);
ALTER TABLE s6.c ALTER COLUMN i ADD GENERATED ALWAYS AS IDENTITY;
SQL
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "{tag, creates, alters, drops, references} | with_entries(select(.value != null))"' _ "$T/a.sql"
	assert_success
	assert_equal "$output" '{"tag":"CREATE SCHEMA","creates":["schema:s4","table:s4.a","view:s4.b"],"references":["schema:s4","table:s4.a"]}
{"tag":"ALTER TABLE","alters":["table:s4.a"]}
{"tag":"ALTER FUNCTION","creates":["function:s5.f(integer)"],"alters":["function:public.f(integer)"],"references":["schema:s5"]}
{"tag":"ALTER TYPE","creates":["type:public.feeling"],"alters":["type:public.mood"]}
{"tag":"ALTER SCHEMA","creates":["schema:s6"],"alters":["schema:s4"]}
{"tag":"COMMENT","drops":["comment:schema:s6"],"references":["schema:s6"]}
{"tag":"COMMENT","creates":["comment:constraint:s6.a.c"],"references":["table:s6.a","constraint:s6.a.c"]}
{"tag":"GRANT","creates":["grant:schema:s6:app"],"references":["schema:s6"]}
{"tag":"GRANT","references":["schema:s6"]}
{"tag":"REFRESH MATERIALIZED VIEW","alters":["matview:public.mv"]}
{"tag":"CREATE TABLE","creates":["table:s6.c"],"references":["schema:s6","table:s6.a"]}
{"tag":"ALTER TABLE","creates":["sequence:s6.c_i_seq"],"alters":["table:s6.c"]}'
}

@test "a write error on standard output: exit 1 with the reason" {
	printf 'SELECT 1;\n' >"$T/a.sql"
	run --separate-stderr bash -c 'conf-parse "$1" >/dev/full' _ "$T/a.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-parse: error writing output: No space left on device"
}

@test "CREATE AGGREGATE: the id DROP and ALTER AGGREGATE give, its support functions and state types referenced" {
	cat >"$T/a.sql" <<'SQL'
CREATE AGGREGATE s.agg(text, int) (SFUNC = s.f, STYPE = s.st, FINALFUNC = ff, COMBINEFUNC = cf, INITCOND = 'x');
DROP AGGREGATE s.agg(text, integer);
CREATE AGGREGATE cnt(*) (sfunc = int8inc, stype = int8);
CREATE AGGREGATE old (basetype = text, sfunc = f, stype = text);
CREATE AGGREGATE anyold (basetype = 'ANY', sfunc = f, stype = mytype[]);
CREATE AGGREGATE h(int ORDER BY text) (sfunc = f, stype = text, hypothetical);
ALTER AGGREGATE h(int ORDER BY text) OWNER TO x;
CREATE AGGREGATE m(float8) (sfunc = float8pl, stype = float8, msfunc = s.m1, minvfunc = s.m2, mstype = s.mt, mfinalfunc = s.m3, serialfunc = s.se, deserialfunc = s.de);
SQL
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "{tag, creates, alters, drops, references} | with_entries(select(.value != null))"' _ "$T/a.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" '{"tag":"CREATE AGGREGATE","creates":["aggregate:s.agg(text,integer)"],"references":["schema:s","function:s.f","function:public.ff","function:public.cf","type:s.st"]}
{"tag":"DROP AGGREGATE","drops":["aggregate:s.agg(text,integer)"]}
{"tag":"CREATE AGGREGATE","creates":["aggregate:public.cnt()"],"references":["schema:public"]}
{"tag":"CREATE AGGREGATE","creates":["aggregate:public.old(text)"],"references":["schema:public","function:public.f"]}
{"tag":"CREATE AGGREGATE","creates":["aggregate:public.anyold()"],"references":["schema:public","function:public.f","type:public.mytype"]}
{"tag":"CREATE AGGREGATE","creates":["aggregate:public.h(integer,text)"],"references":["schema:public","function:public.f"]}
{"tag":"ALTER AGGREGATE","alters":["aggregate:public.h(integer,text)"]}
{"tag":"CREATE AGGREGATE","creates":["aggregate:public.m(double precision)"],"references":["schema:public","function:s.se","function:s.de","function:s.m1","function:s.m2","function:s.m3","type:s.mt"]}'
}

@test "a LANGUAGE sql body written as a string: what PostgreSQL validates at CREATE is referenced, unless check_function_bodies is off" {
	cat >"$T/a.sql" <<'SQL'
CREATE FUNCTION f1(a int) RETURNS int LANGUAGE sql AS $$ SELECT count(*) FROM t WHERE id = a; INSERT INTO s.log VALUES (g(a)) $$;
CREATE FUNCTION f2(int) RETURNS int AS 'SELECT x FROM t2' LANGUAGE SQL SET search_path = app, public;
CREATE FUNCTION f3(anyelement) RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM t3 $$;
CREATE FUNCTION f4() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT 1 FROM t4); END $$;
SET check_function_bodies = false;
CREATE FUNCTION f6() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM t6 $$;
SELECT pg_catalog.set_config('check_function_bodies', 'on', false);
CREATE FUNCTION f7() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM t7 $$;
SET check_function_bodies = 0;
CREATE FUNCTION f8() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM t8 $$;
RESET check_function_bodies;
CREATE FUNCTION f9() RETURNS int LANGUAGE sql AS $$ SELECT 1 FROM $$;
SQL
	run --separate-stderr bash -c 'conf-parse "$1" | jq -c "select(.tag == \"CREATE FUNCTION\") | .references"' _ "$T/a.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" '["schema:public","table:public.t","table:s.log","function:public.g"]
["schema:public","table:app.t2"]
["schema:public"]
["schema:public"]
["schema:public"]
["schema:public","table:public.t7"]
["schema:public"]
["schema:public"]'
}

@test "--tree: strings with escapes, multibyte characters, integers, as libpg_query writes them" {
	cat >"$T/a.sql" <<'SQL'
SELECT 'a	b\c"d', 'é😀', 0, 42, 1234567890123456789, 1.5, E'\u0001x' FROM t;
SQL
	run --separate-stderr bash -c 'conf-parse --tree "$1" | jq -c "[.tree.SelectStmt.targetList[].ResTarget.val.A_Const]"' _ "$T/a.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" '[{"location":7,"sval":{"sval":"a\tb\\c\"d"}},{"location":18,"sval":{"sval":"é😀"}},{"ival":{},"location":28},{"ival":{"ival":42},"location":31},{"fval":{"fval":"1234567890123456789"},"location":35},{"fval":{"fval":"1.5"},"location":56},{"location":61,"sval":{"sval":"\u0001x"}}]'
}

@test "a statement that runs across a file marker is reported there and reading goes on with the next file" {
	H='-- confiture:build env=- hash=00 files=2'
	printf -- "$H\n-- confiture:file a.sql sha256=00\nCREATE TABLE a (x int)\n-- confiture:file b.sql sha256=00\n, b int);\nCREATE TABLE c (z int);\n-- confiture:end files=2\n" >"$T/cross.sql"
	run --separate-stderr conf-parse "$T/cross.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: a.sql:1:1: the statement is not terminated by ';' and runs into the next file of the stream
conf-parse: b.sql:1:1: syntax error at or near \",\""
	assert_equal "$(jq -c '[.file, .line, .creates]' <<<"$output")" '["b.sql",2,["table:public.c"]]'
	run --separate-stderr conf-parse -m "$T/cross.sql"
	assert_failure 4
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "schema:public table:public.c "
	# an unclosed dollar body: the same, and the next file's first statement is read
	printf -- "$H\n-- confiture:file a.sql sha256=00\nCREATE FUNCTION f() RETURNS int AS \$\$ SELECT 1;\n-- confiture:file b.sql sha256=00\nCREATE TABLE c (z int);\n-- confiture:end files=2\n" >"$T/cross2.sql"
	run --separate-stderr conf-parse "$T/cross2.sql"
	assert_failure 4
	assert_equal "$stderr" 'conf-parse: a.sql:1:36: ERROR 42601: unterminated dollar-quoted string at or near "$$ SELECT 1;..."'
	assert_equal "$(jq -c '[.file, .line, .creates]' <<<"$output")" '["b.sql",1,["table:public.c"]]'
}

@test "a long chain of operators: read up to the documented depth, refused beyond it with the cause, never a crash" {
	awk 'BEGIN { s = "SELECT a"; for (i = 0; i < 2300; i++) s = s " + 1"; print s " FROM (SELECT 1 a) x;" }' >"$T/s2300.sql"
	run --separate-stderr conf-parse "$T/s2300.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c '[.tag, .line]' <<<"$output")" '["SELECT",1]'
	awk 'BEGIN { s = "SELECT a"; for (i = 0; i < 70000; i++) s = s " + 1"; print s ";"; print "CREATE TABLE t (a int);" }' >"$T/s70k.sql"
	run --separate-stderr conf-parse "$T/s70k.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/s70k.sql:1:1: the statement is nested too deeply for the reader (its parse tree has more than 20000 levels)"
	assert_equal "$(jq -c '[.tag, .line]' <<<"$output")" '["CREATE TABLE",2]'
	run --separate-stderr conf-parse -m "$T/s70k.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/s70k.sql:1:1: the statement is nested too deeply for the reader (its parse tree has more than 20000 levels)"
}

@test "an unqualified name is looked up along the search_path among the objects created so far; unknown ones go to the first schema" {
	cat >"$T/sp.sql" <<'SQL'
CREATE SCHEMA a; CREATE SCHEMA b;
CREATE TABLE b.t (id int PRIMARY KEY);
CREATE TYPE b.mood AS ENUM ('x');
CREATE FUNCTION b.fn(int) RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE SEQUENCE b.sq;
SET search_path = a, b;
CREATE TABLE x (id int REFERENCES t, m mood, n int DEFAULT nextval('sq'), k int DEFAULT fn(1), u int REFERENCES nope);
COMMENT ON TABLE t IS 'b.t';
GRANT SELECT ON t TO PUBLIC;
CREATE TABLE t (id int PRIMARY KEY, p int REFERENCES t);
COMMENT ON TABLE t IS 'a.t';
DROP FUNCTION fn(int);
SQL
	run --separate-stderr conf-parse "$T/sp.sql"
	assert_success
	assert_equal "$(sed -n '8,$p' <<<"$output" | facts)" '{"tag":"CREATE TABLE","creates":["table:a.x"],"references":["schema:a","table:b.t","type:b.mood","sequence:b.sq","function:b.fn","table:a.nope"]}
{"tag":"COMMENT","creates":["comment:table:b.t"],"references":["table:b.t"]}
{"tag":"GRANT","creates":["grant:table:b.t:PUBLIC"],"references":["table:b.t"]}
{"tag":"CREATE TABLE","creates":["table:a.t"],"references":["schema:a","table:a.t"]}
{"tag":"COMMENT","creates":["comment:table:a.t"],"references":["table:a.t"]}
{"tag":"DROP FUNCTION","drops":["function:b.fn(integer)"]}'
}

@test "a cut stream: what it holds is written, then the message conf-apply gives, exit 4" {
	printf -- "-- confiture:build env=- hash=00 files=2\n-- confiture:file a.sql sha256=00\nCREATE TABLE a (x int);\n-- confiture:file b.sql sha256=00\nCREATE TABLE b (y int);\n" >"$T/cut.sql"
	run --separate-stderr conf-parse -m "$T/cut.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/cut.sql: the stream is incomplete: its end line is missing (did its producer fail?)"
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "schema:public table:public.a table:public.b "
	run --separate-stderr bash -c "conf-parse <'$T/cut.sql'"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: <stdin>: the stream is incomplete: its end line is missing (did its producer fail?)"
	assert_equal "${#lines[@]}" 2
	printf -- "-- confiture:build env=- hash=00 files=3\n-- confiture:file a.sql sha256=00\nCREATE TABLE a (x int);\n-- confiture:end files=3\n" >"$T/short.sql"
	run --separate-stderr conf-parse "$T/short.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/short.sql: the stream is incomplete: its header announces 3 files and 1 came"
	printf -- "-- confiture:build env=- hash=00 files=1\n-- confiture:file a.sql sha256=00\nCREATE TABLE a (x int);\n-- confiture:end files=1\nCREATE TABLE z (x int);\n" >"$T/after.sql"
	run --separate-stderr conf-parse "$T/after.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/after.sql:5:1: the stream goes on after its end line (was text appended to it?)"
	printf -- "-- confiture:build env=- hash=00 files=1\n-- confiture:file a.sql sha256=00\nCREATE TABLE a (x int);\n-- confiture:end files=1\n" >"$T/whole.sql"
	run --separate-stderr conf-parse "$T/whole.sql"
	assert_success
	assert_equal "$stderr" ""
}

@test "-m: statements on an object an unmodeled statement created are unmodeled too, not errors" {
	printf '%s\n' 'CREATE TABLE src (a int);' 'CREATE TABLE snap AS SELECT a FROM src;' 'CREATE INDEX snap_a ON snap (a);' \
	    'ALTER TABLE snap ADD PRIMARY KEY (a);' 'CREATE VIEW v AS SELECT * FROM snap;' "COMMENT ON VIEW v IS 'x';" \
	    'ALTER TABLE nope ADD b int;' >"$T/u.sql"
	run --separate-stderr conf-parse -m "$T/u.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/u.sql:2:1: warning: CREATE TABLE AS is not in the model
conf-parse: $T/u.sql:3:1: warning: CREATE INDEX is not in the model
conf-parse: $T/u.sql:4:1: warning: ALTER TABLE is not in the model
conf-parse: $T/u.sql:5:1: warning: CREATE VIEW is not in the model
conf-parse: $T/u.sql:6:1: warning: COMMENT is not in the model
conf-parse: $T/u.sql:7:1: relation \"nope\" does not exist"
	assert_equal "$(jq -c '[.kind, .id // .line]' <<<"$output" | tr '\n' ' ')" '["schema","schema:public"] ["table","table:public.src"] ["unmodeled",2] ["unmodeled",3] ["unmodeled",4] ["unmodeled",5] ["unmodeled",6] '
}

@test "set_config('search_path', ..., true) outside a transaction block lasts for its statement only" {
	printf '%s\n' 'CREATE SCHEMA s;' 'SET search_path = s;' "SELECT set_config('search_path', 'public', true);" 'CREATE TABLE a6 (id int);' \
	    'BEGIN;' "SELECT set_config('search_path', 'public', true);" 'CREATE TABLE a7 (id int);' 'COMMIT;' 'CREATE TABLE a8 (id int);' \
	    "SELECT set_config('search_path', 'public', false);" 'CREATE TABLE a9 (id int);' >"$T/l.sql"
	run --separate-stderr conf-parse "$T/l.sql"
	assert_success
	assert_equal "$(jq -c 'select(.creates) | .creates[]' <<<"$output" | tr '\n' ' ')" '"schema:s" "table:s.a6" "table:public.a7" "table:s.a8" "table:public.a9" '
	run --separate-stderr conf-parse -m "$T/l.sql"
	assert_success
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "schema:public schema:s table:public.a7 table:public.a9 table:s.a6 table:s.a8 "
}

@test "a statement that is not UTF-8 is refused as the server refuses it, at the bad byte; the next is read" {
	printf -- "CREATE TABLE t (a int);\nCOMMENT ON TABLE t IS 'caf\xe9';\nCREATE TABLE \"caf\xe9\" (b int);\nCREATE TABLE u (\n  \"\xc3\xa9t\xe9\" int);\nCREATE TABLE \"\xc3\xa9\" (c int);\n" >"$T/latin1.sql"
	run --separate-stderr conf-parse -m "$T/latin1.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/latin1.sql:2:27: invalid byte sequence for encoding \"UTF8\": 0xe9 0x27 0x3b
conf-parse: $T/latin1.sql:3:18: invalid byte sequence for encoding \"UTF8\": 0xe9 0x22 0x20
conf-parse: $T/latin1.sql:5:6: invalid byte sequence for encoding \"UTF8\": 0xe9 0x22 0x20"
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "schema:public table:public.\"é\" table:public.t "
	run --separate-stderr conf-parse "$T/latin1.sql"
	assert_failure 4
	assert_equal "$(jq -c .creates <<<"$output" | tr '\n' ' ')" '["table:public.t"] ["table:public.\"é\""] '
}

@test "records are written in large blocks, not a write per record; a write error still says why" {
	command -v strace >/dev/null || skip "strace is not installed"
	awk 'BEGIN { for (i = 0; i < 2000; i++) printf "CREATE TABLE t%d (a int);\n", i }' >"$T/many.sql"
	# LeakSanitizer cannot run under ptrace (the sanitizer build)
	ASAN_OPTIONS=detect_leaks=0 strace -o "$T/trace" -e trace=write conf-parse "$T/many.sql" >"$T/out"
	assert_equal "$(wc -l <"$T/out")" 2000
	assert_equal "$(tail -n 1 "$T/out" | jq -c .creates)" '["table:public.t1999"]'
	# about 430 KB of records: writes of 64 KB, not 2000
	[ "$(grep -c '^write(1,' "$T/trace")" -le 10 ]
	run --separate-stderr bash -c 'conf-parse -m "$1" >/dev/full' _ "$T/many.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-parse: error writing output: No space left on device"
}

# as_psql FILE: run FILE with psql (autocommit, going on after errors) into a fresh database, then
# compare conf-parse -m FILE with conf-inspect of it, text-only fields and unmodeled records left out
as_psql() {
	new_db
	(cd "$(dirname "$1")" && psql -X -q -v ON_ERROR_STOP=0 -d "$DBURL" -f "$(basename "$1")" >/dev/null 2>&1)
	local flt='walk(if type == "object" then with_entries(select(.key | test("^(file|line|col|sql)$|_sql$") | not)) else . end) | select(.kind != "unmodeled")'
	(cd "$(dirname "$1")" && conf-parse -m "$(basename "$1")" 2>/dev/null) | jq -c "$flt" >"$T/parse"
	conf-inspect -d "$DBURL" | jq -c "$flt" >"$T/inspect"
	diff "$T/inspect" "$T/parse"
}

@test "psql \\g, \\gx, \\gset, \\gexec, \\gdesc end a statement as ';' does; the rest of the file is read" {
	printf 'SELECT 1\n\\g\nCREATE TABLE b (y int);\nSELECT 2 \\gset p_\nSELECT $$CREATE TABLE g (a int)$$ \\gexec\nCREATE TABLE c (z int)\\gx\nCREATE TABLE d (a int) \\gdesc\nSELECT 3;\n' >"$T/a.sql"
	run --separate-stderr conf-parse "$T/a.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/a.sql:5:35: warning: \\gexec runs the statements its query returns: they are not seen"
	assert_equal "$(jq -c '[.line, .col, .sql]' <<<"$output")" '[1,1,"SELECT 1"]
[3,1,"CREATE TABLE b (y int)"]
[4,1,"SELECT 2"]
[5,1,"SELECT $$CREATE TABLE g (a int)$$"]
[6,1,"CREATE TABLE c (z int)"]
[7,1,"CREATE TABLE d (a int)"]
[8,1,"SELECT 3"]'
	# -m: \gdesc only describes its query; \gexec's statements are not seen, once more said so
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/a.sql:5:35: warning: \\gexec runs the statements its query returns: they are not seen"
	assert_equal "$(jq -r .id <<<"$output")" 'schema:public
table:public.b
table:public.c'
	# in an aborted block the query of \gexec fails: nothing to say of what it would run
	printf 'BEGIN;\nCREATE TABLE b (y int);\nCREATE TABLE b (y int);\nSELECT $$CREATE TABLE g (a int)$$ \\gexec\nCOMMIT;\n' >"$T/c.sql"
	run --separate-stderr conf-parse -m "$T/c.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/c.sql:3:1: relation \"b\" already exists
conf-parse: $T/c.sql:4:1: current transaction is aborted, commands ignored until end of transaction block"
	# \connect (\c) is not followed: said once where it stands
	printf 'CREATE TABLE a (x int);\n\\connect other\nCREATE TABLE b (x int);\n\\c - someone\n' >"$T/d.sql"
	run --separate-stderr conf-parse -m "$T/d.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/d.sql:2:1: warning: psql \\connect is not followed: what comes after it is read as in the same session
conf-parse: $T/d.sql:4:1: warning: psql \\c is not followed: what comes after it is read as in the same session"
	# another psql command inside a statement is still an error that stops the reading
	printf 'SELECT 0;\nSELECT 1 \\set x 1\nSELECT 2;\n' >"$T/b.sql"
	run --separate-stderr conf-parse "$T/b.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/b.sql:2:1: statement is not terminated by ';' before a backslash command"
	assert_equal "$(jq -r .sql <<<"$output")" "SELECT 0"
}

@test "psql \\i and \\ir are followed where they stand, positions in the included file; one not followed is a warning" {
	mkdir -p "$T/d/sub"
	printf 'CREATE TABLE inc_t (a int);\nCREATE INDEX inc_i ON inc_t (a);\n' >"$T/d/sub/inc.sql"
	printf 'CREATE TABLE top (a int);\n\\ir sub/inc.sql\n\\include_relative '"'"'sub/inc.sql'"'"'\n\\i :dir/x.sql\n\\ir nosuch.sql\nCREATE TABLE last (a int);\n' >"$T/d/main.sql"
	run --separate-stderr conf-parse "$T/d/main.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/d/main.sql:4:1: warning: psql include not followed: :dir/x.sql
conf-parse: $T/d/main.sql:5:1: warning: psql include not followed: $T/d/nosuch.sql: No such file or directory"
	assert_equal "$(jq -c '[.file, .line, .tag]' <<<"$output")" "[\"$T/d/main.sql\",1,\"CREATE TABLE\"]
[\"$T/d/sub/inc.sql\",1,\"CREATE TABLE\"]
[\"$T/d/sub/inc.sql\",2,\"CREATE INDEX\"]
[\"$T/d/sub/inc.sql\",1,\"CREATE TABLE\"]
[\"$T/d/sub/inc.sql\",2,\"CREATE INDEX\"]
[\"$T/d/main.sql\",6,\"CREATE TABLE\"]"
	# \i is relative to the working directory, as in psql; -m folds what it includes, and the
	# second inclusion fails as it would on the server
	cd "$T/d"
	printf 'CREATE TABLE top (a int);\n\\i sub/inc.sql\n\\i sub/inc.sql\n' >"$T/d/m2.sql"
	run --separate-stderr conf-parse -m m2.sql
	assert_failure 4
	assert_equal "$stderr" 'conf-parse: sub/inc.sql:1:1: relation "inc_t" already exists
conf-parse: sub/inc.sql:2:1: relation "inc_i" already exists'
	assert_equal "$(jq -r .id <<<"$output")" 'index:public.inc_i
schema:public
table:public.inc_t
table:public.top'
	# a file that includes itself stops at a depth, with a warning
	printf 'SELECT 1;\n\\i self.sql\n' >"$T/d/self.sql"
	run --separate-stderr conf-parse self.sql
	assert_success
	assert_equal "${#lines[@]}" 17
	assert_equal "$stderr" "conf-parse: self.sql:2:1: warning: psql include not followed: self.sql: included 16 levels deep"
}

@test "-m: ROLLBACK undoes its block (search path included); an error aborts the block, reported once; COMMIT of it rolls back" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE keep (a int);
BEGIN;
CREATE TABLE rolled (a int);
ALTER TABLE keep ADD COLUMN b int;
CREATE SCHEMA s;
SET search_path = s;
ROLLBACK;
CREATE TABLE back_in_public (a int);
BEGIN;
CREATE TABLE in_tx (a int);
CREATE TABLE in_tx (a int);
CREATE TABLE after_err (a int);
DROP TABLE keep;
COMMIT;
START TRANSACTION;
CREATE TABLE committed (a int);
COMMENT ON TABLE committed IS 'c';
END;
SQL
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:11:1: relation \"in_tx\" already exists
conf-parse: $T/a.sql:12:1: current transaction is aborted, commands ignored until end of transaction block"
	assert_equal "$(jq -c '[.id, .columns[]?.name]' <<<"$output")" '["comment:table:public.committed"]
["schema:public"]
["table:public.back_in_public","a"]
["table:public.committed","a"]
["table:public.keep","a"]'
	as_psql "$T/a.sql"
}

@test "-m: savepoints: ROLLBACK TO undoes back to it and keeps it, RELEASE keeps the work; outside a block they fail" {
	cat >"$T/a.sql" <<'SQL'
BEGIN;
CREATE TABLE a (x int);
SAVEPOINT s1;
CREATE TABLE b (x int);
SAVEPOINT s2;
ALTER TABLE a ADD COLUMN y int;
ROLLBACK TO SAVEPOINT s1;
CREATE TABLE c (x int);
ALTER TABLE a ADD COLUMN z int;
CREATE TABLE c (x int);
CREATE TABLE ignored (x int);
ROLLBACK TO s1;
SAVEPOINT s3;
CREATE TABLE d (x int);
RELEASE SAVEPOINT s3;
CREATE TABLE e (x int);
COMMIT;
SAVEPOINT out;
RELEASE out;
SQL
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:10:1: relation \"c\" already exists
conf-parse: $T/a.sql:11:1: current transaction is aborted, commands ignored until end of transaction block
conf-parse: $T/a.sql:18:1: SAVEPOINT can only be used in transaction blocks
conf-parse: $T/a.sql:19:1: RELEASE SAVEPOINT can only be used in transaction blocks"
	assert_equal "$(jq -c '[.id, .columns[]?.name]' <<<"$output")" '["schema:public"]
["table:public.a","x"]
["table:public.d","x"]
["table:public.e","x"]'
	as_psql "$T/a.sql"
	# a savepoint that does not exist aborts the block; AND CHAIN opens the next one at once
	printf 'BEGIN;\nCREATE TABLE a (x int);\nRELEASE nosuch;\nCREATE TABLE b (x int);\nCOMMIT AND CHAIN;\nCREATE TABLE c (x int);\nCOMMIT;\n' >"$T/b.sql"
	run --separate-stderr conf-parse -m "$T/b.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/b.sql:3:1: savepoint \"nosuch\" does not exist
conf-parse: $T/b.sql:4:1: current transaction is aborted, commands ignored until end of transaction block"
	assert_equal "$(jq -r .id <<<"$output")" 'schema:public
table:public.c'
	# what a released savepoint did rolls back with its block
	printf 'CREATE TABLE k (a int);\nBEGIN;\nSAVEPOINT s;\nCREATE TABLE r (a int);\nALTER TABLE k ADD COLUMN b int;\nRELEASE s;\nROLLBACK;\n' >"$T/c.sql"
	run --separate-stderr conf-parse -m "$T/c.sql"
	assert_success
	assert_equal "$(jq -c '[.id, .columns[]?.name]' <<<"$output")" '["schema:public"]
["table:public.k","a"]'
}

@test "-m: a block left open at the end of the input is rolled back, with a warning; the unmodeled statements of a rolled-back block go too" {
	printf 'CREATE TABLE t (a int);\nBEGIN;\nBEGIN;\nCREATE CONVERSION c1 FOR \047LATIN1\047 TO \047UTF8\047 FROM iso8859_1_to_utf8;\nROLLBACK;\nCOMMIT;\nBEGIN;\nCREATE TABLE u (a int);\n' >"$T/a.sql"
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/a.sql:3:1: warning: there is already a transaction in progress
conf-parse: $T/a.sql:4:1: warning: CREATE CONVERSION is not in the model
conf-parse: $T/a.sql:6:1: warning: there is no transaction in progress
conf-parse: $T/a.sql:7:1: warning: BEGIN without COMMIT: the block is rolled back at the end of the input"
	assert_equal "$(jq -r .id <<<"$output")" 'schema:public
table:public.t'
	printf 'COMMIT AND CHAIN;\nROLLBACK AND CHAIN;\nCREATE TABLE t (a int);\n' >"$T/b.sql"
	run --separate-stderr conf-parse -m "$T/b.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/b.sql:1:1: COMMIT AND CHAIN can only be used in transaction blocks
conf-parse: $T/b.sql:2:1: ROLLBACK AND CHAIN can only be used in transaction blocks"
	assert_equal "$(jq -r .id <<<"$output")" 'schema:public
table:public.t'
}

@test "-m: a statement is atomic: one whose later part fails leaves nothing of its earlier parts" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN b int, ADD CONSTRAINT c CHECK (a > 0), DROP COLUMN nosuch;
CREATE TABLE u (a int, CONSTRAINT ok CHECK (a > 0), CONSTRAINT ok CHECK (a < 9));
CREATE TABLE w (a int PRIMARY KEY REFERENCES nosuch);
CREATE TABLE v (id serial, a int, CHECK (a > 0), CONSTRAINT v_a_check1 CHECK (a < 9), CONSTRAINT v_a_check1 CHECK (a < 8));
SQL
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/a.sql:2:1: column \"nosuch\" of relation \"t\" does not exist
conf-parse: $T/a.sql:3:1: check constraint \"ok\" already exists
conf-parse: $T/a.sql:4:1: relation \"nosuch\" does not exist
conf-parse: $T/a.sql:5:1: check constraint \"v_a_check1\" already exists"
	assert_equal "$output" '{"kind":"schema","id":"schema:public","name":"public"}
{"kind":"table","id":"table:public.t","col":1,"columns":[{"name":"a","type":"integer"}],"file":"'"$T"'/a.sql","line":1,"name":"t","schema":"public"}'
	as_psql "$T/a.sql"
}

@test "a file marker whose line= is not a line number is an error at the marker's line" {
	for v in abc -3 0 12x 1000000000 99999999999999999999; do
		printf 'CREATE TABLE a (x int);\n-- confiture:file a.sql sha256=00 line=%s\nCREATE TABLE b (y int);\n' "$v" >"$T/a.sql"
		run --separate-stderr conf-parse "$T/a.sql"
		assert_failure 4
		assert_equal "$stderr" "conf-parse: $T/a.sql:2:1: a file marker's line= is not a line number (1 to 999999999)"
		assert_equal "$(jq -r .sql <<<"$output")" "CREATE TABLE a (x int)"
	done
	printf -- '-- confiture:file a.sql sha256=00 line=999999999\nCREATE TABLE b (y int);\n' >"$T/b.sql"
	run -0 conf-parse "$T/b.sql"
	assert_equal "$(jq -c '[.file, .line]' <<<"$output")" '["a.sql",999999999]'
}

@test "statements on one long line cost what they cost on lines of their own: columns count on, not from the line's start (F63)" {
	python3 -c "print(''.join(f'CREATE TABLE t{i} (a int); ' for i in range(30000)))" >"$T/one.sql"
	tr ';' '\n' <"$T/one.sql" | sed 's/$/;/' >"$T/lines.sql"
	# CPU seconds, not wall time, on a shared machine: 4 s against 0.2 s when each column was
	# counted from the start of the line
	TIMEFORMAT=%U
	{ time conf-parse "$T/one.sql" >"$T/one.jsonl"; } 2>"$T/one.t"
	{ time conf-parse "$T/lines.sql" >/dev/null; } 2>"$T/lines.t"
	awk -v a="$(cat "$T/one.t")" -v b="$(cat "$T/lines.t")" 'BEGIN { exit !(a <= 3 * b + 0.5) }'
	run jq -r '[.line, .col, .sql] | @tsv' "$T/one.jsonl"
	assert_line --index 0 "$(printf '1\t1\tCREATE TABLE t0 (a int)')"
	assert_line --index 1 "$(printf '1\t26\tCREATE TABLE t1 (a int)')"
	assert_line --index 29999 "$(printf '1\t858862\tCREATE TABLE t29999 (a int)')"
}

@test "-m: the undo costs a copy of what a statement touches, not of the model: a big schema in a block costs what it costs outside one" {
	python3 "$REPO/tests/review/gen-big.py" 2000 >"$T/big.sql"
	{ echo 'BEGIN;'; cat "$T/big.sql"; echo 'COMMIT;'; } >"$T/tx.sql"
	{ echo 'BEGIN;'; cat "$T/big.sql"; echo 'ROLLBACK;'; } >"$T/rb.sql"
	# a block per table, as migrations concatenated are
	awk 'NR % 3 == 1 { print "BEGIN;" } { print } NR % 3 == 0 { print "COMMIT;" }' "$T/big.sql" >"$T/blocks.sql"
	TIMEFORMAT=%U
	{ time conf-parse -m "$T/big.sql" >"$T/big.out"; } 2>"$T/big.t"
	{ time conf-parse -m "$T/tx.sql" >"$T/tx.out"; } 2>"$T/tx.t"
	{ time conf-parse -m "$T/blocks.sql" >"$T/blocks.out"; } 2>"$T/blocks.t"
	assert_equal "$(jq -c 'del(.file, .line)' "$T/tx.out")" "$(jq -c 'del(.file, .line)' "$T/big.out")"
	assert_equal "$(jq -c 'del(.file, .line)' "$T/blocks.out")" "$(jq -c 'del(.file, .line)' "$T/big.out")"
	assert_equal "$(wc -l <"$T/big.out")" 8001
	# CPU seconds on a shared machine: a copy of the model (or of the names it knows) per
	# statement or per block would be 20 times more
	awk -v a="$(cat "$T/tx.t")" -v b="$(cat "$T/big.t")" 'BEGIN { exit !(a <= 2 * b + 0.3) }'
	awk -v a="$(cat "$T/blocks.t")" -v b="$(cat "$T/big.t")" 'BEGIN { exit !(a <= 2 * b + 0.3) }'
	run -0 conf-parse -m "$T/rb.sql"
	assert_output '{"kind":"schema","id":"schema:public","name":"public"}'
}

@test "-m: the names a rolled-back block took are free again for the names PostgreSQL invents" {
	cat >"$T/a.sql" <<'SQL'
CREATE TABLE base (a int);
BEGIN;
CREATE TABLE x (a int CHECK (a > 0), b int UNIQUE);
ALTER TABLE base ADD CONSTRAINT base_a_check CHECK (a > 1);
CREATE INDEX t_pkey ON x (a);
ROLLBACK;
CREATE TABLE t (id int PRIMARY KEY);
CREATE TABLE x (a int CHECK (a > 0), b int UNIQUE);
ALTER TABLE base ADD CHECK (a > 2);
SQL
	run --separate-stderr conf-parse -m "$T/a.sql"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(jq -c 'select(.kind == "table") | [.id, .constraints[]?.name]' <<<"$output")" '["table:public.base","base_a_check"]
["table:public.t","t_pkey"]
["table:public.x","x_a_check","x_b_key"]'
	as_psql "$T/a.sql"
	# and the names of what it dropped are taken again
	printf 'CREATE TABLE x (a int CONSTRAINT y_a_check CHECK (a > 0));\nBEGIN;\nDROP TABLE x;\nCREATE TABLE z (a int);\nROLLBACK;\nCREATE TABLE y (a int CHECK (a > 0));\n' >"$T/b.sql"
	run -0 conf-parse -m "$T/b.sql"
	assert_equal "$(jq -c 'select(.kind == "table") | [.id, .constraints[]?.name]' <<<"$output")" '["table:public.x","y_a_check"]
["table:public.y","y_a_check1"]'
	as_psql "$T/b.sql"
}

# ---- h/xperf: statement records (F29, F43, F49) ----

@test "xperf F29: ALTER TABLE subcommands naming a trigger or an index reference it (ALL and USER name none)" {
	printf 'CREATE SCHEMA s;\nALTER TABLE s.acct ENABLE REPLICA TRIGGER "Tr", ENABLE TRIGGER ALL, DISABLE TRIGGER USER, CLUSTER ON i, REPLICA IDENTITY USING INDEX j;\n' >"$T/at.sql"
	run --separate-stderr conf-parse "$T/at.sql"
	assert_success
	assert_equal "$stderr" ""
	run jq -c 'select(.line == 2) | [.alters, .references]' <<<"$output"
	assert_output '[["table:s.acct"],["trigger:s.acct.\"Tr\"","index:s.i","index:s.j"]]'
}

@test "xperf F29: wrappers and servers are created and referenced (fdw:W, server:S); an extension *_fdw creates its wrapper" {
	printf 'CREATE EXTENSION postgres_fdw;\nCREATE EXTENSION dblink;\nCREATE EXTENSION hstore;\nCREATE FOREIGN DATA WRAPPER "W";\nCREATE SERVER s FOREIGN DATA WRAPPER "W";\nCREATE FOREIGN TABLE ft (a int) SERVER s;\nCREATE USER MAPPING FOR CURRENT_USER SERVER s;\n' >"$T/fdw.sql"
	run --separate-stderr conf-parse "$T/fdw.sql"
	assert_success
	assert_equal "$stderr" ""
	run jq -c '[.tag, .creates, .references]' <<<"$output"
	assert_output '["CREATE EXTENSION",["extension:postgres_fdw","fdw:postgres_fdw"],null]
["CREATE EXTENSION",["extension:dblink","fdw:dblink_fdw"],null]
["CREATE EXTENSION",["extension:hstore"],null]
["CREATE FOREIGN DATA WRAPPER",["fdw:\"W\""],null]
["CREATE SERVER",["server:s"],["fdw:\"W\""]]
["CREATE FOREIGN TABLE",["table:public.ft"],["schema:public","server:s"]]
["CREATE USER MAPPING",null,["server:s"]]'
}

@test "xperf F43: set_config's GUC name in any case; a search_path change not followed is warned about once, at its statement" {
	cat >"$T/sc.sql" <<'SQL'
CREATE SCHEMA s;
CREATE FUNCTION setp() RETURNS text LANGUAGE sql AS $$ SELECT set_config('search_path', 's', false) $$;
CREATE FUNCTION keep() RETURNS text LANGUAGE sql SET search_path = s AS $$ SELECT set_config('search_path', 's', false) $$;
SELECT keep();
SELECT setp();
CREATE TABLE t2 (a int);
SET search_path = public;
DO $$ BEGIN PERFORM set_config('Search_Path', 's', false); END $$;
DO $$ BEGIN PERFORM 1; END $$;
SELECT set_config('search_path', 's' || '', false);
SELECT set_config('search_path', 's', false) WHERE false;
CREATE TABLE t6 (a int);
SELECT set_config('SEARCH_PATH', 's', false);
CREATE TABLE t7 (a int);
SQL
	run --separate-stderr conf-parse "$T/sc.sql"
	assert_success
	w="warning: search_path may change here; names after it are resolved with search_path"
	assert_equal "$stderr" "conf-parse: $T/sc.sql:5:1: $w = public
conf-parse: $T/sc.sql:8:1: $w = public
conf-parse: $T/sc.sql:10:1: $w = public
conf-parse: $T/sc.sql:11:1: $w = public"
	run jq -r 'select(.tag == "CREATE TABLE") | .creates[0]' <<<"$output"
	assert_output 'table:public.t2
table:public.t6
table:s.t7'
	# the same warning with -m, once per statement
	run --separate-stderr conf-parse -m "$T/sc.sql"
	[ "$(grep -c 'search_path may change' <<<"$stderr")" -eq 4 ]
}

@test "xperf F49: a view or materialized view the input created is referenced as view: / matview:, a table made since under that name as table:" {
	printf 'CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a FROM t;\nCREATE MATERIALIZED VIEW mv AS SELECT a FROM v;\nCREATE INDEX mi ON mv (a);\nCREATE TRIGGER tr INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f();\nSELECT * FROM v, mv, t, elsewhere;\nALTER TABLE mv RENAME TO mv2;\nDROP VIEW v CASCADE;\nCREATE TABLE v (a int);\nSELECT * FROM v;\n' >"$T/v.sql"
	run --separate-stderr conf-parse "$T/v.sql"
	assert_success
	assert_equal "$stderr" ""
	run jq -c '[.tag, .references, .alters]' <<<"$output"
	assert_output '["CREATE TABLE",["schema:public"],null]
["CREATE VIEW",["schema:public","table:public.t"],null]
["CREATE MATERIALIZED VIEW",["schema:public","view:public.v"],null]
["CREATE INDEX",["matview:public.mv","schema:public"],null]
["CREATE TRIGGER",["view:public.v","schema:public","function:public.f()"],null]
["SELECT",["view:public.v","matview:public.mv","table:public.t","table:public.elsewhere"],null]
["ALTER TABLE",null,["matview:public.mv"]]
["DROP VIEW",null,null]
["CREATE TABLE",["schema:public"],null]
["SELECT",["table:public.v"],null]'
}

@test "xperf F29: COLLATE of a user collation is a reference; C, POSIX, locale names (en_US) and pg_catalog ones are not" {
	printf 'CREATE COLLATION ci (provider = icu, locale = $$und$$, deterministic = false);\nCREATE TABLE t (n text COLLATE ci, m text COLLATE "C");\nCREATE INDEX i ON t ((n COLLATE public.ci));\nCREATE INDEX j ON t (n COLLATE ci);\nSELECT n COLLATE "en_US", m COLLATE pg_catalog."C" FROM t;\n' >"$T/coll.sql"
	run --separate-stderr conf-parse "$T/coll.sql"
	assert_success
	assert_equal "$stderr" ""
	run jq -c '[.creates, .references]' <<<"$output"
	assert_output '[["collation:public.ci"],["schema:public"]]
[["table:public.t"],["schema:public","collation:public.ci"]]
[["index:public.i"],["table:public.t","schema:public","collation:public.ci"]]
[["index:public.j"],["table:public.t","schema:public","collation:public.ci"]]
[null,["table:public.t"]]'
}

# ---- h/f8sort: only a reference to an unmodeled object of a kind the model holds makes a statement unmodeled (R12, R16) ----

@test "f8sort R12: a table, view, index, comment on a user collation stay modeled, and so is CREATE COLLATION" {
	printf 'CREATE COLLATION c2 FROM "C";\nCREATE TABLE t (n text COLLATE c2);\nCREATE VIEW v AS SELECT * FROM t;\nCOMMENT ON TABLE t IS $$x$$;\nCREATE INDEX ON t(n);\nCREATE DOMAIN d AS text COLLATE c2;\n' >"$T/col.sql"
	run --separate-stderr conf-parse -m "$T/col.sql"
	assert_success
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$T/col.m"
	run jq -r '[.kind, .id // .tag] | join(" ")' <<<"$output"
	assert_output 'collation collation:public.c2
comment comment:table:public.t
domain domain:public.d
index index:public.t_n_idx
schema schema:public
table table:public.t
view view:public.v'
	run jq -r 'select(.id == "table:public.t") | .columns[0].collation' "$T/col.m"
	assert_output public.c2
}

@test "f8sort R12: a foreign table on a server stays modeled; a table of an unmodeled type does not" {
	printf 'CREATE FOREIGN DATA WRAPPER w;\nCREATE SERVER s FOREIGN DATA WRAPPER w;\nCREATE FOREIGN TABLE ft (a int) SERVER s;\nCREATE TYPE sh;\nCREATE TABLE t (a sh);\nCREATE INDEX ON t (a);\n' >"$T/srv.sql"
	run --separate-stderr conf-parse -m "$T/srv.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/srv.sql:4:1: warning: CREATE TYPE is not in the model
conf-parse: $T/srv.sql:5:1: warning: CREATE TABLE is not in the model
conf-parse: $T/srv.sql:6:1: warning: CREATE INDEX is not in the model"
	run jq -r 'select(.kind == "table") | "\(.id) \(.relkind)"' <<<"$output"
	assert_output 'table:public.ft foreign'
}

@test "f8sort R16: GRANT ... ON ALL TABLES IN SCHEMA s is unmodeled when s holds an unmodeled table; ON ALL SEQUENCES and another schema stay modeled" {
	printf 'CREATE SCHEMA app;\nCREATE TYPE app.sh;\nCREATE TABLE app.t (a app.sh);\nCREATE TABLE app.u (a int);\nCREATE SEQUENCE app.s;\nGRANT SELECT ON ALL SEQUENCES IN SCHEMA app TO r2;\nGRANT SELECT ON ALL TABLES IN SCHEMA app TO r2;\nREVOKE ALL ON ALL TABLES IN SCHEMA public, app FROM r2;\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO r2;\n' >"$T/all.sql"
	run --separate-stderr conf-parse -m "$T/all.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/all.sql:2:1: warning: CREATE TYPE is not in the model
conf-parse: $T/all.sql:3:1: warning: CREATE TABLE is not in the model
conf-parse: $T/all.sql:7:1: warning: GRANT is not in the model
conf-parse: $T/all.sql:8:1: warning: REVOKE is not in the model"
	run jq -r 'select(.kind == "grant") | .id' <<<"$output"
	assert_output 'grant:sequence:app.s:r2'
}

# ---- h/f8tx ----

# server_errors FILE: psql runs FILE into $DB going on after errors; its ERROR lines as LINE: message
server_errors() {
	(cd "$(dirname "$1")" && psql -X -q -v ON_ERROR_STOP=0 -d "$DBURL" -f "$(basename "$1")" 2>&1 >/dev/null) |
		sed -n 's/^psql:[^:]*:\([0-9]*\): ERROR:  /\1: /p'
}

@test "h/f8tx R7 R11: a statement that cannot run in a transaction block, or an isolation level set after a query, is the server's error there and aborts the block" {
	cat >"$T/tx.sql" <<'SQL'
CREATE TABLE t (x int);
BEGIN;
CREATE TABLE a (x int);
CREATE INDEX CONCURRENTLY i ON t (x);
CREATE TABLE a2 (x int);
COMMIT;
BEGIN;
CREATE TABLE b (x int);
VACUUM t;
COMMIT;
BEGIN;
CREATE DATABASE nosuchdb_f8tx;
ROLLBACK;
BEGIN;
ALTER SYSTEM SET work_mem = '4MB';
END;
BEGIN;
CLUSTER;
COMMIT;
BEGIN;
DROP INDEX CONCURRENTLY nosuch;
COMMIT;
BEGIN;
SET LOCAL work_mem = '1MB';
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
CREATE TABLE c (x int);
SET TRANSACTION ISOLATION LEVEL READ COMMITTED;
COMMIT;
BEGIN;
CREATE TABLE d (x int);
SET transaction_isolation = 'repeatable read';
COMMIT;
BEGIN;
SAVEPOINT s;
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
ROLLBACK TO s;
CREATE TABLE e (x int);
COMMIT;
CREATE INDEX CONCURRENTLY j ON t (x);
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SQL
	run --separate-stderr conf-parse -m "$T/tx.sql"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $T/tx.sql:4:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction block
conf-parse: $T/tx.sql:5:1: current transaction is aborted, commands ignored until end of transaction block
conf-parse: $T/tx.sql:9:1: VACUUM cannot run inside a transaction block
conf-parse: $T/tx.sql:12:1: CREATE DATABASE cannot run inside a transaction block
conf-parse: $T/tx.sql:15:1: ALTER SYSTEM cannot run inside a transaction block
conf-parse: $T/tx.sql:18:1: CLUSTER cannot run inside a transaction block
conf-parse: $T/tx.sql:21:1: DROP INDEX CONCURRENTLY cannot run inside a transaction block
conf-parse: $T/tx.sql:27:1: SET TRANSACTION ISOLATION LEVEL must be called before any query
conf-parse: $T/tx.sql:31:1: SET TRANSACTION ISOLATION LEVEL must be called before any query
conf-parse: $T/tx.sql:35:1: SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction"
	run jq -r '.id' <<<"$output"
	assert_output 'index:public.j
schema:public
table:public.e
table:public.t'
	# the server: the same errors on the same lines, the same tables and index
	new_db
	run server_errors "$T/tx.sql"
	assert_output "$(sed 's/^conf-parse: [^:]*:\([0-9]*\):1: /\1: /' <<<"$stderr")"
	run q "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
	assert_output 'e j t'
}

@test "h/f8tx R23: -m follows psql \\if/\\elif/\\else/\\endif with constant conditions as psql does; a variable's is warned and every branch read" {
	cat >"$T/if.sql" <<'SQL'
\if false
CREATE TABLE a (x int);
\elif 'on'
CREATE TABLE b (x int);
\if 0
CREATE TABLE c (x int);
\else
CREATE TABLE d (x int);
\endif
\else
CREATE TABLE e (x int);
\endif
\if yes
CREATE TABLE f (x int);
\elif true
CREATE TABLE g (x int);
\else
CREATE TABLE h (x int);
\endif
\if OF
\if true
CREATE TABLE i (x int);
\endif
\i nosuch.sql
\elif nonsense
CREATE TABLE j (x int);
\elif n
CREATE TABLE k (x int);
\else
CREATE TABLE k2 (x int);
\endif
\set v 1
\if :v
CREATE TABLE l (x int);
\else
CREATE TABLE m (x int);
\endif
SQL
	run --separate-stderr conf-parse -m "$T/if.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/if.sql:25:1: warning: unrecognized value \"nonsense\" for \"\\elif expression\": Boolean expected
conf-parse: $T/if.sql:33:1: warning: \\if condition not known before psql runs: every branch of this \\if is read"
	run jq -r '.id' <<<"$output"
	assert_output 'schema:public
table:public.b
table:public.d
table:public.f
table:public.k2
table:public.l
table:public.m'
	# psql: the same branches (m is the one a variable decides), the same message for the bad value
	new_db
	run sh -c 'cd "$1" && psql -X -q -d "$2" -f if.sql 2>&1 >/dev/null' _ "$T" "$DBURL"
	assert_output 'psql:if.sql:25: error: unrecognized value "nonsense" for "\elif expression": Boolean expected'
	run q "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
	assert_output 'b d f k2 l'
	# unbalanced: said, and the rest read on
	printf '\\endif\n\\if true\nCREATE TABLE a (x int);\n\\else\n\\else\n\\elif false\nCREATE TABLE b (x int);\n' >"$T/u.sql"
	run --separate-stderr conf-parse -m "$T/u.sql"
	assert_success
	assert_equal "$stderr" "conf-parse: $T/u.sql:1:1: warning: \\endif: no matching \\if
conf-parse: $T/u.sql:5:1: warning: \\else: cannot occur after \\else
conf-parse: $T/u.sql:6:1: warning: \\elif: cannot occur after \\else
conf-parse: $T/u.sql:2:1: warning: \\if without \\endif: reached the end of the file"
	assert_equal "$(jq -r .id <<<"$output")" 'schema:public
table:public.a'
	# without -m every statement is described, as written
	run --separate-stderr conf-parse "$T/if.sql"
	assert_success
	assert_equal "$(jq -r 'select(.tag == "CREATE TABLE") | .creates[0]' <<<"$output" | tr '\n' ' ')" 'table:public.a table:public.b table:public.c table:public.d table:public.e table:public.f table:public.g table:public.h table:public.i table:public.j table:public.k table:public.k2 table:public.l table:public.m '
}

@test "h/f8tx R17: an unqualified function call in a check, default, index or view binds through the search_path in force, as on the server" {
	cat >"$T/sp.sql" <<'SQL'
CREATE SCHEMA s2;
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x+1';
CREATE FUNCTION s2.f(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x+2';
CREATE FUNCTION s2.h(x int, y int DEFAULT 0) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
CREATE FUNCTION h(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x';
CREATE TABLE s2.t (a int);
SET search_path = s2, public;
CREATE TABLE t1 (a int CHECK (f(a) > 0), b int DEFAULT f(1), c int DEFAULT h(1, 2));
CREATE VIEW v1 AS SELECT f(a), lower('x') AS l FROM t;
CREATE INDEX ON t1 (f(a));
SET search_path = public, s2;
CREATE TABLE t2 (a int CHECK (f(a) > 0), b int DEFAULT f(1), c int DEFAULT h(1, 2));
CREATE VIEW v2 AS SELECT f(a) FROM t;
CREATE INDEX ON t2 (f(a));
SQL
	run --separate-stderr conf-parse -m "$T/sp.sql"
	assert_success
	assert_equal "$stderr" ""
	# t1 calls s2.f, t2 public.f: their forms differ; h(1, 2) is s2.h on both paths
	run jq -r 'select(.kind == "table" and (.name | test("^t[12]$"))) | [.name, (.columns | map(.default // "-") | join(" "))] | join(" ")' <<<"$output"
	t1=(${lines[0]}) t2=(${lines[1]})
	[ "${t1[2]}" != "${t2[2]}" ]
	[ "${t1[3]}" = "${t2[3]}" ]
	# every record as the catalog has it
	run as_psql "$T/sp.sql"
	assert_success
}

# conf-parse -j N ARGS for each N of $jobs: stdout, stderr and status in $T/oN, $T/eN, $T/sN
parse_j() {
	local a rc
	for a in $jobs; do
		rc=0
		conf-parse -j "$a" "$@" >"$T/o$a" 2>"$T/e$a" || rc=$?
		echo "$rc" >"$T/s$a"
	done
}

@test "p8 -j: records, messages and status byte for byte those of -j 1 over the corpus (regression, plpgsql, schemas, stdin, --tree)" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no corpus at $CORPUS/parse (../shared/corpus is absent)"
	set -- "$CORPUS"/parse/postgres_regress/*.sql "$CORPUS"/parse/plpgsql_regress/*.sql "$CORPUS"/parse/plpgsql_samples.sql "$CORPUS"/schemas/*.sql
	# -j 2: one worker and the reading thread, which parses too; -j 3: two workers
	jobs="1 2 3"
	parse_j "$@"
	assert_equal "$(cat "$T/s1") $(wc -l <"$T/o1") $(wc -l <"$T/e1")" "4 40241 384"
	for j in 2 3; do
		cmp "$T/o1" "$T/o$j"
		cmp "$T/e1" "$T/e$j"
		cmp "$T/s1" "$T/s$j"
	done
	# so is a stream on stdin, whose positions are its own
	cat "$CORPUS"/parse/postgres_regress/[a-e]*.sql >"$T/in.sql"
	conf-parse -j 1 - <"$T/in.sql" >"$T/i1" 2>"$T/ie1" || true
	conf-parse -j 3 - <"$T/in.sql" >"$T/i3" 2>"$T/ie3" || true
	[ -s "$T/i1" ] && [ -s "$T/ie1" ]
	cmp "$T/i1" "$T/i3"
	cmp "$T/ie1" "$T/ie3"
	jobs="1 4"
	parse_j --tree "$CORPUS"/parse/postgres_regress/[t-z]*.sql
	assert_equal "$(jq -c 'select(.tree == null)' "$T/o1" | wc -l) $(cat "$T/s1")" "0 4"
	cmp "$T/o1" "$T/o4"
	cmp "$T/e1" "$T/e4"
}

@test "p8: the records read from the light tree (lib/ptree) are those read from jansson's tree (--tree) over the regression corpus" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no corpus at $CORPUS/parse (../shared/corpus is absent)"
	set -- "$CORPUS"/parse/postgres_regress/[t-z]*.sql
	conf-parse --tree "$@" 2>"$T/e1" | jq -c 'del(.tree)' >"$T/o1"
	conf-parse "$@" 2>"$T/e2" | jq -c . >"$T/o2"
	assert_equal "$(wc -l <"$T/o1") $(grep -c '\\n' "$T/o1")" "6411 1455"
	cmp "$T/o1" "$T/o2"
	cmp "$T/e1" "$T/e2"
}

@test "p8 -j: the reader's messages come where they come without read-ahead; its refusals of a parsed statement are made from the parser threads' parse" {
	printf 'SELECT 1 +;\nCREATE TABLE a (x int);\nSELECT '"'"'unterminated\n' >"$T/order.sql"
	# the parse, not the text, says standard_conforming_strings is turned off: U& and E'' escapes
	printf 'CREATE TABLE s (a int);\nSELECT 1 +;\n  SET U&"standard\\005fconforming_strings" = off;\nCREATE TABLE t (a int);\n' >"$T/scs1.sql"
	printf "CREATE TABLE s (a int);\nSELECT 1 +;\n  SELECT set_config(E'standard\\\\137conforming_strings', 'off', false);\nCREATE TABLE t (a int);\n" >"$T/scs2.sql"
	# psql's BEGIN ... END rule takes the function named begin for a body
	printf "CREATE TABLE a (x int);\nCREATE FUNCTION begin() RETURNS int LANGUAGE sql AS 'SELECT 1';\nCREATE TABLE sneaky (a int);\nEND;\nCREATE TABLE after (a int);\n" >"$T/several.sql"
	printf 'SELECT 1 +;\nCREATE TABLE a (x int);\n\\i %s\nSELECT 2 +;\n\\gexec\nCREATE TABLE z (x int)' "$T/order.sql" >"$T/incl.sql"
	printf 'SELECT 1 +;\nCREATE TABLE a (x int);\n-- confiture:file b.sql sha256=00 line=abc\nCREATE TABLE b (y int);\n' >"$T/marker.sql"
	for j in 1 4; do
		run --separate-stderr conf-parse -j "$j" "$T/order.sql"
		assert_failure 4
		assert_equal "$(jq -r .sql <<<"$output")" "CREATE TABLE a (x int)"
		assert_equal "$stderr" "conf-parse: $T/order.sql:1:11: syntax error at end of input
conf-parse: $T/order.sql:3:8: ERROR 42601: unterminated quoted string at or near \"'unterminated...\""
		for f in scs1 scs2; do
			run --separate-stderr conf-parse -j "$j" "$T/$f.sql"
			assert_failure 4
			assert_equal "$(jq -r .sql <<<"$output")" "CREATE TABLE s (a int)"
			assert_equal "$stderr" "conf-parse: $T/$f.sql:2:11: syntax error at end of input
conf-parse: $T/$f.sql:3:3: standard_conforming_strings cannot be turned off in a SQL stream: backslashes in literals would then be read differently from the server"
		done
		run --separate-stderr conf-parse -j "$j" "$T/several.sql"
		assert_failure 4
		assert_equal "$(jq -r .sql <<<"$output")" "CREATE TABLE a (x int)"
		assert_equal "$stderr" "conf-parse: $T/several.sql:2:63: this text holds several statements for the server but one for the reader: the server ends one at this ';'"
		run --separate-stderr conf-parse -j "$j" "$T/incl.sql"
		assert_failure 4
		assert_equal "$(jq -r .sql <<<"$output" | tr '\n' '|')" "CREATE TABLE a (x int)|CREATE TABLE a (x int)|CREATE TABLE z (x int)|"
		assert_equal "$stderr" "conf-parse: $T/incl.sql:1:11: syntax error at end of input
conf-parse: $T/order.sql:1:11: syntax error at end of input
conf-parse: $T/order.sql:3:8: ERROR 42601: unterminated quoted string at or near \"'unterminated...\"
conf-parse: $T/incl.sql:4:11: syntax error at end of input
conf-parse: $T/incl.sql:5:1: warning: \\gexec runs the statements its query returns: they are not seen"
		run --separate-stderr conf-parse -j "$j" "$T/marker.sql"
		assert_failure 4
		assert_equal "$stderr" "conf-parse: $T/marker.sql:1:11: syntax error at end of input
conf-parse: $T/marker.sql:3:1: a file marker's line= is not a line number (1 to 999999999)"
	done
}

@test "p8: each fingerprint and tree is libpg_query's own: pg_query_fingerprint and pg_query_parse of the statement's text, over the regression corpus" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no corpus at $CORPUS/parse (../shared/corpus is absent)"
	command -v "${CC:-cc}" >/dev/null || skip "no C compiler"
	# a checker of its own: each record's sql given to the library's public calls
	cat >"$T/chk.c" <<'C'
#include <jansson.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	long n = 0, badfp = 0, badtree = 0;
	while (getline(&line, &cap, stdin) > 0) {
		json_t *r = json_loads(line, 0, NULL);
		const char *sql = json_string_value(json_object_get(r, "sql"));
		const char *fp = json_string_value(json_object_get(r, "fingerprint"));
		PgQueryFingerprintResult f = pg_query_fingerprint(sql);
		PgQueryParseResult p = pg_query_parse(sql);
		json_t *t = json_loads(p.parse_tree, 0, NULL);
		json_t *s = json_object_get(json_array_get(json_object_get(t, "stmts"), 0), "stmt");
		n++;
		if (f.error || !fp || strcmp(f.fingerprint_str, fp) != 0)
			badfp++;
		if (p.error || !json_equal(s, json_object_get(r, "tree")))
			badtree++;
		json_decref(t);
		json_decref(r);
		pg_query_free_fingerprint_result(f);
		pg_query_free_parse_result(p);
	}
	free(line);
	printf("%ld %ld %ld\n", n, badfp, badtree);
	return 0;
}
C
	"${CC:-cc}" -std=c11 -D_GNU_SOURCE -O1 -o "$T/chk" "$T/chk.c" -lpg_query -ljansson
	run -0 bash -c 'conf-parse --tree "$@" 2>/dev/null | "$0"' "$T/chk" "$CORPUS"/parse/postgres_regress/*.sql
	assert_output "38054 0 0"
	# the checker sees a changed fingerprint or tree
	run -0 bash -c 'printf "%s\n" "{\"sql\":\"SELECT 1\",\"fingerprint\":\"0000000000000000\",\"tree\":{}}" | "$0"' "$T/chk"
	assert_output "1 1 1"
}

@test "p8 -j: a bad number of threads is a usage error; -m reads one statement at a time whatever -j says" {
	for v in 0 -1 x 2x; do
		run --separate-stderr conf-parse -j "$v" /dev/null
		assert_failure 5
		assert_equal "$stderr" "conf-parse: -j wants a number of parser threads (1 or more), not $v"
	done
	printf 'CREATE TABLE a (x int PRIMARY KEY);\nBEGIN;\nCREATE TABLE b (y int REFERENCES a);\nROLLBACK;\nCREATE VIEW v AS SELECT * FROM a;\n' >"$T/m.sql"
	run -0 conf-parse -m -j 1 "$T/m.sql"
	one=$output
	run -0 conf-parse -m -j 4 "$T/m.sql"
	assert_equal "$output" "$one"
	assert_equal "$(jq -r .id <<<"$output" | tr '\n' ' ')" "schema:public table:public.a view:public.v "
}

@test "p8 -j: the parser threads work a bounded distance ahead: memory does not grow with the input" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "CREATE TABLE t%d (id serial PRIMARY KEY, a text NOT NULL DEFAULT lower(%cx%c), b int CHECK (b > 0 AND b < 1000), c timestamptz REFERENCES u (c));\n", i, 39, 39 }' >"$T/big.sql"
	/usr/bin/time -f %M -o "$T/rss1" conf-parse -j 1 "$T/big.sql" >/dev/null
	/usr/bin/time -f %M -o "$T/rss2" conf-parse -j 2 "$T/big.sql" >/dev/null
	# every tree of the file held at once would be hundreds of MB more
	echo "rss -j 1: $(cat "$T/rss1") KB, -j 2: $(cat "$T/rss2") KB"
	[ "$(cat "$T/rss2")" -lt $(($(cat "$T/rss1") + 65536)) ]
}

# ---- h/opid8: operator ids, and what uses an operator or an operator class ----

@test "opid8: operator ids keep the name unquoted; operators, classes and families used by expressions, indexes, exclusions, partition keys, classes and aggregates are references; a class or family is S.N(method)" {
	cat >"$T/op.sql" <<'SQL'
SET search_path = app, public;
CREATE OPERATOR === (leftarg = int, rightarg = int, function = ieq, restrict = eqsel, commutator = ===, negator = !==);
CREATE OPERATOR ~<< (leftarg = text, rightarg = text, function = texteq);
CREATE OPERATOR public.!! (rightarg = mood, function = public.mood_not);
CREATE OPERATOR CLASS rev_ops FOR TYPE int USING btree FAMILY public.f AS OPERATOR 1 <, OPERATOR 2 s.<<< (int, bigint), OPERATOR 3 ===, FUNCTION 1 icmp(int, int), FUNCTION 2 pg_catalog.btint4sortsupport(internal);
CREATE OPERATOR CLASS mood_ops DEFAULT FOR TYPE mood USING hash AS OPERATOR 1 =, FUNCTION 1 mood_hash(mood);
CREATE OPERATOR FAMILY f USING gist;
ALTER OPERATOR FAMILY f USING gist ADD OPERATOR 3 && (box, box), OPERATOR 4 ~<< (text, text);
ALTER OPERATOR FAMILY f USING gist DROP OPERATOR 4 (text, text);
CREATE TABLE t (a int CHECK (a === 1 AND a = ANY ('{1}') AND a OPERATOR(s.<<<) 2), b text DEFAULT 'x' ~<< 'y', c int4range, EXCLUDE USING gist (c WITH &&, b gist_ops WITH public.~<<));
CREATE INDEX ON t USING btree (a rev_ops, b text_pattern_ops, c pg_catalog.range_ops);
CREATE VIEW v AS SELECT - a, b ~<< 'z' FROM t;
CREATE AGGREGATE mx(int) (sfunc = int4larger, stype = int, sortop = >);
CREATE AGGREGATE mmax(mood) (sfunc = mood_larger, stype = mood, sortop = >);
ALTER OPERATOR === (int, int) SET SCHEMA public;
DROP OPERATOR !! (NONE, mood);
COMMENT ON OPERATOR ~<< (text, text) IS 'x';
ALTER OPERATOR CLASS rev_ops USING btree RENAME TO rev2_ops;
ALTER OPERATOR CLASS app.rev2_ops USING btree SET SCHEMA s;
DROP OPERATOR FAMILY f USING gist;
COMMENT ON OPERATOR CLASS s.rev2_ops USING btree IS 'c';
CREATE TABLE h (a int) PARTITION BY HASH (a my_hash_ops);
SQL
	run --separate-stderr conf-parse "$T/op.sql"
	assert_success
	assert_equal "$stderr" ""
	run jq -c '[.tag, .creates, .alters, .drops, .references]' <<<"$output"
	assert_output '["SET",null,null,null,null]
["CREATE OPERATOR",["operator:app.===(integer,integer)"],null,null,["function:app.ieq","schema:app"]]
["CREATE OPERATOR",["operator:app.~<<(text,text)"],null,null,["schema:app"]]
["CREATE OPERATOR",["operator:public.!!(NONE,app.mood)"],null,null,["type:app.mood","function:public.mood_not","schema:public"]]
["CREATE OPERATOR CLASS",["opclass:app.rev_ops(btree)"],null,null,["opfamily:public.f(btree)","operator:s.<<<(integer,bigint)","operator:app.===(integer,integer)","function:app.icmp(integer,integer)","schema:app"]]
["CREATE OPERATOR CLASS",["opclass:app.mood_ops(hash)"],null,null,["type:app.mood","operator:app.=(app.mood,app.mood)","function:app.mood_hash(app.mood)","schema:app"]]
["CREATE OPERATOR FAMILY",["opfamily:app.f(gist)"],null,null,["schema:app"]]
["ALTER OPERATOR FAMILY",null,["opfamily:app.f(gist)"],null,["operator:app.~<<(text,text)"]]
["ALTER OPERATOR FAMILY",null,["opfamily:app.f(gist)"],null,null]
["CREATE TABLE",["table:app.t"],null,null,["schema:app","operator:app.===","operator:s.<<<","operator:app.~<<","operator:public.~<<","opclass:app.gist_ops(gist)"]]
["CREATE INDEX",null,null,null,["table:app.t","schema:app","opclass:app.rev_ops(btree)"]]
["CREATE VIEW",["view:app.v"],null,null,["schema:app","operator:app.~<<","table:app.t"]]
["CREATE AGGREGATE",["aggregate:app.mx(integer)"],null,null,["schema:app"]]
["CREATE AGGREGATE",["aggregate:app.mmax(app.mood)"],null,null,["schema:app","function:app.mood_larger","type:app.mood","operator:app.>(app.mood,app.mood)"]]
["ALTER OPERATOR",["operator:public.===(integer,integer)"],["operator:app.===(integer,integer)"],null,["schema:public"]]
["DROP OPERATOR",null,null,["operator:public.!!(NONE,app.mood)"],null]
["COMMENT",["comment:operator:app.~<<(text,text)"],null,null,["operator:app.~<<(text,text)"]]
["ALTER OPERATOR CLASS",["opclass:app.rev2_ops(btree)"],["opclass:app.rev_ops(btree)"],null,null]
["ALTER OPERATOR CLASS",["opclass:s.rev2_ops(btree)"],["opclass:app.rev2_ops(btree)"],null,["schema:s"]]
["DROP OPERATOR FAMILY",null,null,["opfamily:app.f(gist)"],null]
["COMMENT",["comment:opclass:s.rev2_ops(btree)"],null,null,["opclass:s.rev2_ops(btree)"]]
["CREATE TABLE",["table:app.h"],null,null,["schema:app","opclass:app.my_hash_ops(hash)"]]'
}
