#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
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
	int lastwins; /* an environment file: a repeated key warns and the last one counts, as upstream */
	int aliases;  /* an environment file: aliases and << merge keys are expanded, as upstream's loader does */
	int quiet;    /* CONFITURE_CONFIG_WARNED: the warning was shown by another tool of this run */
	struct anchor {
		char *name;
		struct ynode *node; /* a copy: the tree's own node may be dropped as a repeated key */
	} *anchors;
	size_t nanchors;
	size_t copied; /* nodes made by anchors and aliases, bounded against exponential expansion */
};

/* Aliases copy their anchor's tree: "a: &a [x, x]", "b: &b [*a, *a]", ... doubles at each line,
   so the copies are counted and refused past this many nodes. */
#define MAX_ALIAS_NODES 100000

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

struct keyat {
	const struct ynode *key;
	size_t pair; /* index of the key in the map's kids */
};

static int
keycmp(const void *a, const void *b)
{
	const struct ynode *x = ((const struct keyat *)a)->key, *y = ((const struct keyat *)b)->key;
	int c = strcmp(x->str, y->str);

	if (c)
		return c;
	return x->line != y->line ? (x->line < y->line ? -1 : 1) : (x->col > y->col) - (x->col < y->col);
}

/* A key written twice would silently override the first. In an environment file upstream's YAML
   loader takes the last one, so that is a warning there and the earlier pairs are dropped; an
   error when strict, and anywhere else (report the first repeat, with both positions). Sorting
   keeps a hostile file with many keys from taking quadratic time. */
static int
dupkeys(struct loader *l, struct ynode *map)
{
	size_t n = 0, out = 0;
	struct keyat *k = xcalloc(map->n / 2 + 1, sizeof *k);
	char *drop = xcalloc(map->n + 1, 1);
	const struct ynode *first = NULL, *again = NULL;

	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->kind == Y_SCALAR)
			k[n++] = (struct keyat){ map->kids[i], i };
	qsort(k, n, sizeof *k, keycmp);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(k[i - 1].key->str, k[i].key->str) != 0)
			continue;
		size_t j = i - 1;

		while (j > 0 && strcmp(k[j - 1].key->str, k[i].key->str) == 0)
			j--;
		drop[k[i - 1].pair] = 1;
		if (l->lastwins && (i + 1 == n || strcmp(k[i + 1].key->str, k[i].key->str) != 0) && !l->quiet) {
			struct srcpos pos = { l->file, k[i].key->line, k[i].key->col };
			char *name = shown(k[i].key->str);

			warnat(&pos, "duplicate key %s (first at %ld:%ld): the last one is used, as upstream does", name,
			    k[j].key->line, k[j].key->col);
			free(name);
		}
		if (!again || k[i].key->line < again->line || (k[i].key->line == again->line && k[i].key->col < again->col)) {
			first = k[j].key;
			again = k[i].key;
		}
	}
	free(k);
	if (again && !l->lastwins) {
		yaml_mark_t m = { 0, (size_t)again->line - 1, (size_t)again->col - 1 };
		char *name = shown(again->str);

		yerr(l, &m, "duplicate key %s (first at %ld:%ld)", name, first->line, first->col);
		free(name);
		free(drop);
		return -1;
	}
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		if (drop[i]) {
			ynode_free(map->kids[i]);
			ynode_free(map->kids[i + 1]);
			continue;
		}
		map->kids[out++] = map->kids[i];
		map->kids[out++] = map->kids[i + 1];
	}
	map->n = out;
	free(drop);
	return 0;
}

/* A copy of y, or NULL when that would pass MAX_ALIAS_NODES copied nodes. */
static struct ynode *
ycopy(struct loader *l, const struct ynode *y)
{
	struct ynode *c;

	if (++l->copied > MAX_ALIAS_NODES)
		return NULL;
	c = xcalloc(1, sizeof *c);
	*c = *y;
	c->str = y->str ? xstrdup(y->str) : NULL;
	c->kids = y->n ? xcalloc(y->n, sizeof *c->kids) : NULL;
	for (size_t i = 0; i < y->n; i++)
		if (!(c->kids[i] = ycopy(l, y->kids[i]))) {
			c->n = i;
			ynode_free(c);
			return NULL;
		}
	return c;
}

static int
haskey(const struct ynode *map, const char *k)
{
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->kind == Y_SCALAR && strcmp(map->kids[i]->str, k) == 0)
			return 1;
	return 0;
}

/* YAML's merge key: "<<: *base" (or a list of them) adds the keys of base that the map does not
   have itself; an earlier source wins over a later one. */
static int
ymerge(struct loader *l, struct ynode *map)
{
	size_t out = 0;
	struct ynode **add = NULL;
	size_t nadd = 0;

	for (size_t i = 0; i + 1 < map->n; i += 2) {
		struct ynode *k = map->kids[i], *v = map->kids[i + 1];

		if (k->kind != Y_SCALAR || !k->plain || strcmp(k->str, "<<") != 0) {
			map->kids[out++] = k;
			map->kids[out++] = v;
			continue;
		}
		for (size_t j = 0; j < (v->kind == Y_SEQ ? v->n : 1); j++) {
			struct ynode *src = v->kind == Y_SEQ ? v->kids[j] : v;

			if (src->kind != Y_MAP) {
				yaml_mark_t m = { 0, (size_t)src->line - 1, (size_t)src->col - 1 };

				yerr(l, &m, "a merge key (<<) takes a mapping or a list of mappings");
				for (size_t r = i; r < map->n; r++)
					map->kids[out++] = map->kids[r];
				map->n = out;
				for (size_t r = 0; r < nadd; r++)
					ynode_free(add[r]);
				free(add);
				return -1;
			}
			for (size_t p = 0; p + 1 < src->n; p += 2) {
				int seen = 0;

				for (size_t r = 0; r < nadd && !seen; r += 2)
					seen = strcmp(add[r]->str, src->kids[p]->str) == 0;
				if (seen || src->kids[p]->kind != Y_SCALAR)
					continue;
				add = xrealloc(add, (nadd + 2) * sizeof *add);
				add[nadd++] = src->kids[p];
				add[nadd++] = src->kids[p + 1];
				src->kids[p] = src->kids[p + 1] = NULL;
			}
		}
		ynode_free(k);
		ynode_free(v);
	}
	map->n = out;
	for (size_t r = 0; r < nadd; r += 2) {
		if (haskey(map, add[r]->str)) {
			ynode_free(add[r]);
			ynode_free(add[r + 1]);
			continue;
		}
		map->kids = xrealloc(map->kids, (map->n + 2) * sizeof *map->kids);
		map->kids[map->n++] = add[r];
		map->kids[map->n++] = add[r + 1];
	}
	free(add);
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
			if (kind == Y_MAP && l->aliases && ymerge(l, y) < 0)
				break;
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
yparse_node(struct loader *l, yaml_event_t *ev)
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

/* Takes ownership of ev. In an environment file, an anchored node is remembered (a copy: the
   tree's own may be dropped as a repeated key) and an alias is a copy of it. */
static struct ynode *
yparse(struct loader *l, yaml_event_t *ev)
{
	const yaml_char_t *anchor = ev->type == YAML_SCALAR_EVENT ? ev->data.scalar.anchor
	    : ev->type == YAML_SEQUENCE_START_EVENT ? ev->data.sequence_start.anchor
	    : ev->type == YAML_MAPPING_START_EVENT ? ev->data.mapping_start.anchor : NULL;
	struct ynode *y = NULL;

	if (!l->aliases)
		return yparse_node(l, ev);
	if (anchor) {
		yaml_mark_t m = ev->start_mark;
		char *name = xstrdup((const char *)anchor);
		struct ynode *y0 = yparse_node(l, ev), *c;

		if (!y0) {
			free(name);
			return NULL;
		}
		if (!(c = ycopy(l, y0))) {
			yerr(l, &m, "YAML aliases expand to more than %d nodes", MAX_ALIAS_NODES);
			free(name);
			ynode_free(y0);
			return NULL;
		}
		l->anchors = xrealloc(l->anchors, (l->nanchors + 1) * sizeof *l->anchors);
		l->anchors[l->nanchors++] = (struct anchor){ name, c };
		return y0;
	}
	if (ev->type == YAML_ALIAS_EVENT) {
		const char *name = (const char *)ev->data.alias.anchor;
		size_t i = l->nanchors;

		while (i > 0 && strcmp(l->anchors[i - 1].name, name) != 0)
			i--;
		if (i == 0) {
			char *n = shown(name);

			yerr(l, &ev->start_mark, "YAML alias *%s names no anchor before it", n);
			free(n);
		} else if (!(y = ycopy(l, l->anchors[i - 1].node))) {
			yerr(l, &ev->start_mark, "YAML aliases expand to more than %d nodes", MAX_ALIAS_NODES);
		}
		yaml_event_delete(ev);
		return y;
	}
	return yparse_node(l, ev);
}

static struct ynode *yload_as(const char *file, const char *text, size_t len, int envfile, int lastwins, int quiet);

/* The one document of the file; an empty file gives an empty map. */
struct ynode *
yload(const char *file, const char *text, size_t len)
{
	return yload_as(file, text, len, 0, 0, 0);
}

/* yload; envfile: aliases and merge keys are expanded; lastwins: a repeated key is a warning
   (unless quiet) and its last value counts */
static struct ynode *
yload_as(const char *file, const char *text, size_t len, int envfile, int lastwins, int quiet)
{
	struct loader l = { .file = file, .text = text, .len = len, .aliases = envfile, .lastwins = lastwins,
		.quiet = quiet };
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
	for (size_t i = 0; i < l.nanchors; i++) {
		free(l.anchors[i].name);
		ynode_free(l.anchors[i].node);
	}
	free(l.anchors);
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
	int strict;          /* --strict / CONFITURE_STRICT=1: an unknown key is an error */
	int quiet;           /* CONFITURE_CONFIG_WARNED=1: another tool of this run showed the warnings */
	int err;
};

/* Set by config_offline(): this process never connects. */
static int offline;

void
config_offline(void)
{
	offline = 1;
}

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

/* Edit distance of a and b (both short keys), for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), *row, best;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	row = xcalloc(lb + 1, sizeof *row);
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j], d = diag + (a[i - 1] != b[j - 1]);

			d = up + 1 < d ? up + 1 : d;
			d = row[j - 1] + 1 < d ? row[j - 1] + 1 : d;
			diag = up;
			row[j] = d;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

/* The known key nearest to k, NULL when none is near enough to be a typo of it. */
static const char *
nearest(const char *k, const char *const *known)
{
	const char *best = NULL;
	size_t bd = SIZE_MAX, n = strlen(k);

	for (int i = 0; known && known[i]; i++) {
		size_t d = distance(k, known[i]);

		if (d < bd) {
			bd = d;
			best = known[i];
		}
	}
	/* a third of the key's length, at least 2: "sort_mod", "includedirs", "databse_url" */
	return bd <= (n / 3 > 2 ? n / 3 : 2) ? best : NULL;
}

/* A key neither we nor upstream know: upstream ignores it, so it is a warning here, an error
   only when strict (a typo would otherwise silently do nothing). */
static void
unknown(struct ctx *x, const struct ynode *k, const char *prefix, const char *const *known)
{
	char *s = shown(k->str);
	const char *near = nearest(k->str, known);
	struct srcpos pos = { x->c->file, k->line, k->col };
	char *hint = near ? xasprintf(" (did you mean %s%s%s?)", prefix ? prefix : "", prefix ? "." : "", near)
	                  : xstrdup("");

	if (x->strict)
		cerr(x, k, "unknown key: %s%s%s%s", prefix ? prefix : "", prefix ? "." : "", s, hint);
	else if (!x->err && !x->quiet)
		warnat(&pos, "unknown key ignored: %s%s%s%s", prefix ? prefix : "", prefix ? "." : "", s, hint);
	free(hint);
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

/* Whether this run will connect with the environment's database_url: not when the process
   never connects (config_offline, CONFITURE_OFFLINE=1 from the front), nor when
   CONFITURE_DATABASE_URL overrides it. Only then is an unset ${VAR} in it an error. */
static int
url_needed(void)
{
	const char *v;

	if (offline || ((v = getenv("CONFITURE_OFFLINE")) != NULL && *v && strcmp(v, "0") != 0))
		return 0;
	return !((v = getenv("CONFITURE_DATABASE_URL")) != NULL && *v);
}

/* ${NAME} expansion; a variable that is not set is an error when the value is used, else the
   value is left out (NULL) and the variable noted in c->url_unset. The result may hold a
   password: it never goes into a message. */
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

			if (!v && !url_needed()) {
				if (!x->c->url_unset)
					x->c->url_unset = name;
				else
					free(name);
				buf_free(&b);
				return NULL;
			}
			if (!v) {
				char *n = shown(name);
				size_t ok = strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");

				/* ${NAME:-default} and friends are the shell's, not ours nor upstream's */
				if (!*name || name[ok] != '\0' || isdigit((unsigned char)name[0]))
					cerr(x, y, "${%s} is not a variable name: only ${NAME} is expanded, without defaults", n);
				else
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
				unknown(x, y->kids[i], "include_dirs[]", (const char *const[]){ "path", "recursive",
				    "include", "exclude", "order", "auto_discover", NULL });
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
			unknown(x, v->kids[j], "migration.locking", (const char *const[]){ "enabled", "timeout_ms", NULL });
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
	/* for "did you mean": the keys acted on and the ones above */
	static const char *const build_known[] = { "sort_mode", "cache", "two_pass", "validate_comments", "separators",
		"lint", NULL };
	static const char *const mig_known[] = { "tracking_table", "locking", "strict_mode", "view_helpers",
		"migration_generators", "snapshot_history", "snapshots_dir", "live_snapshot", "rebuild_threshold",
		"grant_dir", "allow_unsafe_under_replication", NULL };
	static const char *const hooks_known[] = { "timeout", NULL };

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
		} else if (strcmp(name, "build") == 0 && strcmp(k, "cache") == 0) {
			x->c->build_cache = boolean(x, v, "build.cache");
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
			unknown(x, kn, name, strcmp(name, "build") == 0 ? build_known
			    : strcmp(name, "migration") == 0 ? mig_known
			    : strcmp(name, "seed") == 0 ? seed_unused : hooks_known);
		}
	}
}

/* database: {host, port, database, user, password} as upstream's migrate commands accept */
static void
dbblock(struct ctx *x, const struct ynode *y)
{
	/* upstream's five, then libpq's own TLS and session settings, passed on as they are */
	static const char *const keys[] = { "host", "port", "database", "user", "password", "dbname",
		"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", NULL };
	static const char *const kw[] = { "host", "port", "dbname", "user", "password", "dbname",
		"sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", NULL };
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
			unknown(x, y->kids[i], "database", keys);
			continue;
		}
		if (!scalar(x, y->kids[i + 1], "a database setting"))
			continue;
		{
			char *v = expand(x, y->kids[i + 1]);

			if (v)
				pg_conninfo_add(&b, kw[j], v);
			free(v);
		}
	}
	if (!x->c->database_url && !x->c->url_unset && b.data) {
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
	static const char *const top_known[] = { "name", "database_url", "database", "include_dirs",
		"exclude_dirs", "require_confirmation", "build", "migration", "seed", "hooks", "superuser_dirs",
		"superuser_post_dirs", "auto_backup", "infrastructure", "ssh_tunnel", "pggit", "acls",
		"ownership", "function_coverage", "security_lint", "apply_as", "notifications", NULL };
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
				free(c->url_unset);
				c->url_unset = NULL;
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
		} else if (strcmp(k, "lint") == 0) {
			/* conf-lint reads this section itself */
		} else if (strcmp(k, "migration_table") == 0) {
			cerr(x, kn, "%s is not read: write migration: {tracking_table: NAME}", k);
		} else if (upstream_only(k, top_unused)) {
			note_unused(x, NULL, k);
		} else {
			unknown(x, kn, NULL, top_known);
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
	const char *st = getenv("CONFITURE_STRICT");
	const char *qt = getenv("CONFITURE_CONFIG_WARNED");
	struct ctx x = { .c = c, .strict = st && *st && strcmp(st, "0") != 0,
		.quiet = qt && *qt && strcmp(qt, "0") != 0 };
	struct ynode *y = yload_as(c->file, text, len, 1, !x.strict, x.quiet);

	if (!y) {
		*status = EX_CONFIG;
		config_free(c);
		return NULL;
	}
	interpret(&x, y);
	ynode_free(y);
	if (!x.err && !x.quiet && x.unused.n) {
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
	free(c->url_unset);
	free(c->tracking_table);
	free(c);
}
