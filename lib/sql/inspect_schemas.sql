-- Schemas, and the extensions installed in them (after the prelude).
SELECT json_build_object('kind', 'schema', 'id', json_build_object('@', json_build_array('schema', k.nspname)),
	'name', k.nspname)
FROM keep k
UNION ALL
SELECT json_build_object('kind', 'extension', 'id', json_build_object('@', json_build_array('extension', e.extname)),
	'name', e.extname, 'schema', k.nspname)
FROM pg_extension e JOIN keep k ON k.oid = e.extnamespace
