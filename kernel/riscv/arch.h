/*
 * arch.h - everything generic kernel code may ask of the processor.
 *
 * Generic code in kernel/ includes this header and nothing else from
 * kernel/riscv/. The host unit tests link generic code against a fake of
 * exactly these functions (test/unit/fake_arch.c), so keep the interface
 * small and free of inline assembly. Rules:
 *  - physical memory is reached only through pa_to_kva();
 *  - user memory is reached only through arch_vspace_translate() (and the
 *    checked copies in uaccess.c built on it);
 *  - arch_enter_user() and arch_poweroff() never return.
 */
#ifndef MICA_ARCH_H
#define MICA_ARCH_H

#include "types.h"

/* User space is the lower half of Sv39: [0, USER_TOP). */
#define USER_TOP        0x4000000000ul
/* The kernel sees all RAM at physical address + KERNEL_DIRECT_MAP. */
#define KERNEL_DIRECT_MAP 0xffffffc000000000ul

/* A user thread's registers, saved on every trap into the kernel. The
 * layout is shared with vector.S (see the REG_* offsets there). */
struct arch_regs {
	uint64_t x[32];       /* x[0] is unused; x[2] is the user's sp */
	uint64_t pc;          /* where the thread resumes (sepc) */
	uint64_t kernel_sp;   /* the stack the next trap runs on */
};

/* Register numbers for struct arch_regs.x, by ABI name. */
enum {
	REG_RA = 1, REG_SP = 2, REG_GP = 3, REG_TP = 4, REG_S0 = 8,
	REG_A0 = 10, REG_A1, REG_A2, REG_A3, REG_A4, REG_A5, REG_A6, REG_A7,
};

/* An address space: one Sv39 root page table and its ASID. */
struct vspace {
	paddr_t root;
	uint16_t asid;
};

/* --- memory --- */
#ifdef MICA_FAKE_ARCH
/* The host unit tests' fake machine keeps its RAM elsewhere (fake_arch.c). */
void *pa_to_kva(paddr_t pa);
paddr_t kva_to_pa(const void *kva);
#else
/* Inline: the IPC path turns a capability's address into a pointer a few
 * times per message, and a call would cost more than the addition. */
static inline void *pa_to_kva(paddr_t pa)
{
	return (void *)(pa + KERNEL_DIRECT_MAP);
}

static inline paddr_t kva_to_pa(const void *kva)
{
	return (paddr_t)kva - KERNEL_DIRECT_MAP;
}
#endif

/* Where page-table pages (and at boot, every page) come from: the caller
 * supplies it. Returns the physical address of a zeroed page, or 0 when
 * there is none. */
struct page_source {
	paddr_t (*alloc)(struct page_source *self);
};

struct machine;
/* Build the kernel's own page table (RAM minus reserved regions, W^X for the
 * kernel image, the devices the kernel drives) and switch to it. */
void arch_vm_init(const struct machine *m, struct page_source *pages);
/* Traps, counters, the PLIC and the timer for the boot hart. */
void arch_cpu_init(const struct machine *m, uint64_t hartid);

/* Prepare `root_page` (a zeroed page) as a new address space that shares
 * the kernel half. */
void arch_vspace_init(struct vspace *vs, paddr_t root_page, uint16_t asid);
/* Map one user page. Returns ERR_OK; ERR_INVALID_ARGUMENT for an address
 * outside user space or not page-aligned; ERR_ALREADY_MAPPED if the page is
 * taken; if a page table is missing, ERR_NO_PAGE_TABLE when pages is NULL,
 * else ERR_NO_MEMORY if pages had none to give. Changes nothing on failure
 * (beyond page tables taken from pages). */
int arch_vspace_map(struct vspace *vs, uaddr_t va, paddr_t pa, unsigned vm_perm,
		    struct page_source *pages);
/* Make the zeroed page `table` the page table that serves `level` (1 or 0)
 * for va: the entry at level + 1 points at it. ERR_NO_PAGE_TABLE if the
 * table above is missing, ERR_ALREADY_MAPPED if the entry is taken;
 * changes nothing on failure. */
int arch_vspace_map_table(struct vspace *vs, uaddr_t va, int level, paddr_t table);
/* Clear the entry at `level` for va if it points at pa (a page at level 0,
 * or a table), and flush it from the TLB. Anything else: no change. */
void arch_vspace_unmap(struct vspace *vs, uaddr_t va, int level, paddr_t pa);
/* Forget every TLB entry of this ASID. */
void arch_vspace_flush(uint16_t asid);
/* True if `va` is a user page mapped with every right in `vm_perm`; then
 * *pa is the physical address of the byte at va. */
bool arch_vspace_translate(const struct vspace *vs, uaddr_t va, unsigned vm_perm, paddr_t *pa);
/* Print the user half of vs on the console, one line per valid entry,
 * indented by level (docs/memory.md §9). For debugging: changes nothing. */
void arch_vspace_print(const struct vspace *vs);

/* --- threads --- */
/* Registers for a thread that starts at pc with stack sp and a0 = arg. */
void arch_regs_init_user(struct arch_regs *regs, uaddr_t pc, uaddr_t sp, uint64_t arg);
/* Switch to vs and resume the thread whose registers are regs. */
void arch_enter_user(struct arch_regs *regs, const struct vspace *vs) __attribute__((noreturn));

/* --- machine --- */
void arch_console_putc(char c);
uint64_t arch_time_now(void);              /* the `time` CSR, in timebase ticks */
uint64_t arch_instret(void);               /* instructions retired (exact under -icount) */
void arch_timer_arm(uint64_t deadline);    /* one timer interrupt at deadline */
void arch_poweroff(bool failure) __attribute__((noreturn));
/* Sleep (wfi) until an interrupt is pending, then handle it, with
 * interrupts still off: the idle loop. */
void arch_wait_for_interrupt(void);
/* Is an enabled interrupt waiting (it is taken on the way back to user
 * mode)? Long kernel operations ask at their preemption points. */
bool arch_interrupt_pending(void);
/* Interrupt controller lines (the PLIC's sources, 1..n): masked lines
 * never interrupt. */
void arch_irq_mask(uint32_t line);
void arch_irq_unmask(uint32_t line);

/* --- debugging --- */
/* Call fn for each frame of the kernel stack, innermost first, starting at
 * the frame whose frame pointer is fp (0 = the caller of this function). */
void arch_backtrace(uint64_t fp, void (*fn)(unsigned depth, uint64_t pc));

#endif /* MICA_ARCH_H */
