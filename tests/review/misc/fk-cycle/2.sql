CREATE TABLE y (id int PRIMARY KEY, a int, x_id int REFERENCES x, UNIQUE (a, id));
COMMENT ON CONSTRAINT my_fk ON x IS $$c$$;
