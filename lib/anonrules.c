#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "anonrules.h"
#include "config.h"
#include "copytext.h"
#include "fsx.h"

struct ctx {
	const char *file;
	const struct ynode *strategies; /* the profile's strategies map, or NULL */
	const char *global_seed;
};

static int
bad(struct ctx *c, const struct ynode *y, const char *msg, const char *arg)
{
	warnat(&(struct srcpos){ c->file, y->line, y->col }, "%s%s", msg, arg ? arg : "");
	return -1;
}

static const struct ynode *
get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->kind == Y_SCALAR && strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

static int
scalar(struct ctx *c, const struct ynode *y, const char *what)
{
	if (y->kind != Y_SCALAR)
		return bad(c, y, what, " wants a single value");
	return 0;
}

static int
boolean(struct ctx *c, const struct ynode *y, const char *key, int *out)
{
	static const char *const t[] = { "true", "True", "TRUE", "yes", "Yes", "on", NULL };
	static const char *const f[] = { "false", "False", "FALSE", "no", "No", "off", NULL };

	if (scalar(c, y, key) < 0)
		return -1;
	for (int i = 0; t[i]; i++)
		if (strcmp(y->str, t[i]) == 0)
			return *out = 1, 0;
	for (int i = 0; f[i]; i++)
		if (strcmp(y->str, f[i]) == 0)
			return *out = 0, 0;
	return bad(c, y, key, " wants true or false");
}

static int
integer(struct ctx *c, const struct ynode *y, const char *key, long min, long max, long *out)
{
	char *end;
	long v;

	if (scalar(c, y, key) < 0)
		return -1;
	errno = 0;
	v = strtol(y->str, &end, 10);
	if (!*y->str || *end || errno || v < min || v > max) {
		warnat(&(struct srcpos){ c->file, y->line, y->col }, "%s wants a whole number from %ld to %ld", key, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
string(struct ctx *c, const struct ynode *y, const char *key, char **out)
{
	if (scalar(c, y, key) < 0)
		return -1;
	/* YAML's null is no text: taking it as the word "null" would write that word into the data */
	if (y->plain && (strcmp(y->str, "null") == 0 || strcmp(y->str, "~") == 0 || strcmp(y->str, "Null") == 0
	    || strcmp(y->str, "NULL") == 0 || !*y->str)) {
		warnat(&(struct srcpos){ c->file, y->line, y->col }, "%s wants a text, not null (quote it for the word: \"null\")", key);
		return -1;
	}
	free(*out);
	*out = xstrdup(y->str);
	return 0;
}

/* One option of a rule or of a profile strategy's config. */
static int
option(struct ctx *c, struct maskrule *m, const struct ynode *kn, const struct ynode *v)
{
	const char *key = kn->str;
	long n;

	if (strcmp(key, "max_length") == 0)
		return integer(c, v, key, 1, 1L << 30, &m->max_length);
	if (strcmp(key, "seed") == 0)
		return string(c, v, key, &m->seed);
	switch (m->kind) {
	case MK_EMAIL:
		if (strcmp(key, "preserve_domain") == 0)
			return boolean(c, v, key, &m->preserve_domain);
		if (strcmp(key, "domain") == 0)
			return string(c, v, key, &m->domain);
		break;
	case MK_PHONE:
		if (strcmp(key, "preserve_country_code") == 0)
			return boolean(c, v, key, &m->keep_country);
		break;
	case MK_SALTED:
		/* upstream's salted_hashing is HMAC-SHA256 with the salt: hash with the salt as seed */
		if (strcmp(key, "salt") == 0)
			return string(c, v, key, &m->seed);
		if (strcmp(key, "salt_env_var") == 0) {
			const char *e;

			if (scalar(c, v, key) < 0)
				return -1;
			if (!(e = getenv(v->str)))
				return bad(c, v, "salt_env_var: the environment has no ", v->str);
			free(m->seed);
			m->seed = xstrdup(e);
			return 0;
		}
		if (strcmp(key, "use_hmac") == 0) {
			int b;

			if (boolean(c, v, key, &b) < 0)
				return -1;
			return b ? 0 : bad(c, v, "use_hmac: false is not supported (a plain hash of a guessable value is reversible)", NULL);
		}
		/* FALLTHROUGH */
	case MK_HASH:
		if (strcmp(key, "prefix") == 0)
			return string(c, v, key, &m->prefix);
		if (strcmp(key, "length") == 0)
			return integer(c, v, key, 1, 64, &m->length);
		if (strcmp(key, "algorithm") == 0) {
			if (scalar(c, v, key) < 0)
				return -1;
			if (strcmp(v->str, "sha256") != 0)
				return bad(c, v, "algorithm: only sha256 (HMAC-SHA256) is supported, not ", v->str);
			return 0;
		}
		break;
	case MK_REDACT:
	case MK_TEXT:
		if (strcmp(key, "replacement") == 0)
			return string(c, v, key, &m->replacement);
		if (m->kind == MK_REDACT && strcmp(key, "preserve_length") == 0)
			return boolean(c, v, key, &m->preserve_length);
		if (m->kind == MK_REDACT && strcmp(key, "mask_char") == 0)
			return string(c, v, key, &m->mask_char);
		if (m->kind == MK_TEXT && strcmp(key, "patterns") == 0) {
			if (v->kind != Y_SEQ)
				return bad(c, v, "patterns wants a list of email, phone, credit_card", NULL);
			m->patterns = 0;
			for (size_t i = 0; i < v->n; i++) {
				const struct ynode *p = v->kids[i];
				int bit = p->kind != Y_SCALAR ? 0 : strcmp(p->str, "email") == 0 ? 1 : strcmp(p->str, "phone") == 0 ? 2
				    : strcmp(p->str, "credit_card") == 0 ? 4 : 0;

				if (!bit)
					return bad(c, p, "patterns: not email, phone or credit_card: ", p->kind == Y_SCALAR ? p->str : "a list");
				m->patterns |= bit;
			}
			return 0;
		}
		break;
	case MK_PARTIAL:
		if (strcmp(key, "prefix") == 0)
			return integer(c, v, key, 0, 1L << 30, &m->pfx);
		if (strcmp(key, "suffix") == 0)
			return integer(c, v, key, 0, 1L << 30, &m->sfx);
		if (strcmp(key, "padding") == 0)
			return string(c, v, key, &m->padding);
		break;
	case MK_RETENTION:
		if (strcmp(key, "preserve_start_chars") == 0)
			return integer(c, v, key, 0, 1L << 30, &m->keep_start);
		if (strcmp(key, "preserve_end_chars") == 0)
			return integer(c, v, key, 0, 1L << 30, &m->keep_end);
		if (strcmp(key, "preserve_delimiters") == 0)
			return boolean(c, v, key, &m->keep_delims);
		if (strcmp(key, "mask_char") == 0)
			return string(c, v, key, &m->mask_char);
		break;
	case MK_CARD:
		if (strcmp(key, "preserve_last4") == 0)
			return boolean(c, v, key, &m->keep_last4);
		if (strcmp(key, "preserve_bin") == 0)
			return boolean(c, v, key, &m->keep_bin);
		break;
	case MK_IP:
		if (strcmp(key, "subnet_bits_ipv4") == 0 || strcmp(key, "subnet_bits_ipv6") == 0) {
			int v6 = key[15] == '6';

			if (integer(c, v, key, 0, v6 ? 128 : 32, &n) < 0)
				return -1;
			*(v6 ? &m->bits6 : &m->bits4) = (int)n;
			return 0;
		}
		break;
	case MK_DATE:
		if (strcmp(key, "jitter_days") == 0)
			return integer(c, v, key, 0, 100000, &m->jitter);
		if (strcmp(key, "generalize") == 0) {
			if (scalar(c, v, key) < 0)
				return -1;
			m->generalize = strcmp(v->str, "month") == 0 ? 1 : strcmp(v->str, "year") == 0 ? 2 : 0;
			if (!m->generalize)
				return bad(c, v, "generalize wants month or year, not ", v->str);
			return 0;
		}
		break;
	case MK_NOISE:
		if (strcmp(key, "percent") == 0) {
			char *end;

			if (scalar(c, v, key) < 0)
				return -1;
			m->percent = strtod(v->str, &end);
			if (!*v->str || *end || m->percent < 0 || m->percent > 1000)
				return bad(c, v, "percent wants a number from 0 to 1000, not ", v->str);
			return 0;
		}
		break;
	case MK_DP:
		if (strcmp(key, "epsilon") == 0 || strcmp(key, "sensitivity") == 0) {
			char *end;
			double d;

			if (scalar(c, v, key) < 0)
				return -1;
			d = strtod(v->str, &end);
			if (!*v->str || *end || !(d > 0 && d < 1e300)) {
				warnat(&(struct srcpos){ c->file, v->line, v->col }, "%s wants a number above 0, not %s", key, v->str);
				return -1;
			}
			*(key[0] == 'e' ? &m->epsilon : &m->sensitivity) = d;
			return 0;
		}
		if (strcmp(key, "mechanism") == 0) {
			if (scalar(c, v, key) < 0)
				return -1;
			return strcmp(v->str, "laplace") == 0 ? 0 : bad(c, v, "mechanism: only laplace is supported, not ", v->str);
		}
		break;
	case MK_JSON:
		if (strcmp(key, "paths") == 0) {
			if (v->kind != Y_SEQ)
				return bad(c, v, "paths wants a list of keys (a.b.c, * for any key)", NULL);
			for (size_t i = 0; i < v->n; i++) {
				if (scalar(c, v->kids[i], "a path") < 0)
					return -1;
				m->paths = xrealloc(m->paths, (m->npaths + 1) * sizeof *m->paths);
				m->paths[m->npaths++] = xstrdup(v->kids[i]->str);
			}
			return 0;
		}
		if (strcmp(key, "mask") == 0) {
			int k;

			if (scalar(c, v, key) < 0)
				return -1;
			k = mask_kind_parse(v->str);
			if (k < 0 || k == MK_JSON)
				return bad(c, v, "mask: not a strategy for a JSON value: ", v->str);
			m->sub->kind = k;
			return 0;
		}
		break;
	}
	/* options of upstream's strategies that change only the look of the output: a team's
	   profile keeps working, and says what it asks for that is not done */
	{
		static const char *const upstream[] = { "format", "hash_length", "format_type", "preserve_initial",
			"case_preserving", "preserve_fields", "redact_street", "anonymize_localhost", "output_format",
			"preserve", "mask_percentage", "case_insensitive", "validate", "preserve_pattern", "delta", "data_type",
			"budget_total", "budget_per_value", NULL };

		for (int i = 0; upstream[i]; i++)
			if (strcmp(key, upstream[i]) == 0) {
				warnat(&(struct srcpos){ c->file, kn->line, kn->col }, "strategy %s: option %s (upstream's) is not acted on",
				    mask_kind_name(m->kind), key);
				return 0;
			}
	}
	warnat(&(struct srcpos){ c->file, kn->line, kn->col }, "strategy %s has no option %s", mask_kind_name(m->kind), key);
	return -1;
}

static int
options(struct ctx *c, struct maskrule *m, const struct ynode *map, const char *const *skip)
{
	if (!map)
		return 0;
	if (map->kind != Y_MAP)
		return bad(c, map, "options must be a mapping", NULL);
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const char *k = map->kids[i]->str;
		int skipped = 0;

		if (!k)
			return bad(c, map->kids[i], "a key must be a plain value", NULL);
		for (int j = 0; skip && skip[j]; j++)
			skipped |= strcmp(k, skip[j]) == 0;
		if (!skipped && option(c, m, map->kids[i], map->kids[i + 1]) < 0)
			return -1;
	}
	return 0;
}

/* The strategy of a rule: a profile strategy's name or a built-in one. */
static int
strategy(struct ctx *c, struct maskrule *m, const struct ynode *y)
{
	const struct ynode *def = get(c->strategies, y->str), *type, *env;
	int k;

	if (scalar(c, y, "strategy") < 0)
		return -1;
	if (!def) {
		if ((k = mask_kind_parse(y->str)) < 0)
			return bad(c, y, "unknown strategy ", y->str);
		mask_rule_init(m, k);
	} else {
		static const char *const skip[] = { "type", "config", "seed_env_var", "name", "description", NULL };

		if (!(type = get(def, "type")) || scalar(c, type, "type") < 0)
			return bad(c, def, "a strategy needs a type", NULL);
		if ((k = mask_kind_parse(type->str)) < 0)
			return bad(c, type, "unknown strategy type ", type->str);
		mask_rule_init(m, k);
		if (k == MK_JSON)
			m->sub = xcalloc(1, sizeof *m->sub), m->sub->kind = MK_REDACT;
		if (options(c, m, get(def, "config"), NULL) < 0 || options(c, m, def, skip) < 0)
			return -1;
		if ((env = get(def, "seed_env_var"))) {
			const char *s;

			if (scalar(c, env, "seed_env_var") < 0)
				return -1;
			if (!(s = getenv(env->str)))
				return bad(c, env, "seed_env_var: the environment has no ", env->str);
			free(m->seed);
			m->seed = xstrdup(s);
		}
		return 0;
	}
	if (k == MK_JSON)
		m->sub = xcalloc(1, sizeof *m->sub), m->sub->kind = MK_REDACT;
	return 0;
}

/* The name as written when p[0..k) is unquoted and folding changed it (upstream reads names
   verbatim: "Email" is the column "Email"), else NULL. */
static char *
verbatim(const char *p, size_t k, const char *folded)
{
	if (p[0] == '"' || (strlen(folded) == k && memcmp(p, folded, k) == 0))
		return NULL;
	return xstrndup(p, k);
}

/* A table or column name as SQL writes it: "Quoted" kept, unquoted folded to lower case
   (*verb gets the unquoted name as written when it differs; verb may be NULL). */
static int
sqlname(struct ctx *c, const struct ynode *y, char **schema, char **name, char **verb)
{
	const char *s = y->str;
	size_t n = strlen(s), k;
	char *a = NULL, *b = NULL;

	*schema = NULL;
	if (verb)
		*verb = NULL;
	if (!(k = sql_ident(s, n, &a)))
		return bad(c, y, "not a name: ", s);
	if (schema != name && k < n && s[k] == '.') {
		size_t k2 = sql_ident(s + k + 1, n - k - 1, &b);

		if (!k2 || k + 1 + k2 != n) {
			free(a);
			free(b);
			return bad(c, y, "not a name: ", s);
		}
		*schema = a;
		*name = b;
		if (verb)
			*verb = verbatim(s + k + 1, k2, b);
		return 0;
	}
	if (k != n) {
		free(a);
		return bad(c, y, "not a name: ", s);
	}
	*name = a;
	if (verb)
		*verb = verbatim(s, k, a);
	return 0;
}

/* Whether the name of a rule (folded, and as written) is name. */
static int
name_is(const char *folded, const char *verb, const char *name)
{
	return strcmp(folded, name) == 0 || (verb && strcmp(verb, name) == 0);
}

static int
rule(struct ctx *c, struct anonrules *a, const struct ynode *tab, const struct ynode *y)
{
	static const char *const skip[] = { "column", "strategy", "options", "array", NULL };
	const struct ynode *col = get(y, "column"), *st = get(y, "strategy"), *arr = get(y, "array");
	struct anonrule *r;
	char *dummy = NULL;

	if (y->kind != Y_MAP)
		return bad(c, y, "a rule is a mapping {column, strategy, ...}", NULL);
	if (!col || scalar(c, col, "column") < 0)
		return col ? -1 : bad(c, y, "a rule needs a column", NULL);
	if (!st)
		return bad(c, y, "a rule needs a strategy", NULL);
	a->r = xrealloc(a->r, (a->n + 1) * sizeof *a->r);
	r = &a->r[a->n];
	memset(r, 0, sizeof *r);
	r->line = y->line, r->col = y->col;
	r->origin = -1;
	if (sqlname(c, tab, &r->schema, &r->table, &r->tablev) < 0)
		return -1;
	a->n++;
	if (sqlname(c, col, &dummy, &r->column, &r->columnv) < 0 || strategy(c, &r->m, st) < 0)
		return -1;
	if (arr && boolean(c, arr, "array", &r->array) < 0)
		return -1;
	if (!r->m.seed && c->global_seed)
		r->m.seed = xstrdup(c->global_seed);
	if (options(c, &r->m, y, skip) < 0 || options(c, &r->m, get(y, "options"), NULL) < 0)
		return -1;
	if (mask_rule_check(&r->m))
		return bad(c, y, mask_rule_check(&r->m), NULL);
	if (r->m.sub) {
		/* the value's strategy shares the json rule's options */
		int k = r->m.sub->kind;

		*r->m.sub = r->m;
		r->m.sub->kind = k;
		r->m.sub->sub = NULL;
		r->m.sub->max_length = 0;
		if (!r->m.npaths)
			return bad(c, y, "a json rule needs paths", NULL);
	}
	for (size_t i = 0; i + 1 < a->n; i++) {
		struct anonrule *o = &a->r[i];

		/* users and public.users may both name a column: the qualified one applies in its schema */
		if (strcmp(o->table, r->table) != 0 || strcmp(o->column, r->column) != 0
		    || !(o->tablev ? r->tablev && strcmp(o->tablev, r->tablev) == 0 : !r->tablev)
		    || !(o->columnv ? r->columnv && strcmp(o->columnv, r->columnv) == 0 : !r->columnv))
			continue;
		if (o->schema ? r->schema && strcmp(o->schema, r->schema) == 0 : !r->schema) {
			warnat(&(struct srcpos){ c->file, y->line, y->col }, "a second rule for column %s of %s (the first at %ld:%ld)",
			    r->column, tab->str, o->line, o->col);
			return -1;
		}
	}
	return 0;
}

static int
rules_of(struct ctx *c, struct anonrules *a, const struct ynode *tab, const struct ynode *list)
{
	if (!tab->str)
		return bad(c, tab, "a table name must be a plain value", NULL);
	if (list->kind != Y_SEQ)
		return bad(c, list, "the rules of a table are a list", NULL);
	if (!list->n)
	{
		warnat(&(struct srcpos){ c->file, list->line, list->col }, "no rules: the rule list of table %s is empty", tab->str);
		return -1;
	}
	for (size_t i = 0; i < list->n; i++)
		if (rule(c, a, tab, list->kids[i]) < 0)
			return -1;
	return 0;
}

struct anonrules *
anonrules_parse(const char *file, const char *text, size_t len)
{
	struct ynode *root = yload(file, text, len);
	struct anonrules *a;
	struct ctx c = { .file = file };
	const struct ynode *tables;
	int rc = 0;

	if (!root)
		return NULL;
	a = xcalloc(1, sizeof *a);
	a->file = xstrdup(file);
	if (root->kind != Y_MAP) {
		rc = bad(&c, root, "a rules file is a mapping of tables (or a profile with tables:)", NULL);
	} else if ((tables = get(root, "key")) || (tables = get(root, "secret")) || (tables = get(root, "anonymization_key"))) {
		/* a secret in a file that is reviewed and committed is no secret */
		rc = bad(&c, tables, "the masking key is never read from the rules file: set CONFITURE_ANON_KEY or give --key-file", NULL);
	} else if ((tables = get(root, "tables"))) {
		const struct ynode *gs = get(root, "global_seed");

		/* the profile format: strategies: {name: {type, config}}, tables: {t: {rules: [...]}} */
		c.strategies = get(root, "strategies");
		if (c.strategies && c.strategies->kind != Y_MAP)
			rc = bad(&c, c.strategies, "strategies must be a mapping of names", NULL);
		if (gs && gs->kind == Y_SCALAR)
			c.global_seed = gs->str;
		if (!rc && tables->kind != Y_MAP)
			rc = bad(&c, tables, "tables must be a mapping of table names", NULL);
		for (size_t i = 0; !rc && i + 1 < tables->n; i += 2) {
			const struct ynode *t = tables->kids[i + 1], *rl = get(t, "rules");

			if (!rl)
				rc = bad(&c, t, "a table of a profile needs rules:", NULL);
			else
				rc = rules_of(&c, a, tables->kids[i], rl);
		}
		if (!rc && !a->n)
			rc = bad(&c, tables, "no rules: the profile's tables: names no table", NULL);
	} else {
		for (size_t i = 0; !rc && i + 1 < root->n; i += 2)
			rc = rules_of(&c, a, root->kids[i], root->kids[i + 1]);
		/* an empty file masks nothing: a sync with it would copy every original */
		if (!rc && !a->n)
			rc = bad(&c, root, "no rules: the file names no table", NULL);
	}
	ynode_free(root);
	if (rc < 0) {
		anonrules_free(a);
		return NULL;
	}
	return a;
}

struct anonrules *
anonrules_load(const char *path)
{
	struct buf b = { 0 };
	struct anonrules *a;

	if (read_file(path, &b) < 0)
		return NULL;
	a = anonrules_parse(path, b.data ? b.data : "", b.len);
	buf_free(&b);
	return a;
}

void
anonrules_free(struct anonrules *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->r[i].schema);
		free(a->r[i].table);
		free(a->r[i].column);
		free(a->r[i].tablev);
		free(a->r[i].columnv);
		/* a derived rule shares its origin's strategy strings */
		if (a->r[i].origin < 0)
			mask_rule_free(&a->r[i].m);
	}
	free(a->r);
	free(a->file);
	free(a);
}

static int
same_table(const struct anonrule *r, const char *schema, const char *table)
{
	return name_is(r->table, r->tablev, table) && (!r->schema || (schema && strcmp(r->schema, schema) == 0));
}

int
anonrules_has_table(struct anonrules *a, const char *schema, const char *table)
{
	int any = 0;

	for (size_t i = 0; i < a->n; i++)
		if (same_table(&a->r[i], schema, table)) {
			any = 1;
			if (!a->r[i].seen)
				a->r[i].seen = 1;
		}
	return any;
}

struct anonrule *
anonrules_find(struct anonrules *a, const char *schema, const char *table, const char *column)
{
	struct anonrule *best = NULL;
	int bestq = 0;

	/* a rule written for the table itself is more precise than one derived from an ancestor, a
	   qualified rule than one for the name in any schema, a name as written than a folded one */
	for (size_t i = 0; i < a->n; i++) {
		struct anonrule *r = &a->r[i];
		int q;

		if (!same_table(r, schema, table) || !name_is(r->column, r->columnv, column))
			continue;
		/* every rule that applies to the column came, the one not chosen too */
		r->seen = 2;
		q = (r->origin < 0 ? 4 : 0) + (r->schema ? 2 : 0) + (strcmp(r->columnv ? r->columnv : r->column, column) == 0);
		if (!best || q > bestq)
			best = r, bestq = q;
	}
	return best;
}

size_t
anonrules_report_missing(const struct anonrules *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++) {
		const struct anonrule *r = &a->r[i];
		struct srcpos pos = { a->file, r->line, r->col };
		int seen = r->seen;

		if (r->origin >= 0)
			continue;
		/* a rule on a parent is met when a child's rows came with the column */
		for (size_t j = 0; j < a->n; j++)
			if (a->r[j].origin == (long)i && a->r[j].seen > seen)
				seen = a->r[j].seen;
		if (seen == 2)
			continue;
		n++;
		if (seen == 1)
			warnat(&pos, "column %s of table %s%s%s never came in the stream", r->column, r->schema ? r->schema : "",
			    r->schema ? "." : "", r->table);
		else
			warnat(&pos, "table %s%s%s never came in the stream", r->schema ? r->schema : "", r->schema ? "." : "",
			    r->table);
	}
	return n;
}

void
anonrules_prepare(struct anonrules *a, const struct maskkey *k)
{
	for (size_t i = 0; i < a->n; i++)
		mask_prepare(&a->r[i].m, k);
}

/* The column of a table record whose name the rule's column names, or NULL. */
static json_t *
rec_column(json_t *rec, const struct anonrule *r)
{
	size_t j;
	json_t *col;

	json_array_foreach(json_object_get(rec, "columns"), j, col) {
		const char *name = json_string_value(json_object_get(col, "name"));

		if (name && name_is(r->column, r->columnv, name))
			return col;
	}
	return NULL;
}

static int
is_array(json_t *col)
{
	const char *type = json_string_value(json_object_get(col, "type"));
	size_t n = type ? strlen(type) : 0;

	return n > 2 && strcmp(type + n - 2, "[]") == 0;
}

void
anonrules_model(struct anonrules *a, const struct model *m)
{
	const char **ids = model_ids(m);
	size_t n0 = a->n;

	for (size_t i = 0; ids[i]; i++) {
		json_t *rec = model_get(m, ids[i]), *col;
		const char *schema = json_string_value(json_object_get(rec, "schema"));
		const char *table = json_string_value(json_object_get(rec, "name"));
		const char *kind = json_string_value(json_object_get(rec, "kind"));
		const char *up[64];
		size_t nup = 0, j;

		if (!kind || strcmp(kind, "table") != 0 || !table || !schema)
			continue;
		/* the table's own rules: an array column masks its elements */
		for (size_t k = 0; k < n0; k++)
			if (same_table(&a->r[k], schema, table) && (col = rec_column(rec, &a->r[k])) && is_array(col))
				a->r[k].array = 1;
		/* its ancestors at any depth: parents of INHERITS and the partitioned table of a partition;
		   pg_dump -a writes each one's rows under its own name */
		up[nup++] = ids[i];
		for (size_t u = 0; u < nup; u++) {
			json_t *r = model_get(m, up[u]), *p;
			const char *po = json_string_value(json_object_get(r, "partition_of"));

			json_array_foreach(json_object_get(r, "inherits"), j, p)
				if (json_string_value(p) && nup < sizeof up / sizeof *up)
					up[nup++] = json_string_value(p);
			if (po && nup < sizeof up / sizeof *up)
				up[nup++] = po;
		}
		for (size_t u = 1; u < nup; u++) {
			json_t *anc = model_get(m, up[u]);
			const char *as = json_string_value(json_object_get(anc, "schema"));
			const char *an = json_string_value(json_object_get(anc, "name"));

			if (!an || !as)
				continue;
			for (size_t k = 0; k < n0; k++) {
				struct anonrule *r = &a->r[k], *d;
				const char *cname;
				int dup = 0;

				if (!same_table(r, as, an) || !(col = rec_column(rec, r)))
					continue;
				cname = json_string_value(json_object_get(col, "name"));
				for (size_t x = n0; x < a->n; x++)
					dup |= strcmp(a->r[x].schema, schema) == 0 && strcmp(a->r[x].table, table) == 0
					    && strcmp(a->r[x].column, cname) == 0;
				if (dup)
					continue;
				a->r = xrealloc(a->r, (a->n + 1) * sizeof *a->r);
				r = &a->r[k];
				d = &a->r[a->n++];
				*d = *r;
				d->schema = xstrdup(schema);
				d->table = xstrdup(table);
				d->column = xstrdup(cname);
				d->tablev = d->columnv = NULL;
				d->seen = 0;
				d->origin = (long)k;
				d->array = r->array || is_array(col);
			}
		}
	}
	free(ids);
}

void
anonrules_limits(struct anonrules *a, const struct model *m)
{
	const char **ids = model_ids(m);

	for (size_t i = 0; ids[i]; i++) {
		json_t *rec = model_get(m, ids[i]), *col;
		const char *schema = json_string_value(json_object_get(rec, "schema"));
		const char *table = json_string_value(json_object_get(rec, "name"));
		const char *kind = json_string_value(json_object_get(rec, "kind"));
		size_t j;

		if (!kind || strcmp(kind, "table") != 0 || !table)
			continue;
		json_array_foreach(json_object_get(rec, "columns"), j, col) {
			const char *name = json_string_value(json_object_get(col, "name"));
			const char *type = json_string_value(json_object_get(col, "type"));
			const char *paren;
			long n;

			if (!name || !type || !(paren = strchr(type, '(')))
				continue;
			if (strncmp(type, "character varying(", 18) != 0 && strncmp(type, "character(", 10) != 0)
				continue;
			n = strtol(paren + 1, NULL, 10);
			for (size_t k = 0; k < a->n; k++) {
				struct anonrule *r = &a->r[k];

				/* kept apart from the rule's max_length: an email's form never depends on it */
				if (n > 0 && same_table(r, schema, table) && strcmp(r->column, name) == 0)
					r->m.limit = n;
			}
		}
	}
	free(ids);
}
