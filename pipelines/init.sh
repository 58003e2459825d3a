#!/bin/sh
# confiture init [DIR]: an upstream-compatible project skeleton that builds as it is.
set -eu
# shellcheck source=common.sh
. "${CONFITURE_PIPELINES:?}/common.sh"

force=''
dir=''
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	-h | --help) echo "usage: confiture init [--force] [DIR]"; exit 0 ;;
	-*) die 5 "unknown option: $1" ;;
	*) [ -z "$dir" ] || die 5 "init takes one directory"; dir=$1 ;;
	esac
	shift
done
[ -n "$dir" ] || dir=.
if [ -e "$dir/db/environments/local.yaml" ] && [ -z "$force" ]; then
	die 5 "$dir/db/environments/local.yaml exists; use --force to overwrite the skeleton"
fi
name=$(basename -- "$(CDPATH='' cd -- "$(dirname -- "$dir")" && pwd)/$(basename -- "$dir")" | tr -c 'A-Za-z0-9_\n' _)
mkdir -p "$dir/db/schema/00_common" "$dir/db/schema/10_tables" "$dir/db/migrations" \
	"$dir/db/seeds/common" "$dir/db/environments" || die 1 "cannot create $dir/db"

cat >"$dir/db/environments/local.yaml" <<YAML
# Settings of the "local" environment (confiture build --env local).
database_url: postgresql://localhost/${name}_local
include_dirs:
  - db/schema
  - db/seeds/common
exclude_dirs: []
migration:
  tracking_table: tb_confiture
YAML

cat >"$dir/db/schema/00_common/extensions.sql" <<'SQL'
-- Extensions and schemas come first: files build in path order (00_common, 10_tables, ...).
CREATE SCHEMA IF NOT EXISTS app;
SQL

cat >"$dir/db/schema/10_tables/example.sql" <<'SQL'
CREATE TABLE app.example (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.example IS 'An example table: replace it with your own.';
SQL

cat >"$dir/db/seeds/common/00_example.sql" <<'SQL'
INSERT INTO app.example (name) VALUES ('first'), ('second');
SQL

cat >"$dir/db/README.md" <<'MD'
# db/

- `schema/`: the DDL, the source of truth, built in path order (`confiture build`).
- `migrations/`: `<version>_<name>.up.sql` and `.down.sql` for databases that hold data (`confiture migrate`).
- `seeds/`: data loaded after the schema by environments that include them.
- `environments/<env>.yaml`: which directories make an environment, and its database.
MD
say "created a project in $dir: try 'confiture build' there"
