#ifndef CONF_SRCFILES_H
#define CONF_SRCFILES_H

#include "config.h"

/* One schema file of an environment. */
struct srcfile {
	char *path;  /* relative to the project root (or absolute), as written in markers */
	long order;  /* the order of the include_dirs entry that found it */
	size_t seq;  /* discovery order, to keep the sort stable */
};

struct idset;

/* The schema files an environment names, in build order, each read once. */
struct srcfiles {
	const struct envconfig *cfg;
	int no_seeds;          /* leave out paths with a seed component (upstream's rule) */
	struct srcfile *v;
	size_t n, cap;
	struct fileid skip[4]; /* files and directories never read: the output, db/generated */
	size_t nskip;
	struct idset *ids;     /* the files read so far, by identity */
	size_t next;           /* the next entry srcfiles_read reads */
};

// srcfiles.c
/* Start a collection of cfg's files (without the seed files when no_seeds); db/generated is left out. */
void srcfiles_init(struct srcfiles *fs, const struct envconfig *cfg, int no_seeds);
/* Leave out of the walk and of the reading whatever path names, if it exists. */
void srcfiles_skip(struct srcfiles *fs, const char *path);
/* Leave out the file or directory of identity id. */
void srcfiles_skip_id(struct srcfiles *fs, struct fileid id);
/* Find the files of include_dirs (globs, order, recursion, exclude_dirs) and sort them in build
   order. EX_OK, or after a message EX_CONFIG (a directory missing or unreadable, a dangling link)
   or EX_SCHEMA (a name with a control character, no file at all). */
int srcfiles_collect(struct srcfiles *fs);
/* Read the next file into text (replacing its bytes): EX_OK with *path set, NULL at the end; or
   EX_FAIL after a message. A file reached again by another path or link, or one left out, is
   passed over: identity comes from the descriptor read. */
int srcfiles_read(struct srcfiles *fs, struct buf *text, const char **path);
/* Say that cfg names no SQL file; returns EX_SCHEMA. */
int srcfiles_none(const struct envconfig *cfg);
/* Paths in upstream's order: component by component, each in byte order, a prefix first. */
int srcfiles_pathcmp(const char *a, const char *b);
/* Free the list. */
void srcfiles_free(struct srcfiles *fs);

#endif
