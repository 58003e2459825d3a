#ifndef CONF_PGQRAW_H
#define CONF_PGQRAW_H

#include <pg_query.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The steps of pg_query_parse, which libpg_query 15 exports without declaring them in pg_query.h
 * (its src/pg_query_internal.h, pg_query_json.h and pg_query_fingerprint.h), as 15-4.x defines
 * them. Taking the JSON tree and the fingerprint from one raw parse tree saves pg_query_fingerprint's
 * second parse of the text: pg_query_fingerprint is pg_query_fingerprint_node over the tree of this
 * same parse, printed "%016" PRIx64 (the conf-parse tests check both against the public calls over
 * the regression corpus). lib/pgfp computes that fingerprint itself, over the JSON's light tree,
 * with the bundled xxHash's XXH3; pg_query_fingerprint_node stays for what pgfp cannot tell.
 * Declared here alone, so that another libpg_query major version is one place to look at.
 */

/* PgQueryInternalParsetreeAndError. */
struct pgq_raw {
	void *tree;           /* List of RawStmt, in the memory context */
	char *stderr_buffer;  /* malloc'd */
	PgQueryError *error;  /* malloc'd */
};

/* A new memory context of the calling thread (its first call sets the thread's libpg_query up). */
extern void *pg_query_enter_memory_context(void);
/* Free that context and what was allocated in it. */
extern void pg_query_exit_memory_context(void *ctx);
/* The raw parse tree of input, in the current memory context. A libpg_query with parser options
   (a later 15-4.x) takes them as a second argument: RAW_PARSE calls either. */
#ifdef PG_QUERY_PARSE_DEFAULT
extern struct pgq_raw pg_query_raw_parse(const char *input, int parser_options);
#define RAW_PARSE(sql) pg_query_raw_parse((sql), PG_QUERY_PARSE_DEFAULT)
#else
extern struct pgq_raw pg_query_raw_parse(const char *input);
#define RAW_PARSE(sql) pg_query_raw_parse(sql)
#endif
/* The JSON text of a node tree (pg_query_parse's parse_tree), in the current memory context. */
extern char *pg_query_nodes_to_json(const void *obj);
/* The fingerprint of a node tree, as pg_query_fingerprint computes it of the text's tree. */
extern uint64_t pg_query_fingerprint_node(const void *node);
/* XXH3-64 of len bytes with a seed: the bundled xxHash's (0.8), which libpg_query's fingerprint uses. */
extern uint64_t XXH3_64bits_withSeed(const void *data, size_t len, uint64_t seed);

#endif
