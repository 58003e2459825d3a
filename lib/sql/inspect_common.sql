-- The prelude of every inspect_* query (conf-inspect runs it with search_path = pg_catalog).
-- $1: the schemas to read (every user schema when empty); $2: the schemas to leave out; both as
-- anchored regular expressions (modeldb.c turns the psql patterns of -n and -N into them).
-- A reference to an object is {"@": [kind, schema, name...], "()": argument types}: modeldb.c
-- turns it into the object's id with model_ident, the one quoting rule of the model.
WITH keep AS (
	SELECT n.oid, n.nspname
	FROM pg_namespace n
	WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
		AND (cardinality($1::text[]) = 0 OR n.nspname ~ ANY ($1::text[]))
		AND NOT n.nspname ~ ANY ($2::text[])
		AND NOT EXISTS (SELECT FROM pg_depend d
			WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
), member AS NOT MATERIALIZED (
	SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'
), rel AS NOT MATERIALIZED (
	SELECT c.oid, n.nspname, c.relname, c.relkind,
		json_build_object('@', json_build_array(CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview'
			WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' WHEN 'I' THEN 'index' WHEN 'c' THEN 'type'
			ELSE 'table' END, n.nspname, c.relname)) AS ref
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
), fn AS NOT MATERIALIZED (
	SELECT p.oid, json_build_object('@', json_build_array(CASE p.prokind WHEN 'p' THEN 'procedure'
			WHEN 'a' THEN 'aggregate' ELSE 'function' END, n.nspname, p.proname),
		'()', coalesce((SELECT string_agg(format_type(a.t, NULL), ',' ORDER BY a.i)
			FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(t, i)), '')) AS ref
	FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
), col AS NOT MATERIALIZED (
	SELECT a.attrelid, a.attnum, a.attname,
		json_build_object('@', json_build_array('column', n.nspname, c.relname, a.attname)) AS ref
	FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
), coll AS NOT MATERIALIZED (
	-- collations, operator classes and operators by name: bare in pg_catalog, else {"@": ["", schema, name]}
	SELECT o.oid, CASE WHEN o.collnamespace = 'pg_catalog'::regnamespace THEN to_json(o.collname)
		ELSE json_build_object('@', json_build_array('', n.nspname, o.collname)) END AS name
	FROM pg_collation o JOIN pg_namespace n ON n.oid = o.collnamespace
), opc AS NOT MATERIALIZED (
	SELECT o.oid, o.opcdefault, CASE WHEN o.opcnamespace = 'pg_catalog'::regnamespace THEN to_json(o.opcname)
		ELSE json_build_object('@', json_build_array('', n.nspname, o.opcname)) END AS name
	FROM pg_opclass o JOIN pg_namespace n ON n.oid = o.opcnamespace
), opr AS NOT MATERIALIZED (
	-- an operator's name is never quoted (conf-formats(5), object ids), its schema as any name
	SELECT o.oid, CASE WHEN o.oprnamespace = 'pg_catalog'::regnamespace THEN to_json(o.oprname)
		ELSE to_json(CASE WHEN n.nspname ~ '^[a-z_][a-z0-9_$]*$' THEN n.nspname
			ELSE '"' || replace(n.nspname, '"', '""') || '"' END || '.' || o.oprname) END AS name
	FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
)
