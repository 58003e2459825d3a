CREATE TYPE blog.post_status AS ENUM ('draft', 'published', 'archived');

-- Loose on purpose: the application sends a confirmation mail.
CREATE DOMAIN blog.email AS text
    CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');
