/*
 * test_sched.c - plays root and checks the scheduler with threads of its
 * own address space:
 *  (a) a higher-priority thread woken by a signal runs before the signal
 *      returns to the (lower-priority) signaller;
 *  (b) two spinning threads of one priority share the processor under
 *      timer preemption, while a lower-priority one gets nothing until
 *      they stop;
 *  (c) a notification timer wakes a sleeper at or after its deadline, and
 *      a cancelled timer never fires;
 *  (d) no thread can give itself or another a priority above its own.
 * The threads share root's CSpace and globals; they never print.
 */
#define CHECK_NAME "test_sched"
#include "check.h"
#include "ipc.h"
#include "playroot.h"
#include "sys.h"

#define HIGH     200     /* the woken thread of (a) */
#define ROOT     100     /* root, once it has made the HIGH thread */
#define SPIN     50      /* the two spinners of (b) */
#define SPIN_LOW 40      /* the starved one */
#define MS       10000ul /* time counter ticks in a millisecond (10 MHz) */

static struct spawn_pool pool;

/* (a) The high thread: says it started, then counts the signals it gets. */
static volatile uint64_t high_started, high_woken;

static void high_thread(uint64_t ntfn)
{
	uint64_t bits;

	high_started = 1;
	for (;;) {
		if (notify_wait(ntfn, &bits) != ERR_OK)
			return;
		high_woken++;
	}
}

static void check_preemption(cptr_t ntfn, cptr_t *high)
{
	unsigned i;

	check("make a thread at priority 200", playroot_thread(&pool, high_thread, ntfn, HIGH, "sched_high", high),
	      ERR_OK);
	check("resume it", tcb_resume(*high), ERR_OK);
	yield();
	check_eq("it waits while root (255) runs, even after a yield", high_started, 0);
	check("root lowers itself to 100", tcb_set_priority(BOOT_SLOT_TCB, ROOT), ERR_OK);
	check_eq("the thread ran before tcb_set_priority returned", high_started, 1);
	check_eq("it is waiting for a signal", high_woken, 0);
	for (i = 1; i <= 3; i++) {
		check("signal it", notify_signal(ntfn), ERR_OK);
		check_eq("it ran before notify_signal returned (count)", high_woken, i);
	}
}

/* (d) Priorities never go above the caller's own (root is at 100 now). */
static void check_priority_bounds(cptr_t high)
{
	cptr_t tcb;

	check("raise root above itself", tcb_set_priority(BOOT_SLOT_TCB, ROOT + 1),
	      ERR_INVALID_ARGUMENT);
	check("raise root to the maximum", tcb_set_priority(BOOT_SLOT_TCB, PRIORITY_MAX),
	      ERR_INVALID_ARGUMENT);
	check("set another thread above root", tcb_set_priority(high, ROOT + 1),
	      ERR_INVALID_ARGUMENT);
	check("make a thread above root", playroot_thread(&pool, high_thread, 0, ROOT + 1, "sched_bad", &tcb),
	      ERR_INVALID_ARGUMENT);
	check("set another thread to root's own priority", tcb_set_priority(high, ROOT), ERR_OK);
	check("and root to its own priority", tcb_set_priority(BOOT_SLOT_TCB, ROOT), ERR_OK);
	check("priority past PRIORITY_MAX", tcb_set_priority(high, PRIORITY_MAX + 1),
	      ERR_INVALID_ARGUMENT);
}

/* (b) Spinners: count as fast as they can and never yield. turns[i]
 * counts the times spinner i found that the other one had run since its
 * last look: a handover between the two. */
static volatile uint64_t spins[3], turns[3];

static void spin_thread(uint64_t i)
{
	uint64_t seen = spins[1 - i % 2];

	for (;;) {
		spins[i]++;
		if (spins[1 - i % 2] != seen) {
			seen = spins[1 - i % 2];
			turns[i]++;
		}
	}
}

static void sleep_ms(cptr_t ntfn, uint64_t ms)
{
	sleep_until(ntfn, time_now() + ms * MS);
}

/* Root sleeps in windows of 50 ms (five ticks) until one window saw at
 * least three handovers between the spinners at 50: only the timer can
 * have made those, since root slept throughout. (A handover at root's
 * own wake-up adds at most one per window.) Up to 40 windows, for a
 * loaded host whose ticks come late. */
static void check_round_robin(cptr_t ntfn)
{
	static const char *const names[3] = { "sched_spin0", "sched_spin1", "sched_low" };
	static const unsigned prio[3] = { SPIN, SPIN, SPIN_LOW };
	uint64_t before[3], most = 0, handovers;
	cptr_t tcb[3];
	unsigned i, window;

	for (i = 0; i < 3; i++) {
		check("make a spinner", playroot_thread(&pool, spin_thread, i, prio[i], names[i], &tcb[i]), ERR_OK);
		check("resume it", tcb_resume(tcb[i]), ERR_OK);
	}
	check_eq("no spinner ran while root (100) did", spins[0] + spins[1] + spins[2], 0);
	for (window = 1; window <= 40 && most < 3; window++) {
		for (i = 0; i < 3; i++)
			before[i] = spins[i];
		handovers = turns[0] + turns[1];
		sleep_ms(ntfn, 50);
		handovers = turns[0] + turns[1] - handovers;
		most = handovers > most ? handovers : most;
		printf("test_sched: window %u: spinners at 50 counted %lu and %lu with %lu handovers, "
		       "the one at 40 %lu\n", window, spins[0] - before[0], spins[1] - before[1],
		       handovers, spins[2] - before[2]);
	}
	check_eq("the spinners at 50 took turns under the timer", most >= 3, 1);
	check_eq("both made progress", spins[0] > 0 && spins[1] > 0, 1);
	check_eq("the spinner at 40 made none", spins[2], 0);
	check("suspend the first spinner", tcb_suspend(tcb[0]), ERR_OK);
	check("suspend the second spinner", tcb_suspend(tcb[1]), ERR_OK);
	before[0] = spins[0];
	before[1] = spins[1];
	sleep_ms(ntfn, 30);
	check_eq("the suspended spinners stay put", spins[0] == before[0] && spins[1] == before[1], 1);
	check_eq("now the spinner at 40 runs", spins[2] > 0, 1);
	check("suspend it too", tcb_suspend(tcb[2]), ERR_OK);
}

/* (c) Timers: a sleep ends at or after its deadline; a cancelled timer
 * never fires; a new timer replaces the old one. */
static void check_sleep(cptr_t ntfn, cptr_t other)
{
	uint64_t deadline, now, bits = 0;

	deadline = time_now() + 20 * MS;
	check("sleep 20 ms", sleep_until(ntfn, deadline), ERR_OK);
	now = time_now();
	check_eq("it woke at or after the deadline", now >= deadline, 1);
	check_eq("and not seconds after it", now - deadline < 5000 * MS, 1);
	check("sleep until a deadline already past", sleep_until(ntfn, time_now() - 1), ERR_OK);

	check("set a timer 10 ms ahead", notification_set_timer(other, time_now() + 10 * MS), ERR_OK);
	check("cancel it (deadline 0)", notification_set_timer(other, 0), ERR_OK);
	sleep_ms(ntfn, 30);
	check("the cancelled timer never fired", notify_poll(other, &bits), ERR_WOULD_BLOCK);

	deadline = time_now();
	check("set a timer 5 s ahead", notification_set_timer(other, deadline + 5000 * MS), ERR_OK);
	check("replace it by one 10 ms ahead", notification_set_timer(other, deadline + 10 * MS),
	      ERR_OK);
	check("wait for it", notify_wait(other, &bits), ERR_OK);
	now = time_now();
	check_eq("the new deadline counted", now >= deadline + 10 * MS && now < deadline + 5000 * MS, 1);
	check_eq("with the unbadged timer's bit", bits, 1);
	check("the old one is gone", notification_set_timer(other, 0), ERR_OK);
}

int main(const struct bootinfo *bi)
{
	cptr_t ntfn, timer_ntfn, other_ntfn, high;

	check("make a pool of objects", playroot_init(bi, &pool, 20), ERR_OK);
	check("make notifications",
	      spawn_object(&pool, OBJ_NOTIFICATION, 0, &ntfn) ||
	      spawn_object(&pool, OBJ_NOTIFICATION, 0, &timer_ntfn) ||
	      spawn_object(&pool, OBJ_NOTIFICATION, 0, &other_ntfn), ERR_OK);
	check("a priority past PRIORITY_MAX, even for root", tcb_set_priority(BOOT_SLOT_TCB, PRIORITY_MAX + 1),
	      ERR_INVALID_ARGUMENT);
	check_preemption(ntfn, &high);
	check_priority_bounds(high);
	check("suspend the high thread", tcb_suspend(high), ERR_OK);
	check_round_robin(timer_ntfn);
	check_sleep(timer_ntfn, other_ntfn);
	return check_done();
}
