/* libFuzzer target: arbitrary bytes as an environment file, loaded and freed.
   seeds: *.yaml *.yml */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int status;
	struct envconfig *c;

	/* ${CONF_FUZZ} expands; other names are unset, which is an error path worth covering */
	setenv("CONF_FUZZ", "postgresql://u:pw@h/db", 0);
	c = config_parse("fuzz.yaml", (const char *)data, size, &status);
	if ((c != NULL) != (status == EX_OK))
		abort();
	config_free(c);
	return 0;
}
