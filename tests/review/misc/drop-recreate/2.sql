CREATE TABLE t (a int);
DROP TABLE t;
CREATE TABLE t (b int);
