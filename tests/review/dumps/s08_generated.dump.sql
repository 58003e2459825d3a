--
-- PostgreSQL database dump
--

\restrict r9csu48oNLOElUKsBllms4KGKbgObnkYQJSlhql1T5OZkthWOBfohevWYnHdknX

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

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: bits; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.bits (
    b bit(8) DEFAULT '00000000'::"bit",
    vb bit varying(32),
    c "char",
    tt time(3) with time zone,
    i interval year to month,
    ts timestamp(6) without time zone,
    x xml,
    ip inet,
    mac macaddr8,
    p point,
    tsv tsvector
);


ALTER TABLE public.bits OWNER TO postgres;

--
-- Name: cache; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.cache (
    k text NOT NULL,
    v jsonb,
    exp timestamp(0) without time zone
);


ALTER TABLE public.cache OWNER TO postgres;

--
-- Name: city; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.city (
    name text,
    population real,
    elevation integer,
    country text DEFAULT 'us'::text,
    CONSTRAINT pop_pos CHECK ((population >= (0)::double precision))
);


ALTER TABLE public.city OWNER TO postgres;

--
-- Name: capital; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.capital (
    state character(2) NOT NULL
)
INHERITS (public.city);


ALTER TABLE public.capital OWNER TO postgres;

--
-- Name: shape; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.shape (
    id integer NOT NULL,
    w numeric NOT NULL,
    h numeric NOT NULL,
    area numeric GENERATED ALWAYS AS ((w * h)) STORED,
    label text GENERATED ALWAYS AS (('s'::text || (id)::text)) STORED
)
WITH (fillfactor='80');


ALTER TABLE public.shape OWNER TO postgres;

--
-- Name: metro; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.metro (
    area_km2 double precision,
    CONSTRAINT metro_area_km2_check CHECK ((area_km2 > (0)::double precision))
)
INHERITS (public.city, public.shape);


ALTER TABLE public.metro OWNER TO postgres;

--
-- Name: shape_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.shape_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.shape_id_seq OWNER TO postgres;

--
-- Name: shape_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.shape_id_seq OWNED BY public.shape.id;


--
-- Name: capital country; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.capital ALTER COLUMN country SET DEFAULT 'us'::text;


--
-- Name: metro id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.metro ALTER COLUMN id SET DEFAULT nextval('public.shape_id_seq'::regclass);


--
-- Name: metro country; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.metro ALTER COLUMN country SET DEFAULT 'us'::text;


--
-- Name: shape id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.shape ALTER COLUMN id SET DEFAULT nextval('public.shape_id_seq'::regclass);


--
-- Name: cache cache_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.cache
    ADD CONSTRAINT cache_pkey PRIMARY KEY (k);


--
-- Name: shape shape_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.shape
    ADD CONSTRAINT shape_pkey PRIMARY KEY (id);


--
-- Name: city city_log; Type: RULE; Schema: public; Owner: postgres
--

CREATE RULE city_log AS
    ON UPDATE TO public.city DO
 NOTIFY city_changed;


--
-- Name: capital city_noins; Type: RULE; Schema: public; Owner: postgres
--

CREATE RULE city_noins AS
    ON INSERT TO public.capital
   WHERE (new.state = 'XX'::bpchar) DO INSTEAD NOTHING;


--
-- PostgreSQL database dump complete
--

\unrestrict r9csu48oNLOElUKsBllms4KGKbgObnkYQJSlhql1T5OZkthWOBfohevWYnHdknX

