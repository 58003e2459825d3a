#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "copytext.h"
#include "sig.h"

#define LR_CHUNK (1 << 20)

int
lr_open(struct lnreader *r, const char *path)
{
	memset(r, 0, sizeof *r);
	r->name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	r->fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	r->cap = LR_CHUNK;
	r->b = xmalloc(r->cap);
	return 0;
}

void
lr_close(struct lnreader *r)
{
	if (r->fd > 0)
		close(r->fd);
	free(r->b);
	r->b = NULL;
}

/* Read more bytes after the ones kept; 1 if some came, 0 at the end, -1 after a message. */
static int
lr_fill(struct lnreader *r)
{
	ssize_t k;

	if (r->start > 0) {
		memmove(r->b, r->b + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	/* a line longer than the buffer: grow it (a row must fit in memory, a table need not) */
	if (r->end == r->cap) {
		r->cap *= 2;
		r->b = xrealloc(r->b, r->cap);
	}
	for (;;) {
		k = read(r->fd, r->b + r->end, r->cap - r->end);
		if (k < 0 && errno == EINTR && !sig_caught)
			continue;
		break;
	}
	if (k < 0) {
		if (!sig_caught)
			warnx("%s: %s", r->name, strerror(errno));
		return -1;
	}
	if (k == 0) {
		r->eof = 1;
		return 0;
	}
	r->end += (size_t)k;
	return 1;
}

int
lr_next(struct lnreader *r, const char **p, size_t *n)
{
	size_t scanned = 0;

	for (;;) {
		char *s = r->b + r->start, *nl = memchr(s + scanned, '\n', r->end - r->start - scanned);
		int k;

		if (nl || (r->eof && r->end > r->start)) {
			size_t len = nl ? (size_t)(nl - s) + 1 : r->end - r->start;

			*p = s;
			*n = len;
			r->start += len;
			r->line++;
			return 1;
		}
		if (r->eof)
			return 0;
		scanned = r->end - r->start;
		if ((k = lr_fill(r)) < 0)
			return -1;
	}
}

void
sqlscan_init(struct sqlscan *s)
{
	memset(s, 0, sizeof *s);
	s->empty = 1;
}

static int
identch(int c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

void
sqlscan_line(struct sqlscan *s, const char *p, size_t n)
{
	size_t i = 0;

	/* a psql backslash command between statements takes the whole line */
	if (s->state == 0 && s->empty) {
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && p[i] == '\\')
			return;
	}
	for (; i < n; i++) {
		char c = p[i];

		switch (s->state) {
		case 0:
			if (c == '-' && i + 1 < n && p[i + 1] == '-')
				return;
			if (c == '/' && i + 1 < n && p[i + 1] == '*') {
				s->state = 4, s->depth = 1, i++;
			} else if (c == '\'') {
				s->state = 1;
				s->estr = i > 0 && (p[i - 1] == 'E' || p[i - 1] == 'e') && (i < 2 || !identch((unsigned char)p[i - 2]));
				s->empty = 0;
			} else if (c == '"') {
				s->state = 2, s->empty = 0;
			} else if (c == '$' && (i == 0 || !identch((unsigned char)p[i - 1]))) {
				size_t j = i + 1;

				while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '_' || (unsigned char)p[j] >= 0x80))
					j++;
				if (j < n && p[j] == '$' && j + 1 - i <= sizeof s->tag && !(j > i + 1 && isdigit((unsigned char)p[i + 1]))) {
					s->taglen = j + 1 - i;
					memcpy(s->tag, p + i, s->taglen);
					s->state = 3, s->empty = 0;
					i = j;
				} else {
					s->empty = 0;
				}
			} else if (c == ';') {
				s->empty = 1;
			} else if (!isspace((unsigned char)c)) {
				s->empty = 0;
			}
			break;
		case 1:
			if (c == '\\' && s->estr)
				i++;
			else if (c == '\'')
				s->state = 0; /* '' re-enters at once */
			break;
		case 2:
			if (c == '"')
				s->state = 0;
			break;
		case 3:
			if (c == '$' && n - i >= s->taglen && memcmp(p + i, s->tag, s->taglen) == 0) {
				s->state = 0;
				i += s->taglen - 1;
			}
			break;
		case 4:
			if (c == '*' && i + 1 < n && p[i + 1] == '/')
				s->depth--, i++;
			else if (c == '/' && i + 1 < n && p[i + 1] == '*')
				s->depth++, i++;
			if (s->depth == 0)
				s->state = 0;
			break;
		}
	}
}

size_t
sql_ident(const char *p, size_t n, char **out)
{
	struct buf b = { 0 };
	size_t i = 0;

	if (n && p[0] == '"') {
		for (i = 1; i < n; i++) {
			if (p[i] == '"') {
				if (i + 1 < n && p[i + 1] == '"') {
					buf_add(&b, "\"", 1);
					i++;
					continue;
				}
				*out = b.data ? b.data : xstrdup("");
				return i + 1;
			}
			buf_add(&b, p + i, 1);
		}
		buf_free(&b);
		return 0;
	}
	while (i < n && (identch((unsigned char)p[i]) || (i > 0 && p[i] == '$'))) {
		char c = p[i];

		/* an unquoted name folds to lower case, as the server does */
		c = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
		buf_add(&b, &c, 1);
		i++;
	}
	if (i == 0 || isdigit((unsigned char)p[0]))
		return buf_free(&b), 0;
	*out = b.data;
	return i;
}

static size_t
blanks(const char *p, size_t n, size_t i)
{
	while (i < n && isspace((unsigned char)p[i]))
		i++;
	return i;
}

static int
word(const char *p, size_t n, size_t *i, const char *w)
{
	size_t k = strlen(w);

	if (n - *i < k || strncasecmp(p + *i, w, k) != 0 || (*i + k < n && identch((unsigned char)p[*i + k])))
		return 0;
	*i = blanks(p, n, *i + k);
	return 1;
}

void
copyhdr_free(struct copyhdr *h)
{
	free(h->schema);
	free(h->table);
	for (size_t i = 0; i < h->ncols; i++)
		free(h->cols[i]);
	free(h->cols);
	memset(h, 0, sizeof *h);
}

/* Whether what follows FROM stdin keeps COPY's text format: ";", or an option list that says only
   FORMAT text ("(FORMAT text)", "WITH (FORMAT 'text')"), then ";" and perhaps a -- comment. */
static int
copy_rest_text(const char *p, size_t n, size_t i)
{
	size_t w = i;

	if (word(p, n, &w, "WITH") && w < n && p[w] == '(')
		i = w;
	if (i < n && p[i] == '(') {
		i = blanks(p, n, i + 1);
		for (;;) {
			if (!word(p, n, &i, "FORMAT"))
				return 0;
			if (n - i >= 6 && strncasecmp(p + i, "'text'", 6) == 0)
				i = blanks(p, n, i + 6);
			else if (!word(p, n, &i, "text"))
				return 0;
			if (i < n && p[i] == ',') {
				i = blanks(p, n, i + 1);
				continue;
			}
			break;
		}
		if (i >= n || p[i] != ')')
			return 0;
		i = blanks(p, n, i + 1);
	}
	if (i >= n || p[i] != ';')
		return 0;
	i = blanks(p, n, i + 1);
	return i == n || (n - i >= 2 && p[i] == '-' && p[i + 1] == '-');
}

int
copy_header(const char *p, size_t n, struct copyhdr *h)
{
	size_t i = blanks(p, n, 0), k;
	char *a = NULL, *b = NULL;

	memset(h, 0, sizeof *h);
	if (!word(p, n, &i, "COPY"))
		return -1;
	word(p, n, &i, "ONLY");
	if (!(k = sql_ident(p + i, n - i, &a)))
		return -1;
	i += k;
	if (i < n && p[i] == '.') {
		i++;
		if (!(k = sql_ident(p + i, n - i, &b))) {
			free(a);
			return -1;
		}
		i += k;
		h->schema = a, h->table = b;
	} else {
		h->table = a;
	}
	i = blanks(p, n, i);
	if (i < n && p[i] == '(') {
		h->has_cols = 1;
		i = blanks(p, n, i + 1);
		while (i < n && p[i] != ')') {
			char *c;

			if (!(k = sql_ident(p + i, n - i, &c)))
				goto bad;
			h->cols = xrealloc(h->cols, (h->ncols + 1) * sizeof *h->cols);
			h->cols[h->ncols++] = c;
			i = blanks(p, n, i + k);
			if (i < n && p[i] == ',')
				i = blanks(p, n, i + 1);
			else if (i >= n || p[i] != ')')
				goto bad;
		}
		if (i >= n)
			goto bad;
		i = blanks(p, n, i + 1);
	}
	if (!word(p, n, &i, "FROM") || !word(p, n, &i, "stdin"))
		goto bad;
	h->text = copy_rest_text(p, n, i);
	return 0;
bad:
	copyhdr_free(h);
	return -1;
}

int
copy_is_end(const char *p, size_t n)
{
	if (n && p[n - 1] == '\n')
		n--;
	return n == 2 && p[0] == '\\' && p[1] == '.';
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int
copy_decode(const char *p, size_t n, struct buf *out)
{
	const char *e = p + n;
	char *o;

	/* the decoded value is never longer than the field: room once, then bytes in place */
	out->len = 0;
	buf_grow(out, n + 1);
	o = out->data;
	if (n == 2 && p[0] == '\\' && p[1] == 'N') {
		o[0] = 0;
		return 1;
	}
	while (p < e) {
		const char *bs = memchr(p, '\\', (size_t)(e - p));
		char c;

		if (!bs) {
			memcpy(o, p, (size_t)(e - p));
			o += e - p;
			break;
		}
		memcpy(o, p, (size_t)(bs - p));
		o += bs - p;
		p = bs + 1;
		if (p >= e) {
			out->len = (size_t)(o - out->data);
			out->data[out->len] = 0;
			return -1;
		}
		switch ((c = *p++)) {
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'v': c = '\v'; break;
		case 'x':
			if (p < e && hexval((unsigned char)*p) >= 0) {
				int v = hexval((unsigned char)*p++);

				if (p < e && hexval((unsigned char)*p) >= 0)
					v = v * 16 + hexval((unsigned char)*p++);
				c = (char)v;
			}
			break;
		default:
			if (c >= '0' && c <= '7') {
				int v = c - '0';

				for (int k = 0; k < 2 && p < e && *p >= '0' && *p <= '7'; k++)
					v = v * 8 + (*p++ - '0');
				c = (char)(v & 0xff);
			}
			break;
		}
		*o++ = c;
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = 0;
	return 0;
}

void
copy_encode(struct buf *out, const char *p, size_t n)
{
	const char *e = p + n;
	char *o;

	/* at most two bytes out for each byte in: room once, then bytes in place */
	buf_grow(out, 2 * n);
	o = out->data + out->len;
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		char esc;

		if (c >= 0x20 && c != '\\' && c != 0x7f) {
			*o++ = (char)c;
			continue;
		}
		switch (c) {
		case '\\': esc = '\\'; break;
		case '\b': esc = 'b'; break;
		case '\f': esc = 'f'; break;
		case '\n': esc = 'n'; break;
		case '\r': esc = 'r'; break;
		case '\t': esc = 't'; break;
		case '\v': esc = 'v'; break;
		default: esc = 0; break;
		}
		if (esc) {
			*o++ = '\\';
			*o++ = esc;
		} else {
			*o++ = (char)c;
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = 0;
}
