-- conf-tpl -P: the templates this tool made (TPL_PREFIX, datistemplate, COMMENT_TAG of
-- lib/tplcache.h) and the scratch ones a crash left (TPL_SCRATCH), but those named in text[] $1
SELECT d.datname
FROM pg_catalog.pg_database d
LEFT JOIN pg_catalog.pg_shdescription s
  ON s.objoid = d.oid AND s.classoid = 'pg_catalog.pg_database'::regclass
WHERE ((d.datname ~ '^confiture_tpl_[0-9a-f]{16}$' AND d.datistemplate
        AND s.description LIKE 'confiture:template:%')
       OR d.datname ~ '^confiture_tplnew_[0-9a-f]{16}$')
  AND d.datname <> ALL ($1::text[])
ORDER BY 1;
