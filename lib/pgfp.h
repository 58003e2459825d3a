#ifndef CONF_PGFP_H
#define CONF_PGFP_H

#include <stdint.h>

#include "ptree.h"

/*
 * libpg_query 15-4.x's pg_query_fingerprint, computed over the light tree of the JSON text of the
 * same parse rather than by libpg_query's own walk of its raw tree (which copies an XXH3 state per
 * field and was a third of conf-parse's work). Both hash the same token stream: node type names,
 * field names in name order and the values libpg_query keeps, with XXH3-64 seeded with the
 * fingerprint version. The JSON leaves out one value the stream needs, an Integer node's at or
 * below 0 (but for an array bound): then pgfp_tree declines, and only libpg_query's walk can tell.
 */

// pgfp.c
/* The fingerprint of a parse of sql (NULL: not known), its tree root the JSON's
   {"version":..,"stmts":[...]}: 0 with *fp set, or -1 with *why set when the tree holds what only
   libpg_query's walk of its raw tree can fingerprint. */
int pgfp_tree(const struct pt *root, const char *sql, uint64_t *fp, const char **why);

#endif
