#ifndef CONF_STMTINFO_H
#define CONF_STMTINFO_H

#include <jansson.h>

#include "fsx.h"
#include "ptree.h"

/* The search_path a stream has set so far (SET search_path, set_config); "public" at the start. */
struct spath {
	struct strv schemas; /* in order; "$user" and pg_catalog left out */
	int in_block;        /* inside BEGIN ... COMMIT/ROLLBACK */
	int saved;           /* a SET LOCAL in the block saved the path in force before it */
	struct strv before;  /* that path, restored when the block ends */
	int nobodycheck;     /* check_function_bodies is off: SQL function bodies are not validated */
	json_t *known;       /* the ids created so far (an object used as a set; NULL: none yet): an
	                        unqualified name is looked up along the path in it, as the server does */
};

/* What one statement does to the schema's objects (ids as in conf-formats(5)). */
struct stmtinfo {
	const char *tag;                 /* command tag: "CREATE TABLE", "ALTER TABLE", ... (static) */
	int tx;                          /* may run inside a transaction block */
	struct strv creates, alters, drops, refs;
	char *spwarn;                    /* the statement may change search_path in a way not followed:
	                                    the path names after it are resolved with ("a, b"); or NULL */
};

// stmtinfo.c
/* A search path of "public" alone. */
void spath_init(struct spath *sp);
/* Free its strings. */
void spath_free(struct spath *sp);
/* A copy of a search path (free it with spath_free); its set of known ids is shared, not copied. */
void spath_copy(struct spath *to, const struct spath *from);
/* The schema unqualified new objects go to: the first of the path ("public" if it is empty). */
const char *spath_first(const struct spath *sp);
/* Fill si from one statement's parse-tree node (borrowed; its locations index sql) and apply the
   statement's effect on sp (SET search_path, SELECT set_config(...)); 0, or -1 if the node is not
   a statement node. */
int stmtinfo_get(json_t *stmt, const char *sql, struct spath *sp, struct stmtinfo *si);
/* stmtinfo_get of the same node as a light tree (ptree.h; borrowed). */
int stmtinfo_get_pt(const struct pt *stmt, const char *sql, struct spath *sp, struct stmtinfo *si);
/* Free si's lists. */
void stmtinfo_free(struct stmtinfo *si);

#endif
