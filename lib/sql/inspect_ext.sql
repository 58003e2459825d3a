-- Text search dictionaries and configurations, operator families and classes, foreign data
-- wrappers, servers and user mappings, languages, access methods (after the prelude). Objects
-- of the database (wrappers, servers, mappings, languages, access methods) are read unless -n
-- names the schemas to read. A name of a built-in (pg_catalog) dictionary, template or parser is
-- {"@": ["", name]} (bare), a user's {"@": ["", schema, name]}; an operator's id is built here
-- (its name is not an identifier), and a user mapping's (PUBLIC is not quoted).
, tsname AS NOT MATERIALIZED (
	SELECT 'd'::"char" AS k, d.oid, CASE WHEN d.dictnamespace = 'pg_catalog'::regnamespace
		THEN json_build_object('@', json_build_array('', d.dictname))
		ELSE json_build_object('@', json_build_array('', n.nspname, d.dictname)) END AS name
	FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
	UNION ALL
	SELECT 't', t.oid, CASE WHEN t.tmplnamespace = 'pg_catalog'::regnamespace
		THEN json_build_object('@', json_build_array('', t.tmplname))
		ELSE json_build_object('@', json_build_array('', n.nspname, t.tmplname)) END
	FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace
	UNION ALL
	SELECT 'p', p.oid, CASE WHEN p.prsnamespace = 'pg_catalog'::regnamespace AND p.prsname = 'default' THEN NULL
		WHEN p.prsnamespace = 'pg_catalog'::regnamespace THEN json_build_object('@', json_build_array('', p.prsname))
		ELSE json_build_object('@', json_build_array('', n.nspname, p.prsname)) END
	FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace
), oprid AS NOT MATERIALIZED (
	SELECT o.oid, 'operator:' || CASE WHEN n.nspname ~ '^[a-z_][a-z0-9_$]*$' THEN n.nspname
			ELSE '"' || replace(n.nspname, '"', '""') || '"' END || '.' || o.oprname
		|| '(' || CASE WHEN o.oprleft = 0 THEN 'NONE' ELSE format_type(o.oprleft, NULL) END
		|| ',' || CASE WHEN o.oprright = 0 THEN 'NONE' ELSE format_type(o.oprright, NULL) END || ')' AS id
	FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
), famref AS NOT MATERIALIZED (
	SELECT f.oid, json_build_object('@', json_build_array('opfamily', n.nspname, f.opfname), '()', a.amname) AS ref
	FROM pg_opfamily f JOIN pg_namespace n ON n.oid = f.opfnamespace JOIN pg_am a ON a.oid = f.opfmethod
), ops AS NOT MATERIALIZED (
	-- the operators and functions of a class or a family (those its pg_depend entry ties to it)
	SELECT d.refclassid, d.refobjid, json_agg(json_build_object('strategy', o.amopstrategy, 'operator', x.id,
			'order_by', CASE WHEN o.amoppurpose = 'o' THEN (SELECT ref FROM famref WHERE famref.oid = o.amopsortfamily) END)
		ORDER BY o.amopstrategy, x.id COLLATE "C") AS list
	FROM pg_amop o JOIN pg_depend d ON d.classid = 'pg_amop'::regclass AND d.objid = o.oid
		AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)
	JOIN oprid x ON x.oid = o.amopopr
	GROUP BY d.refclassid, d.refobjid
), fns AS NOT MATERIALIZED (
	SELECT d.refclassid, d.refobjid, json_agg(json_build_object('number', p.amprocnum, 'function', f.ref,
			'lefttype', format_type(p.amproclefttype, NULL), 'righttype', format_type(p.amprocrighttype, NULL))
		ORDER BY p.amprocnum, format_type(p.amproclefttype, NULL) COLLATE "C", format_type(p.amprocrighttype, NULL) COLLATE "C") AS list
	FROM pg_amproc p JOIN pg_depend d ON d.classid = 'pg_amproc'::regclass AND d.objid = p.oid
		AND d.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)
	JOIN fn f ON f.oid = p.amproc
	GROUP BY d.refclassid, d.refobjid
)
SELECT json_build_object('kind', 'ts_dict', 'id', json_build_object('@', json_build_array('ts_dict', k.nspname, d.dictname)),
	'schema', k.nspname, 'name', d.dictname,
	'template', (SELECT name FROM tsname WHERE k = 't' AND tsname.oid = d.dicttemplate),
	-- dictinitoption is serialize_deflist's text: name = 'value', ... (E'' when it holds a backslash)
	'options', (SELECT json_agg(CASE WHEN o.m[1] LIKE '"%' THEN replace(substr(o.m[1], 2, length(o.m[1]) - 2), '""', '"') ELSE o.m[1] END
			|| '=' || CASE WHEN o.m[2] = 'E' THEN replace(replace(o.m[3], '''''', ''''), '\\', '\') ELSE replace(o.m[3], '''''', '''') END
			ORDER BY o.i)
		FROM regexp_matches(d.dictinitoption, '("(?:[^"]|"")*"|[^ =,]+) = (E?)''((?:[^'']|'''')*)''', 'g') WITH ORDINALITY AS o(m, i)))
FROM pg_ts_dict d JOIN keep k ON k.oid = d.dictnamespace
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_ts_dict'::regclass AND m.objid = d.oid)
UNION ALL
SELECT json_build_object('kind', 'ts_parser', 'id', json_build_object('@', json_build_array('ts_parser', k.nspname, p.prsname)),
	'schema', k.nspname, 'name', p.prsname,
	'start', (SELECT ref FROM fn WHERE fn.oid = p.prsstart), 'gettoken', (SELECT ref FROM fn WHERE fn.oid = p.prstoken),
	'end', (SELECT ref FROM fn WHERE fn.oid = p.prsend), 'lextypes', (SELECT ref FROM fn WHERE fn.oid = p.prslextype),
	'headline', (SELECT ref FROM fn WHERE fn.oid = p.prsheadline))
FROM pg_ts_parser p JOIN keep k ON k.oid = p.prsnamespace
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_ts_parser'::regclass AND m.objid = p.oid)
UNION ALL
SELECT json_build_object('kind', 'ts_template', 'id', json_build_object('@', json_build_array('ts_template', k.nspname, t.tmplname)),
	'schema', k.nspname, 'name', t.tmplname,
	'init', (SELECT ref FROM fn WHERE fn.oid = t.tmplinit), 'lexize', (SELECT ref FROM fn WHERE fn.oid = t.tmpllexize))
FROM pg_ts_template t JOIN keep k ON k.oid = t.tmplnamespace
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_ts_template'::regclass AND m.objid = t.oid)
UNION ALL
SELECT json_build_object('kind', 'ts_config', 'id', json_build_object('@', json_build_array('ts_config', k.nspname, c.cfgname)),
	'schema', k.nspname, 'name', c.cfgname,
	'parser', (SELECT name FROM tsname WHERE k = 'p' AND tsname.oid = c.cfgparser),
	'mappings', (SELECT json_agg(json_build_object('token', t.alias,
			'dictionaries', (SELECT json_agg(n.name ORDER BY m.mapseqno) FROM pg_ts_config_map m
				JOIN tsname n ON n.k = 'd' AND n.oid = m.mapdict WHERE m.mapcfg = c.oid AND m.maptokentype = t.tokid))
			ORDER BY t.alias COLLATE "C")
		FROM ts_token_type(c.cfgparser) t
		WHERE EXISTS (SELECT FROM pg_ts_config_map m WHERE m.mapcfg = c.oid AND m.maptokentype = t.tokid)))
FROM pg_ts_config c JOIN keep k ON k.oid = c.cfgnamespace
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_ts_config'::regclass AND m.objid = c.oid)
UNION ALL
SELECT json_build_object('kind', 'opfamily', 'id', r.ref, 'schema', k.nspname, 'name', f.opfname,
	'method', (SELECT amname FROM pg_am WHERE oid = f.opfmethod),
	'operators', (SELECT list FROM ops WHERE ops.refclassid = 'pg_opfamily'::regclass AND ops.refobjid = f.oid),
	'functions', (SELECT list FROM fns WHERE fns.refclassid = 'pg_opfamily'::regclass AND fns.refobjid = f.oid))
FROM pg_opfamily f JOIN keep k ON k.oid = f.opfnamespace JOIN famref r ON r.oid = f.oid
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_opfamily'::regclass AND m.objid = f.oid)
UNION ALL
SELECT json_build_object('kind', 'opclass',
	'id', json_build_object('@', json_build_array('opclass', k.nspname, c.opcname), '()', a.amname),
	'schema', k.nspname, 'name', c.opcname, 'method', a.amname, 'type', format_type(c.opcintype, NULL),
	'default', c.opcdefault, 'family', (SELECT ref FROM famref WHERE famref.oid = c.opcfamily),
	'storage', CASE WHEN c.opckeytype <> 0 AND c.opckeytype <> c.opcintype THEN format_type(c.opckeytype, NULL) END,
	'operators', (SELECT list FROM ops WHERE ops.refclassid = 'pg_opclass'::regclass AND ops.refobjid = c.oid),
	'functions', (SELECT list FROM fns WHERE fns.refclassid = 'pg_opclass'::regclass AND fns.refobjid = c.oid))
FROM pg_opclass c JOIN keep k ON k.oid = c.opcnamespace JOIN pg_am a ON a.oid = c.opcmethod
WHERE NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_opclass'::regclass AND m.objid = c.oid)
UNION ALL
SELECT json_build_object('kind', 'fdw', 'id', json_build_object('@', json_build_array('fdw', w.fdwname)), 'name', w.fdwname,
	'handler', (SELECT ref FROM fn WHERE fn.oid = w.fdwhandler),
	'validator', (SELECT ref FROM fn WHERE fn.oid = w.fdwvalidator), 'options', to_json(w.fdwoptions))
FROM pg_foreign_data_wrapper w
WHERE cardinality($1::text[]) = 0
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_foreign_data_wrapper'::regclass AND m.objid = w.oid)
UNION ALL
SELECT json_build_object('kind', 'server', 'id', json_build_object('@', json_build_array('server', s.srvname)), 'name', s.srvname,
	'fdw', w.fdwname, 'type', s.srvtype, 'version', s.srvversion, 'options', to_json(s.srvoptions))
FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE cardinality($1::text[]) = 0
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_foreign_server'::regclass AND m.objid = s.oid)
UNION ALL
-- a user mapping's password is a flag: its text is never read into the model
SELECT json_build_object('kind', 'user_mapping',
	'id', 'user_mapping:' || CASE WHEN u.srvname ~ '^[a-z_][a-z0-9_$]*$' THEN u.srvname::text
			ELSE '"' || replace(u.srvname, '"', '""') || '"' END || ':'
		|| CASE WHEN u.umuser = 0 THEN 'PUBLIC' WHEN u.usename ~ '^[a-z_][a-z0-9_$]*$' THEN u.usename::text
			ELSE '"' || replace(u.usename, '"', '""') || '"' END,
	'server', u.srvname, 'user', CASE WHEN u.umuser = 0 THEN 'PUBLIC' ELSE u.usename END,
	'options', (SELECT json_agg(o.o ORDER BY o.i) FROM unnest(u.umoptions) WITH ORDINALITY AS o(o, i) WHERE o.o NOT LIKE 'password=%'),
	'password', EXISTS (SELECT FROM unnest(u.umoptions) o WHERE o LIKE 'password=%'))
FROM pg_user_mappings u
WHERE cardinality($1::text[]) = 0
UNION ALL
SELECT json_build_object('kind', 'language', 'id', json_build_object('@', json_build_array('language', l.lanname)), 'name', l.lanname,
	'trusted', l.lanpltrusted, 'handler', (SELECT ref FROM fn WHERE fn.oid = l.lanplcallfoid),
	'inline', (SELECT ref FROM fn WHERE fn.oid = l.laninline), 'validator', (SELECT ref FROM fn WHERE fn.oid = l.lanvalidator))
FROM pg_language l
WHERE cardinality($1::text[]) = 0 AND l.lanispl
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_language'::regclass AND m.objid = l.oid)
UNION ALL
SELECT json_build_object('kind', 'access_method', 'id', json_build_object('@', json_build_array('access_method', a.amname)),
	'name', a.amname, 'type', CASE a.amtype WHEN 't' THEN 'table' ELSE 'index' END,
	'handler', (SELECT ref FROM fn WHERE fn.oid = a.amhandler))
FROM pg_am a
-- the built-in ones are initdb's (oids below FirstNormalObjectId)
WHERE cardinality($1::text[]) = 0 AND a.oid >= 16384
	AND NOT EXISTS (SELECT FROM member m WHERE m.classid = 'pg_am'::regclass AND m.objid = a.oid)
