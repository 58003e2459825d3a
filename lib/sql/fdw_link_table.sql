-- conf-fdw setup: where COPY hands the user mapping's settings to fdw_user_mapping.sql (the
-- password never in a statement's text), and where that says what it did
CREATE TEMPORARY TABLE confiture_fdw_link (server text, username text, password text, result text)
ON COMMIT DROP;
