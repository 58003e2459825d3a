#ifndef CONF_MSQLTREE_H
#define CONF_MSQLTREE_H

#include <string.h>

#include <jansson.h>

/*
 * Short readers and writers of libpg_query's JSON tree and of model records, shared by the
 * files of conf-parse -m's fold (modelsql_obj.c, modelsql_agg.c, modelsql_ext.c). Inline, so
 * that each file pays nothing for the ones it does not use.
 */

/* Field k of object o. */
static inline json_t *
J(json_t *o, const char *k)
{
	return json_object_get(o, k);
}

/* The body of a node {"Type": {...}} when it is of that type, else NULL. */
static inline json_t *
N(json_t *n, const char *type)
{
	return json_is_object(n) ? json_object_get(n, type) : NULL;
}

/* The type name of a node {"Type": {...}}. */
static inline const char *
ntype(json_t *n)
{
	void *it = json_is_object(n) ? json_object_iter(n) : NULL;

	return it ? json_object_iter_key(it) : "";
}

/* The inner object of a node whatever its type. */
static inline json_t *
ninner(json_t *n)
{
	void *it = json_is_object(n) ? json_object_iter(n) : NULL;

	return it ? json_object_iter_value(it) : NULL;
}

/* String field k of o, or NULL. */
static inline const char *
S(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Whether field k of o is true. */
static inline int
B(json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

/* The text of a String node. */
static inline const char *
sval(json_t *n)
{
	json_t *s = N(n, "String");

	return s ? S(s, "sval") : NULL;
}

/* The items of a List node, or the array itself. */
static inline json_t *
items(json_t *n)
{
	json_t *l = N(n, "List");

	if (l)
		return J(l, "items");
	return json_is_array(n) ? n : NULL;
}

/* Whether a and b are both set and equal. */
static inline int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Whether s is set and begins with p. */
static inline int
starts(const char *s, const char *p)
{
	return s && strncmp(s, p, strlen(p)) == 0;
}

/* Set string field k of o to v, or remove it when v is NULL. */
static inline void
setstr(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
	else
		json_object_del(o, k);
}

/* Set field k of o to true, or remove it (a false flag is left out of a record). */
static inline void
setbool(json_t *o, const char *k, int v)
{
	if (v)
		json_object_set_new(o, k, json_true());
	else
		json_object_del(o, k);
}

#endif
