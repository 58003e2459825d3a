# One throwaway PostgreSQL cluster for the whole run, stopped even when tests fail.
# shellcheck shell=bash

setup_suite() {
	local repo
	repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	# shellcheck source=../pipelines/pgtmp.sh
	. "$repo/pipelines/pgtmp.sh"
	local parent=${TMPDIR:-/tmp}
	[ -z "${TMPDIR:-}" ] && [ -w /dev/shm ] && parent=/dev/shm
	PGTEST_DIR=$(mktemp -d "$parent/conftest.XXXXXX")
	chmod 755 "$PGTEST_DIR"
	export PGTEST_DIR
	# TCP on 127.0.0.1 too, password required there (conf-fdw's tests reach the cluster as a
	# remote server would): on a free port, found by trying, as suites may run side by side
	local tries=0 started=''
	export PGTMP_TCP=127.0.0.1
	while [ "$tries" -lt 5 ] && [ -z "$started" ]; do
		PGTMP_PORT=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		export PGTMP_PORT
		if pgtmp_start "$PGTEST_DIR" >"$PGTEST_DIR/start.log" 2>&1; then
			started=1
		fi
		tries=$((tries + 1))
	done
	unset PGTMP_TCP PGTMP_PORT
	# no TCP to be had (no loopback interface): the socket alone, the tests that need TCP skip
	if [ -z "$started" ] && pgtmp_start "$PGTEST_DIR" >>"$PGTEST_DIR/start.log" 2>&1; then
		started=1
		export PGTEST_NOTCP=1
	fi
	if [ -z "$started" ]; then
		if [ "${CI:-}" = true ]; then
			cat "$PGTEST_DIR/start.log" >&2
			return 1
		fi
		export PGTEST_NODB=1
	fi
}

teardown_suite() {
	[ -n "${PGTEST_DIR:-}" ] || return 0
	pgtmp_stop "$PGTEST_DIR"
	rm -rf "$PGTEST_DIR"
}
