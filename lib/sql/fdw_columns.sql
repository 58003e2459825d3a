-- conf-fdw setup: the relations of schema $1 of the kinds $2, each with its columns and their
-- types as one text; run on the source (what IMPORT FOREIGN SCHEMA reads) and on the target
-- (the foreign tables an earlier setup made), both with search_path pg_catalog, so that a type
-- is spelled alike on both sides. A column of a type of $3 (types the target lacks) is text, and
-- the third column says whether the relation has one.
SELECT c.relname,
       coalesce(string_agg(quote_ident(a.attname) || ' ' ||
                           CASE WHEN format_type(a.atttypid, NULL) = ANY ($3::text[]) THEN 'text'
                                ELSE format_type(a.atttypid, a.atttypmod) END, ', '
                           ORDER BY a.attnum), ''),
       coalesce(bool_or(format_type(a.atttypid, NULL) = ANY ($3::text[])), false)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = $1 AND c.relkind = ANY ($2::"char"[])
GROUP BY c.relname
ORDER BY 1;
