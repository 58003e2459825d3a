-- search_path games
SET search_path TO "$user", public;
CREATE TABLE a1 (id int PRIMARY KEY);
SET search_path = later_schema, public;     -- does not exist yet
CREATE TABLE a2 (id int);                    -- goes to public (first existing)
CREATE SCHEMA later_schema;
CREATE TABLE a3 (id int);                    -- now goes to later_schema
BEGIN;
SET LOCAL search_path = public;
CREATE TABLE a4 (id int);
COMMIT;
CREATE TABLE a5 (id int);                    -- later_schema again
SELECT set_config('search_path', 'public', true);   -- is_local outside a transaction: no effect after
CREATE TABLE a6 (id int);                    -- later_schema
RESET search_path;
CREATE TABLE a7 (id int);                    -- public
SET search_path = DEFAULT;
CREATE TABLE a8 (id int REFERENCES a1);
SET SCHEMA 'later_schema';
CREATE TABLE a9 (id int);
