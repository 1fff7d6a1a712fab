/*
 * asm.h - constants shared by the assembly files of kernel/riscv/.
 *
 * Offsets here must match struct arch_regs in arch.h; trap.c checks them
 * with static assertions so a mismatch fails the build.
 */
#ifndef MICA_ASM_H
#define MICA_ASM_H

#define PTE_BOOT_LEAF  0xcf           /* V | R | W | X | A | D */
#define SATP_SV39      (8 << 60)

#define REGS_X(n)      ((n) * 8)      /* struct arch_regs.x[n] */
#define REGS_PC        (32 * 8)       /* struct arch_regs.pc */
#define REGS_KERNEL_SP (33 * 8)       /* struct arch_regs.kernel_sp */
#define REGS_SIZE      (34 * 8)

#endif /* MICA_ASM_H */
