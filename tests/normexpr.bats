#!/usr/bin/env bats
# lib/normexpr: the normalized form of an expression as the user wrote it (the parse-tree node
# conf-parse has) equals the form of the text the catalog deparses for it (what conf-inspect has),
# checked against the real server; different expressions keep different forms.
# The driver is t-names (tests/unit/t-names.c), built by make next to the tools' build:
# $CONF_BINDIR/../t-names for build/asan/bin, else build/t-names.

load helper

setup() {
	new_db
	S=$BATS_TEST_TMPDIR
	TN=$CONF_BINDIR/../t-names
	[ -x "$TN" ] || TN=$REPO/build/t-names
	q "CREATE TYPE mood AS ENUM ('happy', 'sad'); CREATE DOMAIN email AS text;
	   CREATE SEQUENCE s1;
	   CREATE TABLE users (id serial PRIMARY KEY, name text, email varchar(100), active boolean DEFAULT true,
	                       created timestamptz DEFAULT now());
	   CREATE TABLE posts (id serial PRIMARY KEY, user_id int REFERENCES users, title text, score numeric);"
}

# qt SQL: tab-separated rows of a query run with search_path = pg_catalog, newlines made spaces
qt() {
	psql -XAtq -v ON_ERROR_STOP=1 -F "$(printf '\t')" -d "$DB" -c "SET search_path = pg_catalog" -c "$1" | tr '\r' ' '
}

# agree KIND SQL CATALOG_QUERY: run SQL; each expression t-names finds in it (ROLE, form) must be
# the form of the catalog's text of the same ROLE (CATALOG_QUERY prints ROLE<TAB>TEXT rows).
# Prints every disagreement with both texts and both normalized trees.
agree() {
	local kind=$1 sql=$2 cat=$3 role form text
	q "$sql"
	# the tables' columns, as conf-parse -m knows them from its model (a nested query's columns are bound)
	T_NAMES_COLS=$(qt "SELECT string_agg(c.relname || '=' || (SELECT string_agg(attname, ',' ORDER BY attnum)
	    FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped), ' ')
	    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')") \
		"$TN" stmt "$sql" >"$S/user.full"
	cut -f1,2 "$S/user.full" | sort >"$S/user"
	qt "$cat" >"$S/cat.text"
	"$TN" texts "$kind" <"$S/cat.text" | sort >"$S/cat"
	[ -s "$S/user" ] || { echo "no expression found in: $sql"; return 1; }
	if ! cmp -s "$S/user" "$S/cat"; then
		echo "disagreement for: $sql"
		diff "$S/user" "$S/cat" || true
		while IFS=$(printf '\t') read -r role form text; do
			echo "user $role: $text"
			echo "  $("$TN" tree expr "$text")"
		done <"$S/user.full"
		while IFS=$(printf '\t') read -r role text; do
			echo "catalog $role: $text"
			echo "  $("$TN" tree "$kind" "$text")"
		done <"$S/cat.text"
		return 1
	fi
	N_AGREE=$((${N_AGREE:-0} + $(wc -l <"$S/user")))
}

# catalog rows of a table: its defaults, generated expressions and check constraints
table_q() {
	echo "SELECT CASE a.attgenerated WHEN 's' THEN 'generated:' ELSE 'default:' END || a.attname,
	        translate(pg_get_expr(d.adbin, d.adrelid), E'\n', ' ')
	   FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
	  WHERE d.adrelid = 'public.$1'::regclass
	 UNION ALL
	 SELECT 'check:' || conname, translate(pg_get_expr(conbin, conrelid), E'\n', ' ')
	   FROM pg_constraint WHERE conrelid = 'public.$1'::regclass AND contype = 'c'"
}

index_q() {
	echo "SELECT 'key:' || k, translate(pg_get_indexdef(i.indexrelid, k, true), E'\n', ' ')
	   FROM pg_index i, generate_series(1, i.indnatts) k
	  WHERE i.indexrelid = 'public.$1'::regclass AND i.indkey[k - 1] = 0
	 UNION ALL
	 SELECT 'where', translate(pg_get_expr(indpred, indrelid), E'\n', ' ') FROM pg_index
	  WHERE indexrelid = 'public.$1'::regclass AND indpred IS NOT NULL"
}

view_q() {
	echo "SELECT 'query', translate(pg_get_viewdef('public.$1'::regclass, ${2:-false}), E'\n', ' ')"
}

policy_q() {
	echo "SELECT 'using', translate(pg_get_expr(polqual, polrelid), E'\n', ' ') FROM pg_policy
	  WHERE polname = '$1' AND polqual IS NOT NULL
	 UNION ALL
	 SELECT 'check', translate(pg_get_expr(polwithcheck, polrelid), E'\n', ' ') FROM pg_policy WHERE polname = '$1' AND polwithcheck IS NOT NULL"
}

@test "check constraints: the user's expression and the catalog's agree (52 shapes)" {
	agree expr "CREATE TABLE t_chk (
	  id integer, price numeric(10,2), qty integer, big bigint, small smallint, ratio double precision,
	  r real, name varchar(40), code char(3), status text, tags text[], vtags varchar(10)[], d date,
	  ts timestamp, tstz timestamptz, active boolean, m mood, e email, j jsonb, iv interval,
	  CONSTRAINT c01 CHECK (price > 0),
	  CONSTRAINT c02 CHECK (price >= 0 AND price <= 1000.50),
	  CONSTRAINT c03 CHECK (qty BETWEEN 1 AND 100),
	  CONSTRAINT c04 CHECK (qty NOT BETWEEN -5 AND -1),
	  CONSTRAINT c05 CHECK (status IN ('draft', 'published', 'archived')),
	  CONSTRAINT c06 CHECK (name IN ('a', 'b')),
	  CONSTRAINT c07 CHECK (status NOT IN ('x', 'y')),
	  CONSTRAINT c08 CHECK (name LIKE 'A%'),
	  CONSTRAINT c09 CHECK (name NOT ILIKE '%z'),
	  CONSTRAINT c10 CHECK (name != ''),
	  CONSTRAINT c11 CHECK (char_length(name) > 2),
	  CONSTRAINT c12 CHECK (lower(name) = name),
	  CONSTRAINT c13 CHECK (code ~ '^[A-Z]{3}\$'),
	  CONSTRAINT c14 CHECK (ratio > 0.5 OR ratio IS NULL),
	  CONSTRAINT c15 CHECK (r < 1.5),
	  CONSTRAINT c16 CHECK (big > -1),
	  CONSTRAINT c17 CHECK (small <> 0),
	  CONSTRAINT c18 CHECK (qty * 2 < big),
	  CONSTRAINT c19 CHECK (price > qty),
	  CONSTRAINT c20 CHECK (d > '2020-01-01'),
	  CONSTRAINT c21 CHECK (ts < tstz),
	  CONSTRAINT c22 CHECK (d <= ts),
	  CONSTRAINT c23 CHECK (active IS NOT FALSE),
	  CONSTRAINT c24 CHECK (active = 't'::boolean),
	  CONSTRAINT c25 CHECK (m <> 'sad'),
	  CONSTRAINT c26 CHECK (e LIKE '%@%'),
	  CONSTRAINT c27 CHECK (j ? 'k'),
	  CONSTRAINT c28 CHECK (jsonb_typeof(j) = 'object'),
	  CONSTRAINT c29 CHECK (array_length(tags, 1) < 10),
	  CONSTRAINT c30 CHECK ('x' = ANY (tags)),
	  CONSTRAINT c31 CHECK (cardinality(vtags) >= 0),
	  CONSTRAINT c32 CHECK (CASE WHEN active THEN qty > 0 ELSE true END),
	  CONSTRAINT c33 CHECK (COALESCE(qty, 0) >= 0),
	  CONSTRAINT c34 CHECK (NULLIF(status, '') IS NOT NULL),
	  CONSTRAINT c35 CHECK (iv < interval '1 day'),
	  CONSTRAINT c36 CHECK (length(code) = 3),
	  CONSTRAINT c37 CHECK (NOT (qty = 13)),
	  CONSTRAINT c38 CHECK (price::integer < 100),
	  CONSTRAINT c39 CHECK (status = 'a' OR status = 'b' OR (qty > 0 AND (price > 0 AND big > 0))),
	  CONSTRAINT c40 CHECK (qty BETWEEN SYMMETRIC 10 AND 1),
	  CONSTRAINT c41 CHECK (status SIMILAR TO 'ab%'),
	  CONSTRAINT c42 CHECK (tstz > now() - interval '1 year'),
	  CONSTRAINT c43 CHECK (qty IN (1, 2, big)),
	  CONSTRAINT c44 CHECK (price > 1e2),
	  CONSTRAINT c45 CHECK (name IS DISTINCT FROM status),
	  CONSTRAINT c46 CHECK (greatest(qty, 0) = qty),
	  CONSTRAINT c47 CHECK (qty % 2 = 0),
	  CONSTRAINT c48 CHECK (ratio::numeric(5,2) > 0),
	  CONSTRAINT c49 CHECK (position('@' in e) > 1),
	  CONSTRAINT c50 CHECK (substring(status from 1 for 1) = 'a'),
	  CONSTRAINT c51 CHECK (extract(year from d) > 2000),
	  CONSTRAINT c52 CHECK (trim(name) <> '')
	)" "$(table_q t_chk)"
	[ "$N_AGREE" -eq 52 ]
}

@test "column defaults and generated columns: the user's expression and the catalog's agree (39 shapes)" {
	agree expr "CREATE TABLE t_def (
	  a integer DEFAULT 0, b integer DEFAULT -1, c numeric DEFAULT 0.00, d numeric(10,2) DEFAULT '1.50',
	  e bigint DEFAULT 10000000000, f text DEFAULT 'x', g varchar(10) DEFAULT 'abc', h boolean DEFAULT true,
	  i boolean DEFAULT 'f', j timestamptz DEFAULT now(), k timestamptz DEFAULT CURRENT_TIMESTAMP,
	  l date DEFAULT CURRENT_DATE, m jsonb DEFAULT '{}', n jsonb DEFAULT '{}'::jsonb, o text[] DEFAULT '{}',
	  p text[] DEFAULT ARRAY[]::text[], q integer DEFAULT nextval('s1'),
	  r bigint DEFAULT nextval('public.s1'::regclass), s uuid DEFAULT gen_random_uuid(),
	  t interval DEFAULT '1 day', u double precision DEFAULT 1.5, v real DEFAULT -2.5,
	  w timestamp DEFAULT (now() AT TIME ZONE 'utc'), x text DEFAULT current_user, y int DEFAULT (1 + 2),
	  z mood DEFAULT 'happy', aa smallint DEFAULT 1, ab text DEFAULT ('a' || 'b'), ac numeric DEFAULT -0.5,
	  ad timestamptz DEFAULT now() + interval '30 days', ae char(2) DEFAULT 'xy',
	  ag integer[] DEFAULT ARRAY[1, 2, 3], ah varchar DEFAULT 'a'::character varying, ai bigint DEFAULT -42,
	  aj bit(3) DEFAULT B'101', am bit(8) DEFAULT B'00000000', ak numeric DEFAULT - 7, al timestamp(3) DEFAULT LOCALTIMESTAMP(3),
	  gen int GENERATED ALWAYS AS (a * 2 + b) STORED
	)" "$(table_q t_def)"
	[ "$N_AGREE" -eq 39 ]
}

@test "interval literals: the user's spelling and the catalog's agree (14 shapes)" {
	agree expr "CREATE TABLE t_iv (iv interval, ts timestamptz,
	  CONSTRAINT i01 CHECK (iv < interval '1 month'), CONSTRAINT i02 CHECK (iv < '1 hour'::interval),
	  CONSTRAINT i03 CHECK (iv <> interval '90 minutes'), CONSTRAINT i04 CHECK (iv <> interval '2 weeks'),
	  CONSTRAINT i05 CHECK (iv <> interval '1 day 2 hours'), CONSTRAINT i06 CHECK (iv <> interval '1.5 days'),
	  CONSTRAINT i07 CHECK (iv <> interval '1 year 3 months'), CONSTRAINT i08 CHECK (iv <> interval '-1 day'),
	  CONSTRAINT i09 CHECK (iv <> interval '1 day ago'), CONSTRAINT i10 CHECK (iv <> interval '1:30'),
	  CONSTRAINT i11 CHECK (iv <> interval '36 hours'), CONSTRAINT i12 CHECK (iv <> interval '3 mins 4.5 secs'),
	  CONSTRAINT i13 CHECK (ts > now() - interval '1 week 2 days'), CONSTRAINT i14 CHECK (iv <> '@ 2 yrs 1 mon ago')
	)" "$(table_q t_iv)"
	[ "$N_AGREE" -eq 14 ]
	# and they stay apart: a month is not 30 days, a day is not 24 hours
	differ expr <<'EOF'
interval '1 month'|interval '30 days'
interval '1 day'|interval '24 hours'
interval '1 hour'|interval '1 minute'
interval '1 day'|interval '1 day ago'
EOF
}

@test "index expressions and predicates: the user's and the catalog's agree" {
	q "CREATE TABLE t (a int, b int, f text, g varchar(10), h boolean, w timestamp, m jsonb)"
	agree expr "CREATE INDEX i1 ON t (lower(f))" "$(index_q i1)"
	agree expr "CREATE INDEX i2 ON t (a, (b + 1)) WHERE h" "$(index_q i2)"
	agree expr "CREATE INDEX i3 ON t (date_trunc('day', w)) WHERE a > 0 AND f IS NOT NULL" "$(index_q i3)"
	agree expr "CREATE UNIQUE INDEX i4 ON t (lower(g)) WHERE g LIKE 'x%'" "$(index_q i4)"
	agree expr "CREATE INDEX i5 ON t USING gin ((m -> 'k'))" "$(index_q i5)"
	agree expr "CREATE INDEX i6 ON t (coalesce(a, 0), (f || 'x')) WHERE a IN (1, 2, 3)" "$(index_q i6)"
	agree expr "CREATE INDEX i7 ON t ((a::text)) WHERE b BETWEEN -10 AND 10 AND g <> 'z'" "$(index_q i7)"
	[ "$N_AGREE" -eq 13 ]
}

@test "view bodies: the user's query and pg_get_viewdef's agree (joins, aliases, GROUP BY, subqueries, CTEs)" {
	local i=0 v
	while IFS= read -r -u 4 v; do
		i=$((i + 1))
		agree query "CREATE VIEW v$i AS $v" "$(view_q "v$i")"
		agree query "CREATE VIEW w$i AS $v" "$(view_q "w$i" true)"
	done 4<<'EOF'
SELECT id, name FROM users WHERE active
SELECT u.id, u.name AS author, count(p.id) AS n FROM users u LEFT JOIN posts p ON p.user_id = u.id GROUP BY u.id, u.name
SELECT u.name, p.title FROM users u JOIN posts p ON u.id = p.user_id WHERE p.score > 1.5 ORDER BY p.score DESC
SELECT name, email FROM users WHERE email LIKE '%@example.com' AND id IN (1, 2, 3)
WITH top AS (SELECT user_id, sum(score) AS total FROM posts GROUP BY user_id) SELECT u.name, t.total FROM users u JOIN top t ON t.user_id = u.id
SELECT id FROM users WHERE EXISTS (SELECT 1 FROM posts WHERE posts.user_id = users.id)
SELECT id, (SELECT count(*) FROM posts WHERE user_id = users.id) AS cnt FROM users
SELECT user_id, count(*) FROM posts GROUP BY 1 HAVING count(*) > 1
SELECT DISTINCT lower(name) FROM users ORDER BY 1
SELECT id, CASE WHEN active THEN 'yes' ELSE 'no' END AS state, coalesce(email, 'none') FROM users
SELECT name FROM users UNION SELECT title FROM posts
SELECT id, name::varchar(10) AS short, created::date FROM public.users LIMIT 10
SELECT p.id, u.name FROM posts p, users u WHERE p.user_id = u.id AND p.title NOT LIKE 'draft%'
SELECT id FROM users WHERE created > now() - interval '7 days' AND name BETWEEN 'a' AND 'm'
SELECT sub.id FROM (SELECT id FROM users WHERE active) sub
SELECT user_id, row_number() OVER (PARTITION BY user_id ORDER BY score DESC) FROM posts
SELECT id, name || ' <' || email || '>' AS label FROM users
SELECT 1 AS one, 'x' AS kind, true, NULL::text AS nothing
SELECT u.id, count(*) AS n FROM users u GROUP BY u.id ORDER BY n DESC NULLS FIRST, u.id ASC
SELECT lower(name) AS l, count(*) FROM users GROUP BY l
EOF
	[ "$N_AGREE" -eq 40 ]
}

# Where two relations are in scope the catalog qualifies every column: these views qualify theirs,
# t-names stmt knowing no table's columns (conf-parse -m qualifies through the model: tests/fixtures/model/exprs.sql).
@test "view bodies, more shapes: windows, FILTER, ordered aggregates, rows, subscripts, JSON, COLLATE, special syntax, LATERAL, DISTINCT ON, WITH TIES, VALUES, GROUPING SETS" {
	local i=0 v
	q "ALTER TABLE users ADD tags text[], ADD j jsonb, ADD m mood; CREATE DOMAIN posint AS integer CHECK (VALUE > 0)"
	while IFS= read -r -u 4 v; do
		i=$((i + 1))
		agree query "CREATE VIEW x$i AS $v" "$(view_q "x$i")"
	done 4<<'EOF'
SELECT user_id, sum(score) OVER w FROM posts WINDOW w AS (PARTITION BY user_id ORDER BY id)
SELECT user_id, rank() OVER (ORDER BY score DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM posts
SELECT user_id, count(*) FILTER (WHERE score > 0) AS pos FROM posts GROUP BY user_id
SELECT sum(score) FILTER (WHERE score > 0) OVER (PARTITION BY user_id) FROM posts
SELECT string_agg(title, ',' ORDER BY id DESC) FROM posts
SELECT array_agg(DISTINCT user_id) FROM posts
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score) FROM posts
SELECT id FROM users WHERE ROW(id, name) = ROW(1, 'x') AND (id, name) <> (2, 'y')
SELECT id FROM users WHERE ROW(id) = ROW(3) OR (id, name) < (2, 'y')
SELECT tags[1] AS first, tags[2:3] AS mid FROM users
SELECT j -> 'a' ->> 'b' AS ab, j #> '{a,b}' AS p, j #>> '{a}' AS t, j ? 'k' AS has, j ?| array['a','b'] AS anyk FROM users
SELECT id FROM users WHERE name IS DISTINCT FROM email
SELECT id FROM users WHERE j @> '{"x":1, "y": [1,2], "a": {"b":null}}' AND j <> '[1,2]' AND j ? 'k'
SELECT id FROM users WHERE name IS NOT DISTINCT FROM 'x'
SELECT name COLLATE "C" AS n FROM users ORDER BY name COLLATE "C"
SELECT created AT TIME ZONE 'UTC' AS utc FROM users
SELECT EXTRACT(YEAR FROM created) AS y, date_part('month', created) FROM users
SELECT position('@' IN email), substring(name FROM 2 FOR 3), trim(both 'x' from name), trim(leading from name) FROM users
SELECT (created, interval '1 day') OVERLAPS (now(), interval '2 days') AS o FROM users
SELECT 'id:' || id AS label, id || '' FROM users
SELECT name || id || active AS s, id + 1.5 AS f, -id AS neg, id % 3 AS m, 2 ^ id AS p FROM users
SELECT id::text::email AS e, name::mood FROM users
SELECT id FROM users WHERE m = 'happy'::mood AND id::posint > 0
SELECT id FROM users WHERE id = ANY('{1,2}'::int[])
SELECT id, name FROM users WHERE id = ANY(ARRAY[1, 2]) AND name <> ALL('{a,b}')
SELECT u.id, p.title FROM users u CROSS JOIN LATERAL (SELECT title FROM posts WHERE user_id = u.id LIMIT 1) p
SELECT u.id, s.n FROM users u, LATERAL (SELECT count(*) AS n FROM posts) s
SELECT t.x FROM users, unnest(users.tags) AS t (x)
SELECT DISTINCT ON (user_id) user_id, title FROM posts ORDER BY user_id, score DESC
SELECT id FROM posts ORDER BY score FETCH FIRST 3 ROWS WITH TIES
SELECT id FROM users LIMIT 5 OFFSET 10
SELECT n, s FROM (VALUES (1, 'a'), (2, 'b')) AS t (n, s)
VALUES (1, 'a'), (2, 'b')
SELECT user_id, title, count(*) FROM posts GROUP BY GROUPING SETS ((user_id), (title), ())
SELECT user_id, count(*) FROM posts GROUP BY ROLLUP (user_id, title)
SELECT user_id, count(DISTINCT title) FROM posts GROUP BY CUBE (user_id, title)
SELECT id, CASE WHEN active THEN 'y' END AS s, CASE m WHEN 'happy' THEN 1 END FROM users
SELECT id, (SELECT max(score) FROM posts), (SELECT title FROM posts LIMIT 1), (SELECT 1), (SELECT name FROM users UNION SELECT 'x' LIMIT 1) FROM users
SELECT id, ARRAY(SELECT title FROM posts WHERE user_id = users.id) AS titles FROM users
SELECT id FROM users WHERE id IN (SELECT user_id FROM posts WHERE EXISTS (SELECT 1 FROM users WHERE active))
SELECT a.id, b.id AS bid FROM users a JOIN users b ON a.id < b.id
SELECT id FROM users ORDER BY name DESC NULLS LAST, id USING >
SELECT id FROM users ORDER BY id USING <, name USING > NULLS LAST
SELECT id, greatest(id, 1), least(id, 2), nullif(name, '') FROM users
SELECT id FROM users WHERE (active IS TRUE) AND (active IS NOT UNKNOWN)
SELECT id FROM users INTERSECT SELECT user_id FROM posts EXCEPT SELECT 1
SELECT name FROM users WHERE name LIKE 'a\_%' ESCAPE '\' AND email NOT SIMILAR TO '%x%'
EOF
	[ "$N_AGREE" -eq "$i" ]
	[ "$i" -eq 47 ]
}

@test "a recursive view and a relation met twice: the names pg_get_viewdef makes up do not count" {
	"$TN" view "CREATE RECURSIVE VIEW nums (n) AS SELECT 1 UNION ALL SELECT n + 1 FROM nums WHERE n < 5" >"$S/user"
	q "CREATE RECURSIVE VIEW nums (n) AS SELECT 1 UNION ALL SELECT n + 1 FROM nums WHERE n < 5"
	qt "$(view_q nums)" | "$TN" texts query >"$S/cat"
	grep -q 'nums_1' <<<"$(qt "$(view_q nums)")"
	diff "$S/user" "$S/cat"
	agree query "CREATE VIEW twice AS SELECT id FROM users WHERE EXISTS (SELECT 1 FROM users WHERE active)" "$(view_q twice)"
	grep -q 'users_1' <<<"$(qt "$(view_q twice)")"
	# an alias of the user's own stays
	differ query <<'EOF'
SELECT a.id FROM users a|SELECT a.id FROM users
SELECT id FROM users u|SELECT id FROM users users_x
EOF
}

@test "negative integers agree on every path: defaults, checks, index keys and predicates, policies, views (bounds: in their own test)" {
	q "CREATE DOMAIN posint AS integer CHECK (VALUE > 0)"
	agree expr "CREATE TABLE ng2 (a int DEFAULT -1, b bigint DEFAULT - 7 CONSTRAINT n1 CHECK (b > -100), c posint,
	   CONSTRAINT n2 CHECK (a <> -3 AND c > 0), CONSTRAINT n3 CHECK (CASE WHEN a < -1 THEN b > 0 END),
	   CONSTRAINT n4 CHECK (c::integer > -1), CONSTRAINT n5 CHECK ((a, b) <> (-1, -2)))" "$(table_q ng2)"
	agree expr "CREATE INDEX ngi ON ng2 ((a + -1), (b * -2)) WHERE a > -5" "$(index_q ngi)"
	q "ALTER TABLE ng2 ENABLE ROW LEVEL SECURITY"
	agree expr "CREATE POLICY ngp ON ng2 USING (a > -2) WITH CHECK (b <> -9)" "$(policy_q ngp)"
	agree query "CREATE VIEW ngv AS SELECT a FROM ng2 WHERE b = -4 AND a IN (-1, -2)" "$(view_q ngv)"
	[ "$N_AGREE" -eq 13 ]
	differ expr <<'EOF'
a + -1|a + 1
CASE WHEN a THEN 1 END|CASE WHEN a THEN 1 ELSE 2 END
(a, b) <> (1, 2)|(a, b) = (1, 2)
(a, b) = (1, 2)|(a, b) < (1, 2)
a IS NOT DISTINCT FROM b|a IS DISTINCT FROM b
EOF
	differ query <<'EOF'
SELECT a FROM t ORDER BY a USING <|SELECT a FROM t ORDER BY a USING >
SELECT (SELECT max(a) FROM t)|SELECT (SELECT min(a) FROM t)
SELECT sum(a) FILTER (WHERE a > 0) FROM t|SELECT sum(a) FROM t
SELECT string_agg(a, ',' ORDER BY a) FROM t|SELECT string_agg(a, ',' ORDER BY a DESC) FROM t
SELECT DISTINCT ON (a) a, b FROM t|SELECT DISTINCT a, b FROM t
SELECT a FROM t FETCH FIRST 3 ROWS WITH TIES|SELECT a FROM t FETCH FIRST 3 ROWS ONLY
SELECT a FROM t GROUP BY GROUPING SETS ((a), ())|SELECT a FROM t GROUP BY ROLLUP (a)
SELECT a FROM t GROUP BY ROLLUP (a, b)|SELECT a FROM t GROUP BY CUBE (a, b)
SELECT a[1] FROM t|SELECT a[1:2] FROM t
SELECT a -> 'k' FROM t|SELECT a ->> 'k' FROM t
SELECT a COLLATE "C" FROM t|SELECT a FROM t
SELECT a AT TIME ZONE 'UTC' FROM t|SELECT a AT TIME ZONE 'CET' FROM t
SELECT trim(leading 'x' from a) FROM t|SELECT trim(trailing 'x' from a) FROM t
SELECT a::text::email FROM t|SELECT a::text FROM t
SELECT rank() OVER (ORDER BY a) FROM t|SELECT rank() OVER (ORDER BY a DESC) FROM t
VALUES (1, 'a')|VALUES (1, 'b')
EOF
}

@test "date, timestamp and JSON literals: the user's spelling and the catalog's (UTC) agree, different values differ" {
	q "SET TimeZone = 'UTC'; CREATE TABLE dt (a timestamptz DEFAULT '2025-01-01', b timestamp DEFAULT '2025-01-01 10:00',
	   c date DEFAULT '2025-1-2', d timestamptz CONSTRAINT d1 CHECK (d > '2020-01-01 05:00:00+02'),
	   e timestamp CONSTRAINT e1 CHECK (e > '2020-01-01'::timestamp), f timestamptz DEFAULT '2025-06-01T12:30:00.250Z',
	   g date CONSTRAINT g1 CHECK (g BETWEEN '2000-01-01' AND '2099-12-31'),
	   h timestamptz CONSTRAINT h1 CHECK (h < '2030-01-01 00:00:00-05:30'::timestamptz), i jsonb DEFAULT '{\"b\":1,\"a\":[true, null]}')"
	run --separate-stderr "$TN" stmt "CREATE TABLE dt (a timestamptz DEFAULT '2025-01-01', b timestamp DEFAULT '2025-01-01 10:00',
	   c date DEFAULT '2025-1-2', d timestamptz CONSTRAINT d1 CHECK (d > '2020-01-01 05:00:00+02'),
	   e timestamp CONSTRAINT e1 CHECK (e > '2020-01-01'::timestamp), f timestamptz DEFAULT '2025-06-01T12:30:00.250Z',
	   g date CONSTRAINT g1 CHECK (g BETWEEN '2000-01-01' AND '2099-12-31'),
	   h timestamptz CONSTRAINT h1 CHECK (h < '2030-01-01 00:00:00-05:30'::timestamptz), i jsonb DEFAULT '{\"b\":1,\"a\":[true, null]}')"
	assert_success
	cut -f1,2 <<<"$output" | sort >"$S/user"
	qt "SET TimeZone = 'UTC'; $(table_q dt)" | "$TN" texts expr | sort >"$S/cat"
	[ "$(wc -l <"$S/user")" -eq 9 ]
	diff "$S/user" "$S/cat"
	differ expr <<'EOF'
'2025-01-01'|'2025-01-02'
'2025-01-01'|'2025-01-01 00:00:01'
'2025-01-01 00:00:00+01'|'2025-01-01'
'2025-01-01 10:00'|'2025-01-01 10:00:00.5'
'2025-01-01'|'2025-01-01 text'
'{"x": 1}'|'{"x": 2}'
'{"x": 1}'|'{"y": 1}'
'[1, 2]'|'[2, 1]'
EOF
}

@test "normexpr_view_query: * expanded and the view's column list applied, as the catalog stores the view" {
	local i=0 v cols='users=id,name,email,active,created posts=id,user_id,title,score'
	while IFS= read -r -u 4 v; do
		i=$((i + 1))
		q "CREATE VIEW vq$i $v"
		"$TN" view "CREATE VIEW vq$i $v" $cols >"$S/user"
		qt "$(view_q "vq$i")" | "$TN" texts query >"$S/cat"
		if ! cmp -s "$S/user" "$S/cat"; then
			echo "disagreement for: CREATE VIEW vq$i $v"
			qt "$(view_q "vq$i")"
			return 1
		fi
	done 4<<'EOF'
AS SELECT * FROM users
AS SELECT u.*, p.title FROM users u JOIN posts p ON p.user_id = u.id
AS SELECT * FROM users JOIN posts USING (id)
AS SELECT * FROM users NATURAL JOIN posts
(a, b) AS SELECT id, name || '!' FROM users
(a) AS SELECT * FROM posts
AS WITH x AS (SELECT id, title AS t FROM posts) SELECT * FROM x
AS SELECT * FROM (SELECT id AS k, 1 FROM users) s (kk)
AS SELECT s.* FROM (SELECT name FROM users UNION SELECT title FROM posts) s
(n) AS SELECT name FROM users UNION SELECT title FROM posts
EOF
	[ "$i" -eq 10 ]
	# without the table's columns a * stays, and the form is not the catalog's
	qt "$(view_q vq1)" | "$TN" texts query >"$S/cat"
	[ "$("$TN" view "CREATE VIEW vq1 AS SELECT * FROM users")" != "$(cat "$S/cat")" ]
	[ "$("$TN" view "CREATE VIEW vq1 AS SELECT * FROM users" users=id,name,email,active,created)" = "$(cat "$S/cat")" ]
}

@test "policies: USING and WITH CHECK expressions agree" {
	q "ALTER TABLE posts ENABLE ROW LEVEL SECURITY"
	agree expr "CREATE POLICY p1 ON posts USING (user_id = current_setting('app.uid')::int)" "$(policy_q p1)"
	agree expr "CREATE POLICY p2 ON posts FOR INSERT WITH CHECK (score >= 0 AND title <> '')" "$(policy_q p2)"
	agree expr "CREATE POLICY p3 ON posts FOR UPDATE USING (user_id IN (SELECT id FROM users WHERE active)) WITH CHECK (true)" "$(policy_q p3)"
	agree expr "CREATE POLICY p4 ON posts FOR SELECT USING (EXISTS (SELECT 1 FROM users u WHERE u.id = posts.user_id AND u.active))" "$(policy_q p4)"
	agree expr "CREATE POLICY p5 ON posts FOR DELETE USING (current_user = 'admin' OR title ILIKE 'tmp%')" "$(policy_q p5)"
	[ "$N_AGREE" -eq 6 ]
}

@test "trigger WHEN: the user's condition and the one in pg_get_triggerdef agree, OLD and NEW kept apart" {
	q "CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RETURN NEW; END\$\$"
	local sql="CREATE TRIGGER tr BEFORE UPDATE ON posts FOR EACH ROW WHEN (OLD.score IS DISTINCT FROM NEW.score AND NEW.title <> '') EXECUTE FUNCTION tf()"
	q "$sql"
	run "$TN" stmt "$(q "SET search_path = pg_catalog; SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'tr'")"
	assert_success
	[ "$(cut -f1,2 <<<"$output")" = "$("$TN" stmt "$sql" | cut -f1,2)" ]
	differ expr <<'EOF'
old.score IS DISTINCT FROM new.score|new.score IS DISTINCT FROM old.score
old.a > 0|new.a > 0
EOF
}

@test "partition bounds and SQL-standard function bodies agree" {
	q "CREATE TABLE ev (id int, at date, kind text) PARTITION BY RANGE (at);
	   CREATE TABLE lk (id int, kind text) PARTITION BY LIST (kind);
	   CREATE TABLE hs (id int) PARTITION BY HASH (id)"
	bound_q() { echo "SELECT 'bound', pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'public.$1'::regclass"; }
	agree bound "CREATE TABLE ev2020 PARTITION OF ev FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')" "$(bound_q ev2020)"
	agree bound "CREATE TABLE evmax PARTITION OF ev FOR VALUES FROM ('2021-01-01') TO (MAXVALUE)" "$(bound_q evmax)"
	agree bound "CREATE TABLE evdef PARTITION OF ev DEFAULT" "$(bound_q evdef)"
	agree bound "CREATE TABLE lkab PARTITION OF lk FOR VALUES IN ('a', 'b')" "$(bound_q lkab)"
	agree bound "CREATE TABLE hs1 PARTITION OF hs FOR VALUES WITH (MODULUS 4, REMAINDER 1)" "$(bound_q hs1)"
	body_q() { echo "SELECT 'body', translate(pg_get_function_sqlbody('public.$1'::regprocedure), E'\n', ' ')"; }
	agree body "CREATE FUNCTION add1(a int) RETURNS int LANGUAGE sql RETURN a + 1" "$(body_q 'add1(integer)')"
	agree body "CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM users WHERE active; END" "$(body_q 'cnt()')"
	[ "$N_AGREE" -eq 7 ]
}

# bound_agree TYPES PARENT PARTITION BOUND: PARTITION made as a partition of PARENT with BOUND (the
# session in UTC, as conf-inspect reads): normexpr_bound of BOUND with the key types TYPES
# (t-names bound) must be the form of the catalog's text read without types, as conf-inspect does
bound_agree() {
	local cat user form
	q "SET TimeZone = 'UTC'; CREATE TABLE $3 PARTITION OF $2 $4"
	cat=$(qt "SET TimeZone = 'UTC'; SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'public.$3'::regclass")
	user=$("$TN" bound "$1" "$4")
	form=$("$TN" text bound "$cat")
	[ "$user" = "$form" ] || { echo "bound of $3: $4 | catalog: $cat"; return 1; }
	N_AGREE=$((${N_AGREE:-0} + 1))
}

@test "partition bounds are read as the key's type: dates, timestamps (UTC), numbers, text, booleans, MINVALUE, lists, hash" {
	q "CREATE TABLE pd (d date) PARTITION BY RANGE (d);
	   CREATE TABLE pt (t timestamp) PARTITION BY RANGE (t);
	   CREATE TABLE pz (z timestamptz) PARTITION BY RANGE (z);
	   CREATE TABLE pz3 (z timestamp(3) with time zone, n int) PARTITION BY RANGE (z, n);
	   CREATE TABLE pi (i bigint) PARTITION BY RANGE (i);
	   CREATE TABLE pn (n numeric(10,2)) PARTITION BY RANGE (n);
	   CREATE TABLE px (a text, b int) PARTITION BY RANGE (lower(a), b);
	   CREATE TABLE pl (s varchar(10)) PARTITION BY LIST (s);
	   CREATE TABLE pb (b boolean) PARTITION BY LIST (b);
	   CREATE TABLE pli (i int) PARTITION BY LIST (i);
	   CREATE TABLE pld (d date) PARTITION BY LIST (d);
	   CREATE TABLE ph (i int, s text) PARTITION BY HASH (i, s)"
	bound_agree date pd pd1 "FOR VALUES FROM ('2025-01-01') TO ('2025-2-1')"
	bound_agree date pd pd2 "FOR VALUES FROM ('2025-02-01 10:30') TO ('2025-03-01'::date)"
	bound_agree date pd pd3 "FOR VALUES FROM (MINVALUE) TO ('2020-01-01')"
	bound_agree date pd pd4 "FOR VALUES FROM ('2025-03-01') TO (MAXVALUE)"
	bound_agree "timestamp without time zone" pt pt1 "FOR VALUES FROM ('2025-01-01') TO ('2025-01-01 12:00')"
	bound_agree "timestamp without time zone" pt pt2 "FOR VALUES FROM ('2025-01-01T12:00:00.250') TO ('2025-01-02 00:00:00+05')"
	bound_agree "timestamp with time zone" pz pz1 "FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-04-01 01:00:00+01')"
	bound_agree "timestamp with time zone" pz pz2 "FOR VALUES FROM ('2022-04-01 01:00:00+01') TO ('2022-05-01')"
	bound_agree "timestamp with time zone" pz pz5 "FOR VALUES FROM ('2022-05-01 00:00:00Z') TO ('2022-05-31 22:30:00-01:30')"
	bound_agree "timestamp with time zone" pz pz4 "FOR VALUES FROM ('2022-06-01 00:00:00.5') TO ('2022-07-01 02:00:00+0200'::timestamptz)"
	bound_agree "timestamp(3) with time zone;integer" pz3 pz31 "FOR VALUES FROM ('2024-12-31 23:00:00-01', -5) TO ('2025-02-01', MAXVALUE)"
	bound_agree bigint pi pi1 "FOR VALUES FROM (-100) TO ('0')"
	bound_agree bigint pi pi2 "FOR VALUES FROM (0) TO (10000000000)"
	bound_agree "numeric(10,2)" pn pn1 "FOR VALUES FROM (-1.5) TO ('2.50')"
	bound_agree ";integer" px px1 "FOR VALUES FROM ('a', 1) TO ('m', -1)"
	bound_agree "character varying(10)" pl pl1 "FOR VALUES IN ('fr', 'de', NULL)"
	bound_agree boolean pb pb1 "FOR VALUES IN ('yes')"
	bound_agree boolean pb pb2 "FOR VALUES IN (false)"
	bound_agree integer pli pli1 "FOR VALUES IN (-1, '2', 3)"
	bound_agree date pld pld1 "FOR VALUES IN ('2025-01-01', '2025-1-2')"
	bound_agree "integer;text" ph ph1 "FOR VALUES WITH (MODULUS 4, REMAINDER 3)"
	[ "$N_AGREE" -eq 21 ]
	# the key's type is what makes them agree: read without it, the user's text is not the catalog's
	# (an offset is ignored by timestamp without time zone, 'yes' is a boolean's true)
	[ "$("$TN" text bound "FOR VALUES FROM ('2025-01-01T12:00:00.250') TO ('2025-01-02 00:00:00+05')")" != \
	  "$("$TN" text bound "$(qt "SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE oid = 'public.pt2'::regclass")")" ]
	[ "$("$TN" text bound "FOR VALUES IN ('yes')")" != "$("$TN" text bound "FOR VALUES IN (true)")" ]
	# and different bounds stay different
	z="timestamp with time zone"
	[ "$("$TN" bound "$z" "FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')")" != "$("$TN" bound "$z" "FOR VALUES FROM ('2022-01-01') TO ('2022-02-01 00:00:00-01')")" ]
	[ "$("$TN" bound "$z" "FOR VALUES FROM ('2022-01-01 00:00:00+01') TO ('2022-02-01')")" = "$("$TN" bound "$z" "FOR VALUES FROM ('2021-12-31 23:00') TO ('2022-02-01')")" ]
	[ "$("$TN" bound date "FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')")" != "$("$TN" bound date "FOR VALUES FROM ('2022-01-01') TO ('2022-02-02')")" ]
	[ "$("$TN" bound "timestamp without time zone" "FOR VALUES FROM ('2022-01-01 00:00:00+05') TO (MAXVALUE)")" = "$("$TN" bound "timestamp without time zone" "FOR VALUES FROM ('2022-01-01') TO (MAXVALUE)")" ]
	[ "$("$TN" bound boolean "FOR VALUES IN ('on')")" != "$("$TN" bound boolean "FOR VALUES IN ('off')")" ]
}

# differ KIND: each stdin line A|B is two expressions that must have different forms
differ() {
	local a b bad=0
	while IFS='|' read -r a b; do
		if [ "$("$TN" text "$1" "$a" </dev/null)" = "$("$TN" text "$1" "$b" </dev/null)" ]; then
			echo "same form: $a | $b"
			bad=$((bad + 1))
		fi
	done
	[ "$bad" -eq 0 ]
}

@test "different expressions keep different forms" {
	differ expr <<'EOF'
a > 0|a >= 0
a > 0|a > 1
a > 0|b > 0
a = 0|a = -1
a = 1|a = -1
a = -1|a = -2
x IN (1, 2)|x IN (1, 3)
B'0001'|B'1'
'0001'::bit(4)|'1'::bit(4)
x IN (1, 2)|x NOT IN (1, 2)
x LIKE 'a%'|x ILIKE 'a%'
x LIKE 'a%'|x NOT LIKE 'a%'
x BETWEEN 1 AND 5|x BETWEEN 1 AND 6
x BETWEEN 1 AND 5|x NOT BETWEEN 1 AND 5
x BETWEEN 1 AND 5|x BETWEEN SYMMETRIC 1 AND 5
a AND b|a OR b
NOT a|a
x IS NULL|x IS NOT NULL
coalesce(a, 0)|coalesce(a, 1)
lower(x)|upper(x)
'a'|'b'
now()|CURRENT_TIMESTAMP
nextval('s1')|nextval('s2')
nextval('"S1"')|nextval('s1')
a - b|b - a
a::date|a
CASE WHEN a THEN 1 ELSE 2 END|CASE WHEN a THEN 2 ELSE 1 END
x = ANY (ARRAY[1, 2])|x = ALL (ARRAY[1, 2])
true|false
B'101'|B'110'
1.5|1.05
a || 'x'|'x' || a
EOF
	differ query <<'EOF'
SELECT id FROM t|SELECT id FROM u
SELECT id FROM t WHERE a|SELECT id FROM t WHERE NOT a
SELECT a AS x FROM t|SELECT a AS y FROM t
SELECT a FROM t ORDER BY a|SELECT a FROM t ORDER BY a DESC
SELECT a FROM t UNION SELECT b FROM u|SELECT a FROM t UNION ALL SELECT b FROM u
SELECT a FROM t GROUP BY 1|SELECT a FROM t GROUP BY a, b
EOF
}

@test "F2: a string constant keeps its text; only a numeric type reads it as a number, numeric scale kept" {
	differ expr <<'EOF'
'007'|'7'
'01234'|'1234'
'1.0'|'1'
'1e3'|'1000'
c <> '01234'|c <> '1234'
B'01'|B'1'
B'00000000'|B'0'
'01'::"bit"|'1'::"bit"
1.50|1.5
'1.50'::numeric|'1.5'::numeric
-1.50|-1.5
EOF
}

@test "F47: a cast that changes the type keeps its place (typmods, integer casts, a numeric cast beside an integer)" {
	differ expr <<'EOF'
a::numeric / 3 > 1|a / 3 > 1
((a)::numeric / (3)::numeric) > (1)::numeric|a / 3 > 1
(j->>'n')::int > 5|(j->>'n') > '5'
x < '10'::text|x < '10'::varchar(1)
x::varchar(3)|x::varchar(4)
x::numeric(10,2)|x::numeric
x::varchar(3) <> 'a'|x <> 'a'
x::date > now()|x > now()::text
'1.5'::numeric(10,2)|'1.5'::numeric
x::int|x
x::int|x::bigint
EOF
	differ query <<'EOF'
SELECT x::varchar(3) AS v FROM a|SELECT x::varchar(4) AS v FROM a
SELECT x::numeric(10,2) AS v FROM a|SELECT x::numeric AS v FROM a
SELECT a::numeric AS v FROM t|SELECT a AS v FROM t
SELECT 1.50|SELECT 1.5
SELECT sum(y) FROM unnest(xs) AS x(y)|SELECT sum(y) FROM unnest(xs) AS x
EOF
}

@test "F48: a function's schema and a column's relation stay where they tell two apart" {
	differ expr <<'EOF'
s1.f(v) > 0|s2.f(v) > 0
s1.f(v) > 0|f(v) > 0
EOF
	differ query <<'EOF'
SELECT a.x FROM a JOIN b ON a.id = b.id|SELECT b.x FROM a JOIN b ON a.id = b.id
SELECT a.x FROM a, b WHERE a.id = b.x|SELECT a.x FROM a, b WHERE a.x = b.id
EOF
}

# pairs N...: for each N, views lN and rN of tests/review/misc/pairs.sql (conf-parse -m) have different queries
pairs() {
	local n l r bad=0
	"$CONF_BINDIR/conf-parse" -m "$REPO/tests/review/misc/pairs.sql" 2>/dev/null |
		jq -r 'select(.kind == "view") | "\(.name)\t\(.query)"' >"$S/pairs"
	for n in "$@"; do
		l=$(awk -v v="l$n" '$1 == v { print $2 }' "$S/pairs")
		r=$(awk -v v="r$n" '$1 == v { print $2 }' "$S/pairs")
		[ -n "$l" ] && [ -n "$r" ] || { echo "no view l$n or r$n"; bad=$((bad + 1)); continue; }
		[ "$l" != "$r" ] || { echo "same query: l$n r$n"; bad=$((bad + 1)); }
	done
	[ "$bad" -eq 0 ]
}

@test "the 25 view pairs of tests/review/misc/pairs.sql that mean different things keep different queries" {
	pairs 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 19 21 22 23 24 25 27 28
}

@test "conf-parse -m: a DEFAULT's literal read as its column's type, a view's columns qualified, NOTIFY rule actions" {
	run --separate-stderr "$CONF_BINDIR/conf-parse" -m "$REPO/tests/fixtures/model/exprs.sql"
	assert_success
	echo "$output" >"$S/m"
	# '007' and '7' on a text column, '01234' and '1234' on varchar: four different defaults
	run jq -r 'select(.id == "table:public.lits") | [.columns[] | select(.name | test("^[a-d]$")) | .default] | unique | length' "$S/m"
	assert_output 4
	# '05' for an integer column is the integer 5, as the catalog prints it
	run jq -r 'select(.id == "table:public.lits") | .columns[] | select(.name == "l") | .default' "$S/m"
	assert_output "$("$TN" text expr 5)"
	# every constraint of the fixture's tables has a form of its own
	run jq -r 'select(.id == "table:public.casts" or .id == "table:public.quals" or .id == "table:public.lits")
	  | [.constraints[] | .expr] | length == (unique | length)' "$S/m"
	assert_output $'true\ntrue\ntrue'
	run jq -r 'select(.id == "view:public.va" or .id == "view:public.vb") | .query' "$S/m"
	[ "${#lines[@]}" -eq 2 ] && [ "${lines[0]}" != "${lines[1]}" ]
	# a rule whose only action is NOTIFY: the catalog's "DO NOTIFY" text has the same form
	run jq -r 'select(.id == "rule:public.a.a_notify") | .actions' "$S/m"
	assert_output "$("$TN" text query "NOTIFY a_changed")"
	assert_equal "$("$TN" text query "$(printf 'DO\n NOTIFY a_changed')")" "$output"
}

@test "the same form for what PostgreSQL reads as the same expression" {
	local a b bad=0
	while IFS='|' read -r a b; do
		if [ "$("$TN" text expr "$a" </dev/null)" != "$("$TN" text expr "$b" </dev/null)" ]; then
			echo "different forms: $a | $b"
			bad=$((bad + 1))
		fi
	done <<'EOF'
x != 1|x <> 1
public.f(x)|f(x)
pg_catalog.lower(x)|lower(x)
nextval('"public"."s1"')|nextval('s1')
nextval('Public.S1')|nextval('s1'::regclass)
1e3|1000
1.50|'1.50'::numeric
'1e3'::numeric|1000
'007'::integer|7
'-5'::integer|-5
'007'::text|'007'
(a)::numeric > 1.5|a > 1.5
((v)::text <> '01234'::text)|v <> '01234'
(c)::integer > 0|c > 0
round((a)::numeric, 2) > (0)::numeric|round(a, 2) > 0
1.5::numeric(10,2)|'1.5'::numeric(10,2)
('1.5'::numeric)::numeric(10,2)|'1.5'::numeric(10,2)
-0|0
x IN (a, b)|x = a OR x = b
x NOT IN (1, 2)|x <> ALL (ARRAY[1, 2])
x NOT BETWEEN 1 AND 2|x < 1 OR x > 2
x NOT ILIKE 'a'|x !~~* 'a'
(a AND b) AND c|a AND (b AND c)
t.a > 0|a > 0
CAST(x AS integer) > 1|x > '1'::integer
X'F'|B'1111'
'1111'::bit(4)|B'1111'::bit(4)
EOF
	while IFS='|' read -r a b; do
		if [ "$("$TN" text query "$a" </dev/null)" != "$("$TN" text query "$b" </dev/null)" ]; then
			echo "different forms: $a | $b"
			bad=$((bad + 1))
		fi
	done <<'EOF'
SELECT a.x FROM a|SELECT x FROM a
SELECT sum(x) FROM unnest(xs) AS x|SELECT sum(x.x) AS sum FROM unnest(f2.xs) x(x)
SELECT sum(unnest) FROM unnest(xs)|SELECT sum(unnest.unnest) AS sum FROM unnest(f3.xs) unnest(unnest)
NOTIFY chg|DO   NOTIFY chg
EOF
	[ "$bad" -eq 0 ]
}

@test "normexpr_slice: an expression's text from its first token to its last" {
	run "$TN" stmt "CREATE TABLE t (a int DEFAULT -1 NOT NULL, b text DEFAULT 'x'::text COLLATE \"C\",
	  c timestamptz DEFAULT now() NOT NULL, d numeric CHECK ((d > 0)) , e int DEFAULT (1 + 2) * 3,
	  f timestamp with time zone DEFAULT '2020-01-01'::timestamp with time zone,
	  g int CONSTRAINT g_chk CHECK (g IS NOT NULL), h text DEFAULT CASE WHEN true THEN 'a' ELSE 'b' END,
	  i interval DEFAULT interval '1' day, j varchar(10)[] DEFAULT '{}'::varchar(10)[],
	  k int DEFAULT t.f(1, 2) -- a comment, with a comma
	  , l int DEFAULT \$\$1\$\$::int PRIMARY KEY, m text DEFAULT E'a\\'b' || 'c' UNIQUE,
	  CHECK (a > 0 AND (b IS NOT NULL)))"
	assert_success
	run cut -f1,3 <<<"$output"
	assert_output - <<'EOF'
default:a	-1
default:b	'x'::text
default:c	now()
check:?	d > 0
default:e	(1 + 2) * 3
default:f	'2020-01-01'::timestamp with time zone
check:g_chk	g IS NOT NULL
default:h	CASE WHEN true THEN 'a' ELSE 'b' END
default:i	interval '1' day
default:j	'{}'::varchar(10)[]
default:k	t.f(1, 2)
default:l	$$1$$::int
default:m	E'a\'b' || 'c'
check:?	a > 0 AND (b IS NOT NULL)
EOF
}

@test "normexpr_slice: queries, index parts, bounds and bodies with their leading and trailing words" {
	local q
	for q in "CREATE VIEW v AS SELECT DISTINCT ON (a) b FROM t WHERE b > 0 ORDER BY a DESC NULLS LAST WITH CHECK OPTION;" \
		"CREATE VIEW v AS VALUES (1), (2)" \
		"CREATE VIEW v AS WITH x AS (SELECT 1) SELECT * FROM x ORDER BY 1 FETCH FIRST 3 ROWS WITH TIES" \
		"CREATE INDEX ON t ((lower(a)) DESC, b) WHERE a IS NOT NULL;" \
		"CREATE TABLE p1 PARTITION OF p FOR VALUES FROM ('a') TO (MAXVALUE)" \
		"CREATE TABLE p1 PARTITION OF p DEFAULT" \
		"CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 1) PARTITION BY LIST (a)" \
		"CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + 1" \
		"CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN 1 END; INSERT INTO t VALUES (1); END" \
		"CREATE POLICY p ON t USING (a = current_user) WITH CHECK (true)"; do
		"$TN" stmt "$q" | cut -f1,3
	done >"$S/out"
	run cat "$S/out"
	assert_output - <<'EOF'
query	SELECT DISTINCT ON (a) b FROM t WHERE b > 0 ORDER BY a DESC NULLS LAST
query	VALUES (1), (2)
query	WITH x AS (SELECT 1) SELECT * FROM x ORDER BY 1 FETCH FIRST 3 ROWS WITH TIES
key:1	lower(a)
where	a IS NOT NULL
bound	FOR VALUES FROM ('a') TO (MAXVALUE)
bound	DEFAULT
bound	FOR VALUES WITH (MODULUS 4, REMAINDER 1)
body	RETURN a + 1
body	BEGIN ATOMIC SELECT CASE WHEN a > 0 THEN 1 END; INSERT INTO t VALUES (1); END
using	a = current_user
check	true
EOF
}

@test "F19: a user collation is named schema-qualified by both tools, a built-in one bare" {
	run --separate-stderr "$CONF_BINDIR/conf-parse" -m "$REPO/tests/fixtures/model-warn/collations.sql"
	assert_success
	echo "$output" >"$S/m"
	run jq -r 'select(.id == "table:public.tags") | [.columns[] | "\(.name)=\(.collation)"] | join(" ")' "$S/m"
	assert_output "name=public.ci b=public.ci d=s1.ci2 e=und-x-icu f=POSIX g=public.ci"
	run jq -r 'select(.id == "domain:public.cidom" or .id == "type:public.comp") | .collation // .attributes[0].collation' "$S/m"
	assert_output $'public.ci\npublic.ci'
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/model-warn/collations.sql"
	assert_output "1/1 agree"
	assert_success
}

# ---- h/f8norm: expressions with different meaning keep different forms, both tools agree ----

# differ_views FILE KIND N...: conf-parse -m FILE gives views lN and rN different queries (KIND query)
differ_views() {
	local f=$1 n l r bad=0
	shift
	"$CONF_BINDIR/conf-parse" -m "$f" 2>/dev/null |
		jq -r 'select(.kind == "view") | "\(.name)\t\(.query)"' >"$S/views"
	for n in "$@"; do
		l=$(awk -v v="l$n" '$1 == v { print $2 }' "$S/views")
		r=$(awk -v v="r$n" '$1 == v { print $2 }' "$S/views")
		[ -n "$l" ] && [ -n "$r" ] || { echo "no view l$n or r$n"; bad=$((bad + 1)); continue; }
		[ "$l" != "$r" ] || { echo "same query: l$n r$n"; bad=$((bad + 1)); }
	done
	[ "$bad" -eq 0 ]
}

@test "R24: a column of an outer query level keeps its relation: correlated and uncorrelated subqueries differ, both tools agree" {
	run differ_views "$REPO/tests/fixtures/normexpr/levels.sql" 1 2 3 4 5
	assert_success
	differ query <<'EOF'
SELECT (SELECT max(x) FROM b WHERE b.id = a.id) FROM a|SELECT (SELECT max(x) FROM b WHERE b.id = b.id) FROM a
SELECT x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x = a.x)|SELECT x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x = b.x)
SELECT s.x FROM a, LATERAL (SELECT b.x FROM b WHERE b.id = a.id) s|SELECT s.x FROM a, LATERAL (SELECT a.x FROM b WHERE b.id = a.id) s
EOF
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/levels.sql"
	assert_output "1/1 agree"
	assert_success
}

@test "R3: the typmod of a timestamp or interval cast of a non-constant is kept, both tools agree" {
	differ expr <<'EOF'
x::timestamp(0) > '2020-01-01'|x::timestamp(3) > '2020-01-01'
x::timestamp(0) > '2020-01-01'|x::timestamp > '2020-01-01'
now()::timestamp(0)|now()::timestamp(6)
x::interval(0) > '1 s'|x::interval(2) > '1 s'
x::timestamptz(1) > '2020-01-01'|x::timestamptz(2) > '2020-01-01'
EOF
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/casts.sql"
	assert_output "1/1 agree"
	assert_success
}

@test "R4: an interval literal's fields give a bare number its unit (interval '1' hour is one hour), both tools agree" {
	differ expr <<'EOF'
interval '1' hour|interval '1' day
interval '1' minute|interval '1' second
interval '1' year|interval '1' month
interval '1' hour|1
EOF
	[ "$("$TN" text expr "interval '1' hour")" = "$("$TN" text expr "'01:00:00'::interval")" ]
	[ "$("$TN" text expr "interval '2' year")" = "$("$TN" text expr "'2 years'::interval")" ]
	[ "$("$TN" text expr "interval '90' minute to second")" = "$("$TN" text expr "'00:01:30'::interval")" ]
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/casts.sql"
	assert_output "1/1 agree"
	assert_success
}

@test "R19: a json literal keeps its text, a jsonb literal is read as its value; both tools agree" {
	differ expr <<'EOF'
'{"a":1}'::json|'{"a": 1}'::json
'{"a":1,"b":2}'::json|'{"b":2,"a":1}'::json
EOF
	[ "$("$TN" text expr "'{\"a\":1,\"b\":2}'::jsonb")" = "$("$TN" text expr "'{\"b\": 2, \"a\": 1}'::jsonb")" ]
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/casts.sql"
	assert_output "1/1 agree"
	assert_success
}

@test "R15: a whole-row reference f(t) is the catalog's f(t.*), at any level; both tools agree" {
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/wholerow.sql"
	assert_output "1/1 agree"
	assert_success
}

# col_forms FILE: "name form" of each table's checks, view's query and policy's USING, the same
# from conf-parse -m FILE and from conf-inspect of $DB built from FILE (fails when they differ)
col_forms() {
	local filt='select(.kind == "table" or .kind == "view" or .kind == "policy")
		| "\(.name) \(if .kind == "table" then ([.constraints[]?.expr] | join(",")) elif .kind == "view" then .query else .using end)"'
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f "$1" >/dev/null
	"$CONF_BINDIR/conf-parse" -m "$1" | jq -r "$filt" >"$S/parse.forms"
	"$CONF_BINDIR/conf-inspect" -d "$DBURL" | jq -r "$filt" >"$S/inspect.forms"
	diff "$S/parse.forms" "$S/inspect.forms"
}

# pairs A B N...: the forms of A<n> and B<n> in $S/parse.forms, "same" or "differ" each
pairs() {
	local a=$1 b=$2 n
	shift 2
	for n in "$@"; do
		if [ "$(awk -v k="$a$n" '$1 == k { print $2 }' "$S/parse.forms")" = \
			"$(awk -v k="$b$n" '$1 == k { print $2 }' "$S/parse.forms")" ]; then
			echo "$a$n same"
		else
			echo "$a$n differ"
		fi
	done
}

@test "R1 R2 R5: a cast of a column stays unless PostgreSQL adds it itself; a literal beside a column is read as its type; both tools agree" {
	new_db coltypes
	run col_forms "$REPO/tests/fixtures/normexpr/coltypes.sql"
	assert_success
	assert_output ""
	# narrowing, to oid, to text, between date/time types, of a char(n) or a name, of an enum,
	# an integer division made numeric or float, char(n) or name to text beside their own
	# operators (=, LIKE, ~): the user's meaning
	run pairs l r 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 v1 v2 v3 p1
	assert_output "$(printf 'l%s differ\n' 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 v1 v2 v3 p1)"
	# no-op casts (own type, domain to base, varchar to text, varchar[] to text[]), the widenings PostgreSQL adds beside
	# an operand of the wider type, char(n) and name to text beside an operator they lack (||),
	# '01' for an integer, '1.50' for a numeric, IN lists
	run pairs s t 1 2 3 4 5 6 7 8 9 10 11 12 13 14
	assert_output "$(printf 's%s same\n' 1 2 3 4 5 6 7 8 9 10 11 12 13 14)"
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/coltypes.sql"
	assert_output "1/1 agree"
	assert_success
}

@test "R25: a FULL JOIN's merged column is neither relation's, a RIGHT JOIN's the right one's, NATURAL is USING; both tools agree" {
	run differ_views "$REPO/tests/fixtures/normexpr/joins.sql" 1 2 3 4 5 6
	assert_success
	run --separate-stderr "$REPO/tests/model-agree.sh" "$REPO/tests/fixtures/normexpr/joins.sql"
	assert_output "1/1 agree"
	assert_success
}
