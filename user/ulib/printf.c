/*
 * printf.c - xv6's printf and fprintf: format with lib/fmt.c's engine,
 * write the result to a file descriptor with write().
 *
 * Output collects in a buffer on the stack and goes out in one write() per
 * call (or per PRINTF_BUF bytes of a longer one), where xv6 writes every
 * char on its own: a line printed by one process is not cut by another's,
 * and printing costs one message to a server, not one per char. Errors of
 * write() are dropped, as xv6 drops them; printf returns nothing.
 */
#include <stdarg.h>

#include "kernel/types.h"
#include "user/user.h"
#include "fmt.h"

#define PRINTF_BUF 256

struct fd_sink {
	struct fmt_sink sink;   /* first, so fd_put can find the rest */
	int fd;
	int len;
	char buf[PRINTF_BUF];
};

static void fd_flush(struct fd_sink *s)
{
	if (s->len > 0)
		write(s->fd, s->buf, s->len);
	s->len = 0;
}

static void fd_put(struct fmt_sink *sink, char c)
{
	struct fd_sink *s = (struct fd_sink *)sink;

	s->buf[s->len++] = c;
	if (s->len == PRINTF_BUF)
		fd_flush(s);
}

static void fd_vprint(int fd, const char *fmt, va_list ap)
{
	struct fd_sink s = { .sink = { .put = fd_put }, .fd = fd, .len = 0 };

	fmt_vprint(&s.sink, fmt, ap);
	fd_flush(&s);
}

void fprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fd_vprint(fd, fmt, ap);
	va_end(ap);
}

void printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fd_vprint(1, fmt, ap);
	va_end(ap);
}
