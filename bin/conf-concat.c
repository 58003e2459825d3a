#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "config.h"
#include "hash.h"
#include "pgconn.h"
#include "sqlclass.h"
#include "sqlsrc.h"
#include "srcfiles.h"

#define USAGE "conf-concat [-HSk] [-e env] [-C dir] [-c file] [-o file] [path ...]\n       conf-concat -P | -U [-e env] [-C dir] [-c file]"

static int Hflag, Sflag, kflag, Pflag, Uflag;

/* -U: a file's path and bytes, kept to be hashed in upstream's order at the end. */
struct ufile {
	char *path;
	struct buf text;
};

static int
ufilecmp(const void *x, const void *y)
{
	return srcfiles_pathcmp(((const struct ufile *)x)->path, ((const struct ufile *)y)->path);
}

/* An include path as the file paths are written: no leading "./", no trailing "/". */
static char *
incnorm(const char *p)
{
	size_t n;

	while (p[0] == '.' && p[1] == '/')
		for (p += 2; *p == '/'; p++)
			;
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	return xstrndup(p, n);
}

/* Upstream's base directory: the one include directory, or the common parent of several,
   component by component ("" when they have none). */
static char *
common_parent(const struct envconfig *c)
{
	char *base = incnorm(c->inc[0].path);

	for (size_t i = 1; i < c->ninc; i++) {
		char *o = incnorm(c->inc[i].path);
		size_t k = 0, last = 0;

		for (; base[k] && base[k] == o[k]; k++)
			if (base[k] == '/')
				last = k;
		/* a whole component matched when both end there */
		if ((base[k] == '\0' || base[k] == '/') && (o[k] == '\0' || o[k] == '/'))
			last = k;
		base[last] = '\0';
		free(o);
	}
	return base;
}

/* -U: upstream's Python compute_hash() over the files read, in its order. */
static void
upstream_hash(const struct envconfig *c, struct ufile *u, size_t n, char hex[SHA256_HEX])
{
	struct sha256 *h = sha256_new();
	char *base = common_parent(c);
	size_t bl = strlen(base);

	qsort(u, n, sizeof *u, ufilecmp);
	for (size_t i = 0; i < n; i++) {
		const char *rel = u[i].path;

		if (bl && strncmp(rel, base, bl) == 0 && rel[bl] == '/')
			rel += bl + 1;
		sha256_add(h, rel, strlen(rel) + 1);
		sha256_add(h, u[i].text.data ? u[i].text.data : "", u[i].text.len);
		sha256_add(h, "", 1);
	}
	sha256_end(h, hex);
	free(base);
}

/* A line of a file that begins like a stream's own lines would be read as one: refused. */
static int
check_lines(const char *path, const struct buf *b)
{
	static const char pre[] = "-- confiture:";
	const char *d = b->data ? b->data : "", *q = d, *end = d + b->len;
	long line = 1;

	while (q < end && (size_t)(end - q) >= sizeof pre - 1) {
		const char *nl;

		if (memcmp(q, pre, sizeof pre - 1) == 0) {
			for (const char *r = d; r < q; r++)
				line += *r == '\n';
			warnat(&(struct srcpos){ path, line, 1 }, "a line beginning with \"%s\" would be taken for a stream marker", pre);
			return EX_SCHEMA;
		}
		if (!(nl = memchr(q, '\n', (size_t)(end - q))))
			break;
		q = nl + 1;
	}
	return EX_OK;
}

/* A file must end between statements, or the next file's first statement would join its last. */
static int
check_ends(const char *path, const struct buf *b)
{
	struct sqlsrc *s = sqlsrc_mem(path, b->data ? b->data : "", b->len);
	struct stmt st;
	int k, rc = EX_OK;

	sqlsrc_set_parse(s, 0);
	while ((k = sqlsrc_next(s, &st)) != SQ_END) {
		if (k == SQ_ERROR) {
			rc = EX_SCHEMA;
			break;
		}
		if (st.flags & ST_UNTERM) {
			warnat(&st.pos, "statement is not terminated by ';' at the end of the file");
			rc = EX_SCHEMA;
			break;
		}
		sqlsrc_release(s);
	}
	sqlsrc_close(s);
	return rc;
}

/* A list of strings as a JSON array. */
static json_t *
strarray(const struct strv *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

/* -P: the environment as this tool resolved it, one JSON object, without reading a schema file.
   The database_url is shown without its password (pg_scrub): stdout may be a CI log. */
static int
print_env(const struct envconfig *c)
{
	json_t *o, *inc = json_array();
	char *url = c->database_url ? pg_scrub(c->database_url) : NULL;

	for (size_t i = 0; i < c->ninc; i++) {
		const struct incdir *d = &c->inc[i];

		json_array_append_new(inc, json_pack("{s:s, s:b, s:o, s:o, s:I, s:b}", "path", d->path, "recursive",
		    d->recursive, "include", strarray(&d->include), "exclude", strarray(&d->exclude), "order",
		    (json_int_t)d->order, "auto_discover", d->optional));
	}
	o = json_pack("{s:s, s:s, s:s, s:s*, s:s*, s:o, s:o, s:s, s:s, s:b, s:{s:b, s:o}, s:I, s:b}", "name", c->name,
	    "file", c->file, "root", c->root, "database_url", url, "database_url_unset", c->url_unset,
	    "include_dirs", inc, "exclude_dirs", strarray(&c->exclude_dirs), "tracking_table", c->tracking_table,
	    "sort_mode", c->sort_deps ? "dependencies" : c->sort_hex ? "hex" : "alphabetical",
	    "build_cache", c->build_cache, "locking", "enabled", c->lock_enabled, "timeout_ms",
	    c->lock_timeout_ms >= 0 ? json_integer(c->lock_timeout_ms) : json_null(),
	    "hooks_timeout_s", (json_int_t)c->hook_timeout_s, "require_confirmation", c->require_confirmation);
	free(url);
	if (json_dumpf(o, stdout, JSON_COMPACT) == 0)
		putchar('\n');
	json_decref(o);
	finish_stdout();
	return EX_OK;
}

/* SIGINT or SIGTERM, once caught. Not lib/sig: there is no query to cancel, and its cancel
   needs libpq, whose loading alone costs more than a whole build of 1000 files. */
static volatile sig_atomic_t sig_caught;

static void
onsignal(int sig)
{
	sig_caught = sig;
}

/* No SA_RESTART: a write blocked on a pipe or a fifo returns EINTR. */
static void
trap_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsignal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
main(int argc, char **argv)
{
	const char *eflag = NULL, *Cflag = ".", *cfile = NULL, *oflag = NULL;
	struct envconfig *env = NULL, ops = { 0 };
	const struct envconfig *cfg;
	struct srcfiles fs;
	struct buf out = { 0 }, text = { 0 };
	struct sha256 *all;
	char hex[SHA256_HEX], fhex[SHA256_HEX];
	const char *p;
	size_t nfiles = 0, nu = 0, ucap = 0;
	struct ufile *ufiles = NULL;
	struct stat st;
	int c, rc = EX_OK;

	diag_init(argv[0]);
	/* conf-concat never connects: an unset ${VAR} in database_url does not stop a build */
	config_offline();
	while ((c = getopt(argc, argv, "C:c:e:Hko:PSU")) != -1)
		switch (c) {
		case 'C': Cflag = optarg; break;
		case 'c': cfile = optarg; break;
		case 'e': eflag = optarg; break;
		case 'H': Hflag = 1; break;
		case 'k': kflag = 1; break;
		case 'o': oflag = optarg; break;
		case 'P': Pflag = 1; break;
		case 'U': Uflag = Hflag = 1; break;
		case 'S': Sflag = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if ((argc > 0 && (eflag || cfile || Pflag || Uflag)) || (Uflag && Sflag))
		usage(USAGE);
	/* an empty name would be the current directory, or a file named ".tmp<pid>" there */
	if (!*Cflag || (oflag && !*oflag) || (cfile && !*cfile)) {
		warnx("-%c needs a non-empty name", !*Cflag ? 'C' : oflag && !*oflag ? 'o' : 'c');
		return EX_CONFIG;
	}
	if (argc == 0) {
		if (!(env = config_load(Cflag, eflag, cfile, &rc)))
			return rc;
		if (Pflag) {
			rc = print_env(env);
			config_free(env);
			return rc;
		}
		if (env->ninc == 0) {
			struct srcpos p = { env->file, 0, 0 };

			warnat(&p, "no include_dirs: nothing to build");
			config_free(env);
			return EX_CONFIG;
		}
		if (Uflag && env->sort_hex) {
			warnat(&(struct srcpos){ env->file, 0, 0 }, "-U: upstream's hex order sorts file names alone; its hash is not reproduced");
			config_free(env);
			return EX_CONFIG;
		}
		cfg = env;
	} else {
		ops.name = "-";
		ops.root = (char *)Cflag;
		ops.ninc = (size_t)argc;
		ops.inc = xcalloc((size_t)argc, sizeof *ops.inc);
		for (int i = 0; i < argc; i++) {
			ops.inc[i].path = argv[i];
			ops.inc[i].recursive = 1;
			strv_add(&ops.inc[i].include, "*.sql");
		}
		cfg = &ops;
	}
	/* the output is never an input (conf-concat(1)) */
	srcfiles_init(&fs, cfg, Sflag);
	if (oflag)
		srcfiles_skip(&fs, oflag);
	else if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		srcfiles_skip_id(&fs, (struct fileid){ st.st_dev, st.st_ino });
	trap_signals();
	rc = srcfiles_collect(&fs);
	all = sha256_new();
	while (rc == EX_OK && !sig_caught && (rc = srcfiles_read(&fs, &text, &p)) == EX_OK && p) {
		nfiles++;
		/* the schema hash: for each file, path NUL bytes NUL */
		sha256_add(all, p, strlen(p) + 1);
		sha256_add(all, text.data, text.len);
		sha256_add(all, "", 1);
		if ((rc = check_lines(p, &text)) != EX_OK)
			break;
		if (kflag && (rc = check_ends(p, &text)) != EX_OK)
			break;
		if (Uflag) {
			if (nu == ucap)
				ufiles = xrealloc(ufiles, (ucap = ucap ? 2 * ucap : 64) * sizeof *ufiles);
			ufiles[nu].path = xstrdup(p);
			ufiles[nu].text = (struct buf){ 0 };
			buf_add(&ufiles[nu++].text, text.data ? text.data : "", text.len);
		}
		if (Hflag)
			continue;
		sha256_hex(text.data, text.len, fhex);
		buf_printf(&out, "-- confiture:file %s sha256=%s\n", p, fhex);
		buf_add(&out, text.data, text.len);
		if (text.len && text.data[text.len - 1] != '\n')
			buf_add(&out, "\n", 1);
	}
	sha256_end(all, hex);
	if (Uflag && rc == EX_OK)
		upstream_hash(cfg, ufiles, nu, hex);
	for (size_t i = 0; i < nu; i++) {
		free(ufiles[i].path);
		buf_free(&ufiles[i].text);
	}
	free(ufiles);
	if (rc == EX_OK && nfiles == 0)
		rc = srcfiles_none(cfg);
	if (rc == EX_OK && sig_caught) {
		warnx("interrupted: nothing was written");
		rc = 128 + sig_caught;
	}
	if (rc == EX_OK) {
		struct buf v[3] = { { 0 }, out, { 0 } };

		if (Hflag) {
			buf_printf(&v[0], "%s\n", hex);
		} else {
			buf_printf(&v[0], "-- confiture:build env=%s hash=%s files=%zu\n", cfg->name, hex, nfiles);
			/* written last: a stream cut short has no end line */
			buf_printf(&v[2], "-- confiture:end files=%zu\n", nfiles);
		}
		rc = write_out(oflag, v, 3, &sig_caught);
		buf_free(&v[0]);
		buf_free(&v[2]);
	}
	srcfiles_free(&fs);
	for (size_t i = 0; i < ops.ninc; i++)
		strv_free(&ops.inc[i].include);
	free(ops.inc);
	buf_free(&out);
	buf_free(&text);
	config_free(env);
	pgq_exit();
	if (rc == EX_OK)
		finish_stdout();
	return rc;
}
