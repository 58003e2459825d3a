/* conf-diff's handlers for the kinds of lib/modelsql_ext.c: text search dictionaries and
   configurations, operator families and classes, foreign data wrappers, servers, user mappings
   and foreign tables, languages, access methods. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diff.h"
#include "fsx.h"
#include "model.h"

static const char *
S(const json_t *r, const char *k)
{
	return json_string_value(json_object_get(r, k));
}

static int
B(const json_t *r, const char *k)
{
	return json_is_true(json_object_get(r, k));
}

static int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static int
starts(const char *s, const char *p)
{
	return s && strncmp(s, p, strlen(p)) == 0;
}

/* Whether a and b differ in a field other than those listed (and the text-only ones). */
static int
differ_beyond(const json_t *a, const json_t *b, const char *const *keys)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	int d;

	for (size_t i = 0; keys[i]; i++) {
		json_object_del(x, keys[i]);
		json_object_del(y, keys[i]);
	}
	d = !diff_same(x, y);
	json_decref(x), json_decref(y);
	return d;
}

/* The SQL of a name as the model holds it inside an id ("s.n", "\"N\"", "n"): each part through
   diff_quote. */
static char *
name_sql(const char *qn)
{
	struct buf b = { 0 };
	const char *p = qn;

	buf_puts(&b, "");
	while (*p) {
		char part[512];
		size_t n = 0;

		if (*p == '"') {
			for (p++; *p && n < sizeof part - 1; p++) {
				if (*p == '"' && p[1] == '"')
					part[n++] = '"', p++;
				else if (*p == '"') {
					p++;
					break;
				} else
					part[n++] = *p;
			}
		} else {
			while (*p && *p != '.' && *p != '(' && n < sizeof part - 1)
				part[n++] = *p++;
		}
		part[n] = 0;
		char *qp = diff_quote(part);

		buf_puts(&b, qp);
		free(qp);
		if (*p == '.') {
			buf_puts(&b, ".");
			p++;
		} else {
			break;
		}
	}
	return b.data;
}

/* The SQL name of an id's object: kind:NAME(args) -> NAME through name_sql (args dropped). */
static char *
id_name(const char *id)
{
	const char *c = strchr(id, ':');

	return name_sql(c ? c + 1 : id);
}

/* The argument list of an id, "(a,b)" -> "a, b" (newly allocated, "" without one). */
static char *
id_args(const char *id)
{
	const char *p = strrchr(id, '(');
	struct buf b = { 0 };

	buf_puts(&b, "");
	if (!p)
		return b.data;
	for (p++; *p && *p != ')'; p++) {
		if (*p == ',')
			buf_puts(&b, ", ");
		else
			buf_add(&b, p, 1);
	}
	return b.data;
}

/* A routine id as SQL with its argument list: function:s.f(a,b) -> s.f(a, b). */
static char *
routine_sql(const char *id)
{
	char *n = id_name(id), *a = id_args(id), *s = xasprintf("%s(%s)", n, a);

	free(n), free(a);
	return s;
}

/* Generic options ["k=v", ...] as OPTIONS (k 'v', ...) text ("" when none); action: a word before
   each (ADD, DROP: then no value) or NULL. */
static void
put_opts(struct buf *b, const json_t *opts, const char *action)
{
	size_t i;
	json_t *o;

	json_array_foreach(opts, i, o) {
		const char *s = json_string_value(o), *eq = strchr(s, '=');
		char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s)), *qk = diff_quote(k);

		buf_printf(b, "%s%s%s%s", i ? ", " : "", action ? action : "", action ? " " : "", qk);
		if (!action || strcmp(action, "DROP") != 0) {
			char *l = diff_literal(eq ? eq + 1 : "");

			buf_printf(b, " %s", l);
			free(l);
		}
		free(k), free(qk);
	}
}

/* " OPTIONS (...)" for a creation, or "". */
static void
create_opts(struct buf *b, const json_t *opts)
{
	if (!json_array_size(opts))
		return;
	buf_puts(b, " OPTIONS (");
	put_opts(b, opts, NULL);
	buf_puts(b, ")");
}

/* The value of option k=... in opts, or NULL. */
static const char *
opt_value(const json_t *opts, const char *k)
{
	size_t i, n = strlen(k);
	json_t *o;

	json_array_foreach(opts, i, o) {
		const char *s = json_string_value(o);

		if (s && strncmp(s, k, n) == 0 && s[n] == '=')
			return s + n + 1;
	}
	return NULL;
}

/* The OPTIONS (...) clause turning old options into new (DROP, SET, ADD), or NULL when equal;
   the order of new is kept when the keys of both are in the same order. */
static char *
alter_opts(const json_t *old, const json_t *new)
{
	struct buf b = { 0 };
	size_t i, n = 0;
	json_t *o;

	if (json_equal((json_t *)(old ? old : json_null()), (json_t *)(new ? new : json_null()))
	    || (!json_array_size(old) && !json_array_size(new)))
		return NULL;
	buf_puts(&b, "OPTIONS (");
	json_array_foreach(old, i, o) {
		const char *s = json_string_value(o), *eq = strchr(s, '=');
		char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s));

		if (!opt_value(new, k)) {
			char *qk = diff_quote(k);

			buf_printf(&b, "%sDROP %s", n++ ? ", " : "", qk);
			free(qk);
		}
		free(k);
	}
	json_array_foreach(new, i, o) {
		const char *s = json_string_value(o), *eq = strchr(s, '=');
		char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s)), *qk = diff_quote(k);
		const char *ov = opt_value(old, k);
		char *l = diff_literal(eq ? eq + 1 : "");

		if (!ov)
			buf_printf(&b, "%sADD %s %s", n++ ? ", " : "", qk, l);
		else if (!streq(ov, eq ? eq + 1 : ""))
			buf_printf(&b, "%sSET %s %s", n++ ? ", " : "", qk, l);
		free(k), free(qk), free(l);
	}
	buf_puts(&b, ")");
	if (!n) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

/* Whether the keys of the options of a and b are in the same relative order (else an ALTER cannot
   give b's order: the object is made again). */
static int
same_order(const json_t *a, const json_t *b)
{
	size_t i, last = 0;
	json_t *o;
	int first = 1;

	json_array_foreach(a, i, o) {
		const char *s = json_string_value(o), *eq = strchr(s, '=');
		char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s));
		size_t j;
		json_t *p;
		int found = 0;

		json_array_foreach(b, j, p) {
			const char *t = json_string_value(p);
			size_t n = strlen(k);

			if (strncmp(t, k, n) == 0 && t[n] == '=') {
				if (!first && j < last) {
					free(k);
					return 0;
				}
				last = j, first = 0, found = 1;
			}
		}
		(void)found;
		free(k);
	}
	/* options only in b are appended by ADD: they must come after every kept one */
	json_array_foreach(b, i, o) {
		const char *s = json_string_value(o), *eq = strchr(s, '=');
		char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s));

		if (!opt_value(a, k) && !first && i < last) {
			free(k);
			return 0;
		}
		free(k);
	}
	return 1;
}

/* An alter change of new's id that needs what new refers to. */
static struct diffchange *
alter(struct diffctx *c, const json_t *new, const char *sql)
{
	struct diffchange *ch = diff_emit(c, S(new, "id"), "alter", 0, 0, sql);
	struct strv u = { 0 };

	diff_refs(c, 1, new, &u);
	for (size_t i = 0; i < u.n; i++)
		diff_uses(ch, u.v[i]);
	strv_free(&u);
	return ch;
}

/* ---- text search ---- */

static int
ts_dict_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const opts[] = { "options", NULL };
	struct buf b = { 0 };
	char *n;

	if (old && new) {
		if (differ_beyond(old, new, opts) || !diff_field_same(old, new, "schema") || !diff_field_same(old, new, "name")) {
			diff_recreate(c, S(old, "id"));
			return 0;
		}
		if (diff_field_same(old, new, "options"))
			return 0;
		/* every old option removed, then the new ones in their order */
		n = diff_recname(new);
		buf_printf(&b, "ALTER TEXT SEARCH DICTIONARY %s (", n);
		size_t i, k = 0;
		json_t *o;

		json_array_foreach(json_object_get(old, "options"), i, o) {
			const char *s = json_string_value(o), *eq = strchr(s, '=');
			char *key = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s)), *qk = diff_quote(key);

			buf_printf(&b, "%s%s", k++ ? ", " : "", qk);
			free(key), free(qk);
		}
		json_array_foreach(json_object_get(new, "options"), i, o) {
			const char *s = json_string_value(o), *eq = strchr(s, '=');
			char *key = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s)), *qk = diff_quote(key);
			char *l = diff_literal(eq ? eq + 1 : "");

			buf_printf(&b, "%s%s = %s", k++ ? ", " : "", qk, l);
			free(key), free(qk), free(l);
		}
		buf_puts(&b, ")");
		alter(c, new, b.data);
		buf_free(&b);
		free(n);
		return 0;
	}
	if (new) {
		char *t = name_sql(S(new, "template"));
		size_t i;
		json_t *o;

		n = diff_recname(new);
		buf_printf(&b, "CREATE TEXT SEARCH DICTIONARY %s (TEMPLATE = %s%s", n, strchr(S(new, "template"), '.') ? "" : "pg_catalog.", t);
		json_array_foreach(json_object_get(new, "options"), i, o) {
			const char *s = json_string_value(o), *eq = strchr(s, '=');
			char *key = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s)), *qk = diff_quote(key);
			char *l = diff_literal(eq ? eq + 1 : "");

			buf_printf(&b, ", %s = %s", qk, l);
			free(key), free(qk), free(l);
		}
		buf_puts(&b, ")");
		diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
		buf_free(&b);
		free(t), free(n);
		return 0;
	}
	n = diff_recname(old);
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP TEXT SEARCH DICTIONARY %s", n);
	free(n);
	return 0;
}

/* CREATE TEXT SEARCH PARSER / TEMPLATE; any change makes it again. */
static int
ts_funcs_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const pk[] = { "start", "gettoken", "end", "lextypes", "headline", NULL },
		*const tk[] = { "init", "lexize", NULL };
	const json_t *r = new ? new : old;
	int prs = streq(S(r, "kind"), "ts_parser");
	const char *const *keys = prs ? pk : tk;
	struct buf b = { 0 };
	char *n;

	if (old && new) {
		if (!diff_same(old, new))
			diff_recreate(c, S(old, "id"));
		return 0;
	}
	n = diff_recname(r);
	if (!new) {
		diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP TEXT SEARCH %s %s", prs ? "PARSER" : "TEMPLATE", n);
		free(n);
		return 0;
	}
	buf_printf(&b, "CREATE TEXT SEARCH %s %s (", prs ? "PARSER" : "TEMPLATE", n);
	for (size_t i = 0, k = 0; keys[i]; i++) {
		char *f;

		if (!S(new, keys[i]))
			continue;
		f = id_name(S(new, keys[i]));
		buf_printf(&b, "%s%s = %s", k++ ? ", " : "", keys[i], f);
		free(f);
	}
	buf_puts(&b, ")");
	diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
	buf_free(&b);
	free(n);
	return 0;
}

/* A dictionary or parser name of a configuration as SQL: a built-in's pg_catalog-qualified. */
static char *
ts_name(const char *n)
{
	char *s = name_sql(n), *r;

	if (strchr(n, '.'))
		return s;
	r = xasprintf("pg_catalog.%s", s);
	free(s);
	return r;
}

/* The dictionary list of a mapping as SQL. */
static char *
dict_list(const json_t *m)
{
	struct buf b = { 0 };
	size_t i;
	json_t *d;

	buf_puts(&b, "");
	json_array_foreach(json_object_get(m, "dictionaries"), i, d) {
		char *s = ts_name(json_string_value(d));

		buf_printf(&b, "%s%s", i ? ", " : "", s);
		free(s);
	}
	return b.data;
}

/* The mapping of token tok in r, or NULL. */
static const json_t *
mapping(const json_t *r, const char *tok)
{
	size_t i;
	json_t *m;

	json_array_foreach(json_object_get(r, "mappings"), i, m)
		if (streq(S(m, "token"), tok))
			return m;
	return NULL;
}

/* ALTER TEXT SEARCH CONFIGURATION statements turning the mappings of old (NULL: none) into new's:
   DROP MAPPING for tokens gone, ADD/ALTER MAPPING per dictionary list (tokens that share one in
   one statement). */
static void
ts_mappings(struct diffctx *c, const json_t *old, const json_t *new)
{
	char *n = diff_recname(new);
	json_t *done = json_object(), *m;
	size_t i;
	struct buf drop = { 0 };

	json_array_foreach(json_object_get(old, "mappings"), i, m)
		if (!mapping(new, S(m, "token")))
			buf_printf(&drop, "%s%s", drop.len ? ", " : "", S(m, "token"));
	if (drop.len) {
		char *sql = xasprintf("ALTER TEXT SEARCH CONFIGURATION %s DROP MAPPING FOR %s", n, drop.data);

		diff_uses(alter(c, new, sql), S(new, "id"));
		free(sql);
	}
	buf_free(&drop);
	json_array_foreach(json_object_get(new, "mappings"), i, m) {
		const json_t *om = mapping(old, S(m, "token"));
		int add = !om;
		struct buf toks = { 0 };
		size_t j;
		json_t *x;

		if (json_object_get(done, S(m, "token")) || (om && json_equal(json_object_get(om, "dictionaries"),
		                                                  json_object_get(m, "dictionaries"))))
			continue;
		/* the later tokens with the same list and the same verb */
		json_array_foreach(json_object_get(new, "mappings"), j, x) {
			const json_t *ox = mapping(old, S(x, "token"));

			if (j < i || json_object_get(done, S(x, "token")) || (!ox) != add
			    || !json_equal(json_object_get(x, "dictionaries"), json_object_get(m, "dictionaries"))
			    || (ox && json_equal(json_object_get(ox, "dictionaries"), json_object_get(x, "dictionaries"))))
				continue;
			buf_printf(&toks, "%s%s", toks.len ? ", " : "", S(x, "token"));
			json_object_set_new(done, S(x, "token"), json_true());
		}
		char *dl = dict_list(m), *sql = xasprintf("ALTER TEXT SEARCH CONFIGURATION %s %s MAPPING FOR %s WITH %s", n,
		    add ? "ADD" : "ALTER", toks.data, dl);

		diff_uses(alter(c, new, sql), S(new, "id"));
		free(sql), free(dl);
		buf_free(&toks);
	}
	json_decref(done);
	free(n);
}

static int
ts_config_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const maps[] = { "mappings", NULL };
	char *n;

	if (old && new) {
		if (differ_beyond(old, new, maps)) {
			diff_recreate(c, S(old, "id"));
			return 0;
		}
		ts_mappings(c, old, new);
		return 0;
	}
	if (new) {
		char *p = S(new, "parser") ? ts_name(S(new, "parser")) : xstrdup("pg_catalog.\"default\"");

		n = diff_recname(new);
		diff_emitf(c, S(new, "id"), "create", 0, 0, "CREATE TEXT SEARCH CONFIGURATION %s (PARSER = %s)", n, p);
		free(p), free(n);
		ts_mappings(c, NULL, new);
		return 0;
	}
	n = diff_recname(old);
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP TEXT SEARCH CONFIGURATION %s", n);
	free(n);
	return 0;
}

/* ---- operator families and classes ---- */

/* An operator id as CREATE OPERATOR CLASS names it: schema.op (l, r) (NONE for a missing side). */
static char *
operator_sql(const char *id, int with_types)
{
	const char *p = id + strlen("operator:"), *dot = NULL, *paren = strrchr(p, '(');
	char *schema, *name, *args, *s;

	/* the schema is an identifier up to the first dot outside quotes */
	if (*p == '"') {
		const char *q = p + 1;

		while (*q && !(*q == '"' && q[1] != '"'))
			q += *q == '"' ? 2 : 1;
		dot = *q ? q + 1 : NULL;
	} else {
		dot = strchr(p, '.');
	}
	if (!dot || !paren)
		return xstrdup(id);
	schema = xstrndup(p, (size_t)(dot - p));
	name = xstrndup(dot + 1, (size_t)(paren - dot - 1));
	args = id_args(id);
	{
		char *qs = name_sql(schema);

		s = with_types ? xasprintf("%s.%s (%s)", qs, name, args) : xasprintf("%s.%s", qs, name);
		free(qs);
	}
	free(schema), free(name), free(args);
	return s;
}

/* The members of a class or family as items: OPERATOR n op (l, r) [FOR ORDER BY f], FUNCTION n
   (l, r) f(args). */
static void
put_members(struct buf *b, const json_t *r, int *n)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(r, "operators"), i, e) {
		char *o = operator_sql(S(e, "operator"), 1);

		buf_printf(b, "%sOPERATOR %lld %s", (*n)++ ? ",\n    " : "\n    ", (long long)json_integer_value(json_object_get(e, "strategy")), o);
		if (S(e, "order_by")) {
			char *f = id_name(S(e, "order_by"));

			buf_printf(b, " FOR ORDER BY %s", f);
			free(f);
		}
		free(o);
	}
	json_array_foreach(json_object_get(r, "functions"), i, e) {
		char *f = routine_sql(S(e, "function"));

		buf_printf(b, "%sFUNCTION %lld (%s, %s) %s", (*n)++ ? ",\n    " : "\n    ",
		    (long long)json_integer_value(json_object_get(e, "number")), S(e, "lefttype"), S(e, "righttype"), f);
		free(f);
	}
}

/* Whether member e is in array a. */
static int
has_member(const json_t *a, const json_t *e)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (diff_same(x, e))
			return 1;
	return 0;
}

/* ALTER OPERATOR FAMILY ... DROP / ADD for the loose members of old and new (old NULL: none). */
static void
family_members(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const keys[] = { "operators", "functions" };
	char *n = diff_recname(new);
	const char *m = S(new, "method");
	struct buf drop = { 0 }, add = { 0 };
	int na = 0;

	for (int k = 0; k < 2; k++) {
		size_t i;
		json_t *e;

		json_array_foreach(json_object_get(old, keys[k]), i, e) {
			if (has_member(json_object_get(new, keys[k]), e))
				continue;
			if (k == 0) {
				char *a = id_args(S(e, "operator"));

				buf_printf(&drop, "%sOPERATOR %lld (%s)", drop.len ? ", " : "", (long long)json_integer_value(json_object_get(e, "strategy")), a);
				free(a);
			} else {
				buf_printf(&drop, "%sFUNCTION %lld (%s, %s)", drop.len ? ", " : "",
				    (long long)json_integer_value(json_object_get(e, "number")), S(e, "lefttype"), S(e, "righttype"));
			}
		}
	}
	{
		json_t *only = json_object();

		for (int k = 0; k < 2; k++) {
			json_t *a = json_array(), *e;
			size_t i;

			json_array_foreach(json_object_get(new, keys[k]), i, e)
				if (!has_member(json_object_get(old, keys[k]), e))
					json_array_append(a, e);
			json_object_set_new(only, keys[k], a);
		}
		put_members(&add, only, &na);
		json_decref(only);
	}
	if (drop.len) {
		char *sql = xasprintf("ALTER OPERATOR FAMILY %s USING %s DROP %s", n, m, drop.data);

		diff_uses(alter(c, new, sql), S(new, "id"));
		free(sql);
	}
	if (na) {
		char *sql = xasprintf("ALTER OPERATOR FAMILY %s USING %s ADD%s", n, m, add.data);

		diff_uses(alter(c, new, sql), S(new, "id"));
		free(sql);
	}
	buf_free(&drop), buf_free(&add);
	free(n);
}

static int
opfamily_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const members[] = { "operators", "functions", NULL };
	char *n;

	if (old && new) {
		if (differ_beyond(old, new, members)) {
			diff_recreate(c, S(old, "id"));
			return 0;
		}
		family_members(c, old, new);
		return 0;
	}
	if (new) {
		n = diff_recname(new);
		diff_emitf(c, S(new, "id"), "create", 0, 0, "CREATE OPERATOR FAMILY %s USING %s", n, S(new, "method"));
		free(n);
		family_members(c, NULL, new);
		return 0;
	}
	n = diff_recname(old);
	/* its classes go with it */
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP OPERATOR FAMILY %s USING %s", n, S(old, "method"));
	free(n);
	return 0;
}

static int
opclass_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	struct buf b = { 0 };
	char *n;
	int k = 0;

	if (old && new) {
		if (!diff_same(old, new))
			diff_recreate(c, S(old, "id"));
		return 0;
	}
	if (new) {
		char *f = id_name(S(new, "family"));

		n = diff_recname(new);
		buf_printf(&b, "CREATE OPERATOR CLASS %s%s FOR TYPE %s USING %s FAMILY %s AS", n, B(new, "default") ? " DEFAULT" : "",
		    S(new, "type"), S(new, "method"), f);
		put_members(&b, new, &k);
		/* a class whose members are all its family's still states one item */
		if (S(new, "storage") || !k)
			buf_printf(&b, "%sSTORAGE %s", k++ ? ",\n    " : "\n    ", S(new, "storage") ? S(new, "storage") : S(new, "type"));
		diff_uses(diff_emit(c, S(new, "id"), "create", 0, 0, b.data), S(new, "family"));
		buf_free(&b);
		free(f), free(n);
		return 0;
	}
	/* dropped with its family: nothing to say */
	if (diff_dropped(c, S(old, "family")) && !diff_get(c, 1, S(old, "family")))
		return 0;
	n = diff_recname(old);
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP OPERATOR CLASS %s USING %s", n, S(old, "method"));
	free(n);
	return 0;
}

/* ---- foreign data ---- */

static int
fdw_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const opts[] = { "options", NULL };
	struct buf b = { 0 };
	char *n = diff_quote(S(old ? old : new, "name"));

	if (old && new) {
		char *o;

		if (differ_beyond(old, new, opts) || !same_order(json_object_get(old, "options"), json_object_get(new, "options")))
			diff_recreate(c, S(old, "id"));
		else if ((o = alter_opts(json_object_get(old, "options"), json_object_get(new, "options")))) {
			char *sql = xasprintf("ALTER FOREIGN DATA WRAPPER %s %s", n, o);

			alter(c, new, sql);
			free(sql), free(o);
		}
		free(n);
		return 0;
	}
	if (new) {
		buf_printf(&b, "CREATE FOREIGN DATA WRAPPER %s", n);
		if (S(new, "handler")) {
			char *h = id_name(S(new, "handler"));

			buf_printf(&b, " HANDLER %s", h);
			free(h);
		}
		if (S(new, "validator")) {
			char *v = id_name(S(new, "validator"));

			buf_printf(&b, " VALIDATOR %s", v);
			free(v);
		}
		create_opts(&b, json_object_get(new, "options"));
		diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
		buf_free(&b);
		free(n);
		return 0;
	}
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP FOREIGN DATA WRAPPER %s", n);
	free(n);
	return 0;
}

static int
server_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const opts[] = { "options", "version", NULL };
	struct buf b = { 0 };
	char *n = diff_quote(S(old ? old : new, "name"));

	if (old && new) {
		char *o = NULL;

		if (differ_beyond(old, new, opts) || !same_order(json_object_get(old, "options"), json_object_get(new, "options"))
		    || (S(old, "version") && !S(new, "version"))) {
			diff_recreate(c, S(old, "id"));
			free(n);
			return 0;
		}
		o = alter_opts(json_object_get(old, "options"), json_object_get(new, "options"));
		if (o || !diff_field_same(old, new, "version")) {
			char *v = S(new, "version") && !diff_field_same(old, new, "version") ? diff_literal(S(new, "version")) : NULL;
			char *sql = xasprintf("ALTER SERVER %s%s%s%s%s", n, v ? " VERSION " : "", v ? v : "", o ? " " : "", o ? o : "");

			alter(c, new, sql);
			free(sql), free(v);
		}
		free(o), free(n);
		return 0;
	}
	if (new) {
		char *w = diff_quote(S(new, "fdw"));

		buf_printf(&b, "CREATE SERVER %s", n);
		if (S(new, "type")) {
			char *l = diff_literal(S(new, "type"));

			buf_printf(&b, " TYPE %s", l);
			free(l);
		}
		if (S(new, "version")) {
			char *l = diff_literal(S(new, "version"));

			buf_printf(&b, " VERSION %s", l);
			free(l);
		}
		buf_printf(&b, " FOREIGN DATA WRAPPER %s", w);
		create_opts(&b, json_object_get(new, "options"));
		diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
		buf_free(&b);
		free(n), free(w);
		return 0;
	}
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP SERVER %s", n);
	free(n);
	return 0;
}

/* FOR role SERVER s of a user mapping. */
static char *
mapping_target(const json_t *r)
{
	char *u = streq(S(r, "user"), "PUBLIC") ? xstrdup("PUBLIC") : diff_quote(S(r, "user"));
	char *s = diff_quote(S(r, "server")), *t = xasprintf("FOR %s SERVER %s", u, s);

	free(u), free(s);
	return t;
}

static int
user_mapping_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const opts[] = { "options", NULL };
	char *t = mapping_target(old ? old : new);

	if (old && new) {
		char *o;

		if (!diff_field_same(old, new, "password")) {
			/* the model has no password text to set: the mapping needs it from the operator */
			free(t);
			return diff_fail(c, S(new, "id"), "conf-diff cannot set a user mapping's password (the model holds only whether there is one)");
		}
		if (differ_beyond(old, new, opts) || !same_order(json_object_get(old, "options"), json_object_get(new, "options")))
			diff_recreate(c, S(old, "id"));
		else if ((o = alter_opts(json_object_get(old, "options"), json_object_get(new, "options")))) {
			char *sql = xasprintf("ALTER USER MAPPING %s %s", t, o);

			alter(c, new, sql);
			free(sql), free(o);
		}
		free(t);
		return 0;
	}
	if (new) {
		struct buf b = { 0 };

		if (B(new, "password")) {
			free(t);
			return diff_fail(c, S(new, "id"), "conf-diff cannot create a user mapping with a password (the model holds only whether there is one)");
		}
		buf_printf(&b, "CREATE USER MAPPING %s", t);
		create_opts(&b, json_object_get(new, "options"));
		diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
		buf_free(&b);
		free(t);
		return 0;
	}
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP USER MAPPING %s", t);
	free(t);
	return 0;
}

int
diff_ext_foreign_create(struct diffctx *c, const json_t *t)
{
	struct buf b = { 0 };
	char *tn = diff_recname(t), *sv = diff_quote(S(t, "server"));
	size_t i, n = 0;
	json_t *x;

	buf_printf(&b, "CREATE FOREIGN TABLE %s (", tn);
	json_array_foreach(json_object_get(t, "columns"), i, x) {
		char *cn = diff_quote(S(x, "name"));

		buf_printf(&b, "%s%s %s", n++ ? ",\n    " : "\n    ", cn, S(x, "type"));
		create_opts(&b, json_object_get(x, "options"));
		if (S(x, "collation")) {
			char *cl = name_sql(S(x, "collation"));

			buf_printf(&b, " COLLATE %s", cl);
			free(cl);
		}
		if (S(x, "default_sql"))
			buf_printf(&b, " DEFAULT %s", S(x, "default_sql"));
		if (B(x, "not_null"))
			buf_puts(&b, " NOT NULL");
		free(cn);
	}
	json_array_foreach(json_object_get(t, "constraints"), i, x) {
		char *cn = diff_quote(S(x, "name"));

		if (!streq(S(x, "type"), "check")) {
			free(cn), free(tn), free(sv);
			buf_free(&b);
			return diff_fail(c, S(t, "id"), "conf-diff cannot create a foreign table with a %s constraint", S(x, "type"));
		}
		buf_printf(&b, "%sCONSTRAINT %s CHECK (%s)%s", n++ ? ",\n    " : "\n    ", cn, S(x, "expr_sql"),
		    B(x, "no_inherit") ? " NO INHERIT" : "");
		free(cn);
	}
	buf_printf(&b, "%s) SERVER %s", n ? "\n" : "", sv);
	create_opts(&b, json_object_get(t, "options"));
	diff_emit(c, S(t, "id"), "create", 0, 0, b.data);
	buf_free(&b);
	free(tn), free(sv);
	return 0;
}

int
diff_ext_foreign_drop(struct diffctx *c, const json_t *t)
{
	char *tn = diff_recname(t);

	diff_emitf(c, S(t, "id"), "drop", 0, 0, "DROP FOREIGN TABLE %s", tn);
	free(tn);
	return 0;
}

int
diff_ext_foreign_alter(struct diffctx *c, const json_t *old, const json_t *new)
{
	json_t *a = json_deep_copy(old), *b = json_deep_copy(new), *x;
	const json_t *oc = json_object_get(old, "columns"), *nc = json_object_get(new, "columns");
	char *tn, *o;
	size_t i;
	int same;

	/* anything but the options of the table and its columns: made again (a foreign table holds no data) */
	json_object_del(a, "options"), json_object_del(b, "options");
	json_array_foreach(json_object_get(a, "columns"), i, x)
		json_object_del(x, "options");
	json_array_foreach(json_object_get(b, "columns"), i, x)
		json_object_del(x, "options");
	same = diff_same(a, b) && streq(S(old, "relkind"), S(new, "relkind"))
	    && same_order(json_object_get(old, "options"), json_object_get(new, "options"));
	json_array_foreach(oc, i, x)
		same = same && same_order(json_object_get(x, "options"), json_object_get(json_array_get(nc, i), "options"));
	json_decref(a), json_decref(b);
	if (!same) {
		diff_recreate(c, S(old, "id"));
		return 0;
	}
	tn = diff_recname(new);
	if ((o = alter_opts(json_object_get(old, "options"), json_object_get(new, "options")))) {
		char *sql = xasprintf("ALTER FOREIGN TABLE %s %s", tn, o);

		alter(c, new, sql);
		free(sql), free(o);
	}
	json_array_foreach(nc, i, x) {
		if (!(o = alter_opts(json_object_get(json_array_get(oc, i), "options"), json_object_get(x, "options"))))
			continue;
		char *cn = diff_quote(S(x, "name")), *sql = xasprintf("ALTER FOREIGN TABLE %s ALTER COLUMN %s %s", tn, cn, o);

		alter(c, new, sql);
		free(sql), free(o), free(cn);
	}
	free(tn);
	return 0;
}

/* ---- languages and access methods ---- */

static int
language_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	char *n = diff_quote(S(old ? old : new, "name"));

	if (old && new) {
		if (!diff_same(old, new))
			diff_recreate(c, S(old, "id"));
		free(n);
		return 0;
	}
	if (new) {
		struct buf b = { 0 };
		char *h = id_name(S(new, "handler"));

		buf_printf(&b, "CREATE %sLANGUAGE %s HANDLER %s", B(new, "trusted") ? "TRUSTED " : "", n, h);
		free(h);
		if (S(new, "inline")) {
			h = id_name(S(new, "inline"));
			buf_printf(&b, " INLINE %s", h);
			free(h);
		}
		if (S(new, "validator")) {
			h = id_name(S(new, "validator"));
			buf_printf(&b, " VALIDATOR %s", h);
			free(h);
		}
		diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
		buf_free(&b);
		free(n);
		return 0;
	}
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP LANGUAGE %s", n);
	free(n);
	return 0;
}

static int
access_method_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	char *n = diff_quote(S(old ? old : new, "name"));

	if (old && new) {
		if (!diff_same(old, new))
			diff_recreate(c, S(old, "id"));
		free(n);
		return 0;
	}
	if (new) {
		char *h = id_name(S(new, "handler"));

		diff_emitf(c, S(new, "id"), "create", 0, 0, "CREATE ACCESS METHOD %s TYPE %s HANDLER %s", n,
		    streq(S(new, "type"), "table") ? "TABLE" : "INDEX", h);
		free(h), free(n);
		return 0;
	}
	diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP ACCESS METHOD %s", n);
	free(n);
	return 0;
}

/* ---- what the core asks of this part ---- */

char *
diff_ext_target(struct diffctx *c, const char *id)
{
	static const struct {
		const char *prefix, *words;
	} k[] = {
		{ "ts_dict:", "TEXT SEARCH DICTIONARY" }, { "ts_config:", "TEXT SEARCH CONFIGURATION" },
		{ "ts_parser:", "TEXT SEARCH PARSER" }, { "ts_template:", "TEXT SEARCH TEMPLATE" },
		{ "opfamily:", "OPERATOR FAMILY" }, { "opclass:", "OPERATOR CLASS" }, { "fdw:", "FOREIGN DATA WRAPPER" },
		{ "server:", "SERVER" }, { "language:", "LANGUAGE" }, { "access_method:", "ACCESS METHOD" },
	};

	(void)c;
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		if (starts(id, k[i].prefix)) {
			char *n = id_name(id), *s;

			if (starts(id, "opfamily:") || starts(id, "opclass:")) {
				const char *p = strrchr(id, '(');
				char *am = p ? xstrndup(p + 1, strlen(p + 1) - 1) : xstrdup("");

				s = xasprintf("%s %s USING %s", k[i].words, n, am);
				free(am);
			} else {
				s = xasprintf("%s %s", k[i].words, n);
			}
			free(n);
			return s;
		}
	return NULL;
}

/* Append id to out unless there. */
static void
add(struct strv *out, const char *id)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->v[i], id) == 0)
			return;
	strv_add(out, id);
}

/* prefix + the model's form of a raw name. */
static void
add_named(struct strv *out, const char *prefix, const char *name)
{
	char *q = model_ident(name), *id = xasprintf("%s%s", prefix, q);

	add(out, id);
	free(q), free(id);
}

int
diff_ext_refs(const json_t *obj, const char *k, const json_t *x, struct strv *out)
{
	static const char *const methods[] = { "btree", "hash", "gist", "gin", "spgist", "brin", NULL };
	const char *kind = S(obj, "kind"), *s = json_string_value(x);
	size_t i;
	json_t *e;

	if (streq(kind, "access_method") && streq(k, "type"))
		return 1;
	if (s && (streq(k, "family") || streq(k, "operator") || streq(k, "order_by") || streq(k, "handler")
	              || streq(k, "validator") || streq(k, "inline")
	              || ((streq(kind, "ts_parser") || streq(kind, "ts_template"))
	                  && (streq(k, "start") || streq(k, "gettoken") || streq(k, "end") || streq(k, "lextypes")
	                      || streq(k, "headline") || streq(k, "init") || streq(k, "lexize"))))) {
		add(out, s);
		return 1;
	}
	/* user dictionaries, templates and parsers are named schema.name; built-ins bare */
	if (s && (streq(k, "template") || streq(k, "parser")) && strchr(s, '.')) {
		char *id = xasprintf("%s%s", streq(k, "parser") ? "ts_parser:" : "ts_template:", s);

		add(out, id);
		free(id);
		return 1;
	}
	if (streq(k, "dictionaries") && json_is_array(x)) {
		json_array_foreach(x, i, e)
			if (json_string_value(e) && strchr(json_string_value(e), '.')) {
				char *id = xasprintf("ts_dict:%s", json_string_value(e));

				add(out, id);
				free(id);
			}
		return 1;
	}
	if (s && streq(k, "fdw") && streq(kind, "server")) {
		add_named(out, "fdw:", s);
		return 1;
	}
	if (s && streq(k, "server") && (streq(kind, "table") || streq(kind, "user_mapping"))) {
		add_named(out, "server:", s);
		return 1;
	}
	/* an index key's operator class: schema.name, of the index's method (not known here) */
	if (s && streq(k, "opclass") && strchr(s, '.')) {
		for (size_t m = 0; methods[m]; m++) {
			char *id = xasprintf("opclass:%s(%s)", s, methods[m]);

			add(out, id);
			free(id);
		}
		return 1;
	}
	return 0;
}

/* Ranks among the core's: language 12, access method 13, wrapper 14, server 15, user mapping 16,
   text search parser and template 21, dictionary 22, configuration 23, operator family 45, class 46. */
const struct diffkind diff_ext_kinds[] = {
	{ "language", language_fn, 12 },
	{ "access_method", access_method_fn, 13 },
	{ "fdw", fdw_fn, 14 },
	{ "server", server_fn, 15 },
	{ "user_mapping", user_mapping_fn, 16 },
	{ "ts_parser", ts_funcs_fn, 21 },
	{ "ts_template", ts_funcs_fn, 21 },
	{ "ts_dict", ts_dict_fn, 22 },
	{ "ts_config", ts_config_fn, 23 },
	{ "opfamily", opfamily_fn, 45 },
	{ "opclass", opclass_fn, 46 },
	{ NULL, NULL, 0 },
};
