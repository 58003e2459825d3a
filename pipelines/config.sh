#!/bin/sh
# confiture config: the environment's settings as the tools resolve them, one JSON object on
# stdout, for pipelines and jq. Offline: it never connects, and shows no password.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

env=local cfile='' project=.
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	-c | --config) need_value "$1" $#; cfile=$2; shift ;;
	--config=*) cfile=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--strict) export CONFITURE_STRICT=1 ;;
	# the report is JSON: --format json, as scripts written for the other commands pass it, changes nothing
	-f | --format) need_value "$1" $#; [ "$2" = json ] || die 5 "config writes JSON: --format is json, not $2"; shift ;;
	--format=*) [ "${1#*=}" = json ] || die 5 "config writes JSON: --format is json, not ${1#*=}" ;;
	-h | --help) echo "usage: confiture config [--env ENV | --config FILE] [--project-dir DIR] [--strict] [--format json]"; exit 0 ;;
	*) die 5 "unknown option: $1" ;;
	esac
	shift
done
if [ -n "$cfile" ]; then
	exec conf-concat -P -C "$project" -c "$cfile"
fi
exec conf-concat -P -C "$project" -e "$env"
