/* conf-parse -m's fold of a statement stream into the schema model, transaction blocks included. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "pfold.h"

/* A level of the transaction block (with -m): the block itself, or a savepoint in it. What
   the model had is in the model's own undo level; the rest of the run's state is kept here. */
struct level {
	char *name;          /* the savepoint's name; NULL for the block */
	struct spath sp;     /* the search path then (a SET in a rolled-back block is undone too; the
	                        names it created stay known to the lookup of unqualified names: a copy
	                        per block would cost the whole set each time) */
	size_t nunmodeled;   /* the unmodeled records then */
	json_t *unmod;       /* and the ids they created */
};

/* Statements that change no schema object of the database: data, session, transaction and
   maintenance statements (msql_fold knows these), TRUNCATE, and what acts on the cluster
   rather than on the database's schema (roles, databases, tablespaces, ALTER SYSTEM). */
static int
not_schema(const char *node, int flags)
{
	return (flags & (ST_ROLE | ST_CLUSTER)) || strcmp(node, "TruncateStmt") == 0;
}

static int
any_in(json_t *set, const struct strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		if (json_object_get(set, v->v[i]))
			return 1;
	return 0;
}

/* Whether id is of a kind the model holds (conf-formats(5)): records, and the columns and
   constraints of its tables. */
static int
held_kind(const char *id)
{
	static const char *const kinds[] = { "schema:", "extension:", "type:", "domain:", "sequence:", "table:",
		"view:", "matview:", "index:", "function:", "procedure:", "trigger:", "rule:", "policy:",
		"event_trigger:", "publication:", "comment:", "owner:", "grant:", "default_acl:", "column:",
		"constraint:", NULL };

	for (int k = 0; kinds[k]; k++)
		if (strncmp(id, kinds[k], strlen(kinds[k])) == 0)
			return 1;
	return 0;
}

/* Whether a GRANT or REVOKE ... ON ALL KIND IN SCHEMA s names a schema holding an object of
   that kind an unmodeled statement created: the model lacks what it acts on. */
static int
all_in_unmodeled(struct pfold *r, json_t *tree)
{
	static const char *const tables[] = { "table:", "view:", "matview:", NULL },
		*const seqs[] = { "sequence:", NULL }, *const routines[] = { "function:", "procedure:", NULL };
	json_t *g = json_object_get(tree, "GrantStmt"), *o, *v;
	const char *ot = json_string_value(json_object_get(g, "objtype")), *tt, *id;
	const char *const *kinds;
	size_t i;

	tt = json_string_value(json_object_get(g, "targtype"));
	if (!ot || !tt || strcmp(tt, "ACL_TARGET_ALL_IN_SCHEMA") != 0)
		return 0;
	kinds = strcmp(ot, "OBJECT_TABLE") == 0 ? tables : strcmp(ot, "OBJECT_SEQUENCE") == 0 ? seqs : routines;
	json_array_foreach(json_object_get(g, "objects"), i, o) {
		const char *sv = json_string_value(json_object_get(json_object_get(o, "String"), "sval"));
		char *q = model_ident(sv ? sv : "");
		size_t ql = strlen(q);
		int hit = 0;

		json_object_foreach(r->unmod, id, v)
			for (int k = 0; kinds[k] && !hit; k++) {
				size_t kl = strlen(kinds[k]);

				hit = strncmp(id, kinds[k], kl) == 0 && strncmp(id + kl, q, ql) == 0 && id[kl + ql] == '.';
			}
		free(q);
		if (hit)
			return 1;
	}
	return 0;
}

/* Whether the statement acts on or uses an object an unmodeled statement created: the model
   does not have it, so the statement cannot be folded (nor is it wrong). */
static int
on_unmodeled(struct pfold *r, const char *sql, json_t *tree)
{
	struct spath tmp;
	struct stmtinfo si;
	int on = 0;

	if (json_object_size(r->unmod) == 0)
		return 0;
	/* read under the path in force before the statement, which the fold must see unchanged */
	spath_copy(&tmp, r->sp);
	if (stmtinfo_get(tree, sql, &tmp, &si) == 0)
		on = any_in(r->unmod, &si.alters) || any_in(r->unmod, &si.drops) || any_in(r->unmod, &si.refs)
		    || all_in_unmodeled(r, tree);
	stmtinfo_free(&si);
	spath_free(&tmp);
	return on;
}

void
pfold_failed(struct pfold *r)
{
	*r->rc = EX_SCHEMA;
	if (r->nlv > 0 && !r->aborted) {
		r->aborted = 1;
		r->told = 0;
	}
}

/* Open a level: the block (name NULL) or a savepoint. */
static void
lv_push(struct pfold *r, const char *name)
{
	struct level *l;

	r->lv = xrealloc(r->lv, (r->nlv + 1) * sizeof *r->lv);
	l = &r->lv[r->nlv++];
	l->name = name ? xstrdup(name) : NULL;
	spath_copy(&l->sp, r->sp);
	l->nunmodeled = json_array_size(r->unmodeled);
	l->unmod = json_copy(r->unmod);
	model_begin(r->m);
}

/* Close the innermost level, keeping what it did (undo 0) or undoing it. */
static void
lv_pop(struct pfold *r, int undo)
{
	struct level *l = &r->lv[--r->nlv];

	if (undo) {
		model_rollback(r->m);
		/* the path as it was; SET LOCAL's own bookkeeping (stmtinfo) stays as the statement left it */
		strv_free(&r->sp->schemas);
		r->sp->schemas = l->sp.schemas;
		memset(&l->sp.schemas, 0, sizeof l->sp.schemas);
		r->sp->nobodycheck = l->sp.nobodycheck;
		while (json_array_size(r->unmodeled) > l->nunmodeled)
			json_array_remove(r->unmodeled, json_array_size(r->unmodeled) - 1);
		json_decref(r->unmod);
		r->unmod = json_incref(l->unmod);
	} else {
		model_commit(r->m);
	}
	json_decref(l->unmod);
	spath_free(&l->sp);
	free(l->name);
	if (r->nlv == 0) {
		r->aborted = r->told = 0;
		free(r->begin_file);
		r->begin_file = NULL;
	}
}

/* The innermost savepoint of that name: its level's index, 0 if none (level 0 is the block). */
static size_t
lv_find(struct pfold *r, const char *name)
{
	for (size_t i = r->nlv; i-- > 1;)
		if (name && strcmp(r->lv[i].name, name) == 0)
			return i;
	return 0;
}

/* The first statement the server ignores in an aborted block says so, once. */
static int
ignored(struct pfold *r, const struct stmt *st)
{
	if (!r->told)
		warnat(&st->pos, "current transaction is aborted, commands ignored until end of transaction block");
	r->told = 1;
	return 1;
}

/* The block begins here (BEGIN, or the new block of AND CHAIN). */
static void
block_begins(struct pfold *r, const struct stmt *st)
{
	lv_push(r, NULL);
	r->queried = 0;
	r->begin = st->pos;
	r->begin_file = xstrdup(st->pos.file);
	r->begin.file = r->begin_file;
}

/*
 * Transaction control, with -m (kind: the TransactionStmt's): the model of a block that rolls back
 * is the model before it, and a statement that fails aborts the block, whose later statements the
 * server ignores until COMMIT (which then rolls back), ROLLBACK or ROLLBACK TO SAVEPOINT.
 */
static void
transaction(struct pfold *r, const struct stmt *st, json_t *n, const char *k)
{
	const char *sp = json_string_value(json_object_get(n, "savepoint_name"));
	int commit = strcmp(k, "TRANS_STMT_COMMIT") == 0, prepare = strcmp(k, "TRANS_STMT_PREPARE") == 0;
	int save = strcmp(k, "TRANS_STMT_SAVEPOINT") == 0, release = strcmp(k, "TRANS_STMT_RELEASE") == 0;
	int to = strcmp(k, "TRANS_STMT_ROLLBACK_TO") == 0;
	size_t j;

	if (strcmp(k, "TRANS_STMT_BEGIN") == 0 || strcmp(k, "TRANS_STMT_START") == 0) {
		if (r->nlv > 0)
			warnat(&st->pos, "warning: there is already a transaction in progress");
		else
			block_begins(r, st);
	} else if (commit || prepare || strcmp(k, "TRANS_STMT_ROLLBACK") == 0) {
		int undo = r->aborted || !commit;

		if (r->nlv == 0 && json_is_true(json_object_get(n, "chain"))) {
			warnat(&st->pos, "%s AND CHAIN can only be used in transaction blocks", commit ? "COMMIT" : "ROLLBACK");
			*r->rc = EX_SCHEMA;
			return;
		}
		if (r->nlv == 0) {
			warnat(&st->pos, "warning: there is no transaction in progress");
			return;
		}
		if (prepare && !r->aborted)
			warnat(&st->pos, "warning: a prepared transaction is not in the model: its block is rolled back here");
		while (r->nlv > 0)
			lv_pop(r, undo);
		if (json_is_true(json_object_get(n, "chain")) && !prepare)
			block_begins(r, st);
	} else if (save || release || to) {
		if (r->nlv == 0) {
			warnat(&st->pos, "%s can only be used in transaction blocks",
			    save ? "SAVEPOINT" : to ? "ROLLBACK TO SAVEPOINT" : "RELEASE SAVEPOINT");
			*r->rc = EX_SCHEMA;
		} else if (save) {
			lv_push(r, sp);
		} else if ((j = lv_find(r, sp)) == 0) {
			warnat(&st->pos, "savepoint \"%s\" does not exist", sp ? sp : "");
			pfold_failed(r);
		} else {
			while (r->nlv > j)
				lv_pop(r, to);
			/* ROLLBACK TO keeps the savepoint, and the block is no longer aborted */
			if (to) {
				lv_push(r, sp);
				r->aborted = r->told = 0;
			}
		}
	}
}

/* Whether a statement of this TransactionStmt kind is run in an aborted block: only those that
   end it or roll back to a savepoint. */
static int
runs_aborted(const char *k)
{
	return strcmp(k, "TRANS_STMT_COMMIT") == 0 || strcmp(k, "TRANS_STMT_ROLLBACK") == 0
	    || strcmp(k, "TRANS_STMT_PREPARE") == 0 || strcmp(k, "TRANS_STMT_ROLLBACK_TO") == 0;
}

static void fold(struct pfold *r, const struct stmt *st, const char *sql, json_t *tree);

/* The server's name of a statement that cannot run in a block, where sqlclass's differs
   (PreventInTransactionBlock's argument). */
static const char *
notx_name(const char *why)
{
	if (strcmp(why, "CLUSTER without a table") == 0)
		return "CLUSTER";
	if (strcmp(why, "DETACH PARTITION CONCURRENTLY") == 0)
		return "ALTER TABLE ... DETACH CONCURRENTLY";
	return why;
}

/* Whether the statement sets the isolation level (SET TRANSACTION ISOLATION LEVEL, SET
   transaction_isolation), which check_XactIsoLevel allows only before the block's first snapshot. */
static int
sets_isolation(json_t *tree)
{
	json_t *n = json_object_get(tree, "VariableSetStmt"), *e;
	const char *name = json_string_value(json_object_get(n, "name"));
	size_t i;

	if (!name)
		return 0;
	if (strcasecmp(name, "transaction_isolation") == 0)
		return 1;
	if (strcasecmp(name, "TRANSACTION") != 0)
		return 0;
	json_array_foreach(json_object_get(n, "args"), i, e) {
		const char *d = json_string_value(json_object_get(json_object_get(e, "DefElem"), "defname"));

		if (d && strcmp(d, "transaction_isolation") == 0)
			return 1;
	}
	return 0;
}

/* Whether a statement runs without a snapshot (PlannedStmtRequiresSnapshot's list): only these
   may come before SET TRANSACTION ISOLATION LEVEL in a block. */
static int
no_snapshot(const char *node)
{
	static const char *const v[] = { "TransactionStmt", "LockStmt", "VariableSetStmt", "VariableShowStmt",
		"ConstraintsSetStmt", "FetchStmt", "ListenStmt", "NotifyStmt", "UnlistenStmt", "CheckPointStmt" };

	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (strcmp(node, v[i]) == 0)
			return 1;
	return 0;
}

/* A statement the server refuses inside a transaction block says so (the caller aborts the block):
   one that cannot run in a block at all, or an isolation level set after the block's first query. */
static int
in_block_error(struct pfold *r, const struct stmt *st, json_t *tree)
{
	const char *node = st->node ? st->node : "";

	if ((st->flags & ST_NOTX) && st->why_notx) {
		warnat(&st->pos, "%s cannot run inside a transaction block", notx_name(st->why_notx));
		return 1;
	}
	if (sets_isolation(tree)) {
		if (r->queried) {
			warnat(&st->pos, "SET TRANSACTION ISOLATION LEVEL must be called before any query");
			return 1;
		}
		if (r->nlv > 1) {
			warnat(&st->pos, "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction");
			return 1;
		}
	}
	if (!no_snapshot(node))
		r->queried = 1;
	return 0;
}

/* Transaction control comes after the fold, whose search-path effects the undo of a rolled-back
   block then overrides. */
void
pfold_step(struct pfold *r, const struct stmt *st, const char *sql, json_t *tree)
{
	json_t *n = json_object_get(tree, "TransactionStmt");
	const char *k = json_string_value(json_object_get(n, "kind"));

	if (r->aborted && !(k && runs_aborted(k))) {
		ignored(r, st);
		return;
	}
	if (r->nlv > 0 && in_block_error(r, st, tree)) {
		pfold_failed(r);
		return;
	}
	fold(r, st, sql, tree);
	if (k)
		transaction(r, st, n, k);
}

void
pfold_spwarn(const struct stmt *st, const struct stmtinfo *si)
{
	if (si->spwarn)
		warnat(&st->pos, "warning: search_path may change here; names after it are resolved with search_path = %s",
		    si->spwarn);
}

/* Fold one statement into the model; an unmodeled one is kept for the output and warned about. */
static void
fold(struct pfold *r, const struct stmt *st, const char *sql, json_t *tree)
{
	struct msql_ctx cx = { .sql = sql, .pos = st->pos, .sp = r->sp };
	struct stmtinfo si;
	int k = MSQL_OK;
	json_t *rec;

	/* no record of an earlier statement is still being changed: the name index may catch up */
	model_sync(r->m);
	/* a statement is atomic: one that fails leaves the model as it was, all its parts undone */
	if (!not_schema(st->node ? st->node : "", st->flags)) {
		model_begin(r->m);
		k = on_unmodeled(r, sql, tree) ? MSQL_UNMODELED : msql_fold(r->m, tree, &cx);
		if (k == MSQL_ERR)
			model_rollback(r->m);
		else
			model_commit(r->m);
	}
	/* after the fold: the statement is folded under the path in force before it */
	if (stmtinfo_get(tree, sql, r->sp, &si) < 0)
		si.tag = "UNKNOWN";
	pfold_spwarn(st, &si);
	if (k == MSQL_ERR) {
		pfold_failed(r);
	} else if (k == MSQL_UNMODELED) {
		warnat(&st->pos, "warning: %s is not in the model", si.tag);
		/* only what the model would hold is missing from it: a use of a collation, a server, a
		   text search configuration (kinds it never holds) leaves a statement modeled */
		for (size_t i = 0; i < si.creates.n; i++)
			if (held_kind(si.creates.v[i]))
				json_object_set_new(r->unmod, si.creates.v[i], json_true());
		rec = json_object();
		json_object_set_new(rec, "kind", json_string("unmodeled"));
		json_object_set_new(rec, "file", jsonl_str(st->pos.file));
		json_object_set_new(rec, "line", json_integer(st->pos.line));
		json_object_set_new(rec, "col", json_integer(st->pos.col));
		json_object_set_new(rec, "tag", json_string(si.tag));
		json_object_set_new(rec, "sql", jsonl_str(sql));
		json_array_append_new(r->unmodeled, model_canon(rec));
		json_decref(rec);
	}
	stmtinfo_free(&si);
}

void
pfold_init(struct pfold *r, struct spath *sp, int *rc)
{
	memset(r, 0, sizeof *r);
	r->sp = sp;
	r->rc = rc;
	r->m = msql_new_model();
	r->unmodeled = json_array();
	r->unmod = json_object();
}

void
pfold_end(struct pfold *r, int warn)
{
	/* the session ends: the server rolls an open block back */
	if (r->nlv > 0 && warn)
		warnat(&r->begin, "warning: BEGIN without COMMIT: the block is rolled back at the end of the input");
	while (r->nlv > 0)
		lv_pop(r, 1);
}

void
pfold_write(struct pfold *r)
{
	size_t i;
	json_t *u;

	/* the model sorted by id, then what it leaves out, in input order */
	model_write(r->m);
	json_array_foreach(r->unmodeled, i, u)
		jsonl_put(json_incref(u));
}

void
pfold_free(struct pfold *r)
{
	while (r->nlv > 0)
		lv_pop(r, 1);
	free(r->lv);
	model_free(r->m);
	json_decref(r->unmodeled);
	json_decref(r->unmod);
	memset(r, 0, sizeof *r);
}
