#include <ctype.h>
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "model.h"
#include "pgopc.h"
#include "ptree.h"
#include "sqlclass.h"
#include "stmtinfo.h"

/* What the walk of one statement knows besides its results. */
struct cx {
	struct stmtinfo *si;
	const char *dflt;  /* schema of unqualified names: the first of the path, or CREATE SCHEMA's own */
	struct spath *sp;
	struct strv ctes;  /* WITH names: a RangeVar of one of these names is no table */
	struct strv unq;   /* ids qid made of unqualified names with the path's first schema */
	int restore;       /* a set_config(..., true) outside a block: the path in keep comes back after */
	const struct pt *plain;     /* the target list of a plain SELECT (no FROM, WHERE, ...): a set_config
	                      that is a whole target of it runs once */
	int spmay;         /* search_path may change in a way not followed */
	struct strv keep;
	int with;          /* the statement's text has the word WITH or RECURSIVE (or is not known) */
	const char *am;    /* the access method of the index or exclusion constraint walked (its opclasses) */
};

/* Whether node (of length nl) is the literal lit. */
#define IS(lit) (nl == sizeof(lit) - 1 && memcmp(node, lit, sizeof(lit) - 1) == 0)

/* Walk flags: what a generic walk of a subtree records. */
enum { W_REL = 1 /* relations read by queries (FROM, INSERT INTO, ...) */ };

static const struct pt *
get(const struct pt *o, const char *k)
{
	return pt_get(o, k);
}

static const char *
str(const struct pt *o, const char *k)
{
	return pt_str(pt_get(o, k));
}

static int
streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The value of a {"String":{"sval":...}} node; NULL otherwise. */
static const char *
sval(const struct pt *n)
{
	return str(get(n, "String"), "sval");
}

/* Whether a routine's or DO block's text names search_path (in any case): it may set it. */
static int
names_path(const char *t)
{
	for (; t && *t; t++)
		if (strncasecmp(t, "search_path", 11) == 0)
			return 1;
	return 0;
}

/* The one key of a wrapped node {"Name":{...}} and its body. */
static const char *
unwrap(const struct pt *n, const struct pt **body)
{
	if (!pt_is_obj(n) || pt_osize(n) != 1)
		return NULL;
	*body = &n->u.o[0].v;
	return n->u.o[0].k;
}

/* Items of a {"List":{"items":[...]}} node, or the array itself. */
static const struct pt *
items(const struct pt *n)
{
	const struct pt *l = get(n, "List");

	return l ? get(l, "items") : pt_is_arr(n) ? n : NULL;
}

/* Append an id unless the list has it. */
static void
add_id(struct strv *v, char *id)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], id) == 0) {
			free(id);
			return;
		}
	strv_take(v, id);
}

/* prefix + schema.name (schema: the given one, else the default). */
static char *
qid(struct cx *c, const char *prefix, const char *schema, const char *name)
{
	char *q = (prefix[0] == 'o' && strcmp(prefix, "operator:") == 0 ? model_opr_qname : model_qname)(
	    schema ? schema : c->dflt, name);
	size_t pl = strlen(prefix), ql = strlen(q);
	char *id = xmalloc(pl + ql + 1);

	/* not xasprintf: a formatted print per name was a tenth of stmtinfo */
	memcpy(id, prefix, pl);
	memcpy(id + pl, q, ql + 1);
	free(q);
	if (!schema && c->sp && c->sp->schemas.n > 1 && c->dflt == spath_first(c->sp)) {
		/* id TAB prefix TAB name */
		size_t il = pl + ql, nl = strlen(name);
		char *u = xmalloc(il + pl + nl + 3);

		memcpy(u, id, il);
		u[il] = '\t';
		memcpy(u + il + 1, prefix, pl);
		u[il + 1 + pl] = '\t';
		memcpy(u + il + pl + 2, name, nl + 1);
		strv_take(&c->unq, u);
	}
	return id;
}

/* prefix + one bare name (schemas, extensions, publications, event triggers, roles). */
static char *
bid(const char *prefix, const char *name)
{
	char *q = model_ident(name);
	char *id = xasprintf("%s%s", prefix, q);

	free(q);
	return id;
}

/* Schema and name of a name list (catalog.schema.name: the catalog is left out); n = how many
   trailing names belong to the object (1, or 2 for table.column, ...). */
static int
split_names(const struct pt *list, const char **schema, const char **name)
{
	size_t n = pt_asize(list);

	*schema = NULL;
	*name = NULL;
	if (n == 0)
		return -1;
	*name = sval(pt_at(list, n - 1));
	if (n >= 2)
		*schema = sval(pt_at(list, n - 2));
	return *name ? 0 : -1;
}

/* The id of a name list under prefix; NULL when it holds no name. */
static char *
list_id(struct cx *c, const char *prefix, const struct pt *list)
{
	const char *s, *n;

	if (split_names(list, &s, &n) < 0)
		return NULL;
	return qid(c, prefix, s, n);
}

/* The id "prefix schema.name" of a RangeVar body. */
static char *
rv_id(struct cx *c, const char *prefix, const struct pt *rv)
{
	const char *n = str(rv, "relname");

	return n ? qid(c, prefix, str(rv, "schemaname"), n) : NULL;
}

static void
add(struct strv *v, char *id)
{
	if (id)
		add_id(v, id);
}

/* The schema part of an id made by qid ("table:s.t" -> schema:s); added to refs. */
static void
ref_schema_of(struct cx *c, const char *schema)
{
	add(&c->si->refs, bid("schema:", schema ? schema : c->dflt));
}

/* ---- types ---- */

/* Built-in types of pg_catalog by the name a TypeName carries, and their format_type names. */
static const char *const builtin_types[][2] = {
	{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" }, { "float4", "real" },
	{ "float8", "double precision" }, { "bool", "boolean" }, { "varchar", "character varying" },
	{ "bpchar", "character" }, { "numeric", "numeric" }, { "decimal", "numeric" },
	{ "timestamp", "timestamp without time zone" }, { "timestamptz", "timestamp with time zone" },
	{ "time", "time without time zone" }, { "timetz", "time with time zone" },
	{ "interval", "interval" }, { "bit", "bit" }, { "varbit", "bit varying" }, { "char", "\"char\"" },
	{ "serial", "integer" }, { "serial4", "integer" }, { "bigserial", "bigint" }, { "serial8", "bigint" },
	{ "smallserial", "smallint" }, { "serial2", "smallint" }, { "int", "integer" }, { "integer", "integer" },
	{ "smallint", "smallint" }, { "bigint", "bigint" }, { "real", "real" }, { "boolean", "boolean" },
	{ "text", NULL }, { "name", NULL }, { "uuid", NULL }, { "json", NULL }, { "jsonb", NULL },
	{ "jsonpath", NULL }, { "xml", NULL }, { "bytea", NULL }, { "date", NULL }, { "money", NULL },
	{ "inet", NULL }, { "cidr", NULL }, { "macaddr", NULL }, { "macaddr8", NULL }, { "oid", NULL },
	{ "tid", NULL }, { "xid", NULL }, { "xid8", NULL }, { "cid", NULL }, { "regclass", NULL },
	{ "regtype", NULL }, { "regproc", NULL }, { "regprocedure", NULL }, { "regoper", NULL },
	{ "regoperator", NULL }, { "regnamespace", NULL }, { "regrole", NULL }, { "regconfig", NULL },
	{ "regdictionary", NULL }, { "regcollation", NULL }, { "tsvector", NULL }, { "tsquery", NULL },
	{ "gtsvector", NULL }, { "point", NULL }, { "line", NULL }, { "lseg", NULL }, { "box", NULL },
	{ "path", NULL }, { "polygon", NULL }, { "circle", NULL }, { "pg_lsn", NULL },
	{ "pg_snapshot", NULL }, { "txid_snapshot", NULL }, { "int4range", NULL }, { "int8range", NULL },
	{ "numrange", NULL }, { "tsrange", NULL }, { "tstzrange", NULL }, { "daterange", NULL },
	{ "int4multirange", NULL }, { "int8multirange", NULL }, { "nummultirange", NULL },
	{ "tsmultirange", NULL }, { "tstzmultirange", NULL }, { "datemultirange", NULL },
	{ "record", NULL }, { "void", NULL }, { "trigger", NULL }, { "event_trigger", NULL },
	{ "cstring", NULL }, { "internal", NULL }, { "unknown", NULL }, { "refcursor", NULL },
	{ "aclitem", NULL }, { "int2vector", NULL }, { "oidvector", NULL }, { "pg_node_tree", NULL },
	{ "language_handler", NULL }, { "fdw_handler", NULL }, { "index_am_handler", NULL },
	{ "tsm_handler", NULL }, { "table_am_handler", NULL }, { "anyelement", NULL },
	{ "anyarray", NULL }, { "anynonarray", NULL }, { "anyenum", NULL }, { "anyrange", NULL },
	{ "anymultirange", NULL }, { "anycompatible", NULL }, { "anycompatiblearray", NULL },
	{ "anycompatiblenonarray", NULL }, { "anycompatiblerange", NULL },
	{ "anycompatiblemultirange", NULL }, { "any", NULL },
};

/* Functions and types of pg_catalog in PostgreSQL 15 (names from its postgres.bki and
   system_functions.sql), sorted in byte order: an unqualified call of one of these is no
   reference to a user's object (pg_catalog is searched first). */
static const char *const pg_funcs[] = {
	"abbrev", "abs", "aclcontains", "acldefault", "aclexplode", "aclinsert", "aclitemeq", "aclitemin",
	"aclitemout", "aclremove", "acos", "acosd", "acosh", "age", "amvalidate", "any_in", "any_out",
	"anyarray_in", "anyarray_out", "anyarray_recv", "anyarray_send", "anycompatible_in",
	"anycompatible_out", "anycompatiblearray_in", "anycompatiblearray_out", "anycompatiblearray_recv",
	"anycompatiblearray_send", "anycompatiblemultirange_in", "anycompatiblemultirange_out",
	"anycompatiblenonarray_in", "anycompatiblenonarray_out", "anycompatiblerange_in",
	"anycompatiblerange_out", "anyelement_in", "anyelement_out", "anyenum_in", "anyenum_out",
	"anymultirange_in", "anymultirange_out", "anynonarray_in", "anynonarray_out", "anyrange_in",
	"anyrange_out", "anytextcat", "area", "areajoinsel", "areasel", "array_agg",
	"array_agg_array_finalfn", "array_agg_array_transfn", "array_agg_finalfn", "array_agg_transfn",
	"array_append", "array_cat", "array_dims", "array_eq", "array_fill", "array_ge", "array_gt",
	"array_in", "array_larger", "array_le", "array_length", "array_lower", "array_lt", "array_ndims",
	"array_ne", "array_out", "array_position", "array_positions", "array_prepend", "array_recv",
	"array_remove", "array_replace", "array_send", "array_smaller", "array_subscript_handler",
	"array_to_json", "array_to_string", "array_to_tsvector", "array_typanalyze",
	"array_unnest_support", "array_upper", "arraycontained", "arraycontains", "arraycontjoinsel",
	"arraycontsel", "arrayoverlap", "ascii", "asin", "asind", "asinh", "atan", "atan2", "atan2d",
	"atand", "atanh", "avg", "bernoulli", "big5_to_euc_tw", "big5_to_mic", "big5_to_utf8",
	"binary_upgrade_create_empty_extension", "binary_upgrade_set_missing_value",
	"binary_upgrade_set_next_array_pg_type_oid", "binary_upgrade_set_next_heap_pg_class_oid",
	"binary_upgrade_set_next_heap_relfilenode", "binary_upgrade_set_next_index_pg_class_oid",
	"binary_upgrade_set_next_index_relfilenode",
	"binary_upgrade_set_next_multirange_array_pg_type_oid",
	"binary_upgrade_set_next_multirange_pg_type_oid", "binary_upgrade_set_next_pg_authid_oid",
	"binary_upgrade_set_next_pg_enum_oid", "binary_upgrade_set_next_pg_tablespace_oid",
	"binary_upgrade_set_next_pg_type_oid", "binary_upgrade_set_next_toast_pg_class_oid",
	"binary_upgrade_set_next_toast_relfilenode", "binary_upgrade_set_record_init_privs", "bit",
	"bit_and", "bit_count", "bit_in", "bit_length", "bit_or", "bit_out", "bit_recv", "bit_send",
	"bit_xor", "bitand", "bitcat", "bitcmp", "biteq", "bitge", "bitgt", "bitle", "bitlt", "bitne",
	"bitnot", "bitor", "bitshiftleft", "bitshiftright", "bittypmodin", "bittypmodout", "bitxor",
	"bool", "bool_accum", "bool_accum_inv", "bool_alltrue", "bool_and", "bool_anytrue", "bool_or",
	"booland_statefunc", "booleq", "boolge", "boolgt", "boolin", "boolle", "boollt", "boolne",
	"boolor_statefunc", "boolout", "boolrecv", "boolsend", "bound_box", "box", "box_above",
	"box_above_eq", "box_add", "box_below", "box_below_eq", "box_center", "box_contain",
	"box_contain_pt", "box_contained", "box_distance", "box_div", "box_eq", "box_ge", "box_gt",
	"box_in", "box_intersect", "box_le", "box_left", "box_lt", "box_mul", "box_out", "box_overabove",
	"box_overbelow", "box_overlap", "box_overleft", "box_overright", "box_recv", "box_right",
	"box_same", "box_send", "box_sub", "bpchar", "bpchar_larger", "bpchar_pattern_ge",
	"bpchar_pattern_gt", "bpchar_pattern_le", "bpchar_pattern_lt", "bpchar_smaller",
	"bpchar_sortsupport", "bpcharcmp", "bpchareq", "bpcharge", "bpchargt", "bpchariclike",
	"bpcharicnlike", "bpcharicregexeq", "bpcharicregexne", "bpcharin", "bpcharle", "bpcharlike",
	"bpcharlt", "bpcharne", "bpcharnlike", "bpcharout", "bpcharrecv", "bpcharregexeq",
	"bpcharregexne", "bpcharsend", "bpchartypmodin", "bpchartypmodout", "brin_bloom_add_value",
	"brin_bloom_consistent", "brin_bloom_opcinfo", "brin_bloom_options", "brin_bloom_summary_in",
	"brin_bloom_summary_out", "brin_bloom_summary_recv", "brin_bloom_summary_send",
	"brin_bloom_union", "brin_desummarize_range", "brin_inclusion_add_value",
	"brin_inclusion_consistent", "brin_inclusion_opcinfo", "brin_inclusion_union",
	"brin_minmax_add_value", "brin_minmax_consistent", "brin_minmax_multi_add_value",
	"brin_minmax_multi_consistent", "brin_minmax_multi_distance_date",
	"brin_minmax_multi_distance_float4", "brin_minmax_multi_distance_float8",
	"brin_minmax_multi_distance_inet", "brin_minmax_multi_distance_int2",
	"brin_minmax_multi_distance_int4", "brin_minmax_multi_distance_int8",
	"brin_minmax_multi_distance_interval", "brin_minmax_multi_distance_macaddr",
	"brin_minmax_multi_distance_macaddr8", "brin_minmax_multi_distance_numeric",
	"brin_minmax_multi_distance_pg_lsn", "brin_minmax_multi_distance_tid",
	"brin_minmax_multi_distance_time", "brin_minmax_multi_distance_timestamp",
	"brin_minmax_multi_distance_timetz", "brin_minmax_multi_distance_uuid",
	"brin_minmax_multi_opcinfo", "brin_minmax_multi_options", "brin_minmax_multi_summary_in",
	"brin_minmax_multi_summary_out", "brin_minmax_multi_summary_recv",
	"brin_minmax_multi_summary_send", "brin_minmax_multi_union", "brin_minmax_opcinfo",
	"brin_minmax_union", "brin_summarize_new_values", "brin_summarize_range", "brinhandler",
	"broadcast", "btarraycmp", "btboolcmp", "btbpchar_pattern_cmp", "btbpchar_pattern_sortsupport",
	"btcharcmp", "btequalimage", "btfloat48cmp", "btfloat4cmp", "btfloat4sortsupport", "btfloat84cmp",
	"btfloat8cmp", "btfloat8sortsupport", "bthandler", "btint24cmp", "btint28cmp", "btint2cmp",
	"btint2sortsupport", "btint42cmp", "btint48cmp", "btint4cmp", "btint4sortsupport", "btint82cmp",
	"btint84cmp", "btint8cmp", "btint8sortsupport", "btnamecmp", "btnamesortsupport", "btnametextcmp",
	"btoidcmp", "btoidsortsupport", "btoidvectorcmp", "btrecordcmp", "btrecordimagecmp", "btrim",
	"bttext_pattern_cmp", "bttext_pattern_sortsupport", "bttextcmp", "bttextnamecmp",
	"bttextsortsupport", "bttidcmp", "btvarstrequalimage", "bytea_sortsupport",
	"bytea_string_agg_finalfn", "bytea_string_agg_transfn", "byteacat", "byteacmp", "byteaeq",
	"byteage", "byteagt", "byteain", "byteale", "bytealike", "bytealt", "byteane", "byteanlike",
	"byteaout", "bytearecv", "byteasend", "cardinality", "cash_cmp", "cash_div_cash", "cash_div_flt4",
	"cash_div_flt8", "cash_div_int2", "cash_div_int4", "cash_div_int8", "cash_eq", "cash_ge",
	"cash_gt", "cash_in", "cash_le", "cash_lt", "cash_mi", "cash_mul_flt4", "cash_mul_flt8",
	"cash_mul_int2", "cash_mul_int4", "cash_mul_int8", "cash_ne", "cash_out", "cash_pl", "cash_recv",
	"cash_send", "cash_words", "cashlarger", "cashsmaller", "cbrt", "ceil", "ceiling", "center",
	"char", "char_length", "character_length", "chareq", "charge", "chargt", "charin", "charle",
	"charlt", "charne", "charout", "charrecv", "charsend", "chr", "cideq", "cidin", "cidout", "cidr",
	"cidr_in", "cidr_out", "cidr_recv", "cidr_send", "cidrecv", "cidsend", "circle", "circle_above",
	"circle_add_pt", "circle_below", "circle_center", "circle_contain", "circle_contain_pt",
	"circle_contained", "circle_distance", "circle_div_pt", "circle_eq", "circle_ge", "circle_gt",
	"circle_in", "circle_le", "circle_left", "circle_lt", "circle_mul_pt", "circle_ne", "circle_out",
	"circle_overabove", "circle_overbelow", "circle_overlap", "circle_overleft", "circle_overright",
	"circle_recv", "circle_right", "circle_same", "circle_send", "circle_sub_pt", "clock_timestamp",
	"close_ls", "close_lseg", "close_pb", "close_pl", "close_ps", "close_sb", "col_description",
	"concat", "concat_ws", "contjoinsel", "contsel", "convert", "convert_from", "convert_to", "corr",
	"cos", "cosd", "cosh", "cot", "cotd", "count", "covar_pop", "covar_samp", "cstring_in",
	"cstring_out", "cstring_recv", "cstring_send", "cume_dist", "cume_dist_final", "current_database",
	"current_query", "current_schema", "current_schemas", "current_setting", "current_user",
	"currtid2", "currval", "cursor_to_xml", "cursor_to_xmlschema", "database_to_xml",
	"database_to_xml_and_xmlschema", "database_to_xmlschema", "date", "date_bin", "date_cmp",
	"date_cmp_timestamp", "date_cmp_timestamptz", "date_eq", "date_eq_timestamp",
	"date_eq_timestamptz", "date_ge", "date_ge_timestamp", "date_ge_timestamptz", "date_gt",
	"date_gt_timestamp", "date_gt_timestamptz", "date_in", "date_larger", "date_le",
	"date_le_timestamp", "date_le_timestamptz", "date_lt", "date_lt_timestamp", "date_lt_timestamptz",
	"date_mi", "date_mi_interval", "date_mii", "date_ne", "date_ne_timestamp", "date_ne_timestamptz",
	"date_out", "date_part", "date_pl_interval", "date_pli", "date_recv", "date_send", "date_smaller",
	"date_sortsupport", "date_trunc", "datemultirange", "daterange", "daterange_canonical",
	"daterange_subdiff", "datetime_pl", "datetimetz_pl", "dcbrt", "decode", "degrees", "dense_rank",
	"dense_rank_final", "dexp", "diagonal", "diameter", "dispell_init", "dispell_lexize", "dist_bp",
	"dist_bs", "dist_cpoint", "dist_cpoly", "dist_lp", "dist_ls", "dist_pathp", "dist_pb", "dist_pc",
	"dist_pl", "dist_polyc", "dist_polyp", "dist_ppath", "dist_ppoly", "dist_ps", "dist_sb",
	"dist_sl", "dist_sp", "div", "dlog1", "dlog10", "domain_in", "domain_recv", "dpow", "dround",
	"dsimple_init", "dsimple_lexize", "dsqrt", "dsynonym_init", "dsynonym_lexize", "dtrunc",
	"elem_contained_by_multirange", "elem_contained_by_range", "encode", "enum_cmp", "enum_eq",
	"enum_first", "enum_ge", "enum_gt", "enum_in", "enum_larger", "enum_last", "enum_le", "enum_lt",
	"enum_ne", "enum_out", "enum_range", "enum_recv", "enum_send", "enum_smaller", "eqjoinsel",
	"eqsel", "euc_cn_to_mic", "euc_cn_to_utf8", "euc_jis_2004_to_shift_jis_2004",
	"euc_jis_2004_to_utf8", "euc_jp_to_mic", "euc_jp_to_sjis", "euc_jp_to_utf8", "euc_kr_to_mic",
	"euc_kr_to_utf8", "euc_tw_to_big5", "euc_tw_to_mic", "euc_tw_to_utf8", "event_trigger_in",
	"event_trigger_out", "every", "exp", "extract", "factorial", "family", "fdw_handler_in",
	"fdw_handler_out", "first_value", "float4", "float48div", "float48eq", "float48ge", "float48gt",
	"float48le", "float48lt", "float48mi", "float48mul", "float48ne", "float48pl", "float4_accum",
	"float4abs", "float4div", "float4eq", "float4ge", "float4gt", "float4in", "float4larger",
	"float4le", "float4lt", "float4mi", "float4mul", "float4ne", "float4out", "float4pl",
	"float4recv", "float4send", "float4smaller", "float4um", "float4up", "float8", "float84div",
	"float84eq", "float84ge", "float84gt", "float84le", "float84lt", "float84mi", "float84mul",
	"float84ne", "float84pl", "float8_accum", "float8_avg", "float8_combine", "float8_corr",
	"float8_covar_pop", "float8_covar_samp", "float8_regr_accum", "float8_regr_avgx",
	"float8_regr_avgy", "float8_regr_combine", "float8_regr_intercept", "float8_regr_r2",
	"float8_regr_slope", "float8_regr_sxx", "float8_regr_sxy", "float8_regr_syy", "float8_stddev_pop",
	"float8_stddev_samp", "float8_var_pop", "float8_var_samp", "float8abs", "float8div", "float8eq",
	"float8ge", "float8gt", "float8in", "float8larger", "float8le", "float8lt", "float8mi",
	"float8mul", "float8ne", "float8out", "float8pl", "float8recv", "float8send", "float8smaller",
	"float8um", "float8up", "floor", "flt4_mul_cash", "flt8_mul_cash", "fmgr_c_validator",
	"fmgr_internal_validator", "fmgr_sql_validator", "format", "format_type", "gb18030_to_utf8",
	"gbk_to_utf8", "gcd", "gen_random_uuid", "generate_series", "generate_series_int4_support",
	"generate_series_int8_support", "generate_subscripts", "get_bit", "get_byte",
	"get_current_ts_config", "getdatabaseencoding", "getpgusername", "gin_clean_pending_list",
	"gin_cmp_prefix", "gin_cmp_tslexeme", "gin_compare_jsonb", "gin_consistent_jsonb",
	"gin_consistent_jsonb_path", "gin_extract_jsonb", "gin_extract_jsonb_path",
	"gin_extract_jsonb_query", "gin_extract_jsonb_query_path", "gin_extract_tsquery",
	"gin_extract_tsvector", "gin_triconsistent_jsonb", "gin_triconsistent_jsonb_path",
	"gin_tsquery_consistent", "gin_tsquery_triconsistent", "ginarrayconsistent", "ginarrayextract",
	"ginarraytriconsistent", "ginhandler", "ginqueryarrayextract", "gist_box_consistent",
	"gist_box_distance", "gist_box_penalty", "gist_box_picksplit", "gist_box_same", "gist_box_union",
	"gist_circle_compress", "gist_circle_consistent", "gist_circle_distance", "gist_point_compress",
	"gist_point_consistent", "gist_point_distance", "gist_point_fetch", "gist_point_sortsupport",
	"gist_poly_compress", "gist_poly_consistent", "gist_poly_distance", "gisthandler",
	"gtsquery_compress", "gtsquery_consistent", "gtsquery_penalty", "gtsquery_picksplit",
	"gtsquery_same", "gtsquery_union", "gtsvector_compress", "gtsvector_consistent",
	"gtsvector_decompress", "gtsvector_options", "gtsvector_penalty", "gtsvector_picksplit",
	"gtsvector_same", "gtsvector_union", "gtsvectorin", "gtsvectorout", "has_any_column_privilege",
	"has_column_privilege", "has_database_privilege", "has_foreign_data_wrapper_privilege",
	"has_function_privilege", "has_language_privilege", "has_parameter_privilege",
	"has_schema_privilege", "has_sequence_privilege", "has_server_privilege", "has_table_privilege",
	"has_tablespace_privilege", "has_type_privilege", "hash_aclitem", "hash_aclitem_extended",
	"hash_array", "hash_array_extended", "hash_multirange", "hash_multirange_extended",
	"hash_numeric", "hash_numeric_extended", "hash_range", "hash_range_extended", "hash_record",
	"hash_record_extended", "hashbpchar", "hashbpcharextended", "hashchar", "hashcharextended",
	"hashenum", "hashenumextended", "hashfloat4", "hashfloat4extended", "hashfloat8",
	"hashfloat8extended", "hashhandler", "hashinet", "hashinetextended", "hashint2",
	"hashint2extended", "hashint4", "hashint4extended", "hashint8", "hashint8extended", "hashmacaddr",
	"hashmacaddr8", "hashmacaddr8extended", "hashmacaddrextended", "hashname", "hashnameextended",
	"hashoid", "hashoidextended", "hashoidvector", "hashoidvectorextended", "hashtext",
	"hashtextextended", "hashtid", "hashtidextended", "hashvarlena", "hashvarlenaextended",
	"heap_tableam_handler", "height", "host", "hostmask", "iclikejoinsel", "iclikesel",
	"icnlikejoinsel", "icnlikesel", "icregexeqjoinsel", "icregexeqsel", "icregexnejoinsel",
	"icregexnesel", "in_range", "index_am_handler_in", "index_am_handler_out", "inet_client_addr",
	"inet_client_port", "inet_gist_compress", "inet_gist_consistent", "inet_gist_fetch",
	"inet_gist_penalty", "inet_gist_picksplit", "inet_gist_same", "inet_gist_union", "inet_in",
	"inet_merge", "inet_out", "inet_recv", "inet_same_family", "inet_send", "inet_server_addr",
	"inet_server_port", "inet_spg_choose", "inet_spg_config", "inet_spg_inner_consistent",
	"inet_spg_leaf_consistent", "inet_spg_picksplit", "inetand", "inetmi", "inetmi_int8", "inetnot",
	"inetor", "inetpl", "initcap", "int2", "int24div", "int24eq", "int24ge", "int24gt", "int24le",
	"int24lt", "int24mi", "int24mul", "int24ne", "int24pl", "int28div", "int28eq", "int28ge",
	"int28gt", "int28le", "int28lt", "int28mi", "int28mul", "int28ne", "int28pl", "int2_accum",
	"int2_accum_inv", "int2_avg_accum", "int2_avg_accum_inv", "int2_mul_cash", "int2_sum", "int2abs",
	"int2and", "int2div", "int2eq", "int2ge", "int2gt", "int2in", "int2int4_sum", "int2larger",
	"int2le", "int2lt", "int2mi", "int2mod", "int2mul", "int2ne", "int2not", "int2or", "int2out",
	"int2pl", "int2recv", "int2send", "int2shl", "int2shr", "int2smaller", "int2um", "int2up",
	"int2vectorin", "int2vectorout", "int2vectorrecv", "int2vectorsend", "int2xor", "int4",
	"int42div", "int42eq", "int42ge", "int42gt", "int42le", "int42lt", "int42mi", "int42mul",
	"int42ne", "int42pl", "int48div", "int48eq", "int48ge", "int48gt", "int48le", "int48lt",
	"int48mi", "int48mul", "int48ne", "int48pl", "int4_accum", "int4_accum_inv", "int4_avg_accum",
	"int4_avg_accum_inv", "int4_avg_combine", "int4_mul_cash", "int4_sum", "int4abs", "int4and",
	"int4div", "int4eq", "int4ge", "int4gt", "int4in", "int4inc", "int4larger", "int4le", "int4lt",
	"int4mi", "int4mod", "int4mul", "int4multirange", "int4ne", "int4not", "int4or", "int4out",
	"int4pl", "int4range", "int4range_canonical", "int4range_subdiff", "int4recv", "int4send",
	"int4shl", "int4shr", "int4smaller", "int4um", "int4up", "int4xor", "int8", "int82div", "int82eq",
	"int82ge", "int82gt", "int82le", "int82lt", "int82mi", "int82mul", "int82ne", "int82pl",
	"int84div", "int84eq", "int84ge", "int84gt", "int84le", "int84lt", "int84mi", "int84mul",
	"int84ne", "int84pl", "int8_accum", "int8_accum_inv", "int8_avg", "int8_avg_accum",
	"int8_avg_accum_inv", "int8_avg_combine", "int8_avg_deserialize", "int8_avg_serialize",
	"int8_mul_cash", "int8_sum", "int8abs", "int8and", "int8dec", "int8dec_any", "int8div", "int8eq",
	"int8ge", "int8gt", "int8in", "int8inc", "int8inc_any", "int8inc_float8_float8",
	"int8inc_support", "int8larger", "int8le", "int8lt", "int8mi", "int8mod", "int8mul",
	"int8multirange", "int8ne", "int8not", "int8or", "int8out", "int8pl", "int8pl_inet", "int8range",
	"int8range_canonical", "int8range_subdiff", "int8recv", "int8send", "int8shl", "int8shr",
	"int8smaller", "int8um", "int8up", "int8xor", "integer_pl_date", "inter_lb", "inter_sb",
	"inter_sl", "internal_in", "internal_out", "interval", "interval_accum", "interval_accum_inv",
	"interval_avg", "interval_cmp", "interval_combine", "interval_div", "interval_eq", "interval_ge",
	"interval_gt", "interval_hash", "interval_hash_extended", "interval_in", "interval_larger",
	"interval_le", "interval_lt", "interval_mi", "interval_mul", "interval_ne", "interval_out",
	"interval_pl", "interval_pl_date", "interval_pl_time", "interval_pl_timestamp",
	"interval_pl_timestamptz", "interval_pl_timetz", "interval_recv", "interval_send",
	"interval_smaller", "interval_support", "interval_um", "intervaltypmodin", "intervaltypmodout",
	"is_normalized", "isclosed", "isempty", "isfinite", "ishorizontal", "iso8859_1_to_utf8",
	"iso8859_to_utf8", "iso_to_koi8r", "iso_to_mic", "iso_to_win1251", "iso_to_win866", "isopen",
	"isparallel", "isperp", "isvertical", "johab_to_utf8", "json_agg", "json_agg_finalfn",
	"json_agg_transfn", "json_array_element", "json_array_element_text", "json_array_elements",
	"json_array_elements_text", "json_array_length", "json_build_array", "json_build_object",
	"json_each", "json_each_text", "json_extract_path", "json_extract_path_text", "json_in",
	"json_object", "json_object_agg", "json_object_agg_finalfn", "json_object_agg_transfn",
	"json_object_field", "json_object_field_text", "json_object_keys", "json_out",
	"json_populate_record", "json_populate_recordset", "json_recv", "json_send", "json_strip_nulls",
	"json_to_record", "json_to_recordset", "json_to_tsvector", "json_typeof", "jsonb_agg",
	"jsonb_agg_finalfn", "jsonb_agg_transfn", "jsonb_array_element", "jsonb_array_element_text",
	"jsonb_array_elements", "jsonb_array_elements_text", "jsonb_array_length", "jsonb_build_array",
	"jsonb_build_object", "jsonb_cmp", "jsonb_concat", "jsonb_contained", "jsonb_contains",
	"jsonb_delete", "jsonb_delete_path", "jsonb_each", "jsonb_each_text", "jsonb_eq", "jsonb_exists",
	"jsonb_exists_all", "jsonb_exists_any", "jsonb_extract_path", "jsonb_extract_path_text",
	"jsonb_ge", "jsonb_gt", "jsonb_hash", "jsonb_hash_extended", "jsonb_in", "jsonb_insert",
	"jsonb_le", "jsonb_lt", "jsonb_ne", "jsonb_object", "jsonb_object_agg",
	"jsonb_object_agg_finalfn", "jsonb_object_agg_transfn", "jsonb_object_field",
	"jsonb_object_field_text", "jsonb_object_keys", "jsonb_out", "jsonb_path_exists",
	"jsonb_path_exists_opr", "jsonb_path_exists_tz", "jsonb_path_match", "jsonb_path_match_opr",
	"jsonb_path_match_tz", "jsonb_path_query", "jsonb_path_query_array", "jsonb_path_query_array_tz",
	"jsonb_path_query_first", "jsonb_path_query_first_tz", "jsonb_path_query_tz",
	"jsonb_populate_record", "jsonb_populate_recordset", "jsonb_pretty", "jsonb_recv", "jsonb_send",
	"jsonb_set", "jsonb_set_lax", "jsonb_strip_nulls", "jsonb_subscript_handler", "jsonb_to_record",
	"jsonb_to_recordset", "jsonb_to_tsvector", "jsonb_typeof", "jsonpath_in", "jsonpath_out",
	"jsonpath_recv", "jsonpath_send", "justify_days", "justify_hours", "justify_interval",
	"koi8r_to_iso", "koi8r_to_mic", "koi8r_to_utf8", "koi8r_to_win1251", "koi8r_to_win866",
	"koi8u_to_utf8", "lag", "language_handler_in", "language_handler_out", "last_value", "lastval",
	"latin1_to_mic", "latin2_to_mic", "latin2_to_win1250", "latin3_to_mic", "latin4_to_mic", "lcm",
	"lead", "left", "length", "like", "like_escape", "likejoinsel", "likesel", "line",
	"line_distance", "line_eq", "line_horizontal", "line_in", "line_interpt", "line_intersect",
	"line_out", "line_parallel", "line_perp", "line_recv", "line_send", "line_vertical", "ln",
	"lo_close", "lo_creat", "lo_create", "lo_export", "lo_from_bytea", "lo_get", "lo_import",
	"lo_lseek", "lo_lseek64", "lo_open", "lo_put", "lo_tell", "lo_tell64", "lo_truncate",
	"lo_truncate64", "lo_unlink", "log", "log10", "loread", "lower", "lower_inc", "lower_inf",
	"lowrite", "lpad", "lseg", "lseg_center", "lseg_distance", "lseg_eq", "lseg_ge", "lseg_gt",
	"lseg_horizontal", "lseg_in", "lseg_interpt", "lseg_intersect", "lseg_le", "lseg_length",
	"lseg_lt", "lseg_ne", "lseg_out", "lseg_parallel", "lseg_perp", "lseg_recv", "lseg_send",
	"lseg_vertical", "ltrim", "macaddr", "macaddr8", "macaddr8_and", "macaddr8_cmp", "macaddr8_eq",
	"macaddr8_ge", "macaddr8_gt", "macaddr8_in", "macaddr8_le", "macaddr8_lt", "macaddr8_ne",
	"macaddr8_not", "macaddr8_or", "macaddr8_out", "macaddr8_recv", "macaddr8_send",
	"macaddr8_set7bit", "macaddr_and", "macaddr_cmp", "macaddr_eq", "macaddr_ge", "macaddr_gt",
	"macaddr_in", "macaddr_le", "macaddr_lt", "macaddr_ne", "macaddr_not", "macaddr_or",
	"macaddr_out", "macaddr_recv", "macaddr_send", "macaddr_sortsupport", "make_date",
	"make_interval", "make_time", "make_timestamp", "make_timestamptz", "makeaclitem", "masklen",
	"matchingjoinsel", "matchingsel", "max", "md5", "mic_to_big5", "mic_to_euc_cn", "mic_to_euc_jp",
	"mic_to_euc_kr", "mic_to_euc_tw", "mic_to_iso", "mic_to_koi8r", "mic_to_latin1", "mic_to_latin2",
	"mic_to_latin3", "mic_to_latin4", "mic_to_sjis", "mic_to_win1250", "mic_to_win1251",
	"mic_to_win866", "min", "min_scale", "mod", "mode", "mode_final", "money", "mul_d_interval",
	"multirange", "multirange_adjacent_multirange", "multirange_adjacent_range",
	"multirange_after_multirange", "multirange_after_range", "multirange_agg_finalfn",
	"multirange_agg_transfn", "multirange_before_multirange", "multirange_before_range",
	"multirange_cmp", "multirange_contained_by_multirange", "multirange_contained_by_range",
	"multirange_contains_elem", "multirange_contains_multirange", "multirange_contains_range",
	"multirange_eq", "multirange_ge", "multirange_gist_compress", "multirange_gist_consistent",
	"multirange_gt", "multirange_in", "multirange_intersect", "multirange_intersect_agg_transfn",
	"multirange_le", "multirange_lt", "multirange_minus", "multirange_ne", "multirange_out",
	"multirange_overlaps_multirange", "multirange_overlaps_range", "multirange_overleft_multirange",
	"multirange_overleft_range", "multirange_overright_multirange", "multirange_overright_range",
	"multirange_recv", "multirange_send", "multirange_typanalyze", "multirange_union",
	"multirangesel", "mxid_age", "name", "nameconcatoid", "nameeq", "nameeqtext", "namege",
	"namegetext", "namegt", "namegttext", "nameiclike", "nameicnlike", "nameicregexeq",
	"nameicregexne", "namein", "namele", "nameletext", "namelike", "namelt", "namelttext", "namene",
	"namenetext", "namenlike", "nameout", "namerecv", "nameregexeq", "nameregexne", "namesend",
	"neqjoinsel", "neqsel", "netmask", "network", "network_cmp", "network_eq", "network_ge",
	"network_gt", "network_larger", "network_le", "network_lt", "network_ne", "network_overlap",
	"network_smaller", "network_sortsupport", "network_sub", "network_subeq",
	"network_subset_support", "network_sup", "network_supeq", "networkjoinsel", "networksel",
	"nextval", "nlikejoinsel", "nlikesel", "normalize", "notlike", "now", "npoints", "nth_value",
	"ntile", "num_nonnulls", "num_nulls", "numeric", "numeric_abs", "numeric_accum",
	"numeric_accum_inv", "numeric_add", "numeric_avg", "numeric_avg_accum", "numeric_avg_combine",
	"numeric_avg_deserialize", "numeric_avg_serialize", "numeric_cmp", "numeric_combine",
	"numeric_deserialize", "numeric_div", "numeric_div_trunc", "numeric_eq", "numeric_exp",
	"numeric_ge", "numeric_gt", "numeric_in", "numeric_inc", "numeric_larger", "numeric_le",
	"numeric_ln", "numeric_log", "numeric_lt", "numeric_mod", "numeric_mul", "numeric_ne",
	"numeric_out", "numeric_pl_pg_lsn", "numeric_poly_avg", "numeric_poly_combine",
	"numeric_poly_deserialize", "numeric_poly_serialize", "numeric_poly_stddev_pop",
	"numeric_poly_stddev_samp", "numeric_poly_sum", "numeric_poly_var_pop", "numeric_poly_var_samp",
	"numeric_power", "numeric_recv", "numeric_send", "numeric_serialize", "numeric_smaller",
	"numeric_sortsupport", "numeric_sqrt", "numeric_stddev_pop", "numeric_stddev_samp", "numeric_sub",
	"numeric_sum", "numeric_support", "numeric_uminus", "numeric_uplus", "numeric_var_pop",
	"numeric_var_samp", "numerictypmodin", "numerictypmodout", "nummultirange", "numnode", "numrange",
	"numrange_subdiff", "obj_description", "octet_length", "oid", "oideq", "oidge", "oidgt", "oidin",
	"oidlarger", "oidle", "oidlt", "oidne", "oidout", "oidrecv", "oidsend", "oidsmaller",
	"oidvectoreq", "oidvectorge", "oidvectorgt", "oidvectorin", "oidvectorle", "oidvectorlt",
	"oidvectorne", "oidvectorout", "oidvectorrecv", "oidvectorsend", "oidvectortypes", "on_pb",
	"on_pl", "on_ppath", "on_ps", "on_sb", "on_sl", "ordered_set_transition",
	"ordered_set_transition_multi", "overlaps", "overlay", "parse_ident", "path", "path_add",
	"path_add_pt", "path_contain_pt", "path_distance", "path_div_pt", "path_in", "path_inter",
	"path_length", "path_mul_pt", "path_n_eq", "path_n_ge", "path_n_gt", "path_n_le", "path_n_lt",
	"path_npoints", "path_out", "path_recv", "path_send", "path_sub_pt", "pclose", "percent_rank",
	"percent_rank_final", "percentile_cont", "percentile_cont_float8_final",
	"percentile_cont_float8_multi_final", "percentile_cont_interval_final",
	"percentile_cont_interval_multi_final", "percentile_disc", "percentile_disc_final",
	"percentile_disc_multi_final", "pg_advisory_lock", "pg_advisory_lock_shared",
	"pg_advisory_unlock", "pg_advisory_unlock_all", "pg_advisory_unlock_shared",
	"pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_available_extension_versions",
	"pg_available_extensions", "pg_backend_pid", "pg_backup_start", "pg_backup_stop",
	"pg_blocking_pids", "pg_cancel_backend", "pg_char_to_encoding", "pg_client_encoding",
	"pg_collation_actual_version", "pg_collation_for", "pg_collation_is_visible",
	"pg_column_compression", "pg_column_is_updatable", "pg_column_size", "pg_conf_load_time",
	"pg_config", "pg_control_checkpoint", "pg_control_init", "pg_control_recovery",
	"pg_control_system", "pg_conversion_is_visible", "pg_copy_logical_replication_slot",
	"pg_copy_physical_replication_slot", "pg_create_logical_replication_slot",
	"pg_create_physical_replication_slot", "pg_create_restore_point", "pg_current_logfile",
	"pg_current_snapshot", "pg_current_wal_flush_lsn", "pg_current_wal_insert_lsn",
	"pg_current_wal_lsn", "pg_current_xact_id", "pg_current_xact_id_if_assigned", "pg_cursor",
	"pg_database_collation_actual_version", "pg_database_size", "pg_ddl_command_in",
	"pg_ddl_command_out", "pg_ddl_command_recv", "pg_ddl_command_send", "pg_dependencies_in",
	"pg_dependencies_out", "pg_dependencies_recv", "pg_dependencies_send", "pg_describe_object",
	"pg_drop_replication_slot", "pg_encoding_max_length", "pg_encoding_to_char",
	"pg_event_trigger_ddl_commands", "pg_event_trigger_dropped_objects",
	"pg_event_trigger_table_rewrite_oid", "pg_event_trigger_table_rewrite_reason",
	"pg_export_snapshot", "pg_extension_config_dump", "pg_extension_update_paths",
	"pg_filenode_relation", "pg_function_is_visible", "pg_get_backend_memory_contexts",
	"pg_get_catalog_foreign_keys", "pg_get_constraintdef", "pg_get_expr",
	"pg_get_function_arg_default", "pg_get_function_arguments", "pg_get_function_identity_arguments",
	"pg_get_function_result", "pg_get_function_sqlbody", "pg_get_functiondef", "pg_get_indexdef",
	"pg_get_keywords", "pg_get_multixact_members", "pg_get_object_address",
	"pg_get_partition_constraintdef", "pg_get_partkeydef", "pg_get_publication_tables",
	"pg_get_replica_identity_index", "pg_get_replication_slots", "pg_get_ruledef",
	"pg_get_serial_sequence", "pg_get_shmem_allocations", "pg_get_statisticsobjdef",
	"pg_get_statisticsobjdef_columns", "pg_get_statisticsobjdef_expressions", "pg_get_triggerdef",
	"pg_get_userbyid", "pg_get_viewdef", "pg_get_wal_replay_pause_state",
	"pg_get_wal_resource_managers", "pg_has_role", "pg_hba_file_rules", "pg_ident_file_mappings",
	"pg_identify_object", "pg_identify_object_as_address", "pg_import_system_collations",
	"pg_index_column_has_property", "pg_index_has_property", "pg_indexam_has_property",
	"pg_indexam_progress_phasename", "pg_indexes_size", "pg_is_in_recovery",
	"pg_is_other_temp_schema", "pg_is_wal_replay_paused", "pg_isolation_test_session_is_blocked",
	"pg_jit_available", "pg_last_committed_xact", "pg_last_wal_receive_lsn", "pg_last_wal_replay_lsn",
	"pg_last_xact_replay_timestamp", "pg_listening_channels", "pg_lock_status",
	"pg_log_backend_memory_contexts", "pg_logical_emit_message", "pg_logical_slot_get_binary_changes",
	"pg_logical_slot_get_changes", "pg_logical_slot_peek_binary_changes",
	"pg_logical_slot_peek_changes", "pg_ls_archive_statusdir", "pg_ls_dir", "pg_ls_logdir",
	"pg_ls_logicalmapdir", "pg_ls_logicalsnapdir", "pg_ls_replslotdir", "pg_ls_tmpdir",
	"pg_ls_waldir", "pg_lsn", "pg_lsn_cmp", "pg_lsn_eq", "pg_lsn_ge", "pg_lsn_gt", "pg_lsn_hash",
	"pg_lsn_hash_extended", "pg_lsn_in", "pg_lsn_larger", "pg_lsn_le", "pg_lsn_lt", "pg_lsn_mi",
	"pg_lsn_mii", "pg_lsn_ne", "pg_lsn_out", "pg_lsn_pli", "pg_lsn_recv", "pg_lsn_send",
	"pg_lsn_smaller", "pg_mcv_list_in", "pg_mcv_list_items", "pg_mcv_list_out", "pg_mcv_list_recv",
	"pg_mcv_list_send", "pg_my_temp_schema", "pg_ndistinct_in", "pg_ndistinct_out",
	"pg_ndistinct_recv", "pg_ndistinct_send", "pg_nextoid", "pg_node_tree_in", "pg_node_tree_out",
	"pg_node_tree_recv", "pg_node_tree_send", "pg_notification_queue_usage", "pg_notify",
	"pg_opclass_is_visible", "pg_operator_is_visible", "pg_opfamily_is_visible",
	"pg_options_to_table", "pg_partition_ancestors", "pg_partition_root", "pg_partition_tree",
	"pg_postmaster_start_time", "pg_prepared_statement", "pg_prepared_xact", "pg_promote",
	"pg_read_binary_file", "pg_read_file", "pg_read_file_old", "pg_relation_filenode",
	"pg_relation_filepath", "pg_relation_is_publishable", "pg_relation_is_updatable",
	"pg_relation_size", "pg_reload_conf", "pg_replication_origin_advance",
	"pg_replication_origin_create", "pg_replication_origin_drop", "pg_replication_origin_oid",
	"pg_replication_origin_progress", "pg_replication_origin_session_is_setup",
	"pg_replication_origin_session_progress", "pg_replication_origin_session_reset",
	"pg_replication_origin_session_setup", "pg_replication_origin_xact_reset",
	"pg_replication_origin_xact_setup", "pg_replication_slot_advance", "pg_rotate_logfile",
	"pg_rotate_logfile_old", "pg_safe_snapshot_blocking_pids", "pg_sequence_last_value",
	"pg_sequence_parameters", "pg_settings_get_flags", "pg_show_all_file_settings",
	"pg_show_all_settings", "pg_show_replication_origin_status", "pg_size_bytes", "pg_size_pretty",
	"pg_sleep", "pg_sleep_for", "pg_sleep_until", "pg_snapshot_in", "pg_snapshot_out",
	"pg_snapshot_recv", "pg_snapshot_send", "pg_snapshot_xip", "pg_snapshot_xmax", "pg_snapshot_xmin",
	"pg_stat_clear_snapshot", "pg_stat_file", "pg_stat_force_next_flush", "pg_stat_get_activity",
	"pg_stat_get_analyze_count", "pg_stat_get_archiver", "pg_stat_get_autoanalyze_count",
	"pg_stat_get_autovacuum_count", "pg_stat_get_backend_activity",
	"pg_stat_get_backend_activity_start", "pg_stat_get_backend_client_addr",
	"pg_stat_get_backend_client_port", "pg_stat_get_backend_dbid", "pg_stat_get_backend_idset",
	"pg_stat_get_backend_pid", "pg_stat_get_backend_start", "pg_stat_get_backend_userid",
	"pg_stat_get_backend_wait_event", "pg_stat_get_backend_wait_event_type",
	"pg_stat_get_backend_xact_start", "pg_stat_get_bgwriter_buf_written_checkpoints",
	"pg_stat_get_bgwriter_buf_written_clean", "pg_stat_get_bgwriter_maxwritten_clean",
	"pg_stat_get_bgwriter_requested_checkpoints", "pg_stat_get_bgwriter_stat_reset_time",
	"pg_stat_get_bgwriter_timed_checkpoints", "pg_stat_get_blocks_fetched", "pg_stat_get_blocks_hit",
	"pg_stat_get_buf_alloc", "pg_stat_get_buf_fsync_backend", "pg_stat_get_buf_written_backend",
	"pg_stat_get_checkpoint_sync_time", "pg_stat_get_checkpoint_write_time",
	"pg_stat_get_db_active_time", "pg_stat_get_db_blk_read_time", "pg_stat_get_db_blk_write_time",
	"pg_stat_get_db_blocks_fetched", "pg_stat_get_db_blocks_hit", "pg_stat_get_db_checksum_failures",
	"pg_stat_get_db_checksum_last_failure", "pg_stat_get_db_conflict_all",
	"pg_stat_get_db_conflict_bufferpin", "pg_stat_get_db_conflict_lock",
	"pg_stat_get_db_conflict_snapshot", "pg_stat_get_db_conflict_startup_deadlock",
	"pg_stat_get_db_conflict_tablespace", "pg_stat_get_db_deadlocks",
	"pg_stat_get_db_idle_in_transaction_time", "pg_stat_get_db_numbackends",
	"pg_stat_get_db_session_time", "pg_stat_get_db_sessions", "pg_stat_get_db_sessions_abandoned",
	"pg_stat_get_db_sessions_fatal", "pg_stat_get_db_sessions_killed",
	"pg_stat_get_db_stat_reset_time", "pg_stat_get_db_temp_bytes", "pg_stat_get_db_temp_files",
	"pg_stat_get_db_tuples_deleted", "pg_stat_get_db_tuples_fetched",
	"pg_stat_get_db_tuples_inserted", "pg_stat_get_db_tuples_returned",
	"pg_stat_get_db_tuples_updated", "pg_stat_get_db_xact_commit", "pg_stat_get_db_xact_rollback",
	"pg_stat_get_dead_tuples", "pg_stat_get_function_calls", "pg_stat_get_function_self_time",
	"pg_stat_get_function_total_time", "pg_stat_get_ins_since_vacuum",
	"pg_stat_get_last_analyze_time", "pg_stat_get_last_autoanalyze_time",
	"pg_stat_get_last_autovacuum_time", "pg_stat_get_last_vacuum_time", "pg_stat_get_live_tuples",
	"pg_stat_get_mod_since_analyze", "pg_stat_get_numscans", "pg_stat_get_progress_info",
	"pg_stat_get_recovery_prefetch", "pg_stat_get_replication_slot", "pg_stat_get_slru",
	"pg_stat_get_snapshot_timestamp", "pg_stat_get_subscription", "pg_stat_get_subscription_stats",
	"pg_stat_get_tuples_deleted", "pg_stat_get_tuples_fetched", "pg_stat_get_tuples_hot_updated",
	"pg_stat_get_tuples_inserted", "pg_stat_get_tuples_returned", "pg_stat_get_tuples_updated",
	"pg_stat_get_vacuum_count", "pg_stat_get_wal", "pg_stat_get_wal_receiver",
	"pg_stat_get_wal_senders", "pg_stat_get_xact_blocks_fetched", "pg_stat_get_xact_blocks_hit",
	"pg_stat_get_xact_function_calls", "pg_stat_get_xact_function_self_time",
	"pg_stat_get_xact_function_total_time", "pg_stat_get_xact_numscans",
	"pg_stat_get_xact_tuples_deleted", "pg_stat_get_xact_tuples_fetched",
	"pg_stat_get_xact_tuples_hot_updated", "pg_stat_get_xact_tuples_inserted",
	"pg_stat_get_xact_tuples_returned", "pg_stat_get_xact_tuples_updated", "pg_stat_have_stats",
	"pg_stat_reset", "pg_stat_reset_replication_slot", "pg_stat_reset_shared",
	"pg_stat_reset_single_function_counters", "pg_stat_reset_single_table_counters",
	"pg_stat_reset_slru", "pg_stat_reset_subscription_stats", "pg_statistics_obj_is_visible",
	"pg_stop_making_pinned_objects", "pg_switch_wal", "pg_table_is_visible", "pg_table_size",
	"pg_tablespace_databases", "pg_tablespace_location", "pg_tablespace_size", "pg_terminate_backend",
	"pg_timezone_abbrevs", "pg_timezone_names", "pg_total_relation_size", "pg_trigger_depth",
	"pg_try_advisory_lock", "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock",
	"pg_try_advisory_xact_lock_shared", "pg_ts_config_is_visible", "pg_ts_dict_is_visible",
	"pg_ts_parser_is_visible", "pg_ts_template_is_visible", "pg_type_is_visible", "pg_typeof",
	"pg_visible_in_snapshot", "pg_wal_lsn_diff", "pg_wal_replay_pause", "pg_wal_replay_resume",
	"pg_walfile_name", "pg_walfile_name_offset", "pg_xact_commit_timestamp",
	"pg_xact_commit_timestamp_origin", "pg_xact_status", "phraseto_tsquery", "pi", "plainto_tsquery",
	"point", "point_above", "point_add", "point_below", "point_distance", "point_div", "point_eq",
	"point_horiz", "point_in", "point_left", "point_mul", "point_ne", "point_out", "point_recv",
	"point_right", "point_send", "point_sub", "point_vert", "poly_above", "poly_below", "poly_center",
	"poly_contain", "poly_contain_pt", "poly_contained", "poly_distance", "poly_in", "poly_left",
	"poly_npoints", "poly_out", "poly_overabove", "poly_overbelow", "poly_overlap", "poly_overleft",
	"poly_overright", "poly_recv", "poly_right", "poly_same", "poly_send", "polygon", "popen",
	"position", "positionjoinsel", "positionsel", "postgresql_fdw_validator", "pow", "power",
	"prefixjoinsel", "prefixsel", "prsd_end", "prsd_headline", "prsd_lextype", "prsd_nexttoken",
	"prsd_start", "pt_contained_circle", "pt_contained_poly", "query_to_xml",
	"query_to_xml_and_xmlschema", "query_to_xmlschema", "querytree", "quote_ident", "quote_literal",
	"quote_nullable", "radians", "radius", "random", "range_adjacent", "range_adjacent_multirange",
	"range_after", "range_after_multirange", "range_agg", "range_agg_finalfn", "range_agg_transfn",
	"range_before", "range_before_multirange", "range_cmp", "range_contained_by",
	"range_contained_by_multirange", "range_contains", "range_contains_elem",
	"range_contains_multirange", "range_eq", "range_ge", "range_gist_consistent",
	"range_gist_penalty", "range_gist_picksplit", "range_gist_same", "range_gist_union", "range_gt",
	"range_in", "range_intersect", "range_intersect_agg", "range_intersect_agg_transfn", "range_le",
	"range_lt", "range_merge", "range_minus", "range_ne", "range_out", "range_overlaps",
	"range_overlaps_multirange", "range_overleft", "range_overleft_multirange", "range_overright",
	"range_overright_multirange", "range_recv", "range_send", "range_typanalyze", "range_union",
	"rangesel", "rank", "rank_final", "raw_array_subscript_handler", "record_eq", "record_ge",
	"record_gt", "record_image_eq", "record_image_ge", "record_image_gt", "record_image_le",
	"record_image_lt", "record_image_ne", "record_in", "record_le", "record_lt", "record_ne",
	"record_out", "record_recv", "record_send", "regclass", "regclassin", "regclassout",
	"regclassrecv", "regclasssend", "regcollationin", "regcollationout", "regcollationrecv",
	"regcollationsend", "regconfigin", "regconfigout", "regconfigrecv", "regconfigsend",
	"regdictionaryin", "regdictionaryout", "regdictionaryrecv", "regdictionarysend", "regexeqjoinsel",
	"regexeqsel", "regexnejoinsel", "regexnesel", "regexp_count", "regexp_instr", "regexp_like",
	"regexp_match", "regexp_matches", "regexp_replace", "regexp_split_to_array",
	"regexp_split_to_table", "regexp_substr", "regnamespacein", "regnamespaceout", "regnamespacerecv",
	"regnamespacesend", "regoperatorin", "regoperatorout", "regoperatorrecv", "regoperatorsend",
	"regoperin", "regoperout", "regoperrecv", "regopersend", "regprocedurein", "regprocedureout",
	"regprocedurerecv", "regproceduresend", "regprocin", "regprocout", "regprocrecv", "regprocsend",
	"regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx",
	"regr_sxy", "regr_syy", "regrolein", "regroleout", "regrolerecv", "regrolesend", "regtypein",
	"regtypeout", "regtyperecv", "regtypesend", "repeat", "replace", "reverse", "right", "round",
	"row_number", "row_security_active", "row_to_json", "rpad", "rtrim", "satisfies_hash_partition",
	"scalargejoinsel", "scalargesel", "scalargtjoinsel", "scalargtsel", "scalarlejoinsel",
	"scalarlesel", "scalarltjoinsel", "scalarltsel", "scale", "schema_to_xml",
	"schema_to_xml_and_xmlschema", "schema_to_xmlschema", "session_user", "set_bit", "set_byte",
	"set_config", "set_masklen", "setseed", "setval", "setweight", "sha224", "sha256", "sha384",
	"sha512", "shell_in", "shell_out", "shift_jis_2004_to_euc_jis_2004", "shift_jis_2004_to_utf8",
	"shobj_description", "sign", "similar_escape", "similar_to_escape", "sin", "sind", "sinh",
	"sjis_to_euc_jp", "sjis_to_mic", "sjis_to_utf8", "slope", "spg_bbox_quad_config",
	"spg_box_quad_choose", "spg_box_quad_config", "spg_box_quad_inner_consistent",
	"spg_box_quad_leaf_consistent", "spg_box_quad_picksplit", "spg_kd_choose", "spg_kd_config",
	"spg_kd_inner_consistent", "spg_kd_picksplit", "spg_poly_quad_compress", "spg_quad_choose",
	"spg_quad_config", "spg_quad_inner_consistent", "spg_quad_leaf_consistent", "spg_quad_picksplit",
	"spg_range_quad_choose", "spg_range_quad_config", "spg_range_quad_inner_consistent",
	"spg_range_quad_leaf_consistent", "spg_range_quad_picksplit", "spg_text_choose",
	"spg_text_config", "spg_text_inner_consistent", "spg_text_leaf_consistent", "spg_text_picksplit",
	"spghandler", "split_part", "sqrt", "starts_with", "statement_timestamp", "stddev", "stddev_pop",
	"stddev_samp", "string_agg", "string_agg_finalfn", "string_agg_transfn", "string_to_array",
	"string_to_table", "strip", "strpos", "substr", "substring", "sum",
	"suppress_redundant_updates_trigger", "system", "table_am_handler_in", "table_am_handler_out",
	"table_to_xml", "table_to_xml_and_xmlschema", "table_to_xmlschema", "tan", "tand", "tanh", "text",
	"text_ge", "text_gt", "text_larger", "text_le", "text_lt", "text_pattern_ge", "text_pattern_gt",
	"text_pattern_le", "text_pattern_lt", "text_smaller", "text_starts_with_support", "textanycat",
	"textcat", "texteq", "texteqname", "textgename", "textgtname", "texticlike", "texticlike_support",
	"texticnlike", "texticregexeq", "texticregexeq_support", "texticregexne", "textin", "textlen",
	"textlename", "textlike", "textlike_support", "textltname", "textne", "textnename", "textnlike",
	"textout", "textrecv", "textregexeq", "textregexeq_support", "textregexne", "textsend",
	"thesaurus_init", "thesaurus_lexize", "tideq", "tidge", "tidgt", "tidin", "tidlarger", "tidle",
	"tidlt", "tidne", "tidout", "tidrecv", "tidsend", "tidsmaller", "time", "time_cmp", "time_eq",
	"time_ge", "time_gt", "time_hash", "time_hash_extended", "time_in", "time_larger", "time_le",
	"time_lt", "time_mi_interval", "time_mi_time", "time_ne", "time_out", "time_pl_interval",
	"time_recv", "time_send", "time_smaller", "time_support", "timedate_pl", "timeofday", "timestamp",
	"timestamp_cmp", "timestamp_cmp_date", "timestamp_cmp_timestamptz", "timestamp_eq",
	"timestamp_eq_date", "timestamp_eq_timestamptz", "timestamp_ge", "timestamp_ge_date",
	"timestamp_ge_timestamptz", "timestamp_gt", "timestamp_gt_date", "timestamp_gt_timestamptz",
	"timestamp_hash", "timestamp_hash_extended", "timestamp_in", "timestamp_larger", "timestamp_le",
	"timestamp_le_date", "timestamp_le_timestamptz", "timestamp_lt", "timestamp_lt_date",
	"timestamp_lt_timestamptz", "timestamp_mi", "timestamp_mi_interval", "timestamp_ne",
	"timestamp_ne_date", "timestamp_ne_timestamptz", "timestamp_out", "timestamp_pl_interval",
	"timestamp_recv", "timestamp_send", "timestamp_smaller", "timestamp_sortsupport",
	"timestamp_support", "timestamptypmodin", "timestamptypmodout", "timestamptz", "timestamptz_cmp",
	"timestamptz_cmp_date", "timestamptz_cmp_timestamp", "timestamptz_eq", "timestamptz_eq_date",
	"timestamptz_eq_timestamp", "timestamptz_ge", "timestamptz_ge_date", "timestamptz_ge_timestamp",
	"timestamptz_gt", "timestamptz_gt_date", "timestamptz_gt_timestamp", "timestamptz_in",
	"timestamptz_larger", "timestamptz_le", "timestamptz_le_date", "timestamptz_le_timestamp",
	"timestamptz_lt", "timestamptz_lt_date", "timestamptz_lt_timestamp", "timestamptz_mi",
	"timestamptz_mi_interval", "timestamptz_ne", "timestamptz_ne_date", "timestamptz_ne_timestamp",
	"timestamptz_out", "timestamptz_pl_interval", "timestamptz_recv", "timestamptz_send",
	"timestamptz_smaller", "timestamptztypmodin", "timestamptztypmodout", "timetypmodin",
	"timetypmodout", "timetz", "timetz_cmp", "timetz_eq", "timetz_ge", "timetz_gt", "timetz_hash",
	"timetz_hash_extended", "timetz_in", "timetz_larger", "timetz_le", "timetz_lt",
	"timetz_mi_interval", "timetz_ne", "timetz_out", "timetz_pl_interval", "timetz_recv",
	"timetz_send", "timetz_smaller", "timetzdate_pl", "timetztypmodin", "timetztypmodout", "timezone",
	"to_ascii", "to_char", "to_date", "to_hex", "to_json", "to_jsonb", "to_number", "to_regclass",
	"to_regcollation", "to_regnamespace", "to_regoper", "to_regoperator", "to_regproc",
	"to_regprocedure", "to_regrole", "to_regtype", "to_timestamp", "to_tsquery", "to_tsvector",
	"transaction_timestamp", "translate", "trigger_in", "trigger_out", "trim_array", "trim_scale",
	"trunc", "ts_debug", "ts_delete", "ts_filter", "ts_headline", "ts_lexize", "ts_match_qv",
	"ts_match_tq", "ts_match_tt", "ts_match_vq", "ts_parse", "ts_rank", "ts_rank_cd", "ts_rewrite",
	"ts_stat", "ts_token_type", "ts_typanalyze", "tsm_handler_in", "tsm_handler_out",
	"tsmatchjoinsel", "tsmatchsel", "tsmultirange", "tsq_mcontained", "tsq_mcontains", "tsquery_and",
	"tsquery_cmp", "tsquery_eq", "tsquery_ge", "tsquery_gt", "tsquery_le", "tsquery_lt", "tsquery_ne",
	"tsquery_not", "tsquery_or", "tsquery_phrase", "tsqueryin", "tsqueryout", "tsqueryrecv",
	"tsquerysend", "tsrange", "tsrange_subdiff", "tstzmultirange", "tstzrange", "tstzrange_subdiff",
	"tsvector_cmp", "tsvector_concat", "tsvector_eq", "tsvector_ge", "tsvector_gt", "tsvector_le",
	"tsvector_lt", "tsvector_ne", "tsvector_to_array", "tsvector_update_trigger",
	"tsvector_update_trigger_column", "tsvectorin", "tsvectorout", "tsvectorrecv", "tsvectorsend",
	"txid_current", "txid_current_if_assigned", "txid_current_snapshot", "txid_snapshot_in",
	"txid_snapshot_out", "txid_snapshot_recv", "txid_snapshot_send", "txid_snapshot_xip",
	"txid_snapshot_xmax", "txid_snapshot_xmin", "txid_status", "txid_visible_in_snapshot",
	"uhc_to_utf8", "unique_key_recheck", "unistr", "unknownin", "unknownout", "unknownrecv",
	"unknownsend", "unnest", "upper", "upper_inc", "upper_inf", "utf8_to_big5", "utf8_to_euc_cn",
	"utf8_to_euc_jis_2004", "utf8_to_euc_jp", "utf8_to_euc_kr", "utf8_to_euc_tw", "utf8_to_gb18030",
	"utf8_to_gbk", "utf8_to_iso8859", "utf8_to_iso8859_1", "utf8_to_johab", "utf8_to_koi8r",
	"utf8_to_koi8u", "utf8_to_shift_jis_2004", "utf8_to_sjis", "utf8_to_uhc", "utf8_to_win",
	"uuid_cmp", "uuid_eq", "uuid_ge", "uuid_gt", "uuid_hash", "uuid_hash_extended", "uuid_in",
	"uuid_le", "uuid_lt", "uuid_ne", "uuid_out", "uuid_recv", "uuid_send", "uuid_sortsupport",
	"var_pop", "var_samp", "varbit", "varbit_in", "varbit_out", "varbit_recv", "varbit_send",
	"varbit_support", "varbitcmp", "varbiteq", "varbitge", "varbitgt", "varbitle", "varbitlt",
	"varbitne", "varbittypmodin", "varbittypmodout", "varchar", "varchar_support", "varcharin",
	"varcharout", "varcharrecv", "varcharsend", "varchartypmodin", "varchartypmodout", "variance",
	"version", "void_in", "void_out", "void_recv", "void_send", "websearch_to_tsquery", "width",
	"width_bucket", "win1250_to_latin2", "win1250_to_mic", "win1251_to_iso", "win1251_to_koi8r",
	"win1251_to_mic", "win1251_to_win866", "win866_to_iso", "win866_to_koi8r", "win866_to_mic",
	"win866_to_win1251", "win_to_utf8", "window_dense_rank_support", "window_rank_support",
	"window_row_number_support", "xid", "xid8_larger", "xid8_smaller", "xid8cmp", "xid8eq", "xid8ge",
	"xid8gt", "xid8in", "xid8le", "xid8lt", "xid8ne", "xid8out", "xid8recv", "xid8send", "xideq",
	"xideqint4", "xidin", "xidneq", "xidneqint4", "xidout", "xidrecv", "xidsend", "xml", "xml_in",
	"xml_is_well_formed", "xml_is_well_formed_content", "xml_is_well_formed_document", "xml_out",
	"xml_recv", "xml_send", "xmlagg", "xmlcomment", "xmlconcat2", "xmlexists", "xmlvalidate", "xpath",
	"xpath_exists",
};

static const char *const pg_types[] = {
	"aclitem", "any", "anyarray", "anycompatible", "anycompatiblearray", "anycompatiblemultirange",
	"anycompatiblenonarray", "anycompatiblerange", "anyelement", "anyenum", "anymultirange",
	"anynonarray", "anyrange", "bit", "bool", "box", "bpchar", "bytea", "char", "cid", "cidr",
	"circle", "cstring", "date", "datemultirange", "daterange", "event_trigger", "fdw_handler",
	"float4", "float8", "gtsvector", "index_am_handler", "inet", "int2", "int2vector", "int4",
	"int4multirange", "int4range", "int8", "int8multirange", "int8range", "internal", "interval",
	"json", "jsonb", "jsonpath", "language_handler", "line", "lseg", "macaddr", "macaddr8", "money",
	"name", "numeric", "nummultirange", "numrange", "oid", "oidvector", "path", "pg_attribute",
	"pg_brin_bloom_summary", "pg_brin_minmax_multi_summary", "pg_class", "pg_ddl_command",
	"pg_dependencies", "pg_lsn", "pg_mcv_list", "pg_ndistinct", "pg_node_tree", "pg_proc",
	"pg_snapshot", "pg_type", "point", "polygon", "record", "refcursor", "regclass", "regcollation",
	"regconfig", "regdictionary", "regnamespace", "regoper", "regoperator", "regproc", "regprocedure",
	"regrole", "regtype", "table_am_handler", "text", "tid", "time", "timestamp", "timestamptz",
	"timetz", "trigger", "tsm_handler", "tsmultirange", "tsquery", "tsrange", "tstzmultirange",
	"tstzrange", "tsvector", "txid_snapshot", "unknown", "uuid", "varbit", "varchar", "void", "xid",
	"xid8", "xml",
};

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether name is in the sorted list v of n names. */
static int
in_list(const char *const *v, size_t n, const char *name)
{
	return bsearch(&name, v, n, sizeof *v, cmpstr) != NULL;
}

/* The format_type name of a built-in type name, or NULL when name is not built in. */
static const char *
builtin_type(const char *name)
{
	for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++)
		if (strcmp(builtin_types[i][0], name) == 0)
			return builtin_types[i][1] ? builtin_types[i][1] : builtin_types[i][0];
	return NULL;
}

/* Whether a TypeName body names a built-in type (pg_catalog-qualified, or one of the list). */
static int
type_is_builtin(const struct pt *tn)
{
	const struct pt *names = get(tn, "names");
	const char *s, *n;

	if (split_names(names, &s, &n) < 0)
		return 1;
	if (s)
		return strcmp(s, "pg_catalog") == 0;
	return builtin_type(n) != NULL || in_list(pg_types, sizeof pg_types / sizeof pg_types[0], n);
}

/* A TypeName body used: its type, when not built in, is referenced. */
static void
ref_type(struct cx *c, const struct pt *tn)
{
	if (!pt_is_obj(tn) || pt_is_true(get(tn, "pct_type")) || type_is_builtin(tn))
		return;
	add(&c->si->refs, list_id(c, "type:", get(tn, "names")));
}

/* The canonical name of a TypeName body in a signature (no type modifiers, one [] for arrays). */
static char *
type_sig(struct cx *c, const struct pt *tn)
{
	const char *s, *n, *b;
	char *base, *r;

	if (split_names(get(tn, "names"), &s, &n) < 0)
		return xstrdup("?");
	if ((!s || strcmp(s, "pg_catalog") == 0) && (b = builtin_type(n)))
		base = xstrdup(b);
	else
		base = model_qname(s ? s : c->dflt, n);
	if (pt_asize(get(tn, "arrayBounds")) == 0)
		return base;
	r = xasprintf("%s[]", base);
	free(base);
	return r;
}

/* ---- functions ---- */

/* function:S.N(T1,T2) of a name list and FunctionParameter list (IN, INOUT and VARIADIC types). */
static char *
func_id(struct cx *c, const char *prefix, const struct pt *names, const struct pt *params, int fparams)
{
	struct buf b = { 0 };
	size_t i;
	const struct pt *p;
	char *id = list_id(c, prefix, names);
	int first = 1;

	if (!id)
		return NULL;
	buf_puts(&b, id);
	free(id);
	buf_puts(&b, "(");
	pt_foreach(params, i, p) {
		const struct pt *tn;
		char *t;

		if (fparams) {
			const struct pt *fp = get(p, "FunctionParameter");
			const char *mode = str(fp, "mode");

			if (streq(mode, "FUNC_PARAM_OUT") || streq(mode, "FUNC_PARAM_TABLE"))
				continue;
			tn = get(fp, "argType");
		} else {
			tn = get(p, "TypeName");
		}
		/* an operator's missing side (DROP OPERATOR ~ (NONE, integer)) is an empty node */
		t = tn ? type_sig(c, tn) : xstrdup("NONE");
		buf_printf(&b, "%s%s", first ? "" : ",", t);
		free(t);
		first = 0;
	}
	buf_puts(&b, ")");
	return b.data;
}

/* The id of an ObjectWithArgs body: with its argument types, or function:S.N when unspecified. */
static char *
owa_id(struct cx *c, const char *prefix, const struct pt *owa)
{
	if (pt_is_true(get(owa, "args_unspecified")))
		return list_id(c, prefix, get(owa, "objname"));
	if (get(owa, "objfuncargs"))
		return func_id(c, prefix, get(owa, "objname"), get(owa, "objfuncargs"), 1);
	return func_id(c, prefix, get(owa, "objname"), get(owa, "objargs"), 0);
}

/* ---- aggregates ---- */

/* The DefElem body named name in a definition list, or NULL. */
static const struct pt *
def_get(const struct pt *defs, const char *name)
{
	size_t i;
	const struct pt *e;

	pt_foreach(defs, i, e) {
		const struct pt *d = get(e, "DefElem");

		if (d && streq(str(d, "defname"), name))
			return d;
	}
	return NULL;
}

/* aggregate:S.N(T1,T2) of a CREATE AGGREGATE, the form DROP and ALTER AGGREGATE give: its
   arguments (direct and aggregated ones of an ordered-set aggregate together, none for (*)), or
   the old syntax's BASETYPE (none for 'ANY'). */
static char *
agg_id(struct cx *c, const struct pt *n)
{
	const struct pt *args = get(n, "args"), *items, *bt;
	char *id, *r;

	if (pt_is_arr(args)) {
		items = get(get(pt_at(args, 0), "List"), "items");
		return func_id(c, "aggregate:", get(n, "defnames"), items ? items : pt_at(args, 0), 1);
	}
	bt = get(def_get(get(n, "definition"), "basetype"), "arg");
	if (get(bt, "TypeName")) {
		const char *s, *nm;
		const struct pt *tn = get(bt, "TypeName");

		if (split_names(get(tn, "names"), &s, &nm) == 0 && !s && strcasecmp(nm, "any") != 0) {
			char *base = list_id(c, "aggregate:", get(n, "defnames")), *t = type_sig(c, tn);

			id = base ? xasprintf("%s(%s)", base, t) : NULL;
			free(base);
			free(t);
			return id;
		}
	}
	id = list_id(c, "aggregate:", get(n, "defnames"));
	if (!id)
		return NULL;
	r = xasprintf("%s()", id);
	free(id);
	return r;
}

/* What an aggregate's definition uses: its support functions (function:S.N, as a call) and its
   state types. */
static void
agg_refs(struct cx *c, const struct pt *defs)
{
	static const char *const funcs[] = { "sfunc", "finalfunc", "combinefunc", "serialfunc",
		"deserialfunc", "msfunc", "minvfunc", "mfinalfunc" };
	static const char *const types[] = { "stype", "mstype" };

	for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++) {
		const struct pt *tn = get(get(def_get(defs, funcs[i]), "arg"), "TypeName");
		const char *s, *nm;

		if (tn && split_names(get(tn, "names"), &s, &nm) == 0
		    && (s ? strcmp(s, "pg_catalog") != 0 : !in_list(pg_funcs, sizeof pg_funcs / sizeof pg_funcs[0], nm)))
			add(&c->si->refs, qid(c, "function:", s, nm));
	}
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		ref_type(c, get(get(def_get(defs, types[i]), "arg"), "TypeName"));
}

/* ---- operators and operator classes ---- */

/* The names of pg_catalog's operators (PostgreSQL 15), sorted (C order). */
static const char *const pg_oprs[] = {
	"!!", "!~", "!~*", "!~~", "!~~*", "#", "##", "#-", "#>", "#>>", "%", "&", "&&", "&<", "&<|", "&>", "*",
	"*<", "*<=", "*<>", "*=", "*>", "*>=", "+", "-", "->", "->>", "-|-", "/", "<", "<->", "<<", "<<=", "<<|",
	"<=", "<>", "<@", "<^", "=", ">", ">=", ">>", ">>=", ">^", "?", "?#", "?&", "?-", "?-|", "?|", "?||", "@",
	"@-@", "@>", "@?", "@@", "@@@", "^", "^@", "|", "|&>", "|/", "|>>", "||", "||/", "~", "~*", "~<=~", "~<~",
	"~=", "~>=~", "~>~", "~~", "~~*"
};

/* Whether an operator name (schema NULL when unqualified) is pg_catalog's: an unqualified name
   of a built-in operator is taken as the built-in one (its types are not known here). */
static int
opr_builtin(const char *s, const char *n)
{
	return s ? strcmp(s, "pg_catalog") == 0 : in_list(pg_oprs, sizeof pg_oprs / sizeof pg_oprs[0], n);
}

/* A use of the operator a name list names, its argument types unknown (an expression, an
   exclusion constraint, a sort operator): operator:S.N, which conf-sort matches with every
   operator of that name. */
static void
opr_use(struct cx *c, const struct pt *names)
{
	const char *s, *n;

	if (split_names(names, &s, &n) == 0 && !opr_builtin(s, n))
		add(&c->si->refs, qid(c, "operator:", s, n));
}

/* operator:S.N(L,R) of a name list and its operand types (TypeName bodies, NULL for NONE). */
static char *
opr_sig(struct cx *c, const struct pt *names, const struct pt *l, const struct pt *r)
{
	char *base = list_id(c, "operator:", names), *ls, *rs, *id;

	if (!base)
		return NULL;
	ls = l ? type_sig(c, l) : xstrdup("NONE");
	rs = r ? type_sig(c, r) : xstrdup("NONE");
	id = xasprintf("%s(%s,%s)", base, ls, rs);
	free(base), free(ls), free(rs);
	return id;
}

/* The TypeName body of a definition's element name (leftarg = integer), or NULL. */
static const struct pt *
def_type(const struct pt *defs, const char *name)
{
	return get(get(def_get(defs, name), "arg"), "TypeName");
}

/* A support function a definition names (function = f, sfunc = f): function:S.N, as a call. */
static void
def_func_ref(struct cx *c, const struct pt *defs, const char *name)
{
	const struct pt *tn = def_type(defs, name);
	const char *s, *nm;

	if (tn && split_names(get(tn, "names"), &s, &nm) == 0
	    && (s ? strcmp(s, "pg_catalog") != 0 : !in_list(pg_funcs, sizeof pg_funcs / sizeof pg_funcs[0], nm)))
		add(&c->si->refs, qid(c, "function:", s, nm));
}

/* CREATE OPERATOR: operator:S.N(L,R), its operand types and functions. A COMMUTATOR or NEGATOR is
   no reference: PostgreSQL makes a shell for one not made yet and records no dependency on it, and
   a pair naming each other is the common case (a reference would be a cycle). */
static void
create_operator(struct cx *c, const struct pt *n)
{
	static const char *const funcs[] = { "function", "procedure", "restrict", "join" };
	const struct pt *defs = get(n, "definition"), *l = def_type(defs, "leftarg"), *r = def_type(defs, "rightarg");

	add(&c->si->creates, opr_sig(c, get(n, "defnames"), l, r));
	ref_type(c, l);
	ref_type(c, r);
	for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
		def_func_ref(c, defs, funcs[i]);
}

/* An aggregate's sort operator: operator:S.N(T,T) for an aggregate of one argument of type T (a
   user's type may have its own <), else operator:S.N when not a built-in name. */
static void
agg_sortop(struct cx *c, const struct pt *n)
{
	const struct pt *so = get(get(def_get(get(n, "definition"), "sortop"), "arg"), "List");
	const struct pt *args = get(get(pt_at(get(n, "args"), 0), "List"), "items");
	const struct pt *tn = pt_asize(args) == 1 ? get(get(pt_at(args, 0), "FunctionParameter"), "argType") : NULL;
	const char *s, *nm;

	if (!so || split_names(get(so, "items"), &s, &nm) < 0)
		return;
	if (tn && !type_is_builtin(tn) && !(s && strcmp(s, "pg_catalog") == 0))
		add(&c->si->refs, opr_sig(c, get(so, "items"), tn, tn));
	else
		opr_use(c, get(so, "items"));
}

/* An index element's operator class, of the access method walked: opclass:S.N(am), pg_catalog's
   left out. */
static void
opclass_use(struct cx *c, const struct pt *ie)
{
	const char *s, *n;
	char *id;

	if (split_names(get(ie, "opclass"), &s, &n) < 0 || (s ? strcmp(s, "pg_catalog") == 0
	    : pgopc_builtin(n)))
		return;
	id = qid(c, "opclass:", s, n);
	add(&c->si->refs, xasprintf("%s(%s)", id, c->am ? c->am : "btree"));
	free(id);
}

/* The operators of an exclusion constraint (EXCLUDE USING gist (c WITH &&)); the access method
   for the opclasses of its elements. */
static void
excl_refs(struct cx *c, const struct pt *con)
{
	size_t i;
	const struct pt *e;

	if (!streq(str(con, "contype"), "CONSTR_EXCLUSION"))
		return;
	c->am = str(con, "access_method");
	pt_foreach(get(con, "exclusions"), i, e)
		opr_use(c, get(get(pt_at(get(get(e, "List"), "items"), 1), "List"), "items"));
}

/* The items of CREATE OPERATOR CLASS and ALTER OPERATOR FAMILY ... ADD: the operators (of the
   class's type on both sides unless given; pg_catalog's left out), the support functions and the
   storage type. */
static void
opclass_items(struct cx *c, const struct pt *items, const struct pt *dtype)
{
	size_t i;
	const struct pt *e;

	pt_foreach(items, i, e) {
		const struct pt *it = get(e, "CreateOpClassItem"), *owa = get(it, "name");
		const struct pt *args = get(owa, "objargs"), *l = dtype, *r = dtype;
		long type = (long)pt_int(get(it, "itemtype"));
		const char *s, *n;

		if (type == 3) {   /* OPCLASS_ITEM_STORAGETYPE */
			ref_type(c, get(it, "storedtype"));
			continue;
		}
		if (split_names(get(owa, "objname"), &s, &n) < 0)
			continue;
		if (type == 2) {   /* OPCLASS_ITEM_FUNCTION */
			if (s ? strcmp(s, "pg_catalog") != 0 : !in_list(pg_funcs, sizeof pg_funcs / sizeof pg_funcs[0], n))
				add(&c->si->refs, owa_id(c, "function:", owa));
			continue;
		}
		if (pt_asize(args) == 2)
			l = get(pt_at(args, 0), "TypeName"), r = get(pt_at(args, 1), "TypeName");
		if (s ? strcmp(s, "pg_catalog") == 0
		    : opr_builtin(s, n) && (!l || type_is_builtin(l)) && (!r || type_is_builtin(r)))
			continue;
		add(&c->si->refs, opr_sig(c, get(owa, "objname"), l, r));
	}
}

/* opclass:S.N(am) or opfamily:S.N(am) of a name list. */
static char *
am_id(struct cx *c, const char *prefix, const struct pt *names, const char *am)
{
	char *base = list_id(c, prefix, names), *id;

	if (!base || !am)
		return base;
	id = xasprintf("%s(%s)", base, am);
	free(base);
	return id;
}

/* Split a text list of qualified names as stringToQualifiedNameList does: "a.b", "\"A\".b". */
static int
text_names(const char *s, struct strv *out)
{
	const char *p = s;

	for (;;) {
		struct buf b = { 0 };

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			for (p++;; p++) {
				if (!*p) {
					buf_free(&b);
					return -1;
				}
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				buf_add(&b, p, 1);
			}
			p++;
		} else {
			while (*p && *p != '.' && *p != ',' && !isspace((unsigned char)*p)) {
				char ch = (char)tolower((unsigned char)*p++);

				buf_add(&b, &ch, 1);
			}
		}
		if (!b.data) {
			buf_free(&b);
			return -1;
		}
		strv_take(out, b.data);
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '.' && *p != ',')
			return 0;
		p++;
	}
}

/* The string literal of an argument, through a cast ('x'::regclass); NULL otherwise. */
static const char *
literal(const struct pt *n)
{
	const struct pt *tc = get(n, "TypeCast");

	if (tc)
		n = get(tc, "arg");
	return str(get(get(n, "A_Const"), "sval"), "sval");
}

/* Whether a boolean setting's text is false, as parse_bool reads it ("off", "f", "no", "0", ...). */
static int
bool_text_off(const char *v)
{
	size_t n = strlen(v);

	if (n == 0)
		return 0;
	return strncasecmp(v, "false", n) == 0 || strncasecmp(v, "no", n) == 0
	    || (n >= 2 && strncasecmp(v, "off", n) == 0) || strcmp(v, "0") == 0;
}

/* Whether a SET value node (a string, a keyword or an integer constant) is a false boolean. */
static int
bool_off(const struct pt *a)
{
	const char *v = literal(a);
	const struct pt *ac = get(a, "A_Const");

	if (v)
		return bool_text_off(v);
	if (get(ac, "ival"))
		return pt_int(get(get(ac, "ival"), "ival")) == 0;
	return 0;
}

/* A SET LOCAL (or set_config(..., true)) inside a transaction block lasts until the block ends:
   keep the path in force before the first one. Outside a block it is kept like SET, since a
   builder runs the stream in one transaction. */
static void
spath_local(struct spath *sp, int local)
{
	if (!local || !sp->in_block || sp->saved)
		return;
	strv_free(&sp->before);
	for (size_t i = 0; i < sp->schemas.n; i++)
		strv_add(&sp->before, sp->schemas.v[i]);
	sp->saved = 1;
}

/* The transaction block ends: a SET LOCAL in it ends too. */
static void
spath_block_end(struct spath *sp)
{
	if (sp->saved) {
		strv_free(&sp->schemas);
		sp->schemas = sp->before;
		memset(&sp->before, 0, sizeof sp->before);
	}
	sp->saved = 0;
	sp->in_block = 0;
}

/* search_path from its text form (set_config): a comma-separated list of identifiers. */
static void
spath_from_text(struct spath *sp, const char *text)
{
	struct strv v = { 0 };
	const char *p = text;

	/* identifiers separated by commas: dots are part of no schema name, so split on commas only */
	for (;;) {
		struct buf b = { 0 };

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				buf_add(&b, p, 1);
			}
			if (*p)
				p++;
		} else {
			const char *e = p;

			while (*e && *e != ',')
				e++;
			while (e > p && isspace((unsigned char)e[-1]))
				e--;
			for (; p < e; p++) {
				char ch = (char)tolower((unsigned char)*p);

				buf_add(&b, &ch, 1);
			}
		}
		if (b.data)
			strv_take(&v, b.data);
		while (*p && *p != ',')
			p++;
		if (!*p)
			break;
		p++;
	}
	strv_free(&sp->schemas);
	for (size_t i = 0; i < v.n; i++)
		if (strcmp(v.v[i], "$user") != 0 && strcmp(v.v[i], "pg_catalog") != 0)
			strv_add(&sp->schemas, v.v[i]);
	strv_free(&v);
}

/* A function call in an expression or a query. */
static void
func_call(struct cx *c, const struct pt *fc)
{
	const struct pt *names = get(fc, "funcname");
	const struct pt *args = get(fc, "args");
	const char *s, *n;

	if (split_names(names, &s, &n) < 0)
		return;
	if (s ? strcmp(s, "pg_catalog") != 0 : !in_list(pg_funcs, sizeof pg_funcs / sizeof pg_funcs[0], n)) {
		char *q = model_qname(s ? s : c->dflt, n);
		char *key = xasprintf("spset:%s", q);

		add(&c->si->refs, qid(c, "function:", s, n));
		/* a routine of the stream whose body may set the path (create_function) */
		if (c->sp && json_object_get(c->sp->known, key))
			c->spmay = 1;
		free(key);
		free(q);
	}
	/* the sequence named in nextval('...') is used */
	if ((!s || strcmp(s, "pg_catalog") == 0) && strcmp(n, "nextval") == 0) {
		const char *lit = literal(pt_at(args, 0));
		struct strv v = { 0 };

		if (lit && text_names(lit, &v) == 0 && v.n >= 1)
			add(&c->si->refs, qid(c, "sequence:", v.n >= 2 ? v.v[v.n - 2] : NULL, v.v[v.n - 1]));
		strv_free(&v);
	}
	/* set_config('search_path', value, is_local) sets the path like SET (GUC names ignore case) */
	if ((!s || strcmp(s, "pg_catalog") == 0) && strcmp(n, "set_config") == 0 && pt_asize(args) == 3) {
		const char *k = literal(pt_at(args, 0));
		const char *v = literal(pt_at(args, 1));
		const struct pt *l = get(pt_at(args, 2), "A_Const");
		int once = 0;

		for (size_t i = 0; i < pt_asize(c->plain); i++)
			once |= get(get(get(pt_at(c->plain, i), "ResTarget"), "val"), "FuncCall") == fc;
		if (k && v && strcasecmp(k, "check_function_bodies") == 0 && c->sp)
			c->sp->nobodycheck = bool_text_off(v);
		/* a name or value not constant, or a call that may run other than once: not followed */
		if (!k || (strcasecmp(k, "search_path") == 0 && (!v || !get(l, "boolval") || !once)))
			c->spmay = 1;
		else if (strcasecmp(k, "search_path") == 0 && c->sp) {
			int local = pt_is_true(get(get(l, "boolval"), "boolval"));

			/* outside a block the statement is its own transaction: the path lasts as long */
			if (local && !c->sp->in_block && !c->restore) {
				for (size_t i = 0; i < c->sp->schemas.n; i++)
					strv_add(&c->keep, c->sp->schemas.v[i]);
				c->restore = 1;
			}
			spath_local(c->sp, local);
			spath_from_text(c->sp, v);
			c->dflt = spath_first(c->sp);
		}
	}
}

/* A relation a query reads or writes: a view or table (we cannot tell which without a model). */
static void
rel_ref(struct cx *c, const struct pt *rv)
{
	const char *n = str(rv, "relname");

	if (!n)
		return;
	if (!str(rv, "schemaname"))
		for (size_t i = 0; i < c->ctes.n; i++)
			if (strcmp(c->ctes.v[i], n) == 0)
				return;
	add(&c->si->refs, rv_id(c, "table:", rv));
}

static void walk(struct cx *c, const struct pt *n, int flags);

/* Whether an unqualified collation name is one initdb makes: C, POSIX, default, ucs_basic,
   unicode, or a locale's (en_US, en_US.utf8, und-x-icu). */
static int
builtin_coll(const char *n)
{
	static const char *const fixed[] = { "C", "POSIX", "default", "ucs_basic", "unicode" };
	size_t k = 0;

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strcmp(n, fixed[i]) == 0)
			return 1;
	if (strchr(n, '-') || strchr(n, '.'))
		return 1;
	while (islower((unsigned char)n[k]))
		k++;
	return k >= 2 && k <= 3 && n[k] == '_' && isupper((unsigned char)n[k + 1]) && isupper((unsigned char)n[k + 2]);
}

/* COLLATE name: a collation of the user's (the built-in and the operating system's collations
   are no statement's creation). */
static void
coll_ref(struct cx *c, const struct pt *names)
{
	const char *s, *n;

	if (split_names(names, &s, &n) < 0 || streq(s, "pg_catalog") || (!s && builtin_coll(n)))
		return;
	add(&c->si->refs, qid(c, "collation:", s, n));
}

/* The names WITH clauses give anywhere in the statement: they come after FROM in the tree. */
static void
collect_ctes(struct cx *c, const struct pt *n)
{
	const char *k;
	const struct pt *v;
	size_t i;

	if (pt_is_arr(n)) {
		pt_foreach(n, i, v)
			collect_ctes(c, v);
	} else if (pt_is_obj(n)) {
		pt_obj_foreach(n, i, k, v) {
			if (strcmp(k, "CommonTableExpr") == 0 && str(v, "ctename"))
				strv_add(&c->ctes, str(v, "ctename"));
			if (pt_is_obj(v) || pt_is_arr(v))
				collect_ctes(c, v);
		}
	}
}

/* A foreign key's target table and columns. */
static void
fk_refs(struct cx *c, const struct pt *con)
{
	const struct pt *pk = get(con, "pktable");
	size_t i;
	const struct pt *a;

	if (!pk)
		return;
	add(&c->si->refs, rv_id(c, "table:", pk));
	pt_foreach(get(con, "pk_attrs"), i, a) {
		const char *col = sval(a);

		if (col) {
			char *t = rv_id(c, "", pk), *q = model_ident(col);

			add(&c->si->refs, xasprintf("column:%s.%s", t, q));
			free(t);
			free(q);
		}
	}
}

/* Record what a subtree uses: types, function calls, sequences, foreign keys; with W_REL the
   relations a query reads. */
/* The keys the walk acts on. Every key of every node of a tree comes here, most of them none of
   these: the first byte turns nearly all away before any strcmp. */
enum wkey { WK_OTHER, WK_TYPE, WK_FUNCCALL, WK_CONSTRAINT, WK_RANGEVAR, WK_DML };

static enum wkey
wkey(const char *k)
{
	switch (k[0]) {
	case 't': return strcmp(k, "typeName") == 0 ? WK_TYPE : WK_OTHER;
	case 'T': return strcmp(k, "TypeName") == 0 ? WK_TYPE : WK_OTHER;
	case 'a': return strcmp(k, "argType") == 0 ? WK_TYPE : WK_OTHER;
	case 'r': return strcmp(k, "returnType") == 0 ? WK_TYPE : WK_OTHER;
	case 'F': return strcmp(k, "FuncCall") == 0 ? WK_FUNCCALL : WK_OTHER;
	case 'C': return strcmp(k, "Constraint") == 0 ? WK_CONSTRAINT : WK_OTHER;
	case 'R': return strcmp(k, "RangeVar") == 0 ? WK_RANGEVAR : WK_OTHER;
	case 'I': return strcmp(k, "InsertStmt") == 0 ? WK_DML : WK_OTHER;
	case 'U': return strcmp(k, "UpdateStmt") == 0 ? WK_DML : WK_OTHER;
	case 'D': return strcmp(k, "DeleteStmt") == 0 ? WK_DML : WK_OTHER;
	case 'M': return strcmp(k, "MergeStmt") == 0 ? WK_DML : WK_OTHER;
	default: return WK_OTHER;
	}
}

static void
walk(struct cx *c, const struct pt *n, int flags)
{
	const char *k;
	const struct pt *v;
	size_t i;

	if (pt_is_arr(n)) {
		pt_foreach(n, i, v)
			walk(c, v, flags);
		return;
	}
	if (!pt_is_obj(n))
		return;
	pt_obj_foreach(n, i, k, v) {
		enum wkey w;

		if (!pt_is_obj(v) && !pt_is_arr(v))
			continue;
		w = wkey(k);
		if (w == WK_TYPE) {
			ref_type(c, v);
			walk(c, get(v, "typmods"), flags);
			continue;
		}
		if ((*k == 'c' || *k == 'C') && (streq(k, "collClause") || streq(k, "CollateClause")))
			coll_ref(c, get(v, "collname"));
		else if (*k == 'A' && streq(k, "A_Expr"))
			opr_use(c, get(v, "name"));
		else if ((*k == 'I' && streq(k, "IndexElem")) || (*k == 'P' && streq(k, "PartitionElem")))
			opclass_use(c, v);
		else if (*k == 'c' && streq(k, "collation") && pt_is_arr(v))
			coll_ref(c, v);
		if (w == WK_FUNCCALL)
			func_call(c, v);
		else if (w == WK_CONSTRAINT)
			fk_refs(c, v), excl_refs(c, v);
		else if ((flags & W_REL) && w == WK_RANGEVAR) {
			rel_ref(c, v);
			continue;
		} else if ((flags & W_REL) && w == WK_DML) {
			/* WITH comes first, so that its names are known as such */
			walk(c, get(v, "withClause"), flags);
			rel_ref(c, get(v, "relation"));
		}
		walk(c, v, flags);
	}
}

/* Whether a statement's text may give CTE names: it has the word WITH or RECURSIVE. */
static int
may_have_ctes(const char *sql)
{
	/* the bytes that stop the scan: a word's first letter, or the NUL */
	static const unsigned char stop[256] = { [0] = 1, ['w'] = 1, ['W'] = 1, ['r'] = 1, ['R'] = 1 };
	const unsigned char *p = (const unsigned char *)sql;

	/* one pass for both words (two strcasestr were a tenth of stmtinfo's time), a table lookup a
	   byte, four a turn (a byte is read only after one that is not the NUL) */
	for (;; p++) {
		while (!stop[p[0]] && !stop[p[1]] && !stop[p[2]] && !stop[p[3]])
			p += 4;
		while (!stop[*p])
			p++;
		if (!*p)
			return 0;
		if (((*p | 0x20) == 'w' && strncasecmp((const char *)p, "with", 4) == 0)
		    || ((*p | 0x20) == 'r' && strncasecmp((const char *)p, "recursive", 9) == 0))
			return 1;
	}
}

/* A query (or a part of one): the relations it reads are recorded, WITH names left out. */
static void
walk_query(struct cx *c, const struct pt *n)
{
	/* the raw parser makes a CommonTableExpr of a WITH clause and of CREATE RECURSIVE VIEW only
	   (makeRecursiveViewSelect): a statement without either word has none, and is spared a walk of
	   its whole tree (a third of stmtinfo's time) */
	if (c->with)
		collect_ctes(c, n);
	walk(c, n, W_REL);
}

/* ---- object types ---- */

/* What each ObjectType is called in ids and command tags. */
static const struct objtype {
	const char *ot, *prefix, *words, *drop, *alter;
} objtypes[] = {
	{ "OBJECT_TABLE", "table:", "TABLE", "DROP TABLE", "ALTER TABLE" },
	{ "OBJECT_FOREIGN_TABLE", "table:", "FOREIGN TABLE", "DROP FOREIGN TABLE", "ALTER FOREIGN TABLE" },
	{ "OBJECT_VIEW", "view:", "VIEW", "DROP VIEW", "ALTER VIEW" },
	{ "OBJECT_MATVIEW", "matview:", "MATERIALIZED VIEW", "DROP MATERIALIZED VIEW", "ALTER MATERIALIZED VIEW" },
	{ "OBJECT_INDEX", "index:", "INDEX", "DROP INDEX", "ALTER INDEX" },
	{ "OBJECT_SEQUENCE", "sequence:", "SEQUENCE", "DROP SEQUENCE", "ALTER SEQUENCE" },
	{ "OBJECT_TYPE", "type:", "TYPE", "DROP TYPE", "ALTER TYPE" },
	{ "OBJECT_DOMAIN", "domain:", "DOMAIN", "DROP DOMAIN", "ALTER DOMAIN" },
	{ "OBJECT_SCHEMA", "schema:", "SCHEMA", "DROP SCHEMA", "ALTER SCHEMA" },
	{ "OBJECT_EXTENSION", "extension:", "EXTENSION", "DROP EXTENSION", "ALTER EXTENSION" },
	{ "OBJECT_FUNCTION", "function:", "FUNCTION", "DROP FUNCTION", "ALTER FUNCTION" },
	{ "OBJECT_PROCEDURE", "procedure:", "PROCEDURE", "DROP PROCEDURE", "ALTER PROCEDURE" },
	{ "OBJECT_ROUTINE", "function:", "ROUTINE", "DROP ROUTINE", "ALTER ROUTINE" },
	{ "OBJECT_AGGREGATE", "aggregate:", "AGGREGATE", "DROP AGGREGATE", "ALTER AGGREGATE" },
	{ "OBJECT_TRIGGER", "trigger:", "TRIGGER", "DROP TRIGGER", "ALTER TRIGGER" },
	{ "OBJECT_RULE", "rule:", "RULE", "DROP RULE", "ALTER RULE" },
	{ "OBJECT_POLICY", "policy:", "POLICY", "DROP POLICY", "ALTER POLICY" },
	{ "OBJECT_EVENT_TRIGGER", "event_trigger:", "EVENT TRIGGER", "DROP EVENT TRIGGER", "ALTER EVENT TRIGGER" },
	{ "OBJECT_PUBLICATION", "publication:", "PUBLICATION", "DROP PUBLICATION", "ALTER PUBLICATION" },
	{ "OBJECT_COLUMN", "column:", "COLUMN", "ALTER TABLE", "ALTER TABLE" },
	{ "OBJECT_TABCONSTRAINT", "constraint:", "CONSTRAINT", "ALTER TABLE", "ALTER TABLE" },
	{ "OBJECT_DOMCONSTRAINT", "constraint:", "CONSTRAINT", "ALTER DOMAIN", "ALTER DOMAIN" },
	{ "OBJECT_COLLATION", "collation:", "COLLATION", "DROP COLLATION", "ALTER COLLATION" },
	{ "OBJECT_CONVERSION", "conversion:", "CONVERSION", "DROP CONVERSION", "ALTER CONVERSION" },
	{ "OBJECT_OPERATOR", "operator:", "OPERATOR", "DROP OPERATOR", "ALTER OPERATOR" },
	{ "OBJECT_OPCLASS", "opclass:", "OPERATOR CLASS", "DROP OPERATOR CLASS", "ALTER OPERATOR CLASS" },
	{ "OBJECT_OPFAMILY", "opfamily:", "OPERATOR FAMILY", "DROP OPERATOR FAMILY", "ALTER OPERATOR FAMILY" },
	{ "OBJECT_STATISTIC_EXT", "statistics:", "STATISTICS", "DROP STATISTICS", "ALTER STATISTICS" },
	{ "OBJECT_TSCONFIGURATION", "ts_config:", "TEXT SEARCH CONFIGURATION",
	  "DROP TEXT SEARCH CONFIGURATION", "ALTER TEXT SEARCH CONFIGURATION" },
	{ "OBJECT_TSDICTIONARY", "ts_dict:", "TEXT SEARCH DICTIONARY", "DROP TEXT SEARCH DICTIONARY",
	  "ALTER TEXT SEARCH DICTIONARY" },
	{ "OBJECT_TSPARSER", "ts_parser:", "TEXT SEARCH PARSER", "DROP TEXT SEARCH PARSER",
	  "ALTER TEXT SEARCH PARSER" },
	{ "OBJECT_TSTEMPLATE", "ts_template:", "TEXT SEARCH TEMPLATE", "DROP TEXT SEARCH TEMPLATE",
	  "ALTER TEXT SEARCH TEMPLATE" },
	{ "OBJECT_LANGUAGE", "language:", "LANGUAGE", "DROP LANGUAGE", "ALTER LANGUAGE" },
	{ "OBJECT_FDW", "fdw:", "FOREIGN DATA WRAPPER", "DROP FOREIGN DATA WRAPPER", "ALTER FOREIGN DATA WRAPPER" },
	{ "OBJECT_FOREIGN_SERVER", "server:", "SERVER", "DROP SERVER", "ALTER SERVER" },
	{ "OBJECT_ACCESS_METHOD", "access_method:", "ACCESS METHOD", "DROP ACCESS METHOD", "ALTER ACCESS METHOD" },
	{ "OBJECT_CAST", "cast:", "CAST", "DROP CAST", "ALTER CAST" },
	{ "OBJECT_TRANSFORM", "transform:", "TRANSFORM", "DROP TRANSFORM", "ALTER TRANSFORM" },
	{ "OBJECT_ROLE", "role:", "ROLE", "DROP ROLE", "ALTER ROLE" },
	{ "OBJECT_DATABASE", "database:", "DATABASE", "DROP DATABASE", "ALTER DATABASE" },
	{ "OBJECT_TABLESPACE", "tablespace:", "TABLESPACE", "DROP TABLESPACE", "ALTER TABLESPACE" },
	{ "OBJECT_SUBSCRIPTION", "subscription:", "SUBSCRIPTION", "DROP SUBSCRIPTION", "ALTER SUBSCRIPTION" },
	{ "OBJECT_LARGEOBJECT", "large_object:", "LARGE OBJECT", "DROP LARGE OBJECT", "ALTER LARGE OBJECT" },
	{ "OBJECT_ATTRIBUTE", "column:", "ATTRIBUTE", "ALTER TYPE", "ALTER TYPE" },
};

static const struct objtype *
objtype(const char *ot)
{
	for (size_t i = 0; i < sizeof objtypes / sizeof objtypes[0]; i++)
		if (streq(objtypes[i].ot, ot))
			return &objtypes[i];
	return NULL;
}

/* Object kinds named by one bare name (no schema). */
static int
bare_kind(const char *ot)
{
	static const char *const b[] = { "OBJECT_SCHEMA", "OBJECT_EXTENSION", "OBJECT_EVENT_TRIGGER",
		"OBJECT_PUBLICATION", "OBJECT_LANGUAGE", "OBJECT_FDW", "OBJECT_FOREIGN_SERVER",
		"OBJECT_ACCESS_METHOD", "OBJECT_ROLE", "OBJECT_DATABASE", "OBJECT_TABLESPACE",
		"OBJECT_SUBSCRIPTION", NULL };

	for (int i = 0; b[i]; i++)
		if (streq(b[i], ot))
			return 1;
	return 0;
}

/* Object kinds that live on a table: [schema.]table.name. */
static int
on_table_kind(const char *ot)
{
	return streq(ot, "OBJECT_TRIGGER") || streq(ot, "OBJECT_RULE") || streq(ot, "OBJECT_POLICY")
	    || streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT") || streq(ot, "OBJECT_ATTRIBUTE");
}

/* Operator classes and families are named [method, schema?, name]: 1 with *names the names after
   the method and *am the method, else 0. */
static int
am_named(const char *ot, const struct pt *l, struct pt *names, const char **am)
{
	if (!(streq(ot, "OBJECT_OPCLASS") || streq(ot, "OBJECT_OPFAMILY")) || pt_asize(l) < 2)
		return 0;
	*names = *l;
	names->u.a = l->u.a + 1;
	names->n = l->n - 1;
	*am = sval(pt_at(l, 0));
	return 1;
}

/* The id of an object as DROP, COMMENT, GRANT, ALTER ... OWNER name it: obj is the wrapped node
   (List of names, String, TypeName, ObjectWithArgs, RangeVar). */
static char *
object_id(struct cx *c, const char *ot, const struct pt *obj)
{
	const struct objtype *t = objtype(ot);
	const char *prefix = t ? t->prefix : "object:";
	const struct pt *body, *l;
	const char *k = unwrap(obj, &body);

	if (!k)
		return NULL;
	if (strcmp(k, "String") == 0)
		return bid(prefix, str(body, "sval"));
	if (strcmp(k, "RangeVar") == 0)
		return rv_id(c, prefix, body);
	if (strcmp(k, "TypeName") == 0)
		return list_id(c, prefix, get(body, "names"));
	if (strcmp(k, "ObjectWithArgs") == 0)
		return owa_id(c, prefix, body);
	if (strcmp(k, "RoleSpec") == 0)
		return str(body, "rolename") ? bid("role:", str(body, "rolename")) : NULL;
	if (strcmp(k, "List") != 0)
		return NULL;
	l = get(body, "items");
	if (bare_kind(ot) && pt_asize(l) == 1)
		return bid(prefix, sval(pt_at(l, 0)));
	{
		struct pt nl;
		const char *am;

		if (am_named(ot, l, &nl, &am))
			return am_id(c, prefix, &nl, am);
	}
	if (on_table_kind(ot) || streq(ot, "OBJECT_DOMCONSTRAINT")) {
		size_t n = pt_asize(l);
		const char *name = sval(pt_at(l, n - 1));
		const struct pt *first = pt_at(l, 0);
		struct pt tl;
		char *tid, *q, *id;

		if (n < 2 || !name)
			return NULL;
		/* COMMENT ON CONSTRAINT c ON DOMAIN d: [TypeName, name] */
		if (get(first, "TypeName")) {
			tid = list_id(c, "", get(get(first, "TypeName"), "names"));
		} else {
			tl = *l;   /* all but the last */
			tl.n = n - 1;
			tid = list_id(c, "", &tl);
		}
		if (!tid)
			return NULL;
		q = model_ident(name);
		id = xasprintf("%s%s.%s", prefix, tid, q);
		free(tid);
		free(q);
		return id;
	}
	return list_id(c, prefix, l);
}

/* The table id "S.T" (no prefix) that an on-table object id "trigger:S.T.N" names; NULL if none. */
static void
ref_table_of(struct cx *c, const char *ot, const struct pt *obj)
{
	const struct pt *body, *l;
	const char *k = unwrap(obj, &body);
	struct pt tl;
	size_t n;

	if (!k || strcmp(k, "List") != 0 || !on_table_kind(ot))
		return;
	l = get(body, "items");
	n = pt_asize(l);
	if (n < 2)
		return;
	tl = *l;   /* all but the last */
	tl.n = n - 1;
	add(&c->si->refs, list_id(c, "table:", &tl));
}

/* ---- statements ---- */

/* Copy of makeObjectName for a serial column's sequence: name1_name2_label cut to 63 bytes by
   shortening the longer of the two names (multibyte-safe). */
static char *
make_name(const char *n1, const char *n2, const char *label)
{
	size_t l1 = strlen(n1), l2 = strlen(n2), ll = strlen(label);
	size_t over = l1 + 1 + l2 + 1 + ll;

	while (over > 63 && (l1 > 0 || l2 > 0)) {
		if (l1 > l2)
			l1--;
		else
			l2--;
		over--;
	}
	/* do not cut inside a UTF-8 character */
	while (l1 > 0 && ((unsigned char)n1[l1] & 0xC0) == 0x80)
		l1--;
	while (l2 > 0 && ((unsigned char)n2[l2] & 0xC0) == 0x80)
		l2--;
	return xasprintf("%.*s_%.*s_%s", (int)l1, n1, (int)l2, n2, label);
}

/* A column definition of table schema.table: its type, and the sequence a serial or an identity makes. */
static void
column_def(struct cx *c, const struct pt *cd, const char *schema, const char *table)
{
	const struct pt *tn = get(cd, "typeName");
	const char *col = str(cd, "colname");
	int seq = 0;
	size_t i;
	const struct pt *k;
	const char *s, *n;

	if (tn && split_names(get(tn, "names"), &s, &n) == 0 && !s
	    && (strcmp(n, "serial") == 0 || strcmp(n, "bigserial") == 0 || strcmp(n, "smallserial") == 0
	        || strcmp(n, "serial4") == 0 || strcmp(n, "serial8") == 0 || strcmp(n, "serial2") == 0))
		seq = 1;
	pt_foreach(get(cd, "constraints"), i, k)
		if (streq(str(get(k, "Constraint"), "contype"), "CONSTR_IDENTITY"))
			seq = 1;
	if (seq && col && table) {
		char *sn = make_name(table, col, "seq");

		add(&c->si->creates, qid(c, "sequence:", schema, sn));
		free(sn);
	}
	walk(c, cd, 0);
}

static void
create_table(struct cx *c, const struct pt *cs)
{
	const struct pt *rv = get(cs, "relation");
	const char *schema = str(rv, "schemaname");
	size_t i;
	const struct pt *e, *body;

	add(&c->si->creates, rv_id(c, "table:", rv));
	ref_schema_of(c, schema);
	pt_foreach(get(cs, "tableElts"), i, e) {
		const char *k = unwrap(e, &body);

		if (streq(k, "ColumnDef"))
			column_def(c, body, schema, str(rv, "relname"));
		else if (streq(k, "TableLikeClause"))
			add(&c->si->refs, rv_id(c, "table:", get(body, "relation")));
		else
			walk(c, e, 0);
	}
	pt_foreach(get(cs, "inhRelations"), i, e)
		add(&c->si->refs, rv_id(c, "table:", get(e, "RangeVar")));
	if (get(cs, "ofTypename"))
		ref_type(c, get(cs, "ofTypename"));
	walk(c, get(cs, "partbound"), 0);
	/* a hash partition key's class is a hash one, range and list keys' btree ones */
	c->am = streq(str(get(cs, "partspec"), "strategy"), "hash") ? "hash" : "btree";
	walk(c, get(cs, "partspec"), 0);
}

/* The foreign-data wrapper an extension creates ("fdw:W"), or NULL: by the convention of
   postgres_fdw, file_fdw and the others, an extension named *_fdw creates a wrapper of its own
   name; dblink's is dblink_fdw. */
static char *
ext_fdw(const char *ext)
{
	size_t n = ext ? strlen(ext) : 0;

	if (n > 4 && strcmp(ext + n - 4, "_fdw") == 0)
		return bid("fdw:", ext);
	if (streq(ext, "dblink"))
		return bid("fdw:", "dblink_fdw");
	return NULL;
}

/* An ALTER TABLE subcommand that names one trigger of the table (not ALL, not USER). */
static int
at_names_trigger(const char *sub)
{
	return streq(sub, "AT_EnableTrig") || streq(sub, "AT_EnableAlwaysTrig") || streq(sub, "AT_EnableReplicaTrig")
	    || streq(sub, "AT_DisableTrig");
}

static void
alter_table(struct cx *c, const struct pt *at)
{
	const struct pt *rv = get(at, "relation");
	const struct objtype *t = objtype(str(at, "objtype"));
	size_t i;
	const struct pt *e;

	c->si->tag = t ? t->alter : "ALTER TABLE";
	add(&c->si->alters, rv_id(c, t ? t->prefix : "table:", rv));
	pt_foreach(get(at, "cmds"), i, e) {
		const struct pt *cmd = get(e, "AlterTableCmd"), *def = get(cmd, "def"), *body;
		const char *sub = str(cmd, "subtype");
		const char *k = unwrap(def, &body);

		if (streq(k, "ColumnDef"))
			column_def(c, body, str(rv, "schemaname"), str(rv, "relname"));
		else if (streq(k, "PartitionCmd"))
			add(&c->si->refs, rv_id(c, "table:", get(body, "name")));
		else if (streq(sub, "AT_AddInherit") && streq(k, "RangeVar"))
			add(&c->si->refs, rv_id(c, "table:", body));
		else if (at_names_trigger(sub) && str(cmd, "name")) {
			/* ENABLE/DISABLE [ALWAYS|REPLICA] TRIGGER tr needs the trigger (F29) */
			char *tid = rv_id(c, "", rv), *q = model_ident(str(cmd, "name"));

			if (tid)
				add(&c->si->refs, xasprintf("trigger:%s.%s", tid, q));
			free(tid);
			free(q);
		} else if (streq(sub, "AT_ClusterOn") && str(cmd, "name"))
			/* an index lives in its table's schema */
			add(&c->si->refs, qid(c, "index:", str(rv, "schemaname"), str(cmd, "name")));
		else if (streq(k, "ReplicaIdentityStmt") && streq(str(body, "identity_type"), "i") && str(body, "name"))
			add(&c->si->refs, qid(c, "index:", str(rv, "schemaname"), str(body, "name")));
		else if (streq(sub, "AT_AddIdentity") && str(cmd, "name") && str(rv, "relname")) {
			char *sn = make_name(str(rv, "relname"), str(cmd, "name"), "seq");

			add(&c->si->creates, qid(c, "sequence:", str(rv, "schemaname"), sn));
			free(sn);
		}
		else
			walk(c, def, 0);
	}
}

static void
create_index(struct cx *c, const struct pt *is)
{
	const struct pt *rv = get(is, "relation");
	const char *schema = str(rv, "schemaname");
	const char *name = str(is, "idxname");

	/* an index lives in its table's schema */
	if (name)
		add(&c->si->creates, qid(c, "index:", schema, name));
	add(&c->si->refs, rv_id(c, "table:", rv));
	ref_schema_of(c, schema);
	c->am = str(is, "accessMethod");
	walk(c, get(is, "indexParams"), 0);
	walk(c, get(is, "indexIncludingParams"), 0);
	walk(c, get(is, "whereClause"), 0);
}

/* The string of a CREATE FUNCTION option (language, a one-string AS), or NULL. */
static const char *
fopt_str(const struct pt *opts, const char *name, const struct pt **set)
{
	size_t i;
	const struct pt *e;
	const char *r = NULL;

	pt_foreach(opts, i, e) {
		const struct pt *d = get(e, "DefElem"), *a = get(d, "arg");

		if (set && streq(str(d, "defname"), "set") && streq(str(get(a, "VariableSetStmt"), "name"), "search_path"))
			*set = get(a, "VariableSetStmt");
		if (!streq(str(d, "defname"), name))
			continue;
		if (get(a, "List") && pt_asize(get(get(a, "List"), "items")) == 1)
			a = pt_at(get(get(a, "List"), "items"), 0);
		r = str(get(a, "String"), "sval");
	}
	return r;
}

/* What the body of a LANGUAGE sql function written as a string references: PostgreSQL parses and
   analyzes it at CREATE time (fmgr_sql_validator, unless check_function_bodies is off or an
   argument is polymorphic), so the tables and functions it names must exist before. Only the
   statements that analysis resolves names in (SELECT, INSERT, UPDATE, DELETE, MERGE) count; the
   function's own SET search_path is in force, as during that validation. */
static void
sql_body_refs(struct cx *c, const struct pt *fs)
{
	const struct pt *opts = get(fs, "options"), *set = NULL, *root, *e;
	const char *lang = fopt_str(opts, "language", NULL), *body = fopt_str(opts, "as", &set);
	const char *saved = c->dflt, *first = NULL;
	PgQueryParseResult r;
	struct ptarena arena = { 0 };
	size_t i;
	int with, deep;

	if (!lang || strcasecmp(lang, "sql") != 0 || !body)
		return;
	pt_foreach(get(fs, "parameters"), i, e) {
		const char *s, *n;

		if (split_names(get(get(get(e, "FunctionParameter"), "argType"), "names"), &s, &n) == 0
		    && (!s || streq(s, "pg_catalog")) && strncmp(n, "any", 3) == 0)
			return;
	}
	pt_foreach(get(set, "args"), i, e) {
		const char *v = literal(e);

		if (v && strcmp(v, "$user") != 0 && strcmp(v, "pg_catalog") != 0) {
			first = v;
			break;
		}
	}
	if (set && !first)
		return;   /* a path of pg_catalog alone: nothing unqualified resolves to the user's objects */
	pgq_used();
	r = pg_query_parse(body);
	/* json_loads's own depth limit (2048 values deep) */
	root = NULL;
	if (!r.error && !(root = pt_load(&arena, r.parse_tree, 2047, &deep)) && !deep) {
		json_t *j = json_loads(r.parse_tree, 0, NULL);

		root = pt_from_json(&arena, j);
		json_decref(j);
	}
	pg_query_free_parse_result(r);
	if (first)
		c->dflt = first;
	/* the body is a statement text of its own: its WITHs are in the string's value */
	with = c->with;
	c->with = c->with || may_have_ctes(body);
	pt_foreach(get(root, "stmts"), i, e) {
		const struct pt *body_n;
		const char *k = unwrap(get(e, "stmt"), &body_n);

		if (k && (streq(k, "SelectStmt") || streq(k, "InsertStmt") || streq(k, "UpdateStmt")
		    || streq(k, "DeleteStmt") || streq(k, "MergeStmt")))
			walk_query(c, get(e, "stmt"));
	}
	c->with = with;
	c->dflt = saved;
	pt_free(&arena);
}

static void
create_function(struct cx *c, const struct pt *fs)
{
	int proc = pt_is_true(get(fs, "is_procedure"));
	const struct pt *names = get(fs, "funcname");
	const char *s, *n, *body;
	const struct pt *set = NULL;
	int spmay, bodymay;

	c->si->tag = proc ? "CREATE PROCEDURE" : "CREATE FUNCTION";
	add(&c->si->creates, func_id(c, proc ? "procedure:" : "function:", names, get(fs, "parameters"), 1));
	if (split_names(names, &s, &n) == 0)
		ref_schema_of(c, s);
	walk(c, get(fs, "parameters"), 0);
	if (get(fs, "returnType"))
		ref_type(c, get(fs, "returnType"));
	spmay = c->spmay;
	walk_query(c, get(fs, "sql_body"));
	if (!c->sp || !c->sp->nobodycheck)
		sql_body_refs(c, fs);
	/* the body runs when the function is called, not now; a body naming search_path without a
	   SET search_path clause of its own (which the call ends) may change the caller's path */
	bodymay = c->spmay;
	c->spmay = spmay;
	body = fopt_str(get(fs, "options"), "as", &set);
	if (c->sp && split_names(names, &s, &n) == 0) {
		char *q = model_qname(s ? s : c->dflt, n);
		char *key = xasprintf("spset:%s", q);

		if (!c->sp->known)
			c->sp->known = json_object();
		/* OR REPLACE with a body that no longer does: no more */
		if (!set && (names_path(body) || bodymay))
			json_object_set_new(c->sp->known, key, json_true());
		else
			json_object_del(c->sp->known, key);
		free(key);
		free(q);
	}
}

/* A trigger's or event trigger's function: function:S.N() (trigger functions take no arguments). */
static void
trigger_func(struct cx *c, const struct pt *names)
{
	char *id = list_id(c, "function:", names);

	if (id)
		add(&c->si->refs, xasprintf("%s()", id));
	free(id);
}

/* An object on a table (trigger, rule, policy): prefix:S.T.N, the table and the schema referenced. */
static void
on_table(struct cx *c, struct strv *list, const char *prefix, const struct pt *rv, const char *name)
{
	char *t = rv_id(c, "", rv), *q;

	if (!t || !name) {
		free(t);
		return;
	}
	q = model_ident(name);
	add(list, xasprintf("%s%s.%s", prefix, t, q));
	add(&c->si->refs, xasprintf("table:%s", t));
	ref_schema_of(c, str(rv, "schemaname"));
	free(q);
	free(t);
}

static void
set_var(struct cx *c, const struct pt *vs)
{
	const char *kind = str(vs, "kind");
	const char *name = str(vs, "name");
	size_t i;
	const struct pt *a;

	c->si->tag = streq(kind, "VAR_RESET") || streq(kind, "VAR_RESET_ALL") ? "RESET" : "SET";
	if (!c->sp)
		return;
	if (streq(name, "check_function_bodies") || streq(kind, "VAR_RESET_ALL"))
		c->sp->nobodycheck = streq(kind, "VAR_SET_VALUE") && bool_off(pt_at(get(vs, "args"), 0));
	if (streq(name, "search_path") || streq(kind, "VAR_RESET_ALL"))
		spath_local(c->sp, pt_is_true(get(vs, "is_local")));
	if (streq(kind, "VAR_RESET_ALL") || ((streq(kind, "VAR_RESET") || streq(kind, "VAR_SET_DEFAULT"))
	    && streq(name, "search_path"))) {
		strv_free(&c->sp->schemas);
		strv_add(&c->sp->schemas, "public");
	} else if (streq(kind, "VAR_SET_VALUE") && streq(name, "search_path")) {
		/* each value is one schema name as written: SET search_path = 'a, b' names "a, b" */
		strv_free(&c->sp->schemas);
		pt_foreach(get(vs, "args"), i, a) {
			const char *v = literal(a);

			if (v && strcmp(v, "$user") != 0 && strcmp(v, "pg_catalog") != 0)
				strv_add(&c->sp->schemas, v);
		}
	}
}

/* Fixed command tags by node name. */
static const char *const fixed_tags[][2] = {
	{ "SelectStmt", "SELECT" }, { "InsertStmt", "INSERT" }, { "UpdateStmt", "UPDATE" },
	{ "DeleteStmt", "DELETE" }, { "MergeStmt", "MERGE" }, { "CopyStmt", "COPY" },
	{ "CreateStmt", "CREATE TABLE" }, { "CreateForeignTableStmt", "CREATE FOREIGN TABLE" },
	{ "IndexStmt", "CREATE INDEX" }, { "ViewStmt", "CREATE VIEW" }, { "CreateSeqStmt", "CREATE SEQUENCE" },
	{ "AlterSeqStmt", "ALTER SEQUENCE" }, { "CreateSchemaStmt", "CREATE SCHEMA" },
	{ "CreateExtensionStmt", "CREATE EXTENSION" }, { "AlterExtensionStmt", "ALTER EXTENSION" },
	{ "AlterExtensionContentsStmt", "ALTER EXTENSION" }, { "CreateEnumStmt", "CREATE TYPE" },
	{ "CompositeTypeStmt", "CREATE TYPE" }, { "CreateRangeStmt", "CREATE TYPE" },
	{ "AlterEnumStmt", "ALTER TYPE" }, { "AlterTypeStmt", "ALTER TYPE" },
	{ "CreateDomainStmt", "CREATE DOMAIN" }, { "AlterDomainStmt", "ALTER DOMAIN" },
	{ "CreateTrigStmt", "CREATE TRIGGER" }, { "CreateEventTrigStmt", "CREATE EVENT TRIGGER" },
	{ "AlterEventTrigStmt", "ALTER EVENT TRIGGER" }, { "RuleStmt", "CREATE RULE" },
	{ "CreatePolicyStmt", "CREATE POLICY" }, { "AlterPolicyStmt", "ALTER POLICY" },
	{ "CreatePublicationStmt", "CREATE PUBLICATION" }, { "AlterPublicationStmt", "ALTER PUBLICATION" },
	{ "CommentStmt", "COMMENT" }, { "SecLabelStmt", "SECURITY LABEL" }, { "DoStmt", "DO" },
	{ "TruncateStmt", "TRUNCATE TABLE" }, { "LockStmt", "LOCK TABLE" }, { "ClusterStmt", "CLUSTER" },
	{ "ReindexStmt", "REINDEX" }, { "CheckPointStmt", "CHECKPOINT" }, { "NotifyStmt", "NOTIFY" },
	{ "ListenStmt", "LISTEN" }, { "UnlistenStmt", "UNLISTEN" }, { "PrepareStmt", "PREPARE" },
	{ "ExecuteStmt", "EXECUTE" }, { "DeclareCursorStmt", "DECLARE CURSOR" }, { "CallStmt", "CALL" },
	{ "ConstraintsSetStmt", "SET CONSTRAINTS" }, { "AlterSystemStmt", "ALTER SYSTEM" },
	{ "AlterDatabaseStmt", "ALTER DATABASE" }, { "AlterDatabaseSetStmt", "ALTER DATABASE" },
	{ "AlterDatabaseRefreshCollStmt", "ALTER DATABASE" }, { "CreatedbStmt", "CREATE DATABASE" },
	{ "DropdbStmt", "DROP DATABASE" }, { "LoadStmt", "LOAD" }, { "VariableShowStmt", "SHOW" },
	{ "ExplainStmt", "EXPLAIN" }, { "CreateRoleStmt", "CREATE ROLE" }, { "AlterRoleStmt", "ALTER ROLE" },
	{ "AlterRoleSetStmt", "ALTER ROLE" }, { "DropRoleStmt", "DROP ROLE" },
	{ "AlterDefaultPrivilegesStmt", "ALTER DEFAULT PRIVILEGES" }, { "ReassignOwnedStmt", "REASSIGN OWNED" },
	{ "DropOwnedStmt", "DROP OWNED" }, { "CreateCastStmt", "CREATE CAST" },
	{ "CreateOpClassStmt", "CREATE OPERATOR CLASS" }, { "CreateOpFamilyStmt", "CREATE OPERATOR FAMILY" },
	{ "AlterOpFamilyStmt", "ALTER OPERATOR FAMILY" }, { "AlterOperatorStmt", "ALTER OPERATOR" },
	{ "CreateConversionStmt", "CREATE CONVERSION" }, { "CreateFdwStmt", "CREATE FOREIGN DATA WRAPPER" },
	{ "AlterFdwStmt", "ALTER FOREIGN DATA WRAPPER" }, { "CreateForeignServerStmt", "CREATE SERVER" },
	{ "AlterForeignServerStmt", "ALTER SERVER" }, { "CreateUserMappingStmt", "CREATE USER MAPPING" },
	{ "AlterUserMappingStmt", "ALTER USER MAPPING" }, { "DropUserMappingStmt", "DROP USER MAPPING" },
	{ "ImportForeignSchemaStmt", "IMPORT FOREIGN SCHEMA" }, { "CreatePLangStmt", "CREATE LANGUAGE" },
	{ "CreateTransformStmt", "CREATE TRANSFORM" }, { "CreateStatsStmt", "CREATE STATISTICS" },
	{ "AlterStatsStmt", "ALTER STATISTICS" }, { "CreateAmStmt", "CREATE ACCESS METHOD" },
	{ "CreateTableSpaceStmt", "CREATE TABLESPACE" }, { "DropTableSpaceStmt", "DROP TABLESPACE" },
	{ "AlterTableSpaceOptionsStmt", "ALTER TABLESPACE" }, { "AlterTableMoveAllStmt", "ALTER TABLE" },
	{ "CreateSubscriptionStmt", "CREATE SUBSCRIPTION" }, { "AlterSubscriptionStmt", "ALTER SUBSCRIPTION" },
	{ "DropSubscriptionStmt", "DROP SUBSCRIPTION" }, { "AlterTSDictionaryStmt", "ALTER TEXT SEARCH DICTIONARY" },
	{ "AlterTSConfigurationStmt", "ALTER TEXT SEARCH CONFIGURATION" }, { "AlterCollationStmt", "ALTER COLLATION" },
	{ "RefreshMatViewStmt", "REFRESH MATERIALIZED VIEW" }, { "GrantRoleStmt", "GRANT ROLE" },
	{ "AlterFunctionStmt", "ALTER FUNCTION" }, { "CreateFunctionStmt", "CREATE FUNCTION" },
	{ "AlterTableStmt", "ALTER TABLE" }, { "CreateTableAsStmt", "CREATE TABLE AS" },
	{ "DropStmt", "DROP" }, { "DefineStmt", "CREATE" }, { "RenameStmt", "ALTER" },
	{ "AlterObjectSchemaStmt", "ALTER" }, { "AlterOwnerStmt", "ALTER" }, { "AlterObjectDependsStmt", "ALTER" },
	{ "GrantStmt", "GRANT" }, { "VariableSetStmt", "SET" }, { "TransactionStmt", "BEGIN" },
	{ "DiscardStmt", "DISCARD" }, { "FetchStmt", "FETCH" }, { "ClosePortalStmt", "CLOSE CURSOR" },
	{ "DeallocateStmt", "DEALLOCATE" }, { "VacuumStmt", "VACUUM" },
	{ "CreateTableAsStmt", "CREATE TABLE AS" },
};

/* What PostgreSQL's DefineStmt kinds are called. */
static const char *
define_tag(const char *kind)
{
	static const char *const t[][2] = {
		{ "OBJECT_AGGREGATE", "CREATE AGGREGATE" }, { "OBJECT_OPERATOR", "CREATE OPERATOR" },
		{ "OBJECT_TYPE", "CREATE TYPE" }, { "OBJECT_TSPARSER", "CREATE TEXT SEARCH PARSER" },
		{ "OBJECT_TSDICTIONARY", "CREATE TEXT SEARCH DICTIONARY" },
		{ "OBJECT_TSTEMPLATE", "CREATE TEXT SEARCH TEMPLATE" },
		{ "OBJECT_TSCONFIGURATION", "CREATE TEXT SEARCH CONFIGURATION" },
		{ "OBJECT_COLLATION", "CREATE COLLATION" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (streq(t[i][0], kind))
			return t[i][1];
	return "CREATE";
}

static const char *
trans_tag(const char *kind)
{
	static const char *const t[][2] = {
		{ "TRANS_STMT_BEGIN", "BEGIN" }, { "TRANS_STMT_START", "START TRANSACTION" },
		{ "TRANS_STMT_COMMIT", "COMMIT" }, { "TRANS_STMT_ROLLBACK", "ROLLBACK" },
		{ "TRANS_STMT_SAVEPOINT", "SAVEPOINT" }, { "TRANS_STMT_RELEASE", "RELEASE" },
		{ "TRANS_STMT_ROLLBACK_TO", "ROLLBACK" }, { "TRANS_STMT_PREPARE", "PREPARE TRANSACTION" },
		{ "TRANS_STMT_COMMIT_PREPARED", "COMMIT PREPARED" },
		{ "TRANS_STMT_ROLLBACK_PREPARED", "ROLLBACK PREPARED" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (streq(t[i][0], kind))
			return t[i][1];
	return "BEGIN";
}

static const char *
discard_tag(const char *target)
{
	if (streq(target, "DISCARD_PLANS"))
		return "DISCARD PLANS";
	if (streq(target, "DISCARD_SEQUENCES"))
		return "DISCARD SEQUENCES";
	if (streq(target, "DISCARD_TEMP"))
		return "DISCARD TEMP";
	return "DISCARD ALL";
}

/* The tag "ALTER <object>" of an object type (RenameStmt, AlterOwnerStmt, ...). */
static const char *
alter_tag(const char *ot)
{
	const struct objtype *t = objtype(ot);

	return t ? t->alter : "ALTER";
}

static void stmt(struct cx *c, const char *node, const struct pt *n);

static void
drop(struct cx *c, const struct pt *ds)
{
	const char *ot = str(ds, "removeType");
	const struct objtype *t = objtype(ot);
	size_t i;
	const struct pt *o;

	c->si->tag = t ? t->drop : "DROP";
	pt_foreach(get(ds, "objects"), i, o) {
		add(&c->si->drops, object_id(c, ot, o));
		ref_table_of(c, ot, o);
	}
}

static void
rename_stmt(struct cx *c, const struct pt *rs)
{
	const char *ot = str(rs, "renameType");
	const char *rt = str(rs, "relationType");
	const char *newname = str(rs, "newname");
	const struct pt *rv = get(rs, "relation");
	const struct objtype *t = objtype(ot);
	char *old;

	if (streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT"))
		c->si->tag = alter_tag(rt);
	else if (streq(ot, "OBJECT_ATTRIBUTE"))
		c->si->tag = "ALTER TYPE";
	else
		c->si->tag = alter_tag(ot);
	if (!t || !newname)
		return;
	if (streq(ot, "OBJECT_COLUMN") || streq(ot, "OBJECT_TABCONSTRAINT") || streq(ot, "OBJECT_ATTRIBUTE")) {
		const struct objtype *r = objtype(rt);

		if (rv)
			add(&c->si->alters, rv_id(c, r ? r->prefix : "table:", rv));
		return;
	}
	if (streq(ot, "OBJECT_TRIGGER") || streq(ot, "OBJECT_RULE") || streq(ot, "OBJECT_POLICY")) {
		on_table(c, &c->si->alters, t->prefix, rv, str(rs, "subname"));
		on_table(c, &c->si->creates, t->prefix, rv, newname);
		return;
	}
	if (rv) {
		old = rv_id(c, t->prefix, rv);
		add(&c->si->creates, qid(c, t->prefix, str(rv, "schemaname") ? str(rv, "schemaname") : c->dflt, newname));
	} else {
		const struct pt *obj = get(rs, "object");
		const char *k;
		const struct pt *body;

		old = object_id(c, ot, obj);
		/* ALTER SCHEMA a RENAME TO b names the old schema in subname */
		if (!old && bare_kind(ot) && str(rs, "subname"))
			old = bid(t->prefix, str(rs, "subname"));
		k = unwrap(obj, &body);
		if (bare_kind(ot)) {
			add(&c->si->creates, bid(t->prefix, newname));
		} else {
			const struct pt *names = streq(k, "List") ? get(body, "items") : streq(k, "TypeName") ? get(body, "names")
			    : streq(k, "ObjectWithArgs") ? get(body, "objname") : NULL;
			const char *s, *n, *am;
			struct pt nl;
			int opc = streq(k, "List") && am_named(ot, names, &nl, &am);

			if (opc)
				names = &nl;
			if (names && split_names(names, &s, &n) == 0) {
				if ((streq(k, "ObjectWithArgs") || opc) && old && strchr(old, '(')) {
					char *q = model_qname(s ? s : c->dflt, newname);

					add(&c->si->creates, xasprintf("%s%s%s", t->prefix, q, strchr(old, '(')));
					free(q);
				} else {
					add(&c->si->creates, qid(c, t->prefix, s, newname));
				}
			}
		}
	}
	add(&c->si->alters, old);
}

static void
set_schema(struct cx *c, const struct pt *as)
{
	const char *ot = str(as, "objectType");
	const struct objtype *t = objtype(ot);
	const char *ns = str(as, "newschema");
	const struct pt *rv = get(as, "relation");
	char *old = rv ? rv_id(c, t ? t->prefix : "table:", rv) : object_id(c, ot, get(as, "object"));

	c->si->tag = alter_tag(ot);
	if (ns)
		add(&c->si->refs, bid("schema:", ns));
	if (old && ns && t) {
		/* the same name in the new schema: "prefix:" + new schema + the part after the old one */
		const char *name = rv ? str(rv, "relname") : NULL;
		const struct pt *body;
		const char *k = unwrap(get(as, "object"), &body);

		if (!name && streq(k, "List"))
			split_names(get(body, "items"), &(const char *){ NULL }, &name);
		else if (!name && streq(k, "TypeName"))
			split_names(get(body, "names"), &(const char *){ NULL }, &name);
		else if (!name && streq(k, "ObjectWithArgs"))
			split_names(get(body, "objname"), &(const char *){ NULL }, &name);
		if (name) {
			char *q = (streq(t->prefix, "operator:") ? model_opr_qname : model_qname)(ns, name);
			const char *args = streq(k, "ObjectWithArgs") || streq(t->prefix, "opclass:") || streq(t->prefix, "opfamily:")
			    ? strchr(old, '(') : NULL;

			add(&c->si->creates, xasprintf("%s%s%s", t->prefix, q, args ? args : ""));
			free(q);
		}
	}
	add(&c->si->alters, old);
}

static void
grant(struct cx *c, const struct pt *gs)
{
	int is_grant = pt_is_true(get(gs, "is_grant"));
	const char *ot = str(gs, "objtype");
	const struct objtype *t = objtype(ot);
	size_t i, j, p;
	const struct pt *o, *g, *pr;
	struct strv targets = { 0 };

	c->si->tag = is_grant ? "GRANT" : "REVOKE";
	if (streq(str(gs, "targtype"), "ACL_TARGET_ALL_IN_SCHEMA")) {
		pt_foreach(get(gs, "objects"), i, o)
			if (sval(o))
				add(&c->si->refs, bid("schema:", sval(o)));
		return;
	}
	if (streq(str(gs, "targtype"), "ACL_TARGET_DEFAULTS"))
		return;
	pt_foreach(get(gs, "objects"), i, o) {
		char *id;

		if (get(o, "RangeVar"))
			id = rv_id(c, t ? t->prefix : "table:", get(o, "RangeVar"));
		else if (sval(o))
			id = bid(t ? t->prefix : "object:", sval(o));
		else
			id = object_id(c, ot, o);
		if (!id)
			continue;
		/* column privileges are granted on the columns */
		pt_foreach(get(gs, "privileges"), p, pr) {
			const struct pt *cols = get(get(pr, "AccessPriv"), "cols");

			pt_foreach(cols, j, g) {
				const char *col = sval(g);
				char *q;

				if (!col || strncmp(id, "table:", 6) != 0)
					continue;
				q = model_ident(col);
				strv_take(&targets, xasprintf("column:%s.%s", id + 6, q));
				free(q);
			}
		}
		add(&c->si->refs, xstrdup(id));
		strv_take(&targets, id);
	}
	for (i = 0; i < targets.n; i++)
		pt_foreach(get(gs, "grantees"), j, g) {
			const struct pt *rs = get(g, "RoleSpec");
			const char *rt = str(rs, "roletype");
			const char *who = streq(rt, "ROLESPEC_PUBLIC") ? "PUBLIC" : str(rs, "rolename");
			char *q;

			if (!who)
				continue;
			q = streq(rt, "ROLESPEC_PUBLIC") ? xstrdup(who) : model_ident(who);
			add(is_grant ? &c->si->creates : &c->si->alters, xasprintf("grant:%s:%s", targets.v[i], q));
			free(q);
		}
	strv_free(&targets);
}

static void
comment(struct cx *c, const struct pt *cs)
{
	const char *ot = str(cs, "objtype");
	char *id = object_id(c, ot, get(cs, "object"));

	if (!id)
		return;
	add(get(cs, "comment") ? &c->si->creates : &c->si->drops, xasprintf("comment:%s", id));
	ref_table_of(c, ot, get(cs, "object"));
	add(&c->si->refs, id);
}

/* Sequence options: OWNED BY a column is a reference to it and its table; AS type. */
static void
seq_options(struct cx *c, const struct pt *opts)
{
	size_t i;
	const struct pt *o;

	pt_foreach(opts, i, o) {
		const struct pt *d = get(o, "DefElem");

		if (streq(str(d, "defname"), "owned_by")) {
			const struct pt *l = items(get(d, "arg"));
			size_t n = pt_asize(l);

			if (n >= 2 && !(n == 1 && streq(sval(pt_at(l, 0)), "none"))) {
				struct pt tl = *l;   /* all but the last */
				char *t, *q;

				tl.n = n - 1;
				t = list_id(c, "", &tl);
				if (t) {
					q = model_ident(sval(pt_at(l, n - 1)) ? sval(pt_at(l, n - 1)) : "");
					add(&c->si->refs, xasprintf("table:%s", t));
					add(&c->si->refs, xasprintf("column:%s.%s", t, q));
					free(q);
					free(t);
				}
			}
		} else if (streq(str(d, "defname"), "as")) {
			ref_type(c, get(get(d, "arg"), "TypeName"));
		}
	}
}

static void
stmt(struct cx *c, const char *node, const struct pt *n)
{
	size_t nl = strlen(node);   /* IS compares a fixed length: a chain of strcmp was a tenth of stmtinfo */
	struct stmtinfo *si = c->si;
	size_t i;
	const struct pt *e;

	/* the first byte turns most names away before strcmp (a strcmp per name was 30 per statement) */
	for (size_t k = 0; k < sizeof fixed_tags / sizeof fixed_tags[0]; k++)
		if (fixed_tags[k][0][0] == node[0] && strcmp(fixed_tags[k][0], node) == 0) {
			si->tag = fixed_tags[k][1];
			break;
		}
	if (IS("CreateStmt")) {
		create_table(c, n);
	} else if (IS("CreateForeignTableStmt")) {
		create_table(c, get(n, "base"));
		si->tag = "CREATE FOREIGN TABLE";
		if (str(n, "servername"))
			add(&si->refs, bid("server:", str(n, "servername")));
	} else if (IS("CreateFdwStmt") && str(n, "fdwname")) {
		si->tag = "CREATE FOREIGN DATA WRAPPER";
		add(&si->creates, bid("fdw:", str(n, "fdwname")));
	} else if (IS("CreateForeignServerStmt") && str(n, "servername")) {
		si->tag = "CREATE SERVER";
		add(&si->creates, bid("server:", str(n, "servername")));
		if (str(n, "fdwname"))
			add(&si->refs, bid("fdw:", str(n, "fdwname")));
	} else if (IS("CreateUserMappingStmt") && str(n, "servername")) {
		si->tag = "CREATE USER MAPPING";
		add(&si->refs, bid("server:", str(n, "servername")));
	} else if (IS("AlterTableStmt")) {
		alter_table(c, n);
	} else if (IS("IndexStmt")) {
		create_index(c, n);
	} else if (IS("CreateFunctionStmt")) {
		create_function(c, n);
	} else if (IS("ViewStmt")) {
		const struct pt *rv = get(n, "view");

		add(&si->creates, rv_id(c, "view:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		walk_query(c, get(n, "query"));
	} else if (IS("CreateTableAsStmt")) {
		const struct pt *rv = get(get(n, "into"), "rel");
		int mv = streq(str(n, "objtype"), "OBJECT_MATVIEW");

		si->tag = mv ? "CREATE MATERIALIZED VIEW" : pt_is_true(get(n, "is_select_into")) ? "SELECT INTO"
		    : "CREATE TABLE AS";
		add(&si->creates, rv_id(c, mv ? "matview:" : "table:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		walk_query(c, get(n, "query"));
	} else if (IS("RefreshMatViewStmt")) {
		add(&si->alters, rv_id(c, "matview:", get(n, "relation")));
	} else if (IS("CreateSeqStmt")) {
		const struct pt *rv = get(n, "sequence");

		add(&si->creates, rv_id(c, "sequence:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		seq_options(c, get(n, "options"));
	} else if (IS("AlterSeqStmt")) {
		add(&si->alters, rv_id(c, "sequence:", get(n, "sequence")));
		seq_options(c, get(n, "options"));
	} else if (IS("CreateSchemaStmt")) {
		const char *name = str(n, "schemaname");
		const char *saved = c->dflt;

		if (!name)
			name = str(get(n, "authrole"), "rolename");
		if (name)
			add(&si->creates, bid("schema:", name));
		/* the elements are created in the new schema */
		if (name)
			c->dflt = name;
		pt_foreach(get(n, "schemaElts"), i, e) {
			const struct pt *body;
			const char *k = unwrap(e, &body);
			const char *tag = si->tag;

			if (k)
				stmt(c, k, body);
			si->tag = tag;
		}
		c->dflt = saved;
	} else if (IS("CreateExtensionStmt")) {
		add(&si->creates, bid("extension:", str(n, "extname") ? str(n, "extname") : ""));
		add(&si->creates, ext_fdw(str(n, "extname")));
		pt_foreach(get(n, "options"), i, e) {
			const struct pt *d = get(e, "DefElem");

			if (streq(str(d, "defname"), "schema") && sval(get(d, "arg")))
				add(&si->refs, bid("schema:", sval(get(d, "arg"))));
		}
	} else if (IS("AlterExtensionStmt")) {
		if (str(n, "extname"))
			add(&si->alters, bid("extension:", str(n, "extname")));
	} else if (IS("CreateEnumStmt") || IS("CreateRangeStmt")) {
		const char *s, *nm;

		add(&si->creates, list_id(c, "type:", get(n, "typeName")));
		if (split_names(get(n, "typeName"), &s, &nm) == 0)
			ref_schema_of(c, s);
		pt_foreach(get(n, "params"), i, e) {
			const struct pt *d = get(e, "DefElem");

			if (streq(str(d, "defname"), "subtype"))
				ref_type(c, get(get(d, "arg"), "TypeName"));
		}
	} else if (IS("CompositeTypeStmt")) {
		const struct pt *rv = get(n, "typevar");

		add(&si->creates, rv_id(c, "type:", rv));
		ref_schema_of(c, str(rv, "schemaname"));
		walk(c, get(n, "coldeflist"), 0);
	} else if (IS("AlterEnumStmt")) {
		add(&si->alters, list_id(c, "type:", get(n, "typeName")));
	} else if (IS("AlterTypeStmt")) {
		add(&si->alters, list_id(c, "type:", get(n, "typeName")));
	} else if (IS("CreateDomainStmt")) {
		const char *s, *nm;

		add(&si->creates, list_id(c, "domain:", get(n, "domainname")));
		if (split_names(get(n, "domainname"), &s, &nm) == 0)
			ref_schema_of(c, s);
		ref_type(c, get(n, "typeName"));
		walk(c, get(n, "constraints"), 0);
	} else if (IS("AlterDomainStmt")) {
		add(&si->alters, list_id(c, "domain:", get(n, "typeName")));
		walk(c, get(n, "def"), 0);
	} else if (IS("DefineStmt")) {
		const char *kind = str(n, "kind");
		const struct objtype *t = objtype(kind);
		const char *s, *nm;

		si->tag = define_tag(kind);
		if (streq(kind, "OBJECT_AGGREGATE") && split_names(get(n, "defnames"), &s, &nm) == 0) {
			add(&si->creates, agg_id(c, n));
			ref_schema_of(c, s);
			agg_refs(c, get(n, "definition"));
			agg_sortop(c, n);
		} else if (streq(kind, "OBJECT_OPERATOR") && split_names(get(n, "defnames"), &s, &nm) == 0) {
			create_operator(c, n);
			ref_schema_of(c, s);
		} else if (t && split_names(get(n, "defnames"), &s, &nm) == 0) {
			add(&si->creates, list_id(c, t->prefix, get(n, "defnames")));
			ref_schema_of(c, s);
		}
	} else if (IS("CreateOpClassStmt") || IS("CreateOpFamilyStmt")) {
		const char *s, *nm;

		if (split_names(get(n, "opclassname"), &s, &nm) == 0) {
			add(&si->creates, am_id(c, "opclass:", get(n, "opclassname"), str(n, "amname")));
			if (get(n, "opfamilyname"))
				add(&si->refs, am_id(c, "opfamily:", get(n, "opfamilyname"), str(n, "amname")));
			ref_type(c, get(n, "datatype"));
			opclass_items(c, get(n, "items"), get(n, "datatype"));
		} else if (split_names(get(n, "opfamilyname"), &s, &nm) == 0) {
			add(&si->creates, am_id(c, "opfamily:", get(n, "opfamilyname"), str(n, "amname")));
		}
		ref_schema_of(c, s);
	} else if (IS("AlterOpFamilyStmt")) {
		add(&si->alters, am_id(c, "opfamily:", get(n, "opfamilyname"), str(n, "amname")));
		if (!pt_is_true(get(n, "isDrop")))
			opclass_items(c, get(n, "items"), NULL);
	} else if (IS("CreateTrigStmt")) {
		on_table(c, &si->creates, "trigger:", get(n, "relation"), str(n, "trigname"));
		trigger_func(c, get(n, "funcname"));
		walk(c, get(n, "whenClause"), 0);
	} else if (IS("CreateEventTrigStmt")) {
		if (str(n, "trigname"))
			add(&si->creates, bid("event_trigger:", str(n, "trigname")));
		trigger_func(c, get(n, "funcname"));
	} else if (IS("AlterEventTrigStmt")) {
		if (str(n, "trigname"))
			add(&si->alters, bid("event_trigger:", str(n, "trigname")));
	} else if (IS("RuleStmt")) {
		on_table(c, &si->creates, "rule:", get(n, "relation"), str(n, "rulename"));
		walk_query(c, get(n, "whereClause"));
		walk_query(c, get(n, "actions"));
	} else if (IS("CreatePolicyStmt") || IS("AlterPolicyStmt")) {
		on_table(c, IS("CreatePolicyStmt") ? &si->creates : &si->alters, "policy:",
		    get(n, "table"), str(n, "policy_name"));
		walk_query(c, get(n, "qual"));
		walk_query(c, get(n, "with_check"));
	} else if (IS("CreatePublicationStmt") || IS("AlterPublicationStmt")) {
		if (str(n, "pubname"))
			add(IS("CreatePublicationStmt") ? &si->creates : &si->alters,
			    bid("publication:", str(n, "pubname")));
		pt_foreach(get(n, "pubobjects"), i, e) {
			const struct pt *po = get(e, "PublicationObjSpec");
			const struct pt *pt = get(po, "pubtable");

			if (pt)
				add(&si->refs, rv_id(c, "table:", get(pt, "relation")));
			else if (str(po, "name"))
				add(&si->refs, bid("schema:", str(po, "name")));
		}
	} else if (IS("CommentStmt")) {
		comment(c, n);
	} else if (IS("DropStmt")) {
		drop(c, n);
	} else if (IS("RenameStmt")) {
		rename_stmt(c, n);
	} else if (IS("AlterObjectSchemaStmt")) {
		set_schema(c, n);
	} else if (IS("AlterOwnerStmt")) {
		const char *ot = str(n, "objectType");

		si->tag = alter_tag(ot);
		add(&si->alters, get(n, "relation") ? rv_id(c, objtype(ot) ? objtype(ot)->prefix : "table:",
		    get(n, "relation")) : object_id(c, ot, get(n, "object")));
	} else if (IS("AlterFunctionStmt")) {
		const char *ot = str(n, "objtype");
		const struct objtype *t = objtype(ot);

		si->tag = alter_tag(ot);
		add(&si->alters, owa_id(c, t ? t->prefix : "function:", get(n, "func")));
	} else if (IS("AlterObjectDependsStmt")) {
		si->tag = alter_tag(str(n, "objectType"));
	} else if (IS("GrantStmt")) {
		grant(c, n);
	} else if (IS("GrantRoleStmt")) {
		si->tag = pt_is_true(get(n, "is_grant")) ? "GRANT ROLE" : "REVOKE ROLE";
	} else if (IS("VariableSetStmt")) {
		set_var(c, n);
	} else if (IS("TransactionStmt")) {
		const char *k = str(n, "kind");

		si->tag = trans_tag(k);
		if (c->sp && (streq(k, "TRANS_STMT_BEGIN") || streq(k, "TRANS_STMT_START")))
			c->sp->in_block = 1;
		else if (c->sp && (streq(k, "TRANS_STMT_COMMIT") || streq(k, "TRANS_STMT_ROLLBACK")
		    || streq(k, "TRANS_STMT_PREPARE")))
			spath_block_end(c->sp);
	} else if (IS("DiscardStmt")) {
		si->tag = discard_tag(str(n, "target"));
	} else if (IS("FetchStmt")) {
		si->tag = pt_is_true(get(n, "ismove")) ? "MOVE" : "FETCH";
	} else if (IS("ClosePortalStmt")) {
		si->tag = str(n, "portalname") ? "CLOSE CURSOR" : "CLOSE CURSOR ALL";
	} else if (IS("DeallocateStmt")) {
		si->tag = str(n, "name") ? "DEALLOCATE" : "DEALLOCATE ALL";
	} else if (IS("VacuumStmt")) {
		si->tag = pt_is_true(get(n, "is_vacuumcmd")) ? "VACUUM" : "ANALYZE";
	} else if (IS("SelectStmt") || IS("InsertStmt")
	    || IS("UpdateStmt") || IS("DeleteStmt") || IS("MergeStmt")
	    || IS("CopyStmt") || IS("CallStmt") || IS("ExplainStmt")
	    || IS("DeclareCursorStmt") || IS("PrepareStmt")) {
		/* the node wrapped again, as walk_query takes it */
		struct ptkv wkv = { .k = node, .v = *n };
		struct pt w = { .type = PT_OBJ, .n = 1, .u.o = &wkv };

		/* data statements read and write tables: they come after them (and set_config sets the path) */
		if (IS("CopyStmt") && get(n, "relation"))
			rel_ref(c, get(n, "relation"));
		/* a plain SELECT's targets run once each */
		if (IS("SelectStmt") && !get(n, "fromClause") && !get(n, "whereClause")
		    && !get(n, "havingClause") && !get(n, "groupClause") && !get(n, "limitCount")
		    && !get(n, "limitOffset") && !get(n, "withClause") && !get(n, "valuesLists") && !get(n, "larg")
		    && !get(n, "intoClause"))
			c->plain = get(n, "targetList");
		walk_query(c, &w);
		c->plain = NULL;
		if (IS("SelectStmt") && get(n, "intoClause")) {
			si->tag = "SELECT INTO";
			add(&si->creates, rv_id(c, "table:", get(get(n, "intoClause"), "rel")));
		}
	} else if (IS("TruncateStmt") || IS("LockStmt")) {
		pt_foreach(get(n, "relations"), i, e)
			rel_ref(c, get(e, "RangeVar"));
	}
}

void
spath_init(struct spath *sp)
{
	memset(sp, 0, sizeof *sp);
	strv_add(&sp->schemas, "public");
}

void
spath_copy(struct spath *to, const struct spath *from)
{
	memset(to, 0, sizeof *to);
	for (size_t i = 0; i < from->schemas.n; i++)
		strv_add(&to->schemas, from->schemas.v[i]);
	for (size_t i = 0; i < from->before.n; i++)
		strv_add(&to->before, from->before.v[i]);
	to->in_block = from->in_block;
	to->saved = from->saved;
	to->nobodycheck = from->nobodycheck;
	to->known = json_incref(from->known); /* the objects created so far: names resolve where they are */
}

void
spath_free(struct spath *sp)
{
	strv_free(&sp->schemas);
	strv_free(&sp->before);
	json_decref(sp->known);
	sp->known = NULL;
}

const char *
spath_first(const struct spath *sp)
{
	return sp->schemas.n > 0 ? sp->schemas.v[0] : "public";
}

/* Note a created id in the known set, under the prefixes references use too (a view is
   referenced as table:, a domain as type:, a function by its name alone). */
static void
know_as(json_t *known, const char *id, int alias_only)
{
	static const char *const alias[][2] = { { "view:", "table:" }, { "matview:", "table:" },
		{ "domain:", "type:" } };
	const char *paren = strchr(id, '(');

	/* an alias is false, so that table:S.V tells a view's alias from a table (F49) */
	if (!alias_only)
		json_object_set_new(known, id, json_true());
	else if (!json_object_get(known, id))
		json_object_set_new(known, id, json_false());
	if (paren) {
		char *base = xstrndup(id, (size_t)(paren - id));

		json_object_set_new(known, base, json_true());
		free(base);
	}
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (strncmp(id, alias[i][0], strlen(alias[i][0])) == 0) {
			char *a = xasprintf("%s%s", alias[i][1], id + strlen(alias[i][0]));

			know_as(known, a, 1);
			free(a);
		}
}

static void
know(json_t *known, const char *id)
{
	know_as(known, id, 0);
}

/* A reference table:S.R to what the input created as a view or materialized view names it as
   such, as the model does (a table made since under that name: table). */
static void
rel_kinds(json_t *known, struct strv *v)
{
	static const char *const kinds[] = { "view:", "matview:" };

	for (size_t i = 0; i < v->n; i++) {
		if (strncmp(v->v[i], "table:", 6) != 0 || !json_is_false(json_object_get(known, v->v[i])))
			continue;
		for (size_t k = 0; k < 2; k++) {
			char *alt = xasprintf("%s%s", kinds[k], v->v[i] + 6);

			if (json_is_true(json_object_get(known, alt))) {
				free(v->v[i]);
				v->v[i] = alt;
				break;
			}
			free(alt);
		}
	}
}

/* An id of list v made of an unqualified name (u: "id\tprefix\tname") names the object of the
   first schema of the path that has one, as the server looks it up; unknown: the first schema.
   With wrap, only ids of comments and grants on it (wrap: "comment:" ...), whose own id holds it. */
static void
resolve_list(struct cx *c, struct strv *v, const char *u, int wrap)
{
	const char *t1 = strchr(u, '\t'), *t2 = strchr(t1 + 1, '\t');
	size_t idn = (size_t)(t1 - u);
	char *prefix = xstrndup(t1 + 1, (size_t)(t2 - t1 - 1));

	for (size_t i = 0; i < v->n; i++) {
		const char *id = v->v[i], *w = id, *rest;

		if (wrap) {
			if (strncmp(w, "comment:", 8) == 0)
				w += 8;
			else if (strncmp(w, "grant:", 6) == 0)
				w += 6;
			else
				continue;
		}
		rest = w + idn;
		if (strncmp(w, u, idn) != 0 || (*rest && *rest != '(' && !(wrap && *rest == ':'))
		    || json_object_get(c->sp->known, w))
			continue;
		for (size_t k = 1; k < c->sp->schemas.n; k++) {
			char *q = (strcmp(prefix, "operator:") == 0 ? model_opr_qname : model_qname)(c->sp->schemas.v[k], t2 + 1);
			char *base = xasprintf("%s%s", prefix, q);
			char *cand = xasprintf("%.*s%s%s", (int)(w - id), id, base, rest);

			free(q);
			/* a grant's role part is not the object's: the object alone is looked up */
			if (json_object_get(c->sp->known, base) || json_object_get(c->sp->known, cand + (w - id))) {
				free(v->v[i]);
				v->v[i] = cand;
				free(base);
				break;
			}
			free(cand);
			free(base);
		}
	}
	free(prefix);
}

/* Whether a DO block's body names search_path (in any case): it may set it. */
static int
do_sets_path(const struct pt *ds)
{
	size_t i;
	const struct pt *e;

	pt_foreach(get(ds, "args"), i, e)
		if (names_path(sval(get(get(e, "DefElem"), "arg"))))
			return 1;
	return 0;
}

int
stmtinfo_get(json_t *node, const char *sql, struct spath *sp, struct stmtinfo *si)
{
	struct ptarena a = { 0 };
	int r = stmtinfo_get_pt(pt_from_json(&a, node), sql, sp, si);

	pt_free(&a);
	return r;
}

int
stmtinfo_get_pt(const struct pt *node, const char *sql, struct spath *sp, struct stmtinfo *si)
{
	struct cx c = { 0 };
	struct sqlclass cl = { 0 };
	const struct pt *body;
	const char *name = unwrap(node, &body);

	memset(si, 0, sizeof *si);
	si->tag = "UNKNOWN";
	si->tx = 1;
	if (!name || !pt_is_obj(body))
		return -1;
	c.si = si;
	c.sp = sp;
	c.dflt = spath_first(sp);
	c.with = !sql || may_have_ctes(sql);
	stmt(&c, name, body);
	strv_free(&c.ctes);
	if (!sp->known)
		sp->known = json_object();
	/* what the statement creates is there for its own later names (a table's FK to itself) */
	for (size_t i = 0; i < si->creates.n; i++)
		know(sp->known, si->creates.v[i]);
	for (size_t i = 0; i < c.unq.n; i++) {
		resolve_list(&c, &si->refs, c.unq.v[i], 0);
		resolve_list(&c, &si->alters, c.unq.v[i], 0);
		resolve_list(&c, &si->drops, c.unq.v[i], 0);
		resolve_list(&c, &si->creates, c.unq.v[i], 1);
		resolve_list(&c, &si->alters, c.unq.v[i], 1);
		resolve_list(&c, &si->drops, c.unq.v[i], 1);
	}
	strv_free(&c.unq);
	rel_kinds(sp->known, &si->refs);
	rel_kinds(sp->known, &si->alters);
	if (c.restore) {
		strv_free(&sp->schemas);
		sp->schemas = c.keep;
	}
	if (strcmp(name, "DoStmt") == 0)
		c.spmay = do_sets_path(body);
	if (c.spmay) {
		struct buf b = { 0 };

		for (size_t i = 0; i < sp->schemas.n; i++) {
			char *q = model_ident(sp->schemas.v[i]);

			if (i > 0)
				buf_add(&b, ", ", 2);
			buf_add(&b, q, strlen(q));
			free(q);
		}
		buf_add(&b, "", 1);
		si->spwarn = b.data;
	}
	sql_classify_node_pt(name, body, &cl);
	si->tx = !(cl.flags & ST_NOTX);
	return 0;
}

void
stmtinfo_free(struct stmtinfo *si)
{
	strv_free(&si->creates);
	strv_free(&si->alters);
	strv_free(&si->drops);
	strv_free(&si->refs);
	free(si->spwarn);
	si->spwarn = NULL;
}
