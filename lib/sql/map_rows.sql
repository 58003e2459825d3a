-- conf-map, on the source: each table's row count estimate (planner statistics), and whether
-- it is a plain table small enough (under 8 MB) to be counted when it was never analyzed
SELECT n.nspname, c.relname, c.reltuples::bigint,
       c.relkind = 'r' AND pg_catalog.pg_table_size(c.oid) < 8 * 1024 * 1024
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema');
