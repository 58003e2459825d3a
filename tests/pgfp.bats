#!/usr/bin/env bats
# lib/pgfp: libpg_query 15-4.0's pg_query_fingerprint computed over the light tree of the parse's
# JSON, checked against the library's own call. The driver is tests/unit/t-pgfp.c, built here
# against the libconf.a of the tools under test ($CONF_BINDIR/../libconf.a: the sanitizer build's,
# with its flags; else build/libconf.a). "t-pgfp SQL..." prints per statement libpg_query's
# fingerprint, pgfp's (- when pgfp leaves it to libpg_query) and "same", "DIFFERS" or "left to
# libpg_query: why"; "t-pgfp -" checks conf-parse's records on stdin the same way, and their
# "fingerprint" too.

load helper

setup_file() {
	local lib=$REPO/build san=
	if [ -f "$CONF_BINDIR/../libconf.a" ]; then
		lib=$CONF_BINDIR/..
		san='-fsanitize=address,undefined'
	fi
	# shellcheck disable=SC2086
	"${CC:-cc}" -std=c11 -D_GNU_SOURCE -O1 -g $san -I"$REPO/lib" -I"$lib" -o "$BATS_FILE_TMPDIR/t-pgfp" \
		"$REPO/tests/unit/t-pgfp.c" "$lib/libconf.a" -lpq -lpg_query -ljansson -lyaml -lcrypto
}

setup() {
	T=$BATS_TEST_TMPDIR
	FP=$BATS_FILE_TMPDIR/t-pgfp
}

# SELECT with an expression n parentheses deep around the column a$2: (((a + 1) + 1) ...)
deep() {
	local s="a$2" i
	for ((i = 0; i < $1; i++)); do s="($s + 1)"; done
	echo "SELECT $s"
}

# the fingerprint column of t-pgfp's lines
fps() {
	"$FP" "$@" | cut -d' ' -f1 | tr '\n' ' '
}

@test "every statement of the regression corpus: pgfp's fingerprint is pg_query_fingerprint's, and conf-parse's records carry it" {
	[ -d "$CORPUS/parse/postgres_regress" ] || skip "no corpus at $CORPUS/parse (../shared/corpus is absent)"
	conf-parse "$CORPUS"/parse/postgres_regress/*.sql >"$T/one" 2>/dev/null || [ $? = 4 ]
	run --separate-stderr "$FP" - <"$T/one"
	assert_success
	assert_output "38054 statements: 37858 same, 0 differ, 196 left to libpg_query, 0 records not libpg_query's"
	# what pgfp leaves to libpg_query's walk: Integer values the JSON leaves out (DefElem args such
	# as INCREMENT -1, array bounds in a text with a 0), integers beyond the light reader (FETCH ALL)
	run bash -c 'sed -n "s/^left to libpg_query: \([^:]*\):.*/\1/p" | sort | uniq -c' <<<"$stderr"
	assert_output "    138 an Integer whose value the JSON leaves out
     58 the light reader refused the JSON"
	# the parser threads take the same path
	conf-parse -j 2 "$CORPUS"/parse/postgres_regress/*.sql 2>/dev/null | cmp - "$T/one"
}

@test "the checker sees a record whose fingerprint is not libpg_query's" {
	run --separate-stderr "$FP" - <<<'{"sql":"SELECT 1","fingerprint":"50fde20626009abb"}'
	assert_failure 1
	assert_output "1 statements: 1 same, 0 differ, 0 left to libpg_query, 1 records not libpg_query's"
	assert_equal "$stderr" "record: 50fde20626009abb, not 50fde20626009aba: SELECT 1"
}

@test "sorted lists: targets, FROM items, function arguments, IN lists, VALUES rows and INSERT columns are hashed one by one, sorted, each once" {
	run "$FP" "SELECT a, b FROM t, u" "SELECT b, a FROM u, t" "SELECT a, a, b FROM t, u, t" \
		"SELECT f(x, y) WHERE x IN (a, b)" "SELECT f(y, x) WHERE x IN (b, a, b)" \
		"INSERT INTO t (a, b) VALUES (1, x), (y, 2)" "INSERT INTO t (b, a) VALUES (y, 2), (1, x), (y, 2)" \
		"SELECT a FROM t ORDER BY a, b" "SELECT a FROM t ORDER BY b, a"
	assert_success
	assert_output "7a7b3ea6248936d2 7a7b3ea6248936d2 same
7a7b3ea6248936d2 7a7b3ea6248936d2 same
7a7b3ea6248936d2 7a7b3ea6248936d2 same
782577f19e931788 782577f19e931788 same
782577f19e931788 782577f19e931788 same
413c950b97fc0222 413c950b97fc0222 same
413c950b97fc0222 413c950b97fc0222 same
5cfa6605fb7b1ee9 5cfa6605fb7b1ee9 same
e14221d6ae1f7400 e14221d6ae1f7400 same"
}

@test "left out: locations, constants and parameters, aliases, select-list names, statement, cursor, savepoint and channel names, function bodies" {
	run "$FP" "SELECT a AS x FROM t AS u WHERE b = 1 AND c = \$1 AND d = '2'::int" \
		"select  a as y from t as v where b = 9 and c = \$2 and d = 3::int" \
		"UPDATE t SET a = 1" "UPDATE t SET b = 1" \
		"PREPARE p1 AS SELECT 1; EXECUTE p1; DEALLOCATE p1" "PREPARE p2 AS SELECT 1; EXECUTE p2; DEALLOCATE p2" \
		"BEGIN; SAVEPOINT s1; PREPARE TRANSACTION 'g1'" "BEGIN; SAVEPOINT s2; PREPARE TRANSACTION 'g2'" \
		"DECLARE c1 CURSOR FOR SELECT 1; FETCH 2 FROM c1; CLOSE c1" "DECLARE c2 CURSOR FOR SELECT 1; FETCH 2 FROM c2; CLOSE c2" \
		"LISTEN c1; NOTIFY c1, 'x'; UNLISTEN c1" "LISTEN c2; NOTIFY c2, 'x'; UNLISTEN c2" \
		"DO 'BEGIN END'" "DO 'BEGIN NULL; END'" \
		"CREATE FUNCTION f(a int) RETURNS int AS 'SELECT 1' LANGUAGE sql" \
		"CREATE FUNCTION f(b int) RETURNS int AS 'SELECT 2' LANGUAGE plpgsql" \
		"CREATE TABLESPACE s LOCATION '/a'" "CREATE TABLESPACE s LOCATION '/b'"
	assert_success
	assert_output "6b73ce88502f6bab 6b73ce88502f6bab same
6b73ce88502f6bab 6b73ce88502f6bab same
f88d91914ea4c50b f88d91914ea4c50b same
ce519a6ed72504fd ce519a6ed72504fd same
492bb158ebd47f1a 492bb158ebd47f1a same
492bb158ebd47f1a 492bb158ebd47f1a same
586a265e61baa676 586a265e61baa676 same
586a265e61baa676 586a265e61baa676 same
318f4cb77f9651a8 318f4cb77f9651a8 same
318f4cb77f9651a8 318f4cb77f9651a8 same
7d3d95cb95f8b3a5 7d3d95cb95f8b3a5 same
7d3d95cb95f8b3a5 7d3d95cb95f8b3a5 same
f936eab75b8c1b90 f936eab75b8c1b90 same
f936eab75b8c1b90 f936eab75b8c1b90 same
af1ccbbbfac0e515 af1ccbbbfac0e515 same
af1ccbbbfac0e515 af1ccbbbfac0e515 same
bb5be835ce1c5d82 bb5be835ce1c5d82 same
bb5be835ce1c5d82 bb5be835ce1c5d82 same"
}

@test "values: runs of digits and temporary tables' names, IN and ANY as operators, SELECT DISTINCT, Boolean nodes, a foreign table's inline CreateStmt" {
	run "$FP" "SELECT * FROM orders_2024_01, t1" "SELECT * FROM orders_2025_12, t1" "SELECT * FROM orders_2025_12, t2" \
		"CREATE TEMP TABLE x (a int)" "CREATE TEMP TABLE y (a int)" \
		"SELECT a FROM t WHERE a IN (1, 2)" "SELECT a FROM t WHERE a = ANY(b)" "SELECT a FROM t WHERE a = b" \
		"SELECT DISTINCT a FROM t" "SELECT a FROM t" \
		"CREATE ROLE r SUPERUSER" "CREATE ROLE r NOSUPERUSER" \
		"CREATE FOREIGN TABLE ft (a int) SERVER s" "SELECT 1; SELECT 2" "" \
		"CREATE TABLE t (a int[], b int ARRAY, c text[3][])"
	assert_success
	assert_output "f1196840e34fb3ef f1196840e34fb3ef same
f1196840e34fb3ef f1196840e34fb3ef same
bdc8f254a8eb4662 bdc8f254a8eb4662 same
bf4f5b4f6f8b713d bf4f5b4f6f8b713d same
bf4f5b4f6f8b713d bf4f5b4f6f8b713d same
d0e1151bc33c6140 d0e1151bc33c6140 same
b652db30afff43e5 b652db30afff43e5 same
b652db30afff43e5 b652db30afff43e5 same
d8e5f0a39d8367fe d8e5f0a39d8367fe same
2f2a6b825f662fa2 2f2a6b825f662fa2 same
a59d0e8e568d752c a59d0e8e568d752c same
a59d0e8e568d752c a59d0e8e568d752c same
ad04f8793d5ed979 ad04f8793d5ed979 same
0bb991a7406ad1b5 0bb991a7406ad1b5 same
d8d13f8b2da6c9ad d8d13f8b2da6c9ad same
58e40a576f3df558 58e40a576f3df558 same"
}

@test "the depth cut-off: nodes 100 levels down write nothing; the fields of a specific node type are entered below it all the same" {
	# the column's String is 7 levels below the statement list plus one per parenthesis: 99 levels
	# down at 92, 100 at 93
	run fps "$(deep 92)" "$(deep 92 x)" "$(deep 93)" "$(deep 93 x)" "$(deep 200)" "$(deep 200 x)"
	assert_output "8a72f836163698ef 1c7a516dd7b3392e ee9268886ba96fca ee9268886ba96fca ff7cae0e6a35ccaf ff7cae0e6a35ccaf "
	run "$FP" "$(deep 92)" "$(deep 93)" "$(deep 200 x)"
	assert_success
	assert_output "8a72f836163698ef 8a72f836163698ef same
ee9268886ba96fca ee9268886ba96fca same
ff7cae0e6a35ccaf ff7cae0e6a35ccaf same"
	# a UNION's left arms are SelectStmt fields, not nodes: 150 deep, their op is still written
	run "$FP" "$(awk 'BEGIN { printf "SELECT 1"; for (i = 0; i < 150; i++) printf " UNION SELECT %d", i; print "" }')"
	assert_success
	assert_output "38a4317c07fc8d83 38a4317c07fc8d83 same"
}

@test "left to libpg_query's walk: an Integer at or below 0, a light reader's refusal, a tree too deep for the walk; conf-parse's fingerprints stay libpg_query's" {
	run "$FP" "CREATE SEQUENCE s INCREMENT -1" "CREATE SEQUENCE s INCREMENT 0" "CREATE TABLE t (a int[0])" \
		"CREATE TABLE t (a int[] DEFAULT '{0}')" "FETCH ALL FROM c"
	assert_success
	assert_output "17323c9a82c2bb11 - left to libpg_query: an Integer whose value the JSON leaves out
0ab0771d2e5dbef0 - left to libpg_query: an Integer whose value the JSON leaves out
116ce00d5417a3de - left to libpg_query: an Integer whose value the JSON leaves out
6f4b7544a9a39c76 - left to libpg_query: an Integer whose value the JSON leaves out
177cc47209e3bb6a - left to libpg_query: the light reader refused the JSON"
	{
		echo "CREATE SEQUENCE s INCREMENT -1;"
		echo "CREATE TABLE t (a int[0], b int[]);"
		echo "FETCH ALL FROM c;"
		awk 'BEGIN { printf "SELECT 1"; for (i = 0; i < 3500; i++) printf " UNION SELECT %d", i; print ";" }'
		echo "SELECT a, b FROM t;"
	} >"$T/f.sql"
	conf-parse "$T/f.sql" >"$T/f.jsonl"
	run --separate-stderr "$FP" - <"$T/f.jsonl"
	assert_success
	assert_output "5 statements: 1 same, 0 differ, 4 left to libpg_query, 0 records not libpg_query's"
	# each reason, and the statement's first words
	run awk -F': ' '{ split($3, w, " "); print $2 ": " w[1], w[2], w[3] }' <<<"$stderr"
	assert_output "an Integer whose value the JSON leaves out: CREATE SEQUENCE s
an Integer whose value the JSON leaves out: CREATE TABLE t
the light reader refused the JSON: FETCH ALL FROM
a tree nested too deeply for this walk: SELECT 1 UNION"
}
