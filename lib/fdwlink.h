#ifndef CONF_FDWLINK_H
#define CONF_FDWLINK_H

#include <libpq-fe.h>

#include "fsx.h"

/* The comment of a staging schema starts so, then "<server>, source schema <schema>": how
   cleanup and staging know the schemas setup made (lib/sql/fdw_staging.sql and
   fdw_foreign_elsewhere.sql spell it too). */
#define FDW_STAGING_MARK "confiture staging schema: foreign tables of server "

// fdwlink.c: each on the target c, inside the caller's transaction; EX_OK or an exit code after a message
/* The server options that reach the source as the connection src does (host or socket
   directory, hostaddr, port, dbname, TLS settings given), never user nor password. */
void fdw_server_options(PGconn *src, struct strv *keys, struct strv *vals);
/* The postgres_fdw server: created, or its options made keys=vals; *what "created", "updated"
   or "unchanged". */
int fdw_ensure_server(PGconn *c, const char *server, const struct strv *keys, const struct strv *vals,
    const char **what);
/* The user mapping of current_user on server with user and password (NULL: none), handed
   over by COPY; *what (allocated) says what was done. */
int fdw_ensure_mapping(PGconn *c, const char *server, const char *user, const char *password, char **what);
/* The staging schema st of source schema s: made and marked, or taken over when it exists
   empty; one of that name holding anything else is refused (EX_CONFIG). */
int fdw_ensure_staging(PGconn *c, const char *server, const char *st, const char *s);
/* IMPORT FOREIGN SCHEMA s from the source src into st, the foreign tables already up to date
   left out, changed ones dropped first; counts imported, there before and dropped in *added,
   *before, *stale. */
int fdw_import(PGconn *c, PGconn *src, const char *server, const char *st, const char *s, int *added,
    int *before, int *stale);

#endif
