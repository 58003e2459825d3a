#!/bin/sh
# confiture drift: the live database of an environment against its DDL files. The output is the SQL
# that would bring the database to the files (conf-diff database files); exit 1 when they differ.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"
# shellcheck source=diffmodel.sh
. "$CONFITURE_PIPELINES/diffmodel.sh"

usage() {
	cat <<USAGE
usage: confiture drift [--env ENV] [--project-dir DIR] [--database-url URL] [--format sql|json]
                       [--tracking-table NAME] [--role ROLE] [--skip-unmodeled]
USAGE
}

env=local project=. url='' json='' role='' table='' skip_unmodeled=''
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-d | --database-url) need_value "$1" $#; url=$2; shift ;;
	--database-url=*) url=${1#*=} ;;
	-f | --format) need_value "$1" $#; json=$2; shift ;;
	--format=*) json=${1#*=} ;;
	--tracking-table) need_value "$1" $#; table=$2; shift ;;
	--tracking-table=*) table=${1#*=} ;;
	--role) need_value "$1" $#; role=$2; shift ;;
	--role=*) role=${1#*=} ;;
	--skip-unmodeled) skip_unmodeled=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die 5 "unknown option: $1" ;;
	esac
	shift
done
set --
[ -z "$skip_unmodeled" ] || set -- --skip-unmodeled
case $json in
'' | sql) ;;
json) set -- "$@" -j ;;
*) die 5 "--format is sql or json, not $json" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/confiture-drift.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
model_env "$env" "$work/files" || exit
model_db "$url" "$work/db" || exit
drop_ledger "$work/db"
rc=0
conf-diff "$@" "$work/db" "$work/files" || rc=$?
case $rc in
0) say "no drift: the database of $env matches its schema files" ;;
1) say "drift: the database of $env differs from its schema files" ;;
esac
exit "$rc"
