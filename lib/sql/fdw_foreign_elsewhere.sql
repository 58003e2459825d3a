-- conf-fdw cleanup: the foreign tables of server $1 outside its staging schemas (whose comment
-- starts with FDW_STAGING_MARK of lib/fdwlink.h): the user's, which DROP SERVER ... CASCADE would take
SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_catalog.pg_foreign_table t
JOIN pg_catalog.pg_class c ON c.oid = t.ftrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_foreign_server s ON s.oid = t.ftserver
WHERE s.srvname = $1
  AND NOT starts_with(coalesce(obj_description(n.oid, 'pg_namespace'), ''),
                      'confiture staging schema: foreign tables of server ' || $1 || ', ')
ORDER BY 1;
