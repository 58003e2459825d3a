#!/usr/bin/env bats
# The front commands over conf-diff: confiture diff, drift, migrate generate, migrate preflight
# (pipelines/diff.sh, drift.sh, migrate-diff.sh), against a real server.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
}

# project: a project in $T/p whose environment local is the database $DB (new_db), with the
# schema file 10_t.sql from stdin, built into the database
project() {
	new_db
	P=$T/p
	mkdir -p "$P/db/schema" "$P/db/environments" "$P/db/migrations"
	printf 'database_url: %s\ninclude_dirs:\n  - db/schema\n' "$DBURL" >"$P/db/environments/local.yaml"
	cat >"$P/db/schema/10_t.sql"
	conf-concat -C "$P" -e local | conf-apply -a -d "$DBURL"
	cd "$P"
}

# schema: more schema files' SQL from stdin (20_more.sql), not in the database
schema() {
	cat >>"$P/db/schema/20_more.sql"
}

@test "diff: usage errors exit 5 with one message" {
	run --separate-stderr confiture diff --from a.sql
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "confiture: diff needs two sides: --from SRC --to DST"
	run --separate-stderr confiture diff --from - --to -
	assert_failure 5
	assert_equal "$stderr" "confiture: only one side can be standard input"
	cd "$T"
	run --separate-stderr confiture diff nothere other
	assert_failure 5
	assert_equal "$stderr" "confiture: nothere is no file, directory, database URL or environment (no db/environments/nothere.yaml)"
	: >"$T/e.sql"
	run --separate-stderr confiture diff e.sql e.sql --format yaml
	assert_failure 5
	assert_equal "$stderr" "confiture: --format is sql or json, not yaml"
	run --separate-stderr confiture diff e.sql e.sql --from
	assert_failure 5
	assert_equal "$stderr" "confiture: option --from needs a value"
}

@test "diff OLD.sql NEW.sql (upstream's form): the SQL, exit 1; the same schema: nothing, exit 0; --format json" {
	cd "$T"
	cat >old.sql <<'SQL'
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE VIEW v AS SELECT f(1) AS x;
SQL
	cat >new.sql <<'SQL'
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a + 1';
CREATE VIEW v AS SELECT f(1) AS x, 2 AS y;
COMMENT ON VIEW v IS 'vee';
SQL
	run --separate-stderr confiture diff old.sql new.sql
	assert_failure 1
	assert_equal "$stderr" ''
	assert_output "SET lock_timeout = '5s';

CREATE OR REPLACE FUNCTION public.f(a integer)
RETURNS integer
LANGUAGE sql
AS \$\$SELECT a + 1\$\$;

SET search_path = 'public';

CREATE OR REPLACE VIEW public.v (x, y) AS
SELECT f(1) AS x, 2 AS y;

COMMENT ON VIEW public.v IS 'vee';

RESET search_path;"
	run confiture diff --from new.sql --to - <new.sql
	assert_success
	assert_output ''
	run confiture diff --format json --from old.sql --to new.sql
	assert_failure 1
	assert_line --index 2 '{"kind":"change","id":"search_path","action":"set","sql":"SET search_path = '"'"'public'"'"'","hazards":[],"tx":true}'
	assert_line --index 4 '{"kind":"change","id":"comment:view:public.v","action":"create","sql":"COMMENT ON VIEW public.v IS '"'"'vee'"'"'","hazards":[],"tx":true}'
	# a model file is read as it is, a directory of SQL files as SQL
	conf-parse -m new.sql >new.jsonl
	mkdir d && cp new.sql d/
	run confiture diff --from new.jsonl --to d
	assert_success
	# a statement the model does not hold: an error naming it (exit 4); --skip-unmodeled leaves it
	# out, after conf-parse's warning
	printf "CREATE CONVERSION c1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;\n" >>new.sql
	run --separate-stderr confiture diff new.jsonl new.sql
	assert_failure 4
	assert_output ''
	assert_equal "$stderr" "conf-parse: new.sql:4:1: warning: CREATE CONVERSION is not in the model
conf-diff: new.sql:4:1: CREATE CONVERSION is a statement conf-parse did not model: conf-diff cannot compare it (--skip-unmodeled leaves such statements out)"
	run --separate-stderr confiture diff --skip-unmodeled new.jsonl new.sql
	assert_success
	assert_equal "$stderr" "conf-parse: new.sql:4:1: warning: CREATE CONVERSION is not in the model"
}

@test "diff --from ENV --to URL: the environment's files against a database" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text);
CREATE VIEW v AS SELECT id FROM t;
SQL
	run confiture diff --from local --to "$DBURL"
	assert_success
	# the tracking table is the database's, not the schema's: never a difference
	q "CREATE TABLE tb_confiture (id bigint PRIMARY KEY, version text); CREATE INDEX tb_v ON tb_confiture (version)"
	run --separate-stderr confiture diff --from "$DBURL" --to local
	assert_success
	assert_output ""
	q "CREATE OR REPLACE VIEW v AS SELECT id, v FROM t"
	run --separate-stderr confiture diff --from local --to "$DBURL"
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

CREATE OR REPLACE VIEW public.v (id, v) AS
SELECT t.id,
    t.v
   FROM public.t;"
}

@test "drift: exit 0 when the database matches its files (the tracking table left out), 1 with the SQL when not" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text);
CREATE VIEW v AS SELECT id FROM t;
SQL
	confiture migrate new init >/dev/null
	confiture migrate baseline --through "$(ls db/migrations | sed -n '1s/_.*//p')" 2>/dev/null
	[ "$(q "SELECT count(*) FROM tb_confiture")" = 1 ]
	run --separate-stderr confiture drift
	assert_success
	assert_output ''
	assert_equal "$stderr" "confiture: no drift: the database of local matches its schema files"
	q "CREATE FUNCTION hotfix() RETURNS int LANGUAGE sql RETURN 1"
	q "COMMENT ON VIEW v IS 'by hand'"
	run --separate-stderr confiture drift
	assert_failure 1
	assert_output "SET lock_timeout = '5s';

COMMENT ON VIEW public.v IS NULL;

DROP FUNCTION public.hotfix();"
	assert_equal "$stderr" "confiture: drift: the database of local differs from its schema files"
	run --separate-stderr confiture drift --env nothere
	assert_failure 5
	[[ $stderr == "conf-concat: "* ]]
	# a statement the model does not hold: exit 4 at it; --skip-unmodeled compares the rest
	schema <<'SQL'
CREATE CONVERSION c1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;
SQL
	run --separate-stderr confiture drift
	assert_failure 4
	assert_output ''
	assert_equal "${stderr##*$'\n'}" "conf-diff: db/schema/20_more.sql:1:1: CREATE CONVERSION is a statement conf-parse did not model: conf-diff cannot compare it (--skip-unmodeled leaves such statements out)"
	run --separate-stderr confiture drift --skip-unmodeled
	assert_failure 1
	assert_equal "$stderr" "conf-parse: db/schema/20_more.sql:1:1: warning: CREATE CONVERSION is not in the model
confiture: drift: the database of local differs from its schema files"
}

@test "migrate generate: the up and the reverse down; applied, the database has no drift; nothing to write: exit 0" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text);
SQL
	run --separate-stderr confiture migrate generate nothing_yet
	assert_success
	assert_output ''
	assert_equal "$stderr" "confiture: no differences between the database of local and the schema files of local: nothing written"
	[ -z "$(ls db/migrations)" ]
	schema <<'SQL'
CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql RETURN a * 2;
CREATE VIEW v AS SELECT id, f(id) AS twice FROM t;
SQL
	run --separate-stderr confiture migrate generate add_v
	assert_success
	up=${lines[0]} down=${lines[1]}
	[[ $up =~ ^db/migrations/[0-9]{14}_add_v\.up\.sql$ ]]
	[ "$down" = "${up%.up.sql}.down.sql" ]
	v=${up#db/migrations/}
	v=${v%%_*}
	run cat "$up"
	assert_output "-- $v: add_v (confiture migrate generate: the database of local -> the schema files of local)

SET lock_timeout = '5s';

CREATE FUNCTION public.f(a integer)
RETURNS integer
LANGUAGE sql
RETURN a * 2;

SET search_path = 'public';

CREATE VIEW public.v (id, twice) AS
SELECT id, f(id) AS twice FROM t;

RESET search_path;"
	run cat "$down"
	assert_output "-- Undo ${v}_add_v (confiture migrate generate: the reverse diff)

SET lock_timeout = '5s';

DROP VIEW public.v;

DROP FUNCTION public.f(integer);"
	confiture migrate up 2>/dev/null
	run confiture drift
	assert_success
	confiture migrate down 2>/dev/null
	[ "$(q "SELECT count(*) FROM pg_proc WHERE proname = 'f'")" = 0 ]
}

@test "migrate generate: destructive reversals are commented out and counted; --from-migrations replays into a scratch database" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY);
SQL
	confiture migrate new base >/dev/null
	printf 'CREATE TABLE t (id int PRIMARY KEY);\n' >>db/migrations/*_base.up.sql
	schema <<'SQL'
CREATE TABLE t2 (id int PRIMARY KEY);
SQL
	sleep 1
	# the migrations replayed make t; the files have t2 too
	run --separate-stderr confiture migrate generate add_t2 --from-migrations
	assert_success
	assert_equal "$stderr" ''
	down=${lines[1]}
	run sed -n '2p;/^-- hazard/,$p' "$down"
	assert_output "-- 1 destructive statement(s) below are commented out: review them
-- hazard: data loss
-- destructive: left out without --allow-destructive
-- DROP TABLE public.t2;"
	[ "$(grep -c '^CREATE TABLE public.t2' "${down%.down.sql}.up.sql")" = 1 ]
	[ "$(psql -XAtq -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_generate%'")" = 0 ]
}

@test "migrate preflight: a failing migration and schema the migrations do not reach exit 7; the target untouched" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text);
SQL
	run --separate-stderr confiture migrate preflight
	assert_success
	assert_equal "${stderr##*$'\n'}" "confiture: preflight: no pending migration, and the schema files are reached; $DB was not touched"
	[[ ${stderr%%$'\n'*} =~ ^"confiture: preflight on confiture_preflight_"[0-9]+", a copy of $DB"$ ]]
	# a migration that fails
	confiture migrate new bad >/dev/null
	printf 'CREATE VIEW w AS SELECT nope FROM t;\n' >>db/migrations/*_bad.up.sql
	f=$(ls db/migrations/*_bad.up.sql)
	run --separate-stderr confiture migrate preflight
	assert_failure 7
	assert_output ''
	[ "$(printf '%s\n' "$stderr" | sed -n 2p)" = "conf-migrate: $f:4:25: ERROR 42703: column \"nope\" does not exist" ]
	assert_equal "${stderr##*$'\n'}" "confiture: preflight: a pending migration fails (conf-migrate exit 1); $DB was not touched"
	# schema the migrations do not reach, and a rollback that does not restore the schema
	printf -- '-- fixed\nCREATE VIEW w AS SELECT v FROM t;\n' >"$f"
	printf 'DROP VIEW w;\nCREATE VIEW w AS SELECT 1 AS one;\n' >>"${f%.up.sql}.down.sql"
	schema <<'SQL'
CREATE VIEW w AS SELECT v FROM t;
CREATE FUNCTION g() RETURNS int LANGUAGE sql RETURN 7;
SQL
	run --separate-stderr confiture migrate preflight
	assert_failure 7
	assert_output "SET lock_timeout = '5s';

CREATE FUNCTION public.g()
RETURNS integer
LANGUAGE sql
RETURN 7;
SET lock_timeout = '5s';

DROP VIEW public.w;"
	printf '%s\n' "$stderr" | sed 1d >"$T/err"
	run cat "$T/err"
	assert_output "confiture: preflight: the schema files have changes the migrations do not reach (the SQL above)
confiture: preflight: rolling the pending migrations back does not restore the schema (the SQL above restores it)
confiture: preflight: 2 finding(s); $DB was not touched"
	# fixed: exit 0; and from the ledger instead of a copy
	printf 'DROP FUNCTION g();\nDROP VIEW w;\n' >"${f%.up.sql}.down.sql"
	printf 'CREATE FUNCTION g() RETURNS int LANGUAGE sql RETURN 7;\n' >>"$f"
	run --separate-stderr confiture migrate preflight
	assert_success
	assert_equal "${stderr##*$'\n'}" "confiture: preflight: 1 pending migration(s) apply, reach the schema files and roll back; $DB was not touched"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'w'")" = 0 ]
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'tb_confiture'")" = 0 ]
	[ "$(psql -XAtq -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_preflight%'")" = 0 ]
}

@test "migrate preflight --from-ledger: the copy built from the applied migrations" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY);
SQL
	q "DROP TABLE t"
	confiture migrate new base >/dev/null
	printf 'CREATE TABLE t (id int PRIMARY KEY);\n' >>db/migrations/*_base.up.sql
	confiture migrate up 2>/dev/null
	v=$(confiture migrate current)
	sleep 1
	confiture migrate new more >/dev/null
	printf 'CREATE VIEW w AS SELECT id FROM t;\n' >>db/migrations/*_more.up.sql
	printf 'DROP VIEW w;\n' >>db/migrations/*_more.down.sql
	schema <<'SQL'
CREATE VIEW w AS SELECT id FROM t;
SQL
	run --separate-stderr confiture migrate preflight --from-ledger
	assert_success
	[[ ${stderr%%$'\n'*} =~ ^"confiture: preflight on confiture_preflight_"[0-9]+", built from the migrations applied to $DB (up to $v)"$ ]]
	assert_equal "${stderr##*$'\n'}" "confiture: preflight: 1 pending migration(s) apply, reach the schema files and roll back; $DB was not touched"
	run --separate-stderr confiture migrate preflight --from-migrations
	assert_failure 5
	assert_equal "$stderr" "confiture: --from-migrations is an option of generate"
}

@test "migrate generate: CONCURRENTLY alone runs without the SET preamble; beside statements that need a transaction, the plain forms with it" {
	project <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, v text);
SQL
	schema <<'SQL'
CREATE INDEX t_v ON t (v);
SQL
	run --separate-stderr confiture migrate generate add_i
	assert_success
	assert_equal "$stderr" ''
	run sed 1d "${lines[0]}"
	assert_output "
-- hazard: index build
CREATE INDEX CONCURRENTLY t_v ON public.t (v);"
	rm db/migrations/*
	schema <<'SQL'
CREATE VIEW w AS SELECT v FROM t;
SQL
	run --separate-stderr confiture migrate generate add_iw
	assert_success
	up=${lines[0]} down=${lines[1]}
	assert_equal "$stderr" "confiture: ${up##*/}: online forms (CONCURRENTLY) cannot share a migration with statements that need a transaction: written in the plain forms, which take stronger locks
confiture: ${down##*/}: online forms (CONCURRENTLY) cannot share a migration with statements that need a transaction: written in the plain forms, which take stronger locks"
	run sed 1d "$up"
	assert_output "
SET lock_timeout = '5s';

SET search_path = 'public';

CREATE VIEW public.w (v) AS
SELECT v FROM t;

-- hazard: index build
-- hazard: share lock
CREATE INDEX t_v ON public.t (v);

RESET search_path;"
	confiture migrate up 2>/dev/null
	run confiture drift
	assert_success
	confiture migrate down 2>/dev/null
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('w', 't_v')")" = 0 ]
	# an index alone whose expression needs the search_path: the SET would need a transaction,
	# so the plain form, in one
	rm db/migrations/*
	q "CREATE FUNCTION lo(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN lower(x)"
	sed -i '/^CREATE INDEX t_v/d; /^CREATE VIEW w/d' db/schema/20_more.sql
	schema <<'SQL'
CREATE FUNCTION lo(x text) RETURNS text LANGUAGE sql IMMUTABLE RETURN lower(x);
CREATE INDEX t_lo ON t (lo(v));
SQL
	run --separate-stderr confiture migrate generate add_lo
	assert_success
	up=${lines[0]}
	assert_equal "${stderr%%$'\n'*}" "confiture: ${up##*/}: online forms (CONCURRENTLY) cannot share a migration with statements that need a transaction: written in the plain forms, which take stronger locks"
	run sed 1d "$up"
	assert_output "
SET lock_timeout = '5s';

SET search_path = 'public';

-- hazard: index build
-- hazard: share lock
CREATE INDEX t_lo ON public.t ((lo(v)));

RESET search_path;"
	confiture migrate up 2>/dev/null
	run confiture drift
	assert_success
}

@test "migrate generate: an enum value added and used in one change is two migrations, the values committed by the first" {
	project <<'SQL'
CREATE TYPE st AS ENUM ('new', 'done');
CREATE TABLE t (id int PRIMARY KEY, s st NOT NULL DEFAULT 'new');
INSERT INTO t VALUES (1, 'new');
SQL
	sed -i "s/('new', 'done')/('new', 'doing', 'done')/; s/DEFAULT 'new'/DEFAULT 'doing'/" db/schema/10_t.sql
	schema <<'SQL'
CREATE VIEW open_t AS SELECT id FROM t WHERE s = 'doing';
SQL
	run --separate-stderr confiture migrate generate doing
	assert_success
	[ "${#lines[@]}" -eq 4 ]
	up1=${lines[0]} down1=${lines[1]} up2=${lines[2]} down2=${lines[3]}
	v1=${up1#db/migrations/} v2=${up2#db/migrations/}
	v1=${v1%%_*} v2=${v2%%_*}
	[ "$up1" = "db/migrations/${v1}_doing.up.sql" ] && [ "$up2" = "db/migrations/${v2}_doing_2.up.sql" ]
	[ "$(date -u -d "${v2:0:8} ${v2:8:2}:${v2:10:2}:${v2:12:2}" +%s)" -eq $(($(date -u -d "${v1:0:8} ${v1:8:2}:${v1:10:2}:${v1:12:2}" +%s) + 1)) ]
	assert_equal "$stderr" "confiture: ${v1}_doing.up.sql: what it adds must commit before it is used (-- conf-diff: commit): split into ${v1}_doing and ${v2}_doing_2"
	run sed 1d "$up1"
	assert_output "
SET lock_timeout = '5s';

-- conf-diff: commit: what this adds is used only after it commits
ALTER TYPE public.st ADD VALUE 'doing' BEFORE 'done';"
	run sed 1d "$up2"
	assert_output "
SET lock_timeout = '5s';

ALTER TABLE public.t ALTER COLUMN s SET DEFAULT 'doing';

SET search_path = 'public';

CREATE VIEW public.open_t (id) AS
SELECT id FROM t WHERE s = 'doing';

RESET search_path;"
	run cat "$down1"
	assert_output "-- Undo ${v1}_doing: nothing left to undo (the down of ${v2}_doing_2 undoes both)"
	grep -q "DROP VIEW public.open_t" "$down2"
	run --separate-stderr confiture migrate up
	assert_success
	run confiture drift
	assert_success
	[ "$(q "SELECT count(*) FROM open_t")" = 0 ]
	confiture migrate down 2>/dev/null
	confiture migrate down 2>/dev/null
	# the value's removal is destructive, so commented out: the view and the default are undone
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'open_t'")" = 0 ]
	[ "$(q "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE adrelid = 't'::regclass")" = "'new'::st" ]
}
