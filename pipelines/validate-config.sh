#!/bin/sh
# confiture validate-config: the environment file and the migrations directory checked offline
# (it never connects): exit 0 when valid, 5 when not; --format json gives upstream's report
# {valid, config_source, migrations_path, migration_count, issues}.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

env='' cfile='' project=. migpath='' url='' format=''
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	-c | --config) need_value "$1" $#; cfile=$2; shift ;;
	--config=*) cfile=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--migrations-path | --migrations-dir) need_value "$1" $#; migpath=$2; shift ;;
	--migrations-path=* | --migrations-dir=*) migpath=${1#*=} ;;
	-d | --database-url) need_value "$1" $#; url=$2; shift ;;
	--database-url=*) url=${1#*=} ;;
	-f | --format) need_value "$1" $#; format=$2; shift ;;
	--format=*) format=${1#*=} ;;
	--strict) export CONFITURE_STRICT=1 ;;
	-h | --help)
		echo "usage: confiture validate-config [-e ENV | -c FILE] [--project-dir DIR] [--migrations-path DIR] [-d URL] [--format text|json] [--strict]"
		exit 0
		;;
	*) die 5 "unknown option: $1" ;;
	esac
	shift
done
case $format in
'' | text | json) ;;
*) die 5 "--format is text or json, not $format" ;;
esac
[ -n "$migpath" ] || migpath=$project/db/migrations
[ "$project" != . ] || migpath=${migpath#./}

issues='' sep='' nerr=0
# issue SEVERITY CODE MESSAGE [FILE [LINE [COL]]]: one finding, on stderr in text (FILE:LINE:COL:
# as every diagnostic), in issues[] for json (upstream's issue has no column)
issue() {
	[ "$1" != error ] || nerr=$((nerr + 1))
	if [ "$format" = json ]; then
		_f=null _l=null
		[ -z "${4:-}" ] || _f=$(json_str "$4")
		[ -z "${5:-}" ] || _l=$5
		issues="$issues$sep{\"severity\":\"$1\",\"code\":\"$2\",\"message\":$(json_str "$3"),\"actionable\":null,\"details\":{},\"migration\":null,\"file\":$_f,\"line\":$_l}"
		sep=,
	else
		say "${4:+$4:}${5:+$5:}${6:+$6:}${4:+ }$1: $3"
	fi
}

# the environment file, read by the same loader as every tool (conf-concat -P never connects)
source='flags'
if [ -n "$cfile" ] || [ -n "$env" ] || [ -f "$project/db/environments/local.yaml" ]; then
	source='yaml-file'
	set -- -P -C "$project"
	if [ -n "$cfile" ]; then set -- "$@" -c "$cfile"; else set -- "$@" -e "${env:-local}"; fi
	err=$(conf-concat "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		line=${line#conf-concat: }
		# FILE:LINE:COL: message, or FILE: message
		f=${line%%:*} rest=${line#*:} l='' c=''
		case $rest in
		[0-9]*:[0-9]*:*) l=${rest%%:*}; rest=${rest#*:}; c=${rest%%:*}; rest=${rest#*:} ;;
		esac
		rest=${rest# }
		if [ "$rc" -ne 0 ]; then
			issue error CONFIG_001 "$rest" "$f" "$l" "$c"
		else
			issue warning CONFIG_WARN "$rest" "$f" "$l" "$c"
		fi
	done <<EOF2
$err
EOF2
elif [ -n "${CONFITURE_DATABASE_URL:-}" ] || [ -n "${DATABASE_URL:-}" ]; then
	source='env'
fi
case $url in
'' | postgresql://* | postgres://* | *=*) ;;
*) issue error CONFIG_002 "--database-url is not a postgresql:// URL nor a keyword=value connection string" ;;
esac

# the migrations: each version once, each file named as a migration
count=0
if [ ! -d "$migpath" ]; then
	issue warning MIGR_DIR "no migrations directory $migpath"
else
	versions=''
	for f in "$migpath"/*; do
		[ -e "$f" ] || continue
		b=${f##*/}
		case $b in
		_*) continue ;; # private files and __init__.py
		esac
		case $b in
		[0-9]*_?*.up.sql | [0-9]*_?*.py) count=$((count + 1)); versions="$versions${b%%_*} $b
" ;;
		[0-9]*_?*.down.sql)
			[ -e "${f%.down.sql}.up.sql" ] || [ -e "${f%.down.sql}.py" ] ||
				issue warning MIGR_ORPHAN "$b has no .up.sql" "$f" ;;
		[0-9]*_?*.verify.sql | [0-9]*_?*.yaml) ;;
		*.sql) issue warning MIGR_ORPHAN "$b is not named VERSION_NAME.up.sql or .down.sql: it is never run" "$f" ;;
		*) ;;
		esac
	done
	dups=$(printf '%s' "$versions" | awk '{ n[$1]++; f[$1] = f[$1] " " $2 } END { for (v in n) if (n[v] > 1) print v ":" f[v] }' | sort)
	if [ -n "$dups" ]; then
		while IFS= read -r d; do
			issue error MIGR_DUPLICATE "version ${d%%:*} is used by more than one migration:${d#*:}" "$migpath"
		done <<EOF2
$dups
EOF2
	fi
fi

if [ "$format" = json ]; then
	printf '{"valid":%s,"config_source":"%s","migrations_path":%s,"migration_count":%d,"issues":[%s]}\n' \
		"$([ "$nerr" -eq 0 ] && echo true || echo false)" "$source" "$(json_str "$migpath")" "$count" "$issues"
elif [ "$nerr" -eq 0 ]; then
	say "configuration valid ($source, $count migrations in $migpath)"
fi
[ "$nerr" -eq 0 ] || exit 5
