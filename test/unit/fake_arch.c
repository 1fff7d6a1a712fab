/*
 * fake_arch.c - a host stand-in for kernel/riscv/arch.h, so generic kernel
 * code runs in unit tests.
 *
 * "Physical memory" is a 4 MiB host buffer at fake physical address
 * FAKE_RAM_BASE; pa_to_kva() points into it. An address space is a small
 * table of (user page -> physical page, rights) instead of an Sv39 tree:
 * the tests check the generic code's logic, not the page-table format.
 * Page tables are recorded only so that mapping one twice fails; pages
 * never need them here.
 */
#include "fake_arch.h"
#include "errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t fake_ram[FAKE_RAM_SIZE] __attribute__((aligned(4096)));

/* A mapping of one page (level 0), or of a page table serving `level`. */
struct fake_mapping {
	paddr_t root;           /* the address space, by its root table */
	int level;
	uaddr_t va;
	paddr_t pa;
	unsigned perm;
};

static struct fake_mapping mappings[FAKE_MAX_MAPPINGS];
static unsigned nmappings;

char fake_console[FAKE_CONSOLE_SIZE];
size_t fake_console_len;
static size_t console_line_start;   /* where the line being printed began */
jmp_buf *fake_user_entry;
bool fake_irq_unmasked[FAKE_IRQ_LINES];
void (*fake_idle)(void);

void fake_arch_reset(void)
{
	memset(fake_ram, 0, sizeof(fake_ram));
	nmappings = 0;
	fake_console_len = 0;
	fake_console[0] = '\0';
	console_line_start = 0;
	fake_user_entry = NULL;
	memset(fake_irq_unmasked, 0, sizeof(fake_irq_unmasked));
	fake_idle = NULL;
	fake_pending_every = fake_pending_calls = 0;
}

void *pa_to_kva(paddr_t pa)
{
	if (pa < FAKE_RAM_BASE || pa >= FAKE_RAM_BASE + FAKE_RAM_SIZE)
		abort();    /* generic code touched memory it was never given */
	return &fake_ram[pa - FAKE_RAM_BASE];
}

paddr_t kva_to_pa(const void *kva)
{
	return (paddr_t)((const uint8_t *)kva - fake_ram) + FAKE_RAM_BASE;
}

void arch_vspace_init(struct vspace *vs, paddr_t root_page, uint16_t asid)
{
	vs->root = root_page;
	vs->asid = asid;
}

int arch_vspace_map(struct vspace *vs, uaddr_t va, paddr_t pa, unsigned vm_perm,
		    struct page_source *pages)
{
	unsigned i;

	(void)pages;
	if (va >= USER_TOP || (va & (PAGE_SIZE - 1)) || (pa & (PAGE_SIZE - 1)))
		return ERR_INVALID_ARGUMENT;
	for (i = 0; i < nmappings; i++)
		if (mappings[i].root == vs->root && mappings[i].level == 0 && mappings[i].va == va)
			return ERR_ALREADY_MAPPED;
	if (nmappings == FAKE_MAX_MAPPINGS)
		return ERR_NO_MEMORY;
	mappings[nmappings++] = (struct fake_mapping){ vs->root, 0, va, pa, vm_perm };
	return ERR_OK;
}

int arch_vspace_map_table(struct vspace *vs, uaddr_t va, int level, paddr_t table)
{
	uint64_t span = 1ul << (PAGE_SHIFT + 9 * (level + 1));
	unsigned i;

	if (va >= USER_TOP || level < 0 || level > 1)
		return ERR_INVALID_ARGUMENT;
	va &= ~(span - 1);
	for (i = 0; i < nmappings; i++)
		if (mappings[i].root == vs->root && mappings[i].level == level + 1 && mappings[i].va == va)
			return ERR_ALREADY_MAPPED;
	if (nmappings == FAKE_MAX_MAPPINGS)
		return ERR_NO_MEMORY;
	mappings[nmappings++] = (struct fake_mapping){ vs->root, level + 1, va, table, 0 };
	return ERR_OK;
}

void arch_vspace_unmap(struct vspace *vs, uaddr_t va, int level, paddr_t pa)
{
	unsigned i;

	if (level > 0)
		va &= ~((1ul << (PAGE_SHIFT + 9 * level)) - 1);
	for (i = 0; i < nmappings; i++) {
		struct fake_mapping *m = &mappings[i];

		if (m->root == vs->root && m->level == level && m->va == va && m->pa == pa) {
			*m = mappings[--nmappings];
			return;
		}
	}
}

void arch_vspace_flush(uint16_t asid)
{
	(void)asid;
}

bool arch_vspace_translate(const struct vspace *vs, uaddr_t va, unsigned vm_perm, paddr_t *pa)
{
	unsigned i;

	for (i = 0; i < nmappings; i++) {
		const struct fake_mapping *m = &mappings[i];

		if (m->root == vs->root && m->level == 0 && m->va == PAGE_ROUND_DOWN(va)) {
			if ((m->perm & vm_perm) != vm_perm)
				return false;
			*pa = m->pa + (va & (PAGE_SIZE - 1));
			return true;
		}
	}
	return false;
}

unsigned fake_vspace_perm(const struct vspace *vs, uaddr_t va)
{
	unsigned i;

	for (i = 0; i < nmappings; i++)
		if (mappings[i].root == vs->root && mappings[i].level == 0 &&
		    mappings[i].va == PAGE_ROUND_DOWN(va))
			return mappings[i].perm;
	return 0;
}

unsigned fake_vspace_count(const struct vspace *vs)
{
	unsigned i, n = 0;

	for (i = 0; i < nmappings; i++)
		n += mappings[i].root == vs->root && mappings[i].level == 0;
	return n;
}

/* Kernel output is kept for the tests to read, not shown. One kind of line
 * also goes to stderr at once: a lab stub's "lab N: ... not implemented",
 * so that a student whose host test fails on a stub is told which one. */
void arch_console_putc(char c)
{
	if (fake_console_len + 1 < FAKE_CONSOLE_SIZE) {
		fake_console[fake_console_len++] = c;
		fake_console[fake_console_len] = '\0';
	}
	if (c != '\n')
		return;
	if (console_line_start < fake_console_len &&
	    strncmp(&fake_console[console_line_start], "lab ", 4) == 0)
		fputs(&fake_console[console_line_start], stderr);
	console_line_start = fake_console_len;
}

/* The fake machine never runs user code and never stops: reaching any of
 * these from a test means generic code tried to leave the kernel, or
 * panicked, so the test process dies and Criterion reports a crash --
 * unless the test asked to get control back (fake_user_entry). */
void arch_enter_user(struct arch_regs *regs, const struct vspace *vs)
{
	(void)regs;
	(void)vs;
	if (fake_user_entry)
		longjmp(*fake_user_entry, 1);
	abort();
}

/* A panic (or a test that forgot to stop the kernel) gets here: a failure
 * shows what the kernel printed, so that the crash report says why. A
 * clean power-off (the last thread gone) is what some tests wait for, and
 * stays quiet. */
void arch_poweroff(bool failure)
{
	if (failure)
		fputs(fake_console, stderr);
	abort();
}

void arch_backtrace(uint64_t fp, void (*fn)(unsigned depth, uint64_t pc))
{
	(void)fp;
	(void)fn;
}

uint64_t fake_time;

uint64_t arch_time_now(void)
{
	return fake_time;
}

void arch_timer_arm(uint64_t deadline)
{
	(void)deadline;
}


void arch_irq_mask(uint32_t line)
{
	if (line < FAKE_IRQ_LINES)
		fake_irq_unmasked[line] = false;
}

void arch_irq_unmask(uint32_t line)
{
	if (line < FAKE_IRQ_LINES)
		fake_irq_unmasked[line] = true;
}

unsigned fake_pending_every, fake_pending_calls;

bool arch_interrupt_pending(void)
{
	fake_pending_calls++;
	return fake_pending_every != 0 && fake_pending_calls % fake_pending_every == 0;
}

/* The idle loop waits here: a test plays the interrupt that arrives. */
void arch_wait_for_interrupt(void)
{
	if (fake_idle == NULL)
		abort();
	fake_idle();
}
