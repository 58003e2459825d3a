#ifndef CONF_DIFF_AGG_H
#define CONF_DIFF_AGG_H

#include "diff.h"

// diff_agg.c: aggregates, operators, casts, collations, extended statistics (kinds of diff_obj.c's table)
/* The handler of aggregate records: create, drop, or drop and create again when they differ. */
diff_fn diff_aggregate_fn;
/* The handler of operator records: RESTRICT and JOIN changed in place, else as aggregates. */
diff_fn diff_operator_fn;
/* The handler of cast records. */
diff_fn diff_cast_fn;
/* The handler of collation records: a changed collation that something uses is an error. */
diff_fn diff_collation_fn;
/* The handler of statistics records: the statistics target changed in place; dropped with its table. */
diff_fn diff_statistics_fn;
/* The SQL name of an aggregate ("public.f(text)", "public.p(integer ORDER BY text)"; plain: the
   types alone, as GRANT ... ON FUNCTION takes them), an operator ("public.~<< (text, text)") or a
   cast ("(text AS public.t)") of id; NULL for another kind or an id in neither model. */
char *diff_agg_name(struct diffctx *c, const char *id, int plain);

#endif
