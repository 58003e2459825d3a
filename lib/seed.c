/* seed: conf-seedcheck's findings, and what the levels share (model look-ups, seed rows). */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "seed.h"
#include "sig.h"

static const char *const sevnames[] = { "INFO", "WARNING", "ERROR", "CRITICAL" };

void
seed_report(struct seedcheck *c, int level, int sev, const char *pattern, const struct srcpos *pos,
    int fixable, const char *suggestion, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	/* after SIGINT or SIGTERM a failure is the cancelled query's, not the seeds' */
	if (sig_caught)
		return;
	va_start(ap, fmt);
	{
		va_list aq;
		int n;

		va_copy(aq, ap);
		n = vsnprintf(NULL, 0, fmt, aq);
		va_end(aq);
		msg = xmalloc((size_t)n + 1);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	}
	va_end(ap);
	c->counts[sev]++;
	if (sev == SV_CRITICAL)
		c->level_crit++;
	if (c->o.quiet) {
		;
	} else if (c->o.json) {
		json_t *o = json_object();

		json_object_set_new(o, "kind", json_string("seed_finding"));
		json_object_set_new(o, "level", json_integer(level));
		json_object_set_new(o, "severity", json_string(sevnames[sev]));
		json_object_set_new(o, "pattern", json_string(pattern));
		json_object_set_new(o, "message", jsonl_str(msg));
		json_object_set_new(o, "file", jsonl_str(pos ? pos->file : NULL));
		json_object_set_new(o, "line", pos && pos->line ? json_integer(pos->line) : json_null());
		json_object_set_new(o, "col", pos && pos->col ? json_integer(pos->col) : json_null());
		json_object_set_new(o, "suggestion", jsonl_str(suggestion));
		json_object_set_new(o, "fixable", json_boolean(fixable));
		jsonl_put(o);
	} else {
		if (pos && pos->file) {
			fputs(pos->file, stdout);
			if (pos->line)
				printf(":%ld", pos->line);
			if (pos->line && pos->col)
				printf(":%ld", pos->col);
			fputs(": ", stdout);
		}
		printf("%s: %s: %s\n", sevnames[sev], pattern, msg);
	}
	free(msg);
}

int
seed_uuid_ok(const char *s)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };

	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char)*s))
				return 0;
		if (*s != (g < 4 ? '-' : '\0'))
			return 0;
		if (g < 4)
			s++;
	}
	return 1;
}

json_t *
seed_table(const struct seedcheck *c, const char *schema, const char *name)
{
	char *q, *id;
	json_t *t;

	if (!c->m)
		return NULL;
	q = model_qname(schema ? schema : "public", name);
	id = xasprintf("table:%s", q);
	t = model_get(c->m, id);
	free(id);
	free(q);
	return t;
}

json_t *
seed_column(json_t *table, const char *name)
{
	size_t i;
	json_t *col;

	json_array_foreach(json_object_get(table, "columns"), i, col) {
		const char *n = json_string_value(json_object_get(col, "name"));

		if (n && strcmp(n, name) == 0)
			return col;
	}
	return NULL;
}

int
seed_wanted(const struct seedcheck *c, const char *name)
{
	if (c->o.tables.n == 0)
		return 1;
	for (size_t i = 0; i < c->o.tables.n; i++) {
		const char *t = c->o.tables.v[i], *dot = strrchr(t, '.');

		if (strcmp(dot ? dot + 1 : t, name) == 0)
			return 1;
	}
	return 0;
}

json_t *
seed_resolver(const struct seedcheck *c, const char *name)
{
	const char *base = strncmp(name, "tb_", 3) == 0 ? name + 3 : name;
	const char *id;
	json_t *rec, *found = NULL;

	/* in any schema: upstream's projects put them beside the prep tables or in a schema of their own */
	json_object_foreach(model_records(c->m), id, rec) {
		const char *fn = json_string_value(json_object_get(rec, "name"));

		if (strncmp(id, "function:", 9) != 0 || !fn || strncmp(fn, "fn_resolve_", 11) != 0)
			continue;
		if (strcmp(fn + 11, name) == 0)
			return rec;
		if (strcmp(fn + 11, base) == 0)
			found = rec;
	}
	return found;
}

char *
seed_fk_target(const char *prepcol)
{
	size_t n = strlen(prepcol);

	if (strncmp(prepcol, "fk_", 3) != 0 || n <= 6 || strcmp(prepcol + n - 3, "_id") != 0)
		return NULL;
	return xstrndup(prepcol, n - 3);
}

const struct seedrow *
seed_row_by_id(const struct seedcheck *c, const char *table, const char *id)
{
	for (size_t i = 0; i < c->nst; i++) {
		const struct seedstmt *s = &c->st[i];

		if (!s->table || strcmp(s->table, table) != 0)
			continue;
		for (size_t r = 0; r < s->nrows; r++)
			if (s->rows[r].id && strcmp(s->rows[r].id, id) == 0)
				return &s->rows[r];
	}
	return NULL;
}

json_t **
seed_prep_tables(const struct seedcheck *c)
{
	const char **ids = model_ids(c->m);
	char *pre = xasprintf("table:%s.", c->o.prep);
	size_t n = 0;
	json_t **out = NULL;

	for (size_t i = 0; ids[i]; i++) {
		json_t *t = model_get(c->m, ids[i]);
		const char *name = json_string_value(json_object_get(t, "name"));

		if (strncmp(ids[i], pre, strlen(pre)) != 0 || strchr(ids[i] + strlen(pre), '.') || !name
		    || !seed_wanted(c, name))
			continue;
		out = xrealloc(out, (n + 2) * sizeof *out);
		out[n++] = t;
	}
	if (!out)
		out = xcalloc(1, sizeof *out);
	out[n] = NULL;
	free(ids);
	free(pre);
	return out;
}

void
seed_free(struct seedcheck *c)
{
	for (size_t i = 0; i < c->nst; i++) {
		struct seedstmt *s = &c->st[i];

		for (size_t r = 0; r < s->nrows; r++) {
			for (size_t k = 0; k < s->cols.n; k++)
				free(s->rows[r].vals ? s->rows[r].vals[k] : NULL);
			free(s->rows[r].vals);
			free(s->rows[r].id);
		}
		free(s->rows);
		free(s->sql);
		free(s->copydata);
		free(s->schema);
		free(s->table);
		strv_free(&s->path);
		free((char *)s->pos.file);
		strv_free(&s->cols);
	}
	free(c->st);
	c->st = NULL;
	c->nst = 0;
	for (size_t i = 0; i < c->nfixes; i++) {
		free(c->fixes[i].file);
		free(c->fixes[i].repl);
	}
	free(c->fixes);
	c->fixes = NULL;
	c->nfixes = 0;
}
