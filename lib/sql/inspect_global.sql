-- Event triggers and publications (after the prelude): objects of the database, not of a
-- schema, read unless -n names the schemas to read.
SELECT json_build_object('kind', 'event_trigger', 'id', json_build_object('@', json_build_array('event_trigger', e.evtname)),
	'name', e.evtname, 'event', e.evtevent, 'tags', to_json(e.evttags),
	'function', (SELECT ref FROM fn WHERE fn.oid = e.evtfoid), 'enabled', nullif(e.evtenabled, 'O'))
FROM pg_event_trigger e
WHERE cardinality($1::text[]) = 0
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_event_trigger'::regclass AND m.objid = e.oid)
UNION ALL
SELECT json_build_object('kind', 'publication', 'id', json_build_object('@', json_build_array('publication', p.pubname)),
	'name', p.pubname, 'all_tables', p.puballtables,
	'tables', (SELECT json_agg(r.ref) FROM pg_publication_rel pr JOIN rel r ON r.oid = pr.prrelid WHERE pr.prpubid = p.oid),
	-- the row filter and the column list (in attribute number order, as prattrs holds it) of a table
	'filters', (SELECT json_agg(json_build_object('table', r.ref, 'where_sql', pg_get_expr(pr.prqual, pr.prrelid),
			'columns', (SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
				WHERE a.attrelid = pr.prrelid AND a.attnum = ANY (pr.prattrs::int2[]))))
		FROM pg_publication_rel pr JOIN rel r ON r.oid = pr.prrelid
		WHERE pr.prpubid = p.oid AND (pr.prqual IS NOT NULL OR pr.prattrs IS NOT NULL)),
	'schemas', (SELECT json_agg(json_build_object('@', json_build_array('schema', n.nspname)))
		FROM pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = p.oid),
	'publish', CASE WHEN NOT (p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate) THEN
		(SELECT json_agg(w.w ORDER BY w.i) FROM (VALUES (1, p.pubinsert, 'insert'), (2, p.pubupdate, 'update'),
			(3, p.pubdelete, 'delete'), (4, p.pubtruncate, 'truncate')) w(i, on_, w) WHERE w.on_) END,
	'via_root', p.pubviaroot)
FROM pg_publication p
WHERE cardinality($1::text[]) = 0
