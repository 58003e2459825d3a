#ifndef CONF_MAPCHECK_H
#define CONF_MAPCHECK_H

#include <jansson.h>
#include <libpq-fe.h>

#include "model.h"

/*
 * conf-map's checks of the source's values against the target's columns (table records of
 * conf-inspect models; conf-formats(5)).
 */

/* What the checks work with. */
struct mapctx {
	struct model *src, *dst;
	PGconn *sc, *tc;     /* source (estimates), target (checks); NULL when not given */
	PGresult *rows;      /* map_rows.sql on the source */
	const char *staging;
	int nfits;           /* pg_temp.confiture_fits_N functions made on tc */
	int failed;          /* a check query failed: exit 1 after the mapping is written */
};

/* One check of a column pair: a type change (the values that do not convert) or a NOT NULL the
   source column did not have (its NULLs). */
struct mapcheck {
	const char *col, *from, *to; /* from, to: the types of a cast the shared scan cannot check */
	char *cond, *what;
	long long bad;
};

/* String field k of model record o, "" when absent. */
static inline const char *
map_str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

// mapcheck.c
/* The comment of source table schema.name's row count: planner statistics, or counted when the
   table was never analyzed and is small; "" without the source. Caller frees. */
char *map_rows_comment(struct mapctx *x, const char *schema, const char *name);
/* The condition (SQL over the staging table) that a value of source column col of type from does
   not convert to type to, "" when only the cast itself can tell; *what (allocated) says what
   such values are. Caller frees. */
char *map_misfit(struct mapctx *x, const char *col, const char *from, const char *to, char **what);
/* Run the n checks of source table record s on its staging foreign table in one scan (a cast
   only the cast can tell, by itself): each ck[i].bad, the row count in *total (-1 when not
   checked, the reason in *why, allocated). */
void map_run_checks(struct mapctx *x, json_t *s, struct mapcheck *ck, int n, long long *total, char **why);
/* For column col of table record s of an enum type both sides name alike: the labels the
   target's lacks and how many source rows hold them, in words ("" when none). Caller frees. */
char *map_enum_misfits(struct mapctx *x, json_t *s, const char *col, const char *type);

#endif
