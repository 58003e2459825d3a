-- confiture:build env=- hash=00 files=2
-- confiture:file a.sql sha256=00
CREATE TABLE a (x int)
-- confiture:file b.sql sha256=00
, b int);
CREATE TABLE c (z int);
-- confiture:end files=2
