#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pg_query.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anonstream.h"
#include "copytext.h"

#define OUTMAX (1 << 20)

/* What the current COPY block masks. */
struct block {
	struct copyhdr h;
	struct anonrule **rule; /* per column, NULL = passes */
	int masked;
	char *name;             /* schema.table as messages show it */
};

static struct anonrules *rules;
static const struct maskkey *keyp;
static struct buf ob, fld, val, vbuf, stmt, abuf, ebuf;
static int pgq_used; /* pg_query_exit crashes when no parse ever created its context */
static int werr;     /* a write failed: stop reading, and say so once */

/* Write n bytes to stdout unbuffered by stdio (its buffer would only copy ours again); a failure
   is reported here, once, naming standard output. */
static void
out(const char *p, size_t n)
{
	if (werr)
		return;
	if (fwrite(p, 1, n, stdout) != n || fflush(stdout) != 0) {
		warnx("standard output: %s", strerror(errno ? errno : EIO));
		werr = 1;
	}
}

/* A piece of OUTMAX bytes or more (a long INSERT) goes out as it is, not through a copy. */
static void
emit_big(const void *p, size_t n)
{
	if (ob.len)
		out(ob.data, ob.len);
	ob.len = 0;
	out(p, n);
}

/* Write the output buffer once it is big: one write for many rows. The buffer is only ever
   written out, so its bytes are not NUL-terminated (buf_add would add one per call): this runs a
   few times per row and is conf-anon's hottest path. */
static inline void
emit(const void *p, size_t n)
{
	if (n >= OUTMAX) {
		emit_big(p, n);
		return;
	}
	if (ob.len + n + 1 > ob.cap)
		buf_grow(&ob, n);
	memcpy(ob.data + ob.len, p, n);
	ob.len += n;
	if (ob.len >= OUTMAX) {
		out(ob.data, ob.len);
		ob.len = 0;
	}
}

int
anon_flush(void)
{
	if (ob.len)
		out(ob.data, ob.len);
	ob.len = 0;
	return werr ? -1 : 0;
}

static int
arr_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* One element of an array literal, quoted as PostgreSQL's array_out does. */
static void
arr_put(struct buf *o, const char *p, size_t n)
{
	int q = n == 0 || (n == 4 && strncasecmp(p, "NULL", 4) == 0);

	for (size_t i = 0; i < n && !q; i++)
		q = p[i] == '"' || p[i] == '\\' || p[i] == '{' || p[i] == '}' || p[i] == ',' || arr_space((unsigned char)p[i]);
	if (!q) {
		buf_add(o, p, n);
		return;
	}
	buf_add(o, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			buf_add(o, "\\", 1);
		buf_add(o, p + i, 1);
	}
	buf_add(o, "\"", 1);
}

/* Mask each element of an array literal (array_in's syntax: {a,"b c",NULL}, nested braces, an
   optional [1:2]= dimension prefix) into out, written back as array_out writes it; NULL elements
   stay NULL. 0, or -1 with *why. */
static int
mask_array(const struct maskrule *m, const char *p, size_t n, struct buf *o, const char **why)
{
	size_t i = 0;
	int depth = 0, after = 0; /* after: an element or a closing brace was just written */

	o->len = 0;
	while (i < n && arr_space((unsigned char)p[i]))
		i++;
	if (i < n && p[i] == '[') {
		const char *eq = memchr(p + i, '=', n - i);

		if (!eq)
			return *why = "not an array literal (a [dimensions] prefix without =)", -1;
		buf_add(o, p + i, (size_t)(eq - (p + i)) + 1);
		i = (size_t)(eq - p) + 1;
		while (i < n && arr_space((unsigned char)p[i]))
			i++;
	}
	if (i >= n || p[i] != '{')
		return *why = "not an array literal (no {)", -1;
	for (; i < n; i++) {
		char c = p[i];

		if (arr_space((unsigned char)c))
			continue;
		if (depth == 0 && after)
			return *why = "not an array literal (text after the closing })", -1;
		if (c == '{') {
			if (after)
				return *why = "not an array literal ({ after an element)", -1;
			buf_add(o, "{", 1);
			depth++;
		} else if (c == '}') {
			if (!depth)
				return *why = "not an array literal (an unmatched })", -1;
			buf_add(o, "}", 1);
			depth--;
			after = 1;
		} else if (c == ',') {
			if (!after)
				return *why = "not an array literal (an empty element)", -1;
			buf_add(o, ",", 1);
			after = 0;
		} else {
			int quoted = c == '"', esc = 0, k;
			size_t e, lastns = 0;

			if (after || !depth)
				return *why = "not an array literal (two elements without a comma)", -1;
			ebuf.len = 0;
			buf_grow(&ebuf, 16);
			if (quoted) {
				for (i++; i < n && p[i] != '"'; i++) {
					if (p[i] == '\\' && i + 1 < n)
						i++;
					buf_add(&ebuf, p + i, 1);
				}
				if (i >= n)
					return *why = "not an array literal (an unterminated quoted element)", -1;
				e = i + 1;
			} else {
				/* an unquoted element ends at , } or {; blanks at its end are not part of it */
				for (e = i; e < n && p[e] != ',' && p[e] != '}' && p[e] != '{' && p[e] != '"'; e++) {
					if (p[e] == '\\' && e + 1 < n)
						e++, esc = 1, buf_add(&ebuf, p + e, 1), lastns = ebuf.len;
					else if (buf_add(&ebuf, p + e, 1), !arr_space((unsigned char)p[e]))
						lastns = ebuf.len;
				}
				ebuf.len = lastns;
				if (!esc && ebuf.len == 4 && strncasecmp(ebuf.data, "NULL", 4) == 0) {
					buf_add(o, "NULL", 4);
					i = e - 1;
					after = 1;
					continue;
				}
			}
			k = mask_value(m, keyp, ebuf.data ? ebuf.data : "", ebuf.len, &abuf, why);
			if (k < 0)
				return -1;
			if (k == 1)
				buf_add(o, "NULL", 4);
			else
				arr_put(o, abuf.data ? abuf.data : "", abuf.len);
			i = e - 1;
			after = 1;
		}
	}
	if (depth || !after)
		return *why = "not an array literal (an unclosed {)", -1;
	return 0;
}

/* Mask one value by its rule: whole, or element by element for an array column. */
static int
mask_field(const struct anonrule *ru, const char *p, size_t n, struct buf *o, const char **why)
{
	if (ru->array)
		return mask_array(&ru->m, p, n, o, why);
	return mask_value(&ru->m, keyp, p, n, o, why);
}

static void
block_free(struct block *b)
{
	copyhdr_free(&b->h);
	free(b->rule);
	free(b->name);
	memset(b, 0, sizeof *b);
}

/* The COPY line of a block: which columns are masked. */
static int
block_start(struct block *b, const struct lnreader *r)
{
	struct srcpos pos = { r->name, r->line, 0 };

	b->name = xasprintf("%s%s%s", b->h.schema ? b->h.schema : "", b->h.schema ? "." : "", b->h.table);
	if (!rules || !anonrules_has_table(rules, b->h.schema, b->h.table))
		return EX_OK;
	if (!b->h.text) {
		warnat(&pos, "table %s: only COPY text format can be masked (this COPY has options)", b->name);
		return EX_SCHEMA;
	}
	if (!b->h.has_cols) {
		warnat(&pos, "table %s: the COPY line has no column list, so no field can be named", b->name);
		return EX_SCHEMA;
	}
	b->rule = xcalloc(b->h.ncols, sizeof *b->rule);
	for (size_t i = 0; i < b->h.ncols; i++)
		if ((b->rule[i] = anonrules_find(rules, b->h.schema, b->h.table, b->h.cols[i])) && b->rule[i]->m.kind != MK_PRESERVE)
			b->masked = 1;
	return EX_OK;
}

/* The COPY text form of a masked value, straight into the output buffer: the value needs no
   escape in most rows, and is then one copy. */
static void
emit_encoded(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	size_t i = 0;
	int esc = 0;

	/* eight bytes at a time: a byte below 0x20, a backslash or a DEL (each test exact) */
	for (; i + 8 <= n && !esc; i += 8) {
		uint64_t w, b, d;

		memcpy(&w, p + i, 8);
		b = w ^ (ones * '\\');
		d = w ^ (ones * 0x7f);
		esc = (((w - ones * 0x20) & ~w) | ((b - ones) & ~b) | ((d - ones) & ~d)) & high ? 1 : 0;
	}
	for (; i < n && !esc; i++) {
		unsigned char c = (unsigned char)p[i];

		esc = c < 0x20 || c == '\\' || c == 0x7f;
	}
	if (esc) {
		fld.len = 0;
		copy_encode(&fld, p, n);
		emit(fld.data, fld.len);
		return;
	}
	emit(p, n);
}

/* One data row of a masked table: the masked fields rewritten, every other byte as it came (the
   bytes between two masked fields go out in one piece). */
static int
row(const struct block *b, const struct lnreader *r, const char *p, size_t n)
{
	const char *e = p + n, *f = p, *kept = p; /* kept: the first byte not yet written */
	int nl = n && p[n - 1] == '\n';
	size_t i = 0;

	if (nl)
		e--;
	for (;; i++) {
		const char *t = memchr(f, '\t', (size_t)(e - f)), *fe = t ? t : e;
		struct anonrule *ru = i < b->h.ncols ? b->rule[i] : NULL;

		if (ru && ru->m.kind != MK_PRESERVE) {
			const char *why;
			size_t fn = (size_t)(fe - f);
			int k;

			emit(kept, (size_t)(f - kept));
			kept = fe;
			if (memchr(f, '\\', fn)) {
				k = copy_decode(f, fn, &fld);
			} else {
				/* no escape: the field is the value (copied: strategies may want a C string) */
				k = 0;
				if (fn + 1 > fld.cap)
					buf_grow(&fld, fn + 1);
				memcpy(fld.data, f, fn);
				fld.data[fn] = 0;
				fld.len = fn;
			}
			if (k < 0) {
				warnat(&(struct srcpos){ r->name, r->line, 0 }, "table %s: the field of column %s ends with a lone backslash",
				    b->name, b->h.cols[i]);
				return EX_SCHEMA;
			}
			if (k == 0)
				k = mask_field(ru, fld.data, fld.len, &val, &why);
			if (k < 0) {
				warnat(&(struct srcpos){ r->name, r->line, 0 }, "table %s: column %s: %s: %s", b->name, b->h.cols[i],
				    mask_kind_name(ru->m.kind), why);
				return EX_SCHEMA;
			}
			if (k == 1)
				emit("\\N", 2);
			else
				emit_encoded(val.data, val.len);
		}
		if (!t)
			break;
		f = t + 1;
	}
	/* i + 1 fields: one more than the tabs */
	if (i + 1 != b->h.ncols) {
		warnat(&(struct srcpos){ r->name, r->line, 0 }, "table %s: the row has %zu fields, the COPY line names %zu columns",
		    b->name, i + 1, b->h.ncols);
		return EX_SCHEMA;
	}
	emit(kept, (size_t)(p + n - kept));
	return EX_OK;
}

/* One replacement of a literal's bytes in an INSERT statement. */
struct edit {
	size_t from, to;
	char *text; /* NULL: the literal NULL */
};

static int
edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return (x->from > y->from) - (x->from < y->from);
}

/* The end of a '…' string at p[i] (backslash escapes when e), and of the strings that continue
   it after a newline (SQL's continuation); n if it does not end. */
static size_t
quoted_end(const char *p, size_t n, size_t i, int e)
{
	for (i++; i < n; i++) {
		if (e && p[i] == '\\')
			i++;
		else if (p[i] == '\'' && i + 1 < n && p[i + 1] == '\'')
			i++;
		else if (p[i] == '\'')
			return i + 1;
	}
	return n;
}

/* The end of the literal token at p[i]: '…', E'…', B'…', X'…', N'…', U&'…' [UESCAPE '…'], a
   number, TRUE/FALSE. The whole token is replaced, its prefix too. */
static size_t
literal_end(const char *p, size_t n, size_t i)
{
	int e = 0;

	if (i + 1 < n && p[i + 1] == '\'' && p[i] && strchr("EeBbXxNn", p[i]))
		e = p[i] == 'E' || p[i] == 'e', i++;
	else if (i + 2 < n && (p[i] == 'U' || p[i] == 'u') && p[i + 1] == '&' && p[i + 2] == '\'') {
		size_t j;

		i = quoted_end(p, n, i + 2, 0);
		/* UESCAPE 'c' belongs to the literal */
		for (j = i; j < n && isspace((unsigned char)p[j]); j++)
			;
		if (n - j > 7 && strncasecmp(p + j, "UESCAPE", 7) == 0) {
			for (j += 7; j < n && isspace((unsigned char)p[j]); j++)
				;
			if (j < n && p[j] == '\'')
				i = quoted_end(p, n, j, 0);
		}
		return i;
	}
	if (i < n && p[i] == '\'')
		return quoted_end(p, n, i, e);
	if (i < n && (p[i] == '-' || p[i] == '+'))
		i++;
	while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '.' || p[i] == '_'
	    || ((p[i] == '-' || p[i] == '+') && (p[i - 1] == 'e' || p[i - 1] == 'E'))))
		i++;
	return i;
}

static size_t
ws(const char *p, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)p[i]))
		i++;
	return i;
}

static int
kw(const char *p, size_t n, size_t *i, const char *w)
{
	size_t k = strlen(w);

	if (n - *i < k || strncasecmp(p + *i, w, k) != 0 || (*i + k < n && (isalnum((unsigned char)p[*i + k]) || p[*i + k] == '_')))
		return 0;
	*i = ws(p, n, *i + k);
	return 1;
}

/* Add the edit of one masked value (val: its text; NULL: the literal NULL, left alone). */
static int
add_edit(struct edit **ed, size_t *ned, const struct anonrule *ru, const char *table, const struct srcpos *pos,
    size_t from, size_t to, const char *v, size_t vn)
{
	const char *why;
	int k = mask_field(ru, v, vn, &vbuf, &why);
	struct buf q = { 0 };

	if (k < 0) {
		warnat(pos, "table %s: column %s: %s: %s", table, ru->column, mask_kind_name(ru->m.kind), why);
		return EX_SCHEMA;
	}
	*ed = xrealloc(*ed, (*ned + 1) * sizeof **ed);
	(*ed)[*ned].from = from, (*ed)[*ned].to = to, (*ed)[*ned].text = NULL;
	if (k == 0) {
		buf_puts(&q, "'");
		for (size_t j = 0; j < vbuf.len; j++)
			buf_add(&q, vbuf.data[j] == '\'' ? "''" : vbuf.data + j, vbuf.data[j] == '\'' ? 2 : 1);
		buf_puts(&q, "'");
		(*ed)[*ned].text = q.data;
	}
	(*ned)++;
	return EX_OK;
}

/* The edits of an INSERT written as pg_dump writes it: INSERT INTO t (cols) VALUES (…), (…);
   with plain '…' strings, numbers, NULL, true/false only. Read here without a parse tree, in
   memory proportional to the masked values: 1 done, 0 another form (the parser reads it),
   or EX_SCHEMA after a message. */
static int
insert_plain(const struct lnreader *r, long line, const char *p, size_t n, struct edit **ed, size_t *ned)
{
	struct srcpos pos = { r->name, line, 0 };
	char *schema = NULL, *table = NULL, **cols = NULL;
	struct anonrule **rule = NULL;
	unsigned char *looked = NULL; /* the column's rule was looked up */
	size_t i = ws(p, n, 0), k, ncols = 0;
	int rc = 0;

	if (!kw(p, n, &i, "INSERT") || !kw(p, n, &i, "INTO") || !(k = sql_ident(p + i, n - i, &table)))
		goto out;
	i += k;
	if (i < n && p[i] == '.') {
		schema = table, table = NULL;
		if (!(k = sql_ident(p + i + 1, n - i - 1, &table)))
			goto out;
		i += 1 + k;
	}
	i = ws(p, n, i);
	if (i >= n || p[i] != '(')
		goto out;
	for (i = ws(p, n, i + 1);;) {
		char *c;

		if (!(k = sql_ident(p + i, n - i, &c)))
			goto out;
		cols = xrealloc(cols, (ncols + 1) * sizeof *cols);
		cols[ncols++] = c;
		i = ws(p, n, i + k);
		if (i < n && p[i] == ',') {
			i = ws(p, n, i + 1);
			continue;
		}
		if (i >= n || p[i] != ')')
			goto out;
		i = ws(p, n, i + 1);
		break;
	}
	if (!kw(p, n, &i, "VALUES"))
		goto out;
	rule = xcalloc(ncols, sizeof *rule);
	looked = xcalloc(ncols, 1);
	for (;;) {
		if (i >= n || p[i] != '(')
			goto out;
		i = ws(p, n, i + 1);
		for (size_t c = 0;; c++) {
			size_t from = i, to;

			if (c >= ncols)
				goto out;
			if (i < n && p[i] == '\'') {
				to = quoted_end(p, n, i, 0);
				if (to >= n)
					goto out;
			} else {
				to = literal_end(p, n, i);
				/* a word other than NULL, true, false (DEFAULT, B'…', a function): the parser's */
				if (to == from || ((isalpha((unsigned char)p[from]) || p[from] == '_')
				    && !((to - from == 4 && (strncasecmp(p + from, "NULL", 4) == 0 || strncasecmp(p + from, "true", 4) == 0))
				        || (to - from == 5 && strncasecmp(p + from, "false", 5) == 0))))
					goto out;
			}
			i = ws(p, n, to);
			/* a cast or an expression: the parser's business */
			if (i >= n || (p[i] != ',' && p[i] != ')'))
				goto out;
			if (!looked[c])
				rule[c] = anonrules_find(rules, schema, table, cols[c]), looked[c] = 1;
			if (rule[c] && rule[c]->m.kind != MK_PRESERVE
			    && !(to - from == 4 && strncasecmp(p + from, "NULL", 4) == 0)) {
				if (p[from] == '\'') {
					/* '' is one quote */
					ebuf.len = 0;
					buf_grow(&ebuf, to - from);
					for (size_t j = from + 1; j + 1 < to; j++) {
						buf_add(&ebuf, p + j, 1);
						if (p[j] == '\'')
							j++;
					}
					rc = add_edit(ed, ned, rule[c], table, &pos, from, to, ebuf.data ? ebuf.data : "", ebuf.len);
				} else {
					rc = add_edit(ed, ned, rule[c], table, &pos, from, to, p + from, to - from);
				}
				if (rc != EX_OK)
					goto out;
			}
			if (p[i] == ')') {
				if (c + 1 != ncols)
					goto out;
				i = ws(p, n, i + 1);
				break;
			}
			i = ws(p, n, i + 1);
		}
		if (i < n && p[i] == ',') {
			i = ws(p, n, i + 1);
			continue;
		}
		if (i < n && p[i] == ';' && ws(p, n, i + 1) == n)
			rc = 1;
		goto out;
	}
out:
	if (rc == 0) {
		for (size_t j = 0; j < *ned; j++)
			free((*ed)[j].text);
		*ned = 0;
	}
	for (size_t j = 0; j < ncols; j++)
		free(cols[j]);
	free(cols);
	free(rule);
	free(looked);
	free(schema);
	free(table);
	return rc;
}

/* Mask the literals of the masked columns of one INSERT statement (pg_dump --column-inserts),
   rewriting only their bytes in the source text: the rest of it passes as it came. */
static int
insert(const struct lnreader *r, long line, const char *p, size_t n)
{
	const char *text = p;
	char *dup = NULL;
	PgQueryParseResult pr = { 0 };
	struct srcpos pos = { r->name, line, 0 };
	struct edit *ed = NULL;
	size_t ned = 0, at = 0, si;
	json_t *root = NULL, *stmts, *st;
	int rc = EX_OK, k;

	if ((k = insert_plain(r, line, text, n, &ed, &ned)) == 1)
		goto write;
	if (k != 0) {
		rc = k;
		goto out;
	}
	/* the parser wants a C string */
	text = dup = xstrndup(p, n);
	pr = (pgq_used = 1, pg_query_parse(dup));
	if (pr.error) {
		warnat(&pos, "an INSERT statement does not parse: %s", pr.error->message);
		rc = EX_SCHEMA;
		goto out;
	}
	root = json_loads(pr.parse_tree, 0, NULL);
	/* the JSON text is as big as the tree: free it before the tree is walked */
	pg_query_free_parse_result(pr);
	pr = (PgQueryParseResult){ 0 };
	stmts = json_object_get(root, "stmts");
	json_array_foreach(stmts, si, st) {
		json_t *ins = json_object_get(json_object_get(st, "stmt"), "InsertStmt"), *rel, *cols, *lists, *l;
		const char *schema, *table;
		struct anonrule **rule;
		size_t ncols, li;

		if (!ins)
			continue;
		rel = json_object_get(ins, "relation");
		schema = json_string_value(json_object_get(rel, "schemaname"));
		table = json_string_value(json_object_get(rel, "relname"));
		if (!table || !anonrules_has_table(rules, schema, table))
			continue;
		cols = json_object_get(ins, "cols");
		if (!(ncols = json_array_size(cols))) {
			warnat(&pos, "table %s: the INSERT has no column list, so no value can be named (dump with pg_dump --column-inserts)", table);
			rc = EX_SCHEMA;
			goto out;
		}
		rule = xcalloc(ncols, sizeof *rule);
		for (size_t i = 0; i < ncols; i++) {
			const char *c = json_string_value(json_object_get(json_object_get(json_array_get(cols, i), "ResTarget"), "name"));

			rule[i] = c ? anonrules_find(rules, schema, table, c) : NULL;
		}
		lists = json_object_get(json_object_get(json_object_get(ins, "selectStmt"), "SelectStmt"), "valuesLists");
		json_array_foreach(lists, li, l) {
			json_t *items = json_object_get(json_object_get(l, "List"), "items");

			for (size_t i = 0; i < ncols && i < json_array_size(items); i++) {
				json_t *it = json_array_get(items, i), *c, *sv;
				const char *why, *val;
				size_t from, to;
				int k;

				if (!rule[i] || rule[i]->m.kind == MK_PRESERVE)
					continue;
				if (json_object_get(it, "TypeCast"))
					it = json_object_get(json_object_get(it, "TypeCast"), "arg");
				if (!(c = json_object_get(it, "A_Const"))) {
					warnat(&pos, "table %s: column %s: the value is not a literal", table, rule[i]->column);
					rc = EX_SCHEMA;
					break;
				}
				if (json_is_true(json_object_get(c, "isnull")))
					continue;
				from = (size_t)json_integer_value(json_object_get(c, "location"));
				/* N'…' is a cast whose string starts after the N: the N goes with it */
				if (from > 0 && from < n && text[from] == '\'' && (text[from - 1] == 'N' || text[from - 1] == 'n')
				    && (from < 2 || !(isalnum((unsigned char)text[from - 2]) || text[from - 2] == '_')))
					from--;
				to = literal_end(text, n, from);
				if ((sv = json_object_get(c, "sval")))
					val = json_string_value(json_object_get(sv, "sval")), val = val ? val : "";
				else if ((sv = json_object_get(c, "bsval")))
					/* B'1010' is "b1010", X'1F' "x1F": the digits are the value */
					val = json_string_value(json_object_get(sv, "bsval")), val = val && *val ? val + 1 : "";
				else
					val = NULL;
				k = mask_field(rule[i], val ? val : text + from, val ? strlen(val) : to - from, &vbuf, &why);
				if (k < 0) {
					warnat(&pos, "table %s: column %s: %s: %s", table, rule[i]->column, mask_kind_name(rule[i]->m.kind), why);
					rc = EX_SCHEMA;
					break;
				}
				ed = xrealloc(ed, (ned + 1) * sizeof *ed);
				ed[ned].from = from, ed[ned].to = to, ed[ned].text = NULL;
				if (k == 0) {
					struct buf q = { 0 };

					buf_puts(&q, "'");
					for (size_t j = 0; j < vbuf.len; j++)
						buf_add(&q, vbuf.data[j] == '\'' ? "''" : vbuf.data + j, vbuf.data[j] == '\'' ? 2 : 1);
					buf_puts(&q, "'");
					ed[ned].text = q.data;
				}
				ned++;
			}
			if (rc != EX_OK)
				break;
		}
		free(rule);
		if (rc != EX_OK)
			goto out;
	}
	/* the edits hold what is needed: the tree goes before the statement is written */
	json_decref(root);
	root = NULL;
write:
	if (ned > 1)
		qsort(ed, ned, sizeof *ed, edit_cmp);
	for (size_t i = 0; i < ned; i++) {
		emit(text + at, ed[i].from - at);
		if (ed[i].text)
			emit(ed[i].text, strlen(ed[i].text));
		else
			emit("NULL", 4);
		at = ed[i].to;
	}
	emit(text + at, n - at);
out:
	for (size_t i = 0; i < ned; i++)
		free(ed[i].text);
	free(ed);
	json_decref(root);
	pg_query_free_parse_result(pr);
	free(dup);
	return rc;
}

/* Whether the line starts an INSERT into a table that has rules (the name read from the line:
   the statements of other tables pass without being parsed). */
static int
is_insert(const char *p, size_t n)
{
	char *schema = NULL, *table = NULL;
	size_t k;
	int has;

	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (n < 12 || strncasecmp(p, "INSERT INTO ", 12) != 0)
		return 0;
	p += 12, n -= 12;
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	/* a name this reader cannot read: parse the statement, the parser will know */
	if (!(k = sql_ident(p, n, &table)))
		return 1;
	if (k < n && p[k] == '.') {
		schema = table, table = NULL;
		if (!sql_ident(p + k + 1, n - k - 1, &table)) {
			free(schema);
			return 1;
		}
	}
	has = anonrules_has_table(rules, schema, table);
	free(schema);
	free(table);
	return has;
}

int
anon_stream(const char *path, struct anonrules *a, const struct maskkey *mk)
{
	struct lnreader r;
	struct sqlscan sc;
	struct block b = { 0 };
	const char *p;
	size_t n;
	int k = 0, rc = EX_OK, incopy = 0;
	long first = 0;

	rules = a;
	keyp = mk;
	if (lr_open(&r, path) < 0)
		return EX_FAIL;
	/* 1 MB pipes (the kernel's default is 64 kB): the processes of a pipeline wake each other
	   16 times less often; not a pipe, or over the limit of /proc/sys/fs/pipe-max-size: as it is */
	(void)fcntl(r.fd, F_SETPIPE_SZ, 1 << 20);
	(void)fcntl(1, F_SETPIPE_SZ, 1 << 20);
	sqlscan_init(&sc);
	while (rc == EX_OK && !werr && (k = lr_next(&r, &p, &n)) > 0) {
		if (incopy) {
			if (copy_is_end(p, n)) {
				incopy = 0;
				block_free(&b);
			} else if (b.masked) {
				rc = row(&b, &r, p, n);
				continue;
			}
			emit(p, n);
			continue;
		}
		if (stmt.len || (rules && sc.state == 0 && sc.empty && is_insert(p, n))) {
			/* an INSERT is gathered whole, to the line where it ends */
			if (!stmt.len)
				first = r.line;
			buf_add(&stmt, p, n);
			sqlscan_line(&sc, p, n);
			if (sc.state == 0 && sc.empty) {
				rc = insert(&r, first, stmt.data, stmt.len);
				stmt.len = 0;
			}
			continue;
		}
		if (sc.state == 0 && sc.empty && copy_header(p, n, &b.h) == 0) {
			incopy = 1;
			rc = block_start(&b, &r);
		} else {
			sqlscan_line(&sc, p, n);
		}
		emit(p, n);
	}
	if (rc == EX_OK && stmt.len) {
		rc = insert(&r, first, stmt.data, stmt.len);
		stmt.len = 0;
	}
	if (k < 0)
		rc = EX_FAIL;
	if (werr && rc == EX_OK)
		rc = EX_FAIL;
	if (rc == EX_OK && incopy) {
		warnat(&(struct srcpos){ r.name, r.line, 0 }, "table %s: the COPY data is not ended by a line \\.", b.name);
		rc = EX_SCHEMA;
	}
	block_free(&b);
	lr_close(&r);
	return rc;
}

int
anon_write_failed(void)
{
	return werr;
}

void
anon_end(void)
{
	if (pgq_used)
		pg_query_exit();
	pgq_used = 0;
	buf_free(&ob);
	buf_free(&fld);
	buf_free(&val);
	buf_free(&vbuf);
	buf_free(&stmt);
	buf_free(&abuf);
	buf_free(&ebuf);
}

