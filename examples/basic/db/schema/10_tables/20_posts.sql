CREATE TABLE blog.posts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES blog.users (id) ON DELETE CASCADE,
    title text NOT NULL,
    slug text NOT NULL UNIQUE,
    body text NOT NULL DEFAULT '',
    status blog.post_status NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT published_has_date CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX posts_author_idx ON blog.posts (author_id);
CREATE INDEX posts_published_idx ON blog.posts (published_at DESC) WHERE status = 'published';
COMMENT ON TABLE blog.posts IS 'Articles; only published ones are public.';
