/*
 * entry.S - the first instructions: from OpenSBI to kmain() in the upper half.
 *
 * OpenSBI jumps here in S-mode with the MMU off, at the physical load address,
 * a0 = hart id and a1 = physical address of the device tree. The kernel is
 * linked at its direct-map address (physical + KERNEL_DIRECT_MAP), so before
 * any C code runs we turn on a boot page table that maps RAM twice: at its
 * physical address (so the next instruction still exists) and in the upper
 * half (where the kernel is linked). kmain() later replaces it with the real
 * kernel page table. Nothing here may touch a0/a1.
 */
#include "asm.h"

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	sie, zero
	lla	t0, boot_pagetable
	srli	t0, t0, 12
	li	t1, SATP_SV39
	or	t0, t0, t1
	sfence.vma
	csrw	satp, t0
	sfence.vma

	/* Jump to the upper-half alias of boot_high. `la` would give a
	 * pc-relative (physical) address, so load the link address. */
	ld	t0, boot_high_va
	jr	t0

boot_high:
	/* Clear .bss before the stack (which lives there) is used. */
	la	t0, __bss_start
	la	t1, __bss_end
2:	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:
	la	sp, kernel_stack_top
	mv	fp, zero                     /* ends every backtrace */
	la	t0, trap_vector
	csrw	stvec, t0
	csrw	sscratch, zero               /* zero: "trap came from the kernel" */
	call	kmain
4:	wfi                                  /* kmain never returns */
	j	4b

	.section .rodata
	.balign 8
boot_high_va:
	.quad	boot_high

	/* The boot page table is data, not code: entry i is a one-GiB leaf
	 * (RWX) for physical GiB i mod 256. So the lower half maps RAM onto
	 * itself, and the instruction after the satp write still exists, and
	 * the upper half (entries 256..511) maps physical 0..256 GiB at
	 * KERNEL_DIRECT_MAP, where the kernel is linked. */
	.section .data
	.balign 4096
boot_pagetable:
	.set	gib, 0
	.rept	512
	.quad	((gib % 256) << 28) | PTE_BOOT_LEAF   /* GiB number -> PTE ppn field */
	.set	gib, gib + 1
	.endr

	/* The boot hart's kernel stack. vector.S switches to it on every trap
	 * from user mode; backtraces stop at its ends. */
	.section .bss
	.balign 16
	.globl kernel_stack, kernel_stack_top
kernel_stack:
	.space	16384
kernel_stack_top:
