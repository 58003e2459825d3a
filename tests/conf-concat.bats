#!/usr/bin/env bats
# conf-concat: environment config -> one reproducible SQL stream with provenance markers

load helper

setup() {
	P=$BATS_TEST_TMPDIR/p
	mkdir -p "$P/db/schema/00_common" "$P/db/schema/10_tables" "$P/db/seeds/common" "$P/db/environments"
	printf 'CREATE SCHEMA app;\n' >"$P/db/schema/00_common/schema.sql"
	printf 'CREATE TABLE app.users (id int PRIMARY KEY);\n' >"$P/db/schema/10_tables/users.sql"
	printf 'CREATE TABLE app.posts (id int PRIMARY KEY, user_id int REFERENCES app.users)' >"$P/db/schema/10_tables/posts.sql"
	printf 'INSERT INTO app.users VALUES (1);\n' >"$P/db/seeds/common/users.sql"
	env_file <<'YAML'
include_dirs:
  - db/schema
  - db/seeds/common
YAML
}

env_file() {
	cat >"$P/db/environments/${1:-local}.yaml"
}

@test "writes a header, then each file behind a marker, in path order" {
	run --separate-stderr conf-concat -C "$P"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(grep -c '^-- confiture:file ' <<<"$output")" 4
	assert_line --index 0 --regexp '^-- confiture:build env=local hash=[0-9a-f]{64} files=4$'
	assert_line --index 1 "-- confiture:file db/schema/00_common/schema.sql sha256=$(sha256sum <"$P/db/schema/00_common/schema.sql" | cut -c1-64)"
	assert_equal "$(grep '^-- confiture:file' <<<"$output" | cut -d' ' -f3)" \
		"$(printf '%s\n' db/schema/00_common/schema.sql db/schema/10_tables/posts.sql db/schema/10_tables/users.sql db/seeds/common/users.sql)"
}

@test "a file without a final newline gets one, so the next marker starts a line" {
	run conf-concat -C "$P"
	assert_line --index 4 "CREATE TABLE app.posts (id int PRIMARY KEY, user_id int REFERENCES app.users)"
	assert_line --index 5 --regexp '^-- confiture:file db/schema/10_tables/users.sql '
}

@test "same tree, same bytes; one changed byte changes the hash" {
	conf-concat -C "$P" >"$BATS_TEST_TMPDIR/a"
	conf-concat -C "$P" >"$BATS_TEST_TMPDIR/b"
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	h1=$(conf-concat -C "$P" -H)
	[ "$(head -1 "$BATS_TEST_TMPDIR/a")" = "-- confiture:build env=local hash=$h1 files=4" ]
	sed -i 's/PRIMARY KEY);/PRIMARY KEY) ;/' "$P/db/schema/10_tables/users.sql"
	h2=$(conf-concat -C "$P" -H)
	[ "$h1" != "$h2" ]
	[[ $h1 =~ ^[0-9a-f]{64}$ ]]
}

@test "the hash depends on paths and contents only, not on the environment or the directory" {
	cp "$P/db/environments/local.yaml" "$P/db/environments/other.yaml"
	h1=$(conf-concat -C "$P" -H)
	h2=$(conf-concat -C "$P" -e other -H)
	cp -r "$P" "$BATS_TEST_TMPDIR/q"
	h3=$(cd "$BATS_TEST_TMPDIR/q" && conf-concat -H)
	[ "$h1" = "$h2" ] && [ "$h1" = "$h3" ]
}

@test "overlapping include_dirs give each file once" {
	env_file <<'YAML'
include_dirs:
  - db/schema
  - db/schema/10_tables
  - path: ./db/schema/10_tables/
    include: ["users.sql"]
YAML
	run conf-concat -C "$P"
	assert_success
	assert_line --index 0 --partial ' files=3'
	assert_equal "$(grep -c 'users.sql' <<<"$output")" 1
}

@test "order groups include_dirs; equal orders sort together by path" {
	env_file <<'YAML'
include_dirs:
  - path: db/seeds/common
    order: 1
  - path: db/schema/10_tables
    order: 0
  - db/schema/00_common
YAML
	run conf-concat -C "$P"
	assert_equal "$(grep '^-- confiture:file' <<<"$output" | cut -d' ' -f3)" \
		"$(printf '%s\n' db/schema/00_common/schema.sql db/schema/10_tables/posts.sql db/schema/10_tables/users.sql db/seeds/common/users.sql)"
}

@test "include and exclude globs, exclude_dirs, recursive: false" {
	mkdir -p "$P/db/schema/10_tables/old" "$P/db/schema/99_wip"
	printf 'SELECT 1;\n' >"$P/db/schema/10_tables/old/legacy.sql"
	printf 'SELECT 2;\n' >"$P/db/schema/10_tables/notes.txt"
	printf 'SELECT 3;\n' >"$P/db/schema/99_wip/x.sql"
	printf 'SELECT 4;\n' >"$P/db/schema/10_tables/users.sql.bak"
	env_file <<'YAML'
include_dirs:
  - path: db/schema
    include: ["*.sql", "*.txt"]
    exclude: ["**/old/**", "posts.*"]
  - path: db/seeds
    recursive: false
exclude_dirs: [db/schema/99_wip]
YAML
	run conf-concat -C "$P"
	assert_success
	assert_equal "$(grep '^-- confiture:file' <<<"$output" | cut -d' ' -f3)" \
		"$(printf '%s\n' db/schema/00_common/schema.sql db/schema/10_tables/notes.txt db/schema/10_tables/users.sql)"
}

@test "build.sort_mode hex orders components by their hex prefix" {
	mkdir -p "$P/h/0x0A_late" "$P/h/09_early" "$P/h/0x1F_last"
	printf 'SELECT 1;\n' >"$P/h/0x0A_late/a.sql"
	printf 'SELECT 2;\n' >"$P/h/09_early/0x10_b.sql"
	printf 'SELECT 3;\n' >"$P/h/09_early/0x2_a.sql"
	printf 'SELECT 4;\n' >"$P/h/0x1F_last/z.sql"
	env_file <<'YAML'
include_dirs: [h]
build:
  sort_mode: hex
YAML
	run conf-concat -C "$P"
	assert_equal "$(grep '^-- confiture:file' <<<"$output" | cut -d' ' -f3)" \
		"$(printf '%s\n' h/09_early/0x2_a.sql h/09_early/0x10_b.sql h/0x0A_late/a.sql h/0x1F_last/z.sql)"
}

@test "-S leaves seed files out" {
	run conf-concat -C "$P" -S
	assert_success
	refute_output --partial seeds/common
	assert_line --index 0 --partial ' files=3'
}

@test "operands instead of an environment" {
	run conf-concat -C "$P" db/schema/10_tables db/schema/00_common/schema.sql
	assert_success
	assert_line --index 0 --regexp '^-- confiture:build env=- hash=[0-9a-f]{64} files=3$'
}

@test "-o writes the file, and nothing on standard output" {
	run conf-concat -C "$P" -o "$BATS_TEST_TMPDIR/out.sql"
	assert_success
	assert_output ""
	[ "$(conf-concat -C "$P")" = "$(cat "$BATS_TEST_TMPDIR/out.sql")" ]
	[ "$(ls "$BATS_TEST_TMPDIR")" = "$(printf 'out.sql\np')" ]
}

@test "a missing include directory is an error at its line" {
	env_file <<'YAML'
database_url: postgresql:///x
include_dirs:
  - db/schema
  - db/nothere
YAML
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:4:5: include directory db/nothere: No such file or directory"
}

@test "auto_discover: true lets a missing directory pass" {
	env_file <<'YAML'
include_dirs:
  - db/schema
  - path: db/nothere
    auto_discover: true
YAML
	run conf-concat -C "$P"
	assert_success
}

@test "an unknown key is a warning with its line and the nearest key (an error when strict); upstream keys we ignore are one warning" {
	env_file <<'YAML'
include_dirs: [db/schema]
build:
  sort_mod: hex
YAML
	run --separate-stderr conf-concat -C "$P" -H
	assert_success
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:3:3: unknown key ignored: build.sort_mod (did you mean build.sort_mode?)"
	CONFITURE_STRICT=1 run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:3:3: unknown key: build.sort_mod (did you mean build.sort_mode?)"
	env_file <<'YAML'
include_dirs: [db/schema]
auto_backup: false
require_confirmation: false
build:
  two_pass: true
YAML
	run --separate-stderr conf-concat -C "$P"
	assert_success
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml: ignoring keys this version does not use: auto_backup, build.two_pass"
}

@test "YAML syntax errors and wrong types name the position" {
	printf 'include_dirs: [db/schema\nbuild: {}\n' | env_file
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:2:6: did not find expected ',' or ']'"
	printf 'include_dirs:\n  - path: db/schema\n    recursive: maybe\n' | env_file
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:3:16: recursive must be true or false"
}

@test "a missing environment file, and no SQL files at all" {
	run --separate-stderr conf-concat -C "$P" -e staging
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/environments/staging.yaml: No such file or directory"
	mkdir -p "$P/empty"
	printf 'include_dirs:\n  - empty\n' | env_file
	run --separate-stderr conf-concat -C "$P"
	assert_failure 4
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:2:5: no SQL files found in include_dirs"
}

@test "-k: a file that ends inside a statement is an error at that statement" {
	run --separate-stderr conf-concat -C "$P" -k
	assert_failure 4
	assert_equal "$stderr" "conf-concat: db/schema/10_tables/posts.sql:1:1: statement is not terminated by ';' at the end of the file"
	printf ';\n' >>"$P/db/schema/10_tables/posts.sql"
	printf 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$\n  SELECT 1;\n' >"$P/db/schema/10_tables/f.sql"
	run --separate-stderr conf-concat -C "$P" -k
	assert_failure 4
	assert_equal "$stderr" 'conf-concat: db/schema/10_tables/f.sql:1:49: ERROR 42601: unterminated dollar-quoted string at or near "$$..."'
}

@test "environment variables expand in database_url when it is used: an unset one does not stop a build" {
	printf 'database_url: postgresql:///${CONF_TEST_DB}\ninclude_dirs: [db/schema]\n' | env_file
	run --separate-stderr conf-concat -C "$P" -H
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr conf-migrate -C "$P" -e local status
	assert_failure 5
	assert_equal "$stderr" "conf-migrate: db/environments/local.yaml:1:15: environment variable CONF_TEST_DB is not set"
}

@test "bad usage exits 5; a write error exits 1" {
	run conf-concat -Z
	assert_failure 5
	assert_line --index 1 "conf-concat: usage: conf-concat [-HSk] [-e env] [-C dir] [-c file] [-o file] [path ...]"
	printf 'database:\n  host: {a: b}\n' >"$P/db/environments/local.yaml"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:2:9: a database setting must be a string"
	printf 'include_dirs: [db/schema]\n' >"$P/db/environments/local.yaml"
	run conf-concat -e local db/schema
	assert_failure 5
	run bash -c "conf-concat -C '$P' >/dev/full"
	assert_failure 1
	assert_output "conf-concat: error writing output: No space left on device"
}

@test "a file name with a control character is refused, shown escaped, never raw" {
	printf 'CREATE TABLE a (i int);\n' >"$P/db/schema/a.sql"
	: >"$P/db/schema/b.sql
DROP TABLE a;--.sql"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 4
	assert_output ""
	assert_equal "$stderr" 'conf-concat: db/schema/b.sql\x0ADROP TABLE a;--.sql: a file name with a control character cannot be written in a marker'
	rm "$P/db/schema/b.sql"*
	: >"$P/db/schema/$(printf 'tab\there\001\177.sql')"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 4
	assert_equal "$stderr" 'conf-concat: db/schema/tab\x09here\x01\x7F.sql: a file name with a control character cannot be written in a marker'
	run --separate-stderr conf-concat -C "$P" "db/schema/$(printf 'tab\there\001\177.sql')"
	assert_failure 4
	assert_equal "$stderr" 'conf-concat: db/schema/tab\x09here\x01\x7F.sql: a file name with a control character cannot be written in a marker'
}

@test "the stream ends with an end line, written last; files= counts the markers" {
	run --separate-stderr conf-concat -C "$P"
	assert_success
	assert_equal "$(tail -n 1 <<<"$output")" "-- confiture:end files=4"
	assert_equal "$(grep -c '^-- confiture:' <<<"$output")" 6
	run conf-concat -C "$P" -S -o "$BATS_TEST_TMPDIR/out.sql"
	assert_success
	awk '/^-- confiture:build / { split($NF, h, "="); n = h[2] }
	     /^-- confiture:file / { m++ }
	     { last = $0 }
	     END { exit !(n == 3 && m == 3 && last == "-- confiture:end files=3") }' "$BATS_TEST_TMPDIR/out.sql"
	run conf-concat -C "$P" -H
	assert_output --regexp '^[0-9a-f]{64}$'
}

@test "the output is never an input: -o, a redirected standard output, db/generated" {
	printf 'include_dirs: [db]\n' | env_file
	mkdir -p "$P/db/generated"
	conf-concat -C "$P" -o "$P/db/generated/schema_local.sql"
	conf-concat -C "$P" -o "$P/db/generated/schema_local.sql"
	run conf-concat -C "$P"
	assert_line --index 0 --partial ' files=4'
	assert_equal "$(cat "$P/db/generated/schema_local.sql")" "$output"
	# named another way, elsewhere in the tree: excluded by identity, not by name
	ln -s schema "$P/db/again"
	conf-concat -C "$P" -o "$P/db/again/all.sql"
	conf-concat -C "$P" -o "$P/db/schema/../schema/all.sql"
	conf-concat -C "$P" -o "$P/db/schema/all.sql"
	[ "$(grep -c '^-- confiture:file ' "$P/db/schema/all.sql")" = 4 ]
	refute grep -q '^-- confiture:file db/schema/all.sql' "$P/db/schema/all.sql"
	rm "$P/db/again" "$P/db/schema/all.sql"
	conf-concat -C "$P" >"$P/db/seeds/out.sql"
	conf-concat -C "$P" >"$P/db/seeds/out.sql"
	[ "$(grep -c '^-- confiture:file ' "$P/db/seeds/out.sql")" = 4 ]
	refute grep -q '^-- confiture:file db/seeds/out.sql' "$P/db/seeds/out.sql"
}

@test "a symbolic link loop and a dangling link are errors naming the path" {
	ln -s .. "$P/db/schema/10_tables/up"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_output ""
	assert_equal "$stderr" "conf-concat: $P/db/schema/10_tables/up: symbolic link loop: the directory contains itself"
	rm "$P/db/schema/10_tables/up"
	ln -s nothere.sql "$P/db/schema/gone.sql"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/schema/gone.sql: dangling symbolic link"
	rm "$P/db/schema/gone.sql"
	ln -s self "$P/db/schema/self"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/schema/self: Too many levels of symbolic links"
}

@test "a file reached through links, or twice, appears once (device and inode)" {
	ln -s 10_tables "$P/db/schema/20_alias"
	ln -s ../10_tables/users.sql "$P/db/schema/00_common/users_link.sql"
	ln "$P/db/schema/00_common/schema.sql" "$P/db/schema/10_tables/hard.sql"
	run conf-concat -C "$P"
	assert_success
	assert_equal "$(grep '^-- confiture:file' <<<"$output" | cut -d' ' -f3)" \
		"$(printf '%s\n' db/schema/00_common/schema.sql db/schema/00_common/users_link.sql db/schema/10_tables/posts.sql db/seeds/common/users.sql)"
	assert_line --index 0 --partial ' files=4'
	assert_equal "$(tail -n 1 <<<"$output")" "-- confiture:end files=4"
}

@test "a [ without its ] in a glob is an ordinary character" {
	mkdir -p "$P/g"
	for f in 'a.sq[' 'b[!' 'c[^' 'd[a-' 'e[]' 'f]' 'g-' 'ga' 'gb' '[' 'h[!]x' 'hy'; do
		printf 'SELECT 1;\n' >"$P/g/$f"
	done
	cat >"$P/db/environments/local.yaml" <<'YAML'
include_dirs:
  - path: g
    include: ["a.sq[", "b[!", "c[^", "d[a-", "e[]", "f[]]", "g[a-]", "[", "h[!]x"]
YAML
	run conf-concat -C "$P"
	assert_success
	assert_equal "$(grep '^-- confiture:file' <<<"$output" | cut -d' ' -f3 | tr '\n' ' ')" \
		"g/[ g/a.sq[ g/b[! g/c[^ g/d[a- g/e[] g/f] g/g- g/ga g/h[!]x "
}

@test "-o on a device or a fifo writes into it and never replaces it" {
	T=$BATS_TEST_TMPDIR
	mkfifo "$T/fifo"
	timeout 10 cat "$T/fifo" >"$T/got" &
	run conf-concat -C "$P" -o "$T/fifo"
	assert_success
	wait
	[ -p "$T/fifo" ]
	assert_equal "$(cat "$T/got")" "$(conf-concat -C "$P")"
	if [ "$(id -u)" = 0 ]; then
		# our own device nodes: the real ones must survive a failing run of this test
		mknod -m 666 "$T/null" c 1 3
		mknod -m 666 "$T/full" c 1 7
	else
		ln -s /dev/null "$T/null"
		ln -s /dev/full "$T/full"
	fi
	run conf-concat -C "$P" -o "$T/null"
	assert_success
	[ -c "$T/null" ]
	run --separate-stderr conf-concat -C "$P" -o "$T/full"
	assert_failure 1
	assert_equal "$stderr" "conf-concat: $T/full: No space left on device"
	[ -c "$T/full" ]
	run --separate-stderr conf-concat -C "$P" -H -o "$T/full"
	assert_failure 1
	assert_equal "$stderr" "conf-concat: $T/full: No space left on device"
	assert_equal "$(ls "$T" | grep -v '^separate-stderr' | tr '\n' ' ')" "fifo full got null p "
}

@test "standard output on /dev/full: the reason of the failed write" {
	run bash -c "conf-concat -C '$P' >/dev/full"
	assert_failure 1
	assert_output "conf-concat: error writing output: No space left on device"
	run bash -c "conf-concat -C '$P' -H >/dev/full"
	assert_failure 1
	assert_output "conf-concat: error writing output: No space left on device"
}

@test "SIGTERM or SIGINT while the output is written leaves no temporary file" {
	command -v strace >/dev/null || skip "strace is not installed"
	T=$BATS_TEST_TMPDIR
	for sig in TERM INT; do
		# hold the first write (to the temporary file) for 3 s, and send the signal meanwhile;
		# a background job starts with SIGINT ignored: give it the default back
		# (LeakSanitizer cannot run under ptrace)
		ASAN_OPTIONS=detect_leaks=0:exitcode=99 env --default-signal=INT \
			strace -o /dev/null -e trace=write -e inject=write:delay_enter=3000000:when=1 \
			conf-concat -C "$P" -o "$T/out.sql" 2>"$T/err" &
		spid=$!
		tmp=
		for _ in $(seq 100); do
			tmp=$(ls "$T" | grep '^out\.sql\.tmp' || true)
			[ -z "$tmp" ] || break
			sleep 0.05
		done
		[ -n "$tmp" ]
		kill -"$sig" "${tmp#out.sql.tmp}"
		rc=0
		wait "$spid" || rc=$?
		assert_equal "$rc" "$((128 + $(kill -l "$sig")))"
		assert_equal "$(cat "$T/err")" "conf-concat: interrupted: nothing was written"
		assert_equal "$(ls "$T" | tr '\n' ' ')" "err p "
	done
}

@test "confiture build twice with include_dirs [db]: the second does not read the first's output" {
	printf 'include_dirs: [db]\n' | env_file
	printf ';\n' >>"$P/db/schema/10_tables/posts.sql"
	run --separate-stderr confiture build --project-dir "$P"
	assert_success
	cp "$P/db/generated/schema_local.sql" "$BATS_TEST_TMPDIR/first.sql"
	run --separate-stderr confiture build --project-dir "$P"
	assert_success
	assert_equal "$stderr" "confiture: wrote $P/db/generated/schema_local.sql (4 files, schema hash $(conf-concat -C "$P" -H))"
	cmp "$BATS_TEST_TMPDIR/first.sql" "$P/db/generated/schema_local.sql"
	# an --output inside the tree is left out as well
	rm -r "$P/db/generated"
	run --separate-stderr confiture build --project-dir "$P" --output "$P/db/all.sql"
	run --separate-stderr confiture build --project-dir "$P" --output "$P/db/all.sql"
	assert_equal "$stderr" "confiture: wrote $P/db/all.sql (4 files, schema hash $(conf-concat -C "$P" -H db/schema db/seeds))"
}

@test "confiture build --apply: only a whole build in a regular file is applied" {
	need_db
	DB=t${BATS_SUITE_TEST_NUMBER}_never
	url="postgresql:///$DB?host=$PGHOST"
	printf 'include_dirs: [db/schema]\n' | env_file
	printf ';\n' >>"$P/db/schema/10_tables/posts.sql"
	if [ "$(id -u)" = 0 ]; then
		mknod -m 666 "$BATS_TEST_TMPDIR/null" c 1 3
	else
		ln -s /dev/null "$BATS_TEST_TMPDIR/null"
	fi
	run --separate-stderr confiture build --project-dir "$P" --output "$BATS_TEST_TMPDIR/null" --database-url "$url"
	assert_failure 5
	assert_equal "$stderr" "confiture: --apply needs --output to be a regular file: $BATS_TEST_TMPDIR/null is not"
	[ -c "$BATS_TEST_TMPDIR/null" ] || [ -L "$BATS_TEST_TMPDIR/null" ]
	# a failing conf-concat stops the build before anything is applied
	printf 'include_dirs: [db/schema]\nbuild: {sort_mod: hex}\n' | env_file
	CONFITURE_STRICT=1 run --separate-stderr confiture build --project-dir "$P" --database-url "$url"
	assert_failure 5
	assert_equal "$stderr" "conf-concat: $P/db/environments/local.yaml:2:9: unknown key: build.sort_mod (did you mean build.sort_mode?)"
	[ "$(psql -XAtq -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 0 ]
}

@test "an empty -C, -o or -c is a usage error, before anything is read or written" {
	cd "$P"
	for o in C o c; do
		run --separate-stderr conf-concat -"$o" ''
		assert_failure 5
		assert_output ""
		assert_equal "$stderr" "conf-concat: -$o needs a non-empty name"
	done
	assert_equal "$(ls -A "$P" | tr '\n' ' ')" "db "
}

@test "a failed write to standard output is reported with its reason, kept when it happened (lib/diag)" {
	# conf-migrate flushes each line: glibc then drops the buffer, and errno at exit is stale
	new_db
	mkdir -p "$P/db/migrations"
	printf 'CREATE TABLE m1 (i int);\n' >"$P/db/migrations/001_m1.up.sql"
	run bash -c "conf-migrate -C '$P' -d '$DBURL' status >/dev/full"
	assert_failure 1
	assert_equal "${#lines[@]}" 3
	assert_equal "${lines[2]}" "conf-migrate: error writing output: No space left on device"
}

@test "a file line that begins like a marker is refused at its line: the count of markers stays true" {
	printf 'SELECT 1;\n-- confiture:file db/x.sql sha256=00\nSELECT 2;\n' >"$P/db/schema/10_tables/fake.sql"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 4
	assert_output ""
	assert_equal "$stderr" 'conf-concat: db/schema/10_tables/fake.sql:2:1: a line beginning with "-- confiture:" would be taken for a stream marker'
	# a whole stream as an input, say a build copied into the tree
	conf-concat -C "$P" db/seeds >"$BATS_TEST_TMPDIR/seeds.sql"
	mv "$BATS_TEST_TMPDIR/seeds.sql" "$P/db/schema/10_tables/fake.sql"
	run --separate-stderr conf-concat -C "$P"
	assert_failure 4
	assert_equal "$stderr" 'conf-concat: db/schema/10_tables/fake.sql:1:1: a line beginning with "-- confiture:" would be taken for a stream marker'
	printf -- '--  confiture:file is fine\n -- confiture:file too\n' >"$P/db/schema/10_tables/fake.sql"
	run conf-concat -C "$P"
	assert_success
}

@test "-o through a symbolic link writes its target and keeps the link; a replaced file keeps its mode" {
	out=$BATS_TEST_TMPDIR/out.sql
	printf 'old\n' >"$out"
	chmod 600 "$out"
	run --separate-stderr conf-concat -C "$P" -o "$out"
	assert_success
	[ "$(stat -c %a "$out")" = 600 ]
	mkdir "$BATS_TEST_TMPDIR/real"
	printf 'old\n' >"$BATS_TEST_TMPDIR/real/target.sql"
	ln -s real/target.sql "$BATS_TEST_TMPDIR/link.sql"
	run --separate-stderr conf-concat -C "$P" -o "$BATS_TEST_TMPDIR/link.sql"
	assert_success
	[ -L "$BATS_TEST_TMPDIR/link.sql" ]
	cmp "$out" "$BATS_TEST_TMPDIR/real/target.sql"
	ln -s real/none.sql "$BATS_TEST_TMPDIR/dangling.sql"
	run --separate-stderr conf-concat -C "$P" -o "$BATS_TEST_TMPDIR/dangling.sql"
	assert_failure 1
	assert_equal "$stderr" "conf-concat: $BATS_TEST_TMPDIR/dangling.sql: No such file or directory"
	[ "$(ls "$BATS_TEST_TMPDIR/real")" = target.sql ]
}
