#ifndef CONF_PTREE_H
#define CONF_PTREE_H

#include <jansson.h>
#include <stddef.h>
#include <string.h>

/*
 * A read-only parse tree: libpg_query's JSON text loaded into one arena, without hashing and without
 * a malloc per node (loading it as jansson values, and freeing them, was most of conf-parse's cost).
 * An object is its key/value pairs in text order, an array its elements: both contiguous. The
 * accessors answer as jansson's do for the same tree (NULL, 0 for a missing key or a wrong type).
 */

enum pt_type { PT_NULL, PT_TRUE, PT_FALSE, PT_INT, PT_REAL, PT_STR, PT_ARR, PT_OBJ };

struct ptkv;

struct pt {
	int type;                 /* enum pt_type */
	size_t n;                 /* PT_ARR: elements; PT_OBJ: pairs; PT_STR: bytes */
	union {
		long long i;
		const char *s;        /* NUL-terminated */
		const struct pt *a;
		const struct ptkv *o;
	} u;
};

struct ptkv {
	const char *k;
	struct pt v;
};

/* The memory of the trees loaded since its last reset (zeroed: empty). */
struct ptarena {
	struct ptchunk *chunks;   /* the current chunk first */
	char *p, *end;            /* free space of the current chunk */
	struct ptkv *stack;       /* pairs and elements of the containers being read */
	size_t nstack, capstack;
	int depth, deep, err;     /* the reader's state: */
	const char *cur;
	size_t slen;
	int inplace;              /* the text being read is the arena's: strings are decoded in it */
	struct ptown *owned;      /* malloc'd texts freed with the trees */
};

// ptree.c
/* Forget every tree of the arena, keeping its first chunk for the next. */
void pt_reset(struct ptarena *a);
/* Free the arena's memory. */
void pt_free(struct ptarena *a);
/* libpg_query's JSON text as a tree in a, or NULL when the reader is not sure of it (a real number,
   a NUL, a raw control byte, bytes that are not UTF-8, a malformed text: json_loads then decides), or
   when it nests more than max levels (*deep set). */
const struct pt *pt_load(struct ptarena *a, const char *text, int max, int *deep);
/* pt_load of a malloc'd text the arena takes (freed at its reset): the strings are decoded in it,
   so that the text is no longer JSON after, whether it loaded or not. */
const struct pt *pt_load_owned(struct ptarena *a, char *text, int max, int *deep);
/* The tree of a jansson value, in a (NULL for NULL). */
const struct pt *pt_from_json(struct ptarena *a, json_t *v);

/* The value of key k of an object; NULL if none or not an object. */
static inline const struct pt *
pt_get(const struct pt *o, const char *k)
{
	if (!o || o->type != PT_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (o->u.o[i].k[0] == k[0] && strcmp(o->u.o[i].k, k) == 0)
			return &o->u.o[i].v;
	return NULL;
}

/* Element i of an array; NULL if none or not an array. */
static inline const struct pt *
pt_at(const struct pt *a, size_t i)
{
	return a && a->type == PT_ARR && i < a->n ? &a->u.a[i] : NULL;
}

/* The elements of an array; 0 if not an array. */
static inline size_t
pt_asize(const struct pt *a)
{
	return a && a->type == PT_ARR ? a->n : 0;
}

/* The pairs of an object; 0 if not an object. */
static inline size_t
pt_osize(const struct pt *o)
{
	return o && o->type == PT_OBJ ? o->n : 0;
}

/* A string's value; NULL if not a string. */
static inline const char *
pt_str(const struct pt *v)
{
	return v && v->type == PT_STR ? v->u.s : NULL;
}

/* An integer's value; 0 if not an integer. */
static inline long long
pt_int(const struct pt *v)
{
	return v && v->type == PT_INT ? v->u.i : 0;
}

static inline int pt_is_true(const struct pt *v) { return v && v->type == PT_TRUE; }
static inline int pt_is_false(const struct pt *v) { return v && v->type == PT_FALSE; }
static inline int pt_is_obj(const struct pt *v) { return v && v->type == PT_OBJ; }
static inline int pt_is_arr(const struct pt *v) { return v && v->type == PT_ARR; }
static inline int pt_is_str(const struct pt *v) { return v && v->type == PT_STR; }

/* For each element e (index i) of an array, as json_array_foreach. */
#define pt_foreach(arr, i, e) for ((i) = 0; (i) < pt_asize(arr) && ((e) = pt_at((arr), (i))); (i)++)
/* For each key k and value v of an object, in the text's order. */
#define pt_obj_foreach(obj, i, k, v) \
	for ((i) = 0; (i) < pt_osize(obj) && ((k) = (obj)->u.o[i].k, (v) = &(obj)->u.o[i].v, 1); (i)++)

#endif
