#ifndef CONF_PGCONN_H
#define CONF_PGCONN_H

#include <libpq-fe.h>

#include "diag.h"

// pgconn.c
/* The connection string to use: flag, else CONFITURE_DATABASE_URL, else env_url (the
   environment's database_url, may be NULL), else DATABASE_URL, else "" (libpq's PG* variables).
   Never NULL. Remembers where it came from for messages that cannot show it. */
const char *pg_resolve(const char *flag, const char *env_url);
/* Append " keyword='value'" to b, quoted for libpq (\ and ' escaped). The one conninfo quoter. */
void pg_conninfo_add(struct buf *b, const char *keyword, const char *val);
/* Whether s looks like a connection string (a postgres[ql]:// URI or a keyword=value form). */
int pg_is_conninfo(const char *s);
/* conninfo with every secret (libpq's "*" options: password, sslpassword) removed, for messages. Caller frees. */
char *pg_scrub(const char *conninfo);
/* conninfo with dbname replaced by db (other settings kept). Caller frees; NULL after a message if unparsable. */
char *pg_with_dbname(const char *conninfo, const char *db);
/* The database conninfo leads to, resolved by libpq itself (service file, PG* variables, user
   name) without connecting; NULL after a message when it cannot be known. Caller frees. */
char *pg_target_dbname(const char *conninfo);
/* Connect; on failure print "cannot connect to <scrubbed>: reason" (never a password, never
   libpq's message about an unparsable string) and return NULL. */
PGconn *pg_connect(const char *conninfo);
/* Run a query with text parameters; on error print "ERROR SQLSTATE: message" and return NULL. */
PGresult *pg_query(PGconn *c, const char *sql, int n, const char *const *params);
/* pg_query for a command whose result is not needed; 0 or -1. */
int pg_command(PGconn *c, const char *sql, int n, const char *const *params);
/* The exit code of a failure on c: EX_UNREACHABLE when the connection is lost, else EX_FAIL. */
int pg_failed(PGconn *c);
/* Run a command without parameters; EX_OK, or pg_failed(c) after a message. */
int pg_run(PGconn *c, const char *sql);
/* pg_run of "head <name> tail" with name quoted as an identifier (never a format built from data). */
int pg_run_named(PGconn *c, const char *head, const char *name, const char *tail);
/* Quote an identifier, schema-qualified names split at the dot. Caller frees. */
char *pg_quote_ident(PGconn *c, const char *name);
/* Print a failed result as "prog: [pos: ]ERROR SQLSTATE: message" plus DETAIL and HINT lines. */
void pg_report(const PGresult *r, const struct srcpos *pos);
/* Whether an error result or connection state means the server is unreachable (class 08). */
int pg_lost(PGconn *c, const PGresult *r);
/* Show server WARNINGs (and NOTICEs when verbose) on stderr as "prog: NOTICE: ...". */
void pg_notices(PGconn *c, int verbose);
/* One value of a result (row, column), "" when NULL. */
const char *pg_value(const PGresult *r, int row, int col);
/* pg_query that prints nothing: on failure NULL, the SQLSTATE in state ("" if none, 6 bytes)
   and the failed result in *err for the caller to report and clear (err may be NULL). */
PGresult *pg_query_state(PGconn *c, const char *sql, int n, const char *const *params, char state[6],
    PGresult **err);

#endif
