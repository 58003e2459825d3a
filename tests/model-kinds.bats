#!/usr/bin/env bats
# The model's aggregates, operators, casts, collations, extended statistics and materialized view
# storage (conf-formats(5)): the records of conf-parse -m and conf-inspect, and conf-diff's SQL.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# roles: the roles the owner and grant statements name (cluster-wide, kept)
roles() {
	psql -XAtq -d postgres -c "DO \$\$ BEGIN CREATE ROLE model_owner; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" \
		-c "DO \$\$ BEGIN CREATE ROLE model_reader; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
}

# model NAME SQL: NAME.sql and NAME.m, the model conf-parse -m makes of it (no warning)
model() {
	printf '%s\n' "$2" >"$1.sql"
	conf-parse -m "$1.sql" >"$1.m" 2>"$1.err" || {
		cat "$1.err"
		return 1
	}
	[ ! -s "$1.err" ] || {
		cat "$1.err"
		return 1
	}
}

# recs NAME: the records of NAME.m but schemas, functions, tables and types, without positions
recs() {
	jq -c 'select(.kind | IN("schema", "function", "table", "type") | not) | del(.file, .line, .col)' "$1.m"
}

# agreement filter of conf-formats(5)
filt() {
	jq -cS 'walk(if type == "object" then with_entries(select(.key | test("^(file|line|col|sql)$|_sql$") | not)) else . end)'
}

# agree NAME: NAME.sql built in a new database, conf-inspect of it equals NAME.m through the filter
agree() {
	new_db "$1"
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$1.sql" >/dev/null 2>&1
	conf-inspect -d "$DBURL" | filt >"$1.db"
	filt <"$1.m" >"$1.fm"
	diff -u "$1.fm" "$1.db"
}

@test "aggregates: records of both tools; conf-diff creates them after their functions, comments, owners, grants; drops them" {
	roles
	model a "CREATE FUNCTION _cat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$ SELECT \$1 || \$2 \$\$;
CREATE AGGREGATE cat(text) (SFUNC = _cat, STYPE = text, INITCOND = '');
CREATE AGGREGATE cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = 0, PARALLEL = SAFE, COMBINEFUNC = int8pl);
CREATE AGGREGATE old_max (BASETYPE = int, SFUNC = int4larger, STYPE = int, SORTOP = >);
CREATE AGGREGATE pct(float8 ORDER BY float8) (SFUNC = ordered_set_transition, STYPE = internal,
	FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE AGGREGATE msum(int8) (SFUNC = int8pl, STYPE = int8, MSFUNC = int8pl, MINVFUNC = int8mi, MSTYPE = int8);
COMMENT ON AGGREGATE pct(float8 ORDER BY float8) IS 'p';
ALTER AGGREGATE cat(text) OWNER TO model_owner;
GRANT EXECUTE ON FUNCTION cat(text) TO model_reader;"
	run recs a
	assert_output '{"kind":"aggregate","id":"aggregate:public.cat(text)","args":[{"type":"text"}],"initcond":"","name":"cat","schema":"public","sfunc":"function:public._cat(text,text)","stype":"text"}
{"kind":"aggregate","id":"aggregate:public.cnt()","combinefunc":"int8pl","initcond":"0","name":"cnt","parallel":"safe","schema":"public","sfunc":"int8inc","stype":"bigint"}
{"kind":"aggregate","id":"aggregate:public.msum(bigint)","args":[{"type":"bigint"}],"minvfunc":"int8mi","msfunc":"int8pl","mstype":"bigint","name":"msum","schema":"public","sfunc":"int8pl","stype":"bigint"}
{"kind":"aggregate","id":"aggregate:public.old_max(integer)","args":[{"type":"integer"}],"name":"old_max","schema":"public","sfunc":"int4larger","sortop":">","stype":"integer"}
{"kind":"aggregate","id":"aggregate:public.pct(double precision,double precision)","args":[{"type":"double precision"},{"type":"double precision"}],"direct_args":1,"finalfunc":"percentile_disc_final","finalfunc_extra":true,"name":"pct","ordered_set":true,"schema":"public","sfunc":"ordered_set_transition","stype":"internal"}
{"kind":"comment","id":"comment:aggregate:public.pct(double precision,double precision)","on":"aggregate:public.pct(double precision,double precision)","text":"p"}
{"kind":"grant","id":"grant:aggregate:public.cat(text):model_reader","grantee":"model_reader","on":"aggregate:public.cat(text)","privileges":["EXECUTE"]}
{"kind":"owner","id":"owner:aggregate:public.cat(text)","on":"aggregate:public.cat(text)","owner":"model_owner"}'
	run agree a
	assert_success
	model e ""
	run conf-diff e.m a.m
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

CREATE FUNCTION public._cat(text, text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS \$\$ SELECT \$1 || \$2 \$\$;

CREATE AGGREGATE public.cat(text) (STYPE = text, SFUNC = public._cat, INITCOND = '');

CREATE AGGREGATE public.cnt(*) (STYPE = bigint, SFUNC = int8inc, COMBINEFUNC = int8pl, INITCOND = '0', PARALLEL = safe);

CREATE AGGREGATE public.msum(bigint) (STYPE = bigint, SFUNC = int8pl, MSFUNC = int8pl, MINVFUNC = int8mi, MSTYPE = bigint);

CREATE AGGREGATE public.old_max(integer) (STYPE = integer, SFUNC = int4larger, SORTOP = OPERATOR(pg_catalog.>));

CREATE AGGREGATE public.pct(double precision ORDER BY double precision) (STYPE = internal, SFUNC = ordered_set_transition, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);

ALTER AGGREGATE public.cat(text) OWNER TO model_owner;

GRANT EXECUTE ON FUNCTION public.cat(text) TO model_reader;

COMMENT ON AGGREGATE public.pct(double precision ORDER BY double precision) IS 'p';"
	run conf-diff a.m e.m
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

DROP AGGREGATE public.cat(text);

DROP AGGREGATE public.cnt(*);

DROP AGGREGATE public.msum(bigint);

DROP AGGREGATE public.old_max(integer);

DROP AGGREGATE public.pct(double precision ORDER BY double precision);

DROP FUNCTION public._cat(text, text);"
}

@test "aggregates: hypothetical, (ORDER BY) alone, moving options, argument names; renamed, moved and dropped as PostgreSQL does" {
	roles
	model a "CREATE SCHEMA s;
CREATE AGGREGATE r(VARIADIC \"any\" ORDER BY VARIADIC \"any\") (SFUNC = ordered_set_transition_multi, STYPE = internal,
	FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);
CREATE AGGREGATE m0(ORDER BY anyelement) (SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = mode_final,
	FINALFUNC_EXTRA, FINALFUNC_MODIFY = READ_ONLY);
CREATE AGGREGATE ms(x int8) (SFUNC = int8pl, STYPE = int8, SSPACE = 16, MSFUNC = int8pl, MINVFUNC = int8mi, MSTYPE = int8,
	MSSPACE = 8, MINITCOND = '0', FINALFUNC_MODIFY = SHAREABLE);
ALTER AGGREGATE ms(int8) RENAME TO ms2;
ALTER AGGREGATE ms2(int8) SET SCHEMA s;
CREATE AGGREGATE gone(int8) (SFUNC = int8pl, STYPE = int8);
DROP AGGREGATE gone(int8);"
	run recs a
	assert_output '{"kind":"aggregate","id":"aggregate:public.m0(anyelement)","args":[{"type":"anyelement"}],"finalfunc":"mode_final","finalfunc_extra":true,"finalfunc_modify":"read_only","name":"m0","ordered_set":true,"schema":"public","sfunc":"ordered_set_transition","stype":"internal"}
{"kind":"aggregate","id":"aggregate:public.r(\"any\")","args":[{"mode":"variadic","type":"\"any\""}],"direct_args":1,"finalfunc":"rank_final","finalfunc_extra":true,"hypothetical":true,"name":"r","ordered_set":true,"schema":"public","sfunc":"ordered_set_transition_multi","stype":"internal"}
{"kind":"aggregate","id":"aggregate:s.ms2(bigint)","args":[{"name":"x","type":"bigint"}],"finalfunc_modify":"shareable","minitcond":"0","minvfunc":"int8mi","msfunc":"int8pl","msspace":8,"mstype":"bigint","name":"ms2","schema":"s","sfunc":"int8pl","sspace":16,"stype":"bigint"}'
	run agree a
	assert_success
	printf 'DROP AGGREGATE nope(text, int);\nDROP AGGREGATE IF EXISTS nope(text);\nALTER AGGREGATE nope(*) OWNER TO model_owner;\nCREATE FUNCTION f(int8, int8) RETURNS int8 LANGUAGE sql AS $$ SELECT $1 $$;\nCREATE AGGREGATE g(int8) (SFUNC = f, STYPE = int8);\nDROP FUNCTION f(int8, int8);\n' >b.sql
	run --separate-stderr conf-parse -m b.sql
	assert_failure 4
	assert_equal "$stderr" "conf-parse: b.sql:1:1: aggregate nope(text, integer) does not exist
conf-parse: b.sql:3:1: aggregate nope(*) does not exist
conf-parse: b.sql:6:1: cannot drop function f(bigint,bigint) because other objects depend on it"
}

@test "operators: records of both tools; conf-diff creates, alters RESTRICT and JOIN in place, drops" {
	roles
	model a "CREATE FUNCTION ieq(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS \$\$ SELECT \$1 = \$2 \$\$;
CREATE FUNCTION neg(int) RETURNS int LANGUAGE sql IMMUTABLE AS \$\$ SELECT -\$1 \$\$;
CREATE OPERATOR === (FUNCTION = ieq, LEFTARG = int, RIGHTARG = int, COMMUTATOR = ===, NEGATOR = !==,
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR public.~~~ (FUNCTION = neg, RIGHTARG = int);
COMMENT ON OPERATOR ~~~ (NONE, int) IS 'negation';
ALTER OPERATOR ~~~ (NONE, int) OWNER TO model_owner;"
	run recs a
	assert_output '{"kind":"comment","id":"comment:operator:public.~~~(NONE,integer)","on":"operator:public.~~~(NONE,integer)","text":"negation"}
{"kind":"operator","id":"operator:public.===(integer,integer)","commutator":"operator:public.===(integer,integer)","function":"function:public.ieq(integer,integer)","hashes":true,"join":"eqjoinsel","left":"integer","merges":true,"name":"===","negator":"operator:public.!==(integer,integer)","restrict":"eqsel","right":"integer","schema":"public"}
{"kind":"operator","id":"operator:public.~~~(NONE,integer)","function":"function:public.neg(integer)","name":"~~~","right":"integer","schema":"public"}
{"kind":"owner","id":"owner:operator:public.~~~(NONE,integer)","on":"operator:public.~~~(NONE,integer)","owner":"model_owner"}'
	run agree a
	assert_success
	model e ""
	run bash -c 'conf-diff e.m a.m | grep -v "^\(CREATE FUNCTION\|RETURNS\|LANGUAGE\|AS\) \|^$"'
	assert_output "SET lock_timeout = '5s';
CREATE OPERATOR public.=== (FUNCTION = public.ieq, LEFTARG = integer, RIGHTARG = integer, COMMUTATOR = OPERATOR(public.===), NEGATOR = OPERATOR(public.!==), RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR public.~~~ (FUNCTION = public.neg, RIGHTARG = integer);
ALTER OPERATOR public.~~~ (NONE, integer) OWNER TO model_owner;
COMMENT ON OPERATOR public.~~~ (NONE, integer) IS 'negation';"
	model b "$(sed 's/RESTRICT = eqsel, JOIN = eqjoinsel, //' a.sql)"
	run conf-diff a.m b.m
	assert_output "SET lock_timeout = '5s';

ALTER OPERATOR public.=== (integer, integer) SET (RESTRICT = NONE, JOIN = NONE);"
	run conf-diff a.m e.m
	assert_output "SET lock_timeout = '5s';

DROP OPERATOR public.=== (integer, integer);

DROP OPERATOR public.~~~ (NONE, integer);

DROP FUNCTION public.ieq(integer, integer);

DROP FUNCTION public.neg(integer);"
}

@test "casts: records of both tools; conf-diff creates them after their types and functions, drops them before" {
	model a "CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE FUNCTION mood_of(text) RETURNS mood LANGUAGE sql IMMUTABLE AS \$\$ SELECT \$1::mood \$\$;
CREATE CAST (text AS mood) WITH FUNCTION mood_of(text) AS ASSIGNMENT;
CREATE CAST (mood AS character varying) WITH INOUT AS IMPLICIT;
CREATE CAST (xid AS integer) WITHOUT FUNCTION;
COMMENT ON CAST (text AS mood) IS 'parse';"
	run recs a
	assert_output '{"kind":"cast","id":"cast:(public.mood AS character varying)","context":"implicit","inout":true,"source":"public.mood","target":"character varying"}
{"kind":"cast","id":"cast:(text AS public.mood)","context":"assignment","function":"function:public.mood_of(text)","source":"text","target":"public.mood"}
{"kind":"cast","id":"cast:(xid AS integer)","binary":true,"source":"xid","target":"integer"}
{"kind":"comment","id":"comment:cast:(text AS public.mood)","on":"cast:(text AS public.mood)","text":"parse"}'
	run agree a
	assert_success
	model e ""
	run bash -c 'conf-diff e.m a.m | grep -v "^\(RETURNS\|LANGUAGE\|AS\) \|^$"'
	assert_output "SET lock_timeout = '5s';
CREATE TYPE public.mood AS ENUM ('sad', 'ok');
SET search_path = 'public';
CREATE FUNCTION public.mood_of(text)
CREATE CAST (public.mood AS character varying) WITH INOUT AS IMPLICIT;
CREATE CAST (text AS public.mood) WITH FUNCTION public.mood_of(text) AS ASSIGNMENT;
CREATE CAST (xid AS integer) WITHOUT FUNCTION;
COMMENT ON CAST (text AS public.mood) IS 'parse';
RESET search_path;"
	run conf-diff --allow-destructive a.m e.m
	assert_output "SET lock_timeout = '5s';

DROP CAST (public.mood AS character varying);

DROP CAST (text AS public.mood);

DROP CAST (xid AS integer);

DROP FUNCTION public.mood_of(text);

DROP TYPE public.mood;"
}

@test "collations, extended statistics, a materialized view's storage: records of both tools and conf-diff's SQL" {
	model a "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION c_split (lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION c_from FROM \"C\";
CREATE TABLE people (id int, name text COLLATE ci, city text, zip text);
CREATE STATISTICS people_city_zip (ndistinct, dependencies) ON zip, city FROM people;
CREATE STATISTICS people_expr ON city, (lower(name)) FROM people;
ALTER STATISTICS people_city_zip SET STATISTICS 500;
CREATE MATERIALIZED VIEW people_mv WITH (fillfactor = 70) AS SELECT id, city FROM people;"
	run recs a
	assert_output '{"kind":"collation","id":"collation:public.c_from","locale":"C","name":"c_from","schema":"public"}
{"kind":"collation","id":"collation:public.c_split","lc_collate":"C","lc_ctype":"POSIX","name":"c_split","schema":"public"}
{"kind":"collation","id":"collation:public.ci","locale":"und-u-ks-level2","name":"ci","nondeterministic":true,"provider":"icu","schema":"public"}
{"kind":"matview","id":"matview:public.people_mv","columns":["id","city"],"name":"people_mv","options":["fillfactor=70"],"query":"cc0c2856b1bbaea6","query_sql":"SELECT id, city FROM people","schema":"public"}
{"kind":"statistics","id":"statistics:public.people_city_zip","columns":["city","zip"],"kinds":["ndistinct","dependencies"],"name":"people_city_zip","schema":"public","stattarget":500,"table":"table:public.people"}
{"kind":"statistics","id":"statistics:public.people_expr","columns":["city"],"exprs":[{"expr":"708a4ec14ac788ad","expr_sql":"lower(name)"}],"kinds":["ndistinct","dependencies","mcv"],"name":"people_expr","schema":"public","table":"table:public.people"}'
	run agree a
	assert_success
	model e ""
	run conf-diff e.m a.m
	assert_output "SET lock_timeout = '5s';

CREATE COLLATION public.c_from (LOCALE = 'C');

CREATE COLLATION public.c_split (LC_COLLATE = 'C', LC_CTYPE = 'POSIX');

CREATE COLLATION public.ci (PROVIDER = icu, LOCALE = 'und-u-ks-level2', DETERMINISTIC = false);

CREATE TABLE public.people (
    id integer,
    name text COLLATE public.ci,
    city text,
    zip text
);

SET search_path = 'public';

CREATE MATERIALIZED VIEW public.people_mv (id, city) WITH (fillfactor=70) AS
SELECT id, city FROM people;

CREATE STATISTICS public.people_city_zip (ndistinct, dependencies) ON city, zip FROM public.people;

ALTER STATISTICS public.people_city_zip SET STATISTICS 500;

CREATE STATISTICS public.people_expr (ndistinct, dependencies, mcv) ON city, (lower(name)) FROM public.people;

RESET search_path;"
	model b "$(sed 's/SET STATISTICS 500/SET STATISTICS 200/' a.sql)"
	run conf-diff a.m b.m
	assert_output "SET lock_timeout = '5s';

ALTER STATISTICS public.people_city_zip SET STATISTICS 200;"
	model c "$(sed 's/(ndistinct, dependencies) ON zip/(mcv) ON zip/' a.sql)"
	run conf-diff a.m c.m
	assert_output "SET lock_timeout = '5s';

DROP STATISTICS public.people_city_zip;

CREATE STATISTICS public.people_city_zip (mcv) ON city, zip FROM public.people;

ALTER STATISTICS public.people_city_zip SET STATISTICS 500;"
	# a collation a column uses cannot change under it
	model d "$(sed "s/und-u-ks-level2/und-u-ks-level1/" a.sql)"
	run --separate-stderr conf-diff a.m d.m
	assert_failure 4
	assert_equal "$stderr" "conf-diff: collation:public.ci: a collation in use (by table:public.people) cannot be changed"
}

@test "a materialized view's tablespace: both tools, ALTER ... SET TABLESPACE followed, pg_default no field" {
	need_db
	local dir=$PGTEST_DIR/ts_kinds
	mkdir -p "$dir"
	[ "$(id -u)" != 0 ] || chown postgres: "$dir"
	psql -XAtq -d postgres -c "DROP TABLESPACE IF EXISTS kinds_ts" -c "CREATE TABLESPACE kinds_ts LOCATION '$dir'"
	model a "CREATE TABLE t (a int);
CREATE MATERIALIZED VIEW mv TABLESPACE pg_default AS SELECT a FROM t;
CREATE MATERIALIZED VIEW mv2 AS SELECT a FROM t;
ALTER MATERIALIZED VIEW mv2 SET TABLESPACE kinds_ts;"
	run jq -c 'select(.kind == "matview") | [.id, .tablespace]' a.m
	assert_output '["matview:public.mv",null]
["matview:public.mv2","kinds_ts"]'
	agree a
	psql -XAtq -d postgres -c "DROP DATABASE \"$DB\"" -c "DROP TABLESPACE kinds_ts"
}

@test "an aggregate changed is dropped and made again around the view that calls it; a support function made again takes it along" {
	model a "CREATE FUNCTION _c(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$ SELECT \$1 || \$2 \$\$;
CREATE AGGREGATE ga(text) (SFUNC = _c, STYPE = text);
CREATE VIEW v AS SELECT ga(relname::text) AS names FROM pg_class;"
	model b "$(sed 's/STYPE = text)/STYPE = text, INITCOND = $$$$)/' a.sql)"
	run conf-diff b.m a.m
	assert_output "SET lock_timeout = '5s';

DROP VIEW public.v;

DROP AGGREGATE public.ga(text);

CREATE AGGREGATE public.ga(text) (STYPE = text, SFUNC = public._c);

SET search_path = 'public';

CREATE VIEW public.v (names) AS
SELECT ga(relname::text) AS names FROM pg_class;

RESET search_path;"
	model c "$(sed 's/_c(a text, b text)/_c(x text, y text)/' a.sql)"
	run conf-diff a.m c.m
	assert_output "SET lock_timeout = '5s';

DROP VIEW public.v;

DROP AGGREGATE public.ga(text);

DROP FUNCTION public._c(text, text);

CREATE FUNCTION public._c(x text, y text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS \$\$ SELECT \$1 || \$2 \$\$;

CREATE AGGREGATE public.ga(text) (STYPE = text, SFUNC = public._c);

SET search_path = 'public';

CREATE VIEW public.v (names) AS
SELECT ga(relname::text) AS names FROM pg_class;

RESET search_path;"
}

@test "diff-agree: the fixtures of these kinds and pagila and danbooru, from and to an empty database" {
	need_db
	local f n s=$CORPUS/schemas
	local -a cases=()
	for f in aggregates operators casts collations_stats; do
		mkdir -p "e-$f" "$f-e"
		cp "$REPO/tests/fixtures/model/$f.sql" "e-$f/new.sql"
		cp "$REPO/tests/fixtures/model/$f.sql" "$f-e/old.sql"
		printf '{"roles":["model_owner","model_reader"]}\n' | tee "e-$f/meta.json" >"$f-e/meta.json"
		cases+=("e-$f" "$f-e")
	done
	if [ -d "$s" ]; then
		for n in pagila danbooru; do
			mkdir -p "empty-$n" "$n-empty"
			cases+=("empty-$n" "$n-empty")
		done
		cp "$s"/pagila-schema-*.sql empty-pagila/new.sql
		cp "$s/danbooru-structure.sql" empty-danbooru/new.sql
		cp empty-pagila/new.sql pagila-empty/old.sql
		cp empty-danbooru/new.sql danbooru-empty/old.sql
	fi
	run "$REPO/tests/diff-agree.sh" -j 3 "${cases[@]}"
	echo "$output"
	assert_success
	assert_output "${#cases[@]}/${#cases[@]} pass"
}
