/* One normalization of expressions for both sides of the model: conf-parse has the user's
   parse-tree node, conf-inspect the catalog's deparsed text; both end up here and compare the
   canonical trees through a hash. Every rule maps what the catalog prints and what a user may
   write for the same expression onto one tree. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "diag.h"
#include "hash.h"
#include "jsonl.h"
#include "normexpr.h"
#include "pgnames.h"

/* ---------- small tree helpers ---------- */

/* The type of a node {"Type": {...}} and its fields, or NULL when n is not a node. */
static const char *
ntype(json_t *n, json_t **fields)
{
	const char *k;
	json_t *v;

	if (!json_is_object(n) || json_object_size(n) != 1)
		return NULL;
	json_object_foreach(n, k, v) {
		if (!isupper((unsigned char)k[0]) || !json_is_object(v))
			return NULL;
		if (fields)
			*fields = v;
		return k;
	}
	return NULL;
}

static int
is_type(json_t *n, const char *type)
{
	const char *t = ntype(n, NULL);

	return t && strcmp(t, type) == 0;
}

static const char *
sval(json_t *n)
{
	return json_string_value(json_object_get(json_object_get(n, "String"), "sval"));
}

static json_t *
node(const char *type, json_t *fields)
{
	json_t *n = json_object();

	json_object_set_new(n, type, fields);
	return n;
}

/* The last element of a name list (the String node), as a new one-element list. */
static json_t *
last_only(json_t *names)
{
	size_t n = json_array_size(names);
	json_t *a = json_array();

	if (n)
		json_array_append(a, json_array_get(names, n - 1));
	return a;
}

/* Whether a schema qualifier names the schema an unqualified name resolves to without it (the
   catalog qualifies every name outside pg_catalog; a file's names resolve to public by default). */
static int
default_schema(const char *schema)
{
	return !schema || strcmp(schema, "public") == 0 || strcmp(schema, "pg_catalog") == 0;
}

/* A qualified name list (String nodes) as a new list: the last name, with its schema when the
   schema is not a default one (s1.f and s2.f are two functions; public.f is f). */
static json_t *
qual_names(json_t *names)
{
	size_t n = json_array_size(names);
	json_t *a = json_array();

	if (n >= 2 && !default_schema(sval(json_array_get(names, n - 2))))
		json_array_append(a, json_array_get(names, n - 2));
	if (n)
		json_array_append(a, json_array_get(names, n - 1));
	return a;
}

static const char *
last_name(json_t *names)
{
	size_t n = json_array_size(names);

	return n ? sval(json_array_get(names, n - 1)) : NULL;
}

/* ---------- libpg_query 15 loses negative integer constants in its JSON ---------- */

/* The value of the integer constant the text at loc spells ("-7", "- (7)"), 0 if none. */
static long long
int_at(const char *sql, size_t len, long loc)
{
	int neg = 0;
	long long v = 0;
	size_t i = (size_t)loc;

	if (loc < 0 || i >= len)
		return 0;
	while (i < len && (sql[i] == '-' || sql[i] == '+' || sql[i] == '(' || isspace((unsigned char)sql[i])))
		neg ^= sql[i++] == '-';
	if (i >= len || !isdigit((unsigned char)sql[i]))
		return 0;
	for (; i < len && isdigit((unsigned char)sql[i]); i++)
		v = v * 10 + (sql[i] - '0');
	return neg ? -v : v;
}

static void
fix_consts(json_t *n, const char *sql, size_t len)
{
	json_t *f, *v;
	const char *k;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			fix_consts(v, sql, len);
		return;
	}
	if (!json_is_object(n))
		return;
	if (is_type(n, "A_Const")) {
		json_t *iv;

		ntype(n, &f);
		iv = json_object_get(f, "ival");
		/* no location: a node made by a caller, not read from sql */
		if (json_is_object(iv) && !json_object_get(iv, "ival") && json_object_get(f, "location")) {
			long long x = int_at(sql, len, (long)json_integer_value(json_object_get(f, "location")));

			if (x)
				json_object_set_new(iv, "ival", json_integer(x));
		}
		return;
	}
	json_object_foreach(n, k, v)
		fix_consts(v, sql, len);
}

void
normexpr_fix_consts(json_t *tree, const char *sql)
{
	fix_consts(tree, sql, strlen(sql));
}

/* ---------- constants ---------- */

/* The canonical decimal form of a numeric literal ("1.50" -> "1.5", "1e3" -> "1000", "-0" -> "0"),
   or NULL when s is not one. */
static char *
canon_number(const char *s)
{
	int neg = 0;
	char digits[128];
	size_t nd = 0;
	long point = -1, exp = 0;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return NULL;
	for (; isdigit((unsigned char)*p) || (*p == '.' && point < 0); p++) {
		if (*p == '.')
			point = (long)nd;
		else if (nd < sizeof digits - 1)
			digits[nd++] = *p;
		else
			return NULL;
	}
	if (point < 0)
		point = (long)nd;
	if (*p == 'e' || *p == 'E') {
		char *end;

		exp = strtol(p + 1, &end, 10);
		if (end == p + 1 || exp > 60 || exp < -60)
			return NULL;
		p = end;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return NULL;
	point += exp;
	/* integer part: digits[0 .. point), fraction: digits[point .. nd), both padded with zeros */
	char out[256];
	size_t o = 0;
	long first = 0;

	while (first < point && first < (long)nd && digits[first] == '0')
		first++;
	if (neg)
		out[o++] = '-';
	if (first >= point)
		out[o++] = '0';
	for (long i = first; i < point; i++)
		out[o++] = i < (long)nd ? digits[i] : '0';
	long lastnz = -1;

	for (long i = point < 0 ? 0 : point; i < (long)nd; i++)
		if (digits[i] != '0')
			lastnz = i;
	if (lastnz >= 0) {
		out[o++] = '.';
		for (long i = point; i <= lastnz; i++)
			out[o++] = i < 0 ? '0' : digits[i];
	}
	out[o] = 0;
	if (strcmp(out, "-0") == 0)
		return xstrdup("0");
	return xstrdup(out);
}

static char *canon_interval(const char *lit);

/* A JSON object or array literal as one text for every spelling of the same value (jsonb prints
   '{"x":1}' as '{"x": 1}' and orders its keys): keys sorted, compact; NULL when lit is not one. */
static char *
canon_json(const char *lit)
{
	const char *p = lit;
	json_t *j;
	char *out;

	while (isspace((unsigned char)*p))
		p++;
	if (*p != '{' && *p != '[')
		return NULL;
	if (!(j = json_loads(p, 0, NULL)))
		return NULL;
	out = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return out;
}
static char *canon_datetime(const char *lit, int kind);
static json_t *bits_const(const char *lit);
static char *regclass_name(const char *lit);
static const char *bool_word(const char *v);

/* The decimal form of a numeric literal as numeric_out prints it: canon_number's digits with the
   literal's scale kept ("1.50" stays 1.50, "1.5e1" is 15, "0.00" is 0.00), NULL when s is not one.
   The scale is visible output (1.50 and 1.5 are two different numeric values to a user). */
static char *
canon_numeric(const char *s)
{
	char *c = canon_number(s), *out;
	const char *p = s, *dot, *e;
	long frac = 0, exp = 0, have;

	if (!c)
		return NULL;
	while (*p && !isdigit((unsigned char)*p) && *p != '.')
		p++;
	e = strpbrk(p, "eE");
	if ((dot = strchr(p, '.')) && (!e || dot < e))
		for (const char *q = dot + 1; isdigit((unsigned char)*q); q++)
			frac++;
	if (e)
		exp = strtol(e + 1, NULL, 10);
	frac -= exp;
	dot = strchr(c, '.');
	have = dot ? (long)strlen(dot + 1) : 0;
	if (frac <= have)
		return c;
	size_t n = strlen(c), o = n;

	out = xmalloc(n + (size_t)(frac - have) + 2);
	memcpy(out, c, n);
	if (!dot)
		out[o++] = '.';
	for (long i = have; i < frac; i++)
		out[o++] = '0';
	out[o] = 0;
	free(c);
	return out;
}

static json_t *
vconst(const char *v)
{
	return node("A_Const", json_pack("{s:s}", "v", v));
}

/* A number written as a number (an integer or a numeric literal): its numeric value, scale kept. */
static json_t *
num_const(const char *v)
{
	char *c = canon_numeric(v);
	json_t *n = vconst(c ? c : v);

	free(c);
	return n;
}

/* A string constant whose type is not known here (an untyped literal, or one cast to a string
   type): its text as written, except the spellings that can only be a date, a timestamp, a JSON
   value, an interval or a boolean word, read as that value (the catalog prints '2025-01-01'
   given for a timestamptz as '2025-01-01 00:00:00+00', '1 day' for an interval as '1 day'
   cast, 't' for a boolean as true). A string that reads as a number is never read as one:
   '007' and '7' are two different texts (only a numeric cast target makes them numbers). */
static json_t *
str_const(const char *v)
{
	char *c = NULL, *num = canon_number(v);

	if (!num) {
		/* an offset is taken as timestamptz's, the instant written in UTC */
		c = canon_datetime(v, 'u');
		if (!c)
			c = canon_json(v);
		if (!c && strpbrk(v, "0123456789"))
			c = canon_interval(v);
		if (!c && (strcasecmp(v, "t") == 0 || strcasecmp(v, "true") == 0))
			c = xstrdup("true");
		else if (!c && (strcasecmp(v, "f") == 0 || strcasecmp(v, "false") == 0))
			c = xstrdup("false");
	}
	free(num);
	json_t *n = vconst(c ? c : v);

	free(c);
	return n;
}

/* A bit-string constant as binary digits: B'101' and X'5' and '101'::bit are one constant. */
static json_t *
bits_const(const char *lit)
{
	char *b = xmalloc(strlen(lit ? lit : "") * 4 + 1);
	size_t o = 0;
	json_t *n;

	if (lit && (lit[0] == 'x' || lit[0] == 'X')) {
		for (const char *p = lit + 1; *p; p++) {
			int v = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10) & 15;

			for (int k = 3; k >= 0; k--)
				b[o++] = (char)('0' + ((v >> k) & 1));
		}
	} else if (lit) {
		for (const char *p = lit + (lit[0] == 'b' || lit[0] == 'B'); *p; p++)
			b[o++] = *p;
	}
	b[o] = 0;
	n = node("A_Const", json_pack("{s:s}", "bits", b));
	free(b);
	return n;
}

/* The canonical form of an A_Const's fields. */
static json_t *
norm_const(json_t *f)
{
	json_t *x;
	char buf[32];

	if (json_is_true(json_object_get(f, "isnull")))
		return node("A_Const", json_pack("{s:b}", "null", 1));
	if ((x = json_object_get(f, "ival"))) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(x, "ival")));
		return num_const(buf);
	}
	if ((x = json_object_get(f, "fval")))
		return num_const(json_string_value(json_object_get(x, "fval")));
	if ((x = json_object_get(f, "boolval")))
		return vconst(json_is_true(json_object_get(x, "boolval")) ? "true" : "false");
	if ((x = json_object_get(f, "bsval")))
		return bits_const(json_string_value(json_object_get(x, "bsval")));
	x = json_object_get(f, "sval");
	x = json_object_get(x, "sval");
	return str_const(x ? json_string_value(x) : "");
}

/* The base of a canonical type name, its type modifier left out ("numeric(10,2)" -> numeric,
   "character varying(3)[]" -> "character varying[]"); newly allocated. */
static char *
type_base(const char *t)
{
	char *b = xmalloc(strlen(t) + 1);
	size_t o = 0;
	int paren = 0;

	for (const char *c = t; *c; c++) {
		if (*c == '(')
			paren++;
		else if (*c == ')')
			paren--;
		else if (!paren)
			b[o++] = *c;
	}
	b[o] = 0;
	return b;
}

/* Whether canonical type name t carries a type modifier (varchar(3), numeric(10,2), bit(8)). */
static int
has_typmod(const char *t)
{
	return strchr(t, '(') != NULL;
}

static int
in_list(const char *t, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(t, *list) == 0)
			return 1;
	return 0;
}

static const char *const int_types[] = { "integer", "bigint", "smallint", "oid", NULL };
static const char *const float_types[] = { "real", "double precision", NULL };

/* A bytea literal as byteaout prints it (hex format: '\x' and lowercase digits): hex input with
   its digits lowercased and the spaces between them dropped, escape input ('abc', '\\', '\001')
   turned to hex; NULL when it is not valid input (left as written). */
static char *
canon_bytea(const char *v)
{
	static const char hex[] = "0123456789abcdef";
	struct buf b = { 0 };

	buf_puts(&b, "\\x");
	if (v[0] == '\\' && v[1] == 'x') {
		int half = 0;

		for (const char *p = v + 2; *p; p++) {
			if (isspace((unsigned char)*p) && !half)
				continue;
			if (!isxdigit((unsigned char)*p)) {
				buf_free(&b);
				return NULL;
			}
			char d[2] = { (char)tolower((unsigned char)*p), 0 };

			buf_puts(&b, d);
			half = !half;
		}
		if (half) {
			buf_free(&b);
			return NULL;
		}
		return b.data;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		unsigned c = *p;

		if (c == '\\') {
			if (p[1] == '\\')
				p++;
			else if (p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
				c = (unsigned)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
				p += 3;
			} else {
				buf_free(&b);
				return NULL;
			}
		}
		char d[3] = { hex[c >> 4], hex[c & 15], 0 };

		buf_puts(&b, d);
	}
	return b.data;
}

/* String literal v as a constant of type t (canonical name, "" or NULL unknown), the value its
   input function reads: numbers for the numeric types (numeric keeps its scale), bits for bit
   strings, booleans, dates and times, intervals, JSON; any other type keeps the text (str_const). */
static json_t *
typed_const(const char *v, const char *t)
{
	char *b = type_base(t ? t : ""), *c = NULL;
	json_t *n;

	if (in_list(b, int_types) || in_list(b, float_types))
		c = canon_number(v);
	else if (strcmp(b, "numeric") == 0)
		c = canon_numeric(v);
	else if (strcmp(b, "boolean") == 0 && bool_word(v))
		c = xstrdup(bool_word(v));
	else if (strcmp(b, "bit") == 0 || strcmp(b, "\"bit\"") == 0 || strcmp(b, "bit varying") == 0) {
		free(b);
		return bits_const(v);
	} else if (strcmp(b, "json") == 0) {
		/* json keeps its text (spaces, key order, duplicate keys): only jsonb is a value */
		free(b);
		return vconst(v);
	} else if (strcmp(b, "regclass") == 0)
		c = regclass_name(v);
	else if (strcmp(b, "interval") == 0)
		c = canon_interval(v);
	else if (strcmp(b, "bytea") == 0)
		c = canon_bytea(v);
	free(b);
	if (!c)
		return str_const(v);
	n = vconst(c);
	free(c);
	return n;
}

static const char *
const_v(json_t *n)
{
	json_t *f;

	if (!is_type(n, "A_Const"))
		return NULL;
	ntype(n, &f);
	return json_string_value(json_object_get(f, "v"));
}

static int
is_const(json_t *n)
{
	json_t *f;

	if (is_type(n, "A_Const"))
		return 1;
	if (is_type(n, "A_ArrayExpr")) { /* ARRAY[consts] and ARRAY[] */
		size_t i;
		json_t *e;

		ntype(n, &f);
		json_array_foreach(json_object_get(f, "elements"), i, e)
			if (!is_const(e))
				return 0;
		return 1;
	}
	return 0;
}

/* boolin's spellings of true and false. */
static const char *
bool_word(const char *v)
{
	static const char *const t[] = { "t", "true", "y", "yes", "on", "1" };
	static const char *const f[] = { "f", "false", "n", "no", "off", "0" };

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (strcasecmp(v, t[i]) == 0)
			return "true";
		if (strcasecmp(v, f[i]) == 0)
			return "false";
	}
	return NULL;
}

/* A relation name in a regclass literal as PostgreSQL resolves it, without its schema:
   'public.users_id_seq', 'users_id_seq', '"Users_id_seq"' -> users_id_seq, Users_id_seq. */
static char *
regclass_name(const char *lit)
{
	const char *p = lit, *start = lit;
	char *out = NULL;

	while (*p) {
		/* one dot-separated part */
		size_t cap = strlen(p) + 1, o = 0;
		char *part = xmalloc(cap);

		start = p;
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					part[o++] = *p++;
				else if (*p == '"') {
					p++;
					break;
				} else
					part[o++] = *p;
			}
		} else {
			for (; *p && *p != '.'; p++)
				part[o++] = (char)tolower((unsigned char)*p);
		}
		part[o] = 0;
		free(out);
		out = part;
		if (*p == '.')
			p++;
		else if (*p) { /* not a name: keep the literal */
			free(out);
			return xstrdup(lit);
		}
	}
	(void)start;
	return out ? out : xstrdup(lit);
}

/* ---------- interval literals ---------- */

/* An hh:mm[:ss[.frac]] token as microseconds (sign applied); -1 in *ok when it is not one. */
static double
clock_us(const char *p, int *ok)
{
	double part[3] = { 0, 0, 0 }, sign = 1;
	int n = 0;
	char *end;

	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	while (n < 3) {
		part[n++] = strtod(p, &end);
		if (end == p)
			break;
		p = end;
		if (*p != ':')
			break;
		p++;
	}
	*ok = *p == 0 && n >= 2;
	return sign * ((part[0] * 60 + part[1]) * 60 + part[2]) * 1e6;
}

/* The value of an interval literal as PostgreSQL's input reads it, written as months, days and
   microseconds, so '1 month' and the catalog's '1 mon', '1 hour' and '01:00:00', '2 weeks' and
   '14 days' are one constant. NULL when the text is not in the forms read here (ISO 8601 and
   other rare spellings stay literal). */
static char *
canon_interval(const char *lit)
{
	static const struct {
		const char *u;
		int kind; /* 0 months, 1 days, 2 microseconds */
		double mult;
	} units[] = {
		{ "millennium", 0, 12000 }, { "millennia", 0, 12000 }, { "millenniums", 0, 12000 }, { "century", 0, 1200 },
		{ "centuries", 0, 1200 }, { "decade", 0, 120 }, { "decades", 0, 120 }, { "year", 0, 12 },
		{ "years", 0, 12 }, { "yr", 0, 12 }, { "yrs", 0, 12 }, { "y", 0, 12 }, { "month", 0, 1 },
		{ "months", 0, 1 }, { "mon", 0, 1 }, { "mons", 0, 1 }, { "week", 1, 7 }, { "weeks", 1, 7 },
		{ "w", 1, 7 }, { "day", 1, 1 }, { "days", 1, 1 }, { "d", 1, 1 }, { "hour", 2, 3600e6 },
		{ "hours", 2, 3600e6 }, { "hr", 2, 3600e6 }, { "hrs", 2, 3600e6 }, { "h", 2, 3600e6 },
		{ "minute", 2, 60e6 }, { "minutes", 2, 60e6 }, { "min", 2, 60e6 }, { "mins", 2, 60e6 },
		{ "m", 2, 60e6 }, { "second", 2, 1e6 }, { "seconds", 2, 1e6 }, { "sec", 2, 1e6 },
		{ "secs", 2, 1e6 }, { "s", 2, 1e6 }, { "millisecond", 2, 1e3 }, { "milliseconds", 2, 1e3 },
		{ "msec", 2, 1e3 }, { "msecs", 2, 1e3 }, { "ms", 2, 1e3 }, { "microsecond", 2, 1 },
		{ "microseconds", 2, 1 }, { "usec", 2, 1 }, { "usecs", 2, 1 }, { "us", 2, 1 },
	};
	double months = 0, days = 0, us = 0;
	char *copy = xstrdup(lit), *save = NULL, *w;
	int ago = 0, any = 0;
	double pending = 0;
	int has_pending = 0;

	for (char *c = copy; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (w = strtok_r(copy, " \t\n", &save); w; w = strtok_r(NULL, " \t\n", &save)) {
		char *end;
		double v;

		if (strcmp(w, "@") == 0)
			continue;
		if (strcmp(w, "ago") == 0) {
			ago = 1;
			continue;
		}
		if (strchr(w, ':')) {
			int ok;
			double t = clock_us(w, &ok);

			if (!ok || has_pending)
				goto fail;
			us += t;
			any = 1;
			continue;
		}
		v = strtod(w, &end);
		if (end != w) { /* a number, maybe with its unit attached: "30days", "1h" */
			if (has_pending)
				goto fail;
			if (!*end) {
				pending = v;
				has_pending = 1;
				continue;
			}
			w = end;
		} else if (has_pending) {
			v = pending;
			has_pending = 0;
		} else
			goto fail;
		has_pending = 0;
		size_t i;

		for (i = 0; i < sizeof units / sizeof units[0]; i++)
			if (strcmp(w, units[i].u) == 0)
				break;
		if (i == sizeof units / sizeof units[0])
			goto fail;
		/* fractions spill as PostgreSQL's input does: months to 30 days, days to 24 hours */
		if (units[i].kind == 0) {
			double m = v * units[i].mult, whole = (double)(long long)m;

			months += whole;
			if (units[i].mult == 1) {
				double d = (m - whole) * 30, dw = (double)(long long)d;

				days += dw;
				us += (d - dw) * 86400e6;
			}
		} else if (units[i].kind == 1) {
			double d = v * units[i].mult, dw = (double)(long long)d;

			days += dw;
			us += (d - dw) * 86400e6;
		} else
			us += v * units[i].mult;
		any = 1;
	}
	if (has_pending) /* a bare number is seconds */
		us += pending * 1e6, any = 1;
	free(copy);
	if (!any)
		return NULL;
	if (ago)
		months = -months, days = -days, us = -us;
	return xasprintf("interval %lld mons %lld days %lld us", (long long)months, (long long)days,
	    (long long)(us < 0 ? us - 0.5 : us + 0.5));
fail:
	free(copy);
	return NULL;
}

/* ---------- types ---------- */

/* The canonical name of a TypeName, unqualified ("integer", "character varying(20)", "mood[]"). */
static char *
type_name(json_t *tn)
{
	json_t *copy = json_deep_copy(json_object_get(tn, "TypeName") ? json_object_get(tn, "TypeName") : tn);
	char *s;

	json_object_set_new(copy, "names", qual_names(json_object_get(copy, "names")));
	s = pgn_type_name(copy, NULL, NULL, NULL);
	json_decref(copy);
	return s ? s : xstrdup("?");
}

/* The types the catalog shows as implicit casts (promotions, domains to their base type): a cast
   to one of them is dropped, because the same expression as the user wrote it has none. */
static int
promotion_type(const char *t)
{
	static const char *const p[] = {
		"integer", "bigint", "smallint", "numeric", "real", "double precision", "text",
		"character varying", "character", "bpchar", "name", "timestamp with time zone",
		"timestamp without time zone",
		"interval",
	};
	char base[128];
	size_t o = 0;
	int paren = 0;

	for (const char *c = t; *c && o < sizeof base - 1; c++) {
		if (*c == '(')
			paren = 1;
		else if (*c == ')')
			paren = 0;
		else if (*c == '[')
			break;
		else if (!paren)
			base[o++] = *c;
	}
	base[o] = 0;
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (strcmp(base, p[i]) == 0)
			return 1;
	return 0;
}

/* ---------- FigureColname: the name PostgreSQL gives an unnamed select-list entry ---------- */

static int
figure(json_t *n, const char **name)
{
	json_t *f;
	const char *t = ntype(n, &f);

	if (!t)
		return 0;
	if (strcmp(t, "ColumnRef") == 0) {
		const char *s = last_name(json_object_get(f, "fields"));

		if (s) {
			*name = s;
			return 2;
		}
	} else if (strcmp(t, "A_Indirection") == 0) {
		json_t *ind = json_object_get(f, "indirection");

		for (size_t i = json_array_size(ind); i-- > 0;) {
			const char *s = sval(json_array_get(ind, i));

			if (s) {
				*name = s;
				return 2;
			}
		}
		return figure(json_object_get(f, "arg"), name);
	} else if (strcmp(t, "FuncCall") == 0) {
		*name = last_name(json_object_get(f, "funcname"));
		return 2;
	} else if (strcmp(t, "A_Expr") == 0) {
		if (strcmp(json_string_value(json_object_get(f, "kind")), "AEXPR_NULLIF") == 0) {
			*name = "nullif";
			return 2;
		}
	} else if (strcmp(t, "TypeCast") == 0) {
		int s = figure(json_object_get(f, "arg"), name);

		if (s <= 1) {
			const char *tn = last_name(json_object_get(json_object_get(f, "typeName"), "names"));

			if (tn) {
				*name = tn;
				return 1;
			}
		}
		return s;
	} else if (strcmp(t, "CollateClause") == 0) {
		return figure(json_object_get(f, "arg"), name);
	} else if (strcmp(t, "GroupingFunc") == 0) {
		*name = "grouping";
		return 2;
	} else if (strcmp(t, "SubLink") == 0) {
		const char *k = json_string_value(json_object_get(f, "subLinkType"));

		if (k && strcmp(k, "EXISTS_SUBLINK") == 0) {
			*name = "exists";
			return 2;
		}
		if (k && strcmp(k, "ARRAY_SUBLINK") == 0) {
			*name = "array";
			return 2;
		}
		if (k && (strcmp(k, "EXPR_SUBLINK") == 0 || strcmp(k, "MULTIEXPR_SUBLINK") == 0)) {
			json_t *sf;

			/* the name of the subquery's first output column (its resname: given, else
			   figured, else ?column?); a set operation takes its names from its first branch */
			if (is_type(json_object_get(f, "subselect"), "SelectStmt")) {
				ntype(json_object_get(f, "subselect"), &sf);
				while (json_is_object(json_object_get(sf, "larg")))
					sf = json_object_get(sf, "larg");
				json_t *rt = json_object_get(json_array_get(json_object_get(sf, "targetList"), 0), "ResTarget");
				const char *nm = json_string_value(json_object_get(rt, "name"));

				if (!rt)
					return 0;
				if (!nm && figure(json_object_get(rt, "val"), &nm) == 0)
					nm = "?column?";
				*name = nm;
				return 2;
			}
		}
	} else if (strcmp(t, "CaseExpr") == 0) {
		int s = figure(json_object_get(f, "defresult"), name);

		if (s <= 1) {
			*name = "case";
			return 1;
		}
		return s;
	} else if (strcmp(t, "A_ArrayExpr") == 0) {
		*name = "array";
		return 2;
	} else if (strcmp(t, "RowExpr") == 0) {
		*name = "row";
		return 2;
	} else if (strcmp(t, "CoalesceExpr") == 0) {
		*name = "coalesce";
		return 2;
	} else if (strcmp(t, "MinMaxExpr") == 0) {
		const char *op = json_string_value(json_object_get(f, "op"));

		*name = op && strcmp(op, "IS_LEAST") == 0 ? "least" : "greatest";
		return 2;
	} else if (strcmp(t, "SQLValueFunction") == 0) {
		static const char *const m[][2] = {
			{ "SVFOP_CURRENT_DATE", "current_date" }, { "SVFOP_CURRENT_TIME", "current_time" },
			{ "SVFOP_CURRENT_TIME_N", "current_time" }, { "SVFOP_CURRENT_TIMESTAMP", "current_timestamp" },
			{ "SVFOP_CURRENT_TIMESTAMP_N", "current_timestamp" }, { "SVFOP_LOCALTIME", "localtime" },
			{ "SVFOP_LOCALTIME_N", "localtime" }, { "SVFOP_LOCALTIMESTAMP", "localtimestamp" },
			{ "SVFOP_LOCALTIMESTAMP_N", "localtimestamp" }, { "SVFOP_CURRENT_ROLE", "current_role" },
			{ "SVFOP_CURRENT_USER", "current_user" }, { "SVFOP_USER", "user" },
			{ "SVFOP_SESSION_USER", "session_user" }, { "SVFOP_CURRENT_CATALOG", "current_catalog" },
			{ "SVFOP_CURRENT_SCHEMA", "current_schema" },
		};
		const char *op = json_string_value(json_object_get(f, "op"));

		for (size_t i = 0; op && i < sizeof m / sizeof m[0]; i++)
			if (strcmp(op, m[i][0]) == 0) {
				*name = m[i][1];
				return 2;
			}
	} else if (strcmp(t, "XmlExpr") == 0) {
		static const char *const m[][2] = {
			{ "IS_XMLCONCAT", "xmlconcat" }, { "IS_XMLELEMENT", "xmlelement" }, { "IS_XMLFOREST", "xmlforest" },
			{ "IS_XMLPARSE", "xmlparse" }, { "IS_XMLPI", "xmlpi" }, { "IS_XMLROOT", "xmlroot" },
			{ "IS_XMLSERIALIZE", "xmlserialize" }, { "IS_DOCUMENT", NULL },
		};
		const char *op = json_string_value(json_object_get(f, "op"));

		for (size_t i = 0; op && i < sizeof m / sizeof m[0]; i++)
			if (strcmp(op, m[i][0]) == 0 && m[i][1]) {
				*name = m[i][1];
				return 2;
			}
	} else if (strcmp(t, "XmlSerialize") == 0) {
		*name = "xmlserialize";
		return 2;
	}
	return 0;
}

/* ---------- the normalization ---------- */

static json_t *nx(json_t *n);
static json_t *nx_fields(json_t *f);
static json_t *rangefunc_cols(json_t *f);
static json_t *rangefunc_call(json_t *f);
static json_t *norm_subselect(json_t *f);
static int int_const(json_t *n);
static json_t *settle(json_t *n, int keep);

/* Column types (normexpr_set_types): fn and its context; the FROM items of the SELECTs enclosing
   the node being normalized (an array per level, innermost last: {name, schema?, rel} for a
   relation, {name, opaque} for an item whose columns are not a relation's); the names of the CTEs
   in scope (a FROM item of that name is the CTE, not a relation). */
static nx_type_fn nx_tfn;
static void *nx_tctx;
static json_t *nx_levels;
static json_t *nx_ctes;

void
normexpr_set_types(nx_type_fn fn, void *ctx)
{
	nx_tfn = fn;
	nx_tctx = ctx;
}

static int
name_in(json_t *names, const char *name)
{
	size_t i;
	json_t *e;

	json_array_foreach(names, i, e)
		if (name && strcmp(json_string_value(e), name) == 0)
			return 1;
	return 0;
}

/* The FROM items of a FROM list appended to level (through unaliased joins). */
static void
scope_items(json_t *items, json_t *level)
{
	json_t *e, *f;
	size_t i;

	json_array_foreach(items, i, e) {
		json_t *al = NULL;
		const char *name = NULL;

		if (is_type(e, "JoinExpr") && ntype(e, &f) && !json_object_get(f, "alias")) {
			json_t *both = json_pack("[O,O]", json_object_get(f, "larg"), json_object_get(f, "rarg"));

			scope_items(both, level);
			json_decref(both);
			continue;
		}
		if (ntype(e, &f))
			al = json_object_get(f, "alias");
		name = json_string_value(json_object_get(al, "aliasname"));
		if (is_type(e, "RangeVar")) {
			const char *rel = json_string_value(json_object_get(f, "relname"));
			const char *sch = json_string_value(json_object_get(f, "schemaname"));

			if (!name)
				name = rel;
			/* a CTE of that name, or columns renamed by the alias: not the relation's columns */
			if (rel && !json_object_get(al, "colnames") && !(!sch && name_in(nx_ctes, rel))) {
				json_t *en = json_pack("{s:s, s:s}", "name", name, "rel", rel);

				if (sch)
					json_object_set_new(en, "schema", json_string(sch));
				json_array_append_new(level, en);
				continue;
			}
		}
		json_array_append_new(level, json_pack("{s:s, s:b}", "name", name ? name : "", "opaque", 1));
	}
}

/* The type fn gives (NULL for "" and NULL) of column col of FROM item e. */
static const char *
item_col_type(json_t *e, const char *col, int *found)
{
	const char *t;

	*found = 1;
	if (json_is_true(json_object_get(e, "opaque")))
		return NULL;
	t = nx_tfn(json_string_value(json_object_get(e, "schema")), json_string_value(json_object_get(e, "rel")), col, nx_tctx);
	*found = t != NULL;
	return t && *t ? t : NULL;
}

/* The canonical type of the column a ColumnRef's fields name, bound as PostgreSQL binds it (the
   innermost level that has it; a qualifier names a FROM item; no FROM item: the expression's own
   relation); NULL when unknown. A domain is its base type. */
static const char *
col_type(json_t *fields)
{
	size_t n = json_array_size(fields);
	const char *col = n ? sval(json_array_get(fields, n - 1)) : NULL, *q, *sch, *t;
	int found;

	if (!nx_tfn || !col || n > 3)
		return NULL;
	q = n >= 2 ? sval(json_array_get(fields, n - 2)) : NULL;
	sch = n == 3 ? sval(json_array_get(fields, 0)) : NULL;
	for (size_t lv = json_array_size(nx_levels); lv-- > 0;) {
		json_t *level = json_array_get(nx_levels, lv), *e;
		size_t i;

		json_array_foreach(level, i, e) {
			const char *name = json_string_value(json_object_get(e, "name"));

			const char *es = json_string_value(json_object_get(e, "schema"));

			if (q && (strcmp(name, q) != 0 || (sch && (!es || strcmp(es, sch) != 0))))
				continue;
			if (!q && json_is_true(json_object_get(e, "opaque")))
				return NULL; /* the column may be the item's */
			t = item_col_type(e, col, &found);
			if (found || q)
				return t;
		}
	}
	if (q && (strcmp(q, "new") == 0 || strcmp(q, "old") == 0))
		q = NULL;
	if (q && json_array_size(nx_levels))
		return NULL;
	t = nx_tfn(sch, q, col, nx_tctx);
	return t && *t ? t : NULL;
}

/* The built-in scalar types whose casts normexpr reasons about. */
static const char *const scalar_types[] = { "integer", "bigint", "smallint", "numeric", "real", "double precision",
	"text", "character varying", "character", "bpchar", "name", "boolean", "date", "timestamp without time zone",
	"timestamp with time zone", "time without time zone", "time with time zone", "interval", NULL };

/* The type of a raw operand where it is known for sure: a column's, or a cast's of an expression
   that is not a constant (to a built-in type); NULL otherwise (a constant's type in the catalog's
   text is what PostgreSQL coerced it to, not what the user wrote). Newly allocated. */
static char *
raw_type(json_t *n)
{
	json_t *f;

	if (is_type(n, "ColumnRef") && ntype(n, &f)) {
		const char *t = col_type(json_object_get(f, "fields"));

		return t ? xstrdup(strncmp(t, "public.", 7) == 0 ? t + 7 : t) : NULL;
	}
	if (is_type(n, "TypeCast") && ntype(n, &f) && !is_type(json_object_get(f, "arg"), "A_Const")) {
		char *t = type_name(json_object_get(f, "typeName")), *b = type_base(t);
		int ok = in_list(b, scalar_types);

		free(b);
		if (ok)
			return t;
		free(t);
	}
	return NULL;
}

/* How many relations the innermost SELECT being normalized has in scope (its FROM items, the
   members of an unaliased join counted each): with more than one, a column keeps its relation. */
static int nx_scope;
/* How many SELECTs enclose the node being normalized, itself included: pg_get_viewdef prefixes
   every column of a query nested in another (a subquery, a CTE, a set operation's arm), so an
   inner column and an outer one of the same name stay apart (varlevelsup). */
static int nx_depth;
/* The aliases pg_get_viewdef invents in scope (nums_1 for a second nums), to the relation's name:
   a column qualified with one is the relation's (the RangeVar drops such an alias). */
static json_t *nx_invented;
static int invented_alias(json_t *alias, const char *rel);

/* Each RangeVar of a FROM list (through joins) with an invented alias added to nx_invented, the
   names added appended to added. */
static void
note_invented(json_t *n, json_t *added)
{
	json_t *f, *e;
	const char *k;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			note_invented(e, added);
		return;
	}
	if (is_type(n, "RangeVar") && ntype(n, &f)) {
		json_t *al = json_object_get(f, "alias");
		const char *rel = json_string_value(json_object_get(f, "relname"));

		if (invented_alias(al, rel)) {
			const char *a = json_string_value(json_object_get(al, "aliasname"));

			if (!nx_invented)
				nx_invented = json_object();
			json_object_set_new(nx_invented, a, json_string(rel));
			json_array_append_new(added, json_string(a));
		}
		return;
	}
	if (is_type(n, "JoinExpr") && ntype(n, &f))
		json_object_foreach(f, k, e)
			if (strcmp(k, "larg") == 0 || strcmp(k, "rarg") == 0)
				note_invented(e, added);
}

static int
count_scope(json_t *items)
{
	json_t *e, *f;
	size_t i;
	int n = 0;

	json_array_foreach(items, i, e) {
		if (is_type(e, "JoinExpr") && ntype(e, &f) && !json_object_get(f, "alias")) {
			json_t *both = json_pack("[O,O]", json_object_get(f, "larg"), json_object_get(f, "rarg"));

			n += count_scope(both);
			json_decref(both);
		} else
			n++;
	}
	return n;
}

static int
has_colref(json_t *n)
{
	const char *k;
	json_t *v;
	size_t i;

	if (is_type(n, "ColumnRef"))
		return 1;
	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			if (has_colref(v))
				return 1;
	} else if (json_is_object(n)) {
		json_object_foreach(n, k, v)
			if (has_colref(v))
				return 1;
	}
	return 0;
}

static json_t *
mkop(const char *kind, const char *op, json_t *l, json_t *r)
{
	json_t *f = json_pack("{s:s, s:[{s:{s:s}}]}", "kind", kind, "name", "String", "sval", op);

	if (l)
		json_object_set_new(f, "lexpr", l);
	if (r)
		json_object_set_new(f, "rexpr", r);
	return node("A_Expr", f);
}

static json_t *
mkbool(const char *op, json_t *args)
{
	return node("BoolExpr", json_pack("{s:s, s:o}", "boolop", op, "args", args));
}

/* AND and OR over the same operator are one list, however the user nested them. */
static json_t *
flatten_bool(const char *op, json_t *args)
{
	json_t *out = json_array(), *a, *f;
	size_t i;

	json_array_foreach(args, i, a) {
		if (is_type(a, "BoolExpr") && (ntype(a, &f), strcmp(json_string_value(json_object_get(f, "boolop")), op) == 0) &&
		    strcmp(op, "NOT_EXPR") != 0)
			json_array_extend(out, json_object_get(f, "args"));
		else
			json_array_append(out, a);
	}
	json_decref(args);
	return mkbool(op, out);
}

static json_t *typed_operand(json_t *n, json_t *other);
static json_t *mkcast(json_t *arg, const char *t, int soft);

/* x IN (list) as transformAExprIn builds it: the constants (no column) as = ANY (ARRAY[...]) when
   there are two or more, every other element as its own =, all ORed (NOT IN: <> ALL, ANDed). */
static json_t *
norm_in(json_t *f)
{
	const char *op = last_name(json_object_get(f, "name"));
	int neg = op && strcmp(op, "<>") == 0;
	json_t *items = json_object_get(json_object_get(json_object_get(f, "rexpr"), "List"), "items");
	json_t *lexpr = json_object_get(f, "lexpr"), *nonvars = json_array(), *terms = json_array(), *e;
	size_t i;

	json_array_foreach(items, i, e)
		if (!has_colref(e))
			json_array_append_new(nonvars, typed_operand(e, lexpr));
	if (json_array_size(nonvars) > 1)
		json_array_append_new(terms, mkop(neg ? "AEXPR_OP_ALL" : "AEXPR_OP_ANY", neg ? "<>" : "=", nx(lexpr),
		    node("A_ArrayExpr", json_pack("{s:o}", "elements", nonvars))));
	else {
		json_decref(nonvars);
		nonvars = NULL;
	}
	json_array_foreach(items, i, e)
		if (!nonvars || has_colref(e))
			json_array_append_new(terms, mkop("AEXPR_OP", neg ? "<>" : "=", nx(lexpr), typed_operand(e, lexpr)));
	if (json_array_size(terms) == 1) {
		json_t *t = json_incref(json_array_get(terms, 0));

		json_decref(terms);
		return t;
	}
	return flatten_bool(neg ? "AND_EXPR" : "OR_EXPR", terms);
}

/* BETWEEN as transformAExprBetween expands it. */
static json_t *
norm_between(const char *kind, json_t *f)
{
	json_t *items = json_object_get(json_object_get(json_object_get(f, "rexpr"), "List"), "items");
	json_t *x = json_object_get(f, "lexpr"), *a = json_array_get(items, 0), *b = json_array_get(items, 1);
	int neg = strstr(kind, "NOT_") != NULL, sym = strstr(kind, "_SYM") != NULL;
#define RANGE(lo, hi)                                                                                     \
	(neg ? mkbool("OR_EXPR", json_pack("[o,o]", mkop("AEXPR_OP", "<", nx(x), nx(lo)),                  \
	                                       mkop("AEXPR_OP", ">", nx(x), nx(hi))))                         \
	     : mkbool("AND_EXPR", json_pack("[o,o]", mkop("AEXPR_OP", ">=", nx(x), nx(lo)),                \
	                                        mkop("AEXPR_OP", "<=", nx(x), nx(hi)))))
	if (!sym)
		return RANGE(a, b);
	return mkbool(neg ? "AND_EXPR" : "OR_EXPR", json_pack("[o,o]", RANGE(a, b), RANGE(b, a)));
#undef RANGE
}

/* Operand n of an operator (raw) normalized: an untyped string literal beside an operand of a
   known type (other, raw) is read as that type, as parse analysis coerces it (int_col = '01' is
   int_col = 1; the catalog prints the coerced constant). */
static json_t *
typed_operand(json_t *n, json_t *other)
{
	json_t *cf, *x;
	char *ot;

	if (other && is_type(n, "A_Const") && ntype(n, &cf) && (x = json_object_get(json_object_get(cf, "sval"), "sval")) &&
	    (ot = raw_type(other))) {
		json_t *c = typed_const(json_string_value(x), ot);

		free(ot);
		return c;
	}
	return nx(n);
}

/* Whether the soft cast at the top of operand self (normalized) is kept beside operand other
   (normalized; raw_other its raw node). A widening of a column (soft "typed") is PostgreSQL's own
   only where the other operand has the cast's type and is no such cast itself; a cast to a
   numeric type on an expression (soft true) is the user's beside an integer constant or an
   operand of an integer type (PostgreSQL never casts toward those); a domain's cast never. */
static int
keep_soft(json_t *self, json_t *other, json_t *raw_other, int ints, const char *op)
{
	json_t *f = json_object_get(self, "TypeCast"), *soft = json_object_get(f, "soft");
	const char *t = json_string_value(json_object_get(json_object_get(f, "typeName"), "name"));
	char *ot;
	int keep;

	if (!soft)
		return 0;
	if (json_is_string(soft) && strcmp(json_string_value(soft), "typed") == 0) {
		const char *from = json_string_value(json_object_get(f, "from"));
		static const char *const own_ops[] = { "=", "<>", "<", ">", "<=", ">=", "~~", "!~~", "~~*", "!~~*", "~", "!~",
			"~*", "!~*", NULL };

		/* character and name to text where the operator has no version of their own (||, a
		   function's text operator): PostgreSQL's cast */
		if (from && (strcmp(from, "character") == 0 || strcmp(from, "bpchar") == 0 || strcmp(from, "name") == 0) &&
		    !(op && in_list(op, own_ops)))
			return 0;
		if (json_object_get(json_object_get(other, "TypeCast"), "soft"))
			return 1;
		ot = raw_type(raw_other);
		keep = !ot || !t || strcmp(ot, t) != 0;
		free(ot);
		return keep;
	}
	if (json_is_string(soft) || !ints)
		return 0;
	if (int_const(other))
		return 1;
	/* both operands cast to a numeric type: one of them at least is the user's (the catalog
	   shows both, x::numeric / y is stored (x)::numeric / (y)::numeric) */
	if (json_is_true(json_object_get(json_object_get(other, "TypeCast"), "soft")))
		return 1;
	if (json_object_get(json_object_get(other, "TypeCast"), "soft"))
		return 0;
	ot = raw_type(raw_other);
	keep = ot && in_list(ot, int_types);
	free(ot);
	return keep;
}

/* *side (normalized) cast to t where the other operand keeps a cast to numeric type t (a
   user's) and *side is an expression of an integer type: PostgreSQL casts it to match
   (x::numeric / y is stored (x)::numeric / (y)::numeric). */
static void
match_cast(json_t *kept, json_t **side, json_t *raw_side)
{
	const char *t = json_string_value(json_object_get(json_object_get(json_object_get(kept, "TypeCast"), "typeName"), "name"));
	char *st;

	if (!t || is_type(*side, "TypeCast") || is_const(*side) || !(st = raw_type(raw_side)))
		return;
	if (in_list(st, int_types) && (in_list(t, float_types) || strcmp(t, "numeric") == 0))
		*side = mkcast(*side, t, 0);
	free(st);
}

static json_t *
norm_aexpr(json_t *f)
{
	const char *kind = json_string_value(json_object_get(f, "kind"));
	json_t *out, *l = json_object_get(f, "lexpr"), *r = json_object_get(f, "rexpr");

	if (!kind)
		kind = "AEXPR_OP";
	if (strcmp(kind, "AEXPR_IN") == 0)
		return norm_in(f);
	if (strncmp(kind, "AEXPR_BETWEEN", 13) == 0 || strncmp(kind, "AEXPR_NOT_BETWEEN", 17) == 0)
		return norm_between(kind, f);
	/* ROW(a, b) = ROW(c, d) is stored a = c AND b = d, <> as a <> c OR b <> d
	   (make_row_comparison_op); other operators stay a row comparison */
	if (strcmp(kind, "AEXPR_OP") == 0 && is_type(l, "RowExpr") && is_type(r, "RowExpr")) {
		const char *op = last_name(json_object_get(f, "name"));
		json_t *la = json_object_get(json_object_get(l, "RowExpr"), "args");
		json_t *ra = json_object_get(json_object_get(r, "RowExpr"), "args");
		size_t n = json_array_size(la), i;

		if (op && (strcmp(op, "=") == 0 || strcmp(op, "<>") == 0) && n > 0 && n == json_array_size(ra)) {
			json_t *args = json_array();

			for (i = 0; i < n; i++)
				json_array_append_new(args, mkop("AEXPR_OP", op, nx(json_array_get(la, i)), nx(json_array_get(ra, i))));
			if (n == 1) {
				out = json_incref(json_array_get(args, 0));
				json_decref(args);
				return out;
			}
			return flatten_bool(op[0] == '=' ? "AND_EXPR" : "OR_EXPR", args);
		}
	}
	/* a IS NOT DISTINCT FROM b is stored NOT (a IS DISTINCT FROM b) (make_distinct_op + NOT) */
	if (strcmp(kind, "AEXPR_NOT_DISTINCT") == 0) {
		json_t *d = json_deep_copy(f), *o;

		json_object_set_new(d, "kind", json_string("AEXPR_DISTINCT"));
		o = node("A_Expr", d);
		out = mkbool("NOT_EXPR", json_pack("[o]", nx(o)));
		json_decref(o);
		return out;
	}
	/* LIKE, ILIKE, SIMILAR TO are their operators (~~, ~~*, !~~, ~ similar_to_escape(...)) */
	if (strcmp(kind, "AEXPR_LIKE") == 0 || strcmp(kind, "AEXPR_ILIKE") == 0 || strcmp(kind, "AEXPR_SIMILAR") == 0)
		kind = "AEXPR_OP";
	out = json_pack("{s:s, s:o}", "kind", kind, "name", last_only(json_object_get(f, "name")));
	json_t *nl = l ? typed_operand(l, r) : NULL, *nr = r ? typed_operand(r, l) : NULL;

	/* a cast to a numeric type beside an integer constant is the user's (PostgreSQL casts the
	   other operand to the constant's type, never the reverse): a::numeric / 3 is not a / 3 */
	if (nl && nr) {
		/* ^ has no integer version: PostgreSQL casts both of its operands itself */
		const char *opn = last_name(json_object_get(f, "name"));
		int ints = !opn || strcmp(opn, "^") != 0;
		int lk = keep_soft(nl, nr, r, ints, opn), rk = keep_soft(nr, nl, l, ints, opn);
		int ln = lk && json_is_true(json_object_get(json_object_get(nl, "TypeCast"), "soft"));
		int rn = rk && json_is_true(json_object_get(json_object_get(nr, "TypeCast"), "soft"));

		nl = settle(nl, lk);
		nr = settle(nr, rk);
		if (ln && !rn)
			match_cast(nl, &nr, r);
		else if (rn && !ln)
			match_cast(nr, &nl, l);
	}
	if (nl)
		json_object_set_new(out, "lexpr", nl);
	if (nr) {
		const char *v = const_v(nr), *op = last_name(json_object_get(f, "name"));

		/* a minus before a constant is a negative constant (the catalog prints '-1'::integer) */
		if (!l && v && op && strcmp(op, "-") == 0 && (isdigit((unsigned char)v[0]) || v[0] == '-')) {
			char *neg = v[0] == '-' ? xstrdup(v + 1) : xasprintf("-%s", v);
			json_t *c = num_const(neg);

			free(neg);
			json_decref(nr);
			json_decref(out);
			return c;
		}
		json_object_set_new(out, "rexpr", nr);
	}
	return node("A_Expr", out);
}

/* A cast kept in the normalized tree: arg (a new reference, taken) cast to t. soft marks a cast to
   a numeric type on an expression that is not a constant: PostgreSQL adds such casts itself to
   match an operand (int_col > 1.5 is stored (int_col)::numeric > 1.5), so whether one is the
   user's is settled where its operator is known (settle); elsewhere it is dropped. */
static json_t *
mkcast(json_t *arg, const char *t, int soft)
{
	json_t *f = json_pack("{s:o, s:{s:s}}", "arg", arg, "typeName", "name", t);

	if (soft)
		json_object_set_new(f, "soft", soft == 2 ? json_string("domain") : soft == 3 ? json_string("typed") : json_true());
	return node("TypeCast", f);
}

/* The value of constant node c (normalized) cast to t: its text read again as t where t is a
   numeric type (an inner cast made it a string: ('1.5'::numeric)::numeric(10,2)). New reference. */
static json_t *
recast_const(json_t *c, const char *t)
{
	const char *v = const_v(c);
	char *b = type_base(t);
	char *x = NULL;

	if (v && (in_list(b, int_types) || in_list(b, float_types)))
		x = canon_number(v);
	else if (v && strcmp(b, "numeric") == 0)
		x = canon_numeric(v);
	free(b);
	if (!x)
		return json_incref(c);
	json_t *n = vconst(x);

	free(x);
	return n;
}

/* Whether n (normalized) is a cast to a type that is none of the built-in scalar types PostgreSQL
   promotes between: a domain, perhaps (its value is shown cast to its base type where used). */
static int
domain_cast(json_t *n)
{
	json_t *f;
	const char *t;
	char *b;
	int r;

	if (!is_type(n, "TypeCast") || !ntype(n, &f) || !(t = json_string_value(json_object_get(json_object_get(f, "typeName"), "name"))))
		return 0;
	b = type_base(t);
	r = !in_list(b, int_types) && !in_list(b, float_types) && strcmp(b, "numeric") != 0 && !promotion_type(b) &&
	    !strchr(b, '[');
	free(b);
	return r;
}

/* The unit a bare number means in an interval literal whose type names its fields (interval '1'
   hour is one hour: the typmod's field mask, its lowest field, as DecodeInterval reads it); NULL
   when the type has no fields. tn: the TypeName's fields (raw). */
static const char *
interval_unit(json_t *tn)
{
	json_t *m = json_object_get(json_object_get(json_array_get(json_object_get(tn, "typmods"), 0), "A_Const"), "ival");
	json_int_t mask;

	if (!m)
		return NULL;
	mask = json_integer_value(json_object_get(m, "ival")); /* a mask of 0 is written without its value */
	if (mask == 0 || mask == 0x7FFF)
		return NULL;
	if (mask & (1 << 12))
		return "second";
	if (mask & (1 << 11))
		return "minute";
	if (mask & (1 << 10))
		return "hour";
	if (mask & (1 << 3))
		return "day";
	if (mask & (1 << 1)) /* MONTH is 1, YEAR 2 in datetime.h */
		return "month";
	if (mask & (1 << 2))
		return "year";
	return NULL;
}

/* Whether PostgreSQL has an implicit cast from s to t (base names) that keeps the value: the
   widenings parse analysis adds to an operand to match the other one (int_col > bigint_col is
   not one of them: a cross-type operator takes both as they are, but the value compared is the
   same). */
static int
widens(const char *s, const char *t)
{
	static const char *const w[][2] = {
		{ "smallint", "integer" }, { "smallint", "bigint" }, { "integer", "bigint" },
		{ "smallint", "numeric" }, { "integer", "numeric" }, { "bigint", "numeric" },
		{ "smallint", "real" }, { "integer", "real" }, { "bigint", "real" }, { "numeric", "real" },
		{ "smallint", "double precision" }, { "integer", "double precision" }, { "bigint", "double precision" },
		{ "numeric", "double precision" }, { "real", "double precision" },
		{ "character", "text" }, { "bpchar", "text" }, { "name", "text" },
		{ "date", "timestamp without time zone" }, { "date", "timestamp with time zone" },
		{ "timestamp without time zone", "timestamp with time zone" },
	};

	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
		if (strcmp(s, w[i][0]) == 0 && strcmp(t, w[i][1]) == 0)
			return 1;
	return 0;
}

/* na (normalized, taken) cast to t, na's own type being s (a column's, a cast's): no cast when
   it is a no-op (s is t; a domain's base type; varchar to text, whose operators are varchar's, and
   text to varchar without a length);
   soft when it is a widening PostgreSQL adds itself where the other operand has type t (settled
   at the operator); kept otherwise: a narrowing, a conversion to text or between date/time types,
   a typmod, is the user's and changes the value. */
static json_t *
typed_cast(json_t *na, const char *s, const char *t)
{
	char *sb = type_base(s), *te = xstrdup(t);
	size_t sl = strlen(sb), tl = strlen(te);

	/* an array to an array: the rule of its elements (varchar[] to text[] as varchar to text) */
	if (sl > 2 && tl > 2 && strcmp(sb + sl - 2, "[]") == 0 && strcmp(te + tl - 2, "[]") == 0)
		sb[sl - 2] = 0, te[tl - 2] = 0;
	/* text and varchar without a length are one value under two labels (binary coercible both
	   ways): PostgreSQL relabels either to the other where a common type is chosen (COALESCE(vc,
	   t) casts t to varchar, the first one's type) */
	int same = strcmp(s, t) == 0, varchar = (strcmp(sb, "character varying") == 0 && strcmp(te, "text") == 0) ||
	    (strcmp(sb, "text") == 0 && strcmp(te, "character varying") == 0);
	int soft = !has_typmod(t) && widens(sb, te);

	json_t *out;

	if (same || varchar) {
		free(sb), free(te);
		return na;
	}
	if (!soft) {
		free(sb), free(te);
		return mkcast(na, t, 0);
	}
	out = mkcast(na, t, in_list(t, float_types) || strcmp(t, "numeric") == 0 ? 1 : 3);
	/* what it widens from: character and name have operators of their own (keep_soft) */
	json_object_set_new(json_object_get(out, "TypeCast"), "from", json_string(sb));
	free(sb), free(te);
	return out;
}

/* The result type of a call of a built-in function where it is known for sure (canonical name,
   newly allocated; NULL otherwise): a fixed type (count is bigint, length integer), or one that
   follows the type of the first argument (a column's, a cast's, another such call's): sum and
   avg of the integer types, min and max, abs, the window functions that return their argument.
   A function of a user schema is no built-in: a schema other than pg_catalog gives NULL. */
static char *
func_type(json_t *n)
{
	static const char *const fixed[][2] = {
		{ "count", "bigint" }, { "row_number", "bigint" }, { "rank", "bigint" }, { "dense_rank", "bigint" },
		{ "ntile", "integer" }, { "length", "integer" }, { "char_length", "integer" },
		{ "character_length", "integer" }, { "octet_length", "integer" }, { "bit_length", "integer" },
		{ "strpos", "integer" }, { "array_length", "integer" }, { "cardinality", "integer" },
		{ "ascii", "integer" }, { "pg_trigger_depth", "integer" },
		{ "lower", "text" }, { "upper", "text" }, { "btrim", "text" }, { "ltrim", "text" }, { "rtrim", "text" },
		{ "initcap", "text" }, { "replace", "text" }, { "concat", "text" }, { "concat_ws", "text" },
		{ "format", "text" }, { "md5", "text" }, { "repeat", "text" }, { "reverse", "text" }, { "lpad", "text" },
		{ "rpad", "text" }, { "left", "text" }, { "right", "text" }, { "to_char", "text" },
		{ "translate", "text" }, { "split_part", "text" }, { "substr", "text" }, { "regexp_replace", "text" },
		{ "current_setting", "text" }, { "jsonb_typeof", "text" }, { "json_typeof", "text" },
		{ "now", "timestamp with time zone" }, { "clock_timestamp", "timestamp with time zone" },
		{ "statement_timestamp", "timestamp with time zone" }, { "transaction_timestamp", "timestamp with time zone" },
		{ "to_date", "date" }, { "date_part", "double precision" }, { "random", "double precision" },
		{ "percent_rank", "double precision" }, { "cume_dist", "double precision" }, { "extract", "numeric" },
		{ "bool_and", "boolean" }, { "bool_or", "boolean" }, { "every", "boolean" },
	};
	/* the argument types min and max keep (varchar's are text's: max(text) is the one called) */
	static const char *const ordered[] = { "smallint", "integer", "bigint", "numeric", "real", "double precision",
		"date", "timestamp without time zone", "timestamp with time zone", "interval", "text", NULL };
	static const char *const numbers[] = { "smallint", "integer", "bigint", "numeric", "real", "double precision", NULL };
	json_t *f, *names, *args, *a0;
	const char *fn, *schema;
	char *at = NULL, *b, *out = NULL;

	if (!is_type(n, "FuncCall") || !ntype(n, &f))
		return NULL;
	names = json_object_get(f, "funcname");
	fn = last_name(names);
	schema = json_array_size(names) > 1 ? sval(json_array_get(names, json_array_size(names) - 2)) : NULL;
	if (!fn || (schema && strcmp(schema, "pg_catalog") != 0) || json_object_get(f, "agg_distinct") ||
	    json_object_get(f, "func_variadic"))
		return NULL;
	args = json_object_get(f, "args");
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strcmp(fn, fixed[i][0]) == 0) {
			/* substr, btrim, ltrim, rtrim of a bytea are bytea */
			char *a = strcmp(fixed[i][1], "text") == 0 ? raw_type(json_array_get(args, 0)) : NULL;
			int bytes = a && strcmp(a, "bytea") == 0;

			free(a);
			return bytes ? NULL : xstrdup(fixed[i][1]);
		}
	if (json_array_size(args) < 1)
		return NULL;
	a0 = json_array_get(args, 0);
	if (!(at = raw_type(a0)) && !(at = func_type(a0)))
		return NULL;
	b = type_base(at);
	free(at);
	if (strcmp(b, "character varying") == 0 && (strcmp(fn, "min") == 0 || strcmp(fn, "max") == 0))
		out = xstrdup("text");
	else if ((strcmp(fn, "min") == 0 || strcmp(fn, "max") == 0) && json_array_size(args) == 1 && in_list(b, ordered))
		out = xstrdup(b);
	else if (strcmp(fn, "sum") == 0 && json_array_size(args) == 1 && in_list(b, numbers))
		out = xstrdup(strcmp(b, "smallint") == 0 || strcmp(b, "integer") == 0 ? "bigint"
		              : strcmp(b, "bigint") == 0                              ? "numeric"
		                                                                      : b);
	else if (strcmp(fn, "avg") == 0 && json_array_size(args) == 1 && in_list(b, numbers))
		out = xstrdup(in_list(b, float_types) ? "double precision" : "numeric");
	else if (strcmp(fn, "abs") == 0 && json_array_size(args) == 1 && in_list(b, numbers))
		out = xstrdup(b);
	else if ((strcmp(fn, "lag") == 0 || strcmp(fn, "lead") == 0 || strcmp(fn, "first_value") == 0 ||
	             strcmp(fn, "last_value") == 0) && json_array_size(args) == 1 && in_list(b, scalar_types))
		out = xstrdup(b);
	free(b);
	return out;
}

static json_t *
norm_typecast(json_t *f)
{
	json_t *arg = json_object_get(f, "arg"), *na, *cf, *x;
	char *t = type_name(json_object_get(f, "typeName")), *b = type_base(t);
	int tm = has_typmod(t) && strcmp(b, "interval") != 0 && strncmp(b, "timestamp", 9) != 0 &&
	    strncmp(b, "time ", 5) != 0 && strcmp(b, "time") != 0;
	json_t *out;

	if (is_type(arg, "A_Const") && ntype(arg, &cf) && (x = json_object_get(json_object_get(cf, "sval"), "sval"))) {
		/* a string literal is a constant of the cast's type: PostgreSQL reads it with that type's
		   input function (the catalog prints the value so read) */
		int iv = strncmp(b, "interval", 8) == 0;
		const char *unit = iv ? interval_unit(json_object_get(json_object_get(f, "typeName"), "TypeName")) : NULL;
		const char *lit = json_string_value(x);
		char *end;

		if (!unit)
			unit = iv ? interval_unit(json_object_get(f, "typeName")) : NULL;
		if (unit && *lit && (strtod(lit, &end), end != lit) && !*end) {
			char *u = xasprintf("%s %s", lit, unit);

			/* the value so read; the fields' truncation of a longer text is not done */
			na = typed_const(u, "interval");
			free(u);
		} else
			na = typed_const(lit, t);
	} else {
		na = nx(arg);
		if (is_type(na, "A_Const") && const_v(na)) {
			json_t *c = recast_const(na, t);

			json_decref(na);
			na = c;
			/* a boolean word read as a boolean, as for a string literal */
			if (strcmp(b, "boolean") == 0 && bool_word(const_v(na))) {
				c = vconst(bool_word(const_v(na)));
				json_decref(na);
				na = c;
			}
		}
	}
	char *st = is_const(na) ? NULL : raw_type(arg), *ft = NULL;

	if (!st && !is_const(na) && !has_typmod(t) && (ft = func_type(arg)) && strcmp(ft, t) == 0)
		/* a cast to the type the function returns already: coerce_type makes nothing of it */
		out = na;
	else if (is_const(na)) {
		/* the label the catalog puts on every literal is its type: dropped, the value read as that
		   type stays; a type modifier is a conversion of its own (numeric(10,2), varchar(3)) */
		out = tm ? mkcast(na, t, 0) : na;
	} else if (st)
		/* the column's (the inner cast's) type is known: the cast is the user's unless it is one
		   PostgreSQL adds itself */
		out = typed_cast(na, st, t);
	else if (has_typmod(t))
		/* a typmod on a cast of a non-constant rounds (timestamp(0), interval(2)): the catalog
		   keeps it, as the user wrote it */
		out = mkcast(na, t, 0);
	else if (in_list(b, int_types) && (is_type(na, "ColumnRef") || domain_cast(na)))
		/* a column of a domain over an integer type is shown cast to it where it is an operand
		   ((c)::integer > 0), and so is a cast to such a domain (((id)::posint)::integer > 0):
		   soft, never kept beside an operator */
		out = mkcast(na, t, 2);
	else if (in_list(b, float_types) || strcmp(b, "numeric") == 0)
		out = mkcast(na, t, 1);
	else if (promotion_type(t) && !in_list(b, int_types))
		/* the string types and the date/time promotions: the catalog shows the implicit casts it
		   adds (a varchar column compared to text, a date to a timestamptz) */
		out = na;
	else
		out = mkcast(na, t, 0);
	free(ft);
	free(st);
	free(b);
	free(t);
	return out;
}

/* Whether n is an integer constant (an operator with it never makes PostgreSQL cast the other
   operand to a numeric type: int_col / 3 stays integer division). */
static int
int_const(json_t *n)
{
	const char *v = const_v(n);

	if (!v || !*v)
		return 0;
	if (*v == '-')
		v++;
	return *v && strspn(v, "0123456789") == strlen(v);
}

/* n (normalized, owned) with a soft cast at its top settled: kept (made an ordinary cast) when
   keep, else replaced by its argument. */
static json_t *
settle(json_t *n, int keep)
{
	json_t *f;

	if (!is_type(n, "TypeCast") || !ntype(n, &f) || !json_object_get(f, "soft"))
		return n;
	if (keep) {
		json_object_del(f, "soft");
		json_object_del(f, "from");
		return n;
	}
	json_t *arg = json_incref(json_object_get(f, "arg"));

	json_decref(n);
	return arg;
}

/* Every soft cast left in n dropped (in place; n is a normalized tree of our own). */
static json_t *
unsoft(json_t *n)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			json_array_set_new(n, i, unsoft(json_incref(v)));
		return n;
	}
	if (!json_is_object(n))
		return n;
	while (is_type(n, "TypeCast") && json_object_get(json_object_get(n, "TypeCast"), "soft"))
		n = settle(n, 0);
	if (!json_is_object(n))
		return n;
	json_object_foreach(n, k, v)
		json_object_set_new(n, k, unsoft(json_incref(v)));
	return n;
}

static json_t *
norm_funccall(json_t *f)
{
	json_t *out = json_object(), *v, *names = json_object_get(f, "funcname");
	const char *k, *fn = last_name(names);

	json_object_foreach(f, k, v) {
		if (strcmp(k, "location") == 0 || strcmp(k, "funcformat") == 0)
			continue;
		if (strcmp(k, "funcname") == 0)
			json_object_set_new(out, k, qual_names(v));
		else
			json_object_set_new(out, k, nx(v));
	}
	/* nextval('public.s'::regclass) = nextval('s'): the sequence by the name it resolves to */
	if (fn && (strcmp(fn, "nextval") == 0 || strcmp(fn, "currval") == 0 || strcmp(fn, "setval") == 0)) {
		json_t *args = json_object_get(out, "args");
		const char *a0 = const_v(json_array_get(args, 0));

		if (a0) {
			char *r = regclass_name(a0);

			json_array_set_new(args, 0, node("A_Const", json_pack("{s:s}", "v", r)));
			free(r);
		}
	}
	return node("FuncCall", out);
}

/* The select-list entry a GROUP BY / ORDER BY item stands for: a position or an output name. */
static json_t *
target_ref(json_t *item, json_t *targets, int by_name)
{
	const char *v = NULL;
	json_t *cf;

	if (is_type(item, "A_Const")) {
		json_t *iv = json_object_get(json_object_get(item, "A_Const"), "ival");

		if (iv) {
			json_int_t pos = json_integer_value(json_object_get(iv, "ival"));
			json_t *rt = json_object_get(json_array_get(targets, (size_t)(pos - 1)), "ResTarget");

			if (pos >= 1 && rt)
				return json_object_get(rt, "val");
		}
	}
	if (by_name && is_type(item, "ColumnRef") && (ntype(item, &cf), json_array_size(json_object_get(cf, "fields")) == 1) &&
	    (v = last_name(json_object_get(cf, "fields")))) {
		size_t i;
		json_t *t;

		json_array_foreach(targets, i, t) {
			json_t *rt = json_object_get(t, "ResTarget");
			const char *nm = json_string_value(json_object_get(rt, "name"));

			if (nm && strcmp(nm, v) == 0)
				return json_object_get(rt, "val");
		}
	}
	return NULL;
}

/* Whether a select-list entry is * or t.* (no name of its own). */
static int
is_star(json_t *val)
{
	json_t *fields = json_object_get(json_object_get(val, "ColumnRef"), "fields");

	return fields && is_type(json_array_get(fields, json_array_size(fields) - 1), "A_Star");
}

static json_t *norm_select(json_t *f, int names);

/* norm_select of bare fields, without the {"SelectStmt": } wrapper around the result. */
static json_t *
norm_select_bare(json_t *f, int names)
{
	json_t *n = norm_select(f, names), *in = json_incref(json_object_get(n, "SelectStmt"));

	json_decref(n);
	return in;
}

static json_t *
norm_select_node(json_t *n, int names)
{
	json_t *f;

	/* libpg_query writes larg and rarg as bare SelectStmt fields */
	if (!is_type(n, "SelectStmt"))
		return json_is_object(n) ? norm_select_bare(n, names) : nx(n);
	ntype(n, &f);
	return norm_select(f, names);
}

/* The names the relations of a FROM list are referred to by (alias, else name; the members of an
   unaliased join each), appended to out as strings. */
static void
lock_names(json_t *items, json_t *out)
{
	json_t *e, *f;
	size_t i;

	json_array_foreach(items, i, e) {
		const char *t = ntype(e, &f), *ref;

		if (!t)
			continue;
		ref = json_string_value(json_object_get(json_object_get(f, "alias"), "aliasname"));
		if (!ref && strcmp(t, "JoinExpr") == 0) {
			json_t *both = json_pack("[O,O]", json_object_get(f, "larg"), json_object_get(f, "rarg"));

			lock_names(both, out);
			json_decref(both);
			continue;
		}
		if (!ref && strcmp(t, "RangeVar") == 0)
			ref = json_string_value(json_object_get(f, "relname"));
		if (ref)
			json_array_append_new(out, json_string(ref));
	}
}

static int
cmp_lock(const void *a, const void *b)
{
	const char *x = json_string_value(json_object_get(json_object_get(*(json_t *const *)a, "LockingClause"), "rel"));
	const char *y = json_string_value(json_object_get(json_object_get(*(json_t *const *)b, "LockingClause"), "rel"));

	return strcmp(x ? x : "", y ? y : "");
}

/* FOR UPDATE / SHARE clauses as the catalog stores them: one per relation (FOR UPDATE OF a, b is
   FOR UPDATE OF a FOR UPDATE OF b), a clause without OF naming every relation of the FROM list
   (transformLockingClause), in the order of their names. */
static json_t *
norm_locking(json_t *clauses, json_t *from)
{
	json_t *out = json_array(), *c, *r;
	size_t i, j;

	json_array_foreach(clauses, i, c) {
		json_t *lf = json_object_get(c, "LockingClause"), *rels = json_array();

		if (!lf) {
			json_decref(rels);
			json_array_append_new(out, nx(c));
			continue;
		}
		json_array_foreach(json_object_get(lf, "lockedRels"), j, r) {
			const char *rn = json_string_value(json_object_get(json_object_get(r, "RangeVar"), "relname"));

			if (rn)
				json_array_append_new(rels, json_string(rn));
		}
		if (!json_array_size(json_object_get(lf, "lockedRels")))
			lock_names(from, rels);
		json_array_foreach(rels, j, r)
			json_array_append_new(out, node("LockingClause", json_pack("{s:O, s:o?, s:o?}", "rel", r,
			    "strength", nx(json_object_get(lf, "strength")), "waitPolicy", nx(json_object_get(lf, "waitPolicy")))));
		json_decref(rels);
	}
	jsonl_sort(out, cmp_lock);
	return out;
}

/* names: whether the output names count; a set operation takes them from its first branch only */
static json_t *
norm_select(json_t *f, int names)
{
	json_t *out = json_object(), *v, *targets = json_object_get(f, "targetList");
	const char *k;
	size_t i;
	int scope = nx_scope;

	nx_scope = count_scope(json_object_get(f, "fromClause"));
	nx_depth++;
	json_t *invented = json_array(), *level = json_array(), *cte;
	size_t nctes = json_array_size(nx_ctes);

	/* the CTEs of this level are in scope of its FROM and of every level inside it */
	if (!nx_ctes)
		nx_ctes = json_array();
	json_array_foreach(json_object_get(json_object_get(json_object_get(f, "withClause"), "WithClause"), "ctes"), i, cte) {
		const char *cn = json_string_value(json_object_get(json_object_get(cte, "CommonTableExpr"), "ctename"));

		if (cn)
			json_array_append_new(nx_ctes, json_string(cn));
	}
	scope_items(json_object_get(f, "fromClause"), level);
	if (!nx_levels)
		nx_levels = json_array();
	json_array_append_new(nx_levels, level);

	note_invented(json_object_get(f, "fromClause"), invented);
	json_object_foreach(f, k, v) {
		json_t *a, *e;

		if (strcmp(k, "targetList") == 0) {
			a = json_array();
			json_array_foreach(v, i, e) {
				json_t *rf = json_object_get(e, "ResTarget"), *val = json_object_get(rf, "val");
				const char *name = json_string_value(json_object_get(rf, "name"));
				json_t *nt = json_object();

				/* every entry carries its output name: the one given, else PostgreSQL's */
				if (!name && figure(val, &name) == 0)
					name = "?column?";
				if (is_star(val) || !names)
					name = NULL;
				if (name)
					json_object_set_new(nt, "name", json_string(name));
				if (val)
					/* a cast on a select-list entry is the user's: the output's type */
					json_object_set_new(nt, "val", settle(nx(val), 1));
				if (json_object_get(rf, "indirection"))
					json_object_set_new(nt, "indirection", nx(json_object_get(rf, "indirection")));
				json_array_append_new(a, node("ResTarget", nt));
			}
			json_object_set_new(out, k, a);
		} else if (strcmp(k, "groupClause") == 0) {
			a = json_array();
			json_array_foreach(v, i, e) {
				/* GROUP BY a position, or an output name given to an expression (an input
				   column of that name would win: rare, and then the forms differ) */
				json_t *t = target_ref(e, targets, 0);

				if (!t && (t = target_ref(e, targets, 1)) && is_type(t, "ColumnRef"))
					t = NULL;

				json_array_append_new(a, nx(t ? t : e));
			}
			json_object_set_new(out, k, a);
		} else if (strcmp(k, "sortClause") == 0) {
			a = json_array();
			json_array_foreach(v, i, e) {
				json_t *sf = json_object_get(e, "SortBy"), *ns = json_object();
				const char *dir = json_string_value(json_object_get(sf, "sortby_dir"));
				const char *nulls = json_string_value(json_object_get(sf, "sortby_nulls"));
				json_t *t = target_ref(json_object_get(sf, "node"), targets, 1);
				int desc = dir && strcmp(dir, "SORTBY_DESC") == 0, using_cmp = 0;

				if (!sf) {
					json_array_append_new(a, nx(e));
					continue;
				}
				json_object_set_new(ns, "node", nx(t ? t : json_object_get(sf, "node")));
				/* USING < and USING > are ASC and DESC: the catalog prints them so */
				if (dir && strcmp(dir, "SORTBY_USING") == 0) {
					const char *uo = last_name(json_object_get(sf, "useOp"));

					if (uo && (strcmp(uo, "<") == 0 || strcmp(uo, ">") == 0)) {
						desc = uo[0] == '>';
						dir = desc ? "SORTBY_DESC" : "SORTBY_ASC";
						using_cmp = 1;
					}
				}
				/* ASC and the direction's default NULLS placement are what the catalog omits */
				if (dir && (desc || strcmp(dir, "SORTBY_USING") == 0))
					json_object_set_new(ns, "dir", json_string(dir));
				if (nulls && !(desc ? strcmp(nulls, "SORTBY_NULLS_FIRST") == 0 : strcmp(nulls, "SORTBY_NULLS_LAST") == 0) &&
				    strcmp(nulls, "SORTBY_NULLS_DEFAULT") != 0)
					json_object_set_new(ns, "nulls", json_string(nulls));
				if (json_object_get(sf, "useOp") && !using_cmp)
					json_object_set_new(ns, "useOp", last_only(json_object_get(sf, "useOp")));
				json_array_append_new(a, node("SortBy", ns));
			}
			json_object_set_new(out, k, a);
		} else if (strcmp(k, "lockingClause") == 0) {
			json_object_set_new(out, k, norm_locking(v, json_object_get(f, "fromClause")));
		} else if (strcmp(k, "larg") == 0 || strcmp(k, "rarg") == 0)
			json_object_set_new(out, k, norm_select_node(v, names && k[0] == 'l'));
		else if (strcmp(k, "location") != 0)
			json_object_set_new(out, k, nx(v));
	}
	nx_scope = scope;
	nx_depth--;
	json_array_remove(nx_levels, json_array_size(nx_levels) - 1);
	while (json_array_size(nx_ctes) > nctes)
		json_array_remove(nx_ctes, json_array_size(nx_ctes) - 1);
	json_array_foreach(invented, i, v)
		json_object_del(nx_invented, json_string_value(v));
	json_decref(invented);
	return node("SelectStmt", out);
}

/* A RETURNING list: every entry with its output name, the one given else PostgreSQL's (the
   catalog prints RETURNING NULL::integer AS int4). */
static json_t *
returning_list(json_t *list)
{
	json_t *a = json_array(), *e;
	size_t i;

	json_array_foreach(list, i, e) {
		json_t *rf = json_object_get(e, "ResTarget"), *val = json_object_get(rf, "val"), *o;
		const char *name = json_string_value(json_object_get(rf, "name"));

		if (!rf) {
			json_array_append_new(a, nx(e));
			continue;
		}
		o = nx_fields(rf);
		if (!name && figure(val, &name) == 0)
			name = "?column?";
		if (is_star(val))
			json_object_del(o, "name");
		else
			json_object_set_new(o, "name", json_string(name));
		json_array_append_new(a, node("ResTarget", o));
	}
	return a;
}

/* Generic: the same object without locations, its values normalized. */
static json_t *
nx_fields(json_t *f)
{
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach(f, k, v)
		if (strcmp(k, "returningList") == 0)
			json_object_set_new(out, k, returning_list(v));
		else if (strcmp(k, "location") != 0 && strcmp(k, "stmt_location") != 0 && strcmp(k, "stmt_len") != 0)
			json_object_set_new(out, k, nx(v));
	return out;
}

/* Whether alias (normalized Alias fields) is rel_N, the name the deparser makes up for rel. */
static int
invented_alias(json_t *alias, const char *rel)
{
	const char *a = json_string_value(json_object_get(alias, "aliasname"));
	size_t n = rel ? strlen(rel) : 0;

	if (!a || !rel || json_object_get(alias, "colnames") || strncmp(a, rel, n) != 0 || a[n] != '_' || !a[n + 1])
		return 0;
	for (a += n + 1; *a; a++)
		if (!isdigit((unsigned char)*a))
			return 0;
	return 1;
}

static json_t *
nx(json_t *n)
{
	json_t *f, *v;
	const char *t;
	size_t i;

	if (json_is_array(n)) {
		json_t *a = json_array();

		json_array_foreach(n, i, v)
			json_array_append_new(a, nx(v));
		return a;
	}
	if (!json_is_object(n))
		return json_incref(n);
	if (!(t = ntype(n, &f))) {
		json_t *o = nx_fields(n);

		/* a bare RangeVar (the target of INSERT, UPDATE, DELETE): its schema as a RangeVar's */
		if (json_object_get(o, "relname") && json_object_get(o, "relpersistence")) {
			json_object_del(o, "schemaname");
			json_object_del(o, "catalogname");
		}
		return o;
	}
	if (strcmp(t, "A_Const") == 0)
		return norm_const(f);
	if (strcmp(t, "A_Expr") == 0)
		return norm_aexpr(f);
	if (strcmp(t, "TypeCast") == 0)
		return norm_typecast(f);
	if (strcmp(t, "FuncCall") == 0)
		return norm_funccall(f);
	if (strcmp(t, "SelectStmt") == 0)
		return norm_select(f, 1);
	if (strcmp(t, "TypeName") == 0) {
		char *s = type_name(f);
		json_t *o = node("TypeName", json_pack("{s:s}", "name", s));

		free(s);
		return o;
	}
	if (strcmp(t, "ColumnRef") == 0) { /* the catalog qualifies columns with their table in views */
		json_t *fields = json_object_get(f, "fields");
		const char *q = sval(json_array_get(fields, 0));

		size_t n = json_array_size(fields);

		/* but OLD.x and NEW.x of a trigger's WHEN are two different columns, and so are a.x and
		   b.x where a and b are both in scope (the schema of a.x is never kept: the catalog
		   names a relation by its alias or its name alone) */
		if (n == 2 && q && (strcmp(q, "old") == 0 || strcmp(q, "new") == 0))
			return node(t, json_pack("{s:O}", "fields", fields));
		if (n >= 2 && (nx_scope > 1 || nx_depth > 1)) {
			json_t *rel = json_object_get(nx_invented, sval(json_array_get(fields, n - 2)) ? sval(json_array_get(fields, n - 2)) : "");

			if (rel)
				return node(t, json_pack("{s:[{s:{s:O}},O]}", "fields", "String", "sval", rel, json_array_get(fields, n - 1)));
			return node(t, json_pack("{s:[O,O]}", "fields", json_array_get(fields, n - 2), json_array_get(fields, n - 1)));
		}
		return node(t, json_pack("{s:o}", "fields", last_only(fields)));
	}
	if (strcmp(t, "BoolExpr") == 0) {
		const char *op = json_string_value(json_object_get(f, "boolop"));

		return flatten_bool(op ? op : "AND_EXPR", nx(json_object_get(f, "args")));
	}
	if (strcmp(t, "RangeVar") == 0) {
		json_t *o = nx_fields(f);

		/* the catalog qualifies every relation, a file names it through its search_path */
		json_object_del(o, "schemaname");
		json_object_del(o, "catalogname");
		/* pg_get_viewdef names a relation met twice in a query r_1, r_2 (set_rtable_names: a
		   recursive view's self-reference, a table joined to itself): such an alias is dropped on
		   both sides, column references keep only their last name anyway */
		if (invented_alias(json_object_get(o, "alias"), json_string_value(json_object_get(o, "relname"))))
			json_object_del(o, "alias");
		return node(t, o);
	}
	if (strcmp(t, "CollateClause") == 0 || strcmp(t, "SubLink") == 0) {
		json_t *o = nx_fields(f);
		const char *key = t[0] == 'C' ? "collname" : "operName";

		if (json_object_get(o, key))
			json_object_set_new(o, key, last_only(json_object_get(o, key)));
		/* x = ANY (SELECT ...) is x IN (SELECT ...): the grammar leaves IN's operator out,
		   transformSubLink puts "=" there, and the catalog prints it as IN */
		if (t[0] == 'S') {
			const char *k = json_string_value(json_object_get(o, "subLinkType"));
			const char *op = sval(json_array_get(json_object_get(o, key), 0));

			if (k && op && strcmp(k, "ANY_SUBLINK") == 0 && strcmp(op, "=") == 0)
				json_object_del(o, key);
		}
		return node(t, o);
	}
	if (strcmp(t, "RangeSubselect") == 0)
		return norm_subselect(f);
	if (strcmp(t, "RangeFunction") == 0) { /* LATERAL: as for a sub-select */
		json_t *o = nx_fields(f), *al, *cn, *kc = rangefunc_cols(f), *e;
		const char *an;
		json_t *f0 = json_array_get(json_object_get(f, "functions"), 0);
		const char *fn;

		if (json_object_get(f0, "List"))
			f0 = json_object_get(json_object_get(f0, "List"), "items");
		fn = last_name(json_object_get(json_object_get(json_array_get(f0, 0), "FuncCall"), "funcname"));

		/* columns known (a built-in function's): the catalog prints the alias with every column,
		   e(key, value) for jsonb_each(x) e */
		if (kc && !json_object_get(f, "coldeflist")) {
			json_t *names = json_array();
			const char *ref = json_string_value(json_object_get(json_object_get(f, "alias"), "aliasname"));

			json_array_foreach(kc, i, e)
				json_array_append_new(names, node("String", json_pack("{s:O}", "sval", e)));
			json_object_set_new(o, "alias", json_pack("{s:s, s:o}", "aliasname", ref ? ref : fn, "colnames", names));
		}
		json_decref(kc);
		al = json_object_get(o, "alias");
		cn = json_object_get(al, "colnames");
		an = json_string_value(json_object_get(al, "aliasname"));
		json_object_del(o, "lateral");
		/* a function returning a scalar: the catalog names its one column after the alias
		   (unnest(xs) x(x)), and gives the function's name as the alias when there is none
		   (unnest(xs) unnest(unnest)) */
		if (an && json_array_size(cn) == 1 && sval(json_array_get(cn, 0)) && strcmp(sval(json_array_get(cn, 0)), an) == 0)
			json_object_del(al, "colnames");
		if (an && fn && strcmp(an, fn) == 0 && !json_object_get(al, "colnames"))
			json_object_del(o, "alias");
		return node(t, o);
	}
	if (strcmp(t, "CaseExpr") == 0) { /* a CASE without ELSE is ELSE NULL (transformCaseExpr) */
		json_t *o = nx_fields(f);

		if (!json_object_get(o, "defresult"))
			json_object_set_new(o, "defresult", node("A_Const", json_pack("{s:b}", "null", 1)));
		return node(t, o);
	}
	if (strcmp(t, "RowExpr") == 0) {
		json_t *o = nx_fields(f);

		json_object_del(o, "row_format");
		return node(t, o);
	}
	return node(t, nx_fields(f));
}

struct vq;
static json_t *select_names(json_t *sel, struct vq *v);
static struct vq *vq_plain(void);

/* A subquery in FROM with a column alias list: the catalog prints the whole list (the subquery's
   own names past the given ones), and none when it names nothing new. */
static json_t *
norm_subselect(json_t *f)
{
	json_t *copy = json_deep_copy(f), *alias = json_object_get(copy, "alias"), *out;
	json_t *names = json_object_get(alias, "colnames") ? select_names(json_object_get(f, "subquery"), vq_plain()) : NULL;

	if (names) {
		json_t *eff = json_array(), *e;
		size_t i;
		int same = 1;

		json_array_foreach(names, i, e) {
			json_t *given = json_array_get(json_object_get(alias, "colnames"), i);
			const char *n = given && sval(given) ? sval(given) : json_string_value(e);

			same &= strcmp(n, json_string_value(e)) == 0;
			json_array_append_new(eff, node("String", json_pack("{s:s}", "sval", n)));
		}
		if (same) {
			json_object_del(alias, "colnames");
			json_decref(eff);
		} else
			json_object_set_new(alias, "colnames", eff);
		json_decref(names);
	}
	/* LATERAL: the catalog prints it where the item refers to earlier ones (then the user wrote
	   it, or it is a function, implicitly lateral), and it means nothing where it does not */
	json_object_del(copy, "lateral");
	out = node("RangeSubselect", nx_fields(copy));
	json_decref(copy);
	return out;
}

/* ---------- entry points ---------- */

static char *
form_of(json_t *tree)
{
	char *s = json_dumps(tree, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	char hex[SHA256_HEX];

	if (!s)
		die(EX_FAIL, "out of memory");
	sha256_hex(s, strlen(s), hex);
	free(s);
	hex[16] = 0;
	return xstrdup(hex);
}

static json_t *
tree_of(json_t *n)
{
	if (json_is_array(n) && json_array_size(n) == 1)
		n = json_array_get(n, 0);
	/* a cast around the whole expression is the user's (an index key (a::numeric)) */
	return unsoft(settle(nx(n), 1));
}

static json_t *parse_text(const char *text, enum nx_kind kind);

/* The normalized tree of n with type the type of the place its value goes to (a column's
   DEFAULT): an untyped string literal there is a constant of that type, as PostgreSQL coerces
   it ('05' for an integer column is 5, '1.50' for a double precision one 1.5). */
static json_t *
tree_as(json_t *n, const char *type)
{
	json_t *f, *x;

	if (json_is_array(n) && json_array_size(n) == 1)
		n = json_array_get(n, 0);
	if (type && *type && is_type(n, "A_Const") && ntype(n, &f) &&
	    (x = json_object_get(json_object_get(f, "sval"), "sval")))
		return typed_const(json_string_value(x), type);
	return tree_of(n);
}

char *
normexpr_node_as(json_t *node, const char *sql, const char *type)
{
	json_t *t;

	if (sql)
		normexpr_fix_consts(node, sql);
	t = tree_as(node, type);
	char *s = form_of(t);

	json_decref(t);
	return s;
}

char *
normexpr_text_as(const char *text, const char *type)
{
	json_t *n = parse_text(text, NX_EXPR), *t;
	char *s;

	if (!n)
		return NULL;
	t = tree_as(n, type);
	json_decref(n);
	s = form_of(t);
	json_decref(t);
	return s;
}

char *
normexpr_node(json_t *node, const char *sql)
{
	json_t *t;

	if (sql)
		normexpr_fix_consts(node, sql);
	t = tree_of(node);
	char *s = form_of(t);

	json_decref(t);
	return s;
}

/* The node of text inside the statement it is wrapped in (new reference), or NULL. */
static json_t *
parse_text(const char *text, enum nx_kind kind)
{
	static const char *const wrap[] = {
		[NX_EXPR] = "SELECT ",
		[NX_QUERY] = "",
		[NX_BOUND] = "CREATE TABLE x PARTITION OF y ",
		[NX_BODY] = "CREATE FUNCTION f() RETURNS void LANGUAGE sql ",
	};
	/* pg_get_ruledef's single action comes after DO ("DO\n NOTIFY chg"): the action is what
	   follows */
	if (kind == NX_QUERY) {
		const char *p = text;

		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, "DO", 2) == 0 && isspace((unsigned char)p[2]))
			text = p + 2;
	}
	char *sql = xasprintf("%s%s", wrap[kind], text);
	PgQueryParseResult r = pg_query_parse(sql);
	json_t *root = NULL, *stmts, *s0, *found = NULL;

	if (!r.error)
		root = json_loads(r.parse_tree, 0, NULL);
	pg_query_free_parse_result(r);
	if (!root) {
		free(sql);
		return NULL;
	}
	normexpr_fix_consts(root, sql);
	free(sql);
	stmts = json_object_get(root, "stmts");
	s0 = json_object_get(json_array_get(stmts, 0), "stmt");
	switch (kind) {
	case NX_EXPR:
		if (json_array_size(stmts) == 1)
			found = json_object_get(json_object_get(json_array_get(json_object_get(json_object_get(s0, "SelectStmt"), "targetList"), 0), "ResTarget"), "val");
		break;
	case NX_QUERY:
		if (json_array_size(stmts) == 1)
			found = s0;
		else if (json_array_size(stmts) > 1) {
			size_t i;
			json_t *e;

			found = json_array();
			json_array_foreach(stmts, i, e)
				json_array_append(found, json_object_get(e, "stmt"));
			json_decref(root);
			return found;
		}
		break;
	case NX_BOUND:
		found = json_object_get(json_object_get(s0, "CreateStmt"), "partbound");
		break;
	case NX_BODY:
		found = json_object_get(json_object_get(s0, "CreateFunctionStmt"), "sql_body");
		break;
	}
	if (found)
		json_incref(found);
	json_decref(root);
	return found;
}

json_t *
normexpr_tree(const char *text, enum nx_kind kind)
{
	json_t *n = parse_text(text, kind), *t;

	if (!n)
		return NULL;
	t = tree_of(n);
	json_decref(n);
	return t;
}

char *
normexpr_text(const char *text, enum nx_kind kind)
{
	json_t *t = normexpr_tree(text, kind);
	char *s;

	if (!t)
		return NULL;
	s = form_of(t);
	json_decref(t);
	return s;
}

/* ---------- partition bounds read as their key's type ---------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long long
days_of(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;

	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void
civil_of(long long z, long long *y, int *m, int *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = era * 400 + yoe + (*m <= 2);
}

/* Digits at *p into *v (at most max of them, at least one); 0 when there are none. */
static int
digits(const char **p, int max, long long *v)
{
	int n = 0;

	*v = 0;
	while (n < max && isdigit((unsigned char)**p)) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

/* A date/time literal in ISO order ('2025-01-01', '2025-01-01 10:30', '2025-01-01T10:30:00.5+02')
   as the key type's output function prints it with DateStyle ISO and TimeZone UTC (what
   conf-inspect sets): date 'YYYY-MM-DD', timestamp 'YYYY-MM-DD HH:MM:SS[.frac]', timestamptz the
   same instant in UTC with '+00' (no offset written: the server's TimeZone, taken as UTC); 'u'
   (type unknown) the UTC instant of an offset, the date alone at midnight, no zone. NULL
   when lit is not such a literal (special values, other orders: left as written). */
static char *
canon_datetime(const char *lit, int kind)
{
	const char *p = lit;
	long long y, mo, d, h = 0, mi = 0, s = 0, oh = 0, om = 0, os = 0;
	char frac[8] = "";
	int sign = 0;

	while (isspace((unsigned char)*p))
		p++;
	/* 'epoch' is a fixed instant (1970-01-01 00:00:00 UTC) that every date/time input reads; the
	   other special words ('today', 'now') are read when the statement runs: left as written */
	if (strncasecmp(p, "epoch", 5) == 0 && !p[5 + strspn(p + 5, " \t\n")]) {
		if (kind == 'd' || kind == 'u')
			return xstrdup("1970-01-01");
		return xasprintf("1970-01-01 00:00:00%s", kind == 'z' ? "+00" : "");
	}
	if (digits(&p, 6, &y) < 4 || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
		return NULL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return NULL;
	if (*p == 'T' || *p == 't' || (*p == ' ' && isdigit((unsigned char)p[1]))) {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return NULL;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return NULL;
			if (*p == '.') {
				size_t n = 0;

				for (p++; isdigit((unsigned char)*p); p++)
					if (n < 6)
						frac[n++] = *p;
				while (n > 0 && frac[n - 1] == '0')
					n--;
				frac[n] = 0;
			}
		}
		if (h > 24 || mi > 59 || s > 60)
			return NULL;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh))
			return NULL;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) && *p == ':') {
			p++;
			digits(&p, 2, &os);
		}
	} else if (strcasecmp(p, "z") == 0 || strcasecmp(p, "utc") == 0 || strcasecmp(p, "gmt") == 0) {
		p += strlen(p);
	}
	if (*p)
		return NULL;
	if (kind == 'd')
		return xasprintf("%04lld-%02lld-%02lld", y, mo, d);
	if (kind == 'z' || (kind == 'u' && sign)) {
		long long t = days_of(y, (int)mo, (int)d) * 86400 + h * 3600 + mi * 60 + s;
		int m2, d2;

		if (sign)
			t -= sign * (oh * 3600 + om * 60 + os);
		long long day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);

		t -= day * 86400;
		civil_of(day, &y, &m2, &d2);
		mo = m2, d = d2, h = t / 3600, mi = t / 60 % 60, s = t % 60;
	}
	if (kind == 'u' && h == 0 && mi == 0 && s == 0 && !frac[0]) /* untyped: midnight is the date */
		return xasprintf("%04lld-%02lld-%02lld", y, mo, d);
	return xasprintf("%04lld-%02lld-%02lld %02lld:%02lld:%02lld%s%s%s", y, mo, d, h, mi, s, frac[0] ? "." : "",
	    frac, kind == 'z' ? "+00" : "");
}

/* Which date/time type a canonical type name is: 'd' date, 't' timestamp, 'z' timestamptz, 0. */
static int
datetime_kind(const char *type)
{
	if (!type)
		return 0;
	if (strcmp(type, "date") == 0)
		return 'd';
	if (strncmp(type, "timestamp", 9) != 0)
		return 0;
	return strstr(type, "with time zone") && !strstr(type, "without") ? 'z' : 't';
}

/* Datum e of a bound, a constant as written ('x', 'x'::type): replaced in place by the text
   the key type's output function prints for it, where the type is one normexpr reads. */
static void
type_datum(json_t *list, size_t i, const char *type)
{
	json_t *e = json_array_get(list, i), *f, *sv;
	const char *v;
	char *c = NULL;

	if (is_type(e, "TypeCast") && ntype(e, &f))
		e = json_object_get(f, "arg");
	if (!is_type(e, "A_Const") || !ntype(e, &f))
		return;
	/* a numeric key's datum is printed with the key's scale: numeric(10,2) prints -1.5 as '-1.50' */
	if (type && strncmp(type, "numeric(", 8) == 0 && strchr(type, ',')) {
		json_t *num = json_object_get(json_object_get(f, "fval"), "fval");
		char *c2;
		long scale = strtol(strchr(type, ',') + 1, NULL, 10);

		if (!num)
			num = json_object_get(json_object_get(f, "sval"), "sval");
		if (!num && json_object_get(f, "ival")) {
			char buf[32];

			snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(json_object_get(json_object_get(f, "ival"), "ival")));
			c2 = canon_numeric(buf);
		} else
			c2 = num ? canon_numeric(json_string_value(num)) : NULL;
		if (c2) {
			const char *dot = strchr(c2, '.');
			long have = dot ? (long)strlen(dot + 1) : 0;
			struct buf b = { 0 };

			buf_puts(&b, c2);
			if (have < scale && !dot)
				buf_puts(&b, ".");
			for (; have < scale; have++)
				buf_puts(&b, "0");
			json_array_set_new(list, i, node("A_Const", json_pack("{s:{s:s}}", "fval", "fval", b.data)));
			buf_free(&b);
			free(c2);
		}
		return;
	}
	if (!(sv = json_object_get(json_object_get(f, "sval"), "sval")))
		return;
	v = json_string_value(sv);
	if (datetime_kind(type))
		c = canon_datetime(v, datetime_kind(type));
	else if (type && strcmp(type, "boolean") == 0 && bool_word(v))
		c = xstrdup(bool_word(v));
	if (c)
		json_array_set_new(list, i, node("A_Const", json_pack("{s:{s:s}}", "sval", "sval", c)));
	free(c);
}

/* Each datum of bound spec f read as its key's type: the k-th of a range bound is key k's,
   every value of a list bound is the single key's. */
static void
type_bound(json_t *f, const char *const *types)
{
	static const char *const lists[] = { "lowerdatums", "upperdatums", "listdatums" };
	size_t n = 0;

	while (types && types[n])
		n++;
	for (size_t l = 0; l < 3; l++) {
		json_t *a = json_object_get(f, lists[l]);

		for (size_t i = 0; i < json_array_size(a); i++) {
			size_t k = l == 2 ? 0 : i;

			if (k < n && types[k][0])
				type_datum(a, i, types[k]);
		}
	}
}

char *
normexpr_bound(const char *text, const char *const *key_types)
{
	json_t *n = parse_text(text, NX_BOUND), *t;
	char *s;

	if (!n)
		return NULL;
	type_bound(n, key_types);
	t = tree_of(n);
	json_decref(n);
	s = form_of(t);
	json_decref(t);
	return s;
}

const char **
normexpr_key_types(json_t *rec)
{
	json_t *keys = json_object_get(json_object_get(rec, "partition_by"), "keys"), *k, *c;
	const char **out = xmalloc((json_array_size(keys) + 1) * sizeof *out);
	size_t i, j;

	json_array_foreach(keys, i, k) {
		const char *col = json_string_value(json_object_get(k, "column"));

		out[i] = "";
		json_array_foreach(json_object_get(rec, "columns"), j, c)
			if (col && json_is_string(json_object_get(c, "type")) && strcmp(col, json_string_value(json_object_get(c, "name"))) == 0)
				out[i] = json_string_value(json_object_get(c, "type"));
	}
	out[json_array_size(keys)] = NULL;
	return out;
}

/* ---------- slicing an expression out of its statement ---------- */

struct tok {
	size_t s, e;
	char kind; /* i identifier or keyword, q quoted identifier, s string, n number, o operator, p punctuation */
};

static int
ident_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The end of a dollar-quote opening tag at p ("$tag$" or "$$"), or 0 when p starts none. */
static size_t
dollar_tag(const char *p)
{
	size_t i = 1;

	if (p[0] != '$')
		return 0;
	if (isdigit((unsigned char)p[1]))
		return 0;
	while (p[i] && p[i] != '$' && (isalnum((unsigned char)p[i]) || p[i] == '_' || (unsigned char)p[i] >= 0x80))
		i++;
	return p[i] == '$' ? i + 1 : 0;
}

/* Every token of sql, comments and whitespace skipped, as the PostgreSQL scanner splits it. */
static struct tok *
tokenize(const char *sql, size_t *ntok)
{
	size_t n = strlen(sql), i = 0, cap = 64, nt = 0;
	struct tok *t = xmalloc(cap * sizeof *t);
	static const char opchars[] = "+-*/<>=~!@#%^&|`?";

	while (i < n) {
		size_t s = i;
		char kind;
		unsigned char c = (unsigned char)sql[i];

		if (isspace(c)) {
			i++;
			continue;
		}
		if (c == '-' && sql[i + 1] == '-') {
			while (i < n && sql[i] != '\n' && sql[i] != '\r')
				i++;
			continue;
		}
		if (c == '/' && sql[i + 1] == '*') {
			int depth = 1;

			for (i += 2; i < n && depth; i++) {
				if (sql[i] == '/' && sql[i + 1] == '*')
					depth++, i++;
				else if (sql[i] == '*' && sql[i + 1] == '/')
					depth--, i++;
			}
			continue;
		}
		if ((c == 'e' || c == 'E' || c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') &&
		    sql[i + 1] == '\'') {
			int esc = c == 'e' || c == 'E';

			for (i += 2; i < n; i++) {
				if (esc && sql[i] == '\\' && i + 1 < n)
					i++;
				else if (sql[i] == '\'' && sql[i + 1] == '\'')
					i++;
				else if (sql[i] == '\'')
					break;
			}
			i++;
			kind = 's';
		} else if ((c == 'u' || c == 'U') && sql[i + 1] == '&' && (sql[i + 2] == '\'' || sql[i + 2] == '"')) {
			char q = sql[i + 2];

			for (i += 3; i < n; i++) {
				if (sql[i] == q && sql[i + 1] == q)
					i++;
				else if (sql[i] == q)
					break;
			}
			i++;
			kind = q == '"' ? 'q' : 's';
		} else if (c == '\'' || c == '"') {
			for (i++; i < n; i++) {
				if (sql[i] == (char)c && sql[i + 1] == (char)c)
					i++;
				else if (sql[i] == (char)c)
					break;
			}
			i++;
			kind = c == '"' ? 'q' : 's';
		} else if (c == '$' && dollar_tag(sql + i)) {
			size_t tl = dollar_tag(sql + i);
			const char *end = NULL;

			for (size_t j = i + tl; j + tl <= n; j++)
				if (strncmp(sql + j, sql + i, tl) == 0) {
					end = sql + j;
					break;
				}
			i = end ? (size_t)(end - sql) + tl : n;
			kind = 's';
		} else if (c == '$' && isdigit((unsigned char)sql[i + 1])) {
			for (i++; i < n && isdigit((unsigned char)sql[i]); i++)
				;
			kind = 'n';
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)sql[i + 1]))) {
			for (; i < n && (isalnum((unsigned char)sql[i]) || sql[i] == '.' || sql[i] == '_'); i++)
				if ((sql[i] == 'e' || sql[i] == 'E') && (sql[i + 1] == '+' || sql[i + 1] == '-'))
					i++;
				else if (sql[i] == '.' && sql[i + 1] == '.')
					break;
			kind = 'n';
		} else if (isalpha(c) || c == '_' || c >= 0x80) {
			while (i < n && ident_char((unsigned char)sql[i]))
				i++;
			kind = 'i';
		} else if (c == ':' && sql[i + 1] == ':') {
			i += 2;
			kind = 'o';
		} else if (strchr("()[],;.:", c)) {
			i++;
			kind = 'p';
		} else if (strchr(opchars, c)) {
			while (i < n && sql[i] && strchr(opchars, sql[i]) && !(sql[i] == '-' && sql[i + 1] == '-') &&
			       !(sql[i] == '/' && sql[i + 1] == '*'))
				i++;
			kind = 'o';
		} else {
			i++;
			kind = 'o';
		}
		if (i > n)
			i = n;
		if (nt == cap)
			t = xrealloc(t, (cap *= 2) * sizeof *t);
		t[nt++] = (struct tok){ s, i, kind };
	}
	*ntok = nt;
	return t;
}

/* Whether token t is the keyword kw (case-insensitive). */
static int
tok_is(const char *sql, const struct tok *t, const char *kw)
{
	size_t l = strlen(kw);

	return t->kind == 'i' && t->e - t->s == l && strncasecmp(sql + t->s, kw, l) == 0;
}

static int
tok_punct(const char *sql, const struct tok *t, char c)
{
	return t->kind == 'p' && sql[t->s] == c;
}

static int
tok_any(const char *sql, const struct tok *t, const char *const *kws)
{
	for (; *kws; kws++)
		if (tok_is(sql, t, *kws))
			return 1;
	return 0;
}

static void
loc_range(json_t *n, long *lo, long *hi)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			loc_range(v, lo, hi);
	} else if (json_is_object(n)) {
		json_object_foreach(n, k, v) {
			if (strcmp(k, "location") == 0 && json_is_integer(v)) {
				long l = (long)json_integer_value(v);

				if (l >= 0 && (*lo < 0 || l < *lo))
					*lo = l;
				if (l > *hi)
					*hi = l;
			} else
				loc_range(v, lo, hi);
		}
	}
}

/* Tokens that may follow the last located token of an expression and still belong to it: the
   rest of a type name, of IS [NOT] NULL, of an interval's fields, of COLLATE name. */
static int
continues(const char *sql, const struct tok *t, const struct tok *prev, const struct tok *next)
{
	static const char *const typewords[] = { "varying", "precision", "zone", NULL };
	static const char *const fields[] = { "year", "month", "day", "hour", "minute", "second", NULL };
	static const char *const isw[] = { "null", "true", "false", "unknown", "document", "normalized",
		"nfc", "nfd", "nfkc", "nfkd", NULL };

	if (tok_any(sql, t, typewords) || tok_any(sql, t, fields))
		return 1;
	/* a negative constant is located at its sign */
	if (t->kind == 'n' && prev->kind == 'o' && prev->e - prev->s == 1 && (sql[prev->s] == '-' || sql[prev->s] == '+'))
		return 1;
	if ((tok_is(sql, t, "with") || tok_is(sql, t, "without")) && next && tok_is(sql, next, "time"))
		return 1;
	if (tok_is(sql, t, "time") && (tok_is(sql, prev, "with") || tok_is(sql, prev, "without")))
		return 1;
	if (tok_is(sql, t, "to") && tok_any(sql, prev, fields))
		return 1;
	if (tok_is(sql, t, "not") && tok_is(sql, prev, "is"))
		return 1;
	if (tok_any(sql, t, isw) && (tok_is(sql, prev, "is") || tok_is(sql, prev, "not")))
		return 1;
	if ((t->kind == 'i' || t->kind == 'q') && tok_is(sql, prev, "collate"))
		return 1;
	if (tok_punct(sql, t, '.') && next && (next->kind == 'i' || next->kind == 'q' || sql[next->s] == '*'))
		return 1;
	if ((t->kind == 'i' || t->kind == 'q' || sql[t->s] == '*') && tok_punct(sql, prev, '.'))
		return 1;
	/* a call's or a type modifier's parentheses right after a name, an array's brackets */
	if (tok_punct(sql, t, '(') && (prev->kind == 'i' || prev->kind == 'q'))
		return 1;
	if (tok_punct(sql, t, '['))
		return 1;
	return 0;
}

/* What the node is, for the words around its located tokens that belong to it. */
enum slice_mode { SL_EXPR, SL_QUERY, SL_BOUND, SL_RETURN, SL_ATOMIC };

static enum slice_mode
slice_mode(json_t *node)
{
	const char *t = ntype(node, NULL);

	if (json_is_object(node) && (json_object_get(node, "strategy") || json_object_get(node, "is_default")))
		return SL_BOUND; /* CreateStmt.partbound: bare PartitionBoundSpec fields */
	if (is_type(node, "List") || json_is_array(node))
		return SL_ATOMIC; /* BEGIN ATOMIC ... END: the list of statement lists */
	if (t && strcmp(t, "ReturnStmt") == 0)
		return SL_RETURN;
	if (t && strlen(t) > 4 && strcmp(t + strlen(t) - 4, "Stmt") == 0)
		return SL_QUERY;
	return SL_EXPR;
}

/* Keywords before the first located token that still belong to the node. */
static int
leads(const char *sql, const struct tok *t, enum slice_mode m)
{
	static const char *const query[] = { "select", "distinct", "all", "on", "values", "table", NULL };
	static const char *const bound[] = { "for", "values", NULL };
	static const char *const ret[] = { "return", NULL };
	static const char *const atomic[] = { "begin", "atomic", NULL };

	switch (m) {
	case SL_QUERY: return tok_any(sql, t, query);
	case SL_BOUND: return tok_any(sql, t, bound);
	case SL_RETURN: return tok_any(sql, t, ret);
	case SL_ATOMIC: return tok_any(sql, t, atomic);
	default: return 0;
	}
}

static void
track(const char *sql, const struct tok *t, int *depth, int *cases)
{
	if (tok_punct(sql, t, '(') || tok_punct(sql, t, '['))
		(*depth)++;
	else if (tok_punct(sql, t, ')') || tok_punct(sql, t, ']'))
		(*depth)--;
	else if (tok_is(sql, t, "case"))
		(*cases)++;
	else if (tok_is(sql, t, "end") && *cases > 0)
		(*cases)--;
}

char *
normexpr_slice(const char *sql, json_t *node)
{
	static const char *const order[] = { "asc", "desc", "nulls", "first", "last", "rows", "row", "only", "ties", NULL };
	long lo = -1, hi = -1;
	size_t nt, a, b, i;
	struct tok *t;
	int depth = 0, mindepth = 0, cases = 0;
	enum slice_mode m = slice_mode(node);
	char *out;

	loc_range(node, &lo, &hi);
	if (lo < 0)
		return xstrdup("");
	t = tokenize(sql, &nt);
	for (a = 0; a < nt && t[a].e <= (size_t)lo; a++)
		;
	if (a == nt) {
		free(t);
		return xstrdup("");
	}
	/* through the last located token: how many parentheses open before the first one */
	for (i = a; i < nt && t[i].s <= (size_t)hi; i++) {
		track(sql, &t[i], &depth, &cases);
		if (depth < mindepth)
			mindepth = depth;
	}
	b = i; /* first token after the last located one */
	if (m == SL_ATOMIC) /* back to BEGIN ATOMIC over the first statement's leading words */
		for (size_t j = a; j-- > 1;)
			if (tok_is(sql, &t[j], "atomic") && tok_is(sql, &t[j - 1], "begin")) {
				a = j - 1;
				break;
			}
	while (a > 0) {
		if (mindepth < 0 && tok_punct(sql, &t[a - 1], '(')) {
			mindepth++;
			depth++;
		} else if (!leads(sql, &t[a - 1], m))
			break;
		a--;
	}
	for (; b < nt; b++) {
		if (m == SL_ATOMIC) { /* statements and their semicolons up to the END of BEGIN ATOMIC */
			int end = depth == 0 && cases == 0 && tok_is(sql, &t[b], "end");

			track(sql, &t[b], &depth, &cases);
			if (end) {
				b++;
				break;
			}
			continue;
		}
		if (depth > 0 || cases > 0) {
			track(sql, &t[b], &depth, &cases);
			if (depth < 0)
				break;
			continue;
		}
		if (!continues(sql, &t[b], &t[b - 1], b + 1 < nt ? &t[b + 1] : NULL) &&
		    !(m == SL_QUERY && (tok_any(sql, &t[b], order) || (tok_is(sql, &t[b], "with") && b + 1 < nt &&
		                                                        tok_is(sql, &t[b + 1], "ties")))))
			break;
		track(sql, &t[b], &depth, &cases);
	}
	out = b > a ? xstrndup(sql + t[a].s, t[b - 1].e - t[a].s) : xstrdup("");
	free(t);
	return out;
}

/* ---------- a view's query as the catalog stores it ---------- */

struct vq {
	nx_cols_fn fn;
	void *ctx;
	json_t *ctes; /* CommonTableExpr fields in scope, innermost last */
	json_t *outer; /* normexpr_qualify: the relations in scope of each enclosing select (leaves), innermost last */
};

static struct vq *
vq_plain(void)
{
	static struct vq plain; /* no column source, no CTE in scope: only what the query says */

	if (!plain.ctes)
		plain.ctes = json_array();
	return &plain;
}

/* Strings of a list of String nodes, as a JSON array of strings. */
static json_t *
strings(json_t *list)
{
	json_t *a = json_array(), *e;
	size_t i;

	json_array_foreach(list, i, e)
		if (sval(e))
			json_array_append_new(a, json_string(sval(e)));
	return a;
}

/* cols with the first names replaced by an alias's column list. */
static json_t *
with_alias(json_t *cols, json_t *alias)
{
	json_t *names = json_object_get(alias, "colnames"), *e;
	size_t i;

	if (!cols)
		return NULL;
	json_array_foreach(names, i, e)
		if (i < json_array_size(cols) && sval(e))
			json_array_set_new(cols, i, json_string(sval(e)));
	return cols;
}

/* Whether n is ARRAY[...] of constants, or of casts to built-in scalar types: an array of a
   scalar type for sure (ARRAY[ROW(...)], ARRAY[col] may be of a composite). */
static int
scalar_elements(json_t *n)
{
	json_t *f, *e;
	size_t i;

	if (!is_type(n, "A_ArrayExpr") || !ntype(n, &f))
		return 0;
	json_array_foreach(json_object_get(f, "elements"), i, e) {
		char *t, *b;
		int ok;
		json_t *cf;

		if (is_type(e, "A_Const"))
			continue;
		if (!is_type(e, "TypeCast") || !ntype(e, &cf))
			return 0;
		t = type_name(json_object_get(cf, "typeName"));
		b = type_base(t);
		ok = in_list(b, scalar_types);
		free(t), free(b);
		if (!ok)
			return 0;
	}
	return 1;
}

/* The one function call of a FROM item f(...) (RangeFunction fields), NULL for ROWS FROM of many. */
static json_t *
rangefunc_call(json_t *f)
{
	json_t *fns = json_object_get(f, "functions");

	if (json_array_size(fns) != 1)
		return NULL;
	return json_object_get(json_array_get(json_object_get(json_object_get(json_array_get(fns, 0), "List"), "items"), 0),
	    "FuncCall");
}

/* The output columns of a function in FROM (RangeFunction fields; new array), NULL when unknown:
   a column definition list's names; the one column of a built-in set-returning function of a
   scalar (named by the alias's column list, else the alias, else the function, as
   addRangeTableEntryForFunction names it); key and value of json(b)_each; then WITH ORDINALITY's
   column. A function of the user's returns what the catalog knows, not this file. */
static json_t *
rangefunc_cols(json_t *f)
{
	static const char *const scalar[] = { "generate_series", "generate_subscripts", "regexp_split_to_table",
		"regexp_matches", "jsonb_object_keys", "json_object_keys", NULL };
	/* one OUT parameter: its name is the column's, whatever the alias (chooseScalarFunctionAlias) */
	static const char *const value[] = { "jsonb_array_elements", "json_array_elements", "jsonb_array_elements_text",
		"json_array_elements_text", NULL };
	static const char *const each[] = { "jsonb_each", "json_each", "jsonb_each_text", "json_each_text", NULL };
	json_t *call = rangefunc_call(f), *al = json_object_get(f, "alias"), *names = json_object_get(al, "colnames");
	json_t *cols, *e, *args = json_object_get(call, "args");
	json_t *fname = json_object_get(call, "funcname");
	const char *fn = last_name(fname), *an = json_string_value(json_object_get(al, "aliasname"));
	size_t i, used = 0;

	if (!call || !fn || (json_array_size(fname) > 1 && strcmp(sval(json_array_get(fname, 0)), "pg_catalog") != 0))
		return NULL;
	if (json_array_size(json_object_get(f, "coldeflist"))) {
		cols = json_array();
		json_array_foreach(json_object_get(f, "coldeflist"), i, e) {
			const char *cn = json_string_value(json_object_get(json_object_get(e, "ColumnDef"), "colname"));

			if (!cn) {
				json_decref(cols);
				return NULL;
			}
			json_array_append_new(cols, json_string(cn));
		}
	} else if (in_list(fn, scalar) ||
	           /* unnest of one array written out: its elements' type is a scalar's (no ROW) */
	           (strcmp(fn, "unnest") == 0 && json_array_size(args) == 1 &&
	               scalar_elements(json_array_get(args, 0)))) {
		const char *c = json_array_size(names) ? sval(json_array_get(names, 0)) : an ? an : fn;

		if (!c)
			return NULL;
		cols = json_pack("[s]", c);
		used = json_array_size(names) ? 1 : 0;
	} else if (in_list(fn, each)) {
		cols = json_pack("[s,s]", "key", "value");
	} else if (in_list(fn, value)) {
		cols = json_pack("[s]", "value");
	} else
		return NULL;
	if (json_is_true(json_object_get(f, "ordinality")))
		json_array_append_new(cols, json_string("ordinality"));
	/* the alias's column list renames the first columns (the scalar's one is named already) */
	json_array_foreach(names, i, e)
		if (i >= used && i < json_array_size(cols) && sval(e))
			json_array_set_new(cols, i, json_string(sval(e)));
	return cols;
}

json_t *
normexpr_func_cols(json_t *item, const char **ref)
{
	json_t *f = json_object_get(item, "RangeFunction");
	json_t *cols = f ? rangefunc_cols(f) : NULL;

	if (cols) {
		*ref = json_string_value(json_object_get(json_object_get(f, "alias"), "aliasname"));
		if (!*ref)
			*ref = last_name(json_object_get(rangefunc_call(f), "funcname"));
	}
	return cols;
}

/* The output columns of a FROM item (new array), NULL when unknown. */
static json_t *
from_cols(json_t *item, struct vq *v)
{
	json_t *f, *e;
	const char *t = ntype(item, &f);
	size_t i;

	if (!t)
		return NULL;
	if (strcmp(t, "RangeVar") == 0) {
		const char *schema = json_string_value(json_object_get(f, "schemaname"));
		const char *rel = json_string_value(json_object_get(f, "relname"));
		json_t *cols = NULL;

		for (i = json_array_size(v->ctes); !schema && rel && i-- > 0;) {
			json_t *cte = json_array_get(v->ctes, i);

			if (strcmp(json_string_value(json_object_get(cte, "ctename")), rel) == 0) {
				cols = json_array_size(json_object_get(cte, "aliascolnames"))
				           ? strings(json_object_get(cte, "aliascolnames"))
				           : select_names(json_object_get(cte, "ctequery"), v);
				break;
			}
		}
		if (!cols && rel && v->fn) {
			const char *const *c = v->fn(schema, rel, v->ctx);

			if (c) {
				cols = json_array();
				for (; *c; c++)
					json_array_append_new(cols, json_string(*c));
			}
		}
		return with_alias(cols, json_object_get(f, "alias"));
	}
	if (strcmp(t, "RangeSubselect") == 0)
		return with_alias(select_names(json_object_get(f, "subquery"), v), json_object_get(f, "alias"));
	if (strcmp(t, "RangeFunction") == 0)
		return rangefunc_cols(f);
	if (strcmp(t, "JoinExpr") == 0) {
		json_t *l = from_cols(json_object_get(f, "larg"), v), *r = from_cols(json_object_get(f, "rarg"), v);
		json_t *merged = json_array(), *out;

		if (!l || !r) {
			json_decref(l);
			json_decref(r);
			json_decref(merged);
			return NULL;
		}
		if (json_is_true(json_object_get(f, "isNatural"))) {
			json_array_foreach(l, i, e) {
				json_t *x;
				size_t j;

				json_array_foreach(r, j, x)
					if (json_equal(e, x))
						json_array_append(merged, e);
			}
		} else {
			json_decref(merged);
			merged = strings(json_object_get(f, "usingClause"));
		}
		/* the merged columns first, then each side's others, as the join's column list */
		out = json_deep_copy(merged);
		json_t *sides[2] = { l, r };

		for (int s = 0; s < 2; s++)
			json_array_foreach(sides[s], i, e) {
				json_t *x;
				size_t j;
				int in = 0;

				json_array_foreach(merged, j, x)
					in |= json_equal(e, x);
				if (!in)
					json_array_append(out, e);
			}
		json_decref(l);
		json_decref(r);
		json_decref(merged);
		return with_alias(out, json_object_get(f, "alias"));
	}
	return NULL;
}

/* The FROM item referred to as name (alias, else relation name), searching inside joins. */
static json_t *
from_item(json_t *items, const char *name)
{
	json_t *e, *f;
	size_t i;

	json_array_foreach(items, i, e) {
		const char *t = ntype(e, &f), *ref = NULL;

		if (!t)
			continue;
		ref = json_string_value(json_object_get(json_object_get(f, "alias"), "aliasname"));
		if (!ref && strcmp(t, "RangeVar") == 0)
			ref = json_string_value(json_object_get(f, "relname"));
		if (ref && strcmp(ref, name) == 0)
			return e;
		if (strcmp(t, "JoinExpr") == 0 && !ref) {
			json_t *both = json_pack("[O,O]", json_object_get(f, "larg"), json_object_get(f, "rarg"));
			json_t *found = from_item(both, name);

			json_decref(both);
			if (found)
				return found;
		}
	}
	return NULL;
}

/* NATURAL JOIN as the catalog prints it: JOIN ... USING (the common columns), where they are known. */
static void
naturalize(json_t *item, struct vq *v)
{
	json_t *f = json_object_get(item, "JoinExpr"), *l, *r, *e, *x, *using;
	size_t i, j;

	if (!f)
		return;
	naturalize(json_object_get(f, "larg"), v);
	naturalize(json_object_get(f, "rarg"), v);
	if (!json_is_true(json_object_get(f, "isNatural")))
		return;
	l = from_cols(json_object_get(f, "larg"), v);
	r = from_cols(json_object_get(f, "rarg"), v);
	if (l && r) {
		using = json_array();
		json_array_foreach(l, i, e)
			json_array_foreach(r, j, x)
				if (json_equal(e, x))
					json_array_append_new(using, node("String", json_pack("{s:O}", "sval", e)));
		json_object_del(f, "isNatural");
		json_object_set_new(f, "usingClause", using);
	}
	json_decref(l);
	json_decref(r);
}

/* The output columns of a FROM item as [relation, column] pairs (new array), the relation being
   the one the catalog names the column by (a join's USING column: its left side's); NULL when
   unknown. */
static json_t *
from_refs(json_t *item, struct vq *v)
{
	json_t *f, *e, *out;
	const char *t = ntype(item, &f), *ref;
	size_t i;

	if (!t)
		return NULL;
	if (strcmp(t, "JoinExpr") == 0 && !json_object_get(f, "alias")) {
		json_t *l = from_refs(json_object_get(f, "larg"), v), *r = from_refs(json_object_get(f, "rarg"), v);
		json_t *merged = json_array(), *x;
		size_t j;

		if (!l || !r) {
			json_decref(l), json_decref(r), json_decref(merged);
			return NULL;
		}
		if (json_is_true(json_object_get(f, "isNatural"))) {
			json_array_foreach(l, i, e)
				json_array_foreach(r, j, x)
					if (json_equal(json_array_get(e, 1), json_array_get(x, 1)))
						json_array_append(merged, json_array_get(e, 1));
		} else {
			json_decref(merged);
			merged = strings(json_object_get(f, "usingClause"));
		}
		/* a merged column is the left one's (INNER, LEFT), the right one's (RIGHT), or neither
		   relation's (FULL: COALESCE of both, printed unqualified): [null, column] */
		const char *jt = json_string_value(json_object_get(f, "jointype"));
		int full = jt && strcmp(jt, "JOIN_FULL") == 0, right = jt && strcmp(jt, "JOIN_RIGHT") == 0;

		out = json_array();
		json_array_foreach(merged, j, x)
			json_array_foreach(right ? r : l, i, e)
				if (json_equal(json_array_get(e, 1), x)) {
					json_array_append_new(out, full ? json_pack("[n,O]", x) : json_incref(e));
					break;
				}
		json_t *sides[2] = { l, r };

		for (int s = 0; s < 2; s++)
			json_array_foreach(sides[s], i, e) {
				int in = 0;

				json_array_foreach(merged, j, x)
					in |= json_equal(json_array_get(e, 1), x);
				if (!in)
					json_array_append(out, e);
			}
		json_decref(l), json_decref(r), json_decref(merged);
		return out;
	}
	ref = json_string_value(json_object_get(json_object_get(f, "alias"), "aliasname"));
	if (!ref && strcmp(t, "RangeVar") == 0)
		ref = json_string_value(json_object_get(f, "relname"));
	if (!ref && strcmp(t, "RangeFunction") == 0) /* f(...) without an alias is named f */
		ref = last_name(json_object_get(rangefunc_call(f), "funcname"));
	json_t *cols = ref ? from_cols(item, v) : NULL;

	if (!cols)
		return NULL;
	out = json_array();
	json_array_foreach(cols, i, e)
		json_array_append_new(out, json_pack("[s,O]", ref, e));
	json_decref(cols);
	return out;
}

/* The relations in scope of a FROM list, in order, as [name, columns] pairs appended to out
   (members of an unaliased join each; columns NULL when unknown). */
static void
scope_leaves(json_t *items, struct vq *v, json_t *out)
{
	json_t *e, *f;
	size_t i;

	json_array_foreach(items, i, e) {
		const char *t = ntype(e, &f), *ref;

		if (!t)
			continue;
		if (strcmp(t, "JoinExpr") == 0 && !json_object_get(f, "alias")) {
			json_t *both = json_pack("[O,O]", json_object_get(f, "larg"), json_object_get(f, "rarg"));
			size_t nm = json_array_size(json_object_get(f, "usingClause")), j;
			json_t *refs = nm ? from_refs(e, v) : NULL, *x;

			/* the merged columns of USING first, bound as the join binds them (from_refs) */
			for (j = 0; j < nm && j < json_array_size(refs); j++) {
				x = json_array_get(refs, j);
				json_array_append_new(out, json_pack("[O,[O]]", json_array_get(x, 0), json_array_get(x, 1)));
			}
			json_decref(refs);
			scope_leaves(both, v, out);
			json_decref(both);
			continue;
		}
		ref = json_string_value(json_object_get(json_object_get(f, "alias"), "aliasname"));
		if (!ref && strcmp(t, "RangeVar") == 0)
			ref = json_string_value(json_object_get(f, "relname"));
		if (!ref && strcmp(t, "RangeFunction") == 0) {
			/* f(...) without an alias is named f; only where its columns are known, as before */
			json_t *c = from_cols(e, v);

			ref = c ? last_name(json_object_get(rangefunc_call(f), "funcname")) : NULL;
			if (ref)
				json_array_append_new(out, json_pack("[s,o]", ref, c));
			continue;
		}
		if (ref)
			json_array_append_new(out, json_pack("[s,o]", ref, from_cols(e, v)));
	}
}

/* The relation of levels (arrays of leaves, innermost last) column name binds to, as PostgreSQL
   resolves it: the first relation of the innermost level that has such a column; NULL where a
   level on the way has a relation whose columns are unknown (it could be the one). */
static json_t *
bind_col(json_t *levels, const char *name)
{
	json_t *l, *c;
	size_t i, j, k;

	for (k = json_array_size(levels); k-- > 0;) {
		int unknown = 0;

		json_array_foreach(json_array_get(levels, k), i, l) {
			if (!json_is_array(json_array_get(l, 1)))
				unknown = 1;
			json_array_foreach(json_array_get(l, 1), j, c)
				if (strcmp(json_string_value(c), name) == 0)
					/* a FULL JOIN's merged column: no relation's (NULL, left unqualified) */
					return json_is_string(json_array_get(l, 0)) ? json_array_get(l, 0) : NULL;
		}
		if (unknown)
			return NULL;
	}
	return NULL;
}

/* qualify_cols turns only whole-row references into t.* (a select with one relation in scope) */
static int qc_rows_only;

/* Whether name is a relation of levels whose columns, and those of every relation of the levels
   inside it, are known (bind_col found no column of that name): a whole-row reference. */
static int
whole_row(json_t *levels, const char *name)
{
	json_t *l;
	size_t i, k;

	for (k = json_array_size(levels); k-- > 0;) {
		json_array_foreach(json_array_get(levels, k), i, l)
			if (!json_is_array(json_array_get(l, 1)))
				return 0;
		json_array_foreach(json_array_get(levels, k), i, l)
			if (json_is_string(json_array_get(l, 0)) && strcmp(json_string_value(json_array_get(l, 0)), name) == 0)
				return 1;
	}
	return 0;
}

/* Each unqualified column reference in n (not inside a subquery: its own scope) qualified with
   the relation it binds to in levels (bind_col), as the catalog prints a column where more than
   one relation is in scope or the select is nested (a USING column: its left relation). skip:
   output names not to qualify (ORDER BY / GROUP BY an output name is that entry). */
static void
qualify_cols(json_t *n, json_t *levels, json_t *skip)
{
	const char *k, *name;
	json_t *v, *f, *fields, *rel;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			qualify_cols(v, levels, skip);
		return;
	}
	if (!json_is_object(n) || is_type(n, "SelectStmt") || is_type(n, "RangeSubselect"))
		return;
	if (is_type(n, "ColumnRef") && ntype(n, &f) && json_array_size(fields = json_object_get(f, "fields")) == 1 &&
	    (name = sval(json_array_get(fields, 0)))) {
		json_array_foreach(skip, i, v)
			if (json_string_value(v) && strcmp(json_string_value(v), name) == 0)
				return;
		if ((rel = bind_col(levels, name))) {
			if (!qc_rows_only)
				json_array_insert_new(fields, 0, node("String", json_pack("{s:O}", "sval", rel)));
		} else if (whole_row(levels, name))
			/* a relation's name where a value goes: its whole row, t.* as the catalog prints it */
			json_array_append_new(fields, node("A_Star", json_object()));
		return;
	}
	if (is_type(n, "SubLink") && ntype(n, &f)) {
		qualify_cols(json_object_get(f, "testexpr"), levels, skip);
		return;
	}
	json_object_foreach(n, k, v)
		qualify_cols(v, levels, skip);
}

/* The column references of select sel (fields, changed in place) qualified where more than one
   relation is in scope or the select is nested in another (v->outer: the enclosing levels), and
   the columns of each relation of sel are known. leaves: sel's relations (scope_leaves). */
static void
qualify_level(json_t *sel, struct vq *v, json_t *leaves)
{
	json_t *from = json_object_get(sel, "fromClause"), *outs, *e, *l, *levels;
	size_t i;
	int known = 1, nested = v->outer && json_array_size(v->outer) > 0;

	json_array_foreach(leaves, i, l)
		known &= json_is_array(json_array_get(l, 1));
	if (!known)
		return;
	qc_rows_only = (count_scope(from) < 2 || json_array_size(leaves) < 2) && !nested;
	levels = v->outer ? json_copy(v->outer) : json_array();
	json_array_append(levels, leaves);
	outs = json_array();
	json_array_foreach(json_object_get(sel, "targetList"), i, e) {
		json_t *rt = json_object_get(e, "ResTarget");

		if (json_object_get(rt, "name"))
			json_array_append(outs, json_object_get(rt, "name"));
	}
	qualify_cols(json_object_get(sel, "targetList"), levels, NULL);
	qualify_cols(json_object_get(sel, "whereClause"), levels, NULL);
	qualify_cols(json_object_get(sel, "havingClause"), levels, NULL);
	qualify_cols(from, levels, NULL);
	qualify_cols(json_object_get(sel, "groupClause"), levels, outs);
	qualify_cols(json_object_get(sel, "sortClause"), levels, outs);
	qc_rows_only = 0;
	json_decref(outs);
	json_decref(levels);
}

/* qualify_level of sel with the relations of its own FROM. */
static void
qualify_select(json_t *sel, struct vq *v)
{
	json_t *leaves = json_array();

	scope_leaves(json_object_get(sel, "fromClause"), v, leaves);
	qualify_level(sel, v, leaves);
	json_decref(leaves);
}

/* Expand * and t.* in one select's list (its fields, changed in place) where the columns are known. */
static void
expand_select(json_t *sel, struct vq *v)
{
	json_t *with = json_object_get(json_object_get(sel, "withClause"), "WithClause");
	json_t *targets = json_object_get(sel, "targetList"), *out, *e;
	size_t nctes = json_array_size(v->ctes), i;

	if (!with)
		with = json_object_get(sel, "withClause");
	json_array_foreach(json_object_get(with, "ctes"), i, e) {
		json_t *cte = json_object_get(e, "CommonTableExpr"), *q = json_object_get(cte, "ctequery");

		if (is_type(q, "SelectStmt"))
			expand_select(json_object_get(q, "SelectStmt"), v);
		json_array_append(v->ctes, cte);
	}
	if (json_object_get(sel, "larg"))
		expand_select(json_object_get(sel, "larg"), v);
	if (json_object_get(sel, "rarg"))
		expand_select(json_object_get(sel, "rarg"), v);
	json_array_foreach(json_object_get(sel, "fromClause"), i, e)
		if (is_type(e, "RangeSubselect") && is_type(json_object_get(json_object_get(e, "RangeSubselect"), "subquery"), "SelectStmt"))
			expand_select(json_object_get(json_object_get(json_object_get(e, "RangeSubselect"), "subquery"), "SelectStmt"), v);
	json_array_foreach(json_object_get(sel, "fromClause"), i, e)
		naturalize(e, v);
	qualify_select(sel, v);
	out = json_array();
	json_array_foreach(targets, i, e) {
		json_t *val = json_object_get(json_object_get(e, "ResTarget"), "val"), *cols = NULL, *c;
		json_t *fields = json_object_get(json_object_get(val, "ColumnRef"), "fields");
		size_t j;

		/* cols: [relation, column] pairs */
		if (is_star(val)) {
			if (json_array_size(fields) == 1) {
				json_t *x;
				size_t k;

				cols = json_array();
				json_array_foreach(json_object_get(sel, "fromClause"), k, x) {
					json_t *fc = from_refs(x, v);

					if (!fc) {
						json_decref(cols);
						cols = NULL;
						break;
					}
					json_array_extend(cols, fc);
					json_decref(fc);
				}
			} else if (json_array_size(fields) == 2 && sval(json_array_get(fields, 0))) {
				json_t *item = from_item(json_object_get(sel, "fromClause"), sval(json_array_get(fields, 0)));
				json_t *fc = item ? from_cols(item, v) : NULL, *x;
				size_t k;

				if (fc) {
					cols = json_array();
					json_array_foreach(fc, k, x)
						json_array_append_new(cols, json_pack("[s,O]", sval(json_array_get(fields, 0)), x));
					json_decref(fc);
				}
			}
		}
		if (!cols) {
			json_array_append(out, e);
			continue;
		}
		/* a column of one relation among several in scope is printed with its relation */
		int qual = count_scope(json_object_get(sel, "fromClause")) > 1;

		json_array_foreach(cols, j, c) {
			json_t *rf = json_array();

			if (qual && json_is_string(json_array_get(c, 0)))
				json_array_append_new(rf, node("String", json_pack("{s:O}", "sval", json_array_get(c, 0))));
			json_array_append_new(rf, node("String", json_pack("{s:O}", "sval", json_array_get(c, 1))));
			json_array_append_new(out, node("ResTarget", json_pack("{s:O, s:{s:{s:o}}}", "name", json_array_get(c, 1),
			    "val", "ColumnRef", "fields", rf)));
		}
		json_decref(cols);
	}
	if (targets)
		json_object_set_new(sel, "targetList", out);
	else
		json_decref(out);
	while (json_array_size(v->ctes) > nctes)
		json_array_remove(v->ctes, json_array_size(v->ctes) - 1);
}

/* The output names of a select (new array of strings), NULL when one is unknown (a * left). */
static json_t *
select_names(json_t *sel, struct vq *v)
{
	json_t *f = json_object_get(sel, "SelectStmt"), *a, *e, *copy;
	size_t i;
	static int depth; /* a recursive CTE names itself: its columns are not known through itself */

	if (!f || depth > 8)
		return NULL;
	depth++;
	copy = json_deep_copy(f);
	expand_select(copy, v);
	while (json_object_get(copy, "larg")) { /* a set operation: the first branch names the columns */
		json_t *l = json_incref(json_object_get(copy, "larg"));

		json_decref(copy);
		copy = l;
	}
	a = json_array();
	json_array_foreach(json_object_get(copy, "targetList"), i, e) {
		json_t *rt = json_object_get(e, "ResTarget"), *val = json_object_get(rt, "val");
		const char *name = json_string_value(json_object_get(rt, "name"));

		if (is_star(val)) {
			json_decref(a);
			a = NULL;
			break;
		}
		if (!name && figure(val, &name) == 0)
			name = "?column?";
		json_array_append_new(a, json_string(name));
	}
	json_decref(copy);
	depth--;
	return a;
}

json_t *
normexpr_view_query(json_t *query, json_t *aliases, nx_cols_fn fn, void *ctx)
{
	struct vq v = { fn, ctx, json_array(), NULL };
	json_t *copy = json_deep_copy(query), *sel = json_object_get(copy, "SelectStmt"), *e;
	size_t i;

	if (sel) {
		expand_select(sel, &v);
		/* the view's column list renames the select list (of the first branch of a set operation) */
		while (json_object_get(sel, "larg"))
			sel = json_object_get(sel, "larg");
		json_array_foreach(aliases, i, e) {
			json_t *rt = json_object_get(json_array_get(json_object_get(sel, "targetList"), i), "ResTarget");

			if (rt && sval(e))
				json_object_set_new(rt, "name", json_string(sval(e)));
		}
	}
	json_decref(v.ctes);
	return copy;
}

static void qualify_all(json_t *n, struct vq *v);

/* One select qualified, then every select nested in it with its relations as the innermost
   enclosing level. */
static void
qualify_nest(json_t *sel, struct vq *v)
{
	json_t *leaves = json_array(), *e;
	const char *k;
	size_t i;

	/* NATURAL JOIN as the catalog prints it, JOIN ... USING (the common columns) */
	json_array_foreach(json_object_get(sel, "fromClause"), i, e)
		naturalize(e, v);

	scope_leaves(json_object_get(sel, "fromClause"), v, leaves);
	qualify_level(sel, v, leaves);
	json_array_append_new(v->outer, leaves);
	json_object_foreach(sel, k, e)
		qualify_all(e, v);
	json_array_remove(v->outer, json_array_size(v->outer) - 1);
}

/* Every SelectStmt in n qualified (qualify_level), each with the CTEs of its WITH in scope. */
static void
qualify_all(json_t *n, struct vq *v)
{
	const char *k;
	json_t *e, *sel;
	size_t i, nctes = json_array_size(v->ctes);

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			qualify_all(e, v);
		return;
	}
	if (!json_is_object(n))
		return;
	if ((sel = json_object_get(n, "SelectStmt")) && json_object_size(n) == 1) {
		json_t *with = json_object_get(json_object_get(sel, "withClause"), "WithClause");

		if (!with)
			with = json_object_get(sel, "withClause");
		json_array_foreach(json_object_get(with, "ctes"), i, e)
			json_array_append(v->ctes, json_object_get(e, "CommonTableExpr"));
		qualify_nest(sel, v);
		while (json_array_size(v->ctes) > nctes)
			json_array_remove(v->ctes, json_array_size(v->ctes) - 1);
		return;
	}
	/* a set operation's arms are bare SelectStmt fields */
	if (json_object_get(n, "op") && json_object_get(n, "targetList")) {
		qualify_nest(n, v);
		return;
	}
	json_object_foreach(n, k, e)
		qualify_all(e, v);
}

void
normexpr_qualify(json_t *query, nx_cols_fn fn, void *ctx)
{
	struct vq v = { fn, ctx, json_array(), json_array() };

	qualify_all(query, &v);
	json_decref(v.ctes);
	json_decref(v.outer);
}

/* Each INSERT without a column list in n given the one the catalog prints: the first columns of
   its table (fn), as many as the first VALUES row or the select list has. */
static void
insert_cols(json_t *n, nx_cols_fn fn, void *ctx)
{
	const char *k;
	json_t *e, *ins;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, e)
			insert_cols(e, fn, ctx);
		return;
	}
	if (!json_is_object(n))
		return;
	if ((ins = json_object_get(n, "InsertStmt")) && !json_array_size(json_object_get(ins, "cols"))) {
		json_t *rv = json_object_get(ins, "relation");

		if (json_object_get(rv, "RangeVar"))
			rv = json_object_get(rv, "RangeVar");
		json_t *sel = json_object_get(json_object_get(ins, "selectStmt"), "SelectStmt");
		json_t *vl = json_object_get(sel, "valuesLists");
		const char *const *cols = rv && sel ? fn(json_string_value(json_object_get(rv, "schemaname")),
		    json_string_value(json_object_get(rv, "relname")), ctx) : NULL;
		size_t want = vl ? json_array_size(json_object_get(json_object_get(json_array_get(vl, 0), "List"), "items"))
		                 : json_array_size(json_object_get(sel, "targetList"));
		size_t have = 0;

		while (cols && cols[have])
			have++;
		if (cols && want > 0 && want <= have && !json_object_get(sel, "larg")) {
			json_t *c = json_array();

			for (i = 0; i < want; i++)
				json_array_append_new(c, node("ResTarget", json_pack("{s:s}", "name", cols[i])));
			json_object_set_new(ins, "cols", c);
		}
	}
	json_object_foreach(n, k, e)
		insert_cols(e, fn, ctx);
}

void
normexpr_body(json_t *body, nx_cols_fn fn, void *ctx)
{
	insert_cols(body, fn, ctx);
}
