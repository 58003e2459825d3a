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
#include "fdwlink.h"
#include "fsx.h"
#include "pgconn.h"
#include "s2splan.h"
#include "sig.h"
#include "sqltext.h"

#define USAGE "conf-fdw setup -s conninfo [-d conninfo] [--server name] [--staging-schema name] " \
	"[-n schema]... [--skip-import] [--fetch-size rows] | conf-fdw cleanup|staging [-d conninfo] [--server name] [--staging-schema name]"

struct opts {
	const char *source, *target, *server, *staging, *fetch_size;
	struct strv only;
	int skip_import;
};

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
	fdw_server_options(src, &keys, &vals);
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
			seen |= strcmp(o->only.v[k], pg_value(r, i, 0)) == 0;
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
	    || (rc = fdw_ensure_server(dst, o->server, &keys, &vals, &swhat)) != EX_OK
	    || (rc = fdw_ensure_mapping(dst, o->server, user, password, &mwhat)) != EX_OK
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
		const char *s = pg_value(r, i, 0);
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
			if ((rc = fdw_ensure_staging(dst, o->server, st, s)) != EX_OK
			    || (rc = fdw_import(dst, src, o->server, st, s, &added, &before, &stale)) != EX_OK) {
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
	if (!(r = pg_query(c, sql_fdw_busy, 0, NULL))) {
		rc = pg_failed(c);
		goto done;
	}
	if (PQntuples(r) > 0) {
		warnx("%s (backend pid %s) is connected to the target: cleanup would drop the staging tables "
		      "under it; let it finish or stop it first", pg_value(r, 0, 0), pg_value(r, 0, 1));
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
	if (!(f = pg_query(c, sql_fdw_foreign_elsewhere, 1, params))) {
		rc = pg_failed(c);
		goto done;
	}
	if (PQntuples(f) > 0) {
		warnx("foreign table %s uses server %s and is not in a staging schema: drop it or move it to "
		      "another server first", pg_value(f, 0, 0), o->server);
		rc = EX_CONFIG;
		goto done;
	}
	for (int i = 0; i < PQntuples(r); i++) {
		char *q = PQescapeIdentifier(c, pg_value(r, i, 0), strlen(pg_value(r, i, 0)));

		named |= strcmp(pg_value(r, i, 0), o->staging) == 0;
		sql = xasprintf("DROP SCHEMA %s CASCADE", q ? q : "\"\"");
		rc = pg_run(c, sql);
		free(sql);
		PQfreemem(q);
		if (rc != EX_OK)
			goto done;
		warnx("dropped staging schema %s (%s foreign tables of source schema %s)", pg_value(r, i, 0),
		    pg_value(r, i, 2), pg_value(r, i, 1));
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
		printf("%s\t%s\n", pg_value(r, i, 1), pg_value(r, i, 0));
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
