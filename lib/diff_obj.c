#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "diff_agg.h"

/* The object kinds: views, materialized views, functions, procedures, triggers, event triggers,
   rules, policies, publications, comments, grants, default privileges and owners. Each handler
   gets a pair (old, new) from diff.c and emits the statements that turn one into the other; the
   ordering facts of a "create" or "drop" come from the records themselves (diff_refs), and an
   "alter" names what it uses. */

/* ---- record fields ---- */

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

static const char *
rid(const json_t *old, const json_t *new)
{
	return str(old ? old : new, "id");
}

/* Whether s is in the array of strings a. */
static int
in_list(const json_t *a, const char *s)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (strcmp(json_string_value(x), s) == 0)
			return 1;
	return 0;
}

/* Whether id goes away with this migration: dropped or recreated (diff_dropped), or absent from
   the new model, itself or the table of a column: or constraint: id (its handler may not have run
   yet: handlers run in id order). What goes with it needs no statement of its own. */
static int
gone(struct diffctx *c, const char *id)
{
	char *tid = NULL;
	int g;

	if (diff_dropped(c, id))
		return 1;
	if (strncmp(id, "column:", 7) == 0 || strncmp(id, "constraint:", 11) == 0) {
		const char *p = strchr(id, ':') + 1, *last = NULL;
		int q = 0;

		for (const char *s = p; *s; s++)
			if (*s == '"')
				q = !q;
			else if (*s == '.' && !q)
				last = s;
		if (last)
			tid = xasprintf("table:%.*s", (int)(last - p), p);
	}
	/* a view's column: its view dropped or recreated */
	if (tid && !diff_get(c, 0, tid)) {
		const char *k[] = { "view:", "matview:" };

		for (int i = 0; i < 2; i++) {
			char *vid = xasprintf("%s%s", k[i], tid + 6);
			int d = diff_get(c, 0, vid) && diff_dropped(c, vid);

			free(vid);
			if (d) {
				free(tid);
				return 1;
			}
		}
	}
	g = diff_get(c, 0, id) && !diff_get(c, 1, diff_renamed(c, id) ? diff_renamed(c, id) : id);
	if (!g && tid)
		g = diff_get(c, 0, tid) && !diff_get(c, 1, diff_renamed(c, tid) ? diff_renamed(c, tid) : tid);
	free(tid);
	return g;
}

/* Whether the old record r (on a table) uses something dropped besides its table and the
   table's columns and schema (a trigger's function): then its own drop is written even when its
   table goes, so that the drop of that function comes after it (the table's drop does not know). */
static int
uses_gone(struct diffctx *c, const json_t *r)
{
	const char *tid = json_string_value(json_object_get(r, "table"));
	struct strv v = { 0 };
	int hit = 0;
	size_t n = tid ? strlen(tid + 6) : 0;

	diff_refs(c, 0, r, &v);
	for (size_t i = 0; i < v.n && !hit; i++) {
		const char *x = v.v[i];

		if (strncmp(x, "schema:", 7) == 0 || (tid && strcmp(x, tid) == 0)
		    || (tid && strncmp(x, "column:", 7) == 0 && strncmp(x + 7, tid + 6, n) == 0 && x[7 + n] == '.'))
			continue;
		if ((strncmp(x, "function:", 9) == 0 || strncmp(x, "procedure:", 10) == 0) && !strchr(x, '(')) {
			/* a call: some overload of that name */
			const char **ids = model_ids(diff_model(c, 0));
			size_t n2 = strlen(x);

			for (size_t k = 0; ids[k] && !hit; k++)
				if (strncmp(ids[k], x, n2) == 0 && ids[k][n2] == '(')
					hit = gone(c, ids[k]);
			free(ids);
		} else
			hit = gone(c, x);
	}
	strv_free(&v);
	return hit;
}

/* ---- ids as SQL ---- */

/* The parts of the name in an id after its kind ("public.t.x" -> public, t, x), unquoted; stops
   at a '(' outside quotes (a routine's arguments), whose text from '(' goes to *args. */
static void
id_parts(const char *id, struct strv *out, const char **args)
{
	const char *p = strchr(id, ':');
	struct buf b = { 0 };
	int q = 0;

	*args = NULL;
	p = p ? p + 1 : id;
	buf_puts(&b, "");
	for (; *p; p++) {
		if (*p == '"') {
			if (q && p[1] == '"') {
				buf_add(&b, p, 1);
				p++;
			} else
				q = !q;
		} else if (!q && *p == '.') {
			strv_add(out, b.data);
			b.len = 0;
			b.data[0] = 0;
		} else if (!q && *p == '(') {
			*args = p;
			break;
		} else
			buf_add(&b, p, 1);
	}
	strv_add(out, b.data);
	buf_free(&b);
}

static int
is_kind(const char *id, const char *kind)
{
	size_t n = strlen(kind);

	return strncmp(id, kind, n) == 0 && id[n] == ':';
}

/* A record of id in either model (new first). */
static const json_t *
either(struct diffctx *c, const char *id)
{
	const json_t *r = diff_get(c, 1, id);

	return r ? r : diff_get(c, 0, id);
}

/* The argument types of a routine record that make its signature: "(integer, text)". */
static char *
signature(const json_t *r)
{
	struct buf b = { 0 };
	const json_t *a;
	size_t i;
	int n = 0;

	buf_puts(&b, "(");
	json_array_foreach(json_object_get(r, "args"), i, a) {
		const char *m = str(a, "mode");

		if (m && strcmp(m, "out") == 0)
			continue;
		buf_printf(&b, "%s%s", n++ ? ", " : "", str(a, "type"));
	}
	buf_puts(&b, ")");
	return b.data;
}

/* The SQL name of the object of id: "public.t", "public.f(integer)", "trg ON public.t", "public.t.c"
   (for a column); NULL when the id has no name. */
static char *
id_sql(struct diffctx *c, const char *id)
{
	struct strv p = { 0 };
	const char *args;
	char *s = diff_agg_name(c, id, 0);

	/* an aggregate or operator is named by its record (lib/diff_agg.c) */
	if (s || is_kind(id, "aggregate") || is_kind(id, "operator"))
		return s;
	id_parts(id, &p, &args);
	if (is_kind(id, "function") || is_kind(id, "procedure")) {
		const json_t *r = either(c, id);

		if (p.n == 2) {
			char *q = diff_qname(p.v[0], p.v[1]), *sig = r ? signature(r) : xstrdup(args ? args : "()");

			s = xasprintf("%s%s", q, sig);
			free(q);
			free(sig);
		}
	} else if (is_kind(id, "trigger") || is_kind(id, "rule") || is_kind(id, "policy")
	    || (is_kind(id, "constraint") && p.n == 3)) {
		if (p.n == 3) {
			char *n = diff_quote(p.v[2]), *t = diff_qname(p.v[0], p.v[1]);

			s = xasprintf("%s ON %s", n, t);
			free(n);
			free(t);
		}
	} else if (is_kind(id, "column") && p.n == 3) {
		char *t = diff_qname(p.v[0], p.v[1]), *n = diff_quote(p.v[2]);

		s = xasprintf("%s.%s", t, n);
		free(t);
		free(n);
	} else if (p.n == 2)
		s = diff_qname(p.v[0], p.v[1]);
	else if (p.n == 1)
		s = diff_quote(p.v[0]);
	strv_free(&p);
	return s;
}

/* The SQL words of the object of id, as COMMENT ON takes them ("TABLE public.t",
   "CONSTRAINT c ON DOMAIN public.d"); NULL (after diff_fail) for a kind COMMENT cannot name. */
static char *
target_sql(struct diffctx *c, const char *id, const char *about)
{
	static const struct {
		const char *kind, *words;
	} k[] = {
		{ "schema", "SCHEMA" }, { "extension", "EXTENSION" }, { "type", "TYPE" }, { "domain", "DOMAIN" },
		{ "sequence", "SEQUENCE" }, { "table", "TABLE" }, { "view", "VIEW" },
		{ "matview", "MATERIALIZED VIEW" }, { "index", "INDEX" }, { "function", "FUNCTION" },
		{ "procedure", "PROCEDURE" }, { "trigger", "TRIGGER" }, { "rule", "RULE" }, { "policy", "POLICY" },
		{ "event_trigger", "EVENT TRIGGER" }, { "publication", "PUBLICATION" }, { "column", "COLUMN" },
		{ "constraint", "CONSTRAINT" }, { "aggregate", "AGGREGATE" }, { "operator", "OPERATOR" },
		{ "cast", "CAST" }, { "collation", "COLLATION" }, { "statistics", "STATISTICS" },
	};
	char *name, *s = diff_ext_target(c, id);
	const char *words = NULL;

	if (s)
		return s;
	name = id_sql(c, id);
	for (size_t i = 0; i < sizeof k / sizeof *k && !words; i++)
		if (is_kind(id, k[i].kind))
			words = k[i].words;
	if (!words || !name) {
		free(name);
		diff_fail(c, about, "conf-diff cannot name %s in SQL", id);
		return NULL;
	}
	if (is_kind(id, "table")) {
		const json_t *t = either(c, id);
		const char *rk = str(t, "relkind");

		if (rk && strcmp(rk, "foreign") == 0)
			words = "FOREIGN TABLE";
	}
	if (is_kind(id, "constraint")) {
		/* a domain's constraint: ON DOMAIN */
		struct strv p = { 0 };
		const char *args;

		id_parts(id, &p, &args);
		if (p.n == 3) {
			char *dn = model_qname(p.v[0], p.v[1]), *did = xasprintf("domain:%s", dn);

			if (either(c, did)) {
				char *n = diff_quote(p.v[2]), *d = diff_qname(p.v[0], p.v[1]);

				free(name);
				name = xasprintf("%s ON DOMAIN %s", n, d);
				free(n);
				free(d);
			}
			free(dn);
			free(did);
		}
		strv_free(&p);
	}
	s = xasprintf("%s %s", words, name);
	free(name);
	return s;
}

static struct diffchange *alter(struct diffctx *c, const json_t *new, const char *sql);

/* ---- views and materialized views ---- */

static char *
view_sql(const json_t *r, int replace)
{
	struct buf b = { 0 };
	char *name = diff_recname(r);
	const char *kind = str(r, "kind"), *co = str(r, "check_option");
	int mat = strcmp(kind, "matview") == 0, opts = 0;
	const json_t *x;
	size_t i;

	buf_printf(&b, "CREATE %s%s %s", replace ? "OR REPLACE " : "", mat ? "MATERIALIZED VIEW" : "VIEW", name);
	if (json_array_size(json_object_get(r, "columns"))) {
		buf_puts(&b, " (");
		json_array_foreach(json_object_get(r, "columns"), i, x) {
			char *q = diff_quote(json_string_value(x));

			buf_printf(&b, "%s%s", i ? ", " : "", q);
			free(q);
		}
		buf_puts(&b, ")");
	}
	if (flag(r, "security_barrier") || flag(r, "security_invoker")) {
		buf_puts(&b, " WITH (");
		if (flag(r, "security_barrier"))
			buf_printf(&b, "%ssecurity_barrier", opts++ ? ", " : "");
		if (flag(r, "security_invoker"))
			buf_printf(&b, "%ssecurity_invoker", opts++ ? ", " : "");
		buf_puts(&b, ")");
	}
	/* a materialized view's storage parameters (name=value, as WITH takes them) and tablespace */
	if (mat && json_array_size(json_object_get(r, "options"))) {
		buf_puts(&b, " WITH (");
		json_array_foreach(json_object_get(r, "options"), i, x)
			buf_printf(&b, "%s%s", i ? ", " : "", json_string_value(x));
		buf_puts(&b, ")");
	}
	if (mat && str(r, "tablespace")) {
		char *q = diff_quote(str(r, "tablespace"));

		buf_printf(&b, " TABLESPACE %s", q);
		free(q);
	}
	buf_printf(&b, " AS\n%s", str(r, "query_sql") ? str(r, "query_sql") : "");
	if (co)
		buf_printf(&b, "\nWITH %s CHECK OPTION", strcmp(co, "local") == 0 ? "LOCAL" : "CASCADED");
	if (mat && flag(r, "no_data"))
		buf_puts(&b, "\nWITH NO DATA");
	free(name);
	return b.data;
}

/* Whether the columns of new extend those of old at the end (what CREATE OR REPLACE VIEW allows). */
static int
columns_extend(const json_t *old, const json_t *new)
{
	const json_t *a = json_object_get(old, "columns"), *b = json_object_get(new, "columns");

	if (json_array_size(b) < json_array_size(a))
		return 0;
	for (size_t i = 0; i < json_array_size(a); i++)
		if (!json_equal(json_array_get(a, i), json_array_get(b, i)))
			return 0;
	return 1;
}

/* Emit ALTER ... RENAME TO (and SET SCHEMA) for a pair paired by -r; words: "VIEW", "FUNCTION". */
static void
rename_obj(struct diffctx *c, const json_t *old, const json_t *new, const char *words, const char *oldname)
{
	const char *os = str(old, "schema"), *ns = str(new, "schema"), *id = str(new, "id");
	struct diffchange *ch;
	char *cur = xstrdup(oldname);

	if (os && ns && strcmp(os, ns) != 0) {
		char *q = diff_quote(ns);

		ch = diff_emitf(c, id, "rename", 0, 0, "ALTER %s %s SET SCHEMA %s", words, cur, q);
		diff_uses(ch, str(old, "id"));
		diff_creates(ch, id);
		free(q);
		/* the object is now in the new schema under its old name */
		free(cur);
		{
			char *q2 = diff_qname(ns, str(old, "name"));
			const char *paren = strchr(oldname, '(');

			cur = xasprintf("%s%s", q2, paren && strcmp(words, "FUNCTION") == 0 ? paren
			    : paren && strcmp(words, "PROCEDURE") == 0 ? paren : "");
			free(q2);
		}
	}
	if (strcmp(str(old, "name"), str(new, "name")) != 0) {
		char *q = diff_quote(str(new, "name"));

		ch = diff_emitf(c, id, "rename", 0, 0, "ALTER %s %s RENAME TO %s", words, cur, q);
		diff_uses(ch, str(old, "id"));
		diff_creates(ch, id);
		free(q);
	}
	free(cur);
}

/* References name a view or materialized view as table:S.V (stmtinfo's alias, which the core's
   resolution does not turn back into view:): a view's changes name that id too. */
static char *
rel_alias(const char *id)
{
	const char *p = strchr(id, ':');

	return xasprintf("table:%s", p ? p + 1 : id);
}

/* Drop and create again, around a view's recreation, what refers to it by its table: alias. */
static void
recreate_alias_deps(struct diffctx *c, const char *id)
{
	static const char *const k[] = { "view:", "matview:", "index:", "trigger:", "rule:", "policy:",
		"comment:", "grant:", "owner:", NULL };
	char *alias = rel_alias(id);
	struct strv deps = { 0 };

	diff_dependents(c, alias, &deps);
	/* and what names its columns (a column's comment, a column grant) */
	{
		const json_t *old = diff_get(c, 0, id);
		size_t i;
		json_t *x;

		json_array_foreach(json_object_get(old, "columns"), i, x) {
			char *q, *cid;

			if (!json_is_string(x))
				continue;
			q = model_ident(json_string_value(x));
			cid = xasprintf("column:%s.%s", strchr(id, ':') + 1, q);
			diff_dependents(c, cid, &deps);
			free(cid);
			free(q);
		}
	}
	for (size_t i = 0; i < deps.n; i++) {
		const char *d = deps.v[i], *nid = diff_renamed(c, d);

		for (int j = 0; k[j]; j++)
			if (strncmp(d, k[j], strlen(k[j])) == 0 && diff_get(c, 1, nid ? nid : d)) {
				diff_recreate(c, d);
				break;
			}
	}
	strv_free(&deps);
	free(alias);
}

/* Whether old and new are a pair under -r (their ids differ). */
static int
renamed(const json_t *old, const json_t *new)
{
	return old && new && strcmp(str(old, "id"), str(new, "id")) != 0;
}

static int
view_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new);
	int mat = strcmp(str(old ? old : new, "kind"), "matview") == 0;
	const char *words = mat ? "MATERIALIZED VIEW" : "VIEW";
	char *sql;

	if (old && new) {
		json_t *a, *b;
		int same;

		if (renamed(old, new)) {
			char *on = diff_recname(old);

			rename_obj(c, old, new, words, on);
			free(on);
		}
		/* the query's text differs between the files and the catalog: compare the rest */
		a = json_deep_copy(old);
		b = json_deep_copy(new);
		/* a pair under -r: its name and schema changed by the rename above */
		json_object_set(b, "name", json_object_get(a, "name"));
		json_object_set(b, "schema", json_object_get(a, "schema"));
		same = diff_same(a, b);
		json_decref(a);
		json_decref(b);
		if (same)
			return 0;
		/* a materialized view has no OR REPLACE; a view's columns can only grow at the end */
		if (mat || !columns_extend(old, new)) {
			recreate_alias_deps(c, str(old, "id"));
			diff_recreate(c, str(old, "id"));
			return 0;
		}
		sql = view_sql(new, 1);
		{
			struct diffchange *ch = diff_emit(c, str(new, "id"), "alter", 0, 0, sql);
			struct strv u = { 0 };

			diff_refs(c, 1, new, &u);
			for (size_t i = 0; i < u.n; i++)
				diff_uses(ch, u.v[i]);
			strv_free(&u);
			u = (struct strv){ 0 };
			diff_refs(c, 0, old, &u);
			for (size_t i = 0; i < u.n; i++)
				diff_olduses(ch, u.v[i]);
			strv_free(&u);
		}
		free(sql);
		return 0;
	}
	if (new) {
		char *alias = rel_alias(id);

		sql = view_sql(new, 0);
		diff_creates(diff_emit(c, id, "create", 0, 0, sql), alias);
		free(sql);
		free(alias);
		return 0;
	}
	/* dropped to be made again (by the core too): what uses it by its alias goes and comes back */
	if (diff_get(c, 1, diff_renamed(c, id) ? diff_renamed(c, id) : id))
		recreate_alias_deps(c, id);
	{
		char *alias = rel_alias(id);

		sql = diff_recname(old);
		diff_drops(diff_emitf(c, id, "drop", 0, 0, "DROP %s %s", words, sql), alias);
		free(sql);
		free(alias);
	}
	return 0;
}

/* ---- functions and procedures ---- */

/* A dollar quote for body that body does not contain. */
static char *
dollar(const char *body)
{
	char *tag = xstrdup("$$");

	for (int n = 0; strstr(body, tag); n++) {
		free(tag);
		tag = n ? xasprintf("$body%d$", n) : xstrdup("$body$");
	}
	return tag;
}

/* "search_path=public, pg_temp" -> "search_path TO 'public', 'pg_temp'" (list settings element by
   element, as pg_dump writes them); others as one literal. */
static void
set_clause(struct buf *b, const char *cfg)
{
	static const char *const lists[] = { "search_path", "temp_tablespaces", "session_preload_libraries",
		"local_preload_libraries", "shared_preload_libraries", NULL };
	const char *eq = strchr(cfg, '=');
	char *name, *lit;
	int list = 0;

	if (!eq)
		return;
	name = xstrndup(cfg, (size_t)(eq - cfg));
	for (int i = 0; lists[i]; i++)
		list |= strcmp(name, lists[i]) == 0;
	buf_printf(b, "\nSET %s TO ", name);
	if (!list) {
		lit = diff_literal(eq + 1);
		buf_puts(b, lit);
		free(lit);
	} else {
		const char *p = eq + 1;
		int n = 0;

		while (*p) {
			struct buf e = { 0 };
			int q = 0;

			while (*p == ' ')
				p++;
			buf_puts(&e, "");
			for (; *p && (q || *p != ','); p++) {
				if (*p == '"') {
					if (q && p[1] == '"') {
						buf_add(&e, p, 1);
						p++;
					} else
						q = !q;
				} else
					buf_add(&e, p, 1);
			}
			if (*p == ',')
				p++;
			lit = diff_literal(e.data);
			buf_printf(b, "%s%s", n++ ? ", " : "", lit);
			free(lit);
			buf_free(&e);
		}
	}
	free(name);
}

static char *
routine_sql(const json_t *r, int replace)
{
	struct buf b = { 0 };
	int proc = strcmp(str(r, "kind"), "procedure") == 0;
	const char *ret = str(r, "returns"), *vol = str(r, "volatility"), *par = str(r, "parallel");
	const char *body = str(r, "body"), *bsql = str(r, "body_sql"), *obj = str(r, "body_obj");
	char *name = diff_recname(r);
	const json_t *a, *x;
	size_t i;

	buf_printf(&b, "CREATE %s%s %s(", replace ? "OR REPLACE " : "", proc ? "PROCEDURE" : "FUNCTION", name);
	json_array_foreach(json_object_get(r, "args"), i, a) {
		const char *m = str(a, "mode"), *n = str(a, "name"), *d = str(a, "default_sql");

		buf_puts(&b, i ? ", " : "");
		if (m) {
			char *u = xstrdup(m);

			for (char *p = u; *p; p++)
				*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
			buf_printf(&b, "%s ", u);
			free(u);
		}
		if (n) {
			char *q = diff_quote(n);

			buf_printf(&b, "%s ", q);
			free(q);
		}
		buf_puts(&b, str(a, "type"));
		if (d)
			buf_printf(&b, " DEFAULT %s", d);
	}
	buf_puts(&b, ")");
	if (!proc && ret)
		buf_printf(&b, "\nRETURNS %s", ret);
	buf_printf(&b, "\nLANGUAGE %s", str(r, "language") ? str(r, "language") : "sql");
	if (vol)
		buf_printf(&b, " %s", strcmp(vol, "immutable") == 0 ? "IMMUTABLE" : "STABLE");
	if (flag(r, "strict"))
		buf_puts(&b, " STRICT");
	if (flag(r, "security_definer"))
		buf_puts(&b, " SECURITY DEFINER");
	if (flag(r, "leakproof"))
		buf_puts(&b, " LEAKPROOF");
	if (par)
		buf_printf(&b, " PARALLEL %s", strcmp(par, "safe") == 0 ? "SAFE" : "RESTRICTED");
	if (json_is_number(json_object_get(r, "cost")))
		buf_printf(&b, " COST %g", json_number_value(json_object_get(r, "cost")));
	if (json_is_number(json_object_get(r, "rows")))
		buf_printf(&b, " ROWS %g", json_number_value(json_object_get(r, "rows")));
	json_array_foreach(json_object_get(r, "set"), i, x)
		set_clause(&b, json_string_value(x));
	if (bsql) {
		/* a SQL-standard body: RETURN expr or BEGIN ATOMIC ... END */
		buf_printf(&b, "\n%s", bsql);
	} else if (obj) {
		char *o = diff_literal(obj), *s = diff_literal(body ? body : "");

		buf_printf(&b, "\nAS %s, %s", o, s);
		free(o);
		free(s);
	} else {
		char *tag = dollar(body ? body : "");

		buf_printf(&b, "\nAS %s%s%s", tag, body ? body : "", tag);
		free(tag);
	}
	free(name);
	return b.data;
}

/* Whether CREATE OR REPLACE can turn old into new: the same kind, result, argument names, modes
   and types, and no default taken away (PostgreSQL refuses those). */
static int
replaceable(const json_t *old, const json_t *new)
{
	const json_t *a = json_object_get(old, "args"), *b = json_object_get(new, "args");

	if (strcmp(str(old, "kind"), str(new, "kind")) != 0 || !diff_field_same(old, new, "returns")
	    || json_array_size(a) != json_array_size(b))
		return 0;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *x = json_array_get(a, i), *y = json_array_get(b, i);

		if (!diff_field_same(x, y, "name") || !diff_field_same(x, y, "mode") || !diff_field_same(x, y, "type"))
			return 0;
		if (json_object_get(x, "default") && !json_object_get(y, "default"))
			return 0;
	}
	return 1;
}

/* What a SQL-standard body (RETURN ..., BEGIN ATOMIC ... END) refers to: the core reads the
   string bodies of SQL functions only, so the body is read here as the statement that holds it. */
static void
body_refs(struct diffctx *c, int side, const json_t *r, struct diffchange *ch)
{
	const char *b = str(r, "body_sql");
	json_t *fake;
	struct strv v = { 0 };

	if (!b)
		return;
	fake = json_object();
	json_object_set_new(fake, "kind", json_string("view"));
	json_object_set_new(fake, "query_sql", json_sprintf("CREATE FUNCTION pg_temp.x() RETURNS void LANGUAGE sql %s", b));
	diff_refs(c, side, fake, &v);
	for (size_t i = 0; i < v.n; i++) {
		if (strncmp(v.v[i], "schema:pg_temp", 14) == 0 || strcmp(v.v[i], str(r, "id")) == 0)
			continue;
		if (side)
			diff_uses(ch, v.v[i]);
		else
			diff_olduses(ch, v.v[i]);
	}
	strv_free(&v);
	json_decref(fake);
}

/* ---- expressions inside tables and domains around a routine's recreation ---- */

/* Whether the expression text sql (of a record on side) calls the routine fid, by its signature
   or by its name (a call names no overload). */
static int
expr_calls(struct diffctx *c, int side, const char *sql, const char *fid)
{
	json_t *fake;
	struct strv v = { 0 };
	const char *paren = strchr(fid, '(');
	size_t n = paren ? (size_t)(paren - fid) : strlen(fid);
	int hit = 0;

	if (!sql)
		return 0;
	fake = json_object();
	json_object_set_new(fake, "expr_sql", json_string(sql));
	diff_refs(c, side, fake, &v);
	for (size_t i = 0; i < v.n && !hit; i++)
		hit = strcmp(v.v[i], fid) == 0 || (strncmp(v.v[i], fid, n) == 0 && v.v[i][n] == '\0');
	strv_free(&v);
	json_decref(fake);
	return hit;
}

/* The new side's references of an expression text, as uses of change ch. */
static void
expr_uses(struct diffctx *c, const char *sql, struct diffchange *ch)
{
	json_t *fake = json_object();
	struct strv v = { 0 };

	json_object_set_new(fake, "expr_sql", json_string(sql));
	diff_refs(c, 1, fake, &v);
	for (size_t i = 0; i < v.n; i++)
		diff_uses(ch, v.v[i]);
	strv_free(&v);
	json_decref(fake);
}

/* The element of array a (of objects) whose "name" is name, or NULL. */
static const json_t *
named(const json_t *a, const char *name)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (str(x, "name") && strcmp(str(x, "name"), name) == 0)
			return x;
	return NULL;
}

/* A default (of a column, when col is set, or of a domain) or a CHECK constraint of dependent
   record old that calls routine fid: taken off before fid is dropped and put back after fid is
   created again. The new record holds the same part (by its normalized form); a part that
   changes is the table's or domain's handler's, which writes it against the new routine. */
static void
readd_part(struct diffctx *c, const char *fid, const json_t *old, const char *col,
    const json_t *o, const json_t *n, int check)
{
	int dom = strcmp(str(old, "kind"), "domain") == 0;
	const char *key = check ? "expr" : "default", *skey = check ? "expr_sql" : "default_sql";
	char *rel = diff_recname(old), *cq = col ? diff_quote(col) : NULL, *nq = NULL, *colpre;
	const char *words = dom ? "DOMAIN" : "TABLE", *saved;
	struct diffchange *ch;
	char *pid, *pair;

	if (!n || !diff_field_same(o, n, key) || !str(n, skey) || !expr_calls(c, 0, str(o, skey), fid))
		goto out;
	colpre = cq ? xasprintf(" ALTER COLUMN %s", cq) : xstrdup("");
	if (check) {
		nq = diff_quote(str(o, "name"));
		pid = xasprintf("constraint:%s.%s", strchr(str(old, "id"), ':') + 1, nq);
	} else {
		pid = cq ? xasprintf("column:%s.%s", strchr(str(old, "id"), ':') + 1, cq) : xstrdup(str(old, "id"));
	}
	/* a domain's default: a pair of its own, apart from the domain's */
	pair = cq || check ? xstrdup(pid) : xasprintf("%s default", pid);
	saved = diff_set_pair(c, pair);
	if (check) {
		ch = diff_emitf(c, pid, "alter", 0, DF_NOREFS, "ALTER %s %s DROP CONSTRAINT %s", words, rel, nq);
	} else {
		ch = diff_emitf(c, pid, "alter", 0, DF_NOREFS, "ALTER %s %s%s DROP DEFAULT", words, rel, colpre);
	}
	diff_olduses(ch, fid);
	if (!check) {
		ch = diff_emitf(c, pid, "alter", 0, DF_NOREFS, "ALTER %s %s%s SET DEFAULT %s", words, rel, colpre,
		    str(n, skey));
		expr_uses(c, str(n, skey), ch);
	} else {
		/* the rows were checked by the old routine: the new one checks them without holding the
		   lock (online), or at once */
		int nv = flag(n, "not_valid"), online = diff_opt(c)->online && !nv;

		ch = diff_emitf(c, pid, "alter", 0, DF_NOREFS, "ALTER %s %s ADD CONSTRAINT %s CHECK (%s)%s%s", words, rel, nq,
		    str(n, skey), flag(n, "no_inherit") ? " NO INHERIT" : "", online || nv ? " NOT VALID" : "");
		expr_uses(c, str(n, skey), ch);
		if (online) {
			struct diffchange *v = diff_emitf(c, pid, "alter", 0, DF_NOREFS, "ALTER %s %s VALIDATE CONSTRAINT %s",
			    words, rel, nq);

			diff_uses(v, str(old, "id"));
		}
	}
	diff_set_pair(c, saved);
	free(pair);
	free(pid);
	free(colpre);
out:
	free(rel);
	free(cq);
	free(nq);
}

/* A stored generated column of table old that calls routine fid: its expression cannot be taken
   off and put back (DROP EXPRESSION makes it a plain column), so the column is dropped before fid
   and added again after it, recomputed: no data is lost, but the table is rewritten and the column
   comes last; what uses the column is made again around it. */
static void
readd_generated(struct diffctx *c, const char *fid, const json_t *old, const json_t *o, const json_t *n)
{
	char *rel, *cq, *cid, *pair;
	const char *saved;
	struct diffchange *ch;
	struct strv deps = { 0 };

	if (!n || !diff_field_same(o, n, "generated") || !diff_field_same(o, n, "type") || !str(n, "generated_sql")
	    || !expr_calls(c, 0, str(o, "generated_sql"), fid))
		return;
	rel = diff_recname(old);
	cq = diff_quote(str(o, "name"));
	cid = xasprintf("column:%s.%s", strchr(str(old, "id"), ':') + 1, cq);
	pair = xasprintf("%s generated", cid);
	saved = diff_set_pair(c, pair);
	ch = diff_emitf(c, cid, "alter", DH_LOCK, DF_NOREFS, "ALTER TABLE %s DROP COLUMN %s", rel, cq);
	diff_olduses(ch, fid);
	diff_drops(ch, cid);
	ch = diff_emitf(c, cid, "alter", DH_REWRITE | DH_LOCK, DF_NOREFS, "ALTER TABLE %s ADD COLUMN %s %s%s%s GENERATED ALWAYS AS (%s) STORED",
	    rel, cq, str(n, "type"), str(n, "collation") ? " COLLATE " : "", str(n, "collation") ? str(n, "collation") : "",
	    str(n, "generated_sql"));
	diff_creates(ch, cid);
	expr_uses(c, str(n, "generated_sql"), ch);
	diff_set_pair(c, saved);
	diff_dependents(c, cid, &deps);
	for (size_t i = 0; i < deps.n; i++)
		if (strncmp(deps.v[i], "table:", 6) != 0 && diff_get(c, 1, deps.v[i]))
			diff_recreate(c, deps.v[i]);
	strv_free(&deps);
	free(pair);
	free(cid);
	free(cq);
	free(rel);
}

/* Routine fid is dropped and created again: the defaults and CHECKs of the tables and domains
   that call it (parts of those records, which stay) go before and come back after. */
static void
readd_expr_parts(struct diffctx *c, const char *fid)
{
	struct strv deps = { 0 };

	diff_dependents(c, fid, &deps);
	for (size_t i = 0; i < deps.n; i++) {
		const char *d = deps.v[i], *nid = diff_renamed(c, d);
		const json_t *old = diff_get(c, 0, d), *new = diff_get(c, 1, nid ? nid : d);
		size_t k;
		json_t *x;

		if (!old || !new || diff_dropped(c, d)
		    || (strncmp(d, "table:", 6) != 0 && strncmp(d, "domain:", 7) != 0))
			continue;
		if (strncmp(d, "domain:", 7) == 0)
			readd_part(c, fid, old, NULL, old, new, 0);
		json_array_foreach(json_object_get(old, "columns"), k, x)
			if (json_is_object(x)) {
				const json_t *nx = named(json_object_get(new, "columns"), str(x, "name"));

				readd_part(c, fid, old, str(x, "name"), x, nx, 0);
				if (str(x, "generated_sql"))
					readd_generated(c, fid, old, x, nx);
			}
		json_array_foreach(json_object_get(old, "constraints"), k, x)
			if (json_is_object(x) && (strncmp(d, "domain:", 7) == 0 || (str(x, "type") && strcmp(str(x, "type"), "check") == 0)))
				readd_part(c, fid, old, NULL, x, named(json_object_get(new, "constraints"), str(x, "name")), 1);
	}
	strv_free(&deps);
}

static int
routine_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new);
	int proc = strcmp(str(old ? old : new, "kind"), "procedure") == 0;
	char *sql;

	if (old && new) {
		if (renamed(old, new)) {
			char *on = id_sql(c, str(old, "id"));

			rename_obj(c, old, new, proc ? "PROCEDURE" : "FUNCTION", on);
			free(on);
		}
		{
			json_t *a = json_deep_copy(old), *b = json_deep_copy(new);
			int same;

			json_object_set(b, "name", json_object_get(a, "name"));
			json_object_set(b, "schema", json_object_get(a, "schema"));
			same = diff_same(a, b);
			json_decref(a);
			json_decref(b);
			if (same)
				return 0;
		}
		if (!replaceable(old, new)) {
			diff_recreate(c, str(old, "id"));
			return 0;
		}
		sql = routine_sql(new, 1);
		{
			struct diffchange *ch = alter(c, new, sql);
			struct strv u = { 0 };

			/* what the old body used is dropped after the new body stops using it */
			diff_refs(c, 0, old, &u);
			for (size_t i = 0; i < u.n; i++)
				diff_olduses(ch, u.v[i]);
			strv_free(&u);
			body_refs(c, 1, new, ch);
			body_refs(c, 0, old, ch);
		}
		free(sql);
		return 0;
	}
	if (new) {
		sql = routine_sql(new, 0);
		body_refs(c, 1, new, diff_emit(c, id, "create", 0, 0, sql));
		free(sql);
		return 0;
	}
	sql = id_sql(c, id);
	body_refs(c, 0, old, diff_emitf(c, id, "drop", 0, 0, "DROP %s %s", proc ? "PROCEDURE" : "FUNCTION", sql));
	free(sql);
	readd_expr_parts(c, id);
	return 0;
}

/* ---- triggers, event triggers, rules, policies ---- */

/* The SQL name of a routine referred to by id (function:S.N() or function:S.N): no arguments. */
static char *
callee(struct diffctx *c, const char *id)
{
	struct strv p = { 0 };
	const char *args;
	char *s;

	(void)c;
	id_parts(id, &p, &args);
	s = p.n == 2 ? diff_qname(p.v[0], p.v[1]) : xstrdup(p.n ? p.v[0] : "");
	strv_free(&p);
	return s;
}

static const char *
enable_words(const char *e)
{
	if (!e || strcmp(e, "O") == 0)
		return "ENABLE";
	if (strcmp(e, "D") == 0)
		return "DISABLE";
	if (strcmp(e, "R") == 0)
		return "ENABLE REPLICA";
	return "ENABLE ALWAYS";
}

static char *
trigger_sql(struct diffctx *c, const json_t *r, int replace)
{
	struct buf b = { 0 };
	char *name = diff_quote(str(r, "name")), *tab = id_sql(c, str(r, "table"));
	char *fn = callee(c, str(r, "function"));
	const char *t = str(r, "timing"), *lvl = str(r, "level"), *w = str(r, "when_sql");
	const char *ot = str(r, "old_table"), *nt = str(r, "new_table");
	const json_t *x;
	size_t i;

	buf_printf(&b, "CREATE %s%sTRIGGER %s %s ", replace ? "OR REPLACE " : "", flag(r, "constraint") ? "CONSTRAINT " : "",
	    name, strcmp(t, "before") == 0 ? "BEFORE" : strcmp(t, "after") == 0 ? "AFTER" : "INSTEAD OF");
	json_array_foreach(json_object_get(r, "events"), i, x) {
		const char *e = json_string_value(x);
		char *u = xstrdup(e);

		for (char *p = u; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		buf_printf(&b, "%s%s", i ? " OR " : "", u);
		free(u);
		if (strcmp(e, "update") == 0 && json_array_size(json_object_get(r, "columns"))) {
			const json_t *col;
			size_t k;

			buf_puts(&b, " OF ");
			json_array_foreach(json_object_get(r, "columns"), k, col) {
				char *q = diff_quote(json_string_value(col));

				buf_printf(&b, "%s%s", k ? ", " : "", q);
				free(q);
			}
		}
	}
	buf_printf(&b, " ON %s", tab);
	if (flag(r, "deferrable"))
		buf_printf(&b, " DEFERRABLE INITIALLY %s", flag(r, "initially_deferred") ? "DEFERRED" : "IMMEDIATE");
	if (ot || nt) {
		buf_puts(&b, " REFERENCING");
		if (ot) {
			char *q = diff_quote(ot);

			buf_printf(&b, " OLD TABLE AS %s", q);
			free(q);
		}
		if (nt) {
			char *q = diff_quote(nt);

			buf_printf(&b, " NEW TABLE AS %s", q);
			free(q);
		}
	}
	buf_printf(&b, "\nFOR EACH %s", lvl && strcmp(lvl, "row") == 0 ? "ROW" : "STATEMENT");
	if (w)
		buf_printf(&b, " WHEN (%s)", w);
	buf_printf(&b, "\nEXECUTE FUNCTION %s(", fn);
	json_array_foreach(json_object_get(r, "args"), i, x) {
		char *l = diff_literal(json_string_value(x));

		buf_printf(&b, "%s%s", i ? ", " : "", l);
		free(l);
	}
	buf_puts(&b, ")");
	free(name);
	free(tab);
	free(fn);
	return b.data;
}

/* An alter that uses its record's references (new side) and the object itself. */
static struct diffchange *
alter(struct diffctx *c, const json_t *new, const char *sql)
{
	struct diffchange *ch = diff_emit(c, str(new, "id"), "alter", 0, 0, sql);
	struct strv u = { 0 };

	diff_refs(c, 1, new, &u);
	for (size_t i = 0; i < u.n; i++)
		diff_uses(ch, u.v[i]);
	strv_free(&u);
	return ch;
}

/* The enabled state of a trigger after its creation or change. */
static void
trigger_enable(struct diffctx *c, const json_t *r, int always)
{
	const char *e = str(r, "enabled");
	char *tab, *name;

	if (!always && !e)
		return;
	tab = id_sql(c, str(r, "table"));
	name = diff_quote(str(r, "name"));
	{
		char *sql = xasprintf("ALTER TABLE %s %s TRIGGER %s", tab, enable_words(e), name);
		struct diffchange *ch = alter(c, r, sql);

		diff_after(ch, str(r, "id"));
		free(sql);
	}
	free(tab);
	free(name);
}

/* Whether a and b differ in more than the keys listed (and the text-only ones). */
static int
differ_beyond(const json_t *a, const json_t *b, const char *const *keys)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	int same;

	for (int i = 0; keys[i]; i++) {
		json_object_del(x, keys[i]);
		json_object_del(y, keys[i]);
	}
	same = diff_same(x, y);
	json_decref(x);
	json_decref(y);
	return !same;
}

static int
trigger_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new);
	char *sql;

	if (old && new) {
		static const char *const en[] = { "enabled", NULL };

		if (renamed(old, new) || flag(old, "constraint") || flag(new, "constraint")) {
			if (renamed(old, new) || differ_beyond(old, new, en)) {
				diff_recreate(c, str(old, "id"));
				return 0;
			}
		} else if (differ_beyond(old, new, en)) {
			sql = trigger_sql(c, new, 1);
			alter(c, new, sql);
			free(sql);
			trigger_enable(c, new, 0);
			if (!str(new, "enabled") && str(old, "enabled"))
				trigger_enable(c, new, 1);
			return 0;
		}
		if (!diff_field_same(old, new, "enabled"))
			trigger_enable(c, new, 1);
		return 0;
	}
	if (new) {
		sql = trigger_sql(c, new, 0);
		diff_emit(c, id, "create", 0, 0, sql);
		free(sql);
		trigger_enable(c, new, 0);
		return 0;
	}
	if (gone(c, str(old, "table")) && !uses_gone(c, old))
		return 0;
	{
		char *tab = id_sql(c, str(old, "table")), *name = diff_quote(str(old, "name"));

		diff_emitf(c, id, "drop", 0, 0, "DROP TRIGGER %s ON %s", name, tab);
		free(tab);
		free(name);
	}
	return 0;
}

static char *
event_trigger_sql(struct diffctx *c, const json_t *r)
{
	struct buf b = { 0 };
	char *name = diff_quote(str(r, "name")), *fn = callee(c, str(r, "function"));
	const json_t *x;
	size_t i;

	buf_printf(&b, "CREATE EVENT TRIGGER %s ON %s", name, str(r, "event"));
	json_array_foreach(json_object_get(r, "tags"), i, x) {
		char *l = diff_literal(json_string_value(x));

		buf_printf(&b, "%s%s", i ? ", " : "\nWHEN TAG IN (", l);
		free(l);
	}
	if (json_array_size(json_object_get(r, "tags")))
		buf_puts(&b, ")");
	buf_printf(&b, "\nEXECUTE FUNCTION %s()", fn);
	free(name);
	free(fn);
	return b.data;
}

static void
event_enable(struct diffctx *c, const json_t *r, int always)
{
	const char *e = str(r, "enabled");
	char *name, *sql;

	if (!always && !e)
		return;
	name = diff_quote(str(r, "name"));
	sql = xasprintf("ALTER EVENT TRIGGER %s %s", name, enable_words(e));
	diff_after(alter(c, r, sql), str(r, "id"));
	free(sql);
	free(name);
}

static int
event_trigger_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	static const char *const en[] = { "enabled", NULL };
	const char *id = rid(old, new);
	char *sql;

	if (old && new) {
		if (renamed(old, new) || differ_beyond(old, new, en)) {
			diff_recreate(c, str(old, "id"));
			return 0;
		}
		if (!diff_field_same(old, new, "enabled"))
			event_enable(c, new, 1);
		return 0;
	}
	if (new) {
		sql = event_trigger_sql(c, new);
		diff_emit(c, id, "create", 0, 0, sql);
		free(sql);
		event_enable(c, new, 0);
		return 0;
	}
	sql = diff_quote(str(old, "name"));
	diff_emitf(c, id, "drop", 0, 0, "DROP EVENT TRIGGER %s", sql);
	free(sql);
	return 0;
}

static char *
rule_sql(struct diffctx *c, const json_t *r, int replace)
{
	struct buf b = { 0 };
	char *name = diff_quote(str(r, "name")), *tab = id_sql(c, str(r, "table"));
	const char *ev = str(r, "event"), *w = str(r, "where_sql"), *acts = str(r, "actions_sql");
	char *u = xstrdup(ev ? ev : "");

	for (char *p = u; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	buf_printf(&b, "CREATE %sRULE %s AS ON %s TO %s", replace ? "OR REPLACE " : "", name, u, tab);
	if (w)
		buf_printf(&b, "\nWHERE %s", w);
	buf_printf(&b, "\nDO %s", flag(r, "instead") ? "INSTEAD" : "ALSO");
	if (!acts || !*acts)
		buf_puts(&b, " NOTHING");
	else if (acts[0] == '(')
		buf_printf(&b, " %s", acts);
	else
		buf_printf(&b, " (%s)", acts);
	free(u);
	free(name);
	free(tab);
	return b.data;
}

static int
rule_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new);
	char *sql;

	if (old && new) {
		if (diff_same(old, new) && !renamed(old, new))
			return 0;
		if (renamed(old, new) || !diff_field_same(old, new, "event")) {
			diff_recreate(c, str(old, "id"));
			return 0;
		}
		sql = rule_sql(c, new, 1);
		alter(c, new, sql);
		free(sql);
		return 0;
	}
	if (new) {
		sql = rule_sql(c, new, 0);
		diff_emit(c, id, "create", 0, 0, sql);
		free(sql);
		return 0;
	}
	if (gone(c, str(old, "table")) && !uses_gone(c, old))
		return 0;
	{
		char *tab = id_sql(c, str(old, "table")), *name = diff_quote(str(old, "name"));

		diff_emitf(c, id, "drop", 0, 0, "DROP RULE %s ON %s", name, tab);
		free(tab);
		free(name);
	}
	return 0;
}

/* " TO a, b" for a policy's roles (absent: public). */
static void
policy_roles(struct buf *b, const json_t *r)
{
	const json_t *x;
	size_t i;

	if (!json_array_size(json_object_get(r, "roles"))) {
		buf_puts(b, " TO public");
		return;
	}
	json_array_foreach(json_object_get(r, "roles"), i, x) {
		const char *s = json_string_value(x);
		char *q = strcmp(s, "public") == 0 ? xstrdup("public") : diff_quote(s);

		buf_printf(b, "%s%s", i ? ", " : " TO ", q);
		free(q);
	}
}

static char *
policy_sql(struct diffctx *c, const json_t *r)
{
	struct buf b = { 0 };
	char *name = diff_quote(str(r, "name")), *tab = id_sql(c, str(r, "table"));
	const char *cmd = str(r, "command"), *u = str(r, "using_sql"), *k = str(r, "check_sql");
	char *uc = xstrdup(cmd ? cmd : "all");

	for (char *p = uc; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	buf_printf(&b, "CREATE POLICY %s ON %s", name, tab);
	if (flag(r, "restrictive"))
		buf_puts(&b, " AS RESTRICTIVE");
	buf_printf(&b, " FOR %s", uc);
	policy_roles(&b, r);
	if (u)
		buf_printf(&b, "\nUSING (%s)", u);
	if (k)
		buf_printf(&b, "\nWITH CHECK (%s)", k);
	free(uc);
	free(name);
	free(tab);
	return b.data;
}

/* A restrictive policy made again (around a change of a column it uses): dropping it would widen
   access until it is back, since the permissive policies alone decide meanwhile. It is altered
   instead: its expressions to false (it no longer uses the column, and it lets nothing through),
   then to the new ones. Whether old (the policy in the old model) and new (in the new one) allow
   that: the same table and command, both restrictive, and no expression taken away. */
static int
policy_kept(const json_t *old, const json_t *new)
{
	return old && new && flag(old, "restrictive") && flag(new, "restrictive") && str(old, "table") && str(new, "table")
	    && strcmp(str(old, "table"), str(new, "table")) == 0 && strcmp(str(old, "name"), str(new, "name")) == 0
	    && diff_field_same(old, new, "command") && !(json_object_get(old, "using") && !json_object_get(new, "using"))
	    && !(json_object_get(old, "check") && !json_object_get(new, "check"));
}

static int
policy_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new);
	char *sql;

	if (old && new) {
		static const char *const alterable[] = { "roles", "using", "using_sql", "check", "check_sql", NULL };

		if (diff_same(old, new) && !renamed(old, new))
			return 0;
		/* ALTER POLICY changes roles and expressions; it cannot take an expression away */
		if (renamed(old, new) || differ_beyond(old, new, alterable)
		    || (json_object_get(old, "using") && !json_object_get(new, "using"))
		    || (json_object_get(old, "check") && !json_object_get(new, "check"))) {
			diff_recreate(c, str(old, "id"));
			return 0;
		}
		{
			struct buf b = { 0 };
			char *name = diff_quote(str(new, "name")), *tab = id_sql(c, str(new, "table"));

			buf_printf(&b, "ALTER POLICY %s ON %s", name, tab);
			if (!diff_field_same(old, new, "roles"))
				policy_roles(&b, new);
			if (!diff_field_same(old, new, "using"))
				buf_printf(&b, "\nUSING (%s)", str(new, "using_sql"));
			if (!diff_field_same(old, new, "check"))
				buf_printf(&b, "\nWITH CHECK (%s)", str(new, "check_sql"));
			alter(c, new, b.data);
			buf_free(&b);
			free(name);
			free(tab);
		}
		return 0;
	}
	if (new) {
		const json_t *was = diff_get(c, 0, id);

		if (policy_kept(was, new) && !gone(c, str(was, "table"))) {
			struct buf b = { 0 };
			char *name = diff_quote(str(new, "name")), *tab = id_sql(c, str(new, "table"));

			buf_printf(&b, "ALTER POLICY %s ON %s", name, tab);
			policy_roles(&b, new);
			if (str(new, "using_sql"))
				buf_printf(&b, "\nUSING (%s)", str(new, "using_sql"));
			if (str(new, "check_sql"))
				buf_printf(&b, "\nWITH CHECK (%s)", str(new, "check_sql"));
			diff_emit(c, id, "create", 0, 0, b.data);
			buf_free(&b);
			free(name);
			free(tab);
			return 0;
		}
		sql = policy_sql(c, new);
		diff_emit(c, id, "create", 0, 0, sql);
		free(sql);
		return 0;
	}
	if (gone(c, str(old, "table")) && !uses_gone(c, old))
		return 0;
	if (policy_kept(old, diff_get(c, 1, id))) {
		char *tab = id_sql(c, str(old, "table")), *name = diff_quote(str(old, "name"));

		diff_emitf(c, id, "drop", 0, 0, "ALTER POLICY %s ON %s%s%s", name, tab,
		    json_object_get(old, "using") ? "\nUSING (false)" : "", json_object_get(old, "check") ? "\nWITH CHECK (false)" : "");
		free(tab);
		free(name);
		return 0;
	}
	{
		char *tab = id_sql(c, str(old, "table")), *name = diff_quote(str(old, "name"));

		diff_emitf(c, id, "drop", 0, 0, "DROP POLICY %s ON %s", name, tab);
		free(tab);
		free(name);
	}
	return 0;
}

/* ---- publications ---- */

/* The filter object of table tid in a publication record, or NULL. */
static const json_t *
pub_filter(const json_t *r, const char *tid)
{
	const json_t *f;
	size_t i;

	json_array_foreach(json_object_get(r, "filters"), i, f)
		if (str(f, "table") && strcmp(str(f, "table"), tid) == 0)
			return f;
	return NULL;
}

/* The object list of a publication: "TABLE a (x, y) WHERE (...), b, TABLES IN SCHEMA s". */
static void
pub_objects(struct diffctx *c, struct buf *b, const json_t *r)
{
	const json_t *x;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(r, "tables"), i, x) {
		const char *tid = json_string_value(x);
		const json_t *f = pub_filter(r, tid);
		char *t = id_sql(c, tid);

		buf_printf(b, "%s%s", n++ ? ", " : "TABLE ", t);
		free(t);
		if (f && json_array_size(json_object_get(f, "columns"))) {
			const json_t *col;
			size_t k;

			json_array_foreach(json_object_get(f, "columns"), k, col) {
				char *q = diff_quote(json_string_value(col));

				buf_printf(b, "%s%s", k ? ", " : " (", q);
				free(q);
			}
			buf_puts(b, ")");
		}
		if (f && str(f, "where_sql"))
			buf_printf(b, " WHERE (%s)", str(f, "where_sql"));
	}
	json_array_foreach(json_object_get(r, "schemas"), i, x) {
		char *s = id_sql(c, json_string_value(x));

		buf_printf(b, "%s%s", i ? ", " : n ? ", TABLES IN SCHEMA " : "TABLES IN SCHEMA ", s);
		free(s);
	}
}

/* " WITH (publish = '...', publish_via_partition_root = ...)" for the options of r. */
static void
pub_options(struct buf *b, const json_t *r, int always)
{
	const json_t *p = json_object_get(r, "publish"), *x;
	size_t i;

	if (!always && !p && !flag(r, "via_root"))
		return;
	buf_puts(b, always ? " (publish = '" : " WITH (publish = '");
	if (!p)
		buf_puts(b, "insert, update, delete, truncate");
	json_array_foreach(p, i, x)
		buf_printf(b, "%s%s", i ? ", " : "", json_string_value(x));
	buf_printf(b, "', publish_via_partition_root = %s)", flag(r, "via_root") ? "true" : "false");
}

static int
publication_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new);
	struct buf b = { 0 };
	char *name = diff_quote(str(old ? old : new, "name"));

	if (old && new) {
		if (renamed(old, new) || flag(old, "all_tables") != flag(new, "all_tables")) {
			diff_recreate(c, str(old, "id"));
			free(name);
			return 0;
		}
		if (!diff_field_same(old, new, "tables") || !diff_field_same(old, new, "schemas")
		    || !diff_field_same(old, new, "filters")) {
			if (json_array_size(json_object_get(new, "tables")) || json_array_size(json_object_get(new, "schemas"))) {
				buf_printf(&b, "ALTER PUBLICATION %s SET ", name);
				pub_objects(c, &b, new);
			} else {
				buf_printf(&b, "ALTER PUBLICATION %s DROP ", name);
				pub_objects(c, &b, old);
			}
			{
				struct diffchange *ch = alter(c, new, b.data);
				const json_t *x;
				size_t i;

				/* tables it stops naming are dropped after it lets them go */
				json_array_foreach(json_object_get(old, "tables"), i, x)
					diff_olduses(ch, json_string_value(x));
			}
			b.len = 0;
		}
		if (!diff_field_same(old, new, "publish") || flag(old, "via_root") != flag(new, "via_root")) {
			buf_printf(&b, "ALTER PUBLICATION %s SET", name);
			pub_options(&b, new, 1);
			alter(c, new, b.data);
		}
	} else if (new) {
		buf_printf(&b, "CREATE PUBLICATION %s", name);
		if (flag(new, "all_tables"))
			buf_puts(&b, " FOR ALL TABLES");
		else if (json_array_size(json_object_get(new, "tables")) || json_array_size(json_object_get(new, "schemas"))) {
			buf_puts(&b, " FOR ");
			pub_objects(c, &b, new);
		}
		pub_options(&b, new, 0);
		diff_emit(c, id, "create", 0, 0, b.data);
	} else {
		diff_emitf(c, id, "drop", 0, 0, "DROP PUBLICATION %s", name);
	}
	buf_free(&b);
	free(name);
	return 0;
}

/* ---- comments, grants, default privileges, owners ---- */

static int
comment_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new), *on = str(old ? old : new, "on");
	char *t;

	/* a renamed object keeps its comment */
	if (old && new && diff_field_same(old, new, "text"))
		return 0;
	if (!new) {
		/* the comment goes with its object */
		if (gone(c, on))
			return 0;
		if (!(t = target_sql(c, on, id)))
			return -1;
		diff_emitf(c, id, "drop", 0, 0, "COMMENT ON %s IS NULL", t);
		free(t);
		return 0;
	}
	on = str(new, "on");
	if (!(t = target_sql(c, on, id)))
		return -1;
	{
		char *l = diff_literal(str(new, "text") ? str(new, "text") : "");
		struct diffchange *ch = diff_emitf(c, str(new, "id"), old ? "alter" : "create", 0, 0, "COMMENT ON %s IS %s", t, l);

		diff_uses(ch, on);
		free(l);
	}
	free(t);
	return 0;
}

/* The words of GRANT ... ON for a target id: "TABLE public.t", "FUNCTION public.f(integer)"; for
   a column, the table, with the column's name in *col. NULL after diff_fail. */
static char *
grant_target(struct diffctx *c, const char *on, const char *about, char **col)
{
	static const struct {
		const char *kind, *words;
	} k[] = {
		{ "table", "TABLE" }, { "view", "TABLE" }, { "matview", "TABLE" }, { "sequence", "SEQUENCE" },
		{ "function", "FUNCTION" }, { "procedure", "PROCEDURE" }, { "schema", "SCHEMA" }, { "type", "TYPE" },
		{ "domain", "DOMAIN" },
	};
	char *name, *s;

	*col = NULL;
	if (is_kind(on, "column")) {
		struct strv p = { 0 };
		const char *args;

		id_parts(on, &p, &args);
		if (p.n != 3) {
			strv_free(&p);
			diff_fail(c, about, "conf-diff cannot read the column id %s", on);
			return NULL;
		}
		*col = diff_quote(p.v[2]);
		name = diff_qname(p.v[0], p.v[1]);
		s = xasprintf("TABLE %s", name);
		free(name);
		strv_free(&p);
		return s;
	}
	/* an aggregate is granted on as a function */
	if (is_kind(on, "aggregate") && (name = diff_agg_name(c, on, 1))) {
		s = xasprintf("FUNCTION %s", name);
		free(name);
		return s;
	}
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		if (is_kind(on, k[i].kind) && (name = id_sql(c, on))) {
			s = xasprintf("%s %s", k[i].words, name);
			free(name);
			return s;
		}
	diff_fail(c, about, "conf-diff cannot grant on %s", on);
	return NULL;
}

/* The words of a privilege list: "SELECT, UPDATE" or, for a column, "SELECT (c), UPDATE (c)". */
static char *
priv_words(const struct strv *v, const char *col)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (size_t i = 0; i < v->n; i++) {
		buf_printf(&b, "%s%s", i ? ", " : "", v->v[i]);
		if (col)
			buf_printf(&b, " (%s)", col);
	}
	return b.data;
}

/* The grantee as SQL: PUBLIC or a quoted role name. */
static char *
grantee_sql(const char *g)
{
	return strcmp(g, "PUBLIC") == 0 ? xstrdup("PUBLIC") : diff_quote(g);
}

/* a minus b into out (strings of arrays; absent arrays are empty). */
static void
minus(const json_t *a, const json_t *b, struct strv *out)
{
	const json_t *x;
	size_t i;

	json_array_foreach(a, i, x)
		if (!in_list(b, json_string_value(x)))
			strv_add(out, json_string_value(x));
}

/* The statements between two grant entries of one grantee (old or new NULL: none); pre is the
   statement's head ("" or "ALTER DEFAULT PRIVILEGES FOR ROLE r IN SCHEMA s "), target the words
   after ON, col a column or NULL. Each statement goes to out. */
static void
grant_steps(const json_t *old, const json_t *new, const char *pre, const char *target, const char *col,
    const char *grantee, struct strv *out)
{
	const json_t *op = json_object_get(old, "privileges"), *np = json_object_get(new, "privileges");
	const json_t *og = json_object_get(old, "grantable"), *ng = json_object_get(new, "grantable");
	const json_t *orv = json_object_get(old, "revoked"), *nrv = json_object_get(new, "revoked");
	struct strv revoke = { 0 }, grant = { 0 }, wgo = { 0 }, nogo = { 0 };
	char *g = grantee_sql(grantee), *w;

	/* privileges taken away; privileges given (WITH GRANT OPTION when grantable) */
	minus(op, np, &revoke);
	{
		json_t *plain = json_array();
		const json_t *x;
		size_t i;

		json_array_foreach(np, i, x) {
			const char *p = json_string_value(x);
			int had = in_list(op, p), go = in_list(ng, p), hadgo = in_list(og, p);

			if (go && !hadgo)
				strv_add(&wgo, p);
			else if (!had)
				json_array_append_new(plain, json_string(p));
			else if (!go && hadgo)
				strv_add(&nogo, p);
		}
		json_array_foreach(plain, i, x)
			strv_add(&grant, json_string_value(x));
		json_decref(plain);
	}
	/* defaults revoked now (REVOKE), defaults given back (GRANT) */
	{
		struct strv rv = { 0 }, back = { 0 };

		minus(nrv, orv, &rv);
		minus(orv, nrv, &back);
		for (size_t i = 0; i < rv.n; i++)
			strv_add(&revoke, rv.v[i]);
		for (size_t i = 0; i < back.n; i++)
			strv_add(&grant, back.v[i]);
		strv_free(&rv);
		strv_free(&back);
	}
	if (revoke.n) {
		w = priv_words(&revoke, col);
		strv_take(out, xasprintf("%sREVOKE %s ON %s FROM %s", pre, w, target, g));
		free(w);
	}
	if (nogo.n) {
		w = priv_words(&nogo, col);
		strv_take(out, xasprintf("%sREVOKE GRANT OPTION FOR %s ON %s FROM %s", pre, w, target, g));
		free(w);
	}
	if (grant.n) {
		w = priv_words(&grant, col);
		strv_take(out, xasprintf("%sGRANT %s ON %s TO %s", pre, w, target, g));
		free(w);
	}
	if (wgo.n) {
		w = priv_words(&wgo, col);
		strv_take(out, xasprintf("%sGRANT %s ON %s TO %s WITH GRANT OPTION", pre, w, target, g));
		free(w);
	}
	strv_free(&revoke);
	strv_free(&grant);
	strv_free(&wgo);
	strv_free(&nogo);
	free(g);
}

static int
grant_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new), *on = str(new ? new : old, "on");
	struct strv steps = { 0 };
	char *target, *col;

	if (old && new && diff_field_same(old, new, "privileges") && diff_field_same(old, new, "grantable")
	    && diff_field_same(old, new, "revoked"))
		return 0;
	/* privileges go with their object */
	if (!new && gone(c, on))
		return 0;
	if (!(target = grant_target(c, on, id, &col)))
		return -1;
	/* a renamed object keeps its privileges: the pair compares as one */
	grant_steps(old, new, "", target, col, str(new ? new : old, "grantee"), &steps);
	for (size_t i = 0; i < steps.n; i++) {
		const char *action = !old ? "create" : !new ? "drop" : "alter";
		struct diffchange *ch;

		/* only the first statement of a creation or a drop makes or removes the record */
		if (i > 0)
			action = "alter";
		ch = diff_emit(c, new ? str(new, "id") : id, action, 0, 0, steps.v[i]);
		if (new)
			diff_uses(ch, on);
		else
			diff_olduses(ch, on);
	}
	strv_free(&steps);
	free(target);
	free(col);
	return 0;
}

/* The grant entry of grantee in a default_acl record's "grants", or NULL. */
static const json_t *
acl_entry(const json_t *r, const char *grantee)
{
	const json_t *g;
	size_t i;

	json_array_foreach(json_object_get(r, "grants"), i, g)
		if (strcmp(str(g, "grantee"), grantee) == 0)
			return g;
	return NULL;
}

static int
default_acl_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const json_t *r = new ? new : old, *g;
	const char *id = rid(old, new), *obj = str(r, "objects"), *sch = str(r, "in_schema");
	struct strv steps = { 0 };
	struct buf pre = { 0 };
	char *role = diff_quote(str(r, "role")), *uobj = xstrdup(obj ? obj : "");
	size_t i;

	if (old && new && diff_same(old, new)) {
		free(role);
		free(uobj);
		return 0;
	}
	for (char *p = uobj; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	buf_printf(&pre, "ALTER DEFAULT PRIVILEGES FOR ROLE %s ", role);
	if (sch) {
		char *s = diff_quote(sch);

		buf_printf(&pre, "IN SCHEMA %s ", s);
		free(s);
	}
	/* every grantee of either side */
	json_array_foreach(json_object_get(old, "grants"), i, g)
		grant_steps(g, acl_entry(new, str(g, "grantee")), pre.data, uobj, NULL, str(g, "grantee"), &steps);
	json_array_foreach(json_object_get(new, "grants"), i, g)
		if (!acl_entry(old, str(g, "grantee")))
			grant_steps(NULL, g, pre.data, uobj, NULL, str(g, "grantee"), &steps);
	for (i = 0; i < steps.n; i++) {
		/* ON TABLES ...: the object word follows ON as a plural, which grant_steps wrote as target */
		const char *action = i == 0 ? (!old ? "create" : !new ? "drop" : "alter") : "alter";
		struct diffchange *ch;

		/* a schema's entries go with the schema */
		if (!new && sch) {
			char *q = model_ident(sch), *sid = xasprintf("schema:%s", q);
			int dropped = gone(c, sid);

			free(q);
			free(sid);
			if (dropped)
				break;
		}
		ch = diff_emit(c, new ? str(new, "id") : id, action, 0, 0, steps.v[i]);
		if (sch) {
			char *q = model_ident(sch), *sid = xasprintf("schema:%s", q);

			if (new)
				diff_uses(ch, sid);
			else
				diff_olduses(ch, sid);
			free(q);
			free(sid);
		}
	}
	strv_free(&steps);
	buf_free(&pre);
	free(role);
	free(uobj);
	return 0;
}

/* The words of ALTER ... OWNER TO for a target id. */
static char *
owner_target(struct diffctx *c, const char *on, const char *about)
{
	static const struct {
		const char *kind, *words;
	} k[] = {
		{ "schema", "SCHEMA" }, { "type", "TYPE" }, { "domain", "DOMAIN" }, { "sequence", "SEQUENCE" },
		{ "table", "TABLE" }, { "view", "VIEW" }, { "matview", "MATERIALIZED VIEW" },
		{ "function", "FUNCTION" }, { "procedure", "PROCEDURE" }, { "publication", "PUBLICATION" },
		{ "event_trigger", "EVENT TRIGGER" }, { "aggregate", "AGGREGATE" }, { "operator", "OPERATOR" },
		{ "collation", "COLLATION" }, { "statistics", "STATISTICS" },
	};
	char *name, *s = diff_ext_target(c, on);

	if (s)
		return s;
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		if (is_kind(on, k[i].kind) && (name = id_sql(c, on))) {
			const char *w = k[i].words;

			if (strcmp(k[i].kind, "table") == 0) {
				const char *rk = str(either(c, on), "relkind");

				if (rk && strcmp(rk, "foreign") == 0)
					w = "FOREIGN TABLE";
			}
			s = xasprintf("%s %s", w, name);
			free(name);
			return s;
		}
	diff_fail(c, about, "conf-diff cannot change the owner of %s", on);
	return NULL;
}

static int
owner_fn(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = rid(old, new), *on = str(new ? new : old, "on");
	char *t, *who;
	struct diffchange *ch;

	if (old && new && diff_field_same(old, new, "owner"))
		return 0;
	if (!new && gone(c, on))
		return 0;
	if (!(t = owner_target(c, on, id)))
		return -1;
	/* no owner record: the database's owner, which is the role the migration runs as */
	who = new ? diff_quote(str(new, "owner")) : xstrdup("CURRENT_USER");
	ch = diff_emitf(c, new ? str(new, "id") : id, !old ? "create" : !new ? "drop" : "alter", 0, 0,
	    "ALTER %s OWNER TO %s", t, who);
	if (new)
		diff_uses(ch, on);
	else
		diff_olduses(ch, on);
	free(t);
	free(who);
	return 0;
}

/* Ranks between the core's (diff_table.c): function/procedure 40, view/matview 60, trigger, rule,
   policy 80, event trigger 82, publication 85, owner 88, grant 90, default_acl 91, comment 92. */
const struct diffkind diff_obj_kinds[] = {
	{ "collation", diff_collation_fn, 15 },
	{ "function", routine_fn, 40 },
	{ "operator", diff_operator_fn, 41 },
	{ "aggregate", diff_aggregate_fn, 42 },
	{ "cast", diff_cast_fn, 45 },
	{ "statistics", diff_statistics_fn, 72 },
	{ "procedure", routine_fn, 40 },
	{ "view", view_fn, 60 },
	{ "matview", view_fn, 62 },
	{ "trigger", trigger_fn, 80 },
	{ "rule", rule_fn, 80 },
	{ "policy", policy_fn, 80 },
	{ "event_trigger", event_trigger_fn, 82 },
	{ "publication", publication_fn, 85 },
	{ "owner", owner_fn, 88 },
	{ "grant", grant_fn, 90 },
	{ "default_acl", default_acl_fn, 91 },
	{ "comment", comment_fn, 92 },
	{ NULL, NULL, 0 },
};
