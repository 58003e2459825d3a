/*
 * A mapping table resolved against the catalogs of both sides: which target columns are filled
 * and from what, the casts, the key verify chunks by, the sequences to move past the copied
 * values and the tables the target's foreign keys refer to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"
#include "s2splan.h"
#include "sqltext.h"

/* One column of a catalog. */
struct catcol {
	char *name, *type, *base, *seq;
	int notnull, hasdef, always, generated, isint;
};

char *
s2s_qi(PGconn *c, const char *name)
{
	char *q = PQescapeIdentifier(c, name, strlen(name)), *r;

	if (!q)
		die(EX_FAIL, "cannot quote %s: %s", name, PQerrorMessage(c));
	r = xstrdup(q);
	PQfreemem(q);
	return r;
}

char *
s2s_ql(PGconn *c, const char *s)
{
	char *q = PQescapeLiteral(c, s, strlen(s)), *r;

	if (!q)
		die(EX_FAIL, "cannot quote a literal: %s", PQerrorMessage(c));
	r = xstrdup(q);
	PQfreemem(q);
	return r;
}

void
s2s_join(struct buf *b, const struct strv *v, const char *pre, const char *post)
{
	for (size_t i = 0; i < v->n; i++)
		buf_printf(b, "%s%s%s%s", i ? ", " : "", pre, v->v[i], post);
}

void
s2s_rowhash(struct buf *b, const struct strv *v)
{
	/* a 64-bit hash of the row's text, summed as numeric by the caller: the sum does not depend
	   on the order of the rows. A record's text tells NULL from '' and quotes what needs it.
	   Output functions are not pushed down by postgres_fdw: the source's rows come through the
	   foreign table and are hashed here, in a session set as postgres_fdw sets the remote one
	   (s2s_session). hashtextextended costs a fifth of md5 with its hex and bit casts. */
	buf_puts(b, "hashtextextended(ROW(");
	s2s_join(b, v, "", "");
	buf_puts(b, ")::text, 0)");
}

int
s2s_session(PGconn *c)
{
	/* postgres_fdw's remote session (set_transmission_modes and configure_remote_session) */
	static const char *const set[] = { "SET TimeZone = 'UTC'", "SET DateStyle = 'ISO'",
		"SET IntervalStyle = 'postgres'", "SET extra_float_digits = 3" };
	int st = EX_OK;

	for (size_t i = 0; i < sizeof set / sizeof *set && st == EX_OK; i++)
		st = pg_run(c, set[i]);
	return st;
}

static void
catfree(struct catcol *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name), free(v[i].type), free(v[i].base), free(v[i].seq);
	free(v);
}

/* The columns of table name (quoted, qualified) on c; their number, or -1 after a message
   (at pos when the table does not exist, what being "source table" or "target table"). */
static long
catalog(PGconn *c, const char *name, const struct srcpos *pos, const char *what, struct catcol **out)
{
	const char *p[1] = { name };
	PGresult *r = pg_query(c, "SELECT to_regclass($1) IS NOT NULL", 1, p);
	long n;

	if (!r)
		return -1;
	if (strcmp(PQgetvalue(r, 0, 0), "t") != 0) {
		if (strcmp(what, "staging table") == 0)
			warnat(pos, "%s %s does not exist (the postgres_fdw link is made by confiture migrate "
			    "schema-to-schema setup)", what, name);
		else
			warnat(pos, "%s %s does not exist", what, name);
		PQclear(r);
		return -2;
	}
	PQclear(r);
	if (!(r = pg_query(c, sql_s2s_columns, 1, p)))
		return -1;
	n = PQntuples(r);
	*out = xcalloc((size_t)n + 1, sizeof **out);
	for (long i = 0; i < n; i++) {
		struct catcol *k = &(*out)[i];

		k->name = xstrdup(PQgetvalue(r, (int)i, 0));
		k->type = xstrdup(PQgetvalue(r, (int)i, 1));
		k->base = xstrdup(PQgetvalue(r, (int)i, 2));
		k->notnull = *PQgetvalue(r, (int)i, 3) == 't';
		k->hasdef = *PQgetvalue(r, (int)i, 4) == 't';
		k->always = *PQgetvalue(r, (int)i, 5) == 'a';
		k->generated = *PQgetvalue(r, (int)i, 6) == 't';
		k->seq = PQgetisnull(r, (int)i, 7) ? NULL : xstrdup(PQgetvalue(r, (int)i, 7));
		k->isint = *PQgetvalue(r, (int)i, 8) == 't';
	}
	PQclear(r);
	return n;
}

static struct catcol *
findcol(struct catcol *v, long n, const char *name)
{
	for (long i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* Add one filled target column d with source value expr (SQL) of type srcbase (NULL for an
   expression, whose type is unknown here). */
static void
fill(PGconn *c, struct s2stable *o, const struct catcol *d, const char *expr, const struct catcol *x)
{
	const char *srcbase = x ? x->base : NULL;

	strv_take(&o->cols, s2s_qi(c, d->name));
	/* a value is cast to the target's type without its modifier: a text too long for
	   varchar(50) then fails the assignment instead of being cut as an explicit cast would */
	if (srcbase && strcmp(srcbase, d->base) == 0)
		strv_add(&o->ins, expr);
	else
		strv_take(&o->ins, xasprintf("(%s)::%s", expr, d->base));
	strv_add(&o->raw, expr);
	strv_take(&o->cmp, xasprintf("(%s)::%s", expr, d->type));
	/* a source column compares with the target's key values as it is when its type orders them
	   alike (the same type, or integers of two sizes): the source's index then serves a range */
	if (x && (strcmp(x->base, d->base) == 0 || (x->isint && d->isint)))
		strv_add(&o->rng, expr);
	else
		strv_add(&o->rng, o->cmp.v[o->cmp.n - 1]);
	if (!d->always)
		strv_take(&o->upd, s2s_qi(c, d->name));
}

char *
s2s_staging_of(const char *staging, const char *schema)
{
	/* public is upstream's old_schema itself; another schema gets its own, so that two schemas'
	   tables of one name stay apart */
	return strcmp(schema, "public") == 0 ? xstrdup(staging) : xasprintf("%s_%s", staging, schema);
}

int
s2s_plan(PGconn *c, PGconn *s, const char *staging, struct maptable *m, struct s2stable *o)
{
	struct catcol *tc = NULL, *sc = NULL;
	long nt = 0, ns = 0;
	int st = EX_CONFIG;
	char *a, *b, *done = NULL;
	PGresult *r;
	const char *p[1];

	memset(o, 0, sizeof *o);
	o->m = m;
	a = s2s_qi(c, m->dst_schema), b = s2s_qi(c, m->dst_rel);
	o->target = xasprintf("%s.%s", a, b);
	free(a), free(b);
	o->tgt_label = xasprintf("%s.%s", m->dst_schema, m->dst_rel);
	a = s2s_qi(c, m->src_schema);
	o->source = xasprintf("%s.%s", a, b = s2s_qi(c, m->src_rel));
	free(a);
	done = s2s_staging_of(staging, m->src_schema);
	a = s2s_qi(c, done);
	free(done), done = NULL;
	o->stage = xasprintf("%s.%s", a, b);
	free(a), free(b);

	if ((nt = catalog(c, o->target, &m->pos, "target table", &tc)) < 0) {
		st = nt == -1 ? pg_failed(c) : EX_CONFIG;
		goto out;
	}
	if ((ns = catalog(s ? s : c, s ? o->source : o->stage, &m->pos,
	         s ? "source table" : "staging table", &sc)) < 0) {
		st = ns == -1 ? pg_failed(s ? s : c) : EX_CONFIG;
		goto out;
	}
	done = xcalloc((size_t)nt + 1, 1);
	if (!m->has_columns) {
		for (long i = 0; i < nt; i++) {
			struct catcol *x = findcol(sc, ns, tc[i].name);

			if (x && !tc[i].generated) {
				char *q = s2s_qi(c, x->name);

				fill(c, o, &tc[i], q, x);
				free(q);
				done[i] = 1;
			}
		}
	}
	for (size_t i = 0; i < m->ncols; i++) {
		struct mapcol *mc = &m->cols[i];
		struct catcol *d = NULL, *x = NULL;

		if (mc->src && !(x = findcol(sc, ns, mc->src))) {
			warnat(&mc->pos, "source column %s is not in %s", mc->src, s ? o->source : o->stage);
			goto fail;
		}
		if (!mc->dst)
			continue;
		if (!(d = findcol(tc, nt, mc->dst))) {
			warnat(&mc->pos, "target column %s is not in %s", mc->dst, o->tgt_label);
			goto fail;
		}
		/* {default: true} is what analyze writes for a generated column: left to the target */
		if (d->generated && !mc->dflt) {
			warnat(&mc->pos, "target column %s is generated: it cannot be filled", mc->dst);
			goto fail;
		}
		done[d - tc] = 1;
		if (mc->dflt)
			continue;
		if (mc->expr) {
			fill(c, o, d, mc->expr, NULL);
		} else {
			char *q = s2s_qi(c, x->name);

			fill(c, o, d, q, x);
			free(q);
		}
	}
	for (long i = 0; i < nt; i++) {
		if (!done[i] && tc[i].notnull && !tc[i].hasdef && !tc[i].generated) {
			warnat(&m->pos, "target column %s of %s is NOT NULL without a default and nothing fills "
			    "it: map a source column to it or give it {expr: \"SQL\"}", tc[i].name, o->tgt_label);
			goto fail;
		}
		if (tc[i].seq)
			strv_take(&o->seqs, xasprintf("%s\t%s", tc[i].name, tc[i].seq));
	}

	/* the key: the mapping's, else the target's primary key */
	if (m->key) {
		for (size_t i = 0; i < m->nkey; i++)
			strv_add(&o->keyname, m->key[i]);
	} else {
		p[0] = o->target;
		if (!(r = pg_query(c, sql_s2s_pkey, 1, p))) {
			st = pg_failed(c);
			goto out;
		}
		for (int i = 0; i < PQntuples(r); i++)
			strv_add(&o->keyname, PQgetvalue(r, i, 0));
		PQclear(r);
	}
	for (size_t i = 0; i < o->keyname.n; i++) {
		struct catcol *d = findcol(tc, nt, o->keyname.v[i]);
		char *q = d ? s2s_qi(c, d->name) : NULL;
		size_t j;

		for (j = 0; q && j < o->cols.n && strcmp(o->cols.v[j], q) != 0; j++)
			;
		if ((!q || j == o->cols.n) && m->key) {
			warnat(&m->keypos, "key column %s of %s is not filled from the source: verify cannot "
			    "compare by it", o->keyname.v[i], o->tgt_label);
			free(q);
			goto fail;
		}
		if (!q || j == o->cols.n) {
			/* a primary key the target makes itself (a new identity): no key to compare by */
			free(q);
			strv_free(&o->key), strv_free(&o->keysrc), strv_free(&o->keyrng);
			o->intkey = 0;
			break;
		}
		strv_take(&o->key, q);
		strv_add(&o->keysrc, o->cmp.v[j]);
		strv_add(&o->keyrng, o->rng.v[j]);
		/* the upsert of a re-copied range sets every column but the key */
		for (size_t u = 0; u < o->upd.n; u++)
			if (strcmp(o->upd.v[u], o->key.v[i]) == 0) {
				free(o->upd.v[u]);
				o->upd.v[u] = o->upd.v[--o->upd.n];
				break;
			}
		o->intkey = o->keyname.n == 1 && d->isint;
		if (o->keyname.n == 1)
			o->keytype = xstrdup(d->type);
	}

	p[0] = o->target;
	if (!(r = pg_query(c, sql_s2s_fkeys, 1, p))) {
		st = pg_failed(c);
		goto out;
	}
	o->tgt_oid = (unsigned)strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	o->refs = xcalloc((size_t)PQntuples(r) + 1, sizeof *o->refs);
	for (int i = 0; i < PQntuples(r); i++)
		if (!PQgetisnull(r, i, 1))
			o->refs[o->nrefs++] = (unsigned)strtoul(PQgetvalue(r, i, 1), NULL, 10);
	PQclear(r);
	st = EX_OK;
	goto out;
fail:
	st = EX_CONFIG;
out:
	free(done);
	catfree(tc, nt > 0 ? (size_t)nt : 0);
	catfree(sc, ns > 0 ? (size_t)ns : 0);
	return st;
}

void
s2s_free(struct s2stable *t)
{
	free(t->keytype), free(t->target), free(t->source), free(t->stage), free(t->tgt_label), free(t->refs);
	strv_free(&t->cols), strv_free(&t->ins), strv_free(&t->raw), strv_free(&t->cmp);
	strv_free(&t->key), strv_free(&t->keysrc), strv_free(&t->keyrng), strv_free(&t->rng), strv_free(&t->keyname), strv_free(&t->upd);
	strv_free(&t->seqs);
}

int
s2s_triggers(PGconn *c, const struct s2stable *t, int off, struct strv *saved)
{
	const char *p[1] = { t->target };
	int st = EX_OK;

	if (off) {
		/* the user's triggers only (never the foreign keys' internal ones), as pg_restore
		   --disable-triggers; the ALTER takes the table's lock until the end of the transaction,
		   so no other session ever sees them off */
		PGresult *r = pg_query(c, "SELECT tgname, tgenabled FROM pg_catalog.pg_trigger WHERE tgrelid = "
		    "$1::regclass AND NOT tgisinternal AND tgenabled <> 'D' ORDER BY tgname", 1, p);

		if (!r)
			return pg_failed(c);
		for (int i = 0; i < PQntuples(r); i++)
			strv_take(saved, xasprintf("%s%s", PQgetvalue(r, i, 1), PQgetvalue(r, i, 0)));
		PQclear(r);
	}
	for (size_t i = 0; i < saved->n && st == EX_OK; i++) {
		char *q = s2s_qi(c, saved->v[i] + 1), *sql;
		char mode = saved->v[i][0];

		sql = xasprintf("ALTER TABLE %s %s TRIGGER %s", t->target, off ? "DISABLE" : mode == 'A' ?
		    "ENABLE ALWAYS" : mode == 'R' ? "ENABLE REPLICA" : "ENABLE", q);
		st = pg_run(c, sql);
		free(sql);
		free(q);
	}
	return st;
}

int
s2s_sequences(PGconn *c, struct s2stable *t)
{
	struct buf q = { 0 };
	int st = EX_OK;

	for (size_t i = 0; i < t->seqs.n && st == EX_OK; i++) {
		char *tab = strchr(t->seqs.v[i], '\t'), *col = xstrndup(t->seqs.v[i], (size_t)(tab - t->seqs.v[i]));
		char *qc = s2s_qi(c, col), *ql = s2s_ql(c, tab + 1);

		/* never backwards: rows the target made itself may be past the copied ones */
		q.len = 0;
		buf_printf(&q, "SELECT setval(%s, m) FROM (SELECT max(%s) AS m FROM %s) x, %s s WHERE m IS NOT "
		    "NULL AND (m > s.last_value OR NOT s.is_called)", ql, qc, t->target, tab + 1);
		free(col), free(qc), free(ql);
		if (pg_command(c, q.data, 0, NULL) != 0)
			st = pg_failed(c);
	}
	buf_free(&q);
	return st;
}

void
s2s_bucket(struct buf *q, const struct s2scut *x, const char *k)
{
	if (x->width)
		buf_printf(q, "CASE WHEN (%s) < %lld THEN -1 ELSE ((%s)::bigint - %lld) / %lld END", k, x->base, k,
		    x->base, x->width);
	else if (x->arr)
		buf_printf(q, "width_bucket((%s)::%s, %s::%s[]) - 1", k, x->type, x->arr, x->type);
	else
		buf_puts(q, "0");
}

void
s2s_in_range(PGconn *c, struct buf *q, const struct s2scut *x, const char *k, long long b)
{
	if (x->width && b < 0) {
		buf_printf(q, "(%s) < %lld", k, x->base);
	} else if (x->width) {
		buf_printf(q, "(%s) >= %lld AND (%s) < %lld", k, x->base + b * x->width, k,
		    x->base + (b + 1) * x->width);
	} else if (x->arr) {
		char *lo = b >= 0 ? s2s_ql(c, x->bounds.v[b]) : NULL;
		char *hi = b + 1 < (long long)x->bounds.n ? s2s_ql(c, x->bounds.v[b + 1]) : NULL;

		buf_puts(q, "true");
		if (lo)
			buf_printf(q, " AND (%s) >= %s::%s", k, lo, x->type);
		if (hi)
			buf_printf(q, " AND (%s) < %s::%s", k, hi, x->type);
		free(lo), free(hi);
	} else {
		buf_puts(q, "true");
	}
}

char *
s2s_range_name(const struct s2stable *t, const struct s2scut *x, long long b)
{
	const char *k = t->key.n ? t->keyname.v[0] : "";

	if (x->width && b < 0)
		return xasprintf("key range %s < %lld", k, x->base);
	if (x->width)
		return xasprintf("key range %s in [%lld, %lld)", k, x->base + b * x->width, x->base + (b + 1) * x->width);
	if (!x->arr)
		return xstrdup("the whole table");
	if (b < 0)
		return xasprintf("key range %s < '%s'", k, x->bounds.v[0]);
	if (b + 1 >= (long long)x->bounds.n)
		return xasprintf("key range %s >= '%s'", k, x->bounds.v[b]);
	return xasprintf("key range %s in ['%s', '%s')", k, x->bounds.v[b], x->bounds.v[b + 1]);
}

int
s2s_cut(PGconn *c, const struct s2stable *t, long chunk_rows, struct s2scut *x)
{
	struct buf q = { 0 };
	PGresult *r;
	long long rows, lo, hi, parts;
	char n[32];
	const char *p[1] = { n };

	memset(x, 0, sizeof *x);
	if (!t->keytype)
		return EX_OK;
	buf_printf(&q, "SELECT count(*), min(%s)::text, max(%s)::text FROM %s", t->key.v[0], t->key.v[0], t->target);
	r = pg_query(c, q.data, 0, NULL);
	if (!r) {
		buf_free(&q);
		return pg_failed(c);
	}
	rows = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	lo = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	hi = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	PQclear(r);
	if (rows <= chunk_rows) {
		buf_free(&q);
		return EX_OK;
	}
	if (t->intkey) {
		parts = (rows + chunk_rows - 1) / chunk_rows;
		x->base = lo;
		x->width = (hi - lo) / parts + 1;
		buf_free(&q);
		return EX_OK;
	}
	q.len = 0;
	buf_printf(&q, "SELECT k::text FROM (SELECT %s AS k, row_number() OVER (ORDER BY %s) AS n FROM %s) x "
	    "WHERE n %% $1 = 1 ORDER BY n", t->key.v[0], t->key.v[0], t->target);
	snprintf(n, sizeof n, "%ld", chunk_rows);
	r = pg_query(c, q.data, 1, p);
	buf_free(&q);
	if (!r)
		return pg_failed(c);
	/* the bounds as an array literal: {"a","b"}, each element quoted */
	buf_puts(&q, "{");
	for (int i = 0; i < PQntuples(r); i++) {
		const char *v = PQgetvalue(r, i, 0);

		strv_add(&x->bounds, v);
		buf_puts(&q, i ? ",\"" : "\"");
		for (; *v; v++) {
			if (*v == '"' || *v == '\\')
				buf_add(&q, "\\", 1);
			buf_add(&q, v, 1);
		}
		buf_puts(&q, "\"");
	}
	buf_puts(&q, "}");
	PQclear(r);
	x->arr = s2s_ql(c, q.data);
	x->type = t->keytype;
	buf_free(&q);
	return EX_OK;
}

void
s2s_cut_free(struct s2scut *x)
{
	strv_free(&x->bounds);
	free(x->arr);
}
