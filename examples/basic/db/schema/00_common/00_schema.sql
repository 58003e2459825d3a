-- Everything of the blog lives in its own schema.
CREATE SCHEMA blog;
COMMENT ON SCHEMA blog IS 'A small blog: users write posts, readers comment.';
