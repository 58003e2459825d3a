/*
 * conf-verify: compare the tables of a schema-to-schema mapping on both sides (conf-verify(1)):
 * row counts and an order-independent checksum of the mapped columns, the source's read
 * through the postgres_fdw staging tables, by ranges of an integer key for a large table. -D re-copies the ranges that differ, each in
 * its own transaction, then compares again.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "mapping.h"
#include "pgconn.h"
#include "s2splan.h"
#include "sig.h"

#define USAGE "conf-verify [-d target] [-s source] [-S staging] [-n rows] [-D] {[-t table,...] mapping.yaml | -t table,...}"

/* One key range's rows and checksum on one side. */
struct chunk {
	long long b, rows;
	char *sum;
};

static long chunk_rows = 100000;
static PGconn *second; /* a second connection to the target: the source's side runs there */
static PGconn *direct; /* -s: the source, which then computes its side itself */
static const struct maptable *fdw_only; /* the table whose side the source could not compute */
static int fix_wanted; /* -D */

/* The query of one side's ranges, ordered: the target's (source 0), the source's through the
   foreign table (1) or on the source itself (2). */
static char *
side_sql(const struct s2stable *t, const struct s2scut *x, int source)
{
	struct buf q = { 0 };

	buf_puts(&q, "SELECT b, count(*), sum(h) FROM (SELECT ");
	s2s_bucket(&q, x, t->key.n ? (source ? t->keysrc.v[0] : t->key.v[0]) : "0");
	buf_puts(&q, " AS b, ");
	s2s_rowhash(&q, source ? &t->cmp : &t->cols);
	buf_printf(&q, " AS h FROM %s", source == 2 ? t->source : source ? t->stage : t->target);
	if (source && t->m->where)
		buf_printf(&q, " WHERE (%s)", t->m->where);
	buf_puts(&q, ") x GROUP BY b ORDER BY b");
	return q.data;
}

/* The ranges of a result; their number. */
static long
side_rows(PGresult *r, struct chunk **out)
{
	long n = PQntuples(r);

	*out = xcalloc((size_t)n + 1, sizeof **out);
	for (long i = 0; i < n; i++) {
		(*out)[i].b = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
		(*out)[i].rows = strtoll(PQgetvalue(r, (int)i, 1), NULL, 10);
		(*out)[i].sum = xstrdup(PQgetvalue(r, (int)i, 2));
	}
	PQclear(r);
	return n;
}

/* Both sides' ranges: the source's on the source (-s) or through the foreign table on the second
   connection, while the first computes the target's, so that two processes work; 0 or -1 after
   a message. */
static int
sides(PGconn *c, const struct s2stable *t, const struct s2scut *x, struct chunk **s, long *ns, struct chunk **d,
    long *nd)
{
	int on_source = direct && fdw_only != t->m;
	PGconn *o = on_source ? direct : second;
	char *qs = side_sql(t, x, on_source ? 2 : 1), *qd = side_sql(t, x, 0);
	PGresult *r, *rs = NULL;
	int ok = PQsendQuery(o, qs);
	const char *state;

	free(qs);
	if (!ok) {
		warnx("%s", PQerrorMessage(o));
		free(qd);
		return -1;
	}
	r = pg_query(c, qd, 0, NULL);
	free(qd);
	if (!r || sig_caught) {
		/* the other side's answer is no longer wanted */
		PGcancel *k = PQgetCancel(o);
		char e[256];

		if (k) {
			PQcancel(k, e, sizeof e);
			PQfreeCancel(k);
		}
	}
	for (PGresult *x2; (x2 = PQgetResult(o));) {
		if (!rs)
			rs = x2;
		else
			PQclear(x2);
	}
	if (!r) {
		PQclear(rs);
		return -1;
	}
	state = PQresultErrorField(rs, PG_DIAG_SQLSTATE);
	if (on_source && PQresultStatus(rs) != PGRES_TUPLES_OK && state && strncmp(state, "42", 2) == 0) {
		/* a type or function of the target the source does not have */
		warnx("%s: the source cannot compute its side (%s): read through the foreign table instead",
		    t->tgt_label, PQresultErrorField(rs, PG_DIAG_MESSAGE_PRIMARY));
		PQclear(rs);
		fdw_only = t->m;
		qs = side_sql(t, x, 1);
		rs = pg_query(second, qs, 0, NULL);
		free(qs);
		if (!rs) {
			PQclear(r);
			return -1;
		}
	}
	if (PQresultStatus(rs) != PGRES_TUPLES_OK) {
		pg_report(rs, NULL);
		PQclear(rs);
		PQclear(r);
		return -1;
	}
	*ns = side_rows(rs, s);
	*nd = side_rows(r, d);
	return 0;
}

static void
chunks_free(struct chunk *v, long n)
{
	for (long i = 0; i < n; i++)
		free(v[i].sum);
	free(v);
}

/* Compare table t; the differing ranges in *diff (their number), -1 after a message. */
static long
compare(PGconn *c, const struct s2stable *t, struct s2scut *x, long long **diff, long long *total)
{
	struct chunk *s = NULL, *d = NULL;
	long ns, nd, i = 0, j = 0, n = 0;
	int first = 1;

	if (sides(c, t, x, &s, &ns, &d, &nd) != 0)
		return -1;
	*diff = xcalloc((size_t)(ns + nd) + 1, sizeof **diff);
	*total = 0;
	while (i < ns || j < nd) {
		long long b, sr = 0, dr = 0;
		const char *ss = "", *ds = "";

		b = i < ns && (j >= nd || s[i].b <= d[j].b) ? s[i].b : d[j].b;
		if (i < ns && s[i].b == b)
			sr = s[i].rows, ss = s[i++].sum;
		if (j < nd && d[j].b == b)
			dr = d[j].rows, ds = d[j++].sum;
		*total += dr;
		if (sr == dr && strcmp(ss, ds) == 0)
			continue;
		(*diff)[n++] = b;
		if (first) {
			char *rn = s2s_range_name(t, x, b);

			warnx("%s: %s differs: source %lld rows, target %lld rows", t->tgt_label, rn, sr, dr);
			free(rn);
			first = 0;
		}
	}
	chunks_free(s, ns);
	chunks_free(d, nd);
	return n;
}

/* Re-copy range b of t from the source in one transaction: with gone 0 the rows present on the
   source are upserted, with gone 1 the rows gone from the source are deleted. EX_OK or an exit code. */
static int
delta(PGconn *c, const struct s2stable *t, const struct s2scut *x, long long b, int gone)
{
	struct buf q = { 0 };
	struct strv trig = { 0 };
	int st;

	if (pg_run(c, "BEGIN") != EX_OK)
		return pg_failed(c);
	if (s2s_triggers(c, t, 1, &trig) != EX_OK) {
		PQclear(PQexec(c, "ROLLBACK"));
		strv_free(&trig);
		return sig_caught ? 128 + sig_caught : EX_FAIL;
	}
	if (!gone) {
		/* upserted, so that rows referring to them stay valid */
		buf_printf(&q, "INSERT INTO %s (", t->target);
		s2s_join(&q, &t->cols, "", "");
		buf_puts(&q, ") OVERRIDING SYSTEM VALUE SELECT ");
		s2s_join(&q, &t->ins, "", "");
		buf_printf(&q, " FROM %s WHERE ", t->stage);
		s2s_in_range(c, &q, x, t->keyrng.v[0], b);
		if (t->m->where)
			buf_printf(&q, " AND (%s)", t->m->where);
		buf_puts(&q, " ON CONFLICT (");
		s2s_join(&q, &t->key, "", "");
		if (t->upd.n) {
			buf_puts(&q, ") DO UPDATE SET ");
			for (size_t i = 0; i < t->upd.n; i++)
				buf_printf(&q, "%s%s = EXCLUDED.%s", i ? ", " : "", t->upd.v[i], t->upd.v[i]);
		} else {
			buf_puts(&q, ") DO NOTHING");
		}
	} else {
		buf_printf(&q, "DELETE FROM %s AS confiture_t WHERE ", t->target);
		s2s_in_range(c, &q, x, t->key.v[0], b);
		/* the range again inside: the source is read for this range only */
		buf_printf(&q, " AND NOT EXISTS (SELECT 1 FROM %s WHERE ", t->stage);
		s2s_in_range(c, &q, x, t->keyrng.v[0], b);
		for (size_t i = 0; i < t->key.n; i++)
			buf_printf(&q, " AND (%s) = confiture_t.%s", t->keysrc.v[i], t->key.v[i]);
		if (t->m->where)
			buf_printf(&q, " AND (%s)", t->m->where);
		buf_puts(&q, ")");
	}
	st = pg_command(c, q.data, 0, NULL);
	buf_free(&q);
	if (st == 0 && (gone || s2s_sequences(c, (struct s2stable *)t) == EX_OK)
	    && s2s_triggers(c, t, 0, &trig) == EX_OK && pg_run(c, "COMMIT") == EX_OK) {
		strv_free(&trig);
		return EX_OK;
	}
	strv_free(&trig);
	st = pg_failed(c);
	PQclear(PQexec(c, "ROLLBACK"));
	return sig_caught ? 128 + sig_caught : st;
}

/* One table of the run: its plan, how it is cut, and the ranges found to differ. */
struct vtable {
	struct s2stable t;
	struct s2scut x;
	long long *diff, rows;
	long n;
	double t0;
};

/* Whether the mapping's key: of t is the target's primary key or a unique index (what -D's
   ON CONFLICT needs); -1 after a message. */
static int
key_unique(PGconn *c, const struct s2stable *t)
{
	struct buf a = { 0 };
	PGresult *r;
	const char *p[2];
	int n;

	/* the key's names as a text[] literal, each element quoted */
	buf_puts(&a, "{");
	for (size_t i = 0; i < t->keyname.n; i++) {
		buf_puts(&a, i ? ",\"" : "\"");
		for (const char *k = t->keyname.v[i]; *k; k++) {
			if (*k == '"' || *k == '\\')
				buf_puts(&a, "\\");
			buf_add(&a, k, 1);
		}
		buf_puts(&a, "\"");
	}
	buf_puts(&a, "}");
	p[0] = t->target, p[1] = a.data;
	r = pg_query(c, "SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique "
	    "AND i.indpred IS NULL AND i.indexprs IS NULL AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text) "
	    "FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)) "
	    "= (SELECT array_agg(k ORDER BY k) FROM unnest($2::text[]) k)", 2, p);
	buf_free(&a);
	if (!r)
		return -1;
	n = PQntuples(r) > 0;
	PQclear(r);
	return n;
}

/* Compare v's table: v->n ranges differ (named on stderr). EX_OK or an exit code. */
static int
check(PGconn *c, struct vtable *v)
{
	int st, u;

	v->t0 = clock_ms();
	/* refused before the compare: -D would fail at its first upsert */
	if (fix_wanted && v->t.m->key && v->t.key.n) {
		if ((u = key_unique(c, &v->t)) < 0)
			return pg_failed(c);
		if (!u) {
			warnat(&v->t.m->keypos, "%s: the key is not the target's primary key or a unique index: -D "
			    "cannot upsert by it", v->t.tgt_label);
			return EX_CONFIG;
		}
	}
	if ((st = s2s_cut(c, &v->t, chunk_rows, &v->x)) != EX_OK)
		return st;
	if ((v->n = compare(c, &v->t, &v->x, &v->diff, &v->rows)) < 0)
		return pg_failed(c);
	if (v->n > 0 && v->x.width)
		warnx("%s: %ld of the key ranges of %lld values differ", v->t.tgt_label, v->n, v->x.width);
	else if (v->n > 0 && v->x.arr)
		warnx("%s: %ld of the %zu key ranges of about %ld rows differ", v->t.tgt_label, v->n,
		    v->x.bounds.n, chunk_rows);
	if (v->n > 0 && fix_wanted && !v->t.key.n) {
		/* compared whole, copied again never: without a key no range of it is known */
		warnat(v->t.m->pos.line > 0 ? &v->t.m->pos : NULL, "%s: no primary key and no key: in the "
		    "mapping: -D cannot copy part of it again (the whole table was compared)", v->t.tgt_label);
		return EX_CONFIG;
	}
	return EX_OK;
}

/* The result of v: compared again after -D (again), a line on stdout when equal. EX_OK,
   EX_FAIL when it differs, or an exit code. */
static int
conclude(PGconn *c, struct vtable *v, int again)
{
	if (again) {
		fprintf(stderr, "%s: %s: %ld key range%s copied again\n", diag_prog(), v->t.tgt_label, v->n,
		    v->n == 1 ? "" : "s");
		free(v->diff);
		v->diff = NULL;
		if ((v->n = compare(c, &v->t, &v->x, &v->diff, &v->rows)) < 0)
			return pg_failed(c);
	}
	if (v->n > 0)
		return EX_FAIL;
	printf("%s: %lld rows, equal (%.2f s)\n", v->t.tgt_label, v->rows, (clock_ms() - v->t0) / 1000);
	return EX_OK;
}

/* The order of the tables: those a table's foreign keys refer to before it (a cycle: the first
   left goes first), so that -D inserts a referred row before the rows referring to it and deletes
   the referring rows first. */
static void
fk_order(struct vtable *v, size_t n, size_t *ord)
{
	char *placed = xcalloc(n + 1, 1);

	for (size_t k = 0; k < n; k++) {
		size_t pick = n;

		for (size_t i = 0; i < n && pick == n; i++) {
			int ok = !placed[i];

			for (size_t r = 0; ok && r < v[i].t.nrefs; r++)
				for (size_t j = 0; j < n; j++)
					if (j != i && !placed[j] && v[j].t.tgt_oid == v[i].t.refs[r])
						ok = 0;
			if (ok)
				pick = i;
		}
		for (size_t i = 0; i < n && pick == n; i++)
			if (!placed[i])
				pick = i;
		placed[pick] = 1;
		ord[k] = pick;
	}
	free(placed);
}

/* Fold the result rc of one table into the run's status *st; whether the run goes on (a difference,
   or -D refused on a table without a key, does not stop the others; anything else does). */
static int
fold(int *st, int rc)
{
	if (rc != EX_OK && (*st == EX_OK || *st == EX_FAIL || (*st == EX_CONFIG && rc != EX_FAIL)))
		*st = rc;
	return rc == EX_OK || rc == EX_FAIL || rc == EX_CONFIG;
}

/* Verify the tables of the run in foreign-key order; with -D, the differing ranges upserted parents
   first, the rows gone deleted children first, then each table compared again. The exit status. */
static int
run(PGconn *c, struct vtable *v, size_t n)
{
	size_t *ord = xcalloc(n + 1, sizeof *ord);
	char *fixing = xcalloc(n + 1, 1);
	int st = EX_OK, rc;
	size_t k;

	fk_order(v, n, ord);
	for (k = 0; k < n && !sig_caught; k++) {
		struct vtable *w = &v[ord[k]];

		if ((rc = check(c, w)) == EX_OK && w->n > 0 && fix_wanted) {
			fixing[ord[k]] = 1;
			for (long i = 0; i < w->n && rc == EX_OK; i++)
				rc = delta(c, &w->t, &w->x, w->diff[i], 0);
		} else if (rc == EX_OK) {
			rc = conclude(c, w, 0);
		}
		if (!fold(&st, rc))
			goto out;
	}
	for (k = n; k-- > 0 && !sig_caught;)
		for (long i = 0; fixing[ord[k]] && i < v[ord[k]].n; i++)
			if (!fold(&st, delta(c, &v[ord[k]].t, &v[ord[k]].x, v[ord[k]].diff[i], 1)))
				goto out;
	for (k = 0; k < n && !sig_caught; k++)
		if (fixing[ord[k]] && !fold(&st, conclude(c, &v[ord[k]], 1)))
			goto out;
out:
	free(ord);
	free(fixing);
	return st;
}

/* Whether table t is named in the comma-separated list (NULL: every table). */
static int
chosen(const char *list, struct mapping *m, struct maptable *t)
{
	const char *p = list;

	if (!list)
		return 1;
	while (*p) {
		size_t n = strcspn(p, ",");
		char *one = xstrndup(p, n);
		int hit = mapping_find(m, one) == t;

		free(one);
		if (hit)
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *dflag = NULL, *sflag = NULL, *staging = "old_schema", *tables = NULL;
	struct mapping *m;
	PGconn *c;
	struct vtable *v = NULL;
	size_t nv = 0;
	int ch, st = EX_OK;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "d:Dn:s:S:t:")) != -1) {
		switch (ch) {
		case 'd': dflag = optarg; break;
		case 's': sflag = optarg; break;
		case 'D': fix_wanted = 1; break;
		case 'n': chunk_rows = opt_number('n', optarg, 1, "a number of rows per key range"); break;
		case 'S': staging = optarg; break;
		case 't': tables = optarg; break;
		default: usage(USAGE);
		}
	}
	if (optind != argc - 1 && !(optind == argc && tables))
		usage(USAGE);
	if (!(m = optind < argc ? mapping_load(argv[optind], &st) : mapping_same_names(tables, &st)))
		return st;
	for (const char *p = tables; p && *p;) {
		size_t n = strcspn(p, ",");
		char *one = xstrndup(p, n);

		if (!mapping_find(m, one)) {
			warnx("-t: %s is not a table of %s", one, m->file);
			free(one);
			mapping_free(m);
			return EX_CONFIG;
		}
		free(one);
		p += n + (p[n] == ',');
	}
	if (!(c = pg_connect(pg_resolve(dflag, NULL)))) {
		mapping_free(m);
		return EX_UNREACHABLE;
	}
	pg_notices(c, 0);
	sig_trap();
	sig_set_cancel(c);
	if (!(second = pg_connect(pg_resolve(dflag, NULL)))) {
		st = EX_UNREACHABLE;
		goto done;
	}
	if (sflag && !(direct = pg_connect(sflag))) {
		st = EX_UNREACHABLE;
		goto done;
	}
	if ((st = s2s_session(c)) != EX_OK || (st = s2s_session(second)) != EX_OK
	    || (direct && (st = s2s_session(direct)) != EX_OK))
		goto done;
	/* every table planned before any is compared: a mapping error stops the run before it starts */
	v = xcalloc(m->n + 1, sizeof *v);
	for (size_t i = 0; i < m->n && !sig_caught; i++) {
		if (!m->t[i].source || !m->t[i].target || !chosen(tables, m, &m->t[i]))
			continue;
		if ((st = s2s_plan(c, NULL, staging, &m->t[i], &v[nv++].t)) != EX_OK)
			goto done;
	}
	st = run(c, v, nv);
	if (sig_caught) {
		warnx("interrupted by signal %d", (int)sig_caught);
		st = 128 + sig_caught;
	}
done:
	for (size_t i = 0; i < nv; i++) {
		s2s_free(&v[i].t);
		s2s_cut_free(&v[i].x);
		free(v[i].diff);
	}
	free(v);
	finish_stdout();
	PQfinish(c);
	PQfinish(second);
	PQfinish(direct);
	mapping_free(m);
	return st;
}
