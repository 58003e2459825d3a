--
-- PostgreSQL database dump
--

\restrict ghNlleIF7xYD88X0KanGe7jp7iKl85bWqPBuaQkh0xfsFNFFykcEqH9AtwGNobq

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
-- Name: emp; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.emp (
    id integer NOT NULL,
    boss integer,
    name text NOT NULL,
    salary numeric(10,2),
    dept text
);


ALTER TABLE public.emp OWNER TO postgres;

--
-- Name: chain; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.chain AS
 WITH RECURSIVE chain(id, boss, depth) AS (
         SELECT emp.id,
            emp.boss,
            0 AS "?column?"
           FROM public.emp
          WHERE (emp.boss IS NULL)
        UNION ALL
         SELECT e.id,
            e.boss,
            (c.depth + 1)
           FROM (public.emp e
             JOIN chain c ON ((e.boss = c.id)))
        )
 SELECT chain.id,
    chain.boss,
    chain.depth
   FROM chain;


ALTER TABLE public.chain OWNER TO postgres;

--
-- Name: dept_pay; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.dept_pay AS
 SELECT emp.dept,
    sum(emp.salary) AS total,
    count(*) AS n
   FROM public.emp
  GROUP BY emp.dept
  WITH NO DATA;


ALTER TABLE public.dept_pay OWNER TO postgres;

--
-- Name: MATERIALIZED VIEW dept_pay; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON MATERIALIZED VIEW public.dept_pay IS 'pay by dept';


--
-- Name: emp_case; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.emp_case AS
 SELECT emp.id,
        CASE
            WHEN (emp.salary IS NULL) THEN 'n/a'::text
            WHEN (emp.salary < (10)::numeric) THEN 'low'::text
            ELSE 'ok'::text
        END AS band,
    ((COALESCE(emp.dept, '-'::text) || '/'::text) || emp.name) AS label,
    (emp.salary)::integer AS isal,
    ARRAY[emp.id, emp.boss] AS pair
   FROM public.emp;


ALTER TABLE public.emp_case OWNER TO postgres;

--
-- Name: VIEW emp_case; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON VIEW public.emp_case IS 'multi
line';


--
-- Name: emp_high; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.emp_high WITH (security_barrier='true') AS
 SELECT emp.id,
    emp.boss,
    emp.name,
    emp.salary,
    emp.dept
   FROM public.emp
  WHERE (emp.salary > (1000)::numeric)
  WITH LOCAL CHECK OPTION;


ALTER TABLE public.emp_high OWNER TO postgres;

--
-- Name: emp_names; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.emp_names AS
 SELECT emp.id AS emp_id,
    upper(emp.name) AS emp_name,
    emp.dept AS emp_dept
   FROM public.emp;


ALTER TABLE public.emp_names OWNER TO postgres;

--
-- Name: top_emp; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.top_emp AS
 SELECT emp.id,
    emp.name,
    emp.salary AS pay
   FROM public.emp
  ORDER BY emp.salary DESC
 LIMIT 10
  WITH NO DATA;


ALTER TABLE public.top_emp OWNER TO postgres;

--
-- Name: emp emp_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.emp
    ADD CONSTRAINT emp_pkey PRIMARY KEY (id);


--
-- Name: dept_pay_big; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX dept_pay_big ON public.dept_pay USING btree (total) WHERE (total > (10000)::numeric);


--
-- Name: dept_pay_dept; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX dept_pay_dept ON public.dept_pay USING btree (dept);


--
-- Name: emp emp_boss_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.emp
    ADD CONSTRAINT emp_boss_fkey FOREIGN KEY (boss) REFERENCES public.emp(id);


--
-- PostgreSQL database dump complete
--

\unrestrict ghNlleIF7xYD88X0KanGe7jp7iKl85bWqPBuaQkh0xfsFNFFykcEqH9AtwGNobq

