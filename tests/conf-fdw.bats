#!/usr/bin/env bats
# conf-fdw: the postgres_fdw link of schema-to-schema, on the test cluster: a source database
# and a target database (new_db), the source reached over TCP 127.0.0.1 with a scram-sha-256
# password (tests/setup_suite.bash), or through its socket directory.

load helper

setup() {
	# the source is reached over TCP as a remote server would be: a cluster without it is a
	# failure in CI, a skip elsewhere (as need_db)
	if [ -n "${PGTEST_NOTCP:-}" ]; then
		[ "${CI:-}" != true ] || fail "CI=true but the test cluster has no TCP on 127.0.0.1"
		skip "the test cluster has no TCP on 127.0.0.1 (see tests/setup_suite.bash)"
	fi
	new_db src
	SRC=$DB SRCURL=$DBURL
	new_db dst
	DST=$DB DSTURL=$DBURL
	S=$BATS_TEST_TMPDIR
	ROLE=fdw_r$BATS_SUITE_TEST_NUMBER
	PW="pw-$RANDOM$RANDOM-Secr3t"
	DB=$SRC q "DROP ROLE IF EXISTS $ROLE" 2>/dev/null || true
	# before the log is read, and hashed by the server (password_encryption scram-sha-256)
	DB=$SRC q "CREATE ROLE $ROLE LOGIN PASSWORD '$PW'"
	DB=$SRC q "GRANT ALL ON SCHEMA public TO $ROLE"
	DB=$SRC q "SET ROLE $ROLE; CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, 'one'), (2, 'two')"
	TCP="hostaddr=127.0.0.1 port=$PGPORT dbname=$SRC user=$ROLE"
}

teardown() {
	psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" \
		-c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
}

# state: the link on the target as one text: server options, user mapping user, staging tables (oids too)
state() {
	DB=$DST q "SELECT s.oid, s.srvname, array_to_string(s.srvoptions, ' ') FROM pg_foreign_server s ORDER BY 1;
		SELECT m.umid, m.usename, m.umoptions[1] FROM pg_user_mappings m ORDER BY 1;
		SELECT c.oid, n.nspname, c.relname, obj_description(n.oid, 'pg_namespace') FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'f' ORDER BY 1"
}

@test "setup over TCP with a scram-sha-256 password: the server has the source's hostaddr, port and dbname, the mapping its user and password" {
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	assert_equal "$output" "$(printf 'public\told_schema')"
	assert_equal "$stderr" "conf-fdw: server confiture_source: created: hostaddr='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server confiture_source: created: user $ROLE, with the source connection's password
conf-fdw: old_schema: 1 foreign tables imported from source schema public"
	# the rows come through the server: 127.0.0.1 asks this role for its password (pg_hba), which only the mapping has
	assert_equal "$(DB=$DST q "SELECT v FROM old_schema.t ORDER BY id" | paste -sd ,)" "one,two"
	assert_equal "$(DB=$DST q "SELECT array_to_string(umoptions, ' ') FROM pg_user_mappings")" "user=$ROLE password=$PW"
	# a mapping without the password is refused by the source: the test above proves the password was used
	DB=$DST q "ALTER USER MAPPING FOR postgres SERVER confiture_source OPTIONS (DROP password)"
	run psql -XAtq -d "$DST" -c "SELECT count(*) FROM old_schema.t"
	assert_failure
	assert_output --partial "password"
}

@test "the password is in no output, no statement text (pg_stat_activity, the server log) and no file" {
	local log=$PGTEST_DIR/server.log before
	# every statement text of both databases goes to the log: what pg_stat_activity.query shows of them too
	DB=$DST q "ALTER DATABASE $DST SET log_statement = 'all'"
	DB=$SRC q "ALTER DATABASE $SRC SET log_statement = 'all'"
	before=$(wc -c <"$log")
	# pg_stat_activity sampled while setup runs, into a file
	(
		for _ in $(seq 200); do
			psql -XAtq -d postgres -c "SELECT query FROM pg_stat_activity WHERE datname IN ('$SRC', '$DST')" 2>/dev/null
		done
	) >"$S/activity" &
	local sampler=$!
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" TMPDIR="$S/tmp" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" TMPDIR="$S/tmp" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	kill "$sampler" 2>/dev/null || true
	wait "$sampler" 2>/dev/null || true
	tail -c +"$((before + 1))" "$log" >"$S/log"
	# the log has the statements (the DO block of the mapping among them), but not the password
	grep -q 'CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS' "$S/log"
	grep -q 'IMPORT FOREIGN SCHEMA' "$S/log"
	run grep -rlF -- "$PW" "$S"
	assert_failure 1
	assert_output ""
	[[ "$output$stderr" != *"$PW"* ]]
}

@test "a second setup changes nothing; cleanup drops it all, a second cleanup has nothing to drop" {
	# a type of the schema's own (the new database has it too): spelled alike on both sides
	DB=$SRC q "SET ROLE $ROLE; CREATE TYPE mood AS ENUM ('ok'); ALTER TABLE t ADD COLUMN m mood"
	DB=$DST q "CREATE TYPE mood AS ENUM ('ok')"
	env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL" 2>/dev/null
	local first
	first=$(state)
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: server confiture_source: unchanged: hostaddr='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server confiture_source: unchanged: user $ROLE, with the source connection's password
conf-fdw: old_schema: 0 foreign tables imported from source schema public (1 there before)"
	assert_equal "$(state)" "$first"
	# a table new on the source is imported by the next setup, the others are left as they are
	DB=$SRC q "SET ROLE $ROLE; CREATE TABLE u (a int)"
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	assert_equal "$(sed -n 3p <<<"$stderr")" "conf-fdw: old_schema: 1 foreign tables imported from source schema public (1 there before)"
	# a column added to one table, another table dropped: the first imported again, the second dropped
	DB=$SRC q "SET ROLE $ROLE; ALTER TABLE t ADD COLUMN w int; CREATE TABLE v (b int); DROP TABLE u"
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	assert_equal "$(sed -n 3p <<<"$stderr")" "conf-fdw: old_schema: 2 foreign tables imported from source schema public (2 there before, 2 of them dropped first: changed or gone on the source)"
	assert_equal "$(DB=$DST q "SELECT c.relname, array_to_string(array_agg(a.attname ORDER BY a.attnum), ',') FROM pg_class c
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 WHERE c.relkind = 'f' GROUP BY 1 ORDER BY 1")" "t|id,v,m,w
v|b"
	DB=$DST q "CREATE SCHEMA confiture_s2s; CREATE TABLE confiture_s2s.progress (key text)"
	run --separate-stderr conf-fdw cleanup -d "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: dropped staging schema old_schema (2 foreign tables of source schema public)
conf-fdw: dropped schema confiture_s2s (the progress of migrate)
conf-fdw: dropped the user mapping for postgres on server confiture_source
conf-fdw: dropped server confiture_source"
	assert_equal "$(state)" ""
	assert_equal "$(DB=$DST q "SELECT count(*) FROM pg_namespace WHERE nspname IN ('old_schema', 'confiture_s2s')")" 0
	run --separate-stderr conf-fdw cleanup -d "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: nothing to drop: no server confiture_source, no staging schema, no confiture_s2s"
}

@test "the source through its socket directory, without a password; a changed source updates the server; other schemas get their own staging schema" {
	DB=$SRC q "CREATE SCHEMA app; CREATE TABLE app.t (x int); CREATE TABLE app.\"Mixed\" (y int); CREATE SCHEMA empty"
	run --separate-stderr conf-fdw setup -s "$SRCURL" -d "$DSTURL" --staging-schema old
	assert_success
	assert_equal "$output" "$(printf 'app\told_app\npublic\told')"
	assert_equal "$stderr" "conf-fdw: server confiture_source: created: host='$PGHOST' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server confiture_source: created: user postgres, without a password (the source asked for none)
conf-fdw: old_app: 2 foreign tables imported from source schema app
conf-fdw: old: 1 foreign tables imported from source schema public"
	assert_equal "$(DB=$DST q 'SELECT count(*) FROM old_app."Mixed"'; DB=$DST q 'SELECT count(*) FROM old.t')" "0
2"
	run --separate-stderr conf-fdw staging -d "$DSTURL"
	assert_success
	assert_equal "$output" "$(printf 'app\told_app\npublic\told')"
	# the same server, now the TCP way with a password: options and mapping updated, tables kept
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL" --staging-schema old -n public
	assert_success
	assert_equal "$output" "$(printf 'public\told')"
	assert_equal "$stderr" "conf-fdw: server confiture_source: updated: hostaddr='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server confiture_source: updated: user $ROLE, with the source connection's password
conf-fdw: old: 0 foreign tables imported from source schema public (1 there before)"
	assert_equal "$(DB=$DST q "SELECT array_to_string(srvoptions, ' ') FROM pg_foreign_server")" "hostaddr=127.0.0.1 port=$PGPORT dbname=$SRC fetch_size=10000"
	run --separate-stderr conf-fdw cleanup -d "$DSTURL" --staging-schema old
	assert_success
	assert_equal "$stderr" "conf-fdw: dropped staging schema old_app (2 foreign tables of source schema app)
conf-fdw: dropped staging schema old (1 foreign tables of source schema public)
conf-fdw: dropped the user mapping for postgres on server confiture_source
conf-fdw: dropped server confiture_source"
}

@test "--skip-import makes the server and mapping only; --server names them" {
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL" --skip-import --server old_db
	assert_success
	assert_equal "$output" "$(printf 'public\told_schema')"
	assert_equal "$stderr" "conf-fdw: server old_db: created: hostaddr='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server old_db: created: user $ROLE, with the source connection's password"
	assert_equal "$(DB=$DST q "SELECT count(*) FROM pg_namespace WHERE nspname = 'old_schema'")" 0
	# --fetch-size replaces the default 10000; given again, nothing changes
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL" --skip-import --server old_db --fetch-size 500
	assert_success
	assert_equal "$(head -n 1 <<<"$stderr")" "conf-fdw: server old_db: updated: hostaddr='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='500'"
	assert_equal "$(DB=$DST q "SELECT array_to_string(srvoptions, ' ') FROM pg_foreign_server")" "hostaddr=127.0.0.1 port=$PGPORT dbname=$SRC fetch_size=500"
	run --separate-stderr env -u PGHOST PGPASSWORD="$PW" conf-fdw setup -s "$TCP" -d "$DSTURL" --skip-import --server old_db --fetch-size 500
	assert_equal "$(head -n 1 <<<"$stderr")" "conf-fdw: server old_db: unchanged: hostaddr='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='500'"
	run --separate-stderr conf-fdw setup -s "$TCP" -d "$DSTURL" --fetch-size 0
	assert_failure 5
	assert_equal "$(head -n 1 <<<"$stderr")" "conf-fdw: --fetch-size 0: not a number of rows from 1 to 1000000000"
	run --separate-stderr conf-fdw cleanup -d "$DSTURL" --server old_db
	assert_success
	assert_equal "$stderr" "conf-fdw: dropped the user mapping for postgres on server old_db
conf-fdw: dropped server old_db"
}

@test "refusals: a schema of the staging name holding other things, a foreign table of the server elsewhere, a missing -n schema, usage" {
	DB=$DST q "CREATE SCHEMA old_schema; CREATE TABLE old_schema.keep (a int)"
	run --separate-stderr conf-fdw setup -s "$SRCURL" -d "$DSTURL"
	assert_failure 5
	assert_equal "$stderr" "conf-fdw: server confiture_source: created: host='$PGHOST' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server confiture_source: created: user postgres, without a password (the source asked for none)
conf-fdw: schema old_schema exists on the target and is not the staging schema of server confiture_source for source schema public: give another --staging-schema"
	# nothing was kept: setup is one transaction
	assert_equal "$(DB=$DST q "SELECT count(*) FROM pg_foreign_server")" 0
	conf-fdw setup -s "$SRCURL" -d "$DSTURL" --staging-schema stage 2>/dev/null >/dev/null
	DB=$DST q "CREATE FOREIGN TABLE public.mine (a int) SERVER confiture_source"
	run --separate-stderr conf-fdw cleanup -d "$DSTURL"
	assert_failure 5
	assert_equal "$stderr" "conf-fdw: foreign table public.mine uses server confiture_source and is not in a staging schema: drop it or move it to another server first"
	DB=$DST q "DROP FOREIGN TABLE public.mine"
	run --separate-stderr conf-fdw cleanup -d "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: dropped staging schema stage (1 foreign tables of source schema public)
conf-fdw: schema old_schema is not a staging schema of server confiture_source (setup did not make it): left as it is
conf-fdw: dropped the user mapping for postgres on server confiture_source
conf-fdw: dropped server confiture_source"
	assert_equal "$(DB=$DST q "SELECT count(*) FROM old_schema.keep")" 0
	run --separate-stderr conf-fdw setup -s "$SRCURL" -d "$DSTURL" -n nope
	assert_failure 5
	assert_equal "$stderr" "conf-fdw: -n nope: the source has no schema nope with a table or view"
	assert_equal "$(DB=$DST q "SELECT count(*) FROM pg_foreign_server")" 0
	run --separate-stderr conf-fdw setup -d "$DSTURL"
	assert_failure 5
	assert_equal "$stderr" "conf-fdw: setup needs -s: the source database's connection string
conf-fdw: usage: conf-fdw setup -s conninfo [-d conninfo] [--server name] [--staging-schema name] [-n schema]... [--skip-import] [--fetch-size rows] | conf-fdw cleanup|staging [-d conninfo] [--server name] [--staging-schema name]"
	run --separate-stderr conf-fdw cleanup -s "$SRCURL" -d "$DSTURL"
	assert_failure 5
	assert_equal "$(head -n 1 <<<"$stderr")" "conf-fdw: cleanup takes neither -s, -n, --skip-import nor --fetch-size"
	run --separate-stderr conf-fdw setup -s "postgresql://$ROLE:$PW@127.0.0.1:1/x" -d "$DSTURL"
	assert_failure 3
	[[ "$stderr" != *"$PW"* ]]
}

@test "the password from the password file (PGPASSFILE), as libpq found it" {
	printf '127.0.0.1:%s:%s:%s:%s\n' "$PGPORT" "$SRC" "$ROLE" "$PW" >"$S/pgpass"
	chmod 600 "$S/pgpass"
	run --separate-stderr env -u PGHOST -u PGPASSWORD PGPASSFILE="$S/pgpass" conf-fdw setup -s "$TCP" -d "$DSTURL"
	assert_success
	assert_equal "$(sed -n 2p <<<"$stderr")" "conf-fdw: user mapping for postgres on server confiture_source: created: user $ROLE, with the source connection's password"
	assert_equal "$(DB=$DST q "SELECT v FROM old_schema.t ORDER BY id" | paste -sd ,)" "one,two"
	rm "$S/pgpass"
	[[ "$output$stderr" != *"$PW"* ]]
}

@test "a source column of a type the target lacks (a dropped enum): its table imported with the column as text; setup still idempotent" {
	DB=$SRC q "CREATE TYPE oldmood AS ENUM ('a', 'b'); CREATE TABLE e (id int, m oldmood, ms oldmood[]); INSERT INTO e VALUES (1, 'b', '{a,b}')"
	run --separate-stderr conf-fdw setup -s "$SRCURL" -d "$DSTURL"
	assert_success
	assert_equal "$(tail -n 2 <<<"$stderr")" 'conf-fdw: old_schema: 1 foreign table with columns of types the target lacks ({"public.oldmood","public.oldmood[]"}): those columns read as text
conf-fdw: old_schema: 2 foreign tables imported from source schema public'
	assert_equal "$(DB=$DST q 'SELECT m || 1, ms FROM old_schema.e')" 'b1|{a,b}'
	run --separate-stderr conf-fdw setup -s "$SRCURL" -d "$DSTURL"
	assert_success
	assert_equal "$(tail -n 1 <<<"$stderr")" 'conf-fdw: old_schema: 0 foreign tables imported from source schema public (2 there before)'
}
