#include <stdarg.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config.h"
#include "pgconn.h"

enum { Y_SCALAR, Y_MAP, Y_SEQ };

/* A YAML document as a tree; maps keep key/value pairs in kids[2i], kids[2i+1]. */
struct ynode {
	int kind;
	int plain;      /* scalar written without quotes (so "null" and "~" mean null) */
	char *str;
	long line, col;
	struct ynode **kids;
	size_t n;
};

struct loader {
	yaml_parser_t p;
	const char *file;
	int err;
};

static void
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

static void yerr(struct loader *l, long line, long col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
yerr(struct loader *l, long line, long col, const char *fmt, ...)
{
	struct srcpos pos = { l->file, line, col };
	va_list ap;

	va_start(ap, fmt);
	if (!l->err)
		vwarnat(&pos, fmt, ap);
	va_end(ap);
	l->err = 1;
}

static struct ynode *yparse(struct loader *l, yaml_event_t *ev);

static struct ynode *
ynew(int kind, const yaml_event_t *ev)
{
	struct ynode *y = xcalloc(1, sizeof *y);

	y->kind = kind;
	y->line = (long)ev->start_mark.line + 1;
	y->col = (long)ev->start_mark.column + 1;
	return y;
}

static int
next(struct loader *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->p, ev)) {
		yerr(l, (long)l->p.problem_mark.line + 1, (long)l->p.problem_mark.column + 1,
		    "%s", l->p.problem ? l->p.problem : "invalid YAML");
		return -1;
	}
	return 0;
}

static struct ynode *
ycollection(struct loader *l, yaml_event_t *ev, int kind, yaml_event_type_t end)
{
	struct ynode *y = ynew(kind, ev);
	size_t cap = 0;

	yaml_event_delete(ev);
	for (;;) {
		yaml_event_t e;
		struct ynode *k;

		if (next(l, &e) < 0)
			break;
		if (e.type == end) {
			yaml_event_delete(&e);
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

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		y = ynew(Y_SCALAR, ev);
		y->str = xstrndup((char *)ev->data.scalar.value, ev->data.scalar.length);
		y->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		break;
	case YAML_SEQUENCE_START_EVENT:
		return ycollection(l, ev, Y_SEQ, YAML_SEQUENCE_END_EVENT);
	case YAML_MAPPING_START_EVENT:
		return ycollection(l, ev, Y_MAP, YAML_MAPPING_END_EVENT);
	case YAML_ALIAS_EVENT:
		yerr(l, (long)ev->start_mark.line + 1, (long)ev->start_mark.column + 1,
		    "YAML aliases are not supported");
		break;
	default:
		yerr(l, (long)ev->start_mark.line + 1, (long)ev->start_mark.column + 1,
		    "unexpected YAML structure");
		break;
	}
	yaml_event_delete(ev);
	return y;
}

/* The first document of the file; an empty file gives an empty map. */
static struct ynode *
yload(const char *file, const char *text, size_t len, int *err)
{
	struct loader l = { .file = file };
	struct ynode *root = NULL;
	yaml_event_t ev;

	yaml_parser_initialize(&l.p);
	yaml_parser_set_input_string(&l.p, (const unsigned char *)text, len);
	while (!l.err && next(&l, &ev) == 0) {
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type == YAML_STREAM_START_EVENT || ev.type == YAML_DOCUMENT_START_EVENT
		    || ev.type == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			if (root)
				break;
			continue;
		}
		root = yparse(&l, &ev);
		if (!root)
			break;
	}
	yaml_parser_delete(&l.p);
	*err = l.err;
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
boolean(struct ctx *x, const struct ynode *y, const char *what)
{
	static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "on", NULL };
	static const char *no[] = { "false", "False", "FALSE", "no", "No", "off", NULL };

	if (y->kind == Y_SCALAR) {
		for (int i = 0; yes[i]; i++)
			if (strcmp(y->str, yes[i]) == 0)
				return 1;
		for (int i = 0; no[i]; i++)
			if (strcmp(y->str, no[i]) == 0)
				return 0;
	}
	cerr(x, y, "%s must be true or false", what);
	return 0;
}

static long
integer(struct ctx *x, const struct ynode *y, const char *what)
{
	char *end;
	long v;

	if (y->kind == Y_SCALAR) {
		errno = 0;
		v = strtol(y->str, &end, 10);
		if (!errno && end != y->str && *end == '\0')
			return v;
	}
	cerr(x, y, "%s must be an integer", what);
	return 0;
}

/* ${NAME} expansion; a variable that is not set is an error. */
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
				cerr(x, y, "environment variable %s is not set", name);
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
			const char *k = y->kids[i]->str;
			const struct ynode *v = y->kids[i + 1];

			if (strcmp(k, "path") == 0) {
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
				d->order = integer(x, v, "order");
			} else if (strcmp(k, "auto_discover") == 0) {
				d->optional = boolean(x, v, "auto_discover");
			} else {
				cerr(x, y->kids[i], "unknown key in include_dirs entry: %s", k);
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
		const char *k = kn->str;

		if (strcmp(name, "build") == 0 && strcmp(k, "sort_mode") == 0) {
			const char *s = scalar(x, v, "build.sort_mode");

			if (s && strcmp(s, "hex") == 0)
				x->c->sort_hex = 1;
			else if (s && strcmp(s, "alphabetical") != 0)
				cerr(x, v, "build.sort_mode must be alphabetical or hex, not %s", s);
		} else if (strcmp(name, "migration") == 0 && strcmp(k, "tracking_table") == 0) {
			const char *s = scalar(x, v, "migration.tracking_table");

			if (s && !config_valid_table(s))
				cerr(x, v, "migration.tracking_table is not a table name: %s", s);
			else if (s) {
				free(x->c->tracking_table);
				x->c->tracking_table = xstrdup(s);
			}
		} else if (strcmp(name, "migration") == 0 && strcmp(k, "locking") == 0 && v->kind == Y_MAP) {
			for (size_t j = 0; j + 1 < v->n; j += 2) {
				if (strcmp(v->kids[j]->str, "enabled") == 0)
					x->c->lock_enabled = boolean(x, v->kids[j + 1], "locking.enabled");
				else if (strcmp(v->kids[j]->str, "timeout_ms") == 0)
					x->c->lock_timeout_ms = integer(x, v->kids[j + 1], "locking.timeout_ms");
				else
					cerr(x, v->kids[j], "unknown key in migration.locking: %s", v->kids[j]->str);
			}
		} else if ((strcmp(name, "build") == 0 && upstream_only(k, build_unused))
		    || (strcmp(name, "migration") == 0 && upstream_only(k, mig_unused))
		    || (strcmp(name, "seed") == 0 && upstream_only(k, seed_unused))) {
			note_unused(x, name, k);
		} else {
			char full[256];

			snprintf(full, sizeof full, "%s.%s", name, k);
			cerr(x, kn, "unknown key: %s", full);
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
		int j;

		for (j = 0; keys[j] && strcmp(keys[j], y->kids[i]->str) != 0; j++)
			;
		if (!keys[j]) {
			cerr(x, y->kids[i], "unknown key: database.%s", y->kids[i]->str);
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

int
config_valid_table(const char *s)
{
	int dots = 0;

	if (!*s)
		return 0;
	for (const char *p = s; *p; p++) {
		int start = p == s || p[-1] == '.';

		if (*p == '.') {
			if (start || !p[1] || ++dots > 1)
				return 0;
		} else if (start ? !(isalpha((unsigned char)*p) || *p == '_')
		    : !(isalnum((unsigned char)*p) || *p == '_')) {
			return 0;
		}
	}
	return 1;
}

static void
interpret(struct ctx *x, const struct ynode *root)
{
	static const char *const top_unused[] = { "superuser_dirs", "superuser_post_dirs", "auto_backup",
		"require_confirmation", "infrastructure", "ssh_tunnel", "pggit", "acls", "ownership",
		"function_coverage", "security_lint", "apply_as", "notifications", NULL };
	struct envconfig *c = x->c;

	if (root->kind != Y_MAP) {
		cerr(x, root, "the environment file must be a mapping of keys");
		return;
	}
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *kn = root->kids[i], *v = root->kids[i + 1];
		const char *k = kn->str;

		if (kn->kind != Y_SCALAR) {
			cerr(x, kn, "keys must be strings");
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
		} else if (strcmp(k, "exclude_dirs") == 0) {
			strlist(x, v, &c->exclude_dirs, "exclude_dirs");
		} else if (strcmp(k, "build") == 0 || strcmp(k, "migration") == 0 || strcmp(k, "seed") == 0) {
			section(x, v, k);
		} else if (strcmp(k, "migration_table") == 0) {
			cerr(x, kn, "%s is not read: write migration: {tracking_table: NAME}", k);
		} else if (upstream_only(k, top_unused)) {
			note_unused(x, NULL, k);
		} else {
			cerr(x, kn, "unknown key: %s", k);
		}
	}
}

struct envconfig *
config_load(const char *root, const char *env, const char *file, int *status)
{
	struct envconfig *c = xcalloc(1, sizeof *c);
	struct ctx x = { .c = c };
	struct buf text = { 0 };
	struct ynode *y;
	int yerr_;

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
	y = yload(c->file, text.data ? text.data : "", text.len, &yerr_);
	buf_free(&text);
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
	free(c->name);
	free(c->file);
	free(c->root);
	free(c->database_url);
	free(c->tracking_table);
	free(c);
}
