#ifndef CONF_FSX_H
#define CONF_FSX_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "diag.h"

/* A list of strings that owns its elements. */
struct strv {
	char **v;
	size_t n, cap;
};

/* A file's identity: two paths name the same file when device and inode are equal. */
struct fileid {
	dev_t dev;
	ino_t ino;
};

/* What walk_tree does. */
struct walkopt {
	int recursive;             /* descend into subdirectories */
	int strict;                /* a dangling symbolic link or an entry that cannot be examined is an error */
	const struct fileid *skip; /* directories left out of the walk, by identity */
	size_t nskip;
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
/* read_file, also giving the identity of the file read (device and inode) when id is not NULL. */
int read_file_id(const char *path, struct buf *b, struct fileid *id);
/* Append to out the regular files below dir (relative to dir, "/"-separated); recursive or not.
   Returns -1 and prints the reason when dir cannot be read (walk_tree, not strict). */
int walk_dir(const char *dir, int recursive, struct strv *out);
/* Append to out the regular files below dir (relative to dir), following symbolic links; a
   directory that contains itself through a link is an error, and with o->strict so is a dangling
   link. Errors are printed with the path (control bytes escaped) and the walk goes on; returns -1
   if there was one. */
int walk_tree(const char *dir, const struct walkopt *o, struct strv *out);
/* Whether s holds a control byte (0x01-0x1f, 0x7f). */
int has_ctl(const char *s);
/* A new copy of s with each control byte written as \xHH. */
char *esc_ctl(const char *s);
/* Whether path matches the glob; "**" matches any number of directories, "*", "?" and "[...]" stay
   within one; a "[" without its "]" is an ordinary character. */
int glob_match(const char *glob, const char *path);
/* Whether path names a directory. */
int is_dir(const char *path);
/* path joined to dir with one "/" (dir "" or "." gives path). */
char *path_join(const char *dir, const char *path);
/* Write the pieces v to standard output (path NULL) or to path: a regular file (or a new one) is
   replaced whole through a temporary file and a rename; anything else (a device, a fifo) is
   written in place, never replaced. A signal noted in *stop by a handler installed without
   SA_RESTART ends the write, and the temporary file is removed. Returns EX_OK, EX_FAIL after a
   message, or 128 + *stop after "interrupted: ...". */
int write_out(const char *path, const struct buf *v, size_t nv, volatile sig_atomic_t *stop);

#endif
