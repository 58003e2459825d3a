-- conf-fdw: the staging schemas of server $1 on the target (their comment names the server and
-- the source schema), with the number of foreign tables each holds
SELECT n.nspname,
       substring(obj_description(n.oid, 'pg_namespace') FROM ', source schema (.*)$'),
       (SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind = 'f')
FROM pg_catalog.pg_namespace n
WHERE starts_with(obj_description(n.oid, 'pg_namespace'),
                  'confiture staging schema: foreign tables of server ' || $1 || ', source schema ')
ORDER BY 2;
