#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "hash.h"
#include "sqlclass.h"
#include "sqlsrc.h"

#define USAGE "conf-concat [-HSk] [-e env] [-C dir] [-c file] [-o file] [path ...]"

static int Hflag, Sflag, kflag, hexsort;

struct file {
	char *path;  /* relative to the project root, as written in markers */
	long order;
	size_t seq;  /* discovery order, to keep the sort stable */
};

struct files {
	struct file *v;
	size_t n, cap;
};

static void
add(struct files *fs, char *path, long order)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 256;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	fs->v[fs->n] = (struct file){ path, order, fs->n };
	fs->n++;
}

/* "0x1A_name" or "1A_name": the hex number before the first "_", or -1 */
static long
hexkey(const char *s, size_t n)
{
	size_t i = 0;
	long v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n || s[i] == '_')
		return -1;
	for (; i < n && s[i] != '_'; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10
		    : s[i] >= 'A' && s[i] <= 'F' ? s[i] - 'A' + 10 : -1;

		if (d < 0 || v > 0xFFFFFFF)
			return -1;
		v = v * 16 + d;
	}
	return i < n ? v : -1;
}

/* Path order: byte order, or with sort_mode hex each component by its hex prefix first. */
static int
pathcmp(const char *a, const char *b)
{
	if (!hexsort)
		return strcmp(a, b);
	while (*a && *b) {
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		long ha = hexkey(a, la), hb = hexkey(b, lb);
		int c;

		if (ha != hb && (ha < 0 || hb < 0))
			return ha < 0 ? 1 : -1; /* prefixed components first */
		if (ha != hb)
			return ha < hb ? -1 : 1;
		c = strncmp(a, b, la < lb ? la : lb);
		if (c == 0 && la != lb)
			c = la < lb ? -1 : 1;
		if (c)
			return c;
		a += la + (a[la] == '/');
		b += lb + (b[lb] == '/');
	}
	return strcmp(a, b);
}

static int
filecmp(const void *x, const void *y)
{
	const struct file *a = x, *b = y;
	int c;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	c = pathcmp(a->path, b->path);
	return c ? c : (a->seq < b->seq ? -1 : a->seq > b->seq);
}

/* A path component that names seeds: "seeds", "seed_data", "01-seed" (upstream's rule). */
static int
is_seed(const char *path)
{
	for (const char *p = path; (p = strstr(p, "seed")) != NULL; p++) {
		const char *e = p + 4 + (p[4] == 's');

		if ((p == path || p[-1] == '/' || p[-1] == '_' || p[-1] == '-')
		    && (*e == '\0' || *e == '/' || *e == '_' || *e == '-' || *e == '.'))
			return 1;
	}
	return 0;
}

static int
matches(const struct strv *globs, const char *rel)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	for (size_t i = 0; i < globs->n; i++) {
		const char *g = globs->v[i];

		if (!strchr(g, '/')) {
			if (glob_match(g, base))
				return 1;
			continue;
		}
		/* a glob with "/" matches the whole relative path or a tail of it */
		for (const char *p = rel; p; p = strchr(p, '/') ? strchr(p, '/') + 1 : NULL)
			if (glob_match(g, p))
				return 1;
	}
	return 0;
}

static char *
normalize(const char *p)
{
	char *s = xstrdup(p), *w = s;

	while (s[0] == '.' && s[1] == '/')
		memmove(s, s + 2, strlen(s + 2) + 1);
	for (const char *r = s; *r; r++)
		if (!(*r == '/' && (r[1] == '/' || r[1] == '\0') && w > s))
			*w++ = *r;
	*w = '\0';
	return s;
}

static int
under(const char *path, const struct strv *dirs)
{
	for (size_t i = 0; i < dirs->n; i++) {
		char *d = normalize(dirs->v[i]);
		size_t n = strlen(d);
		int hit = strncmp(path, d, n) == 0 && (path[n] == '/' || path[n] == '\0');

		free(d);
		if (hit)
			return 1;
	}
	return 0;
}

static int
collect(const char *root, const struct incdir *inc, size_t ninc, const struct strv *exdirs, struct files *fs)
{
	for (size_t i = 0; i < ninc; i++) {
		const struct incdir *d = &inc[i];
		char *dir = d->path[0] == '/' ? xstrdup(d->path) : path_join(root, d->path);
		struct strv found = { 0 };

		if (!is_dir(dir)) {
			FILE *f = fopen(dir, "r");

			if (f && !d->pos.line) {
				/* an operand naming one file */
				fclose(f);
				add(fs, normalize(d->path), d->order);
			} else if (f) {
				fclose(f);
				warnat(&d->pos, "%s is not a directory", d->path);
				free(dir);
				return EX_CONFIG;
			} else if (!d->optional) {
				warnat(&d->pos, "include directory %s: %s", d->path, strerror(errno));
				free(dir);
				return EX_CONFIG;
			}
			free(dir);
			continue;
		}
		if (walk_dir(dir, d->recursive, &found) != 0) {
			free(dir);
			strv_free(&found);
			return EX_CONFIG;
		}
		for (size_t j = 0; j < found.n; j++) {
			char *rel, *p;

			if (!matches(&d->include, found.v[j]) || matches(&d->exclude, found.v[j]))
				continue;
			rel = path_join(d->path, found.v[j]);
			p = normalize(rel);
			free(rel);
			if (under(p, exdirs) || (Sflag && is_seed(p)))
				free(p);
			else
				add(fs, p, d->order);
		}
		strv_free(&found);
		free(dir);
	}
	return EX_OK;
}

static int
bypath(const void *x, const void *y)
{
	const struct file *a = *(struct file *const *)x, *b = *(struct file *const *)y;
	int c = strcmp(a->path, b->path);

	return c ? c : (a < b ? -1 : a > b);
}

/* Keep each path once, at its first place in the sorted list; returns the count kept. */
static size_t
dedupe(struct files *fs)
{
	struct file **idx = xcalloc(fs->n, sizeof *idx);
	size_t kept = 0;

	for (size_t i = 0; i < fs->n; i++)
		idx[i] = &fs->v[i];
	qsort(idx, fs->n, sizeof *idx, bypath);
	for (size_t i = 1, first = 0; i < fs->n; i++) {
		if (strcmp(idx[i]->path, idx[first]->path) != 0) {
			first = i;
			continue;
		}
		free(idx[i]->path);
		idx[i]->path = NULL;
	}
	free(idx);
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].path)
			fs->v[kept++] = fs->v[i];
	return kept;
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

int
main(int argc, char **argv)
{
	const char *eflag = NULL, *Cflag = ".", *cfile = NULL, *oflag = NULL;
	struct envconfig *env = NULL, ops = { 0 };
	const struct envconfig *cfg;
	struct files fs = { 0 };
	struct buf out = { 0 }, text = { 0 };
	struct sha256 *all;
	char hex[SHA256_HEX], fhex[SHA256_HEX];
	size_t kept = 0;
	int c, rc = EX_OK;

	diag_init(argv[0]);
	while ((c = getopt(argc, argv, "C:c:e:Hko:S")) != -1)
		switch (c) {
		case 'C': Cflag = optarg; break;
		case 'c': cfile = optarg; break;
		case 'e': eflag = optarg; break;
		case 'H': Hflag = 1; break;
		case 'k': kflag = 1; break;
		case 'o': oflag = optarg; break;
		case 'S': Sflag = 1; break;
		default: usage(USAGE);
		}
	argc -= optind;
	argv += optind;
	if (argc > 0 && (eflag || cfile))
		usage(USAGE);
	if (argc == 0) {
		if (!(env = config_load(Cflag, eflag, cfile, &rc)))
			return rc;
		if (env->ninc == 0) {
			struct srcpos p = { env->file, 0, 0 };

			warnat(&p, "no include_dirs: nothing to build");
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
	hexsort = cfg->sort_hex;
	rc = collect(cfg->root, cfg->inc, cfg->ninc, &cfg->exclude_dirs, &fs);
	if (rc == EX_OK && fs.n > 0) {
		qsort(fs.v, fs.n, sizeof *fs.v, filecmp);
		kept = dedupe(&fs);
		fs.n = kept;
	}
	if (rc == EX_OK && fs.n == 0) {
		struct srcpos p = { cfg->inc[0].pos.file ? cfg->inc[0].pos.file : NULL, cfg->inc[0].pos.line, cfg->inc[0].pos.col };

		if (p.file)
			warnat(&p, "no SQL files found in include_dirs");
		else
			warnx("no SQL files found in %s", cfg->inc[0].path);
		rc = EX_SCHEMA;
	}
	all = sha256_new();
	for (size_t i = 0; i < fs.n && rc == EX_OK; i++) {
		const char *p = fs.v[i].path;
		char *full = p[0] == '/' ? xstrdup(p) : path_join(cfg->root, p);

		text.len = 0;
		if (read_file(full, &text) != 0)
			rc = EX_FAIL;
		free(full);
		if (rc != EX_OK)
			break;
		/* the schema hash: for each file, path NUL bytes NUL */
		sha256_add(all, p, strlen(p) + 1);
		sha256_add(all, text.data, text.len);
		sha256_add(all, "", 1);
		if (kflag && (rc = check_ends(p, &text)) != EX_OK)
			break;
		if (Hflag)
			continue;
		sha256_hex(text.data, text.len, fhex);
		buf_printf(&out, "-- confiture:file %s sha256=%s\n", p, fhex);
		buf_add(&out, text.data, text.len);
		if (text.len && text.data[text.len - 1] != '\n')
			buf_add(&out, "\n", 1);
	}
	sha256_end(all, hex);
	if (rc == EX_OK) {
		FILE *f = stdout;
		char *tmp = NULL;

		if (oflag) {
			tmp = xasprintf("%s.tmp%ld", oflag, (long)getpid());
			if (!(f = fopen(tmp, "w"))) {
				warnx("%s: %s", tmp, strerror(errno));
				rc = EX_FAIL;
			}
		}
		if (f && Hflag)
			fprintf(f, "%s\n", hex);
		else if (f) {
			fprintf(f, "-- confiture:build env=%s hash=%s files=%zu\n", cfg->name, hex, fs.n);
			fwrite(out.data ? out.data : "", 1, out.len, f);
		}
		if (oflag && f) {
			if (ferror(f) | fclose(f) || rename(tmp, oflag) != 0) {
				warnx("%s: %s", oflag, strerror(errno));
				unlink(tmp);
				rc = EX_FAIL;
			}
		}
		free(tmp);
	}
	for (size_t i = 0; i < fs.n; i++)
		free(fs.v[i].path);
	free(fs.v);
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
