#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "sig.h"
#include "sortout.h"
#include "sqlclass.h"

#define USAGE "conf-sort [-o file] [file ...]\n       conf-sort -M [-e env] [-C dir] [-c file]"

/* -M: the environment's build.sort_mode. */
static int
print_mode(const char *root, const char *env, const char *file)
{
	int rc = EX_OK;
	struct envconfig *c = config_load(root, env, file, &rc);

	if (!c)
		return rc;
	printf("%s\n", c->sort_deps ? "dependencies" : c->sort_hex ? "hex" : "alphabetical");
	config_free(c);
	finish_stdout();
	return EX_OK;
}

int
main(int argc, char **argv)
{
	const char *oflag = NULL, *eflag = NULL, *Cflag = ".", *cfile = NULL;
	struct sortin *S;
	int c, Mflag = 0, rc = EX_OK;

	diag_init(argv[0]);
	while ((c = getopt(argc, argv, "C:c:e:Mo:")) != -1)
		switch (c) {
		case 'C': Cflag = optarg; break;
		case 'c': cfile = optarg; break;
		case 'e': eflag = optarg; break;
		case 'M': Mflag = 1; break;
		case 'o': oflag = optarg; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (!Mflag && (eflag || cfile || strcmp(Cflag, ".") != 0))
		usage(USAGE);
	if (Mflag && (argc > 0 || oflag))
		usage(USAGE);
	if (Mflag)
		return print_mode(Cflag, eflag, cfile);
	if (argc == 0 && isatty(0))
		usage(USAGE);
	if (oflag && !*oflag) {
		warnx("-o needs a non-empty name");
		return EX_CONFIG;
	}
	sig_trap();
	S = sortin_new();
	for (int i = 0; i < (argc ? argc : 1) && rc == EX_OK && !sig_caught; i++)
		rc = sortin_read(S, argc ? argv[i] : "-", argc);
	if (rc == EX_OK && !sig_caught)
		rc = sortin_write(S, oflag);
	/* a read or write the signal cut short failed because of it */
	if (sig_caught && rc < 128) {
		warnx("interrupted: nothing was written");
		rc = 128 + sig_caught;
	}
	sortin_free(S);
	pgq_exit();
	if (rc == EX_OK)
		finish_stdout();
	return rc;
}
