/*
 * thread.h - user threads and the scheduler that picks the next one.
 *
 * For now the kernel runs the threads that boot created (root, at first);
 * thread objects made from Untyped memory arrive with capabilities. Rules:
 *  - thread_current() is the thread whose trap the kernel is handling;
 *  - a thread that exits or faults is never run again;
 *  - sched_resume() never returns: it enters the next thread's user mode,
 *    and powers the machine off when no thread is left.
 * All of it runs under the (future) big kernel lock: one hart at a time.
 */
#ifndef MICA_THREAD_H
#define MICA_THREAD_H

#include "arch.h"

#define THREAD_NAME_MAX 16
#define THREAD_MAX      8   /* boot-created threads; the rest come from Untyped */

enum thread_state {
	THREAD_RUNNABLE,
	THREAD_EXITED,       /* called exit */
	THREAD_KILLED,       /* faulted with no one to handle it */
};

struct thread {
	struct arch_regs regs;          /* saved by vector.S; must stay first */
	struct vspace vspace;
	enum thread_state state;
	int exit_status;
	char name[THREAD_NAME_MAX];
};

/* Make t runnable; it starts at its regs. ERR_RANGE if the table is full. */
int thread_start(struct thread *t, const char *name);
struct thread *thread_current(void);
void thread_exit(struct thread *t, int status);
/* A fault nobody handles: report it on the console and stop the thread. */
void thread_kill(struct thread *t, const char *what, uint64_t addr, uint64_t pc);

/* Run the next runnable thread (round robin). Never returns. */
void sched_resume(void) __attribute__((noreturn));
/* Move on from the current thread at the next sched_resume(). */
void sched_yield(void);

#endif /* MICA_THREAD_H */
