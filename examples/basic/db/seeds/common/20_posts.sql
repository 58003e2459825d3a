-- COPY blocks work in seed files too, as pg_dump writes them.
COPY blog.posts (author_id, title, slug, body, status, published_at) FROM stdin;
1	Analytical engines	analytical-engines	Notes on the engine.	published	2026-01-10 09:00:00+00
2	Compilers	compilers	On translating programs.	published	2026-02-02 12:30:00+00
3	Draft: kernels	draft-kernels	Work in progress.	draft	\N
\.

INSERT INTO blog.comments (post_id, author_id, body) VALUES
    (1, 2, 'Lovely.'),
    (1, 3, 'Where is the code?'),
    (2, 1, 'Agreed.');
