-- conf-fdw setup: the user-defined types (oid past the built-in ones) of the columns of the
-- relations of source schema $1, as format_type spells them
SELECT DISTINCT format_type(a.atttypid, NULL)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
  AND a.atttypid >= 16384
ORDER BY 1;
