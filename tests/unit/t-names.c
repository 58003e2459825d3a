/* t-names: a test driver for lib/pgnames and lib/normexpr (tests/pgnames.bats, tests/normexpr.bats).
   t-names make NAME1 NAME2 LABEL        makeObjectName ("-" for an absent NAME2 or LABEL)
   t-names choose NAME1 NAME2 LABEL TAKEN...   ChooseRelationName with the names TAKEN in use
   t-names type TYPE [SCHEMA]            the canonical name of TYPE as a column type; "serial" type too
   t-names text KIND TEXT                normexpr_text (KIND expr|query|bound|body); NULL if no parse
   t-names tree KIND TEXT                normexpr_tree, as JSON
   t-names bound TYPE;TYPE... TEXT       normexpr_bound, the partition keys' types given ("" unknown)
   t-names texts KIND                    each stdin line ROLE<TAB>TEXT -> ROLE<TAB>FORM
   t-names stmt SQL                      each expression of the statement: ROLE<TAB>FORM<TAB>SLICE
   t-names view SQL REL=COL,COL...       normexpr_view_query of CREATE VIEW SQL, the tables' columns given
   t-names file FILE                     the same for every statement, as NAME ROLE<TAB>FORM<TAB>SLICE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg_query.h>

#include "diag.h"
#include "normexpr.h"
#include "pgnames.h"

static const char *
arg(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

static int
taken(const char *name, void *ctx)
{
	for (char **p = ctx; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

static enum nx_kind
kind_of(const char *s)
{
	if (strcmp(s, "query") == 0)
		return NX_QUERY;
	if (strcmp(s, "bound") == 0)
		return NX_BOUND;
	if (strcmp(s, "body") == 0)
		return NX_BODY;
	return NX_EXPR;
}

static json_t *
parse(const char *sql)
{
	PgQueryParseResult r = pg_query_parse(sql);
	json_t *t = NULL;

	if (r.error)
		die(4, "%s", r.error->message);
	t = json_loads(r.parse_tree, 0, NULL);
	pg_query_free_parse_result(r);
	return t;
}

static const char *key; /* t-names file: the object's name before each role */

static void
emit(const char *sql, const char *role, json_t *n)
{
	char *f, *s;

	if (!n || json_is_null(n))
		return;
	f = normexpr_node(n, sql);
	s = normexpr_slice(sql, n);
	for (char *c = s; *c; c++)
		if (*c == '\n' || *c == '\t' || *c == '\r')
			*c = ' ';
	if (key)
		printf("%s ", key);
	printf("%s\t%s\t%s\n", role, f, s);
	free(f);
	free(s);
}

/* The column's DEFAULT, CHECK and GENERATED expressions. */
static void
constraints(const char *sql, const char *col, json_t *list)
{
	size_t i;
	json_t *c;

	json_array_foreach(list, i, c) {
		json_t *f = json_object_get(c, "Constraint");
		const char *ty = json_string_value(json_object_get(f, "contype"));
		const char *nm = json_string_value(json_object_get(f, "conname"));
		char role[300];

		if (!ty)
			continue;
		if (strcmp(ty, "CONSTR_DEFAULT") == 0)
			snprintf(role, sizeof role, "default:%s", col);
		else if (strcmp(ty, "CONSTR_GENERATED") == 0)
			snprintf(role, sizeof role, "generated:%s", col);
		else if (strcmp(ty, "CONSTR_CHECK") == 0)
			snprintf(role, sizeof role, "check:%s", nm ? nm : "?");
		else
			continue;
		emit(sql, role, json_object_get(f, "raw_expr"));
	}
}

static const char *
relname(json_t *rv)
{
	return json_string_value(json_object_get(rv, "relname"));
}

struct rels {
	int n;
	char **arg;
	const char *cols[64];
};
static const char *const *rel_cols(const char *schema, const char *name, void *ctx);

static void
stmt_node(const char *sql, json_t *s)
{
	json_t *f, *e;
	size_t i;

	if ((f = json_object_get(s, "CreateStmt"))) {
		key = key ? relname(json_object_get(f, "relation")) : NULL;
		json_array_foreach(json_object_get(f, "tableElts"), i, e) {
			json_t *cd = json_object_get(e, "ColumnDef");

			if (cd)
				constraints(sql, json_string_value(json_object_get(cd, "colname")), json_object_get(cd, "constraints"));
			else if (json_object_get(e, "Constraint")) {
				json_t *one = json_pack("[O]", e);

				constraints(sql, "", one);
				json_decref(one);
			}
		}
		emit(sql, "bound", json_object_get(f, "partbound"));
	} else if ((f = json_object_get(s, "AlterTableStmt"))) {
		key = key ? relname(json_object_get(f, "relation")) : NULL;
		json_array_foreach(json_object_get(f, "cmds"), i, e) {
			json_t *c = json_object_get(e, "AlterTableCmd"), *def = json_object_get(c, "def");
			const char *sub = json_string_value(json_object_get(c, "subtype"));
			char role[300];

			if (sub && strcmp(sub, "AT_ColumnDefault") == 0 && def) {
				snprintf(role, sizeof role, "default:%s", json_string_value(json_object_get(c, "name")));
				emit(sql, role, def);
			} else if (json_object_get(def, "Constraint")) {
				json_t *one = json_pack("[O]", def);

				constraints(sql, "", one);
				json_decref(one);
			}
		}
	} else if ((f = json_object_get(s, "IndexStmt"))) {
		key = key ? json_string_value(json_object_get(f, "idxname")) : NULL;
		json_array_foreach(json_object_get(f, "indexParams"), i, e) {
			char role[32];

			snprintf(role, sizeof role, "key:%zu", i + 1);
			emit(sql, role, json_object_get(json_object_get(e, "IndexElem"), "expr"));
		}
		emit(sql, "where", json_object_get(f, "whereClause"));
	} else if ((f = json_object_get(s, "ViewStmt"))) {
		key = key ? relname(json_object_get(f, "view")) : NULL;
		/* T_NAMES_COLS="rel=c1,c2 rel2=...": the tables' columns, to qualify the query's columns
		   as conf-parse -m does with its model (normexpr_qualify) */
		if (getenv("T_NAMES_COLS") && *getenv("T_NAMES_COLS")) {
			char *env = strdup(getenv("T_NAMES_COLS")), *argv[64], *save = NULL;
			int n = 0;

			for (char *c = env; n < 64 && (c = strtok_r(c, " ", &save)); c = NULL)
				argv[n++] = c;
			struct rels r = { n, argv, { 0 } };
			json_t *q = json_deep_copy(json_object_get(f, "query"));

			normexpr_qualify(q, rel_cols, &r);
			emit(sql, "query", q);
			json_decref(q);
			free(env);
		} else
			emit(sql, "query", json_object_get(f, "query"));
	} else if ((f = json_object_get(s, "CreateTableAsStmt"))) {
		key = key ? relname(json_object_get(json_object_get(f, "into"), "rel")) : NULL;
		emit(sql, "query", json_object_get(f, "query"));
	} else if ((f = json_object_get(s, "CreatePolicyStmt"))) {
		key = key ? json_string_value(json_object_get(f, "policy_name")) : NULL;
		emit(sql, "using", json_object_get(f, "qual"));
		emit(sql, "check", json_object_get(f, "with_check"));
	} else if ((f = json_object_get(s, "CreateFunctionStmt"))) {
		emit(sql, "body", json_object_get(f, "sql_body"));
	} else if ((f = json_object_get(s, "CreateTrigStmt"))) {
		emit(sql, "when", json_object_get(f, "whenClause"));
	} else if ((f = json_object_get(s, "CreateDomainStmt"))) {
		constraints(sql, "", json_object_get(f, "constraints"));
	}
}

static void
stmt(const char *sql)
{
	json_t *tree = parse(sql);

	stmt_node(sql, json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt"));
	json_decref(tree);
}

/* Every statement of a file, each expression's role after the name of its table, index, view or
   policy (unnamed ones skipped). */
static void
file(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	json_t *tree;
	size_t i;
	json_t *e;

	if (!fp)
		die(1, "%s: cannot open", path);
	n = getdelim(&text, &cap, '\0', fp);
	fclose(fp);
	if (n < 0)
		die(1, "%s: cannot read", path);
	/* statement by statement (as the scanner splits them), those that do not parse skipped */
	PgQuerySplitResult sp = pg_query_split_with_scanner(text);

	for (int k = 0; !sp.error && k < sp.n_stmts; k++) {
		char *piece = xstrndup(text + sp.stmts[k]->stmt_location, (size_t)sp.stmts[k]->stmt_len);
		PgQueryParseResult r = pg_query_parse(piece);

		tree = r.error ? NULL : json_loads(r.parse_tree, 0, NULL);
		pg_query_free_parse_result(r);
		if (tree) {
			json_array_foreach(json_object_get(tree, "stmts"), i, e) {
				key = "";
				stmt_node(piece, json_object_get(e, "stmt"));
			}
		}
		json_decref(tree);
		free(piece);
	}
	pg_query_free_split_result(sp);
	tree = NULL;
	json_decref(tree);
	free(text);
}

/* The TypeName of a column of type t, or of a function argument (where t.c%TYPE is allowed). */
static json_t *
type_node(const char *t, json_t **tree)
{
	char *sql = xasprintf("CREATE TABLE t (c %s)", t);
	PgQueryParseResult r = pg_query_parse(sql);
	json_t *s;

	free(sql);
	if (r.error) {
		pg_query_free_parse_result(r);
		sql = xasprintf("CREATE FUNCTION f(a %s) RETURNS int LANGUAGE sql AS ''", t);
		*tree = parse(sql);
		free(sql);
		s = json_object_get(json_array_get(json_object_get(*tree, "stmts"), 0), "stmt");
		return json_object_get(json_object_get(json_array_get(json_object_get(json_object_get(s, "CreateFunctionStmt"),
		    "parameters"), 0), "FunctionParameter"), "argType");
	}
	*tree = json_loads(r.parse_tree, 0, NULL);
	pg_query_free_parse_result(r);
	s = json_object_get(json_array_get(json_object_get(*tree, "stmts"), 0), "stmt");
	return json_object_get(json_object_get(json_array_get(json_object_get(json_object_get(s, "CreateStmt"),
	    "tableElts"), 0), "ColumnDef"), "typeName");
}

/* t-names view: the columns of each relation, from arguments "rel=c1,c2" (struct rels) */

static const char *const *
rel_cols(const char *schema, const char *name, void *ctx)
{
	struct rels *r = ctx;
	size_t l = strlen(name);
	int k = 0;

	(void)schema;
	for (int i = 0; i < r->n; i++)
		if (strncmp(r->arg[i], name, l) == 0 && r->arg[i][l] == '=') {
			static char buf[4096];

			snprintf(buf, sizeof buf, "%s", r->arg[i] + l + 1);
			for (char *c = buf, *save = NULL; (c = strtok_r(c, ",", &save)) && k < 63; c = NULL)
				r->cols[k++] = c;
			r->cols[k] = NULL;
			return r->cols;
		}
	return NULL;
}

static void
view(const char *sql, int n, char **arg)
{
	json_t *tree = parse(sql), *s = json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt");
	json_t *f = json_object_get(s, "ViewStmt"), *q;
	struct rels r = { n, arg, { 0 } };
	char *form;

	if (!f)
		die(4, "not a CREATE VIEW");
	q = normexpr_view_query(json_object_get(f, "query"), json_object_get(f, "aliases"), rel_cols, &r);
	normexpr_qualify(q, rel_cols, &r); /* as conf-parse -m does */
	form = normexpr_node(q, sql);
	printf("query\t%s\n", form);
	free(form);
	json_decref(q);
	json_decref(tree);
}

static void
type(const char *t, const char *schema)
{
	json_t *tree = NULL, *tn = type_node(t, &tree);
	const char *serial = pgn_serial_type(tn);
	char *name = pgn_type_name(tn, NULL, NULL, schema);

	printf("%s%s%s\n", name ? name : "NULL", serial ? "\tserial " : "", serial ? serial : "");
	free(name);
	json_decref(tree);
}

int
main(int argc, char **argv)
{
	char *s = NULL;

	diag_init(argv[0]);
	if (argc >= 5 && strcmp(argv[1], "make") == 0)
		s = pgn_make_name(argv[2], arg(argv[3]), arg(argv[4]));
	else if (argc >= 5 && strcmp(argv[1], "choose") == 0)
		s = pgn_choose(argv[2], arg(argv[3]), arg(argv[4]), taken, argv + 5);
	else if (argc >= 3 && strcmp(argv[1], "type") == 0)
		type(argv[2], argc > 3 ? argv[3] : "public");
	else if (argc >= 4 && strcmp(argv[1], "text") == 0)
		s = normexpr_text(argv[3], kind_of(argv[2]));
	else if (argc >= 4 && strcmp(argv[1], "bound") == 0) {
		const char *types[8];
		char *list = xstrdup(argv[2]), *p = list;
		size_t n = 0;

		while (n < 7) {
			types[n++] = p;
			if (!(p = strchr(p, ';')))
				break;
			*p++ = 0;
		}
		types[n] = NULL;
		s = normexpr_bound(argv[3], types);
		free(list);
	} else if (argc >= 4 && strcmp(argv[1], "tree") == 0) {
		json_t *t = normexpr_tree(argv[3], kind_of(argv[2]));

		s = t ? json_dumps(t, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(t);
	} else if (argc >= 3 && strcmp(argv[1], "texts") == 0) {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) > 0) {
			char *tab = strchr(line, '\t'), *f;

			if (line[n - 1] == '\n')
				line[n - 1] = 0;
			if (!tab)
				continue;
			*tab = 0;
			f = normexpr_text(tab + 1, kind_of(argv[2]));
			printf("%s\t%s\n", line, f ? f : "NULL");
			free(f);
		}
		free(line);
	} else if (argc >= 3 && strcmp(argv[1], "stmt") == 0)
		stmt(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "view") == 0)
		view(argv[2], argc - 3, argv + 3);
	else if (argc >= 3 && strcmp(argv[1], "file") == 0)
		file(argv[2]);
	else
		die(5, "usage: t-names make|choose|type|text|tree|texts|stmt ...");
	if (s || (argc >= 4 && (strcmp(argv[1], "text") == 0 || strcmp(argv[1], "tree") == 0
	                               || strcmp(argv[1], "bound") == 0)))
		printf("%s\n", s ? s : "NULL");
	free(s);
	/* no pg_query_exit(): it crashes when nothing was parsed; what it frees is still reachable */
	return 0;
}
