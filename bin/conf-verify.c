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

/* Re-copy range b of t from the source in one transaction; EX_OK or an exit code. */
static int
delta(PGconn *c, const struct s2stable *t, const struct s2scut *x, long long b)
{
	struct buf q = { 0 };
	int st;

	if (pg_run(c, "BEGIN") != EX_OK)
		return pg_failed(c);
	/* rows present on the source are upserted, so that rows referring to them stay valid */
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
	st = pg_command(c, q.data, 0, NULL);
	/* rows gone from the source go from the target */
	q.len = 0;
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
	if (st == 0)
		st = pg_command(c, q.data, 0, NULL);
	buf_free(&q);
	if (st == 0 && s2s_sequences(c, (struct s2stable *)t) == EX_OK && pg_run(c, "COMMIT") == EX_OK)
		return EX_OK;
	st = pg_failed(c);
	PQclear(PQexec(c, "ROLLBACK"));
	return sig_caught ? 128 + sig_caught : st;
}

/* Verify (and with fix, repair) one table; EX_OK, EX_FAIL when it differs, or an exit code. */
static int
verify(PGconn *c, struct s2stable *t, int fix)
{
	struct s2scut x;
	long long *diff = NULL, rows;
	long n;
	int st;
	double t0 = clock_ms();

	if ((st = s2s_cut(c, t, chunk_rows, &x)) != EX_OK)
		goto out;
	if ((n = compare(c, t, &x, &diff, &rows)) < 0) {
		st = pg_failed(c);
		goto out;
	}
	if (n > 0 && x.width)
		warnx("%s: %ld of the key ranges of %lld values differ", t->tgt_label, n, x.width);
	else if (n > 0 && x.arr)
		warnx("%s: %ld of the %zu key ranges of about %ld rows differ", t->tgt_label, n, x.bounds.n,
		    chunk_rows);
	if (n > 0 && fix) {
		if (!t->key.n) {
			/* compared whole, copied again never: without a key no range of it is known */
			warnat(t->m->pos.line > 0 ? &t->m->pos : NULL, "%s: no primary key and no key: in the "
			    "mapping: -D cannot copy part of it again (the whole table was compared)", t->tgt_label);
			st = EX_CONFIG;
			goto out;
		}
		for (long i = 0; i < n; i++)
			if ((st = delta(c, t, &x, diff[i])) != EX_OK)
				goto out;
		fprintf(stderr, "%s: %s: %ld key range%s copied again\n", diag_prog(), t->tgt_label, n,
		    n == 1 ? "" : "s");
		free(diff);
		diff = NULL;
		if ((n = compare(c, t, &x, &diff, &rows)) < 0) {
			st = pg_failed(c);
			goto out;
		}
	}
	if (n > 0)
		st = EX_FAIL;
	else
		printf("%s: %lld rows, equal (%.2f s)\n", t->tgt_label, rows, (clock_ms() - t0) / 1000);
out:
	free(diff);
	s2s_cut_free(&x);
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
	int ch, st = EX_OK, fix = 0;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "d:Dn:s:S:t:")) != -1) {
		switch (ch) {
		case 'd': dflag = optarg; break;
		case 's': sflag = optarg; break;
		case 'D': fix = 1; break;
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
	for (size_t i = 0; i < m->n && !sig_caught; i++) {
		struct s2stable t;
		int rc;

		if (!m->t[i].source || !m->t[i].target || !chosen(tables, m, &m->t[i]))
			continue;
		if ((rc = s2s_plan(c, NULL, staging, &m->t[i], &t)) == EX_OK)
			rc = verify(c, &t, fix);
		s2s_free(&t);
		/* a difference does not stop the others; anything else does */
		if (rc != EX_OK && (st == EX_OK || st == EX_FAIL))
			st = rc;
		if (rc != EX_OK && rc != EX_FAIL)
			break;
	}
	if (sig_caught) {
		warnx("interrupted by signal %d", (int)sig_caught);
		st = 128 + sig_caught;
	}
done:
	finish_stdout();
	PQfinish(c);
	PQfinish(second);
	PQfinish(direct);
	mapping_free(m);
	return st;
}
