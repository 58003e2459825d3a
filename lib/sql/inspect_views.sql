-- Views and materialized views (after the prelude).
SELECT json_build_object('kind', CASE c.relkind WHEN 'v' THEN 'view' ELSE 'matview' END, 'id', c.ref,
	'schema', c.nspname, 'name', c.relname,
	'query_sql', rtrim(btrim(pg_get_viewdef(c.oid), ' ' || chr(10)), ';'),
	'columns', (SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
		WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
	'check_option', (SELECT substr(o, 14) FROM unnest(pc.reloptions) o WHERE starts_with(o, 'check_option=')),
	'security_barrier', EXISTS (SELECT FROM unnest(pc.reloptions) o WHERE o ~* '^security_barrier=(true|on|yes|1|t|y)'),
	'security_invoker', EXISTS (SELECT FROM unnest(pc.reloptions) o WHERE o ~* '^security_invoker=(true|on|yes|1|t|y)'),
	'no_data', c.relkind = 'm' AND NOT pc.relispopulated,
	-- a materialized view's storage parameters and tablespace
	'options', CASE WHEN c.relkind = 'm' THEN to_json(pc.reloptions) END,
	'tablespace', CASE WHEN c.relkind = 'm' THEN (SELECT spcname FROM pg_tablespace WHERE oid = pc.reltablespace) END)
FROM rel c
JOIN keep k ON k.nspname = c.nspname
JOIN pg_class pc ON pc.oid = c.oid
WHERE c.relkind IN ('v', 'm')
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
