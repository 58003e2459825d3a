#!/usr/bin/env bats
# conf-lint and confiture lint: exact findings, exit statuses and messages, per rule family

load helper

# lint SQL [OPTIONS...]: conf-lint over SQL given as a string, on stdin
lint() {
	local sql=$1
	shift
	conf-lint "$@" - <<<"$sql"
}

@test "locks: an existing table gets the lock rules, one created earlier in the file does not" {
	run lint 'ALTER TABLE users ADD COLUMN age int NOT NULL;
CREATE INDEX users_age ON users (age);' --select adding-required-field,require-concurrent-index-creation
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:30: error: adding-required-field: column users.age is added NOT NULL without a default
<stdin>:2:1: error: require-concurrent-index-creation: index on users built without CONCURRENTLY' ]
	run lint 'CREATE TABLE users (id bigint);
ALTER TABLE users ADD COLUMN age int NOT NULL;
CREATE INDEX users_age ON users (age);' --select adding-required-field,require-concurrent-index-creation
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
}

@test "constraints: NOT VALID, then VALIDATE in another transaction; SET NOT NULL after a validated check" {
	run lint 'ALTER TABLE a ADD CONSTRAINT a_fk FOREIGN KEY (b) REFERENCES b (id);' --select adding-foreign-key-constraint,constraint-missing-not-valid
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:19: error: adding-foreign-key-constraint: foreign key a_fk added to table a without NOT VALID
<stdin>:1:19: error: constraint-missing-not-valid: constraint a_fk added to table a without NOT VALID' ]
	run lint 'ALTER TABLE a ADD CONSTRAINT c CHECK (x IS NOT NULL) NOT VALID;
ALTER TABLE a VALIDATE CONSTRAINT c;
ALTER TABLE a ALTER COLUMN x SET NOT NULL;' --select adding-not-null-field,constraint-missing-not-valid
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	run lint 'ALTER TABLE a ALTER COLUMN x SET NOT NULL;' --select adding-not-null-field
	[ "$output" = '<stdin>:1:1: error: adding-not-null-field: column a.x is set NOT NULL' ]
	run lint 'BEGIN; ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID; ALTER TABLE a VALIDATE CONSTRAINT c; COMMIT;' --select constraint-missing-not-valid
	[ "$output" = '<stdin>:1:64: error: constraint-missing-not-valid: constraint c is validated in the transaction that added it' ]
}

@test "bans: drops, renames, domains, enum values, TRUNCATE CASCADE, duplicate assignments, long names, VACUUM FULL" {
	run lint 'ALTER TABLE t DROP COLUMN a;
ALTER TABLE t ALTER COLUMN b DROP NOT NULL;
DROP TABLE IF EXISTS u, s.w;
DROP DATABASE d;
DROP INDEX i;
TRUNCATE a, b CASCADE;
ALTER TABLE t RENAME COLUMN c TO d;
ALTER TABLE t RENAME TO v;
ALTER DOMAIN dm ADD CONSTRAINT p CHECK (VALUE > 0);
CREATE DOMAIN dn AS int CHECK (VALUE > 0);
ALTER TYPE e ADD VALUE $$x$$;
UPDATE t SET a = 1, b = 2, a = 3;
CREATE TABLE IF NOT EXISTS table_very_long_very_long_very_long_very_long_very_long_very_long (id bigint PRIMARY KEY);
VACUUM FULL t;' --ignore prefer-robust-stmts,require-timeout-settings,missing-table-comment
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:1: error: ban-drop-column: column t.a is dropped
<stdin>:2:1: error: ban-drop-not-null: NOT NULL dropped from column t.b
<stdin>:3:1: error: ban-drop-table: table u, s.w dropped
<stdin>:4:1: error: ban-drop-database: database d dropped
<stdin>:5:1: error: require-concurrent-index-deletion: index i dropped without CONCURRENTLY
<stdin>:6:1: error: ban-truncate-cascade: TRUNCATE with CASCADE
<stdin>:7:1: error: renaming-column: column t.c renamed to d
<stdin>:8:1: error: renaming-table: table t renamed to v
<stdin>:9:1: error: ban-alter-domain-with-add-constraint: constraint added to domain dm
<stdin>:10:1: error: ban-create-domain-with-constraint: domain dn created with a constraint
<stdin>:11:1: warning: require-enum-value-ordering: enum value '"'x'"' added without BEFORE or AFTER
<stdin>:12:28: error: ban-duplicate-column-assignments: column a is assigned twice
<stdin>:13:28: error: identifier-too-long: identifier table_very_long_very_long_very_long_very_long_very_long_very_long is 65 bytes long: PostgreSQL keeps its first 63' ]
	# prefer-repack is off by default (REPACK is PostgreSQL 19's)
	run lint 'VACUUM FULL t; CLUSTER t; VACUUM (FULL false) t;' --select prefer-repack
	[ "$output" = '<stdin>:1:1: warning: prefer-repack: VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock
<stdin>:1:16: warning: prefer-repack: CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock' ]
}

@test "types: char, int, smallint, serial, varchar(n), timestamp, each named with its column" {
	run lint 'CREATE TABLE IF NOT EXISTS public.t (id bigint PRIMARY KEY, a char(2), b int, c smallint, d serial, e varchar(9), f timestamp, g text);
COMMENT ON TABLE t IS $$x$$;' --ignore require-timeout-settings
	[ "$status" -eq 0 ]
	[ "$output" = '<stdin>:1:63: warning: ban-char-field: column t.a is char(n)
<stdin>:1:74: warning: prefer-bigint-over-int: column t.b is a 32-bit integer
<stdin>:1:81: warning: prefer-bigint-over-smallint: column t.c is a 16-bit integer
<stdin>:1:93: warning: prefer-bigint-over-int: column t.d is a 32-bit integer
<stdin>:1:93: warning: prefer-identity: column t.d is serial
<stdin>:1:103: warning: prefer-text-field: column t.e is varchar(n)
<stdin>:1:117: warning: prefer-timestamptz: column t.f is timestamp without time zone' ]
	run lint 'CREATE TABLE IF NOT EXISTS public.t (id bigint PRIMARY KEY, f timestamp);' --select prefer-timestamptz --fail-on warning
	[ "$status" -eq 1 ]
}

@test "transactions: BEGIN without COMMIT, nested BEGIN, COMMIT in an assumed transaction" {
	run lint 'BEGIN;
CREATE TABLE t (id bigint);' --select ban-uncommitted-transaction,transaction-nesting
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:1: error: ban-uncommitted-transaction: BEGIN without COMMIT' ]
	run lint 'BEGIN; BEGIN; COMMIT;' --select ban-uncommitted-transaction,transaction-nesting
	[ "$output" = '<stdin>:1:8: error: transaction-nesting: BEGIN inside a transaction already begun' ]
	run lint 'SELECT 1; COMMIT;' --select transaction-nesting --assume-in-transaction
	[ "$output" = '<stdin>:1:11: error: transaction-nesting: COMMIT ends the transaction the migration runs in' ]
	run lint '-- squawk-disable-assume-in-transaction
BEGIN; SELECT 1; COMMIT;' --select transaction-nesting --assume-in-transaction
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
}

@test "timeouts: one finding each, before the first locking statement; require-timeout-settings names both" {
	run lint 'SET lock_timeout = $$1s$$;
ALTER TABLE t ADD COLUMN c boolean;
ALTER TABLE t ADD COLUMN d boolean;' --select require-timeout-settings --fail-on warning
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:2:1: warning: require-statement-timeout: statement that takes locks before SET statement_timeout' ]
	run lint 'COMMENT ON COLUMN t.c IS $$an id$$;' --select require-timeout-settings
	[ "$status" -eq 0 ]
	[ "$output" = '<stdin>:1:1: warning: require-lock-timeout: statement takes a SHARE UPDATE EXCLUSIVE lock (blocking schema changes) before SET lock_timeout
<stdin>:1:1: warning: require-statement-timeout: statement that takes locks before SET statement_timeout' ]
	# the lock each kind of statement takes, in the message
	run lint 'LOCK TABLE t IN ACCESS SHARE MODE;' --select require-lock-timeout
	[ "$output" = '<stdin>:1:1: warning: require-lock-timeout: statement takes an ACCESS SHARE lock (blocking schema changes) before SET lock_timeout' ]
	run lint 'ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;' --select require-lock-timeout
	[ "$output" = '<stdin>:1:1: warning: require-lock-timeout: statement takes a SHARE ROW EXCLUSIVE lock (blocking writes and schema changes) before SET lock_timeout' ]
	run lint 'REINDEX (CONCURRENTLY false) INDEX idx;' --select require-lock-timeout
	[ "$output" = '<stdin>:1:1: warning: require-lock-timeout: statement takes an ACCESS EXCLUSIVE lock (blocking reads, writes and schema changes) before SET lock_timeout' ]
	run lint 'VACUUM (FULL false) t;' --select require-lock-timeout
	[ "$output" = '<stdin>:1:1: warning: require-lock-timeout: statement takes a SHARE UPDATE EXCLUSIVE lock (blocking schema changes) before SET lock_timeout' ]
	run lint 'CREATE TYPE mood AS ENUM ($$a$$);' --select require-lock-timeout
	[ "$output" = '<stdin>:1:1: warning: require-lock-timeout: statement that takes locks before SET lock_timeout' ]
	# squawk's ok_only_lock_timeout_rule_enabled: only the lock rule on
	run lint 'SET lock_timeout = $$1s$$; ALTER TABLE t ADD COLUMN c boolean;' --select require-lock-timeout
	[ "$output" = '' ]
	run lint 'SET lock_timeout = 1000; SET statement_timeout = 5000; ALTER TABLE t ADD COLUMN c boolean;' --select require-timeout-settings
	[ "$output" = '' ]
	run lint '-- squawk-ignore require-timeout-settings
ALTER TABLE t ADD COLUMN c boolean;' --select require-timeout-settings
	[ "$output" = '' ]
}

@test "ignore comments: conf-lint's and squawk's, for one statement or the file" {
	run lint '-- conf-lint: ignore ban-drop-column
ALTER TABLE t DROP COLUMN a;
ALTER TABLE t DROP COLUMN b;' --select ban-drop-column
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:3:1: error: ban-drop-column: column t.b is dropped' ]
	run lint '-- squawk-ignore ban-drop-column, renaming-column
ALTER TABLE t DROP COLUMN a;' --select ban-drop-column
	[ "$status" -eq 0 ]
	run lint 'SELECT 1;
-- squawk-ignore-file ban-drop-table
DROP TABLE a; DROP TABLE b;' --select ban-drop-table
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
}

@test "hygiene: primary key and comment found later in the stream, SECURITY DEFINER, sensitive columns" {
	run lint 'CREATE TABLE public.a (id bigint, password_hash text);
ALTER TABLE a ADD PRIMARY KEY (id);
COMMENT ON TABLE a IS $$accounts$$;
CREATE TABLE b (id bigint);
CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$select 1$$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$select 1$$;' \
		--select missing-primary-key,missing-table-comment,sensitive-column-comment,security-definer-search-path
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:35: warning: sensitive-column-comment: column a.password_hash may hold sensitive data and has no comment
<stdin>:4:1: warning: missing-primary-key: table b has no primary key
<stdin>:4:1: info: missing-table-comment: table b has no comment
<stdin>:5:1: error: security-definer-search-path: function f is SECURITY DEFINER without SET search_path' ]
}

@test "hygiene: sensitive columns added to a table the input did not create" {
	run lint 'ALTER TABLE users ADD COLUMN api_key text, ADD COLUMN ssn text;
COMMENT ON COLUMN users.ssn IS $$encrypted with pgcrypto$$;' --select sensitive-column-comment
	[ "$status" -eq 0 ]
	[ "$output" = '<stdin>:1:30: warning: sensitive-column-comment: column users.api_key may hold sensitive data and has no comment' ]
}

@test "hygiene: a partition attached later needs neither a primary key nor a comment of its own" {
	run lint 'CREATE TABLE public.p (id bigint, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
COMMENT ON TABLE p IS $$parent$$;
CREATE TABLE public.p_2026 (id bigint, at date);
CREATE TABLE public.q (id bigint);
ALTER TABLE ONLY p ATTACH PARTITION p_2026 FOR VALUES FROM ($$2026-01-01$$) TO ($$2027-01-01$$);' \
		--select missing-primary-key,missing-table-comment
	[ "$status" -eq 0 ]
	[ "$output" = '<stdin>:4:1: warning: missing-primary-key: table q has no primary key
<stdin>:4:1: info: missing-table-comment: table q has no comment' ]
}

@test "search_path: unqualified tables are in the first schema of the path set so far" {
	run lint 'SET search_path = app;
CREATE TABLE t (id bigint PRIMARY KEY);
COMMENT ON TABLE app.t IS $$x$$;
CREATE TABLE u (id bigint PRIMARY KEY);
COMMENT ON TABLE public.u IS $$x$$;
SELECT pg_catalog.set_config($$search_path$$, $$$$, false);
ALTER TABLE t ADD COLUMN c int NOT NULL;' --select missing-table-comment,adding-required-field
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:4:1: info: missing-table-comment: table u has no comment
<stdin>:7:26: error: adding-required-field: column t.c is added NOT NULL without a default' ]
}

@test "positions go through conf-concat markers to the original files" {
	mkdir -p "$BATS_TEST_TMPDIR/p/db/schema"
	printf 'CREATE TABLE IF NOT EXISTS a (id bigint PRIMARY KEY);\n' >"$BATS_TEST_TMPDIR/p/db/schema/1.sql"
	printf -- '-- two\n\nDROP TABLE a;\n' >"$BATS_TEST_TMPDIR/p/db/schema/2.sql"
	conf-concat -C "$BATS_TEST_TMPDIR/p" db/schema >"$BATS_TEST_TMPDIR/s.sql"
	run conf-lint --select ban-drop-table -j "$BATS_TEST_TMPDIR/s.sql"
	[ "$status" -eq 1 ]
	[ "$output" = '{"kind":"lint_finding","rule":"ban-drop-table","severity":"error","file":"db/schema/2.sql","line":3,"col":1,"message":"table a dropped","help":"stop using the table first, rename it away, drop it in a later release","url":"https://squawkhq.com/docs/ban-drop-table"}' ]
}

@test "a model: type changes that keep the values are no rewrite, SET NOT NULL after a validated check of another migration" {
	printf 'CREATE TABLE t (id bigint primary key, name varchar(20), n numeric(10,2), x int);
ALTER TABLE t ADD CONSTRAINT t_x_nn CHECK (x IS NOT NULL) NOT VALID;
ALTER TABLE t ADD CONSTRAINT t_n_nn CHECK (n IS NOT NULL);\n' | conf-parse -m >"$BATS_TEST_TMPDIR/m"
	sql='ALTER TABLE t ALTER COLUMN name TYPE varchar(30);
ALTER TABLE t ALTER COLUMN name TYPE text;
ALTER TABLE t ALTER COLUMN name TYPE varchar(10);
ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2);
ALTER TABLE t ALTER COLUMN n TYPE numeric(12,3);
ALTER TABLE t ALTER COLUMN x TYPE bigint;
ALTER TABLE t ALTER COLUMN id SET NOT NULL;
ALTER TABLE t ALTER COLUMN n SET NOT NULL;
ALTER TABLE t ALTER COLUMN x SET NOT NULL;'
	run lint "$sql" -m "$BATS_TEST_TMPDIR/m" --select changing-column-type,adding-not-null-field
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:3:28: error: changing-column-type: column t.name changes type from character varying(20)
<stdin>:5:28: error: changing-column-type: column t.n changes type from numeric(10,2)
<stdin>:6:28: error: changing-column-type: column t.x changes type from integer
<stdin>:9:1: error: adding-not-null-field: column t.x is set NOT NULL' ]
	# without the model, every one of them
	run lint "$sql" --select changing-column-type,adding-not-null-field
	[ "${#lines[@]}" -eq 9 ]
	[ "${lines[0]}" = '<stdin>:1:28: error: changing-column-type: column t.name changes type' ]
	run --separate-stderr lint 'SELECT 1;' -m "$BATS_TEST_TMPDIR/nope"
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-lint: $BATS_TEST_TMPDIR/nope: No such file or directory" ]
}

@test "errors: a statement that does not parse, an unknown rule, a bad format, a bad config key" {
	run --separate-stderr lint 'ALTER TABLE t DROP COLUMN a;
CREATE TABLE (;' --select ban-drop-column
	[ "$status" -eq 4 ]
	[ "$output" = '<stdin>:1:1: error: ban-drop-column: column t.a is dropped' ]
	[ "$stderr" = 'conf-lint: <stdin>:2:14: syntax error at or near "("' ]
	run --separate-stderr lint 'SELECT 1;' --select no-such-rule
	[ "$status" -eq 5 ]
	[ "$stderr" = 'conf-lint: --select: no rule named no-such-rule' ]
	run --separate-stderr lint 'SELECT 1;' --format xml
	[ "$status" -eq 5 ]
	[ "$stderr" = 'conf-lint: --format wants gcc, json, github or sarif, not xml' ]
	printf 'lint:\n  rules:\n    ban-drop-column: off\n  colour: red\n' >"$BATS_TEST_TMPDIR/e.yaml"
	run --separate-stderr lint 'SELECT 1;' -c "$BATS_TEST_TMPDIR/e.yaml"
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-lint: $BATS_TEST_TMPDIR/e.yaml:4:3: unknown key in lint:" ]
}

@test "config: rules on and off, severity, upstream's keys and family list, tenant column" {
	printf 'lint:\n  fail_on_warning: true\n  rules:\n    ban-drop-column: warning\n    prefer-robust-stmts: off\n  tenant_column: tenant_id\n' >"$BATS_TEST_TMPDIR/e.yaml"
	run lint 'ALTER TABLE t DROP COLUMN a; CREATE TABLE public.u (id bigint PRIMARY KEY);' -c "$BATS_TEST_TMPDIR/e.yaml" --ignore require-timeout-settings,missing-table-comment
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:1: warning: ban-drop-column: column t.a is dropped
<stdin>:1:43: warning: tenant-column: table u has no column tenant_id' ]
	# pg_version, and the option over it
	printf 'lint:\n  pg_version: 10\n' >"$BATS_TEST_TMPDIR/pg.yaml"
	run lint 'ALTER TABLE t ADD COLUMN c int DEFAULT 1;' -c "$BATS_TEST_TMPDIR/pg.yaml" --select adding-field-with-default
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:32: error: adding-field-with-default: column t.c is added with a default: before PostgreSQL 11 this rewrites the table' ]
	run lint 'ALTER TABLE t ADD COLUMN c int DEFAULT 1;' -c "$BATS_TEST_TMPDIR/pg.yaml" --pg-version 15 --select adding-field-with-default
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	printf 'build:\n  lint:\n    enabled: true\n    rules: [primary_key]\n' >"$BATS_TEST_TMPDIR/u.yaml"
	run lint 'CREATE TABLE IF NOT EXISTS public.u (id bigint);' -c "$BATS_TEST_TMPDIR/u.yaml" --ignore require-timeout-settings
	[ "$status" -eq 0 ]
	[ "$output" = '<stdin>:1:1: warning: missing-primary-key: table u has no primary key' ]
}

@test "--list-rules: every rule once, with its severity in force" {
	run conf-lint --list-rules --ignore ban-drop-table
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 44 ]
	[ "${lines[13]}" = "$(printf 'ban-drop-table\toff\tsquawk\tdropping a table loses its data and breaks clients still using it')" ]
}

@test "confiture lint: migrations in a transaction each, db/schema as one stream, upstream's formats" {
	p=$BATS_TEST_TMPDIR/p
	mkdir -p "$p/db/migrations" "$p/db/schema" "$p/db/environments"
	printf 'include_dirs:\n  - db/schema\nlint:\n  rules: {prefer-bigint-over-int: off}\n' >"$p/db/environments/local.yaml"
	printf 'CREATE TABLE users (id bigint primary key, name varchar(20));\nCOMMENT ON TABLE users IS $$people$$;\n' >"$p/db/schema/10_users.sql"
	printf 'SET lock_timeout = 1000; SET statement_timeout = 5000;\nALTER TABLE users ADD COLUMN age int NOT NULL;\n' >"$p/db/migrations/001_age.up.sql"
	printf 'ALTER TABLE users DROP COLUMN age;\n' >"$p/db/migrations/001_age.down.sql"
	printf 'DROP TABLE users;\n' >"$p/db/migrations/001_age.verify.sql"
	# the schema's own rules (and not the migrations' lock rules) on db/schema: a domain check is design
	printf 'CREATE DOMAIN email AS text CHECK (VALUE ~ $$@$$);\n' >"$p/db/schema/00_types.sql"
	# the other tools read the same environment file: its lint: section is conf-lint's
	run conf-concat -C "$p" -e local
	[ "$status" -eq 0 ]
	run confiture lint --project-dir "$p"
	[ "$status" -eq 1 ]
	[ "$output" = 'db/migrations/001_age.up.sql:2:30: error: adding-required-field: column users.age is added NOT NULL without a default
db/schema/10_users.sql:1:49: warning: prefer-text-field: column users.name is varchar(n)' ]
	run confiture lint --project-dir "$p" --format csv --ignore adding-required-field
	[ "$status" -eq 0 ]
	[ "$output" = 'file,line,col,severity,rule,message
"db/schema/10_users.sql",1,49,"warning","prefer-text-field","column users.name is varchar(n)"' ]
	run confiture lint --project-dir "$p" --format json --fail-on-warning --ignore adding-required-field
	[ "$status" -eq 1 ]
	[ "$(jq -r .rule <<<"$output")" = prefer-text-field ]
	run confiture lint --project-dir "$p" --output "$BATS_TEST_TMPDIR/o.txt" --select prefer-text-field
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	[ "$(cat "$BATS_TEST_TMPDIR/o.txt")" = 'db/schema/10_users.sql:1:49: warning: prefer-text-field: column users.name is varchar(n)' ]
	run confiture lint --project-dir "$p" --list-rules
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 44 ]
	[ "${lines[21]}" = "$(printf 'prefer-bigint-over-int\toff\tsquawk\t32-bit integer columns can run out of values')" ]
	run --separate-stderr confiture lint --project-dir "$p" --format xml
	[ "$status" -eq 5 ]
	[ "$stderr" = 'confiture: --format wants table, json or csv, not xml' ]
	run --separate-stderr confiture lint --frob
	[ "$status" -eq 5 ]
	[ "${stderr##*$'\n'}" = 'confiture: unknown option: --frob' ]
}

@test "COPY data between statements: a line of data is no ignore comment" {
	run lint 'COPY t (a) FROM stdin;
-- conf-lint: ignore ban-drop-table
\.
DROP TABLE a;' --select ban-drop-table
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:4:1: error: ban-drop-table: table a dropped' ]
	run conf-lint -j "$CORPUS/schemas/pagila-data-e0e35a6.sql"
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
}

@test "conf-parse records in, the same findings as from the SQL; empty input; a line that is no record" {
	printf -- '-- c\nCREATE TABLE t (id bigint);\nALTER TABLE t\n  DROP COLUMN id, ADD COLUMN x int NOT NULL;\n' >"$BATS_TEST_TMPDIR/r.sql"
	conf-lint --fail-on never "$BATS_TEST_TMPDIR/r.sql" >"$BATS_TEST_TMPDIR/from-sql"
	run conf-lint --fail-on never - < <(conf-parse "$BATS_TEST_TMPDIR/r.sql")
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/from-sql")" ]
	[ "${lines[8]}" = "$BATS_TEST_TMPDIR/r.sql:4:32: warning: prefer-bigint-over-int: column t.x is a 32-bit integer" ]
	run conf-lint - </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	run --separate-stderr conf-lint --select ban-drop-table - <<<'{"kind":"stmt","sql":"DROP TABLE t","file":"a.sql","line":3,"col":1,"tag":"DROP TABLE","tx":true}
{"bad'
	[ "$status" -eq 4 ]
	[ "$output" = 'a.sql:3:1: error: ban-drop-table: table t dropped' ]
	[ "$stderr" = "conf-lint: <stdin>:2:5: not a record of conf-parse: premature end of input near '\"bad'" ]
}

@test "--conf-migrate: the runner's BEGIN/COMMIT are its own, a CONCURRENTLY file runs outside a transaction, a mixed one is refused" {
	printf 'BEGIN;\nALTER TABLE t ADD COLUMN b bigint;\nCOMMIT;\n' >"$BATS_TEST_TMPDIR/1.sql"
	printf 'CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\nDROP INDEX CONCURRENTLY IF EXISTS j;\n' >"$BATS_TEST_TMPDIR/2.sql"
	printf 'BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nALTER TABLE t ADD COLUMN b bigint;\nCOMMIT;\n' >"$BATS_TEST_TMPDIR/3.sql"
	cd "$BATS_TEST_TMPDIR"
	run conf-lint --conf-migrate --ignore require-timeout-settings 1.sql 2.sql 3.sql
	[ "$status" -eq 1 ]
	[ "$output" = '3.sql:2:1: warning: prefer-robust-stmts: missing IF NOT EXISTS: the migration cannot be rerun if it fails part way
3.sql:2:1: error: conf-migrate-mixed-transaction: CREATE INDEX CONCURRENTLY in a migration with statements that must run in a transaction
3.sql:3:1: warning: prefer-robust-stmts: missing IF NOT EXISTS: the migration cannot be rerun if it fails part way' ]
	# squawk's view of the same files: every file in a transaction of its own
	run conf-lint --assume-in-transaction --ignore require-timeout-settings 1.sql 2.sql 3.sql
	[ "$output" = '1.sql:1:1: error: transaction-nesting: BEGIN inside the transaction the migration runs in
1.sql:3:1: error: transaction-nesting: COMMIT ends the transaction the migration runs in
2.sql:1:1: error: ban-concurrent-index-creation-in-transaction: CREATE INDEX CONCURRENTLY inside the transaction the migration runs in
3.sql:1:1: error: transaction-nesting: BEGIN inside the transaction the migration runs in
3.sql:2:1: error: ban-concurrent-index-creation-in-transaction: CREATE INDEX CONCURRENTLY inside a transaction
3.sql:2:1: warning: prefer-robust-stmts: missing IF NOT EXISTS: the migration cannot be rerun if it fails part way
3.sql:4:1: error: transaction-nesting: COMMIT ends the transaction the migration runs in' ]
}

@test "messages stay one valid UTF-8 line: a Latin-1 byte or a newline in an identifier becomes '?'" {
	printf 'CREATE TABLE t\351%s (id bigint);\nCREATE TABLE "a\n%s" (id bigint);\n' "$(printf 'a%.0s' {1..70})" "$(printf 'b%.0s' {1..70})" >"$BATS_TEST_TMPDIR/l1.sql"
	run conf-lint -j --select identifier-too-long "$BATS_TEST_TMPDIR/l1.sql"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(jq -r .message <<<"${lines[0]}")" = "identifier t?$(printf 'a%.0s' {1..70}) is 72 bytes long: PostgreSQL keeps its first 63" ]
	[ "$(jq -r .message <<<"${lines[1]}")" = "identifier \"a?$(printf 'b%.0s' {1..70})\" is 72 bytes long: PostgreSQL keeps its first 63" ]
}

@test "ignore comments by place, as squawk reads them: trailing, slash-star, inside a statement, -file anywhere, a reason" {
	# a comment quiets its rules on its own line and the next
	run lint 'DROP TABLE a; -- squawk-ignore ban-drop-table
DROP TABLE b;
DROP TABLE c;' --select ban-drop-table
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:3:1: error: ban-drop-table: table c dropped' ]
	run lint '/* squawk-ignore ban-drop-table */
DROP TABLE a;
/* conf-lint: ignore ban-drop-table */ DROP TABLE b;' --select ban-drop-table
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	# inside an ALTER TABLE, before the clause it is about; the other clause is still reported
	run lint 'ALTER TABLE foo
-- squawk-ignore adding-field-with-default
ADD COLUMN bar numeric GENERATED ALWAYS AS (1 + baz) STORED,
ADD COLUMN baz numeric GENERATED ALWAYS AS (2) STORED;' --select adding-field-with-default
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:4:24: error: adding-field-with-default: column foo.baz is added as a stored generated column' ]
	# a -file comment anywhere quiets the statements before it too
	run lint 'DROP TABLE a;
-- squawk-ignore-file ban-drop-table
DROP TABLE b;' --select ban-drop-table
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	# text after a second -- is a reason, not a rule; a directive in a string or a body is none
	run lint '-- squawk-ignore ban-drop-column -- ban-drop-table is fine here
DROP TABLE a;
SELECT $$
-- squawk-ignore-file ban-drop-table
$$, $q$-- squawk-ignore ban-drop-table$q$;
DROP TABLE b;' --select ban-drop-table
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:2:1: error: ban-drop-table: table a dropped
<stdin>:6:1: error: ban-drop-table: table b dropped' ]
}

@test "ignore comments by place through conf-concat markers: a trailing comment stays in its file" {
	p=$BATS_TEST_TMPDIR/p
	mkdir -p "$p/db/schema"
	printf 'SELECT 1;\nDROP TABLE a; -- squawk-ignore ban-drop-table\n' >"$p/db/schema/1.sql"
	printf 'DROP TABLE b;\nDROP TABLE c; /* conf-lint: ignore ban-drop-table */\nDROP TABLE d;\n' >"$p/db/schema/2.sql"
	conf-concat -C "$p" db/schema >"$BATS_TEST_TMPDIR/s.sql"
	run conf-lint --select ban-drop-table "$BATS_TEST_TMPDIR/s.sql"
	[ "$status" -eq 1 ]
	[ "$output" = 'db/schema/2.sql:1:1: error: ban-drop-table: table b dropped' ]
}

@test "a model from conf-parse -m: quoted, mixed-case and schema-qualified tables are found" {
	printf 'CREATE SCHEMA app; CREATE SCHEMA "Mixed";
CREATE TABLE app.users (id bigint PRIMARY KEY, name varchar(20));
CREATE TABLE "Mixed"."T" (x int NOT NULL, y varchar(5));\n' | conf-parse -m >"$BATS_TEST_TMPDIR/m"
	run lint 'ALTER TABLE app.users ALTER COLUMN name TYPE varchar(40);
ALTER TABLE "Mixed"."T" ALTER COLUMN y TYPE text;
ALTER TABLE "Mixed"."T" ALTER COLUMN x SET NOT NULL;
ALTER TABLE "Mixed"."T" ALTER COLUMN x TYPE bigint;
ALTER TABLE mixed.t ALTER COLUMN x TYPE bigint;' -m "$BATS_TEST_TMPDIR/m" --select changing-column-type,adding-not-null-field
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:4:38: error: changing-column-type: column T.x changes type from integer
<stdin>:5:34: error: changing-column-type: column t.x changes type' ]
}

@test "confiture lint: the environment file's fail_on_warning and fail_on_error set the exit status, an option overrides them" {
	p=$BATS_TEST_TMPDIR/p
	mkdir -p "$p/db/migrations" "$p/db/environments"
	printf 'SET lock_timeout = 1000; SET statement_timeout = 5000;\nALTER TABLE t DROP COLUMN a;\nALTER TABLE t ADD COLUMN b varchar(9);\n' >"$p/db/migrations/001_x.up.sql"
	printf 'lint:\n  fail_on_warning: true\n' >"$p/db/environments/local.yaml"
	run confiture lint --project-dir "$p" --select prefer-text-field
	[ "$status" -eq 1 ]
	[ "$output" = 'db/migrations/001_x.up.sql:3:28: warning: prefer-text-field: column t.b is varchar(n)' ]
	run confiture lint --project-dir "$p" --select prefer-text-field --fail-on-error
	[ "$status" -eq 0 ]
	printf 'lint:\n  fail_on_error: false\n' >"$p/db/environments/local.yaml"
	run confiture lint --project-dir "$p" --select ban-drop-column
	[ "$status" -eq 0 ]
	[ "$output" = 'db/migrations/001_x.up.sql:2:1: error: ban-drop-column: column t.a is dropped' ]
	run confiture lint --project-dir "$p" --select ban-drop-column --fail-on-error
	[ "$status" -eq 1 ]
}

@test "--assume-in-transaction: a BEGIN and its COMMIT are both the runner's business (squawk)" {
	run lint 'BEGIN;
SELECT 1;
COMMIT;' --select transaction-nesting --assume-in-transaction
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:1:1: error: transaction-nesting: BEGIN inside the transaction the migration runs in
<stdin>:3:1: error: transaction-nesting: COMMIT ends the transaction the migration runs in' ]
	run lint 'BEGIN;
SELECT 1;
COMMIT;' --select transaction-nesting
	[ "$status" -eq 0 ]
}

@test "SARIF: a file name is a URI reference, percent-encoded (<stdin>, a blank, a #)" {
	printf 'DROP TABLE x;\n' >"$BATS_TEST_TMPDIR/a b#1.sql"
	cd "$BATS_TEST_TMPDIR"
	run conf-lint --format sarif --select ban-drop-table 'a b#1.sql'
	[ "$status" -eq 1 ]
	[ "$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' <<<"$output")" = 'a%20b%231.sql' ]
	run lint 'DROP TABLE x;' --format sarif --select ban-drop-table
	[ "$(jq -r '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' <<<"$output")" = '%3Cstdin%3E' ]
}

@test "a model from conf-inspect: the live database's tables, quoted names too" {
	new_db lintm
	q 'CREATE SCHEMA "Mixed"; CREATE TABLE "Mixed"."T" (x int NOT NULL, y varchar(5)); CREATE TABLE public.u (a varchar(10))'
	conf-inspect -d "$DBURL" >"$BATS_TEST_TMPDIR/m"
	run lint 'ALTER TABLE "Mixed"."T" ALTER COLUMN y TYPE varchar(9);
ALTER TABLE "Mixed"."T" ALTER COLUMN x SET NOT NULL;
ALTER TABLE "Mixed"."T" ALTER COLUMN x TYPE bigint;
ALTER TABLE u ALTER COLUMN a TYPE text;
ALTER TABLE u ALTER COLUMN a TYPE int USING 0;' -m "$BATS_TEST_TMPDIR/m" --select changing-column-type,adding-not-null-field
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:3:38: error: changing-column-type: column T.x changes type from integer
<stdin>:5:28: error: changing-column-type: column u.a changes type from character varying(10)' ]
}

@test "ignore comments: one trailing the last statement counts; a misspelt rule in conf-lint's own is said, squawk's names are not checked" {
	run lint 'SELECT 1;
DROP TABLE x; -- squawk-ignore ban-drop-table' --select ban-drop-table
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	run --separate-stderr lint '-- conf-lint: ignore ban-drop-tabel, ban-drop-column
DROP TABLE x; /* conf-lint: ignore-file nope */
-- squawk-ignore ban-drop-trigger
SELECT 1;' --select ban-drop-table
	[ "$status" -eq 1 ]
	[ "$output" = '<stdin>:2:1: error: ban-drop-table: table x dropped' ]
	[ "$stderr" = 'conf-lint: <stdin>:1:1: ignore comment: no rule named ban-drop-tabel
conf-lint: <stdin>:2:15: ignore comment: no rule named nope' ]
}

@test "timeouts: SELECT set_config('lock_timeout', ...) sets it as SET does" {
	run lint "SELECT set_config('lock_timeout', '1s', false), set_config('statement_timeout', '5s', false);
DROP TABLE x;" --select require-timeout-settings
	[ "$status" -eq 0 ]
	[ "$output" = '' ]
	run lint "SELECT set_config('lock_timeout', '1s', false);
DROP TABLE x;" --select require-timeout-settings
	[ "$status" -eq 0 ]
	[ "$output" = '<stdin>:2:1: warning: require-statement-timeout: statement that takes locks before SET statement_timeout' ]
}
