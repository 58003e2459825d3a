#ifndef CONF_MODELSQL_H
#define CONF_MODELSQL_H

#include <jansson.h>

#include "diag.h"
#include "model.h"
#include "stmtinfo.h"

/* One statement being folded into the model. */
struct msql_ctx {
	const char *sql;           /* the statement's text, NUL-terminated: the tree's locations index it */
	struct srcpos pos;         /* where it starts in the original file */
	const struct spath *sp;    /* the search_path in force */
};

enum { MSQL_OK = 0, MSQL_UNMODELED = 1, MSQL_ERR = -1, MSQL_PASS = 2 /* msql_fold_ext: not its statement */ };

// modelsql.c: SQL statements -> the model (tables, types, sequences, indexes, ALTER TABLE)
/* Fold one statement's tree (the RawStmt's "stmt", borrowed) into m as PostgreSQL would apply it:
   MSQL_OK, MSQL_UNMODELED (the caller reports it), or MSQL_ERR after a message at cx->pos
   (a statement PostgreSQL would reject against this model: ALTER of a missing table, ...). */
int msql_fold(struct model *m, json_t *stmt, const struct msql_ctx *cx);
/* A new model holding what a fresh database has (schema:public). */
struct model *msql_new_model(void);
/* The id-ready "schema.name" of a RangeVar (or a name list) resolved through the search path:
   an existing object of that kind prefix ("table:", "type:", ...) along the path, else the first
   schema. Newly allocated. */
char *msql_resolve(const struct model *m, json_t *names_or_rangevar, const char *prefix,
    const struct msql_ctx *cx);
/* The unqualified function calls of tree (changed in place) qualified with the first schema of the
   search path in force where m has a routine of that name the call can take, as PostgreSQL binds
   them; built-ins stay unqualified. Nothing changes under a path of public alone. */
void msql_qualify_calls(const struct model *m, json_t *tree, const struct msql_ctx *cx);
/* Set rec's search_path_sql (the search_path in force as SQL string literals, "'app', 'public'"),
   which conf-diff sets around the record's source texts; removed under the default path (public). */
void msql_path(json_t *rec, const struct msql_ctx *cx);
/* Set rec[key] and rec[key_sql] for an expression node: normalized form and its source text. */
void msql_expr(json_t *rec, const char *key, json_t *node, const struct msql_ctx *cx);
/* DROP FUNCTION/PROCEDURE/AGGREGATE of record id with what uses it (CASCADE), or, without cascade and
   with something using it, the server's refusal at cx->pos: MSQL_OK or MSQL_ERR. */
int msql_drop_routine(struct model *m, const char *id, int cascade, const struct msql_ctx *cx);
/* DROP VIEW / MATERIALIZED VIEW of record id: with cascade, the views over it and the routines on its row
   type go too; without, a dependent (other than the ids in with, dropped by the same statement) makes it
   the server's refusal at cx->pos. MSQL_OK or MSQL_ERR. */
int msql_drop_view(struct model *m, const char *id, int cascade, json_t *with, const struct msql_ctx *cx);
/* The views, materialized views, policies and triggers naming column old of relation rel_id (old set:
   the column is renamed new) or rel_id itself (nschema.nname: its new schema and name) are made to say
   the new name: their text rewritten at the tokens bound to it. Policies and triggers are folded again
   now; the views whose text changed are returned (a new array of ids) for msql_refold_views once the
   model has the new name. */
json_t *msql_rename_refs(struct model *m, const char *rel_id, const char *old, const char *new,
    const char *nschema, const char *nname, const struct msql_ctx *cx);
/* Routine fid is renamed or moved to nschema.nname: the calls of it in the text of defaults, generated
   columns, checks, indexes, domains, policies and triggers say the new name (folded again now); the
   views whose text changed are returned for msql_refold_views. */
json_t *msql_rename_calls(struct model *m, const char *fid, const char *nschema, const char *nname,
    const struct msql_ctx *cx);
/* Fold the views of ids (a new array, freed) again from their text. */
void msql_refold_views(struct model *m, json_t *ids, const struct msql_ctx *cx);

/* Rename column old to new (bare names) in the expression rec[key] and rec[key_sql] of a record on
   its table (a publication's row filter). */
void msql_rename_in_expr(json_t *rec, const char *key, const char *old, const char *new);

// modelsql_obj.c: views, functions, triggers, policies, rules, publications, comments, grants, owners
/* Fold the statements modelsql.c does not handle; same results as msql_fold. */
int msql_fold_obj(struct model *m, json_t *stmt, const struct msql_ctx *cx);
/* Set the role the files run as (conf-parse -U): CURRENT_USER, the owner of what they create and
   of the database they build. Never called: libpq's default user ($PGUSER, else the login name). */
void msql_set_role(const char *role);
/* Record the owner of the object on_id (grants to the new owner merge into its own privileges);
   role NULL is CURRENT_USER (SET ROLE's role, else the session's); the session's role (msql_set_role:
   the database's owner) leaves no owner record. The record (borrowed, for the caller's provenance) or NULL. */
json_t *msql_set_owner(struct model *m, const char *on_id, const char *role);
/* Whether PostgreSQL lets ALTER ... OWNER TO role (NULL: CURRENT_USER) change on_id's owner: MSQL_OK,
   or MSQL_ERR after its message at cx->pos (a sequence linked to a table by OWNED BY changes owner
   only with the table; msql_set_owner leaves it unchanged). */
int msql_owner_check(const struct model *m, const char *on_id, const char *role, const struct msql_ctx *cx);
/* A new object on_id (its record in m, its schema's record for a schema) gets its owner (see
   msql_creator) and the grants the default_acl records give its creator (its owner record's role,
   else the session's) for its kind, in its schema and everywhere: call it once, when the object is
   created (not when replaced). */
void msql_default_acl(struct model *m, const char *on_id, const struct msql_ctx *cx);
/* Set the role that owns what is created from now on (CREATE SCHEMA ... AUTHORIZATION role's
   elements; NULL: the session's): msql_default_acl records it as the new object's owner first.
   Returns the previous one (borrowed strings: role must outlive its use). */
const char *msql_creator(const char *role);
/* A SET statement (VariableSetStmt body): SET [SESSION] ROLE, SET SESSION AUTHORIZATION and
   their RESET make the role named the creator of what follows (msql_creator); MSQL_OK, or
   MSQL_UNMODELED for SET LOCAL of them. Other settings: MSQL_OK, nothing changes. */
int msql_set_role_stmt(json_t *set);
/* The role a RoleSpec names ("PUBLIC" for PUBLIC; CURRENT_USER, CURRENT_ROLE, SESSION_USER as
   msql_set_role_stmt and the session make them); borrowed. */
const char *msql_role_name(json_t *rolespec);
/* The owner of on_id: its owner record's role, else the creator's (NULL: the session's); borrowed. */
const char *msql_owner(const struct model *m, const char *on_id);
/* An object was renamed or moved (old_id -> new_id, NULL when dropped): move or drop the comment,
   owner and grant records on it and on its columns, and the trigger/rule/policy records of a table. */
void msql_retarget(struct model *m, const char *old_id, const char *new_id);
/* Fold view or materialized view record r again from its query_sql (its column names kept). */
void msql_view_refold(struct model *m, json_t *r, const struct msql_ctx *cx);
/* Fold rule record r's actions again from its actions_sql, parsed after the text prefix (a CREATE RULE
   up to DO ALSO). */
void msql_rule_refold(struct model *m, json_t *r, const char *prefix, const struct msql_ctx *cx);

// modelsql_agg.c: aggregates, operators, casts, collations, extended statistics
enum { MSQL_NOTMINE = 2 };
/* Fold a statement about aggregates, operators, casts, collations or extended statistics (their
   CREATE, ALTER, DROP, RENAME, SET SCHEMA): what msql_fold returns, or MSQL_NOTMINE for another. */
int msql_fold_agg(struct model *m, json_t *stmt, const struct msql_ctx *cx);
/* For COMMENT, GRANT and ALTER ... OWNER of objtype ot naming obj: 1 with *id the id of the
   aggregate, operator, cast, collation or statistics object (NULL when obj names none), or 0 when
   ot is another kind. */
int msql_agg_target(struct model *m, const char *ot, json_t *obj, const struct msql_ctx *cx, char **id);
/* For id of those kinds: MSQL_OK when m has it, MSQL_UNMODELED when it is a built-in one, else
   MSQL_ERR after PostgreSQL's message; -2 when id is of another kind. */
int msql_agg_missing(const struct model *m, const char *id, const struct msql_ctx *cx);
/* Storage parameters (a WITH list, ALTER ... SET/RESET's: reset removes them) onto the "options" of a
   materialized view's record, as pg_class.reloptions holds them; toast.* ones are the TOAST table's. */
void msql_matview_storage(json_t *rec, json_t *defs, int reset);
/* The statistics objects on table tid follow a change of it: dropped with it (col NULL), with its
   column col (new NULL), or renamed with col to new. */
void msql_stats_follow(struct model *m, const char *tid, const char *col, const char *new);
/* Whether record r is an aggregate, operator or cast that has routine fid as a support function
   (what DROP FUNCTION refuses to drop without CASCADE, and drops with it). */
int msql_agg_uses(json_t *r, const char *fid);
/* Type or domain id was dropped: the aggregates, operators and casts of it go too. */
void msql_agg_gone(struct model *m, const char *id);
/* Function id is now nid: the members of operator classes and families that name it follow. */
void msql_agg_follow(struct model *m, const char *id, const char *nid);
/* An exclusion constraint's operator (a name list) as the model names it: S.N of the model's
   operator along the path, pg_catalog's bare (newly allocated). */
char *msql_agg_opr_name(const struct model *m, json_t *names, const struct msql_ctx *cx);
// modelsql_ext.c: text search, operator classes and families, foreign data, languages, access methods
/* Fold a statement of these kinds (and DROP, COMMENT, OWNER TO of them): msql_fold's results, or
   MSQL_PASS when the statement is not one of them. */
int msql_fold_ext(struct model *m, json_t *stmt, const struct msql_ctx *cx);
/* After the fold of a statement with result rc: what CREATE FOREIGN TABLE adds (server, options). */
int msql_fold_ext_after(struct model *m, json_t *stmt, int rc, const struct msql_ctx *cx);

#endif
