#ifndef CONF_SORTOUT_H
#define CONF_SORTOUT_H

/* An SQL stream rewritten in dependency order: statement units (a statement with its leading
   comments, a COPY with its data, a psql line), markers with line=N before a unit that moved,
   the session settings each statement had replayed before it, FOREIGN KEY clauses of a cycle
   moved into ALTER TABLE (pg_dump's way). */
struct sortin;

// sortout.c
/* A new, empty set of inputs. */
struct sortin *sortin_new(void);
/* Free it and everything read into it. */
void sortin_free(struct sortin *S);
/* Read one input (path, "-" = stdin; ninputs: how many there are) into units; EX_OK or the
   status of what went wrong (reported: a statement that does not parse, a cut stream). */
int sortin_read(struct sortin *S, const char *path, int ninputs);
/* Write the units read, in dependency order, to oflag (NULL: stdout) as write_out does; EX_OK,
   EX_SCHEMA after reporting a cycle nothing breaks, or write_out's status. */
int sortin_write(struct sortin *S, const char *oflag);

#endif
