/*
 * test_uptime.c - lab 1's system call: uptime() counts the timer ticks since
 * boot (CLOCK_HZ = 100 a second), like xv6's.
 *
 * It checks that the call answers under its number (15), and that while the
 * program spins for SPIN_TICKS ticks of the time counter the count grows by
 * that much, give or take one. The grader runs it under -icount, where time
 * is counted in instructions, so the count is exact on every machine.
 * The last line, "test_uptime: PASS <token>", appears only if every check
 * held; the grader builds this program with a fresh GRADE_TOKEN, so no other
 * code can know that line in advance (labs/README.md).
 */
#include "errors.h"
#include "grade_token.h"
#include "printf.h"
#include "sys.h"

#define TIME_PER_TICK 100000        /* time counter (10 MHz) per tick (100 Hz) */
#define SPIN_TICKS    10

static int failures;

static void check(const char *what, int ok)
{
	if (!ok)
		failures++;
	printf("test_uptime: %s %s\n", ok ? "ok" : "FAIL", what);
}

int main(void)
{
	uint64_t before = 0, after = 0, start, now, elapsed;
	int err;

	err = uptime(&before);
	printf("test_uptime: uptime() -> %s, %lu ticks\n", err_name(err), before);
	check("uptime() returns ERR_OK", err == ERR_OK);
	start = time_now();
	check("no more ticks than the time counter allows", before <= start / TIME_PER_TICK + 1);

	do
		now = time_now();
	while (now - start < SPIN_TICKS * TIME_PER_TICK);
	err = uptime(&after);
	elapsed = (now - start) / TIME_PER_TICK;
	printf("test_uptime: after %lu ticks of time: uptime() -> %s, %lu ticks\n", elapsed,
	       err_name(err), after);
	check("uptime() returns ERR_OK again", err == ERR_OK);
	check("the count grows with time, one tick per 10 ms (give or take one)",
	      after >= before + elapsed - 1 && after <= before + elapsed + 1);
	check("system call number 15 is uptime", sys_call(15, 0, 0, 0, 0, 0, 0) == ERR_OK);

	if (failures == 0)
		printf("test_uptime: PASS %s\n", GRADE_TOKEN);
	return failures == 0 ? 0 : 1;
}
