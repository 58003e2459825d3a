#!/usr/bin/env bats
# conf-diff on views, materialized views, functions, procedures, triggers, event triggers, rules,
# policies, publications, comments, grants, default privileges and owners (lib/diff_obj.c): the
# SQL written for a change, and the round trip: the diff applied to a database built from the old
# SQL gives the model of one built from the new SQL, and diffs to nothing after.

load helper

roles() {
	for r in "$@"; do
		psql -XAtq -d postgres -c "DO \$\$BEGIN CREATE ROLE $r; EXCEPTION WHEN duplicate_object THEN NULL; END\$\$" >/dev/null
	done
}

setup() {
	need_db
	T=$BATS_TEST_TMPDIR
}

# old / new: the SQL of each side, from stdin
old() { cat >"$T/old.sql"; }
new() { cat >"$T/new.sql"; }

# load NAME FILE: a fresh database NAME built from FILE
load_db() {
	PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -d postgres \
		-c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\"" >/dev/null
	PGOPTIONS='-c client_min_messages=error' psql -XAtq -v ON_ERROR_STOP=1 -d "$1" -f "$2" >/dev/null
}

# heads: the first line of each statement of the diff, an index's as "CREATE INDEX" or "DROP INDEX"
# (the core's form, not pinned here)
heads() {
	grep -E '^(CREATE|DROP)' "$T/diff.sql" | sed -E 's/^(CREATE|DROP)( UNIQUE)? INDEX.*/\1 INDEX/'
}

# roundtrip [DIFF OPTIONS]: build both sides, diff their conf-inspect models (the SQL in $T/diff.sql,
# exit status 1), apply it to the old database as conf-migrate would (statement by statement), and
# check that its model is now the new one's and that a second diff is empty
roundtrip() {
	local a=t${BATS_SUITE_TEST_NUMBER}_old b=t${BATS_SUITE_TEST_NUMBER}_new
	load_db "$a" "$T/old.sql"
	load_db "$b" "$T/new.sql"
	conf-inspect -d "$a" >"$T/a.jsonl"
	conf-inspect -d "$b" >"$T/b.jsonl"
	run conf-diff --allow-destructive "$@" "$T/a.jsonl" "$T/b.jsonl"
	[ "$status" -eq 1 ] || fail "conf-diff exit $status: $output"
	printf '%s\n' "$output" >"$T/diff.sql"
	PGOPTIONS='-c client_min_messages=error' conf-apply -a -d "$a" "$T/diff.sql"
	conf-inspect -d "$a" >"$T/a2.jsonl"
	diff "$T/a2.jsonl" "$T/b.jsonl"
	run conf-diff "$T/a2.jsonl" "$T/b.jsonl"
	assert_success
	assert_output ''
	output=$(cat "$T/diff.sql")
}

@test "view: a column added at the end is CREATE OR REPLACE VIEW; a reorder drops and creates it with its dependents" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE VIEW a AS SELECT id, v FROM t WHERE n > 0;
CREATE VIEW dep AS SELECT v FROM a;
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE VIEW a AS SELECT id, v, n FROM t WHERE n > 1;
CREATE VIEW dep AS SELECT v FROM a;
SQL
	roundtrip --lock-timeout 0
	assert_output "CREATE OR REPLACE VIEW public.a (id, v, n) AS
SELECT t.id,
    t.v,
    t.n
   FROM public.t
  WHERE (t.n > 1);"
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE VIEW a WITH (security_barrier) AS SELECT v, id FROM t WITH CASCADED CHECK OPTION;
CREATE VIEW dep AS SELECT v FROM a;
SQL
	roundtrip --lock-timeout 0
	assert_output "DROP VIEW public.dep;

DROP VIEW public.a;

CREATE VIEW public.a (v, id) WITH (security_barrier) AS
SELECT t.v,
    t.id
   FROM public.t
WITH CASCADED CHECK OPTION;

CREATE VIEW public.dep (v) AS
SELECT a.v
   FROM public.a;"
}

@test "views, a materialized view with its index and a function over them: created in dependency order, dropped in reverse" {
	echo 'CREATE TABLE t (id int PRIMARY KEY, v text);' | old
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text);
CREATE VIEW b AS SELECT id, v FROM t;
CREATE VIEW a AS SELECT v FROM b;
CREATE MATERIALIZED VIEW m AS SELECT v FROM a WITH NO DATA;
CREATE INDEX m_v ON m (v);
CREATE FUNCTION fa() RETURNS SETOF text LANGUAGE sql BEGIN ATOMIC SELECT v FROM a; END;
CREATE VIEW c AS SELECT * FROM fa();
SQL
	roundtrip
	run heads
	assert_output "CREATE VIEW public.b (id, v) AS
CREATE VIEW public.a (v) AS
CREATE FUNCTION public.fa()
CREATE VIEW public.c (fa) AS
CREATE MATERIALIZED VIEW public.m (v) AS
CREATE INDEX"
	cp "$T/new.sql" "$T/x.sql"
	cp "$T/old.sql" "$T/new.sql"
	cp "$T/x.sql" "$T/old.sql"
	roundtrip
	run heads
	assert_output "DROP INDEX
DROP MATERIALIZED VIEW public.m;
DROP VIEW public.c;
DROP FUNCTION public.fa();
DROP VIEW public.a;
DROP VIEW public.b;"
}

@test "materialized view: a change drops and creates it and the indexes on it" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE MATERIALIZED VIEW m AS SELECT id, n FROM t;
CREATE INDEX m_n ON m (n);
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE MATERIALIZED VIEW m AS SELECT id, n, v FROM t;
CREATE INDEX m_n ON m (n);
SQL
	roundtrip --lock-timeout 0
	run heads
	assert_output "DROP INDEX
DROP MATERIALIZED VIEW public.m;
CREATE MATERIALIZED VIEW public.m (id, n, v) AS
CREATE INDEX"
}

@test "functions: CREATE OR REPLACE when the signature allows, drop and create with dependents otherwise" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY);
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT a + 1 $$;
CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql AS $$ SELECT a + 1 $$;
CREATE VIEW vg AS SELECT g(id) AS x FROM t;
CREATE FUNCTION d(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT a + b';
CREATE FUNCTION sr(a int) RETURNS int LANGUAGE sql RETURN a + 1;
CREATE FUNCTION o(a int, OUT b int, OUT c text) LANGUAGE sql AS 'SELECT 1, ''x''';
CREATE FUNCTION tab(int) RETURNS TABLE(x int, "Y" text) LANGUAGE sql ROWS 5 AS 'SELECT 1, ''x''';
CREATE FUNCTION sp() RETURNS int LANGUAGE sql SET search_path = public, pg_temp AS 'SELECT 1';
CREATE FUNCTION va(VARIADIC a int[]) RETURNS int LANGUAGE sql STRICT AS 'select 1';
CREATE PROCEDURE p(x int) LANGUAGE sql AS $$ SELECT 1 $$;
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY);
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql STABLE PARALLEL SAFE AS $f$ SELECT a + length($$ab$$) $f$;
CREATE FUNCTION g(a int) RETURNS bigint LANGUAGE sql AS $$ SELECT a + 1 $$;
CREATE VIEW vg AS SELECT g(id) AS x FROM t;
CREATE FUNCTION d(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a - b';
CREATE FUNCTION sr(a int) RETURNS int LANGUAGE sql RETURN a + 2;
CREATE FUNCTION o(a int, OUT b int, OUT c text) LANGUAGE sql AS 'SELECT 2, ''x''';
CREATE FUNCTION tab(int) RETURNS TABLE(x int, "Y" text) LANGUAGE sql ROWS 6 AS 'SELECT 1, ''x''';
CREATE FUNCTION sp() RETURNS int LANGUAGE sql SET search_path = "Odd Schema", public SET work_mem = '32MB' AS 'SELECT 1';
CREATE FUNCTION va(VARIADIC a int[]) RETURNS int LANGUAGE sql STRICT COST 5 AS 'select 2';
CREATE PROCEDURE p(x int, y int) LANGUAGE sql AS $$ SELECT 1 $$;
SQL
	roundtrip --lock-timeout 0
	run heads
	assert_output "DROP VIEW public.vg;
DROP PROCEDURE public.p(integer);
DROP FUNCTION public.d(integer, integer);
DROP FUNCTION public.g(integer);
CREATE OR REPLACE FUNCTION public.f(a integer)
CREATE OR REPLACE FUNCTION public.o(a integer, OUT b integer, OUT c text)
CREATE OR REPLACE FUNCTION public.sp()
CREATE OR REPLACE FUNCTION public.sr(a integer)
CREATE OR REPLACE FUNCTION public.tab(integer)
CREATE OR REPLACE FUNCTION public.va(VARIADIC a integer[])
CREATE PROCEDURE public.p(x integer, y integer)
CREATE FUNCTION public.d(a integer, b integer)
CREATE FUNCTION public.g(a integer)
CREATE VIEW public.vg (x) AS"
	run sed -n '/^CREATE OR REPLACE FUNCTION public.f/,/^$/p;/^CREATE OR REPLACE FUNCTION public.sp/,/^$/p' "$T/diff.sql"
	assert_output 'CREATE OR REPLACE FUNCTION public.f(a integer)
RETURNS integer
LANGUAGE sql STABLE PARALLEL SAFE
AS $body$ SELECT a + length($$ab$$) $body$;

CREATE OR REPLACE FUNCTION public.sp()
RETURNS integer
LANGUAGE sql
SET search_path TO '"'"'Odd Schema'"'"', '"'"'public'"'"'
SET work_mem TO '"'"'32MB'"'"'
AS $$SELECT 1$$;'
}

@test "triggers: CREATE OR REPLACE TRIGGER, enable states, a constraint trigger dropped and created" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER trg BEFORE INSERT OR UPDATE OF v ON t FOR EACH ROW WHEN (NEW.n > 0) EXECUTE FUNCTION tf();
CREATE TRIGGER trg2 AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION tf('a', 'b');
CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER tr AFTER INSERT ON t REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION tf();
ALTER TABLE t DISABLE TRIGGER tr;
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER trg BEFORE INSERT OR UPDATE OF v, n ON t FOR EACH ROW WHEN (NEW.n > 1) EXECUTE FUNCTION tf();
CREATE TRIGGER trg2 AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION tf('a', 'b');
ALTER TABLE t DISABLE TRIGGER trg2;
CREATE CONSTRAINT TRIGGER ct AFTER INSERT OR UPDATE ON t DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER tr AFTER INSERT ON t REFERENCING NEW TABLE AS nt FOR EACH STATEMENT EXECUTE FUNCTION tf();
ALTER TABLE t ENABLE ALWAYS TRIGGER tr;
SQL
	roundtrip --lock-timeout 0
	assert_output "DROP TRIGGER ct ON public.t;

ALTER TABLE public.t ENABLE ALWAYS TRIGGER tr;

CREATE OR REPLACE TRIGGER trg BEFORE INSERT OR UPDATE OF v, n ON public.t
FOR EACH ROW WHEN ((new.n > 1))
EXECUTE FUNCTION public.tf();

ALTER TABLE public.t DISABLE TRIGGER trg2;

CREATE CONSTRAINT TRIGGER ct AFTER INSERT OR UPDATE ON public.t DEFERRABLE INITIALLY DEFERRED
FOR EACH ROW
EXECUTE FUNCTION public.tf();"
}

@test "event triggers, rules and policies: altered in place where PostgreSQL can, else dropped and created" {
	roles d9b_ro d9b_rw
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, n int);
CREATE TABLE u (id int PRIMARY KEY);
CREATE FUNCTION ef() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER et ON ddl_command_start WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION ef();
CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;
CREATE RULE r2 AS ON UPDATE TO u DO ALSO NOTHING;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY pol ON t FOR SELECT TO d9b_ro USING (n > 0);
CREATE POLICY pol2 ON t USING (n > 0) WITH CHECK (n > 1);
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, n int);
CREATE TABLE u (id int PRIMARY KEY);
CREATE FUNCTION ef() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER et ON ddl_command_start WHEN TAG IN ('CREATE TABLE', 'DROP TABLE') EXECUTE FUNCTION ef();
ALTER EVENT TRIGGER et DISABLE;
CREATE RULE r2 AS ON UPDATE TO u WHERE NEW.id > 0 DO ALSO INSERT INTO t VALUES (NEW.id, 0);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY pol ON t FOR SELECT TO d9b_ro, d9b_rw USING (n > 1);
CREATE POLICY pol2 ON t USING (n > 0);
SQL
	roundtrip --lock-timeout 0
	assert_output "DROP EVENT TRIGGER et;

DROP RULE r ON public.t;

DROP POLICY pol2 ON public.t;

ALTER POLICY pol ON public.t TO d9b_ro, d9b_rw
USING ((n > 1));

CREATE OR REPLACE RULE r2 AS ON UPDATE TO public.u
WHERE (new.id > 0)
DO ALSO (INSERT INTO public.t (id, n)
  VALUES (new.id, 0));

CREATE POLICY pol2 ON public.t FOR ALL TO public
USING ((n > 0));

CREATE EVENT TRIGGER et ON ddl_command_start
WHEN TAG IN ('CREATE TABLE', 'DROP TABLE')
EXECUTE FUNCTION public.ef();

ALTER EVENT TRIGGER et DISABLE;"
}

@test "publications: tables with column lists and row filters, schemas, options, FOR ALL TABLES" {
	old <<'SQL'
CREATE SCHEMA s;
CREATE TABLE s.t (id int PRIMARY KEY, v text, n int);
CREATE TABLE u (id int PRIMARY KEY);
CREATE PUBLICATION pf FOR TABLE s.t (id, v) WHERE (id > 5);
CREATE PUBLICATION ps FOR TABLES IN SCHEMA s;
CREATE PUBLICATION pu FOR TABLE u WITH (publish = 'insert');
CREATE PUBLICATION gone FOR TABLE u;
SQL
	new <<'SQL'
CREATE SCHEMA s;
CREATE TABLE s.t (id int PRIMARY KEY, v text, n int);
CREATE TABLE u (id int PRIMARY KEY);
CREATE PUBLICATION pf FOR TABLE s.t (id, n) WHERE (id > 6);
CREATE PUBLICATION ps FOR TABLES IN SCHEMA s, TABLE u;
CREATE PUBLICATION pu WITH (publish = 'insert, update', publish_via_partition_root = true);
CREATE PUBLICATION everything FOR ALL TABLES;
SQL
	roundtrip --lock-timeout 0
	assert_output "DROP PUBLICATION gone;

ALTER PUBLICATION pf SET TABLE s.t (id, n) WHERE ((id > 6));

ALTER PUBLICATION ps SET TABLE public.u, TABLES IN SCHEMA s;

ALTER PUBLICATION pu DROP TABLE public.u;

ALTER PUBLICATION pu SET (publish = 'insert, update', publish_via_partition_root = true);

CREATE PUBLICATION everything FOR ALL TABLES;"
}

@test "comments, grants, revoked defaults, default privileges and owners" {
	roles d9b_ro d9b_rw
	old <<'SQL'
CREATE SCHEMA s;
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
COMMENT ON TABLE t IS 'the t';
COMMENT ON COLUMN t.v IS 'vee';
COMMENT ON CONSTRAINT t_pkey ON t IS 'pk';
COMMENT ON SCHEMA s IS 'the s';
GRANT SELECT, INSERT ON t TO d9b_ro;
GRANT UPDATE (v) ON t TO d9b_ro WITH GRANT OPTION;
REVOKE EXECUTE ON FUNCTION f(int) FROM PUBLIC;
ALTER VIEW v OWNER TO d9b_ro;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO d9b_ro;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT USAGE ON SEQUENCES TO d9b_ro;
SQL
	new <<'SQL'
CREATE SCHEMA s;
CREATE TABLE t (id int PRIMARY KEY, v text, n int);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
COMMENT ON TABLE t IS 'it''s t';
COMMENT ON CONSTRAINT t_pkey ON t IS 'pk';
COMMENT ON FUNCTION f(int) IS 'eff';
GRANT SELECT ON t TO d9b_ro WITH GRANT OPTION;
GRANT UPDATE (v), SELECT (n) ON t TO d9b_ro;
GRANT SELECT ON v TO d9b_rw;
ALTER FUNCTION f(int) OWNER TO d9b_rw;
ALTER SCHEMA s OWNER TO d9b_ro;
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT ON TABLES TO d9b_ro;
ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT USAGE ON SEQUENCES TO d9b_rw;
SQL
	roundtrip --lock-timeout 0
	assert_output "COMMENT ON COLUMN public.t.v IS NULL;

COMMENT ON SCHEMA s IS NULL;

ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT EXECUTE ON FUNCTIONS TO PUBLIC;

GRANT EXECUTE ON FUNCTION public.f(integer) TO PUBLIC;

ALTER VIEW public.v OWNER TO CURRENT_USER;

REVOKE GRANT OPTION FOR UPDATE (v) ON TABLE public.t FROM d9b_ro;

REVOKE INSERT ON TABLE public.t FROM d9b_ro;

GRANT SELECT ON TABLE public.t TO d9b_ro WITH GRANT OPTION;

ALTER DEFAULT PRIVILEGES FOR ROLE postgres GRANT INSERT ON TABLES TO d9b_ro;

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA s REVOKE USAGE ON SEQUENCES FROM d9b_ro;

ALTER DEFAULT PRIVILEGES FOR ROLE postgres IN SCHEMA s GRANT USAGE ON SEQUENCES TO d9b_rw;

COMMENT ON TABLE public.t IS 'it''s t';

ALTER FUNCTION public.f(integer) OWNER TO d9b_rw;

ALTER SCHEMA s OWNER TO d9b_ro;

GRANT SELECT (n) ON TABLE public.t TO d9b_ro;

GRANT SELECT ON TABLE public.v TO d9b_rw;

COMMENT ON FUNCTION public.f(integer) IS 'eff';"
}

@test "renames by -r: a view and a function keep their grants, comments and dependents" {
	roles d9b_ro
	old <<'SQL'
CREATE SCHEMA s;
CREATE TABLE t (id int PRIMARY KEY);
CREATE VIEW v AS SELECT id FROM t;
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
GRANT SELECT ON v TO d9b_ro;
COMMENT ON FUNCTION f(int) IS 'eff';
SQL
	new <<'SQL'
CREATE SCHEMA s;
CREATE TABLE t (id int PRIMARY KEY);
CREATE VIEW w AS SELECT id FROM t;
CREATE FUNCTION s.g(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
GRANT SELECT ON w TO d9b_ro;
COMMENT ON FUNCTION s.g(int) IS 'eff';
SQL
	roundtrip --lock-timeout 0 -r view:public.v=view:public.w -r 'function:public.f(integer)=function:s.g(integer)' \
		-r grant:view:public.v:d9b_ro=grant:view:public.w:d9b_ro \
		-r 'comment:function:public.f(integer)=comment:function:s.g(integer)'
	assert_output "ALTER FUNCTION public.f(integer) SET SCHEMA s;

ALTER FUNCTION s.f(integer) RENAME TO g;

ALTER VIEW public.v RENAME TO w;"
}

@test "from nothing to functions, views, event triggers and publications, and back with --allow-destructive" {
	roles d9b_ro
	: | old
	new <<'SQL'
CREATE FUNCTION one() RETURNS int LANGUAGE sql IMMUTABLE RETURN 1;
CREATE VIEW v1 AS SELECT one() AS x;
CREATE VIEW v2 AS SELECT x FROM v1;
CREATE FUNCTION ef() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER et ON sql_drop EXECUTE FUNCTION ef();
CREATE PUBLICATION p FOR ALL TABLES WITH (publish = 'insert');
COMMENT ON VIEW v2 IS 'two';
GRANT SELECT ON v2 TO d9b_ro;
ALTER FUNCTION one() OWNER TO d9b_ro;
SQL
	roundtrip --lock-timeout 0
	assert_output "CREATE FUNCTION public.ef()
RETURNS event_trigger
LANGUAGE plpgsql
AS \$\$ BEGIN END \$\$;

CREATE FUNCTION public.one()
RETURNS integer
LANGUAGE sql IMMUTABLE
RETURN 1;

CREATE VIEW public.v1 (x) AS
SELECT public.one() AS x;

CREATE VIEW public.v2 (x) AS
SELECT v1.x
   FROM public.v1;

CREATE EVENT TRIGGER et ON sql_drop
EXECUTE FUNCTION public.ef();

CREATE PUBLICATION p FOR ALL TABLES WITH (publish = 'insert', publish_via_partition_root = false);

ALTER FUNCTION public.one() OWNER TO d9b_ro;

GRANT SELECT ON TABLE public.v2 TO d9b_ro;

COMMENT ON VIEW public.v2 IS 'two';"
	cp "$T/new.sql" "$T/old.sql"
	: | new
	roundtrip --lock-timeout 0
	assert_output "DROP PUBLICATION p;

DROP EVENT TRIGGER et;

DROP VIEW public.v2;

DROP VIEW public.v1;

DROP FUNCTION public.ef();

DROP FUNCTION public.one();"
}

@test "the files' model as the new side: unqualified names in the SQL of views, rules and policies" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, n int);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, n int);
CREATE VIEW v AS SELECT id FROM t WHERE n > 0;
CREATE RULE r AS ON DELETE TO t DO ALSO DELETE FROM t WHERE id = OLD.id + 1000;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (n > 0);
SQL
	local a=t${BATS_SUITE_TEST_NUMBER}_old b=t${BATS_SUITE_TEST_NUMBER}_new
	load_db "$a" "$T/old.sql"
	load_db "$b" "$T/new.sql"
	conf-inspect -d "$a" >"$T/a.jsonl"
	conf-parse -m -U postgres "$T/new.sql" >"$T/b.jsonl"
	run conf-diff --lock-timeout 0 "$T/a.jsonl" "$T/b.jsonl"
	assert_failure 1
	assert_output "SET search_path = 'public';

CREATE VIEW public.v (id) AS
SELECT id FROM t WHERE n > 0;

CREATE POLICY p ON public.t FOR ALL TO public
USING (n > 0);

CREATE RULE r AS ON DELETE TO public.t
DO ALSO (DELETE FROM t WHERE id = OLD.id + 1000);

RESET search_path;"
	printf '%s\n' "$output" >"$T/diff.sql"
	conf-apply -a -d "$a" "$T/diff.sql"
	diff <(conf-inspect -d "$a") <(conf-inspect -d "$b")
}

@test "a target conf-diff cannot name is an error naming the record" {
	printf '%s\n' '{"kind":"schema","id":"schema:public","name":"public"}' >"$T/a.jsonl"
	printf '%s\n' '{"kind":"comment","id":"comment:aggregate:public.x","on":"aggregate:public.x","text":"t"}' \
		'{"kind":"schema","id":"schema:public","name":"public"}' >"$T/b.jsonl"
	run --separate-stderr conf-diff "$T/a.jsonl" "$T/b.jsonl"
	assert_failure 4
	assert_equal "$stderr" "conf-diff: comment:aggregate:public.x: conf-diff cannot name aggregate:public.x in SQL"
}

@test "a column type changed under a chain of views and a materialized view: all dropped before, made again after" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v varchar(10));
CREATE VIEW a AS SELECT id, v FROM t;
CREATE VIEW dep AS SELECT v FROM a;
CREATE MATERIALIZED VIEW m AS SELECT v FROM dep;
COMMENT ON VIEW dep IS 'second';
SQL
	sed 's/varchar(10)/text/' "$T/old.sql" | new
	roundtrip --lock-timeout 0
	run heads
	assert_output "DROP MATERIALIZED VIEW public.m;
DROP VIEW public.dep;
DROP VIEW public.a;
CREATE VIEW public.a (id, v) AS
CREATE VIEW public.dep (v) AS
CREATE MATERIALIZED VIEW public.m (v) AS"
	run grep -E '^(ALTER TABLE|COMMENT)' "$T/diff.sql"
	assert_output "ALTER TABLE public.t ALTER COLUMN v TYPE text;
COMMENT ON VIEW public.dep IS 'second';"
}

@test "a table dropped with the functions its trigger and policy call: their drops come first" {
	old <<'SQL'
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE FUNCTION ok(n int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN n > 0;
CREATE TABLE t (id int PRIMARY KEY, n int);
CREATE TRIGGER t_stamp BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE POLICY p ON t USING (ok(n));
CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER t_audit AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit();
CREATE TABLE keep (id int);
CREATE TRIGGER keep_stamp BEFORE UPDATE ON keep FOR EACH ROW EXECUTE FUNCTION stamp();
SQL
	new <<'SQL'
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TABLE keep (id int);
CREATE TRIGGER keep_stamp BEFORE UPDATE ON keep FOR EACH ROW EXECUTE FUNCTION stamp();
SQL
	roundtrip --lock-timeout 0
	run heads
	assert_output "DROP POLICY p ON public.t;
DROP TRIGGER t_audit ON public.t;
DROP TABLE public.t;
DROP FUNCTION public.audit();
DROP FUNCTION public.ok(integer);"
}

@test "a function dropped and created again: the column defaults, table and domain CHECKs calling it go before and come back after" {
	old <<'SQL'
CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql AS 'select x * 2';
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql IMMUTABLE AS 'select a';
CREATE FUNCTION chk(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select x > 0';
CREATE DOMAIN pos AS int DEFAULT g(2) CHECK (chk(VALUE));
CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT g(1), v int CHECK (f(v) > 0), p pos);
INSERT INTO t VALUES (1, 2, 3, 4);
SQL
	new <<'SQL'
CREATE FUNCTION g(x int) RETURNS bigint LANGUAGE sql AS 'select x * 3';
CREATE FUNCTION f(b int) RETURNS int LANGUAGE sql IMMUTABLE AS 'select b';
CREATE FUNCTION chk(x bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select x > 0';
CREATE DOMAIN pos AS int DEFAULT g(2) CHECK (chk(VALUE));
CREATE TABLE t (id int PRIMARY KEY, a int DEFAULT g(1), v int CHECK (f(v) > 0), p pos);
SQL
	roundtrip
	run grep -E '^(ALTER|DROP|CREATE)' "$T/diff.sql"
	assert_output - <<'OUT'
ALTER DOMAIN public.pos DROP CONSTRAINT pos_check;
DROP FUNCTION public.chk(integer);
ALTER TABLE public.t DROP CONSTRAINT t_v_check;
DROP FUNCTION public.f(integer);
ALTER DOMAIN public.pos DROP DEFAULT;
ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT;
DROP FUNCTION public.g(integer);
CREATE FUNCTION public.chk(x bigint)
ALTER DOMAIN public.pos ADD CONSTRAINT pos_check CHECK (public.chk((VALUE)::bigint)) NOT VALID;
ALTER DOMAIN public.pos VALIDATE CONSTRAINT pos_check;
CREATE FUNCTION public.f(b integer)
ALTER TABLE public.t ADD CONSTRAINT t_v_check CHECK ((public.f(v) > 0)) NOT VALID;
ALTER TABLE public.t VALIDATE CONSTRAINT t_v_check;
CREATE FUNCTION public.g(x integer)
ALTER DOMAIN public.pos SET DEFAULT public.g(2);
ALTER TABLE public.t ALTER COLUMN a SET DEFAULT public.g(1);
OUT
}

@test "without --allow-destructive, what needs a destructive statement left out is left out with it, and the file applies" {
	old <<'SQL'
CREATE SCHEMA a;
CREATE TABLE a.t (id int PRIMARY KEY);
CREATE TYPE st AS ENUM ('x');
CREATE TABLE g (id int, adding int, s st);
SQL
	new <<'SQL'
CREATE TABLE g (id int, adding int GENERATED ALWAYS AS (1) STORED);
SQL
	load_db t${BATS_SUITE_TEST_NUMBER}_old "$T/old.sql"
	load_db t${BATS_SUITE_TEST_NUMBER}_new "$T/new.sql"
	conf-inspect -d t${BATS_SUITE_TEST_NUMBER}_old >"$T/a.jsonl"
	conf-inspect -d t${BATS_SUITE_TEST_NUMBER}_new >"$T/b.jsonl"
	run conf-diff "$T/a.jsonl" "$T/b.jsonl"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" >"$T/diff.sql"
	assert_output - <<'OUT'
SET lock_timeout = '5s';

-- hazard: data loss
-- destructive: left out without --allow-destructive
-- DROP TABLE a.t;

-- destructive: left out with a statement above that it needs: DROP TABLE a.t
-- DROP SCHEMA a;

-- hazard: data loss
-- destructive: left out without --allow-destructive
-- ALTER TABLE public.g DROP COLUMN adding;

-- hazard: table rewrite
-- hazard: access exclusive lock
-- destructive: left out with a statement above that it needs: ALTER TABLE public.g DROP COLUMN adding
-- ALTER TABLE public.g ADD COLUMN adding integer GENERATED ALWAYS AS (1) STORED;

-- hazard: data loss
-- destructive: left out without --allow-destructive
-- ALTER TABLE public.g DROP COLUMN s;

-- destructive: left out with a statement above that it needs: ALTER TABLE public.g DROP COLUMN s
-- DROP TYPE public.st;
OUT
	PGOPTIONS='-c client_min_messages=error' conf-apply -a -d t${BATS_SUITE_TEST_NUMBER}_old "$T/diff.sql"
	run conf-diff -j "$T/a.jsonl" "$T/b.jsonl"
	[ "$(grep -c '"skipped":true' <<<"$output")" -eq 6 ]
}

@test "a view dropped and created again gets its column comments back" {
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, a int, b text);
CREATE VIEW v AS SELECT id, a, b FROM t;
COMMENT ON VIEW v IS 'the view';
COMMENT ON COLUMN v.a IS 'col a';
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, a int, b text);
CREATE VIEW v AS SELECT id, b, a FROM t;
COMMENT ON VIEW v IS 'the view';
COMMENT ON COLUMN v.a IS 'col a';
SQL
	roundtrip
	run grep -E '^(DROP|CREATE|COMMENT)' "$T/diff.sql"
	assert_output - <<'OUT'
DROP VIEW public.v;
CREATE VIEW public.v (id, b, a) AS
COMMENT ON COLUMN public.v.a IS 'col a';
COMMENT ON VIEW public.v IS 'the view';
OUT
}

@test "a function dropped and created again: a stored generated column calling it is dropped before and added again after, recomputed; a policy comes back" {
	old <<'SQL'
CREATE FUNCTION ok(x int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select x > 0';
CREATE TABLE t (id int PRIMARY KEY, a int);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (ok(a));
CREATE TABLE u (id int, g boolean GENERATED ALWAYS AS (ok(id)) STORED);
INSERT INTO u VALUES (1), (-1);
SQL
	new <<'SQL'
CREATE FUNCTION ok(y int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'select y > 0';
CREATE TABLE t (id int PRIMARY KEY, a int);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (ok(a));
CREATE TABLE u (id int, g boolean GENERATED ALWAYS AS (ok(id)) STORED);
SQL
	roundtrip
	run grep -E '^(ALTER|DROP|CREATE)' "$T/diff.sql"
	assert_output - <<'OUT'
DROP POLICY p ON public.t;
ALTER TABLE public.u DROP COLUMN g;
DROP FUNCTION public.ok(integer);
CREATE FUNCTION public.ok(y integer)
ALTER TABLE public.u ADD COLUMN g boolean GENERATED ALWAYS AS (public.ok(id)) STORED;
CREATE POLICY p ON public.t FOR ALL TO public
OUT
	[ "$(psql -XAtq -d t${BATS_SUITE_TEST_NUMBER}_old -c "SELECT string_agg(id || ':' || g, ',' ORDER BY id) FROM u")" = "-1:false,1:true" ]
}

@test "a column dropped leaves the table's comment, grant and owner alone" {
	roles app_r
	old <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, a int);
COMMENT ON TABLE t IS 'the table';
GRANT SELECT ON t TO app_r;
SQL
	new <<'SQL'
CREATE TABLE t (id int PRIMARY KEY);
COMMENT ON TABLE t IS 'the table';
GRANT SELECT ON t TO app_r;
SQL
	roundtrip
	assert_output - <<'OUT'
SET lock_timeout = '5s';

-- hazard: data loss
ALTER TABLE public.t DROP COLUMN a;
OUT
}
