/* seedschema: levels 2 (prep and final tables) and 3 (resolvers), from the schema model. */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "seed.h"
#include "sqlclass.h"

/* Where a model record is written. */
static void
rec_pos(const struct seedcheck *c, json_t *rec, struct srcpos *pos)
{
	(void)c;
	pos->file = json_string_value(json_object_get(rec, "file"));
	pos->line = (long)json_integer_value(json_object_get(rec, "line"));
	pos->col = (long)json_integer_value(json_object_get(rec, "col"));
}

static const char *
coltype(json_t *col)
{
	const char *t = json_string_value(json_object_get(col, "type"));

	return t ? t : "";
}

static int
is_bigint(const char *t)
{
	return strcmp(t, "bigint") == 0 || strcmp(t, "integer") == 0;
}

/* Whether the final column fk references its own table. */
static int
self_ref(json_t *final, const char *fk)
{
	size_t i;
	json_t *k;

	json_array_foreach(json_object_get(final, "constraints"), i, k) {
		json_t *cols = json_object_get(k, "columns");
		const char *ty = json_string_value(json_object_get(k, "type")), *ref;

		ref = json_string_value(json_object_get(k, "ref_table"));
		if (ty && strcmp(ty, "foreign key") == 0 && json_array_size(cols) == 1
		    && strcmp(json_string_value(json_array_get(cols, 0)), fk) == 0 && ref
		    && strcmp(ref, json_string_value(json_object_get(final, "id"))) == 0)
			return 1;
	}
	return 0;
}

/* Whether a resolver's body updates the final table (the second pass of a self-reference). */
static int
updates(json_t *fn, const char *schema, const char *table)
{
	const char *body = json_string_value(json_object_get(fn, "body"));
	char *qn = model_qname(schema, table);
	char *a[2] = { xasprintf("UPDATE %s.%s", schema, table), xasprintf("UPDATE %s", qn) };
	int yes = 0;

	/* a plain text search, upper or lower case: the name bare, or quoted as it must be ("App".t) */
	for (int k = 0; body && k < 2 && !yes; k++)
		for (const char *p = body; *p && !yes; p++)
			yes = strncasecmp(p, a[k], strlen(a[k])) == 0;
	free(a[0]);
	free(a[1]);
	free(qn);
	return yes;
}

void
seed_level2(struct seedcheck *c)
{
	json_t **preps = seed_prep_tables(c);

	for (size_t i = 0; preps[i]; i++) {
		json_t *p = preps[i], *final, *col, *fn;
		const char *name = json_string_value(json_object_get(p, "name"));
		const char *base = strncmp(name, "tb_", 3) == 0 ? name + 3 : name;
		struct srcpos pos;
		size_t k;

		rec_pos(c, p, &pos);
		final = seed_table(c, c->o.catalog, name);
		if (!final) {
			seed_report(c, 2, SV_ERROR, "MISSING_FK_MAPPING", &pos, 0, NULL,
			    "prep table %s.%s has no final table %s.%s", c->o.prep, name, c->o.catalog, name);
			continue;
		}
		{
			char *pk = xasprintf("pk_%s", base);
			json_t *idc = seed_column(final, "id"), *pkc = seed_column(final, pk);
			struct srcpos fp;

			rec_pos(c, final, &fp);
			if (!idc || strcmp(coltype(idc), "uuid") != 0 || !pkc || !is_bigint(coltype(pkc)))
				seed_report(c, 2, SV_WARNING, "MISSING_FK_MAPPING", &fp, 0, NULL,
				    "final table %s.%s lacks the trinity: id UUID and %s BIGINT", c->o.catalog, name, pk);
			free(pk);
		}
		fn = seed_resolver(c, name);
		json_array_foreach(json_object_get(p, "columns"), k, col) {
			const char *cn = json_string_value(json_object_get(col, "name"));
			char *fk = seed_fk_target(cn);
			json_t *fc;

			if (!fk)
				continue;
			fc = seed_column(final, fk);
			if (!fc)
				seed_report(c, 2, SV_ERROR, "MISSING_FK_MAPPING", &pos, 0, NULL,
				    "%s.%s.%s has no BIGINT column %s in %s.%s", c->o.prep, name, cn, fk, c->o.catalog, name);
			else if (strcmp(coltype(col), "uuid") != 0 || !is_bigint(coltype(fc)))
				seed_report(c, 2, SV_ERROR, "MISSING_FK_MAPPING", &pos, 0, NULL,
				    "%s.%s.%s is %s and %s.%s.%s is %s: UUID maps to BIGINT", c->o.prep, name, cn, coltype(col),
				    c->o.catalog, name, fk, coltype(fc));
			else if (self_ref(final, fk) && (json_is_true(json_object_get(fc, "not_null"))
			    || (fn && !updates(fn, c->o.catalog, name)))) {
				struct srcpos rp;

				rec_pos(c, fn && !json_is_true(json_object_get(fc, "not_null")) ? fn : final, &rp);
				seed_report(c, 2, SV_WARNING, "MISSING_SELF_REFERENCE_HANDLING", &rp, 0,
				    "insert the rows first, then UPDATE the self-reference from the prep table",
				    "%s.%s.%s references its own table: %s", c->o.catalog, name, fk,
				    json_is_true(json_object_get(fc, "not_null")) ? "it is NOT NULL, so a row cannot come before its parent"
				    : "the resolver sets it in one pass");
			}
			free(fk);
		}
	}
	free(preps);
}

/* One SQL statement of a resolver body, with the file line it starts on. */
struct rq {
	const char *query;
	long line;
	int owned;         /* query allocated here (a LANGUAGE sql statement, an EXECUTE's string) */
	int dynamic;       /* an EXECUTE of a computed string: what it runs is unknown */
};

/* The SQL of an EXECUTE of one string constant ('...', quotes doubled), allocated; NULL if the
   string is computed (||, format(), a variable). */
static char *
const_string(const char *e)
{
	struct buf b = { 0 };
	const char *p;
	char *r;

	while (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r')
		e++;
	if (*e != '\'')
		return NULL;
	for (p = e + 1; *p; p++) {
		if (*p == '\'' && p[1] == '\'')
			p++;
		else if (*p == '\'')
			break;
		buf_add(&b, p, 1);
	}
	if (*p != '\'')
		goto no;
	for (p++; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	if (*p)
		goto no;
	buf_add(&b, "", 1);
	r = xstrdup(b.data);
	buf_free(&b);
	return r;
no:
	buf_free(&b);
	return NULL;
}

static void
collect(json_t *n, long lineno, struct rq **out, size_t *nout)
{
	const char *key, *key2;
	json_t *v, *v2;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			collect(v, lineno, out, nout);
		return;
	}
	if (!json_is_object(n))
		return;
	if (json_object_get(n, "lineno"))
		lineno = (long)json_integer_value(json_object_get(n, "lineno"));
	json_object_foreach(n, key, v) {
		if (strcmp(key, "PLpgSQL_stmt_dynexecute") == 0) {
			/* EXECUTE 'constant SQL' is read as that SQL; a computed one cannot be judged */
			const char *e = json_string_value(json_object_get(json_object_get(json_object_get(v, "query"),
			    "PLpgSQL_expr"), "query"));
			char *q = e ? const_string(e) : NULL;
			long l = json_object_get(v, "lineno") ? (long)json_integer_value(json_object_get(v, "lineno")) : lineno;

			*out = xrealloc(*out, (*nout + 1) * sizeof **out);
			(*out)[*nout] = (struct rq){ .query = q ? q : (e ? e : ""), .line = l, .owned = q != NULL, .dynamic = !q };
			(*nout)++;
			/* its USING and INTO parts are expressions like any other */
			json_object_foreach(v, key2, v2)
				if (strcmp(key2, "query") != 0)
					collect(v2, l, out, nout);
		} else if (strcmp(key, "PLpgSQL_expr") == 0 && json_string_value(json_object_get(v, "query"))) {
			*out = xrealloc(*out, (*nout + 1) * sizeof **out);
			(*out)[*nout] = (struct rq){ .query = json_string_value(json_object_get(v, "query")), .line = lineno };
			(*nout)++;
		} else {
			collect(v, lineno, out, nout);
		}
	}
}

/* A resolver's file: its text, and where the body of the function starts in it. */
struct fnsrc {
	struct buf text;   /* the file, empty when it cannot be read */
	long body_off;     /* byte offset of the body, -1 if not found */
	long body_line;    /* its line (the CREATE line when not found) */
};

/* Read the file of a function and find its body after its CREATE line. */
static void
fn_source(const struct seedcheck *c, json_t *fn, struct fnsrc *fs)
{
	const char *file = json_string_value(json_object_get(fn, "file"));
	const char *body = json_string_value(json_object_get(fn, "body"));
	long line = (long)json_integer_value(json_object_get(fn, "line")), l = 1;
	char *path, chunk[8192], *at;
	FILE *f;
	size_t n;

	memset(fs, 0, sizeof *fs);
	fs->body_off = -1;
	fs->body_line = line;
	if (!file || !body)
		return;
	path = *file == '/' || !c->o.root ? xstrdup(file) : xasprintf("%s/%s", c->o.root, file);
	f = fopen(path, "r");
	free(path);
	if (!f)
		return;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&fs->text, chunk, n);
	fclose(f);
	if (!fs->text.data)
		return;
	at = fs->text.data;
	while (l < line && (at = strchr(at, '\n')) != NULL)
		at++, l++;
	if (at && (at = strstr(at, body)) != NULL) {
		fs->body_off = at - fs->text.data;
		fs->body_line = 1;
		for (const char *p = fs->text.data; p < at; p++)
			fs->body_line += *p == '\n';
	}
}

/* The file offset of byte loc of a statement of the body that starts on body line lineno; -1 if unknown. */
static long
query_off(const struct fnsrc *fs, json_t *fn, const char *query, long lineno, long loc)
{
	const char *body = json_string_value(json_object_get(fn, "body")), *p, *q;
	long l = 1;

	if (fs->body_off < 0 || !body)
		return -1;
	for (p = body; l < lineno && (p = strchr(p, '\n')) != NULL; l++)
		p++;
	if (!p || !(q = strstr(p, query)))
		return -1;
	return fs->body_off + (long)(q - body) + loc;
}

/* Note a fix: the bytes [off, off+oldlen) of file become new. */
static void
add_fix(struct seedcheck *c, const char *file, long off, size_t oldlen, const char *new)
{
	struct seedfix *x;

	c->fixes = xrealloc(c->fixes, (c->nfixes + 1) * sizeof *c->fixes);
	x = &c->fixes[c->nfixes++];
	x->file = xstrdup(file);
	x->off = off;
	x->oldlen = oldlen;
	x->repl = xstrdup(new);
}

/* The relations a statement writes and reads. */
static void
relations(json_t *n, json_t *w, json_t *rd)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			relations(v, w, rd);
		return;
	}
	if (!json_is_object(n))
		return;
	json_object_foreach(n, key, v) {
		if (strcmp(key, "RangeVar") == 0) {
			json_array_append(rd, v);
		} else if ((strcmp(key, "InsertStmt") == 0 || strcmp(key, "UpdateStmt") == 0 || strcmp(key, "DeleteStmt") == 0)) {
			const char *k2;
			json_t *v2;

			/* the target is the RangeVar's body itself; the rest is read */
			json_object_foreach(v, k2, v2)
				if (strcmp(k2, "relation") == 0)
					json_array_append(w, v2);
				else
					relations(v2, w, rd);
		} else {
			relations(v, w, rd);
		}
	}
}

/* Whether a column reference named col stands in a join condition or a WHERE clause. */
static int
joined(json_t *n, const char *col, int inqual)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(n)) {
		json_array_foreach(n, i, v)
			if (joined(v, col, inqual))
				return 1;
		return 0;
	}
	if (!json_is_object(n))
		return 0;
	json_object_foreach(n, key, v) {
		if (strcmp(key, "ColumnRef") == 0 && inqual) {
			json_t *f = json_object_get(v, "fields");
			const char *last = json_string_value(json_object_get(json_object_get(json_array_get(f,
			    json_array_size(f) - 1), "String"), "sval"));

			if (last && strcmp(last, col) == 0)
				return 1;
		} else if (joined(v, col, inqual || strcmp(key, "quals") == 0 || strcmp(key, "whereClause") == 0)) {
			return 1;
		}
	}
	return 0;
}

/* The length of an unquoted name at p, 0 if it is not one. */
static size_t
ident_len(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '_' || p[n] == '$')
		n++;
	return n;
}

/* The referenced table and its key column of the final table's foreign key fk: "table:..." id, key. */
static int
fk_ref(const struct seedcheck *c, json_t *final, const char *fk, json_t **ref, const char **key)
{
	size_t i, j;
	json_t *k, *rk;

	json_array_foreach(json_object_get(final, "constraints"), i, k) {
		json_t *cols = json_object_get(k, "columns"), *rc = json_object_get(k, "ref_columns");
		const char *ty = json_string_value(json_object_get(k, "type"));
		const char *rt = json_string_value(json_object_get(k, "ref_table"));

		if (!ty || strcmp(ty, "foreign key") != 0 || json_array_size(cols) != 1 || !rt
		    || strcmp(json_string_value(json_array_get(cols, 0)), fk) != 0)
			continue;
		*ref = model_get(c->m, rt);
		*key = json_string_value(json_array_get(rc, 0));
		/* REFERENCES t without a column list: t's primary key */
		json_array_foreach(json_object_get(*ref, "constraints"), j, rk)
			if (!*key && json_string_value(json_object_get(rk, "type"))
			    && strcmp(json_string_value(json_object_get(rk, "type")), "primary key") == 0)
				*key = json_string_value(json_array_get(json_object_get(rk, "columns"), 0));
		return *ref && *key ? 0 : -1;
	}
	return -1;
}

/*
 * The fix of a UUID foreign key a resolver copies as it is: in INSERT INTO final (..., fk, ...)
 * SELECT ..., A.fk_x_id, ... FROM prep.P A, the value becomes r_x.key and
 * LEFT JOIN final_ref r_x ON r_x.id = A.fk_x_id follows the prep table. 0 when the fixes were
 * noted, -1 when the statement is not of that form as written.
 */
static int
fk_fix(struct seedcheck *c, const struct fnsrc *fs, json_t *fn, json_t *p, const struct rq *q, json_t *tree,
    const char *cn, const char *fk)
{
	json_t *ins = json_object_get(tree, "InsertStmt"), *sel, *col, *from, *ref = NULL;
	json_t *final = seed_table(c, c->o.catalog, json_string_value(json_object_get(p, "name")));
	const char *key = NULL, *alias = NULL, *x = fk + 3;
	long at = -1, cref = -1, off;
	size_t i, k = (size_t)-1, rlen = 0;
	struct buf b = { 0 };
	char *qref, *val;

	sel = json_object_get(json_object_get(ins, "selectStmt"), "SelectStmt");
	if (!ins || !sel || !final || fk_ref(c, final, fk, &ref, &key) < 0)
		return -1;
	json_array_foreach(json_object_get(ins, "cols"), i, col)
		if (json_string_value(json_object_get(json_object_get(col, "ResTarget"), "name"))
		    && strcmp(json_string_value(json_object_get(json_object_get(col, "ResTarget"), "name")), fk) == 0)
			k = i;
	col = json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(sel, "targetList"), k),
	    "ResTarget"), "val"), "ColumnRef");
	if (!col)
		return -1;
	cref = (long)json_integer_value(json_object_get(col, "location"));
	/* the prep table in FROM, and its alias */
	json_array_foreach(json_object_get(sel, "fromClause"), i, from) {
		json_t *rv = json_object_get(from, "RangeVar");
		const char *sn = json_string_value(json_object_get(rv, "schemaname"));

		if (rv && sn && strcmp(sn, c->o.prep) == 0
		    && strcmp(json_string_value(json_object_get(rv, "relname")), json_string_value(json_object_get(p, "name"))) == 0) {
			at = (long)json_integer_value(json_object_get(rv, "location"));
			alias = json_string_value(json_object_get(json_object_get(json_object_get(rv, "alias"), "Alias"), "aliasname"));
			if (!alias)
				alias = json_string_value(json_object_get(json_object_get(rv, "alias"), "aliasname"));
			rlen = strlen(sn) + 1 + strlen(json_string_value(json_object_get(rv, "relname")));
		}
	}
	if (at < 0)
		return -1;
	/* the column as written must be A.fk_x_id (or fk_x_id), the table prep.P [AS] A, all unquoted */
	buf_printf(&b, "%s%s%s", alias ? alias : "", alias ? "." : "", cn);
	if (strncmp(q->query + cref, b.data, b.len) != 0 || ident_len(q->query + cref + b.len - strlen(cn)) != strlen(cn)) {
		buf_free(&b);
		return -1;
	}
	{
		const char *e = q->query + at + rlen;

		while (*e == ' ' || *e == '\t' || *e == '\n')
			e++;
		if (alias && strncasecmp(e, "as ", 3) == 0)
			for (e += 3; *e == ' ' || *e == '\t'; e++)
				;
		if (alias && (strncmp(e, alias, strlen(alias)) != 0 || ident_len(e) != strlen(alias))) {
			buf_free(&b);
			return -1;
		}
		rlen = (size_t)(e - (q->query + at)) + (alias ? strlen(alias) : 0);
	}
	off = query_off(fs, fn, q->query, q->line, cref);
	if (off < 0 || query_off(fs, fn, q->query, q->line, at) < 0) {
		buf_free(&b);
		return -1;
	}
	qref = model_qname(json_string_value(json_object_get(ref, "schema")), json_string_value(json_object_get(ref, "name")));
	val = xasprintf("r_%s.%s", x, key);
	add_fix(c, json_string_value(json_object_get(fn, "file")), off, b.len, val);
	free(val);
	val = xasprintf(" LEFT JOIN %s r_%s ON r_%s.id = %s", qref, x, x, b.data);
	add_fix(c, json_string_value(json_object_get(fn, "file")), query_off(fs, fn, q->query, q->line, at) + (long)rlen, 0, val);
	free(val);
	free(qref);
	buf_free(&b);
	return 0;
}

/* The statements of a LANGUAGE sql body, each with its body line; -1 after RESOLVER_SYNTAX. */
static int
sql_body(struct seedcheck *c, json_t *fn, const struct srcpos *fpos, struct rq **qs, size_t *nq)
{
	const char *body = json_string_value(json_object_get(fn, "body"));
	PgQuerySplitResult sp;

	if (!body)
		body = "";
	pgq_used();
	sp = pg_query_split_with_parser(body);
	if (sp.error) {
		seed_report(c, 3, SV_ERROR, "RESOLVER_SYNTAX", fpos, 0, NULL, "the body of %s does not parse: %s",
		    json_string_value(json_object_get(fn, "name")), sp.error->message);
		pg_query_free_split_result(sp);
		return -1;
	}
	*qs = xcalloc((size_t)sp.n_stmts + 1, sizeof **qs);
	for (int i = 0; i < sp.n_stmts; i++) {
		const char *q = body + sp.stmts[i]->stmt_location, *e = q + sp.stmts[i]->stmt_len;
		long line = 1;

		/* the statement from its first word: the split keeps the blanks after the ';' before */
		while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		for (const char *b = body; b < q; b++)
			line += *b == '\n';
		(*qs)[*nq] = (struct rq){ .query = xstrndup(q, (size_t)(e - q)), .line = line, .owned = 1 };
		(*nq)++;
	}
	pg_query_free_split_result(sp);
	return 0;
}

static void
resolver(struct seedcheck *c, json_t *p, json_t *fn)
{
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *body = json_string_value(json_object_get(fn, "body"));
	const char *lang = json_string_value(json_object_get(fn, "language"));
	int sql = lang && strcmp(lang, "sql") == 0;
	PgQueryPlpgsqlParseResult res;
	json_t *funcs = NULL, **trees = NULL, *col;
	json_error_t je;
	struct rq *qs = NULL;
	size_t nq = 0, k;
	struct fnsrc fs;
	long l0;
	struct srcpos fpos;

	rec_pos(c, fn, &fpos);
	fn_source(c, fn, &fs);
	l0 = fs.body_line;
	if (sql) {
		/* a LANGUAGE sql body is a list of SQL statements, not a PL/pgSQL block */
		if (sql_body(c, fn, &fpos, &qs, &nq) < 0) {
			buf_free(&fs.text);
			return;
		}
	} else {
		char *src = xasprintf("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $seedcheck$%s$seedcheck$",
		    body ? body : "");

		pgq_used();
		res = pg_query_parse_plpgsql(src);
		free(src);
		if (res.error) {
			seed_report(c, 3, SV_ERROR, "RESOLVER_SYNTAX", &fpos, 0, NULL, "the body of %s does not parse: %s",
			    json_string_value(json_object_get(fn, "name")), res.error->message);
			pg_query_free_plpgsql_parse_result(res);
			buf_free(&fs.text);
			return;
		}
		funcs = json_loads(res.plpgsql_funcs, 0, &je);
		pg_query_free_plpgsql_parse_result(res);
		collect(funcs, 1, &qs, &nq);
	}
	trees = xcalloc(nq + 1, sizeof *trees);
	for (size_t i = 0; i < nq; i++) {
		struct sqlclass cl;
		json_t *w = json_array(), *rd = json_array(), *rv;
		struct srcpos pos = { fpos.file, l0 + qs[i].line - 1, 0 };
		size_t j;

		if (qs[i].dynamic || sql_classify_tree(qs[i].query, &cl, &trees[i]) != 0) {
			trees[i] = NULL;
			json_decref(w);
			json_decref(rd);
			continue;
		}
		relations(trees[i], w, rd);
		for (int pass = 0; pass < 2; pass++)
			json_array_foreach(pass ? rd : w, j, rv) {
				const char *sn = json_string_value(json_object_get(rv, "schemaname"));
				const char *rn = json_string_value(json_object_get(rv, "relname"));
				char *sugg;

				if (!sn || strcmp(sn, c->o.catalog) == 0 || (pass && strcmp(sn, c->o.prep) == 0))
					continue;
				struct srcpos at = pos;
				long loc = (long)json_integer_value(json_object_get(rv, "location"));

				/* the line of the name inside the statement */
				for (long b = 0; b < loc && qs[i].query[b]; b++)
					at.line += qs[i].query[b] == '\n';
				long off = query_off(&fs, fn, qs[i].query, qs[i].line, loc);
				const char *want = pass ? c->o.prep : c->o.catalog;
				int fixable = off >= 0 && (size_t)off + strlen(sn) <= fs.text.len
				    && memcmp(fs.text.data + off, sn, strlen(sn)) == 0;

				/* the fix: the schema name as written, when it is written bare, becomes the right one */
				if (fixable)
					add_fix(c, fpos.file, off, strlen(sn), want);
				sugg = xasprintf("write %s.%s", want, rn);
				seed_report(c, 3, SV_CRITICAL, "SCHEMA_DRIFT_IN_RESOLVER", &at, fixable, sugg,
				    "%s %s %s.%s: %s", json_string_value(json_object_get(fn, "name")), pass ? "reads" : "writes",
				    sn, rn, pass ? "a resolver reads the prep and final schemas only" : "a resolver writes the final schema only");
				free(sugg);
			}
		json_decref(w);
		json_decref(rd);
	}
	json_array_foreach(json_object_get(p, "columns"), k, col) {
		const char *cn = json_string_value(json_object_get(col, "name"));
		char *fk = seed_fk_target(cn);
		int ok = 0;
		struct srcpos pos = fpos;

		if (!fk)
			continue;
		/* a computed EXECUTE may do the join: not judged */
		for (size_t i = 0; i < nq && !ok; i++)
			ok = qs[i].dynamic || (trees[i] && joined(trees[i], cn, 0));
		if (!ok) {
			char *base = xstrdup(fk + 3);
			char *sugg = xasprintf("LEFT JOIN %s.tb_%s ON tb_%s.id = p.%s, and insert its pk_%s as %s", c->o.catalog,
			    base, base, cn, base, fk);
			int fixable = 0;

			/* at the statement that writes the table: the first one */
			if (nq > 0)
				pos.line = l0 + qs[0].line - 1, pos.col = 0;
			for (size_t i = 0; i < nq && !fixable; i++)
				fixable = trees[i] && fk_fix(c, &fs, fn, p, &qs[i], trees[i], cn, fk) == 0;
			seed_report(c, 3, SV_ERROR, "MISSING_FK_TRANSFORMATION", &pos, fixable, sugg,
			    "%s does not join %s.%s.%s to turn it into %s", json_string_value(json_object_get(fn, "name")),
			    c->o.prep, name, cn, fk);
			free(sugg);
			free(base);
		}
		free(fk);
	}
	for (size_t i = 0; i < nq; i++) {
		json_decref(trees[i]);
		if (qs[i].owned)
			free((char *)qs[i].query);
	}
	free(trees);
	free(qs);
	json_decref(funcs);
	buf_free(&fs.text);
}

void
seed_level3(struct seedcheck *c)
{
	json_t **preps = seed_prep_tables(c);

	for (size_t i = 0; preps[i]; i++) {
		json_t *p = preps[i], *fn;
		const char *name = json_string_value(json_object_get(p, "name"));
		struct srcpos pos;

		fn = seed_resolver(c, name);
		if (!fn) {
			rec_pos(c, p, &pos);
			seed_report(c, 3, SV_ERROR, "MISSING_RESOLVER_FUNCTION", &pos, 0, NULL,
			    "prep table %s.%s has no resolver fn_resolve_%s", c->o.prep, name, name);
			continue;
		}
		resolver(c, p, fn);
	}
	free(preps);
}
