#ifndef CONF_MAPPING_H
#define CONF_MAPPING_H

#include <stddef.h>

#include "diag.h"

/*
 * The schema-to-schema mapping (conf-map writes it, conf-move and conf-verify read it; the format is
 * in conf-move(1)): per table, the source and target tables and how each target column is filled.
 */

/* One entry of a table's columns. */
struct mapcol {
	char *src;  /* the source column copied (src: dst), NULL for an expression or a default */
	char *dst;  /* the target column filled, NULL when src is not copied (src: ~) */
	char *expr; /* an SQL expression over the source row (dst: {expr: "..."}), else NULL */
	int dflt;   /* dst: {default: true}: left to the target's default */
	struct srcpos pos;
};

/* One table of the mapping. */
struct maptable {
	char *name;   /* the key in the file */
	char *source; /* schema-qualified source table as SQL writes it, NULL for a new table */
	char *target; /* schema-qualified target table, NULL for a dropped one */
	char *src_schema, *src_rel; /* source's parts, unquoted ("public" when not qualified) */
	char *dst_schema, *dst_rel; /* target's parts */
	struct mapcol *cols;
	size_t ncols;
	int has_columns; /* columns: is written (else same-name columns are copied) */
	char **key;      /* key: [col, ...] (target columns), NULL = the target's primary key */
	size_t nkey;
	char *where;     /* where: a filter on the source rows, NULL if none */
	struct srcpos pos, keypos;
};

/* A whole mapping. */
struct mapping {
	char *file;
	struct maptable *t;
	size_t n;
};

// mapping.c
/* Read the mapping file path; NULL after FILE:LINE:COL: message, *status the exit code. */
struct mapping *mapping_load(const char *path, int *status);
/* The same from text of len bytes, named file in messages. */
struct mapping *mapping_parse(const char *file, const char *text, size_t len, int *status);
/* A one-table mapping of migrate-table: source and target tables and "a:b,c:d" (an empty spec
   copies the same-name columns); messages name the option -c and the column of the spec. */
struct mapping *mapping_inline(const char *source, const char *target, const char *spec, int *status);
/* Upstream's verify --tables without a mapping: for each name of the comma-separated list, the
   table of that name on both sides, the columns of the same name (messages name -t). */
struct mapping *mapping_same_names(const char *list, int *status);
/* The table of the mapping whose key, source or target (with or without its schema) is name; NULL if none. */
struct maptable *mapping_find(struct mapping *m, const char *name);
/* Free a mapping. */
void mapping_free(struct mapping *m);

#endif
