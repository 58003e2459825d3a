#ifndef CONF_PFOLD_H
#define CONF_PFOLD_H

#include <jansson.h>

#include "sqlsrc.h"
#include "stmtinfo.h"

/*
 * conf-parse -m: the statements of a stream folded in turn into the schema model, as PostgreSQL would
 * apply them to a fresh database in one session: a statement is atomic, a transaction block that
 * rolls back (or is aborted by a failed statement and then ended) leaves the model as it was before
 * it, savepoints likewise; a statement the model cannot hold becomes an unmodeled record.
 */

struct level;

/* The fold's state (zeroed: no fold). */
struct pfold {
	struct spath *sp;    /* the search path the stream has set (the caller's) */
	int *rc;             /* the exit status (the caller's): 4 once a statement failed */
	struct model *m;     /* the schema model so far */
	json_t *unmodeled;   /* the unmodeled records, in input order */
	json_t *unmod;       /* ids unmodeled statements created (an object used as a set) */
	struct level *lv;    /* the open transaction block and its savepoints, innermost last */
	size_t nlv;
	char *begin_file;    /* where the block began */
	struct srcpos begin;
	int aborted;         /* a statement of the block failed: the rest is ignored until its end */
	int told;            /* and that was said */
	int queried;         /* a statement of the block took a snapshot (SET TRANSACTION ISOLATION comes before) */
};

// pfold.c
/* Start a fold into an empty model, with the caller's search path and exit status. */
void pfold_init(struct pfold *f, struct spath *sp, int *rc);
/* One parsed statement (its tree is the RawStmt's stmt): folded, or ignored in an aborted block. */
void pfold_step(struct pfold *f, const struct stmt *st, const char *sql, json_t *tree);
/* A statement failed: exit 4, and a transaction block it is in is aborted, as on the server. */
void pfold_failed(struct pfold *f);
/* The input ended: an open block is rolled back (with a warning when warn is set). */
void pfold_end(struct pfold *f, int warn);
/* Write the model sorted by id, then the unmodeled records in input order. */
void pfold_write(struct pfold *f);
/* Free the fold (what pfold_init made). */
void pfold_free(struct pfold *f);
/* The warning of a statement that may change search_path in a way not followed (F43). */
void pfold_spwarn(const struct stmt *st, const struct stmtinfo *si);

#endif
