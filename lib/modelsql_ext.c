/* The part of the schema model built from SQL for the kinds beside tables and routines: text search
   configurations and dictionaries, operator classes and families, foreign data wrappers, servers,
   user mappings and the server and options of foreign tables, procedural languages and access
   methods (conf-formats(5)). modelsql.c's fold hands every statement here first. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "fsx.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "msqltree.h"
#include "pgnames.h"
#include "stmtinfo.h"

/* ---- small helpers (the tree readers are msqltree.h's) ---- */

/* An array field: set when non-empty, else removed (omit defaults). */
static void
setarr(json_t *o, const char *k, json_t *a)
{
	if (json_array_size(a))
		json_object_set_new(o, k, a);
	else {
		json_decref(a);
		json_object_del(o, k);
	}
}

static void
prov(json_t *rec, const struct msql_ctx *cx)
{
	if (cx->pos.file)
		json_object_set_new(rec, "file", json_string(cx->pos.file));
	json_object_set_new(rec, "line", json_integer(cx->pos.line));
	json_object_set_new(rec, "col", json_integer(cx->pos.col));
}

static int err(const struct msql_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
err(const struct msql_ctx *cx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(&cx->pos, fmt, ap);
	va_end(ap);
	return MSQL_ERR;
}

/* ---- names ---- */

/* The schema and name of a name list (1 or 2 Strings): schema NULL when unqualified. */
static int
split_names(json_t *names, const char **schema, const char **name)
{
	size_t n = json_array_size(names);

	if (n < 1 || n > 2)
		return -1;
	*name = sval(json_array_get(names, n - 1));
	*schema = n == 2 ? sval(json_array_get(names, 0)) : NULL;
	return *name ? 0 : -1;
}

/* The record of kind prefix (e.g. "ts_dict:") for schema.name, or of the first schema along the
   path holding one; *out: its "schema.name" (the first path schema's when none has it). */
static json_t *
find_in_path(const struct model *m, const char *prefix, json_t *names, const char *suffix,
    const struct msql_ctx *cx, char **out)
{
	const char *schema, *name;
	json_t *r = NULL;
	/* an operator's name is never quoted in an id */
	char *(*qn)(const char *, const char *) = strcmp(prefix, "operator:") == 0 ? model_opr_qname : model_qname;

	*out = NULL;
	if (split_names(names, &schema, &name) != 0)
		return NULL;
	if (schema) {
		char *q = qn(schema, name), *id = xasprintf("%s%s%s", prefix, q, suffix ? suffix : "");

		r = model_get(m, id);
		free(id);
		*out = q;
		return r;
	}
	for (size_t i = 0; cx->sp && i < cx->sp->schemas.n && !r; i++) {
		char *q = qn(cx->sp->schemas.v[i], name), *id = xasprintf("%s%s%s", prefix, q, suffix ? suffix : "");

		if ((r = model_get(m, id)) != NULL)
			*out = q;
		else
			free(q);
		free(id);
	}
	if (!*out)
		*out = qn(spath_first(cx->sp), name);
	return r;
}

/* The name of an object of a kind PostgreSQL has built-in ones of (text search templates, parsers,
   dictionaries): bare when it is pg_catalog's (named so, or unqualified and not in the model
   along the path), else "schema.name". */
static char *
catalog_name(const struct model *m, const char *prefix, json_t *names, const struct msql_ctx *cx)
{
	const char *schema, *name;
	char *q;

	if (split_names(names, &schema, &name) != 0)
		return NULL;
	if (streq(schema, "pg_catalog"))
		return model_ident(name);
	if (find_in_path(m, prefix, names, NULL, cx, &q) || schema)
		return q;
	free(q);
	return model_ident(name);
}

/* ---- types and routines ---- */

struct tctx {
	const struct model *m;
	const struct msql_ctx *cx;
};

static const char *
type_schema(const char *name, void *vctx)
{
	const struct tctx *tc = vctx;
	static const char *const kinds[] = { "type", "domain", "table", "view", "matview" };

	for (size_t i = 0; tc->cx->sp && i < tc->cx->sp->schemas.n; i++)
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
			char *q = model_qname(tc->cx->sp->schemas.v[i], name), *id = xasprintf("%s:%s", kinds[k], q);
			json_t *r = model_get(tc->m, id);

			free(q), free(id);
			if (r)
				return tc->cx->sp->schemas.v[i];
		}
	return NULL;
}

/* The canonical name of a TypeName node. */
static char *
tname(const struct model *m, json_t *tn, const struct msql_ctx *cx)
{
	struct tctx t = { m, cx };
	json_t *in = N(tn, "TypeName");

	return pgn_type_name(in ? in : tn, type_schema, &t, spath_first(cx->sp));
}

/* The id of routine names(args) (args: canonical types, comma-separated): the model's along the
   path, else pg_catalog's (a built-in). */
static char *
routine_id(const struct model *m, json_t *names, const char *args, const struct msql_ctx *cx)
{
	const char *schema, *name;
	char *q, *suffix = xasprintf("(%s)", args), *id;

	if (split_names(names, &schema, &name) != 0) {
		free(suffix);
		return NULL;
	}
	if (!find_in_path(m, "function:", names, suffix, cx, &q) && !schema) {
		free(q);
		q = model_qname("pg_catalog", name);
	}
	id = xasprintf("function:%s%s", q, suffix);
	free(q), free(suffix);
	return id;
}

/* "T1,T2" of a list of TypeName nodes. */
static char *
type_list(const struct model *m, json_t *tns, const struct msql_ctx *cx)
{
	struct buf b = { 0 };
	size_t i;
	json_t *t;

	buf_puts(&b, "");
	json_array_foreach(tns, i, t) {
		char *s = tname(m, t, cx);

		buf_printf(&b, "%s%s", i ? "," : "", s);
		free(s);
	}
	return b.data;
}

/* ---- options ---- */

/* The text of a DefElem's argument as defGetString gives it. */
static char *
def_string(json_t *arg)
{
	json_t *x;

	if (!arg)
		return NULL;
	if ((x = N(arg, "String")))
		return xstrdup(S(x, "sval") ? S(x, "sval") : "");
	if ((x = N(arg, "Integer")))
		return xasprintf("%lld", (long long)json_integer_value(J(x, "ival")));
	if ((x = N(arg, "Float")))
		return xstrdup(S(x, "fval"));
	if ((x = N(arg, "Boolean")))
		return xstrdup(B(x, "boolval") ? "true" : "false");
	if ((x = N(arg, "TypeName"))) {
		struct buf b = { 0 };
		size_t i;
		json_t *e;

		buf_puts(&b, "");
		json_array_foreach(J(x, "names"), i, e)
			buf_printf(&b, "%s%s", i ? "." : "", sval(e) ? sval(e) : "");
		return b.data;
	}
	return NULL;
}

/* The index in opts (["name=value", ...]) of the option name, or -1. */
static int
opt_find(json_t *opts, const char *name)
{
	size_t i, n = strlen(name);
	json_t *e;

	json_array_foreach(opts, i, e) {
		const char *s = json_string_value(e);

		if (s && strncmp(s, name, n) == 0 && s[n] == '=')
			return (int)i;
	}
	return -1;
}

/* Apply a list of generic options (OPTIONS (...) of CREATE or ALTER: DefElems with ADD, SET, DROP)
   to rec's "options", as transformGenericOptions does; mapping: a user mapping's, whose password
   is a flag. MSQL_OK or MSQL_ERR after the server's message. */
static int
generic_options(json_t *rec, json_t *defs, int mapping, const struct msql_ctx *cx)
{
	json_t *opts = json_deep_copy(J(rec, "options")), *d;
	size_t i;
	int pw = B(rec, "password");

	if (!opts)
		opts = json_array();
	json_array_foreach(defs, i, d) {
		json_t *de = N(d, "DefElem");
		const char *name = S(de, "defname"), *act = S(de, "defaction");
		json_t *a = N(J(de, "arg"), "String");
		const char *v = a ? S(a, "sval") : "";
		int at = opt_find(opts, name);

		if (!name)
			continue;
		if (mapping && streq(name, "password")) {
			if (streq(act, "DEFELEM_DROP")) {
				if (!pw)
					goto missing;
				pw = 0;
			} else if (streq(act, "DEFELEM_SET")) {
				if (!pw)
					goto missing;
			} else {
				if (pw)
					goto dup;
				pw = 1;
			}
			continue;
		}
		if (streq(act, "DEFELEM_DROP") || streq(act, "DEFELEM_SET")) {
			if (at < 0)
				goto missing;
			if (streq(act, "DEFELEM_DROP"))
				json_array_remove(opts, (size_t)at);
			else {
				char *s = xasprintf("%s=%s", name, v);

				json_array_set_new(opts, (size_t)at, json_string(s));
				free(s);
			}
		} else {
			char *s;

			if (at >= 0)
				goto dup;
			s = xasprintf("%s=%s", name, v);
			json_array_append_new(opts, json_string(s));
			free(s);
		}
		continue;
missing:
		json_decref(opts);
		return err(cx, "option \"%s\" not found", name);
dup:
		json_decref(opts);
		return err(cx, "option \"%s\" provided more than once", name);
	}
	setarr(rec, "options", opts);
	if (mapping)
		setbool(rec, "password", pw);
	return MSQL_OK;
}

/* ---- owners and comments of these kinds ---- */

/* The id of the object an ObjectType and object node name, for the kinds of this file (whether
   the model has it or not); NULL for the others. */
static char *
obj_id(const struct model *m, const char *ot, json_t *obj, const struct msql_ctx *cx)
{
	static const struct {
		const char *ot, *prefix;
	} named[] = {
		{ "OBJECT_FDW", "fdw:" }, { "OBJECT_FOREIGN_SERVER", "server:" }, { "OBJECT_LANGUAGE", "language:" },
		{ "OBJECT_ACCESS_METHOD", "access_method:" },
	}, qual[] = {
		{ "OBJECT_TSCONFIGURATION", "ts_config:" }, { "OBJECT_TSDICTIONARY", "ts_dict:" },
		{ "OBJECT_TSPARSER", "ts_parser:" }, { "OBJECT_TSTEMPLATE", "ts_template:" },
	};
	char *q, *id;

	for (size_t i = 0; i < sizeof named / sizeof *named; i++)
		if (streq(ot, named[i].ot)) {
			const char *n = sval(obj);

			if (!n)
				return NULL;
			q = model_ident(n);
			id = xasprintf("%s%s", named[i].prefix, q);
			free(q);
			return id;
		}
	for (size_t i = 0; i < sizeof qual / sizeof *qual; i++)
		if (streq(ot, qual[i].ot)) {
			find_in_path(m, qual[i].prefix, items(obj), NULL, cx, &q);
			if (!q)
				return NULL;
			id = xasprintf("%s%s", qual[i].prefix, q);
			free(q);
			return id;
		}
	if (streq(ot, "OBJECT_OPCLASS") || streq(ot, "OBJECT_OPFAMILY")) {
		/* [method, (schema,) name] */
		json_t *l = items(obj), *names = json_array();
		const char *am = sval(json_array_get(l, 0));
		const char *pre = streq(ot, "OBJECT_OPCLASS") ? "opclass:" : "opfamily:";
		char *suffix;

		for (size_t i = 1; i < json_array_size(l); i++)
			json_array_append(names, json_array_get(l, i));
		suffix = xasprintf("(%s)", am ? am : "");
		find_in_path(m, pre, names, suffix, cx, &q);
		json_decref(names);
		id = q ? xasprintf("%s%s%s", pre, q, suffix) : NULL;
		free(q), free(suffix);
		return id;
	}
	return NULL;
}

/* Whether an id is an operator class's or family's (its method in parentheses). */
static int
starts_op(const char *id)
{
	return strncmp(id, "opclass:", 8) == 0 || strncmp(id, "opfamily:", 9) == 0;
}

/* The server's words for an object type. */
static const char *
missing_what(const char *ot)
{
	static const struct {
		const char *ot, *what;
	} w[] = {
		{ "OBJECT_FDW", "foreign-data wrapper" }, { "OBJECT_FOREIGN_SERVER", "server" },
		{ "OBJECT_LANGUAGE", "language" }, { "OBJECT_ACCESS_METHOD", "access method" },
		{ "OBJECT_TSCONFIGURATION", "text search configuration" },
		{ "OBJECT_TSDICTIONARY", "text search dictionary" }, { "OBJECT_OPCLASS", "operator class" },
		{ "OBJECT_OPFAMILY", "operator family" }, { "OBJECT_TSPARSER", "text search parser" },
		{ "OBJECT_TSTEMPLATE", "text search template" },
	};

	for (size_t i = 0; i < sizeof w / sizeof *w; i++)
		if (streq(ot, w[i].ot))
			return w[i].what;
	return "object";
}

/* What the server says when the object of a DROP, COMMENT or OWNER is missing. */
static int
missing(const char *ot, const char *id, const struct msql_ctx *cx)
{
	const char *n = strchr(id, ':');

	return err(cx, "%s \"%s\" does not exist", missing_what(ot), n ? n + 1 : id);
}

/* Whether v uses id: a string value, at any depth outside its own id, equal to id or to name (the
   form records of some kinds name id by, or NULL). */
static int
uses(json_t *v, const char *id, const char *name)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_string(v))
		return streq(json_string_value(v), id) || (name && streq(json_string_value(v), name));
	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (uses(e, id, name))
				return 1;
		return 0;
	}
	if (json_is_object(v))
		json_object_foreach(v, k, e)
			if (strcmp(k, "id") != 0 && strcmp(k, "kind") != 0 && strcmp(k, "on") != 0 && uses(e, id, name))
				return 1;
	return 0;
}

/* The field of the records that name id by its bare name: a server's wrapper, a table's and a user
   mapping's server, a configuration's dictionaries, an opclass's family. */
static const char *
ref_name(const char *id)
{
	const char *c = strchr(id, ':');

	if (!c)
		return NULL;
	if (strncmp(id, "fdw:", 4) == 0 || strncmp(id, "server:", 7) == 0 || strncmp(id, "ts_dict:", 8) == 0
	    || strncmp(id, "ts_parser:", 10) == 0 || strncmp(id, "ts_template:", 12) == 0)
		return c + 1;
	return NULL;
}

static int drop_obj(struct model *m, const char *id, int cascade, const struct msql_ctx *cx);

/* Drop the records that use id (CASCADE), or refuse as the server does. */
static int
drop_users(struct model *m, const char *id, int cascade, const struct msql_ctx *cx)
{
	const char **ids = model_ids(m);
	const char *name = ref_name(id);
	struct strv dep = { 0 };
	int rc = MSQL_OK;

	for (size_t i = 0; ids[i]; i++) {
		json_t *r = model_get(m, ids[i]);
		const char *k = S(r, "kind");

		if (streq(ids[i], id) || streq(k, "comment") || streq(k, "owner") || streq(k, "grant"))
			continue;
		/* a server's name in a table or mapping, a dictionary's in a configuration */
		if (uses(r, id, (streq(k, "table") || streq(k, "user_mapping") || streq(k, "server") || streq(k, "ts_config")
		                        || streq(k, "ts_dict"))
		        ? name : NULL))
			strv_add(&dep, ids[i]);
	}
	free(ids);
	if (dep.n && !cascade) {
		/* getObjectDescription's words and the object's name */
		static const char *const w[][2] = { { "fdw:", "foreign-data wrapper" }, { "server:", "server" },
			{ "ts_parser:", "text search parser" }, { "ts_template:", "text search template" },
			{ "ts_dict:", "text search dictionary" }, { "ts_config:", "text search configuration" },
			{ "opfamily:", "operator family" }, { "opclass:", "operator class" }, { "language:", "language" },
			{ "access_method:", "access method" } };
		json_t *r = model_get(m, id);
		const char *what = "object";

		for (size_t i = 0; i < sizeof w / sizeof *w; i++)
			if (strncmp(id, w[i][0], strlen(w[i][0])) == 0)
				what = w[i][1];
		rc = err(cx, "cannot drop %s %s because other objects depend on it", what, S(r, "name") ? S(r, "name") : id);
	}
	for (size_t i = 0; rc == MSQL_OK && i < dep.n; i++) {
		json_t *r = model_get(m, dep.v[i]);

		if (!r)
			continue;
		if (streq(S(r, "kind"), "table"))
			model_del(m, dep.v[i]), msql_retarget(m, dep.v[i], NULL);
		else
			rc = drop_obj(m, dep.v[i], 1, cx);
	}
	strv_free(&dep);
	return rc;
}

/* Drop the record of id with what uses it (cascade) and its comment and owner. */
static int
drop_obj(struct model *m, const char *id, int cascade, const struct msql_ctx *cx)
{
	int rc = drop_users(m, id, cascade, cx);

	if (rc != MSQL_OK)
		return rc;
	/* an operator family takes its classes with it */
	if (strncmp(id, "opfamily:", 9) == 0) {
		const char **ids = model_ids(m);
		struct strv cl = { 0 };

		for (size_t i = 0; ids[i]; i++)
			if (strncmp(ids[i], "opclass:", 8) == 0 && streq(S(model_get(m, ids[i]), "family"), id))
				strv_add(&cl, ids[i]);
		free(ids);
		for (size_t i = 0; i < cl.n; i++)
			model_del(m, cl.v[i]), msql_retarget(m, cl.v[i], NULL);
		strv_free(&cl);
	}
	model_del(m, id);
	msql_retarget(m, id, NULL);
	return MSQL_OK;
}

static int
fold_drop(struct model *m, json_t *d, const struct msql_ctx *cx)
{
	const char *ot = S(d, "removeType");
	json_t *o;
	size_t i;
	int cascade = streq(S(d, "behavior"), "DROP_CASCADE");

	json_array_foreach(J(d, "objects"), i, o) {
		char *id = obj_id(m, ot, o, cx);
		int rc;

		if (!id)
			return MSQL_UNMODELED;
		if (!model_get(m, id)) {
			rc = B(d, "missing_ok") ? MSQL_OK : missing(ot, id, cx);
			free(id);
			if (rc != MSQL_OK)
				return rc;
			continue;
		}
		rc = drop_obj(m, id, cascade, cx);
		free(id);
		if (rc != MSQL_OK)
			return rc;
	}
	return MSQL_OK;
}

static int
fold_comment(struct model *m, json_t *c, const struct msql_ctx *cx)
{
	const char *ot = S(c, "objtype"), *text = S(c, "comment");
	char *id = obj_id(m, ot, J(c, "object"), cx), *cid;

	if (!id)
		return MSQL_UNMODELED;
	if (!model_get(m, id)) {
		int rc = missing(ot, id, cx);

		free(id);
		return rc;
	}
	cid = xasprintf("comment:%s", id);
	if (text && *text) {
		json_t *r = model_put(m, "comment", cid);

		json_object_set_new(r, "on", json_string(id));
		json_object_set_new(r, "text", json_string(text));
		prov(r, cx);
	} else {
		model_del(m, cid);
	}
	free(cid), free(id);
	return MSQL_OK;
}

static int
fold_owner(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	const char *ot = S(a, "objectType");
	json_t *rs = N(J(a, "newowner"), "RoleSpec"), *o;
	char *id;

	if (!rs)
		rs = J(a, "newowner");
	if (streq(ot, "OBJECT_ACCESS_METHOD"))
		return MSQL_UNMODELED;
	if (!(id = obj_id(m, ot, J(a, "object"), cx)))
		return MSQL_UNMODELED;
	if (!model_get(m, id)) {
		int rc = missing(ot, id, cx);

		free(id);
		return rc;
	}
	if (!streq(S(rs, "roletype"), "ROLESPEC_CSTRING")) {
		free(id);
		return MSQL_UNMODELED;
	}
	if ((o = msql_set_owner(m, id, S(rs, "rolename"))))
		prov(o, cx);
	free(id);
	return MSQL_OK;
}

/* ---- text search ---- */

/* The mappings a built-in configuration has (snowball.sql.in): the three ASCII word tokens to its
   ASCII dictionary, the three word tokens to its stemmer, the other parsed tokens to simple. */
static json_t *
builtin_mappings(const char *cfg)
{
	static const char *const ascii[] = { "asciihword", "asciiword", "hword_asciipart", NULL };
	static const char *const word[] = { "hword", "hword_part", "word", NULL };
	static const char *const rest[] = { "email", "file", "float", "host", "hword_numpart", "int", "numhword",
		"numword", "sfloat", "uint", "url", "url_path", "version", NULL };
	json_t *maps = json_array();
	char *stem = streq(cfg, "simple") ? xstrdup("simple") : xasprintf("%s_stem", cfg);
	const char *adict = streq(cfg, "russian") || streq(cfg, "hindi") ? "english_stem" : stem;
	const char *const *lists[] = { ascii, word, rest };
	const char *dicts[] = { adict, stem, "simple" };

	for (int l = 0; l < 3; l++)
		for (size_t i = 0; lists[l][i]; i++)
			json_array_append_new(maps, json_pack("{s:s, s:[s]}", "token", lists[l][i], "dictionaries", dicts[l]));
	free(stem);
	return maps;
}

static int
cmp_token(const void *a, const void *b)
{
	return strcmp(S(*(json_t *const *)a, "token"), S(*(json_t *const *)b, "token"));
}

/* Sort mappings by token, in place. */
static void
sort_maps(json_t *maps)
{
	jsonl_sort(maps, cmp_token);
}

/* The id of a new object of a schema: "prefix schema.name", or NULL after the server's refusal. */
static char *
new_qid(const struct model *m, const char *prefix, json_t *names, const char *suffix, const struct msql_ctx *cx,
    const char **schema, const char **name)
{
	char *q, *id, *sid, *sq;

	if (split_names(names, schema, name) != 0)
		return NULL;
	if (!*schema)
		*schema = spath_first(cx->sp);
	if (!*schema) {
		err(cx, "no schema has been selected to create in");
		return NULL;
	}
	sq = model_ident(*schema);
	sid = xasprintf("schema:%s", sq);
	free(sq);
	if (!model_get(m, sid)) {
		err(cx, "schema \"%s\" does not exist", *schema);
		free(sid);
		return NULL;
	}
	free(sid);
	q = model_qname(*schema, *name);
	id = xasprintf("%s%s%s", prefix, q, suffix ? suffix : "");
	free(q);
	return id;
}

static int
fold_define_ts(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	int cfg = streq(S(x, "kind"), "OBJECT_TSCONFIGURATION");
	const char *schema, *name;
	char *id = new_qid(m, cfg ? "ts_config:" : "ts_dict:", J(x, "defnames"), NULL, cx, &schema, &name);
	json_t *r, *d, *opts = json_array(), *copy = NULL;
	char *tmpl = NULL, *parser = NULL;
	size_t i;

	if (!id) {
		json_decref(opts);
		return MSQL_ERR;
	}
	if (model_get(m, id)) {
		json_decref(opts);
		free(id);
		return err(cx, "text search %s \"%s\" already exists", cfg ? "configuration" : "dictionary", name);
	}
	json_array_foreach(J(x, "definition"), i, d) {
		json_t *de = N(d, "DefElem");
		const char *dn = S(de, "defname");
		json_t *tn = N(J(de, "arg"), "TypeName");
		json_t *names = tn ? J(tn, "names") : NULL;

		if (!names && sval(J(de, "arg")))
			names = json_pack("[{s:{s:s}}]", "String", "sval", sval(J(de, "arg")));
		else
			json_incref(names);
		if (cfg && streq(dn, "parser") && names) {
			free(parser);
			parser = catalog_name(m, "ts_parser:", names, cx);
		} else if (cfg && streq(dn, "copy") && names) {
			const char *cs, *cn;
			char *q;
			json_t *src = find_in_path(m, "ts_config:", names, NULL, cx, &q);

			split_names(names, &cs, &cn);
			free(q);
			if (src) {
				free(parser);
				parser = S(src, "parser") ? xstrdup(S(src, "parser")) : NULL;
				copy = json_deep_copy(J(src, "mappings"));
			} else if (!cs || streq(cs, "pg_catalog")) {
				free(parser);
				parser = NULL;
				copy = builtin_mappings(cn ? cn : "simple");
			} else {
				json_decref(names);
				json_decref(opts);
				free(id);
				return err(cx, "text search configuration \"%s\" does not exist", cn);
			}
		} else if (!cfg && streq(dn, "template") && names) {
			free(tmpl);
			tmpl = catalog_name(m, "ts_template:", names, cx);
		} else if (!cfg && dn) {
			char *v = def_string(J(de, "arg")), *s;

			if (!v) {
				json_decref(names);
				json_decref(opts);
				free(id);
				return MSQL_UNMODELED;
			}
			s = xasprintf("%s=%s", dn, v);
			json_array_append_new(opts, json_string(s));
			free(s), free(v);
		} else {
			json_decref(names);
			json_decref(opts);
			free(id), free(tmpl), free(parser);
			return MSQL_UNMODELED;
		}
		json_decref(names);
	}
	r = model_put(m, cfg ? "ts_config" : "ts_dict", id);
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	prov(r, cx);
	if (cfg) {
		/* the built-in parser is the default one */
		if (parser && !streq(parser, "default"))
			setstr(r, "parser", parser);
		if (copy)
			setarr(r, "mappings", copy);
		json_decref(opts);
	} else {
		setstr(r, "template", tmpl);
		setarr(r, "options", opts);
	}
	msql_default_acl(m, id, cx);
	free(id), free(tmpl), free(parser);
	return MSQL_OK;
}

/* CREATE TEXT SEARCH PARSER / TEMPLATE: their functions, found by name with the argument types
   PostgreSQL requires of each (get_ts_parser_func, get_ts_template_func). */
static int
fold_define_tsfuncs(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	static const char *const pfn[][2] = { { "start", "internal,integer" }, { "gettoken", "internal,internal,internal" },
		{ "end", "internal" }, { "lextypes", "internal" }, { "headline", "internal,internal,tsquery" } },
		*const tfn[][2] = { { "init", "internal" }, { "lexize", "internal,internal,internal,internal" } };
	int prs = streq(S(x, "kind"), "OBJECT_TSPARSER");
	const char *schema, *name;
	char *id = new_qid(m, prs ? "ts_parser:" : "ts_template:", J(x, "defnames"), NULL, cx, &schema, &name);
	json_t *r, *d, *fns = json_object();
	size_t i, n = prs ? 5 : 2;

	if (!id) {
		json_decref(fns);
		return MSQL_ERR;
	}
	if (model_get(m, id)) {
		free(id);
		json_decref(fns);
		return err(cx, "text search %s \"%s\" already exists", prs ? "parser" : "template", name);
	}
	json_array_foreach(J(x, "definition"), i, d) {
		json_t *de = N(d, "DefElem"), *tn = N(J(de, "arg"), "TypeName");
		const char *dn = S(de, "defname");
		size_t k;

		for (k = 0; k < n; k++)
			if (streq(dn, prs ? pfn[k][0] : tfn[k][0]))
				break;
		if (k == n || !tn) {
			free(id);
			json_decref(fns);
			return MSQL_UNMODELED;
		}
		char *fid = routine_id(m, J(tn, "names"), prs ? pfn[k][1] : tfn[k][1], cx);

		json_object_set_new(fns, dn, json_string(fid));
		free(fid);
	}
	r = model_put(m, prs ? "ts_parser" : "ts_template", id);
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	json_object_update(r, fns);
	json_decref(fns);
	prov(r, cx);
	free(id);
	return MSQL_OK;
}

static int
fold_alter_dict(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	char *q, *id;
	json_t *r = find_in_path(m, "ts_dict:", J(x, "dictname"), NULL, cx, &q), *opts, *d;
	size_t i;

	if (!r) {
		const char *s, *n;

		split_names(J(x, "dictname"), &s, &n);
		free(q);
		return err(cx, "text search dictionary \"%s\" does not exist", n ? n : "");
	}
	id = xasprintf("ts_dict:%s", q);
	free(q);
	r = model_get(m, id);
	free(id);
	opts = json_deep_copy(J(r, "options"));
	if (!opts)
		opts = json_array();
	json_array_foreach(J(x, "options"), i, d) {
		json_t *de = N(d, "DefElem");
		const char *dn = S(de, "defname");
		char *v;

		/* AlterTSDictionary: an option given replaces the one of that name; without a value it goes */
		for (size_t k = 0; k < json_array_size(opts);) {
			const char *s = json_string_value(json_array_get(opts, k));
			size_t n = strlen(dn);

			if (strncasecmp(s, dn, n) == 0 && s[n] == '=')
				json_array_remove(opts, k);
			else
				k++;
		}
		if ((v = def_string(J(de, "arg")))) {
			char *s = xasprintf("%s=%s", dn, v);

			json_array_append_new(opts, json_string(s));
			free(s), free(v);
		}
	}
	setarr(r, "options", opts);
	return MSQL_OK;
}

static int
fold_alter_config(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	const char *k = S(x, "kind");
	char *q, *id;
	json_t *r = find_in_path(m, "ts_config:", J(x, "cfgname"), NULL, cx, &q), *maps, *dicts = json_array(), *e;
	size_t i;
	int add = streq(k, "ALTER_TSCONFIG_ADD_MAPPING") || streq(k, "ALTER_TSCONFIG_ALTER_MAPPING_FOR_TOKEN");
	int drop = streq(k, "ALTER_TSCONFIG_DROP_MAPPING");
	json_t *tokens = J(x, "tokentype");

	if (!r) {
		const char *s, *n;

		split_names(J(x, "cfgname"), &s, &n);
		free(q);
		json_decref(dicts);
		return err(cx, "text search configuration \"%s\" does not exist", n ? n : "");
	}
	id = xasprintf("ts_config:%s", q);
	free(q);
	r = model_get(m, id);
	free(id);
	json_array_foreach(J(x, "dicts"), i, e) {
		char *dn = catalog_name(m, "ts_dict:", items(e), cx);

		if (dn && strchr(dn, '.')) {
			/* a dictionary of the model must exist */
			char *did = xasprintf("ts_dict:%s", dn);

			if (!model_get(m, did)) {
				free(did), free(dn);
				json_decref(dicts);
				return err(cx, "text search dictionary \"%s\" does not exist", sval(json_array_get(items(e), json_array_size(items(e)) - 1)));
			}
			free(did);
		}
		json_array_append_new(dicts, json_string(dn ? dn : ""));
		free(dn);
	}
	maps = json_deep_copy(J(r, "mappings"));
	if (!maps)
		maps = json_array();
	if (streq(k, "ALTER_TSCONFIG_REPLACE_DICT") || streq(k, "ALTER_TSCONFIG_REPLACE_DICT_FOR_TOKEN")) {
		/* ALTER MAPPING [FOR t] REPLACE old WITH new: dicts = [old, new] */
		const char *old = json_string_value(json_array_get(dicts, 0)), *nw = json_string_value(json_array_get(dicts, 1));

		json_array_foreach(maps, i, e) {
			json_t *ds = J(e, "dictionaries"), *d;
			size_t j;
			int hit = !json_array_size(tokens);

			for (size_t t = 0; !hit && t < json_array_size(tokens); t++)
				hit = streq(sval(json_array_get(tokens, t)), S(e, "token"));
			if (!hit)
				continue;
			json_array_foreach(ds, j, d)
				if (streq(json_string_value(d), old))
					json_array_set_new(ds, j, json_string(nw));
		}
	} else if (add || drop) {
		for (size_t t = 0; t < json_array_size(tokens); t++) {
			const char *tok = sval(json_array_get(tokens, t));
			int found = 0;

			for (i = 0; i < json_array_size(maps); i++)
				if (streq(S(json_array_get(maps, i), "token"), tok)) {
					json_array_remove(maps, i);
					found = 1;
					break;
				}
			if (drop && !found && !B(x, "missing_ok")) {
				json_decref(maps), json_decref(dicts);
				return err(cx, "mapping for token type \"%s\" does not exist", tok);
			}
			if (add)
				json_array_append_new(maps, json_pack("{s:s, s:O}", "token", tok, "dictionaries", dicts));
		}
	} else {
		json_decref(maps), json_decref(dicts);
		return MSQL_UNMODELED;
	}
	sort_maps(maps);
	setarr(r, "mappings", maps);
	json_decref(dicts);
	return MSQL_OK;
}

/* ---- operator classes and families ---- */

/* The id of the operator a CREATE OPERATOR CLASS / ALTER OPERATOR FAMILY item names, with its
   input types (the item's, else the class's type on both sides). */
static char *
operator_id(const struct model *m, json_t *owa, const char *deftype, const struct msql_ctx *cx)
{
	json_t *names = J(owa, "objname"), *args = J(owa, "objargs");
	const char *schema, *name;
	char *l, *rt, *q, *suffix, *id;

	if (split_names(names, &schema, &name) != 0)
		return NULL;
	if (json_array_size(args) == 2) {
		l = N(json_array_get(args, 0), "TypeName") ? tname(m, json_array_get(args, 0), cx) : xstrdup("NONE");
		rt = N(json_array_get(args, 1), "TypeName") ? tname(m, json_array_get(args, 1), cx) : xstrdup("NONE");
	} else {
		l = xstrdup(deftype);
		rt = xstrdup(deftype);
	}
	suffix = xasprintf("(%s,%s)", l, rt);
	if (!find_in_path(m, "operator:", names, suffix, cx, &q) && !schema) {
		free(q);
		q = xasprintf("pg_catalog.%s", name);
	}
	id = xasprintf("operator:%s%s", q, suffix);
	free(q), free(l), free(rt), free(suffix);
	return id;
}

static int
cmp_member(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	const char *nk = J(x, "strategy") ? "strategy" : "number";
	json_int_t i = json_integer_value(J(x, nk)), j = json_integer_value(J(y, nk));
	int c;

	if (i != j)
		return i < j ? -1 : 1;
	if (J(x, "operator"))
		return strcmp(S(x, "operator") ? S(x, "operator") : "", S(y, "operator") ? S(y, "operator") : "");
	if ((c = strcmp(S(x, "lefttype") ? S(x, "lefttype") : "", S(y, "lefttype") ? S(y, "lefttype") : "")) != 0)
		return c;
	return strcmp(S(x, "righttype") ? S(x, "righttype") : "", S(y, "righttype") ? S(y, "righttype") : "");
}

/* Sort the members (operators by strategy, functions by number, then types), in place. */
static void
sort_members(json_t *a)
{
	jsonl_sort(a, cmp_member);
}

/* The types of an operator id's argument list: "(l,r)" at its end. */
static void
op_types(const char *id, char **l, char **r)
{
	const char *p = strrchr(id, '('), *c = p ? strrchr(p, ',') : NULL;

	*l = p && c ? xstrndup(p + 1, (size_t)(c - p - 1)) : xstrdup("");
	*r = c ? xstrndup(c + 1, strlen(c + 1) - 1) : xstrdup("");
}

/* The access method of the statement add_item reads items of. */
static const char *cx_am;

/* Whether a support function of that number takes its types from its arguments. */
static int
am_btree_hash(const char *am, json_int_t num)
{
	return (streq(am, "btree") && num == 1) || (streq(am, "hash") && (num == 1 || num == 2));
}

/* One item of CREATE OPERATOR CLASS / ALTER OPERATOR FAMILY ADD into ops or fns; deftype: the
   class's type (NULL for a family: its items state their types). MSQL_OK, MSQL_UNMODELED. */
static int
add_item(const struct model *m, json_t *it, const char *deftype, json_t *ops, json_t *fns, char **storage,
    const struct msql_ctx *cx)
{
	json_t *owa = N(J(it, "name"), "ObjectWithArgs") ? N(J(it, "name"), "ObjectWithArgs") : J(it, "name");
	json_int_t itype = json_integer_value(J(it, "itemtype")), num = json_integer_value(J(it, "number"));
	json_t *cargs = J(it, "class_args");

	if (itype == 3) {
		free(*storage);
		*storage = tname(m, J(it, "storedtype"), cx);
		return MSQL_OK;
	}
	if (!owa)
		return MSQL_UNMODELED;
	if (itype == 1) {
		char *oid = operator_id(m, owa, deftype ? deftype : "", cx), *l, *r;
		json_t *o;

		if (!oid)
			return MSQL_UNMODELED;
		op_types(oid, &l, &r);
		o = json_pack("{s:I, s:s}", "strategy", (json_int_t)num, "operator", oid);
		if (J(it, "order_family")) {
			json_t *of = items(J(it, "order_family"));
			const char *fs, *fn;

			split_names(of, &fs, &fn);
			/* the sort family is a btree family */
			char *q, *suffix = xstrdup("(btree)"), *fid;

			if (!find_in_path(m, "opfamily:", of, suffix, cx, &q) && !fs) {
				free(q);
				q = model_qname("pg_catalog", fn);
			}
			fid = xasprintf("opfamily:%s%s", q, suffix);
			json_object_set_new(o, "order_by", json_string(fid));
			free(q), free(suffix), free(fid);
		}
		json_array_append_new(ops, o);
		free(oid), free(l), free(r);
		return MSQL_OK;
	}
	if (itype == 2) {
		char *args = type_list(m, J(owa, "objargs"), cx), *fid = routine_id(m, J(owa, "objname"), args, cx);
		char *l, *r;

		if (json_array_size(cargs) == 2) {
			l = tname(m, json_array_get(cargs, 0), cx);
			r = tname(m, json_array_get(cargs, 1), cx);
		} else if (am_btree_hash(cx_am, num) && json_array_size(J(owa, "objargs")) >= 1) {
			/* assignProcTypes: a btree comparison function's types are its arguments', a hash
			   function's its first argument's */
			json_t *fa = J(owa, "objargs");

			l = tname(m, json_array_get(fa, 0), cx);
			r = tname(m, json_array_get(fa, streq(cx_am, "btree") && json_array_size(fa) > 1 ? 1 : 0), cx);
		} else if (deftype) {
			l = xstrdup(deftype);
			r = xstrdup(deftype);
		} else {
			free(args), free(fid);
			return MSQL_UNMODELED;
		}
		json_array_append_new(fns, json_pack("{s:I, s:s, s:s, s:s}", "number", (json_int_t)num, "function", fid,
		    "lefttype", l, "righttype", r));
		free(args), free(fid), free(l), free(r);
		return MSQL_OK;
	}
	return MSQL_UNMODELED;
}

/* The opfamily record of names USING am, made (as CREATE OPERATOR CLASS does without FAMILY)
   when create is set and it is missing; NULL after a message otherwise. */
static json_t *
family(struct model *m, json_t *names, const char *am, int create, const struct msql_ctx *cx, char **fid)
{
	char *suffix = xasprintf("(%s)", am), *q;
	json_t *r = find_in_path(m, "opfamily:", names, suffix, cx, &q);
	const char *schema, *name;

	*fid = NULL;
	if (r || !create) {
		if (r)
			*fid = xasprintf("opfamily:%s%s", q, suffix);
		else {
			split_names(names, &schema, &name);
			err(cx, "operator family \"%s\" does not exist for access method \"%s\"", name ? name : "", am);
		}
		free(q), free(suffix);
		return r ? model_get(m, *fid) : NULL;
	}
	free(q);
	if (!(*fid = new_qid(m, "opfamily:", names, suffix, cx, &schema, &name))) {
		free(suffix);
		return NULL;
	}
	free(suffix);
	r = model_put(m, "opfamily", *fid);
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	json_object_set_new(r, "method", json_string(am));
	prov(r, cx);
	msql_default_acl(m, *fid, cx);
	return r;
}

/* Whether the model has an operator class of family fid for type t other than the one being made. */
static int
family_has_class(const struct model *m, const char *fid, const char *t)
{
	const char *id;
	json_t *c;

	json_object_foreach(model_records(m), id, c)
		if (strncmp(id, "opclass:", 8) == 0 && streq(S(c, "family"), fid) && streq(S(c, "type"), t))
			return 1;
	return 0;
}

/* Whether a member of CREATE OPERATOR CLASS belongs to the family instead (a soft dependency on
   the family, as the access method's amadjustmembers makes it in PostgreSQL 15): btree and hash
   cross-type members, optional functions, and members of one type that is not the class's (a
   polymorphic operator) when no class of the family is for that type; every GiST, SP-GiST and
   GIN operator and their optional functions. op: an operator (else a function of that number);
   type: the class's; fid: its family. */
static int
loose_member(const struct model *m, const char *am, int op, json_int_t num, const char *l, const char *r,
    const char *type, const char *fid)
{
	if (streq(am, "btree") || streq(am, "hash"))
		return !streq(l, r) || (!op && num != 1) || (!streq(l, type) && !family_has_class(m, fid, l));
	if (streq(am, "gist"))
		return op || !(num == 1 || num == 2 || num == 5 || num == 6 || num == 7);
	if (streq(am, "spgist"))
		return op || num > 5;
	if (streq(am, "gin"))
		return op || !(num == 2 || num == 3);
	return 0;
}

/* Move the members of a new class's ops and fns that loose_member gives the family to fam (fid). */
static void
loosen(const struct model *m, const char *am, json_t *ops, json_t *fns, json_t *fam, const char *type,
    const char *fid)
{
	json_t *fo = json_deep_copy(J(fam, "operators")), *ff = json_deep_copy(J(fam, "functions"));

	if (!fo)
		fo = json_array();
	if (!ff)
		ff = json_array();
	for (size_t i = 0; i < json_array_size(ops);) {
		json_t *e = json_array_get(ops, i);
		char *l, *r;
		int lo;

		op_types(S(e, "operator"), &l, &r);
		lo = loose_member(m, am, 1, 0, l, r, type, fid);
		free(l), free(r);
		if (lo) {
			json_array_append(fo, e);
			json_array_remove(ops, i);
		} else {
			i++;
		}
	}
	for (size_t i = 0; i < json_array_size(fns);) {
		json_t *e = json_array_get(fns, i);

		if (loose_member(m, am, 0, json_integer_value(J(e, "number")), S(e, "lefttype"), S(e, "righttype"), type,
		    fid)) {
			json_array_append(ff, e);
			json_array_remove(fns, i);
		} else {
			i++;
		}
	}
	sort_members(fo);
	sort_members(ff);
	setarr(fam, "operators", fo);
	setarr(fam, "functions", ff);
}

static int
fold_opclass(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	const char *am = S(x, "amname"), *schema, *name;
	char *suffix = xasprintf("(%s)", am ? am : ""), *id, *type, *storage = NULL, *fid;
	json_t *r, *it, *ops = json_array(), *fns = json_array(), *fam;
	size_t i;
	int rc = MSQL_OK;

	id = new_qid(m, "opclass:", J(x, "opclassname"), suffix, cx, &schema, &name);
	free(suffix);
	if (!id) {
		json_decref(ops), json_decref(fns);
		return MSQL_ERR;
	}
	if (model_get(m, id)) {
		json_decref(ops), json_decref(fns);
		free(id);
		return err(cx, "operator class \"%s\" for access method \"%s\" already exists", name, am);
	}
	type = tname(m, J(x, "datatype"), cx);
	cx_am = am;
	json_array_foreach(J(x, "items"), i, it)
		if (rc == MSQL_OK)
			rc = add_item(m, N(it, "CreateOpClassItem"), type, ops, fns, &storage, cx);
	if (rc != MSQL_OK) {
		json_decref(ops), json_decref(fns);
		free(id), free(type), free(storage);
		return rc;
	}
	if (J(x, "opfamilyname"))
		fam = family(m, J(x, "opfamilyname"), am, 0, cx, &fid);
	else {
		/* the family of the class's own schema and name */
		json_t *own = json_pack("[{s:{s:s}}, {s:{s:s}}]", "String", "sval", schema, "String", "sval", name);

		fam = family(m, own, am, 1, cx, &fid);
		json_decref(own);
	}
	if (!fam) {
		json_decref(ops), json_decref(fns);
		free(id), free(type), free(storage);
		return MSQL_ERR;
	}
	loosen(m, am, ops, fns, fam, type, fid);
	r = model_put(m, "opclass", id);
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	json_object_set_new(r, "method", json_string(am));
	json_object_set_new(r, "type", json_string(type));
	setbool(r, "default", B(x, "isDefault"));
	json_object_set_new(r, "family", json_string(fid));
	if (storage && !streq(storage, type))
		setstr(r, "storage", storage);
	sort_members(ops);
	sort_members(fns);
	setarr(r, "operators", ops);
	setarr(r, "functions", fns);
	prov(r, cx);
	msql_default_acl(m, id, cx);
	free(id), free(type), free(storage), free(fid);
	return MSQL_OK;
}

static int
fold_opfamily(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	const char *am = S(x, "amname"), *schema, *name;
	char *suffix = xasprintf("(%s)", am ? am : ""), *id = new_qid(m, "opfamily:", J(x, "opfamilyname"), suffix, cx, &schema, &name);
	json_t *r;

	free(suffix);
	if (!id)
		return MSQL_ERR;
	if (model_get(m, id)) {
		free(id);
		return err(cx, "operator family \"%s\" for access method \"%s\" already exists", name, am);
	}
	r = model_put(m, "opfamily", id);
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	json_object_set_new(r, "method", json_string(am));
	prov(r, cx);
	msql_default_acl(m, id, cx);
	free(id);
	return MSQL_OK;
}

static int
fold_alter_opfamily(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	const char *am = S(x, "amname");
	char *fid, *storage = NULL;
	json_t *r = family(m, J(x, "opfamilyname"), am ? am : "", 0, cx, &fid), *it, *ops, *fns;
	size_t i;
	int rc = MSQL_OK;

	if (!r)
		return MSQL_ERR;
	ops = json_deep_copy(J(r, "operators"));
	fns = json_deep_copy(J(r, "functions"));
	if (!ops)
		ops = json_array();
	if (!fns)
		fns = json_array();
	cx_am = am;
	json_array_foreach(J(x, "items"), i, it) {
		json_t *ci = N(it, "CreateOpClassItem");

		if (rc != MSQL_OK)
			break;
		if (!B(x, "isDrop")) {
			rc = add_item(m, ci, NULL, ops, fns, &storage, cx);
			continue;
		}
		/* DROP OPERATOR n (l, r) / DROP FUNCTION n (l, r): by number and types */
		json_t *a = json_integer_value(J(ci, "itemtype")) == 1 ? ops : fns, *ta = J(ci, "class_args");
		char *l = tname(m, json_array_get(ta, 0), cx), *rt = tname(m, json_array_get(ta, json_array_size(ta) - 1), cx);
		const char *nk = a == ops ? "strategy" : "number";
		int found = 0;

		for (size_t k = 0; k < json_array_size(a); k++) {
			json_t *e = json_array_get(a, k);
			char *el, *er;

			if (a == ops)
				op_types(S(e, "operator"), &el, &er);
			else
				el = xstrdup(S(e, "lefttype")), er = xstrdup(S(e, "righttype"));
			if (json_integer_value(J(e, nk)) == json_integer_value(J(ci, "number")) && streq(el, l) && streq(er, rt)) {
				json_array_remove(a, k);
				found = 1;
			}
			free(el), free(er);
			if (found)
				break;
		}
		if (!found)
			rc = err(cx, "%s %lld(%s,%s) does not exist in operator family \"%s\"", a == ops ? "operator" : "function",
			    (long long)json_integer_value(J(ci, "number")), l, rt, S(r, "name"));
		free(l), free(rt);
	}
	if (rc == MSQL_OK) {
		sort_members(ops);
		sort_members(fns);
		setarr(r, "operators", json_incref(ops));
		setarr(r, "functions", json_incref(fns));
	}
	json_decref(ops), json_decref(fns);
	free(fid), free(storage);
	return rc;
}

/* ---- foreign data ---- */

/* A wrapper's HANDLER and VALIDATOR (func_options) into r: the handler takes no argument, the
   validator (text[], oid). */
static void
fdw_funcs(struct model *m, json_t *r, json_t *fo, const struct msql_ctx *cx)
{
	json_t *d;
	size_t i;

	json_array_foreach(fo, i, d) {
		json_t *de = N(d, "DefElem");
		const char *dn = S(de, "defname");
		json_t *names = items(J(de, "arg"));
		int h = streq(dn, "handler");
		char *fid = json_array_size(names) ? routine_id(m, names, h ? "" : "text[],oid", cx) : NULL;

		setstr(r, h ? "handler" : "validator", fid);
		free(fid);
	}
}

static int
fold_fdw(struct model *m, json_t *x, const struct msql_ctx *cx, int alter)
{
	char *q = model_ident(S(x, "fdwname")), *id = xasprintf("fdw:%s", q);
	json_t *r = model_get(m, id);
	int rc;

	free(q);
	if (alter && !r) {
		free(id);
		return err(cx, "foreign-data wrapper \"%s\" does not exist", S(x, "fdwname"));
	}
	if (!alter && r) {
		free(id);
		return err(cx, "foreign-data wrapper \"%s\" already exists", S(x, "fdwname"));
	}
	if (!alter) {
		r = model_put(m, "fdw", id);
		json_object_set_new(r, "name", json_string(S(x, "fdwname")));
		prov(r, cx);
		msql_default_acl(m, id, cx);
	}
	fdw_funcs(m, r, J(x, "func_options"), cx);
	rc = generic_options(r, J(x, "options"), 0, cx);
	free(id);
	return rc;
}

static int
fold_server(struct model *m, json_t *x, const struct msql_ctx *cx, int alter)
{
	char *q = model_ident(S(x, "servername")), *id = xasprintf("server:%s", q);
	json_t *r = model_get(m, id);
	int rc;

	free(q);
	if (alter && !r) {
		free(id);
		return err(cx, "server \"%s\" does not exist", S(x, "servername"));
	}
	if (!alter && r) {
		free(id);
		if (B(x, "if_not_exists")) {
			warnat(&cx->pos, "warning: server \"%s\" already exists, skipping", S(x, "servername"));
			return MSQL_OK;
		}
		return err(cx, "server \"%s\" already exists", S(x, "servername"));
	}
	if (!alter) {
		/* a wrapper the model lacks may be an extension's (postgres_fdw): not an error */
		r = model_put(m, "server", id);
		json_object_set_new(r, "name", json_string(S(x, "servername")));
		json_object_set_new(r, "fdw", json_string(S(x, "fdwname")));
		setstr(r, "type", S(x, "servertype"));
		setstr(r, "version", S(x, "version"));
		prov(r, cx);
		msql_default_acl(m, id, cx);
	} else if (B(x, "has_version")) {
		setstr(r, "version", S(x, "version"));
	}
	rc = generic_options(r, J(x, "options"), 0, cx);
	free(id);
	return rc;
}

/* The id of the user mapping of a statement: user_mapping:SERVER:ROLE (PUBLIC for public;
   CURRENT_USER and the like: the role conf-parse takes for it). */
static char *
mapping_id(json_t *x, const char **role)
{
	json_t *rs = N(J(x, "user"), "RoleSpec") ? N(J(x, "user"), "RoleSpec") : J(x, "user");
	const char *t = S(rs, "roletype");
	char *sq, *rq, *id;

	if (!t)
		return NULL;
	*role = msql_role_name(rs);
	sq = model_ident(S(x, "servername"));
	rq = streq(t, "ROLESPEC_PUBLIC") ? xstrdup("PUBLIC") : model_ident(*role);
	id = xasprintf("user_mapping:%s:%s", sq, rq);
	free(sq), free(rq);
	return id;
}

static int
fold_mapping(struct model *m, json_t *x, const struct msql_ctx *cx, int what)
{
	const char *role = NULL;
	char *id = mapping_id(x, &role), *sq, *sid;
	json_t *r;
	int rc = MSQL_OK;

	if (!id)
		return MSQL_UNMODELED;
	sq = model_ident(S(x, "servername"));
	sid = xasprintf("server:%s", sq);
	free(sq);
	if (!model_get(m, sid)) {
		rc = what == 2 && B(x, "missing_ok") ? MSQL_OK : err(cx, "server \"%s\" does not exist", S(x, "servername"));
		goto out;
	}
	r = model_get(m, id);
	if (what == 0 && r) {
		if (B(x, "if_not_exists"))
			warnat(&cx->pos, "warning: user mapping for \"%s\" already exists for server \"%s\", skipping", role,
			    S(x, "servername"));
		else
			rc = err(cx, "user mapping for \"%s\" already exists for server \"%s\"", role, S(x, "servername"));
		goto out;
	}
	if (what != 0 && !r) {
		if (what == 2 && B(x, "missing_ok"))
			warnat(&cx->pos, "warning: user mapping for \"%s\" does not exist for server \"%s\", skipping", role,
			    S(x, "servername"));
		else
			rc = err(cx, "user mapping for \"%s\" does not exist for server \"%s\"", role, S(x, "servername"));
		goto out;
	}
	if (what == 2) {
		model_del(m, id);
		goto out;
	}
	if (what == 0) {
		r = model_put(m, "user_mapping", id);
		json_object_set_new(r, "server", json_string(S(x, "servername")));
		json_object_set_new(r, "user", json_string(role));
		prov(r, cx);
	}
	rc = generic_options(r, J(x, "options"), 1, cx);
out:
	free(id), free(sid);
	return rc;
}

/* CREATE FOREIGN TABLE after modelsql.c made its table record: the server, the options of the
   table and of its columns. */
static int
foreign_table(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	json_t *base = J(x, "base"), *rv = J(base, "relation"), *r, *e;
	char *q = msql_resolve(m, rv, "table:", cx), *id = xasprintf("table:%s", q), *sq = model_ident(S(x, "servername"));
	char *sid = xasprintf("server:%s", sq);
	size_t i;
	int rc = MSQL_OK;

	free(q), free(sq);
	r = model_get(m, id);
	if (r) {
		json_object_set_new(r, "server", json_string(S(x, "servername")));
		rc = generic_options(r, J(x, "options"), 0, cx);
		json_array_foreach(J(base, "tableElts"), i, e) {
			json_t *cd = N(e, "ColumnDef"), *c;
			size_t k;

			if (!cd || !J(cd, "fdwoptions") || rc != MSQL_OK)
				continue;
			json_array_foreach(J(r, "columns"), k, c)
				if (streq(S(c, "name"), S(cd, "colname")))
					rc = generic_options(c, J(cd, "fdwoptions"), 0, cx);
		}
	}
	free(id), free(sid);
	return rc;
}

/* ALTER FOREIGN TABLE ... OPTIONS / ALTER COLUMN ... OPTIONS: the commands of an AlterTableStmt
   that are generic options; MSQL_PASS when there are other commands. */
static int
alter_foreign_options(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	json_t *c, *r;
	size_t i;
	char *q, *id;
	int rc = MSQL_OK;

	json_array_foreach(J(x, "cmds"), i, c)
		if (!streq(S(N(c, "AlterTableCmd"), "subtype"), "AT_GenericOptions")
		    && !streq(S(N(c, "AlterTableCmd"), "subtype"), "AT_AlterColumnGenericOptions"))
			return MSQL_PASS;
	q = msql_resolve(m, J(x, "relation"), "table:", cx);
	id = xasprintf("table:%s", q);
	free(q);
	r = model_get(m, id);
	free(id);
	if (!r || !streq(S(r, "relkind"), "foreign"))
		return MSQL_PASS;
	json_array_foreach(J(x, "cmds"), i, c) {
		json_t *cmd = N(c, "AlterTableCmd"), *col = NULL, *e;
		size_t k;

		if (rc != MSQL_OK)
			break;
		if (streq(S(cmd, "subtype"), "AT_GenericOptions")) {
			rc = generic_options(r, items(J(cmd, "def")), 0, cx);
			continue;
		}
		json_array_foreach(J(r, "columns"), k, e)
			if (streq(S(e, "name"), S(cmd, "name")))
				col = e;
		if (!col)
			rc = err(cx, "column \"%s\" of relation \"%s\" does not exist", S(cmd, "name"), S(r, "name"));
		else
			rc = generic_options(col, items(J(cmd, "def")), 0, cx);
	}
	return rc;
}

/* ---- languages and access methods ---- */

static int
fold_language(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	char *q = model_ident(S(x, "plname")), *id = xasprintf("language:%s", q), *f;
	json_t *r = model_get(m, id);

	free(q);
	/* without a handler it is CREATE EXTENSION of the language's extension */
	if (!J(x, "plhandler")) {
		free(id);
		return MSQL_UNMODELED;
	}
	if (r && !B(x, "replace")) {
		free(id);
		return err(cx, "language \"%s\" already exists", S(x, "plname"));
	}
	if (!r) {
		r = model_put(m, "language", id);
		msql_default_acl(m, id, cx);
	}
	json_object_set_new(r, "name", json_string(S(x, "plname")));
	setbool(r, "trusted", B(x, "pltrusted"));
	f = routine_id(m, J(x, "plhandler"), "", cx);
	setstr(r, "handler", f);
	free(f);
	f = J(x, "plinline") ? routine_id(m, J(x, "plinline"), "internal", cx) : NULL;
	setstr(r, "inline", f);
	free(f);
	f = J(x, "plvalidator") ? routine_id(m, J(x, "plvalidator"), "oid", cx) : NULL;
	setstr(r, "validator", f);
	free(f);
	prov(r, cx);
	free(id);
	return MSQL_OK;
}

static int
fold_am(struct model *m, json_t *x, const struct msql_ctx *cx)
{
	char *q = model_ident(S(x, "amname")), *id = xasprintf("access_method:%s", q), *f;
	json_t *r;

	free(q);
	if (model_get(m, id)) {
		free(id);
		return err(cx, "access method \"%s\" already exists", S(x, "amname"));
	}
	r = model_put(m, "access_method", id);
	json_object_set_new(r, "name", json_string(S(x, "amname")));
	json_object_set_new(r, "type", json_string(streq(S(x, "amtype"), "t") ? "table" : "index"));
	f = routine_id(m, J(x, "handler_name"), "internal", cx);
	setstr(r, "handler", f);
	free(f);
	prov(r, cx);
	free(id);
	return MSQL_OK;
}

/* ---- RENAME and SET SCHEMA ---- */

/* Replace string value from with to at key k of the objects in array a (and of a itself when it
   is an object). */
static void
swap_in(json_t *a, const char *k, const char *from, const char *to)
{
	size_t i;
	json_t *e;

	if (json_is_object(a)) {
		if (streq(S(a, k), from))
			json_object_set_new(a, k, json_string(to));
		return;
	}
	json_array_foreach(a, i, e)
		swap_in(e, k, from, to);
}

/* The record of old_id is now new_id (schema and name given): moved, and the records that name it
   say the new name (a server's wrapper, a table's and a mapping's server, a configuration's
   dictionaries, a class's family, the class of an index key, an exclusion element or a partition
   key, a routine's language). */
static void
move_obj(struct model *m, const char *old_id, const char *new_id, const char *schema, const char *name)
{
	json_t *r = json_deep_copy(model_get(m, old_id)), *e;
	const char **ids;
	const char *kind = S(r, "kind");
	char *oq = NULL, *nq = NULL;

	if (!r)
		return;
	/* the names the other records hold: bare (wrappers, servers, languages) or schema.name */
	if (streq(kind, "fdw") || streq(kind, "server") || streq(kind, "language")) {
		oq = xstrdup(S(r, "name"));
		nq = xstrdup(name);
	} else if (S(r, "schema")) {
		oq = model_qname(S(r, "schema"), S(r, "name"));
		nq = model_qname(schema, name);
	}
	json_object_set_new(r, "id", json_string(new_id));
	json_object_set_new(r, "name", json_string(name));
	if (schema)
		json_object_set_new(r, "schema", json_string(schema));
	model_del(m, old_id);
	model_add(m, r);
	msql_retarget(m, old_id, new_id);
	ids = model_ids(m);
	for (size_t i = 0; ids[i] && oq; i++) {
		json_t *x = model_get(m, ids[i]);
		const char *k = S(x, "kind");

		if (streq(kind, "fdw") && streq(k, "server"))
			swap_in(x, "fdw", oq, nq);
		else if (streq(kind, "server") && streq(k, "table"))
			swap_in(x, "server", oq, nq);
		else if (streq(kind, "language") && (streq(k, "function") || streq(k, "procedure")) && streq(S(x, "language"), oq))
			json_object_set_new(x, "language", json_string(nq));
		else if (streq(kind, "opfamily") && (streq(k, "opclass") || streq(k, "opfamily"))) {
			swap_in(x, "family", old_id, new_id);
			swap_in(J(x, "operators"), "order_by", old_id, new_id);
		} else if (streq(kind, "ts_template") && streq(k, "ts_dict"))
			swap_in(x, "template", oq, nq);
		else if (streq(kind, "ts_parser") && streq(k, "ts_config"))
			swap_in(x, "parser", oq, nq);
		else if (streq(kind, "opclass") && streq(k, "index"))
			swap_in(J(x, "keys"), "opclass", oq, nq);
		else if (streq(kind, "opclass") && streq(k, "table")) {
			size_t j;

			/* an exclusion constraint's elements and a partition key hold the class too */
			json_array_foreach(J(x, "constraints"), j, e)
				swap_in(J(e, "elements"), "opclass", oq, nq);
			swap_in(J(J(x, "partition_by"), "keys"), "opclass", oq, nq);
		}
		else if (streq(kind, "ts_dict") && streq(k, "ts_config")) {
			size_t j;

			json_array_foreach(J(x, "mappings"), j, e)
				for (size_t d = 0; d < json_array_size(J(e, "dictionaries")); d++)
					if (streq(json_string_value(json_array_get(J(e, "dictionaries"), d)), oq))
						json_array_set_new(J(e, "dictionaries"), d, json_string(nq));
		}
	}
	free(ids);
	/* a server's user mappings are named by it */
	if (streq(kind, "server")) {
		ids = model_ids(m);
		for (size_t i = 0; ids[i]; i++) {
			json_t *x = model_get(m, ids[i]);

			if (streq(S(x, "kind"), "user_mapping") && streq(S(x, "server"), oq)) {
				json_t *c = json_deep_copy(x);
				char *sq = model_ident(nq), *rq = streq(S(c, "user"), "PUBLIC") ? xstrdup("PUBLIC") : model_ident(S(c, "user"));
				char *mid = xasprintf("user_mapping:%s:%s", sq, rq);

				json_object_set_new(c, "server", json_string(nq));
				json_object_set_new(c, "id", json_string(mid));
				model_del(m, ids[i]);
				model_add(m, c);
				free(sq), free(rq), free(mid);
			}
		}
		free(ids);
	}
	free(oq), free(nq);
}

/* ALTER ... RENAME TO and ALTER ... SET SCHEMA of these kinds. */
static int
fold_move(struct model *m, const char *ot, json_t *obj, const char *newname, const char *newschema,
    const struct msql_ctx *cx)
{
	char *id = obj_id(m, ot, obj, cx), *nid, *q;
	json_t *r;
	const char *p, *args;
	int rc = MSQL_OK;

	if (!id)
		return MSQL_UNMODELED;
	if (!(r = model_get(m, id))) {
		rc = missing(ot, id, cx);
		free(id);
		return rc;
	}
	p = strchr(id, ':');
	args = strrchr(id, '(');
	if (!S(r, "schema") && newschema) {
		free(id);
		return MSQL_UNMODELED;
	}
	q = S(r, "schema") ? model_qname(newschema ? newschema : S(r, "schema"), newname ? newname : S(r, "name"))
	                   : model_ident(newname);
	nid = xasprintf("%.*s%s%s", (int)(p - id + 1), id, q, args && (starts_op(id)) ? args : "");
	free(q);
	if (newschema) {
		char *sq = model_ident(newschema), *sid = xasprintf("schema:%s", sq);

		if (!model_get(m, sid))
			rc = err(cx, "schema \"%s\" does not exist", newschema);
		free(sq), free(sid);
	}
	if (rc == MSQL_OK && strcmp(nid, id) != 0 && model_get(m, nid))
		rc = err(cx, "%s \"%s\" already exists", missing_what(ot), newname ? newname : S(r, "name"));
	if (rc == MSQL_OK)
		move_obj(m, id, nid, S(r, "schema") ? (newschema ? newschema : S(r, "schema")) : NULL,
		    newname ? newname : S(r, "name"));
	free(id), free(nid);
	return rc;
}

/* ---- the dispatcher of this part ---- */

/* Whether an ObjectType is one of this file's kinds. */
static int
ext_type(const char *ot)
{
	static const char *const t[] = { "OBJECT_FDW", "OBJECT_FOREIGN_SERVER", "OBJECT_LANGUAGE", "OBJECT_ACCESS_METHOD",
		"OBJECT_TSCONFIGURATION", "OBJECT_TSDICTIONARY", "OBJECT_OPCLASS", "OBJECT_OPFAMILY", "OBJECT_TSPARSER",
		"OBJECT_TSTEMPLATE", NULL };

	for (size_t i = 0; t[i]; i++)
		if (streq(ot, t[i]))
			return 1;
	return 0;
}

int
msql_fold_ext(struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	const char *t = ntype(stmt);
	json_t *x = ninner(stmt);

	if (streq(t, "DefineStmt") && (streq(S(x, "kind"), "OBJECT_TSCONFIGURATION") || streq(S(x, "kind"), "OBJECT_TSDICTIONARY")))
		return fold_define_ts(m, x, cx);
	if (streq(t, "DefineStmt") && (streq(S(x, "kind"), "OBJECT_TSPARSER") || streq(S(x, "kind"), "OBJECT_TSTEMPLATE")))
		return fold_define_tsfuncs(m, x, cx);
	if (streq(t, "AlterTSDictionaryStmt"))
		return fold_alter_dict(m, x, cx);
	if (streq(t, "AlterTSConfigurationStmt"))
		return fold_alter_config(m, x, cx);
	if (streq(t, "CreateOpClassStmt"))
		return fold_opclass(m, x, cx);
	if (streq(t, "CreateOpFamilyStmt"))
		return fold_opfamily(m, x, cx);
	if (streq(t, "AlterOpFamilyStmt"))
		return fold_alter_opfamily(m, x, cx);
	if (streq(t, "CreateFdwStmt"))
		return fold_fdw(m, x, cx, 0);
	if (streq(t, "AlterFdwStmt"))
		return fold_fdw(m, x, cx, 1);
	if (streq(t, "CreateForeignServerStmt"))
		return fold_server(m, x, cx, 0);
	if (streq(t, "AlterForeignServerStmt"))
		return fold_server(m, x, cx, 1);
	if (streq(t, "CreateUserMappingStmt"))
		return fold_mapping(m, x, cx, 0);
	if (streq(t, "AlterUserMappingStmt"))
		return fold_mapping(m, x, cx, 1);
	if (streq(t, "DropUserMappingStmt"))
		return fold_mapping(m, x, cx, 2);
	if (streq(t, "ImportForeignSchemaStmt")) {
		warnat(&cx->pos, "warning: IMPORT FOREIGN SCHEMA reads the remote server's catalog: the tables it creates are not in the model");
		return MSQL_UNMODELED;
	}
	if (streq(t, "CreatePLangStmt"))
		return fold_language(m, x, cx);
	if (streq(t, "CreateAmStmt"))
		return fold_am(m, x, cx);
	if (streq(t, "AlterTableStmt") && streq(S(x, "objtype"), "OBJECT_FOREIGN_TABLE"))
		return alter_foreign_options(m, x, cx);
	if (streq(t, "DropStmt") && ext_type(S(x, "removeType")))
		return fold_drop(m, x, cx);
	if (streq(t, "CommentStmt") && ext_type(S(x, "objtype")))
		return fold_comment(m, x, cx);
	if (streq(t, "AlterOwnerStmt") && ext_type(S(x, "objectType")))
		return fold_owner(m, x, cx);
	if (streq(t, "RenameStmt") && ext_type(S(x, "renameType")))
		return fold_move(m, S(x, "renameType"), J(x, "object"), S(x, "newname"), NULL, cx);
	if (streq(t, "AlterObjectSchemaStmt") && ext_type(S(x, "objectType")))
		return fold_move(m, S(x, "objectType"), J(x, "object"), NULL, S(x, "newschema"), cx);
	return MSQL_PASS;
}

int
msql_fold_ext_after(struct model *m, json_t *stmt, int rc, const struct msql_ctx *cx)
{
	if (rc == MSQL_OK && streq(ntype(stmt), "CreateForeignTableStmt"))
		return foreign_table(m, ninner(stmt), cx);
	return rc;
}
