#!/usr/bin/env bats
# A drop-in for teams on the Python Confiture (issue 7): its command lines, environment files,
# build order, JSON shapes and exit codes, on a project laid out as its `confiture init` does.

load helper

FIX=$REPO/tests/fixtures/upstream-project

setup() {
	cd "$BATS_TEST_TMPDIR" || exit 1
}

# upstream_project: a copy of the fixture project in ./p, the current directory
upstream_project() {
	cp -R "$FIX" p
	cd p || exit 1
}

@test "build order is upstream's: sorted path by path component, not by whole-path bytes" {
	for p in 10_tables/z.sql z/deep.sql sub-a/x.sql sub/x.sql sub/y/z.sql a.b/c.sql a/c.sql a_b.sql \
		a/b/c.sql 00_common/x.sql 10_tables/a-b.sql 10_tables/a/b.sql 10_tables/a.sql A/b.sql 'b c/x.sql' \
		b/x.sql x.y/z.sql x/y.sql x-y.sql 20_views/v.sql 2_views/v.sql; do
		mkdir -p "db/schema/$(dirname "$p")"
		printf 'SELECT 1;\n' >"db/schema/$p"
	done
	run --separate-stderr conf-concat db/schema
	assert_success
	# the order of Python's sorted(Path("db/schema").rglob("*.sql")), as upstream's builder sorts
	assert_equal "$(printf '%s\n' "$output" | sed -n 's/^-- confiture:file \(.*\) sha256=.*/\1/p')" "db/schema/00_common/x.sql
db/schema/10_tables/a/b.sql
db/schema/10_tables/a-b.sql
db/schema/10_tables/a.sql
db/schema/10_tables/z.sql
db/schema/20_views/v.sql
db/schema/2_views/v.sql
db/schema/A/b.sql
db/schema/a/b/c.sql
db/schema/a/c.sql
db/schema/a.b/c.sql
db/schema/a_b.sql
db/schema/b/x.sql
db/schema/b c/x.sql
db/schema/sub/x.sql
db/schema/sub/y/z.sql
db/schema/sub-a/x.sql
db/schema/x/y.sql
db/schema/x-y.sql
db/schema/x.y/z.sql
db/schema/z/deep.sql"
}

@test "the upstream-layout project: build --database-url, migrate up, status/current --format json with upstream's field names" {
	new_db
	upstream_project
	run --separate-stderr confiture build --database-url "$DBURL" --force
	assert_success
	[ "$(q "SELECT name FROM example")" = example ]
	run --separate-stderr confiture migrate up -c db/environments/local.yaml -d "$DBURL" --format json
	assert_success
	[ "$(jq -r '[.success, (.applied | map(.version) | join(",")), (.pending | length), .errors == [], .dry_run] | @tsv' <<<"$output")" = \
		"$(printf 'true\t20260101120000,20260102090000\t0\ttrue\tfalse')" ]
	[ "$(jq -r '.applied[0] | keys | join(",")' <<<"$output")" = duration_ms,name,rows_affected,version ]
	run --separate-stderr confiture migrate status --config db/environments/local.yaml --database-url "$DBURL" --format json
	assert_success
	[ "$(jq -r '[.tracking_table, (.applied | join(",")), (.pending | length), .current, .total, .summary.applied, .migrations[1].name, .migrations[1].status] | @tsv' <<<"$output")" = \
		"$(printf 'tb_confiture\t20260101120000,20260102090000\t0\t20260102090000\t2\t2\tadd_index\tapplied')" ]
	run --separate-stderr confiture migrate current -c db/environments/local.yaml -d "$DBURL" -f json
	assert_success
	[ "$(jq -r '[.revision, .name, (.checksum | length)] | @tsv' <<<"$output")" = "$(printf '20260102090000\tadd_index\t64')" ]
	# nothing but one JSON document on stdout: the progress and warnings are on stderr
	[ "$(jq -s length <<<"$output")" = 1 ]
	run --separate-stderr confiture migrate down -c db/environments/local.yaml -d "$DBURL" -f json
	assert_success
	[ "$(jq -r '[.success, (.rolled_back | map(.version) | join(",")), .error == null] | @tsv' <<<"$output")" = "$(printf 'true\t20260102090000\ttrue')" ]
}

@test "--format json on an error path is upstream's error envelope; --format jsonl keeps our JSON Lines" {
	new_db
	upstream_project
	run --separate-stderr confiture migrate current --no-config -d "$DBURL" --format json
	assert_failure 2
	assert_output '{"ok":false,"error":{"severity":"error","code":"PRECON_1001","message":"tracking table public.tb_confiture does not exist in database \"'"$DB"'\"","actionable":null,"details":{},"migration":null,"file":null,"line":null}}'
	assert_equal "$stderr" "conf-migrate: tracking table public.tb_confiture does not exist in database \"$DB\""
	# an error in a file: its message, file and line, as upstream's envelope has them
	printf 'database_url: postgresql:///x\nmigration: {tracking_table: "a b"}\n' >db/environments/bad.yaml
	run --separate-stderr confiture migrate status -e bad --format json
	assert_failure 5
	assert_output '{"ok":false,"error":{"severity":"error","code":"CONFIG_001","message":"migration.tracking_table is not a table name (a character other than a letter, digit, _ or $): a b","actionable":null,"details":{},"migration":null,"file":"db/environments/bad.yaml","line":2}}'
	assert_equal "$stderr" 'conf-migrate: db/environments/bad.yaml:2:29: migration.tracking_table is not a table name (a character other than a letter, digit, _ or $): a b'
	run --separate-stderr confiture migrate status --no-config -d "$DBURL" --format jsonl
	assert_failure 2
	assert_line -n 0 --regexp '^\{"kind":"migration","version":"20260101120000","name":"add_note","state":"pending",'
	run --separate-stderr confiture migrate status --no-config -d "$DBURL" --format yaml
	assert_failure 5
	assert_equal "$stderr" "confiture: --format is text, json or jsonl, not yaml"
}

@test "-c/--config, --no-config, -v and --output are upstream's; -c and --env together are refused" {
	new_db
	upstream_project
	cp db/environments/local.yaml db/environments/ci.yaml
	printf 'database_url: postgresql:///nothere_db?host=/nonexistent\n' >db/environments/local.yaml
	run --separate-stderr confiture migrate status -c db/environments/ci.yaml -d "$DBURL" -v --output st.txt
	assert_failure 2
	assert_output ""
	[ "$(wc -l <st.txt)" = 2 ]
	# --no-config: not even the default local.yaml (its URL would fail: exit 3)
	run --separate-stderr confiture migrate status --no-config -d "$DBURL"
	assert_failure 2
	run --separate-stderr confiture migrate status -d "$DBURL"
	assert_failure 2
	run --separate-stderr env -u CONFITURE_DATABASE_URL confiture migrate status
	assert_failure 3
	run --separate-stderr confiture migrate status -c db/environments/ci.yaml -e ci
	assert_failure 5
	assert_equal "$stderr" "confiture: --env and --config both name an environment: give one"
	run --separate-stderr confiture migrate status --no-config -e ci
	assert_failure 5
	assert_equal "$stderr" "confiture: --no-config reads no environment file: drop --env/--config"
	run --separate-stderr confiture migrate status -c nothere.yaml
	assert_failure 5
	assert_equal "$stderr" "confiture: nothere.yaml: no such environment file"
}

@test "upstream options we do not implement are refused by name, with the reason" {
	upstream_project
	run --separate-stderr confiture migrate up --force
	assert_failure 5
	assert_equal "$stderr" "confiture: --force is not supported: upstream's up --force re-runs every migration without recording it, which applies non-idempotent DDL twice; revert with 'migrate down' and apply again"
	run --separate-stderr confiture migrate up --auto-detect-baseline
	assert_failure 5
	assert_equal "$stderr" "confiture: --auto-detect-baseline is not supported: schema snapshots are not kept here; mark what the database already has with 'migrate baseline -t VERSION'"
	for o in --batched --batch-size=100 --batch-sleep=1; do
		run --separate-stderr confiture migrate up "$o"
		assert_failure 5
		assert_equal "$stderr" "confiture: ${o%%=*} is not supported: batched data migrations are not implemented: each migration runs whole in its transaction"
	done
	run --separate-stderr confiture migrate up --snapshots-dir x
	assert_failure 5
	assert_equal "$stderr" "confiture: --snapshots-dir is not supported: schema snapshots are not kept here"
	run --separate-stderr confiture migrate down --force
	assert_failure 5
	assert_equal "$stderr" "confiture: --force is not supported: it is an option of up"
	# new --force --dry-run (upstream's generate without --from/--to): nothing to force, nothing
	# written; the version is local time, as upstream's
	before=$(TZ=Pacific/Kiritimati date +%Y%m%d%H%M)
	run --separate-stderr env TZ=Pacific/Kiritimati confiture migrate new add_x --force --dry-run --migrations-dir new
	after=$(TZ=Pacific/Kiritimati date +%Y%m%d%H%M)
	assert_success
	assert_output ""
	[[ $stderr =~ ^confiture:\ would\ create\ new/([0-9]{14})_add_x\.up\.sql\ and\ new/[0-9]{14}_add_x\.down\.sql$ ]]
	v=${BASH_REMATCH[1]}
	[ "${v:0:12}" = "$before" ] || [ "${v:0:12}" = "$after" ]
	[ ! -e new ]
}

@test "up --strict, --[no-]verify-checksums, --require-reversible, --dry-run-execute" {
	new_db
	upstream_project
	confiture build --database-url "$DBURL" --force 2>/dev/null
	set -- --no-config -d "$DBURL"
	run --separate-stderr confiture migrate up "$@" --dry-run-execute
	assert_success
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'tb_confiture'")" = 0 ]
	# the JSON report says which of the two was asked for
	run --separate-stderr confiture migrate up "$@" --dry-run-execute --format json
	assert_success
	[ "$(jq -c '[.dry_run, .dry_run_execute, (.applied | length)]' <<<"$output")" = '[false,true,2]' ]
	run --separate-stderr confiture migrate up "$@" --dry-run --format json
	assert_success
	[ "$(jq -c '[.dry_run, .dry_run_execute, (.applied | length)]' <<<"$output")" = '[true,false,2]' ]
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'tb_confiture'")" = 0 ]
	run --separate-stderr confiture migrate up "$@" -t 20260101120000 --verify-checksums
	assert_success
	printf -- '-- changed\n' >>db/migrations/20260101120000_add_note.up.sql
	run --separate-stderr confiture migrate up "$@" --verify-checksums
	assert_failure 1
	run --separate-stderr confiture migrate up "$@" --no-verify-checksums
	assert_success
	assert_output --regexp '^applied 20260102090000_add_index '
	# --require-reversible: a migration without its .down.sql stops everything, exit 8
	printf 'CREATE TABLE t3 (a int);\n' >db/migrations/20260103000000_t3.up.sql
	run --separate-stderr confiture migrate up "$@" --require-reversible
	assert_failure 8
	assert_equal "$stderr" "confiture: --require-reversible: db/migrations/20260103000000_t3.up.sql has no .down.sql: nothing was applied"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 't3'")" = 0 ]
	# --strict: an unknown key of the environment file is an error
	printf 'database_url: %s\nbogus: 1\n' "$DBURL" >db/environments/local.yaml
	run --separate-stderr confiture migrate up --strict
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/environments/local.yaml:2:1: unknown key: bogus"
}

@test "status --check-rebuild says when rebuilding beats the pending migrations" {
	new_db
	upstream_project
	run --separate-stderr confiture migrate status --no-config -d "$DBURL" --check-rebuild --rebuild-threshold 1
	assert_failure 2
	assert_equal "$(printf '%s\n' "$stderr" | head -1)" "confiture: rebuild recommended: 2 pending migrations, more than --rebuild-threshold 1 (confiture build --database-url URL --force rebuilds from db/schema)"
	run --separate-stderr confiture migrate status --no-config -d "$DBURL" --check-rebuild
	assert_failure 2
	[[ "$stderr" != *"rebuild recommended"* ]]
	# in upstream's JSON: rebuild_recommended and rebuild_reasons
	run --separate-stderr confiture migrate status --no-config -d "$DBURL" --check-rebuild --rebuild-threshold 1 --format json
	assert_failure 2
	[ "$(jq -c '[.rebuild_recommended, .rebuild_reasons, .summary.pending]' <<<"$output")" = '[true,["2 pending migrations, more than --rebuild-threshold 1"],2]' ]
	run --separate-stderr confiture migrate status --no-config -d "$DBURL" --check-rebuild --format json
	[ "$(jq -c '[.rebuild_recommended, .rebuild_reasons]' <<<"$output")" = '[false,[]]' ]
}

@test "verify --allow-uninitialized: no ledger is 0 instead of 2" {
	new_db
	upstream_project
	run --separate-stderr confiture migrate verify --no-config -d "$DBURL"
	assert_failure 2
	run --separate-stderr confiture migrate verify --no-config -d "$DBURL" --allow-uninitialized
	assert_success
}

@test "baseline --from-db marks what another database's ledger applied; upstream's slug and applied_by" {
	new_db src
	src=$DBURL
	upstream_project
	confiture build --database-url "$src" --force 2>/dev/null
	# the slug's time is the local time of the client (TZ), as upstream's datetime.now()
	before=$(TZ=Pacific/Kiritimati date +%Y%m%d_%H%M)
	TZ=Pacific/Kiritimati confiture migrate up --no-config -d "$src" -t 20260101120000 2>/dev/null
	after=$(TZ=Pacific/Kiritimati date +%Y%m%d_%H%M)
	slug=$(psql -XAtq -d "$src" -c "SELECT slug FROM tb_confiture")
	[ "${slug:0:22}" = "add_note_$before" ] || [ "${slug:0:22}" = "add_note_$after" ]
	new_db dst
	run --separate-stderr confiture migrate baseline --no-config -d "$DBURL" --from-db "$src"
	assert_success
	assert_output "baselined 20260101120000_add_note"
	[ "$(q "SELECT version || ' ' || (slug ~ '^add_note_[0-9]{8}_[0-9]{6}_baseline\$') || ' ' || (applied_by IS NULL) FROM tb_confiture")" = "20260101120000 true true" ]
	run --separate-stderr confiture migrate baseline --no-config -d "$DBURL" --from-db "$src" --source-table other
	assert_failure 2
	# said once, by the front: the source's status warning would say the same
	assert_equal "$stderr" "confiture: --from-db: the source database has no tracking table other"
	# an applied migration's slug: name_YYYYMMDD_HHMMSS, applied_by the user
	[ "$(psql -XAtq -d "$src" -c "SELECT (slug ~ '^add_note_[0-9]{8}_[0-9]{6}\$') || ' ' || applied_by FROM tb_confiture")" = "true postgres" ]
}

@test "Python migrations: up refuses before touching anything and says how to convert; convert-py prints the SQL" {
	new_db
	upstream_project
	rm db/migrations/*
	cat >db/migrations/20260105000000_add_users.py <<'PY'
"""Migration: add_users"""
from confiture.models.migration import Migration


class AddUsers(Migration):
    version = "20260105000000"
    name = "add_users"

    def up(self) -> None:
        """Apply migration."""
        self.execute("""
            CREATE TABLE users (
                id BIGSERIAL PRIMARY KEY,
                email TEXT NOT NULL
            )
        """)
        # an index
        self.execute("CREATE INDEX users_email_idx ON users (email);")
        self.execute(
            'COMMENT ON TABLE users IS \'people\''
        )

    def down(self) -> None:
        self.execute("DROP TABLE users")
PY
	run --separate-stderr confiture migrate up --no-config -d "$DBURL"
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/migrations/20260105000000_add_users.py: Python migrations are not supported: it is listed, never run
conf-migrate: db/migrations/20260105000000_add_users.py: cannot apply a Python migration: convert it with 'confiture migrate convert-py db/migrations/20260105000000_add_users.py >db/migrations/20260105000000_add_users.up.sql' (and --down for the .down.sql)"
	[ "$(q "SELECT count(*) FROM pg_class WHERE relname = 'users'")" = 0 ]
	[ "$(q "SELECT count(*) FROM tb_confiture")" = 0 ]
	# --format json: the envelope names the file and its migration
	run --separate-stderr confiture migrate up --no-config -d "$DBURL" --format json
	assert_failure 5
	[ "$(jq -c '.error | [.code, .migration, .file, .line, (.message | startswith("cannot apply a Python migration: convert it with"))]' <<<"$output")" = \
		'["CONFIG_001","20260105000000","db/migrations/20260105000000_add_users.py",null,true]' ]
	run --separate-stderr confiture migrate convert-py db/migrations/20260105000000_add_users.py
	assert_success
	assert_output "CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL
);
CREATE INDEX users_email_idx ON users (email);
COMMENT ON TABLE users IS 'people';"
	printf '%s\n' "$output" >db/migrations/20260105000000_add_users.up.sql
	confiture migrate convert-py --down db/migrations/20260105000000_add_users.py >db/migrations/20260105000000_add_users.down.sql
	assert_equal "$(cat db/migrations/20260105000000_add_users.down.sql)" "DROP TABLE users;"
	rm db/migrations/20260105000000_add_users.py
	run --separate-stderr confiture migrate up --no-config -d "$DBURL"
	assert_success
	[ "$(q "SELECT obj_description('users'::regclass)")" = people ]
}

@test "convert-py refuses what only Python can run, naming the line, and prints nothing" {
	printf 'class X(Migration):\n    def up(self):\n        self.execute("CREATE TABLE a (id int)")\n        for t in ["b", "c"]:\n            self.execute(f"CREATE TABLE {t} (id int)")\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" 'confiture: m.py:4: only self.execute("...") with a literal string can be converted: for t in ["b", "c"]:'
	printf 'class X(Migration):\n    def up(self):\n        self.execute(f"CREATE TABLE {t} (id int)")\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_failure 5
	assert_equal "$stderr" 'confiture: m.py:3: not a literal string (f-strings, variables and expressions need Python): self.execute(f"CREATE TABLE {t} (id int)")'
	printf 'class X(Migration):\n    def up(self):\n        self.execute("SELECT %%s", (1,))\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_failure 5
	assert_equal "$stderr" 'confiture: m.py:3: self.execute() with more than one literal string (parameters, concatenation) needs Python: self.execute("SELECT %s", (1,))'
	printf 'class X(Migration):\n    def down(self):\n        pass\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_failure 5
	assert_equal "$stderr" "confiture: m.py: no up() method"
}

@test "CONFITURE_EXIT_CODES=upstream: a failed migration exits 3, down without a ledger 0" {
	new_db
	upstream_project
	run --separate-stderr confiture migrate up --no-config -d "$DBURL"
	assert_failure 1
	CONFITURE_EXIT_CODES=upstream run --separate-stderr confiture migrate up --no-config -d "$DBURL"
	assert_failure 3
	# --format json: errors[] names the migration and says why, as upstream's does
	err='db/migrations/20260101120000_add_note.up.sql:1:1: ERROR 42P01: relation "example" does not exist'
	CONFITURE_EXIT_CODES=upstream run --separate-stderr confiture migrate up --no-config -d "$DBURL" --format json
	assert_failure 3
	assert_equal "$stderr" "conf-migrate: $err"
	[ "$(jq -c '[.success, .errors]' <<<"$output")" = "$(jq -cn --arg e "20260101120000_add_note failed: $err" '[false, [$e]]')" ]
	new_db empty
	run --separate-stderr confiture migrate down --no-config -d "$DBURL"
	assert_failure 2
	CONFITURE_EXIT_CODES=upstream run --separate-stderr confiture migrate down --no-config -d "$DBURL"
	assert_success
}

@test "verify-checksums: 0 all match, 1 a changed file, 2 no ledger (0 with --allow-uninitialized); upstream's JSON" {
	new_db
	upstream_project
	run --separate-stderr confiture verify-checksums --no-config -d "$DBURL"
	assert_failure 2
	assert_equal "$stderr" "confiture: no tracking table: nothing was ever applied here (--allow-uninitialized makes this exit 0)"
	# --format json: every error is upstream's envelope, never an empty stdout
	run --separate-stderr confiture verify-checksums --no-config -d "$DBURL" --format json
	assert_failure 2
	assert_output '{"ok":false,"error":{"severity":"error","code":"PRECON_1001","message":"no tracking table: nothing was ever applied here (--allow-uninitialized makes this exit 0)","actionable":null,"details":{},"migration":null,"file":null,"line":null}}'
	run --separate-stderr confiture verify-checksums -e nothere --format json
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/environments/nothere.yaml: No such file or directory"
	[ "$(jq -c '.error | [.code, .message]' <<<"$output")" = '["CONFIG_001","db/environments/nothere.yaml: No such file or directory"]' ]
	run --separate-stderr confiture verify-checksums --no-config -d "$DBURL" --allow-uninitialized --format json
	assert_success
	assert_output '{"ok":true,"ledger_present":false,"summary":{"checked":0,"mismatched":0},"issues":[]}'
	confiture build --database-url "$DBURL" --force 2>/dev/null
	confiture migrate up --no-config -d "$DBURL" 2>/dev/null
	run --separate-stderr confiture verify-checksums --no-config -d "$DBURL"
	assert_success
	assert_output ""
	assert_equal "$stderr" "confiture: 2 applied migrations checked, 0 changed since applied"
	printf -- '-- edited\n' >>db/migrations/20260101120000_add_note.up.sql
	run --separate-stderr confiture verify-checksums --no-config -d "$DBURL"
	assert_failure 1
	assert_output "checksum mismatch 20260101120000 db/migrations/20260101120000_add_note.up.sql"
	# upstream's deprecated name
	run --separate-stderr confiture verify --no-config -d "$DBURL"
	assert_failure 1
	assert_output "checksum mismatch 20260101120000 db/migrations/20260101120000_add_note.up.sql"
	run --separate-stderr confiture verify-checksums --no-config -d "$DBURL" -f json
	assert_failure 1
	assert_output '{"ok":false,"ledger_present":true,"summary":{"checked":2,"mismatched":1},"issues":[{"severity":"error","code":"CHECKSUM_MISMATCH","message":"migration 20260101120000 changed since it was applied","actionable":"restore the file, or write a new migration for the change","details":{},"migration":"20260101120000","file":"db/migrations/20260101120000_add_note.up.sql","line":null}]}'
	run --separate-stderr confiture verify-checksums --fix
	assert_failure 5
	assert_equal "$stderr" "confiture: --fix is not supported: rewriting the recorded checksums would hide a changed migration; restore the file, or write a new migration for the change"
	run --separate-stderr confiture verify-checksums --no-config -d "postgresql:///nothere_db?host=$PGHOST"
	assert_failure 3
}

@test "validate-config never connects; upstream's JSON report; errors exit 5" {
	upstream_project
	run --separate-stderr confiture validate-config --format json
	assert_success
	[ "$(jq -c '[.valid, .config_source, .migrations_path, .migration_count, (.issues | map(.severity) | join(","))]' <<<"$output")" = \
		'[true,"yaml-file","db/migrations",2,"warning"]' ]
	printf 'CREATE TABLE x (a int);\n' >db/migrations/20260101120000_other.up.sql
	printf 'SELECT 1;\n' >db/migrations/notes.sql
	printf 'database_url: ${NOT_SET_HERE}\ninclude_dirs: [db/schema]\nbuild: {sort_mod: hex}\n' >db/environments/local.yaml
	run --separate-stderr confiture validate-config
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "confiture: db/environments/local.yaml:3:9: warning: unknown key ignored: build.sort_mod (did you mean build.sort_mode?)
confiture: db/migrations/notes.sql: warning: notes.sql is not named VERSION_NAME.up.sql or .down.sql: it is never run
confiture: db/migrations: error: version 20260101120000 is used by more than one migration: 20260101120000_add_note.up.sql 20260101120000_other.up.sql"
	run --separate-stderr confiture validate-config --strict --format json
	assert_failure 5
	[ "$(jq -c '.issues[0] | [.severity, .code, .message, .file, .line]' <<<"$output")" = \
		'["error","CONFIG_001","unknown key: build.sort_mod (did you mean build.sort_mode?)","db/environments/local.yaml",3]' ]
}

@test "config --env ENV: the resolved settings as JSON, no password, an unset variable named" {
	upstream_project
	run --separate-stderr env APP_DB_PASSWORD=S3cretPW TUNNEL_LOCAL_PORT=6543 confiture config --env local
	assert_success
	refute_output --partial S3cretPW
	[ "$(jq -c '[.name, .database_url, .tracking_table, .sort_mode, (.include_dirs | map(.path + "@" + (.order | tostring)) | join(",")), .exclude_dirs, .locking]' <<<"$output")" = \
		"[\"local\",\"user='app' dbname='confiture_local' host='localhost' port='6543'\",\"tb_confiture\",\"alphabetical\",\"db/schema/00_common@0,db/schema@10,db/seeds/common@20\",[\"db/schema/99_experimental\"],{\"enabled\":true,\"timeout_ms\":30000}]" ]
	run --separate-stderr confiture config -c db/environments/local.yaml
	assert_success
	[ "$(jq -c '[.database_url, .database_url_unset]' <<<"$output")" = '[null,"APP_DB_PASSWORD"]' ]
	run --separate-stderr confiture config --env nothere
	assert_failure 5
	assert_equal "$stderr" "conf-concat: db/environments/nothere.yaml: No such file or directory"
	# --format json, as scripts pass it to every command, is accepted; another format is not
	run --separate-stderr confiture config --format json
	assert_success
	jq -e .name <<<"$output" >/dev/null
	run --separate-stderr confiture config --format yaml
	assert_failure 5
	assert_equal "$stderr" "confiture: config writes JSON: --format is json, not yaml"
}

@test "completion bash|zsh: scripts that complete commands and options" {
	run --separate-stderr confiture completion bash
	assert_success
	bash -c 'eval "$1"; COMP_WORDS=(confiture migrate st); COMP_CWORD=2; _confiture; echo "${COMPREPLY[*]}"
		COMP_WORDS=(confiture migrate up --no-v); COMP_CWORD=3; _confiture; echo "${COMPREPLY[*]}"
		COMP_WORDS=(confiture ver); COMP_CWORD=1; _confiture; echo "${COMPREPLY[*]}"
		COMP_WORDS=(confiture migrate status --dr); COMP_CWORD=3; _confiture; echo "${COMPREPLY[*]}"
		COMP_WORDS=(confiture migrate up --dr); COMP_CWORD=3; _confiture; echo "${COMPREPLY[*]}"
		COMP_WORDS=(confiture migrate baseline --f); COMP_CWORD=3; _confiture; echo "${COMPREPLY[*]}"
		COMP_WORDS=(confiture migrate gen); COMP_CWORD=2; _confiture; echo "${COMPREPLY[*]}"
		mkdir -p db/environments; touch db/environments/staging.yaml db/environments/prod.yaml db/environments/preview.yaml
		COMP_WORDS=(confiture build --env p); COMP_CWORD=3; _confiture; echo "${COMPREPLY[*]}"' _ "$output" >out
	assert_equal "$(cat out)" "status
--no-verify-checksums
verify-checksums

--dry-run --dry-run-execute
--format --from-db
generate
preview prod"
	run --separate-stderr confiture completion zsh
	assert_success
	assert_line -n 0 '#compdef confiture'
	run --separate-stderr confiture completion fish
	assert_failure 5
	assert_equal "$stderr" "confiture: usage: confiture completion bash|zsh"
}

@test "the other accepted upstream migrate options, through the front: each does what upstream's does" {
	new_db
	upstream_project
	confiture build --database-url "$DBURL" --force 2>/dev/null
	mv db/migrations mig
	set -- -c db/environments/local.yaml -d "$DBURL" --migrations-dir mig
	run --separate-stderr confiture migrate up "$@" --dry-run --no-lock
	assert_success
	assert_line -n 0 --regexp '^would apply 20260101120000_add_note \(1 statement, [0-9]+ ms, rolled back\)$'
	run --separate-stderr confiture migrate up "$@" --no-lock --target 20260101120000
	assert_success
	[ "$(q "SELECT string_agg(version, ',') FROM tb_confiture")" = 20260101120000 ]
	printf -- '-- edited\n' >>mig/20260101120000_add_note.up.sql
	run --separate-stderr confiture migrate up "$@" --on-checksum-mismatch warn --lock-timeout 1000
	assert_success
	assert_equal "$(printf '%s\n' "$stderr" | grep -c 'changed since it was applied')" 1
	run --separate-stderr confiture migrate verify "$@" --version 20260101120000
	assert_success
	run --separate-stderr confiture migrate down "$@" -n 1 --no-lock
	assert_success
	assert_output --regexp '^reverted 20260102090000_add_index '
	run --separate-stderr confiture migrate down-to 0 "$@" --dry-run
	assert_success
	assert_output --regexp '^would revert 20260101120000_add_note '
	run --separate-stderr confiture migrate down-to 0 "$@"
	assert_success
	run --separate-stderr confiture migrate baseline "$@" --through 20260101120000 --dry-run
	assert_success
	assert_output "would baseline 20260101120000_add_note"
	[ "$(q "SELECT count(*) FROM tb_confiture")" = 0 ]
	run --separate-stderr confiture migrate baseline "$@" -t 20260102090000
	assert_success
	[ "$(q "SELECT count(*) FROM tb_confiture")" = 2 ]
	# migrate new NAME (upstream's generate without --from/--to): an empty .up.sql and .down.sql
	run --separate-stderr confiture migrate new add_more --migrations-dir mig
	assert_success
	assert_line -n 0 --regexp '^.*/mig/20[0-9]{12}_add_more\.up\.sql$'
	run --separate-stderr confiture validate-config --config db/environments/local.yaml --database-url "$DBURL" --migrations-path mig -f json
	assert_success
	[ "$(jq -c '[.valid, .migrations_path, .migration_count]' <<<"$output")" = '[true,"mig",3]' ]
	run --separate-stderr confiture validate-config --database-url mysql://x
	assert_failure 5
	assert_output ""
	[[ $stderr == *$'\n'"confiture: error: --database-url is not a postgresql:// URL nor a keyword=value connection string"$'\n'* ]]
}

@test "introspect is upstream's command on conf-inspect: the schema public by default, the model's JSON Lines" {
	new_db
	q 'CREATE TABLE t (a int); CREATE SCHEMA other; CREATE TABLE other.u (b int)'
	run --separate-stderr confiture introspect --db "$DBURL" --all-tables --no-hints
	assert_success
	assert_equal "$(jq -r 'select(.kind == "table") | .id' <<<"$output")" "table:public.t"
	run --separate-stderr confiture introspect --db "$DBURL" --schema other --schema public --format json -o model.jsonl
	assert_success
	assert_output ""
	assert_equal "$(jq -r 'select(.kind == "table") | .id' model.jsonl | sort | tr '\n' ' ')" "table:other.u table:public.t "
	run --separate-stderr confiture introspect --db "$DBURL" --hints
	assert_failure 5
	assert_equal "$stderr" "confiture: --hints is not supported: the model states what the catalogs hold; conf-lint judges it"
}

@test "--upstream-hash (conf-concat -U) is the Python Confiture's compute_hash() of the same files" {
	mkdir -p db/schema/10_tables db/schema/10_tables/a db/seeds/common db/environments
	printf 'CREATE TABLE t (a int);\n' >db/schema/10_tables/t.sql
	printf 'CREATE TABLE u (a int);' >db/schema/10_tables/a-b.sql
	printf 'CREATE TABLE v (a int);\n' >db/schema/10_tables/a/v.sql
	printf 'INSERT INTO t VALUES (1);\n' >db/seeds/common/s.sql
	# one include directory: paths relative to it
	printf 'include_dirs: [./db/schema/]\n' >db/environments/local.yaml
	want=$({
		for f in 10_tables/a/v.sql 10_tables/a-b.sql 10_tables/t.sql; do
			printf '%s\0' "$f"; cat "db/schema/$f"; printf '\0'
		done
	} | sha256sum | cut -c1-64)
	run --separate-stderr confiture build --upstream-hash
	assert_success
	assert_output "$want"
	[ "$output" != "$(conf-concat -H)" ]
	# several: relative to their common parent, in path order whatever their order:
	printf 'include_dirs:\n  - {path: db/seeds/common, order: 1}\n  - {path: db/schema, order: 2}\n' >db/environments/local.yaml
	want=$({
		for f in schema/10_tables/a/v.sql schema/10_tables/a-b.sql schema/10_tables/t.sql seeds/common/s.sql; do
			printf '%s\0' "$f"; cat "db/$f"; printf '\0'
		done
	} | sha256sum | cut -c1-64)
	run --separate-stderr conf-concat -U
	assert_success
	assert_output "$want"
	run --separate-stderr confiture build --upstream-hash --schema-only
	assert_failure 5
	assert_equal "$stderr" "confiture: --upstream-hash covers the seed files too, as upstream's: drop --schema-only"
	printf 'include_dirs: [db/schema]\nbuild: {sort_mode: hex}\n' >db/environments/local.yaml
	run --separate-stderr conf-concat -U
	assert_failure 5
	assert_equal "$stderr" "conf-concat: db/environments/local.yaml: -U: upstream's hex order sorts file names alone; its hash is not reproduced"
}

@test "convert-py: a ; after a trailing -- comment goes on its own line, and the SQL loads" {
	new_db
	printf 'class X(Migration):\n    def up(self):\n        self.execute("CREATE TABLE a (id int) -- the a table")\n        self.execute("CREATE TABLE b (id int)")\n        self.execute("SELECT 1; -- done")\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_success
	assert_output "$(printf 'CREATE TABLE a (id int) -- the a table\n;\nCREATE TABLE b (id int);\nSELECT 1; -- done')"
	printf '%s\n' "$output" >m.sql
	run conf-apply -d "$DBURL" m.sql
	assert_success
	[ "$(q "SELECT count(*) FROM pg_tables WHERE tablename IN ('a', 'b')")" = 2 ]
}

@test "convert-py keeps a multi-line string, a dollar-quoted body and a comment of the SQL byte for byte" {
	new_db
	cat >m.py <<'PY'
class X(Migration):
    def up(self):
        self.execute("""
            CREATE TABLE t (id int);
            COMMENT ON TABLE t IS 'first line
              second line';
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$
                SELECT 'x'
            $body$
        """)
PY
	run --separate-stderr confiture migrate convert-py m.py
	assert_success
	assert_output "$(printf "CREATE TABLE t (id int);\nCOMMENT ON TABLE t IS 'first line\n              second line';\nCREATE FUNCTION f() RETURNS text LANGUAGE sql AS \$body\$\n                SELECT 'x'\n            \$body\$;")"
	printf '%s\n' "$output" >m.sql
	run conf-apply -d "$DBURL" m.sql
	assert_success
	[ "$(q "SELECT obj_description('t'::regclass, 'pg_class')")" = "$(printf 'first line\n              second line')" ]
}

@test "convert-py refuses SQL that ends inside a string, upstream's # WARNING steps and a file with two up() methods" {
	printf 'class DropOld(Migration):\n    def up(self) -> None:\n        """Apply migration."""\n        self.execute("DROP TABLE old")\n\n    def down(self) -> None:\n        """Rollback migration."""\n        self.execute("# WARNING: Cannot auto-generate down migration for DROP_TABLE old")\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_success
	assert_output "DROP TABLE old;"
	# upstream's generated empty step: a file that does nothing too
	printf 'class X(Migration):\n    def up(self) -> None:\n        """Apply migration."""\n        pass  # No operations\n' >n.py
	run --separate-stderr confiture migrate convert-py n.py
	assert_success
	assert_output "-- up() of n.py runs no SQL"
	assert_equal "$stderr" ""
	run --separate-stderr confiture migrate convert-py --down m.py
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" 'confiture: m.py:8: not SQL (a # line, as upstream writes for a step it cannot generate): write this step by hand: self.execute("# WARNING: Cannot auto-generate down migration for DROP_TABLE old")'
	printf "class X(Migration):\n    def up(self):\n        self.execute('SELECT \"\"\"')\n" >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "confiture: m.py:3: the SQL ends inside a quoted string, a dollar-quoted body or a comment: self.execute('SELECT \"\"\"')"
	printf 'class X(Migration):\n    def up(self):\n        self.execute("SELECT 1")\nclass Y(Migration):\n    def up(self):\n        self.execute("DROP TABLE t")\n' >m.py
	run --separate-stderr confiture migrate convert-py m.py
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "confiture: m.py:5: a second up() method (the first is at line 2): split the file, one migration per file: def up(self):"
}

@test "an option of another migrate command, and upstream's migrate commands we lack, are refused by name" {
	upstream_project
	run --separate-stderr confiture migrate status --dry-run
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate status does not take --dry-run"
	run --separate-stderr confiture migrate up --check-rebuild
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate up does not take --check-rebuild"
	run --separate-stderr confiture migrate up --from-db=postgresql:///x
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate up does not take --from-db"
	run --separate-stderr confiture migrate up --allow-uninitialized
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate up does not take --allow-uninitialized"
	run --separate-stderr confiture migrate status --version 1
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate status does not take --version"
	run --separate-stderr confiture migrate status --rebuild-threshold 3
	assert_failure 5
	assert_equal "$stderr" "confiture: --rebuild-threshold goes with --check-rebuild"
	run --separate-stderr confiture migrate baseline -t 20260101120000 --source-table old
	assert_failure 5
	assert_equal "$stderr" "confiture: --source-table names the ledger of --from-db: give --from-db"
	run --separate-stderr confiture migrate rebuild --yes
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate rebuild is not supported: rebuild from db/schema with 'confiture build --database-url URL --force', then 'migrate baseline -t VERSION'"
	run --separate-stderr confiture migrate reinit -t 1 --yes
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate reinit is not supported: clear the ledger with 'migrate down', then 'migrate baseline -t VERSION'"
	run --separate-stderr confiture migrate estimate -c nowhere.yaml
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate estimate is not supported: lock and rewrite estimates are not implemented"
	for c in diff validate fix fix-signatures introspect apply-as; do
		run --separate-stderr confiture migrate "$c" a b
		assert_failure 5
		assert_equal "$stderr" "confiture: migrate $c is not supported: not implemented by this front (confiture(1), COMPATIBILITY)"
	done
}

@test "migrate new --format json: upstream's generate report, and nothing but JSON on stdout" {
	run --separate-stderr confiture migrate new add_users --migrations-dir mig --format json --dry-run
	assert_success
	[ "$(jq -r '[.status, .name, (.version | test("^[0-9]{14}$")), .class_name, .migrations_dir, (.warnings | length)] | @tsv' <<<"$output")" = \
		"$(printf 'dry_run\tadd_users\ttrue\t\tmig\t0')" ]
	[ ! -e mig ]
	run --separate-stderr confiture migrate new add_users --migrations-dir mig --format json
	assert_success
	assert_equal "$stderr" ""
	v=$(jq -r .version <<<"$output")
	[ "$(jq -c '[.status, .filepath, .files, .next_available_version]' <<<"$output")" = \
		"[\"success\",\"mig/${v}_add_users.up.sql\",[\"mig/${v}_add_users.up.sql\",\"mig/${v}_add_users.down.sql\"],\"$v\"]" ]
	[ -f "mig/${v}_add_users.up.sql" ] && [ -f "mig/${v}_add_users.down.sql" ]
	run --separate-stderr confiture migrate convert-py --format json "mig/${v}_add_users.up.sql"
	assert_failure 5
	assert_equal "$stderr" "confiture: migrate convert-py prints SQL: drop --format"
}

@test "status --check-rebuild and baseline --from-db: an error is said once, and is the envelope under --format json" {
	upstream_project
	run --separate-stderr confiture migrate status --check-rebuild -e nothere
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "conf-migrate: db/environments/nothere.yaml: No such file or directory"
	run --separate-stderr confiture migrate status --check-rebuild -e nothere --format json
	assert_failure 5
	assert_equal "$(jq -c '.error | [.code, .message]' <<<"$output")" '["CONFIG_001","db/environments/nothere.yaml: No such file or directory"]'
	run --separate-stderr confiture migrate baseline --no-config --from-db "postgresql:///nothere_db?host=$PGHOST&port=$PGPORT" --format json
	assert_failure 3
	[ "$(jq -r '.error.code' <<<"$output")" = CONFIG_006 ]
	[[ $stderr == "conf-migrate: cannot connect to "* ]]
	[ "$(jq -r '.error.message' <<<"$output")" = "${stderr#conf-migrate: }" ]
	new_db
	confiture build --database-url "$DBURL" --force 2>/dev/null
	run --separate-stderr confiture migrate baseline --no-config -d "$DBURL" --from-db "$DBURL" --format json
	assert_failure 2
	assert_equal "$stderr" "confiture: --from-db: the source database has no tracking table tb_confiture"
	assert_output '{"ok":false,"error":{"severity":"error","code":"PRECON_1001","message":"--from-db: the source database has no tracking table tb_confiture","actionable":null,"details":{},"migration":null,"file":null,"line":null}}'
}
