#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "hash.h"
#include "pgconn.h"

#define USAGE "conf-tpl -H hash [-f] [-v] [-k key] [-T | -t name | -n N -p prefix] [-d conninfo] [-e env] [-C dir] [file]\n" \
	"       conf-tpl -P [-H hash]... [-d conninfo] [-e env] [-C dir]"

/*
 * The template cache of confiture build --cache: a built schema kept as a template database
 * named from its schema hash, cloned with CREATE DATABASE ... TEMPLATE instead of replaying SQL.
 * The template is built under a scratch name and renamed when whole, under an advisory lock per
 * hash: exclusive to build or drop it, shared to clone it, so a clone never copies a half-built
 * template and two builds of one hash make one template.
 */

#define TPL_PREFIX "confiture_tpl_"
#define TPL_SCRATCH "confiture_tplnew_"
#define COMMENT_TAG "confiture:template:"

static int fflag, vflag, Tflag;
static int pooled; /* the statements run in more than one server process: no unlock will hold */
static const char *kflag, *tflag;

static int
db_exists(PGconn *m, const char *name, int *exists)
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
static int
same_session(const char *pid)
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
static int
hash_lock(PGconn *m, const char *fn, const char *hex16, int *got)
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
	rc = same_session(PQgetvalue(r, 0, 1));
	PQclear(r);
	return rc;
}

/* The sessions connected to database name, as "pid N (user U, application A)", for the message
   that says why it cannot be copied. Caller frees. */
static char *
sessions_on(PGconn *m, const char *name)
{
	const char *p[] = { name };
	PGresult *r = pg_query(m, "SELECT pid, coalesce(usename, '?'), coalesce(nullif(application_name, ''), '?') "
	    "FROM pg_catalog.pg_stat_activity WHERE datname = $1 AND pid <> pg_catalog.pg_backend_pid() ORDER BY pid", 1, p);
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
	PGresult *r = pg_query(m, "SELECT count(*) FROM pg_catalog.pg_stat_activity WHERE datname = $1 "
	    "AND pid <> pg_catalog.pg_backend_pid()", 1, p);
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
static int
clone_from(PGconn *m, const char *tpl, const char *name)
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

/* Load the built stream into the scratch database name; EX_OK when every statement ran. */
static int
load(const char *conninfo, const char *name, const char *file, long *nstmt)
{
	char *tconn = pg_with_dbname(conninfo, name);
	PGconn *c = tconn ? pg_connect(tconn) : NULL;
	struct apply a = { 0 };
	struct sqlsrc *s;
	int rc;

	free(tconn);
	if (!c)
		return EX_UNREACHABLE;
	pg_notices(c, vflag);
	sig_set_cancel(c);
	/* the scratch database is dropped on failure: no transaction is needed, and the rename's
	   commit flushes the WAL before it, so these commits need not wait for the disk */
	rc = apply_check_server(c);
	if (rc == EX_OK)
		rc = pg_run(c, "SET synchronous_commit = off");
	a.conn = c;
	a.batch = 1;
	a.no_cluster = 1;
	if (rc == EX_OK) {
		if (!(s = sqlsrc_open(file))) {
			rc = EX_FAIL;
		} else {
			rc = apply_stream(&a, s);
			if (rc == EX_OK && !sig_caught && sqlsrc_check_frame(s, strcmp(file, "-") == 0 ? "<stdin>" : file) < 0)
				rc = EX_SCHEMA;
			if (rc == EX_OK && a.nstmt == 0) {
				/* an empty build is what a failed producer leaves in a pipe */
				warnx("the input is empty: no template is built from it");
				rc = EX_SCHEMA;
			}
			sqlsrc_close(s);
		}
	}
	*nstmt = a.nstmt;
	sig_set_cancel(NULL);
	PQfinish(c);
	return rc == EX_OK && sig_caught ? EX_FAIL : rc;
}

/* Make a template unmarked and drop it; the caller holds its hash lock. */
static int
drop_template(PGconn *m, const char *name)
{
	int rc = pg_run_named(m, "ALTER DATABASE ", name, " WITH IS_TEMPLATE false");

	if (rc == EX_OK)
		rc = pg_run_named(m, "DROP DATABASE ", name, " WITH (FORCE)");
	return rc;
}

/* Drop the templates of datnames (rows of r, column 0) whose hash lock is free, saying so with
   why after the name; a busy one is kept, with a message. */
static int
drop_unlocked(PGconn *m, PGresult *r, const char *why)
{
	int rc = EX_OK;

	for (int i = 0; i < PQntuples(r) && rc == EX_OK && !sig_caught; i++) {
		const char *name = PQgetvalue(r, i, 0);
		const char *hex = strncmp(name, TPL_PREFIX, strlen(TPL_PREFIX)) == 0 ? name + strlen(TPL_PREFIX)
		    : name + strlen(TPL_SCRATCH);
		int got = 0;

		rc = hash_lock(m, "pg_try_advisory_lock", hex, &got);
		if (rc != EX_OK)
			break;
		if (!got) {
			warnx("template \"%s\" is being built or cloned by another session: kept", name);
			continue;
		}
		rc = drop_template(m, name);
		if (rc == EX_OK)
			warnx("dropped template \"%s\"%s", name, why);
		if (rc == EX_OK)
			rc = hash_lock(m, "pg_advisory_unlock", hex, NULL);
	}
	return rc;
}

/* The template's comment: its full hash and the key of what it was built for. */
static char *
comment_of(const char *hash)
{
	return xasprintf(COMMENT_TAG "%s %s", hash, kflag ? kflag : "");
}

/*
 * Build template tpl from file under the exclusive hash lock: into a scratch database, marked
 * a template and not connectable, renamed when whole; then the templates built before for the
 * same key (-k) are dropped, unless another session is using them.
 */
static int
build(PGconn *m, const char *conninfo, const char *hash, const char *tpl, const char *file)
{
	char *scratch = xasprintf(TPL_SCRATCH "%.16s", hash), *comment = comment_of(hash), *lit;
	double t0 = clock_ms();
	long nstmt = 0;
	int rc, left = 0;

	/* a build killed between marking its scratch database a template and the rename left one
	   that DROP DATABASE refuses ("cannot drop a template database"): unmark it first */
	rc = db_exists(m, scratch, &left);
	if (rc == EX_OK && left)
		rc = drop_template(m, scratch);
	if (rc == EX_OK && !sig_caught)
		rc = pg_run_named(m, "CREATE DATABASE ", scratch, "");
	if (rc == EX_OK && !sig_caught)
		rc = load(conninfo, scratch, file, &nstmt);
	sig_set_cancel(m);
	if (rc == EX_OK && !sig_caught)
		rc = pg_run_named(m, "ALTER DATABASE ", scratch, " WITH ALLOW_CONNECTIONS false IS_TEMPLATE true");
	lit = PQescapeLiteral(m, comment, strlen(comment));
	if (rc == EX_OK && !sig_caught) {
		char *tail = xasprintf(" IS %s", lit ? lit : "''");

		rc = pg_run_named(m, "COMMENT ON DATABASE ", scratch, tail);
		free(tail);
	}
	if (rc == EX_OK && !sig_caught) {
		char *q = PQescapeIdentifier(m, tpl, strlen(tpl));
		char *tail = xasprintf(" RENAME TO %s", q);

		rc = pg_run_named(m, "ALTER DATABASE ", scratch, tail);
		free(tail);
		PQfreemem(q);
	}
	if (rc == EX_OK && sig_caught)
		rc = EX_FAIL;
	if (rc != EX_OK && PQstatus(m) == CONNECTION_OK) {
		sig_set_cancel(NULL);
		if (db_exists(m, scratch, &left) == EX_OK && left)
			drop_template(m, scratch);
		sig_set_cancel(m);
	}
	if (rc == EX_OK)
		warnx("cache miss: built template \"%s\" (%ld statements, %.3f s)", tpl, nstmt, (clock_ms() - t0) / 1e3);
	/* the key's older templates: a changed schema replaces its template */
	if (rc == EX_OK && kflag) {
		const char *p[] = { tpl, kflag };
		PGresult *r = pg_query(m, "SELECT d.datname FROM pg_catalog.pg_database d "
		    "JOIN pg_catalog.pg_shdescription s ON s.objoid = d.oid AND s.classoid = 'pg_catalog.pg_database'::regclass "
		    "WHERE d.datname LIKE 'confiture\\_tpl\\_%' AND d.datname <> $1 AND s.description LIKE '" COMMENT_TAG "%' "
		    "AND substr(s.description, strpos(s.description, ' ') + 1) = $2 ORDER BY 1", 2, p);

		if (!r) {
			rc = pg_failed(m);
		} else {
			char *why = xasprintf(": the schema changed (now \"%s\")", tpl);

			rc = drop_unlocked(m, r, why);
			free(why);
			PQclear(r);
		}
	}
	if (lit)
		PQfreemem(lit);
	free(comment);
	free(scratch);
	return rc;
}

/*
 * Make database name a copy of tpl. Only one build of a target at a time, as conf-apply -c
 * (the same lock): the second one would drop the first one's scratch copy. An existing database
 * is replaced (-f) only once the copy is whole.
 */
static int
clone_one(PGconn *m, const char *tpl, const char *name)
{
	const char *p[] = { name };
	PGresult *r = pg_query(m, "SELECT pg_catalog.pg_try_advisory_lock("
	    "pg_catalog.hashtextextended('confiture build of ' || $1, 0)), pg_catalog.pg_backend_pid()::text", 1, p);
	char hex[SHA256_HEX], tmp[64];
	int rc, ok, exists = 0;

	if (!r)
		return pg_failed(m);
	ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	rc = same_session(PQgetvalue(r, 0, 1));
	PQclear(r);
	if (rc != EX_OK)
		return rc;
	if (!ok) {
		warnx("database \"%s\" is being built by another build: try again when it is done", name);
		return EX_LOCK;
	}
	rc = db_exists(m, name, &exists);
	if (rc == EX_OK && exists && !fflag) {
		warnx("database \"%s\" exists and would be replaced: allow it with -f", name);
		rc = EX_CONFIG;
	}
	if (rc == EX_OK && !exists) {
		rc = clone_from(m, tpl, name);
	} else if (rc == EX_OK) {
		sha256_hex(name, strlen(name), hex);
		snprintf(tmp, sizeof tmp, "confiture_build_%.16s", hex);
		rc = pg_run_named(m, "DROP DATABASE IF EXISTS ", tmp, " WITH (FORCE)");
		if (rc == EX_OK && !sig_caught)
			rc = clone_from(m, tpl, tmp);
		if (rc == EX_OK && !sig_caught)
			rc = pg_run_named(m, "DROP DATABASE ", name, " WITH (FORCE)");
		if (rc == EX_OK) {
			char *q = PQescapeIdentifier(m, name, strlen(name));
			char *tail = xasprintf(" RENAME TO %s", q);

			rc = pg_run_named(m, "ALTER DATABASE ", tmp, tail);
			free(tail);
			PQfreemem(q);
		} else if (PQstatus(m) == CONNECTION_OK) {
			pg_run_named(m, "DROP DATABASE IF EXISTS ", tmp, " WITH (FORCE)");
		}
	}
	if (rc == EX_OK && vflag)
		warnx("database \"%s\" %s from template \"%s\"", name, exists ? "replaced" : "created", tpl);
	if (PQstatus(m) == CONNECTION_OK && !pooled)
		pg_command(m, "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtextextended('confiture build of ' || $1, 0))",
		    1, p);
	return rc;
}

/*
 * Whether database name fits the server's identifiers (max_identifier_length, NAMEDATALEN - 1,
 * 63 bytes unless PostgreSQL was built otherwise): a longer one is cut with a mere notice, so
 * --clone's copies of a long prefix would all be one database, and a build would replace a
 * database of another name. EX_OK, or EX_CONFIG after naming it.
 */
static int
name_fits(PGconn *m, const char *name)
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

/* A schema hash as the build header writes it: 64 lowercase hex digits (16 at least). */
static int
valid_hash(const char *h)
{
	size_t n = strspn(h, "0123456789abcdef");

	return n >= 16 && h[n] == '\0';
}

/* -P: drop every cached template (and every scratch one left by a crash) but those of hashes. */
static int
prune(PGconn *m, char **hashes, int nh)
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
	r = pg_query(m, "SELECT d.datname FROM pg_catalog.pg_database d "
	    "LEFT JOIN pg_catalog.pg_shdescription s ON s.objoid = d.oid AND s.classoid = 'pg_catalog.pg_database'::regclass "
	    "WHERE ((d.datname ~ '^confiture_tpl_[0-9a-f]{16}$' AND d.datistemplate AND s.description LIKE '" COMMENT_TAG "%') "
	    "OR d.datname ~ '^confiture_tplnew_[0-9a-f]{16}$') AND d.datname <> ALL ($1::text[]) ORDER BY 1", 1, p);
	buf_free(&keep);
	if (!r)
		return pg_failed(m);
	if (PQntuples(r) == 0 && vflag)
		warnx("no template to prune");
	rc = drop_unlocked(m, r, "");
	PQclear(r);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *dflag = NULL, *eflag = NULL, *Cflag = ".", *pflag = NULL;
	char **hashes = xcalloc((size_t)argc + 1, sizeof *hashes);
	struct envconfig *env = NULL;
	int c, rc = EX_OK, Pflag = 0, nh = 0;
	long nflag = 0;
	char *mconn, *tpl = NULL, *target = NULL;
	const char *conninfo;
	PGconn *m;

	diag_init(argv[0]);
	while ((c = getopt(argc, argv, "C:d:e:fH:k:n:p:PTt:v")) != -1)
		switch (c) {
		case 'C': Cflag = optarg; break;
		case 'd': dflag = optarg; break;
		case 'e': eflag = optarg; break;
		case 'f': fflag = 1; break;
		case 'H': hashes[nh++] = optarg; break;
		case 'k': kflag = optarg; break;
		case 'n': nflag = opt_number('n', optarg, 1, "a number of copies"); break;
		case 'p': pflag = optarg; break;
		case 'P': Pflag = 1; break;
		case 'T': Tflag = 1; break;
		case 't': tflag = optarg; break;
		case 'v': vflag = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (Pflag ? (argc > 0 || nflag || pflag || Tflag || fflag || kflag) : (nh != 1 || argc > 1))
		usage(USAGE);
	if ((nflag > 0) != (pflag != NULL) || Tflag + (nflag > 0) + (tflag != NULL) > 1 || (Pflag && tflag))
		usage(USAGE);
	if (pflag && !*pflag) {
		warnx("-p needs a non-empty prefix");
		return EX_CONFIG;
	}
	for (int i = 0; i < nh; i++)
		if (!valid_hash(hashes[i])) {
			warnx("-H wants a schema hash (16 or more lowercase hex digits), not \"%s\"", hashes[i]);
			return EX_CONFIG;
		}
	if (eflag && !(env = config_load(Cflag, eflag, NULL, &rc)))
		return rc;
	sig_trap();
	conninfo = pg_resolve(dflag, env ? env->database_url : NULL);
	mconn = pg_with_dbname(conninfo, "postgres");
	m = mconn ? pg_connect(mconn) : NULL;
	free(mconn);
	if (!m) {
		config_free(env);
		free(hashes);
		return EX_UNREACHABLE;
	}
	pg_notices(m, 0); /* DROP ... IF EXISTS notices say nothing useful here */
	sig_set_cancel(m);
	if (Pflag) {
		rc = prune(m, hashes, nh);
		goto out;
	}
	tpl = xasprintf(TPL_PREFIX "%.16s", hashes[0]);
	/* the names first: nothing is built for copies that could not be named as asked */
	if (nflag == 0 && !Tflag) {
		target = tflag ? xstrdup(tflag) : pg_target_dbname(conninfo);
		rc = target ? name_fits(m, target) : EX_CONFIG;
	} else if (nflag > 0) {
		char *last = xasprintf("%s%ld", pflag, nflag);

		rc = name_fits(m, last);
		free(last);
	}
	/* shared to clone, exclusive to build: a build waits for the clones of its hash, a clone for
	   the build, and the second build of a hash finds the first one's template */
	for (int round = 0, built = 0; rc == EX_OK && !sig_caught; round++) {
		int exists = 0;

		rc = hash_lock(m, "pg_advisory_lock_shared", hashes[0], NULL);
		if (rc == EX_OK)
			rc = db_exists(m, tpl, &exists);
		if (rc == EX_OK && exists && !built)
			warnx("cache hit: template \"%s\"", tpl);
		if (rc != EX_OK || exists)
			break;
		if (round == 3) {
			warnx("template \"%s\" was dropped as soon as it was built, three times: is a prune running in a loop?", tpl);
			rc = EX_LOCK;
			break;
		}
		rc = hash_lock(m, "pg_advisory_unlock_shared", hashes[0], NULL);
		if (rc == EX_OK)
			rc = hash_lock(m, "pg_advisory_lock", hashes[0], NULL);
		if (rc == EX_OK)
			rc = db_exists(m, tpl, &exists);
		if (rc == EX_OK && !exists) {
			rc = build(m, conninfo, hashes[0], tpl, argc ? argv[0] : "-");
			built = 1;
		}
		if (PQstatus(m) == CONNECTION_OK && !pooled) {
			int r2 = hash_lock(m, "pg_advisory_unlock", hashes[0], NULL);

			if (rc == EX_OK)
				rc = r2;
		}
	}
	if (rc == EX_OK && !sig_caught && nflag == 0 && !Tflag) {
		rc = target ? clone_one(m, tpl, target) : EX_CONFIG;
	}
	for (long i = 1; rc == EX_OK && !sig_caught && i <= nflag; i++) {
		char *name = xasprintf("%s%ld", pflag, i);

		rc = clone_one(m, tpl, name);
		free(name);
	}
out:
	if (sig_caught) {
		warnx("interrupted");
		rc = 128 + sig_caught;
	}
	sig_set_cancel(NULL);
	PQfinish(m);
	free(tpl);
	free(target);
	free(hashes);
	config_free(env);
	pgq_exit();
	finish_stdout();
	return rc;
}
