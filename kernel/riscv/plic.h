/*
 * plic.h - the platform-level interrupt controller, which the kernel owns.
 *
 * Devices' interrupts arrive through it as one S-mode external interrupt.
 * plic_handle() claims each pending line, passes it to irq_raise() and
 * completes it. Masking and unmasking are arch_irq_mask/unmask (arch.h).
 */
#ifndef MICA_PLIC_H
#define MICA_PLIC_H

#include <stdint.h>

/* Take over the PLIC at physical address base (through the kernel's direct
 * map) with ndev sources, for this hart's S-mode context; every line masked. */
void plic_init(uint64_t base, uint32_t ndev, uint64_t hartid);
void plic_handle(void);

#endif /* MICA_PLIC_H */
