DROP TABLE blog.comments;
