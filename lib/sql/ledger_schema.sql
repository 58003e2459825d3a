-- Where the tracking table is, resolved once per run so that no migration's search_path can
-- move it: its own schema when it exists ($1, the quoted name as configured), else the schema
-- CREATE TABLE would use, else public; and the database's name as the server truncated it.
SELECT coalesce((SELECT n.nspname
                 FROM pg_catalog.pg_class c
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.oid = pg_catalog.to_regclass($1)),
                pg_catalog.current_schema(),
                'public'),
       pg_catalog.current_database()
