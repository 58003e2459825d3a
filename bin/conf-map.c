/*
 * conf-map: the analyze step of a schema-to-schema migration. Reads the schema models of the
 * source (old) and target (new) databases (conf-inspect) and writes the default mapping YAML
 * (confiture schema-to-schema's format, conf-map(1)): per table, same-name columns copied,
 * dropped columns and tables only on one side marked, target-only columns filled by their
 * default or, NOT NULL without one, left to the user as {expr: ~}. Every line that is not a
 * plain same-type copy gets a comment saying why.
 * With -d (the target, where conf-fdw setup made the staging foreign tables) every type change
 * and every NOT NULL the source column did not have is checked with a query over the source's
 * rows: the comment says how many values do not fit. With -s (the source) each table's key
 * line says its row count estimate.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "fsx.h"
#include "model.h"
#include "pgconn.h"
#include "s2splan.h"
#include "sig.h"
#include "sqltext.h"

#define USAGE "conf-map -S source.jsonl -T target.jsonl [-s source-conninfo] [-d target-conninfo] " \
	"[--staging-schema name] [--source-name text] [--target-name text]"
/* the column where comments start, so that a file's comments line up */
#define COMMENT_COL 36

struct ctx {
	struct model *src, *dst;
	PGconn *sc, *tc;     /* source (estimates), target (checks); NULL when not given */
	PGresult *rows;      /* map_rows.sql on the source */
	const char *staging;
	int nfits;           /* pg_temp.confiture_fits_N functions made on tc */
	int failed;          /* a check query failed: exit 1 after the mapping is written */
};

/* s as a YAML scalar: plain when it is a name YAML reads back as that string, else single-quoted. */
static void
yscalar(struct buf *b, const char *s)
{
	static const char *const special[] = { "y", "n", "yes", "no", "true", "false", "on", "off", "null", NULL };
	int plain = *s && (isalpha((unsigned char)*s) || *s == '_');

	for (const char *p = s; *p && plain; p++)
		plain = isalnum((unsigned char)*p) || *p == '_' || *p == '.';
	for (int i = 0; plain && special[i]; i++)
		plain = strcasecmp(s, special[i]) != 0;
	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "'");
	for (const char *p = s; *p; p++)
		buf_puts(b, *p == '\'' ? "''" : (char[]){ *p, 0 });
	buf_puts(b, "'");
}

/* Emit one line: indent, text, and the comment (if any) from COMMENT_COL. */
static void
emit(struct buf *line, const char *comment)
{
	if (comment && *comment) {
		size_t n = line->len;

		do
			buf_puts(line, " ");
		while (++n < COMMENT_COL);
		buf_printf(line, "# %s", comment);
	}
	printf("%s\n", line->data);
	buf_free(line);
}

static const char *
str(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The column named name of table record t, or NULL. */
static json_t *
column(json_t *t, const char *name)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(t, "columns"), i, c)
		if (strcmp(str(c, "name"), name) == 0)
			return c;
	return NULL;
}

/* Whether the table record takes part: a plain or partitioned table, not a partition (its rows
   travel through its parent) and not a foreign table. */
static int
movable(json_t *t)
{
	return strcmp(str(t, "kind"), "table") == 0 && !json_object_get(t, "partition_of")
	    && strcmp(str(t, "relkind"), "foreign") != 0;
}

/* The comment of a source table's row count: planner statistics, or counted when the table was
   never analyzed and is small; "" without -s. */
static char *
rows_comment(struct ctx *x, const char *schema, const char *name)
{
	for (int i = 0; x->rows && i < PQntuples(x->rows); i++) {
		long long n;
		char *q, *sql, *r;
		PGresult *res;

		if (strcmp(PQgetvalue(x->rows, i, 0), schema) != 0 || strcmp(PQgetvalue(x->rows, i, 1), name) != 0)
			continue;
		n = strtoll(PQgetvalue(x->rows, i, 2), NULL, 10);
		if (n >= 0)
			return xasprintf("about %lld rows (the source's statistics)", n);
		if (strcmp(PQgetvalue(x->rows, i, 3), "t") != 0)
			return xstrdup("rows unknown: never analyzed and over 8 MB (ANALYZE it on the source)");
		/* reltuples -1: never vacuumed nor analyzed; a small table is counted instead */
		q = model_qname(schema, name);
		sql = xasprintf("SELECT count(*) FROM %s", q);
		res = pg_query(x->sc, sql, 0, NULL);
		r = res ? xasprintf("%s rows (counted: never analyzed)", PQgetvalue(res, 0, 0))
			: xstrdup("rows unknown: the count failed");
		PQclear(res);
		free(sql);
		free(q);
		return r;
	}
	return xstrdup("");
}

/* The condition that a value of source column col (type from) does not convert to type to, as
   SQL over the staging table, "" when only the cast itself can tell; *what (allocated) says what
   such values are. */
static char *
misfit(struct ctx *x, const char *col, const char *from, const char *to, char **what)
{
	static const char *const ints[][3] = { { "smallint", "-32768", "32767" },
		{ "integer", "-2147483648", "2147483647" },
		{ "bigint", "-9223372036854775808", "9223372036854775807" } };
	static const char *const numeric[] = { "smallint", "integer", "bigint", "real", "double precision", NULL };
	char *q = PQescapeIdentifier(x->tc, col, strlen(col)), *cond;
	int num = strncmp(from, "numeric", 7) == 0;
	long n, p, s;

	for (int i = 0; numeric[i]; i++)
		num |= strcmp(from, numeric[i]) == 0;
	/* a length-limited string: an explicit cast would cut the value silently, an INSERT raises
	   22001 unless only blanks are beyond the length: the length of the value without them */
	if (sscanf(to, "character varying(%ld)", &n) == 1 || sscanf(to, "character(%ld)", &n) == 1) {
		*what = xasprintf("are longer than %ld", n);
		cond = xasprintf("char_length(rtrim(%s::text)) > %ld", q, n);
		goto done;
	}
	/* a number into a smaller integer: out of range once rounded (half away from zero) */
	for (int i = 0; num && i < 3; i++)
		if (strcmp(to, ints[i][0]) == 0) {
			*what = xasprintf("do not fit %s", to);
			cond = xasprintf("NOT (%s::numeric > %s - 0.5 AND %s::numeric < %s + 0.5)", q, ints[i][1], q, ints[i][2]);
			goto done;
		}
	/* a number into numeric(p,s): too many digits before the point once rounded to s places */
	if (num && (sscanf(to, "numeric(%ld,%ld)", &p, &s) == 2 || (s = 0, sscanf(to, "numeric(%ld)", &p) == 1))) {
		*what = xasprintf("do not fit %s", to);
		cond = xasprintf("abs(round(%s::numeric, %ld)) >= 1e%ld", q, s, p - s);
		goto done;
	}
	/* anything else: the cast itself is tried (run_checks), not a condition of the shared scan */
	*what = xasprintf("do not convert to %s", to);
	cond = xstrdup("");
done:
	PQfreemem(q);
	return cond;
}

/* One check of a column pair: a type change (the values that do not convert) or a NOT NULL the
   source column did not have (its NULLs). */
struct check {
	const char *col, *from, *to; /* from, to: the types of a cast the shared scan cannot check */
	char *cond, *what;
	long long bad;
};

/* The rows of ft whose column col does not cast to type to (from its type from), counted; -1
   after a message. First the cast of the whole column in one statement: when it succeeds (the
   usual answer) every value fits. When it fails, each distinct value is tried by a function
   made for the pair, which catches the error: a subtransaction per distinct value. */
static long long
cast_misfits(struct ctx *x, const char *ft, const char *col, const char *from, const char *to)
{
	char *q = PQescapeIdentifier(x->tc, col, strlen(col)), *sql, *fn;
	char state[6];
	PGresult *r, *err = NULL;
	long long bad = -1;

	sql = xasprintf("SELECT count((%s)::%s) FROM %s", q, to, ft);
	r = pg_query_state(x->tc, sql, 0, NULL, state, &err);
	free(sql);
	if (r) {
		PQclear(r);
		PQfreemem(q);
		return 0;
	}
	PQclear(err);
	if (pg_lost(x->tc, NULL)) {
		PQfreemem(q);
		return -1;
	}
	fn = xasprintf("pg_temp.confiture_fits_%d", ++x->nfits);
	sql = xasprintf("CREATE FUNCTION %s(v %s) RETURNS boolean LANGUAGE plpgsql AS $confiture$BEGIN "
	    "PERFORM v::%s; RETURN true; EXCEPTION WHEN OTHERS THEN RETURN false; END$confiture$", fn, from, to);
	if (pg_run(x->tc, sql) == EX_OK) {
		free(sql);
		/* grouped on the source first: a value repeated is tried once */
		sql = xasprintf("SELECT coalesce(sum(n) FILTER (WHERE NOT %s(v)), 0) FROM (SELECT %s AS v, count(*) AS n "
		    "FROM %s GROUP BY 1) g", fn, q, ft);
		if ((r = pg_query(x->tc, sql, 0, NULL))) {
			bad = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			PQclear(r);
		}
	}
	free(sql);
	free(fn);
	PQfreemem(q);
	return bad;
}

/* Run the checks of a table pair on the staging foreign table in one query (one scan of the
   source); *total gets the row count. The note of why nothing was checked is in *why. */
static void
run_checks(struct ctx *x, json_t *s, struct check *ck, int n, long long *total, char **why)
{
	char *st = s2s_staging_of(x->staging, str(s, "schema")), *ft = model_qname(st, str(s, "name"));
	const char *params[2] = { st, str(s, "name") };
	struct buf sql = { 0 };
	PGresult *r;

	*total = -1;
	if (!n)
		goto done;
	if (!x->tc) {
		*why = xstrdup("not checked: analyze without the target (-d)");
		goto done;
	}
	r = pg_query(x->tc, "SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'f'", 2, params);
	if (!r || PQntuples(r) == 0) {
		*why = r ? xasprintf("not checked: no foreign table %s on the target (conf-fdw setup makes it)", ft)
			 : xstrdup("not checked: the query failed");
		x->failed |= !r;
		PQclear(r);
		goto done;
	}
	PQclear(r);
	buf_puts(&sql, "SELECT count(*)");
	for (int i = 0; i < n; i++)
		if (*ck[i].cond)
			buf_printf(&sql, ", count(*) FILTER (WHERE %s)", ck[i].cond);
	buf_printf(&sql, " FROM %s", ft);
	if (!(r = pg_query(x->tc, sql.data, 0, NULL))) {
		warnx("the checks of %s failed", ft);
		*why = xstrdup("not checked: the query failed");
		x->failed = 1;
		goto done;
	}
	*total = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	for (int i = 0, k = 1; i < n; i++)
		if (*ck[i].cond)
			ck[i].bad = strtoll(PQgetvalue(r, 0, k++), NULL, 10);
	PQclear(r);
	for (int i = 0; i < n; i++)
		if (!*ck[i].cond && (ck[i].bad = cast_misfits(x, ft, ck[i].col, ck[i].from, ck[i].to)) < 0) {
			warnx("the check of %s.%s failed", ft, ck[i].col);
			*why = xstrdup("not checked: the query failed");
			*total = -1;
			x->failed = 1;
			break;
		}
done:
	buf_free(&sql);
	free(st);
	free(ft);
}

/* The "key:" line of a table and its source_table / target_table lines. */
static void
table_head(const char *key, const char *comment, const char *source, const char *scomment,
    const char *target, const char *tcomment)
{
	struct buf l = { 0 };

	yscalar(&l, key);
	buf_puts(&l, ":");
	emit(&l, comment);
	buf_puts(&l, "  source_table: ");
	if (source)
		yscalar(&l, source);
	else
		buf_puts(&l, "~");
	emit(&l, scomment);
	buf_puts(&l, "  target_table: ");
	if (target)
		yscalar(&l, target);
	else
		buf_puts(&l, "~");
	emit(&l, tcomment);
}

/* The key of a table in the mapping: its name, schema-qualified outside public. */
static char *
table_key(json_t *t)
{
	return strcmp(str(t, "schema"), "public") == 0 ? xstrdup(str(t, "name")) : model_qname(str(t, "schema"), str(t, "name"));
}

/* Target-only columns of t of type type, as "a, b" ("" when none): rename candidates. */
static char *
same_type_new(json_t *s, json_t *t, const char *type)
{
	struct buf b = { 0 };
	size_t i;
	json_t *c;

	buf_puts(&b, "");
	json_array_foreach(json_object_get(t, "columns"), i, c)
		if (!column(s, str(c, "name")) && strcmp(str(c, "type"), type) == 0 && !json_object_get(c, "generated"))
			buf_printf(&b, "%s%s", b.len ? ", " : "", str(c, "name"));
	return b.data;
}

/* For a column of an enum type both sides have by one name: the labels of the source's type the
   target's lacks, and how many rows of the source hold them, in words ("" when none). The staging
   table cannot read such a value (postgres_fdw reads it with the target's type), so the source
   counts them itself. */
static char *
enum_misfits(struct ctx *x, json_t *s, const char *col, const char *type)
{
	char *id = xasprintf("type:%s", type);
	json_t *a = model_get(x->src, id), *b = model_get(x->dst, id), *l, *k;
	struct buf miss = { 0 }, sql = { 0 };
	json_t *mj = json_array();
	size_t i, j, n = 0;
	char *out;

	free(id);
	buf_puts(&miss, "");
	if (!a || !b || strcmp(str(a, "form"), "enum") != 0 || strcmp(str(b, "form"), "enum") != 0) {
		json_decref(mj);
		return miss.data;
	}
	json_array_foreach(json_object_get(a, "labels"), i, l) {
		int seen = 0;

		json_array_foreach(json_object_get(b, "labels"), j, k)
			seen |= json_equal(l, k);
		if (!seen) {
			buf_printf(&miss, "%s%s", n++ ? ", " : "", json_string_value(l));
			json_array_append(mj, l);
		}
	}
	if (!n) {
		json_decref(mj);
		return miss.data;
	}
	out = xasprintf("enum %s: label%s %s not in the target: ", type, n > 1 ? "s" : "", miss.data);
	if (x->sc) {
		char *qc = PQescapeIdentifier(x->sc, col, strlen(col)), *qs = PQescapeIdentifier(x->sc, str(s, "schema"),
		    strlen(str(s, "schema"))), *qt = PQescapeIdentifier(x->sc, str(s, "name"), strlen(str(s, "name")));
		PGresult *r;

		buf_printf(&sql, "SELECT count(*) FILTER (WHERE %s::text = ANY ($1::text[])), count(*) FROM %s.%s",
		    qc ? qc : "\"\"", qs ? qs : "\"\"", qt ? qt : "\"\"");
		PQfreemem(qc), PQfreemem(qs), PQfreemem(qt);
		{
			char *arr = json_dumps(mj, JSON_COMPACT);
			/* a JSON array of strings is a text[] literal once its brackets are braces */
			arr[0] = '{', arr[strlen(arr) - 1] = '}';
			const char *p[1] = { arr };

			r = pg_query(x->sc, sql.data, 1, p);
			free(arr);
		}
		if (r) {
			char *t = out;

			out = xasprintf("%s%s of %s rows hold them: give an expression (a CASE over %s::text) and migrate "
			    "with --strategy copy (the staging table cannot read them)", t, PQgetvalue(r, 0, 0),
			    PQgetvalue(r, 0, 1), col);
			free(t);
			PQclear(r);
		} else {
			x->failed = 1;
		}
	} else {
		char *t = out;

		out = xasprintf("%snot checked: analyze without the source (-s)", t);
		free(t);
	}
	json_decref(mj);
	buf_free(&miss);
	buf_free(&sql);
	return out;
}

/* The mapping of a table present on both sides. */
static void
pair(struct ctx *x, json_t *s, json_t *t)
{
	json_t *cols = json_object_get(s, "columns"), *c, *d;
	size_t ncols = json_array_size(cols), i;
	struct check *ck = xcalloc(2 * ncols + 1, sizeof *ck);
	int *tidx = xcalloc(ncols + 1, sizeof *tidx), *nidx = xcalloc(ncols + 1, sizeof *nidx), n = 0;
	long long total = -1;
	char *why = NULL, *key = table_key(t), *sq = model_qname(str(s, "schema"), str(s, "name"));
	char *tq = model_qname(str(t, "schema"), str(t, "name")), *rc = rows_comment(x, str(s, "schema"), str(s, "name"));
	char *head = *rc ? xasprintf("%s: %s", sq, rc) : xstrdup("");
	struct buf l = { 0 };

	/* the checks: a type change, a NOT NULL that was not there (an explicit NULL is refused
	   even where the target column has a default) */
	json_array_foreach(cols, i, c) {
		tidx[i] = nidx[i] = -1;
		if (!(d = column(t, str(c, "name"))) || json_object_get(d, "generated"))
			continue;
		if (strcmp(str(c, "type"), str(d, "type")) != 0 && x->tc) {
			if (!(ck[n].cond = misfit(x, str(c, "name"), str(c, "type"), str(d, "type"), &ck[n].what))) {
				x->failed = 1;
				continue;
			}
			ck[n].col = str(c, "name");
			ck[n].from = str(c, "type");
			ck[n].to = str(d, "type");
			tidx[i] = n++;
		} else if (strcmp(str(c, "type"), str(d, "type")) != 0) {
			tidx[i] = -2;
		}
		if (json_is_true(json_object_get(d, "not_null")) && !json_is_true(json_object_get(c, "not_null"))) {
			char *qc = PQescapeIdentifier(x->tc ? x->tc : NULL, str(c, "name"), strlen(str(c, "name")));

			ck[n].col = str(c, "name");
			ck[n].cond = xasprintf("%s IS NULL", qc ? qc : "\"\"");
			ck[n].what = xstrdup("are NULL");
			PQfreemem(qc);
			nidx[i] = n++;
		}
	}
	run_checks(x, s, ck, n, &total, &why);
	table_head(key, head, sq, NULL, tq, NULL);
	buf_puts(&l, "  columns:");
	emit(&l, NULL);
	json_array_foreach(cols, i, c) {
		struct buf cm = { 0 };
		const char *name = str(c, "name");

		buf_puts(&cm, "");
		buf_puts(&l, "    ");
		yscalar(&l, name);
		d = column(t, name);
		if (!d) {
			char *cand = same_type_new(s, t, str(c, "type"));

			buf_puts(&l, ": ~");
			if (*cand)
				buf_printf(&cm, "dropped: not in the target (not copied); renamed? new in the target with "
				    "its type: %s: then write %s: NEW and delete the line of NEW", cand, name);
			else
				buf_puts(&cm, "dropped: not in the target (not copied)");
			free(cand);
		} else if (json_object_get(d, "generated")) {
			buf_puts(&l, ": ~");
			buf_puts(&cm, "generated in the target: computed there, not copied");
		} else {
			buf_puts(&l, ": ");
			yscalar(&l, name);
			if (tidx[i] != -1) {
				buf_printf(&cm, "cast %s -> %s: ", str(c, "type"), str(d, "type"));
				if (tidx[i] == -2 || total < 0)
					buf_puts(&cm, why ? why : "not checked");
				else if (ck[tidx[i]].bad == 0)
					buf_printf(&cm, "every value fits (%lld rows)", total);
				else
					buf_printf(&cm, "%lld of %lld rows %s: give an expression", ck[tidx[i]].bad, total,
					    ck[tidx[i]].what);
			}
			if (tidx[i] == -1) {
				char *e = enum_misfits(x, s, name, str(c, "type"));

				if (*e)
					buf_printf(&cm, "%s", e);
				free(e);
			}
			if (nidx[i] != -1) {
				buf_printf(&cm, "%sNOT NULL in the target, not in the source: ", cm.len ? "; " : "");
				if (total < 0)
					buf_puts(&cm, why ? why : "not checked");
				else if (ck[nidx[i]].bad == 0)
					buf_printf(&cm, "no NULL among %lld rows", total);
				else
					buf_printf(&cm, "%lld of %lld rows are NULL: give an expression (coalesce)",
					    ck[nidx[i]].bad, total);
			}
		}
		emit(&l, cm.data);
		buf_free(&cm);
	}
	/* the target's columns the source does not have */
	json_array_foreach(json_object_get(t, "columns"), i, d) {
		const char *name = str(d, "name");

		if (column(s, name))
			continue;
		buf_puts(&l, "    ");
		yscalar(&l, name);
		if (json_object_get(d, "generated")) {
			buf_puts(&l, ": {default: true}");
			emit(&l, "target-only generated column: computed by the target");
		} else if (json_object_get(d, "identity")) {
			buf_puts(&l, ": {default: true}");
			emit(&l, "target-only identity column: numbered by the target");
		} else if (json_object_get(d, "default")) {
			buf_puts(&l, ": {default: true}");
			emit(&l, "target-only column with a default: filled by its default (may be omitted)");
		} else if (json_is_true(json_object_get(d, "not_null"))) {
			buf_puts(&l, ": {expr: ~}");
			emit(&l, "target-only NOT NULL column without a default: give an expression over the source row (migrate refuses ~)");
		} else {
			buf_puts(&l, ": {default: true}");
			emit(&l, "target-only column without a default: left NULL (or give an expression)");
		}
	}
	for (int k = 0; k < n; k++) {
		free(ck[k].cond);
		free(ck[k].what);
	}
	free(ck);
	free(tidx);
	free(nidx);
	free(why);
	free(key);
	free(sq);
	free(tq);
	free(rc);
	free(head);
}

/* The movable table ids of m, in id order (NULL-terminated; free the array). */
static const char **
tables(struct model *m)
{
	const char **ids = model_ids(m), **out = xcalloc(model_count(m) + 1, sizeof *out);
	size_t n = 0;

	for (size_t i = 0; ids[i]; i++)
		if (movable(model_get(m, ids[i])))
			out[n++] = ids[i];
	free(ids);
	return out;
}

/* Read a model file; NULL after a message. */
static struct model *
load(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct model *m;

	if (!f) {
		warnx("%s: %s", path, strerror(errno));
		return NULL;
	}
	m = model_new();
	if (model_read(m, f, path) != 0) {
		model_free(m);
		m = NULL;
	}
	if (f != stdin)
		fclose(f);
	return m;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "staging-schema", required_argument, NULL, 't' },
		{ "source-name", required_argument, NULL, 'A' },
		{ "target-name", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctx x = { .staging = "old_schema" };
	const char *sfile = NULL, *tfile = NULL, *sconn = NULL, *tconn = NULL, *sname = NULL, *tname = NULL;
	const char **sids = NULL, **tids = NULL;
	int ch, rc = EX_OK;

	diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "S:T:s:d:", longopts, NULL)) != -1)
		switch (ch) {
		case 'S': sfile = optarg; break;
		case 'T': tfile = optarg; break;
		case 's': sconn = optarg; break;
		case 'd': tconn = optarg; break;
		case 't': x.staging = optarg; break;
		case 'A': sname = optarg; break;
		case 'B': tname = optarg; break;
		default: usage(USAGE);
		}
	if (optind != argc || !sfile || !tfile || !*x.staging)
		usage(USAGE);
	if (!(x.src = load(sfile)) || !(x.dst = load(tfile))) {
		rc = EX_SCHEMA;
		goto done;
	}
	sig_trap();
	if (sconn) {
		if (!(x.sc = pg_connect(sconn))) {
			rc = EX_UNREACHABLE;
			goto done;
		}
		if (!(x.rows = pg_query(x.sc, sql_map_rows, 0, NULL))) {
			rc = pg_failed(x.sc);
			goto done;
		}
	}
	if (tconn && !(x.tc = pg_connect(tconn))) {
		rc = EX_UNREACHABLE;
		goto done;
	}
	if (x.tc)
		sig_set_cancel(x.tc);
	sids = tables(x.src);
	tids = tables(x.dst);
	printf("# confiture schema-to-schema mapping: source %s -> target %s\n", sname ? sname : sfile, tname ? tname : tfile);
	printf("# Edit it, then: confiture migrate schema-to-schema migrate --mapping THIS_FILE\n");
	for (size_t i = 0; tids[i] && !sig_caught; i++) {
		json_t *t = model_get(x.dst, tids[i]), *s = model_get(x.src, tids[i]);

		if (s && movable(s)) {
			pair(&x, s, t);
		} else {
			char *key = table_key(t), *tq = model_qname(str(t, "schema"), str(t, "name"));

			table_head(key, NULL, NULL, "new table: only in the target, nothing to copy", tq, NULL);
			free(key);
			free(tq);
		}
	}
	for (size_t i = 0; sids[i] && !sig_caught; i++) {
		json_t *s = model_get(x.src, sids[i]), *t = model_get(x.dst, sids[i]);
		char *key, *sq, *rcm, *head;

		if (t && movable(t))
			continue;
		key = table_key(s);
		sq = model_qname(str(s, "schema"), str(s, "name"));
		rcm = rows_comment(&x, str(s, "schema"), str(s, "name"));
		head = *rcm ? xasprintf("%s: %s", sq, rcm) : xstrdup("");
		table_head(key, head, sq, NULL, NULL, "dropped table: only in the source, not copied");
		free(key);
		free(sq);
		free(rcm);
		free(head);
	}
	if (sig_caught)
		rc = 128 + sig_caught;
	else if (x.failed)
		rc = EX_FAIL;
done:
	if (x.tc)
		sig_set_cancel(NULL);
	free(sids);
	free(tids);
	PQclear(x.rows);
	PQfinish(x.sc);
	PQfinish(x.tc);
	if (x.src)
		model_free(x.src);
	if (x.dst)
		model_free(x.dst);
	if (rc == EX_OK || rc == EX_FAIL)
		finish_stdout();
	return rc;
}
