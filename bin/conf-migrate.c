#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apply.h"
#include "config.h"
#include "jsonl.h"
#include "ledger.h"
#include "migrate.h"
#include "migupstream.h"
#include "pgconn.h"
#include "sqlclass.h"

#define USAGE "conf-migrate [-j | -U] [-d conninfo] [-e env | -c file] [-C dir] [-m dir] [-t table] command [options]\n" \
	"  status | current | verify [-V version] | baseline [-n] -T version [-L ms | -N]\n" \
	"  up [-n] [-T version] [-W fail|warn|ignore] [-L ms | -N] [-H dir]\n" \
	"  down [-n] [-s steps] [-L ms | -N] [-H dir] | down-to [-n] [-L ms | -N] [-H dir] version"

static int jflag, nflag, Nflag, Lflag;
static long lock_ms = 30000, steps = 1;
static const char *target, *onmismatch = "fail";
static struct hookctx hk = { .env = "", .timeout_s = 300 };
static struct migdir md;
static struct ledger lg;

/* -U: the records are kept and written at the end as one object in upstream Confiture's shape. */
static int Uflag, Uput;
static json_t *urecs;

/* One output record: a JSON line with "kind" first, or a text line. */
static void
emit(json_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
emit(json_t *o, const char *fmt, ...)
{
	va_list ap;

	if (Uflag) {
		json_array_append_new(urecs, o);
		return;
	}
	if (jflag) {
		jsonl_put(o);
		return;
	}
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	flush_stdout();
	json_decref(o);
}

static int
cmd_status(const char *arg)
{
	(void)arg;
	int rc = ledger_read(&lg, 0), npend = 0, nbad = 0, napplied = 0;
	size_t i = 0, j = 0;
	struct applied *order;

	if (rc != EX_OK && rc != EX_NOTRACK)
		return rc;
	if (rc == EX_NOTRACK)
		warnx("tracking table %s does not exist in database \"%s\": every migration is pending", lg.name, lg.dbname);
	/* rows sorted by version (shallow copies), to walk beside the files */
	order = xcalloc(lg.nrows + 1, sizeof *order);
	if (lg.nrows) {
		memcpy(order, lg.rows, lg.nrows * sizeof *order);
		qsort(order, lg.nrows, sizeof *order, byversion);
	}
	while (i < md.n || j < lg.nrows) {
		const struct migration *m = i < md.n ? &md.v[i] : NULL;
		const struct applied *a = j < lg.nrows ? &order[j] : NULL;
		int c = !m ? 1 : !a ? -1 : strcmp(m->version, a->version);
		const char *state;

		if (c == 0) {
			state = a->checksum[0] && strcmp(a->checksum, m->checksum) ? "checksum mismatch" : "applied";
			i++, j++;
		} else if (c < 0) {
			state = m->py && !m->up ? "pending (python, not supported)" : "pending";
			a = NULL;
			i++;
		} else {
			state = "file missing";
			m = NULL;
			j++;
		}
		if (strcmp(state, "applied") == 0)
			napplied++;
		else if (strncmp(state, "pending", 7) == 0)
			npend++;
		else
			nbad++;
		emit(json_pack("{s:s, s:o, s:o, s:s, s:o, s:o, s:o}", "kind", "migration",
		    "version", jsonl_str(m ? m->version : a->version), "name", jsonl_str(m ? m->name : a->name), "state", state,
		    "applied_at", jsonl_str(a ? a->applied_at : NULL), "checksum", jsonl_str(a ? a->checksum : m->checksum),
		    "file", jsonl_str(m ? (m->up ? m->up : m->py) : NULL)),
		    "%-16s %-32s %-18s %s", m ? m->version : a->version, m ? m->name : a->name, state,
		    a ? a->applied_at : "-");
	}
	free(order);
	if (!jflag)
		warnx("%d applied, %d pending, %d changed or missing", napplied, npend, nbad);
	return rc == EX_NOTRACK ? EX_NOTRACK : npend + nbad ? EX_FAIL : EX_OK;
}

static int
cmd_current(const char *arg)
{
	(void)arg;
	int rc = ledger_read(&lg, 1);
	const struct applied *a;

	if (rc != EX_OK)
		return rc;
	a = lg.nrows ? &lg.rows[lg.nrows - 1] : NULL;
	if (a || jflag)
		emit(json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", "current", "version", jsonl_str(a ? a->version : NULL),
		    "name", jsonl_str(a ? a->name : NULL), "applied_at", jsonl_str(a ? a->applied_at : NULL),
		    "checksum", jsonl_str(a ? a->checksum : NULL)), "%s", a ? a->version : "");
	return EX_OK;
}

/* Apply (up) or revert (down) one migration and record it in the same transaction. */
static int
run_one(const struct migration *m, const struct migfile *mf, int up)
{
	const char *dir = up ? "up" : "down", *done = nflag ? (up ? "would apply" : "would revert")
	    : (up ? "applied" : "reverted");
	double t0;
	long ms;
	int rc, held, lost = 0;

	if (nflag && mf->notx) {
		emit(json_pack("{s:s, s:o, s:o, s:s, s:s, s:b, s:s}", "kind", "migration", "version", jsonl_str(m->version),
		    "name", jsonl_str(m->name), "direction", dir, "status", "not tried", "transactional", 0, "reason", mf->notx_why),
		    "not tried %s_%s: runs outside a transaction (%s at %s:%ld)", m->version, m->name, mf->notx_why,
		    mf->notx_pos.file, mf->notx_pos.line);
		return EX_OK;
	}
	if (!nflag && (rc = hooks_run_for(&hk, "before-each", m, dir)) == EX_OK && sig_caught)
		rc = EX_FAIL;
	if (!nflag && rc != EX_OK) {
		warnx("stopped before %s_%s", m->version, m->name);
		return rc;
	}
	if (mf->notx)
		warnx("%s_%s runs outside a transaction (%s at %s:%ld)", m->version, m->name, mf->notx_why,
		    mf->notx_pos.file, mf->notx_pos.line);
	t0 = clock_ms();
	/* a dry run keeps each migration's effects for the next one, then rolls them all back */
	rc = mf->notx ? EX_OK : pg_run(lg.conn, nflag ? "SAVEPOINT confiture_dry_run" : "BEGIN");
	if (rc == EX_OK)
		rc = hooks_run_sql(lg.conn, hk.dir, "before-each.sql", !mf->notx);
	if (rc == EX_OK)
		rc = migfile_apply(lg.conn, mf, !mf->notx, 0);
	if (rc == EX_OK)
		rc = hooks_run_sql(lg.conn, hk.dir, "after-each.sql", !mf->notx);
	ms = (long)(clock_ms() - t0 + 0.5);
	/* the ledger is written as the session user, with the tool's settings, and the reset is
	   committed with it: the next migration starts from the state the first one had (the
	   session was reset once at the start, and a rollback undoes SET) */
	if (rc == EX_OK)
		rc = session_reset(lg.conn);
	/* a migration or an SQL hook can release the lock (pg_advisory_unlock_all()): another
	   runner may then have started, so this one stops before the row says it is done */
	if (rc == EX_OK && lg.locked && (held = ledger_lock_held(&lg)) != 1) {
		lost = held == 0;
		rc = lost ? EX_FAIL : pg_failed(lg.conn);
	}
	if (rc == EX_OK && !nflag)
		rc = up ? (ledger_record(&lg, m->version, m->name, ms, m->checksum, NULL) == 0 ? EX_OK : EX_FAIL)
		    : (ledger_forget(&lg, m->version) == 0 ? EX_OK : EX_FAIL);
	/* the row's identity column drew from a sequence: the next migration's lastval() must not see it */
	if (rc == EX_OK && !nflag)
		rc = pg_run(lg.conn, "DISCARD SEQUENCES");
	if (!mf->notx && PQstatus(lg.conn) == CONNECTION_OK) {
		int r2 = pg_run(lg.conn, nflag ? (rc == EX_OK ? "RELEASE SAVEPOINT confiture_dry_run"
		    : "ROLLBACK TO SAVEPOINT confiture_dry_run") : rc == EX_OK ? "COMMIT" : "ROLLBACK");

		if (rc == EX_OK)
			rc = r2;
	}
	if (rc != EX_OK) {
		if (lost && mf->notx)
			warnx("%s_%s released the migration lock, so another runner could start: its %ld statement%s ran "
			    "outside a transaction and stay%s, but it is not recorded", m->version, m->name, mf->nstmt,
			    mf->nstmt == 1 ? "" : "s", mf->nstmt == 1 ? "s" : "");
		else if (lost)
			warnx("%s_%s released the migration lock, so another runner could start: it is rolled back and "
			    "not recorded", m->version, m->name);
		else if (mf->notx)
			warnx("%s_%s failed outside a transaction: what ran before the error stays, and it is not recorded",
			    m->version, m->name);
		emit(json_pack("{s:s, s:o, s:o, s:s, s:s, s:i}", "kind", "migration", "version", jsonl_str(m->version),
		    "name", jsonl_str(m->name), "direction", dir, "status", "failed", "exit", rc),
		    "failed %s_%s", m->version, m->name);
		return rc;
	}
	emit(json_pack("{s:s, s:o, s:o, s:s, s:s, s:b, s:i, s:i}", "kind", "migration", "version", jsonl_str(m->version),
	    "name", jsonl_str(m->name), "direction", dir, "status", done, "transactional", !mf->notx,
	    "statements", (int)mf->nstmt, "execution_time_ms", (int)ms),
	    "%s %s_%s (%ld statement%s%s, %ld ms%s)", done, m->version, m->name, mf->nstmt,
	    mf->nstmt == 1 ? "" : "s", mf->notx ? " outside a transaction" : "", ms, nflag ? ", rolled back" : "");
	if (!nflag && (rc = hooks_run_for(&hk, "after-each", m, dir)) != EX_OK)
		warnx("stopped after %s_%s", m->version, m->name);
	return rc;
}

/* Run a list of migrations in order, with the run hooks around them. */
static int
run_list(struct migration **list, size_t n, int up)
{
	struct migfile *mf = xcalloc(n + 1, sizeof *mf);
	int rc = EX_OK;

	/* every file is read and classified before the first one runs; an .up.sql was read by
	   migdir_scan, and its bytes move here */
	for (size_t i = 0; i < n && rc == EX_OK; i++) {
		if (up) {
			mf[i].path = list[i]->up;
			mf[i].text = list[i]->text;
			memset(&list[i]->text, 0, sizeof list[i]->text);
		} else {
			rc = migfile_read(list[i]->down, &mf[i]);
		}
		if (rc == EX_OK)
			rc = migfile_scan(&mf[i]);
	}
	if (rc == EX_OK && n && !nflag)
		rc = hooks_run_for(&hk, up ? "before-migrate" : "before-rollback", NULL, up ? "up" : "down");
	if (rc == EX_OK && nflag)
		rc = pg_run(lg.conn, "BEGIN");
	for (size_t i = 0; i < n && rc == EX_OK; i++) {
		if (sig_caught)
			break;
		rc = run_one(list[i], &mf[i], up);
		if (rc == EX_OK && sig_caught) {
			warnx("interrupted: stopped after %s_%s", list[i]->version, list[i]->name);
			rc = EX_FAIL;
		}
	}
	if (nflag && PQstatus(lg.conn) == CONNECTION_OK && PQtransactionStatus(lg.conn) != PQTRANS_IDLE)
		pg_run(lg.conn, "ROLLBACK");
	if (rc == EX_OK && n && !nflag)
		rc = hooks_run_for(&hk, up ? "after-migrate" : "after-rollback", NULL, up ? "up" : "down");
	if (rc == EX_OK && n == 0)
		warnx("nothing to %s", up ? "apply: the database is up to date" : "revert");
	for (size_t i = 0; i < n; i++)
		migfile_free(&mf[i]);
	free(mf);
	return rc;
}

static int
cmd_up(const char *arg)
{
	(void)arg;
	struct migration **list;
	size_t n = 0, bad = 0;
	const char *last = NULL;
	int rc;

	if (target && !migdir_find(&md, target)) {
		warnx("no migration has version %s", target);
		return EX_CONFIG;
	}
	/* a dry run creates nothing: without a table every migration is pending */
	rc = ledger_begin(&lg, Nflag ? -1 : lock_ms, !nflag);
	if (rc != EX_OK && !(rc == EX_NOTRACK && nflag))
		return rc;
	for (size_t i = 0; i < lg.nrows; i++) {
		const struct applied *a = &lg.rows[i];
		const struct migration *m = migdir_find(&md, a->version);

		if (!last || strcmp(a->version, last) > 0)
			last = a->version;
		if (!m) {
			warnx("%s_%s is applied, but its file is missing", a->version, a->name);
		} else if (a->checksum[0] && strcmp(a->checksum, m->checksum) != 0) {
			bad++;
			if (strcmp(onmismatch, "ignore") != 0)
				warnx("%s: changed since it was applied: checksum %s recorded, %s now",
				    m->up ? m->up : m->py, a->checksum, m->checksum);
		}
	}
	if (bad && strcmp(onmismatch, "fail") == 0) {
		warnx("refusing to migrate: %zu applied migration%s changed (see --on-checksum-mismatch)", bad,
		    bad == 1 ? "" : "s");
		return EX_FAIL;
	}
	list = xcalloc(md.n + 1, sizeof *list);
	for (size_t i = 0; i < md.n; i++) {
		struct migration *m = &md.v[i];

		if (ledger_find(&lg, m->version) || (target && strcmp(m->version, target) > 0))
			continue;
		if (!m->up) {
			/* the .up.sql goes beside the .py, where it is found (it wins over the .py) */
			int stem = (int)(strlen(m->py) - strlen(".py"));

			warnx("%s: cannot apply a Python migration: convert it with 'confiture migrate convert-py %s "
			    ">%.*s.up.sql' (and --down for the .down.sql)", m->py, m->py, stem, m->py);
			free(list);
			return EX_CONFIG;
		}
		if (last && strcmp(m->version, last) < 0)
			warnx("%s_%s is older than the last applied migration %s: applying it now", m->version, m->name, last);
		list[n++] = m;
	}
	rc = run_list(list, n, 1);
	free(list);
	return rc;
}

static int
cmd_down(const char *to)
{
	struct migration **list;
	size_t n = 0, missing = 0;
	int rc;

	if ((rc = ledger_begin(&lg, Nflag ? -1 : lock_ms, 0)) != EX_OK) {
		if (rc == EX_NOTRACK)
			warnx("tracking table %s does not exist in database \"%s\"", lg.name, lg.dbname);
		return rc;
	}
	if (to && strcmp(to, "0") != 0 && !ledger_find(&lg, to)) {
		warnx("version %s is not applied", to);
		return EX_CONFIG;
	}
	list = xcalloc(lg.nrows + 1, sizeof *list);
	for (size_t i = lg.nrows; i-- > 0;) {
		const struct applied *a = &lg.rows[i];
		struct migration *m = migdir_find(&md, a->version);

		if (to ? strcmp(a->version, to) <= 0 : (long)n >= steps)
			continue;
		if (!m || !m->down) {
			warnx("%s_%s has no .down.sql: it cannot be reverted", a->version, a->name);
			missing++;
		}
		list[n++] = m;
	}
	if (missing) {
		warnx("nothing was reverted");
		free(list);
		return EX_IRREVERSIBLE;
	}
	rc = run_list(list, n, 0);
	free(list);
	return rc;
}

static int
cmd_baseline(const char *arg)
{
	(void)arg;
	int rc, n = 0;

	if (!target || !migdir_find(&md, target)) {
		warnx(target ? "no migration has version %s" : "baseline needs -T version", target);
		return EX_CONFIG;
	}
	/* a dry run creates nothing: without a table nothing is applied yet */
	rc = ledger_begin(&lg, Nflag ? -1 : lock_ms, !nflag);
	if (rc == EX_NOTRACK && nflag)
		rc = EX_OK;
	if (rc != EX_OK || (!nflag && (rc = pg_run(lg.conn, "BEGIN")) != EX_OK))
		return rc;
	for (size_t i = 0; i < md.n && rc == EX_OK; i++) {
		const struct migration *m = &md.v[i];

		if (strcmp(m->version, target) > 0 || ledger_find(&lg, m->version))
			continue;
		if (!nflag)
			rc = ledger_record(&lg, m->version, m->name, 0, m->checksum, "baseline") == 0 ? EX_OK : EX_FAIL;
		if (rc == EX_OK)
			n++;
		emit(json_pack("{s:s, s:o, s:o, s:s}", "kind", "migration", "version", jsonl_str(m->version),
		    "name", jsonl_str(m->name), "status", nflag ? "would baseline" : "baselined"),
		    "%s %s_%s", nflag ? "would baseline" : "baselined", m->version, m->name);
	}
	if (!nflag && rc == EX_OK)
		rc = pg_run(lg.conn, "COMMIT");
	else if (!nflag)
		pg_run(lg.conn, "ROLLBACK");
	if (rc == EX_OK && !jflag)
		warnx("%d migration%s %smarked as applied through %s", n, n == 1 ? "" : "s",
		    nflag ? "would be " : "", target);
	return rc;
}

static int
cmd_verify(const char *arg)
{
	(void)arg;
	int rc = ledger_read(&lg, 1), failed = 0, ran = 0;

	if (rc != EX_OK)
		return rc;
	for (size_t i = 0; i < lg.nrows; i++) {
		const struct applied *a = &lg.rows[i];
		const struct migration *m = migdir_find(&md, a->version);
		struct migfile mf;
		int r;

		if ((target && strcmp(target, a->version) != 0) || !m || !m->verify)
			continue;
		ran++;
		/* an unreadable file stops the run with the exit any other command gives it */
		if ((r = migfile_read(m->verify, &mf)) != EX_OK) {
			migfile_free(&mf);
			return r;
		}
		r = migfile_verify(lg.conn, &mf);
		migfile_free(&mf);
		failed += r != EX_OK;
		emit(json_pack("{s:s, s:o, s:o, s:s}", "kind", "verification", "version", jsonl_str(m->version), "name", jsonl_str(m->name),
		    "status", r == EX_OK ? "ok" : "failed"), "%s %s_%s", r == EX_OK ? "ok" : "failed", m->version, m->name);
	}
	if (!ran)
		warnx(target ? "migration %s is not applied or has no .verify.sql" : "no applied migration has a .verify.sql%s",
		    target ? target : "");
	return failed ? EX_FAIL : EX_OK;
}

/* Write the -U object of cmd for exit status rc, once. */
static void
upstream_put(const char *cmd, int rc)
{
	const struct migup u = { &lg, &md, nflag, target, onmismatch };
	json_t *o;

	if (!Uflag || Uput++)
		return;
	o = migup_object(&u, cmd, rc, urecs);
	if (json_dumpf(o, stdout, JSON_COMPACT) == 0)
		putchar('\n');
	json_decref(o);
}

/* The commands and the sub-options each one takes; run gets the operand of down-to, else NULL. */
static const struct {
	const char *name, *opts;
	int (*run)(const char *arg);
} commands[] = {
	{ "status", "", cmd_status }, { "current", "", cmd_current }, { "verify", "V", cmd_verify },
	{ "baseline", "nLNT", cmd_baseline }, { "up", "nLNTWH", cmd_up }, { "down", "nLNsH", cmd_down },
	{ "down-to", "nLNH", cmd_down },
};

int
main(int argc, char **argv)
{
	const char *dflag = NULL, *eflag = NULL, *cflag = NULL, *root = ".", *mdir = NULL, *table = NULL, *cmd;
	struct envconfig *env = NULL;
	char *hooks = NULL;
	PGconn *c;
	size_t k;
	int ch, rc;

	diag_init(argv[0]);
	while ((ch = getopt(argc, argv, "+C:c:d:e:jm:t:U")) != -1)
		switch (ch) {
		case 'U': Uflag = jflag = 1; urecs = json_array(); break;
		case 'C': root = optarg; break;
		case 'd': dflag = optarg; break;
		case 'c': cflag = optarg; break;
		case 'e': eflag = optarg; break;
		case 'j': jflag = 1; break;
		case 'm': mdir = optarg; break;
		case 't': table = optarg; break;
		default: usage(USAGE);
		}
	if (optind >= argc)
		usage(USAGE);
	if (table && !config_valid_table(table))
		die(EX_CONFIG, "-t: not a table name: %s", table);
	cmd = argv[optind];
	for (k = 0; k < sizeof commands / sizeof *commands && strcmp(commands[k].name, cmd) != 0; k++)
		;
	if (k == sizeof commands / sizeof *commands)
		die(EX_CONFIG, "unknown command: %s", cmd);
	argc -= optind;
	argv += optind;
	optind = 1;
	while ((ch = getopt(argc, argv, "H:L:nNs:T:V:W:")) != -1) {
		if (ch != '?' && !strchr(commands[k].opts, ch))
			die(EX_CONFIG, "%s does not take -%c", cmd, ch);
		switch (ch) {
		case 'H': hk.dir = optarg; break;
		case 'L': lock_ms = opt_number('L', optarg, 0, "a number of milliseconds"); Lflag = 1; break;
		case 'n': nflag = 1; break;
		case 'N': Nflag = 1; break;
		case 's': steps = opt_number('s', optarg, 1, "a number of steps (1 or more)"); break;
		case 'T': case 'V': target = optarg; break;
		case 'W': onmismatch = optarg; break;
		default: usage(USAGE);
		}
	}
	if ((strcmp(onmismatch, "fail") && strcmp(onmismatch, "warn") && strcmp(onmismatch, "ignore"))
	    || (strcmp(cmd, "down-to") == 0) != (optind + 1 == argc) || (strcmp(cmd, "down-to") && optind != argc))
		usage(USAGE);
	/* like make -C: paths in messages stay relative to the project */
	if (strcmp(root, ".") != 0 && chdir(root) != 0)
		die(EX_CONFIG, "%s: %s", root, strerror(errno));
	/* -c names the environment file itself (upstream's --config), relative to -C */
	if ((eflag || cflag) && !(env = config_load(".", eflag, cflag, &rc))) {
		upstream_put(cmd, rc);
		json_decref(urecs);
		return rc;
	}
	hk.env = env ? env->name : "";
	if (env && env->lock_timeout_ms >= 0 && !Lflag)
		lock_ms = env->lock_timeout_ms;
	if (env && !env->lock_enabled && !Lflag)
		Nflag = 1;
	if (env)
		hk.timeout_s = env->hook_timeout_s;
	if (!hk.dir)
		hk.dir = hooks = xstrdup("db/hooks");
	c = NULL;
	/* a directory named on the command line must exist; the default one may not yet */
	if ((rc = migdir_scan(mdir ? mdir : "db/migrations", mdir != NULL, &md)) != EX_OK)
		goto done;
	/* a hook directory named with -H must exist, like -m; a mistyped one would skip every hook */
	if (strchr(commands[k].opts, 'H') && (rc = hooks_check(hk.dir, hooks == NULL)) != EX_OK)
		goto done;
	hk.conninfo = pg_resolve(dflag, env ? env->database_url : NULL);
	if (!(c = pg_connect(hk.conninfo))) {
		rc = EX_UNREACHABLE;
		goto done;
	}
	pg_notices(c, 0);
	sig_trap();
	if ((rc = session_reset(c)) == EX_OK
	    && (rc = ledger_init(&lg, c, table ? table : env ? env->tracking_table : "tb_confiture")) == EX_OK)
		rc = commands[k].run(argv[optind]);
	if (sig_caught)
		rc = 128 + sig_caught;
	upstream_put(cmd, rc);
	ledger_free(&lg);
done:
	upstream_put(cmd, rc);
	json_decref(urecs);
	PQfinish(c);
	migdir_free(&md);
	config_free(env);
	free(hooks);
	pgq_exit();
	finish_stdout();
	return rc;
}
