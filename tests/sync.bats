#!/usr/bin/env bats
# confiture sync: one snapshot of the source, masked on the way, loaded all or nothing.

load helper

setup() {
	T=$BATS_TEST_TMPDIR
	export CONFITURE_ANON_KEY=sync-test-key-0001
	# sync's work dirs go here: a SIGKILL test leaves one (no trap runs), and none may stay in /tmp
	export TMPDIR=$T
	cd "$T"
}

# two databases with the same schema: $SRC (with data) and $DST (empty), URLs $SURL and $TURL
pair() {
	new_db "${1:-}src"
	SRC=$DB SURL=$DBURL
	new_db "${1:-}dst"
	DST=$DB TURL=$DBURL
	for d in "$SRC" "$DST"; do
		psql -XAtq -v ON_ERROR_STOP=1 -d "$d" >/dev/null <<'SQL'
CREATE TABLE customers (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text UNIQUE, phone text,
  first_name text, last_name text, card text, ip inet, profile jsonb, note text);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, customer_email text,
  total numeric(10,2));
CREATE TABLE "Odd ""Name""" (k text);
CREATE SEQUENCE invoice_no;
SQL
	done
	psql -XAtq -v ON_ERROR_STOP=1 -d "$SRC" >/dev/null <<'SQL'
INSERT INTO customers (email, phone, first_name, last_name, card, ip, profile, note)
SELECT 'zebu.person' || i || '@corp-sample.org', '+1 415 555 ' || lpad((1000 + i)::text, 4, '0'),
  (ARRAY['Zebulonia','Quillietta','Marvolene','Tranquilda'])[1 + i % 4] || i,
  (ARRAY['Quaxworth','Flimbleton','Drossmeyer'])[1 + i % 3] || i,
  '4' || lpad((i * 7919)::text, 14, '0') || (i % 10), ('10.' || i || '.' || (i * 7 % 250) || '.' || (1 + i * 13 % 250))::inet,
  jsonb_build_object('contact', jsonb_build_object('email', 'zebu.person' || i || '@corp-sample.org',
    'phone', '+1 415 555 ' || lpad((1000 + i)::text, 4, '0')), 'n', i),
  'Call zebu.person' || i || '@corp-sample.org or +1 415 555 ' || lpad((1000 + i)::text, 4, '0') || ' today'
FROM generate_series(1, 40) i;
INSERT INTO orders (customer_id, customer_email, total)
SELECT 1 + i % 40, 'zebu.person' || (1 + i % 40) || '@corp-sample.org', i * 1.5 FROM generate_series(1, 100) i;
INSERT INTO "Odd ""Name""" VALUES ('tab	in'), (NULL);
SELECT setval('invoice_no', 77);
SQL
	printf 'old\n' | psql -XAtq -d "$DST" -c 'INSERT INTO "Odd ""Name""" VALUES ($$stale$$)' >/dev/null
}

rules() {
	cat >"$T/rules.yaml" <<'YAML'
customers:
  - {column: email, strategy: email}
  - {column: phone, strategy: phone}
  - {column: first_name, strategy: first_name}
  - {column: last_name, strategy: last_name}
  - {column: card, strategy: credit_card}
  - {column: ip, strategy: ip_address, subnet_bits_ipv4: 8}
  - {column: profile, strategy: json, paths: [contact.email, contact.phone]}
  - {column: note, strategy: text_redaction}
orders:
  - {column: customer_email, strategy: email}
YAML
}

# data DB: the data of a database as pg_dump writes it, without the \restrict lines
data() {
	pg_dump -a -d "$1" | grep -v '^\\\(un\)\?restrict '
}

@test "sync copies every table, the sequences and the identity from the source, and says it" {
	pair
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL"
	assert_success
	assert_output ''
	assert_equal "$(sed -n 1p <<<"$stderr")" "confiture: anonymization is off: the data is copied verbatim (--anonymize RULES masks it)"
	assert_equal "$(grep -cE '^conf-sync: public\.customers: 40 rows, 0\.0 MB, [0-9]+\.[0-9]{2} s, [0-9]+ rows/s$' <<<"$stderr")" 1
	assert_equal "$(grep -cE '^conf-sync: public\.orders: 100 rows, 0\.0 MB, [0-9]+\.[0-9]{2} s, [0-9]+ rows/s$' <<<"$stderr")" 1
	assert_equal "$(tail -n 1 <<<"$stderr" | sed 's/in [0-9]* s/in N s/')" "confiture: synced 3 tables, 142 rows, 0.0 MB in N s"
	diff <(data "$SRC") <(data "$DST")
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT last_value FROM invoice_no")" 77
	assert_equal "$(psql -XAtq -d "$DST" -c "INSERT INTO customers (email) VALUES ('new') RETURNING id")" 41
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM \"Odd \"\"Name\"\"\" WHERE k = 'stale'")" 0
}

@test "--format json: one JSON object on stdout with the rows of each table" {
	pair
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --format json
	assert_success
	assert_equal "$(jq -c '{ok, anonymized, tables: (.tables | map_values(.rows)), rows, warnings}' <<<"$output")" \
		'{"ok":true,"anonymized":false,"tables":{"public.\"Odd \"\"Name\"\"\"":2,"public.customers":40,"public.orders":100},"rows":142,"warnings":["anonymization is off: the data is copied verbatim"]}'
}

@test "the target is the source, however the URL is spelled: refused, exit 5, nothing touched" {
	pair
	run --separate-stderr confiture sync --from "$SURL" --to "host=$PGHOST port=$PGPORT dbname=$SRC user=postgres"
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: the --to database is the database of the --from database: a sync would destroy its source"
	assert_equal "$(psql -XAt -d "$SRC" -c 'SELECT count(*) FROM orders')" 100
	# environment names are named in the message
	mkdir -p db/environments
	printf 'database_url: "%s"\n' "$SURL" >db/environments/prod.yaml
	printf 'database_url: "postgresql:///%s?host=%s&port=%s"\n' "$SRC" "$PGHOST" "$PGPORT" >db/environments/copy.yaml
	run --separate-stderr confiture sync --from prod --to copy
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: --to copy is the database of --from prod: a sync would destroy its source"
}

@test "a target whose environment file says require_confirmation: true is refused without --force" {
	pair
	mkdir -p db/environments
	printf 'database_url: "%s"\n' "$SURL" >db/environments/staging.yaml
	printf 'database_url: "%s"\nrequire_confirmation: true\n' "$TURL" >db/environments/production.yaml
	run --separate-stderr confiture sync --from staging --to production
	assert_failure 5
	assert_equal "$stderr" "confiture: --to production is a production database (require_confirmation: true in its environment file): give --force to overwrite it"
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM orders')" 0
	run --separate-stderr confiture sync --from staging --to production --force
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM orders')" 100
}

@test "a target URL that reaches a production environment's database, and an environment named production or prod, are refused without --force" {
	pair
	mkdir -p db/environments
	printf 'database_url: "%s"\n' "$SURL" >db/environments/staging.yaml
	printf 'database_url: "%s"\nrequire_confirmation: true\n' "$TURL" >db/environments/live.yaml
	run --separate-stderr confiture sync --from staging --to "$TURL"
	assert_failure 5
	assert_equal "$stderr" "confiture: the --to database is the database of environment live, a production database (require_confirmation: true in its environment file): give --force to overwrite it"
	# the same database spelled as keyword=value settings
	run --separate-stderr confiture sync --from staging --to "dbname=$DST host=$PGHOST port=$PGPORT"
	assert_failure 5
	assert_equal "$stderr" "confiture: the --to database is the database of environment live, a production database (require_confirmation: true in its environment file): give --force to overwrite it"
	rm db/environments/live.yaml
	for name in production prod; do
		printf 'database_url: "%s"\n' "$TURL" >"db/environments/$name.yaml"
		run --separate-stderr confiture sync --from staging --to "$name"
		assert_failure 5
		assert_equal "$stderr" "confiture: --to $name is a production database (its name, without require_confirmation: false, in its environment file): give --force to overwrite it"
		run --separate-stderr confiture sync --from staging --to "$TURL"
		assert_failure 5
		assert_equal "$stderr" "confiture: the --to database is the database of environment $name, a production database (its name, without require_confirmation: false, in its environment file): give --force to overwrite it"
		rm "db/environments/$name.yaml"
	done
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM orders')" 0
	printf 'database_url: "%s"\nrequire_confirmation: false\n' "$TURL" >db/environments/prod.yaml
	run --separate-stderr confiture sync --from staging --to prod
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM orders')" 100
}

@test "--tables and --exclude choose the tables; a name that matches no table is an error" {
	pair
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --tables 'Odd "Name"'
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT (SELECT count(*) FROM customers), (SELECT count(k) FROM \"Odd \"\"Name\"\"\")")" "0|1"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --exclude 'public.Odd "Name"'
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)")" "40|100"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --tables customers,nosuch --exclude other
	assert_failure 5
	assert_equal "$stderr" "$(printf 'confiture: --tables: no table nosuch in the source\nconfiture: --exclude: no table other in the source')"
}

@test "a table left out while a synced one it references is truncated: the server refuses, nothing changes" {
	pair
	confiture sync --from "$SURL" --to "$TURL" 2>/dev/null
	psql -XAtq -d "$SRC" -c "UPDATE customers SET phone = 'changed'"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --exclude orders
	assert_failure 1
	assert_equal "$(grep -c 'ERROR 0A000: cannot truncate a table referenced in a foreign key constraint' <<<"$stderr")" 1
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM customers WHERE phone = 'changed'")" 0
}

@test "--jobs 2 gives the same target as --jobs 1, in the default and the per-table mode" {
	pair
	confiture sync --from "$SURL" --to "$TURL" --jobs 1 2>/dev/null
	data "$DST" >"$T/one"
	psql -XAtq -d "$DST" -c 'TRUNCATE customers, orders, "Odd ""Name"""'
	confiture sync --from "$SURL" --to "$TURL" --jobs 2 2>/dev/null
	data "$DST" >"$T/two"
	diff "$T/one" "$T/two"
	psql -XAtq -d "$DST" -c 'TRUNCATE customers, orders, "Odd ""Name"""'
	confiture sync --from "$SURL" --to "$TURL" --jobs 2 --per-table --checkpoint "$T/ck" 2>/dev/null
	data "$DST" >"$T/three"
	diff "$T/one" "$T/three"
	assert_equal "$(tail -n +2 "$T/ck" | sort)" "$(printf 'public."Odd ""Name"""\npublic.customers\npublic.orders')"
}

@test "option errors: exit 5 with the reason" {
	run --separate-stderr confiture sync --to x
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: --from is required: an environment name or a connection string"
	run --separate-stderr confiture sync --from a --to b --resume
	assert_failure 5
	assert_equal "$stderr" "confiture: --resume needs --per-table: the default sync commits all tables at once"
	run --separate-stderr confiture sync --from a --to b --jobs 0
	assert_failure 5
	assert_equal "$stderr" "confiture: --jobs wants a number of parallel connections (1 or more), not 0"
	run --separate-stderr confiture sync --from a --to b --anonymize nosuch.yaml
	assert_failure 5
	assert_equal "$stderr" "confiture: anonymization rules not found: nosuch.yaml"
	run --separate-stderr confiture sync --from a --to b
	assert_failure 5
	assert_equal "$stderr" "conf-sync: db/environments/a.yaml: No such file or directory"
}

@test "an unreachable target or source: exit 3, nothing printed of the connection string's password" {
	pair
	run --separate-stderr confiture sync --from "$SURL" --to "postgresql://bob:Sent1nelPW@/nodb?host=$T/nosock"
	assert_failure 3
	[[ "$stderr" == *"confiture: --to: psql: error: connection to server on socket \"$T/nosock/.s.PGSQL.$PGPORT\" failed"* ]]
	[[ "$stderr" != *Sent1nelPW* ]]
	run --separate-stderr confiture sync --to "$SURL" --from "host=$T/nosock dbname=x password=Sent1nelPW"
	assert_failure 3
	[[ "$stderr" == *"confiture: --from: psql: error: connection to server on socket \"$T/nosock/.s.PGSQL.$PGPORT\" failed"* ]]
	[[ "$stderr" != *Sent1nelPW* ]]
}

# wait_copy DB: until a COPY runs into DB
wait_copy() {
	for _ in $(seq 1 200); do
		[ "$(psql -XAt -d postgres -c "SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_database d ON d.oid = p.datid WHERE d.datname = '$1' AND p.tuples_processed > 0")" = 0 ] || return 0
		sleep 0.05
	done
	return 1
}

big() {
	psql -XAtq -v ON_ERROR_STOP=1 -d "$SRC" -c "INSERT INTO orders (customer_id, customer_email, total) SELECT 1 + i % 40, 'x' || i, i FROM generate_series(1, 600000) i" >/dev/null
}

@test "SIGKILL in the middle: the default sync leaves the target as it was" {
	pair
	big
	psql -XAtq -d "$DST" -c "INSERT INTO customers (email) VALUES ('kept@before')" >/dev/null
	setsid confiture sync --from "$SURL" --to "$TURL" 2>"$T/err" &
	pid=$!
	wait_copy "$DST"
	kill -KILL -- "-$pid"
	wait "$pid" || true
	sleep 0.3
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT (SELECT string_agg(email, ',') FROM customers), (SELECT count(*) FROM orders)")" "kept@before|0"
	rm -rf "$T"/confiture-sync.*
}

@test "--per-table: SIGKILL in the middle keeps the tables done, --resume finishes the rest" {
	pair
	big
	setsid confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" 2>"$T/err" &
	pid=$!
	# customers commits first, orders is the long one
	for _ in $(seq 1 200); do
		grep -qx public.customers "$T/ck" 2>/dev/null && break
		sleep 0.05
	done
	wait_copy "$DST"
	kill -KILL -- "-$pid"
	wait "$pid" || true
	sleep 0.3
	assert_equal "$(tail -n +2 "$T/ck")" 'public."Odd ""Name"""'"
public.customers"
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)')" "40|0"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" --resume
	assert_success
	[[ "$stderr" == *'confiture: public.customers: done before (checkpoint), skipped'* ]]
	# the same rows; their physical order may differ after the rolled-back load (its dead tuples take pages)
	diff <(data "$SRC" | sort) <(data "$DST" | sort)
}

# gone PID...: until none of the processes runs (at most 10 s)
gone() {
	for _ in $(seq 1 200); do
		kill -0 "$@" 2>/dev/null || return 0
		sleep 0.05
	done
	return 1
}

# no_load DB: until no session loads into DB (the pipeline of a killed shell ends by itself)
no_load() {
	for _ in $(seq 1 400); do
		[ "$(psql -XAt -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1' AND backend_type = 'client backend'")" != 0 ] || return 0
		sleep 0.05
	done
	return 1
}

@test "SIGTERM to the confiture process alone stops the load: nothing committed, exit 143, work dir removed" {
	pair
	big
	psql -XAtq -d "$DST" -c "INSERT INTO customers (email) VALUES ('kept@before')" >/dev/null
	confiture sync --from "$SURL" --to "$TURL" 2>"$T/err" &
	pid=$!
	wait_copy "$DST"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	assert_equal "$(tail -n 1 "$T/err")" "confiture: interrupted by SIGTERM: stopped, nothing committed: the target is as it was"
	# no process of the sync outlives it, and no load comes later
	no_load "$DST"
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT (SELECT string_agg(email, ',') FROM customers), (SELECT count(*) FROM orders)")" "kept@before|0"
	assert_equal "$(find "$T" -maxdepth 1 -name 'confiture-sync.*')" ''
}

@test "SIGINT to the confiture process exits 130, SIGHUP 129, and the target is as it was" {
	pair
	big
	for sig in INT:130 HUP:129; do
		# a background job of a script starts with SIGINT ignored, and a run under nohup with
		# SIGHUP ignored (a shell cannot trap what it was started ignoring): give them back
		env --default-signal=INT,HUP confiture sync --from "$SURL" --to "$TURL" 2>"$T/err" &
		pid=$!
		wait_copy "$DST"
		kill -"${sig%:*}" "$pid"
		rc=0
		wait "$pid" || rc=$?
		assert_equal "$rc" "${sig#*:}"
		assert_equal "$(tail -n 1 "$T/err")" "confiture: interrupted by SIG${sig%:*}: stopped, nothing committed: the target is as it was"
		no_load "$DST"
		assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM orders")" 0
	done
	assert_equal "$(find "$T" -maxdepth 1 -name 'confiture-sync.*')" ''
}

@test "SIGKILL of the confiture process alone: its pipeline finds it gone and does not commit" {
	pair
	big
	psql -XAtq -d "$DST" -c "INSERT INTO customers (email) VALUES ('kept@before')" >/dev/null
	confiture sync --from "$SURL" --to "$TURL" 2>"$T/err" &
	pid=$!
	wait_copy "$DST"
	kill -KILL "$pid"
	wait "$pid" || true
	no_load "$DST"
	sleep 0.2
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT (SELECT string_agg(email, ',') FROM customers), (SELECT count(*) FROM orders)")" "kept@before|0"
	grep -qx "conf-sync: process $pid (confiture) is gone: the load is not committed" "$T/err"
	# a SIGKILL runs no trap: the work dir stays (CAVEATS); its files are its owner's only
	assert_equal "$(stat -c %a "$T"/confiture-sync.*)" 700
	rm -rf "$T"/confiture-sync.*
}

@test "--per-table: SIGTERM to the confiture process keeps the tables committed, exit 143" {
	pair
	big
	confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" 2>"$T/err" &
	pid=$!
	for _ in $(seq 1 200); do
		grep -qx public.customers "$T/ck" 2>/dev/null && break
		sleep 0.05
	done
	wait_copy "$DST"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 143
	no_load "$DST"
	assert_equal "$(tail -n 1 "$T/err")" "confiture: interrupted by SIGTERM: stopped; the tables recorded in $T/ck are committed, --resume finishes the rest"
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)')" "40|0"
	assert_equal "$(find "$T" -maxdepth 1 -name 'confiture-sync.*')" ''
}

# sysid DB: the cluster's system identifier, database oid and name, as the checkpoint has them
ident() {
	psql -XAt -d "$1" -c "SELECT s.system_identifier || ' ' || d.oid || ' ' || d.datname FROM pg_control_system() s, pg_database d WHERE d.datname = current_database()"
}

@test "--per-table: the checkpoint's first line names the source, the target and the tables" {
	pair
	confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" 2>/dev/null
	sum=$(printf 'public."Odd ""Name"""\npublic.customers\npublic.orders\n' | cksum | cut -d ' ' -f 1)
	assert_equal "$(head -n 1 "$T/ck")" "$(printf '# confiture sync checkpoint\tfrom %s\tto %s\ttables %s' "$(ident "$SRC")" "$(ident "$DST")" "$sum")"
}

@test "--resume refuses a checkpoint of another target, source or table set (exit 5), and one without identity" {
	pair
	new_db other
	OTHER=$DB OURL=$DBURL
	pg_dump -s -d "$DST" | psql -XAtq -d "$OTHER" >/dev/null
	confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" 2>/dev/null
	run --separate-stderr confiture sync --from "$SURL" --to "$OURL" --per-table --checkpoint "$T/ck" --resume
	assert_failure 5
	assert_equal "${stderr#confiture: anonymization is off: the data is copied verbatim (--anonymize RULES masks it)$'\n'}" "confiture: --resume: $T/ck is for another target (system, database oid, name: $(ident "$DST")), not the --to database ($(ident "$OTHER")): sync again without --resume"
	assert_equal "$(psql -XAt -d "$OTHER" -c 'SELECT count(*) FROM orders')" 0
	run --separate-stderr confiture sync --from "$OURL" --to "$TURL" --per-table --checkpoint "$T/ck" --resume
	assert_failure 5
	assert_equal "${stderr#confiture: anonymization is off: the data is copied verbatim (--anonymize RULES masks it)$'\n'}" "confiture: --resume: $T/ck is for another source (system, database oid, name: $(ident "$SRC")), not the --from database ($(ident "$OTHER")): sync again without --resume"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" --resume --tables customers
	assert_failure 5
	assert_equal "${stderr#confiture: anonymization is off: the data is copied verbatim (--anonymize RULES masks it)$'\n'}" "confiture: --resume: $T/ck is for another set of tables (--tables/--exclude differ): sync again without --resume"
	echo public.orders >"$T/old"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/old" --resume
	assert_failure 5
	assert_equal "${stderr#confiture: anonymization is off: the data is copied verbatim (--anonymize RULES masks it)$'\n'}" "confiture: --resume: $T/old has no identity line (an older or foreign file): sync again without --resume"
}

@test "--resume with every table done: exit 0, nothing loaded, and the summary says so" {
	pair
	confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" 2>/dev/null
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" --resume
	assert_success
	assert_equal "$(sed -E 's/in [0-9]+ s/in N s/' <<<"$stderr")" "$(printf '%s\n' 'confiture: anonymization is off: the data is copied verbatim (--anonymize RULES masks it)' \
		'confiture: public."Odd ""Name""": done before (checkpoint), skipped' 'confiture: public.customers: done before (checkpoint), skipped' \
		'confiture: public.orders: done before (checkpoint), skipped' 'confiture: synced 0 tables, 0 rows, 0.0 MB in N s, 3 done before (checkpoint)')"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --per-table --checkpoint "$T/ck" --resume --format json
	assert_success
	assert_equal "$(jq -c '{ok, tables, rows, done_before}' <<<"$output")" '{"ok":true,"tables":{},"rows":0,"done_before":3}'
}

@test "--format json: a failure is a JSON object on stdout too, and one message on stderr when conf-anon fails mid-table" {
	pair
	run --separate-stderr confiture sync --from "$SURL" --to "$SURL" --format json
	assert_failure 5
	assert_equal "$output" '{"ok": false, "exit": 5, "error": "confiture: the --to database is the database of the --from database: a sync would destroy its source"}'
	assert_equal "$stderr" "confiture: the --to database is the database of the --from database: a sync would destroy its source"
	# a value the ip_address strategy cannot read, in the last table: conf-anon stops in the middle of it
	psql -XAtq -d "$SRC" -c "ALTER TABLE orders ALTER customer_email TYPE text" >/dev/null
	printf 'orders:\n  - {column: customer_email, strategy: ip_address}\n' >"$T/bad.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/bad.yaml" --format json
	assert_failure 1
	[ "$(grep -c -v ' rows, ' <<<"$stderr")" = 1 ]
	[[ "$stderr" == *'confiture: conf-anon: '*orders* ]]
	assert_equal "$(jq -c '{ok, exit}' <<<"$output")" '{"ok":false,"exit":1}'
	assert_equal "$(jq -r .error <<<"$output")" "$(grep -v ' rows, ' <<<"$stderr")"
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM "Odd ""Name"""')" 1
}

@test "the target's populated materialized views are refreshed in the load's transaction, a view over a view after it" {
	pair
	rules
	for d in "$SRC" "$DST"; do
		psql -XAtq -v ON_ERROR_STOP=1 -d "$d" >/dev/null <<'SQL'
CREATE MATERIALIZED VIEW zz_emails AS SELECT email FROM customers;
CREATE MATERIALIZED VIEW aa_count AS SELECT count(*) AS n FROM zz_emails;
CREATE MATERIALIZED VIEW never AS SELECT email FROM customers WITH NO DATA;
SQL
	done
	psql -XAtq -d "$DST" -c "INSERT INTO customers (email) VALUES ('old-real@corp.org'); REFRESH MATERIALIZED VIEW zz_emails; REFRESH MATERIALIZED VIEW aa_count" >/dev/null
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(*) FILTER (WHERE email LIKE 'old-real%' OR email LIKE 'zebu%') FROM zz_emails")" "40|0"
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT n FROM aa_count")" 40
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT relispopulated FROM pg_class WHERE relname = 'never'")" f
	# --per-table: refreshed at the end, after the last table
	psql -XAtq -d "$SRC" -c "DELETE FROM orders; DELETE FROM customers WHERE id > 10" >/dev/null
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" --per-table --checkpoint "$T/ck"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT n FROM aa_count")" 10
}

@test "--anonymize: a rule on a parent table masks its inheritance child's rows and its partitions' rows" {
	pair
	for d in "$SRC" "$DST"; do
		psql -XAtq -v ON_ERROR_STOP=1 -d "$d" >/dev/null <<'SQL'
CREATE TABLE people (id int, email text);
CREATE TABLE staff (badge int) INHERITS (people);
CREATE TABLE events (id int, email text) PARTITION BY RANGE (id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (100);
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (100) TO (200);
SQL
	done
	psql -XAtq -v ON_ERROR_STOP=1 -d "$SRC" >/dev/null <<'SQL'
INSERT INTO people VALUES (1, 'parent.row@corp-sample.org');
INSERT INTO staff VALUES (2, 'child.row@corp-sample.org', 7);
INSERT INTO events VALUES (5, 'part.one@corp-sample.org'), (150, 'part.two@corp-sample.org');
SQL
	printf 'people:\n  - {column: email, strategy: email}\nevents:\n  - {column: email, strategy: email}\n' >"$T/parents.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/parents.yaml"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(*) FILTER (WHERE email LIKE '%corp-sample%') FROM people")" "2|0"
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(*) FILTER (WHERE email LIKE '%corp-sample%') FROM ONLY staff")" "1|0"
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(*) FILTER (WHERE email LIKE '%corp-sample%') FROM events")" "2|0"
	assert_equal "$(pg_dump -a -t people -t staff -t 'events*' -d "$DST" | grep -c 'corp-sample')" 0
}

@test "--anonymize: an email masked in a varchar(40) column and in a text column still joins (max_length: 40 in both rules)" {
	new_db jsrc
	SRC=$DB SURL=$DBURL
	new_db jdst
	DST=$DB TURL=$DBURL
	for d in "$SRC" "$DST"; do
		psql -XAtq -d "$d" -c 'CREATE TABLE accounts (id int, email varchar(40)); CREATE TABLE logins (id int, email text)' >/dev/null
	done
	psql -XAtq -d "$SRC" -c "INSERT INTO accounts SELECT i, 'person' || i || '@corp-sample.org' FROM generate_series(1, 20) i;
	  INSERT INTO logins SELECT i, 'person' || i || '@corp-sample.org' FROM generate_series(1, 20) i" >/dev/null
	# the mask does not depend on the column's limit: a mask too long for it is an error, not cut
	printf 'accounts:\n  - {column: email, strategy: email}\nlogins:\n  - {column: email, strategy: email}\n' >"$T/j.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/j.yaml"
	assert_failure 1
	assert_equal "$stderr" "confiture: conf-anon: <stdin>:26: table public.accounts: column email: email: the masked email has 43 characters, more than the column's limit of 40: set max_length: 40 in the rule (and the same in every rule whose column it joins)"
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM accounts')" 0
	printf 'accounts:\n  - {column: email, strategy: email, max_length: 40}\nlogins:\n  - {column: email, strategy: email, max_length: 40}\n' >"$T/j.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/j.yaml"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(*) FILTER (WHERE a.email LIKE '%corp-sample%'), max(length(a.email)) <= 40 FROM accounts a JOIN logins l ON l.email = a.email AND l.id = a.id")" "20|0|t"
}

# originals DB: every value of the masked columns, one a line
originals() {
	psql -XAt -d "$1" -c "SELECT email FROM customers UNION SELECT phone FROM customers UNION SELECT first_name FROM customers
	  UNION SELECT last_name FROM customers UNION SELECT card FROM customers UNION SELECT host(ip) FROM customers
	  UNION SELECT profile::text FROM customers UNION SELECT note FROM customers UNION SELECT customer_email FROM orders"
}

@test "--anonymize: no original value of a masked column anywhere in pg_dump of the target" {
	pair
	rules
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml"
	assert_success
	[[ "$stderr" == *"(anonymized)" ]]
	pg_dump -d "$DST" >"$T/dump"
	originals "$SRC" >"$T/orig"
	assert_equal "$(wc -l <"$T/orig")" 320
	if grep -F -f "$T/orig" "$T/dump"; then
		fail "original values reached the target"
	fi
	# the rest came as it was, and the masked values have their shape
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(DISTINCT email), sum(total) FROM customers JOIN orders ON orders.customer_id = customers.id")" "100|40|7575.00"
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM customers WHERE right(card, 4) = right((SELECT card FROM customers c2 WHERE false), 4)")" 0
}

@test "--anonymize: the same key gives the same target, another key another one; a masked email still joins" {
	pair
	rules
	confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" 2>/dev/null
	data "$DST" >"$T/a"
	confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" 2>/dev/null
	data "$DST" >"$T/b"
	cmp "$T/a" "$T/b"
	confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" --per-table --checkpoint "$T/ck" --jobs 2 2>/dev/null
	data "$DST" >"$T/p"
	cmp "$T/a" "$T/p"
	CONFITURE_ANON_KEY=another-key-00001 confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" 2>/dev/null
	data "$DST" >"$T/c"
	if cmp -s "$T/a" "$T/c"; then false; fi
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM orders o JOIN customers c ON c.email = o.customer_email AND c.id = o.customer_id")" 100
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM orders o JOIN customers c ON c.email = o.customer_email")" 100
}

@test "--anonymize on pagila: no customer, staff or address value survives; the rest is as in the source" {
	[ -f "$CORPUS/schemas/pagila-data-e0e35a6.sql" ] || skip "no pagila in $CORPUS/schemas"
	new_db psrc
	SRC=$DB SURL=$DBURL
	psql -XAtq -d "$SRC" -f "$CORPUS/schemas/pagila-schema-pg15compatible-e0e35a6.sql" >/dev/null 2>&1
	psql -XAtq -v ON_ERROR_STOP=1 -d "$SRC" -f "$CORPUS/schemas/pagila-data-e0e35a6.sql" >/dev/null
	new_db pdst
	DST=$DB TURL=$DBURL
	psql -XAtq -d "$DST" -f "$CORPUS/schemas/pagila-schema-pg15compatible-e0e35a6.sql" >/dev/null 2>&1
	cat >"$T/pagila.yaml" <<'YAML'
customer:
  - {column: first_name, strategy: first_name}
  - {column: last_name, strategy: last_name}
  - {column: email, strategy: email}
staff:
  - {column: first_name, strategy: first_name}
  - {column: last_name, strategy: last_name}
  - {column: email, strategy: email}
  - {column: username, strategy: hash}
  - {column: password, strategy: redact}
address:
  - {column: address, strategy: address}
  - {column: phone, strategy: phone}
YAML
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/pagila.yaml" --jobs 2
	assert_success
	pg_dump -d "$DST" >"$T/dump"
	# emails, phones and addresses are long enough to be looked for anywhere; names as whole fields
	psql -XAt -d "$SRC" -c "SELECT email FROM customer WHERE email <> '' UNION SELECT email FROM staff UNION SELECT phone FROM address WHERE length(phone) > 5
	  UNION SELECT address FROM address UNION SELECT password FROM staff" >"$T/long"
	if grep -F -f "$T/long" "$T/dump"; then
		fail "original values reached the target"
	fi
	# names come from a dictionary of real names, as pagila's are: a masked name may be someone
	# else's; no person keeps their own full name, nor staff their login
	psql -XAt -d "$SRC" -c "SELECT customer_id, first_name || ' ' || last_name FROM customer UNION ALL
	  SELECT -staff_id, first_name || ' ' || last_name || ' ' || username FROM staff ORDER BY 1" >"$T/names.src"
	psql -XAt -d "$DST" -c "SELECT customer_id, first_name || ' ' || last_name FROM customer UNION ALL
	  SELECT -staff_id, first_name || ' ' || last_name || ' ' || username FROM staff ORDER BY 1" >"$T/names.dst"
	assert_equal "$(wc -l <"$T/names.dst")" 2099
	assert_equal "$(comm -12 <(sort "$T/names.src") <(sort "$T/names.dst"))" ""
	for t in rental payment film inventory; do
		assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*) FROM $t")" "$(psql -XAt -d "$SRC" -c "SELECT count(*) FROM $t")"
	done
	diff <(pg_dump -a -t rental -d "$SRC" | grep -v restrict) <(pg_dump -a -t rental -d "$DST" | grep -v restrict)
}

@test "progress: a bar redrawn on a terminal (the plain lines: tests/conf-sync.bats)" {
	pair
	big
	# stderr on a terminal (script(1) gives the command a pty)
	script -qec "confiture sync --from '$SURL' --to '$TURL' 2>&1 >/dev/null" /dev/null >"$T/tty" </dev/null
	grep -qaE $'\rconf-sync: public\\.orders \\[[#.]{30}\\] +[0-9]+% [0-9]+ rows [0-9.]+ MB [0-9]+ rows/s' "$T/tty" ||
		fail "no bar: $(head -c 600 "$T/tty" | od -c | head -20)"
	grep -qaE 'conf-sync: public\.orders: 600100 rows, [0-9.]+ MB, [0-9.]+ s, [0-9]+ rows/s' "$T/tty"
}

@test "no password in the argv of any program the sync runs, nor in a message" {
	pair
	mkdir -p "$T/spy"
	for t in conf-apply conf-anon conf-sync pg_dump psql; do
		real=$(command -v "$t")
		printf '#!/bin/sh\nprintf "%%s\\n" "$0" "$@" >>"%s/argv"\nexec "%s" "$@"\n' "$T" "$real" >"$T/spy/$t"
		chmod +x "$T/spy/$t"
	done
	rules
	run env CONF_BINDIR="$T/spy" PATH="$T/spy:$PATH" confiture sync --anonymize "$T/rules.yaml" --jobs 2 \
		--from "postgresql://postgres:Sent1nelPW@/$SRC?host=$PGHOST&port=$PGPORT" \
		--to "host=$PGHOST port=$PGPORT dbname=$DST user=postgres password=Sent1nelPW"
	assert_success
	grep -q 'service=from' "$T/argv"
	grep -q 'service=to' "$T/argv"
	grep -q '^.*/pg_dump$' "$T/argv"
	if grep -n Sent1nelPW "$T/argv" - <<<"$output"; then
		fail "the password was passed in argv or printed"
	fi
}

@test "a mask that fails in the middle of a table: exit 1 with conf-anon's message, the target as it was" {
	pair
	confiture sync --from "$SURL" --to "$TURL" 2>/dev/null
	data "$DST" >"$T/before"
	psql -XAtq -d "$SRC" -c "UPDATE customers SET first_name = 'changed'"
	printf 'customers:\n  - {column: first_name, strategy: ip_address}\n' >"$T/bad.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/bad.yaml"
	assert_failure 1
	assert_equal "$(grep -c '^confiture: conf-anon: <stdin>:[0-9]*: table public.customers: column first_name: ip_address: not an IP address$' <<<"$stderr")" 1
	diff "$T/before" <(data "$DST")
}

@test "rules naming a column the synced tables lack: exit 1 before any data moves" {
	pair
	printf 'customers:\n  - {column: emial, strategy: email}\n' >"$T/typo.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/typo.yaml"
	assert_failure 1
	assert_equal "$stderr" "confiture: conf-anon: $T/typo.yaml:2:5: column emial of table customers never came in the stream"
	assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM "Odd ""Name"""')" 1
}

@test "--tables/--exclude with the project's rules: rules on tables left out are no error, on tables the source lacks they are" {
	pair
	rules
	# orders references customers: orders alone can be truncated
	for sel in "--tables orders" "--exclude customers"; do
		# shellcheck disable=SC2086
		run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" $sel
		assert_success
		assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), count(*) FILTER (WHERE customer_email LIKE 'zebu%') FROM orders")" "100|0"
		assert_equal "$(psql -XAt -d "$DST" -c 'SELECT count(*) FROM customers')" 0
	done
	printf 'nosuch:\n  - {column: email, strategy: email}\n' >>"$T/rules.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/rules.yaml" --tables orders
	assert_failure 1
	assert_equal "$stderr" "confiture: conf-anon: $T/rules.yaml:13:5: table nosuch never came in the stream"
}

@test "--anonymize: masked values fit the target's varchar(n) and char(n) through the rules' lengths, checked against its catalog" {
	new_db lsrc
	SRC=$DB SURL=$DBURL
	new_db ldst
	DST=$DB TURL=$DBURL
	for d in "$SRC" "$DST"; do
		psql -XAtq -d "$d" -c 'CREATE TABLE u (id int PRIMARY KEY, email varchar(30), name char(6))'
	done
	psql -XAtq -d "$SRC" -c "INSERT INTO u SELECT i, 'p' || i || '@x.io', 'n' || i FROM generate_series(1, 50) i"
	# the lengths of the email and of the hash are the rule's (max_length, length), the same in
	# every column they join: neither is cut to a column (conf-anon refuses one that does not fit)
	printf 'u:\n  - {column: email, strategy: email, max_length: 30}\n  - {column: name, strategy: hash, length: 6}\n' >"$T/r.yaml"
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --anonymize "$T/r.yaml"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT count(*), max(length(email)) <= 30, count(DISTINCT email), max(length(name)) FROM u WHERE email NOT LIKE 'p%@x.io'")" "50|t|50|6"
}

@test "--tables: the chosen tables' sequences follow them (serial, identity, OWNED BY, a free one their default draws from); others stay" {
	new_db seqsrc
	SRC=$DB SURL=$DBURL
	new_db seqdst
	DST=$DB TURL=$DBURL
	for d in "$SRC" "$DST"; do
		psql -XAtq -v ON_ERROR_STOP=1 -d "$d" >/dev/null <<'SQL'
CREATE SEQUENCE free_seq; CREATE SEQUENCE other_free;
CREATE TABLE a (id serial PRIMARY KEY, x text); CREATE SEQUENCE owned_by_a OWNED BY a.x;
CREATE TABLE b (id int GENERATED ALWAYS AS IDENTITY, y text);
CREATE TABLE "it's" (z int DEFAULT nextval('free_seq'));
CREATE TABLE c (z int DEFAULT nextval('other_free'));
SQL
	done
	psql -XAtq -v ON_ERROR_STOP=1 -d "$SRC" >/dev/null <<'SQL'
INSERT INTO a (x) SELECT 'v' FROM generate_series(1, 5); INSERT INTO b (y) SELECT 'w' FROM generate_series(1, 7);
INSERT INTO "it's" SELECT FROM generate_series(1, 3); INSERT INTO c SELECT FROM generate_series(1, 4);
SELECT setval('owned_by_a', 50);
SQL
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL" --tables "a,b,it's"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT (SELECT last_value FROM a_id_seq), (SELECT last_value FROM b_id_seq),
		(SELECT last_value FROM owned_by_a), (SELECT last_value || ' ' || is_called FROM free_seq),
		(SELECT last_value || ' ' || is_called FROM other_free), (SELECT count(*) FROM c)")" "5|7|50|3 true|1 false|0"
	# all tables: every sequence
	run --separate-stderr confiture sync --from "$SURL" --to "$TURL"
	assert_success
	assert_equal "$(psql -XAt -d "$DST" -c "SELECT last_value || ' ' || is_called FROM other_free")" "4 true"
}
