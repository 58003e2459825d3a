-- Domains over domains, enum arrays, composite types, ranges
CREATE SCHEMA core;
CREATE DOMAIN core.posint AS integer CHECK (VALUE > 0);
CREATE DOMAIN core.smallpos AS core.posint CHECK (VALUE < 1000) NOT NULL;
CREATE DOMAIN core.email AS text CONSTRAINT email_fmt CHECK (VALUE ~ '^[^@]+@[^@]+$');
CREATE DOMAIN core.us_zip AS varchar(10) DEFAULT '00000' CHECK (VALUE ~ '^\d{5}$') CHECK (length(VALUE) >= 5);
CREATE TYPE core.status AS ENUM ('new', 'open', 'closed');
ALTER TYPE core.status ADD VALUE 'archived' AFTER 'closed';
ALTER TYPE core.status ADD VALUE 'draft' BEFORE 'new';
CREATE TYPE core.addr AS (street text, zip core.us_zip, tags text[]);
CREATE TYPE core.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TABLE core.ticket (
  id core.posint PRIMARY KEY,
  prio core.smallpos,
  states core.status[] NOT NULL DEFAULT '{new}',
  st core.status DEFAULT 'new'::core.status,
  addr core.addr,
  window_ core.floatrange,
  grid int[][],
  contact core.email
);
ALTER DOMAIN core.posint ADD CONSTRAINT posint_small CHECK (VALUE < 1000000) NOT VALID;
ALTER DOMAIN core.email SET NOT NULL;
COMMENT ON DOMAIN core.email IS 'an e-mail';
COMMENT ON TYPE core.status IS 'ticket status';
