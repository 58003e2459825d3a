-- Triggers, rules and policies of tables and views (after the prelude). Triggers PostgreSQL made
-- itself (foreign keys, clones on partitions) are left out.
SELECT json_build_object('kind', 'trigger',
	'id', json_build_object('@', json_build_array('trigger', c.nspname, c.relname, g.tgname)),
	'schema', c.nspname, 'name', g.tgname, 'table', c.ref,
	'timing', CASE WHEN g.tgtype & 64 <> 0 THEN 'instead of' WHEN g.tgtype & 2 <> 0 THEN 'before' ELSE 'after' END,
	'events', (SELECT json_agg(e.w ORDER BY e.i) FROM (VALUES (1, 4, 'insert'), (2, 16, 'update'), (3, 8, 'delete'),
		(4, 32, 'truncate')) e(i, bit, w) WHERE g.tgtype & e.bit <> 0),
	'columns', (SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(g.tgattr::int2[]) WITH ORDINALITY AS k(n, i)
		JOIN pg_attribute a ON a.attrelid = g.tgrelid AND a.attnum = k.n),
	'level', CASE WHEN g.tgtype & 1 <> 0 THEN 'row' ELSE 'statement' END,
	'function', (SELECT ref FROM fn WHERE fn.oid = g.tgfoid),
	'_args', CASE WHEN g.tgnargs > 0 THEN encode(g.tgargs, 'hex') END,
	'when_sql', substring(pg_get_triggerdef(g.oid) FROM ' WHEN [(](.*)[)] EXECUTE FUNCTION '),
	'constraint', g.tgconstraint <> 0, 'deferrable', g.tgdeferrable, 'initially_deferred', g.tginitdeferred,
	'old_table', g.tgoldtable, 'new_table', g.tgnewtable, 'enabled', nullif(g.tgenabled, 'O'))
FROM pg_trigger g
JOIN rel c ON c.oid = g.tgrelid
JOIN keep k ON k.nspname = c.nspname
WHERE NOT g.tgisinternal AND g.tgparentid = 0
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
UNION ALL
SELECT json_build_object('kind', 'rule',
	'id', json_build_object('@', json_build_array('rule', c.nspname, c.relname, r.rulename)),
	'schema', c.nspname, 'name', r.rulename, 'table', c.ref,
	'event', CASE r.ev_type WHEN '1' THEN 'select' WHEN '2' THEN 'update' WHEN '3' THEN 'insert' ELSE 'delete' END,
	'instead', r.is_instead,
	-- the condition and the actions: modeldb.c cuts them out of the definition by its tokens
	'_ruledef', pg_get_ruledef(r.oid))
FROM pg_rewrite r
JOIN rel c ON c.oid = r.ev_class
JOIN keep k ON k.nspname = c.nspname
WHERE r.rulename <> '_RETURN'
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
UNION ALL
SELECT json_build_object('kind', 'policy',
	'id', json_build_object('@', json_build_array('policy', c.nspname, c.relname, p.polname)),
	'schema', c.nspname, 'name', p.polname, 'table', c.ref,
	'command', CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update' WHEN 'd' THEN 'delete' END,
	'restrictive', NOT p.polpermissive,
	'roles', CASE WHEN p.polroles <> '{0}' THEN (SELECT json_agg(coalesce(ro.rolname, 'public') ORDER BY coalesce(ro.rolname, 'public') COLLATE "C")
		-- a role named twice (TO a, a; TO CURRENT_USER, SESSION_USER) is there twice: once is the policy
		FROM (SELECT DISTINCT u.oid FROM unnest(p.polroles) AS u(oid)) pr LEFT JOIN pg_roles ro ON ro.oid = pr.oid) END,
	'using_sql', pg_get_expr(p.polqual, p.polrelid),
	'check_sql', pg_get_expr(p.polwithcheck, p.polrelid))
FROM pg_policy p
JOIN rel c ON c.oid = p.polrelid
JOIN keep k ON k.nspname = c.nspname
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
