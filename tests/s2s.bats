#!/usr/bin/env bats
# confiture migrate schema-to-schema setup|analyze|cleanup (pipelines/s2s.sh, conf-fdw, conf-map)
# on the issue's acceptance change (tests/fixtures/s2s): the source reached over TCP 127.0.0.1
# with a scram-sha-256 password (tests/setup_suite.bash), the target through its socket.

load helper

setup() {
	# the source is reached over TCP as a remote server would be: a cluster without it is a
	# failure in CI, a skip elsewhere (as need_db)
	if [ -n "${PGTEST_NOTCP:-}" ]; then
		[ "${CI:-}" != true ] || fail "CI=true but the test cluster has no TCP on 127.0.0.1"
		skip "the test cluster has no TCP on 127.0.0.1 (see tests/setup_suite.bash)"
	fi
	new_db src
	SRC=$DB
	new_db dst
	DST=$DB DSTURL=$DBURL
	S=$BATS_TEST_TMPDIR
	ROLE=s2s_r$BATS_SUITE_TEST_NUMBER
	PW="pw-$RANDOM$RANDOM-Secr3t"
	PGOPTIONS='-c client_min_messages=warning' psql -XAtq -d postgres -c "DROP ROLE IF EXISTS $ROLE" -c "CREATE ROLE $ROLE LOGIN PASSWORD '$PW'" \
		-c "ALTER DATABASE $SRC OWNER TO $ROLE" >/dev/null
	DB=$SRC q "ALTER SCHEMA public OWNER TO $ROLE"
	PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -d "$SRC" -c "SET ROLE $ROLE" \
		-f "$REPO/tests/fixtures/s2s/old.sql" >/dev/null
	PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -d "$DST" \
		-f "$REPO/tests/fixtures/s2s/new.sql" >/dev/null
	SRCURL="postgresql://$ROLE:$PW@127.0.0.1:$PGPORT/$SRC"
	mkdir "$S/tmp"
	export TMPDIR=$S/tmp
}

teardown() {
	psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $SRC" -c "DROP DATABASE IF EXISTS $DST" \
		-c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1 || true
}

@test "setup, analyze, cleanup: the mapping of the acceptance change, every value checked through the staging tables" {
	run --separate-stderr confiture migrate schema-to-schema setup --source "$SRCURL" --target "$DSTURL"
	assert_success
	assert_output ""
	assert_equal "$stderr" "conf-fdw: server confiture_source: created: host='127.0.0.1' port='$PGPORT' dbname='$SRC' fetch_size='10000'
conf-fdw: user mapping for postgres on server confiture_source: created: user $ROLE, with the source connection's password
conf-fdw: old_schema: 3 foreign tables imported from source schema public"
	run --separate-stderr confiture migrate schema-to-schema analyze --source "$SRCURL" --target "$DSTURL"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$output" "# confiture schema-to-schema mapping: source (a connection string) -> target (a connection string)
# Edit it, then: confiture migrate schema-to-schema migrate --mapping THIS_FILE
audit_log:
  source_table: ~                   # new table: only in the target, nothing to copy
  target_table: public.audit_log
posts:                              # public.posts: 25 rows (counted: never analyzed)
  source_table: public.posts
  target_table: public.posts
  columns:
    id: id
    user_id: user_id                # cast integer -> bigint: every value fits (25 rows)
    body: body
    code: code                      # cast text -> integer: 5 of 25 rows do not convert to integer: give an expression
    views: views                    # cast text -> integer: every value fits (25 rows)
users:                              # public.users: 40 rows (counted: never analyzed)
  source_table: public.users
  target_table: public.users
  columns:
    id: id                          # cast integer -> bigint: every value fits (40 rows)
    name: ~                         # dropped: not in the target (not copied); renamed? new in the target with its type: full_name, slug: then write name: NEW and delete the line of NEW
    email: email                    # NOT NULL in the target, not in the source: 10 of 40 rows are NULL: give an expression (coalesce)
    title: title                    # cast text -> character varying(50): every value fits (40 rows)
    bio: bio                        # cast text -> character varying(50): 4 of 40 rows are longer than 50: give an expression
    legacy_flag: ~                  # dropped: not in the target (not copied)
    parent_id: parent_id            # cast integer -> bigint: every value fits (40 rows)
    score: score                    # cast integer -> bigint: every value fits (40 rows)
    full_name: {expr: ~}            # target-only NOT NULL column without a default: give an expression over the source row (migrate refuses ~)
    slug: {expr: ~}                 # target-only NOT NULL column without a default: give an expression over the source row (migrate refuses ~)
    created_at: {default: true}     # target-only column with a default: filled by its default (may be omitted)
old_stuff:                          # public.old_stuff: 0 rows (counted: never analyzed)
  source_table: public.old_stuff
  target_table: ~                   # dropped table: only in the source, not copied"
	# the counts follow the data: a value made to fit is no longer counted, one made too long is
	DB=$SRC q "SET ROLE $ROLE; UPDATE users SET bio = 'short' WHERE id = 10; UPDATE users SET title = repeat('x', 51) WHERE id = 1; ANALYZE users"
	run --separate-stderr confiture migrate schema-to-schema analyze --source "$SRCURL" --target "$DSTURL" -o "$S/map.yaml"
	assert_success
	assert_output ""
	assert_equal "$stderr" "confiture: mapping written to $S/map.yaml: edit it, then: confiture migrate schema-to-schema migrate --mapping $S/map.yaml"
	assert_equal "$(grep -E '^users:|^    (title|bio):' "$S/map.yaml")" "users:                              # public.users: about 40 rows (the source's statistics)
    title: title                    # cast text -> character varying(50): 1 of 40 rows are longer than 50: give an expression
    bio: bio                        # cast text -> character varying(50): 3 of 40 rows are longer than 50: give an expression"
	run --separate-stderr confiture migrate schema-to-schema cleanup --target "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: dropped staging schema old_schema (3 foreign tables of source schema public)
conf-fdw: dropped the user mapping for postgres on server confiture_source
conf-fdw: dropped server confiture_source"
	run --separate-stderr confiture migrate schema-to-schema cleanup --target "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: nothing to drop: no server confiture_source, no staging schema, no confiture_s2s"
	# the private directory of the service file is gone
	assert_equal "$(ls -A "$S/tmp")" ""
}

@test "the password is in no argv, output, file or statement text of any subcommand (setup, analyze, migrate, verify, cleanup)" {
	local log=$PGTEST_DIR/server.log before
	# every statement text of both databases goes to the log: what pg_stat_activity.query shows of them too
	DB=$DST q "ALTER DATABASE $DST SET log_statement = 'all'"
	DB=$SRC q "ALTER DATABASE $SRC SET log_statement = 'all'"
	before=$(wc -c <"$log")
	mkdir "$S/spy"
	for t in conf-fdw conf-inspect conf-map conf-sync conf-move conf-verify; do
		printf '#!/bin/sh\nprintf "%%s\\n" "$0" "$@" >>"%s/argv"\nexec "%s/%s" "$@"\n' "$S" "$CONF_BINDIR" "$t" >"$S/spy/$t"
		chmod +x "$S/spy/$t"
	done
	: >"$S/argv"
	run env PATH="$S/spy:$PATH" CONF_BINDIR="$S/spy" confiture migrate schema-to-schema setup --source "$SRCURL" --target "$DSTURL"
	assert_success
	run env PATH="$S/spy:$PATH" CONF_BINDIR="$S/spy" confiture migrate schema-to-schema analyze --source "$SRCURL" --target "$DSTURL" -o "$S/map.yaml"
	assert_success
	sed -f "$REPO/tests/fixtures/s2s/edit.sed" "$S/map.yaml" >"$S/edited.yaml"
	# copy: conf-move connects to the source itself; verify -D: conf-verify too
	run env PATH="$S/spy:$PATH" CONF_BINDIR="$S/spy" confiture migrate schema-to-schema migrate --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml" --strategy copy
	assert_success
	DB=$SRC q "SET ROLE $ROLE; UPDATE users SET title = 'changed late' WHERE id = 7"
	run env PATH="$S/spy:$PATH" CONF_BINDIR="$S/spy" confiture migrate schema-to-schema verify --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml" --delta
	assert_success
	run env PATH="$S/spy:$PATH" CONF_BINDIR="$S/spy" confiture migrate schema-to-schema cleanup --target "$DSTURL"
	assert_success
	tail -c +"$((before + 1))" "$log" >"$S/log"
	grep -q 'COPY (SELECT' "$S/log"
	grep -q 'INSERT INTO "public"."users"' "$S/log"
	# every tool ran, each reached the databases through the private service file
	assert_equal "$(grep -c '^service=' "$S/argv")" 12
	assert_equal "$(grep -F = "$S/argv" | sort -u)" "service=from
service=to"
	run grep -rlF -- "$PW" "$S"
	assert_failure 1
	assert_output ""
}

@test "analyze before setup: the values are not checked, and the mapping says so; environments by name" {
	mkdir -p "$S/p/db/environments"
	printf 'database_url: %s\n' "$SRCURL" >"$S/p/db/environments/old.yaml"
	printf 'database_url: %s\n' "$DSTURL" >"$S/p/db/environments/new.yaml"
	run --separate-stderr confiture migrate schema-to-schema analyze --source old --target new --project-dir "$S/p"
	assert_success
	assert_equal "$stderr" "confiture: no staging schema of server confiture_source on the target: the values are not checked (run setup first)"
	assert_equal "$(head -n 1 <<<"$output")" "# confiture schema-to-schema mapping: source old -> target new"
	assert_equal "$(grep -E '^    (user_id|email):' <<<"$output")" "    user_id: user_id                # cast integer -> bigint: not checked: no foreign table old_schema.posts on the target (conf-fdw setup makes it)
    email: email                    # NOT NULL in the target, not in the source: not checked: no foreign table old_schema.users on the target (conf-fdw setup makes it)"
}

@test "the front: commands and options refused by name; migrate, migrate-table and verify handed to s2s-move.sh" {
	run --separate-stderr confiture migrate schema-to-schema
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: migrate schema-to-schema needs a command: setup, analyze, migrate, migrate-table, verify or cleanup"
	run --separate-stderr confiture migrate schema-to-schema swap
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: migrate schema-to-schema: unknown command: swap"
	run --separate-stderr confiture migrate schema-to-schema setup --source "$SRCURL"
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: --target is required: an environment name or a connection string"
	run --separate-stderr confiture migrate schema-to-schema analyze --target "$DSTURL"
	assert_failure 5
	assert_equal "$(tail -n 1 <<<"$stderr")" "confiture: --source is required: an environment name or a connection string"
	run --separate-stderr confiture migrate schema-to-schema cleanup --source "$SRCURL" --target "$DSTURL"
	assert_failure 5
	assert_equal "$stderr" "confiture: cleanup takes no --source: it works on the target only"
	run --separate-stderr confiture migrate schema-to-schema analyze --source "$SRCURL" --target "$DSTURL" --skip-import
	assert_failure 5
	assert_equal "$stderr" "confiture: --skip-import belongs to setup"
	run --separate-stderr confiture migrate schema-to-schema analyze --source "$SRCURL" --target "$DSTURL" --fetch-size 500
	assert_failure 5
	assert_equal "$stderr" "confiture: --fetch-size belongs to setup"
	# setup hands --fetch-size to conf-fdw, which checks it
	run --separate-stderr confiture migrate schema-to-schema setup --source "$SRCURL" --target "$DSTURL" --fetch-size 0
	assert_failure 5
	assert_equal "$(head -n 1 <<<"$stderr")" "conf-fdw: --fetch-size 0: not a number of rows from 1 to 1000000000"
	# the hand-over, seen through a stand-in for s2s-move.sh in a copy of the pipelines
	cp -R "$REPO/pipelines" "$S/pl"
	printf '#!/bin/sh\necho "s2s-move: $*"\n' >"$S/pl/s2s-move.sh"
	for c in migrate migrate-table verify; do
		run --separate-stderr env CONFITURE_PIPELINES="$S/pl" confiture migrate schema-to-schema "$c" --mapping m.yaml --jobs 2
		assert_success
		assert_equal "$output" "s2s-move: $c --mapping m.yaml --jobs 2"
	done
}

@test "the whole cut-over: setup, analyze, the user's edits, migrate, a late write, verify, delta, verify, cleanup" {
	local c=(confiture migrate schema-to-schema)
	"${c[@]}" setup --source "$SRCURL" --target "$DSTURL" 2>/dev/null
	"${c[@]}" analyze --source "$SRCURL" --target "$DSTURL" -o "$S/map.yaml" 2>/dev/null
	sed -f "$REPO/tests/fixtures/s2s/edit.sed" "$S/map.yaml" >"$S/edited.yaml"
	# before the edits, migrate refuses the unfinished entries and copies nothing
	run --separate-stderr "${c[@]}" migrate --source "$SRCURL" --target "$DSTURL" --mapping "$S/map.yaml"
	assert_failure 5
	assert_equal "$(DB=$DST q "SELECT count(*) FROM users")" 0
	run --separate-stderr "${c[@]}" migrate --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml" --strategy copy
	assert_success
	assert_equal "$(DB=$DST q "SELECT count(*) FROM users; SELECT count(*) FROM posts; SELECT count(*) FROM audit_log")" "40
25
0"
	# renamed, computed, cut, converted: as the mapping says
	assert_equal "$(DB=$DST q "SELECT id, full_name, email, slug, length(bio), parent_id FROM users WHERE id IN (1, 4, 10) ORDER BY id")" "1|user 1|u1@example.com|user-1|5|
4|user 4|user 4@unknown|user-4|5|1
10|user 10|u10@example.com|user-10|50|1"
	assert_equal "$(DB=$DST q "SELECT code, views FROM posts WHERE id IN (4, 5) ORDER BY id")" "4|28
5|35"
	run --separate-stderr "${c[@]}" verify --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml"
	assert_success
	# a write to the source after the copy: verify finds it, --delta copies it again
	DB=$SRC q "SET ROLE $ROLE; UPDATE users SET title = 'changed late' WHERE id = 7"
	run --separate-stderr "${c[@]}" verify --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml"
	assert_failure 1
	[[ "$stderr" == *"public.users"* ]]
	run --separate-stderr "${c[@]}" verify --delta --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml"
	assert_success
	run --separate-stderr "${c[@]}" verify --source "$SRCURL" --target "$DSTURL" --mapping "$S/edited.yaml"
	assert_success
	assert_equal "$(DB=$DST q "SELECT title FROM users WHERE id = 7")" "changed late"
	# the identity continues after the copied maximum
	assert_equal "$(DB=$DST q "INSERT INTO users (full_name, email, slug) VALUES ('n', 'n@x', 'n') RETURNING id")" 41
	run --separate-stderr "${c[@]}" cleanup --target "$DSTURL"
	assert_success
	assert_equal "$stderr" "conf-fdw: dropped staging schema old_schema (3 foreign tables of source schema public)
conf-fdw: dropped schema confiture_s2s (the progress of migrate)
conf-fdw: dropped the user mapping for postgres on server confiture_source
conf-fdw: dropped server confiture_source"
	assert_equal "$(ls -A "$S/tmp")" ""
}
