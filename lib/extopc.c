#include "extopc.h"

#include <string.h>

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
extopc_default(const char *am, int *i, const char **ext, const char **opc)
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
