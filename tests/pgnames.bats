#!/usr/bin/env bats
# lib/pgnames: the names PostgreSQL invents (makeObjectName, ChooseRelationName) and the type names
# format_type prints, computed from the parse tree, checked against what the server does.
# The driver is t-names (tests/unit/t-names.c): $CONF_BINDIR/../t-names for build/asan/bin, else
# build/t-names.

load helper

setup() {
	new_db
	TN=$CONF_BINDIR/../t-names
	[ -x "$TN" ] || TN=$REPO/build/t-names
}

# names of a table's constraints and of the sequences in public, one a line, sorted
names_of() {
	q "SELECT conname FROM pg_constraint WHERE conrelid = 'public.\"$1\"'::regclass
	   UNION ALL SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace
	   ORDER BY 1"
}

@test "makeObjectName: short names as they are" {
	run "$TN" make users id seq
	assert_output users_id_seq
	run "$TN" make users - pkey
	assert_output users_pkey
	run "$TN" make users email -
	assert_output users_email
}

@test "makeObjectName: long names cut to 63 bytes, the longer part first, as the server does" {
	local t=t123456789012345678901234567890123456789012345678901234567890 c=c12345678901234567890123456789
	q "CREATE TABLE $t ($c serial PRIMARY KEY, email text UNIQUE CHECK (email <> ''), $c$c int UNIQUE)"
	run names_of "$t"
	assert_output "$(for a in "$t - pkey" "$t $c seq" "$t email key" "$t email check" "$t $c$c key"; do
		set -- $a; "$TN" make "$1" "$2" "$3"; done | LC_ALL=C sort)"
	# the pin: 58 bytes for the two parts, cut alternately from the longer one
	run "$TN" make "$t" "$c$c" key
	assert_output t1234567890123456789012345678_c1234567890123456789012345678_key
	[ ${#output} -eq 63 ]
}

@test "makeObjectName: multibyte names cut on a character boundary, as the server does" {
	local t c
	t=a$(printf 'é%.0s' $(seq 30)) # 61 bytes: a cut after an odd byte count would split an é
	c=$(printf 'ü%.0s' $(seq 10))
	q "CREATE TABLE \"$t\" (\"$c\" serial, k text UNIQUE)"
	run q "SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"
	assert_output "$("$TN" make "$t" "$c" seq)"
	[ "$(printf %s "$output" | wc -c)" -eq 62 ] # a and 18 é: 37 of the 38 bytes left to the table's name
	run q "SELECT conname FROM pg_constraint WHERE contype = 'u' AND connamespace = 'public'::regnamespace"
	assert_output "$("$TN" make "$t" k key)"
}

@test "ChooseRelationName: collisions are numbered label1, label2, ... like the server's" {
	# identical UNIQUE clauses are one constraint: these three differ in what is not in the name
	q "CREATE TABLE c (a int, b int, UNIQUE (a), UNIQUE (a) DEFERRABLE, UNIQUE NULLS NOT DISTINCT (a));
	   CREATE TABLE x_a_key (i int); CREATE TABLE x (a int UNIQUE);
	   CREATE TABLE k (a int CHECK (a > 0) CHECK (a < 10));
	   CREATE SEQUENCE s_id_seq; CREATE TABLE s (id serial);
	   CREATE INDEX ON c (a); CREATE INDEX ON c (a)"
	run q "SELECT conname FROM pg_constraint WHERE conrelid = 'c'::regclass ORDER BY 1"
	assert_output "$("$TN" choose c a key; "$TN" choose c a key c_a_key; "$TN" choose c a key c_a_key c_a_key1)"
	run q "SELECT conname FROM pg_constraint WHERE conrelid = 'x'::regclass"
	assert_output "$("$TN" choose x a key x_a_key)"
	assert_output x_a_key1
	run q "SELECT conname FROM pg_constraint WHERE conrelid = 'k'::regclass ORDER BY 1"
	assert_output "$("$TN" choose k a check; "$TN" choose k a check k_a_check)"
	run q "SELECT pg_get_serial_sequence('s', 'id')"
	assert_output "public.$("$TN" choose s id seq s_id_seq)"
	run q "SELECT indexrelid::regclass FROM pg_index WHERE indrelid = 'c'::regclass AND indexrelid::regclass::text LIKE '%idx%' ORDER BY 1"
	assert_output "$("$TN" choose c a idx c_a_key c_a_key1 c_a_key2; "$TN" choose c a idx c_a_idx)"
}

@test "ChooseRelationName: a numbered label on a long name cuts the name one byte more" {
	local t=t12345678901234567890123456789012345678901234567890123456789012
	q "CREATE TABLE $t (a int, b int, UNIQUE (a), UNIQUE (a) DEFERRABLE)"
	run q "SELECT conname FROM pg_constraint WHERE conrelid = '$t'::regclass ORDER BY 1"
	assert_output "$("$TN" choose "$t" a key; "$TN" choose "$t" a key "$("$TN" make "$t" a key)")"
	assert_line --index 1 t1234567890123456789012345678901234567890123456789012345_a_key1
}

@test "pgn_type_name: every column type as format_type prints it with search_path = pg_catalog" {
	local decls=(integer int int4 int8 bigint smallint int2 serial bigserial smallserial serial4 'varchar(20)'
		'character varying' char 'char(5)' 'character(3)' '"char"' text numeric 'numeric(10,2)' 'numeric(10)'
		'decimal(5,2)' real float4 float8 'double precision' float 'float(24)' 'float(25)' boolean bool date
		time 'time(3)' timetz 'time with time zone' timestamp 'timestamp(3)' timestamptz
		'timestamp(3) with time zone' 'timestamp without time zone' interval 'interval(2)' 'interval year'
		'interval year to month' 'interval day to second(3)' 'interval hour to minute'
		'interval minute to second(2)' 'interval second' bit 'bit(8)' varbit 'bit varying(8)' 'bit varying'
		uuid json jsonb bytea inet cidr macaddr money xml tsvector int4range 'int[]' 'int4[][]' 'text[]'
		'varchar(10)[]' 'timestamptz[]' 'numeric(5,2)[3]' mood public.mood 'mood[]' email oid name point
		pg_lsn 'pg_catalog.int4' 'character varying(5)[]')
	local cols="" i=0 d
	q "CREATE TYPE mood AS ENUM ('a'); CREATE DOMAIN email AS text"
	for d in "${decls[@]}"; do
		i=$((i + 1))
		cols="$cols${cols:+, }c$i $d"
	done
	q "CREATE TABLE t ($cols)"
	run q "SET search_path = pg_catalog; SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	       WHERE attrelid = 'public.t'::regclass AND attnum > 0 ORDER BY attnum"
	assert_success
	[ "${#lines[@]}" -eq "${#decls[@]}" ]
	for d in "${decls[@]}"; do
		"$TN" type "$d" | cut -f1
	done >"$BATS_TEST_TMPDIR/ours"
	printf '%s\n' "${lines[@]}" >"$BATS_TEST_TMPDIR/catalog"
	diff "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/catalog"
}

@test "pgn_type_name: user types qualified by the default schema, serial types named, %TYPE refused" {
	run "$TN" type 'mood[]' blog
	assert_output 'blog.mood[]'
	run "$TN" type '"My Type"' public
	assert_output 'public."My Type"'
	run "$TN" type bigserial
	assert_output "$(printf 'bigint\tserial bigint')"
	run "$TN" type smallserial
	assert_output "$(printf 'smallint\tserial smallint')"
	run "$TN" type 'other.serial'
	assert_output other.serial
}

@test "pgn_type_name: a %TYPE reference has no canonical name" {
	run "$TN" type 'users.email%TYPE'
	assert_output NULL
}

@test "index names: INCLUDE columns are part of the name, as ChooseIndexColumnNames has them" {
	q "CREATE TABLE c (a int, b int, UNIQUE (a) INCLUDE (b))"
	run q "SELECT conname FROM pg_constraint WHERE conrelid = 'c'::regclass"
	assert_output "$("$TN" make c a_b key)"
}
