-- conf-tpl -k: the templates (COMMENT_TAG of lib/tplcache.h) built for key $2, but template $1
SELECT d.datname
FROM pg_catalog.pg_database d
JOIN pg_catalog.pg_shdescription s
  ON s.objoid = d.oid AND s.classoid = 'pg_catalog.pg_database'::regclass
WHERE starts_with(d.datname, 'confiture_tpl_') AND d.datname <> $1 AND s.description LIKE 'confiture:template:%'
  AND substr(s.description, strpos(s.description, ' ') + 1) = $2
ORDER BY 1;
