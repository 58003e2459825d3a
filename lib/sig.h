#ifndef CONF_SIG_H
#define CONF_SIG_H

#include <libpq-fe.h>
#include <signal.h>

/* The signal that interrupted the run (SIGINT or SIGTERM), 0 if none. */
extern volatile sig_atomic_t sig_caught;

// sig.c
/* On SIGINT and SIGTERM: note the signal and cancel the running query. No SA_RESTART,
   so a blocking read or wait returns EINTR and the caller can look at sig_caught. */
void sig_trap(void);
/* Register the connection whose query SIGINT and SIGTERM cancel (NULL to forget it). */
void sig_set_cancel(PGconn *c);
/* A monotonic clock, in milliseconds. */
double clock_ms(void);

#endif
