/* conf-diff's handlers of aggregates, operators, casts, collations and extended statistics
   (conf-formats(5)), and the SQL names of those objects for COMMENT ON, ALTER ... OWNER and GRANT. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diff.h"
#include "diff_agg.h"
#include "fsx.h"

static const char *
str(const json_t *r, const char *k)
{
	return json_string_value(json_object_get(r, k));
}

static int
flag(const json_t *r, const char *k)
{
	return json_is_true(json_object_get(r, k));
}

static int
is_kind(const char *id, const char *kind)
{
	size_t n = strlen(kind);

	return strncmp(id, kind, n) == 0 && id[n] == ':';
}

static const json_t *
either(struct diffctx *c, const char *id)
{
	const json_t *r = diff_get(c, 1, id);

	return r ? r : diff_get(c, 0, id);
}

/* The schema and name of the qualified name that starts at p (model_ident parts), unquoted; the
   text after the name (an argument list) in *rest. -1 when p is not schema.name. */
static int
qparts(const char *p, char **schema, char **name, const char **rest)
{
	struct buf b = { 0 };
	int q = 0, part = 0;

	*schema = *name = NULL;
	buf_puts(&b, "");
	for (; *p; p++) {
		if (*p == '"') {
			if (q && p[1] == '"') {
				buf_add(&b, p, 1);
				p++;
			} else
				q = !q;
		} else if (!q && *p == '.' && part == 0) {
			*schema = xstrdup(b.data);
			b.len = 0;
			b.data[0] = 0;
			part = 1;
		} else if (!q && *p == '(')
			break;
		else
			buf_add(&b, p, 1);
	}
	*rest = p;
	if (!part) {
		buf_free(&b);
		return -1;
	}
	*name = b.data;
	return 0;
}

/* The SQL name of a support function reference: function:S.N(...) as S.N, a bare built-in name
   as it is (quoted when it must be). args: the argument list from the id too. */
static char *
func_name(const char *ref, int args)
{
	char *s, *n, *q, *r;
	const char *rest;

	if (!is_kind(ref, "function"))
		return diff_quote(ref);
	if (qparts(ref + strlen("function:"), &s, &n, &rest) != 0)
		return xstrdup(ref);
	q = diff_qname(s, n);
	r = args ? xasprintf("%s%s", q, rest) : xstrdup(q);
	free(s), free(n), free(q);
	return r;
}

/* An operator reference as CREATE OPERATOR's COMMUTATOR and CREATE AGGREGATE's SORTOP take it:
   OPERATOR(S.N), or a bare built-in name. */
static char *
opr_name(const char *ref)
{
	char *s, *n, *q, *r;
	const char *rest;

	if (!is_kind(ref, "operator"))
		return xasprintf("OPERATOR(pg_catalog.%s)", ref);
	if (qparts(ref + strlen("operator:"), &s, &n, &rest) != 0)
		return xstrdup(ref);
	q = diff_quote(s);
	r = xasprintf("OPERATOR(%s.%s)", q, n);
	free(s), free(n), free(q);
	return r;
}

/* An aggregate's argument list: "(text)", "(*)", "(double precision ORDER BY double precision)";
   plain: the types alone, as GRANT ... ON FUNCTION takes them. */
static char *
agg_args(const json_t *r, int plain)
{
	const json_t *args = json_object_get(r, "args"), *a;
	size_t i, n = json_array_size(args);
	long nd = (long)json_integer_value(json_object_get(r, "direct_args"));
	int ordered = flag(r, "ordered_set");
	struct buf b = { 0 };

	buf_puts(&b, "(");
	if (!n && !ordered && !plain)
		buf_puts(&b, "*");
	json_array_foreach(args, i, a) {
		const char *nm = str(a, "name");
		char *q = nm && !plain ? diff_quote(nm) : NULL;

		if (ordered && !plain && (long)i == nd)
			buf_puts(&b, i ? " ORDER BY " : "ORDER BY ");
		else if (i)
			buf_puts(&b, ", ");
		buf_printf(&b, "%s%s%s%s", !plain && str(a, "mode") ? "VARIADIC " : "", q ? q : "", q ? " " : "", str(a, "type"));
		free(q);
	}
	/* an ordered set whose direct arguments end in VARIADIC that is also the aggregated one */
	if (ordered && !plain && (long)n == nd && n) {
		a = json_array_get(args, n - 1);
		buf_printf(&b, " ORDER BY %s%s", str(a, "mode") ? "VARIADIC " : "", str(a, "type"));
	}
	buf_puts(&b, ")");
	return b.data;
}

char *
diff_agg_name(struct diffctx *c, const char *id, int plain)
{
	const json_t *r = either(c, id);

	if (is_kind(id, "aggregate") && r) {
		char *q = diff_qname(str(r, "schema"), str(r, "name")), *a = agg_args(r, plain), *s;

		s = xasprintf("%s%s", q, a);
		free(q), free(a);
		return s;
	}
	if (is_kind(id, "operator") && r) {
		char *q = diff_quote(str(r, "schema"));
		char *s = xasprintf("%s.%s (%s, %s)", q, str(r, "name"), str(r, "left") ? str(r, "left") : "NONE", str(r, "right"));

		free(q);
		return s;
	}
	if (is_kind(id, "cast"))
		return xstrdup(id + strlen("cast:"));
	return NULL;
}

/* ---- aggregates ---- */

static char *
aggregate_sql(const json_t *r)
{
	static const char *const funcs[][2] = {
		{ "sfunc", "SFUNC" }, { "finalfunc", "FINALFUNC" }, { "combinefunc", "COMBINEFUNC" },
		{ "serialfunc", "SERIALFUNC" }, { "deserialfunc", "DESERIALFUNC" }, { "msfunc", "MSFUNC" },
		{ "minvfunc", "MINVFUNC" }, { "mfinalfunc", "MFINALFUNC" },
	};
	char *q = diff_qname(str(r, "schema"), str(r, "name")), *a = agg_args(r, 0);
	struct buf b = { 0 };

	buf_printf(&b, "CREATE AGGREGATE %s%s (STYPE = %s", q, a, str(r, "stype"));
	free(q), free(a);
	for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
		if (str(r, funcs[i][0])) {
			char *f = func_name(str(r, funcs[i][0]), 0);

			buf_printf(&b, ", %s = %s", funcs[i][1], f);
			free(f);
		}
	if (json_integer_value(json_object_get(r, "sspace")))
		buf_printf(&b, ", SSPACE = %lld", (long long)json_integer_value(json_object_get(r, "sspace")));
	if (str(r, "initcond")) {
		char *l = diff_literal(str(r, "initcond"));

		buf_printf(&b, ", INITCOND = %s", l);
		free(l);
	}
	if (flag(r, "finalfunc_extra"))
		buf_puts(&b, ", FINALFUNC_EXTRA");
	if (str(r, "finalfunc_modify"))
		buf_printf(&b, ", FINALFUNC_MODIFY = %s", str(r, "finalfunc_modify"));
	if (str(r, "mstype"))
		buf_printf(&b, ", MSTYPE = %s", str(r, "mstype"));
	if (json_integer_value(json_object_get(r, "msspace")))
		buf_printf(&b, ", MSSPACE = %lld", (long long)json_integer_value(json_object_get(r, "msspace")));
	if (str(r, "minitcond")) {
		char *l = diff_literal(str(r, "minitcond"));

		buf_printf(&b, ", MINITCOND = %s", l);
		free(l);
	}
	if (flag(r, "mfinalfunc_extra"))
		buf_puts(&b, ", MFINALFUNC_EXTRA");
	if (str(r, "mfinalfunc_modify"))
		buf_printf(&b, ", MFINALFUNC_MODIFY = %s", str(r, "mfinalfunc_modify"));
	if (str(r, "sortop")) {
		char *o = opr_name(str(r, "sortop"));

		buf_printf(&b, ", SORTOP = %s", o);
		free(o);
	}
	if (str(r, "parallel"))
		buf_printf(&b, ", PARALLEL = %s", str(r, "parallel"));
	if (flag(r, "hypothetical"))
		buf_puts(&b, ", HYPOTHETICAL");
	buf_puts(&b, ")");
	return b.data;
}

/* The ids a record's fields name that the ordering must know (support functions and operators
   of the user's, types): created before it, dropped after it. */
static void
field_uses(struct diffctx *c, int side, const json_t *r, struct diffchange *ch)
{
	struct strv v = { 0 };

	diff_refs(c, side, r, &v);
	for (size_t i = 0; i < v.n; i++)
		if (side)
			diff_uses(ch, v.v[i]);
		else
			diff_olduses(ch, v.v[i]);
	strv_free(&v);
}

/* A pair whose records differ only in what can be changed in place is handled by alter (when
   given); any other difference drops the old object and creates the new one. */
static int
same_but(const json_t *old, const json_t *new, const char *const *keys)
{
	json_t *a = json_deep_copy(old), *b = json_deep_copy(new);
	int same;

	for (size_t i = 0; keys && keys[i]; i++) {
		json_object_del(a, keys[i]);
		json_object_del(b, keys[i]);
	}
	same = diff_same(a, b);
	json_decref(a);
	json_decref(b);
	return same;
}

/* The common flow: create with sql, drop with DROP words name. */
static int
create_drop(struct diffctx *c, const json_t *old, const json_t *new, const char *words, char *(*make)(const json_t *))
{
	if (old && new) {
		if (diff_same(old, new))
			return 0;
		diff_recreate(c, str(old, "id"));
		return 0;
	}
	if (new) {
		char *sql = make(new);

		field_uses(c, 1, new, diff_emit(c, str(new, "id"), "create", 0, 0, sql));
		free(sql);
		return 0;
	}
	{
		char *n = diff_agg_name(c, str(old, "id"), 0);

		if (!n)
			n = diff_qname(str(old, "schema"), str(old, "name"));
		field_uses(c, 0, old, diff_emitf(c, str(old, "id"), "drop", 0, 0, "DROP %s %s", words, n));
		free(n);
	}
	return 0;
}

int
diff_aggregate_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	return create_drop(c, old, new, "AGGREGATE", aggregate_sql);
}

/* ---- operators ---- */

static char *
operator_sql(const json_t *r)
{
	char *s = diff_quote(str(r, "schema")), *f = func_name(str(r, "function"), 0);
	struct buf b = { 0 };

	buf_printf(&b, "CREATE OPERATOR %s.%s (FUNCTION = %s", s, str(r, "name"), f);
	free(s), free(f);
	if (str(r, "left"))
		buf_printf(&b, ", LEFTARG = %s", str(r, "left"));
	buf_printf(&b, ", RIGHTARG = %s", str(r, "right"));
	if (str(r, "commutator")) {
		char *o = opr_name(str(r, "commutator"));

		buf_printf(&b, ", COMMUTATOR = %s", o);
		free(o);
	}
	if (str(r, "negator")) {
		char *o = opr_name(str(r, "negator"));

		buf_printf(&b, ", NEGATOR = %s", o);
		free(o);
	}
	if (str(r, "restrict")) {
		char *o = func_name(str(r, "restrict"), 0);

		buf_printf(&b, ", RESTRICT = %s", o);
		free(o);
	}
	if (str(r, "join")) {
		char *o = func_name(str(r, "join"), 0);

		buf_printf(&b, ", JOIN = %s", o);
		free(o);
	}
	if (flag(r, "hashes"))
		buf_puts(&b, ", HASHES");
	if (flag(r, "merges"))
		buf_puts(&b, ", MERGES");
	buf_puts(&b, ")");
	return b.data;
}

int
diff_operator_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const inplace[] = { "restrict", "join", NULL };

	/* RESTRICT and JOIN change in place (ALTER OPERATOR ... SET) */
	if (old && new && !diff_same(old, new) && same_but(old, new, inplace)) {
		char *n = diff_agg_name(c, str(new, "id"), 0);
		char *r = str(new, "restrict") ? func_name(str(new, "restrict"), 0) : xstrdup("NONE");
		char *j = str(new, "join") ? func_name(str(new, "join"), 0) : xstrdup("NONE");
		struct diffchange *ch = diff_emitf(c, str(new, "id"), "alter", 0, 0, "ALTER OPERATOR %s SET (RESTRICT = %s, JOIN = %s)",
		    n, r, j);

		field_uses(c, 1, new, ch);
		field_uses(c, 0, old, ch);
		free(n), free(r), free(j);
		return 0;
	}
	return create_drop(c, old, new, "OPERATOR", operator_sql);
}

/* ---- casts ---- */

static char *
cast_sql(const json_t *r)
{
	const char *ctx = str(r, "context"), *f = str(r, "function");
	struct buf b = { 0 };

	buf_printf(&b, "CREATE CAST (%s AS %s) ", str(r, "source"), str(r, "target"));
	if (f && strncmp(f, "function:", 9) == 0) {
		char *n = func_name(f, 1);

		buf_printf(&b, "WITH FUNCTION %s", n);
		free(n);
	} else if (f) {
		char *n = diff_quote(f);

		buf_printf(&b, "WITH FUNCTION pg_catalog.%s(%s)", n, str(r, "source"));
		free(n);
	} else if (flag(r, "inout")) {
		buf_puts(&b, "WITH INOUT");
	} else {
		buf_puts(&b, "WITHOUT FUNCTION");
	}
	if (ctx)
		buf_printf(&b, " AS %s", strcmp(ctx, "implicit") == 0 ? "IMPLICIT" : "ASSIGNMENT");
	return b.data;
}

int
diff_cast_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	return create_drop(c, old, new, "CAST", cast_sql);
}

/* ---- collations ---- */

static char *
collation_sql(const json_t *r)
{
	char *q = diff_qname(str(r, "schema"), str(r, "name"));
	struct buf b = { 0 };
	static const char *const keys[][2] = { { "locale", "LOCALE" }, { "lc_collate", "LC_COLLATE" }, { "lc_ctype", "LC_CTYPE" } };
	int n = 0;

	buf_printf(&b, "CREATE COLLATION %s (", q);
	free(q);
	if (str(r, "provider"))
		buf_printf(&b, "%sPROVIDER = %s", n++ ? ", " : "", str(r, "provider"));
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (str(r, keys[i][0])) {
			char *l = diff_literal(str(r, keys[i][0]));

			buf_printf(&b, "%s%s = %s", n++ ? ", " : "", keys[i][1], l);
			free(l);
		}
	if (flag(r, "nondeterministic"))
		buf_printf(&b, "%sDETERMINISTIC = false", n++ ? ", " : "");
	buf_puts(&b, ")");
	return b.data;
}

int
diff_collation_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	if (old && new && !diff_same(old, new)) {
		struct strv d = { 0 };
		size_t n;

		/* what uses it (columns, indexes, domains) would have to be made again: refused */
		diff_dependents(c, str(old, "id"), &d);
		n = d.n;
		for (size_t i = 0; i < d.n; i++)
			if (strncmp(d.v[i], "comment:", 8) == 0 || strncmp(d.v[i], "owner:", 6) == 0)
				n--;
		if (n) {
			int rc = diff_fail(c, str(old, "id"), "a collation in use (by %s) cannot be changed", d.v[0]);

			strv_free(&d);
			return rc;
		}
		strv_free(&d);
	}
	return create_drop(c, old, new, "COLLATION", collation_sql);
}

/* ---- extended statistics ---- */

static char *
statistics_sql(const json_t *r)
{
	char *q = diff_qname(str(r, "schema"), str(r, "name"));
	const json_t *x;
	struct buf b = { 0 };
	size_t i;
	int n = 0;

	buf_printf(&b, "CREATE STATISTICS %s", q);
	free(q);
	if (json_array_size(json_object_get(r, "kinds"))) {
		buf_puts(&b, " (");
		json_array_foreach(json_object_get(r, "kinds"), i, x)
			buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(x));
		buf_puts(&b, ")");
	}
	buf_puts(&b, " ON ");
	json_array_foreach(json_object_get(r, "columns"), i, x) {
		char *cn = diff_quote(json_string_value(x));

		buf_printf(&b, "%s%s", n++ ? ", " : "", cn);
		free(cn);
	}
	json_array_foreach(json_object_get(r, "exprs"), i, x)
		buf_printf(&b, "%s(%s)", n++ ? ", " : "", str(x, "expr_sql"));
	{
		char *s, *t;
		const char *rest;
		const char *tid = str(r, "table");

		if (tid && qparts(strchr(tid, ':') + 1, &s, &t, &rest) == 0) {
			char *tq = diff_qname(s, t);

			buf_printf(&b, " FROM %s", tq);
			free(tq), free(s), free(t);
		}
	}
	return b.data;
}

static void
stattarget(struct diffctx *c, const json_t *r, int always)
{
	const json_t *t = json_object_get(r, "stattarget");

	if (t || always) {
		char *q = diff_qname(str(r, "schema"), str(r, "name"));
		struct diffchange *ch = diff_emitf(c, str(r, "id"), "alter", 0, 0, "ALTER STATISTICS %s SET STATISTICS %lld", q,
		    t ? (long long)json_integer_value(t) : -1LL);

		diff_uses(ch, str(r, "id"));
		free(q);
	}
}

int
diff_statistics_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const inplace[] = { "stattarget", NULL };

	if (old && new && !diff_same(old, new) && same_but(old, new, inplace)) {
		stattarget(c, new, 1);
		return 0;
	}
	if (!new) {
		const char *tid = str(old, "table");

		/* it goes with its table */
		if (tid && (diff_dropped(c, tid) || !diff_get(c, 1, tid)))
			return 0;
	}
	if (create_drop(c, old, new, "STATISTICS", statistics_sql) != 0)
		return -1;
	if (new && !old)
		stattarget(c, new, 0);
	return 0;
}
