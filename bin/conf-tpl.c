#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "hash.h"
#include "pgconn.h"
#include "sqltext.h"
#include "tplcache.h"

#define USAGE "conf-tpl -H hash [-f] [-v] [-k key] [-T | -t name | -n N -p prefix] [-d conninfo] [-e env] [-C dir] [file]\n" \
	"       conf-tpl -P [-H hash]... [-d conninfo] [-e env] [-C dir]"

/*
 * The template cache of confiture build --cache: a built schema kept as a template database
 * named from its schema hash, cloned with CREATE DATABASE ... TEMPLATE instead of replaying SQL.
 * The template is built under a scratch name and renamed when whole, under an advisory lock per
 * hash: exclusive to build or drop it, shared to clone it, so a clone never copies a half-built
 * template and two builds of one hash make one template.
 */

static int fflag, vflag, Tflag;
static const char *kflag, *tflag;

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
	rc = tpl_db_exists(m, scratch, &left);
	if (rc == EX_OK && left)
		rc = tpl_drop(m, scratch);
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
		if (tpl_db_exists(m, scratch, &left) == EX_OK && left)
			tpl_drop(m, scratch);
		sig_set_cancel(m);
	}
	if (rc == EX_OK)
		warnx("cache miss: built template \"%s\" (%ld statements, %.3f s)", tpl, nstmt, (clock_ms() - t0) / 1e3);
	/* the key's older templates: a changed schema replaces its template */
	if (rc == EX_OK && kflag) {
		const char *p[] = { tpl, kflag };
		PGresult *r = pg_query(m, sql_tpl_of_key, 2, p);

		if (!r) {
			rc = pg_failed(m);
		} else {
			char *why = xasprintf(": the schema changed (now \"%s\")", tpl);

			rc = tpl_drop_unlocked(m, r, why);
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
	PGresult *r = pg_query(m, sql_tpl_build_lock, 1, p);
	char hex[SHA256_HEX], tmp[64];
	int rc, ok, exists = 0;

	if (!r)
		return pg_failed(m);
	ok = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	rc = tpl_same_session(PQgetvalue(r, 0, 1));
	PQclear(r);
	if (rc != EX_OK)
		return rc;
	if (!ok) {
		warnx("database \"%s\" is being built by another build: try again when it is done", name);
		return EX_LOCK;
	}
	rc = tpl_db_exists(m, name, &exists);
	if (rc == EX_OK && exists && !fflag) {
		warnx("database \"%s\" exists and would be replaced: allow it with -f", name);
		rc = EX_CONFIG;
	}
	if (rc == EX_OK && !exists) {
		rc = tpl_clone_from(m, tpl, name);
	} else if (rc == EX_OK) {
		sha256_hex(name, strlen(name), hex);
		snprintf(tmp, sizeof tmp, "confiture_build_%.16s", hex);
		rc = pg_run_named(m, "DROP DATABASE IF EXISTS ", tmp, " WITH (FORCE)");
		if (rc == EX_OK && !sig_caught)
			rc = tpl_clone_from(m, tpl, tmp);
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
	if (PQstatus(m) == CONNECTION_OK && !tpl_pooled())
		pg_command(m, "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtextextended('confiture build of ' || $1, 0))",
		    1, p);
	return rc;
}

/* A schema hash as the build header writes it: 64 lowercase hex digits (16 at least). */
static int
valid_hash(const char *h)
{
	size_t n = strspn(h, "0123456789abcdef");

	return n >= 16 && h[n] == '\0';
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
		rc = tpl_prune(m, hashes, nh, vflag);
		goto out;
	}
	tpl = xasprintf(TPL_PREFIX "%.16s", hashes[0]);
	/* the names first: nothing is built for copies that could not be named as asked */
	if (nflag == 0 && !Tflag) {
		target = tflag ? xstrdup(tflag) : pg_target_dbname(conninfo);
		rc = target ? tpl_name_fits(m, target) : EX_CONFIG;
	} else if (nflag > 0) {
		char *last = xasprintf("%s%ld", pflag, nflag);

		rc = tpl_name_fits(m, last);
		free(last);
	}
	/* shared to clone, exclusive to build: a build waits for the clones of its hash, a clone for
	   the build, and the second build of a hash finds the first one's template */
	for (int round = 0, built = 0; rc == EX_OK && !sig_caught; round++) {
		int exists = 0;

		rc = tpl_hash_lock(m, "pg_advisory_lock_shared", hashes[0], NULL);
		if (rc == EX_OK)
			rc = tpl_db_exists(m, tpl, &exists);
		if (rc == EX_OK && exists && !built)
			warnx("cache hit: template \"%s\"", tpl);
		if (rc != EX_OK || exists)
			break;
		if (round == 3) {
			warnx("template \"%s\" was dropped as soon as it was built, three times: is a prune running in a loop?", tpl);
			rc = EX_LOCK;
			break;
		}
		rc = tpl_hash_lock(m, "pg_advisory_unlock_shared", hashes[0], NULL);
		if (rc == EX_OK)
			rc = tpl_hash_lock(m, "pg_advisory_lock", hashes[0], NULL);
		if (rc == EX_OK)
			rc = tpl_db_exists(m, tpl, &exists);
		if (rc == EX_OK && !exists) {
			rc = build(m, conninfo, hashes[0], tpl, argc ? argv[0] : "-");
			built = 1;
		}
		if (PQstatus(m) == CONNECTION_OK && !tpl_pooled()) {
			int r2 = tpl_hash_lock(m, "pg_advisory_unlock", hashes[0], NULL);

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
