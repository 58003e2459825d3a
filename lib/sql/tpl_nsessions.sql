-- conf-tpl: the number of other sessions connected to database $1
SELECT count(*)
FROM pg_catalog.pg_stat_activity
WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid();
