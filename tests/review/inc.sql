CREATE TABLE inc_t (a int);
