/* parseloop: the bare libpg_query baseline of the conf-parse benchmark (tests/bench/model.sh).
 * For each file: read it whole, split it with pg_query_split_with_parser (with the scanner when
 * the parser refuses the file, as it does for a file holding one syntax error), then parse every
 * statement alone with pg_query_parse. Prints "STATEMENTS REJECTED": no JSON, no positions, no
 * model: the floor of the work conf-parse does. Built by the benchmark with cc ... -lpg_query. */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* read_all: the whole of PATH, NUL-terminated, or NULL */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = b;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	long stmts = 0, rejected = 0;
	char *piece = NULL;
	size_t piece_cap = 0;
	for (int i = 1; i < argc; i++) {
		char *src = read_all(argv[i]);
		if (!src) {
			perror(argv[i]);
			return 1;
		}
		PgQuerySplitResult sp = pg_query_split_with_parser(src);
		if (sp.error) {
			pg_query_free_split_result(sp);
			sp = pg_query_split_with_scanner(src);
		}
		for (int k = 0; !sp.error && k < sp.n_stmts; k++) {
			size_t len = (size_t)sp.stmts[k]->stmt_len;
			if (piece_cap < len + 1) {
				piece_cap = 2 * (len + 1);
				char *p = realloc(piece, piece_cap);
				if (!p)
					return 1;
				piece = p;
			}
			memcpy(piece, src + sp.stmts[k]->stmt_location, len);
			piece[len] = '\0';
			PgQueryParseResult pr = pg_query_parse(piece);
			stmts++;
			if (pr.error)
				rejected++;
			pg_query_free_parse_result(pr);
		}
		pg_query_free_split_result(sp);
		free(src);
	}
	free(piece);
	printf("%ld %ld\n", stmts, rejected);
	return 0;
}
