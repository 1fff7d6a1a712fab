/*
 * printk.h - kernel console output and panic.
 *
 * kprintf() writes to the early console (SBI) and may be called anywhere,
 * at any time, with interrupts off. panic() is for broken kernel invariants
 * only: never call it for something user space did (return an error code).
 * Formats, the ones the kernel uses: %d %u %x, each with l for a long, %p
 * (0x and 16 hex digits), %s (NULL prints "(null)") and %%; no %c, flags,
 * widths or precisions. Any other conversion is printed as it stands and
 * takes no argument.
 */
#ifndef MICA_PRINTK_H
#define MICA_PRINTK_H

#include <stdint.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "panic: <message>", a symbolized backtrace of the caller, and power
 * the machine off reporting failure. */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The same for a fault the kernel took itself: the backtrace starts at the
 * faulting pc and frame pointer saved by the trap. */
void panic_at(uint64_t pc, uint64_t fp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

#define ASSERT(cond) do {                                                     \
	if (!(cond))                                                          \
		panic("%s:%d: assertion failed: %s", __FILE__, __LINE__, #cond); \
} while (0)

#endif /* MICA_PRINTK_H */
