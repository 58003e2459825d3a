#!/usr/bin/env bats
# The property of issue 8: conf-parse -m of a set of files equals conf-inspect of a database built
# from them (tests/model-agree.sh), on the fixtures, the example project and the corpus.

load helper

# The floors of the corpus: the agreeing cases counted when the harness was merged. A change that
# makes fewer cases agree fails here; raise them as the tools improve.
SCHEMAS_FLOOR=2
PAIRS_FLOOR=830

setup() {
	need_db
	AGREE=$REPO/tests/model-agree.sh
	ROLES="-r model_owner -r model_reader -r model_writer"
}

# agreed: the N of the last line "N/M agree..." of $output
agreed() {
	local last=${output##*$'\n'}
	echo "${last%%/*}"
}

@test "every fixture agrees" {
	local fixtures=("$REPO"/tests/fixtures/model/*.sql)
	n=${#fixtures[@]}
	# shellcheck disable=SC2086
	run --separate-stderr "$AGREE" $ROLES "${fixtures[@]}"
	echo "# fixtures: ${output##*$'\n'}" >&3
	assert_equal "$stderr" ""
	assert_output "$n/$n agree"
	assert_success
}

@test "the example project agrees" {
	run --separate-stderr "$AGREE" "$REPO/examples/basic/db/schema"
	assert_output "1/1 agree"
	assert_success
}

@test "the review's unseen schemas and their pg_dump forms agree (tests/review/schemas, dumps)" {
	local cases=("$REPO"/tests/review/schemas/*.sql "$REPO"/tests/review/dumps/*.sql)
	n=${#cases[@]}
	run --separate-stderr "$AGREE" -r app_reader -r app_writer -r '"App Admin"' "${cases[@]}"
	echo "# review schemas: ${output##*$'\n'}" >&3
	assert_output "$n/$n agree"
	assert_success
}

@test "corpus schemas: pagila, danbooru, chinook (without its CREATE DATABASE and \\c), openstreetmap" {
	[ -d "$CORPUS/schemas" ] || skip "no corpus at $CORPUS"
	sed -E '/^(DROP|CREATE) DATABASE /d; /^\\c /d' "$CORPUS/schemas/chinook-postgresql.sql" \
		>"$BATS_TEST_TMPDIR/chinook.sql"
	run --separate-stderr "$AGREE" "$CORPUS"/schemas/pagila-schema-*.sql "$CORPUS/schemas/danbooru-structure.sql" \
		"$BATS_TEST_TMPDIR/chinook.sql" "$CORPUS/schemas/openstreetmap-structure.sql"
	echo "# schemas: ${output##*$'\n'}" >&3
	[ "$(agreed)" -ge "$SCHEMAS_FLOOR" ] || fail "fewer than $SCHEMAS_FLOOR agree"
}

@test "corpus: every old.sql and new.sql of the diff pairs" {
	[ -d "$CORPUS/diff-pairs" ] || skip "no corpus at $CORPUS"
	mapfile -t cases < <(find "$CORPUS/diff-pairs" -name old.sql -o -name new.sql | sort)
	[ "${#cases[@]}" -gt 0 ]
	run --separate-stderr "$AGREE" -q "${cases[@]}"
	echo "# diff pairs: ${output##*$'\n'}" >&3
	[ "$(agreed)" -ge "$PAIRS_FLOOR" ] || fail "fewer than $PAIRS_FLOOR agree"
}

@test "harness: a case PostgreSQL rejects is counted apart, with its first error" {
	f=$BATS_TEST_TMPDIR/bad.sql
	printf 'CREATE TABLE ok (id integer);\nCREATE TABLE bad (x no_such_type);\n' >"$f"
	run --separate-stderr "$AGREE" "$f"
	assert_success
	assert_equal "${lines[0]}" "rejected: $f: conf-apply: $f:2:21: ERROR 42704: type \"no_such_type\" does not exist"
	assert_equal "${lines[1]}" "0/0 agree, 1 rejected by PostgreSQL 15"
	assert_equal "${#lines[@]}" 2
}

@test "harness: a disagreement prints the case, the first differing id and a diff of it, and fails" {
	f=$BATS_TEST_TMPDIR/t.sql
	printf 'CREATE TABLE a (id integer);\nCREATE TABLE b (id integer);\n' >"$f"
	# a conf-inspect that loses the NOT NULL nobody stated: the fault the harness must show
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/conf-inspect" <<EOF
#!/bin/sh
"$CONF_BINDIR/conf-inspect" "\$@" | sed '/"id":"table:public.b"/s/"type":"integer"/"type":"bigint"/'
EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/conf-inspect"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run --separate-stderr "$AGREE" "$f"
	assert_failure 1
	assert_equal "${lines[0]}" "$f: first differing record: table:public.b"
	assert_equal "${lines[1]}" "--- conf-parse -m"
	assert_equal "${lines[2]}" "+++ conf-inspect"
	assert_line '-      "type": "integer"'
	assert_line '+      "type": "bigint"'
	assert_equal "${lines[-1]}" "0/1 agree"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run --separate-stderr "$AGREE" -q "$f" "$f"
	assert_failure 1
	assert_output "0/2 agree"
}

@test "harness: cases reuse one database, reset between them" {
	printf 'CREATE SCHEMA s;\nCREATE TABLE s.t (id integer);\nCREATE EXTENSION pg_trgm;\n' >"$BATS_TEST_TMPDIR/a.sql"
	printf 'CREATE FUNCTION f() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;\nCREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f();\nCREATE PUBLICATION p;\n' >"$BATS_TEST_TMPDIR/b.sql"
	run --separate-stderr "$AGREE" -q -j 1 "$BATS_TEST_TMPDIR/a.sql" "$BATS_TEST_TMPDIR/b.sql" \
		"$BATS_TEST_TMPDIR/a.sql" "$BATS_TEST_TMPDIR/b.sql"
	assert_output "4/4 agree"
	assert_success
}

@test "harness: usage" {
	run --separate-stderr "$AGREE"
	assert_failure 5
	assert_equal "$stderr" "usage: model-agree.sh [-q] [-j jobs] [-r role]... file.sql|dir..."
	run --separate-stderr "$AGREE" -j 0 x.sql
	assert_failure 5
	run --separate-stderr "$AGREE" "$BATS_TEST_TMPDIR/none.sql"
	assert_failure 5
	assert_equal "$stderr" "model-agree.sh: $BATS_TEST_TMPDIR/none.sql: no such file or directory"
}

@test "harness: what a reset cannot drop (a cast between built-in types) makes the database again" {
	printf 'CREATE CAST (text AS integer) WITH INOUT;\n' >"$BATS_TEST_TMPDIR/cast.sql"
	run --separate-stderr "$AGREE" -j 1 "$BATS_TEST_TMPDIR/cast.sql" "$BATS_TEST_TMPDIR/cast.sql"
	assert_output "2/2 agree"
	assert_success
}

@test "harness: a tool that fails makes its case disagree, with the tool's first error" {
	f=$BATS_TEST_TMPDIR/t.sql
	printf 'CREATE TABLE a (id integer);\n' >"$f"
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "conf-parse: $1: warning: not this one" >&2\necho "conf-parse: boom" >&2\nexit 4\n' \
		>"$BATS_TEST_TMPDIR/bin/conf-parse"
	chmod +x "$BATS_TEST_TMPDIR/bin/conf-parse"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH run --separate-stderr "$AGREE" "$f"
	assert_failure 1
	assert_equal "${lines[0]}" "$f: conf-parse -m exited 4: conf-parse: boom"
	assert_equal "${lines[1]}" "0/1 agree"
}

# ---- h/xperf (F44) ----

@test "xperf F44: a rejected case shows its error, not a server WARNING printed before it" {
	f=$BATS_TEST_TMPDIR/warn.sql
	printf 'DO $$ BEGIN RAISE WARNING $w$first$w$; END $$;\nCREATE TABLE bad (x no_such_type);\n' >"$f"
	run --separate-stderr "$AGREE" "$f"
	assert_success
	assert_equal "${lines[0]}" "rejected: $f: conf-apply: $f:2:21: ERROR 42704: type \"no_such_type\" does not exist"
	assert_equal "${lines[1]}" "0/0 agree, 1 rejected by PostgreSQL 15"
}

# ---- h/opid8: operators and collations followed into their users ----

@test "opid8: operators, an operator class and its function moved, a collation renamed and moved: followed into their users (both tools)" {
	local f=$REPO/tests/fixtures/model/operator_users.sql
	run --separate-stderr conf-parse -m "$f"
	assert_success
	assert_equal "$stderr" ""
	echo "$output" >"$BATS_TEST_TMPDIR/m"
	run jq -c 'select(.kind == "opclass") | [.id, .family, .operators, .functions]' "$BATS_TEST_TMPDIR/m"
	assert_output '["opclass:opx.rev2_ops(btree)","opfamily:opx.revf(btree)",[{"operator":"operator:opx.<<<(integer,integer)","strategy":1},{"operator":"operator:opx.===(integer,integer)","strategy":3}],[{"function":"function:opx.icmp2(integer,integer)","lefttype":"integer","number":1,"righttype":"integer"}]]'
	run jq -r 'select(.id == "table:public.items") | .constraints[] | select(.type == "exclusion") | .elements[] | "\(.operator) \(.opclass)"' "$BATS_TEST_TMPDIR/m"
	assert_output 'opx.=== opx.rev2_ops'
	run jq -r '.id as $id | .. | objects | select(has("opclass")) | "\($id) \(.opclass)"' "$BATS_TEST_TMPDIR/m"
	assert_output 'index:public.items_b opx.rev2_ops
table:public.items opx.rev2_ops
table:public.ranked opx.rev2_ops'
	run jq -r '.id as $id | .. | objects | select(has("collation")) | "\($id) \(.collation)"' "$BATS_TEST_TMPDIR/m"
	assert_output 'domain:public.ci_text opx.ci2
index:public.names_m opx.ci2
table:public.names opx.ci2
table:public.parts opx.ci2
type:public.named opx.ci2'
	run --separate-stderr "$AGREE" "$f"
	assert_output "1/1 agree"
	assert_success
}

# ---- h/agree8: what the new schemas of tests/fixtures/model found ----

# tn ARGS...: t-names, the driver of tests/normexpr.bats (normalized forms without a server)
tn() {
	local t=$CONF_BINDIR/../t-names
	[ -x "$t" ] || t=$REPO/build/t-names
	"$t" "$@"
}

@test "agree8: x = ANY (SELECT ...) is x IN (SELECT ...), as the catalog prints it; other operators and ALL stay apart" {
	run tn text query "SELECT a FROM t WHERE a = ANY (SELECT b FROM u)"
	assert_success
	local eq=$output
	run tn text query "SELECT a FROM t WHERE a IN (SELECT b FROM u)"
	assert_output "$eq"
	run tn text query "SELECT a FROM t WHERE a OPERATOR(pg_catalog.=) ANY (SELECT b FROM u)"
	assert_output "$eq"
	run tn text query "SELECT a FROM t WHERE a <> ANY (SELECT b FROM u)"
	refute_output "$eq"
	run tn text query "SELECT a FROM t WHERE a = ALL (SELECT b FROM u)"
	refute_output "$eq"
	run tn text query "SELECT a FROM t WHERE a = ANY (ARRAY[1, 2])"
	refute_output "$eq"
}

@test "agree8: a text column cast to varchar without a length is a relabel (COALESCE(varchar, text) casts the text); with a length it stays" {
	run tn stmt "CREATE TABLE t (h varchar(10), c text, CHECK (coalesce(h, c::varchar) <> ''), CHECK (coalesce(h, c) <> ''), CHECK (coalesce(h, c::varchar(3)) <> ''))"
	assert_success
	assert_equal "${#lines[@]}" 3
	# ROLE<TAB>FORM<TAB>SLICE: the forms
	local a b c
	a=$(cut -f 2 <<<"${lines[0]}") b=$(cut -f 2 <<<"${lines[1]}") c=$(cut -f 2 <<<"${lines[2]}")
	assert_equal "$a" "$b"
	[ "$a" != "$c" ] || fail "the varchar(3) cast was dropped"
}

@test "agree8: a RETURNING entry's output name is the one given, else PostgreSQL's (NULL::int is int4, as the catalog prints it)" {
	run tn text query "UPDATE t SET a = 1 RETURNING NULL::int"
	assert_success
	local f=$output
	run tn text query "UPDATE t SET a = 1 RETURNING NULL::integer AS int4"
	assert_output "$f"
	run tn text query "UPDATE t SET a = 1 RETURNING NULL::integer AS x"
	refute_output "$f"
	run tn text query "UPDATE t SET a = 1 RETURNING t.a"
	f=$output
	run tn text query "UPDATE t SET a = 1 RETURNING t.a AS a"
	assert_output "$f"
}

@test "agree8: a cast of a built-in function's result to the type it returns already is no cast (PostgreSQL drops it)" {
	run tn stmt "CREATE TABLE t (c text, CHECK (length(c)::integer > 0), CHECK (length(c) > 0), CHECK (length(c)::bigint > 0), CHECK (public.length(c)::integer > 0))"
	assert_success
	local a b c d
	a=$(cut -f 2 <<<"${lines[0]}") b=$(cut -f 2 <<<"${lines[1]}") c=$(cut -f 2 <<<"${lines[2]}") d=$(cut -f 2 <<<"${lines[3]}")
	assert_equal "$a" "$b"
	[ "$a" != "$c" ] || fail "length(c)::bigint lost its cast"
	[ "$a" != "$d" ] || fail "a user's length() was taken for the built-in one"
}

@test "agree8: 'epoch' is 1970-01-01 00:00:00 UTC for every date/time type, as the catalog prints it; 'today' stays a word" {
	run tn text expr "d <> 'epoch'"
	assert_success
	local f=$output
	run tn text expr "d <> '1970-01-01'"
	assert_output "$f"
	run tn text expr "d <> '1970-01-02'"
	refute_output "$f"
	run tn text expr "e > 'epoch'::timestamptz"
	f=$output
	run tn text expr "e > '1970-01-01 00:00:00+00'::timestamp with time zone"
	assert_output "$f"
	run tn text expr "d > 'today'"
	f=$output
	run tn text expr "d > 'epoch'"
	refute_output "$f"
}

@test "agree8: a built-in set-returning function in FROM has the columns PostgreSQL gives it: * expanded, the alias printed with every column" {
	run tn view "CREATE VIEW v AS SELECT t.id, e.* FROM t, jsonb_each(t.f) e" t=id,f
	assert_output "query	$(tn text query "SELECT t.id, e.key, e.value FROM t, LATERAL jsonb_each(t.f) e(key, value)")"
	run tn view "CREATE VIEW v AS SELECT * FROM unnest(ARRAY['a', 'b']) WITH ORDINALITY" t=id
	assert_output "query	$(tn text query "SELECT unnest.unnest, unnest.ordinality FROM unnest(ARRAY['a'::text, 'b'::text]) WITH ORDINALITY unnest(unnest, ordinality)")"
	refute_output "query	$(tn text query "SELECT unnest.unnest, unnest.n FROM unnest(ARRAY['a'::text, 'b'::text]) WITH ORDINALITY unnest(unnest, n)")"
	# one OUT parameter names the column, whatever the alias
	run tn view "CREATE VIEW v AS SELECT * FROM jsonb_array_elements('[]') AS item" t=id
	assert_output "query	$(tn text query "SELECT item.value FROM jsonb_array_elements('[]'::jsonb) item(value)")"
}

@test "agree8: a bytea literal is read as byteain reads it (hex digits in any case, escape format), as the catalog prints it" {
	# dflt LITERAL: the normalized default of a bytea column given LITERAL, from conf-parse -m
	dflt() {
		printf 'CREATE TABLE u (v bytea DEFAULT %s);\n' "$1" >"$BATS_TEST_TMPDIR/b.sql"
		"$CONF_BINDIR/conf-parse" -m "$BATS_TEST_TMPDIR/b.sql" | jq -r 'select(.kind == "table") | .columns[0].default'
	}
	local f
	f=$(dflt "'\\xCAFE'")
	[ -n "$f" ] && [ "$f" != null ]
	assert_equal "$(dflt "'\\xcafe'")" "$f"
	assert_equal "$(dflt "'\\xca fe'")" "$f"
	assert_equal "$(dflt "'\\xcafe'::bytea")" "$f"
	[ "$(dflt "'\\xcaff'")" != "$f" ] || fail "two values, one form"
	assert_equal "$(dflt "'abc'")" "$(dflt "'\\x616263'")"
	assert_equal "$(dflt "'a\\\\b\\001'")" "$(dflt "'\\x615c6201'")"
	[ "$(dflt "'ABC'")" != "$(dflt "'abc'")" ] || fail "two values, one form"
}

@test "agree8: FOR UPDATE in a view is one clause per relation, a bare one naming every relation of the FROM list (F76)" {
	run tn text query "SELECT a FROM t FOR UPDATE"
	assert_output "$(tn text query "SELECT a FROM t FOR UPDATE OF t")"
	refute_output "$(tn text query "SELECT a FROM t FOR SHARE OF t")"
	run tn text query "SELECT a FROM t, u FOR UPDATE OF u, t"
	assert_output "$(tn text query "SELECT a FROM t, u FOR UPDATE OF t FOR UPDATE OF u")"
	refute_output "$(tn text query "SELECT a FROM t, u FOR UPDATE OF t")"
	run tn text query "SELECT a FROM t JOIN u x ON true FOR UPDATE"
	assert_output "$(tn text query "SELECT a FROM t JOIN u x ON true FOR UPDATE OF x FOR UPDATE OF t")"
}
