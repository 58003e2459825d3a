#!/bin/sh
# genschema.sh DIR N: a project in DIR whose db/schema holds N files, one table each
# (identity key, unique, two checks, a foreign key to an earlier table, jsonb, two indexes, a comment).
set -eu
dir=$1 n=$2
mkdir -p "$dir/db/schema/00_common" "$dir/db/schema/10_tables" "$dir/db/environments"
printf 'CREATE SCHEMA IF NOT EXISTS app;\n' >"$dir/db/schema/00_common/00_schema.sql"
awk -v n="$n" -v dir="$dir/db/schema/10_tables" 'BEGIN {
	for (i = 1; i <= n; i++) {
		f = sprintf("%s/%04d_t%d.sql", dir, i, i)
		printf "-- table %d\nCREATE TABLE app.t%d (\n", i, i > f
		printf "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n" > f
		printf "    code text NOT NULL UNIQUE,\n" > f
		printf "    qty integer NOT NULL DEFAULT 0 CHECK (qty >= 0),\n" > f
		printf "    price numeric(12,2) CHECK (price > 0),\n" > f
		if (i > 1)
			printf "    parent_id bigint REFERENCES app.t%d (id) ON DELETE SET NULL,\n", int((i + 1) / 2) > f
		printf "    attrs jsonb NOT NULL DEFAULT %s,\n", "'\''{}'\''" > f
		printf "    created_at timestamptz NOT NULL DEFAULT now()\n);\n" > f
		printf "CREATE INDEX t%d_created_idx ON app.t%d (created_at);\n", i, i > f
		printf "CREATE INDEX t%d_qty_idx ON app.t%d (qty) WHERE qty > 0;\n", i, i > f
		printf "COMMENT ON TABLE app.t%d IS %s;\n", i, "'\''generated table " i "'\''" > f
		close(f)
	}
}'
cat >"$dir/db/environments/bench.yaml" <<YAML
include_dirs:
  - db/schema
YAML
