/* Names PostgreSQL invents (makeObjectName, ChooseRelationName) and the type names format_type
   prints, computed from the parse tree so conf-parse agrees with the catalog. */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "model.h"
#include "pgnames.h"

/* pg_mbcliplen on UTF-8: the byte length of the longest run of whole characters within limit. */
static size_t
mbcliplen(const char *s, size_t len, size_t limit)
{
	size_t n = 0;

	while (n < len && s[n]) {
		unsigned char c = (unsigned char)s[n];
		size_t w = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 1;

		if (n + w > limit)
			break;
		n += w;
	}
	return n;
}

char *
pgn_make_name(const char *name1, const char *name2, const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0, overhead = 0, avail;

	if (name2)
		overhead++; /* the separating underscore */
	if (label)
		overhead += strlen(label) + 1;
	avail = overhead < PGN_MAXLEN ? PGN_MAXLEN - overhead : 0;
	/* as makeObjectName: cut the longer part first, one byte at a time, then clip to whole chars */
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = mbcliplen(name1, n1, n1);
	if (name2)
		n2 = mbcliplen(name2, n2, n2);
	return xasprintf("%.*s%s%.*s%s%s", (int)n1, name1, name2 ? "_" : "", (int)n2, name2 ? name2 : "",
	    label ? "_" : "", label ? label : "");
}

char *
pgn_choose(const char *name1, const char *name2, const char *label, pgn_taken_fn taken, void *ctx)
{
	char *name = pgn_make_name(name1, name2, label);

	/* ChooseRelationName: the label as given, then label1, label2, ... until the name is free */
	for (int pass = 1; taken && taken(name, ctx); pass++) {
		char *mod = xasprintf("%s%d", label ? label : "", pass);

		free(name);
		name = pgn_make_name(name1, name2, mod);
		free(mod);
	}
	return name;
}

/* A TypeName node's fields, with or without its {"TypeName": ...} wrapper. */
static json_t *
tn_fields(json_t *n)
{
	json_t *in = json_object_get(n, "TypeName");

	return in ? in : n;
}

static const char *
str_node(json_t *n)
{
	return json_string_value(json_object_get(json_object_get(n, "String"), "sval"));
}

/* The integer of an A_Const typmod (libpg_query leaves 0 out), or -1 when it is not one. */
static long
typmod_int(json_t *n)
{
	json_t *c = json_object_get(n, "A_Const"), *iv;

	if (!c || !(iv = json_object_get(c, "ival")))
		return -1;
	return (long)json_integer_value(json_object_get(iv, "ival"));
}

/* The last name of a TypeName and whether it was qualified by pg_catalog (or unqualified). */
static const char *
tn_last(json_t *tn, const char **schema)
{
	json_t *names = json_object_get(tn, "names");
	size_t n = json_array_size(names);

	*schema = n >= 2 ? str_node(json_array_get(names, n - 2)) : NULL;
	return n ? str_node(json_array_get(names, n - 1)) : NULL;
}

const char *
pgn_serial_type(json_t *typename_node)
{
	static const char *const map[][2] = {
		{ "serial", "integer" }, { "serial4", "integer" }, { "bigserial", "bigint" },
		{ "serial8", "bigint" }, { "smallserial", "smallint" }, { "serial2", "smallint" },
	};
	json_t *tn = tn_fields(typename_node);
	const char *schema, *last = tn_last(tn, &schema);

	/* serial is no type: only the bare word (or pg_catalog.serial) means the pseudo-type */
	if (!last || (schema && strcmp(schema, "pg_catalog") != 0) || json_array_size(json_object_get(tn, "arrayBounds")))
		return NULL;
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(last, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* Built-in types whose format_type name differs from pg_type.typname or takes a typmod. */
static const char *const builtin_sql[][2] = {
	{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" }, { "int", "integer" },
	{ "integer", "integer" }, { "smallint", "smallint" }, { "bigint", "bigint" },
	{ "float4", "real" }, { "float8", "double precision" }, { "real", "real" },
	{ "bool", "boolean" }, { "boolean", "boolean" }, { "varchar", "character varying" },
	{ "bpchar", "character" }, { "timestamp", "timestamp" }, { "timestamptz", "timestamptz" },
	{ "time", "time" }, { "timetz", "timetz" }, { "varbit", "bit varying" }, { "bit", "bit" },
	{ "numeric", "numeric" }, { "decimal", "numeric" }, { "interval", "interval" }, { "char", "\"char\"" },
};

/* Built-in types format_type prints by their typname: never schema-qualified. */
static const char *const builtin_plain[] = {
	"text", "uuid", "json", "jsonb", "date", "bytea", "inet", "cidr", "macaddr", "macaddr8", "money",
	"xml", "oid", "regclass", "regproc", "regprocedure", "regtype", "regoper", "regoperator",
	"regconfig", "regdictionary", "regnamespace", "regrole", "regcollation", "name", "tsvector",
	"tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle", "int4range", "int8range",
	"numrange", "tsrange", "tstzrange", "daterange", "int4multirange", "int8multirange",
	"nummultirange", "tsmultirange", "tstzmultirange", "datemultirange", "pg_lsn", "txid_snapshot",
	"pg_snapshot", "record", "void", "trigger", "event_trigger", "anyelement", "anyarray",
	"anynonarray", "anyenum", "anyrange", "anymultirange", "anycompatible", "anycompatiblearray",
	"anycompatiblenonarray", "anycompatiblerange", "anycompatiblemultirange", "cstring", "internal",
	"language_handler", "fdw_handler", "index_am_handler", "tsm_handler", "table_am_handler",
	"xid", "xid8", "cid", "tid", "aclitem", "refcursor", "unknown", "int2vector", "oidvector",
	"jsonpath", "pg_node_tree", "gtsvector", "pg_ddl_command", "table", "character varying",
	"character", "double precision", "bit varying",
};

/* intervaltypmodout's words for a field mask. */
static const char *
interval_fields(long mask)
{
	enum { MO = 1 << 1, YE = 1 << 2, DA = 1 << 3, HO = 1 << 10, MI = 1 << 11, SE = 1 << 12 };
	static const struct {
		long m;
		const char *s;
	} f[] = {
		{ YE, " year" }, { MO, " month" }, { DA, " day" }, { HO, " hour" }, { MI, " minute" },
		{ SE, " second" }, { YE | MO, " year to month" }, { DA | HO, " day to hour" },
		{ DA | HO | MI, " day to minute" }, { DA | HO | MI | SE, " day to second" },
		{ HO | MI, " hour to minute" }, { HO | MI | SE, " hour to second" }, { MI | SE, " minute to second" },
	};

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i].m == mask)
			return f[i].s;
	return "";
}

/* The typmod list as format_type prints it for a type it does not know: "(a,b)". */
static char *
typmods_generic(json_t *mods)
{
	char *s = xstrdup("");

	for (size_t i = 0; i < json_array_size(mods); i++) {
		char *t = xasprintf("%s%s%ld", s, i ? "," : "(", typmod_int(json_array_get(mods, i)));

		free(s);
		s = t;
	}
	if (*s) {
		char *t = xasprintf("%s)", s);

		free(s);
		s = t;
	}
	return s;
}

/* The canonical name of a built-in type (sql name from builtin_sql) with its typmods. */
static char *
builtin_with_mods(const char *sql, json_t *mods)
{
	size_t nm = json_array_size(mods);
	long m0 = nm > 0 ? typmod_int(json_array_get(mods, 0)) : -1;
	long m1 = nm > 1 ? typmod_int(json_array_get(mods, 1)) : -1;

	if (strcmp(sql, "timestamp") == 0 || strcmp(sql, "timestamptz") == 0 || strcmp(sql, "time") == 0 ||
	    strcmp(sql, "timetz") == 0) {
		const char *base = sql[1] == 'i' && sql[4] == 's' ? "timestamp" : "time";
		const char *tz = sql[strlen(sql) - 1] == 'z' ? " with time zone" : " without time zone";

		if (nm)
			return xasprintf("%s(%ld)%s", base, m0, tz);
		return xasprintf("%s%s", base, tz);
	}
	if (strcmp(sql, "numeric") == 0) {
		if (nm == 1)
			return xasprintf("numeric(%ld,0)", m0);
		if (nm >= 2)
			return xasprintf("numeric(%ld,%ld)", m0, m1);
		return xstrdup("numeric");
	}
	if (strcmp(sql, "interval") == 0) {
		/* the grammar gives (field mask) or (field mask, precision); 0x7FFF is the full range */
		const char *fields = nm ? interval_fields(m0) : "";

		if (nm >= 2)
			return xasprintf("interval%s(%ld)", fields, m1);
		return xasprintf("interval%s", fields);
	}
	if (strcmp(sql, "character varying") == 0 || strcmp(sql, "character") == 0 || strcmp(sql, "bit") == 0 ||
	    strcmp(sql, "bit varying") == 0) {
		if (nm)
			return xasprintf("%s(%ld)", sql, m0);
		/* char and bit without a length mean length 1 in a column (the grammar's rule for CHAR
		   gives the typmod already; a bare "bpchar" has none and prints so) */
		return xstrdup(sql);
	}
	if (nm) {
		char *g = typmods_generic(mods), *s = xasprintf("%s%s", sql, g);

		free(g);
		return s;
	}
	return xstrdup(sql);
}

char *
pgn_type_name(json_t *typename_node, pgn_type_fn fn, void *ctx, const char *dflt_schema)
{
	json_t *tn = tn_fields(typename_node), *mods = json_object_get(tn, "typmods");
	const char *schema, *last = tn_last(tn, &schema), *serial = pgn_serial_type(typename_node);
	char *base = NULL, *out;

	if (!last || json_is_true(json_object_get(tn, "pct_type")))
		return NULL;
	if (serial)
		base = xstrdup(serial);
	else if (!schema || strcmp(schema, "pg_catalog") == 0) {
		const char *user_schema = NULL;

		/* pg_catalog comes first in every search path: a built-in name is the built-in type */
		{
			for (size_t i = 0; !base && i < sizeof builtin_sql / sizeof builtin_sql[0]; i++)
				if (strcmp(last, builtin_sql[i][0]) == 0)
					base = builtin_with_mods(builtin_sql[i][1], mods);
			for (size_t i = 0; !base && i < sizeof builtin_plain / sizeof builtin_plain[0]; i++)
				if (strcmp(last, builtin_plain[i]) == 0)
					base = builtin_with_mods(last, mods);
			/* "bpchar" written out keeps its own name when it has no length */
			if (base && strcmp(last, "bpchar") == 0 && !json_array_size(mods)) {
				free(base);
				base = xstrdup("bpchar");
			}
		}
		if (!base && schema) /* pg_catalog.something we do not list: its name */
			base = builtin_with_mods(last, mods);
		if (!base && fn)
			user_schema = fn(last, ctx);
		if (!base) {
			const char *s = user_schema ? user_schema : dflt_schema;
			char *g = typmods_generic(mods), *q = s ? model_qname(s, last) : model_ident(last);

			base = xasprintf("%s%s", q, g);
			free(q);
			free(g);
		}
	} else {
		char *g = typmods_generic(mods), *q = model_qname(schema, last);

		base = xasprintf("%s%s", q, g);
		free(q);
		free(g);
	}
	out = xasprintf("%s%s%s", json_is_true(json_object_get(tn, "setof")) ? "SETOF " : "", base,
	    json_array_size(json_object_get(tn, "arrayBounds")) ? "[]" : "");
	free(base);
	return out;
}
