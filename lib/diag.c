#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *prog = "conf";

void
diag_init(const char *argv0)
{
	const char *s = strrchr(argv0, '/');

	prog = s ? s + 1 : argv0;
}

const char *
diag_prog(void)
{
	return prog;
}

void
vwarnat(const struct srcpos *pos, const char *fmt, va_list ap)
{
	/* one fprintf per line so that messages of concurrent tools do not interleave */
	char msg[4096];
	char where[1024] = "";

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (pos && pos->file) {
		if (pos->line > 0 && pos->col > 0)
			snprintf(where, sizeof where, "%s:%ld:%ld: ", pos->file, pos->line, pos->col);
		else if (pos->line > 0)
			snprintf(where, sizeof where, "%s:%ld: ", pos->file, pos->line);
		else
			snprintf(where, sizeof where, "%s: ", pos->file);
	}
	fprintf(stderr, "%s: %s%s\n", prog, where, msg);
}

void
warnat(const struct srcpos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(pos, fmt, ap);
	va_end(ap);
}

void
warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(NULL, fmt, ap);
	va_end(ap);
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnat(NULL, fmt, ap);
	va_end(ap);
	exit(code);
}

void
usage(const char *text)
{
	fprintf(stderr, "%s: usage: %s\n", prog, text);
	exit(EX_CONFIG);
}

long
opt_number(int opt, const char *arg, long min, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min)
		die(EX_CONFIG, "-%c wants %s, not %s", opt, what, arg);
	return v;
}

/* Why writing standard output failed, kept from the call that failed: glibc drops the buffer of a
   failed fflush, so a later fclose succeeds and errno by then says something else. */
static int out_errno;

int
flush_stdout(void)
{
	if (fflush(stdout) == 0)
		return 0;
	if (!out_errno)
		out_errno = errno;
	return -1;
}

void
finish_stdout(void)
{
	int bad = ferror(stdout), err = out_errno;

	if (fflush(stdout) != 0 && !err)
		err = errno;
	if (fclose(stdout) != 0 && !err)
		err = errno;
	if (err)
		die(EX_FAIL, "error writing output: %s", strerror(err));
	if (bad)
		die(EX_FAIL, "error writing output"); /* the reason was not kept: say none rather than a wrong one */
}
