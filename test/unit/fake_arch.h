/*
 * fake_arch.h - what unit tests can see of the fake architecture
 * (fake_arch.c): its RAM, its console and its mappings.
 */
#ifndef MICA_FAKE_ARCH_H
#define MICA_FAKE_ARCH_H

#include "arch.h"

#include <setjmp.h>

#define FAKE_RAM_BASE     0x80000000ul
#define FAKE_RAM_SIZE     (4ul << 20)
#define FAKE_MAX_MAPPINGS 256
#define FAKE_CONSOLE_SIZE 4096

extern char fake_console[FAKE_CONSOLE_SIZE];
extern size_t fake_console_len;

/* If set, arch_enter_user() returns here (longjmp, value 1) instead of
 * aborting: a test runs sched_resume() under setjmp to make a thread
 * current. fake_arch_reset() clears it. */
extern jmp_buf *fake_user_entry;

/* Which interrupt lines generic code has unmasked (arch_irq_unmask). */
#define FAKE_IRQ_LINES 1025
extern bool fake_irq_unmasked[FAKE_IRQ_LINES];
/* arch_wait_for_interrupt() calls this (the test's "interrupt"); NULL:
 * reaching the idle loop aborts the test. */
extern void (*fake_idle)(void);

/* arch_interrupt_pending() says yes once in every fake_pending_every
 * calls (0: never), so a test can stop long operations at their
 * preemption points; fake_pending_calls counts the calls. */
extern unsigned fake_pending_every, fake_pending_calls;

/* What arch_time_now() returns: a test moves time by hand. */
extern uint64_t fake_time;

/* Forget all mappings, zero the RAM, empty the console. */
void fake_arch_reset(void);
/* The rights va is mapped with in vs (0 if unmapped). */
unsigned fake_vspace_perm(const struct vspace *vs, uaddr_t va);
/* How many pages vs maps. */
unsigned fake_vspace_count(const struct vspace *vs);

#endif /* MICA_FAKE_ARCH_H */
