#include <pg_query.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "pgnames.h"
#include "sqlclass.h"

/* The core kinds: schemas, extensions, types, domains, sequences, tables (columns, constraints,
   partitions, inheritance), indexes. Each handler writes SQL from the record's fields (the
   *_sql texts for expressions) and gives the ordering facts diff_emit does not find itself. */

#define S(o, k) json_string_value(json_object_get((o), (k)))

static int
B(const json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}

static int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Whether two optional strings are equal (both absent counts). */
static int
seq_(const char *a, const char *b)
{
	return (!a && !b) || streq(a, b);
}

/* s appended to b, then freed. */
static void
put(struct buf *b, char *s)
{
	buf_puts(b, s);
	free(s);
}

static void detached_copies(struct diffctx *c, const json_t *old);

static char *
q(const char *name)
{
	return diff_quote(name);
}

/* "column:S.T.C" of a table id and a column name. */
static char *
col_id(const char *tid, const char *name)
{
	char *n = model_ident(name), *r = xasprintf("column:%s.%s", tid + 6, n);

	free(n);
	return r;
}

/* "constraint:S.T.N" of a table id and a constraint name. */
static char *
con_id(const char *tid, const char *name)
{
	char *n = model_ident(name), *r = xasprintf("constraint:%s.%s", tid + 6, n);

	free(n);
	return r;
}

/* A collation as SQL: a qualified name as it is, else quoted. */
static char *
coll_sql(const char *coll)
{
	return strchr(coll, '.') ? xstrdup(coll) : xasprintf("\"%s\"", coll);
}

/* A comma-separated list of quoted names from a JSON array of strings. */
static void
put_names(struct buf *b, const json_t *a)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x) {
		if (i)
			buf_puts(b, ", ");
		put(b, q(json_string_value(x)));
	}
}

/* The ids of a routine id list or a single id in a record field: used by ordering. */
static void
uses_refs(struct diffctx *c, int side, const json_t *part, struct diffchange *ch)
{
	struct strv v = { 0 };

	diff_refs(c, side, part, &v);
	for (size_t i = 0; i < v.n; i++)
		if (side)
			diff_uses(ch, v.v[i]);
		else
			diff_olduses(ch, v.v[i]);
	strv_free(&v);
}

/* ---- schemas and extensions ---- */

static int
d_schema(struct diffctx *c, const json_t *old, const json_t *new)
{
	if (!old) {
		char *n = diff_recname(new);

		diff_emitf(c, S(new, "id"), "create", 0, 0, "CREATE SCHEMA %s", n);
		free(n);
	} else if (!new) {
		char *n = diff_recname(old);

		diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP SCHEMA %s", n);
		free(n);
	} else if (!streq(S(old, "name"), S(new, "name"))) {
		char *a = diff_recname(old), *b = q(S(new, "name"));
		struct diffchange *ch = diff_emitf(c, S(old, "id"), "rename", 0, 0, "ALTER SCHEMA %s RENAME TO %s", a, b);

		diff_drops(ch, S(old, "id"));
		diff_creates(ch, S(new, "id"));
		free(a);
		free(b);
	}
	return 0;
}

static int
d_extension(struct diffctx *c, const json_t *old, const json_t *new)
{
	if (!old) {
		char *n = q(S(new, "name")), *s = q(S(new, "schema"));

		diff_emitf(c, S(new, "id"), "create", 0, 0, "CREATE EXTENSION %s WITH SCHEMA %s", n, s);
		free(n);
		free(s);
	} else if (!new) {
		char *n = q(S(old, "name"));

		diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP EXTENSION %s", n);
		free(n);
	} else if (!streq(S(old, "schema"), S(new, "schema"))) {
		char *n = q(S(new, "name")), *s = q(S(new, "schema"));
		struct diffchange *ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER EXTENSION %s SET SCHEMA %s", n, s);

		uses_refs(c, 1, new, ch);
		free(n);
		free(s);
	}
	return 0;
}

/* ---- sequences ---- */

/* The bounds PostgreSQL gives a sequence of this type. */
static void
type_bounds(const char *t, int64_t *lo, int64_t *hi)
{
	if (streq(t, "smallint")) {
		*lo = INT16_MIN;
		*hi = INT16_MAX;
	} else if (streq(t, "integer")) {
		*lo = INT32_MIN;
		*hi = INT32_MAX;
	} else {
		*lo = INT64_MIN;
		*hi = INT64_MAX;
	}
}

/* A sequence's effective options (defaults filled in). */
struct seqo {
	const char *type;
	int64_t inc, min, max, start, cache;
	int cycle;
};

static void
seq_get(const json_t *r, struct seqo *o)
{
	int64_t lo, hi;
	json_t *v;

	o->type = S(r, "data_type") ? S(r, "data_type") : "bigint";
	type_bounds(o->type, &lo, &hi);
	o->inc = (v = json_object_get(r, "increment")) ? json_integer_value(v) : 1;
	o->min = (v = json_object_get(r, "min")) ? json_integer_value(v) : o->inc > 0 ? 1 : lo;
	o->max = (v = json_object_get(r, "max")) ? json_integer_value(v) : o->inc > 0 ? hi : -1;
	o->start = (v = json_object_get(r, "start")) ? json_integer_value(v) : o->inc > 0 ? o->min : o->max;
	o->cache = (v = json_object_get(r, "cache")) ? json_integer_value(v) : 1;
	o->cycle = B(r, "cycle");
}

/* The options of CREATE SEQUENCE / identity (all: 1) or those that differ from old (ALTER). */
static void
seq_opts(struct buf *b, const json_t *r, const json_t *old, int astype, int alter)
{
	struct seqo n, o;
	const char *sp = "";

	seq_get(r, &n);
	if (old)
		seq_get(old, &o);
	if (astype && (!old ? S(r, "data_type") != NULL : !streq(n.type, o.type))) {
		buf_printf(b, "AS %s", n.type);
		sp = " ";
	}
	if (!old ? json_object_get(r, "increment") != NULL : n.inc != o.inc) {
		buf_printf(b, "%s%sINCREMENT BY %lld", sp, alter ? "SET " : "", (long long)n.inc);
		sp = " ";
	}
	if (!old ? json_object_get(r, "min") != NULL : n.min != o.min || !streq(n.type, o.type)) {
		buf_printf(b, "%s%sMINVALUE %lld", sp, alter ? "SET " : "", (long long)n.min);
		sp = " ";
	}
	if (!old ? json_object_get(r, "max") != NULL : n.max != o.max || !streq(n.type, o.type)) {
		buf_printf(b, "%s%sMAXVALUE %lld", sp, alter ? "SET " : "", (long long)n.max);
		sp = " ";
	}
	if (!old ? json_object_get(r, "start") != NULL : n.start != o.start) {
		buf_printf(b, "%s%sSTART WITH %lld", sp, alter ? "SET " : "", (long long)n.start);
		sp = " ";
	}
	if (!old ? json_object_get(r, "cache") != NULL : n.cache != o.cache) {
		buf_printf(b, "%s%sCACHE %lld", sp, alter ? "SET " : "", (long long)n.cache);
		sp = " ";
	}
	if (!old ? n.cycle : n.cycle != o.cycle)
		buf_printf(b, "%s%s%s", sp, alter ? "SET " : "", n.cycle ? "CYCLE" : "NO CYCLE");
}

/* The identity sequence of a column in the model of side, or NULL. */
static const json_t *
identity_seq(struct diffctx *c, int side, const char *colid)
{
	json_t *all = model_scan(diff_model(c, side)), *r;
	const char *id;

	json_object_foreach(all, id, r)
		if (streq(S(r, "kind"), "sequence") && B(r, "identity") && streq(S(r, "owned_by"), colid))
			return r;
	return NULL;
}

static int
d_sequence(struct diffctx *c, const json_t *old, const json_t *new)
{
	struct buf b = { 0 };
	struct diffchange *ch;

	/* an identity column's sequence goes with the column (the table's handler) */
	if ((old && B(old, "identity")) || (new && B(new, "identity"))) {
		if (old && new && B(old, "identity") && B(new, "identity") && streq(S(old, "owned_by"), S(new, "owned_by"))) {
			char *cn, *tn;
			char *tid;
			const char *col = S(new, "owned_by");

			seq_opts(&b, new, old, 0, 1);
			if (b.len) {
				tn = diff_idsql(col);
				/* column:s.t.c -> the table part and the column */
				cn = diff_idlast(col);
				tid = xstrndup(tn, strlen(tn) - strlen(strrchr(tn, '.')));
				{
					char *qc = q(cn);

					ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s %s", tid, qc, b.data);
					free(qc);
				}
				diff_uses(ch, col);
				free(tn);
				free(cn);
				free(tid);
			}
		}
		/* a sequence of the column's old default left beside an identity that is already there
		   (a serial column made identity by hand): drop it, and give the identity its name */
		if (old && new && !B(old, "identity") && streq(S(old, "owned_by"), S(new, "owned_by"))) {
			const json_t *idq = identity_seq(c, 0, S(new, "owned_by"));

			if (idq) {
				char *n = diff_recname(old), *in = diff_recname(idq), *nn = q(S(new, "name"));

				ch = diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP SEQUENCE %s", n);
				diff_drops(ch, S(old, "id"));
				ch = diff_emitf(c, S(old, "id"), "alter", 0, 0, "ALTER SEQUENCE %s RENAME TO %s", in, nn);
				diff_drops(ch, S(idq, "id"));
				free(n);
				free(in);
				free(nn);
			}
		}
		buf_free(&b);
		return 0;
	}
	if (!old) {
		char *n = diff_recname(new);

		buf_printf(&b, "CREATE SEQUENCE %s", n);
		{
			struct buf o = { 0 };

			seq_opts(&o, new, NULL, 1, 0);
			if (o.len)
				buf_printf(&b, " %s", o.data);
			buf_free(&o);
		}
		ch = diff_emit(c, S(new, "id"), "create", 0, DF_NOREFS, b.data);
		diff_creates(ch, S(new, "id"));
		{
			char *qs = model_ident(S(new, "schema"));
			char *sid = xasprintf("schema:%s", qs);

			diff_uses(ch, sid);
			free(sid);
			free(qs);
		}
		if (S(new, "owned_by")) {
			char *cn = diff_idsql(S(new, "owned_by"));

			ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER SEQUENCE %s OWNED BY %s", n, cn);
			diff_uses(ch, S(new, "owned_by"));
			free(cn);
		}
		free(n);
	} else if (!new) {
		char *n = diff_recname(old);
		char *qs = model_ident(S(old, "schema")), *sid = xasprintf("schema:%s", qs);

		/* IF EXISTS: a sequence owned by a column goes with the column's drop, which comes
		   first (the column's default uses the sequence) */
		ch = diff_emitf(c, S(old, "id"), "drop", 0, DF_NOREFS, "DROP SEQUENCE IF EXISTS %s", n);
		diff_drops(ch, S(old, "id"));
		diff_olduses(ch, sid);
		free(qs);
		free(sid);
		free(n);
	} else {
		char *n = diff_recname(old);

		if (!streq(S(old, "name"), S(new, "name"))) {
			char *nn = q(S(new, "name"));

			ch = diff_emitf(c, S(old, "id"), "rename", 0, 0, "ALTER SEQUENCE %s RENAME TO %s", n, nn);
			diff_drops(ch, S(old, "id"));
			diff_creates(ch, S(new, "id"));
			free(nn);
			free(n);
			n = diff_recname(new);
		}
		seq_opts(&b, new, old, 1, 0);
		if (b.len)
			diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER SEQUENCE %s %s", n, b.data);
		if (!seq_(S(old, "owned_by"), S(new, "owned_by"))) {
			char *cn = S(new, "owned_by") ? diff_idsql(S(new, "owned_by")) : xstrdup("NONE");

			ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER SEQUENCE %s OWNED BY %s", n, cn);
			if (S(new, "owned_by"))
				diff_uses(ch, S(new, "owned_by"));
			/* before the old column goes: it would take the sequence with it */
			if (S(old, "owned_by"))
				diff_olduses(ch, S(old, "owned_by"));
			free(cn);
		}
		free(n);
	}
	buf_free(&b);
	return 0;
}

/* ---- types ---- */

/* Whether a is a subsequence of b (every label of a in b, in the same order). */
static int
subseq(const json_t *a, const json_t *b)
{
	size_t i = 0, j = 0;

	for (; i < json_array_size(a) && j < json_array_size(b); j++)
		if (json_equal(json_array_get(a, i), json_array_get(b, j)))
			i++;
	return i == json_array_size(a);
}

/* The CREATE TYPE statement of a type record. */
static char *
type_create(const json_t *r)
{
	struct buf b = { 0 };
	const char *form = S(r, "form");
	size_t i;
	json_t *x;

	buf_puts(&b, "CREATE TYPE ");
	put(&b, diff_recname(r));
	if (streq(form, "enum")) {
		buf_puts(&b, " AS ENUM (");
		json_array_foreach(json_object_get(r, "labels"), i, x) {
			if (i)
				buf_puts(&b, ", ");
			put(&b, diff_literal(json_string_value(x)));
		}
		buf_puts(&b, ")");
	} else if (streq(form, "composite")) {
		buf_puts(&b, " AS (");
		json_array_foreach(json_object_get(r, "attributes"), i, x) {
			if (i)
				buf_puts(&b, ", ");
			put(&b, q(S(x, "name")));
			buf_printf(&b, " %s", S(x, "type"));
			if (S(x, "collation")) {
				buf_puts(&b, " COLLATE ");
				put(&b, coll_sql(S(x, "collation")));
			}
		}
		buf_puts(&b, ")");
	} else {
		buf_printf(&b, " AS RANGE (SUBTYPE = %s", S(r, "subtype"));
		if (S(r, "subtype_opclass"))
			buf_printf(&b, ", SUBTYPE_OPCLASS = %s", S(r, "subtype_opclass"));
		if (S(r, "collation")) {
			buf_puts(&b, ", COLLATION = ");
			put(&b, coll_sql(S(r, "collation")));
		}
		if (S(r, "canonical"))
		{
			buf_puts(&b, ", CANONICAL = ");
			put(&b, diff_idsql(S(r, "canonical")));
		}
		if (S(r, "subtype_diff"))
		{
			buf_puts(&b, ", SUBTYPE_DIFF = ");
			put(&b, diff_idsql(S(r, "subtype_diff")));
		}
		if (S(r, "multirange")) {
			buf_puts(&b, ", MULTIRANGE_TYPE_NAME = ");
			put(&b, diff_qname(S(r, "schema"), S(r, "multirange")));
		}
		buf_puts(&b, ")");
	}
	return b.data;
}

/* The columns (table id, column record) of the model of side whose type is tname or tname[]. */
static void
columns_of_type(struct diffctx *c, int side, const char *tname, json_t *out)
{
	json_t *all = model_scan(diff_model(c, side)), *r, *col;
	const char *id;
	size_t i, n = strlen(tname);

	json_object_foreach(all, id, r) {
		if (!streq(S(r, "kind"), "table"))
			continue;
		json_array_foreach(json_object_get(r, "columns"), i, col) {
			const char *t = S(col, "type");

			if (t && !B(col, "inherited") && strncmp(t, tname, n) == 0 && (!t[n] || strcmp(t + n, "[]") == 0))
				json_array_append_new(out, json_pack("{s:s,s:O}", "table", id, "col", col));
		}
	}
}

static const json_t *by_name(const json_t *a, const char *name);
static void add_constraint(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *k,
    int newtable);
static void drop_constraint(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *k);

/* Whether key k (old) of table tid is a partition's own primary key or unique key whose index is
   the partition of unique index ix (old, a record of the partitioned parent): its columns are the
   index's keys, plain, in order. PostgreSQL attaches such a matching index to the parent's. */
static int
key_under(const json_t *ix, const json_t *k)
{
	const json_t *keys = json_object_get(ix, "keys"), *cols = json_object_get(k, "columns"), *x;
	size_t i;

	if (!(streq(S(k, "type"), "primary key") || streq(S(k, "type"), "unique")) || B(k, "inherited")
	    || !B(ix, "unique") || S(ix, "where") || S(ix, "method") || json_array_size(json_object_get(ix, "include"))
	    || json_array_size(json_object_get(k, "include")) || json_array_size(keys) != json_array_size(cols))
		return 0;
	json_array_foreach(keys, i, x)
		if (!S(x, "column") || !streq(S(x, "column"), json_string_value(json_array_get(cols, i))) || B(x, "desc")
		    || S(x, "opclass") || S(x, "collation") || B(x, "nulls_first"))
			return 0;
	return 1;
}

static int drops_part_keys(struct diffctx *c, const json_t *ix);

/* The old unique index of the partitioned parent of old table tid that the partition's key k is a
   part of, when that index is dropped by this migration (not in new): DROP INDEX ... CASCADE of
   it drops the key too, and the key's own drop is left out. NULL when none. */
static const json_t *
part_key_cascaded(struct diffctx *c, const char *tid, const json_t *k)
{
	const json_t *t = diff_get(c, 0, tid);
	json_t *all, *r;
	const char *iid;

	if (!t || !S(t, "partition_of"))
		return NULL;
	all = model_scan(diff_model(c, 0));
	json_object_foreach(all, iid, r)
		if (streq(S(r, "kind"), "index") && streq(S(r, "table"), S(t, "partition_of")) && !diff_get(c, 1, iid)
		    && key_under(r, k) && drops_part_keys(c, r))
			return r;
	return NULL;
}

/* Whether dropping old index ix takes a partition's own key with it (above): DROP INDEX needs
   CASCADE then, and the key must go anyway (new has no such key of its own on that partition). */
static int
drops_part_keys(struct diffctx *c, const json_t *ix)
{
	json_t *all = model_scan(diff_model(c, 0)), *r, *k;
	const char *tid;
	size_t i;
	int hit = 0;

	json_object_foreach(all, tid, r) {
		const json_t *nt;

		if (!streq(S(r, "kind"), "table") || !streq(S(r, "partition_of"), S(ix, "table")))
			continue;
		nt = diff_get(c, 1, tid);
		json_array_foreach(json_object_get(r, "constraints"), i, k)
			if (key_under(ix, k)) {
				const json_t *m = nt ? by_name(json_object_get(nt, "constraints"), S(k, "name")) : NULL;

				if (m && !B(m, "inherited"))
					return 0; /* the key stays: not ours to drop */
				hit = 1;
			}
	}
	return hit;
}

static int
identch(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '$'
	    || (ch & 0x80);
}

/* Whether the SQL text expr names the column name: as a whole word or as a quoted identifier. */
static int
mentions(const char *expr, const char *name)
{
	char *qn = q(name);
	size_t n = strlen(name);
	int hit = 0;

	if (!expr)
		return 0;
	for (const char *p = expr; !hit && (p = strstr(p, name)); p++)
		hit = (p == expr || !identch((unsigned char)p[-1])) && !identch((unsigned char)p[n]);
	hit |= strstr(expr, qn) != NULL;
	free(qn);
	return hit;
}

/* The CHECK constraints of the tables in cols (old side) over the columns listed there, each once,
   as {table, con} in out: PostgreSQL keeps their operators and constants of the old type. */
static void
checks_over(struct diffctx *c, const json_t *cols, json_t *out)
{
	size_t i, j, m;
	json_t *x, *k, *y;

	json_array_foreach(cols, i, x) {
		const char *tid = S(x, "table");
		const json_t *ot = diff_get(c, 0, tid);

		json_array_foreach(json_object_get(ot, "constraints"), j, k) {
			int seen = 0;

			if (!streq(S(k, "type"), "check") || !mentions(S(k, "expr_sql"), S(json_object_get(x, "col"), "name")))
				continue;
			json_array_foreach(out, m, y)
				seen |= streq(S(y, "table"), tid) && streq(S(json_object_get(y, "con"), "name"), S(k, "name"));
			if (!seen)
				json_array_append_new(out, json_pack("{s:s,s:O}", "table", tid, "con", k));
		}
	}
}

/* An enum whose labels cannot be added in place: rename the old type away, create the new one,
   move every column over through text, drop the old type. */
static int
enum_swap(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *id = S(new, "id");
	char *on = diff_recname(old), *tmpn = xasprintf("%s__old", S(old, "name")), *qt = q(tmpn);
	char *oldq = diff_qname(S(old, "schema"), tmpn), *cr = type_create(new);
	json_t *cols = json_array(), *checks = json_array(), *x;
	size_t i;
	int lost = 0;
	struct diffchange *ch;
	const char *tname = id + 5;

	json_array_foreach(json_object_get(old, "labels"), i, x) {
		size_t j;
		json_t *y;
		int found = 0;

		json_array_foreach(json_object_get(new, "labels"), j, y)
			found |= json_equal(x, y);
		lost |= !found;
	}
	/* a swap that loses values is destructive as a whole: half of it would leave the old type */
	unsigned df = lost ? DF_DESTRUCTIVE : 0;

	/* what names the type itself (routine signatures, domains, composite attributes, views) would
	   follow the rename and hold the old type: it is created again around the swap */
	{
		struct strv deps = { 0 };

		diff_dependents(c, id, &deps);
		for (size_t k = 0; k < deps.n; k++) {
			json_t *dcols = json_array();

			/* a domain is made again only when no column is of it: the columns would have to
			   move to a third type */
			if (strncmp(deps.v[k], "domain:", 7) == 0)
				columns_of_type(c, 0, deps.v[k] + 7, dcols);
			if (json_array_size(dcols)) {
				const json_t *u = json_array_get(dcols, 0);
				char *ucid = col_id(S(u, "table"), S(json_object_get(u, "col"), "name"));
				int rc = diff_fail(c, id, "labels removed or reordered under %s, which %s is of: conf-diff cannot swap the type under it",
				    deps.v[k], ucid);

				free(ucid);
				json_decref(dcols);
				strv_free(&deps);
				json_decref(cols);
				json_decref(checks);
				free(on);
				free(tmpn);
				free(qt);
				free(oldq);
				free(cr);
				return rc;
			}
			json_decref(dcols);
			if (strncmp(deps.v[k], "table:", 6) != 0 && strncmp(deps.v[k], "column:", 7) != 0
			    && strncmp(deps.v[k], "type:", 5) != 0 && strncmp(deps.v[k], "sequence:", 9) != 0)
				diff_recreate(c, deps.v[k]);
		}
		strv_free(&deps);
	}
	ch = diff_emitf(c, id, "alter", 0, df, "ALTER TYPE %s RENAME TO %s", on, qt);
	ch = diff_emit(c, id, "alter", 0, df, cr);
	diff_creates(ch, id);
	columns_of_type(c, 0, tname, cols);
	checks_over(c, cols, checks);
	json_array_foreach(checks, i, x) {
		char *tn = diff_idsql(S(x, "table"));

		if (diff_get(c, 1, S(x, "table")))
			drop_constraint(c, id, S(x, "table"), tn, json_object_get(x, "con"));
		free(tn);
	}
	json_array_foreach(cols, i, x) {
		const char *tid = S(x, "table");
		const json_t *col = json_object_get(x, "col");
		const json_t *nt = diff_get(c, 1, tid);
		char *tn = diff_idsql(tid), *cn = q(S(col, "name")), *cid = col_id(tid, S(col, "name"));
		int arr = strstr(S(col, "type"), "[]") != NULL;
		struct strv deps = { 0 };

		if (!nt)
			goto next;
		/* views and the like over the column are created again around the change */
		diff_dependents(c, cid, &deps);
		for (size_t k = 0; k < deps.n; k++)
			if (strncmp(deps.v[k], "view:", 5) == 0 || strncmp(deps.v[k], "matview:", 8) == 0
			    || strncmp(deps.v[k], "policy:", 7) == 0 || strncmp(deps.v[k], "rule:", 5) == 0
			    || strncmp(deps.v[k], "trigger:", 8) == 0 || strncmp(deps.v[k], "index:", 6) == 0
			    || strncmp(deps.v[k], "constraint:", 11) == 0)
				diff_recreate(c, deps.v[k]);
		strv_free(&deps);
		if (S(col, "default"))
			diff_emitf(c, id, "alter", 0, df, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tn, cn);
		ch = diff_emitf(c, id, "alter", DH_REWRITE | DH_LOCK | (lost ? DH_DATA_LOSS : 0), df,
		    "ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::text%s::%s", tn, cn, S(col, "type"), cn, arr ? "[]" : "",
		    S(col, "type"));
		diff_uses(ch, tid);
		{
			size_t k;
			json_t *nc;

			json_array_foreach(json_object_get(nt, "columns"), k, nc)
				if (streq(S(nc, "name"), S(col, "name")) && S(nc, "default_sql")) {
					ch = diff_emitf(c, id, "alter", 0, df, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tn, cn,
					    S(nc, "default_sql"));
				}
		}
next:
		free(tn);
		free(cn);
		free(cid);
	}
	/* the checks again, as the new table has them (a check the new model drops stays dropped) */
	json_array_foreach(checks, i, x) {
		const json_t *nt = diff_get(c, 1, S(x, "table")), *k;
		char *tn = diff_idsql(S(x, "table"));
		size_t j;

		json_array_foreach(json_object_get(nt, "constraints"), j, k)
			if (streq(S(k, "name"), S(json_object_get(x, "con"), "name")))
				add_constraint(c, id, S(x, "table"), tn, k, 0);
		free(tn);
	}
	ch = diff_emitf(c, id, "alter", 0, df, "DROP TYPE %s", oldq);
	json_decref(checks);
	json_decref(cols);
	free(on);
	free(tmpn);
	free(qt);
	free(oldq);
	free(cr);
	return 0;
}

static int
d_type(struct diffctx *c, const json_t *old, const json_t *new)
{
	if (!old) {
		char *s = type_create(new);

		diff_emit(c, S(new, "id"), "create", 0, 0, s);
		free(s);
		return 0;
	}
	if (!new) {
		char *n = diff_recname(old);

		diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP TYPE %s", n);
		free(n);
		return 0;
	}
	if (!streq(S(old, "name"), S(new, "name")) || !streq(S(old, "schema"), S(new, "schema"))) {
		char *a = diff_recname(old), *b = q(S(new, "name"));
		struct diffchange *ch;

		if (!streq(S(old, "schema"), S(new, "schema"))) {
			free(a);
			free(b);
			return diff_fail(c, S(old, "id"), "a type cannot be renamed into another schema by conf-diff");
		}
		ch = diff_emitf(c, S(old, "id"), "rename", 0, 0, "ALTER TYPE %s RENAME TO %s", a, b);
		diff_drops(ch, S(old, "id"));
		diff_creates(ch, S(new, "id"));
		free(a);
		free(b);
	}
	if (!streq(S(old, "form"), S(new, "form")))
		return diff_fail(c, S(new, "id"), "the type changes from %s to %s: drop it and create it in two migrations",
		    S(old, "form"), S(new, "form"));
	if (streq(S(new, "form"), "enum")) {
		json_t *ol = json_object_get(old, "labels"), *nl = json_object_get(new, "labels"), *x;
		size_t i;
		char *n = diff_recname(new);

		if (json_equal(ol, nl)) {
			free(n);
			return 0;
		}
		if (!subseq(ol, nl)) {
			free(n);
			return enum_swap(c, old, new);
		}
		/* each new label in place, before the next old label (or after the last) */
		json_array_foreach(nl, i, x) {
			size_t j;
			json_t *y;
			int had = 0;

			json_array_foreach(ol, j, y)
				had |= json_equal(x, y);
			if (!had) {
				char *lit = diff_literal(json_string_value(x)), *where = NULL;

				for (size_t k = i + 1; k < json_array_size(nl) && !where; k++) {
					json_array_foreach(ol, j, y)
						if (json_equal(json_array_get(nl, k), y)) {
							char *l = diff_literal(json_string_value(y));

							where = xasprintf(" BEFORE %s", l);
							free(l);
							break;
						}
				}
				if (!where && i > 0) {
					char *l = diff_literal(json_string_value(json_array_get(nl, i - 1)));

					where = xasprintf(" AFTER %s", l);
					free(l);
				}
				diff_emitf(c, S(new, "id"), "alter", 0, DF_COMMIT, "ALTER TYPE %s ADD VALUE %s%s", n, lit,
				    where ? where : "");
				free(lit);
				free(where);
			}
		}
		free(n);
		return 0;
	}
	if (streq(S(new, "form"), "composite")) {
		json_t *oa = json_object_get(old, "attributes"), *na = json_object_get(new, "attributes"), *x, *y;
		size_t i, j;
		char *n = diff_recname(new);

		json_array_foreach(oa, i, x) {
			const json_t *m = NULL;

			json_array_foreach(na, j, y)
				if (streq(S(x, "name"), S(y, "name")))
					m = y;
			if (!m) {
				char *an = q(S(x, "name"));

				diff_emitf(c, S(new, "id"), "alter", DH_DATA_LOSS, 0, "ALTER TYPE %s DROP ATTRIBUTE %s", n, an);
				free(an);
			} else if (!seq_(S(x, "type"), S(m, "type")) || !seq_(S(x, "collation"), S(m, "collation"))) {
				char *an, *co;
				struct diffchange *ch;
				json_t *users = json_array();

				/* PostgreSQL 15 refuses ALTER ATTRIBUTE ... TYPE (CASCADE too) while a table
				   column is of the type: the stored values would have to be rewritten */
				columns_of_type(c, 0, S(old, "id") + 5, users);
				if (json_array_size(users)) {
					const json_t *u = json_array_get(users, 0);
					char *ucid = col_id(S(u, "table"), S(json_object_get(u, "col"), "name"));
					int rc = diff_fail(c, S(new, "id"),
					    "attribute %s changes type while %s is of the type: PostgreSQL cannot alter it in place "
					    "(drop or change that column in a migration of its own)", S(x, "name"), ucid);

					free(ucid);
					json_decref(users);
					free(n);
					return rc;
				}
				json_decref(users);
				an = q(S(x, "name"));
				co = S(m, "collation") ? coll_sql(S(m, "collation")) : NULL;
				ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER TYPE %s ALTER ATTRIBUTE %s TYPE %s%s%s",
				    n, an, S(m, "type"), co ? " COLLATE " : "", co ? co : "");

				uses_refs(c, 1, m, ch);
				free(an);
				free(co);
			}
		}
		json_array_foreach(na, j, y) {
			int had = 0;

			json_array_foreach(oa, i, x)
				had |= streq(S(x, "name"), S(y, "name"));
			if (!had) {
				char *an = q(S(y, "name")), *co = S(y, "collation") ? coll_sql(S(y, "collation")) : NULL;
				struct diffchange *ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER TYPE %s ADD ATTRIBUTE %s %s%s%s",
				    n, an, S(y, "type"), co ? " COLLATE " : "", co ? co : "");

				uses_refs(c, 1, y, ch);
				free(an);
				free(co);
			}
		}
		/* the order of attributes: PostgreSQL appends; a reorder needs the type made again */
		{
			json_t *names = json_array();

			json_array_foreach(na, j, y)
				json_array_foreach(oa, i, x)
					if (streq(S(x, "name"), S(y, "name")))
						json_array_append_new(names, json_string(S(y, "name")));
			json_array_foreach(oa, i, x) {
				size_t k;
				json_t *z;
				int keep = 0;

				json_array_foreach(na, k, z)
					keep |= streq(S(x, "name"), S(z, "name"));
				if (keep && !streq(json_string_value(json_array_get(names, 0)), S(x, "name"))) {
					json_decref(names);
					free(n);
					return diff_fail(c, S(new, "id"), "the attributes of the composite type change order: conf-diff cannot reorder them");
				}
				if (keep)
					json_array_remove(names, 0);
			}
			json_decref(names);
		}
		free(n);
		return 0;
	}
	/* a range type has no ALTER for its definition */
	if (!diff_same(old, new)) {
		struct strv deps = { 0 };

		diff_dependents(c, S(old, "id"), &deps);
		for (size_t i = 0; i < deps.n; i++)
			if (strncmp(deps.v[i], "table:", 6) == 0 || strncmp(deps.v[i], "domain:", 7) == 0) {
				strv_free(&deps);
				return diff_fail(c, S(new, "id"), "the range type changes and columns use it: conf-diff cannot change it in place");
			}
		strv_free(&deps);
		diff_recreate(c, S(old, "id"));
	}
	return 0;
}

/* ---- domains ---- */

static void
domain_check(struct buf *b, const json_t *k)
{
	buf_puts(b, "CONSTRAINT ");
	put(b, q(S(k, "name")));
	buf_printf(b, " CHECK (%s)", S(k, "expr_sql") ? S(k, "expr_sql") : "true");
}

static int
d_domain(struct diffctx *c, const json_t *old, const json_t *new)
{
	const struct diffopt *o = diff_opt(c);
	struct buf b = { 0 };
	size_t i, j;
	json_t *x, *y;
	char *n;

	if (!old) {
		n = diff_recname(new);
		buf_printf(&b, "CREATE DOMAIN %s AS %s", n, S(new, "type"));
		if (S(new, "collation")) {
			buf_puts(&b, " COLLATE ");
			put(&b, coll_sql(S(new, "collation")));
		}
		if (S(new, "default_sql"))
			buf_printf(&b, " DEFAULT %s", S(new, "default_sql"));
		if (B(new, "not_null"))
			buf_puts(&b, " NOT NULL");
		json_array_foreach(json_object_get(new, "constraints"), i, x)
			if (!B(x, "not_valid")) {
				buf_puts(&b, " ");
				domain_check(&b, x);
			}
		diff_emit(c, S(new, "id"), "create", 0, 0, b.data);
		json_array_foreach(json_object_get(new, "constraints"), i, x)
			if (B(x, "not_valid")) {
				b.len = 0;
				buf_printf(&b, "ALTER DOMAIN %s ADD ", n);
				domain_check(&b, x);
				buf_puts(&b, " NOT VALID");
				diff_emit(c, S(new, "id"), "alter", 0, 0, b.data);
			}
		free(n);
		buf_free(&b);
		return 0;
	}
	if (!new) {
		n = diff_recname(old);
		diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP DOMAIN %s", n);
		free(n);
		return 0;
	}
	n = diff_recname(old);
	if (!streq(S(old, "name"), S(new, "name"))) {
		char *nn = q(S(new, "name"));
		struct diffchange *ch = diff_emitf(c, S(old, "id"), "rename", 0, 0, "ALTER DOMAIN %s RENAME TO %s", n, nn);

		diff_drops(ch, S(old, "id"));
		diff_creates(ch, S(new, "id"));
		free(nn);
		free(n);
		n = diff_recname(new);
	}
	if (!seq_(S(old, "type"), S(new, "type")) || !seq_(S(old, "collation"), S(new, "collation"))) {
		free(n);
		return diff_fail(c, S(new, "id"), "the base type or collation of the domain changes: conf-diff cannot change it in place");
	}
	/* constraints that go or change first */
	json_array_foreach(json_object_get(old, "constraints"), i, x) {
		const json_t *m = NULL;

		json_array_foreach(json_object_get(new, "constraints"), j, y)
			if (streq(S(x, "name"), S(y, "name")))
				m = y;
		if (!m || !diff_field_same(x, m, "expr") || (!B(x, "not_valid") && B(m, "not_valid"))) {
			char *cn = q(S(x, "name"));
			struct diffchange *ch = diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER DOMAIN %s DROP CONSTRAINT %s", n, cn);

			uses_refs(c, 0, x, ch);
			free(cn);
		}
	}
	if (!diff_field_same(old, new, "default")) {
		if (S(new, "default_sql")) {
			diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER DOMAIN %s SET DEFAULT %s", n, S(new, "default_sql"));
		} else {
			diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER DOMAIN %s DROP DEFAULT", n);
		}
	}
	if (B(old, "not_null") != B(new, "not_null"))
		diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER DOMAIN %s %s NOT NULL", n, B(new, "not_null") ? "SET" : "DROP");
	json_array_foreach(json_object_get(new, "constraints"), j, y) {
		const json_t *m = NULL;

		json_array_foreach(json_object_get(old, "constraints"), i, x)
			if (streq(S(x, "name"), S(y, "name")))
				m = x;
		if (m && diff_field_same(m, y, "expr") && !(!B(m, "not_valid") && B(y, "not_valid"))) {
			if (B(m, "not_valid") && !B(y, "not_valid")) {
				char *cn = q(S(y, "name"));

				diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER DOMAIN %s VALIDATE CONSTRAINT %s", n, cn);
				free(cn);
			}
			continue;
		}
		b.len = 0;
		buf_printf(&b, "ALTER DOMAIN %s ADD ", n);
		domain_check(&b, y);
		if (B(y, "not_valid") || o->online)
			buf_puts(&b, " NOT VALID");
		{
			struct diffchange *ch = diff_emit(c, S(new, "id"), "alter", 0, 0, b.data);

			uses_refs(c, 1, y, ch);
		}
		if (!B(y, "not_valid") && o->online) {
			char *cn = q(S(y, "name"));

			diff_emitf(c, S(new, "id"), "alter", 0, 0, "ALTER DOMAIN %s VALIDATE CONSTRAINT %s", n, cn);
			free(cn);
		}
	}
	free(n);
	buf_free(&b);
	return 0;
}

/* ---- tables ---- */

/* The table record of id in the new model, else the old one. */
static const json_t *
table_rec(struct diffctx *c, const char *id)
{
	const json_t *r = diff_get(c, 1, id);

	return r ? r : diff_get(c, 0, id);
}

static int
partitioned(const json_t *t)
{
	return streq(S(t, "relkind"), "partitioned");
}

/* A column definition: name type [COLLATE] [GENERATED ...] [DEFAULT] [NOT NULL]. */
static char *
col_def(struct diffctx *c, const char *tid, const json_t *col)
{
	struct buf b = { 0 };

	put(&b, q(S(col, "name")));
	buf_printf(&b, " %s", S(col, "type"));
	if (S(col, "collation")) {
		buf_puts(&b, " COLLATE ");
		put(&b, coll_sql(S(col, "collation")));
	}
	if (S(col, "generated_sql"))
		buf_printf(&b, " GENERATED ALWAYS AS (%s) STORED", S(col, "generated_sql"));
	if (S(col, "identity")) {
		char *cid = col_id(tid, S(col, "name"));
		const json_t *sq = identity_seq(c, 1, cid);
		struct buf o = { 0 };

		buf_printf(&b, " GENERATED %s AS IDENTITY", streq(S(col, "identity"), "always") ? "ALWAYS" : "BY DEFAULT");
		if (sq)
			seq_opts(&o, sq, NULL, 0, 0);
		if (o.len)
			buf_printf(&b, " (%s)", o.data);
		buf_free(&o);
		free(cid);
	} else if (S(col, "default_sql")) {
		buf_printf(&b, " DEFAULT %s", S(col, "default_sql"));
	}
	if (B(col, "not_null") && !S(col, "identity"))
		buf_puts(&b, " NOT NULL");
	return b.data;
}

/* An index key or exclusion element: column or (expr), COLLATE, opclass, DESC, NULLS. */
static void
key_sql(struct buf *b, const json_t *k)
{
	if (S(k, "column"))
		put(b, q(S(k, "column")));
	else
		buf_printf(b, "(%s)", S(k, "expr_sql") ? S(k, "expr_sql") : "");
	if (S(k, "collation")) {
		buf_puts(b, " COLLATE ");
		put(b, coll_sql(S(k, "collation")));
	}
	if (S(k, "opclass"))
		buf_printf(b, " %s", S(k, "opclass"));
	if (B(k, "desc"))
		buf_puts(b, " DESC");
	if (B(k, "desc") && B(k, "nulls_last"))
		buf_puts(b, " NULLS LAST");
	if (!B(k, "desc") && B(k, "nulls_first"))
		buf_puts(b, " NULLS FIRST");
}

static void
deferrable(struct buf *b, const json_t *k)
{
	if (B(k, "deferrable"))
		buf_puts(b, " DEFERRABLE");
	if (B(k, "initially_deferred"))
		buf_puts(b, " INITIALLY DEFERRED");
}

/* A table constraint's definition: CONSTRAINT name ... (without NOT VALID). */
static char *
con_def(const json_t *k)
{
	struct buf b = { 0 };
	const char *t = S(k, "type");
	size_t i;
	json_t *x;

	buf_puts(&b, "CONSTRAINT ");
	put(&b, q(S(k, "name")));
	if (streq(t, "primary key") || streq(t, "unique")) {
		buf_puts(&b, streq(t, "unique") ? " UNIQUE" : " PRIMARY KEY");
		if (B(k, "nulls_not_distinct"))
			buf_puts(&b, " NULLS NOT DISTINCT");
		buf_puts(&b, " (");
		put_names(&b, json_object_get(k, "columns"));
		buf_puts(&b, ")");
		if (json_array_size(json_object_get(k, "include"))) {
			buf_puts(&b, " INCLUDE (");
			put_names(&b, json_object_get(k, "include"));
			buf_puts(&b, ")");
		}
		deferrable(&b, k);
	} else if (streq(t, "check")) {
		buf_printf(&b, " CHECK (%s)", S(k, "expr_sql") ? S(k, "expr_sql") : "true");
		if (B(k, "no_inherit"))
			buf_puts(&b, " NO INHERIT");
	} else if (streq(t, "foreign key")) {
		buf_puts(&b, " FOREIGN KEY (");
		put_names(&b, json_object_get(k, "columns"));
		buf_puts(&b, ") REFERENCES ");
		put(&b, diff_idsql(S(k, "ref_table")));
		buf_puts(&b, " (");
		put_names(&b, json_object_get(k, "ref_columns"));
		buf_puts(&b, ")");
		if (S(k, "match"))
			buf_printf(&b, " MATCH %s", streq(S(k, "match"), "full") ? "FULL" : "PARTIAL");
		if (S(k, "on_delete"))
			buf_printf(&b, " ON DELETE %s", S(k, "on_delete"));
		if (S(k, "on_update"))
			buf_printf(&b, " ON UPDATE %s", S(k, "on_update"));
		deferrable(&b, k);
	} else if (streq(t, "exclusion")) {
		buf_printf(&b, " EXCLUDE USING %s (", S(k, "method") ? S(k, "method") : "gist");
		json_array_foreach(json_object_get(k, "elements"), i, x) {
			const char *op = S(x, "operator");

			if (i)
				buf_puts(&b, ", ");
			key_sql(&b, x);
			if (op && strchr(op, '.'))
				buf_printf(&b, " WITH OPERATOR(%s)", op);
			else
				buf_printf(&b, " WITH %s", op ? op : "=");
		}
		buf_puts(&b, ")");
		if (json_array_size(json_object_get(k, "include"))) {
			buf_puts(&b, " INCLUDE (");
			put_names(&b, json_object_get(k, "include"));
			buf_puts(&b, ")");
		}
		if (S(k, "where_sql"))
			buf_printf(&b, " WHERE (%s)", S(k, "where_sql"));
		deferrable(&b, k);
	}
	return b.data;
}

/* The ordering facts of a constraint on table tid: what it refers to (side 1: uses; 0: olduses),
   and for a foreign key the keys of the table it references. */
static void
con_facts(struct diffctx *c, int side, const char *tid, const json_t *k, struct diffchange *ch)
{
	json_t *cp = json_deep_copy(k);
	size_t i;
	json_t *x;
	char *cid = con_id(tid, S(k, "name"));

	json_object_set_new(cp, "table", json_string(tid));
	uses_refs(c, side, cp, ch);
	json_decref(cp);
	json_array_foreach(json_object_get(k, "columns"), i, x) {
		char *id = col_id(tid, json_string_value(x));

		side ? diff_uses(ch, id) : diff_olduses(ch, id);
		free(id);
	}
	if (S(k, "ref_table")) {
		const json_t *rt = diff_get(c, side, S(k, "ref_table"));
		json_t *rk;

		json_array_foreach(json_object_get(k, "ref_columns"), i, x) {
			char *id = col_id(S(k, "ref_table"), json_string_value(x));

			side ? diff_uses(ch, id) : diff_olduses(ch, id);
			free(id);
		}

		json_array_foreach(json_object_get(rt, "constraints"), i, rk)
			if (streq(S(rk, "type"), "primary key") || streq(S(rk, "type"), "unique")) {
				char *rid = con_id(S(k, "ref_table"), S(rk, "name"));

				side ? diff_uses(ch, rid) : diff_olduses(ch, rid);
				free(rid);
			}
		/* or a unique index of it */
		{
			json_t *all = model_scan(diff_model(c, side)), *r;
			const char *iid;

			json_object_foreach(all, iid, r) {
				if (streq(S(r, "kind"), "index") && B(r, "unique") && streq(S(r, "table"), S(k, "ref_table")))
					side ? diff_uses(ch, iid) : diff_olduses(ch, iid);
				/* a key on a partitioned table holds on to its partitions too */
				if (!side && streq(S(r, "kind"), "table") && streq(S(r, "partition_of"), S(k, "ref_table")))
					diff_olduses(ch, iid);
			}
		}
	}
	if (side)
		diff_creates(ch, cid);
	else
		diff_drops(ch, cid);
	free(cid);
}

/* Add constraint k to existing table tn (tid): the online forms when asked. newtable: the table
   is created by this migration (no one uses it yet). */
static void
add_constraint(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *k, int newtable)
{
	const struct diffopt *o = diff_opt(c);
	const json_t *t = table_rec(c, tid);
	int online = o->online && !newtable && !partitioned(t);
	const char *ty = S(k, "type");
	char *def = con_def(k), *kn = q(S(k, "name"));
	struct diffchange *ch;

	if (online && (streq(ty, "primary key") || streq(ty, "unique")) && !json_array_size(json_object_get(k, "include"))
	    ) {
		struct buf b = { 0 };
		char *idx = q(S(k, "name"));

		buf_printf(&b, "CREATE UNIQUE INDEX CONCURRENTLY %s ON %s (", idx, tn);
		put_names(&b, json_object_get(k, "columns"));
		buf_puts(&b, ")");
		if (B(k, "nulls_not_distinct"))
			buf_puts(&b, " NULLS NOT DISTINCT");
		ch = diff_emit(c, pair, "alter", DH_INDEX_BUILD, DF_NOTX, b.data);
		con_facts(c, 1, tid, k, ch);
		b.len = 0;
		buf_printf(&b, "ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s", tn, kn,
		    streq(ty, "unique") ? "UNIQUE" : "PRIMARY KEY", idx);
		deferrable(&b, k);
		ch = diff_emit(c, pair, "alter", streq(ty, "primary key") ? DH_LOCK : 0, 0, b.data);
		con_facts(c, 1, tid, k, ch);
		buf_free(&b);
		free(idx);
	} else if ((streq(ty, "check") || streq(ty, "foreign key"))
	    && (B(k, "not_valid") || (streq(ty, "check") && o->online && !newtable) || online)) {
		/* a partitioned table takes a check NOT VALID too (each partition validated in turn), not
		   a foreign key (PostgreSQL 15) */
		ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ADD %s NOT VALID", tn, def);
		con_facts(c, 1, tid, k, ch);
		if (!B(k, "not_valid")) {
			ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s VALIDATE CONSTRAINT %s", tn, kn);
			con_facts(c, 1, tid, k, ch);
		}
	} else {
		unsigned hz = newtable ? 0 : (streq(ty, "check") || streq(ty, "foreign key")) ? DH_LOCK : DH_INDEX_BUILD | DH_LOCK;

		ch = diff_emitf(c, pair, "alter", hz, 0, "ALTER TABLE %s ADD %s", tn, def);
		con_facts(c, 1, tid, k, ch);
	}
	free(def);
	free(kn);
}

static void
drop_constraint(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *k)
{
	if (part_key_cascaded(c, tid, k))
		return;

	char *kn = q(S(k, "name"));
	struct diffchange *ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s DROP CONSTRAINT %s", tn, kn);

	con_facts(c, 0, tid, k, ch);
	free(kn);
}

static int
is_fk(const json_t *k)
{
	return streq(S(k, "type"), "foreign key");
}

/* PARTITION BY ... of a table. */
static void
partition_by(struct buf *b, const json_t *pb)
{
	size_t i;
	json_t *k;
	const char *st = S(pb, "strategy");

	buf_printf(b, " PARTITION BY %s (", streq(st, "list") ? "LIST" : streq(st, "hash") ? "HASH" : "RANGE");
	json_array_foreach(json_object_get(pb, "keys"), i, k) {
		if (i)
			buf_puts(b, ", ");
		key_sql(b, k);
	}
	buf_puts(b, ")");
}

static void
put_options(struct buf *b, const json_t *opts)
{
	size_t i;
	json_t *x;

	json_array_foreach(opts, i, x) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, json_string_value(x));
	}
}

/* A table without its foreign keys: what its creation uses. */
static void
table_uses(struct diffctx *c, const json_t *t, struct diffchange *ch)
{
	json_t *cp = json_deep_copy(t), *ks = json_array(), *k;
	size_t i;

	json_array_foreach(json_object_get(t, "constraints"), i, k)
		if (!is_fk(k))
			json_array_append(ks, k);
	json_object_set_new(cp, "constraints", ks);
	json_object_del(cp, "id");
	json_object_del(cp, "kind");
	uses_refs(c, 1, cp, ch);
	json_decref(cp);
}

static void
table_olduses(struct diffctx *c, const json_t *t, struct diffchange *ch)
{
	json_t *cp = json_deep_copy(t), *ks = json_array(), *k;
	size_t i;

	json_array_foreach(json_object_get(t, "constraints"), i, k)
		if (!is_fk(k))
			json_array_append(ks, k);
	json_object_set_new(cp, "constraints", ks);
	json_object_del(cp, "id");
	json_object_del(cp, "kind");
	uses_refs(c, 0, cp, ch);
	json_decref(cp);
}

static void
rls(struct diffctx *c, const char *id, const char *tn, const json_t *old, const json_t *new)
{
	if (B(old, "rls") != B(new, "rls"))
		diff_emitf(c, id, "alter", 0, 0, "ALTER TABLE %s %s ROW LEVEL SECURITY", tn, B(new, "rls") ? "ENABLE" : "DISABLE");
	if (B(old, "rls_forced") != B(new, "rls_forced"))
		diff_emitf(c, id, "alter", 0, 0, "ALTER TABLE %s %sFORCE ROW LEVEL SECURITY", tn, B(new, "rls_forced") ? "" : "NO ");
}

/* A table made again (dropped and created by this migration): the sequences its columns own
   and that stay are let go before the drop (side 0), which would take them along, and owned
   again after the creation (side 1). */
static void
own_sequences(struct diffctx *c, const char *tid, const char *tn, int side)
{
	json_t *all = model_scan(diff_model(c, side)), *r;
	const char *sid;
	size_t n = strlen(tid + 6);

	(void)tn;
	if (!diff_get(c, !side, tid))
		return;
	json_object_foreach(all, sid, r) {
		const char *ob = S(r, "owned_by");
		const json_t *other = diff_get(c, !side, sid);

		if (!streq(S(r, "kind"), "sequence") || B(r, "identity") || !ob || !other || !streq(S(other, "owned_by"), ob)
		    || strncmp(ob, "column:", 7) != 0 || strncmp(ob + 7, tid + 6, n) != 0 || ob[7 + n] != '.')
			continue;
		{
			char *sn = diff_recname(r), *cn = side ? diff_idsql(ob) : xstrdup("NONE");
			struct diffchange *ch = diff_emitf(c, tid, "alter", 0, 0, "ALTER SEQUENCE %s OWNED BY %s", sn, cn);

			if (side)
				diff_uses(ch, ob);
			free(sn);
			free(cn);
		}
	}
}

static int
table_create(struct diffctx *c, const json_t *t)
{
	const char *id = S(t, "id");
	struct buf b = { 0 };
	char *tn = diff_recname(t);
	size_t i, n = 0;
	json_t *x;
	struct diffchange *ch;

	if (streq(S(t, "relkind"), "foreign")) {
		free(tn);
		return diff_ext_foreign_create(c, t);
	}
	buf_printf(&b, "CREATE %sTABLE %s", B(t, "unlogged") ? "UNLOGGED " : "", tn);
	if (S(t, "partition_of")) {
		buf_puts(&b, " PARTITION OF ");
		put(&b, diff_idsql(S(t, "partition_of")));
	} else {
		buf_puts(&b, " (");
		json_array_foreach(json_object_get(t, "columns"), i, x) {
			if (B(x, "inherited"))
				continue;
			buf_puts(&b, n++ ? ",\n    " : "\n    ");
			put(&b, col_def(c, id, x));
		}
		json_array_foreach(json_object_get(t, "constraints"), i, x) {
			if (B(x, "inherited") || is_fk(x) || B(x, "not_valid"))
				continue;
			buf_puts(&b, n++ ? ",\n    " : "\n    ");
			put(&b, con_def(x));
		}
		buf_puts(&b, n ? "\n)" : ")");
		if (json_array_size(json_object_get(t, "inherits"))) {
			buf_puts(&b, " INHERITS (");
			json_array_foreach(json_object_get(t, "inherits"), i, x) {
				if (i)
					buf_puts(&b, ", ");
				put(&b, diff_idsql(json_string_value(x)));
			}
			buf_puts(&b, ")");
		}
	}
	if (S(t, "partition_of"))
		buf_printf(&b, " %s", S(t, "bound_sql") ? S(t, "bound_sql") : "DEFAULT");
	if (json_object_get(t, "partition_by"))
		partition_by(&b, json_object_get(t, "partition_by"));
	if (json_array_size(json_object_get(t, "options"))) {
		buf_puts(&b, " WITH (");
		put_options(&b, json_object_get(t, "options"));
		buf_puts(&b, ")");
	}
	ch = diff_emit(c, id, "create", 0, DF_NOREFS, b.data);
	diff_creates(ch, id);
	table_uses(c, t, ch);
	buf_free(&b);
	/* a partition's local columns' defaults and not-nulls, and its own constraints */
	if (S(t, "partition_of")) {
		const json_t *p = diff_get(c, 1, S(t, "partition_of"));

		json_array_foreach(json_object_get(t, "columns"), i, x) {
			size_t j;
			json_t *y;
			const json_t *pc = NULL;

			json_array_foreach(json_object_get(p, "columns"), j, y)
				if (streq(S(y, "name"), S(x, "name")))
					pc = y;
			if (!pc)
				continue;
			if (!diff_field_same(pc, x, "default")) {
				char *cn = q(S(x, "name"));

				if (S(x, "default_sql"))
					diff_emitf(c, id, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tn, cn, S(x, "default_sql"));
				else
					diff_emitf(c, id, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tn, cn);
				free(cn);
			}
			if (B(x, "not_null") && !B(pc, "not_null")) {
				char *cn = q(S(x, "name"));

				diff_emitf(c, id, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", tn, cn);
				free(cn);
			}
		}
		json_array_foreach(json_object_get(t, "constraints"), i, x)
			if (!B(x, "inherited") && !is_fk(x))
				add_constraint(c, id, id, tn, x, 1);
	}
	json_array_foreach(json_object_get(t, "constraints"), i, x)
		if (!B(x, "inherited") && (is_fk(x) || (B(x, "not_valid") && !S(t, "partition_of"))))
			add_constraint(c, id, id, tn, x, 1);
	own_sequences(c, id, tn, 1);
	rls(c, id, tn, NULL, t);
	free(tn);
	return 0;
}

static int
table_drop(struct diffctx *c, const json_t *t)
{
	const char *id = S(t, "id");
	char *tn = diff_recname(t);
	size_t i;
	json_t *x;
	struct diffchange *ch;

	if (streq(S(t, "relkind"), "foreign")) {
		free(tn);
		return diff_ext_foreign_drop(c, t);
	}
	/* foreign keys to other tables first: tables referencing each other drop in any order */
	json_array_foreach(json_object_get(t, "constraints"), i, x)
		if (is_fk(x) && !B(x, "inherited") && !streq(S(x, "ref_table"), id))
			drop_constraint(c, id, id, tn, x);
	own_sequences(c, id, tn, 0);
	ch = diff_emitf(c, id, "drop", DH_DATA_LOSS, DF_NOREFS, "DROP TABLE %s", tn);
	diff_drops(ch, id);
	table_olduses(c, t, ch);
	free(tn);
	return 0;
}

/* Whether a type change from a to b keeps the stored bytes (no rewrite) and every value. */
static int
binary_widening(const char *a, const char *b)
{
	if (streq(b, "text") && (strncmp(a, "character varying", 17) == 0 || streq(a, "text")))
		return 1;
	if (streq(b, "character varying") && strncmp(a, "character varying", 17) == 0)
		return 1;
	if (strncmp(a, "character varying(", 18) == 0 && strncmp(b, "character varying(", 18) == 0)
		return atol(b + 18) >= atol(a + 18);
	if (strncmp(a, "numeric(", 8) == 0 && streq(b, "numeric"))
		return 1;
	return 0;
}

/* Whether a type change from a to b may lose values (narrowing). */
static int
narrowing(const char *a, const char *b)
{
	static const char *const ints[] = { "smallint", "integer", "bigint", NULL };
	int ia = -1, ib = -1;

	for (int i = 0; ints[i]; i++) {
		if (streq(a, ints[i]))
			ia = i;
		if (streq(b, ints[i]))
			ib = i;
	}
	if (ia >= 0 && ib >= 0)
		return ib < ia;
	if (strncmp(b, "character varying(", 18) == 0 && (streq(a, "text") || streq(a, "character varying")))
		return 1;
	if (strncmp(a, "character varying(", 18) == 0 && strncmp(b, "character varying(", 18) == 0)
		return atol(b + 18) < atol(a + 18);
	if (strncmp(a, "numeric", 7) == 0 && strncmp(b, "numeric(", 8) == 0 && !streq(a, b))
		return 1;
	return 0;
}

/* The family of a built-in type among which PostgreSQL has assignment casts (ALTER COLUMN
   TYPE needs no USING inside one): 1 numbers, 2 strings, 3 date and times, 4 bit strings; 0
   for any other type (a USING clause is written). */
static int
family(const char *t)
{
	static const struct {
		const char *p;
		int f;
	} fam[] = {
		{ "smallint", 1 }, { "integer", 1 }, { "bigint", 1 }, { "numeric", 1 }, { "real", 1 },
		{ "double precision", 1 }, { "text", 2 }, { "character varying", 2 }, { "character", 2 },
		{ "timestamp", 3 }, { "date", 3 }, { "bit", 4 },
	};

	if (strchr(t, '['))
		return 0;
	for (size_t i = 0; i < sizeof fam / sizeof *fam; i++) {
		size_t n = strlen(fam[i].p);

		if (strncmp(t, fam[i].p, n) == 0 && (!t[n] || t[n] == '(' || t[n] == ' '))
			return fam[i].f;
	}
	return 0;
}

/* The base name of a type (without its typmod). */
static int
same_base(const char *a, const char *b)
{
	size_t na = strcspn(a, "("), nb = strcspn(b, "(");

	return na == nb && strncmp(a, b, na) == 0 && !strchr(a + na, '[') == !strchr(b + nb, '[');
}

/* The kinds that refuse a type change of a column they use: created again around it. */
static void
recreate_users(struct diffctx *c, const char *cid)
{
	struct strv deps = { 0 };

	diff_dependents(c, cid, &deps);
	for (size_t k = 0; k < deps.n; k++)
		if (strncmp(deps.v[k], "view:", 5) == 0 || strncmp(deps.v[k], "matview:", 8) == 0
		    || strncmp(deps.v[k], "policy:", 7) == 0 || strncmp(deps.v[k], "rule:", 5) == 0
		    || strncmp(deps.v[k], "trigger:", 8) == 0)
			diff_recreate(c, deps.v[k]);
	strv_free(&deps);
}

/* Add column col to table tn. */
static void
add_column(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *col)
{
	char *def = col_def(c, tid, col), *cid = col_id(tid, S(col, "name"));
	unsigned hz = 0;
	struct diffchange *ch;

	/* a volatile default or a stored generated column fills every row */
	if (S(col, "generated_sql") || S(col, "identity") || (S(col, "default_sql") && strstr(S(col, "default_sql"), "(")))
		hz = DH_REWRITE | DH_LOCK;
	ch = diff_emitf(c, pair, "alter", hz, 0, "ALTER TABLE %s ADD COLUMN %s", tn, def);
	diff_creates(ch, cid);
	diff_uses(ch, tid);
	uses_refs(c, 1, col, ch);
	free(def);
	free(cid);
}

static void
drop_column(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *col)
{
	char *cn = q(S(col, "name")), *cid = col_id(tid, S(col, "name"));
	struct diffchange *ch = diff_emitf(c, pair, "alter", DH_DATA_LOSS, 0, "ALTER TABLE %s DROP COLUMN %s", tn, cn);

	diff_drops(ch, cid);
	uses_refs(c, 0, col, ch);
	free(cn);
	free(cid);
}

/* Whether column name of child table old/new is made NOT NULL by a parent's SET NOT NULL of this
   migration, which recurses: a parent it stays linked to (partition or inheritance) whose column
   of that name becomes NOT NULL. */
static int
parents_set_not_null(struct diffctx *c, const json_t *old, const json_t *new, const char *name)
{
	struct strv ps = { 0 };
	size_t i;
	json_t *x;
	int hit = 0;

	if (S(new, "partition_of") && streq(S(old, "partition_of"), S(new, "partition_of")) && diff_field_same(old, new, "bound"))
		strv_add(&ps, S(new, "partition_of"));
	json_array_foreach(json_object_get(new, "inherits"), i, x) {
		size_t j;
		json_t *y;

		json_array_foreach(json_object_get(old, "inherits"), j, y)
			if (json_equal(x, y))
				strv_add(&ps, json_string_value(x));
	}
	for (i = 0; i < ps.n && !hit; i++) {
		const json_t *po = diff_get(c, 0, ps.v[i]), *pn = diff_get(c, 1, ps.v[i]);
		const json_t *co = po ? by_name(json_object_get(po, "columns"), name) : NULL;
		const json_t *cn = pn ? by_name(json_object_get(pn, "columns"), name) : NULL;

		hit = co && cn && !B(co, "not_null") && B(cn, "not_null");
	}
	strv_free(&ps);
	return hit;
}

/* SET NOT NULL; online: through a validated check constraint, so the scan holds no
   ACCESS EXCLUSIVE lock (SET NOT NULL then uses the constraint instead of scanning); on a
   partitioned table too, where each step recurses to the partitions. The first change. */
static struct diffchange *
set_not_null(struct diffctx *c, const char *pair, const char *tid, const char *tn, const char *cn, const char *name)
{
	struct diffchange *first;

	(void)tid;
	if (diff_opt(c)->online) {
		char *tname = diff_idlast(tid), *kn = pgn_make_name(tname, name, "not_null"), *qk = q(kn);

		free(tname);

		first = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", tn, qk, cn);
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s VALIDATE CONSTRAINT %s", tn, qk);
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", tn, cn);
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s DROP CONSTRAINT %s", tn, qk);
		free(kn);
		free(qk);
	} else {
		first = diff_emitf(c, pair, "alter", DH_LOCK, 0, "ALTER TABLE %s ALTER COLUMN %s SET NOT NULL", tn, cn);
	}
	return first;
}

/* The column whose type change drops (last: adds again) generated column g of old table ot (new
   nt): PostgreSQL refuses a type change of a column a generated column uses. The first (last)
   column that g's expression names and whose type changes; NULL when none, or g is not generated
   in nt. */
static const char *
regen_by(const json_t *ot, const json_t *nt, const json_t *g, int last)
{
	const json_t *ng = nt ? by_name(json_object_get(nt, "columns"), S(g, "name")) : NULL, *x, *n;
	const char *hit = NULL;
	size_t i;

	if (!S(g, "generated_sql") || !ng || !S(ng, "generated"))
		return NULL;
	/* in the order the columns are changed (the old table's) */
	json_array_foreach(json_object_get(ot, "columns"), i, x) {
		if (streq(S(x, "name"), S(g, "name")) || !(n = by_name(json_object_get(nt, "columns"), S(x, "name"))))
			continue;
		if ((!seq_(S(x, "type"), S(n, "type")) || !seq_(S(x, "collation"), S(n, "collation")))
		    && mentions(S(g, "generated_sql"), S(x, "name"))) {
			hit = S(x, "name");
			if (!last)
				break;
		}
	}
	return hit;
}

/* The changes of one column kept by name (old o, new n). */
static void
alter_column(struct diffctx *c, const char *pair, const char *tid, const char *tn, const json_t *o, const json_t *n)
{
	char *cn = q(S(n, "name")), *cid = col_id(tid, S(n, "name"));
	int typech = !seq_(S(o, "type"), S(n, "type")) || !seq_(S(o, "collation"), S(n, "collation"));
	int defch = !diff_field_same(o, n, "default");
	int dropped_default = 0;
	struct diffchange *ch;
	const json_t *ot = diff_get(c, 0, pair), *nt = diff_get(c, 1, tid), *g;
	size_t gi;

	/* dropped and added again around the type change of a column it uses (below) */
	if (S(o, "generated") && regen_by(ot, nt, o, 0))
		goto done;
	/* generated columns: PostgreSQL 15 can only drop the expression */
	if (!diff_field_same(o, n, "generated")) {
		if (S(o, "generated") && !S(n, "generated") && !typech) {
			diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP EXPRESSION", tn, cn);
		} else {
			drop_column(c, pair, tid, tn, o);
			add_column(c, pair, tid, tn, n);
			goto done;
		}
	}
	if (S(o, "identity") && !S(n, "identity"))
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY", tn, cn);
	/* a new default replaces the old in place; only a type change (the old default is of the old
	   type) or an identity takes it away first */
	if (S(o, "default_sql") && (typech || (S(n, "identity") && !S(o, "identity")))) {
		ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tn, cn);
		uses_refs(c, 0, o, ch);
		dropped_default = 1;
	}
	if (typech && strchr(S(o, "type"), '[') && !strchr(S(n, "type"), '[')) {
		diff_fail(c, cid, "the column changes from an array type (%s) to a scalar one (%s): conf-diff cannot choose the element",
		    S(o, "type"), S(n, "type"));
		goto done;
	}
	if (typech) {
		const char *a = S(o, "type"), *b = S(n, "type");
		int cheap = binary_widening(a, b) && seq_(S(o, "collation"), S(n, "collation"));
		unsigned hz = (cheap ? 0 : DH_REWRITE) | DH_LOCK | (narrowing(a, b) ? DH_DATA_LOSS : 0);
		struct buf s = { 0 };

		recreate_users(c, cid);
		/* the generated columns over it: their values are computed again when they come back */
		json_array_foreach(json_object_get(ot, "columns"), gi, g)
			if (streq(regen_by(ot, nt, g, 0), S(n, "name"))) {
				char *gn = q(S(g, "name")), *gid = col_id(tid, S(g, "name"));
				struct strv deps = { 0 };

				diff_dependents(c, gid, &deps);
				for (size_t k = 0; k < deps.n; k++)
					if (strncmp(deps.v[k], "index:", 6) == 0)
						diff_recreate(c, deps.v[k]);
				strv_free(&deps);
				recreate_users(c, gid);
				ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s DROP COLUMN %s", tn, gn);
				diff_drops(ch, gid);
				free(gn);
				free(gid);
			}
		buf_printf(&s, "ALTER TABLE %s ALTER COLUMN %s TYPE %s", tn, cn, b);
		if (S(n, "collation")) {
			buf_puts(&s, " COLLATE ");
			put(&s, coll_sql(S(n, "collation")));
		}
		/* numbers and dates and times have no cast between them: through their text forms
		   (which holds for the values whose text the new type reads) */
		if ((family(a) == 1 && family(b) == 3) || (family(a) == 3 && family(b) == 1))
			buf_printf(&s, " USING %s::text::%s", cn, b);
		else if (!strchr(a, '[') && strchr(b, '['))
			buf_printf(&s, " USING ARRAY[%s]::%s", cn, b); /* no cast makes an array of a value */
		else if (!same_base(a, b) && !binary_widening(a, b) && !(family(a) && family(a) == family(b)))
			buf_printf(&s, " USING %s::%s", cn, b);
		ch = diff_emit(c, pair, "alter", hz, 0, s.data);
		uses_refs(c, 1, n, ch);
		uses_refs(c, 0, o, ch);
		/* the column in its new type: what uses it (a foreign key to it) comes after */
		diff_creates(ch, cid);
		buf_free(&s);
		json_array_foreach(json_object_get(ot, "columns"), gi, g)
			if (streq(regen_by(ot, nt, g, 1), S(n, "name")))
				add_column(c, pair, tid, tn, by_name(json_object_get(nt, "columns"), S(g, "name")));
	}
	if (S(n, "identity") && !S(o, "identity")) {
		const json_t *sq = identity_seq(c, 1, cid);

		/* an identity column must be NOT NULL first */
		if (!B(o, "not_null"))
			set_not_null(c, pair, tid, tn, cn, S(n, "name"));
		struct buf so = { 0 };

		if (sq)
			seq_opts(&so, sq, NULL, 0, 0);
		/* the old default's sequence (serial) under the identity's name would make PostgreSQL
		   choose another name: it goes first (DROP DEFAULT above released it) */
		if (sq) {
			const json_t *oq = diff_get(c, 0, S(sq, "id"));

			if (oq && !B(oq, "identity")) {
				char *sn = diff_recname(oq);

				ch = diff_emitf(c, pair, "alter", 0, 0, "DROP SEQUENCE %s", sn);
				diff_drops(ch, S(oq, "id"));
				free(sn);
			}
		}
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY%s%s%s", tn, cn,
		    streq(S(n, "identity"), "always") ? "ALWAYS" : "BY DEFAULT", so.len ? " (" : "", so.len ? so.data : "",
		    so.len ? ")" : "");
		buf_free(&so);
		/* the rows already there keep their values: the identity goes on after the largest
		   (setval is strict: an empty table leaves the sequence at its start) */
		{
			char *lt = diff_literal(tn), *lc = diff_literal(S(n, "name"));

			diff_emitf(c, pair, "alter", 0, 0, "SELECT setval(pg_get_serial_sequence(%s, %s), max(%s)) FROM %s", lt, lc, cn,
			    tn);
			free(lt);
			free(lc);
		}
	} else if (S(n, "identity") && S(o, "identity") && !streq(S(n, "identity"), S(o, "identity"))) {
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s", tn, cn,
		    streq(S(n, "identity"), "always") ? "ALWAYS" : "BY DEFAULT");
	}
	if (S(n, "default_sql") && (defch || dropped_default)) {
		ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tn, cn, S(n, "default_sql"));
		uses_refs(c, 1, n, ch);
		if (!dropped_default && S(o, "default_sql"))
			uses_refs(c, 0, o, ch);
	} else if (!S(n, "default_sql") && S(o, "default_sql") && !dropped_default && !S(n, "identity")) {
		ch = diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tn, cn);
		uses_refs(c, 0, o, ch);
	}
	if (B(n, "not_null") && !B(o, "not_null") && !(S(n, "identity") && !S(o, "identity"))) {
		set_not_null(c, pair, tid, tn, cn, S(n, "name"));
	} else if (!B(n, "not_null") && B(o, "not_null")) {
		diff_emitf(c, pair, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", tn, cn);
	}
done:
	free(cn);
	free(cid);
}

/* The record in array a whose "name" is name, or NULL. */
static const json_t *
by_name(const json_t *a, const char *name)
{
	size_t i;
	json_t *x;

	json_array_foreach(a, i, x)
		if (streq(S(x, "name"), name))
			return x;
	return NULL;
}

/* The name a column of old table oid has in the new table (-r column:...=column:...). */
static const char *
new_col_name(struct diffctx *c, const char *oid, const char *name, char **keep)
{
	char *cid = col_id(oid, name);
	const char *to = diff_renamed(c, cid);

	free(cid);
	*keep = to ? diff_idlast(to) : NULL;
	return *keep ? *keep : name;
}

/* The change comes after the changes of the table's parents (old and new). */
static void
after_parents(struct diffchange *ch, const json_t *old, const json_t *new)
{
	const json_t *t[2] = { old, new };
	size_t i;
	json_t *x;

	for (int k = 0; k < 2; k++) {
		if (S(t[k], "partition_of"))
			diff_after(ch, S(t[k], "partition_of"));
		json_array_foreach(json_object_get(t[k], "inherits"), i, x)
			diff_after(ch, json_string_value(x));
	}
}

/* ATTACH PARTITION makes an index of the partition that matches one of the parent's a part of
   it (no longer a record of its own): such an index that stays is made again after the attach. */
static void
adopted_indexes(struct diffctx *c, const char *tid, const char *parent)
{
	json_t *all = model_scan(diff_model(c, 0)), *pall = model_scan(diff_model(c, 1)), *r, *pr;
	const char *iid, *pid;
	static const char *const keys[] = { "keys", "where", "method", "include", "unique", "nulls_not_distinct", NULL };

	json_object_foreach(all, iid, r) {
		if (!streq(S(r, "kind"), "index") || !streq(S(r, "table"), tid) || !diff_get(c, 1, iid))
			continue;
		json_object_foreach(pall, pid, pr) {
			int same = streq(S(pr, "kind"), "index") && streq(S(pr, "table"), parent);

			for (int k = 0; keys[k] && same; k++)
				same = diff_field_same(r, pr, keys[k]);
			if (same) {
				diff_recreate(c, iid);
				break;
			}
		}
	}
}

static int con_same(const json_t *a, const json_t *b);

/* Whether two arrays of names hold the same names (in any order). */
static int
same_names(const json_t *a, const json_t *b)
{
	size_t i, j;
	json_t *x, *y;

	if (json_array_size(a) != json_array_size(b))
		return 0;
	json_array_foreach(a, i, x) {
		int hit = 0;

		json_array_foreach(b, j, y)
			hit |= json_equal(x, y);
		if (!hit)
			return 0;
	}
	return 1;
}

/* Whether the key a foreign key stands on (the referenced table's primary key or unique
   constraint or unique index on its ref_columns) is dropped or made again: the foreign key
   depends on it and must go first and come back after. */
static int
fk_key_changes(struct diffctx *c, const json_t *fk)
{
	const char *rt = S(fk, "ref_table");
	const json_t *ot = diff_get(c, 0, rt), *nt = diff_get(c, 1, rt), *cols = json_object_get(fk, "ref_columns");
	json_t *all, *r, *k;
	const char *iid;
	size_t i;

	if (!ot || !nt)
		return 0;
	if (!seq_(S(ot, "relkind"), S(nt, "relkind")) || !diff_field_same(ot, nt, "partition_by"))
		return 1;
	/* a referenced column whose type changes: the key is checked again with the new types */
	json_array_foreach(cols, i, k) {
		const json_t *a = by_name(json_object_get(ot, "columns"), json_string_value(k));
		const json_t *b = by_name(json_object_get(nt, "columns"), json_string_value(k));

		if (!a || !b || !seq_(S(a, "type"), S(b, "type")))
			return 1;
	}
	json_array_foreach(json_object_get(ot, "constraints"), i, k)
		if ((streq(S(k, "type"), "primary key") || streq(S(k, "type"), "unique")) && same_names(json_object_get(k, "columns"), cols)) {
			const json_t *m = by_name(json_object_get(nt, "constraints"), S(k, "name"));

			return !m || !con_same(k, m);
		}
	all = model_scan(diff_model(c, 0));
	json_object_foreach(all, iid, r) {
		json_t *names, *e;
		int on;

		if (!streq(S(r, "kind"), "index") || !B(r, "unique") || !streq(S(r, "table"), rt) || S(r, "where"))
			continue;
		names = json_array();
		json_array_foreach(json_object_get(r, "keys"), i, e)
			if (S(e, "column"))
				json_array_append_new(names, json_string(S(e, "column")));
		on = same_names(names, cols);
		json_decref(names);
		if (on) {
			const json_t *m = diff_get(c, 1, iid);

			return !m || !diff_same(r, m);
		}
	}
	return 0;
}

/* Whether a local column of a foreign key changes type. */
static int
fk_types_change(const json_t *old, const json_t *new, const json_t *fk)
{
	size_t i;
	json_t *k;

	json_array_foreach(json_object_get(fk, "columns"), i, k) {
		const json_t *a = by_name(json_object_get(old, "columns"), json_string_value(k));
		const json_t *b = by_name(json_object_get(new, "columns"), json_string_value(k));

		if (a && b && !seq_(S(a, "type"), S(b, "type")))
			return 1;
	}
	return 0;
}

/* Whether two constraints are the same but for validity. */
static int
con_same(const json_t *a, const json_t *b)
{
	json_t *x = json_deep_copy(a), *y = json_deep_copy(b);
	int eq;

	json_object_del(x, "not_valid");
	json_object_del(y, "not_valid");
	eq = diff_same(x, y);
	json_decref(x);
	json_decref(y);
	return eq;
}

/* Whether the new table's columns are the old ones that stay, in their order, then the added
   ones: what the ALTERs make. Else a warning: conf-diff does not reorder columns. */
static void
column_order(struct diffctx *c, const char *oid, const json_t *old, const json_t *new)
{
	json_t *want = json_array(), *x;
	size_t i, k = 0;
	int ok = 1;

	json_array_foreach(json_object_get(old, "columns"), i, x) {
		char *keep;
		const char *nn = new_col_name(c, oid, S(x, "name"), &keep);

		if (by_name(json_object_get(new, "columns"), nn) && !B(x, "inherited"))
			json_array_append_new(want, json_string(nn));
		free(keep);
	}
	json_array_foreach(json_object_get(new, "columns"), i, x) {
		if (B(x, "inherited"))
			continue;
		if (k < json_array_size(want)) {
			ok &= streq(json_string_value(json_array_get(want, k)), S(x, "name"));
			k++;
		}
	}
	if (!ok)
		warnx("%s: the order of the columns differs: PostgreSQL appends added columns; the order is left as it is",
		    S(new, "id"));
	json_decref(want);
}

static int
table_alter(struct diffctx *c, const json_t *old, const json_t *new)
{
	const char *oid = S(old, "id"), *id = S(new, "id");
	char *tn = diff_recname(old);
	size_t i;
	json_t *x;
	const json_t *oc = json_object_get(old, "columns"), *nc = json_object_get(new, "columns");
	const json_t *ok = json_object_get(old, "constraints"), *nk = json_object_get(new, "constraints");
	struct diffchange *ch;

	if (streq(S(old, "relkind"), "foreign") || streq(S(new, "relkind"), "foreign")) {
		free(tn);
		return diff_same(old, new) ? 0 : diff_ext_foreign_alter(c, old, new);
	}
	if (!seq_(S(old, "relkind"), S(new, "relkind")) || !diff_field_same(old, new, "partition_by")) {
		free(tn);
		if (diff_get(c, 1, oid) && strcmp(oid, id) == 0) {
			json_t *all = model_scan(diff_model(c, 0)), *r;
			const char *pid;

			/* the only form is DROP TABLE and CREATE TABLE: its rows would go with a statement
			   that is not there to be left out alone (the CREATE needs the drop) */
			if (!diff_opt(c)->allow_destructive)
				return diff_fail(c, id, "the table changes between %s and %s: it would be dropped and created again, "
				    "losing its rows (--allow-destructive to do so)", partitioned(old) ? "partitioned" : "not partitioned",
				    partitioned(new) ? "partitioned" : "not partitioned");
			diff_recreate(c, oid);
			/* its partitions go with it */
			json_object_foreach(all, pid, r)
				if (streq(S(r, "kind"), "table") && streq(S(r, "partition_of"), oid) && diff_get(c, 1, pid))
					diff_recreate(c, pid);
			return 0;
		}
		return diff_fail(c, id, "the table changes between partitioned and not: conf-diff cannot rename and remake it at once");
	}
	/* renames first: the rest names the new table */
	if (strcmp(oid, id) != 0) {
		if (!streq(S(old, "schema"), S(new, "schema"))) {
			char *s = q(S(new, "schema"));

			ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s SET SCHEMA %s", tn, s);
			free(s);
			free(tn);
			tn = diff_qname(S(new, "schema"), S(old, "name"));
		}
		if (!streq(S(old, "name"), S(new, "name"))) {
			char *nn = q(S(new, "name"));

			ch = diff_emitf(c, oid, "rename", 0, 0, "ALTER TABLE %s RENAME TO %s", tn, nn);
			diff_drops(ch, oid);
			diff_creates(ch, id);
			free(nn);
		}
		free(tn);
		tn = diff_recname(new);
	}
	/* partition and inheritance links that go */
	if (S(old, "partition_of") && (!streq(S(old, "partition_of"), S(new, "partition_of")) || !diff_field_same(old, new, "bound"))) {
		char *p = diff_idsql(S(old, "partition_of"));

		ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s DETACH PARTITION %s", p, tn);
		diff_olduses(ch, S(old, "partition_of"));
		free(p);
		if (!S(new, "partition_of"))
			detached_copies(c, old);
	}
	json_array_foreach(json_object_get(old, "inherits"), i, x) {
		size_t j;
		json_t *y;
		int keep = 0;

		json_array_foreach(json_object_get(new, "inherits"), j, y)
			keep |= json_equal(x, y);
		if (!keep) {
			char *p = diff_idsql(json_string_value(x));

			ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s NO INHERIT %s", tn, p);
			diff_olduses(ch, json_string_value(x));
			free(p);
		}
	}
	/* constraints that go or change: foreign keys first */
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(ok, i, x) {
			const json_t *m = by_name(nk, S(x, "name"));

			if (B(x, "inherited") || is_fk(x) != (pass == 0))
				continue;
			if (!m || B(m, "inherited") || !con_same(x, m) || (!B(x, "not_valid") && B(m, "not_valid"))
			    || (is_fk(x) && (fk_key_changes(c, x) || fk_types_change(old, new, x))))
				drop_constraint(c, oid, oid, tn, x);
		}
	/* columns: renamed, dropped, changed */
	json_array_foreach(oc, i, x) {
		char *keep;
		const char *nn = new_col_name(c, oid, S(x, "name"), &keep);
		const json_t *m = by_name(nc, nn);

		if ((B(x, "inherited") && !m) || (m && B(m, "inherited"))) {
			/* what the child has of its own: NOT NULL and the default, after the parent's */
			if (m && (B(x, "not_null") != B(m, "not_null") || !diff_field_same(x, m, "default"))) {
				char *cn = q(nn);

				if (B(x, "not_null") != B(m, "not_null") && !(B(m, "not_null") && parents_set_not_null(c, old, new, nn))) {
					/* the child's own: on a table with rows, the online form and its hazards */
					if (B(m, "not_null"))
						ch = set_not_null(c, oid, id, tn, cn, nn);
					else
						ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL", tn, cn);
					after_parents(ch, old, new);
				}
				if (!diff_field_same(x, m, "default")) {
					if (S(m, "default_sql")) {
						ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", tn, cn, S(m, "default_sql"));
						uses_refs(c, 1, m, ch);
					} else {
						ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", tn, cn);
					}
					uses_refs(c, 0, x, ch);
					after_parents(ch, old, new);
				}
				free(cn);
			}
			free(keep);
			continue;
		}
		if (!m) {
			drop_column(c, oid, oid, tn, x);
		} else {
			if (keep) {
				char *a = q(S(x, "name")), *b = q(nn);
				char *ocid = col_id(oid, S(x, "name")), *ncid = col_id(id, nn);

				ch = diff_emitf(c, oid, "rename", 0, 0, "ALTER TABLE %s RENAME COLUMN %s TO %s", tn, a, b);
				diff_drops(ch, ocid);
				diff_creates(ch, ncid);
				free(a);
				free(b);
				free(ocid);
				free(ncid);
			}
			if (!B(m, "inherited"))
				alter_column(c, oid, id, tn, x, m);
		}
		free(keep);
	}
	json_array_foreach(nc, i, x) {
		int had = 0;
		size_t j;
		json_t *y;

		if (B(x, "inherited"))
			continue;
		json_array_foreach(oc, j, y) {
			char *keep;

			had |= streq(new_col_name(c, oid, S(y, "name"), &keep), S(x, "name"));
			free(keep);
		}
		if (!had)
			add_column(c, oid, id, tn, x);
	}
	/* links that come */
	json_array_foreach(json_object_get(new, "inherits"), i, x) {
		size_t j;
		json_t *y;
		int had = 0;

		json_array_foreach(json_object_get(old, "inherits"), j, y)
			had |= json_equal(x, y);
		if (!had) {
			char *p = diff_idsql(json_string_value(x));

			ch = diff_emitf(c, oid, "alter", DH_LOCK, 0, "ALTER TABLE %s INHERIT %s", tn, p);
			diff_uses(ch, json_string_value(x));
			free(p);
		}
	}
	if (S(new, "partition_of") && (!streq(S(old, "partition_of"), S(new, "partition_of")) || !diff_field_same(old, new, "bound"))) {
		char *p = diff_idsql(S(new, "partition_of"));

		adopted_indexes(c, oid, S(new, "partition_of"));

		ch = diff_emitf(c, oid, "alter", DH_LOCK, 0, "ALTER TABLE %s ATTACH PARTITION %s %s", p, tn,
		    S(new, "bound_sql") ? S(new, "bound_sql") : "DEFAULT");
		diff_uses(ch, S(new, "partition_of"));
		free(p);
	}
	/* constraints that come, or become valid */
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(nk, i, x) {
			const json_t *m = by_name(ok, S(x, "name"));

			if (B(x, "inherited") || is_fk(x) != (pass == 1))
				continue;
			if (m && !B(m, "inherited") && con_same(m, x) && !(!B(m, "not_valid") && B(x, "not_valid"))
			    && !(is_fk(m) && (fk_key_changes(c, m) || fk_types_change(old, new, m)))) {
				if (B(m, "not_valid") && !B(x, "not_valid")) {
					char *kn = q(S(x, "name"));

					ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s VALIDATE CONSTRAINT %s", tn, kn);
					free(kn);
				}
				continue;
			}
			add_constraint(c, oid, id, tn, x, 0);
		}
	/* a partition that stays attached gains the part of a parent's key it lacked (the parent's
	   index was invalid): its index, the key over it, attached to the parent's index */
	if (S(new, "partition_of") && streq(S(old, "partition_of"), S(new, "partition_of")))
		json_array_foreach(nk, i, x) {
			const json_t *pn = diff_get(c, 1, S(new, "partition_of")), *po = diff_get(c, 0, S(new, "partition_of"));
			const json_t *pk = NULL, *m = by_name(ok, S(x, "name")), *y;
			size_t j;

			if (!B(x, "inherited") || !(streq(S(x, "type"), "primary key") || streq(S(x, "type"), "unique")) || m)
				continue;
			json_array_foreach(json_object_get(pn, "constraints"), j, y)
				if (streq(S(y, "type"), S(x, "type")) && json_equal(json_object_get(y, "columns"), json_object_get(x, "columns")))
					pk = y;
			/* a parent key made by this migration attaches the partitions itself */
			if (!pk || !po || !by_name(json_object_get(po, "constraints"), S(pk, "name"))
			    || !con_same(by_name(json_object_get(po, "constraints"), S(pk, "name")), pk))
				continue;
			{
				struct buf b = { 0 };
				char *kn = q(S(x, "name")), *pq = diff_qname(S(pn, "schema"), S(pk, "name"));
				char *xid = xasprintf("index:%s", strchr(id, ':') + 1), *dot = strrchr(xid, '.'), *nn = model_ident(S(x, "name"));
				struct diffchange *c1;

				/* index:S.name of an index the old model has under that name, dropped before */
				*dot = 0;
				dot = xasprintf("%s.%s", xid, nn);
				buf_printf(&b, "CREATE UNIQUE INDEX %s%s ON %s (", diff_opt(c)->online ? "CONCURRENTLY " : "", kn, tn);
				put_names(&b, json_object_get(x, "columns"));
				buf_puts(&b, ")");
				c1 = diff_emit(c, oid, "alter", DH_INDEX_BUILD | (diff_opt(c)->online ? 0 : DH_SHARE_LOCK),
				    diff_opt(c)->online ? DF_NOTX : 0, b.data);
				diff_after(c1, dot);
				ch = diff_emitf(c, oid, "alter", DH_LOCK, 0, "ALTER TABLE %s ADD CONSTRAINT %s %s USING INDEX %s", tn, kn,
				    streq(S(x, "type"), "unique") ? "UNIQUE" : "PRIMARY KEY", kn);
				diff_after(ch, dot);
				{
					char *xn = diff_qname(S(new, "schema"), S(x, "name"));

					ch = diff_emitf(c, oid, "alter", 0, 0, "ALTER INDEX %s ATTACH PARTITION %s", pq, xn);
					diff_after(ch, dot);
					free(xn);
				}
				buf_free(&b);
				free(kn);
				free(pq);
				free(xid);
				free(dot);
				free(nn);
			}
		}
	if (B(old, "unlogged") != B(new, "unlogged"))
		diff_emitf(c, oid, "alter", DH_REWRITE | DH_LOCK, 0, "ALTER TABLE %s SET %s", tn, B(new, "unlogged") ? "UNLOGGED" : "LOGGED");
	if (!diff_field_same(old, new, "options")) {
		struct buf r = { 0 };
		size_t n = 0;

		json_array_foreach(json_object_get(old, "options"), i, x) {
			const char *s = json_string_value(x);
			size_t kl = strcspn(s, "=");
			int still = 0;
			size_t j;
			json_t *y;

			json_array_foreach(json_object_get(new, "options"), j, y)
				still |= strncmp(json_string_value(y), s, kl + 1) == 0;
			if (!still) {
				buf_printf(&r, "%s%.*s", n++ ? ", " : "", (int)kl, s);
			}
		}
		if (n)
			diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s RESET (%s)", tn, r.data);
		if (json_array_size(json_object_get(new, "options"))) {
			r.len = 0;
			put_options(&r, json_object_get(new, "options"));
			diff_emitf(c, oid, "alter", 0, 0, "ALTER TABLE %s SET (%s)", tn, r.data);
		}
		buf_free(&r);
	}
	rls(c, oid, tn, old, new);
	column_order(c, oid, old, new);
	free(tn);
	return 0;
}

/* Whether name is a relation of schema (ctx) in the old model, or an index name of a key. */
struct relctx {
	struct diffctx *c;
	const char *schema;
	struct strv *chosen;
};

static int
rel_taken(const char *name, void *ctx)
{
	const struct relctx *x = ctx;
	static const char *const kinds[] = { "table", "index", "sequence", "view", "matview", "type" };
	json_t *all = model_scan(diff_model(x->c, 0)), *r, *k;
	const char *id;
	size_t i;

	for (i = 0; i < x->chosen->n; i++)
		if (streq(x->chosen->v[i], name))
			return 1;
	for (i = 0; i < sizeof kinds / sizeof *kinds; i++) {
		char *sn = model_ident(x->schema), *nn = model_ident(name), *rid = xasprintf("%s:%s.%s", kinds[i], sn, nn);
		const json_t *t = diff_get(x->c, 0, rid);

		free(sn);
		free(nn);
		free(rid);
		if (t && (i < 5 || streq(S(t, "form"), "composite")))
			return 1;
	}
	json_object_foreach(all, id, r)
		if (streq(S(r, "kind"), "table") && streq(S(r, "schema"), x->schema))
			json_array_foreach(json_object_get(r, "constraints"), i, k)
				if (streq(S(k, "name"), name) && !streq(S(k, "type"), "check") && !streq(S(k, "type"), "foreign key"))
					return 1;
	return 0;
}

/* FigureColname of an index expression's node: the name PostgreSQL gives its column; NULL: none. */
static const char *
figure(json_t *n)
{
	const json_t *v;

	if ((v = json_object_get(n, "FuncCall"))) {
		json_t *f = json_object_get((json_t *)v, "funcname");
		json_t *last = json_array_get(f, json_array_size(f) - 1);

		return json_string_value(json_object_get(json_object_get(last, "String"), "sval"));
	}
	if ((v = json_object_get(n, "TypeCast"))) {
		const char *a = figure(json_object_get((json_t *)v, "arg"));
		json_t *nm = json_object_get(json_object_get((json_t *)v, "typeName"), "names");
		json_t *last = json_array_get(nm, json_array_size(nm) - 1);

		return a ? a : json_string_value(json_object_get(json_object_get(last, "String"), "sval"));
	}
	if ((v = json_object_get(n, "ColumnRef"))) {
		json_t *f = json_object_get((json_t *)v, "fields");
		json_t *last = json_array_get(f, json_array_size(f) - 1);

		return json_string_value(json_object_get(json_object_get(last, "String"), "sval"));
	}
	if (json_object_get(n, "CoalesceExpr"))
		return "coalesce";
	if (json_object_get(n, "CaseExpr"))
		return "case";
	if (json_object_get(n, "A_ArrayExpr"))
		return "array";
	if (json_object_get(n, "RowExpr"))
		return "row";
	if ((v = json_object_get(n, "MinMaxExpr")))
		return streq(S(v, "op"), "IS_GREATEST") ? "greatest" : "least";
	return NULL;
}

/* The column name ChooseIndexColumnNames starts from for an index expression (its text). */
static char *
expr_colname(const char *sql)
{
	char *q = xasprintf("SELECT %s", sql ? sql : "NULL");
	PgQueryParseResult pr;

	pgq_used();
	pr = pg_query_parse(q);
	json_t *tree = pr.error ? NULL : json_loads(pr.parse_tree, 0, NULL);
	json_t *st = json_object_get(json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt"), "SelectStmt");
	json_t *rt = json_object_get(json_object_get(json_array_get(json_object_get(st, "targetList"), 0), "ResTarget"), "val");
	const char *f = rt ? figure(rt) : NULL;
	char *r = xstrdup(f ? f : "expr");

	pg_query_free_parse_result(pr);
	json_decref(tree);
	free(q);
	return r;
}

/* A partition detached keeps the copies PostgreSQL made of its parent's indexes (not records: the
   model leaves inherited indexes out), which a table on its own does not have in new: drop each,
   by the name PostgreSQL chose for it (ChooseIndexName: table, key columns or "expr", "idx",
   numbered past the names taken). */
static void
detached_copies(struct diffctx *c, const json_t *old)
{
	json_t *all = model_scan(diff_model(c, 0)), *r, *k;
	const char *iid;
	struct strv chosen = { 0 };
	struct relctx x = { c, S(old, "schema"), &chosen };
	const struct diffopt *o = diff_opt(c);

	json_object_foreach(all, iid, r) {
		struct buf cols = { 0 };
		struct strv names = { 0 };
		size_t i;
		char *name, *nid, *sn, *nn;

		if (!streq(S(r, "kind"), "index") || !streq(S(r, "table"), S(old, "partition_of")))
			continue;
		json_array_foreach(json_object_get(r, "keys"), i, k) {
			char *base = S(k, "column") ? xstrdup(S(k, "column")) : expr_colname(S(k, "expr_sql"));
			char *nm = xstrdup(base);

			/* ChooseIndexColumnNames: a name twice gets 1, 2, ... */
			for (int n = 1;; n++) {
				size_t j;
				int dup = 0;

				for (j = 0; j < names.n; j++)
					dup |= streq(names.v[j], nm);
				if (!dup)
					break;
				free(nm);
				nm = xasprintf("%s%d", base, n);
			}
			strv_take(&names, nm);
			free(base);
		}
		json_array_foreach(json_object_get(r, "include"), i, k)
			strv_add(&names, json_string_value(k));
		for (i = 0; i < names.n; i++)
			buf_printf(&cols, "%s%s", i ? "_" : "", names.v[i]);
		strv_free(&names);
		name = pgn_choose(S(old, "name"), cols.data ? cols.data : "", "idx", rel_taken, &x);
		buf_free(&cols);
		strv_add(&chosen, name);
		sn = model_ident(S(old, "schema"));
		nn = model_ident(name);
		nid = xasprintf("index:%s.%s", sn, nn);
		/* new has an index of that name: it stays as the table's own */
		if (!diff_get(c, 1, nid)) {
			int conc = o->online;
			char *qn = diff_qname(S(old, "schema"), name);

			diff_emitf(c, S(old, "id"), "alter", 0, conc ? DF_NOTX : 0, "DROP INDEX %s%s", conc ? "CONCURRENTLY " : "", qn);
			free(qn);
		}
		free(nid);
		free(sn);
		free(nn);
		free(name);
	}
	strv_free(&chosen);
}

static int
d_table(struct diffctx *c, const json_t *old, const json_t *new)
{
	if (!old)
		return table_create(c, new);
	if (!new)
		return table_drop(c, old);
	return table_alter(c, old, new);
}

/* ---- indexes ---- */

static char *
index_sql(struct diffctx *c, const json_t *r, int concurrently)
{
	struct buf b = { 0 };
	size_t i;
	json_t *k;

	(void)c;
	buf_printf(&b, "CREATE %sINDEX %s", B(r, "unique") ? "UNIQUE " : "", concurrently ? "CONCURRENTLY " : "");
	put(&b, q(S(r, "name")));
	buf_puts(&b, " ON ");
	put(&b, diff_idsql(S(r, "table")));
	if (S(r, "method"))
		buf_printf(&b, " USING %s", S(r, "method"));
	buf_puts(&b, " (");
	json_array_foreach(json_object_get(r, "keys"), i, k) {
		if (i)
			buf_puts(&b, ", ");
		key_sql(&b, k);
	}
	buf_puts(&b, ")");
	if (json_array_size(json_object_get(r, "include"))) {
		buf_puts(&b, " INCLUDE (");
		put_names(&b, json_object_get(r, "include"));
		buf_puts(&b, ")");
	}
	if (B(r, "nulls_not_distinct"))
		buf_puts(&b, " NULLS NOT DISTINCT");
	if (json_array_size(json_object_get(r, "options"))) {
		buf_puts(&b, " WITH (");
		put_options(&b, json_object_get(r, "options"));
		buf_puts(&b, ")");
	}
	if (S(r, "where_sql"))
		buf_printf(&b, " WHERE (%s)", S(r, "where_sql"));
	return b.data;
}

static int
d_index(struct diffctx *c, const json_t *old, const json_t *new)
{
	const struct diffopt *o = diff_opt(c);

	if (!old) {
		const char *tid = S(new, "table");
		const json_t *t = diff_get(c, 1, tid);
		/* a table this migration creates (or remakes) is not in use yet */
		int existing = diff_get(c, 0, tid) && !diff_dropped(c, tid);
		int conc = o->online && existing && !partitioned(t);
		char *s = index_sql(c, new, conc);

		struct diffchange *ch = diff_emit(c, S(new, "id"), "create", existing ? DH_INDEX_BUILD | (conc ? 0 : DH_SHARE_LOCK) : 0,
		    conc ? DF_NOTX : 0, s);

		/* a partition's own index after its parent's: made before, it would be taken as the
		   parent's index's partition */
		if (S(t, "partition_of")) {
			json_t *all = model_scan(diff_model(c, 1)), *r;
			const char *iid;

			json_object_foreach(all, iid, r)
				if (streq(S(r, "kind"), "index") && streq(S(r, "table"), S(t, "partition_of")))
					diff_after(ch, iid);
		}
		free(s);
		return 0;
	}
	if (!new) {
		const json_t *t = diff_get(c, 0, S(old, "table"));
		int conc = o->online && !partitioned(t) && streq(S(t, "kind"), "table");
		char *n = diff_recname(old);

		if (partitioned(t) && drops_part_keys(c, old))
			/* the partitions' keys over its parts go with it (they cannot go first) */
			diff_emitf(c, S(old, "id"), "drop", 0, 0, "DROP INDEX %s CASCADE", n);
		else
			diff_emitf(c, S(old, "id"), "drop", 0, conc ? DF_NOTX : 0, "DROP INDEX %s%s", conc ? "CONCURRENTLY " : "", n);
		free(n);
		return 0;
	}
	{
		json_t *a = json_deep_copy(old), *b = json_deep_copy(new);
		int same;

		json_object_del(a, "schema");
		json_object_del(b, "schema");
		same = diff_same(a, b);
		json_decref(a);
		json_decref(b);
		if (!same) {
			diff_recreate(c, S(old, "id"));
			return 0;
		}
	}
	if (!streq(S(old, "name"), S(new, "name"))) {
		char *a = diff_recname(old), *b = q(S(new, "name"));
		struct diffchange *ch = diff_emitf(c, S(old, "id"), "rename", 0, 0, "ALTER INDEX %s RENAME TO %s", a, b);

		diff_drops(ch, S(old, "id"));
		diff_creates(ch, S(new, "id"));
		free(a);
		free(b);
	}
	return 0;
}

/* Ranks: schema 0, extension 10, type 20, domain 25, sequence 30, (function/procedure 40),
   table 50, (view/matview 60), index 70, (trigger/rule/policy 80, publication 85, comment,
   owner, grant, default_acl 90..). */
const struct diffkind diff_core_kinds[] = {
	{ "schema", d_schema, 0 },
	{ "extension", d_extension, 10 },
	{ "type", d_type, 20 },
	{ "domain", d_domain, 25 },
	{ "sequence", d_sequence, 30 },
	{ "table", d_table, 50 },
	{ "index", d_index, 70 },
	{ NULL, NULL, 0 },
};
