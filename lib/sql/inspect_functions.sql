-- Functions and procedures (after the prelude). Arguments: every mode but TABLE columns, whose
-- declaration is part of the result type.
SELECT json_build_object('kind', CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, 'id', f.ref,
	'schema', k.nspname, 'name', p.proname,
	'args', (SELECT json_agg(json_build_object('name', nullif(p.proargnames[a.i], ''),
			'type', format_type(a.t, NULL),
			'mode', CASE p.proargmodes[a.i] WHEN 'o' THEN 'out' WHEN 'b' THEN 'inout' WHEN 'v' THEN 'variadic' END,
			'default_sql', pg_get_function_arg_default(p.oid, a.i::int)) ORDER BY a.i)
		FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS a(t, i)
		WHERE coalesce(p.proargmodes[a.i], 'i') <> 't'),
	'returns', CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END,
	'language', l.lanname,
	'volatility', CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' END,
	'strict', p.proisstrict, 'security_definer', p.prosecdef, 'leakproof', p.proleakproof,
	'parallel', CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' END,
	'set', to_json(p.proconfig),
	'cost', CASE WHEN p.procost <> CASE WHEN l.lanname IN ('c', 'internal') THEN 1 ELSE 100 END THEN p.procost END,
	'rows', CASE WHEN p.proretset AND p.prorows <> 1000 THEN p.prorows END,
	'body', CASE WHEN p.prosqlbody IS NULL THEN p.prosrc END,
	'body_obj', p.probin,
	-- an SQL-standard body as the catalog prints it: the last part of pg_get_functiondef, whose
	-- header lines all start with a space
	'body_sql', CASE WHEN p.prosqlbody IS NOT NULL THEN
		rtrim(substring(pg_get_functiondef(p.oid) FROM chr(10) || '((?:RETURN |BEGIN ATOMIC).*)$'), chr(10)) END)
FROM pg_proc p
JOIN keep k ON k.oid = p.pronamespace
JOIN fn f ON f.oid = p.oid
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p')
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
	-- the constructors CREATE TYPE ... AS RANGE makes belong to the type
	AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
