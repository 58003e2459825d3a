#!/usr/bin/env bats
# formats.bats: every record kind and every key the tools write in JSON is documented in
# conf-formats(5), as DESIGN.md makes these formats the contract between the tools.
#
# The keys are collected from real output (conf-parse plain, --tree and -m, conf-inspect of
# databases built from the same files, conf-diff -j, conf-lint --format json, conf-seedcheck -j,
# conf-anon --scan, conf-concat -P, conf-migrate -j, conf-fleet) as "KIND<TAB>PATH": PATH is the record's key
# path with array indices dropped (columns.name); the parse tree under "tree" is libpg_query's and
# exempt; a record without "kind" is named by its tool (conf-diff, ...).
#
# The rule for the page: a record kind has a list item whose head names it (.It Qq KIND, or
# .It Nm TOOL for a tool's records without a kind) in a .Bl at the top level of its subsection; a
# key is documented for the kind when its last path segment appears as .Qq KEY, .Dq KEY or "KEY"
# in that item, or in the text of that subsection or of the subsection "JSON Lines" outside every
# list (the keys common to all its kinds: kind, id, schema, name, file, ...). KEY_sql is documented with KEY (the page says once
# that an expression X is the two keys X and X_sql).

load helper

PAGE=$REPO/man/conf-formats.5

# the key paths of the JSON Lines on stdin, as "KIND<TAB>PATH"; $1 names records without "kind"
keypaths() {
	jq -r --arg tool "$1" '(if has("tree") then .tree = 0 else . end) | (.kind // $tool) as $k
		| paths | map(select(type == "string")) | select(length > 0) | "\($k)\t\(join("."))"'
}

# documented [PAGE]: "KIND<TAB>KEY" for every key the page documents for KIND, and
# "KIND<TAB>(item)" for every kind that has an item
documented() {
	awk '
	function toks(line, kinds,   n, f, i, k, s, m) {
		n = split(line, f, /[ \t]+/)
		for (i = 1; i < n; i++)
			if (f[i] ~ /^\.?(Qq|Dq)$/) {
				s = f[i + 1]; gsub(/^[("]+|[)",.;:]+$/, "", s)
				for (k in kinds) print kinds[k] "\t" s
			}
		s = line
		while (match(s, /"[A-Za-z_][A-Za-z0-9_]*"/)) {
			m = substr(s, RSTART + 1, RLENGTH - 2)
			for (k in kinds) print kinds[k] "\t" m
			s = substr(s, RSTART + RLENGTH)
		}
	}
	/^\.S[sh] / { ss = $0; depth = 0; split("", cur); next }
	/^\.Bl/ { depth++; next }
	/^\.El/ { if (--depth == 0) split("", cur); next }
	depth == 1 && /^\.It/ {
		split("", cur); n = split($0, f, /[ \t]+/)
		for (i = 1; i < n; i++)
			if (f[i] == "Qq" || f[i] == "Nm") { cur[f[i + 1]] = f[i + 1]; kindss[f[i + 1]] = ss }
		next
	}
	depth == 0 { common[ss] = common[ss] "\n" $0; next }
	{ toks($0, cur) }
	END {
		for (k in kindss) {
			one[1] = k; n = split(common[kindss[k]] common[".Ss JSON Lines"], L, "\n")
			for (i = 1; i <= n; i++) toks(L[i], one)
			print k "\t(item)"
		}
	}' "${1:-$PAGE}" | sort -u
}

# undocumented KEYS [PAGE]: the lines of KEYS (KIND<TAB>PATH) the page does not document, sorted
undocumented() {
	documented "${2:-}" | awk -F'\t' '
	FNR == NR { doc[$1, $2] = 1; if ($2 == "(item)") item[$1] = 1; next }
	{
		n = split($2, p, "."); leaf = p[n]; base = leaf; sub(/_sql$/, "", base)
		if (!item[$1]) print $1 "\t" $2 "\t(no item for this kind)"
		else if (!doc[$1, leaf] && !doc[$1, base]) print $1 "\t" $2
	}' - "$1" | sort -u
}

# the SQL files the model is tried on: the fixtures of every kind and the corpus schemas
model_files() {
	printf '%s\n' "$REPO"/tests/fixtures/model/*.sql "$REPO"/tests/fixtures/model-ext/*.sql \
		"$REPO"/tests/fixtures/model-warn/*.sql "$CORPUS"/schemas/*-s*.sql
}

setup() {
	T=$BATS_TEST_TMPDIR
}

@test "the rule sees a record kind or a key the page lacks" {
	printf 'stmt\tfingerprint\nstmt\tcreates\ntable\tcolumns.default_sql\ntable\tcolumns.nosuch\nnokind\tx\n' >"$T/keys"
	run undocumented "$T/keys"
	assert_success
	assert_output "$(printf 'nokind\tx\t(no item for this kind)\ntable\tcolumns.nosuch')"
	# one word taken from the page: the key it documented is reported
	sed '/^\.Qq fingerprint$/d' "$PAGE" >"$T/page.5"
	run undocumented "$T/keys" "$T/page.5"
	assert_output "$(printf 'nokind\tx\t(no item for this kind)\nstmt\tfingerprint\ntable\tcolumns.nosuch')"
	# a key documented for another kind does not count for this one
	printf 'trigger\tprovider\n' >"$T/keys"
	run undocumented "$T/keys"
	assert_output "$(printf 'trigger\tprovider')"
}

@test "conf-parse: every key of its statement records, plain, --tree and -m, is documented" {
	# keys the fixtures do not reach: C functions, an aggregate's serial and moving-aggregate
	# functions, a range's canonical function, a language's inline handler, an ordering operator
	# of a family, a materialized view's tablespace (conf-parse needs none of them to exist)
	cat >"$T/extra.sql" <<'SQL'
CREATE MATERIALIZED VIEW mv TABLESPACE ts1 AS SELECT 1 AS a;
CREATE FUNCTION cfn(integer) RETURNS integer AS 'mylib', 'cfn_sym' LANGUAGE c STRICT;
CREATE FUNCTION int4range_canon(int4range) RETURNS int4range AS 'mylib', 'canon' LANGUAGE c IMMUTABLE STRICT;
CREATE FUNCTION ser(internal) RETURNS bytea AS 'mylib', 'ser' LANGUAGE c STRICT;
CREATE FUNCTION deser(bytea, internal) RETURNS internal AS 'mylib', 'deser' LANGUAGE c STRICT;
CREATE FUNCTION sfn(internal, integer) RETURNS internal AS 'mylib', 'sfn' LANGUAGE c;
CREATE FUNCTION ffn(internal) RETURNS integer AS 'mylib', 'ffn' LANGUAGE c;
CREATE FUNCTION ffn(internal, integer) RETURNS integer AS 'mylib', 'ffn2' LANGUAGE c;
CREATE FUNCTION cfnc(internal, internal) RETURNS internal AS 'mylib', 'cfnc' LANGUAGE c;
CREATE AGGREGATE agg(integer) (SFUNC = sfn, STYPE = internal, FINALFUNC = ffn, COMBINEFUNC = cfnc, SERIALFUNC = ser, DESERIALFUNC = deser,
  MSFUNC = sfn, MINVFUNC = sfn, MSTYPE = internal, MFINALFUNC = ffn, MFINALFUNC_EXTRA, MFINALFUNC_MODIFY = read_write);
CREATE FUNCTION h() RETURNS language_handler AS 'mylib', 'h' LANGUAGE c;
CREATE FUNCTION i(internal) RETURNS void AS 'mylib', 'i' LANGUAGE c;
CREATE LANGUAGE pll HANDLER h INLINE i;
CREATE OPERATOR FAMILY fam USING gist;
ALTER OPERATOR FAMILY fam USING gist ADD OPERATOR 15 <-> (point, point) FOR ORDER BY float_ops;
CREATE TYPE r4;
CREATE FUNCTION r4_canon(r4) RETURNS r4 AS 'mylib', 'canon' LANGUAGE c IMMUTABLE STRICT;
CREATE TYPE r4 AS RANGE (subtype = integer, canonical = r4_canon);
SQL
	{
		# plain: all files in one run; --tree: one file (the tree below "tree" is exempt)
		model_files | xargs -d '\n' conf-parse 2>/dev/null || true
		conf-parse --tree "$REPO"/tests/fixtures/model/tables.sql 2>/dev/null || true
		# -m: each file alone, as the fixtures would collide
		{ model_files; echo "$T/extra.sql"; } | while read -r f; do
			conf-parse -m "$f" 2>/dev/null || true
		done
	} | keypaths conf-parse | sort -u >"$T/keys"
	# the collection itself is not empty: every kind of the fixtures is there
	[ "$(cut -f1 "$T/keys" | sort -u | wc -l)" -ge 38 ]
	for k in 'stmt	tree' 'stmt	tx' 'unmodeled	tag' 'table	columns.default_sql' 'type	canonical' \
		'aggregate	serialfunc' 'aggregate	mfinalfunc_modify' 'language	inline' \
		'opfamily	operators.order_by' 'matview	tablespace' 'function	body_obj'; do
		grep -qx "$k" "$T/keys" || fail "no $k in the output"
	done
	run undocumented "$T/keys"
	assert_success
	assert_output ""
}

@test "conf-inspect: every key of the model of databases built from the fixtures is documented" {
	need_db
	for r in model_owner model_reader model_writer; do
		psql -XAtq -d postgres -c "CREATE ROLE $r" >/dev/null 2>&1 || true
	done
	# one database per file, two at a time (roles are cluster-wide, the rest is not), dropped after
	export FORMATS_N=$BATS_SUITE_TEST_NUMBER
	model_files | awk '{ print $0 "\t" NR }' | xargs -d '\n' -P 2 -I {} sh -c '
		f=${1%	*} db=fmt${FORMATS_N}_${1##*	}
		psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1 || exit 1
		conf-apply -a -d "dbname=$db" "$f" >/dev/null 2>&1
		conf-inspect -d "dbname=$db" >"$0/$db.jsonl"
		psql -XAtq -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1' "$T" {}
	cat "$T"/*.jsonl | keypaths conf-inspect | sort -u >"$T/keys"
	[ "$(cut -f1 "$T/keys" | sort -u | wc -l)" -ge 36 ]
	run undocumented "$T/keys"
	assert_success
	assert_output ""
}

@test "conf-diff -j, conf-lint -j, conf-seedcheck -j, conf-anon --scan, conf-concat -P: every key is documented" {
	: >"$T/empty"
	# changes of every action and flag: the corpus's pairs (a sample), all dropped, an enum's new value
	{
		find "$CORPUS"/diff-pairs -name old.sql | sort | awk 'NR % 16 == 0' | while read -r f; do
			conf-parse -m "$f" >"$T/o" 2>/dev/null || true
			conf-parse -m "${f%old.sql}new.sql" >"$T/n" 2>/dev/null || true
			conf-diff -j --skip-unmodeled "$T/o" "$T/n" 2>/dev/null || true
			conf-diff -j --skip-unmodeled "$T/n" "$T/empty" 2>/dev/null || true
		done
		echo "CREATE TYPE m AS ENUM ('a');" | conf-parse -m - >"$T/o"
		echo "CREATE TYPE m AS ENUM ('a', 'b');" | conf-parse -m - >"$T/n"
		conf-diff -j "$T/o" "$T/n"
	} | keypaths conf-diff >"$T/keys"
	find "$CORPUS"/lint/cases -name '*.sql' -print0 | { xargs -0 conf-lint -j 2>/dev/null || true; } | keypaths conf-lint >>"$T/keys"
	cp -r "$REPO"/tests/fixtures/seed "$T/seed"
	(
		cd "$T/seed"
		sed -i '2s/tb_category/tb_categories/' db/seeds/01_category.sql
		conf-concat -C . -e local -S | conf-parse -m - >model.jsonl
		conf-seedcheck -p -m model.jsonl -l 3 -j db/seeds/*.sql || true
	) | keypaths conf-seedcheck >>"$T/keys"
	echo 'CREATE TABLE users (id int, email text, last_ip inet);' | conf-parse -m - | { conf-anon --scan || true; } | keypaths conf-anon >>"$T/keys"
	# the environment, also with a database_url whose variable is not set
	mkdir -p "$T/env/db/environments"
	printf 'database_url: postgresql:///x_${FORMATS_UNSET}\ninclude_dirs: [db/schema]\n' >"$T/env/db/environments/e.yaml"
	{
		conf-concat -C "$REPO/examples/basic" -e local -P
		(unset FORMATS_UNSET; conf-concat -C "$T/env" -e e -P)
	} | keypaths conf-concat >>"$T/keys"
	sort -u "$T/keys" -o "$T/keys"
	assert_equal "$(cut -f1 "$T/keys" | sort -u | tr '\n' ' ')" "change conf-concat lint_finding pii seed_finding "
	for k in 'change	commit' 'change	needs' 'conf-concat	database_url' 'conf-concat	database_url_unset'; do
		grep -qx "$k" "$T/keys" || fail "no $k in the output"
	done
	run undocumented "$T/keys"
	assert_success
	assert_output ""
}

@test "conf-migrate -j and conf-fleet: every key of their records is documented" {
	new_db
	P=$T/p
	mkdir -p "$P/db/migrations" "$P/db/environments"
	printf 'database_url: %s\n' "$DBURL" >"$P/db/environments/local.yaml"
	M=$P/db/migrations
	# every record and state: pending, would apply, not tried (outside a transaction), failed,
	# applied, verified, current, would revert, reverted, would baseline
	echo 'CREATE TABLE a (id int);' >"$M/001_a.up.sql"
	echo 'DROP TABLE a;' >"$M/001_a.down.sql"
	echo 'SELECT 1 FROM a;' >"$M/001_a.verify.sql"
	echo 'CREATE INDEX CONCURRENTLY ix ON a (id);' >"$M/002_ix.up.sql"
	echo 'DROP INDEX ix;' >"$M/002_ix.down.sql"
	echo 'SELECT nosuch();' >"$M/003_bad.up.sql"
	cm() { conf-migrate -C "$P" -e local -j "$@" 2>/dev/null || true; }
	{
		cm status
		cm up -n
		cm up
		cm verify
		cm current
		cm status
		cm down -n
		cm down -s 2
		cm baseline -n -T 002
	} | keypaths conf-migrate >"$T/keys"
	printf '%s\n' "$DBURL" >"$P/targets"
	{
		conf-fleet -C "$P" -e local -f "$P/targets" up 2>/dev/null || true
		conf-fleet -C "$P" -e local -f "$P/targets" status 2>/dev/null || true
	} | keypaths conf-fleet >>"$T/keys"
	sort -u "$T/keys" -o "$T/keys"
	assert_equal "$(cut -f1 "$T/keys" | sort -u | tr '\n' ' ')" "current fleet_run migration verification "
	# both modes of conf-fleet, and the records of a failed and of a not tried migration, were seen
	for k in 'fleet_run	before' 'fleet_run	pending' 'fleet_run	message' 'migration	exit' 'migration	reason'; do
		grep -qx "$k" "$T/keys" || fail "no $k in the output"
	done
	run undocumented "$T/keys"
	assert_success
	assert_output ""
}
