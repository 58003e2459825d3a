#!/bin/sh
# confiture lint [options] [FILE...]: conf-lint over db/migrations (each file a migration, as
# conf-migrate runs it: conf-lint --conf-migrate) and db/schema (as conf-concat streams it: only the
# rules about the schema itself, since a fresh build locks nobody). Upstream's options, mapped.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

project=.
env=local
format=table
output=
fail= # empty: the environment file's fail_on_error/fail_on_warning decide (conf-lint's default: error)
select=
ignore=
list=
usage="usage: confiture lint [--project-dir DIR] [--env ENV] [--format table|json|csv] [--output FILE] [--fail-on-error] [--fail-on-warning] [--select RULES] [--ignore RULES] [--list-rules] [FILE...]"
while [ $# -gt 0 ]; do
	case $1 in
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--format) need_value "$1" $#; format=$2; shift ;;
	--format=*) format=${1#*=} ;;
	-o | --output) need_value "$1" $#; output=$2; shift ;;
	--output=*) output=${1#*=} ;;
	--fail-on-error) fail=error ;;
	--fail-on-warning) fail=warning ;;
	--no-fail-on-error) fail=never ;;
	--select) need_value "$1" $#; select=$2; shift ;;
	--select=*) select=${1#*=} ;;
	--ignore) need_value "$1" $#; ignore=$2; shift ;;
	--ignore=*) ignore=${1#*=} ;;
	--list-rules) list=1 ;;
	-h | --help) echo "$usage"; exit 0 ;;
	--) shift; break ;;
	-*) echo "$usage" >&2; die 5 "unknown option: $1" ;;
	*) break ;;
	esac
	shift
done
case $format in
table | json | csv) ;;
*) die 5 "--format wants table, json or csv, not $format" ;;
esac

# the environment file's lint: section, when there is one
[ -d "$project" ] || die 5 "no project directory $project"
cfg=$(CDPATH='' cd -- "$project" && pwd)/db/environments/$env.yaml
[ -f "$cfg" ] || cfg=/dev/null
if [ -n "$list" ]; then
	exec conf-lint -c "$cfg" ${select:+--select "$select"} ${ignore:+--ignore "$ignore"} --list-rules
fi

# a schema is built from scratch and locks nobody: the rules about changing a live database run
# on the migrations only; the schema's hygiene (names, keys, documentation) on db/schema only
migration_only=adding-field-with-default,adding-foreign-key-constraint,adding-not-null-field,adding-primary-key-constraint,adding-required-field,adding-serial-primary-key-field,ban-alter-domain-with-add-constraint,ban-concurrent-index-creation-in-transaction,ban-create-domain-with-constraint,ban-drop-column,ban-drop-database,ban-drop-not-null,ban-drop-table,ban-truncate-cascade,ban-uncommitted-transaction,changing-column-type,constraint-missing-not-valid,disallowed-unique-constraint,prefer-repack,prefer-robust-stmts,renaming-column,renaming-table,require-concurrent-index-creation,require-concurrent-index-deletion,require-enum-value-ordering,require-table-schema,require-timeout-settings,transaction-nesting,conf-migrate-mixed-transaction
schema_only=naming-snake-case,missing-primary-key,missing-table-comment,sensitive-column-comment,tenant-column

tmp=$(mktemp -d) || die 1 "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
rc=0
run() { # conf-lint ARGS...: JSON Lines into $tmp/out, the worst status kept
	s=0
	conf-lint -j ${fail:+--fail-on "$fail"} "$@" >>"$tmp/out" || s=$?
	[ "$s" -le "$rc" ] || rc=$s
}
: >"$tmp/out"
if [ $# -gt 0 ]; then
	run -c "$cfg" ${select:+--select "$select"} --ignore "$schema_only${ignore:+,$ignore}" --conf-migrate "$@"
else
	# file names relative to the project root in the findings
	cd "$project"
	# what conf-migrate runs going up: not the .down.sql and .verify.sql beside them
	migs=$(find db/migrations -name '*.sql' ! -name '*.down.sql' ! -name '*.verify.sql' 2>/dev/null | LC_ALL=C sort)
	if [ -n "$migs" ]; then
		# shellcheck disable=SC2086 # the names come from find: one a line, no blanks in a migration's name
		run -c "$cfg" ${select:+--select "$select"} --ignore "$schema_only${ignore:+,$ignore}" --conf-migrate $migs
	fi
	if [ -d db/schema ]; then
		conf-concat db/schema >"$tmp/schema.sql" || die 4 "conf-concat failed on db/schema"
		run -c "$cfg" ${select:+--select "$select"} --ignore "$migration_only${ignore:+,$ignore}" "$tmp/schema.sql"
	fi
fi

out() {
	case $format in
	table) jq -r '"\(.file):\(.line):\(.col): \(.severity): \(.rule): \(.message)"' "$tmp/out" ;;
	json) cat "$tmp/out" ;;
	csv)
		echo 'file,line,col,severity,rule,message'
		jq -r '[.file, .line, .col, .severity, .rule, .message] | @csv' "$tmp/out"
		;;
	esac
}
if [ -n "$output" ]; then
	out >"$output" || die 1 "cannot write $output"
else
	out
fi
exit "$rc"
