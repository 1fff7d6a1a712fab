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

#endif /* MICA_CLOCK_H */
