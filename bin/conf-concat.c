#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Files and directories never read: the output and the build's generated directory. */
static struct fileid skip[3];
static size_t nskip;

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

static int
skipped(struct fileid id)
{
	for (size_t i = 0; i < nskip; i++)
		if (skip[i].dev == id.dev && skip[i].ino == id.ino)
			return 1;
	return 0;
}

/* Leave out of the walk whatever path names, if it exists. */
static void
skip_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && !skipped((struct fileid){ st.st_dev, st.st_ino }))
		skip[nskip++] = (struct fileid){ st.st_dev, st.st_ino };
}

/* The files already taken, by identity: open addressing in a power-of-two table. */
struct idset {
	struct fileid *v;
	unsigned char *used;
	size_t mask;
};

static void
idset_init(struct idset *s, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	s->v = xcalloc(cap, sizeof *s->v);
	s->used = xcalloc(cap, 1);
	s->mask = cap - 1;
}

/* Add id; 0 when it was there already. */
static int
idset_add(struct idset *s, struct fileid id)
{
	size_t h = ((size_t)id.ino * 0x9E3779B97F4A7C15u) ^ (size_t)id.dev;

	for (h &= s->mask; s->used[h]; h = (h + 1) & s->mask)
		if (s->v[h].dev == id.dev && s->v[h].ino == id.ino)
			return 0;
	s->used[h] = 1;
	s->v[h] = id;
	return 1;
}

static void
idset_free(struct idset *s)
{
	free(s->v);
	free(s->used);
}

/* A marker line ends at a newline: a name that could end or fake one is refused. */
static int
check_name(const char *path)
{
	char *e;

	if (!has_ctl(path))
		return EX_OK;
	e = esc_ctl(path);
	warnx("%s: a file name with a control character cannot be written in a marker", e);
	free(e);
	return EX_SCHEMA;
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
	struct walkopt wo = { .strict = 1, .skip = skip, .nskip = nskip };
	int rc = EX_OK;

	for (size_t i = 0; i < ninc && rc == EX_OK; i++) {
		const struct incdir *d = &inc[i];
		char *dir = d->path[0] == '/' ? xstrdup(d->path) : path_join(root, d->path);
		struct strv found = { 0 };
		struct stat st;

		if (stat(dir, &st) != 0) {
			int err = errno;

			if (!d->optional) {
				warnat(&d->pos, "include directory %s: %s", d->path, strerror(err));
				rc = EX_CONFIG;
			}
		} else if (!S_ISDIR(st.st_mode) && !d->pos.line && S_ISREG(st.st_mode)) {
			/* an operand naming one file */
			char *p = normalize(d->path);

			if ((rc = check_name(p)) != EX_OK)
				free(p);
			else
				add(fs, p, d->order);
		} else if (!S_ISDIR(st.st_mode)) {
			warnat(&d->pos, "%s is not a directory", d->path);
			rc = EX_CONFIG;
		} else {
			wo.recursive = d->recursive;
			if (walk_tree(dir, &wo, &found) != 0)
				rc = EX_CONFIG;
		}
		for (size_t j = 0; j < found.n && rc == EX_OK; j++) {
			const char *f = found.v[j];
			char *rel, *p;

			if (!matches(&d->include, f) || matches(&d->exclude, f))
				continue;
			rel = path_join(d->path, f);
			p = normalize(rel);
			free(rel);
			if (under(p, exdirs) || (Sflag && is_seed(p)))
				free(p);
			else if (check_name(p) != EX_OK)
				free(p), rc = EX_SCHEMA;
			else
				add(fs, p, d->order);
		}
		strv_free(&found);
		free(dir);
	}
	return rc;
}

static int
nofiles(const struct envconfig *cfg)
{
	struct srcpos p = { cfg->inc[0].pos.file, cfg->inc[0].pos.line, cfg->inc[0].pos.col };

	if (p.file)
		warnat(&p, "no SQL files found in include_dirs");
	else
		warnx("no SQL files found in %s", cfg->inc[0].path);
	return EX_SCHEMA;
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

/* SIGINT or SIGTERM, once caught. Not lib/sig: its query cancel would link libpq, whose loading
   alone costs more than a whole build of 1000 files. */
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

static int
interrupted(const char *what)
{
	warnx("interrupted: %s", what);
	return 128 + sig_caught;
}

/* Write all of p to fd; 0, or the errno of the failure (EINTR once a signal is caught). */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR && !sig_caught)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
emit(int fd, const struct buf *v, size_t nv)
{
	int err = 0;

	for (size_t i = 0; i < nv && !err; i++)
		err = write_all(fd, v[i].data ? v[i].data : "", v[i].len);
	return err;
}

static int
write_failed(const char *path, int err)
{
	char *e = esc_ctl(path);

	warnx("%s: %s", e, strerror(err));
	free(e);
	return EX_FAIL;
}

/* Write the pieces v to standard output or to path: a regular file (or a new one) is replaced
   whole through a temporary file and a rename; anything else (a device, a fifo) is written in
   place, never replaced. Returns the exit status. */
static int
write_out(const char *path, const struct buf *v, size_t nv)
{
	struct stat st;
	char *tmp;
	int fd, err, stop;

	if (!path) {
		if ((err = emit(STDOUT_FILENO, v, nv)) != 0 && sig_caught)
			return interrupted("the output is incomplete");
		if (err)
			warnx("error writing output: %s", strerror(err));
		return err ? EX_FAIL : EX_OK;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		err = fd < 0 ? errno : emit(fd, v, nv);
		if (fd >= 0 && close(fd) != 0 && !err)
			err = errno;
		if (err && sig_caught)
			return interrupted("the output is incomplete");
		return err ? write_failed(path, err) : EX_OK;
	}
	tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
		write_failed(path, errno);
		free(tmp);
		return EX_FAIL;
	}
	/* SIGINT and SIGTERM only set sig_caught: the temporary file is removed here, and once the
	   rename is done the output is whole */
	err = emit(fd, v, nv);
	if (close(fd) != 0 && !err)
		err = errno;
	stop = sig_caught != 0;
	if (!err && !stop && rename(tmp, path) != 0)
		err = errno;
	if (err || stop)
		unlink(tmp);
	free(tmp);
	if (stop)
		return interrupted("nothing was written");
	return err ? write_failed(path, err) : EX_OK;
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
	size_t nfiles = 0;
	struct idset ids;
	struct stat st;
	char *gen;
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
	/* an empty name would be the current directory, or a file named ".tmp<pid>" there */
	if (!*Cflag || (oflag && !*oflag) || (cfile && !*cfile)) {
		warnx("-%c needs a non-empty name", !*Cflag ? 'C' : oflag && !*oflag ? 'o' : 'c');
		return EX_CONFIG;
	}
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
	/* the output is never an input, nor is the build's own directory (conf-concat(1)) */
	if (oflag)
		skip_path(oflag);
	else if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		skip[nskip++] = (struct fileid){ st.st_dev, st.st_ino };
	gen = path_join(cfg->root, "db/generated");
	skip_path(gen);
	free(gen);
	trap_signals();
	rc = collect(cfg->root, cfg->inc, cfg->ninc, &cfg->exclude_dirs, &fs);
	if (rc == EX_OK && fs.n == 0)
		rc = nofiles(cfg);
	if (fs.n > 1)
		qsort(fs.v, fs.n, sizeof *fs.v, filecmp);
	idset_init(&ids, fs.n);
	all = sha256_new();
	for (size_t i = 0; i < fs.n && rc == EX_OK && !sig_caught; i++) {
		const char *p = fs.v[i].path;
		char *full = p[0] == '/' ? xstrdup(p) : path_join(cfg->root, p);
		struct fileid id;

		text.len = 0;
		if (read_file_id(full, &text, &id) != 0)
			rc = EX_FAIL;
		free(full);
		if (rc != EX_OK)
			break;
		/* identity from the descriptor read: each file once at its first place, whatever path or
		   link reached it, and never the output */
		if (skipped(id) || !idset_add(&ids, id))
			continue;
		nfiles++;
		/* the schema hash: for each file, path NUL bytes NUL */
		sha256_add(all, p, strlen(p) + 1);
		sha256_add(all, text.data, text.len);
		sha256_add(all, "", 1);
		if ((rc = check_lines(p, &text)) != EX_OK)
			break;
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
	idset_free(&ids);
	if (rc == EX_OK && nfiles == 0)
		rc = nofiles(cfg);
	if (rc == EX_OK && sig_caught)
		rc = interrupted("nothing was written");
	if (rc == EX_OK) {
		struct buf v[3] = { { 0 }, out, { 0 } };

		if (Hflag) {
			buf_printf(&v[0], "%s\n", hex);
		} else {
			buf_printf(&v[0], "-- confiture:build env=%s hash=%s files=%zu\n", cfg->name, hex, nfiles);
			/* written last: a stream cut short has no end line */
			buf_printf(&v[2], "-- confiture:end files=%zu\n", nfiles);
		}
		rc = write_out(oflag, v, 3);
		buf_free(&v[0]);
		buf_free(&v[2]);
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
