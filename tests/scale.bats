#!/usr/bin/env bats
# issue 14: the template cache of confiture build --cache (conf-tpl), and migrations over a
# fleet of databases (confiture migrate --targets, conf-fleet)

load helper

teardown() {
	[ -z "${pool:-}" ] || kill "$pool" 2>/dev/null || true
}

setup() {
	need_db
	S=$BATS_TEST_TMPDIR
	N=$BATS_SUITE_TEST_NUMBER
	SRV="postgresql:///postgres?host=$PGHOST&port=$PGPORT&user=postgres"
}

# proj DIR SQL...: a project whose db/schema holds one file per SQL argument
proj() {
	local d=$1 i=0
	shift
	mkdir -p "$d/db/schema" "$d/db/environments" "$d/db/migrations"
	printf 'name: local\ninclude_dirs: [db/schema]\n' >"$d/db/environments/local.yaml"
	for sql; do
		i=$((i + 1))
		printf '%s\n' "$sql" >"$d/db/schema/$i.sql"
	done
}

# url DB: the test server's URL of database DB, with a password that must never be shown
url() {
	echo "postgresql://postgres:s3cret-pw@/$1?host=$PGHOST&port=$PGPORT"
}

pq() {
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "$1"
}

@test "build --cache: a miss builds the template, a hit clones it, a changed schema replaces it" {
	proj "$S/p" "CREATE TABLE c$N (id int PRIMARY KEY); INSERT INTO c$N VALUES (1), (2);"
	cd "$S/p"
	h=$(conf-concat -H)
	tpl=confiture_tpl_${h:0:16}
	run --separate-stderr confiture build --cache --database-url "$(url "a$N")"
	assert_success
	assert_equal "$stderr" "confiture: wrote db/generated/schema_local.sql (1 files, schema hash $h)
conf-tpl: cache miss: built template \"$tpl\" (2 statements, ${stderr##*statements, }"
	[[ $stderr == *" s)
conf-tpl: database \"a$N\" created from template \"$tpl\"" ]]
	assert_equal "$(pq "SELECT datistemplate, datallowconn, shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$tpl'")" \
		"t|f|confiture:template:$h $S/p local"
	assert_equal "$(psql -XAtq -d "a$N" -c "SELECT count(*) FROM c$N")" 2
	# no scratch database is left
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture\_tplnew\_%'")" 0
	run --separate-stderr confiture build --cache --database-url "$(url "b$N")"
	assert_success
	assert_equal "$stderr" "confiture: wrote db/generated/schema_local.sql (1 files, schema hash $h)
conf-tpl: cache hit: template \"$tpl\"
conf-tpl: database \"b$N\" created from template \"$tpl\""
	assert_equal "$(psql -XAtq -d "b$N" -c "SELECT count(*) FROM c$N")" 2
	run --separate-stderr confiture build --cache --database-url "$(url "b$N")"
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database \"b$N\" exists and would be replaced: allow it with -f"
	echo "CREATE TABLE d$N ();" >db/schema/2.sql
	h2=$(conf-concat -H)
	run --separate-stderr confiture build --cache --force --database-url "$(url "b$N")"
	assert_success
	[[ $stderr == *"conf-tpl: cache miss: built template \"confiture_tpl_${h2:0:16}\" (3 statements, "* ]]
	[[ $stderr == *"
conf-tpl: dropped template \"$tpl\": the schema changed (now \"confiture_tpl_${h2:0:16}\")
conf-tpl: database \"b$N\" replaced from template \"confiture_tpl_${h2:0:16}\"" ]]
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname = '$tpl'")" 0
	assert_equal "$(psql -XAtq -d "b$N" -c "SELECT count(*) FROM d$N")" 0
	# a password is never shown
	[[ $stderr != *s3cret* ]]
}

@test "build.cache: true turns the cache on, --no-cache off; --prune-cache keeps the current template only" {
	proj "$S/p" "CREATE TABLE e$N ();"
	proj "$S/q" "CREATE TABLE f$N ();"
	echo "build: {cache: true}" >>"$S/p/db/environments/local.yaml"
	hp=$(conf-concat -C "$S/p" -H)
	hq=$(conf-concat -C "$S/q" -H)
	run --separate-stderr confiture build --project-dir "$S/p" --database-url "$(url "a$N")"
	assert_success
	[[ $stderr == *"conf-tpl: cache miss: built template \"confiture_tpl_${hp:0:16}\""* ]]
	run --separate-stderr confiture build --project-dir "$S/p" --no-cache --database-url "$(url "b$N")"
	assert_success
	[[ $stderr != *conf-tpl* ]]
	run --separate-stderr confiture build --project-dir "$S/q" --cache --database-url "$(url "c$N")"
	assert_success
	# a database that only looks like a template is not the cache's to drop
	mine=$(printf 'confiture_tpl_%016d' "$N")
	pq "CREATE DATABASE $mine"
	run --separate-stderr confiture build --project-dir "$S/q" --prune-cache --database-url "$SRV"
	assert_success
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname = '$mine'")" 1
	pq "DROP DATABASE $mine"
	assert_equal "$(pq "SELECT string_agg(datname, ' ' ORDER BY datname) FROM pg_database WHERE datname LIKE 'confiture\_tpl\_%' AND datistemplate")" \
		"confiture_tpl_${hq:0:16}"
	[[ $stderr == *"conf-tpl: dropped template \"confiture_tpl_${hp:0:16}\""* ]]
	# pruning builds nothing into a database
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname = 'postgres' OR datname LIKE 'confiture\_build%'")" 1
	run --separate-stderr confiture build --project-dir "$S/q" --cache
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "confiture: --cache keeps a build as a template database: give --database-url URL (or --apply)"
}

@test "four builds of one schema at once make one template; --clone N --prefix makes N copies" {
	proj "$S/p" "CREATE TABLE g$N (id int); SELECT pg_sleep(0.5);"
	cd "$S/p"
	h=$(conf-concat -H)
	confiture build --output "$S/built.sql" 2>/dev/null
	for i in 1 2 3 4; do
		CONFITURE_DATABASE_URL=$(url "w${N}_$i") conf-tpl -H "$h" -k "k$N" "$S/built.sql" 2>"$S/err$i" &
	done
	# while it is built, the template is only under its scratch name: a clone cannot see it
	for _ in $(seq 100); do
		seen=$(pq "SELECT string_agg(datname, ' ') FROM pg_database WHERE datname IN ('confiture_tpl_${h:0:16}', 'confiture_tplnew_${h:0:16}')")
		[ -z "$seen" ] || break
		sleep 0.05
	done
	assert_equal "$seen" "confiture_tplnew_${h:0:16}"
	wait
	cat "$S"/err? >"$S/all"
	assert_equal "$(grep -c 'cache miss' "$S/all")" 1
	assert_equal "$(grep -c 'cache hit' "$S/all")" 3
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture\_tpl%${h:0:16}'")" 1
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname LIKE 'w${N}\_%'")" 4
	run --separate-stderr confiture build --clone 3 --prefix "t${N}_" --database-url "$SRV"
	assert_success
	assert_equal "${stderr#*$'\n'}" "conf-tpl: cache hit: template \"confiture_tpl_${h:0:16}\"
conf-tpl: database \"t${N}_1\" created from template \"confiture_tpl_${h:0:16}\"
conf-tpl: database \"t${N}_2\" created from template \"confiture_tpl_${h:0:16}\"
conf-tpl: database \"t${N}_3\" created from template \"confiture_tpl_${h:0:16}\""
	assert_equal "$(psql -XAtq -d "t${N}_3" -c "SELECT count(*) FROM g$N")" 0
	run --separate-stderr confiture build --clone 3 --prefix "t${N}_" --database-url "$SRV"
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database \"t${N}_1\" exists and would be replaced: allow it with -f"
	run --separate-stderr confiture build --clone 2 --prefix "t${N}_" --force --database-url "$SRV"
	assert_success
	run confiture build --clone 0 --prefix x
	assert_failure 5
	assert_output "confiture: --clone wants a number of copies (1 or more), with --prefix: not '0'"
	run confiture build --clone 2
	assert_failure 5
	assert_output "confiture: --clone N names its copies PREFIX1..PREFIXN: give --prefix"
	run confiture build --cache --output -
	assert_failure 5
	assert_output "confiture: the template cache needs the built file: it cannot be --output -"
	run confiture build --prune-cache --hash-only
	assert_failure 5
	assert_output "confiture: the template cache needs a build: drop --hash-only and --upstream-hash"
	run confiture build --cache --sequential
	assert_failure 5
	assert_output "confiture: --cache builds a fresh database from a template: it cannot be --sequential"
}

@test "a database name longer than PostgreSQL keeps is refused by name, before anything is built" {
	proj "$S/p" "CREATE TABLE l$N ();"
	cd "$S/p"
	h=$(conf-concat -H)
	# 61 bytes + "10" is 63: the limit itself is fine; one more byte is not
	p61=$(printf 'p%.0s' $(seq 61))
	run --separate-stderr confiture build --clone 10 --prefix "${p61}x" --database-url "$SRV"
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database name \"${p61}x10\" is 64 bytes: PostgreSQL keeps 63 and would make it \"${p61}x1\""
	# nothing was built for copies that could not be made
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture\_tpl%${h:0:16}'")" 0
	# a multibyte name is cut on a character, as the server cuts it
	run --separate-stderr confiture build --cache --database-url "$(url "${p61}xé")"
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database name \"${p61}xé\" is 64 bytes: PostgreSQL keeps 63 and would make it \"${p61}x\""
	run --separate-stderr confiture build --clone 1 --prefix "${p61}é" --database-url "$SRV"
	assert_failure 5
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database name \"${p61}é1\" is 64 bytes: PostgreSQL keeps 63 and would make it \"${p61}é\""
	run --separate-stderr confiture build --clone 10 --prefix "${p61}" --database-url "$SRV"
	assert_success
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname LIKE '${p61}%'")" 10
	pq "SELECT datname FROM pg_database WHERE datname LIKE '${p61}%'" | while read -r d; do pq "DROP DATABASE \"$d\""; done
}

@test "the seed files are part of the hash: changed data alone builds a new template; --schema-only leaves them out of both" {
	proj "$S/p" "CREATE TABLE s$N (v int);"
	mkdir -p "$S/p/db/seeds"
	echo "INSERT INTO s$N VALUES (1);" >"$S/p/db/seeds/1.sql"
	printf 'name: local\ninclude_dirs: [db/schema, db/seeds]\n' >"$S/p/db/environments/local.yaml"
	cd "$S/p"
	h1=$(conf-concat -H)
	confiture build --cache --database-url "$(url "s${N}_a")" 2>/dev/null
	echo "INSERT INTO s$N VALUES (2);" >"$S/p/db/seeds/1.sql"
	h2=$(conf-concat -H)
	[ "${h1:0:16}" != "${h2:0:16}" ]
	run --separate-stderr confiture build --cache --database-url "$(url "s${N}_b")"
	assert_success
	[[ $stderr == *"conf-tpl: cache miss: built template \"confiture_tpl_${h2:0:16}\" (2 statements, "* ]]
	assert_equal "$(psql -XAtq -d "s${N}_b" -c "SELECT v FROM s$N")" 2
	# --schema-only: no seeds in the hash nor in the template, whatever the seeds say
	hs=$(conf-concat -S -H)
	run --separate-stderr confiture build --cache --schema-only --database-url "$(url "s${N}_c")"
	assert_success
	[[ $stderr == *"conf-tpl: cache miss: built template \"confiture_tpl_${hs:0:16}\" (1 statements, "* ]]
	assert_equal "$(psql -XAtq -d "s${N}_c" -c "SELECT count(*) FROM s$N")" 0
	echo "INSERT INTO s$N VALUES (3);" >"$S/p/db/seeds/1.sql"
	run --separate-stderr confiture build --cache --schema-only --database-url "$(url "s${N}_d")"
	assert_success
	[[ $stderr == *"conf-tpl: cache hit: template \"confiture_tpl_${hs:0:16}\""* ]]
}

@test "a template dropped by hand is built again; a scratch template a kill -9 left marked is replaced" {
	proj "$S/p" "CREATE TABLE k$N (id int);"
	cd "$S/p"
	h=$(conf-concat -H)
	tpl=confiture_tpl_${h:0:16}
	confiture build --cache --database-url "$(url "k${N}_a")" 2>/dev/null
	pq "ALTER DATABASE $tpl IS_TEMPLATE false"
	pq "DROP DATABASE $tpl"
	run --separate-stderr confiture build --cache --database-url "$(url "k${N}_b")"
	assert_success
	[[ $stderr == *"conf-tpl: cache miss: built template \"$tpl\" (1 statements, "* ]]
	# killed after marking its scratch database, before the rename: DROP DATABASE refuses a template
	pq "ALTER DATABASE $tpl IS_TEMPLATE false"
	pq "ALTER DATABASE $tpl RENAME TO confiture_tplnew_${h:0:16}"
	pq "ALTER DATABASE confiture_tplnew_${h:0:16} IS_TEMPLATE true"
	run --separate-stderr confiture build --cache --database-url "$(url "k${N}_c")"
	assert_success
	[[ $stderr == *"conf-tpl: cache miss: built template \"$tpl\" (1 statements, "* ]]
	assert_equal "$(pq "SELECT string_agg(datname, ' ') FROM pg_database WHERE datname LIKE 'confiture\_tpl%${h:0:16}'")" "$tpl"
	assert_equal "$(psql -XAtq -d "k${N}_c" -c "SELECT count(*) FROM k$N")" 0
	# --force replaces a database others are connected to: their sessions are ended, as with conf-apply -c -f
	psql -XAtq -d "k${N}_c" -c "SELECT pg_sleep(30)" >/dev/null 2>&1 &
	sess=$!
	for _ in $(seq 100); do
		[ "$(pq "SELECT count(*) FROM pg_stat_activity WHERE datname = 'k${N}_c' AND wait_event = 'PgSleep'")" = 1 ] && break
		sleep 0.05
	done
	run --separate-stderr confiture build --cache --force --database-url "$(url "k${N}_c")"
	assert_success
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database \"k${N}_c\" replaced from template \"$tpl\""
	rc=0
	wait "$sess" || rc=$?
	assert_equal "$rc" 2
}

@test "a template someone is connected to: the clone names the session and exits 6; test-db maps onto the cache" {
	proj "$S/p" "CREATE TABLE h$N ();"
	cd "$S/p"
	h=$(conf-concat -H)
	tpl=confiture_tpl_${h:0:16}
	run --separate-stderr confiture test-db provision-template --database-url "$SRV" --template mine
	assert_success
	assert_equal "$stderr" "confiture: --template mine is not used: templates are named from the schema hash, this one is $tpl
confiture: wrote db/generated/schema_local.sql (1 files, schema hash $h)
conf-tpl: cache miss: built template \"$tpl\" (1 statements, ${stderr##*statements, }"
	pq "ALTER DATABASE $tpl ALLOW_CONNECTIONS true"
	PGAPPNAME=holder psql -XAtq -d "$tpl" -c "SELECT pg_sleep(6)" >/dev/null &
	holder=$!
	sleep 0.5
	pid=$(pq "SELECT pid FROM pg_stat_activity WHERE datname = '$tpl'")
	run --separate-stderr confiture test-db clone --target "c$N" --database-url "$SRV"
	kill "$holder" 2>/dev/null || true
	pq "SELECT pg_terminate_backend($pid)" >/dev/null
	wait "$holder" || true
	assert_failure 6
	assert_equal "${stderr##*$'\n'}" "conf-tpl: template \"$tpl\" is in use by session pid $pid (user postgres, application holder): CREATE DATABASE cannot copy a database other sessions are connected to (waited 2 s)"
	pq "ALTER DATABASE $tpl ALLOW_CONNECTIONS false"
	run --separate-stderr confiture test-db clone --target "c$N" --database-url "$SRV"
	assert_success
	assert_equal "${stderr##*$'\n'}" "conf-tpl: database \"c$N\" created from template \"$tpl\""
	run confiture test-db ram-setup
	assert_failure 5
	assert_output "confiture: test-db ram-setup is not supported: a tablespace on tmpfs is the server's business, not the build's"
}

# fleet DIR COUNT: a project with four migrations, the fourth failing where a table "blocker"
# exists, and COUNT fresh databases fl<N>_1..COUNT listed in DIR/targets with a password
fleet() {
	local d=$1 i sql=''
	proj "$d"
	for i in 1 2 3; do
		echo "CREATE TABLE m$i (id int);" >"$d/db/migrations/00${i}_m$i.up.sql"
		echo "DROP TABLE m$i;" >"$d/db/migrations/00${i}_m$i.down.sql"
	done
	cat >"$d/db/migrations/004_m4.up.sql" <<'SQL'
DO $$ BEGIN IF to_regclass('blocker') IS NOT NULL THEN RAISE EXCEPTION 'blocked in %', current_database(); END IF; END $$;
CREATE TABLE m4 (id int);
SQL
	echo "DROP TABLE m4;" >"$d/db/migrations/004_m4.down.sql"
	echo "# the fleet" >"$d/targets"
	for i in $(seq "$2"); do
		sql="$sql DROP DATABASE IF EXISTS fl${N}_$i; CREATE DATABASE fl${N}_$i;"
		url "fl${N}_$i" >>"$d/targets"
	done
	echo "$sql" | psql -XAtq -v ON_ERROR_STOP=1 -d postgres 2>/dev/null
}

@test "20 databases, one failing: the first failure stops new starts; --keep-going migrates the rest; a rerun finishes" {
	fleet "$S/f" 20
	psql -XAtq -d "fl${N}_5" -c "CREATE TABLE blocker ()"
	cd "$S/f"
	run --separate-stderr confiture migrate up --targets targets
	assert_failure 1
	assert_equal "$(echo "$output" | wc -l)" 5
	assert_equal "$(echo "$output" | sed -n 4p)" "{\"target\":\"user='postgres' dbname='fl${N}_4' host='$PGHOST' port='$PGPORT'\",\"line\":5,\"before\":null,\"after\":\"004\",\"applied\":4,\"time_ms\":$(echo "$output" | sed -n '4s/.*"time_ms":\([0-9]*\).*/\1/p'),\"exit\":0,\"status\":\"ok\"}"
	assert_equal "$(echo "$output" | sed -n 5p | sed 's/"time_ms":[0-9]*/"time_ms":T/')" "{\"target\":\"user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT'\",\"line\":6,\"before\":null,\"after\":\"003\",\"applied\":3,\"time_ms\":T,\"exit\":1,\"status\":\"failed\",\"message\":\"conf-migrate: db/migrations/004_m4.up.sql:1:1: ERROR P0001: blocked in fl${N}_5\"}"
	[[ $stderr == *"conf-fleet: user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT': conf-migrate: db/migrations/004_m4.up.sql:1:1: ERROR P0001: blocked in fl${N}_5"* ]]
	[[ $stderr == *"
conf-fleet: 20 databases: 4 migrated, 1 failed, 15 not started
conf-fleet: stopped after the first failure: 15 not started (--keep-going runs them all)" ]]
	[[ $(echo "$stderr" | grep "dbname='fl${N}_20'") == *"  -                 -                       -         -     -  not started" ]]
	assert_equal "$(psql -XAtq -d "fl${N}_6" -c "SELECT to_regclass('tb_confiture') IS NULL")" t
	run --separate-stderr confiture migrate up --targets targets --jobs 4 --keep-going
	assert_failure 1
	assert_equal "$(echo "$output" | wc -l)" 20
	assert_equal "$(echo "$output" | grep -c '"after":"004","applied":4,.*"status":"ok"')" 15
	assert_equal "$(echo "$output" | grep -c '"before":"004","after":"004","applied":0,.*"status":"ok"')" 4
	[[ $stderr == *"
conf-fleet: 20 databases: 19 migrated, 1 failed, 0 not started" ]]
	# the failing one stays at its last good version, its fourth migration not recorded
	assert_equal "$(psql -XAtq -d "fl${N}_5" -c "SELECT string_agg(version, ' ' ORDER BY version) FROM tb_confiture")" "001 002 003"
	assert_equal "$(psql -XAtq -d "fl${N}_5" -c "SELECT to_regclass('m4') IS NULL")" t
	run --separate-stderr confiture migrate status --targets targets --jobs 4
	assert_failure 1
	assert_equal "$(echo "$output" | grep -v "dbname='fl${N}_5'" | grep -c '"version":"004","pending":0,.*"exit":0,"status":"up to date"')" 19
	assert_equal "$(echo "$output" | grep "dbname='fl${N}_5'" | sed 's/"time_ms":[0-9]*/T/')" "{\"target\":\"user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT'\",\"line\":6,\"version\":\"003\",\"pending\":1,T,\"exit\":1,\"status\":\"behind\"}"
	[[ $stderr == *"conf-fleet: 20 databases: 19 up to date, 1 behind or failed" ]]
	psql -XAtq -d "fl${N}_5" -c "DROP TABLE blocker"
	run --separate-stderr confiture migrate up --targets targets --jobs 8
	assert_success
	assert_equal "$(echo "$output" | grep "dbname='fl${N}_5'" | sed 's/"time_ms":[0-9]*/T/')" "{\"target\":\"user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT'\",\"line\":6,\"before\":\"003\",\"after\":\"004\",\"applied\":1,T,\"exit\":0,\"status\":\"ok\"}"
	[[ $stderr == *"
conf-fleet: 20 databases: 20 migrated, 0 failed, 0 not started" ]]
	# the password is never shown, and never in a runner's argv
	[[ "$output$stderr" != *s3cret* ]]
}

@test "targets on stdin, environment names and comments; the options mapped; usage errors" {
	fleet "$S/f" 2
	cd "$S/f"
	printf 'name: prod\ndatabase_url: %s\ninclude_dirs: [db/schema]\n' "$(url "fl${N}_2")" >db/environments/prod.yaml
	run --separate-stderr confiture migrate up -t 002 --targets - --jobs 2 <<TARGETS
  # a comment, then blank lines

$(sed -n 2p targets)
prod
TARGETS
	assert_success
	assert_equal "$(echo "$output" | sed 's/"time_ms":[0-9]*/T/' | sort)" "{\"target\":\"prod\",\"line\":4,\"before\":null,\"after\":\"002\",\"applied\":2,T,\"exit\":0,\"status\":\"ok\"}
{\"target\":\"user='postgres' dbname='fl${N}_1' host='$PGHOST' port='$PGPORT'\",\"line\":3,\"before\":null,\"after\":\"002\",\"applied\":2,T,\"exit\":0,\"status\":\"ok\"}"
	# CONFITURE_DATABASE_URL does not override an environment's own database_url
	CONFITURE_DATABASE_URL=$(url "fl${N}_1") run --separate-stderr confiture migrate up --targets - <<<"prod"
	assert_success
	assert_equal "$(echo "$output" | sed 's/"time_ms":[0-9]*/T/')" "{\"target\":\"prod\",\"line\":1,\"before\":\"002\",\"after\":\"004\",\"applied\":2,T,\"exit\":0,\"status\":\"ok\"}"
	run confiture migrate up --targets targets --jobs 0
	assert_failure 5
	assert_output "confiture: --jobs wants a number of parallel runners (1 or more), not '0'"
	run confiture migrate up --targets targets --dry-run
	assert_failure 5
	assert_output "confiture: --dry-run is not supported with --targets (confiture migrate up --targets - --help lists what is)"
	run confiture migrate status --targets targets --no-lock
	assert_failure 5
	assert_output "confiture: --no-lock goes with migrate up"
	run confiture migrate down --targets targets
	assert_failure 5
	assert_output --partial "confiture: --targets goes with migrate up or migrate status, not down"
	run --separate-stderr confiture migrate up --targets - </dev/null
	assert_failure 5
	assert_equal "$stderr" "conf-fleet: <stdin> lists no database"
}

@test "targets with CRLF ends, blank lines, a duplicate and passwords of special characters; --jobs above the list" {
	fleet "$S/f" 2
	cd "$S/f"
	# percent-encoded @ : / # & ? in a URL, a quoted space and quote in key=value form
	u1="postgresql://postgres:p%40s%3As%2Fw%23rd%26%3F@/fl${N}_1?host=$PGHOST&port=$PGPORT"
	u2="host=$PGHOST port=$PGPORT user=postgres dbname=fl${N}_2 password='a b\\'c'"
	printf '# crlf\r\n%s\r\n\r\n   \r\n%s\r\n%s\r\n' "$u1" "$u2" "$u1" >targets
	run --separate-stderr confiture migrate up --targets targets --jobs 8
	assert_success
	assert_equal "$(echo "$output" | sed 's/"time_ms":[0-9]*/T/' | sort)" "{\"target\":\"user='postgres' dbname='fl${N}_1' host='$PGHOST' port='$PGPORT'\",\"line\":2,\"before\":null,\"after\":\"004\",\"applied\":4,T,\"exit\":0,\"status\":\"ok\"}
{\"target\":\"user='postgres' dbname='fl${N}_2' host='$PGHOST' port='$PGPORT'\",\"line\":5,\"before\":null,\"after\":\"004\",\"applied\":4,T,\"exit\":0,\"status\":\"ok\"}"
	assert_equal "$(echo "$stderr" | sed -n 1p)" "conf-fleet: targets:6: the same target as line 2: run once"
	assert_equal "${stderr##*$'\n'}" "conf-fleet: 2 databases: 2 migrated, 0 failed, 0 not started"
	[[ "$output$stderr" != *p%40s* && "$output$stderr" != *"a b"* ]]
}

@test "SIGINT during a fleet run: the runners are stopped, each database at its last committed migration, the summary printed" {
	fleet "$S/f" 3
	cd "$S/f"
	echo "SELECT pg_sleep(60);" >db/migrations/002_m2.up.sql
	conf-fleet -J 2 -f targets up >"$S/out" 2>"$S/err" &
	pid=$!
	for _ in $(seq 200); do
		[ "$(pq "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname LIKE 'fl${N}\_%'")" = 2 ] && break
		sleep 0.05
	done
	t0=$SECONDS
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 130
	[ $((SECONDS - t0)) -lt 10 ]
	assert_equal "$(sed 's/"time_ms":[0-9]*/T/; s/,"message":.*/}/' "$S/out" | sort)" "{\"target\":\"user='postgres' dbname='fl${N}_1' host='$PGHOST' port='$PGPORT'\",\"line\":2,\"before\":null,\"after\":\"001\",\"applied\":1,T,\"exit\":130,\"status\":\"failed\"}
{\"target\":\"user='postgres' dbname='fl${N}_2' host='$PGHOST' port='$PGPORT'\",\"line\":3,\"before\":null,\"after\":\"001\",\"applied\":1,T,\"exit\":130,\"status\":\"failed\"}"
	[[ $(cat "$S/err") == *"
conf-fleet: 3 databases: 0 migrated, 2 failed, 1 not started
conf-fleet: interrupted: the databases not started are as they were" ]]
	assert_equal "$(psql -XAtq -d "fl${N}_1" -c "SELECT string_agg(version, ' ') FROM tb_confiture")" "001"
	assert_equal "$(pq "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'fl${N}\_%'")" 0
}

@test "a password is never shown, not even in a target that cannot be parsed or reached" {
	fleet "$S/f" 1
	cd "$S/f"
	pw=Sent1nelPW
	printf '%s\n' "postgresql://bob:S3c%zz${pw}@h/db" "host=$S/nosocket dbname=x password=$pw" \
		"postgresql://bob:$pw@[::1/db" "host=h password=$pw PW" >bad
	run --separate-stderr confiture migrate up --targets bad --keep-going --jobs 2
	assert_failure 3
	[[ "$output$stderr" != *"$pw"* ]]
	assert_equal "$(echo "$output" | grep -o '"target":"(unparsable connection string)","line":[0-9]' | sort)" '"target":"(unparsable connection string)","line":1
"target":"(unparsable connection string)","line":3
"target":"(unparsable connection string)","line":4'
	[[ $stderr == *"conf-fleet: dbname='x' host='$S/nosocket': conf-migrate: cannot connect to dbname='x' host='$S/nosocket': "* ]]
	run --separate-stderr confiture migrate status --targets bad --keep-going
	assert_failure 3
	[[ "$output$stderr" != *"$pw"* ]]
	[[ $stderr == *"conf-fleet: dbname='x' host='$S/nosocket': conf-migrate: cannot connect to dbname='x' host='$S/nosocket': "* ]]
	assert_equal "$(echo "$output" | sed -n 2p | sed 's/"time_ms":[0-9]*/T/; s/"message":.*/M}/')" '{"target":"dbname='"'x'"' host='"'$S/nosocket'"'","line":2,"version":null,"pending":0,T,"exit":3,"status":"failed",M}'
	proj "$S/p" "CREATE TABLE z$N ();"
	run --separate-stderr confiture build --cache --project-dir "$S/p" --database-url "postgresql://bob:$pw@[::1/db"
	assert_failure 3
	assert_equal "${stderr##*$'\n'}" "conf-tpl: the connection string from CONFITURE_DATABASE_URL cannot be parsed (libpq's reason is not shown: it quotes the string, which may hold a password)"
	[[ "$output$stderr" != *"$pw"* ]]
}

@test "a progress line on stderr only when it is a terminal" {
	command -v script >/dev/null || skip "no script(1) to make a terminal"
	fleet "$S/f" 2
	cd "$S/f"
	script -qec "conf-fleet -J 1 -f targets up >/dev/null" /dev/null >"$S/tty"
	assert_equal "$(tr '\r' '\n' <"$S/tty" | grep -a '^conf-fleet: [0-9]/2 done' | sed 's/\x1b\[K$//')" "conf-fleet: 0/2 done, 1 running
conf-fleet: 1/2 done, 1 running"
	run --separate-stderr conf-fleet -J 1 -f targets up
	assert_success
	[[ $stderr != *"done, "*running* ]]
}

@test "behind a pooler in transaction mode the migration lock does not hold: conf-migrate says so, exit 6, nothing applied" {
	fleet "$S/f" 1
	cd "$S/f"
	mkdir -p "$S/pool"
	python3 "$REPO/tests/fixtures/txpool.py" "$S/pool/.s.PGSQL.$PGPORT" "$PGHOST/.s.PGSQL.$PGPORT" >"$S/pool/log" 2>&1 3>&- &
	pool=$!
	for _ in $(seq 50); do grep -q ready "$S/pool/log" && break; sleep 0.1; done
	re="^conf-migrate: the migration lock of database \"fl${N}_1\" was taken by server process ([0-9]+), and the next statement ran in process [0-9]+: the connection goes through a pooler in transaction mode \(PgBouncer's pool_mode = transaction\?\), where a session advisory lock does not hold between statements; connect directly or through a pool in session mode \(the lock stays with process ([0-9]+) until its connection closes\)$"
	for wait in '' '-L 2000'; do
		# shellcheck disable=SC2086
		run --separate-stderr conf-migrate -d "host=$S/pool port=$PGPORT dbname=fl${N}_1" up $wait
		assert_failure 6
		[[ $stderr =~ $re ]]
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	done
	run --separate-stderr confiture migrate up --targets - <<<"postgresql:///fl${N}_1?host=$S/pool&port=$PGPORT"
	assert_failure 6
	[[ $output == *'"exit":6,"status":"failed","message":"conf-migrate: the migration lock of database'* ]]
	assert_equal "$(psql -XAtq -d "fl${N}_1" -c "SELECT to_regclass('tb_confiture') IS NULL AND to_regclass('m1') IS NULL")" t
	# conf-tpl's locks (one per schema hash, one per target) are session locks too
	proj "$S/p" "CREATE TABLE pl$N ();"
	cd "$S/p"
	re="^conf-tpl: a template lock was taken by server process ([0-9]+), and a later statement ran in process [0-9]+: the connection goes through a pooler in transaction mode \(PgBouncer's pool_mode = transaction\?\), where a session advisory lock does not hold between statements; connect directly or through a pool in session mode \(the lock stays with process ([0-9]+) until its connection closes\)$"
	run --separate-stderr confiture build --cache --database-url "postgresql:///pl$N?host=$S/pool&port=$PGPORT"
	assert_failure 6
	[[ ${stderr##*$'\n'} =~ $re ]]
	[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	assert_equal "$(pq "SELECT count(*) FROM pg_database WHERE datname IN ('pl$N') OR datname LIKE 'confiture\_tpl%$(conf-concat -H | cut -c1-16)'")" 0
}
