#ifndef CONF_PGNAMES_H
#define CONF_PGNAMES_H

#include <jansson.h>

#define PGN_MAXLEN 63 /* NAMEDATALEN - 1 */

/* Whether a name is already used where the new one must be unique; ctx is the caller's. */
typedef int (*pgn_taken_fn)(const char *name, void *ctx);
/* The schema of a user-defined type called name (unqualified), or NULL when there is none. */
typedef const char *(*pgn_type_fn)(const char *name, void *ctx);

// pgnames.c: names PostgreSQL invents and the type names it prints
/* makeObjectName: name1[_name2][_label], name1 and name2 cut (multibyte-safe) to fit 63 bytes. */
char *pgn_make_name(const char *name1, const char *name2, const char *label);
/* ChooseRelationName / ChooseConstraintName: the first free of makeObjectName and its numbered
   variants (label1, label2, ...). */
char *pgn_choose(const char *name1, const char *name2, const char *label, pgn_taken_fn taken, void *ctx);
/* A canonical type name, as format_type prints it with search_path = pg_catalog, of a libpg_query
   TypeName node: built-ins unqualified, user types qualified (resolved with fn, else with
   dflt_schema). serial types give their integer type. */
char *pgn_type_name(json_t *typename_node, pgn_type_fn fn, void *ctx, const char *dflt_schema);
/* Whether a TypeName node is serial, bigserial or smallserial (and which integer type it means). */
const char *pgn_serial_type(json_t *typename_node);

#endif
