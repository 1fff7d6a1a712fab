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
	csrw	satp, zero

	/* The boot page table: 256 one-GiB leaves (RWX) cover physical
	 * 0..256 GiB at KERNEL_DIRECT_MAP, entries 256..511. */
	lla	t0, boot_pagetable
	li	t1, PTE_BOOT_LEAF            /* ppn 0 | V R W X A D */
	li	t2, (1 << 28)                /* one GiB, as a PTE ppn field */
	li	t3, 256 * 8
	add	t3, t3, t0
	li	t4, 512 * 8
	add	t4, t4, t0
1:	sd	t1, 0(t3)
	add	t1, t1, t2
	addi	t3, t3, 8
	bltu	t3, t4, 1b

	/* One more leaf maps the GiB we are running in onto itself. */
	lla	t1, _start
	srli	t1, t1, 30                   /* its index in the root table */
	slli	t2, t1, 3
	add	t2, t2, t0
	slli	t1, t1, 28                   /* GiB number -> PTE ppn field */
	ori	t1, t1, PTE_BOOT_LEAF
	sd	t1, 0(t2)

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

	.section .data
	.balign 4096
	.globl boot_pagetable
boot_pagetable:
	.space	4096

	/* The boot hart's kernel stack. vector.S switches to it on every trap
	 * from user mode; backtraces stop at its ends. */
	.section .bss
	.balign 16
	.globl kernel_stack, kernel_stack_top
kernel_stack:
	.space	16384
kernel_stack_top:
