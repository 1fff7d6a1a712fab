/*
 * clock.c - the timer tick: one interrupt every 1/CLOCK_HZ seconds.
 *
 * Deadlines are absolute times of the `time` counter, so a late interrupt
 * does not make later ticks drift. Never called with interrupts enabled.
 */
#include "clock.h"
#include "arch.h"
#include "printk.h"

static uint64_t ticks_per_interrupt;
static uint64_t next_deadline;
static uint64_t interrupts;

void clock_init(uint64_t timebase_hz)
{
	ASSERT(timebase_hz >= CLOCK_HZ);
	ticks_per_interrupt = timebase_hz / CLOCK_HZ;
	next_deadline = arch_time_now() + ticks_per_interrupt;
	arch_timer_arm(next_deadline);
}

void clock_tick(void)
{
	uint64_t now = arch_time_now();

	interrupts++;
	/* Skip the deadlines we slept through rather than firing for each. */
	while (next_deadline <= now)
		next_deadline += ticks_per_interrupt;
	arch_timer_arm(next_deadline);
}

uint64_t clock_interrupts(void)
{
	return interrupts;
}
