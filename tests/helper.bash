# Loaded by every bats file: paths, assertions, a database per test.
bats_require_minimum_version 1.5.0
# shellcheck shell=bash

REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
CORPUS=$REPO/../shared/corpus
CONF_BINDIR=${CONF_BINDIR:-$REPO/bin}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
PATH=$CONF_BINDIR:$REPO/bin:$PG_BINDIR:$PATH
export REPO CORPUS CONF_BINDIR PG_BINDIR PATH
export LC_ALL=C
unset CONFITURE_DATABASE_URL DATABASE_URL
# sanitizer builds: any report fails the test through the exit status
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=98}

# the libraries' files sourced directly: Debian's load.bash forks a dozen times per test
for _f in /usr/lib/bats/bats-support/src/*.bash /usr/lib/bats/bats-assert/src/*.bash \
	/usr/lib/bats/bats-file/src/*.bash; do
	# shellcheck disable=SC1090
	source "$_f"
done
unset _f

# Skip a database test when there is no server, except in CI where that is a failure.
need_db() {
	if [ -n "${PGTEST_NODB:-}" ]; then
		[ "${CI:-}" != true ] || fail "CI=true but the test cluster did not start"
		skip "no PostgreSQL test cluster (see tests/setup_suite.bash)"
	fi
}

# A fresh, empty database for this test; its name is in $DB and its URL in $DBURL.
new_db() {
	need_db
	DB=t${BATS_SUITE_TEST_NUMBER}_${1:-db}
	PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$DB\"" -c "CREATE DATABASE \"$DB\"" >/dev/null
	DBURL="postgresql:///$DB?host=$PGHOST&port=$PGPORT&user=postgres"
	export DB DBURL
}

# q SQL: run a query in $DB, unaligned tuples only
q() {
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "$1"
}
