-- The reset of the agreement harnesses (tests/model-agree.sh, tests/diff-agree.sh): drop what a
-- case can make in its database, and give public back its defaults.
SET client_min_messages = warning;
DO $d$
DECLARE
	r record;
	a text[];
	o text[];
BEGIN
	FOR r IN SELECT evtname FROM pg_event_trigger LOOP
		EXECUTE format('DROP EVENT TRIGGER %I', r.evtname);
	END LOOP;
	FOR r IN SELECT pubname FROM pg_publication LOOP
		EXECUTE format('DROP PUBLICATION %I', r.pubname);
	END LOOP;
	FOR r IN SELECT extname FROM pg_extension WHERE oid >= 16384 LOOP
		EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
	END LOOP;
	FOR r IN SELECT nspname FROM pg_namespace
			WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'public')
				AND nspname !~ '^pg_(toast_)?temp_' LOOP
		EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
	END LOOP;
	FOR r IN SELECT DISTINCT defaclrole::regrole AS role FROM pg_default_acl LOOP
		EXECUTE format('DROP OWNED BY %s', r.role);
	END LOOP;
	-- casts belong to no schema
	FOR r IN SELECT castsource::regtype AS s, casttarget::regtype AS t FROM pg_cast c WHERE oid >= 16384
			AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_cast'::regclass AND d.objid = c.oid AND d.deptype = 'i') LOOP
		EXECUTE format('DROP CAST IF EXISTS (%s AS %s) CASCADE', r.s, r.t);
	END LOOP;
	-- public stays (pg_init_privs knows its privileges by its oid): what is in it goes
	a := ARRAY(SELECT ARRAY[o.type, o.identity] FROM pg_depend d, LATERAL pg_identify_object(d.classid, d.objid, 0) o
		WHERE d.refclassid = 'pg_namespace'::regclass AND d.refobjid = 'public'::regnamespace AND d.deptype = 'n');
	IF cardinality(a) > 0 THEN
		FOREACH o SLICE 1 IN ARRAY a LOOP
			BEGIN
				EXECUTE format('DROP %s IF EXISTS %s CASCADE', CASE o[1] WHEN 'composite type' THEN 'TYPE'
					WHEN 'statistics object' THEN 'STATISTICS' ELSE upper(o[1]) END,
					-- an aggregate of no argument is f(*) there
					CASE o[1] WHEN 'aggregate' THEN regexp_replace(o[2], '\(\)$', '(*)') ELSE o[2] END);
			EXCEPTION WHEN dependent_objects_still_exist THEN
				NULL; -- an identity column's sequence: it goes with its table
			END;
		END LOOP;
	END IF;
	COMMENT ON SCHEMA public IS 'standard public schema';
	ALTER SCHEMA public OWNER TO pg_database_owner;
	FOR r IN SELECT DISTINCT a.grantee FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' LOOP
		EXECUTE format('REVOKE ALL ON SCHEMA public FROM %s CASCADE',
			CASE r.grantee WHEN 0 THEN 'PUBLIC' ELSE r.grantee::regrole::text END);
	END LOOP;
	GRANT ALL ON SCHEMA public TO pg_database_owner;
	GRANT USAGE ON SCHEMA public TO PUBLIC;
END
$d$;
