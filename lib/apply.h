#ifndef CONF_APPLY_H
#define CONF_APPLY_H

#include <libpq-fe.h>

#include "sig.h"
#include "sqlsrc.h"

/* How a SQL stream is sent to the server. */
struct apply {
	PGconn *conn;
	int in_tx;       /* inside the caller's transaction: BEGIN/COMMIT and non-transactional statements are refused */
	int batch;       /* send runs of plain statements in pipeline mode, without waiting for each */
	int no_cluster;  /* refuse statements that act outside the database (a build must not) */
	int absorb;      /* in_tx: a stream's own plain BEGIN ... COMMIT blocks (pg_dump's large objects)
	                    join the caller's transaction instead of being refused */
	struct srcpos open_begin; /* absorb: the BEGIN of the block still open (file NULL if none) */
	int check_false; /* a query whose first column is a false boolean is an error (verify) */
	long long skip[2]; /* stream offsets + 1 of statements not to run, 0 = none */
	long nstmt;      /* statements executed */
	long ncopy;      /* COPY blocks loaded */
	long long nrows; /* rows loaded by COPY */
};

// apply.c
/* Execute every statement of s in order, COPY data through the COPY protocol, skipping
   \restrict and \unrestrict. Errors are reported at their original file:line:col.
   Returns EX_OK, EX_FAIL (the server refused a statement), EX_SCHEMA (bad stream) or EX_UNREACHABLE. */
int apply_stream(struct apply *a, struct sqlsrc *s);
/* Execute one statement of the stream (already read) on its own; same returns as apply_stream. */
int apply_one(struct apply *a, struct sqlsrc *s, const struct stmt *st);
/* EX_OK when the server reads string literals as the reader does (standard_conforming_strings
   on), else EX_SCHEMA after a message: call it right after connecting, before running anything. */
int apply_check_server(PGconn *c);
/* With absorb: EX_OK, or EX_SCHEMA after a message when the stream left a BEGIN block open. */
int apply_closed(struct apply *a);

#endif
