#!/bin/sh
# confiture migrate: the upstream-style command line, turned into conf-migrate calls.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture migrate COMMAND [options]
  new NAME                      create <timestamp>_NAME.up.sql and .down.sql
  up [--target V] [--dry-run] [--lock-timeout MS] [--no-lock] [--on-checksum-mismatch fail|warn|ignore]
  down [--steps N] [--dry-run] [--lock-timeout MS] [--no-lock]
  down-to VERSION [--dry-run] [--lock-timeout MS] [--no-lock]
  status | current | verify [--version V] | baseline --through V [--dry-run]
  generate NAME | preflight     from the schema files (confiture migrate generate --help)
options for all: [--env ENV] [--project-dir DIR] [--migrations-dir DIR] [--database-url URL]
                 [--tracking-table NAME] [--hooks-dir DIR] [--format text|json]
USAGE
}

case ${1:-} in
generate | preflight) exec sh "$CONFITURE_PIPELINES/migrate-diff.sh" "$@" ;;
esac

cmd='' arg='' env='' project=. migdir='' url='' table='' hooks='' json=''
set_target='' dry='' lock='' nolock='' mismatch='' steps=''
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--migrations-dir) need_value "$1" $#; migdir=$2; shift ;;
	--migrations-dir=*) migdir=${1#*=} ;;
	-d | --database-url) need_value "$1" $#; url=$2; shift ;;
	--database-url=*) url=${1#*=} ;;
	--tracking-table) need_value "$1" $#; table=$2; shift ;;
	--tracking-table=*) table=${1#*=} ;;
	--hooks-dir) need_value "$1" $#; hooks=$2; shift ;;
	--hooks-dir=*) hooks=${1#*=} ;;
	-f | --format) need_value "$1" $#; json=$2; shift ;;
	--format=*) json=${1#*=} ;;
	-t | --target | --through | --version) need_value "$1" $#; set_target=$2; shift ;;
	--target=* | --through=* | --version=*) set_target=${1#*=} ;;
	--dry-run) dry=1 ;;
	--lock-timeout) need_value "$1" $#; lock=$2; shift ;;
	--lock-timeout=*) lock=${1#*=} ;;
	--no-lock) nolock=1 ;;
	--on-checksum-mismatch) need_value "$1" $#; mismatch=$2; shift ;;
	--on-checksum-mismatch=*) mismatch=${1#*=} ;;
	-n | --steps) need_value "$1" $#; steps=$2; shift ;;
	--steps=*) steps=${1#*=} ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; die 5 "unknown option: $1" ;;
	*)
		if [ -z "$cmd" ]; then
			cmd=$1
		elif [ -z "$arg" ]; then
			arg=$1
		else
			die 5 "unexpected argument: $1"
		fi
		;;
	esac
	shift
done
[ -n "$cmd" ] || { usage >&2; exit 5; }
# conf-migrate works from the project directory (-C): a directory given here must not depend on ours
if [ -n "$migdir" ] && [ -d "$migdir" ]; then
	migdir=$(CDPATH='' cd -- "$migdir" && pwd)
fi
if [ -n "$hooks" ] && [ -d "$hooks" ]; then
	hooks=$(CDPATH='' cd -- "$hooks" && pwd)
fi
# numbers are checked here too, so that the message names the option as it was written
case $lock in
*[!0-9]*) die 5 "--lock-timeout wants a number of milliseconds, not $lock" ;;
esac
case $steps in
*[!0-9]* | 0 | 00*) die 5 "--steps wants a number of steps (1 or more), not $steps" ;;
esac
case $json in
'' | text) json='' ;;
json) json=-j ;;
*) die 5 "--format is text or json, not $json" ;;
esac

if [ "$cmd" = new ]; then
	[ -n "$arg" ] || die 5 "usage: confiture migrate new NAME"
	case $arg in
	*[!a-z0-9_]* | '' | _*) die 5 "a migration name is lowercase letters, digits and _: $arg" ;;
	esac
	[ -n "$migdir" ] || migdir=$project/db/migrations
	[ "$project" != . ] || migdir=${migdir#./}
	mkdir -p "$migdir" || die 1 "cannot create $migdir"
	version=$(date -u +%Y%m%d%H%M%S)
	for f in "$migdir/${version}"_*; do
		[ ! -e "$f" ] || die 1 "a migration with version $version exists: $f (wait a second)"
	done
	up=$migdir/${version}_$arg.up.sql down=$migdir/${version}_$arg.down.sql
	printf -- '-- %s: %s\n-- Runs in one transaction, recorded in the tracking table with it.\n\n' "$version" "$arg" >"$up"
	printf -- '-- Undo %s_%s (confiture migrate down).\n\n' "$version" "$arg" >"$down"
	echo "$up"
	echo "$down"
	exit 0
fi

# the environment file takes part only when asked for, or when the default one exists
if [ -z "$env" ] && [ -f "$project/db/environments/local.yaml" ]; then
	env=local
fi
set -- -C "$project"
[ -z "$migdir" ] || set -- "$@" -m "$migdir"
[ -z "$env" ] || set -- "$@" -e "$env"
# the URL goes to the child in its environment: an argv is visible to every user (ps)
[ -z "$url" ] || export CONFITURE_DATABASE_URL="$url"
[ -z "$table" ] || set -- "$@" -t "$table"
[ -z "$json" ] || set -- "$@" "$json"
set -- "$@" "$cmd"
[ -z "$hooks" ] || set -- "$@" -H "$hooks"
[ -z "$dry" ] || set -- "$@" -n
[ -z "$lock" ] || set -- "$@" -L "$lock"
[ -z "$nolock" ] || set -- "$@" -N
[ -z "$mismatch" ] || set -- "$@" -W "$mismatch"
[ -z "$steps" ] || set -- "$@" -s "$steps"
case $cmd in
verify) [ -z "$set_target" ] || set -- "$@" -V "$set_target" ;;
*) [ -z "$set_target" ] || set -- "$@" -T "$set_target" ;;
esac
[ -z "$arg" ] || set -- "$@" "$arg"
exec conf-migrate "$@"
