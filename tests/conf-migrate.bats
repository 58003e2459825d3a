#!/usr/bin/env bats
# conf-migrate and confiture migrate: the tracking table, the lock, checksums, transactions

load helper

setup() {
	new_db
	P=$BATS_TEST_TMPDIR/p
	MD=$P/db/migrations
	mkdir -p "$MD" "$P/db/environments"
	printf 'database_url: %s\n' "$DBURL" >"$P/db/environments/local.yaml"
}

mig() { # mig VERSION NAME UP-SQL [DOWN-SQL]
	printf '%s\n' "$3" >"$MD/$1_$2.up.sql"
	[ -z "${4:-}" ] || printf '%s\n' "$4" >"$MD/$1_$2.down.sql"
}

five() {
	mig 001 users 'CREATE TABLE users (id int PRIMARY KEY);' 'DROP TABLE users;'
	mig 002 posts 'CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);' 'DROP TABLE posts;'
	mig 003 seed 'INSERT INTO users VALUES (1), (2);' 'DELETE FROM users;'
	mig 004 email 'ALTER TABLE users ADD COLUMN email text;' 'ALTER TABLE users DROP COLUMN email;'
}

cm() { conf-migrate -C "$P" -e local "$@"; }

@test "the tracking table has exactly the columns of the upstream DDL" {
	five
	run cm up
	assert_success
	run q "SELECT column_name, data_type, coalesce(character_maximum_length::text, '-'), is_nullable, is_identity,
	              coalesce(identity_generation, '-'), coalesce(column_default, '-')
	       FROM information_schema.columns WHERE table_name = 'tb_confiture' ORDER BY ordinal_position"
	assert_output "$(cat <<'EOF2'
id|uuid|-|NO|NO|-|gen_random_uuid()
pk_confiture|bigint|-|NO|YES|ALWAYS|-
slug|text|-|NO|NO|-|-
version|character varying|255|NO|NO|-|-
name|character varying|255|NO|NO|-|-
applied_at|timestamp with time zone|-|NO|NO|-|now()
execution_time_ms|integer|-|YES|NO|-|-
checksum|character varying|64|YES|NO|-|-
applied_by|text|-|YES|NO|-|-
EOF2
)"
	run q "SELECT string_agg(c.conname || ':' || c.contype::text, ',' ORDER BY c.conname) FROM pg_constraint c
	       WHERE c.conrelid = 'tb_confiture'::regclass"
	assert_output "tb_confiture_pk_confiture_key:u,tb_confiture_pkey:p,tb_confiture_slug_key:u,tb_confiture_version_key:u"
	run q "SELECT version, name, checksum, applied_by, slug ~ ('^' || name || '_[0-9]{8}_[0-9]{6}$') FROM tb_confiture ORDER BY version LIMIT 1"
	assert_output "001|users|$(sha256sum <"$MD/001_users.up.sql" | cut -c1-64)|postgres|t"
}

@test "a failing fifth migration: four applied and recorded, nothing of the fifth, exit 1, file:line:col" {
	five
	printf -- '-- adds a flag\nALTER TABLE users ADD COLUMN active boolean;\nUPDATE users SET active = nope;\nCREATE TABLE audit (x int);\n' >"$MD/005_flag.up.sql"
	run --separate-stderr cm up
	assert_failure 1
	assert_equal "$stderr" "conf-migrate: db/migrations/005_flag.up.sql:3:27: ERROR 42703: column \"nope\" does not exist"
	assert_line --index 3 --regexp '^applied 004_email \(1 statement, [0-9]+ ms\)$'
	assert_line --index 4 "failed 005_flag"
	[ "$(q "SELECT string_agg(version, ',' ORDER BY version) FROM tb_confiture")" = 001,002,003,004 ]
	[ "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'active'")" = 0 ]
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'audit'")" = 0 ]
}

@test "status: one line per migration, and the exit status says where the database stands" {
	five
	run --separate-stderr cm status
	assert_failure 2
	assert_equal "$stderr" "$(printf '%s\n' \
		"conf-migrate: tracking table public.tb_confiture does not exist in database \"$DB\": every migration is pending" \
		"conf-migrate: 0 applied, 4 pending, 0 changed or missing")"
	cm up -T 002 >/dev/null
	run cm status
	assert_failure 1
	assert_line --index 0 --regexp '^001 +users +applied +20[0-9-]{8}T[0-9:]{8}Z$'
	assert_line --index 2 --regexp '^003 +seed +pending +-$'
	cm up >/dev/null
	run cm status
	assert_success
	run conf-migrate -d "postgresql:///x?host=$BATS_TEST_TMPDIR/none" status
	assert_failure 3
	run cm current
	assert_output 004
}

@test "status and current in JSON: one clean record per line on stdout" {
	five
	cm up -T 003 >/dev/null
	run --separate-stderr cm -j status
	assert_failure 1
	assert_equal "$stderr" ""
	assert_equal "$(jq -r '[.kind, .version, .state] | join(" ")' <<<"$output")" \
		"$(printf 'migration 001 applied\nmigration 002 applied\nmigration 003 applied\nmigration 004 pending')"
	run --separate-stderr cm -j current
	assert_equal "$(jq -r '.kind + " " + .version + " " + .name' <<<"$output")" "current 003 seed"
	run --separate-stderr cm -j up
	assert_success
	assert_equal "$(jq -r '.status + " " + .version + " " + (.transactional | tostring)' <<<"$output")" "applied 004 true"
}

@test "an edited applied migration is caught by status and refused by up" {
	five
	cm up -T 002 >/dev/null
	printf -- '-- reformatted\n' >>"$MD/001_users.up.sql"
	run cm status
	assert_failure 1
	assert_line --index 0 --regexp '^001 +users +checksum mismatch '
	run --separate-stderr cm up
	assert_failure 1
	assert_output ""
	assert_equal "${stderr##*$'\n'}" "conf-migrate: refusing to migrate: 1 applied migration changed (see --on-checksum-mismatch)"
	[[ $stderr == *"db/migrations/001_users.up.sql: changed since it was applied: checksum "* ]]
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 2 ]
	run cm up -W warn
	assert_success
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 4 ]
}

@test "a missing file of an applied migration is reported" {
	five
	cm up >/dev/null
	rm "$MD/003_seed.up.sql" "$MD/003_seed.down.sql"
	run cm status
	assert_failure 1
	assert_line --index 2 --regexp '^003 +seed +file missing '
	mig 005 more 'SELECT 1;'
	run --separate-stderr cm up
	assert_success
	assert_equal "${stderr%%$'\n'*}" "conf-migrate: 003_seed is applied, but its file is missing"
}

@test "down reverts the newest; down-to with one .down.sql missing changes nothing and exits 8" {
	five
	cm up >/dev/null
	run cm down
	assert_success
	assert_output --regexp '^reverted 004_email \(1 statement, [0-9]+ ms\)$'
	rm "$MD/002_posts.down.sql"
	run --separate-stderr cm down-to 001
	assert_failure 8
	assert_output ""
	assert_equal "$stderr" "$(printf '%s\n' 'conf-migrate: 002_posts has no .down.sql: it cannot be reverted' 'conf-migrate: nothing was reverted')"
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 3 ]
	[ "$(q 'SELECT count(*) FROM users')" = 2 ]
	run cm down -s 2
	assert_failure 8
	mig 002 posts 'CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users);' 'DROP TABLE posts;'
	run cm down-to 001
	assert_success
	[ "$(q "SELECT string_agg(version, ',') FROM tb_confiture")" = 001 ]
	run --separate-stderr cm down-to 999
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: version 999 is not applied"
}

@test "CREATE INDEX CONCURRENTLY runs outside a transaction; CONCURRENTLY in a comment or string does not" {
	mig 001 t 'CREATE TABLE t (a int, b text);'
	printf -- '-- build it CONCURRENTLY later\nCREATE INDEX t_a ON t (a);\nCOMMENT ON INDEX t_a IS $$not CONCURRENTLY$$;\n' >"$MD/002_plain.up.sql"
	printf 'CREATE INDEX CONCURRENTLY t_b ON t (b);\n' >"$MD/003_conc.up.sql"
	run --separate-stderr cm up
	assert_success
	assert_line --index 1 --regexp '^applied 002_plain \(2 statements, [0-9]+ ms\)$'
	assert_line --index 2 --regexp '^applied 003_conc \(1 statement outside a transaction, [0-9]+ ms\)$'
	assert_equal "$stderr" "conf-migrate: 003_conc runs outside a transaction (CREATE INDEX CONCURRENTLY at db/migrations/003_conc.up.sql:1)"
	[ "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 't_b'::regclass")" = t ]
}

@test "a file mixing both kinds is rejected before anything runs" {
	mig 001 t 'CREATE TABLE t (a int);'
	printf 'CREATE TABLE u (a int);\nCREATE INDEX CONCURRENTLY u_a ON u (a);\n' >"$MD/002_mixed.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/002_mixed.up.sql:2:1: CREATE INDEX CONCURRENTLY cannot run inside a transaction, but this migration also has statements that need one (first at line 1): put them in separate migrations"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'u')")" = 0 ]
}

@test "BEGIN/COMMIT around a file are the runner's own; other transaction control is refused" {
	printf 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n' >"$MD/001_wrapped.up.sql"
	run cm up
	assert_success
	assert_output --regexp '^applied 001_wrapped \(1 statement, '
	printf 'CREATE TABLE u (a int);\nCOMMIT;\nCREATE TABLE v (a int);\n' >"$MD/002_commit.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/002_commit.up.sql:2:1: transaction control in a migration: each migration already runs in its own transaction"
}

@test "--dry-run runs each pending migration in a transaction that is rolled back" {
	five
	mig 005 idx 'CREATE INDEX CONCURRENTLY users_id ON users (id);'
	run --separate-stderr cm up -n
	assert_success
	assert_line --index 1 --regexp '^would apply 002_posts \(1 statement, [0-9]+ ms, rolled back\)$'
	assert_line --index 4 "not tried 005_idx: runs outside a transaction (CREATE INDEX CONCURRENTLY at db/migrations/005_idx.up.sql:1)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'posts', 'tb_confiture')")" = 0 ]
}

@test "baseline marks files as applied without running them" {
	five
	run cm baseline -T 003
	assert_success
	assert_line --index 2 "baselined 003_seed"
	# upstream's baseline slug: name_YYYYMMDD_HHMMSS_baseline, applied_by NULL
	[ "$(q "SELECT string_agg(regexp_replace(slug, '_[0-9]{8}_[0-9]{6}_', '_TS_'), ',' ORDER BY version) FROM tb_confiture")" = users_TS_baseline,posts_TS_baseline,seed_TS_baseline ]
	[ "$(q "SELECT count(*) FROM tb_confiture WHERE applied_by IS NULL")" = 3 ]
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
	run cm baseline -T 777
	assert_failure 5
}

@test "verify runs each .verify.sql read-only and reports false checks" {
	five
	printf 'SELECT count(*) = 2 FROM users;\n' >"$MD/003_seed.verify.sql"
	printf 'SELECT count(*) = 3 FROM users;\n' >"$MD/001_users.verify.sql"
	cm up >/dev/null
	run --separate-stderr cm verify
	assert_failure 1
	assert_equal "$output" "$(printf 'failed 001_users\nok 003_seed')"
	assert_equal "$stderr" "conf-migrate: db/migrations/001_users.verify.sql:1:1: check failed: the query returned false"
	run cm verify -V 003
	assert_success
}

@test "the lock: contention exits 6 and names the holder" {
	five
	key=$(( 0x$(printf '%s' "$DB" | sha256sum | cut -c1-8) & 0x7fffffff ))
	PGAPPNAME=holder-of-the-lock psql -XAtq -d "$DB" -c "SELECT pg_advisory_lock(1751936052, $key)" \
		-c "SELECT pg_sleep(20)" >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 50); do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $key AND granted")" = 1 ] && break
		sleep 0.1
	done
	run --separate-stderr cm up -L 200
	kill "$holder" || true
	assert_failure 6
	assert_equal "${stderr%%$'\n'*}" "conf-migrate: timed out after 200 ms waiting for the migration lock"
	[[ ${stderr##*$'\n'} =~ ^conf-migrate:\ the\ migration\ lock\ of\ database\ \"$DB\"\ is\ held\ by\ pid\ [0-9]+\ \(application_name\ \"holder-of-the-lock\",\ user\ postgres,\ connected\ from\ local\ since\ 20[0-9T:-]+Z\)$ ]]
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
}

@test "eight confiture migrate up at once, eight times: each migration applied once, each run exits 0 or 6" {
	for i in $(seq -w 1 12); do
		mig "0$i" "step$i" "CREATE TABLE s$i (a int); SELECT pg_sleep(0.02);"
	done
	seen0=0 seen6=0
	for round in 1 2 3 4 5 6 7 8; do
		q "DROP TABLE IF EXISTS tb_confiture; $(for i in $(seq -w 1 12); do printf 'DROP TABLE IF EXISTS s%s; ' "$i"; done)" >/dev/null
		pids=''
		for n in 1 2 3 4 5 6 7 8; do
			# half of them wait long enough for the others, half give up quickly
			if [ $((n % 2)) = 0 ]; then lk=50; else lk=20000; fi
			confiture migrate --project-dir "$P" up --lock-timeout "$lk" >"$BATS_TEST_TMPDIR/out$n" 2>&1 &
			pids="$pids $!"
		done
		for p in $pids; do
			rc=0
			wait "$p" || rc=$?
			case $rc in
			0) seen0=$((seen0 + 1)) ;;
			6) seen6=$((seen6 + 1)) ;;
			*) cat "$BATS_TEST_TMPDIR"/out*; fail "round $round: exit $rc" ;;
			esac
		done
		[ "$(q 'SELECT count(*), count(DISTINCT version) FROM tb_confiture')" = "12|12" ]
		[ "$(cat "$BATS_TEST_TMPDIR"/out* | grep -c '^applied ')" = 12 ]
	done
	# the lock was really contended, and waiting runs really went on after it
	[ "$seen6" -gt 0 ] && [ "$seen0" -gt 8 ]
}

@test "killed with SIGKILL inside a long migration: all of it or none of it, and the next up completes" {
	mig 001 users 'CREATE TABLE users (id int);'
	printf 'CREATE TABLE big (id int);\nINSERT INTO big SELECT generate_series(1, 1000);\nSELECT pg_sleep(30);\n' >"$MD/002_slow.up.sql"
	cm up -T 001 >/dev/null
	# the front execs down to conf-migrate: $! is the runner itself
	confiture migrate --project-dir "$P" up >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()")" = 1 ] && break
		sleep 0.1
	done
	kill -9 "$pid"
	wait "$pid" || true
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'big'")" = 0 ]
	[ "$(q "SELECT count(*) FROM tb_confiture WHERE version = '002'")" = 0 ]
	printf 'CREATE TABLE big (id int);\nINSERT INTO big SELECT generate_series(1, 1000);\n' >"$MD/002_slow.up.sql"
	run --separate-stderr cm up -L 20000
	assert_success
	[ "$(q 'SELECT count(*) FROM big')" = 1000 ]
	[ "$(q "SELECT count(*) FROM tb_confiture")" = 2 ]
}

@test "hooks: executables get the migration in their environment; a failing before-hook stops the run" {
	five
	mkdir -p "$P/db/hooks/before-each.d" "$P/db/hooks/after-migrate.d"
	printf '#!/bin/sh\necho "before $CONFITURE_DIRECTION $CONFITURE_VERSION $CONFITURE_NAME $CONFITURE_ENV" >>"%s"\n' \
		"$BATS_TEST_TMPDIR/log" >"$P/db/hooks/before-each.d/10-log"
	printf '#!/bin/sh\necho done >>"%s"\n' "$BATS_TEST_TMPDIR/log" >"$P/db/hooks/after-migrate.d/10-log"
	chmod +x "$P/db/hooks/before-each.d/10-log" "$P/db/hooks/after-migrate.d/10-log"
	run cm up -T 002
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/log")" "$(printf 'before up 001 users local\nbefore up 002 posts local\ndone')"
	printf '#!/bin/sh\necho "refusing $CONFITURE_VERSION"\nexit 3\n' >"$P/db/hooks/before-each.d/20-gate"
	chmod +x "$P/db/hooks/before-each.d/20-gate"
	run --separate-stderr cm up
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" "$(printf '%s\n' 'refusing 003' "conf-migrate: hook db/hooks/before-each.d/20-gate failed (exit 3)" 'conf-migrate: stopped before 003_seed')"
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 2 ]
}

@test "SQL hooks run inside each migration's transaction" {
	five
	mkdir -p "$P/db/hooks"
	q 'CREATE TABLE audit (what text)' >/dev/null
	printf "INSERT INTO audit VALUES ('migrated');\n" >"$P/db/hooks/after-each.sql"
	mig 005 bad 'SELECT nope;'
	run cm up
	assert_failure 1
	[ "$(q 'SELECT count(*) FROM audit')" = 4 ]
}

@test "confiture migrate: new, up, status through the front command and the environment file" {
	cd "$P"
	run confiture migrate new add_things
	assert_success
	assert_line --index 0 --regexp '^db/migrations/20[0-9]{12}_add_things\.up\.sql$'
	printf 'CREATE TABLE things (id int);\n' >>"${lines[0]}"
	printf 'DROP TABLE things;\n' >>"${lines[1]}"
	run confiture migrate new 'Bad Name'
	assert_failure 5
	run confiture migrate up --lock-timeout 5000
	assert_success
	run confiture migrate status --format jsonl
	assert_success
	[ "$(jq -r .state <<<"$output")" = applied ]
	run confiture migrate status --format json
	assert_success
	[ "$(jq -r '.migrations[0].status' <<<"$output")" = applied ]
	run confiture migrate down --steps 1
	assert_success
	run confiture migrate status --database-url "postgresql:///nosuchdb?host=$PGHOST"
	assert_failure 3
	CONFITURE_DATABASE_URL="postgresql:///nosuchdb?host=$PGHOST" run confiture migrate status
	assert_failure 3
	run confiture migrate frob
	assert_failure 5
}

@test "a schema-qualified tracking table from the environment" {
	five
	printf 'database_url: %s\nmigration:\n  tracking_table: ops.schema_log\n' "$DBURL" >"$P/db/environments/local.yaml"
	run cm up
	assert_success
	[ "$(q 'SELECT count(*) FROM ops.schema_log')" = 4 ]
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'tb_confiture'")" = 0 ]
}

@test "a tracking table made by an older Python Confiture is adopted as it is" {
	five
	# the 0.3 DDL: uuid-ossp default, no applied_by
	q 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
	   CREATE TABLE tb_confiture (id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
	     pk_confiture BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE, slug TEXT NOT NULL UNIQUE,
	     version VARCHAR(255) NOT NULL UNIQUE, name VARCHAR(255) NOT NULL,
	     applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), execution_time_ms INTEGER, checksum VARCHAR(64));
	   CREATE TABLE users (id int PRIMARY KEY);
	   INSERT INTO tb_confiture (slug, version, name, execution_time_ms, checksum)
	     VALUES ('"'"'users_20260101_000000'"'"', '"'"'001'"'"', '"'"'users'"'"', 5, NULL)' >/dev/null
	run cm status
	assert_failure 1
	assert_line --index 0 --regexp '^001 +users +applied '
	run cm up
	assert_success
	assert_line --index 0 --regexp '^applied 002_posts '
	[ "$(q 'SELECT count(*), count(applied_by) FROM tb_confiture')" = "4|3" ]
}

# --- issue 6: session state, lock, whole migrations, signals, options, records ---

nodb() { conf-migrate -C "$P" -d "postgresql:///x?host=$BATS_TEST_TMPDIR/none" "$@"; }

# term_when COND CMD...: CMD in the background (its output in $BATS_TEST_TMPDIR/out) gets
# SIGTERM once the shell command COND succeeds; $rc is its status, $ms the time from the signal
term_when() {
	local cond=$1
	shift
	"$@" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		eval "$cond" && break
		sleep 0.1
	done
	t0=$(date +%s%N)
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# term_hook PHASE NAME BODY [PRELUDE]: a hook that touches a flag file and then runs BODY;
# conf-migrate up gets SIGTERM once the hook runs (term_when)
term_hook() {
	mkdir -p "$P/db/hooks/$1.d"
	printf '#!/bin/sh\n%s\ntouch "%s"\n%s\n' "${4:-}" "$BATS_TEST_TMPDIR/started" "$3" >"$P/db/hooks/$1.d/$2"
	chmod +x "$P/db/hooks/$1.d/$2"
	term_when '[ -e "$BATS_TEST_TMPDIR/started" ]' conf-migrate -C "$P" -e local up
}

hold_lock() { # hold_lock DBNAME: a psql session holds the migration lock of DBNAME; $holder is its pid
	local key
	key=$(( 0x$(printf '%s' "$1" | sha256sum | cut -c1-8) & 0x7fffffff ))
	PGOPTIONS='-c statement_timeout=0' PGAPPNAME=holder-of-the-lock psql -XAtq -d "$1" \
		-c "SELECT pg_advisory_lock(1751936052, $key)" -c "SELECT pg_sleep(20)" >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 50); do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $key AND granted")" = 1 ] && return 0
		sleep 0.1
	done
	fail "the holder did not get the lock"
}

@test "session state: SET search_path in one migration neither moves the next one nor breaks the ledger" {
	q 'CREATE SCHEMA app' >/dev/null
	mig 001 path 'SET search_path = app;'
	mig 002 inapp 'SET search_path = app; CREATE TABLE a1 (x int);'
	mig 003 t 'CREATE TABLE t (a int);'
	run --separate-stderr cm up
	assert_success
	assert_equal "$stderr" ""
	[ "$(q "SELECT relnamespace::regnamespace FROM pg_class WHERE relname = 't'")" = public ]
	[ "$(q "SELECT relnamespace::regnamespace FROM pg_class WHERE relname = 'a1'")" = app ]
	[ "$(q "SELECT string_agg(version, ',' ORDER BY version) FROM public.tb_confiture")" = 001,002,003 ]
}

@test "session state: SET ROLE in a migration; the ledger is written as the session user and the next migration starts as it" {
	r=mr${BATS_SUITE_TEST_NUMBER}
	q "CREATE ROLE $r NOLOGIN; GRANT CREATE ON SCHEMA public TO $r" >/dev/null
	mig 001 role "SET ROLE $r; CREATE TABLE owned (a int);"
	mig 002 t 'CREATE TABLE t (a int);'
	run --separate-stderr cm up
	assert_success
	assert_equal "$stderr" ""
	[ "$(q "SELECT string_agg(relname || ':' || pg_get_userbyid(relowner), ',' ORDER BY relname) FROM pg_class WHERE relname IN ('owned', 't')")" = "owned:$r,t:postgres" ]
	[ "$(q "SELECT string_agg(applied_by, ',' ORDER BY version) FROM tb_confiture")" = postgres,postgres ]
}

@test "session state: RESET ALL in a migration does not clear the tool's own settings for the next one" {
	mig 001 reset 'SET statement_timeout = 1; RESET ALL;'
	mig 002 check "DO \$\$ BEGIN IF current_setting('client_connection_check_interval') <> '1s' THEN RAISE EXCEPTION 'check interval %', current_setting('client_connection_check_interval'); END IF; END \$\$;"
	run --separate-stderr cm up
	assert_success
	assert_equal "$stderr" ""
}

@test "the lock key comes from current_database(): a 70-byte name and its 63-byte truncation are one lock" {
	long=d${BATS_SUITE_TEST_NUMBER}_$(printf 'x%.0s' $(seq 70))
	long=${long:0:70}
	short=${long:0:63}
	PGOPTIONS='-c client_min_messages=warning' psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS \"$short\"" -c "CREATE DATABASE \"$long\"" >/dev/null 2>&1
	mig 001 slow 'CREATE TABLE s (a int); SELECT pg_sleep(3);'
	conf-migrate -C "$P" -d "postgresql:///$long?host=$PGHOST&port=$PGPORT&user=postgres" up >/dev/null 2>&1 &
	first=$!
	for _ in $(seq 50); do
		[ "$(DB=$short q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(3)%' AND pid <> pg_backend_pid()")" = 1 ] && break
		sleep 0.1
	done
	run --separate-stderr conf-migrate -C "$P" -d "postgresql:///$short?host=$PGHOST&port=$PGPORT&user=postgres" up -L 300
	wait "$first"
	assert_failure 6
	assert_equal "${stderr%%$'\n'*}" "conf-migrate: timed out after 300 ms waiting for the migration lock"
	[ "$(DB=$short q 'SELECT count(*) FROM tb_confiture')" = 1 ]
}

@test "a NUL byte in a migration: exit 4 with its position, nothing run, nothing recorded" {
	mig 001 users 'CREATE TABLE users (id int);'
	printf 'CREATE TABLE n1 (a int);\n\0\nCREATE TABLE n2 (a int);\n' >"$MD/002_nul.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/002_nul.up.sql:2:1: NUL byte in a migration file"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'n1', 'n2')")" = 0 ]
}

@test "baseline --dry-run writes nothing" {
	five
	run --separate-stderr cm baseline -T 002 -n
	assert_success
	assert_equal "$output" "$(printf 'would baseline 001_users\nwould baseline 002_posts')"
	assert_equal "$stderr" "conf-migrate: 2 migrations would be marked as applied through 002"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'tb_confiture'")" = 0 ]
	cm baseline -T 001 >/dev/null
	run cm baseline -T 003 -n
	assert_success
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 1 ]
}

@test "a statement_timeout shorter than the lock wait still gives exit 6 naming the holder" {
	five
	q "ALTER DATABASE \"$DB\" SET statement_timeout = '100ms'" >/dev/null
	hold_lock "$DB"
	run --separate-stderr cm up -L 600
	kill "$holder" || true
	assert_failure 6
	assert_equal "${stderr%%$'\n'*}" "conf-migrate: timed out after 600 ms waiting for the migration lock"
	[[ ${stderr##*$'\n'} == "conf-migrate: the migration lock of database \"$DB\" is held by pid "*"holder-of-the-lock"* ]]
}

# lock_waiter: a session waits for the migration lock
lock_waiter() {
	[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%pg_advisory_lock%'")" = 1 ]
}

@test "SIGTERM in the lock wait acts at once: exit 143, nothing applied" {
	five
	hold_lock "$DB"
	term_when lock_waiter conf-migrate -C "$P" -e local up -L 30000
	kill "$holder" || true
	[ "$rc" = 143 ]
	[ "$ms" -lt 1500 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "conf-migrate: interrupted while waiting for the migration lock"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
}

@test "a missing --migrations-dir is an error before connecting; so is a .down.sql without its .up.sql" {
	run --separate-stderr nodb -m nope up
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: nope: migrations directory: No such file or directory"
	run --separate-stderr confiture migrate --project-dir "$P" --migrations-dir "$P/nope" --database-url "postgresql:///x?host=$BATS_TEST_TMPDIR/none" up
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: $P/nope: migrations directory: No such file or directory"
	mig 001 users 'CREATE TABLE users (id int);'
	printf 'DROP TABLE x;\n' >"$MD/002_x.down.sql"
	run --separate-stderr nodb status
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/migrations/002_x.down.sql: no .up.sql for version 002"
}

@test "an unreadable migration file gives exit 5 whichever command reads it" {
	mig 001 users 'CREATE TABLE users (id int);'
	cm up >/dev/null
	ln -s /proc/self/mem "$MD/001_users.down.sql"
	run --separate-stderr cm down
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/migrations/001_users.down.sql: Input/output error"
	ln -s /proc/self/mem "$MD/001_users.verify.sql"
	run --separate-stderr cm verify
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/migrations/001_users.verify.sql: Input/output error"
	ln -s /proc/self/mem "$MD/002_more.up.sql"
	run --separate-stderr nodb up
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/migrations/002_more.up.sql: Input/output error"
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 1 ]
}

@test "a hook that exceeds hooks.timeout is killed and fails the run" {
	five
	printf 'database_url: %s\nhooks:\n  timeout: 1\n' "$DBURL" >"$P/db/environments/local.yaml"
	mkdir -p "$P/db/hooks/before-each.d"
	printf '#!/bin/sh\nsleep 30\n' >"$P/db/hooks/before-each.d/10-slow"
	chmod +x "$P/db/hooks/before-each.d/10-slow"
	t0=$(date +%s)
	run --separate-stderr cm up
	assert_failure 1
	[ $(( $(date +%s) - t0 )) -lt 5 ]
	assert_equal "$stderr" "$(printf '%s\n' 'conf-migrate: hook db/hooks/before-each.d/10-slow timed out after 1 s: killed' 'conf-migrate: stopped before 001_users')"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'tb_confiture')")" = 1 ]
}

@test "SIGTERM during a before-each hook: the hook gets it, the migration does not run, exit 143" {
	five
	term_hook before-each 10-wait 'sleep 30'
	[ "$rc" = 143 ]
	[ "$ms" -lt 2500 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "$(printf '%s\n' 'conf-migrate: interrupted during hook db/hooks/before-each.d/10-wait' 'conf-migrate: stopped before 001_users')"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 0 ]
}

@test "numeric options, sub-options, commands and -t are checked before connecting" {
	run --separate-stderr nodb up -L abc
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: -L wants a number of milliseconds, not abc"
	run --separate-stderr confiture migrate --project-dir "$P" --database-url "postgresql:///x?host=$BATS_TEST_TMPDIR/none" up --lock-timeout 10s
	assert_failure 5
	assert_equal "$stderr" "confiture: --lock-timeout wants a number of milliseconds, not 10s"
	run --separate-stderr confiture migrate --project-dir "$P" --database-url "postgresql:///x?host=$BATS_TEST_TMPDIR/none" down --steps 0
	assert_failure 5
	assert_equal "$stderr" "confiture: --steps wants a number of steps (1 or more), not 0"
	run --separate-stderr nodb down -s 2x
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: -s wants a number of steps (1 or more), not 2x"
	run --separate-stderr nodb status -L 100
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: status does not take -L"
	run --separate-stderr nodb down -T 001
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: down does not take -T"
	run --separate-stderr nodb frob
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: unknown command: frob"
	run --separate-stderr nodb -t a.b.c status
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: -t: not a table name: a.b.c"
}

@test "a file name that is not UTF-8 is refused before connecting, shown escaped: the ledger could never record it" {
	mig 001 t 'CREATE TABLE t (a int);'
	printf 'CREATE INDEX CONCURRENTLY i ON t (a);\n' >"$MD/002_idx"$'\xe9'".up.sql"
	for c in up status 'up -n'; do
		# shellcheck disable=SC2086
		run --separate-stderr nodb -j $c
		assert_failure 5
		assert_output ""
		assert_equal "$stderr" 'conf-migrate: db/migrations/002_idx\xE9.up.sql: file name is not valid UTF-8: the tracking table could not record it'
	done
	printf 'x\n' >"$MD/caf"$'\xe9\x01'".txt.sql"
	rm "$MD/002_idx"$'\xe9'".up.sql"
	run --separate-stderr cm up
	assert_success
	assert_equal "$stderr" 'conf-migrate: db/migrations/caf\xE9\x01.txt.sql: not a migration file name (<version>_<name>.up.sql, .down.sql, .verify.sql): ignored'
}

@test "a tracking-table error says which table and what the tool was doing" {
	mig 001 users 'CREATE TABLE users (id int);'
	q 'CREATE TABLE tb_confiture (x int)' >/dev/null
	run --separate-stderr cm status
	assert_failure 1
	assert_equal "$stderr" "conf-migrate: tracking table public.tb_confiture: reading the applied migrations: ERROR 42703: column \"version\" does not exist"
}

@test "\\restrict is recognised as psql does: \\restrictx is refused before anything runs" {
	mig 001 users 'CREATE TABLE users (id int);'
	printf '\\restrictx abc\nCREATE TABLE r (a int);\n' >"$MD/002_r.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" 'conf-migrate: db/migrations/002_r.up.sql:1:1: psql command \restrictx is not supported in a migration'
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
}

@test "each migration file is read once" {
	five
	# LeakSanitizer cannot run under ptrace
	ASAN_OPTIONS=detect_leaks=0 run strace -f -e trace=open,openat -o "$BATS_TEST_TMPDIR/trace" conf-migrate -C "$P" -e local up
	assert_success
	[ "$(grep -c '001_users.up.sql' "$BATS_TEST_TMPDIR/trace")" = 1 ]
}

@test "a hook that ignores SIGTERM is killed a second after the runner got it" {
	five
	term_hook before-migrate 10-stubborn 'sleep 8' 'trap "" TERM'
	[ "$rc" = 143 ]
	[ "$ms" -ge 900 ] && [ "$ms" -lt 3000 ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" "conf-migrate: interrupted during hook db/hooks/before-migrate.d/10-stubborn"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
}

@test "a migration that releases the migration lock is rolled back and stops the run, exit 1" {
	mig 001 t 'CREATE TABLE t (a int);'
	mig 002 unlock 'CREATE TABLE u (a int); SELECT pg_advisory_unlock_all();'
	mig 003 v 'CREATE TABLE v (a int);'
	run --separate-stderr cm up
	assert_failure 1
	assert_equal "$stderr" "conf-migrate: 002_unlock released the migration lock, so another runner could start: it is rolled back and not recorded"
	assert_line --index 1 "failed 002_unlock"
	[ "$(q "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname IN ('t', 'u', 'v')")" = t ]
	[ "$(q "SELECT string_agg(version, ',') FROM tb_confiture")" = 001 ]
	# with -N there is no lock to lose
	run --separate-stderr cm up -N
	assert_success
}

@test "a non-transactional migration that loses the lock says what ran; DISCARD ALL is refused before anything runs" {
	mig 001 t 'CREATE TABLE t (a int);'
	mig 002 idx 'CREATE INDEX CONCURRENTLY t_a ON t (a);'
	cm up -T 001 >/dev/null
	mkdir -p "$P/db/hooks"
	printf 'SELECT pg_advisory_unlock_all();\n' >"$P/db/hooks/after-each.sql"
	run --separate-stderr cm up
	assert_failure 1
	assert_equal "$stderr" "$(printf '%s\n' \
		"conf-migrate: 002_idx runs outside a transaction (CREATE INDEX CONCURRENTLY at db/migrations/002_idx.up.sql:1)" \
		"conf-migrate: 002_idx released the migration lock, so another runner could start: its 1 statement ran outside a transaction and stays, but it is not recorded")"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't_a'")" = 1 ]
	[ "$(q "SELECT string_agg(version, ',') FROM tb_confiture")" = 001 ]
	rm "$P/db/hooks/after-each.sql"
	printf 'CREATE TABLE d (a int);\n' >"$MD/003_d.up.sql"
	printf -- '-- start afresh\n  DISCARD ALL;\n' >"$MD/004_discard.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/004_discard.up.sql:2:3: DISCARD ALL in a migration would release the migration lock and reset the runner's settings: refused"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'd'")" = 0 ]
}

@test "session state: temporary tables and prepared statements do not reach the next migration" {
	mig 001 a 'CREATE TABLE users (id int); CREATE TEMP TABLE users (id int, note text);'
	mig 002 b 'INSERT INTO users VALUES (1);'
	mig 003 p 'PREPARE p AS SELECT 1; CREATE SEQUENCE s; SELECT nextval($$s$$);'
	mig 004 p2 'PREPARE p AS SELECT 2;'
	mig 005 seq "DO \$\$ BEGIN PERFORM lastval(); RAISE EXCEPTION 'lastval still set'; EXCEPTION WHEN object_not_in_prerequisite_state THEN NULL; END \$\$;"
	run --separate-stderr cm up
	assert_equal "$stderr" ""
	assert_success
	[ "$(q 'SELECT count(*) FROM public.users')" = 1 ]
	[ "$(q 'SELECT count(*) FROM tb_confiture')" = 5 ]
}

@test "a missing explicit -H directory, or a hook phase that is not a directory, is an error before connecting" {
	mig 001 t 'CREATE TABLE t (a int);'
	run --separate-stderr nodb up -H hookz
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: hookz: hooks directory: No such file or directory"
	mkdir -p "$P/db/hooks"
	printf '#!/bin/sh\nexit 1\n' >"$P/db/hooks/before-each.d"
	chmod +x "$P/db/hooks/before-each.d"
	run --separate-stderr nodb down
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/hooks/before-each.d: Not a directory"
	run --separate-stderr cm up -H "$P/db/hooks"
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: $P/db/hooks/before-each.d: Not a directory"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'tb_confiture')")" = 0 ]
	# the default directory may be absent; status runs no hook
	rm -r "$P/db/hooks"
	run --separate-stderr cm up
	assert_success
}

@test "a wrapping BEGIN with transaction modes is refused before anything runs, with its position" {
	mig 001 t 'CREATE TABLE t (a int);'
	printf 'BEGIN TRANSACTION READ ONLY;\nCREATE TABLE ro (a int);\nCOMMIT;\n' >"$MD/002_ro.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/002_ro.up.sql:1:1: transaction modes on the BEGIN around a migration are not honoured: remove them (each migration runs in the runner's own transaction)"
	printf -- '-- x\nSTART TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE ro (a int);\nEND;\n' >"$MD/002_ro.up.sql"
	run --separate-stderr cm up
	assert_failure 4
	assert_equal "$stderr" "conf-migrate: db/migrations/002_ro.up.sql:2:1: transaction modes on the BEGIN around a migration are not honoured: remove them (each migration runs in the runner's own transaction)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'ro')")" = 0 ]
	printf 'BEGIN /* plain */ WORK;\nCREATE TABLE ro (a int);\nCOMMIT;\n' >"$MD/002_ro.up.sql"
	run --separate-stderr cm up
	assert_success
}
