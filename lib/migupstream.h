#ifndef CONF_MIGUPSTREAM_H
#define CONF_MIGUPSTREAM_H

#include <jansson.h>

#include "ledger.h"
#include "migrate.h"

/* What the -U objects need besides the records: the ledger and migrations of the run, and its options. */
struct migup {
	const struct ledger *lg;
	const struct migdir *md;
	int dry_run;            /* -n: the migrations ran and were rolled back */
	const char *target;     /* -T version, or NULL */
	const char *onmismatch; /* -W: fail, warn or ignore */
};

// migupstream.c
/* The -U object of command cmd (status, current, up, down, down-to, baseline, verify) for exit
   status rc, from the -j records the command emitted (urecs): upstream Confiture's shape, or its
   error envelope when rc is a failure that shape cannot say. Caller decrefs. */
json_t *migup_object(const struct migup *u, const char *cmd, int rc, json_t *urecs);

#endif
