-- Exclusion constraints, deferrable FKs, cycles, match full
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE room (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE booking (
  id serial PRIMARY KEY,
  room_id int NOT NULL,
  during tstzrange NOT NULL,
  EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (room_id > 0)
);
ALTER TABLE booking ADD CONSTRAINT booking_room_fk FOREIGN KEY (room_id) REFERENCES room(id)
  DEFERRABLE INITIALLY DEFERRED;
CREATE TABLE a (id int PRIMARY KEY, b_id int);
CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a DEFERRABLE);
ALTER TABLE a ADD FOREIGN KEY (b_id) REFERENCES b(id) MATCH FULL ON UPDATE SET NULL ON DELETE SET DEFAULT NOT VALID;
CREATE TABLE circle_t (c circle, EXCLUDE USING gist (c WITH &&));
CREATE TABLE uq (a int, b int, UNIQUE NULLS NOT DISTINCT (a, b), UNIQUE (b) INCLUDE (a) DEFERRABLE INITIALLY IMMEDIATE);
ALTER TABLE uq ADD CONSTRAINT uq_chk CHECK (a < b) NO INHERIT;
