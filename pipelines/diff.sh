#!/bin/sh
# confiture diff: the migration SQL (or change list) from one schema to another; each side is an
# environment's DDL files, a database URL, a model file, or SQL files, turned into a model first.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"
# shellcheck source=diffmodel.sh
. "$CONFITURE_PIPELINES/diffmodel.sh"

usage() {
	cat <<USAGE
usage: confiture diff --from SRC --to DST [--format sql|json] [--allow-destructive] [--no-online]
                      [--skip-unmodeled] [--rename KIND:OLD=KIND:NEW ...] [--role ROLE]
                      [--project-dir DIR]
       confiture diff OLD NEW [options]
SRC, DST: an environment (its DDL files), a database URL, a model file (conf-inspect, conf-parse -m),
          an SQL file or a directory of SQL files; - is standard input
USAGE
}

# need OPTION NEXT: the options conf-diff gets are kept after the marker, which is no value
need() {
	[ "$2" != --end-of-options-- ] || die 5 "option $1 needs a value"
}

project=. from='' to='' json='' role='' skip_unmodeled=''
set -- "$@" --end-of-options--
while [ "$1" != --end-of-options-- ]; do
	case $1 in
	--from) need "$1" "$2"; from=$2; shift ;;
	--from=*) from=${1#*=} ;;
	--to) need "$1" "$2"; to=$2; shift ;;
	--to=*) to=${1#*=} ;;
	--project-dir) need "$1" "$2"; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-f | --format) need "$1" "$2"; json=$2; shift ;;
	--format=*) json=${1#*=} ;;
	--role) need "$1" "$2"; role=$2; shift ;;
	--role=*) role=${1#*=} ;;
	--allow-destructive | --no-online) set -- "$@" "$1" ;;
	--skip-unmodeled) skip_unmodeled=1; set -- "$@" "$1" ;;
	-r | --rename) need "$1" "$2"; set -- "$@" -r "$2"; shift ;;
	--rename=*) set -- "$@" -r "${1#*=}" ;;
	-h | --help) usage; exit 0 ;;
	-?*) usage >&2; die 5 "unknown option: $1" ;;
	*)
		if [ -z "$from" ]; then
			from=$1
		elif [ -z "$to" ]; then
			to=$1
		else
			die 5 "unexpected argument: $1"
		fi
		;;
	esac
	shift
done
shift
if [ -z "$from" ] || [ -z "$to" ]; then
	usage >&2
	die 5 "diff needs two sides: --from SRC --to DST"
fi
[ "$from" != - ] || [ "$to" != - ] || die 5 "only one side can be standard input"
case $json in
'' | sql) ;;
json) set -- -j "$@" ;;
*) die 5 "--format is sql or json, not $json" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/confiture-diff.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
rc=0
model_of "$from" "$work/old" || exit
model_of "$to" "$work/new" || exit
conf-diff "$@" "$work/old" "$work/new" || rc=$?
exit "$rc"
