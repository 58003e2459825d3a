#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fsx.h"
#include "model.h"
#include "sig.h"
#include "sqlclass.h"

#define USAGE "conf-diff [-j] [--no-online] [--allow-destructive] [--skip-unmodeled] [-r old_id=new_id]... old new"

/* --skip-unmodeled: statements conf-parse did not model are left out with a warning each */
static int skip_unmodeled;

/* An "unmodeled" record of conf-parse -m: a statement the model does not hold, so a diff of
   that model would silently leave it out. 0 when line is another record; 1 when it is one and
   --skip-unmodeled leaves it out (a warning at the statement); -1 an error at the statement. */
static int
unmodeled(const char *name, long n, const char *line, size_t len)
{
	json_t *r;
	int rc = 0;

	if (!memmem(line, len, "\"unmodeled\"", 11))
		return 0;
	r = json_loadb(line, len, 0, NULL);
	if (r && json_is_string(json_object_get(r, "kind")) && strcmp(json_string_value(json_object_get(r, "kind")), "unmodeled") == 0) {
		const char *tag = json_string_value(json_object_get(r, "tag"));
		const char *file = json_string_value(json_object_get(r, "file"));
		struct srcpos pos = { file ? file : name, json_integer_value(json_object_get(r, "line")),
			json_integer_value(json_object_get(r, "col")) };

		if (!file) {
			/* no provenance: the record's line in the stream */
			pos.line = n;
			pos.col = 1;
		}
		if (skip_unmodeled) {
			warnat(&pos, "warning: %s is a statement conf-parse did not model: left out of the comparison",
			    tag ? tag : "a statement");
			rc = 1;
		} else {
			warnat(&pos, "%s is a statement conf-parse did not model: conf-diff cannot compare it "
			    "(--skip-unmodeled leaves such statements out)", tag ? tag : "a statement");
			rc = -1;
		}
	}
	json_decref(r);
	return rc;
}

/* Read a model stream ("-": standard input). */
static int
load(struct model *m, const char *path)
{
	const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
	struct buf b = { 0 }, kept = { 0 };
	FILE *f;
	int rc;
	long n = 0;

	if (read_file(path, &b) < 0)
		return -1;
	for (const char *p = b.data, *e; p < b.data + b.len; p = e + 1) {
		int u;

		e = memchr(p, '\n', (size_t)(b.data + b.len - p));
		if (!e)
			e = b.data + b.len;
		u = unmodeled(name, ++n, p, (size_t)(e - p));
		if (u < 0) {
			buf_free(&b);
			buf_free(&kept);
			return -1;
		}
		if (u == 0) {
			buf_add(&kept, p, (size_t)(e - p));
			buf_add(&kept, "\n", 1);
		}
	}
	buf_free(&b);
	f = fmemopen(kept.data, kept.len ? kept.len : 1, "r");
	if (!f) {
		warnx("%s: %s", name, strerror(errno));
		buf_free(&kept);
		return -1;
	}
	rc = kept.len ? model_read(m, f, name) : 0;
	fclose(f);
	buf_free(&kept);
	return rc;
}

/* Whether id names something of m: a record, or a column or constraint of a record (their ids
   are the record's with the quoted name after the last dot outside quotes). */
static int
has_id(struct model *m, const char *id)
{
	const char *kinds[] = { "column:", "constraint:" }, *arrays[] = { "columns", "constraints" };
	int hit = 0;

	if (model_get(m, id))
		return 1;
	for (int k = 0; k < 2 && !hit; k++) {
		size_t kl = strlen(kinds[k]), i;
		const char *dot = NULL;
		int inq = 0;
		char *rid;
		json_t *rec, *x;

		if (strncmp(id, kinds[k], kl) != 0)
			continue;
		for (const char *p = id + kl; *p; p++)
			if (*p == '"')
				inq = !inq;
			else if (*p == '.' && !inq)
				dot = p;
		if (!dot)
			return 0;
		rid = xasprintf("table:%.*s", (int)(dot - id - kl), id + kl);
		rec = model_get(m, rid);
		free(rid);
		json_array_foreach(json_object_get(rec, arrays[k]), i, x) {
			char *n = model_ident(json_string_value(json_object_get(x, "name")));

			hit |= n && strcmp(n, dot + 1) == 0;
			free(n);
		}
	}
	return hit;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-online", no_argument, NULL, 'O' },
		{ "allow-destructive", no_argument, NULL, 'D' },
		{ "rename", required_argument, NULL, 'r' },
		{ "lock-timeout", required_argument, NULL, 'L' },
		{ "statement-timeout", required_argument, NULL, 'S' },
		{ "skip-unmodeled", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	struct diffopt o = { .online = 1, .lock_timeout = "5s", .statement_timeout = "0" };
	struct model *m[2] = { NULL, NULL };
	struct diffctx *c = NULL;
	int ch, jflag = 0, rc = EX_OK;
	json_t *ren = json_object();

	diag_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "jr:", longopts, NULL)) != -1)
		switch (ch) {
		case 'j': jflag = 1; break;
		case 'O': o.online = 0; break;
		case 'D': o.allow_destructive = 1; break;
		case 'L': o.lock_timeout = optarg; break;
		case 'S': o.statement_timeout = optarg; break;
		case 'U': skip_unmodeled = 1; break;
		case 'r': {
			const char *eq = strchr(optarg, '=');
			char *from;

			if (!eq || eq == optarg || !eq[1] || !strchr(optarg, ':') || !strchr(eq + 1, ':')) {
				warnx("-r wants OLD_ID=NEW_ID (ids as in conf-formats(5)), not %s", optarg);
				json_decref(ren);
				return EX_CONFIG;
			}
			from = xstrndup(optarg, (size_t)(eq - optarg));
			json_object_set_new(ren, from, json_string(eq + 1));
			free(from);
			break;
		}
		default: usage(USAGE);
		}
	if (argc - optind != 2 || (strcmp(argv[optind], "-") == 0 && strcmp(argv[optind + 1], "-") == 0))
		usage(USAGE);
	o.renames = ren;
	sig_trap();
	for (int i = 0; i < 2 && rc == EX_OK; i++) {
		m[i] = model_new();
		if (load(m[i], argv[optind + i]) < 0)
			rc = EX_SCHEMA;
	}
	/* a rename whose either end is missing would turn into a drop and a create */
	if (rc == EX_OK) {
		const char *from;
		json_t *to;

		json_object_foreach(ren, from, to)
			for (int i = 0; i < 2; i++) {
				const char *id = i ? json_string_value(to) : from;

				if (rc != EX_CONFIG && !has_id(m[i], id)) {
					warnx("-r %s=%s: %s is not in %s", from, json_string_value(to), id, argv[optind + i]);
					rc = EX_CONFIG;
				}
			}
	}
	if (rc == EX_OK) {
		c = diff_new(m[0], m[1], &o);
		if (diff_run(c) < 0)
			rc = EX_SCHEMA;
		else {
			diff_write(c, jflag);
			rc = diff_count(c) ? EX_FAIL : EX_OK;
		}
	}
	diff_free(c);
	for (int i = 0; i < 2; i++)
		model_free(m[i]);
	json_decref(ren);
	pgq_exit();
	if (rc == EX_OK || rc == EX_FAIL)
		finish_stdout();
	return rc;
}
