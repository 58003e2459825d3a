#include "pgopc.h"

#include <stdlib.h>
#include <string.h>

/* The operator classes of pg_catalog (PostgreSQL 15), sorted. */
static const char *const BUILTIN_OPCLASSES[] = {
	"aclitem_ops", "array_ops", "bit_minmax_ops", "bit_ops", "bool_ops", "box_inclusion_ops",
	"box_ops", "bpchar_bloom_ops", "bpchar_minmax_ops", "bpchar_ops", "bpchar_pattern_ops",
	"bytea_bloom_ops", "bytea_minmax_ops", "bytea_ops", "char_bloom_ops", "char_minmax_ops",
	"char_ops", "cid_ops", "cidr_ops", "circle_ops", "date_bloom_ops", "date_minmax_multi_ops",
	"date_minmax_ops", "date_ops", "enum_ops", "float4_bloom_ops", "float4_minmax_multi_ops",
	"float4_minmax_ops", "float4_ops", "float8_bloom_ops", "float8_minmax_multi_ops",
	"float8_minmax_ops", "float8_ops", "inet_bloom_ops", "inet_inclusion_ops",
	"inet_minmax_multi_ops", "inet_minmax_ops", "inet_ops", "int2_bloom_ops",
	"int2_minmax_multi_ops", "int2_minmax_ops", "int2_ops", "int4_bloom_ops",
	"int4_minmax_multi_ops", "int4_minmax_ops", "int4_ops", "int8_bloom_ops",
	"int8_minmax_multi_ops", "int8_minmax_ops", "int8_ops", "interval_bloom_ops",
	"interval_minmax_multi_ops", "interval_minmax_ops", "interval_ops", "jsonb_ops",
	"jsonb_path_ops", "kd_point_ops", "macaddr8_bloom_ops", "macaddr8_minmax_multi_ops",
	"macaddr8_minmax_ops", "macaddr8_ops", "macaddr_bloom_ops", "macaddr_minmax_multi_ops",
	"macaddr_minmax_ops", "macaddr_ops", "money_ops", "multirange_ops", "name_bloom_ops",
	"name_minmax_ops", "name_ops", "numeric_bloom_ops", "numeric_minmax_multi_ops",
	"numeric_minmax_ops", "numeric_ops", "oid_bloom_ops", "oid_minmax_multi_ops", "oid_minmax_ops",
	"oid_ops", "oidvector_ops", "pg_lsn_bloom_ops", "pg_lsn_minmax_multi_ops", "pg_lsn_minmax_ops",
	"pg_lsn_ops", "point_ops", "poly_ops", "quad_point_ops", "range_inclusion_ops", "range_ops",
	"record_image_ops", "record_ops", "text_bloom_ops", "text_minmax_ops", "text_ops",
	"text_pattern_ops", "tid_bloom_ops", "tid_minmax_multi_ops", "tid_minmax_ops", "tid_ops",
	"time_bloom_ops", "time_minmax_multi_ops", "time_minmax_ops", "time_ops",
	"timestamp_bloom_ops", "timestamp_minmax_multi_ops", "timestamp_minmax_ops", "timestamp_ops",
	"timestamptz_bloom_ops", "timestamptz_minmax_multi_ops", "timestamptz_minmax_ops",
	"timestamptz_ops", "timetz_bloom_ops", "timetz_minmax_multi_ops", "timetz_minmax_ops",
	"timetz_ops", "tsquery_ops", "tsvector_ops", "uuid_bloom_ops", "uuid_minmax_multi_ops",
	"uuid_minmax_ops", "uuid_ops", "varbit_minmax_ops", "varbit_ops", "varchar_ops",
	"varchar_pattern_ops", "xid8_ops", "xid_ops"
};

/* The operator classes of PostgreSQL 15 that are the default of their access method for some
   type (pg_opclass.opcdefault), as "am/opclass", sorted (strcmp). Generated once from a PostgreSQL 15.18 server with
     SELECT string_agg(format('"%s/%s"', a.amname, o.opcname), ', '
       ORDER BY a.amname || '/' || o.opcname COLLATE "C")
     FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
     WHERE o.opcdefault AND o.opcnamespace = 'pg_catalog'::regnamespace; */
static const char *const DEFAULT_OPCLASSES[] = {
	"brin/bit_minmax_ops", "brin/box_inclusion_ops", "brin/bpchar_minmax_ops",
	"brin/bytea_minmax_ops", "brin/char_minmax_ops", "brin/date_minmax_ops",
	"brin/float4_minmax_ops", "brin/float8_minmax_ops", "brin/inet_inclusion_ops",
	"brin/int2_minmax_ops", "brin/int4_minmax_ops", "brin/int8_minmax_ops",
	"brin/interval_minmax_ops", "brin/macaddr8_minmax_ops", "brin/macaddr_minmax_ops",
	"brin/name_minmax_ops", "brin/numeric_minmax_ops", "brin/oid_minmax_ops",
	"brin/pg_lsn_minmax_ops", "brin/range_inclusion_ops", "brin/text_minmax_ops",
	"brin/tid_minmax_ops", "brin/time_minmax_ops", "brin/timestamp_minmax_ops",
	"brin/timestamptz_minmax_ops", "brin/timetz_minmax_ops", "brin/uuid_minmax_ops",
	"brin/varbit_minmax_ops", "btree/array_ops", "btree/bit_ops", "btree/bool_ops",
	"btree/bpchar_ops", "btree/bytea_ops", "btree/char_ops", "btree/date_ops", "btree/enum_ops",
	"btree/float4_ops", "btree/float8_ops", "btree/inet_ops", "btree/int2_ops", "btree/int4_ops",
	"btree/int8_ops", "btree/interval_ops", "btree/jsonb_ops", "btree/macaddr8_ops",
	"btree/macaddr_ops", "btree/money_ops", "btree/multirange_ops", "btree/name_ops",
	"btree/numeric_ops", "btree/oid_ops", "btree/oidvector_ops", "btree/pg_lsn_ops",
	"btree/range_ops", "btree/record_ops", "btree/text_ops", "btree/tid_ops", "btree/time_ops",
	"btree/timestamp_ops", "btree/timestamptz_ops", "btree/timetz_ops", "btree/tsquery_ops",
	"btree/tsvector_ops", "btree/uuid_ops", "btree/varbit_ops", "btree/xid8_ops", "gin/array_ops",
	"gin/jsonb_ops", "gin/tsvector_ops", "gist/box_ops", "gist/circle_ops", "gist/multirange_ops",
	"gist/point_ops", "gist/poly_ops", "gist/range_ops", "gist/tsquery_ops", "gist/tsvector_ops",
	"hash/aclitem_ops", "hash/array_ops", "hash/bool_ops", "hash/bpchar_ops", "hash/bytea_ops",
	"hash/char_ops", "hash/cid_ops", "hash/date_ops", "hash/enum_ops", "hash/float4_ops",
	"hash/float8_ops", "hash/inet_ops", "hash/int2_ops", "hash/int4_ops", "hash/int8_ops",
	"hash/interval_ops", "hash/jsonb_ops", "hash/macaddr8_ops", "hash/macaddr_ops",
	"hash/multirange_ops", "hash/name_ops", "hash/numeric_ops", "hash/oid_ops",
	"hash/oidvector_ops", "hash/pg_lsn_ops", "hash/range_ops", "hash/record_ops", "hash/text_ops",
	"hash/tid_ops", "hash/time_ops", "hash/timestamp_ops", "hash/timestamptz_ops",
	"hash/timetz_ops", "hash/uuid_ops", "hash/xid8_ops", "hash/xid_ops", "spgist/box_ops",
	"spgist/inet_ops", "spgist/poly_ops", "spgist/quad_point_ops", "spgist/range_ops",
	"spgist/text_ops"
};

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
pgopc_builtin(const char *name)
{
	return bsearch(&name, BUILTIN_OPCLASSES, sizeof BUILTIN_OPCLASSES / sizeof *BUILTIN_OPCLASSES,
	    sizeof *BUILTIN_OPCLASSES, cmp_cstr) != NULL;
}

int
pgopc_default(const char *am, const char *name)
{
	size_t al = strlen(am), nl = strlen(name);
	char key[128];
	const char *k = key;

	if (al + 1 + nl >= sizeof key)
		return 0;
	memcpy(key, am, al);
	key[al] = '/';
	memcpy(key + al + 1, name, nl + 1);
	return bsearch(&k, DEFAULT_OPCLASSES, sizeof DEFAULT_OPCLASSES / sizeof *DEFAULT_OPCLASSES,
	    sizeof *DEFAULT_OPCLASSES, cmp_cstr) != NULL;
}

/* The default operator classes (pg_opclass.opcdefault) of the contrib extensions of PostgreSQL 15.
   The catalog does not record that an index named its column's default operator class, so
   conf-inspect writes only the others: conf-parse -m must forget a default one too, and the
   extension's own catalog rows are not in the files. Generated once from a PostgreSQL 15.18
   server where every available extension was created, with
     SELECT e.extname, a.amname, o.opcname
     FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
     JOIN pg_depend d ON d.classid = 'pg_opclass'::regclass AND d.objid = o.oid AND d.deptype = 'e'
     JOIN pg_extension e ON e.oid = d.refobjid
     WHERE o.opcdefault; */
static const struct {
	const char *ext, *am, *opc;
} EXT_DEFAULT_OPCLASSES[] = {
	{ "bloom", "bloom", "int4_ops" }, { "bloom", "bloom", "text_ops" },
	{ "btree_gin", "gin", "bit_ops" }, { "btree_gin", "gin", "bool_ops" },
	{ "btree_gin", "gin", "bpchar_ops" }, { "btree_gin", "gin", "bytea_ops" },
	{ "btree_gin", "gin", "char_ops" }, { "btree_gin", "gin", "cidr_ops" },
	{ "btree_gin", "gin", "date_ops" }, { "btree_gin", "gin", "enum_ops" },
	{ "btree_gin", "gin", "float4_ops" }, { "btree_gin", "gin", "float8_ops" },
	{ "btree_gin", "gin", "inet_ops" }, { "btree_gin", "gin", "int2_ops" },
	{ "btree_gin", "gin", "int4_ops" }, { "btree_gin", "gin", "int8_ops" },
	{ "btree_gin", "gin", "interval_ops" }, { "btree_gin", "gin", "macaddr8_ops" },
	{ "btree_gin", "gin", "macaddr_ops" }, { "btree_gin", "gin", "money_ops" },
	{ "btree_gin", "gin", "name_ops" }, { "btree_gin", "gin", "numeric_ops" },
	{ "btree_gin", "gin", "oid_ops" }, { "btree_gin", "gin", "text_ops" },
	{ "btree_gin", "gin", "time_ops" }, { "btree_gin", "gin", "timestamp_ops" },
	{ "btree_gin", "gin", "timestamptz_ops" }, { "btree_gin", "gin", "timetz_ops" },
	{ "btree_gin", "gin", "uuid_ops" }, { "btree_gin", "gin", "varbit_ops" },
	{ "btree_gin", "gin", "varchar_ops" }, { "btree_gist", "gist", "gist_bit_ops" },
	{ "btree_gist", "gist", "gist_bool_ops" }, { "btree_gist", "gist", "gist_bpchar_ops" },
	{ "btree_gist", "gist", "gist_bytea_ops" }, { "btree_gist", "gist", "gist_cash_ops" },
	{ "btree_gist", "gist", "gist_cidr_ops" }, { "btree_gist", "gist", "gist_date_ops" },
	{ "btree_gist", "gist", "gist_enum_ops" }, { "btree_gist", "gist", "gist_float4_ops" },
	{ "btree_gist", "gist", "gist_float8_ops" }, { "btree_gist", "gist", "gist_inet_ops" },
	{ "btree_gist", "gist", "gist_int2_ops" }, { "btree_gist", "gist", "gist_int4_ops" },
	{ "btree_gist", "gist", "gist_int8_ops" }, { "btree_gist", "gist", "gist_interval_ops" },
	{ "btree_gist", "gist", "gist_macaddr8_ops" }, { "btree_gist", "gist", "gist_macaddr_ops" },
	{ "btree_gist", "gist", "gist_numeric_ops" }, { "btree_gist", "gist", "gist_oid_ops" },
	{ "btree_gist", "gist", "gist_text_ops" }, { "btree_gist", "gist", "gist_time_ops" },
	{ "btree_gist", "gist", "gist_timestamp_ops" }, { "btree_gist", "gist", "gist_timestamptz_ops" },
	{ "btree_gist", "gist", "gist_timetz_ops" }, { "btree_gist", "gist", "gist_uuid_ops" },
	{ "btree_gist", "gist", "gist_vbit_ops" }, { "citext", "btree", "citext_ops" },
	{ "citext", "hash", "citext_ops" }, { "cube", "btree", "cube_ops" },
	{ "cube", "gist", "gist_cube_ops" }, { "hstore", "btree", "btree_hstore_ops" },
	{ "hstore", "gin", "gin_hstore_ops" }, { "hstore", "gist", "gist_hstore_ops" },
	{ "hstore", "hash", "hash_hstore_ops" }, { "intarray", "gist", "gist__int_ops" },
	{ "isn", "btree", "ean13_ops" }, { "isn", "btree", "isbn13_ops" }, { "isn", "btree", "isbn_ops" },
	{ "isn", "btree", "ismn13_ops" }, { "isn", "btree", "ismn_ops" },
	{ "isn", "btree", "issn13_ops" }, { "isn", "btree", "issn_ops" }, { "isn", "btree", "upc_ops" },
	{ "isn", "hash", "ean13_ops" }, { "isn", "hash", "isbn13_ops" }, { "isn", "hash", "isbn_ops" },
	{ "isn", "hash", "ismn13_ops" }, { "isn", "hash", "ismn_ops" }, { "isn", "hash", "issn13_ops" },
	{ "isn", "hash", "issn_ops" }, { "isn", "hash", "upc_ops" }, { "ltree", "btree", "ltree_ops" },
	{ "ltree", "gist", "gist__ltree_ops" }, { "ltree", "gist", "gist_ltree_ops" },
	{ "seg", "btree", "seg_ops" }, { "seg", "gist", "gist_seg_ops" }
};

int
pgopc_ext_default(const char *am, int *i, const char **ext, const char **opc)
{
	for (; *i >= 0 && (size_t)*i < sizeof EXT_DEFAULT_OPCLASSES / sizeof *EXT_DEFAULT_OPCLASSES; (*i)++)
		if (strcmp(EXT_DEFAULT_OPCLASSES[*i].am, am) == 0) {
			*ext = EXT_DEFAULT_OPCLASSES[*i].ext;
			*opc = EXT_DEFAULT_OPCLASSES[*i].opc;
			(*i)++;
			return 1;
		}
	return 0;
}
