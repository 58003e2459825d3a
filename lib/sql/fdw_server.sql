-- conf-fdw setup: the foreign-data wrapper of server $1 on the target and its options, a line each
SELECT w.fdwname, array_to_string(s.srvoptions, chr(10))
FROM pg_catalog.pg_foreign_server s
JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE s.srvname = $1;
