/* lint.c: the rule engine of conf-lint: context across a stream, ignore comments, findings. */
#include <ctype.h>
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
	c->lineign = json_object();
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
			/* "-- squawk-ignore RULE -- why": the reason is no rule */
			if (p >= le || (le - p >= 2 && p[0] == '-' && p[1] == '-'))
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

/* Note an ignore comment by place: body is the comment's text without its -- or slash-star
   marks, at line ln of file. "squawk-ignore RULES" and "conf-lint: ignore RULES" quiet the rules on
   that line and the next (a trailing comment, or one inside a statement before the clause it is
   about); the -file forms quiet them in the whole file, before the comment too. */
static void
place_directive(struct lintctx *c, const struct srcpos *at, const char *body, size_t n)
{
	const char *file = at->file ? at->file : "-", *p = body, *e = body + n;
	long ln = at->line;
	int whole = 0, ours = 0;
	json_t *a;
	char *key;
	size_t before;

	while (p < e && isspace((unsigned char)*p))
		p++;
#define WORD(w) ((size_t)(e - p) >= sizeof w - 1 && !memcmp(p, w, sizeof w - 1) && (p += sizeof w - 1))
	if (WORD("squawk-ignore-file"))
		whole = 1;
	else if (WORD("squawk-ignore"))
		;
	else if (WORD("conf-lint:")) {
		ours = 1;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (WORD("ignore-file"))
			whole = 1;
		else if (!WORD("ignore"))
			return;
	} else
		return;
#undef WORD
	if (p < e && !isspace((unsigned char)*p))
		return; /* squawk-ignored, conf-lint: ignorex: not a directive */
	key = whole ? xstrdup(file) : xasprintf("%s\n%ld", file, ln);
	if (!(a = json_object_get(c->lineign, key))) {
		a = json_array();
		json_object_set_new(c->lineign, key, a);
	}
	free(key);
	before = json_array_size(a);
	/* the rules, up to the end of the comment's first line or a second "--" (squawk's reason) */
	for (;;) {
		size_t k;

		while (p < e && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p >= e || *p == '\r' || *p == '\n' || (e - p >= 2 && p[0] == '-' && p[1] == '-'))
			break;
		k = strcspn(p, " \t,\r\n");
		if (k > (size_t)(e - p))
			k = (size_t)(e - p);
		json_array_append_new(a, json_stringn(p, k));
		/* a misspelt name in conf-lint's own directive would quiet nothing, silently (squawk's
		   names are not checked: its rules conf-lint does not have are fine there) */
		if (ours && (k != 3 || memcmp(p, "all", 3))) {
			char *nm = xstrndup(p, k);

			if (lint_rule_index(nm) < 0)
				warnat(at, "ignore comment: no rule named %s", nm);
			free(nm);
		}
		p += k;
	}
	if (json_array_size(a) == before)
		json_array_append_new(a, json_string("all"));
}

/* The comments of text t (n bytes) that hold ignore directives, skipping string constants, quoted
   identifiers and dollar-quoted bodies: t is statement st's text (sql), or the gap before it. */
static void
scan_comments(struct lintctx *c, const struct stmt *st, const char *sql, const char *t, size_t n, int gap)
{
	const char *p = t, *e = t + n, *first = NULL, *last = NULL;

	/* the gap may hold conf-concat's markers ("-- confiture:file ..."): a comment before the first
	   is in the previous statement's file, one after the last in this statement's */
	for (const char *q = t; gap && q + 13 <= e; q++)
		if ((q == t || q[-1] == '\n') && !memcmp(q, "-- confiture:", 13)) {
			if (!first)
				first = q;
			last = q;
		}
	while (p < e) {
		const char *c0 = p, *b = NULL, *be = NULL;

		if (*p == '-' && p + 1 < e && p[1] == '-') {
			b = p + 2;
			while (p < e && *p != '\n')
				p++;
			be = p;
		} else if (*p == '/' && p + 1 < e && p[1] == '*') {
			int depth = 1;

			b = p + 2;
			for (p += 2; p < e && depth; p++)
				if (*p == '*' && p + 1 < e && p[1] == '/')
					depth--, p++;
				else if (*p == '/' && p + 1 < e && p[1] == '*')
					depth++, p++;
			be = depth ? p : p - 2;
		} else if (*p == '\'' || *p == '"') {
			char q = *p;
			int esc = q == '\'' && p > t && (p[-1] == 'E' || p[-1] == 'e');

			for (p++; p < e; p++) {
				if (esc && *p == '\\' && p + 1 < e)
					p++;
				else if (*p == q) {
					if (p + 1 < e && p[1] == q)
						p++;
					else
						break;
				}
			}
			p = p < e ? p + 1 : e;
			continue;
		} else if (*p == '$' && (p == t || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			const char *q = p + 1;

			while (q < e && (isalnum((unsigned char)*q) || *q == '_' || (unsigned char)*q >= 0x80))
				q++;
			if (q < e && *q == '$') {
				size_t tl = (size_t)(q - p + 1);
				const char *end = q + 1;

				while (end + tl <= e && memcmp(end, p, tl))
					end++;
				p = end + tl <= e ? end + tl : e;
			} else
				p = q;
			continue;
		} else {
			p++;
			continue;
		}
		{
			struct srcpos pos;

			if (gap && !st && first && c0 >= first)
				continue; /* the end of a stream: after its last marker */
			if (gap && (!st || (first && c0 < first))) {
				/* the previous statement's file: its last line, plus the line ends between */
				long nl = 0;

				if (!c->prev_file)
					continue;
				for (const char *q = t; q < c0; q++)
					nl += *q == '\n';
				pos = (struct srcpos){ c->prev_file, c->prev_line + nl, 1 };
			} else if (gap) {
				/* its line: the statement's, less the line ends between the two */
				long nl = 0;

				if (c0 < last)
					continue; /* between two markers: a file without statements */
				for (const char *q = c0; q < e; q++)
					nl += *q == '\n';
				pos = st->pos;
				pos.line -= nl;
				pos.col = 1;
			} else
				stmt_where(st, sql, st->off + (c0 - t), &pos);
			if (gap) {
				/* its column: characters since the line's start, or since the previous statement's
				   end when it is on that statement's last line */
				const char *q = c0;
				long chars = 0;

				while (q > t && q[-1] != '\n')
					chars += (*--q & 0xC0) != 0x80;
				pos.col = q == t && c->prev_file && pos.line == c->prev_line && !strcmp(pos.file ? pos.file : "-", c->prev_file)
					? c->prev_col + chars : chars + 1;
			}
			place_directive(c, &pos, b, (size_t)(be - b));
		}
	}
}

void
lint_tail(struct linter *l, const char *tail, size_t n)
{
	scan_comments(&l->c, NULL, NULL, tail, n, 1);
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
	scan_comments(c, st, sql, gap, gaplen, 1);
	scan_comments(c, st, sql, sql, (size_t)st->len, 0);
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
	/* where this statement ends: the comments after it, up to a conf-concat marker, are its file's */
	{
		struct srcpos end;

		stmt_where(st, sql, st->off + st->len, &end);
		free(c->prev_file);
		c->prev_file = xstrdup(file);
		c->prev_line = end.line;
		c->prev_col = end.col;
	}
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

/* Whether the rules list a (JSON array of names, "all") names rule r. */
static int
names_rule(json_t *a, int r)
{
	size_t i;
	json_t *v;

	json_array_foreach(a, i, v) {
		const char *s = json_string_value(v);

		if (s && (!strcmp(s, "all") || lint_rule_match(s, r)))
			return 1;
	}
	return 0;
}

/* Whether an ignore comment by place quiets finding f: one of its file, or on its line or the
   line before. */
static int
quieted(const struct lintctx *c, const struct finding *f)
{
	char key[64];
	const char *file = f->pos.file ? f->pos.file : "-";
	int hit = names_rule(json_object_get(c->lineign, file), f->rule);

	for (long d = 0; !hit && d < 2; d++) {
		char *k;

		if (f->pos.line - d < 1)
			break;
		k = strlen(file) < sizeof key - 24 ? key : NULL;
		if (k)
			snprintf(k, sizeof key, "%s\n%ld", file, f->pos.line - d);
		else
			k = xasprintf("%s\n%ld", file, f->pos.line - d);
		hit = names_rule(json_object_get(c->lineign, k), f->rule);
		if (k != key)
			free(k);
	}
	return hit;
}

void
lint_finish(struct linter *l)
{
	struct lintctx *c = &l->c;
	size_t k = 0;

	if (c->file)
		file_end(c);
	lint_rules_end(c);
	for (size_t i = 0; i < c->nf; i++) {
		if (quieted(c, &c->f[i])) {
			free((char *)c->f[i].pos.file);
			free(c->f[i].msg);
		} else
			c->f[k++] = c->f[i];
	}
	c->nf = k;
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
		/* keyed as the rules key a table (lint_relkey: schema.name as the parser gives them),
		   not by the id, whose names are quoted where PostgreSQL needs it ("Mixed"."T") */
		if (id && !strncmp(id, "table:", 6)) {
			const char *sc = json_string_value(json_object_get(r, "schema"));
			const char *nm = json_string_value(json_object_get(r, "name"));
			char *key = xasprintf("%s.%s", sc ? sc : "public", nm ? nm : "");

			json_object_set(c->model, key, r);
			free(key);
		}
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
	json_decref(c->lineign);
	free(c->prev_file);
	json_decref(c->model);
	spath_free(&c->sp);
	free(l);
}
