#ifndef CONF_NORMEXPR_H
#define CONF_NORMEXPR_H

#include <jansson.h>

/* How to read an expression's text (conf-inspect has text; conf-parse has the node already). */
enum nx_kind {
	NX_EXPR,    /* a scalar expression: default, check, index key, predicate, policy, generated */
	NX_QUERY,   /* a query: view and materialized view bodies, rule actions */
	NX_BOUND,   /* a partition bound: FOR VALUES ... or DEFAULT */
	NX_BODY,    /* an SQL-standard function body: RETURN expr or BEGIN ATOMIC ... END */
};

// normexpr.c: one normalization for both sides of the model
/* The normalized form of a parse-tree node (libpg_query JSON, borrowed): 16 hex digits of the
   sha256 of the normalized tree; equal forms mean equal expressions. sql is the text the node's
   locations index: its negative integer constants are put back in place (normexpr_fix_consts);
   NULL when the tree was fixed already. */
char *normexpr_node(json_t *node, const char *sql);
/* The normalized form of an expression's text; NULL (no message) if it does not parse. */
char *normexpr_text(const char *text, enum nx_kind kind);
/* normexpr_node of a DEFAULT (of a column, a domain, a function argument) whose value goes to type
   (canonical name; NULL or "" unknown): an untyped string literal is read as a constant of that
   type, as PostgreSQL coerces it ('05' for an integer is 5; '007' for text stays '007'). */
char *normexpr_node_as(json_t *node, const char *sql, const char *type);
/* normexpr_text of a DEFAULT's text with its type, as normexpr_node_as. */
char *normexpr_text_as(const char *text, const char *type);
/* The normalized form of a partition bound's text (FOR VALUES ... / DEFAULT) with each datum read
   as its key's type: key_types[k] is the canonical type name of key k ("" unknown), NULL-terminated;
   dates and timestamps become the text PostgreSQL prints for them with TimeZone UTC, booleans
   true/false. The catalog's text is that text already: key_types NULL reads it as it is. */
char *normexpr_bound(const char *text, const char *const *key_types);
/* The key types of a partitioned table's model record for normexpr_bound (column keys: the
   column's type; expression keys ""), NULL-terminated; free() the array, the strings are rec's. */
const char **normexpr_key_types(json_t *rec);
/* The normalized tree itself (new reference; NULL if text does not parse), to see why forms differ. */
json_t *normexpr_tree(const char *text, enum nx_kind kind);
/* The source text of the expression node inside sql (the statement text its locations index):
   from its first token to its last, parentheses and CASE ... END balanced; newly allocated. */
char *normexpr_slice(const char *sql, json_t *node);
/* libpg_query 15's JSON writes a negative integer constant as 0: put every A_Const's value back
   from sql, the text the tree's locations index (normexpr_text does it; call it on a parse tree). */
void normexpr_fix_consts(json_t *tree, const char *sql);

/* The columns of relation schema.name (schema NULL when unqualified: resolve it as the search_path
   does), NULL-terminated and borrowed, or NULL when unknown. */
typedef const char *const *(*nx_cols_fn)(const char *schema, const char *name, void *ctx);
/* A view's query (ViewStmt.query, borrowed) as the catalog stores it, to pass to normexpr_node: the
   view's column list (ViewStmt.aliases, may be NULL) named on the select list, and * and t.*
   expanded to the columns fn knows (left as they are where a column list is unknown). New
   reference. */
json_t *normexpr_view_query(json_t *query, json_t *aliases, nx_cols_fn fn, void *ctx);
/* The column references of query (a SelectStmt node, changed in place) qualified as the catalog
   prints them where a select has more than one relation in scope: an unqualified column gets the
   name (alias, else relation name) of the first relation in scope that fn knows has it (a USING
   column: its left side); nothing changes in a select where a relation's columns are unknown. */
void normexpr_qualify(json_t *query, nx_cols_fn fn, void *ctx);
/* The canonical type of column col of relation schema.rel (a domain given as its base type), ""
   when the column exists but its type is not known or the relation is not known, NULL when the
   relation is known and has no such column. rel NULL: the relation the expression belongs to (a
   table's DEFAULT, CHECK, index, generated column, policy or trigger WHEN; a domain's VALUE);
   schema NULL: rel unqualified, resolved as the search_path does. */
typedef const char *(*nx_type_fn)(const char *schema, const char *rel, const char *col, void *ctx);
/* The column types the normalizations that follow read (fn NULL: none known): a cast of a column
   is dropped only where PostgreSQL would add it itself, and an untyped literal compared with a
   column is read as the column's type, as parse analysis coerces it. */
void normexpr_set_types(nx_type_fn fn, void *ctx);
/* The output columns of a function in FROM (item: a RangeFunction node, borrowed) as PostgreSQL
   names them, its alias's column list applied (new array of strings), and in *ref the name it is
   referred to by (its alias, else the function's; borrowed); NULL when they are not known (a
   function of the user's, ROWS FROM of several): only built-in ones with known output are. */
json_t *normexpr_func_cols(json_t *item, const char **ref);
/* An SQL-standard function body (CreateFunctionStmt.sql_body, changed in place) as the catalog
   stores it: an INSERT without a column list gets the first columns of its table (fn), as many
   as it gives values for. */
void normexpr_body(json_t *body, nx_cols_fn fn, void *ctx);

#endif
