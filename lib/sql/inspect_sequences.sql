-- Sequences (after the prelude). Values equal to PostgreSQL's defaults are left null, so omitted.
SELECT json_build_object('kind', 'sequence', 'id', c.ref, 'schema', c.nspname, 'name', c.relname,
	'data_type', nullif(format_type(s.seqtypid, NULL), 'bigint'),
	'increment', nullif(s.seqincrement, 1), 'cache', nullif(s.seqcache, 1), 'cycle', s.seqcycle,
	'start', nullif(s.seqstart, CASE WHEN s.seqincrement > 0 THEN s.seqmin ELSE s.seqmax END),
	'min', nullif(s.seqmin, CASE WHEN s.seqincrement > 0 THEN 1 ELSE lim.lo END),
	'max', nullif(s.seqmax, CASE WHEN s.seqincrement > 0 THEN lim.hi ELSE -1 END),
	'owned_by', (SELECT col.ref FROM pg_depend d JOIN col ON col.attrelid = d.refobjid AND col.attnum = d.refobjsubid
		WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
			AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i') LIMIT 1),
	'identity', EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
		AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'i'))
FROM rel c
JOIN keep k ON k.nspname = c.nspname
JOIN pg_sequence s ON s.seqrelid = c.oid
CROSS JOIN LATERAL (SELECT CASE s.seqtypid WHEN 'int2'::regtype THEN -32768 WHEN 'int4'::regtype THEN -2147483648
		ELSE -9223372036854775808 END::bigint AS lo,
	CASE s.seqtypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647
		ELSE 9223372036854775807 END::bigint AS hi) lim
WHERE c.relkind = 'S'
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
