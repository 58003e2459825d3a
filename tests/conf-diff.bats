#!/usr/bin/env bats
# conf-diff: two schema models in, the migration between them out (issue 9)

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# model NAME SQL: NAME.m, the model conf-parse -m makes of SQL
model() {
	printf '%s\n' "$2" >"$1.sql"
	conf-parse -m "$1.sql" >"$1.m"
}

# the pair most tests use: a column made NOT NULL and wider, a unique key, a check, a foreign
# key, an index, an enum label added in place
pair() {
	model a "CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE t (id int PRIMARY KEY, name text, n int, m mood);
CREATE TABLE u (id int, t_id int);"
	model b "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL, n bigint, m mood, CONSTRAINT t_name_key UNIQUE (name));
CREATE TABLE u (id int, t_id int REFERENCES t, CHECK (id > 0));
CREATE INDEX u_t_id_idx ON u (t_id);"
}

@test "the same models: nothing is written, exit 0" {
	pair
	run conf-diff a.m a.m
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run conf-diff - a.m <a.m
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run conf-diff --no-online a.m - <b.m
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "ALTER TYPE public.mood ADD VALUE 'ok' BEFORE 'happy';" ]
}

@test "online forms by default: the timeout preamble, NOT VALID then VALIDATE, NOT NULL through a check, concurrent indexes, ADD VALUE in place" {
	pair
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "$output" = "SET lock_timeout = '5s';

-- conf-diff: commit: what this adds is used only after it commits
ALTER TYPE public.mood ADD VALUE 'ok' BEFORE 'happy';

ALTER TABLE public.t ADD CONSTRAINT t_name_not_null CHECK (name IS NOT NULL) NOT VALID;

ALTER TABLE public.t VALIDATE CONSTRAINT t_name_not_null;

ALTER TABLE public.t ALTER COLUMN name SET NOT NULL;

ALTER TABLE public.t DROP CONSTRAINT t_name_not_null;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN n TYPE bigint;

-- hazard: index build
CREATE UNIQUE INDEX CONCURRENTLY t_name_key ON public.t (name);

ALTER TABLE public.t ADD CONSTRAINT t_name_key UNIQUE USING INDEX t_name_key;

ALTER TABLE public.u ADD CONSTRAINT u_id_check CHECK (id > 0) NOT VALID;

ALTER TABLE public.u VALIDATE CONSTRAINT u_id_check;

ALTER TABLE public.u ADD CONSTRAINT u_t_id_fkey FOREIGN KEY (t_id) REFERENCES public.t (id) NOT VALID;

ALTER TABLE public.u VALIDATE CONSTRAINT u_t_id_fkey;

-- hazard: index build
CREATE INDEX CONCURRENTLY u_t_id_idx ON public.u (t_id);" ]
}

@test "--no-online: the plain forms, no preamble" {
	pair
	run conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "-- conf-diff: commit: what this adds is used only after it commits
ALTER TYPE public.mood ADD VALUE 'ok' BEFORE 'happy';

-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN name SET NOT NULL;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN n TYPE bigint;

-- hazard: access exclusive lock
-- hazard: index build
ALTER TABLE public.t ADD CONSTRAINT t_name_key UNIQUE (name);

-- hazard: access exclusive lock
ALTER TABLE public.u ADD CONSTRAINT u_id_check CHECK (id > 0);

-- hazard: access exclusive lock
ALTER TABLE public.u ADD CONSTRAINT u_t_id_fkey FOREIGN KEY (t_id) REFERENCES public.t (id);

-- hazard: index build
-- hazard: share lock
CREATE INDEX u_t_id_idx ON public.u (t_id);" ]
}

@test "-j: the change list, tx false for CONCURRENTLY and for ADD VALUE (with commit)" {
	pair
	run conf-diff -j a.m b.m
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = '{"kind":"change","id":"session","action":"set","sql":"SET lock_timeout = '"'5s'"'","hazards":[],"tx":true}' ]
	[ "${lines[1]}" = '{"kind":"change","id":"type:public.mood","action":"alter","sql":"ALTER TYPE public.mood ADD VALUE '"'ok'"' BEFORE '"'happy'"'","hazards":[],"tx":false,"commit":true}' ]
	[ "${lines[6]}" = '{"kind":"change","id":"table:public.t","action":"alter","sql":"ALTER TABLE public.t ALTER COLUMN n TYPE bigint","hazards":["table rewrite","access exclusive lock"],"tx":true}' ]
	[ "${lines[7]}" = '{"kind":"change","id":"table:public.t","action":"alter","sql":"CREATE UNIQUE INDEX CONCURRENTLY t_name_key ON public.t (name)","hazards":["index build"],"tx":false}' ]
	[ "${lines[13]}" = '{"kind":"change","id":"index:public.u_t_id_idx","action":"create","sql":"CREATE INDEX CONCURRENTLY u_t_id_idx ON public.u (t_id)","hazards":["index build"],"tx":false}' ]
	[ "${#lines[@]}" -eq 14 ]
}

@test "a destructive statement is written commented out, and uncommented with --allow-destructive" {
	model a "CREATE TABLE t (id int, n bigint, gone text);"
	model b "CREATE TABLE t (id int, n int);"
	run conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "-- hazard: data loss
-- hazard: table rewrite
-- hazard: access exclusive lock
-- destructive: left out without --allow-destructive
-- ALTER TABLE public.t ALTER COLUMN n TYPE integer;

-- hazard: data loss
-- destructive: left out without --allow-destructive
-- ALTER TABLE public.t DROP COLUMN gone;" ]
	run conf-diff --no-online --allow-destructive -j a.m b.m
	[ "$output" = '{"kind":"change","id":"table:public.t","action":"alter","sql":"ALTER TABLE public.t ALTER COLUMN n TYPE integer","hazards":["data loss","table rewrite","access exclusive lock"],"tx":true,"destructive":true}
{"kind":"change","id":"table:public.t","action":"alter","sql":"ALTER TABLE public.t DROP COLUMN gone","hazards":["data loss"],"tx":true,"destructive":true}' ]
	run conf-diff --no-online -j a.m b.m
	[ "${lines[1]}" = '{"kind":"change","id":"table:public.t","action":"alter","sql":"ALTER TABLE public.t DROP COLUMN gone","hazards":["data loss"],"tx":true,"destructive":true,"skipped":true}' ]
}

@test "a type change without an assignment cast gets USING; the view over the column is made again around it, the policy over another column is not" {
	model a "CREATE TABLE t (id int, n text, s text);
CREATE VIEW v AS SELECT id, n FROM t;
CREATE POLICY p ON t USING (id > 0);"
	model b "CREATE TABLE t (id int, n uuid, s text);
CREATE VIEW v AS SELECT id, n FROM t;
CREATE POLICY p ON t USING (id > 0);"
	run conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "DROP VIEW public.v;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN n TYPE uuid USING n::uuid;

SET search_path = 'public';

CREATE VIEW public.v (id, n) AS
SELECT id, n FROM t;

RESET search_path;" ]
}

@test "an enum label removed: rename, create, swap the columns through text, drop; destructive as a whole" {
	model a "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (id int, m mood DEFAULT 'ok');"
	model b "CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE t (id int, m mood DEFAULT 'sad');"
	run conf-diff --no-online --allow-destructive a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "ALTER TYPE public.mood RENAME TO mood__old;

CREATE TYPE public.mood AS ENUM ('happy', 'sad');

ALTER TABLE public.t ALTER COLUMN m DROP DEFAULT;

-- hazard: data loss
-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN m TYPE public.mood USING m::text::public.mood;

ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'sad';

DROP TYPE public.mood__old;

ALTER TABLE public.t ALTER COLUMN m SET DEFAULT 'sad';" ]
	run conf-diff --no-online a.m b.m
	[ "${lines[0]}" = "-- destructive: left out without --allow-destructive" ]
	[ "${lines[1]}" = "-- ALTER TYPE public.mood RENAME TO mood__old;" ]
}

@test "-r: a table and a column renamed, not dropped and added" {
	model a "CREATE TABLE a (id int, x int);"
	model b "CREATE TABLE b (id int, y int);"
	run conf-diff --no-online -r table:public.a=table:public.b -r column:public.a.x=column:public.b.y a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "ALTER TABLE public.a RENAME TO b;

ALTER TABLE public.b RENAME COLUMN x TO y;" ]
	run conf-diff --no-online --allow-destructive a.m b.m
	[ "${lines[0]}" = "-- hazard: data loss" ]
	[ "${lines[1]}" = "DROP TABLE public.a;" ]
}

@test "objects come in dependency order: a table created after its types, its foreign keys after the tables" {
	model a ""
	model b "CREATE TABLE c (id int PRIMARY KEY, p_id int);
CREATE TABLE p (id int PRIMARY KEY, c_id int REFERENCES c);
ALTER TABLE c ADD FOREIGN KEY (p_id) REFERENCES p;
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE d (v posint DEFAULT 1, \"order\" text);"
	run conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET lock_timeout = '5s';

CREATE DOMAIN public.posint AS integer CONSTRAINT posint_check CHECK (VALUE > 0);

CREATE TABLE public.c (
    id integer NOT NULL,
    p_id integer,
    CONSTRAINT c_pkey PRIMARY KEY (id)
);

CREATE TABLE public.d (
    v public.posint DEFAULT 1,
    \"order\" text
);

CREATE TABLE public.p (
    id integer NOT NULL,
    c_id integer,
    CONSTRAINT p_pkey PRIMARY KEY (id)
);

ALTER TABLE public.c ADD CONSTRAINT c_p_id_fkey FOREIGN KEY (p_id) REFERENCES public.p (id);

ALTER TABLE public.p ADD CONSTRAINT p_c_id_fkey FOREIGN KEY (c_id) REFERENCES public.c (id);" ]
}

@test "a change conf-diff cannot express is an error naming the object, exit 4, nothing written" {
	model a "CREATE TYPE c AS (a int, b text);"
	model b "CREATE TYPE c AS (b text, a int);"
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 4 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: type:public.c: the attributes of the composite type change order: conf-diff cannot reorder them" ]
	printf '{"kind":"widget","id":"widget:x"}\n' >w.m
	run --separate-stderr conf-diff a.m w.m
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-diff: widget:x: conf-diff cannot compare records of kind widget" ]
}

@test "the columns' order cannot be changed: a warning, the rest is written" {
	model a "CREATE TABLE t (id int);"
	model b "CREATE TABLE t (x int, id int);"
	run --separate-stderr conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "ALTER TABLE public.t ADD COLUMN x integer;" ]
	[ "$stderr" = "conf-diff: table:public.t: the order of the columns differs: PostgreSQL appends added columns; the order is left as it is" ]
}

@test "bad input and usage: exit 4 for a stream that is not a model, 5 for usage" {
	model a "CREATE TABLE t (id int);"
	printf 'nonsense\n' >bad.m
	run --separate-stderr conf-diff bad.m a.m
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-diff: bad.m:1:8: '[' or '{' expected near 'nonsense'" ]
	run --separate-stderr conf-diff -r foo a.m a.m
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-diff: -r wants OLD_ID=NEW_ID (ids as in conf-formats(5)), not foo" ]
	run --separate-stderr conf-diff a.m
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-diff: usage: conf-diff [-j] [--no-online] [--allow-destructive] [--skip-unmodeled] [-r old_id=new_id]... old new" ]
	run --separate-stderr conf-diff missing.m a.m
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-diff: missing.m: No such file or directory" ]
	# statements conf-parse did not model: an error at the first; --skip-unmodeled: a warning each
	printf "CREATE TABLE t (id int);\nCREATE CONVERSION c1 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;\nCREATE TABLE u (id int);\n  CREATE CONVERSION c2 FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;\n" >u.sql
	conf-parse -m u.sql >u.m 2>/dev/null
	run --separate-stderr conf-diff a.m u.m
	[ "$status" -eq 4 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: u.sql:2:1: CREATE CONVERSION is a statement conf-parse did not model: conf-diff cannot compare it (--skip-unmodeled leaves such statements out)" ]
	run --separate-stderr conf-diff --skip-unmodeled --no-online a.m u.m
	[ "$status" -eq 1 ]
	[ "$output" = "CREATE TABLE public.u (
    id integer
);" ]
	[ "$stderr" = "conf-diff: u.sql:2:1: warning: CREATE CONVERSION is a statement conf-parse did not model: left out of the comparison
conf-diff: u.sql:4:3: warning: CREATE CONVERSION is a statement conf-parse did not model: left out of the comparison" ]
}

# the acceptance property on a database: a sample of the corpus's diff pairs (every 30th from the second, and the
# kinds of change the core owns); tests/diff-agree.sh on the whole corpus is the full run
@test "diff pairs: the migration applied to old gives new, and a second diff is empty" {
	need_db
	local d=$CORPUS/diff-pairs cases=() i=0 c
	for c in "$d"/*/*/; do
		[ $((i % 30)) -eq 1 ] && cases+=("$c")
		i=$((i + 1))
	done
	cases+=("$d"/enum/09[0-4]*/ "$d"/column/04[89]*/ "$d"/column/06[789]*/ "$d"/sequence/35[5-9]*/
		"$d"/partitioned_table/27[2-5]*/ "$d"/partitioned_table/282*/)
	run "$REPO/tests/diff-agree.sh" -q -j 3 "${cases[@]}"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "${#cases[@]}/${#cases[@]} pass" ]
}

@test "diff pairs from conf-parse -m models apply too" {
	need_db
	local d=$CORPUS/diff-pairs
	run "$REPO/tests/diff-agree.sh" -q -p -j 3 "$d"/check_constraint/00[2-5]*/ "$d"/column/02[5-9]*/ "$d"/enum/09[5-8]*/ \
		"$d"/foreign_key_constraint/11[0-2]*/
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "16/16 pass" ]
}

@test "empty to danbooru and chinook and back (--allow-destructive)" {
	need_db
	local s=$CORPUS/schemas n
	for n in danbooru chinook; do
		mkdir -p "empty-$n" "$n-empty"
	done
	cp "$s/danbooru-structure.sql" empty-danbooru/new.sql
	grep -v -i '^DROP DATABASE\|^CREATE DATABASE\|^\\c ' "$s/chinook-postgresql.sql" >empty-chinook/new.sql
	cp empty-danbooru/new.sql danbooru-empty/old.sql
	cp empty-chinook/new.sql chinook-empty/old.sql
	run "$REPO/tests/diff-agree.sh" -j 3 empty-danbooru empty-chinook chinook-empty
	echo "$output"
	[ "$output" = "3/3 pass" ]
}

# pair DIR OLD NEW: a case directory for tests/diff-agree.sh
case_dir() {
	mkdir -p "$1"
	printf '%s\n' "$2" >"$1/old.sql"
	printf '%s\n' "$3" >"$1/new.sql"
}

@test "hand-written pairs: a key changed under a foreign key, an enum swap under a view, a type change under a view and a policy, a view over a dropped column" {
	need_db
	case_dir key "CREATE TABLE p (id int PRIMARY KEY, x int); CREATE TABLE c (p_id int REFERENCES p);" \
		"CREATE TABLE p (id int, x int, CONSTRAINT p_pkey PRIMARY KEY (id, x), UNIQUE (id)); CREATE TABLE c (p_id int REFERENCES p (id));"
	case_dir swap "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (id int, m mood DEFAULT 'ok', a mood[]);
CREATE VIEW v AS SELECT id, m FROM t WHERE m <> 'sad';" \
		"CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad', 'meh'); CREATE TABLE t (id int, m mood DEFAULT 'ok', a mood[]);
CREATE VIEW v AS SELECT id, m FROM t WHERE m <> 'sad';"
	case_dir retype "CREATE TABLE t (id int PRIMARY KEY, n text, s text); CREATE VIEW v AS SELECT id, n FROM t;
ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (n <> 'x'); CREATE INDEX t_n ON t (lower(n));" \
		"CREATE TABLE t (id bigint PRIMARY KEY, n varchar(20) NOT NULL, s text); CREATE VIEW v AS SELECT id, n FROM t;
ALTER TABLE t ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON t USING (n <> 'x'); CREATE INDEX t_n ON t (lower(n));"
	case_dir dropcol "CREATE TABLE t (id int, gone int, s text); CREATE VIEW v AS SELECT id, s FROM t; CREATE VIEW w AS SELECT * FROM v;" \
		"CREATE TABLE t (id int, s text); CREATE VIEW v AS SELECT id, s FROM t; CREATE VIEW w AS SELECT * FROM v;"
	run "$REPO/tests/diff-agree.sh" -p -j 3 key swap retype dropcol
	echo "$output"
	[ "$output" = "4/4 pass" ]
}

@test "enum swap: functions over the type and CHECKs over its columns are dropped and created again around it" {
	need_db
	case_dir enumfn "CREATE TYPE mood AS ENUM ('happy', 'ok'); CREATE TABLE t (id int PRIMARY KEY, m mood DEFAULT 'ok', ms mood[]);
CREATE VIEW v AS SELECT id, m FROM t WHERE m <> 'ok'; CREATE FUNCTION f(x mood) RETURNS int LANGUAGE sql AS 'select 1';" \
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE TABLE t (id int PRIMARY KEY, m mood DEFAULT 'ok', ms mood[]);
CREATE VIEW v AS SELECT id, m FROM t WHERE m <> 'sad'; CREATE FUNCTION f(x mood) RETURNS int LANGUAGE sql AS 'select 1';"
	case_dir enumchk "CREATE TYPE st AS ENUM ('c', 'b', 'a');
CREATE TABLE t (id int PRIMARY KEY, s st NOT NULL DEFAULT 'a', CHECK (s <> 'c')); CREATE INDEX t_s ON t (s) WHERE s = 'b';" \
		"CREATE TYPE st AS ENUM ('a', 'b', 'c');
CREATE TABLE t (id int PRIMARY KEY, s st NOT NULL DEFAULT 'a', CHECK (s <> 'c')); CREATE INDEX t_s ON t (s) WHERE s = 'b';"
	run "$REPO/tests/diff-agree.sh" -j 2 enumfn enumchk
	echo "$output"
	[ "$output" = "2/2 pass" ]
}

@test "serial to identity: the serial sequence is dropped, numbering goes on after the rows; a leftover sequence is a difference" {
	new_db b
	local b=$DB
	q "CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, a int)"
	conf-inspect -d "$DBURL" >b.m
	new_db a
	q "CREATE TABLE t (id serial PRIMARY KEY, a int); INSERT INTO t (a) VALUES (1), (2)"
	conf-inspect -d "$DBURL" >a.m
	run conf-diff --allow-destructive a.m b.m
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" >mig.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f mig.sql >/dev/null
	run q "INSERT INTO t (a) VALUES (3) RETURNING id"
	[ "$status" -eq 0 ]
	[ "$output" = 3 ]
	conf-inspect -d "$DBURL" >a1.m
	cmp a1.m b.m
	run conf-diff a1.m b.m
	[ "$status" -eq 0 ]
	# the same leftover made by hand: the serial sequence kept, the identity's beside it
	new_db c
	q "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE SEQUENCE t_id_seq OWNED BY t.id;
ALTER TABLE t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY"
	conf-inspect -d "$DBURL" >c.m
	run conf-diff c.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET lock_timeout = '5s';

DROP SEQUENCE public.t_id_seq;

ALTER SEQUENCE public.t_id_seq1 RENAME TO t_id_seq;" ]
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -c "$output" >/dev/null
	conf-inspect -d "$DBURL" >c1.m
	cmp c1.m b.m
}

@test "a table made partitioned (or back) is refused without --allow-destructive, and its drop is a data loss with it" {
	model a "CREATE TABLE t (id int, d date);"
	model b "CREATE TABLE t (id int, d date) PARTITION BY RANGE (d); CREATE TABLE t_all PARTITION OF t DEFAULT;"
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 4 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: table:public.t: the table changes between not partitioned and partitioned: it would be dropped and created again, losing its rows (--allow-destructive to do so)" ]
	run --separate-stderr conf-diff b.m a.m
	[ "$status" -eq 4 ]
	[ "$stderr" = "conf-diff: table:public.t: the table changes between partitioned and not partitioned: it would be dropped and created again, losing its rows (--allow-destructive to do so)" ]
	run --separate-stderr conf-diff --allow-destructive a.m b.m
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "-- hazard: data loss" ]
	[ "${lines[2]}" = "DROP TABLE public.t;" ]
}

@test "-r whose old id is not in old or new id not in new: exit 5 naming it, nothing written" {
	model a "CREATE TABLE t (id int, a int, CONSTRAINT t_a_check CHECK (a > 0));"
	model b "CREATE TABLE t (id int, b int, CONSTRAINT t_b_check CHECK (b > 0));"
	run --separate-stderr conf-diff -r column:public.t.a=column:public.t.aa a.m a.m
	[ "$status" -eq 5 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: -r column:public.t.a=column:public.t.aa: column:public.t.aa is not in a.m" ]
	run --separate-stderr conf-diff -r column:public.t.x=column:public.t.b a.m b.m
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-diff: -r column:public.t.x=column:public.t.b: column:public.t.x is not in a.m" ]
	run --separate-stderr conf-diff -r table:public.u=table:public.t a.m b.m
	[ "$status" -eq 5 ]
	[ "$stderr" = "conf-diff: -r table:public.u=table:public.t: table:public.u is not in a.m" ]
	run --separate-stderr conf-diff -r column:public.t.a=column:public.t.b -r constraint:public.t.t_a_check=constraint:public.t.t_b_check a.m b.m
	[ "$status" -eq 1 ]
	[ "$stderr" = "" ]
	[ "${lines[2]}" = "ALTER TABLE public.t RENAME COLUMN a TO b;" ]
}

@test "a column whose type changes under generated columns: they are dropped and added again around it, not as a data loss" {
	need_db
	case_dir gencol "CREATE TABLE t (id int PRIMARY KEY, a int, b int, g int GENERATED ALWAYS AS (a + 1) STORED, h int GENERATED ALWAYS AS (a * b) STORED);
CREATE INDEX t_g ON t (g);" \
		"CREATE TABLE t (id int PRIMARY KEY, a bigint, b bigint, g bigint GENERATED ALWAYS AS (a + 1) STORED, h bigint GENERATED ALWAYS AS (a * b) STORED);
CREATE INDEX t_g ON t (g);"
	run "$REPO/tests/diff-agree.sh" -p -j 2 gencol
	echo "$output"
	[ "$output" = "1/1 pass" ]
	conf-parse -m gencol/old.sql >a.m
	conf-parse -m gencol/new.sql >b.m
	run --separate-stderr conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "DROP INDEX public.t_g;

ALTER TABLE public.t DROP COLUMN g;

ALTER TABLE public.t DROP COLUMN h;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN a TYPE bigint;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ADD COLUMN g bigint GENERATED ALWAYS AS (a + 1) STORED;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN b TYPE bigint;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ADD COLUMN h bigint GENERATED ALWAYS AS (a * b) STORED;

-- hazard: index build
-- hazard: share lock
CREATE INDEX t_g ON public.t (g);" ]
}

@test "a composite attribute whose type changes while a table column is of the type: exit 4 naming both" {
	model a "CREATE TYPE pt AS (x int, y int); CREATE TABLE t (id int, p pt);"
	model b "CREATE TYPE pt AS (x bigint, y int, z text); CREATE TABLE t (id int, p pt);"
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 4 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: type:public.pt: attribute x changes type while column:public.t.p is of the type: PostgreSQL cannot alter it in place (drop or change that column in a migration of its own)" ]
	# no column of the type: in place
	model a "CREATE TYPE pt AS (x int, y int);"
	model b "CREATE TYPE pt AS (x bigint, y int);"
	run conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "${lines[1]}" = "ALTER TYPE public.pt ALTER ATTRIBUTE x TYPE bigint;" ]
}

@test "enum swap under a domain: made again when no column is of the domain, else exit 4 naming both" {
	need_db
	case_dir edom "CREATE TYPE mood AS ENUM ('happy', 'ok'); CREATE DOMAIN dm AS mood CHECK (VALUE <> 'ok');" \
		"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN dm AS mood CHECK (VALUE <> 'ok');"
	run "$REPO/tests/diff-agree.sh" -p -j 1 edom
	echo "$output"
	[ "$output" = "1/1 pass" ]
	model a "CREATE TYPE mood AS ENUM ('happy', 'ok'); CREATE DOMAIN dm AS mood; CREATE TABLE t (id int, m dm);"
	model b "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); CREATE DOMAIN dm AS mood; CREATE TABLE t (id int, m dm);"
	run --separate-stderr conf-diff --allow-destructive a.m b.m
	[ "$status" -eq 4 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: type:public.mood: labels removed or reordered under domain:public.dm, which column:public.t.m is of: conf-diff cannot swap the type under it" ]
}

@test "scalar to array: USING ARRAY[c]; array to scalar: exit 4 naming the column" {
	need_db
	case_dir arr "CREATE TABLE t (id int PRIMARY KEY, a int[], c int, d text);" \
		"CREATE TABLE t (id int PRIMARY KEY, a bigint[], c int[], d varchar(10)[]);"
	run "$REPO/tests/diff-agree.sh" -p -j 1 arr
	echo "$output"
	[ "$output" = "1/1 pass" ]
	model a "CREATE TABLE t (id int, c int[]);"
	model b "CREATE TABLE t (id int, c int);"
	run conf-diff b.m a.m
	[ "$status" -eq 1 ]
	[ "${lines[3]}" = "ALTER TABLE public.t ALTER COLUMN c TYPE integer[] USING ARRAY[c]::integer[];" ]
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 4 ]
	[ "$output" = "" ]
	[ "$stderr" = "conf-diff: column:public.t.c: the column changes from an array type (integer[]) to a scalar one (integer): conf-diff cannot choose the element" ]
}

@test "source texts of a conf-parse model run under the search_path they were written under, whatever the session's" {
	new_db a
	printf 'CREATE SCHEMA app;\nSET search_path = app, public;\nCREATE TABLE items (id int PRIMARY KEY, n int);\n' >old.sql
	cat old.sql - >new.sql <<'SQL'
CREATE FUNCTION dbl(x int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
CREATE FUNCTION cnt() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM items';
CREATE TABLE t (id int, d int DEFAULT dbl(1), CHECK (dbl(id) > 0));
CREATE INDEX t_dbl ON t (dbl(id));
CREATE VIEW v AS SELECT id, dbl(n) AS d FROM items;
SET search_path = public;
CREATE TABLE u (id int, e int DEFAULT 0);
CREATE VIEW w AS SELECT count(*) AS c FROM app.items;
SQL
	conf-parse -m old.sql >a.m
	conf-parse -m new.sql >b.m
	[ "$(grep -c '"search_path_sql":"'"'app', 'public'"'"' b.m)" = 6 ]
	run --separate-stderr conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET search_path = 'app', 'public';

CREATE FUNCTION app.cnt()
RETURNS bigint
LANGUAGE sql
AS \$\$SELECT count(*) FROM items\$\$;

CREATE FUNCTION app.dbl(x integer)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS \$\$SELECT x * 2\$\$;

CREATE TABLE app.t (
    id integer,
    d integer DEFAULT dbl(1),
    CONSTRAINT t_id_check CHECK (dbl(id) > 0)
);

CREATE TABLE public.u (
    id integer,
    e integer DEFAULT 0
);

CREATE VIEW app.v (id, d) AS
SELECT id, dbl(n) AS d FROM items;

SET search_path = 'public';

CREATE VIEW public.w (c) AS
SELECT count(*) AS c FROM app.items;

SET search_path = 'app', 'public';

CREATE INDEX t_dbl ON app.t ((dbl(id)));

RESET search_path;" ]
	psql -XAtq -d "$DB" -f old.sql >/dev/null
	printf '%s\n' "$output" >mig.sql
	PGOPTIONS='-c search_path=pg_catalog' psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f mig.sql
	run --separate-stderr conf-diff --no-online -j a.m b.m
	[ "${lines[0]}" = "{\"kind\":\"change\",\"id\":\"search_path\",\"action\":\"set\",\"sql\":\"SET search_path = 'app', 'public'\",\"hazards\":[],\"tx\":true}" ]
	[ "${lines[${#lines[@]}-1]}" = '{"kind":"change","id":"search_path","action":"set","sql":"RESET search_path","hazards":[],"tx":true}' ]
	# a model of conf-inspect: the catalog's texts are qualified, no SET
	conf-inspect -d "$DB" >a1.m
	run conf-diff a.m a1.m
	[ "$status" -eq 1 ]
	[ "$(grep -c search_path <<<"$output")" = 0 ]
}

@test "only what uses a column is made again around its drop or type change: views, policies, triggers over other columns stay" {
	new_db a
	cat >a.sql <<'SQL'
CREATE TABLE t (id int, n text, s text, gone int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE VIEW v AS SELECT id, n FROM t;
CREATE VIEW w AS SELECT id, s FROM t;
CREATE VIEW x AS SELECT row_to_json(t) AS j FROM t;
CREATE VIEW y AS SELECT t.* FROM t;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY p ON t USING (id > 0);
CREATE POLICY q ON t USING (n <> 'x');
CREATE TRIGGER tr BEFORE UPDATE OF s ON t FOR EACH ROW WHEN (OLD.id > 0) EXECUTE FUNCTION tf();
SQL
	sed -e 's/n text, s text, gone int/n uuid, s text/' -e 's/n <> .x./n IS NOT NULL/' a.sql >b.sql
	conf-parse -m a.sql >a.m
	conf-parse -m b.sql >b.m
	run --separate-stderr conf-diff --no-online --allow-destructive a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "DROP POLICY q ON public.t;

DROP VIEW public.v;

DROP VIEW public.x;

DROP VIEW public.y;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN n TYPE uuid USING n::uuid;

-- hazard: data loss
ALTER TABLE public.t DROP COLUMN gone;

SET search_path = 'public';

CREATE VIEW public.v (id, n) AS
SELECT id, n FROM t;

CREATE VIEW public.x (j) AS
SELECT row_to_json(t) AS j FROM t;

CREATE VIEW public.y (id, n, s) AS
SELECT t.* FROM t;

CREATE POLICY q ON public.t FOR ALL TO public
USING (n IS NOT NULL);

RESET search_path;" ]
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f a.sql
	printf '%s\n' "$output" >mig.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f mig.sql
	conf-inspect -d "$DB" >a1.m
	run conf-diff a1.m b.m
	[ "$status" -eq 0 ]
	# a whole row under an alias reads every column; an alias's columns named one by one do not
	model c "CREATE TABLE t (id int, n text);
CREATE VIEW xa AS SELECT row_to_json(q) AS j FROM t q;
CREATE VIEW wa AS SELECT z.id FROM t AS z WHERE z.id > 0;"
	sed 's/n text/n uuid/' c.sql >d.sql
	conf-parse -m d.sql >d.m
	run conf-diff --no-online c.m d.m
	[ "$(grep -E '^(DROP|CREATE)' <<<"$output")" = "DROP VIEW public.xa;
CREATE VIEW public.xa (j) AS" ]
}

@test "a partition detached: the copies of its parent's indexes, named as PostgreSQL names them, are dropped" {
	new_db a
	cat >a.sql <<'SQL'
CREATE TABLE m (id int, d date NOT NULL, v text) PARTITION BY RANGE (d);
CREATE TABLE m_2020 PARTITION OF m FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
CREATE INDEX m_d ON m (d);
CREATE INDEX m_d2 ON m (d) WHERE v IS NOT NULL;
CREATE INDEX m_lower ON m (lower(v), lower(v)) INCLUDE (id);
SQL
	sed 's/^CREATE TABLE m_2020 PARTITION OF m FOR VALUES .*/CREATE TABLE m_2020 (id int, d date NOT NULL, v text);/' a.sql >b.sql
	conf-parse -m a.sql >a.m
	conf-parse -m b.sql >b.m
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET lock_timeout = '5s';

ALTER TABLE public.m DETACH PARTITION public.m_2020;

DROP INDEX CONCURRENTLY public.m_2020_d_idx;

DROP INDEX CONCURRENTLY public.m_2020_d_idx1;

DROP INDEX CONCURRENTLY public.m_2020_lower_lower1_id_idx;" ]
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f a.sql
	printf '%s\n' "$output" >mig.sql
	psql -XAtq -v ON_ERROR_STOP=1 -d "$DB" -f mig.sql
	conf-inspect -d "$DB" >a1.m
	run conf-diff a1.m b.m
	[ "$status" -eq 0 ]
}

@test "a partitioned table gets the online forms of a check and of NOT NULL; a partition's NOT NULL that its parent's recursion gives is not written again" {
	model a "CREATE TABLE m (id int, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);
CREATE TABLE n (id int, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE n1 PARTITION OF n FOR VALUES IN (1);"
	model b "CREATE TABLE m (id int NOT NULL, k int NOT NULL, CHECK (id > 0)) PARTITION BY LIST (k);
CREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);
CREATE TABLE n (id int, k int NOT NULL) PARTITION BY LIST (k);
CREATE TABLE n1 PARTITION OF n (id NOT NULL) FOR VALUES IN (1);"
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET lock_timeout = '5s';

ALTER TABLE public.m ADD CONSTRAINT m_id_not_null CHECK (id IS NOT NULL) NOT VALID;

ALTER TABLE public.m VALIDATE CONSTRAINT m_id_not_null;

ALTER TABLE public.m ALTER COLUMN id SET NOT NULL;

ALTER TABLE public.m DROP CONSTRAINT m_id_not_null;

ALTER TABLE public.m ADD CONSTRAINT m_id_check CHECK (id > 0) NOT VALID;

ALTER TABLE public.m VALIDATE CONSTRAINT m_id_check;

ALTER TABLE public.n1 ADD CONSTRAINT n1_id_not_null CHECK (id IS NOT NULL) NOT VALID;

ALTER TABLE public.n1 VALIDATE CONSTRAINT n1_id_not_null;

ALTER TABLE public.n1 ALTER COLUMN id SET NOT NULL;

ALTER TABLE public.n1 DROP CONSTRAINT n1_id_not_null;" ]
	run --separate-stderr conf-diff --no-online a.m b.m
	[ "$output" = "-- hazard: access exclusive lock
ALTER TABLE public.m ALTER COLUMN id SET NOT NULL;

-- hazard: access exclusive lock
ALTER TABLE public.m ADD CONSTRAINT m_id_check CHECK (id > 0);

-- hazard: access exclusive lock
ALTER TABLE public.n1 ALTER COLUMN id SET NOT NULL;" ]
}

@test "partitioned keys: a parent's unique index whose parts back the partitions' own keys goes with CASCADE; a partition gains its part of an unchanged parent key through ATTACH" {
	local d=$CORPUS/diff-pairs/partitioned_index
	[ -d "$d" ] || skip "corpus absent: $d"
	conf-parse -m "$d"/256_*/old.sql >a.m
	conf-parse -m "$d"/256_*/new.sql >b.m
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET lock_timeout = '5s';

DROP INDEX public.foobar_foo_id_key CASCADE;

-- hazard: access exclusive lock
-- hazard: index build
ALTER TABLE public.foobar ADD CONSTRAINT foobar_foo_id_key UNIQUE (foo, id);" ]
	conf-parse -m "$d"/260_*/old.sql >a.m
	conf-parse -m "$d"/260_*/new.sql >b.m
	run --separate-stderr conf-diff a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "SET lock_timeout = '5s';

DROP INDEX CONCURRENTLY public.foobar_1_pkey;

-- hazard: index build
CREATE UNIQUE INDEX CONCURRENTLY foobar_1_pkey ON public.foobar_1 (foo, id);

-- hazard: access exclusive lock
ALTER TABLE public.foobar_1 ADD CONSTRAINT foobar_1_pkey PRIMARY KEY USING INDEX foobar_1_pkey;

ALTER INDEX public.some_pkey ATTACH PARTITION public.foobar_1_pkey;" ]
	run "$REPO/tests/diff-agree.sh" -q -j 3 "$d"/25[6-9]*/ "$d"/26[01]*/
	echo "$output"
	[ "$output" = "6/6 pass" ]
}

@test "a default that changes is set in place (no DROP DEFAULT first); with a type change it is dropped first" {
	model a "CREATE TYPE st AS ENUM ('new', 'done');
CREATE TABLE t (id int, s st DEFAULT 'new', n int DEFAULT 1);"
	model b "CREATE TYPE st AS ENUM ('new', 'done');
CREATE TABLE t (id int, s st DEFAULT 'done', n bigint DEFAULT 2);"
	run --separate-stderr conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "ALTER TABLE public.t ALTER COLUMN s SET DEFAULT 'done';

ALTER TABLE public.t ALTER COLUMN n DROP DEFAULT;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN n TYPE bigint;

ALTER TABLE public.t ALTER COLUMN n SET DEFAULT 2;" ]
}

@test "a restrictive policy over a changed column is altered to false and back, never dropped (no window where it lets more through)" {
	model a "CREATE TABLE t (id int, a int, b text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY open ON t USING (true);
CREATE POLICY p ON t AS RESTRICTIVE USING (a > 0) WITH CHECK (a > 0);
CREATE POLICY q ON t USING (a > 1);"
	model b "CREATE TABLE t (id int, a bigint, b text);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE POLICY open ON t USING (true);
CREATE POLICY p ON t AS RESTRICTIVE USING (a > 0) WITH CHECK (a > 0);
CREATE POLICY q ON t USING (a > 1);"
	run --separate-stderr conf-diff --no-online a.m b.m
	[ "$status" -eq 1 ]
	[ "$output" = "ALTER POLICY p ON public.t
USING (false)
WITH CHECK (false);

DROP POLICY q ON public.t;

-- hazard: table rewrite
-- hazard: access exclusive lock
ALTER TABLE public.t ALTER COLUMN a TYPE bigint;

ALTER POLICY p ON public.t TO public
USING (a > 0)
WITH CHECK (a > 0);

CREATE POLICY q ON public.t FOR ALL TO public
USING (a > 1);" ]
}
