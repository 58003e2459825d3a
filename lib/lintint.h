#ifndef CONF_LINTINT_H
#define CONF_LINTINT_H

/* The state lint.c keeps for the rules of lintrules.c (private to the two). */

#include "lint.h"
#include "stmtinfo.h"

/* The rules, in the order of lint_rules. */
enum {
	R_AFWD, R_AFK, R_ANN, R_APK, R_ARF, R_ASPK, R_BADC, R_BCHAR, R_BCIT, R_BCDC, R_BDCOL, R_BDDB,
	R_BDNN, R_BDTAB, R_BDUP, R_BTC, R_BUT, R_CCT, R_CMNV, R_DUC, R_ITL, R_PBI, R_PBS, R_PID,
	R_PREPACK, R_PRS, R_PTEXT, R_PTZ, R_RCOL, R_RTAB, R_RCIC, R_RCID, R_REVO, R_RTS, R_RLT, R_RST, R_TN,
	R_SNAKE, R_PK, R_DOC, R_SENS, R_SECDEF, R_TENANT, R_MIXED, R_COUNT
};

/* Why a finding waits for the end of its file before it is kept. */
enum { PEND_NONE, PEND_MULTI /* kept when the file has more than one statement */ };

struct lintctx {
	const struct lintopt *o;
	/* the statement being linted */
	const struct stmt *st;
	const char *sql;
	size_t len;
	struct srcpos pos;
	long seq;
	struct strv ign;        /* rules its ignore comments name ("all" for every rule) */
	/* the file being linted: reset when the input moves to another file */
	char *file;
	long nstmts;
	int next_assume;        /* lint_next_file's in_tx for the next file, -1: the option's */
	int next_mixed, mixed;  /* the next (this) file mixes statements conf-migrate cannot run together */
	int assume;             /* assume_tx in force (a squawk-disable-assume-in-transaction comment clears it) */
	int in_tx;              /* inside a transaction, explicit or assumed */
	int explicit_tx;        /* inside BEGIN ... COMMIT */
	int open_begin;         /* a BEGIN not closed yet, at begin_pos */
	struct srcpos begin_pos;
	long begin_seq;
	int lock_to, stmt_to;    /* SET lock_timeout / statement_timeout seen, or their finding reported */
	struct strv ign_file;   /* rules ignored for the whole file */
	json_t *newtab;         /* tables created in this file (key: schema.name) */
	json_t *cons;           /* prefer-robust-stmts: constraint name -> 1 dropped, 2 added again */
	json_t *txnotvalid;     /* NOT VALID constraints added in the current transaction */
	json_t *nncheck;        /* constraint name -> "table.col" it checks IS NOT NULL */
	json_t *nnvalid;        /* "table.col" with a validated IS NOT NULL check */
	/* the whole input */
	struct spath sp;        /* the search path set so far (stmtinfo follows SET search_path, set_config) */
	json_t *tables;         /* tables created (key: schema.name): where, primary key, comments, columns */
	json_t *addcols;        /* sensitive columns added to tables the input did not create */
	json_t *lineign;        /* ignore comments by place, as squawk reads them: "file\nline" -> rules
	                           quiet on that line and the next; "file" -> rules quiet in the whole file */
	char *prev_file;        /* the file and last line of the statement before (for the comments after it) */
	long prev_line, prev_col;
	json_t *model;          /* tables of the model (-m), or NULL */
	struct finding *f;      /* findings kept */
	size_t nf, capf;
	struct finding *pend;   /* findings waiting for the end of their file */
	int *pendwhy;
	size_t np, capp;
};

// lint.c
/* Report rule r on the current statement at sql offset loc (-1: the statement's start);
   why: PEND_NONE or a reason to wait for the end of the file. */
void lint_report(struct lintctx *c, int r, long loc, int why, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Report rule r at a position saved earlier (stream-level rules); ign: the ignore list then. */
void lint_report_at(struct lintctx *c, int r, const struct srcpos *pos, long seq, json_t *ign,
	const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The position of sql offset loc of the current statement (-1: its start). */
void stmt_where_rel(const struct lintctx *c, long loc, struct srcpos *p);
/* The current statement's ignore list as a new JSON array. */
json_t *lint_ignjson(const struct lintctx *c);
/* Whether rule r is on for the current statement. */
int lint_on(const struct lintctx *c, int r);

/* ---- tree access, shared by lintrules.c and linttable.c ---- */

/* Member k of object o, NULL when o is no object or has none. */
static inline json_t *
get(json_t *o, const char *k)
{
	return json_is_object(o) ? json_object_get(o, k) : NULL;
}

/* The string member k of o, or NULL. */
static inline const char *
str(json_t *o, const char *k)
{
	return json_string_value(get(o, k));
}

/* Whether member k of o is true (libpg_query leaves false out). */
static inline int
flag(json_t *o, const char *k)
{
	return json_is_true(get(o, k));
}

/* The "location" of a node (a byte offset in its statement), -1 when it has none. */
static inline long
loc(json_t *o)
{
	json_t *v = get(o, "location");

	return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

/* The inner object of a node {"Name": {...}} when its name is name, else NULL. */
static inline json_t *
as(json_t *n, const char *name)
{
	return get(n, name);
}

/* The string of a String node. */
static inline const char *
sval(json_t *n)
{
	return str(get(n, "String"), "sval");
}

/* The last name of a list of String nodes. */
static inline const char *
lastname(json_t *names)
{
	size_t n = json_array_size(names);

	return n ? sval(json_array_get(names, n - 1)) : NULL;
}

// linttable.c
/* The key of a table: schema.name, the search path's first schema when unqualified. */
char *lint_relkey(struct lintctx *c, json_t *rv);
/* The key of a qualified name held as a list of String nodes, its first upto items. */
char *lint_listkey(struct lintctx *c, json_t *items, size_t upto);
/* Whether the table is new: created earlier in the current file. */
int lint_isnew(struct lintctx *c, json_t *rv);
/* The rules on an ALTER TABLE statement. */
void lint_alter_table(struct lintctx *c, json_t *s);
/* The rules on a CREATE TABLE statement. */
void lint_create_table(struct lintctx *c, json_t *s);

_Static_assert(R_COUNT <= LINT_MAXRULES, "LINT_MAXRULES too small");

#endif
