/*
 * sched_test.c - the run queues and the scheduler (kernel/sched.c) on the
 * host: a thread queue is a FIFO whatever is removed from it; the highest
 * priority runs, across all 256 levels; equal priorities take turns at
 * each yield (or time slice), and never yield to a lower one; an outranked
 * thread goes back to the front of its queue, a yielding one to the back;
 * a priority change moves a thread between queues; with nothing to run the
 * hart idles until a timer wakes someone, and powers off when nothing can.
 *
 * sched_run() plays the trap code's last step: sched_resume() "enters
 * user mode" by jumping back here (fake_user_entry), with the chosen
 * thread current. Each test runs in its own process (Criterion), so the
 * scheduler's static state starts empty every time.
 */
#include <criterion/criterion.h>
#include <setjmp.h>
#include <signal.h>

#include "clock.h"
#include "errors.h"
#include "fake_arch.h"
#include "../../kernel/invoke.h"   /* lib/ has a user invoke.h too */
#include "../../kernel/ipc.h"      /* ... and an ipc.h */
#include "thread.h"

#define NTHREADS 8

static struct thread threads[NTHREADS];

static void setup(void)
{
	unsigned i;

	fake_arch_reset();
	for (i = 0; i < NTHREADS; i++)
		thread_init(&threads[i]);
}

TestSuite(sched, .init = setup);

/* Run sched_resume() until it enters a thread; return that thread. */
static struct thread *sched_run(void)
{
	jmp_buf back;

	fake_user_entry = &back;
	if (setjmp(back) == 0)
		sched_resume();
	fake_user_entry = NULL;
	return thread_current();
}

/* threads[i] at priority p, made runnable. */
static struct thread *ready(unsigned i, unsigned p)
{
	threads[i].priority = p;
	thread_resume(&threads[i]);
	return &threads[i];
}

/* The current thread waits (in a queue of its own) and so leaves the processor. */
static struct thread_queue parked;

static void park_current(void)
{
	thread_block(thread_current(), THREAD_BLOCKED_NOTIFY, &parked);
}

/* --- queues ---------------------------------------------------------------- */

/* Take out and return the first thread of q (NULL if empty), as the
 * kernel's users of a queue do with its head. */
static struct thread *queue_pop(struct thread_queue *q)
{
	struct thread *t = q->head;

	if (t)
		queue_remove(q, t);
	return t;
}

Test(sched, queue_is_fifo)
{
	struct thread_queue q = { 0 };
	unsigned i;

	cr_assert_null(queue_pop(&q));
	for (i = 0; i < 4; i++)
		queue_append(&q, &threads[i]);
	for (i = 0; i < 4; i++)
		cr_assert_eq(queue_pop(&q), &threads[i]);
	cr_assert_null(queue_pop(&q));
	cr_assert_null(q.head);
	cr_assert_null(q.tail);
}

Test(sched, queue_remove_keeps_the_order_of_the_rest)
{
	struct thread_queue q = { 0 };
	unsigned i;

	for (i = 0; i < 5; i++)
		queue_append(&q, &threads[i]);
	queue_remove(&q, &threads[2]);      /* middle */
	queue_remove(&q, &threads[0]);      /* head */
	queue_remove(&q, &threads[4]);      /* tail */
	cr_assert_null(threads[2].queue_next);
	cr_assert_null(threads[2].queue_prev);
	cr_assert_eq(q.head, &threads[1]);
	cr_assert_eq(q.tail, &threads[3]);
	queue_append(&q, &threads[0]);
	cr_assert_eq(queue_pop(&q), &threads[1]);
	cr_assert_eq(queue_pop(&q), &threads[3]);
	cr_assert_eq(queue_pop(&q), &threads[0]);
	cr_assert_null(queue_pop(&q));
	queue_append(&q, &threads[4]);      /* an emptied queue works again */
	queue_remove(&q, &threads[4]);
	cr_assert_null(q.head);
	cr_assert_null(q.tail);
}

/* --- priorities ------------------------------------------------------------ */

Test(sched, the_highest_priority_runs_first)
{
	/* 63/64 sit on either side of a bitmap word; 0 and 255 at the ends. */
	static const unsigned prio[] = { 0, 64, 7, 255, 63, 1 };
	static const unsigned order[] = { 3, 1, 4, 2, 5, 0 };
	unsigned i;

	for (i = 0; i < 6; i++)
		ready(i, prio[i]);
	for (i = 0; i < 6; i++) {
		cr_assert_eq(sched_run(), &threads[order[i]], "turn %u: want priority %u", i,
			     prio[order[i]]);
		park_current();
	}
}

Test(sched, a_running_thread_keeps_the_processor)
{
	struct thread *a = ready(0, 5);

	ready(1, 5);
	ready(2, 4);
	cr_assert_eq(sched_run(), a);
	cr_assert_eq(sched_run(), a, "no yield, no slice end: no switch");
}

Test(sched, equal_priorities_take_turns_at_each_yield)
{
	unsigned i;

	for (i = 0; i < 3; i++)
		ready(i, 10);
	ready(3, 9);                         /* never gets a turn */
	for (i = 0; i < 7; i++) {
		cr_assert_eq(sched_run(), &threads[i % 3], "turn %u", i);
		sched_yield();
	}
}

Test(sched, a_yield_never_goes_to_a_lower_priority)
{
	struct thread *a = ready(0, 10);

	ready(1, 9);
	cr_assert_eq(sched_run(), a);
	sched_yield();
	cr_assert_eq(sched_run(), a);
	park_current();
	cr_assert_eq(sched_run(), &threads[1]);
}

Test(sched, an_outranked_thread_goes_back_to_the_front)
{
	struct thread *a = ready(0, 5), *b = ready(1, 5), *h;

	cr_assert_eq(sched_run(), a);
	h = ready(2, 9);                     /* woken: outranks a */
	cr_assert_eq(sched_run(), h);
	park_current();
	cr_assert_eq(sched_run(), a, "a lost no turn to b");
	sched_yield();
	cr_assert_eq(sched_run(), b);
}

Test(sched, outranked_at_the_end_of_its_slice_it_goes_to_the_back)
{
	struct thread *a = ready(0, 5), *b = ready(1, 5), *h;

	cr_assert_eq(sched_run(), a);
	h = ready(2, 9);
	sched_yield();                       /* the same tick ended a's slice */
	cr_assert_eq(sched_run(), h);
	park_current();
	cr_assert_eq(sched_run(), b);
	sched_yield();
	cr_assert_eq(sched_run(), a);
}

Test(sched, lowering_the_running_thread_hands_over)
{
	struct thread *a = ready(0, 9), *b = ready(1, 5);

	cr_assert_eq(sched_run(), a);
	thread_set_priority(a, 5);           /* equal: a keeps running */
	cr_assert_eq(sched_run(), a);
	thread_set_priority(a, 3);
	cr_assert_eq(sched_run(), b);
	park_current();
	cr_assert_eq(sched_run(), a);
	cr_assert_eq(a->priority, 3);
}

Test(sched, raising_a_queued_thread_moves_it_ahead)
{
	struct thread *a = ready(0, 5), *b = ready(1, 4), *c = ready(2, 4);

	cr_assert_eq(sched_run(), a);
	thread_set_priority(c, 6);
	cr_assert_eq(sched_run(), c);
	park_current();
	cr_assert_eq(sched_run(), a);
	park_current();
	cr_assert_eq(sched_run(), b);
}

Test(sched, a_suspended_thread_leaves_its_queue)
{
	struct thread *a = ready(0, 5), *b = ready(1, 7), *c = ready(2, 7);

	thread_suspend(b);
	thread_suspend(c);                  /* priority 7's queue is empty now */
	cr_assert_eq(sched_run(), a);
	cr_assert_eq(b->state, THREAD_INACTIVE);
	thread_resume(c);
	cr_assert_eq(sched_run(), c);
}

/* --- idle ------------------------------------------------------------------ */

Test(sched, nothing_left_to_run_powers_off, .signal = SIGABRT)
{
	ready(0, 5);
	sched_run();
	park_current();
	sched_run();                         /* no timer, no interrupt line: poweroff */
}

/* The "interrupt" the idle loop waits for: time reaches the deadline. */
static uint64_t idle_deadline;
static unsigned idle_calls;

static void timer_fires(void)
{
	idle_calls++;
	fake_time = idle_deadline;
	clock_tick();
}

Test(sched, idle_waits_for_a_timer_to_wake_a_thread)
{
	struct cte slot = { .cap = { .type = OBJ_NOTIFICATION, .rights = RIGHTS_ALL,
				     .paddr = FAKE_RAM_BASE } };
	struct notification *n = pa_to_kva(FAKE_RAM_BASE);
	struct invocation inv = { .slot = &slot, .label = INV_NOTIFICATION_SET_TIMER };
	struct thread *t = ready(0, 5);

	fake_time = 1000;
	clock_init(10000000);
	idle_deadline = fake_time + 5000;   /* before the first tick */
	inv.arg[0] = idle_deadline;
	cr_assert_eq(notification_invoke(&inv), ERR_OK);
	cr_assert_eq(sched_run(), t);
	cr_assert_eq(ntfn_wait(t, &slot, true), ERR_OK);
	cr_assert_eq(t->state, THREAD_BLOCKED_NOTIFY);
	fake_idle = timer_fires;
	cr_assert_eq(sched_run(), t);
	cr_assert_eq(idle_calls, 1);
	cr_assert_eq(t->state, THREAD_RUNNABLE);
	cr_assert_eq(t->regs.x[REG_A0], ERR_OK);
	cr_assert_eq(t->regs.x[REG_A6], 1, "the unbadged cap's bit");
	cr_assert_eq(n->bits, 0);
	cr_assert_eq(ntfn_next_deadline(), 0, "the timer fired once and is gone");
}
