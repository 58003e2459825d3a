#!/usr/bin/env python3
"""gen-big.py N [churn]: a schema of N tables (serial PK, default, check, FK to the previous one), one expression index and
one comment each, on stdout — for timing conf-parse -m (finding F52).
With churn: also N sequences and N enum types (a column of each table uses one), then half the tables dropped (the
last ones first, so no foreign key blocks the drop), half the types renamed and half the sequences dropped — the
DROP and RENAME paths of conf-parse -m, which must be linear in the objects too."""
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
churn = len(sys.argv) > 2 and sys.argv[2] == "churn"
for i in range(n):
    ref = f", p int REFERENCES t{i-1}(id)" if i else ""
    if churn:
        print(f"CREATE TYPE e{i} AS ENUM ('a', 'b');")
        print(f"CREATE SEQUENCE s{i};")
        ref += f", e e{i} DEFAULT 'a', s bigint DEFAULT nextval('s{i}')"
    print(f"CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'x', v numeric(10,2) CHECK (v > 0){ref});")
    print(f"CREATE INDEX t{i}_name ON t{i} (lower(name)) WHERE v > 1;")
    print(f"COMMENT ON TABLE t{i} IS 'table {i}';")
if churn:
    for i in range(n - 1, n // 2 - 1, -1):
        print(f"DROP TABLE t{i};")
        print(f"DROP SEQUENCE s{i};")
    for i in range(n // 2):
        print(f"ALTER TYPE e{i} RENAME TO f{i};")
