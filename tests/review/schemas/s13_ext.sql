-- extensions in their own schema, extension types, opclasses, collations, foreign tables
CREATE SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;
CREATE EXTENSION hstore SCHEMA ext;
CREATE EXTENSION pg_trgm WITH SCHEMA ext;
CREATE TABLE users (id bigserial PRIMARY KEY, email ext.citext NOT NULL UNIQUE, attrs ext.hstore, name text COLLATE "C",
  nick varchar(30) COLLATE "POSIX");
CREATE INDEX users_name_trgm ON users USING gin (name ext.gin_trgm_ops);
CREATE INDEX users_email_lower ON users (lower(email::text) text_pattern_ops DESC NULLS LAST, id);
CREATE INDEX users_attrs ON users USING gist (attrs ext.gist_hstore_ops);
CREATE INDEX users_brin ON users USING brin (id) WITH (pages_per_range = 32);
CREATE INDEX users_hash ON users USING hash (email);
CREATE INDEX users_nick_c ON users (nick COLLATE "C");
CREATE EXTENSION postgres_fdw;
CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'localhost', dbname 'x');
CREATE FOREIGN TABLE remote_users (id bigint NOT NULL, email text) SERVER remote OPTIONS (table_name 'users');
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE tags (name text COLLATE ci PRIMARY KEY);
