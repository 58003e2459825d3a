-- The oid of table $1 and of each other table its foreign keys refer to.
SELECT $1::regclass::oid, c.confrelid
  FROM (SELECT 1) one
  LEFT JOIN pg_constraint c ON c.conrelid = $1::regclass AND c.contype = 'f'
                           AND c.confrelid <> c.conrelid
