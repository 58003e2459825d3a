#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "srcfiles.h"

/* The files already taken, by identity: open addressing in a power-of-two table. */
struct idset {
	struct fileid *v;
	unsigned char *used;
	size_t mask;
};

static struct idset *
idset_new(size_t n)
{
	struct idset *s = xcalloc(1, sizeof *s);
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	s->v = xcalloc(cap, sizeof *s->v);
	s->used = xcalloc(cap, 1);
	s->mask = cap - 1;
	return s;
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
	if (!s)
		return;
	free(s->v);
	free(s->used);
	free(s);
}

static void
add(struct srcfiles *fs, char *path, long order)
{
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 256;
		fs->v = xrealloc(fs->v, fs->cap * sizeof *fs->v);
	}
	fs->v[fs->n] = (struct srcfile){ path, order, fs->n };
	fs->n++;
}

static int
skipped(const struct srcfiles *fs, struct fileid id)
{
	for (size_t i = 0; i < fs->nskip; i++)
		if (fs->skip[i].dev == id.dev && fs->skip[i].ino == id.ino)
			return 1;
	return 0;
}

void
srcfiles_skip_id(struct srcfiles *fs, struct fileid id)
{
	if (!skipped(fs, id) && fs->nskip < sizeof fs->skip / sizeof *fs->skip)
		fs->skip[fs->nskip++] = id;
}

void
srcfiles_skip(struct srcfiles *fs, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0)
		srcfiles_skip_id(fs, (struct fileid){ st.st_dev, st.st_ino });
}

void
srcfiles_init(struct srcfiles *fs, const struct envconfig *cfg, int no_seeds)
{
	char *gen = path_join(cfg->root, "db/generated");

	memset(fs, 0, sizeof *fs);
	fs->cfg = cfg;
	fs->no_seeds = no_seeds;
	/* the build's own output directory is never an input (conf-concat(1)) */
	srcfiles_skip(fs, gen);
	free(gen);
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

/* Two path components of lengths la and lb in byte order; a prefix sorts first. */
static int
compcmp(const char *a, size_t la, const char *b, size_t lb)
{
	int c = strncmp(a, b, la < lb ? la : lb);

	if (c == 0 && la != lb)
		c = la < lb ? -1 : 1;
	return c;
}

/* Path order as upstream's sorted() of pathlib paths: component by component, each in byte
   (code point) order, a directory's files after it sorts as a name, so "a/x.sql" comes before
   "a.b/y.sql" and "sub/x.sql" before "sub-a/y.sql", where a whole-path byte order puts them
   the other way ('/' is 0x2F, after '-' and '.'). */
int
srcfiles_pathcmp(const char *a, const char *b)
{
	while (*a && *b) {
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		int c = compcmp(a, la, b, lb);

		if (c)
			return c;
		a += la + (a[la] == '/');
		b += lb + (b[lb] == '/');
	}
	return (*a != '\0') - (*b != '\0');
}

/* Path order with sort_mode hex: each component by its hex prefix first. */
static int
hexpathcmp(const char *a, const char *b)
{
	while (*a && *b) {
		size_t la = strcspn(a, "/"), lb = strcspn(b, "/");
		long ha = hexkey(a, la), hb = hexkey(b, lb);
		int c;

		if (ha != hb && (ha < 0 || hb < 0))
			return ha < 0 ? 1 : -1; /* prefixed components first */
		if (ha != hb)
			return ha < hb ? -1 : 1;
		if ((c = compcmp(a, la, b, lb)) != 0)
			return c;
		a += la + (a[la] == '/');
		b += lb + (b[lb] == '/');
	}
	return (*a != '\0') - (*b != '\0');
}

/* Build order: include_dirs order, then the path by cmp, then discovery order. */
static int
filecmp_by(const struct srcfile *a, const struct srcfile *b, int (*cmp)(const char *, const char *))
{
	int c;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	c = cmp(a->path, b->path);
	return c ? c : (a->seq < b->seq ? -1 : a->seq > b->seq);
}

/* Paths component by component (the default sort_mode). */
static int
filecmp(const void *x, const void *y)
{
	return filecmp_by(x, y, srcfiles_pathcmp);
}

/* sort_mode hex. */
static int
filecmp_hex(const void *x, const void *y)
{
	return filecmp_by(x, y, hexpathcmp);
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

int
srcfiles_none(const struct envconfig *cfg)
{
	struct srcpos p = { cfg->inc[0].pos.file, cfg->inc[0].pos.line, cfg->inc[0].pos.col };

	if (p.file)
		warnat(&p, "no SQL files found in include_dirs");
	else
		warnx("no SQL files found in %s", cfg->inc[0].path);
	return EX_SCHEMA;
}

int
srcfiles_collect(struct srcfiles *fs)
{
	const struct envconfig *cfg = fs->cfg;
	struct walkopt wo = { .strict = 1, .skip = fs->skip, .nskip = fs->nskip };
	int rc = EX_OK;

	for (size_t i = 0; i < cfg->ninc && rc == EX_OK; i++) {
		const struct incdir *d = &cfg->inc[i];
		char *dir = d->path[0] == '/' ? xstrdup(d->path) : path_join(cfg->root, d->path);
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
			if (under(p, &cfg->exclude_dirs) || (fs->no_seeds && is_seed(p)))
				free(p);
			else if (check_name(p) != EX_OK)
				free(p), rc = EX_SCHEMA;
			else
				add(fs, p, d->order);
		}
		strv_free(&found);
		free(dir);
	}
	if (rc == EX_OK && fs->n == 0)
		rc = srcfiles_none(cfg);
	if (fs->n > 1)
		qsort(fs->v, fs->n, sizeof *fs->v, cfg->sort_hex ? filecmp_hex : filecmp);
	return rc;
}

int
srcfiles_read(struct srcfiles *fs, struct buf *text, const char **path)
{
	if (!fs->ids)
		fs->ids = idset_new(fs->n);
	for (*path = NULL; fs->next < fs->n; fs->next++) {
		const char *p = fs->v[fs->next].path;
		char *full = p[0] == '/' ? xstrdup(p) : path_join(fs->cfg->root, p);
		struct fileid id;
		int r;

		text->len = 0;
		r = read_file_id(full, text, &id);
		free(full);
		if (r != 0)
			return EX_FAIL;
		/* each file once at its first place, whatever path or link reached it, and never the output */
		if (!skipped(fs, id) && idset_add(fs->ids, id)) {
			*path = p;
			fs->next++;
			break;
		}
	}
	return EX_OK;
}

void
srcfiles_free(struct srcfiles *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].path);
	free(fs->v);
	idset_free(fs->ids);
	memset(fs, 0, sizeof *fs);
}
