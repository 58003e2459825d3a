#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fsx.h"
#include "model.h"
#include "modeldb.h"
#include "pgconn.h"
#include "sig.h"
#include "sqlclass.h"

#define USAGE "conf-inspect [-d conninfo] [-e env] [-C dir] [-n schema]... [-N schema]..."

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "schema", required_argument, NULL, 'n' },
		{ "exclude-schema", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dflag = NULL, *eflag = NULL, *Cflag = ".";
	struct strv only = { 0 }, exclude = { 0 };
	struct envconfig *env = NULL;
	struct model *m;
	PGconn *c;
	int ch, rc;

	diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "C:d:e:n:N:", longopts, NULL)) != -1)
		switch (ch) {
		case 'C': Cflag = optarg; break;
		case 'd': dflag = optarg; break;
		case 'e': eflag = optarg; break;
		case 'n': strv_add(&only, optarg); break;
		case 'N': strv_add(&exclude, optarg); break;
		default: usage(USAGE);
		}
	if (optind != argc)
		usage(USAGE);
	if (eflag && !(env = config_load(Cflag, eflag, NULL, &rc)))
		return rc;
	if (!(c = pg_connect(pg_resolve(dflag, env ? env->database_url : NULL)))) {
		rc = EX_UNREACHABLE;
		goto done;
	}
	pg_notices(c, 0);
	sig_trap();
	sig_set_cancel(c);
	m = model_new();
	rc = modeldb_load(c, m, &only, &exclude) == 0 ? EX_OK : pg_failed(c);
	sig_set_cancel(NULL);
	if (sig_caught)
		rc = 128 + sig_caught;
	else if (rc == EX_OK)
		model_write(m);
	model_free(m);
done:
	PQfinish(c);
	config_free(env);
	strv_free(&only);
	strv_free(&exclude);
	pgq_exit();
	finish_stdout();
	return rc;
}
