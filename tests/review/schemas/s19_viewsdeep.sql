-- views with tricky expressions
CREATE TABLE o (id int PRIMARY KEY, amount numeric(12,2), status text, created timestamptz, tags text[], data jsonb);
CREATE VIEW v1 AS SELECT id, amount * 1.2 AS gross, status IN ('a', 'b') AS ok, created::date AS day, tags[1] AS first_tag,
  data->>'k' AS k, data #> '{a,b}' AS ab, coalesce(status, 'none') AS s2, nullif(amount, 0) AS nz, greatest(amount, 1) AS g,
  CAST(amount AS integer) AS ai, amount::text AS at, extract(year FROM created) AS y, date_trunc('day', created) AS dt,
  created AT TIME ZONE 'UTC' AS utc, interval '1 day' AS one_day, now() - created AS age, status LIKE 'x%' AS lk,
  status ILIKE 'x%' AS ilk, status ~ '^a' AS re, id BETWEEN 1 AND 10 AS bt, amount IS NOT NULL AS nn,
  ARRAY(SELECT unnest(tags)) AS tg, EXISTS (SELECT 1 FROM o o2 WHERE o2.id > o.id) AS ex, row_number() OVER (ORDER BY id) AS rn,
  sum(amount) OVER (PARTITION BY status) AS ssum, CASE status WHEN 'a' THEN 1 ELSE 0 END AS cs, 'it''s' AS q, $$dollar$$ AS dq,
  true AS t, NULL::int AS n, -id AS neg, id % 3 AS m, 2 ^ 3 AS p, substring(status from 1 for 2) AS sb, trim(both ' ' from status) AS tr,
  position('a' in status) AS pos, overlay(status placing 'x' from 1) AS ov, current_date AS cd, localtimestamp AS lt, current_user AS cu,
  status COLLATE "C" AS sc, id IN (SELECT id FROM o) AS sub, id = ANY('{1,2}'::int[]) AS anyv, tags @> ARRAY['x'] AS ct
  FROM o;
CREATE VIEW v2 AS SELECT status, count(*) FILTER (WHERE amount > 0) AS c, array_agg(id ORDER BY id DESC) AS ids,
  string_agg(status, ',') AS sa, percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS med
  FROM o GROUP BY status HAVING count(*) > 1 ORDER BY status;
CREATE VIEW v3 AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r;
CREATE VIEW v4 AS SELECT a.id, b.id AS bid FROM o a LEFT JOIN o b ON a.id = b.id + 1 CROSS JOIN LATERAL (SELECT 1 AS one) l
  WHERE a.status IS DISTINCT FROM b.status UNION SELECT 1, 2 EXCEPT SELECT 3, 4;
CREATE VIEW v5 AS SELECT DISTINCT ON (status) status, id FROM o ORDER BY status, id DESC NULLS LAST LIMIT 5 OFFSET 1;
CREATE VIEW v6 AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS x(n, s);
CREATE VIEW v7 AS SELECT o.*, 1 AS extra FROM o;
CREATE VIEW v8 AS SELECT id::bigint, amount::float8, status::varchar(5), created::timestamp(0) FROM o WHERE status = ANY (ARRAY['a','b']) AND id NOT IN (1, 2);
