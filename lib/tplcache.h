#ifndef CONF_TPLCACHE_H
#define CONF_TPLCACHE_H

#include <libpq-fe.h>

/* A cached template is TPL_PREFIX and the first 16 hex digits of its schema hash, built under
   TPL_SCRATCH and the same digits; its comment is COMMENT_TAG, the full hash, a space, the key. */
#define TPL_PREFIX "confiture_tpl_"
#define TPL_SCRATCH "confiture_tplnew_"
#define COMMENT_TAG "confiture:template:"

// tplcache.c: EX_OK or an exit code after a message, unless said otherwise
/* Whether a lock statement ran in another server process than the first (a pooler in
   transaction mode): no unlock will then hold. */
int tpl_pooled(void);
/* Whether database name exists, in *exists. */
int tpl_db_exists(PGconn *m, const char *name, int *exists);
/* Whether server process pid (of a lock statement's result) is the one every lock statement of
   this run ran in; EX_LOCK after saying a transaction-mode pooler is in the way. */
int tpl_same_session(const char *pid);
/* fn(key) (pg_advisory_lock, pg_try_advisory_lock, ..._unlock, ..._shared) on the lock of a
   template's 16 hex digits; *got (if not NULL) gets its boolean. */
int tpl_hash_lock(PGconn *m, const char *fn, const char *hex16, int *got);
/* CREATE DATABASE name TEMPLATE tpl by file copy, after waiting up to 2 s for the sessions on
   tpl to leave; EX_LOCK naming them when they do not. */
int tpl_clone_from(PGconn *m, const char *tpl, const char *name);
/* Make a template unmarked and drop it; the caller holds its hash lock. */
int tpl_drop(PGconn *m, const char *name);
/* Drop the templates of datnames (rows of r, column 0) whose hash lock is free, saying so with
   why after the name; a busy one is kept, with a message. */
int tpl_drop_unlocked(PGconn *m, PGresult *r, const char *why);
/* Whether database name fits the server's max_identifier_length; EX_CONFIG after naming it. */
int tpl_name_fits(PGconn *m, const char *name);
/* Drop every cached template (and scratch one left by a crash) but those of the nh hashes;
   verbose says when there is none. */
int tpl_prune(PGconn *m, char **hashes, int nh, int verbose);

#endif
