#!/bin/sh
# confiture build: conf-concat writes db/generated/schema_<env>.sql; with --apply or
# --database-url, conf-apply -c loads it into a freshly created database.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture build [--env ENV] [--project-dir DIR] [--output FILE] [--schema-only] [--sequential]
                       [--show-hash | --hash-only | --upstream-hash] [--apply | --database-url URL] [--force] [--strict]
                       [--cache [--clone N --prefix P | --target DBNAME | --template-only] | --no-cache] [--prune-cache]
USAGE
}

env=local project=. output='' schema_only='' show_hash='' apply='' url='' force='' sequential=''
cache='' prune='' clones='' prefix='' tplonly='' target=''
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	-o | --output) need_value "$1" $#; output=$2; shift ;;
	--output=*) output=${1#*=} ;;
	--schema-only) schema_only=-S ;;
	--show-hash) show_hash=1 ;;
	--hash-only) show_hash=only ;;
	--upstream-hash) show_hash=upstream ;;
	--apply) apply=1 ;;
	--database-url) need_value "$1" $#; url=$2; apply=1; shift ;;
	--database-url=*) url=${1#*=}; apply=1 ;;
	--force) force=-f ;;
	--strict) export CONFITURE_STRICT=1 ;;
	--sequential) sequential=1 ;;
	# the template cache (conf-tpl): --clone and --template-only need it, so they turn it on
	--cache) cache=1 ;;
	--no-cache) cache=0 ;;
	--prune-cache) prune=1 ;;
	--clone) need_value "$1" $#; clones=$2; cache=1; shift ;;
	--clone=*) clones=${1#*=}; cache=1 ;;
	--prefix) need_value "$1" $#; prefix=$2; shift ;;
	--prefix=*) prefix=${1#*=} ;;
	--template-only) tplonly=1; cache=1 ;;
	--target) need_value "$1" $#; target=$2; cache=1; shift ;;
	--target=*) target=${1#*=}; cache=1 ;;
	--validate-comments | --fail-on-unclosed | --fail-on-spillover) ;; # always: a file must end between statements (conf-concat -k)
	--no-validate-comments | --no-fail-on-unclosed | --no-fail-on-spillover)
		die 5 "$1 is not supported: a file that ends inside a comment or a statement would join the next file's first statement" ;;
	--two-pass | --no-two-pass) die 5 "$1 is not supported: order statements by their dependencies with build: {sort_mode: dependencies}" ;;
	--separator-style | --separator-style=* | --separator-template | --separator-template=*)
		die 5 "${1%%=*} is not supported: the file markers are part of the stream format (conf-formats(5)) that conf-apply reads" ;;
	--continue-on-error) die 5 "$1 is not supported: a build stops at its first error, with the database left as it was" ;;
	--format | --format=* | --report | --report=*)
		die 5 "${1%%=*} is not supported: the build report is the file's first line (files and schema hash); --show-hash prints the hash" ;;
	--dump | --dump=* | --dump-format | --dump-format=*)
		die 5 "${1%%=*} is not supported: build into a database with --database-url, then pg_dump it" ;;
	--seed-profile | --seed-profile=*)
		die 5 "${1%%=*} is not supported: the seed files built are those of the environment's include_dirs; an environment per profile selects them" ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die 5 "unknown option: $1" ;;
	esac
	shift
done

if [ -n "$clones" ] || [ -n "$prefix" ]; then
	case $clones in '' | *[!0-9]* | 0*) die 5 "--clone wants a number of copies (1 or more), with --prefix: not '$clones'" ;; esac
	[ -n "$prefix" ] || die 5 "--clone N names its copies PREFIX1..PREFIXN: give --prefix"
	[ -z "$tplonly$target" ] || die 5 "--clone N makes N copies: drop --template-only and --target"
fi
if [ "$cache" = 1 ] || [ -n "$prune" ]; then
	[ -z "$sequential" ] || die 5 "--cache builds a fresh database from a template: it cannot be --sequential"
	[ "$output" != - ] || die 5 "the template cache needs the built file: it cannot be --output -"
	case $show_hash in only | upstream) die 5 "the template cache needs a build: drop --hash-only and --upstream-hash" ;; esac
fi
if [ -n "$sequential" ]; then
	[ -z "$force" ] || die 5 "--sequential applies to the existing database and replaces nothing: drop --force"
	[ "$output" != - ] || die 5 "--sequential applies the built file: it cannot be --output -"
	# the URL is that of a database that exists; --database-url alone creates one
	apply=''
fi
if [ "$show_hash" = only ]; then
	exec conf-concat -C "$project" -e "$env" $schema_only -H
fi
# the hash the Python Confiture computes for the same files (conf-concat -U)
if [ "$show_hash" = upstream ]; then
	[ -z "$schema_only" ] || die 5 "--upstream-hash covers the seed files too, as upstream's: drop --schema-only"
	exec conf-concat -C "$project" -e "$env" -U
fi

if [ -z "$output" ]; then
	output=$project/db/generated/schema_$env.sql
	output=${output#./}
fi
# build.sort_mode: dependencies puts conf-sort after conf-concat; an environment it cannot read is
# left to conf-concat to report, as in every other mode
sort_mode=$(CONFITURE_OFFLINE=1 conf-sort -M -C "$project" -e "$env" 2>/dev/null) || sort_mode=''
if [ "$output" = - ]; then
	[ -z "$apply" ] || die 5 "--output - writes to standard output and cannot be combined with --apply"
	[ -z "$show_hash" ] || die 5 "--output - writes to standard output and cannot be combined with --show-hash (--hash-only prints the hash alone)"
	[ "$sort_mode" = dependencies ] || exec conf-concat -k -C "$project" -e "$env" $schema_only
	# no pipefail in sh: a conf-concat that fails leaves a stream without its end line, which conf-sort refuses
	conf-concat -k -C "$project" -e "$env" $schema_only | conf-sort
	exit
fi
# conf-concat writes a device or a fifo in place: what is applied must be the file just written
if [ -n "$apply" ] && [ -e "$output" ] && [ ! -f "$output" ]; then
	die 5 "--apply needs --output to be a regular file: $output is not"
fi
# no dirname nor mkdir when the directory is there: a warm --cache build is a few processes only
case $output in
*/*) outdir=${output%/*}; [ -n "$outdir" ] || outdir=/ ;;
*) outdir=. ;;
esac
[ -d "$outdir" ] || mkdir -p -- "$outdir" || die 1 "cannot create the directory of $output"
# set -e: nothing below runs unless conf-concat wrote the whole file (it replaces it atomically)
if [ "$sort_mode" = dependencies ] && [ -e "$output" ] && [ ! -f "$output" ]; then
	# a device or a fifo is written once, in place: sorted on the way (a cut stream is refused)
	conf-concat -k -C "$project" -e "$env" $schema_only | conf-sort -o "$output"
else
	conf-concat -k -C "$project" -e "$env" $schema_only -o "$output"
	# conf-sort reads it whole, then replaces it atomically too (conf-concat -o keeps the output out
	# of its inputs, which a temporary file would not); when it fails, nothing is loaded
	[ "$sort_mode" != dependencies ] || conf-sort -o "$output" "$output"
fi
if [ ! -f "$output" ]; then
	[ -z "$apply" ] || die 5 "--apply needs --output to be a regular file: $output is not"
	say "wrote $output"
	exit 0
fi
# the header line read once, in the shell (header_field forks a sed per field)
head=''
IFS= read -r head <"$output" || :
case $head in
"-- confiture:build "*" hash="*" files="*)
	hash=${head#* hash=} files=${head#* files=}
	hash=${hash%% *} files=${files%% *}
	;;
*) hash='' files='' ;;
esac
say "wrote $output ($files files, schema hash $hash)"
# upstream's --show-hash writes the file and shows the hash: on stdout here, alone, for scripts
[ -z "$show_hash" ] || echo "$hash"

# --sequential: upstream's apply to an existing database, file after file, one transaction each;
# a file that fails is rolled back and stops the run, the files before it stay
if [ -n "$sequential" ]; then
	[ "$sort_mode" != dependencies ] ||
		die 5 "--sequential applies whole files in order: build.sort_mode: dependencies moves statements between files"
	[ -z "$url" ] || export CONFITURE_DATABASE_URL="$url"
	export CONFITURE_CONFIG_WARNED=1
	n=0
	list=$(sed -n 's/^-- confiture:file \(.*\) sha256=[0-9a-f]*$/\1/p' "$output")
	while IFS= read -r f; do
		[ -n "$f" ] || continue
		rc=0
		conf-apply -C "$project" -e "$env" "$project/$f" </dev/null || rc=$?
		if [ "$rc" -ne 0 ]; then
			say "$n of $files files applied; $f failed and was rolled back: the files before it stay"
			[ "$rc" -ne 1 ] || rc=4
			exit "$rc"
		fi
		n=$((n + 1))
	done <<EOF
$list
EOF
	say "applied $n files, one transaction each"
	exit 0
fi
# build.cache: true in the environment turns the cache on where --cache/--no-cache does not say
if [ -z "$cache" ] && [ -n "$apply" ] &&
	CONFITURE_OFFLINE=1 conf-concat -P -C "$project" -e "$env" 2>/dev/null | grep -q '"build_cache":true'; then
	cache=1
fi
[ "$cache" = 1 ] || cache=''
if [ -n "$prune" ] || [ -n "$cache" ]; then
	export CONFITURE_CONFIG_WARNED=1
	[ -z "$url" ] || export CONFITURE_DATABASE_URL="$url"
fi
# --prune-cache: the templates of other schemas go (this one's stays)
if [ -n "$prune" ]; then
	exec conf-tpl -P -H "$hash" -C "$project" -e "$env"
fi
if [ -n "$cache" ]; then
	[ -n "$apply$clones$tplonly$target" ] || die 5 "--cache keeps a build as a template database: give --database-url URL (or --apply)"
	# the key of the template: a changed schema of the same project and environment replaces it
	key="$(CDPATH='' cd -- "$project" && pwd) $env"
	if [ -n "$clones" ]; then
		set -- $force -n "$clones" -p "$prefix"
	elif [ -n "$target" ]; then
		set -- $force -t "$target"
	elif [ -n "$tplonly" ]; then
		set -- -T
	else
		set -- $force
	fi
	rc=0
	conf-tpl -H "$hash" -k "$key" -C "$project" -e "$env" -v "$@" "$output" || rc=$?
	[ "$rc" -ne 1 ] || rc=4
	exit "$rc"
fi
[ -n "$apply" ] || exit 0

# conf-concat showed the environment file's warnings already
export CONFITURE_CONFIG_WARNED=1
# an SQL error while building is a schema error (exit 4)
set -- -c $force -C "$project" -e "$env" -v
# the URL goes to the child in its environment: an argv is visible to every user (ps)
[ -z "$url" ] || export CONFITURE_DATABASE_URL="$url"
rc=0
conf-apply "$@" "$output" || rc=$?
[ "$rc" -ne 1 ] || rc=4
exit "$rc"
