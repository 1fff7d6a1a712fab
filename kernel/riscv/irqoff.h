/*
 * irqoff.h - counting the longest stretch the kernel runs with interrupts
 * off, for `make bench` only (worst_irq_off).
 *
 * trap.c marks where a stretch begins (a trap from user mode, waking from
 * wfi) and ends (entering user mode, going to sleep in wfi); arch_poweroff()
 * reports. The kernel `make bench` boots for the figure is built with
 * MICA_IRQOFF_STATS and irqoff.c; every other kernel gets these empty
 * stubs, which cost nothing.
 */
#ifndef MICA_IRQOFF_H
#define MICA_IRQOFF_H

#ifdef MICA_IRQOFF_STATS
void irqoff_begin(void);
void irqoff_end(void);
/* Print "bench: worst_irq_off N", N in instructions. */
void irqoff_report(void);
#else
static inline void irqoff_begin(void) {}
static inline void irqoff_end(void) {}
static inline void irqoff_report(void) {}
#endif

#endif /* MICA_IRQOFF_H */
