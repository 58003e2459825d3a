#!/bin/sh
# confiture tmpdb start|stop|url|status: a private PostgreSQL cluster for one project,
# on a Unix socket only, with fsync off; stop deletes it.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"
# shellcheck source=pgtmp.sh
. "$CONFITURE_PIPELINES/pgtmp.sh"

project=.
while [ $# -gt 0 ]; do
	case $1 in
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-h | --help) echo "usage: confiture tmpdb [--project-dir DIR] start|stop|url [DBNAME]|status"; exit 0 ;;
	*) break ;;
	esac
	shift
done
[ $# -ge 1 ] || die 5 "usage: confiture tmpdb start|stop|url [DBNAME]|status"
state=$project/.confiture/tmpdb
cluster=''
[ ! -f "$state" ] || cluster=$(cat "$state")

url() {
	echo "postgresql:///${1:-postgres}?host=$cluster&port=5432&user=postgres"
}

case $1 in
start)
	if [ -n "$cluster" ] && pgtmp_running "$cluster"; then
		url
		exit 0
	fi
	mkdir -p "$project/.confiture" || die 1 "cannot create $project/.confiture"
	cluster=$(CDPATH='' cd -- "$project" && pwd)/.confiture/pg
	# a socket path has at most 107 bytes, and as root the server runs as postgres, which must
	# reach the directory: otherwise the cluster goes to a fresh directory under TMPDIR
	reachable=1
	if [ "$(id -u)" = 0 ]; then
		mkdir -p "$cluster" && chown postgres: "$cluster" 2>/dev/null &&
			runuser -u postgres -- test -w "$cluster" 2>/dev/null || reachable=''
	fi
	if [ -z "$reachable" ] || [ ${#cluster} -gt 80 ]; then
		rmdir "$cluster" 2>/dev/null || true
		cluster=$(mktemp -d) || die 1 "cannot create a directory for the cluster"
		chmod 755 "$cluster"
	fi
	echo "$cluster" >"$state"
	pgtmp_start "$cluster" || die 1 "the cluster did not start (see above)"
	say "PostgreSQL running in $cluster"
	url
	;;
stop)
	if [ -n "$cluster" ]; then
		pgtmp_stop "$cluster"
		rm -rf "$cluster"
		say "PostgreSQL in $cluster stopped and removed"
	fi
	rm -f "$state"
	;;
url)
	if [ -z "$cluster" ] || ! pgtmp_running "$cluster"; then
		die 3 "no tmpdb is running for $project: run 'confiture tmpdb start'"
	fi
	url "${2:-}"
	;;
status)
	if [ -n "$cluster" ] && pgtmp_running "$cluster"; then
		echo "running in $cluster"
	else
		echo "not running"
		exit 1
	fi
	;;
*)
	die 5 "unknown tmpdb command: $1"
	;;
esac
