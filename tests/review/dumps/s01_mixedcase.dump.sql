--
-- PostgreSQL database dump
--

\restrict OSPoTcvoOLUUUqYSGbumWJf4X2ehc0EBeagqRk2YFKjFAAhPy7Hzw5t9dDvCkgU

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
-- Name: Sales; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA "Sales";


ALTER SCHEMA "Sales" OWNER TO postgres;

--
-- Name: inv; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA inv;


ALTER SCHEMA inv OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: Customer; Type: TABLE; Schema: Sales; Owner: postgres
--

CREATE TABLE "Sales"."Customer" (
    "CustomerID" integer NOT NULL,
    "Full Name" text NOT NULL,
    "e.mail" character varying(200),
    "weird""col" integer DEFAULT 42,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE "Sales"."Customer" OWNER TO postgres;

--
-- Name: TABLE "Customer"; Type: COMMENT; Schema: Sales; Owner: postgres
--

COMMENT ON TABLE "Sales"."Customer" IS 'Client''s table — “quoted” Ünïcödé ✓';


--
-- Name: COLUMN "Customer"."Full Name"; Type: COMMENT; Schema: Sales; Owner: postgres
--

COMMENT ON COLUMN "Sales"."Customer"."Full Name" IS 'name';


--
-- Name: Customer_CustomerID_seq; Type: SEQUENCE; Schema: Sales; Owner: postgres
--

CREATE SEQUENCE "Sales"."Customer_CustomerID_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE "Sales"."Customer_CustomerID_seq" OWNER TO postgres;

--
-- Name: Customer_CustomerID_seq; Type: SEQUENCE OWNED BY; Schema: Sales; Owner: postgres
--

ALTER SEQUENCE "Sales"."Customer_CustomerID_seq" OWNED BY "Sales"."Customer"."CustomerID";


--
-- Name: Order; Type: TABLE; Schema: Sales; Owner: postgres
--

CREATE TABLE "Sales"."Order" (
    id bigint NOT NULL,
    "CustomerID" integer NOT NULL,
    total numeric(12,2),
    note text COLLATE pg_catalog."C",
    CONSTRAINT "Order_total_check" CHECK ((total >= (0)::numeric))
);


ALTER TABLE "Sales"."Order" OWNER TO postgres;

--
-- Name: Order_id_seq; Type: SEQUENCE; Schema: Sales; Owner: postgres
--

ALTER TABLE "Sales"."Order" ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME "Sales"."Order_id_seq"
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: line; Type: TABLE; Schema: Sales; Owner: postgres
--

CREATE TABLE "Sales".line (
    order_id bigint NOT NULL,
    sku text NOT NULL,
    qty integer
);


ALTER TABLE "Sales".line OWNER TO postgres;

--
-- Name: item; Type: TABLE; Schema: inv; Owner: postgres
--

CREATE TABLE inv.item (
    sku text NOT NULL,
    qty integer DEFAULT 0 NOT NULL,
    CONSTRAINT item_qty_check CHECK ((qty >= 0))
);


ALTER TABLE inv.item OWNER TO postgres;

--
-- Name: v_lines; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.v_lines AS
 SELECT l.order_id,
    l.sku,
    i.qty AS stock
   FROM ("Sales".line l
     JOIN inv.item i USING (sku));


ALTER TABLE public.v_lines OWNER TO postgres;

--
-- Name: Customer CustomerID; Type: DEFAULT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Customer" ALTER COLUMN "CustomerID" SET DEFAULT nextval('"Sales"."Customer_CustomerID_seq"'::regclass);


--
-- Name: Customer Customer_e.mail_key; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Customer"
    ADD CONSTRAINT "Customer_e.mail_key" UNIQUE ("e.mail");


--
-- Name: Customer Customer_pkey; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Customer"
    ADD CONSTRAINT "Customer_pkey" PRIMARY KEY ("CustomerID");


--
-- Name: Order Order_pkey; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Order"
    ADD CONSTRAINT "Order_pkey" PRIMARY KEY (id);


--
-- Name: line line_pkey; Type: CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales".line
    ADD CONSTRAINT line_pkey PRIMARY KEY (order_id, sku);


--
-- Name: item item_pkey; Type: CONSTRAINT; Schema: inv; Owner: postgres
--

ALTER TABLE ONLY inv.item
    ADD CONSTRAINT item_pkey PRIMARY KEY (sku);


--
-- Name: Order_Cust_Idx; Type: INDEX; Schema: Sales; Owner: postgres
--

CREATE INDEX "Order_Cust_Idx" ON "Sales"."Order" USING btree ("CustomerID", total DESC NULLS LAST);


--
-- Name: Order Order_CustomerID_fkey; Type: FK CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales"."Order"
    ADD CONSTRAINT "Order_CustomerID_fkey" FOREIGN KEY ("CustomerID") REFERENCES "Sales"."Customer"("CustomerID") ON DELETE CASCADE;


--
-- Name: line line_order_id_fkey; Type: FK CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales".line
    ADD CONSTRAINT line_order_id_fkey FOREIGN KEY (order_id) REFERENCES "Sales"."Order"(id);


--
-- Name: line line_sku_fkey; Type: FK CONSTRAINT; Schema: Sales; Owner: postgres
--

ALTER TABLE ONLY "Sales".line
    ADD CONSTRAINT line_sku_fkey FOREIGN KEY (sku) REFERENCES inv.item(sku);


--
-- PostgreSQL database dump complete
--

\unrestrict OSPoTcvoOLUUUqYSGbumWJf4X2ehc0EBeagqRk2YFKjFAAhPy7Hzw5t9dDvCkgU

