/*
 * thread.h - threads (the contents of a TCB object) and the run queue.
 *
 * A TCB object holds one struct thread. Rules:
 *  - thread_current() is the thread whose trap the kernel is handling (NULL
 *    once that thread has been destroyed by its own call);
 *  - a thread runs only while RUNNABLE, and then it is on the run queue;
 *  - every thread is on the list of all threads from thread_init() to
 *    thread_destroy(), so destroying an object can find who points at it;
 *  - sched_resume() never returns: it enters the next thread's user mode,
 *    and powers the machine off when no thread can run.
 * All of it runs under the (future) big kernel lock: one hart at a time.
 */
#ifndef MICA_THREAD_H
#define MICA_THREAD_H

#include "arch.h"
#include "objects.h"

struct cap;

#define THREAD_NAME_MAX 16

enum thread_state {
	THREAD_INACTIVE,     /* new or suspended: waits for tcb_resume */
	THREAD_RUNNABLE,
	THREAD_EXITED,       /* called exit */
	THREAD_KILLED,       /* faulted with no one to handle it */
};

struct thread {
	struct arch_regs regs;          /* saved by vector.S; must stay first */
	struct vspace vspace;           /* root 0: none configured */
	paddr_t cspace;                 /* the CNode of its CSpace, 0 if none */
	unsigned cspace_radix;
	paddr_t ipc_buffer;             /* the IPC buffer frame, 0 if none */
	uaddr_t ipc_buffer_vaddr;       /* where the thread sees it */
	cptr_t fault_endpoint;          /* in its own CSpace; used from the IPC work on */
	unsigned priority;
	enum thread_state state;
	int exit_status;
	struct thread *run_next, *run_prev;    /* the run queue, while RUNNABLE */
	struct thread *all_next, *all_prev;    /* every thread */
	char name[THREAD_NAME_MAX];
};

/* A fresh thread in zeroed memory: INACTIVE, named "thread". */
void thread_init(struct thread *t);
/* Take t off every list; it never runs again. */
void thread_destroy(struct thread *t);
/* An object is being destroyed: every thread forgets it (a thread that
 * loses its VSpace is suspended). */
void thread_forget(const struct cap *cap);

struct thread *thread_current(void);
void thread_resume(struct thread *t);
void thread_suspend(struct thread *t);
void thread_exit(struct thread *t, int status);
/* A fault nobody handles: report it on the console and stop the thread. */
void thread_kill(struct thread *t, const char *what, uint64_t addr, uint64_t pc);

/* Run the thread at the head of the run queue. Never returns. */
void sched_resume(void) __attribute__((noreturn));
/* Move the current thread to the back of the queue at the next sched_resume(). */
void sched_yield(void);

#endif /* MICA_THREAD_H */
