-- The columns of table $1 (a quoted, qualified name): name, exact type, type without modifier,
-- NOT NULL, has a default (or is an identity), identity kind, generated, owned sequence.
SELECT a.attname, format_type(a.atttypid, a.atttypmod), format_type(a.atttypid, NULL),
       a.attnotnull, a.atthasdef OR a.attidentity <> '', a.attidentity, a.attgenerated <> '',
       pg_get_serial_sequence($1, a.attname),
       t.typcategory = 'N' AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
 WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attnum
