CREATE TABLE blog.users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email blog.email NOT NULL UNIQUE,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE blog.users IS 'People who can sign in.';
