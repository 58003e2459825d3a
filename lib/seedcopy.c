/* seedcopy: seeds written back as SQL, long INSERT ... VALUES lists as COPY (one round trip,
   no parse of every row by the server). */
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "seed.h"

/* The SHA-256 of a file's bytes in hex; 0, or -1 when it cannot be read (stdin, a stream's path). */
static int
file_sha(const char *path, char hex[SHA256_HEX])
{
	FILE *f = fopen(path, "rb");
	struct sha256 *h;
	char chunk[1 << 16];
	size_t n;

	if (!f)
		return -1;
	h = sha256_new();
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sha256_add(h, chunk, n);
	sha256_end(h, hex);
	if (ferror(f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* A marker line before a statement (conf-formats(5)): the reader places what follows at its seed
   file and line, so that conf-apply reports an error there. Only for a file that can be read,
   and only when its path can stand in a marker. */
static void
marker(const struct seedstmt *s, const char **last, char hex[SHA256_HEX], int *have)
{
	if (!*last || strcmp(*last, s->pos.file) != 0) {
		*last = s->pos.file;
		*have = strcmp(s->pos.file, "<stdin>") != 0 && file_sha(s->pos.file, hex) == 0;
		for (const char *p = s->pos.file; *have && *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*have = 0;
	}
	if (*have && s->pos.line > 0)
		printf("-- confiture:file %s sha256=%s line=%ld\n", s->pos.file, hex, s->pos.line);
}

/* A name always double-quoted: the parse tree's names are already folded, a keyword stays a name. */
static void
put_ident(const char *s)
{
	putchar_unlocked('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar_unlocked('"');
		putchar_unlocked(*s);
	}
	putchar_unlocked('"');
}

/* A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
static void
put_field(const char *v)
{
	if (!v) {
		fputs("\\N", stdout);
		return;
	}
	for (; *v; v++)
		switch (*v) {
		case '\\': fputs("\\\\", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		default: putchar_unlocked(*v);
		}
}

int
seed_write_copy(const struct seedcheck *c, long threshold, int markers)
{
	const char *last = NULL;
	char hex[SHA256_HEX];
	int have = 0;

	for (size_t i = 0; i < c->nst; i++) {
		const struct seedstmt *s = &c->st[i];

		if (markers)
			marker(s, &last, hex, &have);

		if (s->copydata) {
			printf("%s;\n", s->sql);
			fwrite(s->copydata, 1, s->copylen, stdout);
			if (s->copylen && s->copydata[s->copylen - 1] != '\n')
				putchar_unlocked('\n');
			fputs("\\.\n", stdout);
			continue;
		}
		if (!s->copyable || (long)s->nrows < threshold || s->cols.n == 0) {
			printf("%s;\n", s->sql);
			continue;
		}
		fputs("COPY ", stdout);
		if (s->schema) {
			put_ident(s->schema);
			putchar_unlocked('.');
		}
		put_ident(s->table);
		fputs(" (", stdout);
		for (size_t k = 0; k < s->cols.n; k++) {
			if (k)
				fputs(", ", stdout);
			put_ident(s->cols.v[k]);
		}
		fputs(") FROM stdin;\n", stdout);
		for (size_t r = 0; r < s->nrows; r++) {
			for (size_t k = 0; k < s->cols.n; k++) {
				if (k)
					putchar_unlocked('\t');
				put_field(s->rows[r].vals[k]);
			}
			putchar_unlocked('\n');
		}
		fputs("\\.\n", stdout);
	}
	return fflush(stdout) == 0 ? 0 : -1;
}
