INSERT INTO blog.users (email, display_name) VALUES
    ('ada@example.com', 'Ada'),
    ('grace@example.com', 'Grace'),
    ('linus@example.com', 'Linus');
