/*
 * irq.h - interrupt lines as capabilities: IRQControl hands out one
 * IRQHandler per line (DESIGN §4.4). Binding a line to a notification and
 * acknowledging it come with the IPC work.
 */
#ifndef MICA_IRQ_H
#define MICA_IRQ_H

#include <stdint.h>

/* Lines 1..nlines exist (the PLIC's sources). */
void irq_init(uint32_t nlines);
/* The last IRQHandler capability for line is gone: it can be claimed again. */
void irq_release(uint32_t line);

#endif /* MICA_IRQ_H */
