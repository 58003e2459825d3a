#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anonscan.h"
#include "pgconn.h"

/* Words of a column name, each with the category it suggests: a word matches a whole part of
   the name split at '_' and case changes, a stem matches anywhere in it. */
static const struct {
	const char *w;
	int stem;
	const char *cat;
} words[] = {
	{ "email", 1, "email" }, { "mail", 0, "email" },
	{ "phone", 1, "phone" }, { "mobile", 1, "phone" }, { "tel", 0, "phone" }, { "fax", 0, "phone" }, { "cell", 0, "phone" },
	{ "firstname", 1, "name" }, { "lastname", 1, "name" }, { "fullname", 1, "name" }, { "surname", 1, "name" },
	{ "givenname", 1, "name" }, { "familyname", 1, "name" }, { "middlename", 1, "name" }, { "maiden", 1, "name" },
	{ "address", 1, "address" }, { "street", 1, "address" }, { "addr", 0, "address" }, { "zip", 0, "address" },
	{ "zipcode", 1, "address" }, { "postcode", 1, "address" }, { "postal", 1, "address" },
	{ "birth", 1, "birth_date" }, { "dob", 0, "birth_date" }, { "birthday", 1, "birth_date" },
	{ "ip", 0, "ip_address" }, { "ipaddress", 1, "ip_address" }, { "ipaddr", 1, "ip_address" },
	{ "creditcard", 1, "card_number" }, { "cardnumber", 1, "card_number" }, { "ccnumber", 1, "card_number" },
	{ "pan", 0, "card_number" }, { "iban", 1, "card_number" },
	{ "ssn", 1, "national_id" }, { "socialsecurity", 1, "national_id" }, { "nationalid", 1, "national_id" },
	{ "passport", 1, "national_id" }, { "taxid", 1, "national_id" }, { "nino", 0, "national_id" },
	{ "nir", 0, "national_id" }, { "insee", 1, "national_id" }, { "driverlicense", 1, "national_id" },
	{ "driverslicense", 1, "national_id" }, { "licencenumber", 1, "national_id" },
};

/* Tables whose plain "name" column is a person's name. */
static const char *const people[] = { "user", "customer", "person", "people", "employee", "member", "patient",
	"contact", "author", "client", "account", "staff", "student", "owner", NULL };

const char *
anonscan_name(const char *table, const char *column, const char *type)
{
	char flat[256], part[256];
	size_t nf = 0;

	if (type && (strcmp(type, "inet") == 0 || strcmp(type, "cidr") == 0))
		return "ip_address";
	/* the name flattened (lower case, no separators) for stems; parts for whole words */
	for (const char *p = column; *p && nf + 1 < sizeof flat; p++)
		if (isalnum((unsigned char)*p))
			flat[nf++] = (char)tolower((unsigned char)*p);
	flat[nf] = 0;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (words[i].stem && strstr(flat, words[i].w))
			return words[i].cat;
	for (const char *p = column; *p;) {
		size_t n = 0;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		while (*p && isalnum((unsigned char)*p) && n + 1 < sizeof part) {
			part[n++] = (char)tolower((unsigned char)*p);
			p++;
			if (*p && isupper((unsigned char)*p) && islower((unsigned char)p[-1]))
				break;
		}
		part[n] = 0;
		if (!n)
			break;
		for (size_t i = 0; i < sizeof words / sizeof *words; i++)
			if (!words[i].stem && strcmp(part, words[i].w) == 0)
				return words[i].cat;
	}
	if (strcmp(flat, "name") == 0)
		for (int i = 0; people[i]; i++)
			if (strstr(table, people[i]))
				return "name";
	return NULL;
}

static int
texty(const char *type)
{
	return strcmp(type, "text") == 0 || strncmp(type, "character", 9) == 0 || strcmp(type, "json") == 0
	    || strcmp(type, "jsonb") == 0 || strcmp(type, "citext") == 0;
}

/* The category most of a sample of the column's values look like, or NULL; -1 on failure. */
static int
sample(PGconn *c, const char *schema, const char *table, const char *column, const char **cat)
{
	char *s = pg_quote_ident(c, schema), *t = pg_quote_ident(c, table), *col = pg_quote_ident(c, column);
	struct buf q = { 0 };
	PGresult *r;
	int counts[4] = { 0 }, n;
	static const char *const cats[] = { "email", "card_number", "ip_address", "phone" };

	*cat = NULL;
	buf_printf(&q, "SELECT %s::text FROM %s.%s WHERE %s IS NOT NULL LIMIT 200", col, s, t, col);
	free(s), free(t), free(col);
	r = PQexecParams(c, q.data, 0, NULL, NULL, NULL, NULL, 0);
	buf_free(&q);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		pg_report(r, NULL);
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	for (int i = 0; i < n; i++) {
		const char *d = mask_detect(PQgetvalue(r, i, 0), (size_t)PQgetlength(r, i, 0));

		for (int k = 0; d && k < 4; k++)
			counts[k] += strcmp(d, cats[k]) == 0;
	}
	PQclear(r);
	/* most of the sample, and more than a couple of values */
	for (int k = 0; k < 4; k++)
		if (n >= 3 && counts[k] * 10 >= n * 6)
			*cat = cats[k];
	return 0;
}

long
anonscan(const struct model *m, struct anonrules *rules, PGconn *c)
{
	const char **ids = model_ids(m);
	long found = 0;

	for (size_t i = 0; ids[i]; i++) {
		json_t *rec = model_get(m, ids[i]);
		const char *schema = json_string_value(json_object_get(rec, "schema"));
		const char *table = json_string_value(json_object_get(rec, "name"));
		json_t *cols = json_object_get(rec, "columns"), *col;
		size_t j;

		if (strcmp(json_string_value(json_object_get(rec, "kind")) ? json_string_value(json_object_get(rec, "kind")) : "", "table") != 0 || !table)
			continue;
		json_array_foreach(cols, j, col) {
			const char *name = json_string_value(json_object_get(col, "name"));
			const char *type = json_string_value(json_object_get(col, "type"));
			const char *cat, *why = "name";
			json_t *o;
			char *line;

			if (!name || (rules && anonrules_find(rules, schema, table, name)))
				continue;
			if ((cat = anonscan_name(table, name, type)) && type && (strcmp(type, "inet") == 0 || strcmp(type, "cidr") == 0))
				why = "type";
			if (!cat && c && type && texty(type)) {
				if (sample(c, schema ? schema : "public", table, name, &cat) < 0) {
					free(ids);
					return -1;
				}
				why = "values";
			}
			if (!cat)
				continue;
			o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "pii", "table",
			    json_string_value(json_object_get(rec, "id")) + 6, "column", name, "type", type ? type : "",
			    "category", cat, "found_by", why);
			line = json_dumps(o, JSON_COMPACT);
			puts(line);
			free(line);
			json_decref(o);
			found++;
		}
	}
	free(ids);
	return found;
}
