#ifndef CONF_CONFIG_H
#define CONF_CONFIG_H

#include "fsx.h"

/* One entry of include_dirs. */
struct incdir {
	char *path;          /* as written, relative to the project root unless absolute */
	int recursive;
	struct strv include; /* globs; a glob without "/" matches the file name */
	struct strv exclude;
	long order;
	int optional;        /* auto_discover: true, a missing directory is skipped */
	struct srcpos pos;   /* where the entry is written */
};

/* A resolved db/environments/<env>.yaml. */
struct envconfig {
	char *name;           /* environment name */
	char *file;           /* the YAML file read, NULL when there was none */
	char *root;           /* project root */
	char *database_url;   /* NULL when not set; ${VAR} expanded */
	char *url_unset;      /* NULL, or the ${VAR} of database_url that is not set (then database_url
	                         is NULL): only when the URL is not used (config_offline) */
	struct srcpos url_pos;
	struct incdir *inc;
	size_t ninc;
	struct strv exclude_dirs;
	char *tracking_table; /* default tb_confiture */
	int sort_hex;         /* build.sort_mode: hex */
	int sort_deps;        /* build.sort_mode: dependencies (files alphabetical, then conf-sort) */
	int build_cache;      /* build.cache: keep each build as a template database (conf-tpl) */
	long lock_timeout_ms; /* migration.locking.timeout_ms, -1 if unset */
	int lock_enabled;     /* migration.locking (a boolean) or migration.locking.enabled */
	long hook_timeout_s;  /* hooks.timeout: seconds a hook may run, default 300, 0 = no limit */
	int require_confirmation; /* require_confirmation: true: a production database (confiture sync refuses it as a target) */
	int require_confirmation_set; /* require_confirmation is written (true or false), not left out */
	char *seed_prep_schema;    /* seed.prep_seed_schema, NULL if unset (conf-seedcheck) */
	char *seed_catalog_schema; /* seed.catalog_schema, NULL if unset */
	struct strv seed_tables;   /* seed.tables_to_validate */
};

enum { Y_SCALAR, Y_MAP, Y_SEQ };

/* A YAML document as a tree; maps keep key/value pairs in kids[2i], kids[2i+1]. */
struct ynode {
	int kind;
	int plain;      /* scalar written without quotes (so "null" and "~" mean null) */
	char *str;
	long line, col;
	struct ynode **kids;
	size_t n;
};

// config.c
/* The one YAML document of len bytes of text (file names it in messages) as a tree; an empty
   file gives an empty map; NULL after a message with file:line:col. */
struct ynode *yload(const char *file, const char *text, size_t len);
/* Free a tree from yload. */
void ynode_free(struct ynode *y);
/* Load the environment: file (if not NULL) or <root>/db/environments/<env>.yaml.
   Returns NULL after reporting FILE:LINE:COL of the problem; *status gets the exit code. */
struct envconfig *config_load(const char *root, const char *env, const char *file, int *status);
/* The same from text in memory, named file in messages (the fuzzer's entry point). */
struct envconfig *config_parse(const char *file, const char *text, size_t len, int *status);
/* This process never connects: an unset ${VAR} in database_url is not an error (it is
   otherwise, unless CONFITURE_DATABASE_URL overrides it or CONFITURE_OFFLINE=1). */
void config_offline(void);
/* Free what config_load returned. */
void config_free(struct envconfig *c);
/* Whether a tracking-table name is a plain identifier, optionally schema-qualified. */
int config_valid_table(const char *name);
/* Why a tracking-table name is refused ("an empty part", ...), NULL when it is valid. */
const char *config_table_problem(const char *name);

#endif
