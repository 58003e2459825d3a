-- Views, matviews with indexes, check options, recursive view, security_invoker
CREATE TABLE emp (id int PRIMARY KEY, boss int REFERENCES emp, name text NOT NULL, salary numeric(10,2), dept text);
CREATE VIEW emp_hi WITH (security_barrier) AS SELECT * FROM emp WHERE salary > 1000 WITH LOCAL CHECK OPTION;
CREATE VIEW emp_names (emp_id, emp_name) WITH (security_invoker = true) AS SELECT id, upper(name) FROM emp;
CREATE RECURSIVE VIEW chain (id, boss, depth) AS SELECT id, boss, 0 FROM emp WHERE boss IS NULL
  UNION ALL SELECT e.id, e.boss, c.depth + 1 FROM emp e JOIN chain c ON e.boss = c.id;
CREATE MATERIALIZED VIEW dept_pay AS SELECT dept, sum(salary) AS total, count(*) AS n FROM emp GROUP BY dept WITH NO DATA;
CREATE UNIQUE INDEX dept_pay_dept ON dept_pay (dept);
CREATE INDEX dept_pay_big ON dept_pay (total) WHERE total > 10000;
CREATE MATERIALIZED VIEW top_emp AS SELECT id, name, salary FROM emp ORDER BY salary DESC LIMIT 10;
CREATE OR REPLACE VIEW emp_names (emp_id, emp_name, emp_dept) AS SELECT id, upper(name), dept FROM emp;
ALTER VIEW emp_hi RENAME TO emp_high;
ALTER MATERIALIZED VIEW top_emp RENAME COLUMN salary TO pay;
CREATE VIEW emp_case AS SELECT id, CASE WHEN salary IS NULL THEN 'n/a' WHEN salary < 10 THEN 'low' ELSE 'ok' END AS band,
  coalesce(dept, '-') || '/' || name AS label, salary::int AS isal, ARRAY[id, boss] AS pair FROM emp;
COMMENT ON MATERIALIZED VIEW dept_pay IS 'pay by dept';
COMMENT ON VIEW emp_case IS E'multi\nline';
