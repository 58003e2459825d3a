#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "hash.h"
#include "pgconn.h"
#include "sqlclass.h"

#define USAGE "conf-apply [-1 | -a] [-n] [-c [-f]] [-d conninfo] [-e env] [-C dir] [-v] [file ...]\n       conf-apply -l [file ...]"

static int aflag, nflag, cflag, fflag, lflag, vflag;

static int
apply_inputs(struct apply *a, char **files, int nfiles)
{
	static char *stdin_only[] = { "-" };
	int rc = EX_OK, header = 0;

	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles && rc == EX_OK && !sig_caught; i++) {
		struct sqlsrc *s = sqlsrc_open(files[i]);

		if (!s)
			return EX_FAIL;
		rc = apply_stream(a, s);
		if (rc == EX_OK)
			rc = apply_closed(a);
		if (rc == EX_OK && !sig_caught) {
			struct sqlframe f;

			sqlsrc_frame(s, &f);
			header |= f.header;
			if (sqlsrc_check_frame(s, strcmp(files[i], "-") == 0 ? "<stdin>" : files[i]) < 0)
				rc = EX_SCHEMA;
			if (rc != EX_OK && aflag)
				warnx("%ld statements of it ran and stay committed (-a)", a->nstmt);
		}
		sqlsrc_close(s);
	}
	if (rc == EX_OK && sig_caught)
		rc = EX_FAIL;
	/* an empty build is what a failed producer leaves in a pipe: never let it replace a database */
	if (rc == EX_OK && cflag && !header && a->nstmt == 0) {
		warnx("the input is empty: no database is built from it");
		rc = EX_SCHEMA;
	}
	return rc;
}

/* -l: the statements as the reader cuts them, in the form of psql -L's query log; no database */
static int
list_inputs(char **files, int nfiles)
{
	static char *stdin_only[] = { "-" };

	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (int i = 0; i < nfiles && !sig_caught; i++) {
		struct sqlsrc *s = sqlsrc_open(files[i]);
		struct stmt st;
		int k;

		if (!s)
			return EX_FAIL;
		while ((k = sqlsrc_next(s, &st)) != SQ_END && k != SQ_ERROR) {
			if (k != SQ_META)
				printf("********* QUERY **********\n%.*s%s\n**************************\n\n",
				    (int)st.len, sqlsrc_text(s, st.off), st.flags & ST_UNTERM || st.gterm ? "" : ";");
			sqlsrc_release(s);
		}
		sqlsrc_close(s);
		if (k == SQ_ERROR)
			return EX_SCHEMA;
	}
	return sig_caught ? EX_FAIL : EX_OK;
}

/* -1, -a, -n on an existing database */
static int
apply_existing(const char *conninfo, char **files, int nfiles, struct apply *a)
{
	PGconn *c = pg_connect(conninfo);
	int rc, began = 0;

	if (!c)
		return EX_UNREACHABLE;
	pg_notices(c, vflag);
	a->conn = c;
	sig_set_cancel(c);
	a->in_tx = !aflag;
	a->absorb = !aflag;
	a->batch = !aflag;
	rc = apply_check_server(c);
	if (rc == EX_OK && a->in_tx) {
		rc = pg_run(c, "BEGIN");
		began = 1;
	}
	if (rc == EX_OK)
		rc = apply_inputs(a, files, nfiles);
	if (began && PQstatus(c) == CONNECTION_OK) {
		if (rc == EX_OK && !nflag) {
			rc = pg_run(c, "COMMIT");
		} else {
			int r2 = pg_run(c, "ROLLBACK");

			if (rc == EX_OK)
				rc = r2;
		}
	}
	sig_set_cancel(NULL);
	PQfinish(c);
	return rc;
}

static int
db_exists(PGconn *m, const char *name, int *exists)
{
	const char *p[] = { name };
	PGresult *r = pg_query(m, "SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", 1, p);

	if (!r)
		return EX_FAIL;
	*exists = PQntuples(r) > 0;
	PQclear(r);
	return EX_OK;
}

/* What an interruption left behind, for the message that reports it. */
static const char *left = NULL;

/*
 * Only one -c build of a target at a time: the second one would drop the first one's scratch
 * database under it. The lock belongs to the maintenance session and ends with it.
 */
static int
build_lock(PGconn *m, const char *target)
{
	const char *p[] = { target };
	PGresult *r = pg_query(m, "SELECT pg_catalog.pg_try_advisory_lock("
	    "pg_catalog.hashtextextended('confiture build of ' || $1, 0))", 1, p);
	int ok;

	if (!r)
		return pg_failed(m);
	ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	if (!ok) {
		warnx("database \"%s\" is being built by another conf-apply -c: try again when it is done", target);
		return EX_LOCK;
	}
	return EX_OK;
}

/*
 * -c: load the stream into a scratch database and rename it to the target only when every
 * statement succeeded, so a failed build leaves the previous database (or none) untouched.
 */
static int
apply_create(const char *conninfo, char **files, int nfiles, struct apply *a)
{
	char *target, *mconn, *tconn;
	char hex[SHA256_HEX], tmp[64];
	PGconn *m, *c;
	int rc, exists = 0;

	if (!(target = pg_target_dbname(conninfo)))
		return EX_CONFIG;
	mconn = pg_with_dbname(conninfo, "postgres");
	m = mconn ? pg_connect(mconn) : NULL;
	free(mconn);
	if (!m) {
		free(target);
		return EX_UNREACHABLE;
	}
	pg_notices(m, 0); /* DROP ... IF EXISTS notices say nothing useful here */
	sig_set_cancel(m);
	left = "nothing was created";
	sha256_hex(target, strlen(target), hex);
	snprintf(tmp, sizeof tmp, "confiture_build_%.16s", hex);
	rc = build_lock(m, target);
	if (rc == EX_OK)
		rc = db_exists(m, target, &exists);
	if (rc == EX_OK && exists) {
		left = "the database was not replaced";
		if (!fflag) {
			warnx("database \"%s\" exists and would be replaced: allow it with -f", target);
			rc = EX_CONFIG;
		}
	}
	if (rc == EX_OK && !sig_caught)
		rc = pg_run_named(m, "DROP DATABASE IF EXISTS ", tmp, " WITH (FORCE)");
	if (rc == EX_OK && !sig_caught)
		rc = pg_run_named(m, "CREATE DATABASE ", tmp, "");
	if (rc != EX_OK || sig_caught) {
		sig_set_cancel(NULL);
		PQfinish(m);
		free(target);
		return rc != EX_OK ? rc : EX_FAIL;
	}
	tconn = pg_with_dbname(conninfo, tmp);
	c = pg_connect(tconn);
	free(tconn);
	if (!c) {
		rc = EX_UNREACHABLE;
	} else {
		pg_notices(c, vflag);
		a->conn = c;
		sig_set_cancel(c);
		/*
		 * Each statement commits by itself, as under psql; the scratch database is worthless
		 * until renamed, and the rename's own commit flushes all the WAL before it, so these
		 * commits need not wait for the disk.
		 */
		rc = apply_check_server(c);
		if (rc == EX_OK)
			rc = pg_run(c, "SET synchronous_commit = off");
		/* the scratch database is dropped on failure, so no transaction is needed for atomicity */
		a->in_tx = 0;
		a->batch = 1;
		a->no_cluster = 1;
		if (rc == EX_OK)
			rc = apply_inputs(a, files, nfiles);
		sig_set_cancel(m);
		PQfinish(c);
	}
	if (rc == EX_OK && sig_caught)
		rc = EX_FAIL;
	if (rc == EX_OK && exists)
		rc = pg_run_named(m, "DROP DATABASE ", target, " WITH (FORCE)");
	if (rc == EX_OK) {
		char *q = PQescapeIdentifier(m, target, strlen(target));
		char *tail = xasprintf(" RENAME TO %s", q);

		/* the old database is gone: from here on a signal must not stop the new one taking its place */
		sig_set_cancel(NULL);
		rc = pg_run_named(m, "ALTER DATABASE ", tmp, tail);
		free(tail);
		PQfreemem(q);
		if (rc == EX_OK)
			left = exists ? "the database had already been replaced" : "the database had already been created";
		else if (exists)
			left = "the old database was dropped and the new one could not take its name";
	}
	sig_set_cancel(NULL);
	if (rc != EX_OK && PQstatus(m) == CONNECTION_OK)
		pg_run_named(m, "DROP DATABASE IF EXISTS ", tmp, " WITH (FORCE)");
	if (rc == EX_OK && vflag)
		warnx("database \"%s\" %s", target, exists ? "replaced" : "created");
	PQfinish(m);
	free(target);
	return rc;
}

/* A directory is not a SQL stream: say so before connecting. */
static int
check_inputs(char **files, int nfiles)
{
	struct stat sb;

	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i], "-") != 0 && stat(files[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			warnx("%s is a directory: give SQL files, or build one with conf-concat", files[i]);
			return EX_CONFIG;
		}
	return EX_OK;
}

int
main(int argc, char **argv)
{
	const char *dflag = NULL, *eflag = NULL, *Cflag = ".";
	struct envconfig *env = NULL;
	struct apply a = { 0 };
	double t0 = clock_ms();
	int c, rc;

	diag_init(argv[0]);
	while ((c = getopt(argc, argv, "1acC:d:e:flnv")) != -1)
		switch (c) {
		case '1': aflag = 0; break;
		case 'a': aflag = 1; break;
		case 'c': cflag = 1; break;
		case 'C': Cflag = optarg; break;
		case 'd': dflag = optarg; break;
		case 'e': eflag = optarg; break;
		case 'f': fflag = 1; break;
		case 'l': lflag = 1; break;
		case 'n': nflag = 1; break;
		case 'v': vflag = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc == 0 && isatty(0))
		usage(USAGE);
	if ((nflag && (aflag || cflag)) || (fflag && !cflag))
		usage(USAGE);
	if (lflag && (aflag || cflag || nflag || dflag || eflag))
		usage(USAGE);
	if (eflag && !(env = config_load(Cflag, eflag, NULL, &rc)))
		return rc;
	if ((rc = check_inputs(argv, argc)) != EX_OK) {
		config_free(env);
		return rc;
	}
	sig_trap();
	if (lflag) {
		rc = list_inputs(argv, argc);
		pgq_exit();
		finish_stdout();
		return rc;
	}
	if (cflag)
		rc = apply_create(pg_resolve(dflag, env ? env->database_url : NULL), argv, argc, &a);
	else
		rc = apply_existing(pg_resolve(dflag, env ? env->database_url : NULL), argv, argc, &a);
	if (sig_caught) {
		warnx("interrupted: %s", cflag ? (left ? left : "nothing was created") : aflag ? "stopped" : "rolled back");
		rc = 128 + sig_caught;
	}
	if (rc == EX_OK && vflag)
		warnx("%ld statements, %ld COPY blocks (%lld rows) in %.3f s%s", a.nstmt, a.ncopy, a.nrows,
		    (clock_ms() - t0) / 1e3, nflag ? ", rolled back" : "");
	config_free(env);
	pgq_exit();
	finish_stdout();
	return rc;
}
