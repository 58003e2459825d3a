-- conf-fdw setup, on the source: the schemas to import, those holding a table, view, materialized
-- view or foreign table, outside the system and extensions; neither confiture_s2s nor the staging
-- schemas of an earlier schema-to-schema migration whose target this database was.
SELECT n.nspname
FROM pg_catalog.pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'confiture_s2s')
  AND left(n.nspname, 3) <> 'pg_'
  AND coalesce(obj_description(n.oid, 'pg_namespace'), '') NOT LIKE 'confiture staging schema:%'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                  AND d.objid = n.oid AND d.deptype = 'e')
  AND EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))
ORDER BY 1;
