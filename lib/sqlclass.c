#include <inttypes.h>
#include <jansson.h>
#include <pg_query.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "jsonl.h"
#include "pgfp.h"
#include "pgqraw.h"
#include "ptree.h"
#include "sqlclass.h"

/* Node names live as long as the process; a handful of distinct ones appear in practice. Locked:
   conf-parse classifies statements on several threads. */
static const char *
intern(const char *s, size_t n)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static char **names;
	static size_t nnames;
	const char *v = NULL;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < nnames && !v; i++)
		if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0)
			v = names[i];
	if (!v) {
		names = xrealloc(names, (nnames + 1) * sizeof *names);
		v = names[nnames++] = xstrndup(s, n);
	}
	pthread_mutex_unlock(&lock);
	return v;
}

static int
bool_field(const struct pt *o, const char *k)
{
	return pt_is_true(pt_get(o, k));
}

static const char *
str_field(const struct pt *o, const char *k)
{
	const char *s = pt_str(pt_get(o, k));

	return s ? s : "";
}

/* Whether a list of DefElem nodes has one named name. */
static int
has_defelem(const struct pt *list, const char *name)
{
	size_t i;
	const struct pt *e;

	pt_foreach(list, i, e) {
		const struct pt *d = pt_get(e, "DefElem");

		if (d && strcmp(str_field(d, "defname"), name) == 0)
			return 1;
	}
	return 0;
}

static void
notx(struct sqlclass *c, const char *why)
{
	c->flags |= ST_NOTX;
	c->why = why;
}

/* Role statements write the cluster's shared catalogs: they outlive a scratch database. */
static void
role(struct sqlclass *c, const char *why)
{
	c->flags |= ST_ROLE;
	c->why = why;
}

/* Statements on databases, tablespaces and the like write the shared catalogs as well. */
static void
cluster(struct sqlclass *c, const char *why)
{
	c->flags |= ST_CLUSTER;
	c->why = why;
}

/*
 * Objects that live in the cluster's shared catalogs (pg_database, pg_tablespace,
 * pg_authid, pg_subscription, pg_parameter_acl), by their ObjectType name in the tree.
 * Returns 'r' for a role, 'c' for another shared object, 0 for an object of one database.
 */
static int
shared_kind(const char *objtype)
{
	static const char *const cl[] = { "OBJECT_DATABASE", "OBJECT_TABLESPACE", "OBJECT_SUBSCRIPTION",
		"OBJECT_PARAMETER_ACL", NULL };

	if (strcmp(objtype, "OBJECT_ROLE") == 0)
		return 'r';
	for (int i = 0; cl[i]; i++)
		if (strcmp(objtype, cl[i]) == 0)
			return 'c';
	return 0;
}

/* The words for a statement "<verb> <object>" on a shared object: a fixed string, never data. */
static const char *
shared_words(const char *verb, const char *objtype)
{
	static const struct { const char *verb, *obj, *words; } t[] = {
		{ "rename", "OBJECT_DATABASE", "ALTER DATABASE ... RENAME" },
		{ "rename", "OBJECT_TABLESPACE", "ALTER TABLESPACE ... RENAME" },
		{ "rename", "OBJECT_SUBSCRIPTION", "ALTER SUBSCRIPTION ... RENAME" },
		{ "owner", "OBJECT_DATABASE", "ALTER DATABASE ... OWNER" },
		{ "owner", "OBJECT_TABLESPACE", "ALTER TABLESPACE ... OWNER" },
		{ "owner", "OBJECT_SUBSCRIPTION", "ALTER SUBSCRIPTION ... OWNER" },
		{ "grant", "OBJECT_DATABASE", "GRANT ON DATABASE" },
		{ "grant", "OBJECT_TABLESPACE", "GRANT ON TABLESPACE" },
		{ "grant", "OBJECT_PARAMETER_ACL", "GRANT ON PARAMETER" },
		{ "revoke", "OBJECT_DATABASE", "REVOKE ON DATABASE" },
		{ "revoke", "OBJECT_TABLESPACE", "REVOKE ON TABLESPACE" },
		{ "revoke", "OBJECT_PARAMETER_ACL", "REVOKE ON PARAMETER" },
		{ "comment", "OBJECT_DATABASE", "COMMENT ON DATABASE" },
		{ "comment", "OBJECT_TABLESPACE", "COMMENT ON TABLESPACE" },
		{ "comment", "OBJECT_SUBSCRIPTION", "COMMENT ON SUBSCRIPTION" },
		{ "comment", "OBJECT_ROLE", "COMMENT ON ROLE" },
		{ "label", "OBJECT_DATABASE", "SECURITY LABEL ON DATABASE" },
		{ "label", "OBJECT_TABLESPACE", "SECURITY LABEL ON TABLESPACE" },
		{ "label", "OBJECT_SUBSCRIPTION", "SECURITY LABEL ON SUBSCRIPTION" },
		{ "label", "OBJECT_ROLE", "SECURITY LABEL ON ROLE" },
		{ "rename", "OBJECT_ROLE", "ALTER ROLE ... RENAME" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].verb, verb) == 0 && strcmp(t[i].obj, objtype) == 0)
			return t[i].words;
	return "a statement on a shared object";
}

/* Flag a statement on an object of type objtype when that object is shared by the cluster. */
static void
on_object(struct sqlclass *c, const char *verb, const char *objtype)
{
	switch (shared_kind(objtype)) {
	case 'r':
		role(c, shared_words(verb, objtype));
		break;
	case 'c':
		cluster(c, shared_words(verb, objtype));
		break;
	}
}

/* Whether the value list of a SET is a single on, true, yes or 1. */
static int
turns_on(const struct pt *args)
{
	const struct pt *k = pt_get(pt_at(args, 0), "A_Const");
	const struct pt *sv = pt_get(pt_get(k, "sval"), "sval");
	const struct pt *iv = pt_get(k, "ival");
	static const char *const on[] = { "on", "true", "yes", "1", "t", "y", NULL };

	if (pt_asize(args) != 1 || !k)
		return 0;
	if (pt_is_str(sv)) {
		for (int i = 0; on[i]; i++)
			if (strcasecmp(pt_str(sv), on[i]) == 0)
				return 1;
		return 0;
	}
	/* the tree leaves out a zero: {"ival":{}} */
	return iv && pt_int(pt_get(iv, "ival")) != 0;
}

/* The statements PostgreSQL refuses inside a transaction block (PreventInTransactionBlock callers). */
static void
detail(const char *node, const struct pt *n, struct sqlclass *c)
{
	if (strcmp(node, "CopyStmt") == 0) {
		if (!pt_get(n, "filename"))
			c->flags |= bool_field(n, "is_from") ? ST_COPYIN : ST_COPYOUT;
	} else if (strcmp(node, "TransactionStmt") == 0) {
		const char *k = str_field(n, "kind");

		/* the tree leaves out an empty options list and a false chain */
		if (pt_get(n, "options") || bool_field(n, "chain"))
			c->flags |= ST_TXMODES;
		if (strcmp(k, "TRANS_STMT_BEGIN") == 0 || strcmp(k, "TRANS_STMT_START") == 0)
			c->flags |= ST_TXBEGIN;
		else if (strcmp(k, "TRANS_STMT_COMMIT") == 0)
			c->flags |= ST_TXEND;
		else if (strcmp(k, "TRANS_STMT_COMMIT_PREPARED") == 0)
			notx(c, "COMMIT PREPARED");
		else if (strcmp(k, "TRANS_STMT_ROLLBACK_PREPARED") == 0)
			notx(c, "ROLLBACK PREPARED");
		else if (strcmp(k, "TRANS_STMT_ROLLBACK") == 0 || strcmp(k, "TRANS_STMT_PREPARE") == 0)
			c->flags |= ST_TXOTHER;
	} else if (strcmp(node, "IndexStmt") == 0) {
		if (bool_field(n, "concurrent"))
			notx(c, "CREATE INDEX CONCURRENTLY");
	} else if (strcmp(node, "DropStmt") == 0) {
		if (bool_field(n, "concurrent"))
			notx(c, "DROP INDEX CONCURRENTLY");
	} else if (strcmp(node, "ReindexStmt") == 0) {
		const char *k = str_field(n, "kind");

		if (has_defelem(pt_get(n, "params"), "concurrently"))
			notx(c, "REINDEX CONCURRENTLY");
		else if (strcmp(k, "REINDEX_OBJECT_SCHEMA") == 0)
			notx(c, "REINDEX SCHEMA");
		else if (strcmp(k, "REINDEX_OBJECT_DATABASE") == 0)
			notx(c, "REINDEX DATABASE");
		else if (strcmp(k, "REINDEX_OBJECT_SYSTEM") == 0)
			notx(c, "REINDEX SYSTEM");
	} else if (strcmp(node, "VacuumStmt") == 0) {
		if (bool_field(n, "is_vacuumcmd"))
			notx(c, "VACUUM");
	} else if (strcmp(node, "AlterSystemStmt") == 0) {
		notx(c, "ALTER SYSTEM");
		c->flags |= ST_CLUSTER;
	} else if (strcmp(node, "CreatedbStmt") == 0) {
		notx(c, "CREATE DATABASE");
		c->flags |= ST_CLUSTER;
	} else if (strcmp(node, "DropdbStmt") == 0) {
		notx(c, "DROP DATABASE");
		c->flags |= ST_CLUSTER;
	} else if (strcmp(node, "AlterDatabaseStmt") == 0) {
		cluster(c, "ALTER DATABASE");
		if (has_defelem(pt_get(n, "options"), "tablespace"))
			notx(c, "ALTER DATABASE SET TABLESPACE");
	} else if (strcmp(node, "AlterDatabaseSetStmt") == 0) {
		/* on the database being built too: the setting would be lost with the scratch database */
		cluster(c, "ALTER DATABASE ... SET");
	} else if (strcmp(node, "AlterDatabaseRefreshCollStmt") == 0) {
		cluster(c, "ALTER DATABASE ... REFRESH COLLATION VERSION");
	} else if (strcmp(node, "AlterTableSpaceOptionsStmt") == 0) {
		cluster(c, "ALTER TABLESPACE");
	} else if (strcmp(node, "ReassignOwnedStmt") == 0) {
		/* also gives away the roles' databases and tablespaces */
		cluster(c, "REASSIGN OWNED");
	} else if (strcmp(node, "DropOwnedStmt") == 0) {
		/* also revokes the roles' privileges on databases, tablespaces and parameters */
		cluster(c, "DROP OWNED");
	} else if (strcmp(node, "AlterOwnerStmt") == 0) {
		on_object(c, "owner", str_field(n, "objectType"));
	} else if (strcmp(node, "GrantStmt") == 0) {
		on_object(c, bool_field(n, "is_grant") ? "grant" : "revoke", str_field(n, "objtype"));
	} else if (strcmp(node, "SecLabelStmt") == 0) {
		on_object(c, "label", str_field(n, "objtype"));
	} else if (strcmp(node, "CreateTableSpaceStmt") == 0) {
		notx(c, "CREATE TABLESPACE");
		c->flags |= ST_CLUSTER;
	} else if (strcmp(node, "DropTableSpaceStmt") == 0) {
		notx(c, "DROP TABLESPACE");
		c->flags |= ST_CLUSTER;
	} else if (strcmp(node, "ClusterStmt") == 0) {
		if (!pt_get(n, "relation"))
			notx(c, "CLUSTER without a table");
	} else if (strcmp(node, "CreateSubscriptionStmt") == 0) {
		/* pg_subscription is shared, and DROP DATABASE refuses a database that has one */
		notx(c, "CREATE SUBSCRIPTION");
		c->flags |= ST_CLUSTER;
	} else if (strcmp(node, "DropSubscriptionStmt") == 0) {
		notx(c, "DROP SUBSCRIPTION");
	} else if (strcmp(node, "AlterSubscriptionStmt") == 0) {
		if (strstr(str_field(n, "kind"), "PUBLICATION") || strstr(str_field(n, "kind"), "REFRESH"))
			notx(c, "ALTER SUBSCRIPTION ... PUBLICATION/REFRESH");
	} else if (strcmp(node, "DiscardStmt") == 0) {
		if (strcmp(str_field(n, "target"), "DISCARD_ALL") == 0)
			notx(c, "DISCARD ALL");
	} else if (strcmp(node, "CreateRoleStmt") == 0) {
		role(c, "CREATE ROLE");
	} else if (strcmp(node, "AlterRoleStmt") == 0 || strcmp(node, "AlterRoleSetStmt") == 0) {
		role(c, "ALTER ROLE");
	} else if (strcmp(node, "DropRoleStmt") == 0) {
		role(c, "DROP ROLE");
	} else if (strcmp(node, "GrantRoleStmt") == 0) {
		role(c, bool_field(n, "is_grant") ? "GRANT role" : "REVOKE role");
	} else if (strcmp(node, "RenameStmt") == 0) {
		on_object(c, "rename", str_field(n, "renameType"));
	} else if (strcmp(node, "CommentStmt") == 0) {
		on_object(c, "comment", str_field(n, "objtype"));
	} else if (strcmp(node, "VariableSetStmt") == 0) {
		if (strcasecmp(str_field(n, "name"), "standard_conforming_strings") == 0
		    && strcmp(str_field(n, "kind"), "VAR_SET_VALUE") == 0 && !turns_on(pt_get(n, "args")))
			c->flags |= ST_SCSOFF;
	} else if (strcmp(node, "AlterTableStmt") == 0) {
		size_t i;
		const struct pt *e;

		pt_foreach(pt_get(n, "cmds"), i, e) {
			const struct pt *cmd = pt_get(e, "AlterTableCmd");
			const struct pt *pc = pt_get(pt_get(cmd, "def"), "PartitionCmd");

			if (pc && bool_field(pc, "concurrent"))
				notx(c, "DETACH PARTITION CONCURRENTLY");
		}
	}
}

/* Nodes whose details matter; every other node is classified by its name alone. */
static int
interesting(const char *node)
{
	static const char *const list[] = { "CopyStmt", "TransactionStmt", "IndexStmt", "DropStmt",
		"ReindexStmt", "VacuumStmt", "AlterSystemStmt", "CreatedbStmt", "DropdbStmt",
		"AlterDatabaseStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt", "ClusterStmt",
		"CreateSubscriptionStmt", "DropSubscriptionStmt", "AlterSubscriptionStmt", "DiscardStmt",
		"AlterTableStmt", "CreateRoleStmt", "AlterRoleStmt", "AlterRoleSetStmt", "DropRoleStmt",
		"GrantRoleStmt", "RenameStmt", "CommentStmt", "VariableSetStmt", "AlterDatabaseSetStmt",
		"AlterDatabaseRefreshCollStmt", "AlterTableSpaceOptionsStmt", "ReassignOwnedStmt", "DropOwnedStmt",
		"AlterOwnerStmt", "GrantStmt", "SecLabelStmt", NULL };

	/* the first letter sets most of them aside before a compare */
	for (int i = 0; list[i]; i++)
		if (list[i][0] == node[0] && strcmp(node, list[i]) == 0)
			return 1;
	return 0;
}

/* detail of a jansson tree. */
static void
detail_json(const char *node, json_t *n, struct sqlclass *c)
{
	struct ptarena a = { 0 };

	detail(node, pt_from_json(&a, n), c);
	pt_free(&a);
}

/* A loader for libpg_query's JSON alone (objects, arrays, strings, integers, true, false, null),
   building the values json_loads would build, at a fraction of its cost: json_loads reads a byte
   at a time through a stream with a check on each, and this is the largest cost of conf-parse. Any
   input it is not sure of (a real number, a NUL, a raw control byte, bytes that are not UTF-8,
   deep nesting, a malformed text) makes it give up with NULL: the caller then uses json_loads,
   so the result is always json_loads's own. */
struct jp {
	const char *p;
	int depth;
	int deep;      /* gave up at TREE_DEPTH_MAX */
	struct buf b;
};

static json_t *jp_value(struct jp *j);

static void
jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

static int
hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		int c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static void
put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	buf_add(b, u, n);
}


/* A string after its opening quote, into j->b; -1 when unsure. */
static int
jp_string(struct jp *j)
{
	const char *p = j->p;

	j->b.len = 0;
	for (;;) {
		const char *q = p;

		while ((unsigned char)*q >= 0x20 && *q != '"' && *q != '\\' && (unsigned char)*q < 0x80)
			q++;
		buf_add(&j->b, p, (size_t)(q - p));
		p = q;
		if (*p == '"') {
			j->p = p + 1;
			return 0;
		}
		if ((unsigned char)*p >= 0x80) {
			size_t n = utf8_seq((const unsigned char *)p);

			if (!n)
				return -1;
			buf_add(&j->b, p, n);
			p += n;
		} else if (*p == '\\') {
			unsigned v, w;

			switch (p[1]) {
			case '"': case '\\': case '/': buf_add(&j->b, p + 1, 1); p += 2; break;
			case 'b': buf_add(&j->b, "\b", 1); p += 2; break;
			case 'f': buf_add(&j->b, "\f", 1); p += 2; break;
			case 'n': buf_add(&j->b, "\n", 1); p += 2; break;
			case 'r': buf_add(&j->b, "\r", 1); p += 2; break;
			case 't': buf_add(&j->b, "\t", 1); p += 2; break;
			case 'u':
				if (hex4(p + 2, &v) < 0 || v == 0)
					return -1;
				p += 6;
				if (v >= 0xD800 && v <= 0xDBFF) {
					if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &w) < 0 || w < 0xDC00 || w > 0xDFFF)
						return -1;
					p += 6;
					put_utf8(&j->b, 0x10000 + ((unsigned long)(v - 0xD800) << 10) + (w - 0xDC00));
				} else if (v >= 0xDC00 && v <= 0xDFFF) {
					return -1;
				} else {
					put_utf8(&j->b, v);
				}
				break;
			default:
				return -1;
			}
		} else {
			return -1;   /* a raw control byte or the end of the text */
		}
	}
}

static json_t *
jp_value(struct jp *j)
{
	json_t *v;

	jp_ws(j);
	switch (*j->p) {
	case '{':
		if (++j->depth > TREE_DEPTH_MAX) {
			j->deep = 1;
			return NULL;
		}
		j->p++;
		v = json_object();
		jp_ws(j);
		if (*j->p == '}') {
			j->p++;
			j->depth--;
			return v;
		}
		for (;;) {
			char kb[64], *k;   /* the key, kept while the value reuses j->b: a field name fits */
			size_t kl;
			json_t *e;

			jp_ws(j);
			if (*j->p != '"')
				break;
			j->p++;
			if (jp_string(j) < 0 || strlen(j->b.data ? j->b.data : "") != j->b.len)
				break;
			kl = j->b.len;
			k = kl < sizeof kb ? memcpy(kb, j->b.data ? j->b.data : "", kl + 1) : xstrndup(j->b.data, kl);
			jp_ws(j);
			if (*j->p != ':' || (j->p++, !(e = jp_value(j)))) {
				if (k != kb)
					free(k);
				break;
			}
			json_object_setn_new_nocheck(v, k, kl, e);
			if (k != kb)
				free(k);
			jp_ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p == '}') {
				j->p++;
				j->depth--;
				return v;
			}
			break;
		}
		json_decref(v);
		return NULL;
	case '[':
		if (++j->depth > TREE_DEPTH_MAX) {
			j->deep = 1;
			return NULL;
		}
		j->p++;
		v = json_array();
		jp_ws(j);
		if (*j->p == ']') {
			j->p++;
			j->depth--;
			return v;
		}
		for (;;) {
			json_t *e = jp_value(j);

			if (!e)
				break;
			json_array_append_new(v, e);
			jp_ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p == ']') {
				j->p++;
				j->depth--;
				return v;
			}
			break;
		}
		json_decref(v);
		return NULL;
	case '"':
		j->p++;
		if (jp_string(j) < 0)
			return NULL;
		return json_stringn_nocheck(j->b.data ? j->b.data : "", j->b.len);
	case 't':
		if (strncmp(j->p, "true", 4) != 0)
			return NULL;
		j->p += 4;
		return json_true();
	case 'f':
		if (strncmp(j->p, "false", 5) != 0)
			return NULL;
		j->p += 5;
		return json_false();
	case 'n':
		if (strncmp(j->p, "null", 4) != 0)
			return NULL;
		j->p += 4;
		return json_null();
	default: {
		/* an integer as JSON writes it: -?(0|[1-9][0-9]*), within json_int_t */
		const char *q = j->p;
		json_int_t n = 0;
		int neg = *q == '-';

		if (neg)
			q++;
		if (*q < '0' || *q > '9' || (*q == '0' && q[1] >= '0' && q[1] <= '9'))
			return NULL;
		for (int d = 0; *q >= '0' && *q <= '9'; q++, d++) {
			if (d == 18)
				return NULL;   /* near json_int_t's limit: json_loads knows */
			n = n * 10 + (*q - '0');
		}
		if (*q == '.' || *q == 'e' || *q == 'E')
			return NULL;
		j->p = q;
		return json_integer(neg ? -n : n);
	}
	}
}

/* libpg_query's JSON text as json_loads would load it, or NULL: then json_loads will say. */
static json_t *
fast_load(const char *text, int *deep)
{
	struct jp j = { .p = text };
	json_t *v = jp_value(&j);

	*deep = j.deep;

	if (v) {
		jp_ws(&j);
		if (*j.p) {
			json_decref(v);
			v = NULL;
		}
	}
	buf_free(&j.b);
	return v;
}

/* The tree of a statement whose literals hold bytes that are not UTF-8 (a Latin-1 file): jansson
   refuses them, so each such byte becomes U+FFFD in the tree; the text itself is left alone. */
static json_t *
load_tree(const char *text, int *deep)
{
	json_error_t je;
	json_t *t = fast_load(text, deep);
	struct buf b = { 0 };

	/* json_loads stops at 2048 levels and recurses as deep: nothing to ask it */
	if (*deep)
		return NULL;
	if (!t)
		t = json_loads(text, 0, &je);

	if (t)
		return t;
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t n = utf8_seq(p);

		if (n) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_puts(&b, "\xEF\xBF\xBD");
			p++;
		}
	}
	t = b.data ? json_loads(b.data, 0, &je) : NULL;
	buf_free(&b);
	return t;
}


/* pg_query_parse, and with fp the statement's fingerprint as pg_query_fingerprint writes it. */
static PgQueryParseResult
parse_fp_here(const char *sql, char *fp, size_t fpsize)
{
	PgQueryParseResult r = { 0 };
	void *mc = pg_query_enter_memory_context();
	struct pgq_raw raw = RAW_PARSE(sql);

	r.stderr_buffer = raw.stderr_buffer;
	r.error = raw.error;
	if (!raw.error) {
		char *json = pg_query_nodes_to_json(raw.tree);

		r.parse_tree = xstrdup(json);
		if (fp && raw.tree)
			snprintf(fp, fpsize, "%016" PRIx64, pg_query_fingerprint_node(raw.tree));
	}
	pg_query_exit_memory_context(mc);
	return r;
}

/* this thread created libpg_query's memory context (each thread has its own, and pg_query_exit
   frees the calling thread's: another thread's is freed at its exit) */
static _Thread_local int used;

struct parse_job {
	const char *sql;
	char *fp;
	size_t fpsize;
	PgQueryParseResult r;
};

static void *
parse_job_run(void *arg)
{
	struct parse_job *pj = arg;

	pj->r = parse_fp_here(pj->sql, pj->fp, pj->fpsize);
	/* libpg_query frees the thread's memory context at its exit (a pthread key destructor) */
	return NULL;
}

/* parse_fp_here, on a thread whose stack fits the statement: libpg_query writes the JSON and the
   fingerprint by recursion, one level per operator of a chain (a + 1 + 1 ...), and a chain is at
   least 2 bytes a level; a short statement stays on this stack. */
static PgQueryParseResult
parse_fp(const char *sql, char *fp, size_t fpsize)
{
	size_t n = strlen(sql);
	struct parse_job pj = { .sql = sql, .fp = fp, .fpsize = fpsize };
	pthread_attr_t a;
	pthread_t t;
	int e;

	if (n < 16384) {
		used = 1;
		return parse_fp_here(sql, fp, fpsize);
	}
	if ((e = pthread_attr_init(&a)) != 0)
		die(EX_FAIL, "pthread_attr_init: %s", strerror(e));
	/* reserved, not used: pages are given as the recursion reaches them */
	if ((e = pthread_attr_setstacksize(&a, ((size_t)64 << 20) + n * 256)) != 0
	    || (e = pthread_create(&t, &a, parse_job_run, &pj)) != 0)
		die(EX_FAIL, "cannot start the parser thread: %s", strerror(e));
	pthread_join(t, NULL);
	pthread_attr_destroy(&a);
	return pj.r;
}


void
pgq_used(void)
{
	used = 1;
}

void
pgq_exit(void)
{
	/* pg_query_exit crashes when no libpg_query call ever created its context */
	if (used)
		pg_query_exit();
}

void
sql_classify_node(const char *node, json_t *body, struct sqlclass *c)
{
	if (interesting(node))
		detail_json(node, body, c);
}

void
sql_classify_node_pt(const char *node, const struct pt *body, struct sqlclass *c)
{
	if (interesting(node))
		detail(node, body, c);
}

int
sql_classify(const char *sql, struct sqlclass *c)
{
	return sql_classify_tree(sql, c, NULL);
}

int
sql_classify_tree(const char *sql, struct sqlclass *c, json_t **tree)
{
	return sql_classify_fp(sql, c, tree, 0);
}

/* Whether the text of a statement can call set_config: the name in any case, or a U& name that
   could spell it (one scan for the two bytes, where a search for each word in any case took more). */
static int
may_set_config(const char *sql)
{
	for (const char *p = sql; (p = strpbrk(p, "_&")) != NULL; p++)
		if (*p == '&' ? p > sql && (p[-1] == 'U' || p[-1] == 'u')
		    : p - sql >= 3 && strncasecmp(p - 3, "set", 3) == 0 && strncasecmp(p + 1, "config", 6) == 0)
			return 1;
	return 0;
}

/* Whether a statement (its text and the JSON of its parse) turns standard_conforming_strings off
   with set_config, which any query can call: the text, much shorter than the JSON, says first
   whether the call can be there. */
static int
scs_off(const char *sql, const char *json)
{
	return may_set_config(sql) && strstr(json, "\"set_config\"")
	    && strcasestr(json, "\"standard_conforming_strings\"");
}

int
sql_classify_fp(const char *sql, struct sqlclass *c, json_t **tree, int fp)
{
	PgQueryParseResult r;
	const char *p, *q;
	json_t *t = NULL;
	int deep = 0;

	if (tree)
		*tree = NULL;
	memset(c, 0, sizeof *c);
	r = parse_fp(sql, fp ? c->fingerprint : NULL, sizeof c->fingerprint);

	if (r.error) {
		const char *m = r.error->message ? r.error->message : "syntax error";
		size_t n = strlen(m);

		snprintf(c->errmsg, sizeof c->errmsg, "%s", m);
		c->errpos = r.error->cursorpos;
		c->at_end = n >= 13 && strcmp(m + n - 13, " end of input") == 0;
		pg_query_free_parse_result(r);
		return -1;
	}
	c->flags = ST_PARSED;
	if (tree) {
		t = load_tree(r.parse_tree, &deep);
		if (deep)
			snprintf(c->errmsg, sizeof c->errmsg, "the statement is nested too deeply for the reader "
			    "(its parse tree has more than %d levels)", TREE_DEPTH_MAX);
		*tree = json_incref(json_object_get(json_array_get(json_object_get(t, "stmts"), 0), "stmt"));
	}
	/* the tree reads {"version":N,"stmts":[{"stmt":{"NodeName":{...}}}]} */
	p = strstr(r.parse_tree, "\"stmt\":{\"");
	if (p) {
		p += 9;
		q = strchr(p, '"');
		if (q) {
			c->node = intern(p, (size_t)(q - p));
			if (interesting(c->node)) {
				json_t *lt = t ? t : load_tree(r.parse_tree, &deep);
				json_t *s = json_array_get(json_object_get(lt, "stmts"), 0);
				json_t *n = json_object_get(json_object_get(s, "stmt"), c->node);

				if (n)
					detail_json(c->node, n, c);
				if (lt != t)
					json_decref(lt);
			}
		}
	}
	/* a later statement has a location, which no first one of a single statement needs: only then
	   is the tree loaded, to count them and find where the server ends the first */
	c->nstmts = 1;
	if (strstr(r.parse_tree, "\"stmt_location\":")) {
		json_t *lt = t ? t : load_tree(r.parse_tree, &deep);
		json_t *stmts = json_object_get(lt, "stmts");

		c->nstmts = (int)json_array_size(stmts);
		c->end1 = (int)json_integer_value(json_object_get(json_array_get(stmts, 0), "stmt_len"));
		if (lt != t)
			json_decref(lt);
	}
	json_decref(t);
	if (scs_off(sql, r.parse_tree))
		c->flags |= ST_SCSOFF;
	pg_query_free_parse_result(r);
	return 0;
}

/* The tree of sql's JSON text (malloc'd: a takes it) in a: the light reader's (*light set), or
   json_loads's when that one is not sure (of a text parsed again: the reader decoded the first in
   place; with fp, that second parse gives the fingerprint: pgfp_tree reads the light reader's). */
static const struct pt *
load_pt(struct ptarena *a, const char *sql, char *text, int *deep, char *fp, size_t fpsize, int *light)
{
	const struct pt *t = pt_load_owned(a, text, TREE_DEPTH_MAX, deep);
	PgQueryParseResult r;
	json_t *j;

	*light = t != NULL;
	if (t || *deep)
		return t;
	r = parse_fp(sql, fp, fpsize);
	j = r.error ? NULL : load_tree(r.parse_tree, deep);
	t = pt_from_json(a, j);
	json_decref(j);
	pg_query_free_parse_result(r);
	return t;
}

/* c->fingerprint of sql from the light tree root of its parse (NULL: too deep to load); what
   pgfp_tree cannot tell, libpg_query's walk of a second parse does. */
static void
fingerprint_pt(const char *sql, const struct pt *root, struct sqlclass *c)
{
	PgQueryParseResult r;
	const char *why;
	uint64_t h;

	if (root && pgfp_tree(root, sql, &h, &why) == 0) {
		snprintf(c->fingerprint, sizeof c->fingerprint, "%016" PRIx64, h);
		return;
	}
	r = parse_fp(sql, c->fingerprint, sizeof c->fingerprint);
	pg_query_free_parse_result(r);
}

int
sql_classify_pt(const char *sql, struct sqlclass *c, struct ptarena *a, const struct pt **tree, int fp)
{
	PgQueryParseResult r;
	const struct pt *root, *first, *n;
	const char *p, *q;
	int deep = 0, light;

	*tree = NULL;
	memset(c, 0, sizeof *c);
	/* the fingerprint is pgfp_tree's, of the tree loaded below */
	r = parse_fp(sql, NULL, 0);

	if (r.error) {
		const char *m = r.error->message ? r.error->message : "syntax error";
		size_t n = strlen(m);

		snprintf(c->errmsg, sizeof c->errmsg, "%s", m);
		c->errpos = r.error->cursorpos;
		c->at_end = n >= 13 && strcmp(m + n - 13, " end of input") == 0;
		pg_query_free_parse_result(r);
		return -1;
	}
	c->flags = ST_PARSED;
	/* what the text says, read before the tree is loaded in it */
	/* the tree reads {"version":N,"stmts":[{"stmt":{"NodeName":{...}}}]} */
	p = strstr(r.parse_tree, "\"stmt\":{\"");
	if (p && (q = strchr(p + 9, '"')))
		c->node = intern(p + 9, (size_t)(q - p - 9));
	c->nstmts = 1;
	if (scs_off(sql, r.parse_tree))
		c->flags |= ST_SCSOFF;
	root = load_pt(a, sql, r.parse_tree, &deep, fp ? c->fingerprint : NULL, sizeof c->fingerprint, &light);
	r.parse_tree = NULL;   /* the arena's now */
	if (fp && (light || deep))
		fingerprint_pt(sql, light ? root : NULL, c);
	if (deep)
		snprintf(c->errmsg, sizeof c->errmsg, "the statement is nested too deeply for the reader "
		    "(its parse tree has more than %d levels)", TREE_DEPTH_MAX);
	first = pt_at(pt_get(root, "stmts"), 0);
	*tree = pt_get(first, "stmt");
	if (c->node && interesting(c->node) && (n = pt_get(*tree, c->node)))
		detail(c->node, n, c);
	/* more than one statement in the text */
	if (pt_asize(pt_get(root, "stmts")) > 1) {
		c->nstmts = (int)pt_asize(pt_get(root, "stmts"));
		c->end1 = (int)pt_int(pt_get(first, "stmt_len"));
	}
	pg_query_free_parse_result(r);
	return 0;
}
