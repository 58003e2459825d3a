-- Mixed-case identifiers, quoting, several schemas, search_path games
CREATE SCHEMA "Sales";
CREATE SCHEMA inv;
SET search_path = "Sales", public;
CREATE TABLE "Customer" (
  "CustomerID" serial PRIMARY KEY,
  "Full Name" text NOT NULL,
  "e.mail" varchar(200) UNIQUE,
  "weird""col" int DEFAULT 42,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE "Order" (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "CustomerID" int NOT NULL REFERENCES "Customer" ON DELETE CASCADE,
  total numeric(12,2) CHECK (total >= 0),
  note text COLLATE "C"
);
CREATE INDEX "Order_Cust_Idx" ON "Order" ("CustomerID", total DESC NULLS LAST);
SET search_path = inv;
CREATE TABLE item (sku text PRIMARY KEY, qty int NOT NULL DEFAULT 0 CHECK (qty >= 0));
CREATE TABLE "Sales".line (
  order_id bigint REFERENCES "Sales"."Order"(id),
  sku text REFERENCES item,
  qty int,
  PRIMARY KEY (order_id, sku)
);
SELECT pg_catalog.set_config('search_path', 'public', false);
CREATE VIEW v_lines AS SELECT l.order_id, l.sku, i.qty AS stock FROM "Sales".line l JOIN inv.item i USING (sku);
COMMENT ON TABLE "Sales"."Customer" IS 'Client''s table — “quoted” Ünïcödé ✓';
COMMENT ON COLUMN "Sales"."Customer"."Full Name" IS 'name';
