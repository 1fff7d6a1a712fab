/*
 * sched.c - who runs next: fixed priorities, round robin within one.
 *
 * Every RUNNABLE thread but the running one (`sched_current`) waits in the run
 * queue of its priority, 0..PRIORITY_MAX; a bitmap says which queues are
 * non-empty, so the highest is found in a few instructions. The running
 * thread keeps the processor until it blocks, yields, ends its time slice
 * (one clock tick, clock.c) or a higher-priority thread becomes runnable.
 * Outranked, it goes back to the front of its queue; after yield or a
 * full slice, to the back. With nothing to run, the hart sleeps in wfi
 * while a timer or an interrupt line could still wake a thread; when
 * nothing ever can, the kernel says so and powers off, which is how a test
 * run ends by itself. Never called with interrupts on.
 */
#include "clock.h"
#include "ipc.h"
#include "irq.h"
#include "printk.h"
#include "thread.h"

#define PRIORITY_WORDS ((PRIORITY_MAX + 64) / 64)

static struct thread_queue run_queues[PRIORITY_MAX + 1];
static uint64_t run_bitmap[PRIORITY_WORDS];   /* bit p: run_queues[p] is non-empty */
struct thread *sched_current;
static bool move_on;           /* sched_current yielded or used up its slice */
static bool must_choose;       /* a thread that may outrank sched_current became runnable */
static bool run_failed;        /* a thread was killed or exited non-zero */

void sched_add(struct thread *t)
{
	if (t == sched_current) {
		must_choose = true;    /* its priority may have changed */
		return;
	}
	if (sched_current == NULL || t->priority > sched_current->priority)
		must_choose = true;
	queue_append(&run_queues[t->priority], t);
	run_bitmap[t->priority / 64] |= 1ul << (t->priority % 64);
}

void sched_remove(struct thread *t)
{
	struct thread_queue *q = &run_queues[t->priority];

	if (t == sched_current)
		return;
	queue_remove(q, t);
	if (q->head == NULL)
		run_bitmap[t->priority / 64] &= ~(1ul << (t->priority % 64));
}

/* The number of the highest bit set in w (w != 0), by halving: six
 * steps, no library call (this kernel links no float-ABI libgcc). */
static int highest_bit(uint64_t w)
{
	/* LAB 6 BEGIN: return the number of the highest bit set in w, in six steps rather than 64 */
	/* LAB 6 HINT: is anything set in the upper 32 bits? then only they matter; then the upper 16 of those ... */
	/* LAB 6 HINT: no __builtin_clzl: without the Zbb extension gcc makes it a libgcc call, and the kernel links none */
	/* LAB 6 HINT: the stub finds the lowest bit set: the system runs, but within a word of 64 priorities the lowest goes first (it says so once) */
	int bit = 0, half;

	for (half = 32; half > 0; half /= 2) {
		if (w >> half) {
			w >>= half;
			bit += half;
		}
	}
	return bit;
	/* LAB 6 STUB: static bool said; */
	/* LAB 6 STUB: int bit = 0; */
	/* LAB 6 STUB: if (!said && (w & (w - 1)) != 0) { */
		/* LAB 6 STUB: said = true; */
		/* LAB 6 STUB: kprintf("lab 6: highest_bit not implemented: the lowest priority runs first\n"); */
	/* LAB 6 STUB: } */
	/* LAB 6 STUB: while (!((w >> bit) & 1)) */
		/* LAB 6 STUB: bit++; */
	/* LAB 6 STUB: return bit; */
	/* LAB 6 END */
}

/* The highest priority with a runnable thread waiting, or -1. */
int sched_highest(void)
{
	int w;

	for (w = PRIORITY_WORDS - 1; w >= 0; w--)
		if (run_bitmap[w])
			return w * 64 + highest_bit(run_bitmap[w]);
	return -1;
}

void sched_forget(struct thread *t)
{
	if (sched_current == t)
		sched_current = NULL;
}

void sched_note_failure(bool failed)
{
	run_failed |= failed;
}

void sched_yield(void)
{
	move_on = true;
}

/* Put the outgoing sched_current thread back in its queue: at the back after a
 * yield or a full slice, at the front when it was only outranked. */
static void sched_put_back(struct thread *t)
{
	/* LAB 6 BEGIN: t is no longer current; queue it at the back after a yield or a full slice, else at the front */
	/* LAB 6 HINT: sched_add() appends, and sets the bitmap bit; at the front, which case needs the bit set? */
	/* LAB 6 HINT: the stub always appends: an outranked thread loses its turn to the others of its priority (it says so once) */
	struct thread_queue *q = &run_queues[t->priority];

	sched_current = NULL;
	if (move_on || q->head == NULL) {
		sched_add(t);
	} else {
		t->queue_prev = NULL;
		t->queue_next = q->head;
		q->head->queue_prev = t;
		q->head = t;
	}
	/* LAB 6 STUB: static bool said; */
	/* LAB 6 STUB: if (!said && !move_on && run_queues[t->priority].head) { */
		/* LAB 6 STUB: said = true; */
		/* LAB 6 STUB: kprintf("lab 6: sched_put_back not implemented: %s loses its turn\n", t->name); */
	/* LAB 6 STUB: } */
	/* LAB 6 STUB: sched_current = NULL; */
	/* LAB 6 STUB: sched_add(t); */
	/* LAB 6 END */
}

/* Does the running thread t, still runnable, give way now? Yes to a queued
 * thread that outranks it, and to an equal once t moves on (a yield, the
 * end of its slice). `highest` is the highest queued priority, or -1. */
static bool sched_gives_way(const struct thread *t, int highest)
{
	return highest > (int)t->priority || (move_on && highest == (int)t->priority);
}

/* Nothing can run: wait for an interrupt if one could change that. */
static void sched_idle(void)
{
	if (ntfn_next_deadline() == 0 && !irq_any_armed()) {
		kprintf("mica: no threads left (%lu timer interrupts); powering off\n",
			clock_interrupts());
		trace_dump();
		arch_poweroff(run_failed);
	}
	arch_wait_for_interrupt();
}

/* The general case of sched_resume(): choose, or idle until there is
 * something to choose. Kept apart so that the common case does not pay
 * for this loop's registers. */
static void __attribute__((noreturn, noinline)) sched_choose(void)
{
	struct thread *t;
	int highest;

	must_choose = false;
	for (;;) {
		highest = sched_highest();
		t = sched_current;
		if (t && t->state == THREAD_RUNNABLE && sched_gives_way(t, highest))
			sched_put_back(t);
		else if (t && t->state != THREAD_RUNNABLE)
			sched_current = NULL;
		move_on = false;
		if (sched_current == NULL && highest >= 0) {
			t = run_queues[highest].head;
			sched_remove(t);
			sched_current = t;
		}
		if (sched_current)
			arch_enter_user(&sched_current->regs, &sched_current->vspace);
		sched_idle();
	}
}

void sched_resume(void)
{
	struct thread *t = sched_current;

	/* The common case first: the running thread goes on, because nothing
	 * that became runnable outranks it and it did not give way to an
	 * equal (or had no equal to give way to). */
	if (t && t->state == THREAD_RUNNABLE && !must_choose &&
	    (!move_on || run_queues[t->priority].head == NULL)) {
		move_on = false;
		arch_enter_user(&t->regs, &t->vspace);
	}
	sched_choose();
}
