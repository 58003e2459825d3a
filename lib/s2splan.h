#ifndef CONF_S2SPLAN_H
#define CONF_S2SPLAN_H

#include <libpq-fe.h>

#include "fsx.h"
#include "mapping.h"

/*
 * A mapping table resolved against the catalogs (conf-move, conf-verify): the SQL pieces that
 * copy it, compare it and re-copy a key range of it. Names are quoted; expressions are SQL over
 * the source row's (unqualified) columns.
 */
struct s2stable {
	struct maptable *m;
	char *target;     /* "s"."t" on the target */
	char *source;     /* "s"."t" on the source database (copy strategy) */
	char *stage;      /* "staging"."t": the foreign table on the target */
	char *tgt_label;  /* schema.table for messages */
	struct strv cols; /* target columns filled, quoted */
	struct strv ins;  /* per column: the value to insert, cast to the target's type where needed */
	struct strv raw;  /* per column: the value as the source computes it (copy strategy) */
	struct strv cmp;  /* per column: the value cast to the target column's exact type (verify) */
	struct strv key;  /* key columns (target), quoted */
	struct strv rng;  /* per column: the source value to compare with the target's values in a range
	                     condition (the column itself where its type orders alike, else cmp) */
	struct strv keysrc; /* per key column: the source value cast to its target type */
	struct strv keyrng; /* per key column: its rng */
	struct strv keyname; /* key columns, unquoted, for messages */
	struct strv upd;  /* columns an upsert sets (not key, not identity ALWAYS), quoted */
	struct strv seqs; /* owned sequences (serial, identity) of the target: column<TAB>sequence */
	int intkey;       /* one key column of an integer type: verify chunks it by ranges of values */
	char *keytype;    /* the type of a one-column key, NULL otherwise */
	unsigned tgt_oid;
	unsigned *refs;   /* oids of the tables the target's foreign keys refer to (itself left out) */
	size_t nrefs;
};

/* How verify cuts a table into key ranges: by width of an integer key from base; else at bounds
   (the target's keys every N rows, as text, and as an array literal of the key's type in arr);
   else (width 0, arr NULL) the whole table at once. */
struct s2scut {
	long long base, width;
	struct strv bounds;
	char *arr;
	const char *type;
};

// s2splan.c
/* Resolve table m on the target c (and the source s for copy, else the staging foreign table of
   schema staging on c; s NULL means staging): columns, casts, key, sequences, foreign keys.
   0, or an exit code after a message naming the mapping's FILE:LINE:COL (EX_CONFIG) or the
   server's error. */
int s2s_plan(PGconn *c, PGconn *s, const char *staging, struct maptable *m, struct s2stable *out);
/* The staging schema on the target that holds the foreign tables of source schema schema (conf-fdw's
   rule): the staging name itself for public, "<staging>_<schema>" for any other. Caller frees. */
char *s2s_staging_of(const char *staging, const char *schema);
/* Move t's owned sequences (serial, identity) past the largest value of their column, never
   backwards; EX_OK or an exit code after a message. */
int s2s_sequences(PGconn *c, struct s2stable *t);
/* Inside the caller's transaction, the user triggers of t that are enabled disabled (off 1; their
   names and modes kept in saved) or enabled again as they were (off 0): a moved row is the old
   row, not a new write. EX_OK or an exit code after a message. */
int s2s_triggers(PGconn *c, const struct s2stable *t, int off, struct strv *saved);
/* Free what s2s_plan filled. */
void s2s_free(struct s2stable *t);
/* Append "a, b, c" of v to b (with prefix/suffix around each element). */
void s2s_join(struct buf *b, const struct strv *v, const char *pre, const char *post);
/* The SQL of one row's order-independent hash (a bigint) over v (values already text-castable). */
void s2s_rowhash(struct buf *b, const struct strv *v);
/* An identifier quoted for SQL. Caller frees. */
char *s2s_qi(PGconn *c, const char *name);
/* A literal quoted for SQL. Caller frees. */
char *s2s_ql(PGconn *c, const char *s);
/* Set the session so that text forms of values are those postgres_fdw's remote session gives. */
int s2s_session(PGconn *c);
/* How to cut t when it holds more than chunk_rows rows: by ranges of values of an integer key, else at
   every chunk_rows-th key of the target (a one-column key of any ordered type); else whole. EX_OK or an
   exit code after a message. */
int s2s_cut(PGconn *c, const struct s2stable *t, long chunk_rows, struct s2scut *x);
/* Free what s2s_cut filled. */
void s2s_cut_free(struct s2scut *x);
/* Append the range number (-1 below the first range) of key expression k. */
void s2s_bucket(struct buf *q, const struct s2scut *x, const char *k);
/* Append the condition "key expression k is in range b" (c quotes literals). */
void s2s_in_range(PGconn *c, struct buf *q, const struct s2scut *x, const char *k, long long b);
/* Range b in words, for messages. Caller frees. */
char *s2s_range_name(const struct s2stable *t, const struct s2scut *x, long long b);

#endif
