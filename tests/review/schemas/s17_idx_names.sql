-- invented names: collisions, truncation, partition index names, constraint names on long tables
CREATE TABLE a_very_long_table_name_that_goes_on_and_on_and_on_for_ever_more (
  a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_more int,
  another_long_column_name_that_goes_on_and_on_and_on_for_ever int,
  UNIQUE (a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_more),
  UNIQUE (a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_more, another_long_column_name_that_goes_on_and_on_and_on_for_ever),
  CHECK (a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_more > 0),
  CHECK (another_long_column_name_that_goes_on_and_on_and_on_for_ever > 0)
);
CREATE INDEX ON a_very_long_table_name_that_goes_on_and_on_and_on_for_ever_more (a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_more);
CREATE INDEX ON a_very_long_table_name_that_goes_on_and_on_and_on_for_ever_more (a_very_long_column_name_that_goes_on_and_on_and_on_for_ever_more);
CREATE TABLE t (a int, b int, c text);
CREATE INDEX ON t (a);
CREATE INDEX ON t (a);
CREATE INDEX ON t (a, b);
CREATE INDEX ON t ((a + b));
CREATE INDEX ON t (lower(c));
CREATE INDEX ON t (lower(c), upper(c));
CREATE INDEX ON t ((a::text || c));
CREATE UNIQUE INDEX ON t (b) WHERE a > 0;
CREATE TABLE t_a_idx3 (x int);
CREATE INDEX ON t (a);
ALTER TABLE t ADD UNIQUE (a);
ALTER TABLE t ADD CONSTRAINT t_a_key1 CHECK (a <> 5);
ALTER TABLE t ADD UNIQUE (a);
CREATE TABLE "T" ("A" int PRIMARY KEY, "B" int REFERENCES "T");
CREATE TABLE sales (id int, region text, d date) PARTITION BY RANGE (d);
CREATE TABLE sales_2024 PARTITION OF sales FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region);
CREATE TABLE sales_2024_eu PARTITION OF sales_2024 FOR VALUES IN ('eu');
CREATE INDEX ON sales (region, d);
CREATE UNIQUE INDEX sales_uq ON sales (id, d, region);
ALTER TABLE sales ADD PRIMARY KEY (id, d, region);
CREATE TABLE sales_2025 (LIKE sales);
ALTER TABLE sales ATTACH PARTITION sales_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE fk_to_part (id int, d date, region text, FOREIGN KEY (id, d, region) REFERENCES sales);
