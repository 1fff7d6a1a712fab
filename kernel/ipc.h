/*
 * ipc.h - endpoints, replies and notifications (docs/ipc.md).
 *
 * An Endpoint is a rendezvous: a queue of senders or of receivers (never
 * both), FIFO. A message goes straight from the sender's registers and IPC
 * buffer to the receiver's; nothing is buffered in the kernel. A call
 * leaves the receiver owing a reply: thread->caller, one at a time, which
 * it answers with reply or saves in a slot as a Reply capability.
 * A Notification is a word of bits that signal ORs in and wait takes out.
 * Rules for callers:
 *  - every entry point takes the running thread and a capability its
 *    syscall has already looked up; rights are checked here;
 *  - an entry point returns an error code for the running thread, which
 *    the syscall code writes to a0 only if the thread is still RUNNABLE
 *    (a blocked thread gets its a0 when its wait ends);
 *  - nothing here allocates or can fail on kernel memory.
 */
#ifndef MICA_IPC_H
#define MICA_IPC_H

#include "cap.h"
#include "msg.h"
#include "thread.h"
#include "trace.h"

struct endpoint {
	struct thread_queue queue;     /* senders or receivers, by their state */
};

struct notification {
	struct thread_queue waiters;   /* threads in wait */
	uint64_t bits;
	struct thread *bound;          /* the TCB it is bound to, if any */
	uint64_t deadline;             /* its timer: signal timer_badge then; 0: none */
	uint64_t timer_badge;
	struct notification *timer_next, *timer_prev;   /* the timers, soonest first */
};

/* The thread's IPC buffer as the kernel sees it, NULL if it has none. */
struct ipc_buffer *ipc_buffer_of(const struct thread *t);

/* send, nbsend, call on an Endpoint (blocking: may wait for a receiver;
 * call: then wait for the reply), or send on a Reply capability. */
int ipc_send(struct thread *t, struct cte *slot, bool blocking, bool call);
/* recv, nbrecv on an Endpoint (a bound notification's bits come first). */
int ipc_recv(struct thread *t, struct cte *slot, bool blocking);
/* Answer t's caller with t's message: ERR_NO_CALLER if it has none. */
int ipc_reply(struct thread *t);
/* CNODE_SAVE_REPLY: turn t's pending reply into a Reply cap in `dest`. */
int ipc_save_reply(struct thread *t, struct cte *dest);
/* t faulted: send the fault message on its fault endpoint. False if it has
 * no usable one (the caller then stops the thread). */
bool ipc_fault(struct thread *t, uint64_t cause, uint64_t addr);
/* t stops: a reply it waits for, or owes, is given up. */
void ipc_abandon(struct thread *t);
/* An Endpoint is destroyed: its waiters wake with ERR_CANCELLED. */
void ep_destroy(struct endpoint *ep);
/* A Reply cap was deleted unanswered: its caller wakes with ERR_CANCELLED. */
void reply_destroyed(const struct cap *cap);

/* signal on a Notification cap; wait (blocking) and poll on one. */
int ntfn_signal_cap(struct cte *slot);
void ntfn_signal(struct notification *n, uint64_t bits);
int ntfn_wait(struct thread *t, struct cte *slot, bool blocking);
/* Deliver n's bits to t, waiting on an endpoint, if t is bound to n and
 * any are set; true if it did. */
bool ntfn_deliver_bound(struct thread *t);
void ntfn_unbind(struct thread *t);
void ntfn_destroy(struct notification *n);
/* The timers: fire every one due at `now`; the soonest deadline left
 * (0: none). */
void ntfn_timers_fire(uint64_t now);
uint64_t ntfn_next_deadline(void);
int ntfn_bind(struct thread *t, struct notification *n);

/* The running thread t made a system call: if it is a call or reply_recv
 * the fast path can do, do it and switch to the partner (never returns);
 * otherwise return and let the general path run. fastpath.c. */
void fastpath(struct thread *t);

#endif /* MICA_IPC_H */
