#ifndef CONF_MODEL_H
#define CONF_MODEL_H

#include <stdio.h>
#include <jansson.h>

/* The schema model: records (jansson objects) by id. The record format is in conf-formats(5). */
struct model;

// model.c
/* A new, empty model. */
struct model *model_new(void);
/* Free a model and its records. */
void model_free(struct model *m);
/* The record with this id (borrowed), or NULL. */
json_t *model_get(const struct model *m, const char *id);
/* A new record {kind, id} replacing any record of that id; borrowed, owned by the model. */
json_t *model_put(struct model *m, const char *kind, const char *id);
/* Add rec (reference stolen) under its "id", replacing any record of that id. */
void model_add(struct model *m, json_t *rec);
/* Remove the record of this id; 0 if there was one, -1 if not. */
int model_del(struct model *m, const char *id);
/* Begin a level of undo (a statement, a transaction, a savepoint): the records as they are now are
   what model_rollback restores. Cost: a copy of each record the level reads or changes, once. */
void model_begin(struct model *m);
/* End the innermost level keeping its changes (they roll back with the level below, if any). */
void model_commit(struct model *m);
/* End the innermost level undoing its changes: records it added, changed or removed are as they
   were at its model_begin. Records handed out since then are no longer the model's. */
void model_rollback(struct model *m);
/* The number of levels begun and not ended. */
int model_depth(const struct model *m);
/* Number of records. */
size_t model_count(const struct model *m);
/* The ids in byte order, NULL-terminated; free the array (not the strings) before changing m. */
const char **model_ids(const struct model *m);
/* The records by id as one jansson object (borrowed), for a scan in no particular order; to read
   only: a record changed through it escapes the undo (change it through model_get). */
json_t *model_records(const struct model *m);
/* Bring the index of constraint names up to date: call it between statements, when no record
   handed out before is still to be changed. Until the first call model_holders reads every record. */
void model_sync(struct model *m);
/* Call fn on every record that may hold a constraint named name and has this schema (a superset:
   fn checks); the first nonzero result of fn is returned, else 0. */
int model_holders(const struct model *m, const char *schema, const char *name,
    int (*fn)(const char *id, json_t *rec, void *arg), void *arg);
/* Call fn on every record that may hold s inside a string value (its id too, at any depth) where s
   is not part of a longer name: at each end, s's byte there and the string's byte beyond it (if any)
   are not both name bytes ([A-Za-z0-9_$], non-ASCII); ASCII case ignored. A superset: fn
   checks, and changes nothing until the scan is over; the first nonzero result of fn, else 0. */
int model_mentions(const struct model *m, const char *s,
    int (*fn)(const char *id, json_t *rec, void *arg), void *arg);
/* The records by id, for a scan that changes none of them: a record to change is taken with model_get. */
json_t *model_scan(const struct model *m);
/* A canonical copy of rec: "kind" first, "id" second, other keys in byte order, recursively. New
   reference. */
json_t *model_canon(json_t *rec);
/* Write every record canonically, sorted by id, one a line, on stdout, leaving out empty arrays,
   empty objects, null and false values (write errors: finish_stdout). */
void model_write(const struct model *m);
/* Read model records (JSON Lines) from f into m; -1 after a message naming name:line. */
int model_read(struct model *m, FILE *f, const char *name);
/* The canonical type of column col of relation record rel (table, view, matview) or of VALUE of
   domain record rel, a domain given as its base type: "" when rel is NULL or the column's type is
   not recorded (a view's), NULL when rel has no such column (normexpr's nx_type_fn answer). */
const char *model_col_type(const struct model *m, json_t *rel, const char *col);
/* name as it appears inside an id: bare when it matches [a-z_][a-z0-9_$]*, else double-quoted. */
char *model_ident(const char *name);
/* "schema.name" with both parts through model_ident; newly allocated. */
char *model_qname(const char *schema, const char *name);
/* "schema.name" of an operator: the schema through model_ident, the name as it is (an operator's
   name has no quote, dot, comma or parenthesis, as regoperator prints it); newly allocated. */
char *model_opr_qname(const char *schema, const char *name);

#endif
