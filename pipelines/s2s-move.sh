#!/bin/sh
# confiture migrate schema-to-schema migrate|migrate-table|verify: the front's options turned into
# a conf-move or conf-verify run. pipelines/s2s.sh execs this with the subcommand as $1.
# The two connections are written by conf-sync -s to a private pg_service file (removed on exit):
# no password in any argv.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture migrate schema-to-schema migrate --source ENV|URL --target ENV|URL --mapping FILE
                      [--strategy fdw|copy] [--jobs N] [--staging-schema NAME] [--progress-every SECONDS]
       confiture migrate schema-to-schema migrate-table --source ENV|URL --target ENV|URL
                      --source-table TABLE --target-table TABLE [--mapping a:b,c:d] [--strategy fdw|copy]
       confiture migrate schema-to-schema verify --source ENV|URL --target ENV|URL
                      {--mapping FILE [--tables a,b] | --tables a,b} [--delta] [--chunk-rows N] [--staging-schema NAME]
USAGE
}

sub=${1:-}
[ $# -eq 0 ] || shift
case $sub in
migrate | migrate-table | verify) ;;
-h | --help) usage; exit 0 ;;
*) usage >&2; die 5 "schema-to-schema: unknown subcommand: $sub" ;;
esac

source='' target='' mapping='' strategy=fdw jobs=1 staging=old_schema src_t='' dst_t='' tables=''
delta='' chunk='' every='' project=.
while [ $# -gt 0 ]; do
	case $1 in
	--source) need_value "$1" $#; source=$2; shift ;;
	--source=*) source=${1#*=} ;;
	--target) need_value "$1" $#; target=$2; shift ;;
	--target=*) target=${1#*=} ;;
	--mapping) need_value "$1" $#; mapping=$2; shift ;;
	--mapping=*) mapping=${1#*=} ;;
	--strategy) need_value "$1" $#; strategy=$2; shift ;;
	--strategy=*) strategy=${1#*=} ;;
	-j | --jobs) need_value "$1" $#; jobs=$2; shift ;;
	--jobs=*) jobs=${1#*=} ;;
	# upstream's --source-schema names the staging schema of the foreign tables
	--staging-schema | --source-schema) need_value "$1" $#; staging=$2; shift ;;
	--staging-schema=* | --source-schema=*) staging=${1#*=} ;;
	--target-schema) need_value "$1" $#; shift ;; # the mapping's tables are qualified
	--target-schema=*) ;;
	--source-table) need_value "$1" $#; src_t=$2; shift ;;
	--source-table=*) src_t=${1#*=} ;;
	--target-table) need_value "$1" $#; dst_t=$2; shift ;;
	--target-table=*) dst_t=${1#*=} ;;
	--tables) need_value "$1" $#; tables=$2; shift ;;
	--tables=*) tables=${1#*=} ;;
	--delta) delta=1 ;;
	--chunk-rows) need_value "$1" $#; chunk=$2; shift ;;
	--chunk-rows=*) chunk=${1#*=} ;;
	--progress-every) need_value "$1" $#; every=$2; shift ;;
	--progress-every=*) every=${1#*=} ;;
	# upstream's --format: the progress and results are text lines; json is not written here yet
	-f | --format) need_value "$1" $#; [ "$2" = text ] || die 5 "--format $2: $sub writes text only"; shift ;;
	--format=*) [ "${1#*=}" = text ] || die 5 "--format ${1#*=}: $sub writes text only" ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die 5 "unknown option: $1" ;;
	esac
	shift
done
[ -n "$source" ] || { usage >&2; die 5 "--source is required: an environment name or a connection string"; }
[ -n "$target" ] || { usage >&2; die 5 "--target is required: an environment name or a connection string"; }
case $strategy in fdw | copy) ;; *) die 5 "--strategy is fdw or copy, not $strategy" ;; esac
case $jobs in
'' | *[!0-9]* | 0 | 0*) die 5 "--jobs wants a number of parallel connections (1 or more), not $jobs" ;;
esac
# the connections are services of the file written below
set --
case $sub in
migrate)
	[ -n "$mapping" ] || die 5 "--mapping is required: the mapping file (confiture migrate schema-to-schema analyze writes one)"
	set -- conf-move -d service=to -s service=from -m "$strategy" -j "$jobs" -S "$staging" ${every:+-i "$every"} "$mapping"
	;;
migrate-table)
	if [ -z "$src_t" ] || [ -z "$dst_t" ]; then
		die 5 "migrate-table needs --source-table and --target-table"
	fi
	set -- conf-move -d service=to -s service=from -m "$strategy" -S "$staging" ${every:+-i "$every"} -t "$src_t" -T "$dst_t" ${mapping:+-c "$mapping"}
	;;
verify)
	# upstream's verify --tables without a mapping compares tables of the same name
	[ -n "$mapping" ] || [ -n "$tables" ] || die 5 "--mapping is required (or --tables): the mapping file the data was moved with"
	set -- conf-verify -d service=to -s service=from -S "$staging" ${tables:+-t "$tables"} ${chunk:+-n "$chunk"} ${delta:+-D} ${mapping:+"$mapping"}
	;;
esac

# the work dir (mode 0700) holds the service file, which holds passwords
work=$(mktemp -d "${TMPDIR:-/tmp}/confiture-s2s.XXXXXX")
child=''
trap 'rm -rf "$work"' EXIT
trap '[ -z "$child" ] || kill -TERM "$child" 2>/dev/null || true' INT TERM HUP
CONFITURE_SYNC_FROM=$source CONFITURE_SYNC_TO=$target conf-sync -s "$work/services" -C "$project" >/dev/null
PGSERVICEFILE=$work/services
export PGSERVICEFILE
# in the background, so that a signal to this shell reaches the tool (which rolls back) at once
"$@" &
child=$!
st=0
wait "$child" || st=$?
# a trapped signal ends the first wait early: the tool's own status comes with the second
if [ "$st" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
	st=0
	wait "$child" || st=$?
fi
exit "$st"
