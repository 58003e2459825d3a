/*
 * libFuzzer target for the SQL stream reader: any bytes, every item and all COPY data
 * drained. Checks, besides the sanitizers: items come in order, inside the input, with
 * positions that exist; and when the reader reports no error, every byte it did not hand
 * out is white space, a comment, a ';', a byte-order mark or a COPY block's "\." line.
 * The input is read from memory, and then (bit 2 of its first byte) through a pipe a few
 * bytes per read, so that every token can be cut by a refill: both reads must hand out the
 * same items and end alike (a refill inside a token must never change the result).
 * seeds: *.sql
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlsrc.h"

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

/* Drain s, checking every item; the digest of the items, their data and how it ended. */
static uint64_t
drain(struct sqlsrc *s, const char *in, size_t size)
{
	struct stmt st;
	size_t done = 0; /* every byte before this one is accounted for */
	int k, ok = 1;
	uint64_t h = 14695981039346656037u;

	while ((k = sqlsrc_next(s, &st)) != SQ_END) {
		fold(&h, k);
		fold(&h, st.off);
		fold(&h, st.len);
		fold(&h, st.flags);
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
		if (k != SQ_META && !(st.flags & ST_UNTERM))
			CHECK(in[st.off + st.len] == ';');
		CHECK(only_blank(in, done, (size_t)st.off));
		done = (size_t)(st.off + st.len);
		if (k == SQ_META) {
			while (done < size && in[done] != '\n')
				CHECK(in[done++] == '\r');
		} else if (k == SQ_STMT && !(st.flags & ST_UNTERM)) {
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
