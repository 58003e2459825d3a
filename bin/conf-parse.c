/* conf-parse: SQL -> one JSON record per statement (what it creates, alters, drops, references). */
#include <getopt.h>
#include <stdio.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "jsonl.h"
#include "model.h"
#include "modelsql.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqlsrc.h"
#include "stmtinfo.h"

#define USAGE "conf-parse [-m] [--tree] [file ...]"

static int mflag, tflag;
static char obuf[1 << 16]; /* stdout's buffer */

/* The whole run: the search path the stream has set, and the exit status so far. */
struct run {
	struct spath sp;
	int rc;
	long nstmt, nbad;
	struct model *m;     /* with -m: the schema model so far */
	json_t *unmodeled;   /* with -m: the unmodeled records, in input order */
	json_t *unmod;       /* with -m: ids unmodeled statements created (an object used as a set) */
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

/* Whether the statement acts on or uses an object an unmodeled statement created: the model
   does not have it, so the statement cannot be folded (nor is it wrong). */
static int
on_unmodeled(struct run *r, const char *sql, json_t *tree)
{
	struct spath tmp = { 0 };
	struct stmtinfo si;
	int on = 0;

	if (json_object_size(r->unmod) == 0)
		return 0;
	/* read under the path in force before the statement, which the fold must see unchanged */
	for (size_t i = 0; i < r->sp.schemas.n; i++)
		strv_add(&tmp.schemas, r->sp.schemas.v[i]);
	for (size_t i = 0; i < r->sp.before.n; i++)
		strv_add(&tmp.before, r->sp.before.v[i]);
	tmp.in_block = r->sp.in_block;
	tmp.saved = r->sp.saved;
	tmp.nobodycheck = r->sp.nobodycheck;
	tmp.known = json_incref(r->sp.known);
	if (stmtinfo_get(tree, sql, &tmp, &si) == 0)
		on = any_in(r->unmod, &si.alters) || any_in(r->unmod, &si.drops) || any_in(r->unmod, &si.refs);
	stmtinfo_free(&si);
	spath_free(&tmp);
	return on;
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
	if (!not_schema(st->node ? st->node : "", st->flags))
		k = on_unmodeled(r, sql, tree) ? MSQL_UNMODELED : msql_fold(r->m, tree, &cx);
	/* after the fold: the statement is folded under the path in force before it */
	if (stmtinfo_get(tree, sql, &r->sp, &si) < 0)
		si.tag = "UNKNOWN";
	spwarn(st, &si);
	if (k == MSQL_ERR) {
		r->rc = EX_SCHEMA;
	} else if (k == MSQL_UNMODELED) {
		warnat(&st->pos, "warning: %s is not in the model", si.tag);
		/* a foreign table names its server, which no model record holds: it stays modeled */
		for (size_t i = 0; i < si.creates.n; i++)
			if (strncmp(si.creates.v[i], "server:", 7) != 0)
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

/* A statement libpg_query rejects: its message at the error's place in the original file. */
static void
syntax_error(const struct stmt *st, const char *sql, size_t len)
{
	struct sqlclass c;
	struct srcpos pos = st->pos;
	json_t *t;

	if (sql_classify_tree(sql, &c, &t) == 0) {
		/* parsed after all: only a statement the reader itself refused comes here */
		json_decref(t);
		warnat(&pos, "%s", *c.errmsg ? c.errmsg : "the statement could not be parsed");
		return;
	}
	if (c.errpos > 0)
		stmt_where(st, sql, st->off + (long long)utf8_bytes(sql, len, c.errpos - 1), &pos);
	warnat(&pos, "%s", c.errmsg);
}

/* Write a list under key unless it is empty, after a comma. */
static void
write_list(const char *key, const struct strv *v)
{
	if (v->n == 0)
		return;
	printf(",\"%s\":[", key);
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
	write_list("alters", &si->alters);
	printf(",\"col\":%ld", (long)st->pos.col);
	write_list("creates", &si->creates);
	write_list("drops", &si->drops);
	fputs_unlocked(",\"file\":", stdout);
	jsonl_write_str(st->pos.file);
	if (fp && *fp) {
		fputs_unlocked(",\"fingerprint\":", stdout);
		jsonl_write_str(fp);
	}
	printf(",\"line\":%ld", (long)st->pos.line);
	write_list("references", &si->refs);
	fputs_unlocked(",\"sql\":", stdout);
	jsonl_write_str(sql);
	fputs_unlocked(",\"tag\":", stdout);
	jsonl_write_str(si->tag);
	fputs_unlocked(!(st->flags & ST_NOTX) && si->tx ? ",\"tx\":true}" : ",\"tx\":false}", stdout);
	jsonl_end();
}

/* The record of one parsed statement. */
static void
put_stmt(struct run *r, const struct stmt *st, const char *sql, json_t *tree, const char *fp)
{
	struct stmtinfo si;
	json_t *rec, *canon;

	if (stmtinfo_get(tree, sql, &r->sp, &si) < 0) {
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

/* Read one input ("-" = stdin); statements, psql lines and COPY data as the reader hands them out. */
static void
parse_file(struct run *r, const char *path)
{
	struct sqlsrc *s = sqlsrc_open(path);
	struct stmt st;
	int k;

	if (!s) {
		if (r->rc == EX_OK)
			r->rc = EX_FAIL;
		return;
	}
	sqlsrc_keep_tree(s, 1);
	/* a marker is a hard boundary: one run reports every broken statement */
	sqlsrc_set_resume(s, 1);
	sqlsrc_keep_fingerprint(s, !mflag);
	while (!sig_caught && (k = sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			/* the reader said why; a stream it cannot cut into statements cannot go on */
			if (!sig_caught)
				r->rc = EX_SCHEMA;
			break;
		}
		if (k == SQ_SKIP) {
			r->nbad++;
			r->rc = EX_SCHEMA;
			sqlsrc_release(s);
			continue;
		}
		/* COPY ... FROM stdin is a statement too: the reader passes over its data */
		if (k == SQ_STMT || k == SQ_COPY) {
			const char *p = sqlsrc_text(s, st.off);
			char *sql = xstrndup(p, (size_t)st.len);
			json_t *tree = sqlsrc_tree(s);

			/* the server's message shows the bytes after it as psql sends them: the ';' too */
			if (bad_utf8(&st, p, (size_t)st.len + !(st.flags & ST_UNTERM)) < 0) {
				r->nbad++;
				r->rc = EX_SCHEMA;
			} else if ((st.flags & ST_PARSED) && tree) {
				if (mflag)
					fold(r, &st, sql, tree);
				else
					put_stmt(r, &st, sql, tree, sqlsrc_fingerprint(s));
				r->nstmt++;
			} else {
				syntax_error(&st, sql, (size_t)st.len);
				r->nbad++;
				r->rc = EX_SCHEMA;
			}
			free(sql);
		}
		sqlsrc_release(s);
	}
	/* a cut stream: what it held is described all the same, and the status says it is not whole */
	if (!sig_caught && k == SQ_END && sqlsrc_check_frame(s, strcmp(path, "-") == 0 ? "<stdin>" : path) < 0)
		r->rc = EX_SCHEMA;
	sqlsrc_close(s);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "model", no_argument, NULL, 'm' },
		{ "tree", no_argument, NULL, 't' },
		{ "role", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct run r = { .rc = EX_OK };
	int c;

	diag_init(argv[0]);
	while ((c = getopt_long(argc, argv, "mU:", longopts, NULL)) != -1)
		switch (c) {
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
	/* read whole by its consumer: a flush per record costs a write per statement */
	jsonl_buffered(1);
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf); /* glibc takes a size only with a buffer */
	spath_init(&r.sp);
	if (mflag) {
		r.m = msql_new_model();
		r.unmodeled = json_array();
		r.unmod = json_object();
	}
	if (argc == 0)
		parse_file(&r, "-");
	for (int i = 0; i < argc && !sig_caught; i++)
		parse_file(&r, argv[i]);
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
	model_free(r.m);
	json_decref(r.unmodeled);
	json_decref(r.unmod);
	pgq_exit();
	finish_stdout();
	return r.rc;
}
