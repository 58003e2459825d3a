-- conf-map: whether value v converts to type t as an explicit cast does (the cast a mapping's
-- `src: dst` makes when the types differ); false where the cast raises an error. A temporary
-- function: the target keeps nothing. Only for the type pairs conf-map has no plain test for.
CREATE FUNCTION pg_temp.confiture_fits(v anyelement, t text) RETURNS boolean
LANGUAGE plpgsql AS $confiture$
BEGIN
  IF v IS NULL THEN
    RETURN true;
  END IF;
  EXECUTE format('SELECT $1::%s', t) USING v;
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RETURN false;
END
$confiture$;
