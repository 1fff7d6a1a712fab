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
#include "errors.h"
#include "ipc.h"
#include "printk.h"
#include "str.h"

void thread_init(struct thread *t)
{
	unsigned i;

	t->state = THREAD_INACTIVE;
	str_copy(t->name, "thread", sizeof(t->name));
	for (i = 0; i < THREAD_HELD_COUNT; i++)
		t->held[i].holder = t;
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
	/* A wait cut short ends with ERR_CANCELLED (a fault's, by running the
	 * faulting instruction again). */
	if (thread_blocked(t) && !t->in_fault)
		t->regs.x[REG_A0] = ERR_CANCELLED;
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

/* Empty t's held slots; t is being given new ones, or destroyed, so it
 * loses nothing (thread_lose is not told). The held caps have no children
 * (no cptr names them), so cap_delete() never stops here. */
static void thread_drop_held(struct thread *t)
{
	unsigned i;

	for (i = 0; i < THREAD_HELD_COUNT; i++) {
		t->held[i].holder = NULL;
		cap_delete(&t->held[i]);
		t->held[i].holder = t;
	}
}

void thread_destroy(struct thread *t)
{
	thread_stop(t, THREAD_INACTIVE);
	ntfn_unbind(t);
	thread_drop_held(t);
	sched_forget(t);
}

void thread_hold(struct thread *t, struct cte *cspace, struct cte *vspace, struct cte *ipc_frame)
{
	struct cte *src[THREAD_HELD_COUNT] = { cspace, vspace, ipc_frame };
	unsigned i;

	thread_drop_held(t);
	for (i = 0; i < THREAD_HELD_COUNT; i++) {
		struct cap copy;

		if (src[i] == NULL)
			continue;
		copy = src[i]->cap;
		copy.asid = copy.type == OBJ_FRAME ? 0 : copy.asid;   /* a frame copy maps nothing */
		copy.data = copy.type == OBJ_FRAME ? 0 : copy.data;
		cap_insert(&t->held[i], &copy, src[i]);
	}
	t->cspace = cspace ? cspace->cap.paddr : 0;
	t->cspace_radix = cspace ? cspace->cap.size_bits : 0;
	t->vspace = vspace ? (struct vspace){ vspace->cap.paddr, vspace->cap.asid } : (struct vspace){ 0 };
	t->ipc_buffer = ipc_frame ? ipc_frame->cap.paddr : 0;
}

void thread_lose(struct thread *t, const struct cap *cap)
{
	if (cap->type == OBJ_CNODE)
		t->cspace = 0;
	if (cap->type == OBJ_FRAME)
		t->ipc_buffer = 0;
	if (cap->type == OBJ_VSPACE) {
		t->vspace = (struct vspace){ 0 };
		thread_suspend(t);
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
