# shellcheck shell=sh disable=SC2154
# Schema models for diff, drift, migrate generate and preflight. Sourced after common.sh, with
# $project and $work (a private temporary directory) set. Every function writes a model file and
# returns the status of the tool that failed, whose message is already on standard error: sh has no
# pipefail, so no producer is ever piped into the next tool.

# model_env ENV OUT: the model of an environment's DDL files (seeds left out), in build order
model_env() {
	_me_sql=$work/env-$1.sql
	conf-concat -k -S -C "$project" -e "$1" -o "$_me_sql" || return
	# build.sort_mode: dependencies builds in conf-sort's order, so the files are read in it too
	if [ "$(conf-sort -M -C "$project" -e "$1" 2>/dev/null)" = dependencies ]; then
		conf-sort -o "$_me_sql" "$_me_sql" || return
	fi
	model_sql "$_me_sql" "$2" "the schema files of $1"
}

# model_sql FILE OUT [NAME]: the model of SQL files; a statement the model rejects is a schema error (4)
# (name: how a message names the input). Statements the model does not hold cannot be compared:
# their records stay, and conf-diff refuses them (exit 4, at the first); with --skip-unmodeled
# ($skip_unmodeled set) they are left out here, after conf-parse's warning about each.
model_sql() {
	if [ -n "${role:-}" ]; then
		conf-parse -m -U "$role" "$1" >"$2" || return
	else
		conf-parse -m "$1" >"$2" || return
	fi
	if [ -n "${skip_unmodeled:-}" ] && grep -q '^{"kind":"unmodeled"' "$2"; then
		grep -v '^{"kind":"unmodeled"' "$2" >"$2.t" || true
		mv "$2.t" "$2"
	fi
}

# model_db URL OUT: the model of a live database (URL empty: the environment's database_url);
# the URL reaches conf-inspect in its environment, never in an argv that ps shows
model_db() {
	if [ -n "$1" ]; then
		CONFITURE_DATABASE_URL=$1 conf-inspect >"$2"
	elif [ -n "${env:-}" ]; then
		conf-inspect -C "$project" -e "$env" >"$2"
	else
		conf-inspect >"$2"
	fi
}

# is_url TEXT: a libpq URI or a key=value connection string
is_url() {
	case $1 in
	postgres://* | postgresql://* | *=*) return 0 ;;
	esac
	return 1
}

# model_of SRC OUT: SRC is a database URL, a model file, an SQL file, a directory of SQL files or
# the name of an environment of the project (its DDL files); - is standard input (a model or SQL)
model_of() {
	_mo_src=$1
	if [ "$_mo_src" = - ]; then
		_mo_src=$work/stdin
		cat >"$_mo_src" || return 1
	fi
	if [ -f "$_mo_src" ]; then
		# a model begins with a record; anything else is SQL
		if [ "$(dd if="$_mo_src" bs=1 count=1 2>/dev/null)" = '{' ]; then
			cp "$_mo_src" "$2"
		else
			model_sql "$_mo_src" "$2" "$1"
		fi
	elif [ -d "$_mo_src" ]; then
		conf-concat -k -S "$_mo_src" -o "$work/dir.sql" && model_sql "$work/dir.sql" "$2" "$1"
	elif is_url "$_mo_src"; then
		# a database holds the tracking table, which no schema file has
		model_db "$_mo_src" "$2" && drop_ledger "$2"
	elif [ -f "$project/db/environments/$_mo_src.yaml" ]; then
		model_env "$_mo_src" "$2"
	else
		_mo_env=$project/db/environments/$1.yaml
		say "$1 is no file, directory, database URL or environment (no ${_mo_env#./})"
		return 5
	fi
}

# ledger_table: the tracking table the environment names (migration: tracking_table:), else the default
ledger_table() {
	if [ -n "${table:-}" ]; then
		echo "$table"
		return
	fi
	_lt=''
	if [ -n "${env:-}" ] && [ -f "$project/db/environments/$env.yaml" ]; then
		_lt=$(sed -n "s/^[[:space:]]*tracking_table:[[:space:]]*['\"]\\{0,1\\}\\([^'\"#[:space:]]*\\).*/\\1/p" \
			"$project/db/environments/$env.yaml" | head -n 1)
	fi
	echo "${_lt:-tb_confiture}"
}

# drop_ledger MODEL: leave the tracking table out of a database's model (its table, the indexes,
# sequences, comments, grants and owner that belong to it); an unqualified name is looked for in
# every schema, as conf-migrate resolves it when it runs
drop_ledger() {
	_dl=$(ledger_table)
	case $_dl in
	*.*) _dl_re=$(printf '%s' "$_dl" | sed 's/[].[^$*\\/]/\\&/g') ;;
	*) _dl_re='[^".]*\.'$(printf '%s' "$_dl" | sed 's/[].[^$*\\/]/\\&/g') ;;
	esac
	sed -e "/\"id\":\"table:$_dl_re\"/d" -e "/\"table\":\"table:$_dl_re\"/d" \
		-e "/\"on\":\"table:$_dl_re\"/d" -e "/\"on\":\"column:$_dl_re\./d" \
		-e "/\"on\":\"constraint:$_dl_re\./d" -e "/\"owned_by\":\"column:$_dl_re\./d" "$1" >"$1.t" &&
		mv "$1.t" "$1"
}

# url_with_db URL NAME: the same connection, to database NAME (a later dbname wins in libpq)
url_with_db() {
	case $1 in
	'') printf "dbname='%s'\n" "$2" ;;
	*://*\?*) printf '%s&dbname=%s\n' "$1" "$2" ;;
	*://*) printf '%s?dbname=%s\n' "$1" "$2" ;;
	*) printf "%s dbname='%s'\n" "$1" "$2" ;;
	esac
}
