#!/bin/sh
# confiture migrate schema-to-schema: move the data of an old database into a new one built
# fresh from db/schema, through postgres_fdw on the new one (the target):
#   setup     conf-fdw setup: the foreign server, user mapping and staging foreign tables
#   analyze   conf-inspect of both sides | conf-map: the mapping YAML to edit, values checked
#   migrate, migrate-table, verify   handed to s2s-move.sh (conf-move, conf-verify)
#   cleanup   conf-fdw cleanup
# The two connection strings reach the tools as two services of a private service file
# (conf-sync -s), so no password is ever in an argv.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture migrate schema-to-schema COMMAND [options]
  setup   --source ENV|URL --target ENV|URL [--staging-schema NAME] [--server NAME] [--skip-import]
          [--fetch-size ROWS]
  analyze --source ENV|URL --target ENV|URL [--staging-schema NAME] [--server NAME] [-o FILE]
  migrate --mapping FILE [--strategy fdw|copy] [--jobs N] ...    (confiture(7), Schema to schema)
  migrate-table --source-table T --target-table T --mapping "a:b,c:d" ...
  verify [--tables a,b] [--delta] ...
  cleanup --target ENV|URL [--staging-schema NAME] [--server NAME]
options for all: [--project-dir DIR]
USAGE
}

sub=${1:-}
[ $# -eq 0 ] || shift
case $sub in
setup | analyze | cleanup) ;;
migrate | migrate-table | verify) exec sh "$CONFITURE_PIPELINES/s2s-move.sh" "$sub" "$@" ;;
-h | --help | help) usage; exit 0 ;;
'') usage >&2; die 5 "migrate schema-to-schema needs a command: setup, analyze, migrate, migrate-table, verify or cleanup" ;;
*) usage >&2; die 5 "migrate schema-to-schema: unknown command: $sub" ;;
esac

source='' target='' staging=old_schema server=confiture_source skip='' fetch='' output='' project=.
while [ $# -gt 0 ]; do
	case $1 in
	--source) need_value "$1" $#; source=$2; shift ;;
	--source=*) source=${1#*=} ;;
	--target) need_value "$1" $#; target=$2; shift ;;
	--target=*) target=${1#*=} ;;
	--staging-schema) need_value "$1" $#; staging=$2; shift ;;
	--staging-schema=*) staging=${1#*=} ;;
	--server) need_value "$1" $#; server=$2; shift ;;
	--server=*) server=${1#*=} ;;
	--skip-import) skip=1 ;;
	--fetch-size) need_value "$1" $#; fetch=$2; shift ;;
	--fetch-size=*) fetch=${1#*=} ;;
	-o | --output) need_value "$1" $#; output=$2; shift ;;
	--output=*) output=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die 5 "unknown option: $1" ;;
	esac
	shift
done
# each option belongs to some commands only: one given to another is a mistake, said so
[ "$sub" != cleanup ] || [ -z "$source" ] || die 5 "cleanup takes no --source: it works on the target only"
[ "$sub" = setup ] || [ -z "$skip" ] || die 5 "--skip-import belongs to setup"
[ "$sub" = setup ] || [ -z "$fetch" ] || die 5 "--fetch-size belongs to setup"
[ "$sub" = analyze ] || [ -z "$output" ] || die 5 "--output belongs to analyze"
[ -n "$target" ] || { usage >&2; die 5 "--target is required: an environment name or a connection string"; }
if [ "$sub" != cleanup ] && [ -z "$source" ]; then
	usage >&2
	die 5 "--source is required: an environment name or a connection string"
fi

# the service file (passwords) lives in a private directory, removed on exit
work=$(mktemp -d "${TMPDIR:-/tmp}/confiture-s2s.XXXXXX")
user_umask=$(umask)
umask 077
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
# cleanup needs one side: the target stands in for the source, which conf-sync -s asks for
CONFITURE_SYNC_FROM=${source:-$target} CONFITURE_SYNC_TO=$target
export CONFITURE_SYNC_FROM CONFITURE_SYNC_TO
conf-sync -s "$work/services" -C "$project" >/dev/null
unset CONFITURE_SYNC_FROM CONFITURE_SYNC_TO PGSERVICE
PGSERVICEFILE=$work/services
export PGSERVICEFILE
# how the mapping's header names a side: an environment by its name, a connection string not at all
name_of() {
	case $1 in
	postgresql://* | postgres://* | *=*) echo "(a connection string)" ;;
	*) echo "$1" ;;
	esac
}

case $sub in
setup)
	conf-fdw setup -s service=from -d service=to --server "$server" --staging-schema "$staging" \
		${skip:+--skip-import} ${fetch:+--fetch-size "$fetch"} >/dev/null
	;;
cleanup)
	conf-fdw cleanup -d service=to --server "$server" --staging-schema "$staging"
	;;
analyze)
	# the staging schemas setup made, and the progress schema, are no part of either schema
	set -- -N confiture_s2s -N "$staging"
	conf-fdw staging -d service=to --server "$server" >"$work/staging"
	while IFS="$(printf '\t')" read -r _ st; do
		set -- "$@" -N "$st"
	done <"$work/staging"
	[ -s "$work/staging" ] || say "no staging schema of server $server on the target: the values are not checked (run setup first)"
	conf-inspect -d service=from "$@" >"$work/source.jsonl"
	conf-inspect -d service=to "$@" >"$work/target.jsonl"
	# a check that failed has said why; the mapping is still written, then the status returned
	rc=0
	conf-map -S "$work/source.jsonl" -T "$work/target.jsonl" -s service=from -d service=to \
		--staging-schema "$staging" --source-name "$(name_of "$source")" \
		--target-name "$(name_of "$target")" >"$work/mapping.yaml" || rc=$?
	[ "$rc" -le 1 ] || exit "$rc"
	if [ -n "$output" ]; then
		(umask "$user_umask" && cat "$work/mapping.yaml" >"$output")
		say "mapping written to $output: edit it, then: confiture migrate schema-to-schema migrate --mapping $output"
	else
		cat "$work/mapping.yaml"
	fi
	exit "$rc"
	;;
esac
