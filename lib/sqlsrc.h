#ifndef CONF_SQLSRC_H
#define CONF_SQLSRC_H

#include "diag.h"
#include "fsx.h"
#include "sqlclass.h"

/* What sqlsrc_next returns. */
enum { SQ_END, SQ_STMT, SQ_META, SQ_COPY, SQ_ERROR,
	SQ_SKIP /* with sqlsrc_set_resume: a statement cut by a file marker was reported; more follows */ };

/* One item of a SQL stream. Offsets are stream offsets; the text stays readable with
   sqlsrc_text until sqlsrc_release. */
struct stmt {
	int kind;               /* SQ_STMT, SQ_META or SQ_COPY */
	long long off;          /* first token (for SQ_META the backslash) */
	long long len;          /* up to its ';', excluded (ST_UNTERM: its last non-blank byte); SQ_META: the line */
	struct srcpos pos;      /* where the first token is in the original file */
	int flags;
	const char *node;       /* parse-tree node name, e.g. "CreateStmt"; NULL if not parsed */
	const char *why_notx;   /* for ST_NOTX: what cannot run in a transaction, e.g. "CREATE INDEX CONCURRENTLY";
	                           for ST_ROLE and ST_CLUSTER: the statement, e.g. "CREATE ROLE" */
	struct srcpos datapos;  /* SQ_COPY: position of the first data line */
	int gterm;              /* SQ_STMT ended by a psql command rather than ';' (the command is the
	                           next item): G_SEND (\g, \gx, \gset, \crosstabview, \watch: run), G_EXEC (\gexec: run, and its
	                           result rows run as statements), G_DESC (\gdesc: described, not run) */
};

/* The psql commands that end a statement (struct stmt's gterm). */
enum { G_NONE, G_SEND, G_EXEC, G_DESC };

struct sqlsrc;

/* Bytes asked of each read (256 KiB; the fuzz target makes it tiny to test refills). */
extern size_t sqlsrc_readsz;

/* What a stream said about itself. */
struct sqlframe {
	int header;   /* the first line was a build header */
	long files;   /* its files=N (-1 when it has none) */
	long markers; /* distinct files the marker lines named (a repeated one continues its file) */
	int ended;    /* the end line came, and nothing but blank lines after it */
	long after_line, after_col; /* the first text after an end line, in stream lines; 0 if none */
};

// sqlsrc.c
/* Open a file ("-" = stdin) as a SQL stream; NULL after a message if it cannot be opened
   (silently when a signal interrupted the open). */
struct sqlsrc *sqlsrc_open(const char *path);
/* A SQL stream over a copy of n bytes, named name in messages. */
struct sqlsrc *sqlsrc_mem(const char *name, const char *data, size_t n);
/* Whether to parse every statement with libpg_query (default on: flags and node filled). */
void sqlsrc_set_parse(struct sqlsrc *s, int on);
/* Whether a statement (or literal, or comment) that runs across a file marker is reported and
   skipped (SQ_SKIP), reading going on at the marker, rather than ending the stream (default off). */
void sqlsrc_set_resume(struct sqlsrc *s, int on);
/* Whether to follow psql's \if/\elif/\else/\endif (default off): constant conditions are evaluated
   as psql does and a false branch's items are not returned; a condition psql computes (a variable,
   a backquote) is warned about and every branch read. The four commands are not returned. */
void sqlsrc_follow_if(struct sqlsrc *s, int on);
/* Whether to keep each parsed statement's tree for sqlsrc_tree (default off). */
void sqlsrc_keep_tree(struct sqlsrc *s, int on);
/* The tree of the last SQ_STMT (the RawStmt's "stmt", borrowed until the next sqlsrc_next or
   sqlsrc_close), with sqlsrc_keep_tree on; NULL when it did not parse. */
json_t *sqlsrc_tree(struct sqlsrc *s);
/* Whether to compute each kept tree's fingerprint as well (default off). */
void sqlsrc_keep_fingerprint(struct sqlsrc *s, int on);
/* The fingerprint of that statement (pg_query_fingerprint's, from the same parse), with
   sqlsrc_keep_fingerprint on; NULL without a tree. */
const char *sqlsrc_fingerprint(struct sqlsrc *s);
/* Whether to keep each parsed statement's tree as a light tree (ptree.h) instead (default off). */
void sqlsrc_keep_ptree(struct sqlsrc *s, int on);
/* That tree, as sqlsrc_tree (borrowed until the next sqlsrc_next or sqlsrc_close). */
const struct pt *sqlsrc_ptree(struct sqlsrc *s);
/* Close and free. */
void sqlsrc_close(struct sqlsrc *s);
/* For a reader with sqlsrc_set_parse off whose statements are parsed elsewhere (conf-parse's
   parser threads): apply to st the classification of its text (r and c from sql_classify_fp),
   with the refusals the reader makes when it parses; SQ_STMT, or SQ_ERROR after its message. */
int sqlsrc_classified(struct stmt *st, const char *text, int r, const struct sqlclass *c);
/* The next item; SQ_ERROR after a message (unterminated literal, NUL byte, read error), or
   without one when a signal (sig_caught) interrupted a read. Statements before an error come first. */
int sqlsrc_next(struct sqlsrc *s, struct stmt *st);
/* The text of an item returned since the last release (len bytes, not NUL-terminated). */
const char *sqlsrc_text(struct sqlsrc *s, long long off);
/* The command word of an SQ_META item ("\restrict", "\set", ...): *p set to it, its length returned. */
size_t sqlsrc_meta_word(struct sqlsrc *s, const struct stmt *st, const char **p);
/* Whether a psql command word is pg_dump's \restrict or \unrestrict, which guard psql's own parsing only. */
int meta_is_restrict(const char *w, size_t n);
/* The next chunk of COPY data after an SQ_COPY item: 1 with *p,*n set; 0 at the "\." line; -1 after a message. */
int sqlsrc_copydata(struct sqlsrc *s, const char **p, size_t *n);
/* The header's files=N, the markers seen and whether the end line came (valid after SQ_END). */
void sqlsrc_frame(const struct sqlsrc *s, struct sqlframe *f);
/* After SQ_END: whether a stream with a build header came whole (its files, its end line, nothing
   after it); -1 after the message conf-apply gives (name: the input's name in it), else 0. */
int sqlsrc_check_frame(const struct sqlsrc *s, const char *name);
/* Allow the reader to forget the text of items returned so far. */
void sqlsrc_release(struct sqlsrc *s);
/* The original position of stream offset off inside statement st (p holds its text, from st->off). */
void stmt_where(const struct stmt *st, const char *p, long long off, struct srcpos *out);
/* Report statement st (text sql, len bytes) that libpg_query rejects: its message at the error's
   place in the original file (or the reader's reason, when it parses after all). */
void stmt_syntax_error(const struct stmt *st, const char *sql, size_t len);
/* Byte length of the first nchars UTF-8 characters of p (at most n bytes). */
size_t utf8_bytes(const char *p, size_t n, long nchars);

#endif
