-- conf-fdw setup: the names of the options server $1 has, to drop them all
SELECT split_part(unnest(srvoptions), '=', 1)
FROM pg_catalog.pg_foreign_server
WHERE srvname = $1;
