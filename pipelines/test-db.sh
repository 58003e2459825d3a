#!/bin/sh
# confiture test-db: upstream's template commands, mapped onto the template cache of
# confiture build --cache (conf-tpl), whose templates are named from the schema hash.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

usage() {
	cat <<USAGE
usage: confiture test-db provision-template [--force] [options]
       confiture test-db clone --target DBNAME [--force] [options]
       confiture test-db prune [options]
options: [--env ENV] [--project-dir DIR] [--database-url URL] [--template NAME]
USAGE
}

[ $# -ge 1 ] || { usage >&2; die 5 "test-db needs a command"; }
case $1 in
-h | --help) usage; exit 0 ;;
provision-template | clone | prune) cmd=$1 ;;
status | list) die 5 "test-db $1 is not supported: the templates are the databases named confiture_tpl_<hash>, see 'confiture build --hash-only'" ;;
drop) die 5 "test-db drop is not supported: a clone is an ordinary database, drop it with DROP DATABASE; 'confiture build --prune-cache' drops the templates" ;;
ram-setup) die 5 "test-db ram-setup is not supported: a tablespace on tmpfs is the server's business, not the build's" ;;
*) usage >&2; die 5 "unknown test-db command: $1" ;;
esac
shift
env=local project=. template='' target='' force=''
while [ $# -gt 0 ]; do
	case $1 in
	-e | --env) need_value "$1" $#; env=$2; shift ;;
	--env=*) env=${1#*=} ;;
	--project-dir) need_value "$1" $#; project=$2; shift ;;
	--project-dir=*) project=${1#*=} ;;
	--database-url) need_value "$1" $#; export CONFITURE_DATABASE_URL="$2"; shift ;;
	--database-url=*) export CONFITURE_DATABASE_URL="${1#*=}" ;;
	--template) need_value "$1" $#; template=$2; shift ;;
	--template=*) template=${1#*=} ;;
	--target) need_value "$1" $#; target=$2; shift ;;
	--target=*) target=${1#*=} ;;
	--force) force=--force ;;
	--format | --format=*) die 5 "${1%%=*} is not supported: test-db reports on stderr, one line per template or database" ;;
	--from-artifact | --from-artifact=* | --seed-profile | --seed-profile=*)
		die 5 "${1%%=*} is not supported: the template is built from the environment's files ('confiture build')" ;;
	--sync-commit-off | --no-sync-commit-off | --max-clone-concurrency | --max-clone-concurrency=*)
		die 5 "${1%%=*} is not supported: a clone is one CREATE DATABASE ... TEMPLATE, with no commit to tune" ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die 5 "unknown option: $1" ;;
	esac
	shift
done
if [ -n "$template" ]; then
	hash=$(conf-concat -C "$project" -e "$env" -H) || exit
	name=confiture_tpl_$(printf '%.16s' "$hash")
	[ "$template" = "$name" ] ||
		say "--template $template is not used: templates are named from the schema hash, this one is $name"
fi
case $cmd in
provision-template)
	[ -z "$force" ] || die 5 "--force is not needed: a changed schema has another hash, and so its own template"
	exec sh "$CONFITURE_PIPELINES/build.sh" --env "$env" --project-dir "$project" --template-only ;;
clone)
	[ -n "$target" ] || die 5 "test-db clone needs --target DBNAME"
	exec sh "$CONFITURE_PIPELINES/build.sh" --env "$env" --project-dir "$project" --target "$target" $force ;;
prune) exec sh "$CONFITURE_PIPELINES/build.sh" --env "$env" --project-dir "$project" --prune-cache ;;
esac
