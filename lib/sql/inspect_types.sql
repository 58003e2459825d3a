-- Enum, composite and range types, and domains (after the prelude).
SELECT json_build_object('kind', 'type', 'id', json_build_object('@', json_build_array('type', k.nspname, t.typname)),
	'schema', k.nspname, 'name', t.typname,
	'form', CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'c' THEN 'composite' ELSE 'range' END,
	'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
	'attributes', (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
			'collation', CASE WHEN a.attcollation <> at.typcollation THEN (SELECT name FROM coll WHERE coll.oid = a.attcollation) END)
			ORDER BY a.attnum)
		FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid
		WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped),
	'subtype', format_type(r.rngsubtype, NULL),
	'subtype_opclass', (SELECT name FROM opc WHERE opc.oid = r.rngsubopc AND NOT opc.opcdefault),
	'collation', CASE WHEN r.rngcollation <> st.typcollation THEN (SELECT name FROM coll WHERE coll.oid = r.rngcollation) END,
	'canonical', (SELECT ref FROM fn WHERE fn.oid = r.rngcanonical),
	'subtype_diff', (SELECT ref FROM fn WHERE fn.oid = r.rngsubdiff),
	-- PostgreSQL's name for the multirange: the first "range" replaced, else "_multirange" appended
	'multirange', CASE WHEN mt.typname <> CASE WHEN strpos(t.typname, 'range') > 0
			THEN overlay(t.typname PLACING 'multirange' FROM strpos(t.typname, 'range') FOR 5)
			ELSE t.typname || '_multirange' END OR mt.typnamespace <> t.typnamespace THEN mt.typname END)
FROM pg_type t
JOIN keep k ON k.oid = t.typnamespace
LEFT JOIN pg_range r ON r.rngtypid = t.oid
LEFT JOIN pg_type st ON st.oid = r.rngsubtype
LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
WHERE (t.typtype IN ('e', 'r')
		OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
UNION ALL
SELECT json_build_object('kind', 'domain', 'id', json_build_object('@', json_build_array('domain', k.nspname, t.typname)),
	'schema', k.nspname, 'name', t.typname,
	'type', format_type(t.typbasetype, t.typtypmod), 'not_null', t.typnotnull,
	'default_sql', pg_get_expr(t.typdefaultbin, 0),
	'collation', CASE WHEN t.typcollation <> bt.typcollation THEN (SELECT name FROM coll WHERE coll.oid = t.typcollation) END,
	'constraints', (SELECT json_agg(json_build_object('name', c.conname, 'expr_sql', pg_get_expr(c.conbin, 0),
			'not_valid', NOT c.convalidated) ORDER BY c.conname COLLATE "C")
		FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'))
FROM pg_type t
JOIN keep k ON k.oid = t.typnamespace
JOIN pg_type bt ON bt.oid = t.typbasetype
WHERE t.typtype = 'd'
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_type'::regclass AND m.objid = t.oid)
