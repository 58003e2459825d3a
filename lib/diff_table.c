#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* The core kinds: schemas, extensions, types, domains, sequences, tables (columns, constraints,
   partitions), indexes. */

static int
todo(struct diffctx *c, const json_t *old, const json_t *new)
{
	const json_t *r = old ? old : new;

	return diff_fail(c, json_string_value(json_object_get(r, "id")), "not compared yet");
}

/* Ranks: schema 0, extension 10, type 20, domain 25, sequence 30, (function/procedure 40),
   table 50, (view/matview 60), index 70, (trigger/rule/policy 80, publication 85, comment,
   owner, grant, default_acl 90..). */
const struct diffkind diff_core_kinds[] = {
	{ "schema", todo, 0 },
	{ "extension", todo, 10 },
	{ "type", todo, 20 },
	{ "domain", todo, 25 },
	{ "sequence", todo, 30 },
	{ "table", todo, 50 },
	{ "index", todo, 70 },
	{ NULL, NULL, 0 },
};
