# shellcheck shell=bash
# What the tests of issue 14 share (conf-tpl.bats, conf-fleet.bats): a project maker, URLs of the
# test server with a password that must never be shown, psql on it. Loaded after helper.

# setup: each test its own directory S and number N, SRV the server URL (the tests use them)
# shellcheck disable=SC2034
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

# pq SQL: run SQL in the test server's postgres database
pq() {
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "$1"
}
