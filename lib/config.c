#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config.h"
#include "pgconn.h"

/* An environment file is 4 levels deep; the bound keeps hostile nesting off the stack, and
   stopping early matters too: libyaml's scanner is quadratic in the nesting depth. */
#define MAX_DEPTH 64
/* hooks.timeout in milliseconds still fits an int */
#define MAX_HOOK_TIMEOUT (INT_MAX / 1000)

struct loader {
	yaml_parser_t p;
	const char *file;
	const char *text;
	size_t len;
	int depth;
	int err;
};

void
ynode_free(struct ynode *y)
{
	if (!y)
		return;
	for (size_t i = 0; i < y->n; i++)
		ynode_free(y->kids[i]);
	free(y->kids);
	free(y->str);
	free(y);
}

static void yerr(struct loader *l, const yaml_mark_t *m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
yerr(struct loader *l, const yaml_mark_t *m, const char *fmt, ...)
{
	struct srcpos pos = { l->file, (long)m->line + 1, (long)m->column + 1 };
	va_list ap;

	va_start(ap, fmt);
	if (!l->err)
		vwarnat(&pos, fmt, ap);
	va_end(ap);
	l->err = 1;
}

/* libyaml's reader errors (bad UTF-8, control characters) carry a byte offset, no mark:
   count line breaks as libyaml does, and characters, not bytes, for the column. */
static yaml_mark_t
offset_mark(const struct loader *l, size_t off)
{
	yaml_mark_t m = { 0 };

	for (size_t i = 0; i < off && i < l->len; i++) {
		unsigned char ch = (unsigned char)l->text[i];

		if (ch == '\n' || (ch == '\r' && (i + 1 >= l->len || l->text[i + 1] != '\n'))) {
			m.line++;
			m.column = 0;
		} else if (ch != '\r' && (ch & 0xC0) != 0x80) {
			m.column++;
		}
	}
	return m;
}

static int
next(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->p, ev)) {
		yaml_mark_t m = l->p.error == YAML_READER_ERROR ? offset_mark(l, l->p.problem_offset)
		                                                : l->p.problem_mark;

		yerr(l, &m, "%s", l->p.problem ? l->p.problem : "invalid YAML");
		return -1;
	}
	return 0;
}

static struct ynode *
ynew(int kind, const yaml_event_t *ev)
{
	struct ynode *y = xcalloc(1, sizeof *y);

	y->kind = kind;
	y->line = (long)ev->start_mark.line + 1;
	y->col = (long)ev->start_mark.column + 1;
	return y;
}

/* Text from the file as a message may show it: control bytes as \xHH, at most 80 bytes, so
   that no value can end or fake a message line. */
static char *
shown(const char *s)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (; *s && b.len < 80; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_printf(&b, "\\x%02X", (unsigned)(unsigned char)*s);
		else
			buf_add(&b, s, 1);
	}
	if (*s)
		buf_puts(&b, "...");
	return b.data;
}

static int
keycmp(const void *a, const void *b)
{
	const struct ynode *x = *(struct ynode *const *)a, *y = *(struct ynode *const *)b;
	int c = strcmp(x->str, y->str);

	if (c)
		return c;
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

/* A key written twice would silently override the first: report the first repeat, with
   both positions. Sorting keeps a hostile file with many keys from taking quadratic time. */
static int
dupkeys(struct loader *l, const struct ynode *map)
{
	size_t n = 0;
	struct ynode **k = xcalloc(map->n / 2 + 1, sizeof *k);
	const struct ynode *first = NULL, *again = NULL;

	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->kind == Y_SCALAR)
			k[n++] = map->kids[i];
	qsort(k, n, sizeof *k, keycmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(k[i - 1]->str, k[i]->str) == 0
		    && (!again || k[i]->line < again->line || (k[i]->line == again->line && k[i]->col < again->col))) {
			size_t j = i - 1;

			while (j > 0 && strcmp(k[j - 1]->str, k[i]->str) == 0)
				j--;
			first = k[j];
			again = k[i];
		}
	free(k);
	if (again) {
		yaml_mark_t m = { 0, (size_t)again->line - 1, (size_t)again->col - 1 };

		char *name = shown(again->str);

		yerr(l, &m, "duplicate key %s (first at %ld:%ld)", name, first->line, first->col);
		free(name);
		return -1;
	}
	return 0;
}

static struct ynode *yparse(struct loader *l, yaml_event_t *ev);

/* Takes ownership of ev, a collection's start. */
static struct ynode *
ycollection(struct loader *l, yaml_event_t *ev, int kind, yaml_event_type_t end)
{
	struct ynode *y;
	size_t cap = 0;

	if (l->depth >= MAX_DEPTH) {
		yerr(l, &ev->start_mark, "YAML nesting is deeper than %d levels", MAX_DEPTH);
		yaml_event_delete(ev);
		return NULL;
	}
	y = ynew(kind, ev);
	yaml_event_delete(ev);
	l->depth++;
	for (;;) {
		yaml_event_t e;
		struct ynode *k;

		if (next(l, &e) < 0)
			break;
		if (e.type == end) {
			yaml_event_delete(&e);
			l->depth--;
			if (kind == Y_MAP && dupkeys(l, y) < 0)
				break;
			return y;
		}
		k = yparse(l, &e);
		if (!k)
			break;
		if (y->n == cap) {
			cap = cap ? cap * 2 : 8;
			y->kids = xrealloc(y->kids, cap * sizeof *y->kids);
		}
		y->kids[y->n++] = k;
	}
	ynode_free(y);
	return NULL;
}

/* Takes ownership of ev. */
static struct ynode *
yparse(struct loader *l, yaml_event_t *ev)
{
	struct ynode *y = NULL;
	const yaml_char_t *tag = ev->type == YAML_SCALAR_EVENT ? ev->data.scalar.tag
	    : ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.tag
	    : ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.tag : NULL;

	/* a tag would change what a value means (!!binary, !!int "7"): refuse rather than guess */
	if (tag) {
		yerr(l, &ev->start_mark, "YAML tags are not supported");
		yaml_event_delete(ev);
		return NULL;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		/* "\0" in a quoted string would cut the value short where C reads it */
		if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
			yerr(l, &ev->start_mark, "a string holds a NUL character");
			break;
		}
		y = ynew(Y_SCALAR, ev);
		y->str = xstrndup((char *)ev->data.scalar.value, ev->data.scalar.length);
		y->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		return ycollection(l, ev, Y_SEQ, YAML_SEQUENCE_END_EVENT);
	case YAML_MAPPING_START_EVENT:
		return ycollection(l, ev, Y_MAP, YAML_MAPPING_END_EVENT);
	case YAML_ALIAS_EVENT:
		yerr(l, &ev->start_mark, "YAML aliases are not supported");
		break;
	default:
		yerr(l, &ev->start_mark, "unexpected YAML structure");
		break;
	}
	yaml_event_delete(ev);
	return y;
}

/* The one document of the file; an empty file gives an empty map. */
struct ynode *
yload(const char *file, const char *text, size_t len)
{
	struct loader l = { .file = file, .text = text, .len = len };
	struct ynode *root = NULL;
	yaml_event_t ev;
	int docs = 0;

	yaml_parser_initialize(&l.p);
	yaml_parser_set_input_string(&l.p, (const unsigned char *)text, len);
	while (!l.err && next(&l, &ev) == 0) {
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		/* upstream's yaml.safe_load refuses a second document too */
		if (ev.type == YAML_DOCUMENT_START_EVENT && docs++ > 0)
			yerr(&l, &ev.start_mark, "a second YAML document: the environment file holds one");
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT
		    || ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		root = yparse(&l, &ev);
		if (!root)
			break;
	}
	yaml_parser_delete(&l.p);
	if (l.err) {
		ynode_free(root);
		return NULL;
	}
	if (!root) {
		root = xcalloc(1, sizeof *root);
		root->kind = Y_MAP;
		root->line = root->col = 1;
	}
	return root;
}

/* Config interpretation */

struct ctx {
	struct envconfig *c;
	struct strv unused;  /* upstream keys accepted but not used here */
	int err;
};

static void cerr(struct ctx *x, const struct ynode *y, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
cerr(struct ctx *x, const struct ynode *y, const char *fmt, ...)
{
	struct srcpos pos = { x->c->file, y ? y->line : 0, y ? y->col : 0 };
	va_list ap;

	va_start(ap, fmt);
	if (!x->err)
		vwarnat(&pos, fmt, ap);
	va_end(ap);
	x->err = 1;
}

static int
isnull(const struct ynode *y)
{
	return y->kind == Y_SCALAR && y->plain
	    && (y->str[0] == '\0' || strcmp(y->str, "~") == 0 || strcmp(y->str, "null") == 0);
}

/* A mapping key: a scalar, or an error at its position. */
static const char *
key(struct ctx *x, const struct ynode *k)
{
	if (k->kind != Y_SCALAR) {
		cerr(x, k, "keys must be strings");
		return NULL;
	}
	return k->str;
}

static void
unknown(struct ctx *x, const struct ynode *k, const char *prefix)
{
	char *s = shown(k->str);

	cerr(x, k, "unknown key: %s%s%s", prefix ? prefix : "", prefix ? "." : "", s);
	free(s);
}

static const char *
scalar(struct ctx *x, const struct ynode *y, const char *what)
{
	if (y->kind != Y_SCALAR || isnull(y)) {
		cerr(x, y, "%s must be a string", what);
		return NULL;
	}
	return y->str;
}

static int
isbool(const struct ynode *y, int *v)
{
	static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", NULL };
	static const char *no[] = { "false", "False", "FALSE", "no", "No", "off", NULL };

	if (y->kind != Y_SCALAR)
		return 0;
	for (int i = 0; yes[i]; i++)
		if (strcmp(y->str, yes[i]) == 0)
			return *v = 1;
	for (int i = 0; no[i]; i++)
		if (strcmp(y->str, no[i]) == 0)
			return !(*v = 0);
	return 0;
}

static int
boolean(struct ctx *x, const struct ynode *y, const char *what)
{
	int v;

	if (isbool(y, &v))
		return v;
	cerr(x, y, "%s must be true or false", what);
	return 0;
}

/* An integer in [min, max]; the message names the range unless it is all of long. */
static long
integer(struct ctx *x, const struct ynode *y, const char *what, long min, long max)
{
	char *end;
	long v;

	if (y->kind == Y_SCALAR && !isspace((unsigned char)y->str[0])) {
		errno = 0;
		v = strtol(y->str, &end, 10);
		if (!errno && end != y->str && *end == '\0' && v >= min && v <= max)
			return v;
	}
	if (min == LONG_MIN && max == LONG_MAX)
		cerr(x, y, "%s must be an integer", what);
	else
		cerr(x, y, "%s must be an integer from %ld to %ld", what, min, max);
	return min > 0 ? min : 0;
}

/* ${NAME} expansion; a variable that is not set is an error. The result may hold a password:
   it never goes into a message. */
static char *
expand(struct ctx *x, const struct ynode *y)
{
	struct buf b = { 0 };
	const char *s = y->str;

	buf_puts(&b, "");
	while (*s) {
		const char *e;

		if (s[0] == '$' && s[1] == '{' && (e = strchr(s, '}')) != NULL) {
			char *name = xstrndup(s + 2, (size_t)(e - s - 2));
			const char *v = getenv(name);

			if (!v) {
				char *n = shown(name);

				cerr(x, y, "environment variable %s is not set", n);
				free(n);
				free(name);
				break;
			}
			buf_puts(&b, v);
			free(name);
			s = e + 1;
		} else {
			buf_add(&b, s++, 1);
		}
	}
	return b.data;
}

static void
strlist(struct ctx *x, const struct ynode *y, struct strv *out, const char *what)
{
	if (isnull(y))
		return;
	if (y->kind == Y_SCALAR) {
		strv_add(out, y->str);
		return;
	}
	if (y->kind != Y_SEQ) {
		cerr(x, y, "%s must be a list of strings", what);
		return;
	}
	for (size_t i = 0; i < y->n; i++) {
		const char *s = scalar(x, y->kids[i], what);

		if (s)
			strv_add(out, s);
	}
}

static void
note_unused(struct ctx *x, const char *prefix, const char *key)
{
	strv_take(&x->unused, prefix ? xasprintf("%s.%s", prefix, key) : xstrdup(key));
}

/* Keys of a map that upstream accepts and that have no effect here: noted, not errors. */
static int
upstream_only(const char *key, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(key, list[i]) == 0)
			return 1;
	return 0;
}

static void
incdir(struct ctx *x, const struct ynode *y)
{
	struct envconfig *c = x->c;
	struct incdir *d;

	c->inc = xrealloc(c->inc, (c->ninc + 1) * sizeof *c->inc);
	d = &c->inc[c->ninc++];
	memset(d, 0, sizeof *d);
	d->recursive = 1;
	d->pos = (struct srcpos){ c->file, y->line, y->col };
	if (y->kind == Y_SCALAR) {
		const char *s = scalar(x, y, "an include_dirs entry");

		d->path = xstrdup(s ? s : "");
	} else if (y->kind == Y_MAP) {
		for (size_t i = 0; i + 1 < y->n; i += 2) {
			const char *k = key(x, y->kids[i]);
			const struct ynode *v = y->kids[i + 1];

			if (!k) {
				continue;
			} else if (strcmp(k, "path") == 0) {
				const char *s = scalar(x, v, "path");

				free(d->path);
				d->path = xstrdup(s ? s : "");
			} else if (strcmp(k, "recursive") == 0) {
				d->recursive = boolean(x, v, "recursive");
			} else if (strcmp(k, "include") == 0) {
				strlist(x, v, &d->include, "include");
			} else if (strcmp(k, "exclude") == 0) {
				strlist(x, v, &d->exclude, "exclude");
			} else if (strcmp(k, "order") == 0) {
				d->order = integer(x, v, "order", LONG_MIN, LONG_MAX);
			} else if (strcmp(k, "auto_discover") == 0) {
				d->optional = boolean(x, v, "auto_discover");
			} else {
				char *s = shown(k);

				cerr(x, y->kids[i], "unknown key in include_dirs entry: %s", s);
				free(s);
			}
		}
		if (!d->path)
			cerr(x, y, "include_dirs entry has no path");
	} else {
		cerr(x, y, "include_dirs entries must be a path or a mapping");
	}
	if (!d->path)
		d->path = xstrdup("");
	if (d->include.n == 0)
		strv_add(&d->include, "*.sql");
}

/* migration.locking: a boolean, or {enabled, timeout_ms} */
static void
locking(struct ctx *x, const struct ynode *v)
{
	struct envconfig *c = x->c;

	if (isnull(v))
		return;
	if (v->kind == Y_SCALAR) {
		if (!isbool(v, &c->lock_enabled))
			cerr(x, v, "migration.locking must be true, false or a mapping");
		return;
	}
	if (v->kind != Y_MAP) {
		cerr(x, v, "migration.locking must be true, false or a mapping");
		return;
	}
	for (size_t j = 0; j + 1 < v->n; j += 2) {
		const char *k = key(x, v->kids[j]);

		if (!k)
			continue;
		else if (strcmp(k, "enabled") == 0)
			c->lock_enabled = boolean(x, v->kids[j + 1], "locking.enabled");
		else if (strcmp(k, "timeout_ms") == 0)
			c->lock_timeout_ms = integer(x, v->kids[j + 1], "locking.timeout_ms", 0, INT_MAX);
		else
			unknown(x, v->kids[j], "migration.locking");
	}
}

static void
section(struct ctx *x, const struct ynode *y, const char *name)
{
	static const char *const build_unused[] = { "two_pass", "validate_comments", "separators", "lint", NULL };
	static const char *const mig_unused[] = { "strict_mode", "view_helpers", "migration_generators",
		"snapshot_history", "snapshots_dir", "live_snapshot", "rebuild_threshold", "grant_dir",
		"allow_unsafe_under_replication", NULL };
	static const char *const seed_unused[] = { "execution_mode", "continue_on_error",
		"transaction_mode", "profiles", NULL };

	if (isnull(y))
		return;
	if (y->kind != Y_MAP) {
		cerr(x, y, "%s must be a mapping", name);
		return;
	}
	for (size_t i = 0; i + 1 < y->n; i += 2) {
		const struct ynode *kn = y->kids[i], *v = y->kids[i + 1];
		const char *k = key(x, kn);

		if (!k) {
			continue;
		} else if (strcmp(name, "build") == 0 && strcmp(k, "sort_mode") == 0) {
			const char *s = scalar(x, v, "build.sort_mode");

			if (s && strcmp(s, "hex") == 0) {
				x->c->sort_hex = 1;
			} else if (s && strcmp(s, "dependencies") == 0) {
				x->c->sort_deps = 1;
			} else if (s && strcmp(s, "alphabetical") != 0) {
				char *e = shown(s);

				cerr(x, v, "build.sort_mode must be alphabetical, hex or dependencies, not %s", e);
				free(e);
			}
		} else if (strcmp(name, "migration") == 0 && strcmp(k, "tracking_table") == 0) {
			const char *s = scalar(x, v, "migration.tracking_table");
			const char *why = s ? config_table_problem(s) : NULL;

			if (why) {
				char *e = shown(s);

				cerr(x, v, "migration.tracking_table is not a table name (%s): %s", why, e);
				free(e);
			} else if (s) {
				free(x->c->tracking_table);
				x->c->tracking_table = xstrdup(s);
			}
		} else if (strcmp(name, "migration") == 0 && strcmp(k, "locking") == 0) {
			locking(x, v);
		} else if (strcmp(name, "seed") == 0 && (strcmp(k, "prep_seed_schema") == 0 || strcmp(k, "catalog_schema") == 0)) {
			/* conf-seedcheck's schema names; the last one written wins, as for every key */
			const char *s = scalar(x, v, k[0] == 'p' ? "seed.prep_seed_schema" : "seed.catalog_schema");
			char **to = k[0] == 'p' ? &x->c->seed_prep_schema : &x->c->seed_catalog_schema;

			if (s) {
				free(*to);
				*to = xstrdup(s);
			}
		} else if (strcmp(name, "seed") == 0 && strcmp(k, "tables_to_validate") == 0) {
			strlist(x, v, &x->c->seed_tables, "seed.tables_to_validate");
		} else if (strcmp(name, "hooks") == 0 && strcmp(k, "timeout") == 0) {
			x->c->hook_timeout_s = integer(x, v, "hooks.timeout", 0, MAX_HOOK_TIMEOUT);
		} else if ((strcmp(name, "build") == 0 && upstream_only(k, build_unused))
		    || (strcmp(name, "migration") == 0 && upstream_only(k, mig_unused))
		    || (strcmp(name, "seed") == 0 && upstream_only(k, seed_unused))) {
			note_unused(x, name, k);
		} else {
			unknown(x, kn, name);
		}
	}
}

/* database: {host, port, database, user, password} as upstream's migrate commands accept */
static void
dbblock(struct ctx *x, const struct ynode *y)
{
	static const char *const keys[] = { "host", "port", "database", "user", "password", NULL };
	static const char *const kw[] = { "host", "port", "dbname", "user", "password", NULL };
	struct buf b = { 0 };

	if (y->kind != Y_MAP) {
		cerr(x, y, "database must be a mapping");
		return;
	}
	for (size_t i = 0; i + 1 < y->n; i += 2) {
		const char *k = key(x, y->kids[i]);
		int j;

		if (!k)
			continue;
		for (j = 0; keys[j] && strcmp(keys[j], k) != 0; j++)
			;
		if (!keys[j]) {
			unknown(x, y->kids[i], "database");
			continue;
		}
		if (!scalar(x, y->kids[i + 1], "a database setting"))
			continue;
		{
			char *v = expand(x, y->kids[i + 1]);

			pg_conninfo_add(&b, kw[j], v);
			free(v);
		}
	}
	if (!x->c->database_url && b.data) {
		x->c->database_url = b.data;
		x->c->url_pos = (struct srcpos){ x->c->file, y->line, y->col };
	} else {
		buf_free(&b);
	}
}

/* One part of a table name: a plain identifier of at most 63 bytes (NAMEDATALEN - 1, past
   which the server would truncate it and two names would meet). */
static const char *
ident_problem(const char *s, size_t n)
{
	if (n == 0)
		return "an empty part";
	if (s[0] == '"')
		return "quoted identifiers are not supported: the name is taken as written";
	if (n > 63)
		return "a part longer than 63 bytes";
	if (!(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return "a part starts with a character other than a letter or _";
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '$'))
			return "a character other than a letter, digit, _ or $";
	return NULL;
}

const char *
config_table_problem(const char *name)
{
	const char *dot = strchr(name, '.');
	const char *why;

	if (!dot)
		return ident_problem(name, strlen(name));
	if (strchr(dot + 1, '.'))
		return "more than schema.table";
	if ((why = ident_problem(name, (size_t)(dot - name))) != NULL)
		return why;
	return ident_problem(dot + 1, strlen(dot + 1));
}

int
config_valid_table(const char *name)
{
	return config_table_problem(name) == NULL;
}

static void
interpret(struct ctx *x, const struct ynode *root)
{
	static const char *const top_unused[] = { "superuser_dirs", "superuser_post_dirs", "auto_backup",
		"infrastructure", "ssh_tunnel", "pggit", "acls", "ownership",
		"function_coverage", "security_lint", "apply_as", "notifications", NULL };
	struct envconfig *c = x->c;

	if (isnull(root))
		return;
	if (root->kind != Y_MAP) {
		cerr(x, root, "the environment file must be a mapping of keys");
		return;
	}
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *kn = root->kids[i], *v = root->kids[i + 1];
		const char *k = key(x, kn);

		if (!k) {
			continue;
		} else if (strcmp(k, "name") == 0) {
			/* upstream overwrites it with the file stem too */
		} else if (strcmp(k, "database_url") == 0) {
			if (!isnull(v) && scalar(x, v, "database_url")) {
				free(c->database_url);
				c->database_url = expand(x, v);
				c->url_pos = (struct srcpos){ c->file, v->line, v->col };
			}
		} else if (strcmp(k, "database") == 0) {
			dbblock(x, v);
		} else if (strcmp(k, "include_dirs") == 0) {
			if (isnull(v))
				continue;
			if (v->kind != Y_SEQ) {
				incdir(x, v);
				continue;
			}
			for (size_t j = 0; j < v->n; j++)
				incdir(x, v->kids[j]);
		} else if (strcmp(k, "require_confirmation") == 0) {
			/* upstream parses it and leaves it unused; here an explicit true marks production */
			if (!isnull(v)) {
				c->require_confirmation = boolean(x, v, "require_confirmation");
				c->require_confirmation_set = 1;
			}
		} else if (strcmp(k, "exclude_dirs") == 0) {
			strlist(x, v, &c->exclude_dirs, "exclude_dirs");
		} else if (strcmp(k, "build") == 0 || strcmp(k, "migration") == 0 || strcmp(k, "seed") == 0
		    || strcmp(k, "hooks") == 0) {
			section(x, v, k);
		} else if (strcmp(k, "migration_table") == 0) {
			cerr(x, kn, "%s is not read: write migration: {tracking_table: NAME}", k);
		} else if (upstream_only(k, top_unused)) {
			note_unused(x, NULL, k);
		} else {
			unknown(x, kn, NULL);
		}
	}
}

static struct envconfig *
newconfig(const char *root, const char *env, const char *file)
{
	struct envconfig *c = xcalloc(1, sizeof *c);

	c->root = xstrdup(root ? root : ".");
	if (!env && file) {
		const char *b = strrchr(file, '/');
		size_t n;

		b = b ? b + 1 : file;
		n = strcspn(b, ".");
		c->name = xstrndup(b, n ? n : strlen(b));
	} else {
		c->name = xstrdup(env ? env : "local");
	}
	c->tracking_table = xstrdup("tb_confiture");
	c->lock_timeout_ms = -1;
	c->lock_enabled = 1;
	c->hook_timeout_s = 300;
	return c;
}

/* Interpret text as c's file; frees c and returns NULL on error. */
static struct envconfig *
parse(struct envconfig *c, const char *text, size_t len, int *status)
{
	struct ctx x = { .c = c };
	struct ynode *y = yload(c->file, text, len);

	if (!y) {
		*status = EX_CONFIG;
		config_free(c);
		return NULL;
	}
	interpret(&x, y);
	ynode_free(y);
	if (!x.err && x.unused.n) {
		struct buf b = { 0 };

		for (size_t i = 0; i < x.unused.n; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", x.unused.v[i]);
		warnx("%s: ignoring keys this version does not use: %s", c->file, b.data);
		buf_free(&b);
	}
	strv_free(&x.unused);
	if (x.err) {
		*status = EX_CONFIG;
		config_free(c);
		return NULL;
	}
	*status = EX_OK;
	return c;
}

struct envconfig *
config_load(const char *root, const char *env, const char *file, int *status)
{
	struct envconfig *c = newconfig(root, env, file);
	struct buf text = { 0 };

	if (!file && (strchr(c->name, '/') || c->name[0] == '.' || !c->name[0])) {
		warnx("invalid environment name: %s", c->name);
		*status = EX_CONFIG;
		config_free(c);
		return NULL;
	}
	if (file) {
		c->file = xstrdup(file);
	} else {
		char *rel = xasprintf("db/environments/%s.yaml", c->name);

		c->file = path_join(c->root, rel);
		free(rel);
	}
	if (read_file(c->file, &text) != 0) {
		*status = EX_CONFIG;
		buf_free(&text);
		config_free(c);
		return NULL;
	}
	c = parse(c, text.data ? text.data : "", text.len, status);
	buf_free(&text);
	return c;
}

struct envconfig *
config_parse(const char *file, const char *text, size_t len, int *status)
{
	struct envconfig *c = newconfig(".", NULL, file);

	c->file = xstrdup(file);
	return parse(c, text, len, status);
}

void
config_free(struct envconfig *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ninc; i++) {
		free(c->inc[i].path);
		strv_free(&c->inc[i].include);
		strv_free(&c->inc[i].exclude);
	}
	free(c->inc);
	strv_free(&c->exclude_dirs);
	free(c->seed_prep_schema);
	free(c->seed_catalog_schema);
	strv_free(&c->seed_tables);
	free(c->name);
	free(c->file);
	free(c->root);
	free(c->database_url);
	free(c->tracking_table);
	free(c);
}
