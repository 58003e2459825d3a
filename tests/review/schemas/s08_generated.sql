-- Generated columns, inheritance, unlogged, storage options, rules
CREATE TABLE shape (id serial PRIMARY KEY, w numeric NOT NULL, h numeric NOT NULL,
  area numeric GENERATED ALWAYS AS (w * h) STORED,
  label text GENERATED ALWAYS AS ('s' || id::text) STORED) WITH (fillfactor = 70, autovacuum_enabled = false);
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v jsonb, exp timestamp(0) without time zone);
CREATE TABLE city (name text, population real, elevation int);
CREATE TABLE capital (state char(2) NOT NULL) INHERITS (city);
CREATE TABLE metro (area_km2 double precision, CHECK (area_km2 > 0)) INHERITS (city, shape);
ALTER TABLE city ADD COLUMN country text DEFAULT 'us';
ALTER TABLE city ADD CONSTRAINT pop_pos CHECK (population >= 0);
CREATE RULE city_noins AS ON INSERT TO capital WHERE NEW.state = 'XX' DO INSTEAD NOTHING;
CREATE RULE city_log AS ON UPDATE TO city DO ALSO NOTIFY city_changed;
CREATE TABLE bits (b bit(8), vb bit varying(16), c "char", t time(3) with time zone, i interval year to month, ts timestamp(6), x xml, m money, ip inet, mac macaddr8, p point, tsv tsvector);
ALTER TABLE bits ALTER COLUMN b SET DEFAULT B'00000000';
ALTER TABLE bits ALTER COLUMN vb TYPE bit varying(32);
ALTER TABLE bits DROP COLUMN m;
ALTER TABLE bits RENAME COLUMN t TO tt;
ALTER TABLE cache SET LOGGED;
ALTER TABLE shape SET (fillfactor = 80);
ALTER TABLE shape RESET (autovacuum_enabled);
