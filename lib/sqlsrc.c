#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlclass.h"
#include "sqlsrc.h"

#define WINDOW0 (64 * 1024)
#define READSZ (256 * 1024)
#define MARKER "-- confiture:file "
#define HEADER "-- confiture:build "
#define ENDLINE "-- confiture:end files="

/*
 * The stream is read into a buffer that holds the bytes [base, base + b.len). Statements are
 * found by libpg_query's scanner over a window of the buffer; a window never crosses a line
 * that starts with a backslash (a psql meta-command or the "\." ending COPY data) unless that
 * line turns out to sit inside a literal. COPY data never reaches the scanner: after a
 * COPY ... FROM STDIN statement the reader switches to copy mode until the "\." line.
 */
struct sqlsrc {
	int fd;
	char *name;
	struct buf b;
	long long base;
	int bol0;              /* b.data[0] starts a line */
	size_t pos;            /* next byte not yet turned into an item */
	int eof;
	int parse;
	int copying;
	long long nobar;       /* stream offset before which backslash lines are inside literals */
	long long released;    /* text before this stream offset may be forgotten */
	struct stmt *q;        /* items found but not yet returned */
	size_t qhead, qn, qcap;
	/* provenance cursor: stream offset pc is on line pline of pfile; that line starts at plstart */
	long long pc, plstart;
	long long marked;      /* line start last checked for a marker */
	long pline;
	const char *pfile;
	struct strv files;
	struct sqlframe frame;
};

static const char *
intern_file(struct sqlsrc *s, const char *p, size_t n)
{
	for (size_t i = 0; i < s->files.n; i++)
		if (strlen(s->files.v[i]) == n && memcmp(s->files.v[i], p, n) == 0)
			return s->files.v[i];
	strv_take(&s->files, xstrndup(p, n));
	return s->files.v[s->files.n - 1];
}

static char *
at(struct sqlsrc *s, long long off)
{
	return s->b.data + (off - s->base);
}

static long long
bend(struct sqlsrc *s)
{
	return s->base + (long long)s->b.len;
}

static struct sqlsrc *
newsrc(const char *name, int fd, size_t size)
{
	struct sqlsrc *s = xcalloc(1, sizeof *s);

	s->fd = fd;
	s->name = xstrdup(name);
	s->parse = 1;
	s->bol0 = 1;
	s->pline = 1;
	s->marked = -1;
	s->pfile = intern_file(s, s->name, strlen(s->name));
	buf_grow(&s->b, size);
	return s;
}

struct sqlsrc *
sqlsrc_open(const char *path)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		warnx("%s: %s", path, strerror(errno));
		return NULL;
	}
	return newsrc(strcmp(path, "-") == 0 ? "<stdin>" : path, fd, READSZ);
}

struct sqlsrc *
sqlsrc_mem(const char *name, const char *data, size_t n)
{
	struct sqlsrc *s = newsrc(name, -1, n);

	buf_add(&s->b, data, n);
	s->eof = 1;
	return s;
}

void
sqlsrc_set_parse(struct sqlsrc *s, int on)
{
	s->parse = on;
}

const char *
sqlsrc_name(const struct sqlsrc *s)
{
	return s->name;
}

void
sqlsrc_close(struct sqlsrc *s)
{
	if (!s)
		return;
	if (s->fd > 0)
		close(s->fd);
	buf_free(&s->b);
	strv_free(&s->files);
	free(s->q);
	free(s->name);
	free(s);
}

const char *
sqlsrc_text(struct sqlsrc *s, long long off)
{
	return at(s, off);
}

/* Note what the line at the cursor says of the stream: its header, its end line, or neither. */
static void
frame_line(struct sqlsrc *s)
{
	const char *p = at(s, s->pc), *e = at(s, bend(s)), *nl = memchr(p, '\n', (size_t)(e - p));
	size_t n = (size_t)((nl ? nl : e) - p), hl = sizeof HEADER - 1, el = sizeof ENDLINE - 1;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	if (s->pc == 0 && n > hl && memcmp(p, HEADER, hl) == 0) {
		const char *f = memmem(p, n, " files=", 7);

		s->frame.header = 1;
		s->frame.files = f ? strtol(f + 7, NULL, 10) : -1;
		return;
	}
	if (n > el && memcmp(p, ENDLINE, el) == 0) {
		s->frame.ended = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i])) {
			s->frame.ended = 0;
			return;
		}
}

/* Switch the provenance to the file a marker line at the cursor names, if there is one. */
static void
marker(struct sqlsrc *s)
{
	size_t ml = sizeof MARKER - 1;
	char *path, *eol, *end, *sha = NULL;

	s->marked = s->pc;
	frame_line(s);
	if (bend(s) - s->pc < (long long)ml || memcmp(at(s, s->pc), MARKER, ml) != 0)
		return;
	s->frame.markers++;
	path = at(s, s->pc) + ml;
	eol = memchr(path, '\n', (size_t)(bend(s) - (s->pc + (long long)ml)));
	end = eol ? eol : at(s, bend(s));
	for (char *q = path; q + 8 <= end; q++)
		if (memcmp(q, " sha256=", 8) == 0)
			sha = q;
	if (sha)
		end = sha;
	s->pfile = intern_file(s, path, (size_t)(end - path));
	s->pline = 0; /* the marker's own line; the next one is line 1 */
}

/* Move the provenance cursor to stream offset to; marker lines switch the file when markers is set. */
static void
advance(struct sqlsrc *s, long long to, int markers)
{
	while (s->pc < to) {
		char *p, *nl;

		if (markers && s->pc == s->plstart && s->marked != s->pc)
			marker(s);
		p = at(s, s->pc);
		nl = memchr(p, '\n', (size_t)(to - s->pc));
		if (!nl) {
			s->pc = to;
			break;
		}
		s->pc += nl - p + 1;
		s->pline++;
		s->plstart = s->pc;
	}
}

static long
chars(const char *p, size_t n)
{
	long c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xC0) != 0x80;
	return c;
}

size_t
utf8_bytes(const char *p, size_t n, long nchars)
{
	size_t i = 0;

	while (i < n && nchars > 0) {
		i++;
		while (i < n && ((unsigned char)p[i] & 0xC0) == 0x80)
			i++;
		nchars--;
	}
	return i;
}

static void
pos_of(struct sqlsrc *s, long long off, struct srcpos *out)
{
	advance(s, off, !s->copying);
	out->file = s->pfile;
	out->line = s->pline;
	out->col = chars(at(s, s->plstart), (size_t)(off - s->plstart)) + 1;
}

void
stmt_where(const struct stmt *st, const char *p, long long off, struct srcpos *out)
{
	long long n = off - st->off;
	const char *lastnl = NULL;

	*out = st->pos;
	if (n <= 0)
		return;
	for (const char *q = p; q < p + n; q++)
		if (*q == '\n') {
			out->line++;
			lastnl = q;
		}
	if (lastnl)
		out->col = chars(lastnl + 1, (size_t)(p + n - lastnl - 1)) + 1;
	else
		out->col = st->pos.col + chars(p, (size_t)n);
}

void
sqlsrc_where(struct sqlsrc *s, const struct stmt *st, long long off, struct srcpos *out)
{
	stmt_where(st, at(s, st->off), off, out);
}

/* Forget text that no item needs any more, so that a long COPY streams in constant memory. */
static void
compact(struct sqlsrc *s)
{
	long long keep = s->released;
	size_t k;

	if (s->qhead < s->qn && s->q[s->qhead].off < keep)
		keep = s->q[s->qhead].off;
	if (keep > s->base + (long long)s->pos)
		keep = s->base + (long long)s->pos;
	if (s->pc < keep)
		advance(s, keep, !s->copying);
	if (s->plstart < keep)
		keep = s->plstart;
	k = (size_t)(keep - s->base);
	if (k < s->b.len / 2 && k < READSZ)
		return;
	s->bol0 = k == 0 ? s->bol0 : s->b.data[k - 1] == '\n';
	memmove(s->b.data, s->b.data + k, s->b.len - k + 1);
	s->b.len -= k;
	s->pos -= k;
	s->base += (long long)k;
}

/* Read until the buffer holds n bytes from pos, or end of input. -1 after a read error. */
static int
ensure(struct sqlsrc *s, size_t n)
{
	while (!s->eof && s->b.len - s->pos < n) {
		ssize_t r;

		compact(s);
		buf_grow(&s->b, READSZ);
		r = read(s->fd, s->b.data + s->b.len, s->b.cap - s->b.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			warnx("%s: %s", s->name, strerror(errno));
			return -1;
		}
		if (r == 0)
			s->eof = 1;
		s->b.len += (size_t)r;
		s->b.data[s->b.len] = '\0';
	}
	return 0;
}

static int
bol(struct sqlsrc *s, size_t i)
{
	return i == 0 ? s->bol0 : s->b.data[i - 1] == '\n';
}

/* Buffer offset of the first line in [from, to) whose first non-blank byte is a backslash, or -1. */
static long
barrier(struct sqlsrc *s, size_t from, size_t to)
{
	const char *d = s->b.data;
	size_t i = from;

	if (!bol(s, i)) {
		const char *nl = memchr(d + i, '\n', to - i);

		if (!nl)
			return -1;
		i = (size_t)(nl - d) + 1;
	}
	while (i < to) {
		size_t j = i;
		const char *nl;

		while (j < to && (d[j] == ' ' || d[j] == '\t'))
			j++;
		if (j < to && d[j] == '\\' && s->base + (long long)i >= s->nobar)
			return (long)i;
		nl = memchr(d + j, '\n', to - j);
		if (!nl)
			break;
		i = (size_t)(nl - d) + 1;
	}
	return -1;
}

/* First byte in [from, to) that is not white space or comment; *lost is set when a file
   marker sits inside a block comment (an unclosed comment swallowed the next file). */
static size_t
skip_blank(const char *d, size_t from, size_t to, int *lost)
{
	size_t i = from, ml = sizeof MARKER - 1;

	while (i < to) {
		if (isspace((unsigned char)d[i])) {
			i++;
		} else if (d[i] == '-' && i + 1 < to && d[i + 1] == '-') {
			const char *nl = memchr(d + i, '\n', to - i);

			i = nl ? (size_t)(nl - d) + 1 : to;
		} else if (d[i] == '/' && i + 1 < to && d[i + 1] == '*') {
			int depth = 1;

			for (i += 2; i < to && depth; i++) {
				if (d[i] == '/' && i + 1 < to && d[i + 1] == '*')
					depth++, i++;
				else if (d[i] == '*' && i + 1 < to && d[i + 1] == '/')
					depth--, i++;
				else if (lost && d[i] == '\n' && to - i > ml && memcmp(d + i + 1, MARKER, ml) == 0)
					*lost = 1;
			}
		} else {
			break;
		}
	}
	return i < to ? i : to;
}

static int
has_word_ci(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);
	int c0 = w[0] | 0x20;

	for (size_t i = 0; i + wl <= n; i++)
		if ((p[i] | 0x20) == c0 && strncasecmp(p + i, w, wl) == 0)
			return 1;
	return 0;
}

static struct stmt *
push(struct sqlsrc *s)
{
	if (s->qn == s->qcap) {
		s->qcap = s->qcap ? s->qcap * 2 : 64;
		s->q = xrealloc(s->q, s->qcap * sizeof *s->q);
	}
	memset(&s->q[s->qn], 0, sizeof *s->q);
	return &s->q[s->qn++];
}

static void
scan_error(struct sqlsrc *s, size_t from, size_t to, PgQueryError *e)
{
	struct srcpos p;
	const char *m = e->message ? e->message : "syntax error";
	size_t off = from + utf8_bytes(s->b.data + from, to - from, e->cursorpos > 0 ? e->cursorpos - 1 : 0);
	int n = (int)strcspn(m, "\n");
	int cut = m[n] != '\0' || n > 160;

	if (n > 160)
		n = 160;
	pos_of(s, s->base + (long long)off, &p);
	/* the scanner quotes the rest of the input after "at or near": keep its first line */
	warnat(&p, "ERROR 42601: %.*s%s", n, m, cut ? (strstr(m, " at or near \"") ? "...\"" : "...") : "");
}

static void
classify(struct sqlsrc *s, struct stmt *st, struct sqlclass *c)
{
	char *end = at(s, st->off + st->len);
	char saved = *end;

	*end = '\0';
	if (sql_classify(at(s, st->off), c) == 0) {
		st->flags |= c->flags;
		st->node = c->node;
		st->why_notx = c->why;
	}
	*end = saved;
}

/*
 * Turn the scanner's pieces of the window [pos, wend) into items. A piece without its ';'
 * is taken only at a true end (end of input, or a backslash line). Returns the number of
 * items queued, or -1 after a message.
 */
static int
take(struct sqlsrc *s, PgQuerySplitResult *r, size_t wend, int truend, int atbar)
{
	size_t start = s->pos;
	int got = 0;

	for (int i = 0; i < r->n_stmts; i++) {
		size_t loc = start + (size_t)r->stmts[i]->stmt_location;
		size_t end = loc + (size_t)r->stmts[i]->stmt_len;
		int term = end < wend && s->b.data[end] == ';';
		int lost = 0;
		size_t first = skip_blank(s->b.data, loc, end, &lost);
		struct stmt *st;
		struct sqlclass c;

		if (!term && !truend)
			break;
		if (!term && atbar) {
			struct srcpos p;

			pos_of(s, s->base + (long long)first, &p);
			warnat(&p, "statement is not terminated by ';' before a backslash command");
			return -1;
		}
		if (first == end) {
			s->pos = end + (size_t)term;
			continue;
		}
		st = push(s);
		st->kind = SQ_STMT;
		st->off = s->base + (long long)first;
		st->len = (long long)(end - first);
		pos_of(s, st->off, &st->pos);
		if (!term)
			st->flags |= ST_UNTERM;
		if (s->parse || has_word_ci(s->b.data + first, end - first < 4 ? end - first : 4, "copy"))
			classify(s, st, &c);
		else
			c.at_end = 0;
		/* BEGIN ATOMIC bodies hold ';' that the scanner splits on: join pieces until it parses */
		if (!(st->flags & ST_PARSED) && has_word_ci(s->b.data + first, end - first, "atomic")) {
			int j;

			if (!s->parse)
				classify(s, st, &c);
			for (j = i + 1; !(st->flags & ST_PARSED) && c.at_end && j < r->n_stmts && j < i + 256; j++) {
				size_t e2 = start + (size_t)r->stmts[j]->stmt_location + (size_t)r->stmts[j]->stmt_len;

				if (!(e2 < wend && s->b.data[e2] == ';') && !truend)
					break;
				st->len = (long long)(e2 - first);
				classify(s, st, &c);
				if (st->flags & ST_PARSED) {
					i = j;
					end = e2;
					term = end < wend && s->b.data[end] == ';';
					st->flags &= ~ST_UNTERM;
					if (!term)
						st->flags |= ST_UNTERM;
				}
			}
			if (!(st->flags & ST_PARSED)) {
				if (c.at_end && j == r->n_stmts && !truend) {
					s->qn--; /* the rest of the body is beyond the window */
					break;
				}
				st->len = (long long)(end - first);
			}
		}
		if (lost || memmem(s->b.data + first, (size_t)st->len, "\n" MARKER, sizeof MARKER)) {
			warnat(lost ? NULL : &st->pos, "%s runs into the next file of the stream",
			    lost ? "an unclosed /* comment" : "the statement is not terminated by ';' and");
			return -1;
		}
		s->pos = end + (size_t)term;
		got++;
		if (st->flags & ST_COPYIN) {
			/* the data starts on the line after the ';' */
			const char *nl;

			if (ensure(s, 1) < 0)
				return -1;
			nl = memchr(s->b.data + s->pos, '\n', s->b.len - s->pos);
			while (!nl && !s->eof) {
				if (ensure(s, s->b.len - s->pos + READSZ) < 0)
					return -1;
				nl = memchr(s->b.data + s->pos, '\n', s->b.len - s->pos);
			}
			s->pos = nl ? (size_t)(nl - s->b.data) + 1 : s->b.len;
			st->kind = SQ_COPY;
			pos_of(s, s->base + (long long)s->pos, &st->datapos);
			st->datapos.col = 1;
			return got; /* copy mode starts when this item is handed out */
		}
	}
	if (truend) {
		/* text the scanner left out (an open parenthesis, say) is still a statement */
		size_t rest = skip_blank(s->b.data, s->pos, wend, NULL);

		if (rest < wend) {
			struct stmt *st;

			if (atbar) {
				struct srcpos p;

				pos_of(s, s->base + (long long)rest, &p);
				warnat(&p, "statement is not terminated by ';' before a backslash command");
				return -1;
			}
			st = push(s);
			st->kind = SQ_STMT;
			st->off = s->base + (long long)rest;
			st->len = (long long)(wend - rest);
			st->flags |= ST_UNTERM;
			pos_of(s, st->off, &st->pos);
			if (s->parse) {
				struct sqlclass c;

				classify(s, st, &c);
			}
			got++;
		}
		s->pos = wend;
	}
	return got;
}

static PgQuerySplitResult
split(struct sqlsrc *s, size_t from, size_t to)
{
	char saved = s->b.data[to];
	PgQuerySplitResult r;

	s->b.data[to] = '\0';
	pgq_used();
	r = pg_query_split_with_scanner(s->b.data + from);
	s->b.data[to] = saved;
	return r;
}

/* Queue the next items. Returns the number queued (0 at end of input) or -1. */
static int
refill(struct sqlsrc *s)
{
	size_t w = WINDOW0;

	for (;;) {
		size_t wend;
		long bar;
		int atend, truend, got;
		PgQuerySplitResult r;

		if (ensure(s, w) < 0)
			return -1;
		if (s->pos >= s->b.len && s->eof)
			return 0;
		wend = s->b.len - s->pos > w ? s->pos + w : s->b.len;
		atend = wend == s->b.len && s->eof;
		bar = barrier(s, s->pos, wend);
		truend = bar >= 0 || atend;
		if (bar >= 0)
			wend = (size_t)bar;
		if (bar >= 0 && skip_blank(s->b.data, s->pos, wend, NULL) == wend) {
			/* nothing but blanks before a backslash line: the line is a meta-command */
			struct stmt *st;
			const char *nl;

			advance(s, s->base + (long long)wend, 1);
			while (!(nl = memchr(s->b.data + bar, '\n', s->b.len - (size_t)bar)) && !s->eof)
				if (ensure(s, s->b.len - s->pos + READSZ) < 0)
					return -1;
			st = push(s);
			st->kind = SQ_META;
			st->off = s->base + (long long)bar;
			st->len = (long long)(nl ? (size_t)(nl - s->b.data) : s->b.len) - bar;
			if (st->len > 0 && *at(s, st->off + st->len - 1) == '\r')
				st->len--;
			pos_of(s, st->off, &st->pos);
			s->pos = nl ? (size_t)(nl - s->b.data) + 1 : s->b.len;
			return 1;
		}
		r = split(s, s->pos, wend);
		if (r.error) {
			size_t e = s->pos + utf8_bytes(s->b.data + s->pos, wend - s->pos,
			    r.error->cursorpos > 0 ? r.error->cursorpos - 1 : 0);
			size_t ls = e;

			while (ls > s->pos && s->b.data[ls - 1] != '\n')
				ls--;
			got = 0;
			if (ls > s->pos) {
				/* the error may lie in COPY data: statements before its line still count */
				PgQuerySplitResult r2 = split(s, s->pos, ls);

				if (!r2.error)
					got = take(s, &r2, ls, 0, 0);
				pg_query_free_split_result(r2);
			}
			if (got != 0) {
				pg_query_free_split_result(r);
				return got;
			}
			if (bar >= 0) {
				/* the backslash line sits inside a literal or comment */
				s->nobar = s->base + bar + 1;
				w = (size_t)bar - s->pos + WINDOW0;
				pg_query_free_split_result(r);
				continue;
			}
			if (atend) {
				scan_error(s, s->pos, wend, r.error);
				pg_query_free_split_result(r);
				return -1;
			}
			pg_query_free_split_result(r);
			w *= 2;
			continue;
		}
		got = take(s, &r, wend, truend, bar >= 0);
		pg_query_free_split_result(r);
		if (got != 0)
			return got;
		if (!truend)
			w *= 2;
		else if (bar < 0)
			return 0;
		/* else: only blanks were before the backslash line; loop to emit it */
	}
}

int
sqlsrc_next(struct sqlsrc *s, struct stmt *st)
{
	if (s->copying) {
		const char *p;
		size_t n;
		int r;

		/* the caller did not read the data: skip it */
		while ((r = sqlsrc_copydata(s, &p, &n)) > 0)
			;
		if (r < 0)
			return SQ_ERROR;
	}
	if (s->qhead == s->qn) {
		int r;

		s->qhead = s->qn = 0;
		r = refill(s);
		if (r < 0)
			return SQ_ERROR;
		if (r == 0) {
			advance(s, bend(s), 1);
			return SQ_END;
		}
	}
	*st = s->q[s->qhead++];
	if (st->kind == SQ_COPY)
		s->copying = 1;
	return st->kind;
}

void
sqlsrc_frame(const struct sqlsrc *s, struct sqlframe *f)
{
	*f = s->frame;
}

void
sqlsrc_release(struct sqlsrc *s)
{
	s->released = s->qhead < s->qn ? s->q[s->qhead].off : s->base + (long long)s->pos;
}

static int
is_terminator(const char *p, size_t n)
{
	return (n == 2 && p[0] == '\\' && p[1] == '.') || (n == 3 && p[0] == '\\' && p[1] == '.' && p[2] == '\r');
}

int
sqlsrc_copydata(struct sqlsrc *s, const char **pp, size_t *np)
{
	if (!s->copying)
		return 0;
	s->released = s->base + (long long)s->pos;
	for (;;) {
		const char *d = s->b.data;
		size_t i = s->pos, last = s->pos;

		while (i < s->b.len) {
			const char *nl = memchr(d + i, '\n', s->b.len - i);
			size_t le = nl ? (size_t)(nl - d) : s->b.len;

			if (!nl && !s->eof)
				break; /* a partial line: wait for the rest */
			if (is_terminator(d + i, le - i)) {
				if (last > s->pos)
					break; /* hand out the data first */
				advance(s, s->base + (long long)(nl ? le + 1 : le), 0);
				s->pos = nl ? le + 1 : le;
				s->copying = 0;
				return 0;
			}
			i = nl ? le + 1 : le;
			last = i;
		}
		if (last > s->pos) {
			*pp = d + s->pos;
			*np = last - s->pos;
			advance(s, s->base + (long long)last, 0);
			s->pos = last;
			return 1;
		}
		if (s->eof) {
			struct srcpos p;

			pos_of(s, s->base + (long long)s->pos, &p);
			warnat(&p, "COPY data is not terminated by a line \\.");
			s->copying = 0;
			return -1;
		}
		if (ensure(s, s->b.len - s->pos + READSZ) < 0)
			return -1;
	}
}
