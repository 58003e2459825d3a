-- Comments, owners and grants of every object that can be a record (after the prelude);
-- modeldb.c keeps those whose object is in the model ("_of": the record a column or a
-- constraint belongs to).
, target AS MATERIALIZED (
	SELECT 'pg_namespace'::regclass AS classid, k.oid AS objid, 0 AS objsubid,
		json_build_object('@', json_build_array('schema', k.nspname)) AS ref, NULL::json AS of,
		n.nspowner AS owner, n.nspacl AS acl, 'n'::"char" AS acltype
	FROM keep k JOIN pg_namespace n ON n.oid = k.oid
	UNION ALL
	SELECT 'pg_extension'::regclass, e.oid, 0, json_build_object('@', json_build_array('extension', e.extname)),
		NULL, NULL, NULL, NULL
	FROM pg_extension e JOIN keep k ON k.oid = e.extnamespace
	UNION ALL
	SELECT 'pg_class'::regclass, c.oid, 0, c.ref, NULL, CASE WHEN c.relkind NOT IN ('i', 'I') THEN pc.relowner END,
		pc.relacl, CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char"
	FROM rel c JOIN keep k ON k.nspname = c.nspname JOIN pg_class pc ON pc.oid = c.oid
	WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S', 'i', 'I')
	UNION ALL
	SELECT 'pg_class'::regclass, c.oid, a.attnum, json_build_object('@', json_build_array('column', c.nspname, c.relname, a.attname)),
		c.ref, NULL, a.attacl, 'c'
	FROM rel c JOIN keep k ON k.nspname = c.nspname
	JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
	UNION ALL
	SELECT 'pg_type'::regclass, t.oid, 0,
		json_build_object('@', json_build_array(CASE t.typtype WHEN 'd' THEN 'domain' ELSE 'type' END, k.nspname, t.typname)),
		NULL, t.typowner, t.typacl, 'T'
	FROM pg_type t JOIN keep k ON k.oid = t.typnamespace
	WHERE t.typtype IN ('e', 'c', 'r', 'd')
	UNION ALL
	SELECT 'pg_constraint'::regclass, o.oid, 0,
		json_build_object('@', json_build_array('constraint', k.nspname, coalesce(c.relname, t.typname), o.conname)),
		coalesce(c.ref, json_build_object('@', json_build_array('domain', k.nspname, t.typname))), NULL, NULL, NULL
	FROM pg_constraint o JOIN keep k ON k.oid = o.connamespace
	LEFT JOIN rel c ON c.oid = o.conrelid AND o.conrelid <> 0
	LEFT JOIN pg_type t ON t.oid = o.contypid AND o.contypid <> 0
	UNION ALL
	SELECT 'pg_proc'::regclass, p.oid, 0, f.ref, NULL, p.proowner, p.proacl, 'f'
	FROM pg_proc p JOIN keep k ON k.oid = p.pronamespace JOIN fn f ON f.oid = p.oid
	UNION ALL
	SELECT 'pg_trigger'::regclass, g.oid, 0,
		json_build_object('@', json_build_array('trigger', c.nspname, c.relname, g.tgname)), NULL, NULL, NULL, NULL
	FROM pg_trigger g JOIN rel c ON c.oid = g.tgrelid JOIN keep k ON k.nspname = c.nspname
	UNION ALL
	SELECT 'pg_rewrite'::regclass, r.oid, 0,
		json_build_object('@', json_build_array('rule', c.nspname, c.relname, r.rulename)), NULL, NULL, NULL, NULL
	FROM pg_rewrite r JOIN rel c ON c.oid = r.ev_class JOIN keep k ON k.nspname = c.nspname
	UNION ALL
	SELECT 'pg_policy'::regclass, p.oid, 0,
		json_build_object('@', json_build_array('policy', c.nspname, c.relname, p.polname)), NULL, NULL, NULL, NULL
	FROM pg_policy p JOIN rel c ON c.oid = p.polrelid JOIN keep k ON k.nspname = c.nspname
	UNION ALL
	SELECT 'pg_event_trigger'::regclass, e.oid, 0,
		json_build_object('@', json_build_array('event_trigger', e.evtname)), NULL, e.evtowner, NULL, NULL
	FROM pg_event_trigger e
	UNION ALL
	SELECT 'pg_publication'::regclass, p.oid, 0,
		json_build_object('@', json_build_array('publication', p.pubname)), NULL, p.pubowner, NULL, NULL
	FROM pg_publication p
)
SELECT json_build_object('kind', 'comment', 'on', t.ref, '_of', t.of, 'text', d.description)
FROM target t
JOIN pg_description d ON d.classoid = t.classid AND d.objoid = t.objid AND d.objsubid = t.objsubid
WHERE NOT (t.classid = 'pg_namespace'::regclass AND d.description = 'standard public schema'
		AND (SELECT nspname FROM pg_namespace WHERE oid = t.objid) = 'public')
	-- CREATE EXTENSION sets the comment of the control file
	AND NOT (t.classid = 'pg_extension'::regclass AND d.description IS NOT DISTINCT FROM
		(SELECT a.comment FROM pg_extension e JOIN pg_available_extensions a ON a.name = e.extname WHERE e.oid = t.objid))
UNION ALL
SELECT json_build_object('kind', 'owner', 'on', t.ref, 'owner', pg_get_userbyid(t.owner))
FROM target t
WHERE t.owner <> (SELECT datdba FROM pg_database WHERE datname = current_database())
	-- public belongs to pg_database_owner in a new database
	AND NOT (t.classid = 'pg_namespace'::regclass AND t.owner = 'pg_database_owner'::regrole
		AND (SELECT nspname FROM pg_namespace WHERE oid = t.objid) = 'public')
UNION ALL
SELECT json_build_object('kind', 'grant', 'on', t.ref, '_of', t.of,
	'grantee', CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee) END,
	'privileges', (SELECT json_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) FROM aclexplode(t.acl) a
		WHERE a.grantee = g.grantee AND a.privilege_type NOT IN
			(SELECT d.privilege_type FROM aclexplode(g.def) d WHERE d.grantee = g.grantee)),
	'grantable', (SELECT json_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) FROM aclexplode(t.acl) a
		WHERE a.grantee = g.grantee AND a.is_grantable),
	'revoked', (SELECT json_agg(DISTINCT d.privilege_type ORDER BY d.privilege_type) FROM aclexplode(g.def) d
		WHERE d.grantee = g.grantee AND d.privilege_type NOT IN
			(SELECT a.privilege_type FROM aclexplode(t.acl) a WHERE a.grantee = g.grantee)))
FROM target t
CROSS JOIN LATERAL (SELECT coalesce((SELECT i.initprivs FROM pg_init_privs i
		WHERE i.objoid = t.objid AND i.classoid = t.classid AND i.objsubid = t.objsubid),
	acldefault(t.acltype, coalesce(t.owner, (SELECT relowner FROM pg_class WHERE oid = t.objid)))) AS def,
	coalesce(t.owner, (SELECT relowner FROM pg_class WHERE oid = t.objid)) AS aclowner) o
CROSS JOIN LATERAL (SELECT DISTINCT x.grantee, o.def FROM (SELECT grantee FROM aclexplode(t.acl)
	UNION SELECT grantee FROM aclexplode(o.def)) x WHERE x.grantee <> o.aclowner
	-- nor the owner the default was made for (pg_database_owner for public), by its self-grant
	AND NOT EXISTS (SELECT FROM aclexplode(o.def) d WHERE d.grantee = x.grantee AND d.grantor = x.grantee)) g
WHERE t.acl IS NOT NULL
