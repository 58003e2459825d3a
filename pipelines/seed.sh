#!/bin/sh
# confiture seed validate|apply|convert: conf-seedcheck on the project's seed files, with the
# schema model conf-parse -m makes of db/schema; apply sends them through conf-apply, long
# INSERT lists as COPY.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture seed validate [--level N] [--prep-seed] [--static-only] [--full-execution]
                               [--mode standard|comprehensive] [--format text|json] [--database-url URL]
                               [--fix [--in-place]]
       confiture seed apply [--copy-threshold N] [--database-url URL]
       confiture seed convert --input FILE [--output FILE] [--copy-threshold N]
options for all: [--env ENV] [--project-dir DIR] [--seeds-dir DIR]
USAGE
}

cmd='' env=local project=. seeds='' level='' prep='' static='' mode='' json='' url='' threshold=''
input='' output='' fix='' in_place=''
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--seeds-dir) need_value "$1" $#; seeds=$2; shift ;;
	--seeds-dir=*) seeds=${1#*=} ;;
	-l | --level) need_value "$1" $#; level=$2; shift ;;
	--level=*) level=${1#*=} ;;
	--prep-seed) prep=-p ;;
	--static-only) static=1 ;;
	--full-execution) level=5 ;;
	--fix) fix=1 ;;
	--in-place) in_place=1 ;;
	--mode) need_value "$1" $#; mode=$2; shift ;;
	--mode=*) mode=${1#*=} ;;
	-f | --format) need_value "$1" $#; json=$2; shift ;;
	--format=*) json=${1#*=} ;;
	-d | --database-url) need_value "$1" $#; url=$2; shift ;;
	--database-url=*) url=${1#*=} ;;
	--copy-threshold) need_value "$1" $#; threshold=$2; shift ;;
	--copy-threshold=*) threshold=${1#*=} ;;
	-i | --input) need_value "$1" $#; input=$2; shift ;;
	--input=*) input=${1#*=} ;;
	-o | --output) need_value "$1" $#; output=$2; shift ;;
	--output=*) output=${1#*=} ;;
	-h | --help) usage; exit 0 ;;
	-*) usage >&2; die 5 "unknown option: $1" ;;
	*)
		[ -z "$cmd" ] || die 5 "unexpected argument: $1"
		cmd=$1
		;;
	esac
	shift
done
case $json in
'' | text) json='' ;;
json) json=-j ;;
*) die 5 "--format is text or json, not $json" ;;
esac
case $threshold in
*[!0-9]* | 0 | 00*) die 5 "--copy-threshold wants a number of rows (1 or more), not $threshold" ;;
esac
case $mode in
'' | standard | comprehensive) ;;
*) die 5 "--mode is standard or comprehensive, not $mode" ;;
esac

# convert needs no project: one file in, SQL out
if [ "$cmd" = convert ]; then
	[ -n "$input" ] || die 5 "seed convert needs --input FILE"
	if [ -z "$output" ] || [ "$output" = - ]; then
		exec conf-seedcheck -w "${threshold:-1}" "$input"
	fi
	conf-seedcheck -w "${threshold:-1}" "$input" >"$output.tmp" || { rc=$?; rm -f "$output.tmp"; exit "$rc"; }
	mv "$output.tmp" "$output"
	say "wrote $output"
	exit 0
fi

[ -n "$seeds" ] || seeds=$project/db/seeds
# as the project's tools name files: from its root, without a leading ./
seeds=${seeds#./}
[ -d "$seeds" ] || die 5 "no seeds directory: $seeds"
# the seed files in path order, as conf-concat reads them; a name with a newline is refused
files=$(find "$seeds" -name '*.sql' -type f | LC_ALL=C sort)
[ -n "$files" ] || die 5 "no seed files in $seeds"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/confiture-seed.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# the URL goes to the children in their environment: an argv is visible to every user (ps)
[ -z "$url" ] || export CONFITURE_DATABASE_URL="$url"

# run_seeds COMMAND...: the command with the seed files (one a line in $files) as its last arguments
run_seeds() {
	old_ifs=$IFS
	IFS='
'
	set -f
	# shellcheck disable=SC2086
	set -- "$@" $files
	set +f
	IFS=$old_ifs
	"$@"
}

case $cmd in
validate)
	case ${level:-3} in
	1 | 2 | 3 | 4 | 5) ;;
	*) die 5 "--level is 1 to 5, not $level" ;;
	esac
	if [ -n "$static" ] && [ "${level:-3}" -gt 3 ]; then
		die 5 "--static-only runs levels 1 to 3, not $level"
	fi
	# the schema as it is built (seeds left out), and its model for the checks of levels 1 to 3
	conf-concat -C "$project" -e "$env" -S -o "$tmp/schema.sql"
	rc=0
	conf-parse -m "$tmp/schema.sql" >"$tmp/model.jsonl" || rc=$?
	[ "$rc" -eq 0 ] || die 4 "the schema does not parse: its model cannot be made"
	# shellcheck disable=SC2086
	set -- conf-seedcheck -C "$project" -e "$env" -m "$tmp/model.jsonl" -l "${level:-3}" $prep $json
	[ -z "$mode" ] || set -- "$@" --mode "$mode"
	# --fix: a patch of the resolvers' schema drift (patch -p1 from the project root), or the files changed
	if [ -n "$fix" ] && [ -n "$in_place" ]; then
		set -- "$@" --in-place
	elif [ -n "$fix" ]; then
		mkdir -p "$project/db/generated" || die 1 "cannot create $project/db/generated"
		set -- "$@" --fix "$project/db/generated/seed_fixes.patch"
	fi
	# levels 4 and 5: a database given is checked as it is; otherwise a scratch one gets the schema
	if [ "${level:-3}" -ge 4 ] && [ -z "$url" ]; then
		set -- "$@" -S "$tmp/schema.sql"
	fi
	rc=0
	run_seeds "$@" || rc=$?
	exit "$rc"
	;;
apply)
	# the database must have its schema: conf-apply loads the seeds in one transaction
	# the markers place a statement's error at its seed file and line; the model tells -w the
	# columns' types, so that a string cast to its column's type ('...'::uuid) can go as COPY data
	conf-concat -C "$project" -e "$env" -S -o "$tmp/schema.sql"
	rc=0
	conf-parse -m "$tmp/schema.sql" >"$tmp/model.jsonl" || rc=$?
	[ "$rc" -eq 0 ] || die 4 "the schema does not parse: its model cannot be made"
	run_seeds conf-seedcheck -w "${threshold:-1000}" --markers -m "$tmp/model.jsonl" >"$tmp/seeds.sql"
	rc=0
	conf-apply -C "$project" -e "$env" -v "$tmp/seeds.sql" || rc=$?
	exit "$rc"
	;;
'') usage >&2; exit 5 ;;
*) usage >&2; die 5 "unknown seed command: $cmd" ;;
esac
