#!/usr/bin/env bats
# issue 14: the template cache of confiture build --cache (conf-tpl)

load helper
load scale

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
