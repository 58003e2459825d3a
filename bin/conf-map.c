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
#include "mapcheck.h"
#include "model.h"
#include "pgconn.h"
#include "sig.h"
#include "sqltext.h"

#define USAGE "conf-map -S source.jsonl -T target.jsonl [-s source-conninfo] [-d target-conninfo] " \
	"[--staging-schema name] [--source-name text] [--target-name text]"
/* the column where comments start, so that a file's comments line up */
#define COMMENT_COL 36

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

/* The column named name of table record t, or NULL. */
static json_t *
column(json_t *t, const char *name)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(t, "columns"), i, c)
		if (strcmp(map_str(c, "name"), name) == 0)
			return c;
	return NULL;
}

/* Whether the table record takes part: a plain or partitioned table, not a partition (its rows
   travel through its parent) and not a foreign table. */
static int
movable(json_t *t)
{
	return strcmp(map_str(t, "kind"), "table") == 0 && !json_object_get(t, "partition_of")
	    && strcmp(map_str(t, "relkind"), "foreign") != 0;
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
	return strcmp(map_str(t, "schema"), "public") == 0 ? xstrdup(map_str(t, "name")) : model_qname(map_str(t, "schema"), map_str(t, "name"));
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
		if (!column(s, map_str(c, "name")) && strcmp(map_str(c, "type"), type) == 0 && !json_object_get(c, "generated"))
			buf_printf(&b, "%s%s", b.len ? ", " : "", map_str(c, "name"));
	return b.data;
}

/* The mapping of a table present on both sides. */
static void
pair(struct mapctx *x, json_t *s, json_t *t)
{
	json_t *cols = json_object_get(s, "columns"), *c, *d;
	size_t ncols = json_array_size(cols), i;
	struct mapcheck *ck = xcalloc(2 * ncols + 1, sizeof *ck);
	int *tidx = xcalloc(ncols + 1, sizeof *tidx), *nidx = xcalloc(ncols + 1, sizeof *nidx), n = 0;
	long long total = -1;
	char *why = NULL, *key = table_key(t), *sq = model_qname(map_str(s, "schema"), map_str(s, "name"));
	char *tq = model_qname(map_str(t, "schema"), map_str(t, "name")), *rc = map_rows_comment(x, map_str(s, "schema"), map_str(s, "name"));
	char *head = *rc ? xasprintf("%s: %s", sq, rc) : xstrdup("");
	struct buf l = { 0 };

	/* the checks: a type change, a NOT NULL that was not there (an explicit NULL is refused
	   even where the target column has a default) */
	json_array_foreach(cols, i, c) {
		tidx[i] = nidx[i] = -1;
		if (!(d = column(t, map_str(c, "name"))) || json_object_get(d, "generated"))
			continue;
		if (strcmp(map_str(c, "type"), map_str(d, "type")) != 0 && x->tc) {
			if (!(ck[n].cond = map_misfit(x, map_str(c, "name"), map_str(c, "type"), map_str(d, "type"), &ck[n].what))) {
				x->failed = 1;
				continue;
			}
			ck[n].col = map_str(c, "name");
			ck[n].from = map_str(c, "type");
			ck[n].to = map_str(d, "type");
			tidx[i] = n++;
		} else if (strcmp(map_str(c, "type"), map_str(d, "type")) != 0) {
			tidx[i] = -2;
		}
		if (json_is_true(json_object_get(d, "not_null")) && !json_is_true(json_object_get(c, "not_null"))) {
			char *qc = PQescapeIdentifier(x->tc ? x->tc : NULL, map_str(c, "name"), strlen(map_str(c, "name")));

			ck[n].col = map_str(c, "name");
			ck[n].cond = xasprintf("%s IS NULL", qc ? qc : "\"\"");
			ck[n].what = xstrdup("are NULL");
			PQfreemem(qc);
			nidx[i] = n++;
		}
	}
	map_run_checks(x, s, ck, n, &total, &why);
	table_head(key, head, sq, NULL, tq, NULL);
	buf_puts(&l, "  columns:");
	emit(&l, NULL);
	json_array_foreach(cols, i, c) {
		struct buf cm = { 0 };
		const char *name = map_str(c, "name");

		buf_puts(&cm, "");
		buf_puts(&l, "    ");
		yscalar(&l, name);
		d = column(t, name);
		if (!d) {
			char *cand = same_type_new(s, t, map_str(c, "type"));

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
				buf_printf(&cm, "cast %s -> %s: ", map_str(c, "type"), map_str(d, "type"));
				if (tidx[i] == -2 || total < 0)
					buf_puts(&cm, why ? why : "not checked");
				else if (ck[tidx[i]].bad == 0)
					buf_printf(&cm, "every value fits (%lld rows)", total);
				else
					buf_printf(&cm, "%lld of %lld rows %s: give an expression", ck[tidx[i]].bad, total,
					    ck[tidx[i]].what);
			}
			if (tidx[i] == -1) {
				char *e = map_enum_misfits(x, s, name, map_str(c, "type"));

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
		const char *name = map_str(d, "name");

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
	struct mapctx x = { .staging = "old_schema" };
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
			char *key = table_key(t), *tq = model_qname(map_str(t, "schema"), map_str(t, "name"));

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
		sq = model_qname(map_str(s, "schema"), map_str(s, "name"));
		rcm = map_rows_comment(&x, map_str(s, "schema"), map_str(s, "name"));
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
