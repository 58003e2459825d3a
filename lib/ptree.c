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
	/* libpg_query writes no white space: one compare says so */
	if ((unsigned char)**p > ' ')
		return;
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

/* A string after its opening quote (at a->cur), decoded into the arena (or in place), its length in
   a->slen; NULL when unsure (the same cases as sqlclass's loader: json_loads decides those). Its
   decoded form is never longer than its text. */
static const char *
string(struct ptarena *a)
{
	const char *p = a->cur, *q = p;
	char *s, *o;

	/* four bytes a turn; a byte is read only after a plain one, which is not the text's NUL */
	while (plain[(unsigned char)q[0]] && plain[(unsigned char)q[1]] && plain[(unsigned char)q[2]]
	    && plain[(unsigned char)q[3]])
		q += 4;
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
		a->slen = (size_t)(q - p);
		a->cur = q + 1;
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
			a->slen = (size_t)(o - s);
			a->cur = p + 1;
			return s;
		}
		if ((unsigned char)*p >= 0x80) {
			size_t n = utf8_seq((const unsigned char *)p);

			if (!n)
				return NULL;
			memmove(o, p, n);
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
static struct pt
close_container(struct ptarena *a, size_t base, int type)
{
	struct pt v = { .type = type, .n = a->nstack - base };

	if (type == PT_OBJ && v.n) {
		struct ptkv *kv = alloc(a, v.n * sizeof *kv);

		memcpy(kv, a->stack + base, v.n * sizeof *kv);
		v.u.o = kv;
	} else if (v.n) {
		struct pt *e = alloc(a, v.n * sizeof *e);

		for (size_t i = 0; i < v.n; i++)
			e[i] = a->stack[base + i].v;
		v.u.a = e;
	}
	a->nstack = base;
	a->depth--;
	return v;
}

/* The value at a->cur; a->err set when the reader is unsure (or a->deep: too deep). One frame per
   level, with no local whose address is taken: a tree TREE_DEPTH_MAX levels deep fits the stack,
   a sanitizer's too. */
static struct pt
value(struct ptarena *a, int max)
{
	struct pt v = { .type = PT_NULL };
	size_t base = a->nstack;
	const char *p;

	ws(&a->cur);
	p = a->cur;
	switch (*p) {
	case '{':
	case '[':
		if (++a->depth > max) {
			a->deep = a->err = 1;
			return v;
		}
		a->cur = p + 1;
		ws(&a->cur);
		if (*a->cur == (*p == '{' ? '}' : ']')) {
			a->cur++;
			return close_container(a, base, *p == '{' ? PT_OBJ : PT_ARR);
		}
		for (;;) {
			const char *k = NULL;
			struct pt e;
			struct ptkv *slot;

			if (*p == '{') {
				ws(&a->cur);
				if (*a->cur != '"')
					break;
				a->cur++;
				/* a key holds no NUL: string refuses \u0000 and raw control bytes */
				if (!(k = string(a)))
					break;
				ws(&a->cur);
				if (*a->cur != ':')
					break;
				a->cur++;
			}
			e = value(a, max);
			if (a->err)
				return v;
			slot = push(a);
			slot->k = k;
			slot->v = e;
			ws(&a->cur);
			if (*a->cur == ',') {
				a->cur++;
				continue;
			}
			if (*a->cur == (*p == '{' ? '}' : ']')) {
				a->cur++;
				return close_container(a, base, *p == '{' ? PT_OBJ : PT_ARR);
			}
			break;
		}
		a->err = 1;
		return v;
	case '"':
		a->cur = p + 1;
		v.type = PT_STR;
		if (!(v.u.s = string(a)))
			a->err = 1;
		v.n = a->slen;
		return v;
	case 't':
		if (strncmp(p, "true", 4) != 0)
			break;
		a->cur = p + 4;
		v.type = PT_TRUE;
		return v;
	case 'f':
		if (strncmp(p, "false", 5) != 0)
			break;
		a->cur = p + 5;
		v.type = PT_FALSE;
		return v;
	case 'n':
		if (strncmp(p, "null", 4) != 0)
			break;
		a->cur = p + 4;
		return v;
	default: {
		/* an integer as JSON writes it: -?(0|[1-9][0-9]*), within json_int_t */
		long long n = 0;
		int neg = *p == '-';

		if (neg)
			p++;
		if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
			break;
		for (int d = 0; *p >= '0' && *p <= '9'; p++, d++) {
			if (d == 18) {
				a->err = 1;   /* near json_int_t's limit: json_loads knows */
				return v;
			}
			n = n * 10 + (*p - '0');
		}
		if (*p == '.' || *p == 'e' || *p == 'E')
			break;
		a->cur = p;
		v.type = PT_INT;
		v.u.i = neg ? -n : n;
		return v;
	}
	}
	a->err = 1;
	return v;
}

static const struct pt *
load(struct ptarena *a, const char *text, int max, int *deep, int inplace)
{
	struct pt *root = alloc(a, sizeof *root);
	size_t base = a->nstack;

	a->depth = a->deep = a->err = 0;
	a->inplace = inplace;
	a->cur = text;
	*root = value(a, max);
	*deep = a->deep;
	a->nstack = base;
	if (a->err)
		return NULL;
	ws(&a->cur);
	return *a->cur ? NULL : root;
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
