#ifndef CONF_ANONRULES_H
#define CONF_ANONRULES_H

#include "mask.h"
#include "model.h"

/* One column's rule. */
struct anonrule {
	char *schema;  /* NULL: the table in any schema */
	char *table;
	char *column;
	char *tablev;   /* the table as written when unquoted and not lower case (upstream's verbatim name), or NULL */
	char *columnv;  /* the same for the column */
	long line, col; /* where the rule is in the rules file */
	int seen;       /* 1 the table came in the stream, 2 the column too */
	int array;      /* the column is an array: each element is masked (array: true, or the model's type) */
	long origin;    /* -1, or the index of the rule on an ancestor table this one was derived from (--model) */
	struct maskrule m;
};

/* A rules file: upstream's sync format or its profile format. */
struct anonrules {
	char *file;
	struct anonrule *r;
	size_t n;
};

// anonrules.c
/* Load and check a rules file from len bytes of text; NULL after a message with file:line:col. */
struct anonrules *anonrules_parse(const char *file, const char *text, size_t len);
/* Load a rules file from path; NULL after a message. */
struct anonrules *anonrules_load(const char *path);
/* Free them. */
void anonrules_free(struct anonrules *a);
/* Whether any rule names the table (schema may be NULL); marks those rules' table as seen. */
int anonrules_has_table(struct anonrules *a, const char *schema, const char *table);
/* The rule of a column of a table, or NULL; marks it seen. */
struct anonrule *anonrules_find(struct anonrules *a, const char *schema, const char *table, const char *column);
/* Report every rule whose table or column never came; the number reported. */
size_t anonrules_report_missing(const struct anonrules *a);
/* Give every rule on a table to the tables that inherit from it or are its partitions (at any depth)
   and have the column, from the source's model m; mark array columns. */
void anonrules_model(struct anonrules *a, const struct model *m);
/* Lower each rule's max_length to its column's length in m (character varying(n), character(n)). */
void anonrules_limits(struct anonrules *a, const struct model *m);
/* Derive every rule's PRF key. */
void anonrules_prepare(struct anonrules *a, const struct maskkey *k);

#endif
