/* seeddb: levels 4 (tables, types, resolvers run) and 5 (seeds loaded and resolved), in one
   transaction that is rolled back: the database is left as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "jsonl.h"
#include "pgconn.h"
#include "seed.h"
#include "sig.h"

/* Rows reported per check in standard mode; comprehensive reports every one. */
#define STANDARD_ROWS 10

static void
rec_pos(json_t *rec, struct srcpos *pos)
{
	pos->file = json_string_value(json_object_get(rec, "file"));
	pos->line = (long)json_integer_value(json_object_get(rec, "line"));
	pos->col = (long)json_integer_value(json_object_get(rec, "col"));
}

/* Run sql; on an error the SQLSTATE and message go to state and msg (msg freed by the caller). */
static PGresult *
try(PGconn *pg, const char *sql, int n, const char *const *params, char state[6], char **msg)
{
	PGresult *err = NULL, *r = pg_query_state(pg, sql, n, params, state, &err);

	*msg = NULL;
	if (!r && err) {
		const char *m = PQresultErrorField(err, PG_DIAG_MESSAGE_PRIMARY);
		const char *d = PQresultErrorField(err, PG_DIAG_MESSAGE_DETAIL);

		*msg = d ? xasprintf("%s (%s)", m ? m : "", d) : xstrdup(m ? m : "");
		PQclear(err);
	} else if (!r) {
		*msg = xstrdup(PQerrorMessage(pg));
	}
	return r;
}

/* The columns of a table in the database: name -> format_type, as an object; NULL if absent. */
static json_t *
db_columns(PGconn *pg, const char *schema, const char *table)
{
	char *q = model_qname(schema ? schema : "public", table);
	const char *p[] = { q };
	PGresult *r = pg_query(pg, "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
	    "FROM pg_catalog.pg_attribute a WHERE a.attrelid = pg_catalog.to_regclass($1) AND a.attnum > 0 "
	    "AND NOT a.attisdropped", 1, p);
	json_t *o = NULL;

	free(q);
	if (r && PQntuples(r) > 0) {
		o = json_object();
		for (int i = 0; i < PQntuples(r); i++)
			json_object_set_new(o, PQgetvalue(r, i, 0), json_string(PQgetvalue(r, i, 1)));
	}
	PQclear(r);
	return o;
}

/* A model table against the database: every column there, of the same type. */
static void
table_in_db(struct seedcheck *c, PGconn *pg, json_t *t)
{
	const char *schema = json_string_value(json_object_get(t, "schema"));
	const char *name = json_string_value(json_object_get(t, "name"));
	json_t *dbc = db_columns(pg, schema, name), *col;
	struct srcpos pos;
	size_t i;

	rec_pos(t, &pos);
	if (!dbc) {
		seed_report(c, 4, SV_ERROR, "MISSING_FK_MAPPING", &pos, 0, NULL, "table %s.%s is not in the database",
		    schema, name);
		return;
	}
	json_array_foreach(json_object_get(t, "columns"), i, col) {
		const char *cn = json_string_value(json_object_get(col, "name"));
		const char *ty = json_string_value(json_object_get(col, "type"));
		const char *dt = json_string_value(json_object_get(dbc, cn));

		if (!dt)
			seed_report(c, 4, SV_ERROR, "MISSING_FK_MAPPING", &pos, 0, NULL,
			    "column %s.%s.%s is not in the database", schema, name, cn);
		else if (ty && strcmp(ty, dt) != 0)
			seed_report(c, 4, SV_ERROR, "MISSING_FK_MAPPING", &pos, 0, NULL,
			    "column %s.%s.%s is %s in the database, %s in the schema", schema, name, cn, dt, ty);
	}
	json_decref(dbc);
}

/* The call of a resolver: SELECT schema.name(). */
static char *
call_of(PGconn *pg, json_t *fn)
{
	char *q = model_qname(json_string_value(json_object_get(fn, "schema")), json_string_value(json_object_get(fn, "name")));
	char *qi = pg_quote_ident(pg, q);
	char *sql = xasprintf("SELECT %s()", qi);

	free(q);
	free(qi);
	return sql;
}

/* The seed row of a prep table whose column col holds val (the last such row: the duplicate). */
static const struct seedrow *
row_by_value(const struct seedcheck *c, const char *table, const char *col, const char *val, int dup)
{
	const struct seedrow *found = NULL;
	int seen = 0;

	for (size_t i = 0; i < c->nst; i++) {
		const struct seedstmt *s = &c->st[i];

		if (!s->table || strcmp(s->table, table) != 0)
			continue;
		for (size_t k = 0; k < s->cols.n; k++) {
			if (strcmp(s->cols.v[k], col) != 0)
				continue;
			for (size_t r = 0; r < s->nrows; r++)
				if (s->rows[r].vals && s->rows[r].vals[k] && strcmp(s->rows[r].vals[k], val) == 0) {
					found = &s->rows[r];
					if (++seen == 2 && dup)
						return found;
				}
		}
	}
	return found;
}

/* From a message "... (Key (col)=(val) already exists.)": col and val, newly allocated; 0 if found. */
static int
key_of(const char *msg, char **col, char **val)
{
	const char *k = strstr(msg, "Key ("), *e, *v, *ve;

	if (!k || !(e = strstr(k + 5, ")=(")))
		return -1;
	v = e + 3;
	if (!(ve = strstr(v, ") ")) && !(ve = strrchr(v, ')')))
		return -1;
	*col = xstrndup(k + 5, (size_t)(e - k - 5));
	*val = xstrndup(v, (size_t)(ve - v));
	if (strchr(*col, ',')) {
		free(*col);
		free(*val);
		return -1;
	}
	return 0;
}

/* From a message "... (Failing row contains (a, b, c).)": the seed row of the prep table whose id is
   one of the values (a resolved row carries its prep row's id), or NULL. */
static const struct seedrow *
failing_row(const struct seedcheck *c, const char *table, const char *msg)
{
	const char *p = strstr(msg, "Failing row contains (");
	const struct seedrow *row = NULL;

	if (!p)
		return NULL;
	for (p += 22; *p && *p != ')' && !row;) {
		size_t n = strcspn(p, ",)");
		char *v = xstrndup(p, n);

		row = seed_row_by_id(c, table, v);
		free(v);
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return row;
}

/* The pattern of a constraint violation, by SQLSTATE. */
static const char *
violation(const char *state)
{
	if (strcmp(state, "23505") == 0)
		return "UNIQUE_CONSTRAINT_VIOLATION";
	if (strcmp(state, "23514") == 0)
		return "CHECK_CONSTRAINT_VIOLATION";
	if (strcmp(state, "23502") == 0)
		return "NOT_NULL_VIOLATION";
	if (strcmp(state, "23503") == 0)
		return "FOREIGN_KEY_VIOLATION";
	return NULL;
}

static int
level4(struct seedcheck *c, PGconn *pg, json_t *failed)
{
	json_t **preps = c->o.prep_pattern && c->m ? seed_prep_tables(c) : xcalloc(1, sizeof(json_t *));
	char state[6];
	char *msg;

	/* after SIGINT or SIGTERM (the running query cancelled) nothing more is run */
	for (size_t i = 0; preps[i] && !sig_caught; i++) {
		const char *name = json_string_value(json_object_get(preps[i], "name"));
		json_t *final = seed_table(c, c->o.catalog, name), *fn = seed_resolver(c, name);

		table_in_db(c, pg, preps[i]);
		if (final)
			table_in_db(c, pg, final);
		if (fn) {
			char *sql = call_of(pg, fn);
			PGresult *r;
			struct srcpos pos;

			if (pg_run(pg, "SAVEPOINT seedcheck_l4") != EX_OK) {
				free(sql);
				free(preps);
				return pg_failed(pg);
			}
			r = try(pg, sql, 0, NULL, state, &msg);
			rec_pos(fn, &pos);
			if (!r) {
				seed_report(c, 4, SV_ERROR, "RESOLVER_ERROR", &pos, 0, NULL, "%s fails: ERROR %s: %s",
				    sql + 7, state, msg);
				json_object_set_new(failed, name, json_true());
			}
			PQclear(r);
			free(msg);
			free(sql);
			if (pg_run(pg, "ROLLBACK TO SAVEPOINT seedcheck_l4") != EX_OK) {
				free(preps);
				return pg_failed(pg);
			}
		}
	}
	free(preps);
	/* every seed target, prep or not: a table and columns the database has, each said once; the
	   statements that lack them are not loaded at level 5, where they would only fail again */
	{
		json_t *seen = json_object(), *told = json_object();

		for (size_t i = 0; i < c->nst && !sig_caught; i++) {
			struct seedstmt *s = &c->st[i];
			char *key;
			json_t *dbc;

			if (!s->table)
				continue;
			key = xasprintf("%s.%s", s->schema ? s->schema : s->path.n ? s->path.v[0] : "", s->table);
			if (!(dbc = json_object_get(seen, key))) {
				dbc = db_columns(pg, s->schema, s->table);
				/* unqualified after the seeds' SET search_path: the first of its schemas with the table */
				for (size_t k = 0; !s->schema && !dbc && k < s->path.n; k++)
					dbc = db_columns(pg, s->path.v[k], s->table);
				json_object_set_new(seen, key, dbc ? dbc : json_null());
				dbc = json_object_get(seen, key);
				if (json_is_null(dbc))
					seed_report(c, 4, SV_ERROR, "UNKNOWN_TABLE", &s->pos, 0, NULL,
					    "table %s%s%s is not in the database", s->schema ? s->schema : "", s->schema ? "." : "",
					    s->table);
			}
			s->absent = json_is_null(dbc);
			for (size_t k = 0; k < s->cols.n && !json_is_null(dbc); k++) {
				char *ck;

				if (json_object_get(dbc, s->cols.v[k]))
					continue;
				s->absent = 1;
				ck = xasprintf("%s %s", key, s->cols.v[k]);
				if (!json_object_get(told, ck))
					seed_report(c, 4, SV_ERROR, "UNKNOWN_COLUMN", &s->pos, 0, NULL,
					    "column %s of %s is not in the database", s->cols.v[k], s->table);
				json_object_set_new(told, ck, json_true());
				free(ck);
			}
			free(key);
		}
		json_decref(seen);
		json_decref(told);
	}
	return EX_OK;
}

/* Rows of s whose id an earlier seed row of the table has: with fewer rows loaded than written
   (ON CONFLICT DO NOTHING), the server dropped them without a word. seen: "table id" -> "file:line". */
static void
dropped(struct seedcheck *c, const struct seedstmt *s, json_t *seen, long loaded)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct seedrow *row = &s->rows[i];
		char *key;
		json_t *prev;

		if (!row->id)
			continue;
		key = xasprintf("%s %s", s->table, row->id);
		prev = json_object_get(seen, key);
		if (prev && loaded >= 0 && (size_t)loaded < s->nrows) {
			seed_report(c, 5, SV_ERROR, "UNIQUE_CONSTRAINT_VIOLATION", &row->pos, 0, NULL,
			    "row %s: the id is seeded already at %s, and ON CONFLICT drops this row", row->id,
			    json_string_value(prev));
		} else if (!prev) {
			char *where = xasprintf("%s:%ld", row->pos.file, row->pos.line);

			json_object_set_new(seen, key, jsonl_str(where));
			free(where);
		}
		free(key);
	}
}

/* The place of character position cpos (1-based, the server's) in a statement's text. */
static void
stmt_char_pos(const struct seedstmt *s, long cpos, struct srcpos *out)
{
	const unsigned char *p = (const unsigned char *)s->sql;
	long chars = 1;

	*out = s->pos;
	for (; *p && chars < cpos; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		chars++;
		if (*p == '\n') {
			out->line++;
			out->col = 1;
		} else {
			out->col++;
		}
	}
}

/* Load one seed statement; its error is placed at the row it names when it can be found: the
   key of a unique or foreign-key violation, the id in a failing row, the data line of a COPY, or
   the server's position in the statement. */
static int
load(struct seedcheck *c, PGconn *pg, struct seedstmt *s, json_t *seen)
{
	PGresult *r;
	const char *pat, *sq, *m, *d, *ctx, *ep;
	const struct seedrow *row = NULL;
	struct srcpos at = s->pos;
	char *msg, *col, *val;
	ExecStatusType st;

	if (pg_run(pg, "SAVEPOINT seedcheck_l5") != EX_OK)
		return pg_failed(pg);
	r = PQexec(pg, s->sql);
	if (s->copydata && PQresultStatus(r) == PGRES_COPY_IN) {
		PGresult *more;

		PQclear(r);
		if (PQputCopyData(pg, s->copydata, (int)s->copylen) != 1 || PQputCopyEnd(pg, NULL) != 1)
			return pg_failed(pg);
		r = PQgetResult(pg);
		while ((more = PQgetResult(pg)) != NULL)
			PQclear(more);
	}
	st = PQresultStatus(r);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		long loaded = atol(PQcmdTuples(r));

		PQclear(r);
		dropped(c, s, seen, loaded);
		return pg_run(pg, "RELEASE SAVEPOINT seedcheck_l5");
	}
	if (pg_lost(pg, r)) {
		pg_report(r, &s->pos);
		PQclear(r);
		return EX_UNREACHABLE;
	}
	sq = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	d = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
	ctx = PQresultErrorField(r, PG_DIAG_CONTEXT);
	ep = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
	msg = d ? xasprintf("%s (%s)", m ? m : "", d) : xstrdup(m ? m : PQerrorMessage(pg));
	pat = violation(sq ? sq : "");
	if (key_of(msg, &col, &val) == 0) {
		row = row_by_value(c, s->table, col, val, 1);
		free(col);
		free(val);
	}
	if (!row)
		row = failing_row(c, s->table, msg);
	/* COPY's context names the data line: "COPY tb_x, line 2, column price: ..." */
	if (!row && s->copydata && ctx && (ctx = strstr(ctx, ", line ")) != NULL) {
		long n = strtol(ctx + 7, NULL, 10);

		if (n >= 1 && (size_t)n <= s->nrows)
			row = &s->rows[n - 1];
	}
	if (row)
		at = row->pos;
	else if (ep && atol(ep) > 0)
		stmt_char_pos(s, atol(ep), &at);
	seed_report(c, 5, SV_ERROR, pat ? pat : "SEED_LOAD_ERROR", &at, 0, NULL, "ERROR %s: %s", sq ? sq : "", msg);
	free(msg);
	PQclear(r);
	return pg_run(pg, "ROLLBACK TO SAVEPOINT seedcheck_l5");
}

/* The prep tables in the order their resolvers run: a final table after those it references. */
static json_t **
resolve_order(struct seedcheck *c)
{
	json_t **preps = seed_prep_tables(c), **out;
	size_t n = 0, done = 0;
	char *placed;

	while (preps[n])
		n++;
	out = xcalloc(n + 1, sizeof *out);
	placed = xcalloc(n + 1, 1);
	while (done < n) {
		size_t pick = n;

		for (size_t i = 0; i < n && pick == n; i++) {
			json_t *final = seed_table(c, c->o.catalog, json_string_value(json_object_get(preps[i], "name"))), *k;
			size_t j;
			int ready = 1;

			if (placed[i])
				continue;
			json_array_foreach(json_object_get(final, "constraints"), j, k) {
				const char *ref = json_string_value(json_object_get(k, "ref_table"));

				for (size_t o = 0; ref && o < n; o++) {
					const char *pn = json_string_value(json_object_get(preps[o], "name"));
					char *fid = model_qname(c->o.catalog, pn), *id = xasprintf("table:%s", fid);

					if (o != i && !placed[o] && strcmp(ref, id) == 0)
						ready = 0;
					free(fid);
					free(id);
				}
			}
			if (ready)
				pick = i;
		}
		/* a cycle: the first left, and its resolver says what fails */
		for (size_t i = 0; pick == n && i < n; i++)
			if (!placed[i])
				pick = i;
		placed[pick] = 1;
		out[done++] = preps[pick];
	}
	free(placed);
	free(preps);
	return out;
}

/* Run the query over (prep, final) and report each row it returns at its seed row. */
static int
rows_check(struct seedcheck *c, PGconn *pg, json_t *p, const char *sql, int sev, const char *pattern,
    const char *what)
{
	const char *name = json_string_value(json_object_get(p, "name"));
	PGresult *r = pg_query(pg, sql, 0, NULL);
	int n;
	struct srcpos ppos;

	if (!r)
		return pg_failed(pg);
	rec_pos(p, &ppos);
	n = PQntuples(r);
	for (int i = 0; i < n; i++) {
		const struct seedrow *row = seed_row_by_id(c, name, PQgetvalue(r, i, 0));

		if (i == STANDARD_ROWS && !c->o.comprehensive) {
			seed_report(c, 5, sev, pattern, &ppos, 0, "--mode comprehensive lists every row",
			    "%d more rows of %s.%s", n - i, c->o.prep, name);
			break;
		}
		if (PQnfields(r) > 1)
			seed_report(c, 5, sev, pattern, row ? &row->pos : &ppos, 0, NULL, "row %s: %s (%s = '%s' names no row)",
			    PQgetvalue(r, i, 0), what, PQfname(r, 1), PQgetvalue(r, i, 1));
		else
			seed_report(c, 5, sev, pattern, row ? &row->pos : &ppos, 0, NULL, "row %s: %s", PQgetvalue(r, i, 0), what);
	}
	PQclear(r);
	return EX_OK;
}

/* Whether a prep table's rows are worth checking after resolution: its resolver ran, and so did
   those of the tables its final table references (else every row would be reported again). */
static int
checkable(struct seedcheck *c, const char *name, json_t *failed)
{
	json_t *final = seed_table(c, c->o.catalog, name), *k;
	const char *fname;
	json_t *v;
	size_t i;

	if (json_object_get(failed, name))
		return 0;
	json_array_foreach(json_object_get(final, "constraints"), i, k) {
		const char *ref = json_string_value(json_object_get(k, "ref_table"));

		json_object_foreach(failed, fname, v) {
			char *q = model_qname(c->o.catalog, fname), *id = xasprintf("table:%s", q);
			int hit = ref && strcmp(ref, id) == 0;

			free(q);
			free(id);
			if (hit)
				return 0;
		}
	}
	return 1;
}

static int
level5(struct seedcheck *c, PGconn *pg, json_t *failed)
{
	json_t **order;
	int rc = EX_OK;
	char state[6];
	char *msg;

	json_t *seen = json_object();

	/* a seed's own COMMIT would end the check's transaction, and keep what it loaded */
	for (size_t i = 0; i < c->nst && rc == EX_OK && !sig_caught; i++)
		if (!c->st[i].txctl && !c->st[i].absent)
			rc = load(c, pg, &c->st[i], seen);
	json_decref(seen);
	if (rc != EX_OK || !c->o.prep_pattern || !c->m)
		return rc;
	order = resolve_order(c);
	for (size_t i = 0; order[i] && rc == EX_OK && !sig_caught; i++) {
		const char *name = json_string_value(json_object_get(order[i], "name"));
		json_t *fn = seed_resolver(c, name);
		char *sql, *col, *val;
		PGresult *r;
		struct srcpos pos;
		const char *pat;

		/* one that failed at level 4 was reported there: it fails here too */
		if (!fn || json_object_get(failed, name))
			continue;
		sql = call_of(pg, fn);
		if ((rc = pg_run(pg, "SAVEPOINT seedcheck_l5")) != EX_OK) {
			free(sql);
			break;
		}
		r = try(pg, sql, 0, NULL, state, &msg);
		if (r) {
			PQclear(r);
			rc = pg_run(pg, "RELEASE SAVEPOINT seedcheck_l5");
			free(sql);
			continue;
		}
		rec_pos(fn, &pos);
		pat = violation(state);
		if (key_of(msg, &col, &val) == 0) {
			const struct seedrow *row = row_by_value(c, name, col, val, 1);

			if (row)
				pos = row->pos;
			free(col);
			free(val);
		} else {
			const struct seedrow *row = failing_row(c, name, msg);

			if (row)
				pos = row->pos;
		}
		seed_report(c, 5, SV_ERROR, pat ? pat : "RESOLVER_ERROR", &pos, 0, NULL, "%s fails: ERROR %s: %s", sql + 7,
		    state, msg);
		json_object_set_new(failed, name, json_true());
		free(msg);
		free(sql);
		rc = pg_run(pg, "ROLLBACK TO SAVEPOINT seedcheck_l5");
	}
	for (size_t i = 0; order[i] && rc == EX_OK && !sig_caught; i++) {
		json_t *p = order[i], *col;
		const char *name = json_string_value(json_object_get(p, "name"));
		json_t *final = seed_table(c, c->o.catalog, name);
		char *pq = model_qname(c->o.prep, name), *fq = model_qname(c->o.catalog, name), *sql, *what;
		size_t k;

		if (!final || !seed_column(final, "id") || !checkable(c, name, failed)) {
			free(pq);
			free(fq);
			continue;
		}
		json_array_foreach(json_object_get(p, "columns"), k, col) {
			const char *cn = json_string_value(json_object_get(col, "name"));
			char *fk = seed_fk_target(cn);

			if (!fk || !seed_column(final, fk)) {
				free(fk);
				continue;
			}
			char *qc = model_ident(cn), *qf = model_ident(fk);

			sql = xasprintf("SELECT p.id::text, p.%s::text AS %s FROM %s p JOIN %s f ON f.id = p.id "
			    "WHERE f.%s IS NULL AND p.%s IS NOT NULL ORDER BY 1", qc, qc, pq, fq, qf, qc);
			free(qc);
			free(qf);
			what = xasprintf("%s.%s.%s is NULL after resolution", c->o.catalog, name, fk);
			rc = rows_check(c, pg, p, sql, SV_CRITICAL, "NULL_FK_AFTER_RESOLUTION", what);
			free(sql);
			free(what);
			free(fk);
			if (rc != EX_OK)
				break;
		}
		if (rc == EX_OK) {
			sql = xasprintf("SELECT p.id::text FROM %s p WHERE NOT EXISTS (SELECT FROM %s f WHERE f.id = p.id) "
			    "ORDER BY 1", pq, fq);
			what = xasprintf("not in %s.%s after resolution", c->o.catalog, name);
			rc = rows_check(c, pg, p, sql, SV_ERROR, "MISSING_ROW_AFTER_RESOLUTION", what);
			free(sql);
			free(what);
		}
		free(pq);
		free(fq);
	}
	free(order);
	return rc;
}

int
seed_dblevels(struct seedcheck *c, PGconn *pg, const char *schema, int max, int stop_on_critical)
{
	json_t *failed = json_object(); /* prep table names whose resolver failed */
	int rc;

	if ((rc = apply_check_server(pg)) != EX_OK || (rc = pg_run(pg, "BEGIN")) != EX_OK) {
		json_decref(failed);
		return rc;
	}
	if (schema) {
		struct sqlsrc *s = sqlsrc_open(schema);
		struct apply a = { .conn = pg, .in_tx = 1 };

		if (!s) {
			pg_run(pg, "ROLLBACK");
			json_decref(failed);
			return EX_FAIL;
		}
		rc = apply_stream(&a, s);
		sqlsrc_close(s);
		if (rc != EX_OK) {
			warnx("the schema could not be loaded: nothing was checked against the database");
			pg_run(pg, "ROLLBACK");
			json_decref(failed);
			return rc == EX_FAIL ? EX_SCHEMA : rc;
		}
	}
	c->level_crit = 0;
	rc = level4(c, pg, failed);
	if (rc == EX_OK && max >= 5 && !sig_caught && !(stop_on_critical && c->level_crit)) {
		c->level_crit = 0;
		rc = level5(c, pg, failed);
	} else if (rc == EX_OK && max >= 5 && !sig_caught) {
		warnx("stopped after level 4: CRITICAL findings");
	}
	/* nothing stays: the seeds, the resolved rows and a loaded schema go with the transaction */
	if (PQtransactionStatus(pg) != PQTRANS_IDLE)
		pg_run(pg, "ROLLBACK");
	json_decref(failed);
	return rc;
}
