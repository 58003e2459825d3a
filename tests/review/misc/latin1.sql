-- café comment
CREATE TABLE t (a int);
COMMENT ON TABLE t IS 'café';
CREATE TABLE "café" (b int);
CREATE TABLE u (c int);
