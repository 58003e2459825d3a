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
# counted apart, not as a disagreement. Between cases the database is reset (event triggers,
# publications, extensions and every schema dropped, public made again as initdb makes it), ten
# times cheaper than CREATE DATABASE + DROP DATABASE; a fingerprint of what a reset cannot see (the
# catalogs' rows of user objects, built-in objects' comments and privileges, the database's own
# settings) is compared with that of the fresh database, and the database is made again when it
# differs. Roles are cluster-wide: a case's CREATE ROLE stays. conf-parse -m reads the same SQL, conf-inspect the database; both outputs go
# through the agreement filter of conf-formats(5) (drop the keys sql, *_sql, file, line, col) and
# are compared record by record. conf-parse's `unmodeled` records are statements, not model
# records: they are left out of the comparison (conf-parse already warned about each one, and a
# statement that changed the model shows as a differing record anyway).
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

# The filter of conf-formats(5), then the first id whose records differ (or that one side lacks).
# shellcheck disable=SC2016 # jq program, not shell
cmp_jq='def f: walk(if type == "object" then with_entries(select(.key | test("^(file|line|col|sql)$|_sql$") | not)) else . end);
def byid: reduce .[] as $r ({}; .[$r.id // ""] += [$r]);
($p | map(select(.kind != "unmodeled") | f)) as $P | ($i | map(f)) as $I
| if $P == $I then empty
  else ($P | byid) as $a | ($I | byid) as $b
  | ([$a, $b | keys[]] | unique | map(select($a[.] != $b[.]))) as $d
  | if ($d | length) == 0 then {id: "(order)", parse: $P, inspect: $I}
    else {id: $d[0], parse: ($a[$d[0]] // []), inspect: ($b[$d[0]] // [])} end
  end'

# Reset the database to what CREATE DATABASE gives, then print the fingerprint of the rest.
cat >"$tmp/reset.sql" <<'EOF'
DO $agree$
DECLARE r record;
BEGIN
	FOR r IN SELECT evtname FROM pg_event_trigger LOOP
		EXECUTE format('DROP EVENT TRIGGER %I', r.evtname);
	END LOOP;
	FOR r IN SELECT pubname FROM pg_publication LOOP
		EXECUTE format('DROP PUBLICATION %I', r.pubname);
	END LOOP;
	FOR r IN SELECT extname FROM pg_extension WHERE oid >= 16384 LOOP
		EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
	END LOOP;
	FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
			AND nspname !~ '^pg_(toast_)?temp_' LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
	END LOOP;
	CREATE SCHEMA public AUTHORIZATION pg_database_owner;
	GRANT USAGE ON SCHEMA public TO PUBLIC;
	COMMENT ON SCHEMA public IS 'standard public schema';
END
$agree$;
SELECT md5(concat_ws('|',
	(SELECT string_agg(format('%s.%s', c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM pg_catalog.%I WHERE oid >= 16384%s', c.relname,
		CASE c.relname WHEN 'pg_namespace' THEN ' AND nspname <> ''public''' ELSE '' END), false, false, '')))[1]), ',' ORDER BY c.relname)
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'oid'
		WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' AND NOT c.relisshared),
	(SELECT string_agg(format('%s/%s/%s/%s', d.classoid, d.objoid, d.objsubid, d.description), ',' ORDER BY d.classoid, d.objoid, d.objsubid)
		FROM pg_description d WHERE d.objoid < 16384),
	(SELECT format('%s %s %s', n.nspowner, n.nspacl, obj_description(n.oid, 'pg_namespace')) FROM pg_namespace n WHERE n.nspname = 'public'),
	(SELECT string_agg(format('%s %s', oid, nspacl), ',' ORDER BY oid) FROM pg_namespace WHERE oid < 16384),
	(SELECT string_agg(format('%s %s', oid, proacl), ',' ORDER BY oid) FROM pg_proc WHERE proacl IS NOT NULL),
	(SELECT string_agg(format('%s %s', oid, relacl), ',' ORDER BY oid) FROM pg_class WHERE relacl IS NOT NULL),
	(SELECT string_agg(format('%s %s', oid, typacl), ',' ORDER BY oid) FROM pg_type WHERE typacl IS NOT NULL),
	(SELECT string_agg(l::text, ',' ORDER BY oid) FROM pg_language l),
	(SELECT string_agg(e::text, ',' ORDER BY oid) FROM pg_extension e),
	(SELECT format('%s %s %s', datdba, datacl, datconnlimit) FROM pg_database WHERE datname = current_database()),
	(SELECT string_agg(s::text, ',') FROM pg_db_role_setting s),
	(SELECT string_agg(s.description, ',') FROM pg_shdescription s WHERE s.objoid = (SELECT oid FROM pg_database WHERE datname = current_database()))
));
EOF

# fresh_db: (re)create the job's database $db, set $base to its fingerprint
fresh_db() {
	psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" \
		-c "CREATE DATABASE \"$db\"" >"$w/db.log" 2>&1 &&
		base=$(psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$tmp/reset.sql" 2>>"$w/db.log")
}

# reset_db: bring the job's database back to $base, making it again when a reset is not enough
reset_db() {
	fp=$(psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -f "$tmp/reset.sql" 2>"$w/db.log") || fp=
	[ "$fp" = "$base" ] || fresh_db
}

# run_case N CASE WORKDIR: writes WORKDIR/../r/N.st (agree|reject|disagree) and N.msg
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
	conf-apply -a -d "dbname=$db" "$sql" >/dev/null 2>"$w/apply.err" || rc=$?
	case $rc in
	0) ;;
	1 | 4)
		echo reject >"$r.st"
		printf 'rejected: %s: %s\n' "$c" "$(head -n 1 "$w/apply.err")" >"$r.msg"
		return 0
		;;
	*)
		echo disagree >"$r.st"
		printf '%s: conf-apply exited %s: %s\n' "$c" "$rc" "$(head -n 1 "$w/apply.err")" >"$r.msg"
		return 0
		;;
	esac
	conf-parse -m "$sql" >"$w/p.jsonl" 2>"$w/p.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo disagree >"$r.st"
		printf '%s: conf-parse -m exited %s: %s\n' "$c" "$rc" "$(grep -v ': unmodeled' "$w/p.err" | head -n 1)" >"$r.msg"
		return 0
	fi
	conf-inspect -d "dbname=$db" >"$w/i.jsonl" 2>"$w/i.err" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo disagree >"$r.st"
		printf '%s: conf-inspect exited %s: %s\n' "$c" "$rc" "$(head -n 1 "$w/i.err")" >"$r.msg"
		return 0
	fi
	if ! jq -nc --slurpfile p "$w/p.jsonl" --slurpfile i "$w/i.jsonl" "$cmp_jq" >"$w/d.json" 2>"$w/jq.err"; then
		echo disagree >"$r.st"
		printf '%s: an output is not JSON Lines: %s\n' "$c" "$(head -n 1 "$w/jq.err")" >"$r.msg"
		return 0
	fi
	if [ ! -s "$w/d.json" ]; then
		echo agree >"$r.st"
		return 0
	fi
	echo disagree >"$r.st"
	jq '.parse[]' "$w/d.json" >"$w/d.p"
	jq '.inspect[]' "$w/d.json" >"$w/d.i"
	{
		printf '%s: first differing record: %s\n' "$c" "$(jq -r .id "$w/d.json")"
		diff -u --label "conf-parse -m" --label conf-inspect "$w/d.p" "$w/d.i" || true
	} >"$r.msg"
}

mkdir -p "$tmp/r"
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
				run_case "$n" "$c" "$w"
				reset_db || {
					echo "${0##*/}: cannot reset database $db:" >&2
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

agree=0 reject=0 total=0 n=0
for c in "$@"; do
	st=$(cat "$tmp/r/$n.st" 2>/dev/null || echo disagree)
	[ -f "$tmp/r/$n.msg" ] || echo "$c: the case did not finish" >"$tmp/r/$n.msg"
	total=$((total + 1))
	case $st in
	agree) agree=$((agree + 1)) ;;
	reject) reject=$((reject + 1)) ;;
	esac
	[ "$quiet" = 1 ] || [ "$st" = agree ] || cat "$tmp/r/$n.msg"
	n=$((n + 1))
done
accepted=$((total - reject))
if [ "$reject" -gt 0 ]; then
	echo "$agree/$accepted agree, $reject rejected by PostgreSQL 15"
else
	echo "$agree/$accepted agree"
fi
[ "$agree" -eq "$accepted" ]
