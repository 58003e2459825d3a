-- conf-tpl: conf-apply -c's lock on the build of database $1 tried, and the server process
-- that holds it (a pooler in transaction mode would change it)
SELECT pg_catalog.pg_try_advisory_lock(pg_catalog.hashtextextended('confiture build of ' || $1, 0)),
       pg_catalog.pg_backend_pid()::text;
