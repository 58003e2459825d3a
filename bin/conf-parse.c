/* conf-parse: SQL -> one JSON record per statement (what it creates, alters, drops, references). */
#include <errno.h>
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
#include "pfold.h"
#include "pgqpool.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqlsrc.h"
#include "stmtinfo.h"

#define USAGE "conf-parse [-m] [--tree] [file ...]"

static int mflag, tflag;
static struct pgqpool *pool; /* -j N, N > 1, without -m: the statements are parsed on N threads */
static char obuf[1 << 16]; /* stdout's buffer */

/* The whole run: the search path the stream has set, and the exit status so far. */
struct run {
	struct spath sp;
	int rc;
	long nstmt, nbad;
	struct pfold f;      /* with -m: the fold into the model */
	int depth;           /* psql \i nesting */
};

/* A statement failed: exit 4 (with -m, a transaction block it is in is aborted). */
static void
failed(struct run *r)
{
	if (mflag)
		pfold_failed(&r->f);
	else
		r->rc = EX_SCHEMA;
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
	pfold_spwarn(st, &si);
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
		canon = model_canon(rec);
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
		if (!r->f.aborted)
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
					pfold_step(&r->f, &st, sql, tree);
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

/* Parser threads beyond this many shorten nothing: the reading thread's own work (reading, the
   search path walk, the records) is about a quarter of the whole. */
#define MAXJOBS_DEFAULT 4

/*
 * The default -j: the online CPUs, 1 to MAXJOBS_DEFAULT. On two idle cores two parsers shorten the
 * run by a fifth; on a machine busy with other work a second thread costs a third more CPU time
 * and gains nothing (-j 1 is then the better choice, the caller's to make). A guess from the load
 * as conf-parse starts was tried and dropped: a snapshot of the running processes (procs_running)
 * caught a passing kernel thread on an idle machine one run in three, and the load average lags.
 */
static long
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAXJOBS_DEFAULT ? MAXJOBS_DEFAULT : n;
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
	long jobs = 0;
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
	if (jobs == 0 && !mflag)
		jobs = default_jobs();
	if (!mflag && jobs > 1)
		pool = pgqpool_new(jobs > 64 ? 63 : (int)jobs - 1); /* this thread parses too */
	if (mflag)
		pfold_init(&r.f, &r.sp, &r.rc);
	if (argc == 0)
		parse_file(&r, "-");
	for (int i = 0; i < argc && !sig_caught; i++)
		parse_file(&r, argv[i]);
	if (mflag)
		pfold_end(&r.f, !sig_caught);
	if (sig_caught) {
		warnx("interrupted");
		r.rc = 128 + sig_caught;
	} else if (mflag) {
		pfold_write(&r.f);
	}
	pgqpool_free(pool);
	pfold_free(&r.f);
	spath_free(&r.sp);
	pgq_exit();
	finish_stdout();
	return r.rc;
}
