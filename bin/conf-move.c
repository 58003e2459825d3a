/*
 * conf-move: copy the data of an old database into a new one built with another schema, table by
 * table through a mapping (conf-move(1)): in the foreign-key order of the target, each table in
 * its own transaction, either INSERT … SELECT from the postgres_fdw staging tables (fdw) or a COPY
 * out of the source streamed into a COPY into the target (copy). A finished table is recorded in
 * confiture_s2s.progress on the target, in the same transaction, and skipped by a later run.
 */
#include <errno.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "mapping.h"
#include "pgconn.h"
#include "s2splan.h"
#include "sig.h"

#define USAGE "conf-move [-d target] [-s source] [-S staging] [-m fdw|copy] [-j jobs] [-i seconds] " \
              "{mapping.yaml | -t source_table -T target_table [-c src:dst,...]}"

static const char *strategy = "fdw", *target_conn, *source_conn;
static double every = 5; /* seconds between progress lines of a COPY */

enum { PENDING, RUNNING, DONE, FAILED };

static const char progress_schema[] = "CREATE SCHEMA IF NOT EXISTS confiture_s2s";
static const char progress_ddl[] =
    "CREATE TABLE IF NOT EXISTS confiture_s2s.progress (key text PRIMARY KEY, source_table text, "
    "target_table text, strategy text, rows bigint, started_at timestamptz, finished_at timestamptz)";

/* Where table t is in the mapping file (its key), NULL for -t/-T. */
static const struct srcpos *
tpos(const struct s2stable *t)
{
	return t->m->pos.line > 0 ? &t->m->pos : NULL;
}

/* A message about table t: at its key in the mapping file (FILE:LINE:COL), plain for -t/-T. */
__attribute__((format(printf, 2, 3))) static void
tablemsg(const struct s2stable *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(tpos(t), fmt, ap);
	va_end(ap);
}

/* Stream the source's rows of t into the target; the rows copied, or -1 after a message. */
static long long
copy_stream(PGconn *c, PGconn *s, struct s2stable *t)
{
	struct buf q = { 0 };
	PGresult *r;
	long long rows = 0;
	double t0 = clock_ms(), shown = t0;
	char *row;
	int n, bad = 0;

	buf_puts(&q, "COPY ");
	buf_puts(&q, t->target);
	buf_puts(&q, " (");
	s2s_join(&q, &t->cols, "", "");
	buf_puts(&q, ") FROM STDIN");
	r = PQexec(c, q.data);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_report(r, tpos(t));
		PQclear(r);
		buf_free(&q);
		return -1;
	}
	PQclear(r);
	q.len = 0;
	buf_puts(&q, "COPY (SELECT ");
	s2s_join(&q, &t->raw, "", "");
	buf_printf(&q, " FROM %s", t->source);
	if (t->m->where)
		buf_printf(&q, " WHERE (%s)", t->m->where);
	buf_puts(&q, ") TO STDOUT");
	r = PQexec(s, q.data);
	buf_free(&q);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		pg_report(r, tpos(t));
		PQclear(r);
		PQputCopyEnd(c, "the source failed");
		PQclear(PQgetResult(c));
		return -1;
	}
	PQclear(r);
	sig_set_cancel(s);
	/* one row at a time from the source to the target: memory stays that of one row */
	while ((n = PQgetCopyData(s, &row, 0)) > 0) {
		if (!bad && PQputCopyData(c, row, n) != 1) {
			/* the target gave up (its error comes with the end of the COPY): stop the source */
			PGcancel *k = PQgetCancel(s);
			char e[256];

			bad = 1;
			if (k) {
				PQcancel(k, e, sizeof e);
				PQfreeCancel(k);
			}
		}
		PQfreemem(row);
		rows++;
		if (every > 0 && clock_ms() - shown >= every * 1000) {
			shown = clock_ms();
			fprintf(stderr, "%s: %s: %lld rows so far, %.0f rows/s\n", diag_prog(), t->tgt_label, rows,
			    (double)rows * 1000 / (shown - t0));
		}
	}
	sig_set_cancel(c);
	r = PQgetResult(s);
	if (n == -2 || PQresultStatus(r) != PGRES_COMMAND_OK) {
		if (!bad)
			pg_report(r, tpos(t));
		bad = bad ? bad : 2;
	}
	PQclear(r);
	while ((r = PQgetResult(s)))
		PQclear(r);
	PQputCopyEnd(c, bad == 2 ? "the source failed" : NULL);
	r = PQgetResult(c);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && bad != 2)
		pg_report(r, tpos(t));
	if (PQresultStatus(r) != PGRES_COMMAND_OK || bad)
		rows = -1;
	PQclear(r);
	while ((r = PQgetResult(c)))
		PQclear(r);
	return rows;
}

/* Copy one table in one transaction; EX_OK or an exit code after a message. */
static int
move_table(PGconn *c, PGconn *s, struct s2stable *t)
{
	struct buf q = { 0 };
	PGresult *r;
	long long rows = -1;
	double t0 = clock_ms();
	char nrows[32];
	const char *p[5];
	struct strv trig = { 0 };
	int st = EX_FAIL;

	sig_set_cancel(c);
	if (pg_run(c, "BEGIN") != EX_OK)
		return pg_failed(c);
	/* a second run at the same time waits here, then finds the rows of the first */
	buf_printf(&q, "LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE", t->target);
	if (pg_command(c, q.data, 0, NULL) != 0)
		goto out;
	q.len = 0;
	buf_printf(&q, "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1) x", t->target);
	if (!(r = pg_query(c, q.data, 0, NULL)))
		goto out;
	if (strcmp(PQgetvalue(r, 0, 0), "0") != 0) {
		/* an earlier copy that was not recorded, or rows of another origin: not ours to mix */
		tablemsg(t, "%s already holds rows: a table is copied only into an empty table (empty it, "
		    "or record it as done in confiture_s2s.progress)", t->tgt_label);
		PQclear(r);
		goto out;
	}
	PQclear(r);
	if (s2s_triggers(c, t, 1, &trig) != EX_OK)
		goto out;
	if (strcmp(strategy, "copy") == 0) {
		rows = copy_stream(c, s, t);
	} else {
		q.len = 0;
		buf_printf(&q, "INSERT INTO %s (", t->target);
		s2s_join(&q, &t->cols, "", "");
		buf_puts(&q, ") OVERRIDING SYSTEM VALUE SELECT ");
		s2s_join(&q, &t->ins, "", "");
		buf_printf(&q, " FROM %s", t->stage);
		if (t->m->where)
			buf_printf(&q, " WHERE (%s)", t->m->where);
		char state[6];
		PGresult *err = NULL;

		/* an error of the user's expression or where: named at the table in the mapping */
		if ((r = pg_query_state(c, q.data, 0, NULL, state, &err))) {
			rows = strtoll(PQcmdTuples(r), NULL, 10);
			PQclear(r);
		} else {
			pg_report(err, tpos(t));
			PQclear(err);
		}
	}
	if (rows < 0 || s2s_sequences(c, t) != EX_OK || s2s_triggers(c, t, 0, &trig) != EX_OK)
		goto out;
	snprintf(nrows, sizeof nrows, "%lld", rows);
	p[0] = t->m->name, p[1] = t->m->source, p[2] = t->m->target, p[3] = strategy, p[4] = nrows;
	if (pg_command(c, "INSERT INTO confiture_s2s.progress VALUES ($1, $2, $3, $4, $5, now(), "
	                  "clock_timestamp()) ON CONFLICT (key) DO UPDATE SET source_table = $2, "
	                  "target_table = $3, strategy = $4, rows = $5, started_at = now(), "
	                  "finished_at = clock_timestamp()", 5, p) != 0)
		goto out;
	if (pg_run(c, "COMMIT") != EX_OK)
		goto out;
	fprintf(stderr, "%s: %s: %lld rows in %.2f s (%s)\n", diag_prog(), t->tgt_label, rows,
	    (clock_ms() - t0) / 1000, strategy);
	st = EX_OK;
out:
	buf_free(&q);
	strv_free(&trig);
	if (st != EX_OK) {
		st = pg_failed(c);
		if (PQstatus(c) == CONNECTION_OK) {
			PQclear(PQexec(c, "ROLLBACK"));
			tablemsg(t, "%s: rolled back, nothing of it copied", t->tgt_label);
		}
		if (sig_caught)
			st = 128 + sig_caught;
	}
	return st;
}

/* Whether every table t refers to (among those of the run) is done. */
static int
ready(struct s2stable *v, const int *state, size_t n, size_t t)
{
	for (size_t k = 0; k < v[t].nrefs; k++)
		for (size_t j = 0; j < n; j++)
			if (j != t && v[j].tgt_oid == v[t].refs[k] && state[j] != DONE)
				return 0;
	return 1;
}

/* The next table to start: a ready pending one; when none is ready and nothing runs, foreign
   keys form a cycle and the first pending one goes first (its checks decide). n when none. */
static size_t
next(struct s2stable *v, int *state, size_t n, int running)
{
	size_t first = n;

	for (size_t i = 0; i < n; i++) {
		if (state[i] != PENDING)
			continue;
		if (ready(v, state, n, i))
			return i;
		if (first == n)
			first = i;
	}
	if (first < n && !running) {
		warnx("%s: its foreign keys form a cycle with tables not copied yet: copied first",
		    v[first].tgt_label);
		return first;
	}
	return n;
}

/* Connect the sides a table needs; 0 or an exit code. */
static int
connect_sides(PGconn **c, PGconn **s)
{
	*s = NULL;
	if (!(*c = pg_connect(target_conn)))
		return EX_UNREACHABLE;
	if (strcmp(strategy, "copy") == 0 && !(*s = pg_connect(source_conn))) {
		PQfinish(*c);
		return EX_UNREACHABLE;
	}
	return EX_OK;
}

/* Run the tables, jobs at a time (jobs > 1: one process and connection each); the exit status. */
static int
run(struct s2stable *v, int *state, size_t n, long jobs, PGconn *c, PGconn *s)
{
	pid_t *pid = xcalloc(n + 1, sizeof *pid);
	int running = 0, st = EX_OK;
	size_t i;

	for (;;) {
		while (st == EX_OK && !sig_caught && running < jobs && (i = next(v, state, n, running)) < n) {
			if (jobs == 1) {
				st = move_table(c, s, &v[i]);
				state[i] = st == EX_OK ? DONE : FAILED;
				continue;
			}
			fflush(stderr);
			if ((pid[i] = fork()) < 0)
				die(EX_FAIL, "fork: %s", strerror(errno));
			if (pid[i] == 0) {
				PGconn *cc, *ss;
				int rc = connect_sides(&cc, &ss);

				if (rc == EX_OK)
					rc = move_table(cc, ss, &v[i]);
				PQfinish(cc);
				PQfinish(ss);
				_exit(rc);
			}
			state[i] = RUNNING;
			running++;
		}
		if (!running)
			break;
		int ws;
		pid_t w = waitpid(-1, &ws, 0);

		if (w < 0) {
			if (errno == EINTR && sig_caught) {
				for (size_t j = 0; j < n; j++)
					if (state[j] == RUNNING)
						kill(pid[j], SIGTERM);
			}
			continue;
		}
		for (i = 0; i < n && !(state[i] == RUNNING && pid[i] == w); i++)
			;
		if (i == n)
			continue;
		running--;
		ws = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
		state[i] = ws == EX_OK ? DONE : FAILED;
		if (ws != EX_OK && st == EX_OK)
			st = ws;
	}
	free(pid);
	if (sig_caught && st == EX_OK)
		st = 128 + sig_caught;
	return st;
}

int
main(int argc, char **argv)
{
	const char *dflag = NULL, *staging = "old_schema", *src_t = NULL, *dst_t = NULL, *spec = NULL;
	struct mapping *m;
	struct s2stable *v;
	PGconn *c, *s = NULL;
	PGresult *r;
	int ch, st = EX_OK, *state;
	long jobs = 1;
	size_t n = 0, left = 0;
	double t0 = clock_ms();

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "c:d:i:j:m:s:S:t:T:")) != -1) {
		switch (ch) {
		case 'c': spec = optarg; break;
		case 'd': dflag = optarg; break;
		case 'i': every = (double)opt_number('i', optarg, 0, "a number of seconds"); break;
		case 'j': jobs = opt_number('j', optarg, 1, "a number of parallel connections"); break;
		case 'm': strategy = optarg; break;
		case 's': source_conn = optarg; break;
		case 'S': staging = optarg; break;
		case 't': src_t = optarg; break;
		case 'T': dst_t = optarg; break;
		default: usage(USAGE);
		}
	}
	if (strcmp(strategy, "fdw") != 0 && strcmp(strategy, "copy") != 0)
		die(EX_CONFIG, "-m is fdw or copy, not %s", strategy);
	if ((src_t || dst_t) ? !(src_t && dst_t) || optind != argc : optind != argc - 1 || spec)
		usage(USAGE);
	if (strcmp(strategy, "copy") == 0 && !source_conn)
		die(EX_CONFIG, "-m copy reads the source itself: give its connection with -s");
	m = src_t ? mapping_inline(src_t, dst_t, spec ? spec : "", &st) : mapping_load(argv[optind], &st);
	if (!m)
		return st;
	target_conn = pg_resolve(dflag, NULL);
	if ((st = connect_sides(&c, &s)) != EX_OK)
		return st;
	pg_notices(c, 0);
	sig_trap();

	v = xcalloc(m->n + 1, sizeof *v);
	state = xcalloc(m->n + 1, sizeof *state);
	/* every table is checked against the catalogs before any row moves */
	for (size_t i = 0; i < m->n; i++) {
		if (!m->t[i].source || !m->t[i].target)
			continue;
		if ((st = s2s_plan(c, s, staging, &m->t[i], &v[n])) != EX_OK) {
			s2s_free(&v[n]);
			goto done;
		}
		n++;
	}
	if ((st = pg_run(c, progress_schema)) != EX_OK || (st = pg_run(c, progress_ddl)) != EX_OK)
		goto done;
	if (!(r = pg_query(c, "SELECT key, rows FROM confiture_s2s.progress WHERE finished_at IS NOT NULL",
	          0, NULL))) {
		st = pg_failed(c);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		for (int j = 0; j < PQntuples(r); j++)
			if (strcmp(PQgetvalue(r, j, 0), v[i].m->name) == 0) {
				state[i] = DONE;
				fprintf(stderr, "%s: %s: copied by an earlier run (%s rows), skipped\n", diag_prog(),
				    v[i].tgt_label, PQgetvalue(r, j, 1));
			}
	PQclear(r);
	if (jobs > 1) {
		/* the workers connect on their own; a connection is never shared across fork */
		PQfinish(c), PQfinish(s);
		c = s = NULL;
	}
	st = run(v, state, n, jobs, c, s);
	for (size_t i = 0; i < n; i++)
		left += state[i] != DONE;
	if (sig_caught)
		warnx("interrupted: %zu of %zu tables not copied; a rerun copies them (the finished ones are "
		      "recorded in confiture_s2s.progress)", left, n);
	else if (st != EX_OK)
		warnx("stopped: %zu of %zu tables not copied; a rerun copies them (the finished ones are "
		      "recorded in confiture_s2s.progress)", left, n);
	else
		fprintf(stderr, "%s: %zu tables in %.2f s\n", diag_prog(), n, (clock_ms() - t0) / 1000);
done:
	for (size_t i = 0; i < n; i++)
		s2s_free(&v[i]);
	free(v);
	free(state);
	mapping_free(m);
	PQfinish(c);
	PQfinish(s);
	return st;
}
