/* The part of the schema model built from SQL for aggregates, operators, casts, collations and
   extended statistics (conf-formats(5)); modelsql_obj.c hands these statements here first. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "fsx.h"
#include "model.h"
#include "modelsql.h"
#include "msqltree.h"
#include "pgnames.h"
#include "stmtinfo.h"

/* ---- small helpers (the tree readers are msqltree.h's) ---- */

static void
prov(json_t *rec, const struct msql_ctx *cx)
{
	if (cx->pos.file)
		json_object_set_new(rec, "file", json_string(cx->pos.file));
	json_object_set_new(rec, "line", json_integer(cx->pos.line));
	json_object_set_new(rec, "col", json_integer(cx->pos.col));
}

static int err(const struct msql_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A message at the statement, as PostgreSQL would reject it; MSQL_ERR. */
static int
err(const struct msql_ctx *cx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(&cx->pos, fmt, ap);
	va_end(ap);
	return MSQL_ERR;
}

/* The DefElem body named name in a definition list, or NULL. */
static json_t *
def_get(json_t *defs, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(defs, i, e) {
		json_t *d = N(e, "DefElem");

		if (d && streq(S(d, "defname"), name))
			return d;
	}
	return NULL;
}

/* The text of a definition's value as defGetString reads it: a string, a number, a name. */
static char *
def_string(json_t *d)
{
	json_t *a = J(d, "arg"), *in;

	if (!a)
		return NULL;
	if (sval(a))
		return xstrdup(sval(a));
	if ((in = N(a, "Integer")))
		return xasprintf("%lld", (long long)json_integer_value(J(in, "ival")));
	if ((in = N(a, "Float")))
		return xstrdup(S(in, "fval") ? S(in, "fval") : "0");
	if ((in = N(a, "Boolean")))
		return xstrdup(B(in, "boolval") ? "true" : "false");
	if ((in = N(a, "TypeName"))) {
		json_t *names = J(in, "names");

		return xstrdup(sval(json_array_get(names, json_array_size(names) - 1)) ? sval(json_array_get(names,
		    json_array_size(names) - 1)) : "");
	}
	return NULL;
}

/* A boolean definition as defGetBoolean reads it (no value: true). */
static int
def_bool(json_t *d)
{
	char *s = def_string(d);
	int v = !s || streq(s, "true") || streq(s, "on") || streq(s, "1") || streq(s, "t") || streq(s, "yes");

	free(s);
	return v;
}

/* ---- names and types ---- */

struct tctx {
	const struct model *m;
	const struct msql_ctx *cx;
};

/* pgn_type_fn: the schema of a user type on the search path. */
static const char *
type_schema(const char *name, void *ctx)
{
	static const char *const kinds[] = { "type", "domain", "table", "view", "matview", NULL };
	struct tctx *t = ctx;
	const struct strv *sv = &t->cx->sp->schemas;

	for (size_t i = 0; i < sv->n; i++) {
		char *q = model_qname(sv->v[i], name);

		for (size_t k = 0; kinds[k]; k++) {
			char *id = xasprintf("%s:%s", kinds[k], q);
			int found = model_get(t->m, id) != NULL;

			free(id);
			if (found) {
				free(q);
				return sv->v[i];
			}
		}
		free(q);
	}
	return NULL;
}

/* The canonical name of a TypeName node (bare or as a node) without its type modifier, as
   format_type prints a routine's argument type. */
static char *
ftname(const struct model *m, json_t *tn, const struct msql_ctx *cx)
{
	struct tctx t = { m, cx };
	json_t *in = N(tn, "TypeName"), *c;
	char *r;

	{
		/* "any" is a reserved word: format_type quotes it */
		json_t *names = J(in ? in : tn, "names");
		const char *last = sval(json_array_get(names, json_array_size(names) - 1));

		if (streq(last, "any") && (json_array_size(names) == 1 || streq(sval(json_array_get(names, 0)), "pg_catalog")))
			return xstrdup("\"any\"");
	}
	c = json_deep_copy(in ? in : tn);
	json_object_del(c, "typmods");
	json_object_set_new(c, "typemod", json_integer(-1));
	r = pgn_type_name(c, type_schema, &t, spath_first(cx->sp));
	json_decref(c);
	if (streq(r, "bpchar") || streq(r, "bpchar[]")) {
		char *x = xasprintf("character%s", r + 6);

		free(r);
		r = x;
	}
	return r;
}

/* The schema and name of a name list ([schema.]name); 0, or -1 for another length. */
static int
split_names(json_t *names, const char **schema, const char **name)
{
	size_t n = json_array_size(names);

	if (n < 1 || n > 2)
		return -1;
	*schema = n == 2 ? sval(json_array_get(names, 0)) : NULL;
	*name = sval(json_array_get(names, n - 1));
	return *name ? 0 : -1;
}

/* Every id of the model that starts with pre, into out. */
static void
ids_with(const struct model *m, const char *pre, struct strv *out)
{
	const char **ids = model_ids(m);

	for (size_t i = 0; ids[i]; i++)
		if (starts(ids[i], pre))
			strv_add(out, ids[i]);
	free(ids);
}

/* The number of comma-separated types in an id's argument list "(a,b)" (quotes and parentheses
   of typmods respected). */
static int
id_nargs(const char *id)
{
	const char *p = NULL;
	int n = 0, depth = 0, q = 0;

	/* the argument list starts at the first '(' outside quotes */
	for (const char *s = id; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (!q && *s == '(' && !p)
			p = s;
	}
	if (!p || p[1] == ')')
		return 0;
	n = 1;
	q = 0;
	for (const char *s = p + 1; *s; s++) {
		if (*s == '"')
			q = !q;
		else if (!q && *s == '(')
			depth++;
		else if (!q && *s == ')' && depth-- == 0)
			break;
		else if (!q && *s == ',' && depth == 0)
			n++;
	}
	return n;
}

/* A support function named by a TypeName/name list in a definition, called with the types of
   sig (nargs of them, comma-separated): the id of the model's function that PostgreSQL would
   find (its exact signature, else the one overload of that name and number of arguments), the
   id it would have when it is named in a schema of the user's, else its bare name (a built-in
   function: pg_catalog's come first on the path). NULL when names is not a name. */
static char *
support_func(const struct model *m, json_t *names, const char *sig, int nargs, const struct msql_ctx *cx)
{
	const char *schema, *name;
	const struct strv *sv = &cx->sp->schemas;
	char *found = NULL;

	if (N(names, "TypeName"))
		names = J(N(names, "TypeName"), "names");
	else if (items(names))
		names = items(names);
	if (split_names(names, &schema, &name) != 0)
		return NULL;
	if (streq(schema, "pg_catalog"))
		return xstrdup(name);
	for (size_t i = 0; i < (schema ? 1 : sv->n) && !found; i++) {
		char *q = model_qname(schema ? schema : sv->v[i], name), *id = xasprintf("function:%s(%s)", q, sig);
		char *pre = xasprintf("function:%s(", q);
		struct strv c = { 0 }, fit = { 0 };

		if (model_get(m, id)) {
			found = id;
			id = NULL;
		} else {
			ids_with(m, pre, &c);
			for (size_t k = 0; k < c.n; k++)
				if (id_nargs(c.v[k]) == nargs)
					strv_add(&fit, c.v[k]);
			if (fit.n == 1)
				found = xstrdup(fit.v[0]);
		}
		if (!found && schema)
			found = xstrdup(id);
		free(q), free(id), free(pre);
		strv_free(&c), strv_free(&fit);
	}
	return found ? found : xstrdup(name);
}

/* The id of an operator: operator:S.N(L,R), L NONE for a prefix operator, N unquoted. */
static char *
opr_id(const char *schema, const char *name, const char *left, const char *right)
{
	char *q = model_opr_qname(schema, name), *id = xasprintf("operator:%s(%s,%s)", q, left ? left : "NONE",
	    right ? right : "NONE");

	free(q);
	return id;
}

/* An operator named by a name list (COMMUTATOR = ..., SORTOP = ..., OPERATOR(s.x)) with these
   argument types: the model's operator:S.N(L,R) along the path, the id it would have when its
   schema is given and is not pg_catalog, else its bare name (a built-in operator). */
static char *
opr_ref(const struct model *m, json_t *names, const char *left, const char *right, const char *dflt_schema,
    const struct msql_ctx *cx)
{
	const char *schema, *name;
	const struct strv *sv = &cx->sp->schemas;

	if (items(names))
		names = items(names);
	if (split_names(names, &schema, &name) != 0)
		return NULL;
	if (streq(schema, "pg_catalog"))
		return xstrdup(name);
	for (size_t i = 0; i < (schema ? 1 : sv->n); i++) {
		char *id = opr_id(schema ? schema : sv->v[i], name, left, right);

		if (model_get(m, id))
			return id;
		free(id);
	}
	/* a commutator or negator not made yet: PostgreSQL makes a shell in the operator's schema */
	if (schema || dflt_schema)
		return opr_id(schema ? schema : dflt_schema, name, left, right);
	return xstrdup(name);
}

/* The name an exclusion constraint's operator has in the model: S.N (unquoted N) of the model's
   operator of that name along the path (or of the schema written), pg_catalog's bare. */
char *
msql_agg_opr_name(const struct model *m, json_t *names, const struct msql_ctx *cx)
{
	const char *schema, *name;
	const struct strv *sv = &cx->sp->schemas;

	if (split_names(items(names) ? items(names) : names, &schema, &name) != 0)
		return xstrdup("");
	if (schema)
		return streq(schema, "pg_catalog") ? xstrdup(name) : model_opr_qname(schema, name);
	for (size_t i = 0; i < sv->n; i++) {
		char *q = model_opr_qname(sv->v[i], name), *pre = xasprintf("operator:%s(", q);
		struct strv c = { 0 };

		ids_with(m, pre, &c);
		free(pre);
		if (c.n) {
			strv_free(&c);
			return q;
		}
		free(q);
	}
	return xstrdup(name);
}

/* ---- new records ---- */

static json_t *
new_rec(struct model *m, const char *kind, const char *id, const char *schema, const char *name,
    const struct msql_ctx *cx)
{
	json_t *r = model_put(m, kind, id);

	if (schema)
		json_object_set_new(r, "schema", json_string(schema));
	if (name)
		json_object_set_new(r, "name", json_string(name));
	prov(r, cx);
	return r;
}

/* The schema a new object named by names goes to (its own, else the first of the path), which
   must exist; NULL after PostgreSQL's message. */
static const char *
new_schema(const struct model *m, const char *schema, const struct msql_ctx *cx)
{
	const char *s = schema ? schema : spath_first(cx->sp);
	char *q = model_ident(s ? s : ""), *id = xasprintf("schema:%s", q);
	int ok = model_get(m, id) != NULL;

	free(q), free(id);
	if (!s) {
		err(cx, "no schema has been selected to create in");
		return NULL;
	}
	if (!ok) {
		err(cx, "schema \"%s\" does not exist", s);
		return NULL;
	}
	return s;
}

/* ---- aggregates ---- */

/* The record of CREATE AGGREGATE (new and old syntax). */
static int
fold_aggregate(struct model *m, json_t *d, const struct msql_ctx *cx)
{
	json_t *defs = J(d, "definition"), *args = J(d, "args"), *a, *fa, *rec, *ja;
	const char *schema, *name;
	struct buf sig = { 0 }, aggsig = { 0 };
	int ndirect = -1, nargs = 0, naggr = 0, hypo, ordered, replace = B(d, "replace");
	size_t i;
	char *q, *id, *stype = NULL, *mstype = NULL;
	static const char *const plain[] = { "initcond", "minitcond", NULL };

	if (split_names(J(d, "defnames"), &schema, &name) != 0 || !(schema = new_schema(m, schema, cx)))
		return MSQL_ERR;
	ja = json_array();
	buf_puts(&sig, "");
	buf_puts(&aggsig, "");
	if (json_is_array(args)) {
		json_t *l = items(json_array_get(args, 0)), *nd = N(json_array_get(args, 1), "Integer");

		ndirect = nd ? (int)json_integer_value(J(nd, "ival")) : -1;
		/* libpg_query's JSON leaves out an ival of 0 and of -1 alike: (ORDER BY t) has 0 direct
		   arguments, a plain aggregate's -1; the text tells them apart */
		if (nd && !J(nd, "ival")) {
			json_t *fp0 = N(json_array_get(l, 0), "FunctionParameter");
			json_int_t loc = json_integer_value(J(J(fp0, "argType"), "location"));

			ndirect = -1;
			if (fp0 && loc > 0 && (size_t)loc <= strlen(cx->sql)) {
				const char *open = NULL;

				for (const char *p = cx->sql; p < cx->sql + loc; p++)
					if (*p == '(')
						open = p;
				for (const char *p = open; p && p + 5 <= cx->sql + loc; p++)
					if (!strncasecmp(p, "order", 5))
						ndirect = 0;
			}
		}
		json_array_foreach(l, i, a) {
			json_t *fp = N(a, "FunctionParameter"), *o = json_object();
			char *t = ftname(m, J(fp, "argType"), cx);
			const char *mode = S(fp, "mode");

			if (S(fp, "name"))
				setstr(o, "name", S(fp, "name"));
			setstr(o, "type", t);
			if (streq(mode, "FUNC_PARAM_VARIADIC"))
				setstr(o, "mode", "variadic");
			json_array_append_new(ja, o);
			buf_printf(&sig, "%s%s", nargs++ ? "," : "", t);
			if ((int)i >= ndirect) {
				buf_printf(&aggsig, "%s%s", naggr ? "," : "", t);
				naggr++;
			}
			free(t);
		}
	} else {
		/* old syntax: BASETYPE, 'ANY' for an aggregate of (*) */
		json_t *bt = J(def_get(defs, "basetype"), "arg");
		json_t *tn = N(bt, "TypeName");
		const char *bs = NULL, *bn = NULL;

		if (tn && !(split_names(J(tn, "names"), &bs, &bn) == 0 && !bs && !strcasecmp(bn, "any"))) {
			char *t = ftname(m, tn, cx);

			json_array_append_new(ja, json_pack("{ss}", "type", t));
			buf_puts(&sig, t);
			buf_puts(&aggsig, t);
			nargs = naggr = 1;
			free(t);
		}
	}
	q = model_qname(schema, name);
	id = xasprintf("aggregate:%s(%s)", q, sig.data);
	free(q);
	{
		char *fid = xasprintf("function:%s", id + strlen("aggregate:"));
		int clash = model_get(m, fid) != NULL;

		free(fid);
		if (clash || (model_get(m, id) && !replace)) {
			int rc = err(cx, "function \"%s\" already exists with same argument types", name);

			free(id), json_decref(ja), buf_free(&sig), buf_free(&aggsig);
			return rc;
		}
	}
	hypo = def_get(defs, "hypothetical") != NULL;
	/* the grammar marks a plain aggregate's list with -1 (an Integer without ival is 0) */
	ordered = ndirect >= 0;
	{
		json_t *st = J(def_get(defs, "stype"), "arg"), *mst = J(def_get(defs, "mstype"), "arg");

		if (!N(st, "TypeName")) {
			free(id), json_decref(ja), buf_free(&sig), buf_free(&aggsig);
			return err(cx, "aggregate stype must be specified");
		}
		stype = ftname(m, st, cx);
		mstype = N(mst, "TypeName") ? ftname(m, mst, cx) : NULL;
	}
	{
		int had = model_get(m, id) != NULL;

		rec = new_rec(m, "aggregate", id, schema, name, cx);
		if (json_array_size(ja))
			json_object_set(rec, "args", ja);
		setbool(rec, "ordered_set", ordered);
		if (ordered && ndirect > 0)
			json_object_set_new(rec, "direct_args", json_integer(ndirect));
		setbool(rec, "hypothetical", hypo);
		setstr(rec, "stype", stype);
		setstr(rec, "mstype", mstype);
		/* the support functions, by the arguments PostgreSQL looks them up with */
		{
			struct buf s1 = { 0 }, s2 = { 0 };
			char *fn;
			/* transition: (stype, aggregated args) -- an ordered set's direct ones are not passed */
			const char *asig = aggsig.data;
			int aggn = naggr;

			buf_printf(&s1, "%s%s%s", stype, aggn ? "," : "", asig);
			if ((fa = J(def_get(defs, "sfunc"), "arg")) && (fn = support_func(m, fa, s1.data, aggn + 1, cx)))
				setstr(rec, "sfunc", fn), free(fn);
			if (mstype) {
				buf_printf(&s2, "%s%s%s", mstype, aggn ? "," : "", asig);
				if ((fa = J(def_get(defs, "msfunc"), "arg")) && (fn = support_func(m, fa, s2.data, aggn + 1, cx)))
					setstr(rec, "msfunc", fn), free(fn);
				if ((fa = J(def_get(defs, "minvfunc"), "arg")) && (fn = support_func(m, fa, s2.data, aggn + 1, cx)))
					setstr(rec, "minvfunc", fn), free(fn);
			}
			/* final: (stype) or, with FINALFUNC_EXTRA, (stype, args...) */
			{
				int extra = def_get(defs, "finalfunc_extra") != NULL, mextra = def_get(defs, "mfinalfunc_extra") != NULL;
				char *f1 = xasprintf("%s%s%s", stype, extra && nargs ? "," : "", extra ? sig.data : "");
				char *f2 = mstype ? xasprintf("%s%s%s", mstype, mextra && nargs ? "," : "", mextra ? sig.data : "") : NULL;

				if ((fa = J(def_get(defs, "finalfunc"), "arg")) && (fn = support_func(m, fa, f1, extra ? nargs + 1 : 1, cx)))
					setstr(rec, "finalfunc", fn), free(fn);
				if (f2 && (fa = J(def_get(defs, "mfinalfunc"), "arg")) &&
				    (fn = support_func(m, fa, f2, mextra ? nargs + 1 : 1, cx)))
					setstr(rec, "mfinalfunc", fn), free(fn);
				setbool(rec, "finalfunc_extra", extra);
				setbool(rec, "mfinalfunc_extra", mextra);
				free(f1), free(f2);
			}
			{
				char *c2 = xasprintf("%s,%s", stype, stype);

				if ((fa = J(def_get(defs, "combinefunc"), "arg")) && (fn = support_func(m, fa, c2, 2, cx)))
					setstr(rec, "combinefunc", fn), free(fn);
				free(c2);
			}
			if ((fa = J(def_get(defs, "serialfunc"), "arg")) && (fn = support_func(m, fa, "internal", 1, cx)))
				setstr(rec, "serialfunc", fn), free(fn);
			if ((fa = J(def_get(defs, "deserialfunc"), "arg")) && (fn = support_func(m, fa, "bytea,internal", 2, cx)))
				setstr(rec, "deserialfunc", fn), free(fn);
			buf_free(&s1), buf_free(&s2);
		}
		for (size_t k = 0; plain[k]; k++) {
			json_t *dd = def_get(defs, plain[k]);
			char *v = dd ? def_string(dd) : NULL;

			setstr(rec, plain[k], v);
			free(v);
		}
		{
			static const char *const sp[] = { "sspace", "msspace", NULL };

			for (size_t k = 0; sp[k]; k++) {
				json_t *dd = def_get(defs, sp[k]);
				char *v = dd ? def_string(dd) : NULL;
				long long n = v ? strtoll(v, NULL, 10) : 0;

				if (n)
					json_object_set_new(rec, sp[k], json_integer(n));
				else
					json_object_del(rec, sp[k]);
				free(v);
			}
		}
		{
			static const char *const fm[] = { "finalfunc_modify", "mfinalfunc_modify", NULL };

			for (size_t k = 0; fm[k]; k++) {
				json_t *dd = def_get(defs, fm[k]);
				char *v = dd ? def_string(dd) : NULL;
				/* the default: read_only, read_write for an ordered-set aggregate */
				const char *dflt = ordered ? "read_write" : "read_only";

				for (char *p = v; p && *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p - 'A' + 'a');
				setstr(rec, fm[k], v && !streq(v, dflt) ? v : NULL);
				free(v);
			}
		}
		{
			json_t *dd = def_get(defs, "sortop");
			char *v = NULL;

			if (dd && nargs == 1) {
				json_t *t0 = json_array_get(ja, 0);

				v = opr_ref(m, J(dd, "arg"), S(t0, "type"), S(t0, "type"), NULL, cx);
			}
			setstr(rec, "sortop", v);
			free(v);
		}
		{
			json_t *dd = def_get(defs, "parallel");
			char *v = dd ? def_string(dd) : NULL;

			for (char *p = v; p && *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			setstr(rec, "parallel", v && !streq(v, "unsafe") ? v : NULL);
			free(v);
		}
		if (!had)
			msql_default_acl(m, id, cx);
	}
	free(stype), free(mstype);
	free(id);
	json_decref(ja);
	buf_free(&sig);
	buf_free(&aggsig);
	return MSQL_OK;
}

/* The id of the aggregate an ObjectWithArgs names (DROP, ALTER, COMMENT ON AGGREGATE): its
   schema on the path, its argument types (an ordered set's direct and aggregated ones together;
   none for (*)). The id it would have when it is not in the model. */
static char *
agg_owa_id(const struct model *m, json_t *owa, const struct msql_ctx *cx)
{
	json_t *o = N(owa, "ObjectWithArgs"), *a;
	const char *schema, *name;
	struct buf sig = { 0 };
	size_t i;
	char *first = NULL;

	if (o)
		owa = o;
	if (split_names(J(owa, "objname"), &schema, &name) != 0)
		return NULL;
	buf_puts(&sig, "");
	json_array_foreach(J(owa, "objargs"), i, a) {
		char *t = ftname(m, a, cx);

		buf_printf(&sig, "%s%s", i ? "," : "", t);
		free(t);
	}
	for (size_t p = 0; p < (schema ? 1 : cx->sp->schemas.n); p++) {
		char *q = model_qname(schema ? schema : cx->sp->schemas.v[p], name);
		char *id = xasprintf("aggregate:%s(%s)", q, sig.data);

		free(q);
		if (model_get(m, id)) {
			free(first);
			buf_free(&sig);
			return id;
		}
		if (!first)
			first = id;
		else
			free(id);
	}
	if (!first) {
		char *q = model_qname(spath_first(cx->sp) ? spath_first(cx->sp) : "public", name);

		first = xasprintf("aggregate:%s(%s)", q, sig.data);
		free(q);
	}
	buf_free(&sig);
	return first;
}

/* ---- operators ---- */

/* The id of the operator an ObjectWithArgs names (DROP OPERATOR, COMMENT ON OPERATOR). */
static char *
opr_owa_id(const struct model *m, json_t *owa, const struct msql_ctx *cx)
{
	json_t *o = N(owa, "ObjectWithArgs"), *args;
	const char *schema, *name;
	char *l = NULL, *r = NULL, *id = NULL;

	if (o)
		owa = o;
	if (split_names(J(owa, "objname"), &schema, &name) != 0)
		return NULL;
	args = J(owa, "objargs");
	/* NONE is a missing TypeName: the list has one element for a prefix operator */
	if (json_array_size(args) == 2) {
		json_t *a0 = json_array_get(args, 0), *a1 = json_array_get(args, 1);

		l = N(a0, "TypeName") ? ftname(m, a0, cx) : NULL;
		r = N(a1, "TypeName") ? ftname(m, a1, cx) : NULL;
	} else if (json_array_size(args) == 1) {
		r = ftname(m, json_array_get(args, 0), cx);
	}
	for (size_t p = 0; p < (schema ? 1 : cx->sp->schemas.n) && !id; p++) {
		char *x = opr_id(schema ? schema : cx->sp->schemas.v[p], name, l, r);

		if (model_get(m, x))
			id = x;
		else
			free(x);
	}
	if (!id)
		id = opr_id(schema ? schema : spath_first(cx->sp) ? spath_first(cx->sp) : "public", name, l, r);
	free(l), free(r);
	return id;
}

/* CREATE OPERATOR, and ALTER OPERATOR ... SET (alter: the record of id). */
static int
fold_operator(struct model *m, json_t *d, const struct msql_ctx *cx)
{
	json_t *defs = J(d, "definition"), *rec, *e;
	const char *schema, *name;
	char *left = NULL, *right = NULL, *id, *fn = NULL, *sig;
	size_t i;

	if (split_names(J(d, "defnames"), &schema, &name) != 0 || !(schema = new_schema(m, schema, cx)))
		return MSQL_ERR;
	if (def_get(defs, "leftarg"))
		left = ftname(m, J(def_get(defs, "leftarg"), "arg"), cx);
	if (def_get(defs, "rightarg"))
		right = ftname(m, J(def_get(defs, "rightarg"), "arg"), cx);
	if (!right) {
		free(left);
		return err(cx, left ? "operator right argument type must be specified" : "operator argument types must be specified");
	}
	if (!def_get(defs, "function") && !def_get(defs, "procedure")) {
		free(left), free(right);
		return err(cx, "operator function must be specified");
	}
	id = opr_id(schema, name, left, right);
	rec = model_get(m, id);
	if (rec && S(rec, "function")) {
		int rc = err(cx, "operator %s already exists", name);

		free(left), free(right), free(id);
		return rc;
	}
	rec = new_rec(m, "operator", id, schema, name, cx);
	setstr(rec, "left", left);
	setstr(rec, "right", right);
	sig = left ? xasprintf("%s,%s", left, right) : xstrdup(right);
	fn = support_func(m, J(def_get(defs, def_get(defs, "function") ? "function" : "procedure"), "arg"), sig,
	    left ? 2 : 1, cx);
	setstr(rec, "function", fn);
	free(fn), free(sig);
	json_array_foreach(defs, i, e) {
		json_t *de = N(e, "DefElem");
		const char *k = S(de, "defname");

		if (streq(k, "commutator") || streq(k, "negator")) {
			/* the commutator takes the arguments the other way round */
			char *o = streq(k, "commutator") ? opr_ref(m, J(de, "arg"), right, left, schema, cx) :
			    opr_ref(m, J(de, "arg"), left, right, schema, cx);

			setstr(rec, k, o);
			free(o);
		} else if (streq(k, "restrict") || streq(k, "join")) {
			/* restriction (internal, oid, internal, integer), join (internal, oid, internal, smallint,
			   internal): found by name among the model's, else built in */
			char *f = support_func(m, J(de, "arg"), streq(k, "restrict") ? "internal,oid,internal,integer" :
			    "internal,oid,internal,smallint,internal", streq(k, "restrict") ? 4 : 5, cx);

			setstr(rec, k, f);
			free(f);
		} else if (streq(k, "hashes") || streq(k, "merges")) {
			setbool(rec, k, def_bool(de));
		}
	}
	msql_default_acl(m, id, cx);
	free(left), free(right), free(id);
	return MSQL_OK;
}

/* ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ..., ...). */
static int
fold_alter_operator(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	char *id = opr_owa_id(m, J(a, "opername"), cx);
	json_t *rec = id ? model_get(m, id) : NULL, *e;
	size_t i;

	if (!rec) {
		free(id);
		return MSQL_UNMODELED;
	}
	json_array_foreach(J(a, "options"), i, e) {
		json_t *de = N(e, "DefElem");
		const char *k = S(de, "defname");

		if (streq(k, "restrict") || streq(k, "join")) {
			char *f = J(de, "arg") ? support_func(m, J(de, "arg"), streq(k, "restrict") ?
			    "internal,oid,internal,integer" : "internal,oid,internal,smallint,internal",
			    streq(k, "restrict") ? 4 : 5, cx) : NULL;

			setstr(rec, k, f);
			free(f);
		} else if (streq(k, "hashes") || streq(k, "merges")) {
			setbool(rec, k, J(de, "arg") ? def_bool(de) : 1);
		} else if (streq(k, "commutator") || streq(k, "negator")) {
			char *o = streq(k, "commutator") ? opr_ref(m, J(de, "arg"), S(rec, "right"), S(rec, "left"), S(rec, "schema"), cx) :
			    opr_ref(m, J(de, "arg"), S(rec, "left"), S(rec, "right"), S(rec, "schema"), cx);

			setstr(rec, k, o);
			free(o);
		} else {
			free(id);
			return MSQL_UNMODELED;
		}
	}
	free(id);
	return MSQL_OK;
}

/* ---- casts ---- */

static char *
cast_id(const char *src, const char *dst)
{
	return xasprintf("cast:(%s AS %s)", src, dst);
}

static int
fold_cast(struct model *m, json_t *c, const struct msql_ctx *cx)
{
	char *src = ftname(m, J(c, "sourcetype"), cx), *dst = ftname(m, J(c, "targettype"), cx);
	char *id = cast_id(src, dst);
	const char *ctx = S(c, "context");
	json_t *rec;

	if (model_get(m, id)) {
		int rc = err(cx, "cast from type %s to type %s already exists", src, dst);

		free(src), free(dst), free(id);
		return rc;
	}
	rec = new_rec(m, "cast", id, NULL, NULL, cx);
	setstr(rec, "source", src);
	setstr(rec, "target", dst);
	if (J(c, "func")) {
		json_t *owa = J(c, "func"), *a;
		struct buf sig = { 0 };
		size_t i;
		const char *schema, *name;
		char *fid = NULL;

		buf_puts(&sig, "");
		json_array_foreach(J(owa, "objargs"), i, a) {
			char *t = ftname(m, a, cx);

			buf_printf(&sig, "%s%s", i ? "," : "", t);
			free(t);
		}
		if (split_names(J(owa, "objname"), &schema, &name) == 0) {
			if (B(owa, "args_unspecified"))
				fid = support_func(m, J(owa, "objname"), src, 1, cx);
			else if (streq(schema, "pg_catalog"))
				fid = xstrdup(name);
			else {
				for (size_t p = 0; p < (schema ? 1 : cx->sp->schemas.n) && !fid; p++) {
					char *q = model_qname(schema ? schema : cx->sp->schemas.v[p], name);
					char *x = xasprintf("function:%s(%s)", q, sig.data);

					free(q);
					if (model_get(m, x))
						fid = x;
					else
						free(x);
				}
				if (!fid && schema) {
					char *q = model_qname(schema, name);

					fid = xasprintf("function:%s(%s)", q, sig.data);
					free(q);
				} else if (!fid) {
					fid = xstrdup(name);
				}
			}
		}
		setstr(rec, "function", fid);
		free(fid);
		buf_free(&sig);
	} else if (B(c, "inout")) {
		setbool(rec, "inout", 1);
	} else {
		setbool(rec, "binary", 1);
	}
	setstr(rec, "context", streq(ctx, "COERCION_IMPLICIT") ? "implicit" : streq(ctx, "COERCION_ASSIGNMENT") ?
	    "assignment" : NULL);
	free(src), free(dst), free(id);
	return MSQL_OK;
}

/* The id of a cast as DROP CAST and COMMENT ON CAST name it: a list [source, target]. */
static char *
cast_obj_id(const struct model *m, json_t *obj, const struct msql_ctx *cx)
{
	json_t *l = items(obj);
	char *s, *t, *id;

	if (json_array_size(l) != 2)
		return NULL;
	s = ftname(m, json_array_get(l, 0), cx);
	t = ftname(m, json_array_get(l, 1), cx);
	id = cast_id(s, t);
	free(s), free(t);
	return id;
}

/* ---- collations ---- */

/* Whether initdb makes a collation of that name (pg_catalog's): default, C, POSIX, ucs_basic,
   ICU names (-x-icu), libc locales. */
static int
builtin_collation(const char *n)
{
	size_t l = strlen(n);

	return streq(n, "default") || streq(n, "C") || streq(n, "POSIX") || streq(n, "ucs_basic") ||
	    (l > 6 && strcmp(n + l - 6, "-x-icu") == 0) || starts(n, "C.") ||
	    (l >= 5 && n[2] == '_' && n[0] >= 'a' && n[0] <= 'z');
}

static int
fold_collation(struct model *m, json_t *d, const struct msql_ctx *cx)
{
	json_t *defs = J(d, "definition"), *rec, *from = def_get(defs, "from");
	const char *schema, *name;
	char *q, *id;
	char *provider = NULL, *locale = NULL, *lc_collate = NULL, *lc_ctype = NULL;
	int det = 1;

	if (split_names(J(d, "defnames"), &schema, &name) != 0 || !(schema = new_schema(m, schema, cx)))
		return MSQL_ERR;
	q = model_qname(schema, name);
	id = xasprintf("collation:%s", q);
	free(q);
	if (model_get(m, id)) {
		free(id);
		return B(d, "if_not_exists") ? MSQL_OK : err(cx, "collation \"%s\" already exists", name);
	}
	if (from) {
		json_t *fl = items(J(from, "arg"));
		const char *fs, *fn;
		json_t *src = NULL;

		if (split_names(fl, &fs, &fn) != 0) {
			free(id);
			return MSQL_UNMODELED;
		}
		if (!streq(fs, "pg_catalog")) {
			for (size_t p = 0; p < (fs ? 1 : cx->sp->schemas.n) && !src; p++) {
				char *fq = model_qname(fs ? fs : cx->sp->schemas.v[p], fn), *fid = xasprintf("collation:%s", fq);

				src = model_get(m, fid);
				free(fq), free(fid);
			}
		}
		if (src) {
			provider = S(src, "provider") ? xstrdup(S(src, "provider")) : NULL;
			locale = S(src, "locale") ? xstrdup(S(src, "locale")) : NULL;
			lc_collate = S(src, "lc_collate") ? xstrdup(S(src, "lc_collate")) : NULL;
			lc_ctype = S(src, "lc_ctype") ? xstrdup(S(src, "lc_ctype")) : NULL;
			det = !B(src, "nondeterministic");
		} else if (streq(fn, "C") || streq(fn, "POSIX") || streq(fn, "ucs_basic")) {
			locale = xstrdup(streq(fn, "POSIX") ? "POSIX" : "C");
		} else if (strlen(fn) > 6 && strcmp(fn + strlen(fn) - 6, "-x-icu") == 0) {
			provider = xstrdup("icu");
			locale = xstrndup(fn, strlen(fn) - 6);
		} else if (builtin_collation(fn) && !streq(fn, "default")) {
			locale = xstrdup(fn);
		} else {
			/* the database's default or an unknown one: its locale is not known here */
			free(id);
			return MSQL_UNMODELED;
		}
	} else {
		json_t *e;
		size_t i;

		json_array_foreach(defs, i, e) {
			json_t *de = N(e, "DefElem");
			const char *k = S(de, "defname");
			char *v = def_string(de);

			if (streq(k, "provider")) {
				for (char *p = v; p && *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p - 'A' + 'a');
				free(provider), provider = v, v = NULL;
			} else if (streq(k, "locale")) {
				free(locale), locale = v, v = NULL;
			} else if (streq(k, "lc_collate")) {
				free(lc_collate), lc_collate = v, v = NULL;
			} else if (streq(k, "lc_ctype")) {
				free(lc_ctype), lc_ctype = v, v = NULL;
			} else if (streq(k, "deterministic")) {
				det = def_bool(de);
			} else if (!streq(k, "version")) {
				free(v);
				free(id), free(provider), free(locale), free(lc_collate), free(lc_ctype);
				return MSQL_UNMODELED;
			}
			free(v);
		}
		if (streq(provider, "libc"))
			free(provider), provider = NULL;
		if (locale && !provider) {
			/* LOCALE sets both of libc's */
			free(lc_collate), free(lc_ctype);
			lc_collate = lc_ctype = NULL;
		}
		if (!provider && !locale && streq(lc_collate, lc_ctype) && lc_collate) {
			locale = lc_collate;
			free(lc_ctype);
			lc_collate = lc_ctype = NULL;
		}
	}
	rec = new_rec(m, "collation", id, schema, name, cx);
	setstr(rec, "provider", provider);
	setstr(rec, "locale", locale);
	setstr(rec, "lc_collate", lc_collate);
	setstr(rec, "lc_ctype", lc_ctype);
	setbool(rec, "nondeterministic", !det);
	msql_default_acl(m, id, cx);
	free(id), free(provider), free(locale), free(lc_collate), free(lc_ctype);
	return MSQL_OK;
}

/* ---- extended statistics ---- */

static int
fold_statistics(struct model *m, json_t *s, const struct msql_ctx *cx)
{
	json_t *rels = J(s, "relations"), *rv = N(json_array_get(rels, 0), "RangeVar"), *e, *rec, *tab, *cols;
	json_t *exprs = json_array(), *kinds = json_array(), *names = J(s, "defnames");
	const char *schema, *name;
	char *tq, *tid, *q, *id;
	size_t i, nelem = json_array_size(J(s, "exprs"));

	if (json_array_size(rels) != 1 || !rv) {
		json_decref(exprs), json_decref(kinds);
		return MSQL_UNMODELED;
	}
	tq = msql_resolve(m, rv, "table:", cx);
	tid = xasprintf("table:%s", tq);
	tab = model_get(m, tid);
	if (!tab) {
		char *mid = xasprintf("matview:%s", tq);

		tab = model_get(m, mid);
		if (tab) {
			free(tid);
			tid = mid;
		} else
			free(mid);
	}
	free(tq);
	if (!tab) {
		int rc = err(cx, "relation \"%s\" does not exist", S(rv, "relname"));

		free(tid), json_decref(exprs), json_decref(kinds);
		return rc;
	}
	if (!json_array_size(names)) {
		/* no name: PostgreSQL's ChooseExtendedStatisticName: table_cols_stat (numbered) */
		free(tid), json_decref(exprs), json_decref(kinds);
		return MSQL_UNMODELED;
	}
	if (split_names(names, &schema, &name) != 0) {
		free(tid), json_decref(exprs), json_decref(kinds);
		return MSQL_ERR;
	}
	schema = schema ? schema : S(tab, "schema");
	q = model_qname(schema, name);
	id = xasprintf("statistics:%s", q);
	free(q);
	if (model_get(m, id)) {
		int rc = B(s, "if_not_exists") ? MSQL_OK : err(cx, "statistics object \"%s\" already exists", name);

		free(id), free(tid), json_decref(exprs), json_decref(kinds);
		return rc;
	}
	/* columns in the table's order (stxkeys), expressions in the order written */
	cols = json_array();
	{
		json_t *tc;
		size_t k;

		json_array_foreach(J(tab, "columns"), k, tc) {
			const char *cn = json_is_object(tc) ? S(tc, "name") : json_string_value(tc);

			json_array_foreach(J(s, "exprs"), i, e) {
				json_t *se = N(e, "StatsElem");

				if (streq(S(se, "name"), cn))
					json_array_append_new(cols, json_string(cn));
			}
		}
	}
	json_array_foreach(J(s, "exprs"), i, e) {
		json_t *se = N(e, "StatsElem");

		if (J(se, "expr")) {
			json_t *o = json_object();
			json_t *x = J(se, "expr");

			/* a plain column in parentheses is a column */
			if (N(x, "ColumnRef") && json_array_size(J(N(x, "ColumnRef"), "fields")) == 1 &&
			    sval(json_array_get(J(N(x, "ColumnRef"), "fields"), 0))) {
				json_decref(o);
				continue;
			}
			msql_expr(o, "expr", x, cx);
			json_array_append_new(exprs, o);
		}
	}
	{
		static const char *const order[] = { "ndistinct", "dependencies", "mcv", NULL };
		json_t *st = J(s, "stat_types"), *t;
		size_t k;

		for (size_t o = 0; order[o]; o++) {
			int want = json_array_size(st) == 0 && nelem > 1;

			json_array_foreach(st, k, t)
				want |= streq(sval(t), order[o]);
			if (want)
				json_array_append_new(kinds, json_string(order[o]));
		}
	}
	rec = new_rec(m, "statistics", id, schema, name, cx);
	setstr(rec, "table", tid);
	if (json_array_size(cols))
		json_object_set(rec, "columns", cols);
	if (json_array_size(exprs))
		json_object_set(rec, "exprs", exprs);
	if (json_array_size(kinds))
		json_object_set(rec, "kinds", kinds);
	msql_default_acl(m, id, cx);
	json_decref(cols), json_decref(exprs), json_decref(kinds);
	free(id), free(tid);
	return MSQL_OK;
}

/* Whether the text of an expression names column col: an identifier token equal to it (unquoted
   and folded to lower case, or quoted). */
static int
expr_names(const char *sql, const char *col)
{
	size_t n = strlen(col);

	for (const char *p = sql; p && *p; p++) {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				;
			if (!*p)
				break;
			continue;
		}
		if (*p == '"') {
			const char *e = strchr(p + 1, '"');

			if (e && (size_t)(e - p - 1) == n && strncmp(p + 1, col, n) == 0)
				return 1;
			if (!e)
				break;
			p = e;
			continue;
		}
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_') {
			const char *b = p;
			int same = 1;

			while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
			    *p == '$')
				p++;
			if ((size_t)(p - b) == n)
				for (size_t i = 0; i < n && same; i++)
					same = (b[i] >= 'A' && b[i] <= 'Z' ? b[i] - 'A' + 'a' : b[i]) == col[i];
			else
				same = 0;
			if (same)
				return 1;
			p--;
		}
	}
	return 0;
}

void
msql_stats_follow(struct model *m, const char *tid, const char *col, const char *new)
{
	struct strv ids = { 0 };

	ids_with(m, "statistics:", &ids);
	for (size_t i = 0; i < ids.n; i++) {
		json_t *r = model_get(m, ids.v[i]), *c, *e;
		size_t k;
		int uses = 0;

		if (!streq(S(r, "table"), tid))
			continue;
		json_array_foreach(J(r, "columns"), k, c)
			if (streq(json_string_value(c), col)) {
				uses = 1;
				if (new)
					json_array_set_new(J(r, "columns"), k, json_string(new));
			}
		json_array_foreach(J(r, "exprs"), k, e)
			if (col && expr_names(S(e, "expr_sql"), col)) {
				uses = 1;
				if (new)
					msql_rename_in_expr(e, "expr", col, new);
			}
		/* PostgreSQL drops a statistics object with its table and with any column it names */
		if (!col || (uses && !new)) {
			model_del(m, ids.v[i]);
			msql_retarget(m, ids.v[i], NULL);
		}
	}
	strv_free(&ids);
}

/* The id of a statistics object a name list names (its schema along the path). */
static char *
stat_id(const struct model *m, json_t *names, const struct msql_ctx *cx)
{
	char *q = msql_resolve(m, items(names), "statistics:", cx), *id = q ? xasprintf("statistics:%s", q) : NULL;

	free(q);
	return id;
}

int
msql_agg_uses(json_t *r, const char *fid)
{
	const char *k = S(r, "kind"), *key;
	json_t *v;

	if (!streq(k, "aggregate") && !streq(k, "operator") && !streq(k, "cast"))
		return 0;
	json_object_foreach(r, key, v)
		if ((streq(key, "function") || streq(key, "restrict") || streq(key, "join") ||
		    (strlen(key) > 4 && strcmp(key + strlen(key) - 4, "func") == 0)) && streq(json_string_value(v), fid))
			return 1;
	return 0;
}

/* Whether canonical type name t is q or an array of q. */
static int
is_type(const char *t, const char *q)
{
	size_t n = strlen(q);

	return t && strncmp(t, q, n) == 0 && (!t[n] || strcmp(t + n, "[]") == 0);
}

void
msql_agg_gone(struct model *m, const char *id)
{
	static const char *const keys[] = { "source", "target", "left", "right", "stype", "mstype", NULL };
	struct strv ids = { 0 }, drop = { 0 };
	const char *q;

	if (!starts(id, "type:") && !starts(id, "domain:"))
		return;
	q = strchr(id, ':') + 1;
	ids_with(m, "aggregate:", &ids);
	ids_with(m, "operator:", &ids);
	ids_with(m, "cast:", &ids);
	for (size_t i = 0; i < ids.n; i++) {
		json_t *r = model_get(m, ids.v[i]), *a;
		size_t k;
		int uses = 0;

		for (size_t j = 0; keys[j]; j++)
			uses |= is_type(S(r, keys[j]), q);
		json_array_foreach(J(r, "args"), k, a)
			uses |= is_type(S(a, "type"), q);
		if (uses)
			strv_add(&drop, ids.v[i]);
	}
	/* what DROP TYPE ... CASCADE takes along (without CASCADE PostgreSQL refuses) */
	for (size_t i = 0; i < drop.n; i++)
		if (model_get(m, drop.v[i])) {
			model_del(m, drop.v[i]);
			msql_retarget(m, drop.v[i], NULL);
		}
	strv_free(&ids);
	strv_free(&drop);
}

/* ---- materialized views' storage parameters ---- */

void
msql_matview_storage(json_t *rec, json_t *defs, int reset)
{
	json_t *a = J(rec, "options"), *d, *e;
	size_t i, j;

	if (!a) {
		a = json_array();
		json_object_set_new(rec, "options", a);
	}
	json_array_foreach(defs, i, d) {
		json_t *de = N(d, "DefElem");
		const char *ns = S(de, "defnamespace"), *k = S(de, "defname");
		char *v = J(de, "arg") ? def_string(de) : xstrdup("true"), *opt;
		size_t klen;
		int done = 0;

		if (streq(ns, "toast") || !k) {
			free(v);
			continue;
		}
		opt = xasprintf("%s=%s", k, v ? v : "");
		klen = strlen(k) + 1;
		json_array_foreach(a, j, e)
			if (strncmp(json_string_value(e), opt, klen) == 0) {
				if (reset)
					json_array_remove(a, j);
				else
					json_array_set_new(a, j, json_string(opt));
				done = 1;
				break;
			}
		if (!done && !reset)
			json_array_append_new(a, json_string(opt));
		free(v), free(opt);
	}
	if (!json_array_size(a))
		json_object_del(rec, "options");
}

/* ---- the objects of statements about them ---- */

/* The prefix of the kinds of this file for an ObjectType, or NULL. */
static const char *
obj_prefix(const char *ot)
{
	if (streq(ot, "OBJECT_AGGREGATE"))
		return "aggregate:";
	if (streq(ot, "OBJECT_OPERATOR"))
		return "operator:";
	if (streq(ot, "OBJECT_CAST"))
		return "cast:";
	if (streq(ot, "OBJECT_COLLATION"))
		return "collation:";
	if (streq(ot, "OBJECT_STATISTIC_EXT"))
		return "statistics:";
	return NULL;
}

/* The id of the object of a kind of this file that obj (as DropStmt, CommentStmt, ... hold it)
   names. */
static char *
obj_id(const struct model *m, const char *ot, json_t *obj, const struct msql_ctx *cx)
{
	const char *pre = obj_prefix(ot);

	if (!pre)
		return NULL;
	if (streq(pre, "aggregate:"))
		return agg_owa_id(m, obj, cx);
	if (streq(pre, "operator:"))
		return opr_owa_id(m, obj, cx);
	if (streq(pre, "cast:"))
		return cast_obj_id(m, obj, cx);
	if (streq(pre, "statistics:"))
		return stat_id(m, obj, cx);
	{
		char *q = msql_resolve(m, items(obj), pre, cx), *id = q ? xasprintf("%s%s", pre, q) : NULL;

		free(q);
		return id;
	}
}

/* The name of an id after its kind and schema, unquoted ("public.~<<(text,text)" -> ~<<,
   "public.\"My agg\"(text)" -> My agg), and its argument types separated by ", " (NULL when it
   has none). */
static void
id_name_args(const char *id, char **name, char **args)
{
	const char *p = strchr(id, ':') + 1;
	struct buf b = { 0 };
	int q = 0;

	buf_puts(&b, "");
	*args = NULL;
	for (; *p; p++) {
		if (*p == '"') {
			if (q && p[1] == '"')
				buf_add(&b, p++, 1);
			else
				q = !q;
		} else if (!q && *p == '.') {
			b.len = 0;
			b.data[0] = 0;
		} else if (!q && *p == '(') {
			struct buf a = { 0 };
			int depth = 0;

			buf_puts(&a, "");
			for (p++; *p && !(depth == 0 && *p == ')'); p++) {
				depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
				if (*p == ',' && depth == 0)
					buf_puts(&a, ", ");
				else
					buf_add(&a, p, 1);
			}
			*args = a.data;
			break;
		} else
			buf_add(&b, p, 1);
	}
	*name = b.data;
}

/* PostgreSQL's message for a missing object of these kinds; MSQL_ERR. */
static int
missing(const char *id, const struct msql_ctx *cx)
{
	char *name, *args;
	int rc;

	if (starts(id, "cast:"))
		return err(cx, "cast from type %.*s does not exist", (int)strlen(id + 6) - 1, id + 6);
	id_name_args(id, &name, &args);
	if (starts(id, "aggregate:"))
		rc = err(cx, "aggregate %s(%s) does not exist", name, args && *args ? args : "*");
	else if (starts(id, "operator:")) {
		/* "integer === integer", "=== integer" for a prefix operator */
		char *comma = args ? strstr(args, ", ") : NULL;

		if (comma && strncmp(args, "NONE", 4) == 0)
			rc = err(cx, "operator does not exist: %s %s", name, comma + 2);
		else if (comma)
			rc = err(cx, "operator does not exist: %.*s %s %s", (int)(comma - args), args, name, comma + 2);
		else
			rc = err(cx, "operator does not exist: %s", name);
	} else if (starts(id, "collation:"))
		rc = err(cx, "collation \"%s\" for encoding \"UTF8\" does not exist", name);
	else
		rc = err(cx, "statistics object \"%s\" does not exist", name);
	free(name), free(args);
	return rc;
}

int
msql_agg_target(struct model *m, const char *ot, json_t *obj, const struct msql_ctx *cx, char **id)
{
	if (!obj_prefix(ot))
		return 0;
	*id = obj_id(m, ot, obj, cx);
	return 1;
}

int
msql_agg_missing(const struct model *m, const char *id, const struct msql_ctx *cx)
{
	const char *rest;

	if (!(starts(id, "aggregate:") || starts(id, "operator:") || starts(id, "cast:") || starts(id, "collation:") ||
	    starts(id, "statistics:")))
		return -2;
	if (model_get(m, id))
		return MSQL_OK;
	rest = strchr(id, ':') + 1;
	/* a built-in object (pg_catalog's operators, casts between built-in types, whose names are
	   unqualified, initdb's collations) is outside the model */
	if ((starts(id, "cast:") && !strchr(rest, '.')) || (starts(id, "operator:") && starts(rest, "pg_catalog.")) ||
	    (starts(id, "collation:") && starts(rest, "pg_catalog.")))
		return MSQL_UNMODELED;
	return missing(id, cx);
}

/* Move record id to nid with its schema and name, and what is on it. */
/* Replace, at any depth of v, every string old under key (any key when NULL; in arrays too) by new;
   the number replaced. */
static int
swap_nested(json_t *v, const char *key, const char *old, const char *new)
{
	const char *k;
	json_t *e;
	size_t i;
	int n = 0;

	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			if (json_is_string(e) && (!key || streq(k, key)) && streq(json_string_value(e), old))
				json_string_set(e, new), n++;
			else
				n += swap_nested(e, key, old, new);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			if (!key && json_is_string(e) && streq(json_string_value(e), old))
				json_string_set(e, new), n++;
			else
				n += swap_nested(e, key, old, new);
		}
	}
	return n;
}

struct users {
	struct strv ids;
	const char *key, *old;
};

/* model_mentions: collect the id of a record holding the string u->old under u->key. */
static int
user_of(const char *id, json_t *rec, void *arg)
{
	struct users *u = arg;
	json_t *c = json_deep_copy(rec);

	if (swap_nested(c, u->key, u->old, ""))
		strv_add(&u->ids, id);
	json_decref(c);
	return 0;
}

/* Every string old under key (any key when NULL) in the records of m becomes new. */
static void
swap_users(struct model *m, const char *key, const char *old, const char *new)
{
	struct users u = { { 0 }, key, old };

	model_mentions(m, old, user_of, &u);
	for (size_t i = 0; i < u.ids.n; i++)
		swap_nested(model_get(m, u.ids.v[i]), key, old, new);
	strv_free(&u.ids);
}

/* What names a collation or an operator moved from id to nid follows it, as PostgreSQL's users
   hold its oid: the "collation" (S.N) of columns, attributes, domains and index keys; an operator
   id wherever it stands (the members of operator classes and families, msql_retarget having done
   the top-level fields), and its S.N as an exclusion constraint's "operator". */
static void
follow_users(struct model *m, const char *id, const char *nid)
{
	if (starts(id, "collation:")) {
		swap_users(m, "collation", strchr(id, ':') + 1, strchr(nid, ':') + 1);
	} else if (starts(id, "operator:")) {
		const char *o = strchr(id, ':') + 1, *n = strchr(nid, ':') + 1;
		char *oq = xstrndup(o, strcspn(o, "(")), *nq = xstrndup(n, strcspn(n, "("));

		swap_users(m, NULL, id, nid);
		swap_users(m, "operator", oq, nq);
		free(oq), free(nq);
	}
}

void
msql_agg_follow(struct model *m, const char *id, const char *nid)
{
	/* the top-level fields (an aggregate's or an operator's functions) msql_retarget did */
	if (starts(id, "function:"))
		swap_users(m, NULL, id, nid);
}

static void
move_to(struct model *m, const char *id, const char *nid, const char *schema, const char *name)
{
	json_t *r = json_deep_copy(model_get(m, id));

	json_object_set_new(r, "id", json_string(nid));
	if (schema)
		setstr(r, "schema", schema);
	if (name)
		setstr(r, "name", name);
	model_del(m, id);
	model_add(m, r);
	msql_retarget(m, id, nid);
	follow_users(m, id, nid);
}

/* The id of record id renamed or moved: schema and/or name replaced, arguments kept. */
static char *
renamed_id(const json_t *rec, const char *id, const char *schema, const char *name)
{
	const char *kind = S((json_t *)rec, "kind"), *args = NULL;
	char *q = (streq(kind, "operator") ? model_opr_qname : model_qname)(schema ? schema : S((json_t *)rec, "schema"),
	    name ? name : S((json_t *)rec, "name"));
	char *nid;
	int quoted = 0;

	for (const char *p = strchr(id, ':') + 1; *p && !args; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '(')
			args = p;
	}
	nid = xasprintf("%s:%s%s", kind, q, args ? args : "");
	free(q);
	return nid;
}

static int
fold_drop(struct model *m, json_t *d, const struct msql_ctx *cx)
{
	const char *rt = S(d, "removeType");
	int missing_ok = B(d, "missing_ok");
	json_t *o;
	size_t i;

	json_array_foreach(J(d, "objects"), i, o) {
		char *id = obj_id(m, rt, o, cx);

		if (!id)
			return MSQL_UNMODELED;
		if (!model_get(m, id)) {
			int rc = MSQL_OK;

			if (!missing_ok) {
				rc = msql_agg_missing(m, id, cx);
			}
			free(id);
			if (rc != MSQL_OK)
				return rc;
			continue;
		}
		model_del(m, id);
		msql_retarget(m, id, NULL);
		free(id);
	}
	return MSQL_OK;
}

static int
fold_rename(struct model *m, json_t *rs, const struct msql_ctx *cx, const char *schema)
{
	const char *ot = S(rs, schema ? "objectType" : "renameType"), *nn = schema ? NULL : S(rs, "newname");
	char *id = obj_id(m, ot, J(rs, "object"), cx), *nid;
	json_t *r;

	if (!id)
		return MSQL_UNMODELED;
	if (!(r = model_get(m, id))) {
		int rc = B(rs, "missing_ok") ? MSQL_OK : msql_agg_missing(m, id, cx);

		free(id);
		return rc;
	}
	nid = renamed_id(r, id, schema, nn);
	if (strcmp(nid, id) != 0) {
		if (model_get(m, nid)) {
			int rc = err(cx, "%s already exists in schema \"%s\"", strchr(nid, ':') + 1, schema ? schema : S(r, "schema"));

			free(id), free(nid);
			return rc;
		}
		move_to(m, id, nid, schema, nn);
	}
	free(id), free(nid);
	return MSQL_OK;
}

int
msql_fold_agg(struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	const char *t = ntype(stmt);
	json_t *x = ninner(stmt);

	if (streq(t, "DefineStmt")) {
		const char *k = S(x, "kind");

		if (streq(k, "OBJECT_AGGREGATE"))
			return fold_aggregate(m, x, cx);
		if (streq(k, "OBJECT_OPERATOR"))
			return fold_operator(m, x, cx);
		if (streq(k, "OBJECT_COLLATION"))
			return fold_collation(m, x, cx);
		return MSQL_NOTMINE;
	}
	if (streq(t, "CreateCastStmt"))
		return fold_cast(m, x, cx);
	if (streq(t, "CreateStatsStmt"))
		return fold_statistics(m, x, cx);
	if (streq(t, "AlterStatsStmt")) {
		char *id = stat_id(m, J(x, "defnames"), cx);
		json_t *r = id ? model_get(m, id) : NULL;
		json_t *tg = J(x, "stxstattarget");

		free(id);
		if (!r)
			return B(x, "missing_ok") ? MSQL_OK : err(cx, "statistics object \"%s\" does not exist",
			    sval(json_array_get(items(J(x, "defnames")), json_array_size(items(J(x, "defnames"))) - 1)));
		if (json_integer_value(tg) == -1 || !tg)
			json_object_del(r, "stattarget");
		else
			json_object_set_new(r, "stattarget", json_integer(json_integer_value(tg)));
		return MSQL_OK;
	}
	if (streq(t, "AlterOperatorStmt"))
		return fold_alter_operator(m, x, cx);
	if (streq(t, "DropStmt") && obj_prefix(S(x, "removeType")))
		return fold_drop(m, x, cx);
	if (streq(t, "RenameStmt") && obj_prefix(S(x, "renameType")))
		return fold_rename(m, x, cx, NULL);
	if (streq(t, "AlterObjectSchemaStmt") && obj_prefix(S(x, "objectType")))
		return fold_rename(m, x, cx, S(x, "newschema"));
	return MSQL_NOTMINE;
}
