/*
 * conf-fdw: the postgres_fdw link of a schema-to-schema migration, made and removed on the
 * target (the new database).
 *   setup    the extension, a foreign server whose host, hostaddr, port and dbname are those
 *            of the source connection as libpq made it (a socket directory too), a user mapping
 *            of current_user with the source's user and password, and the source's schemas
 *            imported as foreign tables into staging schemas;
 *   cleanup  the staging schemas, confiture_s2s, the user mapping and the server;
 *   staging  the staging schemas there are, "source-schema<TAB>staging-schema" a line.
 * Each is idempotent: what is already as wanted is left alone.
 * The password never travels in a statement's text: it goes into a temporary table by COPY
 * and a DO block reads it from there (lib/sql/fdw_user_mapping.sql).
 */
#include <errno.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fsx.h"
#include "pgconn.h"
#include "s2splan.h"
#include "sig.h"
#include "sqltext.h"

#define USAGE "conf-fdw setup -s conninfo [-d conninfo] [--server name] [--staging-schema name] " \
	"[-n schema]... [--skip-import] [--fetch-size rows] | conf-fdw cleanup|staging [-d conninfo] [--server name] [--staging-schema name]"
#define MARK "confiture staging schema: foreign tables of server "

struct opts {
	const char *source, *target, *server, *staging, *fetch_size;
	struct strv only;
	int skip_import;
};

/* One value of a query result (row, column), "" when NULL. */
static const char *
val(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

/* The server options that reach the source as the connection src does: host (or the socket
   directory libpq used), hostaddr, port, dbname, and the TLS and timeout settings given. Never
   user or password: postgres_fdw takes those from the user mapping only. */
static void
server_options(PGconn *src, struct strv *keys, struct strv *vals)
{
	/* libpq's defaults (sslmode prefer, gssencmode prefer...) left out: the server's libpq has them */
	static const char *const copied[] = { "hostaddr", "sslmode", "sslrootcert", "sslcert", "sslkey",
		"sslcrl", "requirepeer", NULL };
	static const char *const defaults[] = { "sslmode=prefer", NULL };
	PQconninfoOption *o = PQconninfo(src);
	const char *host = NULL, *hostaddr = NULL;

	for (PQconninfoOption *p = o; p && p->keyword; p++) {
		if (!p->val || !*p->val)
			continue;
		if (strcmp(p->keyword, "host") == 0)
			host = p->val;
		if (strcmp(p->keyword, "hostaddr") == 0)
			hostaddr = p->val;
	}
	/* no host given: libpq's default, a socket directory, is what PQhost names */
	if (!host && !hostaddr)
		host = PQhost(src);
	if (host && *host) {
		strv_add(keys, "host");
		strv_add(vals, host);
	}
	for (PQconninfoOption *p = o; p && p->keyword; p++) {
		if (!p->val || !*p->val)
			continue;
		int dflt = 0;

		for (int i = 0; defaults[i]; i++) {
			size_t n = strlen(p->keyword);

			dflt |= strncmp(defaults[i], p->keyword, n) == 0 && defaults[i][n] == '='
			    && strcmp(defaults[i] + n + 1, p->val) == 0;
		}
		for (int i = 0; copied[i] && !dflt; i++)
			if (strcmp(p->keyword, copied[i]) == 0) {
				strv_add(keys, p->keyword);
				strv_add(vals, p->val);
			}
	}
	/* the port and database libpq settled on, whether given, defaulted or from PG* variables */
	strv_add(keys, "port");
	strv_add(vals, PQport(src));
	strv_add(keys, "dbname");
	strv_add(vals, PQdb(src));
	PQconninfoFree(o);
}

/* COPY text format of one field (NULL as \N). */
static void
copy_field(struct buf *b, const char *v)
{
	if (!v) {
		buf_puts(b, "\\N");
		return;
	}
	for (; *v; v++)
		switch (*v) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default: buf_add(b, v, 1);
		}
}

/* The foreign server: created, or its options made those wanted; "created", "updated" or
   "unchanged" in *what. EX_OK or an exit code after a message. */
static int
ensure_server(PGconn *c, const char *server, const struct strv *keys, const struct strv *vals,
    const char **what)
{
	const char *params[1] = { server };
	PGresult *r = pg_query(c, "SELECT w.fdwname, array_to_string(s.srvoptions, E'\\n') FROM pg_catalog.pg_foreign_server s "
	    "JOIN pg_catalog.pg_foreign_data_wrapper w ON w.oid = s.srvfdw WHERE s.srvname = $1", 1, params);
	char *qs = PQescapeIdentifier(c, server, strlen(server));
	struct buf want = { 0 }, sql = { 0 };
	int rc = EX_OK;

	if (!r || !qs) {
		PQclear(r);
		PQfreemem(qs);
		return pg_failed(c);
	}
	buf_puts(&want, "");
	for (size_t i = 0; i < keys->n; i++)
		buf_printf(&want, "%s%s=%s", i ? "\n" : "", keys->v[i], vals->v[i]);
	if (PQntuples(r) == 1 && strcmp(val(r, 0, 0), "postgres_fdw") != 0) {
		warnx("server %s exists on the target with foreign-data wrapper %s, not postgres_fdw: give "
		      "another --server", server, val(r, 0, 0));
		rc = EX_CONFIG;
		goto done;
	}
	if (PQntuples(r) == 1 && strcmp(val(r, 0, 1), want.data) == 0) {
		*what = "unchanged";
		goto done;
	}
	if (PQntuples(r) == 1) {
		/* the old options all dropped, the wanted ones added: one ALTER cannot drop and add a name */
		PGresult *o = pg_query(c, "SELECT split_part(unnest(srvoptions), '=', 1) FROM pg_catalog.pg_foreign_server "
		    "WHERE srvname = $1", 1, params);

		if (!o) {
			rc = pg_failed(c);
			goto done;
		}
		if (PQntuples(o) > 0) {
			buf_printf(&sql, "ALTER SERVER %s OPTIONS (", qs);
			for (int i = 0; i < PQntuples(o); i++) {
				char *k = PQescapeIdentifier(c, val(o, i, 0), strlen(val(o, i, 0)));

				buf_printf(&sql, "%sDROP %s", i ? ", " : "", k ? k : "\"\"");
				PQfreemem(k);
			}
			buf_puts(&sql, ")");
			if ((rc = pg_run(c, sql.data)) != EX_OK) {
				PQclear(o);
				goto done;
			}
			buf_free(&sql);
		}
		PQclear(o);
		buf_printf(&sql, "ALTER SERVER %s OPTIONS (", qs);
		*what = "updated";
	} else {
		buf_printf(&sql, "CREATE SERVER %s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (", qs);
		*what = "created";
	}
	for (size_t i = 0; i < keys->n; i++) {
		char *k = PQescapeIdentifier(c, keys->v[i], strlen(keys->v[i]));
		char *v = PQescapeLiteral(c, vals->v[i], strlen(vals->v[i]));

		buf_printf(&sql, "%s%s%s %s", i ? ", " : "", *what[0] == 'u' ? "ADD " : "", k ? k : "\"\"", v ? v : "''");
		PQfreemem(k);
		PQfreemem(v);
	}
	buf_puts(&sql, ")");
	rc = pg_run(c, sql.data);
done:
	PQclear(r);
	PQfreemem(qs);
	buf_free(&want);
	buf_free(&sql);
	return rc;
}

/* The user mapping of current_user: user and password of the source connection, handed over
   by COPY (see the file's head); "created", "updated" or "unchanged" in *what. */
static int
ensure_mapping(PGconn *c, const char *server, const char *user, const char *password, char **what)
{
	struct buf row = { 0 };
	PGresult *r;
	int rc;

	if ((rc = pg_run(c, "CREATE TEMPORARY TABLE confiture_fdw_link (server text, username text, "
	    "password text, result text) ON COMMIT DROP")) != EX_OK)
		return rc;
	r = PQexec(c, "COPY pg_temp.confiture_fdw_link (server, username, password) FROM STDIN");
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		pg_report(r, NULL);
		PQclear(r);
		return pg_failed(c);
	}
	PQclear(r);
	copy_field(&row, server);
	buf_puts(&row, "\t");
	copy_field(&row, user);
	buf_puts(&row, "\t");
	copy_field(&row, password);
	buf_puts(&row, "\n");
	rc = PQputCopyData(c, row.data, (int)row.len) == 1 && PQputCopyEnd(c, NULL) == 1 ? EX_OK : EX_FAIL;
	/* the row held the password: wiped before the buffer goes back to malloc */
	memset(row.data, 0, row.len);
	buf_free(&row);
	if (rc != EX_OK) {
		const char *e = PQerrorMessage(c);

		warnx("COPY of the user mapping's settings failed: %.*s", (int)strcspn(e, "\n"), e);
		return pg_failed(c);
	}
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_report(r, NULL);
			rc = pg_failed(c);
		}
		PQclear(r);
	}
	if (rc != EX_OK || (rc = pg_run(c, sql_fdw_user_mapping)) != EX_OK)
		return rc;
	if (!(r = pg_query(c, "SELECT result FROM pg_temp.confiture_fdw_link", 0, NULL)))
		return pg_failed(c);
	*what = xstrdup(PQntuples(r) == 1 ? val(r, 0, 0) : "?");
	PQclear(r);
	return EX_OK;
}

/* The staging schema st of source schema s: made and marked (its comment names the server and
   the source schema, which is how cleanup and staging know it), or taken over when it exists
   empty; a schema of the same name holding anything else is refused. */
static int
ensure_staging(PGconn *c, const struct opts *o, const char *st, const char *s)
{
	char *mark = xasprintf(MARK "%s, source schema %s", o->server, s);
	const char *params[2] = { st, mark };
	PGresult *r = pg_query(c, "SELECT obj_description(n.oid, 'pg_namespace') IS NOT DISTINCT FROM $2, "
	    "(SELECT count(*) FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid) "
	    "FROM pg_catalog.pg_namespace n WHERE n.nspname = $1", 2, params);
	char *qst = PQescapeIdentifier(c, st, strlen(st)), *lit = PQescapeLiteral(c, mark, strlen(mark)), *sql;
	int rc = EX_OK;

	if (!r || !qst || !lit) {
		rc = pg_failed(c);
		goto done;
	}
	if (PQntuples(r) == 1 && strcmp(val(r, 0, 0), "t") == 0)
		goto done;
	if (PQntuples(r) == 1 && strcmp(val(r, 0, 1), "0") != 0) {
		warnx("schema %s exists on the target and is not the staging schema of server %s for source "
		      "schema %s: give another --staging-schema", st, o->server, s);
		rc = EX_CONFIG;
		goto done;
	}
	sql = xasprintf("CREATE SCHEMA IF NOT EXISTS %s", qst);
	rc = pg_run(c, sql);
	free(sql);
	if (rc == EX_OK) {
		sql = xasprintf("COMMENT ON SCHEMA %s IS %s", qst, lit);
		rc = pg_run(c, sql);
		free(sql);
	}
done:
	PQclear(r);
	PQfreemem(qst);
	PQfreemem(lit);
	free(mark);
	return rc;
}

/* The columns text of relation name in the result of fdw_columns.sql, or NULL. */
static const char *
columns_of(const PGresult *r, const char *name)
{
	for (int i = 0; r && i < PQntuples(r); i++)
		if (strcmp(val(r, i, 0), name) == 0)
			return val(r, i, 1);
	return NULL;
}

/* The types of the columns of source schema s that the target lacks, as a text[] literal (each
   spelled as format_type does with search_path pg_catalog); NULL after a message. */
static char *
missing_types(PGconn *c, PGconn *src, const char *s)
{
	const char *p[1] = { s };
	PGresult *r = pg_query(src, "SELECT DISTINCT format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a "
	    "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped "
	    "AND a.atttypid >= 16384 ORDER BY 1", 1, p);
	struct buf b = { 0 };

	if (!r) {
		pg_failed(src);
		return NULL;
	}
	buf_puts(&b, "{");
	for (int i = 0, n = 0; i < PQntuples(r); i++) {
		const char *tp[1] = { val(r, i, 0) };
		PGresult *t = pg_query(c, "SELECT to_regtype($1) IS NULL", 1, tp);

		if (!t) {
			PQclear(r);
			buf_free(&b);
			pg_failed(c);
			return NULL;
		}
		if (*val(t, 0, 0) == 't') {
			buf_puts(&b, n++ ? ",\"" : "\"");
			for (const char *k = tp[0]; *k; k++) {
				if (*k == '"' || *k == '\\')
					buf_puts(&b, "\\");
				buf_add(&b, k, 1);
			}
			buf_puts(&b, "\"");
		}
		PQclear(t);
	}
	buf_puts(&b, "}");
	PQclear(r);
	return b.data;
}

/* IMPORT FOREIGN SCHEMA s into st, leaving out the foreign tables st already holds with the
   columns the source has (a second setup imports nothing); one whose table changed or went
   away on the source is dropped first, and imported again if it is there. The counts imported,
   there before and dropped first in *added, *before, *stale. */
static int
import_schema(PGconn *c, PGconn *src, const struct opts *o, const char *st, const char *s, int *added,
    int *before, int *stale)
{
	char *missing = missing_types(c, src, s);
	const char *sp[3] = { s, "{r,p,v,m,f}", missing }, *tp[3] = { st, "{f}", "{}" };
	PGresult *have = missing ? pg_query(src, sql_fdw_columns, 3, sp) : NULL;
	PGresult *r = have ? pg_query(c, sql_fdw_columns, 3, tp) : NULL;
	char *qs = PQescapeIdentifier(c, s, strlen(s)), *qst = PQescapeIdentifier(c, st, strlen(st));
	char *qsrv = PQescapeIdentifier(c, o->server, strlen(o->server));
	struct buf sql = { 0 }, except = { 0 };
	struct strv own = { 0 };
	int rc = EX_OK, kept = 0;

	if (!missing) {
		rc = EX_FAIL;
		goto done;
	}
	if (!have) {
		rc = pg_failed(src);
		goto done;
	}
	if (!r || !qs || !qst || !qsrv) {
		rc = pg_failed(c);
		goto done;
	}
	*before = PQntuples(r);
	*stale = 0;
	buf_puts(&except, "");
	for (int i = 0; i < PQntuples(r); i++) {
		const char *cols = columns_of(have, val(r, i, 0));
		char *t = PQescapeIdentifier(c, val(r, i, 0), strlen(val(r, i, 0)));

		if (cols && strcmp(cols, val(r, i, 1)) == 0) {
			buf_printf(&except, "%s%s", kept++ ? ", " : " EXCEPT (", t ? t : "\"\"");
		} else {
			char *drop = xasprintf("DROP FOREIGN TABLE %s.%s", qst, t ? t : "\"\"");

			rc = pg_run(c, drop);
			free(drop);
			(*stale)++;
		}
		PQfreemem(t);
		if (rc != EX_OK)
			goto done;
	}
	/* a relation with a column of a type the target lacks (a type the new schema dropped):
	   IMPORT would fail on it, so it is made here with that column as text */
	for (int i = 0; i < PQntuples(have); i++) {
		const char *cols = columns_of(r, val(have, i, 0));

		if (*val(have, i, 2) != 't' || (cols && strcmp(cols, val(have, i, 1)) == 0))
			continue;
		char *t = PQescapeIdentifier(c, val(have, i, 0), strlen(val(have, i, 0)));
		char *ls = PQescapeLiteral(c, s, strlen(s)), *lt = PQescapeLiteral(c, val(have, i, 0), strlen(val(have, i, 0)));

		buf_printf(&except, "%s%s", kept++ ? ", " : " EXCEPT (", t ? t : "\"\"");
		strv_take(&own, xasprintf("CREATE FOREIGN TABLE %s.%s (%s) SERVER %s OPTIONS (schema_name %s, "
		    "table_name %s)", qst, t ? t : "\"\"", val(have, i, 1), qsrv, ls ? ls : "''", lt ? lt : "''"));
		PQfreemem(t), PQfreemem(ls), PQfreemem(lt);
	}
	buf_printf(&sql, "IMPORT FOREIGN SCHEMA %s%s%s FROM SERVER %s INTO %s", qs, except.data, kept ? ")" : "",
	    qsrv, qst);
	if ((rc = pg_run(c, sql.data)) != EX_OK)
		goto done;
	for (size_t i = 0; i < own.n; i++)
		if ((rc = pg_run(c, own.v[i])) != EX_OK)
			goto done;
	if (own.n)
		warnx("%s: %zu foreign table%s with columns of types the target lacks (%s): those columns read as text",
		    st, own.n, own.n == 1 ? "" : "s", missing);
	*added = 0;
	for (int i = 0; i < PQntuples(have); i++)
		*added += !columns_of(r, val(have, i, 0)) || strcmp(columns_of(r, val(have, i, 0)), val(have, i, 1)) != 0;
done:
	free(missing);
	strv_free(&own);
	PQclear(have);
	PQclear(r);
	PQfreemem(qs);
	PQfreemem(qst);
	PQfreemem(qsrv);
	buf_free(&sql);
	buf_free(&except);
	return rc;
}

static int
setup(const struct opts *o)
{
	PGconn *src, *dst = NULL;
	PGresult *r = NULL;
	struct strv keys = { 0 }, vals = { 0 };
	const char *swhat = "";
	char *mwhat = NULL, *user, *password = NULL;
	int rc;

	if (!(src = pg_connect(o->source)))
		return EX_UNREACHABLE;
	/* what libpq used, wherever it came from: the string, PG* variables, a service or password file */
	user = xstrdup(PQuser(src));
	if (PQpass(src) && *PQpass(src))
		password = xstrdup(PQpass(src));
	server_options(src, &keys, &vals);
	/* rows per FETCH of postgres_fdw's cursor: its default, 100, costs a round trip per 100 rows
	   (300k rows: 1.61 s at 100, 1.26 s at 10000) */
	strv_add(&keys, "fetch_size");
	strv_add(&vals, o->fetch_size);
	if (!(r = pg_query(src, sql_fdw_source_schemas, 0, NULL))) {
		rc = pg_failed(src);
		warnx("the source's schemas could not be read");
		goto done;
	}
	for (size_t k = 0; k < o->only.n; k++) {
		int seen = 0;

		for (int i = 0; i < PQntuples(r); i++)
			seen |= strcmp(o->only.v[k], val(r, i, 0)) == 0;
		if (!seen) {
			warnx("-n %s: the source has no schema %s with a table or view", o->only.v[k], o->only.v[k]);
			rc = EX_CONFIG;
			goto done;
		}
	}
	if (!(dst = pg_connect(o->target))) {
		rc = EX_UNREACHABLE;
		goto done;
	}
	pg_notices(dst, 0);
	sig_set_cancel(dst);
	if ((rc = pg_run(dst, "BEGIN")) != EX_OK
	    || (rc = pg_run(dst, "SET LOCAL client_min_messages = warning")) != EX_OK
	    || (rc = pg_run(dst, "CREATE EXTENSION IF NOT EXISTS postgres_fdw")) != EX_OK
	    || (rc = ensure_server(dst, o->server, &keys, &vals, &swhat)) != EX_OK
	    || (rc = ensure_mapping(dst, o->server, user, password, &mwhat)) != EX_OK
	    /* types spelled alike on both sides by fdw_columns.sql: schema-qualified unless built in */
	    || (rc = pg_run(dst, "SET LOCAL search_path = pg_catalog")) != EX_OK)
		goto done;
	if ((rc = pg_run(src, "SET search_path = pg_catalog")) != EX_OK)
		goto done;
	{
		struct buf opts = { 0 };

		buf_puts(&opts, "");
		for (size_t i = 0; i < keys.n; i++)
			pg_conninfo_add(&opts, keys.v[i], vals.v[i]);
		warnx("server %s: %s: %s", o->server, swhat, opts.data + (*opts.data == ' '));
		buf_free(&opts);
	}
	warnx("user mapping for %s on server %s: %s: user %s, %s", PQuser(dst), o->server, mwhat, user,
	    password ? "with the source connection's password" : "without a password (the source asked for none)");
	for (int i = 0; i < PQntuples(r); i++) {
		const char *s = val(r, i, 0);
		char *st;
		int added = 0, before = 0, stale = 0;

		if (o->only.n) {
			size_t k = 0;

			while (k < o->only.n && strcmp(o->only.v[k], s) != 0)
				k++;
			if (k == o->only.n)
				continue;
		}
		st = s2s_staging_of(o->staging, s);
		if (!o->skip_import) {
			if ((rc = ensure_staging(dst, o, st, s)) != EX_OK
			    || (rc = import_schema(dst, src, o, st, s, &added, &before, &stale)) != EX_OK) {
				free(st);
				goto done;
			}
			if (stale)
				warnx("%s: %d foreign tables imported from source schema %s (%d there before, %d of them "
				      "dropped first: changed or gone on the source)", st, added, s, before, stale);
			else if (before)
				warnx("%s: %d foreign tables imported from source schema %s (%d there before)", st,
				    added, s, before);
			else
				warnx("%s: %d foreign tables imported from source schema %s", st, added, s);
		}
		printf("%s\t%s\n", s, st);
		free(st);
	}
	rc = pg_run(dst, "COMMIT");
done:
	sig_set_cancel(NULL);
	if (sig_caught)
		rc = 128 + sig_caught;
	PQclear(r);
	PQfinish(src);
	PQfinish(dst);
	strv_free(&keys);
	strv_free(&vals);
	free(user);
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	free(mwhat);
	return rc;
}

/* Whether one row comes back for the query with parameter p; -1 after a message. */
static int
exists(PGconn *c, const char *sql, const char *p)
{
	const char *params[1] = { p };
	PGresult *r = pg_query(c, sql, 1, params);
	int n = r ? PQntuples(r) > 0 : -1;

	PQclear(r);
	return n;
}

static int
cleanup(const struct opts *o)
{
	PGconn *c = pg_connect(o->target);
	PGresult *r = NULL, *f = NULL;
	const char *params[1] = { o->server };
	char *qsrv = NULL, *sql;
	int rc, named = 0, server, dropped = 0;

	if (!c)
		return EX_UNREACHABLE;
	pg_notices(c, 0);
	sig_set_cancel(c);
	qsrv = PQescapeIdentifier(c, o->server, strlen(o->server));
	if ((rc = pg_run(c, "BEGIN")) != EX_OK || (rc = pg_run(c, "SET LOCAL client_min_messages = warning")) != EX_OK)
		goto done;
	/* a migrate or verify running would lose its staging tables in the middle (or hold DROP
	   SCHEMA on a lock until it ends): refused while one is connected to the target */
	if (!(r = pg_query(c, "SELECT application_name, pid FROM pg_catalog.pg_stat_activity WHERE datname = "
	    "current_database() AND pid <> pg_backend_pid() AND application_name IN ('conf-move', 'conf-verify') "
	    "ORDER BY backend_start LIMIT 1", 0, NULL))) {
		rc = pg_failed(c);
		goto done;
	}
	if (PQntuples(r) > 0) {
		warnx("%s (backend pid %s) is connected to the target: cleanup would drop the staging tables "
		      "under it; let it finish or stop it first", val(r, 0, 0), val(r, 0, 1));
		rc = EX_LOCK;
		goto done;
	}
	PQclear(r);
	if (!(r = pg_query(c, sql_fdw_staging, 1, params))) {
		rc = pg_failed(c);
		goto done;
	}
	/* a foreign table of the server outside its staging schemas is the user's: DROP SERVER ...
	   CASCADE would take it along, so the cleanup stops and names it */
	if (!(f = pg_query(c, "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_foreign_table t "
	    "JOIN pg_catalog.pg_class c ON c.oid = t.ftrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "JOIN pg_catalog.pg_foreign_server s ON s.oid = t.ftserver WHERE s.srvname = $1 "
	    "AND NOT starts_with(coalesce(obj_description(n.oid, 'pg_namespace'), ''), '" MARK "' || $1 || ', ') "
	    "ORDER BY 1", 1, params))) {
		rc = pg_failed(c);
		goto done;
	}
	if (PQntuples(f) > 0) {
		warnx("foreign table %s uses server %s and is not in a staging schema: drop it or move it to "
		      "another server first", val(f, 0, 0), o->server);
		rc = EX_CONFIG;
		goto done;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		char *q = PQescapeIdentifier(c, val(r, i, 0), strlen(val(r, i, 0)));

		named |= strcmp(val(r, i, 0), o->staging) == 0;
		sql = xasprintf("DROP SCHEMA %s CASCADE", q ? q : "\"\"");
		rc = pg_run(c, sql);
		free(sql);
		PQfreemem(q);
		if (rc != EX_OK)
			goto done;
		warnx("dropped staging schema %s (%s foreign tables of source schema %s)", val(r, i, 0),
		    val(r, i, 2), val(r, i, 1));
		dropped++;
	}
	/* a schema of the staging name that setup did not make (no mark) may hold the user's data */
	if (!named && exists(c, "SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1", o->staging) > 0)
		warnx("schema %s is not a staging schema of server %s (setup did not make it): left as it is",
		    o->staging, o->server);
	if (exists(c, "SELECT FROM pg_catalog.pg_namespace WHERE nspname = $1", "confiture_s2s") > 0) {
		if ((rc = pg_run(c, "DROP SCHEMA confiture_s2s CASCADE")) != EX_OK)
			goto done;
		warnx("dropped schema confiture_s2s (the progress of migrate)");
		dropped++;
	}
	if ((server = exists(c, "SELECT FROM pg_catalog.pg_foreign_server WHERE srvname = $1", o->server)) < 0) {
		rc = pg_failed(c);
		goto done;
	}
	if (server) {
		if (exists(c, "SELECT FROM pg_catalog.pg_user_mappings WHERE srvname = $1 AND usename = current_user",
		    o->server) > 0) {
			sql = xasprintf("DROP USER MAPPING FOR CURRENT_USER SERVER %s", qsrv);
			rc = pg_run(c, sql);
			free(sql);
			if (rc != EX_OK)
				goto done;
			warnx("dropped the user mapping for %s on server %s", PQuser(c), o->server);
		}
		/* CASCADE: other roles' user mappings of the server go with it */
		sql = xasprintf("DROP SERVER %s CASCADE", qsrv);
		rc = pg_run(c, sql);
		free(sql);
		if (rc != EX_OK)
			goto done;
		warnx("dropped server %s", o->server);
		dropped++;
	}
	if (!dropped)
		warnx("nothing to drop: no server %s, no staging schema, no confiture_s2s", o->server);
	rc = pg_run(c, "COMMIT");
done:
	sig_set_cancel(NULL);
	if (sig_caught)
		rc = 128 + sig_caught;
	PQclear(r);
	PQclear(f);
	PQfreemem(qsrv);
	PQfinish(c);
	return rc;
}

/* The staging schemas of the server: "source-schema<TAB>staging-schema" a line. */
static int
staging(const struct opts *o)
{
	PGconn *c = pg_connect(o->target);
	const char *params[1] = { o->server };
	PGresult *r;
	int rc = EX_OK;

	if (!c)
		return EX_UNREACHABLE;
	if (!(r = pg_query(c, sql_fdw_staging, 1, params)))
		rc = pg_failed(c);
	for (int i = 0; r && i < PQntuples(r); i++)
		printf("%s\t%s\n", val(r, i, 1), val(r, i, 0));
	PQclear(r);
	PQfinish(c);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 'd' },
		{ "schema", required_argument, NULL, 'n' },
		{ "server", required_argument, NULL, 'S' },
		{ "staging-schema", required_argument, NULL, 't' },
		{ "skip-import", no_argument, NULL, 'I' },
		{ "fetch-size", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .server = "confiture_source", .staging = "old_schema", .fetch_size = "10000" };
	const char *cmd, *dflag = NULL;
	int ch, rc, fetch_given = 0;

	diag_init(argv[0]);
	if (argc < 2 || argv[1][0] == '-')
		usage(USAGE);
	cmd = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "s:d:n:", longopts, NULL)) != -1)
		switch (ch) {
		case 's': o.source = optarg; break;
		case 'd': dflag = optarg; break;
		case 'n': strv_add(&o.only, optarg); break;
		case 'S': o.server = optarg; break;
		case 't': o.staging = optarg; break;
		case 'I': o.skip_import = 1; break;
		case 'F': o.fetch_size = optarg; fetch_given = 1; break;
		default: usage(USAGE);
		}
	if (optind != argc || !*o.server || !*o.staging)
		usage(USAGE);
	if (fetch_given) {
		char *end;
		long n;

		errno = 0;
		n = strtol(o.fetch_size, &end, 10);
		if (errno || end == o.fetch_size || *end || n < 1 || n > 1000000000) {
			warnx("--fetch-size %s: not a number of rows from 1 to 1000000000", o.fetch_size);
			usage(USAGE);
		}
	}
	o.target = pg_resolve(dflag, NULL);
	sig_trap();
	if (strcmp(cmd, "setup") == 0) {
		if (!o.source) {
			warnx("setup needs -s: the source database's connection string");
			usage(USAGE);
		}
		rc = setup(&o);
	} else if (o.source || o.only.n || o.skip_import || fetch_given) {
		warnx("%s takes neither -s, -n, --skip-import nor --fetch-size", cmd);
		usage(USAGE);
	} else if (strcmp(cmd, "cleanup") == 0) {
		rc = cleanup(&o);
	} else if (strcmp(cmd, "staging") == 0) {
		rc = staging(&o);
	} else {
		warnx("unknown command %s", cmd);
		usage(USAGE);
	}
	strv_free(&o.only);
	if (rc == EX_OK)
		finish_stdout();
	return rc;
}
