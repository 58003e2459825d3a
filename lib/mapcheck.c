/* conf-map's checks of the source's values against the target's columns: counted by queries
   through the staging foreign tables (type changes, new NOT NULLs) or on the source itself
   (enum labels the target lacks, row counts), never assumed. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapcheck.h"
#include "pgconn.h"
#include "s2splan.h"
#include "sqltext.h"

/* The comment of a source table's row count: planner statistics, or counted when the table was
   never analyzed and is small; "" without -s. */
char *
map_rows_comment(struct mapctx *x, const char *schema, const char *name)
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
char *
map_misfit(struct mapctx *x, const char *col, const char *from, const char *to, char **what)
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
	/* anything else: the cast itself is tried (map_run_checks), not a condition of the shared scan */
	*what = xasprintf("do not convert to %s", to);
	cond = xstrdup("");
done:
	PQfreemem(q);
	return cond;
}

/* The rows of ft whose column col does not cast to type to (from its type from), counted; -1
   after a message. First the cast of the whole column in one statement: when it succeeds (the
   usual answer) every value fits. When it fails, each distinct value is tried by a function
   made for the pair, which catches the error: a subtransaction per distinct value. */
static long long
cast_misfits(struct mapctx *x, const char *ft, const char *col, const char *from, const char *to)
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
void
map_run_checks(struct mapctx *x, json_t *s, struct mapcheck *ck, int n, long long *total, char **why)
{
	char *st = s2s_staging_of(x->staging, map_str(s, "schema")), *ft = model_qname(st, map_str(s, "name"));
	const char *params[2] = { st, map_str(s, "name") };
	struct buf sql = { 0 };
	PGresult *r;

	*total = -1;
	if (!n)
		goto done;
	if (!x->tc) {
		*why = xstrdup("not checked: analyze without the target (-d)");
		goto done;
	}
	r = pg_query(x->tc, sql_map_foreign_table, 2, params);
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

/* For a column of an enum type both sides have by one name: the labels of the source's type the
   target's lacks, and how many rows of the source hold them, in words ("" when none). The staging
   table cannot read such a value (postgres_fdw reads it with the target's type), so the source
   counts them itself. */
char *
map_enum_misfits(struct mapctx *x, json_t *s, const char *col, const char *type)
{
	char *id = xasprintf("type:%s", type);
	json_t *a = model_get(x->src, id), *b = model_get(x->dst, id), *l, *k;
	struct buf miss = { 0 }, sql = { 0 };
	json_t *mj = json_array();
	size_t i, j, n = 0;
	char *out;

	free(id);
	buf_puts(&miss, "");
	if (!a || !b || strcmp(map_str(a, "form"), "enum") != 0 || strcmp(map_str(b, "form"), "enum") != 0) {
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
		char *qc = PQescapeIdentifier(x->sc, col, strlen(col)), *qs = PQescapeIdentifier(x->sc, map_str(s, "schema"),
		    strlen(map_str(s, "schema"))), *qt = PQescapeIdentifier(x->sc, map_str(s, "name"), strlen(map_str(s, "name")));
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
