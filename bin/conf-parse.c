/* conf-parse: SQL -> one JSON record per statement (what it creates, alters, drops, references). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "pgqpool.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqlsrc.h"
#include "stmtinfo.h"

#define USAGE "conf-parse [-m] [--tree] [file ...]"

static int mflag, tflag;
static struct pgqpool *pool; /* -j N, N > 1, without -m: the statements are parsed on N threads */
static char obuf[1 << 16]; /* stdout's buffer */

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

/* The whole run: the search path the stream has set, and the exit status so far. */
struct run {
	struct spath sp;
	int rc;
	long nstmt, nbad;
	struct model *m;     /* with -m: the schema model so far */
	json_t *unmodeled;   /* with -m: the unmodeled records, in input order */
	json_t *unmod;       /* with -m: ids unmodeled statements created (an object used as a set) */
	struct level *lv;    /* with -m: the open transaction block and its savepoints, innermost last */
	size_t nlv;
	char *begin_file;    /* where the block began */
	struct srcpos begin;
	int aborted;         /* a statement of the block failed: the rest is ignored until its end */
	int told;            /* and that was said */
	int queried;         /* a statement of the block took a snapshot (SET TRANSACTION ISOLATION comes before) */
	int depth;           /* psql \i nesting */
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
all_in_unmodeled(struct run *r, json_t *tree)
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
on_unmodeled(struct run *r, const char *sql, json_t *tree)
{
	struct spath tmp;
	struct stmtinfo si;
	int on = 0;

	if (json_object_size(r->unmod) == 0)
		return 0;
	/* read under the path in force before the statement, which the fold must see unchanged */
	spath_copy(&tmp, &r->sp);
	if (stmtinfo_get(tree, sql, &tmp, &si) == 0)
		on = any_in(r->unmod, &si.alters) || any_in(r->unmod, &si.drops) || any_in(r->unmod, &si.refs)
		    || all_in_unmodeled(r, tree);
	stmtinfo_free(&si);
	spath_free(&tmp);
	return on;
}

/* A statement failed: exit 4, and a transaction block it is in is aborted, as on the server. */
static void
failed(struct run *r)
{
	r->rc = EX_SCHEMA;
	if (r->nlv > 0 && !r->aborted) {
		r->aborted = 1;
		r->told = 0;
	}
}

/* Open a level: the block (name NULL) or a savepoint. */
static void
lv_push(struct run *r, const char *name)
{
	struct level *l;

	r->lv = xrealloc(r->lv, (r->nlv + 1) * sizeof *r->lv);
	l = &r->lv[r->nlv++];
	l->name = name ? xstrdup(name) : NULL;
	spath_copy(&l->sp, &r->sp);
	l->nunmodeled = json_array_size(r->unmodeled);
	l->unmod = json_copy(r->unmod);
	model_begin(r->m);
}

/* Close the innermost level, keeping what it did (undo 0) or undoing it. */
static void
lv_pop(struct run *r, int undo)
{
	struct level *l = &r->lv[--r->nlv];

	if (undo) {
		model_rollback(r->m);
		/* the path as it was; SET LOCAL's own bookkeeping (stmtinfo) stays as the statement left it */
		strv_free(&r->sp.schemas);
		r->sp.schemas = l->sp.schemas;
		memset(&l->sp.schemas, 0, sizeof l->sp.schemas);
		r->sp.nobodycheck = l->sp.nobodycheck;
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
lv_find(struct run *r, const char *name)
{
	for (size_t i = r->nlv; i-- > 1;)
		if (name && strcmp(r->lv[i].name, name) == 0)
			return i;
	return 0;
}

/* The first statement the server ignores in an aborted block says so, once. */
static int
ignored(struct run *r, const struct stmt *st)
{
	if (!r->told)
		warnat(&st->pos, "current transaction is aborted, commands ignored until end of transaction block");
	r->told = 1;
	return 1;
}

/* The block begins here (BEGIN, or the new block of AND CHAIN). */
static void
block_begins(struct run *r, const struct stmt *st)
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
transaction(struct run *r, const struct stmt *st, json_t *n, const char *k)
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
			r->rc = EX_SCHEMA;
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
			r->rc = EX_SCHEMA;
		} else if (save) {
			lv_push(r, sp);
		} else if ((j = lv_find(r, sp)) == 0) {
			warnat(&st->pos, "savepoint \"%s\" does not exist", sp ? sp : "");
			failed(r);
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

static void fold(struct run *r, const struct stmt *st, const char *sql, json_t *tree);

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
in_block_error(struct run *r, const struct stmt *st, json_t *tree)
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

/* One parsed statement with -m: folded, or ignored in an aborted block; transaction control
   after the fold, whose search-path effects the undo of a rolled-back block then overrides. */
static void
model_step(struct run *r, const struct stmt *st, const char *sql, json_t *tree)
{
	json_t *n = json_object_get(tree, "TransactionStmt");
	const char *k = json_string_value(json_object_get(n, "kind"));

	if (r->aborted && !(k && runs_aborted(k))) {
		ignored(r, st);
		return;
	}
	if (r->nlv > 0 && in_block_error(r, st, tree)) {
		failed(r);
		return;
	}
	fold(r, st, sql, tree);
	if (k)
		transaction(r, st, n, k);
}

/* The warning of a statement that may change search_path in a way not followed (F43). */
static void
spwarn(const struct stmt *st, const struct stmtinfo *si)
{
	if (si->spwarn)
		warnat(&st->pos, "warning: search_path may change here; names after it are resolved with search_path = %s",
		    si->spwarn);
}

/* Fold one statement into the model; an unmodeled one is kept for the output and warned about. */
static void
fold(struct run *r, const struct stmt *st, const char *sql, json_t *tree)
{
	struct msql_ctx cx = { .sql = sql, .pos = st->pos, .sp = &r->sp };
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
	if (stmtinfo_get(tree, sql, &r->sp, &si) < 0)
		si.tag = "UNKNOWN";
	spwarn(st, &si);
	if (k == MSQL_ERR) {
		failed(r);
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
		json_array_append_new(r->unmodeled, model_canon(rec, 0));
		json_decref(rec);
	}
	stmtinfo_free(&si);
}

static json_t *
strv_json(const struct strv *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, jsonl_str(v->v[i]));
	return a;
}

/* Put a list under key unless it is empty. */
static void
set_list(json_t *rec, const char *key, const struct strv *v)
{
	if (v->n > 0)
		json_object_set_new(rec, key, strv_json(v));
}


/* Write a number (printf's cost shows at a record per statement). */
static void
write_long(long v)
{
	char d[24], *p = d + sizeof d;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (v < 0)
		*--p = '-';
	fwrite_unlocked(p, 1, (size_t)(d + sizeof d - p), stdout);
}

/* Write a list unless it is empty: head is its comma, key and opening bracket. */
static void
write_list(const char *head, const struct strv *v)
{
	if (v->n == 0)
		return;
	fputs_unlocked(head, stdout);
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			putchar_unlocked(',');
		jsonl_write_str(v->v[i]);
	}
	putchar_unlocked(']');
}

/* The record of a statement without its tree, written as it is read, byte for byte what
   jsonl_put writes of the record put_stmt builds: a record per statement is most of the work
   of conf-parse, and building it in jansson objects cost as much as the rest of the output. */
static void
put_fields(const struct stmt *st, const char *sql, const char *fp, const struct stmtinfo *si)
{
	fputs_unlocked("{\"kind\":\"stmt\"", stdout);
	write_list(",\"alters\":[", &si->alters);
	fputs_unlocked(",\"col\":", stdout);
	write_long(st->pos.col);
	write_list(",\"creates\":[", &si->creates);
	write_list(",\"drops\":[", &si->drops);
	fputs_unlocked(",\"file\":", stdout);
	jsonl_write_str(st->pos.file);
	if (fp && *fp) {
		fputs_unlocked(",\"fingerprint\":", stdout);
		jsonl_write_str(fp);
	}
	fputs_unlocked(",\"line\":", stdout);
	write_long(st->pos.line);
	write_list(",\"references\":[", &si->refs);
	fputs_unlocked(",\"sql\":", stdout);
	jsonl_write_str(sql);
	fputs_unlocked(",\"tag\":", stdout);
	jsonl_write_str(si->tag);
	fputs_unlocked(!(st->flags & ST_NOTX) && si->tx ? ",\"tx\":true}" : ",\"tx\":false}", stdout);
	jsonl_end();
}

/* The record of one parsed statement. */
static void
put_stmt(struct run *r, const struct stmt *st, const char *sql, json_t *tree, const struct pt *pt, const char *fp)
{
	struct stmtinfo si;
	json_t *rec, *canon;

	if ((pt ? stmtinfo_get_pt(pt, sql, &r->sp, &si) : stmtinfo_get(tree, sql, &r->sp, &si)) < 0) {
		warnat(&st->pos, "the parser gave no statement node");
		r->rc = EX_SCHEMA;
		return;
	}
	spwarn(st, &si);
	if (!tflag) {
		put_fields(st, sql, fp, &si);
		stmtinfo_free(&si);
		return;
	}
	/* the keys are set in model_canon's order (kind, then byte order), so that only a record
	   with a tree, whose nested keys need sorting, goes through it */
	rec = json_object();
	json_object_set_new(rec, "kind", json_string("stmt"));
	set_list(rec, "alters", &si.alters);
	json_object_set_new(rec, "col", json_integer(st->pos.col));
	set_list(rec, "creates", &si.creates);
	set_list(rec, "drops", &si.drops);
	json_object_set_new(rec, "file", jsonl_str(st->pos.file));
	if (fp && *fp)
		json_object_set_new(rec, "fingerprint", json_string(fp));
	json_object_set_new(rec, "line", json_integer(st->pos.line));
	set_list(rec, "references", &si.refs);
	json_object_set_new(rec, "sql", jsonl_str(sql));
	json_object_set_new(rec, "tag", json_string(si.tag));
	if (tflag)
		json_object_set(rec, "tree", tree);
	/* the reader's flags say it for every statement, nested ones of CREATE SCHEMA included */
	json_object_set_new(rec, "tx", json_boolean(!(st->flags & ST_NOTX) && si.tx));
	if (tflag) {
		canon = model_canon(rec, 0);
		json_decref(rec);
		rec = canon;
	}
	jsonl_put(rec);
	stmtinfo_free(&si);
}

/* A statement that is not UTF-8: the server refuses its text whole, with this message at the first
   bad byte (the bytes its lead byte announces, as report_invalid_encoding shows them). 0 if valid. */
static int
bad_utf8(const struct stmt *st, const char *sql, size_t len)
{
	const unsigned char *p = (const unsigned char *)sql, *e = p + len;
	struct srcpos pos;
	char hex[4 * 5 + 1];
	size_t k, n, h = 0;

	for (; p < e; p += k)
		if ((k = utf8_seq(p)) == 0)
			break;
	if (p >= e)
		return 0;
	n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 1;
	if (n > (size_t)(e - p))
		n = (size_t)(e - p);
	for (size_t i = 0; i < n; i++)
		h += (size_t)snprintf(hex + h, sizeof hex - h, "%s0x%02x", i ? " " : "", p[i]);
	stmt_where(st, sql, st->off + (long long)((const char *)p - sql), &pos);
	warnat(&pos, "invalid byte sequence for encoding \"UTF8\": %s", hex);
	return -1;
}

static void parse_file(struct run *r, const char *path);

/* Done with the item: the reader's, or the one read ahead. */
static void
release(struct sqlsrc *s, struct pgqahead *a)
{
	if (a)
		pgqahead_release(a);
	else
		sqlsrc_release(s);
}

/* psql includes nest at most this deep here (a file that includes itself would never end). */
#define MAXINCLUDE 16

/* A psql \i, \include, \ir or \include_relative (rel): read the file it names where it stands,
   as psql runs it: \i relative to the working directory, \ir to the including file's directory. */
static void
include(struct run *r, const struct stmt *st, const char *arg, size_t n, int rel)
{
	struct buf name = { 0 };
	char *path;
	const char *slash;

	/* the argument: a word, or a '...' literal ('' inside is a quote); :var and `cmd` need psql */
	if (n > 0 && *arg == '\'') {
		size_t i;

		for (i = 1; i < n; i++) {
			if (arg[i] == '\'' && i + 1 < n && arg[i + 1] == '\'')
				i++;
			else if (arg[i] == '\'')
				break;
			buf_add(&name, arg + i, 1);
		}
		buf_add(&name, "", 0);
	} else {
		size_t i = 0;

		/* the argument is not NUL-terminated: its line goes on in the reader's buffer */
		while (i < n && arg[i] != ' ' && arg[i] != '\t')
			i++;
		name.data = xstrndup(arg, i);
	}
	if (!name.data || !*name.data || *name.data == ':' || *name.data == '`') {
		warnat(&st->pos, "warning: psql include not followed: %.*s", (int)n, arg);
		free(name.data);
		return;
	}
	slash = strrchr(st->pos.file, '/');
	if (rel && *name.data != '/' && slash && strcmp(st->pos.file, "<stdin>") != 0)
		path = xasprintf("%.*s/%s", (int)(slash - st->pos.file), st->pos.file, name.data);
	else
		path = xstrdup(name.data);
	free(name.data);
	if (r->depth >= MAXINCLUDE) {
		warnat(&st->pos, "warning: psql include not followed: %s: included %d levels deep", path, MAXINCLUDE);
	} else if (access(path, R_OK) != 0) {
		warnat(&st->pos, "warning: psql include not followed: %s: %s", path, strerror(errno));
	} else {
		r->depth++;
		parse_file(r, path);
		r->depth--;
	}
	free(path);
}

/* A psql command: \gexec runs statements the model cannot see; \i and \ir are followed; \connect
   is not. The others change no schema object (\set, \echo, pg_dump's \restrict, ...). */
static void
psql_cmd(struct run *r, struct sqlsrc *s, const struct stmt *st)
{
	const char *w, *arg;
	size_t n = sqlsrc_meta_word(s, st, &w), an;

	if (n == 6 && memcmp(w, "\\gexec", 6) == 0) {
		/* in an aborted block its query fails, and nothing runs */
		if (!r->aborted)
			warnat(&st->pos, "warning: \\gexec runs the statements its query returns: they are not seen");
		return;
	}
	arg = w + n;
	an = (size_t)st->len - n;
	while (an > 0 && (*arg == ' ' || *arg == '\t'))
		arg++, an--;
	while (an > 0 && (arg[an - 1] == ' ' || arg[an - 1] == '\t'))
		an--;
	/* another database or role from here on: the files' objects are then no longer one schema's */
	if ((n == 2 && memcmp(w, "\\c", 2) == 0) || (n == 8 && memcmp(w, "\\connect", 8) == 0))
		warnat(&st->pos, "warning: psql %.*s is not followed: what comes after it is read as in the same session",
		    (int)n, w);
	else if ((n == 2 && memcmp(w, "\\i", 2) == 0) || (n == 8 && memcmp(w, "\\include", 8) == 0))
		include(r, st, arg, an, 0);
	else if ((n == 3 && memcmp(w, "\\ir", 3) == 0) || (n == 17 && memcmp(w, "\\include_relative", 17) == 0))
		include(r, st, arg, an, 1);
}

/* Read one input ("-" = stdin); statements, psql lines and COPY data as the reader hands them out. */
static void
parse_file(struct run *r, const char *path)
{
	struct sqlsrc *s = sqlsrc_open(path);
	struct pgqahead *a = NULL;
	struct stmt st;
	int k;

	if (!s) {
		if (r->rc == EX_OK)
			r->rc = EX_FAIL;
		return;
	}
	/* a marker is a hard boundary: one run reports every broken statement */
	sqlsrc_set_resume(s, 1);
	/* the model is of what psql runs: a branch psql skips is not in it */
	sqlsrc_follow_if(s, mflag);
	if (pool) {
		/* the reader only cuts the statements; the pool parses them, as the reader would */
		sqlsrc_set_parse(s, 0);
		a = pgqahead_open(pool, s);
		if (!tflag)
			pgqahead_use_ptree(a);
	} else {
		sqlsrc_keep_tree(s, 1);
		/* the light tree, where no jansson tree is needed: the fold and --tree take jansson's */
		sqlsrc_keep_ptree(s, !mflag && !tflag);
		sqlsrc_keep_fingerprint(s, !mflag);
	}
	while (!sig_caught && (k = a ? pgqahead_next(a, &st) : sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			/* the reader said why; a stream it cannot cut into statements cannot go on */
			if (!sig_caught)
				r->rc = EX_SCHEMA;
			break;
		}
		if (k == SQ_SKIP) {
			r->nbad++;
			failed(r);
			release(s, a);
			continue;
		}
		if (k == SQ_META) {
			psql_cmd(r, s, &st);
			release(s, a);
			continue;
		}
		/* COPY ... FROM stdin is a statement too: the reader passes over its data */
		if (k == SQ_STMT || k == SQ_COPY) {
			const char *p = a ? pgqahead_text(a) : sqlsrc_text(s, st.off);
			char *sql = xstrndup(p, (size_t)st.len);
			json_t *tree = a ? pgqahead_tree(a) : sqlsrc_tree(s);
			const struct pt *pt = a ? pgqahead_ptree(a) : sqlsrc_ptree(s);

			/* the server's message shows the bytes after it as psql sends them: the ';' too */
			if (bad_utf8(&st, p, (size_t)st.len + !(st.flags & ST_UNTERM) - !!st.gterm) < 0) {
				r->nbad++;
				failed(r);
			} else if ((st.flags & ST_PARSED) && (tree || pt)) {
				if (!mflag)
					put_stmt(r, &st, sql, tree, pt, a ? pgqahead_fingerprint(a) : sqlsrc_fingerprint(s));
				else if (st.gterm != G_DESC) /* \gdesc describes its query's result, never runs it */
					model_step(r, &st, sql, tree);
				r->nstmt++;
			} else {
				stmt_syntax_error(&st, sql, (size_t)st.len);
				r->nbad++;
				failed(r);
			}
			free(sql);
		}
		release(s, a);
	}
	/* a cut stream: what it held is described all the same, and the status says it is not whole */
	if (!sig_caught && k == SQ_END && sqlsrc_check_frame(s, strcmp(path, "-") == 0 ? "<stdin>" : path) < 0)
		r->rc = EX_SCHEMA;
	pgqahead_close(a);
	sqlsrc_close(s);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "model", no_argument, NULL, 'm' },
		{ "tree", no_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "role", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct run r = { .rc = EX_OK };
	long jobs = 1; /* measured on 2 idle cores: -j 2 saves no wall time and costs 1.7 times the CPU */
	int c;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "j:mU:", longopts, NULL)) != -1)
		switch (c) {
		case 'j': jobs = opt_number('j', optarg, 1, "a number of parser threads (1 or more)"); break;
		case 'm': mflag = 1; break;
		case 't': tflag = 1; break;
		case 'U':
			/* the role the files run as: whom OWNER TO and grants are relative to */
			if (!*optarg)
				usage(USAGE);
			msql_set_role(optarg);
			break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc == 0 && isatty(0))
		usage(USAGE);
	if (mflag && tflag)
		usage(USAGE);
	sig_trap();
	/* jansson's values are made and freed through jansson alone here (not with -m, whose fold
	   frees some jansson output with free(3)) */
	if (!mflag)
		pgq_fast_alloc();
	/* read whole by its consumer: a flush per record costs a write per statement */
	jsonl_buffered(1);
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf); /* glibc takes a size only with a buffer */
	spath_init(&r.sp);
	/* the fold of -m reads one statement at a time */
	if (!mflag && jobs > 1)
		pool = pgqpool_new(jobs > 64 ? 63 : (int)jobs - 1); /* this thread parses too */
	if (mflag) {
		r.m = msql_new_model();
		r.unmodeled = json_array();
		r.unmod = json_object();
	}
	if (argc == 0)
		parse_file(&r, "-");
	for (int i = 0; i < argc && !sig_caught; i++)
		parse_file(&r, argv[i]);
	/* the session ends: the server rolls an open block back */
	if (r.nlv > 0 && !sig_caught) {
		warnat(&r.begin, "warning: BEGIN without COMMIT: the block is rolled back at the end of the input");
		while (r.nlv > 0)
			lv_pop(&r, 1);
	}
	while (r.nlv > 0)
		lv_pop(&r, 1);
	free(r.lv);
	spath_free(&r.sp);
	if (sig_caught) {
		warnx("interrupted");
		r.rc = 128 + sig_caught;
	} else if (mflag) {
		size_t i;
		json_t *u;

		/* the model sorted by id, then what it leaves out, in input order */
		model_write(r.m);
		json_array_foreach(r.unmodeled, i, u)
			jsonl_put(json_incref(u));
	}
	pgqpool_free(pool);
	model_free(r.m);
	json_decref(r.unmodeled);
	json_decref(r.unmod);
	pgq_exit();
	finish_stdout();
	return r.rc;
}
