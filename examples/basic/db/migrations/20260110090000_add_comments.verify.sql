-- true when the table and its index are there
SELECT to_regclass('blog.comments') IS NOT NULL AND to_regclass('blog.comments_post_idx') IS NOT NULL;
