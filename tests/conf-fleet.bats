#!/usr/bin/env bats
# issue 14: migrations over a fleet of databases (confiture migrate --targets, conf-fleet), and the
# migration lock behind a pooler

load helper
load scale

teardown() {
	[ -z "${pool:-}" ] || kill "$pool" 2>/dev/null || true
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
	assert_equal "$(echo "$output" | sed -n 4p)" "{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_4' host='$PGHOST' port='$PGPORT'\",\"line\":5,\"before\":null,\"after\":\"004\",\"applied\":4,\"time_ms\":$(echo "$output" | sed -n '4s/.*"time_ms":\([0-9]*\).*/\1/p'),\"exit\":0,\"status\":\"ok\"}"
	assert_equal "$(echo "$output" | sed -n 5p | sed 's/"time_ms":[0-9]*/"time_ms":T/')" "{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT'\",\"line\":6,\"before\":null,\"after\":\"003\",\"applied\":3,\"time_ms\":T,\"exit\":1,\"status\":\"failed\",\"message\":\"conf-migrate: db/migrations/004_m4.up.sql:1:1: ERROR P0001: blocked in fl${N}_5\"}"
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
	assert_equal "$(echo "$output" | grep "dbname='fl${N}_5'" | sed 's/"time_ms":[0-9]*/T/')" "{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT'\",\"line\":6,\"version\":\"003\",\"pending\":1,T,\"exit\":1,\"status\":\"behind\"}"
	[[ $stderr == *"conf-fleet: 20 databases: 19 up to date, 1 behind or failed" ]]
	psql -XAtq -d "fl${N}_5" -c "DROP TABLE blocker"
	run --separate-stderr confiture migrate up --targets targets --jobs 8
	assert_success
	assert_equal "$(echo "$output" | grep "dbname='fl${N}_5'" | sed 's/"time_ms":[0-9]*/T/')" "{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_5' host='$PGHOST' port='$PGPORT'\",\"line\":6,\"before\":\"003\",\"after\":\"004\",\"applied\":1,T,\"exit\":0,\"status\":\"ok\"}"
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
	assert_equal "$(echo "$output" | sed 's/"time_ms":[0-9]*/T/' | sort)" "{\"kind\":\"fleet_run\",\"target\":\"prod\",\"line\":4,\"before\":null,\"after\":\"002\",\"applied\":2,T,\"exit\":0,\"status\":\"ok\"}
{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_1' host='$PGHOST' port='$PGPORT'\",\"line\":3,\"before\":null,\"after\":\"002\",\"applied\":2,T,\"exit\":0,\"status\":\"ok\"}"
	# CONFITURE_DATABASE_URL does not override an environment's own database_url
	CONFITURE_DATABASE_URL=$(url "fl${N}_1") run --separate-stderr confiture migrate up --targets - <<<"prod"
	assert_success
	assert_equal "$(echo "$output" | sed 's/"time_ms":[0-9]*/T/')" "{\"kind\":\"fleet_run\",\"target\":\"prod\",\"line\":1,\"before\":\"002\",\"after\":\"004\",\"applied\":2,T,\"exit\":0,\"status\":\"ok\"}"
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
	assert_equal "$(echo "$output" | sed 's/"time_ms":[0-9]*/T/' | sort)" "{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_1' host='$PGHOST' port='$PGPORT'\",\"line\":2,\"before\":null,\"after\":\"004\",\"applied\":4,T,\"exit\":0,\"status\":\"ok\"}
{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_2' host='$PGHOST' port='$PGPORT'\",\"line\":5,\"before\":null,\"after\":\"004\",\"applied\":4,T,\"exit\":0,\"status\":\"ok\"}"
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
	assert_equal "$(sed 's/"time_ms":[0-9]*/T/; s/,"message":.*/}/' "$S/out" | sort)" "{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_1' host='$PGHOST' port='$PGPORT'\",\"line\":2,\"before\":null,\"after\":\"001\",\"applied\":1,T,\"exit\":130,\"status\":\"failed\"}
{\"kind\":\"fleet_run\",\"target\":\"user='postgres' dbname='fl${N}_2' host='$PGHOST' port='$PGPORT'\",\"line\":3,\"before\":null,\"after\":\"001\",\"applied\":1,T,\"exit\":130,\"status\":\"failed\"}"
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
	assert_equal "$(echo "$output" | sed -n 2p | sed 's/"time_ms":[0-9]*/T/; s/"message":.*/M}/')" '{"kind":"fleet_run","target":"dbname='"'x'"' host='"'$S/nosocket'"'","line":2,"version":null,"pending":0,T,"exit":3,"status":"failed",M}'
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
