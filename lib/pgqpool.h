#ifndef CONF_PGQPOOL_H
#define CONF_PGQPOOL_H

#include <jansson.h>

#include "sqlsrc.h"

/*
 * Statements of a SQL stream parsed on worker threads. The reader (sqlsrc, with its own parsing off)
 * runs on the calling thread a bounded number of items ahead of the caller; each statement's text is
 * parsed, fingerprinted, classified and loaded as a tree (sql_classify_fp, which libpg_query allows
 * on any thread: its memory contexts are the thread's) by the first free worker, or by the caller
 * itself when the item it needs is not done (so n workers and the caller are n + 1 parsers; the
 * caller also parses again an item a worker took and has not finished long after it should); the
 * caller takes the items back in input order, classified as a reader that parses them itself would
 * have, and the reader's messages come on stderr when their item is taken, as they would without
 * read-ahead.
 */

struct pgqpool;
struct pgqahead;

// pgqpool.c
/* Give jansson an allocator of per-thread free lists, before any jansson value is made (not in a
   sanitizer build, whose checks of jansson's memory it would blind). Memory it hands out must never
   go to free(3): only for a process that frees jansson's memory through jansson alone. */
void pgq_fast_alloc(void);
/* A pool of n worker threads (n >= 1) besides the caller's; dies if they cannot be started. */
struct pgqpool *pgqpool_new(int n);
/* Stop the workers and free the pool (NULL is fine). */
void pgqpool_free(struct pgqpool *p);
/* Read s ahead through the pool: s must be fresh, with sqlsrc_set_parse off. */
struct pgqahead *pgqahead_open(struct pgqpool *p, struct sqlsrc *s);
/* sqlsrc_next for the stream read ahead: the next item in input order, statements classified (flags,
   node), SQ_ERROR after the reader's message when it would have refused one. */
int pgqahead_next(struct pgqahead *a, struct stmt *st);
/* The text of that item (st->len bytes; a statement's is NUL-terminated, its ';' after it when
   ';' ended it), valid until pgqahead_release. */
const char *pgqahead_text(struct pgqahead *a);
/* sqlsrc_tree for that item: its tree (borrowed until pgqahead_release), NULL when it did not parse. */
json_t *pgqahead_tree(struct pgqahead *a);
/* Have the statements' trees made as light trees (ptree.h) rather than jansson's: before the first
   pgqahead_next. */
void pgqahead_use_ptree(struct pgqahead *a);
/* sqlsrc_ptree for that item, with pgqahead_use_ptree (borrowed until pgqahead_release). */
const struct pt *pgqahead_ptree(struct pgqahead *a);
/* sqlsrc_fingerprint for that item (with sqlsrc_keep_fingerprint on): NULL without a tree. */
const char *pgqahead_fingerprint(struct pgqahead *a);
/* Done with that item (sqlsrc_release): its tree is freed by a worker. */
void pgqahead_release(struct pgqahead *a);
/* Wait for the statements still being parsed and free everything; the stream is the caller's. */
void pgqahead_close(struct pgqahead *a);

#endif
