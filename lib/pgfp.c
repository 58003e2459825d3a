#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pgfp.h"
#include "pgqraw.h"
#include "ptree.h"

/*
 * The token stream of libpg_query 15-4.x's fingerprint, written into one buffer and hashed once:
 * streaming XXH3 over tokens is one-shot XXH3 over their concatenation. The walk is generic over
 * the JSON: a node {"Type":{...}} is its type name then its fields; a field of a specific node type
 * (written without the type's name) is its fields alone; a field is its name then its value, in
 * field name order, and a field whose value writes nothing writes no name either. The JSON omits
 * what the stream omits (false, 0, NULL, empty lists) and writes enums always, as the stream does.
 * What differs is the table below and these rules of libpg_query's:
 *  - a node 100 levels deep or more writes nothing (a field or a list element is a level; a field of
 *    a specific type is entered without that test, though its own nodes are tested);
 *  - the elements of a list in a field named fromClause, targetList, cols, rexpr, valuesLists or args
 *    are written in the order of their own hashes, each hash once (duplicates dropped);
 *  - a list field of one NULL element (SELECT DISTINCT's) keeps its name (fingerprint version 3.1);
 *  - values: String, Float and BitString write "str" as their field name (libpg_query 14's), an
 *    Integer writes nothing when 0; Boolean nodes (15-4.0 does not know them yet), constants and
 *    $n parameters (A_Const, ParamRef, a TypeCast of either) and aliases write nothing;
 *  - a ResTarget's name is left out in a SELECT's target list; an A_Expr of kind IN or = ANY writes
 *    the kind of an operator; a RangeVar's relname loses its runs of two digits or more, and a
 *    temporary table's relname is left out;
 *  - locations (a tablespace's too), the names of prepared statements, cursors, savepoints, 2PC
 *    transactions, LISTEN/NOTIFY channels and function parameters, function options (the body) and
 *    DO's code are left out.
 */

#define FP_VERSION 3   /* libpg_query's PG_QUERY_FINGERPRINT_VERSION: the hash's seed */
#define FP_DEPTH 100   /* the level from which nodes write nothing */
#define FP_NEST 3000   /* this walk's recursion, beyond which libpg_query's walk is asked */
#define FP_FIELDS 64   /* the most fields a node has (CreateStmt-like nodes have about 20) */

/* What a node's type changes in the walk. */
enum {
	T_OTHER,       /* nothing */
	T_TYPED,       /* a field of a specific type: which one is told by its fields */
	T_SKIP,        /* writes nothing: A_Const, Alias, ParamRef, SetToDefault, Null, int lists */
	T_STRING, T_INTEGER, T_FLOAT, T_BITSTRING, T_LIST,
	T_TYPECAST,    /* nothing when its arg is a constant or a parameter */
	T_SELECT,      /* the parent whose targetList hides ResTarget names */
	T_RESTARGET, T_AEXPR, T_RANGEVAR,
	T_NAMED,       /* PrepareStmt, ExecuteStmt, DeallocateStmt, FunctionParameter: name left out */
	T_FUNCTION,    /* CreateFunctionStmt: options (the body, the language...) left out */
	T_DO,          /* DoStmt: args (the code) left out */
	T_CHANNEL,     /* ListenStmt, UnlistenStmt, NotifyStmt: conditionname left out */
	T_PORTAL,      /* DeclareCursorStmt, FetchStmt, ClosePortalStmt: portalname left out */
	T_TRANSACTION, /* options, gid and savepoint_name left out */
	T_FOREIGN,     /* CreateForeignTableStmt: its CreateStmt base is written inline */
	T_RAWSTMT,     /* stmt_len and stmt_location left out */
};

/* The types the walk changes, by their first letter (node() meets hundreds of thousands of names). */
static const struct {
	const char *name;
	int type;
} types[] = {
	{ "A_Const", T_SKIP }, { "A_Expr", T_AEXPR }, { "Alias", T_SKIP },
	{ "BitString", T_BITSTRING }, { "Boolean", T_SKIP },
	{ "ClosePortalStmt", T_PORTAL }, { "CreateForeignTableStmt", T_FOREIGN },
	{ "CreateFunctionStmt", T_FUNCTION },
	{ "DeallocateStmt", T_NAMED }, { "DeclareCursorStmt", T_PORTAL }, { "DoStmt", T_DO },
	{ "ExecuteStmt", T_NAMED },
	{ "FetchStmt", T_PORTAL }, { "Float", T_FLOAT }, { "FunctionParameter", T_NAMED },
	{ "IntList", T_SKIP }, { "Integer", T_INTEGER },
	{ "List", T_LIST }, { "ListenStmt", T_CHANNEL },
	{ "NotifyStmt", T_CHANNEL }, { "Null", T_SKIP },
	{ "OidList", T_SKIP },
	{ "ParamRef", T_SKIP }, { "PrepareStmt", T_NAMED },
	{ "RangeVar", T_RANGEVAR }, { "ResTarget", T_RESTARGET },
	{ "SelectStmt", T_SELECT }, { "SetToDefault", T_SKIP }, { "String", T_STRING },
	{ "TransactionStmt", T_TRANSACTION }, { "TypeCast", T_TYPECAST },
	{ "UnlistenStmt", T_CHANNEL },
};

/* The fields each type leaves out, besides every node's location. */
static const struct {
	int type;
	const char *field;
} skipped[] = {
	{ T_NAMED, "name" }, { T_PORTAL, "portalname" }, { T_TRANSACTION, "options" },
	{ T_TRANSACTION, "gid" }, { T_TRANSACTION, "savepoint_name" }, { T_RAWSTMT, "stmt_len" },
	{ T_RAWSTMT, "stmt_location" }, { T_FUNCTION, "options" }, { T_DO, "args" },
	{ T_CHANNEL, "conditionname" },
};

struct fp {
	char *b;              /* the token stream */
	size_t n, cap;
	char *tmp;            /* a sorted list's elements, while they are put in order */
	size_t tmpcap;
	unsigned nest;
	const char *sql;      /* the text parsed, or NULL */
	int zero;             /* whether sql may hold an integer 0: -1 not known yet */
	const char *why;      /* set: the walk gave up */
	char small[4096];
};

static void
grow(struct fp *f, size_t n)
{
	size_t cap = f->cap * 2;

	while (cap < f->n + n)
		cap *= 2;
	if (f->b == f->small) {
		f->b = xmalloc(cap);
		memcpy(f->b, f->small, f->n);
	} else {
		f->b = xrealloc(f->b, cap);
	}
	f->cap = cap;
}

static inline void
put(struct fp *f, const char *s, size_t n)
{
	if (f->cap - f->n < n)
		grow(f, n);
	memcpy(f->b + f->n, s, n);
	f->n += n;
}

static inline void
puts0(struct fp *f, const char *s)
{
	put(f, s, strlen(s));
}

#define PUTLIT(f, s) put((f), (s), sizeof (s) - 1)

/* An int field or an Integer, as libpg_query's "%d" writes it. */
static void
put_int(struct fp *f, long long v)
{
	char d[24], *p = d + sizeof d;
	unsigned long long u;

	if (v < INT32_MIN || v > INT32_MAX) {
		/* an unsigned or long field past int's range: "%d" and "%ld" differ, the JSON does not say */
		f->why = "an integer beyond int's range";
		return;
	}
	u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	put(f, p, (size_t)(d + sizeof d - p));
}

/* strcmp's equality and order, inline: most names differ in their first bytes */
static inline int
streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static inline int
keycmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

static int
type_of(const char *name)
{
	/* 1 + the index in types[] of the first name of each letter; 0: none */
	static const signed char first[26] = {
		['A' - 'A'] = 1, ['B' - 'A'] = 4, ['C' - 'A'] = 6, ['D' - 'A'] = 9, ['E' - 'A'] = 12,
		['F' - 'A'] = 13, ['I' - 'A'] = 16, ['L' - 'A'] = 18, ['N' - 'A'] = 20, ['O' - 'A'] = 22,
		['P' - 'A'] = 23, ['R' - 'A'] = 25, ['S' - 'A'] = 27, ['T' - 'A'] = 30, ['U' - 'A'] = 32,
	};

	if (name[0] < 'A' || name[0] > 'Z' || !first[name[0] - 'A'])
		return T_OTHER;
	for (size_t i = (size_t)first[name[0] - 'A'] - 1; i < sizeof types / sizeof types[0]
	    && types[i].name[0] == name[0]; i++)
		if (streq(types[i].name + 1, name + 1))
			return types[i].type;
	return T_OTHER;
}

/* Whether a field of a node of type t is left out (locations are, before this). */
static int
is_skipped(int type, const char *field)
{
	if (type < T_NAMED)
		return 0;
	for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
		if (skipped[i].type == type && streq(skipped[i].field, field))
			return 1;
	return 0;
}

/* Whether the text may hold an integer constant 0: a 0 that does not continue a number, a name or a
   parameter ($10) starts one (PostgreSQL 15's integers are digits alone), or may (in a string, a
   comment, 0.5): 1 answers "maybe", to be safe. */
static int
may_hold_zero(struct fp *f)
{
	if (f->zero < 0) {
		const unsigned char *p = (const unsigned char *)f->sql;

		f->zero = !p;
		for (size_t i = 0; p && p[i] && !f->zero; i++)
			if (p[i] == '0' && (i == 0 || !((p[i - 1] >= '0' && p[i - 1] <= '9')
			    || (p[i - 1] >= 'A' && p[i - 1] <= 'Z') || (p[i - 1] >= 'a' && p[i - 1] <= 'z')
			    || p[i - 1] == '_' || p[i - 1] == '$' || p[i - 1] >= 0x80)))
				f->zero = 1;
	}
	return f->zero;
}

/* A list whose elements libpg_query hashes one by one and writes sorted. */
static int
sorted_field(const char *f)
{
	switch (f[0]) {
	case 'a': return streq(f, "args");
	case 'c': return streq(f, "cols");
	case 'f': return streq(f, "fromClause");
	case 'r': return streq(f, "rexpr");
	case 't': return streq(f, "targetList");
	case 'v': return streq(f, "valuesLists");
	}
	return 0;
}

/* {"Type":{...}}: a node (else a field of a specific type, or an empty list element {}). */
static inline int
is_node(const struct pt *v)
{
	return v->type == PT_OBJ && v->n == 1 && v->u.o[0].k[0] >= 'A' && v->u.o[0].k[0] <= 'Z'
	    && v->u.o[0].v.type == PT_OBJ;
}

static void node(struct fp *f, const struct pt *v, int psel, const char *field, unsigned depth);
static void fields(struct fp *f, const struct pt *o, int type, int hidename, unsigned depth);

/* A relname without its runs of two digits or more (libpg_query's, for partitions by date). */
static void
put_relname(struct fp *f, const struct pt *v)
{
	const char *s = v->u.s;
	size_t n = v->n;

	if (f->cap - f->n < n)
		grow(f, n);
	for (size_t i = 0; i < n; i++) {
		int digit = s[i] >= '0' && s[i] <= '9';

		if (digit && ((i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9')
		    || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')))
			continue;
		f->b[f->n++] = s[i];
	}
}

struct item {
	uint64_t h;
	size_t off, len;
};

static int
item_cmp(const void *a, const void *b)
{
	uint64_t x = ((const struct item *)a)->h, y = ((const struct item *)b)->h;

	return x > y ? 1 : x < y ? -1 : 0;
}

/* A list (at depth, its elements one level below) of a field of the parent node. */
static void
list(struct fp *f, const struct pt *arr, int psel, const char *field, unsigned depth)
{
	struct item some[16], *it;
	size_t base = f->n, k;

	if (!field || !sorted_field(field)) {
		for (size_t i = 0; i < arr->n && !f->why; i++)
			node(f, &arr->u.a[i], psel, field, depth + 1);
		return;
	}
	it = arr->n <= 16 ? some : xmalloc(arr->n * sizeof *it);
	for (size_t i = 0; i < arr->n && !f->why; i++) {
		it[i].off = f->n;
		node(f, &arr->u.a[i], psel, field, depth + 1);
		it[i].len = f->n - it[i].off;
		it[i].h = XXH3_64bits_withSeed(f->b + it[i].off, it[i].len, FP_VERSION);
	}
	if (!f->why && arr->n > 1 && f->n > base) {   /* else nothing to put in order */
		if (f->tmpcap < f->n - base) {
			free(f->tmp);
			f->tmpcap = f->n - base;
			f->tmp = xmalloc(f->tmpcap);
		}
		memcpy(f->tmp, f->b + base, f->n - base);
		qsort(it, arr->n, sizeof *it, item_cmp);
		f->n = base;
		for (k = 0; k < arr->n; k++)
			if (k == 0 || it[k].h != it[k - 1].h) {
				memcpy(f->b + f->n, f->tmp + (it[k].off - base), it[k].len);
				f->n += it[k].len;
			}
	}
	if (it != some)
		free(it);
}

/* _fingerprintNode: a node, a list, or an empty list element, depth levels down. */
static void
node(struct fp *f, const struct pt *v, int psel, const char *field, unsigned depth)
{
	const struct pt *b, *x;
	const char *name;
	int t;

	if (depth >= FP_DEPTH || f->why)
		return;
	if (v->type == PT_ARR) {
		list(f, v, psel, field, depth);
		return;
	}
	if (v->type == PT_OBJ && v->n == 0)
		return;                           /* a NULL element */
	if (!is_node(v)) {
		f->why = "a value where the JSON has a node";
		return;
	}
	name = v->u.o[0].k;
	b = &v->u.o[0].v;
	switch ((t = type_of(name))) {
	case T_SKIP:
		return;
	case T_LIST:
		if ((x = pt_get(b, "items")) && x->type == PT_ARR)
			list(f, x, psel, field, depth);
		return;
	case T_STRING:
		if (!(x = pt_get(b, "sval")) || x->type != PT_STR) {
			f->why = "a String without its value";
			return;
		}
		PUTLIT(f, "Stringstr");
		put(f, x->u.s, x->n);
		return;
	case T_INTEGER:
		/* the JSON writes an Integer's value when it is above 0 only: 0 writes nothing, -1 its
		   value, and a TypeName's array bound is -1 ([] or ARRAY) or the integer written */
		if ((x = pt_get(b, "ival")) && x->type == PT_INT && x->u.i > 0) {
			PUTLIT(f, "Integerival");
			put_int(f, x->u.i);
		} else if (x || !field || !streq(field, "arrayBounds") || may_hold_zero(f)) {
			f->why = "an Integer whose value the JSON leaves out";
		} else {
			PUTLIT(f, "Integerival-1");
		}
		return;
	case T_FLOAT:
	case T_BITSTRING:
		if ((x = pt_get(b, t == T_FLOAT ? "fval" : "bsval")) && x->type == PT_STR) {
			if (t == T_FLOAT)
				PUTLIT(f, "Floatstr");
			else
				PUTLIT(f, "BitStringstr");
			put(f, x->u.s, x->n);
		}
		return;
	case T_TYPECAST:
		if ((x = pt_get(b, "arg")) && is_node(x)
		    && (streq(x->u.o[0].k, "A_Const") || streq(x->u.o[0].k, "ParamRef")))
			return;                           /* a constant or a parameter: '1'::int, $1::int */
		break;
	}
	puts0(f, name);
	fields(f, b, t, t == T_RESTARGET && psel && field && streq(field, "targetList"), depth);
}

/* The fields of a node of type t, in name order; its nodes and lists one level below depth. */
static void
fields(struct fp *f, const struct pt *o, int t, int hidename, unsigned depth)
{
	unsigned char idx[FP_FIELDS];
	size_t n = o->n, m = 0;

	if (n > FP_FIELDS) {
		f->why = "a node with more fields than any of libpg_query 15's";
		return;
	}
	if (++f->nest > FP_NEST) {
		f->why = "a tree nested too deeply for this walk";
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *k = o->u.o[i].k;
		size_t j = m++;

		/* every node's location, left out before the sort */
		if (k[0] == 'l' && k[1] == 'o' && k[2] == 'c' && k[3] == 'a' && k[4] == 't' && k[5] == 'i'
		    && k[6] == 'o' && k[7] == 'n' && !k[8]) {
			m--;
			continue;
		}
		if (t == T_TYPED) {
			/* a field of a specific type: the types the walk changes are told by a field */
			if (k[0] == 'a' && streq(k, "aliasname")) {
				f->nest--;
				return;                   /* an Alias */
			}
			if (k[0] == 'l' && streq(k, "limitOption"))
				t = T_SELECT;             /* SelectStmt's larg and rarg */
			else if (k[0] == 'r' && streq(k, "relpersistence"))
				t = T_RANGEVAR;
		}
		/* insertion sort: the JSON's order is the struct's, a few fields long */
		while (j > 0 && keycmp(o->u.o[idx[j - 1]].k, k) > 0) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = (unsigned char)i;
	}
	for (size_t i = 0; i < m && !f->why; i++) {
		const char *k = o->u.o[idx[i]].k;
		const struct pt *v = &o->u.o[idx[i]].v;
		size_t mark = f->n, named;

		if (is_skipped(t, k))
			continue;
		if (t == T_RESTARGET && hidename && streq(k, "name"))
			continue;
		if (t == T_RANGEVAR && streq(k, "relname") && v->type == PT_STR) {
			const char *p = pt_str(pt_get(o, "relpersistence"));

			if (!p || !streq(p, "t")) {
				PUTLIT(f, "relname");
				put_relname(f, v);
			}
			continue;
		}
		if (t == T_AEXPR && streq(k, "kind") && v->type == PT_STR
		    && (streq(v->u.s, "AEXPR_IN") || streq(v->u.s, "AEXPR_OP_ANY"))) {
			PUTLIT(f, "kindAEXPR_OP");
			continue;
		}
		if (t == T_FOREIGN && streq(k, "base") && v->type == PT_OBJ) {
			/* an inline CreateStmt: its name, then its fields at this same level, kept if empty */
			PUTLIT(f, "base");
			fields(f, v, T_OTHER, 0, depth);
			continue;
		}
		switch (v->type) {
		case PT_STR:                      /* char *, char and enum fields */
			puts0(f, k);
			put(f, v->u.s, v->n);
			break;
		case PT_INT:
			puts0(f, k);
			put_int(f, v->u.i);
			break;
		case PT_TRUE:
			puts0(f, k);
			PUTLIT(f, "true");
			break;
		case PT_FALSE:
		case PT_NULL:
			break;
		case PT_ARR:
		case PT_OBJ:
			puts0(f, k);
			named = f->n;
			if (v->type == PT_ARR || is_node(v))
				node(f, v, t == T_SELECT, k, depth + 1);
			else
				fields(f, v, T_TYPED, 0, depth + 1);
			/* nothing below: no name either, but for a list of one NULL (SELECT DISTINCT's) */
			if (f->n == named && !(v->type == PT_ARR && v->n == 1 && v->u.a[0].type == PT_OBJ
			    && v->u.a[0].n == 0))
				f->n = mark;
			break;
		default:
			f->why = "a real number";
		}
	}
	f->nest--;
}

int
pgfp_tree(const struct pt *root, const char *sql, uint64_t *fp, const char **why)
{
	struct fp f;   /* not zeroed: its buffer is written before it is read */
	const struct pt *stmts = pt_get(root, "stmts");

	f.b = f.small;
	f.n = 0;
	f.cap = sizeof f.small;
	f.tmp = NULL;
	f.tmpcap = 0;
	f.nest = 0;
	f.sql = sql;
	f.zero = -1;
	f.why = NULL;
	if (!stmts || stmts->type != PT_ARR)
		f.why = "a tree without its statements";
	/* the list of RawStmt at depth 0, the statements one level below */
	for (size_t i = 0; stmts && i < stmts->n && !f.why; i++) {
		if (stmts->u.a[i].type != PT_OBJ) {
			f.why = "a statement that is not an object";
			break;
		}
		PUTLIT(&f, "RawStmt");
		fields(&f, &stmts->u.a[i], T_RAWSTMT, 0, 1);
	}
	if (!f.why)
		*fp = XXH3_64bits_withSeed(f.b, f.n, FP_VERSION);
	if (f.b != f.small)
		free(f.b);
	free(f.tmp);
	*why = f.why;
	return f.why ? -1 : 0;
}
