/*
 * irqoff.c - the longest stretch with interrupts off, in instructions
 * (instret), from the first trap on: boot is not counted. Built only into
 * make bench's build/kernel-irqoff.elf (irqoff.h). The few instructions
 * vector.S runs on each side of trap_from_user() are not counted either.
 */
#include "irqoff.h"
#include "arch.h"
#include "printk.h"

static uint64_t stretch_start, worst;

void irqoff_begin(void)
{
	stretch_start = arch_instret();
}

void irqoff_end(void)
{
	uint64_t length = arch_instret() - stretch_start;

	if (stretch_start != 0 && length > worst)
		worst = length;
}

void irqoff_report(void)
{
	kprintf("bench: worst_irq_off %lu\n", worst);
}
