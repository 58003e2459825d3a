--
-- PostgreSQL database dump
--

\restrict FgoJBW0fwZl1Op0Nb2jSkqHatuQLiEKbgFrW2ARuNKg1sOeZFYjGgj2PpHvEyUP

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: add(integer, integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.add(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT
    RETURN ((a + b) + 0);


ALTER FUNCTION app.add(a integer, b integer) OWNER TO postgres;

--
-- Name: add(numeric, numeric); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.add(a numeric, b numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE LEAKPROOF
    AS $$SELECT a + b$$;


ALTER FUNCTION app.add(a numeric, b numeric) OWNER TO postgres;

--
-- Name: bulk_audit(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.bulk_audit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'app', 'pg_temp'
    AS $$
BEGIN INSERT INTO app.audit(n) SELECT count(*) FROM new_rows; RETURN NULL; END $$;


ALTER FUNCTION app.bulk_audit() OWNER TO postgres;

--
-- Name: reset(text, integer); Type: PROCEDURE; Schema: app; Owner: postgres
--

CREATE PROCEDURE app.reset(IN who text, INOUT cnt integer DEFAULT 0)
    LANGUAGE plpgsql
    AS $$ BEGIN cnt := 0; END $$;


ALTER PROCEDURE app.reset(IN who text, INOUT cnt integer) OWNER TO postgres;

--
-- Name: rows_of(integer); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.rows_of(n integer) RETURNS TABLE(i integer, sq bigint)
    LANGUAGE sql COST 5 ROWS 10
    AS $$ SELECT g, g*g FROM generate_series(1, n) g $$;


ALTER FUNCTION app.rows_of(n integer) OWNER TO postgres;

--
-- Name: sum_all(integer[]); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.sum_all(VARIADIC xs integer[]) RETURNS bigint
    LANGUAGE sql STABLE
    BEGIN ATOMIC
 SELECT sum(x.x) AS sum
    FROM unnest(sum_all.xs) x(x);
END;


ALTER FUNCTION app.sum_all(VARIADIC xs integer[]) OWNER TO postgres;

--
-- Name: touch(); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.touch() RETURNS trigger
    LANGUAGE plpgsql
    SET statement_timeout TO '1000'
    AS $$
BEGIN NEW.updated := now(); RETURN NEW; END $$;


ALTER FUNCTION app.touch() OWNER TO postgres;

--
-- Name: transfer(bigint, bigint, numeric); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.transfer(src bigint, dst bigint, amount numeric DEFAULT 0, OUT ok boolean, OUT msg text) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'app'
    SET work_mem TO '64MB'
    AS $$
BEGIN ok := true; msg := 'done'; END $$;


ALTER FUNCTION app.transfer(src bigint, dst bigint, amount numeric, OUT ok boolean, OUT msg text) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: account; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.account (
    id bigint NOT NULL,
    balance numeric DEFAULT 0 NOT NULL,
    owner_name text,
    updated timestamp with time zone
);


ALTER TABLE app.account OWNER TO postgres;

--
-- Name: account_id_seq; Type: SEQUENCE; Schema: app; Owner: postgres
--

CREATE SEQUENCE app.account_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE app.account_id_seq OWNER TO postgres;

--
-- Name: account_id_seq; Type: SEQUENCE OWNED BY; Schema: app; Owner: postgres
--

ALTER SEQUENCE app.account_id_seq OWNED BY app.account.id;


--
-- Name: audit; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.audit (
    at timestamp with time zone DEFAULT clock_timestamp(),
    who text DEFAULT CURRENT_USER,
    n integer
);


ALTER TABLE app.audit OWNER TO postgres;

--
-- Name: account id; Type: DEFAULT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.account ALTER COLUMN id SET DEFAULT nextval('app.account_id_seq'::regclass);


--
-- Name: account account_pkey; Type: CONSTRAINT; Schema: app; Owner: postgres
--

ALTER TABLE ONLY app.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (id);


--
-- Name: account account_bulk; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER account_bulk AFTER INSERT ON app.account REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION app.bulk_audit();

ALTER TABLE app.account ENABLE REPLICA TRIGGER account_bulk;


--
-- Name: account account_touch; Type: TRIGGER; Schema: app; Owner: postgres
--

CREATE TRIGGER account_touch BEFORE UPDATE OF balance, owner_name ON app.account FOR EACH ROW WHEN ((old.balance IS DISTINCT FROM new.balance)) EXECUTE FUNCTION app.touch();

ALTER TABLE app.account DISABLE TRIGGER account_touch;


--
-- Name: FUNCTION transfer(src bigint, dst bigint, amount numeric, OUT ok boolean, OUT msg text); Type: ACL; Schema: app; Owner: postgres
--

REVOKE ALL ON FUNCTION app.transfer(src bigint, dst bigint, amount numeric, OUT ok boolean, OUT msg text) FROM PUBLIC;


--
-- PostgreSQL database dump complete
--

\unrestrict FgoJBW0fwZl1Op0Nb2jSkqHatuQLiEKbgFrW2ARuNKg1sOeZFYjGgj2PpHvEyUP

