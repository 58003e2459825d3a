-- Partition trees with sub-partitions, default partitions, hash partitions, indexes on partitioned tables
CREATE TABLE measurement (
  city_id int NOT NULL,
  logdate date NOT NULL,
  peaktemp int,
  unitsales int,
  PRIMARY KEY (city_id, logdate)
) PARTITION BY RANGE (logdate);
CREATE TABLE measurement_y2006 PARTITION OF measurement FOR VALUES FROM ('2006-01-01') TO ('2007-01-01')
  PARTITION BY LIST (city_id);
CREATE TABLE measurement_y2006_c1 PARTITION OF measurement_y2006 FOR VALUES IN (1, 2, 3);
CREATE TABLE measurement_y2006_cdef PARTITION OF measurement_y2006 DEFAULT;
CREATE TABLE measurement_y2007 PARTITION OF measurement (peaktemp DEFAULT 0, CONSTRAINT pt_ok CHECK (peaktemp > -100))
  FOR VALUES FROM ('2007-01-01') TO ('2008-01-01') PARTITION BY HASH (city_id);
CREATE TABLE measurement_y2007_h0 PARTITION OF measurement_y2007 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE measurement_y2007_h1 PARTITION OF measurement_y2007 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX ON measurement (logdate);
CREATE INDEX meas_sales ON measurement (unitsales) WHERE unitsales > 0;
CREATE TABLE measurement_old (LIKE measurement INCLUDING ALL);
ALTER TABLE measurement ATTACH PARTITION measurement_old FOR VALUES FROM (MINVALUE) TO ('2006-01-01');
CREATE TABLE evt (id bigint, kind text, at timestamptz) PARTITION BY LIST (lower(kind));
CREATE TABLE evt_a PARTITION OF evt FOR VALUES IN ('a', 'b');
CREATE TABLE evt_rest PARTITION OF evt DEFAULT;
ALTER TABLE evt DETACH PARTITION evt_rest;
