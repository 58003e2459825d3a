CREATE TABLE t (a int);
CREATE INDEX ON t (a);
COMMENT ON TABLE t IS 'line1
line2';
CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $$SELECT 'x'
$$;
CREATE TABLE bad (a int,
  b int,, c int);
