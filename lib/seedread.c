/* seedread: read seed statements (files or a conf-concat stream) and check level 1 on them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seed.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqlsrc.h"

/* The kind of value a literal or a cast gives, for the type checks. */
enum { VK_OTHER, VK_NULL, VK_STRING, VK_INT, VK_NUM, VK_BOOL, VK_CAST };

struct lit {
	int kind;
	const char *str;   /* VK_STRING: the text; VK_INT, VK_NUM: the digits (ival as text in buf) */
	const char *cast;  /* VK_CAST: the type's last name */
	int castmod;       /* VK_CAST: the type has a modifier or array bounds (char(3), int[]) */
	int castarg;       /* VK_CAST: the kind of the value cast */
	int loc;
	char buf[32];
};

/* What an expression of a VALUES row or a SELECT list is, as far as a literal goes. */
static void
literal(json_t *e, struct lit *l, const char *sql)
{
	json_t *a = json_object_get(e, "A_Const"), *tc = json_object_get(e, "TypeCast");

	memset(l, 0, sizeof *l);
	l->loc = -1;
	if (tc) {
		json_t *names = json_object_get(json_object_get(json_object_get(tc, "typeName"), "TypeName"), "names");
		json_t *last;

		json_t *tn = json_object_get(json_object_get(tc, "typeName"), "TypeName");

		if (!tn)
			tn = json_object_get(tc, "typeName");
		if (!names)
			names = json_object_get(tn, "names");
		last = json_array_get(names, json_array_size(names) - 1);
		literal(json_object_get(tc, "arg"), l, sql);
		l->castmod = json_array_size(json_object_get(tn, "typmods")) > 0
		    || json_array_size(json_object_get(tn, "arrayBounds")) > 0 || l->castmod;
		if (l->kind == VK_STRING || l->kind == VK_NULL || l->kind == VK_INT || l->kind == VK_NUM) {
			l->cast = json_string_value(json_object_get(json_object_get(last, "String"), "sval"));
			l->castarg = l->kind;
			l->kind = VK_CAST;
		} else {
			l->kind = VK_OTHER;
		}
		return;
	}
	if (!a)
		return;
	l->loc = (int)json_integer_value(json_object_get(a, "location"));
	if (json_is_true(json_object_get(a, "isnull"))) {
		l->kind = VK_NULL;
	} else if (json_object_get(a, "sval")) {
		l->kind = VK_STRING;
		l->str = json_string_value(json_object_get(json_object_get(a, "sval"), "sval"));
		if (!l->str)
			l->str = "";
	} else if (json_object_get(a, "ival")) {
		/* the number as written: libpg_query 15-4.0's JSON leaves a negative ival out, as it does 0 */
		long long v = json_integer_value(json_object_get(json_object_get(a, "ival"), "ival"));

		l->kind = VK_INT;
		if (l->loc >= 0 && sql) {
			const char *p = sql + l->loc;
			int neg = *p == '-';

			/* "- 1" is folded into -1 too; what lies between is blank */
			if (neg)
				for (p++; isspace((unsigned char)*p); p++)
					;
			v = strtoll(p, NULL, 10);
			if (neg)
				v = -v;
		}
		snprintf(l->buf, sizeof l->buf, "%lld", v);
		l->str = l->buf;
	} else if (json_object_get(a, "fval")) {
		l->kind = VK_NUM;
		l->str = json_string_value(json_object_get(json_object_get(a, "fval"), "fval"));
	} else if (json_object_get(a, "boolval")) {
		l->kind = VK_BOOL;
		l->str = json_is_true(json_object_get(json_object_get(a, "boolval"), "boolval")) ? "true" : "false";
	}
}

/* The type family of a model column type: 'i' integer, 'n' numeric, 'b' boolean, 'u' uuid,
   't' anything written as a string. */
static int
family(const char *type)
{
	static const char *const ints[] = { "smallint", "integer", "bigint", "int", "int2", "int4", "int8", NULL };
	static const char *const nums[] = { "numeric", "real", "double precision", "decimal", "float4", "float8", NULL };

	if (!type)
		return 't';
	for (int i = 0; ints[i]; i++)
		if (strcmp(type, ints[i]) == 0)
			return 'i';
	for (int i = 0; nums[i]; i++)
		if (strncmp(type, nums[i], strlen(nums[i])) == 0)
			return 'n';
	if (strcmp(type, "boolean") == 0)
		return 'b';
	if (strcmp(type, "uuid") == 0)
		return 'u';
	return 't';
}

/* Whether s reads as a number of the family ('i' or 'n'). */
static int
numeric_text(const char *s, int fam)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	if (fam == 'i')
		strtoll(s, &e, 10);
	else
		strtod(s, &e);
	while (isspace((unsigned char)*e))
		e++;
	return *e == '\0';
}

/* The reading of one input. */
struct rd {
	struct seedcheck *c;
	struct sqlsrc *s;
	const char *input;
	const struct stmt *st;
	const char *sql;       /* the statement's text (st->len bytes, NUL-terminated copy) */
	struct seedstmt *cur;
	json_t *table;         /* the target's model record, NULL if not known */
	long long prev_end;    /* stream offset after the previous statement's ';', -1 at the start */
	struct srcpos prev_pos; /* and where that is: the column of the ';' (the gap's count starts after it) */
	char *prev_file;
	struct strv path;      /* the schemas of the last SET search_path (empty: none, public) */
	int wloc;              /* the last place where() worked out in the statement (-1: none), */
	struct srcpos wpos;    /* and its position: the next one is counted from there */
};

/* The position of byte loc of the statement. The rows come in order: counting from the last
   place asked keeps a statement of many rows linear, not quadratic, in its length. */
static void
where(struct rd *r, int loc, struct srcpos *pos)
{
	const char *lastnl = NULL, *q;

	if (loc < 0) {
		*pos = r->st->pos;
		return;
	}
	if (r->wloc < 0 || loc < r->wloc) {
		stmt_where(r->st, r->sql, r->st->off + loc, pos);
	} else {
		*pos = r->wpos;
		for (q = r->sql + r->wloc; q < r->sql + loc; q++)
			if (*q == '\n') {
				pos->line++;
				lastnl = q;
			}
		/* the column in characters: UTF-8 continuation bytes not counted */
		if (lastnl)
			pos->col = 1;
		for (q = lastnl ? lastnl + 1 : r->sql + r->wloc; q < r->sql + loc; q++)
			pos->col += ((unsigned char)*q & 0xC0) != 0x80;
	}
	r->wloc = loc;
	r->wpos = *pos;
}

/* Check one value against its column: UUID form, literal type vs the model's type. The place is
   given, or that of loc in the statement (row, when loc is unknown); it is worked out only for a
   finding: a line count from the statement's start for every value would cost more than the checks. */
static void
check_value(struct rd *r, const char *col, const struct lit *l, const struct srcpos *given, int loc,
    const struct srcpos *row)
{
	struct srcpos pos;
	json_t *mc = r->table ? seed_column(r->table, col) : NULL;
	const char *type = json_string_value(json_object_get(mc, "type"));
	int fam = family(type);
	int uuidcol = fam == 'u' || (!mc && r->c->o.prep_pattern && (strcmp(col, "id") == 0
	    || (strlen(col) > 3 && strcmp(col + strlen(col) - 3, "_id") == 0)));
	const char *text = l->kind == VK_STRING || (l->kind == VK_CAST && l->str) ? l->str : NULL;
	const char *pattern = NULL;

	if (l->kind == VK_CAST && l->cast && strcmp(l->cast, "uuid") == 0)
		uuidcol = 1;
	if (uuidcol && text && !seed_uuid_ok(text))
		pattern = "INVALID_UUID_FORMAT";
	else if (!mc || l->kind == VK_CAST)
		return;
	else if (((fam == 'i' || fam == 'n') && ((l->kind == VK_STRING && !numeric_text(l->str, fam))
	    || l->kind == VK_BOOL || (fam == 'i' && l->kind == VK_NUM)))
	    || ((fam == 'u' || fam == 'b') && (l->kind == VK_INT || l->kind == VK_NUM || (fam == 'u' && l->kind == VK_BOOL))))
		pattern = "LITERAL_TYPE_MISMATCH";
	else
		return;
	if (given)
		pos = *given;
	else if (loc >= 0)
		where(r, loc, &pos);
	else
		pos = *row;
	if (pattern[0] == 'I')
		seed_report(r->c, 1, SV_ERROR, pattern, &pos, 0, "write a UUID as 8-4-4-4-12 hexadecimal digits",
		    "column %s: '%s' is not a UUID", col, text);
	else
		seed_report(r->c, 1, SV_ERROR, pattern, &pos, 0, NULL, "column %s is %s: %s%s%s does not fit it", col, type,
		    l->kind == VK_STRING ? "'" : "", l->str, l->kind == VK_STRING ? "'" : "");
}

/* Whether a cast string is cast to its column's own type (the model's; the cast written without
   modifier or array bounds): then COPY, which reads the text with the column's type, stores what
   the INSERT would. Unknown (no model): no. */
static int
cast_is_coltype(const struct rd *r, const char *col, const struct lit *l)
{
	/* the parser's internal names of the types the model writes in SQL's words */
	static const char *const alias[][2] = { { "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" },
		{ "bool", "boolean" }, { "float4", "real" }, { "float8", "double precision" },
		{ "varchar", "character varying" }, { "bpchar", "character" },
		{ "timestamptz", "timestamp with time zone" }, { "timestamp", "timestamp without time zone" },
		{ "timetz", "time with time zone" }, { "time", "time without time zone" } };
	json_t *mc = r->table ? seed_column(r->table, col) : NULL;
	const char *type = json_string_value(json_object_get(mc, "type")), *cast = l->cast;
	size_t n;

	/* a number cast is a conversion (1.5::int is 2), not the type's reading of text */
	if (!type || !cast || l->castmod || l->castarg != VK_STRING)
		return 0;
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strcmp(cast, alias[i][0]) == 0)
			cast = alias[i][1];
	/* numeric(10,2) takes '1.5'::numeric as COPY takes '1.5': the column's modifier applies to both */
	n = strcspn(type, "(");
	if (strlen(cast) != n || strncmp(type, cast, n) != 0)
		return 0;
	return type[n] == '\0' || (strchr(type + n, ')') && strchr(type + n, ')')[1] == '\0');
}

/* Whether a decimal constant reaches its column as written: a numeric column (the model's) reads
   the text as the number; an integer one rounds the number; another one gets the number's text
   form, the same only when written in it (digits, one '.' between digits, no exponent). */
static int
num_as_written(const struct rd *r, const char *col, const char *num)
{
	json_t *mc = r->table ? seed_column(r->table, col) : NULL;
	int fam = mc ? family(json_string_value(json_object_get(mc, "type"))) : 't';
	const char *p = num;

	if (fam == 'n')
		return 1;
	/* an integer column rounds 2.5 to 3 from the number, refuses it as text */
	if (fam == 'i')
		return 0;
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.' && isdigit((unsigned char)p[1]))
		for (p++; isdigit((unsigned char)*p); p++)
			;
	return *p == '\0';
}

/* Keep a row: its position, its literal values, its id. */
static struct seedrow *
add_row(struct rd *r, const struct srcpos *pos)
{
	struct seedstmt *s = r->cur;
	struct seedrow *row;

	/* the array doubles when full (a power of two): one realloc a row would copy it quadratically */
	if ((s->nrows & (s->nrows - 1)) == 0)
		s->rows = xrealloc(s->rows, (s->nrows ? 2 * s->nrows : 1) * sizeof *s->rows);
	row = &s->rows[s->nrows++];
	row->pos = *pos;
	row->pos.file = s->pos.file;
	row->id = NULL;
	row->vals = s->cols.n ? xcalloc(s->cols.n, sizeof *row->vals) : NULL;
	return row;
}

static void
set_val(struct seedstmt *s, struct seedrow *row, size_t k, const char *v)
{
	if (!row->vals || k >= s->cols.n || !v)
		return;
	row->vals[k] = xstrdup(v);
	if (strcmp(s->cols.v[k], "id") == 0) {
		row->id = xstrdup(v);
		for (char *p = row->id; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
}

/* The position of a VALUES row: its '(' before the first value. */
static int
row_start(const char *sql, int loc)
{
	int i = loc;

	while (i > 0 && isspace((unsigned char)sql[i - 1]))
		i--;
	return i > 0 && sql[i - 1] == '(' ? i - 1 : loc;
}

static void
values_rows(struct rd *r, json_t *vl)
{
	size_t i, k;
	json_t *row, *e;

	json_array_foreach(vl, i, row) {
		json_t *items = json_object_get(json_object_get(row, "List"), "items");
		size_t n = json_array_size(items);
		struct lit first;
		struct srcpos pos;
		struct seedrow *sr;
		int loc;

		literal(json_array_get(items, 0), &first, r->sql);
		/* a constant's own place, or a cast constant's (literal() keeps the argument's) */
		loc = first.loc;
		if (loc < 0) {
			/* not a plain constant: the first location the item has */
			json_t *it = json_array_get(items, 0);
			const char *key;
			json_t *v;

			json_object_foreach(it, key, v)
				loc = (int)json_integer_value(json_object_get(v, "location"));
		}
		where(r, row_start(r->sql, loc), &pos);
		sr = add_row(r, &pos);
		if (n != r->cur->cols.n)
			r->cur->copyable = 0;
		if (r->cur->cols.n && n != r->cur->cols.n)
			seed_report(r->c, 1, SV_ERROR, "COLUMN_VALUE_MISMATCH", &pos, 0, NULL,
			    "%zu values for %zu columns", n, r->cur->cols.n);
		json_array_foreach(items, k, e) {
			struct lit l;

			literal(e, &l, r->sql);
			if (k >= r->cur->cols.n)
				continue;
			if (l.kind == VK_STRING || l.kind == VK_INT || l.kind == VK_NUM || l.kind == VK_BOOL) {
				set_val(r->cur, sr, k, l.str);
				/* 1e2 or .5 is the number 100 or 0.5: written so into a column that is not numeric */
				if (l.kind == VK_NUM && !num_as_written(r, r->cur->cols.v[k], l.str))
					r->cur->copyable = 0;
			} else if (l.kind == VK_CAST && l.str) {
				set_val(r->cur, sr, k, l.str);
				/* COPY reads the text with the column's type: the same value only when the cast is to it */
				if (!cast_is_coltype(r, r->cur->cols.v[k], &l))
					r->cur->copyable = 0;
			}
			else if (l.kind != VK_NULL && !(l.kind == VK_CAST && !l.str))
				r->cur->copyable = 0; /* an expression, DEFAULT: only the server computes it */
			check_value(r, r->cur->cols.v[k], &l, NULL, l.loc, &pos);
		}
	}
}

/* The branches of a UNION, in order. */
static void
leaves(json_t *sel, json_t *out)
{
	const char *op = json_string_value(json_object_get(sel, "op"));

	if (op && strcmp(op, "SETOP_NONE") != 0) {
		leaves(json_object_get(json_object_get(sel, "larg"), "SelectStmt") ? json_object_get(json_object_get(sel, "larg"), "SelectStmt") : json_object_get(sel, "larg"), out);
		leaves(json_object_get(json_object_get(sel, "rarg"), "SelectStmt") ? json_object_get(json_object_get(sel, "rarg"), "SelectStmt") : json_object_get(sel, "rarg"), out);
		return;
	}
	json_array_append(out, sel);
}

/* A value's type for the UNION check: a cast's type, else the family of its literal. */
static const char *
union_type(const struct lit *l)
{
	switch (l->kind) {
	case VK_CAST: return l->cast;
	case VK_INT: return "integer";
	case VK_NUM: return "numeric";
	case VK_BOOL: return "boolean";
	default: return NULL;
	}
}

/* A comment right after UNION [ALL] on its line: upstream flags it, as tools that join a seed's lines
   into one turn the rest of the statement into the comment. Strings and quoted names are skipped. */
static void
union_comment(struct rd *r)
{
	const char *p = r->sql;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			char q = *p++;

			while (*p && !(*p == q && p[1] != q))
				p += *p == q ? 2 : 1;
			if (*p)
				p++;
		} else if (*p == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (strncasecmp(p, "union", 5) == 0 && (p == r->sql || !isalnum((unsigned char)p[-1]))
		    && !isalnum((unsigned char)p[5]) && p[5] != '_') {
			const char *q = p + 5;
			struct srcpos pos;

			while (*q == ' ' || *q == '\t')
				q++;
			if (strncasecmp(q, "all", 3) == 0 && !isalnum((unsigned char)q[3]) && q[3] != '_')
				for (q += 3; *q == ' ' || *q == '\t'; q++)
					;
			if ((q[0] == '-' && q[1] == '-') || (q[0] == '/' && q[1] == '*')) {
				where(r, (int)(q - r->sql), &pos);
				seed_report(r->c, 1, SV_WARNING, "UNION_INLINE_COMMENT", &pos, 0, "move the comment to a line of its own",
				    "a comment after UNION on the same line");
			}
			p = q;
		} else {
			p++;
		}
	}
}

/* INSERT ... SELECT ... UNION ALL SELECT ...: every branch's column of the same type, no bare NULL. */
static void
union_check(struct rd *r, json_t *sel)
{
	json_t *br = json_array(), *b;
	size_t i, k;

	leaves(sel, br);
	for (k = 0;; k++) {
		const char *type = NULL;
		int any = 0, typed = 0;

		json_array_foreach(br, i, b) {
			json_t *rt = json_object_get(json_array_get(json_object_get(b, "targetList"), k), "ResTarget");
			struct lit l;
			const char *t;
			struct srcpos pos;

			if (!rt)
				continue;
			any = 1;
			literal(json_object_get(rt, "val"), &l, r->sql);
			where(r, (int)json_integer_value(json_object_get(rt, "location")), &pos);
			t = union_type(&l);
			if (l.kind == VK_NULL) {
				seed_report(r->c, 1, SV_WARNING, "UNION_UNCAST_NULL", &pos, 0, "cast it: NULL::TYPE",
				    "a bare NULL in UNION branch %zu, column %zu: its type is guessed", i + 1, k + 1);
			} else if (t && type && strcmp(t, type) != 0) {
				int ft = family(t), fy = family(type);

				if (!((ft == 'i' || ft == 'n') && (fy == 'i' || fy == 'n')))
					seed_report(r->c, 1, SV_ERROR, "UNION_TYPE_MISMATCH", &pos, 0, NULL,
					    "UNION branch %zu, column %zu is %s, an earlier branch's is %s", i + 1, k + 1, t, type);
			} else if (t && !typed) {
				type = t;
				typed = 1;
			}
		}
		if (!any)
			break;
	}
	json_decref(br);
}

/* The target of an INSERT or COPY: prep schema, model table and columns. */
static int
target(struct rd *r, json_t *rel, json_t *cols, int copy)
{
	struct seedstmt *s = r->cur;
	const char *schema = json_string_value(json_object_get(rel, "schemaname"));
	const char *name = json_string_value(json_object_get(rel, "relname"));
	int loc = (int)json_integer_value(json_object_get(rel, "location"));
	struct srcpos pos;
	size_t i;
	json_t *col;

	s->schema = schema ? xstrdup(schema) : NULL;
	s->table = xstrdup(name ? name : "");
	for (i = 0; !schema && i < r->path.n; i++)
		strv_add(&s->path, r->path.v[i]);
	where(r, loc, &pos);
	if (r->c->o.prep_pattern && (!schema || strcmp(schema, r->c->o.prep) != 0)) {
		char *sugg = xasprintf("write %s %s.%s", copy ? "COPY" : "INSERT INTO", r->c->o.prep, s->table);

		seed_report(r->c, 1, SV_ERROR, "PREP_SEED_TARGET_MISMATCH", &pos, 0, sugg, "%s %s%s%s: seeds go to schema %s",
		    copy ? "COPY into" : "INSERT into", schema ? schema : "", schema ? "." : "", s->table, r->c->o.prep);
		free(sugg);
	} else if (r->c->m) {
		/* (a target in the wrong schema is judged once: not also against the wrong table) */
		r->table = seed_table(r->c, schema, s->table);
		/* an unqualified name: the first schema of the seeds' search_path that has the table */
		if (!schema && s->path.n)
			for (i = 0, r->table = NULL; i < s->path.n && !r->table; i++)
				r->table = seed_table(r->c, s->path.v[i], s->table);
		if (!r->table) {
			seed_report(r->c, 1, SV_ERROR, "UNKNOWN_TABLE", &pos, 0, NULL, "table %s%s%s is not in the schema",
			    schema ? schema : "", schema ? "." : "", s->table);
		}
	}
	json_array_foreach(cols, i, col) {
		json_t *rt = json_object_get(col, "ResTarget");
		const char *cn = rt ? json_string_value(json_object_get(rt, "name"))
				    : json_string_value(json_object_get(json_object_get(col, "String"), "sval"));
		struct srcpos cp;

		if (!cn)
			continue;
		strv_add(&s->cols, cn);
		if (rt)
			where(r, (int)json_integer_value(json_object_get(rt, "location")), &cp);
		else
			cp = pos;
		if (r->table && !seed_column(r->table, cn))
			seed_report(r->c, 1, SV_ERROR, "UNKNOWN_COLUMN", &cp, 0, NULL, "table %s has no column %s", s->table, cn);
		if (r->c->o.prep_pattern && strncmp(cn, "fk_", 3) == 0
		    && !(strlen(cn) > 6 && strcmp(cn + strlen(cn) - 3, "_id") == 0))
			seed_report(r->c, 1, SV_WARNING, "INVALID_FK_NAMING", &cp, 0, NULL,
			    "foreign-key column %s of a prep table is named without the _id suffix", cn);
	}
	if (s->cols.n == 0 && r->table) {
		json_array_foreach(json_object_get(r->table, "columns"), i, col)
			strv_add(&s->cols, json_string_value(json_object_get(col, "name")));
	}
	return 0;
}

/* Whether a table record has a primary key or a unique constraint. */
static int
has_unique(json_t *t)
{
	size_t i;
	json_t *k;

	json_array_foreach(json_object_get(t, "constraints"), i, k) {
		const char *ty = json_string_value(json_object_get(k, "type"));

		if (ty && (strcmp(ty, "primary key") == 0 || strcmp(ty, "unique") == 0))
			return 1;
	}
	return 0;
}

static void
insert(struct rd *r, json_t *ins)
{
	json_t *sel = json_object_get(json_object_get(ins, "selectStmt"), "SelectStmt");
	const char *op = json_string_value(json_object_get(sel, "op"));

	target(r, json_object_get(ins, "relation"), json_object_get(ins, "cols"), 0);
	r->cur->copyable = json_object_get(sel, "valuesLists") && !json_object_get(ins, "onConflictClause")
	    && !json_object_get(ins, "returningList") && !json_object_get(ins, "withClause")
	    && (r->cur->cols.n > 0 || !json_object_get(ins, "cols"));
	if (json_object_get(sel, "valuesLists"))
		values_rows(r, json_object_get(sel, "valuesLists"));
	else if (op && strcmp(op, "SETOP_NONE") != 0) {
		union_check(r, sel);
		union_comment(r);
	}
	if (r->table && !json_object_get(ins, "onConflictClause") && has_unique(r->table))
		seed_report(r->c, 1, SV_WARNING, "MISSING_ON_CONFLICT", &r->st->pos, 0, "add ON CONFLICT DO NOTHING",
		    "INSERT into %s without ON CONFLICT: the table has a unique key, a second run fails", r->cur->table);
}

/* COPY FROM stdin: its data lines, each a row. */
static int
copy_in(struct rd *r, json_t *cp)
{
	struct seedstmt *s = r->cur;
	struct buf d = { 0 };
	const char *p;
	size_t n;
	int k;
	long line = r->st->datapos.line;

	target(r, json_object_get(cp, "relation"), json_object_get(cp, "attlist"), 1);
	while ((k = sqlsrc_copydata(r->s, &p, &n)) == 1)
		buf_add(&d, p, n);
	if (k < 0) {
		buf_free(&d);
		return -1;
	}
	s->copydata = d.data ? d.data : xstrdup("");
	s->copylen = d.len;
	for (char *l = s->copydata; l && *l; line++) {
		char *nl = strchr(l, '\n'), *f = l;
		size_t nf = 0;
		struct srcpos pos = { r->st->datapos.file, line, 1 };
		struct seedrow *row;

		if (nl)
			*nl = '\0';
		row = add_row(r, &pos);
		for (;; nf++) {
			char *tab = strchr(f, '\t');
			struct lit lt = { .kind = VK_STRING };

			if (tab)
				*tab = '\0';
			if (nf < s->cols.n && strcmp(f, "\\N") != 0) {
				lt.str = f;
				set_val(s, row, nf, f);
				pos.col = (long)(f - l) + 1;
				check_value(r, s->cols.v[nf], &lt, &pos, -1, NULL);
			}
			if (tab)
				*tab = '\t';
			if (!tab)
				break;
			f = tab + 1;
		}
		pos.col = 1;
		if (s->cols.n && nf + 1 != s->cols.n)
			seed_report(r->c, 1, SV_ERROR, "COLUMN_VALUE_MISMATCH", &pos, 0, NULL, "%zu values for %zu columns",
			    nf + 1, s->cols.n);
		if (!nl)
			break;
		*nl = '\n';
		l = nl + 1;
	}
	return 0;
}

/* SELECT setval(...) or set_config(...) only: what pg_dump and seed files use to move sequences. */
static int
setval_only(json_t *sel)
{
	size_t i;
	json_t *rt;

	if (!sel || json_object_get(sel, "fromClause") || !json_object_get(sel, "targetList"))
		return 0;
	json_array_foreach(json_object_get(sel, "targetList"), i, rt) {
		json_t *fc = json_object_get(json_object_get(json_object_get(rt, "ResTarget"), "val"), "FuncCall");
		json_t *names = json_object_get(fc, "funcname");
		const char *fn = json_string_value(json_object_get(json_object_get(json_array_get(names,
		    json_array_size(names) - 1), "String"), "sval"));

		if (!fn || (strcmp(fn, "setval") != 0 && strcmp(fn, "set_config") != 0))
			return 0;
	}
	return 1;
}

/* A ';' with nothing but blanks and comments before it, in the n bytes p that follow a statement's
   ';' (at pos): an empty statement. */
static void
empty_statement(struct rd *r, const char *p, long long n, struct srcpos pos)
{
	for (long long i = 0; i < n; i++) {
		if (p[i] == '\n') {
			pos.line++;
			pos.col = 0;
			continue;
		}
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			pos.col++;
		if (p[i] == '-' && i + 1 < n && p[i + 1] == '-') {
			while (i + 1 < n && p[i + 1] != '\n')
				i++;
		} else if (p[i] == '/' && i + 1 < n && p[i + 1] == '*') {
			/* comments between statements: a newline in one still counts */
			for (i += 2; i + 1 < n && !(p[i] == '*' && p[i + 1] == '/'); i++)
				if (p[i] == '\n')
					pos.line++, pos.col = 0;
				else if (((unsigned char)p[i] & 0xC0) != 0x80)
					pos.col++;
			i++;
		} else if (p[i] == ';') {
			seed_report(r->c, 1, SV_WARNING, "DOUBLE_SEMICOLON", &pos, 0, "remove the extra ';'",
			    "an empty statement: a ';' after the statement's own");
			return;
		}
	}
}

/* The gap between the statement before and this one, in the same file. */
static void
double_semicolon(struct rd *r)
{
	long long from = r->prev_end, to = r->st->off;
	struct srcpos pos = r->prev_pos;

	if (from < 0 || to <= from || !r->prev_file || strcmp(r->prev_file, r->st->pos.file) != 0)
		return;
	pos.file = r->st->pos.file;
	empty_statement(r, sqlsrc_text(r->s, from), to - from, pos);
}

/* After the last statement of a plain file (no markers: stream offsets are the file's): its tail. */
static void
double_semicolon_at_end(struct rd *r)
{
	FILE *f;
	struct buf b = { 0 };
	char chunk[4096];
	size_t n;
	struct srcpos pos = r->prev_pos;

	if (r->prev_end < 0 || !r->prev_file || strcmp(r->prev_file, r->input) != 0 || !(f = fopen(r->input, "r")))
		return;
	/* from the statement's own ';': the check that the offsets are the file's (a BOM is not counted) */
	if (r->prev_end > 0 && fseeko(f, (off_t)r->prev_end - 1, SEEK_SET) == 0 && fgetc(f) == ';')
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&b, chunk, n);
	fclose(f);
	pos.file = r->prev_file;
	if (b.data)
		empty_statement(r, b.data, (long long)b.len, pos);
	buf_free(&b);
}


/* SET [LOCAL] search_path: the schemas later unqualified targets are looked up in; RESET or
   DEFAULT: public again. */
static void
set_path(struct rd *r, json_t *set)
{
	const char *name = json_string_value(json_object_get(set, "name"));
	const char *kind = json_string_value(json_object_get(set, "kind"));
	size_t i;
	json_t *a;

	if (!name || strcmp(name, "search_path") != 0)
		return;
	strv_free(&r->path);
	if (!kind || strcmp(kind, "VAR_SET_VALUE") != 0)
		return;
	json_array_foreach(json_object_get(set, "args"), i, a) {
		const char *v = json_string_value(json_object_get(json_object_get(json_object_get(a, "A_Const"), "sval"), "sval"));

		if (v && strcmp(v, "$user") != 0)
			strv_add(&r->path, v);
	}
}

/* Whether a statement of a stream comes from a seed file: a stream also holds the schema's files. */
static int
is_seed_path(const char *path)
{
	for (const char *p = path; (p = strstr(p, "seed")) != NULL; p++) {
		const char *e = p + 4 + (p[4] == 's');

		if ((p == path || p[-1] == '/' || p[-1] == '_' || p[-1] == '-')
		    && (*e == '\0' || *e == '/' || *e == '_' || *e == '-' || *e == '.'))
			return 1;
	}
	return 0;
}

/* Pass over the data of a COPY not checked. */
static int
skip_copy(struct rd *r)
{
	const char *p;
	size_t n;
	int k;

	while ((k = sqlsrc_copydata(r->s, &p, &n)) == 1)
		;
	return k < 0 ? EX_SCHEMA : EX_OK;
}

static int
statement(struct rd *r, int kind)
{
	struct seedcheck *c = r->c;
	const struct stmt *st = r->st;
	json_t *tree = sqlsrc_tree(r->s), *body;
	const char *node;
	const char *p = sqlsrc_text(r->s, st->off);
	char *sql = xstrndup(p, (size_t)st->len);
	struct seedstmt *s;
	int rc = EX_OK;

	/* a stream's schema files are not seeds: markers name each statement's file */
	if (strcmp(st->pos.file, strcmp(r->input, "-") == 0 ? "<stdin>" : r->input) != 0 && !is_seed_path(st->pos.file)) {
		free(sql);
		return kind == SQ_COPY ? skip_copy(r) : EX_OK;
	}
	if (!(st->flags & ST_PARSED) || !tree) {
		stmt_syntax_error(st, sql, (size_t)st->len);
		free(sql);
		return EX_SCHEMA;
	}
	r->sql = sql;
	r->wloc = -1;
	double_semicolon(r);
	if ((c->nst & (c->nst - 1)) == 0)
		c->st = xrealloc(c->st, (c->nst ? 2 * c->nst : 1) * sizeof *c->st);
	s = r->cur = &c->st[c->nst++];
	memset(s, 0, sizeof *s);
	s->pos = st->pos;
	s->pos.file = xstrdup(st->pos.file);
	s->sql = sql;
	r->table = NULL;
	node = st->node ? st->node : "";
	body = json_object_get(tree, node);
	s->txctl = strcmp(node, "TransactionStmt") == 0;
	if (strcmp(node, "VariableSetStmt") == 0)
		set_path(r, body);
	if (strcmp(node, "InsertStmt") == 0) {
		insert(r, body);
	} else if (strcmp(node, "CopyStmt") == 0 && json_is_true(json_object_get(body, "is_from")) && kind == SQ_COPY) {
		if (copy_in(r, body) < 0)
			rc = EX_SCHEMA;
	} else if (!(strcmp(node, "SelectStmt") == 0 && setval_only(body)) && strcmp(node, "TransactionStmt") != 0
	    && strcmp(node, "VariableSetStmt") != 0) {
		seed_report(c, 1, SV_ERROR, "NON_INSERT_STATEMENT", &st->pos, 0, "move it to the schema files",
		    "a seed file holds INSERT and COPY statements, not %s", node);
		if (kind == SQ_COPY && skip_copy(r) != EX_OK)
			rc = EX_SCHEMA;
	}
	r->sql = NULL;
	return rc;
}

int
seed_read(struct seedcheck *c, const char *path)
{
	struct rd r = { .c = c, .input = path, .prev_end = -1 };
	struct stmt st;
	int k = SQ_ERROR, rc = EX_OK;

	if (!(r.s = sqlsrc_open(path)))
		return EX_FAIL;
	sqlsrc_keep_tree(r.s, 1);
	sqlsrc_set_resume(r.s, 1);
	while (!sig_caught && (k = sqlsrc_next(r.s, &st)) != SQ_END) {
		if (k == SQ_ERROR || k == SQ_SKIP) {
			rc = EX_SCHEMA;
			if (k == SQ_ERROR)
				break;
		} else if (k == SQ_STMT || k == SQ_COPY) {
			int src;

			r.st = &st;
			if ((src = statement(&r, k)) != EX_OK)
				rc = src;
			/* the ';' ends the statement; text after it is the gap to the next one */
			r.prev_end = (st.flags & ST_UNTERM) || st.gterm ? -1 : st.off + st.len + 1;
			if (k == SQ_COPY)
				r.prev_end = -1;
			if (r.prev_end >= 0) {
				stmt_where(&st, sqlsrc_text(r.s, st.off), st.off + st.len, &r.prev_pos);
				free(r.prev_file);
				r.prev_file = xstrdup(st.pos.file);
			}
		}
		sqlsrc_release(r.s);
	}
	if (!sig_caught && rc == EX_OK && sqlsrc_check_frame(r.s, strcmp(path, "-") == 0 ? "<stdin>" : path) < 0)
		rc = EX_SCHEMA;
	if (!sig_caught && rc == EX_OK && k == SQ_END)
		double_semicolon_at_end(&r);
	sqlsrc_close(r.s);
	free(r.prev_file);
	strv_free(&r.path);
	return rc;
}
