/*
 * vector.S - the way into the kernel (trap_vector) and back out to a user
 * thread (trap_return_to_user).
 *
 * The kernel runs with interrupts off and has one kernel stack per hart; a
 * user thread has no kernel stack of its own, only its saved registers
 * (seL4's model). sscratch tells the two kinds of trap apart:
 *  - in user mode, sscratch = &thread->regs, where the trap saves registers;
 *  - in the kernel, sscratch = 0, and a trap means a kernel fault.
 * trap_from_user() never returns: it leaves through trap_return_to_user().
 */
#include "asm.h"

	.section .text
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	sp, sscratch, sp
	beqz	sp, from_kernel

	/* From user mode: sp = &regs, sscratch = the user's sp. */
	/* Every register but sp (x2, in sscratch) and x0. */
	.irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, REGS_X(\n)(sp)
	.endr
	csrr	t0, sscratch
	sd	t0, REGS_X(2)(sp)
	csrr	t0, sepc
	sd	t0, REGS_PC(sp)
	csrw	sscratch, zero

	mv	a0, sp
	ld	sp, REGS_KERNEL_SP(a0)
	mv	fp, zero                     /* a backtrace stops here */
	call	trap_from_user               /* does not return */
1:	j	1b

from_kernel:
	/* A trap while in the kernel: put sp back (sscratch = 0 again) and
	 * report. Nothing resumes, so nothing is saved: the report needs the
	 * trap CSRs, which are still there, and for its backtrace the frame
	 * pointer of the code that faulted. */
	csrrw	sp, sscratch, sp
	mv	a0, fp
	call	trap_from_kernel             /* panics: the kernel never faults on purpose */
2:	j	2b

/*
 * trap_return_to_user(struct arch_regs *regs): load the thread's registers
 * and sret to regs->pc. The caller has set sstatus (SPP = U, SPIE = 1) and
 * satp. sscratch = regs, so the next trap saves into the same place.
 */
	.globl trap_return_to_user
trap_return_to_user:
	csrw	sscratch, a0
	ld	t0, REGS_PC(a0)
	csrw	sepc, t0
	.irp n, 1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, REGS_X(\n)(a0)
	.endr
	ld	x10, REGS_X(10)(a0)          /* a0 last: it held the pointer */
	sret
