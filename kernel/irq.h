/*
 * irq.h - interrupt lines as capabilities (docs/interrupts.md). IRQControl hands
 * out one IRQHandler per line; the handler binds its line to a
 * notification and acknowledges each interrupt.
 *
 * An interrupt masks its line and signals the bound notification; the line
 * stays masked until the driver acknowledges (IRQ_HANDLER_ACK), so a device
 * that keeps its line up cannot flood the kernel.
 */
#ifndef MICA_IRQ_H
#define MICA_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct notification;

/* Lines 1..nlines exist (the PLIC's sources). */
void irq_init(uint32_t nlines);
/* The last IRQHandler capability for line is gone: unbind and mask it; it
 * can be claimed again. */
void irq_release(uint32_t line);
/* The interrupt controller took an interrupt on line: true if a driver
 * hears of it (the line is then masked until acknowledged). */
bool irq_raise(uint32_t line);
/* A notification is destroyed: lines bound to it are unbound and masked. */
void irq_forget_notification(struct notification *n);
/* True if some line could still wake a thread: bound and unmasked (a
 * masked line waits for an acknowledgement, and only a running thread
 * can give one). */
bool irq_any_armed(void);

#endif /* MICA_IRQ_H */
