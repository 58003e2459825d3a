#!/bin/sh
# model-agree.sh: the property of issue 8 — for a set of SQL files F, `conf-parse -m F` equals
# `conf-inspect` of a database built from F, once the text-only fields are removed.
#
# usage: tests/model-agree.sh [-q] [-j JOBS] [-r ROLE]... CASE...
#   CASE   a .sql file, or a directory of schema files (read in build order by conf-concat -S)
#   -q     print only the summary line
#   -j N   cases run N at a time (default: the number of cores)
#   -r R   create role R first (an SQL identifier as written in SQL, quoted if it must be);
#          roles are cluster-wide, so they are created once and left in place. A case file with a
#          meta.json beside it that lists "roles" (the corpus's diff pairs) gets those too.
# The server is the one the PG* environment variables lead to. Each job makes one database and
# loads its cases into it one after the other with `conf-apply -a` (statement by statement in
# autocommit, as psql -f runs a file): a case PostgreSQL 15 rejects (conf-apply exits 1 or 4) is
# counted apart, not as a disagreement. Ahead of each case, in the same connection, a reset drops
# event triggers, publications, extensions, every schema but public and everything in public
# (measured: 10 ms where CREATE DATABASE + DROP DATABASE take 100 ms); it then compares a
# fingerprint of what it cannot drop (user objects outside the schemas, comments and privileges
# of built-in objects, the database's settings) with the fresh database's and fails when they
# differ: the database is made again. Roles are cluster-wide: a case's CREATE ROLE stays.
# conf-parse -m reads the same SQL, conf-inspect the database; both outputs go through the
# agreement filter of conf-formats(5) (drop the keys sql, *_sql, file, line, col) and are compared
# record by record, all cases in one jq. conf-parse's `unmodeled` records are statements, not model
# records: they are left out of the comparison (conf-parse warned about each one, and a statement
# that changed the model shows as a differing record anyway).
# Output: per disagreement the case and a unified diff of its first differing record, per rejected
# case its first error; last line `N/M agree` (M = the cases PostgreSQL accepted) and, when some
# were, `, K rejected by PostgreSQL 15`.
# Exit status: 0 when every accepted case agrees, 1 when one does not, 5 usage or setup error.
set -eu

usage() {
	echo "usage: ${0##*/} [-q] [-j jobs] [-r role]... file.sql|dir..." >&2
	exit 5
}

quiet=0
jobs=$(nproc 2>/dev/null || echo 2)
roles=
while getopts qj:r: opt; do
	case $opt in
	q) quiet=1 ;;
	j) case $OPTARG in '' | *[!0-9]* | 0) usage ;; *) jobs=$OPTARG ;; esac ;;
	r) roles="$roles$OPTARG
" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage

for t in conf-apply conf-concat conf-parse conf-inspect jq psql; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "${0##*/}: $t not found in PATH" >&2
		exit 5
	}
done
for c in "$@"; do
	[ -f "$c" ] || [ -d "$c" ] || {
		echo "${0##*/}: $c: no such file or directory" >&2
		exit 5
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/model-agree.XXXXXX")
cleanup() {
	for d in "$tmp"/w*/db; do
		[ -f "$d" ] || continue
		psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS \"$(cat "$d")\" WITH (FORCE)" >/dev/null 2>&1 || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The roles: from -r, then from the meta.json of each case file.
for c in "$@"; do
	m=$(dirname -- "$c")/meta.json
	if [ -f "$c" ] && [ -f "$m" ]; then
		roles="$roles$(jq -r '.roles[]?' "$m")
"
	fi
done
printf '%s' "$roles" | awk 'NF && !seen[$0]++ {
	printf "DO $agree$ BEGIN CREATE ROLE %s; EXCEPTION WHEN duplicate_object THEN NULL; END $agree$;\n", $0 }' >"$tmp/roles.sql"
if [ -s "$tmp/roles.sql" ]; then
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -f "$tmp/roles.sql" >"$tmp/roles.log" 2>&1 || {
		echo "${0##*/}: cannot create the roles:" >&2
		cat "$tmp/roles.log" >&2
		exit 5
	}
fi

# The filter of conf-formats(5), then per case the first id whose records differ (or that one side
# lacks): reads the outputs DIR/N.p (conf-parse -m) and DIR/N.i (conf-inspect) of the cases listed.
# shellcheck disable=SC2016 # jq program, not shell
cmp_jq='def f: walk(if type == "object" then with_entries(select(.key | test("^(file|line|col|sql)$|_sql$") | not)) else . end);
def byid: reduce .[] as $r ({}; .[$r.id // ""] += [$r]);
def cmp($p; $i):
  ($p | map(select(.kind != "unmodeled") | f)) as $P | ($i | map(f)) as $I
  | if $P == $I then {}
    else ($P | byid) as $a | ($I | byid) as $b
    | ([$a, $b | keys[]] | unique | map(select($a[.] != $b[.]))) as $d
    | if ($d | length) == 0 then {id: "(the order)", parse: $P, inspect: $I}
      else {id: $d[0], parse: ($a[$d[0]] // []), inspect: ($b[$d[0]] // [])} end
    end;
(reduce inputs as $r ({}; .[input_filename] += [$r])) as $all
| $cases | split(" ")[] | select(. != "") as $n
| {n: ($n | tonumber)} + cmp($all[$dir + $n + ".p"] // []; $all[$dir + $n + ".i"] // [])'

# The reset: drop what a case can make.
cp "$(dirname -- "$0")/agree-reset.sql" "$tmp/drop.sql"
# What a reset cannot undo: user objects outside the schemas (or in pg_catalog), comments and
# privileges on built-in objects, the database's own settings. Equal to the fresh database's, or
# the database is made again.
fingerprint="md5(concat_ws('|',
	(SELECT count(*) FROM (SELECT oid FROM pg_class WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_type WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_proc WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_operator WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_opfamily WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_collation WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_conversion WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_ts_config WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_ts_dict WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_language WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_cast WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_foreign_data_wrapper WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_foreign_server WHERE oid >= 16384 UNION ALL SELECT oid FROM pg_am WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_default_acl UNION ALL SELECT oid FROM pg_transform
		UNION ALL SELECT oid FROM pg_largeobject_metadata UNION ALL SELECT oid FROM pg_event_trigger
		UNION ALL SELECT oid FROM pg_publication UNION ALL SELECT oid FROM pg_extension WHERE oid >= 16384
		UNION ALL SELECT oid FROM pg_namespace WHERE oid >= 16384) o),
	(SELECT string_agg(format('%s/%s/%s/%s', classoid, objoid, objsubid, description), ',' ORDER BY classoid, objoid, objsubid)
		FROM pg_description WHERE objoid < 16384),
	(SELECT format('%s %s %s %s', n.oid, n.nspowner, n.nspacl, obj_description(n.oid, 'pg_namespace'))
		FROM pg_namespace n WHERE n.nspname = 'public'),
	(SELECT string_agg(format('%s %s', oid, nspacl), ',' ORDER BY oid) FROM pg_namespace WHERE oid < 16384),
	(SELECT string_agg(format('%s %s', oid, proacl), ',' ORDER BY oid) FROM pg_proc WHERE proacl IS NOT NULL),
	(SELECT string_agg(format('%s %s', oid, relacl), ',' ORDER BY oid) FROM pg_class WHERE relacl IS NOT NULL),
	(SELECT string_agg(format('%s %s', oid, typacl), ',' ORDER BY oid) FROM pg_type WHERE typacl IS NOT NULL),
	(SELECT string_agg(l::text, ',' ORDER BY oid) FROM pg_language l),
	(SELECT string_agg(e::text, ',' ORDER BY oid) FROM pg_extension e),
	(SELECT format('%s %s %s', datdba, datacl, datconnlimit) FROM pg_database WHERE datname = current_database()),
	(SELECT string_agg(s::text, ',') FROM pg_db_role_setting s),
	(SELECT string_agg(description, ',') FROM pg_shdescription
		WHERE objoid = (SELECT oid FROM pg_database WHERE datname = current_database()))))"

# fresh_db: (re)create the job's database $db; write $w/reset.sql, the reset that fails unless it
# leaves the database as this fresh one
fresh_db() {
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
		-c "CREATE DATABASE \"$db\"" >"$w/db.log" 2>&1 || return 1
	base=$(psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$tmp/drop.sql" -c "SELECT $fingerprint" 2>>"$w/db.log") ||
		return 1
	{
		cat "$tmp/drop.sql"
		# shellcheck disable=SC2016 # a dollar quote of SQL
		printf 'DO $agree$ BEGIN IF %s IS DISTINCT FROM %s THEN\n' "$fingerprint" "'$base'"
		printf "\tRAISE EXCEPTION 'not reset'; END IF; END \$agree\$;\n"
	} >"$w/reset.sql"
}

# first_error FILE: the line of a tool's stderr that says what went wrong (a sanitizer's report
# begins with a rule of '=' signs; conf-parse's warnings are about unmodeled statements, the
# server's WARNINGs that conf-apply passes on are not the error either)
first_error() {
	grep -m 1 -E -e 'ERROR( [0-9A-Z]{5})?: ' -e 'runtime error' "$1" ||
		grep -v -e ': warning: ' -e ': WARNING: ' -e '^$' -e '^=*$' "$1" | head -n 1
}

# run_case N CASE WORKDIR: loads the case after the reset, in one connection; writes $tmp/r/N.st
# (agree|reject|disagree|compare) and N.msg; for "compare", the two outputs $tmp/o/N.p and N.i
run_case() {
	n=$1 c=$2 w=$3
	r=$tmp/r/$n
	sql=$c
	if [ -d "$c" ]; then
		sql=$w/stream.sql
		conf-concat -S "$c" >"$sql" 2>"$w/concat.err" || {
			echo disagree >"$r.st"
			printf '%s: conf-concat -S failed: %s\n' "$c" "$(head -n 1 "$w/concat.err")" >"$r.msg"
			return 0
		}
	fi
	rc=0
	conf-apply -a -d "dbname=$db" "$w/reset.sql" "$sql" >/dev/null 2>"$w/apply.err" || rc=$?
	if [ "$rc" -ne 0 ] && grep -q "^conf-apply: $w/reset.sql:" "$w/apply.err"; then
		fresh_db || return 5
		rc=0
		conf-apply -a -d "dbname=$db" "$w/reset.sql" "$sql" >/dev/null 2>"$w/apply.err" || rc=$?
	fi
	case $rc in
	0) ;;
	1 | 4)
		echo reject >"$r.st"
		printf 'rejected: %s: %s\n' "$c" "$(first_error "$w/apply.err")" >"$r.msg"
		return 0
		;;
	*)
		echo disagree >"$r.st"
		printf '%s: conf-apply exited %s: %s\n' "$c" "$rc" "$(first_error "$w/apply.err")" >"$r.msg"
		return 0
		;;
	esac
	conf-parse -m "$sql" >"$tmp/o/$n.p" 2>"$w/p.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo disagree >"$r.st"
		printf '%s: conf-parse -m exited %s: %s\n' "$c" "$rc" "$(first_error "$w/p.err")" >"$r.msg"
		return 0
	fi
	conf-inspect -d "dbname=$db" >"$tmp/o/$n.i" 2>"$w/i.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo disagree >"$r.st"
		printf '%s: conf-inspect exited %s: %s\n' "$c" "$rc" "$(first_error "$w/i.err")" >"$r.msg"
		return 0
	fi
	echo compare >"$r.st"
}

mkdir -p "$tmp/r" "$tmp/o" "$tmp/d"
j=0 pids=
while [ "$j" -lt "$jobs" ]; do
	w=$tmp/w$j
	mkdir -p "$w"
	(
		db=model_agree_$$_$j
		echo "$db" >"$w/db"
		fresh_db || {
			echo "${0##*/}: cannot create database $db:" >&2
			cat "$w/db.log" >&2
			exit 5
		}
		n=0
		for c in "$@"; do
			if [ $((n % jobs)) -eq "$j" ]; then
				run_case "$n" "$c" "$w" || {
					echo "${0##*/}: cannot create database $db:" >&2
					cat "$w/db.log" >&2
					exit 5
				}
			fi
			n=$((n + 1))
		done
	) &
	pids="$pids $!"
	j=$((j + 1))
done
status=0
for p in $pids; do
	wait "$p" || status=$?
done
[ "$status" -eq 0 ] || exit 5

# One jq for every case to compare (a jq start costs as much as a small case); a case whose output
# jq cannot read is then compared alone, to name it.
# compare "N..." "FILE...": the file names are ours, without blanks
compare() {
	# shellcheck disable=SC2086
	jq -nc --arg dir "$tmp/o/" --arg cases "$1" "$cmp_jq" $2 >>"$tmp/cmp.jsonl"
}
list='' files=''
n=0
for c in "$@"; do
	if [ "$(cat "$tmp/r/$n.st" 2>/dev/null)" = compare ]; then
		list="$list $n"
		files="$files $tmp/o/$n.p $tmp/o/$n.i"
	fi
	n=$((n + 1))
done
: >"$tmp/cmp.jsonl"
if [ -n "$list" ] && ! compare "$list" "$files" 2>/dev/null; then
	: >"$tmp/cmp.jsonl"
	n=0
	for c in "$@"; do
		if [ "$(cat "$tmp/r/$n.st" 2>/dev/null)" = compare ]; then
			compare "$n" "$tmp/o/$n.p $tmp/o/$n.i" 2>"$tmp/jq.err" || {
				echo disagree >"$tmp/r/$n.st"
				printf '%s: an output is not JSON Lines: %s\n' "$c" "$(head -n 1 "$tmp/jq.err")" >"$tmp/r/$n.msg"
			}
		fi
		n=$((n + 1))
	done
fi
jq -r 'select(.id == null) | .n' "$tmp/cmp.jsonl" | while read -r n; do
	echo agree >"$tmp/r/$n.st"
done
jq -r 'select(.id) | "\(.n) \(.id)"' "$tmp/cmp.jsonl" | while read -r n id; do
	echo disagree >"$tmp/r/$n.st"
	echo "$id" >"$tmp/d/$n.id"
done
# the first differing records, pretty, one file per side and case, for diff -u
if [ "$quiet" = 0 ]; then
	jq 'select(.id) | "@@p \(.n)", .parse[], "@@i \(.n)", .inspect[]' "$tmp/cmp.jsonl" |
		awk -v d="$tmp/d/" '/^"@@[pi] [0-9]+"$/ { if (f) close(f); f = d substr($2, 1, length($2) - 1) "." substr($1, 4, 1); printf "" >f; next }
			{ print >f }'
fi

agree=0 reject=0 total=0 n=0
for c in "$@"; do
	st=$(cat "$tmp/r/$n.st" 2>/dev/null || echo disagree)
	[ "$st" = compare ] && st=disagree && echo "$c: no comparison result" >"$tmp/r/$n.msg"
	total=$((total + 1))
	case $st in
	agree) agree=$((agree + 1)) ;;
	reject) reject=$((reject + 1)) ;;
	esac
	if [ "$quiet" = 0 ] && [ "$st" != agree ]; then
		if [ -f "$tmp/d/$n.id" ]; then
			printf '%s: first differing record: %s\n' "$c" "$(cat "$tmp/d/$n.id")"
			diff -u --label "conf-parse -m" --label conf-inspect "$tmp/d/$n.p" "$tmp/d/$n.i" || true
		elif [ -f "$tmp/r/$n.msg" ]; then
			cat "$tmp/r/$n.msg"
		else
			echo "$c: the case did not finish"
		fi
	fi
	n=$((n + 1))
done
accepted=$((total - reject))
if [ "$reject" -gt 0 ]; then
	echo "$agree/$accepted agree, $reject rejected by PostgreSQL 15"
else
	echo "$agree/$accepted agree"
fi
[ "$agree" -eq "$accepted" ]
