/*
 * clock.h - the periodic timer tick.
 *
 * The kernel asks for one timer interrupt per tick (CLOCK_HZ a second) and
 * counts them. Preemption and sleeping on deadlines build on this later.
 */
#ifndef MICA_CLOCK_H
#define MICA_CLOCK_H

#include <stdint.h>

#define CLOCK_HZ 100

/* Start ticking; timebase_hz is the rate of the time counter. */
void clock_init(uint64_t timebase_hz);
/* Called by the trap code on each timer interrupt: counts, re-arms. */
void clock_tick(void);
uint64_t clock_interrupts(void);

#endif /* MICA_CLOCK_H */
