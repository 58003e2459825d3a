-- conf-fdw setup: the relations of schema $1 of the kinds $2, each with its columns and their
-- types as one text; run on the source (what IMPORT FOREIGN SCHEMA reads) and on the target
-- (the foreign tables an earlier setup made), both with search_path pg_catalog, so that a type
-- is spelled alike on both sides
SELECT c.relname,
       coalesce(string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', '
                           ORDER BY a.attnum), '')
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = $1 AND c.relkind = ANY ($2::"char"[])
GROUP BY c.relname
ORDER BY 1;
