#ifndef CONF_EXTOPC_H
#define CONF_EXTOPC_H

// extopc.c: the default operator classes of the extensions shipped with PostgreSQL 15
/* The next default operator class of access method am of an extension, from *i (0 first; advanced
   past it): 1 with *ext and *opc set, 0 when there is no other. */
int extopc_default(const char *am, int *i, const char **ext, const char **opc);

#endif
