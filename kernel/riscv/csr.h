/*
 * csr.h - RISC-V control and status registers used by the kernel, by name.
 *
 * Only kernel/riscv/ includes this file: generic kernel code never touches a
 * CSR directly, it calls the functions in arch.h. Bit layouts are from the
 * RISC-V privileged specification (version 1.12).
 */
#ifndef MICA_CSR_H
#define MICA_CSR_H

#include <stdint.h>

#define CSR_READ(name) ({                                               \
	uint64_t csr_value_;                                            \
	__asm__ volatile("csrr %0, " #name : "=r"(csr_value_));          \
	csr_value_;                                                     \
})
/* csrw, csrs (set bits), csrc (clear bits) of one value into CSR name. */
#define CSR_OP(insn, name, value) do {                                   \
	__asm__ volatile(insn " " #name ", %0" : : "rK"((uint64_t)(value)) : "memory"); \
} while (0)
#define CSR_WRITE(name, value) CSR_OP("csrw", name, value)
#define CSR_SET(name, bits)    CSR_OP("csrs", name, bits)
#define CSR_CLEAR(name, bits)  CSR_OP("csrc", name, bits)

/* sstatus */
#define SSTATUS_SPIE  (1ul << 5)   /* SIE to restore on sret */
#define SSTATUS_SPP   (1ul << 8)   /* mode sret returns to: 1 = S, 0 = U */
#define SSTATUS_SUM   (1ul << 18)  /* S-mode may touch U pages (kept 0) */

/* sie / sip: interrupt enable and pending bits, by scause code */
#define IRQ_S_TIMER   5
#define IRQ_S_EXT     9

/* scause: the top bit says interrupt, the rest is the code (the exception
 * codes by name: fault_cause_name in lib/errors.c) */
#define SCAUSE_INTERRUPT (1ul << 63)
#define EXC_ECALL_U      8

/* satp: Sv39 mode, address-space id, root page-table page number */
#define SATP_MODE_SV39  (8ul << 60)
#define SATP_ASID_SHIFT 44

/* scounteren: which counters U-mode may read */
#define SCOUNTEREN_CY (1u << 0)
#define SCOUNTEREN_TM (1u << 1)
#define SCOUNTEREN_IR (1u << 2)

static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" : : : "memory");
}

#endif /* MICA_CSR_H */
