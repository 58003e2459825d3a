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

int
read_file(const char *path, struct buf *b)
{
	int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	ssize_t r;

	if (fd < 0) {
		warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		warnx("%s: is a directory", path);
		close(fd);
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		buf_grow(b, (size_t)st.st_size);
	for (;;) {
		buf_grow(b, 65536);
		r = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			warnx("%s: %s", path, strerror(errno));
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
walk(const char *top, const char *rel, int recursive, struct strv *out)
{
	char *path = rel[0] ? path_join(top, rel) : xstrdup(top);
	DIR *d = opendir(path);
	struct dirent *e;
	int rc = 0;

	if (!d) {
		warnx("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char *sub;
		int type = e->d_type;

		if (e->d_name[0] == '.')
			continue; /* ., .. and hidden files, like shell globs */
		sub = rel[0] ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		if (type == DT_UNKNOWN || type == DT_LNK) {
			struct stat st;
			char *full = path_join(top, sub);

			type = stat(full, &st) != 0 ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
			    : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
			free(full);
		}
		if (type == DT_DIR && recursive) {
			if (walk(top, sub, recursive, out) != 0)
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
walk_dir(const char *dir, int recursive, struct strv *out)
{
	return walk(dir, "", recursive, out);
}

/* fnmatch-like matching of one path against a glob with "**" spanning directories */
int
glob_match(const char *g, const char *p)
{
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
		} else if (*g == '[') {
			const char *q = g + 1;
			int neg = 0, hit = 0;

			if (*q == '!' || *q == '^')
				neg = 1, q++;
			do {
				if (q[1] == '-' && q[2] && q[2] != ']') {
					hit |= *p >= q[0] && *p <= q[2];
					q += 3;
				} else {
					hit |= *p == *q;
					q++;
				}
			} while (*q && *q != ']');
			if (!*q || hit == neg)
				return 0;
			g = q;
		} else if (*g != *p) {
			return 0;
		}
		g++;
		p++;
	}
	return *p == '\0';
}
