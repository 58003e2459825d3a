#ifndef CONF_SQLCLASS_H
#define CONF_SQLCLASS_H

/* What libpg_query says of one statement. */
struct sqlclass {
	int flags;          /* ST_* of sqlsrc.h */
	const char *node;   /* top node name, interned; NULL when it did not parse */
	const char *why;    /* for ST_NOTX, the construct, e.g. "CREATE INDEX CONCURRENTLY" */
	int errpos;         /* parse error: 1-based character position in sql, 0 if none */
	int at_end;         /* parse error "at end of input" */
	char errmsg[256];   /* parse error message */
};

// sqlclass.c
/* Note that libpg_query was used (its memory context exists). */
void pgq_used(void);
/* Release libpg_query's memory at exit; safe when it was never used. */
void pgq_exit(void);
/* Parse one statement (NUL-terminated) and classify it; 0 if it parsed, -1 if not (errmsg set). */
int sql_classify(const char *sql, struct sqlclass *c);

#endif
