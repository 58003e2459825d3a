#!/bin/sh
# confiture migrate up|status --targets FILE|-: the same migrations over many databases, by
# conf-fleet (a bounded pool of conf-migrate runners, one JSON record per database).
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture migrate up --targets FILE|- [--jobs N] [--keep-going] [-t VERSION]
                            [--lock-timeout MS | --no-lock] [options]
       confiture migrate status --targets FILE|- [--jobs N] [options]
options: [-e ENV] [--project-dir DIR] [--migrations-dir DIR] [--tracking-table NAME]
FILE has one connection string or environment name a line; # starts a comment.
USAGE
}

cmd=${1:-}
case $cmd in
up | status) shift ;;
-h | --help) usage; exit 0 ;;
*) usage >&2; die 5 "--targets goes with migrate up or migrate status, not ${cmd:-nothing}" ;;
esac
targets='' jobs=1 keep=''
# the options for conf-fleet are appended to "$@" behind the n words still to read
n=$#
while [ "$n" -gt 0 ]; do
	o=''
	case $1 in
	--targets) need_value "$1" "$n"; targets=$2 ;;
	--targets=*) targets=${1#*=} ;;
	-j | --jobs) need_value "$1" "$n"; jobs=$2 ;;
	--jobs=*) jobs=${1#*=} ;;
	--keep-going) keep=-k ;;
	-e | --env | --env=*) o=-e ;;
	--project-dir | --project-dir=*) o=-C ;;
	--migrations-dir | --migrations-dir=*) o=-m ;;
	--tracking-table | --tracking-table=*) o=-t ;;
	-t | --target | --target=*) o=-T ;;
	--lock-timeout | --lock-timeout=*) o=-L ;;
	--no-lock) [ "$cmd" = up ] || die 5 "$1 goes with migrate up"; set -- "$@" -N ;;
	-h | --help) usage; exit 0 ;;
	*) die 5 "$1 is not supported with --targets (confiture migrate up --targets - --help lists what is)" ;;
	esac
	case $o:$cmd in -T:status | -L:status) die 5 "${1%%=*} goes with migrate up" ;; esac
	case $1 in
	--targets | -j | --jobs) shift; n=$((n - 1)) ;;
	*=*) [ -z "$o" ] || set -- "$@" "$o" "${1#*=}" ;;
	*) if [ -n "$o" ]; then need_value "$1" "$n"; set -- "$@" "$o" "$2"; shift; n=$((n - 1)); fi ;;
	esac
	shift
	n=$((n - 1))
done
[ -n "$targets" ] || die 5 "--targets needs a file (or - for standard input)"
case $jobs in '' | *[!0-9]* | 0*) die 5 "--jobs wants a number of parallel runners (1 or more), not '$jobs'" ;; esac
[ "$targets" = - ] || [ -r "$targets" ] || die 5 "cannot read the target list $targets"
[ -z "$keep" ] || set -- "$@" -k
exec conf-fleet -f "$targets" -J "$jobs" "$@" "$cmd"
