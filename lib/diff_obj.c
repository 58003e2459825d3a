#include "diff.h"

/* The object kinds (views, materialized views, functions, procedures, triggers, event triggers,
   rules, policies, publications, comments, grants, default_acl, owners): owned by h/d9b, which
   replaces this empty table with its handlers. */
const struct diffkind diff_obj_kinds[] = {
	{ NULL, NULL, 0 },
};
