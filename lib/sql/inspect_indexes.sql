-- Indexes made by CREATE INDEX (after the prelude): not those behind a constraint, not those
-- PostgreSQL attached to a partitioned table's index.
SELECT json_build_object('kind', 'index', 'id', ic.ref, 'schema', ic.nspname, 'name', ic.relname,
	'table', t.ref, 'unique', x.indisunique, 'nulls_not_distinct', x.indnullsnotdistinct,
	'method', nullif(am.amname, 'btree'),
	'keys', (SELECT json_agg(json_build_object('column', a.attname,
			'expr_sql', CASE WHEN k.n = 0 THEN pg_get_indexdef(x.indexrelid, k.i::int, false) END,
			'opclass', (SELECT name FROM opc WHERE opc.oid = x.indclass[k.i - 1] AND NOT opc.opcdefault),
			'desc', x.indoption[k.i - 1] & 1 = 1,
			-- NULLS FIRST is the default of DESC: only the other order is written
			'nulls_first', x.indoption[k.i - 1] & 3 = 2,
			'nulls_last', x.indoption[k.i - 1] & 3 = 1)
			ORDER BY k.i)
		FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(n, i)
		LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n AND k.n > 0
		WHERE k.i <= x.indnkeyatts),
	'include', (SELECT json_agg(a.attname ORDER BY k.i)
		FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(n, i)
		JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
		WHERE k.i > x.indnkeyatts),
	'where_sql', pg_get_expr(x.indpred, x.indrelid),
	-- the keys' collations: modeldb.c reads the COLLATE clauses of the definition, written
	-- exactly where a key's collation is not its column's or its expression's own
	-- (only indexes with a key that may have such a clause are deparsed: it is the slow part)
	'_keydef', CASE WHEN EXISTS (SELECT FROM unnest(x.indkey::int2[], x.indcollation::oid[]) AS k(n, coll)
			LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n AND k.n > 0
			WHERE k.coll <> 0 AND (a.attcollation IS NULL OR a.attcollation <> k.coll))
		THEN pg_get_indexdef(x.indexrelid) END)
FROM pg_index x
JOIN rel ic ON ic.oid = x.indexrelid
JOIN keep k ON k.nspname = ic.nspname
JOIN rel t ON t.oid = x.indrelid
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_am am ON am.oid = i.relam
WHERE t.relkind IN ('r', 'p', 'm', 'f')
	AND NOT EXISTS (SELECT FROM pg_constraint o
		WHERE o.conindid = x.indexrelid AND o.conrelid = x.indrelid AND o.contype IN ('p', 'u', 'x'))
	AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = x.indexrelid)
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid IN (x.indexrelid, x.indrelid))
