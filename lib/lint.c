/* lint.c: the rule engine of conf-lint: context across a stream, ignore comments, findings. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lintint.h"

struct linter {
	struct lintctx c;
	long seq;
};

int
lint_rule_match(const char *name, int r)
{
	size_t n = strlen(name);
	const char *a = lint_rules[r].alias;

	if (!strcmp(lint_rules[r].id, name))
		return 1;
	/* aliases are a space-separated list */
	while (a && *a) {
		size_t k = strcspn(a, " ");

		if (k == n && !strncmp(a, name, n))
			return 1;
		a += k;
		a += strspn(a, " ");
	}
	return 0;
}

int
lint_rule_index(const char *id)
{
	for (int i = 0; lint_rules[i].id; i++)
		if (lint_rule_match(id, i))
			return i;
	return -1;
}

static const char *const sevnames[] = { "off", "info", "warning", "error" };

int
lint_sev_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(s, sevnames[i]))
			return i;
	return -1;
}

const char *
lint_sev_name(int sev)
{
	return sev >= 0 && sev < 4 ? sevnames[sev] : "?";
}

static void
file_reset(struct lintctx *c)
{
	free(c->file);
	c->file = NULL;
	c->nstmts = 0;
	c->assume = c->next_assume >= 0 ? c->next_assume : c->o->assume_tx;
	c->mixed = c->next_mixed;
	c->next_assume = -1;
	c->next_mixed = 0;
	c->in_tx = c->assume;
	c->explicit_tx = c->open_begin = 0;
	c->lock_to = c->stmt_to = 0;
	strv_free(&c->ign_file);
	json_object_clear(c->newtab);
	json_object_clear(c->cons);
	json_object_clear(c->txnotvalid);
	json_object_clear(c->nncheck);
	json_object_clear(c->nnvalid);
}

struct linter *
lint_new(const struct lintopt *o)
{
	struct linter *l = xcalloc(1, sizeof *l);
	struct lintctx *c = &l->c;

	c->o = o;
	spath_init(&c->sp);
	c->next_assume = -1;
	c->newtab = json_object();
	c->cons = json_object();
	c->txnotvalid = json_object();
	c->nncheck = json_object();
	c->nnvalid = json_object();
	c->tables = json_object();
	c->addcols = json_object();
	file_reset(c);
	return l;
}

static void
push(struct finding **v, size_t *n, size_t *cap, const struct finding *f)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = *f;
}

static int
named(const struct strv *v, int r)
{
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i], "all") || lint_rule_match(v->v[i], r))
			return 1;
	return 0;
}

int
lint_on(const struct lintctx *c, int r)
{
	return c->o->sev[r] != SEV_OFF && !named(&c->ign, r) && !named(&c->ign_file, r);
}

void
stmt_where_rel(const struct lintctx *c, long loc, struct srcpos *p)
{
	if (loc < 0 || (size_t)loc > c->len || !c->st)
		*p = c->pos;
	else
		stmt_where(c->st, c->sql, c->st->off + loc, p);
}

json_t *
lint_ignjson(const struct lintctx *c)
{
	json_t *a = json_array();

	for (size_t i = 0; i < c->ign.n; i++)
		json_array_append_new(a, json_string(c->ign.v[i]));
	for (size_t i = 0; i < c->ign_file.n; i++)
		json_array_append_new(a, json_string(c->ign_file.v[i]));
	return a;
}

/* Replace each byte of s that is not part of a valid UTF-8 sequence, and each control character,
   by '?', in place: the findings go into JSON, which must be UTF-8 (a Latin-1 identifier would
   make the line empty), and one a line (a quoted identifier may hold a newline). */
static char *
utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 && *p >= 0xC2 ? 2 : (*p & 0xF0) == 0xE0 ? 3
			: (*p & 0xF8) == 0xF0 && *p <= 0xF4 ? 4 : 0;
		int ok = n > 0 && *p >= 0x20 && *p != 0x7F;

		for (int i = 1; ok && i < n; i++)
			ok = (p[i] & 0xC0) == 0x80;
		/* overlong three-byte forms and UTF-16 surrogates are not UTF-8 either */
		if (ok && n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0)))
			ok = 0;
		if (ok && n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90)))
			ok = 0;
		if (!ok) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
	return s;
}

static char *
vfmt(const char *fmt, va_list ap)
{
	struct buf b = { 0 };
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	buf_grow(&b, (size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	b.len = (size_t)n;
	return utf8_clean(b.data);
}

void
lint_report(struct lintctx *c, int r, long loc, int why, const char *fmt, ...)
{
	struct finding f = { .rule = r, .sev = c->o->sev[r], .seq = c->seq };
	va_list ap;

	if (!lint_on(c, r))
		return;
	stmt_where_rel(c, loc, &f.pos);
	f.pos.file = utf8_clean(xstrdup(f.pos.file ? f.pos.file : "-"));
	va_start(ap, fmt);
	f.msg = vfmt(fmt, ap);
	va_end(ap);
	if (why == PEND_NONE)
		push(&c->f, &c->nf, &c->capf, &f);
	else {
		push(&c->pend, &c->np, &c->capp, &f);
		c->pendwhy = xrealloc(c->pendwhy, c->capp * sizeof *c->pendwhy);
		c->pendwhy[c->np - 1] = why;
	}
}

void
lint_report_at(struct lintctx *c, int r, const struct srcpos *pos, long seq, json_t *ign, const char *fmt, ...)
{
	struct finding f = { .rule = r, .sev = c->o->sev[r], .seq = seq, .pos = *pos };
	va_list ap;
	size_t i;
	json_t *v;

	if (c->o->sev[r] == SEV_OFF)
		return;
	json_array_foreach(ign, i, v) {
		const char *s = json_string_value(v);

		if (s && (!strcmp(s, "all") || lint_rule_match(s, r)))
			return;
	}
	f.pos.file = utf8_clean(xstrdup(pos->file ? pos->file : "-"));
	va_start(ap, fmt);
	f.msg = vfmt(fmt, ap);
	va_end(ap);
	push(&c->f, &c->nf, &c->capf, &f);
}

/* End of a file: keep or drop its waiting findings, run the file-level checks. */
static void
file_end(struct lintctx *c)
{
	for (size_t i = 0; i < c->np; i++) {
		if (c->pendwhy[i] == PEND_MULTI && c->nstmts > 1)
			push(&c->f, &c->nf, &c->capf, &c->pend[i]);
		else {
			free((char *)c->pend[i].pos.file);
			free(c->pend[i].msg);
		}
	}
	c->np = 0;
	lint_rules_file_end(c);
}

/* Read the ignore directives of the comments before a statement: "-- conf-lint: ignore RULE, ..."
   and squawk's "-- squawk-ignore RULE", "-- squawk-ignore-file RULE",
   "-- squawk-disable-assume-in-transaction". A directive without rules names every rule. */
static void
directives(struct lintctx *c, const char *g, size_t n)
{
	const char *e = g + n;

	while (g < e) {
		const char *nl = memchr(g, '\n', (size_t)(e - g)), *le = nl ? nl : e, *p = g;
		struct strv *to = NULL;

		g = nl ? nl + 1 : e;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
		if (le - p < 2 || p[0] != '-' || p[1] != '-')
			continue;
		p += 2;
		while (p < le && (*p == ' ' || *p == '\t'))
			p++;
#define WORD(w) ((size_t)(le - p) >= sizeof w - 1 && !memcmp(p, w, sizeof w - 1) && (p += sizeof w - 1))
		if (WORD("squawk-disable-assume-in-transaction")) {
			c->assume = 0;
			c->in_tx = c->explicit_tx;
			continue;
		} else if (WORD("squawk-ignore-file"))
			to = &c->ign_file;
		else if (WORD("squawk-ignore"))
			to = &c->ign;
		else if (WORD("conf-lint:")) {
			while (p < le && (*p == ' ' || *p == '\t'))
				p++;
			if (WORD("ignore-file"))
				to = &c->ign_file;
			else if (WORD("ignore"))
				to = &c->ign;
		}
#undef WORD
		if (!to || (p < le && *p != ' ' && *p != '\t' && *p != '\r'))
			continue;
		size_t before = to->n;

		for (;;) {
			while (p < le && (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r'))
				p++;
			if (p >= le)
				break;
			size_t k = strcspn(p, " \t,\r\n");

			if (k > (size_t)(le - p))
				k = (size_t)(le - p);
			strv_take(to, xstrndup(p, k));
			p += k;
		}
		if (to->n == before)
			strv_add(to, "all");
	}
}

void
lint_next_file(struct linter *l, int in_tx, int mixed)
{
	struct lintctx *c = &l->c;

	/* the current file (if any) ends with the next statement's: what is set now is for the next */
	if (c->file) {
		file_end(c);
		file_reset(c);
	}
	c->next_assume = in_tx;
	c->next_mixed = mixed;
	c->assume = c->in_tx = in_tx;
	c->mixed = mixed;
}

void
lint_stmt(struct linter *l, const struct stmt *st, json_t *tree, const char *sql, const char *gap, size_t gaplen)
{
	struct lintctx *c = &l->c;
	const char *file = st->pos.file ? st->pos.file : "-";
	const char *name;
	json_t *v;

	if (c->file && strcmp(c->file, file)) {
		file_end(c);
		file_reset(c);
	}
	if (!c->file)
		c->file = xstrdup(file);
	c->st = st;
	c->sql = sql;
	c->len = (size_t)st->len;
	c->pos = st->pos;
	c->seq = ++l->seq;
	directives(c, gap, gaplen);
	c->nstmts++;
	if (json_is_object(tree) && json_object_size(tree) == 1) {
		json_object_foreach(tree, name, v) {
			lint_rules_stmt(c, tree, name);
			/* only these can change the search path: stmtinfo applies their effect */
			if (!strcmp(name, "VariableSetStmt") || !strcmp(name, "SelectStmt") || !strcmp(name, "TransactionStmt")) {
				struct stmtinfo si;
				char *text = xstrndup(sql, (size_t)st->len);

				if (stmtinfo_get(tree, text, &c->sp, &si) == 0)
					stmtinfo_free(&si);
				free(text);
			}
		}
	}
	strv_free(&c->ign);
	c->st = NULL;
}

static int
bypos(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return x->rule - y->rule;
}

void
lint_finish(struct linter *l)
{
	struct lintctx *c = &l->c;

	if (c->file)
		file_end(c);
	lint_rules_end(c);
	if (c->nf)
		qsort(c->f, c->nf, sizeof *c->f, bypos);
}

int
lint_model(struct linter *l, const char *path)
{
	struct lintctx *c = &l->c;
	json_error_t err;
	json_t *r;
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	long ln = 0;
	ssize_t n;
	int rc = 0;

	if (!fp) {
		warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	if (!c->model)
		c->model = json_object();
	while ((n = getline(&line, &cap, fp)) > 0) {
		const char *id;

		ln++;
		if (!(r = json_loadb(line, (size_t)n, 0, &err))) {
			warnat(&(struct srcpos){ path, ln, err.column > 0 ? err.column : 1 }, "%s", err.text);
			rc = -1;
			break;
		}
		id = json_string_value(json_object_get(r, "id"));
		if (id && !strncmp(id, "table:", 6))
			json_object_set(c->model, id + 6, r);
		json_decref(r);
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

const struct finding *
lint_findings(const struct linter *l, size_t *n)
{
	*n = l->c.nf;
	return l->c.f;
}

void
lint_free(struct linter *l)
{
	struct lintctx *c;

	if (!l)
		return;
	c = &l->c;
	for (size_t i = 0; i < c->nf; i++) {
		free((char *)c->f[i].pos.file);
		free(c->f[i].msg);
	}
	for (size_t i = 0; i < c->np; i++) {
		free((char *)c->pend[i].pos.file);
		free(c->pend[i].msg);
	}
	free(c->f);
	free(c->pend);
	free(c->pendwhy);
	free(c->file);
	strv_free(&c->ign);
	strv_free(&c->ign_file);
	json_decref(c->newtab);
	json_decref(c->cons);
	json_decref(c->txnotvalid);
	json_decref(c->nncheck);
	json_decref(c->nnvalid);
	json_decref(c->tables);
	json_decref(c->addcols);
	json_decref(c->model);
	spath_free(&c->sp);
	free(l);
}
