/* conf-seedcheck: check seed data in five levels (files, schema, resolvers, database, full load). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "jsonl.h"
#include "pgconn.h"
#include "seed.h"
#include "sig.h"
#include "sqlclass.h"

#define USAGE "conf-seedcheck [-jp] [-l level] [-m model] [-S schema.sql] [-d conninfo] [-e env] [-C dir]\n" \
	"       [-t table]... [--prep-schema name] [--catalog-schema name] [--mode standard|comprehensive]\n" \
	"       [--no-stop-on-critical] [--fix patch | --in-place] [file ...]\n" \
	"       conf-seedcheck -w rows [--markers] [-m model] [file ...]"

enum { O_PREP = 256, O_CATALOG, O_MODE, O_STOP, O_NOSTOP, O_FIX, O_INPLACE, O_MARKERS };

/* After a level: whether to go on (stop_on_critical stops after a level with a CRITICAL finding). */
static int
go_on(struct seedcheck *c, int level, int max, int stop)
{
	if (level >= max)
		return 0;
	if (stop && c->level_crit) {
		warnx("stopped after level %d: CRITICAL findings", level);
		return 0;
	}
	c->level_crit = 0;
	return 1;
}

/* With -S: a scratch database beside the one conninfo names, created empty for the check and
   dropped after it: its name in *name; the maintenance connection returned (NULL after a message). */
static PGconn *
scratch(const char *conninfo, char **name, char **url, int *rc)
{
	char *mconn = pg_with_dbname(conninfo, "postgres"), *sql;
	PGconn *m;

	*name = *url = NULL;
	*rc = EX_CONFIG;
	if (!mconn)
		return NULL;
	m = pg_connect(mconn);
	free(mconn);
	*rc = EX_UNREACHABLE;
	if (!m)
		return NULL;
	*name = xasprintf("confiture_seedcheck_%ld", (long)getpid());
	sql = xasprintf("CREATE DATABASE \"%s\"", *name);
	/* a role without CREATEDB fails here: exit 1, the server said why */
	if ((*rc = pg_run(m, sql)) != EX_OK) {
		free(sql);
		free(*name);
		*name = NULL;
		PQfinish(m);
		return NULL;
	}
	free(sql);
	*url = pg_with_dbname(conninfo, *name);
	return m;
}

/* Levels 2 to max after level 1: the model's, then the database's. */
static int
levels(struct seedcheck *c, int max, int stop, const char *schema, const char *conninfo)
{
	PGconn *pg, *m = NULL;
	char *name = NULL, *url = NULL;
	int rc;

	if (go_on(c, 1, max, stop) && c->o.prep_pattern) {
		seed_level2(c);
		if (go_on(c, 2, max, stop))
			seed_level3(c);
	}
	if (max < 4)
		return EX_OK;
	if (stop && c->counts[SV_CRITICAL]) {
		warnx("stopped after level 3: CRITICAL findings");
		return EX_OK;
	}
	if (schema && !(m = scratch(conninfo, &name, &url, &rc)))
		return rc;
	if (!(pg = pg_connect(url ? url : conninfo))) {
		rc = EX_UNREACHABLE;
	} else {
		/* SIGINT or SIGTERM cancels the running query: a resolver on many rows can take long */
		sig_set_cancel(pg);
		rc = seed_dblevels(c, pg, schema, max, stop);
		sig_set_cancel(NULL);
		PQfinish(pg);
	}
	if (m) {
		char *sql = xasprintf("DROP DATABASE IF EXISTS \"%s\"", name);

		if (pg_run(m, sql) != EX_OK && rc == EX_OK)
			rc = EX_FAIL;
		free(sql);
		PQfinish(m);
	}
	free(name);
	free(url);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "level", required_argument, NULL, 'l' },
		{ "model", required_argument, NULL, 'm' },
		{ "prep-seed", no_argument, NULL, 'p' },
		{ "schema", required_argument, NULL, 'S' },
		{ "table", required_argument, NULL, 't' },
		{ "write-copy", required_argument, NULL, 'w' },
		{ "prep-schema", required_argument, NULL, O_PREP },
		{ "catalog-schema", required_argument, NULL, O_CATALOG },
		{ "mode", required_argument, NULL, O_MODE },
		{ "stop-on-critical", no_argument, NULL, O_STOP },
		{ "no-stop-on-critical", no_argument, NULL, O_NOSTOP },
		{ "fix", required_argument, NULL, O_FIX },
		{ "in-place", no_argument, NULL, O_INPLACE },
		{ "markers", no_argument, NULL, O_MARKERS },
		{ NULL, 0, NULL, 0 },
	};
	struct seedcheck c = { .o = { .prep = NULL, .catalog = NULL } };
	const char *mflag = NULL, *Sflag = NULL, *dflag = NULL, *eflag = NULL, *Cflag = ".", *fixfile = NULL;
	struct envconfig *env = NULL;
	int ch, max = 0, stop = 1, rc = EX_OK, in_place = 0, markers = 0;
	long wrows = 0;

	diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "C:d:e:jl:m:pS:t:w:", longopts, NULL)) != -1)
		switch (ch) {
		case 'C': Cflag = optarg; break;
		case 'd': dflag = optarg; break;
		case 'e': eflag = optarg; break;
		case 'j': c.o.json = 1; break;
		case 'l': max = (int)opt_number('l', optarg, 1, "a level from 1 to 5"); break;
		case 'm': mflag = optarg; break;
		case 'p': c.o.prep_pattern = 1; break;
		case 'S': Sflag = optarg; break;
		case 't': strv_add(&c.o.tables, optarg); break;
		case 'w': wrows = opt_number('w', optarg, 1, "a number of rows"); break;
		case O_PREP: c.o.prep = optarg; break;
		case O_CATALOG: c.o.catalog = optarg; break;
		case O_MODE:
			if (strcmp(optarg, "comprehensive") == 0)
				c.o.comprehensive = 1;
			else if (strcmp(optarg, "standard") != 0)
				usage(USAGE);
			break;
		case O_STOP: stop = 1; break;
		case O_NOSTOP: stop = 0; break;
		case O_FIX: fixfile = optarg; break;
		case O_INPLACE: in_place = 1; break;
		case O_MARKERS: markers = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	/* upstream's default level is 3; without the model only level 1 can run */
	if (max == 0)
		max = mflag ? 3 : 1;
	if (max > 5)
		die(EX_CONFIG, "-l wants a level from 1 to 5, not %d", max);
	if ((fixfile || in_place) && (max < 3 || !c.o.prep_pattern || (fixfile && in_place)))
		die(EX_CONFIG, "--fix PATCH or --in-place: the fixes of level 3, which needs -p and -l 3 or more");
	if (argc == 0 && isatty(0))
		usage(USAGE);
	if (c.o.prep_pattern && max >= 2 && !mflag)
		die(EX_CONFIG, "levels 2 to 5 of the prep-seed checks need the schema model: -m (conf-parse -m of db/schema)");
	if (eflag && !(env = config_load(Cflag, eflag, NULL, &rc)))
		return rc;
	/* options first, then the environment's seed: section, then upstream's defaults */
	if (!c.o.prep)
		c.o.prep = env && env->seed_prep_schema ? env->seed_prep_schema : "prep_seed";
	if (!c.o.catalog)
		c.o.catalog = env && env->seed_catalog_schema ? env->seed_catalog_schema : "catalog";
	if (c.o.tables.n == 0 && env)
		for (size_t i = 0; i < env->seed_tables.n; i++)
			strv_add(&c.o.tables, env->seed_tables.v[i]);
	c.o.root = Cflag;
	if (mflag) {
		FILE *f = fopen(mflag, "r");

		if (!f)
			die(EX_CONFIG, "%s: cannot open the model", mflag);
		c.m = model_new();
		if (model_read(c.m, f, mflag) < 0) {
			fclose(f);
			return EX_SCHEMA;
		}
		fclose(f);
	}
	sig_trap();
	jsonl_buffered(1);
	/* -w: findings counted, not printed: the output is the SQL */
	c.o.quiet = wrows > 0;
	/* level 1 while reading: a file that does not parse is reported, the others are still read,
	   and the run ends after level 1 (exit 4) */
	if (argc == 0)
		rc = seed_read(&c, "-");
	for (int i = 0; i < argc && !sig_caught; i++) {
		int frc = seed_read(&c, argv[i]);

		if (frc != EX_OK && rc == EX_OK)
			rc = frc;
	}
	if (wrows > 0)
		rc = rc == EX_OK && !sig_caught && seed_write_copy(&c, wrows, markers) < 0 ? EX_FAIL : rc;
	else if (rc == EX_OK && !sig_caught)
		rc = levels(&c, max, stop, Sflag, pg_resolve(dflag, env ? env->database_url : NULL));
	/* the fixes of what was found, whatever the later levels said */
	if ((fixfile || in_place) && (rc == EX_OK || rc == EX_FAIL) && !sig_caught) {
		int frc = seed_write_fixes(&c, fixfile, in_place);

		if (frc != EX_OK)
			rc = frc;
		else if (c.nfixes)
			warnx("%zu fixes %s %s", c.nfixes, in_place ? "written into the files" : "written to", in_place ? "" : fixfile);
	}
	if (sig_caught) {
		warnx("interrupted");
		rc = 128 + sig_caught;
	} else if (rc == EX_OK && wrows == 0 && (c.counts[SV_ERROR] || c.counts[SV_CRITICAL])) {
		rc = EX_FAIL;
	}
	seed_free(&c);
	model_free(c.m);
	strv_free(&c.o.tables);
	config_free(env);
	pgq_exit();
	finish_stdout();
	return rc;
}
