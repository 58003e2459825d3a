-- conf-tpl: the other sessions connected to database $1 (pid, user, application)
SELECT pid, coalesce(usename, '?'), coalesce(nullif(application_name, ''), '?')
FROM pg_catalog.pg_stat_activity
WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid()
ORDER BY pid;
