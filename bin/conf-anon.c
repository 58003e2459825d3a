#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anonscan.h"
#include "anonstream.h"
#include "fsx.h"
#include "modeldb.h"
#include "pgconn.h"
#include "sig.h"

#define USAGE "conf-anon [-r rules] [--key-file file] [--insecure-default-key] [--allow-missing] [--model model] [--limits model] [file ...]\n" \
	"       conf-anon --scan [-r rules] [-d conninfo | model ...]"

static struct anonrules *rules;
static struct maskkey key;

/* --scan: the columns that look like personal data and have no rule. */
static int
scan(const char *dflag, int argc, char **argv)
{
	struct model *m = model_new();
	PGconn *c = NULL;
	long found = 0;
	int rc = EX_OK;

	if (dflag) {
		struct strv none = { 0 };

		if (!(c = pg_connect(pg_resolve(dflag, NULL)))) {
			model_free(m);
			return EX_UNREACHABLE;
		}
		pg_notices(c, 0);
		sig_set_cancel(c);
		if (modeldb_load(c, m, &none, &none) < 0)
			rc = pg_failed(c);
	} else {
		for (int i = 0; i < (argc ? argc : 1) && rc == EX_OK; i++) {
			const char *path = argc ? argv[i] : "-";
			FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

			if (!f) {
				warnx("%s: %s", path, strerror(errno));
				rc = EX_FAIL;
				break;
			}
			if (model_read(m, f, strcmp(path, "-") == 0 ? "<stdin>" : path) < 0)
				rc = EX_SCHEMA;
			if (f != stdin)
				fclose(f);
		}
	}
	/* a rule on a parent covers its children and partitions, as --model makes it in a stream */
	if (rc == EX_OK && rules)
		anonrules_model(rules, m);
	if (rc == EX_OK && (found = anonscan(m, rules, c)) < 0)
		rc = pg_failed(c);
	sig_set_cancel(NULL);
	if (c)
		PQfinish(c);
	model_free(m);
	if (rc != EX_OK)
		return rc;
	finish_stdout();
	return found ? EX_FAIL : EX_OK;
}

/* --model (the source's: rules reach the tables that inherit from or are partitions of a ruled
   table, array columns are masked element by element) or --limits (the target's: its column
   lengths bound the masked values). */
static int
read_model(const char *path, void (*use)(struct anonrules *, const struct model *))
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct model *m;
	int rc = EX_OK;

	if (!f) {
		warnx("%s: %s", path, strerror(errno));
		return EX_CONFIG;
	}
	m = model_new();
	if (model_read(m, f, path) < 0)
		rc = EX_CONFIG;
	else
		use(rules, m);
	if (f != stdin)
		fclose(f);
	model_free(m);
	return rc;
}

/* A key shorter than this is guessable by brute force, and the masked values with it. */
#define KEY_MIN 16

/* -1 (said) for a key of fewer than KEY_MIN bytes from src, unless insecure (then a warning). */
static int
short_key(const char *src, size_t n, int insecure)
{
	if (n >= KEY_MIN)
		return 0;
	if (!insecure) {
		warnx("%s: the key has %zu bytes, fewer than %d: use a longer one (--insecure-default-key for tests only)",
		    src, n, KEY_MIN);
		return -1;
	}
	warnx("WARNING: %s: the key has %zu bytes, fewer than %d: --insecure-default-key lets it through; never use it for real data",
	    src, n, KEY_MIN);
	return 0;
}

/* The masking key: --key-file, else CONFITURE_ANON_KEY; never the rules file. */
static int
load_key(const char *keyfile, int insecure)
{
	struct buf b = { 0 };
	const char *env = getenv("CONFITURE_ANON_KEY");

	if (keyfile) {
		if (read_file(keyfile, &b) < 0) {
			buf_free(&b);
			return EX_CONFIG;
		}
		/* a file written by echo ends in a newline that is not part of the key, and one
		   written on Windows in CR LF: the same text as CONFITURE_ANON_KEY gives the same key */
		if (b.len && b.data[b.len - 1] == '\n')
			b.data[--b.len] = 0;
		if (b.len && b.data[b.len - 1] == '\r')
			b.data[--b.len] = 0;
		if (!b.len) {
			warnx("%s: the key file is empty", keyfile);
			buf_free(&b);
			return EX_CONFIG;
		}
		if (short_key(keyfile, b.len, insecure) < 0) {
			buf_free(&b);
			return EX_CONFIG;
		}
		mask_key_init(&key, b.data, b.len);
		buf_free(&b);
	} else if (env && *env) {
		if (short_key("CONFITURE_ANON_KEY", strlen(env), insecure) < 0)
			return EX_CONFIG;
		mask_key_init(&key, env, strlen(env));
	} else if (insecure) {
		static const char pub[] = "confiture insecure default key";

		warnx("WARNING: --insecure-default-key: the key is public, anyone can recompute the masked values "
		      "from guessed originals; never use it for real data");
		mask_key_init(&key, pub, sizeof pub - 1);
	} else {
		warnx("no masking key: set CONFITURE_ANON_KEY or give --key-file (--insecure-default-key for tests only)");
		return EX_CONFIG;
	}
	return EX_OK;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "insecure-default-key", no_argument, NULL, 'I' },
		{ "allow-missing", no_argument, NULL, 'M' },
		{ "scan", no_argument, NULL, 'S' },
		{ "limits", required_argument, NULL, 'L' },
		{ "model", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rflag = NULL, *keyfile = NULL, *dflag = NULL, *limits = NULL, *model = NULL;
	int c, insecure = 0, allow_missing = 0, Sflag = 0, rc = EX_OK;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "d:r:", lo, NULL)) != -1)
		switch (c) {
		case 'd': dflag = optarg; break;
		case 'S': Sflag = 1; break;
		case 'L': limits = optarg; break;
		case 'm': model = optarg; break;
		case 'r': rflag = optarg; break;
		case 'K': keyfile = optarg; break;
		case 'I': insecure = 1; break;
		case 'M': allow_missing = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (((limits || model) && !rflag) || (dflag && !Sflag)
	    || (Sflag && (keyfile || insecure || allow_missing || limits || model || (dflag && argc))))
		usage(USAGE);
	if (argc == 0 && isatty(0) && !dflag)
		usage(USAGE);
	if (Sflag) {
		if (rflag && !(rules = anonrules_load(rflag)))
			return EX_CONFIG;
		sig_trap();
		rc = scan(dflag, argc, argv);
		anonrules_free(rules);
		return rc;
	}
	if (rflag) {
		if (!(rules = anonrules_load(rflag)))
			return EX_CONFIG;
		if ((rc = load_key(keyfile, insecure)) != EX_OK) {
			anonrules_free(rules);
			return rc;
		}
		/* the model first: the rules it derives for children get their own limits */
		if ((model && (rc = read_model(model, anonrules_model)) != EX_OK)
		    || (limits && (rc = read_model(limits, anonrules_limits)) != EX_OK)) {
			anonrules_free(rules);
			return rc;
		}
		anonrules_prepare(rules, &key);
	}
	sig_trap();
	for (int i = 0; i < (argc ? argc : 1) && rc == EX_OK && !sig_caught; i++)
		rc = anon_stream(argc ? argv[i] : "-", rules, &key);
	/* a failed write was reported where it happened, naming standard output */
	if (anon_flush() < 0 && rc == EX_OK)
		rc = EX_FAIL;
	if (sig_caught && rc < 128)
		rc = 128 + sig_caught;
	if (rc == EX_OK && !anon_write_failed() && rules && !allow_missing && anonrules_report_missing(rules) > 0)
		rc = EX_FAIL;
	anonrules_free(rules);
	anon_end();
	if (rc == EX_OK)
		finish_stdout();
	return rc;
}
