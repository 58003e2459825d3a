/* lintrules.c: the rule catalogue of conf-lint and the rules on statements other than CREATE and
   ALTER TABLE (linttable.c), each read from the parse tree of a statement. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lintint.h"

#define SQ "squawk"
#define CF "confiture"

const struct lintrule lint_rules[] = {
	[R_AFWD] = { "adding-field-with-default", NULL, SEV_ERROR, SQ,
		"adding a column with a volatile default or a generated column rewrites the table under an ACCESS EXCLUSIVE lock",
		"add the column without a default (or with a constant one), set the default, backfill in batches" },
	[R_AFK] = { "adding-foreign-key-constraint", NULL, SEV_ERROR, SQ,
		"adding a foreign key validates every row while both tables are locked against writes",
		"add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later transaction" },
	[R_ANN] = { "adding-not-null-field", NULL, SEV_ERROR, SQ,
		"SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
		"add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in another transaction, then SET NOT NULL (PostgreSQL 12+)" },
	[R_APK] = { "adding-primary-key-constraint", NULL, SEV_ERROR, SQ,
		"adding a primary key builds its index under an ACCESS EXCLUSIVE lock",
		"CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... PRIMARY KEY USING INDEX" },
	[R_ARF] = { "adding-required-field", NULL, SEV_ERROR, SQ,
		"adding a NOT NULL column without a default fails on a table that has rows",
		"add the column with a DEFAULT, or nullable and backfill before SET NOT NULL" },
	[R_ASPK] = { "adding-serial-primary-key-field", NULL, SEV_ERROR, SQ,
		"adding a serial primary key column rewrites the table and builds the index under an ACCESS EXCLUSIVE lock",
		"add the column, backfill it, build a unique index CONCURRENTLY, then ADD PRIMARY KEY USING INDEX" },
	[R_BADC] = { "ban-alter-domain-with-add-constraint", NULL, SEV_ERROR, SQ,
		"adding a constraint to a domain checks every column of that domain under lock",
		"add a NOT VALID check to the tables using the domain, or create a new domain" },
	[R_BCHAR] = { "ban-char-field", NULL, SEV_WARNING, SQ,
		"a char(n) column pads its values with spaces and is no faster than text",
		"use text, or varchar, with a CHECK on length if a limit is wanted" },
	[R_BCIT] = { "ban-concurrent-index-creation-in-transaction", NULL, SEV_ERROR, SQ,
		"CREATE INDEX CONCURRENTLY cannot run inside a transaction block",
		"run the concurrent index build in a migration of its own, outside BEGIN ... COMMIT" },
	[R_BCDC] = { "ban-create-domain-with-constraint", NULL, SEV_ERROR, SQ,
		"a domain constraint cannot be added or changed later without a lock on every table using it",
		"create the domain without constraints and put CHECK constraints on the columns" },
	[R_BDCOL] = { "ban-drop-column", NULL, SEV_ERROR, SQ,
		"dropping a column breaks every client still reading it",
		"stop using the column in the application first, then drop it in a later release" },
	[R_BDDB] = { "ban-drop-database", NULL, SEV_ERROR, SQ,
		"dropping a database loses all its data",
		"do not drop databases from migrations" },
	[R_BDNN] = { "ban-drop-not-null", NULL, SEV_ERROR, SQ,
		"dropping NOT NULL lets clients that rely on it read NULLs",
		"make sure every client handles NULL before dropping the constraint" },
	[R_BDTAB] = { "ban-drop-table", NULL, SEV_ERROR, SQ,
		"dropping a table loses its data and breaks clients still using it",
		"stop using the table first, rename it away, drop it in a later release" },
	[R_BDUP] = { "ban-duplicate-column-assignments", NULL, SEV_ERROR, SQ,
		"the same column is assigned more than once",
		"assign each column once" },
	[R_BTC] = { "ban-truncate-cascade", NULL, SEV_ERROR, SQ,
		"TRUNCATE ... CASCADE also empties every table that references these, transitively",
		"truncate the referencing tables by name" },
	[R_BUT] = { "ban-uncommitted-transaction", NULL, SEV_ERROR, SQ,
		"a transaction is begun and never committed",
		"end the transaction with COMMIT" },
	[R_CCT] = { "changing-column-type", NULL, SEV_ERROR, SQ,
		"changing a column's type may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock",
		"add a new column, backfill it, switch the application, drop the old column" },
	[R_CMNV] = { "constraint-missing-not-valid", NULL, SEV_ERROR, SQ,
		"adding a constraint without NOT VALID scans the table under lock",
		"add it NOT VALID, then VALIDATE CONSTRAINT in a separate transaction" },
	[R_DUC] = { "disallowed-unique-constraint", "disallow-unique-constraint", SEV_ERROR, SQ,
		"adding a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock",
		"CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT ... UNIQUE USING INDEX" },
	[R_ITL] = { "identifier-too-long", NULL, SEV_ERROR, SQ,
		"identifier longer than 63 bytes: PostgreSQL truncates it",
		"use a name of at most 63 bytes" },
	[R_PBI] = { "prefer-bigint-over-int", NULL, SEV_WARNING, SQ,
		"32-bit integer columns can run out of values",
		"use bigint (or bigserial / identity on bigint)" },
	[R_PBS] = { "prefer-bigint-over-smallint", NULL, SEV_WARNING, SQ,
		"16-bit integer columns can run out of values",
		"use bigint" },
	[R_PID] = { "prefer-identity", NULL, SEV_WARNING, SQ,
		"serial types hide a sequence with its own permissions and ownership",
		"use GENERATED BY DEFAULT AS IDENTITY" },
	[R_PREPACK] = { "prefer-repack", NULL, SEV_OFF, SQ,
		"CLUSTER and VACUUM FULL hold an ACCESS EXCLUSIVE lock while they rewrite the table",
		"use REPACK CONCURRENTLY (PostgreSQL 19) or pg_repack" },
	[R_PRS] = { "prefer-robust-stmts", NULL, SEV_WARNING, SQ,
		"outside a transaction this statement cannot be rerun if the migration fails part way",
		"use IF [NOT] EXISTS, or run the migration in a transaction" },
	[R_PTEXT] = { "prefer-text-field", NULL, SEV_WARNING, SQ,
		"changing varchar(n)'s limit later takes an ACCESS EXCLUSIVE lock",
		"use text with a CHECK (length(col) <= n) constraint" },
	[R_PTZ] = { "prefer-timestamptz", NULL, SEV_WARNING, SQ,
		"timestamp without time zone loses the offset of the values stored",
		"use timestamptz" },
	[R_RCOL] = { "renaming-column", NULL, SEV_ERROR, SQ,
		"renaming a column breaks clients still using the old name",
		"add the new column, backfill, switch the application, then drop the old one" },
	[R_RTAB] = { "renaming-table", NULL, SEV_ERROR, SQ,
		"renaming a table breaks clients still using the old name",
		"create a view with the old name during the switch, or do it in steps" },
	[R_RCIC] = { "require-concurrent-index-creation", NULL, SEV_ERROR, SQ,
		"CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds",
		"use CREATE INDEX CONCURRENTLY (outside a transaction)" },
	[R_RCID] = { "require-concurrent-index-deletion", NULL, SEV_ERROR, SQ,
		"DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
		"use DROP INDEX CONCURRENTLY" },
	[R_REVO] = { "require-enum-value-ordering", NULL, SEV_WARNING, SQ,
		"ADD VALUE without BEFORE or AFTER puts the value last, whatever its meaning",
		"say where the value goes: ADD VALUE 'v' BEFORE|AFTER 'w'" },
	[R_RTS] = { "require-table-schema", NULL, SEV_OFF, SQ,
		"the table is named without its schema: search_path decides which table it is",
		"qualify the table with its schema" },
	[R_RLT] = { "require-lock-timeout", "require-timeout-settings", SEV_WARNING, SQ,
		"a statement that takes locks runs before lock_timeout is set: it can queue every query behind it",
		"SET lock_timeout (e.g. '1s') at the start of the migration, and retry on timeout" },
	[R_RST] = { "require-statement-timeout", "require-timeout-settings", SEV_WARNING, SQ,
		"a statement that takes locks runs before statement_timeout is set: nothing bounds how long it holds them",
		"SET statement_timeout (e.g. '5s') at the start of the migration" },
	[R_TN] = { "transaction-nesting", NULL, SEV_ERROR, SQ,
		"BEGIN/COMMIT inside a transaction the migration already runs in",
		"leave transaction control to the migration runner" },
	[R_SNAKE] = { "naming-snake-case", "naming_001 naming_002 naming_convention", SEV_WARNING, CF,
		"name is not snake_case",
		"use lower-case letters, digits and underscores" },
	[R_PK] = { "missing-primary-key", "pk_001 primary_key", SEV_WARNING, CF,
		"table has no primary key",
		"add a primary key (an identity column, or the natural key)" },
	[R_DOC] = { "missing-table-comment", "doc_001 documentation", SEV_INFO, CF,
		"table has no COMMENT ON TABLE",
		"describe the table with COMMENT ON TABLE" },
	[R_SENS] = { "sensitive-column-comment", "sec_001 security", SEV_WARNING, CF,
		"column name suggests sensitive data and the column has no comment",
		"document how the column is protected with COMMENT ON COLUMN (and mask it in conf-anon rules)" },
	[R_SECDEF] = { "security-definer-search-path", "sec_002", SEV_ERROR, CF,
		"SECURITY DEFINER function without SET search_path",
		"add SET search_path = pg_catalog, pg_temp (and qualify names) to the function" },
	[R_TENANT] = { "tenant-column", "tenant_001", SEV_OFF, CF,
		"table has no tenant column",
		"add the configured tenant column (lint: tenant_column:) to every tenant-scoped table" },
	[R_MIXED] = { "conf-migrate-mixed-transaction", NULL, SEV_ERROR, CF,
		"a statement that cannot run in a transaction block, in a migration with statements that must: conf-migrate refuses the file",
		"put the statement (CREATE INDEX CONCURRENTLY, VACUUM, ...) in a migration of its own" },
	{ NULL, NULL, 0, NULL, NULL, NULL }
};

/* ---- identifiers ---- */

/* Every identifier token longer than 63 bytes in the statement text (the parser has truncated it). */
static void
long_idents(struct lintctx *c)
{
	const char *p = c->sql, *e = c->sql + c->len;

	while (p < e) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '-' && p + 1 < e && p[1] == '-') {
			while (p < e && *p != '\n')
				p++;
		} else if (ch == '/' && p + 1 < e && p[1] == '*') {
			int depth = 1;

			for (p += 2; p < e && depth; p++)
				if (*p == '*' && p + 1 < e && p[1] == '/')
					depth--, p++;
				else if (*p == '/' && p + 1 < e && p[1] == '*')
					depth++, p++;
		} else if (ch == '\'') {
			for (p++; p < e; p++)
				if (*p == '\'') {
					if (p + 1 < e && p[1] == '\'')
						p++;
					else
						break;
				}
			p++;
		} else if (ch == '$' && (p == c->sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			const char *q = p + 1;

			while (q < e && (isalnum((unsigned char)*q) || *q == '_' || (unsigned char)*q >= 0x80))
				q++;
			if (q < e && *q == '$') {
				size_t tl = (size_t)(q - p + 1);
				const char *end = q + 1;

				while (end + tl <= e && memcmp(end, p, tl))
					end++;
				p = end + tl <= e ? end + tl : e;
			} else
				p = q;
		} else if (ch == '"') {
			const char *s0 = p;
			size_t n = 0;

			for (p++; p < e; p++) {
				if (*p == '"') {
					if (p + 1 < e && p[1] == '"')
						p++;
					else
						break;
				}
				n++;
			}
			p = p < e ? p + 1 : e;
			if (n > 63)
				lint_report(c, R_ITL, s0 - c->sql, PEND_NONE, "identifier %.*s is %zu bytes long: PostgreSQL keeps its first 63",
					(int)(p - s0), s0, n);
		} else if (isalpha(ch) || ch == '_' || ch >= 0x80) {
			const char *s0 = p;

			while (p < e && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' || (unsigned char)*p >= 0x80))
				p++;
			if (p - s0 > 63)
				lint_report(c, R_ITL, s0 - c->sql, PEND_NONE, "identifier %.*s is %zu bytes long: PostgreSQL keeps its first 63",
					(int)(p - s0), s0, (size_t)(p - s0));
		} else if (isdigit(ch)) {
			while (p < e && (isalnum((unsigned char)*p) || *p == '_' || *p == '.'))
				p++;
		} else
			p++;
	}
}

/* ---- statements that take locks (require-timeout-settings, identifier-too-long) ---- */

static int
prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Whether a statement may wait on or hold locks that block others (squawk's possibly_slow_stmt). */
static int
slow(const char *name, json_t *s)
{
	static const char *const more[] = { "IndexStmt", "ViewStmt", "DefineStmt", "CompositeTypeStmt", "RenameStmt",
		"CommentStmt", "ClusterStmt", "LockStmt", "RefreshMatViewStmt", "ReindexStmt", "TruncateStmt", "LoadStmt",
		"ImportForeignSchemaStmt", "RuleStmt", NULL };

	if (prefix(name, "Create") || prefix(name, "Alter") || prefix(name, "Drop"))
		return 1;
	if (!strcmp(name, "VacuumStmt"))
		return flag(s, "is_vacuumcmd");
	for (size_t i = 0; more[i]; i++)
		if (!strcmp(name, more[i]))
			return 1;
	return 0;
}

/* Whether an option list (DefElem nodes) sets name to true (no argument, or one not false/off/0). */
static int
opt_true(json_t *opts, const char *name)
{
	for (size_t i = 0; i < json_array_size(opts); i++) {
		json_t *d = as(json_array_get(opts, i), "DefElem"), *a;
		const char *v;

		if (!d || !str(d, "defname") || strcmp(str(d, "defname"), name))
			continue;
		a = get(d, "arg");
		if (!a)
			return 1;
		v = sval(a);
		if (v && (!strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0")))
			return 0;
		if (as(a, "Integer") && !json_integer_value(get(as(a, "Integer"), "ival")))
			return 0;
		return 1;
	}
	return 0;
}

/* The lock modes, weakest first, and what each blocks (as PostgreSQL's conflict table has it). */
static const char *const lockname[] = { NULL, "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
	"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE" };
static const char *const lockblocks[] = { NULL, "schema changes", "schema changes", "schema changes", "schema changes",
	"writes and schema changes", "writes and schema changes", "writes and schema changes",
	"reads, writes and schema changes" };

/* The lock mode a statement takes on its table (1 ACCESS SHARE ... 8 ACCESS EXCLUSIVE), 0 unknown. */
static int
lockmode(const char *name, json_t *s)
{
	if (!strcmp(name, "AlterTableStmt")) {
		json_t *cmds = get(s, "cmds");
		int m = 0;

		for (size_t i = 0; i < json_array_size(cmds); i++) {
			json_t *cmd = as(json_array_get(cmds, i), "AlterTableCmd");
			const char *st = str(cmd, "subtype"), *ct = str(as(get(cmd, "def"), "Constraint"), "contype");
			int k = 8;

			if (!st)
				continue;
			if (!strcmp(st, "AT_ValidateConstraint") || !strcmp(st, "AT_SetStatistics") || !strcmp(st, "AT_SetOptions")
			    || !strcmp(st, "AT_ResetOptions") || !strcmp(st, "AT_ClusterOn") || !strcmp(st, "AT_DropCluster")
			    || !strcmp(st, "AT_SetRelOptions") || !strcmp(st, "AT_ResetRelOptions"))
				k = 4;
			else if ((!strcmp(st, "AT_AddConstraint") && ct && !strcmp(ct, "CONSTR_FOREIGN"))
			    || prefix(st, "AT_EnableTrig") || prefix(st, "AT_DisableTrig") || prefix(st, "AT_EnableAlwaysTrig")
			    || prefix(st, "AT_EnableReplicaTrig"))
				k = 6;
			if (k > m)
				m = k;
		}
		return m ? m : 8;
	}
	if (!strcmp(name, "IndexStmt"))
		return flag(s, "concurrent") ? 4 : 5;
	if (!strcmp(name, "DropStmt")) {
		const char *t = str(s, "removeType");

		if (t && !strcmp(t, "OBJECT_INDEX"))
			return flag(s, "concurrent") ? 4 : 8;
		return t && (!strcmp(t, "OBJECT_TABLE") || !strcmp(t, "OBJECT_VIEW") || !strcmp(t, "OBJECT_MATVIEW")) ? 8 : 0;
	}
	if (!strcmp(name, "LockStmt")) {
		long m = (long)json_integer_value(get(s, "mode"));

		return m >= 1 && m <= 8 ? (int)m : 8;
	}
	if (!strcmp(name, "VacuumStmt"))
		return opt_true(get(s, "options"), "full") ? 8 : 4;
	if (!strcmp(name, "ReindexStmt"))
		return opt_true(get(s, "params"), "concurrently") ? 4 : 8;
	if (!strcmp(name, "RefreshMatViewStmt"))
		return flag(s, "concurrent") ? 7 : 8;
	if (!strcmp(name, "CommentStmt"))
		return 4;
	if (!strcmp(name, "ClusterStmt") || !strcmp(name, "TruncateStmt") || !strcmp(name, "RenameStmt"))
		return 8;
	return 0;
}

/* ---- the dispatcher ---- */

static void
transaction(struct lintctx *c, json_t *s)
{
	const char *k = str(s, "kind");

	if (!k)
		return;
	if (!strcmp(k, "TRANS_STMT_BEGIN") || !strcmp(k, "TRANS_STMT_START")) {
		if (c->explicit_tx)
			lint_report(c, R_TN, -1, PEND_NONE, "BEGIN inside a transaction already begun");
		else if (c->in_tx)
			lint_report(c, R_TN, -1, PEND_NONE, "BEGIN inside the transaction the migration runs in");
		c->explicit_tx = c->in_tx = 1;
		if (!c->open_begin) {
			c->open_begin = 1;
			c->begin_pos = c->pos;
			c->begin_pos.file = c->file; /* the reader's name of it is gone when the file ends */
			c->begin_seq = c->seq;
		}
	} else if (!strcmp(k, "TRANS_STMT_COMMIT") || !strcmp(k, "TRANS_STMT_ROLLBACK")
	    || !strcmp(k, "TRANS_STMT_COMMIT_PREPARED") || !strcmp(k, "TRANS_STMT_ROLLBACK_PREPARED")) {
		const char *w = !strcmp(k, "TRANS_STMT_COMMIT") ? "COMMIT" : "ROLLBACK";

		if (!c->in_tx && !c->assume)
			lint_report(c, R_TN, -1, PEND_NONE, "%s outside a transaction", w);
		/* the runner's transaction is the one a COMMIT ends, even after a BEGIN (which only warns) */
		else if (!c->explicit_tx || c->assume)
			lint_report(c, R_TN, -1, PEND_NONE, "%s ends the transaction the migration runs in", w);
		c->explicit_tx = c->in_tx = 0;
		c->open_begin = 0;
		json_object_clear(c->txnotvalid);
	}
}

static void
drop(struct lintctx *c, json_t *s)
{
	const char *t = str(s, "removeType");
	json_t *objs = get(s, "objects");
	int ifex = flag(s, "missing_ok");

	struct buf names = { 0 };

	if (!t)
		return;
	/* the objects as written, qualified names joined with dots */
	for (size_t i = 0; i < json_array_size(objs); i++) {
		json_t *items = get(as(json_array_get(objs, i), "List"), "items");

		if (i)
			buf_puts(&names, ", ");
		for (size_t j = 0; j < json_array_size(items); j++) {
			if (j)
				buf_puts(&names, ".");
			buf_puts(&names, sval(json_array_get(items, j)) ? sval(json_array_get(items, j)) : "?");
		}
	}
	if (!strcmp(t, "OBJECT_TABLE")) {
		lint_report(c, R_BDTAB, -1, PEND_NONE, "table %s dropped", names.data ? names.data : "?");
		for (size_t i = 0; i < json_array_size(objs); i++) {
			json_t *items = get(as(json_array_get(objs, i), "List"), "items");

			if (json_array_size(items) == 1)
				lint_report(c, R_RTS, -1, PEND_NONE, "table %s has no schema", sval(json_array_get(items, 0)));
		}
	}
	if (!strcmp(t, "OBJECT_INDEX") && !flag(s, "concurrent"))
		lint_report(c, R_RCID, -1, PEND_NONE, "index %s dropped without CONCURRENTLY", names.data ? names.data : "?");
	if ((!strcmp(t, "OBJECT_TABLE") || !strcmp(t, "OBJECT_INDEX") || !strcmp(t, "OBJECT_TYPE")) && !ifex && !c->in_tx)
		lint_report(c, R_PRS, -1, PEND_MULTI, "missing IF EXISTS: the migration cannot be rerun if it fails part way");
	buf_free(&names);
}

static void
comment(struct lintctx *c, json_t *s)
{
	const char *t = str(s, "objtype");
	json_t *items = get(as(get(s, "object"), "List"), "items"), *tab;
	size_t n = json_array_size(items);
	char *key;

	if (!t || !n || json_is_null(get(s, "comment")) || !get(s, "comment"))
		return;
	if (!strcmp(t, "OBJECT_TABLE")) {
		key = lint_listkey(c, items, n);
		if ((tab = json_object_get(c->tables, key)))
			json_object_set_new(tab, "comment", json_true());
		free(key);
	} else if (!strcmp(t, "OBJECT_COLUMN") && n >= 2) {
		const char *cn = sval(json_array_get(items, n - 1));

		key = lint_listkey(c, items, n - 1);
		if ((tab = json_object_get(c->tables, key)) || (tab = json_object_get(c->addcols, key))) {
			json_t *col = cn ? json_object_get(get(tab, "cols"), cn) : NULL;

			if (col)
				json_object_set_new(col, "comment", json_true());
		}
		free(key);
	}
}

static void
function(struct lintctx *c, json_t *s)
{
	json_t *opts = get(s, "options");
	int definer = 0, path = 0;

	for (size_t i = 0; i < json_array_size(opts); i++) {
		json_t *d = as(json_array_get(opts, i), "DefElem");
		const char *n = str(d, "defname");

		if (n && !strcmp(n, "security"))
			definer = as(get(d, "arg"), "Boolean") ? flag(as(get(d, "arg"), "Boolean"), "boolval")
				: json_integer_value(get(as(get(d, "arg"), "Integer"), "ival")) != 0;
		if (n && !strcmp(n, "set")) {
			const char *v = str(as(get(d, "arg"), "VariableSetStmt"), "name");

			if (v && !strcmp(v, "search_path"))
				path = 1;
		}
	}
	if (definer && !path)
		lint_report(c, R_SECDEF, -1, PEND_NONE, "function %s is SECURITY DEFINER without SET search_path",
			lastname(get(s, "funcname")) ? lastname(get(s, "funcname")) : "?");
}

static void
duplicates(struct lintctx *c, json_t *targets)
{
	json_t *seen = json_object();

	for (size_t i = 0; i < json_array_size(targets); i++) {
		json_t *rt = as(json_array_get(targets, i), "ResTarget");
		const char *n = str(rt, "name");

		if (!n || get(rt, "indirection"))
			continue;
		if (json_object_get(seen, n))
			lint_report(c, R_BDUP, loc(rt), PEND_NONE, "column %s is assigned twice", n);
		json_object_set_new(seen, n, json_true());
	}
	json_decref(seen);
}

void
lint_rules_stmt(struct lintctx *c, json_t *node, const char *name)
{
	json_t *s = get(node, name);

	if (slow(name, s)) {
		/* each reported once a file, at the first statement that takes locks before it */
		if (!c->lock_to) {
			int m = lockmode(name, s);

			c->lock_to = 1;
			if (m)
				lint_report(c, R_RLT, -1, PEND_NONE, "statement takes %s %s lock (blocking %s) before SET lock_timeout",
					m == 1 || m == 8 ? "an" : "a", lockname[m], lockblocks[m]);
			else
				lint_report(c, R_RLT, -1, PEND_NONE, "statement that takes locks before SET lock_timeout");
		}
		if (!c->stmt_to) {
			c->stmt_to = 1;
			lint_report(c, R_RST, -1, PEND_NONE, "statement that takes locks before SET statement_timeout");
		}
		long_idents(c);
	}
	if (c->mixed && c->st && (c->st->flags & ST_NOTX))
		lint_report(c, R_MIXED, -1, PEND_NONE, "%s in a migration with statements that must run in a transaction",
			c->st->why_notx ? c->st->why_notx : "a statement that cannot run in a transaction block");
	if (!strcmp(name, "TransactionStmt"))
		transaction(c, s);
	else if (!strcmp(name, "VariableSetStmt")) {
		const char *n = str(s, "name");

		if (n && !strcmp(n, "lock_timeout"))
			c->lock_to = 1;
		if (n && !strcmp(n, "statement_timeout"))
			c->stmt_to = 1;
	} else if (!strcmp(name, "SelectStmt")) {
		/* SELECT set_config('lock_timeout', ...) sets it as SET does */
		json_t *tl = get(s, "targetList");

		for (size_t i = 0; i < json_array_size(tl); i++) {
			json_t *fc = as(get(as(json_array_get(tl, i), "ResTarget"), "val"), "FuncCall");
			const char *fn = lastname(get(fc, "funcname"));
			const char *v = str(get(as(json_array_get(get(fc, "args"), 0), "A_Const"), "sval"), "sval");

			if (!fn || strcmp(fn, "set_config") || !v)
				continue;
			if (!strcmp(v, "lock_timeout"))
				c->lock_to = 1;
			if (!strcmp(v, "statement_timeout"))
				c->stmt_to = 1;
		}
	} else if (!strcmp(name, "AlterTableStmt"))
		lint_alter_table(c, s);
	else if (!strcmp(name, "CreateStmt"))
		lint_create_table(c, s);
	else if (!strcmp(name, "CreateTableAsStmt")) {
		json_t *rv = get(get(s, "into"), "rel");
		const char *pers = str(rv, "relpersistence");

		if (rv && !str(rv, "schemaname") && !(pers && !strcmp(pers, "t"))
		    && str(s, "objtype") && !strcmp(str(s, "objtype"), "OBJECT_TABLE"))
			lint_report(c, R_RTS, loc(rv), PEND_NONE, "table %s has no schema", str(rv, "relname"));
		if (rv) {
			char *key = lint_relkey(c, rv);

			json_object_set_new(c->newtab, key, json_true());
			free(key);
		}
	} else if (!strcmp(name, "IndexStmt")) {
		json_t *rv = get(s, "relation");

		if (flag(s, "concurrent") && c->explicit_tx)
			lint_report(c, R_BCIT, -1, PEND_NONE, "CREATE INDEX CONCURRENTLY inside a transaction");
		else if (flag(s, "concurrent") && c->in_tx)
			lint_report(c, R_BCIT, -1, PEND_MULTI, "CREATE INDEX CONCURRENTLY inside the transaction the migration runs in");
		if (!flag(s, "concurrent") && !lint_isnew(c, rv))
			lint_report(c, R_RCIC, -1, PEND_NONE, "index on %s built without CONCURRENTLY", str(rv, "relname"));
		if (!flag(s, "if_not_exists") && str(s, "idxname") && (flag(s, "concurrent") || !c->in_tx))
			lint_report(c, R_PRS, -1, PEND_MULTI, "missing IF NOT EXISTS: the migration cannot be rerun if it fails part way");
	} else if (!strcmp(name, "DropStmt"))
		drop(c, s);
	else if (!strcmp(name, "DropdbStmt"))
		lint_report(c, R_BDDB, -1, PEND_NONE, "database %s dropped", str(s, "dbname") ? str(s, "dbname") : "?");
	else if (!strcmp(name, "RenameStmt")) {
		const char *t = str(s, "renameType");

		if (t && !strcmp(t, "OBJECT_COLUMN") && str(s, "relationType") && !strcmp(str(s, "relationType"), "OBJECT_TABLE"))
			lint_report(c, R_RCOL, -1, PEND_NONE, "column %s.%s renamed to %s", str(get(s, "relation"), "relname"),
				str(s, "subname"), str(s, "newname"));
		else if (t && !strcmp(t, "OBJECT_TABLE"))
			lint_report(c, R_RTAB, -1, PEND_NONE, "table %s renamed to %s", str(get(s, "relation"), "relname"), str(s, "newname"));
	} else if (!strcmp(name, "TruncateStmt")) {
		if (str(s, "behavior") && !strcmp(str(s, "behavior"), "DROP_CASCADE"))
			lint_report(c, R_BTC, -1, PEND_NONE, "TRUNCATE with CASCADE");
	} else if (!strcmp(name, "AlterDomainStmt")) {
		if (str(s, "subtype") && !strcmp(str(s, "subtype"), "C"))
			lint_report(c, R_BADC, -1, PEND_NONE, "constraint added to domain %s", lastname(get(s, "typeName")));
	} else if (!strcmp(name, "CreateDomainStmt")) {
		if (json_array_size(get(s, "constraints")))
			lint_report(c, R_BCDC, -1, PEND_NONE, "domain %s created with a constraint", lastname(get(s, "domainname")));
	} else if (!strcmp(name, "AlterEnumStmt")) {
		if (str(s, "newVal") && !str(s, "newValNeighbor"))
			lint_report(c, R_REVO, -1, PEND_NONE, "enum value '%s' added without BEFORE or AFTER", str(s, "newVal"));
	} else if (!strcmp(name, "ClusterStmt"))
		lint_report(c, R_PREPACK, -1, PEND_NONE, "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock");
	else if (!strcmp(name, "VacuumStmt")) {
		if (flag(s, "is_vacuumcmd") && opt_true(get(s, "options"), "full"))
			lint_report(c, R_PREPACK, -1, PEND_NONE, "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock");
	} else if (!strcmp(name, "CommentStmt"))
		comment(c, s);
	else if (!strcmp(name, "CreateFunctionStmt"))
		function(c, s);
	else if (!strcmp(name, "UpdateStmt"))
		duplicates(c, get(s, "targetList"));
	else if (!strcmp(name, "InsertStmt"))
		duplicates(c, get(s, "cols"));
}

void
lint_rules_file_end(struct lintctx *c)
{
	if (c->open_begin)
		lint_report_at(c, R_BUT, &c->begin_pos, c->begin_seq, NULL, "BEGIN without COMMIT");
	c->open_begin = 0;
}

void
lint_rules_end(struct lintctx *c)
{
	const char *k;
	json_t *t;

	json_object_foreach(c->addcols, k, t) {
		const char *ck;
		json_t *col;

		json_object_foreach(get(t, "cols"), ck, col) {
			struct srcpos q = { str(col, "file"), (long)json_integer_value(get(col, "line")),
				(long)json_integer_value(get(col, "col")) };

			if (!flag(col, "comment"))
				lint_report_at(c, R_SENS, &q, (long)json_integer_value(get(col, "seq")), get(col, "ign"),
					"column %s.%s may hold sensitive data and has no comment", str(t, "name"), ck);
		}
	}
	json_object_foreach(c->tables, k, t) {
		struct srcpos p = { str(t, "file"), (long)json_integer_value(get(t, "line")), (long)json_integer_value(get(t, "col")) };
		long seq = (long)json_integer_value(get(t, "seq"));
		const char *ck;
		json_t *col;

		if (!flag(t, "pk"))
			lint_report_at(c, R_PK, &p, seq, get(t, "ign"), "table %s has no primary key", str(t, "name"));
		if (!flag(t, "comment"))
			lint_report_at(c, R_DOC, &p, seq, get(t, "ign"), "table %s has no comment", str(t, "name"));
		json_object_foreach(get(t, "cols"), ck, col) {
			struct srcpos q = { str(col, "file"), (long)json_integer_value(get(col, "line")),
				(long)json_integer_value(get(col, "col")) };

			if (!flag(col, "comment"))
				lint_report_at(c, R_SENS, &q, (long)json_integer_value(get(col, "seq")), get(col, "ign"),
					"column %s.%s may hold sensitive data and has no comment", str(t, "name"), ck);
		}
	}
}
