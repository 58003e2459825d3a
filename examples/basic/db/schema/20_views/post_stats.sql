-- One row per published post, with its comment count.
CREATE VIEW blog.post_stats AS
SELECT p.id,
       p.slug,
       u.display_name AS author,
       p.published_at,
       count(c.id) AS comments
FROM blog.posts p
JOIN blog.users u ON u.id = p.author_id
LEFT JOIN blog.comments c ON c.post_id = p.id
WHERE p.status = 'published'
GROUP BY p.id, u.display_name;
