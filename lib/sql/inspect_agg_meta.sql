-- Comments and owners of operators, casts, collations and extended statistics (after the prelude;
-- aggregates' are inspect_meta's, as functions'): kept when their object is a record.
, target AS MATERIALIZED (
	SELECT 'pg_operator'::regclass AS classid, o.oid AS objid, o.oprowner AS owner,
		json_build_object('@', json_build_array('operator', k.nspname, o.oprname),
			'()', coalesce(format_type(nullif(o.oprleft, 0), NULL), 'NONE') || ','
				|| coalesce(format_type(nullif(o.oprright, 0), NULL), 'NONE')) AS ref
	FROM pg_operator o JOIN keep k ON k.oid = o.oprnamespace
	UNION ALL
	SELECT 'pg_cast'::regclass, c.oid, NULL,
		to_json('cast:(' || format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL) || ')')
	FROM pg_cast c WHERE c.oid >= 16384
	UNION ALL
	SELECT 'pg_collation'::regclass, c.oid, c.collowner,
		json_build_object('@', json_build_array('collation', k.nspname, c.collname))
	FROM pg_collation c JOIN keep k ON k.oid = c.collnamespace
	UNION ALL
	SELECT 'pg_statistic_ext'::regclass, s.oid, s.stxowner,
		json_build_object('@', json_build_array('statistics', k.nspname, s.stxname))
	FROM pg_statistic_ext s JOIN keep k ON k.oid = s.stxnamespace
)
SELECT json_build_object('kind', 'comment', 'on', t.ref, 'text', d.description)
FROM target t
JOIN pg_description d ON d.classoid = t.classid AND d.objoid = t.objid AND d.objsubid = 0
UNION ALL
SELECT json_build_object('kind', 'owner', 'on', t.ref, 'owner', pg_get_userbyid(t.owner))
FROM target t
WHERE t.owner <> (SELECT datdba FROM pg_database WHERE datname = current_database())
