#!/bin/sh
# confiture introspect: upstream's command mapped onto conf-inspect, the schema model of a live
# database: JSON Lines, one record per object (conf-formats(5)), not upstream's one object.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

env='' project=. output='' schemas=''
while [ $# -gt 0 ]; do
	case $1 in
	--db | -d | --database-url) need_value "$1" $#; export CONFITURE_DATABASE_URL="$2"; shift ;;
	--db=* | --database-url=*) export CONFITURE_DATABASE_URL="${1#*=}" ;;
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--schema) need_value "$1" $#; schemas="$schemas $2"; shift ;;
	--schema=*) schemas="$schemas ${1#*=}" ;;
	-o | --output) need_value "$1" $#; output=$2; shift ;;
	--output=*) output=${1#*=} ;;
	--format | --format=*)
		f=${1#--format}; f=${f#=}
		if [ -z "$f" ]; then need_value "$1" $#; f=$2; shift; fi
		[ "$f" = json ] || [ "$f" = jsonl ] || die 5 "--format is json (the model's JSON Lines), not $f"
		;;
	--all-tables | --no-hints) ;; # every table is read; no hints are made
	--hints) die 5 "--hints is not supported: the model states what the catalogs hold; conf-lint judges it" ;;
	-h | --help) echo "usage: confiture introspect [--db URL | -e ENV] [--schema S]... [--output FILE] [--format json]"; exit 0 ;;
	*) die 5 "unknown option: $1" ;;
	esac
	shift
done
# upstream reads the schema public unless told otherwise
[ -n "$schemas" ] || schemas=public
set -- -C "$project"
[ -z "$env" ] || set -- "$@" -e "$env"
for s in $schemas; do
	set -- "$@" -n "$s"
done
if [ -n "$output" ] && [ "$output" != - ]; then
	exec conf-inspect "$@" >"$output"
fi
exec conf-inspect "$@"
