#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apply.h"
#include "fsx.h"
#include "jsonl.h"
#include "migrate.h"
#include "pgconn.h"
#include "sqlsrc.h"

int
byversion(const void *x, const void *y)
{
	/* a pointer to a struct is a pointer to its first member (C11 6.7.2.1) */
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

struct migration *
migdir_find(const struct migdir *md, const char *version)
{
	for (size_t i = 0; i < md->n; i++)
		if (strcmp(md->v[i].version, version) == 0)
			return &md->v[i];
	return NULL;
}

int
migdir_scan(const char *dir, int must_exist, struct migdir *md)
{
	static const char *const kinds[] = { ".up.sql", ".down.sql", ".verify.sql", ".py", NULL };
	struct strv names = { 0 };
	size_t cap = 0;
	int rc = EX_OK;

	memset(md, 0, sizeof *md);
	if (!is_dir(dir)) {
		struct stat st;

		if (!must_exist)
			return EX_OK;
		warnx("%s: migrations directory: %s", dir, stat(dir, &st) != 0 ? strerror(errno) : "Not a directory");
		return EX_CONFIG;
	}
	if (walk_dir(dir, 0, &names) != 0)
		return EX_CONFIG;
	for (size_t i = 0; i < names.n; i++) {
		const char *f = names.v[i], *us = strchr(f, '_');
		char *path = path_join(dir, f), **slot = NULL;
		struct migration *m;
		int k;

		for (k = 0; kinds[k] && !ends_with(f, kinds[k]); k++)
			;
		if (f[0] == '_' || (!kinds[k] && !ends_with(f, ".sql") && !ends_with(f, ".yaml"))) {
			free(path);
			continue; /* __init__.py, README and the like */
		}
		if (!kinds[k] || !us || us == f || (size_t)(us - f) + 1 + strlen(kinds[k]) >= strlen(f)) {
			char *e = esc_name(path);

			warnx("%s: not a migration file name (<version>_<name>.up.sql, .down.sql, .verify.sql): ignored", e);
			free(e);
			free(path);
			continue;
		}
		if (!utf8_valid(f)) {
			/* the version and name columns refuse it (22021) after the migration ran: it would run
			   again on every up; a name longer than the columns' 255 cannot be a file name */
			char *e = esc_name(path);

			warnx("%s: file name is not valid UTF-8: the tracking table could not record it", e);
			free(e);
			free(path);
			rc = EX_CONFIG;
			continue;
		}
		{
			char *version = xstrndup(f, (size_t)(us - f));
			char *name = xstrndup(us + 1, strlen(us + 1) - strlen(kinds[k]));

			m = migdir_find(md, version);
			if (m && strcmp(m->name, name) != 0) {
				warnx("%s: version %s is also used by %s", path, version, m->name);
				rc = EX_CONFIG;
				free(version);
				free(name);
				free(path);
				continue;
			}
			if (!m) {
				if (md->n == cap) {
					cap = cap ? cap * 2 : 64;
					md->v = xrealloc(md->v, cap * sizeof *md->v);
				}
				m = &md->v[md->n++];
				memset(m, 0, sizeof *m);
				m->version = version;
				m->name = name;
			} else {
				free(version);
				free(name);
			}
		}
		slot = k == 0 ? &m->up : k == 1 ? &m->down : k == 2 ? &m->verify : &m->py;
		free(*slot);
		*slot = path;
	}
	strv_free(&names);
	if (md->n)
		qsort(md->v, md->n, sizeof *md->v, byversion);
	for (size_t i = 0; i < md->n; i++) {
		struct migration *m = &md->v[i];
		const char *src = m->up ? m->up : m->py;

		if (m->up && m->py) {
			warnx("%s: %s also exists; the .up.sql is used", m->py, m->up);
		} else if (!src) {
			warnx("%s: no .up.sql for version %s", m->down ? m->down : m->verify, m->version);
			rc = EX_CONFIG;
			continue;
		}
		if (m->py && !m->up)
			warnx("%s: Python migrations are not supported: it is listed, never run", m->py);
		if (read_file(src, &m->text) != 0) {
			rc = EX_CONFIG;
			continue;
		}
		sha256_hex(m->text.data ? m->text.data : "", m->text.len, m->checksum);
		if (!m->up)
			buf_free(&m->text);
	}
	return rc;
}

void
migdir_free(struct migdir *md)
{
	for (size_t i = 0; i < md->n; i++) {
		free(md->v[i].version);
		free(md->v[i].name);
		free(md->v[i].up);
		free(md->v[i].down);
		free(md->v[i].verify);
		free(md->v[i].py);
		buf_free(&md->v[i].text);
	}
	free(md->v);
	memset(md, 0, sizeof *md);
}

int
migfile_read(const char *path, struct migfile *mf)
{
	memset(mf, 0, sizeof *mf);
	mf->path = path;
	return read_file(path, &mf->text) == 0 ? EX_OK : EX_CONFIG;
}

void
migfile_free(struct migfile *mf)
{
	buf_free(&mf->text);
}

int
migfile_scan(struct migfile *mf)
{
	const char *path = mf->path, *nul = mf->text.len ? memchr(mf->text.data, '\0', mf->text.len) : NULL;
	struct sqlsrc *s;
	struct stmt st, first = { 0 }, last = { 0 }, tx = { 0 }, plain = { 0 };
	long ntx = 0;
	int k, rc = EX_OK;

	if (nul) {
		/* the reader would stop at it: half a migration must never count as all of it */
		struct srcpos pos = { path, 1, 1 };

		for (const char *p = mf->text.data; p < nul; p++, pos.col++)
			if (*p == '\n')
				pos.line++, pos.col = 0;
		warnat(&pos, "NUL byte in a migration file");
		return EX_SCHEMA;
	}
	s = sqlsrc_mem(path, mf->text.data ? mf->text.data : "", mf->text.len);
	while ((k = sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			rc = EX_SCHEMA;
			break;
		}
		if (k == SQ_META) {
			const char *t;
			size_t n = sqlsrc_meta_word(s, &st, &t);

			if (!meta_is_restrict(t, n)) {
				warnat(&st.pos, "psql command %.*s is not supported in a migration", (int)n, t);
				rc = EX_SCHEMA;
				break;
			}
			continue;
		}
		if (mf->nstmt++ == 0)
			first = st;
		last = st;
		if (st.flags & (ST_TXBEGIN | ST_TXEND | ST_TXOTHER)) {
			if (ntx++ == 0)
				tx = st;
		} else if ((st.flags & ST_NOTX) && strcmp(st.why_notx, "DISCARD ALL") == 0) {
			/* it would drop the lock (pg_advisory_unlock_all) and what session_reset set */
			warnat(&st.pos, "DISCARD ALL in a migration would release the migration lock and reset the "
			    "runner's settings: refused");
			rc = EX_SCHEMA;
			break;
		} else if (st.flags & ST_NOTX) {
			if (!mf->notx) {
				mf->notx = 1;
				mf->notx_why = st.why_notx;
				mf->notx_pos = st.pos;
			}
		} else if (!plain.kind) {
			plain = st;
		}
		if (!(st.flags & ST_PARSED) && mf->notx) {
			/* outside a transaction a later syntax error would leave half a migration */
			warnat(&st.pos, "statement does not parse, and this migration cannot run in a transaction");
			rc = EX_SCHEMA;
			break;
		}
		sqlsrc_release(s);
	}
	sqlsrc_close(s);
	/* the reader's copy of the name is gone with it */
	mf->notx_pos.file = path;
	tx.pos.file = path;
	first.pos.file = path;
	if (rc != EX_OK)
		return rc;
	if (ntx == 2 && (first.flags & ST_TXBEGIN) && (last.flags & ST_TXEND)) {
		/* a BEGIN ... COMMIT around the whole file: the runner gives that transaction itself,
		   a plain one: READ ONLY or an isolation level must not vanish without a word */
		if (first.flags & ST_TXMODES) {
			warnat(&first.pos, "transaction modes on the BEGIN around a migration are not honoured: "
			    "remove them (each migration runs in the runner's own transaction)");
			return EX_SCHEMA;
		}
		mf->skip[0] = first.off + 1;
		mf->skip[1] = last.off + 1;
		mf->nstmt -= 2;
	} else if (ntx > 0) {
		warnat(&tx.pos, "transaction control in a migration: each migration already runs in its own transaction");
		return EX_SCHEMA;
	}
	if (mf->notx && (plain.kind || mf->skip[0])) {
		warnat(&mf->notx_pos, "%s cannot run inside a transaction, but this migration also has statements "
		    "that need one (first at line %ld): put them in separate migrations",
		    mf->notx_why, plain.kind ? plain.pos.line : first.pos.line);
		return EX_SCHEMA;
	}
	return EX_OK;
}

int
migfile_apply(PGconn *c, const struct migfile *mf, int in_tx, int check)
{
	struct apply a = { .conn = c, .in_tx = in_tx, .batch = in_tx, .check_false = check };
	struct sqlsrc *s = sqlsrc_mem(mf->path, mf->text.data ? mf->text.data : "", mf->text.len);
	int rc;

	if (!s)
		return EX_FAIL;
	a.skip[0] = mf->skip[0];
	a.skip[1] = mf->skip[1];
	sig_set_cancel(c);
	rc = apply_stream(&a, s);
	sig_set_cancel(NULL);
	sqlsrc_close(s);
	return rc;
}

int
session_reset(PGconn *c)
{
	/* What DISCARD ALL does, but the advisory unlock: DISCARD ALL would release the migration
	   lock, and cannot run inside the migration's transaction; each of these can. RESET ALL
	   leaves out role and session_authorization (GUC_NO_RESET_ALL), so they are reset by name,
	   first: what follows then runs as the session user. Temporary tables would shadow the
	   next migration's tables, a prepared statement would make its PREPARE fail, and lastval()
	   would answer with a sequence it never touched. */
#define RESET_SQL "RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL; CLOSE ALL; DEALLOCATE ALL; " \
	"UNLISTEN *; DISCARD PLANS; DISCARD SEQUENCES; DISCARD TEMP"
	const char *sql = PQserverVersion(c) >= 140000
	    /* a runner killed mid-migration must not keep its backend, and the lock, alive for long */
	    ? RESET_SQL "; SET client_connection_check_interval = 1000"
	    : RESET_SQL;
#undef RESET_SQL
	PGresult *r = PQexec(c, sql);
	int rc = EX_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		struct srcpos pos = { "resetting the session", 0, 0 };

		pg_report(r, &pos);
		rc = pg_failed(c);
	}
	PQclear(r);
	return rc;
}

static int
bynamecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Wait for a hook; pass it SIGINT/SIGTERM, stop it at its timeout, kill it 1 s after either. */
static int
wait_hook(const char *path, pid_t pid, long timeout_s)
{
	double t0 = clock_ms(), sent = 0;
	int st = 0, timedout = 0, killed = 0;
	const struct timespec tick = { 0, 20 * 1000000L };

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		double now;

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			warnx("hook %s: %s", path, strerror(errno));
			return EX_FAIL;
		}
		now = clock_ms();
		if (!sent && sig_caught) {
			kill(-pid, sig_caught);
			sent = now;
		} else if (!sent && timeout_s > 0 && now - t0 >= timeout_s * 1000.0) {
			timedout = 1;
			kill(-pid, SIGTERM);
			sent = now;
		} else if (sent && !killed && now - sent >= 1000) {
			kill(-pid, SIGKILL);
			killed = 1;
		}
		nanosleep(&tick, NULL);
	}
	if (timedout) {
		warnx("hook %s timed out after %ld s: killed", path, timeout_s);
		return EX_FAIL;
	}
	if (sig_caught) {
		warnx("interrupted during hook %s", path);
		return EX_FAIL;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
		warnx("hook %s failed (exit %d)", path, WEXITSTATUS(st));
		return EX_FAIL;
	}
	if (WIFSIGNALED(st)) {
		warnx("hook %s killed by signal %d", path, WTERMSIG(st));
		return EX_FAIL;
	}
	return EX_OK;
}

int
hooks_run(const char *hookdir, const char *phase, char *const *env, long timeout_s)
{
	char *sub = xasprintf("%s.d", phase);
	char *dir = path_join(hookdir, sub);
	struct strv names = { 0 };
	int rc = EX_OK;

	free(sub);
	/* hooks_check saw to it before the run; what changed since is an error, never a skip */
	if (!is_dir(dir) || walk_dir(dir, 0, &names) != 0) {
		struct stat st;

		if (!is_dir(dir) && lstat(dir, &st) != 0)
			rc = EX_OK; /* no hooks for this phase */
		else if (!is_dir(dir))
			warnx("%s: %s", dir, strerror(ENOTDIR)), rc = EX_CONFIG;
		else
			rc = EX_CONFIG; /* walk_dir said why */
		free(dir);
		strv_free(&names);
		return rc;
	}
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, bynamecmp);
	for (size_t i = 0; i < names.n && rc == EX_OK; i++) {
		char *path = path_join(dir, names.v[i]);
		pid_t pid;

		if (sig_caught) {
			rc = EX_FAIL;
		} else if (access(path, X_OK) != 0) {
			warnx("%s: not executable: skipped", path);
		} else {
			fflush(stdout);
			pid = fork();
			if (pid < 0) {
				warnx("%s: cannot fork: %s", path, strerror(errno));
				rc = EX_FAIL;
			} else if (pid == 0) {
				char *argv[] = { path, NULL };

				/* its own process group: a signal or timeout reaches its children too */
				setpgid(0, 0);
				/* standard output stays free for the tool's own records */
				dup2(2, 1);
				for (size_t j = 0; env[j]; j++)
					putenv(env[j]);
				execv(path, argv);
				fprintf(stderr, "%s: %s: %s\n", diag_prog(), path, strerror(errno));
				_exit(126);
			} else {
				setpgid(pid, pid);
				rc = wait_hook(path, pid, timeout_s);
			}
		}
		free(path);
	}
	strv_free(&names);
	free(dir);
	return rc;
}

int
hooks_check(const char *hookdir, int must_exist)
{
	static const char *const entries[] = { "before-migrate.d", "before-each.d", "after-each.d", "after-migrate.d",
		"before-rollback.d", "after-rollback.d", "before-each.sql", "after-each.sql", NULL };
	char *e = esc_name(hookdir);
	struct stat st;
	int rc = EX_OK;

	if (stat(hookdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		int err = errno;

		if (stat(hookdir, &st) == 0)
			err = ENOTDIR;
		/* the default directory may not exist yet; one named with -H must */
		else if (err == ENOENT && !must_exist && lstat(hookdir, &st) != 0)
			err = 0;
		if (err)
			warnx("%s: hooks directory: %s", e, strerror(err));
		free(e);
		return err ? EX_CONFIG : EX_OK;
	}
	free(e);
	for (int i = 0; entries[i]; i++) {
		char *path = path_join(hookdir, entries[i]);
		int sql = ends_with(entries[i], ".sql"), err = 0;

		e = esc_name(path);
		if (stat(path, &st) != 0)
			err = errno == ENOENT && lstat(path, &st) != 0 ? 0 : errno;
		else if (!sql && !S_ISDIR(st.st_mode))
			err = ENOTDIR;
		/* a phase that is there but cannot be run must not be skipped without a word */
		if (err) {
			warnx("%s: %s", e, strerror(err));
			rc = EX_CONFIG;
		} else if (sql && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			warnx("%s: not a regular file", e);
			rc = EX_CONFIG;
		} else if (!sql && stat(path, &st) == 0) {
			struct strv names = { 0 };

			if (walk_dir(path, 0, &names) != 0)
				rc = EX_CONFIG;
			strv_free(&names);
		}
		free(e);
		free(path);
	}
	return rc;
}

int
hooks_run_sql(PGconn *c, const char *hookdir, const char *name, int in_tx)
{
	char *path = path_join(hookdir, name);
	struct migfile mf;
	int rc = EX_OK;

	if (access(path, F_OK) == 0) {
		rc = migfile_read(path, &mf);
		if (rc == EX_OK)
			rc = migfile_scan(&mf);
		if (rc == EX_OK)
			rc = migfile_apply(c, &mf, in_tx, 0);
		migfile_free(&mf);
	}
	free(path);
	return rc;
}

int
migfile_verify(PGconn *c, struct migfile *mf)
{
	int rc = migfile_scan(mf);

	if (rc == EX_OK && mf->notx) {
		warnat(&mf->notx_pos, "a verification must run in a read-only transaction");
		rc = EX_SCHEMA;
	}
	if (rc == EX_OK && (rc = pg_run(c, "BEGIN TRANSACTION READ ONLY")) == EX_OK) {
		/* what a verification SETs goes with its rollback */
		rc = migfile_apply(c, mf, 1, 1);
		if (PQstatus(c) == CONNECTION_OK)
			pg_run(c, "ROLLBACK");
	}
	return rc;
}

int
hooks_run_for(const struct hookctx *h, const char *phase, const struct migration *m, const char *direction)
{
	char *env[7];
	int rc;

	env[0] = xasprintf("CONFITURE_VERSION=%s", m ? m->version : "");
	env[1] = xasprintf("CONFITURE_NAME=%s", m ? m->name : "");
	env[2] = xasprintf("CONFITURE_DIRECTION=%s", direction);
	env[3] = xasprintf("CONFITURE_ENV=%s", h->env);
	env[4] = xasprintf("CONFITURE_DATABASE_URL=%s", h->conninfo);
	env[5] = xasprintf("DATABASE_URL=%s", h->conninfo);
	env[6] = NULL;
	rc = hooks_run(h->dir, phase, env, h->timeout_s);
	for (int i = 0; i < 6; i++)
		free(env[i]);
	return rc;
}
