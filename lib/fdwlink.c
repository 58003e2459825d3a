/* The pieces of the postgres_fdw link that conf-fdw setup makes on the target: the foreign
   server, the user mapping (the password handed over by COPY, never in a statement's text),
   the staging schemas and the foreign tables imported into them. Each leaves alone what is
   already as wanted. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdwlink.h"
#include "pgconn.h"
#include "sqltext.h"

/* The server options that reach the source as the connection src does: host (or the socket
   directory libpq used), hostaddr, port, dbname, and the TLS and timeout settings given. Never
   user or password: postgres_fdw takes those from the user mapping only. */
void
fdw_server_options(PGconn *src, struct strv *keys, struct strv *vals)
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
int
fdw_ensure_server(PGconn *c, const char *server, const struct strv *keys, const struct strv *vals,
    const char **what)
{
	const char *params[1] = { server };
	PGresult *r = pg_query(c, sql_fdw_server, 1, params);
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
	if (PQntuples(r) == 1 && strcmp(pg_value(r, 0, 0), "postgres_fdw") != 0) {
		warnx("server %s exists on the target with foreign-data wrapper %s, not postgres_fdw: give "
		      "another --server", server, pg_value(r, 0, 0));
		rc = EX_CONFIG;
		goto done;
	}
	if (PQntuples(r) == 1 && strcmp(pg_value(r, 0, 1), want.data) == 0) {
		*what = "unchanged";
		goto done;
	}
	if (PQntuples(r) == 1) {
		/* the old options all dropped, the wanted ones added: one ALTER cannot drop and add a name */
		PGresult *o = pg_query(c, sql_fdw_server_option_names, 1, params);

		if (!o) {
			rc = pg_failed(c);
			goto done;
		}
		if (PQntuples(o) > 0) {
			buf_printf(&sql, "ALTER SERVER %s OPTIONS (", qs);
			for (int i = 0; i < PQntuples(o); i++) {
				char *k = PQescapeIdentifier(c, pg_value(o, i, 0), strlen(pg_value(o, i, 0)));

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
int
fdw_ensure_mapping(PGconn *c, const char *server, const char *user, const char *password, char **what)
{
	struct buf row = { 0 };
	PGresult *r;
	int rc;

	if ((rc = pg_run(c, sql_fdw_link_table)) != EX_OK)
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
	*what = xstrdup(PQntuples(r) == 1 ? pg_value(r, 0, 0) : "?");
	PQclear(r);
	return EX_OK;
}

/* The staging schema st of source schema s: made and marked (its comment names the server and
   the source schema, which is how cleanup and staging know it), or taken over when it exists
   empty; a schema of the same name holding anything else is refused. */
int
fdw_ensure_staging(PGconn *c, const char *server, const char *st, const char *s)
{
	char *mark = xasprintf(FDW_STAGING_MARK "%s, source schema %s", server, s);
	const char *params[2] = { st, mark };
	PGresult *r = pg_query(c, sql_fdw_staging_state, 2, params);
	char *qst = PQescapeIdentifier(c, st, strlen(st)), *lit = PQescapeLiteral(c, mark, strlen(mark)), *sql;
	int rc = EX_OK;

	if (!r || !qst || !lit) {
		rc = pg_failed(c);
		goto done;
	}
	if (PQntuples(r) == 1 && strcmp(pg_value(r, 0, 0), "t") == 0)
		goto done;
	if (PQntuples(r) == 1 && strcmp(pg_value(r, 0, 1), "0") != 0) {
		warnx("schema %s exists on the target and is not the staging schema of server %s for source "
		      "schema %s: give another --staging-schema", st, server, s);
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
		if (strcmp(pg_value(r, i, 0), name) == 0)
			return pg_value(r, i, 1);
	return NULL;
}

/* The types of the columns of source schema s that the target lacks, as a text[] literal (each
   spelled as format_type does with search_path pg_catalog); NULL after a message. */
static char *
missing_types(PGconn *c, PGconn *src, const char *s)
{
	const char *p[1] = { s };
	PGresult *r = pg_query(src, sql_fdw_source_types, 1, p);
	struct buf b = { 0 };

	if (!r) {
		pg_failed(src);
		return NULL;
	}
	buf_puts(&b, "{");
	for (int i = 0, n = 0; i < PQntuples(r); i++) {
		const char *tp[1] = { pg_value(r, i, 0) };
		PGresult *t = pg_query(c, "SELECT to_regtype($1) IS NULL", 1, tp);

		if (!t) {
			PQclear(r);
			buf_free(&b);
			pg_failed(c);
			return NULL;
		}
		if (*pg_value(t, 0, 0) == 't') {
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
int
fdw_import(PGconn *c, PGconn *src, const char *server, const char *st, const char *s, int *added,
    int *before, int *stale)
{
	char *missing = missing_types(c, src, s);
	const char *sp[3] = { s, "{r,p,v,m,f}", missing }, *tp[3] = { st, "{f}", "{}" };
	PGresult *have = missing ? pg_query(src, sql_fdw_columns, 3, sp) : NULL;
	PGresult *r = have ? pg_query(c, sql_fdw_columns, 3, tp) : NULL;
	char *qs = PQescapeIdentifier(c, s, strlen(s)), *qst = PQescapeIdentifier(c, st, strlen(st));
	char *qsrv = PQescapeIdentifier(c, server, strlen(server));
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
		const char *cols = columns_of(have, pg_value(r, i, 0));
		char *t = PQescapeIdentifier(c, pg_value(r, i, 0), strlen(pg_value(r, i, 0)));

		if (cols && strcmp(cols, pg_value(r, i, 1)) == 0) {
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
		const char *cols = columns_of(r, pg_value(have, i, 0));

		if (*pg_value(have, i, 2) != 't' || (cols && strcmp(cols, pg_value(have, i, 1)) == 0))
			continue;
		char *t = PQescapeIdentifier(c, pg_value(have, i, 0), strlen(pg_value(have, i, 0)));
		char *ls = PQescapeLiteral(c, s, strlen(s)), *lt = PQescapeLiteral(c, pg_value(have, i, 0), strlen(pg_value(have, i, 0)));

		buf_printf(&except, "%s%s", kept++ ? ", " : " EXCEPT (", t ? t : "\"\"");
		strv_take(&own, xasprintf("CREATE FOREIGN TABLE %s.%s (%s) SERVER %s OPTIONS (schema_name %s, "
		    "table_name %s)", qst, t ? t : "\"\"", pg_value(have, i, 1), qsrv, ls ? ls : "''", lt ? lt : "''"));
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
		*added += !columns_of(r, pg_value(have, i, 0)) || strcmp(columns_of(r, pg_value(have, i, 0)), pg_value(have, i, 1)) != 0;
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
