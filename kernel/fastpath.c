/*
 * fastpath.c - the IPC fast path: call and reply_recv in their commonest
 * form, switched straight to the partner without the scheduler.
 *
 * It applies only when the message fits in registers, carries no caps,
 * the partner is waiting and outranks no one it should not: its priority
 * is at least the caller's (the caller outranks every queued thread, or it
 * would not be running), or, for a reply, no queued thread outranks it
 * (sched_highest()). Anything else returns, untouched, to the
 * general path in ipc.c, which gives the same messages, states and queues:
 * each check here is one reason to fall back, and each write mirrors one
 * step of ipc_send()/ipc_recv(). Change the two together. The one
 * difference is whom the scheduler runs next: the fast path runs the
 * partner at once, the general path queues it behind threads of its own
 * priority that were already waiting (docs/ipc.md).
 */
#include "errors.h"
#include "ipc.h"
#include "syscalls.h"

/* The register part of a message: info (flags and caps cleared), words
 * 0..3, badge; a0 = ERR_OK. */
static inline void fastpath_copy(struct thread *src, struct thread *dst, uint64_t badge)
{
	trace_ipc(src, dst, badge);
	/* LAB 5 BEGIN: write dst's a0..a6 as ipc_deliver() would for a message of registers only */
	/* LAB 5 HINT: a1 is built afresh from the label and the length: a sender never sets flags */
	uint64_t *from = src->regs.x, *to = dst->regs.x;

	to[REG_A0] = ERR_OK;
	to[REG_A1] = MSGINFO(MSGINFO_LABEL(from[REG_A1]), 0, MSGINFO_LENGTH(from[REG_A1]));
	to[REG_A2] = from[REG_A2];
	to[REG_A3] = from[REG_A3];
	to[REG_A4] = from[REG_A4];
	to[REG_A5] = from[REG_A5];
	to[REG_A6] = badge;
	/* LAB 5 STUB: (void)src; */
	/* LAB 5 STUB: (void)dst; */
	/* LAB 5 STUB: (void)badge; */
	/* LAB 5 END */
}

/* The endpoint cap in a0 with `right`, or NULL. */
static inline struct cte *fastpath_endpoint(struct thread *t, unsigned right)
{
	struct cte *slot = cnode_slot(t->cspace, t->cspace_radix, t->regs.x[REG_A0]);

	if (slot == NULL || slot->cap.type != OBJ_ENDPOINT || !(slot->cap.rights & right))
		return NULL;
	return slot;
}

/* call: the receiver at the head of the queue gets the message and t's
 * reply right; t waits for the reply. */
static void fastpath_call(struct thread *t)
{
	/* LAB 5 BEGIN: check each condition for call (docs/ipc.md section 9), do ipc_send()'s writes, switch */
	/* LAB 5 HINT: returning falls back to ipc.c: always correct, only slower */
	/* LAB 5 HINT: so return before the first write if a condition fails: after it there is no way back */
	/* LAB 5 HINT: the receiver is the queue's head; ipc_await_reply() links caller and server */
	struct cte *slot = fastpath_endpoint(t, RIGHT_WRITE);
	struct endpoint *ep;
	struct thread *dst;

	if (slot == NULL)
		return;
	ep = pa_to_kva(slot->cap.paddr);
	dst = ep->queue.head;
	if (dst == NULL || dst->state != THREAD_BLOCKED_RECV || dst->priority < t->priority)
		return;
	queue_remove(&ep->queue, dst);
	dst->wait_queue = NULL;
	dst->state = THREAD_RUNNABLE;
	fastpath_copy(t, dst, slot->cap.data);
	t->state = THREAD_BLOCKED_REPLY;
	t->reply_holder = dst;
	dst->caller = t;
	sched_switch_to(dst);
	/* LAB 5 STUB: (void)t; */
	/* LAB 5 STUB: return; */
	/* LAB 5 END */
}

/* reply_recv: t's caller gets the reply and runs; t waits on the endpoint,
 * which must have no sender queued (else t would receive at once). */
static void fastpath_reply_recv(struct thread *t)
{
	/* LAB 5 BEGIN: check each condition for reply_recv, do ipc_reply()'s and ipc_recv()'s writes, switch */
	/* LAB 5 HINT: as for call, returning falls back to ipc.c, which is always correct */
	/* LAB 5 HINT: a caller in a fault waits for a new pc, not for registers: leave it to ipc.c */
	/* LAB 5 HINT: t waits on an endpoint with no sender queued, as ipc_recv() would leave it */
	struct thread *caller = t->caller;
	struct cte *slot = fastpath_endpoint(t, RIGHT_READ);
	struct endpoint *ep;

	/* A caller below the server may run next only if no one waiting outranks it:
	 * then the scheduler would pick it too (a server answering lower clients). */
	if (slot == NULL || caller == NULL || caller->in_fault ||
	    (caller->priority < t->priority && sched_highest() > (int)caller->priority))
		return;
	ep = pa_to_kva(slot->cap.paddr);
	if ((ep->queue.head && ep->queue.head->state != THREAD_BLOCKED_RECV) ||
	    (t->bound && t->bound->bits))
		return;
	t->caller = NULL;
	caller->reply_holder = NULL;
	fastpath_copy(t, caller, 0);
	caller->state = THREAD_RUNNABLE;
	t->state = THREAD_BLOCKED_RECV;
	t->wait_queue = &ep->queue;
	queue_append(&ep->queue, t);
	sched_switch_to(caller);
	/* LAB 5 STUB: (void)t; */
	/* LAB 5 STUB: return; */
	/* LAB 5 END */
}

void fastpath(struct thread *t)
{
	uint64_t info = t->regs.x[REG_A1];

	if (MSGINFO_LENGTH(info) > MSG_REG_WORDS || MSGINFO_NCAPS(info) != 0)
		return;
	if (t->regs.x[REG_A7] == SYS_CALL)     /* (trap.c sends only these two) */
		fastpath_call(t);
	else if (t->regs.x[REG_A7] == SYS_REPLY_RECV)
		fastpath_reply_recv(t);
}
