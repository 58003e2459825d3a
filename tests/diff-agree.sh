#!/bin/sh
# diff-agree.sh: the acceptance property of conf-diff (issue 9) — for a pair of schemas old and
# new, conf-diff's migration turns a database built from old into one conf-inspect cannot tell
# from a database built from new, and a second diff is then empty.
#
# usage: tests/diff-agree.sh [-q] [-p] [-j JOBS] CASE...
#   CASE   a directory holding old.sql and new.sql (the corpus's diff pairs); a missing old.sql
#          or new.sql is an empty schema
#   -q     print only the summary line
#   -p     also diff the models conf-parse -m makes of old.sql and new.sql, and apply that too
#   -j N   cases run N at a time (default: the number of cores)
# The server is the one the PG* variables lead to. Each job has one database and runs its cases
# one after the other: reset, load new.sql (psql -f, stop at the first error), conf-inspect (B);
# reset, load old.sql, conf-inspect (A); conf-diff -j --allow-destructive A B; apply it to the
# database as conf-migrate would (statements with "tx": true in a transaction block, the others
# alone, in order); conf-inspect (A'); A' must equal B through the agreement filter of
# conf-formats(5), and conf-diff A' B must find nothing (exit 0). A case PostgreSQL 15 rejects
# (old.sql or new.sql fails to load) is counted apart. Roles listed in a case's meta.json
# ("roles") are created first; roles are cluster-wide and stay.
# Output: per failure the case, the stage and the first error or first differing record; last
# line `N/M pass` (M = the cases PostgreSQL accepted), with `, K rejected by PostgreSQL 15`.
# Exit status: 0 when every accepted case passes, 1 when one fails, 5 usage or setup error.
set -eu

usage() {
	echo "usage: ${0##*/} [-q] [-p] [-j jobs] dir..." >&2
	exit 5
}

quiet=0
parse=0
jobs=$(nproc 2>/dev/null || echo 2)
while getopts qpj: opt; do
	case $opt in
	q) quiet=1 ;;
	p) parse=1 ;;
	j) case $OPTARG in '' | *[!0-9]* | 0) usage ;; *) jobs=$OPTARG ;; esac ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
for t in conf-diff conf-inspect conf-parse jq psql; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "${0##*/}: $t not found in PATH" >&2
		exit 5
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/diff-agree.XXXXXX")
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

for c in "$@"; do
	[ -d "$c" ] || {
		echo "${0##*/}: $c: not a directory" >&2
		exit 5
	}
	[ -f "$c/meta.json" ] && jq -r '.roles[]?' "$c/meta.json"
done | awk 'NF && !seen[$0]++ {
	printf "DO $d$ BEGIN CREATE ROLE %s; EXCEPTION WHEN duplicate_object THEN NULL; END $d$;\n", $0 }' >"$tmp/roles.sql"
if [ -s "$tmp/roles.sql" ]; then
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -f "$tmp/roles.sql" >"$tmp/roles.log" 2>&1 || {
		echo "${0##*/}: cannot create the roles:" >&2
		cat "$tmp/roles.log" >&2
		exit 5
	}
fi

# The reset: drop what a case can make, and give public back its defaults.
cp "$(dirname -- "$0")/agree-reset.sql" "$tmp/reset.sql"

# The change list of conf-diff -j as a psql script: runs of "tx": true statements in one
# transaction block each, the others alone.
# shellcheck disable=SC2016 # jq program
plan_jq='[inputs] | reduce .[] as $c ({out: "", open: false};
	if $c.tx then (if .open then . else .out += "BEGIN;\n" | .open = true end) | .out += $c.sql + ";\n"
	else (if .open then .out += "COMMIT;\n" | .open = false else . end) | .out += $c.sql + ";\n" end)
	| .out + (if .open then "COMMIT;\n" else "" end)'

# The filter of conf-formats(5), then the first id whose records differ, as two lines.
# shellcheck disable=SC2016 # jq program
cmp_jq='def f: walk(if type == "object" then with_entries(select(.key | test("^(file|line|col|sql)$|_sql$") | not)) else . end);
def byid: reduce .[] as $r ({}; .[$r.id] = ($r | f));
($a | byid) as $A | ($b | byid) as $B
| [($A | keys[]), ($B | keys[])] | unique | map(select($A[.] != $B[.])) | .[0] // empty
| "  applied: \($A[.] // "(none)" | tojson)\n  wanted:  \($B[.] // "(none)" | tojson)"'

# reset: the job's database as fresh (a failure is the case's).
reset() {
	psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$tmp/reset.sql" >"$o/reset" 2>&1 && return 0
	echo "fail	$d	reset: $(grep -m1 ERROR "$o/reset" || head -1 "$o/reset")" >>"$w/res"
	return 1
}

# run_case DIR N: one case in the job's database; a line in $w/res: "pass", "rejected" or "fail".
run_case() {
	o=$w/$2
	d=$1
	mkdir -p "$o"
	touch "$o/empty.sql"
	old=$1/old.sql
	new=$1/new.sql
	[ -f "$old" ] || old=$o/empty.sql
	[ -f "$new" ] || new=$o/empty.sql
	reset || return 0
	if ! psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$new" >"$o/load" 2>&1; then
		echo "rejected	$1	new.sql: $(grep -m1 ERROR "$o/load" || head -1 "$o/load")" >>"$w/res"
		return 0
	fi
	conf-inspect -d "dbname=$db" >"$o/b.m" 2>"$o/err" || {
		echo "fail	$1	conf-inspect B: $(head -1 "$o/err")" >>"$w/res"
		return 0
	}
	if [ "$parse" = 1 ]; then
		set -- "$1" "$2" inspect parse
	else
		set -- "$1" "$2" inspect
	fi
	d=$1
	shift 2
	for mode in "$@"; do
		reset || return 0
		if ! psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$old" >"$o/load" 2>&1; then
			echo "rejected	$d	old.sql: $(grep -m1 ERROR "$o/load" || head -1 "$o/load")" >>"$w/res"
			return 0
		fi
		if [ "$mode" = inspect ]; then
			conf-inspect -d "dbname=$db" >"$o/a.m" 2>"$o/err" || {
				echo "fail	$d	conf-inspect A: $(head -1 "$o/err")" >>"$w/res"
				return 0
			}
			cp "$o/b.m" "$o/to.m"
		else
			{ conf-parse -m "$old" >"$o/a.m" && conf-parse -m "$new" >"$o/to.m"; } 2>"$o/err" || {
				echo "fail	$d	(parse) conf-parse -m: $(head -1 "$o/err")" >>"$w/res"
				return 0
			}
		fi
		rc=0
		conf-diff -j --allow-destructive "$o/a.m" "$o/to.m" >"$o/plan" 2>"$o/err" || rc=$?
		if [ "$rc" -gt 1 ]; then
			echo "fail	$d	($mode) conf-diff exit $rc: $(head -1 "$o/err")" >>"$w/res"
			return 0
		fi
		jq -nr "$plan_jq" <"$o/plan" >"$o/plan.sql"
		if ! psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$o/plan.sql" >"$o/apply" 2>&1; then
			echo "fail	$d	($mode) apply: $(grep -m1 ERROR "$o/apply" || head -1 "$o/apply")" >>"$w/res"
			return 0
		fi
		conf-inspect -d "dbname=$db" >"$o/a2.m" 2>"$o/err" || {
			echo "fail	$d	conf-inspect A': $(head -1 "$o/err")" >>"$w/res"
			return 0
		}
		first=$(jq -nr --slurpfile a "$o/a2.m" --slurpfile b "$o/b.m" "$cmp_jq")
		if [ -n "$first" ]; then
			printf 'fail\t%s\t(%s) applied schema differs:\n%s\n' "$d" "$mode" "$first" >>"$w/res"
			return 0
		fi
		rc=0
		conf-diff "$o/a2.m" "$o/b.m" >"$o/again" 2>&1 || rc=$?
		if [ "$rc" != 0 ]; then
			printf 'fail\t%s\t(%s) second diff (exit %s): %s\n' "$d" "$mode" "$rc" "$(grep -v '^--\|^SET\|^$' "$o/again" | head -1)" >>"$w/res"
			return 0
		fi
	done
	echo "pass	$d" >>"$w/res"
}

# The cases, dealt round-robin to the jobs.
i=0
for c in "$@"; do
	j=$((i % jobs))
	mkdir -p "$tmp/w$j"
	printf '%s\n' "${c%/}" >>"$tmp/w$j/cases"
	i=$((i + 1))
done
for wd in "$tmp"/w*; do
	(
		w=$wd
		db="dagree_$$_${wd##*/w}"
		echo "$db" >"$w/db"
		psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\"" >"$w/db.log" 2>&1 || {
			echo "setup	$db: $(cat "$w/db.log")" >>"$w/res"
			exit 0
		}
		n=0
		while IFS= read -r c; do
			n=$((n + 1))
			run_case "$c" "$n"
		done <"$w/cases"
		psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
	) &
done
wait

cat "$tmp"/w*/res >"$tmp/all"
if grep -q '^setup' "$tmp/all"; then
	grep '^setup' "$tmp/all" >&2
	exit 5
fi
pass=$(grep -c '^pass' "$tmp/all" || true)
fail=$(grep -c '^fail' "$tmp/all" || true)
rej=$(grep -c '^rejected' "$tmp/all" || true)
if [ "$quiet" = 0 ]; then
	awk -F "\t" '$1 == "fail" { print "FAIL " $2 ": " $3; next } $1 == "rejected" { print "REJECTED " $2 ": " $3; next } /^  / { print }' "$tmp/all"
fi
printf '%s/%s pass' "$pass" $((pass + fail))
[ "$rej" = 0 ] || printf ', %s rejected by PostgreSQL 15' "$rej"
printf '\n'
[ "$fail" = 0 ]
