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
UNION ALL
-- Default privileges (pg_default_acl): the entry of a role for every schema (read unless -n names
-- the schemas) relative to the built-in defaults it replaces, a schema's entry relative to nothing;
-- the role's own privileges are not listed (as for grants). modeldb.c makes the id.
SELECT json_build_object('kind', 'default_acl', 'role', pg_get_userbyid(d.defaclrole), 'in_schema', n.nspname,
	'objects', CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
		WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' END,
	'grants', (SELECT json_agg(json_build_object('grantee', g.name,
			'privileges', (SELECT json_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) FROM aclexplode(d.defaclacl) a
				WHERE a.grantee = g.grantee AND a.privilege_type NOT IN
					(SELECT b.privilege_type FROM aclexplode(o.base) b WHERE b.grantee = g.grantee)),
			'grantable', (SELECT json_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) FROM aclexplode(d.defaclacl) a
				WHERE a.grantee = g.grantee AND a.is_grantable),
			'revoked', (SELECT json_agg(DISTINCT b.privilege_type ORDER BY b.privilege_type) FROM aclexplode(o.base) b
				WHERE b.grantee = g.grantee AND b.privilege_type NOT IN
					(SELECT a.privilege_type FROM aclexplode(d.defaclacl) a WHERE a.grantee = g.grantee)))
			ORDER BY g.name COLLATE "C")
		FROM (SELECT DISTINCT x.grantee, CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END AS name
			FROM (SELECT grantee FROM aclexplode(d.defaclacl) UNION SELECT grantee FROM aclexplode(o.base)) x
			WHERE x.grantee <> d.defaclrole) g))
FROM pg_default_acl d
LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
CROSS JOIN LATERAL (SELECT CASE WHEN d.defaclnamespace = 0
	THEN acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END, d.defaclrole)
	END AS base) o
WHERE (d.defaclnamespace = 0 AND cardinality($1::text[]) = 0) OR d.defaclnamespace IN (SELECT oid FROM keep)
