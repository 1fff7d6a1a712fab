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
	sd	x1, REGS_X(1)(sp)
	sd	x3, REGS_X(3)(sp)
	sd	x4, REGS_X(4)(sp)
	sd	x5, REGS_X(5)(sp)
	sd	x6, REGS_X(6)(sp)
	sd	x7, REGS_X(7)(sp)
	sd	x8, REGS_X(8)(sp)
	sd	x9, REGS_X(9)(sp)
	sd	x10, REGS_X(10)(sp)
	sd	x11, REGS_X(11)(sp)
	sd	x12, REGS_X(12)(sp)
	sd	x13, REGS_X(13)(sp)
	sd	x14, REGS_X(14)(sp)
	sd	x15, REGS_X(15)(sp)
	sd	x16, REGS_X(16)(sp)
	sd	x17, REGS_X(17)(sp)
	sd	x18, REGS_X(18)(sp)
	sd	x19, REGS_X(19)(sp)
	sd	x20, REGS_X(20)(sp)
	sd	x21, REGS_X(21)(sp)
	sd	x22, REGS_X(22)(sp)
	sd	x23, REGS_X(23)(sp)
	sd	x24, REGS_X(24)(sp)
	sd	x25, REGS_X(25)(sp)
	sd	x26, REGS_X(26)(sp)
	sd	x27, REGS_X(27)(sp)
	sd	x28, REGS_X(28)(sp)
	sd	x29, REGS_X(29)(sp)
	sd	x30, REGS_X(30)(sp)
	sd	x31, REGS_X(31)(sp)
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
	 * save everything on the current kernel stack for the report. */
	csrrw	sp, sscratch, sp
	addi	sp, sp, -KTRAP_SIZE
	sd	x1, 0*8(sp)
	sd	x3, 2*8(sp)
	sd	x4, 3*8(sp)
	sd	x5, 4*8(sp)
	sd	x6, 5*8(sp)
	sd	x7, 6*8(sp)
	sd	x8, 7*8(sp)
	sd	x9, 8*8(sp)
	sd	x10, 9*8(sp)
	sd	x11, 10*8(sp)
	sd	x12, 11*8(sp)
	sd	x13, 12*8(sp)
	sd	x14, 13*8(sp)
	sd	x15, 14*8(sp)
	sd	x16, 15*8(sp)
	sd	x17, 16*8(sp)
	sd	x18, 17*8(sp)
	sd	x19, 18*8(sp)
	sd	x20, 19*8(sp)
	sd	x21, 20*8(sp)
	sd	x22, 21*8(sp)
	sd	x23, 22*8(sp)
	sd	x24, 23*8(sp)
	sd	x25, 24*8(sp)
	sd	x26, 25*8(sp)
	sd	x27, 26*8(sp)
	sd	x28, 27*8(sp)
	sd	x29, 28*8(sp)
	sd	x30, 29*8(sp)
	sd	x31, 30*8(sp)
	addi	t0, sp, KTRAP_SIZE
	sd	t0, 1*8(sp)                  /* sp before the trap */
	csrr	t0, sepc
	sd	t0, 31*8(sp)
	csrr	t0, scause
	sd	t0, 32*8(sp)
	csrr	t0, stval
	sd	t0, 33*8(sp)
	mv	a0, sp
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
	ld	x1, REGS_X(1)(a0)
	ld	x2, REGS_X(2)(a0)
	ld	x3, REGS_X(3)(a0)
	ld	x4, REGS_X(4)(a0)
	ld	x5, REGS_X(5)(a0)
	ld	x6, REGS_X(6)(a0)
	ld	x7, REGS_X(7)(a0)
	ld	x8, REGS_X(8)(a0)
	ld	x9, REGS_X(9)(a0)
	ld	x11, REGS_X(11)(a0)
	ld	x12, REGS_X(12)(a0)
	ld	x13, REGS_X(13)(a0)
	ld	x14, REGS_X(14)(a0)
	ld	x15, REGS_X(15)(a0)
	ld	x16, REGS_X(16)(a0)
	ld	x17, REGS_X(17)(a0)
	ld	x18, REGS_X(18)(a0)
	ld	x19, REGS_X(19)(a0)
	ld	x20, REGS_X(20)(a0)
	ld	x21, REGS_X(21)(a0)
	ld	x22, REGS_X(22)(a0)
	ld	x23, REGS_X(23)(a0)
	ld	x24, REGS_X(24)(a0)
	ld	x25, REGS_X(25)(a0)
	ld	x26, REGS_X(26)(a0)
	ld	x27, REGS_X(27)(a0)
	ld	x28, REGS_X(28)(a0)
	ld	x29, REGS_X(29)(a0)
	ld	x30, REGS_X(30)(a0)
	ld	x31, REGS_X(31)(a0)
	ld	x10, REGS_X(10)(a0)          /* a0 last: it held the pointer */
	sret
