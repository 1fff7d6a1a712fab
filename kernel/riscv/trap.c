/*
 * trap.c - what happens after vector.S: decide what a trap was and send it on.
 *
 * From user mode: a system call goes to the IPC fast path or to
 * syscall_dispatch(), an interrupt to the clock or the PLIC, any other
 * exception is the thread's fault: a message to its fault endpoint
 * (ipc_fault), or with none, a one-line report and the thread stops.
 * Every path ends in sched_resume(): trap_from_user() never returns.
 * From the kernel: only an exception can arrive (the kernel runs with
 * interrupts off), and it means a kernel bug, so it panics with a backtrace.
 */
#include "arch.h"
#include "asm.h"
#include "clock.h"
#include "csr.h"
#include "errors.h"
#include "ipc.h"
#include "plic.h"
#include "printk.h"
#include "syscall.h"
#include "syscalls.h"
#include "thread.h"

#include <stddef.h>

_Static_assert(offsetof(struct arch_regs, pc) == REGS_PC, "vector.S REGS_PC");
_Static_assert(offsetof(struct arch_regs, kernel_sp) == REGS_KERNEL_SP, "vector.S REGS_KERNEL_SP");
_Static_assert(sizeof(struct arch_regs) == REGS_SIZE, "vector.S REGS_SIZE");
_Static_assert(offsetof(struct thread, regs) == 0, "sscratch points at thread->regs");

void trap_from_user(struct arch_regs *regs) __attribute__((noreturn));
void trap_from_kernel(uint64_t fp) __attribute__((noreturn));
void trap_return_to_user(struct arch_regs *regs) __attribute__((noreturn));

extern char kernel_stack_top[];

/* Handle one interrupt, by scause code. */
static void trap_interrupt(uint64_t code)
{
	switch (code) {
	case IRQ_S_TIMER:
		clock_tick();
		break;
	case IRQ_S_EXT:
		plic_handle();
		break;
	default:
		kprintf("mica: unexpected interrupt %lu ignored\n", code);
		CSR_CLEAR(sip, 1ul << code);
		break;
	}
}

/* A user fault (for an unknown system call, addr is its number). */
static void trap_fault(struct thread *t, uint64_t cause, uint64_t addr)
{
	if (!ipc_fault(t, cause, addr))
		thread_kill(t, cause == EXC_ECALL_U ? "unknown system call" :
			    fault_cause_name(cause), addr, t->regs.pc);
}

void trap_from_user(struct arch_regs *regs)
{
	struct thread *t = thread_current();
	uint64_t cause = CSR_READ(scause);

	ASSERT(regs == &t->regs);
	if (cause & SCAUSE_INTERRUPT) {
		trap_interrupt(cause & ~SCAUSE_INTERRUPT);
	} else if (cause == EXC_ECALL_U) {
		regs->pc += 4;         /* resume after the ecall */
		if (regs->x[REG_A7] == SYS_CALL || regs->x[REG_A7] == SYS_REPLY_RECV)
			fastpath(t);   /* returns only if it does not apply */
		if (!syscall_dispatch(t))
			trap_fault(t, cause, regs->x[REG_A7]);
	} else {
		trap_fault(t, cause, CSR_READ(stval));
	}
	sched_resume();
}

void arch_wait_for_interrupt(void)
{
	uint64_t pending;

	__asm__ volatile("wfi");
	pending = CSR_READ(sip) & CSR_READ(sie);
	if (pending & (1ul << IRQ_S_TIMER))
		trap_interrupt(IRQ_S_TIMER);
	if (pending & (1ul << IRQ_S_EXT))
		trap_interrupt(IRQ_S_EXT);
}

/* fp: the frame pointer of the code that faulted (vector.S). */
void trap_from_kernel(uint64_t fp)
{
	uint64_t scause = CSR_READ(scause), sepc = CSR_READ(sepc);

	if (scause & SCAUSE_INTERRUPT)
		panic("interrupt %lu while the kernel had interrupts off",
		      scause & ~SCAUSE_INTERRUPT);
	panic_at(sepc, fp, "kernel fault: %s at address %p, pc %p", fault_cause_name(scause),
		 (void *)CSR_READ(stval), (void *)sepc);
}

void arch_regs_init_user(struct arch_regs *regs, uaddr_t pc, uaddr_t sp, uint64_t arg)
{
	/* kernel_sp stays 0: arch_enter_user() sets it. */
	*regs = (struct arch_regs){ .pc = pc, .x[REG_SP] = sp, .x[REG_A0] = arg };
}

void arch_enter_user(struct arch_regs *regs, const struct vspace *vs)
{
	uint64_t satp = SATP_MODE_SV39 | ((uint64_t)vs->asid << SATP_ASID_SHIFT) |
			(vs->root >> PAGE_SHIFT);

	/* Kernel pages are global and every ASID is used by one address
	 * space only, so no flush is needed here. */
	if (CSR_READ(satp) != satp)
		CSR_WRITE(satp, satp);
	/* sstatus is already right for sret to U-mode (arch_cpu_init). */
	regs->kernel_sp = (uint64_t)kernel_stack_top;
	trap_return_to_user(regs);
}
