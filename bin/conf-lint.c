/* conf-lint: migration safety and schema hygiene rules over SQL, read from the parse tree. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pg_query.h>

#include "config.h"
#include "lint.h"
#include "sig.h"
#include "sqlclass.h"
#include "sqlsrc.h"

#define USAGE "conf-lint [-j] [--format gcc|json|github|sarif] [--select RULES] [--ignore RULES]\n" \
	"\t[--fail-on error|warning|info|never] [--pg-version N] [--assume-in-transaction | --conf-migrate]\n" \
	"\t[-m MODEL] [-C DIR] [-e ENV | -c FILE] [--list-rules] [FILE ...]"

static int nbad;   /* statements that did not parse */
static int cmflag; /* --conf-migrate */

static void
syntax_error(const struct stmt *st, const char *sql, size_t len)
{
	nbad++;
	stmt_syntax_error(st, sql, len);
}

/* Lint the statement records of conf-parse (JSON Lines with "sql", "file", "line", "col"): each
   statement is parsed again from its text; -1 after a message on a line that is not a record. */
static int
lint_records(struct linter *l, const char *name, const char *data, size_t n)
{
	const char *p = data, *e = data + n;
	long ln = 0;
	int rc = 0;

	while (p < e && !sig_caught) {
		const char *nl = memchr(p, '\n', (size_t)(e - p)), *le = nl ? nl : e;
		json_error_t err;
		json_t *r;
		const char *sql, *file;

		ln++;
		if (le == p) {
			p = le + 1;
			continue;
		}
		if (!(r = json_loadb(p, (size_t)(le - p), 0, &err))) {
			warnat(&(struct srcpos){ name, ln, err.column > 0 ? err.column : 1 }, "not a record of conf-parse: %s", err.text);
			return -1;
		}
		p = nl ? nl + 1 : e;
		sql = json_string_value(json_object_get(r, "sql"));
		file = json_string_value(json_object_get(r, "file"));
		if (sql) {
			struct stmt st = { .kind = SQ_STMT, .len = (long long)strlen(sql),
				.pos = { file ? file : name, (long)json_integer_value(json_object_get(r, "line")),
					(long)json_integer_value(json_object_get(r, "col")) } };
			PgQueryParseResult pr;
			json_t *tree = NULL, *stmts;

			pgq_used();
			pr = pg_query_parse(sql);
			if (pr.error)
				syntax_error(&st, sql, strlen(sql));
			else if ((tree = json_loads(pr.parse_tree, 0, NULL))) {
				stmts = json_object_get(tree, "stmts");
				if (json_array_size(stmts) == 1)
					st.flags |= ST_PARSED;
			}
			lint_stmt(l, &st, (st.flags & ST_PARSED) ? json_object_get(json_array_get(json_object_get(tree, "stmts"), 0), "stmt") : NULL,
				sql, sql, 0);
			json_decref(tree);
			pg_query_free_parse_result(pr);
		}
		json_decref(r);
	}
	return rc;
}

/* --conf-migrate: how conf-migrate(1) runs this file (a migration). It drops a plain BEGIN and
   COMMIT around the whole file (*skip1, *skip2: their offsets, else -1), runs the file in one
   transaction unless a statement cannot run in one, then statement by statement, and refuses a
   file that mixes both kinds. */
static void
runner_view(struct linter *l, const char *name, const struct buf *b, long long *skip1, long long *skip2)
{
	struct sqlsrc *s = sqlsrc_mem(name, b->data ? b->data : "", b->len);
	struct stmt st;
	long long first = -1, last = -1;
	int k, ffl = 0, lfl = 0;
	long n = 0, notx = 0;

	while (!sig_caught && (k = sqlsrc_next(s, &st)) != SQ_END && k != SQ_ERROR) {
		if (k != SQ_STMT && k != SQ_COPY)
			continue;
		if (first < 0) {
			first = st.off;
			ffl = st.flags;
		}
		last = st.off;
		lfl = st.flags;
		n++;
		notx += !!(st.flags & ST_NOTX);
		sqlsrc_release(s);
	}
	sqlsrc_close(s);
	if (n >= 2 && (ffl & ST_TXBEGIN) && !(ffl & ST_TXMODES) && (lfl & ST_TXEND)) {
		*skip1 = first;
		*skip2 = last;
		n -= 2;
	}
	lint_next_file(l, notx == 0, notx > 0 && n > notx);
}

/* Lint one input; -1 when it could not be read whole. */
static int
lint_input(struct linter *l, const char *path)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct buf b = { 0 };
	struct sqlsrc *s;
	struct stmt st;
	long long gapfrom = -1, skip1 = -1, skip2 = -1, total;
	int k = SQ_ERROR, rc = 0, nogap = 0;
	size_t i;

	/* the whole input is kept anyway (the comments between statements are read from it) */
	if (read_file(path, &b) < 0)
		return -1;
	for (i = 0; i < b.len && b.data[i] && strchr(" \t\r\n", b.data[i]); i++)
		;
	/* no SQL statement begins with '{': this is a stream of conf-parse's records */
	if (i < b.len && b.data[i] == '{') {
		rc = lint_records(l, name, b.data + i, b.len - i);
		buf_free(&b);
		return rc;
	}
	if (cmflag)
		runner_view(l, name, &b, &skip1, &skip2);
	s = sqlsrc_mem(name, b.data ? b.data : "", b.len);
	total = (long long)b.len;
	buf_free(&b);
	sqlsrc_keep_tree(s, 1);
	sqlsrc_set_resume(s, 1);
	/* the text is not released while the stream is read: the comments between two statements
	   (ignore directives) are read from it when the second one comes */
	while (!sig_caught && (k = sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			rc = -1;
			break;
		}
		if (k == SQ_SKIP) {
			nbad++;
			nogap = 1;
			continue;
		}
		if ((k == SQ_STMT || k == SQ_COPY) && (st.off == skip1 || st.off == skip2)) {
			gapfrom = st.off + st.len; /* the runner's own BEGIN or COMMIT */
			continue;
		}
		if (k == SQ_STMT || k == SQ_COPY) {
			const char *p = sqlsrc_text(s, st.off);
			const char *gap = gapfrom >= 0 ? sqlsrc_text(s, gapfrom) : p;
			size_t gaplen = gapfrom >= 0 ? (size_t)(st.off - gapfrom) : 0;
			json_t *tree = sqlsrc_tree(s);

			if (nogap) {
				gap = p;
				gaplen = 0;
				nogap = 0;
			} else if (gapfrom < 0) {
				/* the first statement: the comments before it are at the start of the stream,
				   which the reader has not released either */
				gap = sqlsrc_text(s, 0);
				gaplen = (size_t)st.off;
			}
			if (!((st.flags & ST_PARSED) && tree)) {
				char *sql = xstrndup(p, (size_t)st.len);

				syntax_error(&st, sql, (size_t)st.len);
				free(sql);
			}
			lint_stmt(l, &st, (st.flags & ST_PARSED) ? tree : NULL, p, gap, gaplen);
			gapfrom = st.off + st.len;
			/* the reader releases the data of a COPY as it passes over it: the next gap is
			   the data, without comments */
			if (k == SQ_COPY)
				nogap = 1;
		}
	}
	/* the comments after the last statement ("DROP TABLE t; -- squawk-ignore ban-drop-table") */
	if (!sig_caught && k == SQ_END && gapfrom >= 0 && !nogap && total > gapfrom)
		lint_tail(l, sqlsrc_text(s, gapfrom), (size_t)(total - gapfrom));
	if (!sig_caught && k == SQ_END && sqlsrc_check_frame(s, name) < 0)
		rc = -1;
	sqlsrc_close(s);
	return rc;
}

/* Set every rule name names to severity sev (-1: its default, warning for a rule off by
   default); the number of rules named. */
static int
set_rules(const char *name, int *sev, int to)
{
	int n = 0;

	for (int r = 0; lint_rules[r].id; r++)
		if (lint_rule_match(name, r)) {
			sev[r] = to >= 0 ? to : lint_rules[r].sev ? lint_rules[r].sev : SEV_WARNING;
			n++;
		}
	return n;
}

/* Apply a comma- or space-separated list of rule names to sev: on (at its default severity, or
   warning for a rule off by default) or off. Returns -1 after a message on an unknown name. */
static int
rule_list(const char *list, int *sev, int on, const char *what)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ", ");
		char *id = xstrndup(p, n);

		if (n && set_rules(id, sev, on ? -1 : SEV_OFF) == 0) {
			warnx("%s: no rule named %s", what, id);
			free(id);
			return -1;
		}
		free(id);
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

struct settings {
	struct lintopt o;
	int fail;         /* lowest severity that makes the exit status 1 (SEV_OFF + 4: never) */
	int fail_set;
	char *tenant;
};

static int
cfg_err(const char *file, const struct ynode *y, const char *msg)
{
	warnat(&(struct srcpos){ file, y->line, y->col }, "%s", msg);
	return -1;
}

static int
cfg_bool(const char *file, const struct ynode *v, int *out)
{
	if (v->kind == Y_SCALAR && (!strcmp(v->str, "true") || !strcmp(v->str, "false"))) {
		*out = !strcmp(v->str, "true");
		return 0;
	}
	return cfg_err(file, v, "wants true or false");
}

/* The lint: section of an environment file (upstream's build.lint: keys accepted too). */
static int
cfg_lint(const char *file, const struct ynode *m, struct settings *s)
{
	if (m->kind != Y_MAP)
		return cfg_err(file, m, "lint: wants a map");
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *kn = m->kids[i], *v = m->kids[i + 1];
		const char *k = kn->str;
		int b;

		if (!strcmp(k, "enabled")) {
			if (cfg_bool(file, v, &b) < 0)
				return -1;
		} else if (!strcmp(k, "fail_on_error") || !strcmp(k, "fail_on_warning")) {
			if (cfg_bool(file, v, &b) < 0)
				return -1;
			if (!s->fail_set && b)
				s->fail = !strcmp(k, "fail_on_error") ? (s->fail < SEV_ERROR ? s->fail : SEV_ERROR) : SEV_WARNING;
			if (!s->fail_set && !b && !strcmp(k, "fail_on_error") && s->fail == SEV_ERROR)
				s->fail = SEV_OFF + 4;
		} else if (!strcmp(k, "assume_in_transaction")) {
			if (cfg_bool(file, v, &s->o.assume_tx) < 0)
				return -1;
		} else if (!strcmp(k, "pg_version")) {
			char *e;
			long n = v->kind == Y_SCALAR ? strtol(v->str, &e, 10) : 0;

			if (v->kind != Y_SCALAR || *e || n < 9 || n > 99)
				return cfg_err(file, v, "pg_version wants a major version number");
			s->o.pgver = (int)n;
		} else if (!strcmp(k, "tenant_column")) {
			if (v->kind != Y_SCALAR)
				return cfg_err(file, v, "tenant_column wants a column name");
			free(s->tenant);
			s->tenant = xstrdup(v->str);
			if (s->o.sev[lint_rule_index("tenant-column")] == SEV_OFF)
				set_rules("tenant-column", s->o.sev, SEV_WARNING);
		} else if (!strcmp(k, "rules")) {
			if (v->kind == Y_SEQ) {
				/* upstream's form: the families to run; the others of Confiture's rules are off */
				for (int r = 0; lint_rules[r].id; r++)
					if (!strcmp(lint_rules[r].family, "confiture"))
						s->o.sev[r] = SEV_OFF;
				for (size_t j = 0; j < v->n; j++) {
					const struct ynode *x = v->kids[j];

					if (x->kind == Y_SCALAR && !strcmp(x->str, "missing_index"))
						continue; /* upstream's no-op check */
					if (x->kind != Y_SCALAR || set_rules(x->str, s->o.sev, -1) == 0)
						return cfg_err(file, x, "no such rule");
				}
			} else if (v->kind == Y_MAP) {
				for (size_t j = 0; j + 1 < v->n; j += 2) {
					const struct ynode *x = v->kids[j + 1];
					int sv;

					if (x->kind != Y_SCALAR)
						return cfg_err(file, x, "wants off, info, warning, error, true or false");
					if (!strcmp(x->str, "true"))
						sv = -1;
					else if (!strcmp(x->str, "false"))
						sv = SEV_OFF;
					else if ((sv = lint_sev_parse(x->str)) < 0)
						return cfg_err(file, x, "wants off, info, warning, error, true or false");
					if (set_rules(v->kids[j]->str, s->o.sev, sv) == 0)
						return cfg_err(file, v->kids[j], "no such rule");
				}
			} else
				return cfg_err(file, v, "rules: wants a list or a map");
		} else if (!strcmp(k, "select") || !strcmp(k, "ignore")) {
			int sel = !strcmp(k, "select");

			if (v->kind != Y_SEQ)
				return cfg_err(file, v, "wants a list of rules");
			if (sel)
				for (int r = 0; lint_rules[r].id; r++)
					s->o.sev[r] = SEV_OFF;
			for (size_t j = 0; j < v->n; j++)
				if (v->kids[j]->kind != Y_SCALAR || rule_list(v->kids[j]->str, s->o.sev, sel, file) < 0)
					return cfg_err(file, v->kids[j], "no such rule");
		} else
			return cfg_err(file, kn, "unknown key in lint:");
	}
	return 0;
}

/* Read the lint: section (or build.lint:) of the environment file, if it has one. */
static int
load_config(const char *root, const char *env, const char *cfile, struct settings *s)
{
	char *path = cfile ? xstrdup(cfile) : xasprintf("%s/db/environments/%s.yaml", root, env);
	struct buf b = { 0 };
	struct ynode *y;
	int rc = 0;

	if (read_file(path, &b) < 0) {
		free(path);
		return -1;
	}
	if (!(y = yload(path, b.data ? b.data : "", b.len)))
		rc = -1;
	for (size_t i = 0; y && rc == 0 && y->kind == Y_MAP && i + 1 < y->n; i += 2) {
		const struct ynode *v = y->kids[i + 1];

		if (!strcmp(y->kids[i]->str, "lint"))
			rc = cfg_lint(path, v, s);
		else if (!strcmp(y->kids[i]->str, "build") && v->kind == Y_MAP)
			for (size_t j = 0; rc == 0 && j + 1 < v->n; j += 2)
				if (!strcmp(v->kids[j]->str, "lint"))
					rc = cfg_lint(path, v->kids[j + 1], s);
	}
	ynode_free(y);
	buf_free(&b);
	free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "format", required_argument, NULL, 'f' }, { "select", required_argument, NULL, 's' },
		{ "ignore", required_argument, NULL, 'i' }, { "fail-on", required_argument, NULL, 'F' },
		{ "pg-version", required_argument, NULL, 'p' }, { "assume-in-transaction", no_argument, NULL, 'a' },
		{ "list-rules", no_argument, NULL, 'L' }, { "model", required_argument, NULL, 'm' },
		{ "conf-migrate", no_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 }
	};
	const char *Cflag = ".", *eflag = NULL, *cfile = NULL, *select = NULL, *ignore = NULL, *model = NULL;
	struct settings s = { .o = { .pgver = 15 }, .fail = SEV_ERROR };
	int c, fmt = LINT_GCC, listr = 0, assume = 0, pgver = -1, rc = EX_OK;
	int sev[LINT_MAXRULES];
	struct linter *l;
	const struct finding *f;
	size_t n;

	diag_init(argv[0]);
	for (int r = 0; lint_rules[r].id; r++)
		sev[r] = lint_rules[r].sev;
	s.o.sev = sev;
	while ((c = getopt_long(argc, argv, "jm:C:e:c:", lopts, NULL)) != -1)
		switch (c) {
		case 'j': fmt = LINT_JSON; break;
		case 'm': model = optarg; break;
		case 'C': Cflag = optarg; break;
		case 'e': eflag = optarg; break;
		case 'c': cfile = optarg; break;
		case 's': select = optarg; break;
		case 'i': ignore = optarg; break;
		case 'a': assume = 1; break;
		case 'M': cmflag = 1; break;
		case 'L': listr = 1; break;
		case 'p':
			pgver = (int)opt_number('p', optarg, 9, "a major version number");
			break;
		case 'F':
			s.fail_set = 1;
			if (!strcmp(optarg, "never"))
				s.fail = SEV_OFF + 4;
			else if ((s.fail = lint_sev_parse(optarg)) <= SEV_OFF) {
				warnx("--fail-on wants error, warning, info or never, not %s", optarg);
				return EX_CONFIG;
			}
			break;
		case 'f':
			if (!strcmp(optarg, "gcc") || !strcmp(optarg, "text"))
				fmt = LINT_GCC;
			else if (!strcmp(optarg, "json"))
				fmt = LINT_JSON;
			else if (!strcmp(optarg, "github"))
				fmt = LINT_GITHUB;
			else if (!strcmp(optarg, "sarif"))
				fmt = LINT_SARIF;
			else {
				warnx("--format wants gcc, json, github or sarif, not %s", optarg);
				return EX_CONFIG;
			}
			break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if ((eflag || cfile) && load_config(Cflag, eflag ? eflag : "local", cfile, &s) < 0) {
		free(s.tenant);
		return EX_CONFIG;
	}
	/* the options override the configuration */
	if (assume)
		s.o.assume_tx = 1;
	if (pgver > 0)
		s.o.pgver = pgver;
	s.o.tenant = s.tenant;
	if (select) {
		for (int r = 0; lint_rules[r].id; r++)
			sev[r] = SEV_OFF;
		if (rule_list(select, sev, 1, "--select") < 0)
			return EX_CONFIG;
	}
	if (ignore && rule_list(ignore, sev, 0, "--ignore") < 0)
		return EX_CONFIG;
	if (listr) {
		lint_list_rules(sev);
		finish_stdout();
		return EX_OK;
	}
	sig_trap();
	l = lint_new(&s.o);
	if (model && lint_model(l, model) < 0) {
		lint_free(l);
		free(s.tenant);
		return EX_SCHEMA;
	}
	if (argc == 0) {
		if (lint_input(l, "-") < 0)
			rc = EX_SCHEMA;
	}
	for (int i = 0; i < argc && !sig_caught; i++)
		if (lint_input(l, argv[i]) < 0)
			rc = EX_SCHEMA;
	lint_finish(l);
	f = lint_findings(l, &n);
	lint_print(f, n, fmt, sev);
	if (rc == EX_OK && nbad)
		rc = EX_SCHEMA;
	for (size_t i = 0; rc == EX_OK && i < n; i++)
		if (f[i].sev >= s.fail)
			rc = EX_FAIL;
	lint_free(l);
	free(s.tenant);
	pgq_exit();
	finish_stdout();
	if (sig_caught)
		return 128 + sig_caught;
	return rc;
}
