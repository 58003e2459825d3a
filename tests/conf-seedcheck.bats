#!/usr/bin/env bats
# conf-seedcheck: seed data in five levels, on the prep-seed fixture and one broken copy per pattern

load helper

FIX=$REPO/tests/fixtures/seed
P1=db/seeds/01_category.sql
P2=db/seeds/02_product.sql
RC=db/schema/30_resolvers/fn_resolve_tb_category.sql
RP=db/schema/30_resolvers/fn_resolve_tb_product.sql

# broken FILE SEDSCRIPT: a copy of the fixture with one file changed, its schema stream and model built
broken() {
	P=$BATS_TEST_TMPDIR/p
	rm -rf "$P"
	cp -r "$FIX" "$P"
	cd "$P"
	[ -z "${1:-}" ] || sed -i "$2" "$1"
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
}

# check LEVEL [option ...]: the copy's seeds checked up to LEVEL (4 and 5 in a scratch database
# of the test cluster, the schema loaded in the check's own transaction)
check() {
	local l=$1
	shift
	if [ "$l" -ge 4 ]; then
		need_db
		run conf-seedcheck -p -m model.jsonl -l "$l" -S stream.sql -d "host=$PGHOST port=$PGPORT user=postgres dbname=postgres" "$@" db/seeds/*.sql
	else
		run conf-seedcheck -p -m model.jsonl -l "$l" "$@" db/seeds/*.sql
	fi
}

@test "the clean fixture reports nothing at any level" {
	broken
	for l in 1 2 3 4 5; do
		check "$l"
		assert_success
		assert_output ""
	done
	check 5 --mode comprehensive -j
	assert_success
	assert_output ""
}

@test "level 1: PREP_SEED_TARGET_MISMATCH, for INSERT and COPY, judged once" {
	broken $P2 's/prep_seed.tb_product/catalog.tb_product/'
	check 1
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/02_product.sql:1:13: ERROR: PREP_SEED_TARGET_MISMATCH: INSERT into catalog.tb_product: seeds go to schema prep_seed
db/seeds/02_product.sql:7:6: ERROR: PREP_SEED_TARGET_MISMATCH: COPY into catalog.tb_product: seeds go to schema prep_seed
EOF
}

@test "level 1: INVALID_FK_NAMING (a warning: exit 0)" {
	broken db/schema/10_prep/tb_product.sql 's/fk_category_id/fk_category/'
	sed -i 's/fk_category_id/fk_category/' $P2
	check 1
	assert_success
	assert_output - <<'EOF'
db/seeds/02_product.sql:1:39: WARNING: INVALID_FK_NAMING: foreign-key column fk_category of a prep table is named without the _id suffix
db/seeds/02_product.sql:7:6: WARNING: INVALID_FK_NAMING: foreign-key column fk_category of a prep table is named without the _id suffix
EOF
}

@test "level 1: INVALID_UUID_FORMAT, in VALUES and in COPY data" {
	broken $P2 '2s/000000000001/00000000001/; 9s/^aaaaaaaa-0000/aaaaaaaa-000g/'
	check 1
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/02_product.sql:2:6: ERROR: INVALID_UUID_FORMAT: column id: 'aaaaaaaa-0000-4000-8000-00000000001' is not a UUID
db/seeds/02_product.sql:9:1: ERROR: INVALID_UUID_FORMAT: column id: 'aaaaaaaa-000g-4000-8000-000000000005' is not a UUID
EOF
}

@test "level 1: COLUMN_VALUE_MISMATCH, in VALUES and in COPY data" {
	broken $P2 '3s/, 0.55)/)/; 9s/$/\textra/'
	check 1
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/02_product.sql:3:5: ERROR: COLUMN_VALUE_MISMATCH: 3 values for 4 columns
db/seeds/02_product.sql:9:1: ERROR: COLUMN_VALUE_MISMATCH: 5 values for 4 columns
EOF
}

@test "level 1: LITERAL_TYPE_MISMATCH against the model's column type" {
	broken $P2 "4s/4.10)/'cheap')/"
	check 1
	assert_failure 1
	assert_output "db/seeds/02_product.sql:4:99: ERROR: LITERAL_TYPE_MISMATCH: column price is numeric(10,2): 'cheap' does not fit it"
}

@test "level 1: DOUBLE_SEMICOLON at the extra ';', across a comment and lines" {
	broken $P2 '5s/;/; -- twice\n\n  ;/'
	check 1
	assert_success
	assert_output "db/seeds/02_product.sql:7:3: WARNING: DOUBLE_SEMICOLON: an empty statement: a ';' after the statement's own"
	# after a file's last statement too
	broken $P1 '$s/;$/;;/'
	check 1
	assert_success
	assert_output "db/seeds/01_category.sql:6:29: WARNING: DOUBLE_SEMICOLON: an empty statement: a ';' after the statement's own"
}

@test "level 1: MISSING_ON_CONFLICT into a table with a unique key" {
	broken $P1 's/ON CONFLICT (id) DO NOTHING//'
	check 1
	assert_success
	assert_output "db/seeds/01_category.sql:2:1: WARNING: MISSING_ON_CONFLICT: INSERT into tb_category without ON CONFLICT: the table has a unique key, a second run fails"
}

@test "level 1: NON_INSERT_STATEMENT; setval, SET and a transaction block are seed statements" {
	broken $P2 '$a DELETE FROM prep_seed.tb_product;\nBEGIN;\nSET search_path = prep_seed;\nSELECT pg_catalog.setval('"'s'"', 1);\nCOMMIT;'
	check 1
	assert_failure 1
	assert_output "db/seeds/02_product.sql:11:1: ERROR: NON_INSERT_STATEMENT: a seed file holds INSERT and COPY statements, not DeleteStmt"
}

@test "level 1: UNKNOWN_TABLE and UNKNOWN_COLUMN from the model" {
	broken $P1 '2s/tb_category/tb_categories/'
	sed -i '1s/name/nom/' $P2
	check 1
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/01_category.sql:2:13: ERROR: UNKNOWN_TABLE: table prep_seed.tb_categories is not in the schema
db/seeds/02_product.sql:1:55: ERROR: UNKNOWN_COLUMN: table tb_product has no column nom
EOF
}

@test "level 1: UNION_TYPE_MISMATCH, UNION_UNCAST_NULL and UNION_INLINE_COMMENT in INSERT ... SELECT" {
	broken
	cat >db/seeds/03_union.sql <<'EOF'
INSERT INTO prep_seed.tb_category (id, fk_parent_id, name)
SELECT '44444444-4444-4444-8444-444444444444'::uuid, NULL, 'Nuts'
UNION ALL -- the seeds, 'union all -- not this one'
SELECT '55555555-5555-4555-8555-555555555555'::text, NULL::uuid, 'Seeds'
ON CONFLICT (id) DO NOTHING;
EOF
	check 1
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/03_union.sql:4:8: ERROR: UNION_TYPE_MISMATCH: UNION branch 2, column 1 is text, an earlier branch's is uuid
db/seeds/03_union.sql:2:54: WARNING: UNION_UNCAST_NULL: a bare NULL in UNION branch 1, column 2: its type is guessed
db/seeds/03_union.sql:3:11: WARNING: UNION_INLINE_COMMENT: a comment after UNION on the same line
EOF
}

@test "level 1 without --prep-seed: any layout; the general checks stay" {
	broken $P2 's/prep_seed.tb_product/catalog.tb_product/'
	run conf-seedcheck -m model.jsonl -l 1 db/seeds/*.sql
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/02_product.sql:1:37: ERROR: UNKNOWN_COLUMN: table tb_product has no column fk_category_id
db/seeds/02_product.sql:7:6: ERROR: UNKNOWN_COLUMN: table tb_product has no column fk_category_id
EOF
	run conf-seedcheck "$FIX"/$P1
	assert_success
	assert_output ""
}

@test "level 2: MISSING_FK_MAPPING: a prep table without its final table" {
	broken db/schema/20_catalog/tb_product.sql 's/catalog.tb_product/catalog.tb_products/'
	check 2
	assert_failure 1
	assert_output "db/schema/10_prep/tb_product.sql:1:1: ERROR: MISSING_FK_MAPPING: prep table prep_seed.tb_product has no final table catalog.tb_product"
}

@test "level 2: MISSING_FK_MAPPING: a UUID foreign key without its BIGINT one" {
	broken db/schema/20_catalog/tb_product.sql 's/fk_category BIGINT/fk_category UUID/'
	check 2
	assert_failure 1
	assert_output "db/schema/10_prep/tb_product.sql:1:1: ERROR: MISSING_FK_MAPPING: prep_seed.tb_product.fk_category_id is uuid and catalog.tb_product.fk_category is uuid: UUID maps to BIGINT"
	broken db/schema/20_catalog/tb_product.sql 's/fk_category BIGINT/fk_categ BIGINT/'
	check 2
	assert_failure 1
	assert_output "db/schema/10_prep/tb_product.sql:1:1: ERROR: MISSING_FK_MAPPING: prep_seed.tb_product.fk_category_id has no BIGINT column fk_category in catalog.tb_product"
}

@test "level 2: MISSING_FK_MAPPING: the trinity (a warning)" {
	broken db/schema/20_catalog/tb_product.sql 's/pk_product/pk_prod/'
	check 2
	assert_success
	assert_output "db/schema/20_catalog/tb_product.sql:1:1: WARNING: MISSING_FK_MAPPING: final table catalog.tb_product lacks the trinity: id UUID and pk_product BIGINT"
}

@test "level 2: MISSING_SELF_REFERENCE_HANDLING: one pass, or a NOT NULL parent" {
	broken $RC '/UPDATE/,/WHERE/d'
	check 2
	assert_success
	assert_output "db/schema/30_resolvers/fn_resolve_tb_category.sql:2:1: WARNING: MISSING_SELF_REFERENCE_HANDLING: catalog.tb_category.fk_parent references its own table: the resolver sets it in one pass"
	broken db/schema/20_catalog/tb_category.sql 's/fk_parent BIGINT/fk_parent BIGINT NOT NULL/'
	check 2
	assert_output "db/schema/20_catalog/tb_category.sql:2:1: WARNING: MISSING_SELF_REFERENCE_HANDLING: catalog.tb_category.fk_parent references its own table: it is NOT NULL, so a row cannot come before its parent"
}

@test "level 3: SCHEMA_DRIFT_IN_RESOLVER (CRITICAL), written and read, at the line of the name" {
	broken $RP 's/INSERT INTO catalog.tb_product/INSERT INTO public.tb_product/; s/FROM prep_seed.tb_product p/FROM staging.tb_product p/'
	check 3 -j
	assert_failure 1
	assert_output - <<'EOF'
{"kind":"seed_finding","level":3,"severity":"CRITICAL","pattern":"SCHEMA_DRIFT_IN_RESOLVER","message":"fn_resolve_tb_product writes public.tb_product: a resolver writes the final schema only","file":"db/schema/30_resolvers/fn_resolve_tb_product.sql","line":4,"col":null,"suggestion":"write catalog.tb_product","fixable":true}
{"kind":"seed_finding","level":3,"severity":"CRITICAL","pattern":"SCHEMA_DRIFT_IN_RESOLVER","message":"fn_resolve_tb_product reads staging.tb_product: a resolver reads the prep and final schemas only","file":"db/schema/30_resolvers/fn_resolve_tb_product.sql","line":6,"col":null,"suggestion":"write prep_seed.tb_product","fixable":true}
EOF
}

@test "level 3: MISSING_FK_TRANSFORMATION: a UUID foreign key copied without a join" {
	broken $RP 's/c.pk_category/NULL/; /LEFT JOIN/d; s/FROM prep_seed.tb_product p/FROM prep_seed.tb_product p;/'
	check 3
	assert_failure 1
	assert_output "db/schema/30_resolvers/fn_resolve_tb_product.sql:4: ERROR: MISSING_FK_TRANSFORMATION: fn_resolve_tb_product does not join prep_seed.tb_product.fk_category_id to turn it into fk_category"
}

@test "level 3: MISSING_RESOLVER_FUNCTION" {
	broken $RP 's/fn_resolve_tb_product/fn_load_tb_product/'
	check 3
	assert_failure 1
	assert_output "db/schema/10_prep/tb_product.sql:1:1: ERROR: MISSING_RESOLVER_FUNCTION: prep table prep_seed.tb_product has no resolver fn_resolve_tb_product"
}

@test "a CRITICAL finding stops before the database levels, unless --no-stop-on-critical" {
	broken $RP 's/INSERT INTO catalog.tb_product/INSERT INTO public.tb_product/'
	check 5 --separate-stderr 2>/dev/null || true
	run --separate-stderr conf-seedcheck -p -m model.jsonl -l 5 -S stream.sql -d "host=$PGHOST port=$PGPORT user=postgres dbname=postgres" db/seeds/*.sql
	assert_failure 1
	assert_equal "$stderr" "conf-seedcheck: stopped after level 3: CRITICAL findings"
	assert_output "db/schema/30_resolvers/fn_resolve_tb_product.sql:4: CRITICAL: SCHEMA_DRIFT_IN_RESOLVER: fn_resolve_tb_product writes public.tb_product: a resolver writes the final schema only"
	check 4 --no-stop-on-critical
	assert_failure 1
	assert_line --index 1 'db/schema/30_resolvers/fn_resolve_tb_product.sql:1:1: ERROR: RESOLVER_ERROR: "prep_seed"."fn_resolve_tb_product"() fails: ERROR 42P01: relation "public.tb_product" does not exist'
}

@test "level 4: the database's tables and column types against the model; nothing loaded with -d alone" {
	broken db/schema/20_catalog/tb_product.sql 's/fk_category BIGINT/fk_category INTEGER/'
	new_db
	conf-apply -d "$DBURL" stream.sql 2>/dev/null
	broken
	run conf-seedcheck -p -m model.jsonl -l 4 -d "$DBURL" db/seeds/*.sql
	assert_failure 1
	assert_output "db/schema/20_catalog/tb_product.sql:1:1: ERROR: MISSING_FK_MAPPING: column catalog.tb_product.fk_category is integer in the database, bigint in the schema"
	[ "$(q 'SELECT count(*) FROM prep_seed.tb_product')" = 0 ]
}

@test "level 4: RESOLVER_ERROR: a resolver that fails in its savepoint, reported once at level 5" {
	broken $RP 's/p.name, p.price/p.nme, p.price/'
	check 5
	assert_failure 1
	assert_output 'db/schema/30_resolvers/fn_resolve_tb_product.sql:1:1: ERROR: RESOLVER_ERROR: "prep_seed"."fn_resolve_tb_product"() fails: ERROR 42703: column p.nme does not exist'
}

@test "level 5: a misspelled UUID reference: NULL_FK_AFTER_RESOLUTION at the seed row, VALUES and COPY" {
	broken $P2 's/33333333-3333-4333-8333-333333333333/33333333-3333-4333-8333-333333333334/'
	check 4
	assert_success
	assert_output ""
	check 5
	assert_failure 1
	assert_output - <<'EOF'
db/seeds/02_product.sql:4:5: CRITICAL: NULL_FK_AFTER_RESOLUTION: row aaaaaaaa-0000-4000-8000-000000000003: catalog.tb_product.fk_category is NULL after resolution (fk_category_id = '33333333-3333-4333-8333-333333333334' names no row)
db/seeds/02_product.sql:8:1: CRITICAL: NULL_FK_AFTER_RESOLUTION: row aaaaaaaa-0000-4000-8000-000000000004: catalog.tb_product.fk_category is NULL after resolution (fk_category_id = '33333333-3333-4333-8333-333333333334' names no row)
EOF
	check 5 -j
	assert_line --index 0 '{"kind":"seed_finding","level":5,"severity":"CRITICAL","pattern":"NULL_FK_AFTER_RESOLUTION","message":"row aaaaaaaa-0000-4000-8000-000000000003: catalog.tb_product.fk_category is NULL after resolution (fk_category_id = '"'33333333-3333-4333-8333-333333333334'"' names no row)","file":"db/seeds/02_product.sql","line":4,"col":5,"suggestion":null,"fixable":false}'
}

@test "level 5: nothing is left behind: the scratch database of -S is dropped" {
	broken $P2 's/33333333-3333-4333-8333-333333333333/33333333-3333-4333-8333-333333333334/'
	check 5
	assert_failure 1
	[ "$(psql -XAt -d postgres -c "SELECT count(*) FROM pg_namespace WHERE nspname IN ('prep_seed', 'catalog')")" = 0 ]
	[ "$(psql -XAt -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_seedcheck%'")" = 0 ]
}

@test "level 5: MISSING_ROW_AFTER_RESOLUTION: an inner join drops the row of a misspelled UUID" {
	broken $RP 's/LEFT JOIN/JOIN/'
	sed -i '4s/33333333-3333-4333-8333-333333333333/33333333-3333-4333-8333-333333333334/' $P2
	check 5
	assert_failure 1
	assert_output "db/seeds/02_product.sql:4:5: ERROR: MISSING_ROW_AFTER_RESOLUTION: row aaaaaaaa-0000-4000-8000-000000000003: not in catalog.tb_product after resolution"
}

@test "level 5: UNIQUE_CONSTRAINT_VIOLATION at the duplicate row: in a resolver, and dropped by ON CONFLICT" {
	broken $P1 "s/'Berries'/'Citrus'/"
	check 5
	assert_failure 1
	assert_output 'db/seeds/01_category.sql:5:5: ERROR: UNIQUE_CONSTRAINT_VIOLATION: "prep_seed"."fn_resolve_tb_category"() fails: ERROR 23505: duplicate key value violates unique constraint "tb_category_name_key" (Key (name)=(Citrus) already exists.)'
	broken $P2 "3s/000000000002/000000000001/"
	check 5
	assert_failure 1
	assert_output "db/seeds/02_product.sql:3:5: ERROR: UNIQUE_CONSTRAINT_VIOLATION: row aaaaaaaa-0000-4000-8000-000000000001: the id is seeded already at db/seeds/02_product.sql:2, and ON CONFLICT drops this row"
}

@test "level 5: CHECK_CONSTRAINT_VIOLATION and NOT_NULL_VIOLATION at the row the server names" {
	broken $P2 "s/'Orange', 0.55/'Orange', -0.55/"
	check 5
	assert_failure 1
	assert_output 'db/seeds/02_product.sql:3:5: ERROR: CHECK_CONSTRAINT_VIOLATION: "prep_seed"."fn_resolve_tb_product"() fails: ERROR 23514: new row for relation "tb_product" violates check constraint "tb_product_price_check" (Failing row contains (2, aaaaaaaa-0000-4000-8000-000000000002, 2, Orange, -0.55).)'
	broken $P2 "s/'Orange', 0.55/NULL, 0.55/"
	check 5
	assert_failure 1
	assert_output 'db/seeds/02_product.sql:3:5: ERROR: NOT_NULL_VIOLATION: ERROR 23502: null value in column "name" of relation "tb_product" violates not-null constraint (Failing row contains (aaaaaaaa-0000-4000-8000-000000000002, 22222222-2222-4222-8222-222222222222, null, 0.55).)'
}

@test "level 5: --mode standard lists ten rows per check, comprehensive every one" {
	broken
	{
		echo 'INSERT INTO prep_seed.tb_product (id, fk_category_id, name, price) VALUES'
		for i in $(seq 10 21); do
			echo "    ('bbbbbbbb-0000-4000-8000-0000000000$i', '99999999-9999-4999-8999-999999999999', 'P$i', 1)$([ "$i" = 21 ] || echo ,)"
		done
		echo 'ON CONFLICT (id) DO NOTHING;'
	} >db/seeds/03_more.sql
	check 5
	assert_failure 1
	assert_equal "${#lines[@]}" 11
	assert_line --index 9 --partial 'db/seeds/03_more.sql:11:5: CRITICAL: NULL_FK_AFTER_RESOLUTION: row bbbbbbbb-0000-4000-8000-000000000019:'
	assert_line --index 10 'db/schema/10_prep/tb_product.sql:1:1: CRITICAL: NULL_FK_AFTER_RESOLUTION: 2 more rows of prep_seed.tb_product'
	check 5 --mode comprehensive
	assert_equal "${#lines[@]}" 12
	assert_line --index 11 --partial 'db/seeds/03_more.sql:13:5: CRITICAL:'
}

@test "a conf-concat stream: only its seed files are checked, at their own lines" {
	broken $P2 's/000000000001/00000000001/'
	# a schema file's COPY data is passed over, not checked
	printf 'CREATE TABLE public.lookup (a int);\nCOPY public.lookup FROM stdin;\n1\nnot a uuid\n\\.\n' >>db/schema/00_schemas/schemas.sql
	conf-concat -C . -e local >all.sql
	run conf-seedcheck -p -m model.jsonl -l 3 all.sql
	assert_failure 1
	assert_output "db/seeds/02_product.sql:2:6: ERROR: INVALID_UUID_FORMAT: column id: 'aaaaaaaa-0000-4000-8000-00000000001' is not a UUID"
	run conf-seedcheck -p -m model.jsonl -l 3 - <all.sql
	assert_failure 1
	assert_output "db/seeds/02_product.sql:2:6: ERROR: INVALID_UUID_FORMAT: column id: 'aaaaaaaa-0000-4000-8000-00000000001' is not a UUID"
}

@test "schema names from the environment's seed: section, and options over it" {
	broken db/environments/local.yaml 's/prep_seed_schema: prep_seed/prep_seed_schema: staging/'
	run conf-seedcheck -p -m model.jsonl -l 1 -e local db/seeds/01_category.sql
	assert_failure 1
	assert_output "db/seeds/01_category.sql:2:13: ERROR: PREP_SEED_TARGET_MISMATCH: INSERT into prep_seed.tb_category: seeds go to schema staging"
	run conf-seedcheck -p -m model.jsonl -l 1 -e local --prep-schema prep_seed db/seeds/01_category.sql
	assert_success
	printf '  tables_to_validate: [tb_category]\n' >>db/environments/local.yaml
	sed -i 's/fk_category BIGINT/fk_categ BIGINT/' db/schema/20_catalog/tb_product.sql
	conf-concat -C . -e local -S | conf-parse -m >model.jsonl
	run conf-seedcheck -p -m model.jsonl -l 2 -e local --prep-schema prep_seed db/seeds/*.sql
	assert_success
	assert_output ""
}

@test "--catalog-schema and -t: the final schema's name, and the prep tables checked" {
	broken
	sed -i 's/catalog\./final./g; s/SCHEMA catalog/SCHEMA final/' db/schema/*/*.sql
	conf-concat -C . -e local -S | conf-parse -m >model.jsonl
	run conf-seedcheck -p -m model.jsonl -l 3 --catalog-schema final db/seeds/*.sql
	assert_success
	assert_output ""
	run conf-seedcheck -p -m model.jsonl -l 2 db/seeds/*.sql
	assert_failure 1
	assert_output - <<'EOF'
db/schema/10_prep/tb_category.sql:2:1: ERROR: MISSING_FK_MAPPING: prep table prep_seed.tb_category has no final table catalog.tb_category
db/schema/10_prep/tb_product.sql:1:1: ERROR: MISSING_FK_MAPPING: prep table prep_seed.tb_product has no final table catalog.tb_product
EOF
	run conf-seedcheck -p -m model.jsonl -l 2 -t tb_product db/seeds/*.sql
	assert_failure 1
	assert_output "db/schema/10_prep/tb_product.sql:1:1: ERROR: MISSING_FK_MAPPING: prep table prep_seed.tb_product has no final table catalog.tb_product"
}

@test "a syntax error in a seed: file:line:col on stderr, exit 4" {
	broken $P2 "3s/'Orange',/'Orange',,/"
	run --separate-stderr conf-seedcheck -p -m model.jsonl -l 1 db/seeds/*.sql
	assert_failure 4
	assert_equal "$stderr" 'conf-seedcheck: db/seeds/02_product.sql:3:95: syntax error at or near ","'
	assert_output ""
}

@test "usage errors exit 5; an unreachable server exits 3" {
	run --separate-stderr conf-seedcheck -l 6 /dev/null
	assert_failure 5
	assert_equal "$stderr" "conf-seedcheck: -l wants a level from 1 to 5, not 6"
	run --separate-stderr conf-seedcheck -p -l 2 /dev/null
	assert_failure 5
	assert_equal "$stderr" "conf-seedcheck: levels 2 to 5 of the prep-seed checks need the schema model: -m (conf-parse -m of db/schema)"
	# without a model the default level is 1
	run --separate-stderr conf-seedcheck -p /dev/null
	assert_success
	run --separate-stderr conf-seedcheck --mode quick /dev/null
	assert_failure 5
	run --separate-stderr conf-seedcheck -l 4 -d "host=$BATS_TEST_TMPDIR port=1 connect_timeout=1" /dev/null
	assert_failure 3
}

@test "-w: INSERT ... VALUES of literals as COPY, escaped; others as written" {
	cat >"$BATS_TEST_TMPDIR/s.sql" <<'SQL'
INSERT INTO prep_seed.tb_category (id, fk_parent_id, name) VALUES
    ('11111111-1111-4111-8111-111111111111', NULL, E'tab\there'),
    ('22222222-2222-4222-8222-222222222222', NULL::uuid, 'back\slash'),
    ('33333333-3333-4333-8333-333333333333', NULL, E'two\nlines');
INSERT INTO app.t (a, b, "Order") VALUES (-1, true, 1.50), (- 2, false, 0);
INSERT INTO app.t (a, b) VALUES (1, DEFAULT), (2, true);
INSERT INTO app.t (a, b) VALUES (1, 'x'), (2, 'y') ON CONFLICT DO NOTHING;
INSERT INTO app.t (a) VALUES (1);
SQL
	run --separate-stderr conf-seedcheck -w 2 - <"$BATS_TEST_TMPDIR/s.sql"
	assert_success
	assert_output - <<'SQL'
COPY "prep_seed"."tb_category" ("id", "fk_parent_id", "name") FROM stdin;
11111111-1111-4111-8111-111111111111	\N	tab\there
22222222-2222-4222-8222-222222222222	\N	back\\slash
33333333-3333-4333-8333-333333333333	\N	two\nlines
\.
COPY "app"."t" ("a", "b", "Order") FROM stdin;
-1	true	1.50
-2	false	0
\.
INSERT INTO app.t (a, b) VALUES (1, DEFAULT), (2, true);
INSERT INTO app.t (a, b) VALUES (1, 'x'), (2, 'y') ON CONFLICT DO NOTHING;
INSERT INTO app.t (a) VALUES (1);
SQL
}

@test "confiture seed validate: static levels by default, --full-execution in a scratch database" {
	broken $P2 's/33333333-3333-4333-8333-333333333333/33333333-3333-4333-8333-333333333334/'
	run confiture seed validate --prep-seed
	assert_success
	assert_output ""
	need_db
	export CONFITURE_DATABASE_URL="host=$PGHOST port=$PGPORT user=postgres dbname=postgres"
	run confiture seed validate --prep-seed --full-execution --format json
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial '"pattern":"NULL_FK_AFTER_RESOLUTION","message":"row aaaaaaaa-0000-4000-8000-000000000003:'
	assert_line --index 0 --partial '"file":"db/seeds/02_product.sql","line":4,"col":5,'
	run --separate-stderr confiture seed validate --static-only --level 4
	assert_failure 5
	assert_equal "$stderr" "confiture: --static-only runs levels 1 to 3, not 4"
}

@test "confiture seed apply: the seeds into a database with its schema, long lists as COPY" {
	broken $P1 's/ON CONFLICT (id) DO NOTHING//'
	new_db
	conf-apply -d "$DBURL" stream.sql 2>/dev/null
	run --separate-stderr confiture seed apply --copy-threshold 3 --database-url "$DBURL"
	assert_success
	# the 3 rows of categories went as COPY; the products' INSERT has ON CONFLICT, which COPY lacks
	[[ $stderr =~ ^conf-apply:\ 3\ statements,\ 2\ COPY\ blocks\ \(5\ rows\)\ in\ [0-9.]+\ s$ ]]
	[ "$(q 'SELECT count(*) FROM prep_seed.tb_product')" = 5 ]
	[ "$(q 'SELECT count(*) FROM prep_seed.tb_category')" = 3 ]
	# a second time the COPY of the categories fails: at the seed file's line, through the markers -w writes
	run --separate-stderr confiture seed apply --copy-threshold 3 --database-url "$DBURL"
	assert_failure 1
	assert_equal "${stderr%%$'\n'*}" 'conf-apply: db/seeds/01_category.sql:3:1: ERROR 23505: duplicate key value violates unique constraint "tb_category_pkey"'
	conf-seedcheck -w 3 --markers db/seeds/*.sql >out.sql
	assert_equal "$(grep -c '^-- confiture:file ' out.sql)" 3
	assert_equal "$(head -1 out.sql)" "-- confiture:file db/seeds/01_category.sql sha256=$(sha256sum <$P1 | cut -c1-64) line=2"
}

@test "confiture seed convert: --input to --output" {
	broken
	sed -i 's/ON CONFLICT (id) DO NOTHING//' $P2
	run --separate-stderr confiture seed convert --input $P2 --output out.sql
	assert_success
	assert_equal "$stderr" "confiture: wrote out.sql"
	assert_equal "$(head -2 out.sql)" "$(printf '%s\n' 'COPY "prep_seed"."tb_product" ("id", "fk_category_id", "name", "price") FROM stdin;' \
		'aaaaaaaa-0000-4000-8000-000000000001	22222222-2222-4222-8222-222222222222	Lemon	0.40')"
	assert_equal "$(grep -c '^COPY' out.sql)" 2
}

@test "--fix: SCHEMA_DRIFT_IN_RESOLVER as a patch that applies; --in-place into the files" {
	broken $RP 's/INSERT INTO catalog.tb_product/INSERT INTO public.tb_product/; s/FROM prep_seed.tb_product p/FROM staging.tb_product p/'
	run --separate-stderr conf-seedcheck -p -m model.jsonl -l 3 --fix fix.patch db/seeds/*.sql
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" "conf-seedcheck: 2 fixes written to fix.patch"
	assert_equal "$(cat fix.patch)" "$(cat <<'PATCH'
--- a/db/schema/30_resolvers/fn_resolve_tb_product.sql
+++ b/db/schema/30_resolvers/fn_resolve_tb_product.sql
@@ -4 +4 @@
-    INSERT INTO public.tb_product (id, fk_category, name, price)
+    INSERT INTO catalog.tb_product (id, fk_category, name, price)
@@ -6 +6 @@
-    FROM staging.tb_product p
+    FROM prep_seed.tb_product p
PATCH
)"
	cp $RP before.sql
	patch -s -p1 <fix.patch
	cmp $RP "$FIX/$RP"
	cp before.sql $RP
	run confiture seed validate --prep-seed --fix --in-place
	assert_failure 1
	cmp $RP "$FIX/$RP"
	run confiture seed validate --prep-seed
	assert_success
	assert_output ""
	run --separate-stderr conf-seedcheck -l 2 -p -m model.jsonl --fix x db/seeds/*.sql
	assert_failure 5
}

@test "level 5: a row is placed at its '(' also when its first value is cast" {
	broken
	cat >db/seeds/03_cast.sql <<'SQL'
INSERT INTO prep_seed.tb_product (id, fk_category_id, name, price) VALUES
  ('bbbbbbbb-0000-4000-8000-000000000001'::uuid, '11111111-1111-4111-8111-111111111111'::uuid, 'Pear', 1),
    ( 'bbbbbbbb-0000-4000-8000-000000000002'::uuid, '11111111-1111-4111-8111-11111111111f'::uuid, 'Fig', 2)
ON CONFLICT (id) DO NOTHING;
SQL
	check 5
	assert_failure 1
	assert_output "db/seeds/03_cast.sql:3:5: CRITICAL: NULL_FK_AFTER_RESOLUTION: row bbbbbbbb-0000-4000-8000-000000000002: catalog.tb_product.fk_category is NULL after resolution (fk_category_id = '11111111-1111-4111-8111-11111111111f' names no row)"
}

@test "the seed: section: a value that is not a string is an error at its place" {
	broken
	sed -i 's/catalog_schema: catalog/catalog_schema: [a, b]/' db/environments/local.yaml
	run --separate-stderr conf-seedcheck -p -m model.jsonl -e local db/seeds/*.sql
	assert_failure 5
	assert_equal "$stderr" "conf-seedcheck: db/environments/local.yaml:9:19: seed.catalog_schema must be a string"
}

@test "--fix: MISSING_FK_TRANSFORMATION of a copied UUID: a LEFT JOIN and its key; the fixed resolver is clean at level 5" {
	broken $RP 's/c.pk_category/p.fk_category_id/; /LEFT JOIN/d; s/FROM prep_seed.tb_product p/FROM prep_seed.tb_product AS p;/'
	run --separate-stderr conf-seedcheck -p -m model.jsonl -l 3 -j --fix fix.patch db/seeds/*.sql
	assert_failure 1
	assert_output '{"kind":"seed_finding","level":3,"severity":"ERROR","pattern":"MISSING_FK_TRANSFORMATION","message":"fn_resolve_tb_product does not join prep_seed.tb_product.fk_category_id to turn it into fk_category","file":"db/schema/30_resolvers/fn_resolve_tb_product.sql","line":4,"col":null,"suggestion":"LEFT JOIN catalog.tb_category ON tb_category.id = p.fk_category_id, and insert its pk_category as fk_category","fixable":true}'
	assert_equal "$(cat fix.patch)" "$(cat <<'PATCH'
--- a/db/schema/30_resolvers/fn_resolve_tb_product.sql
+++ b/db/schema/30_resolvers/fn_resolve_tb_product.sql
@@ -5 +5 @@
-    SELECT p.id, p.fk_category_id, p.name, p.price
+    SELECT p.id, r_category.pk_category, p.name, p.price
@@ -6 +6 @@
-    FROM prep_seed.tb_product AS p;
+    FROM prep_seed.tb_product AS p LEFT JOIN catalog.tb_category r_category ON r_category.id = p.fk_category_id;
PATCH
)"
	patch -s -p1 <fix.patch
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
	check 5
	assert_success
	assert_output ""
	# a form it does not know (the value is not the prep column) is reported, not fixed
	broken $RP 's/c.pk_category/NULL/; /LEFT JOIN/d; s/FROM prep_seed.tb_product p/FROM prep_seed.tb_product p;/'
	run conf-seedcheck -p -m model.jsonl -l 3 -j --fix fix.patch db/seeds/*.sql
	assert_output --partial '"fixable":false}'
	[ ! -s fix.patch ]
}

@test "level 5 against a database given: a seed's own BEGIN and COMMIT do not end the check's transaction" {
	broken $P2 '1i BEGIN;'
	printf 'COMMIT;\n' >>$P2
	new_db
	conf-apply -d "$DBURL" stream.sql 2>/dev/null
	run conf-seedcheck -p -m model.jsonl -l 5 -d "$DBURL" db/seeds/*.sql
	assert_success
	assert_output ""
	[ "$(q 'SELECT count(*) FROM prep_seed.tb_product') $(q 'SELECT count(*) FROM catalog.tb_product')" = "0 0" ]
}

@test "-S: a role that cannot create the scratch database: the server's error, exit 1" {
	need_db
	broken
	psql -XAtq -d postgres -c "DROP ROLE IF EXISTS seedcheck_nocreate" -c "CREATE ROLE seedcheck_nocreate LOGIN"
	run --separate-stderr conf-seedcheck -p -m model.jsonl -l 4 -S stream.sql -d "host=$PGHOST port=$PGPORT user=seedcheck_nocreate dbname=postgres" db/seeds/*.sql
	psql -XAtq -d postgres -c "DROP ROLE seedcheck_nocreate"
	assert_failure 1
	assert_equal "$stderr" "conf-seedcheck: ERROR 42501: permission denied to create database"
}

@test "level 3: RESOLVER_SYNTAX: a body that is not PL/pgSQL" {
	broken $RP 's/    INSERT INTO catalog.tb_product/    INSRT INTO catalog.tb_product/'
	# (a sanitizer build: libpg_query's own leak on this error path is suppressed, see the file)
	LSAN_OPTIONS=suppressions=$FIX/lsan.supp:print_suppressions=0 check 3
	assert_failure 1
	assert_output 'db/schema/30_resolvers/fn_resolve_tb_product.sql:1:1: ERROR: RESOLVER_SYNTAX: the body of fn_resolve_tb_product does not parse: "catalog.tb_product" is not a known variable'
}

@test "levels 4 and 5 on any layout: UNKNOWN_TABLE once, FOREIGN_KEY_VIOLATION at the row of the key" {
	broken
	cat >cat.sql <<'SQL'
INSERT INTO catalog.tb_category (id, name) VALUES ('11111111-1111-4111-8111-111111111119', 'X');
INSERT INTO catalog.tb_product (id, fk_category, name, price) VALUES
  ('aaaaaaaa-0000-4000-8000-000000000009', 1, 'Y', 1),
  ('aaaaaaaa-0000-4000-8000-000000000008', 42, 'Z', 1);
INSERT INTO catalog.tb_tag (id) VALUES (1);
INSERT INTO catalog.tb_tag (id) VALUES (2);
INSERT INTO catalog.tb_category (id, nom) VALUES ('11111111-1111-4111-8111-111111111118', 'X');
SQL
	need_db
	run conf-seedcheck -l 5 -S stream.sql -d "host=$PGHOST port=$PGPORT user=postgres dbname=postgres" cat.sql
	assert_failure 1
	assert_output - <<'OUT'
cat.sql:5:1: ERROR: UNKNOWN_TABLE: table catalog.tb_tag is not in the database
cat.sql:7:1: ERROR: UNKNOWN_COLUMN: column nom of tb_category is not in the database
cat.sql:4:3: ERROR: FOREIGN_KEY_VIOLATION: ERROR 23503: insert or update on table "tb_product" violates foreign key constraint "tb_product_fk_category_fkey" (Key (fk_category)=(42) is not present in table "tb_category".)
OUT
}

@test "level 5: SEED_LOAD_ERROR at the server's position in the statement, and at a COPY data line" {
	broken $P2 "s/'Orange', 0.55/'Orange', '0.5.5'/; 9s/0.30/zero/"
	check 5 -j
	assert_failure 1
	assert_line --index 2 '{"kind":"seed_finding","level":5,"severity":"ERROR","pattern":"SEED_LOAD_ERROR","message":"ERROR 22P02: invalid input syntax for type numeric: \"0.5.5\"","file":"db/seeds/02_product.sql","line":3,"col":96,"suggestion":null,"fixable":false}'
	assert_line --index 3 --partial '"pattern":"SEED_LOAD_ERROR","message":"ERROR 22P02: invalid input syntax for type numeric: \"zero\"","file":"db/seeds/02_product.sql","line":9,"col":1,'
}

# review 13 (R13-1, R13-2): resolvers in LANGUAGE sql, and PL/pgSQL that runs its SQL through EXECUTE
@test "level 3 and 5: a LANGUAGE sql resolver and an EXECUTE of constant SQL are read as SQL" {
	broken
	cat >$RC <<'EOF'
CREATE FUNCTION prep_seed.fn_resolve_tb_category() RETURNS void
LANGUAGE sql AS $$
    INSERT INTO catalog.tb_category (id, name)
    SELECT p.id, p.name FROM prep_seed.tb_category p;
    UPDATE catalog.tb_category c SET fk_parent = parent.pk_category
    FROM prep_seed.tb_category p JOIN catalog.tb_category parent ON parent.id = p.fk_parent_id
    WHERE c.id = p.id;
$$;
EOF
	cat >$RP <<'EOF'
CREATE FUNCTION prep_seed.fn_resolve_tb_product() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'INSERT INTO catalog.tb_product (id, fk_category, name, price)
        SELECT p.id, c.pk_category, p.name, p.price FROM prep_seed.tb_product p
        LEFT JOIN catalog.tb_category c ON c.id = p.fk_category_id';
END;
$$;
EOF
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
	check 3
	assert_success
	assert_output ""
	check 5
	assert_success
	assert_output ""
	# the SQL an EXECUTE runs is judged as any other; a computed one is not
	sed -i 's/INTO catalog.tb_product/INTO public.tb_product/' $RP
	sed -i 's/FROM prep_seed.tb_category p;/FROM public.tb_category p;/' $RC
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
	check 3
	assert_failure 1
	assert_output - <<'EOF'
db/schema/30_resolvers/fn_resolve_tb_category.sql:4: CRITICAL: SCHEMA_DRIFT_IN_RESOLVER: fn_resolve_tb_category reads public.tb_category: a resolver reads the prep and final schemas only
db/schema/30_resolvers/fn_resolve_tb_product.sql:4: CRITICAL: SCHEMA_DRIFT_IN_RESOLVER: fn_resolve_tb_product writes public.tb_product: a resolver writes the final schema only
EOF
	sed -i "s/EXECUTE 'INSERT INTO public.tb_product/EXECUTE 'INSERT INTO ' || 'catalog.tb_product/" $RP
	sed -i 's/FROM public.tb_category p;/FROM prep_seed.tb_category p;/' $RC
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
	check 3
	assert_success
	assert_output ""
}

# review 13 (R13-3): a syntax error is reported and every other file still checked
@test "level 1: a file that does not parse (exit 4) does not stop the other files" {
	broken $P1 's/^INSERT INTO prep_seed.tb_category/INSERT INTO prep_seed.tb_category VALUE/'
	sed -i 's/prep_seed.tb_product/catalog.tb_product/' $P2
	run --separate-stderr conf-seedcheck -p -m model.jsonl -l 3 $P1 $P2
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-seedcheck: db/seeds/01_category.sql:2:35: syntax error at or near \"VALUE\"" ]
	assert_output - <<'EOF'
db/seeds/02_product.sql:1:13: ERROR: PREP_SEED_TARGET_MISMATCH: INSERT into catalog.tb_product: seeds go to schema prep_seed
db/seeds/02_product.sql:7:6: ERROR: PREP_SEED_TARGET_MISMATCH: COPY into catalog.tb_product: seeds go to schema prep_seed
EOF
}

# review 13 (R13-4): SIGINT cancels the running query and the scratch database goes
@test "levels 4-5: SIGINT during a long resolver ends the run at once (exit 130), nothing left behind" {
	need_db
	broken
	sed -i 's/^BEGIN$/BEGIN\n    PERFORM pg_sleep(30);/' $RP
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
	conf-seedcheck -p -m model.jsonl -l 5 -S stream.sql -d "host=$PGHOST port=$PGPORT user=postgres dbname=postgres" \
		db/seeds/*.sql >out 2>err &
	pid=$!
	for _ in $(seq 50); do
		[ "$(psql -d postgres -Atc "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%fn_resolve_tb_product%' AND pid <> pg_backend_pid()")" = 1 ] && break
		sleep 0.1
	done
	t0=$SECONDS
	kill -INT $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 130 ]
	[ $((SECONDS - t0)) -lt 10 ]
	[ "$(cat err)" = "conf-seedcheck: interrupted" ]
	[ ! -s out ]
	[ "$(psql -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname LIKE 'confiture_seedcheck_%'")" = 0 ]
}

# review 13 (R13-5): a cast is COPY data only when COPY reads the text as the cast does
@test "-w: a string cast to its column's type goes as COPY; any other cast keeps the INSERT; same rows as psql" {
	new_db a
	A=$DB
	new_db b
	cd "$BATS_TEST_TMPDIR"
	cat >schema.sql <<'EOF'
CREATE TABLE t (u uuid, x text, d date, c char(3), n integer);
EOF
	cat >s.sql <<'EOF'
INSERT INTO t (u, x, d, c, n) VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, E'a\tb', '2020-1-2'::date, 'ab'::bpchar, '7'::int), (NULL::uuid, 'NULL', NULL, 'x', NULL);
INSERT INTO t (x) VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid), ('2020-1-2'::date);
INSERT INTO t (c, n) VALUES ('  x  '::char(3), 1.5::int);
EOF
	conf-parse -m schema.sql >model.jsonl
	run --separate-stderr conf-seedcheck -w 1 -m model.jsonl s.sql
	assert_success
	assert_output - <<'EOF'
COPY "t" ("u", "x", "d", "c", "n") FROM stdin;
A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11	a\tb	2020-1-2	ab	7
\N	NULL	\N	x	\N
\.
INSERT INTO t (x) VALUES ('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid), ('2020-1-2'::date);
INSERT INTO t (c, n) VALUES ('  x  '::char(3), 1.5::int);
EOF
	echo "$output" >out.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$A" -f schema.sql -f s.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f schema.sql -f out.sql
	a=$(psql -XAtq -d "$A" -c 'SELECT t::text FROM t ORDER BY 1')
	b=$(psql -XAtq -d "$DB" -c 'SELECT t::text FROM t ORDER BY 1')
	[ "$a" = "$b" ]
	# without the model the column types are unknown: every cast keeps its INSERT
	run --separate-stderr conf-seedcheck -w 1 s.sql
	assert_success
	[ "$(echo "$output" | grep -c '^INSERT')" = 3 ]
}

# review 13 (R13-6): the place of each row is counted from the row before, not from the statement's start
@test "level 1: an INSERT of 40000 rows is checked in linear time, a bad row placed at its line" {
	cd "$BATS_TEST_TMPDIR"
	{
		echo "INSERT INTO prep_seed.tb_category (id, fk_parent_id, name) VALUES"
		seq -f "    ('11111111-1111-4111-8111-%012g', NULL, 'né')," 1 39999
		echo "    ('11111111-1111-4111-8111-00000000004x', NULL, 'last') ON CONFLICT DO NOTHING;"
	} >big.sql
	t0=$SECONDS
	run conf-seedcheck -p big.sql
	[ $((SECONDS - t0)) -lt 8 ]
	assert_failure 1
	assert_output "big.sql:40001:6: ERROR: INVALID_UUID_FORMAT: column id: '11111111-1111-4111-8111-00000000004x' is not a UUID"
}

# review 13 (R13-7): an unqualified target is looked up in the seeds' own search_path
@test "levels 1 and 4: an unqualified target after SET search_path is found in its schemas" {
	new_db
	cd "$BATS_TEST_TMPDIR"
	cat >schema.sql <<'EOF'
CREATE SCHEMA app;
CREATE TABLE app.country (code char(2) PRIMARY KEY, name text NOT NULL, "Pop" bigint);
EOF
	cat >s.sql <<'EOF'
SET search_path = app, public;
INSERT INTO country (code, name) VALUES ('NL', 'Nederland') ON CONFLICT DO NOTHING;
COPY country (code, name, "Pop") FROM stdin;
LU	Lëtzebuerg	x
\.
RESET search_path;
INSERT INTO country (code, name) VALUES ('BE', 'Belgique');
EOF
	conf-parse -m schema.sql >model.jsonl
	q "$(cat schema.sql)"
	run conf-seedcheck -m model.jsonl -l 4 -d "$DBURL" s.sql
	assert_failure 1
	assert_output - <<'EOF'
s.sql:4:16: ERROR: LITERAL_TYPE_MISMATCH: column Pop is bigint: 'x' does not fit it
s.sql:7:13: ERROR: UNKNOWN_TABLE: table country is not in the schema
s.sql:7:1: ERROR: UNKNOWN_TABLE: table country is not in the database
EOF
}

# review 13 (R13-10): a decimal constant goes as COPY data only when the column gets it as written
@test "-w: 1e2 and .5 into a text column, 2.5 into an integer one keep the INSERT; same rows as psql" {
	new_db a
	A=$DB
	new_db b
	cd "$BATS_TEST_TMPDIR"
	echo 'CREATE TABLE t (x text, n numeric, i bigint);' >schema.sql
	cat >s.sql <<'EOF'
INSERT INTO t (x, n) VALUES ('a', 1e2), ('b', .5), (1.50, -2.5);
INSERT INTO t (x) VALUES (1e2), (.5);
INSERT INTO t (i) VALUES (2.5);
EOF
	conf-parse -m schema.sql >model.jsonl
	run --separate-stderr conf-seedcheck -w 1 -m model.jsonl s.sql
	assert_success
	assert_output - <<'EOF'
COPY "t" ("x", "n") FROM stdin;
a	1e2
b	.5
1.50	-2.5
\.
INSERT INTO t (x) VALUES (1e2), (.5);
INSERT INTO t (i) VALUES (2.5);
EOF
	echo "$output" >out.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$A" -f schema.sql -f s.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f schema.sql -f out.sql
	[ "$(psql -XAtq -d "$A" -c 'SELECT t::text FROM t ORDER BY 1')" = "$(psql -XAtq -d "$DB" -c 'SELECT t::text FROM t ORDER BY 1')" ]
}

@test "level 3: RESOLVER_SYNTAX of a LANGUAGE sql body: the SQL parser's message" {
	broken
	cat >$RC <<'EOF'
CREATE FUNCTION prep_seed.fn_resolve_tb_category() RETURNS void
LANGUAGE sql AS $$
    INSERT INTO catalog.tb_category (id, name) SELEC p.id, p.name FROM prep_seed.tb_category p;
$$;
EOF
	conf-concat -C . -e local -S >stream.sql
	conf-parse -m stream.sql >model.jsonl
	check 3
	assert_failure 1
	assert_output - <<'EOF'
db/schema/30_resolvers/fn_resolve_tb_category.sql:1:1: WARNING: MISSING_SELF_REFERENCE_HANDLING: catalog.tb_category.fk_parent references its own table: the resolver sets it in one pass
db/schema/30_resolvers/fn_resolve_tb_category.sql:1:1: ERROR: RESOLVER_SYNTAX: the body of fn_resolve_tb_category does not parse: syntax error at or near "SELEC"
EOF
}
