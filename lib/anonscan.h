#ifndef CONF_ANONSCAN_H
#define CONF_ANONSCAN_H

#include <libpq-fe.h>

#include "anonrules.h"
#include "model.h"

// anonscan.c
/* The category of personal data a column's name (in its table) suggests, or NULL. */
const char *anonscan_name(const char *table, const char *column, const char *type);
/* Print one JSON Lines finding per column of m's tables that looks like personal data (by name,
   type or, with c, by a sample of its values) and that no rule of rules (may be NULL) names.
   The number of findings, or -1 after a message (a sampling query failed). */
long anonscan(const struct model *m, struct anonrules *rules, PGconn *c);

#endif
