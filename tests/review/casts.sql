CREATE TABLE t (a int, x text, j jsonb, CONSTRAINT c1 CHECK (a::numeric / 3 > 1), CONSTRAINT c2 CHECK (a / 3 > 1), CONSTRAINT c3 CHECK ((j->>'n')::int > 5), CONSTRAINT c4 CHECK ((j->>'n') > '5'), CONSTRAINT c5 CHECK (x::date > now()), CONSTRAINT c6 CHECK (x > now()::text));
CREATE INDEX i1 ON t ((x::int));
CREATE INDEX i2 ON t (x);
