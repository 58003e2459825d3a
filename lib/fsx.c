#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsx.h"

void
strv_take(struct strv *sv, char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 16;
		sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
}

void
strv_add(struct strv *sv, const char *s)
{
	strv_take(sv, xstrdup(s));
}

void
strv_free(struct strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

/* Print "prog: path: message" with the path's control bytes escaped. */
static void
path_warn(const char *path, const char *msg)
{
	char *e = esc_ctl(path);

	warnx("%s: %s", e, msg);
	free(e);
}

int
read_file(const char *path, struct buf *b)
{
	return read_file_id(path, b, NULL);
}

int
read_file_id(const char *path, struct buf *b, struct fileid *id)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t r;

	if (fd < 0) {
		path_warn(path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0)
		st.st_mode = 0, st.st_dev = 0, st.st_ino = 0;
	if (id)
		*id = (struct fileid){ st.st_dev, st.st_ino };
	if (S_ISDIR(st.st_mode)) {
		path_warn(path, "is a directory");
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode))
		buf_grow(b, (size_t)st.st_size);
	for (;;) {
		buf_grow(b, 65536);
		r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			path_warn(path, strerror(errno));
			if (fd)
				close(fd);
			return -1;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	b->data[b->len] = '\0';
	if (fd)
		close(fd);
	return 0;
}

int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
path_join(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (n == 0 || strcmp(dir, ".") == 0)
		return xstrdup(path);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s", (int)n, dir, path);
}

static int
seen(const struct fileid *v, size_t n, const struct fileid *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].dev == id->dev && v[i].ino == id->ino)
			return 1;
	return 0;
}

/* The directories from the top down to the one being read, to recognize a loop. */
struct chain {
	struct fileid id;
	const struct chain *up;
};

static int
walk(const char *top, const char *rel, const struct chain *up, const struct walkopt *o, struct strv *out)
{
	char *path = rel[0] ? path_join(top, rel) : xstrdup(top);
	DIR *d = opendir(path);
	struct dirent *e;
	struct stat st;
	struct chain here;
	int rc = 0;

	if (!d || fstat(dirfd(d), &st) != 0) {
		int err = errno;

		path_warn(path, strerror(err));
		if (d)
			closedir(d);
		free(path);
		return -1;
	}
	here = (struct chain){ { st.st_dev, st.st_ino }, up };
	for (const struct chain *c = up; c; c = c->up)
		if (c->id.dev == here.id.dev && c->id.ino == here.id.ino) {
			path_warn(path, "symbolic link loop: the directory contains itself");
			rc = -1;
			break;
		}
	if (rc != 0 || seen(o->skip, o->nskip, &here.id)) {
		closedir(d);
		free(path);
		return rc;
	}
	while ((e = readdir(d)) != NULL) {
		int type = e->d_type;
		char *sub;

		if (e->d_name[0] == '.')
			continue; /* ., .. and hidden files, like shell globs */
		sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		/* a symbolic link is what it points to */
		if (type == DT_LNK || type == DT_UNKNOWN) {
			if (fstatat(dirfd(d), e->d_name, &st, 0) == 0) {
				type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
			} else {
				int err = errno;
				struct stat lst;
				char *full = path_join(top, sub);

				if (o->strict) {
					if (err == ENOENT && fstatat(dirfd(d), e->d_name, &lst, AT_SYMLINK_NOFOLLOW) == 0
					    && S_ISLNK(lst.st_mode))
						path_warn(full, "dangling symbolic link");
					else
						path_warn(full, strerror(err));
					rc = -1;
				}
				free(full);
				type = DT_UNKNOWN;
			}
		}
		if (type == DT_DIR && o->recursive) {
			if (walk(top, sub, &here, o, out) != 0)
				rc = -1;
			free(sub);
		} else if (type == DT_REG) {
			strv_take(out, sub);
		} else {
			free(sub);
		}
	}
	closedir(d);
	free(path);
	return rc;
}

int
walk_tree(const char *dir, const struct walkopt *o, struct strv *out)
{
	return walk(dir, "", NULL, o, out);
}

int
walk_dir(const char *dir, int recursive, struct strv *out)
{
	struct walkopt o = { .recursive = recursive };

	return walk_tree(dir, &o, out);
}

int
has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

char *
esc_ctl(const char *s)
{
	struct buf b = { 0 };

	buf_grow(&b, strlen(s));
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			buf_printf(&b, "\\x%02X", c);
		else
			buf_add(&b, s, 1);
	}
	return b.data;
}

/* The "]" that closes the bracket expression at g, or NULL when there is none. */
static const char *
bracket_end(const char *g)
{
	const char *q = g + 1;

	if (*q == '!' || *q == '^')
		q++;
	if (*q == ']')
		q++; /* a "]" first in the set is a member */
	while (*q && *q != ']')
		q++;
	return *q ? q : NULL;
}

/* Whether c is in the set of the bracket expression from g (the "[") to end (its "]"). */
static int
bracket_has(const char *g, const char *end, unsigned char c)
{
	const char *q = g + 1;
	int neg = 0, hit = 0;

	if (*q == '!' || *q == '^')
		neg = 1, q++;
	while (q < end) {
		if (q + 2 < end && q[1] == '-') {
			hit |= c >= (unsigned char)q[0] && c <= (unsigned char)q[2];
			q += 3;
		} else {
			hit |= c == (unsigned char)*q;
			q++;
		}
	}
	return hit != neg;
}

/* fnmatch-like matching of one path against a glob with "**" spanning directories */
int
glob_match(const char *g, const char *p)
{
	const char *end;

	while (*g) {
		if (g[0] == '*' && g[1] == '*') {
			g += 2;
			if (*g == '/') {
				/* "**" + "/" matches zero or more whole directories */
				g++;
				for (;;) {
					if (glob_match(g, p))
						return 1;
					p = strchr(p, '/');
					if (!p)
						return 0;
					p++;
				}
			}
			for (;; p++) {
				if (glob_match(g, p))
					return 1;
				if (!*p)
					return 0;
			}
		}
		if (*g == '*') {
			g++;
			for (;; p++) {
				if (glob_match(g, p))
					return 1;
				if (!*p || *p == '/')
					return 0;
			}
		}
		if (!*p)
			return 0;
		if (*g == '?') {
			if (*p == '/')
				return 0;
		} else if (*g == '[' && (end = bracket_end(g)) != NULL) {
			if (*p == '/' || !bracket_has(g, end, (unsigned char)*p))
				return 0;
			g = end;
		} else if (*g != *p) {
			return 0;
		}
		g++;
		p++;
	}
	return *p == '\0';
}

static int
interrupted(const char *what, volatile sig_atomic_t *stop)
{
	warnx("interrupted: %s", what);
	return 128 + *stop;
}

/* Write all of p to fd; 0, or the errno of the failure (EINTR once *stop is set). */
static int
write_all(int fd, const char *p, size_t n, volatile sig_atomic_t *stop)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR && !*stop)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
write_bufs(int fd, const struct buf *v, size_t nv, volatile sig_atomic_t *stop)
{
	int err = 0;

	for (size_t i = 0; i < nv && !err; i++)
		err = write_all(fd, v[i].data ? v[i].data : "", v[i].len, stop);
	return err;
}

static int
write_failed(const char *path, int err)
{
	path_warn(path, strerror(err));
	return EX_FAIL;
}

int
write_out(const char *path, const struct buf *v, size_t nv, volatile sig_atomic_t *stop)
{
	struct stat st;
	const char *orig = path;
	char *tmp, *real = NULL;
	int fd, err, stopped, exists;

	if (!path) {
		if ((err = write_bufs(STDOUT_FILENO, v, nv, stop)) != 0 && *stop)
			return interrupted("the output is incomplete", stop);
		if (err)
			warnx("error writing output: %s", strerror(err));
		return err ? EX_FAIL : EX_OK;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		err = fd < 0 ? errno : write_bufs(fd, v, nv, stop);
		if (fd >= 0 && close(fd) != 0 && !err)
			err = errno;
		if (err && *stop)
			return interrupted("the output is incomplete", stop);
		return err ? write_failed(path, err) : EX_OK;
	}
	/* a link is written through: the rename replaces its target, never the link itself */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (!(real = realpath(path, NULL)))
			return write_failed(path, errno);
		path = real;
	}
	exists = stat(path, &st) == 0;
	tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0) {
		err = errno;
		free(tmp);
		free(real);
		return write_failed(orig, err);
	}
	/* the replacement keeps the mode of the file it replaces (a private file stays private) */
	if (exists)
		(void)fchmod(fd, st.st_mode & 07777);
	/* the signal handler only notes the signal: the temporary file is removed here, and once
	   the rename is done the output is whole */
	err = write_bufs(fd, v, nv, stop);
	if (close(fd) != 0 && !err)
		err = errno;
	stopped = *stop != 0;
	if (!err && !stopped && rename(tmp, path) != 0)
		err = errno;
	if (err || stopped)
		unlink(tmp);
	free(tmp);
	free(real);
	if (stopped)
		return interrupted("nothing was written", stop);
	return err ? write_failed(orig, err) : EX_OK;
}
