#ifndef CONF_LEDGER_H
#define CONF_LEDGER_H

#include <libpq-fe.h>

/* One row of the tracking table. */
struct applied {
	char *version, *name, *checksum, *applied_at;
	long ms;
};

/* The tracking table of one database. */
struct ledger {
	PGconn *conn;
	char *table;   /* as configured, e.g. "tb_confiture" or "ops.migrations" */
	char *name;    /* schema-qualified, for messages: "public.tb_confiture" */
	char *qtable;  /* schema-qualified and quoted for SQL: no search_path can move it */
	char *dbname;  /* current_database(): the server's name, not the client's */
	struct applied *rows; /* oldest first, after ledger_load */
	size_t nrows;
	int locked;    /* ledger_lock took the migration lock */
};

// ledger.c
/* Set up l for table on conn: the table's schema and the database's name are resolved once.
   EX_OK, or an exit code after a message. */
int ledger_init(struct ledger *l, PGconn *conn, const char *table);
/* Free the rows and names. */
void ledger_free(struct ledger *l);
/* Whether the table exists: 1, 0, or -1 after a message. */
int ledger_exists(struct ledger *l);
/* Create the table (and its schema, indexes) when absent; 0 or -1. */
int ledger_create(struct ledger *l);
/* Add what older Python Confiture versions left out of an existing table (applied_by); 0 or -1. */
int ledger_upgrade(struct ledger *l);
/* Read the rows, oldest first; 0 or -1. */
int ledger_load(struct ledger *l);
/* The row of a version, or NULL. */
const struct applied *ledger_find(const struct ledger *l, const char *version);
/* Insert a row in the current transaction; slug_suffix NULL = the time; 0 or -1. */
int ledger_record(struct ledger *l, const char *version, const char *name, long ms,
    const char *checksum, const char *slug_suffix);
/* Delete the row of a version in the current transaction; 0 or -1. */
int ledger_forget(struct ledger *l, const char *version);
/* Take the migration lock (1751936052, k) for the session, waiting at most timeout_ms (0 = try
   once) whatever statement_timeout says; SIGINT/SIGTERM cancel the wait. Returns EX_OK, EX_LOCK
   after naming the holder, or another exit code after a message. The session's end releases it. */
int ledger_lock(struct ledger *l, long timeout_ms);
/* Whether the session still holds the migration lock: 1, 0, or -1 after a message. */
int ledger_lock_held(struct ledger *l);
/* The second key of the lock for a database name. */
unsigned long ledger_lock_key(const char *dbname);
/* Read the rows if the table exists: EX_OK; EX_NOTRACK when it does not (saying so when must);
   another exit code after a message. */
int ledger_read(struct ledger *l, int must);
/* Before writing: take the lock (none when lock_ms < 0), then ledger_read, creating the table
   or adding what an older one lacks when create. EX_OK, EX_NOTRACK, or an exit code after a message. */
int ledger_begin(struct ledger *l, long lock_ms, int create);

#endif
