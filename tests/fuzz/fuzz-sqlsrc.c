/*
 * libFuzzer target for the SQL stream reader: any bytes, every item and all COPY data
 * drained. Checks, besides the sanitizers: items come in order, inside the input, with
 * positions that exist; and when the reader reports no error, every byte it did not hand
 * out is white space, a comment, a ';', a byte-order mark or a COPY block's "\." line.
 * The input is read from memory, and then (bit 2 of its first byte) through a pipe a few
 * bytes per read, so that every token can be cut by a refill: both reads must hand out the
 * same items and end alike (a refill inside a token must never change the result).
 * With parsing on, every statement also goes through conf-parse's analysis: the statement
 * facts of lib/stmtinfo (tag, ids, search_path) on its kept tree, the canonical record, or the
 * mapping of a syntax error's place into the original file.
 * seeds: *.sql
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonl.h"
#include "model.h"
#include "sqlsrc.h"
#include "stmtinfo.h"

#define CHECK(c) ((c) ? (void)0 : abort())

/* Whether [from, to) of p holds nothing but blanks, comments, ';' and byte-order marks. */
static int
only_blank(const char *p, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		if (strchr(" \t\n\r\f\v;", p[i]) && p[i] != '\0') {
			i++;
		} else if (p[i] == '-' && i + 1 < to && p[i + 1] == '-') {
			/* as in the server, a CR ends it too */
			while (i < to && p[i] != '\n' && p[i] != '\r')
				i++;
		} else if (p[i] == '/' && i + 1 < to && p[i + 1] == '*') {
			int depth = 1;

			for (i += 2; i < to && depth > 0; i++) {
				if (p[i] == '/' && i + 1 < to && p[i + 1] == '*')
					depth++, i++;
				else if (p[i] == '*' && i + 1 < to && p[i + 1] == '/')
					depth--, i++;
			}
			if (depth > 0)
				return 0;
		} else if (i + 3 <= to && memcmp(p + i, "\xef\xbb\xbf", 3) == 0) {
			i += 3;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Fold v into the digest *h of what a reader handed out. */
static void
fold(uint64_t *h, long long v)
{
	*h = (*h ^ (uint64_t)v) * 1099511628211u;
}

static void
fold_str(uint64_t *h, const char *s)
{
	while (*s)
		fold(h, (unsigned char)*s++);
}

/* Every id is "kind:" and something, never a bare word. */
static void
check_ids(const struct strv *v, uint64_t *h)
{
	for (size_t i = 0; i < v->n; i++) {
		const char *c = strchr(v->v[i], ':');

		CHECK(c && c > v->v[i] && c[1] != '\0');
		fold_str(h, v->v[i]);
	}
}

/* conf-parse's analysis of one statement the reader handed out (text in p, st->len bytes). */
static void
analyse(struct sqlsrc *s, const struct stmt *st, const char *p, struct spath *sp, uint64_t *h)
{
	char *sql = xstrndup(p, (size_t)st->len);
	json_t *tree = sqlsrc_tree(s);

	if ((st->flags & ST_PARSED) && tree) {
		struct stmtinfo si;
		json_t *rec, *canon;
		char *line;

		CHECK(stmtinfo_get(tree, sql, sp, &si) == 0);
		CHECK(si.tag && si.tag[0]);
		CHECK(spath_first(sp)[0] != '\0' || sp->schemas.n > 0);
		fold_str(h, si.tag);
		check_ids(&si.creates, h);
		check_ids(&si.alters, h);
		check_ids(&si.drops, h);
		check_ids(&si.refs, h);
		rec = json_pack("{s:s, s:o, s:s, s:b}", "kind", "stmt", "sql", jsonl_str(sql), "tag", si.tag,
		    "tx", si.tx);
		CHECK(rec != NULL);
		canon = model_canon(rec, 0);
		line = json_dumps(canon, JSON_COMPACT);
		CHECK(line && strncmp(line, "{\"kind\":\"stmt\",", 15) == 0);
		free(line);
		json_decref(canon);
		json_decref(rec);
		stmtinfo_free(&si);
	} else if (st->flags & ST_PARSED) {
		CHECK(0); /* a parsed statement always has its tree */
	} else {
		struct sqlclass c;
		struct srcpos pos;

		/* the error's place, from a character count, lands inside the statement */
		if (sql_classify(sql, &c) != 0 && c.errpos > 0) {
			size_t off = utf8_bytes(sql, (size_t)st->len, c.errpos - 1);

			CHECK(off <= (size_t)st->len);
			stmt_where(st, sql, st->off + (long long)off, &pos);
			CHECK(pos.line >= st->pos.line && pos.col >= 1);
			fold(h, pos.line);
			fold(h, pos.col);
		}
	}
	free(sql);
}

/* Drain s, checking every item; the digest of the items, their data and how it ended. */
static uint64_t
drain(struct sqlsrc *s, const char *in, size_t size)
{
	struct stmt st;
	size_t done = 0; /* every byte before this one is accounted for */
	int k, ok = 1;
	uint64_t h = 14695981039346656037u;
	struct spath sp;

	spath_init(&sp);
	sqlsrc_keep_tree(s, 1);

	while ((k = sqlsrc_next(s, &st)) != SQ_END) {
		fold(&h, k);
		fold(&h, st.off);
		fold(&h, st.len);
		fold(&h, st.flags);
		fold(&h, st.gterm);
		fold(&h, st.pos.line);
		fold(&h, st.pos.col);
		if (k == SQ_ERROR) {
			ok = 0;
			break;
		}
		CHECK(k == SQ_STMT || k == SQ_META || k == SQ_COPY);
		CHECK(st.off >= 0 && st.len > 0 && (size_t)(st.off + st.len) <= size);
		CHECK((size_t)st.off >= done);
		CHECK(st.pos.line >= 1 && st.pos.col >= 1);
		CHECK(!strchr(" \t\n\r\f\v", in[st.off]));
		if (k == SQ_META)
			CHECK(in[st.off] == '\\');
		if (k == SQ_STMT && st.gterm) {
			/* ended by a psql command that sends it: blanks, then that command's backslash */
			size_t b = (size_t)(st.off + st.len);

			CHECK(!(st.flags & ST_UNTERM));
			while (b < size && strchr(" \t\n\r\f\v", in[b]) && in[b] != '\0')
				b++;
			CHECK(b < size && in[b] == '\\');
		} else if (k != SQ_META && !(st.flags & ST_UNTERM)) {
			CHECK(in[st.off + st.len] == ';');
		}
		CHECK(only_blank(in, done, (size_t)st.off));
		if (k != SQ_META && ((st.flags & ST_PARSED) || (in[0] & 1)))
			analyse(s, &st, sqlsrc_text(s, st.off), &sp, &h);
		done = (size_t)(st.off + st.len);
		if (k == SQ_META) {
			while (done < size && in[done] != '\n')
				CHECK(in[done++] == '\r');
		} else if (k == SQ_STMT && !(st.flags & ST_UNTERM) && !st.gterm) {
			done++;
		} else if (k == SQ_COPY) {
			const char *p;
			size_t n;
			int r;

			if (!(st.flags & ST_UNTERM))
				done++;
			/* the rest of the COPY line, then the data */
			while (done < size && in[done] != '\n')
				done++;
			CHECK(only_blank(in, (size_t)(st.off + st.len + !(st.flags & ST_UNTERM)), done));
			done += done < size;
			CHECK(st.datapos.line >= st.pos.line);
			while ((r = sqlsrc_copydata(s, &p, &n)) > 0) {
				CHECK(n > 0 && done + n <= size && memcmp(p, in + done, n) == 0);
				done += n;
			}
			fold(&h, (long long)done);
			if (r < 0) {
				ok = 0;
				break;
			}
			/* the "\." line */
			CHECK(done + 2 <= size && in[done] == '\\' && in[done + 1] == '.');
			done += 2;
			if (done < size && in[done] == '\r')
				done++;
			if (done < size) {
				CHECK(in[done] == '\n');
				done++;
			}
		}
		sqlsrc_release(s);
	}
	if (ok) {
		struct sqlframe f;

		CHECK(memchr(in, '\0', size) == NULL);
		CHECK(only_blank(in, done, size));
		sqlsrc_frame(s, &f);
		CHECK(f.markers >= 0 && f.header >= 0);
		fold(&h, f.header);
		fold(&h, f.files);
		fold(&h, f.markers);
		fold(&h, f.ended);
		fold(&h, f.after_line);
	}
	fold(&h, ok);
	spath_free(&sp);
	sqlsrc_close(s);
	return h;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	int parse = size > 0 && (data[0] & 1), fds[2];
	struct sqlsrc *s = sqlsrc_mem("fuzz", in, size);
	uint64_t whole;

	sqlsrc_set_parse(s, parse);
	whole = drain(s, in, size);
	if (size > 1 && (data[0] & 2) && size < 60000 && pipe(fds) == 0) {
		char path[64];

		/* fits in the pipe's buffer: no writer needs to run beside the reader */
		CHECK(write(fds[1], data, size) == (ssize_t)size);
		close(fds[1]);
		snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
		sqlsrc_readsz = 1 + data[1] % 16;
		s = sqlsrc_open(path);
		close(fds[0]);
		CHECK(s != NULL);
		sqlsrc_set_parse(s, parse);
		/* read in pieces, the reader hands out the same items as from memory, and fails alike */
		CHECK(drain(s, in, size) == whole);
		sqlsrc_readsz = 256 * 1024;
	}
	return 0;
}
