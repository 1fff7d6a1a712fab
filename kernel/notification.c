/*
 * notification.c - notifications: a word of bits that signal sets and wait
 * takes; binding one to a thread; timers that signal one at a deadline.
 *
 * signal never blocks and never fails on a valid cap: it ORs the cap's
 * badge (1 if unbadged) into the word, or hands the bits straight to a
 * waiter, or to the bound thread if it is waiting on an endpoint (so a
 * server waits for clients and interrupts in one recv). A woken thread
 * gets a0 = ERR_OK, info = MSGINFO_FLAG_NOTIFY and the bits in a6. The
 * interrupt code (irq.c) and the clock (clock.c) signal through here too.
 */
#include "clock.h"
#include "errors.h"
#include "invoke.h"
#include "ipc.h"
#include "irq.h"
#include "printk.h"

_Static_assert(sizeof(struct notification) <= 1u << NOTIFICATION_SIZE_BITS,
	       "a notification fits its object");

/* Armed timers, soonest first, linked both ways so that a timer leaves in
 * one step; new ones are looked for a place from the latest back. */
static struct notification *timers, *timers_last;

static void ntfn_deliver(struct thread *t, uint64_t bits)
{
	t->regs.x[REG_A0] = ERR_OK;
	t->regs.x[REG_A1] = MSGINFO_FLAG_NOTIFY;
	t->regs.x[REG_A6] = bits;
}

/* If n has bits, t takes them all (and n has none left). */
static bool ntfn_take(struct thread *t, struct notification *n)
{
	if (n->bits == 0)
		return false;
	ntfn_deliver(t, n->bits);
	n->bits = 0;
	return true;
}

void ntfn_signal(struct notification *n, uint64_t bits)
{
	/* A waiter gets them; else the bound thread, if it waits on an
	 * endpoint (thread_wake() takes it out of that queue); else they wait. */
	struct thread *t = n->waiters.head;

	if (t == NULL && n->bound && n->bound->state == THREAD_BLOCKED_RECV)
		t = n->bound;
	if (t == NULL) {
		n->bits |= bits;
		return;
	}
	ntfn_deliver(t, bits);
	thread_wake(t);
}

static uint64_t ntfn_badge(const struct cap *cap)
{
	return cap->data ? cap->data : 1;
}

int ntfn_signal_cap(struct cte *slot)
{
	if (slot->cap.type != OBJ_NOTIFICATION)
		return ERR_INVALID_CAP;
	if (!(slot->cap.rights & RIGHT_WRITE))
		return ERR_NO_RIGHTS;
	ntfn_signal(pa_to_kva(slot->cap.paddr), ntfn_badge(&slot->cap));
	return ERR_OK;
}

int ntfn_wait(struct thread *t, struct cte *slot, bool blocking)
{
	struct notification *n = pa_to_kva(slot->cap.paddr);

	if (!(slot->cap.rights & RIGHT_READ))
		return ERR_NO_RIGHTS;
	if (ntfn_take(t, n))
		return ERR_OK;
	if (!blocking)
		return ERR_WOULD_BLOCK;
	thread_block(t, THREAD_BLOCKED_NOTIFY, &n->waiters);
	return ERR_OK;
}

bool ntfn_deliver_bound(struct thread *t)
{
	return t->bound && ntfn_take(t, t->bound);
}

int ntfn_bind(struct thread *t, struct notification *n)
{
	if (t->bound || n->bound)
		return ERR_IN_USE;
	t->bound = n;
	n->bound = t;
	return ERR_OK;
}

void ntfn_unbind(struct thread *t)
{
	if (t->bound)
		t->bound->bound = NULL;
	t->bound = NULL;
}

/* A notification is in the list exactly while its deadline is not 0. */
static void ntfn_timer_remove(struct notification *n)
{
	if (n->deadline == 0)
		return;
	*(n->timer_prev ? &n->timer_prev->timer_next : &timers) = n->timer_next;
	*(n->timer_next ? &n->timer_next->timer_prev : &timers_last) = n->timer_prev;
	n->timer_next = n->timer_prev = NULL;
	n->deadline = 0;
}

/* n's timer (if any) is cancelled; a deadline other than 0 sets it anew,
 * to signal `badge`. */
static void ntfn_timer_set(struct notification *n, uint64_t deadline, uint64_t badge)
{
	/* LAB 6 BEGIN: cancel n's timer; unless deadline is 0, insert n into timers, soonest first and behind equal deadlines */
	/* LAB 6 HINT: look for its place from timers_last backwards: most new deadlines are the latest yet */
	/* LAB 6 HINT: n->deadline, n->timer_badge, n->timer_next and n->timer_prev are n's room for one timer (struct notification) */
	struct notification *prev;

	ntfn_timer_remove(n);
	if (deadline == 0)
		return;
	for (prev = timers_last; prev && prev->deadline > deadline; prev = prev->timer_prev)
		;
	n->deadline = deadline;
	n->timer_badge = badge;
	n->timer_prev = prev;
	n->timer_next = prev ? prev->timer_next : timers;
	*(prev ? &prev->timer_next : &timers) = n;
	*(n->timer_next ? &n->timer_next->timer_prev : &timers_last) = n;
	/* LAB 6 STUB: ntfn_timer_remove(n); */
	/* LAB 6 STUB: (void)badge; */
	/* LAB 6 STUB: if (deadline != 0) */
		/* LAB 6 STUB: kprintf("lab 6: ntfn_timer_set not implemented\n"); */
	/* LAB 6 END */
}

/* Signal every timer due at `now`, soonest first. */
void ntfn_timers_fire(uint64_t now)
{
	/* LAB 6 BEGIN: take every timer whose deadline has come off the front of timers and signal its badge */
	/* LAB 6 HINT: take a timer off the list before signalling: ntfn_signal() wakes a thread, which may set it again */
	while (timers && timers->deadline <= now) {
		struct notification *n = timers;

		ntfn_timer_remove(n);
		ntfn_signal(n, n->timer_badge);
	}
	/* LAB 6 STUB: if (timers && timers->deadline <= now) */
		/* LAB 6 STUB: panic("lab 6: ntfn_timers_fire not implemented"); */
	/* LAB 6 END */
}

uint64_t ntfn_next_deadline(void)
{
	return timers ? timers->deadline : 0;
}

/* NOTIFICATION_SET_TIMER: deadline (0 cancels). */
int notification_invoke(struct invocation *inv)
{
	struct cte *slot = inv->slot;

	ntfn_timer_set(pa_to_kva(slot->cap.paddr), inv->arg[0], ntfn_badge(&slot->cap));
	clock_rearm();
	return ERR_OK;
}

void ntfn_destroy(struct notification *n)
{
	ntfn_timer_remove(n);
	irq_forget_notification(n);
	if (n->bound)
		ntfn_unbind(n->bound);
	while (n->waiters.head)
		thread_cancel(n->waiters.head, ERR_CANCELLED);
}
