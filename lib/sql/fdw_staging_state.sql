-- conf-fdw setup: whether schema $1 on the target carries the staging mark $2, and how many
-- relations it holds
SELECT obj_description(n.oid, 'pg_namespace') IS NOT DISTINCT FROM $2,
       (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid)
FROM pg_catalog.pg_namespace n
WHERE n.nspname = $1;
