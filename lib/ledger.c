#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "ledger.h"
#include "pgconn.h"
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

void
ledger_init(struct ledger *l, PGconn *conn, const char *table)
{
	memset(l, 0, sizeof *l);
	l->conn = conn;
	l->table = xstrdup(table);
	l->qtable = pg_quote_ident(conn, table);
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
	free(l->qtable);
	memset(l, 0, sizeof *l);
}

int
ledger_exists(struct ledger *l)
{
	const char *p[] = { l->qtable };
	PGresult *r = pg_query(l->conn, "SELECT pg_catalog.to_regclass($1) IS NOT NULL", 1, p);
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

	/* an index goes to its table's schema, so its name is never qualified */
	for (int i = 0; i < 4; i++) {
		char *name = xasprintf("idx_%s_%s", base, suffix[i]);

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

		rc = pg_command(l->conn, cs, 0, NULL);
		free(cs);
		free(qs);
		free(s);
	}
	if (rc == 0) {
		PGresult *r = PQexec(l->conn, sql);

		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_report(r, NULL);
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
	PGresult *r = pg_query(l->conn, "SELECT count(*) FROM pg_catalog.pg_attribute WHERE attrelid = "
	    "pg_catalog.to_regclass($1) AND attname = 'applied_by' AND NOT attisdropped", 1, p);
	int rc = 0;

	if (!r)
		return -1;
	if (strcmp(PQgetvalue(r, 0, 0), "0") == 0) {
		char *sql = xasprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS applied_by TEXT", l->qtable);

		rc = pg_command(l->conn, sql, 0, NULL);
		free(sql);
	}
	PQclear(r);
	return rc;
}

int
ledger_load(struct ledger *l)
{
	char *sql = sql_for(l, sql_ledger_rows);
	PGresult *r = pg_query(l->conn, sql, 0, NULL);
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
	char msbuf[32];
	const char *p[] = { version, name, msbuf, checksum, slug_suffix ? slug_suffix : "" };
	char *sql = sql_for(l, sql_ledger_insert);
	int rc;

	snprintf(msbuf, sizeof msbuf, "%ld", ms);
	rc = pg_command(l->conn, sql, 5, p);
	free(sql);
	return rc;
}

int
ledger_forget(struct ledger *l, const char *version)
{
	const char *p[] = { version };
	char *sql = xasprintf("DELETE FROM %s WHERE version = $1", l->qtable);
	int rc = pg_command(l->conn, sql, 1, p);

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
	PGresult *r = pg_query(l->conn, sql_lock_holder, 2, p);

	if (r && PQntuples(r) > 0)
		warnx("the migration lock of database \"%s\" is held by pid %s (application_name \"%s\", user %s, "
		      "connected from %s since %s)", PQdb(l->conn), PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1),
		    PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 3));
	else
		warnx("the migration lock of database \"%s\" is held by another session", PQdb(l->conn));
	PQclear(r);
}

int
ledger_lock(struct ledger *l, long timeout_ms)
{
	char cls[32], key[32], tmo[32];
	const char *p[] = { cls, key };
	PGresult *r;
	int ok;

	snprintf(cls, sizeof cls, "%lu", LOCK_CLASS);
	snprintf(key, sizeof key, "%lu", ledger_lock_key(PQdb(l->conn)));
	if (timeout_ms <= 0) {
		r = pg_query(l->conn, "SELECT pg_catalog.pg_try_advisory_lock($1::int, $2::int)", 2, p);
		if (!r)
			return pg_failed(l->conn);
		ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
		PQclear(r);
		if (!ok)
			name_holder(l, cls, key);
		return ok ? EX_OK : EX_LOCK;
	}
	/* lock_timeout bounds the wait for an advisory lock like any other lock */
	snprintf(tmo, sizeof tmo, "%ld", timeout_ms);
	{
		const char *tp[] = { tmo };

		if (pg_command(l->conn, "SELECT pg_catalog.set_config('lock_timeout', $1, false)", 1, tp) != 0)
			return pg_failed(l->conn);
	}
	r = PQexecParams(l->conn, "SELECT pg_catalog.pg_advisory_lock($1::int, $2::int)", 2, NULL, p, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!ok) {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		if (state && strcmp(state, "55P03") == 0) {
			PQclear(r);
			warnx("timed out after %ld ms waiting for the migration lock", timeout_ms);
			name_holder(l, cls, key);
			pg_command(l->conn, "RESET lock_timeout", 0, NULL);
			return EX_LOCK;
		}
		pg_report(r, NULL);
		PQclear(r);
		return pg_failed(l->conn);
	}
	PQclear(r);
	return pg_command(l->conn, "RESET lock_timeout", 0, NULL) == 0 ? EX_OK : EX_FAIL;
}

void
ledger_unlock(struct ledger *l)
{
	char cls[32], key[32];
	const char *p[] = { cls, key };

	snprintf(cls, sizeof cls, "%lu", LOCK_CLASS);
	snprintf(key, sizeof key, "%lu", ledger_lock_key(PQdb(l->conn)));
	pg_command(l->conn, "SELECT pg_catalog.pg_advisory_unlock($1::int, $2::int)", 2, p);
}
