-- conf-fdw cleanup: a conf-move or conf-verify connected to the target (the oldest), which
-- would lose its staging tables under it
SELECT application_name, pid
FROM pg_catalog.pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND application_name IN ('conf-move', 'conf-verify')
ORDER BY backend_start
LIMIT 1;
