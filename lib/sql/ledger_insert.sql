-- $1 version, $2 name, $3 execution_time_ms, $4 checksum, $5 slug suffix ('' = none),
-- $6 the client's local time as YYYYMMDD_HHMMSS ('' = the server's now()).
-- The slug is "<name>_<YYYYMMDD_HHMMSS>" as upstream writes it (its datetime.now(): the
-- client's local time), and "<name>_<YYYYMMDD_HHMMSS>_baseline" for a baseline row, whose
-- applied_by is NULL as upstream leaves it; a second migration of the same name in the same
-- second gets its version appended rather than a unique violation.
INSERT INTO {table} (slug, version, name, execution_time_ms, checksum, applied_by)
SELECT CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE slug = s) THEN s || '_' || $1 ELSE s END,
       $1, $2, $3, $4, CASE WHEN $5 = '' THEN current_user END
FROM (SELECT $2 || '_' || CASE WHEN $6 = '' THEN to_char(now(), 'YYYYMMDD_HH24MISS') ELSE $6 END
             || CASE WHEN $5 = '' THEN '' ELSE '_' || $5 END AS s) AS x
