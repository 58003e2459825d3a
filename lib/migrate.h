#ifndef CONF_MIGRATE_H
#define CONF_MIGRATE_H

#include <libpq-fe.h>

#include "diag.h"
#include "hash.h"

/* One migration of db/migrations: <version>_<name>.up.sql, .down.sql, .verify.sql.
   version comes first: byversion sorts these and struct applied alike. */
struct migration {
	char *version, *name;
	char *up, *down, *verify; /* paths, NULL when absent */
	char *py;                 /* an upstream Python migration: listed, never run */
	char checksum[SHA256_HEX];/* of the .up.sql (or .py) bytes */
	struct buf text;          /* the .up.sql bytes, read once: checksummed, scanned, applied */
};

struct migdir {
	struct migration *v; /* sorted by version */
	size_t n;
};

/* What a migration file holds, from its parse tree. */
struct migfile {
	const char *path;
	struct buf text;           /* the file's bytes, owned */
	long nstmt;
	int notx;                  /* some statement cannot run inside a transaction */
	const char *notx_why;      /* e.g. "CREATE INDEX CONCURRENTLY" */
	struct srcpos notx_pos;
	long long skip[2];         /* stream offsets + 1 of a BEGIN ... COMMIT wrapper, 0 = none */
};

/* Where the hooks are and what they are told (hooks_run_for). */
struct hookctx {
	const char *dir;      /* the hooks directory, e.g. db/hooks */
	const char *env;      /* the environment's name, "" if none */
	const char *conninfo; /* the database, as CONFITURE_DATABASE_URL and DATABASE_URL */
	long timeout_s;       /* per hook, 0 = no limit */
};

// migrate.c
/* qsort order by version of structs whose first member is char *version. */
int byversion(const void *x, const void *y);
/* Read dir: migrations sorted by version, .up.sql read and checksummed; odd names are warned
   about. Returns EX_OK, or EX_CONFIG after a message (two files with one version, a .down.sql or
   .verify.sql without its .up.sql, an unreadable file, a missing dir when must_exist). */
int migdir_scan(const char *dir, int must_exist, struct migdir *md);
/* The migration of a version, or NULL. */
struct migration *migdir_find(const struct migdir *md, const char *version);
/* Free what migdir_scan made. */
void migdir_free(struct migdir *md);
/* Read a file to run (a .up.sql, .down.sql, .verify.sql or SQL hook) into mf: EX_OK, or
   EX_CONFIG after a message, whichever command reads it. */
int migfile_read(const char *path, struct migfile *mf);
/* Classify the bytes of mf before anything runs: EX_OK, or EX_SCHEMA after a message (a NUL
   byte, statements that need a transaction mixed with ones that cannot have one, transaction
   control other than a BEGIN ... COMMIT around the whole file, psql commands). */
int migfile_scan(struct migfile *mf);
/* Run the file's statements on c: inside the caller's transaction when in_tx, else one by one.
   With check, a query whose first column is a false boolean fails. Returns an exit code. */
int migfile_apply(PGconn *c, const struct migfile *mf, int in_tx, int check);
/* Free the bytes of mf. */
void migfile_free(struct migfile *mf);
/* Give c the state each migration starts from: DISCARD ALL but the advisory unlock (settings,
   role, cursors, prepared statements, LISTEN, plans, sequences, temporary tables), then the
   tool's own settings. Works inside a transaction. EX_OK or an exit code. */
int session_reset(PGconn *c);
/* Run the executables of hookdir/<phase>.d in name order with env (NAME=value strings), each in
   its own process group, killed after timeout_s seconds (0 = no limit) and sent SIGINT/SIGTERM
   when the tool gets one; their output goes to stderr. An absent <phase>.d runs nothing. EX_OK,
   or EX_FAIL (EX_CONFIG when <phase>.d is not a readable directory) after a message. */
int hooks_run(const char *hookdir, const char *phase, char *const *env, long timeout_s);
/* Before connecting: hookdir must be a directory (when must_exist, else it may be absent), and
   each <phase>.d in it a readable directory and each SQL hook a regular file when present.
   EX_OK, or EX_CONFIG after a message. */
int hooks_check(const char *hookdir, int must_exist);
/* Run the SQL hook hookdir/name on c if the file exists: inside the caller's transaction when
   in_tx, else statement by statement. EX_OK, or an exit code after a message. */
int hooks_run_sql(PGconn *c, const char *hookdir, const char *name, int in_tx);
/* Check and run a .verify.sql read into mf in a read-only transaction, rolled back; a query whose
   first column is a false boolean fails. EX_OK, or an exit code after a message. */
int migfile_verify(PGconn *c, struct migfile *mf);
/* hooks_run for h with the variables of migration m (NULL around a whole run) going direction
   ("up" or "down"): CONFITURE_VERSION, _NAME, _DIRECTION, _ENV, _DATABASE_URL and DATABASE_URL. */
int hooks_run_for(const struct hookctx *h, const char *phase, const struct migration *m, const char *direction);

#endif
