/* t-pgfp: lib/pgfp's fingerprint of statements beside libpg_query's pg_query_fingerprint.
   t-pgfp SQL...   one line per statement: libpg_query's fingerprint, ours (or -), and "same",
                   "DIFFERS" or "left to libpg_query: why"
   t-pgfp -        the same over conf-parse's records on stdin (their "sql"), then one summary line:
                   "N statements: S same, D differ, L left to libpg_query, R records not
                   libpg_query's" (R: records whose "fingerprint" is not pg_query_fingerprint's; each
                   difference and each reason on stderr)
   Exit status 0, or 1 when a fingerprint differs. */
#include <jansson.h>
#include <pg_query.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgfp.h"
#include "ptree.h"

static struct ptarena arena;

/* 0 same, 1 differs, 2 left to libpg_query (*why), 3 not parsed */
static int
check(const char *sql, char theirs[17], char ours[17], const char **why)
{
	PgQueryFingerprintResult f = pg_query_fingerprint(sql);
	PgQueryParseResult p = pg_query_parse(sql);
	const struct pt *t;
	uint64_t h;
	int deep = 0, r = 3;

	snprintf(theirs, 17, "%s", f.error ? "-" : f.fingerprint_str);
	snprintf(ours, 17, "-");
	*why = NULL;
	if (!f.error && !p.error) {
		pt_reset(&arena);
		if (!(t = pt_load(&arena, p.parse_tree, 20000, &deep)))
			*why = deep ? "too deep for the light reader" : "the light reader refused the JSON";
		else if (pgfp_tree(t, sql, &h, why) == 0)
			snprintf(ours, 17, "%016" PRIx64, h);
		r = *why ? 2 : strcmp(theirs, ours) != 0;
	}
	pg_query_free_fingerprint_result(f);
	pg_query_free_parse_result(p);
	return r;
}

int
main(int argc, char **argv)
{
	static const char *word[] = { "same", "DIFFERS", "left to libpg_query: ", "not parsed" };
	char theirs[17], ours[17], *line = NULL;
	const char *why;
	size_t cap = 0;
	long n = 0, cnt[4] = { 0 }, recs = 0;
	int bad = 0;

	if (argc == 2 && strcmp(argv[1], "-") == 0) {
		while (getline(&line, &cap, stdin) > 0) {
			json_t *rec = json_loads(line, 0, NULL);
			const char *sql = json_string_value(json_object_get(rec, "sql"));
			const char *fp = json_string_value(json_object_get(rec, "fingerprint"));
			int r;

			if (sql) {
				n++;
				cnt[r = check(sql, theirs, ours, &why)]++;
				if (!fp || strcmp(fp, theirs) != 0) {
					recs++;
					fprintf(stderr, "record: %s, not %s: %.300s\n", fp ? fp : "none", theirs, sql);
				}
				if (r == 1)
					fprintf(stderr, "differs: %s %s: %.300s\n", theirs, ours, sql);
				else if (r == 2)
					fprintf(stderr, "left to libpg_query: %s: %.100s\n", why, sql);
			}
			json_decref(rec);
		}
		free(line);
		printf("%ld statements: %ld same, %ld differ, %ld left to libpg_query, %ld records not "
		    "libpg_query's\n", n, cnt[0], cnt[1], cnt[2], recs);
		bad = cnt[1] > 0 || recs > 0;
	} else {
		for (int i = 1; i < argc; i++) {
			int r = check(argv[i], theirs, ours, &why);

			printf("%s %s %s%s\n", theirs, ours, word[r], r == 2 ? why : "");
			bad |= r == 1;
		}
	}
	pt_free(&arena);
	pg_query_exit();
	return bad;
}
