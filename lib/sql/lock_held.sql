-- Whether this session still holds the migration lock (classid, objid) = ($1, $2): a migration
-- can release it (pg_advisory_unlock_all(), pg_advisory_unlock(...)), and then another runner
-- can take it while this one goes on.
SELECT EXISTS (SELECT 1
               FROM pg_catalog.pg_locks
               WHERE locktype = 'advisory' AND granted
                 AND pid = pg_catalog.pg_backend_pid()
                 AND classid = $1::oid AND objid = $2::oid AND objsubid = 2)
