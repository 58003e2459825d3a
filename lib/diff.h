#ifndef CONF_DIFF_H
#define CONF_DIFF_H

#include <jansson.h>

#include "fsx.h"
#include "model.h"

/* conf-diff's core: two models (old, new) paired by id, one handler per record kind that emits
   the statements turning old into new, and the ordering of those statements by the ids they
   create, drop and use.

   Flow: diff_run pairs the records of both models by id (through the renames of diff_opt: an old
   record renamed is paired with the new record of the new id) and calls the handler of each
   record's kind once per pair: (old, new) both set when the id is on both sides, old NULL for a
   creation, new NULL for a drop. A handler compares what it owns and emits zero or more changes.
   A handler may ask for a dependent to be dropped and created again around its change
   (diff_recreate); that dependent's handler is then called (old, NULL) and (NULL, new) instead
   of (old, new), and what it emitted for the pair before is withdrawn. The core sorts the changes
   (below) and writes them as SQL or as JSON Lines.

   Ids are those of conf-formats(5): table:S.T, column:S.T.C, constraint:S.T.N, index:S.N,
   type:S.N, domain:S.N, function:S.N(T1,T2), function:S.N (a call to some overload), ... */

struct diffctx;
struct diffchange;

/* Options (set by conf-diff from its command line). */
struct diffopt {
	int online;            /* online-safe forms (default 1; --no-online: 0) */
	int allow_destructive; /* write destructive statements uncommented */
	json_t *renames;       /* object: old id -> new id (-r OLD=NEW); borrowed, may be NULL */
	const char *lock_timeout;      /* preamble values ("5s", "0" = no preamble line) */
	const char *statement_timeout;
};

/* A handler: compare one pair (old or new NULL for create/drop, never both); 0, or -1 after
   diff_fail. Records are borrowed and must not be changed. */
typedef int diff_fn(struct diffctx *c, const json_t *old, const json_t *new);

/* One record kind: its name as in the record's "kind" and its handler. rank orders changes the
   dependencies leave free: lower first among creations (schemas, extensions, types, ... tables,
   ... comments, grants), and the other way round among drops. */
struct diffkind {
	const char *kind;
	diff_fn *fn;
	int rank;
};

/* The kind tables, each ended by { NULL, NULL, 0 }: the core's kinds (lib/diff_table.c: schema,
   extension, type, domain, sequence, table, index) and the object kinds (lib/diff_obj.c: view,
   matview, function, procedure, trigger, event_trigger, rule, policy, publication, comment,
   grant, default_acl, owner). A record whose kind is in neither is an error naming it. */
extern const struct diffkind diff_core_kinds[];
extern const struct diffkind diff_obj_kinds[];
/* lib/diff_ext.c: ts_parser, ts_template, ts_dict, ts_config, opfamily, opclass, fdw, server, user_mapping, language,
   access_method. */
extern const struct diffkind diff_ext_kinds[];

/* Hazards of a statement: a "-- hazard: WORD" comment line before it in SQL, and "hazards"
   (the words, in this order) in -j. */
enum {
	DH_DATA_LOSS = 1 << 0,  /* "data loss": drops rows, columns, values, or narrows a type */
	DH_REWRITE = 1 << 1,    /* "table rewrite" */
	DH_LOCK = 1 << 2,       /* "access exclusive lock" held for longer than a catalog change */
	DH_INDEX_BUILD = 1 << 3, /* "index build" */
	DH_SHARE_LOCK = 1 << 4  /* "share lock": writes wait while it scans (a plain CREATE INDEX) */
};

/* How a statement runs. */
enum {
	DF_NOTX = 1 << 0,       /* cannot run inside a transaction block ("tx": false) */
	DF_COMMIT = 1 << 1,     /* what it adds cannot be used before it commits (ALTER TYPE ... ADD
	                           VALUE): runs outside a transaction block too ("tx": false,
	                           "commit": true; SQL: a "-- conf-diff: commit" line before it) */
	DF_DESTRUCTIVE = 1 << 2, /* written commented out unless allow_destructive (implied by
	                           DH_DATA_LOSS) */
	DF_NOREFS = 1 << 3      /* diff_emit fills in no ordering facts from the record: the handler
	                           gives them all (a table created without its foreign keys) */
};

// diff.c: pairing, changes, dependencies, ordering, output
/* A new context over two models (borrowed, not changed) with these options (copied). */
struct diffctx *diff_new(struct model *old, struct model *new, const struct diffopt *o);
/* Free a context and its changes. */
void diff_free(struct diffctx *c);
/* Pair the records, call the handlers, sort the changes: 0, or -1 when a handler failed or the
   order has a cycle (after a message naming the objects). */
int diff_run(struct diffctx *c);
/* The number of changes (0: the models are the same). */
size_t diff_count(const struct diffctx *c);
/* Write the sorted changes on stdout: SQL (json 0) or JSON Lines (json 1). */
void diff_write(struct diffctx *c, int json);

/* The options. */
const struct diffopt *diff_opt(const struct diffctx *c);
/* The old (side 0) or new (side 1) model. */
struct model *diff_model(const struct diffctx *c, int side);
/* The record of id in the old (side 0) or new (side 1) model (borrowed), or NULL. */
const json_t *diff_get(const struct diffctx *c, int side, const char *id);
/* The new id of an old id renamed by -r, or NULL; diff_renamed_from: the old id of a new one. */
const char *diff_renamed(const struct diffctx *c, const char *old_id);
const char *diff_renamed_from(const struct diffctx *c, const char *new_id);

/* Emit one statement about object id (the pair's id, or a column:/constraint: id of it):
   action is "create", "drop" or "alter" (also "rename", "set"); sql without the final ';'
   (copied). Ordering facts are filled in by default: a "create" creates id and uses what the
   new record of id refers to (diff_refs); a "drop" drops id and was used by what the old record
   referred to. Add more with the functions below. The change belongs to the context. */
struct diffchange *diff_emit(struct diffctx *c, const char *id, const char *action, unsigned hazards,
    unsigned flags, const char *sql);
/* diff_emit with the statement formatted (the format a constant; names through diff_quote). */
struct diffchange *diff_emitf(struct diffctx *c, const char *id, const char *action, unsigned hazards,
    unsigned flags, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The change makes id exist (a column it adds: column:S.T.C): it comes before changes using id. */
void diff_creates(struct diffchange *ch, const char *id);
/* The change removes id: it comes after every change that still used id in the old model, and
   after changes listing id in diff_olduses, and before a change creating id again. */
void diff_drops(struct diffchange *ch, const char *id);
/* The change needs id to exist (new side): it comes after the change creating id. */
void diff_uses(struct diffchange *ch, const char *id);
/* The change stops using id (old side): it comes before the change dropping id. */
void diff_olduses(struct diffchange *ch, const char *id);
/* The change comes after every change of these ids' pairs (a fixed order between two objects). */
void diff_after(struct diffchange *ch, const char *id);

/* What a record refers to (ids, by its fields and by the statements and expressions of its
   *_sql texts, parsed with libpg_query through lib/stmtinfo): appended to out (no duplicates of
   what is there). side: the model the record is in (names resolve through its ids). */
void diff_refs(struct diffctx *c, int side, const json_t *rec, struct strv *out);
/* The records of the old model that refer to id (directly; a column: id also matches records
   that refer to its table only), appended to out. */
void diff_dependents(struct diffctx *c, const char *id, struct strv *out);
/* Drop the old record of id and create the new one (if any) around the caller's change, with
   its own dependents in turn; what the pair emitted before is withdrawn. Called from a handler,
   every change of the caller's pair comes after the drop of id and before its creation. */
void diff_recreate(struct diffctx *c, const char *id);
/* Whether id is being dropped (a drop, or a recreation, of it or of the table of a column:
   or constraint: id): a handler leaves out a drop the target's drop already does. */
int diff_dropped(const struct diffctx *c, const char *id);
/* Whether the pair of id has already been handled as an alter (not recreated). */
int diff_handled(const struct diffctx *c, const char *id);

/* Make the changes emitted from now on belong to pair (a part of a record: column:, constraint:
   id) instead of the handler's pair, so that they keep their own order only; returns the pair
   before, to be set back (borrowed: pair must outlive the changes it names, it is copied). */
const char *diff_set_pair(struct diffctx *c, const char *pair);

/* Report that id cannot be diffed: "conf-diff: ID: message" on stderr; exit status 4. Returns -1. */
int diff_fail(struct diffctx *c, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* An SQL identifier: bare when lower-case, not a keyword that needs quoting; else double-quoted. */
char *diff_quote(const char *name);
/* "schema.name" as SQL, both parts through diff_quote. */
char *diff_qname(const char *schema, const char *name);
/* The SQL name of the object an id names: "table:public.t" -> public.t, "column:s.t.c" ->
   s.t.c, parts through diff_quote; a routine id gives the name without the argument list. */
char *diff_idsql(const char *id);
/* The last part of an id, unquoted ("column:s.t.\"C\"" -> C); newly allocated. */
char *diff_idlast(const char *id);
/* The SQL name of a record (its schema and name fields; name alone when it has no schema). */
char *diff_recname(const json_t *rec);
/* An SQL string literal ('...' with ' doubled; E'...' when it holds a backslash). */
char *diff_literal(const char *s);
/* Whether two records are equal ignoring the text-only keys (file, line, col, sql, *_sql). */
int diff_same(const json_t *a, const json_t *b);
/* Whether field key of a and b is equal (both absent counts as equal); json NULL-safe. */
int diff_field_same(const json_t *a, const json_t *b, const char *key);

// diff_ext.c: what the core asks of the kinds of diff_ext_kinds
/* "TEXT SEARCH DICTIONARY s.d", "OPERATOR CLASS s.c USING m", ... for COMMENT ON and OWNER TO,
   or NULL when id is not of these kinds. */
char *diff_ext_target(struct diffctx *c, const char *id);
/* The ids field k (value x) of object obj names, appended to out: 1 when k is this part's. */
int diff_ext_refs(const json_t *obj, const char *k, const json_t *x, struct strv *out);
/* CREATE, DROP and changes of a foreign table (table record of relkind "foreign"): 0 or -1. */
int diff_ext_foreign_create(struct diffctx *c, const json_t *t);
int diff_ext_foreign_drop(struct diffctx *c, const json_t *t);
int diff_ext_foreign_alter(struct diffctx *c, const json_t *old, const json_t *new);

#endif
