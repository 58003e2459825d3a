#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqlsrc.h"

#define MARKER "-- confiture:file "
#define HEADER "-- confiture:build "
#define ENDLINE "-- confiture:end files="
#define BOM "\xef\xbb\xbf"

/*
 * The stream is read into a buffer that holds the bytes [base, base + b.len). One lexer,
 * written after psql's own (psqlscan.l), cuts it into statements, psql commands and COPY
 * data exactly where psql would: a statement ends at a ';' outside literals, comments,
 * parentheses and BEGIN ... END bodies; a backslash outside a literal starts a psql
 * command that runs to the end of its line; after COPY ... FROM STDIN the lines up to "\."
 * are data. The lexer's state lives in the reader, so the buffer can be refilled at any
 * byte; text that no item needs any more is dropped, so a long COPY streams in constant
 * memory. Every offset below is a stream offset.
 */

size_t sqlsrc_readsz = 256 * 1024;

/* Where the lexer is. */
enum { M_SQL, M_LINE, M_BLOCK, M_QUOTE, M_EQUOTE, M_IDENT, M_DOLLAR };

/* Results of one lexing step besides the item kinds. */
enum { NEED = -2 };

struct sqlsrc {
	int fd;
	char *name;
	struct buf b;
	long long base;
	int eof;
	long long nul;         /* offset of the first NUL byte read, -1 if none */
	int parse;
	int keep;              /* keep the tree of each statement */
	json_t *tree;          /* the last statement's tree, with keep */
	int keeppt;            /* keep it as a light tree instead */
	struct ptarena pa;     /* which lives here */
	const struct pt *ptree;
	int keepfp;            /* and its fingerprint */
	char fp[17];
	int copying;
	int done;              /* SQ_END or SQ_ERROR was returned: it stays so */
	int resume;            /* a statement cut by a file marker is SQ_SKIP: reading goes on at the marker */
	long long scan;        /* next byte the lexer looks at */
	long long released;    /* text before this offset may be forgotten */
	/* lexer state */
	int mode;
	int depth;             /* nesting of the block comment */
	long long lit;         /* where the current literal or comment began */
	long long tag;         /* M_DOLLAR: where its opening delimiter is */
	int taglen;            /* and its length, both '$' included */
	int paren, begin, nident;
	char ident[4];         /* first letters of the leading CREATE [OR REPLACE] FUNCTION|PROCEDURE words */
	long long stmt;        /* first byte of the pending statement, -1 if none */
	int markline;          /* the line comment being read is a file marker */
	long long bom;         /* a byte-order mark here is skipped (start of input, line after a marker) */
	long long bomat;       /* where the last one was, -1 if none */
	/* provenance cursor: stream offset pc is on line pline of pfile; that line starts at plstart */
	long long pc, plstart;
	long long marked;      /* line start last checked for a marker */
	long badmark;          /* the stream line of a marker whose line=N is bad, 0 if none */
	/* the last column asked for: offset colat, on the line that starts at colline, is after colv
	   characters of it (each position counts on from the last one, not from the line's start) */
	long long colat, colline;
	long colv;
	long pline;
	long sline;            /* line of the cursor in the stream itself */
	const char *pfile;
	struct strv files;
	const char **mfiles;   /* the files marker lines named so far (interned), once each */
	size_t nmfiles;
	struct sqlframe frame;
	int follow_if;         /* psql \if ... \endif followed: the items of a false branch are not returned */
	struct cond *cond;     /* the open \if blocks, innermost last */
	size_t ncond;
};

/* An open psql \if block: its branch now is read (C_ON) or skipped (C_OFF), or the whole block is
   skipped (C_IGNORED: inside a skipped branch, its conditions are not evaluated). */
enum { C_ON, C_OFF, C_IGNORED };
struct cond {
	int state;
	int taken;             /* a branch known true was read: every later one is skipped */
	int seen_else;
	struct srcpos pos;     /* the \if's (file name borrowed from the stream) */
};

static void reset_stmt(struct sqlsrc *s);
static int next_item(struct sqlsrc *s, struct stmt *st);
static int resume_at_marker(struct sqlsrc *s, long long from);

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

/* The end of the bytes the lexer may look at: a NUL byte ends them early. */
static long long
avail(struct sqlsrc *s)
{
	return s->nul >= 0 ? s->nul : bend(s);
}

/* Whether no byte will come after avail(s). */
static int
fin(struct sqlsrc *s)
{
	return s->eof && s->nul < 0;
}

static struct sqlsrc *
newsrc(const char *name, int fd, size_t size)
{
	struct sqlsrc *s = xcalloc(1, sizeof *s);

	s->fd = fd;
	s->name = xstrdup(name);
	s->parse = 1;
	s->pline = 1;
	s->sline = 1;
	s->marked = -1;
	s->nul = -1;
	s->stmt = -1;
	s->bomat = -1;
	s->colline = -1;
	s->pfile = intern_file(s, s->name, strlen(s->name));
	buf_grow(&s->b, size);
	return s;
}

struct sqlsrc *
sqlsrc_open(const char *path)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		/* interrupted while a fifo waits for its writer: the caller reports the signal */
		if (!(errno == EINTR && sig_caught))
			warnx("%s: %s", path, strerror(errno));
		return NULL;
	}
	return newsrc(strcmp(path, "-") == 0 ? "<stdin>" : path, fd, sqlsrc_readsz);
}

struct sqlsrc *
sqlsrc_mem(const char *name, const char *data, size_t n)
{
	struct sqlsrc *s = newsrc(name, -1, n);
	const char *z = memchr(data, '\0', n);

	buf_add(&s->b, data, n);
	s->eof = 1;
	s->nul = z ? z - data : -1;
	return s;
}

void
sqlsrc_set_parse(struct sqlsrc *s, int on)
{
	s->parse = on;
}

void
sqlsrc_set_resume(struct sqlsrc *s, int on)
{
	s->resume = on;
}

void
sqlsrc_keep_tree(struct sqlsrc *s, int on)
{
	s->keep = on;
}

json_t *
sqlsrc_tree(struct sqlsrc *s)
{
	return s->tree;
}

void
sqlsrc_keep_ptree(struct sqlsrc *s, int on)
{
	s->keeppt = on;
}

const struct pt *
sqlsrc_ptree(struct sqlsrc *s)
{
	return s->ptree;
}

void
sqlsrc_keep_fingerprint(struct sqlsrc *s, int on)
{
	s->keepfp = on;
}

const char *
sqlsrc_fingerprint(struct sqlsrc *s)
{
	return (s->tree || s->ptree) && s->keepfp ? s->fp : NULL;
}

void
sqlsrc_close(struct sqlsrc *s)
{
	if (!s)
		return;
	if (s->fd > 0)
		close(s->fd);
	json_decref(s->tree);
	pt_free(&s->pa);
	buf_free(&s->b);
	strv_free(&s->files);
	free(s->mfiles);
	free(s->cond);
	free(s->name);
	free(s);
}

const char *
sqlsrc_text(struct sqlsrc *s, long long off)
{
	return at(s, off);
}

size_t
sqlsrc_meta_word(struct sqlsrc *s, const struct stmt *st, const char **p)
{
	/* the command is its whole first word, as psql reads it: \restrictx is not \restrict */
	size_t n = strcspn(at(s, st->off) + 1, " \t\r\n") + 1;

	*p = at(s, st->off);
	return n < (size_t)st->len ? n : (size_t)st->len;
}

int
meta_is_restrict(const char *w, size_t n)
{
	return (n == 9 && memcmp(w, "\\restrict", 9) == 0) || (n == 11 && memcmp(w, "\\unrestrict", 11) == 0);
}

static long
chars(const char *p, size_t n)
{
	long c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xC0) != 0x80;
	return c;
}

/* Length of the line at p (e: end of the bytes read) without its "\n" or "\r\n"; -1 when a CR
   comes before that: the server ends a comment there, so the line holds more than a framing line. */
static long long
frame_len(const char *p, const char *e)
{
	const char *nl = memchr(p, '\n', (size_t)(e - p));
	size_t n = (size_t)((nl ? nl : e) - p);

	if (n > 0 && p[n - 1] == '\r')
		n--;
	return memchr(p, '\r', n) ? -1 : (long long)n;
}

/* Note what the line at the cursor says of the stream: its header, its end line, or neither. */
static void
frame_line(struct sqlsrc *s)
{
	const char *p = at(s, s->pc), *e = at(s, bend(s)), *nl = memchr(p, '\n', (size_t)(e - p));
	size_t n = (size_t)((nl ? nl : e) - p), hl = sizeof HEADER - 1, el = sizeof ENDLINE - 1;
	int framing = frame_len(p, e) >= 0;

	if (framing && s->pc == 0 && n > hl && memcmp(p, HEADER, hl) == 0) {
		const char *f = memmem(p, n, " files=", 7);

		s->frame.header = 1;
		s->frame.files = f ? strtol(f + 7, NULL, 10) : -1;
		return;
	}
	if (framing && n > el && memcmp(p, ENDLINE, el) == 0) {
		s->frame.ended = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)p[i])) {
			if (s->frame.ended && s->frame.after_line == 0) {
				s->frame.after_line = s->sline;
				s->frame.after_col = chars(p, i) + 1;
			}
			s->frame.ended = 0;
			return;
		}
}

/* Count a file a marker names once: a later marker for it continues it (conf-sort writes those). */
static void
marked_file(struct sqlsrc *s, const char *f)
{
	for (size_t i = 0; i < s->nmfiles; i++)
		if (s->mfiles[i] == f)
			return;
	s->mfiles = xrealloc(s->mfiles, (s->nmfiles + 1) * sizeof *s->mfiles);
	s->mfiles[s->nmfiles++] = f;
	s->frame.markers++;
}

/* The largest line=N a marker may give: nine digits, as conf-sort's own reading of markers takes. */
#define MAXMARKLINE 999999999L

/* The N of a marker's " line=N" field after its sha256 (sha..end): 1 when it has none, -1 when N
   is not a number from 1 to MAXMARKLINE. */
static long
marker_line(const char *sha, const char *end)
{
	const char *f = sha ? memmem(sha, (size_t)(end - sha), " line=", 6) : NULL;
	long n = 0;

	if (!f)
		return 1;
	for (f += 6; f < end && *f >= '0' && *f <= '9' && n <= MAXMARKLINE; f++)
		n = n * 10 + (*f - '0');
	return f == end && n >= 1 && n <= MAXMARKLINE ? n : -1;
}

/* Switch the provenance to the file a marker line at the cursor names, if there is one. */
static void
marker(struct sqlsrc *s)
{
	size_t ml = sizeof MARKER - 1;
	char *path, *eol, *end, *sha = NULL;
	long line;

	s->marked = s->pc;
	frame_line(s);
	if (bend(s) - s->pc < (long long)ml || memcmp(at(s, s->pc), MARKER, ml) != 0
	    || frame_len(at(s, s->pc), at(s, bend(s))) < 0)
		return;
	path = at(s, s->pc) + ml;
	eol = memchr(path, '\n', (size_t)(bend(s) - (s->pc + (long long)ml)));
	end = eol ? eol : at(s, bend(s));
	if (end > path && end[-1] == '\r')
		end--;
	for (char *q = path; q + 8 <= end; q++)
		if (memcmp(q, " sha256=", 8) == 0)
			sha = q;
	line = marker_line(sha, end);
	if (line < 0) {
		/* reported by sqlsrc_next, which stops there: a position read from it would be made up */
		if (!s->badmark)
			s->badmark = s->sline;
		line = 1;
	}
	if (sha)
		end = sha;
	s->pfile = intern_file(s, path, (size_t)(end - path));
	marked_file(s, s->pfile);
	s->pline = line - 1; /* the marker's own line; the next one is line N (1 without line=N) */
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
		s->sline++;
		s->plstart = s->pc;
	}
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
	if (s->colline != s->plstart || off < s->colat) {
		s->colline = s->colat = s->plstart;
		s->colv = 0;
	}
	s->colv += chars(at(s, s->colat), (size_t)(off - s->colat));
	s->colat = off;
	out->col = s->colv + 1;
	/* a file's byte-order mark (now three blanks) is no column of the editor's */
	if (s->plstart == s->bomat && off - s->plstart >= 3)
		out->col -= 3;
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

/* Report a problem at stream offset off. */
static void
errat(struct sqlsrc *s, long long off, const char *msg)
{
	struct srcpos p;

	pos_of(s, off, &p);
	warnat(&p, "%s", msg);
}

/* Forget text that no item needs any more, so that a long COPY streams in constant memory. */
static void
compact(struct sqlsrc *s)
{
	long long keep = s->released;
	size_t k;

	if (s->stmt >= 0 && s->stmt < keep)
		keep = s->stmt;
	if (s->mode != M_SQL && s->lit < keep)
		keep = s->lit;
	/* the lexer looks one byte back, to know whether it is at the start of a line */
	if (s->scan - 1 < keep)
		keep = s->scan > 0 ? s->scan - 1 : 0;
	if (s->pc < keep)
		advance(s, keep, !s->copying);
	if (s->plstart < keep)
		keep = s->plstart;
	k = (size_t)(keep - s->base);
	if (k < s->b.len / 2 && k < sqlsrc_readsz)
		return;
	memmove(s->b.data, s->b.data + k, s->b.len - k + 1);
	s->b.len -= k;
	s->base += (long long)k;
}

/* Read more input: 1 if some came, 0 at its end, -1 after a message (or silently on a signal). */
static int
more(struct sqlsrc *s)
{
	if (s->nul >= 0) {
		errat(s, s->nul, "NUL byte in the input: the rest of it is not read");
		return -1;
	}
	while (!s->eof) {
		ssize_t r;
		char *z;

		/* a signal that came between two reads would not interrupt the next one */
		if (sig_caught)
			return -1;
		compact(s);
		buf_grow(&s->b, sqlsrc_readsz);
		r = read(s->fd, s->b.data + s->b.len, sqlsrc_readsz);
		if (r < 0 && errno == EINTR) {
			if (sig_caught)
				return -1;
			continue;
		}
		if (r < 0) {
			warnx("%s: %s", s->name, strerror(errno));
			return -1;
		}
		if (r == 0) {
			s->eof = 1;
			break;
		}
		z = memchr(s->b.data + s->b.len, '\0', (size_t)r);
		if (z)
			s->nul = s->base + (z - s->b.data);
		s->b.len += (size_t)r;
		s->b.data[s->b.len] = '\0';
		return 1;
	}
	return 0;
}

static int
ident_start(int c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int
ident_cont(int c)
{
	return ident_start(c) || isdigit(c) || c == '$';
}

/* The byte at off, or -1 past the bytes read so far. */
static int
byte(struct sqlsrc *s, long long off)
{
	return off < avail(s) ? (unsigned char)*at(s, off) : -1;
}

/* psql's heuristic for BEGIN ... END bodies (psqlscan.l): inside CREATE [OR REPLACE]
   FUNCTION|PROCEDURE, outside parentheses, BEGIN and CASE open a block that END closes. */
static void
word(struct sqlsrc *s, const char *w, size_t n)
{
	static const char *const lead[] = { "create", "function", "procedure", "or", "replace", NULL };
	const char *id = s->ident;

	if (s->nident == 0)
		memset(s->ident, 0, sizeof s->ident);
	for (int i = 0; lead[i]; i++)
		if (strlen(lead[i]) == n && strncasecmp(w, lead[i], n) == 0 && s->nident < (int)sizeof s->ident)
			s->ident[s->nident] = lead[i][0];
	s->nident++;
	if (id[0] == 'c' && (id[1] == 'f' || id[1] == 'p' || (id[1] == 'o' && id[2] == 'r' && (id[3] == 'f' || id[3] == 'p')))
	    && s->paren == 0) {
		if (n == 5 && strncasecmp(w, "begin", 5) == 0)
			s->begin++;
		else if (n == 4 && strncasecmp(w, "case", 4) == 0 && s->begin >= 1)
			s->begin++;
		else if (n == 3 && strncasecmp(w, "end", 3) == 0 && s->begin > 0)
			s->begin--;
	}
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

/* What a classification (r: sql_classify_fp's result) says of statement st, whose text is p:
   SQ_ERROR after a message when the server would read several statements in it (the reader and
   the server would not agree on what runs), else SQ_STMT with its flags and node set. */
static int
apply_class(struct stmt *st, const char *p, int r, const struct sqlclass *c)
{
	if (r != 0)
		return SQ_STMT;
	if (c->nstmts > 1) {
		struct srcpos pos;

		stmt_where(st, p, st->off + c->end1, &pos);
		warnat(&pos, "this text holds several statements for the server but one for the reader: "
		    "the server ends one at this ';'");
		return SQ_ERROR;
	}
	st->flags |= c->flags;
	st->node = c->node;
	st->why_notx = c->why;
	return SQ_STMT;
}

/* SQ_ERROR after a message when the statement turns standard_conforming_strings off, else SQ_STMT. */
static int
scs_off(const struct stmt *st)
{
	if (!(st->flags & ST_SCSOFF))
		return SQ_STMT;
	warnat(&st->pos, "standard_conforming_strings cannot be turned off in a SQL stream: "
	    "backslashes in literals would then be read differently from the server");
	return SQ_ERROR;
}

int
sqlsrc_classified(struct stmt *st, const char *text, int r, const struct sqlclass *c)
{
	if (apply_class(st, text, r, c) == SQ_ERROR)
		return SQ_ERROR;
	return scs_off(st);
}

/* Classify a statement with libpg_query; SQ_ERROR after a message when the server would read
   several statements in it: the reader and the server would not agree on what runs. */
static int
classify(struct sqlsrc *s, struct stmt *st)
{
	char *end = at(s, st->off + st->len);
	char saved = *end;
	struct sqlclass c;
	int r;

	*end = '\0';
	/* a statement classified again after a refill replaces its tree */
	json_decref(s->tree);
	s->tree = NULL;
	s->ptree = NULL;
	if (s->keeppt) {
		pt_reset(&s->pa);
		r = sql_classify_pt(at(s, st->off), &c, &s->pa, &s->ptree, s->keepfp);
	} else {
		r = sql_classify_fp(at(s, st->off), &c, s->keep ? &s->tree : NULL, s->keepfp);
	}
	*end = saved;
	memcpy(s->fp, c.fingerprint, sizeof s->fp);
	return apply_class(st, at(s, st->off), r, &c);
}

/* A psql command: from the backslash at off to the end of its line. */
static int
meta(struct sqlsrc *s, long long off, struct stmt *st)
{
	const char *nl = memchr(at(s, off), '\n', (size_t)(avail(s) - off));

	if (!nl && !fin(s))
		return NEED;
	st->kind = SQ_META;
	st->off = off;
	st->len = (nl ? s->base + (nl - s->b.data) : avail(s)) - off;
	if (st->len > 0 && *at(s, off + st->len - 1) == '\r')
		st->len--;
	s->scan = nl ? s->base + (nl - s->b.data) + 1 : avail(s);
	return SQ_META;
}

/* The first '\n' or '\r' in [p, e), or NULL: where the server's lexer ends a -- comment. */
static const char *
comment_end(const char *p, const char *e)
{
	for (; p < e; p++)
		if (*p == '\n' || *p == '\r')
			return p;
	return NULL;
}

/* A closing quote at off: a quote after white space with a newline continues the literal (SQL). */
static int
quote_ends(struct sqlsrc *s, long long off, long long *next)
{
	long long i = off + 1;
	int nl = 0, c;

	for (;;) {
		c = byte(s, i);
		if (c == ' ' || c == '\t' || c == '\f' || (nl && (c == '\n' || c == '\r'))) {
			i++;
		} else if (!nl && (c == '\n' || c == '\r')) {
			nl = 1;
			i++;
		} else if (c == '-' && byte(s, i + 1) == '-') {
			const char *e = comment_end(at(s, i), at(s, avail(s)));

			if (!e && !fin(s))
				return NEED;
			if (!e)
				break;
			i = s->base + (e - s->b.data);
		} else if (c == '-' && byte(s, i + 1) < 0 && !fin(s)) {
			return NEED;
		} else {
			break;
		}
	}
	if (c < 0 && !fin(s))
		return NEED;
	if (nl && c == '\'') {
		*next = i + 1;
		return 0;
	}
	*next = off + 1;
	return 1;
}

/* Offset of a pointer into the buffer. */
static long long
offset(struct sqlsrc *s, const char *p)
{
	return s->base + (p - s->b.data);
}

/* The steps below go on inside a literal or comment: 0 when it ended and the caller goes
   on, NEED when the bytes read so far end inside it, or SQ_ERROR. */

static int
line_comment(struct sqlsrc *s)
{
	const char *p = at(s, s->scan), *e = at(s, avail(s)), *q = comment_end(p, e);

	if (!q) {
		s->scan = avail(s);
		if (!fin(s))
			return NEED;
		s->mode = M_SQL;
		return 0;
	}
	s->scan = offset(s, q);
	if (s->markline) {
		/* the mark comes at the start of the next line, after a "\r\n" too */
		if (*q == '\r' && q + 1 >= e && !fin(s))
			return NEED;
		s->bom = s->scan + 1 + (*q == '\r' && q + 1 < e && q[1] == '\n');
	}
	s->markline = 0;
	s->mode = M_SQL;
	return 0;
}

static int
block_comment(struct sqlsrc *s)
{
	const char *p = at(s, s->scan), *e = at(s, avail(s));

	for (; p < e; p++) {
		if (p + 1 >= e && (*p == '/' || *p == '*') && !fin(s))
			break;
		if (p[0] == '/' && p + 1 < e && p[1] == '*') {
			s->depth++;
			p++;
		} else if (p[0] == '*' && p + 1 < e && p[1] == '/') {
			p++;
			if (--s->depth > 0)
				continue;
			s->scan = offset(s, p + 1);
			s->mode = M_SQL;
			if (s->stmt < 0 && memmem(at(s, s->lit), (size_t)(s->scan - s->lit), "\n" MARKER, sizeof MARKER)) {
				errat(s, s->lit, "an unclosed /* comment runs into the next file of the stream");
				return resume_at_marker(s, s->lit);
			}
			return 0;
		}
	}
	s->scan = offset(s, p);
	return NEED;
}

/* '...' (also b'', x'', n'', U&'') and E'...', where a backslash escapes the next byte. */
static int
quoted(struct sqlsrc *s)
{
	const char *p = at(s, s->scan), *e = at(s, avail(s)), *q;

	for (;;) {
		long long next;
		int r;

		for (q = p; q < e && *q != '\'' && !(s->mode == M_EQUOTE && *q == '\\'); q++)
			;
		s->scan = offset(s, q);
		if (q >= e || (q + 1 >= e && !fin(s)))
			return NEED;
		if (*q == '\\' || (q + 1 < e && q[1] == '\'')) {
			p = q + 2 <= e ? q + 2 : e;
			continue;
		}
		r = quote_ends(s, s->scan, &next);
		if (r == NEED)
			return NEED;
		s->scan = next;
		if (r == 1) {
			s->mode = M_SQL;
			return 0;
		}
		p = at(s, next);
		e = at(s, avail(s));
	}
}

static int
quoted_ident(struct sqlsrc *s)
{
	const char *p = at(s, s->scan), *e = at(s, avail(s)), *q;

	for (;;) {
		q = memchr(p, '"', (size_t)(e - p));
		s->scan = q ? offset(s, q) : avail(s);
		if (!q || (q + 1 >= e && !fin(s)))
			return NEED;
		if (q + 1 < e && q[1] == '"') {
			p = q + 2;
			continue;
		}
		s->scan++;
		s->mode = M_SQL;
		return 0;
	}
}

/* A dollar-quoted body: it ends at the first copy of its opening delimiter. */
static int
dollar_body(struct sqlsrc *s)
{
	const char *p = at(s, s->scan), *e = at(s, avail(s)), *q;

	for (;;) {
		q = memchr(p, '$', (size_t)(e - p));
		s->scan = q ? offset(s, q) : avail(s);
		if (!q)
			return NEED;
		if (e - q < s->taglen) {
			if (fin(s))
				s->scan = avail(s);
			return NEED;
		}
		if (memcmp(q, at(s, s->tag), (size_t)s->taglen) == 0) {
			s->scan += s->taglen;
			s->mode = M_SQL;
			return 0;
		}
		p = q + 1;
	}
}

static int
in_literal(struct sqlsrc *s)
{
	switch (s->mode) {
	case M_LINE:
		return line_comment(s);
	case M_BLOCK:
		return block_comment(s);
	case M_QUOTE:
	case M_EQUOTE:
		return quoted(s);
	case M_IDENT:
		return quoted_ident(s);
	default:
		return dollar_body(s);
	}
}

/* With resume, after a message about text from from on that runs into the next file: the
   marker line is a hard boundary, so the lexer starts again there with nothing pending. */
static int
resume_at_marker(struct sqlsrc *s, long long from)
{
	const char *m;

	if (!s->resume)
		return SQ_ERROR;
	m = memmem(at(s, from), (size_t)(avail(s) - from), "\n" MARKER, sizeof MARKER);
	if (!m)
		return SQ_ERROR;
	reset_stmt(s);
	s->mode = M_SQL;
	s->depth = 0;
	s->scan = offset(s, m + 1);
	return SQ_SKIP;
}

/* The statement [s->stmt, end) is complete (term: 1 its ';' is at end, 2 a psql command ends it,
   0 the input does). */
static int
statement(struct sqlsrc *s, long long end, int term, struct stmt *st)
{
	int c;

	st->kind = SQ_STMT;
	st->off = s->stmt;
	st->len = end - s->stmt;
	if (term == 0)
		st->flags |= ST_UNTERM;
	pos_of(s, st->off, &st->pos);
	if (memmem(at(s, st->off), (size_t)st->len, "\n" MARKER, sizeof MARKER)) {
		warnat(&st->pos, "the statement is not terminated by ';' and runs into the next file of the stream");
		return resume_at_marker(s, st->off);
	}
	if (s->parse || (st->len >= 4 && strncasecmp(at(s, st->off), "copy", 4) == 0)
	    || has_word_ci(at(s, st->off), (size_t)st->len, "standard_conforming_strings"))
		if (classify(s, st) == SQ_ERROR)
			return SQ_ERROR;
	if (scs_off(st) == SQ_ERROR)
		return SQ_ERROR;
	if (!(st->flags & ST_COPYIN))
		return SQ_STMT;
	/* psql reads the data from the next line; text after the ';' would run after the data */
	if (term == 1) {
		long long i = end + 1;

		/* blanks and -- comments, which end at a CR too: what follows a CR runs after the data */
		for (;;) {
			while ((c = byte(s, i)) == ' ' || c == '\t' || c == '\r')
				i++;
			if (c == '-' && byte(s, i + 1) < 0 && !fin(s))
				return NEED; /* the second dash is not read yet */
			if (c != '-' || byte(s, i + 1) != '-')
				break;
			while ((c = byte(s, i)) >= 0 && c != '\n' && c != '\r')
				i++;
			if (c < 0)
				break;
		}
		if (c < 0 && !fin(s))
			return NEED;
		if (c >= 0 && c != '\n') {
			errat(s, i, "text after COPY ... FROM stdin on the same line: put it after the data");
			return SQ_ERROR;
		}
		s->scan = c == '\n' ? i + 1 : i;
	} else {
		s->scan = avail(s);
	}
	st->kind = SQ_COPY;
	pos_of(s, s->scan, &st->datapos);
	st->datapos.col = 1;
	return SQ_COPY;
}

/* Start the pending statement at off unless one is pending. */
static void
opens(struct sqlsrc *s, long long off)
{
	if (s->stmt < 0)
		s->stmt = off;
}

static void
reset_stmt(struct sqlsrc *s)
{
	s->stmt = -1;
	s->paren = s->begin = s->nident = 0;
}

/* The lexer found nothing to hand out before the end: an open literal or comment is an error. */
static int
at_end(struct sqlsrc *s, struct stmt *st)
{
	static const char *const what[] = { [M_BLOCK] = "unterminated /* comment",
		[M_QUOTE] = "unterminated quoted string", [M_EQUOTE] = "unterminated quoted string",
		[M_IDENT] = "unterminated quoted identifier", [M_DOLLAR] = "unterminated dollar-quoted string" };
	long long end;
	int r;

	if (s->mode != M_SQL && s->mode != M_LINE) {
		const char *p = at(s, s->lit);
		size_t n = (size_t)(avail(s) - s->lit), k = strcspn(p, "\n");
		struct srcpos pos;

		if (k > n)
			k = n;
		if (k > 160)
			k = 160;
		pos_of(s, s->lit, &pos);
		/* the form of the scanner's message, which quotes the rest of the input: its first line */
		warnat(&pos, "ERROR 42601: %s at or near \"%.*s%s\"", what[s->mode], (int)k, p, k < n ? "..." : "");
		return resume_at_marker(s, s->stmt >= 0 && s->stmt < s->lit ? s->stmt : s->lit);
	}
	if (s->stmt < 0)
		return SQ_END;
	/* psql sends what is left at the end of its input: so do we, without trailing blanks */
	end = avail(s);
	while (end > s->stmt && isspace((unsigned char)*at(s, end - 1)))
		end--;
	s->scan = avail(s);
	r = statement(s, end, 0, st);
	reset_stmt(s);
	return r;
}

/* Enter a literal or comment that starts at off with an opening of n bytes. */
static void
enter(struct sqlsrc *s, int mode, long long off, int n)
{
	s->mode = mode;
	s->lit = off;
	s->scan = off + n;
}

/* A '$' at i: a dollar quote's opening $tag$, or a lone '$' (as in $1). 0 or NEED. */
static int
dollar(struct sqlsrc *s, long long i)
{
	int c = byte(s, i + 1);
	long long j;

	if (c == '$' || (c >= 0 && ident_start(c))) {
		for (j = i + 1; (c = byte(s, j)) >= 0 && c != '$' && ident_cont(c); j++)
			;
		if (c < 0 && !fin(s))
			return NEED;
		if (c == '$' && j - i + 1 <= 0x7fffffff) {
			enter(s, M_DOLLAR, i, (int)(j - i + 1));
			s->tag = i;
			s->taglen = (int)(j - i + 1);
			return 0;
		}
	}
	s->scan = i + 1;
	return 0;
}

/* A word at i: a literal with a prefix (E'', B'', X'', N'', U&'', U&""), else an
   identifier or keyword, which feeds the BEGIN ... END heuristic. 0 or NEED. */
static int
word_at(struct sqlsrc *s, long long i)
{
	int c = byte(s, i) | 0x20, c1 = byte(s, i + 1), c2;
	long long j;

	if ((c == 'e' || c == 'b' || c == 'x' || c == 'n') && c1 == '\'') {
		enter(s, c == 'e' ? M_EQUOTE : M_QUOTE, i, 2);
		return 0;
	}
	if (c == 'u' && c1 == '&') {
		c2 = byte(s, i + 2);
		if (c2 < 0 && !fin(s))
			return NEED;
		if (c2 == '\'' || c2 == '"') {
			enter(s, c2 == '"' ? M_IDENT : M_QUOTE, i, 3);
			return 0;
		}
	}
	for (j = i + 1; (c = byte(s, j)) >= 0 && ident_cont(c); j++)
		;
	if (c < 0 && !fin(s))
		return NEED;
	word(s, at(s, i), (size_t)(j - i));
	s->scan = j;
	return 0;
}

/* A number at i, and as in PostgreSQL 15 one identifier character of junk after it.
   What matters is only where it ends. 0 or NEED. */
static int
number(struct sqlsrc *s, long long i)
{
	long long j, k;
	int c, ck;

	for (j = i; (c = byte(s, j)) >= 0 && isdigit(c); j++)
		;
	if (c == '.' && byte(s, j + 1) != '.')
		for (j++; (c = byte(s, j)) >= 0 && isdigit(c); j++)
			;
	if (c == 'e' || c == 'E') {
		k = j + 1;
		ck = byte(s, k);
		if (ck == '+' || ck == '-')
			ck = byte(s, ++k);
		if (ck < 0 && !fin(s))
			return NEED;
		if (ck >= 0 && isdigit(ck)) {
			while ((ck = byte(s, k)) >= 0 && isdigit(ck))
				k++;
			j = k;
		} else if (k > j + 1) {
			j = k;
		}
		c = byte(s, j);
	}
	if (c < 0 && !fin(s))
		return NEED;
	if (c >= 0 && ident_start(c))
		j++;
	s->scan = j;
	return 0;
}

/* The first '--' of a line comment at i; a marker line between statements may be
   followed by a file's byte-order mark. 0 or NEED. */
static int
dashes(struct sqlsrc *s, long long i)
{
	long long ml = (long long)sizeof MARKER - 1;

	if (s->stmt < 0 && (i == 0 || *at(s, i - 1) == '\n')) {
		if (avail(s) - i < ml && !fin(s))
			return NEED;
		s->markline = avail(s) - i >= ml && memcmp(at(s, i), MARKER, (size_t)ml) == 0;
	}
	enter(s, M_LINE, i, 2);
	return 0;
}

/* A ';' at i outside literals: the end of a statement, unless inside parentheses or a
   BEGIN ... END body. The kind of the item, NEED, or 0 to go on. */
static int
semicolon(struct sqlsrc *s, long long i, struct stmt *st)
{
	int r;

	s->scan = i + 1;
	if (s->stmt < 0) {
		reset_stmt(s);
		return 0;
	}
	if (s->paren > 0 || s->begin > 0)
		return 0;
	r = statement(s, i, 1, st);
	if (r == SQ_SKIP)
		return r;
	if (r == NEED) {
		s->scan = i;
		return NEED;
	}
	if (r != SQ_COPY)
		s->scan = i + 1;
	reset_stmt(s);
	return r;
}

/* The psql command at the backslash at i, when it sends the query buffer as ';' does: its ST_G*
   kind, 0 for another command, or NEED. The command word runs to the first byte that is not a
   letter, a digit or '_', as psql reads it. */
static int
gword(struct sqlsrc *s, long long i)
{
	static const struct { const char *w; int g; } gs[] = { { "g", G_SEND }, { "gx", G_SEND },
		{ "gset", G_SEND }, { "gexec", G_EXEC }, { "gdesc", G_DESC }, { "crosstabview", G_SEND },
		{ "watch", G_SEND } };
	long long j;
	int c;

	for (j = i + 1; (c = byte(s, j)) >= 0 && (isalnum(c) || c == '_'); j++)
		;
	if (c < 0 && !fin(s))
		return NEED;
	for (size_t k = 0; k < sizeof gs / sizeof *gs; k++)
		if ((size_t)(j - i - 1) == strlen(gs[k].w) && memcmp(at(s, i + 1), gs[k].w, (size_t)(j - i - 1)) == 0)
			return gs[k].g;
	return 0;
}

/* The pending statement ends at the psql command at i that sends it (\g and the like): hand it
   out without its trailing blanks; the command itself is the next item. */
static int
gsend(struct sqlsrc *s, long long i, int g, struct stmt *st)
{
	long long end = i;
	int r;

	while (end > s->stmt && isspace((unsigned char)*at(s, end - 1)))
		end--;
	r = statement(s, end, 2, st);
	if (r == NEED)
		return NEED;
	if (r == SQ_COPY) {
		errat(s, st->off, "COPY ... FROM stdin ended by a psql command: end it with ';'");
		s->copying = 0;
		return SQ_ERROR;
	}
	if (r == SQ_STMT)
		st->gterm = g;
	if (r != SQ_SKIP)
		s->scan = i;
	reset_stmt(s);
	return r;
}

/* Lex from s->scan to the next item: its kind, NEED for more input, SQ_END or SQ_ERROR. */
static int
lex(struct sqlsrc *s, struct stmt *st)
{
	for (;;) {
		long long i = s->scan;
		int c, c1, r = 0;

		if (s->mode != M_SQL) {
			r = in_literal(s);
			if (r == NEED && fin(s))
				return at_end(s, st);
			if (r != 0)
				return r;
			continue;
		}
		if (i >= avail(s))
			return fin(s) ? at_end(s, st) : NEED;
		c = (unsigned char)*at(s, i);
		c1 = byte(s, i + 1);
		if (c1 < 0 && !fin(s) && strchr("-/$eEbBxXnNuU.0123456789\\", c))
			return NEED; /* every token that looks ahead needs the next byte at least */
		if (i == s->bom && s->stmt < 0) {
			if (avail(s) - i < 3 && !fin(s))
				return NEED;
			if (avail(s) - i >= 3 && memcmp(at(s, i), BOM, 3) == 0) {
				/* blanks, so that a run of statements sent as one text holds no mark either */
				memset(at(s, i), ' ', 3);
				s->bomat = i;
				s->scan += 3;
				continue;
			}
		}
		if (strchr(" \t\n\r\f\v", c)) {
			s->scan++;
			continue;
		}
		if (c == '-' && c1 == '-') {
			r = dashes(s, i);
		} else if (c == '/' && c1 == '*') {
			s->depth = 1;
			enter(s, M_BLOCK, i, 2);
		} else if (c == ';') {
			r = semicolon(s, i, st);
		} else if (c == '\\') {
			if (s->stmt >= 0) {
				int g = gword(s, i);

				if (g == NEED)
					return NEED;
				if (g == 0) {
					errat(s, s->stmt, "statement is not terminated by ';' before a backslash command");
					return SQ_ERROR;
				}
				return gsend(s, i, g, st);
			}
			r = meta(s, i, st);
			if (r == SQ_META)
				pos_of(s, st->off, &st->pos);
		} else {
			opens(s, i);
			if (c == '\'')
				enter(s, M_QUOTE, i, 1);
			else if (c == '"')
				enter(s, M_IDENT, i, 1);
			else if (c == '$')
				r = dollar(s, i);
			else if (ident_start(c))
				r = word_at(s, i);
			else if (isdigit(c) || (c == '.' && c1 >= 0 && isdigit(c1)))
				r = number(s, i);
			else if (c == '(')
				s->paren++, s->scan++;
			else if (c == ')')
				s->paren -= s->paren > 0, s->scan++;
			else
				s->scan++;
		}
		if (r != 0)
			return r;
	}
}

void
sqlsrc_follow_if(struct sqlsrc *s, int on)
{
	s->follow_if = on;
}

/* psql's ParseVariableBool: 1 true, 0 false, -1 not a boolean (unique prefixes of true, false,
   yes, no; on and off from two letters; 1 and 0). */
static int
psql_bool(const char *v, size_t n)
{
	if (n == 0)
		return -1;
	if (strncasecmp(v, "true", n) == 0 && n <= 4)
		return 1;
	if (strncasecmp(v, "false", n) == 0 && n <= 5)
		return 0;
	if (strncasecmp(v, "yes", n) == 0 && n <= 3)
		return 1;
	if (strncasecmp(v, "no", n) == 0 && n <= 2)
		return 0;
	if (n >= 2 && n <= 2 && strncasecmp(v, "on", n) == 0)
		return 1;
	if (n >= 2 && n <= 3 && strncasecmp(v, "off", n) == 0)
		return 0;
	if (n == 1 && *v == '1')
		return 1;
	if (n == 1 && *v == '0')
		return 0;
	return -1;
}

/* The value of an \if or \elif (w, wn: the command word) condition a (the rest of its line): 1, 0, or -1 when
   psql would compute it (a variable, a backquoted command) and so it is not known here. A value
   psql does not take as a boolean is false, with psql's message. */
static int
cond_value(const struct stmt *st, const char *w, size_t wn, const char *a, size_t n)
{
	while (n > 0 && (*a == ' ' || *a == '\t'))
		a++, n--;
	while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == '\t'))
		n--;
	if (memchr(a, ':', n) || memchr(a, '`', n))
		return -1;
	/* a quoted word is its text ('' inside is a quote: no boolean has one) */
	if (n >= 2 && a[0] == '\'' && a[n - 1] == '\'')
		a++, n -= 2;
	int v = psql_bool(a, n);

	if (v < 0)
		warnat(&st->pos, "warning: unrecognized value \"%.*s\" for \"%.*s expression\": Boolean expected", (int)n, a,
		    (int)wn, w);
	return v < 0 ? 0 : v;
}

/* Whether the items here are read: every open \if's branch is. */
static int
cond_active(const struct sqlsrc *s)
{
	return s->ncond == 0 || s->cond[s->ncond - 1].state == C_ON;
}

/* A psql \if, \elif, \else or \endif (1: it was one, and is followed), else 0. */
static int
conditional(struct sqlsrc *s, const struct stmt *st)
{
	const char *w;
	size_t n = sqlsrc_meta_word(s, st, &w);
	const char *a = w + n;
	size_t an = (size_t)st->len - n;
	struct cond *c = s->ncond ? &s->cond[s->ncond - 1] : NULL;
	int v;

	if (n == 3 && memcmp(w, "\\if", 3) == 0) {
		s->cond = xrealloc(s->cond, (s->ncond + 1) * sizeof *s->cond);
		c = &s->cond[s->ncond];
		memset(c, 0, sizeof *c);
		c->pos = st->pos;
		if (!cond_active(s)) {
			c->state = C_IGNORED;
		} else if ((v = cond_value(st, w, n, a, an)) < 0) {
			warnat(&st->pos, "warning: \\if condition not known before psql runs: every branch of this \\if is read");
			c->state = C_ON;
		} else {
			c->state = v ? C_ON : C_OFF;
			c->taken = v;
		}
		s->ncond++;
	} else if ((n == 5 && memcmp(w, "\\elif", 5) == 0) || (n == 5 && memcmp(w, "\\else", 5) == 0)) {
		int elif = w[3] == 'i';

		if (!c)
			warnat(&st->pos, "warning: %.*s: no matching \\if", (int)n, w);
		else if (c->seen_else)
			warnat(&st->pos, "warning: %.*s: cannot occur after \\else", (int)n, w);
		else if (c->state == C_IGNORED)
			;
		else if (c->taken)
			c->state = C_OFF;
		else if (!elif || (v = cond_value(st, w, n, a, an)) > 0)
			c->state = C_ON, c->taken = 1;
		else if (v == 0)
			c->state = C_OFF;
		else {
			warnat(&st->pos, "warning: \\elif condition not known before psql runs: its branch is read");
			c->state = C_ON;
		}
		if (c && !elif)
			c->seen_else = 1;
	} else if (n == 6 && memcmp(w, "\\endif", 6) == 0) {
		if (!c)
			warnat(&st->pos, "warning: \\endif: no matching \\if");
		else
			s->ncond--;
	} else {
		return 0;
	}
	return 1;
}

/* The next item, psql's conditionals followed when asked: a skipped branch's items are passed over. */
int
sqlsrc_next(struct sqlsrc *s, struct stmt *st)
{
	int r;

	for (;;) {
		r = next_item(s, st);
		if (!s->follow_if)
			return r;
		if (r == SQ_END || r == SQ_ERROR) {
			if (r == SQ_END && s->ncond > 0)
				warnat(&s->cond[0].pos, "warning: \\if without \\endif: reached the end of the file");
			s->ncond = 0;
			return r;
		}
		if (r == SQ_META && conditional(s, st))
			continue;
		if (cond_active(s))
			return r;
	}
}

static int
next_item(struct sqlsrc *s, struct stmt *st)
{
	int r;

	json_decref(s->tree);
	s->tree = NULL;
	s->ptree = NULL;
	if (s->done)
		return s->done;
	if (s->copying) {
		const char *p;
		size_t n;

		/* the caller did not read the data: skip it */
		while ((r = sqlsrc_copydata(s, &p, &n)) > 0)
			;
		if (r < 0)
			return s->done = SQ_ERROR;
	}
	memset(st, 0, sizeof *st);
	while ((r = lex(s, st)) == NEED) {
		int m = more(s);

		if (m < 0)
			return s->done = SQ_ERROR;
	}
	if (r == SQ_END)
		advance(s, bend(s), 1);
	if (s->badmark) {
		struct srcpos p = { .file = s->name, .line = s->badmark, .col = 1 };

		warnat(&p, "a file marker's line= is not a line number (1 to %ld)", MAXMARKLINE);
		return s->done = SQ_ERROR;
	}
	if (r == SQ_END) {
		s->done = SQ_END;
	} else if (r == SQ_ERROR) {
		s->done = SQ_ERROR;
	} else if (r == SQ_COPY) {
		s->copying = 1;
	}
	/* SQ_SKIP: the lexer goes on at the marker line */
	return r;
}

void
sqlsrc_frame(const struct sqlsrc *s, struct sqlframe *f)
{
	*f = s->frame;
}

int
sqlsrc_check_frame(const struct sqlsrc *s, const char *name)
{
	const struct sqlframe *f = &s->frame;

	if (!f->header)
		return 0;
	if (f->files >= 0 && f->markers != f->files)
		warnx("%s: the stream is incomplete: its header announces %ld files and %ld came", name, f->files,
		    f->markers);
	else if (!f->ended && f->after_line > 0)
		warnx("%s:%ld:%ld: the stream goes on after its end line (was text appended to it?)", name,
		    f->after_line, f->after_col);
	else if (!f->ended)
		warnx("%s: the stream is incomplete: its end line is missing (did its producer fail?)", name);
	else
		return 0;
	return -1;
}

void
sqlsrc_release(struct sqlsrc *s)
{
	s->released = s->scan;
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
	s->released = s->scan;
	for (;;) {
		long long lim = avail(s), i = s->scan, last = s->scan;
		int m;

		while (i < lim) {
			const char *p = at(s, i), *nl = memchr(p, '\n', (size_t)(lim - i));
			long long le = nl ? s->base + (nl - s->b.data) : lim;

			if (!nl && !fin(s))
				break; /* a partial line: wait for the rest */
			if (is_terminator(p, (size_t)(le - i))) {
				if (last > s->scan)
					break; /* hand out the data first */
				advance(s, nl ? le + 1 : le, 0);
				s->scan = nl ? le + 1 : le;
				s->copying = 0;
				return 0;
			}
			i = nl ? le + 1 : le;
			last = i;
		}
		if (last > s->scan) {
			*pp = at(s, s->scan);
			*np = (size_t)(last - s->scan);
			advance(s, last, 0);
			s->scan = last;
			return 1;
		}
		if (fin(s)) {
			struct srcpos p;

			pos_of(s, s->scan, &p);
			warnat(&p, "COPY data is not terminated by a line \\.");
			s->copying = 0;
			s->done = SQ_ERROR;
			return -1;
		}
		m = more(s);
		if (m < 0) {
			s->copying = 0;
			s->done = SQ_ERROR;
			return -1;
		}
	}
}

void
stmt_syntax_error(const struct stmt *st, const char *sql, size_t len)
{
	struct sqlclass c;
	struct srcpos pos = st->pos;
	json_t *t;

	if (sql_classify_tree(sql, &c, &t) == 0) {
		/* parsed after all: only a statement the reader itself refused comes here */
		json_decref(t);
		warnat(&pos, "%s", *c.errmsg ? c.errmsg : "the statement could not be parsed");
		return;
	}
	if (c.errpos > 0)
		stmt_where(st, sql, st->off + (long long)utf8_bytes(sql, len, c.errpos - 1), &pos);
	warnat(&pos, "%s", c.errmsg);
}
