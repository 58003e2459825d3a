--
-- PostgreSQL database dump
--

\restrict Bi4fJX38y5eOEQKes4JXCko19DAV8uLFbaNk99JbtjZh6n0nlaaUWJWuZDjfqVX

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
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;


--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: a; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.a (
    id integer NOT NULL,
    b_id integer
);


ALTER TABLE public.a OWNER TO postgres;

--
-- Name: b; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.b (
    id integer NOT NULL,
    a_id integer
);


ALTER TABLE public.b OWNER TO postgres;

--
-- Name: booking; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.booking (
    id integer NOT NULL,
    room_id integer NOT NULL,
    during tstzrange NOT NULL
);


ALTER TABLE public.booking OWNER TO postgres;

--
-- Name: booking_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.booking_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.booking_id_seq OWNER TO postgres;

--
-- Name: booking_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.booking_id_seq OWNED BY public.booking.id;


--
-- Name: circle_t; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.circle_t (
    c circle
);


ALTER TABLE public.circle_t OWNER TO postgres;

--
-- Name: room; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.room (
    id integer NOT NULL,
    name text NOT NULL
);


ALTER TABLE public.room OWNER TO postgres;

--
-- Name: uq; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.uq (
    a integer,
    b integer,
    CONSTRAINT uq_chk CHECK ((a < b)) NO INHERIT
);


ALTER TABLE public.uq OWNER TO postgres;

--
-- Name: booking id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.booking ALTER COLUMN id SET DEFAULT nextval('public.booking_id_seq'::regclass);


--
-- Name: a a_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.a
    ADD CONSTRAINT a_pkey PRIMARY KEY (id);


--
-- Name: b b_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.b
    ADD CONSTRAINT b_pkey PRIMARY KEY (id);


--
-- Name: booking booking_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.booking
    ADD CONSTRAINT booking_pkey PRIMARY KEY (id);


--
-- Name: booking booking_room_id_during_excl; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.booking
    ADD CONSTRAINT booking_room_id_during_excl EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE ((room_id > 0));


--
-- Name: circle_t circle_t_c_excl; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.circle_t
    ADD CONSTRAINT circle_t_c_excl EXCLUDE USING gist (c WITH &&);


--
-- Name: room room_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.room
    ADD CONSTRAINT room_pkey PRIMARY KEY (id);


--
-- Name: uq uq_a_b_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.uq
    ADD CONSTRAINT uq_a_b_key UNIQUE NULLS NOT DISTINCT (a, b);


--
-- Name: uq uq_b_a_key; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.uq
    ADD CONSTRAINT uq_b_a_key UNIQUE (b) INCLUDE (a) DEFERRABLE;


--
-- Name: a a_b_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.a
    ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES public.b(id) MATCH FULL ON UPDATE SET NULL ON DELETE SET DEFAULT NOT VALID;


--
-- Name: b b_a_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.b
    ADD CONSTRAINT b_a_id_fkey FOREIGN KEY (a_id) REFERENCES public.a(id) DEFERRABLE;


--
-- Name: booking booking_room_fk; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.booking
    ADD CONSTRAINT booking_room_fk FOREIGN KEY (room_id) REFERENCES public.room(id) DEFERRABLE INITIALLY DEFERRED;


--
-- PostgreSQL database dump complete
--

\unrestrict Bi4fJX38y5eOEQKes4JXCko19DAV8uLFbaNk99JbtjZh6n0nlaaUWJWuZDjfqVX

