-- The primary key columns of table $1, in key order.
SELECT a.attname
  FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(attnum, o), pg_attribute a
 WHERE i.indrelid = $1::regclass AND i.indisprimary
   AND a.attrelid = i.indrelid AND a.attnum = k.attnum
 ORDER BY k.o
