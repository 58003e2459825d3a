-- Applied migrations, oldest first.
SELECT version,
       name,
       coalesce(checksum, ''),
       to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       coalesce(execution_time_ms, 0)
FROM {table}
ORDER BY applied_at, pk_confiture
