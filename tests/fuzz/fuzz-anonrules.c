/* libFuzzer target: arbitrary bytes as a conf-anon rules file, loaded, every rule applied to a
   few values, and freed.
   seeds: *.yaml *.yml */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "anonrules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const values[] = { "", "alice@example.org", "+33 6 12 34 56 78", "4111 1111 1111 1111",
		"192.168.1.7/24", "2001:db8::1", "2024-02-29 10:00:00+01", "-12.50", "{\"a\": {\"b\": [\"x\", 1]}}", "h\xc3\xa9llo" };
	struct anonrules *a = anonrules_parse("fuzz.yaml", (const char *)data, size);
	struct maskkey k;
	struct buf out = { 0 };

	if (!a)
		return 0;
	mask_key_init(&k, "fuzz", 4);
	anonrules_prepare(a, &k);
	for (size_t i = 0; i < a->n && i < 16; i++)
		for (size_t j = 0; j < sizeof values / sizeof *values; j++) {
			const char *why;
			int rc = mask_value(&a->r[i].m, &k, values[j], strlen(values[j]), &out, &why);

			if (rc < 0 && !why)
				abort();
		}
	buf_free(&out);
	anonrules_free(a);
	return 0;
}
