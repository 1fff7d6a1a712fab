/*
 * thread.c - thread states, blocking in and waking from the queues threads
 * wait in (the queue operations are inline in thread.h, for the fast
 * path), and how a thread stops.
 *
 * Every state change of a thread goes through here, so the rules of
 * thread.h hold in one place: a thread is in at most one queue, the queue
 * its state says. Which thread runs is sched.c's business; what a message
 * carries is ipc.c's. A thread that stops (suspend, exit, kill, destroy)
 * leaves whatever IPC it was in, and its partners hear ERR_CANCELLED
 * rather than wait forever.
 */
#include "thread.h"
#include "cap.h"
#include "ipc.h"
#include "printk.h"
#include "str.h"

static struct thread *all_threads;

void thread_init(struct thread *t)
{
	t->state = THREAD_INACTIVE;
	str_copy(t->name, "thread", sizeof(t->name));
	t->all_next = all_threads;
	if (all_threads)
		all_threads->all_prev = t;
	all_threads = t;
}

void thread_block(struct thread *t, enum thread_state state, struct thread_queue *q)
{
	ASSERT(t->state == THREAD_RUNNABLE && t == thread_current());
	t->state = state;
	t->wait_queue = q;
	if (q)
		queue_append(q, t);
}

void thread_wake(struct thread *t)
{
	thread_leave_queue(t);
	t->state = THREAD_RUNNABLE;
	sched_add(t);
}

void thread_cancel(struct thread *t, int err)
{
	if (t->in_fault)
		t->in_fault = false;
	else
		t->regs.x[REG_A0] = (uint64_t)err;
	thread_wake(t);
}

/* Leave RUNNABLE or a wait for `state`: out of every queue and every
 * IPC relation. */
static void thread_stop(struct thread *t, enum thread_state state)
{
	if (t->state == THREAD_RUNNABLE)
		sched_remove(t);
	thread_leave_queue(t);
	ipc_abandon(t);
	t->in_fault = false;
	t->state = state;
}

void thread_resume(struct thread *t)
{
	if (t->state != THREAD_RUNNABLE && !thread_blocked(t)) {   /* INACTIVE, EXITED, KILLED */
		t->state = THREAD_RUNNABLE;
		sched_add(t);
	}
}

void thread_suspend(struct thread *t)
{
	thread_stop(t, THREAD_INACTIVE);
}

void thread_set_priority(struct thread *t, unsigned priority)
{
	bool queued = t->state == THREAD_RUNNABLE;

	if (queued)
		sched_remove(t);
	t->priority = priority;
	if (queued)
		sched_add(t);           /* also makes the scheduler choose again */
}

void thread_destroy(struct thread *t)
{
	thread_stop(t, THREAD_INACTIVE);
	ntfn_unbind(t);
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		all_threads = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	sched_forget(t);
}

void thread_forget(const struct cap *cap)
{
	struct thread *t;

	for (t = all_threads; t; t = t->all_next) {
		if (cap->type == OBJ_CNODE && t->cspace == cap->paddr)
			t->cspace = 0;
		if (cap->type == OBJ_FRAME && t->ipc_buffer == cap->paddr)
			t->ipc_buffer = 0;
		if (cap->type == OBJ_VSPACE && t->vspace.root == cap->paddr) {
			t->vspace = (struct vspace){ 0 };
			thread_suspend(t);      /* nothing left to run in */
		}
	}
}

void thread_exit(struct thread *t, int status)
{
	thread_stop(t, THREAD_EXITED);
	sched_note_failure(status != 0);
	kprintf("mica: thread %s exited with status %d\n", t->name, status);
}

void thread_kill(struct thread *t, const char *what, uint64_t addr, uint64_t pc)
{
	thread_stop(t, THREAD_KILLED);
	sched_note_failure(true);
	kprintf("mica: thread %s killed: %s at address %p, pc %p\n",
		t->name, what, (void *)addr, (void *)pc);
}
