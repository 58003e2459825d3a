#!/bin/sh
# confiture migrate generate | preflight: the migration subcommands built on conf-diff.
#   generate NAME   the database (or the migrations replayed) against the schema files: writes
#                   <version>_NAME.up.sql and the reverse .down.sql
#   preflight       pending migrations replayed on a scratch copy of the database, then compared
#                   with the schema files and rolled back; exit 7 on findings
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"
# shellcheck source=diffmodel.sh
. "$CONFITURE_PIPELINES/diffmodel.sh"

usage() {
	cat <<USAGE
usage: confiture migrate generate NAME [--from-migrations] [--allow-destructive] [--no-online]
                                       [--rename KIND:OLD=KIND:NEW ...] [options]
       confiture migrate preflight [--against URL] [--from-ledger] [options]
options: [--env ENV] [--project-dir DIR] [--migrations-dir DIR] [--database-url URL]
         [--tracking-table NAME] [--role ROLE] [--skip-unmodeled]
USAGE
}

cmd=${1:-}
[ $# -eq 0 ] || shift
name='' env=local project=. migdir='' url='' table='' role='' replay='' ledger='' skip_unmodeled=''
# diff options kept after the marker
set -- "$@" --end-of-options--
need() {
	[ "$2" != --end-of-options-- ] || die 5 "option $1 needs a value"
}
while [ "$1" != --end-of-options-- ]; do
	case $1 in
	-e | --env) need "$1" "$2"; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need "$1" "$2"; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--migrations-dir) need "$1" "$2"; migdir=$2; shift ;;
	--migrations-dir=*) migdir=${1#*=} ;;
	-d | --database-url | --against) need "$1" "$2"; url=$2; shift ;;
	--database-url=* | --against=*) url=${1#*=} ;;
	--tracking-table) need "$1" "$2"; table=$2; shift ;;
	--tracking-table=*) table=${1#*=} ;;
	--role) need "$1" "$2"; role=$2; shift ;;
	--role=*) role=${1#*=} ;;
	--from-migrations) [ "$cmd" = generate ] || die 5 "--from-migrations is an option of generate"; replay=1 ;;
	--from-ledger) [ "$cmd" = preflight ] || die 5 "--from-ledger is an option of preflight"; ledger=1 ;;
	--allow-destructive | --no-online) set -- "$@" "$1" ;;
	--skip-unmodeled) skip_unmodeled=1; set -- "$@" "$1" ;;
	-r | --rename) need "$1" "$2"; set -- "$@" -r "$2"; shift ;;
	--rename=*) set -- "$@" -r "${1#*=}" ;;
	-h | --help) usage; exit 0 ;;
	-?*) usage >&2; die 5 "unknown option: $1" ;;
	*)
		if [ "$cmd" != generate ] || [ -n "$name" ]; then
			die 5 "unexpected argument: $1"
		fi
		name=$1
		;;
	esac
	shift
done
shift
# conf-migrate works from the project directory (-C): a directory given here must not depend on ours
migopt=''
if [ -n "$migdir" ] && [ -d "$migdir" ]; then
	migopt=$(CDPATH='' cd -- "$migdir" && pwd)
fi
[ -n "$migdir" ] || migdir=$project/db/migrations
[ "$project" != . ] || migdir=${migdir#./}

work=$(mktemp -d "${TMPDIR:-/tmp}/confiture-$cmd.XXXXXX")
umask 077
scratch=''
cleanup() {
	_st=$?
	trap '' INT TERM
	if [ -n "$scratch" ]; then
		psql -XAtq -d "service=target dbname=postgres" \
			-c "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)" >/dev/null 2>&1 ||
			say "could not drop the scratch database $scratch: drop it by hand"
	fi
	rm -rf "$work"
	exit "$_st"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# target: the environment's database (or --database-url) as the service "target" of a private
# service file, so that the scratch database next to it is reached without a password in an argv
target() {
	command -v psql >/dev/null 2>&1 || die 5 "psql is not in PATH"
	CONFITURE_SYNC_FROM=${url:-$env} CONFITURE_SYNC_TO=${url:-$env} \
		conf-sync -s "$work/services" -C "$project" >/dev/null || exit
	sed 's/^\[from\]$/[target]/' "$work/services" >"$work/services.t"
	PGSERVICEFILE=$work/services.t
	export PGSERVICEFILE
}

# sql_on DBNAME [PSQL OPTIONS]: the statement on standard input, on the target's server; its error
# goes to standard error
sql_on() {
	_so_db=$1
	shift
	psql -XAtq -v ON_ERROR_STOP=1 -d "service=target dbname=$_so_db" "$@" 2>"$work/psql.err" || {
		sed 's/^psql:[^ ]*: //; s/^/confiture: /' "$work/psql.err" >&2
		return 1
	}
}

# new_scratch [TEMPLATE]: an empty scratch database on the target's server, or a copy of TEMPLATE
# (a name psql quotes itself: :"tdb")
new_scratch() {
	_ns=confiture_${cmd}_$$
	if [ -n "${1:-}" ]; then
		echo "CREATE DATABASE \"$_ns\" TEMPLATE :\"tdb\"" | sql_on postgres -v tdb="$1" || return
	else
		echo "CREATE DATABASE \"$_ns\"" | sql_on postgres || return
	fi
	scratch=$_ns
}

# migrate_on DB ARGS...: conf-migrate on a database of the target's server
migrate_on() {
	_mo_db=$1
	shift
	set -- -C "$project" ${migopt:+-m "$migopt"} "$@"
	[ -z "$table" ] || set -- -t "$table" "$@"
	CONFITURE_DATABASE_URL="service=target dbname=$_mo_db" conf-migrate "$@"
}

# kinds FILE: the change list conf-diff -j wrote -> "mixed" when it has statements that need a
# transaction and statements that cannot have one (conf-migrate refuses such a file), "notx" when
# none needs one, "tx" otherwise; the SET preamble does not count, nor a statement whose addition
# must commit before its use (ALTER TYPE ... ADD VALUE: conf-migrate runs it either way; in a
# transaction, what uses it goes in a migration of its own, split_commit)
kinds() {
	_nt=$(grep '\],"tx":false' "$1" | grep -vc '"commit":true' || true)
	_t=$(grep -v '"action":"set"' "$1" | grep -c '\],"tx":true' || true)
	if [ "$_nt" -gt 0 ] && [ "$_t" -gt 0 ]; then
		echo mixed
	elif [ "$_nt" -gt 0 ]; then
		echo notx
	else
		echo tx
	fi
}

# split_commit SQL REST: when a statement after the last "-- conf-diff: commit" one would use what
# it added in the same transaction (55P04 for an enum value), the statements after it are moved
# to REST (with the SET preamble), to run in the next migration, after the commit; status 1 when
# there is nothing to split
split_commit() {
	awk -v rest="$2" -v head="$1.head" '
	{ line[NR] = $0 }
	/^-- conf-diff: commit/ { m = NR }
	END {
		if (!m)
			exit 1
		for (e = m; e < NR && line[e] !~ /;$/; e++)
			;
		live = 0
		for (i = e + 1; i <= NR; i++)
			if (line[i] != "" && line[i] !~ /^--/)
				live = 1
		if (!live)
			exit 1
		for (i = 1; i <= e; i++)
			print line[i] > head
		for (i = 1; i <= NR && line[i] ~ /^SET /; i++)
			print line[i] > rest
		# the search_path conf-diff set for source texts, still in force at the split
		sp = ""
		for (j = i; j <= e; j++)
			if (line[j] ~ /^(SET|RESET) search_path/)
				sp = line[j] ~ /^SET/ ? line[j] : ""
		if (sp != "")
			print sp > rest
		if (i > 1 || sp != "")
			print "" > rest
		for (s = e + 1; s <= NR && line[s] == ""; s++)
			;
		for (i = s; i <= NR; i++)
			print line[i] > rest
	}' "$1" || return 1
	mv "$1.head" "$1"
}

# write_migration OLD NEW FILE NAME [DIFF OPTIONS]: conf-diff OLD NEW into FILE (the SQL, which the
# messages call NAME), as conf-migrate runs it: a migration that would mix kinds is written in the
# plain forms (--no-online), one that runs outside a transaction without the SET preamble (a SET
# needs one); statements that must come after a commit in FILE.rest (split_commit)
write_migration() {
	_old=$1 _new=$2 _out=$3 _name=$4
	shift 4
	_rc=0
	rm -f "$_out.rest"
	conf-diff -j "$@" "$_old" "$_new" >"$work/changes" || _rc=$?
	[ "$_rc" -le 1 ] || return "$_rc"
	_kind=$(kinds "$work/changes")
	# statements outside a transaction cannot share a migration with the SET search_path their
	# source texts need (conf-migrate takes a SET for a statement that needs a transaction)
	if [ "$_kind" = notx ] && grep -q '^{"kind":"change","id":"search_path"' "$work/changes"; then
		_kind=mixed
	fi
	_pre=''
	if [ "$_kind" = mixed ]; then
		# --no-online also leaves out the SET preamble: the plain forms take stronger locks, so it
		# is kept (the statements of the first change list, which the JSON escapes)
		_pre=$(sed -n 's/^{"kind":"change","id":"session","action":"set","sql":"\(.*\)","hazards".*/\1;/p' "$work/changes" |
			sed 's/\\\(["\\]\)/\1/g')
		set -- --no-online "$@"
		conf-diff -j "$@" "$_old" "$_new" >"$work/changes" || _rc=$?
		[ "$_rc" -le 1 ] || return "$_rc"
		_kind=$(kinds "$work/changes")
		if [ "$_kind" = mixed ]; then
			say "warning: $_name has statements that cannot run in a transaction beside statements that need one: conf-migrate refuses it as one migration; split it"
		else
			say "$_name: online forms (CONCURRENTLY) cannot share a migration with statements that need a transaction: written in the plain forms, which take stronger locks"
		fi
	fi
	[ "$_kind" != notx ] || set -- --lock-timeout 0 --statement-timeout 0 "$@"
	conf-diff "$@" "$_old" "$_new" >"$work/sql" || _rc=$?
	[ "$_rc" -le 1 ] || return "$_rc"
	if [ -n "$_pre" ] && [ "$_kind" = tx ]; then
		printf '%s\n\n' "$_pre" | cat - "$work/sql" >"$_out"
	else
		mv "$work/sql" "$_out"
	fi
	# outside a transaction every statement commits by itself
	[ "$_kind" = notx ] || split_commit "$_out" "$_out.rest" || true
}

# compose HEADER SQL OUT: a migration file: the header line, the count of the destructive
# statements commented out, the SQL
compose() {
	{
		printf '%s\n' "$1"
		_n=$(grep -c '^-- destructive: left out' "$2" || true)
		[ "$_n" -eq 0 ] || printf -- '-- %s destructive statement(s) below are commented out: review them\n' "$_n"
		printf '\n'
		cat "$2"
	} >"$3"
}

generate() {
	[ -n "$name" ] || die 5 "usage: confiture migrate generate NAME"
	case $name in
	*[!a-z0-9_]* | _*) die 5 "a migration name is lowercase letters, digits and _: $name" ;;
	esac
	model_env "$env" "$work/files" || exit
	target
	if [ -n "$replay" ]; then
		new_scratch || exit 1
		migrate_on "$scratch" up >"$work/replay.out" 2>"$work/replay.err" || {
			_rc=$?
			cat "$work/replay.err" >&2
			die "$_rc" "the migrations do not replay into an empty database: nothing written"
		}
		model_db "service=target dbname=$scratch" "$work/from" || exit
		from="the migrations of $migdir"
	else
		model_db "service=target" "$work/from" || exit
		from="the database of $env"
		[ -z "$url" ] || from="the database of --database-url"
	fi
	drop_ledger "$work/from"
	_rc=0
	conf-diff "$@" "$work/from" "$work/files" >/dev/null || _rc=$?
	[ "$_rc" -le 1 ] || exit "$_rc"
	if [ "$_rc" -eq 0 ]; then
		say "no differences between $from and the schema files of $env: nothing written"
		exit 0
	fi
	mkdir -p "$migdir" || die 1 "cannot create $migdir"
	# a second migration, when one is split at a commit, is one second later
	now=$(date -u +%s)
	version=$(date -u -d "@$now" +%Y%m%d%H%M%S)
	version2=$(date -u -d "@$((now + 1))" +%Y%m%d%H%M%S)
	for v in "$version" "$version2"; do
		for f in "$migdir/${v}"_*; do
			[ ! -e "$f" ] || die 1 "a migration with version $v exists: $f (wait a second)"
		done
	done
	up=$migdir/${version}_$name.up.sql down=$migdir/${version}_$name.down.sql
	up2=$migdir/${version2}_${name}_2.up.sql down2=$migdir/${version2}_${name}_2.down.sql
	write_migration "$work/from" "$work/files" "$work/up" "${up##*/}" "$@" || exit
	# the reverse: renames the other way, and destructive statements commented out whatever the
	# up allowed (they undo what the up made; review them before uncommenting)
	for _a; do
		shift
		case $_a in
		--allow-destructive) ;;
		*=*) set -- "$@" "${_a#*=}=${_a%%=*}" ;;
		*) set -- "$@" "$_a" ;;
		esac
	done
	write_migration "$work/files" "$work/from" "$work/down" "${down##*/}" "$@" || exit
	head="confiture migrate generate: $from -> the schema files of $env"
	if [ ! -e "$work/up.rest" ] && [ ! -e "$work/down.rest" ]; then
		compose "-- $version: $name ($head)" "$work/up" "$up"
		compose "-- Undo ${version}_$name (confiture migrate generate: the reverse diff)" "$work/down" "$down"
		echo "$up"
		echo "$down"
		exit 0
	fi
	# two migrations: the up's first part, then its rest; rolled back, the down's first part (in the
	# second migration's down), then its rest
	_split=${up##*/} _dr=''
	[ -e "$work/up.rest" ] || _split=${down##*/}
	[ ! -e "$work/down.rest" ] || _dr=1
	say "$_split: what it adds must commit before it is used (-- conf-diff: commit): split into ${version}_$name and ${version2}_${name}_2"
	compose "-- $version: $name ($head; the first part: it commits before ${version2}_${name}_2)" "$work/up" "$up"
	if [ -e "$work/up.rest" ]; then
		compose "-- $version2: ${name}_2 ($head; after ${version}_$name)" "$work/up.rest" "$up2"
	else
		echo "-- $version2: ${name}_2: nothing left to do (the up of ${version}_$name does it all)" >"$up2"
	fi
	compose "-- Undo ${version2}_${name}_2 (confiture migrate generate: the reverse diff${_dr:+, first part})" "$work/down" "$down2"
	if [ -e "$work/down.rest" ]; then
		compose "-- Undo ${version}_$name (confiture migrate generate: the reverse diff, after the commit of ${version2}_${name}_2's down)" "$work/down.rest" "$down"
	else
		echo "-- Undo ${version}_$name: nothing left to undo (the down of ${version2}_${name}_2 undoes both)" >"$down"
	fi
	echo "$up"
	echo "$down"
	echo "$up2"
	echo "$down2"
}

preflight() {
	model_env "$env" "$work/files" || exit
	target
	tdb=$(psql -XAtq -d service=target -c 'SELECT current_database()' 2>"$work/psql.err") || {
		sed 's/^/confiture: /' "$work/psql.err" >&2
		exit 3
	}
	if [ -z "$ledger" ] && new_scratch "$tdb" 2>"$work/clone.err"; then
		say "preflight on $scratch, a copy of $tdb"
	else
		[ -n "$ledger" ] || say "cannot copy $tdb ($(sed -n '1s/^confiture: //p' "$work/clone.err")): building the copy from its ledger"
		_cur=$(migrate_on "$tdb" current 2>/dev/null) || _cur=''
		new_scratch || exit 1
		if [ -n "$_cur" ]; then
			migrate_on "$scratch" up -T "$_cur" >/dev/null 2>"$work/replay.err" || {
				cat "$work/replay.err" >&2
				die 7 "preflight: the applied migrations (up to $_cur) do not replay into an empty database"
			}
		fi
		say "preflight on $scratch, built from the migrations applied to $tdb${_cur:+ (up to $_cur)}"
	fi
	findings=0
	before=$(migrate_on "$scratch" current 2>/dev/null) || before=''
	[ -n "$before" ] || before=0
	model_db "service=target dbname=$scratch" "$work/before" || exit
	drop_ledger "$work/before"
	migrate_on "$scratch" -j status >"$work/status" 2>/dev/null || true
	pending=$(grep -c '"state":"pending"' "$work/status" || true)
	_rc=0
	migrate_on "$scratch" up >"$work/up.out" 2>"$work/up.err" || _rc=$?
	if [ "$_rc" -ne 0 ]; then
		cat "$work/up.err" >&2
		say "preflight: a pending migration fails (conf-migrate exit $_rc); $tdb was not touched"
		exit 7
	fi
	model_db "service=target dbname=$scratch" "$work/after" || exit
	drop_ledger "$work/after"
	_rc=0
	conf-diff --allow-destructive "$@" "$work/after" "$work/files" || _rc=$?
	case $_rc in
	0) ;;
	1)
		say "preflight: the schema files have changes the migrations do not reach (the SQL above)"
		findings=$((findings + 1))
		;;
	*) exit "$_rc" ;;
	esac
	if [ "$pending" -gt 0 ]; then
		_rc=0
		migrate_on "$scratch" down-to "$before" >"$work/down.out" 2>"$work/down.err" || _rc=$?
		if [ "$_rc" -eq 8 ]; then
			cat "$work/down.err" >&2
			say "preflight: warning: the pending migrations cannot all be rolled back: not checked"
		elif [ "$_rc" -ne 0 ]; then
			cat "$work/down.err" >&2
			say "preflight: rolling the pending migrations back fails (conf-migrate exit $_rc)"
			findings=$((findings + 1))
		else
			model_db "service=target dbname=$scratch" "$work/back" || exit
			drop_ledger "$work/back"
			_rc=0
			conf-diff --allow-destructive "$@" "$work/back" "$work/before" >"$work/back.sql" || _rc=$?
			if [ "$_rc" -eq 1 ]; then
				cat "$work/back.sql"
				say "preflight: rolling the pending migrations back does not restore the schema (the SQL above restores it)"
				findings=$((findings + 1))
			fi
		fi
	fi
	if [ "$findings" -gt 0 ]; then
		say "preflight: $findings finding(s); $tdb was not touched"
		exit 7
	fi
	if [ "$pending" -eq 0 ]; then
		say "preflight: no pending migration, and the schema files are reached; $tdb was not touched"
	else
		say "preflight: $pending pending migration(s) apply, reach the schema files and roll back; $tdb was not touched"
	fi
}

case $cmd in
generate) generate "$@" ;;
preflight) preflight "$@" ;;
*) usage >&2; die 5 "unknown migrate command: $cmd" ;;
esac
