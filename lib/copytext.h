#ifndef CONF_COPYTEXT_H
#define CONF_COPYTEXT_H

#include <stddef.h>

#include "diag.h"

/* A buffered line reader over a file descriptor: constant memory, a line at a time. */
struct lnreader {
	int fd;
	const char *name;
	char *b;
	size_t cap, start, end;
	int eof;
	long line; /* number of the last line returned */
};

/* The lexical state of SQL text between statements, line by line. */
struct sqlscan {
	int state;    /* 0 SQL, 1 '…', 2 "…", 3 $tag$…, 4 comment */
	int estr;     /* the '…' literal is an E'…' one (backslash escapes) */
	int depth;    /* nesting of block comments */
	int empty;    /* nothing but blanks and comments since the last ';' */
	char tag[64]; /* the dollar-quote tag, $ included */
	size_t taglen;
};

/* A COPY … FROM stdin line: its table and column list. */
struct copyhdr {
	char *schema; /* NULL when not qualified */
	char *table;
	char **cols;
	size_t ncols;
	int has_cols; /* a column list was given */
	int text;     /* text format (no WITH/options after stdin) */
};

// copytext.c
/* Open path ("-" = stdin) for reading; -1 after a message. */
int lr_open(struct lnreader *r, const char *path);
/* The next line with its '\n' (the last may lack one): 1 with *p,*n set, 0 at the end, -1 after a message. */
int lr_next(struct lnreader *r, const char **p, size_t *n);
/* Close the file and free the buffer. */
void lr_close(struct lnreader *r);
/* Start scanning SQL text. */
void sqlscan_init(struct sqlscan *s);
/* Advance the lexical state over one line of SQL text. */
void sqlscan_line(struct sqlscan *s, const char *p, size_t n);
/* Parse a COPY line as pg_dump writes it; 0 if it is COPY … FROM stdin, -1 if not. */
int copy_header(const char *p, size_t n, struct copyhdr *h);
/* Free what copy_header allocated. */
void copyhdr_free(struct copyhdr *h);
/* Whether the line (with or without its '\n') is the end-of-data marker "\.". */
int copy_is_end(const char *p, size_t n);
/* Decode one COPY text field into out (reset first): 1 for \N (NULL), 0 for a value, -1 for a
   lone backslash at its end. */
int copy_decode(const char *p, size_t n, struct buf *out);
/* Append the COPY text form of n bytes to out. */
void copy_encode(struct buf *out, const char *p, size_t n);
/* An SQL identifier at p (quoted or not) copied to *out; the bytes it took, 0 if none. */
size_t sql_ident(const char *p, size_t n, char **out);

#endif
