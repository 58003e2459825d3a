#!/usr/bin/env bats
# conf-verify: row counts and order-independent hashes of a mapping's tables on both sides, by key
# ranges, and -D re-copying the ranges that differ; two databases of the test cluster linked by
# postgres_fdw (set up here in plain SQL, as conf-fdw setup does).

load helper
load s2s-pair

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
}

@test "conf-verify: a row changed on the source after the copy is named by its key range; -D repairs it" {
	pair
	conf-move -d "$TGT" -m copy -s "$SRCURL" -j 2 map.yaml 2>/dev/null
	DB=$SRC
	q "UPDATE users SET name = 'Changed' WHERE id = 57; DELETE FROM orders WHERE id = 250;
	   INSERT INTO orders (user_id, total) VALUES (3, 9)"
	run --separate-stderr conf-verify -d "$TGT" -n 10 -t users,public.orders map.yaml
	assert_failure 1
	assert_equal "$stderr" "$(printf '%s\n' 'conf-verify: public.users: key range id in [51, 61) differs: source 10 rows, target 10 rows' \
		'conf-verify: public.users: 1 of the key ranges of 10 values differ' \
		'conf-verify: public.orders: key range id in [241, 251) differs: source 9 rows, target 10 rows' \
		'conf-verify: public.orders: 2 of the key ranges of 10 values differ')"
	# -s: the source computes its side itself, with the same result
	run --separate-stderr conf-verify -d "$TGT" -s "$SRCURL" -n 10 -t users map.yaml
	assert_failure 1
	assert_equal "$stderr" "$(printf '%s\n' 'conf-verify: public.users: key range id in [51, 61) differs: source 10 rows, target 10 rows' \
		'conf-verify: public.users: 1 of the key ranges of 10 values differ')"
	# without -n, a table of up to 100000 rows is compared whole
	run --separate-stderr conf-verify -d "$TGT" -t users map.yaml
	assert_failure 1
	assert_equal "$stderr" 'conf-verify: public.users: the whole table differs: source 100 rows, target 100 rows'
	# -D: the equal tables said at once, the repaired ones after the rows gone were deleted
	run --separate-stderr conf-verify -d "$TGT" -n 10 -D map.yaml
	assert_success
	assert_equal "$(untime <<<"$output")" "$(printf '%s\n' 'public.tags: 5 rows, equal (N s)' \
		'public.users: 100 rows, equal (N s)' 'public.orders: 300 rows, equal (N s)')"
	assert_equal "$(grep -c 'copied again$' <<<"$stderr")" 2
	assert_equal "$(sed -n 6p <<<"$stderr")" 'conf-verify: public.orders: 2 key ranges copied again'
	DB=$DST
	assert_equal "$(q "SELECT full_name, slug FROM users WHERE id = 57")" 'Changed|changed'
	assert_equal "$(q "SELECT count(*) FROM orders WHERE id IN (250, 301)")" 1
	assert_equal "$(q "INSERT INTO orders (user_id) VALUES (1) RETURNING id")" 302
	run -5 conf-verify -d "$TGT" -t nosuch map.yaml
	assert_output 'conf-verify: -t: nosuch is not a table of map.yaml'
}

@test "conf-verify -D: late writes across a foreign key: the parent's rows upserted first, the children's deleted first" {
	pair
	conf-move -d "$TGT" map.yaml 2>/dev/null
	# a new user with an order, and a user gone with its orders: orders comes first in map.yaml
	DB=$SRC
	q "INSERT INTO users (id, name) VALUES (101, 'Late'); INSERT INTO orders (user_id, total) VALUES (101, 1);
	   DELETE FROM orders WHERE user_id = 100; DELETE FROM users WHERE id = 100"
	run --separate-stderr conf-verify -d "$TGT" -D map.yaml
	assert_success
	assert_equal "$stderr" "$(printf '%s\n' 'conf-verify: public.users: the whole table differs: source 100 rows, target 100 rows' \
		'conf-verify: public.orders: the whole table differs: source 298 rows, target 300 rows' \
		'conf-verify: public.users: 1 key range copied again' 'conf-verify: public.orders: 1 key range copied again')"
	assert_equal "$(untime <<<"$output")" "$(printf '%s\n' 'public.tags: 5 rows, equal (N s)' \
		'public.users: 100 rows, equal (N s)' 'public.orders: 298 rows, equal (N s)')"
	DB=$DST
	assert_equal "$(q "SELECT u.id, u.full_name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.id >= 100")" '101|Late|1.00'
}

@test "conf-verify: a key of another type is cut at every N-th key of the target; -D repairs the range" {
	new_db src
	SRC=$DB
	q "CREATE TABLE codes (code text PRIMARY KEY, label text);
	INSERT INTO codes SELECT 'c' || lpad(i::text, 2, '0'), 'label ' || i FROM generate_series(1, 30) i"
	new_db dst
	DST=$DB
	q "CREATE DOMAIN lbl AS text; CREATE TABLE codes (code varchar(10) PRIMARY KEY, label lbl);
	CREATE EXTENSION postgres_fdw;
	CREATE SERVER confiture_source FOREIGN DATA WRAPPER postgres_fdw
	  OPTIONS (host '$PGHOST', port '$PGPORT', dbname '$SRC');
	CREATE USER MAPPING FOR CURRENT_USER SERVER confiture_source OPTIONS (user 'postgres');
	CREATE SCHEMA stage;
	IMPORT FOREIGN SCHEMA public FROM SERVER confiture_source INTO stage;"
	printf 'codes:\n  source_table: public.codes\n  target_table: public.codes\n' >codes.yaml
	TGT="postgresql:///$DST?host=$PGHOST&port=$PGPORT&user=postgres"
	conf-move -d "$TGT" -S stage codes.yaml 2>/dev/null
	DB=$SRC
	q "UPDATE codes SET label = 'changed' WHERE code = 'c15'; INSERT INTO codes VALUES ('a', 'before the first')"
	run --separate-stderr conf-verify -d "$TGT" -S stage -n 10 codes.yaml
	assert_failure 1
	assert_equal "$stderr" "$(printf '%s\n' "conf-verify: public.codes: key range code < 'c01' differs: source 1 rows, target 0 rows" \
		'conf-verify: public.codes: 2 of the 3 key ranges of about 10 rows differ')"
	DB=$DST
	q "DELETE FROM codes WHERE code = 'c30'"
	# the source has no type lbl: its side comes through the foreign table after all
	run --separate-stderr conf-verify -d "$TGT" -s "postgresql:///$SRC?host=$PGHOST&port=$PGPORT&user=postgres" -S stage -n 10 -D codes.yaml
	assert_success
	assert_equal "$(untime <<<"$output")" 'public.codes: 31 rows, equal (N s)'
	assert_equal "$(sed -n 1p <<<"$stderr")" 'conf-verify: public.codes: the source cannot compute its side (type "lbl" does not exist): read through the foreign table instead'
	assert_equal "$(sed -n 2p <<<"$stderr")" "conf-verify: public.codes: key range code < 'c01' differs: source 1 rows, target 0 rows"
	assert_equal "$(sed -n 4p <<<"$stderr")" 'conf-verify: public.codes: 3 key ranges copied again'
	assert_equal "$(wc -l <<<"$stderr")" 4
	assert_equal "$(q "SELECT label FROM codes WHERE code IN ('a', 'c15', 'c30') ORDER BY code")" "$(printf 'before the first\nchanged\nlabel 30')"
	sed -i 's/^  target_table: public.codes$/&\n  key: [label]/' codes.yaml
	DB=$SRC
	q "UPDATE codes SET label = 'again' WHERE code = 'c15'"
	run --separate-stderr conf-verify -d "$TGT" -S stage -n 10 codes.yaml
	assert_failure 1
	# the key is the mapping's: the changed row leaves one range ('changed') for another ('again')
	assert_equal "$stderr" "$(printf '%s\n' "conf-verify: public.codes: key range label < 'before the first' differs: source 1 rows, target 0 rows" \
		'conf-verify: public.codes: 2 of the 4 key ranges of about 10 rows differ')"
}
