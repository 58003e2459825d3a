-- The tracking table, column for column as the Python Confiture creates it, so that
-- either tool can run against a database the other one manages.
CREATE TABLE IF NOT EXISTS {table} (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    pk_confiture BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    version VARCHAR(255) NOT NULL UNIQUE,
    name VARCHAR(255) NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    execution_time_ms INTEGER,
    checksum VARCHAR(64),
    applied_by TEXT
);
-- tables made by Confiture before 0.17 lack this column
ALTER TABLE {table} ADD COLUMN IF NOT EXISTS applied_by TEXT;
CREATE INDEX IF NOT EXISTS {idx_pk} ON {table} (pk_confiture);
CREATE INDEX IF NOT EXISTS {idx_slug} ON {table} (slug);
CREATE INDEX IF NOT EXISTS {idx_version} ON {table} (version);
CREATE INDEX IF NOT EXISTS {idx_applied_at} ON {table} (applied_at DESC);
