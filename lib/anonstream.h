#ifndef CONF_ANONSTREAM_H
#define CONF_ANONSTREAM_H

#include "anonrules.h"

// anonstream.c: conf-anon's filter over pg_dump's plain stream
/* Copy the stream of path ("-" = stdin) to stdout with the values rules name masked under key k
   (rules NULL: unchanged); EX_OK, or an exit status after a message. Output is buffered. */
int anon_stream(const char *path, struct anonrules *rules, const struct maskkey *k);
/* Write out what is buffered; -1 if a write failed. */
int anon_flush(void);
/* Whether a write failed (reading stops; finish_stdout reports the reason). */
int anon_write_failed(void);
/* Release the buffers and libpg_query's memory. */
void anon_end(void);

#endif
