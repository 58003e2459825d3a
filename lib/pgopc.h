#ifndef CONF_PGOPC_H
#define CONF_PGOPC_H

// pgopc.c: the operator classes of PostgreSQL 15's pg_catalog and of its contrib extensions
/* Whether name is an operator class of pg_catalog (of some access method). */
int pgopc_builtin(const char *name);
/* Whether name is pg_catalog's default operator class of access method am for some type. */
int pgopc_default(const char *am, const char *name);
/* The next default operator class of access method am of a contrib extension, from *i (0 first;
   advanced past it): 1 with *ext and *opc set, 0 when there is no other. */
int pgopc_ext_default(const char *am, int *i, const char **ext, const char **opc);

#endif
