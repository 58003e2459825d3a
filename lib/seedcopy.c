/* seedcopy: seeds written back as SQL, long INSERT ... VALUES lists as COPY (one round trip,
   no parse of every row by the server). */
#include <stdio.h>
#include <string.h>

#include "seed.h"

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
seed_write_copy(const struct seedcheck *c, long threshold)
{
	for (size_t i = 0; i < c->nst; i++) {
		const struct seedstmt *s = &c->st[i];

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
