/* libFuzzer target: arbitrary bytes as COPY text fields, a COPY line and SQL lines. A field that
   decodes must encode back to a form that decodes to the same bytes.
   seeds: *.sql *.copy */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "copytext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct buf a = { 0 }, b = { 0 }, c = { 0 };
	struct copyhdr h;
	struct sqlscan s;
	int k = copy_decode(p, size, &a);

	if (k == 0) {
		copy_encode(&b, a.data, a.len);
		if (memchr(b.data, '\t', b.len) || memchr(b.data, '\n', b.len))
			abort();
		if (copy_decode(b.data, b.len, &c) != 0 || c.len != a.len || memcmp(c.data, a.data, a.len) != 0)
			abort();
	}
	if (copy_header(p, size, &h) == 0) {
		if (!h.table)
			abort();
		copyhdr_free(&h);
	}
	sqlscan_init(&s);
	for (size_t i = 0; i < size;) {
		const char *nl = memchr(p + i, '\n', size - i);
		size_t n = nl ? (size_t)(nl - p - i) + 1 : size - i;

		sqlscan_line(&s, p + i, n);
		i += n;
	}
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	return 0;
}
