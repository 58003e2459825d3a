#!/bin/sh
# confiture sync: copy the data of one database into another with the same schema, from one
# snapshot of the source, optionally masked by conf-anon:
#   pg_dump -a --snapshot (source) | conf-anon | conf-sync -m (progress) | conf-apply (target)
# By default the target is truncated and loaded in one transaction (all or nothing); with
# --per-table each table commits on its own and a checkpoint file lets --resume finish the rest.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture sync --from ENV|URL --to ENV|URL [--anonymize [RULES]] [--anonymization-config RULES]
                      [--tables a,b] [--exclude c] [--jobs N] [--per-table [--resume] [--checkpoint FILE]]
                      [--batch-size N] [--format text|json] [--force] [--project-dir DIR]
                      [--key-file FILE] [--insecure-default-key]
USAGE
}

from='' to='' anon='' rules='' tables='' exclude='' jobs=1 per_table='' resume='' checkpoint=''
json='' force='' project=. keyfile='' insecure=''
while [ $# -gt 0 ]; do
	case $1 in
	--from) need_value "$1" $#; from=$2; shift ;;
	--from=*) from=${1#*=} ;;
	--to) need_value "$1" $#; to=$2; shift ;;
	--to=*) to=${1#*=} ;;
	--anonymize)
		anon=1
		# upstream's --anonymize is a flag; a value that is no option is the rules file
		if [ $# -ge 2 ]; then
			case $2 in -*) ;; *) rules=$2; shift ;; esac
		fi
		;;
	--anonymize=*) anon=1; rules=${1#*=} ;;
	--anonymization-config) need_value "$1" $#; rules=$2; shift ;;
	--anonymization-config=*) rules=${1#*=} ;;
	--tables) need_value "$1" $#; tables=$2; shift ;;
	--tables=*) tables=${1#*=} ;;
	--exclude) need_value "$1" $#; exclude=$2; shift ;;
	--exclude=*) exclude=${1#*=} ;;
	-j | --jobs) need_value "$1" $#; jobs=$2; shift ;;
	--jobs=*) jobs=${1#*=} ;;
	--per-table) per_table=1 ;;
	--resume) resume=1 ;;
	--checkpoint) need_value "$1" $#; checkpoint=$2; shift ;;
	--checkpoint=*) checkpoint=${1#*=} ;;
	--batch-size) need_value "$1" $#; batch=$2; shift ;;
	--batch-size=*) batch=${1#*=} ;;
	-f | --format) need_value "$1" $#; json=$2; shift ;;
	--format=*) json=${1#*=} ;;
	--force) force=1 ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--key-file) need_value "$1" $#; keyfile=$2; shift ;;
	--key-file=*) keyfile=${1#*=} ;;
	--insecure-default-key) insecure=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die 5 "unknown option: $1" ;;
	esac
	shift
done
[ -n "$from" ] || { usage >&2; die 5 "--from is required: an environment name or a connection string"; }
[ -n "$to" ] || { usage >&2; die 5 "--to is required: an environment name or a connection string"; }
case $jobs in
'' | *[!0-9]* | 0 | 0*) die 5 "--jobs wants a number of parallel connections (1 or more), not $jobs" ;;
esac
# --batch-size is upstream's INSERT batch: rows travel here in COPY, streamed, so it changes nothing
case ${batch:-1} in
'' | *[!0-9]* | 0 | 0*) die 5 "--batch-size wants a number of rows (1 or more), not $batch" ;;
esac
case $json in
'' | text) json='' ;;
json) json=1 ;;
*) die 5 "--format is text or json, not $json" ;;
esac
[ -z "$resume" ] || [ -n "$per_table" ] || die 5 "--resume needs --per-table: the default sync commits all tables at once"
[ -z "$checkpoint" ] || [ -n "$per_table" ] || die 5 "--checkpoint needs --per-table: the default sync commits all tables at once"
if [ -n "$rules" ] && [ -z "$anon" ]; then
	anon=1
fi
if [ -n "$anon" ]; then
	[ -n "$rules" ] || rules=$project/db/sync/anonymization.yaml
	[ -f "$rules" ] || die 5 "anonymization rules not found: $rules"
fi
[ -n "$checkpoint" ] || checkpoint=$project/.confiture/sync-checkpoint
command -v pg_dump >/dev/null 2>&1 || die 5 "pg_dump is not in PATH"
command -v psql >/dev/null 2>&1 || die 5 "psql is not in PATH"

# the work dir (mode 0700 from mktemp) holds the service file (passwords) and --jobs spools:
# removed on every exit a trap sees; a SIGKILL leaves it (CAVEATS in confiture(1))
work=$(mktemp -d "${TMPDIR:-/tmp}/confiture-sync.XXXXXX")
umask 077
holder='' teepid='' bgpids=''
cleanup() {
	_st=$?
	exec 3>&- 5<&- 2>/dev/null || true
	[ -z "$holder" ] || kill "$holder" 2>/dev/null || true
	# shellcheck disable=SC2086 # a list of process ids
	[ -z "$bgpids" ] || kill $bgpids 2>/dev/null || true
	# --format json: a failure is a JSON object on stdout too, its error the last message
	if [ -n "$teepid" ]; then
		exec 2>&4 4>&-
		wait "$teepid" 2>/dev/null || true
		if [ "$_st" -ne 0 ]; then
			grep -Ev '^conf-sync: .*: [0-9]+ rows, [0-9.]+ MB, ' "$work/err.log" | tail -n 1 |
				awk -v st="$_st" '{ m = $0 } END {
					gsub(/\\/, "\\\\", m); gsub(/"/, "\\\"", m); gsub(/\t/, "\\t", m)
					printf "{\"ok\": false, \"exit\": %d, \"error\": \"%s\"}\n", st, m
				}'
		fi
	fi
	rm -rf "$work"
}
# descendants PID: every process under PID, from one snapshot of the process table
descendants() {
	ps -e -o pid= -o ppid= 2>/dev/null | awk -v root="$1" '
	{ kids[$2] = kids[$2] " " $1 }
	END {
		todo[1] = root; n = 1
		for (i = 1; i <= n; i++) {
			k = split(kids[todo[i]], a, " ")
			for (j = 1; j <= k; j++) { todo[++n] = a[j]; print a[j] }
		}
	}'
}
# on_signal NAME STATUS: a trap runs only between commands, so every load runs in the
# background and the shell waits for it; here the whole tree is stopped (conf-apply rolls back
# its open transaction) before the shell exits 128+N
on_signal() {
	trap '' INT TERM HUP
	# not the tee of --format json: the messages still pass through it
	_pids=$(descendants $$ | grep -vx "${teepid:-0}")
	# shellcheck disable=SC2086
	[ -z "$_pids" ] || kill -TERM $_pids 2>/dev/null || true
	for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
		_left=''
		for _p in $_pids; do
			! kill -0 "$_p" 2>/dev/null || _left=1
		done
		[ -n "$_left" ] || break
		sleep 0.1
	done
	if [ -n "$per_table" ]; then
		say "interrupted by SIG$1: stopped; the tables recorded in $checkpoint are committed, --resume finishes the rest"
	else
		say "interrupted by SIG$1: stopped, nothing committed: the target is as it was"
	fi
	exit "$2"
}
trap cleanup EXIT
if [ -n "$json" ]; then
	mkfifo "$work/err.fifo"
	exec 4>&2
	tee "$work/err.log" <"$work/err.fifo" >&4 &
	teepid=$!
	exec 2>"$work/err.fifo"
fi
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP
start=$(date +%s)
: >"$work/stats"
: >"$work/skipped"

# the connection strings travel in the environment and reach the tools as two services of a
# private service file: no password in any argv (ps shows argv to every user)
CONFITURE_SYNC_FROM=$from CONFITURE_SYNC_TO=$to
export CONFITURE_SYNC_FROM CONFITURE_SYNC_TO
conf-sync -s "$work/services" -C "$project" >"$work/facts"
unset CONFITURE_SYNC_FROM CONFITURE_SYNC_TO PGSERVICE
# how messages name the two sides: an environment by its name, a connection string never (a password)
name_of() {
	case $1 in
	postgresql://* | postgres://* | *=*) echo "the --$2 database" ;;
	*) echo "--$2 $1" ;;
	esac
}
from_name=$(name_of "$from" from) to_name=$(name_of "$to" to)
PGSERVICEFILE=$work/services
export PGSERVICEFILE

# bg_start NAME CMD...: CMD in the background (work done while the shell does other work), its
# output in $work/NAME.out, its messages in $work/NAME.err, shown by bg_wait if it fails
bg_start() {
	_n=$1
	shift
	"$@" >"$work/$_n.out" 2>"$work/$_n.err" &
	eval "bg_$_n=\$!"
	bgpids="$bgpids $!"
}
# bg_wait NAME SIDE: wait for job NAME; when it failed, its messages (naming the side) and its
# status end the sync
bg_wait() {
	eval "_p=\$bg_$1"
	_rc=0
	wait "$_p" || _rc=$?
	bgpids=$(echo " $bgpids " | sed "s/ $_p / /")
	[ "$_rc" -ne 0 ] || return 0
	sed "s/^/confiture: --$2: /" "$work/$1.err" >&2
	exit "$_rc"
}
# the target's model bounds the masked values by its varchar(n) and char(n) lengths (--limits);
# read (and the source's, below) while the shell does the rest of its checks
[ -z "$anon" ] || bg_start target conf-inspect -d service=to

# psql_on SIDE: a query on that side from stdin, unaligned tuples; a failure says which side
psql_on() {
	_side=$1
	shift
	psql -XAtq -v ON_ERROR_STOP=1 -d "service=$_side" "$@" 2>"$work/psql.err" || {
		_rc=$?
		sed "s/^/confiture: --$_side: /" "$work/psql.err" >&2
		[ "$_rc" -ne 2 ] || exit 3
		exit 1
	}
}

# The snapshot: a REPEATABLE READ transaction on the source, held open by a psql reading a fifo
# for the whole run; every pg_dump reads the same snapshot through --snapshot.
key=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
key=$((key % 2147483647))
mkfifo "$work/hold.in" "$work/hold.out"
psql -XAtq -v ON_ERROR_STOP=1 -d service=from <"$work/hold.in" >"$work/hold.out" 2>"$work/hold.err" &
holder=$!
exec 3>"$work/hold.in"
# the shared advisory lock is how the target proves it is not the source (see below)
printf 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;\nSELECT pg_export_snapshot(), pg_backend_pid(), pg_advisory_xact_lock_shared(1751936053, %s) IS NULL;\n' "$key" >&3
# its answer read from a fifo as soon as it comes (end of file: psql failed); the fifo stays open
# to the end, so that psql never writes into a pipe without a reader
exec 5<"$work/hold.out"
if ! IFS='|' read -r snap srcpid _ <&5; then
	rc=0
	wait "$holder" || rc=$?
	holder=''
	sed 's/^/confiture: --from: /' "$work/hold.err" >&2
	[ "$rc" -ne 2 ] || exit 3
	exit 1
fi

# hold_query: the answer to the SQL on stdin, asked in the snapshot's own session (the holder: no
# other connection, no snapshot to import), tab-separated, on stdout; the end of the answer is a
# line the shell asks for after it. When psql fails, its message ends the sync.
hold_query() {
	{
		printf '\\pset fieldsep %s\n' "'\\t'"
		cat
		printf "SELECT 'confiture-end-of-answer';\n"
	} >&3
	# sed reads only what psql wrote: nothing comes after the end line
	sed '/^confiture-end-of-answer$/q' <&5 >"$work/answer"
	if [ "$(tail -n 1 "$work/answer")" != confiture-end-of-answer ]; then
		rc=0
		wait "$holder" || rc=$?
		holder=''
		sed 's/^/confiture: --from: /' "$work/hold.err" >&2
		[ "$rc" -ne 2 ] || exit 3
		exit 1
	fi
	sed '$d' "$work/answer"
}

# the target's populated materialized views, refreshed in the load's transaction after the data
# (as pg_dump's data section does), a view over another view after it: asked with the check below
cat >"$work/matviews.sql" <<'SQL'
WITH RECURSIVE mv AS (
  SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'm' AND c.relispopulated
), dep AS (
  SELECT DISTINCT r.ev_class AS mv, d.refobjid AS on_mv
  FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
  JOIN mv ON mv.oid = d.refobjid
  WHERE r.ev_class IN (SELECT oid FROM mv) AND d.refobjid <> r.ev_class
), lvl (oid, depth) AS (
  SELECT oid, 0 FROM mv
  UNION ALL SELECT dep.mv, lvl.depth + 1 FROM lvl JOIN dep ON dep.on_mv = lvl.oid
)
SELECT format('REFRESH MATERIALIZED VIEW %s;', mv.name)
FROM mv JOIN lvl USING (oid) GROUP BY mv.name ORDER BY max(lvl.depth), mv.name;
SQL
# The target is the source when it sees the lock the source session holds, in its own database:
# true however the two URLs are spelled (socket or TCP, host names, ports, poolers).
{
	printf "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database
WHERE l.locktype = 'advisory' AND l.pid = %s AND l.classid = 1751936053 AND l.objid = %s
AND l.objsubid = 2 AND d.datname = current_database();\n" "$srcpid" "$key"
	cat "$work/matviews.sql"
} | psql_on to >"$work/to.answer"
same=$(head -n 1 "$work/to.answer")
tail -n +2 "$work/to.answer" >"$work/matviews"
[ "$same" = 0 ] || die 5 "$to_name is the database of $from_name: a sync would destroy its source"
# (after that check: a target that is the source is the worse mistake)
# the production marker: the target's environment, or one whose database the target URL reaches
prot=$(grep "^to-protected$(printf '\t')" "$work/facts" || true)
if [ -n "$prot" ] && [ -z "$force" ]; then
	penv=$(printf '%s\n' "$prot" | cut -f 2)
	preason=$(printf '%s\n' "$prot" | cut -f 3)
	if [ "$penv" = "$to" ]; then
		die 5 "$to_name is a production database ($preason in its environment file): give --force to overwrite it"
	fi
	die 5 "$to_name is the database of environment $penv, a production database ($preason in its environment file): give --force to overwrite it"
fi


# The tables: ordinary tables and partitions outside the system schemas and extensions, with
# the planner's row estimate for the progress bar; read in the snapshot.
hold_query >"$work/all" <<'SQL'
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), n.nspname || '.' || c.relname, c.relname,
       greatest(c.reltuples, 0)::bigint,
       '"' || replace(n.nspname, '"', '""') || '"."' || replace(c.relname, '"', '""') || '"',
       format('COPY %s.%s (%s) FROM stdin;', quote_ident(n.nspname), quote_ident(c.relname),
              (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')),
       EXISTS (SELECT FROM pg_inherits i WHERE i.inhrelid = c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                  AND d.deptype = 'e')
ORDER BY 2;
SQL
# the source's model makes a rule on a parent (inheritance, partitioned table) reach its
# children and partitions, which pg_dump writes under their own names: read (in the background)
# only when a table has a parent; conf-inspect takes no snapshot, so it is read now, between the
# snapshot and the first dump
srcmodel=''
if [ -n "$anon" ] && awk -F '\t' '$7 == "t" { found = 1 } END { exit !found }' "$work/all"; then
	srcmodel=1
	bg_start source conf-inspect -d service=from
fi
# the selection: a name with a dot is schema.table, a bare one a table of any schema
awk -F '\t' -v inc="$tables" -v exc="$exclude" '
function want(list, q, t,   n, a, i) {
	n = split(list, a, ",")
	for (i = 1; i <= n; i++) {
		gsub(/^ +| +$/, "", a[i])
		if (a[i] != "" && (a[i] == q || a[i] == t)) { used[list, a[i]] = 1; return 1 }
	}
	return 0
}
{
	if (inc != "" && !want(inc, $2, $3)) next
	if (exc != "" && want(exc, $2, $3)) next
	print
}
END {
	for (pass = 1; pass <= 2; pass++) {
		list = pass == 1 ? inc : exc
		n = split(list, a, ",")
		for (i = 1; i <= n; i++) {
			gsub(/^ +| +$/, "", a[i])
			if (a[i] != "" && !((list, a[i]) in used)) {
				printf "confiture: --%s: no table %s in the source\n", pass == 1 ? "tables" : "exclude", a[i] > "/dev/stderr"
				bad = 1
			}
		}
	}
	exit bad
}' "$work/all" >"$work/tables" || exit 5
[ -s "$work/tables" ] || die 5 "no table to sync"
cut -f 1,4 "$work/tables" >"$work/estimates"
ntables=$(wc -l <"$work/tables")

# sequences no table owns (pg_dump sets those of the tables it dumps): all of them when all tables
# are synced; with --tables, those a chosen table's column default draws from (nextval), so that
# the next row it inserts does not collide with the rows just copied
if [ -n "$tables" ]; then
	only=$(cut -f 1 "$work/tables" | sed "s/'/''/g; s/.*/'&'/" | paste -sd , -)
	cond="EXISTS (SELECT FROM pg_depend d JOIN pg_attrdef ad ON ad.oid = d.objid
                WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
                AND d.refobjid = q.oid AND ad.adrelid = ANY (ARRAY[$only]::regclass[]))"
else
	cond=true
fi
{
	cat <<'SQL'
SELECT format('SELECT pg_catalog.setval(%L, %s, %s);', quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename),
              coalesce(s.last_value, s.start_value), CASE WHEN s.last_value IS NULL THEN 'false' ELSE 'true' END)
FROM pg_sequences s, LATERAL (SELECT format('%I.%I', s.schemaname, s.sequencename)::regclass::oid AS oid) q
WHERE NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = q.oid AND d.deptype IN ('a', 'i', 'e'))
SQL
	printf '  AND %s\nORDER BY 1;\n' "$cond"
} | hold_query >"$work/seqs"

# the rules against the tables of the source, before any data moves: conf-anon reads the COPY
# line of every table (no rows) and reports a rule whose table or column is not among them; each table
# is then masked on its own, with --allow-missing
# the models of both sides, read in the background since the start
if [ -n "$anon" ]; then
	bg_wait target to
	mv "$work/target.out" "$work/target.jsonl"
	if [ -n "$srcmodel" ]; then
		bg_wait source from
		mv "$work/source.out" "$work/source.jsonl"
	fi
	# every table of the source, not only those selected: a rule for a table left out by
	# --tables/--exclude is no error, one for a table the source does not have is
	awk -F '\t' '{ print $6; print "\\." }' "$work/all" >"$work/shape.sql"
	rc=0
	conf-anon -r "$rules" ${srcmodel:+--model} ${srcmodel:+"$work/source.jsonl"} --limits "$work/target.jsonl" ${keyfile:+--key-file} ${keyfile:+"$keyfile"} \
		${insecure:+--insecure-default-key} "$work/shape.sql" >/dev/null 2>"$work/anon.err" || rc=$?
	sed 's/^/confiture: /' "$work/anon.err" >&2
	[ "$rc" -eq 0 ] || exit "$rc"
fi
if [ -z "$anon" ] && [ -z "$json" ]; then
	say "anonymization is off: the data is copied verbatim (--anonymize RULES masks it)"
fi

# dump_one N TABLE-PATTERN: one table's data from the snapshot, masked, into the pipe; the marker
# files say whether pg_dump and conf-anon finished (sh has no pipefail)
dump_one() {
	{ pg_dump -a --snapshot="$snap" -t "$2" -d service=from 2>"$work/dump.$1.err" && : >"$work/dump.$1.ok"; } |
		if [ -n "$anon" ]; then
			conf-anon --allow-missing -r "$rules" ${srcmodel:+--model} ${srcmodel:+"$work/source.jsonl"} --limits "$work/target.jsonl" ${keyfile:+--key-file} ${keyfile:+"$keyfile"} ${insecure:+--insecure-default-key} 2>"$work/anon.$1.err" && : >"$work/anon.$1.ok"
		else
			cat && : >"$work/anon.$1.ok"
		fi
}
# dumped N: whether table N's dump and masking both finished, else their messages
dumped() {
	if [ -f "$work/dump.$1.ok" ] && [ -f "$work/anon.$1.ok" ]; then
		return 0
	fi
	cat "$work/dump.$1.err" "$work/anon.$1.err" 2>/dev/null | sed "s/^/confiture: /" >&2
	: >"$work/failed"
	return 1
}
truncate_list() {
	awk -F '\t' '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 } END { print "" }' "$@"
}

# load FILE [N]: the stream on stdin into the target in one transaction
load() {
	conf-sync -m -E "$work/estimates" -j "$work/stats" -p $$ -F "$work/failed" | conf-apply -d service=to 2>"$work/apply.err" || {
		_rc=$?
		# a producer that failed has said why; conf-apply then only saw a stream without its COMMIT
		[ -f "$work/failed" ] || cat "$work/apply.err" >&2
		return "$_rc"
	}
	cat "$work/apply.err" >&2
}

# the job that dumps the tables of bucket B (every jobs-th line), one spool file per table
spool_bucket() {
	awk -F '\t' -v b="$1" -v j="$jobs" '(NR - 1) % j == b { print NR "\t" $5 }' "$work/tables" |
		while IFS="$(printf '\t')" read -r n pat; do
			dump_one "$n" "$pat" >"$work/spool.$n" || :
			: >"$work/spool.$n.done"
		done
}

rc=0 spoolers=''
if [ -z "$per_table" ]; then
	if [ "$jobs" -gt 1 ]; then
		b=0
		while [ "$b" -lt "$jobs" ]; do
			spool_bucket "$b" &
			spoolers="$spoolers $!"
			b=$((b + 1))
		done
	fi
	{
		printf 'BEGIN;\nSET LOCAL session_replication_role = replica;\n'
		printf 'TRUNCATE TABLE ONLY %s;\n' "$(truncate_list "$work/tables")"
		n=0
		while IFS="$(printf '\t')" read -r _ _ _ _ pat _; do
			n=$((n + 1))
			if [ "$jobs" -gt 1 ]; then
				while [ ! -f "$work/spool.$n.done" ]; do sleep 0.05; done
				cat "$work/spool.$n"
				rm -f "$work/spool.$n"
			else
				dump_one "$n" "$pat" || : # dumped says whether it worked
			fi
			dumped "$n" || exit 1
		done <"$work/tables"
		cat "$work/seqs" "$work/matviews"
		# only a stream that reached this line commits: conf-apply refuses a BEGIN without COMMIT
		printf 'COMMIT;\n'
	} | load &
	wait $! || rc=$?
	for p in $spoolers; do
		wait "$p" || true
	done
else
	mkdir -p "$(dirname -- "$checkpoint")"
	# the checkpoint's first line says which source, target and tables it is for: a --resume
	# trusts only its own (the system identifier tells clusters apart, oid and name databases)
	ident="SELECT s.system_identifier || ' ' || d.oid || ' ' || d.datname FROM pg_control_system() s, pg_database d WHERE d.datname = current_database();"
	src_id=$(echo "$ident" | psql_on from)
	dst_id=$(echo "$ident" | psql_on to)
	tables_id=$(cut -f 1 "$work/tables" | cksum | cut -d ' ' -f 1)
	header="# confiture sync checkpoint	from $src_id	to $dst_id	tables $tables_id"
	if [ -n "$resume" ]; then
		[ -f "$checkpoint" ] || die 5 "--resume: no checkpoint file $checkpoint"
		IFS= read -r old <"$checkpoint" || old=''
		case $old in
		'# confiture sync checkpoint	'*) ;;
		*) die 5 "--resume: $checkpoint has no identity line (an older or foreign file): sync again without --resume" ;;
		esac
		tab=$(printf '\t')
		for part in from to tables; do
			want=$(printf '%s\n' "$header" | tr "$tab" '\n' | sed -n "s/^$part //p")
			got=$(printf '%s\n' "$old" | tr "$tab" '\n' | sed -n "s/^$part //p")
			[ "$want" = "$got" ] && continue
			case $part in
			from) die 5 "--resume: $checkpoint is for another source (system, database oid, name: $got), not $from_name ($want): sync again without --resume" ;;
			to) die 5 "--resume: $checkpoint is for another target (system, database oid, name: $got), not $to_name ($want): sync again without --resume" ;;
			*) die 5 "--resume: $checkpoint is for another set of tables (--tables/--exclude differ): sync again without --resume" ;;
			esac
		done
	else
		# the new checkpoint first: a kill after the TRUNCATE must not leave an old list behind
		printf '%s\n' "$header" >"$checkpoint"
		printf 'BEGIN;\nTRUNCATE TABLE ONLY %s;\nCOMMIT;\n' "$(truncate_list "$work/tables")" | load || exit
	fi
	# table_job B: the tables of bucket B, each in its own transaction, recorded when committed
	table_job() {
		awk -F '\t' -v b="$1" -v j="$jobs" '(NR - 1) % j == b { print NR "\t" $1 "\t" $5 }' "$work/tables" |
			while IFS="$(printf '\t')" read -r n q pat; do
				if grep -Fqx -- "$q" "$checkpoint"; then
					[ -n "$json" ] || say "$q: done before (checkpoint), skipped"
					printf '%s\n' "$q" >>"$work/skipped"
					continue
				fi
				{
					printf 'BEGIN;\nSET LOCAL session_replication_role = replica;\nDELETE FROM ONLY %s;\n' "$q"
					dump_one "$n" "$pat" || : # dumped says whether it worked
					dumped "$n" || exit 1
					printf 'COMMIT;\n'
				} | load || exit
				printf '%s\n' "$q" >>"$checkpoint"
			done
	}
	b=0 pids=''
	while [ "$b" -lt "$jobs" ]; do
		table_job "$b" &
		pids="$pids $!"
		b=$((b + 1))
	done
	for p in $pids; do
		wait "$p" || rc=$?
	done
	if [ "$rc" -eq 0 ] && { [ -s "$work/seqs" ] || [ -s "$work/matviews" ]; }; then
		{ printf "BEGIN;\n"; cat "$work/seqs" "$work/matviews"; printf "COMMIT;\n"; } | load || rc=$?
	fi
fi
printf 'COMMIT;\n' >&3 2>/dev/null || true
exec 3>&-
wait "$holder" 2>/dev/null || true
holder=''
exec 5<&-
[ ! -f "$work/failed" ] || exit 1
[ "$rc" -eq 0 ] || exit "$rc"

# the summary: per-table rows and bytes as the meter counted them
end=$(date +%s)
awk -F '\t' -v json="$json" -v anon="${anon:-0}" -v secs="$((end - start))" -v n="$((ntables - $(wc -l <"$work/skipped")))" -v skipped="$(wc -l <"$work/skipped")" '
function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
{ rows[$1] += $2; bytes[$1] += $3; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 }; tr += $2; tb += $3 }
END {
	if (json) {
		printf "{\"ok\": true, \"anonymized\": %s, \"tables\": {", anon ? "true" : "false"
		for (i = 1; i <= k; i++)
			printf "%s%s: {\"rows\": %d, \"bytes\": %d}", (i > 1 ? ", " : ""), js(order[i]), rows[order[i]], bytes[order[i]]
		printf "}, \"rows\": %d, \"bytes\": %d, \"seconds\": %d, \"done_before\": %d, \"warnings\": [%s]}\n", tr, tb, secs, skipped, \
			anon ? "" : js("anonymization is off: the data is copied verbatim")
	} else {
		printf "confiture: synced %d tables, %d rows, %.1f MB in %d s%s%s\n", n, tr, tb / 1e6, secs, \
			anon ? " (anonymized)" : "", skipped ? sprintf(", %d done before (checkpoint)", skipped) : "" > "/dev/stderr"
	}
}' "$work/stats"
