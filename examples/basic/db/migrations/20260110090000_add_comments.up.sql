-- Comments arrived after the first release; db/schema/10_tables/30_comments.sql holds the result.
CREATE TABLE blog.comments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES blog.posts (id) ON DELETE CASCADE,
    author_id bigint REFERENCES blog.users (id) ON DELETE SET NULL,
    body text NOT NULL CHECK (body <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_post_idx ON blog.comments (post_id, created_at);
