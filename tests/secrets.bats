#!/usr/bin/env bats
# No password ever reaches a message, a JSON record or a child's argv, however it is given.

load helper

PW=Sent1nelPW

setup() {
	new_db
	S=$BATS_TEST_TMPDIR
	# a project that builds and migrates; the spies record the argv of every tool the front runs
	mkdir -p "$S/p/db/schema" "$S/p/db/migrations" "$S/p/db/environments" "$S/spy"
	printf 'CREATE TABLE t (a int);\n' >"$S/p/db/schema/t.sql"
	printf 'CREATE TABLE m (a int);\n' >"$S/p/db/migrations/20250101000000_m.up.sql"
	printf 'DROP TABLE m;\n' >"$S/p/db/migrations/20250101000000_m.down.sql"
	for t in conf-apply conf-concat conf-migrate; do
		printf '#!/bin/sh\nprintf "%%s\\n" "$0" "$@" >>"%s/argv"\nexec "%s/%s" "$@"\n' "$S" "$CONF_BINDIR" "$t" >"$S/spy/$t"
		chmod +x "$S/spy/$t"
	done
	: >"$S/argv"
	: >"$S/out"
}

# ways: every way a connection string reaches the tools, as "how<TAB>value"
ways() {
	local sock=$PGHOST bad=$S/nosocket
	printf '%s\t%s\n' \
		uri "postgresql://postgres:$PW@/$DB?host=$sock&port=$PGPORT" \
		uri-unreachable "postgresql://postgres:$PW@/$DB?host=$bad" \
		keyword "host=$sock port=$PGPORT user=postgres dbname=$DB password=$PW" \
		keyword-unreachable "host=$bad dbname=$DB password='$PW'" \
		bad-percent "postgresql://bob:S3c%zz${PW}@h/db" \
		bad-ipv6 "postgresql://bob:$PW@[::1/db" \
		bad-keyword "host=h password=$PW PW" \
		dbname-uri "dbname=postgresql://bob:$PW@/$DB" \
		bad-port "postgresql://bob:$PW@/db?port=99x" \
		sslpassword-keyword "host=$bad dbname=$DB sslpassword=$PW" \
		sslpassword-uri "postgresql:///$DB?host=$bad&sslpassword=$PW"
}

# record CMD...: run a command, appending its stdout and stderr to $S/out
record() {
	"$@" >>"$S/out" 2>&1 || true
}

# every tool and front command, with the connection string given as $1 says
run_all() {
	local how=$1 url=$2 project=$S/p
	local -a d=() e=()
	case $how in
	flag) d=(-d "$url") ;;
	env-file)
		printf "database_url: '%s'\n" "${url//\'/\'\'}" >"$project/db/environments/local.yaml"
		e=(-e local) ;;
	esac
	record conf-apply "${d[@]}" "${e[@]}" -C "$project" -v "$project/db/schema/t.sql"
	record conf-apply -c -f "${d[@]}" "${e[@]}" -C "$project" -v "$project/db/schema/t.sql"
	record conf-apply -a -n "${d[@]}" "${e[@]}" -C "$project" "$project/db/schema/t.sql"
	for j in '' -j; do
		for cmd in status up current verify down; do
			record conf-migrate $j "${d[@]}" "${e[@]}" -C "$project" -m "$project/db/migrations" $cmd
		done
	done
	local -a fd=() fe=()
	[ "$how" != flag ] || fd=(--database-url "$url")
	[ "$how" != env-file ] || fe=(--env local)
	record env CONF_BINDIR="$S/spy" confiture build --project-dir "$project" "${fe[@]}" "${fd[@]}" --force \
		$([ "$how" = flag ] || echo --apply)
	for cmd in status up down; do
		record env CONF_BINDIR="$S/spy" confiture migrate $cmd --project-dir "$project" "${fe[@]}" "${fd[@]}"
		record env CONF_BINDIR="$S/spy" confiture migrate $cmd --project-dir "$project" --json "${fe[@]}" "${fd[@]}"
	done
	rm -f "$project/db/environments/local.yaml"
}

# no_sentinel WHAT: the password appears nowhere in the output nor in any child's argv
no_sentinel() {
	[ -s "$S/out" ] || fail "$1: the tools printed nothing at all"
	if grep -n -- "$PW" "$S/out" "$S/argv"; then
		fail "$1: the password was printed or passed in argv"
	fi
}

@test "a password given with -d / --database-url is never printed nor passed in argv" {
	while IFS=$'\t' read -r how url; do
		run_all flag "$url"
		no_sentinel "-d $how"
	done < <(ways)
}

@test "a password in CONFITURE_DATABASE_URL or DATABASE_URL is never printed" {
	while IFS=$'\t' read -r how url; do
		CONFITURE_DATABASE_URL=$url run_all env "$url"
		no_sentinel "CONFITURE_DATABASE_URL $how"
		DATABASE_URL=$url run_all env "$url"
		no_sentinel "DATABASE_URL $how"
	done < <(ways)
}

@test "a password in the environment file is never printed" {
	while IFS=$'\t' read -r how url; do
		run_all env-file "$url"
		no_sentinel "database_url $how"
	done < <(ways)
	printf 'database:\n  host: %s\n  database: %s\n  user: postgres\n  password: "%s"\n' "$S/nosocket" "$DB" "$PW" \
		>"$S/p/db/environments/blk.yaml"
	record conf-apply -C "$S/p" -e blk "$S/p/db/schema/t.sql"
	record conf-migrate -j -C "$S/p" -e blk status
	no_sentinel "database: block"
}

@test "sslpassword, a secret by libpq's own mark, is left out of \"cannot connect\" messages" {
	run --separate-stderr conf-apply -d "host=$S/nosocket port=5999 dbname=x sslpassword=$PW" "$S/p/db/schema/t.sql"
	assert_failure 3
	assert_equal "$stderr" "conf-apply: cannot connect to dbname='x' host='$S/nosocket' port='5999': connection to server on socket \"$S/nosocket/.s.PGSQL.5999\" failed: No such file or directory"
	run --separate-stderr conf-migrate -d "postgresql:///x?host=$S/nosocket&port=5999&sslpassword=$PW" -C "$S/p" status
	assert_failure 3
	assert_equal "$stderr" "conf-migrate: cannot connect to dbname='x' host='$S/nosocket' port='5999': connection to server on socket \"$S/nosocket/.s.PGSQL.5999\" failed: No such file or directory"
}

@test "PGPASSWORD is never printed" {
	PGPASSWORD=$PW run_all env ""
	PGPASSWORD=$PW PGHOST=$S/nosocket run_all env ""
	no_sentinel PGPASSWORD
}
