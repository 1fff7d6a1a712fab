/*
 * fmt.c - the printf engine behind fmt_print and fmt_snprint.
 *
 * Each conversion goes through two steps: parse_spec reads "%-08.3lx" into a
 * struct fmt_spec (taking * arguments on the way), then one print_* function
 * lays out the result as [spaces][prefix][zeros][body][spaces]. Every output
 * char goes through out_char, which counts it. No allocation, no recursion,
 * no floating point, and well under a kilobyte of stack even at -O0, so the
 * kernel can call it from a trap handler.
 */
#include <stdint.h>
#include "fmt.h"
#include "str.h"

enum {
	FLAG_LEFT = 1 << 0,	/* '-': pad on the right */
	FLAG_ZERO = 1 << 1,	/* '0': pad numbers with zeros */
	FLAG_PLUS = 1 << 2,	/* '+': sign even when positive */
	FLAG_SPACE = 1 << 3,	/* ' ': a space where a + would go */
	FLAG_ALT = 1 << 4,	/* '#': 0x for %x, a leading 0 for %o */
};

enum fmt_length {
	LEN_INT,
	LEN_CHAR,	/* hh */
	LEN_SHORT,	/* h */
	LEN_LONG,	/* l */
	LEN_LLONG,	/* ll */
	LEN_SIZE,	/* z */
	LEN_PTRDIFF,	/* t */
	LEN_MAX,	/* j */
};

struct fmt_spec {
	unsigned flags;
	int width;		/* minimum field width, 0 when none */
	int precision;		/* -1 when none */
	enum fmt_length length;
	char conv;		/* the conversion char, '\0' if fmt ended */
};

/* INT_MAX without <limits.h>, which freestanding lib/ code does not include. */
#define FMT_INT_MAX ((int)(~0u >> 1))
#define FMT_INT_MIN (-FMT_INT_MAX - 1)

struct fmt_out {
	struct fmt_sink *sink;
	size_t count;
};

static void out_char(struct fmt_out *out, char c)
{
	out->sink->put(out->sink, c);
	if (out->count < SIZE_MAX)
		out->count++;
}

static void out_repeat(struct fmt_out *out, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(out, c);
}

static void out_chars(struct fmt_out *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(out, s[i]);
}

/* Reads a run of decimal digits at *p, saturating at INT_MAX rather than
 * overflowing, and leaves *p after the last digit. */
static int parse_int(const char **p)
{
	int value = 0;

	while (**p >= '0' && **p <= '9') {
		int digit = **p - '0';

		if (value > (FMT_INT_MAX - digit) / 10)
			value = FMT_INT_MAX;
		else
			value = value * 10 + digit;
		(*p)++;
	}
	return value;
}

/*
 * Parses one conversion spec; fmt points just past its '%'. Takes the int
 * arguments of * width and precision from ap. Returns a pointer just past
 * the conversion char, or at the terminating nul if fmt ended inside the
 * spec (then spec->conv is '\0').
 */
static const char *parse_spec(const char *fmt, struct fmt_spec *spec, va_list *ap)
{
	spec->flags = 0;
	spec->width = 0;
	spec->precision = -1;
	spec->length = LEN_INT;

	for (;; fmt++) {
		if (*fmt == '-')
			spec->flags |= FLAG_LEFT;
		else if (*fmt == '0')
			spec->flags |= FLAG_ZERO;
		else if (*fmt == '+')
			spec->flags |= FLAG_PLUS;
		else if (*fmt == ' ')
			spec->flags |= FLAG_SPACE;
		else if (*fmt == '#')
			spec->flags |= FLAG_ALT;
		else
			break;
	}

	if (*fmt == '*') {
		int width = va_arg(*ap, int);

		fmt++;
		/* C: a negative * width is a '-' flag and a positive width. */
		if (width < 0) {
			spec->flags |= FLAG_LEFT;
			width = width == FMT_INT_MIN ? FMT_INT_MAX : -width;
		}
		spec->width = width;
	} else {
		spec->width = parse_int(&fmt);
	}

	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			int precision = va_arg(*ap, int);

			fmt++;
			/* C: a negative * precision counts as none given. */
			spec->precision = precision < 0 ? -1 : precision;
		} else {
			spec->precision = parse_int(&fmt);
		}
	}

	if (*fmt == 'h') {
		fmt++;
		spec->length = LEN_SHORT;
		if (*fmt == 'h') {
			fmt++;
			spec->length = LEN_CHAR;
		}
	} else if (*fmt == 'l') {
		fmt++;
		spec->length = LEN_LONG;
		if (*fmt == 'l') {
			fmt++;
			spec->length = LEN_LLONG;
		}
	} else if (*fmt == 'z') {
		fmt++;
		spec->length = LEN_SIZE;
	} else if (*fmt == 't') {
		fmt++;
		spec->length = LEN_PTRDIFF;
	} else if (*fmt == 'j') {
		fmt++;
		spec->length = LEN_MAX;
	}

	spec->conv = *fmt;
	return *fmt == '\0' ? fmt : fmt + 1;
}

/* Takes a signed integer argument of the size the length modifier names.
 * hh and h arguments arrive promoted to int and are narrowed back here. */
static intmax_t fetch_signed(enum fmt_length length, va_list *ap)
{
	switch (length) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		/* %zd takes the signed type of size_t's width. */
		return va_arg(*ap, ptrdiff_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/* The unsigned twin of fetch_signed. */
static uintmax_t fetch_unsigned(enum fmt_length length, va_list *ap)
{
	switch (length) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		/* %tu takes the unsigned type of ptrdiff_t's width. */
		return va_arg(*ap, size_t);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

/* Pads body (len chars) to the field width with spaces, on the side the '-'
 * flag picks. Used for %s and %c, where '0' has no meaning. */
static void print_padded(struct fmt_out *out, const struct fmt_spec *spec,
			 const char *body, size_t len)
{
	size_t width = (size_t)spec->width;
	size_t pad = width > len ? width - len : 0;

	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', pad);
	out_chars(out, body, len);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', pad);
}

/*
 * Prints value in base 8, 10 or 16 after prefix (a sign, "0x" or ""). The
 * precision is the minimum number of digits, and a zero value with
 * precision 0 prints no digits at all, as C requires.
 */
static void print_number(struct fmt_out *out, const struct fmt_spec *spec,
			 uintmax_t value, const char *prefix, unsigned base)
{
	const char *digit_chars = spec->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[sizeof(uintmax_t) * 3];	/* 22 octal digits fill 64 bits */
	size_t ndigits = 0;

	for (uintmax_t v = value; v != 0; v /= base)
		digits[ndigits++] = digit_chars[v % base];
	if (value == 0 && spec->precision != 0)
		digits[ndigits++] = '0';

	size_t precision = spec->precision < 0 ? 0 : (size_t)spec->precision;
	size_t zeros = precision > ndigits ? precision - ndigits : 0;

	/* %#o: make the first digit a 0, unless it already is one. */
	if ((spec->flags & FLAG_ALT) && base == 8 && zeros == 0 &&
	    (value != 0 || ndigits == 0))
		zeros = 1;

	size_t prefix_len = strlen(prefix);
	size_t len = prefix_len + zeros + ndigits;
	size_t width = (size_t)spec->width;
	size_t pad = width > len ? width - len : 0;

	/* The '0' flag turns padding into leading zeros, but a precision or
	 * '-' overrides it (C11 7.21.6.1). */
	if (!(spec->flags & FLAG_LEFT) && (spec->flags & FLAG_ZERO) &&
	    spec->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(spec->flags & FLAG_LEFT))
		out_repeat(out, ' ', pad);
	out_chars(out, prefix, prefix_len);
	out_repeat(out, '0', zeros);
	while (ndigits > 0)
		out_char(out, digits[--ndigits]);
	if (spec->flags & FLAG_LEFT)
		out_repeat(out, ' ', pad);
}

static void print_signed(struct fmt_out *out, const struct fmt_spec *spec, intmax_t value)
{
	/* Negate in unsigned arithmetic: -INT64_MIN does not fit in intmax_t. */
	uintmax_t magnitude = value < 0 ? -(uintmax_t)value : (uintmax_t)value;
	const char *sign = "";

	if (value < 0)
		sign = "-";
	else if (spec->flags & FLAG_PLUS)
		sign = "+";
	else if (spec->flags & FLAG_SPACE)
		sign = " ";
	print_number(out, spec, magnitude, sign, 10);
}

static void print_pointer(struct fmt_out *out, const struct fmt_spec *spec, const void *p)
{
	struct fmt_spec fixed = *spec;

	/* A fixed digit count is a precision, which also makes '0' inert. */
	fixed.precision = (int)(2 * sizeof(void *));
	fixed.conv = 'x';
	print_number(out, &fixed, (uintptr_t)p, "0x", 16);
}

static void print_string(struct fmt_out *out, const struct fmt_spec *spec, const char *s)
{
	size_t len;

	if (s == NULL)
		s = "(null)";
	/* With a precision s need not be nul-terminated: never read past it. */
	if (spec->precision >= 0)
		len = strnlen(s, (size_t)spec->precision);
	else
		len = strlen(s);
	print_padded(out, spec, s, len);
}

/* Formats one conversion whose spec text runs from start (the '%') to end. */
static void print_conversion(struct fmt_out *out, const struct fmt_spec *spec,
			     const char *start, const char *end, va_list *ap)
{
	char c;

	switch (spec->conv) {
	case 'd':
	case 'i':
		print_signed(out, spec, fetch_signed(spec->length, ap));
		break;
	case 'u':
		print_number(out, spec, fetch_unsigned(spec->length, ap), "", 10);
		break;
	case 'o':
		print_number(out, spec, fetch_unsigned(spec->length, ap), "", 8);
		break;
	case 'x':
	case 'X': {
		uintmax_t value = fetch_unsigned(spec->length, ap);
		const char *prefix = "";

		/* C: # adds 0x only to a nonzero value. */
		if ((spec->flags & FLAG_ALT) && value != 0)
			prefix = spec->conv == 'X' ? "0X" : "0x";
		print_number(out, spec, value, prefix, 16);
		break;
	}
	case 'p':
		print_pointer(out, spec, va_arg(*ap, void *));
		break;
	case 'c':
		c = (char)va_arg(*ap, int);
		print_padded(out, spec, &c, 1);
		break;
	case 's':
		print_string(out, spec, va_arg(*ap, const char *));
		break;
	case '%':
		out_char(out, '%');
		break;
	default:
		/* Unknown, or fmt ended mid-spec: show the spec as written so
		 * the mistake is visible in the output. */
		out_chars(out, start, (size_t)(end - start));
		break;
	}
}

int fmt_vprint(struct fmt_sink *sink, const char *fmt, va_list ap)
{
	struct fmt_out out = { .sink = sink, .count = 0 };
	struct fmt_spec spec;
	va_list args;

	/* Helpers take the list by pointer so that each va_arg advances it;
	 * &ap itself has the wrong type where va_list is an array type. */
	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt != '%') {
			out_char(&out, *fmt++);
			continue;
		}
		const char *start = fmt;

		fmt = parse_spec(fmt + 1, &spec, &args);
		print_conversion(&out, &spec, start, fmt, &args);
	}
	va_end(args);
	return out.count > (size_t)FMT_INT_MAX ? FMT_INT_MAX : (int)out.count;
}

int fmt_print(struct fmt_sink *sink, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vprint(sink, fmt, ap);
	va_end(ap);
	return n;
}

/* The sink behind fmt_vsnprint: stores what fits, drops the rest. */
struct buf_sink {
	struct fmt_sink sink;	/* first, so put can cast back */
	char *buf;
	size_t size;
	size_t len;		/* chars stored so far, always < size */
};

static void buf_put(struct fmt_sink *sink, char c)
{
	struct buf_sink *b = (struct buf_sink *)sink;

	if (b->len + 1 < b->size)
		b->buf[b->len++] = c;
}

int fmt_vsnprint(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = {
		.sink = { .put = buf_put },
		.buf = buf,
		.size = size,
		.len = 0,
	};
	int n = fmt_vprint(&b.sink, fmt, ap);

	if (size > 0)
		buf[b.len] = '\0';
	return n;
}

int fmt_snprint(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprint(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
