/* The part of the schema model built from SQL that hangs off tables and types: views, materialized
   views, functions and procedures, triggers, event triggers, rules, policies, publications,
   comments, grants and owners. modelsql.c folds everything else and hands these statements here. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pg_query.h>

#include "diag.h"
#include "fsx.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "msqltree.h"
#include "normexpr.h"
#include "pgnames.h"
#include "stmtinfo.h"

/* libpg_query carries PostgreSQL's keyword table (common/keywords.c) without declaring it in
   pg_query.h; quote_identifier's rule (quote every keyword that is not unreserved) needs it. */
typedef struct ScanKeywordList {
	const char *kw_string;
	const uint16_t *kw_offsets;
	int (*hash)(const void *key, size_t keylen);
	int num_keywords;
	int max_kw_len;
} ScanKeywordList;
extern const ScanKeywordList ScanKeywords;
extern const uint8_t ScanKeywordCategories[];
int ScanKeywordLookup(const char *str, const ScanKeywordList *keywords);

/* ---- small helpers (the tree readers are msqltree.h's) ---- */

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Provenance: where the statement that made the record starts. */
static void
prov(json_t *rec, const struct msql_ctx *cx)
{
	if (cx->pos.file)
		json_object_set_new(rec, "file", json_string(cx->pos.file));
	json_object_set_new(rec, "line", json_integer(cx->pos.line));
	json_object_set_new(rec, "col", json_integer(cx->pos.col));
	msql_path(rec, cx);
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

/* ---- names ---- */

/* Whether quote_identifier would quote name: not [a-z_][a-z0-9_$]*, or a keyword not unreserved. */
static int
needs_quote(const char *name)
{
	const char *p = name;
	int k;

	if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
		return 1;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '$'))
			return 1;
	k = ScanKeywordLookup(name, &ScanKeywords);
	return k >= 0 && ScanKeywordCategories[k] != 0;
}

/* quote_identifier into b. */
static void
quote_ident(struct buf *b, const char *name)
{
	if (!needs_quote(name)) {
		buf_puts(b, name);
		return;
	}
	buf_puts(b, "\"");
	for (const char *p = name; *p; p++)
		buf_puts(b, *p == '"' ? "\"\"" : (char[]){*p, 0});
	buf_puts(b, "\"");
}

/* The part of an id after "kind:". */
static const char *
id_rest(const char *id)
{
	const char *c = strchr(id, ':');

	return c ? c + 1 : id;
}

/* Split "schema.name" (model_ident parts) at the dot between them: the length of the schema part. */
static size_t
qname_split(const char *q)
{
	int inq = 0;

	for (size_t i = 0; q[i]; i++) {
		if (q[i] == '"')
			inq = !inq;
		else if (q[i] == '.' && !inq)
			return i;
	}
	return strlen(q);
}

/* The plain (unquoted) text of an identifier as model_ident writes it. */
static char *
unident(const char *s, size_t n)
{
	struct buf b = {0};

	if (n >= 2 && s[0] == '"') {
		for (size_t i = 1; i + 1 < n; i++) {
			buf_add(&b, &s[i], 1);
			if (s[i] == '"')
				i++;
		}
	} else {
		buf_add(&b, s, n);
	}
	if (!b.data)
		return xstrdup("");
	return b.data;
}

/* Does the model hold kind:qname along the search path? Sets *schema_out to the schema found. */
static char *
resolve_in(const struct model *m, const char *schema, const char *name, const char *const *kinds,
    const struct msql_ctx *cx, const char **kind_out)
{
	const struct strv *sv = &cx->sp->schemas;
	const char *path1[1];
	const char *const *path = (const char *const *)sv->v;
	size_t np = sv->n;

	if (schema) {
		path1[0] = schema;
		path = path1;
		np = 1;
	}
	for (size_t i = 0; i < np; i++) {
		char *q = model_qname(path[i], name);

		for (size_t k = 0; kinds[k]; k++) {
			char *id = xasprintf("%s:%s", kinds[k], q);
			int found = json_object_get(model_scan(m), id) != NULL;

			free(id);
			if (found) {
				if (kind_out)
					*kind_out = kinds[k];
				return q;
			}
		}
		free(q);
	}
	if (kind_out)
		*kind_out = kinds[0];
	return model_qname(schema ? schema : spath_first(cx->sp), name);
}

static const char *const K_REL[] = {"table", "view", "matview", "sequence", NULL};
static const char *const K_TABLE[] = {"table", "view", "matview", NULL};
static const char *const K_VIEW[] = {"view", NULL};
static const char *const K_MATVIEW[] = {"matview", NULL};
static const char *const K_VIEWS[] = {"view", "matview", NULL};
static const char *const K_MATVIEWS[] = {"matview", "view", NULL};

/* A RangeVar (bare or as a node) resolved among kinds: "schema.name", kind in *kind_out. */
static char *
resolve_rv(const struct model *m, json_t *rv, const char *const *kinds, const struct msql_ctx *cx,
    const char **kind_out)
{
	json_t *r = N(rv, "RangeVar");

	if (r)
		rv = r;
	return resolve_in(m, S(rv, "schemaname"), S(rv, "relname"), kinds, cx, kind_out);
}

/* A name list [schema.]name (n items of list, n >= 1) resolved among kinds. */
static char *
resolve_names(const struct model *m, json_t *list, size_t n, const char *const *kinds,
    const struct msql_ctx *cx, const char **kind_out)
{
	const char *name = sval(json_array_get(list, n - 1));
	const char *schema = n >= 2 ? sval(json_array_get(list, n - 2)) : NULL;

	if (!name)
		return NULL;
	return resolve_in(m, schema, name, kinds, cx, kind_out);
}

/* ---- types ---- */

struct tctx {
	const struct model *m;
	const struct msql_ctx *cx;
};

/* pgn_type_fn: the schema of a user type (type, domain, or a relation's row type) on the path. */
static const char *
type_schema(const char *name, void *ctx)
{
	static const char *const kinds[] = {"type", "domain", "table", "view", "matview", NULL};
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

/* The canonical name of a TypeName node. */
static char *
tname(const struct model *m, json_t *tn, const struct msql_ctx *cx)
{
	struct tctx t = {m, cx};
	json_t *in = N(tn, "TypeName");

	return pgn_type_name(in ? in : tn, type_schema, &t, spath_first(cx->sp));
}

/* A canonical type name without its typmod, as format_type prints it with typmod -1:
   "character varying(20)" -> "character varying", "interval year" -> "interval"; "[]" kept. */
static char *
drop_typmod(const char *t)
{
	struct buf b = {0};
	int depth = 0, quoted = 0;
	size_t n;

	for (const char *p = t; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (!quoted && *p == '(')
			depth++;
		if (depth == 0)
			buf_add(&b, p, 1);
		if (!quoted && *p == ')' && depth > 0)
			depth--;
	}
	if (!b.data)
		return xstrdup("");
	/* the fields of an interval are a typmod too */
	if (starts(b.data, "interval ")) {
		n = strlen(b.data);
		free(b.data);
		return xstrdup(n > 2 && strcmp(t + strlen(t) - 2, "[]") == 0 ? "interval[]" : "interval");
	}
	return b.data;
}

/* The type a %TYPE reference names ([schema.]relation.column): the column's (or the composite
   type's attribute's) type, as PostgreSQL resolves it when it creates the function; NULL after
   PostgreSQL's message when the relation or column is not there, or when the model does not
   know it (a view's columns have no types in the model). */
static char *
pct_type(const struct model *m, json_t *tn, const struct msql_ctx *cx, int quiet)
{
	static const char *const kinds[] = {"table", "type", "view", "matview", NULL};
	json_t *names = J(tn, "names"), *cols, *c;
	size_t n = json_array_size(names), i;
	const char *col = sval(json_array_get(names, n - 1)), *kind = NULL, *t = NULL;
	char *q, *id, *r;

	if (n < 2 || n > 4 || !col) {
		if (!quiet)
			err(cx, "improper %%TYPE reference (too few dotted names)");
		return NULL;
	}
	q = resolve_names(m, names, n - 1, kinds, cx, &kind);
	id = xasprintf("%s:%s", kind, q);
	if (!model_get(m, id)) {
		if (!quiet)
			err(cx, "relation \"%s\" does not exist", sval(json_array_get(names, n - 2)));
		free(q), free(id);
		return NULL;
	}
	cols = J(model_get(m, id), streq(kind, "type") ? "attributes" : "columns");
	json_array_foreach(cols, i, c)
		if (json_is_object(c) && streq(S(c, "name"), col))
			t = S(c, "type");
	if (!t) {
		if (quiet)
			;
		else if (streq(kind, "table") || streq(kind, "type"))
			err(cx, "column \"%s\" of relation \"%s\" does not exist", col,
			    sval(json_array_get(names, n - 2)));
		else
			err(cx, "the column types of %s are not in the model: %s%%TYPE cannot be resolved",
			    id, col);
		free(q), free(id);
		return NULL;
	}
	r = drop_typmod(t);
	if (json_array_size(J(tn, "arrayBounds")) && !(strlen(r) > 2 && strcmp(r + strlen(r) - 2, "[]") == 0)) {
		char *a = xasprintf("%s[]", r);

		free(r);
		r = a;
	}
	free(q), free(id);
	return r;
}

/* t (a type name without typmod, freed) as format_type(oid, NULL) prints it: bpchar is "character"
   there (format_type prints "bpchar" only for a typmod of -1 given, a column declared bpchar). */
static char *
no_typmod_name(char *t)
{
	size_t so = starts(t, "SETOF ") ? strlen("SETOF ") : 0;
	char *r;

	if (streq(t + so, "bpchar") || streq(t + so, "bpchar[]")) {
		r = xasprintf("%.*scharacter%s", (int)so, t, t + so + strlen("bpchar"));
		free(t);
		return r;
	}
	return t;
}

/* The canonical name of a function's argument or result type: PostgreSQL keeps no typmod there
   (numeric(10,2) is numeric). NULL when a %TYPE reference cannot be resolved, after a message
   unless quiet (DROP ... IF EXISTS passes over it). */
static char *
ftname_q(const struct model *m, json_t *tn, const struct msql_ctx *cx, int quiet)
{
	json_t *in = N(tn, "TypeName"), *c;
	char *r;

	if (B(in ? in : tn, "pct_type")) {
		r = pct_type(m, in ? in : tn, cx, quiet);
		r = r ? no_typmod_name(r) : NULL;
		if (r && B(in ? in : tn, "setof")) {
			char *s = xasprintf("SETOF %s", r);

			free(r);
			r = s;
		}
		return r;
	}
	c = json_deep_copy(in ? in : tn);
	json_object_del(c, "typmods");
	json_object_set_new(c, "typemod", json_integer(-1));
	r = no_typmod_name(tname(m, c, cx));
	json_decref(c);
	return r;
}

static char *
ftname(const struct model *m, json_t *tn, const struct msql_ctx *cx)
{
	return ftname_q(m, tn, cx, 0);
}

/* ---- a tokenizer for slicing statement text (the tree has no locations for some parts) ---- */

struct tok {
	size_t b, e;
	char kind; /* 'w' word, 'q' quoted identifier, 's' string, 'x' other */
};

static int
identch(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	    c == '$' || c >= 0x80;
}

/* The next token of s from *i; 0 at the end. */
static int
lex(const char *s, size_t *i, struct tok *t)
{
	size_t p = *i;

	for (;;) {
		while (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r' || s[p] == '\f' || s[p] == '\v')
			p++;
		if (s[p] == '-' && s[p + 1] == '-') {
			while (s[p] && s[p] != '\n' && s[p] != '\r')
				p++;
		} else if (s[p] == '/' && s[p + 1] == '*') {
			int depth = 1;

			for (p += 2; s[p] && depth; p++) {
				if (s[p] == '/' && s[p + 1] == '*')
					depth++, p++;
				else if (s[p] == '*' && s[p + 1] == '/')
					depth--, p++;
			}
		} else {
			break;
		}
	}
	if (!s[p])
		return 0;
	t->b = p;
	if (s[p] == '\'') {
		int esc = p > 0 && (s[p - 1] == 'e' || s[p - 1] == 'E') && (p < 2 || !identch((unsigned char)s[p - 2]));

		for (p++; s[p]; p++) {
			if (esc && s[p] == '\\' && s[p + 1])
				p++;
			else if (s[p] == '\'' && s[p + 1] == '\'')
				p++;
			else if (s[p] == '\'')
				break;
		}
		if (s[p])
			p++;
		t->kind = 's';
	} else if (s[p] == '"') {
		for (p++; s[p]; p++) {
			if (s[p] == '"' && s[p + 1] == '"')
				p++;
			else if (s[p] == '"')
				break;
		}
		if (s[p])
			p++;
		t->kind = 'q';
	} else if (s[p] == '$' && (s[p + 1] == '$' || ((s[p + 1] < '0' || s[p + 1] > '9') && identch((unsigned char)s[p + 1])))) {
		size_t q = p + 1;

		while (s[q] && s[q] != '$' && identch((unsigned char)s[q]))
			q++;
		if (s[q] == '$') {
			size_t tl = q - p + 1;
			const char *end;

			for (end = s + q + 1; *end; end++)
				if (strncmp(end, s + p, tl) == 0)
					break;
			p = *end ? (size_t)(end - s) + tl : (size_t)(end - s);
			t->kind = 's';
		} else {
			p++;
			t->kind = 'x';
		}
	} else if (identch((unsigned char)s[p])) {
		while (identch((unsigned char)s[p]))
			p++;
		t->kind = 'w';
	} else {
		p++;
		t->kind = 'x';
	}
	t->e = p;
	*i = p;
	return 1;
}

static int
tokis(const char *s, const struct tok *t, const char *word)
{
	size_t n = strlen(word);

	return t->kind == 'w' && t->e - t->b == n && strncasecmp(s + t->b, word, n) == 0;
}

/* The tokens at paren depth 0 from byte from on (all tokens when all is set). */
struct toks {
	struct tok *v;
	size_t n;
};

static void
lex_all(const char *s, size_t from, struct toks *ts, int all)
{
	struct tok t;
	size_t i = from, cap = 0;
	int depth = 0;

	ts->v = NULL;
	ts->n = 0;
	while (lex(s, &i, &t)) {
		int c = t.kind == 'x' ? s[t.b] : 0;

		if (c == ')' || c == ']')
			depth--;
		if (depth == 0 || all) {
			if (ts->n == cap)
				ts->v = xrealloc(ts->v, (cap = cap ? 2 * cap : 64) * sizeof *ts->v);
			ts->v[ts->n++] = t;
		}
		if (c == '(' || c == '[')
			depth++;
	}
}

/* The end of the statement text without a trailing ';' and trailing comments. */
static size_t
stmt_end(const char *s, const struct toks *all)
{
	size_t n = all->n;

	while (n > 0 && all->v[n - 1].kind == 'x' && s[all->v[n - 1].b] == ';')
		n--;
	return n ? all->v[n - 1].e : 0;
}

/* ---- expressions ---- */

/* rec[key] = the normalized form of node, rec[key_sql] = text (or the node's source slice). */
static void
set_expr(json_t *rec, const char *key, json_t *node, char *text, const struct msql_ctx *cx)
{
	char *k2 = xasprintf("%s_sql", key);
	/* a DEFAULT's literal is read as its argument's type */
	char *norm = streq(key, "default") && S(rec, "type") ? normexpr_node_as(node, cx->sql, S(rec, "type"))
	                                                    : normexpr_node(node, cx->sql);

	if (!text)
		text = normexpr_slice(cx->sql, node);
	setstr(rec, key, norm);
	setstr(rec, k2, text);
	free(norm);
	free(text);
	free(k2);
}

/* ---- ObjectWithArgs: functions and procedures ---- */

static const char *
objkind_fn(const char *objtype)
{
	if (streq(objtype, "OBJECT_PROCEDURE"))
		return "procedure";
	if (streq(objtype, "OBJECT_ROUTINE"))
		return "routine";
	return "function";
}

/* The id of the function an ObjectWithArgs names (NULL: none or ambiguous, message given unless
   quiet). kind is "function", "procedure" or "routine" (either). */
static char *
func_id(const struct model *m, json_t *owa, const char *kind, const struct msql_ctx *cx, int quiet)
{
	json_t *o = N(owa, "ObjectWithArgs"), *names, *args;
	const char *name, *schema;
	const struct strv *sv = &cx->sp->schemas;
	const char *path1[1], *const *path = (const char *const *)sv->v;
	size_t np = sv->n, nn;
	static const char *const both[] = {"function", "procedure", NULL};
	/* FUNCTION names an aggregate too (GRANT ... ON FUNCTION) */
	const char *one[] = {kind, streq(kind, "function") ? "aggregate" : NULL, NULL};
	const char *const *kinds = streq(kind, "routine") ? both : one;
	char *first = NULL;

	if (o)
		owa = o;
	names = J(owa, "objname");
	nn = json_array_size(names);
	if (nn == 0 || nn > 2)
		return NULL;
	name = sval(json_array_get(names, nn - 1));
	schema = nn == 2 ? sval(json_array_get(names, 0)) : NULL;
	if (schema) {
		path1[0] = schema;
		path = path1;
		np = 1;
	}
	if (B(owa, "args_unspecified")) {
		const char **ids = model_ids(m);
		char *found = NULL;
		int count = 0;

		for (size_t i = 0; i < np && !count; i++) {
			char *q = model_qname(path[i], name);

			for (size_t k = 0; kinds[k]; k++) {
				char *pre = xasprintf("%s:%s(", kinds[k], q);

				for (size_t j = 0; ids[j]; j++)
					if (starts(ids[j], pre)) {
						if (!count++)
							found = xstrdup(ids[j]);
					}
				free(pre);
			}
			free(q);
		}
		free(ids);
		if (count == 1)
			return found;
		free(found);
		if (!quiet) {
			if (count)
				err(cx, "function name \"%s\" is not unique", name);
			else
				err(cx, "could not find a function named \"%s\"", name);
		}
		return NULL;
	}
	args = J(owa, "objargs");
	{
		struct buf b = {0};
		size_t i;
		json_t *a;

		json_array_foreach(args, i, a) {
			char *t = ftname_q(m, a, cx, quiet);

			if (!t) {
				buf_free(&b);
				return NULL;
			}
			buf_puts(&b, i ? "," : "");
			buf_puts(&b, t);
			free(t);
		}
		for (size_t p = 0; p < np; p++) {
			char *q = model_qname(path[p], name);

			for (size_t k = 0; kinds[k]; k++) {
				char *id = xasprintf("%s:%s(%s)", kinds[k], q, b.data ? b.data : "");

				if (model_get(m, id)) {
					free(q);
					free(first);
					buf_free(&b);
					return id;
				}
				if (!first)
					first = xstrdup(id);
				free(id);
			}
			free(q);
		}
		if (schema == NULL && !first) {
			char *q = model_qname(spath_first(cx->sp), name);

			first = xasprintf("%s:%s(%s)", kinds[0], q, b.data ? b.data : "");
			free(q);
		}
		buf_free(&b);
	}
	/* not in the model: the id it would have (a function the files did not create) */
	return first;
}

/* ---- retargeting ---- */

/* Move record id to new_id (NULL: delete), rewriting "on"; returns the moved record or NULL. */
static json_t *
move_rec(struct model *m, const char *id, const char *new_id)
{
	json_t *r = model_get(m, id), *c;

	if (!r)
		return NULL;
	if (!new_id) {
		model_del(m, id);
		return NULL;
	}
	c = json_deep_copy(r);
	json_object_set_new(c, "id", json_string(new_id));
	model_del(m, id);
	model_add(m, c);
	return c;
}

/* Whether record r has the string s as a value (not its id) or in an array of strings. */
static int
holds_str(json_t *r, const char *s)
{
	const char *k;
	json_t *v, *e;
	size_t j;

	json_object_foreach(r, k, v) {
		if (streq(k, "id"))
			continue;
		if (json_is_string(v) && streq(json_string_value(v), s))
			return 1;
		if (json_is_array(v))
			json_array_foreach(v, j, e)
				if (json_is_string(e) && streq(json_string_value(e), s))
					return 1;
	}
	return 0;
}

struct holder {
	struct strv *ids;
	const char *s;
};

/* model_mentions: collect the id of a record that holds_str s. */
static int
add_holder(const char *id, json_t *rec, void *arg)
{
	struct holder *h = arg;

	if (holds_str(rec, h->s))
		strv_add(h->ids, id);
	return 0;
}

/* model_mentions: collect every id that contains the string s. */
static int
add_id_with(const char *id, json_t *rec, void *arg)
{
	struct holder *h = arg;

	(void)rec;
	if (strstr(id, h->s))
		strv_add(h->ids, id);
	return 0;
}

/* Replace every string value old (top level and in arrays of strings) by new (NULL: remove from
   arrays). */
static void
rewrite_refs(struct model *m, const char *old, const char *new)
{
	struct strv ids = {0};

	/* read without copying, then take (model_get: a copy into the undo level) only the records that
	   hold old: a copy of every record per rename made renames quadratic; and read only the records
	   the model's index of names finds old in, not every record */
	model_mentions(m, old, add_holder, &(struct holder){ &ids, old });
	for (size_t i = 0; i < ids.n; i++) {
		json_t *r = model_get(m, ids.v[i]), *v;
		const char *k;

		json_object_foreach(r, k, v) {
			if (streq(k, "id"))
				continue;
			if (json_is_string(v) && streq(json_string_value(v), old) && new) {
				json_string_set(v, new);
			} else if (json_is_array(v)) {
				for (size_t j = 0; j < json_array_size(v);) {
					json_t *e = json_array_get(v, j);

					if (json_is_string(e) && streq(json_string_value(e), old)) {
						if (new) {
							json_string_set(e, new);
						} else {
							json_array_remove(v, j);
							continue;
						}
					}
					j++;
				}
			}
		}
	}
	strv_free(&ids);
}

static void sort_strs(json_t *a);
static void pub_retarget(struct model *m, const char *old_id, const char *new_id);
static void dacl_retarget(struct model *m, const char *old_id, const char *new_id);

static int
is_relkind(const char *id)
{
	return starts(id, "table:") || starts(id, "view:") || starts(id, "matview:");
}

/* id = prefix + old_tail + suffix -> prefix + new_tail + suffix. */
static char *
swap_mid(const char *id, size_t pre, size_t oldlen, const char *new_tail)
{
	return xasprintf("%.*s%s%s", (int)pre, id, new_tail, id + pre + oldlen);
}

void
msql_retarget(struct model *m, const char *old_id, const char *new_id)
{
	struct strv olds = {0};
	const char *orest = id_rest(old_id), *nrest = new_id ? id_rest(new_id) : NULL;
	size_t orl = strlen(orest);
	int rel = is_relkind(old_id), schema = starts(old_id, "schema:");
	char *c_pre = xasprintf("comment:%s", old_id), *o_pre = xasprintf("owner:%s", old_id);
	char *g_pre = xasprintf("grant:%s:", old_id);

	/* collect first: moving changes the id list; every id moved below holds orest, after a ':' and
	   before a '.', a ':' or its end (what model_mentions needs) */
	model_mentions(m, orest, add_id_with, &(struct holder){ &olds, orest });
	if (olds.n > 1)
		qsort(olds.v, olds.n, sizeof *olds.v, cmp_strp);
	for (size_t i = 0; i < olds.n; i++) {
		const char *id = olds.v[i];
		char *nid = NULL;
		json_t *r;

		if (starts(old_id, "domain:") && starts(id, "comment:constraint:") &&
		    strncmp(id + 19, orest, orl) == 0 && id[19 + orl] == '.') {
			/* a domain's constraints are named under it */
			nid = new_id ? swap_mid(id, 19, orl, nrest) : NULL;
			r = move_rec(m, id, nid);
			if (r)
				setstr(r, "on", nid + 8);
		} else if (streq(id, c_pre) || streq(id, o_pre) || starts(id, g_pre)) {
			/* comment:X, owner:X, grant:X:role */
			size_t pre = strchr(id, ':') - id + 1;

			nid = new_id ? swap_mid(id, pre, strlen(old_id), new_id) : NULL;
			r = move_rec(m, id, nid);
			if (r)
				setstr(r, "on", new_id);
		} else if (rel || schema) {
			/* things named under the table (S.T.x) or the schema (S.x) */
			static const char *const sub[] = {"trigger:", "rule:", "policy:", "column:", "constraint:",
				"comment:column:", "comment:constraint:", "comment:trigger:", "comment:rule:",
				"comment:policy:", "grant:column:", "view:", "matview:", "function:", "procedure:",
				"owner:view:", "owner:matview:", "owner:function:", "owner:procedure:", NULL};
			size_t k;

			for (k = 0; sub[k]; k++) {
				size_t pl = strlen(sub[k]);

				if (rel && k >= 11)
					break;
				if (schema && k < 11 && k > 2)
					continue;
				if (starts(id, sub[k]) && strncmp(id + pl, orest, orl) == 0 && id[pl + orl] == '.')
					break;
			}
			if (!sub[k] || (rel && k >= 11))
				continue;
			if (schema && k < 3)
				continue; /* triggers, rules, policies move with their table */
			nid = new_id ? swap_mid(id, strlen(sub[k]), orl, nrest) : NULL;
			r = move_rec(m, id, nid);
			if (r && (starts(id, "comment:") || starts(id, "grant:") || starts(id, "owner:"))) {
				const char *on = S(r, "on");
				char *non = swap_mid(on, strchr(on, ':') - on + 1, orl, nrest);

				setstr(r, "on", non);
				free(non);
			} else if (r) {
				char *sch = nrest ? unident(nrest, qname_split(nrest)) : NULL;

				if (rel) {
					setstr(r, "table", new_id);
					setstr(r, "schema", sch);
				} else {
					setstr(r, "schema", nrest);
				}
				free(sch);
				if (schema)
					msql_retarget(m, id, nid);
			}
		}
		free(nid);
	}
	strv_free(&olds);
	free(c_pre);
	free(o_pre);
	free(g_pre);
	rewrite_refs(m, old_id, new_id);
	if (starts(old_id, "table:") || starts(old_id, "schema:") || starts(old_id, "column:"))
		pub_retarget(m, old_id, new_id);
	if (starts(old_id, "schema:"))
		dacl_retarget(m, old_id, new_id);
	if (!new_id)
		msql_agg_gone(m, old_id);
	else
		msql_agg_follow(m, old_id, new_id);
	if (rel && new_id) {
		/* the things of the table share its schema, whoever moved their records */
		char *sch = unident(nrest, qname_split(nrest));
		struct strv on = {0};

		model_mentions(m, new_id, add_holder, &(struct holder){ &on, new_id });
		for (size_t i = 0; i < on.n; i++) {
			json_t *ar = json_object_get(model_scan(m), on.v[i]);
			const char *aid = on.v[i];

			if ((starts(aid, "trigger:") || starts(aid, "rule:") || starts(aid, "policy:")) &&
			    streq(S(ar, "table"), new_id) && !streq(S(ar, "schema"), sch))
				setstr(model_get(m, aid), "schema", sch);
		}
		strv_free(&on);
		free(sch);
	}
}

/* ---- owners ---- */

static const char *session_role(void);
static const char *current_role(void);

/* The id of the grant record of grantee on on: the grantee as any name in an id (model_ident), PUBLIC
   as it is. */
static char *
grant_id(const char *on, const char *grantee)
{
	char *g = streq(grantee, "PUBLIC") ? xstrdup(grantee) : model_ident(grantee);
	char *id = xasprintf("grant:%s:%s", on, g);

	free(g);
	return id;
}

/* The current owner of on_id: its owner record's role, else the session's. */
static const char *
owner_of(const struct model *m, const char *on_id)
{
	char *id = xasprintf("owner:%s", on_id);
	json_t *r = model_get(m, id);

	free(id);
	return r ? S(r, "owner") : session_role();
}

/* The table a sequence is linked to by OWNED BY (serial, identity, or stated): its id, or NULL. */
static char *
seq_table(const struct model *m, const char *on_id)
{
	const char *ob;
	size_t cut;

	if (!starts(on_id, "sequence:") || !(ob = S(model_get(m, on_id), "owned_by")) || !starts(ob, "column:"))
		return NULL;
	ob += strlen("column:");
	cut = strlen(ob);
	/* column:S.T.C: the column name is the last dotted part outside quotes */
	for (size_t i = 0, inq = 0; ob[i]; i++) {
		if (ob[i] == '"')
			inq = !inq;
		else if (ob[i] == '.' && !inq)
			cut = i;
	}
	return xasprintf("table:%.*s", (int)cut, ob);
}

int
msql_owner_check(const struct model *m, const char *on_id, const char *role, const struct msql_ctx *cx)
{
	char *t = seq_table(m, on_id);
	int rc = MSQL_OK;

	if (!role)
		role = current_role();
	/* ATExecChangeOwner: an owned sequence changes owner only with its table */
	if (t && !streq(owner_of(m, on_id), role)) {
		const char *rest = id_rest(on_id), *trest = id_rest(t);
		char *sn = unident(rest + qname_split(rest) + 1, strlen(rest + qname_split(rest) + 1));
		char *tn = unident(trest + qname_split(trest) + 1, strlen(trest + qname_split(trest) + 1));

		rc = err(cx, "cannot change owner of sequence \"%s\" (it is linked to table \"%s\")", sn, tn);
		free(sn);
		free(tn);
	}
	free(t);
	return rc;
}

static json_t *set_owner(struct model *m, const char *on_id, const char *role);

json_t *
msql_set_owner(struct model *m, const char *on_id, const char *role)
{
	char *t = seq_table(m, on_id);

	if (!role)
		role = current_role();
	if (t && !streq(owner_of(m, on_id), role)) {
		/* PostgreSQL refuses it (msql_owner_check says so): the model stays */
		free(t);
		return NULL;
	}
	free(t);
	if (starts(on_id, "table:")) {
		/* ALTER TABLE OWNER TO carries to the sequences linked to its columns (tablecmds.c
		   change_owner_recurse_to_sequences) */
		const char **ids = model_ids(m);
		struct strv seqs = {0};

		for (size_t i = 0; ids[i]; i++) {
			char *st = seq_table(m, ids[i]);

			if (st && streq(st, on_id))
				strv_add(&seqs, ids[i]);
			free(st);
		}
		free(ids);
		for (size_t i = 0; i < seqs.n; i++)
			set_owner(m, seqs.v[i], role);
		strv_free(&seqs);
	}
	return set_owner(m, on_id, role);
}

/* Record role as the owner of on_id, merging its grants. */
static json_t *
set_owner(struct model *m, const char *on_id, const char *role)
{
	char *id = xasprintf("owner:%s", on_id);
	json_t *r = NULL;

	{
		/* the ACL entries of the new owner merge into the owner's own: no longer grant records */
		char *g = grant_id(on_id, role), *cpre = xasprintf("grant:column:%s.", id_rest(on_id));
		const char **ids = model_ids(m);
		struct strv gone = {0};

		for (size_t i = 0; ids[i]; i++)
			if (streq(ids[i], g) || (is_relkind(on_id) && starts(ids[i], cpre) &&
			    streq(S(model_get(m, ids[i]), "grantee"), role)))
				strv_add(&gone, ids[i]);
		free(ids);
		for (size_t i = 0; i < gone.n; i++)
			model_del(m, gone.v[i]);
		strv_free(&gone);
		free(g);
		free(cpre);
		if (streq(role, session_role())) {
			model_del(m, id);
		} else {
			r = model_put(m, "owner", id);
			setstr(r, "on", on_id);
			setstr(r, "owner", role);
		}
	}
	free(id);
	return r;
}

static char *the_role;
/* SET ROLE's role and SET SESSION AUTHORIZATION's (NULL: none), owned copies. */
static char *set_role, *set_auth;

void
msql_set_role(const char *role)
{
	free(the_role);
	the_role = xstrdup(role);
}

/* The role the files run as: msql_set_role's, else the one libpq connects as by default ($PGUSER,
   else the login name), as conf-apply would build. It is CURRENT_USER, and the owner of the
   database they build. */
static const char *
session_role(void)
{
	static char *name;

	if (the_role)
		return the_role;
	if (!name) {
		const char *u = getenv("PGUSER");
		struct passwd *pw;

		if (u && *u)
			name = xstrdup(u);
		else if ((pw = getpwuid(geteuid())))
			name = xstrdup(pw->pw_name);
		else
			name = xstrdup("");
	}
	return name;
}

/* CURRENT_USER: SET ROLE's role, else SET SESSION AUTHORIZATION's, else the session's. */
static const char *
current_role(void)
{
	return set_role ? set_role : set_auth ? set_auth : session_role();
}

/* The name of a RoleSpec; CURRENT_USER, SESSION_USER and CURRENT_ROLE are the session's role, and
   *cur tells them (and the session's role named) apart. */
static const char *
role_name(json_t *rs, int *cur)
{
	json_t *r = N(rs, "RoleSpec");
	const char *t;

	if (r)
		rs = r;
	t = S(rs, "roletype");
	*cur = 0;
	if (streq(t, "ROLESPEC_PUBLIC"))
		return "PUBLIC";
	if (streq(t, "ROLESPEC_CSTRING")) {
		*cur = streq(S(rs, "rolename"), session_role());
		return S(rs, "rolename");
	}
	*cur = 1;
	/* CURRENT_USER and CURRENT_ROLE after SET ROLE are that role; SESSION_USER after SET SESSION
	   AUTHORIZATION that one */
	if (streq(t, "ROLESPEC_SESSION_USER"))
		return set_auth ? set_auth : session_role();
	return current_role();
}

const char *
msql_role_name(json_t *rs)
{
	int cur;

	return role_name(rs, &cur);
}

/* ---- the targets COMMENT, GRANT and ALTER ... OWNER name ---- */

/* The id of the object objtype/object names; NULL with *unmodeled set when the kind is not modeled. */
static char *
target_id(struct model *m, const char *ot, json_t *obj, const struct msql_ctx *cx, int *unmodeled)
{
	json_t *l = items(obj);
	size_t n = json_array_size(l);
	const char *s = sval(obj);
	char *q, *id = NULL;
	const char *kind;

	*unmodeled = 0;
	if (msql_agg_target(m, ot, obj, cx, &id)) {
		/* aggregates, operators, casts, collations, statistics: modelsql_agg.c */
	} else if (streq(ot, "OBJECT_TABLE") || streq(ot, "OBJECT_FOREIGN_TABLE")) {
		if (n && (q = resolve_names(m, l, n, (const char *const[]){"table", NULL}, cx, NULL)))
			id = xasprintf("table:%s", q), free(q);
	} else if (streq(ot, "OBJECT_VIEW") || streq(ot, "OBJECT_MATVIEW") || streq(ot, "OBJECT_SEQUENCE") ||
	    streq(ot, "OBJECT_INDEX")) {
		const char *k = streq(ot, "OBJECT_VIEW") ? "view" : streq(ot, "OBJECT_MATVIEW") ? "matview" :
		    streq(ot, "OBJECT_SEQUENCE") ? "sequence" : "index";

		if (n && (q = resolve_names(m, l, n, (const char *const[]){k, NULL}, cx, NULL)))
			id = xasprintf("%s:%s", k, q), free(q);
	} else if (streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT") || streq(ot, "OBJECT_TRIGGER") ||
	    streq(ot, "OBJECT_RULE") || streq(ot, "OBJECT_POLICY")) {
		const char *k = streq(ot, "OBJECT_COLUMN") ? "column" : streq(ot, "OBJECT_TABCONSTRAINT") ? "constraint" :
		    streq(ot, "OBJECT_TRIGGER") ? "trigger" : streq(ot, "OBJECT_RULE") ? "rule" : "policy";
		const char *last = sval(json_array_get(l, n - 1));

		if (n >= 2 && last && (q = resolve_names(m, l, n - 1, K_TABLE, cx, NULL))) {
			char *li = model_ident(last), *tid = xasprintf("type:%s", q), *rid = xasprintf("table:%s", q);
			int composite = model_get(m, tid) && !model_get(m, rid);

			free(tid);
			free(rid);
			if (composite) {
				/* an attribute of a composite type: the model has no id for it */
				free(li);
				free(q);
				*unmodeled = 1;
				return NULL;
			}

			id = xasprintf("%s:%s.%s", k, q, li);
			free(li);
			free(q);
		}
	} else if (streq(ot, "OBJECT_SCHEMA") || streq(ot, "OBJECT_EXTENSION") || streq(ot, "OBJECT_EVENT_TRIGGER") ||
	    streq(ot, "OBJECT_PUBLICATION")) {
		const char *k = streq(ot, "OBJECT_SCHEMA") ? "schema" : streq(ot, "OBJECT_EXTENSION") ? "extension" :
		    streq(ot, "OBJECT_EVENT_TRIGGER") ? "event_trigger" : "publication";

		if (s) {
			char *si = model_ident(s);

			id = xasprintf("%s:%s", k, si);
			free(si);
		}
	} else if (streq(ot, "OBJECT_TYPE") || streq(ot, "OBJECT_DOMAIN")) {
		json_t *tn = N(obj, "TypeName");
		json_t *names = tn ? J(tn, "names") : l;
		static const char *const tk[] = {"type", "domain", NULL};
		static const char *const dk[] = {"domain", NULL};

		if (json_array_size(names) &&
		    (q = resolve_names(m, names, json_array_size(names), streq(ot, "OBJECT_TYPE") ? tk : dk, cx, &kind)))
			id = xasprintf("%s:%s", kind, q), free(q);
	} else if (streq(ot, "OBJECT_DOMCONSTRAINT")) {
		/* [domain TypeName, constraint name]: constraint:S.D.N as for a table's */
		json_t *tn = N(json_array_get(l, 0), "TypeName"), *names = J(tn, "names");
		const char *cn = sval(json_array_get(l, 1));
		static const char *const dk[] = {"domain", NULL};

		if (json_array_size(names) && cn &&
		    (q = resolve_names(m, names, json_array_size(names), dk, cx, NULL))) {
			char *ci = model_ident(cn);

			id = xasprintf("constraint:%s.%s", q, ci);
			free(ci);
			free(q);
		}
	} else if (streq(ot, "OBJECT_FUNCTION") || streq(ot, "OBJECT_PROCEDURE") || streq(ot, "OBJECT_ROUTINE")) {
		id = func_id(m, obj, objkind_fn(ot), cx, 0);
		if (!id)
			return NULL;
	} else {
		*unmodeled = 1;
		return NULL;
	}
	if (!id)
		*unmodeled = 1;
	return id;
}

/* ---- targets that are not in the model ---- */

static char *control_value(const char *name, const char *key);

/* The "schema.name" of the types unmodeled statements created (base and shell types: CREATE TYPE x
   and CREATE TYPE x (INPUT = ...)): a COMMENT or GRANT on one is unmodeled, not an error. */
static struct strv base_types;

/* Whether a base type of that name was created along the path (or in schema). */
static int
is_base_type(const char *schema, const char *name, const struct msql_ctx *cx)
{
	for (size_t k = 0; k < (schema ? 1 : cx->sp->schemas.n); k++) {
		char *q = model_qname(schema ? schema : cx->sp->schemas.v[k], name);
		int hit = 0;

		for (size_t i = 0; i < base_types.n && !hit; i++)
			hit = streq(base_types.v[i], q);
		free(q);
		if (hit)
			return 1;
	}
	return 0;
}

/* A schema PostgreSQL makes itself (conf-inspect leaves them out: their objects are no records). */
static int
system_schema(const char *s)
{
	return s && (starts(s, "pg_") || streq(s, "information_schema"));
}

/* Whether an object the model lacks, named [schema.]name, may still exist outside the model: in a
   system schema (unqualified, pg_catalog is searched first: a relation there is named pg_*, rel),
   or a member of an extension installed in its schema (an extension's objects are no records). */
static int
outside(const struct model *m, const char *schema, const char *name, int rel, const struct msql_ctx *cx)
{
	const char **ids;
	int r = 0;

	if (schema ? system_schema(schema) : rel && starts(name, "pg_"))
		return 1;
	ids = model_ids(m);
	for (size_t i = 0; ids[i] && !r; i++) {
		const char *es;

		if (!starts(ids[i], "extension:"))
			continue;
		es = S(model_get(m, ids[i]), "schema");
		if (schema) {
			r = streq(es, schema);
		} else {
			for (size_t k = 0; k < cx->sp->schemas.n && !r; k++)
				r = streq(es, cx->sp->schemas.v[k]);
		}
	}
	free(ids);
	return r;
}

/* Whether a model record of a relation has a column named c (tables: objects, views: names). */
static int
has_column(json_t *rel, const char *c)
{
	json_t *e;
	size_t i;

	json_array_foreach(J(rel, "columns"), i, e)
		if (streq(json_is_string(e) ? json_string_value(e) : S(e, "name"), c))
			return 1;
	return 0;
}

/* Whether a table in schema has a constraint named n with an index (no record of its own). */
static int
constraint_index(const struct model *m, const char *schema, const char *n)
{
	const char **ids = model_ids(m);
	int r = 0;

	for (size_t i = 0; ids[i] && !r; i++) {
		json_t *t = model_get(m, ids[i]), *c;
		size_t j;

		if (!starts(ids[i], "table:") || !streq(S(t, "schema"), schema))
			continue;
		json_array_foreach(J(t, "constraints"), j, c)
			if (streq(S(c, "name"), n) && !streq(S(c, "type"), "check") && !streq(S(c, "type"), "foreign key"))
				r = 1;
	}
	free(ids);
	return r;
}

/* The first n names of a list joined by dots, as PostgreSQL's messages write a name (NameListToString). */
static char *
written(json_t *list, size_t n)
{
	struct buf b = {0};

	for (size_t i = 0; i < n; i++) {
		buf_puts(&b, i ? "." : "");
		buf_puts(&b, sval(json_array_get(list, i)) ? sval(json_array_get(list, i)) : "");
	}
	return b.data ? b.data : xstrdup("");
}

/* The target id (from target_id, or a GRANT's relation) must name an object PostgreSQL has: MSQL_OK;
   MSQL_UNMODELED when it may be an object outside the model (system, extension member, built-in);
   else MSQL_ERR after PostgreSQL's message. */
static int
target_check(const struct model *m, const char *ot, json_t *obj, const char *id, const struct msql_ctx *cx)
{
	json_t *l = items(obj), *tn = N(obj, "TypeName");
	size_t n = json_array_size(l);
	const char *s = sval(obj), *rest = id_rest(id);
	char *sch = unident(rest, qname_split(rest));
	int rc = MSQL_OK;

	/* aggregates, operators, casts, collations, statistics: modelsql_agg.c */
	if ((rc = msql_agg_missing(m, id, cx)) != -2)
		goto out;
	rc = MSQL_OK;
	if (json_object_get(model_scan(m), id)) {
		/* an extension installed in a system schema is outside the model (conf-inspect) */
		if (starts(id, "extension:") && system_schema(S(json_object_get(model_scan(m), id), "schema")))
			rc = MSQL_UNMODELED;
		goto out;
	}
	if (starts(id, "schema:")) {
		rc = system_schema(s) ? MSQL_UNMODELED : err(cx, "schema \"%s\" does not exist", s);
	} else if (starts(id, "extension:")) {
		/* a fresh database has plpgsql (in pg_catalog, no record); CASCADE installs what others need */
		const char **ids = model_ids(m);
		int any = 0;

		for (size_t i = 0; ids[i]; i++)
			any |= starts(ids[i], "extension:");
		free(ids);
		/* an extension in a system schema (control file schema = pg_catalog) is no record either */
		char *cs = control_value(s, "schema");

		rc = streq(s, "plpgsql") || any || system_schema(cs) ? MSQL_UNMODELED :
		    err(cx, "extension \"%s\" does not exist", s);
		free(cs);
	} else if (starts(id, "event_trigger:")) {
		rc = err(cx, "event trigger \"%s\" does not exist", s);
	} else if (starts(id, "publication:")) {
		rc = err(cx, "publication \"%s\" does not exist", s);
	} else if (starts(id, "type:") || starts(id, "domain:")) {
		json_t *names = tn ? J(tn, "names") : l;
		size_t nn = json_array_size(names);
		const char *name = sval(json_array_get(names, nn - 1));
		char *canon = tn ? tname(m, tn, cx) : NULL;
		const char *row = NULL;

		/* a built-in type is written unqualified; a table's row type is a type too */
		if ((canon && qname_split(canon) == strlen(canon)) ||
		    outside(m, nn >= 2 ? sval(json_array_get(names, nn - 2)) : NULL, name, 0, cx) ||
		    is_base_type(nn >= 2 ? sval(json_array_get(names, nn - 2)) : NULL, name, cx))
			rc = MSQL_UNMODELED;
		else {
			char *q = resolve_names(m, names, nn, K_TABLE, cx, &row), *rid = xasprintf("%s:%s", row, q);

			char *w = written(names, nn);

			rc = model_get(m, rid) ? MSQL_UNMODELED : err(cx, "type \"%s%s\" does not exist", w,
			    json_array_size(J(tn, "arrayBounds")) ? "[]" : "");
			free(q), free(rid), free(w);
		}
		free(canon);
	} else if (starts(id, "function:") || starts(id, "procedure:")) {
		json_t *o = N(obj, "ObjectWithArgs"), *names = J(o ? o : obj, "objname");
		size_t nn = json_array_size(names);
		const char *name = sval(json_array_get(names, nn - 1));
		int builtin = 0;

		if (nn == 1) {
			/* unqualified: pg_catalog's functions come first; one of the model's names is the user's */
			const char **ids = model_ids(m);
			char *ni = model_ident(name);

			builtin = 1;
			for (size_t i = 0; ids[i] && builtin; i++) {
				const char *r = id_rest(ids[i]), *p = strchr(r, '(');
				size_t sl = qname_split(r);

				if ((starts(ids[i], "function:") || starts(ids[i], "procedure:")) && p &&
				    (size_t)(p - r) == sl + 1 + strlen(ni) && strncmp(r + sl + 1, ni, strlen(ni)) == 0)
					builtin = 0;
			}
			free(ni);
			free(ids);
		}
		rc = builtin || outside(m, nn >= 2 ? sch : NULL, name, 0, cx) ? MSQL_UNMODELED :
		    err(cx, "%s %s does not exist", starts(id, "procedure:") ? "procedure" : "function", rest);
	} else if (starts(id, "column:") || starts(id, "constraint:") || starts(id, "trigger:") || starts(id, "rule:") ||
	    starts(id, "policy:")) {
		const char *last = sval(json_array_get(l, n - 1)), *rn, *kind = NULL;
		int dom = streq(ot, "OBJECT_DOMCONSTRAINT");
		json_t *dn = dom ? J(N(json_array_get(l, 0), "TypeName"), "names") : NULL;
		char *q, *rid;
		json_t *rel, *c;
		size_t i;
		int found = 0;

		if (dom) {
			rn = sval(json_array_get(dn, json_array_size(dn) - 1));
			q = resolve_names(m, dn, json_array_size(dn), (const char *const[]){"domain", NULL}, cx, &kind);
		} else {
			rn = sval(json_array_get(l, n - 2));
			q = resolve_names(m, l, n - 1, K_TABLE, cx, &kind);
		}
		rid = xasprintf("%s:%s", kind, q);
		rel = model_get(m, rid);
		if (!rel) {
			const char *qs = dom ? (json_array_size(dn) >= 2 ? sval(json_array_get(dn, json_array_size(dn) - 2)) : NULL) :
			    n >= 3 ? sval(json_array_get(l, n - 3)) : NULL;

			if (outside(m, qs, rn, 1, cx)) {
				rc = MSQL_UNMODELED;
			} else {
				char *w = dom ? written(dn, json_array_size(dn)) : written(l, n - 1);

				rc = err(cx, dom ? "type \"%s\" does not exist" : "relation \"%s\" does not exist", w);
				free(w);
			}
		} else if (starts(id, "column:")) {
			rc = has_column(rel, last) ? MSQL_OK : err(cx, "column \"%s\" of relation \"%s\" does not exist", last, rn);
		} else if (starts(id, "constraint:")) {
			json_array_foreach(J(rel, "constraints"), i, c)
				found |= streq(S(c, "name"), last);
			rc = found ? MSQL_OK : dom ? err(cx, "constraint \"%s\" for domain %s does not exist", last, rn) :
			    err(cx, "constraint \"%s\" for table \"%s\" does not exist", last, rn);
		} else {
			const char *k = starts(id, "trigger:") ? "trigger" : starts(id, "rule:") ? "rule" : "policy";

			rc = err(cx, "%s \"%s\" for %s \"%s\" does not exist", k, last, streq(k, "rule") ? "relation" : "table", rn);
		}
		free(q), free(rid);
	} else {
		/* a relation: table, view, matview, sequence, index */
		const char *name = n ? sval(json_array_get(l, n - 1)) : S(N(obj, "RangeVar") ? N(obj, "RangeVar") : obj, "relname");
		const char *qs = n >= 2 ? sval(json_array_get(l, n - 2)) :
		    S(N(obj, "RangeVar") ? N(obj, "RangeVar") : obj, "schemaname");

		/* the index of a constraint is no record (the constraint is): nor what is on it */
		if ((starts(id, "index:") && constraint_index(m, sch, name)) || outside(m, qs, name, 1, cx))
			rc = MSQL_UNMODELED;
		else {
			char *w = n ? written(l, n) : qs ? xasprintf("%s.%s", qs, name) : xstrdup(name);

			rc = err(cx, "relation \"%s\" does not exist", w);
			free(w);
		}
	}
out:
	free(sch);
	return rc;
}

/* ---- COMMENT ON ---- */

/* A setting (comment, schema, ...) of an extension's control file, or NULL. The control files are
   in the server's share directory: $CONF_PG_SHAREDIR, else what pg_config prints. */
static char *
control_value(const char *name, const char *key)
{
	size_t kl = strlen(key);
	static char *sharedir;
	static int looked;
	char *path, *line = NULL, *val = NULL;
	size_t cap = 0;
	FILE *f;

	if (!looked) {
		const char *e = getenv("CONF_PG_SHAREDIR");

		looked = 1;
		if (e && *e) {
			sharedir = xstrdup(e);
		} else if ((f = popen("pg_config --sharedir 2>/dev/null", "r"))) {
			if (getline(&line, &cap, f) > 0) {
				line[strcspn(line, "\n")] = 0;
				sharedir = xstrdup(line);
			}
			pclose(f);
		}
	}
	if (!sharedir || strchr(name, '/'))
		return NULL;
	path = xasprintf("%s/extension/%s.control", sharedir, name);
	f = fopen(path, "r");
	free(path);
	while (f && !val && getline(&line, &cap, f) > 0) {
		char *p = line + strspn(line, " \t"), *q;
		struct buf b = {0};

		if (strncmp(p, key, kl) != 0)
			continue;
		p += kl + strspn(p + kl, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t");
		if (*p++ != '\'')
			continue;
		/* a control file value is a quoted string with '' for a quote */
		for (q = p; *q; q++) {
			if (*q == '\'' && q[1] == '\'')
				q++;
			else if (*q == '\'')
				break;
			buf_add(&b, q, 1);
		}
		val = b.data ? b.data : xstrdup("");
	}
	if (f)
		fclose(f);
	free(line);
	return val;
}

static int
fold_comment(struct model *m, json_t *c, const struct msql_ctx *cx)
{
	int unm;
	char *id = target_id(m, S(c, "objtype"), J(c, "object"), cx, &unm), *cid;
	const char *text = S(c, "comment");

	if (!id)
		return unm ? MSQL_UNMODELED : MSQL_ERR;
	if ((unm = target_check(m, S(c, "objtype"), J(c, "object"), id, cx)) != MSQL_OK) {
		/* the default comment of an extension outside the model (plpgsql's) changes nothing */
		char *d = unm == MSQL_UNMODELED && starts(id, "extension:") ? control_value(sval(J(c, "object")), "comment") : NULL;

		if (d && streq(d, text))
			unm = MSQL_OK;
		free(d);
		free(id);
		return unm;
	}
	cid = xasprintf("comment:%s", id);
	/* an empty comment removes it; public's built-in comment and an extension's own are no records */
	char *dflt = starts(id, "extension:") ? control_value(sval(J(c, "object")), "comment") : NULL;

	if (!text || !*text || (streq(id, "schema:public") && streq(text, "standard public schema")) ||
	    streq(text, dflt)) {
		model_del(m, cid);
	} else {
		json_t *r = model_put(m, "comment", cid);

		setstr(r, "on", id);
		setstr(r, "text", text);
		prov(r, cx);
	}
	free(dflt);
	free(cid);
	free(id);
	return MSQL_OK;
}

/* ---- ALTER ... OWNER TO ---- */

static int
fold_owner(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	int unm, cur;
	const char *ot = S(a, "objectType"), *role;
	json_t *obj = J(a, "object");
	char *id;

	if (J(a, "relation")) {
		/* ALTER TABLE/VIEW/SEQUENCE ... OWNER arrive as AlterTableStmt; a relation here is rare */
		return MSQL_UNMODELED;
	}
	id = target_id(m, ot, obj, cx, &unm);
	if (!id)
		return unm ? MSQL_UNMODELED : MSQL_ERR;
	if ((unm = target_check(m, ot, obj, id, cx)) != MSQL_OK) {
		free(id);
		return unm;
	}
	role = role_name(J(a, "newowner"), &cur);
	{
		json_t *r = msql_set_owner(m, id, role);

		if (r)
			prov(r, cx);
	}
	free(id);
	return MSQL_OK;
}

/* ---- views and materialized views ---- */

static int fig_name(const struct model *m, json_t *n, const char **name, const struct msql_ctx *cx);
static int select_cols(const struct model *m, json_t *sel, json_t *ctes, json_t *out, const struct msql_ctx *cx);

/* A SelectStmt's body, whether wrapped as a node or bare (set operations' arms are bare). */
static json_t *
sel_of(json_t *n)
{
	json_t *s = N(n, "SelectStmt");

	return s ? s : n;
}

/* The output names of a relation in the model (table, view, matview), or NULL. */
static json_t *
rel_cols(const struct model *m, const char *qn, const char *kind)
{
	char *id = xasprintf("%s:%s", kind, qn);
	json_t *r = model_get(m, id), *cols, *out, *c;
	size_t i;

	free(id);
	if (!r || !(cols = J(r, "columns")))
		return NULL;
	out = json_array();
	json_array_foreach(cols, i, c) {
		if (json_is_string(c))
			json_array_append(out, c);
		else
			json_array_append(out, J(c, "name"));
	}
	return out;
}

/* Apply an alias column list over cols (new reference replaces it). */
static json_t *
alias_cols(json_t *cols, json_t *alias)
{
	json_t *names = alias ? J(alias, "colnames") : NULL, *a;
	size_t i;

	json_array_foreach(names, i, a)
		if (i < json_array_size(cols))
			json_array_set_new(cols, i, json_string(sval(a)));
	return cols;
}

/* The FROM items visible by name ({ref, cols}) into named, and the columns of * into star. */
static int
from_item(const struct model *m, json_t *fi, json_t *ctes, json_t *named, json_t *star, const struct msql_ctx *cx)
{
	json_t *rv = N(fi, "RangeVar"), *cols = NULL, *alias = NULL, *x;
	const char *ref = NULL;

	if (rv) {
		const char *relname = S(rv, "relname");

		alias = J(rv, "alias");
		ref = alias ? S(alias, "aliasname") : relname;
		if (!S(rv, "schemaname") && (x = J(ctes, relname)))
			cols = json_deep_copy(x);
		else {
			const char *kind;
			char *q = resolve_rv(m, rv, K_TABLE, cx, &kind);

			cols = rel_cols(m, q, kind);
			free(q);
		}
	} else if ((x = N(fi, "RangeSubselect"))) {
		alias = J(x, "alias");
		ref = alias ? S(alias, "aliasname") : NULL;
		cols = json_array();
		if (select_cols(m, sel_of(J(x, "subquery")), ctes, cols, cx) < 0) {
			json_decref(cols);
			cols = NULL;
		}
	} else if ((x = N(fi, "JoinExpr"))) {
		json_t *ln = json_array(), *ls = json_array(), *rn = json_array(), *rs = json_array(), *all;
		json_t *using = J(x, "usingClause"), *u, *c;
		size_t i, j;
		int ok = from_item(m, J(x, "larg"), ctes, ln, ls, cx) == 0 &&
		    from_item(m, J(x, "rarg"), ctes, rn, rs, cx) == 0;
		json_t *lc = json_array(), *rc = json_array();

		json_array_foreach(ls, i, c)
			json_array_extend(lc, c);
		json_array_foreach(rs, i, c)
			json_array_extend(rc, c);
		if (ok && B(x, "isNatural")) {
			using = json_array();
			json_array_foreach(lc, i, c)
				json_array_foreach(rc, j, u)
					if (json_equal(c, u))
						json_array_append_new(using, json_pack("{s:{s:O}}", "String", "sval", c));
		} else {
			json_incref(using);
		}
		all = json_array();
		json_array_foreach(using, i, u)
			json_array_append_new(all, json_string(sval(u)));
		json_array_foreach(lc, i, c) {
			int in = 0;

			json_array_foreach(all, j, u)
				in |= j < json_array_size(using) && json_equal(c, u);
			if (!in)
				json_array_append(all, c);
		}
		json_array_foreach(rc, i, c) {
			int in = 0;

			json_array_foreach(using, j, u)
				in |= streq(json_string_value(c), sval(u));
			if (!in)
				json_array_append(all, c);
		}
		json_decref(using);
		alias = J(x, "alias");
		if (alias) {
			json_array_append_new(named, json_pack("{s:s, s:o}", "ref", S(alias, "aliasname"),
			    "cols", alias_cols(json_deep_copy(all), alias)));
		} else {
			json_array_extend(named, ln);
			json_array_extend(named, rn);
		}
		if (ok)
			json_array_append_new(star, alias ? alias_cols(all, alias) : all);
		else
			json_decref(all);
		json_decref(ln), json_decref(ls), json_decref(rn), json_decref(rs), json_decref(lc), json_decref(rc);
		return ok ? 0 : -1;
	} else if (!(cols = normexpr_func_cols(fi, &ref))) {
		return -1; /* functions of the user's in FROM and the like: their columns are not in the model */
	}
	if (!cols)
		return -1;
	cols = alias_cols(cols, alias);
	if (ref)
		json_array_append_new(named, json_pack("{s:s, s:O}", "ref", ref, "cols", cols));
	json_array_append_new(star, cols);
	return 0;
}

/* Add the output column names of a SelectStmt to out; -1 when they cannot be known. */
static int
select_cols(const struct model *m, json_t *sel, json_t *ctes, json_t *out, const struct msql_ctx *cx)
{
	json_t *named, *star, *rt, *with, *cte, *vl, *newtl;
	size_t i;
	int rc = 0, fromdone = 0;

	if (!sel)
		return -1;
	if (!streq(S(sel, "op"), "SETOP_NONE") && J(sel, "larg")) {
		json_t *rest = json_array();

		/* the right arm only for its stars: the names are the left arm's */
		select_cols(m, sel_of(J(sel, "rarg")), ctes, rest, cx);
		json_decref(rest);
		return select_cols(m, sel_of(J(sel, "larg")), ctes, out, cx);
	}
	ctes = ctes ? json_deep_copy(ctes) : json_object();
	with = J(sel, "withClause");
	json_array_foreach(J(with, "ctes"), i, cte) {
		json_t *c = N(cte, "CommonTableExpr"), *cols = json_array(), *a;
		size_t j;

		if (J(c, "aliascolnames")) {
			json_array_foreach(J(c, "aliascolnames"), j, a)
				json_array_append_new(cols, json_string(sval(a)));
		} else if (select_cols(m, sel_of(J(c, "ctequery")), ctes, cols, cx) < 0) {
			json_decref(cols);
			continue;
		}
		json_object_set_new(ctes, S(c, "ctename"), cols);
	}
	if ((vl = J(sel, "valuesLists"))) {
		size_t n = json_array_size(items(json_array_get(vl, 0)));

		for (i = 0; i < n; i++)
			json_array_append_new(out, json_sprintf("column%zu", i + 1));
		json_decref(ctes);
		return 0;
	}
	named = json_array();
	star = json_array();
	newtl = json_array();
	json_array_foreach(J(sel, "targetList"), i, rt) {
		json_t *r = N(rt, "ResTarget"), *cr = N(J(r, "val"), "ColumnRef"), *f;
		const char *name = S(r, "name");
		size_t nf = cr ? json_array_size(J(cr, "fields")) : 0;

		if (nf && N(json_array_get(J(cr, "fields"), nf - 1), "A_Star")) {
			json_t *fi;
			size_t j, before = json_array_size(out);

			if (!fromdone) {
				fromdone = 1;
				json_array_foreach(J(sel, "fromClause"), j, fi)
					if (from_item(m, fi, ctes, named, star, cx) < 0)
						fromdone = -1;
			}
			if (nf == 1 && fromdone > 0) {
				json_array_foreach(star, j, f)
					json_array_extend(out, f);
			} else if (nf >= 2 && fromdone >= 0) {
				const char *ref = sval(json_array_get(J(cr, "fields"), nf - 2));
				int hit = 0;

				json_array_foreach(named, j, f)
					if (streq(S(f, "ref"), ref) && !hit++)
						json_array_extend(out, J(f, "cols"));
				if (!hit)
					rc = -1;
			} else {
				rc = -1;
			}
			/* the catalog stores * expanded: so does the tree normalized for the model */
			for (j = before; j < json_array_size(out); j++)
				json_array_append_new(newtl, json_pack("{s:{s:{s:{s:[{s:{s:O}}]}}}}", "ResTarget", "val",
				    "ColumnRef", "fields", "String", "sval", json_array_get(out, j)));
			continue;
		}
		json_array_append(newtl, rt);
		if (!name) {
			name = "?column?";
			fig_name(m, J(r, "val"), &name, cx);
		}
		json_array_append_new(out, json_string(name));
	}
	if (rc == 0 && J(sel, "targetList"))
		json_object_set(sel, "targetList", newtl);
	json_decref(newtl);
	json_decref(named);
	json_decref(star);
	json_decref(ctes);
	return rc;
}

/* FigureColnameInternal: 0 no name, 1 a weak name (a type's), 2 a strong one. */
static int
fig_name(const struct model *m, json_t *n, const char **name, const struct msql_ctx *cx)
{
	const char *t = ntype(n);
	json_t *x = ninner(n), *l;
	int s;

	if (streq(t, "ColumnRef")) {
		l = J(x, "fields");
		if (sval(json_array_get(l, json_array_size(l) - 1))) {
			*name = sval(json_array_get(l, json_array_size(l) - 1));
			return 2;
		}
	} else if (streq(t, "A_Indirection")) {
		l = J(x, "indirection");
		for (size_t i = json_array_size(l); i-- > 0;)
			if (sval(json_array_get(l, i))) {
				*name = sval(json_array_get(l, i));
				return 2;
			} else {
				break;
			}
		return fig_name(m, J(x, "arg"), name, cx);
	} else if (streq(t, "FuncCall")) {
		l = J(x, "funcname");
		*name = sval(json_array_get(l, json_array_size(l) - 1));
		return 2;
	} else if (streq(t, "A_Expr")) {
		if (streq(S(x, "kind"), "AEXPR_NULLIF")) {
			*name = "nullif";
			return 2;
		}
	} else if (streq(t, "TypeCast")) {
		s = fig_name(m, J(x, "arg"), name, cx);
		if (s <= 1 && J(x, "typeName")) {
			l = J(J(x, "typeName"), "names");
			*name = sval(json_array_get(l, json_array_size(l) - 1));
			return 1;
		}
		return s;
	} else if (streq(t, "CollateClause")) {
		return fig_name(m, J(x, "arg"), name, cx);
	} else if (streq(t, "GroupingFunc")) {
		*name = "grouping";
		return 2;
	} else if (streq(t, "SubLink")) {
		const char *k = S(x, "subLinkType");

		if (streq(k, "EXISTS_SUBLINK")) {
			*name = "exists";
			return 2;
		}
		if (streq(k, "ARRAY_SUBLINK")) {
			*name = "array";
			return 2;
		}
		if (streq(k, "EXPR_SUBLINK")) {
			json_t *cols = json_array();
			static char buf[256]; /* the name outlives cols: keep a copy */

			if (select_cols(m, sel_of(J(x, "subselect")), NULL, cols, cx) == 0 &&
			    json_array_size(cols) && !streq(json_string_value(json_array_get(cols, 0)), "?column?")) {
				snprintf(buf, sizeof buf, "%s", json_string_value(json_array_get(cols, 0)));
				*name = buf;
				json_decref(cols);
				return 2;
			}
			json_decref(cols);
		}
	} else if (streq(t, "CaseExpr")) {
		s = fig_name(m, J(x, "defresult"), name, cx);
		if (s <= 1) {
			*name = "case";
			return 1;
		}
		return s;
	} else if (streq(t, "A_ArrayExpr")) {
		*name = "array";
		return 2;
	} else if (streq(t, "RowExpr")) {
		*name = "row";
		return 2;
	} else if (streq(t, "CoalesceExpr")) {
		*name = "coalesce";
		return 2;
	} else if (streq(t, "MinMaxExpr")) {
		*name = streq(S(x, "op"), "IS_GREATEST") ? "greatest" : "least";
		return 2;
	} else if (streq(t, "SQLValueFunction")) {
		static const char *const svf[][2] = {{"SVFOP_CURRENT_DATE", "current_date"},
			{"SVFOP_CURRENT_TIME", "current_time"}, {"SVFOP_CURRENT_TIME_N", "current_time"},
			{"SVFOP_CURRENT_TIMESTAMP", "current_timestamp"},
			{"SVFOP_CURRENT_TIMESTAMP_N", "current_timestamp"}, {"SVFOP_LOCALTIME", "localtime"},
			{"SVFOP_LOCALTIME_N", "localtime"}, {"SVFOP_LOCALTIMESTAMP", "localtimestamp"},
			{"SVFOP_LOCALTIMESTAMP_N", "localtimestamp"}, {"SVFOP_CURRENT_ROLE", "current_role"},
			{"SVFOP_CURRENT_USER", "current_user"}, {"SVFOP_USER", "user"},
			{"SVFOP_SESSION_USER", "session_user"}, {"SVFOP_CURRENT_CATALOG", "current_catalog"},
			{"SVFOP_CURRENT_SCHEMA", "current_schema"}};

		for (size_t i = 0; i < sizeof svf / sizeof svf[0]; i++)
			if (streq(S(x, "op"), svf[i][0])) {
				*name = svf[i][1];
				return 2;
			}
	} else if (streq(t, "XmlExpr")) {
		static const char *const xo[][2] = {{"IS_XMLCONCAT", "xmlconcat"}, {"IS_XMLELEMENT", "xmlelement"},
			{"IS_XMLFOREST", "xmlforest"}, {"IS_XMLPARSE", "xmlparse"}, {"IS_XMLPI", "xmlpi"},
			{"IS_XMLROOT", "xmlroot"}, {"IS_XMLSERIALIZE", "xmlserialize"}};

		for (size_t i = 0; i < sizeof xo / sizeof xo[0]; i++)
			if (streq(S(x, "op"), xo[i][0])) {
				*name = xo[i][1];
				return 2;
			}
	} else if (streq(t, "XmlSerialize")) {
		*name = "xmlserialize";
		return 2;
	}
	return 0;
}

/* The text of the query after the top-level AS that follows the relation name at loc, without a
   trailing WITH [LOCAL|CASCADED] CHECK OPTION (views) or WITH [NO] DATA (matviews). */
static char *
query_text(const char *sql, long loc)
{
	struct toks ts;
	size_t i, b = 0, e;

	lex_all(sql, loc > 0 ? (size_t)loc : 0, &ts, 0);
	for (i = 0; i < ts.n; i++)
		if (tokis(sql, &ts.v[i], "as"))
			break;
	if (i + 1 >= ts.n) {
		free(ts.v);
		return NULL;
	}
	b = ts.v[i + 1].b;
	e = ts.n;
	while (e > i + 1 && ts.v[e - 1].kind == 'x' && sql[ts.v[e - 1].b] == ';')
		e--;
	/* trailing clauses of CREATE VIEW / CREATE MATERIALIZED VIEW */
	for (size_t w = i + 1; w < e; w++) {
		if (!tokis(sql, &ts.v[w], "with"))
			continue;
		size_t k = w + 1;

		if (k < e && (tokis(sql, &ts.v[k], "local") || tokis(sql, &ts.v[k], "cascaded") || tokis(sql, &ts.v[k], "no")))
			k++;
		if ((k + 2 == e && tokis(sql, &ts.v[k], "check") && tokis(sql, &ts.v[k + 1], "option")) ||
		    (k + 1 == e && tokis(sql, &ts.v[k], "data"))) {
			e = w;
			break;
		}
	}
	{
		char *r = e > i + 1 ? xstrndup(sql + b, ts.v[e - 1].e - b) : NULL;

		free(ts.v);
		return r;
	}
}

/* The text of a DefElem's argument: a word may come as a String or as a TypeName. */
static const char *
opt_str(json_t *arg)
{
	json_t *tn = N(arg, "TypeName");

	if (tn) {
		json_t *l = J(tn, "names");

		return json_array_size(l) == 1 ? sval(json_array_get(l, 0)) : NULL;
	}
	return sval(arg);
}

/* A reloption value as a boolean (parse_bool). */
static int
opt_bool(json_t *arg)
{
	const char *v = opt_str(arg);

	if (!arg)
		return 1;
	if (N(arg, "Boolean"))
		return B(N(arg, "Boolean"), "boolval");
	if (N(arg, "Integer"))
		return json_integer_value(J(N(arg, "Integer"), "ival")) != 0;
	return v && (strcasecmp(v, "true") == 0 || strcasecmp(v, "on") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "1") == 0 || strcasecmp(v, "t") == 0 || strcasecmp(v, "y") == 0);
}

/* View reloptions (WITH (...), ALTER VIEW SET/RESET) onto rec; -1 for one the model lacks. */
static int
view_opts(json_t *rec, json_t *opts, int reset, int matview)
{
	json_t *d;
	size_t i;

	if (matview) {
		/* a materialized view's are storage parameters (modelsql_agg.c) */
		msql_matview_storage(rec, opts, reset);
		return 0;
	}
	json_array_foreach(opts, i, d) {
		json_t *de = N(d, "DefElem"), *arg = J(de, "arg");
		const char *k = S(de, "defname");

		if (streq(k, "check_option") && !matview) {
			const char *v = opt_str(arg);

			if (reset)
				setstr(rec, "check_option", NULL);
			else if (v && (strcasecmp(v, "local") == 0 || strcasecmp(v, "cascaded") == 0))
				setstr(rec, "check_option", strcasecmp(v, "local") == 0 ? "local" : "cascaded");
			else
				return -1;
		} else if ((streq(k, "security_barrier") || streq(k, "security_invoker")) && !matview) {
			setbool(rec, k, !reset && opt_bool(arg));
		} else {
			return -1;
		}
	}
	return 0;
}

/* The model's relations for normexpr_qualify: m and cx resolve a name, held keeps the answers. */
struct qcols {
	const struct model *m;
	const struct msql_ctx *cx;
	struct strv held;
};

static const char *const *
qualify_cols_fn(const char *schema, const char *name, void *ctx)
{
	struct qcols *qc = ctx;
	const char *kind;
	char *q = resolve_in(qc->m, schema, name, K_TABLE, qc->cx, &kind);
	json_t *cols = rel_cols(qc->m, q, kind), *c;
	size_t i, first = qc->held.n;

	free(q);
	if (!cols)
		return NULL;
	json_array_foreach(cols, i, c)
		strv_add(&qc->held, json_string_value(c));
	json_decref(cols);
	strv_take(&qc->held, NULL);
	return (const char *const *)qc->held.v + first;
}

/* The query of a view or matview as the catalog keeps it (a new tree: * expanded, the column
   list as the output names of the leftmost SELECT, columns qualified by their relation where
   several are in scope), its output names into cols; 0, or -1 when the names cannot all be known. */
static json_t *
stored_query(const struct model *m, json_t *q, json_t *aliases, json_t *cols, int *ok, const struct msql_ctx *cx)
{
	json_t *c = json_deep_copy(q), *sel = N(c, "SelectStmt"), *a, *tl;
	size_t i;
	struct qcols qc = { m, cx, { 0 } };

	*ok = select_cols(m, sel, NULL, cols, cx) == 0;
	normexpr_qualify(c, qualify_cols_fn, &qc);
	msql_qualify_calls(m, c, cx);
	strv_free(&qc.held);
	while (sel && !streq(S(sel, "op"), "SETOP_NONE") && J(sel, "larg"))
		sel = sel_of(J(sel, "larg"));
	tl = J(sel, "targetList");
	json_array_foreach(aliases, i, a) {
		if (i < json_array_size(cols))
			json_array_set_new(cols, i, json_string(sval(a)));
		else
			json_array_append_new(cols, json_string(sval(a))), *ok = 0;
		if (i < json_array_size(tl))
			json_object_set_new(N(json_array_get(tl, i), "ResTarget"), "name", json_string(sval(a)));
	}
	return c;
}

/* The kind of another relation (pg_class shares one namespace) named qn, or NULL. */
static const char *
other_relation(const struct model *m, const char *qn, const char *kind)
{
	static const char *const kinds[] = { "table", "sequence", "index", "view", "matview", NULL };

	for (size_t i = 0; kinds[i]; i++) {
		char *id;
		int hit;

		if (strcmp(kinds[i], kind) == 0)
			continue;
		id = xasprintf("%s:%s", kinds[i], qn);
		hit = json_object_get(model_scan(m), id) != NULL;
		free(id);
		if (hit)
			return kinds[i];
	}
	return NULL;
}

/* CheckAttributeNamesTypes: a view's output names (cols) are all different; 1 after the server's
   message when one is given twice (a::bigint, a::text; two unnamed ?column?). */
static int
dup_column(json_t *cols, const struct msql_ctx *cx)
{
	json_t *seen = json_object(), *c;
	size_t i;
	int dup = 0;

	json_array_foreach(cols, i, c) {
		const char *n = json_string_value(c);

		if (!n)
			continue;
		if (json_object_get(seen, n)) {
			err(cx, "column \"%s\" specified more than once", n);
			dup = 1;
			break;
		}
		json_object_set_new(seen, n, json_true());
	}
	json_decref(seen);
	return dup;
}

static int
fold_view(struct model *m, json_t *v, const struct msql_ctx *cx)
{
	json_t *rv = J(v, "view"), *q = J(v, "query"), *cols = json_array(), *r, *old;
	char *qn = resolve_rv(m, rv, K_VIEW, cx, NULL), *id = xasprintf("view:%s", qn), *sch;
	const char *wco = S(v, "withCheckOption");
	int ok;

	old = model_get(m, id);
	if (other_relation(m, qn, "view")) {
		if (B(v, "replace"))
			err(cx, "\"%s\" is not a view", S(rv, "relname"));
		else
			err(cx, "relation \"%s\" already exists", S(rv, "relname"));
		free(qn), free(id), json_decref(cols);
		return MSQL_ERR;
	}
	if (old && !B(v, "replace")) {
		err(cx, "relation \"%s\" already exists", S(rv, "relname"));
		free(qn), free(id), json_decref(cols);
		return MSQL_ERR;
	}
	q = stored_query(m, q, J(v, "aliases"), cols, &ok, cx);
	if (ok && dup_column(cols, cx)) {
		json_decref(q), free(qn), free(id), json_decref(cols);
		return MSQL_ERR;
	}
	r = model_put(m, "view", id);
	sch = unident(qn, qname_split(qn));
	setstr(r, "schema", sch);
	setstr(r, "name", S(rv, "relname"));
	free(sch);
	if (ok && json_array_size(cols))
		json_object_set(r, "columns", cols);
	json_decref(cols);
	set_expr(r, "query", q, query_text(cx->sql, json_integer_value(J(rv, "location"))), cx);
	json_decref(q);
	prov(r, cx);
	if (view_opts(r, J(v, "options"), 0, 0) < 0) {
		free(qn), free(id);
		return MSQL_UNMODELED;
	}
	if (streq(wco, "LOCAL_CHECK_OPTION"))
		setstr(r, "check_option", "local");
	else if (streq(wco, "CASCADED_CHECK_OPTION"))
		setstr(r, "check_option", "cascaded");
	prov(r, cx);
	if (!old)
		msql_default_acl(m, id, cx);
	free(qn);
	free(id);
	return MSQL_OK;
}

static int
fold_matview(struct model *m, json_t *c, const struct msql_ctx *cx)
{
	json_t *into = J(c, "into"), *rv = J(into, "rel"), *q = J(c, "query"), *cols = json_array(), *r;
	char *qn = resolve_rv(m, rv, K_MATVIEW, cx, NULL), *id = xasprintf("matview:%s", qn), *sch;
	int ok;

	if (model_get(m, id) || other_relation(m, qn, "matview")) {
		free(qn), free(id), json_decref(cols);
		if (B(c, "if_not_exists"))
			return MSQL_OK;
		return err(cx, "relation \"%s\" already exists", S(rv, "relname"));
	}
	q = stored_query(m, q, J(into, "colNames"), cols, &ok, cx);
	if (ok && dup_column(cols, cx)) {
		json_decref(q), free(qn), free(id), json_decref(cols);
		return MSQL_ERR;
	}
	r = model_put(m, "matview", id);
	sch = unident(qn, qname_split(qn));
	setstr(r, "schema", sch);
	setstr(r, "name", S(rv, "relname"));
	free(sch);
	if (ok && json_array_size(cols))
		json_object_set(r, "columns", cols);
	json_decref(cols);
	set_expr(r, "query", q, query_text(cx->sql, json_integer_value(J(rv, "location"))), cx);
	json_decref(q);
	setbool(r, "no_data", B(into, "skipData"));
	prov(r, cx);
	msql_default_acl(m, id, cx);
	free(qn);
	free(id);
	/* storage parameters and tablespace: modelsql_agg.c; an access method is not in the model: the
	   record is, and the statement is reported */
	msql_matview_storage(r, J(into, "options"), 0);
	setstr(r, "tablespace", streq(S(into, "tableSpaceName"), "pg_default") ? NULL : S(into, "tableSpaceName"));
	return J(into, "accessMethod") && !streq(S(into, "accessMethod"), "heap") ? MSQL_UNMODELED : MSQL_OK;
}

/* ---- functions and procedures ---- */

/* The GUC names PostgreSQL spells with capitals (proconfig holds the canonical spelling). */
static const char *
guc_name(const char *n)
{
	static const char *const caps[] = {"DateStyle", "IntervalStyle", "TimeZone", NULL};

	for (size_t i = 0; caps[i]; i++)
		if (strcasecmp(n, caps[i]) == 0)
			return caps[i];
	return n;
}

/* flatten_set_variable_args: "name=value" as proconfig holds it, or NULL if not modeled. */
static char *
set_item(json_t *vs)
{
	static const char *const listq[] = {"search_path", "temp_tablespaces", "session_preload_libraries",
		"shared_preload_libraries", "local_preload_libraries", NULL};
	const char *name = S(vs, "name"), *kind = S(vs, "kind");
	struct buf b = {0};
	json_t *a;
	size_t i;
	int quote = 0;

	if (!streq(kind, "VAR_SET_VALUE") || !name)
		return NULL;
	for (i = 0; listq[i]; i++)
		quote |= strcasecmp(name, listq[i]) == 0;
	buf_printf(&b, "%s=", guc_name(name));
	json_array_foreach(J(vs, "args"), i, a) {
		json_t *c = N(a, "A_Const"), *v;

		if (i)
			buf_puts(&b, ", ");
		if (!c) {
			buf_free(&b);
			return NULL;
		}
		if ((v = J(c, "sval"))) {
			if (quote)
				quote_ident(&b, S(v, "sval"));
			else
				buf_puts(&b, S(v, "sval"));
		} else if ((v = J(c, "ival"))) {
			buf_printf(&b, "%lld", (long long)json_integer_value(J(v, "ival")));
		} else if ((v = J(c, "fval"))) {
			buf_puts(&b, S(v, "fval"));
		} else if ((v = J(c, "boolval"))) {
			buf_puts(&b, B(v, "boolval") ? "true" : "false");
		} else {
			buf_free(&b);
			return NULL;
		}
	}
	return b.data;
}

/* Apply a SET/RESET clause to the record's "set" list; -1 when not modeled. */
static int
apply_set(json_t *rec, json_t *vs)
{
	json_t *set = J(rec, "set"), *e;
	const char *kind = S(vs, "kind"), *name = S(vs, "name");
	char *item = NULL;
	size_t i, nl;

	if (streq(kind, "VAR_RESET_ALL")) {
		json_object_del(rec, "set");
		return 0;
	}
	if (streq(kind, "VAR_SET_DEFAULT"))
		kind = "VAR_RESET"; /* SET x TO DEFAULT takes the setting out, as RESET x does */
	if (!streq(kind, "VAR_RESET") && !(item = set_item(vs)))
		return -1;
	if (!set) {
		set = json_array();
		json_object_set_new(rec, "set", set);
	}
	name = guc_name(name);
	nl = strlen(name);
	json_array_foreach(set, i, e) {
		const char *s = json_string_value(e);

		if (strncmp(s, name, nl) == 0 && s[nl] == '=') {
			if (item)
				json_array_set_new(set, i, json_string(item));
			else
				json_array_remove(set, i);
			free(item);
			if (!json_array_size(set))
				json_object_del(rec, "set");
			return 0;
		}
	}
	if (item)
		json_array_append_new(set, json_string(item));
	if (!json_array_size(set))
		json_object_del(rec, "set");
	free(item);
	return 0;
}

/* A cost or rows value as a JSON number. */
static json_t *
num(json_t *arg)
{
	json_t *i = N(arg, "Integer"), *f = N(arg, "Float");

	if (i)
		return json_integer(json_integer_value(J(i, "ival")));
	if (f) {
		double d = strtod(S(f, "fval"), NULL);

		if (d == (double)(long long)d)
			return json_integer((long long)d);
		return json_real(d);
	}
	return NULL;
}

/* Function options shared by CREATE and ALTER; language in *lang. -1 when not modeled. */
static int
func_opts(json_t *rec, json_t *opts, const char **lang, json_t **cost, json_t **rows)
{
	json_t *d;
	size_t i;

	json_array_foreach(opts, i, d) {
		json_t *de = N(d, "DefElem"), *arg = J(de, "arg");
		const char *k = S(de, "defname");

		if (streq(k, "language")) {
			*lang = sval(arg);
		} else if (streq(k, "volatility")) {
			setstr(rec, "volatility", streq(sval(arg), "volatile") ? NULL : sval(arg));
		} else if (streq(k, "strict")) {
			setbool(rec, "strict", opt_bool(arg));
		} else if (streq(k, "security")) {
			setbool(rec, "security_definer", opt_bool(arg));
		} else if (streq(k, "leakproof")) {
			setbool(rec, "leakproof", opt_bool(arg));
		} else if (streq(k, "parallel")) {
			const char *p = sval(arg);

			setstr(rec, "parallel", p && strcasecmp(p, "unsafe") == 0 ? NULL : p);
		} else if (streq(k, "cost")) {
			*cost = arg;
		} else if (streq(k, "rows")) {
			*rows = arg;
		} else if (streq(k, "set")) {
			if (apply_set(rec, N(arg, "VariableSetStmt")) < 0)
				return -1;
		} else if (streq(k, "as") || streq(k, "window") || streq(k, "support") || streq(k, "transform")) {
			if (!streq(k, "as"))
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* The text of an SQL-standard body: from RETURN or BEGIN ATOMIC to the end. */
static char *
body_text(const char *sql)
{
	struct toks ts, all;
	char *r = NULL;

	lex_all(sql, 0, &ts, 0);
	lex_all(sql, 0, &all, 1);
	for (size_t i = 0; i < ts.n; i++)
		if (tokis(sql, &ts.v[i], "return") ||
		    (tokis(sql, &ts.v[i], "begin") && i + 1 < ts.n && tokis(sql, &ts.v[i + 1], "atomic"))) {
			size_t e = stmt_end(sql, &all);

			if (e > ts.v[i].b)
				r = xstrndup(sql + ts.v[i].b, e - ts.v[i].b);
			break;
		}
	free(ts.v);
	free(all.v);
	return r;
}

/* The OUT and INOUT parameters of a function record as [name, type] pairs. */
static json_t *
out_params(json_t *r)
{
	json_t *o = json_array(), *a;
	size_t i;

	json_array_foreach(J(r, "args"), i, a)
		if (streq(S(a, "mode"), "out") || streq(S(a, "mode"), "inout"))
			json_array_append_new(o, json_pack("[s?, s]", S(a, "name"), S(a, "type")));
	return o;
}

/* CREATE OR REPLACE of an existing function or procedure: what ProcedureCreate refuses to change
   (the result type, the row type of several OUT parameters, an input parameter's name, parameter
   defaults removed) refused with its words. new_table: the new one returns TABLE(...), whose
   columns the record keeps only as text: such a result is not compared. */
static int
replace_check(json_t *old, json_t *nw, int new_table, const struct msql_ctx *cx)
{
	const char *ort = S(old, "returns"), *nrt = S(nw, "returns");
	json_t *oo = out_params(old), *no = out_params(nw), *a, *b;
	size_t i, j, od = 0, nd = 0;
	int rc = MSQL_OK;

	if (!new_table && !starts(ort ? ort : "", "TABLE(") && (ort || nrt)) {
		if (!streq(ort, nrt) || (json_array_size(oo) > 1 && !json_equal(oo, no)))
			rc = err(cx, "cannot change return type of existing function");
	}
	for (i = 0, j = 0; rc == MSQL_OK && i < json_array_size(J(old, "args")); i++) {
		a = json_array_get(J(old, "args"), i);
		if (streq(S(a, "mode"), "out"))
			continue;
		while ((b = json_array_get(J(nw, "args"), j)) && streq(S(b, "mode"), "out"))
			j++;
		j++;
		if (S(a, "name") && *S(a, "name") && !streq(S(a, "name"), b ? S(b, "name") : NULL))
			rc = err(cx, "cannot change name of input parameter \"%s\"", S(a, "name"));
	}
	json_array_foreach(J(old, "args"), i, a)
		od += J(a, "default") != NULL;
	json_array_foreach(J(nw, "args"), i, a)
		nd += J(a, "default") != NULL;
	if (rc == MSQL_OK && nd < od)
		rc = err(cx, "cannot remove parameter defaults from existing function");
	json_decref(oo), json_decref(no);
	return rc;
}

static int
fold_function(struct model *m, json_t *f, const struct msql_ctx *cx)
{
	int proc = B(f, "is_procedure");
	const char *kind = proc ? "procedure" : "function", *lang = NULL, *name, *schema;
	json_t *names = J(f, "funcname"), *p, *args = json_array(), *table = json_array(), *outs = json_array();
	json_t *r, *cost = NULL, *rows = NULL, *body = NULL, *d;
	struct buf sig = {0}, ret = {0};
	size_t i, nn = json_array_size(names);
	char *q = NULL, *id = NULL;
	int setof = 0, n_in = 0, rc = MSQL_OK, existed;

	name = sval(json_array_get(names, nn - 1));
	schema = nn >= 2 ? sval(json_array_get(names, nn - 2)) : spath_first(cx->sp);
	json_array_foreach(J(f, "parameters"), i, p) {
		json_t *fp = N(p, "FunctionParameter"), *a;
		const char *mode = S(fp, "mode");
		char *t = ftname(m, J(fp, "argType"), cx);

		if (!t) {
			rc = MSQL_ERR;
			goto out;
		}
		if (streq(mode, "FUNC_PARAM_TABLE")) {
			json_array_append_new(table, json_pack("{s:s?, s:s}", "name", S(fp, "name"), "type", t));
			free(t);
			continue;
		}
		a = json_object();
		setstr(a, "name", S(fp, "name"));
		setstr(a, "type", t);
		if (streq(mode, "FUNC_PARAM_OUT"))
			setstr(a, "mode", "out");
		else if (streq(mode, "FUNC_PARAM_INOUT"))
			setstr(a, "mode", "inout");
		else if (streq(mode, "FUNC_PARAM_VARIADIC"))
			setstr(a, "mode", "variadic");
		if (!streq(mode, "FUNC_PARAM_OUT")) {
			buf_puts(&sig, n_in++ ? "," : "");
			buf_puts(&sig, t);
		}
		if (streq(mode, "FUNC_PARAM_OUT") || streq(mode, "FUNC_PARAM_INOUT"))
			json_array_append_new(outs, json_string(t));
		if (J(fp, "defexpr"))
			set_expr(a, "default", J(fp, "defexpr"), NULL, cx);
		json_array_append_new(args, a);
		free(t);
	}
	q = model_qname(schema, name);
	id = xasprintf("%s:%s(%s)", kind, q, sig.data ? sig.data : "");
	existed = json_object_get(model_scan(m), id) != NULL;
	if (existed && !B(f, "replace")) {
		rc = err(cx, "function \"%s\" already exists with same argument types", name);
		goto out;
	}
	r = json_pack("{s:s, s:s, s:s, s:s}", "kind", kind, "id", id, "schema", schema, "name", name);
	if (json_array_size(args))
		json_object_set(r, "args", args);
	if (func_opts(r, J(f, "options"), &lang, &cost, &rows) < 0) {
		json_decref(r);
		rc = MSQL_UNMODELED;
		goto out;
	}
	/* the result as pg_get_function_result prints it */
	if (!proc) {
		json_t *rt = J(f, "returnType");

		if (json_array_size(table)) {
			buf_puts(&ret, "TABLE(");
			json_array_foreach(table, i, d) {
				buf_puts(&ret, i ? ", " : "");
				if (S(d, "name")) {
					quote_ident(&ret, S(d, "name"));
					buf_puts(&ret, " ");
				}
				buf_puts(&ret, S(d, "type"));
			}
			buf_puts(&ret, ")");
			setof = 1;
		} else if (rt) {
			char *t = ftname(m, rt, cx);

			if (!t) {
				json_decref(r);
				rc = MSQL_ERR;
				goto out;
			}
			/* pgn_type_name writes SETOF itself */
			setof = B(rt, "setof");
			buf_puts(&ret, t);
			free(t);
		} else if (json_array_size(outs) == 1) {
			buf_puts(&ret, json_string_value(json_array_get(outs, 0)));
		} else if (json_array_size(outs) > 1) {
			buf_puts(&ret, "record");
		} else {
			json_decref(r);
			rc = err(cx, "function result type must be specified");
			goto out;
		}
		setstr(r, "returns", ret.data);
	}
	if (!lang && J(f, "sql_body"))
		lang = "sql";
	if (!lang) {
		json_decref(r);
		rc = err(cx, "no language specified");
		goto out;
	}
	{
		char *l = xstrdup(lang);

		for (char *c = l; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c += 'a' - 'A';
		setstr(r, "language", l);
		/* procost: 1 for C and internal functions, 100 for the others; prorows 1000 for sets */
		if (cost) {
			json_t *c = num(cost);
			double dflt = streq(l, "c") || streq(l, "internal") ? 1 : 100;

			if (c && json_number_value(c) != dflt)
				json_object_set(r, "cost", c);
			json_decref(c);
		}
		if (rows && !setof && !proc) {
			/* compute_function_attributes / ProcedureCreate */
			json_decref(r);
			free(l);
			rc = err(cx, "ROWS is not applicable when function does not return a set");
			goto out;
		}
		if (rows && setof) {
			json_t *c = num(rows);

			if (c && json_number_value(c) != 1000)
				json_object_set(r, "rows", c);
			json_decref(c);
		}
		json_array_foreach(J(f, "options"), i, d)
			if (streq(S(N(d, "DefElem"), "defname"), "as"))
				body = items(J(N(d, "DefElem"), "arg"));
		if (body && json_array_size(body) == 2) {
			setstr(r, "body_obj", sval(json_array_get(body, 0)));
			setstr(r, "body", sval(json_array_get(body, 1)));
		} else if (body && streq(l, "c")) {
			setstr(r, "body_obj", sval(json_array_get(body, 0)));
			setstr(r, "body", name);
		} else if (body) {
			setstr(r, "body", sval(json_array_get(body, 0)));
		} else if (J(f, "sql_body")) {
			struct qcols qc = { m, cx, { 0 } };

			normexpr_body(J(f, "sql_body"), qualify_cols_fn, &qc);
			strv_free(&qc.held);
			set_expr(r, "body", J(f, "sql_body"), body_text(cx->sql), cx);
		}
		free(l);
	}
	if (existed && replace_check(model_get(m, id), r, json_array_size(table) > 0, cx) != MSQL_OK) {
		json_decref(r);
		rc = MSQL_ERR;
		goto out;
	}
	prov(r, cx);
	model_add(m, r);
	if (!existed)
		msql_default_acl(m, id, cx);
out:
	free(q);
	free(id);
	buf_free(&sig);
	buf_free(&ret);
	json_decref(args);
	json_decref(table);
	json_decref(outs);
	return rc;
}

static int
fold_alter_function(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	char *id = func_id(m, J(a, "func"), objkind_fn(S(a, "objtype")), cx, 0);
	json_t *r, *cost = NULL, *rows = NULL;
	const char *lang = NULL;

	if (!id)
		return MSQL_ERR;
	r = model_get(m, id);
	if (!r) {
		err(cx, "function %s does not exist", id_rest(id));
		free(id);
		return MSQL_ERR;
	}
	free(id);
	if (func_opts(r, J(a, "actions"), &lang, &cost, &rows) < 0)
		return MSQL_UNMODELED;
	if (cost) {
		json_t *c = num(cost);
		const char *l = S(r, "language");
		double dflt = streq(l, "c") || streq(l, "internal") ? 1 : 100;

		if (c && json_number_value(c) != dflt)
			json_object_set(r, "cost", c);
		else
			json_object_del(r, "cost");
		json_decref(c);
	}
	if (rows) {
		json_t *c = num(rows);

		if (c && json_number_value(c) != 1000)
			json_object_set(r, "rows", c);
		else
			json_object_del(r, "rows");
		json_decref(c);
	}
	return MSQL_OK;
}

/* ---- triggers and event triggers ---- */

/* The id of a trigger function named by a name list: function:S.N() along the path. */
static char *
trigger_func(const struct model *m, json_t *names, const struct msql_ctx *cx)
{
	size_t nn = json_array_size(names);
	const char *name = sval(json_array_get(names, nn - 1));
	const char *schema = nn >= 2 ? sval(json_array_get(names, nn - 2)) : NULL;
	const struct strv *sv = &cx->sp->schemas;
	/* pg_catalog comes first on every path: its trigger functions win over the path's */
	static const char *const builtin[] = {"suppress_redundant_updates_trigger", "tsvector_update_trigger",
		"tsvector_update_trigger_column", "unique_key_recheck", NULL};

	for (size_t i = 0; !schema && builtin[i]; i++)
		if (streq(name, builtin[i]))
			schema = "pg_catalog";
	if (!schema)
		for (size_t i = 0; i < sv->n; i++) {
			char *q = model_qname(sv->v[i], name), *id = xasprintf("function:%s()", q);

			free(q);
			if (model_get(m, id))
				return id;
			free(id);
		}
	{
		char *q = model_qname(schema ? schema : spath_first(cx->sp), name);
		char *id = xasprintf("function:%s()", q);

		free(q);
		return id;
	}
}

static int
fold_trigger(struct model *m, json_t *t, const struct msql_ctx *cx)
{
	const char *kind, *tn = S(t, "trigname");
	char *q = resolve_rv(m, J(t, "relation"), K_TABLE, cx, &kind), *tabid = xasprintf("%s:%s", kind, q);
	char *ni = model_ident(tn), *id = xasprintf("trigger:%s.%s", q, ni), *sch = unident(q, qname_split(q));
	long long tim = json_integer_value(J(t, "timing")), ev = json_integer_value(J(t, "events"));
	json_t *r, *ev_a = json_array(), *a, *tr;
	size_t i;

	free(ni);
	if (model_get(m, id) && !B(t, "replace")) {
		err(cx, "trigger \"%s\" for relation \"%s\" already exists", tn, S(J(t, "relation"), "relname"));
		free(q), free(tabid), free(id), free(sch), json_decref(ev_a);
		return MSQL_ERR;
	}
	/* UPDATE OF: columns of the table, each once (CreateTriggerFiringOn) */
	json_array_foreach(J(t, "columns"), i, a) {
		json_t *rel = model_get(m, tabid), *c, *b;
		size_t j;
		int found = !rel || !J(rel, "columns");

		json_array_foreach(J(rel, "columns"), j, c)
			found |= streq(json_is_string(c) ? json_string_value(c) : S(c, "name"), sval(a));
		json_array_foreach(J(t, "columns"), j, b)
			if (j < i && streq(sval(b), sval(a))) {
				err(cx, "column \"%s\" specified more than once", sval(a));
				free(q), free(tabid), free(id), free(sch), json_decref(ev_a);
				return MSQL_ERR;
			}
		if (!found) {
			err(cx, "column \"%s\" of relation \"%s\" does not exist", sval(a), S(rel, "name"));
			free(q), free(tabid), free(id), free(sch), json_decref(ev_a);
			return MSQL_ERR;
		}
	}
	r = model_put(m, "trigger", id);
	setstr(r, "schema", sch);
	setstr(r, "name", tn);
	setstr(r, "table", tabid);
	setstr(r, "timing", tim & 2 ? "before" : tim & 64 ? "instead of" : "after");
	if (ev & 4)
		json_array_append_new(ev_a, json_string("insert"));
	if (ev & 16)
		json_array_append_new(ev_a, json_string("update"));
	if (ev & 8)
		json_array_append_new(ev_a, json_string("delete"));
	if (ev & 32)
		json_array_append_new(ev_a, json_string("truncate"));
	json_object_set_new(r, "events", ev_a);
	if (J(t, "columns")) {
		json_t *c = json_array();

		json_array_foreach(J(t, "columns"), i, a)
			json_array_append_new(c, json_string(sval(a)));
		json_object_set_new(r, "columns", c);
	}
	setstr(r, "level", B(t, "row") ? "row" : "statement");
	{
		char *f = trigger_func(m, J(t, "funcname"), cx);

		setstr(r, "function", f);
		free(f);
	}
	if (J(t, "args")) {
		json_t *c = json_array();

		json_array_foreach(J(t, "args"), i, a)
			json_array_append_new(c, json_string(sval(a)));
		json_object_set_new(r, "args", c);
	}
	if (J(t, "whenClause"))
		set_expr(r, "when", J(t, "whenClause"), NULL, cx);
	setbool(r, "constraint", B(t, "isconstraint"));
	setbool(r, "deferrable", B(t, "deferrable"));
	setbool(r, "initially_deferred", B(t, "initdeferred"));
	json_array_foreach(J(t, "transitionRels"), i, tr) {
		json_t *x = N(tr, "TriggerTransition");

		setstr(r, B(x, "isNew") ? "new_table" : "old_table", S(x, "name"));
	}
	prov(r, cx);
	free(q), free(tabid), free(id), free(sch);
	return MSQL_OK;
}

static int
fold_event_trigger(struct model *m, json_t *t, const struct msql_ctx *cx)
{
	char *ni = model_ident(S(t, "trigname")), *id = xasprintf("event_trigger:%s", ni), *f;
	json_t *r, *w, *tags = json_array(), *a;
	size_t i, j;

	free(ni);
	if (model_get(m, id)) {
		err(cx, "event trigger \"%s\" already exists", S(t, "trigname"));
		free(id);
		json_decref(tags);
		return MSQL_ERR;
	}
	json_array_foreach(J(t, "whenclause"), i, w) {
		json_t *de = N(w, "DefElem");

		if (!streq(S(de, "defname"), "tag")) {
			free(id);
			json_decref(tags);
			return MSQL_UNMODELED;
		}
		json_array_foreach(items(J(de, "arg")), j, a) {
			char *u = xstrdup(sval(a));

			for (char *c = u; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c -= 'a' - 'A';
			json_array_append_new(tags, json_string(u));
			free(u);
		}
	}
	r = model_put(m, "event_trigger", id);
	setstr(r, "name", S(t, "trigname"));
	setstr(r, "event", S(t, "eventname"));
	if (json_array_size(tags))
		json_object_set(r, "tags", tags);
	json_decref(tags);
	f = trigger_func(m, J(t, "funcname"), cx);
	setstr(r, "function", f);
	free(f);
	prov(r, cx);
	free(id);
	return MSQL_OK;
}

/* ---- policies and rules ---- */

static int arr_has(json_t *a, const char *s);

static void
policy_roles(json_t *r, json_t *roles)
{
	json_t *a = json_array(), *x;
	size_t i;
	int cur;

	json_array_foreach(roles, i, x) {
		const char *n = role_name(x, &cur);

		json_array_append_new(a, json_string(streq(n, "PUBLIC") ? "public" : n));
	}
	/* sorted, without duplicates */
	for (size_t k = 1; k < json_array_size(a); k++)
		for (size_t j = k; j > 0 && strcmp(json_string_value(json_array_get(a, j - 1)),
		    json_string_value(json_array_get(a, j))) > 0; j--) {
			json_t *t = json_incref(json_array_get(a, j));

			json_array_set(a, j, json_array_get(a, j - 1));
			json_array_set_new(a, j - 1, t);
		}
	for (size_t k = 1; k < json_array_size(a);)
		if (json_equal(json_array_get(a, k), json_array_get(a, k - 1)))
			json_array_remove(a, k);
		else
			k++;
	/* PostgreSQL ignores the other roles when PUBLIC is among them */
	if (json_array_size(a) == 0 || arr_has(a, "public"))
		json_object_del(r, "roles");
	else
		json_object_set(r, "roles", a);
	json_decref(a);
}

/* Whether the columns a policy expression names outside its subqueries are columns of table t
   (or t itself, a whole-row reference): 0, or -1 after the server's message. A table the
   model does not hold is not checked. */
static int
policy_columns(json_t *t, json_t *n, const struct msql_ctx *cx)
{
	json_t *e;
	const char *k;
	size_t i;

	if (!t || !n)
		return 0;
	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			if (policy_columns(t, e, cx) != 0)
				return -1;
		return 0;
	}
	if (!json_is_object(n))
		return 0;
	json_object_foreach(n, k, e) {
		if (streq(k, "ColumnRef")) {
			json_t *f = J(e, "fields"), *last = json_array_get(f, json_array_size(f) - 1), *c;
			const char *name = N(last, "String") ? S(N(last, "String"), "sval") : NULL;
			const char *qual = json_array_size(f) == 2 ? S(N(json_array_get(f, 0), "String"), "sval") : NULL;
			int found = !name || json_array_size(f) > 2 || (!qual && streq(name, S(t, "name")))
			    || streq(name, "tableoid");

			if (qual && !streq(qual, S(t, "name"))) {
				err(cx, "missing FROM-clause entry for table \"%s\"", qual);
				return -1;
			}
			json_array_foreach(J(t, "columns"), i, c)
				found |= streq(S(c, "name"), name);
			if (!found && qual)
				err(cx, "column %s.%s does not exist", qual, name);
			else if (!found)
				err(cx, "column \"%s\" does not exist", name);
			if (!found)
				return -1;
		} else if (!streq(k, "SubLink") && policy_columns(t, e, cx) != 0)
			return -1;
	}
	return 0;
}

static int
fold_policy(struct model *m, json_t *p, const struct msql_ctx *cx, int alter)
{
	const char *kind, *pn = S(p, "policy_name");
	char *q = resolve_rv(m, J(p, "table"), K_TABLE, cx, &kind), *tabid = xasprintf("%s:%s", kind, q);
	char *ni = model_ident(pn), *id = xasprintf("policy:%s.%s", q, ni), *sch = unident(q, qname_split(q));
	json_t *r = model_get(m, id);
	free(ni);
	if (alter ? !r : r != NULL) {
		if (alter)
			err(cx, "policy \"%s\" for table \"%s\" does not exist", pn, S(J(p, "table"), "relname"));
		else
			err(cx, "policy \"%s\" for table \"%s\" already exists", pn, S(J(p, "table"), "relname"));
		free(q), free(tabid), free(id), free(sch);
		return MSQL_ERR;
	}
	if (policy_columns(model_get(m, tabid), J(p, "qual"), cx) != 0
	    || policy_columns(model_get(m, tabid), J(p, "with_check"), cx) != 0) {
		free(q), free(tabid), free(id), free(sch);
		return MSQL_ERR;
	}
	if (!alter) {
		const char *cmd = S(p, "cmd_name");

		r = model_put(m, "policy", id);
		setstr(r, "schema", sch);
		setstr(r, "name", pn);
		setstr(r, "table", tabid);
		setstr(r, "command", cmd && !streq(cmd, "all") ? cmd : NULL);
		setbool(r, "restrictive", !B(p, "permissive"));
		prov(r, cx);
	}
	if (J(p, "roles"))
		policy_roles(r, J(p, "roles"));
	if (J(p, "qual"))
		set_expr(r, "using", J(p, "qual"), NULL, cx);
	if (J(p, "with_check"))
		set_expr(r, "check", J(p, "with_check"), NULL, cx);
	free(q), free(tabid), free(id), free(sch);
	return MSQL_OK;
}

/* Rule actions as the catalog keeps them (a new tree): an INSERT without a column list gets
   the target's first columns, one per value. */
static json_t *
rule_actions(const struct model *m, json_t *acts, const struct msql_ctx *cx)
{
	json_t *c = json_deep_copy(acts), *a;
	size_t i;

	json_array_foreach(c, i, a) {
		json_t *ins = N(a, "InsertStmt"), *sel, *cols, *vl, *tgt = ninner(a), *rv = J(tgt, "relation");
		const char *kind;
		size_t n = 0;
		char *q;

		/* the catalog names the target of INSERT/UPDATE/DELETE with its schema */
		if (rv && json_is_object(rv) && J(rv, "relname") && (N(a, "InsertStmt") || N(a, "UpdateStmt") ||
		    N(a, "DeleteStmt"))) {
			char *rq = resolve_rv(m, rv, K_TABLE, cx, NULL), *sch = unident(rq, qname_split(rq));

			json_object_set_new(rv, "schemaname", json_string(sch));
			free(rq);
			free(sch);
		}
		if (!ins || J(ins, "cols"))
			continue;
		sel = N(J(ins, "selectStmt"), "SelectStmt");
		if ((vl = J(sel, "valuesLists")))
			n = json_array_size(items(json_array_get(vl, 0)));
		else if (sel && streq(S(sel, "op"), "SETOP_NONE"))
			n = json_array_size(J(sel, "targetList"));
		q = resolve_rv(m, J(ins, "relation"), K_TABLE, cx, &kind);
		cols = rel_cols(m, q, kind);
		free(q);
		if (cols && n && n <= json_array_size(cols)) {
			json_t *l = json_array();

			for (size_t k = 0; k < n; k++)
				json_array_append_new(l, json_pack("{s:{s:O}}", "ResTarget", "name", json_array_get(cols, k)));
			json_object_set_new(ins, "cols", l);
		}
		json_decref(cols);
	}
	return c;
}

static char *rule_action_text(const struct msql_ctx *cx);

/* Whether a record of that kind names table tabid in its "table" field. */
static int
has_on_table(const struct model *m, const char *kind, const char *tabid)
{
	const char **ids = model_ids(m);
	size_t kl = strlen(kind);
	int hit = 0;

	for (size_t i = 0; ids[i] && !hit; i++)
		if (strncmp(ids[i], kind, kl) == 0 && ids[i][kl] == ':')
			hit = streq(S(model_get(m, ids[i]), "table"), tabid);
	free(ids);
	return hit;
}

/* Whether table t has a primary key, unique or exclusion constraint (each has an index). */
static int
index_backed_constraint(json_t *t)
{
	json_t *c;
	size_t i;

	json_array_foreach(J(t, "constraints"), i, c)
		if (streq(S(c, "type"), "primary key") || streq(S(c, "type"), "unique") || streq(S(c, "type"), "exclusion"))
			return 1;
	return 0;
}

/* Whether another table inherits from tabid or is a partition of it. */
static int
has_children(const struct model *m, const char *tabid)
{
	const char **ids = model_ids(m);
	int hit = 0;

	for (size_t i = 0; ids[i] && !hit; i++) {
		json_t *r = model_get(m, ids[i]), *e;
		size_t j;

		if (!starts(ids[i], "table:"))
			continue;
		hit = streq(S(r, "partition_of"), tabid);
		json_array_foreach(J(r, "inherits"), j, e)
			hit |= streq(json_string_value(e), tabid);
	}
	free(ids);
	return hit;
}

/* CREATE RULE ... ON SELECT: DefineQueryRewrite accepts only the view rule "_RETURN" (INSTEAD, one
   SELECT), and on a table turns the table into a view (pg_dump <= 9.x broke view cycles so; an
   empty table is assumed, the data is not the model's): the view with the table's comments, owner
   and grants. MSQL_OK, MSQL_ERR after the server's message, MSQL_UNMODELED. */
static int
select_rule(struct model *m, json_t *ru, const char *kind, const char *q, const struct msql_ctx *cx)
{
	json_t *acts = J(ru, "actions"), *t, *cols, *vs, *tc, *c;
	const char *rel = S(J(ru, "relation"), "relname");
	char *tabid = xasprintf("%s:%s", kind, q), *vid;
	const char *msg = NULL;
	size_t i;
	int rc;

	if (!B(ru, "instead") || json_array_size(acts) != 1 || !N(json_array_get(acts, 0), "SelectStmt"))
		msg = "rules on SELECT must have action INSTEAD SELECT";
	else if (J(ru, "whereClause"))
		msg = "event qualifications are not implemented for rules on SELECT";
	if (msg || !streq(kind, "table") || !(t = model_get(m, tabid))) {
		if (msg)
			err(cx, "%s", msg);
		free(tabid);
		return msg ? MSQL_ERR : MSQL_UNMODELED;
	}
	if (!streq(S(ru, "rulename"), "_RETURN"))
		err(cx, "view rule for \"%s\" must be named \"%s\"", rel, "_RETURN");
	else if (streq(S(t, "relkind"), "partitioned"))
		err(cx, "cannot convert partitioned table \"%s\" to a view", rel);
	else if (has_on_table(m, "trigger", tabid))
		err(cx, "could not convert table \"%s\" to a view because it has triggers", rel);
	else if (has_on_table(m, "index", tabid) || index_backed_constraint(t))
		err(cx, "could not convert table \"%s\" to a view because it has indexes", rel);
	else if (has_children(m, tabid))
		err(cx, "could not convert table \"%s\" to a view because it has child tables", rel);
	else if (json_array_size(J(t, "inherits")) || J(t, "partition_of"))
		err(cx, "could not convert table \"%s\" to a view because it has parent tables", rel);
	else if (B(t, "rls"))
		err(cx, "could not convert table \"%s\" to a view because it has row security enabled", rel);
	else if (has_on_table(m, "policy", tabid))
		err(cx, "could not convert table \"%s\" to a view because it has row security policies", rel);
	else
		msg = "";
	if (!msg) {
		free(tabid);
		return MSQL_ERR;
	}
	/* checkRuleResultList: the SELECT's output names are the table's columns, in order */
	cols = json_array();
	if (select_cols(m, N(json_array_get(acts, 0), "SelectStmt"), NULL, cols, cx) == 0) {
		tc = J(t, "columns");
		msg = NULL;
		if (json_array_size(cols) > json_array_size(tc))
			msg = "SELECT rule's target list has too many entries";
		else if (json_array_size(cols) < json_array_size(tc))
			msg = "SELECT rule's target list has too few entries";
		if (msg)
			err(cx, "%s", msg);
		else
			json_array_foreach(tc, i, c)
				if (!streq(S(c, "name"), json_string_value(json_array_get(cols, i)))) {
					err(cx, "SELECT rule's target entry %zu has different column name from column \"%s\"",
					    i + 1, S(c, "name"));
					msg = "";
					break;
				}
		if (msg) {
			json_decref(cols);
			free(tabid);
			return MSQL_ERR;
		}
	}
	json_decref(cols);
	vid = xasprintf("view:%s", q);
	model_del(m, tabid);
	msql_retarget(m, tabid, vid);
	vs = json_pack("{s:O, s:O, s:b, s:s}", "view", J(ru, "relation"), "query", json_array_get(acts, 0),
	    "replace", 0, "withCheckOption", "NO_CHECK_OPTION");
	rc = fold_view(m, vs, cx);
	json_decref(vs);
	if (rc == MSQL_OK && (t = model_get(m, vid)) != NULL) {
		/* the query's text: after DO INSTEAD */
		char *text = rule_action_text(cx);

		if (text)
			setstr(t, "query_sql", text);
		free(text);
	}
	free(vid), free(tabid);
	return rc;
}

/* The text of a rule's actions: after DO [ALSO|INSTEAD], without the final semicolon; NULL if none. */
static char *
rule_action_text(const struct msql_ctx *cx)
{
	struct toks ts, all;
	char *text = NULL;

	lex_all(cx->sql, 0, &ts, 0);
	lex_all(cx->sql, 0, &all, 1);
	for (size_t i = 0; i < ts.n; i++)
		if (tokis(cx->sql, &ts.v[i], "do")) {
			size_t b = i + 1, e = stmt_end(cx->sql, &all);

			if (b < ts.n && (tokis(cx->sql, &ts.v[b], "also") || tokis(cx->sql, &ts.v[b], "instead")))
				b++;
			if (b < ts.n && e > ts.v[b].b)
				text = xstrndup(cx->sql + ts.v[b].b, e - ts.v[b].b);
			break;
		}
	free(ts.v);
	free(all.v);
	return text;
}

static int
fold_rule(struct model *m, json_t *ru, const struct msql_ctx *cx)
{
	static const char *const ev[][2] = {{"CMD_SELECT", "select"}, {"CMD_INSERT", "insert"},
		{"CMD_UPDATE", "update"}, {"CMD_DELETE", "delete"}};
	const char *kind, *rn = S(ru, "rulename");
	char *q = resolve_rv(m, J(ru, "relation"), K_TABLE, cx, &kind), *tabid = xasprintf("%s:%s", kind, q);
	char *ni = model_ident(rn), *id = xasprintf("rule:%s.%s", q, ni), *sch = unident(q, qname_split(q));
	json_t *r, *acts = J(ru, "actions");

	free(ni);
	if (streq(S(ru, "event"), "CMD_SELECT")) {
		int rc = select_rule(m, ru, kind, q, cx);

		free(q), free(tabid), free(id), free(sch);
		return rc;
	}
	if (model_get(m, id) && !B(ru, "replace")) {
		err(cx, "rule \"%s\" for relation \"%s\" already exists", rn, S(J(ru, "relation"), "relname"));
		free(q), free(tabid), free(id), free(sch);
		return MSQL_ERR;
	}
	r = model_put(m, "rule", id);
	setstr(r, "schema", sch);
	setstr(r, "name", rn);
	setstr(r, "table", tabid);
	for (size_t i = 0; i < 4; i++)
		if (streq(S(ru, "event"), ev[i][0]))
			setstr(r, "event", ev[i][1]);
	setbool(r, "instead", B(ru, "instead"));
	if (J(ru, "whereClause"))
		set_expr(r, "where", J(ru, "whereClause"), NULL, cx);
	if (json_array_size(acts)) {
		/* the action list: normalized as one array node; the text after DO [ALSO|INSTEAD] */
		char *text = rule_action_text(cx);

		acts = rule_actions(m, acts, cx);
		set_expr(r, "actions", acts, text ? text : xstrdup(""), cx);
		json_decref(acts);
	}
	prov(r, cx);
	free(q), free(tabid), free(id), free(sch);
	return MSQL_OK;
}

/* ---- publications ---- */

static int
cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

/* Sort an array of strings and drop duplicates. */
static void
sort_strs(json_t *a)
{
	size_t n = json_array_size(a), k = 0;
	json_t **v = xcalloc(n ? n : 1, sizeof *v);

	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof *v, cmp_json_str);
	json_array_clear(a);
	for (size_t i = 0; i < n; i++) {
		if (k && json_equal(v[i], json_array_get(a, k - 1))) {
			json_decref(v[i]);
			continue;
		}
		json_array_append_new(a, v[i]);
		k++;
	}
	free(v);
}

/* The options of CREATE/ALTER PUBLICATION into r: 0, -1 for an option the model lacks, -2 after
   the server's message for a publish value it does not know. */
static int
pub_opts(json_t *r, json_t *opts, const struct msql_ctx *cx)
{
	json_t *d;
	size_t i;

	json_array_foreach(opts, i, d) {
		json_t *de = N(d, "DefElem");
		const char *k = S(de, "defname");

		if (streq(k, "publish")) {
			static const char *const all[] = {"insert", "update", "delete", "truncate"};
			const char *v = sval(J(de, "arg"));
			json_t *p = json_array();
			int have[4] = {0};

			for (const char *s = v ? v : ""; *s;) {
				size_t n;

				while (*s == ' ' || *s == ',')
					s++;
				n = strcspn(s, ", ");
				size_t j = 0;

				while (j < 4 && !(strlen(all[j]) == n && strncasecmp(s, all[j], n) == 0))
					j++;
				if (n && j == 4) {
					err(cx, "unrecognized value for publication option \"publish\": \"%.*s\"", (int)n, s);
					json_decref(p);
					return -2;
				}
				if (n)
					have[j] = 1;
				s += n;
			}
			for (size_t j = 0; j < 4; j++)
				if (have[j])
					json_array_append_new(p, json_string(all[j]));
			if (json_array_size(p) == 4)
				json_object_del(r, "publish");
			else
				json_object_set(r, "publish", p);
			json_decref(p);
		} else if (streq(k, "publish_via_partition_root")) {
			setbool(r, "via_root", opt_bool(J(de, "arg")));
		} else {
			return -1;
		}
	}
	return 0;
}

static void arr_del(json_t *a, const char *s);
static json_t *arr_of(json_t *rec, const char *k);

/* The position of a filter of table tid in a publication's filters (-1: none). */
static long
pub_filter_at(json_t *filters, const char *tid)
{
	json_t *f;
	size_t i;

	json_array_foreach(filters, i, f)
		if (streq(S(f, "table"), tid))
			return (long)i;
	return -1;
}

static int
cmp_filter(const void *a, const void *b)
{
	return strcmp(S(*(json_t *const *)a, "table"), S(*(json_t *const *)b, "table"));
}

/* A publication record in canonical shape: tables, schemas and filters sorted, empty ones gone. */
static void
pub_tidy(json_t *r)
{
	static const char *const ks[] = {"tables", "schemas", "filters"};
	json_t *f = J(r, "filters");
	size_t n = json_array_size(f);

	if (n > 1)
		jsonl_sort(f, cmp_filter);
	sort_strs(J(r, "tables"));
	sort_strs(J(r, "schemas"));
	for (size_t i = 0; i < 3; i++)
		if (J(r, ks[i]) && !json_array_size(J(r, ks[i])))
			json_object_del(r, ks[i]);
}

/* model_mentions: collect the id of a publication. */
static int
add_pub(const char *id, json_t *rec, void *arg)
{
	(void)rec;
	if (starts(id, "publication:"))
		strv_add(arg, id);
	return 0;
}

/* A table, schema or column was renamed, moved or dropped (new_id NULL): the publications' filters
   follow it (a renamed column in its column list and its row filter), and tables and schemas stay
   sorted. */
static void
pub_retarget(struct model *m, const char *old_id, const char *new_id)
{
	struct strv all = {0};
	char *tid = NULL, *ocol = NULL, *ncol = NULL;

	if (starts(old_id, "column:")) {
		/* column:S.T.C: the column is the last dotted part outside quotes */
		const char *rest = id_rest(old_id);
		size_t cut = 0;

		for (size_t i = 0, inq = 0; rest[i]; i++) {
			if (rest[i] == '"')
				inq = !inq;
			else if (rest[i] == '.' && !inq)
				cut = i;
		}
		tid = xasprintf("table:%.*s", (int)cut, rest);
		ocol = unident(rest + cut + 1, strlen(rest + cut + 1));
		if (new_id) {
			const char *nrest = id_rest(new_id);

			ncol = unident(nrest + cut + 1, strlen(nrest + cut + 1));
		}
	}
	/* the publications that name the thing (a filter on it, or the new name in tables or schemas),
	   and those rewrite_refs changed (the model reads them live): no other one changes */
	model_mentions(m, tid ? tid : old_id, add_pub, &all);
	if (new_id)
		model_mentions(m, new_id, add_pub, &all);
	if (all.n > 1)
		qsort(all.v, all.n, sizeof *all.v, cmp_strp);
	for (size_t i = 0; i < all.n; i++) {
		json_t *r;
		long at;

		if (i > 0 && streq(all.v[i], all.v[i - 1]))
			continue;
		r = model_get(m, all.v[i]);
		if (tid && (at = pub_filter_at(J(r, "filters"), tid)) >= 0) {
			json_t *cols = J(json_array_get(J(r, "filters"), (size_t)at), "columns"), *c;
			size_t k;

			json_array_foreach(cols, k, c)
				if (streq(json_string_value(c), ocol)) {
					if (ncol)
						json_string_set(c, ncol);
					else
						json_array_remove(cols, k);
					break;
				}
			if (ncol)
				msql_rename_in_expr(json_array_get(J(r, "filters"), (size_t)at), "where", ocol, ncol);
		} else if (!tid && (at = pub_filter_at(J(r, "filters"), old_id)) >= 0) {
			if (new_id)
				setstr(json_array_get(J(r, "filters"), (size_t)at), "table", new_id);
			else
				json_array_remove(J(r, "filters"), (size_t)at);
		}
		pub_tidy(r);
	}
	strv_free(&all);
	free(tid), free(ocol), free(ncol);
}

/* The tables that inherit from tid, at any depth, into out (a publication of a table without ONLY
   takes them too, with its row filter and column list; partitions are not children here: a
   partitioned table is published itself). */
static void
inh_children(const struct model *m, const char *tid, struct strv *out)
{
	const char **ids = model_ids(m);
	struct strv kids = {0};

	for (size_t i = 0; ids[i]; i++)
		if (starts(ids[i], "table:") && arr_has(J(model_get(m, ids[i]), "inherits"), tid))
			strv_add(&kids, ids[i]);
	free(ids);
	for (size_t i = 0; i < kids.n; i++) {
		int seen = 0;

		for (size_t k = 0; k < out->n && !seen; k++)
			seen = streq(out->v[k], kids.v[i]);
		if (!seen) {
			strv_add(out, kids.v[i]);
			inh_children(m, kids.v[i], out);
		}
	}
	strv_free(&kids);
}

/* The column list of a publication's table in the table's column order (the catalog keeps the
   attribute numbers); NULL after the server's message for a column the table lacks, a system or
   generated column, or one named twice (checked column by column, as PostgreSQL does). */
static json_t *
pub_columns(json_t *tab, json_t *cols, const struct msql_ctx *cx)
{
	static const char *const sys[] = {"ctid", "xmin", "cmin", "xmax", "cmax", "tableoid", NULL};
	json_t *out = json_array(), *c, *e;
	size_t i, j;

	json_array_foreach(cols, i, c) {
		const char *n = sval(c);
		json_t *col = NULL;

		json_array_foreach(J(tab, "columns"), j, e)
			if (streq(S(e, "name"), n))
				col = e;
		for (j = 0; !col && sys[j]; j++)
			if (streq(sys[j], n)) {
				err(cx, "cannot use system column \"%s\" in publication column list", n);
				goto fail;
			}
		if (!col) {
			err(cx, "column \"%s\" of relation \"%s\" does not exist", n, S(tab, "name"));
			goto fail;
		}
		if (J(col, "generated")) {
			err(cx, "cannot use generated column \"%s\" in publication column list", n);
			goto fail;
		}
		for (j = 0; j < i; j++)
			if (streq(sval(json_array_get(cols, j)), n)) {
				err(cx, "duplicate column \"%s\" in publication column list", n);
				goto fail;
			}
	}
	json_array_foreach(J(tab, "columns"), i, e)
		json_array_foreach(cols, j, c)
			if (streq(S(e, "name"), sval(c)))
				json_array_append_new(out, json_string(S(e, "name")));
	return out;
fail:
	json_decref(out);
	return NULL;
}

/* The objects of CREATE/ALTER PUBLICATION: tabs gets {table, columns?, where?} per table (its
   inheritance children included), schemas the schema ids. drop: ALTER ... DROP (no filters).
   via_root: whether the publication publishes through the partition root (a row filter on a
   partitioned table needs it). In PostgreSQL's order: every table is found first (and told apart
   from a table named twice), then each is checked and its column list read. MSQL_OK,
   MSQL_UNMODELED, or MSQL_ERR after the server's message. */
static int
pub_objects(const struct model *m, const char *pub, json_t *objs, int drop, int via_root, json_t *tabs,
    json_t *schemas, const struct msql_ctx *cx)
{
	json_t *o, *named = json_array(), *f;
	size_t i;
	int rc = MSQL_OK;

	json_array_foreach(objs, i, o) {
		json_t *ps = N(o, "PublicationObjSpec"), *pt = J(ps, "pubtable"), *rv, *tab;
		const char *ot = S(ps, "pubobjtype"), *kind = NULL;
		char *q, *id;
		size_t k;

		if (streq(ot, "PUBLICATIONOBJ_TABLES_IN_SCHEMA") || streq(ot, "PUBLICATIONOBJ_TABLES_IN_CUR_SCHEMA")) {
			const char *sn = S(ps, "name");

			if (!sn) {
				/* CURRENT_SCHEMA: the first schema of the path that exists */
				for (k = 0; k < cx->sp->schemas.n && !sn; k++) {
					char *si = model_ident(cx->sp->schemas.v[k]), *sid = xasprintf("schema:%s", si);

					if (model_get(m, sid) || system_schema(cx->sp->schemas.v[k]))
						sn = cx->sp->schemas.v[k];
					free(si), free(sid);
				}
				if (!sn) {
					rc = err(cx, "no schema has been selected for CURRENT_SCHEMA");
					goto out;
				}
			}
			if (streq(sn, "pg_catalog") || streq(sn, "pg_toast")) {
				rc = err(cx, "cannot add schema \"%s\" to publication", sn);
				goto out;
			}
			if (system_schema(sn)) {
				rc = MSQL_UNMODELED;
				goto out;
			}
			q = model_ident(sn), id = xasprintf("schema:%s", q);
			free(q);
			if (!model_get(m, id)) {
				free(id);
				rc = err(cx, "schema \"%s\" does not exist", sn);
				goto out;
			}
			json_array_append_new(schemas, json_string(id));
			free(id);
			continue;
		}
		if (!streq(ot, "PUBLICATIONOBJ_TABLE") || !pt) {
			rc = MSQL_UNMODELED;
			goto out;
		}
		rv = N(J(pt, "relation"), "RangeVar") ? N(J(pt, "relation"), "RangeVar") : J(pt, "relation");
		q = resolve_rv(m, rv, K_REL, cx, &kind);
		id = xasprintf("%s:%s", kind, q);
		free(q);
		tab = model_get(m, id);
		if (!tab) {
			int out = outside(m, S(rv, "schemaname"), S(rv, "relname"), 1, cx);

			free(id);
			rc = out ? MSQL_UNMODELED : err(cx, "relation \"%s\" does not exist", S(rv, "relname"));
			goto out;
		}
		if (drop && J(pt, "whereClause")) {
			free(id);
			rc = err(cx, "cannot use a WHERE clause when removing a table from a publication");
			goto out;
		}
		if (drop && J(pt, "columns")) {
			free(id);
			rc = err(cx, "column list must not be specified in ALTER PUBLICATION ... DROP");
			goto out;
		}
		/* a table named twice: once is enough, unless either names a row filter or columns */
		for (k = 0; k < json_array_size(named); k++) {
			json_t *prev = json_array_get(named, k);

			if (!streq(S(prev, "id"), id))
				continue;
			free(id);
			id = NULL;
			if (J(pt, "whereClause") || J(J(prev, "pt"), "whereClause")) {
				rc = err(cx, "conflicting or redundant WHERE clauses for table \"%s\"", S(rv, "relname"));
				goto out;
			}
			if (J(pt, "columns") || J(J(prev, "pt"), "columns")) {
				rc = err(cx, "conflicting or redundant column lists for table \"%s\"", S(rv, "relname"));
				goto out;
			}
			break;
		}
		if (!id)
			continue;
		json_array_append_new(named, json_pack("{s:s, s:s, s:O, s:O}", "id", id, "kind", kind, "pt", pt, "rv", rv));
		free(id);
	}
	json_array_foreach(named, i, f) {
		json_t *pt = J(f, "pt"), *rv = J(f, "rv"), *tab = model_get(m, S(f, "id")), *cols;
		struct strv all = {0};

		if (!streq(S(f, "kind"), "table") || streq(S(tab, "relkind"), "foreign") || B(tab, "unlogged")) {
			rc = err(cx, "cannot add relation \"%s\" to publication", S(rv, "relname"));
			goto out;
		}
		if (J(pt, "whereClause") && streq(S(tab, "relkind"), "partitioned") && !via_root) {
			rc = err(cx, "cannot use publication WHERE clause for relation \"%s\"", S(rv, "relname"));
			goto out;
		}
		if (J(pt, "columns") && !drop && streq(S(tab, "relkind"), "partitioned") && !via_root) {
			rc = err(cx, "cannot use column list for relation \"%s.%s\" in publication \"%s\"", S(tab, "schema"),
			    S(tab, "name"), pub);
			goto out;
		}
		strv_add(&all, S(f, "id"));
		if (B(rv, "inh"))
			inh_children(m, S(f, "id"), &all);
		for (size_t k = 0; k < all.n; k++) {
			json_t *t = json_pack("{s:s}", "table", all.v[k]);

			if (J(pt, "columns")) {
				cols = pub_columns(model_get(m, all.v[k]), J(pt, "columns"), cx);
				if (!cols) {
					json_decref(t);
					strv_free(&all);
					rc = MSQL_ERR;
					goto out;
				}
				json_object_set_new(t, "columns", cols);
			}
			if (J(pt, "whereClause"))
				set_expr(t, "where", J(pt, "whereClause"), NULL, cx);
			json_array_append_new(tabs, t);
		}
		strv_free(&all);
	}
out:
	json_decref(named);
	return rc;
}

/* Put the tables of tabs into the publication r (ALTER ... ADD, or after SET/CREATE emptied it);
   MSQL_ERR after the server's message for one already there. */
static int
pub_add(json_t *r, json_t *tabs, int check, const struct msql_ctx *cx)
{
	json_t *t;
	size_t i;

	json_array_foreach(tabs, i, t) {
		const char *tid = S(t, "table");

		if (arr_has(J(r, "tables"), tid)) {
			if (check) {
				char *n = unident(id_rest(tid) + qname_split(id_rest(tid)) + 1,
				    strlen(id_rest(tid) + qname_split(id_rest(tid)) + 1));

				err(cx, "relation \"%s\" is already member of publication \"%s\"", n, S(r, "name"));
				free(n);
				return MSQL_ERR;
			}
			continue;
		}
		json_array_append_new(arr_of(r, "tables"), json_string(tid));
		if (J(t, "columns") || J(t, "where_sql"))
			json_array_append_new(arr_of(r, "filters"), json_deep_copy(t));
	}
	return MSQL_OK;
}

static int
fold_publication(struct model *m, json_t *p, const struct msql_ctx *cx, int alter)
{
	char *ni = model_ident(S(p, "pubname")), *id = xasprintf("publication:%s", ni);
	json_t *r = model_get(m, id), *tabs = json_array(), *schs = json_array(), *objs = J(p, "pubobjects");
	json_t *nr, *t;
	const char *act = S(p, "action");
	int rc = MSQL_OK, drop = alter && streq(act, "AP_DropObjects");
	size_t i;

	free(ni);
	if (alter ? !r : r != NULL) {
		rc = err(cx, alter ? "publication \"%s\" does not exist" : "publication \"%s\" already exists",
		    S(p, "pubname"));
		goto out;
	}
	/* the new state is built on a copy: a statement PostgreSQL refuses changes nothing */
	nr = alter ? json_deep_copy(r) : json_pack("{s:s, s:s, s:s}", "kind", "publication", "id", id, "name",
	    S(p, "pubname"));
	if (!alter)
		setbool(nr, "all_tables", B(p, "for_all_tables"));
	if ((rc = pub_opts(nr, J(p, "options"), cx)) < 0) {
		json_decref(nr);
		rc = rc == -2 ? MSQL_ERR : MSQL_UNMODELED;
		goto out;
	}
	if ((rc = pub_objects(m, S(p, "pubname"), objs, drop, B(nr, "via_root"), tabs, schs, cx)) != MSQL_OK)
		goto drop_nr;
	if (alter && !objs && B(r, "via_root") && !B(nr, "via_root")) {
		/* the row filters and column lists of partitioned tables need it */
		json_t *f;

		json_array_foreach(J(nr, "filters"), i, f)
			if (streq(S(model_get(m, S(f, "table")), "relkind"), "partitioned")) {
				rc = err(cx, "cannot set parameter \"publish_via_partition_root\" to false for publication \"%s\"",
				    S(p, "pubname"));
				goto drop_nr;
			}
	}
	if (alter && objs && B(nr, "all_tables")) {
		rc = err(cx, "publication \"%s\" is defined as FOR ALL TABLES", S(p, "pubname"));
		goto drop_nr;
	}
	if (!alter || (streq(act, "AP_SetObjects") && objs)) {
		json_object_del(nr, "tables");
		json_object_del(nr, "filters");
		json_object_del(nr, "schemas");
	}
	if (drop) {
		json_array_foreach(tabs, i, t) {
			const char *tid = S(t, "table");
			long at = pub_filter_at(J(nr, "filters"), tid);

			if (!arr_has(J(nr, "tables"), tid)) {
				char *n = unident(id_rest(tid) + qname_split(id_rest(tid)) + 1,
				    strlen(id_rest(tid) + qname_split(id_rest(tid)) + 1));

				rc = err(cx, "relation \"%s\" is not part of the publication", n);
				free(n);
				goto drop_nr;
			}
			arr_del(J(nr, "tables"), tid);
			if (at >= 0)
				json_array_remove(J(nr, "filters"), (size_t)at);
		}
		json_array_foreach(schs, i, t) {
			if (!arr_has(J(nr, "schemas"), json_string_value(t))) {
				rc = err(cx, "tables from schema \"%s\" are not part of the publication",
				    S(model_get(m, json_string_value(t)), "name"));
				goto drop_nr;
			}
			arr_del(J(nr, "schemas"), json_string_value(t));
		}
	} else {
		int add = alter && streq(act, "AP_AddObjects");

		if ((rc = pub_add(nr, tabs, add, cx)) != MSQL_OK)
			goto drop_nr;
		json_array_foreach(schs, i, t) {
			if (arr_has(J(nr, "schemas"), json_string_value(t))) {
				if (!add)
					continue;
				rc = err(cx, "schema \"%s\" is already member of publication \"%s\"",
				    S(model_get(m, json_string_value(t)), "name"), S(p, "pubname"));
				goto drop_nr;
			}
			json_array_append(arr_of(nr, "schemas"), t);
		}
		/* column lists and schemas do not mix (PostgreSQL 15) */
		if (json_array_size(J(nr, "schemas"))) {
			json_t *f;

			json_array_foreach(J(nr, "filters"), i, f) {
				const char *tid = S(f, "table");
				json_t *tr = model_get(m, tid);

				if (!J(f, "columns"))
					continue;
				if (pub_filter_at(tabs, tid) >= 0)
					rc = err(cx, "cannot use column list for relation \"%s.%s\" in publication \"%s\"",
					    S(tr, "schema"), S(tr, "name"), S(p, "pubname"));
				else
					rc = err(cx, "cannot add schema to publication \"%s\"", S(p, "pubname"));
				goto drop_nr;
			}
		}
	}
	pub_tidy(nr);
	if (!alter)
		prov(nr, cx);
	model_add(m, nr);
	goto out;
drop_nr:
	json_decref(nr);
out:
	json_decref(tabs);
	json_decref(schs);
	free(id);
	return rc;
}

/* ---- GRANT and REVOKE ---- */

/* Every privilege of a kind of object (what ALL means). */
static const char *const *
all_privs(const char *id)
{
	static const char *const tab[] = {"DELETE", "INSERT", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE", NULL};
	static const char *const col[] = {"INSERT", "REFERENCES", "SELECT", "UPDATE", NULL};
	static const char *const seq[] = {"SELECT", "UPDATE", "USAGE", NULL};
	static const char *const fn[] = {"EXECUTE", NULL};
	static const char *const sch[] = {"CREATE", "USAGE", NULL};
	static const char *const typ[] = {"USAGE", NULL};

	if (starts(id, "column:"))
		return col;
	if (starts(id, "sequence:"))
		return seq;
	if (starts(id, "function:") || starts(id, "procedure:") || starts(id, "aggregate:"))
		return fn;
	if (starts(id, "schema:"))
		return sch;
	if (starts(id, "type:") || starts(id, "domain:"))
		return typ;
	return tab;
}

/* Whether PUBLIC holds priv on id by PostgreSQL's built-in defaults. */
static int
builtin_public(const char *id, const char *priv)
{
	if (streq(priv, "EXECUTE"))
		return starts(id, "function:") || starts(id, "procedure:") || starts(id, "aggregate:");
	if (streq(priv, "USAGE"))
		return starts(id, "type:") || starts(id, "domain:") || streq(id, "schema:public");
	return 0;
}

static int
arr_has(json_t *a, const char *s)
{
	json_t *e;
	size_t i;

	json_array_foreach(a, i, e)
		if (streq(json_string_value(e), s))
			return 1;
	return 0;
}

static void
arr_del(json_t *a, const char *s)
{
	for (size_t i = 0; i < json_array_size(a);)
		if (streq(json_string_value(json_array_get(a, i)), s))
			json_array_remove(a, i);
		else
			i++;
}

/* The array rec[k], created when absent. */
static json_t *
arr_of(json_t *rec, const char *k)
{
	json_t *a = J(rec, k);

	if (!a) {
		a = json_array();
		json_object_set_new(rec, k, a);
	}
	return a;
}

/* Grant or revoke privs on one object to one grantee. */
static void
grant_one(struct model *m, const char *on, const char *grantee, json_t *privs, int is_grant, int opt,
    const struct msql_ctx *cx)
{
	char *id = grant_id(on, grantee), *oid;
	json_t *r = model_get(m, id), *p, *own;
	size_t i;

	/* the owner's own privileges are no records (the owner of a column is its table's) */
	oid = starts(on, "column:") ? NULL : xasprintf("owner:%s", on);
	if (!oid) {
		const char *rest = on + strlen("column:");
		size_t cut = strlen(rest);

		while (cut > 0 && rest[cut - 1] != '.')
			cut--; /* a quoted column name with a dot is not told apart: rare */
		oid = xasprintf("owner:table:%.*s", (int)(cut ? cut - 1 : 0), rest);
	}
	own = model_get(m, oid);
	free(oid);
	if (own ? streq(S(own, "owner"), grantee) : streq(session_role(), grantee)) {
		free(id);
		return;
	}
	if (!r) {
		r = model_put(m, "grant", id);
		setstr(r, "on", on);
		setstr(r, "grantee", grantee);
		prov(r, cx);
	}
	json_array_foreach(privs, i, p) {
		const char *w = json_string_value(p);
		int dflt = streq(grantee, "PUBLIC") && builtin_public(on, w);

		if (is_grant) {
			if (dflt) {
				arr_del(arr_of(r, "revoked"), w);
			} else {
				if (!opt && !arr_has(arr_of(r, "privileges"), w))
					json_array_append_new(J(r, "privileges"), json_string(w));
				if (opt && !arr_has(arr_of(r, "privileges"), w))
					json_array_append_new(J(r, "privileges"), json_string(w));
			}
			if (opt && !arr_has(arr_of(r, "grantable"), w))
				json_array_append_new(J(r, "grantable"), json_string(w));
		} else {
			arr_del(arr_of(r, "grantable"), w);
			if (!opt) {
				arr_del(arr_of(r, "privileges"), w);
				if (dflt && !arr_has(arr_of(r, "revoked"), w))
					json_array_append_new(J(r, "revoked"), json_string(w));
			}
		}
	}
	{
		static const char *const ks[] = {"privileges", "grantable", "revoked"};
		int any = 0;

		for (i = 0; i < 3; i++) {
			json_t *a = J(r, ks[i]);

			if (a && json_array_size(a)) {
				sort_strs(a);
				any = 1;
			} else {
				json_object_del(r, ks[i]);
			}
		}
		if (!any)
			model_del(m, id);
	}
	free(id);
}

/* The ids of the objects in a schema for GRANT ... ON ALL ... IN SCHEMA. */
static void
all_in_schema(const struct model *m, const char *ot, const char *schema, struct strv *out)
{
	static const char *const tk[] = {"table:", "view:", "matview:", NULL};
	static const char *const sk[] = {"sequence:", NULL};
	/* FUNCTIONS are every routine but procedures: aggregates too */
	static const char *const fk[] = {"function:", "aggregate:", NULL};
	static const char *const pk[] = {"procedure:", NULL};
	static const char *const rk[] = {"function:", "procedure:", "aggregate:", NULL};
	const char *const *kinds = streq(ot, "OBJECT_SEQUENCE") ? sk : streq(ot, "OBJECT_FUNCTION") ? fk :
	    streq(ot, "OBJECT_PROCEDURE") ? pk : streq(ot, "OBJECT_ROUTINE") ? rk : tk;
	const char **ids = model_ids(m);
	char *si = model_ident(schema);

	for (size_t i = 0; ids[i]; i++)
		for (size_t k = 0; kinds[k]; k++) {
			size_t kl = strlen(kinds[k]), sl = strlen(si);

			if (starts(ids[i], kinds[k]) && strncmp(ids[i] + kl, si, sl) == 0 && ids[i][kl + sl] == '.' &&
			    streq(S(model_get(m, ids[i]), "schema"), schema))
				strv_add(out, ids[i]);
		}
	free(si);
	free(ids);
}

static int
fold_grant(struct model *m, json_t *g, const struct msql_ctx *cx)
{
	const char *ot = S(g, "objtype"), *tt = S(g, "targtype");
	int is_grant = B(g, "is_grant"), opt = B(g, "grant_option"), rc = MSQL_OK, cur;
	struct strv targets = {0}, grantees = {0};
	json_t *o, *ap;
	size_t i;

	json_array_foreach(J(g, "grantees"), i, o) {
		strv_add(&grantees, role_name(o, &cur));
	}
	if (streq(tt, "ACL_TARGET_ALL_IN_SCHEMA")) {
		json_array_foreach(J(g, "objects"), i, o)
			all_in_schema(m, ot, sval(o), &targets);
	} else if (streq(tt, "ACL_TARGET_OBJECT")) {
		json_array_foreach(J(g, "objects"), i, o) {
			int unm = 0;
			char *id = NULL;

			if (streq(ot, "OBJECT_TABLE") || streq(ot, "OBJECT_SEQUENCE")) {
				const char *kind;
				char *q = resolve_rv(m, o, streq(ot, "OBJECT_TABLE") ? K_REL : (const char *const[]){"sequence", NULL},
				    cx, &kind);

				id = xasprintf("%s:%s", kind, q);
				free(q);
			} else {
				id = target_id(m, ot, o, cx, &unm);
			}
			if (!id) {
				rc = unm ? MSQL_UNMODELED : MSQL_ERR;
				goto out;
			}
			if ((rc = target_check(m, ot, o, id, cx)) != MSQL_OK) {
				free(id);
				goto out;
			}
			strv_take(&targets, id);
		}
	} else {
		rc = MSQL_UNMODELED;
		goto out;
	}
	for (size_t t = 0; t < targets.n; t++) {
		/* column privileges name columns the relation has (checked before anything changes) */
		json_t *rel = model_get(m, targets.v[t]), *c;
		size_t j;

		json_array_foreach(J(g, "privileges"), i, ap)
			json_array_foreach(J(N(ap, "AccessPriv"), "cols"), j, c)
				if (rel && is_relkind(targets.v[t]) && !has_column(rel, sval(c))) {
					rc = err(cx, "column \"%s\" of relation \"%s\" does not exist", sval(c), S(rel, "name"));
					goto out;
				}
	}
	for (size_t t = 0; t < targets.n; t++) {
		const char *on = targets.v[t];
		json_t *privs = json_array();

		if (!J(g, "privileges")) {
			for (const char *const *p = all_privs(on); *p; p++)
				json_array_append_new(privs, json_string(*p));
		}
		json_array_foreach(J(g, "privileges"), i, ap) {
			json_t *a = N(ap, "AccessPriv"), *c;
			const char *pn = S(a, "priv_name");
			char *up = pn ? xstrdup(pn) : NULL;
			size_t j;

			for (char *x = up; x && *x; x++)
				if (*x >= 'a' && *x <= 'z')
					*x -= 'a' - 'A';
			if (up && (streq(up, "TEMP") || streq(up, "TEMPORARY") || streq(up, "CONNECT"))) {
				free(up);
				json_decref(privs);
				rc = MSQL_UNMODELED;
				goto out;
			}
			if (J(a, "cols")) {
				/* column privileges: one target per column */
				json_array_foreach(J(a, "cols"), j, c) {
					char *ci = model_ident(sval(c)), *cid = xasprintf("column:%s.%s", id_rest(on), ci);
					json_t *cp = json_array();

					if (up)
						json_array_append_new(cp, json_string(up));
					else
						for (const char *const *p = all_privs(cid); *p; p++)
							json_array_append_new(cp, json_string(*p));
					for (size_t k = 0; k < grantees.n; k++)
						grant_one(m, cid, grantees.v[k], cp, is_grant, opt, cx);
					json_decref(cp);
					free(ci);
					free(cid);
				}
			} else if (up && streq(up, "ALL")) {
				for (const char *const *p = all_privs(on); *p; p++)
					json_array_append_new(privs, json_string(*p));
			} else if (up) {
				json_array_append_new(privs, json_string(up));
			}
			free(up);
		}
		for (size_t k = 0; k < grantees.n && json_array_size(privs); k++) {
			grant_one(m, on, grantees.v[k], privs, is_grant, opt, cx);
			if (!is_grant && is_relkind(on)) {
				/* revoking a table privilege revokes it on every column too */
				char *pre = xasprintf("grant:column:%s.", id_rest(on));
				const char **ids = model_ids(m);
				struct strv cols = {0};

				for (size_t j = 0; ids[j]; j++)
					if (starts(ids[j], pre) && streq(S(model_get(m, ids[j]), "grantee"), grantees.v[k]))
						strv_add(&cols, S(model_get(m, ids[j]), "on"));
				free(ids);
				for (size_t j = 0; j < cols.n; j++)
					grant_one(m, cols.v[j], grantees.v[k], privs, 0, opt, cx);
				strv_free(&cols);
				free(pre);
			}
		}
		json_decref(privs);
	}
out:
	strv_free(&targets);
	strv_free(&grantees);
	return rc;
}

/* ---- ALTER DEFAULT PRIVILEGES ---- */

/* pg_default_acl as records: default_acl:ROLE:SCHEMA:OBJECTS (SCHEMA empty for the role's entry
   for every schema, which stands for the built-in defaults; a schema's entry adds to it), field
   grants [{grantee, privileges, grantable, revoked}] relative to the built-in defaults of the
   global entry (nothing for a schema's). The objects a role creates afterwards get them, as
   PostgreSQL applies them at creation. */

static const char *const dacl_words[] = {"tables", "sequences", "functions", "types", "schemas"};
static const char dacl_kinds[] = "rSfTn";

/* The pg_default_acl object type of a model id ('r', 'S', 'f', 'T', 'n'), 0 when none applies. */
static char
dacl_kind(const char *id)
{
	if (starts(id, "table:") || starts(id, "view:") || starts(id, "matview:"))
		return 'r';
	if (starts(id, "sequence:"))
		return 'S';
	if (starts(id, "function:") || starts(id, "procedure:") || starts(id, "aggregate:"))
		return 'f';
	if (starts(id, "type:") || starts(id, "domain:"))
		return 'T';
	if (starts(id, "schema:"))
		return 'n';
	return 0;
}

/* The id of the default_acl record of role for kind in schema (NULL: every schema). */
static char *
dacl_id(const char *role, const char *schema, char kind)
{
	char *r = model_ident(role), *s = schema ? model_ident(schema) : xstrdup("");
	char *id = xasprintf("default_acl:%s:%s:%s", r, s, dacl_words[strchr(dacl_kinds, kind) - dacl_kinds]);

	free(r), free(s);
	return id;
}

/* An object id of the kind, for all_privs and builtin_public. */
static const char *
dacl_sample(char kind)
{
	return kind == 'r' ? "table:" : kind == 'S' ? "sequence:" : kind == 'f' ? "function:" :
	    kind == 'T' ? "type:" : "schema:";
}

static int
cmp_grantee(const void *a, const void *b)
{
	return strcmp(S(*(json_t *const *)a, "grantee"), S(*(json_t *const *)b, "grantee"));
}

/* GRANT or REVOKE privs (NULL: ALL) for grantee in the default_acl record r (as grant_one does to
   an object's ACL); global: the entry for every schema, whose base is the built-in defaults. */
static void
dacl_change(json_t *r, char kind, int global, const char *grantee, json_t *privs, int is_grant, int opt)
{
	json_t *e = NULL, *x, *p;
	size_t i;

	json_array_foreach(arr_of(r, "grants"), i, x)
		if (streq(S(x, "grantee"), grantee))
			e = x;
	if (!e) {
		e = json_pack("{s:s}", "grantee", grantee);
		json_array_append_new(J(r, "grants"), e);
	}
	p = privs ? json_incref(privs) : json_array();
	if (!privs)
		for (const char *const *w = all_privs(dacl_sample(kind)); *w; w++)
			json_array_append_new(p, json_string(*w));
	json_array_foreach(p, i, x) {
		const char *w = json_string_value(x);
		int dflt = global && streq(grantee, "PUBLIC") && builtin_public(dacl_sample(kind), w) &&
		    !streq(dacl_sample(kind), "schema:");

		if (is_grant) {
			if (dflt)
				arr_del(arr_of(e, "revoked"), w);
			else if (!arr_has(arr_of(e, "privileges"), w))
				json_array_append_new(J(e, "privileges"), json_string(w));
			if (opt && !arr_has(arr_of(e, "grantable"), w))
				json_array_append_new(J(e, "grantable"), json_string(w));
		} else {
			arr_del(arr_of(e, "grantable"), w);
			if (!opt) {
				arr_del(arr_of(e, "privileges"), w);
				if (dflt && !arr_has(arr_of(e, "revoked"), w))
					json_array_append_new(J(e, "revoked"), json_string(w));
			}
		}
	}
	json_decref(p);
	/* canonical: arrays sorted, empty ones and empty entries gone, entries by grantee */
	for (i = 0; i < json_array_size(J(r, "grants"));) {
		static const char *const ks[] = {"privileges", "grantable", "revoked"};
		int any = 0;

		e = json_array_get(J(r, "grants"), i);
		for (size_t k = 0; k < 3; k++) {
			if (json_array_size(J(e, ks[k]))) {
				sort_strs(J(e, ks[k]));
				any = 1;
			} else {
				json_object_del(e, ks[k]);
			}
		}
		if (any)
			i++;
		else
			json_array_remove(J(r, "grants"), i);
	}
	jsonl_sort(J(r, "grants"), cmp_grantee);
}

/* The role that owns what is created (CREATE SCHEMA ... AUTHORIZATION's elements), NULL: the
   session's. */
static const char *creator;

const char *
msql_creator(const char *role)
{
	const char *prev = creator;

	creator = role;
	return prev;
}

int
msql_set_role_stmt(json_t *set)
{
	const char *name = S(set, "name"), *kind = S(set, "kind"), *v;
	int role = streq(name, "role"), auth = streq(name, "session_authorization");
	char **slot = role ? &set_role : &set_auth;

	if (!role && !auth)
		return MSQL_OK;
	if (B(set, "is_local"))
		return MSQL_UNMODELED; /* until the end of the transaction: not followed */
	v = streq(kind, "VAR_SET_VALUE") ? S(J(N(json_array_get(J(set, "args"), 0), "A_Const"), "sval"), "sval") : NULL;
	if (role && v && streq(v, "none"))
		v = NULL;
	/* the role the creator points at is about to change: no CREATE SCHEMA element is being folded */
	free(*slot);
	*slot = v && !streq(v, session_role()) ? xstrdup(v) : NULL;
	creator = set_role ? set_role : set_auth;
	return MSQL_OK;
}

const char *
msql_owner(const struct model *m, const char *on_id)
{
	char *id = xasprintf("owner:%s", on_id);
	json_t *r = model_get(m, id);

	free(id);
	return r ? S(r, "owner") : creator;
}

void
msql_default_acl(struct model *m, const char *on_id, const struct msql_ctx *cx)
{
	char kind = dacl_kind(on_id), *oid, *gid, *sid;
	json_t *r = model_get(m, on_id), *own, *dg, *ds, *e;
	const char *role, *schema;
	size_t i;

	if (!kind || !r)
		return;
	if (creator && !streq(creator, session_role())) {
		json_t *o = msql_set_owner(m, on_id, creator);

		if (o)
			prov(o, cx);
	}
	oid = xasprintf("owner:%s", on_id);
	own = model_get(m, oid);
	free(oid);
	role = own ? S(own, "owner") : session_role();
	schema = kind == 'n' ? NULL : S(r, "schema");
	gid = dacl_id(role, NULL, kind);
	sid = schema ? dacl_id(role, schema, kind) : NULL;
	dg = model_get(m, gid);
	ds = sid ? model_get(m, sid) : NULL;
	/* the global entry is the object's whole ACL (it replaces the built-in defaults) */
	json_array_foreach(J(dg, "grants"), i, e) {
		if (J(e, "privileges"))
			grant_one(m, on_id, S(e, "grantee"), J(e, "privileges"), 1, 0, cx);
		if (J(e, "grantable"))
			grant_one(m, on_id, S(e, "grantee"), J(e, "grantable"), 1, 1, cx);
		if (J(e, "revoked"))
			grant_one(m, on_id, S(e, "grantee"), J(e, "revoked"), 0, 0, cx);
	}
	/* the schema's entry is merged in: its grants add */
	json_array_foreach(J(ds, "grants"), i, e) {
		if (J(e, "privileges"))
			grant_one(m, on_id, S(e, "grantee"), J(e, "privileges"), 1, 0, cx);
		if (J(e, "grantable"))
			grant_one(m, on_id, S(e, "grantee"), J(e, "grantable"), 1, 1, cx);
	}
	free(gid), free(sid);
}

/* A schema renamed or dropped (new NULL): its default_acl records follow it (pg_default_acl
   depends on the schema). */
static void
dacl_retarget(struct model *m, const char *old_id, const char *new_id)
{
	const char *os = id_rest(old_id);
	struct strv moved = {0}, ids = {0};

	/* the ids that hold the schema's name (between ':'s in a default_acl id), in id order */
	model_mentions(m, os, add_id_with, &(struct holder){ &ids, os });
	if (ids.n > 1)
		qsort(ids.v, ids.n, sizeof *ids.v, cmp_strp);
	for (size_t i = 0; i < ids.n; i++) {
		json_t *r = json_object_get(model_scan(m), ids.v[i]);
		char *q;

		if (!starts(ids.v[i], "default_acl:") || !S(r, "in_schema"))
			continue;
		/* by the id: a rename may have rewritten in_schema already */
		q = model_ident(S(r, "role"));
		char *was = xasprintf("default_acl:%s:%s:%s", q, os, S(r, "objects"));

		if (streq(was, ids.v[i]))
			strv_add(&moved, ids.v[i]);
		free(q), free(was);
	}
	strv_free(&ids);
	for (size_t i = 0; i < moved.n; i++) {
		json_t *r = model_get(m, moved.v[i]);

		if (new_id) {
			char *sn = unident(id_rest(new_id), strlen(id_rest(new_id)));
			char *nid = dacl_id(S(r, "role"), sn, dacl_kinds[0]), *tail = strrchr(moved.v[i], ':');
			char *full;

			/* same role and objects, the new schema */
			*strrchr(nid, ':') = 0;
			full = xasprintf("%s%s", nid, tail);
			r = move_rec(m, moved.v[i], full);
			setstr(r, "in_schema", sn);
			free(sn), free(nid), free(full);
		} else {
			model_del(m, moved.v[i]);
		}
	}
	strv_free(&moved);
}

static int
fold_default_privileges(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	json_t *g = J(a, "action"), *o, *e, *ap, *privs = NULL;
	const char *ot = S(g, "objtype");
	struct strv roles = {0}, schemas = {0}, grantees = {0};
	size_t i, j;
	int cur, rc = MSQL_OK;
	char kind;

	kind = streq(ot, "OBJECT_TABLE") ? 'r' : streq(ot, "OBJECT_SEQUENCE") ? 'S' :
	    streq(ot, "OBJECT_FUNCTION") || streq(ot, "OBJECT_PROCEDURE") || streq(ot, "OBJECT_ROUTINE") ? 'f' :
	    streq(ot, "OBJECT_TYPE") ? 'T' : streq(ot, "OBJECT_SCHEMA") ? 'n' : 0;
	if (!kind)
		return MSQL_UNMODELED;
	json_array_foreach(J(a, "options"), i, o) {
		json_t *de = N(o, "DefElem");

		json_array_foreach(items(J(de, "arg")), j, e) {
			if (streq(S(de, "defname"), "roles"))
				strv_add(&roles, role_name(e, &cur));
			else if (streq(S(de, "defname"), "schemas"))
				strv_add(&schemas, sval(e));
		}
	}
	if (schemas.n && kind == 'n') {
		rc = err(cx, "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS");
		goto out;
	}
	for (i = 0; i < schemas.n; i++) {
		char *q = model_ident(schemas.v[i]), *sid = xasprintf("schema:%s", q);
		int have = model_get(m, sid) != NULL;

		free(q), free(sid);
		if (!have && system_schema(schemas.v[i])) {
			rc = MSQL_UNMODELED;
			goto out;
		}
		if (!have) {
			rc = err(cx, "schema \"%s\" does not exist", schemas.v[i]);
			goto out;
		}
	}
	if (!roles.n)
		strv_add(&roles, current_role()); /* FOR ROLE defaults to CURRENT_USER: SET ROLE's role */
	json_array_foreach(J(g, "grantees"), i, o)
		strv_add(&grantees, role_name(o, &cur));
	json_array_foreach(J(g, "privileges"), i, ap) {
		json_t *p = N(ap, "AccessPriv");
		char *up = xstrdup(S(p, "priv_name") ? S(p, "priv_name") : "");

		for (char *x = up; *x; x++)
			if (*x >= 'a' && *x <= 'z')
				*x -= 'a' - 'A';
		if (J(p, "cols")) {
			free(up);
			rc = err(cx, "default privileges cannot be set for columns");
			goto out;
		}
		if (!privs)
			privs = json_array();
		if (streq(up, "ALL") || !*up) {
			json_decref(privs);
			privs = NULL;
			free(up);
			break;
		}
		json_array_append_new(privs, json_string(up));
		free(up);
	}
	/* one entry per role and schema named */
	for (i = 0; i < roles.n; i++)
		for (j = 0; j < (schemas.n ? schemas.n : 1); j++) {
			const char *sch = schemas.n ? schemas.v[j] : NULL;
			char *id = dacl_id(roles.v[i], sch, kind);
			json_t *r = model_get(m, id);

			if (!r) {
				r = model_put(m, "default_acl", id);
				setstr(r, "role", roles.v[i]);
				setstr(r, "in_schema", sch);
				setstr(r, "objects", dacl_words[strchr(dacl_kinds, kind) - dacl_kinds]);
				prov(r, cx);
			}
			for (size_t k = 0; k < grantees.n; k++)
				if (!streq(grantees.v[k], roles.v[i])) /* the role's own privileges: see CAVEATS */
					dacl_change(r, kind, !sch, grantees.v[k], privs, B(g, "is_grant"), B(g, "grant_option"));
			/* back to what it stands for: PostgreSQL removes the entry */
			if (!json_array_size(J(r, "grants")))
				model_del(m, id);
			free(id);
		}
out:
	json_decref(privs);
	strv_free(&grantees);
	strv_free(&roles);
	strv_free(&schemas);
	return rc;
}

/* ---- RENAME, SET SCHEMA, DROP ---- */

/* A view's output names are part of its stored query: after a column is renamed, the query is
   read again from its text with the names as the column list. */
static void
restore_query(const struct model *m, json_t *r, const struct msql_ctx *cx)
{
	const char *text = S(r, "query_sql");
	PgQueryParseResult pr;
	json_t *root, *q, *al, *c, *nq, *cols;
	size_t i;
	int ok;

	if (!text)
		return;
	pr = pg_query_parse(text);
	root = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	pg_query_free_parse_result(pr);
	if (!root)
		return;
	normexpr_fix_consts(root, text);
	q = J(json_array_get(J(root, "stmts"), 0), "stmt");
	al = json_array();
	json_array_foreach(J(r, "columns"), i, c)
		json_array_append_new(al, json_pack("{s:{s:O}}", "String", "sval", c));
	cols = json_array();
	nq = stored_query(m, q, al, cols, &ok, cx);
	{
		char *norm = normexpr_node(nq, NULL);

		setstr(r, "query", norm);
		free(norm);
	}
	json_decref(nq);
	json_decref(cols);
	json_decref(al);
	json_decref(root);
}

void
msql_view_refold(struct model *m, json_t *r, const struct msql_ctx *cx)
{
	restore_query(m, r, cx);
}

void
msql_rule_refold(struct model *m, json_t *r, const char *prefix, const struct msql_ctx *cx)
{
	char *w = xasprintf("%s%s", prefix, S(r, "actions_sql"));
	PgQueryParseResult pr = pg_query_parse(w);
	json_t *root = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	json_t *acts = J(N(J(json_array_get(J(root, "stmts"), 0), "stmt"), "RuleStmt"), "actions");
	struct msql_ctx c2 = *cx;

	pg_query_free_parse_result(pr);
	c2.sql = w;
	if (json_array_size(acts)) {
		acts = rule_actions(m, acts, &c2);
		set_expr(r, "actions", acts, xstrdup(S(r, "actions_sql")), &c2);
		json_decref(acts);
	}
	json_decref(root);
	free(w);
}

/* Move a record of mine to a new id with new schema/name fields, and what hangs on it. */
static void
move_obj(struct model *m, const char *id, const char *nid, const char *schema, const char *name)
{
	json_t *r = move_rec(m, id, nid);

	if (r) {
		if (schema)
			setstr(r, "schema", schema);
		if (name)
			setstr(r, "name", name);
	}
	msql_retarget(m, id, nid);
}

/* The id a function gets under a new schema or name: kind:S.N(args). */
static char *
func_renamed(const char *id, const char *schema, const char *name)
{
	const char *rest = id_rest(id), *paren = strchr(rest, '(');
	size_t sl = qname_split(rest);
	char *os = unident(rest, sl), *on = unident(rest + sl + 1, (size_t)(paren - rest) - sl - 1);
	char *q = model_qname(schema ? schema : os, name ? name : on);
	char *nid = xasprintf("%.*s%s%s", (int)(rest - id), id, q, paren);

	free(os), free(on), free(q);
	return nid;
}

/* IsThereFunctionInNamespace: no routine of any kind may have the signature of nid already. */
static int
func_free(const struct model *m, const char *nid, const struct msql_ctx *cx)
{
	static const char *const kinds[] = { "function", "procedure", "aggregate", NULL };
	const char *rest = id_rest(nid), *paren = strchr(rest, '(');
	size_t sl = qname_split(rest);

	for (size_t i = 0; kinds[i]; i++) {
		char *id = xasprintf("%s:%s", kinds[i], rest);
		int hit = json_object_get(model_scan(m), id) != NULL;

		free(id);
		if (hit) {
			char *s = unident(rest, sl), *n = unident(rest + sl + 1, (size_t)(paren - rest) - sl - 1);
			int rc = err(cx, "function %s%s already exists in schema \"%s\"", n, paren, s);

			free(s), free(n);
			return rc;
		}
	}
	return MSQL_OK;
}

static int
fold_rename(struct model *m, json_t *rs, const struct msql_ctx *cx)
{
	const char *rt = S(rs, "renameType"), *nn = S(rs, "newname");
	char *id = NULL, *nid = NULL;
	int rc = MSQL_OK;

	if (streq(rt, "OBJECT_VIEW") || streq(rt, "OBJECT_MATVIEW") || streq(rt, "OBJECT_TABLE")) {
		/* ALTER TABLE ... RENAME names views too: the model says which it is */
		const char *k;
		char *q = resolve_rv(m, J(rs, "relation"), streq(rt, "OBJECT_MATVIEW") ? K_MATVIEWS : K_VIEWS, cx, &k);
		char *s = unident(q, qname_split(q)), *nq = model_qname(s, nn);

		id = xasprintf("%s:%s", k, q);
		nid = xasprintf("%s:%s", k, nq);
		if (!model_get(m, id))
			rc = B(rs, "missing_ok") ? MSQL_OK : err(cx, "relation \"%s\" does not exist", S(J(rs, "relation"), "relname"));
		else if (other_relation(m, nq, ""))
			rc = err(cx, "relation \"%s\" already exists", nn);
		else {
			/* the views over it name it anew */
			json_t *views = msql_rename_refs(m, id, NULL, NULL, s, nn, cx);

			move_obj(m, id, nid, NULL, nn);
			msql_refold_views(m, views, cx);
		}
		free(q), free(s), free(nq);
	} else if (streq(rt, "OBJECT_COLUMN")) {
		const char *k;
		char *q = resolve_rv(m, J(rs, "relation"), streq(S(rs, "relationType"), "OBJECT_MATVIEW") ? K_MATVIEWS :
		    K_VIEWS, cx, &k);
		char *vid = xasprintf("%s:%s", k, q), *oi = model_ident(S(rs, "subname")), *ni = model_ident(nn);
		json_t *r = model_get(m, vid), *cols = J(r, "columns"), *c;
		size_t i;

		/* renameatt: the old name must be there, the new one free */
		if (r && !arr_has(cols, S(rs, "subname"))) {
			free(q), free(vid), free(oi), free(ni);
			return err(cx, "column \"%s\" does not exist", S(rs, "subname"));
		}
		if (r && arr_has(cols, nn)) {
			free(q), free(vid), free(oi), free(ni);
			return err(cx, "column \"%s\" of relation \"%s\" already exists", nn, S(J(rs, "relation"), "relname"));
		}
		/* the views over it name the column anew (the catalog keeps it by number) */
		json_t *views = r ? msql_rename_refs(m, vid, S(rs, "subname"), nn, NULL, NULL, cx) : json_array();

		/* a new string: the one there may be shared with the columns of a view over it */
		json_array_foreach(cols, i, c)
			if (streq(json_string_value(c), S(rs, "subname")))
				json_array_set_new(cols, i, json_string(nn));
		if (r)
			restore_query(m, r, cx);
		id = xasprintf("column:%s.%s", q, oi);
		nid = xasprintf("column:%s.%s", q, ni);
		msql_retarget(m, id, nid);
		msql_refold_views(m, views, cx);
		free(q), free(vid), free(oi), free(ni);
	} else if (streq(rt, "OBJECT_FUNCTION") || streq(rt, "OBJECT_PROCEDURE") || streq(rt, "OBJECT_ROUTINE")) {
		id = func_id(m, J(rs, "object"), objkind_fn(rt), cx, 0);
		if (!id)
			return MSQL_ERR;
		if (!model_get(m, id)) {
			rc = err(cx, "function %s does not exist", id_rest(id));
		} else {
			nid = func_renamed(id, NULL, nn);
			rc = func_free(m, nid, cx);
			if (rc == MSQL_OK) {
				/* the catalog keeps calls by oid: its text shows the new name */
				json_t *views = msql_rename_calls(m, id, S(model_get(m, id), "schema"), nn, cx);

				move_obj(m, id, nid, NULL, nn);
				msql_refold_views(m, views, cx);
			}
		}
	} else if (streq(rt, "OBJECT_TRIGGER") || streq(rt, "OBJECT_POLICY") || streq(rt, "OBJECT_RULE")) {
		const char *k = streq(rt, "OBJECT_TRIGGER") ? "trigger" : streq(rt, "OBJECT_POLICY") ? "policy" : "rule";
		char *q = resolve_rv(m, J(rs, "relation"), K_TABLE, cx, NULL);
		char *oi = model_ident(S(rs, "subname")), *ni = model_ident(nn);

		id = xasprintf("%s:%s.%s", k, q, oi);
		nid = xasprintf("%s:%s.%s", k, q, ni);
		if (!model_get(m, id))
			rc = err(cx, "%s \"%s\" does not exist", k, S(rs, "subname"));
		else
			move_obj(m, id, nid, NULL, nn);
		free(q), free(oi), free(ni);
	} else if (streq(rt, "OBJECT_PUBLICATION") || streq(rt, "OBJECT_EVENT_TRIGGER")) {
		const char *k = streq(rt, "OBJECT_PUBLICATION") ? "publication" : "event_trigger";
		char *oi = model_ident(sval(J(rs, "object"))), *ni = model_ident(nn);

		id = xasprintf("%s:%s", k, oi);
		nid = xasprintf("%s:%s", k, ni);
		if (!model_get(m, id))
			rc = err(cx, "%s \"%s\" does not exist", k, sval(J(rs, "object")));
		else
			move_obj(m, id, nid, NULL, nn);
		free(oi), free(ni);
	} else {
		rc = MSQL_UNMODELED;
	}
	free(id);
	free(nid);
	return rc;
}

static int
fold_set_schema(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	const char *ot = S(a, "objectType"), *ns = S(a, "newschema");
	char *id = NULL, *nid = NULL;
	int rc = MSQL_OK;

	if (streq(ot, "OBJECT_VIEW") || streq(ot, "OBJECT_MATVIEW") || streq(ot, "OBJECT_TABLE")) {
		const char *k;
		char *q = resolve_rv(m, J(a, "relation"), streq(ot, "OBJECT_MATVIEW") ? K_MATVIEWS : K_VIEWS, cx, &k);
		char *nq = model_qname(ns, S(J(a, "relation"), "relname"));

		id = xasprintf("%s:%s", k, q);
		nid = xasprintf("%s:%s", k, nq);
		if (!model_get(m, id))
			rc = B(a, "missing_ok") ? MSQL_OK : err(cx, "relation \"%s\" does not exist", S(J(a, "relation"), "relname"));
		else if (strcmp(id, nid) != 0 && other_relation(m, nq, ""))
			rc = err(cx, "relation \"%s\" already exists in schema \"%s\"", S(J(a, "relation"), "relname"), ns);
		else if (strcmp(id, nid) != 0) {
			json_t *views = msql_rename_refs(m, id, NULL, NULL, ns, S(J(a, "relation"), "relname"), cx);

			move_obj(m, id, nid, ns, NULL);
			msql_refold_views(m, views, cx);
		}
		free(q), free(nq);
	} else if (streq(ot, "OBJECT_FUNCTION") || streq(ot, "OBJECT_PROCEDURE") || streq(ot, "OBJECT_ROUTINE")) {
		id = func_id(m, J(a, "object"), objkind_fn(ot), cx, 0);
		if (!id)
			return MSQL_ERR;
		if (!model_get(m, id)) {
			rc = err(cx, "function %s does not exist", id_rest(id));
		} else {
			nid = func_renamed(id, ns, NULL);
			if (strcmp(id, nid) != 0 && (rc = func_free(m, nid, cx)) == MSQL_OK) {
				json_t *views = msql_rename_calls(m, id, ns, S(model_get(m, id), "name"), cx);

				move_obj(m, id, nid, ns, NULL);
				msql_refold_views(m, views, cx);
			}
		}
	} else {
		rc = MSQL_UNMODELED;
	}
	free(id);
	free(nid);
	return rc;
}

static int
fold_drop_(struct model *m, json_t *d, json_t *with, json_t *present, const struct msql_ctx *cx)
{
	const char *rt = S(d, "removeType");
	int missing_ok = B(d, "missing_ok");
	json_t *o;
	size_t i;

	if (streq(rt, "OBJECT_VIEW") || streq(rt, "OBJECT_MATVIEW"))
		/* the views the statement names, and those of them there now: one goes with another */
		json_array_foreach(J(d, "objects"), i, o) {
			json_t *l2 = items(o);
			const char *k2 = streq(rt, "OBJECT_VIEW") ? "view" : "matview";
			char *q2 = resolve_names(m, l2, json_array_size(l2), (const char *const[]){k2, NULL}, cx, NULL);
			json_t *vid = json_sprintf("%s:%s", k2, q2);

			if (model_get(m, json_string_value(vid)))
				json_array_append(present, vid);
			json_array_append_new(with, vid);
			free(q2);
		}
	json_array_foreach(J(d, "objects"), i, o) {
		char *id = NULL;
		const char *what = NULL;

		if (streq(rt, "OBJECT_VIEW") || streq(rt, "OBJECT_MATVIEW")) {
			const char *k = streq(rt, "OBJECT_VIEW") ? "view" : "matview";
			json_t *l = items(o);
			char *q = resolve_names(m, l, json_array_size(l), (const char *const[]){k, NULL}, cx, NULL);

			id = xasprintf("%s:%s", k, q);
			what = streq(rt, "OBJECT_VIEW") ? "view" : "materialized view";
			free(q);
		} else if (streq(rt, "OBJECT_FUNCTION") || streq(rt, "OBJECT_PROCEDURE") || streq(rt, "OBJECT_ROUTINE")) {
			id = func_id(m, o, objkind_fn(rt), cx, missing_ok);
			if (!id) {
				if (missing_ok)
					continue;
				return MSQL_ERR;
			}
			what = "function";
		} else if (streq(rt, "OBJECT_TRIGGER") || streq(rt, "OBJECT_POLICY") || streq(rt, "OBJECT_RULE")) {
			const char *k = streq(rt, "OBJECT_TRIGGER") ? "trigger" : streq(rt, "OBJECT_POLICY") ? "policy" : "rule";
			json_t *l = items(o);
			size_t n = json_array_size(l);
			char *q, *ni;

			if (n < 2)
				return MSQL_UNMODELED;
			q = resolve_names(m, l, n - 1, K_TABLE, cx, NULL);
			ni = model_ident(sval(json_array_get(l, n - 1)));
			id = xasprintf("%s:%s.%s", k, q, ni);
			what = k;
			free(q);
			free(ni);
		} else if (streq(rt, "OBJECT_EVENT_TRIGGER") || streq(rt, "OBJECT_PUBLICATION")) {
			const char *k = streq(rt, "OBJECT_EVENT_TRIGGER") ? "event_trigger" : "publication";
			char *ni = model_ident(sval(o));

			id = xasprintf("%s:%s", k, ni);
			what = streq(rt, "OBJECT_EVENT_TRIGGER") ? "event trigger" : "publication";
			free(ni);
		} else {
			return MSQL_UNMODELED;
		}
		if (!model_get(m, id)) {
			/* (a view the statement dropped already with another it names is no error) */
			if (!missing_ok && !arr_has(present, id) && (streq(what, "view") || streq(what, "materialized view"))) {
				/* RangeVarCallbackForDropRelation: the relation of the name, of another kind, is
				   "not a view"; the messages quote the name as written, without its schema */
				static const char *const anyrel[] = {"table", "view", "matview", "sequence", "index", NULL};
				json_t *l = items(o);
				const char *wk = NULL, *rn = sval(json_array_get(l, json_array_size(l) - 1));
				char *q = resolve_names(m, l, json_array_size(l), anyrel, cx, &wk);
				char *oid = q ? xasprintf("%s:%s", wk, q) : NULL;

				if (oid && json_object_get(model_scan(m), oid))
					err(cx, "\"%s\" is not a %s", rn, what);
				else
					err(cx, "%s \"%s\" does not exist", what, rn);
				free(q), free(oid), free(id);
				return MSQL_ERR;
			}
			if (!missing_ok && !arr_has(present, id)) {
				err(cx, "%s %s does not exist", what, id_rest(id));
				free(id);
				return MSQL_ERR;
			}
		} else if (streq(what, "view") || streq(what, "materialized view")) {
			if (msql_drop_view(m, id, streq(S(d, "behavior"), "DROP_CASCADE"), with, cx) != MSQL_OK) {
				free(id);
				return MSQL_ERR;
			}
		} else if (streq(what, "function")) {
			/* what uses it goes with CASCADE, or the DROP is refused */
			if (msql_drop_routine(m, id, streq(S(d, "behavior"), "DROP_CASCADE"), cx) != MSQL_OK) {
				free(id);
				return MSQL_ERR;
			}
		} else {
			model_del(m, id);
			msql_retarget(m, id, NULL);
		}
		free(id);
	}
	return MSQL_OK;
}

static int
fold_drop(struct model *m, json_t *d, const struct msql_ctx *cx)
{
	json_t *with = json_array(), *present = json_array();
	int rc = fold_drop_(m, d, with, present, cx);

	json_decref(with), json_decref(present);
	return rc;
}

/* ALTER VIEW / ALTER MATERIALIZED VIEW as an AlterTableStmt: owner and options. */
static int
fold_alter_view(struct model *m, json_t *a, const struct msql_ctx *cx)
{
	const char *k;
	char *q = resolve_rv(m, J(a, "relation"), streq(S(a, "objtype"), "OBJECT_MATVIEW") ? K_MATVIEWS : K_VIEWS, cx, &k);
	char *id = xasprintf("%s:%s", k, q);
	json_t *r = model_get(m, id), *c;
	size_t i;
	int rc = MSQL_OK, cur;

	free(q);
	if (!r) {
		if (!B(a, "missing_ok"))
			rc = err(cx, "relation \"%s\" does not exist", S(J(a, "relation"), "relname"));
		free(id);
		return rc;
	}
	json_array_foreach(J(a, "cmds"), i, c) {
		json_t *cmd = N(c, "AlterTableCmd");
		const char *st = S(cmd, "subtype");

		if (streq(st, "AT_ChangeOwner")) {
			json_t *o = msql_set_owner(m, id, role_name(J(cmd, "newowner"), &cur));

			if (o)
				prov(o, cx);
		} else if (streq(st, "AT_SetRelOptions") || streq(st, "AT_ResetRelOptions")) {
			if (view_opts(r, items(J(cmd, "def")), streq(st, "AT_ResetRelOptions"), streq(k, "matview")) < 0)
				rc = MSQL_UNMODELED;
		} else if (streq(st, "AT_SetTableSpace") && streq(k, "matview")) {
			/* the database's default tablespace is no field */
			setstr(r, "tablespace", streq(S(cmd, "name"), "pg_default") ? NULL : S(cmd, "name"));
		} else {
			rc = MSQL_UNMODELED;
		}
	}
	free(id);
	return rc;
}

/* ---- the dispatcher of this part ---- */

int
msql_fold_obj(struct model *m, json_t *stmt, const struct msql_ctx *cx)
{
	static const char *const inert[] = {"SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt",
		"VariableSetStmt", "VariableShowStmt", "TransactionStmt", "CopyStmt", "ExplainStmt", "CheckPointStmt",
		"VacuumStmt", "LockStmt", "DiscardStmt", "NotifyStmt", "ListenStmt", "UnlistenStmt", "PrepareStmt",
		"ExecuteStmt", "DeallocateStmt", "ClusterStmt", "ReindexStmt", "DeclareCursorStmt", "FetchStmt",
		"ClosePortalStmt", "LoadStmt", "ConstraintsSetStmt", NULL};
	const char *t = ntype(stmt);
	json_t *x = ninner(stmt);
	int arc = msql_fold_agg(m, stmt, cx);

	if (arc != MSQL_NOTMINE)
		return arc;
	for (size_t i = 0; inert[i]; i++)
		if (streq(t, inert[i]))
			return MSQL_OK;
	if (streq(t, "ViewStmt"))
		return fold_view(m, x, cx);
	if (streq(t, "CreateTableAsStmt"))
		return streq(S(x, "objtype"), "OBJECT_MATVIEW") ? fold_matview(m, x, cx) : MSQL_UNMODELED;
	if (streq(t, "RefreshMatViewStmt")) {
		char *q = resolve_rv(m, J(x, "relation"), K_MATVIEW, cx, NULL), *id = xasprintf("matview:%s", q);
		json_t *r = model_get(m, id);

		free(q);
		free(id);
		if (!r)
			return err(cx, "relation \"%s\" does not exist", S(J(x, "relation"), "relname"));
		setbool(r, "no_data", B(x, "skipData"));
		return MSQL_OK;
	}
	if (streq(t, "CreateFunctionStmt"))
		return fold_function(m, x, cx);
	if (streq(t, "AlterFunctionStmt"))
		return fold_alter_function(m, x, cx);
	if (streq(t, "CreateTrigStmt"))
		return fold_trigger(m, x, cx);
	if (streq(t, "CreateEventTrigStmt"))
		return fold_event_trigger(m, x, cx);
	if (streq(t, "AlterEventTrigStmt")) {
		char *ni = model_ident(S(x, "trigname")), *id = xasprintf("event_trigger:%s", ni);
		json_t *r = model_get(m, id);
		const char *e = S(x, "tgenabled");

		free(ni);
		free(id);
		if (!r)
			return err(cx, "event trigger \"%s\" does not exist", S(x, "trigname"));
		setstr(r, "enabled", e && !streq(e, "O") ? e : NULL);
		return MSQL_OK;
	}
	if (streq(t, "CreatePolicyStmt"))
		return fold_policy(m, x, cx, 0);
	if (streq(t, "AlterPolicyStmt"))
		return fold_policy(m, x, cx, 1);
	if (streq(t, "RuleStmt"))
		return fold_rule(m, x, cx);
	if (streq(t, "CreatePublicationStmt"))
		return fold_publication(m, x, cx, 0);
	if (streq(t, "AlterPublicationStmt"))
		return fold_publication(m, x, cx, 1);
	if (streq(t, "CommentStmt"))
		return fold_comment(m, x, cx);
	if (streq(t, "GrantStmt"))
		return fold_grant(m, x, cx);
	if (streq(t, "AlterDefaultPrivilegesStmt"))
		return fold_default_privileges(m, x, cx);
	if (streq(t, "AlterOwnerStmt"))
		return fold_owner(m, x, cx);
	if (streq(t, "RenameStmt"))
		return fold_rename(m, x, cx);
	if (streq(t, "AlterObjectSchemaStmt"))
		return fold_set_schema(m, x, cx);
	if (streq(t, "DropStmt"))
		return fold_drop(m, x, cx);
	if (streq(t, "AlterTableStmt")) {
		/* ALTER VIEW, ALTER MATERIALIZED VIEW, and ALTER TABLE naming a view */
		const char *k = NULL;
		char *q = resolve_rv(m, J(x, "relation"), K_VIEWS, cx, &k), *id = xasprintf("%s:%s", k, q);
		int is_view = json_object_get(model_scan(m), id) != NULL;

		free(q);
		free(id);
		if (is_view || streq(S(x, "objtype"), "OBJECT_VIEW") || streq(S(x, "objtype"), "OBJECT_MATVIEW"))
			return fold_alter_view(m, x, cx);
	}
	if (streq(t, "DefineStmt") && streq(S(x, "kind"), "OBJECT_TYPE")) {
		json_t *dn = J(x, "defnames");
		size_t n = json_array_size(dn);
		const char *name = sval(json_array_get(dn, n - 1));

		if (name)
			strv_take(&base_types, model_qname(n >= 2 ? sval(json_array_get(dn, n - 2)) : spath_first(cx->sp), name));
	}
	return MSQL_UNMODELED;
}
