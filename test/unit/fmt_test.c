/*
 * fmt_test.c - host tests for lib/fmt.c.
 *
 * Most cases are checked against the host's vsnprintf: same format, same
 * arguments, same text and same return value. Each case is then re-run into
 * a malloc'd buffer of every size from 0 to its length + 1, so truncation,
 * termination and the return value are checked at every cut, and an
 * overrun shows up under -fsanitize=address. Where Mica deliberately differs
 * from glibc (%p, NULL strings, unknown conversions) the expected text is
 * written out.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include "fmt.h"

/* Formats fmt with ap into buffers of every size 0..want_len+1 and checks
 * each result against want (want_len chars, may hold a nul from %c). */
static void check_every_size(const char *want, int want_len, const char *fmt, va_list ap)
{
	for (size_t size = 0; size <= (size_t)want_len + 1; size++) {
		/* Exactly size bytes, so one byte too many trips ASan. */
		char *buf = size > 0 ? malloc(size) : NULL;
		va_list aq;

		if (size > 0)
			memset(buf, '#', size);
		va_copy(aq, ap);
		int got_len = fmt_vsnprint(buf, size, fmt, aq);
		va_end(aq);

		cr_assert_eq(got_len, want_len, "\"%s\" size %zu: returned %d, want %d",
			     fmt, size, got_len, want_len);
		if (size > 0) {
			size_t kept = size - 1 < (size_t)want_len ? size - 1 : (size_t)want_len;

			cr_assert(memcmp(buf, want, kept) == 0,
				  "\"%s\" size %zu: got \"%.*s\", want \"%.*s\"",
				  fmt, size, (int)kept, buf, (int)kept, want);
			cr_assert_eq(buf[kept], '\0', "\"%s\" size %zu: not terminated", fmt, size);
		}
		free(buf);
	}
}

/* Checks fmt_vsnprint against the host's vsnprintf for one case. */
static void check_v(const char *fmt, va_list ap)
{
	char want[512], got[512];
	va_list aq;

	va_copy(aq, ap);
	int want_len = vsnprintf(want, sizeof(want), fmt, aq);
	va_end(aq);
	cr_assert(want_len >= 0 && (size_t)want_len < sizeof(want), "case too long: %s", fmt);

	va_copy(aq, ap);
	int got_len = fmt_vsnprint(got, sizeof(got), fmt, aq);
	va_end(aq);
	cr_assert(got_len == want_len && memcmp(got, want, (size_t)want_len + 1) == 0,
		  "\"%s\": got \"%s\" (%d), want \"%s\" (%d)", fmt, got, got_len, want, want_len);

	check_every_size(want, want_len, fmt, ap);
}

static void check(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void check(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_v(fmt, ap);
	va_end(ap);
}

/* check for flag combinations that -Wformat rightly calls pointless (such as
 * "%-05d") but whose C meaning is defined and must still be honoured. */
static void check_quiet(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	check_v(fmt, ap);
	va_end(ap);
}

/* Checks fmt_snprint against a written-out expectation. Not format-checked,
 * so that it can feed deliberately bad formats. */
static void expect(const char *want, const char *fmt, ...)
{
	char got[512];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int got_len = fmt_vsnprint(got, sizeof(got), fmt, aq);
	va_end(aq);
	cr_assert_str_eq(got, want, "\"%s\"", fmt);
	cr_assert_eq(got_len, (int)strlen(want), "\"%s\": returned %d", fmt, got_len);

	check_every_size(want, got_len, fmt, ap);
	va_end(ap);
}

Test(fmt, plain_text_and_percent)
{
	check("%s", "");
	check("hello, world");
	check("%%");
	check("a%%b%%%%c");
	check("100%% sure");
	expect("", "");
}

Test(fmt, signed_decimal)
{
	check("%d", 0);
	check("%d", 1);
	check("%d", -1);
	check("%i", 42);
	check("%i", -42);
	check("%d", INT_MAX);
	check("%d", INT_MIN);
	check("[%d][%i][%d]", 7, -8, 9);
}

Test(fmt, signed_flags_width_precision)
{
	check("[%5d]", 42);
	check("[%-5d]", 42);
	check("[%05d]", 42);
	check("[%05d]", -42);
	check("[%+d]", 42);
	check("[%+d]", -42);
	check("[%+d]", 0);
	check("[% d]", 42);
	check("[% d]", -42);
	check_quiet("[%+ d]", 42);
	check("[%+5d]", 42);
	check("[%-+5d]", 42);
	check("[%+05d]", 42);
	check("[% 05d]", 42);
	check_quiet("[%-05d]", 42);
	check("[%.3d]", 7);
	check("[%.3d]", -7);
	check("[%8.3d]", -7);
	check("[%-8.3d]", 7);
	check_quiet("[%08.3d]", 7);
	check("[%.0d]", 0);
	check("[%5.0d]", 0);
	check("[%+.0d]", 0);
	check("[% .0d]", 0);
	check("[%.0d]", 1);
	check("[%1d]", 12345);
	check("[%2d]", -12345);
	check("[%.2d]", 12345);
	check("[%100d]", 1);
	check("[%-100d]", -1);
}

Test(fmt, length_modifiers)
{
	check("%hhd", 200);
	check("%hhd", -128);
	check("%hhu", 511);
	check("%hhx", 0x1ff);
	check("%hd", 70000);
	check("%hu", 70000);
	check("%hx", -1);
	check("%ld", LONG_MIN);
	check("%ld", LONG_MAX);
	check("%lu", ULONG_MAX);
	check("%lx", ULONG_MAX);
	check("%lld", LLONG_MIN);
	check("%lld", LLONG_MAX);
	check("%llu", ULLONG_MAX);
	check("%llo", ULLONG_MAX);
	check("%jd", INTMAX_MIN);
	check("%ju", UINTMAX_MAX);
	check("%zu", SIZE_MAX);
	check("%zx", (size_t)0xabc);
	check("%zd", (ptrdiff_t)-5);
	check("%td", (ptrdiff_t)-123456789);
	check("%tu", (size_t)123456789);
	check("%tx", (size_t)-1);
}

Test(fmt, int64_min_everywhere)
{
	check("%" PRId64, INT64_MIN);
	check("[%30lld]", (long long)INT64_MIN);
	check("[%-30lld]", (long long)INT64_MIN);
	check("[%030lld]", (long long)INT64_MIN);
	check("[%+lld]", (long long)INT64_MIN);
	check("[%.25lld]", (long long)INT64_MIN);
	check("[%5lld]", (long long)INT64_MIN);
	check("[%lld]", (long long)INT64_MAX);
}

Test(fmt, unsigned_conversions)
{
	check("%u", 0u);
	check("%u", UINT_MAX);
	check_quiet("[%+u][% u]", 5u, 5u);
	check("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	check("%x", 0u);
	check("[%#x][%#X]", 255u, 255u);
	check("[%#x]", 0u);
	check("[%#08x]", 255u);
	check("[%#-8x]", 255u);
	check("[%#8x]", 255u);
	check_quiet("[%08.4x]", 255u);
	check("[%.0x]", 0u);
	check("[%#.0x]", 0u);
	check("[%#.4x]", 1u);
	check("%o", 0u);
	check("%o", 8u);
	check("[%#o]", 0u);
	check("[%#o]", 8u);
	check("[%#.0o]", 0u);
	check("[%#.5o]", 8u);
	check("[%#5o]", 8u);
	check("[%#05o]", 8u);
	check("[%.0o]", 0u);
	check("[%#llo]", ULLONG_MAX);
	check("[%#llx]", ULLONG_MAX);
}

Test(fmt, chars)
{
	check("%c", 'a');
	check("[%3c]", 'a');
	check("[%-3c]", 'a');
	check("%c%c%c", 'x', 'y', 'z');
	check("%c", 256 + 'A');
	check("[%c]", '\xff');
	/* A nul char is output and counted like any other. */
	check("a%cb", '\0');
}

Test(fmt, strings)
{
	check("%s", "hello");
	check("[%10s]", "hello");
	check("[%-10s]", "hello");
	check("[%3s]", "hello");
	check("[%.3s]", "hello");
	check("[%10.3s]", "hello");
	check("[%-10.3s]", "hello");
	check("[%.0s]", "hello");
	check("[%.10s]", "hello");
	check("[%s]", "");
	check("[%5s]", "");
	check("%s and %s", "this", "that");
}

Test(fmt, precision_stops_reading_the_string)
{
	/* Not nul-terminated: reading past 3 bytes trips ASan. */
	char *raw = malloc(3);

	memcpy(raw, "abc", 3);
	check("[%.3s]", raw);
	check("[%.2s]", raw);
	check("[%5.3s]", raw);
	free(raw);
}

Test(fmt, star_width_and_precision)
{
	check("[%*d]", 5, 42);
	check("[%*d]", -5, 42);
	check("[%-*d]", 5, 42);
	check("[%-*d]", -5, 42);
	check("[%0*d]", 5, -42);
	check("[%.*d]", 3, 7);
	check("[%.*d]", -1, 7);
	check("[%.*d]", 0, 0);
	check("[%*.*d]", 8, 4, 42);
	check("[%*.*s]", -8, 2, "hello");
	check("[%.*s]", -1, "hello");
	check("[%.*s]", 3, "hello");
	check("[%*s][%d]", 4, "ab", 9);
}

Test(fmt, pointers_have_fixed_width)
{
	expect("0x0000000000000000", "%p", (void *)0);
	expect("0x0000000080200000", "%p", (void *)0x80200000);
	expect("0xffffffc000001234", "%p", (void *)(uintptr_t)0xffffffc000001234ull);
	expect("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
	expect("[  0x00000000000000ab]", "[%20p]", (void *)0xab);
	expect("[0x00000000000000ab  ]", "[%-20p]", (void *)0xab);
	expect("[0x00000000000000ab]", "[%5p]", (void *)0xab);
	expect("p=0x0000000000000010 n=3", "p=%p n=%d", (void *)0x10, 3);
}

Test(fmt, null_string)
{
	const char *volatile null = NULL;

	expect("(null)", "%s", null);
	expect("[  (null)]", "[%8s]", null);
	expect("[(null)  ]", "[%-8s]", null);
	expect("[(nu]", "[%.3s]", null);
	expect("[]", "[%.0s]", null);
}

Test(fmt, unknown_conversions_print_as_is)
{
	expect("%y", "%y");
	expect("[%5y]", "[%5y]");
	expect("%-08.3ly", "%-08.3ly");
	expect("%n", "%n");
	expect("%f", "%f");
	expect("%Lf", "%Lf");
	/* The unknown conversion takes no argument: 5 goes to the %d. */
	expect("%y 5", "%y %d", 5);
	/* A format that ends inside a conversion spec. */
	expect("abc%", "abc%");
	expect("%-", "%-");
	expect("%5", "%5");
	expect("%.", "%.");
	expect("%l", "%l");
	expect("%hh", "%hh");
	expect("7 %", "%d %", 7);
}

Test(fmt, star_consumed_by_unknown_conversion)
{
	/* The * is read before the conversion turns out unknown. */
	expect("%*y 6", "%*y %d", 5, 6);
}

Test(fmt, size_zero_and_null_buffer)
{
	cr_assert_eq(fmt_snprint(NULL, 0, "%d-%s", 12345, "abc"), 9);

	char buf[4] = "###";

	cr_assert_eq(fmt_snprint(buf, 0, "%d", 1), 1);
	cr_assert_eq(buf[0], '#', "size 0 wrote into the buffer");
	cr_assert_eq(fmt_snprint(buf, 1, "%d", 1), 1);
	cr_assert_eq(buf[0], '\0');
	cr_assert_eq(fmt_snprint(buf, sizeof(buf), "%s", "abcdef"), 6);
	cr_assert_str_eq(buf, "abc");
}

Test(fmt, large_width_is_counted_not_stored)
{
	char buf[8];

	memset(buf, '#', sizeof(buf));
	cr_assert_eq(fmt_snprint(buf, sizeof(buf), "%*d", 100000, 7), 100000);
	cr_assert_str_eq(buf, "       ");
}

/* A sink in the container style the header describes: records what it is
 * given, and keeps count of put calls independently of fmt_print. */
struct record_sink {
	struct fmt_sink sink;
	char text[64];
	size_t calls;
};

static void record_put(struct fmt_sink *sink, char c)
{
	struct record_sink *r = (struct record_sink *)sink;

	if (r->calls < sizeof(r->text) - 1)
		r->text[r->calls] = c;
	r->calls++;
}

Test(fmt, print_to_custom_sink)
{
	struct record_sink r = { .sink = { .put = record_put } };

	int n = fmt_print(&r.sink, "pid %d: %s at %p", 3, "fault", (void *)0x1000);
	const char *want = "pid 3: fault at 0x0000000000001000";

	cr_assert_eq(n, (int)strlen(want));
	cr_assert_eq(r.calls, strlen(want));
	cr_assert_str_eq(r.text, want);
}

Test(fmt, print_empty_calls_nothing)
{
	struct record_sink r = { .sink = { .put = record_put } };

	cr_assert_eq(fmt_print(&r.sink, "%s", ""), 0);
	cr_assert_eq(r.calls, 0);
}
