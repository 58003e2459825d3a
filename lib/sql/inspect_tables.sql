-- Tables: ordinary, partitioned, foreign; columns, constraints, partitioning (after the prelude).
SELECT json_build_object('kind', 'table', 'id', c.ref, 'schema', c.nspname, 'name', c.relname,
	'relkind', CASE c.relkind WHEN 'p' THEN 'partitioned' WHEN 'f' THEN 'foreign' END,
	'unlogged', pc.relpersistence = 'u',
	'rls', pc.relrowsecurity, 'rls_forced', pc.relforcerowsecurity,
	'options', coalesce(to_json(pc.reloptions), (SELECT to_json(f.ftoptions) FROM pg_foreign_table f WHERE f.ftrelid = c.oid)),
	'server', (SELECT s.srvname FROM pg_foreign_table f JOIN pg_foreign_server s ON s.oid = f.ftserver WHERE f.ftrelid = c.oid),
	'columns', (SELECT json_agg(json_build_object('name', a.attname,
			'type', format_type(a.atttypid, a.atttypmod), 'not_null', a.attnotnull,
			'default_sql', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
			'generated_sql', CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END,
			'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
			'collation', CASE WHEN a.attcollation <> t.typcollation THEN (SELECT name FROM coll WHERE coll.oid = a.attcollation) END,
			'inherited', NOT a.attislocal, 'options', to_json(a.attfdwoptions)) ORDER BY a.attnum)
		FROM pg_attribute a
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
	'constraints', (SELECT json_agg(json_build_object('name', o.conname,
			'type', CASE o.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'c' THEN 'check'
				WHEN 'f' THEN 'foreign key' ELSE 'exclusion' END,
			'columns', CASE WHEN o.contype IN ('p', 'u', 'f') THEN (SELECT json_agg(a.attname ORDER BY k.i)
				FROM unnest(o.conkey) WITH ORDINALITY AS k(n, i)
				JOIN pg_attribute a ON a.attrelid = o.conrelid AND a.attnum = k.n) END,
			'include', CASE WHEN o.contype IN ('p', 'u') THEN (SELECT json_agg(a.attname ORDER BY k.i)
				FROM pg_index x CROSS JOIN unnest(x.indkey::int2[]) WITH ORDINALITY AS k(n, i)
				JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
				WHERE x.indexrelid = o.conindid AND k.i > x.indnkeyatts) END,
			'nulls_not_distinct', o.contype IN ('p', 'u')
				AND (SELECT x.indnullsnotdistinct FROM pg_index x WHERE x.indexrelid = o.conindid),
			'expr_sql', CASE WHEN o.contype = 'c' THEN pg_get_expr(o.conbin, o.conrelid) END,
			'no_inherit', o.contype = 'c' AND o.connoinherit, 'not_valid', NOT o.convalidated,
			'ref_table', (SELECT r.ref FROM rel r WHERE r.oid = o.confrelid),
			'ref_columns', CASE WHEN o.contype = 'f' THEN (SELECT json_agg(a.attname ORDER BY k.i)
				FROM unnest(o.confkey) WITH ORDINALITY AS k(n, i)
				JOIN pg_attribute a ON a.attrelid = o.confrelid AND a.attnum = k.n) END,
			'on_delete', CASE WHEN o.contype = 'f' THEN CASE o.confdeltype WHEN 'r' THEN 'restrict'
				WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END END,
			'on_update', CASE WHEN o.contype = 'f' THEN CASE o.confupdtype WHEN 'r' THEN 'restrict'
				WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END END,
			'match', CASE WHEN o.contype = 'f' THEN CASE o.confmatchtype WHEN 'f' THEN 'full' WHEN 'p' THEN 'partial' END END,
			'deferrable', o.condeferrable, 'initially_deferred', o.condeferred,
			'method', CASE WHEN o.contype = 'x' THEN (SELECT am.amname FROM pg_class i JOIN pg_am am ON am.oid = i.relam
				WHERE i.oid = o.conindid) END,
			'elements', CASE WHEN o.contype = 'x' THEN (SELECT json_agg(json_build_object(
					'column', a.attname,
					'expr_sql', CASE WHEN k.n = 0 THEN pg_get_indexdef(x.indexrelid, k.i::int, false) END,
					'operator', (SELECT name FROM opr WHERE opr.oid = o.conexclop[k.i]),
					'opclass', (SELECT name FROM opc WHERE opc.oid = x.indclass[k.i - 1] AND NOT opc.opcdefault))
					ORDER BY k.i)
				FROM pg_index x CROSS JOIN unnest(x.indkey::int2[]) WITH ORDINALITY AS k(n, i)
				LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n AND k.n > 0
				WHERE x.indexrelid = o.conindid AND k.i <= x.indnkeyatts) END,
			'where_sql', CASE WHEN o.contype = 'x' THEN (SELECT pg_get_expr(x.indpred, x.indrelid) FROM pg_index x
				WHERE x.indexrelid = o.conindid) END,
			'inherited', NOT o.conislocal) ORDER BY o.conname COLLATE "C")
		FROM pg_constraint o
		WHERE o.conrelid = c.oid AND o.contype IN ('p', 'u', 'c', 'f', 'x')
			-- a foreign key to a partitioned table has a hidden copy per partition it references
			AND NOT EXISTS (SELECT FROM pg_constraint po WHERE po.oid = o.conparentid AND po.conrelid = o.conrelid)),
	'inherits', CASE WHEN NOT pc.relispartition THEN (SELECT json_agg(r.ref ORDER BY i.inhseqno)
		FROM pg_inherits i JOIN rel r ON r.oid = i.inhparent WHERE i.inhrelid = c.oid) END,
	'partition_of', CASE WHEN pc.relispartition THEN (SELECT r.ref
		FROM pg_inherits i JOIN rel r ON r.oid = i.inhparent WHERE i.inhrelid = c.oid) END,
	'bound_sql', CASE WHEN pc.relispartition THEN pg_get_expr(pc.relpartbound, c.oid) END,
	'partition_by', (SELECT json_build_object(
			'strategy', CASE p.partstrat WHEN 'r' THEN 'range' WHEN 'l' THEN 'list' ELSE 'hash' END,
			'keys', (SELECT json_agg(json_build_object('column', a.attname,
					'opclass', (SELECT name FROM opc WHERE opc.oid = p.partclass[k.i - 1] AND NOT opc.opcdefault))
					ORDER BY k.i)
				FROM unnest(p.partattrs::int2[]) WITH ORDINALITY AS k(n, i)
				LEFT JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = k.n AND k.n > 0),
			-- the expression keys as one text: modeldb.c splits it among the keys without a column
			'_exprs', pg_get_expr(p.partexprs, p.partrelid),
			-- the keys' collations from the COLLATE clauses of the definition, as for indexes
			'_keydef', CASE WHEN strpos(pg_get_partkeydef(p.partrelid), ' COLLATE ') > 0
				THEN 'CREATE TABLE x () PARTITION BY ' || pg_get_partkeydef(p.partrelid) END)
		FROM pg_partitioned_table p WHERE p.partrelid = c.oid))
FROM rel c
JOIN keep k ON k.nspname = c.nspname
JOIN pg_class pc ON pc.oid = c.oid
WHERE c.relkind IN ('r', 'p', 'f')
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_class'::regclass AND m.objid = c.oid)
