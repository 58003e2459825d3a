-- Aggregates, operators, casts, collations and extended statistics (after the prelude).
-- A support function is its bare name in pg_catalog, else its id; an operator likewise.
, sfn AS NOT MATERIALIZED (
	SELECT p.oid, CASE WHEN p.pronamespace = 'pg_catalog'::regnamespace THEN to_json(p.proname) ELSE f.ref END AS ref
	FROM pg_proc p JOIN fn f ON f.oid = p.oid
), sop AS NOT MATERIALIZED (
	SELECT o.oid, CASE WHEN o.oprnamespace = 'pg_catalog'::regnamespace THEN to_json(o.oprname)
		ELSE json_build_object('@', json_build_array('operator', n.nspname, o.oprname),
			'()', coalesce(format_type(nullif(o.oprleft, 0), NULL), 'NONE') || ','
				|| coalesce(format_type(nullif(o.oprright, 0), NULL), 'NONE')) END AS ref
	FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
)
SELECT json_build_object('kind', 'aggregate', 'id', f.ref, 'schema', k.nspname, 'name', p.proname,
	'args', (SELECT json_agg(json_build_object('name', nullif(p.proargnames[a.i], ''), 'type', format_type(a.t, NULL),
			'mode', CASE p.proargmodes[a.i] WHEN 'v' THEN 'variadic' END) ORDER BY a.i)
		FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i)),
	'ordered_set', g.aggkind <> 'n', 'hypothetical', g.aggkind = 'h', 'direct_args', nullif(g.aggnumdirectargs, 0),
	'sfunc', (SELECT ref FROM sfn WHERE oid = g.aggtransfn), 'stype', format_type(g.aggtranstype, NULL),
	'sspace', nullif(g.aggtransspace, 0), 'initcond', g.agginitval,
	'finalfunc', (SELECT ref FROM sfn WHERE oid = g.aggfinalfn), 'finalfunc_extra', g.aggfinalextra,
	-- the default: read_only for a plain aggregate, read_write for an ordered set
	'finalfunc_modify', CASE WHEN g.aggfinalmodify <> CASE g.aggkind WHEN 'n' THEN 'r' ELSE 'w' END THEN
		CASE g.aggfinalmodify WHEN 'r' THEN 'read_only' WHEN 's' THEN 'shareable' ELSE 'read_write' END END,
	'combinefunc', (SELECT ref FROM sfn WHERE oid = g.aggcombinefn),
	'serialfunc', (SELECT ref FROM sfn WHERE oid = g.aggserialfn),
	'deserialfunc', (SELECT ref FROM sfn WHERE oid = g.aggdeserialfn),
	'msfunc', (SELECT ref FROM sfn WHERE oid = g.aggmtransfn), 'minvfunc', (SELECT ref FROM sfn WHERE oid = g.aggminvtransfn),
	'mstype', format_type(nullif(g.aggmtranstype, 0), NULL), 'msspace', nullif(g.aggmtransspace, 0),
	'minitcond', g.aggminitval,
	'mfinalfunc', (SELECT ref FROM sfn WHERE oid = g.aggmfinalfn), 'mfinalfunc_extra', g.aggmfinalextra,
	'mfinalfunc_modify', CASE WHEN g.aggmfinalmodify <> CASE g.aggkind WHEN 'n' THEN 'r' ELSE 'w' END THEN
		CASE g.aggmfinalmodify WHEN 'r' THEN 'read_only' WHEN 's' THEN 'shareable' ELSE 'read_write' END END,
	'sortop', (SELECT ref FROM sop WHERE oid = g.aggsortop),
	'parallel', CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' END)
FROM pg_aggregate g
JOIN pg_proc p ON p.oid = g.aggfnoid
JOIN keep k ON k.oid = p.pronamespace
JOIN fn f ON f.oid = p.oid
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_proc'::regclass AND m.objid = p.oid)
UNION ALL
-- operators; a shell (made by a COMMUTATOR or NEGATOR naming an operator not made yet) is none
SELECT json_build_object('kind', 'operator', 'id', s.ref, 'schema', k.nspname, 'name', o.oprname,
	'left', format_type(nullif(o.oprleft, 0), NULL), 'right', format_type(nullif(o.oprright, 0), NULL),
	'function', (SELECT ref FROM sfn WHERE oid = o.oprcode),
	'commutator', (SELECT ref FROM sop WHERE oid = o.oprcom), 'negator', (SELECT ref FROM sop WHERE oid = o.oprnegate),
	'restrict', (SELECT ref FROM sfn WHERE oid = o.oprrest), 'join', (SELECT ref FROM sfn WHERE oid = o.oprjoin),
	'hashes', o.oprcanhash, 'merges', o.oprcanmerge)
FROM pg_operator o
JOIN keep k ON k.oid = o.oprnamespace
JOIN sop s ON s.oid = o.oid
WHERE o.oprcode <> 0
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_operator'::regclass AND m.objid = o.oid)
UNION ALL
-- casts: made by the user (not initdb's), read when their function or one of their types is in a
-- schema read, or when all three are built in and no -n is given
SELECT json_build_object('kind', 'cast',
	'id', 'cast:(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')',
	'source', format_type(c.castsource, NULL), 'target', format_type(c.casttarget, NULL),
	'function', (SELECT ref FROM sfn WHERE oid = c.castfunc),
	'inout', c.castmethod = 'i', 'binary', c.castmethod = 'b',
	'context', CASE c.castcontext WHEN 'i' THEN 'implicit' WHEN 'a' THEN 'assignment' END)
FROM pg_cast c
WHERE c.oid >= 16384
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_cast'::regclass AND m.objid = c.oid)
	-- the casts CREATE TYPE ... AS RANGE makes to its multirange belong to the type
	AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'i')
	AND (EXISTS (SELECT FROM keep k WHERE k.oid IN ((SELECT typnamespace FROM pg_type WHERE oid = c.castsource),
			(SELECT typnamespace FROM pg_type WHERE oid = c.casttarget),
			(SELECT pronamespace FROM pg_proc WHERE oid = c.castfunc)))
		OR (cardinality($1::text[]) = 0 AND 'pg_catalog'::regnamespace = ALL (ARRAY[
			(SELECT typnamespace FROM pg_type WHERE oid = c.castsource),
			(SELECT typnamespace FROM pg_type WHERE oid = c.casttarget),
			coalesce((SELECT pronamespace FROM pg_proc WHERE oid = c.castfunc), 'pg_catalog'::regnamespace)])))
UNION ALL
-- collations: "locale" when LC_COLLATE and LC_CTYPE are one (always for ICU)
SELECT json_build_object('kind', 'collation', 'id', json_build_object('@', json_build_array('collation', k.nspname, c.collname)),
	'schema', k.nspname, 'name', c.collname,
	'provider', CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'd' THEN 'default' END,
	'locale', CASE WHEN c.collprovider = 'i' THEN c.colliculocale WHEN c.collcollate = c.collctype THEN c.collcollate END,
	'lc_collate', CASE WHEN c.collprovider <> 'i' AND c.collcollate <> c.collctype THEN c.collcollate END,
	'lc_ctype', CASE WHEN c.collprovider <> 'i' AND c.collcollate <> c.collctype THEN c.collctype END,
	'nondeterministic', NOT c.collisdeterministic)
FROM pg_collation c
JOIN keep k ON k.oid = c.collnamespace
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_collation'::regclass AND m.objid = c.oid)
UNION ALL
-- extended statistics: columns in the table's order (stxkeys), expressions as written
SELECT json_build_object('kind', 'statistics', 'id', json_build_object('@', json_build_array('statistics', k.nspname, s.stxname)),
	'schema', k.nspname, 'name', s.stxname, 'table', r.ref,
	'columns', (SELECT json_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
		WHERE a.attrelid = s.stxrelid AND a.attnum = ANY (s.stxkeys::int2[])),
	'exprs', (SELECT json_agg(json_build_object('expr_sql', x.e) ORDER BY x.i)
		FROM unnest(pg_get_statisticsobjdef_expressions(s.oid)) WITH ORDINALITY AS x(e, i)),
	'kinds', (SELECT json_agg(CASE x.k WHEN 'd' THEN 'ndistinct' WHEN 'f' THEN 'dependencies' ELSE 'mcv' END
			ORDER BY position(x.k IN 'dfm'))
		FROM unnest(s.stxkind) AS x(k) WHERE x.k <> 'e'),
	'stattarget', CASE WHEN s.stxstattarget <> -1 THEN s.stxstattarget END)
FROM pg_statistic_ext s
JOIN keep k ON k.oid = s.stxnamespace
JOIN rel r ON r.oid = s.stxrelid
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_statistic_ext'::regclass AND m.objid = s.oid)
