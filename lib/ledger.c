#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "hash.h"
#include "ledger.h"
#include "pgconn.h"
#include "sig.h"
#include "sqltext.h"

/* upstream's literal: documented as a hash of "tb_confiture", which it is not */
#define LOCK_CLASS 1751936052UL

/* Replace each {key} of tmpl by its value. */
static char *
fill(const char *tmpl, const char *const *kv)
{
	struct buf b = { 0 };
	const char *p = tmpl;

	buf_puts(&b, "");
	while (*p) {
		const char *close;
		int done = 0;

		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			for (int i = 0; kv[i]; i += 2)
				if (strlen(kv[i]) == (size_t)(close - p - 1) && memcmp(kv[i], p + 1, (size_t)(close - p - 1)) == 0) {
					buf_puts(&b, kv[i + 1]);
					p = close + 1;
					done = 1;
					break;
				}
		}
		if (!done)
			buf_add(&b, p++, 1);
	}
	return b.data;
}

static char *
sql_for(const struct ledger *l, const char *tmpl)
{
	const char *kv[] = { "table", l->qtable, NULL };

	return fill(tmpl, kv);
}

/* A query on the table; a failure is reported with the table and what the tool was doing. */
static PGresult *
lq(struct ledger *l, const char *doing, const char *sql, int n, const char *const *p)
{
	char state[6];
	PGresult *err, *r = pg_query_state(l->conn, sql, n, p, state, &err);

	if (!r) {
		char *what = xasprintf("tracking table %s: %s", l->name, doing);
		struct srcpos pos = { what, 0, 0 };

		pg_report(err, &pos);
		PQclear(err);
		free(what);
	}
	return r;
}

static int
lcmd(struct ledger *l, const char *doing, const char *sql, int n, const char *const *p)
{
	PGresult *r = lq(l, doing, sql, n, p);

	PQclear(r);
	return r ? 0 : -1;
}

int
ledger_init(struct ledger *l, PGconn *conn, const char *table)
{
	const char *dot = strchr(table, '.');
	char *q = pg_quote_ident(conn, table), *schema, *qs, *qb;
	const char *p[] = { q };
	PGresult *r;

	memset(l, 0, sizeof *l);
	l->conn = conn;
	l->table = xstrdup(table);
	l->name = xstrdup(table);
	r = lq(l, "finding its schema", sql_ledger_schema, 1, p);
	free(q);
	if (!r)
		return pg_failed(conn);
	schema = dot ? xstrndup(table, (size_t)(dot - table)) : xstrdup(PQgetvalue(r, 0, 0));
	l->dbname = xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);
	free(l->name);
	l->name = xasprintf("%s.%s", schema, dot ? dot + 1 : table);
	qs = PQescapeIdentifier(conn, schema, strlen(schema));
	qb = PQescapeIdentifier(conn, dot ? dot + 1 : table, strlen(dot ? dot + 1 : table));
	l->qtable = xasprintf("%s.%s", qs ? qs : "\"\"", qb ? qb : "\"\"");
	PQfreemem(qs);
	PQfreemem(qb);
	free(schema);
	return EX_OK;
}

void
ledger_free(struct ledger *l)
{
	for (size_t i = 0; i < l->nrows; i++) {
		free(l->rows[i].version);
		free(l->rows[i].name);
		free(l->rows[i].checksum);
		free(l->rows[i].applied_at);
	}
	free(l->rows);
	free(l->table);
	free(l->name);
	free(l->qtable);
	free(l->dbname);
	memset(l, 0, sizeof *l);
}

int
ledger_exists(struct ledger *l)
{
	const char *p[] = { l->qtable };
	PGresult *r = lq(l, "looking for it", "SELECT pg_catalog.to_regclass($1) IS NOT NULL", 1, p);
	int yes;

	if (!r)
		return -1;
	yes = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return yes;
}

int
ledger_create(struct ledger *l)
{
	const char *dot = strchr(l->table, '.');
	const char *base = dot ? dot + 1 : l->table;
	const char *suffix[] = { "pk_confiture", "slug", "version", "applied_at" };
	char *idx[4], *sql;
	int rc = 0;

	/* an index goes to its table's schema, so its name is never qualified; a long table name
	   is cut (as PostgreSQL's own makeObjectName does) so that the suffix keeps the four apart */
	for (int i = 0; i < 4; i++) {
		int room = 63 - (int)(sizeof "idx__" - 1) - (int)strlen(suffix[i]);
		char *name = xasprintf("idx_%.*s_%s", room, base, suffix[i]);

		idx[i] = pg_quote_ident(l->conn, name);
		free(name);
	}
	{
		const char *kv[] = { "table", l->qtable, "idx_pk", idx[0], "idx_slug", idx[1],
			"idx_version", idx[2], "idx_applied_at", idx[3], NULL };

		sql = fill(sql_ledger_create, kv);
	}
	if (dot) {
		char *s = xstrndup(l->table, (size_t)(dot - l->table));
		char *qs = pg_quote_ident(l->conn, s);
		char *cs = xasprintf("CREATE SCHEMA IF NOT EXISTS %s", qs);

		rc = lcmd(l, "creating its schema", cs, 0, NULL);
		free(cs);
		free(qs);
		free(s);
	}
	if (rc == 0) {
		PGresult *r = PQexec(l->conn, sql);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			char *what = xasprintf("tracking table %s: creating it", l->name);
			struct srcpos pos = { what, 0, 0 };

			pg_report(r, &pos);
			free(what);
			rc = -1;
		}
		PQclear(r);
	}
	free(sql);
	for (int i = 0; i < 4; i++)
		free(idx[i]);
	return rc;
}

int
ledger_upgrade(struct ledger *l)
{
	const char *p[] = { l->qtable };
	PGresult *r = lq(l, "looking for its applied_by column", "SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = "
	    "pg_catalog.to_regclass($1) AND attname = 'applied_by' AND NOT attisdropped", 1, p);
	int rc = 0;

	if (!r)
		return -1;
	if (strcmp(PQgetvalue(r, 0, 0), "0") == 0) {
		char *sql = xasprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS applied_by TEXT", l->qtable);

		rc = lcmd(l, "adding its applied_by column", sql, 0, NULL);
		free(sql);
	}
	PQclear(r);
	return rc;
}

int
ledger_load(struct ledger *l)
{
	char *sql = sql_for(l, sql_ledger_rows);
	PGresult *r = lq(l, "reading the applied migrations", sql, 0, NULL);
	int n;

	free(sql);
	if (!r)
		return -1;
	n = PQntuples(r);
	l->rows = xcalloc((size_t)n, sizeof *l->rows);
	for (int i = 0; i < n; i++) {
		struct applied *a = &l->rows[i];

		a->version = xstrdup(PQgetvalue(r, i, 0));
		a->name = xstrdup(PQgetvalue(r, i, 1));
		a->checksum = xstrdup(PQgetvalue(r, i, 2));
		a->applied_at = xstrdup(PQgetvalue(r, i, 3));
		a->ms = strtol(PQgetvalue(r, i, 4), NULL, 10);
	}
	l->nrows = (size_t)n;
	PQclear(r);
	return 0;
}

const struct applied *
ledger_find(const struct ledger *l, const char *version)
{
	for (size_t i = 0; i < l->nrows; i++)
		if (strcmp(l->rows[i].version, version) == 0)
			return &l->rows[i];
	return NULL;
}

int
ledger_record(struct ledger *l, const char *version, const char *name, long ms, const char *checksum,
    const char *slug_suffix)
{
	char msbuf[32], ts[32] = "";
	const char *p[] = { version, name, msbuf, checksum, slug_suffix ? slug_suffix : "", ts };
	char *sql = sql_for(l, sql_ledger_insert), *doing = xasprintf("recording %s_%s", version, name);
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	snprintf(msbuf, sizeof msbuf, "%ld", ms);
	/* the slug's time is the client's local time, as upstream's datetime.now() */
	if (localtime_r(&now, &tm))
		strftime(ts, sizeof ts, "%Y%m%d_%H%M%S", &tm);
	rc = lcmd(l, doing, sql, 6, p);
	free(doing);
	free(sql);
	return rc;
}

int
ledger_forget(struct ledger *l, const char *version)
{
	const char *p[] = { version };
	char *sql = xasprintf("DELETE FROM %s WHERE version = $1", l->qtable);
	char *doing = xasprintf("removing version %s", version);
	int rc = lcmd(l, doing, sql, 1, p);

	free(doing);
	free(sql);
	return rc;
}

unsigned long
ledger_lock_key(const char *dbname)
{
	unsigned char d[32];

	sha256_raw(dbname, strlen(dbname), d);
	return (((unsigned long)d[0] << 24) | ((unsigned long)d[1] << 16) | ((unsigned long)d[2] << 8) | d[3])
	    & 0x7FFFFFFFUL;
}

static void
name_holder(struct ledger *l, const char *cls, const char *key)
{
	const char *p[] = { cls, key };
	char state[6];
	PGresult *r = pg_query_state(l->conn, sql_lock_holder, 2, p, state, NULL);

	if (r && PQntuples(r) > 0)
		warnx("the migration lock of database \"%s\" is held by pid %s (application_name \"%s\", user %s, "
		      "connected from %s since %s)", l->dbname, PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
		    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 3));
	else
		warnx("the migration lock of database \"%s\" is held by another session", l->dbname);
	PQclear(r);
}

/*
 * The lock just taken must still be this session's in the next statement. Behind a pooler in
 * transaction mode (PgBouncer pool_mode = transaction) each statement may run on another server
 * connection: a session advisory lock then stays with a connection the pooler gives to others,
 * and guards nothing. pid is the server process that took it.
 */
static int
lock_stays(struct ledger *l, const char *pid)
{
	PGresult *r = pg_query(l->conn, "SELECT pg_catalog.pg_backend_pid()::text", 0, NULL);
	int held;

	if (!r)
		return pg_failed(l->conn);
	if (strcmp(PQgetvalue(r, 0, 0), pid) == 0 && (held = ledger_lock_held(l)) != 0) {
		PQclear(r);
		return held < 0 ? pg_failed(l->conn) : EX_OK;
	}
	warnx("the migration lock of database \"%s\" was taken by server process %s, and the next statement ran "
	      "in process %s: the connection goes through a pooler in transaction mode (PgBouncer's pool_mode = "
	      "transaction?), where a session advisory lock does not hold between statements; connect directly "
	      "or through a pool in session mode (the lock stays with process %s until its connection closes)",
	    l->dbname, pid, PQgetvalue(r, 0, 0), pid);
	PQclear(r);
	l->locked = 0;
	return EX_LOCK;
}

int
ledger_lock(struct ledger *l, long timeout_ms)
{
	char cls[32], key[32], tmo[160], state[6] = "";
	const char *p[] = { cls, key };
	PGresult *r, *err = NULL;
	int ok, rc;

	snprintf(cls, sizeof cls, "%lu", LOCK_CLASS);
	snprintf(key, sizeof key, "%lu", ledger_lock_key(l->dbname));
	if (timeout_ms <= 0) {
		r = pg_query(l->conn, "SELECT pg_catalog.pg_try_advisory_lock($1::int, $2::int), "
		    "pg_catalog.pg_backend_pid()::text", 2, p);
		if (!r)
			return pg_failed(l->conn);
		ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		l->locked = ok;
		rc = ok ? lock_stays(l, PQgetvalue(r, 0, 1)) : EX_LOCK;
		PQclear(r);
		if (!ok)
			name_holder(l, cls, key);
		return rc;
	}
	/* the wait has its own limits, whatever a role or the database set: lock_timeout bounds it,
	   statement_timeout is off; SET LOCAL puts both back at the end of this transaction, and a
	   session advisory lock outlives it */
	snprintf(tmo, sizeof tmo, "BEGIN; SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = %ld", timeout_ms);
	r = PQexec(l->conn, tmo);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		pg_report(r, NULL);
		PQclear(r);
		return pg_failed(l->conn);
	}
	PQclear(r);
	sig_set_cancel(l->conn);
	/* a signal that came before the cancel handle was set would not cancel the wait */
	r = sig_caught ? NULL : pg_query_state(l->conn, "SELECT pg_catalog.pg_advisory_lock($1::int, $2::int), "
	    "pg_catalog.pg_backend_pid()::text", 2, p, state, &err);
	sig_set_cancel(NULL);
	rc = pg_run(l->conn, r ? "COMMIT" : "ROLLBACK");
	if (r) {
		l->locked = rc == EX_OK;
		if (rc == EX_OK)
			rc = lock_stays(l, PQgetvalue(r, 0, 1));
		PQclear(r);
		return rc;
	}
	if (sig_caught) {
		warnx("interrupted while waiting for the migration lock");
		rc = EX_FAIL;
	} else if (strcmp(state, "55P03") == 0) {
		warnx("timed out after %ld ms waiting for the migration lock", timeout_ms);
		name_holder(l, cls, key);
		rc = EX_LOCK;
	} else {
		pg_report(err, NULL);
		rc = pg_failed(l->conn);
	}
	PQclear(err);
	return rc;
}

int
ledger_lock_held(struct ledger *l)
{
	char cls[32], key[32];
	const char *p[] = { cls, key };
	PGresult *r;
	int yes;

	snprintf(cls, sizeof cls, "%lu", LOCK_CLASS);
	snprintf(key, sizeof key, "%lu", ledger_lock_key(l->dbname));
	if (!(r = lq(l, "checking the migration lock", sql_lock_held, 2, p)))
		return -1;
	yes = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	return yes;
}

int
ledger_read(struct ledger *l, int must)
{
	int ex = ledger_exists(l);

	if (ex < 0)
		return pg_failed(l->conn);
	if (!ex) {
		if (must)
			warnx("tracking table %s does not exist in database \"%s\"", l->name, l->dbname);
		return EX_NOTRACK;
	}
	return ledger_load(l) == 0 ? EX_OK : EX_FAIL;
}

int
ledger_begin(struct ledger *l, long lock_ms, int create)
{
	int rc = lock_ms < 0 ? EX_OK : ledger_lock(l, lock_ms);

	if (rc != EX_OK)
		return rc;
	rc = ledger_read(l, 0);
	if (rc == EX_NOTRACK && create) {
		if (ledger_create(l) != 0)
			return EX_FAIL;
		rc = ledger_read(l, 1);
	} else if (rc == EX_OK && create && ledger_upgrade(l) != 0) {
		rc = EX_FAIL;
	}
	return rc;
}
