#!/usr/bin/env bats
# The kinds of lib/modelsql_ext.c, lib/sql/inspect_ext.sql and lib/diff_ext.c: text search
# dictionaries and configurations, operator families and classes, foreign data wrappers, servers,
# user mappings and foreign tables, languages, access methods. Records pinned from conf-parse -m,
# agreement with conf-inspect on the fixtures of tests/fixtures/model-ext, conf-diff's SQL per kind,
# and a round trip empty -> every kind -> empty on a server.

load helper

FIX=$BATS_TEST_DIRNAME/fixtures/model-ext

# rec ID: the record of id ID in $output without its provenance
rec() {
	jq -c --arg id "$1" 'select(.id == $id) | del(.file, .line, .col)' <<<"$output"
}

# parse SQL: conf-parse -m of the SQL text, into $output (stderr apart)
parse() {
	printf '%s\n' "$1" >"$BATS_TEST_TMPDIR/in.sql"
	run --separate-stderr conf-parse -m "$BATS_TEST_TMPDIR/in.sql"
}

# model NAME SQL: the model of SQL in $BATS_TEST_TMPDIR/NAME.m
model() {
	printf '%s\n' "$2" >"$BATS_TEST_TMPDIR/$1.sql"
	conf-parse -m "$BATS_TEST_TMPDIR/$1.sql" >"$BATS_TEST_TMPDIR/$1.m"
}

@test "text search: dictionary options, configuration copied from a built-in and its mappings changed" {
	parse "CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, StopWords = english, accept = false);
ALTER TEXT SEARCH DICTIONARY d (stopwords = 'russian');
CREATE TEXT SEARCH CONFIGURATION c (COPY = russian);
ALTER TEXT SEARCH CONFIGURATION c DROP MAPPING FOR email, url, url_path, host, file, version, sfloat, float, int, uint, numword, hword_numpart, numhword;
ALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING FOR word WITH d, russian_stem;
ALTER TEXT SEARCH CONFIGURATION c ALTER MAPPING REPLACE english_stem WITH simple;"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(rec ts_dict:public.d)" '{"kind":"ts_dict","id":"ts_dict:public.d","name":"d","options":["accept=false","stopwords=russian"],"schema":"public","template":"simple"}'
	assert_equal "$(rec ts_config:public.c)" '{"kind":"ts_config","id":"ts_config:public.c","mappings":[{"dictionaries":["simple"],"token":"asciihword"},{"dictionaries":["simple"],"token":"asciiword"},{"dictionaries":["russian_stem"],"token":"hword"},{"dictionaries":["simple"],"token":"hword_asciipart"},{"dictionaries":["russian_stem"],"token":"hword_part"},{"dictionaries":["public.d","russian_stem"],"token":"word"}],"name":"c","schema":"public"}'
}

@test "text search: parsers and templates by their functions; conf-diff creates them before their users" {
	parse "CREATE TEXT SEARCH TEMPLATE tt (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = tt);
DROP TEXT SEARCH TEMPLATE tt;"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $BATS_TEST_TMPDIR/in.sql:3:1: cannot drop text search template tt because other objects depend on it"
	assert_equal "$(rec ts_template:public.tt)" '{"kind":"ts_template","id":"ts_template:public.tt","init":"function:pg_catalog.dsimple_init(internal)","lexize":"function:pg_catalog.dsimple_lexize(internal,internal,internal,internal)","name":"tt","schema":"public"}'
	model e ""
	model a "CREATE TEXT SEARCH PARSER p (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype);
CREATE TEXT SEARCH CONFIGURATION c (PARSER = p);"
	run --separate-stderr conf-diff "$BATS_TEST_TMPDIR/e.m" "$BATS_TEST_TMPDIR/a.m"
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

CREATE TEXT SEARCH PARSER public.p (start = pg_catalog.prsd_start, gettoken = pg_catalog.prsd_nexttoken, end = pg_catalog.prsd_end, lextypes = pg_catalog.prsd_lextype);

CREATE TEXT SEARCH CONFIGURATION public.c (PARSER = public.p);"
}

@test "text search: a missing dictionary and a missing mapping are the server's errors" {
	parse "CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH public.nope;
ALTER TEXT SEARCH CONFIGURATION c DROP MAPPING FOR word;"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $BATS_TEST_TMPDIR/in.sql:2:1: text search dictionary \"nope\" does not exist
conf-parse: $BATS_TEST_TMPDIR/in.sql:3:1: mapping for token type \"word\" does not exist"
}

@test "operator classes: members, the implicit family, what the access method leaves loose in the family" {
	parse "CREATE OPERATOR CLASS c FOR TYPE integer USING btree AS OPERATOR 1 <, OPERATOR 1 < (integer, bigint), FUNCTION 1 btint4cmp(integer, integer), FUNCTION 2 btint4sortsupport(internal);
CREATE OPERATOR FAMILY f USING hash;
ALTER OPERATOR FAMILY f USING hash ADD OPERATOR 1 = (integer, integer), FUNCTION 1 (integer, integer) hashint4(integer);
ALTER OPERATOR FAMILY f USING hash DROP FUNCTION 1 (integer, integer);"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(rec 'opclass:public.c(btree)')" '{"kind":"opclass","id":"opclass:public.c(btree)","family":"opfamily:public.c(btree)","functions":[{"function":"function:pg_catalog.btint4cmp(integer,integer)","lefttype":"integer","number":1,"righttype":"integer"}],"method":"btree","name":"c","operators":[{"operator":"operator:pg_catalog.<(integer,integer)","strategy":1}],"schema":"public","type":"integer"}'
	assert_equal "$(rec 'opfamily:public.c(btree)')" '{"kind":"opfamily","id":"opfamily:public.c(btree)","functions":[{"function":"function:pg_catalog.btint4sortsupport(internal)","lefttype":"integer","number":2,"righttype":"integer"}],"method":"btree","name":"c","operators":[{"operator":"operator:pg_catalog.<(integer,bigint)","strategy":1}],"schema":"public"}'
	assert_equal "$(rec 'opfamily:public.f(hash)')" '{"kind":"opfamily","id":"opfamily:public.f(hash)","method":"hash","name":"f","operators":[{"operator":"operator:pg_catalog.=(integer,integer)","strategy":1}],"schema":"public"}'
}

@test "foreign data: wrapper, server, user mapping with its password as a flag, foreign table options" {
	parse "CREATE FOREIGN DATA WRAPPER w OPTIONS (a '1');
CREATE SERVER s TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER w OPTIONS (host 'h', port '5432');
ALTER SERVER s VERSION '16' OPTIONS (DROP port, SET host 'h2');
CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'u', password 'hunter2');
CREATE USER MAPPING FOR alice SERVER s OPTIONS (user 'a');
DROP USER MAPPING FOR alice SERVER s;
CREATE FOREIGN TABLE t (id integer OPTIONS (column_name 'ID') NOT NULL) SERVER s OPTIONS (table_name 'T');
ALTER FOREIGN TABLE t OPTIONS (ADD schema_name 'x');"
	assert_success
	assert_equal "$stderr" ""
	refute_output --partial hunter2
	assert_equal "$(rec fdw:w)" '{"kind":"fdw","id":"fdw:w","name":"w","options":["a=1"]}'
	assert_equal "$(rec server:s)" '{"kind":"server","id":"server:s","fdw":"w","name":"s","options":["host=h2"],"type":"pg","version":"16"}'
	assert_equal "$(rec user_mapping:s:PUBLIC)" '{"kind":"user_mapping","id":"user_mapping:s:PUBLIC","options":["user=u"],"password":true,"server":"s","user":"PUBLIC"}'
	assert_equal "$(rec user_mapping:s:alice)" ""
	assert_equal "$(rec table:public.t)" '{"kind":"table","id":"table:public.t","columns":[{"name":"id","not_null":true,"options":["column_name=ID"],"type":"integer"}],"name":"t","options":["table_name=T","schema_name=x"],"relkind":"foreign","schema":"public","server":"s"}'
}

@test "foreign data: errors of the server, a wrapper of an extension, and IMPORT FOREIGN SCHEMA is unmodeled with a warning" {
	parse "CREATE FOREIGN DATA WRAPPER w;
ALTER SERVER nope OPTIONS (a '1');
CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (a '1', a '2');
CREATE SERVER s2 FOREIGN DATA WRAPPER postgres_fdw;
IMPORT FOREIGN SCHEMA remote FROM SERVER s INTO public;"
	assert_failure 4
	assert_equal "$(rec server:s2)" '{"kind":"server","id":"server:s2","fdw":"postgres_fdw","name":"s2"}'
	assert_equal "$stderr" "conf-parse: $BATS_TEST_TMPDIR/in.sql:2:1: server \"nope\" does not exist
conf-parse: $BATS_TEST_TMPDIR/in.sql:3:1: option \"a\" provided more than once
conf-parse: $BATS_TEST_TMPDIR/in.sql:5:1: warning: IMPORT FOREIGN SCHEMA reads the remote server's catalog: the tables it creates are not in the model
conf-parse: $BATS_TEST_TMPDIR/in.sql:5:1: warning: IMPORT FOREIGN SCHEMA is not in the model"
	assert_equal "$(jq -c 'select(.kind == "unmodeled") | .tag' <<<"$output")" '"IMPORT FOREIGN SCHEMA"'
}

@test "languages and access methods; drop, comment and owner of the new kinds" {
	parse "CREATE FUNCTION h() RETURNS language_handler AS 'plpgsql', 'plpgsql_call_handler' LANGUAGE c;
CREATE TRUSTED LANGUAGE l HANDLER h;
CREATE ACCESS METHOD am TYPE INDEX HANDLER bthandler;
COMMENT ON LANGUAGE l IS 'lang';
ALTER LANGUAGE l OWNER TO bob;
CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR word WITH d;
DROP TEXT SEARCH DICTIONARY d;"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $BATS_TEST_TMPDIR/in.sql:9:1: cannot drop text search dictionary d because other objects depend on it"
	assert_equal "$(rec language:l)" '{"kind":"language","id":"language:l","handler":"function:public.h()","name":"l","trusted":true}'
	assert_equal "$(rec access_method:am)" '{"kind":"access_method","id":"access_method:am","handler":"function:pg_catalog.bthandler(internal)","name":"am","type":"index"}'
	assert_equal "$(rec comment:language:l)" '{"kind":"comment","id":"comment:language:l","on":"language:l","text":"lang"}'
	assert_equal "$(rec owner:language:l)" '{"kind":"owner","id":"owner:language:l","on":"language:l","owner":"bob"}'
}

@test "RENAME and SET SCHEMA follow into what names the object" {
	parse "CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE USER MAPPING FOR PUBLIC SERVER s;
CREATE FOREIGN TABLE ft (x integer) SERVER s;
ALTER SERVER s RENAME TO s2;
CREATE OPERATOR CLASS oc FOR TYPE integer USING btree AS OPERATOR 1 <, FUNCTION 1 btint4cmp(integer, integer);
CREATE TABLE t (n integer);
CREATE INDEX t_n ON t (n oc);
ALTER OPERATOR CLASS oc USING btree RENAME TO oc2;
ALTER OPERATOR FAMILY oc USING btree RENAME TO f;
ALTER SERVER nope RENAME TO x;"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $BATS_TEST_TMPDIR/in.sql:11:1: server \"nope\" does not exist"
	assert_equal "$(rec user_mapping:s2:PUBLIC)" '{"kind":"user_mapping","id":"user_mapping:s2:PUBLIC","server":"s2","user":"PUBLIC"}'
	assert_equal "$(rec table:public.ft | jq -r .server)" s2
	assert_equal "$(rec index:public.t_n | jq -c .keys)" '[{"column":"n","opclass":"public.oc2"}]'
	assert_equal "$(rec 'opclass:public.oc2(btree)' | jq -r .family)" 'opfamily:public.f(btree)'
}

@test "the fixtures agree with conf-inspect" {
	need_db
	run --separate-stderr "$REPO/tests/model-agree.sh" -j 2 "$FIX"/*.sql
	assert_output "7/7 agree"
	assert_success
}

@test "conf-diff: options, mappings, members and comments changed in place" {
	model a "CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h', port '1');
CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'u');
CREATE FOREIGN TABLE ft (a integer OPTIONS (column_name 'x')) SERVER s OPTIONS (table_name 't');
CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, stopwords = english);
CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR asciiword, word WITH d, simple;
CREATE OPERATOR FAMILY f USING hash;
ALTER OPERATOR FAMILY f USING hash ADD OPERATOR 1 = (integer, integer);
COMMENT ON SERVER s IS 'srv';"
	model b "CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w OPTIONS (host 'h2', dbname 'x');
CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (user 'u', sslmode 'require');
CREATE FOREIGN TABLE ft (a integer OPTIONS (column_name 'y')) SERVER s OPTIONS (table_name 't2');
CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = simple, stopwords = english, accept = false);
CREATE TEXT SEARCH CONFIGURATION c (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR asciiword WITH simple;
ALTER TEXT SEARCH CONFIGURATION c ADD MAPPING FOR email WITH simple;
CREATE OPERATOR FAMILY f USING hash;
ALTER OPERATOR FAMILY f USING hash ADD OPERATOR 1 = (bigint, bigint);
COMMENT ON SERVER s IS 'server';"
	run --separate-stderr conf-diff "$BATS_TEST_TMPDIR/a.m" "$BATS_TEST_TMPDIR/b.m"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_output "SET lock_timeout = '5s';

ALTER SERVER s OPTIONS (DROP port, SET host 'h2', ADD dbname 'x');

ALTER USER MAPPING FOR PUBLIC SERVER s OPTIONS (ADD sslmode 'require');

ALTER TEXT SEARCH DICTIONARY public.d (stopwords, stopwords = 'english', accept = 'false');

ALTER TEXT SEARCH CONFIGURATION public.c DROP MAPPING FOR word;

ALTER TEXT SEARCH CONFIGURATION public.c ALTER MAPPING FOR asciiword WITH pg_catalog.simple;

ALTER TEXT SEARCH CONFIGURATION public.c ADD MAPPING FOR email WITH pg_catalog.simple;

ALTER OPERATOR FAMILY public.f USING hash DROP OPERATOR 1 (integer, integer);

ALTER OPERATOR FAMILY public.f USING hash ADD
    OPERATOR 1 pg_catalog.= (bigint, bigint);

ALTER FOREIGN TABLE public.ft OPTIONS (SET table_name 't2');

ALTER FOREIGN TABLE public.ft ALTER COLUMN a OPTIONS (SET column_name 'y');

COMMENT ON SERVER s IS 'server';"
}

@test "conf-diff: creation after what it uses, drops in reverse (table, mapping, server, wrapper; class, family)" {
	model e ""
	model a "CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE USER MAPPING FOR PUBLIC SERVER s;
CREATE FOREIGN TABLE ft (a integer) SERVER s;
CREATE OPERATOR CLASS c FOR TYPE integer USING hash AS OPERATOR 1 =, FUNCTION 1 hashint4(integer);
CREATE FUNCTION h() RETURNS language_handler AS 'plpgsql', 'plpgsql_call_handler' LANGUAGE c;
CREATE LANGUAGE l HANDLER h;
ALTER LANGUAGE l OWNER TO bob;"
	run --separate-stderr conf-diff "$BATS_TEST_TMPDIR/e.m" "$BATS_TEST_TMPDIR/a.m"
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

CREATE FOREIGN DATA WRAPPER w;

CREATE SERVER s FOREIGN DATA WRAPPER w;

CREATE USER MAPPING FOR PUBLIC SERVER s;

CREATE FUNCTION public.h()
RETURNS language_handler
LANGUAGE c
AS 'plpgsql', 'plpgsql_call_handler';

CREATE LANGUAGE l HANDLER public.h;

CREATE OPERATOR FAMILY public.c USING hash;

CREATE OPERATOR CLASS public.c FOR TYPE integer USING hash FAMILY public.c AS
    OPERATOR 1 pg_catalog.= (integer, integer),
    FUNCTION 1 (integer, integer) pg_catalog.hashint4(integer);

CREATE FOREIGN TABLE public.ft (
    a integer
) SERVER s;

ALTER LANGUAGE l OWNER TO bob;"
	run --separate-stderr conf-diff --allow-destructive "$BATS_TEST_TMPDIR/a.m" "$BATS_TEST_TMPDIR/e.m"
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

DROP FOREIGN TABLE public.ft;

DROP OPERATOR CLASS public.c USING hash;

DROP OPERATOR FAMILY public.c USING hash;

DROP USER MAPPING FOR PUBLIC SERVER s;

DROP SERVER s;

DROP FOREIGN DATA WRAPPER w;

DROP LANGUAGE l;

DROP FUNCTION public.h();"
}

@test "conf-diff: a user mapping's password cannot be written (the model has no text for it)" {
	model e ""
	model a "CREATE FOREIGN DATA WRAPPER w;
CREATE SERVER s FOREIGN DATA WRAPPER w;
CREATE USER MAPPING FOR PUBLIC SERVER s OPTIONS (password 'x');"
	run --separate-stderr conf-diff "$BATS_TEST_TMPDIR/e.m" "$BATS_TEST_TMPDIR/a.m"
	assert_failure 4
	assert_equal "$stderr" "conf-diff: user_mapping:s:PUBLIC: conf-diff cannot create a user mapping with a password (the model holds only whether there is one)"
}

@test "round trip on a server: empty -> every kind -> empty applies and re-diffs empty" {
	new_db
	# the fixtures without the user mapping passwords, which conf-diff cannot write
	cat "$FIX"/textsearch.sql "$FIX"/opclass.sql "$FIX"/language.sql "$FIX"/foreign.sql |
		sed "s/, password 'secret'//; s/ADD password 'x'/ADD sslmode 'x'/" >"$BATS_TEST_TMPDIR/all.sql"
	conf-parse -m "$BATS_TEST_TMPDIR/all.sql" >"$BATS_TEST_TMPDIR/all.m"
	conf-inspect -d "$DB" >"$BATS_TEST_TMPDIR/empty.m"
	run conf-diff "$BATS_TEST_TMPDIR/empty.m" "$BATS_TEST_TMPDIR/all.m"
	assert_failure 1
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/up.sql"
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$BATS_TEST_TMPDIR/up.sql"
	conf-inspect -d "$DB" >"$BATS_TEST_TMPDIR/up.m"
	run conf-diff "$BATS_TEST_TMPDIR/up.m" "$BATS_TEST_TMPDIR/all.m"
	assert_output ""
	assert_success
	run conf-diff --allow-destructive "$BATS_TEST_TMPDIR/up.m" "$BATS_TEST_TMPDIR/empty.m"
	assert_failure 1
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/down.sql"
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$BATS_TEST_TMPDIR/down.sql"
	conf-inspect -d "$DB" >"$BATS_TEST_TMPDIR/down.m"
	run conf-diff "$BATS_TEST_TMPDIR/down.m" "$BATS_TEST_TMPDIR/empty.m"
	assert_output ""
	assert_success
}

@test "an index key naming its type's default operator class is recorded without it, as the catalog has it" {
	run --separate-stderr conf-parse -m "$FIX/default_opclass.sql"
	assert_success
	assert_equal "$(rec index:public.docs_attrs | jq -c .keys)" '[{"column":"attrs"}]'
	assert_equal "$(rec index:public.docs_attrs_gin | jq -c .keys)" '[{"column":"attrs"}]'
	assert_equal "$(rec index:public.docs_id | jq -c .keys)" '[{"column":"id"}]'
	assert_equal "$(rec index:public.spots_p | jq -c .keys)" '[{"column":"p"}]'
	assert_equal "$(rec table:public.docs | jq -c '.constraints[0].elements')" '[{"column":"room","operator":"="},{"column":"during","operator":"&&"}]'
	# pg_trgm's operator classes are not the default of text
	assert_equal "$(rec index:public.docs_title | jq -c .keys)" '[{"column":"title","opclass":"ext.gin_trgm_ops"}]'
}

@test "btree: operators of one type that is not the class's (polymorphic) go to the family when no class of it is for that type" {
	run --separate-stderr conf-parse -m "$FIX/default_opclass.sql"
	assert_success
	assert_equal "$(rec 'opclass:public.floatrange_ops(btree)' | jq -c '[.operators, (.functions | length)]')" '[null,1]'
	assert_equal "$(rec 'opfamily:public.floatrange_ops(btree)' | jq -c '[.operators[].strategy]')" '[1,2,3,4,5]'
}
