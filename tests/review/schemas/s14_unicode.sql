-- Unicode identifiers, U& escapes, E'' strings, dollar quotes with tags, comments with quotes
CREATE SCHEMA "Ünïcode";
CREATE TABLE "Ünïcode"."Tâble ☃" ("çolumn" text DEFAULT 'naïve café', "🙂" int CHECK ("🙂" <> 0));
CREATE TABLE U&"d\0061t\+000061" (U&"\00E9t\00E9" int);
CREATE TABLE "select" ("from" int, "user" text, "Order" int);
CREATE INDEX "idx.with.dots" ON "select" ("from");
CREATE INDEX "idx with spaces" ON "select" ("user");
CREATE INDEX "idx""quote" ON "select" ("Order");
CREATE TABLE "a.b" ("c.d" int);
CREATE TABLE a (b int);
CREATE SCHEMA "a.b";
CREATE TABLE "a.b".c (d int);
COMMENT ON TABLE "select" IS E'tab\there, quote \' and backslash \\ and “smart”';
COMMENT ON COLUMN "Ünïcode"."Tâble ☃"."🙂" IS $tag$it's $$ inside$tag$;
CREATE FUNCTION "Ünïcode"."fn(x)"(a int) RETURNS int LANGUAGE sql IMMUTABLE AS $body$ SELECT a $body$;
CREATE FUNCTION "weird,name"("a,b" int, "c)d" text) RETURNS int LANGUAGE sql AS 'SELECT 1';
