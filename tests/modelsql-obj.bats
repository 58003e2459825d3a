#!/usr/bin/env bats
# conf-parse -m: views, functions, triggers, policies, rules, publications, comments, grants and
# owners (lib/modelsql_obj.c), as exact records and as agreement with conf-inspect.

load helper

# The agreement filter of conf-formats(5): text-only fields out.
F='walk(if type=="object" then with_entries(select(.key|test("^(file|line|col|sql)$|_sql$")|not)) else . end)'

# sql: stdin into $S (a file of this test)
sql() {
	S=$BATS_TEST_TMPDIR/s.sql
	cat >"$S"
}

# recs KIND...: the model's records of those kinds, provenance kept, one a line
recs() {
	local sel
	sel=$(printf '.kind == "%s" or ' "$@")
	conf-parse -m "$S" 2>/dev/null | jq -c "select(${sel% or })"
}

# agree KIND...: the records of those kinds from conf-parse -m $S equal conf-inspect's of a
# database built from $S, after the agreement filter (and the jq filter $PROJ when set)
agree() {
	local sel
	sel=$(printf '.kind == "%s" or ' "$@")
	new_db
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$S" >/dev/null 2>&1
	conf-parse -m "$S" 2>/dev/null | jq -cS "$F | select(${sel% or }) | ${PROJ:-.}" >"$BATS_TEST_TMPDIR/parse"
	conf-inspect -d "$DBURL" | jq -cS "$F | select(${sel% or }) | ${PROJ:-.}" >"$BATS_TEST_TMPDIR/inspect"
	run diff "$BATS_TEST_TMPDIR/parse" "$BATS_TEST_TMPDIR/inspect"
	assert_success
	[ -s "$BATS_TEST_TMPDIR/parse" ]
}

roles() {
	for r in "$@"; do
		psql -XAtq -d postgres -c "DO \$\$BEGIN CREATE ROLE $r; EXCEPTION WHEN duplicate_object THEN NULL; END\$\$" >/dev/null
	done
}

@test "a function: signature, canonical types, options, SET as proconfig, body, provenance" {
	sql <<'EOF'
-- leading comment
create or replace function public.f(a int, out b text, out d int, variadic c int[] default '{}')
  returns setof record language PLPGSQL stable strict security definer parallel safe cost 5 rows 10
  set search_path = public, pg_temp set work_mem = '64MB' set timezone = 'UTC'
  as $$ begin end $$;
EOF
	run recs function
	assert_output '{"kind":"function","id":"function:public.f(integer,integer[])","args":[{"name":"a","type":"integer"},{"mode":"out","name":"b","type":"text"},{"mode":"out","name":"d","type":"integer"},{"default":"8485fcb996210437","default_sql":"'"'{}'"'","mode":"variadic","name":"c","type":"integer[]"}],"body":" begin end ","col":1,"cost":5,"file":"'"$S"'","language":"plpgsql","line":2,"name":"f","parallel":"safe","returns":"SETOF record","rows":10,"schema":"public","security_definer":true,"set":["search_path=public, pg_temp","work_mem=64MB","TimeZone=UTC"],"strict":true,"volatility":"stable"}'
}

@test "function results: RETURNS TABLE quoted as pg_get_function_result, OUT parameters, C functions" {
	sql <<'EOF'
create function t(x int) returns table(id int, "end" text, "Name" text) language sql as 'select 1, $$a$$, $$b$$';
create function o1(in a int, out b text) language sql as 'select a::text';
create function o2(inout a int, out b text) language sql leakproof as 'select a, a::text';
create function c1(int) returns int language c strict as '$libdir/plpgsql', 'plpgsql_call_handler';
create function c2(int) returns int language internal cost 1 as 'int4abs';
EOF
	run recs function
	assert_output - <<EOF
{"kind":"function","id":"function:public.c1(integer)","args":[{"type":"integer"}],"body":"plpgsql_call_handler","body_obj":"\$libdir/plpgsql","col":1,"file":"$S","language":"c","line":4,"name":"c1","returns":"integer","schema":"public","strict":true}
{"kind":"function","id":"function:public.c2(integer)","args":[{"type":"integer"}],"body":"int4abs","col":1,"file":"$S","language":"internal","line":5,"name":"c2","returns":"integer","schema":"public"}
{"kind":"function","id":"function:public.o1(integer)","args":[{"name":"a","type":"integer"},{"mode":"out","name":"b","type":"text"}],"body":"select a::text","col":1,"file":"$S","language":"sql","line":2,"name":"o1","returns":"text","schema":"public"}
{"kind":"function","id":"function:public.o2(integer)","args":[{"mode":"inout","name":"a","type":"integer"},{"mode":"out","name":"b","type":"text"}],"body":"select a, a::text","col":1,"file":"$S","language":"sql","leakproof":true,"line":3,"name":"o2","returns":"record","schema":"public"}
{"kind":"function","id":"function:public.t(integer)","args":[{"name":"x","type":"integer"}],"body":"select 1, \$\$a\$\$, \$\$b\$\$","col":1,"file":"$S","language":"sql","line":1,"name":"t","returns":"TABLE(id integer, \"end\" text, \"Name\" text)","schema":"public"}
EOF
	agree function
}

@test "ALTER FUNCTION: options, SET/RESET, RENAME, SET SCHEMA; comments follow; DROP" {
	sql <<'EOF'
create schema s;
create function add1(a integer, b integer default 2) returns integer language sql immutable as $$ select a + b $$;
comment on function add1(int, int) is 'adds';
alter function add1(int, int) stable strict set search_path = "$user", public;
alter function add1 reset search_path;
alter function add1 set work_mem = '1MB';
alter function add1(int, int) rename to add2;
alter function add2 set schema s;
create function gone() returns int language sql as 'select 1';
comment on function gone is 'x';
drop function gone;
drop function if exists nothing(int);
EOF
	run recs function comment
	assert_output - <<EOF
{"kind":"comment","id":"comment:function:s.add2(integer,integer)","col":1,"file":"$S","line":3,"on":"function:s.add2(integer,integer)","text":"adds"}
{"kind":"function","id":"function:s.add2(integer,integer)","args":[{"name":"a","type":"integer"},{"default":"954fafdbb4b78746","default_sql":"2","name":"b","type":"integer"}],"body":" select a + b ","col":1,"file":"$S","language":"sql","line":2,"name":"add2","returns":"integer","schema":"s","set":["work_mem=1MB"],"strict":true,"volatility":"stable"}
EOF
	agree function comment
}

@test "a function that is not there: ALTER and DROP are errors at the statement" {
	sql <<'EOF'
create function f(int) returns int language sql as 'select 1';
create function f(text) returns int language sql as 'select 1';
drop function g(int);
alter function f stable;
EOF
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:3:1: function public.g(integer) does not exist
conf-parse: $S:4:1: function name \"f\" is not unique"
}

@test "SQL-standard bodies: body normalized, body_sql the text" {
	sql <<'EOF'
create function r(a int) returns int language sql immutable return a + 1;
create procedure p() begin atomic select 1; select 2; end;
EOF
	run recs function procedure
	assert_output - <<EOF
{"kind":"function","id":"function:public.r(integer)","args":[{"name":"a","type":"integer"}],"body":"$(conf-parse -m "$S" | jq -r 'select(.name == "r") | .body')","body_sql":"return a + 1","col":1,"file":"$S","language":"sql","line":1,"name":"r","returns":"integer","schema":"public","volatility":"immutable"}
{"kind":"procedure","id":"procedure:public.p()","body":"$(conf-parse -m "$S" | jq -r 'select(.name == "p") | .body')","body_sql":"begin atomic select 1; select 2; end","col":1,"file":"$S","language":"sql","line":2,"name":"p","schema":"public"}
EOF
	# the forms are the server's: the catalog's text normalizes to the same
	[ "$(conf-parse -m "$S" | jq -r 'select(.name == "r") | .body')" != "" ]
}

@test "views: columns as PostgreSQL names them, options, check option, OR REPLACE, ALTER VIEW SET" {
	sql <<'EOF'
create view v as select 1 as a, 'x'::text, 1::int, now(), count(*), coalesce(null, 1), case when true then 1 end,
  exists(select 1), array[1], current_user, nullif(1, 2), (select relname from pg_class limit 1),
  greatest(1, 2), 2 + 2;
create table t0 (a int, b int, c int);
create view w (x, y) with (security_barrier) as select a, b, c from t0 with local check option;
alter view w set (security_invoker = true);
alter view w reset (security_barrier);
create or replace view w2 with (check_option = cascaded) as select a as one from t0;
create view vv as values (1, 2);
EOF
	run recs view
	assert_line --index 0 --regexp '^\{"kind":"view","id":"view:public.v","col":1,"columns":\["a","text","int4","now","count","coalesce","case","exists","array","current_user","nullif","relname","greatest","\?column\?"\],'
	assert_line --index 1 --regexp '^\{"kind":"view","id":"view:public.vv","col":1,"columns":\["column1","column2"\],"file":"[^"]*","line":9,"name":"vv","query":"[0-9a-f]{16}","query_sql":"values \(1, 2\)","schema":"public"\}$'
	assert_line --index 2 --regexp '^\{"kind":"view","id":"view:public.w","check_option":"local","col":1,"columns":\["x","y","c"\],"file":"[^"]*","line":5,"name":"w","query":"[0-9a-f]{16}","query_sql":"select a, b, c from t0","schema":"public","security_invoker":true\}$'
	assert_line --index 3 --regexp '^\{"kind":"view","id":"view:public.w2","check_option":"cascaded",'
	# the catalog's text of v normalizes apart (CASE gets ELSE NULL): its names agree
	PROJ='if .name == "v" then del(.query) else . end' agree view
}

@test "views over tables: * and t.* expanded from the model, USING joins merged" {
	sql <<'EOF'
create table t1 (a int primary key, b text);
create table t2 (a int, c date);
create view v1 as select * from t1;
create view v2 as select t1.*, u.b as ub from t1 join t1 u using (a);
create view v3 as select * from t1 join t2 using (a);
create view v4 (k) as select x.* from t2 as x (k1, k2);
create materialized view mv as select a, b from t1 with no data;
create materialized view mv2 (p) as select * from t2;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"view\" or .kind == \"matview\") | [.id, .columns, .no_data]"' "$S"
	assert_output - <<'EOF'
["matview:public.mv",["a","b"],true]
["matview:public.mv2",["p","c"],null]
["view:public.v1",["a","b"],null]
["view:public.v2",["a","b","ub"],null]
["view:public.v3",["a","b","c"],null]
["view:public.v4",["k","k2"],null]
EOF
	agree view matview
}

@test "views: RENAME, SET SCHEMA and DROP carry comments and owners, or drop them" {
	roles mobj_r1
	sql <<'EOF'
create schema s;
create view v as select 1 as a;
comment on view v is 'a view';
comment on column v.a is 'col';
alter view v owner to mobj_r1;
alter view v rename to w;
alter view w set schema s;
create view gone as select 1 as b;
comment on view gone is 'x';
drop view gone;
drop view if exists nothing;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind != \"schema\") | [.id, .on]"' "$S"
	assert_output - <<'EOF'
["comment:column:s.w.a","column:s.w.a"]
["comment:view:s.w","view:s.w"]
["owner:view:s.w","view:s.w"]
["view:s.w",null]
EOF
	agree view comment owner
}

@test "triggers: timing, events, UPDATE OF, WHEN, args, constraint triggers, transition tables" {
	sql <<'EOF'
create table t1 (a int, b text);
create function trg() returns trigger language plpgsql as $$begin return new; end$$;
create trigger tr before insert or update of b on t1 for each row when (new.a > 0) execute function trg('x', 1);
create constraint trigger ctr after delete on t1 deferrable initially deferred for each row execute procedure trg();
create trigger st after update on t1 referencing old table as ot new table as nt for each statement execute function trg();
create trigger tt after truncate on t1 execute function trg();
create or replace trigger tt after truncate or insert on t1 execute function trg();
comment on trigger tr on t1 is 'trig';
alter trigger st on t1 rename to st2;
create trigger gone after insert on t1 execute function trg();
drop trigger gone on t1;
EOF
	run recs trigger
	assert_output - <<EOF
{"kind":"trigger","id":"trigger:public.t1.ctr","col":1,"constraint":true,"deferrable":true,"events":["delete"],"file":"$S","function":"function:public.trg()","initially_deferred":true,"level":"row","line":4,"name":"ctr","schema":"public","table":"table:public.t1","timing":"after"}
{"kind":"trigger","id":"trigger:public.t1.st2","col":1,"events":["update"],"file":"$S","function":"function:public.trg()","level":"statement","line":5,"name":"st2","new_table":"nt","old_table":"ot","schema":"public","table":"table:public.t1","timing":"after"}
{"kind":"trigger","id":"trigger:public.t1.tr","args":["x","1"],"col":1,"columns":["b"],"events":["insert","update"],"file":"$S","function":"function:public.trg()","level":"row","line":3,"name":"tr","schema":"public","table":"table:public.t1","timing":"before","when":"$(conf-parse -m "$S" | jq -r 'select(.name == "tr") | .when')","when_sql":"new.a > 0"}
{"kind":"trigger","id":"trigger:public.t1.tt","col":1,"events":["insert","truncate"],"file":"$S","function":"function:public.trg()","level":"statement","line":7,"name":"tt","schema":"public","table":"table:public.t1","timing":"after"}
EOF
	agree trigger comment
}

@test "a trigger that exists already is an error unless OR REPLACE" {
	sql <<'EOF'
create table t1 (a int);
create function trg() returns trigger language plpgsql as $$begin return new; end$$;
create trigger tr after insert on t1 execute function trg();
create trigger tr after insert on t1 execute function trg();
EOF
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:4:1: trigger \"tr\" for relation \"t1\" already exists"
}

@test "event triggers: tags upper-cased, ENABLE/DISABLE, comment, DROP" {
	sql <<'EOF'
create function et() returns event_trigger language plpgsql as $$begin end$$;
create event trigger e1 on ddl_command_start when tag in ('create table', 'DROP TABLE') execute function et();
create event trigger e2 on sql_drop execute procedure et();
alter event trigger e2 disable;
alter event trigger e1 enable always;
comment on event trigger e1 is 'evt';
create event trigger gone on sql_drop execute procedure et();
drop event trigger gone;
EOF
	run recs event_trigger
	assert_output - <<EOF
{"kind":"event_trigger","id":"event_trigger:e1","col":1,"enabled":"A","event":"ddl_command_start","file":"$S","function":"function:public.et()","line":2,"name":"e1","tags":["CREATE TABLE","DROP TABLE"]}
{"kind":"event_trigger","id":"event_trigger:e2","col":1,"enabled":"D","event":"sql_drop","file":"$S","function":"function:public.et()","line":3,"name":"e2"}
EOF
	agree event_trigger comment
}

@test "policies: command, restrictive, roles sorted, PUBLIC alone, ALTER, RENAME, DROP" {
	roles mobj_r1 mobj_r2
	sql <<'EOF'
create table t1 (a int, b text);
create policy p1 on t1 for select to public using (a > 1);
create policy p2 on t1 as restrictive to mobj_r2, mobj_r1 using (true) with check (b <> '');
create policy p4 on t1 for insert to mobj_r1, public with check (a > 0);
alter policy p1 on t1 to mobj_r1 using (a > 2);
alter policy p2 on t1 rename to p3;
comment on policy p3 on t1 is 'pol';
create policy gone on t1;
drop policy gone on t1;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"policy\") | del(.file, .check, .using)"' "$S"
	assert_output - <<'EOF'
{"kind":"policy","id":"policy:public.t1.p1","col":1,"command":"select","line":2,"name":"p1","roles":["mobj_r1"],"schema":"public","table":"table:public.t1","using_sql":"a > 2"}
{"kind":"policy","id":"policy:public.t1.p3","check_sql":"b <> ''","col":1,"line":3,"name":"p3","restrictive":true,"roles":["mobj_r1","mobj_r2"],"schema":"public","table":"table:public.t1","using_sql":"true"}
{"kind":"policy","id":"policy:public.t1.p4","check_sql":"a > 0","col":1,"command":"insert","line":4,"name":"p4","schema":"public","table":"table:public.t1"}
EOF
	agree policy comment
}

@test "rules: event, INSTEAD, WHERE, actions, NOTHING" {
	sql <<'EOF'
create table t1 (a int);
create table t2 (a int);
create rule r1 as on insert to t1 where new.a > 0 do instead insert into t2 values (new.a);
create rule r2 as on delete to t1 do also nothing;
create rule r3 as on update to t1 do (insert into t2 values (old.a); delete from t2 where a = new.a);
comment on rule r1 on t1 is 'rule';
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"rule\") | del(.file, .where, .actions)"' "$S"
	assert_output - <<'EOF'
{"kind":"rule","id":"rule:public.t1.r1","actions_sql":"insert into t2 values (new.a)","col":1,"event":"insert","instead":true,"line":3,"name":"r1","schema":"public","table":"table:public.t1","where_sql":"new.a > 0"}
{"kind":"rule","id":"rule:public.t1.r2","col":1,"event":"delete","line":4,"name":"r2","schema":"public","table":"table:public.t1"}
{"kind":"rule","id":"rule:public.t1.r3","actions_sql":"(insert into t2 values (old.a); delete from t2 where a = new.a)","col":1,"event":"update","line":5,"name":"r3","schema":"public","table":"table:public.t1"}
EOF
	agree rule comment
}

@test "publications: FOR ALL TABLES, tables sorted, publish, via_root, ALTER ADD/DROP/SET" {
	sql <<'EOF'
create table t1 (a int primary key);
create table t2 (a int primary key);
create table t3 (a int primary key);
create publication p1 for all tables with (publish = 'insert, update');
create publication p2 for table t2, t1 with (publish_via_partition_root);
alter publication p2 add table t3;
alter publication p2 drop table t2;
alter publication p2 set (publish = 'delete');
create publication p3 for table t1;
alter publication p3 set table t2;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"publication\") | del(.file, .line, .col)"' "$S"
	assert_output - <<'EOF'
{"kind":"publication","id":"publication:p1","all_tables":true,"name":"p1","publish":["insert","update"]}
{"kind":"publication","id":"publication:p2","name":"p2","publish":["delete"],"tables":["table:public.t1","table:public.t3"],"via_root":true}
{"kind":"publication","id":"publication:p3","name":"p3","tables":["table:public.t2"]}
EOF
	agree publication
}

@test "publications (PostgreSQL 15): TABLES IN SCHEMA, row filters, column lists in column order, inheritance children, renames followed" {
	sql <<'EOF'
create schema s;
create table s.x (a int, b text, c int);
create table par (a int, b int);
create table kid () inherits (par);
create table gk () inherits (kid);
create table parted (a int) partition by list (a);
create publication p1 for table s.x (c, a) where (c > 0), par where (b is not null);
create publication p2 for tables in schema s, public, table only par;
create publication p3 for table parted where (a > 1) with (publish_via_partition_root);
create publication p4 for table s.x, s.x;
alter publication p2 drop tables in schema public;
alter publication p4 add tables in schema public;
alter publication p4 drop table s.x;
alter publication p4 add table par where (a <> 2);
alter table s.x rename column c to cc;
alter table kid rename to kid2;
alter schema s rename to s2;
EOF
	# the normalized row filter (a hash of normexpr) is pinned by the agreement, its text here
	run sh -c 'conf-parse -m "$0" | jq -c "select(.kind == \"publication\") | del(.file, .line, .col) | if .filters then .filters |= map(if .where then .where = \"N\" else . end) else . end"' "$S"
	assert_success
	assert_output - <<'EOF'
{"kind":"publication","id":"publication:p1","filters":[{"table":"table:public.gk","where":"N","where_sql":"b is not null"},{"table":"table:public.kid2","where":"N","where_sql":"b is not null"},{"table":"table:public.par","where":"N","where_sql":"b is not null"},{"columns":["a","cc"],"table":"table:s2.x","where":"N","where_sql":"cc > 0"}],"name":"p1","tables":["table:public.gk","table:public.kid2","table:public.par","table:s2.x"]}
{"kind":"publication","id":"publication:p2","name":"p2","schemas":["schema:s2"],"tables":["table:public.par"]}
{"kind":"publication","id":"publication:p3","filters":[{"table":"table:public.parted","where":"N","where_sql":"a > 1"}],"name":"p3","tables":["table:public.parted"],"via_root":true}
{"kind":"publication","id":"publication:p4","filters":[{"table":"table:public.gk","where":"N","where_sql":"a <> 2"},{"table":"table:public.kid2","where":"N","where_sql":"a <> 2"},{"table":"table:public.par","where":"N","where_sql":"a <> 2"}],"name":"p4","schemas":["schema:public"],"tables":["table:public.gk","table:public.kid2","table:public.par"]}
EOF
	agree publication
	# a dropped table or schema leaves the publication, its filter with it
	printf '%s\n' 'drop table gk;' 'alter table s2.x drop column b;' 'drop schema s2 cascade;' >>"$S"
	run sh -c 'conf-parse -m "$0" | jq -c "select(.kind == \"publication\") | [.id, .tables, .schemas, [.filters[]?.table]]"' "$S"
	assert_output - <<'EOF'
["publication:p1",["table:public.kid2","table:public.par"],null,["table:public.kid2","table:public.par"]]
["publication:p2",["table:public.par"],null,[]]
["publication:p3",["table:public.parted"],null,["table:public.parted"]]
["publication:p4",["table:public.kid2","table:public.par"],["schema:public"],["table:public.kid2","table:public.par"]]
EOF
	agree publication
}

@test "publications: what the server refuses is refused with its message, and changes nothing" {
	sql <<'EOF'
create table t (a int, b int);
create table u (a int);
create view v as select 1 as a;
create table parted (a int) partition by list (a);
create publication e1 for table nosuch;
create publication e2 for table v;
create publication e3 for table t (a, a);
create publication e4 for table t (zz);
create publication e5 for table t where (a > 0), t;
create publication e6 for table t (a), t;
create publication e7 for table parted where (a > 0);
create publication e8 for tables in schema nosuch;
create publication ok for table t;
alter publication ok add table t;
alter publication ok drop table t where (a > 0);
alter publication ok drop table t (a);
alter publication ok drop table u;
alter publication ok drop tables in schema public;
alter publication ok add tables in schema public;
alter publication ok add tables in schema public;
create publication cl for table t (a);
alter publication cl add tables in schema public;
create publication al for all tables;
alter publication al add table t;
create unlogged table ul (a int);
create publication u1 for table ul;
create publication v1 for table parted where (a > 0) with (publish_via_partition_root);
alter publication v1 set (publish_via_partition_root = false);
create publication v2 for table parted (a);
create publication v3 for tables in schema pg_catalog;
create publication v4 with (publish = 'insert, bogus');
create table g (a int, d int generated always as (a * 2) stored);
create publication w1 for table g (d);
create publication w2 for table g (ctid);
create publication w3 for table t (zz), t (b);
create publication w4 for table v, nosuch;
EOF
	run --separate-stderr conf-parse -m "$S"
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-parse: $S:5:1: relation \"nosuch\" does not exist
conf-parse: $S:6:1: cannot add relation \"v\" to publication
conf-parse: $S:7:1: duplicate column \"a\" in publication column list
conf-parse: $S:8:1: column \"zz\" of relation \"t\" does not exist
conf-parse: $S:9:1: conflicting or redundant WHERE clauses for table \"t\"
conf-parse: $S:10:1: conflicting or redundant column lists for table \"t\"
conf-parse: $S:11:1: cannot use publication WHERE clause for relation \"parted\"
conf-parse: $S:12:1: schema \"nosuch\" does not exist
conf-parse: $S:14:1: relation \"t\" is already member of publication \"ok\"
conf-parse: $S:15:1: cannot use a WHERE clause when removing a table from a publication
conf-parse: $S:16:1: column list must not be specified in ALTER PUBLICATION ... DROP
conf-parse: $S:17:1: relation \"u\" is not part of the publication
conf-parse: $S:18:1: tables from schema \"public\" are not part of the publication
conf-parse: $S:20:1: schema \"public\" is already member of publication \"ok\"
conf-parse: $S:22:1: cannot add schema to publication \"cl\"
conf-parse: $S:24:1: publication \"al\" is defined as FOR ALL TABLES
conf-parse: $S:26:1: cannot add relation \"ul\" to publication
conf-parse: $S:28:1: cannot set parameter \"publish_via_partition_root\" to false for publication \"v1\"
conf-parse: $S:29:1: cannot use column list for relation \"public.parted\" in publication \"v2\"
conf-parse: $S:30:1: cannot add schema \"pg_catalog\" to publication
conf-parse: $S:31:1: unrecognized value for publication option \"publish\": \"bogus\"
conf-parse: $S:33:1: cannot use generated column \"d\" in publication column list
conf-parse: $S:34:1: cannot use system column \"ctid\" in publication column list
conf-parse: $S:35:1: conflicting or redundant column lists for table \"t\"
conf-parse: $S:36:1: relation \"nosuch\" does not exist" ]
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"publication\") | del(.file, .line, .col) | if .filters then .filters |= map(if .where then .where = \"N\" else . end) else . end"' "$S"
	assert_output - <<'EOF'
{"kind":"publication","id":"publication:al","all_tables":true,"name":"al"}
{"kind":"publication","id":"publication:cl","filters":[{"columns":["a"],"table":"table:public.t"}],"name":"cl","tables":["table:public.t"]}
{"kind":"publication","id":"publication:ok","name":"ok","schemas":["schema:public"],"tables":["table:public.t"]}
{"kind":"publication","id":"publication:v1","filters":[{"table":"table:public.parted","where":"N","where_sql":"a > 0"}],"name":"v1","tables":["table:public.parted"],"via_root":true}
EOF
}

@test "comments on every kind; IS NULL and '' remove; public's built-in comment is no record" {
	sql <<'EOF'
create schema s;
create table s.t (a int constraint a_pos check (a > 0));
create type s.mood as enum ('a');
create domain s.d as int;
create sequence s.q;
create index ti on s.t (a);
comment on schema s is 'schema';
comment on table s.t is 'table';
comment on column s.t.a is 'column';
comment on constraint a_pos on s.t is 'constraint';
comment on type s.mood is 'type';
comment on domain s.d is 'domain';
comment on sequence s.q is 'sequence';
comment on index s.ti is 'index';
comment on schema public is 'standard public schema';
comment on table s.t is null;
comment on sequence s.q is '';
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"comment\") | [.id, .on, .text]"' "$S"
	assert_output - <<'EOF'
["comment:column:s.t.a","column:s.t.a","column"]
["comment:constraint:s.t.a_pos","constraint:s.t.a_pos","constraint"]
["comment:domain:s.d","domain:s.d","domain"]
["comment:index:s.ti","index:s.ti","index"]
["comment:schema:s","schema:s","schema"]
["comment:type:s.mood","type:s.mood","type"]
EOF
}

@test "grants: privileges merged and sorted, grant options, REVOKE, columns, ALL, built-in defaults of PUBLIC" {
	roles mobj_r1 mobj_r2
	sql <<'EOF'
create schema s;
create table s.t (a int, b text);
create sequence s.q;
create function s.f(a int) returns int language sql as 'select a';
create procedure s.pr(a text) language sql as 'select 1';
grant select, insert on s.t to mobj_r1;
grant update on table s.t to mobj_r1 with grant option;
grant select (a, b), update (b) on s.t to mobj_r2;
revoke update on s.t from mobj_r2;
grant all on sequence s.q to public;
revoke update on s.q from public;
grant usage on schema s to mobj_r1 with grant option;
revoke grant option for usage on schema s from mobj_r1;
revoke execute on function s.f(int) from public;
grant execute on function s.f(int) to mobj_r1;
revoke all on procedure s.pr from public;
grant all on procedure s.pr(text) to public;
revoke usage on schema public from public;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"grant\") | del(.file, .line, .col, .kind, .on)"' "$S"
	assert_output - <<'EOF'
{"id":"grant:column:s.t.a:mobj_r2","grantee":"mobj_r2","privileges":["SELECT"]}
{"id":"grant:column:s.t.b:mobj_r2","grantee":"mobj_r2","privileges":["SELECT"]}
{"id":"grant:function:s.f(integer):PUBLIC","grantee":"PUBLIC","revoked":["EXECUTE"]}
{"id":"grant:function:s.f(integer):mobj_r1","grantee":"mobj_r1","privileges":["EXECUTE"]}
{"id":"grant:schema:public:PUBLIC","grantee":"PUBLIC","revoked":["USAGE"]}
{"id":"grant:schema:s:mobj_r1","grantee":"mobj_r1","privileges":["USAGE"]}
{"id":"grant:sequence:s.q:PUBLIC","grantee":"PUBLIC","privileges":["SELECT","USAGE"]}
{"id":"grant:table:s.t:mobj_r1","grantable":["UPDATE"],"grantee":"mobj_r1","privileges":["INSERT","SELECT","UPDATE"]}
EOF
	agree grant
}

@test "GRANT ON ALL ... IN SCHEMA expands over the model; grants to the owner are none" {
	roles mobj_r1 mobj_r2
	sql <<'EOF'
create schema s;
create function s.f() returns int language sql as 'select 1';
create function s.g(int) returns int language sql as 'select 1';
create procedure s.p() language sql as 'select 1';
grant execute on all functions in schema s to mobj_r2;
alter function s.g(int) owner to mobj_r2;
grant usage on schema s to mobj_r1;
alter schema s owner to mobj_r1;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"grant\" or .kind == \"owner\") | [.id, .privileges, .owner]"' "$S"
	assert_output - <<'EOF'
["grant:function:s.f():mobj_r2",["EXECUTE"],null]
["owner:function:s.g(integer)",null,"mobj_r2"]
["owner:schema:s",null,"mobj_r1"]
EOF
	agree grant owner
}

@test "owners: ALTER ... OWNER TO for every kind; CURRENT_USER is no record" {
	roles mobj_r1
	sql <<'EOF'
create schema s;
create function s.f(a int) returns int language sql as 'select a';
create function s.g() returns int language sql as 'select 1';
create type s.mood as enum ('a');
create domain s.d as int;
create publication pub;
alter function s.f(int) owner to mobj_r1;
alter function s.g owner to mobj_r1;
alter function s.g owner to current_user;
alter type s.mood owner to mobj_r1;
alter domain s.d owner to mobj_r1;
alter publication pub owner to mobj_r1;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"owner\") | del(.file, .kind)"' "$S"
	assert_output - <<'EOF'
{"id":"owner:domain:s.d","col":1,"line":11,"on":"domain:s.d","owner":"mobj_r1"}
{"id":"owner:function:s.f(integer)","col":1,"line":7,"on":"function:s.f(integer)","owner":"mobj_r1"}
{"id":"owner:publication:pub","col":1,"line":12,"on":"publication:pub","owner":"mobj_r1"}
{"id":"owner:type:s.mood","col":1,"line":10,"on":"type:s.mood","owner":"mobj_r1"}
EOF
}

@test "statements that change no schema fold to nothing; unmodeled ones are reported" {
	sql <<'EOF'
begin;
select 1;
set search_path = public;
commit;
create conversion c1 for 'LATIN1' to 'UTF8' from iso8859_1_to_utf8;
EOF
	run --separate-stderr conf-parse -m "$S"
	assert_success
	assert_output - <<EOF
{"kind":"schema","id":"schema:public","name":"public"}
{"kind":"unmodeled","col":1,"file":"$S","line":5,"sql":"create conversion c1 for 'LATIN1' to 'UTF8' from iso8859_1_to_utf8","tag":"CREATE CONVERSION"}
EOF
	assert_equal "$stderr" "conf-parse: $S:5:1: warning: CREATE CONVERSION is not in the model"
}

@test "a table renamed, moved or dropped takes its triggers, policies, rules, comments and grants along" {
	roles mobj_r1
	sql <<'EOF'
create schema s;
create table t (a int, b text);
create table gone (a int);
create function trg() returns trigger language plpgsql as $$begin return new; end$$;
create trigger tr after insert on t for each row execute function trg();
create policy p on t using (a > 0);
create rule r as on delete to t do also nothing;
comment on table t is 'table';
comment on column t.a is 'column';
comment on trigger tr on t is 'trigger';
grant select (b) on t to mobj_r1;
grant insert on t to mobj_r1;
create trigger tg after insert on gone execute function trg();
comment on column gone.a is 'x';
grant select on gone to mobj_r1;
create publication pub for table t, gone;
alter table t rename to u;
alter table u set schema s;
alter table s.u rename column b to c;
drop table gone;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind != \"schema\" and .kind != \"function\" and .kind != \"table\") | [.id, .on // .table // .tables]"' "$S"
	assert_output - <<'EOF'
["comment:column:s.u.a","column:s.u.a"]
["comment:table:s.u","table:s.u"]
["comment:trigger:s.u.tr","trigger:s.u.tr"]
["grant:column:s.u.c:mobj_r1","column:s.u.c"]
["grant:table:s.u:mobj_r1","table:s.u"]
["policy:s.u.p","table:s.u"]
["publication:pub",["table:s.u"]]
["rule:s.u.r","table:s.u"]
["trigger:s.u.tr","table:s.u"]
EOF
	agree trigger policy rule comment grant publication
}

@test "a domain constraint's comment follows the domain's renames and moves" {
	sql <<'EOF'
create domain d as int constraint pos check (value > 0);
comment on constraint pos on domain d is 'dc';
alter domain d rename to e;
create schema z;
alter domain e set schema z;
EOF
	run recs comment
	assert_output '{"kind":"comment","id":"comment:constraint:z.e.pos","col":1,"file":"'"$S"'","line":2,"on":"constraint:z.e.pos","text":"dc"}'
	agree comment
}

@test "SET ... TO DEFAULT takes a setting out; list settings are quoted as proconfig holds them" {
	sql <<'EOF'
create function h() returns int language plpgsql set search_path to default set work_mem = '1MB' as 'begin return 1; end';
alter function h() set search_path = a, "B c", "$user";
alter function h() set work_mem to default;
EOF
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"function\") | .set"' "$S"
	assert_output '["search_path=a, \"B c\", \"$user\""]'
	agree function
}

@test "the session's role (PGUSER) owns what the files build: OWNER TO it, grants to it and CURRENT_USER in policies" {
	roles mobj_r1
	sql <<'EOF'
create table t (a int);
create function f(a numeric(10,2), b varchar(20)) returns numeric(10,2) language sql as 'select a';
alter table t owner to mobj_r1;
alter table t owner to postgres;
grant select on t to postgres;
alter function f(numeric, varchar) owner to mobj_r1;
grant execute on function f(numeric, varchar) to postgres;
alter table t enable row level security;
create policy p on t to current_user, mobj_r1 using (a > 0);
create view v as select a from t;
alter view v rename column a to b;
EOF
	run sh -c 'PGUSER=postgres conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"owner\" or .kind == \"grant\" or .kind == \"policy\" or .kind == \"function\") | [.id, .owner // .privileges // .roles // .returns]"' "$S"
	assert_output - <<'EOF'
["function:public.f(numeric,character varying)","numeric"]
["grant:function:public.f(numeric,character varying):postgres",["EXECUTE"]]
["owner:function:public.f(numeric,character varying)","mobj_r1"]
["policy:public.t.p",["mobj_r1","postgres"]]
EOF
	PGUSER=postgres agree owner grant policy function view
}

@test "%TYPE arguments and results resolve to the column's type without its typmod; a missing one is PostgreSQL's error" {
	sql <<'EOF2'
create table t (a numeric(10,2), b character varying(20), c interval year to month, d integer[]);
create type ct as (x timestamp(3) with time zone);
create function f1(t.a%type, p t.b%type, t.c%type, public.t.d%type) returns t.b%type language sql as 'select $2';
create function f2(ct.x%type) returns setof t.a%type language sql as 'select 1';
drop function f2(ct.x%type);
create function f5(ct.x%type) returns setof t.a%type language sql as 'select 1';
EOF2
	run recs function
	assert_output - <<EOF2
{"kind":"function","id":"function:public.f1(numeric,character varying,interval,integer[])","args":[{"type":"numeric"},{"name":"p","type":"character varying"},{"type":"interval"},{"type":"integer[]"}],"body":"select \$2","col":1,"file":"$S","language":"sql","line":3,"name":"f1","returns":"character varying","schema":"public"}
{"kind":"function","id":"function:public.f5(timestamp with time zone)","args":[{"type":"timestamp with time zone"}],"body":"select 1","col":1,"file":"$S","language":"sql","line":6,"name":"f5","returns":"SETOF numeric","schema":"public"}
EOF2
	agree function
	printf '%s\n' 'create table t (a int);' 'create function g(t.zz%type) returns int language sql as $$select 1$$;' \
	    'create function h(nope.a%type) returns int language sql as $$select 1$$;' \
	    'drop function if exists g(t.zz%type);' 'drop function if exists h(nope.a%type);' 'drop function g(t.zz%type);' >"$S"
	run --separate-stderr conf-parse -m "$S"
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-parse: $S:2:1: column \"zz\" of relation \"t\" does not exist
conf-parse: $S:3:1: relation \"nope\" does not exist
conf-parse: $S:6:1: column \"zz\" of relation \"t\" does not exist" ]
}

@test "-U names the role the files run as: same files, other records; the default follows PGUSER" {
	roles mobj_ua mobj_ub
	sql <<'EOF2'
create schema s authorization mobj_ua;
create table t (a int);
alter table t owner to mobj_ua;
grant select on t to mobj_ua;
grant select on t to mobj_ub;
create function f() returns int language sql as 'select 1';
grant execute on function f() to mobj_ua;
create policy p on t to current_user using (true);
EOF2
	sel='select(.kind == "owner" or .kind == "grant" or .kind == "policy") | [.id, .owner // .privileges // .roles]'
	run sh -c 'PGUSER=mobj_ub conf-parse -m -U mobj_ua "$0" | jq -c "$1"' "$S" "$sel"
	assert_output - <<'EOF2'
["grant:table:public.t:mobj_ub",["SELECT"]]
["policy:public.t.p",["mobj_ua"]]
EOF2
	run sh -c 'PGUSER=mobj_ua conf-parse -m --role=mobj_ub "$0" | jq -c "$1"' "$S" "$sel"
	assert_output - <<'EOF2'
["grant:function:public.f():mobj_ua",["EXECUTE"]]
["grant:table:public.t:mobj_ub",["SELECT"]]
["owner:schema:s","mobj_ua"]
["owner:table:public.t","mobj_ua"]
["policy:public.t.p",["mobj_ub"]]
EOF2
	# no -U: PGUSER's role, the one libpq (and conf-apply) connects as
	[ "$(PGUSER=mobj_ua conf-parse -m "$S" | jq -c "$sel")" = "$(conf-parse -m -U mobj_ua "$S" | jq -c "$sel")" ]
	[ "$(PGUSER=mobj_ub conf-parse -m "$S" | jq -c "$sel")" = "$(conf-parse -m -U mobj_ub "$S" | jq -c "$sel")" ]
	run --separate-stderr conf-parse -m -U '' "$S"
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-parse: usage: conf-parse [-m] [--tree] [file ...]" ]
}

@test "-U agrees with conf-inspect of a database the role owns and builds" {
	psql -XAtq -d postgres -c "DO \$\$BEGIN CREATE ROLE mobj_uo SUPERUSER LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END\$\$" >/dev/null
	roles mobj_ub
	sql <<'EOF2'
create schema s authorization mobj_uo;
create table s.t (a int);
alter table s.t owner to mobj_ub;
grant select on s.t to mobj_uo;
create table t2 (a int);
grant select, insert on t2 to mobj_uo, mobj_ub;
create function f() returns int language sql as 'select 1';
alter function f() owner to current_user;
create policy p on s.t to current_user using (true);
EOF2
	new_db
	psql -XAtq -d postgres -c "ALTER DATABASE \"$DB\" OWNER TO mobj_uo" >/dev/null
	PGUSER=mobj_uo psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$S" >/dev/null
	conf-parse -m -U mobj_uo "$S" | jq -cS "$F | select(.kind == \"owner\" or .kind == \"grant\" or .kind == \"policy\")" >"$BATS_TEST_TMPDIR/parse"
	conf-inspect -d "$DBURL" | jq -cS "$F | select(.kind == \"owner\" or .kind == \"grant\" or .kind == \"policy\")" >"$BATS_TEST_TMPDIR/inspect"
	run diff "$BATS_TEST_TMPDIR/parse" "$BATS_TEST_TMPDIR/inspect"
	assert_success
	run cat "$BATS_TEST_TMPDIR/parse"
	assert_output - <<'EOF2'
{"grantee":"mobj_ub","id":"grant:table:public.t2:mobj_ub","kind":"grant","on":"table:public.t2","privileges":["INSERT","SELECT"]}
{"grantee":"mobj_uo","id":"grant:table:s.t:mobj_uo","kind":"grant","on":"table:s.t","privileges":["SELECT"]}
{"id":"owner:table:s.t","kind":"owner","on":"table:s.t","owner":"mobj_ub"}
{"id":"policy:s.t.p","kind":"policy","name":"p","roles":["mobj_uo"],"schema":"s","table":"table:s.t","using":"5a45b170f4d6b77d"}
EOF2
}

@test "ALTER DEFAULT PRIVILEGES: what the role creates afterwards gets the grants; schema entries add; other roles' are not applied" {
	roles mobj_r1 mobj_r2
	sql <<'EOF2'
create schema s;
create function s.f0() returns int language sql as 'select 0';
alter default privileges revoke execute on functions from public;
alter default privileges grant execute on routines to mobj_r1;
alter default privileges in schema s grant execute on functions to mobj_r2 with grant option;
alter default privileges in schema s revoke execute on functions from mobj_r1;
alter default privileges for role mobj_r2 grant select on tables to mobj_r1;
alter default privileges grant select on tables to mobj_r2;
create function s.f1() returns int language sql as 'select 1';
create or replace function s.f0() returns int language sql as 'select 2';
create procedure p() language sql as 'select 1';
create view v as select 1 as a;
alter default privileges revoke select on tables from mobj_r2;
create view w as select 1 as a;
EOF2
	run recs grant
	assert_output - <<EOF2
{"kind":"grant","id":"grant:function:s.f1():PUBLIC","col":1,"file":"$S","grantee":"PUBLIC","line":9,"on":"function:s.f1()","revoked":["EXECUTE"]}
{"kind":"grant","id":"grant:function:s.f1():mobj_r1","col":1,"file":"$S","grantee":"mobj_r1","line":9,"on":"function:s.f1()","privileges":["EXECUTE"]}
{"kind":"grant","id":"grant:function:s.f1():mobj_r2","col":1,"file":"$S","grantable":["EXECUTE"],"grantee":"mobj_r2","line":9,"on":"function:s.f1()","privileges":["EXECUTE"]}
{"kind":"grant","id":"grant:procedure:public.p():PUBLIC","col":1,"file":"$S","grantee":"PUBLIC","line":11,"on":"procedure:public.p()","revoked":["EXECUTE"]}
{"kind":"grant","id":"grant:procedure:public.p():mobj_r1","col":1,"file":"$S","grantee":"mobj_r1","line":11,"on":"procedure:public.p()","privileges":["EXECUTE"]}
{"kind":"grant","id":"grant:view:public.v:mobj_r2","col":1,"file":"$S","grantee":"mobj_r2","line":12,"on":"view:public.v","privileges":["SELECT"]}
EOF2
	# every kind is modeled: no warning
	run --separate-stderr conf-parse -m "$S"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	PGUSER=postgres agree grant
	# run as mobj_r2: FOR ROLE mobj_r2 applies, and its own SELECT is the owner's
	run sh -c 'conf-parse -m -U mobj_r2 "$0" 2>/dev/null | jq -c "select(.kind == \"grant\" and .on == \"view:public.v\") | [.id, .privileges]"' "$S"
	assert_output '["grant:view:public.v:mobj_r1",["SELECT"]]'
	printf '%s\n' 'alter default privileges in schema s grant usage on schemas to mobj_r1;' \
	    'alter default privileges grant select (a) on tables to mobj_r1;' >"$S"
	run --separate-stderr conf-parse -m "$S"
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-parse: $S:1:1: cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS
conf-parse: $S:2:1: default privileges cannot be set for columns" ]
}

@test "default_acl records: ROLE:SCHEMA:OBJECTS quoted like names; tables, serial and identity sequences, sequences, types, domains and schemas get them" {
	roles mobj_r1 mobj_r2 '"Mobj Admin"'
	sql <<'EOF2'
create schema "Mixed S";
alter default privileges for role "Mobj Admin" in schema "Mixed S" grant select, insert on tables to mobj_r1 with grant option;
alter default privileges for role "Mobj Admin" grant usage on types to "Mobj Admin";
alter default privileges grant update on sequences to "Mobj Admin";
alter default privileges revoke usage on types from public;
alter default privileges grant usage on types to mobj_r2;
alter default privileges grant usage on schemas to public;
alter default privileges in schema "Mixed S" grant select on tables to mobj_r2;
alter default privileges in schema "Mixed S" revoke select on tables from mobj_r2;
create table "Mixed S".t (id serial, j int generated by default as identity);
create sequence "Mixed S".s;
create type "Mixed S".e as enum ('a');
create domain "Mixed S".d as int;
create schema s2;
EOF2
	run sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -c "select(.kind == \"default_acl\" or .kind == \"grant\") | del(.file, .line, .col)"' "$S"
	assert_success
	assert_output - <<'EOF2'
{"kind":"default_acl","id":"default_acl:\"Mobj Admin\":\"Mixed S\":tables","grants":[{"grantable":["INSERT","SELECT"],"grantee":"mobj_r1","privileges":["INSERT","SELECT"]}],"in_schema":"Mixed S","objects":"tables","role":"Mobj Admin"}
{"kind":"default_acl","id":"default_acl:postgres::schemas","grants":[{"grantee":"PUBLIC","privileges":["USAGE"]}],"objects":"schemas","role":"postgres"}
{"kind":"default_acl","id":"default_acl:postgres::sequences","grants":[{"grantee":"Mobj Admin","privileges":["UPDATE"]}],"objects":"sequences","role":"postgres"}
{"kind":"default_acl","id":"default_acl:postgres::types","grants":[{"grantee":"PUBLIC","revoked":["USAGE"]},{"grantee":"mobj_r2","privileges":["USAGE"]}],"objects":"types","role":"postgres"}
{"kind":"grant","id":"grant:domain:\"Mixed S\".d:PUBLIC","grantee":"PUBLIC","on":"domain:\"Mixed S\".d","revoked":["USAGE"]}
{"kind":"grant","id":"grant:domain:\"Mixed S\".d:mobj_r2","grantee":"mobj_r2","on":"domain:\"Mixed S\".d","privileges":["USAGE"]}
{"kind":"grant","id":"grant:schema:s2:PUBLIC","grantee":"PUBLIC","on":"schema:s2","privileges":["USAGE"]}
{"kind":"grant","id":"grant:sequence:\"Mixed S\".s:\"Mobj Admin\"","grantee":"Mobj Admin","on":"sequence:\"Mixed S\".s","privileges":["UPDATE"]}
{"kind":"grant","id":"grant:sequence:\"Mixed S\".t_id_seq:\"Mobj Admin\"","grantee":"Mobj Admin","on":"sequence:\"Mixed S\".t_id_seq","privileges":["UPDATE"]}
{"kind":"grant","id":"grant:sequence:\"Mixed S\".t_j_seq:\"Mobj Admin\"","grantee":"Mobj Admin","on":"sequence:\"Mixed S\".t_j_seq","privileges":["UPDATE"]}
{"kind":"grant","id":"grant:type:\"Mixed S\".e:PUBLIC","grantee":"PUBLIC","on":"type:\"Mixed S\".e","revoked":["USAGE"]}
{"kind":"grant","id":"grant:type:\"Mixed S\".e:mobj_r2","grantee":"mobj_r2","on":"type:\"Mixed S\".e","privileges":["USAGE"]}
EOF2
	PGUSER=postgres agree default_acl grant owner
	# a schema's entries follow its renames and go with it; a system schema's are not in the model
	printf '%s\n' 'alter schema "Mixed S" rename to m2;' >>"$S"
	run sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -r "select(.kind == \"default_acl\" and .in_schema) | .id + \" \" + .in_schema"' "$S"
	assert_output 'default_acl:"Mobj Admin":m2:tables m2'
	printf '%s\n' 'drop schema m2 cascade;' 'alter default privileges in schema pg_catalog grant select on tables to mobj_r1;' \
	    'alter default privileges in schema nosuch grant select on tables to mobj_r1;' >>"$S"
	run --separate-stderr sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -r "select(.kind == \"default_acl\" and .in_schema) | .id"' "$S"
	assert_output ''
	[ "$stderr" = "conf-parse: $S:17:1: warning: ALTER DEFAULT PRIVILEGES is not in the model
conf-parse: $S:18:1: schema \"nosuch\" does not exist" ]
}

@test "CREATE SCHEMA ... AUTHORIZATION: the schema and its elements belong to the role, with its default privileges" {
	roles mobj_r1 mobj_r2
	sql <<'EOF2'
alter default privileges for role mobj_r1 grant select on tables to mobj_r2;
alter default privileges for role mobj_r1 grant usage on sequences to mobj_r2;
alter default privileges grant select on tables to mobj_r1;
create schema sch authorization mobj_r1
	create table st (a int primary key, b serial)
	create view sv as select a from st
	create sequence sq
	create index st_b on st (b)
	grant insert on st to mobj_r2
	grant select on st to mobj_r1;
create table after_it (a int);
EOF2
	run sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -c "select(.kind == \"owner\" or .kind == \"grant\") | del(.file, .col) | [.id, .line, .owner // .privileges]"' "$S"
	assert_success
	assert_output - <<'EOF2'
["grant:sequence:sch.sq:mobj_r2",4,["USAGE"]]
["grant:sequence:sch.st_b_seq:mobj_r2",4,["USAGE"]]
["grant:table:public.after_it:mobj_r1",11,["SELECT"]]
["grant:table:sch.st:mobj_r2",4,["INSERT","SELECT"]]
["grant:view:sch.sv:mobj_r2",4,["SELECT"]]
["owner:schema:sch",4,"mobj_r1"]
["owner:sequence:sch.sq",4,"mobj_r1"]
["owner:sequence:sch.st_b_seq",4,"mobj_r1"]
["owner:table:sch.st",4,"mobj_r1"]
["owner:view:sch.sv",4,"mobj_r1"]
EOF2
	PGUSER=postgres agree owner grant
}

@test "a serial or identity sequence added to a table given away belongs to the table's owner, with that owner's default privileges" {
	roles mobj_r1 mobj_r2
	sql <<'EOF2'
alter default privileges for role mobj_r1 grant select on sequences to mobj_r2;
alter default privileges grant update on sequences to mobj_r2;
create table t (a int not null, b int);
alter table t owner to mobj_r1;
alter table t alter column a add generated by default as identity;
alter table t add column c serial;
create table u (a serial);
EOF2
	run sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -c "select(.kind == \"owner\" or .kind == \"grant\") | [.id, .owner // .privileges]"' "$S"
	assert_success
	assert_output - <<'EOF2'
["grant:sequence:public.t_a_seq:mobj_r2",["SELECT"]]
["grant:sequence:public.t_c_seq:mobj_r2",["SELECT"]]
["grant:sequence:public.u_a_seq:mobj_r2",["UPDATE"]]
["owner:sequence:public.t_a_seq","mobj_r1"]
["owner:sequence:public.t_c_seq","mobj_r1"]
["owner:table:public.t","mobj_r1"]
EOF2
	PGUSER=postgres agree owner grant
}

@test "SET ROLE and SET SESSION AUTHORIZATION: what follows is created by that role; CURRENT_USER is it; SET LOCAL is reported" {
	roles model_owner model_writer model_reader
	sql <<'EOF2'
CREATE SCHEMA app;
GRANT CREATE, USAGE ON SCHEMA app TO model_owner, model_writer;
SET ROLE model_owner;
CREATE TABLE app.t (id serial PRIMARY KEY);
CREATE VIEW app.v AS SELECT id FROM app.t;
GRANT SELECT ON app.t TO model_reader;
CREATE POLICY p ON app.t TO CURRENT_USER USING (true);
RESET ROLE;
CREATE TABLE app.mine (a int);
SET ROLE model_owner;
SET ROLE NONE;
CREATE TABLE app.mine2 (a int);
SET SESSION AUTHORIZATION model_writer;
CREATE FUNCTION app.f() RETURNS int LANGUAGE sql AS 'select 1';
CREATE SEQUENCE app.s;
RESET SESSION AUTHORIZATION;
CREATE TYPE app.e2 AS ENUM ('a');
SET ROLE model_owner;
CREATE TABLE app.given (a int);
ALTER TABLE app.given OWNER TO CURRENT_USER;
CREATE TABLE app.other (a int);
RESET ROLE;
ALTER TABLE app.other OWNER TO CURRENT_USER;
SET LOCAL ROLE model_owner;
EOF2
	run --separate-stderr sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -c "select(.kind == \"owner\" or .kind == \"policy\") | [.id, .owner // .roles]"' "$S"
	assert_success
	assert_output - <<'EOF2'
["owner:function:app.f()","model_writer"]
["owner:sequence:app.s","model_writer"]
["owner:sequence:app.t_id_seq","model_owner"]
["owner:table:app.given","model_owner"]
["owner:table:app.t","model_owner"]
["owner:view:app.v","model_owner"]
["policy:app.t.p",["model_owner"]]
EOF2
	[ "$stderr" = "conf-parse: $S:24:1: warning: SET is not in the model" ]
	PGUSER=postgres agree owner grant policy
	# CREATE SCHEMA without AUTHORIZATION is the current role's; with it, the role named's
	printf '%s\n' 'SET ROLE model_owner;' 'CREATE SCHEMA s1;' 'CREATE SCHEMA s2 AUTHORIZATION model_writer CREATE TABLE t (a int);' \
	    'CREATE TABLE s1.u (a int);' >"$S"
	run sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -c "select(.kind == \"owner\") | [.id, .owner]"' "$S"
	assert_output - <<'EOF2'
["owner:schema:s1","model_owner"]
["owner:schema:s2","model_writer"]
["owner:table:s1.u","model_owner"]
["owner:table:s2.t","model_writer"]
EOF2
}

@test "grant ids: the grantee written as a name in an id (quoted when it must be), PUBLIC as it is" {
	roles '"Mobj Admin"' '"MOBJ_UP"' '"mobj:b"'
	sql <<'EOF2'
create table t (a int);
grant select on t to "Mobj Admin", "MOBJ_UP", "mobj:b", public;
grant update (a) on t to "Mobj Admin";
grant usage on schema public to "MOBJ_UP";
EOF2
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -r "select(.kind == \"grant\") | .id + \" \" + .grantee"' "$S"
	assert_output - <<'EOF2'
grant:column:public.t.a:"Mobj Admin" Mobj Admin
grant:schema:public:"MOBJ_UP" MOBJ_UP
grant:table:public.t:"MOBJ_UP" MOBJ_UP
grant:table:public.t:"Mobj Admin" Mobj Admin
grant:table:public.t:"mobj:b" mobj:b
grant:table:public.t:PUBLIC PUBLIC
EOF2
	agree grant
}

@test "a publication's tables stay sorted after a table is renamed or moved" {
	sql <<'EOF2'
create schema a;
create table b (); create table c ();
create publication p for table b, c;
alter table b rename to d;
alter table c set schema a;
EOF2
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -c "select(.kind == \"publication\") | .tables"' "$S"
	assert_output '["table:a.c","table:public.d"]'
	agree publication
}

@test "ALTER TABLE OWNER TO carries to the sequences of its columns (serial, identity, OWNED BY)" {
	roles mobj_r1 mobj_r2
	sql <<'EOF2'
create table t (id serial primary key, j int generated by default as identity, k int);
create sequence own_s owned by t.k;
create sequence free_s;
grant usage on sequence t_id_seq to mobj_r1;
alter table t owner to mobj_r1;
EOF2
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -r "select(.kind == \"owner\" or .kind == \"grant\") | .id + \" \" + .owner"' "$S"
	assert_output - <<'EOF2'
owner:sequence:public.own_s mobj_r1
owner:sequence:public.t_id_seq mobj_r1
owner:sequence:public.t_j_seq mobj_r1
owner:table:public.t mobj_r1
EOF2
	agree owner grant
}

@test "function signatures: types as format_type prints them without typmod (character, not bpchar)" {
	sql <<'EOF2'
create table tb (a bpchar, b char, c char(3));
create function f1(e char) returns char(3) language sql as 'select $1';
create function f3(e character(5), b bpchar, c varchar(3), d numeric(10,2), t timestamp(3), tz timestamptz(2),
  ti time(1), bb bit(3), vb varbit(4), iv interval day, iv2 interval(2), ar char(2)[], f float(10), f2 float(30))
  returns int language sql as 'select 1';
create function f4() returns table (x char(2), y bit(2), z interval hour) language sql
  as 'select 1::char(2), B''01'', interval ''1 hour''';
create function f6(x "char", y bpchar[]) returns setof bpchar language sql as 'select 1::char(2)';
create function f7(a tb.a%type, c tb.c%type) returns tb.b%type language sql as 'select $1';
comment on function f1(char(9)) is 'x';
comment on function f6("char", character(4)[]) is 'y';
EOF2
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -r "select(.kind == \"function\" or .kind == \"comment\") | .id + \" \" + (.returns // .on)"' "$S"
	assert_output - <<'EOF2'
comment:function:public.f1(character) function:public.f1(character)
comment:function:public.f6("char",character[]) function:public.f6("char",character[])
function:public.f1(character) character
function:public.f3(character,character,character varying,numeric,timestamp without time zone,timestamp with time zone,time without time zone,bit,bit varying,interval,interval,character[],real,double precision) integer
function:public.f4() TABLE(x character, y bit, z interval)
function:public.f6("char",character[]) SETOF character
function:public.f7(character,character) character
EOF2
	agree function comment
}

@test "COMMENT, GRANT and OWNER TO on an object that is not there: PostgreSQL's error at the statement, exit 4" {
	sql <<'EOF2'
create table src (a int, constraint ck check (a > 0), primary key (a));
create view v as select a from src;
create domain d as int constraint dc check (value > 0);
create function f(int) returns int language sql as 'select 1';
comment on table nosuch is 'x';
comment on column src.nosuch is 'x';
comment on column nosuch.a is 'x';
comment on column v.nosuch is 'x';
comment on constraint nosuch on src is 'x';
comment on constraint nosuch on domain d is 'x';
comment on trigger nosuch on src is 'x';
comment on policy nosuch on src is 'x';
comment on rule nosuch on src is 'x';
comment on schema nosuch is 'x';
comment on type nosuch is 'x';
comment on domain nosuch is 'x';
comment on function f(text) is 'x';
comment on sequence nosuch is 'x';
comment on index nosuch is 'x';
comment on extension nosuch is 'x';
comment on publication nosuch is 'x';
comment on event trigger nosuch is 'x';
grant select on nosuch to public;
grant select (a, nosuch) on src to public;
grant usage on schema nosuch to public;
grant execute on function f(text) to public;
alter function f(text) owner to current_user;
comment on column src.a is 'kept';
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:5:1: relation \"nosuch\" does not exist
conf-parse: $S:6:1: column \"nosuch\" of relation \"src\" does not exist
conf-parse: $S:7:1: relation \"nosuch\" does not exist
conf-parse: $S:8:1: column \"nosuch\" of relation \"v\" does not exist
conf-parse: $S:9:1: constraint \"nosuch\" for table \"src\" does not exist
conf-parse: $S:10:1: constraint \"nosuch\" for domain d does not exist
conf-parse: $S:11:1: trigger \"nosuch\" for table \"src\" does not exist
conf-parse: $S:12:1: policy \"nosuch\" for table \"src\" does not exist
conf-parse: $S:13:1: rule \"nosuch\" for relation \"src\" does not exist
conf-parse: $S:14:1: schema \"nosuch\" does not exist
conf-parse: $S:15:1: type \"nosuch\" does not exist
conf-parse: $S:16:1: type \"nosuch\" does not exist
conf-parse: $S:17:1: function public.f(text) does not exist
conf-parse: $S:18:1: relation \"nosuch\" does not exist
conf-parse: $S:19:1: relation \"nosuch\" does not exist
conf-parse: $S:20:1: extension \"nosuch\" does not exist
conf-parse: $S:21:1: publication \"nosuch\" does not exist
conf-parse: $S:22:1: event trigger \"nosuch\" does not exist
conf-parse: $S:23:1: relation \"nosuch\" does not exist
conf-parse: $S:24:1: column \"nosuch\" of relation \"src\" does not exist
conf-parse: $S:25:1: schema \"nosuch\" does not exist
conf-parse: $S:26:1: function public.f(text) does not exist
conf-parse: $S:27:1: function public.f(text) does not exist"
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -r "select(.kind == \"comment\" or .kind == \"grant\" or .kind == \"owner\") | .id"' "$S"
	assert_output 'comment:column:public.src.a'
}

@test "COMMENT and GRANT on built-in objects, extension members and constraint indexes: not in the model, not errors" {
	sql <<'EOF2'
create extension hstore;
create table t (a int primary key);
comment on function now() is 'x';
grant execute on function pg_catalog.now() to public;
comment on type integer is 'y';
comment on type text is 'y';
comment on type hstore is 'y';
comment on table pg_class is 'z';
comment on schema pg_catalog is 'z';
comment on extension plpgsql is 'PL/pgSQL procedural language';
comment on extension plpgsql is 'mine';
comment on index t_pkey is 'pk';
comment on type t is 'row';
EOF2
	run -0 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:3:1: warning: COMMENT is not in the model
conf-parse: $S:4:1: warning: GRANT is not in the model
conf-parse: $S:5:1: warning: COMMENT is not in the model
conf-parse: $S:6:1: warning: COMMENT is not in the model
conf-parse: $S:7:1: warning: COMMENT is not in the model
conf-parse: $S:8:1: warning: COMMENT is not in the model
conf-parse: $S:9:1: warning: COMMENT is not in the model
conf-parse: $S:11:1: warning: COMMENT is not in the model
conf-parse: $S:12:1: warning: COMMENT is not in the model
conf-parse: $S:13:1: warning: COMMENT is not in the model"
	agree comment grant table
}

@test "COMMENT ON EXTENSION of an extension in pg_catalog (plpgsql of old pg_dump headers): no record, as conf-inspect" {
	sql <<'EOF2'
create extension if not exists plpgsql with schema pg_catalog;
comment on extension plpgsql is 'PL/pgSQL procedural language';
comment on extension plpgsql is 'changed';
EOF2
	run -0 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:3:1: warning: COMMENT is not in the model"
	run sh -c 'conf-parse -m "$0" 2>/dev/null | jq -r "select(.kind == \"comment\") | .id"' "$S"
	assert_output ''
}

@test "COMMENT and GRANT on a base or shell type (a kind outside the model) are unmodeled; on a missing type an error" {
	sql <<'EOF2'
create schema s;
create type base;
create type s.shell;
comment on type base is 'x';
grant usage on type s.shell to public;
comment on type s.base is 'y';
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:2:1: warning: CREATE TYPE is not in the model
conf-parse: $S:3:1: warning: CREATE TYPE is not in the model
conf-parse: $S:4:1: warning: COMMENT is not in the model
conf-parse: $S:5:1: warning: GRANT is not in the model
conf-parse: $S:6:1: type \"s.base\" does not exist"
}

@test "a missing object named with its schema: the message writes the name as PostgreSQL does" {
	sql <<'EOF2'
comment on type public.nosuch[] is 'y';
comment on table public.nosuch is 'y';
comment on column public.nosuch.a is 'y';
grant select on public.nosuch to public;
comment on constraint c on domain public.nosuch is 'x';
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:1:1: type \"public.nosuch[]\" does not exist
conf-parse: $S:2:1: relation \"public.nosuch\" does not exist
conf-parse: $S:3:1: relation \"public.nosuch\" does not exist
conf-parse: $S:4:1: relation \"public.nosuch\" does not exist
conf-parse: $S:5:1: type \"public.nosuch\" does not exist"
}

@test "a view or materialized view named like another relation is refused as by the server" {
	sql <<'EOF2'
CREATE TABLE t (a int);
CREATE VIEW t AS SELECT 1 AS x;
CREATE OR REPLACE VIEW t AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW t AS SELECT 1 AS x;
CREATE MATERIALIZED VIEW IF NOT EXISTS t AS SELECT 1 AS x;
CREATE VIEW v AS SELECT 1 AS x;
CREATE OR REPLACE VIEW v AS SELECT 1 AS x;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:2:1: relation \"t\" already exists
conf-parse: $S:3:1: \"t\" is not a view
conf-parse: $S:4:1: relation \"t\" already exists"
	assert_equal "$(jq -r 'select(.kind != "schema") | .id' <<<"$output")" "table:public.t
view:public.v"
}

# ---- h/xrej: refusals and table/column/domain/sequence modeling (F21, F67, F69, F57, F35, F71, F59, F5) ----

@test "xrej: an ALTER TABLE applies the subcommands the model knows and names the others in a warning (F67)" {
	sql <<'EOF2'
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN x int, SET ACCESS METHOD heap, ADD COLUMN y int;
ALTER TABLE t SET ACCESS METHOD heap;
EOF2
	run -0 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:2:1: warning: ALTER TABLE SET ACCESS METHOD is not in the model
conf-parse: $S:3:1: warning: ALTER TABLE is not in the model"
	assert_equal "$(jq -c 'select(.kind == "table") | [.columns[].name]' <<<"$output")" '["a","x","y"]'
	assert_equal "$(jq -r 'select(.kind == "unmodeled") | .line' <<<"$output")" 3
	agree table
}

@test "xrej: WITH (OIDS=FALSE) and toast.* parameters are not table options, as in the catalog (F71)" {
	sql <<'EOF2'
CREATE TABLE t (a int) WITH (OIDS=FALSE);
CREATE TABLE w (a int, b text) WITH (fillfactor=90, OIDS=false, toast.autovacuum_enabled=false);
ALTER TABLE w SET (toast.autovacuum_enabled=true, autovacuum_enabled=false);
ALTER TABLE t SET WITHOUT OIDS;
EOF2
	run -0 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" ""
	assert_equal "$(jq -c 'select(.kind == "table") | [.name, .options]' <<<"$output")" '["t",null]
["w",["fillfactor=90","autovacuum_enabled=false"]]'
	agree table
}

@test "xrej: contradicting column clauses are refused with the server's words (F21)" {
	sql <<'EOF2'
CREATE TABLE t1 (a int NOT NULL NULL);
CREATE TABLE t2 (a int DEFAULT 1 DEFAULT 2);
CREATE TABLE t3 (a serial DEFAULT 1);
CREATE TABLE t4 (a serial GENERATED ALWAYS AS IDENTITY);
CREATE TABLE t5 (a int GENERATED ALWAYS AS IDENTITY GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE t6 (a int DEFAULT 1 GENERATED ALWAYS AS (2) STORED);
CREATE TABLE t7 (a int GENERATED ALWAYS AS IDENTITY GENERATED ALWAYS AS (2) STORED);
CREATE TABLE t8 (a int GENERATED ALWAYS AS (1) STORED GENERATED ALWAYS AS (2) STORED);
CREATE TABLE ok (a int);
ALTER TABLE ok ADD COLUMN c int DEFAULT 1 DEFAULT 2;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:1:1: conflicting NULL/NOT NULL declarations for column \"a\" of table \"t1\"
conf-parse: $S:2:1: multiple default values specified for column \"a\" of table \"t2\"
conf-parse: $S:3:1: multiple default values specified for column \"a\" of table \"t3\"
conf-parse: $S:4:1: both default and identity specified for column \"a\" of table \"t4\"
conf-parse: $S:5:1: multiple identity specifications for column \"a\" of table \"t5\"
conf-parse: $S:6:1: both default and generation expression specified for column \"a\" of table \"t6\"
conf-parse: $S:7:1: both identity and generation expression specified for column \"a\" of table \"t7\"
conf-parse: $S:8:1: multiple generation clauses specified for column \"a\" of table \"t8\"
conf-parse: $S:10:1: multiple default values specified for column \"c\" of table \"ok\""
	assert_equal "$(jq -c 'select(.kind == "table") | [.name, [.columns[].name]]' <<<"$output")" '["ok",["a"]]'
}

@test "xrej: CHECK and generation expressions name existing, allowed columns; a second primary key is refused (F21)" {
	sql <<'EOF2'
CREATE TABLE t1 (a int GENERATED ALWAYS AS (b * 2) STORED, b int GENERATED ALWAYS AS (a) STORED);
CREATE TABLE t2 (a int GENERATED ALWAYS AS (c * 2) STORED);
CREATE TABLE t3 (a int, CHECK (b > 0));
CREATE TABLE t4 (a int, CHECK (ctid IS NOT NULL));
CREATE TABLE t5 (a int, b int GENERATED ALWAYS AS (xmin::text::int) STORED);
CREATE TABLE ok (a int, b int GENERATED ALWAYS AS (a * 2) STORED, CHECK (ok.a > 0 AND b > 0 AND tableoid > 0), CHECK (ok IS NOT NULL));
ALTER TABLE ok ADD COLUMN c int GENERATED ALWAYS AS (b) STORED;
ALTER TABLE ok ADD CHECK (nosuch > 0);
ALTER TABLE ok ADD COLUMN d int CHECK (d > a);
ALTER TABLE ok ADD PRIMARY KEY (a);
ALTER TABLE ok ADD PRIMARY KEY (d);
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:1:1: cannot use generated column \"b\" in column generation expression
conf-parse: $S:2:1: column \"c\" does not exist
conf-parse: $S:3:1: column \"b\" does not exist
conf-parse: $S:4:1: system column \"ctid\" reference in check constraint is invalid
conf-parse: $S:5:1: cannot use system column \"xmin\" in column generation expression
conf-parse: $S:7:1: cannot use generated column \"b\" in column generation expression
conf-parse: $S:8:1: column \"nosuch\" does not exist
conf-parse: $S:11:1: multiple primary keys for table \"ok\" are not allowed"
	assert_equal "$(jq -c 'select(.kind == "table") | [.name, [.columns[].name], [.constraints[].name]]' <<<"$output")" \
		'["ok",["a","b","d"],["ok_check","ok_check1","ok_ok_check","ok_pkey"]]'
}

@test "xrej: sequence limits, START, CACHE and types are checked as init_params checks them (F21)" {
	sql <<'EOF2'
CREATE SEQUENCE s1 AS smallint MAXVALUE 100000;
CREATE SEQUENCE s2 AS smallint MINVALUE -100000;
CREATE SEQUENCE s3 START 0;
CREATE SEQUENCE s4 START 5 MAXVALUE 3;
CREATE SEQUENCE s5 CACHE 0;
CREATE SEQUENCE s6 AS integer START 1; ALTER SEQUENCE s6 AS smallint START 40000;
CREATE SEQUENCE s7 AS text;
CREATE TABLE t8 (a text GENERATED ALWAYS AS IDENTITY);
CREATE SEQUENCE s9 MINVALUE 5 START 5; ALTER SEQUENCE s9 MINVALUE 6;
CREATE TABLE t11 (a smallint GENERATED ALWAYS AS IDENTITY (START 1 MAXVALUE 70000));
CREATE SEQUENCE s12 INCREMENT -1 START -5;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:1:1: MAXVALUE (100000) is out of range for sequence data type smallint
conf-parse: $S:2:1: MINVALUE (-100000) is out of range for sequence data type smallint
conf-parse: $S:3:1: START value (0) cannot be less than MINVALUE (1)
conf-parse: $S:4:1: START value (5) cannot be greater than MAXVALUE (3)
conf-parse: $S:5:1: CACHE (0) must be greater than zero
conf-parse: $S:6:40: START value (40000) cannot be greater than MAXVALUE (32767)
conf-parse: $S:7:1: sequence type must be smallint, integer, or bigint
conf-parse: $S:8:1: identity column type must be smallint, integer, or bigint
conf-parse: $S:9:40: START value (5) cannot be less than MINVALUE (6)
conf-parse: $S:10:1: MAXVALUE (70000) is out of range for sequence data type smallint"
	assert_equal "$(jq -r 'select(.kind == "sequence") | .id' <<<"$output")" "sequence:public.s12
sequence:public.s6
sequence:public.s9"
	sql <<'EOF2'
CREATE SEQUENCE s6 AS integer START 1;
CREATE SEQUENCE s9 MINVALUE 5 START 5;
CREATE SEQUENCE s12 INCREMENT -1 START -5;
EOF2
	agree sequence
}

@test "xrej: a refused CREATE TABLE or ADD COLUMN leaves no serial sequence and no column behind" {
	sql <<'EOF2'
CREATE TABLE t (a serial, CHECK (b > 0));
CREATE TABLE p (a int);
CREATE TABLE c () INHERITS (p);
ALTER TABLE p ADD COLUMN b serial CHECK (x > 0);
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:1:1: column \"b\" does not exist
conf-parse: $S:4:1: column \"x\" does not exist"
	assert_equal "$(jq -c 'select(.kind != "schema") | [.id, [.columns[]?.name]]' <<<"$output")" '["table:public.c",["a"]]
["table:public.p",["a"]]'
}

@test "xrej: a domain over a domain starts with the base domain's default; contradicting domain clauses are refused (F35)" {
	sql <<'EOF2'
CREATE DOMAIN d1 AS text DEFAULT 'x';
CREATE DOMAIN d2 AS d1;
CREATE DOMAIN d3 AS d1 DEFAULT 'y';
ALTER DOMAIN d1 DROP DEFAULT;
CREATE DOMAIN d4 AS d2 NOT NULL;
CREATE DOMAIN e1 AS int DEFAULT 1 DEFAULT 2;
CREATE DOMAIN e2 AS int NULL NOT NULL;
CREATE DOMAIN e3 AS int NOT NULL NOT NULL;
CREATE DOMAIN e4 AS int PRIMARY KEY;
CREATE DOMAIN e5 AS int UNIQUE;
CREATE DOMAIN e6 AS int CHECK (VALUE > 0) NO INHERIT;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:6:1: multiple default expressions
conf-parse: $S:7:1: conflicting NULL/NOT NULL constraints
conf-parse: $S:9:1: primary key constraints not possible for domains
conf-parse: $S:10:1: unique constraints not possible for domains
conf-parse: $S:11:1: check constraints for domains cannot be marked NO INHERIT"
	assert_equal "$(jq -c 'select(.kind == "domain") | [.name, .default_sql]' <<<"$output")" '["d1",null]
["d2","'"'x'"'"]
["d3","'"'y'"'"]
["d4","'"'x'"'"]
["e3",null]'
	sed -i 6,11d "$S"
	agree domain
}

@test "xrej: ALTER COLUMN TYPE of an identity column changes its sequence's type, limits following (F57)" {
	sql <<'EOF2'
CREATE TABLE a (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
ALTER TABLE a ALTER COLUMN id TYPE bigint USING id::bigint;
CREATE TABLE b (id smallint GENERATED ALWAYS AS IDENTITY (MAXVALUE 1000), x serial);
ALTER TABLE b ALTER COLUMN id TYPE integer, ALTER COLUMN x TYPE bigint;
CREATE TABLE c (id bigint GENERATED BY DEFAULT AS IDENTITY (START 100000));
ALTER TABLE c ALTER COLUMN id TYPE smallint;
ALTER TABLE c ALTER COLUMN id TYPE text;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:6:1: START value (100000) cannot be greater than MAXVALUE (32767)
conf-parse: $S:7:1: identity column type must be smallint, integer, or bigint"
	assert_equal "$(jq -c 'select(.kind == "sequence") | [.name, .data_type, .max]' <<<"$output")" '["a_id_seq",null,null]
["b_id_seq","integer",1000]
["b_x_seq","integer",null]
["c_id_seq",null,null]'
	sed -i 6,7d "$S"
	agree sequence table
}

@test "xrej: a child's own CHECK named and written like an inherited one merges with it; other clashes are refused (F69)" {
	sql <<'EOF2'
CREATE TABLE par (a int, CONSTRAINT pc CHECK (a > 0));
CREATE TABLE chi2 (a int, CONSTRAINT pc CHECK (a > 0)) INHERITS (par);
CREATE TABLE chi3 (a int, CONSTRAINT pc CHECK (a > 0) NOT VALID) INHERITS (par);
CREATE TABLE chi7 () INHERITS (par);
ALTER TABLE chi7 ADD CONSTRAINT pc CHECK (a > 0);
ALTER TABLE chi2 NO INHERIT par;
CREATE TABLE chi8 () INHERITS (par);
CREATE TABLE par9 (a int);
CREATE TABLE chi9 (a int, CONSTRAINT pc CHECK (a > 0)) INHERITS (par9);
ALTER TABLE par9 ADD CONSTRAINT pc CHECK (a > 0);
CREATE TABLE chi4 (a int, CONSTRAINT pc CHECK (a > 1)) INHERITS (par);
CREATE TABLE chi5 (a int, CONSTRAINT pc CHECK (a > 0) NO INHERIT) INHERITS (par);
CREATE TABLE t6 (a int, CONSTRAINT pc CHECK (a > 0), CONSTRAINT pc CHECK (a > 0));
ALTER TABLE chi8 ADD CONSTRAINT pc CHECK (a > 1);
ALTER TABLE chi8 ADD CONSTRAINT pc CHECK (a > 0) NO INHERIT;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:11:1: constraint \"pc\" for relation \"chi4\" already exists
conf-parse: $S:12:1: constraint \"pc\" conflicts with inherited constraint on relation \"chi5\"
conf-parse: $S:13:1: check constraint \"pc\" already exists
conf-parse: $S:14:1: constraint \"pc\" for relation \"chi8\" already exists
conf-parse: $S:15:1: constraint \"pc\" conflicts with inherited constraint on relation \"chi8\""
	assert_equal "$(jq -c 'select(.kind == "table") | [.name, [.constraints[] | [.name, .inherited]]]' <<<"$output")" '["chi2",[["pc",null]]]
["chi3",[["pc",null]]]
["chi7",[["pc",null]]]
["chi8",[["pc",true]]]
["chi9",[["pc",null]]]
["par",[["pc",null]]]
["par9",[["pc",null]]]'
	sed -i '11,$d' "$S"
	agree table
}

@test "xrej: CREATE RULE \"_RETURN\" ON SELECT turns an empty table into a view, with its comments; what the server refuses is refused (F59)" {
	sql <<'EOF2'
CREATE TABLE base (a int, b text);
CREATE TABLE v (a int, b text);
COMMENT ON TABLE v IS 'was a table';
COMMENT ON COLUMN v.b IS 'bee';
CREATE RULE "_RETURN" AS ON SELECT TO v DO INSTEAD SELECT a, b FROM base;
CREATE TABLE w1 (a int primary key);
CREATE TABLE w2 (a int);
CREATE TABLE w3 () INHERITS (base);
CREATE TABLE w4 (a int, b int);
CREATE RULE "_RETURN" AS ON SELECT TO w1 DO INSTEAD SELECT a FROM base;
CREATE RULE "_RETURN" AS ON SELECT TO w2 DO INSTEAD SELECT a, a AS b FROM base;
CREATE RULE "_RETURN" AS ON SELECT TO w2 DO INSTEAD SELECT a AS b FROM base;
CREATE RULE "r" AS ON SELECT TO w2 DO INSTEAD SELECT a FROM base;
CREATE RULE "_RETURN" AS ON SELECT TO w2 DO ALSO SELECT a FROM base;
CREATE RULE "_RETURN" AS ON SELECT TO w3 DO INSTEAD SELECT a, b FROM base;
CREATE RULE "_RETURN" AS ON SELECT TO base DO INSTEAD SELECT 1 AS a, 'x'::text AS b;
CREATE RULE "_RETURN" AS ON SELECT TO w4 DO INSTEAD SELECT a FROM base;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:10:1: could not convert table \"w1\" to a view because it has indexes
conf-parse: $S:11:1: SELECT rule's target list has too many entries
conf-parse: $S:12:1: SELECT rule's target entry 1 has different column name from column \"a\"
conf-parse: $S:13:1: view rule for \"w2\" must be named \"_RETURN\"
conf-parse: $S:14:1: rules on SELECT must have action INSTEAD SELECT
conf-parse: $S:15:1: could not convert table \"w3\" to a view because it has parent tables
conf-parse: $S:16:1: could not convert table \"base\" to a view because it has child tables
conf-parse: $S:17:1: SELECT rule's target list has too few entries"
	assert_equal "$(jq -c 'select(.kind != "schema") | [.id, .query_sql]' <<<"$output")" '["comment:column:public.v.b",null]
["comment:view:public.v",null]
["table:public.base",null]
["table:public.w1",null]
["table:public.w2",null]
["table:public.w3",null]
["table:public.w4",null]
["view:public.v","SELECT a, b FROM base"]'
	sed -i '10,$d' "$S"
	agree table view comment rule
}

@test "xrej: a serial or identity an ALTER TABLE adds belongs to the table's owner; ALTER SEQUENCE OWNER TO of a linked sequence is refused (F5)" {
	roles xrej_r1
	sql <<'EOF2'
CREATE TABLE t (a int);
ALTER TABLE t OWNER TO xrej_r1;
ALTER TABLE t ADD COLUMN id serial;
ALTER TABLE t ADD COLUMN j int GENERATED BY DEFAULT AS IDENTITY;
ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY;
CREATE TABLE u (id serial);
CREATE SEQUENCE free_seq;
ALTER SEQUENCE free_seq OWNER TO xrej_r1;
ALTER SEQUENCE u_id_seq OWNER TO xrej_r1;
ALTER TABLE u_id_seq OWNER TO xrej_r1;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:9:1: cannot change owner of sequence \"u_id_seq\" (it is linked to table \"u\")
conf-parse: $S:10:1: cannot change owner of sequence \"u_id_seq\" (it is linked to table \"u\")"
	assert_equal "$(jq -r 'select(.kind == "owner") | "\(.on) \(.owner)"' <<<"$output")" "sequence:public.free_seq xrej_r1
sequence:public.t_a_seq xrej_r1
sequence:public.t_id_seq xrej_r1
sequence:public.t_j_seq xrej_r1
table:public.t xrej_r1"
	sed -i '9,$d' "$S"
	agree owner sequence table
}

@test "xrej: CREATE OR REPLACE of a function refuses what ProcedureCreate refuses to change (F8/F9, F21)" {
	sql <<'EOF2'
CREATE FUNCTION f1(a int) RETURNS int LANGUAGE sql AS 'select 1';
CREATE FUNCTION f2(int) RETURNS int LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f2(b int) RETURNS int LANGUAGE sql AS 'select 2';
CREATE FUNCTION f3(a int, OUT x int, OUT y int) LANGUAGE sql AS 'select 1,2';
CREATE OR REPLACE FUNCTION f3(a int, OUT x int, OUT y int) LANGUAGE sql AS 'select 3,4';
CREATE FUNCTION f4(a int) RETURNS TABLE(x int) LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f4(a int) RETURNS TABLE(y int) LANGUAGE sql AS 'select 1';
CREATE FUNCTION f5(a int default 1) RETURNS int LANGUAGE sql AS 'select 1';
CREATE PROCEDURE p6(a int) LANGUAGE sql AS 'select 1';
CREATE OR REPLACE PROCEDURE p6(a int) LANGUAGE sql AS 'select 2';
CREATE FUNCTION f7(a int, OUT x int) LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f7(a int) RETURNS int LANGUAGE sql AS 'select 2';
CREATE FUNCTION f8(a int, b int) RETURNS int LANGUAGE sql AS 'select 1';
CREATE FUNCTION f9(a int, INOUT b int) LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f9(a int, INOUT b int) LANGUAGE sql AS 'select 2';
CREATE OR REPLACE FUNCTION f1(a int) RETURNS bigint LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f1(b int) RETURNS int LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f1(int) RETURNS int LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f1(a int) RETURNS SETOF int LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f3(a int, OUT x int, OUT z int) LANGUAGE sql AS 'select 1,2';
CREATE OR REPLACE FUNCTION f5(a int) RETURNS int LANGUAGE sql AS 'select 1';
CREATE OR REPLACE PROCEDURE p6(b int) LANGUAGE sql AS 'select 1';
CREATE OR REPLACE FUNCTION f8(b int, a int) RETURNS int LANGUAGE sql AS 'select 1';
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:16:1: cannot change return type of existing function
conf-parse: $S:17:1: cannot change name of input parameter \"a\"
conf-parse: $S:18:1: cannot change name of input parameter \"a\"
conf-parse: $S:19:1: cannot change return type of existing function
conf-parse: $S:20:1: cannot change return type of existing function
conf-parse: $S:21:1: cannot remove parameter defaults from existing function
conf-parse: $S:22:1: cannot change name of input parameter \"a\"
conf-parse: $S:23:1: cannot change name of input parameter \"a\""
	sed -i '16,$d' "$S"
	agree function procedure
}

@test "xrej: a foreign key's columns exist and reference the keys of a unique immediate constraint or index (F21)" {
	sql <<'EOF2'
CREATE TABLE p (a int, b int, c int, d int, CONSTRAINT pk PRIMARY KEY (a), UNIQUE (b, c), CONSTRAINT dd UNIQUE (d) DEFERRABLE);
CREATE UNIQUE INDEX p_cd ON p (c, d);
CREATE UNIQUE INDEX p_partial ON p (b) WHERE b > 0;
CREATE UNIQUE INDEX p_expr ON p ((a + b), a);
CREATE TABLE ok1 (x int REFERENCES p, y int, z int, FOREIGN KEY (y, z) REFERENCES p (c, b), FOREIGN KEY (y, z) REFERENCES p (d, c));
CREATE TABLE self (id int PRIMARY KEY, parent int REFERENCES self);
CREATE TABLE e1 (x int REFERENCES p (b));
CREATE TABLE e2 (x int REFERENCES p (d));
CREATE TABLE e3 (x int REFERENCES p (nosuch));
CREATE TABLE e4 (x int, FOREIGN KEY (nosuch) REFERENCES p);
CREATE TABLE e5 (x int, y int, FOREIGN KEY (x, y) REFERENCES p);
CREATE TABLE e6 (x int, y int, FOREIGN KEY (x) REFERENCES p (b, c));
CREATE TABLE e7 (x int, y int, FOREIGN KEY (x, y) REFERENCES p (b, b));
ALTER TABLE ok1 ADD FOREIGN KEY (x) REFERENCES p (c);
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:7:1: there is no unique constraint matching given keys for referenced table \"p\"
conf-parse: $S:8:1: cannot use a deferrable unique constraint for referenced table \"p\"
conf-parse: $S:9:1: column \"nosuch\" referenced in foreign key constraint does not exist
conf-parse: $S:10:1: column \"nosuch\" referenced in foreign key constraint does not exist
conf-parse: $S:11:1: number of referencing and referenced columns for foreign key disagree
conf-parse: $S:12:1: number of referencing and referenced columns for foreign key disagree
conf-parse: $S:13:1: foreign key referenced-columns list must not contain duplicates
conf-parse: $S:14:1: there is no unique constraint matching given keys for referenced table \"p\""
	assert_equal "$(jq -r 'select(.kind == "table") | .id' <<<"$output")" "table:public.ok1
table:public.p
table:public.self"
	sed -i '7,$d' "$S"
	agree table index
}

@test "xrej: a partition bound fits its parent's partitioning, as transformPartitionBound checks it (F21)" {
	sql <<'EOF2'
CREATE TABLE h (a int) PARTITION BY HASH (a);
CREATE TABLE l (a int) PARTITION BY LIST (a);
CREATE TABLE r (a int, b int) PARTITION BY RANGE (a, b);
CREATE TABLE np (a int);
CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 0);
CREATE TABLE l0 PARTITION OF l FOR VALUES IN (1, 2);
CREATE TABLE ld PARTITION OF l DEFAULT;
CREATE TABLE r0 PARTITION OF r FOR VALUES FROM (1, MINVALUE) TO (10, MAXVALUE);
CREATE TABLE c (a int);
CREATE TABLE e1 PARTITION OF h FOR VALUES WITH (modulus 0, remainder 0);
CREATE TABLE e2 PARTITION OF h FOR VALUES WITH (modulus 2, remainder 2);
CREATE TABLE e3 PARTITION OF h DEFAULT;
CREATE TABLE e4 PARTITION OF h FOR VALUES IN (1);
CREATE TABLE e5 PARTITION OF l FOR VALUES FROM (1) TO (10);
CREATE TABLE e6 PARTITION OF r FOR VALUES IN (1);
CREATE TABLE e7 PARTITION OF r FOR VALUES FROM (1) TO (2, 3);
CREATE TABLE e8 PARTITION OF r FOR VALUES FROM (1, 2) TO (3);
CREATE TABLE e9 PARTITION OF np FOR VALUES FROM (1) TO (2);
ALTER TABLE l ATTACH PARTITION c FOR VALUES FROM (1) TO (2);
ALTER TABLE h ATTACH PARTITION c DEFAULT;
ALTER TABLE np ATTACH PARTITION c FOR VALUES FROM (1) TO (2);
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:10:1: modulus for hash partition must be an integer value greater than zero
conf-parse: $S:11:1: remainder for hash partition must be less than modulus
conf-parse: $S:12:1: a hash-partitioned table may not have a default partition
conf-parse: $S:13:1: invalid bound specification for a hash partition
conf-parse: $S:14:1: invalid bound specification for a list partition
conf-parse: $S:15:1: invalid bound specification for a range partition
conf-parse: $S:16:1: FROM must specify exactly one value per partitioning column
conf-parse: $S:17:1: TO must specify exactly one value per partitioning column
conf-parse: $S:18:1: \"np\" is not partitioned
conf-parse: $S:19:1: invalid bound specification for a list partition
conf-parse: $S:20:1: a hash-partitioned table may not have a default partition
conf-parse: $S:21:1: table \"np\" is not partitioned"
	assert_equal "$(jq -r 'select(.kind == "table") | .name' <<<"$output" | tr '\n' ' ')" "c h h0 l l0 ld np r r0 "
	sed -i '10,$d' "$S"
	agree table
}

@test "xrej: lengths and precisions of the built-in character, bit and numeric types are checked as their typmodin checks them (F21)" {
	sql <<'EOF2'
CREATE TABLE ok (a varchar(10485760), b char(1), c "char", d bit varying(5), f numeric(2,5), g numeric, h bit(3), i numeric(1000));
CREATE TABLE e1 (a varchar(0));
CREATE TABLE e2 (a char(0));
CREATE TABLE e3 (a varchar(10485761));
CREATE TABLE e4 (a numeric(0));
CREATE TABLE e5 (a numeric(1001));
CREATE TABLE e7 (a bit(0));
CREATE TABLE e8 (a bit varying(0));
CREATE TABLE e9 (a "varchar"(0));
ALTER TABLE ok ALTER COLUMN a TYPE varchar(0);
ALTER TABLE ok ADD COLUMN x numeric(0);
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:2:1: length for type varchar must be at least 1
conf-parse: $S:3:1: length for type char must be at least 1
conf-parse: $S:4:1: length for type varchar cannot exceed 10485760
conf-parse: $S:5:1: NUMERIC precision 0 must be between 1 and 1000
conf-parse: $S:6:1: NUMERIC precision 1001 must be between 1 and 1000
conf-parse: $S:7:1: length for type bit must be at least 1
conf-parse: $S:8:1: length for type varbit must be at least 1
conf-parse: $S:9:1: length for type varchar must be at least 1
conf-parse: $S:10:1: length for type varchar must be at least 1
conf-parse: $S:11:1: NUMERIC precision 0 must be between 1 and 1000"
	assert_equal "$(jq -r 'select(.kind == "table") | .name' <<<"$output")" ok
	sed -i '2,$d' "$S"
	agree table
}

@test "xrej: the columns a CREATE INDEX names exist (keys, INCLUDE, expressions, predicate) (F21)" {
	sql <<'EOF2'
CREATE TABLE t (a int, b text);
CREATE INDEX ok1 ON t (a) INCLUDE (b) WHERE a > 0;
CREATE INDEX ok2 ON t (lower(b), (t.a + 1));
CREATE MATERIALIZED VIEW mv AS SELECT a AS x FROM t;
CREATE INDEX ok3 ON mv (x);
CREATE INDEX e1 ON t (c);
CREATE INDEX e2 ON t (a) INCLUDE (c);
CREATE INDEX e3 ON t (lower(c));
CREATE INDEX e4 ON t (a) WHERE c > 0;
CREATE INDEX e5 ON mv (a);
CREATE INDEX e6 ON t (a) WHERE ctid > '(0,1)';
CREATE INDEX e7 ON t (min);
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:6:1: column \"c\" does not exist
conf-parse: $S:7:1: column \"c\" does not exist
conf-parse: $S:8:1: column \"c\" does not exist
conf-parse: $S:9:1: column \"c\" does not exist
conf-parse: $S:10:1: column \"a\" does not exist
conf-parse: $S:11:1: index creation on system columns is not supported
conf-parse: $S:12:1: column \"min\" does not exist"
	assert_equal "$(jq -r 'select(.kind == "index") | .name' <<<"$output" | tr '\n' ' ')" "ok1 ok2 ok3 "
	sed -i '6,$d' "$S"
	agree index
}

@test "xrej: policy, CHECK and index expressions name columns of their table, qualified or not, with the server's words (F21)" {
	sql <<'EOF2'
CREATE TABLE t (a int, owner text);
CREATE TABLE u (x int);
CREATE POLICY ok1 ON t USING (a > 0 AND owner = current_user) WITH CHECK (t.a > 0);
CREATE POLICY ok2 ON t USING (EXISTS (SELECT 1 FROM u WHERE u.x = t.a));
CREATE POLICY ok3 ON t USING (a IN (SELECT x FROM u));
CREATE TABLE c3 (a int, CHECK (c3.a > 0 AND c3.tableoid > 0));
CREATE INDEX ok4 ON t ((t.a + 1)) WHERE t.owner > '';
CREATE POLICY e1 ON t USING (b > 0);
CREATE POLICY e2 ON t WITH CHECK (t.b > 0);
ALTER POLICY ok1 ON t USING (c > 0);
CREATE POLICY e3 ON t USING (x.a > 0);
CREATE TABLE c1 (a int, CHECK (c1.b > 0));
CREATE TABLE c2 (a int, CHECK (x.b > 0));
CREATE INDEX e4 ON t ((t.b));
CREATE INDEX e5 ON t ((x.a));
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:8:1: column \"b\" does not exist
conf-parse: $S:9:1: column t.b does not exist
conf-parse: $S:10:1: column \"c\" does not exist
conf-parse: $S:11:1: missing FROM-clause entry for table \"x\"
conf-parse: $S:12:1: column c1.b does not exist
conf-parse: $S:13:1: missing FROM-clause entry for table \"x\"
conf-parse: $S:14:1: column t.b does not exist
conf-parse: $S:15:1: missing FROM-clause entry for table \"x\""
	assert_equal "$(jq -r 'select(.kind == "policy" or .kind == "index" or .kind == "table") | .id' <<<"$output" | tr '\n' ' ')" \
		"index:public.ok4 policy:public.t.ok1 policy:public.t.ok2 policy:public.t.ok3 table:public.c3 table:public.t table:public.u "
	sed -i '8,$d' "$S"
	agree policy index table
}

@test "xrej: the UPDATE OF columns of a trigger exist, each once (F21)" {
	sql <<'EOF2'
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'begin return new; end';
CREATE TABLE t (a int, c int);
CREATE TRIGGER ok BEFORE UPDATE OF c, a ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER e1 BEFORE UPDATE OF nosuch ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER e2 BEFORE UPDATE OF c, a, a ON t FOR EACH ROW EXECUTE FUNCTION tf();
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:4:1: column \"nosuch\" of relation \"t\" does not exist
conf-parse: $S:5:1: column \"a\" specified more than once"
	assert_equal "$(jq -c 'select(.kind == "trigger") | [.name, .columns]' <<<"$output")" '["ok",["c","a"]]'
	sed -i '4,$d' "$S"
	agree trigger
}

@test "xrej: OWNED BY names a column of a table with the sequence's owner and schema, as process_owned_by checks it (F5, F21)" {
	roles xrej_r2
	sql <<'EOF2'
CREATE SCHEMA s;
CREATE TABLE t (a int);
CREATE TABLE t2 (a int);
ALTER TABLE t2 OWNER TO xrej_r2;
CREATE SEQUENCE ok OWNED BY t.a;
CREATE SEQUENCE ok2; ALTER SEQUENCE ok2 OWNED BY t.a;
CREATE SEQUENCE s.e1 OWNED BY t.a;
CREATE SEQUENCE e2 OWNED BY t.b;
CREATE SEQUENCE e3 OWNED BY t;
CREATE SEQUENCE e4 OWNED BY t2.a;
ALTER SEQUENCE ok2 OWNED BY t.nosuch;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:7:1: sequence must be in same schema as table it is linked to
conf-parse: $S:8:1: column \"b\" of relation \"t\" does not exist
conf-parse: $S:9:1: invalid OWNED BY option
conf-parse: $S:10:1: sequence must have same owner as table it is linked to
conf-parse: $S:11:1: column \"nosuch\" of relation \"t\" does not exist"
	assert_equal "$(jq -c 'select(.kind == "sequence") | [.name, .owned_by]' <<<"$output")" '["ok","column:public.t.a"]
["ok2","column:public.t.a"]'
	sed -i '7,$d' "$S"
	agree sequence table owner
}

@test "xrej: ALTER TABLE CLUSTER ON names an index of the table (F21 addendum)" {
	sql <<'EOF2'
CREATE TABLE t (a int PRIMARY KEY, b int);
CREATE INDEX ti ON t (b);
CREATE TABLE u (b int UNIQUE);
CREATE INDEX ui ON u (b);
ALTER TABLE t CLUSTER ON t_pkey;
ALTER TABLE t CLUSTER ON ti;
ALTER TABLE t CLUSTER ON nosuch;
ALTER TABLE t CLUSTER ON ui;
ALTER TABLE t CLUSTER ON u_b_key;
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:7:1: index \"nosuch\" for table \"t\" does not exist
conf-parse: $S:8:1: \"ui\" is not an index for table \"t\"
conf-parse: $S:9:1: \"u_b_key\" is not an index for table \"t\""
}

@test "xrej: ROWS on a function that returns no set is refused (F21 addendum)" {
	sql <<'EOF2'
CREATE FUNCTION q8(x int) RETURNS int LANGUAGE sql ROWS 5 AS 'select 1';
CREATE FUNCTION q9(x int) RETURNS SETOF int LANGUAGE sql ROWS 5 AS 'select 1';
CREATE FUNCTION q10(x int) RETURNS TABLE (y int) LANGUAGE sql ROWS 7 AS 'select 1';
EOF2
	run -4 --separate-stderr conf-parse -m "$S"
	assert_equal "$stderr" "conf-parse: $S:1:1: ROWS is not applicable when function does not return a set"
	assert_equal "$(jq -c 'select(.kind == "function") | [.name, .rows]' <<<"$output")" '["q10",7]
["q9",5]'
	sed -i 1d "$S"
	agree function
}

# ---- h/f8tx ----

@test "h/f8tx R18: ALTER DEFAULT PRIVILEGES without FOR ROLE is for the current role: SET ROLE's, SET SESSION AUTHORIZATION's" {
	roles mobj_r1 mobj_r2
	sql <<'EOF2'
create schema s authorization mobj_r1;
alter default privileges grant select on tables to mobj_r1;
set role mobj_r1;
alter default privileges grant select on tables to mobj_r2;
alter default privileges in schema s grant insert on tables to mobj_r2;
create table s.x (a int);
reset role;
create table s.y (a int);
set session authorization mobj_r2;
alter default privileges grant usage on types to mobj_r1;
reset session authorization;
EOF2
	run sh -c 'PGUSER=postgres conf-parse -m "$0" | jq -c "select(.kind == \"default_acl\" or .kind == \"grant\") | del(.file, .col)"' "$S"
	assert_success
	assert_output - <<'EOF2'
{"kind":"default_acl","id":"default_acl:mobj_r1::tables","grants":[{"grantee":"mobj_r2","privileges":["SELECT"]}],"line":4,"objects":"tables","role":"mobj_r1"}
{"kind":"default_acl","id":"default_acl:mobj_r1:s:tables","grants":[{"grantee":"mobj_r2","privileges":["INSERT"]}],"in_schema":"s","line":5,"objects":"tables","role":"mobj_r1"}
{"kind":"default_acl","id":"default_acl:mobj_r2::types","grants":[{"grantee":"mobj_r1","privileges":["USAGE"]}],"line":10,"objects":"types","role":"mobj_r2"}
{"kind":"default_acl","id":"default_acl:postgres::tables","grants":[{"grantee":"mobj_r1","privileges":["SELECT"]}],"line":2,"objects":"tables","role":"postgres"}
{"kind":"grant","id":"grant:table:s.x:mobj_r2","grantee":"mobj_r2","line":6,"on":"table:s.x","privileges":["INSERT","SELECT"]}
{"kind":"grant","id":"grant:table:s.y:mobj_r1","grantee":"mobj_r1","line":8,"on":"table:s.y","privileges":["SELECT"]}
EOF2
	PGUSER=postgres agree default_acl grant owner
}

@test "n8 R11: a view or materialized view naming an output column twice is refused with the server's message" {
	sql <<'EOF2'
CREATE TABLE t (a int);
CREATE VIEW v6 AS SELECT a::bigint, a::text FROM t;
CREATE VIEW v7 AS SELECT 1, 2;
CREATE MATERIALIZED VIEW m8 AS SELECT a, a FROM t;
CREATE VIEW v9 (x, y) AS SELECT a, a FROM t;
CREATE VIEW v10 (x, x) AS SELECT a, a + 1 FROM t;
EOF2
	run --separate-stderr conf-parse -m "$S"
	assert_failure 4
	assert_equal "$stderr" "conf-parse: $S:2:1: column \"a\" specified more than once
conf-parse: $S:3:1: column \"?column?\" specified more than once
conf-parse: $S:4:1: column \"a\" specified more than once
conf-parse: $S:6:1: column \"x\" specified more than once"
	assert_equal "$(jq -r 'select(.kind == "view" or .kind == "matview") | .id' <<<"$output")" "view:public.v9"
}
