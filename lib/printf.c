/*
 * printf.c - user-space printf on top of fmt.c and the debug_write call
 * (or whatever output printf_set_output() names).
 *
 * Buffering per line keeps one program's line from being interleaved with
 * another's, and costs one system call per line instead of per character.
 */
#include "printf.h"
#include "fmt.h"
#include "sys.h"

struct line_sink {
	struct fmt_sink sink;    /* first, so the callback can find the rest */
	char buf[128];
	unsigned len;
};

/* Where finished lines go: the kernel's debug console unless a program
 * has a console server (printf_set_output). */
static int (*printf_output)(void *ctx, const void *buf, size_t len);
static void *printf_output_ctx;

void printf_set_output(int (*output)(void *ctx, const void *buf, size_t len), void *ctx)
{
	printf_output = output;
	printf_output_ctx = ctx;
}

static void line_flush(struct line_sink *ls)
{
	if (ls->len > 0 && printf_output)
		printf_output(printf_output_ctx, ls->buf, ls->len);
	else if (ls->len > 0)
		debug_write(ls->buf, ls->len);
	ls->len = 0;
}

static void line_put(struct fmt_sink *sink, char c)
{
	struct line_sink *ls = (struct line_sink *)sink;

	ls->buf[ls->len++] = c;
	if (c == '\n' || ls->len == sizeof(ls->buf))
		line_flush(ls);
}

int vprintf(const char *fmt, va_list ap)
{
	struct line_sink ls = { .sink = { .put = line_put }, .len = 0 };
	int n = fmt_vprint(&ls.sink, fmt, ap);

	line_flush(&ls);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
