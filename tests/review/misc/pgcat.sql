CREATE SCHEMA s;
SET search_path = pg_catalog, s;
CREATE TABLE a10 (id int);
CREATE TABLE pg_catalog.a11 (id int);
CREATE TABLE information_schema.a12 (id int);
CREATE SCHEMA pg_mine;
SET search_path = nosuch;
CREATE TABLE a13 (id int);
