#ifndef CONF_DEPGRAPH_H
#define CONF_DEPGRAPH_H

#include <jansson.h>
#include <stddef.h>

#include "fsx.h"
#include "stmtinfo.h"

/* Statements as nodes, numbered 0, 1, ... in input order, linked through the object ids they
   create, alter, drop and refer to (ids as in conf-formats(5)). */
struct depgraph;

/* One edge: node to must come after node from because of id (NULL: a fixed edge, e.g. a barrier). */
struct dgedge {
	size_t from, to;
	const char *id;
	int soft; /* an order kept when nothing says otherwise (ALTERs of one object, extensions first) */
};

/* A FOREIGN KEY clause of a CREATE TABLE, and the ALTER TABLE that adds it instead (pg_dump's way). */
struct fkclause {
	size_t cut, cutend; /* bytes of the statement text to blank out (the clause, with a comma) */
	size_t at;          /* where the clause begins in the text */
	char *alter;        /* "ALTER TABLE name ADD ... FOREIGN KEY ..." without ';' */
};

/* The session setting a statement sets (SET, RESET, SELECT set_config(...)). */
struct dgsetting {
	char *name;  /* lowercase; "*" for RESET ALL; NULL when the statement sets none */
	char *value; /* the value set, when a constant */
	int reset;   /* RESET name: back to the default */
};

// depgraph.c
/* A new graph without nodes. */
struct depgraph *dg_new(void);
/* Free a graph. */
void dg_free(struct depgraph *g);
/* Add the next node and what it does (lists copied; NULL = empty); its number. */
size_t dg_add(struct depgraph *g, const struct strv *creates, const struct strv *alters,
    const struct strv *drops, const struct strv *refs);
/* Keep node n in place: every node before it comes before it, every node after it after it. */
void dg_barrier(struct depgraph *g, size_t n);
/* Node n creates only what may be there already (OR REPLACE, IF NOT EXISTS): a plain creation of
   the same id since the last DROP of it comes before it; or drops what may be missing (IF EXISTS):
   it stays before a later creation of its target, where a plain DROP follows that creation. */
void dg_tolerant(struct depgraph *g, size_t n);
/* Whether a statement (its parse-tree statement node) is such a creation. */
int dg_is_tolerant(json_t *tree);
/* Fill order with every node number: creators before users, ALTERs after the creation in their
   order, otherwise input order (Kahn, smallest number first); a soft edge in a cycle is given up.
   0; or -1 when a cycle remains, with *cycle (allocated, *ncycle edges, each from = the previous
   edge's to) set to one cycle. */
int dg_sort(struct depgraph *g, size_t *order, struct dgedge **cycle, size_t *ncycle);
/* The FOREIGN KEY clauses of a CREATE TABLE (stmt: its parse-tree statement node, sql: its text of
   len bytes, which the node's locations index); their number, *out allocated (free with dg_fkfree). */
size_t dg_fkclauses(json_t *stmt, const char *sql, size_t len, struct fkclause **out);
/* Free what dg_fkclauses returned. */
void dg_fkfree(struct fkclause *v, size_t n);
/* The setting a statement (its parse-tree statement node) sets, into *out (strings allocated). */
void dg_setting(json_t *tree, struct dgsetting *out);
/* Add the ids ordering needs beyond stmtinfo's: key:S.T.C (key:S.T) created by a PRIMARY KEY or
   UNIQUE an ALTER TABLE or CREATE UNIQUE INDEX adds, and referenced by a FOREIGN KEY; the support
   functions of CREATE OPERATOR and TYPE. sp: the search path in force. */
void dg_more_ids(json_t *tree, const struct spath *sp, struct strv *creates, const struct strv *alters,
    struct strv *refs);

#endif
