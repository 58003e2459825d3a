#ifndef CONF_PGCONN_H
#define CONF_PGCONN_H

#include <libpq-fe.h>

#include "config.h"

// pgconn.c
/* The connection string to use: flag, else CONFITURE_DATABASE_URL, else the environment's
   database_url, else DATABASE_URL, else "" (libpq's PG* variables). Never NULL. */
const char *pg_resolve(const char *flag, const struct envconfig *env);
/* conninfo with every password removed, for messages. Caller frees. */
char *pg_scrub(const char *conninfo);
/* conninfo with dbname replaced by db (other settings kept). Caller frees; NULL if unparsable. */
char *pg_with_dbname(const char *conninfo, const char *db);
/* The dbname a conninfo names (NULL if none). Caller frees. */
char *pg_dbname_of(const char *conninfo);
/* Connect; on failure print "cannot connect to <scrubbed>: reason" and return NULL. */
PGconn *pg_connect(const char *conninfo);
/* Run a query with text parameters; on error print "ERROR SQLSTATE: message" and return NULL. */
PGresult *pg_query(PGconn *c, const char *sql, int n, const char *const *params);
/* pg_query for a command whose result is not needed; 0 or -1. */
int pg_command(PGconn *c, const char *sql, int n, const char *const *params);
/* The exit code of a failure on c: EX_UNREACHABLE when the connection is lost, else EX_FAIL. */
int pg_failed(PGconn *c);
/* Run a command without parameters; EX_OK, or pg_failed(c) after a message. */
int pg_run(PGconn *c, const char *sql);
/* Quote an identifier, schema-qualified names split at the dot. Caller frees. */
char *pg_quote_ident(PGconn *c, const char *name);
/* Print a failed result as "prog: [pos: ]ERROR SQLSTATE: message" plus DETAIL and HINT lines. */
void pg_report(const PGresult *r, const struct srcpos *pos);
/* Whether an error result or connection state means the server is unreachable (class 08). */
int pg_lost(PGconn *c, const PGresult *r);
/* Show server WARNINGs (and NOTICEs when verbose) on stderr as "prog: NOTICE: ...". */
void pg_notices(PGconn *c, int verbose);
/* pg_query that prints nothing: on failure NULL, the SQLSTATE in state ("" if none, 6 bytes)
   and the failed result in *err for the caller to report and clear (err may be NULL). */
PGresult *pg_query_state(PGconn *c, const char *sql, int n, const char *const *params, char state[6],
    PGresult **err);

#endif
