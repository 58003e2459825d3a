#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "model.h"
#include "sqlclass.h"
#include "stmtinfo.h"

/* What the walk of one statement knows besides its results. */
struct cx {
	struct stmtinfo *si;
	const char *dflt;  /* schema of unqualified names: the first of the path, or CREATE SCHEMA's own */
	struct spath *sp;
	struct strv ctes;  /* WITH names: a RangeVar of one of these names is no table */
};

/* Walk flags: what a generic walk of a subtree records. */
enum { W_REL = 1 /* relations read by queries (FROM, INSERT INTO, ...) */ };

static json_t *
get(json_t *o, const char *k)
{
	return json_object_get(o, k);
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The value of a {"String":{"sval":...}} node; NULL otherwise. */
static const char *
sval(json_t *n)
{
	return str(get(n, "String"), "sval");
}

/* The one key of a wrapped node {"Name":{...}} and its body. */
static const char *
unwrap(json_t *n, json_t **body)
{
	const char *k;
	json_t *v;

	if (!json_is_object(n) || json_object_size(n) != 1)
		return NULL;
	json_object_foreach(n, k, v) {
		*body = v;
		return k;
	}
	return NULL;
}

/* Items of a {"List":{"items":[...]}} node, or the array itself. */
static json_t *
items(json_t *n)
{
	json_t *l = get(n, "List");

	return l ? get(l, "items") : json_is_array(n) ? n : NULL;
}

/* Append an id unless the list has it. */
static void
add_id(struct strv *v, char *id)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], id) == 0) {
			free(id);
			return;
		}
	strv_take(v, id);
}

/* prefix + schema.name (schema: the given one, else the default). */
static char *
qid(struct cx *c, const char *prefix, const char *schema, const char *name)
{
	char *q = model_qname(schema ? schema : c->dflt, name);
	char *id = xasprintf("%s%s", prefix, q);

	free(q);
	return id;
}

/* prefix + one bare name (schemas, extensions, publications, event triggers, roles). */
static char *
bid(const char *prefix, const char *name)
{
	char *q = model_ident(name);
	char *id = xasprintf("%s%s", prefix, q);

	free(q);
	return id;
}

/* Schema and name of a name list (catalog.schema.name: the catalog is left out); n = how many
   trailing names belong to the object (1, or 2 for table.column, ...). */
static int
split_names(json_t *list, const char **schema, const char **name)
{
	size_t n = json_array_size(list);

	*schema = NULL;
	*name = NULL;
	if (n == 0)
		return -1;
	*name = sval(json_array_get(list, n - 1));
	if (n >= 2)
		*schema = sval(json_array_get(list, n - 2));
	return *name ? 0 : -1;
}

/* The id of a name list under prefix; NULL when it holds no name. */
static char *
list_id(struct cx *c, const char *prefix, json_t *list)
{
	const char *s, *n;

	if (split_names(list, &s, &n) < 0)
		return NULL;
	return qid(c, prefix, s, n);
}

/* The id "prefix schema.name" of a RangeVar body. */
static char *
rv_id(struct cx *c, const char *prefix, json_t *rv)
{
	const char *n = str(rv, "relname");

	return n ? qid(c, prefix, str(rv, "schemaname"), n) : NULL;
}

static void
add(struct strv *v, char *id)
{
	if (id)
		add_id(v, id);
}

/* The schema part of an id made by qid ("table:s.t" -> schema:s); added to refs. */
static void
ref_schema_of(struct cx *c, const char *schema)
{
	add(&c->si->refs, bid("schema:", schema ? schema : c->dflt));
}

/* ---- types ---- */

/* Built-in types of pg_catalog by the name a TypeName carries, and their format_type names. */
static const char *const builtin_types[][2] = {
	{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" }, { "float4", "real" },
	{ "float8", "double precision" }, { "bool", "boolean" }, { "varchar", "character varying" },
	{ "bpchar", "character" }, { "numeric", "numeric" }, { "decimal", "numeric" },
	{ "timestamp", "timestamp without time zone" }, { "timestamptz", "timestamp with time zone" },
	{ "time", "time without time zone" }, { "timetz", "time with time zone" },
	{ "interval", "interval" }, { "bit", "bit" }, { "varbit", "bit varying" }, { "char", "\"char\"" },
	{ "serial", "integer" }, { "serial4", "integer" }, { "bigserial", "bigint" }, { "serial8", "bigint" },
	{ "smallserial", "smallint" }, { "serial2", "smallint" }, { "int", "integer" }, { "integer", "integer" },
	{ "smallint", "smallint" }, { "bigint", "bigint" }, { "real", "real" }, { "boolean", "boolean" },
	{ "text", NULL }, { "name", NULL }, { "uuid", NULL }, { "json", NULL }, { "jsonb", NULL },
	{ "jsonpath", NULL }, { "xml", NULL }, { "bytea", NULL }, { "date", NULL }, { "money", NULL },
	{ "inet", NULL }, { "cidr", NULL }, { "macaddr", NULL }, { "macaddr8", NULL }, { "oid", NULL },
	{ "tid", NULL }, { "xid", NULL }, { "xid8", NULL }, { "cid", NULL }, { "regclass", NULL },
	{ "regtype", NULL }, { "regproc", NULL }, { "regprocedure", NULL }, { "regoper", NULL },
	{ "regoperator", NULL }, { "regnamespace", NULL }, { "regrole", NULL }, { "regconfig", NULL },
	{ "regdictionary", NULL }, { "regcollation", NULL }, { "tsvector", NULL }, { "tsquery", NULL },
	{ "gtsvector", NULL }, { "point", NULL }, { "line", NULL }, { "lseg", NULL }, { "box", NULL },
	{ "path", NULL }, { "polygon", NULL }, { "circle", NULL }, { "pg_lsn", NULL },
	{ "pg_snapshot", NULL }, { "txid_snapshot", NULL }, { "int4range", NULL }, { "int8range", NULL },
	{ "numrange", NULL }, { "tsrange", NULL }, { "tstzrange", NULL }, { "daterange", NULL },
	{ "int4multirange", NULL }, { "int8multirange", NULL }, { "nummultirange", NULL },
	{ "tsmultirange", NULL }, { "tstzmultirange", NULL }, { "datemultirange", NULL },
	{ "record", NULL }, { "void", NULL }, { "trigger", NULL }, { "event_trigger", NULL },
	{ "cstring", NULL }, { "internal", NULL }, { "unknown", NULL }, { "refcursor", NULL },
	{ "aclitem", NULL }, { "int2vector", NULL }, { "oidvector", NULL }, { "pg_node_tree", NULL },
	{ "language_handler", NULL }, { "fdw_handler", NULL }, { "index_am_handler", NULL },
	{ "tsm_handler", NULL }, { "table_am_handler", NULL }, { "anyelement", NULL },
	{ "anyarray", NULL }, { "anynonarray", NULL }, { "anyenum", NULL }, { "anyrange", NULL },
	{ "anymultirange", NULL }, { "anycompatible", NULL }, { "anycompatiblearray", NULL },
	{ "anycompatiblenonarray", NULL }, { "anycompatiblerange", NULL },
	{ "anycompatiblemultirange", NULL }, { "any", NULL },
};

/* The format_type name of a built-in type name, or NULL when name is not built in. */
static const char *
builtin_type(const char *name)
{
	for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++)
		if (strcmp(builtin_types[i][0], name) == 0)
			return builtin_types[i][1] ? builtin_types[i][1] : builtin_types[i][0];
	return NULL;
}

/* Whether a TypeName body names a built-in type (pg_catalog-qualified, or one of the list). */
static int
type_is_builtin(json_t *tn)
{
	json_t *names = get(tn, "names");
	const char *s, *n;

	if (split_names(names, &s, &n) < 0)
		return 1;
	if (s)
		return strcmp(s, "pg_catalog") == 0;
	return builtin_type(n) != NULL;
}

/* A TypeName body used: its type, when not built in, is referenced. */
static void
ref_type(struct cx *c, json_t *tn)
{
	if (!json_is_object(tn) || json_is_true(get(tn, "pct_type")) || type_is_builtin(tn))
		return;
	add(&c->si->refs, list_id(c, "type:", get(tn, "names")));
}

/* The canonical name of a TypeName body in a signature (no type modifiers, one [] for arrays). */
static char *
type_sig(struct cx *c, json_t *tn)
{
	const char *s, *n, *b;
	char *base, *r;

	if (split_names(get(tn, "names"), &s, &n) < 0)
		return xstrdup("?");
	if ((!s || strcmp(s, "pg_catalog") == 0) && (b = builtin_type(n)))
		base = xstrdup(b);
	else
		base = model_qname(s ? s : c->dflt, n);
	if (json_array_size(get(tn, "arrayBounds")) == 0)
		return base;
	r = xasprintf("%s[]", base);
	free(base);
	return r;
}

/* ---- functions ---- */

/* function:S.N(T1,T2) of a name list and FunctionParameter list (IN, INOUT and VARIADIC types). */
static char *
func_id(struct cx *c, const char *prefix, json_t *names, json_t *params, int fparams)
{
	struct buf b = { 0 };
	size_t i;
	json_t *p;
	char *id = list_id(c, prefix, names);
	int first = 1;

	if (!id)
		return NULL;
	buf_puts(&b, id);
	free(id);
	buf_puts(&b, "(");
	json_array_foreach(params, i, p) {
		json_t *tn;
		char *t;

		if (fparams) {
			json_t *fp = get(p, "FunctionParameter");
			const char *mode = str(fp, "mode");

			if (streq(mode, "FUNC_PARAM_OUT") || streq(mode, "FUNC_PARAM_TABLE"))
				continue;
			tn = get(fp, "argType");
		} else {
			tn = get(p, "TypeName");
		}
		t = type_sig(c, tn);
		buf_printf(&b, "%s%s", first ? "" : ",", t);
		free(t);
		first = 0;
	}
	buf_puts(&b, ")");
	return b.data;
}

/* The id of an ObjectWithArgs body: with its argument types, or function:S.N when unspecified. */
static char *
owa_id(struct cx *c, const char *prefix, json_t *owa)
{
	if (json_is_true(get(owa, "args_unspecified")))
		return list_id(c, prefix, get(owa, "objname"));
	if (get(owa, "objfuncargs"))
		return func_id(c, prefix, get(owa, "objname"), get(owa, "objfuncargs"), 1);
	return func_id(c, prefix, get(owa, "objname"), get(owa, "objargs"), 0);
}

/* Split a text list of qualified names as stringToQualifiedNameList does: "a.b", "\"A\".b". */
static int
text_names(const char *s, struct strv *out)
{
	const char *p = s;

	for (;;) {
		struct buf b = { 0 };

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			for (p++;; p++) {
				if (!*p) {
					buf_free(&b);
					return -1;
				}
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				buf_add(&b, p, 1);
			}
			p++;
		} else {
			while (*p && *p != '.' && *p != ',' && !isspace((unsigned char)*p)) {
				char ch = (char)tolower((unsigned char)*p++);

				buf_add(&b, &ch, 1);
			}
		}
		if (!b.data) {
			buf_free(&b);
			return -1;
		}
		strv_take(out, b.data);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '.' && *p != ',')
			return 0;
		p++;
	}
}

/* The string literal of an argument, through a cast ('x'::regclass); NULL otherwise. */
static const char *
literal(json_t *n)
{
	json_t *tc = get(n, "TypeCast");

	if (tc)
		n = get(tc, "arg");
	return str(get(get(n, "A_Const"), "sval"), "sval");
}

/* search_path from its text form (set_config): a comma-separated list of identifiers. */
static void
spath_from_text(struct spath *sp, const char *text)
{
	struct strv v = { 0 };
	const char *p = text;

	/* identifiers separated by commas: dots are part of no schema name, so split on commas only */
	for (;;) {
		struct buf b = { 0 };

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				buf_add(&b, p, 1);
			}
			if (*p)
				p++;
		} else {
			const char *e = p;

			while (*e && *e != ',')
				e++;
			while (e > p && isspace((unsigned char)e[-1]))
				e--;
			for (; p < e; p++) {
				char ch = (char)tolower((unsigned char)*p);

				buf_add(&b, &ch, 1);
			}
		}
		if (b.data)
			strv_take(&v, b.data);
		while (*p && *p != ',')
			p++;
		if (!*p)
			break;
		p++;
	}
	strv_free(&sp->schemas);
	for (size_t i = 0; i < v.n; i++)
		if (strcmp(v.v[i], "$user") != 0 && strcmp(v.v[i], "pg_catalog") != 0)
			strv_add(&sp->schemas, v.v[i]);
	strv_free(&v);
}

/* A function call in an expression or a query. */
static void
func_call(struct cx *c, json_t *fc)
{
	json_t *names = get(fc, "funcname");
	json_t *args = get(fc, "args");
	const char *s, *n;

	if (split_names(names, &s, &n) < 0)
		return;
	if (s && strcmp(s, "pg_catalog") == 0)
		;
	else
		add(&c->si->refs, qid(c, "function:", s, n));
	/* the sequence named in nextval('...') is used */
	if ((!s || strcmp(s, "pg_catalog") == 0) && strcmp(n, "nextval") == 0) {
		const char *lit = literal(json_array_get(args, 0));
		struct strv v = { 0 };

		if (lit && text_names(lit, &v) == 0 && v.n >= 1)
			add(&c->si->refs, qid(c, "sequence:", v.n >= 2 ? v.v[v.n - 2] : NULL, v.v[v.n - 1]));
		strv_free(&v);
	}
	/* set_config('search_path', value, is_local) sets the path like SET */
	if ((!s || strcmp(s, "pg_catalog") == 0) && strcmp(n, "set_config") == 0 && json_array_size(args) == 3) {
		const char *k = literal(json_array_get(args, 0));
		const char *v = literal(json_array_get(args, 1));

		if (k && v && strcmp(k, "search_path") == 0 && c->sp) {
			spath_from_text(c->sp, v);
			c->dflt = spath_first(c->sp);
		}
	}
}

/* A relation a query reads or writes: a view or table (we cannot tell which without a model). */
static void
rel_ref(struct cx *c, json_t *rv)
{
	const char *n = str(rv, "relname");

	if (!n)
		return;
	if (!str(rv, "schemaname"))
		for (size_t i = 0; i < c->ctes.n; i++)
			if (strcmp(c->ctes.v[i], n) == 0)
				return;
	add(&c->si->refs, rv_id(c, "table:", rv));
}

static void walk(struct cx *c, json_t *n, int flags);

/* The names WITH clauses give anywhere in the statement: they come after FROM in the tree. */
static void
collect_ctes(struct cx *c, json_t *n)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			collect_ctes(c, v);
	} else if (json_is_object(n)) {
		json_object_foreach(n, k, v) {
			if (strcmp(k, "CommonTableExpr") == 0 && str(v, "ctename"))
				strv_add(&c->ctes, str(v, "ctename"));
			if (json_is_object(v) || json_is_array(v))
				collect_ctes(c, v);
		}
	}
}

/* A foreign key's target table and columns. */
static void
fk_refs(struct cx *c, json_t *con)
{
	json_t *pk = get(con, "pktable");
	size_t i;
	json_t *a;

	if (!pk)
		return;
	add(&c->si->refs, rv_id(c, "table:", pk));
	json_array_foreach(get(con, "pk_attrs"), i, a) {
		const char *col = sval(a);

		if (col) {
			char *t = rv_id(c, "", pk), *q = model_ident(col);

			add(&c->si->refs, xasprintf("column:%s.%s", t, q));
			free(t);
			free(q);
		}
	}
}

/* Record what a subtree uses: types, function calls, sequences, foreign keys; with W_REL the
   relations a query reads. */
static void
walk(struct cx *c, json_t *n, int flags)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			walk(c, v, flags);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach(n, k, v) {
		if (!json_is_object(v) && !json_is_array(v))
			continue;
		if (strcmp(k, "typeName") == 0 || strcmp(k, "TypeName") == 0 || strcmp(k, "argType") == 0
		    || strcmp(k, "returnType") == 0) {
			ref_type(c, v);
			walk(c, get(v, "typmods"), flags);
			continue;
		}
		if (strcmp(k, "FuncCall") == 0)
			func_call(c, v);
		else if (strcmp(k, "Constraint") == 0)
			fk_refs(c, v);
		else if ((flags & W_REL) && strcmp(k, "RangeVar") == 0) {
			rel_ref(c, v);
			continue;
		} else if ((flags & W_REL) && (strcmp(k, "InsertStmt") == 0 || strcmp(k, "UpdateStmt") == 0
		    || strcmp(k, "DeleteStmt") == 0 || strcmp(k, "MergeStmt") == 0)) {
			/* WITH comes first, so that its names are known as such */
			walk(c, get(v, "withClause"), flags);
			rel_ref(c, get(v, "relation"));
		}
		walk(c, v, flags);
	}
}

/* ---- object types ---- */

/* What each ObjectType is called in ids and command tags. */
static const struct objtype {
	const char *ot, *prefix, *words, *drop, *alter;
} objtypes[] = {
	{ "OBJECT_TABLE", "table:", "TABLE", "DROP TABLE", "ALTER TABLE" },
	{ "OBJECT_FOREIGN_TABLE", "table:", "FOREIGN TABLE", "DROP FOREIGN TABLE", "ALTER FOREIGN TABLE" },
	{ "OBJECT_VIEW", "view:", "VIEW", "DROP VIEW", "ALTER VIEW" },
	{ "OBJECT_MATVIEW", "matview:", "MATERIALIZED VIEW", "DROP MATERIALIZED VIEW", "ALTER MATERIALIZED VIEW" },
	{ "OBJECT_INDEX", "index:", "INDEX", "DROP INDEX", "ALTER INDEX" },
	{ "OBJECT_SEQUENCE", "sequence:", "SEQUENCE", "DROP SEQUENCE", "ALTER SEQUENCE" },
	{ "OBJECT_TYPE", "type:", "TYPE", "DROP TYPE", "ALTER TYPE" },
	{ "OBJECT_DOMAIN", "domain:", "DOMAIN", "DROP DOMAIN", "ALTER DOMAIN" },
	{ "OBJECT_SCHEMA", "schema:", "SCHEMA", "DROP SCHEMA", "ALTER SCHEMA" },
	{ "OBJECT_EXTENSION", "extension:", "EXTENSION", "DROP EXTENSION", "ALTER EXTENSION" },
	{ "OBJECT_FUNCTION", "function:", "FUNCTION", "DROP FUNCTION", "ALTER FUNCTION" },
	{ "OBJECT_PROCEDURE", "procedure:", "PROCEDURE", "DROP PROCEDURE", "ALTER PROCEDURE" },
	{ "OBJECT_ROUTINE", "function:", "ROUTINE", "DROP ROUTINE", "ALTER ROUTINE" },
	{ "OBJECT_AGGREGATE", "aggregate:", "AGGREGATE", "DROP AGGREGATE", "ALTER AGGREGATE" },
	{ "OBJECT_TRIGGER", "trigger:", "TRIGGER", "DROP TRIGGER", "ALTER TRIGGER" },
	{ "OBJECT_RULE", "rule:", "RULE", "DROP RULE", "ALTER RULE" },
	{ "OBJECT_POLICY", "policy:", "POLICY", "DROP POLICY", "ALTER POLICY" },
	{ "OBJECT_EVENT_TRIGGER", "event_trigger:", "EVENT TRIGGER", "DROP EVENT TRIGGER", "ALTER EVENT TRIGGER" },
	{ "OBJECT_PUBLICATION", "publication:", "PUBLICATION", "DROP PUBLICATION", "ALTER PUBLICATION" },
	{ "OBJECT_COLUMN", "column:", "COLUMN", "ALTER TABLE", "ALTER TABLE" },
	{ "OBJECT_TABCONSTRAINT", "constraint:", "CONSTRAINT", "ALTER TABLE", "ALTER TABLE" },
	{ "OBJECT_DOMCONSTRAINT", "constraint:", "CONSTRAINT", "ALTER DOMAIN", "ALTER DOMAIN" },
	{ "OBJECT_COLLATION", "collation:", "COLLATION", "DROP COLLATION", "ALTER COLLATION" },
	{ "OBJECT_CONVERSION", "conversion:", "CONVERSION", "DROP CONVERSION", "ALTER CONVERSION" },
	{ "OBJECT_OPERATOR", "operator:", "OPERATOR", "DROP OPERATOR", "ALTER OPERATOR" },
	{ "OBJECT_OPCLASS", "opclass:", "OPERATOR CLASS", "DROP OPERATOR CLASS", "ALTER OPERATOR CLASS" },
	{ "OBJECT_OPFAMILY", "opfamily:", "OPERATOR FAMILY", "DROP OPERATOR FAMILY", "ALTER OPERATOR FAMILY" },
	{ "OBJECT_STATISTIC_EXT", "statistics:", "STATISTICS", "DROP STATISTICS", "ALTER STATISTICS" },
	{ "OBJECT_TSCONFIGURATION", "ts_config:", "TEXT SEARCH CONFIGURATION",
	  "DROP TEXT SEARCH CONFIGURATION", "ALTER TEXT SEARCH CONFIGURATION" },
	{ "OBJECT_TSDICTIONARY", "ts_dict:", "TEXT SEARCH DICTIONARY", "DROP TEXT SEARCH DICTIONARY",
	  "ALTER TEXT SEARCH DICTIONARY" },
	{ "OBJECT_TSPARSER", "ts_parser:", "TEXT SEARCH PARSER", "DROP TEXT SEARCH PARSER",
	  "ALTER TEXT SEARCH PARSER" },
	{ "OBJECT_TSTEMPLATE", "ts_template:", "TEXT SEARCH TEMPLATE", "DROP TEXT SEARCH TEMPLATE",
	  "ALTER TEXT SEARCH TEMPLATE" },
	{ "OBJECT_LANGUAGE", "language:", "LANGUAGE", "DROP LANGUAGE", "ALTER LANGUAGE" },
	{ "OBJECT_FDW", "fdw:", "FOREIGN DATA WRAPPER", "DROP FOREIGN DATA WRAPPER", "ALTER FOREIGN DATA WRAPPER" },
	{ "OBJECT_FOREIGN_SERVER", "server:", "SERVER", "DROP SERVER", "ALTER SERVER" },
	{ "OBJECT_ACCESS_METHOD", "access_method:", "ACCESS METHOD", "DROP ACCESS METHOD", "ALTER ACCESS METHOD" },
	{ "OBJECT_CAST", "cast:", "CAST", "DROP CAST", "ALTER CAST" },
	{ "OBJECT_TRANSFORM", "transform:", "TRANSFORM", "DROP TRANSFORM", "ALTER TRANSFORM" },
	{ "OBJECT_ROLE", "role:", "ROLE", "DROP ROLE", "ALTER ROLE" },
	{ "OBJECT_DATABASE", "database:", "DATABASE", "DROP DATABASE", "ALTER DATABASE" },
	{ "OBJECT_TABLESPACE", "tablespace:", "TABLESPACE", "DROP TABLESPACE", "ALTER TABLESPACE" },
	{ "OBJECT_SUBSCRIPTION", "subscription:", "SUBSCRIPTION", "DROP SUBSCRIPTION", "ALTER SUBSCRIPTION" },
	{ "OBJECT_LARGEOBJECT", "large_object:", "LARGE OBJECT", "DROP LARGE OBJECT", "ALTER LARGE OBJECT" },
	{ "OBJECT_ATTRIBUTE", "column:", "ATTRIBUTE", "ALTER TYPE", "ALTER TYPE" },
};

static const struct objtype *
objtype(const char *ot)
{
	for (size_t i = 0; i < sizeof objtypes / sizeof objtypes[0]; i++)
		if (streq(objtypes[i].ot, ot))
			return &objtypes[i];
	return NULL;
}

/* Object kinds named by one bare name (no schema). */
static int
bare_kind(const char *ot)
{
	static const char *const b[] = { "OBJECT_SCHEMA", "OBJECT_EXTENSION", "OBJECT_EVENT_TRIGGER",
		"OBJECT_PUBLICATION", "OBJECT_LANGUAGE", "OBJECT_FDW", "OBJECT_FOREIGN_SERVER",
		"OBJECT_ACCESS_METHOD", "OBJECT_ROLE", "OBJECT_DATABASE", "OBJECT_TABLESPACE",
		"OBJECT_SUBSCRIPTION", NULL };

	for (int i = 0; b[i]; i++)
		if (streq(b[i], ot))
			return 1;
	return 0;
}

/* Object kinds that live on a table: [schema.]table.name. */
static int
on_table_kind(const char *ot)
{
	return streq(ot, "OBJECT_TRIGGER") || streq(ot, "OBJECT_RULE") || streq(ot, "OBJECT_POLICY")
	    || streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT") || streq(ot, "OBJECT_ATTRIBUTE");
}

/* The id of an object as DROP, COMMENT, GRANT, ALTER ... OWNER name it: obj is the wrapped node
   (List of names, String, TypeName, ObjectWithArgs, RangeVar). */
static char *
object_id(struct cx *c, const char *ot, json_t *obj)
{
	const struct objtype *t = objtype(ot);
	const char *prefix = t ? t->prefix : "object:";
	json_t *body, *l;
	const char *k = unwrap(obj, &body);

	if (!k)
		return NULL;
	if (strcmp(k, "String") == 0)
		return bid(prefix, str(body, "sval"));
	if (strcmp(k, "RangeVar") == 0)
		return rv_id(c, prefix, body);
	if (strcmp(k, "TypeName") == 0)
		return list_id(c, prefix, get(body, "names"));
	if (strcmp(k, "ObjectWithArgs") == 0)
		return owa_id(c, prefix, body);
	if (strcmp(k, "RoleSpec") == 0)
		return str(body, "rolename") ? bid("role:", str(body, "rolename")) : NULL;
	if (strcmp(k, "List") != 0)
		return NULL;
	l = get(body, "items");
	if (bare_kind(ot) && json_array_size(l) == 1)
		return bid(prefix, sval(json_array_get(l, 0)));
	if (on_table_kind(ot) || streq(ot, "OBJECT_DOMCONSTRAINT")) {
		size_t n = json_array_size(l);
		const char *name = sval(json_array_get(l, n - 1));
		json_t *tl = json_array(), *first = json_array_get(l, 0);
		char *tid, *q, *id;

		if (n < 2 || !name) {
			json_decref(tl);
			return NULL;
		}
		/* COMMENT ON CONSTRAINT c ON DOMAIN d: [TypeName, name] */
		if (get(first, "TypeName"))
			tid = list_id(c, "", get(get(first, "TypeName"), "names"));
		else {
			for (size_t i = 0; i + 1 < n; i++)
				json_array_append(tl, json_array_get(l, i));
			tid = list_id(c, "", tl);
		}
		json_decref(tl);
		if (!tid)
			return NULL;
		q = model_ident(name);
		id = xasprintf("%s%s.%s", prefix, tid, q);
		free(tid);
		free(q);
		return id;
	}
	return list_id(c, prefix, l);
}

/* The table id "S.T" (no prefix) that an on-table object id "trigger:S.T.N" names; NULL if none. */
static void
ref_table_of(struct cx *c, const char *ot, json_t *obj)
{
	json_t *body, *l;
	const char *k = unwrap(obj, &body);
	json_t *tl;
	size_t n;

	if (!k || strcmp(k, "List") != 0 || !on_table_kind(ot))
		return;
	l = get(body, "items");
	n = json_array_size(l);
	if (n < 2)
		return;
	tl = json_array();
	for (size_t i = 0; i + 1 < n; i++)
		json_array_append(tl, json_array_get(l, i));
	add(&c->si->refs, list_id(c, "table:", tl));
	json_decref(tl);
}

/* ---- statements ---- */

/* Copy of makeObjectName for a serial column's sequence: name1_name2_label cut to 63 bytes by
   shortening the longer of the two names (multibyte-safe). */
static char *
make_name(const char *n1, const char *n2, const char *label)
{
	size_t l1 = strlen(n1), l2 = strlen(n2), ll = strlen(label);
	size_t over = l1 + 1 + l2 + 1 + ll;

	while (over > 63 && (l1 > 0 || l2 > 0)) {
		if (l1 > l2)
			l1--;
		else
			l2--;
		over--;
	}
	/* do not cut inside a UTF-8 character */
	while (l1 > 0 && ((unsigned char)n1[l1] & 0xC0) == 0x80)
		l1--;
	while (l2 > 0 && ((unsigned char)n2[l2] & 0xC0) == 0x80)
		l2--;
	return xasprintf("%.*s_%.*s_%s", (int)l1, n1, (int)l2, n2, label);
}

/* A column definition of table schema.table: its type, and the sequence a serial or an identity makes. */
static void
column_def(struct cx *c, json_t *cd, const char *schema, const char *table)
{
	json_t *tn = get(cd, "typeName");
	const char *col = str(cd, "colname");
	int seq = 0;
	size_t i;
	json_t *k;
	const char *s, *n;

	if (tn && split_names(get(tn, "names"), &s, &n) == 0 && !s
	    && (strcmp(n, "serial") == 0 || strcmp(n, "bigserial") == 0 || strcmp(n, "smallserial") == 0
	        || strcmp(n, "serial4") == 0 || strcmp(n, "serial8") == 0 || strcmp(n, "serial2") == 0))
		seq = 1;
	json_array_foreach(get(cd, "constraints"), i, k)
		if (streq(str(get(k, "Constraint"), "contype"), "CONSTR_IDENTITY"))
			seq = 1;
	if (seq && col && table) {
		char *sn = make_name(table, col, "seq");

		add(&c->si->creates, qid(c, "sequence:", schema, sn));
		free(sn);
	}
	walk(c, cd, 0);
}

static void
create_table(struct cx *c, json_t *cs)
{
	json_t *rv = get(cs, "relation");
	const char *schema = str(rv, "schemaname");
	size_t i;
	json_t *e, *body;

	add(&c->si->creates, rv_id(c, "table:", rv));
	ref_schema_of(c, schema);
	json_array_foreach(get(cs, "tableElts"), i, e) {
		const char *k = unwrap(e, &body);

		if (streq(k, "ColumnDef"))
			column_def(c, body, schema, str(rv, "relname"));
		else if (streq(k, "TableLikeClause"))
			add(&c->si->refs, rv_id(c, "table:", get(body, "relation")));
		else
			walk(c, e, 0);
	}
	json_array_foreach(get(cs, "inhRelations"), i, e)
		add(&c->si->refs, rv_id(c, "table:", get(e, "RangeVar")));
	if (get(cs, "ofTypename"))
		ref_type(c, get(cs, "ofTypename"));
	walk(c, get(cs, "partbound"), 0);
	walk(c, get(cs, "partspec"), 0);
}

static void
alter_table(struct cx *c, json_t *at)
{
	json_t *rv = get(at, "relation");
	const struct objtype *t = objtype(str(at, "objtype"));
	size_t i;
	json_t *e;

	c->si->tag = t ? t->alter : "ALTER TABLE";
	add(&c->si->alters, rv_id(c, t ? t->prefix : "table:", rv));
	json_array_foreach(get(at, "cmds"), i, e) {
		json_t *cmd = get(e, "AlterTableCmd"), *def = get(cmd, "def"), *body;
		const char *sub = str(cmd, "subtype");
		const char *k = unwrap(def, &body);

		if (streq(k, "ColumnDef"))
			column_def(c, body, str(rv, "schemaname"), str(rv, "relname"));
		else if (streq(k, "PartitionCmd"))
			add(&c->si->refs, rv_id(c, "table:", get(body, "name")));
		else if (streq(sub, "AT_AddInherit") && streq(k, "RangeVar"))
			add(&c->si->refs, rv_id(c, "table:", body));
		else if (streq(sub, "AT_AddIdentity"))
			column_def(c, json_object(), NULL, NULL);
		else
			walk(c, def, 0);
	}
}

static void
create_index(struct cx *c, json_t *is)
{
	json_t *rv = get(is, "relation");
	const char *schema = str(rv, "schemaname");
	const char *name = str(is, "idxname");

	/* an index lives in its table's schema */
	if (name)
		add(&c->si->creates, qid(c, "index:", schema, name));
	add(&c->si->refs, rv_id(c, "table:", rv));
	ref_schema_of(c, schema);
	walk(c, get(is, "indexParams"), 0);
	walk(c, get(is, "indexIncludingParams"), 0);
	walk(c, get(is, "whereClause"), 0);
}

static void
create_function(struct cx *c, json_t *fs)
{
	int proc = json_is_true(get(fs, "is_procedure"));
	json_t *names = get(fs, "funcname");
	const char *s, *n;

	c->si->tag = proc ? "CREATE PROCEDURE" : "CREATE FUNCTION";
	add(&c->si->creates, func_id(c, proc ? "procedure:" : "function:", names, get(fs, "parameters"), 1));
	if (split_names(names, &s, &n) == 0)
		ref_schema_of(c, s);
	walk(c, get(fs, "parameters"), 0);
	if (get(fs, "returnType"))
		ref_type(c, get(fs, "returnType"));
	walk(c, get(fs, "sql_body"), W_REL);
}

/* A trigger's or event trigger's function: function:S.N() (trigger functions take no arguments). */
static void
trigger_func(struct cx *c, json_t *names)
{
	char *id = list_id(c, "function:", names);

	if (id)
		add(&c->si->refs, xasprintf("%s()", id));
	free(id);
}

/* An object on a table (trigger, rule, policy): prefix:S.T.N, the table and the schema referenced. */
static void
on_table(struct cx *c, struct strv *list, const char *prefix, json_t *rv, const char *name)
{
	char *t = rv_id(c, "", rv), *q;

	if (!t || !name) {
		free(t);
		return;
	}
	q = model_ident(name);
	add(list, xasprintf("%s%s.%s", prefix, t, q));
	add(&c->si->refs, xasprintf("table:%s", t));
	ref_schema_of(c, str(rv, "schemaname"));
	free(q);
	free(t);
}

static void
set_var(struct cx *c, json_t *vs)
{
	const char *kind = str(vs, "kind");
	const char *name = str(vs, "name");
	size_t i;
	json_t *a;

	c->si->tag = streq(kind, "VAR_RESET") || streq(kind, "VAR_RESET_ALL") ? "RESET" : "SET";
	if (!c->sp)
		return;
	if (streq(kind, "VAR_RESET_ALL") || ((streq(kind, "VAR_RESET") || streq(kind, "VAR_SET_DEFAULT"))
	    && streq(name, "search_path"))) {
		strv_free(&c->sp->schemas);
		strv_add(&c->sp->schemas, "public");
	} else if (streq(kind, "VAR_SET_VALUE") && streq(name, "search_path")) {
		/* each value is one schema name as written: SET search_path = 'a, b' names "a, b" */
		strv_free(&c->sp->schemas);
		json_array_foreach(get(vs, "args"), i, a) {
			const char *v = literal(a);

			if (v && strcmp(v, "$user") != 0 && strcmp(v, "pg_catalog") != 0)
				strv_add(&c->sp->schemas, v);
		}
	}
}

/* Fixed command tags by node name. */
static const char *const fixed_tags[][2] = {
	{ "SelectStmt", "SELECT" }, { "InsertStmt", "INSERT" }, { "UpdateStmt", "UPDATE" },
	{ "DeleteStmt", "DELETE" }, { "MergeStmt", "MERGE" }, { "CopyStmt", "COPY" },
	{ "CreateStmt", "CREATE TABLE" }, { "CreateForeignTableStmt", "CREATE FOREIGN TABLE" },
	{ "IndexStmt", "CREATE INDEX" }, { "ViewStmt", "CREATE VIEW" }, { "CreateSeqStmt", "CREATE SEQUENCE" },
	{ "AlterSeqStmt", "ALTER SEQUENCE" }, { "CreateSchemaStmt", "CREATE SCHEMA" },
	{ "CreateExtensionStmt", "CREATE EXTENSION" }, { "AlterExtensionStmt", "ALTER EXTENSION" },
	{ "AlterExtensionContentsStmt", "ALTER EXTENSION" }, { "CreateEnumStmt", "CREATE TYPE" },
	{ "CompositeTypeStmt", "CREATE TYPE" }, { "CreateRangeStmt", "CREATE TYPE" },
	{ "AlterEnumStmt", "ALTER TYPE" }, { "AlterTypeStmt", "ALTER TYPE" },
	{ "CreateDomainStmt", "CREATE DOMAIN" }, { "AlterDomainStmt", "ALTER DOMAIN" },
	{ "CreateTrigStmt", "CREATE TRIGGER" }, { "CreateEventTrigStmt", "CREATE EVENT TRIGGER" },
	{ "AlterEventTrigStmt", "ALTER EVENT TRIGGER" }, { "RuleStmt", "CREATE RULE" },
	{ "CreatePolicyStmt", "CREATE POLICY" }, { "AlterPolicyStmt", "ALTER POLICY" },
	{ "CreatePublicationStmt", "CREATE PUBLICATION" }, { "AlterPublicationStmt", "ALTER PUBLICATION" },
	{ "CommentStmt", "COMMENT" }, { "SecLabelStmt", "SECURITY LABEL" }, { "DoStmt", "DO" },
	{ "TruncateStmt", "TRUNCATE TABLE" }, { "LockStmt", "LOCK TABLE" }, { "ClusterStmt", "CLUSTER" },
	{ "ReindexStmt", "REINDEX" }, { "CheckPointStmt", "CHECKPOINT" }, { "NotifyStmt", "NOTIFY" },
	{ "ListenStmt", "LISTEN" }, { "UnlistenStmt", "UNLISTEN" }, { "PrepareStmt", "PREPARE" },
	{ "ExecuteStmt", "EXECUTE" }, { "DeclareCursorStmt", "DECLARE CURSOR" }, { "CallStmt", "CALL" },
	{ "ConstraintsSetStmt", "SET CONSTRAINTS" }, { "AlterSystemStmt", "ALTER SYSTEM" },
	{ "AlterDatabaseStmt", "ALTER DATABASE" }, { "AlterDatabaseSetStmt", "ALTER DATABASE" },
	{ "AlterDatabaseRefreshCollStmt", "ALTER DATABASE" }, { "CreatedbStmt", "CREATE DATABASE" },
	{ "DropdbStmt", "DROP DATABASE" }, { "LoadStmt", "LOAD" }, { "VariableShowStmt", "SHOW" },
	{ "ExplainStmt", "EXPLAIN" }, { "CreateRoleStmt", "CREATE ROLE" }, { "AlterRoleStmt", "ALTER ROLE" },
	{ "AlterRoleSetStmt", "ALTER ROLE" }, { "DropRoleStmt", "DROP ROLE" },
	{ "AlterDefaultPrivilegesStmt", "ALTER DEFAULT PRIVILEGES" }, { "ReassignOwnedStmt", "REASSIGN OWNED" },
	{ "DropOwnedStmt", "DROP OWNED" }, { "CreateCastStmt", "CREATE CAST" },
	{ "CreateOpClassStmt", "CREATE OPERATOR CLASS" }, { "CreateOpFamilyStmt", "CREATE OPERATOR FAMILY" },
	{ "AlterOpFamilyStmt", "ALTER OPERATOR FAMILY" }, { "AlterOperatorStmt", "ALTER OPERATOR" },
	{ "CreateConversionStmt", "CREATE CONVERSION" }, { "CreateFdwStmt", "CREATE FOREIGN DATA WRAPPER" },
	{ "AlterFdwStmt", "ALTER FOREIGN DATA WRAPPER" }, { "CreateForeignServerStmt", "CREATE SERVER" },
	{ "AlterForeignServerStmt", "ALTER SERVER" }, { "CreateUserMappingStmt", "CREATE USER MAPPING" },
	{ "AlterUserMappingStmt", "ALTER USER MAPPING" }, { "DropUserMappingStmt", "DROP USER MAPPING" },
	{ "ImportForeignSchemaStmt", "IMPORT FOREIGN SCHEMA" }, { "CreatePLangStmt", "CREATE LANGUAGE" },
	{ "CreateTransformStmt", "CREATE TRANSFORM" }, { "CreateStatsStmt", "CREATE STATISTICS" },
	{ "AlterStatsStmt", "ALTER STATISTICS" }, { "CreateAmStmt", "CREATE ACCESS METHOD" },
	{ "CreateTableSpaceStmt", "CREATE TABLESPACE" }, { "DropTableSpaceStmt", "DROP TABLESPACE" },
	{ "AlterTableSpaceOptionsStmt", "ALTER TABLESPACE" }, { "AlterTableMoveAllStmt", "ALTER TABLE" },
	{ "CreateSubscriptionStmt", "CREATE SUBSCRIPTION" }, { "AlterSubscriptionStmt", "ALTER SUBSCRIPTION" },
	{ "DropSubscriptionStmt", "DROP SUBSCRIPTION" }, { "AlterTSDictionaryStmt", "ALTER TEXT SEARCH DICTIONARY" },
	{ "AlterTSConfigurationStmt", "ALTER TEXT SEARCH CONFIGURATION" }, { "AlterCollationStmt", "ALTER COLLATION" },
	{ "RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW" }, { "GrantRoleStmt", "GRANT ROLE" },
	{ "AlterFunctionStmt", "ALTER FUNCTION" }, { "CreateFunctionStmt", "CREATE FUNCTION" },
	{ "AlterTableStmt", "ALTER TABLE" }, { "CreateTableAsStmt", "CREATE TABLE AS" },
	{ "DropStmt", "DROP" }, { "DefineStmt", "CREATE" }, { "RenameStmt", "ALTER" },
	{ "AlterObjectSchemaStmt", "ALTER" }, { "AlterOwnerStmt", "ALTER" }, { "AlterObjectDependsStmt", "ALTER" },
	{ "GrantStmt", "GRANT" }, { "VariableSetStmt", "SET" }, { "TransactionStmt", "BEGIN" },
	{ "DiscardStmt", "DISCARD" }, { "FetchStmt", "FETCH" }, { "ClosePortalStmt", "CLOSE CURSOR" },
	{ "DeallocateStmt", "DEALLOCATE" }, { "VacuumStmt", "VACUUM" },
	{ "CreateTableAsStmt", "CREATE TABLE AS" },
};

/* What PostgreSQL's DefineStmt kinds are called. */
static const char *
define_tag(const char *kind)
{
	static const char *const t[][2] = {
		{ "OBJECT_AGGREGATE", "CREATE AGGREGATE" }, { "OBJECT_OPERATOR", "CREATE OPERATOR" },
		{ "OBJECT_TYPE", "CREATE TYPE" }, { "OBJECT_TSPARSER", "CREATE TEXT SEARCH PARSER" },
		{ "OBJECT_TSDICTIONARY", "CREATE TEXT SEARCH DICTIONARY" },
		{ "OBJECT_TSTEMPLATE", "CREATE TEXT SEARCH TEMPLATE" },
		{ "OBJECT_TSCONFIGURATION", "CREATE TEXT SEARCH CONFIGURATION" },
		{ "OBJECT_COLLATION", "CREATE COLLATION" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (streq(t[i][0], kind))
			return t[i][1];
	return "CREATE";
}

static const char *
trans_tag(const char *kind)
{
	static const char *const t[][2] = {
		{ "TRANS_STMT_BEGIN", "BEGIN" }, { "TRANS_STMT_START", "START TRANSACTION" },
		{ "TRANS_STMT_COMMIT", "COMMIT" }, { "TRANS_STMT_ROLLBACK", "ROLLBACK" },
		{ "TRANS_STMT_SAVEPOINT", "SAVEPOINT" }, { "TRANS_STMT_RELEASE", "RELEASE" },
		{ "TRANS_STMT_ROLLBACK_TO", "ROLLBACK" }, { "TRANS_STMT_PREPARE", "PREPARE TRANSACTION" },
		{ "TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED" },
		{ "TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (streq(t[i][0], kind))
			return t[i][1];
	return "BEGIN";
}

static const char *
discard_tag(const char *target)
{
	if (streq(target, "DISCARD_PLANS"))
		return "DISCARD PLANS";
	if (streq(target, "DISCARD_SEQUENCES"))
		return "DISCARD SEQUENCES";
	if (streq(target, "DISCARD_TEMP"))
		return "DISCARD TEMP";
	return "DISCARD ALL";
}

/* The tag "ALTER <object>" of an object type (RenameStmt, AlterOwnerStmt, ...). */
static const char *
alter_tag(const char *ot)
{
	const struct objtype *t = objtype(ot);

	return t ? t->alter : "ALTER";
}

static void stmt(struct cx *c, const char *node, json_t *n);

static void
drop(struct cx *c, json_t *ds)
{
	const char *ot = str(ds, "removeType");
	const struct objtype *t = objtype(ot);
	size_t i;
	json_t *o;

	c->si->tag = t ? t->drop : "DROP";
	json_array_foreach(get(ds, "objects"), i, o) {
		add(&c->si->drops, object_id(c, ot, o));
		ref_table_of(c, ot, o);
	}
}

static void
rename_stmt(struct cx *c, json_t *rs)
{
	const char *ot = str(rs, "renameType");
	const char *rt = str(rs, "relationType");
	const char *newname = str(rs, "newname");
	json_t *rv = get(rs, "relation");
	const struct objtype *t = objtype(ot);
	char *old;

	if (streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT"))
		c->si->tag = alter_tag(rt);
	else if (streq(ot, "OBJECT_ATTRIBUTE"))
		c->si->tag = "ALTER TYPE";
	else
		c->si->tag = alter_tag(ot);
	if (!t || !newname)
		return;
	if (streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT") || streq(ot, "OBJECT_ATTRIBUTE")) {
		const struct objtype *r = objtype(rt);

		if (rv)
			add(&c->si->alters, rv_id(c, r ? r->prefix : "table:", rv));
		return;
	}
	if (streq(ot, "OBJECT_TRIGGER") || streq(ot, "OBJECT_RULE") || streq(ot, "OBJECT_POLICY")) {
		on_table(c, &c->si->alters, t->prefix, rv, str(rs, "subname"));
		on_table(c, &c->si->creates, t->prefix, rv, newname);
		return;
	}
	if (rv) {
		old = rv_id(c, t->prefix, rv);
		add(&c->si->creates, qid(c, t->prefix, str(rv, "schemaname") ? str(rv, "schemaname") : c->dflt, newname));
	} else {
		json_t *obj = get(rs, "object");
		const char *k;
		json_t *body;

		old = object_id(c, ot, obj);
		k = unwrap(obj, &body);
		if (bare_kind(ot)) {
			add(&c->si->creates, bid(t->prefix, newname));
		} else {
			json_t *names = streq(k, "List") ? get(body, "items") : streq(k, "TypeName") ? get(body, "names")
			    : streq(k, "ObjectWithArgs") ? get(body, "objname") : NULL;
			const char *s, *n;

			if (names && split_names(names, &s, &n) == 0) {
				if (streq(k, "ObjectWithArgs") && old && strchr(old, '(')) {
					char *q = model_qname(s ? s : c->dflt, newname);

					add(&c->si->creates, xasprintf("%s%s%s", t->prefix, q, strchr(old, '(')));
					free(q);
				} else {
					add(&c->si->creates, qid(c, t->prefix, s, newname));
				}
			}
		}
	}
	add(&c->si->alters, old);
}

static void
set_schema(struct cx *c, json_t *as)
{
	const char *ot = str(as, "objectType");
	const struct objtype *t = objtype(ot);
	const char *ns = str(as, "newschema");
	json_t *rv = get(as, "relation");
	char *old = rv ? rv_id(c, t ? t->prefix : "table:", rv) : object_id(c, ot, get(as, "object"));

	c->si->tag = alter_tag(ot);
	if (ns)
		add(&c->si->refs, bid("schema:", ns));
	if (old && ns && t) {
		/* the same name in the new schema: "prefix:" + new schema + the part after the old one */
		const char *name = rv ? str(rv, "relname") : NULL;
		json_t *body;
		const char *k = unwrap(get(as, "object"), &body);

		if (!name && streq(k, "List"))
			split_names(get(body, "items"), &(const char *){ NULL }, &name);
		else if (!name && streq(k, "TypeName"))
			split_names(get(body, "names"), &(const char *){ NULL }, &name);
		else if (!name && streq(k, "ObjectWithArgs"))
			split_names(get(body, "objname"), &(const char *){ NULL }, &name);
		if (name) {
			char *q = model_qname(ns, name);
			const char *args = streq(k, "ObjectWithArgs") ? strchr(old, '(') : NULL;

			add(&c->si->creates, xasprintf("%s%s%s", t->prefix, q, args ? args : ""));
			free(q);
		}
	}
	add(&c->si->alters, old);
}

static void
grant(struct cx *c, json_t *gs)
{
	int is_grant = json_is_true(get(gs, "is_grant"));
	const char *ot = str(gs, "objtype");
	const struct objtype *t = objtype(ot);
	size_t i, j, p;
	json_t *o, *g, *pr;
	struct strv targets = { 0 };

	c->si->tag = is_grant ? "GRANT" : "REVOKE";
	if (streq(str(gs, "targtype"), "ACL_TARGET_ALL_IN_SCHEMA")) {
		json_array_foreach(get(gs, "objects"), i, o)
			if (sval(o))
				add(&c->si->refs, bid("schema:", sval(o)));
		return;
	}
	if (streq(str(gs, "targtype"), "ACL_TARGET_DEFAULTS"))
		return;
	json_array_foreach(get(gs, "objects"), i, o) {
		char *id;

		if (get(o, "RangeVar"))
			id = rv_id(c, t ? t->prefix : "table:", get(o, "RangeVar"));
		else if (sval(o))
			id = bid(t ? t->prefix : "object:", sval(o));
		else
			id = object_id(c, ot, o);
		if (!id)
			continue;
		/* column privileges are granted on the columns */
		json_array_foreach(get(gs, "privileges"), p, pr) {
			json_t *cols = get(get(pr, "AccessPriv"), "cols");

			json_array_foreach(cols, j, g) {
				const char *col = sval(g);
				char *q;

				if (!col || strncmp(id, "table:", 6) != 0)
					continue;
				q = model_ident(col);
				strv_take(&targets, xasprintf("column:%s.%s", id + 6, q));
				free(q);
			}
		}
		add(&c->si->refs, xstrdup(id));
		strv_take(&targets, id);
	}
	for (i = 0; i < targets.n; i++)
		json_array_foreach(get(gs, "grantees"), j, g) {
			json_t *rs = get(g, "RoleSpec");
			const char *rt = str(rs, "roletype");
			const char *who = streq(rt, "ROLESPEC_PUBLIC") ? "PUBLIC" : str(rs, "rolename");
			char *q;

			if (!who)
				continue;
			q = streq(rt, "ROLESPEC_PUBLIC") ? xstrdup(who) : model_ident(who);
			add(is_grant ? &c->si->creates : &c->si->alters, xasprintf("grant:%s:%s", targets.v[i], q));
			free(q);
		}
	strv_free(&targets);
}

static void
comment(struct cx *c, json_t *cs)
{
	const char *ot = str(cs, "objtype");
	char *id = object_id(c, ot, get(cs, "object"));

	if (!id)
		return;
	add(get(cs, "comment") ? &c->si->creates : &c->si->drops, xasprintf("comment:%s", id));
	ref_table_of(c, ot, get(cs, "object"));
	add(&c->si->refs, id);
}

/* Sequence options: OWNED BY a column is a reference to it and its table; AS type. */
static void
seq_options(struct cx *c, json_t *opts)
{
	size_t i;
	json_t *o;

	json_array_foreach(opts, i, o) {
		json_t *d = get(o, "DefElem");

		if (streq(str(d, "defname"), "owned_by")) {
			json_t *l = items(get(d, "arg"));
			size_t n = json_array_size(l);

			if (n >= 2 && !(n == 1 && streq(sval(json_array_get(l, 0)), "none"))) {
				json_t *tl = json_array();
				char *t, *q;

				for (size_t k = 0; k + 1 < n; k++)
					json_array_append(tl, json_array_get(l, k));
				t = list_id(c, "", tl);
				json_decref(tl);
				if (t) {
					q = model_ident(sval(json_array_get(l, n - 1)) ? sval(json_array_get(l, n - 1)) : "");
					add(&c->si->refs, xasprintf("table:%s", t));
					add(&c->si->refs, xasprintf("column:%s.%s", t, q));
					free(q);
					free(t);
				}
			}
		} else if (streq(str(d, "defname"), "as")) {
			ref_type(c, get(get(d, "arg"), "TypeName"));
		}
	}
}

static void
stmt(struct cx *c, const char *node, json_t *n)
{
	struct stmtinfo *si = c->si;
	size_t i;
	json_t *e;

	for (size_t k = 0; k < sizeof fixed_tags / sizeof fixed_tags[0]; k++)
		if (strcmp(fixed_tags[k][0], node) == 0) {
			si->tag = fixed_tags[k][1];
			break;
		}
	if (strcmp(node, "CreateStmt") == 0) {
		create_table(c, n);
	} else if (strcmp(node, "CreateForeignTableStmt") == 0) {
		create_table(c, get(n, "base"));
		si->tag = "CREATE FOREIGN TABLE";
	} else if (strcmp(node, "AlterTableStmt") == 0) {
		alter_table(c, n);
	} else if (strcmp(node, "IndexStmt") == 0) {
		create_index(c, n);
	} else if (strcmp(node, "CreateFunctionStmt") == 0) {
		create_function(c, n);
	} else if (strcmp(node, "ViewStmt") == 0) {
		json_t *rv = get(n, "view");

		add(&si->creates, rv_id(c, "view:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		walk(c, get(n, "query"), W_REL);
	} else if (strcmp(node, "CreateTableAsStmt") == 0) {
		json_t *rv = get(get(n, "into"), "rel");
		int mv = streq(str(n, "objtype"), "OBJECT_MATVIEW");

		si->tag = mv ? "CREATE MATERIALIZED VIEW" : json_is_true(get(n, "is_select_into")) ? "SELECT INTO"
		    : "CREATE TABLE AS";
		add(&si->creates, rv_id(c, mv ? "matview:" : "table:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		walk(c, get(n, "query"), W_REL);
	} else if (strcmp(node, "RefreshMatViewStmt") == 0) {
		add(&si->alters, rv_id(c, "matview:", get(n, "relation")));
	} else if (strcmp(node, "CreateSeqStmt") == 0) {
		json_t *rv = get(n, "sequence");

		add(&si->creates, rv_id(c, "sequence:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		seq_options(c, get(n, "options"));
	} else if (strcmp(node, "AlterSeqStmt") == 0) {
		add(&si->alters, rv_id(c, "sequence:", get(n, "sequence")));
		seq_options(c, get(n, "options"));
	} else if (strcmp(node, "CreateSchemaStmt") == 0) {
		const char *name = str(n, "schemaname");
		const char *saved = c->dflt;

		if (!name)
			name = str(get(n, "authrole"), "rolename");
		if (name)
			add(&si->creates, bid("schema:", name));
		/* the elements are created in the new schema */
		if (name)
			c->dflt = name;
		json_array_foreach(get(n, "schemaElts"), i, e) {
			json_t *body;
			const char *k = unwrap(e, &body);
			const char *tag = si->tag;

			if (k)
				stmt(c, k, body);
			si->tag = tag;
		}
		c->dflt = saved;
	} else if (strcmp(node, "CreateExtensionStmt") == 0) {
		add(&si->creates, bid("extension:", str(n, "extname") ? str(n, "extname") : ""));
		json_array_foreach(get(n, "options"), i, e) {
			json_t *d = get(e, "DefElem");

			if (streq(str(d, "defname"), "schema") && sval(get(d, "arg")))
				add(&si->refs, bid("schema:", sval(get(d, "arg"))));
		}
	} else if (strcmp(node, "AlterExtensionStmt") == 0) {
		if (str(n, "extname"))
			add(&si->alters, bid("extension:", str(n, "extname")));
	} else if (strcmp(node, "CreateEnumStmt") == 0 || strcmp(node, "CreateRangeStmt") == 0) {
		const char *s, *nm;

		add(&si->creates, list_id(c, "type:", get(n, "typeName")));
		if (split_names(get(n, "typeName"), &s, &nm) == 0)
			ref_schema_of(c, s);
		json_array_foreach(get(n, "params"), i, e) {
			json_t *d = get(e, "DefElem");

			if (streq(str(d, "defname"), "subtype"))
				ref_type(c, get(get(d, "arg"), "TypeName"));
		}
	} else if (strcmp(node, "CompositeTypeStmt") == 0) {
		json_t *rv = get(n, "typevar");

		add(&si->creates, rv_id(c, "type:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		walk(c, get(n, "coldeflist"), 0);
	} else if (strcmp(node, "AlterEnumStmt") == 0) {
		add(&si->alters, list_id(c, "type:", get(n, "typeName")));
	} else if (strcmp(node, "AlterTypeStmt") == 0) {
		add(&si->alters, list_id(c, "type:", get(n, "typeName")));
	} else if (strcmp(node, "CreateDomainStmt") == 0) {
		const char *s, *nm;

		add(&si->creates, list_id(c, "domain:", get(n, "domainname")));
		if (split_names(get(n, "domainname"), &s, &nm) == 0)
			ref_schema_of(c, s);
		ref_type(c, get(n, "typeName"));
		walk(c, get(n, "constraints"), 0);
	} else if (strcmp(node, "AlterDomainStmt") == 0) {
		add(&si->alters, list_id(c, "domain:", get(n, "typeName")));
		walk(c, get(n, "def"), 0);
	} else if (strcmp(node, "DefineStmt") == 0) {
		const char *kind = str(n, "kind");
		const struct objtype *t = objtype(kind);
		const char *s, *nm;

		si->tag = define_tag(kind);
		if (t && split_names(get(n, "defnames"), &s, &nm) == 0) {
			add(&si->creates, list_id(c, t->prefix, get(n, "defnames")));
			ref_schema_of(c, s);
		}
	} else if (strcmp(node, "CreateTrigStmt") == 0) {
		on_table(c, &si->creates, "trigger:", get(n, "relation"), str(n, "trigname"));
		trigger_func(c, get(n, "funcname"));
		walk(c, get(n, "whenClause"), 0);
	} else if (strcmp(node, "CreateEventTrigStmt") == 0) {
		if (str(n, "trigname"))
			add(&si->creates, bid("event_trigger:", str(n, "trigname")));
		trigger_func(c, get(n, "funcname"));
	} else if (strcmp(node, "AlterEventTrigStmt") == 0) {
		if (str(n, "trigname"))
			add(&si->alters, bid("event_trigger:", str(n, "trigname")));
	} else if (strcmp(node, "RuleStmt") == 0) {
		on_table(c, &si->creates, "rule:", get(n, "relation"), str(n, "rulename"));
		walk(c, get(n, "whereClause"), W_REL);
		walk(c, get(n, "actions"), W_REL);
	} else if (strcmp(node, "CreatePolicyStmt") == 0 || strcmp(node, "AlterPolicyStmt") == 0) {
		on_table(c, strcmp(node, "CreatePolicyStmt") == 0 ? &si->creates : &si->alters, "policy:",
		    get(n, "table"), str(n, "policy_name"));
		walk(c, get(n, "qual"), W_REL);
		walk(c, get(n, "with_check"), W_REL);
	} else if (strcmp(node, "CreatePublicationStmt") == 0 || strcmp(node, "AlterPublicationStmt") == 0) {
		if (str(n, "pubname"))
			add(strcmp(node, "CreatePublicationStmt") == 0 ? &si->creates : &si->alters,
			    bid("publication:", str(n, "pubname")));
		json_array_foreach(get(n, "pubobjects"), i, e) {
			json_t *po = get(e, "PublicationObjSpec");
			json_t *pt = get(po, "pubtable");

			if (pt)
				add(&si->refs, rv_id(c, "table:", get(pt, "relation")));
			else if (str(po, "name"))
				add(&si->refs, bid("schema:", str(po, "name")));
		}
	} else if (strcmp(node, "CommentStmt") == 0) {
		comment(c, n);
	} else if (strcmp(node, "DropStmt") == 0) {
		drop(c, n);
	} else if (strcmp(node, "RenameStmt") == 0) {
		rename_stmt(c, n);
	} else if (strcmp(node, "AlterObjectSchemaStmt") == 0) {
		set_schema(c, n);
	} else if (strcmp(node, "AlterOwnerStmt") == 0) {
		const char *ot = str(n, "objectType");

		si->tag = alter_tag(ot);
		add(&si->alters, get(n, "relation") ? rv_id(c, objtype(ot) ? objtype(ot)->prefix : "table:",
		    get(n, "relation")) : object_id(c, ot, get(n, "object")));
	} else if (strcmp(node, "AlterFunctionStmt") == 0) {
		const char *ot = str(n, "objtype");
		const struct objtype *t = objtype(ot);

		si->tag = alter_tag(ot);
		add(&si->alters, owa_id(c, t ? t->prefix : "function:", get(n, "func")));
	} else if (strcmp(node, "AlterObjectDependsStmt") == 0) {
		si->tag = alter_tag(str(n, "objectType"));
	} else if (strcmp(node, "GrantStmt") == 0) {
		grant(c, n);
	} else if (strcmp(node, "GrantRoleStmt") == 0) {
		si->tag = json_is_true(get(n, "is_grant")) ? "GRANT ROLE" : "REVOKE ROLE";
	} else if (strcmp(node, "VariableSetStmt") == 0) {
		set_var(c, n);
	} else if (strcmp(node, "TransactionStmt") == 0) {
		si->tag = trans_tag(str(n, "kind"));
	} else if (strcmp(node, "DiscardStmt") == 0) {
		si->tag = discard_tag(str(n, "target"));
	} else if (strcmp(node, "FetchStmt") == 0) {
		si->tag = json_is_true(get(n, "ismove")) ? "MOVE" : "FETCH";
	} else if (strcmp(node, "ClosePortalStmt") == 0) {
		si->tag = str(n, "portalname") ? "CLOSE CURSOR" : "CLOSE CURSOR ALL";
	} else if (strcmp(node, "DeallocateStmt") == 0) {
		si->tag = str(n, "name") ? "DEALLOCATE" : "DEALLOCATE ALL";
	} else if (strcmp(node, "VacuumStmt") == 0) {
		si->tag = json_is_true(get(n, "is_vacuumcmd")) ? "VACUUM" : "ANALYZE";
	} else if (strcmp(node, "SelectStmt") == 0 || strcmp(node, "InsertStmt") == 0
	    || strcmp(node, "UpdateStmt") == 0 || strcmp(node, "DeleteStmt") == 0 || strcmp(node, "MergeStmt") == 0
	    || strcmp(node, "CopyStmt") == 0 || strcmp(node, "CallStmt") == 0 || strcmp(node, "ExplainStmt") == 0
	    || strcmp(node, "DeclareCursorStmt") == 0 || strcmp(node, "PrepareStmt") == 0) {
		json_t *w = json_pack("{s:O}", node, n);

		/* data statements read and write tables: they come after them (and set_config sets the path) */
		if (strcmp(node, "CopyStmt") == 0 && get(n, "relation"))
			rel_ref(c, get(n, "relation"));
		walk(c, w, W_REL);
		json_decref(w);
		if (strcmp(node, "SelectStmt") == 0 && get(n, "intoClause")) {
			si->tag = "SELECT INTO";
			add(&si->creates, rv_id(c, "table:", get(get(n, "intoClause"), "rel")));
		}
	} else if (strcmp(node, "TruncateStmt") == 0 || strcmp(node, "LockStmt") == 0) {
		json_array_foreach(get(n, "relations"), i, e)
			rel_ref(c, get(e, "RangeVar"));
	}
}

void
spath_init(struct spath *sp)
{
	memset(sp, 0, sizeof *sp);
	strv_add(&sp->schemas, "public");
}

void
spath_free(struct spath *sp)
{
	strv_free(&sp->schemas);
}

const char *
spath_first(const struct spath *sp)
{
	return sp->schemas.n > 0 ? sp->schemas.v[0] : "public";
}

int
stmtinfo_get(json_t *node, const char *sql, struct spath *sp, struct stmtinfo *si)
{
	struct cx c = { 0 };
	struct sqlclass cl = { 0 };
	json_t *body;
	const char *name = unwrap(node, &body);

	(void)sql;
	memset(si, 0, sizeof *si);
	si->tag = "UNKNOWN";
	si->tx = 1;
	if (!name || !json_is_object(body))
		return -1;
	c.si = si;
	c.sp = sp;
	c.dflt = spath_first(sp);
	collect_ctes(&c, body);
	stmt(&c, name, body);
	strv_free(&c.ctes);
	sql_classify_node(name, body, &cl);
	si->tx = !(cl.flags & ST_NOTX);
	return 0;
}

void
stmtinfo_free(struct stmtinfo *si)
{
	strv_free(&si->creates);
	strv_free(&si->alters);
	strv_free(&si->drops);
	strv_free(&si->refs);
}
