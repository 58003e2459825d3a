#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apply.h"
#include "pgconn.h"

#define BATCH_BYTES (256 << 10)
#define BATCH_STMTS 100

static int
failed(struct apply *a, const PGresult *r)
{
	return pg_lost(a->conn, r) ? EX_UNREACHABLE : EX_FAIL;
}

/* Report a server error for statement st, sent as text. */
static int
report(struct apply *a, const struct stmt *st, const PGresult *r, const char *text, size_t len)
{
	const char *posf = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
	struct srcpos pos = st->pos;

	if (posf && text) {
		long cp = strtol(posf, NULL, 10);

		stmt_where(st, text, st->off + (long long)utf8_bytes(text, len, cp > 0 ? cp - 1 : 0), &pos);
	}
	pg_report(r, &pos);
	return failed(a, r);
}

/*
 * Whether the server reads string literals as the reader does. standard_conforming_strings is
 * reported by the server (GUC_REPORT) whenever it changes, so libpq always knows its value,
 * however it was set: PGOPTIONS, ALTER DATABASE|ROLE ... SET, postgresql.conf, or a statement
 * the reader cannot judge (UPDATE pg_settings, DO, a computed set_config). When it is off,
 * 'a\'' ends earlier for the server, and what the reader took for the rest of a literal
 * would be SQL to the server.
 */
static int
scs_on(PGconn *c)
{
	const char *v = PQparameterStatus(c, "standard_conforming_strings");

	return v && strcmp(v, "on") == 0;
}

/* The statement at pos has just run: EX_OK, or EX_SCHEMA after a message if it turned them off. */
static int
scs_after(struct apply *a, const struct srcpos *pos)
{
	if (scs_on(a->conn))
		return EX_OK;
	warnat(pos, "this statement turned standard_conforming_strings off: the reader would no longer see "
	    "string literals as the server does, so nothing after it runs");
	return EX_SCHEMA;
}

int
apply_check_server(PGconn *c)
{
	if (scs_on(c))
		return EX_OK;
	warnx("the server has standard_conforming_strings off (from PGOPTIONS, ALTER DATABASE or ROLE ... SET, "
	    "or its configuration): the reader would not see string literals as the server does, so nothing is run");
	return EX_SCHEMA;
}

/* Whether a result's first column is boolean and false in some row. */
static int
has_false(const PGresult *r)
{
	if (PQnfields(r) < 1 || PQftype(r, 0) != 16 /* BOOLOID */)
		return 0;
	for (int i = 0; i < PQntuples(r); i++)
		if (!PQgetisnull(r, i, 0) && strcmp(PQgetvalue(r, i, 0), "f") == 0)
			return 1;
	return 0;
}

/*
 * Read the results of statement st, sent as text, up to the end (in pipeline mode: up to its
 * sync point, which the caller reads). Messages only when speak: after an earlier failure in
 * a pipeline, the statements still in flight are drained without a word.
 */
static int
read_results(struct apply *a, const struct stmt *st, const char *text, int speak)
{
	PGresult *r, *err = NULL;
	int rc = EX_OK;

	while ((r = PQgetResult(a->conn)) != NULL) {
		switch (PQresultStatus(r)) {
		case PGRES_TUPLES_OK:
			if (a->check_false && speak && rc == EX_OK && has_false(r)) {
				warnat(&st->pos, "check failed: the query returned false");
				rc = EX_FAIL;
			}
			break;
		case PGRES_COMMAND_OK:
		case PGRES_PIPELINE_ABORTED:
			break;
		case PGRES_COPY_IN:
			PQputCopyEnd(a->conn, "COPY FROM STDIN the reader did not recognize");
			break;
		case PGRES_COPY_OUT: {
			char *buf;

			/* the server sends the rows anyway: read them to the end, then refuse */
			while (PQgetCopyData(a->conn, &buf, 0) > 0)
				PQfreemem(buf);
			if (speak && rc == EX_OK)
				warnat(&st->pos, "COPY TO STDOUT is not supported in a SQL stream");
			rc = EX_SCHEMA;
			break;
		}
		default:
			if (!err) {
				err = r;
				r = NULL;
			}
			break;
		}
		PQclear(r);
	}
	if (err) {
		if (rc == EX_OK)
			rc = speak ? report(a, st, err, text, (size_t)st->len) : failed(a, err);
		PQclear(err);
	}
	return rc;
}

/*
 * Run one statement on its own. The extended protocol (PQsendQueryParams), never the simple
 * one: the server then refuses text that holds several statements, so nothing the reader
 * took for one statement can hide another.
 */
static int
run_alone(struct apply *a, struct sqlsrc *s, const struct stmt *st)
{
	char *text = xstrndup(sqlsrc_text(s, st->off), (size_t)st->len);
	int rc;

	if (!PQsendQueryParams(a->conn, text, 0, NULL, NULL, NULL, NULL, 0)) {
		warnat(&st->pos, "cannot send the statement: %s", PQerrorMessage(a->conn));
		free(text);
		return EX_UNREACHABLE;
	}
	rc = read_results(a, st, text, 1);
	if (rc == EX_OK && (rc = scs_after(a, &st->pos)) == EX_OK)
		a->nstmt++;
	free(text);
	return rc;
}

/* The line of COPY data an error names in its CONTEXT ("COPY t, line 3, column a: ..."). */
static long
copy_line(const PGresult *r)
{
	const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT);
	const char *p = ctx ? strstr(ctx, ", line ") : NULL;

	return p ? strtol(p + 7, NULL, 10) : 0;
}

static int
run_copy(struct apply *a, struct sqlsrc *s, const struct stmt *st)
{
	char *text = xstrndup(sqlsrc_text(s, st->off), (size_t)st->len);
	/* extended protocol, as in run_alone: COPY is allowed there, and libpq sends the Sync
	   that ends it with the end of the data */
	PGresult *r = PQexecParams(a->conn, text, 0, NULL, NULL, NULL, NULL, 0);
	const char *p;
	size_t n;
	int got, rc = EX_OK;

	if (PQresultStatus(r) != PGRES_COPY_IN) {
		rc = report(a, st, r, text, (size_t)st->len);
		PQclear(r);
		free(text);
		while (sqlsrc_copydata(s, &p, &n) > 0)
			; /* skip the data */
		return rc;
	}
	PQclear(r);
	free(text);
	while ((got = sqlsrc_copydata(s, &p, &n)) > 0)
		if (PQputCopyData(a->conn, p, (int)n) != 1)
			break;
	PQputCopyEnd(a->conn, got < 0 ? "the COPY data in the stream is incomplete" : NULL);
	while ((r = PQgetResult(a->conn)) != NULL) {
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			a->nrows += strtoll(PQcmdTuples(r), NULL, 10);
		} else if (rc == EX_OK && got >= 0) {
			struct srcpos pos = st->pos;
			long line = copy_line(r);

			if (line > 0) {
				pos = st->datapos;
				pos.line += line - 1;
			}
			pg_report(r, &pos);
			rc = failed(a, r);
		} else if (rc == EX_OK) {
			rc = EX_SCHEMA;
		}
		PQclear(r);
	}
	if (rc == EX_OK && got < 0)
		rc = EX_SCHEMA;
	if (rc == EX_OK)
		rc = scs_after(a, &st->pos);
	if (rc == EX_OK) {
		a->nstmt++;
		a->ncopy++;
	}
	return rc;
}

static int
run_meta(struct sqlsrc *s, const struct stmt *st)
{
	const char *t;
	size_t n = sqlsrc_meta_word(s, st, &t);

	/* \g and \gx ran the query before them as ';' would; \gdesc only described its query, which was
	   therefore not sent (apply_one) */
	if (meta_is_restrict(t, n) || (n == 2 && memcmp(t, "\\g", 2) == 0) || (n == 3 && memcmp(t, "\\gx", 3) == 0)
	    || (n == 6 && memcmp(t, "\\gdesc", 6) == 0))
		return EX_OK;
	if (n == 6 && memcmp(t, "\\gexec", 6) == 0)
		warnat(&st->pos, "psql command \\gexec is not supported: the statements its query returns cannot be run");
	else
		warnat(&st->pos, "psql command %.*s is not supported", (int)n, t);
	return EX_SCHEMA;
}

/*
 * A dump's own BEGIN ... COMMIT (pg_dump writes one around large objects) joins the caller's
 * transaction: the block commits or rolls back with everything else, as its author meant.
 * Transaction modes, nesting, ROLLBACK and savepoints would change what the block means.
 */
static int
absorb(struct apply *a, const struct stmt *st)
{
	if (st->flags & ST_TXMODES)
		return -1;
	if ((st->flags & ST_TXBEGIN) && !a->open_begin.file) {
		a->open_begin = st->pos;
		return EX_OK;
	}
	if ((st->flags & ST_TXEND) && a->open_begin.file) {
		a->open_begin.file = NULL;
		return EX_OK;
	}
	return -1;
}

int
apply_closed(struct apply *a)
{
	if (!a->absorb || !a->open_begin.file)
		return EX_OK;
	warnat(&a->open_begin, "BEGIN without COMMIT: psql would roll this block back; run it with -a to do the same");
	a->open_begin.file = NULL;
	return EX_SCHEMA;
}

/* Statements the caller's transaction cannot hold. */
static int
refuse_in_tx(struct apply *a, const struct stmt *st, int *skip)
{
	*skip = 0;
	if (st->flags & ST_NOTX) {
		warnat(&st->pos, "%s cannot run inside a transaction block", st->why_notx);
		return EX_SCHEMA;
	}
	if (st->flags & (ST_TXBEGIN | ST_TXEND | ST_TXOTHER)) {
		if (a->absorb && absorb(a, st) == EX_OK) {
			*skip = 1;
			return EX_OK;
		}
		warnat(&st->pos, "transaction control statement inside a single-transaction apply%s",
		    a->absorb ? ": run the stream with -a or -c" : "");
		return EX_SCHEMA;
	}
	return EX_OK;
}

static int
special(const struct stmt *st)
{
	return st->kind != SQ_STMT || st->gterm == G_DESC || (st->flags & (ST_NOTX | ST_CLUSTER | ST_ROLE | ST_TXBEGIN | ST_TXEND | ST_TXOTHER | ST_COPYOUT));
}

int
apply_one(struct apply *a, struct sqlsrc *s, const struct stmt *st)
{
	if (st->kind == SQ_META)
		return run_meta(s, st);
	if (st->gterm == G_DESC)
		return EX_OK;
	if (a->in_tx) {
		int skip;

		if (refuse_in_tx(a, st, &skip) != EX_OK)
			return EX_SCHEMA;
		if (skip)
			return EX_OK;
	}
	/* roles live in the cluster's shared catalogs: dropping the scratch database would not undo them */
	if (a->no_cluster && (st->flags & (ST_CLUSTER | ST_ROLE))) {
		warnat(&st->pos, "%s acts outside the database being built", st->why_notx);
		return EX_SCHEMA;
	}
	if (st->kind == SQ_COPY)
		return run_copy(a, s, st);
	return run_alone(a, s, st);
}

/* A statement sent in pipeline mode whose results have not been read yet. */
struct sent {
	struct stmt st;
	char *text;
};

/* The window of statements in flight: bounded so that neither side's buffers fill up. */
struct pipe {
	struct sent *q;
	size_t head, n, cap;
	long long bytes;
	int on;       /* the connection is in pipeline mode */
	int rc;       /* the first failure; later statements are only drained */
};

/* Read the results of the oldest statement in flight, up to its sync point. */
static void
pipe_read(struct apply *a, struct pipe *p)
{
	struct sent *e = &p->q[p->head];
	PGresult *r;
	int rc = read_results(a, &e->st, e->text, p->rc == EX_OK), bad = rc != EX_OK;

	if (p->rc == EX_OK)
		p->rc = rc;
	r = PQgetResult(a->conn);
	if (PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		/* no sync point: the connection is gone */
		if (p->rc == EX_OK) {
			warnat(&e->st.pos, "the connection was lost: %s", PQerrorMessage(a->conn));
			p->rc = EX_UNREACHABLE;
		}
		bad = 1;
	}
	PQclear(r);
	/* the statements sent after this one are single statements (extended protocol) and
	   run in the caller's transaction or the scratch database that this failure undoes */
	if (!bad && p->rc == EX_OK && (p->rc = scs_after(a, &e->st.pos)) != EX_OK)
		bad = 1;
	if (!bad && p->rc == EX_OK)
		a->nstmt++;
	p->bytes -= e->st.len;
	free(e->text);
	p->head = (p->head + 1) % p->cap;
	p->n--;
	if (p->rc == EX_UNREACHABLE)
		while (p->n > 0) {
			free(p->q[p->head].text);
			p->head = (p->head + 1) % p->cap;
			p->n--;
		}
}

/* Read everything in flight and leave pipeline mode; the first failure, or EX_OK. */
static int
pipe_drain(struct apply *a, struct pipe *p)
{
	while (p->n > 0)
		pipe_read(a, p);
	if (p->on && PQstatus(a->conn) == CONNECTION_OK && !PQexitPipelineMode(a->conn) && p->rc == EX_OK) {
		warnx("cannot leave pipeline mode: %s", PQerrorMessage(a->conn));
		p->rc = EX_UNREACHABLE;
	}
	p->on = 0;
	return p->rc;
}

/*
 * Send one plain statement with its own sync point, so that it is its own implicit
 * transaction as under psql (ALTER TYPE ... ADD VALUE then a use of the value works).
 */
static int
pipe_send(struct apply *a, struct sqlsrc *s, struct pipe *p, const struct stmt *st)
{
	struct sent *e;

	if (!p->on) {
		if (!PQenterPipelineMode(a->conn)) {
			warnat(&st->pos, "cannot enter pipeline mode: %s", PQerrorMessage(a->conn));
			return p->rc = EX_UNREACHABLE;
		}
		p->on = 1;
	}
	while (p->n > 0 && (p->n >= BATCH_STMTS || p->bytes >= BATCH_BYTES) && p->rc == EX_OK)
		pipe_read(a, p);
	if (p->rc != EX_OK)
		return p->rc;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct sent *q = xmalloc(cap * sizeof *q);

		for (size_t i = 0; i < p->n; i++)
			q[i] = p->q[(p->head + i) % p->cap];
		free(p->q);
		p->q = q;
		p->head = 0;
		p->cap = cap;
	}
	e = &p->q[(p->head + p->n) % p->cap];
	e->st = *st;
	e->text = xstrndup(sqlsrc_text(s, st->off), (size_t)st->len);
	if (!PQsendQueryParams(a->conn, e->text, 0, NULL, NULL, NULL, NULL, 0) || !PQpipelineSync(a->conn)) {
		warnat(&st->pos, "cannot send the statement: %s", PQerrorMessage(a->conn));
		free(e->text);
		return p->rc = EX_UNREACHABLE;
	}
	p->n++;
	p->bytes += st->len;
	return EX_OK;
}

/*
 * Plain statements go out in pipeline mode, each with its own sync point: the server works
 * on them while the next ones are read and parsed. Other items (COPY, psql commands,
 * transaction control, refused statements) wait for the pipeline to drain and run alone.
 * Without a->batch (-a) each statement runs alone, so nothing after a failure ever runs.
 */
int
apply_stream(struct apply *a, struct sqlsrc *s)
{
	struct pipe p = { 0 };
	int k, rc = EX_OK;
	struct stmt st;

	if ((rc = apply_check_server(a->conn)) != EX_OK)
		return rc;
	for (;;) {
		k = sqlsrc_next(s, &st);
		if (k == SQ_ERROR) {
			pipe_drain(a, &p);
			rc = EX_SCHEMA;
			break;
		}
		if (k != SQ_END && (st.off + 1 == a->skip[0] || st.off + 1 == a->skip[1]))
			continue;
		if (k == SQ_END || special(&st) || !a->batch) {
			if ((rc = pipe_drain(a, &p)) != EX_OK || k == SQ_END)
				break;
			rc = apply_one(a, s, &st);
			sqlsrc_release(s);
			if (rc != EX_OK)
				break;
			continue;
		}
		rc = pipe_send(a, s, &p, &st);
		sqlsrc_release(s);
		if (rc != EX_OK) {
			pipe_drain(a, &p);
			break;
		}
	}
	free(p.q);
	return rc;
}
