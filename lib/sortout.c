#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "depgraph.h"
#include "fsx.h"
#include "hash.h"
#include "sig.h"
#include "sortout.h"
#include "sqlsrc.h"
#include "stmtinfo.h"

#define MARKER "-- confiture:file "
#define HEADER "-- confiture:build "
#define ENDLINE "-- confiture:end files="

/* What moves as one: a statement with its leading comments, a COPY with its data, a psql line, or
   the text of a file without statements (its marker keeps the stream's file count). */
enum { P_STMT, P_META, P_TEXT };
/* Where a piece stays: in the graph, first (\restrict) or last (\unrestrict). */
enum { AT_GRAPH, AT_TOP, AT_BOTTOM };

struct piece {
	int kind, where, barrier, unterm;
	int tolerant;           /* CREATE OR REPLACE, IF NOT EXISTS (dg_tolerant) */
	const char *buf;        /* the input's bytes */
	size_t start, end;      /* the piece: [start, end) of buf */
	size_t soff, slen;      /* the statement (or psql line) in it */
	char *sql;              /* the statement's text, rewritten when a FOREIGN KEY moved out */
	const char *file, *sha; /* where start is: line, col of file (sha256 of its bytes) */
	long line, col;
	struct srcpos pos;      /* its first token */
	const char *tag;
	struct strv creates, alters, drops, refs;
	struct spath sp;        /* the search_path before it, to read a rewritten text alike */
	char *setname;          /* the session setting it sets ("*" for RESET ALL), NULL if none */
	char *setval;           /* the value it sets, when a constant */
	int reset;              /* RESET name: back to the default */
	struct piece **state;   /* the setter in force before it for each setting, NULL = default */
	size_t nstate;
};

struct rd;

/* An input's bytes. */
struct input {
	char *data;
	size_t len;
	int mapped, owned; /* munmap it; free it */
};

/* Everything read: the units in input order and the strings they point to. */
struct sortin {
	struct piece **pv;
	size_t npv;
	struct strv names;   /* session settings seen, in order of appearance */
	struct strv strs;    /* file names and sha256 digests, owned here */
	char *header, *endline;
	const char *first;   /* the name of the first input */
	struct rd *r;        /* the reading state, carried from one input to the next */
	struct input *in;    /* the inputs' bytes, which the units point into */
	size_t nin;
};


static const char *
keep(struct sortin *S, const char *p, size_t n)
{
	for (size_t i = 0; i < S->strs.n; i++)
		if (strlen(S->strs.v[i]) == n && memcmp(S->strs.v[i], p, n) == 0)
			return S->strs.v[i];
	strv_take(&S->strs, xstrndup(p, n));
	return S->strs.v[S->strs.n - 1];
}

static void
take_ids(struct piece *p, struct stmtinfo *si)
{
	strv_free(&p->creates), strv_free(&p->alters), strv_free(&p->drops), strv_free(&p->refs);
	p->creates = si->creates, p->alters = si->alters, p->drops = si->drops, p->refs = si->refs;
	p->tag = si->tag;
	si->creates = si->alters = si->drops = si->refs = (struct strv){ 0 };
}

/* The ids of a statement text read with the search path sp (a copy: it is not changed). */
static int
ids_of(struct piece *p, const char *sql, const struct spath *sp)
{
	struct sqlclass c;
	struct stmtinfo si;
	struct spath tmp;
	json_t *tree = NULL;
	int r = -1;

	if (sql_classify_tree(sql, &c, &tree) == 0 && tree) {
		spath_copy(&tmp, sp);
		if (stmtinfo_get(tree, sql, &tmp, &si) == 0) {
			take_ids(p, &si);
			r = 0;
		}
		stmtinfo_free(&si);
		spath_free(&tmp);
	}
	json_decref(tree);
	return r;
}

static long
name_index(struct sortin *S, const char *n)
{
	for (size_t i = 0; i < S->names.n; i++)
		if (strcmp(S->names.v[i], n) == 0)
			return (long)i;
	strv_add(&S->names, n);
	return (long)S->names.n - 1;
}

/* Reading one input: the pieces, cut where the file markers say which file a line is of. */
struct rd {
	struct sortin *S;
	const char *buf, *name;
	size_t len;
	const char *file, *sha; /* the file of the region being read */
	size_t rstart;          /* where the region begins (after its marker) */
	int marked, after_end;  /* the region has a marker; the end line was read */
	struct piece *last;     /* the region's last piece, NULL if none yet */
	size_t t;               /* the first byte not yet in a piece */
	size_t coff, cls;       /* line cursor: offset, start of its line, the line's number */
	long cline;
	struct piece **cur;     /* the session settings in force */
	size_t ncur;
	struct spath sp;
	int rc;
};

static struct piece *
new_piece(struct rd *r, int kind, size_t start)
{
	struct piece *p = xcalloc(1, sizeof *p);
	long bom;

	p->kind = kind;
	p->buf = r->buf;
	p->start = start;
	p->file = r->file;
	p->sha = r->sha;
	/* the line cursor only moves forward: pieces come in order */
	for (; r->coff < start; r->coff++)
		if (r->buf[r->coff] == '\n')
			r->cline++, r->cls = r->coff + 1;
	p->line = r->cline;
	p->col = 1;
	bom = r->cls == r->rstart && r->len - r->cls >= 3 && memcmp(r->buf + r->cls, "\xef\xbb\xbf", 3) == 0;
	for (size_t i = r->cls; i < start; i++)
		p->col += ((unsigned char)r->buf[i] & 0xC0) != 0x80;
	p->col -= bom && start > r->cls;
	r->S->pv = xrealloc(r->S->pv, (r->S->npv + 1) * sizeof *r->S->pv);
	r->S->pv[r->S->npv++] = p;
	return p;
}

/* The text [r->t, q) ends the region: the last piece takes it, or it is the piece of a file
   without statements. */
static void
close_region(struct rd *r, size_t q)
{
	int blank = 1;

	for (size_t i = r->t; i < q; i++)
		blank &= isspace((unsigned char)r->buf[i]) != 0;
	if (r->last)
		r->last->end = q;
	else if (!r->after_end && (r->marked || (q > r->t && (!blank || !r->S->header))))
		new_piece(r, P_TEXT, r->t)->end = q;
	r->t = q;
}

/* Marker, header and end lines in [lo, hi), between pieces. */
static void
frame_lines(struct rd *r, size_t lo, size_t hi)
{
	size_t q = lo, ml = sizeof MARKER - 1;

	if (q > 0 && r->buf[q - 1] != '\n') {
		const char *nl = memchr(r->buf + q, '\n', hi - q);

		q = nl ? (size_t)(nl - r->buf) + 1 : hi;
	}
	while (q < hi) {
		const char *p = r->buf + q, *nl = memchr(p, '\n', r->len - q);
		size_t le = nl ? (size_t)(nl - r->buf) : r->len, next = nl ? le + 1 : le, e = le;

		if (e > q && r->buf[e - 1] == '\r')
			e--;
		if (le - q > ml && memcmp(p, MARKER, ml) == 0) {
			const char *sha = NULL, *f;
			long line = 0;

			close_region(r, q);
			for (const char *x = p + ml; x + 8 <= r->buf + e; x++)
				if (memcmp(x, " sha256=", 8) == 0)
					sha = x;
			/* line=N read as the reader reads it (lib/sqlsrc): a bad or too long N is line 1 */
			if (sha && (f = memmem(sha, (size_t)(r->buf + e - sha), " line=", 6))) {
				for (f += 6; f < r->buf + e && isdigit((unsigned char)*f) && line < 100000000; f++)
					line = line * 10 + (*f - '0');
				line = f == r->buf + e ? line : 0;
			}
			r->file = keep(r->S, p + ml, (size_t)((sha ? sha : r->buf + e) - (p + ml)));
			r->sha = sha ? keep(r->S, sha + 8, strcspn(sha + 8, " \r\n")) : keep(r->S, "", 0);
			r->marked = 1, r->last = NULL;
			r->rstart = r->t = r->coff = r->cls = next;
			r->cline = line > 0 ? line : 1;
		} else if ((q == 0 && le - q > strlen(HEADER) && memcmp(p, HEADER, strlen(HEADER)) == 0)
		    || (le - q > strlen(ENDLINE) && memcmp(p, ENDLINE, strlen(ENDLINE)) == 0)) {
			char **slot = q == 0 ? &r->S->header : &r->S->endline;

			close_region(r, q);
			free(*slot);
			*slot = xstrndup(p, next - q);
			r->after_end |= slot == &r->S->endline;
			r->last = NULL;
			r->t = next;
		}
		q = next;
	}
}


/* The end of a statement: its ';', and the rest of that line when it is blank or a comment. */
static size_t
stmt_end(const struct rd *r, const struct stmt *st)
{
	size_t e = (size_t)(st->off + st->len) + !(st->flags & ST_UNTERM), i = e;

	while (i < r->len && (r->buf[i] == ' ' || r->buf[i] == '\t'))
		i++;
	if (i + 1 < r->len && r->buf[i] == '-' && r->buf[i + 1] == '-')
		while (i < r->len && r->buf[i] != '\n' && r->buf[i] != '\r')
			i++;
	if (i < r->len && r->buf[i] == '\r')
		i++;
	return i < r->len && r->buf[i] == '\n' ? i + 1 : i >= r->len ? i : e;
}

/* The end of a COPY's data: after its "\." line. */
static size_t
copy_end(const struct rd *r, size_t e)
{
	const char *nl = memchr(r->buf + e, '\n', r->len - e);

	for (size_t q = nl ? (size_t)(nl - r->buf) + 1 : r->len; q < r->len;) {
		size_t n;

		nl = memchr(r->buf + q, '\n', r->len - q);
		n = (nl ? (size_t)(nl - r->buf) : r->len) - q;
		q = nl ? (size_t)(nl - r->buf) + 1 : r->len;
		if ((n == 2 || (n == 3 && r->buf[q - 2] == '\r')) && memcmp(r->buf + q - n - 1, "\\.", 2) == 0)
			return q;
		if (!nl && n >= 2 && memcmp(r->buf + q - n, "\\.", 2) == 0)
			return q;
	}
	return r->len;
}

/* One statement or COPY: its ids, the setting it sets, the settings in force before it. */
static void
statement(struct rd *r, struct sqlsrc *s, const struct stmt *st, int kind)
{
	struct piece *p = new_piece(r, P_STMT, r->t);
	json_t *tree = sqlsrc_tree(s);
	struct stmtinfo si;
	struct dgsetting set;

	p->soff = (size_t)st->off;
	p->slen = (size_t)st->len;
	p->end = kind == SQ_COPY ? copy_end(r, p->soff + p->slen) : stmt_end(r, st);
	p->unterm = (st->flags & ST_UNTERM) != 0;
	p->sql = xstrndup(r->buf + p->soff, p->slen);
	p->pos = st->pos;
	p->pos.file = keep(r->S, st->pos.file, strlen(st->pos.file));
	r->t = p->end;
	r->last = p;
	spath_copy(&p->sp, &r->sp);
	p->state = xcalloc(r->ncur + 1, sizeof *p->state);
	if (r->ncur > 0)
		memcpy(p->state, r->cur, r->ncur * sizeof *p->state);
	p->nstate = r->ncur;
	if (!(st->flags & ST_PARSED) || !tree) {
		stmt_syntax_error(st, p->sql, p->slen);
		r->rc = EX_SCHEMA;
		return;
	}
	if (stmtinfo_get(tree, p->sql, &r->sp, &si) == 0)
		take_ids(p, &si);
	stmtinfo_free(&si);
	dg_more_ids(tree, &p->sp, &p->creates, &p->alters, &p->refs);
	dg_setting(tree, &set);
	p->tolerant = dg_is_tolerant(tree);
	p->setname = set.name, p->setval = set.value, p->reset = set.reset;
	p->barrier = (st->flags & (ST_TXBEGIN | ST_TXEND | ST_TXOTHER)) || (st->node && strcmp(st->node, "DoStmt") == 0);
	if (p->setname && strcmp(p->setname, "*") == 0) {
		memset(r->cur, 0, r->ncur * sizeof *r->cur);
	} else if (p->setname) {
		size_t k = (size_t)name_index(r->S, p->setname);

		if (k >= r->ncur) {
			r->cur = xrealloc(r->cur, (k + 1) * sizeof *r->cur);
			memset(r->cur + r->ncur, 0, (k + 1 - r->ncur) * sizeof *r->cur);
			r->ncur = k + 1;
		}
		r->cur[k] = p->reset ? NULL : p;
	}
}

/* Copy standard input, not a regular file, into an unlinked temporary file, made standard input;
   0, or -1 after a message (or silently, on a signal). */
static int
spill_stdin(void)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *tmp = xasprintf("%s/conf-sort.XXXXXX", dir), b[65536];
	int fd = mkstemp(tmp), err = 0;
	ssize_t n;

	if (fd < 0) {
		warnx("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	unlink(tmp);
	while (!err && (n = read(0, b, sizeof b)) != 0) {
		if (n < 0 && errno == EINTR && !sig_caught)
			continue;
		if (n < 0) {
			err = sig_caught ? -1 : errno;
			break;
		}
		for (ssize_t w = 0, k; w < n && !err; w += k > 0 ? k : 0)
			if ((k = write(fd, b + w, (size_t)(n - w))) < 0 && !(errno == EINTR && !sig_caught))
				err = sig_caught ? -1 : errno;
	}
	if (err > 0)
		warnx("%s: %s", n < 0 ? "<stdin>" : tmp, strerror(err));
	free(tmp);
	if (err || lseek(fd, 0, SEEK_SET) != 0 || dup2(fd, 0) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The bytes of an input and the stream sqlsrc reads them from. A regular file (or standard input
   that is one, or is copied into one) is mapped, not read into memory, and read by sqlsrc in
   chunks: memory follows the statements, not the COPY data. Any other named file (a fifo) is read
   whole. NULL after a message. */
static struct sqlsrc *
open_input(struct sortin *S, const char *path, const char *name)
{
	struct input *in;
	struct stat st;
	int fd = -1, std = strcmp(path, "-") == 0;

	S->in = xrealloc(S->in, (S->nin + 1) * sizeof *S->in);
	in = &S->in[S->nin++];
	*in = (struct input){ .data = "" };
	if (!std && stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		struct buf b = { 0 };

		if (read_file(path, &b) < 0)
			return NULL;
		in->data = b.data ? b.data : "", in->len = b.len, in->owned = b.data != NULL;
		return sqlsrc_mem(name, in->data, in->len);
	}
	if (std && (fstat(0, &st) != 0 || !S_ISREG(st.st_mode) || lseek(0, 0, SEEK_CUR) != 0)) {
		if (spill_stdin() < 0)
			return NULL;
	}
	fd = std ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (!(errno == EINTR && sig_caught))
			warnx("%s: %s", path, strerror(errno));
		if (fd > 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		warnx("%s: the file changed while it was read", path);
		close(fd);
		return NULL;
	}
	if (st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m == MAP_FAILED) {
			warnx("%s: %s", path, strerror(errno));
			if (!std)
				close(fd);
			return NULL;
		}
		in->data = m, in->len = (size_t)st.st_size, in->mapped = 1;
	}
	if (!std)
		close(fd);
	return sqlsrc_open(path);
}

/* Read one input into pieces; EX_OK or the status of what went wrong (reported). */
static int
read_input(struct rd *r, const char *path, int ninputs)
{
	struct sqlsrc *s;
	struct stmt st;
	char hex[SHA256_HEX];
	int k, rc = EX_OK;

	r->name = keep(r->S, strcmp(path, "-") == 0 ? "<stdin>" : path, strlen(strcmp(path, "-") == 0 ? "<stdin>" : path));
	if (!(s = open_input(r->S, path, r->name)))
		return EX_FAIL;
	r->buf = r->S->in[r->S->nin - 1].data;
	r->len = r->S->in[r->S->nin - 1].len;
	sha256_hex(r->buf, r->len, hex);
	r->file = r->name, r->sha = keep(r->S, hex, strlen(hex));
	if (!r->S->first)
		r->S->first = r->name;
	r->rstart = r->t = r->coff = r->cls = 0;
	r->cline = 1;
	r->marked = r->after_end = 0;
	r->last = NULL;
	sqlsrc_keep_tree(s, 1);
	while ((k = sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			rc = sig_caught ? EX_FAIL : EX_SCHEMA;
			break;
		}
		/* sqlsrc reads the file again: one that grew since it was mapped is not what was mapped */
		if (st.off < 0 || (unsigned long long)(st.off + st.len) > r->len) {
			warnx("%s: the file changed while it was read", r->name);
			rc = EX_FAIL;
			break;
		}
		frame_lines(r, r->t, (size_t)st.off);
		if (k == SQ_META) {
			struct piece *p = new_piece(r, P_META, r->t);
			const char *w;
			size_t n = sqlsrc_meta_word(s, &st, &w);
			const char *nl = memchr(r->buf + st.off + st.len, '\n', r->len - (size_t)(st.off + st.len));

			p->soff = (size_t)st.off, p->slen = (size_t)st.len;
			p->end = r->t = nl ? (size_t)(nl - r->buf) + 1 : r->len;
			p->pos = st.pos;
			p->pos.file = keep(r->S, st.pos.file, strlen(st.pos.file));
			/* pg_dump's \restrict guards psql's parsing of the whole script: first and last */
			p->where = !meta_is_restrict(w, n) ? AT_GRAPH : n == 9 ? AT_TOP : AT_BOTTOM;
			p->barrier = p->where == AT_GRAPH;
			r->last = p;
		} else {
			statement(r, s, &st, k);
		}
		sqlsrc_release(s);
	}
	if (rc == EX_OK) {
		frame_lines(r, r->t, r->len);
		close_region(r, r->len);
		if (sqlsrc_check_frame(s, r->name) < 0)
			rc = EX_SCHEMA;
	}
	if (rc == EX_OK && r->S->header && ninputs > 1) {
		warnx("%s: a stream with a build header must be the only input", r->name);
		rc = EX_CONFIG;
	}
	sqlsrc_close(s);
	/* the bytes stay: pieces point into them until the output is written */
	return rc == EX_OK ? r->rc : rc;
}

/* Whether piece p creates id. */
static int
creates(const struct piece *p, const char *id)
{
	for (size_t i = 0; i < p->creates.n; i++)
		if (strcmp(p->creates.v[i], id) == 0)
			return 1;
	return 0;
}

/* Break a cycle the pg_dump way: a FOREIGN KEY of a CREATE TABLE in it to another table in it
   moves into an ALTER TABLE ... ADD after both. The number of clauses moved. */
static size_t
split_fks(struct sortin *S, struct piece **cyc, size_t ncyc)
{
	size_t moved = 0;

	for (size_t i = 0; i < ncyc; i++) {
		struct piece *p = cyc[i];
		struct fkclause *fk;
		struct sqlclass c;
		json_t *tree = NULL;
		size_t nfk = 0, here, mine = 0;

		if (p->kind != P_STMT || !p->tag || strcmp(p->tag, "CREATE TABLE") != 0)
			continue;
		if (sql_classify_tree(p->sql, &c, &tree) == 0 && tree)
			nfk = dg_fkclauses(tree, p->sql, strlen(p->sql), &fk);
		json_decref(tree);
		for (here = 0; S->pv[here] != p; here++)
			;
		for (size_t k = 0; k < nfk; k++) {
			struct piece *a = xcalloc(1, sizeof *a);
			int other = 0;

			if (ids_of(a, fk[k].alter, &p->sp) == 0)
				for (size_t m = 0; m < a->refs.n && !other; m++)
					for (size_t j = 0; j < ncyc && !other; j++)
						other = cyc[j] != p && creates(cyc[j], a->refs.v[m]);
			if (!other) {
				strv_free(&a->creates), strv_free(&a->alters), strv_free(&a->drops), strv_free(&a->refs);
				free(a);
				continue;
			}
			/* blanks keep the lines and columns of what follows in the statement */
			for (size_t b = fk[k].cut; b < fk[k].cutend; b++)
				if (p->sql[b] != '\n')
					p->sql[b] = ' ';
			a->kind = P_STMT;
			a->sql = xstrdup(fk[k].alter);
			a->file = p->file, a->sha = p->sha;
			/* the ALTER stands where its clause was: line and column (in characters) of the clause */
			a->pos = p->pos;
			for (size_t b = 0; b < fk[k].at; b++)
				if (p->sql[b] == '\n')
					a->pos.line++, a->pos.col = 1;
				else
					a->pos.col += ((unsigned char)p->sql[b] & 0xC0) != 0x80;
			a->line = a->pos.line, a->col = a->pos.col;
			spath_copy(&a->sp, &p->sp);
			a->state = xcalloc(p->nstate + 1, sizeof *a->state);
			memcpy(a->state, p->state, p->nstate * sizeof *a->state);
			a->nstate = p->nstate;
			S->pv = xrealloc(S->pv, (S->npv + 1) * sizeof *S->pv);
			memmove(S->pv + here + mine + 2, S->pv + here + mine + 1, (S->npv - here - mine - 1) * sizeof *S->pv);
			S->pv[here + ++mine] = a;
			S->npv++;
		}
		if (mine > 0)
			ids_of(p, p->sql, &p->sp);
		moved += mine;
		if (nfk > 0)
			dg_fkfree(fk, nfk);
	}
	return moved;
}

/* The pieces in dependency order (top and bottom pieces around them); NULL after reporting a
   cycle nothing breaks. */
static struct piece **
sort_pieces(struct sortin *S, size_t *nout)
{
	for (;;) {
		struct depgraph *g = dg_new();
		struct piece **node = xmalloc((S->npv + 1) * sizeof *node), **out = xmalloc((S->npv + 1) * sizeof *out);
		size_t nn = 0, *order = xmalloc((S->npv + 1) * sizeof *order), no = 0, ncyc;
		struct dgedge *cyc;
		int sorted = 0;

		for (size_t i = 0; i < S->npv; i++)
			if (S->pv[i]->where == AT_GRAPH) {
				node[nn] = S->pv[i];
				dg_add(g, &S->pv[i]->creates, &S->pv[i]->alters, &S->pv[i]->drops, &S->pv[i]->refs);
				if (S->pv[i]->barrier)
					dg_barrier(g, nn);
				if (S->pv[i]->tolerant)
					dg_tolerant(g, nn);
				nn++;
			}
		*nout = 0;
		if (dg_sort(g, order, &cyc, &ncyc) == 0) {
			for (size_t i = 0; i < S->npv; i++)
				if (S->pv[i]->where == AT_TOP)
					out[no++] = S->pv[i];
			for (size_t i = 0; i < nn; i++)
				out[no++] = node[order[i]];
			for (size_t i = 0; i < S->npv; i++)
				if (S->pv[i]->where == AT_BOTTOM)
					out[no++] = S->pv[i];
			*nout = no;
			sorted = 1;
		} else {
			struct piece **members = xmalloc(ncyc * sizeof *members);

			for (size_t i = 0; i < ncyc; i++)
				members[i] = node[cyc[i].to];
			if (split_fks(S, members, ncyc) == 0) {
				for (size_t i = 0; i < ncyc; i++) {
					const struct piece *a = node[cyc[i].from], *b = node[cyc[i].to];

					if (cyc[i].id)
						warnat(&b->pos, "dependency cycle: %s needs %s, which comes from %s:%ld:%ld",
						    b->tag, cyc[i].id, a->pos.file, a->pos.line, a->pos.col);
					else
						warnat(&b->pos, "dependency cycle: %s stays after %s:%ld:%ld (a psql command, "
						    "BEGIN, COMMIT or DO keeps its place)", b->tag ? b->tag : "this line",
						    a->pos.file, a->pos.line, a->pos.col);
				}
				free(out);
				out = NULL;
			}
			free(members);
			free(cyc);
		}
		dg_free(g);
		free(node);
		free(order);
		if (!out || sorted)
			return out;
		free(out);
	}
}

/* The output and where its next byte is in the original files. */
struct out {
	struct sortin *S;
	struct buf *seg;  /* the output: text made here, and spans of the inputs written from where they are */
	size_t nseg;      /* seg[nseg - 1] is text made here, the one being added to */
	const char *file; /* the file the current output line is of; NULL after a line made here */
	long line;
	int bol;          /* at the start of a line */
	const char *last; /* the byte after the last piece written, in its input */
};

/* Spans of an input this long are written from the input, not copied: COPY data stays out of memory. */
#define SPAN_MIN 4096

/* The segment text is being added to. */
static struct buf *
seg_of(struct out *o)
{
	if (o->nseg == 0 || o->seg[o->nseg - 1].cap == 0) {
		o->seg = xrealloc(o->seg, (o->nseg + 1) * sizeof *o->seg);
		o->seg[o->nseg++] = (struct buf){ 0 };
		buf_grow(&o->seg[o->nseg - 1], 1);
	}
	return &o->seg[o->nseg - 1];
}

static void
put_text(struct out *o, const char *t, size_t n)
{
	buf_add(seg_of(o), t, n);
	for (size_t i = 0; i < n; i++)
		o->line += t[i] == '\n';
	if (n > 0)
		o->bol = t[n - 1] == '\n';
}

/* Bytes of an input, which stays readable until the output is written: a long span is written
   from where it is (a segment of cap 0, not freed), a short one copied. */
static void
put_span(struct out *o, const char *t, size_t n)
{
	if (n < SPAN_MIN) {
		put_text(o, t, n);
		return;
	}
	o->seg = xrealloc(o->seg, (o->nseg + 1) * sizeof *o->seg);
	o->seg[o->nseg++] = (struct buf){ .data = (char *)t, .len = n };
	for (size_t i = 0; i < n; i++)
		o->line += t[i] == '\n';
	o->bol = t[n - 1] == '\n';
}

/* A line made here (RESET name;): no file's line. */
static void
put_made(struct out *o, const char *line)
{
	if (!o->bol)
		buf_add(seg_of(o), "\n", 1);
	buf_puts(seg_of(o), line);
	o->bol = 1;
	o->file = NULL;
	o->last = NULL;
}

/* Text that is line `line`, column `col` of file where it begins: after a marker unless the
   output is there already. */
static void
put_at(struct out *o, const char *file, const char *sha, long line, long col, const char *src, const char *t, size_t n)
{
	if (!(src && src == o->last)) {
		if (!o->bol)
			put_text(o, "\n", 1);
		if (!(o->file == file && o->line == line && col == 1)) {
			buf_printf(seg_of(o), "%s%s sha256=%s", MARKER, file, sha);
			if (line != 1)
				buf_printf(seg_of(o), " line=%ld", line);
			buf_add(seg_of(o), "\n", 1);
			for (long c = 1; c < col; c++)
				buf_add(seg_of(o), " ", 1);
		}
		o->file = file;
		o->line = line;
		o->bol = col == 1;
	}
	put_text(o, t, n);
}

/* One piece: its leading text, its statement (rewritten, or given a ';' it lacked when more
   follows), the rest. */
static void
put_piece(struct out *o, const struct piece *p, int more)
{
	struct buf t = { 0 };
	size_t rest = 0; /* where the text after the statement begins (its COPY data, if any) */

	if (!p->buf) {
		buf_printf(&t, "%s;\n", p->sql);
	} else if (p->kind == P_STMT) {
		buf_add(&t, p->buf + p->start, p->soff - p->start);
		buf_puts(&t, p->sql);
		if (p->unterm && more)
			buf_add(&t, ";", 1);
		rest = p->soff + p->slen;
	} else {
		rest = p->start;
	}
	put_at(o, p->file, p->sha, p->line, p->col, p->buf ? p->buf + p->start : NULL, t.data ? t.data : "", t.len);
	if (p->buf)
		put_span(o, p->buf + rest, p->end - rest);
	o->last = p->buf ? p->buf + p->end : NULL;
	buf_free(&t);
}

/* Before a piece: the settings in force where it was (a copy of their SET, or RESET). */
static void
put_settings(struct out *o, const struct piece *p, struct piece **cur)
{
	for (size_t k = 0; k < o->S->names.n; k++) {
		struct piece *want = k < p->nstate ? p->state[k] : NULL;
		const char *n = o->S->names.v[k];

		if (want == cur[k] || strcmp(n, "*") == 0)
			continue;
		if (want) {
			struct buf t = { 0 };

			buf_printf(&t, "%s;\n", want->sql);
			put_at(o, want->pos.file, want->sha, want->pos.line, want->pos.col, NULL, t.data, t.len);
			o->last = NULL;
			buf_free(&t);
		} else if (strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789_.") == strlen(n)) {
			char *line = xasprintf("RESET %s;\n", n);

			put_made(o, line);
			free(line);
		}
		cur[k] = want;
	}
}

static int
write_sorted(struct sortin *S, const char *oflag, struct piece **v, size_t n)
{
	struct out o = { .S = S, .bol = 1, .line = 1 };
	struct piece **cur = xcalloc(S->names.n + 1, sizeof *cur);
	int rc;

	/* the output's own lines are the first input's, as cat(1) would write them */
	o.file = S->first;
	if (S->header)
		put_text(&o, S->header, strlen(S->header));
	for (size_t i = 0; i < n; i++) {
		const struct piece *p = v[i];

		if (p->kind == P_STMT && !p->setname && p->where == AT_GRAPH)
			put_settings(&o, p, cur);
		put_piece(&o, p, i + 1 < n);
		if (p->setname && strcmp(p->setname, "*") == 0)
			memset(cur, 0, S->names.n * sizeof *cur);
		else if (p->setname)
			cur[name_index(S, p->setname)] = p->reset ? NULL : (struct piece *)p;
	}
	if (S->endline) {
		if (!o.bol)
			put_text(&o, "\n", 1);
		put_text(&o, S->endline, strlen(S->endline));
	}
	rc = write_out(oflag, o.seg, o.nseg, &sig_caught);
	for (size_t i = 0; i < o.nseg; i++)
		if (o.seg[i].cap > 0)
			buf_free(&o.seg[i]);
	free(o.seg);
	free(cur);
	return rc;
}


struct sortin *
sortin_new(void)
{
	struct sortin *S = xcalloc(1, sizeof *S);

	S->r = xcalloc(1, sizeof *S->r);
	S->r->S = S;
	spath_init(&S->r->sp);
	return S;
}

static void
piece_free(struct piece *p)
{
	free(p->sql);
	strv_free(&p->creates), strv_free(&p->alters), strv_free(&p->drops), strv_free(&p->refs);
	spath_free(&p->sp);
	free(p->setname);
	free(p->setval);
	free(p->state);
	free(p);
}

void
sortin_free(struct sortin *S)
{
	if (!S)
		return;
	for (size_t i = 0; i < S->npv; i++)
		piece_free(S->pv[i]);
	free(S->pv);
	for (size_t i = 0; i < S->nin; i++)
		if (S->in[i].mapped)
			munmap(S->in[i].data, S->in[i].len);
		else if (S->in[i].owned)
			free(S->in[i].data);
	free(S->in);
	strv_free(&S->names);
	strv_free(&S->strs);
	free(S->header);
	free(S->endline);
	spath_free(&S->r->sp);
	free(S->r->cur);
	free(S->r);
	free(S);
}

int
sortin_read(struct sortin *S, const char *path, int ninputs)
{
	return read_input(S->r, path, ninputs);
}

int
sortin_write(struct sortin *S, const char *oflag)
{
	struct piece **v;
	size_t n;
	int rc;

	if (!(v = sort_pieces(S, &n)))
		return EX_SCHEMA;
	rc = write_sorted(S, oflag, v, n);
	free(v);
	return rc;
}
