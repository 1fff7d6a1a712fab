/*
 * test_wakeup.c - plays root and watches the scheduler from threads that
 * wake up, each writing down when it ran:
 *  (a) timers fire soonest first, never early; equal deadlines in the order
 *      they were set, unless a higher priority wakes with them; a timer set
 *      again moves, a cancelled one never fires;
 *  (b) a thread preempted by a higher one goes back to the front of its
 *      queue: the one of its priority queued behind it still waits;
 *  (c) threads queued at once run highest priority first, across the words
 *      of the run queues' bitmap.
 * The threads share root's CSpace and globals; they never print.
 */
#define CHECK_NAME "test_wakeup"
#include "check.h"
#include "ipc.h"
#include "playroot.h"
#include "printf.h"
#include "sys.h"

#define MS 10000ul /* time counter ticks in a millisecond (10 MHz) */

static struct spawn_pool pool;

/* The log the threads write to, in the order they ran. */
static volatile uint64_t ran[16];
static volatile unsigned ran_len;

static void ran_add(uint64_t what)
{
	if (ran_len < 16)
		ran[ran_len] = what;
	ran_len++;
}

/* Make and resume a thread of root's address space (playroot_thread). */
static int thread_start(void (*fn)(uint64_t), uint64_t arg, unsigned priority, const char *name,
			cptr_t *tcb)
{
	int err = playroot_thread(&pool, fn, arg, priority, name, tcb);

	return err == ERR_OK ? tcb_resume(*tcb) : err;
}

/* (a) Sleepers: each waits on its own notification, set to fire by root,
 * and notes the order and the time it woke. The later the deadline, the
 * lower the priority, so that timers that fire together (QEMU run late by
 * a busy host) still wake them in the order of their deadlines, and a
 * tick cannot make them take turns; only 4 and 5 share a priority. */
#define SLEEPERS 8
static const struct {
	unsigned priority;
	unsigned ms;          /* the deadline root sets, after `base` */
	unsigned moved_to;    /* then sets again: 0 not at all, ~0u cancels */
} sleeper[SLEEPERS] = {
	{ 130, 40, 0 },
	{ 170, 10, 0 },       /* set before 2, with the same deadline... */
	{ 180, 10, 0 },       /* ...but 2 outranks it */
	{ 140, 30, 0 },
	{ 150, 20, 0 },       /* set before 5, same deadline, same priority */
	{ 150, 20, 0 },
	{ 160, 50, 15 },      /* moved earlier */
	{ 120, 25, ~0u },     /* cancelled */
};
static const unsigned wake_order[] = { 2, 1, 6, 4, 5, 3, 0 };
static cptr_t sleeper_ntfn[SLEEPERS];
static volatile uint64_t woke_at[SLEEPERS];

static void sleeper_thread(uint64_t i)
{
	uint64_t bits;

	if (notify_wait(sleeper_ntfn[i], &bits) != ERR_OK)
		return;
	woke_at[i] = time_now();
	ran_add(i);
}

static void check_timers(cptr_t root_ntfn)
{
	cptr_t tcb[SLEEPERS];
	uint64_t base, deadline;
	unsigned i, early = 0, order_ok;
	int err = ERR_OK;

	for (i = 0; i < SLEEPERS; i++) {
		check("make a notification", spawn_object(&pool, OBJ_NOTIFICATION, 0, &sleeper_ntfn[i]),
		      ERR_OK);
		check("start a sleeper",
		      thread_start(sleeper_thread, i, sleeper[i].priority, "sleeper", &tcb[i]), ERR_OK);
	}
	/* A short sleep lets the sleepers (below root's 255) reach their waits. */
	check("root lets them start", sleep_until(root_ntfn, time_now() + MS), ERR_OK);
	check_eq("all eight wait", ran_len, 0);
	/* Then the timers, with no printing in between: a console line is slow. */
	base = time_now();
	for (i = 0; i < SLEEPERS; i++)
		err |= notification_set_timer(sleeper_ntfn[i], base + sleeper[i].ms * MS);
	for (i = 0; i < SLEEPERS; i++)
		if (sleeper[i].moved_to)
			err |= notification_set_timer(sleeper_ntfn[i], sleeper[i].moved_to == ~0u ? 0 :
						      base + sleeper[i].moved_to * MS);
	check("set the timers, two of them again", err, ERR_OK);
	/* Root sleeps; each sleeper runs the moment its timer wakes it. */
	check("root sleeps past every deadline", sleep_until(root_ntfn, base + 60 * MS), ERR_OK);

	order_ok = ran_len == 7;
	for (i = 0; i < 7 && order_ok; i++)
		order_ok = ran[i] == wake_order[i];
	printf("test_wakeup: woken in the order");
	for (i = 0; i < ran_len && i < 16; i++)
		printf(" %lu", ran[i]);
	printf(" (want 2 1 6 4 5 3 0)\n");
	check_eq("seven sleepers woke, soonest first, ties by priority then in the order set",
		 order_ok, 1);
	for (i = 0; i < SLEEPERS; i++) {
		deadline = base + (sleeper[i].moved_to ? sleeper[i].moved_to : sleeper[i].ms) * MS;
		early += woke_at[i] != 0 && woke_at[i] < deadline;
	}
	check_eq("none woke before its deadline", early, 0);
	check_eq("the cancelled timer never fired", woke_at[7], 0);
	for (i = 0; i < SLEEPERS; i++)
		tcb_suspend(tcb[i]);
}

/* (b) A and B at 50, H at 100. A wakes H, which preempts A and waits again;
 * A, back at the front of its queue, runs again before B. Both signal root
 * when they are done. */
static cptr_t h_ntfn, done_ntfn;
static volatile uint64_t a_ticks[2], a_done, b_done;

static void h_thread(uint64_t unused)
{
	uint64_t bits;

	(void)unused;
	while (notify_wait(h_ntfn, &bits) == ERR_OK)
		ran_add('H');
}

static void a_thread(uint64_t unused)
{
	(void)unused;
	uptime((uint64_t *)&a_ticks[0]);
	ran_add('A');
	notify_signal(h_ntfn);
	ran_add('a');
	uptime((uint64_t *)&a_ticks[1]);
	a_done = 1;
	notify_signal(done_ntfn);
}

static void b_thread(uint64_t unused)
{
	(void)unused;
	ran_add('B');
	b_done = 1;
	notify_signal(done_ntfn);
}

static void check_front(void)
{
	cptr_t h, a, b;
	uint64_t bits;
	unsigned order_ok;

	ran_len = 0;
	check("make notifications",
	      spawn_object(&pool, OBJ_NOTIFICATION, 0, &h_ntfn) ||
	      spawn_object(&pool, OBJ_NOTIFICATION, 0, &done_ntfn), ERR_OK);
	check("start H at 100", thread_start(h_thread, 0, 100, "wakeup_H", &h), ERR_OK);
	check("start A at 50", thread_start(a_thread, 0, 50, "wakeup_A", &a), ERR_OK);
	check("start B at 50, queued behind A", thread_start(b_thread, 0, 50, "wakeup_B", &b), ERR_OK);
	while (!(a_done && b_done))           /* root (255) wakes at each signal */
		if (notify_wait(done_ntfn, &bits) != ERR_OK)
			break;
	check_eq("A and B are done", a_done && b_done, 1);
	order_ok = ran_len == 4 && ran[0] == 'A' && ran[1] == 'H' && ran[2] == 'a' && ran[3] == 'B';
	printf("test_wakeup: ran in the order %c%c%c%c (want AHaB)\n", (char)ran[0], (char)ran[1],
	       (char)ran[2], (char)ran[3]);
	if (a_ticks[0] != a_ticks[1] || ran[0] == 'B') {
		/* A's slice ended while it ran (before its first look, if B
		 * went first): then going to the back was right. */
		printf("test_wakeup: a tick came while A ran; the order shows nothing\n");
		order_ok = 1;
	}
	check_eq("preempted, A kept its place before B", order_ok, 1);
	check("suspend H", tcb_suspend(h), ERR_OK);
}

/* (c) Eight threads queued at once run highest first. */
static const unsigned prio[8] = { 3, 64, 63, 200, 127, 128, 191, 192 };
static const unsigned prio_order[8] = { 200, 192, 191, 128, 127, 64, 63, 3 };

static void prio_thread(uint64_t p)
{
	ran_add(p);
}

static void check_priorities(void)
{
	cptr_t tcb;
	unsigned i, order_ok;

	ran_len = 0;
	for (i = 0; i < 8; i++)
		check("start a thread below root",
		      thread_start(prio_thread, prio[i], prio[i], "wakeup_prio", &tcb), ERR_OK);
	check_eq("none ran while root (255) did", ran_len, 0);
	check("root lowers itself to 2", tcb_set_priority(BOOT_SLOT_TCB, 2), ERR_OK);
	order_ok = ran_len == 8;
	for (i = 0; i < 8 && order_ok; i++)
		order_ok = ran[i] == prio_order[i];
	printf("test_wakeup: priorities ran in the order");
	for (i = 0; i < ran_len && i < 16; i++)
		printf(" %lu", ran[i]);
	printf("\n");
	check_eq("all ran before root's call returned, highest first", order_ok, 1);
}

int main(const struct bootinfo *bi)
{
	cptr_t root_ntfn;

	check("make a pool of objects", playroot_init(bi, &pool, 20), ERR_OK);
	check("make a notification", spawn_object(&pool, OBJ_NOTIFICATION, 0, &root_ntfn), ERR_OK);
	check_timers(root_ntfn);
	check_front();
	check_priorities();
	return check_done();
}
