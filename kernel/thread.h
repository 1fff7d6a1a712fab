/*
 * thread.h - threads (the contents of a TCB object) and the run queue.
 *
 * A TCB object holds one struct thread. Rules:
 *  - thread_current() is the thread whose trap the kernel is handling (NULL
 *    once that thread has been destroyed by its own call);
 *  - a thread runs only while RUNNABLE; the running one is in no queue,
 *    every other RUNNABLE thread is in the run queue of its priority;
 *  - a BLOCKED_* thread is in the queue of the object in blocked_on, except
 *    BLOCKED_REPLY, which only its reply_holder or reply_cap can end;
 *  - a thread holds copies of the capabilities it runs with (its CSpace,
 *    VSpace and IPC buffer, in slots of its own: held[]), so those objects
 *    live as long as it does; a revoke that deletes one takes it away
 *    (thread_lose), and nothing ever needs to search the threads;
 *  - sched_resume() never returns: it enters the next thread's user mode,
 *    and powers the machine off when no thread can run.
 * All of it runs under the (future) big kernel lock: one hart at a time.
 */
#ifndef MICA_THREAD_H
#define MICA_THREAD_H

#include "arch.h"
#include "cap.h"
#include "objects.h"

#define THREAD_NAME_MAX 16

enum thread_state {
	THREAD_INACTIVE,      /* new or suspended: waits for tcb_resume */
	THREAD_RUNNABLE,      /* running, or in a run queue */
	THREAD_EXITED,        /* called exit */
	THREAD_KILLED,        /* faulted with no one to handle it */
	THREAD_BLOCKED_SEND,  /* in an endpoint's queue, with a message to send */
	THREAD_BLOCKED_CALL,  /* the same, and then it waits for the reply */
	THREAD_BLOCKED_RECV,  /* in an endpoint's queue, waiting for a message */
	THREAD_BLOCKED_REPLY, /* called; waits for the reply */
	THREAD_BLOCKED_NOTIFY, /* in a notification's queue, waiting for bits */
};

/* A FIFO of threads, linked through their queue_next/queue_prev. */
struct thread_queue {
	struct thread *head, *tail;
};

struct notification;

/* The slots of held[]. */
enum { THREAD_HELD_CSPACE, THREAD_HELD_VSPACE, THREAD_HELD_IPC_BUFFER, THREAD_HELD_COUNT };

struct thread {
	struct arch_regs regs;          /* saved by vector.S; must stay first */
	struct vspace vspace;           /* root 0: none configured */
	paddr_t cspace;                 /* the CNode of its CSpace, 0 if none */
	unsigned cspace_radix;
	paddr_t ipc_buffer;             /* the IPC buffer frame, 0 if none (where the thread
	                                   maps it, the kernel need not know) */
	cptr_t fault_endpoint;          /* in its own CSpace, looked up at each fault */
	unsigned priority;              /* 0..PRIORITY_MAX; the highest runnable runs */
	enum thread_state state;
	/* One queue at a time: a run queue while RUNNABLE (except the
	 * running thread, which is in none), else wait_queue: the queue of
	 * the endpoint or notification it is blocked on. */
	struct thread *queue_next, *queue_prev;
	struct thread_queue *wait_queue;
	uint64_t send_badge;            /* BLOCKED_SEND/CALL: the badge it sends with */
	uint64_t send_info;             /* ... and its info word, as checked (ipc.c) */
	bool in_fault;                  /* its message is a fault (fault_cause, fault_addr) */
	uint64_t fault_cause, fault_addr;
	struct thread *caller;          /* the call it received and has not answered */
	struct thread *reply_holder;    /* BLOCKED_REPLY: the thread that owes the reply, */
	struct cte *reply_cap;          /* ... or the slot of the Reply cap saved for it */
	struct notification *bound;     /* bound notification (tcb_bind_notification) */
	char name[THREAD_NAME_MAX];
	/* Copies of the caps of cspace, vspace and ipc_buffer above, which
	 * say the same: those fields are the fast way to read them. */
	_Alignas(1 << CNODE_SLOT_BITS) struct cte held[THREAD_HELD_COUNT];
};

/* Waiting for a partner (a BLOCKED_* state)? */
static inline bool thread_blocked(const struct thread *t)
{
	return t->state >= THREAD_BLOCKED_SEND;
}

/* A fresh thread in zeroed memory: INACTIVE, named "thread". */
void thread_init(struct thread *t);
/* Take t out of every queue and IPC and let go of what it holds; it never
 * runs again. */
void thread_destroy(struct thread *t);
/* From now on t runs with copies of these caps (NULL: none), made children
 * of them; what it held before is deleted. A VSpace changes nothing else
 * (the caller suspends a thread left without one). The caller runs
 * cap_drain() next: a CNode may have lost its last cap. */
void thread_hold(struct thread *t, struct cte *cspace, struct cte *vspace, struct cte *ipc_frame);
/* cap_delete() deleted cap from one of t's held slots: t forgets it (one
 * that loses its VSpace is suspended: nothing left to run in). */
void thread_lose(struct thread *t, const struct cap *cap);

/* The running thread: sched.c's, read through thread_current() only. */
extern struct thread *sched_current;

static inline struct thread *thread_current(void)
{
	return sched_current;
}
/* Make t RUNNABLE (from INACTIVE, EXITED, KILLED or a blocked state that
 * the caller has already taken it out of). A runnable thread is left alone. */
void thread_resume(struct thread *t);
/* Stop t (INACTIVE): it leaves any IPC it was in, which ends with
 * ERR_CANCELLED, and a call it owed an answer to is cancelled too. */
void thread_suspend(struct thread *t);
void thread_exit(struct thread *t, int status);
/* A fault nobody handles: report it on the console and stop the thread. */
void thread_kill(struct thread *t, const char *what, uint64_t addr, uint64_t pc);
/* The running thread t waits in `state` (a BLOCKED_* state): in queue q,
 * or in none (NULL) for BLOCKED_REPLY. */
void thread_block(struct thread *t, enum thread_state state, struct thread_queue *q);
/* Wake a blocked thread with the registers already set: out of its queue
 * and RUNNABLE. */
void thread_wake(struct thread *t);
/* End t's wait without a partner: a0 = err (unless it waited for a fault
 * reply: then it simply runs the faulting instruction again). The caller
 * has already taken t out of any reply relation. Only the wait ends: a
 * call t received and has not answered is still t's to answer. */
void thread_cancel(struct thread *t, int err);
void thread_set_priority(struct thread *t, unsigned priority);

/* t joins q at the tail. Inline, like queue_remove(): both are on the
 * IPC fast path. */
static inline void queue_append(struct thread_queue *q, struct thread *t)
{
	t->queue_next = NULL;
	t->queue_prev = q->tail;
	if (q->tail)
		q->tail->queue_next = t;
	else
		q->head = t;
	q->tail = t;
}

/* t leaves q, from wherever it is in it. */
static inline void queue_remove(struct thread_queue *q, struct thread *t)
{
	if (t->queue_prev)
		t->queue_prev->queue_next = t->queue_next;
	else
		q->head = t->queue_next;
	if (t->queue_next)
		t->queue_next->queue_prev = t->queue_prev;
	else
		q->tail = t->queue_prev;
	t->queue_next = t->queue_prev = NULL;
}

/* t leaves the queue it waits in, if it waits in one. */
static inline void thread_leave_queue(struct thread *t)
{
	if (t->wait_queue)
		queue_remove(t->wait_queue, t);
	t->wait_queue = NULL;
}

/* Run the highest-priority runnable thread (the current one, unless it
 * blocked, yielded, used up its time slice or was outranked). Never
 * returns; idles in wfi while only an interrupt or timer can wake someone,
 * and powers off when nothing ever can. */
void sched_resume(void) __attribute__((noreturn));
/* Let t run now, without consulting the run queues: the IPC fast path's
 * direct switch. t must be RUNNABLE, in no queue, and outrank every
 * queued thread (so nothing needs choosing). Never returns. */
static inline __attribute__((noreturn)) void sched_switch_to(struct thread *t)
{
	sched_current = t;
	arch_enter_user(&t->regs, &t->vspace);
}
/* The current thread goes to the back of its run queue at the next
 * sched_resume(): yield, and the end of a time slice. */
void sched_yield(void);
/* A RUNNABLE thread joins (or leaves) the run queue of its priority. */
void sched_add(struct thread *t);
/* The highest priority with a runnable thread waiting (not sched_current), or -1. */
int sched_highest(void);
void sched_remove(struct thread *t);
/* t is being destroyed: if it is the current thread, there is none now. */
void sched_forget(struct thread *t);
/* Remember that a thread failed (exit status, kill): poweroff reports it. */
void sched_note_failure(bool failed);

#endif /* MICA_THREAD_H */
