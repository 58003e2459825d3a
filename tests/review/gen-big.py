#!/usr/bin/env python3
"""gen-big.py N: a schema of N tables (serial PK, default, check, FK to the previous one), one expression index and
one comment each, on stdout — for timing conf-parse -m (finding F52)."""
import sys
n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
for i in range(n):
    ref = f", p int REFERENCES t{i-1}(id)" if i else ""
    print(f"CREATE TABLE t{i} (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'x', v numeric(10,2) CHECK (v > 0){ref});")
    print(f"CREATE INDEX t{i}_name ON t{i} (lower(name)) WHERE v > 1;")
    print(f"COMMENT ON TABLE t{i} IS 'table {i}';")
