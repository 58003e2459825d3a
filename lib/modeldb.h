#ifndef CONF_MODELDB_H
#define CONF_MODELDB_H

#include <libpq-fe.h>

#include "fsx.h"
#include "model.h"

// modeldb.c: the catalogs -> the model (queries in lib/sql/inspect_*.sql)
/* Read the schema of the database on c into m, in one REPEATABLE READ READ ONLY transaction:
   the schemas named in only (all user schemas when empty) minus those in exclude; 0, or -1 after
   a message. */
int modeldb_load(PGconn *c, struct model *m, const struct strv *only, const struct strv *exclude);

#endif
