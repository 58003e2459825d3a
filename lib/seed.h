#ifndef CONF_SEED_H
#define CONF_SEED_H

#include <jansson.h>
#include <libpq-fe.h>

#include "diag.h"
#include "fsx.h"
#include "model.h"

/* Severities of a finding, lowest first. */
enum { SV_INFO, SV_WARNING, SV_ERROR, SV_CRITICAL };

/* What conf-seedcheck was asked to check, and how to report it. */
struct seedopt {
	const char *prep;      /* the prep schema (seeds go there), default prep_seed */
	const char *catalog;   /* the final schema the resolvers fill, default catalog */
	struct strv tables;    /* tables_to_validate: prep table names; empty = all */
	int prep_pattern;      /* the prep-seed checks (levels 1-5) on */
	int json;              /* JSON Lines output */
	int comprehensive;     /* --mode comprehensive: every offending row, not the first few */
	const char *root;      /* the project root the model's file names are relative to */
	int quiet;             /* findings counted, not printed (-w writes SQL on stdout instead) */
};

/* One row of a seed statement: where it is and its key. */
struct seedrow {
	struct srcpos pos;
	char *id;              /* the value of its "id" column (lower case), NULL if none */
	char **vals;           /* its literal values by statement column (NULL: not a literal) */
};

/* One seed statement as read: INSERT, COPY or another one loaded as it is. */
struct seedstmt {
	struct srcpos pos;
	char *sql;             /* the statement text, without its ';' */
	char *copydata;        /* COPY FROM stdin: the data lines, "\." excluded */
	size_t copylen;
	char *schema, *table;  /* the target (schema NULL when unqualified); NULL if not INSERT/COPY */
	struct strv path;      /* unqualified: the schemas of the seeds' SET search_path before it (empty: public) */
	struct strv cols;      /* the target columns as written (empty: the table's, in order) */
	struct seedrow *rows;
	size_t nrows;
	int absent;            /* level 4 found its table or a column missing in the database: not loaded */
	int txctl;             /* BEGIN, COMMIT, ROLLBACK, SAVEPOINT...: never run by level 5, inside its own transaction */
	int copyable;          /* an INSERT ... VALUES of literals only, no ON CONFLICT, RETURNING or WITH:
	                          its rows' vals (NULL: SQL NULL) can go as COPY data */
};

/* An automatic fix: bytes [off, off + oldlen) of file (as the model names it) replaced by repl. */
struct seedfix {
	char *file;
	long off;
	size_t oldlen;
	char *repl;
};

/* The whole check: options, inputs read, findings so far. */
struct seedcheck {
	struct seedopt o;
	struct model *m;       /* the schema model, NULL without -m */
	struct seedstmt *st;
	size_t nst;
	long counts[4];        /* findings by severity */
	long level_crit;       /* CRITICAL findings of the level running */
	struct seedfix *fixes; /* the fixes found (SCHEMA_DRIFT_IN_RESOLVER), in finding order */
	size_t nfixes;
};

// seed.c
/* Report one finding (pos may be NULL or hold unknown fields); printed at once. */
void seed_report(struct seedcheck *c, int level, int sev, const char *pattern, const struct srcpos *pos,
    int fixable, const char *suggestion, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Whether s is a UUID written 8-4-4-4-12 in hex digits (RFC 4122's text form). */
int seed_uuid_ok(const char *s);
/* The model's table record of schema.name (schema NULL: public), or NULL. */
json_t *seed_table(const struct seedcheck *c, const char *schema, const char *name);
/* The column record named name of a table record, or NULL. */
json_t *seed_column(json_t *table, const char *name);
/* Whether a prep table (by name) is among those to validate. */
int seed_wanted(const struct seedcheck *c, const char *name);
/* The resolver function record of a prep table name: fn_resolve_<name> (or without "tb_"), or NULL. */
json_t *seed_resolver(const struct seedcheck *c, const char *name);
/* The final table's column a prep column fk_X_id maps to: "fk_X" (newly allocated), or NULL. */
char *seed_fk_target(const char *prepcol);
/* The seed row of a prep table whose id is id (lower case), or NULL. */
const struct seedrow *seed_row_by_id(const struct seedcheck *c, const char *table, const char *id);
/* The prep tables to check, in id order: a NULL-terminated array of model records (free the array). */
json_t **seed_prep_tables(const struct seedcheck *c);
/* Free everything read. */
void seed_free(struct seedcheck *c);

// seedread.c
/* Read one input ("-" = stdin) of seed statements, checking level 1 as they come; EX_OK, or
   EX_SCHEMA after a message (syntax error, bad stream), EX_FAIL when it cannot be opened. */
int seed_read(struct seedcheck *c, const char *path);

// seedcopy.c
/* Write the seeds read on stdout as SQL, INSERTs of threshold rows or more as COPY ... FROM stdin
   (the others, and every other statement, as written), with markers a marker line before each
   statement of a readable file; 0, or -1 after a write error. */
int seed_write_copy(const struct seedcheck *c, long threshold, int markers);

// seedfix.c
/* Write the fixes as a unified diff (a/ and b/ prefixes, paths from the root) to patch, or with
   in_place (patch NULL) into the files themselves; EX_OK, or EX_FAIL after a message. */
int seed_write_fixes(const struct seedcheck *c, const char *patch, int in_place);

// seedschema.c
/* Level 2: each prep table's final table and the UUID-to-BIGINT foreign-key trinity. */
void seed_level2(struct seedcheck *c);
/* Level 3: the resolver functions, from their PL/pgSQL parse trees. */
void seed_level3(struct seedcheck *c);

// seeddb.c
/* Levels 4 (and 5 when max >= 5) on connection pg inside one transaction rolled back at the end;
   the schema stream schema (NULL: none) is loaded first. EX_OK, or an exit code after a message. */
int seed_dblevels(struct seedcheck *c, PGconn *pg, const char *schema, int max, int stop_on_critical);

#endif
