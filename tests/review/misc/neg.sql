CREATE TABLE t (c int DEFAULT -5, d int DEFAULT 0, e int DEFAULT -7, f int CHECK (f > -1), g int CHECK (g > 0), h int CHECK(h > -3));
CREATE INDEX ON t ((c + -2));
CREATE VIEW v AS SELECT -4 AS x;
