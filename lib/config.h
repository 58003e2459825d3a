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
	struct srcpos url_pos;
	struct incdir *inc;
	size_t ninc;
	struct strv exclude_dirs;
	char *tracking_table; /* default tb_confiture */
	int sort_hex;         /* build.sort_mode: hex */
	long lock_timeout_ms; /* migration.locking.timeout_ms, -1 if unset */
	int lock_enabled;     /* migration.locking.enabled */
	long hook_timeout_s;  /* hooks.timeout: seconds a hook may run, 0 = no limit (default 300) */
};

// config.c
/* Load the environment: file (if not NULL) or <root>/db/environments/<env>.yaml.
   Returns NULL after reporting FILE:LINE:COL of the problem; *status gets the exit code. */
struct envconfig *config_load(const char *root, const char *env, const char *file, int *status);
/* Free what config_load returned. */
void config_free(struct envconfig *c);
/* Whether a tracking-table name is a plain or schema-qualified identifier. */
int config_valid_table(const char *name);

#endif
