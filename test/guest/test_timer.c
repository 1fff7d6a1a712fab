/*
 * test_timer.c - spins in user mode for 50 ms of the time counter. Timer
 * interrupts must arrive (and be counted) while user code runs, and must
 * return to the program each time without disturbing it.
 */
#include "printf.h"
#include "sys.h"

int main(void)
{
	uint64_t start = time_now(), now;
	unsigned long spins = 0;

	do {
		now = time_now();
		spins++;
	} while (now - start < 500000);      /* 50 ms at 10 MHz */
	printf("test_timer: spun %lu times over %lu ticks\n", spins, now - start);
	return 0;
}
