#ifndef CONF_LINT_H
#define CONF_LINT_H

#include <jansson.h>

#include "diag.h"
#include "fsx.h"
#include "sqlsrc.h"

/* Severities, in increasing order; SEV_OFF disables a rule. */
enum { SEV_OFF, SEV_INFO, SEV_WARNING, SEV_ERROR };

/* Room for every rule of the catalogue (an array of severities indexed by rule). */
#define LINT_MAXRULES 64

/* One rule of the catalogue (lintrules.c). */
struct lintrule {
	const char *id;     /* e.g. "ban-drop-column" */
	const char *alias;  /* another name accepted for it (squawk's or upstream Confiture's), or NULL */
	int sev;            /* default severity (SEV_OFF: only when selected or configured) */
	const char *family; /* "squawk" or "confiture" */
	const char *msg;    /* one-line message */
	const char *help;   /* the safe alternative */
};

/* The rule catalogue, ended by an entry with a NULL id. */
extern const struct lintrule lint_rules[];

/* Settings of a run. */
struct lintopt {
	int pgver;          /* major version of the target server (default 15) */
	int assume_tx;      /* each file runs inside one transaction (as conf-migrate runs a migration) */
	int *sev;           /* per rule of lint_rules, the severity in force */
	const char *tenant; /* tenant-column: the column every table must have, or NULL */
};

/* One finding. */
struct finding {
	int rule;           /* index in lint_rules */
	int sev;
	struct srcpos pos;  /* file is owned by the finding */
	long seq;           /* statement number in the input, to print findings in input order */
	char *msg;          /* message (owned) */
};

struct linter;

// lint.c
/* Whether name is rule r's id or one of its aliases (an alias may name several rules). */
int lint_rule_match(const char *name, int r);
/* The index of the first rule named id (or with that alias) in lint_rules, -1 if none. */
int lint_rule_index(const char *id);
/* The severity named s ("off", "info", "warning", "error"), -1 if none. */
int lint_sev_parse(const char *s);
/* The name of a severity. */
const char *lint_sev_name(int sev);
/* A linter over settings o (borrowed for its lifetime). */
struct linter *lint_new(const struct lintopt *o);
/* How the next file runs (--conf-migrate): in one transaction or not, and whether it mixes
   statements that cannot run in a transaction block with others (the runner refuses it). */
void lint_next_file(struct linter *l, int in_tx, int mixed);
/* Lint one statement st of a SQL stream: tree is its node (the RawStmt's stmt, or NULL when it
   did not parse), sql its text (from st->off; tree locations index it), gap the text between the
   previous statement and this one (its comments: ignore directives). */
void lint_stmt(struct linter *l, const struct stmt *st, json_t *tree, const char *sql, const char *gap, size_t gaplen);
/* The text after the last statement of a file (its comments: ignore directives by place). */
void lint_tail(struct linter *l, const char *tail, size_t n);
/* End of input: the checks that need the whole file or stream. */
void lint_finish(struct linter *l);
/* Load a model stream (conf-formats(5)): tables it has are known to exist. 0, or -1 after a message. */
int lint_model(struct linter *l, const char *path);
/* The findings so far, in input order (sorted by lint_finish). */
const struct finding *lint_findings(const struct linter *l, size_t *n);
/* Free the linter and its findings. */
void lint_free(struct linter *l);

// lintout.c
/* Output formats of the findings (conf-lint --format). */
enum { LINT_GCC, LINT_JSON, LINT_GITHUB, LINT_SARIF };
/* Print n findings in format fmt to stdout; sev is the severity in force of each rule (SARIF
   gives each rule's configured level). */
void lint_print(const struct finding *f, size_t n, int fmt, const int *sev);
/* Print the rule catalogue, a rule a line: id, severity in force, family, message (tab-separated). */
void lint_list_rules(const int *sev);

// lintrules.c (and linttable.c): the rule checks, called by lint.c
struct lintctx;
/* Run every rule on one parsed statement. */
void lint_rules_stmt(struct lintctx *c, json_t *node, const char *name);
/* Checks run when a file ends (file-level rules). */
void lint_rules_file_end(struct lintctx *c);
/* Checks run at the end of the input (stream-level rules). */
void lint_rules_end(struct lintctx *c);

#endif
