#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "depgraph.h"
#include "model.h"
#include "sqlclass.h"
#include "stmtinfo.h"

/*
 * Nodes keep their id lists; the edges are worked out in dg_sort, once every node is known,
 * because the creator of an id may come after its users (the very thing a sort repairs).
 */

enum { R_CREATE, R_ALTER, R_DROP };

/* One statement that creates, alters or drops an id. */
struct use {
	size_t node;
	int role;
	const char *id; /* the full id (name-key entries: the overload's id) */
};

struct uses {
	struct use *v;
	size_t n, cap;
};

/* A string-keyed hash table of uses, open addressing. */
struct map {
	char **keys;
	struct uses *vals;
	size_t cap, n;
};

struct dnode {
	struct strv creates, alters, drops, refs;
	int barrier;
	int tolerant; /* CREATE OR REPLACE, CREATE ... IF NOT EXISTS */
};

struct depgraph {
	struct dnode *v;
	size_t n, cap;
	struct dgedge *cut; /* soft edges given up because they closed a cycle */
	size_t ncut;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct uses *
map_get(struct map *m, const char *k, int add)
{
	size_t i;

	if (add && (m->n + 1) * 2 > m->cap) {
		struct map o = *m;

		m->cap = o.cap ? o.cap * 2 : 64;
		m->keys = xcalloc(m->cap, sizeof *m->keys);
		m->vals = xcalloc(m->cap, sizeof *m->vals);
		m->n = 0;
		for (size_t j = 0; j < o.cap; j++)
			if (o.keys[j]) {
				for (i = hash(o.keys[j]) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
					;
				m->keys[i] = o.keys[j];
				m->vals[i] = o.vals[j];
				m->n++;
			}
		free(o.keys);
		free(o.vals);
	}
	if (!m->cap)
		return NULL;
	for (i = hash(k) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], k) == 0)
			return &m->vals[i];
	if (!add)
		return NULL;
	m->keys[i] = xstrdup(k);
	m->n++;
	return &m->vals[i];
}

static void
map_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i]) {
			free(m->keys[i]);
			free(m->vals[i].v);
		}
	free(m->keys);
	free(m->vals);
}

static void
uses_add(struct uses *u, size_t node, int role, const char *id)
{
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 4;
		u->v = xrealloc(u->v, u->cap * sizeof *u->v);
	}
	u->v[u->n++] = (struct use){ node, role, id };
}

/* The end of the name part of an id at p: the '(' of a signature or the end, outside quotes. */
static const char *
name_end(const char *p)
{
	int q = 0;

	for (; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && *p == '(')
			break;
	}
	return p;
}

/* The last '.' of an id outside quotes, or NULL. */
static const char *
last_dot(const char *p)
{
	const char *d = NULL;
	int q = 0;

	for (; *p; p++) {
		if (*p == '"')
			q = !q;
		else if (!q && *p == '.')
			d = p;
	}
	return d;
}

/* The first '.' of an id's name part outside quotes, or NULL. */
static const char *
first_dot(const char *p)
{
	int q = 0;

	for (; *p && (q || *p != '('); p++) {
		if (*p == '"')
			q = !q;
		else if (!q && *p == '.')
			return p;
	}
	return NULL;
}

static int
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* "function:S.N" for function:, procedure: and aggregate:S.N(...): what a call without types names;
   "operator:S.N" for operator:S.N(L,R): what an expression's operator names. */
static char *
call_key(const char *id)
{
	const char *p = strchr(id, ':') + 1;

	return xasprintf("%s%.*s", has_prefix(id, "operator:") ? "operator:" : "function:", (int)(name_end(p) - p), p);
}

static int
is_routine(const char *id)
{
	return has_prefix(id, "function:") || has_prefix(id, "procedure:") || has_prefix(id, "aggregate:")
	    || has_prefix(id, "operator:");
}

struct depgraph *
dg_new(void)
{
	return xcalloc(1, sizeof(struct depgraph));
}

void
dg_free(struct depgraph *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n; i++) {
		strv_free(&g->v[i].creates);
		strv_free(&g->v[i].alters);
		strv_free(&g->v[i].drops);
		strv_free(&g->v[i].refs);
	}
	free(g->v);
	free(g->cut);
	free(g);
}

static void
copy(struct strv *to, const struct strv *from)
{
	for (size_t i = 0; from && i < from->n; i++)
		strv_add(to, from->v[i]);
}

size_t
dg_add(struct depgraph *g, const struct strv *creates, const struct strv *alters, const struct strv *drops,
    const struct strv *refs)
{
	struct dnode *d;

	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->v = xrealloc(g->v, g->cap * sizeof *g->v);
	}
	d = &g->v[g->n];
	memset(d, 0, sizeof *d);
	copy(&d->creates, creates);
	copy(&d->alters, alters);
	copy(&d->drops, drops);
	copy(&d->refs, refs);
	return g->n++;
}

void
dg_barrier(struct depgraph *g, size_t n)
{
	if (n < g->n)
		g->v[n].barrier = 1;
}

void
dg_tolerant(struct depgraph *g, size_t n)
{
	if (n < g->n)
		g->v[n].tolerant = 1;
}

int
dg_is_tolerant(json_t *tree)
{
	const char *k;
	json_t *v;

	json_object_foreach(tree, k, v)
		return json_is_true(json_object_get(v, "replace")) || json_is_true(json_object_get(v, "if_not_exists"))
		    || json_is_true(json_object_get(v, "missing_ok"));
	return 0;
}

/* Adjacency lists and in-degrees while sorting. */
struct adj {
	struct dgedge *e;
	size_t n, cap;
};

struct work {
	struct depgraph *g;
	struct map ids;   /* id -> its creators, alterers and droppers */
	struct map calls; /* function:S.N -> the creators of its overloads */
	struct map cols;  /* S.T -> the statements that add columns to it (ALTER TABLE ADD COLUMN) */
	struct adj *out;  /* per node, the edges leaving it */
	size_t *indeg;
};

static void
edge_as(struct work *w, size_t from, size_t to, const char *id, int soft)
{
	struct adj *a = &w->out[from];

	if (from == to)
		return;
	for (size_t k = 0; soft && k < w->g->ncut; k++)
		if (w->g->cut[k].from == from && w->g->cut[k].to == to)
			return;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 4;
		a->e = xrealloc(a->e, a->cap * sizeof *a->e);
	}
	a->e[a->n++] = (struct dgedge){ from, to, id, soft };
	w->indeg[to]++;
}

static void
edge(struct work *w, size_t from, size_t to, const char *id)
{
	edge_as(w, from, to, id, 0);
}

/* The DROP that ends the object created at node c (the first DROP of it after c, before another
   creation); -1 if it stays. */
static long
undone(const struct uses *u, size_t c, const char *id)
{
	for (size_t k = 0; u && k < u->n; k++) {
		const struct use *x = &u->v[k];

		if (x->node <= c || (id && strcmp(x->id, id) != 0))
			continue;
		if (x->role == R_CREATE)
			return -1;
		if (x->role == R_DROP)
			return (long)x->node;
	}
	return -1;
}

/* The creator of id that node i uses: the creation in effect at i (the last one before i that no
   DROP before i undid), else the first one after i that no DROP undoes (an object dropped and
   made again binds its users to the last making), else the last before i, else the first after
   it; -1 if none. */
static long
pick(const struct uses *u, size_t i, const char *id)
{
	long before = -1, live = -1, after = -1, stays = -1;

	for (size_t k = 0; u && k < u->n; k++) {
		const struct use *x = &u->v[k];
		long d;

		if (x->role != R_CREATE || x->node == i || (id && strcmp(x->id, id) != 0))
			continue;
		d = undone(u, x->node, id);
		if (x->node < i) {
			before = (long)x->node;
			live = d < 0 || (size_t)d > i ? before : -1;
		} else {
			if (after < 0)
				after = (long)x->node;
			if (stays < 0 && d < 0)
				stays = (long)x->node;
		}
	}
	return live >= 0 ? live : stays >= 0 ? stays : before >= 0 ? before : after;
}

/* The edge from the creator c of id to its user i, and from i to the DROP that ends what c made:
   a user runs while the object it uses is there (soft: given up if it closes a cycle). */
static void
bind(struct work *w, const struct uses *u, long c, size_t i, const char *id, const char *only)
{
	long d = undone(u, (size_t)c, only);

	edge(w, (size_t)c, i, id);
	if (d >= 0 && (size_t)d != i)
		edge_as(w, i, (size_t)d, id, 1);
}

static const char *const fam_type[] = { "type:", "domain:", "table:", "view:", "matview:", NULL };
static const char *const fam_rel[] = { "table:", "view:", "matview:", "sequence:", NULL };
static const char *const *const families[] = { fam_type, fam_rel, NULL };

/* A user of a relation waits for the ADD COLUMNs of it too, unless that closes a cycle: which
   columns it uses is not known. */
static void
columns_added(struct work *w, size_t i, const char *id)
{
	const char *p = strchr(id, ':');
	struct uses *u;

	if (!p || !(has_prefix(id, "table:") || has_prefix(id, "view:") || has_prefix(id, "matview:")))
		return;
	u = map_get(&w->cols, p + 1, 0);
	for (size_t k = 0; u && k < u->n; k++)
		edge_as(w, u->v[k].node, i, u->v[k].id, 1);
}

/* Edges for node i's use of id: 1 if some node creates what it names, else 0. */
static int
needs(struct work *w, size_t i, const char *id, int ref)
{
	static const char *const rels[] = { "table:", "view:", "matview:", "type:", "sequence:", NULL };
	struct uses *u = map_get(&w->ids, id, 0);
	long c = pick(u, i, NULL);
	const char *p, *dot;
	char *rel;
	int found = 0;

	if (c >= 0) {
		bind(w, u, c, i, id, NULL);
		if (ref)
			columns_added(w, i, id);
		return 1;
	}
	/* a name in a type position may be a domain, one in FROM a view: the other kinds of the family */
	for (int f = 0; families[f]; f++) {
		const char *const *fam = families[f];

		for (int k = 0; fam[k]; k++) {
			if (!has_prefix(id, fam[k]))
				continue;
			for (int m = 0; fam[m]; m++) {
				char *alt = xasprintf("%s%s", fam[m], id + strlen(fam[k]));
				struct uses *au = map_get(&w->ids, alt, 0);

				c = m == k ? -1 : pick(au, i, NULL);
				free(alt);
				if (c >= 0) {
					bind(w, au, c, i, id, NULL);
					return 1;
				}
			}
		}
	}
	if (is_routine(id)) {
		/* a call without types, or a signature nobody creates: every overload of the name */
		char *k = call_key(id);
		struct uses *o = map_get(&w->calls, k, 0);

		for (size_t j = 0; o && j < o->n; j++) {
			long d = pick(o, i, o->v[j].id);

			/* once per overload: at the entry pick chose */
			if (d == (long)o->v[j].node) {
				edge(w, (size_t)d, i, o->v[j].id);
				found = 1;
			}
		}
		free(k);
		return found;
	}
	/* column:S.T.C, constraint:S.T.N, trigger:S.T.N, ...: the relation S.T holds them */
	p = strchr(id, ':');
	if (!p || is_routine(id) || !(dot = last_dot(p + 1)))
		return 0;
	rel = xstrndup(p + 1, (size_t)(dot - p - 1));
	for (int k = 0; rels[k] && !found && last_dot(rel); k++) {
		char *rid = xasprintf("%s%s", rels[k], rel);

		c = pick(map_get(&w->ids, rid, 0), i, NULL);
		if (c >= 0) {
			edge(w, (size_t)c, i, id);
			found = 1;
		}
		free(rid);
	}
	free(rel);
	return found;
}

/* Ids of objects an extension may provide: a use nobody creates waits for the extensions. */
static int
extension_kind(const char *id)
{
	return (has_prefix(id, "type:") || has_prefix(id, "domain:")) && !has_prefix(id, "type:pg_catalog.");
}

/* Ids of a state of an object rather than an object: no statement is its creation. */
static int
state_kind(const char *id)
{
	return has_prefix(id, "grant:") || has_prefix(id, "comment:") || has_prefix(id, "owner:");
}

/* A DROP of s.x comes after CREATE SCHEMA s. */
static void
drop_schema(struct work *w, const struct use *x)
{
	const char *c = strchr(x->id, ':'), *dot = c ? first_dot(c + 1) : NULL;

	if (dot) {
		char *sid = xasprintf("schema:%.*s", (int)(dot - c - 1), c + 1);

		needs(w, x->node, sid, 0);
		free(sid);
	}
}

/* Whether an entry after the k-th of u creates the id. */
static int
created_after(const struct uses *u, size_t k)
{
	for (size_t j = k + 1; j < u->n; j++)
		if (u->v[j].role == R_CREATE)
			return 1;
	return 0;
}

/* Keep the order of the statements that create, alter or drop one id. */
static void
chain(struct work *w)
{
	for (size_t s = 0; s < w->ids.cap; s++) {
		struct uses *u = &w->ids.vals[s];
		long lastcd = -1, lastalter = -1, lastdrop = -1, tol = -1, pend = -1;
		int plain = 0;

		if (!w->ids.keys[s])
			continue;
		for (size_t k = 0; k < u->n; k++) {
			const struct use *x = &u->v[k];

			if (state_kind(x->id)) {
				/* GRANT, REVOKE, COMMENT, OWNER TO set a state: each after the one before it */
				if (k > 0)
					edge(w, u->v[k - 1].node, x->node, x->id);
			} else if (x->role == R_ALTER) {
				/* after the creation (wherever it is), and after the ALTERs before it */
				needs(w, x->node, x->id, 0);
				if (lastalter >= 0)
					edge_as(w, (size_t)lastalter, x->node, x->id, 1);
				lastalter = (long)x->node;
			} else if (x->role == R_DROP && lastcd < 0 && !w->g->v[x->node].tolerant && created_after(u, k)) {
				/* a DROP without IF EXISTS before any creation of its target, which the stream
				   creates later: it drops that creation (files read in another order) */
				drop_schema(w, x);
				pend = (long)x->node;
			} else if (x->role == R_CREATE && !w->g->v[x->node].tolerant && !plain && tol >= 0) {
				/* a plain CREATE after an OR REPLACE of the same id since the last DROP: the
				   plain one first, else it fails on what the other made */
				if (lastdrop >= 0)
					edge(w, (size_t)lastdrop, x->node, x->id);
				edge(w, x->node, (size_t)tol, x->id);
				plain = 1;
			} else {
				/* CREATE OR REPLACE twice, DROP then CREATE: as written */
				if (lastcd >= 0)
					edge(w, (size_t)lastcd, x->node, x->id);
				lastcd = (long)x->node;
				if (x->role == R_DROP) {
					drop_schema(w, x);
					lastdrop = (long)x->node;
					tol = -1;
					plain = 0;
				} else if (w->g->v[x->node].tolerant) {
					if (tol < 0)
						tol = (long)x->node;
				} else {
					plain = 1;
				}
			}
			if (x->role == R_CREATE && pend >= 0) {
				/* the DROP held back follows this first creation of its target */
				edge(w, x->node, (size_t)pend, x->id);
				lastcd = lastdrop = pend;
				tol = -1;
				plain = 0;
				pend = -1;
			}
		}
	}
}

/* Whether creation id is of kind k ("table": tables, views, materialized views, foreign tables;
   "function": any routine; "type": types and domains; "schema": schemas) in schema q ("" any). */
static int
of_kind_in(const char *id, const char *k, const char *q)
{
	static const char *const tables[] = { "table:", "view:", "matview:", NULL };
	static const char *const routines[] = { "function:", "procedure:", "aggregate:", NULL };
	static const char *const types[] = { "type:", "domain:", NULL };
	char *pre = xasprintf("%s:", k);
	const char *const one[] = { pre, NULL };
	const char *const *kinds = strcmp(k, "table") == 0 ? tables : strcmp(k, "function") == 0 ? routines
	    : strcmp(k, "type") == 0 ? types : one;
	int hit = 0;

	/* ALTER DEFAULT PRIVILEGES ... ON SCHEMAS: every CREATE SCHEMA (it takes no IN SCHEMA) */
	if (strcmp(k, "schema") == 0)
		hit = has_prefix(id, "schema:") && !*q;
	for (size_t i = 0; kinds[i] && !hit; i++)
		if (has_prefix(id, kinds[i])) {
			const char *r = id + strlen(kinds[i]);
			size_t l = strlen(q);

			hit = strchr(r, '.') && (!*q || (strncmp(r, q, l) == 0 && r[l] == '.'));
		}
	free(pre);
	return hit;
}

/* Whether ids hold a creation of kind k in schema q (of_kind_in); with grants, also a GRANT or
   REVOKE on one (grant:K:S.N:R), which a GRANT ON ALL ... IN SCHEMA must not pass either. Alters
   count only as such grants. */
static int
covers(const struct strv *ids, const char *k, const char *q, int grants, int creations)
{
	for (size_t c = 0; c < ids->n; c++) {
		const char *id = ids->v[c];

		if (has_prefix(id, "grant:") ? grants && of_kind_in(id + 6, k, q) : creations && of_kind_in(id, k, q))
			return 1;
	}
	return 0;
}

/* The edges of the schema-wide markers of schema_wide. A GRANT ON ALL ... IN SCHEMA acts on the
   objects that exist when it runs, an ALTER DEFAULT PRIVILEGES on those created after it: which
   ones is what the input order says, so each stays after the creations it covers that come
   before it in the input and before those that come after it (soft: a cycle gives them up). */
static void
schema_wide_edges(struct work *w)
{
	const struct depgraph *g = w->g;

	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < g->v[i].refs.n; k++) {
			const char *r = g->v[i].refs.v[k];
			int every = has_prefix(r, "every:");
			char *kind, *q;

			if (!every && !has_prefix(r, "defacl:"))
				continue;
			kind = xstrdup(strchr(r, ':') + 1);
			q = strchr(kind, ':');
			*q++ = 0;
			for (size_t j = 0; j < g->n; j++)
				if (j != i && (covers(&g->v[j].creates, kind, q, every, 1)
				    || covers(&g->v[j].alters, kind, q, every, 0))) {
					if (j < i)
						edge_as(w, j, i, r, 1);
					else
						edge_as(w, i, j, r, 1);
				}
			free(kind);
		}
}

/* Mark in anc every node some marked node needs, even indirectly (edges walked backwards). */
static void
ancestors(struct work *w, unsigned char *anc)
{
	size_t n = w->g->n, *stack = xmalloc((n ? n : 1) * sizeof *stack), top = 0;
	size_t *start = xcalloc(n + 1, sizeof *start), *pred, *fill;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < w->out[i].n; k++)
			start[w->out[i].e[k].to + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	pred = xmalloc((start[n] ? start[n] : 1) * sizeof *pred);
	fill = xcalloc(n ? n : 1, sizeof *fill);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < w->out[i].n; k++) {
			size_t t = w->out[i].e[k].to;

			pred[start[t] + fill[t]++] = i;
		}
	for (size_t i = 0; i < n; i++)
		if (anc[i])
			stack[top++] = i;
	while (top > 0) {
		size_t v = stack[--top];

		for (size_t k = start[v]; k < start[v + 1]; k++)
			if (!anc[pred[k]]) {
				anc[pred[k]] = 1;
				stack[top++] = pred[k];
			}
	}
	free(stack);
	free(start);
	free(pred);
	free(fill);
}

/* Whether a node does something to objects other than extensions and schemas (not a SET, not a
   COMMENT ON EXTENSION, not a CREATE SCHEMA): what may use what an extension provides. */
static int
about_objects(const struct dnode *d)
{
	const struct strv *l[] = { &d->creates, &d->alters, &d->drops, &d->refs };
	int any = 0;

	for (int k = 0; k < 4; k++)
		for (size_t i = 0; i < l[k]->n; i++) {
			if (has_prefix(l[k]->v[i], "extension:") || (k == 0 && has_prefix(l[k]->v[i], "schema:")))
				return 0;
			any = 1;
		}
	return any;
}

static void
heap_push(size_t *h, size_t *n, size_t v)
{
	size_t i = (*n)++;

	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static size_t
heap_pop(size_t *h, size_t *n)
{
	size_t top = h[0], v = h[--*n], i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (v <= h[c])
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = v;
	return top;
}

/* One cycle among the nodes left (each has a predecessor left): walk predecessors until one repeats. */
static void
find_cycle(struct work *w, const unsigned char *done, struct dgedge **cycle, size_t *ncycle)
{
	size_t n = w->g->n, start = 0, cur, len = 0;
	long *seen = xmalloc(n * sizeof *seen);
	struct dgedge *path = xmalloc(n * sizeof *path), *pred = xmalloc(n * sizeof *pred);

	for (size_t i = 0; i < n; i++)
		seen[i] = -1;
	/* pred[v]: one edge into v from a node left */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; !done[i] && k < w->out[i].n; k++)
			if (!done[w->out[i].e[k].to])
				pred[w->out[i].e[k].to] = w->out[i].e[k];
	while (done[start])
		start++;
	for (cur = start; seen[cur] < 0; cur = pred[cur].from) {
		seen[cur] = (long)len;
		path[len++] = pred[cur];
	}
	/* path[k] enters the k-th node walked; the cycle is from where cur was first seen */
	*ncycle = len - (size_t)seen[cur];
	*cycle = xmalloc(*ncycle * sizeof **cycle);
	for (size_t k = 0; k < *ncycle; k++)
		(*cycle)[k] = path[len - 1 - k];
	free(seen);
	free(path);
	free(pred);
}

static int
sort_once(struct depgraph *g, size_t *order, struct dgedge **cycle, size_t *ncycle)
{
	struct work w = { .g = g };
	size_t n = g->n, *heap, nheap = 0, norder = 0, *exts, next = 0, nunres = 0;
	struct dgedge *unres = NULL;
	unsigned char *done, *anc;
	long lastbar = -1;
	int rc = 0;

	w.out = xcalloc(n ? n : 1, sizeof *w.out);
	w.indeg = xcalloc(n ? n : 1, sizeof *w.indeg);
	for (size_t i = 0; i < n; i++) {
		const struct dnode *d = &g->v[i];
		const struct strv *lists[] = { &d->creates, &d->alters, &d->drops };

		for (int r = 0; r < 3; r++)
			for (size_t k = 0; k < lists[r]->n; k++) {
				const char *id = lists[r]->v[k];

				uses_add(map_get(&w.ids, id, 1), i, r, id);
				if (r == R_CREATE && has_prefix(id, "column:") && last_dot(id + 7)) {
					char *rel = xstrndup(id + 7, (size_t)(last_dot(id + 7) - (id + 7)));

					uses_add(map_get(&w.cols, rel, 1), i, r, id);
					free(rel);
				}
				if (r == R_CREATE && is_routine(id)) {
					char *key = call_key(id);

					uses_add(map_get(&w.calls, key, 1), i, r, id);
					free(key);
				}
			}
	}
	chain(&w);
	schema_wide_edges(&w);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < g->v[i].refs.n; k++)
			if (!needs(&w, i, g->v[i].refs.v[k], 1) && extension_kind(g->v[i].refs.v[k])) {
				unres = xrealloc(unres, (nunres + 1) * sizeof *unres);
				unres[nunres++] = (struct dgedge){ 0, i, g->v[i].refs.v[k], 1 };
			}
	/* barriers: all before, then the barrier, then all after */
	for (size_t i = 0; i < n; i++) {
		if (g->v[i].barrier) {
			for (size_t j = lastbar < 0 ? 0 : (size_t)lastbar; j < i; j++)
				edge(&w, j, i, NULL);
			lastbar = (long)i;
		} else if (lastbar >= 0) {
			edge(&w, (size_t)lastbar, i, NULL);
		}
	}
	/* a type nobody creates may come from an extension: after them all */
	anc = xcalloc(n ? n : 1, 1);
	exts = xmalloc((n ? n : 1) * sizeof *exts);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < g->v[i].creates.n && !anc[i]; k++)
			if (has_prefix(g->v[i].creates.v[k], "extension:"))
				anc[i] = 1, exts[next++] = i;
	if (next > 0)
		ancestors(&w, anc);
	/* extensions first, as pg_dump puts them: what they provide is not all named (an operator
	   class, a default one for a type): every statement but those they need waits for them */
	for (size_t i = 0; i < n && next > 0; i++)
		for (size_t j = 0; j < next && !anc[i] && about_objects(&g->v[i]); j++)
			edge_as(&w, exts[j], i, NULL, 1);
	for (size_t u = 0; u < nunres && next > 0; u++)
		for (size_t j = 0; j < next && !anc[unres[u].to]; j++)
			edge_as(&w, exts[j], unres[u].to, unres[u].id, 1);
	free(anc);
	free(unres);
	free(exts);
	heap = xmalloc((n ? n : 1) * sizeof *heap);
	done = xcalloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++)
		if (w.indeg[i] == 0)
			heap_push(heap, &nheap, i);
	while (nheap > 0) {
		size_t v = heap_pop(heap, &nheap);

		order[norder++] = v;
		done[v] = 1;
		for (size_t k = 0; k < w.out[v].n; k++)
			if (--w.indeg[w.out[v].e[k].to] == 0)
				heap_push(heap, &nheap, w.out[v].e[k].to);
	}
	if (norder < n) {
		find_cycle(&w, done, cycle, ncycle);
		rc = -1;
	}
	for (size_t i = 0; i < n; i++)
		free(w.out[i].e);
	free(w.out);
	free(w.indeg);
	free(heap);
	free(done);
	map_free(&w.ids);
	map_free(&w.calls);
	map_free(&w.cols);
	return rc;
}

/*
 * FOREIGN KEY clauses. The parse tree gives where a constraint begins, not where it ends: a small
 * scanner walks the text from there (literals, quoted names, comments and dollar quotes skipped,
 * parentheses counted) to the ',' or ')' that closes the table element.
 */

/* The first byte of the next token at or after i (blanks and comments skipped). */
static size_t
skip_blank(const char *s, size_t len, size_t i)
{
	while (i < len) {
		if (isspace((unsigned char)s[i])) {
			i++;
		} else if (s[i] == '-' && i + 1 < len && s[i + 1] == '-') {
			while (i < len && s[i] != '\n' && s[i] != '\r')
				i++;
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			int depth = 1;

			for (i += 2; i < len && depth > 0; i++) {
				if (s[i] == '/' && i + 1 < len && s[i + 1] == '*')
					depth++, i++;
				else if (s[i] == '*' && i + 1 < len && s[i + 1] == '/')
					depth--, i++;
			}
		} else {
			break;
		}
	}
	return i;
}

static int
word_byte(int c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* The end of the token that begins at i. */
static size_t
token_end(const char *s, size_t len, size_t i)
{
	size_t j;

	if (i >= len)
		return len;
	if ((s[i] == 'e' || s[i] == 'E') && i + 1 < len && s[i + 1] == '\'') {
		for (j = i + 2; j < len; j++)
			if (s[j] == '\\')
				j++;
			else if (s[j] == '\'' && !(j + 1 < len && s[j + 1] == '\'' && ++j))
				return j + 1;
		return len;
	}
	if (s[i] == '\'' || s[i] == '"') {
		for (j = i + 1; j < len; j++)
			if (s[j] == s[i] && !(j + 1 < len && s[j + 1] == s[i] && ++j))
				return j + 1;
		return len;
	}
	if (s[i] == '$') {
		for (j = i + 1; j < len && word_byte((unsigned char)s[j]) && s[j] != '$'; j++)
			;
		if (j < len && s[j] == '$' && !(j > i + 1 && isdigit((unsigned char)s[i + 1]))) {
			const char *e = memmem(s + j + 1, len - j - 1, s + i, j - i + 1);

			return e ? (size_t)(e - s) + (j - i + 1) : len;
		}
		return j;
	}
	if (word_byte((unsigned char)s[i])) {
		for (j = i; j < len && word_byte((unsigned char)s[j]); j++)
			;
		return j;
	}
	return i + 1;
}

/* The bounds of the element of a parenthesized list that holds offset at: *comma = the ',' before
   it in that list (len if none), the return value = the ',' or ')' that ends it. */
static size_t
element(const char *s, size_t len, size_t at, size_t *comma)
{
	size_t lastc[64], i = 0, e;
	int depth = 0, d;

	for (i = skip_blank(s, len, 0); i < at && i < len; i = skip_blank(s, len, token_end(s, len, i))) {
		if (s[i] == '(' && ++depth < 64)
			lastc[depth] = len;
		else if (s[i] == ')' && depth > 0)
			depth--;
		else if (s[i] == ',' && depth > 0 && depth < 64)
			lastc[depth] = i;
	}
	d = depth;
	*comma = d > 0 && d < 64 ? lastc[d] : len;
	for (e = i; e < len; e = skip_blank(s, len, token_end(s, len, e))) {
		if (s[e] == '(')
			depth++;
		else if (s[e] == ')' && depth-- == d)
			break;
		else if (s[e] == ',' && depth == d)
			break;
	}
	return e;
}

/* The end of a name at i: identifiers joined by '.'. */
static size_t
name_at(const char *s, size_t len, size_t i)
{
	size_t e = token_end(s, len, i), n;

	while ((n = skip_blank(s, len, e)) < len && s[n] == '.')
		e = token_end(s, len, skip_blank(s, len, n + 1));
	return e;
}

/* Back over blanks from e to the end of the text before them. */
static size_t
trim(const char *s, size_t lo, size_t e)
{
	while (e > lo && isspace((unsigned char)s[e - 1]))
		e--;
	return e;
}

static const char *
jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static size_t
jloc(json_t *o)
{
	json_int_t l = json_integer_value(json_object_get(o, "location"));

	return l > 0 ? (size_t)l : 0;
}

static void
fk_add(struct fkclause **out, size_t *n, struct fkclause c)
{
	*out = xrealloc(*out, (*n + 1) * sizeof **out);
	(*out)[(*n)++] = c;
}

size_t
dg_fkclauses(json_t *stmt, const char *sql, size_t len, struct fkclause **out)
{
	json_t *cs = json_object_get(stmt, "CreateStmt"), *elts = json_object_get(cs, "tableElts"), *e;
	size_t n = 0, i, rloc, rend;
	char *rel;

	*out = NULL;
	if (!cs)
		return 0;
	rloc = jloc(json_object_get(cs, "relation"));
	rend = name_at(sql, len, rloc);
	rel = xstrndup(sql + rloc, rend - rloc);
	json_array_foreach(elts, i, e) {
		json_t *con = json_object_get(e, "Constraint"), *col = json_object_get(e, "ColumnDef"), *c;
		size_t comma, end, at, k;

		if (con && strcmp(jstr(con, "contype") ? jstr(con, "contype") : "", "CONSTR_FOREIGN") == 0) {
			at = jloc(con);
			end = element(sql, len, at, &comma);
			fk_add(out, &n, (struct fkclause){ comma < at ? comma : at,
			    comma < at ? end : (end < len && sql[end] == ',' ? end + 1 : end), at,
			    xasprintf("ALTER TABLE %s ADD %.*s", rel, (int)(trim(sql, at, end) - at), sql + at) });
			continue;
		}
		json_array_foreach(json_object_get(col, "constraints"), k, c) {
			json_t *cc = json_object_get(c, "Constraint"), *nx;
			size_t ref, cloc = jloc(col), bound;
			const char *t = jstr(cc, "contype");

			if (!t || strcmp(t, "CONSTR_FOREIGN") != 0)
				continue;
			at = jloc(cc);
			bound = element(sql, len, at, &comma);
			/* the DEFERRABLE ... attributes that follow belong to it; the next other constraint ends it */
			for (size_t m = k + 1; (nx = json_object_get(json_array_get(json_object_get(col, "constraints"), m),
			    "Constraint")); m++) {
				t = jstr(nx, "contype");
				if (!t || strncmp(t, "CONSTR_ATTR_", 12) != 0) {
					bound = jloc(nx);
					break;
				}
			}
			bound = trim(sql, at, bound);
			for (ref = at; ref < bound; ref = skip_blank(sql, bound, token_end(sql, bound, ref)))
				if (token_end(sql, bound, ref) - ref == 10 && strncasecmp(sql + ref, "references", 10) == 0)
					break;
			fk_add(out, &n, (struct fkclause){ at, bound, at,
			    xasprintf("ALTER TABLE %s ADD %.*sFOREIGN KEY (%.*s) %.*s", rel, (int)(ref - at), sql + at,
			    (int)(token_end(sql, len, cloc) - cloc), sql + cloc, (int)(bound - ref), sql + ref) });
		}
	}
	free(rel);
	return n;
}

void
dg_fkfree(struct fkclause *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].alter);
	free(v);
}

int
dg_sort(struct depgraph *g, size_t *order, struct dgedge **cycle, size_t *ncycle)
{
	for (;;) {
		size_t k;

		if (sort_once(g, order, cycle, ncycle) == 0)
			return 0;
		for (k = 0; k < *ncycle && !(*cycle)[k].soft; k++)
			;
		if (k == *ncycle)
			return -1;
		/* what the statements say wins over the order they were in */
		g->cut = xrealloc(g->cut, (g->ncut + 1) * sizeof *g->cut);
		g->cut[g->ncut++] = (*cycle)[k];
		free(*cycle);
	}
}

/*
 * Facts of a statement that ordering needs beyond stmtinfo.
 */

void
dg_setting(json_t *tree, struct dgsetting *p)
{
	json_t *v = json_object_get(tree, "VariableSetStmt"), *sel = json_object_get(tree, "SelectStmt");
	const char *kind = json_string_value(json_object_get(v, "kind"));
	const char *name = json_string_value(json_object_get(v, "name"));

	memset(p, 0, sizeof *p);
	if (v && kind && strcmp(kind, "VAR_RESET_ALL") == 0) {
		p->name = xstrdup("*");
	} else if (v && kind && name && strcmp(kind, "VAR_SET_MULTI") != 0) {
		p->name = xstrdup(name);
		p->reset = strcmp(kind, "VAR_RESET") == 0;
	} else if (sel && json_array_size(json_object_get(sel, "targetList")) == 1 && !json_object_get(sel, "fromClause")) {
		json_t *fc = json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(sel,
		    "targetList"), 0), "ResTarget"), "val"), "FuncCall");
		json_t *fn = json_object_get(fc, "funcname");
		const char *f = json_string_value(json_object_get(json_object_get(json_array_get(fn,
		    (size_t)json_array_size(fn) - 1), "String"), "sval"));
		const char *arg = json_string_value(json_object_get(json_object_get(json_object_get(json_array_get(
		    json_object_get(fc, "args"), 0), "A_Const"), "sval"), "sval"));

		const char *val = json_string_value(json_object_get(json_object_get(json_object_get(json_array_get(
		    json_object_get(fc, "args"), 1), "A_Const"), "sval"), "sval"));

		if (f && arg && strcmp(f, "set_config") == 0) {
			p->name = xstrdup(arg);
			p->value = val ? xstrdup(val) : NULL;
		}
	}
	if (v && !p->value) {
		const char *val = json_string_value(json_object_get(json_object_get(json_object_get(json_array_get(
		    json_object_get(v, "args"), 0), "A_Const"), "sval"), "sval"));

		p->value = val ? xstrdup(val) : NULL;
	}
	if (p->name)
		for (char *q = p->name; *q; q++)
			*q = (char)tolower((unsigned char)*q);
}

static void
key_column(struct strv *creates, const char *table, json_t *name)
{
	const char *n = json_string_value(json_object_get(json_object_get(name, "String"), "sval"));
	char *q;

	if (!n)
		n = json_string_value(json_object_get(json_object_get(name, "IndexElem"), "name"));
	if (!n)
		return;
	q = model_ident(n);
	strv_take(creates, xasprintf("key:%s.%s", table + 6, q));
	free(q);
}

/* Whether the tree holds a FOREIGN KEY constraint; *bare: one without its referenced columns. */
static int
has_fk(json_t *t, int *bare)
{
	const char *k;
	json_t *v;
	size_t i;
	int r = 0;

	if (json_is_object(t)) {
		json_t *c = json_object_get(t, "Constraint");

		if (c && json_string_value(json_object_get(c, "contype"))
		    && strcmp(json_string_value(json_object_get(c, "contype")), "CONSTR_FOREIGN") == 0) {
			*bare |= json_array_size(json_object_get(c, "pk_attrs")) == 0;
			return 1;
		}
		json_object_foreach(t, k, v)
			r |= has_fk(v, bare);
	} else if (json_is_array(t)) {
		json_array_foreach(t, i, v)
			r |= has_fk(v, bare);
	}
	return r;
}

/* A FOREIGN KEY needs the key of the columns it references: key:S.T.C for each of them (key:S.T,
   the primary key, when it names none), which a PRIMARY KEY or UNIQUE added later creates. */
static void
fk_keys(struct strv *refs, json_t *tree)
{
	int bare = 0;
	size_t n = refs->n;

	if (!has_fk(tree, &bare))
		return;
	for (size_t i = 0; i < n; i++)
		if (strncmp(refs->v[i], "column:", 7) == 0 || (bare && strncmp(refs->v[i], "table:", 6) == 0))
			strv_take(refs, xasprintf("key:%s", strchr(refs->v[i], ':') + 1));
}

/* The objtype of a GRANT ... ON ALL ... IN SCHEMA or a default privilege as an id kind ("table"
   also for views and sequences' neighbours below), or NULL. */
static const char *
acl_kind(const char *ot)
{
	if (!ot)
		return NULL;
	if (strcmp(ot, "OBJECT_TABLE") == 0)
		return "table";
	if (strcmp(ot, "OBJECT_SEQUENCE") == 0)
		return "sequence";
	if (strcmp(ot, "OBJECT_FUNCTION") == 0 || strcmp(ot, "OBJECT_PROCEDURE") == 0 || strcmp(ot, "OBJECT_ROUTINE") == 0)
		return "function";
	if (strcmp(ot, "OBJECT_TYPE") == 0)
		return "type";
	if (strcmp(ot, "OBJECT_SCHEMA") == 0)
		return "schema";
	return NULL;
}

/* GRANT ... ON ALL TABLES IN SCHEMA s acts on the tables of s that exist when it runs: it refers
   to every:table:s, which every creation of a table of s comes before. ALTER DEFAULT PRIVILEGES
   [IN SCHEMA s] acts on what is created after it: defacl:table:s (s empty: any schema), which
   comes before those creations. Markers for dg_sort only. */
static void
schema_wide(struct strv *refs, json_t *tree)
{
	json_t *g = json_object_get(tree, "GrantStmt"), *ad = json_object_get(tree, "AlterDefaultPrivilegesStmt"), *e, *o;
	const char *k;
	size_t i, j;

	if (g && (k = acl_kind(jstr(g, "objtype"))) != NULL && jstr(g, "targtype")
	    && strcmp(jstr(g, "targtype"), "ACL_TARGET_ALL_IN_SCHEMA") == 0)
		json_array_foreach(json_object_get(g, "objects"), i, e) {
			char *q = model_ident(jstr(json_object_get(e, "String"), "sval") ? jstr(json_object_get(e, "String"), "sval") : "");

			strv_take(refs, xasprintf("every:%s:%s", k, q));
			free(q);
		}
	if (!ad || !(k = acl_kind(jstr(json_object_get(ad, "action"), "objtype"))))
		return;
	json_array_foreach(json_object_get(ad, "options"), i, o) {
		json_t *de = json_object_get(o, "DefElem");

		if (!de || !jstr(de, "defname") || strcmp(jstr(de, "defname"), "schemas") != 0)
			continue;
		json_array_foreach(json_object_get(json_object_get(json_object_get(de, "arg"), "List"), "items"), j, e) {
			char *q = model_ident(jstr(json_object_get(e, "String"), "sval") ? jstr(json_object_get(e, "String"), "sval") : "");

			strv_take(refs, xasprintf("defacl:%s:%s", k, q));
			strv_take(refs, xasprintf("schema:%s", q));
			free(q);
		}
		return;
	}
	strv_take(refs, xasprintf("defacl:%s:", k));
}

/* A PRIMARY KEY or UNIQUE added to a table, or a unique index, gives a FOREIGN KEY its target:
   it creates key:S.T.C for each of its columns (and key:S.T for a primary key). */
static void
key_columns(struct strv *creates, const struct strv *alters, const struct strv *refs, json_t *tree)
{
	json_t *at = json_object_get(tree, "AlterTableStmt"), *ix = json_object_get(tree, "IndexStmt"), *cmd, *k;
	const struct strv *from = at ? alters : refs;
	const char *table = NULL;
	size_t i, j;

	for (i = 0; i < from->n && !table; i++)
		if (strncmp(from->v[i], "table:", 6) == 0)
			table = from->v[i];
	if (!table)
		return;
	if (ix && json_is_true(json_object_get(ix, "unique")))
		json_array_foreach(json_object_get(ix, "indexParams"), j, k)
			key_column(creates, table, k);
	json_array_foreach(json_object_get(at, "cmds"), i, cmd) {
		json_t *con = json_object_get(json_object_get(json_object_get(cmd, "AlterTableCmd"), "def"), "Constraint");
		const char *t = json_string_value(json_object_get(con, "contype"));

		if (t && (strcmp(t, "CONSTR_PRIMARY") == 0 || strcmp(t, "CONSTR_UNIQUE") == 0))
			json_array_foreach(json_object_get(con, "keys"), j, k)
				key_column(creates, table, k);
		if (t && strcmp(t, "CONSTR_PRIMARY") == 0)
			strv_take(creates, xasprintf("key:%s", table + 6));
		/* ADD COLUMN: the column's creation, which users of the table wait for */
		if (json_object_get(json_object_get(json_object_get(cmd, "AlterTableCmd"), "def"), "ColumnDef")) {
			const char *c = json_string_value(json_object_get(json_object_get(json_object_get(json_object_get(cmd,
			    "AlterTableCmd"), "def"), "ColumnDef"), "colname"));
			char *q = c ? model_ident(c) : NULL;

			if (q)
				strv_take(creates, xasprintf("column:%s.%s", table + 6, q));
			free(q);
		}
	}
}

/* The support functions of CREATE OPERATOR and TYPE (function = f, input = f, ...): calls of some
   overload, which the statement's references leave out (stmtinfo gives CREATE AGGREGATE's). */
static void
support_functions(struct strv *refs, json_t *tree, const struct spath *sp)
{
	static const char *const keys[] = { "function", "procedure", "restrict", "join", "input", "output",
		"receive", "send", "typmod_in", "typmod_out", "analyze", "subtype_diff", "canonical", NULL };
	json_t *def = json_object_get(json_object_get(tree, "DefineStmt"), "definition"), *d;
	size_t i;

	json_array_foreach(def, i, d) {
		json_t *de = json_object_get(d, "DefElem");
		json_t *names = json_object_get(json_object_get(json_object_get(de, "arg"), "TypeName"), "names");
		const char *k = json_string_value(json_object_get(de, "defname"));
		const char *sch, *n;
		char *qs, *qn;
		size_t nn = json_array_size(names);
		int want = 0;

		for (int j = 0; k && keys[j]; j++)
			want |= strcmp(k, keys[j]) == 0;
		if (!want || nn == 0)
			continue;
		n = json_string_value(json_object_get(json_object_get(json_array_get(names, nn - 1), "String"), "sval"));
		sch = nn > 1 ? json_string_value(json_object_get(json_object_get(json_array_get(names, nn - 2), "String"),
		    "sval")) : spath_first(sp);
		if (!n || !sch)
			continue;
		qs = model_ident(sch), qn = model_ident(n);
		strv_take(refs, xasprintf("function:%s.%s", qs, qn));
		free(qs), free(qn);
	}
}

void
dg_more_ids(json_t *tree, const struct spath *sp, struct strv *creates, const struct strv *alters, struct strv *refs)
{
	key_columns(creates, alters, refs, tree);
	fk_keys(refs, tree);
	support_functions(refs, tree, sp);
	schema_wide(refs, tree);
}
