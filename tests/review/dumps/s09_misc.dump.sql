--
-- PostgreSQL database dump
--

\restrict Fv0xzc7gwkKaAcLdZ6Ut4JdAB8fh93E6NGBX0E1zVcmENpDofM2QS9nyXl6LP16

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
-- Name: log_ddl(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.log_ddl() RETURNS event_trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE NOTICE 'ddl %', tg_tag; END $$;


ALTER FUNCTION public.log_ddl() OWNER TO postgres;

--
-- Name: s2; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.s2
    START WITH 1
    INCREMENT BY 3
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.s2 OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: t2; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.t2 (
    id integer NOT NULL
);


ALTER TABLE public.t2 OWNER TO postgres;

--
-- Name: t_renamed; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.t_renamed (
    id integer,
    y integer
);


ALTER TABLE public.t_renamed OWNER TO postgres;

--
-- Name: ticket_no; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.ticket_no
    AS integer
    START WITH 1000
    INCREMENT BY -1
    MINVALUE 1
    MAXVALUE 5000
    CACHE 20
    CYCLE;


ALTER TABLE public.ticket_no OWNER TO postgres;

--
-- Name: ticket_no; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.ticket_no OWNED BY public.t_renamed.id;


--
-- Name: z; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.z (
    a integer
);


ALTER TABLE public.z OWNER TO postgres;

--
-- Name: TABLE z; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.z IS 'it''s "z"';


--
-- Name: t_renamed id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.t_renamed ALTER COLUMN id SET DEFAULT nextval('public.ticket_no'::regclass);


--
-- Name: t2 t2_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.t2
    ADD CONSTRAINT t2_pkey PRIMARY KEY (id);


--
-- Name: t_renamed_y; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX t_renamed_y ON public.t_renamed USING btree (y);


--
-- Name: pub_all; Type: PUBLICATION; Schema: -; Owner: postgres
--

CREATE PUBLICATION pub_all FOR ALL TABLES WITH (publish = 'insert, update, delete, truncate');


ALTER PUBLICATION pub_all OWNER TO postgres;

--
-- Name: pub_t; Type: PUBLICATION; Schema: -; Owner: postgres
--

CREATE PUBLICATION pub_t WITH (publish = 'insert, update');


ALTER PUBLICATION pub_t OWNER TO postgres;

--
-- Name: pub_t t2; Type: PUBLICATION TABLE; Schema: public; Owner: postgres
--

ALTER PUBLICATION pub_t ADD TABLE ONLY public.t2;


--
-- Name: pub_t t_renamed; Type: PUBLICATION TABLE; Schema: public; Owner: postgres
--

ALTER PUBLICATION pub_t ADD TABLE ONLY public.t_renamed;


--
-- Name: ddl_log; Type: EVENT TRIGGER; Schema: -; Owner: postgres
--

CREATE EVENT TRIGGER ddl_log ON ddl_command_end
         WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
   EXECUTE FUNCTION public.log_ddl();

ALTER EVENT TRIGGER ddl_log DISABLE;


ALTER EVENT TRIGGER ddl_log OWNER TO postgres;

--
-- PostgreSQL database dump complete
--

\unrestrict Fv0xzc7gwkKaAcLdZ6Ut4JdAB8fh93E6NGBX0E1zVcmENpDofM2QS9nyXl6LP16

