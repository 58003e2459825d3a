#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jsonl.h"
#include "model.h"

/* The index of constraint names (model_holders): which records held a constraint of a name at the
   last model_sync. Records are changed in place by whoever got them, so every record handed out
   since (model_get, model_put, model_add, model_del) is "touched" and read live until the next
   model_sync; model_records hands out all of them. */
struct cindex {
	json_t *names;   /* "schema\037name" -> {id: true}, as of the last model_sync */
	json_t *rev;     /* id -> ["schema\037name", ...]: its entries in names */
	json_t *touched; /* ids handed out since the last model_sync (an object used as a set) */
	json_t *toks;    /* name token -> {id: true}: the records with that token in a string value */
	json_t *trev;    /* id -> {token: stamp}: its entries in toks (stamp: same_toks's) */
	json_int_t gen;  /* same_toks's last stamp */
	int all;         /* every record was handed out since the last model_sync */
	int toks_on;     /* toks and trev are kept: from the first model_mentions on (a stream that
	                    renames nothing never pays for them) */
};

struct model {
	json_t *recs;      /* id -> record */
	struct cindex *ci; /* NULL until the first model_sync: then every lookup reads every record */
	struct undo *undo; /* the innermost level of undo, NULL when none is open */
};

static void
touch(const struct model *m, const char *id)
{
	if (m->ci && !m->ci->all)
		json_object_set_new_nocheck(m->ci->touched, id, json_true());
}

/* One level of the undo log: the records as they were when it began, by id (json null: none then),
   each saved the first time the level touches it. Levels nest: statement, savepoint, transaction. */
struct undo {
	json_t *old;
	struct undo *up;
	int clean; /* outermost, begun with the indexes up to date: what it saved is what they hold */
};

/* Save the record of id as it is now, unless the top level saved it already. A record handed out by
   model_get may be changed in place by its caller, so the saved one is a deep copy; a record about
   to be replaced or removed is kept as it is. */
static void
save(const struct model *m, const char *id, json_t *cur, int deep)
{
	json_t *v;

	if (!m->undo || json_object_get(m->undo->old, id))
		return;
	v = !cur ? json_null() : deep ? json_deep_copy(cur) : json_incref(cur);
	if (!v || json_object_set_new(m->undo->old, id, v) != 0)
		die(EX_FAIL, "out of memory");
}

struct model *
model_new(void)
{
	struct model *m = xcalloc(1, sizeof *m);

	m->recs = json_object();
	if (!m->recs)
		die(EX_FAIL, "out of memory");
	return m;
}

void
model_free(struct model *m)
{
	if (!m)
		return;
	while (m->undo)
		model_commit(m);
	json_decref(m->recs);
	if (m->ci) {
		json_decref(m->ci->names);
		json_decref(m->ci->rev);
		json_decref(m->ci->touched);
		json_decref(m->ci->toks);
		json_decref(m->ci->trev);
		free(m->ci);
	}
	free(m);
}

json_t *
model_get(const struct model *m, const char *id)
{
	json_t *r = json_object_get(m->recs, id);

	if (r) {
		save(m, id, r, 1);
		touch(m, id);
	}
	return r;
}

json_t *
model_put(struct model *m, const char *kind, const char *id)
{
	json_t *r = json_pack("{s:s, s:s}", "kind", kind, "id", id);

	save(m, id, json_object_get(m->recs, id), 0);
	if (!r || json_object_set_new(m->recs, id, r) != 0)
		die(EX_FAIL, "out of memory");
	touch(m, id);
	return r;
}

void
model_add(struct model *m, json_t *rec)
{
	const char *id = json_string_value(json_object_get(rec, "id"));

	if (!id)
		die(EX_FAIL, "internal error: a model record without an id");
	save(m, id, json_object_get(m->recs, id), 0);
	touch(m, id);
	if (json_object_set_new(m->recs, id, rec) != 0)
		die(EX_FAIL, "out of memory");
}

int
model_del(struct model *m, const char *id)
{
	json_t *r = json_object_get(m->recs, id);

	touch(m, id);
	if (!r)
		return -1;
	save(m, id, r, 0);
	json_object_del(m->recs, id);
	return 0;
}

void
model_begin(struct model *m)
{
	struct undo *u = xcalloc(1, sizeof *u);

	u->old = json_object();
	if (!u->old)
		die(EX_FAIL, "out of memory");
	u->up = m->undo;
	u->clean = !u->up && m->ci && !m->ci->all && json_object_size(m->ci->touched) == 0;
	m->undo = u;
}

void
model_commit(struct model *m)
{
	struct undo *u = m->undo;
	const char *id;
	json_t *v;

	if (!u)
		return;
	m->undo = u->up;
	/* a record taken and left as it was is as the indexes hold it: the next model_sync need not read
	   it (a statement that takes every record, to change a few, costs a compare, not a re-index) */
	if (u->clean && !m->ci->all)
		json_object_foreach(u->old, id, v) {
			json_t *r = json_object_get(m->recs, id);

			if (r && !json_is_null(v) && json_equal(r, v))
				json_object_del(m->ci->touched, id);
		}
	/* what the level saved is what the level below had when it began, unless it saved it first */
	if (m->undo)
		json_object_foreach(u->old, id, v)
			if (!json_object_get(m->undo->old, id) && json_object_set(m->undo->old, id, v) != 0)
				die(EX_FAIL, "out of memory");
	json_decref(u->old);
	free(u);
}

void
model_rollback(struct model *m)
{
	struct undo *u = m->undo;
	const char *id;
	json_t *v;

	if (!u)
		return;
	m->undo = u->up;
	json_object_foreach(u->old, id, v) {
		/* the name index reads it again */
		touch(m, id);
		if (json_is_null(v))
			json_object_del(m->recs, id);
		else if (json_object_set(m->recs, id, v) != 0)
			die(EX_FAIL, "out of memory");
	}
	json_decref(u->old);
	free(u);
}

int
model_depth(const struct model *m)
{
	int n = 0;

	for (const struct undo *u = m->undo; u; u = u->up)
		n++;
	return n;
}

size_t
model_count(const struct model *m)
{
	return json_object_size(m->recs);
}

json_t *
model_records(const struct model *m)
{
	if (m->ci)
		m->ci->all = 1;
	return m->recs;
}

json_t *
model_scan(const struct model *m)
{
	return m->recs;
}

/* The index key of a constraint name in a schema. */
static char *
ckey(const char *schema, const char *name)
{
	return xasprintf("%s\037%s", schema, name);
}

/* Take id's entries out of the index. */
static void
unindex(struct cindex *ci, const char *id)
{
	json_t *keys = json_object_get(ci->rev, id), *k;
	size_t i;

	json_array_foreach(keys, i, k) {
		json_t *set = json_object_get(ci->names, json_string_value(k));

		json_object_del(set, id);
		if (json_object_size(set) == 0)
			json_object_del(ci->names, json_string_value(k));
	}
	json_object_del(ci->rev, id);
}

/* Put the names of rec's constraints into the index. */
static void
index_rec(struct cindex *ci, const char *id, json_t *rec)
{
	const char *schema = json_string_value(json_object_get(rec, "schema"));
	json_t *cs = json_object_get(rec, "constraints"), *c, *keys;
	size_t i;

	if (!schema || !json_is_array(cs) || json_array_size(cs) == 0)
		return;
	keys = json_array();
	json_array_foreach(cs, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		char *k;
		json_t *set;

		if (!name)
			continue;
		k = ckey(schema, name);
		if (!(set = json_object_get(ci->names, k))) {
			set = json_object();
			json_object_set_new_nocheck(ci->names, k, set);
		}
		json_object_set_new_nocheck(set, id, json_true());
		json_array_append_new(keys, json_string_nocheck(k));
		free(k);
	}
	json_object_set_new_nocheck(ci->rev, id, keys);
}

/* Whether the index holds rec's constraint names as they are now (rec NULL: gone). A record handed
   out is seldom changed: this check, without allocation, spares most of them the re-indexing. */
static int
same_names(struct cindex *ci, const char *id, json_t *rec)
{
	json_t *keys = json_object_get(ci->rev, id), *cs = rec ? json_object_get(rec, "constraints") : NULL, *c;
	const char *schema = rec ? json_string_value(json_object_get(rec, "schema")) : NULL;
	size_t i, n = 0, sl = schema ? strlen(schema) : 0;

	if (schema && json_is_array(cs))
		json_array_foreach(cs, i, c) {
			const char *name = json_string_value(json_object_get(c, "name"));
			const char *k = json_string_value(json_array_get(keys, n));

			if (!name)
				continue;
			if (!k || strncmp(k, schema, sl) != 0 || k[sl] != '\037' || strcmp(k + sl + 1, name) != 0)
				return 0;
			n++;
		}
	return n == json_array_size(keys);
}


/* A byte that continues a name: ASCII letters, digits, _ and $, and every byte of a multibyte
   character (PostgreSQL folds only ASCII letters). */
static int
name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
	    || c >= 0x80;
}

/* Call fn on each name token of s (a maximal run of name_byte, ASCII letters folded to lower case)
   until it returns nonzero: that result, else 0. */
static int
each_tok(const char *s, int (*fn)(const char *tok, void *arg), void *arg)
{
	char small[64], *t;
	int rc = 0;

	while (*s && !rc) {
		size_t n = 0;

		while (s[n] && name_byte((unsigned char)s[n]))
			n++;
		if (n) {
			t = n < sizeof small ? small : xcalloc(n + 1, 1);
			for (size_t i = 0; i < n; i++)
				t[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
			t[n] = 0;
			rc = fn(t, arg);
			if (t != small)
				free(t);
			s += n;
		} else
			s++;
	}
	return rc;
}

/* each_tok over every string in v, at any depth. */
static int
walk_toks(json_t *v, int (*fn)(const char *tok, void *arg), void *arg)
{
	const char *k;
	json_t *e;
	size_t i;
	int rc = 0;

	if (json_is_string(v))
		return each_tok(json_string_value(v), fn, arg);
	if (json_is_object(v))
		json_object_foreach(v, k, e)
			if ((rc = walk_toks(e, fn, arg)))
				return rc;
	if (json_is_array(v))
		json_array_foreach(v, i, e)
			if ((rc = walk_toks(e, fn, arg)))
				return rc;
	return rc;
}

/* Put id under a token (once). */
struct tok_put {
	struct cindex *ci;
	const char *id;
	json_t *keys;
};

static int
tok_put(const char *tok, void *arg)
{
	struct tok_put *p = arg;
	json_t *ids;

	if (json_object_get(p->keys, tok))
		return 0;
	if (!(ids = json_object_get(p->ci->toks, tok))) {
		ids = json_object();
		json_object_set_new_nocheck(p->ci->toks, tok, ids);
	}
	json_object_set_new_nocheck(ids, p->id, json_true());
	json_object_set_new_nocheck(p->keys, tok, json_integer(0));
	return 0;
}

/* Put id under the name tokens of rec's strings in the index. */
static void
index_toks(struct cindex *ci, const char *id, json_t *rec)
{
	json_t *keys = json_object();

	if (!keys)
		die(EX_FAIL, "out of memory");
	walk_toks(rec, tok_put, &(struct tok_put){ ci, id, keys });
	json_object_set_new_nocheck(ci->trev, id, keys);
}

/* Comparing a record's tokens with those indexed: each indexed token met is stamped with gen. */
struct tok_cmp {
	json_t *keys;
	json_int_t gen;
	size_t met;
};

static int
tok_cmp(const char *tok, void *arg)
{
	struct tok_cmp *c = arg;
	json_t *k = json_object_get(c->keys, tok);

	if (!k)
		return 1;
	if (json_integer_value(k) != c->gen) {
		json_integer_set(k, c->gen);
		c->met++;
	}
	return 0;
}

/* Whether the index holds id under exactly the tokens of rec's strings: a record handed out is
   seldom changed, and this check, without allocation, spares it the re-indexing. */
static int
same_toks(struct cindex *ci, const char *id, json_t *rec)
{
	struct tok_cmp c = { json_object_get(ci->trev, id), ++ci->gen, 0 };

	return c.keys && walk_toks(rec, tok_cmp, &c) == 0 && c.met == json_object_size(c.keys);
}

/* Take id's name tokens out of the index. */
static void
unindex_toks(struct cindex *ci, const char *id)
{
	json_t *keys = json_object_get(ci->trev, id), *k;
	const char *tok;

	json_object_foreach(keys, tok, k) {
		json_t *set = json_object_get(ci->toks, tok);

		json_object_del(set, id);
		if (json_object_size(set) == 0)
			json_object_del(ci->toks, tok);
	}
	json_object_del(ci->trev, id);
}

void
model_sync(struct model *m)
{
	struct cindex *ci = m->ci;
	const char *id;
	json_t *r, *t;
	void *tmp;

	if (!ci) {
		ci = m->ci = xcalloc(1, sizeof *ci);
		ci->names = json_object();
		ci->rev = json_object();
		ci->touched = json_object();
		ci->toks = json_object();
		ci->trev = json_object();
		if (!ci->names || !ci->rev || !ci->touched || !ci->toks || !ci->trev)
			die(EX_FAIL, "out of memory");
		ci->all = 1;
	}
	if (ci->all) {
		json_object_clear(ci->names);
		json_object_clear(ci->rev);
		json_object_clear(ci->toks);
		json_object_clear(ci->trev);
		json_object_foreach(m->recs, id, r) {
			index_rec(ci, id, r);
			if (ci->toks_on)
				index_toks(ci, id, r);
		}
		ci->all = 0;
	} else {
		json_object_foreach_safe(ci->touched, tmp, id, t) {
			r = json_object_get(m->recs, id);
			if (!same_names(ci, id, r)) {
				unindex(ci, id);
				if (r)
					index_rec(ci, id, r);
			}
			if (ci->toks_on && (!r || !same_toks(ci, id, r))) {
				unindex_toks(ci, id);
				if (r)
					index_toks(ci, id, r);
			}
		}
	}
	json_object_clear(ci->touched);
}

int
model_holders(const struct model *m, const char *schema, const char *name,
    int (*fn)(const char *id, json_t *rec, void *arg), void *arg)
{
	struct cindex *ci = m->ci;
	const char *id;
	json_t *r, *t, *set;
	char *k;
	int rc = 0;

	if (!ci || ci->all) {
		json_object_foreach(m->recs, id, r)
			if ((rc = fn(id, r, arg)))
				return rc;
		return 0;
	}
	k = ckey(schema, name);
	set = json_object_get(ci->names, k);
	free(k);
	/* the untouched records are as they were indexed; the touched ones are read next */
	json_object_foreach(set, id, t)
		if (!json_object_get(ci->touched, id) && (r = json_object_get(m->recs, id)) && (rc = fn(id, r, arg)))
			return rc;
	json_object_foreach(ci->touched, id, t)
		if ((r = json_object_get(m->recs, id)) && (rc = fn(id, r, arg)))
			return rc;
	return 0;
}


/* The smallest set of records indexed under a token of s (NULL: a token no record has). */
struct rarest {
	const struct cindex *ci;
	json_t *set;
	int any;
};

static int
tok_rarest(const char *tok, void *arg)
{
	struct rarest *r = arg;
	json_t *set = json_object_get(r->ci->toks, tok);

	if (!r->any || !set || (r->set && json_object_size(set) < json_object_size(r->set)))
		r->set = set;
	r->any = 1;
	return !set; /* no record has it: none can hold s */
}

int
model_mentions(const struct model *m, const char *s,
    int (*fn)(const char *id, json_t *rec, void *arg), void *arg)
{
	struct cindex *ci = m->ci;
	struct rarest rt = { ci, NULL, 0 };
	const char *id;
	json_t *r, *t;
	int rc = 0;

	/* the token index is built at the first question: every record as it is now (the touched
	   ones are compared with it at the next model_sync, as any touched record) */
	if (ci && !ci->all && !ci->toks_on) {
		json_object_foreach(m->recs, id, r)
			index_toks(ci, id, r);
		ci->toks_on = 1;
	}
	/* most records taken in this statement (a scan of them all): reading them all is as cheap */
	if (ci && !ci->all && json_object_size(ci->touched) * 2 <= json_object_size(m->recs))
		each_tok(s, tok_rarest, &rt);
	if (!ci || ci->all || !rt.any) {
		json_object_foreach(m->recs, id, r)
			if ((rc = fn(id, r, arg)))
				return rc;
		return 0;
	}
	/* a record s is in has each whole token of s; the touched ones are read live */
	json_object_foreach(rt.set, id, t)
		if (!json_object_get(ci->touched, id) && (r = json_object_get(m->recs, id)) && (rc = fn(id, r, arg)))
			return rc;
	json_object_foreach(ci->touched, id, t)
		if ((r = json_object_get(m->recs, id)) && (rc = fn(id, r, arg)))
			return rc;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char **
model_ids(const struct model *m)
{
	size_t n = json_object_size(m->recs), i = 0;
	const char **v = xcalloc(n + 1, sizeof *v);
	const char *k;
	json_t *r;

	json_object_foreach(m->recs, k, r)
		v[i++] = k;
	qsort(v, n, sizeof *v, cmp_str);
	return v;
}

/* Keys in byte order, except that at the top of a record "kind" and "id" come first. */
static int
key_rank(const char *k, int top)
{
	return !top ? 2 : strcmp(k, "kind") == 0 ? 0 : strcmp(k, "id") == 0 ? 1 : 2;
}

static int cmp_top; /* sorting the keys of a record, not of a nested object */

static int
cmp_key(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int rx = key_rank(x, cmp_top), ry = key_rank(y, cmp_top);

	return rx != ry ? rx - ry : strcmp(x, y);
}

static int
is_empty(json_t *v)
{
	return json_is_null(v) || json_is_false(v) || (json_is_array(v) && json_array_size(v) == 0)
	    || (json_is_object(v) && json_object_size(v) == 0);
}

static json_t *canon(json_t *v, int top);

static json_t *
canon_object(json_t *o, int top)
{
	size_t n = json_object_size(o), i = 0;
	const char **keys = xcalloc(n + 1, sizeof *keys);
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach(o, k, v)
		keys[i++] = k;
	cmp_top = top;
	qsort(keys, n, sizeof *keys, cmp_key);
	for (i = 0; i < n; i++) {
		json_object_set_new(out, keys[i], canon(json_object_get(o, keys[i]), 0));
	}
	free(keys);
	return out;
}

static json_t *
canon(json_t *v, int top)
{
	if (json_is_object(v))
		return canon_object(v, top);
	if (json_is_array(v)) {
		json_t *out = json_array(), *e;
		size_t i;

		json_array_foreach(v, i, e)
			json_array_append_new(out, canon(e, 0));
		return out;
	}
	return json_incref(v);
}

json_t *
model_canon(json_t *rec)
{
	return canon(rec, 1);
}

/* Whether model_write leaves a value out: null, false, [], or an object whose every value it
   leaves out. */
static int
pruned(json_t *v)
{
	const char *k;
	json_t *e;

	if (!json_is_object(v))
		return is_empty(v);
	json_object_foreach(v, k, e)
		if (!pruned(e))
			return 0;
	return 1;
}

/* Write canon(v, top) on stdout as jsonl_put writes it, but for the values pruned leaves out,
   without building the copy (a record a line: the copy cost as much as the rest of the output). */
static void
write_canon(json_t *v, int top)
{
	const char *k;
	json_t *e;
	size_t i, n;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char **keys = xcalloc(json_object_size(v) + 1, sizeof *keys);
		int first = 1;

		n = 0;
		json_object_foreach(v, k, e)
			keys[n++] = k;
		cmp_top = top;
		qsort(keys, n, sizeof *keys, cmp_key);
		putchar_unlocked('{');
		for (i = 0; i < n; i++) {
			e = json_object_get(v, keys[i]);
			if (pruned(e))
				continue;
			if (!first)
				putchar_unlocked(',');
			first = 0;
			jsonl_write_str(keys[i]);
			putchar_unlocked(':');
			write_canon(e, 0);
		}
		putchar_unlocked('}');
		free(keys);
		break;
	}
	case JSON_ARRAY:
		putchar_unlocked('[');
		json_array_foreach(v, i, e) {
			if (i)
				putchar_unlocked(',');
			write_canon(e, 0);
		}
		putchar_unlocked(']');
		break;
	case JSON_STRING:
		jsonl_write_str(json_string_value(v));
		break;
	case JSON_INTEGER:
		printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_TRUE:
		fputs_unlocked("true", stdout);
		break;
	case JSON_FALSE:
		fputs_unlocked("false", stdout);
		break;
	case JSON_NULL:
		fputs_unlocked("null", stdout);
		break;
	default: {
		/* a real: jansson's own text of it */
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		if (!s)
			die(EX_FAIL, "out of memory");
		fputs_unlocked(s, stdout);
		free(s);
	}
	}
}

void
model_write(const struct model *m)
{
	const char **ids = model_ids(m);

	for (size_t i = 0; ids[i]; i++) {
		write_canon(json_object_get(m->recs, ids[i]), 1);
		jsonl_end();
	}
	free(ids);
}

int
model_read(struct model *m, FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	long no = 0;
	ssize_t n;
	int rc = 0;

	while ((n = getline(&line, &cap, f)) >= 0) {
		json_error_t err;
		json_t *r;

		no++;
		if (n <= 1 && (n == 0 || line[0] == '\n'))
			continue;
		r = json_loadb(line, (size_t)n, JSON_DISABLE_EOF_CHECK, &err);
		if (!r || !json_is_object(r) || !json_is_string(json_object_get(r, "id"))
		    || !json_is_string(json_object_get(r, "kind"))) {
			warnx("%s:%ld:%d: %s", name, no, r ? 1 : err.column,
			    r ? "not a model record (an object with kind and id)" : err.text);
			json_decref(r);
			rc = -1;
			break;
		}
		model_add(m, r);
	}
	if (rc == 0 && ferror(f)) {
		warnx("%s: read error", name);
		rc = -1;
	}
	free(line);
	return rc;
}

/* model_ident of name, appended to b. */
static void
ident_add(struct buf *b, const char *name)
{
	int bare = (*name >= 'a' && *name <= 'z') || *name == '_';
	const char *p;

	for (p = name; *p && bare; p++)
		bare = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '$';
	if (bare) {
		buf_add(b, name, (size_t)(p - name));
		return;
	}
	buf_add(b, "\"", 1);
	for (p = name; *p; p++)
		buf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	buf_add(b, "\"", 1);
}

char *
model_ident(const char *name)
{
	struct buf b = { 0 };

	ident_add(&b, name);
	buf_add(&b, "", 0);
	return b.data;
}

char *
model_qname(const char *schema, const char *name)
{
	struct buf b = { 0 };

	/* one buffer: conf-parse makes one per name it reads */
	buf_grow(&b, strlen(schema) + strlen(name) + 2);
	ident_add(&b, schema);
	buf_add(&b, ".", 1);
	ident_add(&b, name);
	return b.data;
}

char *
model_opr_qname(const char *schema, const char *name)
{
	struct buf b = { 0 };

	ident_add(&b, schema);
	buf_add(&b, ".", 1);
	buf_add(&b, name, strlen(name));
	return b.data;
}

const char *
model_col_type(const struct model *m, json_t *rel, const char *col)
{
	const char *kind = json_string_value(json_object_get(rel, "kind")), *type = NULL;
	json_t *cols = json_object_get(rel, "columns"), *c;
	size_t i;

	if (!rel || !kind || !col)
		return "";
	if (strcmp(kind, "domain") == 0) {
		if (strcmp(col, "value") != 0)
			return NULL;
		type = json_string_value(json_object_get(rel, "type"));
	} else {
		if (!json_is_array(cols))
			return "";
		json_array_foreach(cols, i, c) {
			if (json_is_string(c) && strcmp(json_string_value(c), col) == 0)
				return ""; /* a view's column: a name only */
			if (json_is_object(c) && json_is_string(json_object_get(c, "name"))
			    && strcmp(json_string_value(json_object_get(c, "name")), col) == 0) {
				type = json_string_value(json_object_get(c, "type"));
				break;
			}
		}
		if (!type)
			return i < json_array_size(cols) ? "" : NULL;
	}
	/* a domain's value is its base type's wherever it is an operand (a domain over a domain too) */
	for (int depth = 0; type && depth < 16; depth++) {
		char *id = xasprintf("domain:%s", type);
		json_t *d = model_get(m, id);

		free(id);
		if (!d || !json_is_string(json_object_get(d, "type")))
			break;
		type = json_string_value(json_object_get(d, "type"));
	}
	return type ? type : "";
}
