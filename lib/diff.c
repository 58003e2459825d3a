#include <ctype.h>
#include <pg_query.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diff.h"
#include "sqlclass.h"
#include "stmtinfo.h"

struct diffchange {
	char *id, *action, *sql, *pair;
	char *path;             /* the search_path its source text needs (SQL literals), or NULL */
	unsigned hazards, flags;
	struct strv creates, drops, uses, olduses, after;
	int rank, withdrawn;
	size_t seq;
};

enum { P_NONE = 0, P_DONE = 1, P_RECREATE = 2 };

struct diffctx {
	struct model *m[2];
	struct diffopt o;
	json_t *back;           /* new id -> old id of the renames */
	struct diffchange **ch;
	size_t nch, cap;
	json_t *state;          /* pair id -> P_* */
	json_t *queue;          /* pair ids to drop and create again */
	json_t *refs[2];        /* record id -> array of ids it refers to (cache) */
	json_t *known[2];       /* the ids of each model, for name resolution */
	json_t *rdeps;          /* old: referred id -> array of record ids referring to it */
	json_t *req;            /* recreated id -> array of the pairs whose change needs it */
	const char *pair;       /* the pair whose handler runs */
	const char *refpath;    /* the search_path (SQL literals) of the record diff_refs reads, or NULL */
	int cascading;          /* cascade() runs for the drop change cascade_seq */
	size_t cascade_seq;
	int rank;
	int failed;
	size_t *order;
};

static const struct diffkind *
kind_of(const char *kind)
{
	for (const struct diffkind *k = diff_core_kinds; k->kind; k++)
		if (strcmp(k->kind, kind) == 0)
			return k;
	for (const struct diffkind *k = diff_obj_kinds; k->kind; k++)
		if (strcmp(k->kind, kind) == 0)
			return k;
	for (const struct diffkind *k = diff_ext_kinds; k->kind; k++)
		if (strcmp(k->kind, kind) == 0)
			return k;
	return NULL;
}

struct diffctx *
diff_new(struct model *old, struct model *new, const struct diffopt *o)
{
	struct diffctx *c = xcalloc(1, sizeof *c);
	const char *k;
	json_t *v;

	c->m[0] = old;
	c->m[1] = new;
	c->o = *o;
	c->back = json_object();
	if (o->renames)
		json_object_foreach(o->renames, k, v)
			json_object_set_new(c->back, json_string_value(v), json_string(k));
	c->state = json_object();
	c->req = json_object();
	c->queue = json_array();
	for (int s = 0; s < 2; s++) {
		c->refs[s] = json_object();
		c->known[s] = json_object();
	}
	return c;
}

static void
change_free(struct diffchange *ch)
{
	free(ch->id);
	free(ch->action);
	free(ch->sql);
	free(ch->pair);
	free(ch->path);
	strv_free(&ch->creates);
	strv_free(&ch->drops);
	strv_free(&ch->uses);
	strv_free(&ch->olduses);
	strv_free(&ch->after);
	free(ch);
}

void
diff_free(struct diffctx *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nch; i++)
		change_free(c->ch[i]);
	free(c->ch);
	free(c->order);
	json_decref(c->back);
	json_decref(c->state);
	json_decref(c->req);
	json_decref(c->queue);
	json_decref(c->rdeps);
	for (int s = 0; s < 2; s++) {
		json_decref(c->refs[s]);
		json_decref(c->known[s]);
	}
	free(c);
}

const struct diffopt *
diff_opt(const struct diffctx *c)
{
	return &c->o;
}

struct model *
diff_model(const struct diffctx *c, int side)
{
	return c->m[side ? 1 : 0];
}

const json_t *
diff_get(const struct diffctx *c, int side, const char *id)
{
	return model_get(c->m[side ? 1 : 0], id);
}

const char *
diff_renamed(const struct diffctx *c, const char *old_id)
{
	return c->o.renames ? json_string_value(json_object_get(c->o.renames, old_id)) : NULL;
}

const char *
diff_renamed_from(const struct diffctx *c, const char *new_id)
{
	return json_string_value(json_object_get(c->back, new_id));
}

int
diff_fail(struct diffctx *c, const char *id, const char *fmt, ...)
{
	va_list ap, ap2;
	char *msg;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = xmalloc((size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	warnx("%s: %s", id, msg);
	free(msg);
	c->failed = 1;
	return -1;
}

/* ---- ids and references ---- */

/* Add s to v unless it is there. */
static void
add_uniq(struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return;
	strv_add(v, s);
}

/* The table id of a column:S.T.C or constraint:S.T.N id ("table:S.T"), or NULL. Splits at the
   last dot outside double quotes. */
static char *
table_of(const char *id)
{
	const char *p, *last = NULL;
	int q = 0;

	if (strncmp(id, "column:", 7) == 0)
		p = id + 7;
	else if (strncmp(id, "constraint:", 11) == 0)
		p = id + 11;
	else
		return NULL;
	for (const char *s = p; *s; s++)
		if (*s == '"')
			q = !q;
		else if (*s == '.' && !q)
			last = s;
	if (!last)
		return NULL;
	return xasprintf("table:%.*s", (int)(last - p), p);
}

/* The call id of a routine id: "function:S.N(...)" -> "function:S.N"; NULL for other ids. */
static char *
call_of(const char *id)
{
	const char *p;
	int q = 0;

	/* an aggregate is called as a function */
	if (strncmp(id, "aggregate:", 10) == 0) {
		char *f = xasprintf("function:%s", id + 10), *r = call_of(f);

		free(f);
		return r;
	}
	if (strncmp(id, "function:", 9) != 0 && strncmp(id, "procedure:", 10) != 0)
		return NULL;
	for (p = id; *p; p++)
		if (*p == '"')
			q = !q;
		else if (*p == '(' && !q)
			return xstrndup(id, (size_t)(p - id));
	return NULL;
}

/* A type name as the model writes it -> the id of a user type or domain, or NULL (built-in). */
static char *
type_id(struct diffctx *c, int side, const char *t)
{
	size_t n;
	char *base, *id;
	int q = 0, dot = 0;

	if (!t)
		return NULL;
	if (strncmp(t, "SETOF ", 6) == 0)
		t += 6;
	n = strlen(t);
	while (n >= 2 && t[n - 2] == '[' && t[n - 1] == ']')
		n -= 2;
	base = xstrndup(t, n);
	/* a typmod: "public.x(3)" is not a user type form, but cut it anyway */
	for (char *s = base; *s; s++)
		if (*s == '"')
			q = !q;
		else if (!q && *s == '.')
			dot = 1;
		else if (!q && *s == '(') {
			*s = 0;
			break;
		}
	if (!dot) {
		free(base);
		return NULL;
	}
	/* a domain, a type, or the row type of a table or view */
	{
		static const char *const kinds[] = { "domain:", "table:", "view:", "matview:", NULL };

		for (int k = 0; kinds[k]; k++) {
			id = xasprintf("%s%s", kinds[k], base);
			if (model_get(c->m[side], id)) {
				free(base);
				return id;
			}
			free(id);
		}
	}
	id = xasprintf("type:%s", base);
	free(base);
	return id;
}

static void
add_type(struct diffctx *c, int side, const char *t, struct strv *out)
{
	char *id = type_id(c, side, t);

	if (id) {
		add_uniq(out, id);
		free(id);
	}
}

/* The ids of the model of side, for stmtinfo's resolution of unqualified names. */
static json_t *
known(struct diffctx *c, int side)
{
	if (json_object_size(c->known[side]) == 0) {
		const char **ids = model_ids(c->m[side]);

		for (size_t i = 0; ids[i]; i++) {
			char *call = call_of(ids[i]);

			json_object_set_new(c->known[side], ids[i], json_true());
			if (call) {
				json_object_set_new(c->known[side], call, json_true());
				free(call);
			}
		}
		free(ids);
	}
	return c->known[side];
}

/* The references of the statements of text (a query, an action list), or of an expression
   (expr: wrapped in SELECT), through stmtinfo. */
static void
sql_refs(struct diffctx *c, int side, const char *text, int expr, struct strv *out)
{
	PgQueryParseResult pr;
	json_t *tree, *stmts, *st;
	char *q;
	size_t i;

	if (!text || !*text)
		return;
	q = expr ? xasprintf("SELECT %s", text) : xstrdup(text);
	pgq_used();
	pr = pg_query_parse(q);
	tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	pg_query_free_parse_result(pr);
	stmts = json_object_get(tree, "stmts");
	json_array_foreach(stmts, i, st) {
		struct spath sp;
		struct stmtinfo si;

		spath_init(&sp);
		sp.known = json_incref(known(c, side));
		if (c->refpath) {
			/* the text's names resolve along the path it was written under: stmtinfo follows SET */
			char *set = xasprintf("SET search_path = %s", c->refpath);
			PgQueryParseResult sr = pg_query_parse(set);
			json_t *t = sr.error ? NULL : json_loads(sr.parse_tree, 0, NULL);
			json_t *s0 = json_array_get(json_object_get(t, "stmts"), 0);

			pg_query_free_parse_result(sr);
			if (s0 && stmtinfo_get(json_object_get(s0, "stmt"), set, &sp, &si) == 0)
				stmtinfo_free(&si);
			json_decref(t);
			free(set);
		}
		if (stmtinfo_get(json_object_get(st, "stmt"), q, &sp, &si) == 0)
			for (size_t k = 0; k < si.refs.n; k++)
				add_uniq(out, si.refs.v[k]);
		stmtinfo_free(&si);
		json_decref(sp.known);
		sp.known = NULL;
		spath_free(&sp);
	}
	json_decref(tree);
	free(q);
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Walk a record or a part of it for references. tid: the id of the table the part is on. */
static void
walk_refs(struct diffctx *c, int side, const json_t *v, const char *tid, struct strv *out)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			walk_refs(c, side, x, tid, out);
		return;
	}
	if (!json_is_object(v))
		return;
	json_object_foreach((json_t *)v, k, x) {
		const char *s = json_string_value(x);

		if (diff_ext_refs(v, k, x, out))
			continue;
		if (json_is_object(x) || json_is_array(x)) {
			if (strcmp(k, "inherits") == 0 || strcmp(k, "tables") == 0) {
				json_array_foreach(x, i, x)
					if (json_is_string(x))
						add_uniq(out, json_string_value(x));
			} else if (strcmp(k, "keys") == 0 && tid) {
				json_t *e;

				json_array_foreach(x, i, e) {
					const char *col = json_string_value(json_object_get(e, "column"));

					if (col) {
						char *q = model_ident(col);
						char *id = xasprintf("column:%s.%s", tid + 6, q);

						add_uniq(out, id);
						free(id);
						free(q);
					}
				}
				walk_refs(c, side, x, tid, out);
			} else {
				walk_refs(c, side, x, tid, out);
			}
			continue;
		}
		if (!s)
			continue;
		if (strcmp(k, "table") == 0 || strcmp(k, "ref_table") == 0 || strcmp(k, "partition_of") == 0
		    || strcmp(k, "on") == 0 || strcmp(k, "owned_by") == 0 || strcmp(k, "function") == 0
		    || strcmp(k, "canonical") == 0 || strcmp(k, "subtype_diff") == 0
		    /* an aggregate's and an operator's support functions and operators (lib/diff_agg.c) */
		    || ends_with(k, "func") || strcmp(k, "sortop") == 0 || strcmp(k, "restrict") == 0 || strcmp(k, "join") == 0) {
			if (strchr(s, ':'))
				add_uniq(out, s);
		} else if (strcmp(k, "type") == 0 || strcmp(k, "data_type") == 0 || strcmp(k, "subtype") == 0
		    || strcmp(k, "returns") == 0 || strcmp(k, "stype") == 0 || strcmp(k, "mstype") == 0
		    || strcmp(k, "left") == 0 || strcmp(k, "right") == 0 || strcmp(k, "source") == 0 || strcmp(k, "target") == 0) {
			add_type(c, side, s, out);
		} else if (strcmp(k, "collation") == 0 && strchr(s, '.')) {
			char *cid = xasprintf("collation:%s", s);

			add_uniq(out, cid);
			free(cid);
		} else if (strcmp(k, "query_sql") == 0 || strcmp(k, "actions_sql") == 0) {
			sql_refs(c, side, s, 0, out);
		} else if (ends_with(k, "_sql") && strcmp(k, "bound_sql") != 0 && strcmp(k, "body_sql") != 0
		    && strcmp(k, "search_path_sql") != 0) {
			sql_refs(c, side, s, 1, out);
		}
	}
}

void
diff_refs(struct diffctx *c, int side, const json_t *rec, struct strv *out)
{
	const char *id = json_string_value(json_object_get(rec, "id"));
	const char *kind = json_string_value(json_object_get(rec, "kind"));
	const char *schema = json_string_value(json_object_get(rec, "schema"));
	json_t *cached = id ? json_object_get(c->refs[side], id) : NULL;
	struct strv v = { 0 };
	size_t i;
	json_t *x;

	if (!cached) {
		const char *tid = json_string_value(json_object_get(rec, "table"));

		if (kind && strcmp(kind, "table") == 0)
			tid = id;
		if (schema && !(kind && strcmp(kind, "schema") == 0)) {
			char *q = model_ident(schema);
			char *sid = xasprintf("schema:%s", q);

			add_uniq(&v, sid);
			free(sid);
			free(q);
		}
		c->refpath = json_string_value(json_object_get(rec, "search_path_sql"));
		walk_refs(c, side, rec, tid, &v);
		/* the language of a SQL function: its body's statements */
		if (kind && (strcmp(kind, "function") == 0 || strcmp(kind, "procedure") == 0)) {
			const char *lang = json_string_value(json_object_get(rec, "language"));

			if (lang && strcmp(lang, "sql") == 0)
				sql_refs(c, side, json_string_value(json_object_get(rec, "body")), 0, &v);
		}
		c->refpath = NULL;
		cached = json_array();
		for (i = 0; i < v.n; i++)
			if (!id || strcmp(v.v[i], id) != 0)
				json_array_append_new(cached, json_string(v.v[i]));
		strv_free(&v);
		if (id)
			json_object_set_new(c->refs[side], id, cached);
		else {
			json_array_foreach(cached, i, x)
				add_uniq(out, json_string_value(x));
			json_decref(cached);
			return;
		}
	}
	json_array_foreach(cached, i, x)
		add_uniq(out, json_string_value(x));
}

/* The old side's reverse references, built once. */
static json_t *
rdeps(struct diffctx *c)
{
	if (!c->rdeps) {
		json_t *all = model_scan(c->m[0]);
		const char *id;
		json_t *rec;

		c->rdeps = json_object();
		json_object_foreach(all, id, rec) {
			struct strv v = { 0 };

			diff_refs(c, 0, rec, &v);
			for (size_t i = 0; i < v.n; i++) {
				json_t *a = json_object_get(c->rdeps, v.v[i]);

				if (!a)
					json_object_set_new(c->rdeps, v.v[i], a = json_array());
				json_array_append_new(a, json_string(id));
			}
			strv_free(&v);
		}
	}
	return c->rdeps;
}

/* Whether record rid (old) refers to some column of table tid. */
static int
refers_column_of(struct diffctx *c, const char *rid, const char *tid)
{
	json_t *a = json_object_get(c->refs[0], rid), *x;
	size_t i, n = strlen(tid + 6);

	json_array_foreach(a, i, x) {
		const char *s = json_string_value(x);

		if (strncmp(s, "column:", 7) == 0 && strncmp(s + 7, tid + 6, n) == 0 && s[7 + n] == '.')
			return 1;
	}
	return 0;
}

static int
word_ch(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '$'
	    || (ch & 0x80);
}

/* Whether text names word as a whole word (a quoted identifier's content counts too). */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	if (!n)
		return 1;
	for (const char *p = text; (p = strstr(p, word)); p++)
		if ((p == text || !word_ch((unsigned char)p[-1])) && !word_ch((unsigned char)p[n]))
			return 1;
	return 0;
}

/* Whether a source text may use every column of a relation without naming it: "*" after SELECT,
   a comma or a dot ("t.*", "SELECT *"), not the "*" of count(*) or of a product. */
static int
has_star(const char *text)
{
	for (const char *p = text; (p = strchr(p, '*')); p++) {
		const char *b = p;

		while (b > text && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'))
			b--;
		if (b == text || b[-1] == ',' || b[-1] == '.'
		    || (b - text >= 6 && strncasecmp(b - 6, "select", 6) == 0 && (b - text == 6 || !word_ch((unsigned char)b[-7])))
		    || (b - text >= 8 && strncasecmp(b - 8, "distinct", 8) == 0))
			return 1;
	}
	return 0;
}

/* Whether text passes word (a bare name) whole to a function: "f(t)", "f(x, t)". */
static int
word_arg(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; n && (p = strstr(p, word)); p++) {
		const char *b = p, *e = p + n;

		if ((p > text && word_ch((unsigned char)p[-1])) || word_ch((unsigned char)*e))
			continue;
		while (b > text && isspace((unsigned char)b[-1]))
			b--;
		while (isspace((unsigned char)*e))
			e++;
		if (b > text && (b[-1] == '(' || b[-1] == ',') && (*e == ')' || *e == ','))
			return 1;
	}
	return 0;
}

/* Whether text passes a row of the table of colid (its name, bare, up to last) whole to a
   function, by the name of the table or of an alias of it ("FROM t x", "t AS x"): every column read. */
static int
row_arg(const char *text, const char *last, const char *colid)
{
	static const char *const notalias[] = { "where", "join", "on", "group", "order", "limit", "left", "right",
		"inner", "cross", "full", "natural", "using", "union", "except", "intersect", "having", "window",
		"offset", "fetch", "for", "returning", "set", "values", "select", "from", "and", "or", "then", NULL };
	const char *t = colid + 7, *dot = NULL;
	char *name;
	int hit;

	/* column:S.T.C: T is after the schema's dot; a quoted T is left to the textual check */
	for (const char *p = t; p < last; p++)
		if (*p == '.')
			dot = p;
	if (!dot || dot[1] == '"')
		return 0;
	name = xstrndup(dot + 1, (size_t)(last - dot - 1));
	hit = word_arg(text, name);
	for (const char *p = text; !hit && (p = strstr(p, name)); p++) {
		const char *e = p + strlen(name), *w;
		char *alias;
		int kw = 0;

		if ((p > text && word_ch((unsigned char)p[-1])) || word_ch((unsigned char)*e))
			continue;
		while (isspace((unsigned char)*e))
			e++;
		if (strncasecmp(e, "as", 2) == 0 && !word_ch((unsigned char)e[2]))
			for (e += 2; isspace((unsigned char)*e); e++)
				;
		for (w = e; word_ch((unsigned char)*w); w++)
			;
		if (w == e)
			continue;
		alias = xstrndup(e, (size_t)(w - e));
		for (int k = 0; notalias[k]; k++)
			kw |= strcasecmp(alias, notalias[k]) == 0;
		hit = !kw && word_arg(text, alias);
		free(alias);
	}
	free(name);
	return hit;
}

/* The parts of a record that can name a column, one a line: its source texts (*_sql, a body)
   and its column lists (column, columns, include); not its name, id, file or hashes. */
static void
use_text(const json_t *v, const char *key, struct buf *b)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			use_text(x, key, b);
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			use_text(x, k, b);
	} else if (json_is_string(v) && key
	    && ((ends_with(key, "_sql") && strcmp(key, "search_path_sql") != 0) || strcmp(key, "body") == 0
	        || strcmp(key, "column") == 0 || strcmp(key, "columns") == 0 || strcmp(key, "include") == 0)) {
		buf_puts(b, json_string_value(v));
		buf_puts(b, "\n");
	}
}

/* Whether the old record rid, which names the table of column colid but none of its columns, may
   use that column all the same: its fields (texts, column lists) name the column as a word, or
   one of its texts reads every column ("*"). A record that does not is no dependent of the
   column: a view, policy or trigger over other columns of the table stays as it is. Unknown
   (no record): it may. */
static int
may_use_column(struct diffctx *c, const char *rid, const char *colid)
{
	const json_t *r = model_get(c->m[0], rid);
	const char *last = NULL, *p;
	char *name, *dump;
	int q = 0, use;

	if (!r)
		return 1;
	for (p = colid; *p; p++)
		if (*p == '"')
			q = !q;
		else if (*p == '.' && !q)
			last = p;
	if (!last)
		return 1;
	p = last + 1;
	if (*p == '"') {
		struct buf b = { 0 };

		for (p++; *p; p++) {
			if (*p == '"' && p[1] == '"')
				p++;
			else if (*p == '"')
				break;
			buf_add(&b, p, 1);
		}
		name = b.data ? b.data : xstrdup("");
	} else {
		name = xstrdup(p);
	}
	{
		struct buf b = { 0 };

		use_text(r, NULL, &b);
		dump = b.data ? b.data : xstrdup("");
	}
	use = has_word(dump, name) || has_star(dump) || row_arg(dump, last, colid);
	free(dump);
	free(name);
	return use;
}

void
diff_dependents(struct diffctx *c, const char *id, struct strv *out)
{
	json_t *r = rdeps(c), *x;
	char *tid = table_of(id), *call = call_of(id);
	size_t i;

	json_array_foreach(json_object_get(r, id), i, x)
		add_uniq(out, json_string_value(x));
	/* a call of any overload names the routine */
	if (call)
		json_array_foreach(json_object_get(r, call), i, x)
			add_uniq(out, json_string_value(x));
	/* a record that names the table of a column but none of its columns may use any of them; a
	   comment, grant or owner of the table itself uses none */
	if (tid && strncmp(id, "column:", 7) == 0)
		json_array_foreach(json_object_get(r, tid), i, x) {
			const char *d = json_string_value(x);

			if (strncmp(d, "comment:", 8) == 0 || strncmp(d, "grant:", 6) == 0 || strncmp(d, "owner:", 6) == 0)
				continue;
			if (!refers_column_of(c, d, tid) && may_use_column(c, d, id))
				add_uniq(out, d);
		}
	free(tid);
	free(call);
}

/* ---- changes ---- */

/* Whether sql holds one of the source texts of rec (its *_sql fields, nested too, and a SQL
   routine's body) that names an object through the search path (a table, a routine, a type that
   is not built in): a text written under some search_path, its names unqualified. */
static int
needs_path(struct diffctx *c, const json_t *rec, const char *sql, int sqlbody)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_array(rec)) {
		json_array_foreach(rec, i, v)
			if (needs_path(c, v, sql, sqlbody))
				return 1;
		return 0;
	}
	json_object_foreach((json_t *)rec, k, v) {
		const char *s = json_string_value(v);
		struct strv refs = { 0 };
		int stmt = strcmp(k, "query_sql") == 0 || strcmp(k, "actions_sql") == 0 || strcmp(k, "body") == 0;
		char *t = NULL;

		if (json_is_object(v) || json_is_array(v)) {
			if (needs_path(c, v, sql, sqlbody))
				return 1;
			continue;
		}
		if (!s || !*s || strcmp(k, "search_path_sql") == 0 || strcmp(k, "bound_sql") == 0
		    || !(ends_with(k, "_sql") || (sqlbody && strcmp(k, "body") == 0)) || !strstr(sql, s))
			continue;
		/* a SQL-standard body parses inside its CREATE FUNCTION */
		if (strcmp(k, "body_sql") == 0) {
			s = t = xasprintf("CREATE FUNCTION pg_temp.x() RETURNS void LANGUAGE sql %s", s);
			stmt = 1;
		}
		sql_refs(c, 1, s, !stmt, &refs);
		free(t);
		for (size_t j = 0; j < refs.n; j++)
			if (strncmp(refs.v[j], "schema:", 7) != 0) {
				strv_free(&refs);
				return 1;
			}
		strv_free(&refs);
	}
	return 0;
}

/* The record a change of id made while pair was handled replays text from: pair's or id's, new side
   first; a column: or constraint: id stands for its table. */
static const json_t *
text_rec(const struct diffctx *c, const char *id, const char *pair)
{
	const char *ids[2] = { pair, id };

	for (int i = 0; i < 2; i++) {
		const char *x = ids[i], *dot;
		char *t = NULL;
		const json_t *r;

		if (!x)
			continue;
		if ((strncmp(x, "column:", 7) == 0 || strncmp(x, "constraint:", 11) == 0) && (dot = strrchr(x, '.')))
			x = t = xasprintf("table:%.*s", (int)(dot - strchr(x, ':') - 1), strchr(x, ':') + 1);
		r = model_get(c->m[1], x);
		if (!r)
			r = model_get(c->m[0], x);
		free(t);
		if (r)
			return r;
	}
	return NULL;
}

/* The search_path a statement replaying source text of a conf-parse record needs: the one in force
   where the text was written (search_path_sql; public when absent), since the text names things
   unqualified. A record of conf-inspect (no provenance) has catalog texts, qualified: none. */
static char *
change_path(struct diffctx *c, const char *id, const char *action, const char *sql)
{
	const json_t *r;
	const char *kind, *lang, *p;
	int need;

	if (strcmp(action, "drop") == 0 || !(r = text_rec(c, id, c->pair)) || !json_object_get(r, "file"))
		return NULL;
	kind = json_string_value(json_object_get(r, "kind"));
	lang = json_string_value(json_object_get(r, "language"));
	p = json_string_value(json_object_get(r, "search_path_sql"));
	c->refpath = p;
	need = needs_path(c, r, sql, kind && (strcmp(kind, "function") == 0 || strcmp(kind, "procedure") == 0)
	    && lang && strcmp(lang, "sql") == 0);
	c->refpath = NULL;
	return need ? xstrdup(p ? p : "'public'") : NULL;
}

struct diffchange *
diff_emit(struct diffctx *c, const char *id, const char *action, unsigned hazards, unsigned flags,
    const char *sql)
{
	struct diffchange *ch = xcalloc(1, sizeof *ch);

	ch->id = xstrdup(id);
	ch->action = xstrdup(action);
	ch->sql = xstrdup(sql);
	ch->pair = xstrdup(c->pair ? c->pair : id);
	ch->hazards = hazards;
	ch->flags = flags;
	ch->rank = c->rank;
	ch->seq = c->nch;
	ch->path = change_path(c, id, action, sql);
	if (hazards & DH_DATA_LOSS)
		ch->flags |= DF_DESTRUCTIVE;
	if (flags & DF_NOREFS) {
		/* the handler gives them */
	} else if (strcmp(action, "create") == 0) {
		const json_t *rec = model_get(c->m[1], id);

		strv_add(&ch->creates, id);
		if (rec)
			diff_refs(c, 1, rec, &ch->uses);
	} else if (strcmp(action, "drop") == 0) {
		const json_t *rec = model_get(c->m[0], id);

		strv_add(&ch->drops, id);
		if (rec)
			diff_refs(c, 0, rec, &ch->olduses);
	}
	if (c->nch == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->ch = xrealloc(c->ch, c->cap * sizeof *c->ch);
	}
	c->ch[c->nch++] = ch;
	return ch;
}

struct diffchange *
diff_emitf(struct diffctx *c, const char *id, const char *action, unsigned hazards, unsigned flags,
    const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *s;
	struct diffchange *ch;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	ch = diff_emit(c, id, action, hazards, flags, s);
	free(s);
	return ch;
}

void
diff_creates(struct diffchange *ch, const char *id)
{
	add_uniq(&ch->creates, id);
}

void
diff_drops(struct diffchange *ch, const char *id)
{
	add_uniq(&ch->drops, id);
}

void
diff_uses(struct diffchange *ch, const char *id)
{
	add_uniq(&ch->uses, id);
}

void
diff_olduses(struct diffchange *ch, const char *id)
{
	add_uniq(&ch->olduses, id);
}

void
diff_after(struct diffchange *ch, const char *id)
{
	add_uniq(&ch->after, id);
}

size_t
diff_count(const struct diffctx *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nch; i++)
		n += !c->ch[i]->withdrawn;
	return n;
}

/* Kinds whose records the core drops and creates again when something they use is dropped:
   they hold no data. */
static int
recreatable(const char *id)
{
	static const char *const k[] = { "view:", "matview:", "index:", "trigger:", "rule:", "policy:",
		"comment:", "grant:", "owner:", "constraint:", "aggregate:", "operator:", "cast:", "statistics:", NULL };

	for (int i = 0; k[i]; i++)
		if (strncmp(id, k[i], strlen(k[i])) == 0)
			return 1;
	return 0;
}

void
diff_recreate(struct diffctx *c, const char *id)
{
	json_t *st = json_object_get(c->state, id);

	if (c->pair && strcmp(c->pair, id) != 0 && model_get(c->m[0], id)) {
		json_t *a = json_object_get(c->req, id);

		if (!a)
			json_object_set_new(c->req, id, a = json_array());
		/* [pair, first change, end]: the changes the pair emits from now on in this handler
		   call (the end is set when it returns), or the one drop that cascades */
		json_array_append_new(a, json_pack("[s,I,I]", c->pair, (json_int_t)(c->cascading ? c->cascade_seq : c->nch),
		    (json_int_t)(c->cascading ? c->cascade_seq + 1 : 0)));
	}
	if (json_integer_value(st) == P_RECREATE || !model_get(c->m[0], id))
		return;
	json_object_set_new(c->state, id, json_integer(P_RECREATE));
	for (size_t i = 0; i < c->nch; i++)
		if (strcmp(c->ch[i]->pair, id) == 0)
			c->ch[i]->withdrawn = 1;
	json_array_append_new(c->queue, json_string(id));
}

int
diff_dropped(const struct diffctx *c, const char *id)
{
	char *tid = table_of(id);
	int hit = 0;

	for (size_t i = 0; i < c->nch && !hit; i++) {
		const struct diffchange *ch = c->ch[i];

		if (ch->withdrawn)
			continue;
		for (size_t k = 0; k < ch->drops.n && !hit; k++)
			hit = strcmp(ch->drops.v[k], id) == 0 || (tid && strcmp(ch->drops.v[k], tid) == 0);
	}
	if (!hit)
		hit = json_integer_value(json_object_get(c->state, id)) == P_RECREATE
		    || (tid && json_integer_value(json_object_get(c->state, tid)) == P_RECREATE);
	free(tid);
	return hit;
}

const char *
diff_set_pair(struct diffctx *c, const char *pair)
{
	const char *saved = c->pair;

	c->pair = pair;
	return saved;
}

int
diff_handled(const struct diffctx *c, const char *id)
{
	return json_integer_value(json_object_get(c->state, id)) == P_DONE;
}

/* Call the handler of a pair. */
static int
call(struct diffctx *c, const char *pair, const json_t *old, const json_t *new)
{
	const json_t *r = old ? old : new;
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const struct diffkind *k = kind ? kind_of(kind) : NULL;
	const char *saved = c->pair;
	int rc;

	if (!k)
		return diff_fail(c, json_string_value(json_object_get(r, "id")), "conf-diff cannot compare records of kind %s",
		    kind ? kind : "(none)");
	c->pair = pair;
	c->rank = k->rank;
	rc = k->fn(c, old, new);
	c->pair = saved;
	/* the recreations this call asked for cover the changes it emitted */
	{
		const char *rid;
		json_t *ra, *e;
		size_t i;

		json_object_foreach(c->req, rid, ra)
			json_array_foreach(ra, i, e)
				if (json_integer_value(json_array_get(e, 2)) == 0)
					json_array_set_new(e, 2, json_integer((json_int_t)c->nch));
	}
	return rc;
}

/* A record id dropped or recreated: its old dependents still in the new model that hold no
   data are created again after it. */
static void
cascade(struct diffctx *c, const char *pair, size_t seq, const char *id)
{
	struct strv deps = { 0 };
	const char *saved = c->pair;

	c->pair = pair;
	c->cascading = 1;
	c->cascade_seq = seq;
	diff_dependents(c, id, &deps);
	for (size_t i = 0; i < deps.n; i++) {
		const char *d = deps.v[i];
		const char *nid = diff_renamed(c, d);

		if (recreatable(d) && model_get(c->m[1], nid ? nid : d))
			diff_recreate(c, d);
	}
	strv_free(&deps);
	c->pair = saved;
	c->cascading = 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int sort_changes(struct diffctx *c);

int
diff_run(struct diffctx *c)
{
	const char **ids = model_ids(c->m[0]);
	size_t i, done = 0;
	int rc = 0;

	for (i = 0; ids[i]; i++) {
		const char *nid = diff_renamed(c, ids[i]);
		const json_t *old = model_get(c->m[0], ids[i]), *new = model_get(c->m[1], nid ? nid : ids[i]);

		if (json_object_get(c->state, ids[i]))
			continue;
		json_object_set_new(c->state, ids[i], json_integer(P_DONE));
		if (call(c, ids[i], old, new) < 0)
			rc = -1;
	}
	free(ids);
	ids = model_ids(c->m[1]);
	for (i = 0; ids[i]; i++) {
		const char *oid = diff_renamed_from(c, ids[i]);

		if (oid && model_get(c->m[0], oid))
			continue;
		if (model_get(c->m[0], ids[i]) && !(c->o.renames && json_object_get(c->o.renames, ids[i])))
			continue;
		if (call(c, ids[i], NULL, model_get(c->m[1], ids[i])) < 0)
			rc = -1;
	}
	free(ids);
	/* drops of records (not recreations): what still uses them is created again */
	for (i = 0; i < c->nch; i++)
		if (!c->ch[i]->withdrawn)
			for (size_t k = 0; k < c->ch[i]->drops.n; k++)
				cascade(c, c->ch[i]->pair, i, c->ch[i]->drops.v[k]);
	while (done < json_array_size(c->queue)) {
		const char *id = json_string_value(json_array_get(c->queue, done++));
		const char *nid = diff_renamed(c, id);
		const json_t *old = model_get(c->m[0], id), *new = model_get(c->m[1], nid ? nid : id);
		size_t from = c->nch;

		if (call(c, id, old, NULL) < 0)
			rc = -1;
		if (new && call(c, id, NULL, new) < 0)
			rc = -1;
		for (size_t k = from; k < c->nch; k++)
			for (size_t j = 0; j < c->ch[k]->drops.n; j++)
				cascade(c, c->ch[k]->pair, k, c->ch[k]->drops.v[j]);
	}
	if (rc == 0 && !c->failed)
		rc = sort_changes(c);
	return c->failed ? -1 : rc;
}

/* ---- ordering ---- */

/* Index: id -> array of change numbers, for the ids of one list of each change. */
static void
index_add(json_t *ix, const char *id, size_t n)
{
	json_t *a = json_object_get(ix, id);

	if (!a)
		json_object_set_new(ix, id, a = json_array());
	json_array_append_new(a, json_integer((json_int_t)n));
}

struct graph {
	size_t n;
	size_t **out;
	size_t *nout, *capout, *indeg;
};

static void
edge(struct graph *g, size_t a, size_t b)
{
	if (a == b)
		return;
	for (size_t i = 0; i < g->nout[a]; i++)
		if (g->out[a][i] == b)
			return;
	if (g->nout[a] == g->capout[a]) {
		g->capout[a] = g->capout[a] ? 2 * g->capout[a] : 4;
		g->out[a] = xrealloc(g->out[a], g->capout[a] * sizeof **g->out);
	}
	g->out[a][g->nout[a]++] = b;
	g->indeg[b]++;
}

/* Edges from every change in ix under id (and its table, its call form) to change b (dir 0), or
   from b to them (dir 1). */
static void
edges_via(struct graph *g, json_t *ix, const char *id, size_t b, int dir)
{
	char *alt[2] = { table_of(id), call_of(id) };
	const char *keys[3] = { id, alt[0], alt[1] };
	json_t *x;
	size_t i;

	for (int k = 0; k < 3; k++) {
		if (!keys[k])
			continue;
		json_array_foreach(json_object_get(ix, keys[k]), i, x) {
			size_t a = (size_t)json_integer_value(x);

			if (dir == 0)
				edge(g, a, b);
			else
				edge(g, b, a);
		}
	}
	free(alt[0]);
	free(alt[1]);
}

/* The group of a change for the order dependencies leave free: drops, alters, creations. */
static int
group(const struct diffchange *ch)
{
	if (strcmp(ch->action, "set") == 0)
		return -1;
	if (strcmp(ch->action, "drop") == 0)
		return 0;
	if (strcmp(ch->action, "create") == 0)
		return 2;
	return 1;
}

/* Whether change a goes before b when both are free. */
static int
before(const struct diffchange *a, const struct diffchange *b)
{
	int ga = group(a), gb = group(b);

	if (ga != gb)
		return ga < gb;
	if (a->rank != b->rank)
		return ga == 0 ? a->rank > b->rank : a->rank < b->rank;
	return a->seq < b->seq;
}

static int
sort_changes(struct diffctx *c)
{
	json_t *cre = json_object(), *drp = json_object(), *pairs = json_object();
	struct graph g = { 0 };
	size_t *live = xmalloc((c->nch + 1) * sizeof *live), n = 0, i, k, got = 0;
	char *taken;
	int rc = 0;

	for (i = 0; i < c->nch; i++)
		if (!c->ch[i]->withdrawn)
			live[n++] = i;
	g.n = n;
	g.out = xcalloc(n + 1, sizeof *g.out);
	g.nout = xcalloc(n + 1, sizeof *g.nout);
	g.capout = xcalloc(n + 1, sizeof *g.capout);
	g.indeg = xcalloc(n + 1, sizeof *g.indeg);
	for (k = 0; k < n; k++) {
		struct diffchange *ch = c->ch[live[k]];

		for (i = 0; i < ch->creates.n; i++) {
			char *call = call_of(ch->creates.v[i]);

			index_add(cre, ch->creates.v[i], k);
			if (call)
				index_add(cre, call, k);
			free(call);
		}
		for (i = 0; i < ch->drops.n; i++) {
			char *call = call_of(ch->drops.v[i]);

			index_add(drp, ch->drops.v[i], k);
			if (call)
				index_add(drp, call, k);
			free(call);
		}
		index_add(pairs, ch->pair, k);
	}
	for (k = 0; k < n; k++) {
		struct diffchange *ch = c->ch[live[k]];
		json_t *x;

		/* what it uses is created first */
		for (i = 0; i < ch->uses.n; i++)
			edges_via(&g, cre, ch->uses.v[i], k, 0);
		/* what it stopped using is dropped after it */
		for (i = 0; i < ch->olduses.n; i++)
			edges_via(&g, drp, ch->olduses.v[i], k, 1);
		/* a drop comes before the creation of the same id */
		for (i = 0; i < ch->creates.n; i++)
			json_array_foreach(json_object_get(drp, ch->creates.v[i]), got, x)
				edge(&g, (size_t)json_integer_value(x), k);
		for (i = 0; i < ch->after.n; i++)
			json_array_foreach(json_object_get(pairs, ch->after.v[i]), got, x)
				edge(&g, (size_t)json_integer_value(x), k);
		/* the changes of one pair keep the order their handler gave them */
		if (k > 0) {
			json_t *pa = json_object_get(pairs, ch->pair);

			json_array_foreach(pa, got, x)
				if ((size_t)json_integer_value(x) == k) {
					if (got > 0)
						edge(&g, (size_t)json_integer_value(json_array_get(pa, got - 1)), k);
					break;
				}
		}
	}
	/* a recreation asked for by a pair's change: drop, the pair's changes, creation */
	{
		const char *rid;
		json_t *ra;

		json_object_foreach(c->req, rid, ra) {
			json_t *p, *x, *y;
			size_t j, m;

			json_array_foreach(ra, i, p) {
				size_t lo = (size_t)json_integer_value(json_array_get(p, 1));
				size_t hi = (size_t)json_integer_value(json_array_get(p, 2));

				if (strcmp(json_string_value(json_array_get(p, 0)), rid) == 0)
					continue;
				json_array_foreach(json_object_get(pairs, rid), j, x) {
					size_t a = (size_t)json_integer_value(x);
					int drop = strcmp(c->ch[live[a]]->action, "drop") == 0;

					json_array_foreach(json_object_get(pairs, json_string_value(json_array_get(p, 0))), m, y) {
						size_t b = (size_t)json_integer_value(y);

						if (c->ch[live[b]]->seq < lo || c->ch[live[b]]->seq >= hi)
							continue;

						if (drop)
							edge(&g, a, b);
						else
							edge(&g, b, a);
					}
				}
			}
		}
	}
	/* Kahn: of the free changes, the first by group, rank and emission order */
	taken = xcalloc(n + 1, 1);
	c->order = xmalloc((n + 1) * sizeof *c->order);
	for (got = 0; got < n; got++) {
		size_t best = n;

		for (k = 0; k < n; k++)
			if (!taken[k] && g.indeg[k] == 0 && (best == n || before(c->ch[live[k]], c->ch[live[best]])))
				best = k;
		if (best == n)
			break;
		taken[best] = 1;
		c->order[got] = live[best];
		for (i = 0; i < g.nout[best]; i++)
			g.indeg[g.out[best][i]]--;
	}
	if (got < n) {
		/* walk back from a change left over through changes left over until one repeats: the
		   cycle, named by its statements */
		size_t *seen = xcalloc(n + 1, sizeof *seen), v = 0, step = 1, start;
		struct buf b = { 0 };

		while (taken[v])
			v++;
		while (!seen[v]) {
			size_t p;

			seen[v] = step++;
			for (p = 0; p < n; p++) {
				if (taken[p])
					continue;
				for (i = 0; i < g.nout[p] && g.out[p][i] != v; i++)
					;
				if (i < g.nout[p])
					break;
			}
			v = p;
		}
		start = v;
		do {
			const struct diffchange *ch = c->ch[live[v]];
			size_t p;

			buf_printf(&b, "%s%s (%.60s)", b.len ? " after " : "", ch->id, ch->sql);
			for (p = 0; p < n; p++) {
				if (taken[p])
					continue;
				for (i = 0; i < g.nout[p] && g.out[p][i] != v; i++)
					;
				if (i < g.nout[p] && seen[p])
					break;
			}
			v = p;
		} while (v != start && v < n);
		warnx("the changes depend on each other in a cycle: %s", b.data);
		buf_free(&b);
		free(seen);
		c->failed = 1;
		rc = -1;
	}
	for (k = 0; k < n; k++)
		free(g.out[k]);
	free(g.out);
	free(g.nout);
	free(g.capout);
	free(g.indeg);
	free(taken);
	free(live);
	json_decref(cre);
	json_decref(drp);
	json_decref(pairs);
	return rc;
}

/* ---- output ---- */

static const char *const hazard_words[] = { "data loss", "table rewrite", "access exclusive lock", "index build",
	"share lock" };

/* Without allow_destructive: the left-out change that change ch (in sorted order
   before it: seen) needs done, whose absence would make ch fail: it creates again what that one
   drops, or drops what that one still uses (a schema, a type). NULL when none. The left-out ids:
   gone (what the left-out changes do not drop), used (what they still use), made (what the
   changes left out for this reason do not make), each id -> the left-out statement's first line. */
static const char *
needs_left_out(const struct diffchange *ch, json_t *gone, json_t *used, json_t *made)
{
	const char *why = NULL;
	size_t i;

	for (i = 0; i < ch->creates.n && !why; i++)
		why = json_string_value(json_object_get(gone, ch->creates.v[i]));
	for (i = 0; i < ch->drops.n && !why; i++)
		why = json_string_value(json_object_get(used, ch->drops.v[i]));
	for (i = 0; i < ch->uses.n && !why; i++)
		why = json_string_value(json_object_get(made, ch->uses.v[i]));
	return why;
}

/* Mark the changes left out: the destructive ones (without allow_destructive), and in turn what
   needs one of them done (needs_left_out), so that the file applies. held: per sorted change,
   NULL or the first line of the statement it needs (n strings, the caller frees them). */
static void
left_out(const struct diffctx *c, size_t n, char **held)
{
	json_t *gone = json_object(), *used = json_object(), *made = json_object();

	for (size_t i = 0; i < n; i++) {
		const struct diffchange *ch = c->ch[c->order[i]];
		const char *why = NULL;
		json_t *line;
		size_t k;

		held[i] = NULL;
		if (c->o.allow_destructive)
			continue;
		/* named by the first line of its statement */
		line = json_stringn(ch->sql, strcspn(ch->sql, "\n"));
		if (!(ch->flags & DF_DESTRUCTIVE)) {
			if (!(why = needs_left_out(ch, gone, used, made))) {
				json_decref(line);
				continue;
			}
			held[i] = xstrdup(why);
			for (k = 0; k < ch->creates.n; k++)
				json_object_set(made, ch->creates.v[k], line);
		}
		for (k = 0; k < ch->drops.n; k++)
			json_object_set(gone, ch->drops.v[k], line);
		for (k = 0; k < ch->olduses.n; k++)
			json_object_set(used, ch->olduses.v[k], line);
		json_decref(line);
	}
	json_decref(gone);
	json_decref(used);
	json_decref(made);
}

static void
write_sql(const struct diffctx *c, const struct diffchange *ch, const char *held)
{
	int off = ((ch->flags & DF_DESTRUCTIVE) && !c->o.allow_destructive) || held;

	for (int h = 0; h < 5; h++)
		if (ch->hazards & (1u << h))
			printf("-- hazard: %s\n", hazard_words[h]);
	if (ch->flags & DF_COMMIT)
		printf("-- conf-diff: commit: what this adds is used only after it commits\n");
	if (off) {
		const char *p = ch->sql;

		if (held)
			printf("-- destructive: left out with a statement above that it needs: %s\n", held);
		else
			printf("-- destructive: left out without --allow-destructive\n");
		while (*p) {
			const char *e = strchr(p, '\n');
			size_t len = e ? (size_t)(e - p) : strlen(p);

			printf("-- %.*s%s\n", (int)len, p, e ? "" : ";");
			p += len + (e ? 1 : 0);
		}
	} else {
		printf("%s;\n", ch->sql);
	}
}

static void
write_json(const struct diffctx *c, const struct diffchange *ch, const char *held)
{
	json_t *o = json_object(), *hz = json_array();
	char *s;

	for (int h = 0; h < 5; h++)
		if (ch->hazards & (1u << h))
			json_array_append_new(hz, json_string(hazard_words[h]));
	json_object_set_new(o, "kind", json_string("change"));
	json_object_set_new(o, "id", json_string(ch->id));
	json_object_set_new(o, "action", json_string(ch->action));
	json_object_set_new(o, "sql", json_string(ch->sql));
	json_object_set_new(o, "hazards", hz);
	json_object_set_new(o, "tx", json_boolean(!(ch->flags & (DF_NOTX | DF_COMMIT))));
	if (ch->flags & DF_COMMIT)
		json_object_set_new(o, "commit", json_true());
	if (ch->flags & DF_DESTRUCTIVE)
		json_object_set_new(o, "destructive", json_true());
	if ((ch->flags & DF_DESTRUCTIVE) && !c->o.allow_destructive)
		json_object_set_new(o, "skipped", json_true());
	else if (held) {
		json_object_set_new(o, "skipped", json_true());
		json_object_set_new(o, "needs", json_string(held));
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	printf("%s\n", s);
	free(s);
	json_decref(o);
}

/* A session statement of the output (SET or RESET search_path) as its own change. */
static void
set_path(const struct diffctx *c, int json, size_t *k, const char *path)
{
	struct diffchange ch = { 0 };

	/* not "session": that id is the preamble, which --no-online leaves out */
	ch.id = "search_path";
	ch.action = "set";
	ch.sql = path ? xasprintf("SET search_path = %s", path) : xstrdup("RESET search_path");
	if (json)
		write_json(c, &ch, NULL);
	else
		printf("%s%s;\n", (*k)++ ? "\n" : "", ch.sql);
	free(ch.sql);
}

void
diff_write(struct diffctx *c, int json)
{
	size_t n = diff_count(c), k = 0;
	struct diffchange pre[2] = { 0 };
	const char *names[2] = { "lock_timeout", "statement_timeout" };
	const char *vals[2] = { c->o.lock_timeout, c->o.statement_timeout };
	const char *path = NULL;
	char **held;

	if (!c->order || n == 0)
		return;
	if (c->o.online)
		for (int i = 0; i < 2; i++) {
			char *lit;

			if (!vals[i] || strcmp(vals[i], "0") == 0)
				continue;
			lit = diff_literal(vals[i]);
			pre[i].id = "session";
			pre[i].action = "set";
			pre[i].sql = xasprintf("SET %s = %s", names[i], lit);
			free(lit);
			if (json)
				write_json(c, &pre[i], NULL);
			else
				printf("%s%s;\n", k++ ? "" : "", pre[i].sql);
			free(pre[i].sql);
		}
	held = xcalloc(n + 1, sizeof *held);
	left_out(c, n, held);
	for (size_t i = 0; i < n; i++) {
		const struct diffchange *ch = c->ch[c->order[i]];
		int off = ((ch->flags & DF_DESTRUCTIVE) && !c->o.allow_destructive) || held[i];

		/* a source text runs under the search_path it was written for, whatever the session's */
		if (ch->path && !off && (!path || strcmp(path, ch->path) != 0)) {
			path = ch->path;
			set_path(c, json, &k, path);
		}
		if (json)
			write_json(c, ch, held[i]);
		else {
			if (k++)
				printf("\n");
			write_sql(c, ch, held[i]);
		}
		free(held[i]);
	}
	if (path)
		set_path(c, json, &k, NULL);
	free(held);
}

/* ---- SQL text ---- */

/* PostgreSQL's keywords that are not unreserved (kwlist.h: reserved, type_func_name, col_name):
   an identifier spelled like one is quoted. Sorted for bsearch. */
static const char *const kw[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
	"between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
	"check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
	"cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
	"current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
	"distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float",
	"for", "foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having",
	"ilike", "in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into",
	"is", "isnull", "join", "json_array", "json_arrayagg", "json_object", "json_objectagg",
	"lateral", "leading", "least", "left", "like", "limit", "localtime", "localtimestamp",
	"national", "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif",
	"numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
	"placing", "position", "precision", "primary", "real", "references", "returning", "right",
	"row", "select", "session_user", "setof", "similar", "smallint", "some", "substring",
	"symmetric", "system_user", "table", "tablesample", "then", "time", "timestamp", "to",
	"trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values", "varchar",
	"variadic", "verbose", "when", "where", "window", "with", "xmlattributes", "xmlconcat",
	"xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi", "xmlroot",
	"xmlserialize", "xmltable",
};

char *
diff_quote(const char *name)
{
	int plain = *name && ((*name >= 'a' && *name <= 'z') || *name == '_');
	struct buf b = { 0 };

	for (const char *p = name; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '$';
	if (plain && !bsearch(&name, kw, sizeof kw / sizeof *kw, sizeof *kw, cmp_str))
		return xstrdup(name);
	buf_puts(&b, "\"");
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_add(&b, p, 1);
		buf_add(&b, p, 1);
	}
	buf_puts(&b, "\"");
	return b.data;
}

char *
diff_qname(const char *schema, const char *name)
{
	char *a = diff_quote(schema), *b = diff_quote(name), *r = xasprintf("%s.%s", a, b);

	free(a);
	free(b);
	return r;
}

/* The parts of an id after its kind, unquoted. */
static void
id_parts(const char *id, struct strv *out)
{
	const char *p = strchr(id, ':');
	struct buf b = { 0 };

	p = p ? p + 1 : id;
	buf_puts(&b, "");
	while (*p && *p != '(') {
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					buf_add(&b, p++, 1);
				else if (*p == '"')
					break;
				else
					buf_add(&b, p, 1);
			}
			if (*p)
				p++;
		} else if (*p == '.') {
			strv_add(out, b.data);
			b.len = 0;
			b.data[0] = 0;
			p++;
		} else {
			buf_add(&b, p++, 1);
		}
	}
	strv_add(out, b.data);
	buf_free(&b);
}

char *
diff_idsql(const char *id)
{
	struct strv v = { 0 };
	struct buf b = { 0 };

	id_parts(id, &v);
	buf_puts(&b, "");
	for (size_t i = 0; i < v.n; i++) {
		char *q = diff_quote(v.v[i]);

		if (i)
			buf_puts(&b, ".");
		buf_puts(&b, q);
		free(q);
	}
	strv_free(&v);
	return b.data;
}

char *
diff_idlast(const char *id)
{
	struct strv v = { 0 };
	char *r;

	id_parts(id, &v);
	r = xstrdup(v.n ? v.v[v.n - 1] : "");
	strv_free(&v);
	return r;
}

char *
diff_recname(const json_t *rec)
{
	const char *s = json_string_value(json_object_get(rec, "schema"));
	const char *n = json_string_value(json_object_get(rec, "name"));

	if (!n)
		n = "";
	return s ? diff_qname(s, n) : diff_quote(n);
}

char *
diff_literal(const char *s)
{
	struct buf b = { 0 };

	if (strchr(s, '\\'))
		buf_puts(&b, "E");
	buf_puts(&b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			buf_add(&b, p, 1);
		buf_add(&b, p, 1);
	}
	buf_puts(&b, "'");
	return b.data;
}

static int
text_key(const char *k)
{
	return strcmp(k, "file") == 0 || strcmp(k, "line") == 0 || strcmp(k, "col") == 0 || strcmp(k, "sql") == 0
	    || ends_with(k, "_sql");
}

/* A copy of v without the text-only keys. */
static json_t *
strip(const json_t *v)
{
	if (json_is_object(v)) {
		json_t *o = json_object(), *x;
		const char *k;

		json_object_foreach((json_t *)v, k, x)
			if (!text_key(k))
				json_object_set_new(o, k, strip(x));
		return o;
	}
	if (json_is_array(v)) {
		json_t *a = json_array(), *x;
		size_t i;

		json_array_foreach(v, i, x)
			json_array_append_new(a, strip(x));
		return a;
	}
	return json_deep_copy(v);
}

int
diff_same(const json_t *a, const json_t *b)
{
	json_t *x = strip(a), *y = strip(b);
	int eq;

	/* the ids differ under a rename: compare the rest */
	json_object_del(x, "id");
	json_object_del(y, "id");
	json_object_del(x, "name");
	json_object_del(y, "name");
	eq = json_equal(x, y);
	json_decref(x);
	json_decref(y);
	return eq && diff_field_same(a, b, "name");
}

int
diff_field_same(const json_t *a, const json_t *b, const char *key)
{
	json_t *x = json_object_get(a, key), *y = json_object_get(b, key);

	if (!x || !y)
		return !x && !y;
	if (json_is_object(x) || json_is_array(x)) {
		json_t *p = strip(x), *q = strip(y);
		int eq = json_equal(p, q);

		json_decref(p);
		json_decref(q);
		return eq;
	}
	return json_equal(x, y);
}
