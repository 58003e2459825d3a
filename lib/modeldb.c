#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "diag.h"
#include "jsonl.h"
#include "modeldb.h"
#include "normexpr.h"
#include "pgconn.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqltext.h"

/* The queries after the prelude (sql_inspect_common), one per group of kinds. Comments, owners
   and grants come last: they are kept only when their object is a record. */
static const char *const queries[] = {
	sql_inspect_schemas, sql_inspect_types, sql_inspect_sequences, sql_inspect_tables,
	sql_inspect_indexes, sql_inspect_views, sql_inspect_functions, sql_inspect_triggers,
	sql_inspect_global, sql_inspect_agg, sql_inspect_meta, sql_inspect_agg_meta,
	sql_inspect_ext, sql_inspect_extmeta,
};

/* The settings every deparsed text depends on: with search_path = pg_catalog, format_type and
   pg_get_*def qualify every name outside pg_catalog; the others fix how constants print. */
static const char setup_sql[] =
	"SELECT set_config('search_path', 'pg_catalog', true), set_config('DateStyle', 'ISO, MDY', true),"
	" set_config('IntervalStyle', 'postgres', true), set_config('TimeZone', 'UTC', true),"
	" set_config('extra_float_digits', '1', true), set_config('bytea_output', 'hex', true),"
	" set_config('jit', 'off', true),"
	/* whether the patterns of -n match a schema (pg_dump's check, before -N applies) */
	" cardinality($1::text[]) = 0 OR EXISTS (SELECT FROM pg_catalog.pg_namespace"
	"  WHERE nspname OPERATOR(pg_catalog.~) ANY ($1::text[]) AND nspname !~ '^pg_' AND nspname <> 'information_schema')";

/* Append s to b as an element of a text[] literal. */
static void
array_elem(struct buf *b, const char *s, size_t n)
{
	buf_puts(b, b->len > 1 ? ",\"" : "\"");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_puts(b, "\\");
		buf_add(b, s + i, 1);
	}
	buf_puts(b, "\"");
}

/* The regular expression of a psql name pattern (as \dn and pg_dump -n read it): unquoted
   letters folded to lower case, * any run of characters, ? one character, "..." literal with ""
   for a quote; anchored. NULL after a message when it has a dot outside quotes (a qualified name:
   schemas have none). */
static char *
pattern_regex(const char *pat)
{
	struct buf b = { 0 };
	int quoted = 0;

	buf_puts(&b, "^(");
	for (const char *p = pat; *p; p++) {
		if (*p == '"') {
			if (quoted && p[1] == '"') {
				buf_puts(&b, "\"");
				p++;
			} else {
				quoted = !quoted;
			}
		} else if (!quoted && *p == '*') {
			buf_puts(&b, ".*");
		} else if (!quoted && *p == '?') {
			buf_puts(&b, ".");
		} else if (!quoted && *p == '.') {
			warnx("improper qualified name (too many dotted names): %s", pat);
			buf_free(&b);
			return NULL;
		} else {
			char ch = !quoted && *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;

			if (strchr("|*+?()[]{}.^$\\", ch))
				buf_puts(&b, "\\");
			buf_add(&b, &ch, 1);
		}
	}
	buf_puts(&b, ")$");
	return b.data;
}

/* A text[] literal of the regular expressions of the patterns in sv; NULL after a message. */
static char *
regex_array(const struct strv *sv)
{
	struct buf b = { 0 };

	buf_puts(&b, "{");
	for (size_t i = 0; sv && i < sv->n; i++) {
		char *re = pattern_regex(sv->v[i]);

		if (!re) {
			buf_free(&b);
			return NULL;
		}
		array_elem(&b, re, strlen(re));
		free(re);
	}
	buf_puts(&b, "}");
	return b.data;
}

/* The id of a reference {"@": [kind, part...], "()": argument types}: kind:part.part(args),
   every part through model_ident but an operator's name; kind "" gives the qualified name alone. */
static char *
ref_id(json_t *ref)
{
	json_t *parts = json_object_get(ref, "@"), *args = json_object_get(ref, "()"), *p;
	struct buf b = { 0 };
	size_t i;
	int opr = 0;

	json_array_foreach(parts, i, p) {
		const char *s = json_string_value(p);

		if (i == 0) {
			buf_puts(&b, s ? s : "");
			if (s && *s)
				buf_puts(&b, ":");
			opr = s && strcmp(s, "operator") == 0;
			continue;
		}
		if (i > 1)
			buf_puts(&b, ".");
		/* an operator's name stays as it is (model_opr_qname) */
		if (opr && i == json_array_size(parts) - 1) {
			buf_puts(&b, s ? s : "");
			continue;
		}
		char *q = model_ident(s ? s : "");
		buf_puts(&b, q);
		free(q);
	}
	if (json_is_string(args))
		buf_printf(&b, "(%s)", json_string_value(args));
	return b.data ? b.data : xstrdup("");
}

/* v with every reference object replaced by its id (new reference). */
static json_t *
resolve(json_t *v)
{
	if (json_is_object(v) && json_object_get(v, "@")) {
		char *id = ref_id(v);
		json_t *s = json_string(id);

		free(id);
		return s;
	}
	if (json_is_object(v)) {
		const char *k;
		json_t *e;

		json_object_foreach(v, k, e)
			json_object_set_new_nocheck(v, k, resolve(e));
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e)
			json_array_set_new(v, i, resolve(e));
	}
	return json_incref(v);
}

/* How normexpr reads the text of field base. */
static enum nx_kind
expr_kind(const char *base)
{
	if (strcmp(base, "query") == 0 || strcmp(base, "actions") == 0)
		return NX_QUERY;
	if (strcmp(base, "bound") == 0)
		return NX_BOUND;
	if (strcmp(base, "body") == 0)
		return NX_BODY;
	return NX_EXPR;
}

/* The relation whose columns an unqualified column of the record being normalized names (the
   record itself for a table or a domain, its "table" for an index, policy, trigger, rule), and
   the model, for db_col_type. */
static json_t *db_own;
static const struct model *db_model;

/* normexpr's column types from the model read so far (the catalog qualifies every relation:
   search_path is pg_catalog, an unqualified one is pg_catalog's or public's). */
static const char *
db_col_type(const char *schema, const char *rel, const char *col, void *ctx)
{
	static const char *const kinds[] = { "table", "view", "matview", NULL };
	json_t *r = NULL;

	(void)ctx;
	if (!rel)
		return model_col_type(db_model, db_own, col);
	for (size_t k = 0; kinds[k] && !r; k++) {
		char *q = model_qname(schema ? schema : "public", rel), *id = xasprintf("%s:%s", kinds[k], q);

		r = model_get(db_model, id);
		free(q), free(id);
	}
	return model_col_type(db_model, r, col);
}

/* Beside every X_sql text, X = its normalized form, in v and in what it holds. */
static void
normalize(json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			normalize(e);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *add = json_object();

	json_object_foreach(v, k, e) {
		size_t n = strlen(k);

		if (json_is_string(e) && n > 4 && strcmp(k + n - 4, "_sql") == 0) {
			char *base = xstrndup(k, n - 4);

			json_t *cur = json_object_get(v, base);

			if (!cur || json_is_null(cur)) {
				/* a DEFAULT's literal is read as its column's, domain's or argument's type */
				char *form = strcmp(base, "default") == 0
				                 ? normexpr_text_as(json_string_value(e), json_string_value(json_object_get(v, "type")))
				                 : normexpr_text(json_string_value(e), expr_kind(base));

				if (form)
					json_object_set_new(add, base, json_string(form));
				free(form);
			}
			free(base);
		} else {
			normalize(e);
		}
	}
	json_object_update(v, add);
	json_decref(add);
}

/* The strings of a trigger's tgargs (hex of NUL-terminated strings). */
static json_t *
trigger_args(const char *hex)
{
	json_t *a = json_array();
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (const char *p = hex; p[0] && p[1]; p += 2) {
		char pair[3] = { p[0], p[1], 0 };
		char ch = (char)strtol(pair, NULL, 16);

		if (ch) {
			buf_add(&b, &ch, 1);
			continue;
		}
		json_array_append_new(a, json_string(b.data));
		b.len = 0;
		b.data[0] = 0;
	}
	buf_free(&b);
	return a;
}

/* One token of SQL text as PostgreSQL deparses it: *b..*e, what follows it in *next; 0 at the
   end. Quoted identifiers and string literals (E'' with its backslashes too) are one token;
   so is a word (letters, digits, _ and $, bytes past ASCII); any other byte is one token. */
static int
sql_token(const char *p, const char **b, const char **e)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	if (!*p)
		return 0;
	*b = p;
	if ((p[0] == 'E' || p[0] == 'e') && p[1] == '\'') {
		for (p += 2; *p && *p != '\''; p++)
			if (*p == '\\' && p[1])
				p++;
		*e = *p ? p + 1 : p;
		return 1;
	}
	if (*p == '\'' || *p == '"') {
		char q = *p;

		for (p++; *p; p++)
			if (*p == q && p[1] == q)
				p++;
			else if (*p == q)
				break;
		*e = *p ? p + 1 : p;
		return 1;
	}
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'
	    || (unsigned char)*p >= 0x80) {
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'
		    || *p == '$' || (unsigned char)*p >= 0x80)
			p++;
		*e = p;
		return 1;
	}
	*e = p + 1;
	return 1;
}

/* Whether token b..e is keyword kw as the deparser writes it (upper case: an identifier in upper
   case would be quoted). */
static int
tok_is(const char *b, const char *e, const char *kw)
{
	return (size_t)(e - b) == strlen(kw) && memcmp(b, kw, (size_t)(e - b)) == 0;
}

/* A copy of b..e without the blanks, newlines and semicolons at either end. */
static char *
trimmed(const char *b, const char *e)
{
	while (b < e && strchr(" \n\t\r;", *b))
		b++;
	while (e > b && strchr(" \n\t\r;", e[-1]))
		e--;
	return xstrndup(b, (size_t)(e - b));
}

/* The condition and the actions of a rule, cut out of pg_get_ruledef's text by its tokens:
   CREATE RULE n AS ON ev TO t [WHERE cond] DO [INSTEAD|ALSO] {NOTHING | action | (action; ...)}.
   WHERE and DO are reserved words: outside parentheses and quotes, the first of each is the
   clause's. where_sql = cond; actions_sql = the action list without its parentheses (none for
   NOTHING). */
static void
rule_parts(json_t *r, const char *def)
{
	const char *p = def, *b, *e, *where = NULL, *acts = NULL;
	int depth = 0;

	while (sql_token(p, &b, &e)) {
		p = e;
		if (*b == '(' && e == b + 1)
			depth++;
		else if (*b == ')' && e == b + 1)
			depth--;
		else if (depth == 0 && !where && tok_is(b, e, "WHERE"))
			where = e;
		else if (depth == 0 && tok_is(b, e, "DO")) {
			if (where) {
				char *w = trimmed(where, b);

				json_object_set_new(r, "where_sql", json_string(w));
				free(w);
			}
			acts = e;
			break;
		}
	}
	if (!acts)
		return;
	if (sql_token(acts, &b, &e) && (tok_is(b, e, "INSTEAD") || tok_is(b, e, "ALSO")))
		acts = e;
	if (!sql_token(acts, &b, &e) || tok_is(b, e, "NOTHING"))
		return;
	e = b + strlen(b);
	/* several actions: the list is in parentheses, then the final semicolon */
	if (*b == '(') {
		const char *q = e;

		while (q > b && strchr(" \n\t\r;", q[-1]))
			q--;
		if (q > b && q[-1] == ')') {
			b++;
			e = q - 1;
		}
	}
	char *a = trimmed(b, e);

	if (*a)
		json_object_set_new(r, "actions_sql", json_string(a));
	free(a);
}

/* Split the text of a list of expressions at its top-level commas (outside parentheses,
   brackets, quotes) into the keys of a partition key that have no column. */
static void
partition_exprs(json_t *by, const char *text)
{
	json_t *keys = json_object_get(by, "keys"), *k;
	const char *p = text, *start = text;
	int depth = 0;
	char quote = 0;
	size_t i = 0;

	for (;; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (!*p)
				break;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '(' || *p == '[') {
			depth++;
		} else if (*p == ')' || *p == ']') {
			depth--;
		} else if ((*p == ',' && depth == 0) || !*p) {
			const char *s = start, *e = p;

			while (s < e && *s == ' ')
				s++;
			while (i < json_array_size(keys) && json_is_string(json_object_get(json_array_get(keys, i), "column")))
				i++;
			if ((k = json_array_get(keys, i++)) != NULL) {
				char *t = xstrndup(s, (size_t)(e - s));

				json_object_set_new(k, "expr_sql", json_string(t));
				free(t);
			}
			start = p + 1;
			if (!*p)
				break;
		}
	}
}

/* The collations that the catalog's definition text gives the keys of an index or a partition
   key: PostgreSQL writes COLLATE exactly where a key's collation differs from the one its column
   or expression has by itself, which the catalogs do not hold for an expression. def is a CREATE
   INDEX statement (list "IndexStmt") or CREATE TABLE ... PARTITION BY (list "CreateStmt"). */
static void
key_collations(json_t *keys, const char *def)
{
	PgQueryParseResult r;
	json_t *root = NULL, *stmt, *elems, *e;
	size_t i;

	pgq_used();
	r = pg_query_parse(def);
	if (!r.error)
		root = json_loads(r.parse_tree, 0, NULL);
	pg_query_free_parse_result(r);
	stmt = json_object_get(json_array_get(json_object_get(root, "stmts"), 0), "stmt");
	if ((elems = json_object_get(json_object_get(stmt, "IndexStmt"), "indexParams")) == NULL)
		elems = json_object_get(json_object_get(json_object_get(stmt, "CreateStmt"), "partspec"), "partParams");
	json_array_foreach(elems, i, e) {
		json_t *elem = json_object_get(e, "IndexElem"), *coll, *key = json_array_get(keys, i);
		char *name;

		if (!elem)
			elem = json_object_get(e, "PartitionElem");
		coll = json_object_get(elem, "collation");
		if (!key || !json_is_array(coll) || !json_array_size(coll))
			continue;
		/* bare in pg_catalog, else schema.name: the naming of the coll prelude */
		if (json_array_size(coll) == 1)
			name = xstrdup(json_string_value(json_object_get(json_object_get(json_array_get(coll, 0), "String"), "sval")));
		else
			name = model_qname(json_string_value(json_object_get(json_object_get(json_array_get(coll, 0), "String"), "sval")),
			    json_string_value(json_object_get(json_object_get(json_array_get(coll, 1), "String"), "sval")));
		json_object_set_new(key, "collation", json_string(name));
		free(name);
	}
	json_decref(root);
}

static int
cmp_json_str(const void *a, const void *b)
{
	const char *x = json_string_value(*(json_t *const *)a), *y = json_string_value(*(json_t *const *)b);

	return strcmp(x ? x : "", y ? y : "");
}

/* Sort an array of strings in byte order, in place. */
static void
sort_strings(json_t *a)
{
	jsonl_sort(a, cmp_json_str);
}

static int
cmp_table(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, "table"));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, "table"));

	return strcmp(x ? x : "", y ? y : "");
}

/* Sort an array of objects by their "table" (a publication's filters), in place. */
static void
sort_by_table(json_t *a)
{
	jsonl_sort(a, cmp_table);
}

/* A record of a comment, owner or grant: its id from its target, kept only when the target
   (or the record a column or constraint target belongs to) is in the model. */
static int
attach(struct model *m, json_t *r)
{
	const char *kind = json_string_value(json_object_get(r, "kind"));
	const char *on = json_string_value(json_object_get(r, "on"));
	const char *of = json_string_value(json_object_get(r, "_of"));
	char *id;

	if (!on || !model_get(m, of ? of : on))
		return 0;
	if (strcmp(kind, "grant") == 0) {
		const char *g = json_string_value(json_object_get(r, "grantee"));
		char *q;

		if (!json_array_size(json_object_get(r, "privileges")) && !json_array_size(json_object_get(r, "revoked"))
		    && !json_array_size(json_object_get(r, "grantable")))
			return 0;
		q = strcmp(g, "PUBLIC") == 0 ? xstrdup(g) : model_ident(g);
		id = xasprintf("grant:%s:%s", on, q);
		free(q);
	} else {
		id = xasprintf("%s:%s", kind, on);
	}
	json_object_set_new(r, "id", json_string(id));
	free(id);
	return 1;
}

/* The id of a default_acl record, default_acl:ROLE:SCHEMA:OBJECTS (SCHEMA empty for the role's
   entry for every schema), with its grants that differ from what the entry stands for; 0 when
   none do (no record). */
static int
dacl_id(json_t *r)
{
	json_t *g = json_object_get(r, "grants"), *e;
	const char *sch = json_string_value(json_object_get(r, "in_schema"));
	char *ro, *sq, *id;

	for (size_t i = 0; i < json_array_size(g);) {
		e = json_array_get(g, i);
		if (json_array_size(json_object_get(e, "privileges")) || json_array_size(json_object_get(e, "grantable"))
		    || json_array_size(json_object_get(e, "revoked")))
			i++;
		else
			json_array_remove(g, i);
	}
	if (!json_array_size(g))
		return 0;
	ro = model_ident(json_string_value(json_object_get(r, "role")));
	sq = sch ? model_ident(sch) : xstrdup("");
	id = xasprintf("default_acl:%s:%s:%s", ro, sq, json_string_value(json_object_get(r, "objects")));
	json_object_set_new(r, "id", json_string(id));
	free(ro), free(sq), free(id);
	return 1;
}

/* Turn one row of a query into a record of m. */
static void
add_record(struct model *m, json_t *r)
{
	json_t *v, *by;
	const char *kind;

	json_decref(resolve(r));
	kind = json_string_value(json_object_get(r, "kind"));
	if ((v = json_object_get(r, "_ruledef")) && json_is_string(v))
		rule_parts(r, json_string_value(v));
	if ((v = json_object_get(r, "_args")) && json_is_string(v))
		json_object_set_new(r, "args", trigger_args(json_string_value(v)));
	if ((by = json_object_get(r, "partition_by")) && (v = json_object_get(by, "_exprs")) && json_is_string(v))
		partition_exprs(by, json_string_value(v));
	if (by && (v = json_object_get(by, "_keydef")) && json_is_string(v))
		key_collations(json_object_get(by, "keys"), json_string_value(v));
	if ((v = json_object_get(r, "_keydef")) && json_is_string(v))
		key_collations(json_object_get(r, "keys"), json_string_value(v));
	json_object_del(by, "_exprs");
	json_object_del(by, "_keydef");
	if (kind && strcmp(kind, "publication") == 0) {
		sort_strings(json_object_get(r, "tables"));
		sort_strings(json_object_get(r, "schemas"));
		sort_by_table(json_object_get(r, "filters"));
	}
	if (kind && strcmp(kind, "default_acl") == 0 && !dacl_id(r))
		return;
	if (!json_object_get(r, "id") && !attach(m, r))
		return;
	json_object_del(r, "_args");
	json_object_del(r, "_keydef");
	json_object_del(r, "_ruledef");
	json_object_del(r, "_of");
	model_add(m, json_incref(r));
}

/* Every record's expressions normalized, once the model holds every relation and domain their
   columns' types come from. */
static void
normalize_all(struct model *m)
{
	const char **ids = model_ids(m);

	db_model = m;
	normexpr_set_types(db_col_type, NULL);
	for (size_t i = 0; ids[i]; i++) {
		json_t *r = model_get(m, ids[i]);
		const char *kind = json_string_value(json_object_get(r, "kind"));
		const char *tid = json_string_value(json_object_get(r, "table"));

		db_own = kind && (strcmp(kind, "table") == 0 || strcmp(kind, "domain") == 0) ? r : tid ? model_get(m, tid) : NULL;
		normalize(r);
	}
	normexpr_set_types(NULL, NULL);
	db_own = NULL;
	free(ids);
}

int
modeldb_load(PGconn *c, struct model *m, const struct strv *only, const struct strv *exclude)
{
	char *arrays[2] = { regex_array(only), regex_array(exclude) };
	const char *params[2] = { arrays[0], arrays[1] };
	struct buf sql = { 0 };
	PGresult *res;
	int rc = -1;

	if (!arrays[0] || !arrays[1])
		goto out;
	if (pg_command(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) != 0)
		goto out;
	if (!(res = pg_query(c, setup_sql, 1, params)))
		goto out;
	rc = strcmp(PQgetvalue(res, 0, PQnfields(res) - 1), "t") == 0 ? 0 : -1;
	PQclear(res);
	if (rc != 0)
		warnx("no matching schemas were found");
	/* SIGINT cancels a running query; between queries the loop stops by itself */
	for (size_t q = 0; q < sizeof queries / sizeof *queries && rc == 0 && !sig_caught; q++) {
		sql.len = 0;
		buf_puts(&sql, sql_inspect_common);
		buf_puts(&sql, queries[q]);
		if (!(res = pg_query(c, sql.data, 2, params))) {
			rc = -1;
			break;
		}
		for (int i = 0; i < PQntuples(res); i++) {
			json_error_t err;
			json_t *r = json_loads(PQgetvalue(res, i, 0), 0, &err);

			if (!r) {
				warnx("internal error: a catalog row is not JSON: %s", err.text);
				rc = -1;
				break;
			}
			add_record(m, r);
			json_decref(r);
		}
		PQclear(res);
	}
	if (PQstatus(c) == CONNECTION_OK && pg_command(c, rc == 0 ? "COMMIT" : "ROLLBACK", 0, NULL) != 0)
		rc = -1;
	if (rc == 0)
		normalize_all(m);
out:
	buf_free(&sql);
	free(arrays[0]);
	free(arrays[1]);
	return rc;
}
