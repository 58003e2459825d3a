-- conf-fdw setup: the user mapping of current_user on the server, from pg_temp.confiture_fdw_link
-- (server, username, password), filled by COPY: the password is in no statement text, so
-- pg_stat_activity and log_statement never show it. The result (created, updated, unchanged)
-- is written back into the same row.
DO $confiture$
DECLARE
  l record;
  want text[];
  have text[];
  found_it boolean;
  res text;
BEGIN
  SELECT server, username, password INTO l FROM pg_temp.confiture_fdw_link;
  want := ARRAY['user=' || l.username];
  IF l.password IS NOT NULL THEN
    want := want || ('password=' || l.password);
  END IF;
  SELECT true, m.umoptions INTO found_it, have FROM pg_catalog.pg_user_mappings m
  WHERE m.srvname = l.server AND m.umuser = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user);
  IF found_it AND have IS NOT DISTINCT FROM want THEN
    res := 'unchanged';
  ELSE
    IF found_it THEN
      EXECUTE format('DROP USER MAPPING FOR CURRENT_USER SERVER %I', l.server);
      res := 'updated';
    ELSE
      res := 'created';
    END IF;
    EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I OPTIONS (user %L%s)', l.server,
                   l.username, CASE WHEN l.password IS NULL THEN '' ELSE format(', password %L', l.password) END);
  END IF;
  UPDATE pg_temp.confiture_fdw_link SET result = res;
EXCEPTION WHEN OTHERS THEN
  -- raised again from here: the CONTEXT of an error inside EXECUTE quotes the statement, password included
  RAISE EXCEPTION USING MESSAGE = SQLERRM, ERRCODE = SQLSTATE;
END
$confiture$;
