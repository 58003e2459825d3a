#!/usr/bin/env bats
# The environment-file loader (lib/config.c), driven through conf-concat -c and -e

load helper

setup() {
	cd "$BATS_TEST_TMPDIR" || exit 1
	mkdir -p db/schema db/environments
	printf 'SELECT 1;\n' >db/schema/a.sql
}

# yaml LINE...: write e.yaml, one argument a line
yaml() {
	printf '%s\n' "$@" >e.yaml
}

# refused MESSAGE: conf-concat -c e.yaml exits 5 with exactly this message, nothing on stdout
refused() {
	run --separate-stderr conf-concat -c e.yaml
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "conf-concat: e.yaml:$1"
}

# accepted: conf-concat -c e.yaml builds, silently
accepted() {
	run --separate-stderr conf-concat -c e.yaml -H
	assert_success
	assert_equal "$stderr" ""
}

@test "keys that are not strings are errors at their position at every level" {
	yaml 'build: {[a]: 1}'
	refused '1:9: keys must be strings'
	yaml 'include_dirs:' '  - {path: db/schema, [a]: 1}'
	refused '2:23: keys must be strings'
	yaml 'database: {{a: b}: x}'
	refused '1:12: keys must be strings'
	yaml 'migration:' '  locking: {[a]: 1}'
	refused '2:13: keys must be strings'
	yaml 'hooks: {[a]: 1}'
	refused '1:9: keys must be strings'
	yaml '[a]: 1'
	refused '1:1: keys must be strings'
}

@test "every tool that reads -e reports a bad environment file the same way" {
	printf 'build: {[a]: 1}\n' >db/environments/local.yaml
	for tool in conf-concat conf-apply conf-migrate; do
		cmd=()
		[ "$tool" = conf-migrate ] && cmd=(status)
		run --separate-stderr "$tool" -e local "${cmd[@]}" </dev/null
		assert_failure 5
		assert_equal "$stderr" "$tool: db/environments/local.yaml:1:9: keys must be strings"
	done
}

@test "nesting deeper than 64 levels is an error at its position; 300,000 brackets too, quickly" {
	head -c 300000 /dev/zero | tr '\0' '[' >e.yaml
	run --separate-stderr timeout 20 conf-concat -c e.yaml
	assert_failure 5
	assert_equal "$stderr" "conf-concat: e.yaml:1:65: YAML nesting is deeper than 64 levels"
	{
		printf 'build:\n'
		for i in $(seq 1 64); do printf '%*sx:\n' $((2 * i)) ''; done
	} >e.yaml
	refused '65:129: YAML nesting is deeper than 64 levels'
}

@test "a key written twice in a mapping: with --strict an error naming both positions" {
	export CONFITURE_STRICT=1
	yaml 'include_dirs: [db/schema]' 'build: {}' 'include_dirs: [db]'
	refused '3:1: duplicate key include_dirs (first at 1:1)'
	yaml 'include_dirs:' '  - path: db/schema' '    order: 1' '    path: db' '    order: 2'
	refused '4:5: duplicate key path (first at 2:5)'
	yaml 'database: {user: a, "user": b}'
	refused '1:21: duplicate key user (first at 1:12)'
	yaml '"a\nb": 1' '"a\x0ab": 2'
	refused '2:1: duplicate key a\x0Ab (first at 1:1)'
}

@test "a key written twice in a mapping: a warning, and the last one counts, as upstream's YAML loader does" {
	mkdir -p db/other
	printf 'SELECT 2;\n' >db/other/b.sql
	yaml 'include_dirs: [db/schema]' 'build: {}' 'include_dirs: [db/other]' 'include_dirs: [db/other]'
	run --separate-stderr conf-concat -c e.yaml
	assert_success
	assert_equal "$stderr" "conf-concat: e.yaml:4:1: duplicate key include_dirs (first at 1:1): the last one is used, as upstream does"
	assert_line -n 1 --regexp '^-- confiture:file db/other/b.sql '
	[ "$(grep -c '^-- confiture:file ' <<<"$output")" = 1 ]
	yaml 'include_dirs:' '  - path: db/nowhere' '    order: 1' '    path: db/schema'
	run --separate-stderr conf-concat -c e.yaml
	assert_success
	assert_equal "$stderr" "conf-concat: e.yaml:4:5: duplicate key path (first at 2:5): the last one is used, as upstream does"
	assert_line -n 1 --regexp '^-- confiture:file db/schema/a.sql '
	# once a run: the second tool of a pipeline does not repeat it
	run --separate-stderr env CONFITURE_CONFIG_WARNED=1 conf-concat -c e.yaml -H
	assert_success
	assert_equal "$stderr" ""
}

@test "migration.locking is a boolean or {enabled, timeout_ms}" {
	for v in false true '{enabled: false, timeout_ms: 200}' ''; do
		yaml 'include_dirs: [db/schema]' "migration: {locking: $v}"
		accepted
	done
	yaml 'migration:' '  locking: maybe'
	refused '2:12: migration.locking must be true, false or a mapping'
	yaml 'migration:' '  locking: [false]'
	refused '2:12: migration.locking must be true, false or a mapping'
	yaml 'migration:' '  locking: {timeout_ms: -5}'
	refused '2:25: locking.timeout_ms must be an integer from 0 to 2147483647'
	yaml 'migration:' '  locking: {enable: false}'
	CONFITURE_STRICT=1 refused '2:13: unknown key: migration.locking.enable (did you mean migration.locking.enabled?)'
}

@test "migration.locking: false turns the lock off" {
	new_db
	mkdir -p db/migrations
	printf 'CREATE TABLE t (a int);\n' >db/migrations/001_t.up.sql
	printf 'database_url: %s\nmigration: {locking: false}\n' "$DBURL" >db/environments/local.yaml
	key=$(( 0x$(printf '%s' "$DB" | sha256sum | cut -c1-8) & 0x7fffffff ))
	psql -XAtq -d "$DB" -c "SELECT pg_advisory_lock(1751936052, $key)" -c "SELECT pg_sleep(20)" >/dev/null 2>&1 &
	holder=$!
	for _ in $(seq 50); do
		[ "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $key AND granted")" = 1 ] && break
		sleep 0.1
	done
	run --separate-stderr timeout 10 conf-migrate -e local up
	kill "$holder"
	assert_success
	[ "$(q "SELECT count(*) FROM t")" = 0 ]
}

@test "hooks.timeout is a number of seconds from 0 to 2147483" {
	for v in 0 300 2147483; do
		yaml 'include_dirs: [db/schema]' "hooks: {timeout: $v}"
		accepted
	done
	yaml 'hooks:' '  timeout: -1'
	refused '2:12: hooks.timeout must be an integer from 0 to 2147483'
	yaml 'hooks:' '  timeout: 10s'
	refused '2:12: hooks.timeout must be an integer from 0 to 2147483'
	yaml 'hooks:' '  timeout: 2147484'
	refused '2:12: hooks.timeout must be an integer from 0 to 2147483'
	yaml 'hooks:' '  timeout: [1]'
	refused '2:12: hooks.timeout must be an integer from 0 to 2147483'
	yaml 'hooks:' '  dir: x'
	CONFITURE_STRICT=1 refused '2:3: unknown key: hooks.dir'
	yaml 'hooks: 5'
	refused '1:8: hooks must be a mapping'
}

@test "migration.tracking_table: at most schema.table of identifiers of up to 63 bytes" {
	for v in tb_confiture ops.schema_log _a.b\$1 "$(printf 'a%.0s' $(seq 63))"; do
		yaml 'include_dirs: [db/schema]' "migration: {tracking_table: '$v'}"
		accepted
	done
	bad() {
		yaml "migration: {tracking_table: '$1'}"
		refused "1:29: migration.tracking_table is not a table name ($2): $1"
	}
	bad a.b.c 'more than schema.table'
	bad .a 'an empty part'
	bad a. 'an empty part'
	bad a..b 'more than schema.table'
	bad "$(printf 'a%.0s' $(seq 64))" 'a part longer than 63 bytes'
	bad 1abc 'a part starts with a character other than a letter or _'
	bad 'a b' 'a character other than a letter, digit, _ or $'
	bad 'ops.$x' 'a part starts with a character other than a letter or _'
	bad '"A".b' 'quoted identifiers are not supported: the name is taken as written'
	yaml 'migration: {tracking_table: "a\nb"}'
	refused '1:29: migration.tracking_table is not a table name (a character other than a letter, digit, _ or $): a\x0Ab'
}

@test "no config message shows the database_url or a database password" {
	export CONF_PW='S3ntinelPW'
	for url in 'postgresql://bob:S3ntinelPW@h/db' 'postgresql://bob:${CONF_PW}@h/db' \
		'host=h password=${CONF_PW} port=x' 'postgresql://bob:S3ntinelPW@[::1/db'; do
		for rest in 'bogus: 1' 'database_url: again' 'build: {[a]: 1}' 'include_dirs: [nothere]' \
			'database: {password: "${CONF_PW}", port: {a: b}}' 'migration: {tracking_table: "a.b.c"}' \
			'x: ${UNSET_CONF_VAR}' '---' 'database_url: ${UNSET_CONF_VAR}'; do
			printf 'database_url: %s\n%s\n' "$url" "$rest" >e.yaml
			CONFITURE_STRICT=1 run conf-concat -c e.yaml
			assert_failure
			refute_output --partial S3ntinel
		done
		printf 'database_url: %s\n\xff\n' "$url" >e.yaml
		run conf-concat -c e.yaml
		assert_failure 5
		refute_output --partial S3ntinel
	done
	yaml 'database:' '  password: S3ntinelPW' '  bogus: 1' 'include_dirs: [db/schema]'
	run conf-concat -c e.yaml -H
	assert_success
	assert_line -n 0 "conf-concat: e.yaml:3:3: unknown key ignored: database.bogus"
}

@test "tags, several documents, NUL and bad bytes are positioned errors" {
	yaml 'include_dirs: !!seq [db/schema]'
	refused '1:15: YAML tags are not supported'
	yaml 'database_url: !secret x'
	refused '1:15: YAML tags are not supported'
	yaml 'include_dirs: [db/schema]' '---' 'include_dirs: [db]'
	refused '2:1: a second YAML document: the environment file holds one'
	yaml 'database_url: "postgresql:///a\0b"'
	refused '1:15: a string holds a NUL character'
	printf 'include_dirs:\n  - db/\xff\n' >e.yaml
	refused '2:8: invalid leading UTF-8 octet'
	printf 'include_dirs:\r\n  - db/\x01\r\n' >e.yaml
	refused '2:8: control characters are not allowed'
	printf 'a: 1\n\0\n' >e.yaml
	refused '2:1: control characters are not allowed'
	# an anchor alone changes nothing, one document with its markers is fine
	yaml '---' 'include_dirs: &d [db/schema]' '...'
	accepted
}

@test "aliases and merge keys are expanded, as upstream's YAML loader does; an alias bomb is refused" {
	mkdir -p db/other
	printf 'SELECT 2;\n' >db/other/b.sql
	# a base mapping merged in, its keys overridden by the file's own; an alias of a scalar
	yaml '.base: &base' '  database_url: &url postgresql:///base' '  include_dirs: [db/schema]' \
		'  migration: {tracking_table: tb_base}' '<<: *base' 'include_dirs: [db/other]' 'exclude_dirs: [*url]'
	run --separate-stderr conf-concat -P -c e.yaml
	assert_success
	assert_equal "$stderr" "conf-concat: e.yaml:1:1: unknown key ignored: .base"
	[ "$(jq -c '[.database_url, (.include_dirs | map(.path)), .exclude_dirs, .tracking_table]' <<<"$output")" = \
		"[\"dbname='base'\",[\"db/other\"],[\"postgresql:///base\"],\"tb_base\"]" ]
	# a list of merged mappings: the earlier one wins; --strict takes aliases too
	yaml 'a: &a {include_dirs: [db/other]}' 'b: &b {include_dirs: [db/schema], migration: {tracking_table: tb_b}}' \
		'<<: [*a, *b]'
	run --separate-stderr conf-concat -P -c e.yaml
	assert_success
	[ "$(jq -c '[(.include_dirs | map(.path)), .tracking_table]' <<<"$output")" = '[["db/other"],"tb_b"]' ]
	yaml 'include_dirs: &d [db/schema]' 'superuser_dirs: *d'
	run --separate-stderr env CONFITURE_STRICT=1 conf-concat -H -c e.yaml
	assert_success
	yaml 'include_dirs: *nope'
	refused '1:15: YAML alias *nope names no anchor before it'
	yaml 'include_dirs: [db/schema]' '<<: [1]'
	refused '2:6: a merge key (<<) takes a mapping or a list of mappings'
	# each line doubles the one before: refused at the line that passes the bound, quickly
	{
		printf 'a0: &a0 [x, x]\n'
		for i in $(seq 1 20); do printf 'a%d: &a%d [*a%d, *a%d]\n' "$i" "$i" $((i - 1)) $((i - 1)); done
		printf 'include_dirs: [db/schema]\n'
	} >e.yaml
	run --separate-stderr timeout 10 conf-concat -c e.yaml
	assert_failure 5
	assert_equal "$stderr" "conf-concat: e.yaml:14:6: YAML aliases expand to more than 100000 nodes"
}

@test "an empty document and a null document are empty mappings" {
	for text in '' '---' '--- ~' '# nothing'; do
		printf '%s\n' "$text" >e.yaml
		run --separate-stderr conf-concat -c e.yaml
		assert_failure 5
		assert_equal "$stderr" "conf-concat: e.yaml: no include_dirs: nothing to build"
	done
}

@test "the longest tracking-table name the rule accepts works as a ledger" {
	new_db
	mkdir -p db/migrations
	printf 'CREATE TABLE t (a int);\n' >db/migrations/001_t.up.sql
	long=$(printf 'a%.0s' $(seq 63))
	printf 'database_url: %s\nmigration: {tracking_table: %s.%s}\n' "$DBURL" "$long" "$long" >db/environments/local.yaml
	run --separate-stderr conf-migrate -e local up
	assert_success
	[ "$(q "SELECT version FROM $long.$long")" = 001 ]
	# its four indexes, each named apart although idx_<table>_<column> is over 63 bytes
	[ "$(q "SELECT count(*) FROM pg_indexes WHERE tablename = '$long' AND indexname LIKE 'idx\\_%'")" = 4 ]
}

@test "keys and values shown in messages have control characters escaped, long ones cut" {
	export CONFITURE_STRICT=1
	yaml '"a\nconf-concat: fine\r": 1'
	refused '1:1: unknown key: a\x0Aconf-concat: fine\x0D'
	yaml 'build: {"x\ty": 1}'
	refused '1:9: unknown key: build.x\x09y'
	yaml 'build: {sort_mode: "h\u001bex"}'
	refused '1:20: build.sort_mode must be alphabetical, hex or dependencies, not h\x1Bex'
	yaml "$(printf 'k%.0s' $(seq 100)): 1"
	refused "1:1: unknown key: $(printf 'k%.0s' $(seq 80))..."
}

@test "every key of an upstream environment file is accepted: one warning names those not acted on" {
	run --separate-stderr conf-concat -C "$REPO/tests/fixtures/upstream-project" -H
	assert_success
	assert_equal "$stderr" "conf-concat: $REPO/tests/fixtures/upstream-project/db/environments/local.yaml: ignoring keys this version does not use: superuser_dirs, superuser_post_dirs, auto_backup, build.two_pass, build.validate_comments, build.separators, build.lint, migration.strict_mode, migration.view_helpers, migration.migration_generators, migration.snapshot_history, migration.snapshots_dir, migration.live_snapshot, migration.rebuild_threshold, migration.grant_dir, migration.allow_unsafe_under_replication, infrastructure, seed.execution_mode, seed.continue_on_error, seed.transaction_mode, seed.profiles, ssh_tunnel, pggit, acls, ownership, function_coverage, security_lint, apply_as, notifications"
}

@test "keys upstream ignores are warnings with file:line:col and the nearest key; errors only when strict" {
	yaml 'description: the app' 'acls_lint_enabled: true' 'include_dirs:' '  - path: db/schema' '    recurse: true' \
		'includedirs: [x]' 'database: {sslmode: disable, hots: x}' 'migration: {checksum: sha256}'
	run --separate-stderr conf-concat -c e.yaml -H
	assert_success
	assert_equal "$stderr" "conf-concat: e.yaml:1:1: unknown key ignored: description
conf-concat: e.yaml:2:1: unknown key ignored: acls_lint_enabled
conf-concat: e.yaml:5:5: unknown key ignored: include_dirs[].recurse (did you mean include_dirs[].recursive?)
conf-concat: e.yaml:6:1: unknown key ignored: includedirs (did you mean include_dirs?)
conf-concat: e.yaml:7:30: unknown key ignored: database.hots (did you mean database.host?)
conf-concat: e.yaml:8:13: unknown key ignored: migration.checksum"
	CONFITURE_STRICT=1 refused '1:1: unknown key: description'
	CONFITURE_STRICT=0 run conf-concat -c e.yaml -H
	assert_success
	# the front's --strict is CONFITURE_STRICT=1
	cp e.yaml db/environments/local.yaml
	run --separate-stderr confiture build --strict -o out.sql
	assert_failure 5
	assert_equal "$stderr" "conf-concat: db/environments/local.yaml:1:1: unknown key: description"
	[ ! -e out.sql ]
}

@test "database: {sslmode, ...} is passed to libpq" {
	new_db
	mkdir -p db/migrations
	printf 'CREATE TABLE t (a int);\n' >db/migrations/001_t.up.sql
	printf 'database: {host: "%s", port: %s, database: %s, user: postgres, sslmode: disable, application_name: envtest}\n' \
		"$PGHOST" "$PGPORT" "$DB" >db/environments/local.yaml
	run --separate-stderr conf-migrate -e local up
	assert_success
	[ "$(q "SELECT count(*) FROM t")" = 0 ]
	printf 'database: {host: "%s", port: %s, database: %s, user: postgres, sslmode: nonsense}\n' \
		"$PGHOST" "$PGPORT" "$DB" >db/environments/local.yaml
	run --separate-stderr conf-migrate -e local status
	assert_failure 3
	assert_equal "$stderr" "conf-migrate: cannot connect to user='postgres' dbname='$DB' host='$PGHOST' port='$PGPORT' sslmode='nonsense': invalid sslmode value: \"nonsense\""
}

@test "\${VAR} in database_url is expanded only when the URL is used" {
	printf 'database_url: postgresql://h:${TUNNEL_LOCAL_PORT}/x\ninclude_dirs: [db/schema]\n' >db/environments/local.yaml
	unset TUNNEL_LOCAL_PORT
	run --separate-stderr confiture build -o out.sql
	assert_success
	assert_equal "$stderr" "confiture: wrote out.sql (1 files, schema hash $(conf-concat -H))"
	run --separate-stderr confiture migrate status
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/environments/local.yaml:1:15: environment variable TUNNEL_LOCAL_PORT is not set"
	# a URL given on the command line replaces it: the unset variable does not matter
	new_db
	run --separate-stderr confiture migrate status --database-url "$DBURL"
	assert_failure 2
	# the database block too
	printf 'database: {host: "${NO_SUCH_HOST}"}\ninclude_dirs: [db/schema]\n' >db/environments/local.yaml
	run --separate-stderr confiture build -o out.sql
	assert_success
	run --separate-stderr conf-migrate -e local status
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/environments/local.yaml:1:18: environment variable NO_SUCH_HOST is not set"
}

@test "\${NAME:-default} is no variable name: said so when the URL is used, harmless when it is not" {
	printf 'database_url: postgresql://h:${PORTX:-5432}/x\ninclude_dirs: [db/schema]\n' >db/environments/local.yaml
	run --separate-stderr confiture build -o out.sql
	assert_success
	run --separate-stderr env PORTX=5432 conf-migrate -e local status
	assert_failure 5
	assert_equal "$stderr" 'conf-migrate: db/environments/local.yaml:1:15: ${PORTX:-5432} is not a variable name: only ${NAME} is expanded, without defaults'
	printf 'database_url: postgresql://h:${}/x\n' >db/environments/local.yaml
	run --separate-stderr conf-migrate -e local status
	assert_failure 5
	assert_equal "$stderr" 'conf-migrate: db/environments/local.yaml:1:15: ${} is not a variable name: only ${NAME} is expanded, without defaults'
}
