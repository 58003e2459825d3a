#ifndef CONF_FSX_H
#define CONF_FSX_H

#include <stddef.h>

#include "diag.h"

/* A list of strings that owns its elements. */
struct strv {
	char **v;
	size_t n, cap;
};

// fsx.c
/* Append a copy of s. */
void strv_add(struct strv *sv, const char *s);
/* Append s, taking ownership. */
void strv_take(struct strv *sv, char *s);
/* Free the elements and the array. */
void strv_free(struct strv *sv);
/* Read a whole file ("-" = stdin) into b; on failure print "prog: path: reason" and return -1. */
int read_file(const char *path, struct buf *b);
/* Append to out the regular files below dir (relative to dir, "/"-separated); recursive or not.
   Returns -1 and prints the reason when dir cannot be read. */
int walk_dir(const char *dir, int recursive, struct strv *out);
/* Whether path matches the glob; "**" matches any number of directories, "*" and "?" stay within one. */
int glob_match(const char *glob, const char *path);
/* Whether path names a directory. */
int is_dir(const char *path);
/* path joined to dir with one "/" (dir "" or "." gives path). */
char *path_join(const char *dir, const char *path);

#endif
