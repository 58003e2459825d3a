#include <string.h>
#include <time.h>

#include "sig.h"

static PGcancel *volatile cancel_handle;

volatile sig_atomic_t sig_caught;

void
sig_set_cancel(PGconn *c)
{
	PGcancel *old = cancel_handle;

	cancel_handle = c ? PQgetCancel(c) : NULL;
	if (old)
		PQfreeCancel(old);
}

static void
onsignal(int sig)
{
	char errbuf[256];

	sig_caught = sig;
	if (cancel_handle)
		PQcancel(cancel_handle, errbuf, sizeof errbuf);
}

void
sig_trap(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsignal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

double
clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
