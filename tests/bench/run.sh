#!/bin/sh
# run.sh: `make bench`. Starts one private throwaway PostgreSQL 15 cluster under /dev/shm, runs every
# benchmark tests/bench/*.sh (except this file, common.sh and genschema.sh) against it, then removes it.
# A benchmark gets the cluster in PGHOST/PGPORT/PGUSER, a scratch directory in BENCH_TMP, and a
# PATH with the repository's bin/ first, then the PostgreSQL 15 binaries.
# Exit status: 0 when every benchmark exited 0, else the highest status seen (1 = a target missed).
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH='' cd -- "$here/../.." && pwd)
PG_BINDIR=/usr/lib/postgresql/15/bin
PATH=$root/bin:$PG_BINDIR:$PATH
export PATH PG_BINDIR

[ -x "$PG_BINDIR/initdb" ] || {
	echo "bench: no PostgreSQL 15 in $PG_BINDIR (make deps)" >&2
	exit 2
}
for t in conf-concat conf-apply; do
	[ -x "$root/bin/$t" ] || {
		echo "bench: $root/bin/$t is missing: run make first" >&2
		exit 2
	}
done

# shellcheck source=../../pipelines/pgtmp.sh
. "$root/pipelines/pgtmp.sh"

tmp=
cleanup() {
	[ -n "$tmp" ] || return 0
	pgtmp_stop "$tmp/pg"
	rm -rf "$tmp"
	tmp=
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

parent=/dev/shm
[ -d "$parent" ] && [ -w "$parent" ] || parent=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$parent/confiture-bench.XXXXXX")
chmod 755 "$tmp" # the server runs as postgres when we are root and must reach its directory
BENCH_TMP=$tmp/scratch
mkdir -p "$BENCH_TMP"
export BENCH_TMP

t0=$(date +%s)
pgtmp_start "$tmp/pg" || {
	echo "bench: cannot start the throwaway cluster" >&2
	exit 2
}
export PGHOST PGPORT PGUSER
echo "bench: PostgreSQL $(psql -X -At -c 'SHOW server_version'), cluster in $tmp/pg (fsync off), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo

status=0
for b in "$here"/*.sh; do
	case ${b##*/} in
	run.sh | genschema.sh | common.sh) continue ;;
	esac
	rc=0
	if [ -x "$b" ]; then
		"$b" || rc=$?
	else
		sh "$b" || rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "bench: ${b##*/} exited $rc" >&2
		[ "$rc" -le "$status" ] || status=$rc
	fi
done

cleanup
echo "bench: done in $(($(date +%s) - t0)) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
