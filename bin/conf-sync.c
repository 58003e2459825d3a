/*
 * conf-sync: the two parts of confiture sync that a shell cannot do safely or cheaply.
 *   -s FILE  resolve --from and --to (an environment name or a connection string, given in
 *            CONFITURE_SYNC_FROM / CONFITURE_SYNC_TO, never in argv) and write them as the
 *            services "from" and "to" of a pg_service.conf file, so that pg_dump, psql and
 *            conf-apply reach them without a password in any argv;
 *   -m       a meter on a pg_dump data stream: copies stdin to stdout and reports each COPY
 *            block's rows, bytes and rate on stderr. With -p PID it is also the commit gate:
 *            the stream's last line COMMIT; is passed on only while process PID (the confiture
 *            shell) lives, so a SIGKILL of the shell, which no trap sees, commits nothing.
 */
#include <signal.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "fsx.h"
#include "pgconn.h"
#include "sig.h"

#define USAGE "conf-sync -s file [-C dir] | conf-sync -m [-E estimates] [-j stats] [-i seconds] [-p pid] [-F file]"

/* A value a service file can hold: one line, no trailing blank (libpq trims it). */
static int
service_value_ok(const char *v)
{
	size_t n = strlen(v);

	return !strpbrk(v, "\n\r") && !(n && (v[n - 1] == ' ' || v[n - 1] == '\t'));
}

/* Why env is production ("" when it is not): require_confirmation: true, or a name that says
   so (production, prod) without require_confirmation: false. */
static const char *
production(const struct envconfig *env)
{
	if (env->require_confirmation)
		return "require_confirmation: true";
	if (!env->require_confirmation_set && env->name
	    && (strcmp(env->name, "production") == 0 || strcmp(env->name, "prod") == 0))
		return "its name, without require_confirmation: false,";
	return "";
}

/* The server and database a connection string reaches, as "host port dbname", libpq's defaults
   filled in; NULL when it cannot be parsed. Spellings of one server that differ (a socket and
   localhost, a name and its address) are not recognized. */
static char *
conn_key(const char *conninfo)
{
	PQconninfoOption *o = PQconninfoParse(conninfo, NULL), *d = PQconndefaults();
	const char *host = "", *port = "", *db = "", *user = "";
	char *key;

	if (!o) {
		PQconninfoFree(d);
		return NULL;
	}
	for (PQconninfoOption *p = d; p && p->keyword; p++) {
		const char *v = p->val ? p->val : "";

		if (strcmp(p->keyword, "host") == 0) host = v;
		else if (strcmp(p->keyword, "port") == 0) port = v;
		else if (strcmp(p->keyword, "dbname") == 0) db = v;
		else if (strcmp(p->keyword, "user") == 0) user = v;
	}
	for (PQconninfoOption *p = o; p->keyword; p++) {
		if (!p->val || !*p->val)
			continue;
		if (strcmp(p->keyword, "host") == 0 || strcmp(p->keyword, "hostaddr") == 0) host = p->val;
		else if (strcmp(p->keyword, "port") == 0) port = p->val;
		else if (strcmp(p->keyword, "dbname") == 0) db = p->val;
		else if (strcmp(p->keyword, "user") == 0) user = p->val;
	}
	key = xasprintf("%s %s %s", host, *port ? port : "5432", *db ? db : user);
	PQconninfoFree(o);
	PQconninfoFree(d);
	return key;
}

/* Print "to-protected<TAB>env<TAB>reason" when the target conninfo reaches the database of an
   environment of root/db/environments that is production. */
static void
protected_by_url(const char *root, const char *conninfo)
{
	char *dir = xasprintf("%s/db/environments", root), *want = conn_key(conninfo);
	DIR *dp = want ? opendir(dir) : NULL;
	struct dirent *e;
	int saved = -1, null;

	/* the other environment files' complaints belong to the commands that use them */
	if (dp && (null = open("/dev/null", O_WRONLY)) >= 0) {
		fflush(stderr);
		saved = dup(2);
		dup2(null, 2);
		close(null);
	}
	while (dp && (e = readdir(dp))) {
		size_t n = strlen(e->d_name);
		struct envconfig *env;
		char *name, *key;
		int st = EX_OK;

		if (n <= 5 || strcmp(e->d_name + n - 5, ".yaml") != 0)
			continue;
		name = xstrndup(e->d_name, n - 5);
		if ((env = config_load(root, name, NULL, &st)) && env->database_url && *production(env)
		    && (key = conn_key(env->database_url))) {
			if (strcmp(key, want) == 0) {
				printf("to-protected\t%s\t%s\n", name, production(env));
				free(key);
				config_free(env);
				free(name);
				break;
			}
			free(key);
		}
		config_free(env);
		free(name);
	}
	if (saved >= 0) {
		dup2(saved, 2);
		close(saved);
	}
	if (dp)
		closedir(dp);
	free(want);
	free(dir);
}

/* Resolve one side and append its section to b; 0 or an exit code after a message. */
static int
service(struct buf *b, const char *side, const char *root, const char **protected, char **conn)
{
	char var[64], *err = NULL;
	const char *spec, *conninfo;
	struct envconfig *env = NULL;
	PQconninfoOption *o;
	int st = EX_OK;

	snprintf(var, sizeof var, "CONFITURE_SYNC_%s", strcmp(side, "from") == 0 ? "FROM" : "TO");
	spec = getenv(var);
	if (!spec || !*spec) {
		warnx("--%s is missing: an environment name or a connection string", side);
		return EX_CONFIG;
	}
	*protected = "";
	if (pg_is_conninfo(spec)) {
		conninfo = spec;
	} else {
		if (!(env = config_load(root, spec, NULL, &st)))
			return st;
		if (!env->database_url) {
			warnx("--%s %s: %s sets no database_url", side, spec, env->file);
			config_free(env);
			return EX_CONFIG;
		}
		conninfo = env->database_url;
		*protected = production(env);
	}
	if (!(o = PQconninfoParse(conninfo, &err))) {
		/* libpq's reason quotes the string, which may hold a password */
		PQfreemem(err);
		warnx("--%s: the connection string cannot be parsed (libpq's reason is not shown: it may "
		      "quote a password)", side);
		config_free(env);
		return EX_CONFIG;
	}
	*conn = xstrdup(conninfo);
	buf_printf(b, "[%s]\n", side);
	for (PQconninfoOption *p = o; p->keyword; p++) {
		if (!p->val || !*p->val)
			continue;
		if (strcmp(p->keyword, "service") == 0) {
			warnx("--%s: a connection string naming a service (service=) cannot be used here: "
			      "give its settings instead", side);
			st = EX_CONFIG;
			break;
		}
		if (!service_value_ok(p->val)) {
			warnx("--%s: the setting %s holds a line break or ends in a blank, which a service "
			      "file cannot hold", side, p->keyword);
			st = EX_CONFIG;
			break;
		}
		buf_printf(b, "%s=%s\n", p->keyword, p->val);
	}
	PQconninfoFree(o);
	config_free(env);
	return st;
}

static int
write_services(const char *file, const char *root)
{
	struct buf b = { 0 };
	const char *prot_from = "", *prot_to = "";
	char *conn_from = NULL, *conn_to = NULL;
	int st, fd;

	if ((st = service(&b, "from", root, &prot_from, &conn_from)) != EX_OK
	    || (st = service(&b, "to", root, &prot_to, &conn_to)) != EX_OK) {
		buf_free(&b);
		free(conn_from);
		free(conn_to);
		return st;
	}
	free(conn_from);
	/* a new file, readable by its owner only: it holds passwords */
	if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL, 0600)) < 0) {
		warnx("%s: %s", file, strerror(errno));
		buf_free(&b);
		free(conn_to);
		return EX_FAIL;
	}
	if (write(fd, b.data, b.len) != (ssize_t)b.len || close(fd) != 0) {
		warnx("%s: %s", file, strerror(errno));
		buf_free(&b);
		free(conn_to);
		return EX_FAIL;
	}
	buf_free(&b);
	/* the target's own environment, else any production environment with its database */
	if (*prot_to)
		printf("to-protected\t%s\t%s\n", getenv("CONFITURE_SYNC_TO"), prot_to);
	else
		protected_by_url(root, conn_to);
	free(conn_to);
	finish_stdout();
	return EX_OK;
}

/* The meter's view of the block being copied. */
struct block {
	char *table;
	long long rows, bytes, est;
	double t0, shown;
};

static struct strv est_names;
static long long *est_rows;

/* Read "table<TAB>rows" lines (the planner's estimates, for the bar). */
static void
load_estimates(const char *file)
{
	FILE *f = fopen(file, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		die(EX_FAIL, "%s: %s", file, strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		char *tab = strchr(line, '\t');

		if (!tab)
			continue;
		*tab = '\0';
		strv_add(&est_names, line);
		est_rows = xrealloc(est_rows, est_names.n * sizeof *est_rows);
		est_rows[est_names.n - 1] = strtoll(tab + 1, NULL, 10);
	}
	free(line);
	fclose(f);
}

static long long
estimate(const char *table)
{
	for (size_t i = 0; i < est_names.n; i++)
		if (strcmp(est_names.v[i], table) == 0)
			return est_rows[i];
	return -1;
}

static int tty;

/* One progress report: a redrawn bar on a terminal, else a plain line. */
static void
show(const struct block *k, int done)
{
	double s = (clock_ms() - k->t0) / 1000.0, mb = (double)k->bytes / 1e6;
	double rate = s > 0 ? (double)k->rows / s : 0;

	if (tty && !done) {
		char bar[31];
		long long pct = k->est > 0 ? k->rows * 100 / k->est : 0;
		int fill;

		if (pct > 99)
			pct = 99;
		fill = (int)(pct * 30 / 100);
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(30 - fill));
		bar[30] = '\0';
		fprintf(stderr, "\r%s: %s [%s] %3lld%% %lld rows %.1f MB %.0f rows/s\033[K", diag_prog(),
		    k->table, bar, pct, k->rows, mb, rate);
		return;
	}
	fprintf(stderr, "%s%s: %s: %lld rows, %.1f MB, %.2f s, %.0f rows/s%s\n", tty ? "\r\033[K" : "",
	    diag_prog(), k->table, k->rows, mb, s, rate, done ? "" : " (copying)");
}

/* The table of "COPY name (cols) FROM stdin;": the text between COPY and the column list. */
static char *
copy_table(const char *line, size_t n)
{
	const char *p = line + 5, *end = line + n;
	const char *q = p;
	int quoted = 0;

	for (; q < end; q++) {
		if (*q == '"')
			quoted = !quoted;
		else if (!quoted && (*q == ' ' || *q == '('))
			break;
	}
	return xstrndup(p, (size_t)(q - p));
}

/* The meter's state between blocks of input. */
struct meter {
	struct block k;
	int in;           /* inside a COPY block */
	int bol_match;    /* bytes of "\\.\n" matched at the start of the current row, -1 when not */
	struct buf line;  /* the line being read outside COPY blocks */
	FILE *stats;
	long interval_s;
};

/* A whole line outside COPY blocks: the start of one? */
static void
sql_line(struct meter *m)
{
	const char *l = m->line.data;
	size_t n = m->line.len;

	if (n > 17 && strncmp(l, "COPY ", 5) == 0 && memcmp(l + n - 12, "FROM stdin;\n", 12) == 0) {
		free(m->k.table);
		m->k = (struct block){ .table = copy_table(l, n), .t0 = clock_ms() };
		m->k.est = estimate(m->k.table);
		m->k.shown = m->k.t0;
		m->in = 1;
		m->bol_match = 0;
	}
	m->line.len = 0;
}

/* The bytes p[0..n) of the stream, already written out: rows are counted a block at a time. */
static void
scan(struct meter *m, const char *p, size_t n)
{
	static const char end[] = "\\.\n";
	const char *e = p + n;

	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *stop = nl ? nl + 1 : e;

		if (!m->in) {
			buf_add(&m->line, p, (size_t)(stop - p));
			if (nl)
				sql_line(m);
			p = stop;
			continue;
		}
		/* the first bytes of a row say whether it is the end line \. */
		for (const char *q = p; q < stop && m->bol_match >= 0 && m->bol_match < 3; q++)
			m->bol_match = *q == end[m->bol_match] ? m->bol_match + 1 : -1;
		m->k.bytes += stop - p;
		if (nl) {
			if (m->bol_match == 3) {
				m->in = 0;
				m->k.bytes -= 3;
				show(&m->k, 1);
				if (m->stats)
					fprintf(m->stats, "%s\t%lld\t%lld\t%.0f\n", m->k.table, m->k.rows, m->k.bytes,
					    clock_ms() - m->k.t0);
			} else {
				m->k.rows++;
			}
			m->bol_match = 0;
		}
		p = stop;
	}
	if (m->in) {
		double now = clock_ms();

		if (now - m->k.shown >= (tty ? 200 : m->interval_s * 1000)) {
			m->k.shown = now;
			show(&m->k, 0);
		}
	}
}

/* Whether process pid still runs (EPERM: it runs under another user). A killed process whose
   parent has not yet waited for it is a zombie, which kill() still finds: on Linux its state in
   /proc says so. */
static int
alive(long pid)
{
	char path[64], st[512];
	const char *p;
	FILE *f;
	size_t n;

	if (kill((pid_t)pid, 0) != 0 && errno != EPERM)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 1;
	n = fread(st, 1, sizeof st - 1, f);
	fclose(f);
	st[n] = '\0';
	/* "pid (comm) S ...": comm may hold anything, the state follows its last ')' */
	p = strrchr(st, ')');
	return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

/* Write p[0..n) to standard output, whole. */
static void
put(const char *p, size_t n)
{
	for (size_t w = 0; w < n;) {
		ssize_t r = write(1, p + w, n - w);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			die(EX_FAIL, "standard output: %s", strerror(errno));
		}
		w += (size_t)r;
	}
}

#define GATE "COMMIT;\n"
#define GATE_LEN (sizeof GATE - 1)

/*
 * Copy stdin to stdout, metering. The last GATE_LEN bytes are held back until the end: when
 * they are the closing COMMIT; outside a COPY block, they are passed on only if the process
 * gatepid lives and the file failfile does not exist (a producer failed and said why).
 */
static int
meter(const char *estfile, const char *statsfile, long interval_s, long gatepid, const char *failfile)
{
	static char b[GATE_LEN + (1 << 20)]; /* a whole 1 MB pipe at a time */
	struct meter m = { .interval_s = interval_s };
	size_t held = 0;
	ssize_t n;

	tty = isatty(2);
	/* 1 MB pipes on both sides (see conf-anon's): fewer wake-ups between the processes */
	(void)fcntl(0, F_SETPIPE_SZ, 1 << 20);
	(void)fcntl(1, F_SETPIPE_SZ, 1 << 20);
	if (estfile)
		load_estimates(estfile);
	if (statsfile && !(m.stats = fopen(statsfile, "a")))
		die(EX_FAIL, "%s: %s", statsfile, strerror(errno));
	for (;;) {
		size_t total, out;

		n = read(0, b + held, sizeof b - held);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		scan(&m, b + held, (size_t)n);
		total = held + (size_t)n;
		out = total > GATE_LEN ? total - GATE_LEN : 0;
		put(b, out);
		held = total - out;
		memmove(b, b + out, held);
	}
	if (n < 0)
		die(EX_FAIL, "standard input: %s", strerror(errno));
	free(m.k.table);
	buf_free(&m.line);
	if (m.stats && fclose(m.stats) != 0)
		die(EX_FAIL, "%s: %s", statsfile, strerror(errno));
	strv_free(&est_names);
	free(est_rows);
	/* a producer that failed has said why; the stream it cut must not commit */
	if (failfile && access(failfile, F_OK) == 0)
		return EX_FAIL;
	if (m.in) {
		put(b, held);
		die(EX_SCHEMA, "the stream ends inside a COPY block (no \\. line)");
	}
	if (gatepid > 0 && held == GATE_LEN && memcmp(b, GATE, GATE_LEN) == 0 && !alive(gatepid))
		die(EX_FAIL, "process %ld (confiture) is gone: the load is not committed", gatepid);
	put(b, held);
	return EX_OK;
}

int
main(int argc, char **argv)
{
	const char *sflag = NULL, *root = ".", *est = NULL, *stats = NULL;
	int c, mflag = 0;
	long interval = 5, gatepid = 0;
	const char *failfile = NULL;

	diag_init(argv[0]);
	while ((c = getopt(argc, argv, "s:C:mE:j:i:p:F:")) != -1)
		switch (c) {
		case 's': sflag = optarg; break;
		case 'C': root = optarg; break;
		case 'm': mflag = 1; break;
		case 'E': est = optarg; break;
		case 'j': stats = optarg; break;
		case 'i': interval = opt_number('i', optarg, 1, "a number of seconds"); break;
		case 'p': gatepid = opt_number('p', optarg, 1, "a process id"); break;
		case 'F': failfile = optarg; break;
		default: usage(USAGE);
		}
	if (optind != argc || !sflag == !mflag)
		usage(USAGE);
	if (sflag)
		return write_services(sflag, root);
	return meter(est, stats, interval, gatepid, failfile);
}
