/*
 * fmt.h - printf-style formatting for the kernel, servers and programs.
 *
 * One engine, fmt_vprint, formats into a sink: a struct with a put function
 * that receives one char at a time. The console, a log ring or an IPC buffer
 * each define their own sink by embedding struct fmt_sink in a larger struct
 * and recovering it in put (see below); fmt_snprint is the sink for a plain
 * char buffer. Supported: %d %i %u %x %X %o %c %s %p %%, the flags - 0 + space
 * #, width and precision as digits or *, and the length modifiers hh h l ll z
 * t j. There is no floating point. Never pass a format string that came from
 * outside the program: always a literal, so -Wformat can check every call.
 */
#ifndef MICA_FMT_H
#define MICA_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A destination for formatted output. Embed it as the first member of your
 * own struct and cast back inside put:
 *
 *	struct uart_sink { struct fmt_sink sink; int port; };
 *	static void uart_put(struct fmt_sink *s, char c)
 *	{
 *		struct uart_sink *u = (struct uart_sink *)s;
 *		...
 *	}
 *
 * put cannot fail: a sink that can run out of room drops chars itself.
 */
struct fmt_sink {
	void (*put)(struct fmt_sink *sink, char c);
};

/*
 * fmt_vprint formats fmt with the arguments in ap and hands every char to
 * sink->put, in order. Returns the number of chars handed over (saturated at
 * INT_MAX). Quirks, all deliberate:
 *  - %p prints 0x and a fixed 16 hex digits (2 per pointer byte), so that
 *    kernel addresses line up in columns; NULL prints 0x0000000000000000.
 *  - %s of NULL prints "(null)" (cut by the precision, like any string).
 *  - An unknown conversion such as %y, %n or %f is printed as it stands
 *    ("%y") and consumes no argument, so the arguments after it shift.
 */
int fmt_vprint(struct fmt_sink *sink, const char *fmt, va_list ap);

/* fmt_print is fmt_vprint with the arguments inline. */
int fmt_print(struct fmt_sink *sink, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * fmt_vsnprint formats into buf, which holds size bytes, with C snprintf
 * semantics: at most size - 1 chars are stored and buf is always
 * nul-terminated when size > 0; with size 0 buf is not touched and may be
 * NULL. Returns the length the full output would have (saturated at
 * INT_MAX), so a result >= size means the output was truncated.
 */
int fmt_vsnprint(char *buf, size_t size, const char *fmt, va_list ap);

/* fmt_snprint is fmt_vsnprint with the arguments inline. */
int fmt_snprint(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MICA_FMT_H */
