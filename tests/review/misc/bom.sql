CREATE TABLE bom (a int);
