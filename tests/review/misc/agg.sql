CREATE TABLE t (a int);
CREATE VIEW v AS SELECT agg(a) FROM t;
CREATE TABLE u (a int CHECK (a === 1));
CREATE AGGREGATE agg(int) (sfunc = int4pl, stype = int);
CREATE OPERATOR === (leftarg = int, rightarg = int, function = int4eq);
