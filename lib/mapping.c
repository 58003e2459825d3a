/*
 * The schema-to-schema mapping file: a YAML map of tables (upstream Confiture's shape
 * {key: {source_table, target_table, columns: {src: dst}}}) plus expressions, defaults, a key and
 * a source filter per table. Every refusal names FILE:LINE:COL of the node at fault.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "copytext.h"
#include "fsx.h"
#include "mapping.h"

static int
isnull(const struct ynode *y)
{
	return y->kind == Y_SCALAR && y->plain
	    && (y->str[0] == '\0' || strcmp(y->str, "~") == 0 || strcmp(y->str, "null") == 0
	        || strcmp(y->str, "Null") == 0 || strcmp(y->str, "NULL") == 0);
}

static void bad(const char *file, const struct ynode *y, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Print "FILE:LINE:COL: message" at node y. */
static void
bad(const char *file, const struct ynode *y, const char *fmt, ...)
{
	struct srcpos pos = { file, y->line, y->col };
	va_list ap;

	va_start(ap, fmt);
	vwarnat(&pos, fmt, ap);
	va_end(ap);
}

/* A table name as SQL writes it ("s.t", "t", "\"Mixed\".t") split into *schema and *rel; 0 or -1. */
static int
split_name(const char *s, char **schema, char **rel)
{
	size_t n = strlen(s), k, i;
	char *a = NULL, *b = NULL;

	if (!(k = sql_ident(s, n, &a)))
		return -1;
	i = k;
	if (i < n && s[i] == '.') {
		if (!(k = sql_ident(s + i + 1, n - i - 1, &b))) {
			free(a);
			return -1;
		}
		i += k + 1;
	}
	if (i != n) {
		free(a);
		free(b);
		return -1;
	}
	*schema = b ? a : xstrdup("public");
	*rel = b ? b : a;
	return 0;
}

/* A string scalar (not null) or -1 after a message naming what. */
static int
scalar(const char *file, const struct ynode *y, const char *what, char **out)
{
	if (y->kind != Y_SCALAR || isnull(y)) {
		bad(file, y, "%s wants a string", what);
		return -1;
	}
	*out = xstrdup(y->str);
	return 0;
}

/* A table name value: NULL (~) is allowed, meaning "none". */
static int
table_name(const char *file, const struct ynode *y, const char *what, char **out, char **schema, char **rel)
{
	if (isnull(y))
		return 0;
	if (y->kind != Y_SCALAR || split_name(y->str, schema, rel) != 0) {
		bad(file, y, "%s wants a table name as SQL writes it (schema.table, quoted where needed) or ~",
		    what);
		return -1;
	}
	*out = xstrdup(y->str);
	return 0;
}

static struct mapcol *
addcol(struct maptable *t, const char *file, const struct ynode *at)
{
	struct mapcol *c;

	t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
	c = &t->cols[t->ncols++];
	memset(c, 0, sizeof *c);
	c->pos = (struct srcpos){ file, at->line, at->col };
	return c;
}

/* One "name: value" of columns; 0 or -1 after a message. */
static int
column(struct maptable *t, const char *file, const struct ynode *k, const struct ynode *v)
{
	struct mapcol *c;

	if (k->kind != Y_SCALAR || isnull(k)) {
		bad(file, k, "%s", "a column name is a string");
		return -1;
	}
	if (v->kind == Y_SCALAR) {
		c = addcol(t, file, k);
		c->src = xstrdup(k->str);
		if (!isnull(v))
			c->dst = xstrdup(v->str);
		return 0;
	}
	if (v->kind != Y_MAP || v->n != 2 || v->kids[0]->kind != Y_SCALAR) {
		bad(file, v, "column %s wants a target column name, ~, {expr: \"SQL\"} or {default: true}",
		    k->str);
		return -1;
	}
	if (strcmp(v->kids[0]->str, "expr") == 0) {
		if (isnull(v->kids[1])) {
			bad(file, v->kids[1], "column %s: the expression is not written yet ({expr: ~}): give "
			    "an SQL expression over the source row", k->str);
			return -1;
		}
		if (v->kids[1]->kind != Y_SCALAR || !*v->kids[1]->str) {
			bad(file, v->kids[1], "column %s: expr wants an SQL expression (a string)", k->str);
			return -1;
		}
		c = addcol(t, file, k);
		c->dst = xstrdup(k->str);
		c->expr = xstrdup(v->kids[1]->str);
		return 0;
	}
	if (strcmp(v->kids[0]->str, "default") == 0) {
		if (v->kids[1]->kind != Y_SCALAR || strcmp(v->kids[1]->str, "true") != 0) {
			bad(file, v->kids[1], "column %s: default can only be true (leave the column out "
			    "otherwise)", k->str);
			return -1;
		}
		c = addcol(t, file, k);
		c->dst = xstrdup(k->str);
		c->dflt = 1;
		return 0;
	}
	bad(file, v->kids[0], "unknown key %s: a column entry is {expr: \"SQL\"} or {default: true}",
	    v->kids[0]->str);
	return -1;
}

/* One table entry; 0 or -1 after a message. */
static int
table(struct maptable *t, const char *file, const struct ynode *k, const struct ynode *v)
{
	int seen_src = 0, seen_dst = 0;

	t->pos = (struct srcpos){ file, k->line, k->col };
	if (k->kind != Y_SCALAR) {
		bad(file, k, "%s", "a table's key is a name");
		return -1;
	}
	t->name = xstrdup(k->str);
	if (v->kind != Y_MAP) {
		bad(file, v, "table %s wants a map: source_table, target_table, columns", k->str);
		return -1;
	}
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *a = v->kids[i], *b = v->kids[i + 1];
		const char *w = a->kind == Y_SCALAR ? a->str : "";

		if (strcmp(w, "source_table") == 0) {
			seen_src = 1;
			if (table_name(file, b, "source_table", &t->source, &t->src_schema, &t->src_rel) != 0)
				return -1;
		} else if (strcmp(w, "target_table") == 0) {
			seen_dst = 1;
			if (table_name(file, b, "target_table", &t->target, &t->dst_schema, &t->dst_rel) != 0)
				return -1;
		} else if (strcmp(w, "columns") == 0) {
			t->has_columns = 1;
			if (isnull(b))
				continue;
			if (b->kind != Y_MAP) {
				bad(file, b, "columns of %s wants a map of source column: target column", k->str);
				return -1;
			}
			for (size_t j = 0; j + 1 < b->n; j += 2)
				if (column(t, file, b->kids[j], b->kids[j + 1]) != 0)
					return -1;
		} else if (strcmp(w, "key") == 0) {
			t->keypos = (struct srcpos){ file, b->line, b->col };
			if (b->kind != Y_SEQ || b->n == 0) {
				bad(file, b, "key of %s wants a list of target columns: [col, ...]", k->str);
				return -1;
			}
			t->key = xcalloc(b->n, sizeof *t->key);
			for (size_t j = 0; j < b->n; j++, t->nkey++)
				if (scalar(file, b->kids[j], "a key column", &t->key[j]) != 0)
					return -1;
		} else if (strcmp(w, "where") == 0) {
			if (scalar(file, b, "where", &t->where) != 0)
				return -1;
		} else {
			bad(file, a, "unknown key %s: a table has source_table, target_table, columns, key, where",
			    w);
			return -1;
		}
	}
	if (!seen_src || !seen_dst) {
		if (seen_src)
			bad(file, k, "table %s has no target_table (write ~ for a dropped table)", k->str);
		else
			bad(file, k, "table %s has no source_table (write ~ for a new table)", k->str);
		return -1;
	}
	/* a target column filled twice is a mistake the database would report without a position */
	for (size_t i = 0; i < t->ncols; i++)
		for (size_t j = 0; j < i && t->cols[i].dst; j++)
			if (t->cols[j].dst && strcmp(t->cols[i].dst, t->cols[j].dst) == 0) {
				warnat(&t->cols[i].pos, "target column %s is already filled (line %ld)",
				    t->cols[i].dst, t->cols[j].pos.line);
				return -1;
			}
	return 0;
}

struct mapping *
mapping_parse(const char *file, const char *text, size_t len, int *status)
{
	struct ynode *y = yload(file, text, len);
	struct mapping *m;

	*status = EX_CONFIG;
	if (!y)
		return NULL;
	m = xcalloc(1, sizeof *m);
	m->file = xstrdup(file);
	if (y->kind != Y_MAP) {
		bad(file, y, "%s", "a mapping is a map of tables: {name: {source_table, target_table, columns}}");
		goto fail;
	}
	m->t = xcalloc(y->n / 2 + 1, sizeof *m->t);
	for (size_t i = 0; i + 1 < y->n; i += 2)
		if (table(&m->t[m->n++], file, y->kids[i], y->kids[i + 1]) != 0)
			goto fail;
	ynode_free(y);
	*status = EX_OK;
	return m;
fail:
	ynode_free(y);
	mapping_free(m);
	return NULL;
}

struct mapping *
mapping_load(const char *path, int *status)
{
	struct buf b = { 0 };
	struct mapping *m;

	if (read_file(path, &b) != 0) {
		*status = EX_CONFIG;
		return NULL;
	}
	m = mapping_parse(path, b.data ? b.data : "", b.len, status);
	buf_free(&b);
	return m;
}

struct mapping *
mapping_inline(const char *source, const char *target, const char *spec, int *status)
{
	struct mapping *m = xcalloc(1, sizeof *m);
	struct maptable *t;
	const char *p = spec;

	*status = EX_CONFIG;
	m->file = xstrdup("-c");
	m->t = t = xcalloc(1, sizeof *t);
	m->n = 1;
	t->name = xstrdup(target);
	t->pos = (struct srcpos){ "-T", 0, 0 };
	if (split_name(source, &t->src_schema, &t->src_rel) != 0) {
		warnx("-t %s: not a table name as SQL writes it (schema.table, quoted where needed)", source);
		mapping_free(m);
		return NULL;
	}
	if (split_name(target, &t->dst_schema, &t->dst_rel) != 0) {
		warnx("-T %s: not a table name as SQL writes it (schema.table, quoted where needed)", target);
		mapping_free(m);
		return NULL;
	}
	t->source = xstrdup(source);
	t->target = xstrdup(target);
	t->has_columns = *spec != '\0';
	while (*spec) {
		size_t n = strcspn(p, ","), c = strcspn(p, ":");
		struct srcpos pos = { "-c", 1, (long)(p - spec) + 1 };
		struct mapcol *col;

		if (c >= n || c == 0 || c + 1 == n) {
			warnat(&pos, "%s", "-c wants src:dst pairs separated by commas (a:b,c:d)");
			mapping_free(m);
			return NULL;
		}
		t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
		col = &t->cols[t->ncols++];
		memset(col, 0, sizeof *col);
		col->pos = pos;
		col->src = xstrndup(p, c);
		col->dst = xstrndup(p + c + 1, n - c - 1);
		if (!p[n])
			break;
		p += n + 1;
	}
	*status = EX_OK;
	return m;
}

struct mapping *
mapping_same_names(const char *list, int *status)
{
	struct buf y = { 0 };
	struct mapping *m;

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");

		/* YAML single quotes: only the quote itself is doubled */
		buf_puts(&y, "'");
		for (size_t i = 0; i < n; i++)
			buf_add(&y, p[i] == '\'' ? "''" : p + i, p[i] == '\'' ? 2 : 1);
		buf_puts(&y, "': {source_table: '");
		for (size_t i = 0; i < n; i++)
			buf_add(&y, p[i] == '\'' ? "''" : p + i, p[i] == '\'' ? 2 : 1);
		buf_puts(&y, "', target_table: '");
		for (size_t i = 0; i < n; i++)
			buf_add(&y, p[i] == '\'' ? "''" : p + i, p[i] == '\'' ? 2 : 1);
		buf_puts(&y, "'}\n");
		p += n + (p[n] == ',');
	}
	m = mapping_parse("-t", y.data ? y.data : "", y.len, status);
	buf_free(&y);
	return m;
}

struct maptable *
mapping_find(struct mapping *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++) {
		struct maptable *t = &m->t[i];

		if (strcmp(t->name, name) == 0 || (t->target && strcmp(t->target, name) == 0)
		    || (t->dst_rel && strcmp(t->dst_rel, name) == 0)
		    || (t->source && strcmp(t->source, name) == 0))
			return t;
	}
	return NULL;
}

void
mapping_free(struct mapping *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		struct maptable *t = &m->t[i];

		free(t->name), free(t->source), free(t->target), free(t->where);
		free(t->src_schema), free(t->src_rel), free(t->dst_schema), free(t->dst_rel);
		for (size_t j = 0; j < t->ncols; j++)
			free(t->cols[j].src), free(t->cols[j].dst), free(t->cols[j].expr);
		free(t->cols);
		for (size_t j = 0; j < t->nkey; j++)
			free(t->key[j]);
		free(t->key);
	}
	free(m->t);
	free(m->file);
	free(m);
}
