-- conf-map: a row when the target has foreign table $1.$2 (the staging table of a source table)
SELECT
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'f';
