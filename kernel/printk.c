/*
 * printk.c - kprintf() and panic(): how the kernel talks to a human.
 *
 * Output goes straight to the firmware console, one character at a time, so
 * it works from the first instruction of kmain() to the last one of a panic.
 * A panic prints its backtrace with function names from the kernel's own
 * symbol table (ksyms.c) and powers off, so a test run ends instead of
 * hanging. A second panic while panicking stops at once.
 */
#include "printk.h"
#include "arch.h"
#include "fmt.h"
#include "ksyms.h"

#include <stdarg.h>
#include <stdbool.h>

static void console_put(struct fmt_sink *sink, char c)
{
	(void)sink;
	arch_console_putc(c);
}

static struct fmt_sink console_sink = { .put = console_put };

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vprint(&console_sink, fmt, ap);
	va_end(ap);
}

/* Frames printed before arch_backtrace()'s first: 1 after panic_at() has
 * printed the faulting pc as #0. */
static unsigned frames_before;

/* One line of a backtrace: "  #1 0xffffffc080201234 kmain+0x5c". */
static void print_frame(unsigned depth, uint64_t pc)
{
	uint64_t offset;
	const char *name;

	depth += frames_before;
	/* A return address points after the call; look up the call itself. */
	name = ksym_lookup(depth == 0 ? pc : pc - 1, &offset);
	if (depth != 0)
		offset += 1;
	if (name)
		kprintf("  #%u %p %s+0x%lx\n", depth, (void *)pc, name, offset);
	else
		kprintf("  #%u %p ?\n", depth, (void *)pc);
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
	fmt_vprint(&console_sink, fmt, ap);
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
