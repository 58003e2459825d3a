#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jsonl.h"
#include "ptree.h"

/* A block of the arena: trees of a few statements fit in the first one, which a reset keeps. */
struct ptchunk {
	struct ptchunk *next;
	size_t size;
	max_align_t data[];
};

#define CHUNK (64 * 1024)

static void *
alloc(struct ptarena *a, size_t n)
{
	struct ptchunk *c;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if ((size_t)(a->end - a->p) < n) {
		size_t size = n > CHUNK / 2 ? n : CHUNK;

		c = xmalloc(sizeof *c + size);
		c->size = size;
		if (a->chunks && size != CHUNK) {
			/* a big block goes behind the current one, whose free space stays in use */
			c->next = a->chunks->next;
			a->chunks->next = c;
			return c->data;
		}
		c->next = a->chunks;
		a->chunks = c;
		a->p = (char *)c->data;
		a->end = a->p + size;
	}
	p = a->p;
	a->p += n;
	return p;
}

/* A malloc'd block the arena frees at its reset (in a chunk of its own). */
struct ptown {
	struct ptown *next;
	void *p;
};

static void
free_owned(struct ptarena *a)
{
	for (struct ptown *o = a->owned; o; o = o->next)
		free(o->p);
	a->owned = NULL;
}

void
pt_reset(struct ptarena *a)
{
	struct ptchunk *c = a->chunks, *last = NULL;

	free_owned(a);
	/* keep one chunk of the standard size: the one a statement of ordinary size fills */
	while (c) {
		struct ptchunk *next = c->next;

		if (!last && c->size == CHUNK)
			last = c;
		else
			free(c);
		c = next;
	}
	a->chunks = last;
	if (last) {
		last->next = NULL;
		a->p = (char *)last->data;
		a->end = a->p + last->size;
	} else {
		a->p = a->end = NULL;
	}
	a->nstack = 0;
	a->depth = a->deep = 0;
}

void
pt_free(struct ptarena *a)
{
	free_owned(a);
	while (a->chunks) {
		struct ptchunk *next = a->chunks->next;

		free(a->chunks);
		a->chunks = next;
	}
	free(a->stack);
	memset(a, 0, sizeof *a);
}

static struct ptkv *
push(struct ptarena *a)
{
	if (a->nstack == a->capstack) {
		a->capstack = a->capstack ? 2 * a->capstack : 256;
		a->stack = xrealloc(a->stack, a->capstack * sizeof *a->stack);
	}
	return &a->stack[a->nstack++];
}

static void
ws(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
		(*p)++;
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

static char *
put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* The bytes a string's text holds as they are: not a quote, a backslash, a control byte, non-ASCII. */
static const unsigned char plain[256] = {
#define P4(c) [c] = 1, [c + 1] = 1, [c + 2] = 1, [c + 3] = 1
#define P16(c) P4(c), P4(c + 4), P4(c + 8), P4(c + 12)
	[0x20] = 1, [0x21] = 1, /* '"' */ [0x23] = 1, P4(0x24), P4(0x28), P4(0x2C), P16(0x30), P16(0x40),
	P4(0x50), P4(0x54), P4(0x58), /* '\\' */ [0x5D] = 1, [0x5E] = 1, [0x5F] = 1, P16(0x60), P16(0x70),
#undef P16
#undef P4
};

/* A string after its opening quote (*pp), decoded into the arena; NULL when unsure (the same cases
   as sqlclass's loader: json_loads decides those). Its decoded form is never longer than its text. */
static const char *
string(struct ptarena *a, const char **pp, size_t *len)
{
	const char *p = *pp, *q = p;
	char *s, *o;

	while (plain[(unsigned char)*q])
		q++;
	if (*q == '"') {
		if (a->inplace) {
			s = (char *)p;   /* the text is the arena's: the quote becomes the string's end */
		} else {
			s = alloc(a, (size_t)(q - p) + 1);
			memcpy(s, p, (size_t)(q - p));
		}
		s[q - p] = '\0';
		*len = (size_t)(q - p);
		*pp = q + 1;
		return s;
	}
	if (a->inplace) {
		/* decoded where it stands: the decoded form is never longer, so it never overtakes */
		o = s = (char *)p;
	} else {
		/* the bound: up to the closing quote, escapes skipped */
		while (*q && *q != '"')
			q += *q == '\\' && q[1] ? 2 : 1;
		if (!*q)
			return NULL;
		o = s = alloc(a, (size_t)(q - p) + 1);
	}
	for (;;) {
		if (*p == '"') {
			*o = '\0';
			*len = (size_t)(o - s);
			*pp = p + 1;
			return s;
		}
		if ((unsigned char)*p >= 0x80) {
			size_t n = utf8_seq((const unsigned char *)p);

			if (!n)
				return NULL;
			memcpy(o, p, n);
			o += n;
			p += n;
		} else if (*p == '\\') {
			unsigned v, w;

			switch (p[1]) {
			case '"': case '\\': case '/': *o++ = p[1]; p += 2; break;
			case 'b': *o++ = '\b'; p += 2; break;
			case 'f': *o++ = '\f'; p += 2; break;
			case 'n': *o++ = '\n'; p += 2; break;
			case 'r': *o++ = '\r'; p += 2; break;
			case 't': *o++ = '\t'; p += 2; break;
			case 'u':
				if (hex4(p + 2, &v) < 0 || v == 0)
					return NULL;
				p += 6;
				if (v >= 0xD800 && v <= 0xDBFF) {
					if (p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &w) < 0 || w < 0xDC00 || w > 0xDFFF)
						return NULL;
					p += 6;
					o = put_utf8(o, 0x10000 + ((unsigned long)(v - 0xD800) << 10) + (w - 0xDC00));
				} else if (v >= 0xDC00 && v <= 0xDFFF) {
					return NULL;
				} else {
					o = put_utf8(o, v);
				}
				break;
			default:
				return NULL;
			}
		} else if ((unsigned char)*p >= 0x20) {
			*o++ = *p++;
		} else {
			return NULL;   /* a raw control byte */
		}
	}
}

/* The elements (or pairs) pushed since base, moved into the arena as the container's body. */
static void *
close_container(struct ptarena *a, size_t base, size_t each, struct pt *v, int type)
{
	size_t n = a->nstack - base;
	void *body = NULL;

	if (n) {
		body = alloc(a, n * each);
		if (each == sizeof(struct ptkv)) {
			memcpy(body, a->stack + base, n * each);
		} else {
			struct pt *e = body;

			for (size_t i = 0; i < n; i++)
				e[i] = a->stack[base + i].v;
		}
	}
	a->nstack = base;
	a->depth--;
	v->type = type;
	v->n = n;
	return body;
}

static int value(struct ptarena *a, const char **pp, struct pt *v, int max);

static int
object(struct ptarena *a, const char **pp, struct pt *v, int max)
{
	const char *p = *pp + 1;
	size_t base = a->nstack;

	ws(&p);
	if (*p != '}') {
		for (;;) {
			struct ptkv kv;
			size_t kl;

			ws(&p);
			if (*p != '"')
				return -1;
			p++;
			/* a key holds no NUL: string refuses \u0000 and raw control bytes */
			if (!(kv.k = string(a, &p, &kl)))
				return -1;
			ws(&p);
			if (*p != ':')
				return -1;
			p++;
			if (value(a, &p, &kv.v, max) < 0)
				return -1;
			*push(a) = kv;
			ws(&p);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == '}')
				break;
			return -1;
		}
	}
	*pp = p + 1;
	v->u.o = close_container(a, base, sizeof(struct ptkv), v, PT_OBJ);
	return 0;
}

static int
array(struct ptarena *a, const char **pp, struct pt *v, int max)
{
	const char *p = *pp + 1;
	size_t base = a->nstack;

	ws(&p);
	if (*p != ']') {
		for (;;) {
			struct pt e;

			if (value(a, &p, &e, max) < 0)
				return -1;
			push(a)->v = e;
			ws(&p);
			if (*p == ',') {
				p++;
				continue;
			}
			if (*p == ']')
				break;
			return -1;
		}
	}
	*pp = p + 1;
	v->u.a = close_container(a, base, sizeof(struct pt), v, PT_ARR);
	return 0;
}

static int
value(struct ptarena *a, const char **pp, struct pt *v, int max)
{
	const char *p;

	ws(pp);
	p = *pp;
	v->n = 0;
	switch (*p) {
	case '{':
	case '[':
		if (++a->depth > max) {
			a->deep = 1;
			return -1;
		}
		return *p == '{' ? object(a, pp, v, max) : array(a, pp, v, max);
	case '"':
		*pp = p + 1;
		v->type = PT_STR;
		return (v->u.s = string(a, pp, &v->n)) ? 0 : -1;
	case 't':
		if (strncmp(p, "true", 4) != 0)
			return -1;
		*pp = p + 4;
		v->type = PT_TRUE;
		return 0;
	case 'f':
		if (strncmp(p, "false", 5) != 0)
			return -1;
		*pp = p + 5;
		v->type = PT_FALSE;
		return 0;
	case 'n':
		if (strncmp(p, "null", 4) != 0)
			return -1;
		*pp = p + 4;
		v->type = PT_NULL;
		return 0;
	default: {
		/* an integer as JSON writes it: -?(0|[1-9][0-9]*), within json_int_t */
		long long n = 0;
		int neg = *p == '-';

		if (neg)
			p++;
		if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
			return -1;
		for (int d = 0; *p >= '0' && *p <= '9'; p++, d++) {
			if (d == 18)
				return -1;   /* near json_int_t's limit: json_loads knows */
			n = n * 10 + (*p - '0');
		}
		if (*p == '.' || *p == 'e' || *p == 'E')
			return -1;
		*pp = p;
		v->type = PT_INT;
		v->n = 0;
		v->u.i = neg ? -n : n;
		return 0;
	}
	}
}

static const struct pt *
load(struct ptarena *a, const char *text, int max, int *deep, int inplace)
{
	struct pt *root = alloc(a, sizeof *root);
	const char *p = text;
	size_t base = a->nstack;
	int r;

	a->depth = a->deep = 0;
	a->inplace = inplace;
	r = value(a, &p, root, max);
	*deep = a->deep;
	a->nstack = base;
	if (r < 0)
		return NULL;
	ws(&p);
	return *p ? NULL : root;
}

const struct pt *
pt_load(struct ptarena *a, const char *text, int max, int *deep)
{
	return load(a, text, max, deep, 0);
}

const struct pt *
pt_load_owned(struct ptarena *a, char *text, int max, int *deep)
{
	struct ptown *o = alloc(a, sizeof *o);

	o->p = text;
	o->next = a->owned;
	a->owned = o;
	return load(a, text, max, deep, 1);
}

static void
from_json(struct ptarena *a, json_t *j, struct pt *v)
{
	memset(v, 0, sizeof *v);
	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *k;
		json_t *e;
		struct ptkv *kv;
		size_t i = 0;

		v->type = PT_OBJ;
		v->n = json_object_size(j);
		v->u.o = kv = v->n ? alloc(a, v->n * sizeof *kv) : NULL;
		json_object_foreach(j, k, e) {
			size_t kl = strlen(k);
			char *ks = alloc(a, kl + 1);

			memcpy(ks, k, kl + 1);
			kv[i].k = ks;
			from_json(a, e, &kv[i].v);
			i++;
		}
		break;
	}
	case JSON_ARRAY: {
		struct pt *el;

		v->type = PT_ARR;
		v->n = json_array_size(j);
		v->u.a = el = v->n ? alloc(a, v->n * sizeof *el) : NULL;
		for (size_t i = 0; i < v->n; i++)
			from_json(a, json_array_get(j, i), &el[i]);
		break;
	}
	case JSON_STRING: {
		size_t n = json_string_length(j);
		char *s = alloc(a, n + 1);

		memcpy(s, json_string_value(j), n + 1);
		v->type = PT_STR;
		v->n = n;
		v->u.s = s;
		break;
	}
	case JSON_INTEGER: v->type = PT_INT; v->u.i = json_integer_value(j); break;
	case JSON_REAL: v->type = PT_REAL; break;
	case JSON_TRUE: v->type = PT_TRUE; break;
	case JSON_FALSE: v->type = PT_FALSE; break;
	default: v->type = PT_NULL; break;
	}
}

const struct pt *
pt_from_json(struct ptarena *a, json_t *v)
{
	struct pt *root;

	if (!v)
		return NULL;
	root = alloc(a, sizeof *root);
	from_json(a, v, root);
	return root;
}
