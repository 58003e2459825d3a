-- SECURITY DEFINER functions with SET search_path, overloads, OUT args, triggers with WHEN and transition tables
CREATE SCHEMA app;
CREATE TABLE app.account (id bigserial PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, owner_name text, updated timestamptz);
CREATE TABLE app.audit (at timestamptz DEFAULT clock_timestamp(), who text DEFAULT current_user, n int);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated := now(); RETURN NEW; END $$;
CREATE FUNCTION app.bulk_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = app, pg_temp AS $f$
BEGIN INSERT INTO app.audit(n) SELECT count(*) FROM new_rows; RETURN NULL; END $f$;
CREATE TRIGGER account_touch BEFORE UPDATE OF balance, owner_name ON app.account
  FOR EACH ROW WHEN (OLD.balance IS DISTINCT FROM NEW.balance) EXECUTE FUNCTION app.touch();
CREATE TRIGGER account_bulk AFTER INSERT ON app.account REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION app.bulk_audit();
CREATE FUNCTION app.transfer(src bigint, dst bigint, amount numeric DEFAULT 0, OUT ok boolean, OUT msg text)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, app SET work_mem = '64MB' AS $$
BEGIN ok := true; msg := 'done'; END $$;
CREATE FUNCTION app.add(a integer, b integer) RETURNS integer IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql RETURN a + b;
CREATE FUNCTION app.add(a numeric, b numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
CREATE FUNCTION app.sum_all(VARIADIC xs int[]) RETURNS bigint LANGUAGE sql STABLE
BEGIN ATOMIC SELECT sum(x) FROM unnest(xs) AS x; END;
CREATE FUNCTION app.rows_of(n int) RETURNS TABLE(i int, sq bigint) LANGUAGE sql ROWS 10 COST 5 AS $$ SELECT g, g*g FROM generate_series(1, n) g $$;
CREATE PROCEDURE app.reset(IN who text, INOUT cnt int DEFAULT 0) LANGUAGE plpgsql AS $$ BEGIN cnt := 0; END $$;
CREATE OR REPLACE FUNCTION app.add(a integer, b integer) RETURNS integer IMMUTABLE STRICT LANGUAGE sql RETURN a + b + 0;
ALTER FUNCTION app.add(numeric, numeric) LEAKPROOF;
ALTER FUNCTION app.touch() SET statement_timeout = 1000;
ALTER TABLE app.account DISABLE TRIGGER account_touch;
ALTER TABLE app.account ENABLE REPLICA TRIGGER account_bulk;
REVOKE EXECUTE ON FUNCTION app.transfer(bigint, bigint, numeric) FROM PUBLIC;
