/*
 * printk.c - kprintf() and panic(): how the kernel talks to a human.
 *
 * The kernel formats only what it prints itself (printk.h lists the
 * conversions); user programs have the full printf of lib/fmt.c.
 * Output goes straight to the firmware console, one character at a time, so
 * it works from the first instruction of kmain() to the last one of a panic.
 * A panic prints its backtrace with function names from the kernel's own
 * symbol table (ksyms.c) and powers off, so a test run ends instead of
 * hanging. A second panic while panicking stops at once.
 */
#include "printk.h"
#include "arch.h"
#include "ksyms.h"

#include <stdarg.h>
#include <stdbool.h>

static void print_string(const char *s)
{
	for (s = s ? s : "(null)"; *s != '\0'; s++)
		arch_console_putc(*s);
}

/* v in base 10 or 16, at least min_digits digits (with leading zeros). */
static void print_number(uint64_t v, unsigned base, int min_digits)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0 || n < min_digits);
	while (n > 0)
		arch_console_putc(digits[--n]);
}

/* The conversions the kernel uses (printk.h); anything else prints as
 * written, so a mistake shows in the output. */
static void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt != '\0'; fmt++) {
		const char *spec = fmt;
		bool wide = fmt[1] == 'l';
		int64_t d;

		if (*fmt != '%') {
			arch_console_putc(*fmt);
			continue;
		}
		fmt += wide ? 2 : 1;
		switch (*fmt) {
		case 'd':
			d = wide ? va_arg(ap, long) : va_arg(ap, int);
			if (d < 0)
				arch_console_putc('-');
			print_number(d < 0 ? -(uint64_t)d : (uint64_t)d, 10, 1);
			break;
		case 'u':
		case 'x':
			print_number(wide ? va_arg(ap, unsigned long) : va_arg(ap, unsigned),
				     *fmt == 'u' ? 10 : 16, 1);
			break;
		case 'p':
			print_string("0x");
			print_number((uintptr_t)va_arg(ap, void *), 16, 16);
			break;
		case 's':
			print_string(va_arg(ap, const char *));
			break;
		case '%':
			arch_console_putc('%');
			break;
		default:
			while (spec < fmt)
				arch_console_putc(*spec++);
			if (*fmt == '\0')
				return;
			arch_console_putc(*fmt);
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

/* Frames printed before arch_backtrace()'s first: 1 after panic_at() has
 * printed the faulting pc as #0. */
static unsigned frames_before;

/* One line of a backtrace: "  #1 0xffffffc080201234 kmain+0x5c". */
static void print_frame(unsigned depth, uint64_t pc)
{
	/* Frame n of the whole backtrace. Every frame but #0 is a return
	 * address, which points after the call: look up the call itself. */
	unsigned n = depth + frames_before, after_call = n != 0;
	uint64_t offset;
	const char *name = ksym_lookup(pc - after_call, &offset);

	if (name)
		kprintf("  #%u %p %s+0x%lx\n", n, (void *)pc, name, offset + after_call);
	else
		kprintf("  #%u %p ?\n", n, (void *)pc);
}

static bool panicking;

/* The common tail of panic() and panic_at(): the message, the backtrace
 * (from pc and fp if given, else from the caller), and power-off. */
static void __attribute__((noreturn)) panic_report(uint64_t pc, uint64_t fp, const char *fmt,
							 va_list ap)
{
	if (panicking) {
		kprintf("panic: nested panic, stopping\n");
		arch_poweroff(true);
	}
	panicking = true;
	kprintf("\npanic: ");
	kvprintf(fmt, ap);
	kprintf("\nbacktrace:\n");
	frames_before = 0;
	if (pc != 0) {
		print_frame(0, pc);
		frames_before = 1;
	}
	arch_backtrace(fp, print_frame);
	arch_poweroff(true);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_report(0, 0, fmt, ap);
}

void panic_at(uint64_t pc, uint64_t fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_report(pc, fp, fmt, ap);
}
