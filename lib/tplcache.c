/* The template cache's operations on the server (conf-tpl), over the maintenance connection m
   (to database postgres). */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgconn.h"
#include "sig.h"
#include "sqltext.h"
#include "tplcache.h"

static int pooled; /* the statements run in more than one server process: no unlock will hold */

int
tpl_pooled(void)
{
	return pooled;
}

/* Whether database name exists, in *exists. */
int
tpl_db_exists(PGconn *m, const char *name, int *exists)
{
	const char *p[] = { name };
	PGresult *r = pg_query(m, "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", 1, p);

	if (!r)
		return pg_failed(m);
	*exists = PQntuples(r) > 0;
	PQclear(r);
	return EX_OK;
}

/*
 * Whether server process pid (of a lock statement's result) is the one every lock statement of
 * this run ran in. Behind a pooler in transaction mode (PgBouncer's pool_mode = transaction)
 * each statement may run on another server connection: a session advisory lock then stays with
 * a connection the pooler gives to others, an unlock runs elsewhere, and the next build of the
 * hash waits for a lock nobody will release. EX_OK, or EX_LOCK after saying so.
 */
int
tpl_same_session(const char *pid)
{
	static char first[16];

	if (!*first) {
		snprintf(first, sizeof first, "%s", pid);
		return EX_OK;
	}
	if (strcmp(first, pid) == 0)
		return EX_OK;
	if (!pooled++)
		warnx("a template lock was taken by server process %s, and a later statement ran in process %s: the "
		    "connection goes through a pooler in transaction mode (PgBouncer's pool_mode = transaction?), where "
		    "a session advisory lock does not hold between statements; connect directly or through a pool in "
		    "session mode (the lock stays with process %s until its connection closes)", first, pid, first);
	return EX_LOCK;
}

/* fn(key) on the advisory lock of a template's 16 hex digits; *got gets its boolean, if any. */
int
tpl_hash_lock(PGconn *m, const char *fn, const char *hex16, int *got)
{
	const char *p[] = { hex16 };
	struct buf sql = { 0 };
	PGresult *r;
	int rc;

	buf_puts(&sql, "SELECT pg_catalog.");
	buf_puts(&sql, fn);
	buf_puts(&sql, "(pg_catalog.hashtextextended('confiture template ' || $1, 0))::text, "
	    "pg_catalog.pg_backend_pid()::text");
	r = pg_query(m, sql.data, 1, p);
	buf_free(&sql);
	if (!r)
		return pg_failed(m);
	if (got)
		*got = strcmp(PQgetvalue(r, 0, 0), "true") == 0;
	rc = tpl_same_session(PQgetvalue(r, 0, 1));
	PQclear(r);
	return rc;
}

/* The sessions connected to database name, as "pid N (user U, application A)", for the message
   that says why it cannot be copied. Caller frees. */
static char *
sessions_on(PGconn *m, const char *name)
{
	const char *p[] = { name };
	PGresult *r = pg_query(m, sql_tpl_sessions, 1, p);
	struct buf b = { 0 };

	if (!r)
		return xstrdup("an unknown session");
	for (int i = 0; i < PQntuples(r); i++)
		buf_printf(&b, "%s%s %s (user %s, application %s)", i ? ", " : "", i ? "pid" : "session pid",
		    PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
	PQclear(r);
	if (!b.data)
		return xstrdup("a session that has since left");
	return b.data;
}

/* The number of other sessions connected to database name, -1 after a message. */
static int
nsessions(PGconn *m, const char *name)
{
	const char *p[] = { name };
	PGresult *r = pg_query(m, sql_tpl_nsessions, 1, p);
	int n;

	if (!r)
		return -1;
	n = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

/*
 * CREATE DATABASE name TEMPLATE tpl. PostgreSQL refuses to copy a database another session is
 * connected to (55006), after waiting 5 s itself: a template is not connectable, but someone may
 * have allowed it. Wait up to 2 s for them to leave, then say who they are rather than the
 * server's bare count.
 *
 * STRATEGY FILE_COPY, not PostgreSQL 15's default WAL_LOG. WAL_LOG copies block by block
 * through shared buffers and writes every block to the WAL, leaving the copy dirty in shared
 * buffers for the next checkpoint to write again (and dropping a replaced database forces one:
 * a --force rebuild paid for its copy twice). FILE_COPY copies the files and checkpoints
 * before and after, which costs what the rest of the cluster has dirty at that moment (written
 * sooner, not more). Measured, one cluster, checkpoint before each, server CPU (wall) of the
 * CREATE DATABASE alone: pagila (16 MB, 430 files) WAL_LOG 50-90 ms (90-160), FILE_COPY
 * 10-20 ms (65-70); 1000 tables (74 MB, 8300 files) WAL_LOG 380-470 ms (450-570), FILE_COPY
 * 180-200 ms (260-280). Both sizes favour FILE_COPY, so there is no threshold.
 */
int
tpl_clone_from(PGconn *m, const char *tpl, const char *name)
{
	char *qn = PQescapeIdentifier(m, name, strlen(name)), *qt = PQescapeIdentifier(m, tpl, strlen(tpl));
	char *sql = xasprintf("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", qn, qt);
	char state[6] = "";
	PGresult *err = NULL, *r = NULL;
	int rc = EX_OK, n;

	PQfreemem(qn);
	PQfreemem(qt);
	for (int try = 0; (n = nsessions(m, tpl)) > 0 && try < 20 && !sig_caught; try++)
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	if (n < 0)
		rc = pg_failed(m);
	else if (sig_caught)
		rc = EX_FAIL;
	else if (n == 0 && (r = pg_query_state(m, sql, 0, NULL, state, &err)) != NULL)
		rc = EX_OK;
	else if (n > 0 || strcmp(state, "55006") == 0) {
		char *who = sessions_on(m, tpl);

		warnx("template \"%s\" is in use by %s: CREATE DATABASE cannot copy a database other sessions are "
		    "connected to (waited 2 s)", tpl, who);
		free(who);
		rc = EX_LOCK;
	} else {
		pg_report(err, NULL);
		rc = pg_failed(m);
	}
	PQclear(r);
	PQclear(err);
	free(sql);
	return rc;
}

/* Make a template unmarked and drop it; the caller holds its hash lock. */
int
tpl_drop(PGconn *m, const char *name)
{
	int rc = pg_run_named(m, "ALTER DATABASE ", name, " WITH IS_TEMPLATE false");

	if (rc == EX_OK)
		rc = pg_run_named(m, "DROP DATABASE ", name, " WITH (FORCE)");
	return rc;
}

/* Drop the templates of datnames (rows of r, column 0) whose hash lock is free, saying so with
   why after the name; a busy one is kept, with a message. */
int
tpl_drop_unlocked(PGconn *m, PGresult *r, const char *why)
{
	int rc = EX_OK;

	for (int i = 0; i < PQntuples(r) && rc == EX_OK && !sig_caught; i++) {
		const char *name = PQgetvalue(r, i, 0);
		const char *hex = strncmp(name, TPL_PREFIX, strlen(TPL_PREFIX)) == 0 ? name + strlen(TPL_PREFIX)
		    : name + strlen(TPL_SCRATCH);
		int got = 0;

		rc = tpl_hash_lock(m, "pg_try_advisory_lock", hex, &got);
		if (rc != EX_OK)
			break;
		if (!got) {
			warnx("template \"%s\" is being built or cloned by another session: kept", name);
			continue;
		}
		rc = tpl_drop(m, name);
		if (rc == EX_OK)
			warnx("dropped template \"%s\"%s", name, why);
		if (rc == EX_OK)
			rc = tpl_hash_lock(m, "pg_advisory_unlock", hex, NULL);
	}
	return rc;
}

/*
 * Whether database name fits the server's identifiers (max_identifier_length, NAMEDATALEN - 1,
 * 63 bytes unless PostgreSQL was built otherwise): a longer one is cut with a mere notice, so
 * --clone's copies of a long prefix would all be one database, and a build would replace a
 * database of another name. EX_OK, or EX_CONFIG after naming it.
 */
int
tpl_name_fits(PGconn *m, const char *name)
{
	static long max;
	size_t n = strlen(name);
	long k;

	if (!max) {
		PGresult *r = pg_query(m, "SELECT pg_catalog.current_setting('max_identifier_length')", 0, NULL);

		if (!r)
			return pg_failed(m);
		max = strtol(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
	}
	if ((long)n <= max)
		return EX_OK;
	/* cut as the server does, on a character: never half of a UTF-8 sequence */
	k = max;
	while (k > 0 && ((unsigned char)name[k] & 0xC0) == 0x80)
		k--;
	warnx("database name \"%s\" is %zu bytes: PostgreSQL keeps %ld and would make it \"%.*s\"", name, n,
	    max, (int)k, name);
	return EX_CONFIG;
}

/* -P: drop every cached template (and every scratch one left by a crash) but those of hashes. */
int
tpl_prune(PGconn *m, char **hashes, int nh, int verbose)
{
	struct buf keep = { 0 };
	PGresult *r;
	const char *p[1];
	int rc;

	/* the kept names as one text array literal: 16 hex digits need no quoting */
	buf_puts(&keep, "{");
	for (int i = 0; i < nh; i++)
		buf_printf(&keep, "%s" TPL_PREFIX "%.16s", i ? "," : "", hashes[i]);
	buf_puts(&keep, "}");
	p[0] = keep.data;
	/* only what this tool made: a template has its comment, a scratch one its exact name */
	r = pg_query(m, sql_tpl_prunable, 1, p);
	buf_free(&keep);
	if (!r)
		return pg_failed(m);
	if (PQntuples(r) == 0 && verbose)
		warnx("no template to prune");
	rc = tpl_drop_unlocked(m, r, "");
	PQclear(r);
	return rc;
}
