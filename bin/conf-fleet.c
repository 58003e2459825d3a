#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jsonl.h"
#include "pgconn.h"
#include "sig.h"

#define USAGE "conf-fleet [-k] [-J jobs] -f targets [-C dir] [-e env] [-m dir] [-t table] [-T version] [-L ms | -N] up | status"

/*
 * conf-migrate over many databases: a bounded pool of runners, one process per database, each
 * running conf-migrate (and so each database under its own advisory lock). C rather than sh:
 * the target is shown scrubbed of its password (pg_scrub), each run is timed in milliseconds,
 * and a runner's messages are told apart from the others' by a prefix, none of which the
 * shell does safely.
 */

extern char **environ;

struct target {
	char *text;     /* as written in the list */
	char *shown;    /* scrubbed, for records and messages */
	int is_env;     /* an environment name, not a connection string */
	long line;      /* its line in the list */
	pid_t pid;      /* its runner while it runs, else 0 */
	int fd;         /* the read end of the runner's record pipe */
	int state;      /* 0 waiting, 1 running, 2 done, 3 not started */
	int rc;
	json_t *rec;    /* the record, once done */
};

static const char *prog_migrate = "conf-migrate";
static char **globals; /* -C -e -m -t as given, for conf-migrate */
static int nglobals;
static char **cmdargs; /* the command and its options */
static int ncmd, status_cmd;

/* The targets of file ("-": stdin): a line each, blank lines and # comments skipped. */
static struct target *
read_targets(const char *file, size_t *n)
{
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	struct target *v = NULL;
	size_t cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	long lineno = 0;

	*n = 0;
	if (!f) {
		warnx("cannot open %s: %s", file, strerror(errno));
		return NULL;
	}
	while ((len = getline(&line, &lcap, f)) >= 0) {
		char *p = line, *e = line + len;

		lineno++;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (p == e || *p == '#')
			continue;
		/* a list from a query may name a database twice: one runner each would be two
		   runners on one database, the second waiting for the first one's lock */
		size_t k = 0;

		while (k < *n && (strlen(v[k].text) != (size_t)(e - p) || memcmp(v[k].text, p, (size_t)(e - p)) != 0))
			k++;
		if (k < *n) {
			warnat(&(struct srcpos){ strcmp(file, "-") == 0 ? "<stdin>" : file, lineno, 0 },
			    "the same target as line %ld: run once", v[k].line);
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		memset(&v[*n], 0, sizeof v[*n]);
		v[*n].text = xstrndup(p, (size_t)(e - p));
		v[*n].is_env = !pg_is_conninfo(v[*n].text);
		v[*n].shown = v[*n].is_env ? xstrdup(v[*n].text) : pg_scrub(v[*n].text);
		v[*n].line = lineno;
		v[*n].fd = -1;
		(*n)++;
	}
	free(line);
	if (ferror(f))
		warnx("cannot read %s: %s", file, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (*n == 0)
		warnx("%s lists no database", strcmp(file, "-") == 0 ? "<stdin>" : file);
	return *n ? v : NULL;
}

/*
 * Run conf-migrate -j [-e env] GLOBALS words... for target t, its stdout into *out, its stderr
 * into errf; the connection string goes in the environment, never in an argv (ps shows those).
 * Returns its exit status, 128+N when a signal ended it, -1 if it could not run.
 */
static int
run(const struct target *t, char **words, int nwords, struct buf *out, FILE *errf)
{
	char **argv = xcalloc((size_t)(nglobals + nwords + 5), sizeof *argv);
	posix_spawn_file_actions_t fa;
	int pfd[2], k = 0, st;
	pid_t pid;
	char chunk[4096];
	ssize_t got;

	argv[k++] = (char *)prog_migrate;
	argv[k++] = "-j";
	for (int i = 0; i < nglobals; i++)
		argv[k++] = globals[i];
	if (t->is_env) {
		argv[k++] = "-e";
		argv[k++] = t->text;
	}
	for (int i = 0; i < nwords; i++)
		argv[k++] = words[i];
	if (pipe(pfd) < 0) {
		free(argv);
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	st = posix_spawnp(&pid, prog_migrate, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	close(pfd[1]);
	if (st != 0) {
		close(pfd[0]);
		fprintf(errf, "cannot run %s: %s\n", prog_migrate, strerror(st));
		return -1;
	}
	while ((got = read(pfd[0], chunk, sizeof chunk)) != 0)
		if (got > 0)
			buf_add(out, chunk, (size_t)got);
		else if (errno != EINTR)
			break;
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Each JSON line of out, to fn. */
static void
each_record(const struct buf *out, void (*fn)(json_t *, void *), void *arg)
{
	const char *p = out->data ? out->data : "";

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		json_t *o = json_loadb(p, len, 0, NULL);

		if (o)
			fn(o, arg);
		json_decref(o);
		p += len + (nl != NULL);
	}
}

static void
current_of(json_t *o, void *arg)
{
	const char *kind = json_string_value(json_object_get(o, "kind"));

	if (kind && strcmp(kind, "current") == 0)
		*(json_t **)arg = json_incref(json_object_get(o, "version"));
}

struct tally {
	int applied, pending;
	json_t *last; /* status: the last applied version */
};

static void
count_of(json_t *o, void *arg)
{
	struct tally *t = arg;
	const char *s = json_string_value(json_object_get(o, "status"));
	const char *state = json_string_value(json_object_get(o, "state"));

	if (s && strcmp(s, "applied") == 0)
		t->applied++;
	if (state && strncmp(state, "pending", 7) == 0)
		t->pending++;
	if (state && strcmp(state, "applied") == 0) {
		json_decref(t->last);
		t->last = json_incref(json_object_get(o, "version"));
	}
}

/* The version a database is at: conf-migrate current; JSON null when it has none. */
static json_t *
version_of(const struct target *t, FILE *errf, int *rc)
{
	char *cur[] = { "current" };
	struct buf out = { 0 };
	json_t *v = NULL;

	*rc = run(t, cur, 1, &out, errf);
	each_record(&out, current_of, &v);
	buf_free(&out);
	return v ? v : json_null();
}

/* The runner of one database, in a child process: its record on fd, its exit status. */
static _Noreturn void
runner(const struct target *t, int fd)
{
	double t0 = clock_ms();
	FILE *errf = tmpfile();
	struct tally tl = { 0 };
	struct buf out = { 0 }, msg = { 0 };
	json_t *before = NULL, *after = NULL, *o;
	int rc = 0, r0 = 0;
	char line[1024];
	const char *state;
	char *dump;

	signal(SIGPIPE, SIG_DFL);
	if (t->is_env)
		unsetenv("CONFITURE_DATABASE_URL"); /* it would win over the environment's database_url */
	else
		setenv("CONFITURE_DATABASE_URL", t->text, 1);
	if (!errf) {
		warnx("%s: cannot create a temporary file: %s", t->shown, strerror(errno));
		_exit(EX_FAIL);
	}
	if (!status_cmd) {
		before = version_of(t, errf, &r0);
		/* 2: no tracking table yet, up creates it; any other failure is the database's answer */
		if (r0 == 2)
			r0 = 0;
		rewind(errf);
		if (r0 == 0 && ftruncate(fileno(errf), 0) < 0)
			r0 = EX_FAIL;
	}
	if (r0 != 0) {
		rc = r0;
	} else {
		rc = run(t, cmdargs, ncmd, &out, errf);
		each_record(&out, count_of, &tl);
		if (!status_cmd) {
			int r2;

			after = version_of(t, errf, &r2);
		}
	}
	if (rc < 0)
		rc = EX_FAIL;
	if (status_cmd)
		state = rc == EX_OK ? "up to date" : rc == EX_FAIL && tl.pending ? "behind"
		    : rc == EX_NOTRACK ? "no tracking table" : "failed";
	else
		state = rc == EX_OK ? "ok" : "failed";
	/* a failed runner's messages, each prefixed with its database, and the first one in the
	   record; a good run's ("nothing to apply") would be a thousand lines of noise */
	rewind(errf);
	while (strcmp(state, "failed") == 0 && fgets(line, sizeof line, errf)) {
		size_t len = strcspn(line, "\n");

		line[len] = '\0';
		if (!msg.data)
			buf_puts(&msg, line);
		warnx("%s: %s", t->shown, line);
	}
	fclose(errf);
	if (status_cmd)
		o = json_pack("{s:s, s:o, s:I, s:o, s:i, s:I, s:i, s:s}", "kind", "fleet_run", "target", jsonl_str(t->shown), "line",
		    (json_int_t)t->line, "version",
		    tl.last ? tl.last : json_null(), "pending", tl.pending, "time_ms", (json_int_t)(clock_ms() - t0),
		    "exit", rc, "status", state);
	else
		o = json_pack("{s:s, s:o, s:I, s:o, s:o, s:i, s:I, s:i, s:s}", "kind", "fleet_run", "target", jsonl_str(t->shown), "line",
		    (json_int_t)t->line, "before", before,
		    "after", after ? after : json_null(), "applied", tl.applied, "time_ms",
		    (json_int_t)(clock_ms() - t0), "exit", rc, "status", state);
	if (o && msg.data)
		json_object_set_new(o, "message", jsonl_str(msg.data));
	dump = o ? json_dumps(o, JSON_COMPACT) : NULL;
	if (dump) {
		size_t len = strlen(dump), off = 0;

		while (off < len) {
			ssize_t w = write(fd, dump + off, len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				break;
			off += (size_t)w;
		}
	}
	_exit(rc > 255 ? 255 : rc);
}

/* Reap one runner: its record read, printed, kept for the summary; its index, or -1. */
static long
reap(struct target *v, size_t n, pid_t pid, int st)
{
	for (size_t i = 0; i < n; i++) {
		struct buf b = { 0 };
		char chunk[4096];
		ssize_t got;

		if (v[i].pid != pid)
			continue;
		while ((got = read(v[i].fd, chunk, sizeof chunk)) != 0)
			if (got > 0)
				buf_add(&b, chunk, (size_t)got);
			else if (errno != EINTR)
				break;
		close(v[i].fd);
		v[i].fd = -1;
		v[i].pid = 0;
		v[i].state = 2;
		v[i].rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		v[i].rec = b.data ? json_loads(b.data, 0, NULL) : NULL;
		if (!v[i].rec)
			v[i].rec = json_pack("{s:s, s:o, s:I, s:i, s:s}", "kind", "fleet_run", "target", jsonl_str(v[i].shown), "line",
			    (json_int_t)v[i].line, "exit", v[i].rc, "status", "failed");
		jsonl_put(json_incref(v[i].rec));
		buf_free(&b);
		return (long)i;
	}
	return -1;
}

/* A JSON value as a table cell: a string bare, null as "-". */
static const char *
cell(json_t *v, char *tmp, size_t n)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(v));
		return tmp;
	}
	return "-";
}

/* The summary on stderr: a row per database in the list's order, then the counts. */
static void
summary(struct target *v, size_t n)
{
	size_t w = 8;
	int nok = 0, nfail = 0, nskip = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(v[i].shown) > w)
			w = strlen(v[i].shown);
	if (w > 60)
		w = 60;
	fprintf(stderr, "%-*s  %-16s  %-16s  %7s  %8s  %4s  %s\n", (int)w, "database", status_cmd ? "version" : "before",
	    status_cmd ? "" : "after", status_cmd ? "pending" : "applied", "ms", "exit", "status");
	for (size_t i = 0; i < n; i++) {
		char t1[32], t2[32], t3[32], t4[32];
		json_t *r = v[i].rec;

		if (v[i].state == 3) {
			fprintf(stderr, "%-*.*s  %-16s  %-16s  %7s  %8s  %4s  %s\n", (int)w, (int)w, v[i].shown, "-", "-", "-", "-",
			    "-", "not started");
			nskip++;
			continue;
		}
		if (v[i].rc == 0)
			nok++;
		else
			nfail++;
		fprintf(stderr, "%-*.*s  %-16s  %-16s  %7s  %8s  %4d  %s\n", (int)w, (int)w, v[i].shown,
		    cell(json_object_get(r, status_cmd ? "version" : "before"), t1, sizeof t1),
		    status_cmd ? "" : cell(json_object_get(r, "after"), t2, sizeof t2),
		    cell(json_object_get(r, status_cmd ? "pending" : "applied"), t3, sizeof t3),
		    cell(json_object_get(r, "time_ms"), t4, sizeof t4), v[i].rc,
		    cell(json_object_get(r, "status"), t2, sizeof t2));
	}
	if (status_cmd)
		warnx("%zu databases: %d up to date, %d behind or failed", n, nok, nfail);
	else
		warnx("%zu databases: %d migrated, %d failed, %d not started", n, nok, nfail, nskip);
}

int
main(int argc, char **argv)
{
	const char *fflag = NULL;
	long jobs = 1;
	int c, kflag = 0, tty, worst = 0, failed = 0, passed = 0;
	size_t n = 0, next = 0, running = 0, ndone = 0;
	struct target *v;

	diag_init(argv[0]);
	globals = xcalloc((size_t)argc + 1, sizeof *globals);
	cmdargs = xcalloc((size_t)argc + 2, sizeof *cmdargs);
	cmdargs[ncmd++] = NULL; /* the command, once read */
	while ((c = getopt(argc, argv, "+C:e:f:J:kL:m:Nt:T:")) != -1)
		switch (c) {
		case 'C': case 'e': case 'm': case 't':
			globals[nglobals++] = xasprintf("-%c", c);
			globals[nglobals++] = optarg;
			break;
		case 'L': case 'T':
			cmdargs[ncmd++] = xasprintf("-%c", c);
			cmdargs[ncmd++] = optarg;
			break;
		case 'N': cmdargs[ncmd++] = xstrdup("-N"); break;
		case 'f': fflag = optarg; break;
		case 'J': jobs = opt_number('J', optarg, 1, "a number of runners"); break;
		case 'k': kflag = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (!fflag || argc != 1 || (strcmp(argv[0], "up") != 0 && strcmp(argv[0], "status") != 0))
		usage(USAGE);
	status_cmd = strcmp(argv[0], "status") == 0;
	if (status_cmd && ncmd > 1)
		usage(USAGE);
	cmdargs[0] = argv[0];
	if (getenv("CONF_FLEET_MIGRATE"))
		prog_migrate = getenv("CONF_FLEET_MIGRATE"); /* the tests' stand-in, and a wrapper's */
	if (!(v = read_targets(fflag, &n)))
		return EX_CONFIG;
	sig_trap();
	tty = isatty(2);
	while (ndone < n) {
		int st;
		long k;
		pid_t pid;

		/* start runners while there is room and nothing says stop */
		while (running < (size_t)jobs && next < n && !sig_caught && (kflag || !failed)) {
			int pfd[2];

			fflush(stdout);
			fflush(stderr);
			if (pipe(pfd) < 0 || (pid = fork()) < 0) {
				warnx("cannot start a runner: %s", strerror(errno));
				failed = 1;
				worst = worst > EX_FAIL ? worst : EX_FAIL;
				break;
			}
			if (pid == 0) {
				/* its own process group, conf-migrate in it: an interrupt is passed on to
				   the runners below, once, whoever got it (a terminal's ^C or a kill) */
				setpgid(0, 0);
				close(pfd[0]);
				runner(&v[next], pfd[1]);
			}
			setpgid(pid, pid);
			close(pfd[1]);
			v[next].pid = pid;
			v[next].fd = pfd[0];
			v[next].state = 1;
			next++;
			running++;
		}
		if (running == 0) {
			/* stopped: the rest are not started */
			for (; next < n; next++, ndone++)
				v[next].state = 3;
			break;
		}
		if (tty)
			fprintf(stderr, "\r%s: %zu/%zu done, %zu running%s\033[K", diag_prog(), ndone, n, running,
			    failed ? ", some failed" : "");
		if (sig_caught && !passed) {
			for (size_t i = 0; i < n; i++)
				if (v[i].state == 1 && v[i].pid > 0)
					kill(-v[i].pid, sig_caught);
			passed = 1;
		}
		pid = waitpid(-1, &st, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if ((k = reap(v, n, pid, st)) < 0)
			continue;
		running--;
		ndone++;
		/* status: a database behind (1) is an answer, not a failure */
		if (v[k].rc != 0 && (!status_cmd || v[k].rc != EX_FAIL))
			failed = 1;
	}
	if (tty)
		fputs("\r\033[K", stderr);
	for (size_t i = 0; i < n; i++)
		if (v[i].state == 2 && v[i].rc > worst)
			worst = v[i].rc;
	summary(v, n);
	if (sig_caught) {
		warnx("interrupted: the databases not started are as they were");
		worst = 128 + sig_caught;
	} else {
		size_t nskip = 0;

		for (size_t i = 0; i < n; i++)
			nskip += v[i].state == 3;
		if (nskip)
			warnx("stopped after the first failure: %zu not started (--keep-going runs them all)", nskip);
	}
	for (size_t i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].shown);
		json_decref(v[i].rec);
	}
	free(v);
	for (int i = 0; i < nglobals; i += 2)
		free(globals[i]);
	free(globals);
	for (int i = 1; i < ncmd; i++)
		if (cmdargs[i][0] == '-')
			free(cmdargs[i]);
	free(cmdargs);
	finish_stdout();
	return worst;
}
