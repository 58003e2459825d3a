#include <pwd.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"

const char *
pg_resolve(const char *flag, const struct envconfig *env)
{
	const char *v;

	if (flag)
		return flag;
	if ((v = getenv("CONFITURE_DATABASE_URL")) != NULL && *v)
		return v;
	if (env && env->database_url)
		return env->database_url;
	if ((v = getenv("DATABASE_URL")) != NULL && *v)
		return v;
	return "";
}

/* conninfo rebuilt from its parsed options, dropping password and replacing dbname when asked */
static char *
rebuild(const char *conninfo, const char *db, int keep_password)
{
	char *err = NULL;
	PQconninfoOption *o = PQconninfoParse(conninfo, &err), *p;
	struct buf b = { 0 };

	if (!o) {
		PQfreemem(err);
		return NULL;
	}
	buf_puts(&b, "");
	for (p = o; p->keyword; p++) {
		const char *v = p->val;

		if (strcmp(p->keyword, "dbname") == 0 && db)
			v = db;
		if (!v || !*v || (!keep_password && strcmp(p->keyword, "password") == 0))
			continue;
		buf_printf(&b, "%s%s='", b.len ? " " : "", p->keyword);
		for (const char *q = v; *q; q++) {
			if (*q == '\'' || *q == '\\')
				buf_add(&b, "\\", 1);
			buf_add(&b, q, 1);
		}
		buf_add(&b, "'", 1);
	}
	if (db && !strstr(b.data, "dbname="))
		buf_printf(&b, "%sdbname='%s'", b.len ? " " : "", db);
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
	return rebuild(conninfo, db, 1);
}

char *
pg_dbname_of(const char *conninfo)
{
	char *err = NULL, *db = NULL;
	PQconninfoOption *o = PQconninfoParse(conninfo, &err);

	if (!o) {
		PQfreemem(err);
		return NULL;
	}
	for (PQconninfoOption *p = o; p->keyword; p++)
		if (strcmp(p->keyword, "dbname") == 0 && p->val && *p->val)
			db = xstrdup(p->val);
	PQconninfoFree(o);
	if (!db) {
		/* libpq's defaults: PGDATABASE, else the user name */
		const char *v = getenv("PGDATABASE");

		if (!v || !*v)
			v = getenv("PGUSER");
		if (!v || !*v) {
			struct passwd *pw = getpwuid(geteuid());

			v = pw ? pw->pw_name : NULL;
		}
		if (v && *v)
			db = xstrdup(v);
	}
	return db;
}

static void
firstline(const char *msg, char *out, size_t n)
{
	size_t l;

	snprintf(out, n, "%s", msg ? msg : "");
	l = strcspn(out, "\n");
	out[l] = '\0';
}

PGconn *
pg_connect(const char *conninfo)
{
	static const char *const kw[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { conninfo, diag_prog(), NULL };
	PGconn *c;
	char msg[512];
	char *safe;

	if (!getenv("PGCONNECT_TIMEOUT"))
		setenv("PGCONNECT_TIMEOUT", "10", 0);
	c = PQconnectdbParams(kw, vals, 1);
	if (c && PQstatus(c) == CONNECTION_OK)
		return c;
	firstline(c ? PQerrorMessage(c) : "out of memory", msg, sizeof msg);
	safe = pg_scrub(conninfo);
	warnx("cannot connect to %s: %s", *safe ? safe : "the default database (PG* variables)", msg);
	free(safe);
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
