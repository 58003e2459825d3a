#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apply.h"
#include "fsx.h"
#include "migrate.h"
#include "sqlsrc.h"

static int
byversion(const void *x, const void *y)
{
	const struct migration *a = x, *b = y;

	return strcmp(a->version, b->version);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

static char *
checksum_of(const char *path, char hex[SHA256_HEX])
{
	struct buf b = { 0 };

	if (read_file(path, &b) != 0) {
		buf_free(&b);
		return NULL;
	}
	sha256_hex(b.data ? b.data : "", b.len, hex);
	buf_free(&b);
	return hex;
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
migdir_scan(const char *dir, struct migdir *md)
{
	static const char *const kinds[] = { ".up.sql", ".down.sql", ".verify.sql", ".py", NULL };
	struct strv names = { 0 };
	size_t cap = 0;
	int rc = EX_OK;

	memset(md, 0, sizeof *md);
	if (!is_dir(dir))
		return EX_OK;
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
			warnx("%s: not a migration file name (<version>_<name>.up.sql, .down.sql, .verify.sql): ignored", path);
			free(path);
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
			continue;
		}
		if (m->py && !m->up)
			warnx("%s: Python migrations are not supported: it is listed, never run", m->py);
		if (!checksum_of(src, m->checksum))
			rc = EX_CONFIG;
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
	}
	free(md->v);
	memset(md, 0, sizeof *md);
}

int
migfile_scan(const char *path, struct migfile *mf)
{
	struct sqlsrc *s = sqlsrc_open(path);
	struct stmt st, first = { 0 }, last = { 0 }, tx = { 0 }, plain = { 0 };
	long ntx = 0;
	int k, rc = EX_OK;

	memset(mf, 0, sizeof *mf);
	mf->path = path;
	if (!s)
		return EX_FAIL;
	while ((k = sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			rc = EX_SCHEMA;
			break;
		}
		if (k == SQ_META) {
			const char *t = sqlsrc_text(s, st.off);

			if (strncmp(t, "\\restrict", 9) != 0 && strncmp(t, "\\unrestrict", 11) != 0) {
				warnat(&st.pos, "psql command %.*s is not supported in a migration",
				    (int)strcspn(t, " \t\r\n"), t);
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
	if (rc != EX_OK)
		return rc;
	if (ntx == 2 && (first.flags & ST_TXBEGIN) && (last.flags & ST_TXEND)) {
		/* a BEGIN ... COMMIT around the whole file: the runner gives that transaction itself */
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
	struct sqlsrc *s = sqlsrc_open(mf->path);
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

static int
bynamecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
hooks_run(const char *hookdir, const char *phase, char *const *env)
{
	char *sub = xasprintf("%s.d", phase);
	char *dir = path_join(hookdir, sub);
	struct strv names = { 0 };
	int rc = EX_OK;

	free(sub);
	if (!is_dir(dir) || walk_dir(dir, 0, &names) != 0) {
		free(dir);
		strv_free(&names);
		return EX_OK;
	}
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, bynamecmp);
	for (size_t i = 0; i < names.n && rc == EX_OK; i++) {
		char *path = path_join(dir, names.v[i]);
		pid_t pid;
		int st;

		if (access(path, X_OK) != 0) {
			warnx("%s: not executable: skipped", path);
			free(path);
			continue;
		}
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			warnx("%s: cannot fork: %s", path, strerror(errno));
			rc = EX_FAIL;
		} else if (pid == 0) {
			char *argv[] = { path, NULL };

			/* standard output stays free for the tool's own records */
			dup2(2, 1);
			for (size_t j = 0; env[j]; j++)
				putenv(env[j]);
			execv(path, argv);
			fprintf(stderr, "%s: %s: %s\n", diag_prog(), path, strerror(errno));
			_exit(126);
		} else {
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
				warnx("hook %s failed (exit %d)", path, WEXITSTATUS(st));
				rc = EX_FAIL;
			} else if (WIFSIGNALED(st)) {
				warnx("hook %s killed by signal %d", path, WTERMSIG(st));
				rc = EX_FAIL;
			}
		}
		free(path);
	}
	strv_free(&names);
	free(dir);
	return rc;
}
