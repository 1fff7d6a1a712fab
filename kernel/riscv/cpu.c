/*
 * cpu.c - the boot hart's set-up, and the small machine services generic
 * code asks for through arch.h that need no firmware: time and the backtrace
 * (sbi.c has the console, the timer and power-off).
 *
 * Every service here is one CSR access or a walk of the kernel stack;
 * anything with more logic than that belongs in generic code.
 */
#include "arch.h"
#include "csr.h"
#include "machine.h"
#include "plic.h"
#include "printk.h"

extern char kernel_stack[], kernel_stack_top[];

void arch_cpu_init(const struct machine *m, uint64_t hartid)
{
	/* User programs may read time, cycle and instret (for benchmarks). */
	CSR_WRITE(scounteren, SCOUNTEREN_CY | SCOUNTEREN_TM | SCOUNTEREN_IR);
	if (m->plic.present)
		plic_init(m->plic.base, m->plic.ndev, hartid);
	/* Interrupts stay globally off in the kernel (sstatus.SIE = 0); these
	 * bits only matter in user mode, where S-mode interrupts are always on. */
	CSR_WRITE(sie, (1ul << IRQ_S_TIMER) | (1ul << IRQ_S_EXT));
	/* Every sret goes to U-mode with interrupts on: SPP = U, SPIE = 1,
	 * and no kernel access to user pages (SUM = 0: uaccess.c walks the
	 * tables instead). A trap from U-mode sets SPP = U and SPIE = 1
	 * again (SIE was 1 there), so arch_enter_user() need not. */
	CSR_CLEAR(sstatus, SSTATUS_SPP | SSTATUS_SUM);
	CSR_SET(sstatus, SSTATUS_SPIE);
}

uint64_t arch_time_now(void)
{
	return CSR_READ(time);
}

uint64_t arch_instret(void)
{
	return CSR_READ(instret);
}

/*
 * Calls fn(depth, return address) for each frame on the kernel stack,
 * innermost first, from the frame whose pointer is fp (0: the frame of
 * arch_backtrace itself, so the first call names its caller). A panic runs
 * this on a stack that may be corrupt, so it must never fault: it trusts a
 * frame pointer only while it stays inside the kernel stack and keeps
 * growing towards its top, and stops where boot_high left fp = 0.
 */
void arch_backtrace(uint64_t fp, void (*fn)(unsigned depth, uint64_t pc))
{
	/* LAB 1 BEGIN: walk the chain of frame pointers, calling fn once per frame */
	/* LAB 1 HINT: gcc's RISC-V frame keeps the return address at fp - 8 and the caller's fp at fp - 16 */
	/* LAB 1 HINT: __builtin_frame_address(0) is your own frame; the stack is [kernel_stack, kernel_stack_top) */
	uint64_t low = (uint64_t)kernel_stack, high = (uint64_t)kernel_stack_top;
	unsigned depth;

	if (fp == 0)
		fp = (uint64_t)__builtin_frame_address(0);
	for (depth = 0; depth < 32; depth++) {
		uint64_t ra, prev;

		if (fp < low + 16 || fp > high || (fp & 7))
			return;
		ra = ((uint64_t *)fp)[-1];
		prev = ((uint64_t *)fp)[-2];
		if (ra == 0)
			return;
		fn(depth, ra);
		if (prev <= fp)
			return;
		fp = prev;
	}
	/* LAB 1 STUB: (void)fp; */
	/* LAB 1 STUB: (void)fn; */
	/* LAB 1 STUB: kprintf("lab 1: arch_backtrace not implemented\n"); */
	/* LAB 1 END */
}
