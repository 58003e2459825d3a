#include <stdio.h>

#include "diag.h"
#include "jsonl.h"

size_t
utf8_seq(const unsigned char *p)
{
	size_t n = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] <= 0xDF ? 2 : p[0] >= 0xE0 && p[0] <= 0xEF ? 3
	    : p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : 0;
	unsigned char lo = p[0] == 0xE0 ? 0xA0 : p[0] == 0xF0 ? 0x90 : 0x80;
	unsigned char hi = p[0] == 0xED ? 0x9F : p[0] == 0xF4 ? 0x8F : 0xBF;

	if (n > 1 && (p[1] < lo || p[1] > hi))
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

json_t *
jsonl_str(const char *s)
{
	struct buf b = { 0 };
	json_t *j;

	if (!s)
		return json_null();
	buf_puts(&b, "");
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq(p);

		if (n) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_printf(&b, "\\x%02x", *p++);
		}
	}
	j = json_string(b.data);
	buf_free(&b);
	return j;
}

static int buffered;

void
jsonl_buffered(int on)
{
	buffered = on;
}

void
jsonl_put(json_t *o)
{
	if (!o)
		die(EX_FAIL, "internal error: cannot build a JSON record");
	json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
	putchar('\n');
	/* buffered, a write that failed when the buffer filled is flushed again at once: the bytes
	   still pending fail the same way, and flush_stdout keeps that reason for finish_stdout */
	if (!buffered || ferror(stdout))
		flush_stdout();
	json_decref(o);
}

/* The bytes a JSON string holds as they are: printable ASCII but '"' and '\\' (a table: this
   loop runs over every byte of every statement conf-parse writes). */
static const unsigned char plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

void
jsonl_write_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	if (!s) {
		fputs_unlocked("null", stdout);
		return;
	}
	putchar_unlocked('"');
	/* runs of bytes written as they are go out in one fwrite */
	while (*p) {
		size_t n;

		while (plain[*p])
			p++;
		if (!*p)
			break;
		if (*p >= 0x80 && (n = utf8_seq(p)) > 0) {
			p += n;
			continue;
		}
		fwrite_unlocked(run, 1, (size_t)(p - run), stdout);
		switch (*p) {
		case '"': fputs_unlocked("\\\"", stdout); break;
		case '\\': fputs_unlocked("\\\\", stdout); break;
		case '\b': fputs_unlocked("\\b", stdout); break;
		case '\f': fputs_unlocked("\\f", stdout); break;
		case '\n': fputs_unlocked("\\n", stdout); break;
		case '\r': fputs_unlocked("\\r", stdout); break;
		case '\t': fputs_unlocked("\\t", stdout); break;
		default:
			/* a control character as jansson writes it; a byte that is not UTF-8 as jsonl_str
			   writes it (\xHH), its backslash escaped */
			if (*p < 0x20)
				printf("\\u%04X", *p);
			else
				printf("\\\\x%02x", *p);
		}
		run = ++p;
	}
	fwrite_unlocked(run, 1, (size_t)(p - run), stdout);
	putchar_unlocked('"');
}

void
jsonl_end(void)
{
	putchar('\n');
	if (!buffered || ferror(stdout))
		flush_stdout();
}

int
utf8_valid(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq(p);

		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

char *
esc_name(const char *s)
{
	struct buf b = { 0 };

	buf_puts(&b, "");
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq(p);

		if (n && *p >= 0x20 && *p != 0x7f) {
			buf_add(&b, p, n);
			p += n;
		} else {
			buf_printf(&b, "\\x%02X", *p++);
		}
	}
	return b.data;
}

void
jsonl_sort(json_t *a, int (*cmp)(const void *, const void *))
{
	size_t n = json_array_size(a);
	json_t **v;

	if (n < 2)
		return;
	v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof *v, cmp);
	json_array_clear(a);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}
