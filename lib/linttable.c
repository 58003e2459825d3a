/* linttable.c: the rules of conf-lint on CREATE TABLE and ALTER TABLE: column types, defaults,
   constraints, names, and what the model (-m) knows of existing tables. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lintint.h"

/* The key of a table: schema.name; unqualified, the first schema of the search path set so far
   (public when none: the path is followed from SET search_path and set_config). */
char *
lint_relkey(struct lintctx *c, json_t *rv)
{
	const char *s = str(rv, "schemaname"), *n = str(rv, "relname");

	return xasprintf("%s.%s", s ? s : spath_first(&c->sp), n ? n : "");
}

/* The key of a qualified name held as a list of String nodes (COMMENT ON objects). */
char *
lint_listkey(struct lintctx *c, json_t *items, size_t upto)
{
	const char *a = upto >= 2 ? sval(json_array_get(items, upto - 2)) : spath_first(&c->sp);
	const char *b = sval(json_array_get(items, upto - 1));

	return xasprintf("%s.%s", a ? a : "", b ? b : "");
}

int
lint_isnew(struct lintctx *c, json_t *rv)
{
	char *k = lint_relkey(c, rv);
	int r = json_object_get(c->newtab, k) != NULL;

	free(k);
	return r;
}

/* ---- types ---- */

enum { T_OTHER, T_CHAR, T_INT, T_SMALL, T_TS, T_VARCHARN, T_SERIAL };

/* What a TypeName is, for the type rules; *serial set for the serial pseudo-types. */
static int
typekind(json_t *tn, int *serial)
{
	json_t *names = get(tn, "names");
	size_t n = json_array_size(names);
	const char *first = n > 1 ? sval(json_array_get(names, 0)) : NULL, *last = lastname(names);
	char low[64];
	size_t i;

	*serial = 0;
	if (!last || n > 2 || (first && strcmp(first, "pg_catalog") != 0))
		return T_OTHER;
	for (i = 0; last[i] && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)last[i]);
	low[i] = 0;
	if (!strcmp(low, "bpchar") || !strcmp(low, "char") || !strcmp(low, "character"))
		return T_CHAR;
	if (!strcmp(low, "serial") || !strcmp(low, "serial4")) {
		*serial = 1;
		return T_INT;
	}
	if (!strcmp(low, "smallserial") || !strcmp(low, "serial2")) {
		*serial = 1;
		return T_SMALL;
	}
	if (!strcmp(low, "bigserial") || !strcmp(low, "serial8")) {
		*serial = 1;
		return T_SERIAL;
	}
	if (!strcmp(low, "int4") || !strcmp(low, "integer") || (!strcmp(low, "int") && !first))
		return T_INT;
	if (!strcmp(low, "int2") || !strcmp(low, "smallint"))
		return T_SMALL;
	if (!strcmp(low, "timestamp"))
		return T_TS;
	if (!strcmp(low, "varchar") && json_array_size(get(tn, "typmods")) > 0)
		return T_VARCHARN;
	return T_OTHER;
}

/* The type rules on one column's type (create table, add column, alter column type). */
static void
check_type(struct lintctx *c, json_t *tn, const char *col, long at)
{
	int serial, k = typekind(tn, &serial);
	long l = loc(tn) >= 0 ? loc(tn) : at;

	if (!col)
		col = "?";
	switch (k) {
	case T_CHAR:
		lint_report(c, R_BCHAR, l, PEND_NONE, "column %s is char(n)", col);
		break;
	case T_INT:
		lint_report(c, R_PBI, l, PEND_NONE, "column %s is a 32-bit integer", col);
		break;
	case T_SMALL:
		lint_report(c, R_PBS, l, PEND_NONE, "column %s is a 16-bit integer", col);
		break;
	case T_TS:
		lint_report(c, R_PTZ, l, PEND_NONE, "column %s is timestamp without time zone", col);
		break;
	case T_VARCHARN:
		lint_report(c, R_PTEXT, l, PEND_NONE, "column %s is varchar(n)", col);
		break;
	}
	if (serial)
		lint_report(c, R_PID, l, PEND_NONE, "column %s is %s", col, lastname(get(tn, "names")));
}

/* ---- names ---- */

static int
snake(const char *s)
{
	if (!s || !*s || !(islower((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

static int
sensitive(const char *s)
{
	static const char *const w[] = { "password", "passwd", "token", "secret", "api_key", "apikey",
		"credit_card", "card_number", "ssn", "social_security", NULL };
	char low[256];
	size_t i;

	for (i = 0; s[i] && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = 0;
	for (i = 0; w[i]; i++)
		if (strstr(low, w[i]))
			return 1;
	return 0;
}

/* ---- defaults ---- */

/* Built-in functions that are not volatile and safe in a column default (by name; nargs -1 = any). */
static const struct { const char *name; int nargs; } nonvolatile[] = {
	{ "now", 0 }, { "current_timestamp", 0 }, { "transaction_timestamp", 0 }, { "statement_timestamp", -1 },
	{ "lower", -1 }, { "upper", -1 }, { "to_jsonb", -1 }, { "jsonb_build_object", -1 },
	{ "json_build_object", -1 }, { "jsonb_build_array", -1 }, { "array_fill", -1 }, { "make_date", -1 },
	{ "make_interval", -1 }, { "to_timestamp", -1 }, { "to_date", -1 }, { "length", -1 }, { "concat", -1 },
	{ "coalesce", -1 }, { "abs", -1 }, { "round", -1 }, { "trim", -1 }, { "btrim", -1 }, { "md5", -1 },
	{ "current_date", 0 }, { "localtimestamp", 0 }, { "current_user", 0 }, { "session_user", 0 },
	{ NULL, 0 }
};

/* Whether a default expression is certain not to be volatile (squawk's test: literals, casts of
   literals, known non-volatile functions; here also operators and arrays over such operands). */
static int
constexpr_(json_t *e)
{
	json_t *x;
	size_t i;

	if (!e || json_is_null(e))
		return 1;
	if (as(e, "A_Const") || as(e, "SQLValueFunction") || as(e, "ParamRef"))
		return 1;
	if ((x = as(e, "TypeCast")))
		return constexpr_(get(x, "arg"));
	if ((x = as(e, "A_ArrayExpr"))) {
		json_t *el = get(x, "elements");

		for (i = 0; i < json_array_size(el); i++)
			if (!constexpr_(json_array_get(el, i)))
				return 0;
		return 1;
	}
	if ((x = as(e, "A_Expr")))
		return constexpr_(get(x, "lexpr")) && constexpr_(get(x, "rexpr"));
	if ((x = as(e, "BoolExpr"))) {
		json_t *a = get(x, "args");

		for (i = 0; i < json_array_size(a); i++)
			if (!constexpr_(json_array_get(a, i)))
				return 0;
		return 1;
	}
	if ((x = as(e, "FuncCall"))) {
		json_t *fn = get(x, "funcname"), *args = get(x, "args");
		const char *name = lastname(fn);
		int n = (int)json_array_size(args);

		if (json_array_size(fn) > 1 && strcmp(sval(json_array_get(fn, 0)) ? sval(json_array_get(fn, 0)) : "", "pg_catalog"))
			return 0;
		for (i = 0; name && nonvolatile[i].name; i++)
			if (!strcmp(nonvolatile[i].name, name) && (nonvolatile[i].nargs < 0 || nonvolatile[i].nargs == n)) {
				for (int j = 0; j < n; j++)
					if (!constexpr_(json_array_get(args, (size_t)j)))
						return 0;
				return 1;
			}
		return 0;
	}
	return 0;
}

/* Remember a column whose name suggests sensitive data, until a COMMENT ON COLUMN comes. */
static void
note_sensitive(struct lintctx *c, json_t *cols, const char *col, long at)
{
	struct srcpos p;

	stmt_where_rel(c, at, &p);
	json_object_set_new(cols, col, json_pack("{s:s,s:i,s:i,s:I,s:b,s:o}", "file", p.file ? p.file : "",
		"line", (int)p.line, "col", (int)p.col, "seq", (json_int_t)c->seq, "comment", 0, "ign", lint_ignjson(c)));
}

/* The columns remembered for table key (tab: its name): those of a table created in the input,
   else of one created before it (c->addcols). */
static json_t *
sens_cols(struct lintctx *c, const char *key, const char *tab)
{
	json_t *t = json_object_get(c->tables, key);

	if (t)
		return get(t, "cols");
	if (!(t = json_object_get(c->addcols, key))) {
		t = json_pack("{s:s,s:{}}", "name", tab ? tab : "", "cols");
		json_object_set_new(c->addcols, key, t);
	}
	return get(t, "cols");
}

/* ---- ALTER TABLE ---- */

/* The column a CHECK constraint's expression requires to be non-null (col IS NOT NULL), or NULL. */
static const char *
nncol(json_t *con)
{
	json_t *nt = as(get(con, "raw_expr"), "NullTest");
	json_t *cr;

	if (!nt || strcmp(str(nt, "nulltesttype") ? str(nt, "nulltesttype") : "", "IS_NOT_NULL"))
		return NULL;
	cr = as(get(nt, "arg"), "ColumnRef");
	return cr && json_array_size(get(cr, "fields")) == 1 ? sval(json_array_get(get(cr, "fields"), 0)) : NULL;
}

static void
column_constraints(struct lintctx *c, json_t *cd, const char *col, int addcol, int fresh)
{
	json_t *cons = get(cd, "constraints");
	int notnull = 0, dflt = 0, gen = 0, pk = 0, serial = 0;
	long at = loc(cd);
	size_t i;

	typekind(get(cd, "typeName"), &serial);
	for (i = 0; i < json_array_size(cons); i++) {
		json_t *k = as(json_array_get(cons, i), "Constraint");
		const char *t = str(k, "contype");
		long kl = loc(k) >= 0 ? loc(k) : at;

		if (!t)
			continue;
		if (!strcmp(t, "CONSTR_NOTNULL"))
			notnull = 1;
		else if (!strcmp(t, "CONSTR_DEFAULT")) {
			dflt = 1;
			if (addcol && !fresh && c->o->pgver < 11)
				lint_report(c, R_AFWD, kl, PEND_NONE, "column %s is added with a default: before PostgreSQL 11 this rewrites the table", col);
			else if (addcol && !fresh && !constexpr_(get(k, "raw_expr")))
				lint_report(c, R_AFWD, kl, PEND_NONE, "column %s is added with a default that may be volatile", col);
		} else if (!strcmp(t, "CONSTR_GENERATED")) {
			gen = 1;
			if (addcol && !fresh)
				lint_report(c, R_AFWD, kl, PEND_NONE, "column %s is added as a stored generated column", col);
		} else if (!strcmp(t, "CONSTR_IDENTITY"))
			dflt = 1;
		else if (!strcmp(t, "CONSTR_PRIMARY")) {
			pk = 1;
			if (addcol && !fresh)
				lint_report(c, R_APK, kl, PEND_NONE, "primary key added with column %s", col);
		} else if (!strcmp(t, "CONSTR_UNIQUE")) {
			if (addcol && !fresh)
				lint_report(c, R_DUC, kl, PEND_NONE, "UNIQUE constraint added with column %s", col);
		} else if (!strcmp(t, "CONSTR_FOREIGN")) {
			if (addcol && !fresh)
				lint_report(c, R_AFK, kl, PEND_NONE, "column %s is added with a foreign key", col);
		}
	}
	if (addcol && !fresh && notnull && !dflt && !gen && !serial)
		lint_report(c, R_ARF, at, PEND_NONE, "column %s is added NOT NULL without a default", col);
	if (addcol && !fresh && serial && pk)
		lint_report(c, R_ASPK, at, PEND_NONE, "column %s is added as a serial primary key", col);
}

/* The type the model (-m) gives column col of table key, or NULL. */
static const char *
modeltype(struct lintctx *c, const char *key, const char *col)
{
	json_t *cols = get(json_object_get(c->model, key), "columns"), *x;
	size_t i;

	if (!col)
		return NULL;
	json_array_foreach(cols, i, x)
		if (str(x, "name") && !strcmp(str(x, "name"), col))
			return str(x, "type");
	return NULL;
}

/* The model's (-m) column col of table key, or NULL. */
static json_t *
modelcol(struct lintctx *c, const char *key, const char *col)
{
	json_t *cols = get(json_object_get(c->model, key), "columns"), *x;
	size_t i;

	json_array_foreach(cols, i, x)
		if (col && str(x, "name") && !strcmp(str(x, "name"), col))
			return x;
	return NULL;
}

/* Whether the model has a validated CHECK (col IS NOT NULL) on table key. */
static int
modelnncheck(struct lintctx *c, const char *key, const char *col)
{
	json_t *cons = get(json_object_get(c->model, key), "constraints"), *x;
	char *plain = xasprintf("%s IS NOT NULL", col), *quoted = xasprintf("\"%s\" IS NOT NULL", col);
	int found = 0;
	size_t i;

	json_array_foreach(cons, i, x) {
		const char *t = str(x, "type"), *e = str(x, "expr_sql");

		if (t && !strcmp(t, "check") && !flag(x, "not_valid") && e && (!strcmp(e, plain) || !strcmp(e, quoted)))
			found = 1;
	}
	free(plain);
	free(quoted);
	return found;
}

/* The integer type modifiers of a TypeName (varchar(20): 20), at most 2; their number. */
static int
typmods(json_t *tn, long m[2])
{
	json_t *mods = get(tn, "typmods");
	int n = 0;

	for (size_t i = 0; i < json_array_size(mods) && n < 2; i++) {
		json_t *ac = as(json_array_get(mods, i), "A_Const");

		if (!ac || !get(ac, "ival"))
			return -1;
		m[n++] = (long)json_integer_value(get(get(ac, "ival"), "ival"));
	}
	return n;
}

/* Whether changing a column of type was (as the model writes it: "character varying(20)") to
   TypeName tn keeps the stored values as they are: PostgreSQL then neither rewrites the table nor
   scans it (a longer varchar, varchar to text, more numeric precision at the same scale). */
static int
no_rewrite(const char *was, json_t *tn)
{
	int n;
	const char *to = lastname(get(tn, "names"));
	long m[2], o[2] = { -1, -1 };

	if (!was || !to || json_array_size(get(tn, "arrayBounds")) || (n = typmods(tn, m)) < 0)
		return 0;
	if (!strncmp(was, "character varying", 17)) {
		if (was[17] == '(' && sscanf(was + 18, "%ld", &o[0]) != 1)
			return 0;
		if (!strcmp(to, "text") && n == 0)
			return 1;
		if (!strcmp(to, "varchar"))
			return n == 0 || (o[0] >= 0 && m[0] >= o[0]);
		return 0;
	}
	if (!strcmp(was, "text"))
		return (!strcmp(to, "varchar") && n == 0) || (!strcmp(to, "text") && n == 0);
	if (!strncmp(was, "numeric", 7) && !strcmp(to, "numeric")) {
		if (n == 0)
			return 1;
		if (was[7] != '(' || sscanf(was + 8, "%ld,%ld", &o[0], &o[1]) < 1)
			return 0;
		if (o[1] < 0)
			o[1] = 0;
		return m[0] >= o[0] && (n == 2 ? m[1] : 0) == o[1];
	}
	return 0;
}

void
lint_alter_table(struct lintctx *c, json_t *s)
{
	json_t *rv = get(s, "relation"), *cmds = get(s, "cmds");
	const char *objtype = str(s, "objtype");
	int fresh = lint_isnew(c, rv);
	char *key = lint_relkey(c, rv);
	const char *tab = str(rv, "relname");
	size_t i;

	if (objtype && strcmp(objtype, "OBJECT_TABLE"))
		goto out;
	if (!str(rv, "schemaname") && str(rv, "relpersistence") && strcmp(str(rv, "relpersistence"), "t"))
		lint_report(c, R_RTS, loc(rv), PEND_NONE, "table %s has no schema", tab);
	for (i = 0; i < json_array_size(cmds); i++) {
		json_t *cmd = as(json_array_get(cmds, i), "AlterTableCmd"), *def = get(cmd, "def");
		const char *st = str(cmd, "subtype"), *name = str(cmd, "name");
		int robust = 0, msg = 0; /* msg: 1 IF EXISTS, 2 IF NOT EXISTS, 0 transaction */

		if (!st)
			continue;
		if (!strcmp(st, "AT_AddColumn")) {
			json_t *cd = as(def, "ColumnDef");
			char *qc = xasprintf("%s.%s", tab ? tab : "?", str(cd, "colname") ? str(cd, "colname") : "?");

			column_constraints(c, cd, qc, 1, fresh);
			check_type(c, get(cd, "typeName"), qc, loc(cd));
			free(qc);
			if (str(cd, "colname") && !snake(str(cd, "colname")))
				lint_report(c, R_SNAKE, loc(cd), PEND_NONE, "column name %s is not snake_case", str(cd, "colname"));
			if (str(cd, "colname") && sensitive(str(cd, "colname")))
				note_sensitive(c, sens_cols(c, key, tab), str(cd, "colname"), loc(cd));
			robust = flag(cmd, "missing_ok");
			msg = 2;
		} else if (!strcmp(st, "AT_SetNotNull")) {
			char *tc = xasprintf("%s.%s", key, name ? name : "");

			json_t *mc = modelcol(c, key, name);

			/* the model knows the column is NOT NULL already (nothing to scan), or has a validated check */
			if (!fresh && !flag(mc, "not_null")
			    && (c->o->pgver < 12 || !(json_object_get(c->nnvalid, tc) || (name && modelnncheck(c, key, name)))))
				lint_report(c, R_ANN, -1, PEND_NONE, "column %s.%s is set NOT NULL", tab ? tab : "?", name ? name : "?");
			free(tc);
		} else if (!strcmp(st, "AT_DropNotNull")) {
			lint_report(c, R_BDNN, -1, PEND_NONE, "NOT NULL dropped from column %s.%s", tab ? tab : "?", name ? name : "?");
		} else if (!strcmp(st, "AT_DropColumn")) {
			lint_report(c, R_BDCOL, -1, PEND_NONE, "column %s.%s is dropped", tab ? tab : "?", name ? name : "?");
			robust = flag(cmd, "missing_ok");
			msg = 1;
		} else if (!strcmp(st, "AT_AlterColumnType")) {
			json_t *cd = as(def, "ColumnDef");

			const char *was = modeltype(c, key, name);

			if (!fresh && was && no_rewrite(was, get(cd, "typeName")))
				; /* the model's type says the values stay as they are */
			else if (!fresh && was)
				lint_report(c, R_CCT, loc(cd), PEND_NONE, "column %s.%s changes type from %s", tab ? tab : "?", name ? name : "?", was);
			else if (!fresh)
				lint_report(c, R_CCT, loc(cd), PEND_NONE, "column %s.%s changes type", tab ? tab : "?", name ? name : "?");
			{
				char *qc = xasprintf("%s.%s", tab ? tab : "?", name ? name : "?");

				check_type(c, get(cd, "typeName"), qc, loc(cd));
				free(qc);
			}
		} else if (!strcmp(st, "AT_AddConstraint")) {
			json_t *k = as(def, "Constraint");
			const char *t = str(k, "contype"), *cn = str(k, "conname");
			int usingidx = str(k, "indexname") != NULL, notvalid = flag(k, "skip_validation");
			long kl = loc(k);

			if (!t)
				continue;
			if (!strcmp(t, "CONSTR_PRIMARY") && !usingidx && !fresh)
				lint_report(c, R_APK, kl, PEND_NONE, "primary key added to table %s", tab);
			if (!strcmp(t, "CONSTR_UNIQUE") && !usingidx && !fresh)
				lint_report(c, R_DUC, kl, PEND_NONE, "UNIQUE constraint %s added to table %s", cn ? cn : "", tab);
			if (!strcmp(t, "CONSTR_FOREIGN") && !notvalid && !fresh)
				lint_report(c, R_AFK, kl, PEND_NONE, "foreign key %s added to table %s without NOT VALID", cn ? cn : "", tab);
			if ((!strcmp(t, "CONSTR_FOREIGN") || !strcmp(t, "CONSTR_CHECK")) && !notvalid && !fresh)
				lint_report(c, R_CMNV, kl, PEND_NONE, "constraint %s added to table %s without NOT VALID", cn ? cn : "", tab);
			if (notvalid && cn && c->in_tx)
				json_object_set_new(c->txnotvalid, cn, json_true());
			if (!strcmp(t, "CONSTR_CHECK") && cn && nncol(k)) {
				char *tc = xasprintf("%s.%s", key, nncol(k));

				json_object_set_new(c->nncheck, cn, json_string(tc));
				if (!notvalid)
					json_object_set_new(c->nnvalid, tc, json_true());
				free(tc);
			}
			if (!strcmp(t, "CONSTR_PRIMARY") && json_object_get(c->tables, key))
				json_object_set_new(json_object_get(c->tables, key), "pk", json_true());
			if (cn && json_integer_value(json_object_get(c->cons, cn)) == 1) {
				json_object_set_new(c->cons, cn, json_integer(2));
				robust = 1;
			}
		} else if (!strcmp(st, "AT_ValidateConstraint")) {
			if (name && json_object_get(c->txnotvalid, name))
				lint_report(c, R_CMNV, -1, PEND_NONE, "constraint %s is validated in the transaction that added it", name);
			if (name) {
				json_t *tc = json_object_get(c->nncheck, name);

				if (tc)
					json_object_set_new(c->nnvalid, json_string_value(tc), json_true());
				else {
					/* another migration added it: its name says which column (table_col_not_null) */
					size_t tl = strlen(tab ? tab : ""), nl = strlen(name);

					if (tab && nl > tl + 10 && !strncmp(name, tab, tl) && name[tl] == '_'
					    && !strcmp(name + nl - 9, "_not_null")) {
						char *col = xstrndup(name + tl + 1, nl - tl - 10);
						char *k2 = xasprintf("%s.%s", key, col);

						json_object_set_new(c->nnvalid, k2, json_true());
						free(k2);
						free(col);
					}
				}
			}
			robust = name && json_object_get(c->cons, name);
		} else if (!strcmp(st, "AT_AttachPartition")) {
			/* a partition takes the parent's keys; it is documented through the parent */
			json_t *part = get(as(def, "PartitionCmd"), "name");
			char *pk = part ? lint_relkey(c, part) : NULL;

			if (pk && json_object_get(c->tables, pk))
				json_object_del(c->tables, pk);
			free(pk);
		} else if (!strcmp(st, "AT_DropConstraint")) {
			if (name)
				json_object_set_new(c->cons, name, json_integer(1));
			robust = flag(cmd, "missing_ok");
			msg = 1;
		}
		if (!robust && !c->in_tx)
			lint_report(c, R_PRS, -1, PEND_MULTI, "%s", msg == 1 ? "missing IF EXISTS: the migration cannot be rerun if it fails part way"
				: msg == 2 ? "missing IF NOT EXISTS: the migration cannot be rerun if it fails part way"
				: "missing transaction: the migration cannot be rerun if it fails part way");
	}
out:
	free(key);
}

/* ---- CREATE TABLE ---- */

void
lint_create_table(struct lintctx *c, json_t *s)
{
	json_t *rv = get(s, "relation"), *el = get(s, "tableElts"), *t, *cols;
	char *key = lint_relkey(c, rv);
	const char *tab = str(rv, "relname"), *pers = str(rv, "relpersistence");
	int temp = pers && !strcmp(pers, "t"), pk = 0, tenant = 0;
	size_t i;

	if (!flag(s, "if_not_exists") && !c->in_tx
	    && !(temp && str(s, "oncommit") && !strcmp(str(s, "oncommit"), "ONCOMMIT_DROP")))
		lint_report(c, R_PRS, -1, PEND_MULTI, "missing IF NOT EXISTS: the migration cannot be rerun if it fails part way");
	if (!str(rv, "schemaname") && !temp)
		lint_report(c, R_RTS, loc(rv), PEND_NONE, "table %s has no schema", tab);
	if (tab && !snake(tab))
		lint_report(c, R_SNAKE, loc(rv), PEND_NONE, "table name %s is not snake_case", tab);
	cols = json_object();
	for (i = 0; i < json_array_size(el); i++) {
		json_t *e = json_array_get(el, i), *cd = as(e, "ColumnDef"), *k = as(e, "Constraint");

		if (cd) {
			const char *col = str(cd, "colname");
			json_t *cons = get(cd, "constraints");

			char *qc = xasprintf("%s.%s", tab ? tab : "?", col ? col : "?");

			check_type(c, get(cd, "typeName"), qc, loc(cd));
			column_constraints(c, cd, qc, 0, 1);
			free(qc);
			if (col && !snake(col))
				lint_report(c, R_SNAKE, loc(cd), PEND_NONE, "column name %s is not snake_case", col);
			for (size_t j = 0; j < json_array_size(cons); j++) {
				const char *ct = str(as(json_array_get(cons, j), "Constraint"), "contype");

				if (ct && !strcmp(ct, "CONSTR_PRIMARY"))
					pk = 1;
			}
			if (col && c->o->tenant && !strcmp(col, c->o->tenant))
				tenant = 1;
			if (col && sensitive(col))
				note_sensitive(c, cols, col, loc(cd));
		} else if (k && str(k, "contype") && !strcmp(str(k, "contype"), "CONSTR_PRIMARY"))
			pk = 1;
	}
	json_object_set_new(c->newtab, key, json_true());
	if ((t = json_object_get(c->tables, key)))
		json_object_del(c->tables, key);
	if (!temp && !get(s, "partbound") && !get(s, "ofTypename")) {
		struct srcpos p = c->pos;

		json_object_set_new(c->tables, key, json_pack("{s:s,s:i,s:i,s:I,s:b,s:b,s:o,s:o,s:s}", "file", p.file ? p.file : "",
			"line", (int)p.line, "col", (int)p.col, "seq", (json_int_t)c->seq, "pk", pk, "comment", 0,
			"cols", cols, "ign", lint_ignjson(c), "name", tab ? tab : ""));
		if (c->o->tenant && !tenant)
			lint_report(c, R_TENANT, loc(rv), PEND_NONE, "table %s has no column %s", tab, c->o->tenant);
	} else
		json_decref(cols);
	free(key);
}

