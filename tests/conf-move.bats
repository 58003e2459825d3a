#!/usr/bin/env bats
# conf-move: schema to schema through a mapping, against two databases of the
# test cluster linked by postgres_fdw (set up here in plain SQL, as conf-fdw setup does).

load helper
load s2s-pair

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
}

@test "mapping: every refusal names FILE:LINE:COL, before any connection" {
	printf 'users:\n  source_table: public.users\n  target_table: public.users\n  columns:\n    id: id\n    note: {expr: ~}\n' >m1.yaml
	run -5 conf-move -d 'host=/nonexistent' m1.yaml
	assert_output 'conf-move: m1.yaml:6:18: column note: the expression is not written yet ({expr: ~}): give an SQL expression over the source row'
	printf 'users:\n  source_table: public.users\n  columns: {}\n' >m2.yaml
	run -5 conf-move -d 'host=/nonexistent' m2.yaml
	assert_output 'conf-move: m2.yaml:1:1: table users has no target_table (write ~ for a dropped table)'
	printf 't:\n  source_table: a.b.c\n  target_table: t\n' >m3.yaml
	run -5 conf-verify -d 'host=/nonexistent' m3.yaml
	assert_output 'conf-verify: m3.yaml:2:17: source_table wants a table name as SQL writes it (schema.table, quoted where needed) or ~'
	printf 't:\n  source_table: s\n  target_table: t\n  colums: {}\n' >m4.yaml
	run -5 conf-move m4.yaml
	assert_output 'conf-move: m4.yaml:4:3: unknown key colums: a table has source_table, target_table, columns, key, where'
	printf 't:\n  source_table: s\n  target_table: t\n  columns: {a: x, b: x}\n' >m5.yaml
	run -5 conf-move m5.yaml
	assert_output 'conf-move: m5.yaml:4:19: target column x is already filled (line 4)'
	run -5 conf-move -t s -T t -c 'a:b,c' -d 'host=/nonexistent'
	assert_output 'conf-move: -c:1:5: -c wants src:dst pairs separated by commas (a:b,c:d)'
}

@test "conf-move: checked against both catalogs before any row moves (exit 5 at the mapping's line)" {
	pair
	sed 's/    age: age/    agee: age/' map.yaml >bad.yaml
	run -5 conf-move -d "$TGT" bad.yaml
	assert_output 'conf-move: bad.yaml:11:5: source column agee is not in "old_schema"."users"'
	sed '/slug:/d' map.yaml >bad.yaml
	run -5 conf-move -d "$TGT" bad.yaml
	assert_output 'conf-move: bad.yaml:5:1: target column slug of public.users is NOT NULL without a default and nothing fills it: map a source column to it or give it {expr: "SQL"}'
	run -5 conf-move -d "$TGT" -S nowhere map.yaml
	assert_output 'conf-move: map.yaml:1:1: staging table "nowhere"."orders" does not exist (the postgres_fdw link is made by confiture migrate schema-to-schema setup)'
	run -5 conf-move -d "$TGT" -m copy -s "$SRCURL" -t public.users -T public.userz
	assert_output 'conf-move: -T: target table "public"."userz" does not exist'
	[ "$(q 'SELECT count(*) FROM orders')" = 0 ]
}

@test "conf-move fdw: renamed, cast, computed and defaulted columns in foreign-key order; identities continue; verify" {
	pair
	run --separate-stderr conf-move -d "$TGT" map.yaml
	assert_success
	assert_equal "$(untime <<<"$stderr")" "$(printf '%s\n' 'conf-move: public.users: 100 rows in N s (fdw)' \
		'conf-move: public.orders: 300 rows in N s (fdw)' 'conf-move: public.tags: 5 rows in N s (fdw)' \
		'conf-move: 3 tables in N s')"
	DB=$DST
	assert_equal "$(q "SELECT id, full_name, age, title, slug, status, manager_id FROM users WHERE id IN (1, 7) ORDER BY id")" \
		"$(printf '1|User 1|21|title 1|user-1|active|\n7|User 7|27|title 7|user-7|active|3')"
	assert_equal "$(q "SELECT count(*), sum(total), max(id) FROM orders")" "300|67725.00|300"
	assert_equal "$(q "INSERT INTO users (full_name, slug) VALUES ('new', 'new') RETURNING id")" 101
	assert_equal "$(q "INSERT INTO orders (user_id) VALUES (1) RETURNING id")" 301
	q "DELETE FROM orders WHERE id = 301; DELETE FROM users WHERE id = 101"
	assert_equal "$(q "SELECT key, rows, strategy, finished_at IS NOT NULL FROM confiture_s2s.progress ORDER BY key")" \
		"$(printf 'orders|300|fdw|t\ntags|5|fdw|t\nusers|100|fdw|t')"
	# verify goes in the foreign-key order too
	run --separate-stderr conf-verify -d "$TGT" map.yaml
	assert_success
	assert_equal "$(untime <<<"$output")" "$(printf '%s\n' 'public.users: 100 rows, equal (N s)' \
		'public.orders: 300 rows, equal (N s)' 'public.tags: 5 rows, equal (N s)')"
	# a second run finds every table done
	run --separate-stderr conf-move -d "$TGT" map.yaml
	assert_success
	assert_equal "$(untime <<<"$stderr")" "$(printf '%s\n' 'conf-move: public.orders: copied by an earlier run (300 rows), skipped' \
		'conf-move: public.users: copied by an earlier run (100 rows), skipped' \
		'conf-move: public.tags: copied by an earlier run (5 rows), skipped' 'conf-move: 3 tables in N s')"
	# rows the progress table does not account for are not mixed with a new copy
	q "DELETE FROM confiture_s2s.progress WHERE key = 'tags'"
	run --separate-stderr conf-move -d "$TGT" map.yaml
	assert_failure 1
	assert_equal "$(sed -n '3,4p' <<<"$stderr")" "$(printf '%s\n' 'conf-move: map.yaml:17:1: public.tags already holds rows: a table is copied only into an empty table (empty it, or record it as done in confiture_s2s.progress)' \
		'conf-move: map.yaml:17:1: public.tags: rolled back, nothing of it copied')"
}

@test "conf-move: a failing table leaves nothing half-copied; the rerun resumes after the finished tables" {
	pair
	DB=$SRC
	q "UPDATE users SET title = repeat('x', 51) WHERE id = 60"
	for m in fdw copy; do
		run --separate-stderr conf-move -d "$TGT" -m $m -s "$SRCURL" map.yaml
		assert_failure 1
		assert_equal "$(untime <<<"$stderr")" "$(printf '%s\n' 'conf-move: map.yaml:5:1: ERROR 22001: value too long for type character varying(50)' \
			'conf-move: map.yaml:5:1: public.users: rolled back, nothing of it copied' \
			'conf-move: stopped: 3 of 3 tables not copied; a rerun copies them (the finished ones are recorded in confiture_s2s.progress)')"
	done
	DB=$DST
	assert_equal "$(q 'SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM confiture_s2s.progress)')" '0|0'
	# tags first this time: it has no foreign key, so it goes before users and is kept
	sed -i '/^tags:/,/^  target_table/d' map.yaml
	printf 'tags:\n  source_table: public.tags\n  target_table: public.tags\n' | cat - map.yaml >m2.yaml
	run --separate-stderr conf-move -d "$TGT" m2.yaml
	assert_failure 1
	assert_equal "$(untime <<<"$stderr" | head -n 1)" 'conf-move: public.tags: 5 rows in N s (fdw)'
	DB=$SRC
	q "UPDATE users SET title = 'short' WHERE id = 60"
	run --separate-stderr conf-move -d "$TGT" m2.yaml
	assert_success
	assert_equal "$(untime <<<"$stderr")" "$(printf '%s\n' 'conf-move: public.tags: copied by an earlier run (5 rows), skipped' \
		'conf-move: public.users: 100 rows in N s (fdw)' 'conf-move: public.orders: 300 rows in N s (fdw)' \
		'conf-move: 3 tables in N s')"
}

@test "conf-move: an interrupted migrate rolls the table back; the rerun resumes" {
	pair
	# users is slowed down row by row so that the signal comes while it is copied
	sed 's/^  target_table: public.users$/&\n  where: "pg_sleep(0.02) IS NOT NULL"/' map.yaml >slow.yaml
	conf-move -d "$TGT" slow.yaml 2>"$T/err" &
	pid=$!
	DB=$DST
	for _ in $(seq 50); do
		[ "$(q 'SELECT count(*) FROM pg_stat_activity WHERE query LIKE '"'"'INSERT INTO "public"."users"%'"'"'')" = 0 ] || break
		sleep 0.1
	done
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	assert_equal "$st" 143
	assert_equal "$(untime <"$T/err")" "$(printf '%s\n' 'conf-move: slow.yaml:5:1: ERROR 57014: canceling statement due to user request' \
		'conf-move: slow.yaml:5:1: public.users: rolled back, nothing of it copied' \
		'conf-move: interrupted: 3 of 3 tables not copied; a rerun copies them (the finished ones are recorded in confiture_s2s.progress)')"
	assert_equal "$(q 'SELECT count(*) FROM users')" 0
	run --separate-stderr conf-move -d "$TGT" map.yaml
	assert_success
	assert_equal "$(q 'SELECT count(*) FROM users')" 100
}

@test "conf-move -t -T -c: one table, migrate-table's inline mapping" {
	pair
	run --separate-stderr conf-move -d "$TGT" -t public.tags -T public.tags -c 'id:id'
	assert_success
	DB=$DST
	assert_equal "$(q "SELECT count(*), count(label) FROM tags")" '5|0'
	assert_equal "$(q "SELECT key FROM confiture_s2s.progress")" 'public.tags'
	run -5 conf-move -d "$TGT" -t public.tags -T public.tags -c 'id:idx'
	assert_output 'conf-move: -c:1:1: target column idx is not in public.tags'
	# a primary key the target makes itself is no key to compare by, not an error
	run --separate-stderr conf-move -d "$TGT" -t public.tags -T public.audit_log -c 'label:note'
	assert_success
	assert_equal "$(q "SELECT min(id), max(id), count(note) FROM audit_log")" '1|5|5'
}

@test "pipelines/s2s-move.sh: the front's options to conf-move and conf-verify, connections through a private service file" {
	pair
	export CONFITURE_PIPELINES=$REPO/pipelines
	run --separate-stderr sh "$REPO/pipelines/s2s-move.sh" migrate --source "$SRCURL" --target "$TGT" \
		--mapping map.yaml --strategy copy --jobs 2
	assert_success
	assert_equal "$(grep -c ' (copy)$' <<<"$stderr")" 3
	run --separate-stderr sh "$REPO/pipelines/s2s-move.sh" verify --source "$SRCURL" --target "$TGT" \
		--mapping map.yaml --tables tags --delta --chunk-rows 2
	assert_success
	assert_equal "$(untime <<<"$output")" 'public.tags: 5 rows, equal (N s)'
	# upstream's verify --tables without a mapping: tables and columns of the same name
	run --separate-stderr sh "$REPO/pipelines/s2s-move.sh" verify --source "$SRCURL" --target "$TGT" --tables tags,public.orders
	assert_success
	assert_equal "$(untime <<<"$output")" "$(printf '%s\n' 'public.tags: 5 rows, equal (N s)' 'public.orders: 300 rows, equal (N s)')"
	run -5 sh "$REPO/pipelines/s2s-move.sh" migrate --source "$SRCURL" --target "$TGT" --strategy rsync
	assert_output 'confiture: --strategy is fdw or copy, not rsync'
	run -5 sh "$REPO/pipelines/s2s-move.sh" verify --source "$SRCURL" --target "$TGT" --tables tags --format json
	assert_output 'confiture: --format json: verify writes text only'
	run -5 sh "$REPO/pipelines/s2s-move.sh" migrate-table --source "$SRCURL" --target "$TGT" --source-table t
	assert_output 'confiture: migrate-table needs --source-table and --target-table'
	[ -z "$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'confiture-s2s.*' -user "$(id -u)" -newer map.yaml 2>/dev/null)" ]
}
