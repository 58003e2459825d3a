--
-- PostgreSQL database dump
--

\restrict s8ooNiXUFnq0AEZwgBah5eEBi2CNXtgYfeWzZ3bh7YfAw28oQVo9E8VBl5C4lN1

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

--
-- Name: evt; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.evt (
    id bigint,
    kind text,
    at timestamp with time zone
)
PARTITION BY LIST (lower(kind));


ALTER TABLE public.evt OWNER TO postgres;

SET default_table_access_method = heap;

--
-- Name: evt_a; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.evt_a (
    id bigint,
    kind text,
    at timestamp with time zone
);


ALTER TABLE public.evt_a OWNER TO postgres;

--
-- Name: evt_rest; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.evt_rest (
    id bigint,
    kind text,
    at timestamp with time zone
);


ALTER TABLE public.evt_rest OWNER TO postgres;

--
-- Name: measurement; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    unitsales integer
)
PARTITION BY RANGE (logdate);


ALTER TABLE public.measurement OWNER TO postgres;

--
-- Name: measurement_old; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_old (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    unitsales integer
);


ALTER TABLE public.measurement_old OWNER TO postgres;

--
-- Name: measurement_y2006; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_y2006 (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    unitsales integer
)
PARTITION BY LIST (city_id);


ALTER TABLE public.measurement_y2006 OWNER TO postgres;

--
-- Name: measurement_y2006_c1; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_y2006_c1 (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    unitsales integer
);


ALTER TABLE public.measurement_y2006_c1 OWNER TO postgres;

--
-- Name: measurement_y2006_cdef; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_y2006_cdef (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer,
    unitsales integer
);


ALTER TABLE public.measurement_y2006_cdef OWNER TO postgres;

--
-- Name: measurement_y2007; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_y2007 (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer DEFAULT 0,
    unitsales integer,
    CONSTRAINT pt_ok CHECK ((peaktemp > '-100'::integer))
)
PARTITION BY HASH (city_id);


ALTER TABLE public.measurement_y2007 OWNER TO postgres;

--
-- Name: measurement_y2007_h0; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_y2007_h0 (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer DEFAULT 0,
    unitsales integer,
    CONSTRAINT pt_ok CHECK ((peaktemp > '-100'::integer))
);


ALTER TABLE public.measurement_y2007_h0 OWNER TO postgres;

--
-- Name: measurement_y2007_h1; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.measurement_y2007_h1 (
    city_id integer NOT NULL,
    logdate date NOT NULL,
    peaktemp integer DEFAULT 0,
    unitsales integer,
    CONSTRAINT pt_ok CHECK ((peaktemp > '-100'::integer))
);


ALTER TABLE public.measurement_y2007_h1 OWNER TO postgres;

--
-- Name: evt_a; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.evt ATTACH PARTITION public.evt_a FOR VALUES IN ('a', 'b');


--
-- Name: measurement_old; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_old FOR VALUES FROM (MINVALUE) TO ('2006-01-01');


--
-- Name: measurement_y2006; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_y2006 FOR VALUES FROM ('2006-01-01') TO ('2007-01-01');


--
-- Name: measurement_y2006_c1; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2006 ATTACH PARTITION public.measurement_y2006_c1 FOR VALUES IN (1, 2, 3);


--
-- Name: measurement_y2006_cdef; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2006 ATTACH PARTITION public.measurement_y2006_cdef DEFAULT;


--
-- Name: measurement_y2007; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement ATTACH PARTITION public.measurement_y2007 FOR VALUES FROM ('2007-01-01') TO ('2008-01-01');


--
-- Name: measurement_y2007_h0; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2007 ATTACH PARTITION public.measurement_y2007_h0 FOR VALUES WITH (modulus 2, remainder 0);


--
-- Name: measurement_y2007_h1; Type: TABLE ATTACH; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2007 ATTACH PARTITION public.measurement_y2007_h1 FOR VALUES WITH (modulus 2, remainder 1);


--
-- Name: measurement measurement_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement
    ADD CONSTRAINT measurement_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_old measurement_old_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_old
    ADD CONSTRAINT measurement_old_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_y2006 measurement_y2006_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2006
    ADD CONSTRAINT measurement_y2006_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_y2006_c1 measurement_y2006_c1_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2006_c1
    ADD CONSTRAINT measurement_y2006_c1_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_y2006_cdef measurement_y2006_cdef_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2006_cdef
    ADD CONSTRAINT measurement_y2006_cdef_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_y2007 measurement_y2007_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2007
    ADD CONSTRAINT measurement_y2007_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_y2007_h0 measurement_y2007_h0_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2007_h0
    ADD CONSTRAINT measurement_y2007_h0_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: measurement_y2007_h1 measurement_y2007_h1_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.measurement_y2007_h1
    ADD CONSTRAINT measurement_y2007_h1_pkey PRIMARY KEY (city_id, logdate);


--
-- Name: meas_sales; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX meas_sales ON ONLY public.measurement USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_logdate_idx ON ONLY public.measurement USING btree (logdate);


--
-- Name: measurement_old_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_old_logdate_idx ON public.measurement_old USING btree (logdate);


--
-- Name: measurement_old_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_old_unitsales_idx ON public.measurement_old USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_y2006_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2006_logdate_idx ON ONLY public.measurement_y2006 USING btree (logdate);


--
-- Name: measurement_y2006_c1_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2006_c1_logdate_idx ON public.measurement_y2006_c1 USING btree (logdate);


--
-- Name: measurement_y2006_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2006_unitsales_idx ON ONLY public.measurement_y2006 USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_y2006_c1_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2006_c1_unitsales_idx ON public.measurement_y2006_c1 USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_y2006_cdef_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2006_cdef_logdate_idx ON public.measurement_y2006_cdef USING btree (logdate);


--
-- Name: measurement_y2006_cdef_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2006_cdef_unitsales_idx ON public.measurement_y2006_cdef USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_y2007_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2007_logdate_idx ON ONLY public.measurement_y2007 USING btree (logdate);


--
-- Name: measurement_y2007_h0_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2007_h0_logdate_idx ON public.measurement_y2007_h0 USING btree (logdate);


--
-- Name: measurement_y2007_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2007_unitsales_idx ON ONLY public.measurement_y2007 USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_y2007_h0_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2007_h0_unitsales_idx ON public.measurement_y2007_h0 USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_y2007_h1_logdate_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2007_h1_logdate_idx ON public.measurement_y2007_h1 USING btree (logdate);


--
-- Name: measurement_y2007_h1_unitsales_idx; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX measurement_y2007_h1_unitsales_idx ON public.measurement_y2007_h1 USING btree (unitsales) WHERE (unitsales > 0);


--
-- Name: measurement_old_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_logdate_idx ATTACH PARTITION public.measurement_old_logdate_idx;


--
-- Name: measurement_old_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_pkey ATTACH PARTITION public.measurement_old_pkey;


--
-- Name: measurement_old_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.meas_sales ATTACH PARTITION public.measurement_old_unitsales_idx;


--
-- Name: measurement_y2006_c1_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2006_logdate_idx ATTACH PARTITION public.measurement_y2006_c1_logdate_idx;


--
-- Name: measurement_y2006_c1_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2006_pkey ATTACH PARTITION public.measurement_y2006_c1_pkey;


--
-- Name: measurement_y2006_c1_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2006_unitsales_idx ATTACH PARTITION public.measurement_y2006_c1_unitsales_idx;


--
-- Name: measurement_y2006_cdef_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2006_logdate_idx ATTACH PARTITION public.measurement_y2006_cdef_logdate_idx;


--
-- Name: measurement_y2006_cdef_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2006_pkey ATTACH PARTITION public.measurement_y2006_cdef_pkey;


--
-- Name: measurement_y2006_cdef_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2006_unitsales_idx ATTACH PARTITION public.measurement_y2006_cdef_unitsales_idx;


--
-- Name: measurement_y2006_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_logdate_idx ATTACH PARTITION public.measurement_y2006_logdate_idx;


--
-- Name: measurement_y2006_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_pkey ATTACH PARTITION public.measurement_y2006_pkey;


--
-- Name: measurement_y2006_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.meas_sales ATTACH PARTITION public.measurement_y2006_unitsales_idx;


--
-- Name: measurement_y2007_h0_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2007_logdate_idx ATTACH PARTITION public.measurement_y2007_h0_logdate_idx;


--
-- Name: measurement_y2007_h0_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2007_pkey ATTACH PARTITION public.measurement_y2007_h0_pkey;


--
-- Name: measurement_y2007_h0_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2007_unitsales_idx ATTACH PARTITION public.measurement_y2007_h0_unitsales_idx;


--
-- Name: measurement_y2007_h1_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2007_logdate_idx ATTACH PARTITION public.measurement_y2007_h1_logdate_idx;


--
-- Name: measurement_y2007_h1_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2007_pkey ATTACH PARTITION public.measurement_y2007_h1_pkey;


--
-- Name: measurement_y2007_h1_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_y2007_unitsales_idx ATTACH PARTITION public.measurement_y2007_h1_unitsales_idx;


--
-- Name: measurement_y2007_logdate_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_logdate_idx ATTACH PARTITION public.measurement_y2007_logdate_idx;


--
-- Name: measurement_y2007_pkey; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.measurement_pkey ATTACH PARTITION public.measurement_y2007_pkey;


--
-- Name: measurement_y2007_unitsales_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
--

ALTER INDEX public.meas_sales ATTACH PARTITION public.measurement_y2007_unitsales_idx;


--
-- PostgreSQL database dump complete
--

\unrestrict s8ooNiXUFnq0AEZwgBah5eEBi2CNXtgYfeWzZ3bh7YfAw28oQVo9E8VBl5C4lN1

