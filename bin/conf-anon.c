#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

#define USAGE "conf-anon [-r rules] [--key-file file] [--insecure-default-key] [--allow-missing] [file ...]"

/* Copy one input to stdout unchanged (no rules: the stream passes byte for byte). */
static int
pass(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char b[65536];
	size_t n;

	if (!f) {
		warnx("%s: %s", path, strerror(errno));
		return EX_FAIL;
	}
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		if (fwrite(b, 1, n, stdout) != n)
			break;
	if (ferror(f)) {
		warnx("%s: %s", path, strerror(errno));
		return EX_FAIL;
	}
	if (f != stdin)
		fclose(f);
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
		{ NULL, 0, NULL, 0 },
	};
	const char *rflag = NULL, *keyfile = NULL;
	int c, insecure = 0, allow_missing = 0, rc = EX_OK;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "r:", lo, NULL)) != -1)
		switch (c) {
		case 'r': rflag = optarg; break;
		case 'K': keyfile = optarg; break;
		case 'I': insecure = 1; break;
		case 'M': allow_missing = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	(void)rflag, (void)keyfile, (void)insecure, (void)allow_missing;
	for (int i = 0; i < (argc ? argc : 1) && rc == EX_OK; i++)
		rc = pass(argc ? argv[i] : "-");
	if (rc == EX_OK)
		finish_stdout();
	return rc;
}
