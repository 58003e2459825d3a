-- Comments and owners of the objects of inspect_ext.sql (after the prelude); modeldb.c keeps
-- those whose object is in the model.
, target AS MATERIALIZED (
	SELECT 'pg_ts_dict'::regclass AS classid, d.oid AS objid,
		json_build_object('@', json_build_array('ts_dict', n.nspname, d.dictname)) AS ref, d.dictowner AS owner
	FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
	UNION ALL
	SELECT 'pg_ts_config'::regclass, c.oid, json_build_object('@', json_build_array('ts_config', n.nspname, c.cfgname)), c.cfgowner
	FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
	UNION ALL
	SELECT 'pg_ts_parser'::regclass, p.oid, json_build_object('@', json_build_array('ts_parser', n.nspname, p.prsname)), NULL
	FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace
	UNION ALL
	SELECT 'pg_ts_template'::regclass, t.oid, json_build_object('@', json_build_array('ts_template', n.nspname, t.tmplname)), NULL
	FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace
	UNION ALL
	SELECT 'pg_opfamily'::regclass, f.oid,
		json_build_object('@', json_build_array('opfamily', n.nspname, f.opfname), '()', a.amname), f.opfowner
	FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am a ON a.oid = f.opfmethod
	UNION ALL
	SELECT 'pg_opclass'::regclass, c.oid,
		json_build_object('@', json_build_array('opclass', n.nspname, c.opcname), '()', a.amname), c.opcowner
	FROM pg_opclass c JOIN pg_namespace n ON n.oid = c.opcnamespace JOIN pg_am a ON a.oid = c.opcmethod
	UNION ALL
	SELECT 'pg_foreign_data_wrapper'::regclass, w.oid, json_build_object('@', json_build_array('fdw', w.fdwname)), w.fdwowner
	FROM pg_foreign_data_wrapper w
	UNION ALL
	SELECT 'pg_foreign_server'::regclass, s.oid, json_build_object('@', json_build_array('server', s.srvname)), s.srvowner
	FROM pg_foreign_server s
	UNION ALL
	SELECT 'pg_language'::regclass, l.oid, json_build_object('@', json_build_array('language', l.lanname)), l.lanowner
	FROM pg_language l
	UNION ALL
	SELECT 'pg_am'::regclass, a.oid, json_build_object('@', json_build_array('access_method', a.amname)), NULL
	FROM pg_am a
)
SELECT json_build_object('kind', 'comment', 'on', t.ref, 'text', d.description)
FROM target t
JOIN pg_description d ON d.classoid = t.classid AND d.objoid = t.objid AND d.objsubid = 0
UNION ALL
SELECT json_build_object('kind', 'owner', 'on', t.ref, 'owner', pg_get_userbyid(t.owner))
FROM target t
WHERE t.owner <> (SELECT datdba FROM pg_database WHERE datname = current_database())
