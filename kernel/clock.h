/*
 * clock.h - time: the periodic tick that ends time slices, and the
 * deadlines of notification timers.
 *
 * The kernel asks for one timer interrupt per tick (CLOCK_HZ a second), or
 * sooner when a notification timer is due first. Each tick ends the
 * running thread's time slice.
 */
#ifndef MICA_CLOCK_H
#define MICA_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define CLOCK_HZ 100

/* Start ticking; timebase_hz is the rate of the time counter. */
void clock_init(uint64_t timebase_hz);
/* Called by the trap code on each timer interrupt: fires due timers,
 * counts a tick if one is due (and ends the time slice), re-arms. */
void clock_tick(void);
/* A timer deadline changed: arm the hardware for whichever comes first. */
void clock_rearm(void);
uint64_t clock_interrupts(void);

/* How long one system call may run with interrupts off before it stops at
 * a preemption point even when no interrupt waits (it then runs again). */
#define CLOCK_CALL_BUDGET_US 40
/* When the running call's budget began (clock.c), 0 until its first
 * preemption point; read and written only here and in clock.c. */
extern uint64_t clock_call_began;
/* A system call begins. Inline and one store: every call but the fast
 * path's pays it. */
static inline void clock_call_begins(void)
{
	clock_call_began = 0;
}
/* A preemption point of a long operation: true if it must stop now,
 * because an interrupt waits or the call has used up its budget. */
bool clock_preempt_point(void);

#endif /* MICA_CLOCK_H */
