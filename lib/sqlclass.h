#ifndef CONF_SQLCLASS_H
#define CONF_SQLCLASS_H

#include <jansson.h>

#include "ptree.h"

/* Statement flags, from the libpg_query parse tree. */
enum {
	ST_PARSED = 1 << 0,   /* libpg_query parsed it (else: the server will judge) */
	ST_COPYIN = 1 << 1,   /* COPY ... FROM STDIN: data follows in the stream */
	ST_COPYOUT = 1 << 2,  /* COPY ... TO STDOUT */
	ST_NOTX = 1 << 3,     /* cannot run inside a transaction block */
	ST_TXBEGIN = 1 << 4,  /* BEGIN / START TRANSACTION */
	ST_TXEND = 1 << 5,    /* COMMIT / END */
	ST_TXOTHER = 1 << 6,  /* ROLLBACK, PREPARE TRANSACTION and the like */
	ST_UNTERM = 1 << 7,   /* last statement of the input, without ';' */
	ST_CLUSTER = 1 << 8,  /* acts on the cluster, outside the database (CREATE DATABASE, ALTER SYSTEM) */
	ST_ROLE = 1 << 9,     /* creates, changes or grants a role: cluster-wide as well */
	ST_SCSOFF = 1 << 10,  /* turns standard_conforming_strings off (the reader refuses it) */
	ST_TXMODES = 1 << 11, /* BEGIN with transaction modes, COMMIT AND CHAIN: more than a plain block */
};

/* The deepest parse tree (JSON levels) the reader loads: a chain of about 10000 operators
   (a + 1 + 1 ...), where PostgreSQL 15 itself stops with its default max_stack_depth. */
#define TREE_DEPTH_MAX 20000

/* What libpg_query says of one statement. */
struct sqlclass {
	int flags;          /* ST_* above */
	const char *node;   /* top node name, interned; NULL when it did not parse */
	const char *why;    /* for ST_NOTX and ST_ROLE, the construct, e.g. "CREATE INDEX CONCURRENTLY" */
	int errpos;         /* parse error: 1-based character position in sql, 0 if none */
	int at_end;         /* parse error "at end of input" */
	char errmsg[256];   /* parse error message; or, when it parsed, why its tree could not be loaded */
	int nstmts;         /* statements in the text (only the first is classified) */
	int end1;           /* when several: byte offset of the ';' that ends the first */
	char fingerprint[17]; /* when asked for: pg_query_fingerprint's, 16 hex digits */
};

// sqlclass.c
/* Note that libpg_query was used (its memory context exists). */
void pgq_used(void);
/* Release libpg_query's memory at exit; safe when it was never used. */
void pgq_exit(void);
/* Parse one statement (NUL-terminated) and classify it; 0 if it parsed, -1 if not (errmsg set). */
int sql_classify(const char *sql, struct sqlclass *c);
/* sql_classify, also giving the first statement's tree (the RawStmt's "stmt", a new reference) in
   *tree when it parsed: the tree is loaded once for both. */
int sql_classify_tree(const char *sql, struct sqlclass *c, json_t **tree);
/* sql_classify_tree, also filling c->fingerprint when fp is set: from the same parse. */
int sql_classify_fp(const char *sql, struct sqlclass *c, json_t **tree, int fp);
/* sql_classify_fp giving the tree as a light tree in a (ptree.h; *tree NULL when it did not load). */
int sql_classify_pt(const char *sql, struct sqlclass *c, struct ptarena *a, const struct pt **tree, int fp);
/* Add to c->flags (and c->why) what the statement node (its name and body) says: ST_NOTX, ... */
void sql_classify_node(const char *node, json_t *body, struct sqlclass *c);
/* sql_classify_node of a light tree. */
void sql_classify_node_pt(const char *node, const struct pt *body, struct sqlclass *c);

#endif
