#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"
#include "sig.h"

/* Where the connection string of this run came from, for messages that cannot show it. */
static const char *resolved_from = "the PG* variables";

const char *
pg_resolve(const char *flag, const char *env_url)
{
	const char *v;

	if (flag) {
		resolved_from = "-d";
		return flag;
	}
	if ((v = getenv("CONFITURE_DATABASE_URL")) != NULL && *v) {
		resolved_from = "CONFITURE_DATABASE_URL";
		return v;
	}
	if (env_url) {
		resolved_from = "database_url of the environment";
		return env_url;
	}
	if ((v = getenv("DATABASE_URL")) != NULL && *v) {
		resolved_from = "DATABASE_URL";
		return v;
	}
	resolved_from = "the PG* variables";
	return "";
}

void
pg_conninfo_add(struct buf *b, const char *kw, const char *val)
{
	buf_printf(b, "%s%s='", b->len ? " " : "", kw);
	for (const char *q = val; *q; q++) {
		if (*q == '\'' || *q == '\\')
			buf_add(b, "\\", 1);
		buf_add(b, q, 1);
	}
	buf_add(b, "'", 1);
}

int
pg_is_conninfo(const char *s)
{
	return s && (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0 || strchr(s, '='));
}

/*
 * libpq's own messages about a connection string it cannot parse quote the string, password
 * and all, so they are never shown: this one says where the string came from instead.
 */
static void
unparsable(void)
{
	warnx("the connection string from %s cannot be parsed (libpq's reason is not shown: it quotes "
	      "the string, which may hold a password)", resolved_from);
}

/* Parse conninfo; NULL (after a message when loud) if libpq cannot. */
static PQconninfoOption *
parse(const char *conninfo, int loud)
{
	char *err = NULL;
	PQconninfoOption *o;

	if (!pg_is_conninfo(conninfo) && *conninfo) {
		/* as for libpq, a string that is no connection string is a database name */
		struct buf b = { 0 };

		pg_conninfo_add(&b, "dbname", conninfo);
		o = PQconninfoParse(b.data, &err);
		buf_free(&b);
	} else {
		o = PQconninfoParse(conninfo, &err);
	}
	PQfreemem(err);
	if (!o && loud)
		unparsable();
	return o;
}

/* The value of keyword in parsed options, NULL if unset or empty. */
static const char *
option(const PQconninfoOption *o, const char *keyword)
{
	for (; o && o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0)
			return o->val && *o->val ? o->val : NULL;
	return NULL;
}

/* Whether libpq marks an option as a secret ("*" in dispchar: password, sslpassword, ...). */
static int
secret(const PQconninfoOption *o)
{
	return o->dispchar && strchr(o->dispchar, '*') != NULL;
}

/* conninfo rebuilt from its parsed options, dropping every secret and replacing dbname when asked */
static char *
rebuild(const char *conninfo, const char *db, int keep_password)
{
	PQconninfoOption *o = parse(conninfo, 0), *p;
	struct buf b = { 0 };
	int has_db = 0;

	if (!o)
		return NULL;
	buf_puts(&b, "");
	for (p = o; p->keyword; p++) {
		const char *v = p->val;

		if (strcmp(p->keyword, "dbname") == 0 && db) {
			v = db;
			has_db = 1;
		}
		if (!v || !*v || (!keep_password && secret(p)))
			continue;
		if (!keep_password && pg_is_conninfo(v) && strcmp(p->keyword, "dbname") == 0)
			v = "(a connection string, not shown)";
		pg_conninfo_add(&b, p->keyword, v);
	}
	if (db && !has_db)
		pg_conninfo_add(&b, "dbname", db);
	PQconninfoFree(o);
	return b.data;
}

char *
pg_scrub(const char *conninfo)
{
	char *s = rebuild(conninfo, NULL, 0);

	return s ? s : xstrdup("(unparsable connection string)");
}

char *
pg_with_dbname(const char *conninfo, const char *db)
{
	char *s = rebuild(conninfo, db, 1);

	if (!s)
		unparsable();
	return s;
}

static void
firstline(const char *msg, char *out, size_t n)
{
	size_t l;

	snprintf(out, n, "%s", msg ? msg : "");
	l = strcspn(out, "\n");
	out[l] = '\0';
}

/* Mask every copy of each secret conninfo holds (password, sslpassword...) in msg with '*'. */
static void
redact(char *msg, const char *conninfo)
{
	PQconninfoOption *o = parse(conninfo, 0);

	for (const PQconninfoOption *q = o; q && q->keyword; q++) {
		const char *pw = q->val;
		char *p = msg;

		if (!secret(q) || !pw || !*pw)
			continue;
		while ((p = strstr(p, pw)) != NULL) {
			memset(p, '*', strlen(pw));
			p += strlen(pw);
		}
	}
	PQconninfoFree(o);
}

/*
 * conninfo parses, and its database name is not itself a connection string: libpq expands
 * only the outer string, so such a name would reach the server (and its error message) as is.
 */
static int
usable(const char *conninfo)
{
	PQconninfoOption *o = parse(conninfo, 1);
	int ok = o != NULL;

	if (o && pg_is_conninfo(option(o, "dbname"))) {
		warnx("the connection string from %s has a dbname that is itself a connection string, which "
		      "libpq does not expand: give that string directly", resolved_from);
		ok = 0;
	}
	PQconninfoFree(o);
	return ok;
}

/* "prog: cannot connect to <scrubbed>: <first line of libpq's message, password redacted>" */
static void
cannot_connect(const char *conninfo, const PGconn *c, const char *why)
{
	char msg[512];
	char *safe = pg_scrub(conninfo);

	firstline(why ? why : c ? PQerrorMessage(c) : "out of memory", msg, sizeof msg);
	redact(msg, conninfo);
	warnx("cannot connect to %s: %s", *safe ? safe : "the default database (PG* variables)", msg);
	free(safe);
}

char *
pg_target_dbname(const char *conninfo)
{
	static const char *const kw[] = { "dbname", NULL };
	const char *vals[] = { conninfo, NULL };
	PQconninfoOption *o;
	PGconn *c;
	char *db = NULL;

	if (!usable(conninfo))
		return NULL;
	/* starting a connection applies the service file, the PG* variables and the defaults;
	   it is abandoned before any authentication */
	c = PQconnectStartParams(kw, vals, 1);
	o = c ? PQconninfo(c) : NULL;
	if (option(o, "dbname"))
		db = xstrdup(option(o, "dbname"));
	else
		cannot_connect(conninfo, c, NULL);
	PQconninfoFree(o);
	PQfinish(c);
	if (db && pg_is_conninfo(db)) {
		warnx("the database name from %s is itself a connection string: give that string directly",
		    resolved_from);
		free(db);
		db = NULL;
	}
	return db;
}

/* The seconds libpq would wait for each host (connect_timeout, PGCONNECT_TIMEOUT), times the hosts. */
static double
connect_budget_ms(PGconn *c)
{
	PQconninfoOption *o = PQconninfo(c);
	const char *t = option(o, "connect_timeout"), *h = option(o, "host");
	long secs = t ? strtol(t, NULL, 10) : 0, hosts = 1;

	for (; h && *h; h++)
		hosts += *h == ',';
	PQconninfoFree(o);
	return secs > 0 ? (double)(secs < 2 ? 2 : secs) * 1e3 * (double)hosts : -1;
}

/*
 * Connect by polling, so that SIGINT and SIGTERM end the wait for a server that does not
 * answer at once (the blocking PQconnectdb retries on EINTR until its timeout). NULL without
 * a message when interrupted.
 */
static PGconn *
connect_polling(const char *const *kw, const char *const *vals, int *timed_out)
{
	PGconn *c = PQconnectStartParams(kw, vals, 1);
	PostgresPollingStatusType st = PGRES_POLLING_WRITING;
	double budget, t0 = clock_ms();

	if (!c || PQstatus(c) == CONNECTION_BAD)
		return c;
	budget = connect_budget_ms(c);
	while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
		struct pollfd p = { PQsocket(c), st == PGRES_POLLING_READING ? POLLIN : POLLOUT, 0 };
		int r;

		if (sig_caught) {
			PQfinish(c);
			return NULL;
		}
		if (budget > 0 && clock_ms() - t0 > budget) {
			*timed_out = 1;
			break;
		}
		r = poll(&p, 1, 200);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0)
			st = PQconnectPoll(c);
	}
	return c;
}

PGconn *
pg_connect(const char *conninfo)
{
	static const char *const kw[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { conninfo, diag_prog(), NULL };
	PGconn *c;
	int timed_out = 0;

	if (!usable(conninfo))
		return NULL;
	if (!getenv("PGCONNECT_TIMEOUT"))
		setenv("PGCONNECT_TIMEOUT", "10", 0);
	c = connect_polling(kw, vals, &timed_out);
	if (c && PQstatus(c) == CONNECTION_OK)
		return c;
	if (c || !sig_caught)
		cannot_connect(conninfo, c, timed_out ? "timeout expired" : NULL);
	PQfinish(c);
	return NULL;
}

void
pg_report(const PGresult *r, const struct srcpos *pos)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
	char first[1024];

	if (!msg) {
		firstline(PQresultErrorMessage(r), first, sizeof first);
		msg = first[0] ? first : "unknown error";
	}
	warnat(pos, "%s %s: %s", sev ? sev : "ERROR", state ? state : "XX000", msg);
	if (detail)
		warnat(pos, "DETAIL: %s", detail);
	if (hint)
		warnat(pos, "HINT: %s", hint);
}

PGresult *
pg_query(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	pg_report(r, NULL);
	PQclear(r);
	return NULL;
}

int
pg_command(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *r = pg_query(c, sql, n, params);

	PQclear(r);
	return r ? 0 : -1;
}

int
pg_failed(PGconn *c)
{
	return pg_lost(c, NULL) ? EX_UNREACHABLE : EX_FAIL;
}

int
pg_run(PGconn *c, const char *sql)
{
	return pg_command(c, sql, 0, NULL) == 0 ? EX_OK : pg_failed(c);
}

int
pg_run_named(PGconn *c, const char *head, const char *name, const char *tail)
{
	char *q = PQescapeIdentifier(c, name, strlen(name));
	struct buf sql = { 0 };
	int rc;

	buf_puts(&sql, head);
	buf_puts(&sql, q);
	buf_puts(&sql, tail);
	rc = pg_run(c, sql.data);
	buf_free(&sql);
	PQfreemem(q);
	return rc;
}

char *
pg_quote_ident(PGconn *c, const char *name)
{
	const char *dot = strchr(name, '.');
	char *a, *b, *s;

	if (!dot) {
		a = PQescapeIdentifier(c, name, strlen(name));
		s = xstrdup(a ? a : "\"\"");
		PQfreemem(a);
		return s;
	}
	a = PQescapeIdentifier(c, name, (size_t)(dot - name));
	b = PQescapeIdentifier(c, dot + 1, strlen(dot + 1));
	s = xasprintf("%s.%s", a ? a : "\"\"", b ? b : "\"\"");
	PQfreemem(a);
	PQfreemem(b);
	return s;
}

int
pg_lost(PGconn *c, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return PQstatus(c) == CONNECTION_BAD || (state && strncmp(state, "08", 2) == 0);
}

static void
notice(void *arg, const PGresult *r)
{
	int verbose = *(int *)arg;
	const char *sev = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

	if (!verbose && sev && (strcmp(sev, "NOTICE") == 0 || strcmp(sev, "INFO") == 0
	    || strcmp(sev, "DEBUG") == 0 || strcmp(sev, "LOG") == 0))
		return;
	warnx("%s: %s", sev ? sev : "NOTICE", msg ? msg : "");
}

void
pg_notices(PGconn *c, int verbose)
{
	static int v[2] = { 0, 1 };

	PQsetNoticeReceiver(c, notice, &v[verbose ? 1 : 0]);
}

PGresult *
pg_query_state(PGconn *c, const char *sql, int n, const char *const *params, char state[6], PGresult **err)
{
	PGresult *r = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	const char *s;

	state[0] = '\0';
	if (err)
		*err = NULL;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return r;
	s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	snprintf(state, 6, "%s", s ? s : "");
	if (err)
		*err = r;
	else
		PQclear(r);
	return NULL;
}

const char *
pg_value(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}
