/* seedfix: the automatic fixes written as a unified diff, or into the files with --in-place. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seed.h"

static int
by_off(const void *a, const void *b)
{
	const struct seedfix *x = *(const struct seedfix *const *)a, *y = *(const struct seedfix *const *)b;

	return x->off < y->off ? -1 : x->off > y->off;
}

static int
slurp(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "r");
	char chunk[8192];
	size_t n;

	if (!f) {
		warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
	buf_add(b, "", 0);
	return 0;
}

/* The line [*s, *e) of text around offset off. */
static void
line_at(const char *text, size_t len, size_t off, size_t *s, size_t *e)
{
	*s = off;
	while (*s > 0 && text[*s - 1] != '\n')
		(*s)--;
	*e = off;
	while (*e < len && text[*e] != '\n')
		(*e)++;
}

/* One file's fixes (sorted by offset, none overlapping): the diff hunks, one per changed line, or
   the new text written over it. */
static int
fix_file(const char *root, struct seedfix **fx, size_t n, FILE *out, int in_place)
{
	char *path = *fx[0]->file == '/' || !root ? xstrdup(fx[0]->file) : xasprintf("%s/%s", root, fx[0]->file);
	struct buf old = { 0 }, new = { 0 };
	size_t i = 0, at = 0;
	int rc = EX_OK;

	if (slurp(path, &old) < 0) {
		free(path);
		return EX_FAIL;
	}
	if (!in_place)
		fprintf(out, "--- a/%s\n+++ b/%s\n", fx[0]->file, fx[0]->file);
	while (i < n) {
		size_t ls, le, lineno = 1, j;

		line_at(old.data, old.len, (size_t)fx[i]->off, &ls, &le);
		for (size_t k = 0; k < ls; k++)
			lineno += old.data[k] == '\n';
		buf_add(&new, old.data + at, ls - at);
		if (!in_place)
			fprintf(out, "@@ -%zu +%zu @@\n-%.*s\n+", lineno, lineno, (int)(le - ls), old.data + ls);
		at = ls;
		/* every fix on this line */
		for (j = i; j < n && (size_t)fx[j]->off < le; j++) {
			buf_add(&new, old.data + at, (size_t)fx[j]->off - at);
			if (!in_place)
				fwrite(old.data + at, 1, (size_t)fx[j]->off - at, out);
			buf_puts(&new, fx[j]->repl);
			if (!in_place)
				fputs(fx[j]->repl, out);
			at = (size_t)fx[j]->off + fx[j]->oldlen;
		}
		buf_add(&new, old.data + at, le - at);
		if (!in_place) {
			fwrite(old.data + at, 1, le - at, out);
			putc('\n', out);
		}
		at = le;
		i = j;
	}
	buf_add(&new, old.data + at, old.len - at);
	if (in_place) {
		char *tmp = xasprintf("%s.seedcheck-tmp", path);
		FILE *f = fopen(tmp, "w");

		if (!f || fwrite(new.data, 1, new.len, f) != new.len || fclose(f) != 0 || rename(tmp, path) != 0) {
			warnx("%s: cannot write the fixed file: %s", path, strerror(errno));
			remove(tmp);
			rc = EX_FAIL;
		}
		free(tmp);
	}
	buf_free(&old);
	buf_free(&new);
	free(path);
	return rc;
}

int
seed_write_fixes(const struct seedcheck *c, const char *patch, int in_place)
{
	struct seedfix **all = xcalloc(c->nfixes + 1, sizeof *all);
	char *done = xcalloc(c->nfixes + 1, 1);
	FILE *out = NULL;
	int rc = EX_OK;

	if (!in_place && !(out = fopen(patch, "w"))) {
		warnx("%s: %s", patch, strerror(errno));
		free(all);
		free(done);
		return EX_FAIL;
	}
	/* files in the order of their first fix */
	for (size_t i = 0; i < c->nfixes && rc == EX_OK; i++) {
		size_t n = 0;

		if (done[i])
			continue;
		for (size_t j = i; j < c->nfixes; j++)
			if (!done[j] && strcmp(c->fixes[j].file, c->fixes[i].file) == 0) {
				/* the same place found twice (a name read and written) is fixed once */
				int dup = 0;

				for (size_t k = 0; k < n; k++)
					dup |= all[k]->off == c->fixes[j].off;
				done[j] = 1;
				if (!dup)
					all[n++] = &c->fixes[j];
			}
		qsort(all, n, sizeof *all, by_off);
		rc = fix_file(c->o.root, all, n, out, in_place);
	}
	if (out && fclose(out) != 0 && rc == EX_OK) {
		warnx("%s: %s", patch, strerror(errno));
		rc = EX_FAIL;
	}
	free(all);
	free(done);
	return rc;
}
