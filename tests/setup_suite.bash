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
	if ! pgtmp_start "$PGTEST_DIR" >"$PGTEST_DIR/start.log" 2>&1; then
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
