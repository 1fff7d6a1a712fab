/*
 * plic.c - the RISC-V PLIC, as QEMU's `virt` board has it.
 *
 * Register layout (PLIC specification): a 32-bit priority per source at
 * base + 4*irq; per context, enable bits at base + 0x2000 + 0x80*ctx, and a
 * threshold and claim/complete register at base + 0x200000 + 0x1000*ctx.
 * On `virt`, hart h's S-mode context is 2h + 1. A source with priority 0
 * never interrupts, so every line starts masked that way. A line is
 * unmasked only for a driver that bound it (irq.c), which hears of each
 * interrupt through its notification.
 */
#include "plic.h"
#include "arch.h"
#include "irq.h"
#include "printk.h"

#define PLIC_PRIORITY(irq)    (4 * (irq))
#define PLIC_ENABLE(ctx)      (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx)   (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)       (0x200000 + 0x1000 * (ctx) + 4)

static volatile uint8_t *plic_regs;
static uint64_t plic_context;

static volatile uint32_t *plic_reg(uint64_t offset)
{
	return (volatile uint32_t *)(plic_regs + offset);
}

void plic_init(uint64_t base, uint32_t ndev, uint64_t hartid)
{
	uint32_t irq;

	plic_regs = pa_to_kva(base);
	plic_context = 2 * hartid + 1;
	for (irq = 1; irq <= ndev; irq++) {
		*plic_reg(PLIC_PRIORITY(irq)) = 0;
		arch_irq_mask(irq);
	}
	*plic_reg(PLIC_THRESHOLD(plic_context)) = 0;
}

void arch_irq_mask(uint32_t irq)
{
	*plic_reg(PLIC_ENABLE(plic_context) + 4 * (irq / 32)) &= ~(1u << (irq % 32));
}

void arch_irq_unmask(uint32_t irq)
{
	*plic_reg(PLIC_PRIORITY(irq)) = 1;
	*plic_reg(PLIC_ENABLE(plic_context) + 4 * (irq / 32)) |= 1u << (irq % 32);
}

/* Claim each pending line and complete it at once: irq_raise() has masked
 * it, so it cannot come back before the driver acknowledges. */
void plic_handle(void)
{
	uint32_t irq;

	while ((irq = *plic_reg(PLIC_CLAIM(plic_context))) != 0) {
		if (!irq_raise(irq)) {
			kprintf("mica: interrupt %u has no handler; masking it\n", irq);
			arch_irq_mask(irq);
		}
		*plic_reg(PLIC_CLAIM(plic_context)) = irq;
	}
}
