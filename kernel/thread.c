/*
 * thread.c - thread states, the run queue, and round-robin among threads.
 *
 * The run queue holds exactly the RUNNABLE threads, and the one at its head
 * runs: yield moves it to the back. Nothing preempts yet and there are no
 * priorities in the choice (they come with IPC and time slices). When no
 * thread can run, the kernel says why and powers off: that is how a test
 * run ends by itself.
 */
#include "thread.h"
#include "cap.h"
#include "clock.h"
#include "errors.h"
#include "printk.h"
#include "str.h"

static struct thread *run_head, *run_tail;
static struct thread *all_threads;
static struct thread *current;
static bool move_on;           /* sched_yield() was called */
static bool run_failed;        /* a thread was killed or exited non-zero */

void thread_init(struct thread *t)
{
	t->state = THREAD_INACTIVE;
	str_copy(t->name, "thread", sizeof(t->name));
	t->all_next = all_threads;
	if (all_threads)
		all_threads->all_prev = t;
	all_threads = t;
}

static void run_enqueue(struct thread *t)
{
	t->run_next = NULL;
	t->run_prev = run_tail;
	if (run_tail)
		run_tail->run_next = t;
	else
		run_head = t;
	run_tail = t;
}

static void run_dequeue(struct thread *t)
{
	if (t->run_prev)
		t->run_prev->run_next = t->run_next;
	else
		run_head = t->run_next;
	if (t->run_next)
		t->run_next->run_prev = t->run_prev;
	else
		run_tail = t->run_prev;
	t->run_next = t->run_prev = NULL;
}

/* Leave RUNNABLE (if it was) for `state`. */
static void thread_stop(struct thread *t, enum thread_state state)
{
	if (t->state == THREAD_RUNNABLE)
		run_dequeue(t);
	t->state = state;
}

void thread_resume(struct thread *t)
{
	if (t->state != THREAD_RUNNABLE) {
		t->state = THREAD_RUNNABLE;
		run_enqueue(t);
	}
}

void thread_suspend(struct thread *t)
{
	thread_stop(t, THREAD_INACTIVE);
}

void thread_destroy(struct thread *t)
{
	thread_stop(t, THREAD_INACTIVE);
	if (t->all_prev)
		t->all_prev->all_next = t->all_next;
	else
		all_threads = t->all_next;
	if (t->all_next)
		t->all_next->all_prev = t->all_prev;
	if (current == t)
		current = NULL;
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

struct thread *thread_current(void)
{
	return current;
}

void thread_exit(struct thread *t, int status)
{
	thread_stop(t, THREAD_EXITED);
	t->exit_status = status;
	run_failed |= status != 0;
	kprintf("mica: thread %s exited with status %d\n", t->name, status);
}

void thread_kill(struct thread *t, const char *what, uint64_t addr, uint64_t pc)
{
	thread_stop(t, THREAD_KILLED);
	run_failed = true;
	kprintf("mica: thread %s killed: %s at address %p, pc %p\n",
		t->name, what, (void *)addr, (void *)pc);
}

void sched_yield(void)
{
	move_on = true;
}

void sched_resume(void)
{
	if (move_on && current && current == run_head && run_head != run_tail) {
		run_dequeue(current);
		run_enqueue(current);
	}
	move_on = false;
	current = run_head;
	if (current == NULL) {
		kprintf("mica: no threads left (%lu timer interrupts); powering off\n",
			clock_interrupts());
		arch_poweroff(run_failed);
	}
	arch_enter_user(&current->regs, &current->vspace);
}
