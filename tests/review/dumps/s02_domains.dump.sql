--
-- PostgreSQL database dump
--

\restrict WNIv326WTfkLFSUvHYuCedChlGULPlSqGz5Y3euAxCW0MKaA64eodKo2g1rYvf3

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
-- Name: core; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA core;


ALTER SCHEMA core OWNER TO postgres;

--
-- Name: us_zip; Type: DOMAIN; Schema: core; Owner: postgres
--

CREATE DOMAIN core.us_zip AS character varying(10) DEFAULT '00000'::character varying
	CONSTRAINT us_zip_check CHECK (((VALUE)::text ~ '^\d{5}$'::text))
	CONSTRAINT us_zip_check1 CHECK ((length((VALUE)::text) >= 5));


ALTER DOMAIN core.us_zip OWNER TO postgres;

--
-- Name: addr; Type: TYPE; Schema: core; Owner: postgres
--

CREATE TYPE core.addr AS (
	street text,
	zip core.us_zip,
	tags text[]
);


ALTER TYPE core.addr OWNER TO postgres;

--
-- Name: email; Type: DOMAIN; Schema: core; Owner: postgres
--

CREATE DOMAIN core.email AS text NOT NULL
	CONSTRAINT email_fmt CHECK ((VALUE ~ '^[^@]+@[^@]+$'::text));


ALTER DOMAIN core.email OWNER TO postgres;

--
-- Name: DOMAIN email; Type: COMMENT; Schema: core; Owner: postgres
--

COMMENT ON DOMAIN core.email IS 'an e-mail';


--
-- Name: floatrange; Type: TYPE; Schema: core; Owner: postgres
--

CREATE TYPE core.floatrange AS RANGE (
    subtype = double precision,
    multirange_type_name = core.floatmultirange,
    subtype_diff = float8mi
);


ALTER TYPE core.floatrange OWNER TO postgres;

--
-- Name: posint; Type: DOMAIN; Schema: core; Owner: postgres
--

CREATE DOMAIN core.posint AS integer
	CONSTRAINT posint_check CHECK ((VALUE > 0));


ALTER DOMAIN core.posint OWNER TO postgres;

--
-- Name: smallpos; Type: DOMAIN; Schema: core; Owner: postgres
--

CREATE DOMAIN core.smallpos AS core.posint NOT NULL
	CONSTRAINT smallpos_check CHECK (((VALUE)::integer < 1000));


ALTER DOMAIN core.smallpos OWNER TO postgres;

--
-- Name: status; Type: TYPE; Schema: core; Owner: postgres
--

CREATE TYPE core.status AS ENUM (
    'draft',
    'new',
    'open',
    'closed',
    'archived'
);


ALTER TYPE core.status OWNER TO postgres;

--
-- Name: TYPE status; Type: COMMENT; Schema: core; Owner: postgres
--

COMMENT ON TYPE core.status IS 'ticket status';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: ticket; Type: TABLE; Schema: core; Owner: postgres
--

CREATE TABLE core.ticket (
    id core.posint NOT NULL,
    prio core.smallpos,
    states core.status[] DEFAULT '{new}'::core.status[] NOT NULL,
    st core.status DEFAULT 'new'::core.status,
    addr core.addr,
    window_ core.floatrange,
    grid integer[],
    contact core.email
);


ALTER TABLE core.ticket OWNER TO postgres;

--
-- Name: posint posint_small; Type: CHECK CONSTRAINT; Schema: core; Owner: postgres
--

ALTER DOMAIN core.posint
    ADD CONSTRAINT posint_small CHECK ((VALUE < 1000000)) NOT VALID;


--
-- Name: ticket ticket_pkey; Type: CONSTRAINT; Schema: core; Owner: postgres
--

ALTER TABLE ONLY core.ticket
    ADD CONSTRAINT ticket_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict WNIv326WTfkLFSUvHYuCedChlGULPlSqGz5Y3euAxCW0MKaA64eodKo2g1rYvf3

