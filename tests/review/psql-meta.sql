\set ON_ERROR_STOP on
CREATE TABLE a (x int);
\i inc.sql
\ir inc.sql
SELECT format($$CREATE TABLE %I (a int)$$, $$gen$$)
\gexec
\connect other
CREATE TABLE b (y int);
COPY a FROM stdin;
1
\.
CREATE TABLE c (z int);
