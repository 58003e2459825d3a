#ifndef CONF_MIGRATE_H
#define CONF_MIGRATE_H

#include <libpq-fe.h>

#include "diag.h"
#include "hash.h"

/* One migration of db/migrations: <version>_<name>.up.sql, .down.sql, .verify.sql. */
struct migration {
	char *version, *name;
	char *up, *down, *verify; /* paths, NULL when absent */
	char *py;                 /* an upstream Python migration: listed, never run */
	char checksum[SHA256_HEX];/* of the .up.sql (or .py) bytes */
};

struct migdir {
	struct migration *v; /* sorted by version */
	size_t n;
};

/* What a migration file holds, from its parse tree. */
struct migfile {
	const char *path;
	long nstmt;
	int notx;                  /* some statement cannot run inside a transaction */
	const char *notx_why;      /* e.g. "CREATE INDEX CONCURRENTLY" */
	struct srcpos notx_pos;
	long long skip[2];         /* stream offsets + 1 of a BEGIN ... COMMIT wrapper, 0 = none */
};

// migrate.c
/* Read dir: migrations sorted by version, checksums computed; odd names are warned about.
   Returns EX_OK, or EX_CONFIG after a message (two files with one version). A missing dir is empty. */
int migdir_scan(const char *dir, struct migdir *md);
/* The migration of a version, or NULL. */
struct migration *migdir_find(const struct migdir *md, const char *version);
/* Free what migdir_scan made. */
void migdir_free(struct migdir *md);
/* Classify a migration file before anything runs: EX_OK, or EX_SCHEMA after a message
   (statements that need a transaction mixed with ones that cannot have one, transaction
   control other than a BEGIN ... COMMIT around the whole file, psql commands). */
int migfile_scan(const char *path, struct migfile *mf);
/* Run the file's statements on c: inside the caller's transaction when in_tx, else one by one.
   With check, a query whose first column is a false boolean fails. Returns an exit code. */
int migfile_apply(PGconn *c, const struct migfile *mf, int in_tx, int check);
/* Run the executables of hookdir/<phase>.d in name order with env (NAME=value strings);
   their output goes to stderr. EX_OK, or EX_FAIL after naming the hook that failed. */
int hooks_run(const char *hookdir, const char *phase, char *const *env);

#endif
