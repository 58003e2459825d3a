/* SQL statements -> the schema model: schemas, extensions, types, domains, sequences, tables,
   indexes and ALTER TABLE, applied as PostgreSQL would apply them. The other statements go to
   modelsql_obj.c. Record formats: conf-formats(5). */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pg_query.h>

#include "diag.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "normexpr.h"
#include "pgnames.h"
#include "pgopc.h"

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

static long long
jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static int
jbool(json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

/* Whether string field key of o equals v. */
static int
jeq(json_t *o, const char *key, const char *v)
{
	const char *s = jstr(o, key);

	return s && strcmp(s, v) == 0;
}

/* The items of a {"List":{"items":[..]}} node, or the array itself. */
static json_t *
list_items(json_t *n)
{
	json_t *l = node_as(n, "List");

	return l ? json_object_get(l, "items") : n;
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
		int found = json_object_get(model_scan(m), id) != NULL;

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

/* The model msql_fold folds into: msql_expr resolves function names against it. */
static const struct model *fold_model;

static const struct msql_ctx *type_cx; /* the statement being folded, for msql_col_type */
static char *own_id;                   /* the relation (domain) its expressions belong to */

/* Make id the relation whose columns unqualified column references name; the previous one is
   returned (to give back with own_restore). */
static char *
msql_own(const char *id)
{
	char *prev = own_id;

	own_id = id ? xstrdup(id) : NULL;
	return prev;
}

/* Give the previous own relation back (msql_own's result, taken). */
static void
own_restore(char *prev)
{
	free(own_id);
	own_id = prev;
}

/* msql_own of the relation record r's expressions belong to (r itself for a table or a domain,
   else its "table"); the previous one returned, as msql_own. */
static char *
own_of(json_t *r)
{
	const char *kind = json_string_value(json_object_get(r, "kind"));

	if (kind && (strcmp(kind, "table") == 0 || strcmp(kind, "domain") == 0))
		return msql_own(json_string_value(json_object_get(r, "id")));
	return msql_own(json_string_value(json_object_get(r, "table")));
}


static int is_routine_rec(json_t *r);

/* Whether routine record r takes a call with na arguments (its required arguments given, no more
   than it takes unless variadic). */
static int
routine_fits(json_t *r, size_t na)
{
	size_t req = 0, n = 0, j;
	json_t *a;

	json_array_foreach(json_object_get(r, "args"), j, a)
		if (!jeq(a, "mode", "out") && !jeq(a, "mode", "table")) {
			n++;
			if (!json_object_get(a, "default_sql"))
				req++;
		}
	return na >= req && (na <= n || jbool(r, "variadic"));
}

/* The schema of the path whose routine name a call with na arguments binds to, or NULL when the
   model cannot tell: none along the path takes it (a built-in), or routines of different
   signatures in several schemas take it (PostgreSQL then picks by the argument types). A routine
   is hidden by one of the same signature in a schema before it on the path. */
static char *type_name(const struct model *m, json_t *tn, const struct msql_ctx *cx);

/* The signature "(T1,T2)" of a call's arguments where each one's type is known: a cast's, an
   integer or numeric literal's, a column's of the relation the expression belongs to; NULL when
   one is not (an untyped string, an expression). */
static char *
call_sig(const struct model *m, json_t *args, const struct msql_ctx *cx)
{
	struct buf b = { 0 };
	json_t *a;
	size_t i;

	buf_puts(&b, "(");
	json_array_foreach(args, i, a) {
		json_t *tc = node_as(a, "TypeCast"), *ac = node_as(a, "A_Const"), *cr = node_as(a, "ColumnRef");
		char *t = NULL;

		if (tc)
			t = type_name(m, json_object_get(tc, "typeName"), cx);
		else if (ac && json_object_get(ac, "ival"))
			t = xstrdup("integer");
		else if (ac && json_object_get(ac, "fval")) {
			const char *v = jstr(json_object_get(ac, "fval"), "fval");

			t = xstrdup(v && strpbrk(v, ".eE") ? "numeric" : "bigint");
		} else if (cr && json_array_size(json_object_get(cr, "fields")) == 1 && own_id) {
			const char *ct = model_col_type(m, model_get(m, own_id), sval(json_array_get(json_object_get(cr, "fields"), 0)));

			t = ct && *ct ? xstrdup(ct) : NULL;
		}
		if (!t) {
			buf_free(&b);
			return NULL;
		}
		if (i)
			buf_puts(&b, ",");
		buf_puts(&b, t);
		free(t);
	}
	buf_puts(&b, ")");
	return b.data;
}

static const char *
call_schema(const struct model *m, const char *name, json_t *args, const struct msql_ctx *cx)
{
	size_t na = json_array_size(args);
	const struct strv *path = &cx->sp->schemas;
	const char *id, *found = NULL;
	json_t *r, *sigs = json_object();
	size_t j, *first = xcalloc(path->n + 1, sizeof *first), nsch = 0;

	/* each signature's first schema on the path */
	json_object_foreach(model_scan(m), id, r) {
		const char *sig = strchr(id, '(');

		if (!sig || !is_routine_rec(r) || !jeq(r, "name", name) || !routine_fits(r, na))
			continue;
		for (j = 0; j < path->n && !jeq(r, "schema", path->v[j]); j++)
			;
		if (j == path->n)
			continue;
		json_t *was = json_object_get(sigs, sig);

		if (!was || json_integer_value(was) > (json_int_t)j)
			json_object_set_new(sigs, sig, json_integer((json_int_t)j));
	}
	json_object_foreach(sigs, id, r)
		first[json_integer_value(r)] = 1;
	for (j = 0; j < path->n; j++)
		if (first[j]) {
			nsch++;
			found = path->v[j];
		}
	/* overloads in several schemas: the one whose signature is the arguments' types exactly is
	   what func_select_candidate takes first, wherever it is on the path */
	if (nsch > 1) {
		char *want = call_sig(m, args, cx);
		json_t *hit = want ? json_object_get(sigs, want) : NULL;

		found = hit ? path->v[json_integer_value(hit)] : NULL;
		nsch = hit ? 1 : nsch;
		free(want);
	}
	json_decref(sigs);
	free(first);
	return nsch == 1 ? found : NULL;
}

void
msql_qualify_calls(const struct model *m, json_t *n, const struct msql_ctx *cx)
{
	const char *k;
	json_t *e;
	size_t i;

	/* the common path (public alone, or none) resolves to public, which the normal form leaves out */
	if (!m || !cx->sp || cx->sp->schemas.n == 0 || (cx->sp->schemas.n == 1 && strcmp(cx->sp->schemas.v[0], "public") == 0))
		return;
	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			msql_qualify_calls(m, e, cx);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach(n, k, e) {
		json_t *fn = strcmp(k, "FuncCall") == 0 ? json_object_get(e, "funcname") : NULL;

		if (json_array_size(fn) == 1) {
			const char *name = sval(json_array_get(fn, 0));
			/* built-ins (pg_catalog, searched first) are not in the model and stay unqualified */
			const char *sch = name ? call_schema(m, name, json_object_get(e, "args"), cx) : NULL;

			if (sch)
				json_array_insert_new(fn, 0, json_pack("{s:{s:s}}", "String", "sval", sch));
		}
		msql_qualify_calls(m, e, cx);
	}
}

void
msql_expr(json_t *rec, const char *key, json_t *node, const struct msql_ctx *cx)
{
	/* a DEFAULT's literal is read as its column's (domain's) type */
	const char *type = strcmp(key, "default") == 0 ? jstr(rec, "type") : NULL;
	/* an unqualified call is to the function the search path in force finds: qualified on a
	   copy, unless the path is public alone (or none), where msql_qualify_calls changes nothing */
	int common = !fold_model || !cx->sp || cx->sp->schemas.n == 0
	    || (cx->sp->schemas.n == 1 && strcmp(cx->sp->schemas.v[0], "public") == 0);
	json_t *q = common ? json_incref(node) : json_deep_copy(node);
	char *k = xasprintf("%s_sql", key), *norm, *text = normexpr_slice(cx->sql, node);

	if (!common)
		msql_qualify_calls(fold_model, q, cx);
	norm = normexpr_node_as(q, cx->sql, type);
	json_object_set_new(rec, key, json_string(norm));
	json_object_set_new(rec, k, jsonl_str(text));
	json_decref(q);
	free(k);
	free(norm);
	free(text);
}

/* ---- records ---- */

void
msql_path(json_t *rec, const struct msql_ctx *cx)
{
	struct buf b = { 0 };

	if (!cx->sp || (cx->sp->schemas.n == 1 && strcmp(cx->sp->schemas.v[0], "public") == 0)) {
		json_object_del(rec, "search_path_sql");
		return;
	}
	/* string literals: a schema named like a reserved word or with upper case needs no quoting rule */
	for (size_t i = 0; i < cx->sp->schemas.n; i++) {
		buf_puts(&b, i ? ", '" : "'");
		for (const char *p = cx->sp->schemas.v[i]; *p; p++) {
			if (*p == '\'')
				buf_add(&b, p, 1);
			buf_add(&b, p, 1);
		}
		buf_puts(&b, "'");
	}
	json_object_set_new(rec, "search_path_sql", json_string(b.data ? b.data : "''"));
	free(b.data);
}

/* A new record {kind, id, schema, name, file, line, col} for an object of the statement cx. */
static json_t *
new_rec(struct model *m, const char *kind, const char *id, const char *schema, const char *name,
    const struct msql_ctx *cx)
{
	json_t *r = model_put(m, kind, id);

	if (schema)
		json_object_set_new(r, "schema", json_string(schema));
	if (name)
		json_object_set_new(r, "name", json_string(name));
	json_object_set_new(r, "file", jsonl_str(cx->pos.file));
	json_object_set_new(r, "line", json_integer(cx->pos.line));
	json_object_set_new(r, "col", json_integer(cx->pos.col));
	msql_path(r, cx);
	/* its owner and the default privileges it gets at creation */
	msql_default_acl(m, id, cx);
	return r;
}

/* kind:schema.name; newly allocated. */
static char *
mkid(const char *kind, const char *schema, const char *name)
{
	char *q = model_qname(schema, name), *id = xasprintf("%s:%s", kind, q);

	free(q);
	return id;
}

/* The record kind:schema.name, or NULL. */
static json_t *
get_rec(const struct model *m, const char *kind, const char *schema, const char *name)
{
	char *id = mkid(kind, schema, name);
	json_t *r = model_get(m, id);

	free(id);
	return r;
}

/* get_rec to read only: no copy into the undo level, not handed out (a lookup of a name). */
static json_t *
peek_rec(const struct model *m, const char *kind, const char *schema, const char *name)
{
	char *id = mkid(kind, schema, name);
	json_t *r = json_object_get(model_scan(m), id);

	free(id);
	return r;
}

/* The element of array a whose "name" is name, and its index in *at. */
static json_t *
by_name(json_t *a, const char *name, size_t *at)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
		if (jeq(e, "name", name)) {
			if (at)
				*at = i;
			return e;
		}
	return NULL;
}

/* The array rec[key], created when absent. */
static json_t *
arr(json_t *rec, const char *key)
{
	json_t *a = json_object_get(rec, key);

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(rec, key, a);
	}
	return a;
}

/* Insert c (stolen) into the constraint list of t, kept sorted by name. */
static void
add_constraint(json_t *t, json_t *c)
{
	json_t *a = arr(t, "constraints"), *e;
	const char *n = jstr(c, "name");
	size_t i;

	json_array_foreach(a, i, e)
		if (strcmp(jstr(e, "name"), n) > 0)
			break;
	json_array_insert_new(a, i, c);
}

/* Whether string s is in array a of strings. */
static int
in_strs(json_t *a, const char *s)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), s) == 0)
			return 1;
	return 0;
}

/* Every record of the model, in id order (a snapshot: the caller may change the model; records
   are referenced). Free with free_snap. */
static json_t **
snapshot(const struct model *m, size_t *n)
{
	const char **ids = model_ids(m);
	size_t k = 0;
	json_t **v;

	while (ids[k])
		k++;
	v = xcalloc(k + 1, sizeof *v);
	for (size_t i = 0; i < k; i++)
		v[i] = json_incref(model_get(m, ids[i]));
	free(ids);
	*n = k;
	return v;
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The records keep() accepts, in id order, taken with model_get (referenced; free with free_snap).
   keep() reads without copying: a snapshot would save a deep copy of every record into an open
   undo level, once per statement, which made a rename cost the size of the model. */
static json_t **
pick(const struct model *m, size_t *n, int (*keep)(json_t *r, const void *arg), const void *arg)
{
	struct strv ids = { 0 };
	const char *k;
	json_t *r, **v;

	json_object_foreach(model_scan(m), k, r)
		if (keep(r, arg))
			strv_add(&ids, k);
	if (ids.n > 1)
		qsort(ids.v, ids.n, sizeof *ids.v, cmp_id);
	v = xcalloc(ids.n + 1, sizeof *v);
	for (size_t i = 0; i < ids.n; i++)
		v[i] = json_incref(model_get(m, ids.v[i]));
	*n = ids.n;
	strv_free(&ids);
	return v;
}

struct picking {
	struct strv *ids;
	int (*keep)(json_t *r, const void *arg);
	const void *arg;
};

static int
pick_one(const char *id, json_t *r, void *arg)
{
	struct picking *p = arg;

	if (p->keep(r, p->arg))
		strv_add(p->ids, id);
	return 0;
}

/* pick among the records that may hold the name s (model_mentions: s not part of a longer name, case
   ignored): keep() reads only the records that mention it, not the whole model. */
static json_t **
pick_named(const struct model *m, const char *s, size_t *n, int (*keep)(json_t *r, const void *arg), const void *arg)
{
	struct strv ids = { 0 };
	json_t **v;

	model_mentions(m, s, pick_one, &(struct picking){ &ids, keep, arg });
	if (ids.n > 1)
		qsort(ids.v, ids.n, sizeof *ids.v, cmp_id);
	v = xcalloc(ids.n + 1, sizeof *v);
	for (size_t i = 0; i < ids.n; i++)
		v[i] = json_incref(model_get(m, ids.v[i]));
	*n = ids.n;
	strv_free(&ids);
	return v;
}

static int
keep_any(json_t *r, const void *arg)
{
	(void)r, (void)arg;
	return 1;
}

/* The tables. */
static int
keep_table(json_t *r, const void *arg)
{
	(void)arg;
	return jeq(r, "kind", "table");
}

/* The tables other than arg. */
static int
keep_other_table(json_t *r, const void *arg)
{
	return jeq(r, "kind", "table") && r != arg;
}

static void
free_snap(json_t **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
}

static int
is_kind(json_t *r, const char *kind)
{
	return jeq(r, "kind", kind);
}

/* ---- names PostgreSQL checks for collisions ---- */

struct taken {
	const struct model *m;
	const char *schema;
	int relation;   /* a relation name (pg_class) must be free */
	int constraint; /* a constraint name of the schema must be free */
	json_t *others; /* names chosen in the same command, not yet in the model */
};

static int
index_backed(json_t *c)
{
	const char *t = jstr(c, "type");

	return strcmp(t, "primary key") == 0 || strcmp(t, "unique") == 0 || strcmp(t, "exclusion") == 0;
}

struct holds {
	const struct taken *tk;
	const char *name;
};

/* Whether a table or domain record of the schema has a constraint of that name that takes it. */
static int
holds_name(const char *id, json_t *r, void *arg)
{
	const struct holds *h = arg;
	int table = strncmp(id, "table:", 6) == 0;
	json_t *cs, *c;
	size_t j;

	if (!table && strncmp(id, "domain:", 7) != 0)
		return 0;
	if (!(cs = json_object_get(r, "constraints")) || !jeq(r, "schema", h->tk->schema))
		return 0;
	json_array_foreach(cs, j, c)
		if (jeq(c, "name", h->name) && (h->tk->constraint || (table && index_backed(c))))
			return 1;
	return 0;
}

static int
name_taken(const char *name, void *vctx)
{
	const struct taken *tk = vctx;
	static const char *const relkinds[] = { "table:", "index:", "sequence:", "view:", "matview:", "type:" };
	json_t *r;

	if (tk->others && in_strs(tk->others, name))
		return 1;
	if (tk->relation) {
		/* the ids kind:S.N, made in one buffer (a name is tried for six kinds, for every name
		   PostgreSQL invents) */
		char *q = model_qname(tk->schema, name);
		size_t ql = strlen(q);
		char *id = xcalloc(ql + 16, 1);
		int hit = 0;

		for (size_t i = 0; i < sizeof relkinds / sizeof *relkinds && !hit; i++) {
			size_t kl = strlen(relkinds[i]);

			memcpy(id, relkinds[i], kl);
			memcpy(id + kl, q, ql + 1);
			r = json_object_get(model_scan(tk->m), id);
			hit = r && (strcmp(relkinds[i], "type:") != 0 || jeq(r, "form", "composite"));
		}
		free(id), free(q);
		if (hit)
			return 1;
	}
	/* called for every name PostgreSQL invents: the model's index of constraint names gives the
	   few records that may hold it, not a scan of the model per name */
	return model_holders(tk->m, tk->schema, name, holds_name, &(struct holds){ tk, name });
}

/* ChooseRelationName (constraint: also free as a constraint name) / ChooseConstraintName. */
static char *
choose_name(const struct model *m, const char *schema, const char *n1, const char *n2,
    const char *label, int relation, int constraint, json_t *others)
{
	struct taken tk = { m, schema, relation, constraint, others };

	return pgn_choose(n1, n2, label, name_taken, &tk);
}

/* ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: names joined with "_",
   stopping once NAMEDATALEN bytes are reached. */
static char *
name_addition(json_t *names)
{
	struct buf b = { 0 };
	size_t i;
	json_t *e;

	buf_puts(&b, "");
	json_array_foreach(names, i, e) {
		if (b.len)
			buf_puts(&b, "_");
		buf_puts(&b, json_string_value(e));
		if (b.len >= PGN_MAXLEN + 1)
			break;
	}
	return b.data;
}

/* ---- types ---- */

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
		for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
			if (peek_rec(tc->m, kinds[k], tc->cx->sp->schemas.v[i], name))
				return tc->cx->sp->schemas.v[i];
	return NULL;
}

/* The canonical name of a TypeName node (the node itself or {"TypeName":{..}}). */
static char *
type_name(const struct model *m, json_t *tn, const struct msql_ctx *cx)
{
	struct tctx tc = { m, cx };
	json_t *in = node_as(tn, "TypeName");

	return pgn_type_name(in ? in : tn, type_schema, &tc, first_schema(cx));
}

/* Whether a collation named without a schema is one initdb makes in pg_catalog: default, C,
   POSIX, ucs_basic, the ICU ones (und-x-icu), the libc locales (en_US, en_US.utf8, C.utf8). */
static int
builtin_collation(const char *n)
{
	size_t l = 0;

	if (strcmp(n, "default") == 0 || strcmp(n, "C") == 0 || strcmp(n, "POSIX") == 0 ||
	    strcmp(n, "ucs_basic") == 0 || strncmp(n, "C.", 2) == 0 || strstr(n, "-x-icu"))
		return 1;
	while (islower((unsigned char)n[l]))
		l++;
	return l >= 2 && l <= 3 && n[l] == '_' && isupper((unsigned char)n[l + 1]) && isupper((unsigned char)n[l + 2]);
}

/* The collation of a CollateClause node as the catalog names it (newly allocated): bare when it
   is in pg_catalog, else qualified like a type (a collation not built in, named without a schema,
   is the first search path schema's: CREATE COLLATION is not modeled). */
static char *
collation_name(json_t *cc, const struct msql_ctx *cx)
{
	json_t *c = node_as(cc, "CollateClause");
	/* an index or partition key's COLLATE is the name list alone */
	json_t *names = json_is_array(cc) ? cc : json_object_get(c ? c : cc, "collname");
	const char *name = last_name(names), *schema = NULL;
	size_t n = json_array_size(names);

	if (n >= 2)
		schema = json_string_value(json_object_get(json_object_get(json_array_get(names, n - 2), "String"), "sval"));
	if (!name)
		return xstrdup("");
	if (schema ? strcmp(schema, "pg_catalog") == 0 : builtin_collation(name))
		return xstrdup(name);
	return model_qname(schema ? schema : spath_first(cx->sp), name);
}

/* ---- numbers written in the statement (libpg_query 15-4.0's JSON loses negative Integers) ---- */

/* The signed number that follows the keyword(s) of a DefElem at loc: "increment [by] -1". */
static int
defelem_number(const struct msql_ctx *cx, json_t *de, long long *out)
{
	const char *p = cx->sql + jint(de, "location"), *q;
	char *end;
	int words = 0;

	while (*p && words < 3) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (*p == '-' || *p == '+' || isdigit((unsigned char)*p))
			break;
		for (q = p; *q && (isalpha((unsigned char)*q) || *q == '_'); q++)
			;
		if (q == p)
			return -1;
		p = q;
		words++;
	}
	errno = 0;
	*out = strtoll(p, &end, 10);
	return end == p || errno ? -1 : 0;
}

/* ---- sequences ---- */

struct seq {
	const char *type; /* "bigint", "integer", "smallint" (static) */
	long long start, inc, min, max, cache;
	int cycle;
};

static void
type_range(const char *type, long long *lo, long long *hi)
{
	if (strcmp(type, "smallint") == 0)
		*lo = INT16_MIN, *hi = INT16_MAX;
	else if (strcmp(type, "integer") == 0)
		*lo = INT32_MIN, *hi = INT32_MAX;
	else
		*lo = INT64_MIN, *hi = INT64_MAX;
}

/* The defaults of the data type and direction (the omit-defaults rule of the model). */
static void
seq_defaults(const struct seq *s, long long *start, long long *min, long long *max)
{
	long long lo, hi;

	type_range(s->type, &lo, &hi);
	*min = s->inc > 0 ? 1 : lo;
	*max = s->inc > 0 ? hi : -1;
	*start = s->inc > 0 ? *min : *max;
}

static const char *
static_int_type(const char *t)
{
	return !t ? "bigint" : strcmp(t, "integer") == 0 ? "integer" : strcmp(t, "smallint") == 0 ? "smallint"
	    : "bigint";
}

static void
seq_load(json_t *r, struct seq *s)
{
	long long st, mn, mx;

	s->type = static_int_type(jstr(r, "data_type"));
	s->inc = json_object_get(r, "increment") ? jint(r, "increment") : 1;
	s->cache = json_object_get(r, "cache") ? jint(r, "cache") : 1;
	s->cycle = jbool(r, "cycle");
	seq_defaults(s, &st, &mn, &mx);
	s->min = json_object_get(r, "min") ? jint(r, "min") : mn;
	s->max = json_object_get(r, "max") ? jint(r, "max") : mx;
	(void)st;
	s->start = json_object_get(r, "start") ? jint(r, "start") : s->inc > 0 ? s->min : s->max;
}

static void
set_or_del(json_t *r, const char *key, long long v, long long dflt)
{
	if (v == dflt)
		json_object_del(r, key);
	else
		json_object_set_new(r, key, json_integer(v));
}

static void
seq_store(json_t *r, const struct seq *s)
{
	long long st, mn, mx;

	seq_defaults(s, &st, &mn, &mx);
	if (strcmp(s->type, "bigint") == 0)
		json_object_del(r, "data_type");
	else
		json_object_set_new(r, "data_type", json_string(s->type));
	set_or_del(r, "increment", s->inc, 1);
	set_or_del(r, "cache", s->cache, 1);
	set_or_del(r, "min", s->min, mn);
	set_or_del(r, "max", s->max, mx);
	/* PostgreSQL's default start is the sequence's own MINVALUE (ascending) or MAXVALUE
	   (descending), not the type's: omitted when it equals that */
	(void)st;
	set_or_del(r, "start", s->start, s->inc > 0 ? s->min : s->max);
	if (s->cycle)
		json_object_set_new(r, "cycle", json_true());
	else
		json_object_del(r, "cycle");
}

/* The column id "column:S.T.C" a sequence is OWNED BY (names: [schema.]table.column). */
static char *
owned_by_id(const struct model *m, json_t *names, const struct msql_ctx *cx)
{
	size_t n = json_array_size(names);
	json_t *tl = json_array();
	char *tq, *c, *id;

	for (size_t i = 0; i + 1 < n; i++)
		json_array_append(tl, json_array_get(names, i));
	tq = msql_resolve(m, tl, "table:", cx);
	c = model_ident(last_name(names));
	id = xasprintf("column:%s.%s", tq, c);
	json_decref(tl);
	free(tq);
	free(c);
	return id;
}

/* Apply sequence options (CREATE/ALTER SEQUENCE, identity options) to the record r. For a new
   sequence, dtype is the data type it starts from. Returns -1 after a message. */
static json_t *col_of(json_t *t, const char *name);

/* OWNED BY T.C of sequence r, as process_owned_by checks it: a table of the same owner and schema
   that has the column. 0, or -1 after the server's message; a table the model does not hold as
   a table record (a view's column, ...) is not checked. */
static int
owned_by_check(const struct model *m, json_t *r, json_t *names, const struct msql_ctx *cx)
{
	size_t n = json_array_size(names);
	json_t *tl = json_array(), *t, *so, *to;
	char *tq, *tid, *oid;
	int rc = 0;

	if (n < 2) {
		warnat(&cx->pos, "invalid OWNED BY option");
		json_decref(tl);
		return -1;
	}
	for (size_t i = 0; i + 1 < n; i++)
		json_array_append(tl, json_array_get(names, i));
	tq = msql_resolve(m, tl, "table:", cx);
	tid = xasprintf("table:%s", tq);
	t = model_get(m, tid);
	oid = xasprintf("owner:%s", jstr(r, "id"));
	so = model_get(m, oid);
	free(oid);
	oid = xasprintf("owner:%s", tid);
	to = model_get(m, oid);
	free(oid);
	if (t && (!so != !to || (so && to && !json_equal(json_object_get(so, "owner"), json_object_get(to, "owner"))))) {
		warnat(&cx->pos, "sequence must have same owner as table it is linked to");
		rc = -1;
	} else if (t && strcmp(jstr(t, "schema"), jstr(r, "schema")) != 0) {
		warnat(&cx->pos, "sequence must be in same schema as table it is linked to");
		rc = -1;
	} else if (t && !col_of(t, last_name(names))) {
		warnat(&cx->pos, "column \"%s\" of relation \"%s\" does not exist", last_name(names), jstr(t, "name"));
		rc = -1;
	}
	json_decref(tl);
	free(tq), free(tid);
	return rc;
}

static int
seq_options(struct model *m, json_t *r, json_t *opts, const struct msql_ctx *cx, int fresh,
    const char *dtype)
{
	struct seq s, old;
	int set_min = 0, set_max = 0, set_start = 0, set_type = 0;
	size_t i;
	json_t *o;

	seq_load(r, &s);
	if (fresh && dtype && strcmp(dtype, static_int_type(dtype)) != 0) {
		warnat(&cx->pos, "identity column type must be smallint, integer, or bigint");
		return -1;
	}
	if (fresh && dtype)
		s.type = static_int_type(dtype);
	old = s;
	json_array_foreach(opts, i, o) {
		json_t *de = node_as(o, "DefElem"), *arg = json_object_get(de, "arg");
		const char *k = jstr(de, "defname");
		long long v = 0;
		int num = arg && (node_as(arg, "Integer") || node_as(arg, "Float"));

		if (num && defelem_number(cx, de, &v) != 0) {
			warnat(&cx->pos, "cannot read the number of sequence option %s", k);
			return -1;
		}
		if (strcmp(k, "as") == 0) {
			char *t = type_name(m, arg, cx);

			if (strcmp(t, static_int_type(t)) != 0) {
				warnat(&cx->pos, "sequence type must be smallint, integer, or bigint");
				free(t);
				return -1;
			}
			s.type = static_int_type(t);
			set_type = 1;
			free(t);
		} else if (strcmp(k, "increment") == 0)
			s.inc = v;
		else if (strcmp(k, "start") == 0)
			s.start = v, set_start = 1;
		else if (strcmp(k, "minvalue") == 0)
			s.min = v, set_min = arg ? 1 : -1;
		else if (strcmp(k, "maxvalue") == 0)
			s.max = v, set_max = arg ? 1 : -1;
		else if (strcmp(k, "cache") == 0)
			s.cache = v;
		else if (strcmp(k, "cycle") == 0)
			s.cycle = jbool(node_as(arg, "Boolean"), "boolval");
		else if (strcmp(k, "owned_by") == 0) {
			json_t *names = list_items(arg);

			if (json_array_size(names) == 1 && strcmp(sval(json_array_get(names, 0)), "none") == 0)
				json_object_del(r, "owned_by");
			else {
				char *c;

				if (owned_by_check(m, r, names, cx) != 0)
					return -1;
				c = owned_by_id(m, names, cx);
				json_object_set_new(r, "owned_by", json_string(c));
				free(c);
			}
		}
		/* restart, sequence_name, logged: nothing the model keeps */
	}
	if (s.inc == 0) {
		warnat(&cx->pos, "INCREMENT must not be zero");
		return -1;
	}
	/* init_params: limits not given follow the type and direction; an ALTER keeps them unless
	   they were the old type's defaults and the type changed */
	{
		long long st, mn, mx, ost, omn, omx;

		seq_defaults(&s, &st, &mn, &mx);
		seq_defaults(&old, &ost, &omn, &omx);
		if (set_min <= 0 && (fresh || set_min < 0 || (set_type && old.min == omn)
		    || (old.inc > 0) != (s.inc > 0)))
			s.min = mn;
		if (set_max <= 0 && (fresh || set_max < 0 || (set_type && old.max == omx)
		    || (old.inc > 0) != (s.inc > 0)))
			s.max = mx;
		if (!set_start && fresh)
			s.start = s.inc > 0 ? s.min : s.max;
	}
	/* init_params' order: the limits against the type, each other, then START and CACHE */
	{
		long long lo, hi;

		type_range(s.type, &lo, &hi);
		if (s.max < lo || s.max > hi) {
			warnat(&cx->pos, "MAXVALUE (%lld) is out of range for sequence data type %s", s.max, s.type);
			return -1;
		}
		if (s.min < lo || s.min > hi) {
			warnat(&cx->pos, "MINVALUE (%lld) is out of range for sequence data type %s", s.min, s.type);
			return -1;
		}
	}
	if (s.min >= s.max) {
		warnat(&cx->pos, "MINVALUE (%lld) must be less than MAXVALUE (%lld)", s.min, s.max);
		return -1;
	}
	if (s.start < s.min) {
		warnat(&cx->pos, "START value (%lld) cannot be less than MINVALUE (%lld)", s.start, s.min);
		return -1;
	}
	if (s.start > s.max) {
		warnat(&cx->pos, "START value (%lld) cannot be greater than MAXVALUE (%lld)", s.start, s.max);
		return -1;
	}
	if (s.cache <= 0) {
		warnat(&cx->pos, "CACHE (%lld) must be greater than zero", s.cache);
		return -1;
	}
	seq_store(r, &s);
	return 0;
}

/* CREATE SEQUENCE. */
static int
fold_create_seq(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	json_t *rv = json_object_get(b, "sequence"), *r;
	const char *schema = jstr(rv, "schemaname") ? jstr(rv, "schemaname") : first_schema(cx);
	const char *name = jstr(rv, "relname");

	if (jeq(rv, "relpersistence", "t"))
		return MSQL_OK;
	if (name_taken(name, &(struct taken){ m, schema, 1, 0, NULL })) {
		if (jbool(b, "if_not_exists"))
			return MSQL_OK;
		warnat(&cx->pos, "relation \"%s\" already exists", name);
		return MSQL_ERR;
	}
	{
		char *id = mkid("sequence", schema, name);

		r = new_rec(m, "sequence", id, schema, name, cx);
		if (seq_options(m, r, json_object_get(b, "options"), cx, 1, NULL) != 0) {
			model_del(m, id);
			free(id);
			return MSQL_ERR;
		}
		free(id);
	}
	return MSQL_OK;
}

/* The relation record a RangeVar names along the search path, of one of the kinds (NULL-ended
   list), or NULL; peek: to read only (not copied into the undo level, not handed out). */
static json_t *
find_rel_(const struct model *m, json_t *rv, const char *const *kinds, const struct msql_ctx *cx, int peek)
{
	const char *schema = jstr(rv, "schemaname"), *name = jstr(rv, "relname");

	for (size_t i = 0; schema ? i == 0 : cx->sp && i < cx->sp->schemas.n; i++)
		for (size_t k = 0; kinds[k]; k++) {
			const char *s = schema ? schema : cx->sp->schemas.v[i];
			json_t *r = peek ? peek_rec(m, kinds[k], s, name) : get_rec(m, kinds[k], s, name);

			if (r)
				return r;
		}
	return NULL;
}

static json_t *
find_rel(const struct model *m, json_t *rv, const char *const *kinds, const struct msql_ctx *cx)
{
	return find_rel_(m, rv, kinds, cx, 0);
}

static const char *const K_TABLE[] = { "table", NULL };

/* Whether an ObjectType names a table record: TABLE or FOREIGN TABLE (relkind "foreign"). */
static int
table_type(const char *ot)
{
	return ot && (strcmp(ot, "OBJECT_TABLE") == 0 || strcmp(ot, "OBJECT_FOREIGN_TABLE") == 0);
}
static const char *const K_SEQ[] = { "sequence", NULL };
static const char *const K_INDEX[] = { "index", NULL };

/* ALTER SEQUENCE. */
static int
fold_alter_seq(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	json_t *rv = json_object_get(b, "sequence"), *r = find_rel(m, rv, K_SEQ, cx);

	if (!r) {
		if (jbool(b, "missing_ok"))
			return MSQL_OK;
		warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
		return MSQL_ERR;
	}
	return seq_options(m, r, json_object_get(b, "options"), cx, 0, NULL) ? MSQL_ERR : MSQL_OK;
}

/* ---- expressions: the columns they name ---- */

static void
collect_colrefs(json_t *n, json_t *names)
{
	size_t i;
	json_t *e;
	const char *k;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			collect_colrefs(e, names);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach(n, k, e) {
		if (strcmp(k, "ColumnRef") == 0) {
			const char *c = last_name(json_object_get(e, "fields"));

			if (c && !in_strs(names, c))
				json_array_append_new(names, json_string(c));
		} else if (strcmp(k, "SubLink") != 0)
			collect_colrefs(e, names);
	}
}

/* The distinct column names an expression's text refers to (parsed again: the model keeps text);
   NULL if it does not parse. */
static json_t *
text_colrefs(const char *text)
{
	char *q = xasprintf("SELECT %s", text);
	PgQueryParseResult r = pg_query_parse(q);
	json_t *names = NULL, *tree;

	if (!r.error && (tree = json_loads(r.parse_tree, 0, NULL))) {
		names = json_array();
		collect_colrefs(tree, names);
		json_decref(tree);
	}
	pg_query_free_parse_result(r);
	free(q);
	return names;
}

/* ---- tables ---- */

static char *
schema_id(const char *schema)
{
	char *s = model_ident(schema), *id = xasprintf("schema:%s", s);

	free(s);
	return id;
}

static int
schema_exists(const struct model *m, const char *schema)
{
	char *id = schema_id(schema);
	int r = json_object_get(model_scan(m), id) != NULL;

	free(id);
	return r;
}

struct tb {
	struct model *m;
	const struct msql_ctx *cx;
	json_t *t;                 /* the table record */
	const char *schema, *name;
	char *id;
	json_t *checks;            /* [{node, name?, col?}] CHECK constraints in order */
	json_t *ixcons;            /* [Constraint bodies] PRIMARY KEY, UNIQUE, EXCLUDE, in order */
	json_t *fks;               /* [Constraint bodies] with fk_attrs filled */
	json_t *seqs;              /* [{column, type, identity?, options?}] sequences to create */
	json_t *likes;             /* [{source: table record, options: bits}] LIKE clauses to expand */
	int fresh;                 /* CREATE TABLE: its constraints are valid whatever NOT VALID says */
	int err;                   /* tb_column refused the definition (its message given) */
};

static json_t *
col_of(json_t *t, const char *name)
{
	return by_name(json_object_get(t, "columns"), name, NULL);
}

/* The text nextval('S.N'::regclass) as the catalog shows a serial default (schema left out when
   it is public, the schema the catalog's deparse leaves unqualified by default). */
static char *
nextval_text(const char *schema, const char *seq)
{
	char *q = strcmp(schema, "public") == 0 ? model_ident(seq) : model_qname(schema, seq);
	struct buf b = { 0 };

	buf_puts(&b, "nextval('");
	for (const char *p = q; *p; p++)
		buf_puts(&b, *p == '\'' ? "''" : (char[2]){ *p, 0 });
	buf_puts(&b, "'::regclass)");
	free(q);
	return b.data;
}

static void
set_text_expr(json_t *rec, const char *key, const char *text, enum nx_kind kind)
{
	char *k = xasprintf("%s_sql", key);
	char *norm = strcmp(key, "default") == 0 && kind == NX_EXPR ? normexpr_text_as(text, jstr(rec, "type"))
	                                                             : normexpr_text(text, kind);

	json_object_set_new(rec, key, norm ? json_string(norm) : json_null());
	json_object_set_new(rec, k, json_string(text));
	free(norm);
	free(k);
}

/* rec.default (+ _sql) of a serial: nextval('S.N'::regclass). Its normal form has no locations and
   only the literal differs from one sequence to the next: it is computed on one parse of the call
   with the literal set (normexpr_node_as reads the tree, sql NULL: no constant to fix), not from a
   parse of the text per serial column. */
static void
set_nextval(json_t *rec, const char *schema, const char *seq)
{
	static json_t *tmpl; /* the call's tree, parsed once (reachable until the exit) */
	static int failed;
	char *text = nextval_text(schema, seq), *lit, *norm;
	json_t *sv;

	if (!tmpl && !failed) {
		PgQueryParseResult pr = pg_query_parse("SELECT nextval('x'::regclass)");
		json_t *root = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
		json_t *sel = node_as(json_object_get(json_array_get(json_object_get(root, "stmts"), 0), "stmt"), "SelectStmt");
		json_t *rt = node_as(json_array_get(json_object_get(sel, "targetList"), 0), "ResTarget");

		pg_query_free_parse_result(pr);
		tmpl = json_incref(json_object_get(rt, "val"));
		json_decref(root);
		failed = !tmpl;
	}
	sv = node_as(json_array_get(json_object_get(node_as(tmpl, "FuncCall"), "args"), 0), "TypeCast");
	sv = json_object_get(json_object_get(node_as(json_object_get(sv, "arg"), "A_Const"), "sval"), "sval");
	if (!json_is_string(sv)) {
		set_text_expr(rec, "default", text, NX_EXPR);
	} else {
		lit = strcmp(schema, "public") == 0 ? model_ident(seq) : model_qname(schema, seq);
		json_string_set(sv, lit);
		norm = normexpr_node_as(tmpl, NULL, jstr(rec, "type"));
		json_object_set_new(rec, "default", norm ? json_string(norm) : json_null());
		json_object_set_new(rec, "default_sql", json_string(text));
		free(lit), free(norm);
	}
	free(text);
}

/* Whether an expression is a NULL constant, cast or not. */
static int
null_const(json_t *n)
{
	json_t *tc = node_as(n, "TypeCast");

	if (tc)
		return null_const(json_object_get(tc, "arg"));
	return node_as(n, "A_Const") && jbool(node_as(n, "A_Const"), "isnull");
}

/* A column default; DEFAULT NULL is none (AddRelationNewConstraints stores no pg_attrdef for a
   null constant), except on a domain-typed column, where it overrides the domain's default. */
static void
set_default(const struct model *m, json_t *col, json_t *expr, const struct msql_ctx *cx)
{
	char *did = xasprintf("domain:%s", jstr(col, "type"));
	int domain = json_object_get(model_scan(m), did) != NULL;

	free(did);
	if (null_const(expr) && !domain) {
		json_object_del(col, "default");
		json_object_del(col, "default_sql");
	} else
		msql_expr(col, "default", expr, cx);
}

/* One column constraint or table constraint of a CREATE TABLE / ALTER TABLE; col is the column
   of a column constraint (NULL for a table constraint). */
static int
tb_constraint(struct tb *tb, json_t *c, json_t *col)
{
	const char *ct = jstr(c, "contype"), *cname = col ? jstr(col, "name") : NULL;

	if (strcmp(ct, "CONSTR_NOTNULL") == 0)
		json_object_set_new(col, "not_null", json_true());
	else if (strcmp(ct, "CONSTR_NULL") == 0)
		json_object_del(col, "not_null");
	else if (strcmp(ct, "CONSTR_DEFAULT") == 0)
		set_default(tb->m, col, json_object_get(c, "raw_expr"), tb->cx);
	else if (strcmp(ct, "CONSTR_GENERATED") == 0)
		msql_expr(col, "generated", json_object_get(c, "raw_expr"), tb->cx);
	else if (strcmp(ct, "CONSTR_IDENTITY") == 0) {
		json_object_set_new(col, "identity",
		    json_string(jeq(c, "generated_when", "a") ? "always" : "by default"));
		json_object_set_new(col, "not_null", json_true());
		json_array_append_new(tb->seqs, json_pack("{s:s, s:s, s:b, s:O?}", "column", cname, "type",
		    jstr(col, "type"), "identity", 1, "options", json_object_get(c, "options")));
	} else if (strcmp(ct, "CONSTR_CHECK") == 0) {
		json_array_append(tb->checks, c);
	} else if (strcmp(ct, "CONSTR_PRIMARY") == 0 || strcmp(ct, "CONSTR_UNIQUE") == 0
	    || strcmp(ct, "CONSTR_EXCLUSION") == 0) {
		json_t *cc = json_deep_copy(c);

		if (col && !json_object_get(cc, "keys"))
			json_object_set_new(cc, "keys", json_pack("[{s:{s:s}}]", "String", "sval", cname));
		json_array_append_new(tb->ixcons, cc);
	} else if (strcmp(ct, "CONSTR_FOREIGN") == 0) {
		json_t *cc = json_deep_copy(c);

		if (col)
			json_object_set_new(cc, "fk_attrs", json_pack("[{s:{s:s}}]", "String", "sval", cname));
		json_array_append_new(tb->fks, cc);
	} else if (strcmp(ct, "CONSTR_ATTR_DEFERRABLE") == 0 || strcmp(ct, "CONSTR_ATTR_NOT_DEFERRABLE") == 0
	    || strcmp(ct, "CONSTR_ATTR_DEFERRED") == 0 || strcmp(ct, "CONSTR_ATTR_IMMEDIATE") == 0) {
		/* a column constraint's attributes: they apply to the constraint before them */
		json_t *last = NULL;
		size_t n;

		if ((n = json_array_size(tb->fks)) && col)
			last = json_array_get(tb->fks, n - 1);
		if ((n = json_array_size(tb->ixcons)) && col)
			last = last ? last : json_array_get(tb->ixcons, n - 1);
		if (last && strcmp(ct, "CONSTR_ATTR_DEFERRABLE") == 0)
			json_object_set_new(last, "deferrable", json_true());
		else if (last && strcmp(ct, "CONSTR_ATTR_DEFERRED") == 0)
			json_object_set_new(last, "initdeferred", json_true());
	} else
		return -1;
	return 0;
}

/* The clauses of one column definition that contradict each other, refused with the server's
   words (transformColumnDefinition): 0, or -1 after the message. A serial column has a default. */
static int
column_clauses(struct tb *tb, json_t *cd, int serial)
{
	const char *cn = jstr(cd, "colname"), *tn = tb->name;
	int saw_null = 0, saw_notnull = 0, saw_default = serial, saw_identity = 0, saw_generated = 0;
	const char *msg = NULL;
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(cd, "constraints"), i, c) {
		const char *ct = jstr(node_as(c, "Constraint"), "contype");

		if (strcmp(ct, "CONSTR_NULL") == 0 || strcmp(ct, "CONSTR_NOTNULL") == 0) {
			int isnull = strcmp(ct, "CONSTR_NULL") == 0;

			if (isnull ? saw_notnull : saw_null)
				msg = "conflicting NULL/NOT NULL declarations";
			saw_null |= isnull, saw_notnull |= !isnull;
		} else if (strcmp(ct, "CONSTR_DEFAULT") == 0) {
			if (saw_default)
				msg = "multiple default values specified";
			saw_default = 1;
		} else if (strcmp(ct, "CONSTR_IDENTITY") == 0) {
			if (saw_identity)
				msg = "multiple identity specifications";
			saw_identity = 1;
		} else if (strcmp(ct, "CONSTR_GENERATED") == 0) {
			if (saw_generated)
				msg = "multiple generation clauses specified";
			saw_generated = 1;
		}
		if (msg) {
			warnat(&tb->cx->pos, "%s for column \"%s\" of table \"%s\"", msg, cn, tn);
			return -1;
		}
	}
	if (saw_default && saw_identity)
		msg = "both default and identity specified";
	else if (saw_default && saw_generated)
		msg = "both default and generation expression specified";
	else if (saw_identity && saw_generated)
		msg = "both identity and generation expression specified";
	else
		return 0;
	warnat(&tb->cx->pos, "%s for column \"%s\" of table \"%s\"", msg, cn, tn);
	return -1;
}

static json_t *owned_seqs(const struct model *m, const char *tid, const char *col);
static void drop_rec(struct model *m, const char *id);

/* The type modifiers of the built-in character, bit and numeric types, as their typmodin
   functions check them (anychar_typmodin, varbit_typmodin, numerictypmodin): 0, or -1 after
   the server's message. */
static int
typmod_check(json_t *tn, const struct msql_ctx *cx)
{
	static const char *const len[][2] = { { "varchar", "varchar" }, { "bpchar", "char" }, { "bit", "bit" },
		{ "varbit", "varbit" } };
	json_t *names = json_object_get(tn, "names"), *mods = json_object_get(tn, "typmods");
	const char *t = last_name(names);
	long long v[2] = { 0, 0 };
	size_t n = json_array_size(mods);

	if (!t || !n || n > 2 || (json_array_size(names) == 2 && strcmp(sval(json_array_get(names, 0)), "pg_catalog") != 0)
	    || json_array_size(names) > 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		json_t *ac = node_as(json_array_get(mods, i), "A_Const");

		if (!ac || !json_object_get(ac, "ival"))
			return 0;
		v[i] = jint(json_object_get(ac, "ival"), "ival");
	}
	for (size_t i = 0; i < sizeof len / sizeof len[0]; i++)
		if (strcmp(t, len[i][0]) == 0 && n == 1) {
			if (v[0] < 1) {
				warnat(&cx->pos, "length for type %s must be at least 1", len[i][1]);
				return -1;
			}
			if (v[0] > 10485760 && i < 2) {
				warnat(&cx->pos, "length for type %s cannot exceed %d", len[i][1], 10485760);
				return -1;
			}
			return 0;
		}
	if (strcmp(t, "numeric") == 0) {
		if (v[0] < 1 || v[0] > 1000) {
			warnat(&cx->pos, "NUMERIC precision %lld must be between 1 and %d", v[0], 1000);
			return -1;
		}
		if (n == 2 && (v[1] < -1000 || v[1] > 1000)) {
			warnat(&cx->pos, "NUMERIC scale %lld must be between %d and %d", v[1], -1000, 1000);
			return -1;
		}
	}
	return 0;
}

/* A column of a column definition (not yet in the table). */
static json_t *
tb_column(struct tb *tb, json_t *cd)
{
	json_t *col = json_object(), *tn = json_object_get(cd, "typeName"), *cs, *c;
	const char *name = jstr(cd, "colname"), *serial = pgn_serial_type(tn);
	char *type = type_name(tb->m, tn, tb->cx);
	size_t i;

	json_object_set_new(col, "name", json_string(name));
	json_object_set_new(col, "type", json_string(type));
	if (json_object_get(cd, "collClause")) {
		char *cn = collation_name(json_object_get(cd, "collClause"), tb->cx);

		json_object_set_new(col, "collation", json_string(cn));
		free(cn);
	}
	if (serial) {
		json_object_set_new(col, "not_null", json_true());
		json_array_append_new(tb->seqs, json_pack("{s:s, s:s}", "column", name, "type", type));
	}
	free(type);
	cs = json_object_get(cd, "constraints");
	if (typmod_check(tn, tb->cx) != 0 || column_clauses(tb, cd, serial != NULL) != 0) {
		tb->err = 1;
		json_decref(col);
		return NULL;
	}
	json_array_foreach(cs, i, c)
		if (tb_constraint(tb, node_as(c, "Constraint"), col) != 0) {
			json_decref(col);
			return NULL;
		}
	return col;
}

/* Create the sequences of serial and identity columns (named before anything else: PostgreSQL
   does it while transforming the statement). */
static int
tb_sequences(struct tb *tb)
{
	size_t i;
	json_t *s;

	json_array_foreach(tb->seqs, i, s) {
		const char *cn = jstr(s, "column");
		json_t *col = col_of(tb->t, cn), *opts = json_object_get(s, "options"), *r, *o;
		const char *given = NULL;
		char *sname, *id, *cid, *tq;
		size_t j;

		json_array_foreach(opts, j, o)
			if (jeq(node_as(o, "DefElem"), "defname", "sequence_name"))
				given = last_name(list_items(json_object_get(node_as(o, "DefElem"), "arg")));
		sname = given ? xstrdup(given) : choose_name(tb->m, tb->schema, tb->name, cn, "seq", 1, 0, NULL);
		id = mkid("sequence", tb->schema, sname);
		tq = model_qname(tb->schema, tb->name);
		{
			/* it belongs to the table's owner (a table given away before ADD ... IDENTITY) */
			char *tid = xasprintf("table:%s", tq);
			const char *prev = msql_creator(msql_owner(tb->m, tid));

			r = new_rec(tb->m, "sequence", id, tb->schema, sname, tb->cx);
			msql_creator(prev);
			free(tid);
		}
		{
			char *ci = model_ident(cn);

			cid = xasprintf("column:%s.%s", tq, ci);
			free(ci);
		}
		json_object_set_new(r, "owned_by", json_string(cid));
		if (jbool(s, "identity"))
			json_object_set_new(r, "identity", json_true());
		if (json_object_get(s, "like")) {
			/* LIKE ... INCLUDING IDENTITY: the source sequence's values as explicit options
			   (sequence_options), without AS: a bigint sequence */
			struct seq sq;

			seq_load(json_object_get(s, "like"), &sq);
			sq.type = "bigint";
			seq_store(r, &sq);
		} else if (seq_options(tb->m, r, opts, tb->cx, 1, jstr(s, "type")) != 0) {
			model_del(tb->m, id);
			free(sname), free(id), free(cid), free(tq);
			return -1;
		}
		if (!jbool(s, "identity"))
			set_nextval(col, tb->schema, sname);
		free(sname), free(id), free(cid), free(tq);
	}
	json_array_clear(tb->seqs);
	return 0;
}

/* The first column reference of an expression on table t (outside subqueries) that names no
   column of t, as its fields list (borrowed), or NULL; system columns pass. */
static json_t *
missing_colref(json_t *t, json_t *n)
{
	static const char *const sys[] = { "ctid", "xmin", "cmin", "xmax", "cmax", "tableoid", NULL };
	json_t *e, *r;
	const char *k;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			if ((r = missing_colref(t, e)) != NULL)
				return r;
		return NULL;
	}
	if (!json_is_object(n))
		return NULL;
	json_object_foreach(n, k, e) {
		if (strcmp(k, "ColumnRef") == 0) {
			json_t *f = json_object_get(e, "fields");
			size_t nf = json_array_size(f);
			const char *c = sval(json_array_get(f, nf - 1)), *q = nf == 2 ? sval(json_array_get(f, 0)) : NULL;
			int ok = !c || nf > 2 || (nf == 1 && strcmp(c, jstr(t, "name")) == 0);

			for (i = 0; sys[i] && !ok; i++)
				ok = strcmp(sys[i], c) == 0 && (!q || strcmp(q, jstr(t, "name")) == 0);
			if (!ok && (!q || strcmp(q, jstr(t, "name")) == 0))
				ok = col_of(t, c) != NULL || in_strs(json_object_get(t, "columns"), c);
			if (!ok)
				return f;
		} else if (strcmp(k, "SubLink") != 0 && (r = missing_colref(t, e)) != NULL)
			return r;
	}
	return NULL;
}

/* The server's message for a column reference missing_colref found. */
static void
colref_missing_msg(json_t *t, json_t *f, const struct msql_ctx *cx)
{
	const char *c = sval(json_array_get(f, json_array_size(f) - 1));

	if (json_array_size(f) == 2 && strcmp(sval(json_array_get(f, 0)), jstr(t, "name")) != 0)
		warnat(&cx->pos, "missing FROM-clause entry for table \"%s\"", sval(json_array_get(f, 0)));
	else if (json_array_size(f) == 2)
		warnat(&cx->pos, "column %s.%s does not exist", sval(json_array_get(f, 0)), c);
	else
		warnat(&cx->pos, "column \"%s\" does not exist", c);
}

/* Whether every column an expression of table tb names exists (a whole-row reference by the
   table's name aside): 0, or -1 after the server's message. gen: a generation expression, which
   may not use a generated column either (checkGeneratedColumns... in parse_relation.c). */
static int
expr_columns(struct tb *tb, json_t *expr, int gen)
{
	json_t *names = json_array(), *e, *sys = json_pack("[s,s,s,s,s]", "ctid", "xmin", "cmin", "xmax", "cmax");
	size_t i;
	int rc = 0;

	collect_colrefs(expr, names);
	json_array_foreach(names, i, e) {
		const char *n = json_string_value(e);
		json_t *col = col_of(tb->t, n);

		if (!col && strcmp(n, "tableoid") != 0 && in_strs(sys, n)) {
			if (gen)
				warnat(&tb->cx->pos, "cannot use system column \"%s\" in column generation expression", n);
			else
				warnat(&tb->cx->pos, "system column \"%s\" reference in check constraint is invalid", n);
			rc = -1;
			break;
		}
		if (gen && col && json_object_get(col, "generated")) {
			warnat(&tb->cx->pos, "cannot use generated column \"%s\" in column generation expression", n);
			rc = -1;
			break;
		}
	}
	if (rc == 0 && (e = missing_colref(tb->t, expr)) != NULL) {
		colref_missing_msg(tb->t, e, tb->cx);
		rc = -1;
	}
	json_decref(names), json_decref(sys);
	return rc;
}

/* The generation expressions of a column definition use existing, ungenerated columns. */
static int
gen_columns(struct tb *tb, json_t *cd)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(cd, "constraints"), i, c)
		if (jeq(node_as(c, "Constraint"), "contype", "CONSTR_GENERATED")
		    && expr_columns(tb, json_object_get(node_as(c, "Constraint"), "raw_expr"), 1) != 0)
			return -1;
	return 0;
}

/* The CHECK constraints: named as AddRelationNewConstraints names them; -1 after its message for
   a name given twice in the list. */
static int
tb_checks(struct tb *tb)
{
	json_t *used = json_array(), *c;
	size_t i;

	json_array_foreach(tb->checks, i, c)
		if (expr_columns(tb, json_object_get(c, "raw_expr"), 0) != 0) {
			json_decref(used);
			return -1;
		}
	json_array_foreach(tb->checks, i, c) {
		json_t *rec, *expr = json_object_get(c, "raw_expr");
		char *name;

		rec = json_object();
		if (jstr(c, "conname"))
			name = xstrdup(jstr(c, "conname"));
		else {
			json_t *vars = json_array();

			collect_colrefs(expr, vars);
			name = choose_name(tb->m, tb->schema, tb->name,
			    json_array_size(vars) == 1 ? json_string_value(json_array_get(vars, 0)) : NULL,
			    "check", 0, 1, used);
			json_decref(vars);
		}
		json_object_set_new(rec, "name", json_string(name));
		json_object_set_new(rec, "type", json_string("check"));
		msql_expr(rec, "expr", expr, tb->cx);
		if (jbool(c, "is_no_inherit"))
			json_object_set_new(rec, "no_inherit", json_true());
		if (!tb->fresh && !jbool(c, "initially_valid") && jbool(c, "skip_validation"))
			json_object_set_new(rec, "not_valid", json_true());
		if (jstr(c, "conname")) {
			/* AddRelationNewConstraints: a name given twice in the statement is refused; one the
			   table has is merged (MergeWithExistingConstraint) when it is an inherited check with
			   the same expression, refused otherwise */
			json_t *have = by_name(json_object_get(tb->t, "constraints"), name, NULL);
			int inh = have && jeq(have, "type", "check") && jbool(have, "inherited"), bad = 1;

			if (in_strs(used, name))
				warnat(&tb->cx->pos, "check constraint \"%s\" already exists", name);
			else if (inh && jbool(c, "is_no_inherit"))
				warnat(&tb->cx->pos, "constraint \"%s\" conflicts with inherited constraint on relation \"%s\"",
				    name, tb->name);
			else if (inh && json_equal(json_object_get(have, "expr"), json_object_get(rec, "expr"))) {
				json_object_del(have, "inherited");
				json_array_append_new(used, json_string(name));
				json_decref(rec);
				free(name);
				continue;
			} else if (have)
				warnat(&tb->cx->pos, "constraint \"%s\" for relation \"%s\" already exists", name, tb->name);
			else
				bad = 0;
			if (bad) {
				json_decref(rec), json_decref(used);
				json_array_clear(tb->checks);
				free(name);
				return -1;
			}
		}
		json_array_append_new(used, json_string(name));
		add_constraint(tb->t, rec);
		free(name);
	}
	json_decref(used);
	json_array_clear(tb->checks);
	return 0;
}

static json_t *
strs_of(json_t *list)
{
	json_t *a = json_array(), *e;
	size_t i;

	json_array_foreach(list, i, e)
		json_array_append_new(a, json_string(sval(e) ? sval(e) : jstr(node_as(e, "IndexElem"), "name")));
	return a;
}

/* Whether two constraint bodies would make the same index (transformIndexConstraints). */
static int
same_index(json_t *a, json_t *b)
{
	static const char *const keys[] = { "keys", "including", "exclusions", "where_clause", "access_method" };

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		json_t *x = json_object_get(a, keys[i]), *y = json_object_get(b, keys[i]);

		if (!json_equal(x ? x : json_null(), y ? y : json_null()))
			return 0;
	}
	return jbool(a, "nulls_not_distinct") == jbool(b, "nulls_not_distinct")
	    && jbool(a, "deferrable") == jbool(b, "deferrable") && jbool(a, "initdeferred") == jbool(b, "initdeferred");
}

/* An operator class as the catalog names it: built-in ones bare, others schema-qualified. */
static char *
opclass_name(json_t *names, const struct msql_ctx *cx)
{
	size_t n = json_array_size(names);
	const char *name = last_name(names);

	if (n >= 2 && strcmp(sval(json_array_get(names, n - 2)), "pg_catalog") != 0)
		return model_qname(sval(json_array_get(names, n - 2)), name);
	/* an unqualified one not of pg_catalog comes from an extension, whose schema the catalog names */
	if (n >= 2 || pgopc_builtin(name))
		return model_ident(name);
	return model_qname(first_schema(cx), name);
}

/* Whether opclass o (as opclass_name writes it) is a default one of access method am: of
   pg_catalog, of an extension the model has (in its schema), or made with DEFAULT in the files. */
static int
default_opclass(const struct model *m, const char *o, const char *am)
{
	char *id;
	const char *ext, *opc;
	int i = 0, yes = pgopc_default(am, o);

	if (yes || !m)
		return yes;
	id = xasprintf("opclass:%s(%s)", o, am);
	yes = jbool(model_get(m, id), "default");
	free(id);
	while (!yes && pgopc_ext_default(am, &i, &ext, &opc)) {
		char *eid = model_ident(ext), *bare = model_ident(opc), *q;
		json_t *e;

		id = xasprintf("extension:%s", eid);
		e = model_get(m, id);
		q = e && jstr(e, "schema") ? model_qname(jstr(e, "schema"), opc) : NULL;
		yes = e && (strcmp(o, bare) == 0 || (q && strcmp(o, q) == 0));
		free(eid), free(bare), free(q), free(id);
	}
	return yes;
}

/* Drop from each key of keys an opclass that is a default one of access method am (m: the
   model, for the extensions' and the files' own; NULL: pg_catalog's only). */
static void
drop_default_opclasses(const struct model *m, json_t *keys, const char *am)
{
	size_t i;
	json_t *k;

	json_array_foreach(keys, i, k) {
		const char *o = jstr(k, "opclass");

		if (o && default_opclass(m, o, am ? am : "btree"))
			json_object_del(k, "opclass");
	}
}

/* An index element: {column | expr+expr_sql, opclass?, desc?, nulls_first?, collation?}. */
static json_t *
index_elem(json_t *ie, const struct msql_ctx *cx, int with_order)
{
	json_t *k = json_object(), *oc = json_object_get(ie, "opclass");
	int desc = jeq(ie, "ordering", "SORTBY_DESC");

	if (jstr(ie, "name"))
		json_object_set_new(k, "column", json_string(jstr(ie, "name")));
	else
		msql_expr(k, "expr", json_object_get(ie, "expr"), cx);
	if (json_array_size(oc)) {
		char *o = opclass_name(oc, cx);

		json_object_set_new(k, "opclass", json_string(o));
		free(o);
	}
	if (json_array_size(json_object_get(ie, "collation"))) {
		char *cn = collation_name(json_object_get(ie, "collation"), cx);

		json_object_set_new(k, "collation", json_string(cn));
		free(cn);
	}
	if (with_order) {
		if (desc)
			json_object_set_new(k, "desc", json_true());
		if (desc ? jeq(ie, "nulls_ordering", "SORTBY_NULLS_LAST") : jeq(ie, "nulls_ordering", "SORTBY_NULLS_FIRST"))
			json_object_set_new(k, desc ? "nulls_last" : "nulls_first", json_true());
	}
	return k;
}

/* FigureColnameInternal (for FigureIndexColname): 0 no name, 1 a weak name, 2 a strong one. */
static int
figure(json_t *n, const char **name)
{
	const char *t = node_type(n);
	json_t *b = node_body(n);

	if (!b)
		return 0;
	if (strcmp(t, "ColumnRef") == 0) {
		const char *c = last_name(json_object_get(b, "fields"));

		if (!c)
			return 0;
		*name = c;
		return 2;
	}
	if (strcmp(t, "A_Indirection") == 0) {
		json_t *ind = json_object_get(b, "indirection");
		const char *c = last_name(ind);

		if (c) {
			*name = c;
			return 2;
		}
		return figure(json_object_get(b, "arg"), name);
	}
	if (strcmp(t, "FuncCall") == 0) {
		*name = last_name(json_object_get(b, "funcname"));
		return 2;
	}
	if (strcmp(t, "A_Expr") == 0) {
		if (jeq(b, "kind", "AEXPR_NULLIF")) {
			*name = "nullif";
			return 2;
		}
		return 0;
	}
	if (strcmp(t, "TypeCast") == 0) {
		int st = figure(json_object_get(b, "arg"), name);

		if (st <= 1) {
			json_t *tn = json_object_get(b, "typeName");

			*name = last_name(json_object_get(node_as(tn, "TypeName") ? node_as(tn, "TypeName") : tn, "names"));
			return 1;
		}
		return st;
	}
	if (strcmp(t, "CollateClause") == 0)
		return figure(json_object_get(b, "arg"), name);
	if (strcmp(t, "GroupingFunc") == 0)
		return *name = "grouping", 2;
	if (strcmp(t, "CaseExpr") == 0) {
		int st = figure(json_object_get(b, "defresult"), name);

		if (st <= 1) {
			*name = "case";
			return 1;
		}
		return st;
	}
	if (strcmp(t, "A_ArrayExpr") == 0)
		return *name = "array", 2;
	if (strcmp(t, "RowExpr") == 0)
		return *name = "row", 2;
	if (strcmp(t, "CoalesceExpr") == 0)
		return *name = "coalesce", 2;
	if (strcmp(t, "MinMaxExpr") == 0)
		return *name = jeq(b, "op", "IS_GREATEST") ? "greatest" : "least", 2;
	if (strcmp(t, "SubLink") == 0) {
		const char *k = jstr(b, "subLinkType");

		if (k && strcmp(k, "EXISTS_SUBLINK") == 0)
			return *name = "exists", 2;
		if (k && strcmp(k, "ARRAY_SUBLINK") == 0)
			return *name = "array", 2;
		return 0;
	}
	if (strcmp(t, "SQLValueFunction") == 0) {
		static const char *const f[][2] = { { "SVFOP_CURRENT_DATE", "current_date" },
			{ "SVFOP_CURRENT_TIME", "current_time" }, { "SVFOP_CURRENT_TIME_N", "current_time" },
			{ "SVFOP_CURRENT_TIMESTAMP", "current_timestamp" }, { "SVFOP_CURRENT_TIMESTAMP_N", "current_timestamp" },
			{ "SVFOP_LOCALTIME", "localtime" }, { "SVFOP_LOCALTIME_N", "localtime" },
			{ "SVFOP_LOCALTIMESTAMP", "localtimestamp" }, { "SVFOP_LOCALTIMESTAMP_N", "localtimestamp" },
			{ "SVFOP_CURRENT_ROLE", "current_role" }, { "SVFOP_CURRENT_USER", "current_user" },
			{ "SVFOP_USER", "user" }, { "SVFOP_SESSION_USER", "session_user" },
			{ "SVFOP_CURRENT_CATALOG", "current_catalog" }, { "SVFOP_CURRENT_SCHEMA", "current_schema" } };

		for (size_t i = 0; i < sizeof f / sizeof *f; i++)
			if (jeq(b, "op", f[i][0]))
				return *name = f[i][1], 2;
		return 0;
	}
	return 0;
}

/* FigureIndexColname of an expression's text; NULL when it gives none. */
static char *
text_colname(const char *text)
{
	char *q, *r = NULL;
	PgQueryParseResult pr;
	json_t *tree;

	if (!text)
		return NULL;
	q = xasprintf("SELECT %s", text);
	pr = pg_query_parse(q);
	if (!pr.error && (tree = json_loads(pr.parse_tree, 0, NULL))) {
		json_t *sel = node_as(json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt"), "SelectStmt");
		json_t *rt = node_as(json_array_get(json_object_get(sel, "targetList"), 0), "ResTarget");
		const char *name = NULL;

		if (rt && figure(json_object_get(rt, "val"), &name) > 0 && name)
			r = xstrdup(name);
		json_decref(tree);
	}
	pg_query_free_parse_result(pr);
	free(q);
	return r;
}

/* The column names ChooseIndexColumnNames gives index elements: the column, else "expr",
   made unique with a number. */
static json_t *
index_colnames(json_t *elems, int figure_names)
{
	json_t *out = json_array(), *e;
	size_t i;

	json_array_foreach(elems, i, e) {
		json_t *ie = node_as(e, "IndexElem");
		const char *orig = NULL;
		char *cur;

		if (!ie)
			orig = json_is_string(e) ? json_string_value(e) : sval(e);
		else if (jstr(ie, "indexcolname"))
			orig = jstr(ie, "indexcolname");
		else if (jstr(ie, "name"))
			orig = jstr(ie, "name");
		else if (figure_names && (figure(json_object_get(ie, "expr"), &orig) == 0 || !orig))
			orig = NULL;
		if (!orig)
			orig = "expr";
		cur = xstrdup(orig);

		for (int n = 1; in_strs(out, cur); n++) {
			char nb[16];
			size_t len = strlen(orig), max;
			int w = snprintf(nb, sizeof nb, "%d", n);

			max = PGN_MAXLEN - (size_t)w;
			if (len > max) {
				len = max;
				while (len > 0 && ((unsigned char)orig[len] & 0xC0) == 0x80)
					len--;
			}
			free(cur);
			cur = xasprintf("%.*s%s", (int)len, orig, nb);
		}
		json_array_append_new(out, json_string(cur));
		free(cur);
	}
	return out;
}

/* An index-backed constraint (PRIMARY KEY, UNIQUE, EXCLUDE) on tb->t. */
static int
tb_ixcon(struct tb *tb, json_t *c)
{
	json_t *rec = json_object(), *keys = json_object_get(c, "keys"), *inc = json_object_get(c, "including");
	const char *ct = jstr(c, "contype");
	int pk = strcmp(ct, "CONSTR_PRIMARY") == 0, ex = strcmp(ct, "CONSTR_EXCLUSION") == 0;
	char *name;
	size_t i;
	json_t *e;

	if (ex) {
		json_t *els = json_array(), *pair;

		json_array_foreach(json_object_get(c, "exclusions"), i, pair) {
			json_t *it = list_items(pair), *ie = node_as(json_array_get(it, 0), "IndexElem");
			json_t *el = index_elem(ie, tb->cx, 1);

			char *on = msql_agg_opr_name(tb->m, list_items(json_array_get(it, 1)), tb->cx);

			json_object_set_new(el, "operator", json_string(on));
			free(on);
			json_array_append_new(els, el);
		}
		drop_default_opclasses(tb->m, els, jstr(c, "access_method"));
		json_object_set_new(rec, "elements", els);
		json_object_set_new(rec, "method", json_string(jstr(c, "access_method") ? jstr(c, "access_method") : "btree"));
		if (json_object_get(c, "where_clause"))
			msql_expr(rec, "where", json_object_get(c, "where_clause"), tb->cx);
	} else {
		json_t *cols = strs_of(keys);

		json_array_foreach(cols, i, e) {
			json_t *col = col_of(tb->t, json_string_value(e));

			if (!col) {
				warnat(&tb->cx->pos, "column \"%s\" named in key does not exist", json_string_value(e));
				json_decref(cols), json_decref(rec);
				return -1;
			}
			if (pk)
				json_object_set_new(col, "not_null", json_true());
		}
		json_object_set_new(rec, "columns", cols);
		if (json_array_size(inc))
			json_object_set_new(rec, "include", strs_of(inc));
		if (jbool(c, "nulls_not_distinct"))
			json_object_set_new(rec, "nulls_not_distinct", json_true());
	}
	if (jstr(c, "conname"))
		name = xstrdup(jstr(c, "conname"));
	else {
		json_t *all = json_array(), *names, *els = ex ? json_array() : NULL;
		char *add;

		if (ex) {
			json_t *pair;

			json_array_foreach(json_object_get(c, "exclusions"), i, pair)
				json_array_append(els, json_array_get(list_items(pair), 0));
		}
		json_array_extend(all, ex ? els : keys);
		if (inc)
			json_array_extend(all, inc);
		/* transformIndexStmt names an exclusion's expressions (FigureIndexColname) as it
		   names an index's */
		names = index_colnames(all, ex);
		add = name_addition(names);
		name = choose_name(tb->m, tb->schema, tb->name, pk ? NULL : add, pk ? "pkey" : ex ? "excl" : "key",
		    1, 1, NULL);
		free(add);
		json_decref(names), json_decref(all), json_decref(els);
	}
	json_object_set_new(rec, "name", json_string(name));
	json_object_set_new(rec, "type", json_string(pk ? "primary key" : ex ? "exclusion" : "unique"));
	if (jbool(c, "deferrable"))
		json_object_set_new(rec, "deferrable", json_true());
	if (jbool(c, "initdeferred"))
		json_object_set_new(rec, "initially_deferred", json_true());
	add_constraint(tb->t, rec);
	free(name);
	return 0;
}

/* PRIMARY KEY, UNIQUE and EXCLUDE: the primary key first, duplicates of an earlier one merged. */
static int
tb_ixcons(struct tb *tb)
{
	json_t *fin = json_array(), *c;
	size_t i, j;
	int rc = 0;

	json_array_foreach(tb->ixcons, i, c)
		if (jeq(c, "contype", "CONSTR_PRIMARY")) {
			json_t *have;

			/* ALTER TABLE ... ADD PRIMARY KEY on a table that has one (index_check_primary_key) */
			json_array_foreach(json_object_get(tb->t, "constraints"), j, have)
				if (jeq(have, "type", "primary key"))
					break;
			if (json_array_size(fin) || j < json_array_size(json_object_get(tb->t, "constraints"))) {
				warnat(&tb->cx->pos, "multiple primary keys for table \"%s\" are not allowed", tb->name);
				json_decref(fin);
				return -1;
			}
			json_array_append(fin, c);
		}
	json_array_foreach(tb->ixcons, i, c) {
		json_t *p;
		int keep = 1;

		if (jeq(c, "contype", "CONSTR_PRIMARY"))
			continue;
		json_array_foreach(fin, j, p)
			if (same_index(c, p)) {
				if (!jstr(p, "conname") && jstr(c, "conname"))
					json_object_set(p, "conname", json_object_get(c, "conname"));
				keep = 0;
				break;
			}
		if (keep)
			json_array_append(fin, c);
	}
	json_array_foreach(fin, i, c)
		if ((rc = tb_ixcon(tb, c)) != 0)
			break;
	json_decref(fin);
	json_array_clear(tb->ixcons);
	return rc;
}

static const char *
fk_action(const char *a)
{
	switch (a ? *a : 'a') {
	case 'r': return "restrict";
	case 'c': return "cascade";
	case 'n': return "set null";
	case 'd': return "set default";
	default: return NULL;
	}
}

/* The primary key columns of table record t, or NULL. */
static json_t *
pk_columns(json_t *t)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(t, "constraints"), i, c)
		if (jeq(c, "type", "primary key"))
			return json_object_get(c, "columns");
	return NULL;
}

/* A FOREIGN KEY constraint on tb->t (ATAddForeignKeyConstraint). */
static json_t *indexes_on(const struct model *m, const char *tid);

/* Whether cols (strings) and the column list a are the same set. */
static int
same_set(json_t *cols, json_t *a)
{
	json_t *e;
	size_t i;

	if (json_array_size(cols) != json_array_size(a))
		return 0;
	json_array_foreach(a, i, e) {
		/* an index key that is an expression matches no column */
		const char *c = json_is_string(e) ? json_string_value(e) : jstr(e, "column");

		if (!c || !in_strs(cols, c))
			return 0;
	}
	return 1;
}

/* The columns of a foreign key, as ATAddForeignKeyConstraint checks them: they exist on both
   sides; given referenced columns are distinct and are the keys of a unique, immediate,
   non-partial constraint or index of ref (transformFkeyCheckAttrs); as many on each side.
   0, or -1 after the server's message. */
static int
fk_columns(struct tb *tb, json_t *ref, json_t *cols, json_t *refcols, const char *refname)
{
	json_t *e, *k;
	size_t i, j;

	json_array_foreach(cols, i, e)
		if (!col_of(tb->t, json_string_value(e))) {
			warnat(&tb->cx->pos, "column \"%s\" referenced in foreign key constraint does not exist",
			    json_string_value(e));
			return -1;
		}
	json_array_foreach(refcols, i, e)
		if (!col_of(ref, json_string_value(e))) {
			warnat(&tb->cx->pos, "column \"%s\" referenced in foreign key constraint does not exist",
			    json_string_value(e));
			return -1;
		}
	if (json_array_size(refcols)) {
		int found = 0;
		json_t *ixs;

		json_array_foreach(refcols, i, e)
			json_array_foreach(refcols, j, k)
				if (j < i && json_equal(e, k)) {
					warnat(&tb->cx->pos, "foreign key referenced-columns list must not contain duplicates");
					return -1;
				}
		json_array_foreach(json_object_get(ref, "constraints"), i, k)
			if ((jeq(k, "type", "primary key") || jeq(k, "type", "unique"))
			    && same_set(refcols, json_object_get(k, "columns")))
				found |= jbool(k, "deferrable") ? 2 : 1;
		/* a unique index counts as a constraint: looked for only when no constraint matched (a scan
		   of the model per foreign key made a big schema quadratic) */
		if (!(found & 1)) {
			ixs = indexes_on(tb->m, jstr(ref, "id"));
			json_array_foreach(ixs, i, k)
				found |= jbool(k, "unique") && !json_object_get(k, "where")
				    && same_set(refcols, json_object_get(k, "keys"));
			json_decref(ixs);
		}
		if (found == 2) {
			warnat(&tb->cx->pos, "cannot use a deferrable unique constraint for referenced table \"%s\"", refname);
			return -1;
		}
		if (!found) {
			warnat(&tb->cx->pos, "there is no unique constraint matching given keys for referenced table \"%s\"",
			    refname);
			return -1;
		}
		if (json_array_size(cols) != json_array_size(refcols)) {
			warnat(&tb->cx->pos, "number of referencing and referenced columns for foreign key disagree");
			return -1;
		}
	}
	return 0;
}

static int
tb_fk(struct tb *tb, json_t *c)
{
	json_t *rec = json_object(), *pkt = json_object_get(c, "pktable"), *ref, *cols, *refcols;
	char *name, *rq = msql_resolve(tb->m, pkt, "table:", tb->cx), *rid = xasprintf("table:%s", rq);

	free(rq);
	/* read only: a copy of the referenced table into the undo level per foreign key is not needed */
	ref = json_object_get(model_scan(tb->m), rid);
	if (!ref) {
		warnat(&tb->cx->pos, "relation \"%s\" does not exist", jstr(pkt, "relname"));
		free(rid), json_decref(rec);
		return -1;
	}
	cols = strs_of(json_object_get(c, "fk_attrs"));
	refcols = strs_of(json_object_get(c, "pk_attrs"));
	if (fk_columns(tb, ref, cols, refcols, jstr(pkt, "relname")) != 0) {
		free(rid), json_decref(rec), json_decref(cols), json_decref(refcols);
		return -1;
	}
	if (!json_array_size(refcols)) {
		json_decref(refcols);
		if (!pk_columns(ref)) {
			warnat(&tb->cx->pos, "there is no primary key for referenced table \"%s\"", jstr(pkt, "relname"));
			free(rid), json_decref(rec), json_decref(cols);
			return -1;
		}
		refcols = json_deep_copy(pk_columns(ref));
		if (json_array_size(cols) != json_array_size(refcols)) {
			warnat(&tb->cx->pos, "number of referencing and referenced columns for foreign key disagree");
			free(rid), json_decref(rec), json_decref(cols), json_decref(refcols);
			return -1;
		}
	}
	if (jstr(c, "conname"))
		name = xstrdup(jstr(c, "conname"));
	else {
		char *add = name_addition(cols);

		name = choose_name(tb->m, tb->schema, tb->name, add, "fkey", 0, 1, NULL);
		free(add);
	}
	json_object_set_new(rec, "name", json_string(name));
	json_object_set_new(rec, "type", json_string("foreign key"));
	json_object_set_new(rec, "columns", cols);
	json_object_set_new(rec, "ref_table", json_string(rid));
	json_object_set_new(rec, "ref_columns", refcols);
	if (fk_action(jstr(c, "fk_del_action")))
		json_object_set_new(rec, "on_delete", json_string(fk_action(jstr(c, "fk_del_action"))));
	if (fk_action(jstr(c, "fk_upd_action")))
		json_object_set_new(rec, "on_update", json_string(fk_action(jstr(c, "fk_upd_action"))));
	if (jeq(c, "fk_matchtype", "f"))
		json_object_set_new(rec, "match", json_string("full"));
	else if (jeq(c, "fk_matchtype", "p"))
		json_object_set_new(rec, "match", json_string("partial"));
	if (jbool(c, "deferrable"))
		json_object_set_new(rec, "deferrable", json_true());
	if (jbool(c, "initdeferred"))
		json_object_set_new(rec, "initially_deferred", json_true());
	if (!tb->fresh && jbool(c, "skip_validation") && !jbool(c, "initially_valid"))
		json_object_set_new(rec, "not_valid", json_true());
	add_constraint(tb->t, rec);
	free(name), free(rid);
	return 0;
}

static int
tb_fks(struct tb *tb)
{
	size_t i;
	json_t *c;

	json_array_foreach(tb->fks, i, c)
		if (tb_fk(tb, c) != 0)
			return -1;
	json_array_clear(tb->fks);
	return 0;
}

static void partition_clones(struct tb *tb, json_t *p);
static void tb_likes(struct tb *tb);
static json_t *identity_seq(const struct model *m, json_t *t, const char *col);
static json_t *indexes_on(const struct model *m, const char *tid);

/* Every pending constraint and sequence, in PostgreSQL's order; parent: of a new partition. */
static int
tb_finish(struct tb *tb, json_t *parent)
{
	if (tb_sequences(tb) != 0 || tb_checks(tb) != 0)
		return -1;
	if (parent)
		partition_clones(tb, parent);
	tb_likes(tb);
	return tb_ixcons(tb) || tb_fks(tb) ? -1 : 0;
}

static void
tb_init(struct tb *tb, struct model *m, const struct msql_ctx *cx, json_t *t)
{
	*tb = (struct tb){ m, cx, t, jstr(t, "schema"), jstr(t, "name"), NULL, json_array(), json_array(),
		json_array(), json_array(), json_array(), 0, 0 };
	tb->id = xstrdup(jstr(t, "id"));
}

static void
tb_free(struct tb *tb)
{
	json_decref(tb->checks), json_decref(tb->ixcons), json_decref(tb->fks), json_decref(tb->seqs);
	json_decref(tb->likes);
	free(tb->id);
}

/* The reloption text of a DefElem as pg_class.reloptions holds it: name=value. */
static char *
reloption(json_t *de, const struct msql_ctx *cx)
{
	json_t *arg = json_object_get(de, "arg");
	const char *k = jstr(de, "defname"), *ns = jstr(de, "defnamespace");
	char *v;

	if (!arg)
		v = xstrdup("true");
	else if (node_as(arg, "Integer") || node_as(arg, "Float")) {
		long long n;

		if (node_as(arg, "Float"))
			v = xstrdup(jstr(node_as(arg, "Float"), "fval"));
		else if (defelem_number(cx, de, &n) == 0 || (n = jint(node_as(arg, "Integer"), "ival"), 1))
			v = xasprintf("%lld", n);
		else
			v = xstrdup("0");
	} else if (node_as(arg, "String"))
		v = xstrdup(sval(arg));
	else if (node_as(arg, "Boolean"))
		v = xstrdup(jbool(node_as(arg, "Boolean"), "boolval") ? "true" : "false");
	else if (node_as(arg, "TypeName"))
		v = xstrdup(last_name(json_object_get(node_as(arg, "TypeName"), "names")));
	else
		v = xstrdup("");
	{
		char *r = ns ? xasprintf("%s.%s=%s", ns, k, v) : xasprintf("%s=%s", k, v);

		free(v);
		return r;
	}
}

/* Set (reset: remove) reloptions on rec["options"]; order kept, a set option replaced in place.
   oids=false is accepted and dropped (transformReloptions: old dumps write WITH (OIDS=FALSE));
   toast.* parameters go to the TOAST table, which the model does not describe (conf-inspect reads
   the table's own pg_class.reloptions). */
static void
set_options(json_t *rec, json_t *defs, int reset, const struct msql_ctx *cx)
{
	json_t *a = arr(rec, "options"), *d;
	size_t i;

	json_array_foreach(defs, i, d) {
		json_t *de = node_as(d, "DefElem");
		char *opt, *eq;
		size_t klen, j;
		json_t *e;
		int done = 0;

		if (jeq(de, "defnamespace", "toast") || (!jstr(de, "defnamespace") && jeq(de, "defname", "oids")))
			continue;
		opt = reloption(de, cx), eq = strchr(opt, '=');
		klen = (size_t)(eq - opt) + 1;

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
		free(opt);
	}
}

/* The partition key of PARTITION BY. */
static json_t *
partition_by(json_t *ps, const struct msql_ctx *cx)
{
	json_t *p = json_object(), *keys = json_array(), *e;
	size_t i;

	json_object_set_new(p, "strategy", json_string(jstr(ps, "strategy")));
	json_array_foreach(json_object_get(ps, "partParams"), i, e) {
		json_t *pe = node_as(e, "PartitionElem"), *k = json_object();

		if (jstr(pe, "name"))
			json_object_set_new(k, "column", json_string(jstr(pe, "name")));
		else
			msql_expr(k, "expr", json_object_get(pe, "expr"), cx);
		if (json_array_size(json_object_get(pe, "opclass"))) {
			char *o = opclass_name(json_object_get(pe, "opclass"), cx);

			json_object_set_new(k, "opclass", json_string(o));
			free(o);
		}
		if (json_array_size(json_object_get(pe, "collation"))) {
			char *cn = collation_name(json_object_get(pe, "collation"), cx);

			json_object_set_new(k, "collation", json_string(cn));
			free(cn);
		}
		json_array_append_new(keys, k);
	}
	/* a hash partition key takes the hash operator class, range and list the btree one */
	drop_default_opclasses(NULL, keys, strcmp(jstr(ps, "strategy"), "hash") == 0 ? "hash" : "btree");
	json_object_set_new(p, "keys", keys);
	return p;
}

/* The end of the parenthesized list that starts at the first "(" from p (quotes skipped). */
static const char *
paren_end(const char *p)
{
	int depth = 0;

	while (*p && *p != '(')
		p++;
	for (; *p; p++) {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			for (p++; *p && !(*p == q && p[1] != q); p += *p == q ? 2 : 1)
				;
			if (!*p)
				break;
		} else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return p;
}

/* The bound of a partition: normalized form and the text FOR VALUES ... / DEFAULT (the tree's
   location is at FROM, IN, WITH or DEFAULT). */
/* A partition bound against its parent's partitioning, as transformPartitionBound checks it:
   0, or -1 after the server's message. */
static int
bound_check(json_t *pb, json_t *parent, const struct msql_ctx *cx)
{
	json_t *ps = json_object_get(parent, "partition_by");
	const char *st = jstr(ps, "strategy"), *bs = jstr(pb, "strategy");
	size_t nk = json_array_size(json_object_get(ps, "keys"));

	if (!ps) {
		warnat(&cx->pos, "\"%s\" is not partitioned", jstr(parent, "name"));
		return -1;
	}
	if (jbool(pb, "is_default")) {
		if (st && strcmp(st, "hash") == 0) {
			warnat(&cx->pos, "a hash-partitioned table may not have a default partition");
			return -1;
		}
		return 0;
	}
	if (!st || !bs || st[0] != bs[0]) {
		warnat(&cx->pos, "invalid bound specification for a %s partition", st ? st : "?");
		return -1;
	}
	if (strcmp(st, "hash") == 0) {
		if (jint(pb, "modulus") <= 0) {
			warnat(&cx->pos, "modulus for hash partition must be an integer value greater than zero");
			return -1;
		}
		if (jint(pb, "remainder") >= jint(pb, "modulus")) {
			warnat(&cx->pos, "remainder for hash partition must be less than modulus");
			return -1;
		}
	} else if (strcmp(st, "range") == 0) {
		if (json_array_size(json_object_get(pb, "lowerdatums")) != nk) {
			warnat(&cx->pos, "FROM must specify exactly one value per partitioning column");
			return -1;
		}
		if (json_array_size(json_object_get(pb, "upperdatums")) != nk) {
			warnat(&cx->pos, "TO must specify exactly one value per partitioning column");
			return -1;
		}
	}
	return 0;
}

static int
set_bound(json_t *t, json_t *pb, json_t *parent, const struct msql_ctx *cx)
{
	const char **types;
	const char *p = cx->sql + jint(pb, "location"), *e;
	char *text;

	if (bound_check(pb, parent, cx) != 0)
		return -1;
	types = normexpr_key_types(parent);

	if (jbool(pb, "is_default"))
		text = xstrdup("DEFAULT");
	else {
		int from = strncasecmp(p, "from", 4) == 0;

		e = paren_end(p);
		if (from)
			e = paren_end(e);
		text = xasprintf("FOR VALUES %.*s", (int)(e - p), p);
	}
	char *norm = normexpr_bound(text, types);

	json_object_set_new(t, "bound", norm ? json_string(norm) : json_null());
	json_object_set_new(t, "bound_sql", json_string(text));
	free(norm);
	free(types);
	free(text);
	return 0;
}

/* Inherit from parent record p into the new table t (MergeAttributes, partitions included):
   columns first, CHECK constraints that are inheritable. */
static void
inherit_from(struct tb *tb, json_t *p)
{
	json_t *cols = arr(tb->t, "columns"), *c;
	size_t i;

	json_array_foreach(json_object_get(p, "columns"), i, c) {
		json_t *have = col_of(tb->t, jstr(c, "name")), *nc;

		if (have) {
			if (jbool(c, "not_null"))
				json_object_set_new(have, "not_null", json_true());
			continue;
		}
		nc = json_deep_copy(c);
		json_object_del(nc, "identity");
		json_object_del(nc, "inherited");
		json_object_set_new(nc, "inherited", json_true());
		json_array_append_new(cols, nc);
	}
	json_array_foreach(json_object_get(p, "constraints"), i, c) {
		json_t *nc;

		if (!jeq(c, "type", "check") || jbool(c, "no_inherit")
		    || by_name(json_object_get(tb->t, "constraints"), jstr(c, "name"), NULL))
			continue;
		nc = json_deep_copy(c);
		/* a new table's constraints hold: validated */
		json_object_del(nc, "not_valid");
		json_object_set_new(nc, "inherited", json_true());
		add_constraint(tb->t, nc);
	}
}

/* A partition's copies of its parent's keys and foreign keys: the index constraints named for the
   partition (index_constraint_create with a parent), foreign keys under the parent's name. */
static void
partition_clones(struct tb *tb, json_t *p)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(p, "constraints"), i, c) {
		json_t *nc;

		if (index_backed(c)) {
			int pk = jeq(c, "type", "primary key"), ex = jeq(c, "type", "exclusion");
			json_t *names = json_array(), *all;
			char *add, *name;

			if (ex) {
				json_t *el;
				size_t j;

				json_array_foreach(json_object_get(c, "elements"), j, el)
					json_array_append_new(names, json_string(jstr(el, "column") ? jstr(el, "column") : "expr"));
			} else {
				json_array_extend(names, json_object_get(c, "columns"));
				if (json_object_get(c, "include"))
					json_array_extend(names, json_object_get(c, "include"));
			}
			all = index_colnames(names, 0);
			add = name_addition(all);
			name = choose_name(tb->m, tb->schema, tb->name, pk ? NULL : add,
			    pk ? "pkey" : ex ? "excl" : "key", 1, 1, NULL);
			nc = json_deep_copy(c);
			json_object_set_new(nc, "name", json_string(name));
			free(add), free(name);
			if (pk) {
				json_t *cn;
				size_t j;

				json_array_foreach(json_object_get(c, "columns"), j, cn)
					if (col_of(tb->t, json_string_value(cn)))
						json_object_set_new(col_of(tb->t, json_string_value(cn)), "not_null", json_true());
			}
			json_decref(names), json_decref(all);
		} else if (jeq(c, "type", "foreign key"))
			nc = json_deep_copy(c);
		else
			continue;
		json_object_set_new(nc, "inherited", json_true());
		add_constraint(tb->t, nc);
	}
}

static const char *const K_VIEWS[] = { "view", "matview", NULL };

enum { LIKE_COMMENTS = 1 << 0, LIKE_CONSTRAINTS = 1 << 2, LIKE_DEFAULTS = 1 << 3, LIKE_GENERATED = 1 << 4,
	LIKE_IDENTITY = 1 << 5, LIKE_INDEXES = 1 << 6 };

/* LIKE source: its columns now (transformTableLikeClause), the rest after the checks. */
static int
like_columns(struct tb *tb, json_t *lc)
{
	json_t *src = find_rel(tb->m, json_object_get(lc, "relation"), K_TABLE, tb->cx), *c;
	long long opt = jint(lc, "options");
	size_t i;

	json_array_foreach(json_object_get(src, "columns"), i, c) {
		json_t *nc = json_object();

		if (col_of(tb->t, jstr(c, "name"))) {
			warnat(&tb->cx->pos, "column \"%s\" specified more than once", jstr(c, "name"));
			json_decref(nc);
			return -1;
		}
		json_object_set(nc, "name", json_object_get(c, "name"));
		json_object_set(nc, "type", json_object_get(c, "type"));
		if (json_object_get(c, "collation"))
			json_object_set(nc, "collation", json_object_get(c, "collation"));
		if (jbool(c, "not_null"))
			json_object_set_new(nc, "not_null", json_true());
		if ((opt & LIKE_DEFAULTS) && json_object_get(c, "default")) {
			json_object_set(nc, "default", json_object_get(c, "default"));
			json_object_set(nc, "default_sql", json_object_get(c, "default_sql"));
		}
		if ((opt & LIKE_GENERATED) && json_object_get(c, "generated")) {
			json_object_set(nc, "generated", json_object_get(c, "generated"));
			json_object_set(nc, "generated_sql", json_object_get(c, "generated_sql"));
		}
		if ((opt & LIKE_IDENTITY) && json_object_get(c, "identity")) {
			json_t *seq = identity_seq(tb->m, src, jstr(c, "name"));

			json_object_set(nc, "identity", json_object_get(c, "identity"));
			json_array_append_new(tb->seqs, json_pack("{s:s, s:s, s:b, s:O?}", "column", jstr(c, "name"),
			    "type", jstr(c, "type"), "identity", 1, "like", seq));
		}
		json_array_append_new(arr(tb->t, "columns"), nc);
	}
	json_array_append_new(tb->likes, json_pack("{s:O, s:I}", "source", src, "options", opt));
	return 0;
}

/* A copy of index record ix on table t, named as DefineIndex names an index without a name
   (ChooseIndexName: t's name, the keys' column names or FigureIndexColname, "idx"): the indexes of
   LIKE ... INCLUDING INDEXES, and the clones a detached partition keeps. */
static void
clone_index(struct model *m, json_t *ix, json_t *t)
{
	json_t *names = json_array(), *k, *cn, *r;
	const char *schema = jstr(t, "schema");
	char *add, *name, *id;
	size_t x;

	json_array_foreach(json_object_get(ix, "keys"), x, k) {
		char *fig = jstr(k, "column") ? xstrdup(jstr(k, "column")) : text_colname(jstr(k, "expr_sql"));

		json_array_append_new(names, json_string(fig ? fig : "expr"));
		free(fig);
	}
	if (json_object_get(ix, "include"))
		json_array_extend(names, json_object_get(ix, "include"));
	cn = index_colnames(names, 0);
	add = name_addition(cn);
	name = choose_name(m, schema, jstr(t, "name"), add, "idx", 1, 0, NULL);
	id = mkid("index", schema, name);
	r = json_deep_copy(ix);
	json_object_set_new(r, "id", json_string(id));
	json_object_set_new(r, "name", json_string(name));
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "table", json_string(jstr(t, "id")));
	model_add(m, r);
	free(add), free(name), free(id);
	json_decref(names), json_decref(cn);
}

/* LIKE ... INCLUDING CONSTRAINTS / INDEXES: checks under their names, keys and indexes named for
   the new table (expandTableLikeClause, generateClonedIndexStmt). */
static void
tb_likes(struct tb *tb)
{
	json_t *l, *c;
	size_t i, j;

	json_array_foreach(tb->likes, i, l) {
		json_t *src = json_object_get(l, "source");
		long long opt = jint(l, "options");

		json_array_foreach(json_object_get(src, "constraints"), j, c) {
			if ((opt & LIKE_CONSTRAINTS) && jeq(c, "type", "check")
			    && !by_name(json_object_get(tb->t, "constraints"), jstr(c, "name"), NULL)) {
				json_t *nc = json_deep_copy(c);

				json_object_del(nc, "inherited");
				json_object_del(nc, "not_valid");
				add_constraint(tb->t, nc);
			}
		}
		if (!(opt & LIKE_INDEXES))
			continue;
		{
			json_t *one = json_pack("{s:[]}", "constraints");

			json_array_foreach(json_object_get(src, "constraints"), j, c)
				if (index_backed(c))
					json_array_append(json_object_get(one, "constraints"), c);
			partition_clones(tb, one);
			json_decref(one);
			/* clones of a parent are inherited; these are the table's own */
			json_array_foreach(json_object_get(tb->t, "constraints"), j, c)
				if (index_backed(c) && !jeq(tb->t, "partition_of", jstr(src, "id")))
					json_object_del(c, "inherited");
		}
		{
			json_t *ixs = indexes_on(tb->m, jstr(src, "id")), *ix;

			json_array_foreach(ixs, j, ix)
				clone_index(tb->m, ix, tb->t);
			json_decref(ixs);
		}
	}
	json_array_clear(tb->likes);
}

/* CREATE TABLE (also the CREATE TABLE of CREATE SCHEMA). */
/* CREATE TABLE; foreign: CREATE FOREIGN TABLE (its server and options are not in the model). */
static int
fold_create_table(struct model *m, json_t *b, const struct msql_ctx *cx, int foreign)
{
	json_t *rv = json_object_get(b, "relation"), *t, *e, *parents = json_array();
	const char *schema = jstr(rv, "schemaname") ? jstr(rv, "schemaname") : first_schema(cx);
	const char *name = jstr(rv, "relname");
	json_t *pb = json_object_get(b, "partbound");
	struct tb tb;
	size_t i;
	int rc = MSQL_OK;
	char *id;

	if (jeq(rv, "relpersistence", "t"))
		return json_decref(parents), MSQL_OK;
	if (json_object_get(b, "ofTypename")) {
		json_decref(parents);
		return MSQL_UNMODELED;
	}
	json_array_foreach(json_object_get(b, "tableElts"), i, e) {
		json_t *lc = node_as(e, "TableLikeClause");

		if (lc && !find_rel(m, json_object_get(lc, "relation"), K_TABLE, cx)) {
			json_decref(parents);
			if (find_rel(m, json_object_get(lc, "relation"), K_VIEWS, cx))
				return MSQL_UNMODELED;
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(json_object_get(lc, "relation"), "relname"));
			return MSQL_ERR;
		}
		/* LIKE ... INCLUDING COMMENTS | STATISTICS: what the model keeps of those is not copied */
		if (lc && (jint(lc, "options") & (1 << 0 | 1 << 7)) && jint(lc, "options") != 2147483647) {
			json_decref(parents);
			return MSQL_UNMODELED;
		}
	}
	if (!schema_exists(m, schema)) {
		warnat(&cx->pos, "schema \"%s\" does not exist", schema);
		json_decref(parents);
		return MSQL_ERR;
	}
	if (name_taken(name, &(struct taken){ m, schema, 1, 0, NULL })) {
		json_decref(parents);
		if (jbool(b, "if_not_exists"))
			return MSQL_OK;
		warnat(&cx->pos, "relation \"%s\" already exists", name);
		return MSQL_ERR;
	}
	json_array_foreach(json_object_get(b, "inhRelations"), i, e) {
		json_t *p = find_rel(m, node_as(e, "RangeVar"), K_TABLE, cx);

		if (!p) {
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(node_as(e, "RangeVar"), "relname"));
			json_decref(parents);
			return MSQL_ERR;
		}
		json_array_append(parents, p);
	}
	id = mkid("table", schema, name);
	t = new_rec(m, "table", id, schema, name, cx);
	free(id);
	tb_init(&tb, m, cx, t);
	/* transformCheckConstraints and transformFKConstraints mark a new table's constraints valid
	   (NOT VALID is ignored), a foreign table's checks excepted */
	tb.fresh = !foreign;
	if (foreign)
		json_object_set_new(t, "relkind", json_string("foreign"));
	if (jeq(rv, "relpersistence", "u"))
		json_object_set_new(t, "unlogged", json_true());
	if (json_object_get(b, "partspec")) {
		json_object_set_new(t, "relkind", json_string("partitioned"));
		json_object_set_new(t, "partition_by", partition_by(json_object_get(b, "partspec"), cx));
	}
	json_array_foreach(parents, i, e) {
		if (!pb)
			json_array_append_new(arr(t, "inherits"), json_string(jstr(e, "id")));
		inherit_from(&tb, e);
	}
	if (pb) {
		json_object_set_new(t, "partition_of", json_string(jstr(json_array_get(parents, 0), "id")));
		if (set_bound(t, pb, json_array_get(parents, 0), cx) != 0)
			rc = MSQL_ERR;
	}
	json_array_foreach(json_object_get(b, "tableElts"), i, e) {
		json_t *cd = node_as(e, "ColumnDef"), *c = node_as(e, "Constraint"), *lc = node_as(e, "TableLikeClause");

		if (rc == MSQL_ERR)
			break;
		if (lc) {
			if (like_columns(&tb, lc) != 0)
				rc = MSQL_ERR;
			continue;
		}
		if (cd) {
			json_t *have = col_of(t, jstr(cd, "colname")), *col;

			if (have && !json_object_get(cd, "typeName")) {
				/* PARTITION OF's "c WITH OPTIONS ...": constraints on an inherited column */
				size_t j;
				json_t *cc;

				json_array_foreach(json_object_get(cd, "constraints"), j, cc)
					if (tb_constraint(&tb, node_as(cc, "Constraint"), have) != 0)
						rc = MSQL_UNMODELED;
				continue;
			}
			if (have && !json_is_true(json_object_get(have, "inherited"))) {
				warnat(&cx->pos, "column \"%s\" specified more than once", jstr(cd, "colname"));
				rc = MSQL_ERR;
				break;
			}
			col = tb_column(&tb, cd);
			if (!col) {
				rc = tb.err ? MSQL_ERR : MSQL_UNMODELED;
				break;
			}
			if (have) {
				/* a local definition of an inherited column: merged, locally defined */
				json_object_del(have, "inherited");
				json_object_update_missing(col, have);
				json_object_update(have, col);
				json_decref(col);
			} else
				json_array_append_new(arr(t, "columns"), col);
		} else if (c && tb_constraint(&tb, c, NULL) != 0)
			rc = MSQL_UNMODELED;
	}
	if (json_object_get(b, "options"))
		set_options(t, json_object_get(b, "options"), 0, cx);
	json_array_foreach(json_object_get(b, "tableElts"), i, e)
		if (rc == MSQL_OK && node_as(e, "ColumnDef") && gen_columns(&tb, node_as(e, "ColumnDef")) != 0)
			rc = MSQL_ERR;
	if (rc == MSQL_OK && tb_finish(&tb, pb ? json_array_get(parents, 0) : NULL) != 0)
		rc = MSQL_ERR;
	if (rc != MSQL_OK) {
		json_t *seqs = owned_seqs(m, tb.id, NULL), *sq;

		json_array_foreach(seqs, i, sq)
			drop_rec(m, jstr(sq, "id"));
		json_decref(seqs);
		model_del(m, tb.id);
	}
	tb_free(&tb);
	json_decref(parents);
	return rc;
}

/* ---- indexes ---- */

static json_t *children(const struct model *m, const char *id);
static json_t *indexes_on(const struct model *m, const char *tid);
static void drop_rec(struct model *m, const char *id);
static void attach_child_indexes(struct model *m, json_t *ix, const char *table_id);
static int same_index_rec(json_t *a, json_t *b);
static json_t *constraint_index(const struct model *m, const char *schema, const char *name, json_t **table);

static const char *const K_INDEXABLE[] = { "table", "matview", NULL };

/* The columns a CREATE INDEX names (keys, INCLUDE, key expressions, predicate) exist in t, as
   ComputeIndexAttrs and the expression's transformation find them: 0, or -1 after the server's
   message. A materialized view whose columns the model does not know is not checked. */
static int
index_columns(json_t *t, json_t *b, const struct msql_ctx *cx)
{
	json_t *names = json_array(), *exprs = json_array(), *e, *inc = json_object_get(b, "indexIncludingParams");
	json_t *sys = json_pack("[s,s,s,s,s,s]", "ctid", "xmin", "cmin", "xmax", "cmax", "tableoid"), *all = json_array();
	size_t i;
	int rc = 0;

	if (!json_object_get(t, "columns")) {
		json_decref(names), json_decref(sys), json_decref(exprs), json_decref(all);
		return 0;
	}
	json_array_foreach(json_object_get(b, "indexParams"), i, e) {
		json_t *ie = node_as(e, "IndexElem");

		if (jstr(ie, "name") && !in_strs(names, jstr(ie, "name")))
			json_array_append_new(names, json_string(jstr(ie, "name")));
		if (json_object_get(ie, "expr"))
			json_array_append(exprs, json_object_get(ie, "expr"));
	}
	json_array_foreach(inc, i, e)
		if (jstr(node_as(e, "IndexElem"), "name") && !in_strs(names, jstr(node_as(e, "IndexElem"), "name")))
			json_array_append_new(names, json_string(jstr(node_as(e, "IndexElem"), "name")));
	if (json_object_get(b, "whereClause"))
		json_array_append(exprs, json_object_get(b, "whereClause"));
	json_array_extend(all, names);
	collect_colrefs(exprs, all);
	json_array_foreach(all, i, e)
		if (!col_of(t, json_string_value(e)) && in_strs(sys, json_string_value(e))) {
			warnat(&cx->pos, "index creation on system columns is not supported");
			rc = -1;
			break;
		}
	json_array_foreach(names, i, e)
		if (rc == 0 && !col_of(t, json_string_value(e)) && !in_strs(json_object_get(t, "columns"), json_string_value(e))) {
			warnat(&cx->pos, "column \"%s\" does not exist", json_string_value(e));
			rc = -1;
		}
	if (rc == 0 && (e = missing_colref(t, exprs)) != NULL) {
		colref_missing_msg(t, e, cx);
		rc = -1;
	}
	json_decref(names), json_decref(sys), json_decref(exprs), json_decref(all);
	return rc;
}

/* CREATE INDEX. */
static int
fold_create_index(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	/* the table is read, not changed: not copied into the undo level */
	json_t *rv = json_object_get(b, "relation"), *t = find_rel_(m, rv, K_INDEXABLE, cx, 1), *r, *keys, *e;
	json_t *inc = json_object_get(b, "indexIncludingParams");
	const char *schema, *am = jstr(b, "accessMethod");
	char *name, *id;
	size_t i;

	if (!t) {
		warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
		return MSQL_ERR;
	}
	schema = jstr(t, "schema");
	if (index_columns(t, b, cx) != 0)
		return MSQL_ERR;
	if (jstr(b, "idxname")) {
		name = xstrdup(jstr(b, "idxname"));
		if (name_taken(name, &(struct taken){ m, schema, 1, 0, NULL })) {
			if (jbool(b, "if_not_exists")) {
				free(name);
				return MSQL_OK;
			}
			warnat(&cx->pos, "relation \"%s\" already exists", name);
			free(name);
			return MSQL_ERR;
		}
	} else {
		json_t *all = json_array(), *names;
		char *add;

		json_array_extend(all, json_object_get(b, "indexParams"));
		if (inc)
			json_array_extend(all, inc);
		names = index_colnames(all, 1);
		add = name_addition(names);
		name = choose_name(m, schema, jstr(t, "name"), add, "idx", 1, 0, NULL);
		free(add);
		json_decref(all), json_decref(names);
	}
	id = mkid("index", schema, name);
	r = new_rec(m, "index", id, schema, name, cx);
	json_object_set_new(r, "table", json_string(jstr(t, "id")));
	if (jbool(b, "unique"))
		json_object_set_new(r, "unique", json_true());
	if (am && strcmp(am, "btree") != 0)
		json_object_set_new(r, "method", json_string(am));
	keys = arr(r, "keys");
	json_array_foreach(json_object_get(b, "indexParams"), i, e)
		json_array_append_new(keys, index_elem(node_as(e, "IndexElem"), cx, 1));
	drop_default_opclasses(m, keys, am);
	if (json_array_size(inc)) {
		json_t *a = arr(r, "include");

		json_array_foreach(inc, i, e)
			json_array_append_new(a, json_string(jstr(node_as(e, "IndexElem"), "name")));
	}
	if (json_object_get(b, "whereClause"))
		msql_expr(r, "where", json_object_get(b, "whereClause"), cx);
	if (jbool(b, "nulls_not_distinct"))
		json_object_set_new(r, "nulls_not_distinct", json_true());
	if (jeq(t, "relkind", "partitioned") && jbool(rv, "inh"))
		attach_child_indexes(m, r, jstr(t, "id"));
	free(name), free(id);
	return MSQL_OK;
}

/* Whether index records a and b describe the same index (DefineIndex's CompareIndexInfo on what the
   model keeps). */
static int
same_index_rec(json_t *a, json_t *b)
{
	static const char *const keys[] = { "keys", "include", "where", "unique", "method", "nulls_not_distinct" };

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		json_t *x = json_object_get(a, keys[i]), *y = json_object_get(b, keys[i]);

		if (!json_equal(x ? x : json_null(), y ? y : json_null()))
			return 0;
	}
	return 1;
}

/* A partitioned index takes over a matching index of each partition (attached: PostgreSQL's own,
   no record); partitions without one get a new index that is no record either. */
static void
attach_child_indexes(struct model *m, json_t *ix, const char *table_id)
{
	json_t *kids = children(m, table_id), *k;
	size_t i;

	json_array_foreach(kids, i, k) {
		json_t *l, *e;
		size_t j;

		if (!jeq(k, "partition_of", table_id))
			continue;
		l = indexes_on(m, jstr(k, "id"));
		json_array_foreach(l, j, e)
			if (same_index_rec(ix, e)) {
				drop_rec(m, jstr(e, "id"));
				break;
			}
		json_decref(l);
		attach_child_indexes(m, ix, jstr(k, "id"));
	}
	json_decref(kids);
}

/* ---- schemas and extensions ---- */

/* CREATE SCHEMA [name] [AUTHORIZATION role] [elements]. */
static int
fold_create_schema(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	json_t *role = json_object_get(b, "authrole"), *e;
	const char *rname = jstr(role, "rolename");
	const char *name = jstr(b, "schemaname") ? jstr(b, "schemaname") : rname;
	char *id;
	size_t i;
	int rc = MSQL_OK;

	if (!name)
		return MSQL_UNMODELED; /* AUTHORIZATION CURRENT_USER: a name the files do not state */
	id = schema_id(name);
	if (model_get(m, id)) {
		free(id);
		if (jbool(b, "if_not_exists"))
			return MSQL_OK;
		warnat(&cx->pos, "schema \"%s\" already exists", name);
		return MSQL_ERR;
	}
	/* the schema and its elements are created by the AUTHORIZATION role: it owns them, and its
	   default privileges apply */
	const char *prev = msql_creator(NULL);

	msql_creator(rname && jeq(role, "roletype", "ROLESPEC_CSTRING") ? rname : prev);

	new_rec(m, "schema", id, NULL, name, cx);
	free(id);
	if (json_array_size(json_object_get(b, "schemaElts"))) {
		struct spath sp;
		struct msql_ctx sub = *cx;

		memset(&sp, 0, sizeof sp);
		strv_add(&sp.schemas, name);
		sub.sp = &sp;
		json_array_foreach(json_object_get(b, "schemaElts"), i, e)
			if ((rc = msql_fold(m, e, &sub)) != MSQL_OK)
				break;
		strv_free(&sp.schemas);
	}
	msql_creator(prev);
	return rc;
}

/* CREATE EXTENSION: where it goes (WITH SCHEMA, else the first schema of the path). */
static int
fold_create_ext(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	const char *name = jstr(b, "extname"), *schema = first_schema(cx);
	json_t *o, *r;
	size_t i;
	char *en = model_ident(name), *id = xasprintf("extension:%s", en);

	free(en);
	if (model_get(m, id)) {
		free(id);
		if (jbool(b, "if_not_exists"))
			return MSQL_OK;
		warnat(&cx->pos, "extension \"%s\" already exists", name);
		return MSQL_ERR;
	}
	json_array_foreach(json_object_get(b, "options"), i, o) {
		json_t *de = node_as(o, "DefElem");

		if (jeq(de, "defname", "schema"))
			schema = sval(json_object_get(de, "arg"));
	}
	/* every database has plpgsql, in pg_catalog; an extension in a system schema is part of
	   the system, not of the schema model (conf-inspect leaves those out too) */
	if (strcmp(name, "plpgsql") == 0 && !jbool(b, "if_not_exists")) {
		free(id);
		warnat(&cx->pos, "extension \"%s\" already exists", name);
		return MSQL_ERR;
	}
	if (strcmp(name, "plpgsql") == 0 || strncmp(schema, "pg_", 3) == 0
	    || strcmp(schema, "information_schema") == 0) {
		free(id);
		return MSQL_OK;
	}
	r = new_rec(m, "extension", id, schema, name, cx);
	free(id);
	(void)r;
	return MSQL_OK;
}

/* ---- types and domains ---- */

/* The schema and name of a new object named by a name list. */
static void
target_name(json_t *names, const struct msql_ctx *cx, const char **schema, const char **name)
{
	size_t n = json_array_size(names);

	*name = last_name(names);
	*schema = n >= 2 ? sval(json_array_get(names, n - 2)) : first_schema(cx);
}

/* Whether a type name (types, domains, tables' row types) is taken in schema. */
static int
type_taken(const struct model *m, const char *schema, const char *name)
{
	return get_rec(m, "type", schema, name) || get_rec(m, "domain", schema, name)
	    || name_taken(name, &(struct taken){ m, schema, 1, 0, NULL });
}

static json_t *
new_type(struct model *m, const char *kind, json_t *names, const struct msql_ctx *cx, int *rc)
{
	const char *schema, *name;
	json_t *r;
	char *id;

	target_name(names, cx, &schema, &name);
	if (type_taken(m, schema, name)) {
		warnat(&cx->pos, "type \"%s\" already exists", name);
		*rc = MSQL_ERR;
		return NULL;
	}
	id = mkid(kind, schema, name);
	r = new_rec(m, kind, id, schema, name, cx);
	free(id);
	*rc = MSQL_OK;
	return r;
}

static int
fold_create_enum(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	int rc;
	json_t *r, *labels, *v, *w;
	size_t i, j;

	json_array_foreach(json_object_get(b, "vals"), i, v)
		json_array_foreach(json_object_get(b, "vals"), j, w)
			if (j < i && strcmp(sval(v), sval(w)) == 0) {
				/* the server's words: pg_enum's unique index refuses the second label */
				warnat(&cx->pos, "duplicate key value violates unique constraint \"pg_enum_typid_label_index\"");
				return MSQL_ERR;
			}
	if (!(r = new_type(m, "type", json_object_get(b, "typeName"), cx, &rc)))
		return rc;
	json_object_set_new(r, "form", json_string("enum"));
	labels = arr(r, "labels");
	json_array_foreach(json_object_get(b, "vals"), i, v)
		json_array_append_new(labels, json_string(sval(v)));
	return MSQL_OK;
}

/* An attribute of a composite type. */
static json_t *
attribute(struct model *m, json_t *cd, const struct msql_ctx *cx)
{
	json_t *a = json_object();
	char *type = type_name(m, json_object_get(cd, "typeName"), cx);

	json_object_set_new(a, "name", json_string(jstr(cd, "colname")));
	json_object_set_new(a, "type", json_string(type));
	if (json_object_get(cd, "collClause")) {
		char *cn = collation_name(json_object_get(cd, "collClause"), cx);

		json_object_set_new(a, "collation", json_string(cn));
		free(cn);
	}
	free(type);
	return a;
}

static int
fold_create_composite(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	json_t *rv = json_object_get(b, "typevar"), *names = json_array(), *r, *attrs, *e;
	int rc;
	size_t i;

	if (jstr(rv, "schemaname"))
		json_array_append_new(names, json_pack("{s:{s:s}}", "String", "sval", jstr(rv, "schemaname")));
	json_array_append_new(names, json_pack("{s:{s:s}}", "String", "sval", jstr(rv, "relname")));
	r = new_type(m, "type", names, cx, &rc);
	json_decref(names);
	if (!r)
		return rc;
	json_object_set_new(r, "form", json_string("composite"));
	attrs = arr(r, "attributes");
	json_array_foreach(json_object_get(b, "coldeflist"), i, e)
		json_array_append_new(attrs, attribute(m, node_as(e, "ColumnDef"), cx));
	return MSQL_OK;
}

/* The id of a function named in a range's canonical/subtype_diff: function:S.N(args); a function
   the model does not have along the path is a built-in one (pg_catalog). */
static char *
range_func(const struct model *m, json_t *arg, const char *args, const struct msql_ctx *cx)
{
	json_t *tn = node_as(arg, "TypeName"), *names = tn ? json_object_get(tn, "names") : list_items(arg);
	size_t n = json_array_size(names);
	const char *fn = last_name(names);
	char *id = NULL;

	if (n >= 2)
		id = mkid("function", sval(json_array_get(names, n - 2)), fn);
	for (size_t i = 0; !id && cx->sp && i < cx->sp->schemas.n; i++) {
		char *cand = mkid("function", cx->sp->schemas.v[i], fn), *full = xasprintf("%s(%s)", cand, args);

		if (model_get(m, full))
			id = cand;
		else
			free(cand);
		free(full);
	}
	if (!id)
		id = mkid("function", "pg_catalog", fn);
	{
		char *full = xasprintf("%s(%s)", id, args);

		free(id);
		return full;
	}
}

static int
fold_create_range(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	int rc;
	json_t *r = new_type(m, "type", json_object_get(b, "typeName"), cx, &rc), *p;
	const char *name;
	char *sub = NULL;
	size_t i;

	if (!r)
		return rc;
	name = jstr(r, "name");
	json_object_set_new(r, "form", json_string("range"));
	json_array_foreach(json_object_get(b, "params"), i, p) {
		json_t *de = node_as(p, "DefElem"), *arg = json_object_get(de, "arg");
		const char *k = jstr(de, "defname");

		if (strcmp(k, "subtype") == 0) {
			sub = type_name(m, arg, cx);
			json_object_set_new(r, "subtype", json_string(sub));
		} else if (strcmp(k, "subtype_opclass") == 0 || strcmp(k, "collation") == 0) {
			json_t *tn = node_as(arg, "TypeName");

			json_object_set_new(r, k, json_string(last_name(tn ? json_object_get(tn, "names") : list_items(arg))));
		} else if (strcmp(k, "multirange_type_name") == 0) {
			json_t *tn = node_as(arg, "TypeName");

			json_object_set_new(r, "multirange",
			    json_string(last_name(tn ? json_object_get(tn, "names") : list_items(arg))));
		}
	}
	json_array_foreach(json_object_get(b, "params"), i, p) {
		json_t *de = node_as(p, "DefElem"), *arg = json_object_get(de, "arg");
		const char *k = jstr(de, "defname");

		if (strcmp(k, "canonical") == 0 || strcmp(k, "subtype_diff") == 0) {
			char *q = model_qname(jstr(r, "schema"), name), *args = strcmp(k, "canonical") == 0
			    ? xasprintf("%s", q) : xasprintf("%s,%s", sub ? sub : "", sub ? sub : "");
			char *f = range_func(m, arg, args, cx);

			json_object_set_new(r, k, json_string(f));
			free(q), free(args), free(f);
		}
	}
	/* the multirange name PostgreSQL makes: the first "range" replaced, else _multirange appended */
	{
		const char *mr = jstr(r, "multirange"), *at = strstr(name, "range");
		char *dflt = at ? xasprintf("%.*smultirange%s", (int)(at - name), name, at + 5)
		    : xasprintf("%s_multirange", name);

		if (mr && strcmp(mr, dflt) == 0)
			json_object_del(r, "multirange");
		free(dflt);
	}
	free(sub);
	return MSQL_OK;
}

/* A domain CHECK constraint named as domainAddConstraint names it. */
static void
domain_check(struct model *m, json_t *d, json_t *c, const struct msql_ctx *cx)
{
	json_t *rec = json_object();
	char *name = jstr(c, "conname") ? xstrdup(jstr(c, "conname"))
	    : choose_name(m, jstr(d, "schema"), jstr(d, "name"), NULL, "check", 0, 1, NULL);

	json_object_set_new(rec, "name", json_string(name));
	msql_expr(rec, "expr", json_object_get(c, "raw_expr"), cx);
	if (jbool(c, "skip_validation") && !jbool(c, "initially_valid"))
		json_object_set_new(rec, "not_valid", json_true());
	add_constraint(d, rec);
	free(name);
}

static int
fold_create_domain(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	int rc;
	json_t *d = new_type(m, "domain", json_object_get(b, "domainname"), cx, &rc), *c;
	char *type;
	size_t i;
	int null_defined = 0, saw_default = 0;

	if (!d)
		return rc;
	type = type_name(m, json_object_get(b, "typeName"), cx);
	json_object_set_new(d, "type", json_string(type));
	{
		/* DefineDomain: a domain over a domain starts with the base domain's default */
		char *bid = xasprintf("domain:%s", type);
		json_t *base = model_get(m, bid);

		free(bid);
		if (base && json_object_get(base, "default")) {
			json_object_set(d, "default", json_object_get(base, "default"));
			if (json_object_get(base, "default_sql"))
				json_object_set(d, "default_sql", json_object_get(base, "default_sql"));
		}
	}
	free(type);
	if (json_object_get(b, "collClause")) {
		char *cn = collation_name(json_object_get(b, "collClause"), cx);

		json_object_set_new(d, "collation", json_string(cn));
		free(cn);
	}
	json_array_foreach(json_object_get(b, "constraints"), i, c) {
		json_t *k = node_as(c, "Constraint");
		const char *ct = jstr(k, "contype"), *msg = NULL;

		if (strcmp(ct, "CONSTR_NOTNULL") == 0 || strcmp(ct, "CONSTR_NULL") == 0) {
			int nn = strcmp(ct, "CONSTR_NOTNULL") == 0;

			if (null_defined && nn != jbool(d, "not_null"))
				msg = "conflicting NULL/NOT NULL constraints";
			else if (nn)
				json_object_set_new(d, "not_null", json_true());
			else
				json_object_del(d, "not_null");
			null_defined = 1;
		} else if (strcmp(ct, "CONSTR_DEFAULT") == 0) {
			if (saw_default)
				msg = "multiple default expressions";
			else
				msql_expr(d, "default", json_object_get(k, "raw_expr"), cx);
			saw_default = 1;
		} else if (strcmp(ct, "CONSTR_CHECK") == 0) {
			if (jbool(k, "is_no_inherit"))
				msg = "check constraints for domains cannot be marked NO INHERIT";
			else
				domain_check(m, d, k, cx);
		} else if (strcmp(ct, "CONSTR_PRIMARY") == 0)
			msg = "primary key constraints not possible for domains";
		else if (strcmp(ct, "CONSTR_UNIQUE") == 0)
			msg = "unique constraints not possible for domains";
		else if (strcmp(ct, "CONSTR_EXCLUSION") == 0)
			msg = "exclusion constraints not possible for domains";
		else if (strcmp(ct, "CONSTR_FOREIGN") == 0)
			msg = "foreign key constraints not possible for domains";
		else {
			model_del(m, jstr(d, "id"));
			return MSQL_UNMODELED;
		}
		if (msg) {
			warnat(&cx->pos, "%s", msg);
			model_del(m, jstr(d, "id"));
			return MSQL_ERR;
		}
	}
	return MSQL_OK;
}

/* The type or domain record a name list names along the path. */
static json_t *
find_type(const struct model *m, json_t *names, const char *kind, const struct msql_ctx *cx)
{
	char *pre = xasprintf("%s:", kind), *q = msql_resolve(m, names, pre, cx), *id;
	json_t *r;

	id = xasprintf("%s%s", pre, q);
	free(pre);
	r = model_get(m, id);
	free(q), free(id);
	return r;
}

static void enum_rename_refs(struct model *m, const char *type, const char *old, const char *new,
    const struct msql_ctx *cx);

static int
fold_alter_enum(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	json_t *t = find_type(m, json_object_get(b, "typeName"), "type", cx), *labels;
	const char *nv = jstr(b, "newVal"), *old = jstr(b, "oldVal"), *nb = jstr(b, "newValNeighbor");

	if (!t || !jeq(t, "form", "enum")) {
		warnat(&cx->pos, "type \"%s\" does not exist", last_name(json_object_get(b, "typeName")));
		return MSQL_ERR;
	}
	labels = arr(t, "labels");
	if (old) {
		size_t i;
		json_t *e;

		json_array_foreach(labels, i, e)
			if (strcmp(json_string_value(e), old) == 0) {
				/* RenameEnumLabel: the new label must not be there already */
				if (in_strs(labels, nv)) {
					warnat(&cx->pos, "enum label \"%s\" already exists", nv);
					return MSQL_ERR;
				}
				json_array_set_new(labels, i, json_string(nv));
				{
					char *q = model_qname(jstr(t, "schema"), jstr(t, "name"));
					char *o = xstrdup(old);

					enum_rename_refs(m, q, o, nv, cx);
					free(q), free(o);
				}
				return MSQL_OK;
			}
		warnat(&cx->pos, "\"%s\" is not an existing enum label", old);
		return MSQL_ERR;
	}
	if (in_strs(labels, nv)) {
		if (jbool(b, "skipIfNewValExists"))
			return MSQL_OK;
		warnat(&cx->pos, "enum label \"%s\" already exists", nv);
		return MSQL_ERR;
	}
	if (!nb) {
		json_array_append_new(labels, json_string(nv));
		return MSQL_OK;
	}
	{
		size_t i;
		json_t *e;

		json_array_foreach(labels, i, e)
			if (strcmp(json_string_value(e), nb) == 0) {
				json_array_insert_new(labels, jbool(b, "newValIsAfter") ? i + 1 : i, json_string(nv));
				return MSQL_OK;
			}
	}
	warnat(&cx->pos, "\"%s\" is not an existing enum label", nb);
	return MSQL_ERR;
}

static int
fold_alter_domain(struct model *m, json_t *b, const struct msql_ctx *cx)
{
	json_t *d = find_type(m, json_object_get(b, "typeName"), "domain", cx), *cs;
	const char *st = jstr(b, "subtype"), *name = jstr(b, "name");
	size_t at;

	if (!d) {
		warnat(&cx->pos, "type \"%s\" does not exist", last_name(json_object_get(b, "typeName")));
		return MSQL_ERR;
	}
	cs = json_object_get(d, "constraints");
	switch (*st) {
	case 'T':
		if (json_object_get(b, "def"))
			msql_expr(d, "default", json_object_get(b, "def"), cx);
		else
			json_object_del(d, "default"), json_object_del(d, "default_sql");
		break;
	case 'N': json_object_del(d, "not_null"); break;
	case 'O': json_object_set_new(d, "not_null", json_true()); break;
	case 'C': {
		json_t *c = node_as(json_object_get(b, "def"), "Constraint");

		if (!jeq(c, "contype", "CONSTR_CHECK"))
			return MSQL_UNMODELED;
		domain_check(m, d, c, cx);
		break;
	}
	case 'X':
		if (!by_name(cs, name, &at)) {
			if (jbool(b, "missing_ok"))
				return MSQL_OK;
			warnat(&cx->pos, "constraint \"%s\" of domain \"%s\" does not exist", name, jstr(d, "name"));
			return MSQL_ERR;
		}
		json_array_remove(cs, at);
		break;
	case 'V': {
		json_t *c = by_name(cs, name, NULL);

		if (!c) {
			warnat(&cx->pos, "constraint \"%s\" of domain \"%s\" does not exist", name, jstr(d, "name"));
			return MSQL_ERR;
		}
		json_object_del(c, "not_valid");
		break;
	}
	default:
		return MSQL_UNMODELED;
	}
	return MSQL_OK;
}

/* ---- ALTER TABLE ---- */

/* model_mentions: a statistics object. */
static int
is_stats_rec(const char *id, json_t *r, void *arg)
{
	(void)r, (void)arg;
	return strncmp(id, "statistics:", 11) == 0;
}

/* msql_stats_follow when a statistics object may be on table tid (it holds tid): its pass over every
   id is not paid per ALTER or DROP of a table no statistics object is on. */
static void
stats_follow(struct model *m, const char *tid, const char *col, const char *new)
{
	if (model_mentions(m, tid, is_stats_rec, NULL))
		msql_stats_follow(m, tid, col, new);
}

struct kids {
	struct strv *ids;
	const char *parent;
};

/* model_mentions: collect a table that inherits from (or is a partition of) the parent. */
static int
add_kid(const char *k, json_t *r, void *arg)
{
	const struct kids *c = arg;

	if (is_kind(r, "table") && strcmp(k, c->parent) != 0
	    && (in_strs(json_object_get(r, "inherits"), c->parent) || jeq(r, "partition_of", c->parent)))
		strv_add(c->ids, k);
	return 0;
}

/* The tables that inherit from (or are partitions of) table id; new array of borrowed records. */
static json_t *
children(const struct model *m, const char *id)
{
	json_t *out = json_array();
	struct strv kids = { 0 };

	/* a read that hands out only the children (model_get): the others stay as the model's index of
	   constraint names has them; and only the records that hold id are read, not every record per
	   ALTER or DROP */
	model_mentions(m, id, add_kid, &(struct kids){ &kids, id });
	if (kids.n > 1)
		qsort(kids.v, kids.n, sizeof *kids.v, cmp_id);
	for (size_t i = 0; i < kids.n; i++)
		json_array_append(out, model_get(m, kids.v[i]));
	strv_free(&kids);
	return out;
}

static char *
col_id(const char *tid, const char *col)
{
	char *c = model_ident(col), *id = xasprintf("column:%s.%s", strchr(tid, ':') + 1, c);

	free(c);
	return id;
}

/* Whether a stored expression (its _sql text) names column col. */
static int
expr_names(json_t *rec, const char *key, const char *col)
{
	char *k = xasprintf("%s_sql", key);
	const char *text = jstr(rec, k);
	json_t *names = text ? text_colrefs(text) : NULL;
	int r = names && in_strs(names, col);

	json_decref(names);
	free(k);
	return r;
}

/* Whether a constraint involves column col of its table. */
static int
con_uses(json_t *c, const char *col)
{
	size_t i;
	json_t *e;

	if (in_strs(json_object_get(c, "columns"), col) || in_strs(json_object_get(c, "include"), col)
	    || expr_names(c, "expr", col) || expr_names(c, "where", col))
		return 1;
	json_array_foreach(json_object_get(c, "elements"), i, e)
		if (jeq(e, "column", col) || expr_names(e, "expr", col))
			return 1;
	return 0;
}

/* Drop a record and what hangs on it (comments, owners, grants, triggers...). */
static void
drop_rec(struct model *m, const char *id)
{
	char *k = xstrdup(id);

	model_del(m, k);
	msql_retarget(m, k, NULL);
	free(k);
}

static int
index_of(json_t *r, const void *tid)
{
	return is_kind(r, "index") && jeq(r, "table", tid);
}

/* The indexes (records) on table tid. */
static json_t *
indexes_on(const struct model *m, const char *tid)
{
	json_t *out = json_array(), **v;
	size_t n;

	v = pick_named(m, tid, &n, index_of, tid);
	for (size_t i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free_snap(v, n);
	return out;
}

static int
is_seq(json_t *r, const void *arg)
{
	(void)arg;
	return is_kind(r, "sequence") && jstr(r, "owned_by");
}

/* The sequences owned by a column of tid (col NULL: any column). */
static json_t *
owned_seqs(const struct model *m, const char *tid, const char *col)
{
	json_t *out = json_array(), **v;
	size_t n;
	char *pre = col ? col_id(tid, col) : xasprintf("column:%s.", strchr(tid, ':') + 1);

	/* owned_by column:S.T.c holds S.T */
	v = pick_named(m, strchr(tid, ':') + 1, &n, is_seq, NULL);
	for (size_t i = 0; i < n; i++) {
		const char *o = jstr(v[i], "owned_by");

		if (is_kind(v[i], "sequence") && o && (col ? strcmp(o, pre) == 0 : strncmp(o, pre, strlen(pre)) == 0
		    && !strchr(o + strlen(pre), '.')))
			json_array_append(out, v[i]);
	}
	free_snap(v, n);
	free(pre);
	return out;
}

static int
index_uses(json_t *ix, const char *col)
{
	size_t i;
	json_t *k;

	if (in_strs(json_object_get(ix, "include"), col) || expr_names(ix, "where", col))
		return 1;
	json_array_foreach(json_object_get(ix, "keys"), i, k)
		if (jeq(k, "column", col) || expr_names(k, "expr", col))
			return 1;
	return 0;
}

/* DROP COLUMN: with its constraints and indexes, its owned sequences; other tables' foreign
   keys on it only with CASCADE. */
static int drop_column_(struct model *m, json_t *t, const char *col, int cascade, const struct msql_ctx *cx);
static json_t *dependent_views(struct model *m, const char *rel_id, const char *col, const struct msql_ctx *cx);

/* The policies and triggers of table tid that name its column col, as a new array of ids. */
static json_t *
col_users(const struct model *m, const char *tid, const char *col)
{
	json_t **v, *out = json_array();
	size_t n;

	v = pick_named(m, tid, &n, keep_any, NULL);
	for (size_t k = 0; k < n; k++)
		if ((is_kind(v[k], "policy") || is_kind(v[k], "trigger")) && jeq(v[k], "table", tid)
		    && (in_strs(json_object_get(v[k], "columns"), col) || expr_names(v[k], "when", col)
		    || expr_names(v[k], "using", col) || expr_names(v[k], "check", col)))
			json_array_append_new(out, json_string(jstr(v[k], "id")));
	free_snap(v, n);
	return out;
}

/* (the name is copied: it may live in the column record that goes) */
static int
drop_column(struct model *m, json_t *t, const char *col, int cascade, const struct msql_ctx *cx)
{
	char *c = xstrdup(col);
	int r;

	json_incref(t);
	r = drop_column_(m, t, c, cascade, cx);
	json_decref(t);
	free(c);
	return r;
}

static int
drop_column_(struct model *m, json_t *t, const char *col, int cascade, const struct msql_ctx *cx)
{
	json_t *cols = json_object_get(t, "columns"), *cs = json_object_get(t, "constraints"), *l, *e, *views;
	const char *tid = jstr(t, "id");
	size_t at, i;
	char *cid;

	if (!by_name(cols, col, &at))
		return -1;
	if (jbool(json_array_get(cols, at), "inherited")) {
		warnat(&cx->pos, "cannot drop inherited column \"%s\"", col);
		return -2;
	}
	/* foreign keys of other tables that need this column */
	{
		json_t **v;
		size_t n;
		int dep = 0;

		/* the foreign keys of other tables on it: those tables hold tid */
		v = pick_named(m, tid, &n, keep_other_table, t);
		for (size_t k = 0; k < n; k++) {
			json_t *ocs = json_object_get(v[k], "constraints");

			for (size_t j = json_array_size(ocs); j-- > 0;) {
				json_t *c = json_array_get(ocs, j);

				if (jeq(c, "type", "foreign key") && jeq(c, "ref_table", tid)
				    && in_strs(json_object_get(c, "ref_columns"), col)) {
					dep = 1;
					if (cascade)
						json_array_remove(ocs, j);
				}
			}
		}
		free_snap(v, n);
		/* generated columns computed from it depend on it normally (not automatically) */
		json_array_foreach(cols, i, e)
			if (i != at && expr_names(e, "generated", col))
				dep = 1;
		/* so do the policies and triggers (UPDATE OF, WHEN) of the table that name it */
		{
			json_t *hang = col_users(m, tid, col);

			if (json_array_size(hang))
				dep = 1;
			if (cascade)
				json_array_foreach(hang, i, e)
					drop_rec(m, json_string_value(e));
			json_decref(hang);
		}
		views = dependent_views(m, tid, col, cx);
		if ((dep || json_array_size(views)) && !cascade) {
			warnat(&cx->pos, "cannot drop column %s of table %s because other objects depend on it",
			    col, jstr(t, "name"));
			json_decref(views);
			return -2;
		}
		json_array_foreach(views, i, e)
			drop_rec(m, json_string_value(e));
		json_decref(views);
	}
	for (i = json_array_size(cs); i-- > 0;) {
		json_t *c = json_array_get(cs, i);

		if (con_uses(c, col) || (jeq(c, "type", "foreign key") && jeq(c, "ref_table", tid)
		    && in_strs(json_object_get(c, "ref_columns"), col)))
			json_array_remove(cs, i);
	}
	l = indexes_on(m, tid);
	json_array_foreach(l, i, e)
		if (index_uses(e, col))
			drop_rec(m, jstr(e, "id"));
	json_decref(l);
	stats_follow(m, tid, col, NULL);
	l = owned_seqs(m, tid, col);
	json_array_foreach(l, i, e)
		drop_rec(m, jstr(e, "id"));
	json_decref(l);
	json_array_remove(cols, at);
	cid = col_id(tid, col);
	msql_retarget(m, cid, NULL);
	free(cid);
	/* CASCADE: the generated columns that used it go too */
	for (i = json_array_size(cols); i-- > 0;) {
		e = json_array_get(cols, i);
		if (i < json_array_size(cols) && expr_names(e, "generated", col))
			drop_column(m, t, jstr(e, "name"), cascade, cx);
	}
	/* the inherited copies in children go too */
	l = children(m, tid);
	json_array_foreach(l, i, e) {
		json_t *cc = col_of(e, col);

		if (cc && jbool(cc, "inherited")) {
			json_object_del(cc, "inherited");
			drop_column(m, e, col, cascade, cx);
		}
	}
	json_decref(l);
	return 0;
}

/* Give col (a new column of table tid) to its children and theirs, at every depth (ATExecAddColumn
   recurses): inherited, without identity; a child that has a column of that name merges it. */
static void
add_inherited_column(struct model *m, const char *tid, json_t *col)
{
	json_t *kids = children(m, tid), *k;
	size_t i;

	json_array_foreach(kids, i, k) {
		json_t *cc;

		if (col_of(k, jstr(col, "name")))
			continue;
		cc = json_deep_copy(col);
		json_object_del(cc, "identity");
		json_object_set_new(cc, "inherited", json_true());
		json_array_append_new(arr(k, "columns"), cc);
		add_inherited_column(m, jstr(k, "id"), col);
	}
	json_decref(kids);
}

static void inherit_check(struct model *m, json_t *t, const char *name);

/* Add column definition cd to t and, inherited, to its children. */
/* Take back a column add_column added to t and, inherited, to its descendants. */
static void
unadd_column(struct model *m, json_t *t, const char *name)
{
	json_t *kids = children(m, jstr(t, "id")), *k;
	size_t i, at;

	if (by_name(json_object_get(t, "columns"), name, &at))
		json_array_remove(json_object_get(t, "columns"), at);
	json_array_foreach(kids, i, k) {
		json_t *c = by_name(json_object_get(k, "columns"), name, NULL);

		if (c && json_is_true(json_object_get(c, "inherited")))
			unadd_column(m, k, name);
	}
	json_decref(kids);
}

static int
add_column(struct model *m, json_t *t, json_t *cd, int if_not_exists, const struct msql_ctx *cx)
{
	struct tb tb;
	json_t *col, *before, *c;
	size_t i;
	int rc = 0;

	if (col_of(t, jstr(cd, "colname"))) {
		if (if_not_exists)
			return 0;
		warnat(&cx->pos, "column \"%s\" of relation \"%s\" already exists", jstr(cd, "colname"), jstr(t, "name"));
		return -1;
	}
	tb_init(&tb, m, cx, t);
	col = tb_column(&tb, cd);
	if (!col) {
		tb_free(&tb);
		return tb.err ? -1 : 1;
	}
	json_array_append(arr(t, "columns"), col);
	if (gen_columns(&tb, cd) != 0) {
		json_array_remove(json_object_get(t, "columns"), json_array_size(json_object_get(t, "columns")) - 1);
		json_decref(col);
		tb_free(&tb);
		return -1;
	}
	add_inherited_column(m, tb.id, col);
	json_decref(col);
	before = json_array();
	json_array_foreach(json_object_get(t, "constraints"), i, c)
		json_array_append_new(before, json_string(jstr(c, "name")));
	if (tb_finish(&tb, NULL) != 0) {
		/* refused: the column, its copies in the children and its sequence go */
		json_t *seqs = owned_seqs(m, tb.id, jstr(cd, "colname")), *sq;

		json_array_foreach(seqs, i, sq)
			drop_rec(m, jstr(sq, "id"));
		json_decref(seqs);
		unadd_column(m, t, jstr(cd, "colname"));
		rc = -1;
	}
	/* the column's CHECK constraints reach the children as ADD CONSTRAINT's do */
	else
		json_array_foreach(json_object_get(t, "constraints"), i, c)
			if (!in_strs(before, jstr(c, "name")))
				inherit_check(m, t, jstr(c, "name"));
	json_decref(before);
	tb_free(&tb);
	return rc;
}

/* Copy a new CHECK constraint of t to its children (inherited), unless NO INHERIT. */
/* MergeAttributesIntoExisting and MergeConstraintsIntoExisting of ALTER TABLE t INHERIT p: every
   column of p is in t with its type (NOT NULL where p's is), every inheritable CHECK of p is one of
   t's of the same name and expression that t may inherit; 0, or -1 after the server's message. */
static int
merge_into_existing(json_t *t, json_t *p, const struct msql_ctx *cx)
{
	json_t *c, *tc;
	size_t i;

	json_array_foreach(json_object_get(p, "columns"), i, c) {
		tc = col_of(t, jstr(c, "name"));
		if (!tc) {
			warnat(&cx->pos, "child table is missing column \"%s\"", jstr(c, "name"));
			return -1;
		}
		if (!jeq(tc, "type", jstr(c, "type") ? jstr(c, "type") : "")) {
			warnat(&cx->pos, "child table \"%s\" has different type for column \"%s\"", jstr(t, "name"), jstr(c, "name"));
			return -1;
		}
		if (jbool(c, "not_null") && !jbool(tc, "not_null")) {
			warnat(&cx->pos, "column \"%s\" in child table must be marked NOT NULL", jstr(c, "name"));
			return -1;
		}
	}
	json_array_foreach(json_object_get(p, "constraints"), i, c) {
		if (!jeq(c, "type", "check") || jbool(c, "no_inherit"))
			continue;
		tc = by_name(json_object_get(t, "constraints"), jstr(c, "name"), NULL);
		if (!tc || !jeq(tc, "type", "check")) {
			warnat(&cx->pos, "child table is missing constraint \"%s\"", jstr(c, "name"));
			return -1;
		}
		if (!jeq(tc, "expr", jstr(c, "expr") ? jstr(c, "expr") : "")) {
			warnat(&cx->pos, "child table \"%s\" has different definition for check constraint \"%s\"", jstr(t, "name"),
			    jstr(c, "name"));
			return -1;
		}
		if (jbool(tc, "no_inherit")) {
			warnat(&cx->pos, "constraint \"%s\" conflicts with non-inherited constraint on child table \"%s\"",
			    jstr(c, "name"), jstr(t, "name"));
			return -1;
		}
	}
	return 0;
}

static void
inherit_check(struct model *m, json_t *t, const char *name)
{
	json_t *c = by_name(json_object_get(t, "constraints"), name, NULL), *kids, *k;
	size_t i;

	if (!c || !jeq(c, "type", "check") || jbool(c, "no_inherit"))
		return;
	kids = children(m, jstr(t, "id"));
	json_array_foreach(kids, i, k)
		if (!by_name(json_object_get(k, "constraints"), name, NULL)) {
			json_t *nc = json_deep_copy(c);

			json_object_set_new(nc, "inherited", json_true());
			add_constraint(k, nc);
			inherit_check(m, k, name);
		}
	json_decref(kids);
}

/* Indexes attached to a partitioned index: no records, but ADD CONSTRAINT ... USING INDEX may still
   name one (by id; one model per process is folded at a time). */
static json_t *hidden_ixs;

static void
hide_index(json_t *ix)
{
	if (!hidden_ixs)
		hidden_ixs = json_object();
	json_object_set(hidden_ixs, jstr(ix, "id"), ix);
}

/* A hidden index of that name (a new reference), or NULL. */
static json_t *
hidden_index(const char *schema, const char *name)
{
	char *id = mkid("index", schema, name);
	json_t *r = json_object_get(hidden_ixs, id);

	free(id);
	return r ? json_deep_copy(r) : NULL;
}

/* The index PostgreSQL made on partition t for an index of its parent, named name (no record: the
   name is the one DefineIndex chose for it); a new record or NULL. */
static json_t *
implicit_index(struct model *m, json_t *t, const char *name)
{
	const char *pid = jstr(t, "partition_of");
	json_t *l, *ix, *r = NULL;
	size_t i;

	if (!pid)
		return NULL;
	l = indexes_on(m, pid);
	json_array_foreach(l, i, ix) {
		json_t *names = json_array(), *k, *cn;
		char *add, *cand;
		size_t j;

		json_array_foreach(json_object_get(ix, "keys"), j, k) {
			char *fig = jstr(k, "column") ? xstrdup(jstr(k, "column")) : text_colname(jstr(k, "expr_sql"));

			json_array_append_new(names, json_string(fig ? fig : "expr"));
			free(fig);
		}
		if (json_object_get(ix, "include"))
			json_array_extend(names, json_object_get(ix, "include"));
		cn = index_colnames(names, 0);
		add = name_addition(cn);
		cand = choose_name(m, jstr(t, "schema"), jstr(t, "name"), add, "idx", 1, 0, NULL);
		if (strcmp(cand, name) == 0 && !r) {
			char *id = mkid("index", jstr(t, "schema"), name);

			r = json_deep_copy(ix);
			json_object_set_new(r, "id", json_string(id));
			json_object_set_new(r, "name", json_string(name));
			json_object_set_new(r, "table", json_string(jstr(t, "id")));
			free(id);
		}
		free(add), free(cand);
		json_decref(names), json_decref(cn);
	}
	json_decref(l);
	return r;
}

/* ADD CONSTRAINT ... USING INDEX: the index becomes the constraint's. */
static int
constraint_using_index(struct model *m, json_t *t, json_t *c, const struct msql_ctx *cx)
{
	json_t *ix = get_rec(m, "index", jstr(t, "schema"), jstr(c, "indexname")), *rec, *cols, *k;
	int pk = jeq(c, "contype", "CONSTR_PRIMARY");
	const char *name = jstr(c, "conname") ? jstr(c, "conname") : jstr(c, "indexname");
	size_t i;

	if (!ix && (ix = hidden_index(jstr(t, "schema"), jstr(c, "indexname"))) != NULL)
		model_add(m, ix);
	if (!ix && (ix = implicit_index(m, t, jstr(c, "indexname"))) != NULL) {
		/* the partition's copy of its parent's index: no record until now */
		model_add(m, ix);
	}
	if (!ix) {
		warnat(&cx->pos, "index \"%s\" does not exist", jstr(c, "indexname"));
		return MSQL_ERR;
	}
	rec = json_object();
	cols = json_array();
	json_array_foreach(json_object_get(ix, "keys"), i, k) {
		json_array_append_new(cols, json_string(jstr(k, "column")));
		if (pk && col_of(t, jstr(k, "column")))
			json_object_set_new(col_of(t, jstr(k, "column")), "not_null", json_true());
	}
	json_object_set_new(rec, "name", json_string(name));
	json_object_set_new(rec, "type", json_string(pk ? "primary key" : "unique"));
	json_object_set_new(rec, "columns", cols);
	if (json_object_get(ix, "include"))
		json_object_set(rec, "include", json_object_get(ix, "include"));
	if (jbool(ix, "nulls_not_distinct"))
		json_object_set_new(rec, "nulls_not_distinct", json_true());
	if (jbool(c, "deferrable"))
		json_object_set_new(rec, "deferrable", json_true());
	if (jbool(c, "initdeferred"))
		json_object_set_new(rec, "initially_deferred", json_true());
	drop_rec(m, jstr(ix, "id"));
	add_constraint(t, rec);
	return MSQL_OK;
}

/* A key or foreign key added to a partitioned table: every partition at every depth gets its
   copy (AddRelationNewConstraints recursing through the whole partition tree). */
static void
clone_down(struct model *m, json_t *t, json_t *c, const struct msql_ctx *cx)
{
	json_t *kids = children(m, jstr(t, "id")), *k;
	size_t j;

	json_array_foreach(kids, j, k)
		if (jeq(k, "partition_of", jstr(t, "id"))) {
			struct tb kb;
			json_t *one = json_pack("{s:[O]}", "constraints", c);

			tb_init(&kb, m, cx, k);
			partition_clones(&kb, one);
			tb_free(&kb);
			json_decref(one);
			clone_down(m, k, c, cx);
		}
	json_decref(kids);
}

static int
add_table_constraint(struct model *m, json_t *t, json_t *c, int inh, const struct msql_ctx *cx)
{
	struct tb tb;
	json_t *before = json_deep_copy(json_object_get(t, "constraints")), *cs, *e;
	int rc = MSQL_OK;
	size_t i;

	if (jstr(c, "indexname")) {
		json_decref(before);
		return constraint_using_index(m, t, c, cx);
	}
	if (jstr(c, "conname") && by_name(json_object_get(t, "constraints"), jstr(c, "conname"), NULL)
	    && !(jeq(c, "contype", "CONSTR_CHECK")
	        && jbool(by_name(json_object_get(t, "constraints"), jstr(c, "conname"), NULL), "inherited"))) {
		warnat(&cx->pos, "constraint \"%s\" for relation \"%s\" already exists", jstr(c, "conname"), jstr(t, "name"));
		json_decref(before);
		return MSQL_ERR;
	}
	tb_init(&tb, m, cx, t);
	if (tb_constraint(&tb, c, NULL) != 0)
		rc = MSQL_UNMODELED;
	else if (tb_finish(&tb, NULL) != 0)
		rc = MSQL_ERR;
	tb_free(&tb);
	if (rc != MSQL_OK) {
		json_decref(before);
		return rc;
	}
	/* the new constraint: pass it on to the children */
	cs = json_object_get(t, "constraints");
	json_array_foreach(cs, i, e) {
		const char *n = jstr(e, "name");

		if (by_name(before, n, NULL))
			continue;
		if (!inh)
			continue;
		if (jeq(e, "type", "check"))
			inherit_check(m, t, n);
		else
			clone_down(m, t, e, cx);
	}
	json_decref(before);
	return MSQL_OK;
}

static int
drop_table_constraint(struct model *m, json_t *t, const char *name, int cascade, int missing_ok,
    const struct msql_ctx *cx)
{
	json_t *cs = json_object_get(t, "constraints"), *c, *kids, *k, *gone;
	size_t at, i;
	char *cid, *q;

	c = by_name(cs, name, &at);
	if (!c) {
		if (missing_ok)
			return MSQL_OK;
		warnat(&cx->pos, "constraint \"%s\" of relation \"%s\" does not exist", name, jstr(t, "name"));
		return MSQL_ERR;
	}
	if (jbool(c, "inherited")) {
		warnat(&cx->pos, "cannot drop inherited constraint \"%s\" of relation \"%s\"", name, jstr(t, "name"));
		return MSQL_ERR;
	}
	if (jeq(c, "type", "primary key") || jeq(c, "type", "unique")) {
		/* foreign keys that stand on this key */
		json_t **v;
		size_t n;
		int dep = 0;

		/* a table with a foreign key on t holds t's id */
		v = pick_named(m, jstr(t, "id"), &n, keep_table, NULL);
		for (size_t j = 0; j < n; j++) {
			json_t *ocs = json_object_get(v[j], "constraints");

			for (size_t x = json_array_size(ocs); x-- > 0;) {
				json_t *f = json_array_get(ocs, x);

				if (jeq(f, "type", "foreign key") && jeq(f, "ref_table", jstr(t, "id"))
				    && json_equal(json_object_get(f, "ref_columns"), json_object_get(c, "columns"))) {
					dep = 1;
					if (cascade)
						json_array_remove(ocs, x);
				}
			}
		}
		free_snap(v, n);
		if (dep && !cascade) {
			warnat(&cx->pos, "cannot drop constraint %s on table %s because other objects depend on it",
			    name, jstr(t, "name"));
			return MSQL_ERR;
		}
		c = by_name(cs, name, &at);
	}
	gone = json_incref(c);
	json_array_remove(cs, at);
	q = model_qname(jstr(t, "schema"), jstr(t, "name"));
	{
		char *n = model_ident(name);

		cid = xasprintf("constraint:%s.%s", q, n);
		free(n);
	}
	msql_retarget(m, cid, NULL);
	free(cid), free(q);
	kids = children(m, jstr(t, "id"));
	json_array_foreach(kids, i, k) {
		json_t *kc = by_name(json_object_get(k, "constraints"), name, NULL), *e;
		size_t j;

		/* a partition's copy of a key has the partition's own name: found by type and columns */
		if (!kc && index_backed(gone) && jeq(k, "partition_of", jstr(t, "id")))
			json_array_foreach(json_object_get(k, "constraints"), j, e)
				if (jbool(e, "inherited") && jeq(e, "type", jstr(gone, "type"))
				    && json_equal(json_object_get(e, "columns") ? json_object_get(e, "columns") : json_null(),
				    json_object_get(gone, "columns") ? json_object_get(gone, "columns") : json_null())) {
					kc = e;
					break;
				}
		if (kc && jbool(kc, "inherited")) {
			char *kn = xstrdup(jstr(kc, "name"));

			json_object_del(kc, "inherited");
			drop_table_constraint(m, k, kn, cascade, 1, cx);
			free(kn);
		}
	}
	json_decref(kids);
	json_decref(gone);
	return MSQL_OK;
}

/* The trigger record of table t named name, or NULL. */
static json_t *
trigger_of(struct model *m, json_t *t, const char *name)
{
	char *q = model_qname(jstr(t, "schema"), jstr(t, "name")), *n = model_ident(name);
	char *id = xasprintf("trigger:%s.%s", q, n);
	json_t *r = model_get(m, id);

	free(q), free(n), free(id);
	return r;
}

static void
set_enabled(json_t *tr, const char *state)
{
	if (strcmp(state, "O") == 0)
		json_object_del(tr, "enabled");
	else
		json_object_set_new(tr, "enabled", json_string(state));
}

/* ENABLE/DISABLE TRIGGER name|ALL|USER. */
static int
alter_trigger(struct model *m, json_t *t, const char *name, const char *state, const struct msql_ctx *cx)
{
	if (name) {
		json_t *tr = trigger_of(m, t, name);

		if (!tr) {
			warnat(&cx->pos, "trigger \"%s\" for table \"%s\" does not exist", name, jstr(t, "name"));
			return MSQL_ERR;
		}
		set_enabled(tr, state);
	} else {
		json_t **v;
		size_t n;

		v = pick_named(m, jstr(t, "id"), &n, keep_any, NULL);
		for (size_t i = 0; i < n; i++)
			if (is_kind(v[i], "trigger") && jeq(v[i], "table", jstr(t, "id")))
				set_enabled(v[i], state);
		free_snap(v, n);
	}
	return MSQL_OK;
}

/* The sequence of an identity column. */
static json_t *
identity_seq(const struct model *m, json_t *t, const char *col)
{
	json_t *l = owned_seqs(m, jstr(t, "id"), col), *r = NULL, *e;
	size_t i;

	json_array_foreach(l, i, e)
		if (jbool(e, "identity"))
			r = e;
	json_decref(l);
	return r;
}

/* ATTACH PARTITION child FOR VALUES ... to t. */
static int
attach_partition(struct model *m, json_t *t, json_t *pc, const struct msql_ctx *cx)
{
	json_t *k = find_rel(m, json_object_get(pc, "name"), K_TABLE, cx), *c, *one;
	struct tb kb;
	size_t i;

	if (!k) {
		warnat(&cx->pos, "relation \"%s\" does not exist", jstr(json_object_get(pc, "name"), "relname"));
		return MSQL_ERR;
	}
	if (!json_object_get(t, "partition_by")) {
		warnat(&cx->pos, "table \"%s\" is not partitioned", jstr(t, "name"));
		return MSQL_ERR;
	}
	if (bound_check(json_object_get(pc, "bound"), t, cx) != 0)
		return MSQL_ERR;
	json_object_set_new(k, "partition_of", json_string(jstr(t, "id")));
	set_bound(k, json_object_get(pc, "bound"), t, cx);
	/* a partition's columns and its parent's CHECK constraints are never its own (attislocal,
	   conislocal false: MergeAttributesIntoExisting, MergeConstraintsIntoExisting) */
	json_array_foreach(json_object_get(k, "columns"), i, c)
		if (col_of(t, jstr(c, "name")))
			json_object_set_new(c, "inherited", json_true());
	json_array_foreach(json_object_get(t, "constraints"), i, c) {
		json_t *kc = by_name(json_object_get(k, "constraints"), jstr(c, "name"), NULL);

		if (kc && jeq(c, "type", "check") && jeq(kc, "type", "check"))
			json_object_set_new(kc, "inherited", json_true());
	}
	/* keys and foreign keys the partition lacks are created for it; matching ones attached */
	one = json_pack("{s:[]}", "constraints");
	json_array_foreach(json_object_get(t, "constraints"), i, c) {
		json_t *have, *kc;
		size_t j;
		int match = 0;

		if (jeq(c, "type", "check"))
			continue;
		have = json_object_get(k, "constraints");
		json_array_foreach(have, j, kc)
			if (jeq(kc, "type", jstr(c, "type")) && json_equal(json_object_get(kc, "columns"), json_object_get(c, "columns"))
			    && (!jeq(c, "type", "foreign key") || (jeq(kc, "ref_table", jstr(c, "ref_table"))))) {
				match = 1;
				json_object_set_new(kc, "inherited", json_true());
				if (jeq(c, "type", "foreign key"))
					json_object_set(kc, "name", json_object_get(c, "name"));
			}
		if (!match)
			json_array_append(json_object_get(one, "constraints"), c);
	}
	tb_init(&kb, m, cx, k);
	partition_clones(&kb, one);
	tb_free(&kb);
	json_decref(one);
	/* the partition's matching indexes are attached to the parent's */
	{
		json_t *l = indexes_on(m, jstr(t, "id")), *ix;

		json_array_foreach(l, i, ix) {
			json_t *kl = indexes_on(m, jstr(k, "id")), *e;
			size_t j;

			json_array_foreach(kl, j, e)
				if (same_index_rec(ix, e)) {
					drop_rec(m, jstr(e, "id"));
					break;
				}
			json_decref(kl);
		}
		json_decref(l);
	}
	return MSQL_OK;
}

static int
detach_partition(struct model *m, json_t *t, json_t *pc, const struct msql_ctx *cx)
{
	json_t *k = find_rel(m, json_object_get(pc, "name"), K_TABLE, cx), *e;
	size_t i;

	if (!k || !jeq(k, "partition_of", jstr(t, "id"))) {
		warnat(&cx->pos, "relation \"%s\" is not a partition of relation \"%s\"",
		    jstr(json_object_get(pc, "name"), "relname"), jstr(t, "name"));
		return MSQL_ERR;
	}
	json_object_del(k, "partition_of");
	json_object_del(k, "bound");
	json_object_del(k, "bound_sql");
	/* the indexes PostgreSQL cloned onto the partition from the parent's stay, now its own
	   (named when they were made; this model names them now, as at that time when no other
	   name was taken since) */
	{
		json_t *l = indexes_on(m, jstr(t, "id")), *ix;

		json_array_foreach(l, i, ix)
			clone_index(m, ix, k);
		json_decref(l);
	}
	json_array_foreach(json_object_get(k, "columns"), i, e)
		json_object_del(e, "inherited");
	json_array_foreach(json_object_get(k, "constraints"), i, e)
		json_object_del(e, "inherited");
	return MSQL_OK;
}

/* ALTER COLUMN ... TYPE: the type, the collation, the USING expression left to the data. */
static int
alter_column_type(struct model *m, json_t *t, json_t *col, json_t *cd, const struct msql_ctx *cx)
{
	char *type = type_name(m, json_object_get(cd, "typeName"), cx);
	json_t *kids, *k, *seq;
	size_t i;

	if (typmod_check(json_object_get(cd, "typeName"), cx) != 0) {
		free(type);
		return -1;
	}
	if (json_object_get(col, "identity") && (seq = identity_seq(m, t, jstr(col, "name"))) != NULL) {
		/* ATExecAlterColumnType: the identity sequence follows the column (AS the new type;
		   limits that were the old type's defaults follow the new one) */
		json_t *opts;
		int rc;

		if (strcmp(type, static_int_type(type)) != 0) {
			warnat(&cx->pos, "identity column type must be smallint, integer, or bigint");
			free(type);
			return -1;
		}
		opts = json_pack("[{s:{s:s, s:{s:O}}}]", "DefElem", "defname", "as", "arg", "TypeName",
		    json_object_get(cd, "typeName"));
		rc = seq_options(m, seq, opts, cx, 0, NULL);
		json_decref(opts);
		if (rc != 0) {
			free(type);
			return -1;
		}
	}
	json_object_set_new(col, "type", json_string(type));
	if (json_object_get(cd, "collClause")) {
		char *cn = collation_name(json_object_get(cd, "collClause"), cx);

		json_object_set_new(col, "collation", json_string(cn));
		free(cn);
	} else
		json_object_del(col, "collation");
	kids = children(m, jstr(t, "id"));
	json_array_foreach(kids, i, k) {
		json_t *kc = col_of(k, jstr(col, "name"));

		if (kc && alter_column_type(m, k, kc, cd, cx) != 0) {
			json_decref(kids);
			free(type);
			return -1;
		}
	}
	json_decref(kids);
	free(type);
	return 0;
}

/* SET/DROP NOT NULL, SET/DROP DEFAULT recurse to the children (ALTER TABLE without ONLY). */
static void
recurse_col(struct model *m, json_t *t, const char *col, const char *what, json_t *def,
    const struct msql_ctx *cx)
{
	json_t *c = col_of(t, col), *kids, *k;
	size_t i;

	if (!c)
		return;
	if (strcmp(what, "set_not_null") == 0)
		json_object_set_new(c, "not_null", json_true());
	else if (strcmp(what, "drop_not_null") == 0)
		json_object_del(c, "not_null");
	else if (strcmp(what, "default") == 0) {
		if (def)
			set_default(m, c, def, cx);
		else
			json_object_del(c, "default"), json_object_del(c, "default_sql");
	}
	kids = children(m, jstr(t, "id"));
	json_array_foreach(kids, i, k)
		recurse_col(m, k, col, what, def, cx);
	json_decref(kids);
}

/* Whether table t inherits (at any depth) from table id. */
static int
descends(const struct model *m, json_t *t, const char *id, int depth)
{
	json_t *e;
	size_t i;

	if (depth > 100)
		return 1;
	if (jeq(t, "partition_of", id) || in_strs(json_object_get(t, "inherits"), id))
		return 1;
	json_array_foreach(json_object_get(t, "inherits"), i, e) {
		json_t *p = model_get(m, json_string_value(e));

		if (p && descends(m, p, id, depth + 1))
			return 1;
	}
	if (jstr(t, "partition_of")) {
		json_t *p = model_get(m, jstr(t, "partition_of"));

		if (p && descends(m, p, id, depth + 1))
			return 1;
	}
	return 0;
}

/* Whether something the model knows stops ALTER COLUMN col TYPE of table t (ATExecAlterColumnType
   refuses every dependent but indexes, constraints and defaults, which it rebuilds); 1 after the
   server's message. */
static int
type_users(struct model *m, json_t *t, const char *col, const struct msql_ctx *cx)
{
	json_t *l = dependent_views(m, jstr(t, "id"), col, cx), *e;
	const char *msg = NULL;
	size_t i;

	if (json_array_size(l))
		msg = "cannot alter type of a column used by a view or rule";
	json_decref(l);
	if (!msg) {
		l = col_users(m, jstr(t, "id"), col);
		json_array_foreach(l, i, e)
			if (!msg)
				msg = strncmp(json_string_value(e), "policy:", 7) == 0
				    ? "cannot alter type of a column used in a policy definition"
				    : "cannot alter type of a column used in a trigger definition";
		json_decref(l);
	}
	json_array_foreach(json_object_get(t, "columns"), i, e)
		if (!msg && !jeq(e, "name", col) && expr_names(e, "generated", col))
			msg = "cannot alter type of a column used by a generated column";
	if (msg)
		warnat(&cx->pos, "%s", msg);
	return msg != NULL;
}

/* One subcommand of ALTER TABLE on table t; inh: without ONLY. */
static int alter_constraint(struct model *m, json_t *t, json_t *def, const struct msql_ctx *cx);

static int
alter_table_cmd(struct model *m, json_t *t, json_t *cmd, int inh, const struct msql_ctx *cx)
{
	const char *st = jstr(cmd, "subtype"), *cn = jstr(cmd, "name");
	json_t *def = json_object_get(cmd, "def"), *col = cn ? col_of(t, cn) : NULL;
	int cascade = jeq(cmd, "behavior", "DROP_CASCADE"), missing_ok = jbool(cmd, "missing_ok");
	static const char *const needs_col[] = { "AT_AlterColumnType", "AT_ColumnDefault", "AT_DropNotNull",
		"AT_SetNotNull", "AT_AddIdentity", "AT_SetIdentity", "AT_DropIdentity", "AT_DropExpression", NULL };

	for (size_t i = 0; needs_col[i]; i++)
		if (strcmp(st, needs_col[i]) == 0 && !col) {
			if (missing_ok)
				return MSQL_OK;
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" does not exist", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
	if (strcmp(st, "AT_AddColumn") == 0 || strcmp(st, "AT_AddColumnRecurse") == 0) {
		int r = add_column(m, t, node_as(def, "ColumnDef"), missing_ok, cx);

		return r < 0 ? MSQL_ERR : r > 0 ? MSQL_UNMODELED : MSQL_OK;
	}
	if (strcmp(st, "AT_DropColumn") == 0 || strcmp(st, "AT_DropColumnRecurse") == 0) {
		int r = drop_column(m, t, cn, cascade, cx);

		if (r == -1 && !missing_ok)
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" does not exist", cn, jstr(t, "name"));
		return r == -1 ? (missing_ok ? MSQL_OK : MSQL_ERR) : r ? MSQL_ERR : MSQL_OK;
	}
	if (strcmp(st, "AT_AlterColumnType") == 0) {
		if (type_users(m, t, cn, cx))
			return MSQL_ERR;
		return alter_column_type(m, t, col, node_as(def, "ColumnDef"), cx) ? MSQL_ERR : MSQL_OK;
	}
	if (strcmp(st, "AT_ColumnDefault") == 0) {
		if (inh)
			recurse_col(m, t, cn, "default", def, cx);
		else if (def)
			set_default(m, col, def, cx);
		else
			json_object_del(col, "default"), json_object_del(col, "default_sql");
		return MSQL_OK;
	}
	if (strcmp(st, "AT_SetNotNull") == 0 || strcmp(st, "AT_DropNotNull") == 0) {
		int set = strcmp(st, "AT_SetNotNull") == 0;

		/* ATExecDropNotNull: a primary-key or identity column keeps its NOT NULL */
		if (!set && in_strs(pk_columns(t), cn)) {
			warnat(&cx->pos, "column \"%s\" is in a primary key", cn);
			return MSQL_ERR;
		}
		if (!set && json_object_get(col, "identity")) {
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" is an identity column", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		if (inh)
			recurse_col(m, t, cn, set ? "set_not_null" : "drop_not_null", NULL, cx);
		else if (set)
			json_object_set_new(col, "not_null", json_true());
		else
			json_object_del(col, "not_null");
		return MSQL_OK;
	}
	if (strcmp(st, "AT_AddIdentity") == 0) {
		struct tb tb;
		int rc;

		if (!jbool(col, "not_null")) {
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" must be declared NOT NULL before identity can be added",
			    cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		if (json_object_get(col, "identity")) {
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" is already an identity column", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		tb_init(&tb, m, cx, t);
		tb_constraint(&tb, node_as(def, "Constraint"), col);
		rc = tb_finish(&tb, NULL);
		tb_free(&tb);
		return rc ? MSQL_ERR : MSQL_OK;
	}
	if (strcmp(st, "AT_SetIdentity") == 0) {
		json_t *seq = identity_seq(m, t, cn), *opts = json_array(), *o;
		size_t i;
		int rc;

		json_array_foreach(list_items(def), i, o) {
			json_t *de = node_as(o, "DefElem");

			if (jeq(de, "defname", "generated")) {
				long long v = jint(node_as(json_object_get(de, "arg"), "Integer"), "ival");

				json_object_set_new(col, "identity", json_string(v == 'a' ? "always" : "by default"));
			} else
				json_array_append(opts, o);
		}
		rc = seq ? seq_options(m, seq, opts, cx, 0, NULL) : 0;
		json_decref(opts);
		return rc ? MSQL_ERR : MSQL_OK;
	}
	if (strcmp(st, "AT_DropIdentity") == 0) {
		json_t *seq = identity_seq(m, t, cn);

		if (!json_object_get(col, "identity")) {
			if (missing_ok)
				return MSQL_OK;
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" is not an identity column", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		json_object_del(col, "identity");
		if (seq)
			drop_rec(m, jstr(seq, "id"));
		return MSQL_OK;
	}
	if (strcmp(st, "AT_DropExpression") == 0) {
		json_object_del(col, "generated");
		json_object_del(col, "generated_sql");
		return MSQL_OK;
	}
	if (strcmp(st, "AT_AddConstraint") == 0 || strcmp(st, "AT_AddConstraintRecurse") == 0)
		return add_table_constraint(m, t, node_as(def, "Constraint"), inh, cx);
	if (strcmp(st, "AT_DropConstraint") == 0 || strcmp(st, "AT_DropConstraintRecurse") == 0)
		return drop_table_constraint(m, t, cn, cascade, missing_ok, cx);
	if (strcmp(st, "AT_ValidateConstraint") == 0 || strcmp(st, "AT_ValidateConstraintRecurse") == 0) {
		json_t *c = by_name(json_object_get(t, "constraints"), cn, NULL);

		if (!c) {
			warnat(&cx->pos, "constraint \"%s\" of relation \"%s\" does not exist", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		json_object_del(c, "not_valid");
		return MSQL_OK;
	}
	if (strcmp(st, "AT_EnableRowSecurity") == 0)
		return json_object_set_new(t, "rls", json_true()), MSQL_OK;
	if (strcmp(st, "AT_DisableRowSecurity") == 0)
		return json_object_del(t, "rls"), MSQL_OK;
	if (strcmp(st, "AT_ForceRowSecurity") == 0)
		return json_object_set_new(t, "rls_forced", json_true()), MSQL_OK;
	if (strcmp(st, "AT_NoForceRowSecurity") == 0)
		return json_object_del(t, "rls_forced"), MSQL_OK;
	if (strcmp(st, "AT_EnableTrig") == 0 || strcmp(st, "AT_EnableTrigAll") == 0 || strcmp(st, "AT_EnableTrigUser") == 0)
		return alter_trigger(m, t, strcmp(st, "AT_EnableTrig") == 0 ? cn : NULL, "O", cx);
	if (strcmp(st, "AT_DisableTrig") == 0 || strcmp(st, "AT_DisableTrigAll") == 0 || strcmp(st, "AT_DisableTrigUser") == 0)
		return alter_trigger(m, t, strcmp(st, "AT_DisableTrig") == 0 ? cn : NULL, "D", cx);
	if (strcmp(st, "AT_EnableAlwaysTrig") == 0)
		return alter_trigger(m, t, cn, "A", cx);
	if (strcmp(st, "AT_EnableReplicaTrig") == 0)
		return alter_trigger(m, t, cn, "R", cx);
	if (strcmp(st, "AT_ChangeOwner") == 0) {
		json_t *ro = json_object_get(cmd, "newowner");

		msql_set_owner(m, jstr(t, "id"), jeq(ro, "roletype", "ROLESPEC_CSTRING") ? jstr(ro, "rolename") : NULL);
		return MSQL_OK;
	}
	if (strcmp(st, "AT_AttachPartition") == 0)
		return attach_partition(m, t, node_as(def, "PartitionCmd"), cx);
	if (strcmp(st, "AT_DetachPartition") == 0)
		return detach_partition(m, t, node_as(def, "PartitionCmd"), cx);
	if (strcmp(st, "AT_AddInherit") == 0) {
		json_t *p = find_rel(m, node_as(def, "RangeVar") ? node_as(def, "RangeVar") : def, K_TABLE, cx);

		if (!p) {
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(node_as(def, "RangeVar"), "relname"));
			return MSQL_ERR;
		}
		if (p == t || descends(m, p, jstr(t, "id"), 0)) {
			warnat(&cx->pos, "circular inheritance not allowed");
			return MSQL_ERR;
		}
		if (in_strs(json_object_get(t, "inherits"), jstr(p, "id"))) {
			warnat(&cx->pos, "relation \"%s\" would be inherited from more than once", jstr(p, "name"));
			return MSQL_ERR;
		}
		if (merge_into_existing(t, p, cx) != 0)
			return MSQL_ERR;
		json_array_append_new(arr(t, "inherits"), json_string(jstr(p, "id")));
		return MSQL_OK;
	}
	if (strcmp(st, "AT_DropInherit") == 0) {
		json_t *p = find_rel(m, node_as(def, "RangeVar") ? node_as(def, "RangeVar") : def, K_TABLE, cx);
		json_t *inh_l = json_object_get(t, "inherits"), *e;
		size_t i;

		json_array_foreach(inh_l, i, e)
			if (p && strcmp(json_string_value(e), jstr(p, "id")) == 0) {
				json_array_remove(inh_l, i);
				if (!json_array_size(inh_l)) {
					json_array_foreach(json_object_get(t, "columns"), i, e)
						json_object_del(e, "inherited");
					json_array_foreach(json_object_get(t, "constraints"), i, e)
						json_object_del(e, "inherited");
				}
				return MSQL_OK;
			}
		warnat(&cx->pos, "relation \"%s\" is not a parent of relation \"%s\"",
		    p ? jstr(p, "name") : "?", jstr(t, "name"));
		return MSQL_ERR;
	}
	if (strcmp(st, "AT_AlterConstraint") == 0)
		return alter_constraint(m, t, node_as(def, "Constraint"), cx);
	if (strcmp(st, "AT_SetRelOptions") == 0 || strcmp(st, "AT_ResetRelOptions") == 0) {
		set_options(t, list_items(def), strcmp(st, "AT_ResetRelOptions") == 0, cx);
		return MSQL_OK;
	}
	if (strcmp(st, "AT_SetLogged") == 0)
		return json_object_del(t, "unlogged"), MSQL_OK;
	if (strcmp(st, "AT_SetUnLogged") == 0)
		return json_object_set_new(t, "unlogged", json_true()), MSQL_OK;
	if (strcmp(st, "AT_ClusterOn") == 0) {
		/* the index must be one of the table's (an index record, or a key constraint's) */
		json_t *ix = get_rec(m, "index", jstr(t, "schema"), cn), *ot = NULL;

		if (!ix && !constraint_index(m, jstr(t, "schema"), cn, &ot)) {
			warnat(&cx->pos, "index \"%s\" for table \"%s\" does not exist", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		if (ix ? !jeq(ix, "table", jstr(t, "id")) : ot != t) {
			warnat(&cx->pos, "\"%s\" is not an index for table \"%s\"", cn, jstr(t, "name"));
			return MSQL_ERR;
		}
		return MSQL_OK;
	}
	/* physical properties the model does not describe */
	if (strcmp(st, "AT_ClusterOn") == 0 || strcmp(st, "AT_DropCluster") == 0 || strcmp(st, "AT_SetStatistics") == 0
	    || strcmp(st, "AT_SetStorage") == 0 || strcmp(st, "AT_SetCompression") == 0
	    || strcmp(st, "AT_SetTableSpace") == 0 || strcmp(st, "AT_ReplicaIdentity") == 0
	    || strcmp(st, "AT_SetOptions") == 0 || strcmp(st, "AT_ResetOptions") == 0 || strcmp(st, "AT_DropOids") == 0)
		return MSQL_OK;
	return MSQL_UNMODELED;
}

/* ALTER TYPE composite ADD/DROP/ALTER ATTRIBUTE, OWNER TO. */
static int
alter_composite(struct model *m, json_t *ty, json_t *cmds, const struct msql_ctx *cx)
{
	json_t *cmd;
	size_t i;

	json_array_foreach(cmds, i, cmd) {
		json_t *c = node_as(cmd, "AlterTableCmd"), *attrs = arr(ty, "attributes"), *def = json_object_get(c, "def");
		const char *st = jstr(c, "subtype"), *name = jstr(c, "name");
		size_t at;

		if (strcmp(st, "AT_AddColumn") == 0)
			json_array_append_new(attrs, attribute(m, node_as(def, "ColumnDef"), cx));
		else if (strcmp(st, "AT_DropColumn") == 0 || strcmp(st, "AT_AlterColumnType") == 0) {
			if (!by_name(attrs, name, &at)) {
				if (jbool(c, "missing_ok"))
					continue;
				warnat(&cx->pos, "column \"%s\" of relation \"%s\" does not exist", name, jstr(ty, "name"));
				return MSQL_ERR;
			}
			if (strcmp(st, "AT_DropColumn") == 0)
				json_array_remove(attrs, at);
			else {
				json_t *cd = json_deep_copy(node_as(def, "ColumnDef"));

				json_object_set_new(cd, "colname", json_string(name));
				json_array_set_new(attrs, at, attribute(m, cd, cx));
				json_decref(cd);
			}
		} else if (strcmp(st, "AT_ChangeOwner") == 0) {
			json_t *ro = json_object_get(c, "newowner");

			msql_set_owner(m, jstr(ty, "id"), jeq(ro, "roletype", "ROLESPEC_CSTRING") ? jstr(ro, "rolename") : NULL);
		} else
			return MSQL_UNMODELED;
	}
	return MSQL_OK;
}

/* The words of an ALTER TABLE subcommand the model does not know, for its warning. */
static const char *
at_name(const char *st)
{
	static const char *const names[][2] = { { "AT_SetAccessMethod", "SET ACCESS METHOD" },
		{ "AT_EnableRule", "ENABLE RULE" }, { "AT_EnableAlwaysRule", "ENABLE ALWAYS RULE" },
		{ "AT_EnableReplicaRule", "ENABLE REPLICA RULE" }, { "AT_DisableRule", "DISABLE RULE" },
		{ "AT_AddOf", "OF" }, { "AT_DropOf", "NOT OF" }, { "AT_GenericOptions", "OPTIONS" },
		{ "AT_AlterColumnGenericOptions", "ALTER COLUMN OPTIONS" }, { "AT_SetExpression", "SET EXPRESSION" } };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], st) == 0)
			return names[i][1];
	return strncmp(st, "AT_", 3) == 0 ? st + 3 : st;
}

/* any 0: whether every subcommand of an ALTER TABLE (a list) is one the model knows;
   any 1: whether the one subcommand cmd is (or, for a list, any of them). */
static int
known_cmds(json_t *cmds, int any)
{
	static const char *const known[] = { "AT_AddColumn", "AT_AddColumnRecurse", "AT_DropColumn",
		"AT_DropColumnRecurse", "AT_AlterColumnType", "AT_ColumnDefault", "AT_SetNotNull", "AT_DropNotNull",
		"AT_AddIdentity", "AT_SetIdentity", "AT_DropIdentity", "AT_DropExpression", "AT_AddConstraint",
		"AT_AddConstraintRecurse", "AT_DropConstraint", "AT_DropConstraintRecurse", "AT_ValidateConstraint",
		"AT_ValidateConstraintRecurse", "AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity",
		"AT_NoForceRowSecurity", "AT_EnableTrig", "AT_EnableTrigAll", "AT_EnableTrigUser", "AT_DisableTrig",
		"AT_DisableTrigAll", "AT_DisableTrigUser", "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig",
		"AT_ChangeOwner", "AT_AttachPartition", "AT_DetachPartition", "AT_AddInherit", "AT_DropInherit",
		"AT_SetRelOptions", "AT_ResetRelOptions", "AT_SetLogged", "AT_SetUnLogged", "AT_ClusterOn",
		"AT_DropCluster", "AT_SetStatistics", "AT_SetStorage", "AT_SetCompression", "AT_SetTableSpace",
		"AT_ReplicaIdentity", "AT_SetOptions", "AT_ResetOptions", "AT_AlterConstraint", "AT_DropOids", NULL };
	json_t *cmd, *one = json_is_array(cmds) ? NULL : json_pack("[O]", cmds);
	size_t i;
	int n = 0;

	json_array_foreach(one ? one : cmds, i, cmd) {
		const char *st = jstr(node_as(cmd, "AlterTableCmd"), "subtype");
		size_t k;

		for (k = 0; known[k] && strcmp(known[k], st) != 0; k++)
			;
		n += known[k] != NULL;
	}
	json_decref(one);
	return any ? n > 0 : (size_t)n == json_array_size(cmds);
}


static int
fold_alter_table(struct model *m, json_t *b, json_t *stmt, const struct msql_ctx *cx)
{
	json_t *rv = json_object_get(b, "relation"), *cmds = json_object_get(b, "cmds"), *t, *cmd;
	const char *ot = jstr(b, "objtype");
	size_t i;
	int rc = MSQL_OK;

	if (strcmp(ot, "OBJECT_TYPE") == 0) {
		json_t *names = json_array(), *ty;

		if (jstr(rv, "schemaname"))
			json_array_append_new(names, json_pack("{s:{s:s}}", "String", "sval", jstr(rv, "schemaname")));
		json_array_append_new(names, json_pack("{s:{s:s}}", "String", "sval", jstr(rv, "relname")));
		ty = find_type(m, names, "type", cx);
		json_decref(names);
		if (!ty) {
			warnat(&cx->pos, "type \"%s\" does not exist", jstr(rv, "relname"));
			return MSQL_ERR;
		}
		return alter_composite(m, ty, cmds, cx);
	}
	if (strcmp(ot, "OBJECT_INDEX") == 0) {
		json_t *pt = NULL, *pcon = NULL;
		const char *sch = jstr(rv, "schemaname") ? jstr(rv, "schemaname") : first_schema(cx);

		t = find_rel(m, rv, K_INDEX, cx);
		if (!t)
			pcon = constraint_index(m, sch, jstr(rv, "relname"), &pt);
		if (!t && !pcon) {
			if (jbool(b, "missing_ok"))
				return MSQL_OK;
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
			return MSQL_ERR;
		}
		json_array_foreach(cmds, i, cmd) {
			json_t *c = node_as(cmd, "AlterTableCmd");
			const char *st = jstr(c, "subtype");

			if (strcmp(st, "AT_AttachPartition") == 0) {
				json_t *pc = node_as(json_object_get(c, "def"), "PartitionCmd"), *crv = json_object_get(pc, "name");
				json_t *ci = find_rel(m, crv, K_INDEX, cx), *ct = NULL, *ccon;

				/* an index attached to a partitioned index is PostgreSQL's: no record (kept aside:
				   a later ADD CONSTRAINT ... USING INDEX may name it) */
				if (ci) {
					hide_index(ci);
					drop_rec(m, jstr(ci, "id"));
				} else if ((ccon = constraint_index(m, jstr(crv, "schemaname") ? jstr(crv, "schemaname") : sch,
				    jstr(crv, "relname"), &ct)) != NULL && pcon)
					json_object_set_new(ccon, "inherited", json_true());
			} else if (strcmp(st, "AT_SetTableSpace") != 0 && strcmp(st, "AT_SetStatistics") != 0)
				return MSQL_UNMODELED;
		}
		return MSQL_OK;
	}
	if (strcmp(ot, "OBJECT_SEQUENCE") == 0) {
		t = find_rel(m, rv, K_SEQ, cx);
		if (!t) {
			if (jbool(b, "missing_ok"))
				return MSQL_OK;
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
			return MSQL_ERR;
		}
		json_array_foreach(cmds, i, cmd) {
			json_t *c = node_as(cmd, "AlterTableCmd"), *ro = json_object_get(c, "newowner");
			const char *role = jeq(ro, "roletype", "ROLESPEC_CSTRING") ? jstr(ro, "rolename") : NULL;

			if (!jeq(c, "subtype", "AT_ChangeOwner"))
				return MSQL_UNMODELED;
			if (msql_owner_check(m, jstr(t, "id"), role, cx) != MSQL_OK)
				return MSQL_ERR;
			msql_set_owner(m, jstr(t, "id"), role);
		}
		return MSQL_OK;
	}
	if (!table_type(ot) || find_rel(m, rv, K_VIEWS, cx))
		return msql_fold_obj(m, stmt, cx);
	t = find_rel(m, rv, K_TABLE, cx);
	if (!t) {
		json_t *s = find_rel(m, rv, K_SEQ, cx);

		if (s && json_array_size(cmds) == 1 && jeq(node_as(json_array_get(cmds, 0), "AlterTableCmd"), "subtype", "AT_ChangeOwner")) {
			json_t *ro = json_object_get(node_as(json_array_get(cmds, 0), "AlterTableCmd"), "newowner");
			const char *role = jeq(ro, "roletype", "ROLESPEC_CSTRING") ? jstr(ro, "rolename") : NULL;

			if (msql_owner_check(m, jstr(s, "id"), role, cx) != MSQL_OK)
				return MSQL_ERR;
			msql_set_owner(m, jstr(s, "id"), role);
			return MSQL_OK;
		}
		if (jbool(b, "missing_ok"))
			return MSQL_OK;
		warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
		return MSQL_ERR;
	}
	if (!known_cmds(cmds, 1))
		return MSQL_UNMODELED;
	/* the subcommands the model knows are applied, each other one named in a warning (the
	   statement is half a schema change the model does hold) */
	json_array_foreach(cmds, i, cmd) {
		json_t *c = node_as(cmd, "AlterTableCmd");

		if (!known_cmds(cmd, 1)) {
			warnat(&cx->pos, "warning: ALTER TABLE %s is not in the model", at_name(jstr(c, "subtype")));
			continue;
		}
		if ((rc = alter_table_cmd(m, t, c, jbool(rv, "inh"), cx)) != MSQL_OK)
			break;
	}
	return rc;
}

/* ---- renames and moves: every string that names the old object ---- */

struct rw {
	const char *old, *new;     /* "S.a" -> "S.b" (id-ready forms) */
	const char *const *kinds;  /* id kinds before ":" whose names may be rewritten */
	int whole;                 /* a bare type usage "S.a" / "S.a[]" and function arguments too */
};

static int
kind_ok(const char *s, size_t p, const struct rw *w)
{
	size_t k = p - 1;

	while (k > 0 && s[k - 1] != ':' && s[k - 1] != '(' && s[k - 1] != ',')
		k--;
	for (size_t i = 0; w->kinds[i]; i++)
		if (strlen(w->kinds[i]) == p - 1 - k && strncmp(s + k, w->kinds[i], p - 1 - k) == 0)
			return 1;
	return 0;
}

/* s with each occurrence of w->old that names the object replaced; NULL when unchanged. */
static char *
rw_string(const char *s, const struct rw *w)
{
	size_t len = strlen(w->old), p = 0;
	struct buf b = { 0 };
	int changed = 0;

	buf_puts(&b, "");
	while (s[p]) {
		char prev = p ? s[p - 1] : 0, next;
		int at = strncmp(s + p, w->old, len) == 0;

		if (at) {
			next = s[p + len];
			at = next == 0 || next == '.' || next == ':' || next == ')' || next == ',' || next == '[';
		}
		if (at)
			at = (prev == ':' && kind_ok(s, p, w)) || (w->whole && (p == 0 || prev == '(' || prev == ','));
		if (at) {
			buf_puts(&b, w->new);
			p += len;
			changed = 1;
		} else
			buf_add(&b, s + p++, 1);
	}
	if (!changed) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

static int
text_key(const char *k)
{
	size_t n = strlen(k);

	return strcmp(k, "sql") == 0 || (n >= 4 && strcmp(k + n - 4, "_sql") == 0) || strcmp(k, "file") == 0
	    || strcmp(k, "name") == 0 || strcmp(k, "text") == 0 || strcmp(k, "body") == 0;
}

static void
rw_value(json_t *v, const struct rw *w)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			if (text_key(k))
				continue;
			if (json_is_string(e)) {
				char *n = rw_string(json_string_value(e), w);

				if (n)
					json_object_set_new(v, k, json_string(n));
				free(n);
			} else
				rw_value(e, w);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			if (json_is_string(e)) {
				char *n = rw_string(json_string_value(e), w);

				if (n)
					json_array_set_new(v, i, json_string(n));
				free(n);
			} else
				rw_value(e, w);
		}
	}
}

/* Whether rw_value would change v. */
static int
rw_hits(json_t *v, const struct rw *w)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_string(v)) {
		char *n = strstr(json_string_value(v), w->old) ? rw_string(json_string_value(v), w) : NULL;

		free(n);
		return n != NULL;
	}
	if (json_is_object(v)) {
		json_object_foreach(v, k, e)
			if (!text_key(k) && rw_hits(e, w))
				return 1;
	} else if (json_is_array(v))
		json_array_foreach(v, i, e)
			if (rw_hits(e, w))
				return 1;
	return 0;
}

static int
rw_keep(json_t *r, const void *arg)
{
	return rw_hits(r, arg);
}

/* Rewrite every record; records whose id changes are stored under the new id. */
static void
rewrite_all(struct model *m, const struct rw *w)
{
	json_t **v;
	size_t n;

	/* rw_string changes old only between a ':', '(', ',' or the start and a '.', ':', ')', ',', '[' or
	   the end */
	v = pick_named(m, w->old, &n, rw_keep, w);
	for (size_t i = 0; i < n; i++) {
		char *oid = xstrdup(jstr(v[i], "id"));

		rw_value(v[i], w);
		if (strcmp(oid, jstr(v[i], "id")) != 0) {
			model_del(m, oid);
			model_add(m, json_incref(v[i]));
		}
		free(oid);
	}
	free_snap(v, n);
}

static const char *const RW_REL[] = { "table", "index", "sequence", "view", "matview", "column", "constraint",
	"trigger", "rule", "policy", NULL };
static const char *const RW_TYPE[] = { "type", "domain", NULL };
static const char *const RW_ALL[] = { "schema", "extension", "type", "domain", "table", "index", "sequence",
	"view", "matview", "column", "constraint", "trigger", "rule", "policy", "function", "procedure", NULL };

static int default_uses_seq(json_t *col, json_t *s);

/* Whether table r has a column default that calls nextval. */
static int
has_nextval(json_t *r, const void *arg)
{
	json_t *c;
	size_t i;

	(void)arg;
	if (is_kind(r, "table"))
		json_array_foreach(json_object_get(r, "columns"), i, c)
			if (jstr(c, "default_sql") && strncmp(jstr(c, "default_sql"), "nextval(", 8) == 0)
				return 1;
	return 0;
}

/* Column defaults nextval('seq'::regclass) of a sequence that moves: the catalog holds the
   sequence's oid, so its deparse shows the new name. */
static void
retarget_nextval(struct model *m, json_t *seq, const char *schema, const char *name)
{
	json_t **v, *c;
	size_t n, i;

	/* a default that calls nextval of seq has its name between quotes: a whole token */
	v = pick_named(m, jstr(seq, "name"), &n, has_nextval, NULL);
	for (size_t k = 0; k < n; k++)
		json_array_foreach(json_object_get(v[k], "columns"), i, c) {
			const char *d = jstr(c, "default_sql");

			if (is_kind(v[k], "table") && d && strncmp(d, "nextval(", 8) == 0 && d[strlen(d) - 1] == ')'
			    && default_uses_seq(c, seq))
				set_nextval(c, schema, name);
		}
	free_snap(v, n);
}

/* A relation (table, sequence, index) renamed or moved: schema S.a -> T.b. */
static void
move_relation(struct model *m, json_t *r, const char *schema, const char *name)
{
	char *oq = model_qname(jstr(r, "schema"), jstr(r, "name")), *nq = model_qname(schema, name);
	char *oid = xstrdup(jstr(r, "id"));
	struct rw w = { oq, nq, RW_REL, is_kind(r, "table") };

	if (is_kind(r, "sequence"))
		retarget_nextval(m, r, schema, name);
	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	rewrite_all(m, &w);
	{
		char *nid = xasprintf("%.*s%s", (int)(strchr(oid, ':') - oid + 1), oid, nq);

		msql_retarget(m, oid, nid);
		free(nid);
	}
	free(oq), free(nq), free(oid);
}

/* A type or domain renamed or moved. */
static json_t *rename_names(struct model *m, json_t *f, int types, const char *nschema, const char *nname,
    const struct msql_ctx *cx);

static void
move_type(struct model *m, json_t *r, const char *schema, const char *name, const struct msql_ctx *cx)
{
	char *oq = model_qname(jstr(r, "schema"), jstr(r, "name")), *nq = model_qname(schema, name);
	char *oid = xstrdup(jstr(r, "id")), *nid;
	struct rw w = { oq, nq, RW_TYPE, 1 };
	/* casts and declarations in stored text: the catalog shows the new name */
	json_t *views = rename_names(m, r, 1, schema, name, cx);

	json_object_set_new(r, "schema", json_string(schema));
	json_object_set_new(r, "name", json_string(name));
	rewrite_all(m, &w);
	nid = xstrdup(jstr(r, "id"));
	msql_retarget(m, oid, nid);
	msql_refold_views(m, views, cx);
	free(oq), free(nq), free(oid), free(nid);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* The text of an expression with column references to old renamed new; NULL when unchanged. */
static char *
rename_in_text(const char *text, const char *old, const char *new)
{
	char *q = xasprintf("SELECT %s", text);
	PgQueryParseResult pr = pg_query_parse(q);
	json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL), *stack, *locs = json_array();
	struct buf b = { 0 };
	size_t from = 0;
	char *nid = model_ident(new);

	/* collect ColumnRef locations naming old (one field, or the last of several) */
	stack = json_array();
	if (tree)
		json_array_append(stack, tree);
	while (json_array_size(stack)) {
		json_t *n = json_incref(json_array_get(stack, json_array_size(stack) - 1)), *e;
		const char *k;
		size_t i;

		json_array_remove(stack, json_array_size(stack) - 1);
		if (json_is_object(n)) {
			json_t *cr = json_object_get(n, "ColumnRef");
			json_t *f = cr ? json_object_get(cr, "fields") : NULL;

			if (f && json_array_size(f) == 1 && sval(json_array_get(f, 0)) && strcmp(sval(json_array_get(f, 0)), old) == 0)
				json_array_append_new(locs, json_integer(jint(cr, "location")));
			json_object_foreach(n, k, e)
				json_array_append(stack, e);
		} else if (json_is_array(n))
			json_array_foreach(n, i, e)
				json_array_append(stack, e);
		json_decref(n);
	}
	json_decref(stack);
	if (!json_array_size(locs)) {
		json_decref(locs), json_decref(tree), free(nid), free(q);
		pg_query_free_parse_result(pr);
		return NULL;
	}
	/* locations in ascending order */
	{
		size_t nl = json_array_size(locs);
		long long *lv = xcalloc(nl, sizeof *lv);

		for (size_t i = 0; i < nl; i++)
			lv[i] = json_integer_value(json_array_get(locs, i));
		qsort(lv, nl, sizeof *lv, cmp_ll);
		json_array_clear(locs);
		for (size_t i = 0; i < nl; i++)
			json_array_append_new(locs, json_integer(lv[i]));
		free(lv);
	}
	buf_puts(&b, "");
	for (size_t i = 0; i < json_array_size(locs); i++) {
		size_t at = (size_t)json_integer_value(json_array_get(locs, i)), end = at;

		if (q[at] == '"') {
			for (end = at + 1; q[end] && !(q[end] == '"' && q[end + 1] != '"'); end += q[end] == '"' ? 2 : 1)
				;
			end++;
		} else
			end = at + strlen(old);
		buf_add(&b, q + 7 + from, at - 7 - from);
		buf_puts(&b, nid);
		from = end - 7;
	}
	buf_puts(&b, q + 7 + from);
	json_decref(locs), json_decref(tree), free(nid), free(q);
	pg_query_free_parse_result(pr);
	return b.data;
}

/* Rename the column in the expression rec[key] (+ _sql): text and normalized form. */
static void
rename_in_expr(json_t *rec, const char *key, const char *old, const char *new)
{
	char *k = xasprintf("%s_sql", key);
	const char *text = jstr(rec, k);
	char *nt = text ? rename_in_text(text, old, new) : NULL;

	if (nt)
		set_text_expr(rec, key, nt, NX_EXPR);
	free(nt), free(k);
}

void
msql_rename_in_expr(json_t *rec, const char *key, const char *old, const char *new)
{
	rename_in_expr(rec, key, old, new);
}

static void
rename_in_strs(json_t *a, const char *old, const char *new)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
		if (strcmp(json_string_value(e), old) == 0)
			json_array_set_new(a, i, json_string(new));
}

/* ---- references in stored text (views, policies, triggers): rewritten at their tokens ---- */

static const char *const K_READREL[] = { "table", "view", "matview", NULL };
static void collect_ctes(json_t *n, json_t *names);
static void rel_quals(const struct model *m, json_t *n, const char *rel_id, json_t *quals, const struct msql_ctx *cx);

struct edit {
	size_t at, end; /* the bytes replaced */
	char *text;
};

struct edits {
	struct edit *v;
	size_t n, cap;
};

static void
edit_add(struct edits *es, size_t at, size_t end, char *text)
{
	for (size_t i = 0; i < es->n; i++)
		if (es->v[i].at == at) {
			free(text);
			return;
		}
	if (es->n == es->cap) {
		es->cap = es->cap ? es->cap * 2 : 8;
		es->v = xrealloc(es->v, es->cap * sizeof *es->v);
	}
	es->v[es->n++] = (struct edit){ at, end, text };
}

static int
cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return (x->at > y->at) - (x->at < y->at);
}

/* s with the edits made (they are freed); NULL when there are none. */
static char *
edits_apply(const char *s, struct edits *es)
{
	struct buf b = { 0 };
	size_t from = 0;

	if (!es->n) {
		free(es->v);
		return NULL;
	}
	qsort(es->v, es->n, sizeof *es->v, cmp_edit);
	buf_puts(&b, "");
	for (size_t i = 0; i < es->n; i++) {
		if (es->v[i].at < from)
			continue;
		buf_add(&b, s + from, es->v[i].at - from);
		buf_puts(&b, es->v[i].text);
		from = es->v[i].end;
	}
	buf_puts(&b, s + from);
	for (size_t i = 0; i < es->n; i++)
		free(es->v[i].text);
	free(es->v);
	return b.data;
}

/* ---- ALTER TYPE ... RENAME VALUE: the catalog keeps an enum constant by oid ---- */

struct enumren {
	const struct model *m;
	const struct msql_ctx *cx;
	const char *s;        /* the text parsed */
	const char *type;     /* the enum's canonical name */
	const char *old, *new;
	json_t *own;          /* the relation an unqualified column of an expression is of */
	json_t *froms;        /* the FROM lists of the enclosing SELECTs, innermost last */
	struct edits es;
};

/* The end of the string literal at s[at] ('...' with '' inside, E'...' with backslashes). */
static size_t
literal_end(const char *s, size_t at)
{
	int esc = s[at] == 'E' || s[at] == 'e';
	size_t i = at + esc;

	if (s[i] != '\'')
		return at;
	for (i++; s[i]; i++) {
		if (esc && s[i] == '\\' && s[i + 1])
			i++;
		else if (s[i] == '\'' && s[i + 1] == '\'')
			i++;
		else if (s[i] == '\'')
			return i + 1;
	}
	return at;
}

/* The RangeVar nodes of a FROM list, through joins, appended to out. */
static void
rangevars(json_t *items, json_t *out)
{
	json_t *e, *j;
	size_t i;

	json_array_foreach(items, i, e) {
		if (node_as(e, "RangeVar"))
			json_array_append(out, e);
		else if ((j = node_as(e, "JoinExpr"))) {
			json_t *two = json_pack("[OO]", json_object_get(j, "larg"), json_object_get(j, "rarg"));

			rangevars(two, out);
			json_decref(two);
		}
	}
}

/* The type of the column a ColumnRef names (the innermost FROM that has it; none: the own
   relation), "" when unknown. */
static const char *
enum_col_type(struct enumren *er, json_t *cr)
{
	json_t *fields = json_object_get(cr, "fields"), *from, *e, *rv;
	size_t n = json_array_size(fields), i, lv;
	const char *col = n ? sval(json_array_get(fields, n - 1)) : NULL, *q = n >= 2 ? sval(json_array_get(fields, n - 2)) : NULL;

	if (!col)
		return "";
	for (lv = json_array_size(er->froms); lv-- > 0;) {
		from = json_array();
		rangevars(json_array_get(er->froms, lv), from);
		json_array_foreach(from, i, e) {
			const char *t;
			json_t *r;

			if (!(rv = node_as(e, "RangeVar")))
				continue;
			if (q && strcmp(q, jstr(json_object_get(rv, "alias"), "aliasname") ? jstr(json_object_get(rv, "alias"), "aliasname")
			    : jstr(rv, "relname")) != 0)
				continue;
			r = find_rel(er->m, rv, (const char *const[]){ "table", "view", "matview", NULL }, er->cx);
			t = model_col_type(er->m, r, col);
			if (t && (*t || q)) {
				json_decref(from);
				return t;
			}
		}
		json_decref(from);
	}
	if (json_array_size(er->froms))
		return "";
	{
		const char *t = model_col_type(er->m, er->own, col);

		return t ? t : "";
	}
}

/* A string constant equal to the old label, of the enum type: replaced. */
static void
enum_const(struct enumren *er, json_t *c)
{
	json_t *ac = node_as(c, "A_Const");
	const char *v = jstr(json_object_get(ac, "sval"), "sval");

	if (v && strcmp(v, er->old) == 0 && json_object_get(ac, "location")) {
		size_t at = (size_t)jint(ac, "location"), end = literal_end(er->s, at);
		struct buf b = { 0 };

		if (end == at)
			return;
		buf_puts(&b, "'");
		for (const char *p = er->new; *p; p++)
			buf_puts(&b, *p == '\'' ? "''" : (char[2]){ *p, 0 });
		buf_puts(&b, "'");
		edit_add(&er->es, at, end, b.data);
	}
}

/* Whether a raw operand is of the enum type: a column of it, a cast to it. */
static int
enum_typed(struct enumren *er, json_t *n)
{
	json_t *tc = node_as(n, "TypeCast"), *cr = node_as(n, "ColumnRef");

	if (cr)
		return strcmp(enum_col_type(er, cr), er->type) == 0;
	if (tc) {
		char *t = type_name(er->m, json_object_get(tc, "typeName"), er->cx);
		int r = t && strcmp(t, er->type) == 0;

		free(t);
		return r;
	}
	return 0;
}

static void
enum_walk(struct enumren *er, json_t *n)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			enum_walk(er, e);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach(n, k, e) {
		if (strcmp(k, "SelectStmt") == 0 && json_object_get(e, "fromClause")) {
			json_array_append(er->froms, json_object_get(e, "fromClause"));
			enum_walk(er, e);
			json_array_remove(er->froms, json_array_size(er->froms) - 1);
		} else if (strcmp(k, "TypeCast") == 0 && enum_typed(er, n)) {
			enum_const(er, json_object_get(e, "arg"));
			enum_walk(er, e);
		} else if (strcmp(k, "A_Expr") == 0) {
			json_t *l = json_object_get(e, "lexpr"), *r = json_object_get(e, "rexpr"), *x;
			json_t *items = json_object_get(json_object_get(r, "List"), "items");

			if (enum_typed(er, l)) {
				enum_const(er, r);
				json_array_foreach(items, i, x)
					enum_const(er, x);
			}
			if (enum_typed(er, r))
				enum_const(er, l);
			enum_walk(er, e);
		} else
			enum_walk(er, e);
	}
}

/* text (an expression; query: a statement) with the enum's old label made new where it is a
   constant of the enum; whole: the text is a DEFAULT of a column of the enum (a bare literal is
   its constant). NULL when nothing changes. */
static char *
enum_rewrite(struct enumren *er, const char *text, int query, int whole)
{
	char *q = query ? xstrdup(text) : xasprintf("SELECT %s", text), *out;
	PgQueryParseResult pr;
	json_t *tree, *val;

	/* (a label with a quote is written with it doubled) */
	if (!strstr(text, strchr(er->old, '\'') ? "'" : er->old)) {
		free(q);
		return NULL;
	}
	pr = pg_query_parse(q);
	tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	pg_query_free_parse_result(pr);
	er->s = q;
	er->es = (struct edits){ 0 };
	er->froms = json_array();
	if (tree && whole && !query) {
		val = json_object_get(json_object_get(json_array_get(json_object_get(node_as(json_object_get(json_array_get(
		    json_object_get(tree, "stmts"), 0), "stmt"), "SelectStmt"), "targetList"), 0), "ResTarget"), "val");
		enum_const(er, val);
	}
	if (tree) {
		/* an expression is not a query: its columns are the own relation's */
		json_t *body = query ? tree : json_object_get(node_as(json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt"),
		    "SelectStmt"), "targetList");

		enum_walk(er, body);
	}
	out = edits_apply(q, &er->es);
	json_decref(er->froms), json_decref(tree);
	free(q);
	if (out && !query) {
		char *x = xstrdup(out + 7);

		free(out);
		out = x;
	}
	return out;
}

/* rec[key] (+ _sql) with the label renamed; whole as enum_rewrite. */
static void
enum_in_expr(struct enumren *er, json_t *rec, const char *key, int whole)
{
	char *k = xasprintf("%s_sql", key);
	const char *text = jstr(rec, k);
	char *nt = text ? enum_rewrite(er, text, 0, whole) : NULL;

	if (nt)
		set_text_expr(rec, key, nt, NX_EXPR);
	free(nt), free(k);
}

/* Every expression of the model with the enum constant old of type (canonical) renamed new. */
static void
enum_rename_refs(struct model *m, const char *type, const char *old, const char *new, const struct msql_ctx *cx)
{
	json_t **v, *c, *e, *views = json_array();
	size_t n, i, j;
	struct enumren er = { m, cx, NULL, type, old, new, NULL, NULL, { 0 } };
	char *prev = msql_own(own_id);

	v = snapshot(m, &n);
	for (size_t k = 0; k < n; k++) {
		json_t *r = v[k];

		free(own_of(r));
		er.own = own_id ? model_get(m, own_id) : NULL;
		if ((is_kind(r, "view") || is_kind(r, "matview")) && jstr(r, "query_sql")) {
			char *t = enum_rewrite(&er, jstr(r, "query_sql"), 1, 0);

			if (t) {
				json_object_set_new(r, "query_sql", json_string(t));
				json_array_append_new(views, json_string(jstr(r, "id")));
			}
			free(t);
			continue;
		}
		enum_in_expr(&er, r, "default", is_kind(r, "domain") && jeq(r, "type", type));
		json_array_foreach(json_object_get(r, "constraints"), i, c) {
			enum_in_expr(&er, c, "expr", 0);
			enum_in_expr(&er, c, "where", 0);
		}
		if (is_kind(r, "table"))
			json_array_foreach(json_object_get(r, "columns"), i, c) {
				const char *ct = model_col_type(m, r, jstr(c, "name"));

				enum_in_expr(&er, c, "default", ct && strcmp(ct, type) == 0);
				enum_in_expr(&er, c, "generated", 0);
			}
		enum_in_expr(&er, r, "where", 0);
		enum_in_expr(&er, r, "using", 0);
		enum_in_expr(&er, r, "check", 0);
		enum_in_expr(&er, r, "when", 0);
		json_array_foreach(json_object_get(r, "keys"), j, e)
			enum_in_expr(&er, e, "expr", 0);
	}
	own_restore(prev);
	free_snap(v, n);
	msql_refold_views(m, views, cx);
}


/* The end of the identifier token at s[i] (a quoted one with its doubled quotes). */
static size_t
ident_end(const char *s, size_t i)
{
	if (s[i] == '"') {
		for (i++; s[i]; i++)
			if (s[i] == '"') {
				if (s[i + 1] != '"')
					return i + 1;
				i++;
			}
		return i;
	}
	while (s[i] && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$' || (unsigned char)s[i] >= 0x80))
		i++;
	return i;
}

/* The start of field k of the dotted name that starts at s[i]. */
static size_t
field_at(const char *s, size_t i, size_t k)
{
	while (k-- > 0) {
		i = ident_end(s, i);
		while (isspace((unsigned char)s[i]))
			i++;
		if (s[i] == '.')
			i++;
		while (isspace((unsigned char)s[i]))
			i++;
	}
	return i;
}

struct refs {
	const struct model *m;
	const struct msql_ctx *cx;
	const char *s;       /* the text parsed */
	size_t off;          /* what the parse saw before the text ("SELECT " of an expression) */
	const char *rel_id;  /* the relation whose column or name changes */
	const char *old, *new; /* the column (col mode) */
	json_t *quals;       /* names the relation is read under (col mode); NULL: an expression of it */
	int direct;          /* the relation is an item of the FROM of the innermost SELECT */
	int ambiguous;       /* another item of that FROM has a column old: bare names are not its */
	int alone;           /* the relation is the only item of that FROM (a bare * is its columns) */
	const char *rel_name; /* the relation's own name, a qualifier in an expression */
	const char *nschema, *nname; /* rel mode: the relation's new schema and name */
	json_t *ctes;
	struct edits es;
};

static int
colref_renamed(struct refs *rf, json_t *cr, size_t *fi)
{
	json_t *f = json_object_get(cr, "fields");
	size_t nf = json_array_size(f);
	const char *last = sval(json_array_get(f, nf - 1)), *q = nf >= 2 ? sval(json_array_get(f, nf - 2)) : NULL;

	if (!rf->old || !last || strcmp(last, rf->old) != 0 || nf > 3)
		return 0;
	*fi = nf - 1;
	if (!rf->quals)
		return nf == 1 || (q && (strcmp(q, "new") == 0 || strcmp(q, "old") == 0 || strcmp(q, rf->rel_name) == 0));
	return nf == 1 ? rf->direct && !rf->ambiguous : in_strs(rf->quals, q);
}

/* Whether relation rel_id is an item of a FROM list (joins looked into, subqueries not); *other:
   whether another item has a column col. */
static int
from_has(struct refs *rf, json_t *n, const char *col, int *other)
{
	json_t *e, *rv, *j;
	size_t i;
	int hit = 0;

	json_array_foreach(n, i, e) {
		if ((rv = node_as(e, "RangeVar")) != NULL) {
			json_t *r;

			if (!jstr(rv, "schemaname") && in_strs(rf->ctes, jstr(rv, "relname")))
				continue;
			r = find_rel(rf->m, rv, K_READREL, rf->cx);
			if (r && jeq(r, "id", rf->rel_id))
				hit = 1;
			else if (r && col && (col_of(r, col) || in_strs(json_object_get(r, "columns"), col)))
				*other = 1;
		} else if ((j = node_as(e, "JoinExpr")) != NULL) {
			json_t *two = json_pack("[OO]", json_object_get(j, "larg"), json_object_get(j, "rarg"));

			hit |= from_has(rf, two, col, other);
			json_decref(two);
		}
	}
	return hit;
}

/* A select-list * (the relation alone in its FROM) or q.* (q naming the relation) where a column
   of the relation is renamed: written out as the catalog keeps it, expanded when the view was
   made ("q.c1, q.new AS old, ..."); 1 when it was. */
static int
star_renamed(struct refs *rf, json_t *rt)
{
	json_t *cr = node_as(json_object_get(rt, "val"), "ColumnRef"), *fields = json_object_get(cr, "fields");
	json_t *rel = model_get(rf->m, rf->rel_id), *c;
	size_t nf = json_array_size(fields), i;
	const char *q = nf == 2 ? sval(json_array_get(fields, 0)) : NULL, *star;
	struct buf b = { 0 };

	if (!cr || !rf->old || !rf->direct || jstr(rt, "name") || !json_object_get(cr, "location") || !rel ||
	    !node_as(json_array_get(fields, nf - 1), "A_Star") || (nf == 1 ? !rf->alone : nf != 2 || !q || !in_strs(rf->quals, q)))
		return 0;
	if (!(star = strchr(rf->s + jint(cr, "location"), '*')))
		return 0;
	buf_puts(&b, "");
	json_array_foreach(json_object_get(rel, "columns"), i, c) {
		const char *name = json_is_string(c) ? json_string_value(c) : jstr(c, "name");
		char *qi = q ? model_ident(q) : NULL, *ni = model_ident(strcmp(name, rf->old) == 0 ? rf->new : name);

		if (!name)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		if (qi)
			buf_puts(&b, qi), buf_puts(&b, ".");
		buf_puts(&b, ni);
		if (strcmp(name, rf->old) == 0) {
			char *oi = model_ident(rf->old);

			buf_puts(&b, " AS "), buf_puts(&b, oi);
			free(oi);
		}
		free(qi), free(ni);
	}
	edit_add(&rf->es, (size_t)jint(cr, "location"), (size_t)(star - rf->s) + 1, b.data);
	return 1;
}

static void
refs_walk(struct refs *rf, json_t *n)
{
	const char *k, *kk;
	json_t *e;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			refs_walk(rf, e);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach(n, k, e) {
		if (strcmp(k, "SelectStmt") == 0 && rf->quals && json_object_get(e, "fromClause")) {
			/* a bare name binds in the FROM of its own SELECT */
			int d = rf->direct, a = rf->ambiguous, al = rf->alone, other = 0;
			json_t *from = json_object_get(e, "fromClause");

			rf->direct = from_has(rf, from, rf->old, &other);
			rf->ambiguous = other;
			rf->alone = rf->direct && json_array_size(from) == 1 && node_as(json_array_get(from, 0), "RangeVar");
			refs_walk(rf, e);
			rf->direct = d, rf->ambiguous = a, rf->alone = al;
		} else if (strcmp(k, "ResTarget") == 0 && star_renamed(rf, e)) {
			continue;
		} else if ((strcmp(k, "InsertStmt") == 0 || strcmp(k, "UpdateStmt") == 0 || strcmp(k, "DeleteStmt") == 0) && rf->old &&
		    rf->quals) {
			/* INSERT INTO t (col), UPDATE t SET col = ...: the target columns by name; a bare
			   name of WHERE, SET and RETURNING binds in the target (and FROM, USING) */
			json_t *rv = json_object_get(e, "relation"), *x, *rt;
			json_t *r = rv && jstr(rv, "relname") && !(!jstr(rv, "schemaname") && in_strs(rf->ctes, jstr(rv, "relname")))
			                ? find_rel(rf->m, rv, K_READREL, rf->cx) : NULL;
			int d = rf->direct, a = rf->ambiguous, al = rf->alone, other = 0, hit = r && jeq(r, "id", rf->rel_id);
			size_t j;

			if (hit && k[0] != 'D')
				json_array_foreach(json_object_get(e, k[0] == 'I' ? "cols" : "targetList"), j, x)
					if ((rt = node_as(x, "ResTarget")) && jeq(rt, "name", rf->old) && json_object_get(rt, "location")) {
						size_t at = (size_t)jint(rt, "location");

						edit_add(&rf->es, at, ident_end(rf->s, at), model_ident(rf->new));
					}
			hit |= from_has(rf, json_object_get(e, k[0] == 'D' ? "usingClause" : "fromClause"), rf->old, &other);
			if (!hit && r && rf->old && col_of(r, rf->old))
				other = 1;
			rf->direct = hit;
			rf->ambiguous = other;
			rf->alone = 0;
			json_object_foreach(e, kk, x)
				if (strcmp(kk, "selectStmt") != 0)
					refs_walk(rf, x);
			rf->direct = d, rf->ambiguous = a, rf->alone = al;
			refs_walk(rf, json_object_get(e, "selectStmt"));
		} else if (strcmp(k, "ResTarget") == 0 && !jstr(e, "name") && node_as(json_object_get(e, "val"), "ColumnRef")) {
			/* a bare column in a target list keeps the name it gave its output column */
			json_t *cr = node_as(json_object_get(e, "val"), "ColumnRef");
			size_t fi;

			if (colref_renamed(rf, cr, &fi) && json_object_get(cr, "location")) {
				size_t at = field_at(rf->s, (size_t)jint(cr, "location"), fi);
				char *ni = model_ident(rf->new), *oi = model_ident(rf->old);

				edit_add(&rf->es, at, ident_end(rf->s, at), xasprintf("%s AS %s", ni, oi));
				free(ni), free(oi);
			} else
				refs_walk(rf, e);
		} else if (strcmp(k, "ColumnRef") == 0) {
			size_t fi;

			if (colref_renamed(rf, e, &fi) && json_object_get(e, "location")) {
				size_t at = field_at(rf->s, (size_t)jint(e, "location"), fi);

				edit_add(&rf->es, at, ident_end(rf->s, at), model_ident(rf->new));
			} else if (rf->nname && json_array_size(json_object_get(e, "fields")) == 2 && !rf->old) {
				/* rel mode: a column qualified by the relation's own name (no alias) */
				const char *q = sval(json_array_get(json_object_get(e, "fields"), 0));

				if (q && in_strs(rf->quals, q)) {
					size_t at = (size_t)jint(e, "location");

					edit_add(&rf->es, at, ident_end(rf->s, at), model_ident(rf->nname));
				}
			}
		} else if ((strcmp(k, "RangeVar") == 0 || (strcmp(k, "relation") == 0 && jstr(e, "relname"))) && rf->nname) {
			/* (the target of INSERT, UPDATE, DELETE is a RangeVar without its node name) */
			json_t *r;

			if (!jstr(e, "schemaname") && in_strs(rf->ctes, jstr(e, "relname")))
				continue;
			r = find_rel(rf->m, e, K_READREL, rf->cx);
			if (r && jeq(r, "id", rf->rel_id) && json_object_get(e, "location")) {
				size_t at = (size_t)jint(e, "location");
				size_t nf = 1 + (jstr(e, "schemaname") != NULL) + (jstr(e, "catalogname") != NULL);
				size_t end = ident_end(rf->s, field_at(rf->s, at, nf - 1));
				int qualify = jstr(e, "schemaname") || !jeq(r, "schema", rf->nschema);

				edit_add(&rf->es, at, end, qualify ? model_qname(rf->nschema, rf->nname) : model_ident(rf->nname));
			}
			refs_walk(rf, e);
		} else
			refs_walk(rf, e);
	}
}

/* Text (a query; an expression of the relation when !query) with the references to the column
   old of rel_id (col mode: old set) or to rel_id itself (rel mode: nname set) rewritten; NULL
   when nothing changes. */
static char *
refs_rewrite(const struct model *m, const char *text, int query, const char *rel_id, const char *old,
    const char *new, const char *nschema, const char *nname, const struct msql_ctx *cx, int rule)
{
	char *q = query ? xstrdup(text) : xasprintf("SELECT %s", text), *out = NULL;
	PgQueryParseResult pr = pg_query_parse(q);
	json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL), *rel = model_get(m, rel_id);
	struct refs rf = { m, cx, q, query ? 0 : 7, rel_id, old, new, NULL, 0, 0, 0, rel ? jstr(rel, "name") : "",
		nschema, nname, json_array(), { 0 } };

	pg_query_free_parse_result(pr);
	if (tree && rel) {
		collect_ctes(tree, rf.ctes);
		if (query) {
			rf.quals = json_array();
			rel_quals(m, tree, rel_id, rf.quals, cx);
			if (rule) {
				/* a rule of the relation: NEW and OLD are its rows */
				json_array_append_new(rf.quals, json_string("new"));
				json_array_append_new(rf.quals, json_string("old"));
			}
			if (nname) {
				/* only the relation's own name qualifies columns: drop the aliases */
				json_t *own = json_array();
				size_t i;
				json_t *e;

				json_array_foreach(rf.quals, i, e)
					if (strcmp(json_string_value(e), jstr(rel, "name")) == 0)
						json_array_append(own, e);
				json_decref(rf.quals);
				rf.quals = own;
			}
		}
		if (!query || nname || json_array_size(rf.quals))
			refs_walk(&rf, tree);
		out = edits_apply(q, &rf.es);
		if (out && !query) {
			char *e = xstrdup(out + 7);

			free(out);
			out = e;
		}
	} else
		free(rf.es.v);
	json_decref(rf.quals), json_decref(rf.ctes), json_decref(tree);
	free(q);
	return out;
}

/* A rule's actions are parsed inside this statement (a relation of no model). */
#define RULE_WRAP "CREATE RULE x AS ON INSERT TO pg_catalog.pg_class DO ALSO "

/* A SQL-standard body (RETURN ..., BEGIN ATOMIC ... END) is parsed inside this statement. */
#define BODY_WRAP "CREATE FUNCTION x() RETURNS int LANGUAGE sql "

/* Routine record r with the SQL-standard body text body: body_sql and its normalized form. */
static void
refold_body(json_t *r, const char *body)
{
	char *w = xasprintf(BODY_WRAP "%s", body);
	PgQueryParseResult pr = pg_query_parse(w);
	json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	json_t *sb = json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(tree, "stmts"), 0),
	    "stmt"), "CreateFunctionStmt"), "sql_body");

	pg_query_free_parse_result(pr);
	if (sb) {
		char *norm = normexpr_node(sb, w);

		json_object_set_new(r, "body", json_string(norm));
		json_object_set_new(r, "body_sql", json_string(body));
		free(norm);
	}
	json_decref(tree);
	free(w);
}

/* Whether routine record r has a SQL-standard body (kept as body_sql). */
static int
std_body(json_t *r)
{
	const char *b = jstr(r, "body_sql");

	return b && (is_kind(r, "function") || is_kind(r, "procedure"))
	    && (strncasecmp(b, "begin", 5) == 0 || strncasecmp(b, "return", 6) == 0);
}

struct refs_want {
	const char *rel_id, *relname, *old;
};

/* Whether text may name the relation: every reference to it spells its name. */
static int
text_names(const char *text, const char *name)
{
	size_t n = strlen(name);

	if (!text)
		return 0;
	for (; *text; text++)
		if (strncasecmp(text, name, n) == 0)
			return 1;
	return 0;
}

/* Whether msql_rename_refs has anything to look at in r. */
static int
refs_keep(json_t *r, const void *arg)
{
	const struct refs_want *w = arg;

	if (std_body(r))
		return text_names(jstr(r, "body_sql"), w->relname);
	if (is_kind(r, "view") || is_kind(r, "matview"))
		return text_names(jstr(r, "query_sql"), w->relname);
	if (is_kind(r, "rule"))
		return jstr(r, "actions_sql") && (jeq(r, "table", w->rel_id) || text_names(jstr(r, "actions_sql"), w->relname));
	return w->old && (is_kind(r, "policy") || is_kind(r, "trigger")) && jeq(r, "table", w->rel_id);
}

json_t *
msql_rename_refs(struct model *m, const char *rel_id, const char *old, const char *new, const char *nschema,
    const char *nname, const struct msql_ctx *cx)
{
	json_t **v, *views = json_array(), *rel = json_object_get(model_scan(m), rel_id);
	struct refs_want want = { rel_id, rel && jstr(rel, "name") ? jstr(rel, "name") : "", old };
	size_t n, i;
	char *prev = msql_own(own_id);

	/* a text that names the relation has its name as a whole token, and so has the rel_id of the
	   rules, policies and triggers on it */
	v = want.relname[0] ? pick_named(m, want.relname, &n, refs_keep, &want) : pick(m, &n, refs_keep, &want);
	for (size_t k = 0; k < n; k++) {
		json_t *r = v[k];

		free(own_of(r));
		if (std_body(r)) {
			/* the catalog keeps a SQL-standard body as a tree: its text shows the new names */
			char *w = xasprintf(BODY_WRAP "%s", jstr(r, "body_sql"));
			char *t = refs_rewrite(m, w, 1, rel_id, old, new, nschema, nname, cx, 0);

			if (t)
				refold_body(r, t + strlen(BODY_WRAP));
			free(t), free(w);
		} else if ((is_kind(r, "view") || is_kind(r, "matview")) && jstr(r, "query_sql")) {
			char *t = refs_rewrite(m, jstr(r, "query_sql"), 1, rel_id, old, new, nschema, nname, cx, 0);

			if (t) {
				json_object_set_new(r, "query_sql", json_string(t));
				json_array_append_new(views, json_string(jstr(r, "id")));
				free(t);
			}
		} else if (is_kind(r, "rule") && jstr(r, "actions_sql")) {
			/* the actions parsed inside a rule on no relation of the model */
			char *w = xasprintf(RULE_WRAP "%s", jstr(r, "actions_sql"));
			char *t = refs_rewrite(m, w, 1, rel_id, old, new, nschema, nname, cx, jeq(r, "table", rel_id));
			const char *wt = jstr(r, "where_sql");
			char *wn = old && wt && jeq(r, "table", rel_id) ? refs_rewrite(m, wt, 0, rel_id, old, new, NULL, NULL, cx, 0) : NULL;

			if (wn)
				set_text_expr(r, "where", wn, NX_EXPR);
			if (t) {
				json_object_set_new(r, "actions_sql", json_string(t + strlen(RULE_WRAP)));
				json_array_append_new(views, json_string(jstr(r, "id")));
			}
			free(t), free(w), free(wn);
		} else if (old && (is_kind(r, "policy") || is_kind(r, "trigger")) && jeq(r, "table", rel_id)) {
			static const char *const keys[] = { "using", "check", "when", NULL };

			rename_in_strs(json_object_get(r, "columns"), old, new);
			for (i = 0; keys[i]; i++) {
				char *kk = xasprintf("%s_sql", keys[i]);
				const char *text = jstr(r, kk);
				char *t = text ? refs_rewrite(m, text, 0, rel_id, old, new, NULL, NULL, cx, 0) : NULL;

				if (t)
					set_text_expr(r, keys[i], t, NX_EXPR);
				free(t), free(kk);
			}
		}
	}
	own_restore(prev);
	free_snap(v, n);
	return views;
}

void
msql_refold_views(struct model *m, json_t *ids, const struct msql_ctx *cx)
{
	json_t *e;
	size_t i;

	json_array_foreach(ids, i, e) {
		json_t *r = model_get(m, json_string_value(e));

		if (r && is_kind(r, "rule"))
			msql_rule_refold(m, r, RULE_WRAP, cx);
		else if (r)
			msql_view_refold(m, r, cx);
	}
	json_decref(ids);
}

/* Whether table r has a foreign key to table tid. */
static int
refs_table(json_t *r, const void *tid)
{
	json_t *c;
	size_t i;

	if (is_kind(r, "table"))
		json_array_foreach(json_object_get(r, "constraints"), i, c)
			if (jeq(c, "ref_table", tid))
				return 1;
	return 0;
}

/* RENAME COLUMN old TO new in t (and its children), with every record that names it. */
static void
rename_column(struct model *m, json_t *t, const char *old, const char *new, const struct msql_ctx *cx)
{
	const char *tid = jstr(t, "id");
	json_t *col = col_of(t, old), *c, *l, *e, *views = msql_rename_refs(m, tid, old, new, NULL, NULL, cx);
	size_t i, j;
	char *prev = msql_own(tid);

	json_object_set_new(col, "name", json_string(new));
	json_array_foreach(json_object_get(t, "columns"), i, c) {
		rename_in_expr(c, "default", old, new);
		rename_in_expr(c, "generated", old, new);
	}
	json_array_foreach(json_object_get(t, "constraints"), i, c) {
		rename_in_strs(json_object_get(c, "columns"), old, new);
		rename_in_strs(json_object_get(c, "include"), old, new);
		rename_in_expr(c, "expr", old, new);
		rename_in_expr(c, "where", old, new);
		json_array_foreach(json_object_get(c, "elements"), j, e) {
			if (jeq(e, "column", old))
				json_object_set_new(e, "column", json_string(new));
			rename_in_expr(e, "expr", old, new);
		}
	}
	json_array_foreach(json_object_get(json_object_get(t, "partition_by"), "keys"), i, e) {
		if (jeq(e, "column", old))
			json_object_set_new(e, "column", json_string(new));
		rename_in_expr(e, "expr", old, new);
	}
	stats_follow(m, tid, old, new);
	l = indexes_on(m, tid);
	json_array_foreach(l, i, c) {
		rename_in_strs(json_object_get(c, "include"), old, new);
		rename_in_expr(c, "where", old, new);
		json_array_foreach(json_object_get(c, "keys"), j, e) {
			if (jeq(e, "column", old))
				json_object_set_new(e, "column", json_string(new));
			rename_in_expr(e, "expr", old, new);
		}
	}
	json_decref(l);
	/* foreign keys that reference it */
	{
		json_t **v;
		size_t n;

		v = pick(m, &n, refs_table, tid);
		for (size_t k = 0; k < n; k++)
			json_array_foreach(json_object_get(v[k], "constraints"), i, c)
				if (is_kind(v[k], "table") && jeq(c, "ref_table", tid))
					rename_in_strs(json_object_get(c, "ref_columns"), old, new);
		free_snap(v, n);
	}
	{
		char *oc = col_id(tid, old), *nc = col_id(tid, new), *tq = xstrdup(strchr(oc, ':') + 1);
		const char *const kinds[] = { "column", NULL };
		struct rw w = { tq, strchr(nc, ':') + 1, kinds, 0 };

		rewrite_all(m, &w);
		msql_retarget(m, oc, nc);
		free(oc), free(nc), free(tq);
	}
	own_restore(prev);
	msql_refold_views(m, views, cx);
	l = children(m, tid);
	json_array_foreach(l, i, e)
		if (col_of(e, old))
			rename_column(m, e, old, new, cx);
	json_decref(l);
}

/* ---- RENAME, SET SCHEMA ---- */

/* The table constraint (index-backed) named name in schema, and its table; NULL if none. */
static json_t *
constraint_index(const struct model *m, const char *schema, const char *name, json_t **table)
{
	json_t **v, *hit = NULL;
	size_t n;

	/* a table with a constraint of that name holds the name */
	v = pick_named(m, name, &n, keep_table, NULL);
	for (size_t i = 0; i < n && !hit; i++) {
		json_t *c;

		if (!jeq(v[i], "schema", schema))
			continue;
		c = by_name(json_object_get(v[i], "constraints"), name, NULL);
		if (c && index_backed(c)) {
			hit = c;
			*table = v[i];
		}
	}
	free_snap(v, n);
	return hit;
}

static int
rename_constraint(struct model *m, json_t *t, const char *old, const char *new, const struct msql_ctx *cx)
{
	json_t *c = by_name(json_object_get(t, "constraints"), old, NULL), *cs;
	char *q, *oi, *ni, *oid, *nid;

	if (!c) {
		warnat(&cx->pos, "constraint \"%s\" for table \"%s\" does not exist", old, jstr(t, "name"));
		return MSQL_ERR;
	}
	if (by_name(json_object_get(t, "constraints"), new, NULL)
	    || (index_backed(c) && name_taken(new, &(struct taken){ m, jstr(t, "schema"), 1, 0, NULL }))) {
		warnat(&cx->pos, "constraint \"%s\" for relation \"%s\" already exists", new, jstr(t, "name"));
		return MSQL_ERR;
	}
	c = json_incref(c);
	cs = json_object_get(t, "constraints");
	{
		size_t at;

		by_name(cs, old, &at);
		json_array_remove(cs, at);
	}
	json_object_set_new(c, "name", json_string(new));
	add_constraint(t, c);
	q = model_qname(jstr(t, "schema"), jstr(t, "name"));
	oi = model_ident(old), ni = model_ident(new);
	oid = xasprintf("constraint:%s.%s", q, oi);
	nid = xasprintf("constraint:%s.%s", q, ni);
	msql_retarget(m, oid, nid);
	free(q), free(oi), free(ni), free(oid), free(nid);
	return MSQL_OK;
}

static const char *const K_RENAMABLE[] = { "table", "sequence", "index", NULL };

static int
fold_rename(struct model *m, json_t *b, json_t *stmt, const struct msql_ctx *cx)
{
	const char *rt = jstr(b, "renameType"), *sub = jstr(b, "subname"), *nn = jstr(b, "newname");
	json_t *rv = json_object_get(b, "relation"), *r;
	int missing_ok = jbool(b, "missing_ok");

	if (table_type(rt) || strcmp(rt, "OBJECT_SEQUENCE") == 0 || strcmp(rt, "OBJECT_INDEX") == 0) {
		if (find_rel(m, rv, K_VIEWS, cx))
			return msql_fold_obj(m, stmt, cx);
		r = find_rel(m, rv, K_RENAMABLE, cx);
		if (!r) {
			json_t *t = NULL, *c = constraint_index(m, jstr(rv, "schemaname") ? jstr(rv, "schemaname")
			    : first_schema(cx), jstr(rv, "relname"), &t);

			if (c)
				return rename_constraint(m, t, jstr(rv, "relname"), nn, cx);
			if (missing_ok)
				return MSQL_OK;
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
			return MSQL_ERR;
		}
		if (name_taken(nn, &(struct taken){ m, jstr(r, "schema"), 1, 0, NULL })) {
			warnat(&cx->pos, "relation \"%s\" already exists", nn);
			return MSQL_ERR;
		}
		{
			json_t *views = is_kind(r, "table") ? msql_rename_refs(m, jstr(r, "id"), NULL, NULL, jstr(r, "schema"), nn, cx)
			    : json_array();

			move_relation(m, r, jstr(r, "schema"), nn);
			msql_refold_views(m, views, cx);
		}
		return MSQL_OK;
	}
	if (strcmp(rt, "OBJECT_COLUMN") == 0) {
		if (!table_type(jstr(b, "relationType")) || find_rel(m, rv, K_VIEWS, cx))
			return msql_fold_obj(m, stmt, cx);
		r = find_rel(m, rv, K_TABLE, cx);
		if (!r || !col_of(r, sub)) {
			if (!r && missing_ok)
				return MSQL_OK;
			if (!r)
				warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
			else
				warnat(&cx->pos, "column \"%s\" does not exist", sub);
			return MSQL_ERR;
		}
		if (col_of(r, nn)) {
			warnat(&cx->pos, "column \"%s\" of relation \"%s\" already exists", nn, jstr(r, "name"));
			return MSQL_ERR;
		}
		if (jbool(col_of(r, sub), "inherited")) {
			warnat(&cx->pos, "cannot rename inherited column \"%s\"", sub);
			return MSQL_ERR;
		}
		rename_column(m, r, sub, nn, cx);
		return MSQL_OK;
	}
	if (strcmp(rt, "OBJECT_TABCONSTRAINT") == 0) {
		r = find_rel(m, rv, K_TABLE, cx);
		if (!r) {
			if (missing_ok)
				return MSQL_OK;
			warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
			return MSQL_ERR;
		}
		return rename_constraint(m, r, sub, nn, cx);
	}
	if (strcmp(rt, "OBJECT_DOMCONSTRAINT") == 0) {
		json_t *d = find_type(m, json_object_get(node_as(json_object_get(b, "object"), "TypeName"), "names")
		    ? json_object_get(node_as(json_object_get(b, "object"), "TypeName"), "names")
		    : list_items(json_object_get(b, "object")), "domain", cx), *c;

		if (!d || !(c = by_name(json_object_get(d, "constraints"), sub, NULL))) {
			warnat(&cx->pos, "constraint \"%s\" for domain does not exist", sub);
			return MSQL_ERR;
		}
		json_object_set_new(c, "name", json_string(nn));
		{
			json_t *cs = json_object_get(d, "constraints"), *cc = json_incref(c);
			size_t at;

			by_name(cs, nn, &at);
			json_array_remove(cs, at);
			add_constraint(d, cc);
		}
		return MSQL_OK;
	}
	if (strcmp(rt, "OBJECT_TYPE") == 0 || strcmp(rt, "OBJECT_DOMAIN") == 0) {
		const char *kind = strcmp(rt, "OBJECT_TYPE") == 0 ? "type" : "domain";
		json_t *names = list_items(json_object_get(b, "object"));

		r = find_type(m, names, kind, cx);
		if (!r && strcmp(kind, "type") == 0)
			r = find_type(m, names, "domain", cx);
		if (!r) {
			warnat(&cx->pos, "type \"%s\" does not exist", last_name(names));
			return MSQL_ERR;
		}
		if (type_taken(m, jstr(r, "schema"), nn)) {
			warnat(&cx->pos, "type \"%s\" already exists", nn);
			return MSQL_ERR;
		}
		move_type(m, r, jstr(r, "schema"), nn, cx);
		return MSQL_OK;
	}
	if (strcmp(rt, "OBJECT_ATTRIBUTE") == 0) {
		json_t *names = json_array(), *ty, *a;

		if (jstr(rv, "schemaname"))
			json_array_append_new(names, json_pack("{s:{s:s}}", "String", "sval", jstr(rv, "schemaname")));
		json_array_append_new(names, json_pack("{s:{s:s}}", "String", "sval", jstr(rv, "relname")));
		ty = find_type(m, names, "type", cx);
		json_decref(names);
		if (!ty || !(a = by_name(json_object_get(ty, "attributes"), sub, NULL))) {
			warnat(&cx->pos, "column \"%s\" does not exist", sub);
			return MSQL_ERR;
		}
		json_object_set_new(a, "name", json_string(nn));
		return MSQL_OK;
	}
	if (strcmp(rt, "OBJECT_SCHEMA") == 0) {
		char *oi = schema_id(sub), *ni = schema_id(nn), *os = model_ident(sub), *ns = model_ident(nn);
		struct rw w = { os, ns, RW_ALL, 1 };
		json_t **v;
		size_t n;

		if (!model_get(m, oi) || model_get(m, ni)) {
			if (!model_get(m, oi))
				warnat(&cx->pos, "schema \"%s\" does not exist", sub);
			else
				warnat(&cx->pos, "schema \"%s\" already exists", nn);
			free(oi), free(ni), free(os), free(ns);
			return MSQL_ERR;
		}
		v = snapshot(m, &n);
		for (size_t i = 0; i < n; i++)
			if (jeq(v[i], "schema", sub))
				json_object_set_new(v[i], "schema", json_string(nn));
		free_snap(v, n);
		json_object_set_new(model_get(m, oi), "name", json_string(nn));
		rewrite_all(m, &w);
		msql_retarget(m, oi, ni);
		free(oi), free(ni), free(os), free(ns);
		return MSQL_OK;
	}
	return msql_fold_obj(m, stmt, cx);
}

static int
fold_set_schema(struct model *m, json_t *b, json_t *stmt, const struct msql_ctx *cx)
{
	const char *ot = jstr(b, "objectType"), *ns = jstr(b, "newschema");
	json_t *rv = json_object_get(b, "relation"), *r, *views;

	if (!table_type(ot) && strcmp(ot, "OBJECT_SEQUENCE") != 0 && strcmp(ot, "OBJECT_TYPE") != 0
	    && strcmp(ot, "OBJECT_DOMAIN") != 0 && strcmp(ot, "OBJECT_EXTENSION") != 0)
		return msql_fold_obj(m, stmt, cx);
	if (!schema_exists(m, ns)) {
		warnat(&cx->pos, "schema \"%s\" does not exist", ns);
		return MSQL_ERR;
	}
	if (strcmp(ot, "OBJECT_EXTENSION") == 0) {
		char *e = model_ident(sval(json_object_get(b, "object"))), *id = xasprintf("extension:%s", e);

		r = model_get(m, id);
		free(e), free(id);
		if (!r) {
			warnat(&cx->pos, "extension \"%s\" does not exist", sval(json_object_get(b, "object")));
			return MSQL_ERR;
		}
		json_object_set_new(r, "schema", json_string(ns));
		return MSQL_OK;
	}
	if (strcmp(ot, "OBJECT_TYPE") == 0 || strcmp(ot, "OBJECT_DOMAIN") == 0) {
		json_t *names = list_items(json_object_get(b, "object"));

		r = find_type(m, names, strcmp(ot, "OBJECT_TYPE") == 0 ? "type" : "domain", cx);
		if (!r) {
			warnat(&cx->pos, "type \"%s\" does not exist", last_name(names));
			return MSQL_ERR;
		}
		if (jeq(r, "schema", ns))
			return MSQL_OK;
		if (type_taken(m, ns, jstr(r, "name"))) {
			warnat(&cx->pos, "type \"%s\" already exists in schema \"%s\"", jstr(r, "name"), ns);
			return MSQL_ERR;
		}
		move_type(m, r, ns, jstr(r, "name"), cx);
		return MSQL_OK;
	}
	if (find_rel(m, rv, K_VIEWS, cx))
		return msql_fold_obj(m, stmt, cx);
	r = find_rel(m, rv, table_type(ot) ? K_TABLE : K_SEQ, cx);
	if (!r) {
		if (jbool(b, "missing_ok"))
			return MSQL_OK;
		warnat(&cx->pos, "relation \"%s\" does not exist", jstr(rv, "relname"));
		return MSQL_ERR;
	}
	if (jeq(r, "schema", ns))
		return MSQL_OK;
	if (is_kind(r, "table")) {
		/* its indexes and the sequences its columns own move with it */
		json_t *l = indexes_on(m, jstr(r, "id")), *sq = owned_seqs(m, jstr(r, "id"), NULL), *e;
		size_t i;

		json_array_extend(l, sq);
		json_decref(sq);
		json_array_insert(l, 0, r);
		/* AlterRelationNamespaceInternal: each must be free in the new schema */
		json_array_foreach(l, i, e)
			if (name_taken(jstr(e, "name"), &(struct taken){ m, ns, 1, 0, NULL })) {
				warnat(&cx->pos, "relation \"%s\" already exists in schema \"%s\"", jstr(e, "name"), ns);
				json_decref(l);
				return MSQL_ERR;
			}
		json_array_remove(l, 0);
		views = msql_rename_refs(m, jstr(r, "id"), NULL, NULL, ns, jstr(r, "name"), cx);
		move_relation(m, r, ns, jstr(r, "name"));
		msql_refold_views(m, views, cx);
		json_array_foreach(l, i, e)
			move_relation(m, e, ns, jstr(e, "name"));
		json_decref(l);
	} else if (name_taken(jstr(r, "name"), &(struct taken){ m, ns, 1, 0, NULL })) {
		warnat(&cx->pos, "relation \"%s\" already exists in schema \"%s\"", jstr(r, "name"), ns);
		return MSQL_ERR;
	} else
		move_relation(m, r, ns, jstr(r, "name"));
	return MSQL_OK;
}

/* ---- DROP ---- */

static int drop_table(struct model *m, json_t *t, int cascade, const struct msql_ctx *cx);

/* The name of a DROP object as the server prints it: the list joined with dots. */
static char *
drop_name(json_t *obj)
{
	json_t *l = node_as(obj, "TypeName") ? json_object_get(node_as(obj, "TypeName"), "names") : list_items(obj), *e;
	struct buf b = { 0 };
	size_t i;

	buf_puts(&b, "");
	if (sval(obj))
		buf_puts(&b, sval(obj));
	else
		json_array_foreach(l, i, e) {
			if (i)
				buf_puts(&b, ".");
			buf_puts(&b, sval(e));
		}
	return b.data;
}

/* The record a DROP object names (kind table, sequence, index, type, domain, schema, extension). */
static json_t *
drop_target(struct model *m, json_t *obj, const char *kind, const struct msql_ctx *cx)
{
	json_t *names = node_as(obj, "TypeName") ? json_object_get(node_as(obj, "TypeName"), "names") : list_items(obj);

	if (strcmp(kind, "schema") == 0 || strcmp(kind, "extension") == 0) {
		char *n = model_ident(sval(obj)), *id = xasprintf("%s:%s", kind, n);
		json_t *r = model_get(m, id);

		free(n), free(id);
		return r;
	}
	if (strcmp(kind, "type") == 0 || strcmp(kind, "domain") == 0)
		return find_type(m, names, kind, cx);
	{
		json_t *rv = json_object(), *r;
		size_t n = json_array_size(names);
		const char *kinds[] = { kind, NULL };

		json_object_set_new(rv, "relname", json_string(last_name(names)));
		if (n >= 2)
			json_object_set_new(rv, "schemaname", json_string(sval(json_array_get(names, n - 2))));
		r = find_rel(m, rv, kinds, cx);
		json_decref(rv);
		return r;
	}
}

/* Set the deferrability of constraint c's copies on the partitions below table t (their foreign
   keys cloned from t's, same name, inherited). */
static void
alter_constraint_below(struct model *m, json_t *t, const char *name, int deferrable, int deferred)
{
	json_t *kids = children(m, jstr(t, "id")), *k;
	size_t i;

	json_array_foreach(kids, i, k) {
		json_t *c = by_name(json_object_get(k, "constraints"), name, NULL);

		if (!c || !jbool(c, "inherited") || !jeq(c, "type", "foreign key"))
			continue;
		if (deferrable)
			json_object_set_new(c, "deferrable", json_true());
		else
			json_object_del(c, "deferrable");
		if (deferred)
			json_object_set_new(c, "initially_deferred", json_true());
		else
			json_object_del(c, "initially_deferred");
		alter_constraint_below(m, k, name, deferrable, deferred);
	}
	json_decref(kids);
}

/* ALTER TABLE ... ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]: foreign
   keys only (ATExecAlterConstraint), the partitions' copies follow. */
static int
alter_constraint(struct model *m, json_t *t, json_t *def, const struct msql_ctx *cx)
{
	const char *name = jstr(def, "conname");
	json_t *c = by_name(json_object_get(t, "constraints"), name, NULL);

	if (!c) {
		warnat(&cx->pos, "constraint \"%s\" of relation \"%s\" does not exist", name, jstr(t, "name"));
		return MSQL_ERR;
	}
	if (!jeq(c, "type", "foreign key")) {
		warnat(&cx->pos, "constraint \"%s\" of relation \"%s\" is not a foreign key constraint", name,
		    jstr(t, "name"));
		return MSQL_ERR;
	}
	if (jbool(c, "inherited")) {
		warnat(&cx->pos, "cannot alter constraint \"%s\" on relation \"%s\"", name, jstr(t, "name"));
		return MSQL_ERR;
	}
	if (jbool(def, "deferrable"))
		json_object_set_new(c, "deferrable", json_true());
	else
		json_object_del(c, "deferrable");
	if (jbool(def, "initdeferred"))
		json_object_set_new(c, "initially_deferred", json_true());
	else
		json_object_del(c, "initially_deferred");
	alter_constraint_below(m, t, name, jbool(def, "deferrable"), jbool(def, "initdeferred"));
	return MSQL_OK;
}

static const char *const K_QUERYREL[] = { "table", "view", "matview", NULL };

/* Add to names the names of the WITH queries of tree (an unqualified name among them is no
   relation). */
static void
collect_ctes(json_t *n, json_t *names)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n))
		json_array_foreach(n, i, e)
			collect_ctes(e, names);
	else if (json_is_object(n))
		json_object_foreach(n, k, e) {
			if (strcmp(k, "CommonTableExpr") == 0 && jstr(e, "ctename"))
				json_array_append_new(names, json_string(jstr(e, "ctename")));
			collect_ctes(e, names);
		}
}

/* Add to quals the names (alias, else relation name) under which tree reads relation rel_id. */
static void
rel_quals(const struct model *m, json_t *n, const char *rel_id, json_t *quals, const struct msql_ctx *cx)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n))
		json_array_foreach(n, i, e)
			rel_quals(m, e, rel_id, quals, cx);
	else if (json_is_object(n))
		json_object_foreach(n, k, e) {
			/* (the target of INSERT, UPDATE, DELETE is a RangeVar without its node name) */
			if (strcmp(k, "RangeVar") == 0 || (strcmp(k, "relation") == 0 && jstr(e, "relname"))) {
				json_t *r = find_rel(m, e, K_QUERYREL, cx), *al = json_object_get(e, "alias");

				if (r && jeq(r, "id", rel_id))
					json_array_append_new(quals, json_string(jstr(al, "aliasname") ? jstr(al, "aliasname")
					    : jstr(e, "relname")));
			} else
				rel_quals(m, e, rel_id, quals, cx);
		}
}

/* Whether tree names column col of a relation read under one of quals: unqualified (a query that
   reads the table resolves a bare name to its column, or is ambiguous), qualified by one of quals,
   or through a star. */
static int
names_column(json_t *n, const char *col, json_t *quals)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			if (names_column(e, col, quals))
				return 1;
	} else if (json_is_object(n))
		json_object_foreach(n, k, e) {
			if (strcmp(k, "ColumnRef") == 0) {
				json_t *f = json_object_get(e, "fields"), *last = json_array_get(f, json_array_size(f) - 1);
				size_t nf = json_array_size(f);
				int star = node_as(last, "A_Star") != NULL;
				const char *q = nf >= 2 ? sval(json_array_get(f, nf - 2)) : NULL;

				if ((star || (sval(last) && strcmp(sval(last), col) == 0)) && (!q || in_strs(quals, q)))
					return 1;
			} else if (names_column(e, col, quals))
				return 1;
		}
	return 0;
}

/* Whether a view's tree reads column col of relation rel_id (a rule's dependency on the column). */
static int
reads_column(const struct model *m, json_t *tree, const char *rel_id, const char *col, const struct msql_ctx *cx)
{
	json_t *quals = json_array();
	int r;

	rel_quals(m, tree, rel_id, quals, cx);
	r = json_array_size(quals) && names_column(tree, col, quals);
	json_decref(quals);
	return r;
}

/* The views and materialized views that read relation rel_id, directly or through one another
   (PostgreSQL's dependencies of a view's rewrite rule), as a new array of ids. A view's query is
   parsed again from its text, its unqualified names resolved through the search_path in force
   now: the model does not keep the path a view was created under. */
/* The ids of the relations tree reads (RangeVars of the model, CTE names left out) as keys of set. */
static void
reads_collect(const struct model *m, json_t *n, json_t *set, json_t *ctes, const struct msql_ctx *cx)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			reads_collect(m, e, set, ctes, cx);
	} else if (json_is_object(n))
		json_object_foreach(n, k, e) {
			if (strcmp(k, "RangeVar") == 0) {
				json_t *r;

				if (!jstr(e, "schemaname") && in_strs(ctes, jstr(e, "relname")))
					continue;
				r = find_rel(m, e, K_QUERYREL, cx);
				if (r)
					json_object_set_new(set, jstr(r, "id"), json_true());
			} else
				reads_collect(m, e, set, ctes, cx);
		}
}

/* model_mentions: a view or materialized view. */
static int
is_view_rec(const char *id, json_t *r, void *arg)
{
	(void)id, (void)arg;
	return jeq(r, "kind", "view") || jeq(r, "kind", "matview");
}

static json_t *
dependent_views(struct model *m, const char *rel_id, const char *col, const struct msql_ctx *cx)
{
	json_t *ids, *out = json_array(), **v, *trees, *rel = json_object_get(model_scan(m), rel_id);
	size_t n;

	/* a view that reads rel names it: when none does (a DROP in a schema without views over the
	   relation), no view is read, parsed or copied */
	if (rel && jstr(rel, "name") && !model_mentions(m, jstr(rel, "name"), is_view_rec, NULL))
		return out;
	ids = json_array(), trees = json_array();
	if (!col)
		json_array_append_new(ids, json_string(rel_id));
	v = snapshot(m, &n);
	for (size_t k = 0; k < n; k++) {
		json_t *tree = NULL;

		if ((is_kind(v[k], "view") || is_kind(v[k], "matview")) && jstr(v[k], "query_sql")) {
			PgQueryParseResult pr = pg_query_parse(jstr(v[k], "query_sql"));

			if (!pr.error)
				tree = json_loads(pr.parse_tree, 0, NULL);
			pg_query_free_parse_result(pr);
		}
		json_array_append_new(trees, tree ? tree : json_null());
	}
	/* a column: the views that read the table and name the column (or *) come first */
	if (col)
		for (size_t k = 0; k < n; k++) {
			json_t *tree = json_array_get(trees, k);

			if (!json_is_null(tree) && reads_column(m, tree, rel_id, col, cx)) {
				json_array_append_new(ids, json_string(jstr(v[k], "id")));
				json_array_append_new(out, json_string(jstr(v[k], "id")));
			}
		}
	/* closure over an index of the readers of each relation (linear in the views and what they
	   read, not a pass over every view per view found) */
	json_t *readers = json_object(), *reads = json_array(), *found = json_object(), *queue = json_array(), *e;
	size_t i, j;

	for (size_t k = 0; k < n; k++) {
		json_t *tree = json_array_get(trees, k), *set = json_object(), *ctes = json_array();
		const char *rid;

		if (!json_is_null(tree)) {
			collect_ctes(tree, ctes);
			reads_collect(m, tree, set, ctes, cx);
		}
		json_object_foreach(set, rid, e) {
			json_t *l = json_object_get(readers, rid);

			if (!l)
				json_object_set_new(readers, rid, l = json_array());
			json_array_append_new(l, json_integer((json_int_t)k));
		}
		json_array_append_new(reads, set);
		json_decref(ctes);
	}
	json_array_foreach(ids, i, e) {
		json_object_set_new(found, json_string_value(e), json_true());
		json_array_append(queue, e);
	}
	for (i = 0; i < json_array_size(queue); i++)
		json_array_foreach(json_object_get(readers, json_string_value(json_array_get(queue, i))), j, e) {
			const char *vid = jstr(v[json_integer_value(e)], "id");

			if (json_object_get(found, vid))
				continue;
			json_object_set_new(found, vid, json_true());
			json_array_append_new(queue, json_string(vid));
		}
	/* in dependency order (a view after the found views it reads), else in id order; the views
	   of a column come first (out has them) */
	{
		size_t *need = xcalloc(n ? n : 1, sizeof *need), done = 0;
		json_t *ready = json_array(), *skip = json_object();
		const char *rid;

		json_array_foreach(out, i, e)
			json_object_set_new(skip, json_string_value(e), json_true());
		json_object_set_new(skip, rel_id, json_true());
		for (size_t k = 0; k < n; k++) {
			const char *vid = jstr(v[k], "id");

			if (!json_object_get(found, vid) || json_object_get(skip, vid))
				continue;
			json_object_foreach(json_array_get(reads, k), rid, e)
				if (json_object_get(found, rid) && !json_object_get(skip, rid) && strcmp(rid, vid) != 0)
					need[k]++;
			if (!need[k])
				json_array_append_new(ready, json_integer((json_int_t)k));
		}
		for (; done < json_array_size(ready); done++) {
			size_t k = (size_t)json_integer_value(json_array_get(ready, done));
			const char *vid = jstr(v[k], "id");

			json_array_append_new(out, json_string(vid));
			json_array_foreach(json_object_get(readers, vid), j, e) {
				size_t r = (size_t)json_integer_value(e);

				if (r != k && need[r] && --need[r] == 0)
					json_array_append_new(ready, json_integer((json_int_t)r));
			}
		}
		free(need);
		json_decref(ready), json_decref(skip);
	}
	free_snap(v, n);
	json_decref(trees), json_decref(ids), json_decref(readers), json_decref(reads), json_decref(found), json_decref(queue);
	return out;
}

/* ---- dependencies the model knows: what DROP ... CASCADE takes along, what plain DROP refuses ---- */

/* Whether a type's text (a column or argument type, a return: "S.t", "S.t[]", "SETOF S.t",
   "TABLE(x S.t)") uses the type named q ("S.t" as in ids). */
static int
type_uses(const char *s, const char *q)
{
	size_t l = strlen(q);

	for (const char *p = s; s && (p = strstr(p, q)) != NULL; p++) {
		char b = p == s ? 0 : p[-1], a = p[l];

		if ((p == s || b == ' ' || b == '(' || b == ',') && (a == 0 || a == '[' || a == ',' || a == ')' || a == ' '))
			return 1;
	}
	return 0;
}

/* Whether routine record f takes or returns the type q. */
static int
routine_uses_type(json_t *f, const char *q)
{
	size_t i;
	json_t *a;

	if (type_uses(jstr(f, "returns"), q))
		return 1;
	json_array_foreach(json_object_get(f, "args"), i, a)
		if (type_uses(jstr(a, "type"), q))
			return 1;
	return 0;
}


static int
is_routine_rec(json_t *r)
{
	return is_kind(r, "function") || is_kind(r, "procedure") || is_kind(r, "aggregate");
}

static int
type_in(const char *t, const char *const *list)
{
	for (size_t k = 0; t && list[k]; k++)
		if (strncmp(t, list[k], strlen(list[k])) == 0)
			return 1;
	return 0;
}

/* Whether the constants among a call's arguments can go to routine f's parameters, an overload
   told apart as func_select_candidate does for constants: a number only to a numeric type (no
   implicit cast makes text of it); a quoted literal (unknown) to a string type when an overload
   of the same name and arity takes one there. */
static int
consts_fit(const struct model *m, json_t *args, json_t *f)
{
	static const char *const numeric[] = { "smallint", "integer", "bigint", "numeric", "real",
		"double precision", NULL };
	static const char *const string[] = { "text", "character varying", "character", "name", NULL };
	json_t *a, *params = json_object_get(f, "args");
	size_t i;

	json_array_foreach(args, i, a) {
		json_t *c = node_as(a, "A_Const");
		const char *pt = jstr(json_array_get(params, i), "type"), *id;
		json_t *r;

		if (!c || !pt)
			continue;
		if ((json_object_get(c, "ival") || json_object_get(c, "fval")) && !type_in(pt, numeric))
			return 0;
		if (!json_object_get(c, "sval") || type_in(pt, string))
			continue;
		json_object_foreach(model_scan(m), id, r)
			if (r != f && is_routine_rec(r) && jeq(r, "name", jstr(f, "name")) && jeq(r, "schema", jstr(f, "schema"))
			    && json_array_size(json_object_get(r, "args")) == json_array_size(params)
			    && type_in(jstr(json_array_get(json_object_get(r, "args"), i), "type"), string))
				return 0;
	}
	return 1;
}

/* Whether a parsed tree calls routine f: by its name, qualified with its schema or unqualified
   with its schema on the search path in force; overloads told apart by the number of arguments. */
/* Whether FuncCall node e calls routine f. */
static int
call_matches(const struct model *m, json_t *e, json_t *f, const struct msql_ctx *cx)
{
	json_t *fn = json_object_get(e, "funcname"), *a;
	size_t nf = json_array_size(fn), na = json_array_size(json_object_get(e, "args")), req = 0, j;
	const char *name = sval(json_array_get(fn, nf - 1)), *sch = nf >= 2 ? sval(json_array_get(fn, nf - 2)) : NULL;
	int in_path = 0;

	json_array_foreach(json_object_get(f, "args"), j, a)
		if (!json_object_get(a, "default_sql") && !jeq(a, "mode", "out"))
			req++;
	for (j = 0; !sch && cx->sp && j < cx->sp->schemas.n; j++)
		in_path |= jeq(f, "schema", cx->sp->schemas.v[j]);
	if (!sch && (!cx->sp || !cx->sp->schemas.n))
		in_path = jeq(f, "schema", "public");
	return name && jeq(f, "name", name) && (sch ? jeq(f, "schema", sch) : in_path)
	    && na >= req && (na <= json_array_size(json_object_get(f, "args")) || jbool(f, "variadic"))
	    && consts_fit(m, json_object_get(e, "args"), f);
}

static int
tree_calls(const struct model *m, json_t *n, json_t *f, const struct msql_ctx *cx)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			if (tree_calls(m, e, f, cx))
				return 1;
	} else if (json_is_object(n))
		json_object_foreach(n, k, e) {
			if (strcmp(k, "FuncCall") == 0 && call_matches(m, e, f, cx))
				return 1;
			if (tree_calls(m, e, f, cx))
				return 1;
		}
	return 0;
}

/* Whether the text rec[key_sql] (an expression, or a whole statement: query) calls routine f. */
static int
text_calls(const struct model *m, json_t *rec, const char *key, int query, json_t *f, const struct msql_ctx *cx)
{
	char *k = xasprintf("%s_sql", key);
	const char *text = jstr(rec, k);
	char *q = text ? (query ? xstrdup(text) : xasprintf("SELECT %s", text)) : NULL;
	int r = 0;

	if (q) {
		PgQueryParseResult pr = pg_query_parse(q);
		json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);

		r = tree && tree_calls(m, tree, f, cx);
		json_decref(tree);
		pg_query_free_parse_result(pr);
	}
	free(q), free(k);
	return r;
}

static int routine_deps(struct model *m, json_t *f, int apply, const struct msql_ctx *cx);
static int drop_type(struct model *m, json_t *ty, int cascade, const struct msql_ctx *cx);

static int type_deps(struct model *m, const char *q, int apply, const struct msql_ctx *cx);

static void drop_routine(struct model *m, json_t *f, const struct msql_ctx *cx);

/* Whether type t (canonical; SETOF T, T[]) is one of the types named in names (keys). */
static int
row_type_of(const char *t, json_t *names)
{
	char *b;
	size_t l;
	int r;

	if (!t)
		return 0;
	if (strncmp(t, "SETOF ", 6) == 0)
		t += 6;
	b = xstrdup(t);
	while ((l = strlen(b)) > 2 && strcmp(b + l - 2, "[]") == 0)
		b[l - 2] = 0;
	r = json_object_get(names, b) != NULL;
	free(b);
	return r;
}

/* Drop the views and matviews of ids (an array) with the routines, columns and composite
   attributes of their row types and their indexes: one pass over the model for them all (a
   chain of views dropped by one CASCADE is linear, not a scan per view). */
static void
drop_views(struct model *m, json_t *ids, const struct msql_ctx *cx)
{
	json_t *names, *set, **v, *e;
	size_t n, i;

	if (!json_array_size(ids))
		return;
	names = json_object(), set = json_object();
	json_array_foreach(ids, i, e) {
		json_t *r = json_object_get(model_scan(m), json_string_value(e));
		char *q;

		if (!r)
			continue;
		q = model_qname(jstr(r, "schema"), jstr(r, "name"));
		json_object_set_new(names, q, json_true());
		json_object_set_new(set, json_string_value(e), json_true());
		free(q);
	}
	v = snapshot(m, &n);
	for (size_t k = 0; k < n && json_object_size(names); k++) {
		json_t *r = model_get(m, jstr(v[k], "id")), *cols, *c;
		int uses = 0;

		if (!r)
			continue;
		if (is_routine_rec(r)) {
			uses = row_type_of(jstr(r, "returns"), names);
			json_array_foreach(json_object_get(r, "args"), i, c)
				uses |= row_type_of(jstr(c, "type"), names);
			if (uses)
				drop_routine(m, r, cx);
			continue;
		}
		if (is_kind(r, "index") && json_object_get(set, jstr(r, "table") ? jstr(r, "table") : "")) {
			drop_rec(m, jstr(r, "id"));
			continue;
		}
		if (!is_kind(r, "table") && !is_kind(r, "type"))
			continue;
		cols = json_object_get(r, is_kind(r, "type") ? "attributes" : "columns");
		for (i = json_array_size(cols); i-- > 0;) {
			c = json_array_get(cols, i);
			if (!row_type_of(jstr(c, "type"), names) || jbool(c, "inherited"))
				continue;
			if (is_kind(r, "table"))
				drop_column(m, r, jstr(c, "name"), 1, cx);
			else
				json_array_remove(cols, i);
		}
	}
	free_snap(v, n);
	/* what hangs on a view (comments, owners, grants, its columns' records) has an id holding its
	   qualified name after a ':' and before a '.', a ':' or the end: counted once for them all, a
	   view nothing hangs on is removed without msql_retarget's scan of every id */
	json_t *cands = json_object(), *rec;
	const char *cid;

	json_object_foreach(model_scan(m), cid, rec)
		for (const char *a = strchr(cid, ':'); a; a = strchr(a + 1, ':'))
			for (const char *z = a + 1; *z; z++)
				if (z[1] == 0 || z[1] == '.' || z[1] == ':') {
					char *c = xstrndup(a + 1, (size_t)(z - a));
					json_t *cnt = json_object_get(cands, c);

					json_object_set_new(cands, c, json_integer(cnt ? json_integer_value(cnt) + 1 : 1));
					free(c);
				}
	json_array_foreach(ids, i, e) {
		const char *id = json_string_value(e), *rest = strchr(id, ':');

		if (!json_object_get(model_scan(m), id))
			continue;
		if (rest && json_integer_value(json_object_get(cands, rest + 1)) <= 1)
			model_del(m, id);
		else
			drop_rec(m, id);
	}
	json_decref(cands), json_decref(names), json_decref(set);
}

/* Drop view or materialized view id and the views that read it, at every depth. */
static void
drop_view_tree(struct model *m, const char *id, const struct msql_ctx *cx)
{
	json_t *l = dependent_views(m, id, NULL, cx);

	json_array_append_new(l, json_string(id));
	drop_views(m, l, cx);
	json_decref(l);
}

/* Drop a routine and what depends on it. */
static void
drop_routine(struct model *m, json_t *f, const struct msql_ctx *cx)
{
	char *id = xstrdup(jstr(f, "id"));

	json_incref(f);
	routine_deps(m, f, 1, cx);
	drop_rec(m, id);
	json_decref(f);
	free(id);
}

/* The objects that use routine f (triggers, event triggers, defaults, generated columns, checks,
   index expressions and predicates, domain defaults and checks, views, policies): their number;
   apply: drop them as DROP FUNCTION ... CASCADE does (a default goes, not its column). */
static int
routine_deps(struct model *m, json_t *f, int apply, const struct msql_ctx *cx)
{
	const char *fid = jstr(f, "id");
	json_t **v, *c, *e;
	size_t n, i, j;
	int cnt = 0;

	/* what uses f names it (its id, or a call in a text) */
	v = pick_named(m, jstr(f, "name"), &n, keep_any, NULL);
	for (size_t k = 0; k < n; k++) {
		json_t *r = v[k];

		if (apply && !model_get(m, jstr(r, "id")))
			continue;
		if (((is_kind(r, "trigger") || is_kind(r, "event_trigger")) && jeq(r, "function", fid))
		    || msql_agg_uses(r, fid)) {
			cnt++;
			if (apply)
				drop_rec(m, jstr(r, "id"));
		} else if (is_kind(r, "policy") || is_kind(r, "index")) {
			int uses = text_calls(m, r, "using", 0, f, cx) || text_calls(m, r, "check", 0, f, cx)
			    || text_calls(m, r, "where", 0, f, cx);

			json_array_foreach(json_object_get(r, "keys"), i, e)
				uses |= text_calls(m, e, "expr", 0, f, cx);
			if (uses) {
				cnt++;
				if (apply)
					drop_rec(m, jstr(r, "id"));
			}
		} else if (is_kind(r, "view") || is_kind(r, "matview")) {
			if (text_calls(m, r, "query", 1, f, cx)) {
				cnt++;
				if (apply)
					drop_view_tree(m, jstr(r, "id"), cx);
			}
		} else if (is_kind(r, "table") || is_kind(r, "domain")) {
			json_t *cols = json_object_get(r, "columns"), *cs = json_object_get(r, "constraints");

			if (text_calls(m, r, "default", 0, f, cx)) {
				/* a domain's default is the type's own (pg_type.typdefaultbin): the domain goes */
				cnt++;
				if (apply) {
					drop_type(m, r, 1, cx);
					continue;
				}
			}
			for (i = json_array_size(cols); i-- > 0;) {
				c = json_array_get(cols, i);
				if (text_calls(m, c, "default", 0, f, cx)) {
					cnt++;
					if (apply)
						json_object_del(c, "default"), json_object_del(c, "default_sql");
				}
				if (text_calls(m, c, "generated", 0, f, cx)) {
					cnt++;
					if (apply)
						drop_column(m, r, jstr(c, "name"), 1, cx);
				}
			}
			for (i = json_array_size(cs); i-- > 0;) {
				int uses;

				c = json_array_get(cs, i);
				uses = text_calls(m, c, "expr", 0, f, cx) || text_calls(m, c, "where", 0, f, cx);
				json_array_foreach(json_object_get(c, "elements"), j, e)
					uses |= text_calls(m, e, "expr", 0, f, cx);
				if (uses) {
					cnt++;
					if (apply)
						json_array_remove(cs, i);
				}
			}
		}
	}
	free_snap(v, n);
	return cnt;
}

/* The routines that take or return type q (a type, a domain, a table's or view's row type): their
   number; apply: drop them with what uses them. */
static int
type_deps(struct model *m, const char *q, int apply, const struct msql_ctx *cx)
{
	json_t **v;
	size_t n;
	int cnt = 0;

	/* a routine's argument or result, a column or attribute of the type holds q */
	v = pick_named(m, q, &n, keep_any, NULL);
	for (size_t k = 0; k < n; k++)
		if (is_routine_rec(v[k]) && routine_uses_type(v[k], q) && (!apply || model_get(m, jstr(v[k], "id")))) {
			cnt++;
			if (apply)
				drop_routine(m, v[k], cx);
		}
	/* the columns of tables and the attributes of composite types of that type (or its array):
	   DROP ... CASCADE drops them (a relation's row type too) */
	for (size_t k = 0; k < n; k++) {
		json_t *r = (is_kind(v[k], "table") || is_kind(v[k], "type")) ? model_get(m, jstr(v[k], "id")) : NULL, *cols, *c;
		char *qa = xasprintf("%s[]", q);

		cols = json_object_get(r, is_kind(r, "type") ? "attributes" : "columns");
		for (size_t i = json_array_size(cols); i-- > 0;) {
			c = json_array_get(cols, i);
			if (!(jeq(c, "type", q) || jeq(c, "type", qa)) || jbool(c, "inherited"))
				continue;
			cnt++;
			if (apply && is_kind(r, "table"))
				drop_column(m, r, jstr(c, "name"), 1, cx);
			else if (apply)
				json_array_remove(cols, i);
		}
		free(qa);
	}
	free_snap(v, n);
	return cnt;
}

/* The signature of routine f as the server names it: name(argument types), the name qualified
   when its schema is not on the search path. */
static char *
routine_sig(json_t *f, const struct msql_ctx *cx)
{
	const char *p = strchr(jstr(f, "id"), '(');
	int vis = !cx->sp || !cx->sp->schemas.n ? jeq(f, "schema", "public") : 0;

	for (size_t j = 0; cx->sp && j < cx->sp->schemas.n; j++)
		vis |= jeq(f, "schema", cx->sp->schemas.v[j]);
	if (!vis)
		return xasprintf("%s.%s%s", jstr(f, "schema"), jstr(f, "name"), p ? p : "()");
	return xasprintf("%s%s", jstr(f, "name"), p ? p : "()");
}

int
msql_drop_routine(struct model *m, const char *id, int cascade, const struct msql_ctx *cx)
{
	json_t *f = model_get(m, id);

	if (!f)
		return MSQL_OK;
	if (!cascade && routine_deps(m, f, 0, cx)) {
		char *sig = routine_sig(f, cx);

		warnat(&cx->pos, "cannot drop %s %s because other objects depend on it",
		    is_kind(f, "procedure") ? "procedure" : is_kind(f, "aggregate") ? "function" : "function", sig);
		free(sig);
		return MSQL_ERR;
	}
	drop_routine(m, f, cx);
	return MSQL_OK;
}

int
msql_drop_view(struct model *m, const char *id, int cascade, json_t *with, const struct msql_ctx *cx)
{
	json_t *v = model_get(m, id), *views, *e;
	char *q;
	size_t i;
	int dep = 0;

	if (!v)
		return MSQL_OK;
	views = dependent_views(m, id, NULL, cx);
	q = model_qname(jstr(v, "schema"), jstr(v, "name"));
	/* the views the same DROP names are no dependents that stop it (performMultipleDeletions) */
	json_array_foreach(views, i, e)
		if (!in_strs(with, json_string_value(e)))
			dep = 1;
	dep = dep || type_deps(m, q, 0, cx);
	json_decref(views);
	if (dep && !cascade) {
		warnat(&cx->pos, "cannot drop %s %s because other objects depend on it",
		    is_kind(v, "matview") ? "materialized view" : "view", jstr(v, "name"));
		free(q);
		return MSQL_ERR;
	}
	/* the routines on its row type, the views over it at every depth */
	type_deps(m, q, 1, cx);
	drop_view_tree(m, id, cx);
	free(q);
	return MSQL_OK;
}

/* ---- a routine renamed or moved: the calls of it in stored text say the new name ---- */

struct callren {
	const struct model *m;
	const struct msql_ctx *cx;
	json_t *f;           /* the routine, or the type (types: set) */
	int types;
	const char *s;
	const char *nschema, *nname;
	struct edits es;
	int body;            /* an SQL-standard body: its select lists name their output columns */
};

static void
call_edits(struct callren *c, json_t *n)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(n))
		json_array_foreach(n, i, e)
			call_edits(c, e);
	else if (json_is_object(n))
		json_object_foreach(n, k, e) {
			if (c->types && (strcmp(k, "TypeName") == 0 || strcmp(k, "typeName") == 0) && json_object_get(e, "location")) {
				/* a type named in a cast or a declaration: S.N or N with S on the path */
				json_t *nm = json_object_get(e, "names");
				size_t nf = json_array_size(nm), at = (size_t)jint(e, "location");
				const char *last = sval(json_array_get(nm, nf - 1)), *sch = nf >= 2 ? sval(json_array_get(nm, nf - 2)) : NULL;
				int on = 0, vis = 0;

				for (size_t j = 0; c->cx->sp && j < c->cx->sp->schemas.n; j++) {
					on |= jeq(c->f, "schema", c->cx->sp->schemas.v[j]);
					vis |= strcmp(c->nschema, c->cx->sp->schemas.v[j]) == 0;
				}
				if (last && jeq(c->f, "name", last) && (sch ? jeq(c->f, "schema", sch) : on) && c->s[at] != '\''
				    && nf <= 2)
					edit_add(&c->es, at, ident_end(c->s, field_at(c->s, at, nf - 1)),
					    nf >= 2 || !vis ? model_qname(c->nschema, c->nname) : model_ident(c->nname));
			}
			if (!c->types && c->body && strcmp(k, "ResTarget") == 0 && !jstr(e, "name") && node_as(json_object_get(e, "val"), "FuncCall")
			    && strcmp(jstr(c->f, "name"), c->nname) != 0) {
				/* a select-list call without a name keeps the one it gave its output column (the
				   function's old name): the catalog prints f2(x) AS f */
				json_t *fc = node_as(json_object_get(e, "val"), "FuncCall");

				if (json_object_get(fc, "location") && call_matches(c->m, fc, c->f, c->cx)) {
					char *sl = normexpr_slice(c->s, json_object_get(e, "val")), *oi = model_ident(jstr(c->f, "name"));
					size_t end = (size_t)jint(fc, "location") + strlen(sl);

					edit_add(&c->es, end, end, xasprintf(" AS %s", oi));
					free(sl), free(oi);
				}
			}
			if (!c->types && strcmp(k, "FuncCall") == 0 && json_object_get(e, "location") && call_matches(c->m, e, c->f, c->cx)) {
				size_t nf = json_array_size(json_object_get(e, "funcname")), at = (size_t)jint(e, "location");
				size_t end = ident_end(c->s, field_at(c->s, at, nf - 1));
				int vis = 0;

				for (size_t j = 0; c->cx->sp && j < c->cx->sp->schemas.n; j++)
					vis |= strcmp(c->nschema, c->cx->sp->schemas.v[j]) == 0;
				edit_add(&c->es, at, end, nf >= 2 || !vis ? model_qname(c->nschema, c->nname) : model_ident(c->nname));
			}
			call_edits(c, e);
		}
}

/* rec[key_sql] with the calls of routine f (types: the uses of type f) renamed (query: a whole
   statement); 1 if it changed. */
static int
names_rename(const struct model *m, json_t *rec, const char *key, int query, json_t *f, int types,
    const char *nschema, const char *nname, const struct msql_ctx *cx)
{
	char *k = xasprintf("%s_sql", key), *q, *out;
	const char *text = jstr(rec, k);
	PgQueryParseResult pr;
	json_t *tree;
	struct callren c = { m, cx, f, types, NULL, nschema, nname, { 0 }, 0 };
	int changed;

	if (!text) {
		free(k);
		return 0;
	}
	if (query == 2) {
		/* a SQL-standard body */
		q = xasprintf(BODY_WRAP "%s", text);
		c.s = q;
		c.body = 1;
		pr = pg_query_parse(q);
		tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
		pg_query_free_parse_result(pr);
		if (tree)
			call_edits(&c, tree);
		out = edits_apply(q, &c.es);
		changed = out != NULL;
		if (out)
			refold_body(rec, out + strlen(BODY_WRAP));
		json_decref(tree);
		free(q), free(k), free(out);
		return changed;
	}
	q = query ? xstrdup(text) : xasprintf("SELECT %s", text);
	c.s = q;
	pr = pg_query_parse(q);
	tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	pg_query_free_parse_result(pr);
	if (tree)
		call_edits(&c, tree);
	out = edits_apply(q, &c.es);
	if (out && query)
		json_object_set_new(rec, k, json_string(out));
	else if (out)
		set_text_expr(rec, key, out + 7, NX_EXPR);
	json_decref(tree);
	free(q), free(k);
	if (out) {
		free(out);
		return 1;
	}
	return 0;
}

static json_t *rename_names(struct model *m, json_t *f, int types, const char *nschema, const char *nname,
    const struct msql_ctx *cx);

json_t *
msql_rename_calls(struct model *m, const char *fid, const char *nschema, const char *nname, const struct msql_ctx *cx)
{
	return rename_names(m, model_get(m, fid), 0, nschema, nname, cx);
}

/* The text of every record naming f (a routine's calls, or a type's uses: types) made to say
   nschema.nname; the views whose text changed, for msql_refold_views. */
static json_t *
rename_names(struct model *m, json_t *f, int types, const char *nschema, const char *nname,
    const struct msql_ctx *cx)
{
	json_t **v, *views = json_array(), *c, *e;
	size_t n, i, j;

	if (!f)
		return views;
	char *prev = msql_own(own_id);

	/* a text that calls f or uses type f names it: only the records that mention its name are
	   read (and copied into the undo level), not every record per rename */
	v = pick_named(m, jstr(f, "name"), &n, keep_any, NULL);
	for (size_t k = 0; k < n; k++) {
		json_t *r = v[k];

		free(own_of(r));
		if (is_kind(r, "view") || is_kind(r, "matview")) {
			if (names_rename(m, r, "query", 1, f, types, nschema, nname, cx))
				json_array_append_new(views, json_string(jstr(r, "id")));
			continue;
		}
		if (std_body(r) && r != f) {
			names_rename(m, r, "body", 2, f, types, nschema, nname, cx);
			continue;
		}
		names_rename(m, r, "using", 0, f, types, nschema, nname, cx);
		names_rename(m, r, "check", 0, f, types, nschema, nname, cx);
		names_rename(m, r, "when", 0, f, types, nschema, nname, cx);
		names_rename(m, r, "where", 0, f, types, nschema, nname, cx);
		names_rename(m, r, "default", 0, f, types, nschema, nname, cx);
		json_array_foreach(json_object_get(r, "keys"), i, e)
			names_rename(m, e, "expr", 0, f, types, nschema, nname, cx);
		json_array_foreach(json_object_get(r, "columns"), i, c) {
			names_rename(m, c, "default", 0, f, types, nschema, nname, cx);
			names_rename(m, c, "generated", 0, f, types, nschema, nname, cx);
		}
		json_array_foreach(json_object_get(r, "constraints"), i, c) {
			names_rename(m, c, "expr", 0, f, types, nschema, nname, cx);
			names_rename(m, c, "where", 0, f, types, nschema, nname, cx);
			json_array_foreach(json_object_get(c, "elements"), j, e)
				names_rename(m, e, "expr", 0, f, types, nschema, nname, cx);
		}
	}
	own_restore(prev);
	free_snap(v, n);
	return views;
}

static int
drop_table(struct model *m, json_t *t, int cascade, const struct msql_ctx *cx)
{
	const char *tid = jstr(t, "id");
	json_t *l, *e, **v, *views;
	size_t i, n;
	int dep = 0;
	char *id = xstrdup(tid);

	/* foreign keys of other tables, inheritance children: CASCADE only; partitions go with it
	   (the tables that hold tid, not every record per DROP) */
	v = pick_named(m, tid, &n, keep_other_table, t);
	for (size_t k = 0; k < n; k++) {
		json_t *cs = json_object_get(v[k], "constraints");

		if (in_strs(json_object_get(v[k], "inherits"), tid))
			dep = 1;
		json_array_foreach(cs, i, e)
			if (jeq(e, "type", "foreign key") && jeq(e, "ref_table", tid) && !jbool(e, "inherited"))
				dep = 1;
	}
	views = dependent_views(m, tid, NULL, cx);
	/* routines taking or returning its row type */
	{
		char *q = model_qname(jstr(t, "schema"), jstr(t, "name"));

		if (type_deps(m, q, 0, cx))
			dep = 1;
		if (dep && cascade)
			type_deps(m, q, 1, cx);
		free(q);
	}
	if ((dep || json_array_size(views)) && !cascade) {
		warnat(&cx->pos, "cannot drop table %s because other objects depend on it", jstr(t, "name"));
		free_snap(v, n);
		json_decref(views);
		free(id);
		return MSQL_ERR;
	}
	drop_views(m, views, cx);
	json_decref(views);
	for (size_t k = 0; k < n; k++) {
		json_t *cs = json_object_get(v[k], "constraints");

		for (i = json_array_size(cs); i-- > 0;)
			if (jeq(json_array_get(cs, i), "type", "foreign key") && jeq(json_array_get(cs, i), "ref_table", tid))
				json_array_remove(cs, i);
	}
	free_snap(v, n);
	/* the record goes first: what hangs below it is dropped after, and never twice */
	l = children(m, id);
	json_incref(t);
	drop_rec(m, id);
	json_array_foreach(l, i, e)
		if (model_get(m, jstr(e, "id")))
			drop_table(m, e, 1, cx);
	json_decref(l);
	json_decref(t);
	l = indexes_on(m, id);
	json_array_foreach(l, i, e)
		drop_rec(m, jstr(e, "id"));
	json_decref(l);
	stats_follow(m, id, NULL, NULL);
	l = owned_seqs(m, id, NULL);
	json_array_foreach(l, i, e)
		drop_rec(m, jstr(e, "id"));
	json_decref(l);
	free(id);
	return MSQL_OK;
}

/* Whether a column default (its text) calls nextval of sequence record s. */
static int
default_uses_seq(json_t *col, json_t *s)
{
	const char *d = jstr(col, "default_sql");
	char *q = model_qname(jstr(s, "schema"), jstr(s, "name"));
	int r = 0;

	if (d && strstr(d, "nextval")) {
		char *a = xasprintf("'%s'", jstr(s, "name")), *b = xasprintf("'%s'", q);

		r = strstr(d, a) || strstr(d, b);
		free(a), free(b);
	}
	free(q);
	return r;
}

static int
drop_sequence(struct model *m, json_t *s, int cascade, const struct msql_ctx *cx)
{
	json_t **v;
	size_t n, i;
	json_t *c;
	int dep = 0;

	/* a default that calls nextval of s names it */
	v = pick_named(m, jstr(s, "name"), &n, keep_any, NULL);
	for (size_t k = 0; k < n; k++)
		json_array_foreach(json_object_get(v[k], "columns"), i, c)
			if (is_kind(v[k], "table") && default_uses_seq(c, s)) {
				dep = 1;
				if (cascade)
					json_object_del(c, "default"), json_object_del(c, "default_sql");
			}
	free_snap(v, n);
	if (jbool(s, "identity") || (dep && !cascade)) {
		warnat(&cx->pos, "cannot drop sequence %s because other objects depend on it", jstr(s, "name"));
		return MSQL_ERR;
	}
	drop_rec(m, jstr(s, "id"));
	return MSQL_OK;
}

/* Columns, attributes and domains that use type record ty; with cascade, they are dropped. */
static int
drop_type(struct model *m, json_t *ty, int cascade, const struct msql_ctx *cx)
{
	char *q = model_qname(jstr(ty, "schema"), jstr(ty, "name")), *qa = xasprintf("%s[]", q);
	json_t **v, *c;
	size_t n, i;
	int dep = 0;

	/* a column, attribute or domain of the type holds q */
	v = pick_named(m, q, &n, keep_any, NULL);
	for (size_t k = 0; k < n; k++) {
		json_t *cols = json_object_get(v[k], is_kind(v[k], "type") ? "attributes" : "columns");

		if (is_kind(v[k], "domain") && (jeq(v[k], "type", q) || jeq(v[k], "type", qa)))
			dep = 1;
		json_array_foreach(cols, i, c)
			if (jeq(c, "type", q) || jeq(c, "type", qa))
				dep = 1;
	}
	if (type_deps(m, q, 0, cx))
		dep = 1;
	if (dep && !cascade) {
		warnat(&cx->pos, "cannot drop type %s because other objects depend on it", jstr(ty, "name"));
		free_snap(v, n), free(q), free(qa);
		return MSQL_ERR;
	}
	if (dep)
		type_deps(m, q, 1, cx);
	for (size_t k = 0; k < n && dep; k++) {
		json_t *cols = json_object_get(v[k], is_kind(v[k], "type") ? "attributes" : "columns");

		if (!model_get(m, jstr(v[k], "id")))
			continue;
		if (is_kind(v[k], "domain") && (jeq(v[k], "type", q) || jeq(v[k], "type", qa))) {
			drop_type(m, v[k], 1, cx);
			continue;
		}
		for (i = json_array_size(cols); i-- > 0;) {
			c = json_array_get(cols, i);
			if (!(jeq(c, "type", q) || jeq(c, "type", qa)))
				continue;
			if (is_kind(v[k], "table"))
				drop_column(m, v[k], jstr(c, "name"), 1, cx);
			else
				json_array_remove(cols, i);
		}
	}
	free_snap(v, n);
	drop_rec(m, jstr(ty, "id"));
	free(q), free(qa);
	return MSQL_OK;
}

static int
drop_schema(struct model *m, json_t *s, int cascade, const struct msql_ctx *cx)
{
	const char *name = jstr(s, "name");
	json_t **v;
	size_t n;
	int dep = 0;
	char *id = xstrdup(jstr(s, "id"));

	v = snapshot(m, &n);
	for (size_t i = 0; i < n; i++)
		if (jeq(v[i], "schema", name) && !is_kind(v[i], "schema"))
			dep = 1;
	if (dep && !cascade) {
		warnat(&cx->pos, "cannot drop schema %s because other objects depend on it", name);
		free_snap(v, n), free(id);
		return MSQL_ERR;
	}
	for (size_t i = 0; i < n; i++) {
		if (!jeq(v[i], "schema", name) || is_kind(v[i], "schema") || !model_get(m, jstr(v[i], "id")))
			continue;
		if (is_kind(v[i], "table"))
			drop_table(m, v[i], 1, cx);
		else if (is_kind(v[i], "type") || is_kind(v[i], "domain"))
			drop_type(m, v[i], 1, cx);
		else if (is_routine_rec(v[i]))
			drop_routine(m, v[i], cx);
		else if (is_kind(v[i], "view") || is_kind(v[i], "matview"))
			drop_view_tree(m, jstr(v[i], "id"), cx);
		else
			drop_rec(m, jstr(v[i], "id"));
	}
	free_snap(v, n);
	drop_rec(m, id);
	free(id);
	return MSQL_OK;
}

static int
fold_drop(struct model *m, json_t *b, json_t *stmt, const struct msql_ctx *cx)
{
	static const char *const map[][3] = {
		{ "OBJECT_TABLE", "table", "table" }, { "OBJECT_SEQUENCE", "sequence", "sequence" },
		{ "OBJECT_INDEX", "index", "index" }, { "OBJECT_TYPE", "type", "type" },
		{ "OBJECT_DOMAIN", "domain", "type" }, { "OBJECT_SCHEMA", "schema", "schema" },
		{ "OBJECT_EXTENSION", "extension", "extension" },
		{ "OBJECT_FOREIGN_TABLE", "table", "foreign table" },
	};
	const char *rt = jstr(b, "removeType"), *kind = NULL, *word = NULL;
	int cascade = jeq(b, "behavior", "DROP_CASCADE"), missing_ok = jbool(b, "missing_ok");
	json_t *objs = json_object_get(b, "objects"), *o, *found = json_array();
	size_t i;
	int rc = MSQL_OK;

	for (i = 0; i < sizeof map / sizeof *map; i++)
		if (strcmp(rt, map[i][0]) == 0)
			kind = map[i][1], word = map[i][2];
	if (!kind) {
		json_decref(found);
		return msql_fold_obj(m, stmt, cx);
	}
	/* an index of a constraint is no record: DROP INDEX of it is refused as by the server */
	json_array_foreach(objs, i, o) {
		json_t *r = drop_target(m, o, kind, cx);

		if (!r && strcmp(kind, "type") == 0)
			r = drop_target(m, o, "domain", cx);
		if (!r) {
			char *n = drop_name(o);

			if (strcmp(kind, "index") == 0) {
				json_t *t = NULL, *names = list_items(o);
				size_t k = json_array_size(names);

				if (constraint_index(m, k >= 2 ? sval(json_array_get(names, k - 2)) : first_schema(cx),
				    last_name(names), &t)) {
					warnat(&cx->pos, "cannot drop index %s because constraint %s on table %s requires it",
					    last_name(names), last_name(names), jstr(t, "name"));
					free(n), json_decref(found);
					return MSQL_ERR;
				}
			}
			if (!missing_ok && (strcmp(rt, "OBJECT_TABLE") == 0 || strcmp(rt, "OBJECT_SEQUENCE") == 0
			    || strcmp(rt, "OBJECT_INDEX") == 0)) {
				/* RangeVarCallbackForDropRelation: a relation of the name of another kind "is not a
				   table"; both messages quote the name without its schema (DropErrorMsgNonExistent) */
				static const char *const anyrel[] = { "table", "view", "matview", "sequence", "index", NULL };
				json_t *names = list_items(o), *rv = json_object(), *other;
				size_t k = json_array_size(names);

				json_object_set_new(rv, "relname", json_string(last_name(names)));
				if (k >= 2)
					json_object_set_new(rv, "schemaname", json_string(sval(json_array_get(names, k - 2))));
				other = find_rel(m, rv, anyrel, cx);
				json_decref(rv);
				char *sid = k >= 2 ? xasprintf("schema:%s", sval(json_array_get(names, k - 2))) : NULL;

				if (sid && !json_object_get(model_scan(m), sid) && strcmp(sid, "schema:pg_catalog") != 0)
					warnat(&cx->pos, "schema \"%s\" does not exist", sval(json_array_get(names, k - 2)));
				else if (other)
					warnat(&cx->pos, "\"%s\" is not a%s %s", last_name(names), *word == 'i' ? "n" : "", word);
				else
					warnat(&cx->pos, "%s \"%s\" does not exist", word, last_name(names));
				free(sid), free(n), json_decref(found);
				return MSQL_ERR;
			}
			if (!missing_ok) {
				warnat(&cx->pos, "%s \"%s\" does not exist", word, n);
				free(n), json_decref(found);
				return MSQL_ERR;
			}
			free(n);
			continue;
		}
		json_array_append(found, r);
	}
	json_array_foreach(found, i, o) {
		if (!model_get(m, jstr(o, "id")))
			continue; /* went with an earlier one */
		if (is_kind(o, "table"))
			rc = drop_table(m, o, cascade, cx);
		else if (is_kind(o, "sequence"))
			rc = drop_sequence(m, o, cascade, cx);
		else if (is_kind(o, "type") || is_kind(o, "domain"))
			rc = drop_type(m, o, cascade, cx);
		else if (is_kind(o, "schema"))
			rc = drop_schema(m, o, cascade, cx);
		else
			drop_rec(m, jstr(o, "id"));
		if (rc != MSQL_OK)
			break;
	}
	json_decref(found);
	return rc;
}

/* ---- the dispatcher ---- */

/* Statements that leave the schema as it is. */
static const char *const NOCHANGE[] = { "SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt",
	"CopyStmt", "VariableSetStmt", "VariableShowStmt", "TransactionStmt", "ExplainStmt", "CheckPointStmt",
	"VacuumStmt", "ListenStmt", "NotifyStmt", "UnlistenStmt", "LockStmt", "DiscardStmt", "PrepareStmt",
	"ExecuteStmt", "DeallocateStmt", "ClosePortalStmt", "DeclareCursorStmt", "FetchStmt", "ReindexStmt",
	"ClusterStmt", "LoadStmt", "ConstraintsSetStmt", NULL };

static int fold(struct model *m, json_t *stmt, const struct msql_ctx *cx);

/* PostgreSQL leaves the schemas of the search_path that do not exist out of it (namespace.c,
   recomputeNamespacePath): `SET search_path = app, public` before `CREATE SCHEMA app` creates in
   public. The statement is folded with the path of the schemas the model has. */
/* normexpr's column types (nx_type_fn) from the model being folded: a relation resolved along
   the statement's search_path; rel NULL: own_id's. */
static const char *
msql_col_type(const char *schema, const char *rel, const char *col, void *ctx)
{
	static const char *const kinds[] = { "table", "view", "matview", NULL };
	json_t *r;

	(void)ctx;
	if (!fold_model)
		return "";
	if (!rel)
		return model_col_type(fold_model, own_id ? model_get(fold_model, own_id) : NULL, col);
	if (!schema && !type_cx)
		return "";
	json_t *rv = json_pack("{s:s}", "relname", rel);

	if (schema)
		json_object_set_new(rv, "schemaname", json_string(schema));
	r = find_rel(fold_model, rv, kinds, type_cx);
	json_decref(rv);
	return model_col_type(fold_model, r, col);
}

/* The id of the relation (domain) a statement's expressions belong to, or NULL: the table a
   CREATE TABLE makes, the relation an ALTER TABLE, CREATE INDEX, CREATE POLICY, CREATE TRIGGER
   or CREATE RULE names, the domain of CREATE DOMAIN / ALTER DOMAIN. */
static char *
stmt_own(const struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	static const char *const kinds[] = { "table", "matview", "view", NULL };
	const char *t = node_type(stmt);
	json_t *b = node_body(stmt), *rv = NULL, *r;

	if (!t)
		return NULL;
	if (strcmp(t, "CreateStmt") == 0 || strcmp(t, "CreateForeignTableStmt") == 0) {
		json_t *base = strcmp(t, "CreateStmt") == 0 ? b : json_object_get(b, "base");

		rv = json_object_get(base, "relation");
		return jstr(rv, "relname") ? mkid("table", jstr(rv, "schemaname") ? jstr(rv, "schemaname") : first_schema(cx), jstr(rv, "relname")) : NULL;
	}
	if (strcmp(t, "CreateDomainStmt") == 0 || strcmp(t, "AlterDomainStmt") == 0) {
		json_t *names = json_object_get(b, strcmp(t, "CreateDomainStmt") == 0 ? "domainname" : "typeName");
		char *q = strcmp(t, "CreateDomainStmt") == 0 && json_array_size(names) == 1
		              ? model_qname(first_schema(cx), last_name(names)) : msql_resolve(m, names, "domain:", cx);
		char *id = q ? xasprintf("domain:%s", q) : NULL;

		free(q);
		return id;
	}
	if (strcmp(t, "AlterTableStmt") == 0 || strcmp(t, "IndexStmt") == 0 || strcmp(t, "CreateTrigStmt") == 0
	    || strcmp(t, "RuleStmt") == 0)
		rv = json_object_get(b, "relation");
	else if (strcmp(t, "CreatePolicyStmt") == 0 || strcmp(t, "AlterPolicyStmt") == 0)
		rv = json_object_get(b, "table");
	if (!rv || !(r = find_rel_(m, rv, kinds, cx, 1)))
		return NULL;
	return xstrdup(jstr(r, "id"));
}

int
msql_fold(struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	struct msql_ctx c = *cx;
	struct spath live;
	int rc;

	fold_model = m;
	normexpr_set_types(msql_col_type, NULL);
	if (!cx->sp) {
		type_cx = cx;
		own_restore(stmt_own(m, stmt, cx));
		rc = fold(m, stmt, cx);
		type_cx = NULL;
		own_restore(NULL);
		return rc;
	}
	live = *cx->sp;
	memset(&live.schemas, 0, sizeof live.schemas);
	for (size_t i = 0; i < cx->sp->schemas.n; i++) {
		char *q = model_ident(cx->sp->schemas.v[i]), *id = xasprintf("schema:%s", q);

		free(q);
		if (json_object_get(model_scan(m), id))
			strv_add(&live.schemas, cx->sp->schemas.v[i]);
		free(id);
	}
	c.sp = &live;
	type_cx = &c;
	own_restore(stmt_own(m, stmt, &c));
	rc = fold(m, stmt, &c);
	type_cx = NULL;
	own_restore(NULL);
	strv_free(&live.schemas);
	return rc;
}

static int
fold(struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	const char *t = node_type(stmt);
	json_t *b = node_body(stmt);
	int ext = msql_fold_ext(m, stmt, cx);

	if (ext != MSQL_PASS)
		return ext;
	for (size_t i = 0; NOCHANGE[i]; i++)
		if (strcmp(t, NOCHANGE[i]) == 0) {
			/* SELECT ... INTO makes a table */
			if (strcmp(t, "SelectStmt") == 0 && json_object_get(b, "intoClause"))
				return MSQL_UNMODELED;
			/* SET ROLE and SET SESSION AUTHORIZATION change who creates */
			if (strcmp(t, "VariableSetStmt") == 0)
				return msql_set_role_stmt(b);
			return MSQL_OK;
		}
	if (strcmp(t, "CreateStmt") == 0)
		return fold_create_table(m, b, cx, 0);
	if (strcmp(t, "CreateForeignTableStmt") == 0)
		return msql_fold_ext_after(m, stmt, fold_create_table(m, json_object_get(b, "base"), cx, 1), cx);
	if (strcmp(t, "IndexStmt") == 0)
		return fold_create_index(m, b, cx);
	if (strcmp(t, "AlterTableStmt") == 0)
		return fold_alter_table(m, b, stmt, cx);
	if (strcmp(t, "CreateSeqStmt") == 0)
		return fold_create_seq(m, b, cx);
	if (strcmp(t, "AlterSeqStmt") == 0)
		return fold_alter_seq(m, b, cx);
	if (strcmp(t, "CreateSchemaStmt") == 0)
		return fold_create_schema(m, b, cx);
	if (strcmp(t, "CreateExtensionStmt") == 0)
		return fold_create_ext(m, b, cx);
	if (strcmp(t, "CreateEnumStmt") == 0)
		return fold_create_enum(m, b, cx);
	if (strcmp(t, "CompositeTypeStmt") == 0)
		return fold_create_composite(m, b, cx);
	if (strcmp(t, "CreateRangeStmt") == 0)
		return fold_create_range(m, b, cx);
	if (strcmp(t, "AlterEnumStmt") == 0)
		return fold_alter_enum(m, b, cx);
	if (strcmp(t, "CreateDomainStmt") == 0)
		return fold_create_domain(m, b, cx);
	if (strcmp(t, "AlterDomainStmt") == 0)
		return fold_alter_domain(m, b, cx);
	if (strcmp(t, "RenameStmt") == 0)
		return fold_rename(m, b, stmt, cx);
	if (strcmp(t, "AlterObjectSchemaStmt") == 0)
		return fold_set_schema(m, b, stmt, cx);
	if (strcmp(t, "DropStmt") == 0)
		return fold_drop(m, b, stmt, cx);
	if (strcmp(t, "CreateTableAsStmt") == 0 && jeq(b, "objtype", "OBJECT_TABLE"))
		return MSQL_UNMODELED;
	return msql_fold_obj(m, stmt, cx);
}
