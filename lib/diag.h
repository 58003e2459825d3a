#ifndef CONF_DIAG_H
#define CONF_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* The exit-status table shared by every tool and the front (DESIGN.md). */
enum {
	EX_OK = 0,          /* success */
	EX_FAIL = 1,        /* failure, findings, SQL error */
	EX_NOTRACK = 2,     /* tracking table absent */
	EX_UNREACHABLE = 3, /* database unreachable */
	EX_SCHEMA = 4,      /* schema/DDL or parse error */
	EX_CONFIG = 5,      /* invalid config or usage */
	EX_LOCK = 6,        /* lock contention */
	EX_PREFLIGHT = 7,   /* preflight findings */
	EX_IRREVERSIBLE = 8 /* missing .down.sql */
};

/* A position in an original source file; line and col are 1-based, 0 = unknown. */
struct srcpos {
	const char *file;
	long line;
	long col;
};

// diag.c
/* Set the program name used as the prefix of every message (basename of argv0). */
void diag_init(const char *argv0);
/* The program name set by diag_init. */
const char *diag_prog(void);
/* Print "prog: message" on stderr. */
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "prog: FILE:LINE:COL: message" on stderr (fields left out when unknown). */
void warnat(const struct srcpos *pos, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The va_list form of warnat. */
void vwarnat(const struct srcpos *pos, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Print "prog: message" and exit with status code. */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "prog: usage: usage" and exit EX_CONFIG. */
_Noreturn void usage(const char *usage);
/* The value of option -opt: a whole decimal number >= min, else exit EX_CONFIG with
   "-opt wants what, not arg". */
long opt_number(int opt, const char *arg, long min, const char *what);
/* fflush(stdout), keeping the reason of a failure for finish_stdout; 0 or -1. */
int flush_stdout(void);
/* Check stdout for write errors, close it; exit EX_FAIL with the reason if it failed. */
void finish_stdout(void);

// xmem.c: allocation that never returns NULL (it dies with "out of memory" instead)
/* malloc(n). */
void *xmalloc(size_t n);
/* calloc(n, size). */
void *xcalloc(size_t n, size_t size);
/* realloc(p, n). */
void *xrealloc(void *p, size_t n);
/* A copy of s. */
char *xstrdup(const char *s);
/* A copy of at most n bytes of s, NUL-terminated. */
char *xstrndup(const char *s, size_t n);
/* A newly allocated string formatted as by printf. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer; data is always NUL-terminated. */
struct buf {
	char *data;
	size_t len, cap;
};
/* Make room for n more bytes. */
void buf_grow(struct buf *b, size_t n);
/* Append n bytes. */
void buf_add(struct buf *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);
/* Append formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Release the storage and reset to empty. */
void buf_free(struct buf *b);

#endif
